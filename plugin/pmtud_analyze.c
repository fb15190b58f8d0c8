/* pmtud_analyze.c
 * Matching an ICMP quote to the frame it was cut from, naming the wire
 * frames a coalesced packet was built from, and the verdicts.
 *
 * How it decides (the README's "How it decides", for developers):
 *
 * Index. Every data packet is remembered (pmtud_index.c): its flow, TCP
 * sequence number as on the wire, payload and IP lengths, IPv4 ID and first
 * payload bytes; a tunnelled frame at both IP layers. Lengths come from the
 * IP headers, never from the captured length. ICMP errors are not indexed
 * (they are never quoted); echo requests are (a ping probe can be); TCP
 * segments without data are not (no quote is matched to one, below).
 *
 * Match. The quote's flow is walked from the latest transmission back,
 * before the ICMP only. A TCP candidate must carry the quoted sequence
 * number; zero-length segments never match. Candidates are ranked by what
 * they share with the quote: the IPv4 ID (it names the transmission the
 * router saw), then the payload bytes (where IDs cannot tell: IPv6, UDP
 * with ID 0); among equals the latest wins (a TCP or UDP resend carries the
 * same bytes, and the latest copy is the one the router saw). A quote
 * without ports or TCP sequence number is not matched at all: no link is
 * better than a wrong one.
 *
 * Quotes without TCP or UDP ports (ESP, AH, GRE, SCTP, ICMP, anything else)
 * are matched by identity (pmtud_parse.h): a candidate must carry the
 * quoted tag (SPI, GRE key, SCTP verification tag, echo type + identifier)
 * and sequence number (ESP/AH/GRE sequence, SCTP TSN, echo sequence). These
 * packets are never resent as such, so "the latest among equals" would be a
 * guess (three ESP packets with one SPI and IP ID 0 agree on everything but
 * their sequence number): the whole flow is walked, and a link is made only
 * to the one candidate that agrees best, with the sequence number, or,
 * where the protocol has none, with the IP ID and every quoted payload byte.
 * When several agree equally, or the quote ends before the sequence number
 * (an 8-byte IPv4 quote of AH), the ICMP is "ambiguous" (PMTUD_V_AMBIGUOUS)
 * and names the candidates instead of linking one.
 *
 * Cover. If the quoted packet is longer than the matched one, it was
 * merged (LRO/GRO) or never split (TSO): for TCP, the frames whose payload
 * lies inside the quoted byte range, the latest copy of each range before
 * the ICMP; for UDP, the consecutive datagrams whose payloads add up to the
 * quoted UDP length exactly (else only the matched one is named).
 *
 * Judge (judge()). Quoted longer than the wire: offload. Equal, but over
 * the MSS the receiver announced: offload at the capture point. Shorter:
 * the router rewrote the quoted length, and its MTU is judged against the
 * wire length. Then the MTU: 0 (IPv4) is a pre-RFC 1191 router; below the
 * IP version's minimum or not below the packet is bogus (pmtud_mtu_sane).
 * A matched quote with none of these is legitimate. The verdicts' names,
 * texts and sentences are rows of pmtud_vocab.c.
 *
 * Bounds: each search looks at MAX_WALK bucket entries at most, whatever the
 * capture; following (pmtud_follow.c) and black holes (pmtud_blackhole.c)
 * run per packet from pmtud_analyzer_feed, in fixed memory.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "pmtud_analyze.h"
#include "pmtud_conv.h"
#include "pmtud_follow.h"

#include <stdlib.h>
#include <string.h>

/* Bucket entries looked at per search: bounds the time one ICMP can cost
 * (an adversarial capture may quote the same busy flow a million times). */
#define MAX_WALK        8192
#define MAX_FOLLOWING   256   /* UDP datagrams collected after the matched one */
#define MAX_COVER_SCAN  256   /* segments of one quoted range looked at */

struct pmtud_analyzer {
    pmtud_index_t    *ix;
    pmtud_convs_t    *convs;        /* TCP conversations: the MSS each end announced */
    pmtud_follow_t   *follow;
    pmtud_blackholes_t *blackholes;
    uint32_t          link_mtu;     /* preference; 0 = from the link type */
    int64_t           last_ts_ns;
};

pmtud_analyzer_t *pmtud_analyzer_new(uint32_t window)
{
    pmtud_analyzer_t *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    a->ix = pmtud_index_new(window);
    a->convs = pmtud_convs_new();
    a->follow = pmtud_follow_new();
    a->blackholes = pmtud_blackholes_new();
    if (!a->ix || !a->convs || !a->follow || !a->blackholes) {
        pmtud_analyzer_free(a);
        return NULL;
    }
    return a;
}

void pmtud_analyzer_free(pmtud_analyzer_t *a)
{
    if (!a)
        return;
    pmtud_index_free(a->ix);
    pmtud_convs_free(a->convs);
    pmtud_follow_free(a->follow);
    pmtud_blackholes_free(a->blackholes);
    free(a);
}

void pmtud_analyzer_set_link_mtu(pmtud_analyzer_t *a, uint32_t link_mtu)
{
    if (a)
        a->link_mtu = link_mtu;
}

void pmtud_analyzer_follow(pmtud_analyzer_t *a, pmtud_icmp_result_t *res)
{
    if (a)
        pmtud_follow_start(a->follow, res);
}

void pmtud_analyzer_finish(pmtud_analyzer_t *a)
{
    if (a)
        pmtud_follow_finish(a->follow, a->last_ts_ns);
}

/* Indexes one IP packet of a data frame. Every packet comes here: the
 * record is written in place, field by field, inline. */
static PMTUD_PER_FRAME void index_packet(pmtud_analyzer_t *a, uint32_t frame, int64_t ts_ns,
                                          const pmtud_ip_t *ip, const uint8_t *eth_src,
                                          const pmtud_flow_t *flow, uint32_t hash)
{
    pmtud_rec_t *rec;
    uint32_t head_len = ip->payload_caplen < PMTUD_HEAD_BYTES ? ip->payload_caplen :
                        PMTUD_HEAD_BYTES;

    /* Later fragments carry no ports: they cannot be told apart from other
     * flows, and an ICMP quotes the first fragment anyway. */
    if (ip->later_fragment)
        return;
    rec = pmtud_index_append(a->ix, hash);
    rec->flow = *flow;
    rec->frame = frame;
    rec->ts_ns = ts_ns;
    rec->seq = ip->seq;
    rec->payload_len = ip->payload_len;
    rec->ip_len = ip->ip_len;
    rec->ip_id = ip->ip_id;
    rec->has_id = ip->has_id;
    rec->ident = ip->ident;    /* ESP, AH, GRE, SCTP, echo: what names the packet */
    rec->tag = ip->tag;
    rec->ttl = ip->ttl;
    rec->has_oui = eth_src != NULL;
    if (eth_src)
        memcpy(rec->oui, eth_src, sizeof rec->oui);
    rec->head_len = (uint8_t)head_len;
    if (head_len == PMTUD_HEAD_BYTES) {
        memcpy(rec->head, ip->payload, PMTUD_HEAD_BYTES);
    } else {
        memset(rec->head, 0, sizeof rec->head);
        if (head_len)
            memcpy(rec->head, ip->payload, head_len);
    }
}

/* --- matching ---------------------------------------------------------- */

typedef struct {
    const pmtud_ip_t  *q;
    uint32_t           icmp_frame;
    bool               by_identity;   /* no TCP/UDP ports: walk all, never take "the latest" */
    bool               cut;           /* the quote ends before what names its packet */
    int                best_possible; /* the rank of a candidate agreeing on all the quote holds */
    const pmtud_rec_t *best;
    int                best_rank;
    uint32_t           n_best;        /* candidates of best_rank */
    uint32_t           best_frames[PMTUD_MAX_CANDIDATES]; /* the latest of them, latest first */
    uint32_t           last_frame;    /* of the record met last */
} cand_ctx_t;

/* Does the candidate hold the quoted payload bytes? -1 unknown, 0 no, 1 yes. */
static int payload_agrees(const pmtud_ip_t *q, const pmtud_rec_t *r)
{
    uint32_t skip = 0, n, i;

    if (!q->payload || q->payload_caplen == 0 || r->head_len == 0)
        return -1;
    if (q->proto == PMTUD_PROTO_TCP)
        skip = q->seq - r->seq;   /* the quote may start inside the segment */
    if (skip >= r->head_len)
        return -1;
    n = r->head_len - skip;
    if (n > q->payload_caplen)
        n = q->payload_caplen;
    for (i = 0; i < n; i++)
        if (r->head[skip + i] != q->payload[i])
            return 0;
    return 1;
}

/* Candidates are ranked by what they share with the quote: the IPv4 ID
 * first (it names the transmission the router saw), then the payload bytes
 * (where IDs cannot tell: IPv6, UDP senders using ID 0). The walk goes from
 * the latest transmission back, so among equals the latest wins. */
#define RANK_ID       2
#define RANK_PAYLOAD  1

static int best_possible_rank(const pmtud_ip_t *q)
{
    return (q->has_id ? RANK_ID : 0) + (q->payload && q->payload_caplen ? RANK_PAYLOAD : 0);
}

/* The candidate carries the quote's identity: every tag and sequence
 * number the quote holds, exactly. */
static bool identity_agrees(const pmtud_ip_t *q, const pmtud_rec_t *r)
{
    if ((q->ident & PMTUD_IDENT_TAG) && (!(r->ident & PMTUD_IDENT_TAG) || r->tag != q->tag))
        return false;
    if ((q->ident & PMTUD_IDENT_SEQ) && (!(r->ident & PMTUD_IDENT_SEQ) || r->seq != q->seq))
        return false;
    return true;
}

static bool consider_candidate(const pmtud_rec_t *r, void *vctx)
{
    cand_ctx_t *c = vctx;
    const pmtud_ip_t *q = c->q;
    int rank = 0;

    /* A frame indexed at two layers of one flow (nested tunnels with the
     * same endpoints: consecutive records) is one candidate, not two. */
    if (r->frame >= c->icmp_frame || r->frame == c->last_frame)
        return true;
    c->last_frame = r->frame;
    if (q->proto == PMTUD_PROTO_TCP) {
        /* Zero-length segments (ACKs) never carry the quoted data. */
        if (!q->has_seq || r->payload_len == 0 || !pmtud_seq_inside(q->seq, r->seq, r->payload_len))
            return true;
    } else if (!identity_agrees(q, r)) {
        return true;
    }
    if (q->has_id && r->has_id && r->ip_id == q->ip_id)
        rank += RANK_ID;
    if (q->payload && q->payload_caplen && payload_agrees(q, r) == 1)
        rank += RANK_PAYLOAD;
    if (!c->best || rank > c->best_rank) {
        c->best = r;
        c->best_rank = rank;
        c->n_best = 0;
    }
    if (rank == c->best_rank) {
        if (c->n_best < PMTUD_MAX_CANDIDATES)
            c->best_frames[c->n_best] = r->frame;
        c->n_best++;
    }
    /* TCP/UDP: nothing older can beat a candidate that agrees on everything.
     * By identity, every equal candidate counts. */
    return c->by_identity || c->best_rank < c->best_possible;
}

/* The frame a quote without TCP/UDP ports was cut from, or NULL: when
 * several fit equally, or the quote ends before its sequence number, res
 * says so (ambiguous) and names the candidates. */
static const pmtud_rec_t *identity_match(const cand_ctx_t *c, pmtud_icmp_result_t *res)
{
    const pmtud_ip_t *q = c->q;
    bool exact = (q->ident & PMTUD_IDENT_SEQ) != 0;
    uint32_t i, k;

    if (!c->best)
        return NULL;
    /* Without a sequence number, the bytes decide: all that the quote holds. */
    if (!exact && c->best_rank < c->best_possible)
        return NULL;
    if (!c->cut && c->n_best == 1 && (exact || c->best_possible > 0))
        return c->best;
    res->verdicts |= PMTUD_V_AMBIGUOUS;
    res->ident_cut = c->cut;
    res->n_candidates = c->n_best;
    /* The walk met them latest first: name them in capture order. */
    k = c->n_best < PMTUD_MAX_CANDIDATES ? c->n_best : PMTUD_MAX_CANDIDATES;
    for (i = 0; i < k; i++)
        res->candidate[i] = c->best_frames[k - 1 - i];
    return NULL;
}

/* --- covered frames ---------------------------------------------------- */

typedef struct {
    uint32_t frame, seq, len;
} piece_t;

typedef struct {
    uint32_t start, len;   /* quoted TCP byte range */
    uint32_t icmp_frame;
    piece_t  taken[MAX_COVER_SCAN];
    uint32_t n;
    bool     more;         /* pieces beyond MAX_COVER_SCAN */
} cover_ctx_t;

static void add_covered(pmtud_icmp_result_t *res, uint32_t frame)
{
    uint32_t i;
    for (i = 0; i < res->n_covered; i++)
        if (res->covered[i] == frame)
            return;
    if (res->n_covered == PMTUD_MAX_COVERED) {
        res->covered_truncated = true;
        return;
    }
    res->covered[res->n_covered++] = frame;
}

/* Walking back from the ICMP, the first copy of each byte range met is the
 * latest transmission: the one the router actually received. */
static bool collect_covered(const pmtud_rec_t *r, void *vctx)
{
    cover_ctx_t *c = vctx;
    uint32_t i;

    if (r->frame >= c->icmp_frame || r->payload_len == 0)
        return true;
    /* Inside the quoted range, end included. */
    if (!pmtud_seq_range_within(r->seq, r->payload_len, c->start, c->len))
        return true;
    for (i = 0; i < c->n; i++)
        if (pmtud_seq_ranges_overlap(c->taken[i].seq, c->taken[i].len, r->seq, r->payload_len))
            return true;
    if (c->n == MAX_COVER_SCAN) {
        c->more = true;
        return false;
    }
    c->taken[c->n].frame = r->frame;
    c->taken[c->n].seq = r->seq;
    c->taken[c->n].len = r->payload_len;
    c->n++;
    return true;
}

static int cmp_piece(const void *x, const void *y)
{
    uint32_t a = ((const piece_t *)x)->frame, b = ((const piece_t *)y)->frame;
    return a < b ? -1 : a > b;
}

static void cover_tcp(pmtud_analyzer_t *a, const pmtud_flow_t *flow, const pmtud_ip_t *q,
                      const pmtud_rec_t *m, pmtud_icmp_result_t *res)
{
    cover_ctx_t *c = calloc(1, sizeof *c);
    uint32_t overhead = m->ip_len > m->payload_len ? m->ip_len - m->payload_len : 0;
    uint32_t i;

    if (!c) {
        add_covered(res, m->frame);
        return;
    }
    c->icmp_frame = res->icmp_frame;
    c->start = q->seq;
    if (q->l4_hdr_len && q->hdr_len)
        overhead = (uint32_t)q->hdr_len + q->l4_hdr_len;
    c->len = q->ip_len > overhead ? q->ip_len - overhead : 0;
    /* The matched frame is what the quote's header was cut from; it stands
     * for its byte range even where a later copy exists. */
    c->taken[0].frame = m->frame;
    c->taken[0].seq = m->seq;
    c->taken[0].len = m->payload_len;
    c->n = 1;
    pmtud_index_walk(a->ix, flow, MAX_WALK, collect_covered, c);
    /* Name the earliest frames; say when there are more. */
    qsort(c->taken, c->n, sizeof c->taken[0], cmp_piece);
    for (i = 0; i < c->n; i++)
        add_covered(res, c->taken[i].frame);
    if (c->more)
        res->covered_truncated = true;
    free(c);
}

typedef struct {
    uint64_t after;        /* serial of the matched datagram */
    uint32_t icmp_frame;
    const pmtud_rec_t *later[MAX_FOLLOWING];
    uint32_t n;
} follow_ctx_t;

static bool collect_following(const pmtud_rec_t *r, void *vctx)
{
    follow_ctx_t *c = vctx;
    if (r->serial <= c->after)
        return false;
    if (r->frame < c->icmp_frame) {
        if (c->n == MAX_FOLLOWING)
            memmove(c->later, c->later + 1, (MAX_FOLLOWING - 1) * sizeof c->later[0]);
        c->later[c->n < MAX_FOLLOWING ? c->n++ : MAX_FOLLOWING - 1] = r;
    }
    return true;
}

/* A merged UDP datagram covers the consecutive datagrams of the flow whose
 * payloads add up to the quoted UDP length; if they do not add up exactly,
 * only the matched datagram is named. */
static void cover_udp(pmtud_analyzer_t *a, const pmtud_flow_t *flow, const pmtud_ip_t *q,
                      const pmtud_rec_t *m, pmtud_icmp_result_t *res)
{
    follow_ctx_t c;
    uint32_t target, sum = m->payload_len, i;

    add_covered(res, m->frame);
    if (q->udp_len >= 8)
        target = q->udp_len - 8u;
    else if (q->ip_len > (uint32_t)q->hdr_len + 8u)
        target = q->ip_len - q->hdr_len - 8u;
    else
        return;
    if (target <= sum)
        return;
    memset(&c, 0, sizeof c);
    c.after = m->serial;
    c.icmp_frame = res->icmp_frame;
    pmtud_index_walk(a->ix, flow, MAX_WALK, collect_following, &c);
    /* c.later holds the datagrams from the latest back: walk it forwards. */
    for (i = c.n; i > 0 && sum < target; i--) {
        sum += c.later[i - 1]->payload_len;
        add_covered(res, c.later[i - 1]->frame);
    }
    if (sum != target) {
        res->n_covered = 1;
        res->covered_truncated = false;
    }
}

static int cmp_u32(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    return a < b ? -1 : a > b;
}

/* --- verdicts ---------------------------------------------------------- */

static void judge(pmtud_icmp_result_t *res)
{
    uint32_t v = 0;

    if (!res->quoted_frame) {
        if (!(res->verdicts & PMTUD_V_AMBIGUOUS))
            v |= PMTUD_V_NOT_CAPTURED;
        res->rejected_len = res->quoted_len;
    } else {
        if (res->quoted_len > res->wire_len)
            v |= PMTUD_V_OFFLOAD;
        else if (res->piece.found)
            v |= PMTUD_V_BEFORE_TSO;   /* smaller than the frame, and rightly so */
        else if (res->quoted_len < res->wire_len)
            v |= PMTUD_V_REWRITTEN;
        else if (res->peer_mss && res->payload_len > res->peer_mss)
            v |= PMTUD_V_OFFLOAD_MSS;
        /* A router that rewrote the quoted length still rejected the whole
         * wire packet: judge its MTU against that. */
        res->rejected_len = (v & PMTUD_V_REWRITTEN) ? res->wire_len : res->quoted_len;
    }
    /* MTU 0 is what routers older than RFC 1191 send: IPv4 only. */
    if (res->mtu == 0 && res->family == 4)
        v |= PMTUD_V_MTU_ZERO;
    else if (!pmtud_mtu_sane(res->mtu, res->family, res->has_quote, res->rejected_len))
        v |= PMTUD_V_BOGUS_MTU;
    if (res->quoted_frame && !(v & (PMTUD_V_OFFLOAD | PMTUD_V_OFFLOAD_MSS | PMTUD_V_BOGUS_MTU |
                                    PMTUD_V_MTU_ZERO)))
        v |= PMTUD_V_LEGITIMATE;
    res->verdicts |= v;
}

/* Is the quote one wire segment of the matched frame, cut after the
 * capture point (pmtud_piece.c)? */
static void find_piece(const pmtud_analyzer_t *a, const pmtud_frame_t *f,
                       const pmtud_rec_t *m, pmtud_icmp_result_t *res)
{
    pmtud_piece_evidence_t e;
    uint8_t source;

    e.quote = &f->quoted;
    /* What the ICMP's own IP length leaves for the quote (the captured
     * bytes may be fewer: snaplen). */
    e.quote_bytes = f->ip.ip_len > f->ip.hdr_len + 8u ? f->ip.ip_len - f->ip.hdr_len - 8u : 0;
    e.frame = m;
    e.peer_mss = res->peer_mss;
    e.link_mtu = pmtud_link_mtu(f, a->link_mtu, &source);
    pmtud_piece_of(&e, &res->piece);
}

static void analyze_icmp(pmtud_analyzer_t *a, const pmtud_frame_t *f, pmtud_icmp_result_t *res)
{
    const pmtud_ip_t *q = &f->quoted;
    pmtud_flow_t flow;
    cand_ctx_t c;
    const pmtud_rec_t *m;
    const pmtud_conv_t *conv;
    uint32_t hash;

    res->mtu = f->mtu;
    res->family = q->family ? q->family : f->ip.family;
    res->router_family = f->ip.family;
    memcpy(res->router, f->ip.src, sizeof res->router);
    pmtud_box_set(&res->router_box, f->ip.ttl, f->eth_src);
    memcpy(res->sender, q->src, sizeof res->sender);
    memcpy(res->receiver, q->dst, sizeof res->receiver);
    res->sport = q->has_ports ? q->sport : 0;
    res->dport = q->has_ports ? q->dport : 0;
    if (f->quote_short)
        res->verdicts |= PMTUD_V_QUOTE_SHORT;
    if (!q->family) {
        judge(res);
        return;
    }
    res->has_quote = true;
    res->proto = q->proto;
    res->quoted_len = q->ip_len;
    /* Without ports (or a TCP sequence number) a quote cannot be told apart
     * from the flow's other packets: better no link than a wrong one. */
    if ((q->proto == PMTUD_PROTO_TCP && !q->has_seq) || ((q->proto == PMTUD_PROTO_TCP || q->proto == PMTUD_PROTO_UDP) && !q->has_ports) ||
        q->later_fragment) {
        judge(res);
        return;
    }
    pmtud_flow_of_ip(q, &flow);
    memset(&c, 0, sizeof c);
    c.q = q;
    c.icmp_frame = res->icmp_frame;
    c.by_identity = q->proto != PMTUD_PROTO_TCP && q->proto != PMTUD_PROTO_UDP;
    c.best_possible = best_possible_rank(q);
    /* A quote ending with the IP header holds nothing past it to name a packet by. */
    c.cut = (q->ident & PMTUD_IDENT_CUT) || q->captured <= q->hdr_len;
    pmtud_index_walk(a->ix, &flow, MAX_WALK, consider_candidate, &c);
    m = c.by_identity ? identity_match(&c, res) : c.best;
    res->has_seq = q->has_seq;
    res->quoted_seq = q->seq;
    if (m) {
        res->quoted_frame = m->frame;
        res->quoted_ts_ns = m->ts_ns;
        res->wire_len = m->ip_len;
        res->payload_len = m->payload_len;
        pmtud_box_set(&res->sender_box, m->ttl, m->has_oui ? m->oui : NULL);
        res->excess = (int32_t)((int64_t)res->quoted_len - (int64_t)m->ip_len);
        hash = pmtud_flow_hash(&flow);
        conv = q->proto == PMTUD_PROTO_TCP ? pmtud_conv_find(a->convs, &flow, hash, false) : NULL;
        res->peer_mss = conv ? pmtud_conv_peer_mss(conv, hash) : 0;
        find_piece(a, f, m, res);
        if (res->quoted_len <= res->wire_len)
            add_covered(res, m->frame);
        else if (q->proto == PMTUD_PROTO_TCP)
            cover_tcp(a, &flow, q, m, res);
        else if (q->proto == PMTUD_PROTO_UDP)
            cover_udp(a, &flow, q, m, res);
        else
            add_covered(res, m->frame);
        qsort(res->covered, res->n_covered, sizeof res->covered[0], cmp_u32);
    }
    judge(res);
}

/* ICMP errors quote other packets and are never quoted themselves
 * (RFC 1122 3.2.2, RFC 4443 2.4): they are not indexed. */
static bool icmp_is_error(const pmtud_frame_t *f)
{
    if (f->ip.family == 6)
        return f->icmp_type < 128;
    switch (f->icmp_type) {
    case 3: case 4: case 5: case 11: case 12:
        return true;
    default:
        return false;
    }
}

/* An ICMP PTB: what it rejected, and the verdicts. */
static void feed_icmp(pmtud_analyzer_t *a, uint32_t frame, int64_t ts_ns,
                      const pmtud_frame_t *f, pmtud_fed_t *out)
{
    pmtud_icmp_result_t *res = &out->icmp;

    memset(res, 0, sizeof *res);
    res->icmp_frame = frame;
    res->icmp_ts_ns = ts_ns;
    analyze_icmp(a, f, res);
    pmtud_follow_icmp(a->follow, res);
    pmtud_result_flow(res, &out->flow);
    /* With ports, the quote names its flow: that flow's trouble is not silent. */
    if (f->quoted.family && f->quoted.has_ports && f->quoted.proto == PMTUD_PROTO_TCP) {
        uint32_t hash = pmtud_flow_hash(&out->flow);
        const pmtud_conv_t *conv = pmtud_conv_find(a->convs, &out->flow, hash, false);
        if (conv)
            pmtud_blackholes_icmp(a->blackholes, pmtud_conv_owner(conv, hash));
    }
    out->has = PMTUD_FED_FLOW | PMTUD_FED_ICMP;
}

/* A TCP packet's conversation and its flow's hash (the one asked last
 * gives both without hashing: a bulk flow's packets come in runs), after
 * noting the MSS the packet announces (a SYN's, when the wire holds the
 * packet: a length the wire does not hold is no packet pmtud vouches for). */
static pmtud_conv_t *conversation(pmtud_analyzer_t *a, const pmtud_ip_t *ip,
                                  const pmtud_flow_t *flow, uint32_t *hash, bool held)
{
    pmtud_conv_t *conv = pmtud_conv_last(a->convs, flow, hash);

    if (!conv) {
        *hash = pmtud_flow_hash(flow);
        conv = pmtud_conv_find(a->convs, flow, *hash, true);
    }
    if (ip->mss && held)
        pmtud_conv_set_own_mss(conv, *hash, ip->mss);
    return conv;
}

/* A tunnelled frame's outer packet: a router on the outer path quotes it. */
PMTUD_RARE static void index_outer(pmtud_analyzer_t *a, uint32_t frame, int64_t ts_ns,
                                   const pmtud_frame_t *f)
{
    pmtud_flow_t outer;

    pmtud_flow_of_ip(&f->outer, &outer);
    /* f->eth_src is the inner packet's; the outer one's is not kept. */
    index_packet(a, frame, ts_ns, &f->outer, NULL, &outer, pmtud_flow_hash(&outer));
}

/* ip without its segment length, in *copy. */
PMTUD_RARE static const pmtud_ip_t *lengthless(const pmtud_ip_t *ip, pmtud_ip_t *copy)
{
    *copy = *ip;
    copy->payload_len = 0;
    return copy;
}

/* A data frame: indexed (at each IP layer), judged, followed. */
static void feed_data(pmtud_analyzer_t *a, uint32_t frame, int64_t ts_ns,
                      const pmtud_frame_t *f, pmtud_fed_t *out)
{
    const pmtud_ip_t *ip = &f->ip;
    bool tcp = ip->proto == PMTUD_PROTO_TCP && ip->has_ports;
    bool held = pmtud_wire_holds(f, true);
    pmtud_conv_t *conv = NULL;
    pmtud_ip_t copy;
    uint32_t hash;
    uint16_t mss = 0;

    pmtud_flow_of_ip(ip, &out->flow);
    out->has = PMTUD_FED_FLOW;
    if (tcp) {
        conv = conversation(a, ip, &out->flow, &hash, held);
        /* The MSS the packet's receiver announced: its limit for data. */
        mss = ip->payload_len ? pmtud_conv_peer_mss(conv, hash) : 0;
    } else {
        hash = pmtud_flow_hash(&out->flow);
    }
    if (pmtud_judge_oversize(f, a->link_mtu, mss, &out->oversize)) {
        /* Who sent it: the packet judged, and the Ethernet header it travels
         * in (none for the inner packet of an IP tunnel). */
        pmtud_box_set(&out->oversize.box, ip->ttl, f->eth_src);
        out->has |= PMTUD_FED_OVERSIZE;
    }
    /* A tunnelled frame is indexed at both layers: a router inside the
     * tunnel quotes the inner packet, one on the outer path the outer one.
     * A layer whose header claims more than the wire holds is not indexed:
     * its length must never stand as "what crossed the wire". */
    if (f->tunnel_depth > 0 && pmtud_wire_holds(f, false))
        index_outer(a, frame, ts_ns, f);
    /* A TCP segment without data (an ACK, a SYN) is never quoted data nor
     * covers any: half of a bulk flow's frames need no record. */
    if (held && !(tcp && ip->has_seq && ip->payload_len == 0))
        index_packet(a, frame, ts_ns, ip, f->eth_src, &out->flow, hash);
    if (!conv)
        return;
    /* Its sequence and acknowledgment numbers are in the bytes; a segment
     * length the wire does not hold is not: no resend, no stuck segment
     * is counted from it. */
    if (!held)
        ip = lengthless(ip, &copy);
    if (pmtud_follow_watching(a->follow))
        pmtud_follow_packet(a->follow, frame, ts_ns, ip, &out->flow, pmtud_conversation_key(hash));
    if (pmtud_blackholes_packet(a->blackholes, frame, ts_ns, ip, mss, &out->flow,
                                pmtud_conv_owner(conv, hash), &out->blackhole))
        out->has |= PMTUD_FED_BLACKHOLE;
}

uint32_t pmtud_analyzer_feed(pmtud_analyzer_t *a, uint32_t frame, int64_t ts_ns,
                             const pmtud_frame_t *f, pmtud_fed_t *out)
{
    out->has = 0;
    if (!a || !f || !f->has_ip)
        return 0;
    if (ts_ns > a->last_ts_ns)
        a->last_ts_ns = ts_ns;
    /* Echo and other queries are data: a ping probe can be quoted. */
    if (!f->is_icmp || !icmp_is_error(f))
        feed_data(a, frame, ts_ns, f, out);
    else if (f->is_ptb)
        feed_icmp(a, frame, ts_ns, f, out);
    return out->has;
}
