/* pmtud_blackhole.c
 * One slot per flow in a fixed table, given round-robin to TCP conversations
 * as they begin (pmtud_conv.c names each direction; both directions of one
 * conversation side by side): a flow is forgotten once SLOTS / 2 newer
 * conversations began, and memory stays fixed whatever the capture. A slot
 * follows its flow two ways at once, for the capture may have been taken at
 * either end:
 *
 * The sender's view: the oldest unacknowledged segments (a flight), the
 * segment being resent at full size and how often, and the largest sizes
 * that got through: past the receiver's cumulative ACK, or inside one of
 * its SACK blocks (RFC 2018) - a small segment SACKed while the big one
 * before it is resent is the plainest proof of a black hole. Confirmed when
 * an ACK covers a smaller resend of the stuck data.
 *
 * The receiver's view: the highest byte seen and at most one hole, a run
 * of missing bytes with later data past it. A hole that the sender fills
 * from its first byte, at least PMTUD_BH_MIN_HOLE_NS later, with a segment
 * smaller than a full-size one that would have fitted the hole (and no
 * full-size segment ever arrived) is the black hole seen from there;
 * confirmed when the hole is filled. A hole filled at its own size is plain
 * loss, and one the receiver's ACK passes unseen was lost by the capture:
 * both are forgotten. Once a full-size segment arrives (every bulk flow,
 * every capture taken at the sender) the flow is not watched from there.
 *
 * Cost: every TCP packet looks up one slot by its owner (two for an ACK
 * with data), no flow comparison; the flight is a ring in send order, so
 * while it is in order an ACK drops a prefix and a new segment is no
 * resend without a scan: those two, nearly every packet of a flow that just
 * goes on, take an inline path that does what the general one would, and
 * the rest (a resend, a hole, a new slot, SACK) is out of line. The whole
 * flight is walked only when it is out of order; SACK blocks are read only
 * when the ACK leaves the oldest segment waiting (a SACK past an ACK that
 * covers it is missed: it only makes largest_through smaller), and compared
 * only with segments that could raise it. No allocation after start.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "pmtud_blackhole.h"

#include <stdlib.h>
#include <string.h>

/* Built with PMTUD_BH_WALK_ALL (tests/unit/test_blackhole_order.c, which
 * compiles this file a second time), no segment is ever taken as ordered:
 * every ACK walks the whole flight and a resend is looked for in all of it.
 * Those are the answers the shortcuts of the ordered prefix must give. */
#ifdef PMTUD_BH_WALK_ALL
#define ORDER_KNOWN 0
#else
#define ORDER_KNOWN 1
#endif

#define SLOTS   4096
#define RECENT  32      /* unacknowledged segments remembered per flow (a flight) */
#define SACKS   4       /* SACK blocks in one option (RFC 2018: at most 4) */

typedef struct {
    uint32_t seq, len, ip_len, frame;
    int64_t  ts_ns;
    bool     df;
    bool     resent;      /* an ACK past a resent segment proves nothing of its size */
} seg_t;

/* What the receiver has seen of the flow: the next byte it expects and the
 * first hole. */
typedef struct {
    bool     started;
    bool     full_seen;        /* a full-size segment arrived: nothing to watch */
    uint32_t high;             /* one past the highest byte seen */
    uint32_t largest_len, largest_payload;  /* largest frame that arrived */
    uint32_t hole_len;         /* 0: no hole open */
    uint32_t hole_next, hole_end;   /* first byte still missing, one past the hole */
    uint32_t hole_frame;
    int64_t  hole_ts_ns;
    bool     hole_df;          /* the frame past the hole had DF set */
    bool     suspect;          /* the first fill was late and small */
    bool     fill_df_cleared;
    int64_t  fill_ts_ns;
    uint32_t fills[PMTUD_BH_MAX_FRAMES];
    uint32_t n_fills;
} rcv_t;

typedef struct {
    uint64_t     owner;       /* pmtud_conv_owner() of the flow; 0: unused */
    bool         icmp_seen;
    pmtud_flow_t flow;
    /* The oldest unacknowledged segments, a ring in the order they were
     * first sent: the i-th is recent[(head + i) % RECENT]. */
    seg_t        recent[RECENT];
    uint32_t     head, n_recent;
    /* The first `ordered` segments are in order: each starts where the one
     * before it ends or later, all within half the sequence space of the
     * first (follows_in_order). An ACK then covers a prefix of them and a
     * resend lies between their first and last seq, so bulk TCP pays for
     * neither a scan nor a copy of the flight per packet; only the rest,
     * the tail (a resend of older data and what was sent after it, while
     * a sender recovers from loss), is walked. It only saves work: every
     * answer is the one a walk of the whole flight would give. */
    uint32_t     ordered;
    uint32_t     through_len, through_payload;
    /* the segment being resent */
    uint32_t     stuck_seq, stuck_payload, stuck_ip_len, tries;
    bool         stuck_df;
    int64_t      stuck_ts_ns;     /* its first transmission */
    uint32_t     frames[PMTUD_BH_MAX_FRAMES];
    uint32_t     n_frames;
    uint32_t     fallback_frame;
    int64_t      fallback_ts_ns;
    bool         fallback_df;
    rcv_t        rcv;
} slot_t;

struct pmtud_blackholes {
    slot_t slot[SLOTS];
};

pmtud_blackholes_t *pmtud_blackholes_new(void)
{
    return calloc(1, sizeof(pmtud_blackholes_t));
}

void pmtud_blackholes_free(pmtud_blackholes_t *bh)
{
    free(bh);
}

/* The flow's slot, or NULL (slots by owner: see the top). */
static inline slot_t *slot_of(pmtud_blackholes_t *bh, uint64_t owner)
{
    slot_t *s = &bh->slot[owner % SLOTS];
    return s->owner == owner ? s : NULL;
}

/* The flow's slot, taken over from whatever flow had it. */
PMTUD_RARE static slot_t *take_slot(pmtud_blackholes_t *bh, const pmtud_flow_t *flow, uint64_t owner)
{
    slot_t *s = &bh->slot[owner % SLOTS];

    memset(s, 0, sizeof *s);
    s->owner = owner;
    s->flow = *flow;
    return s;
}

/* The i-th oldest unacknowledged segment. */
static inline seg_t *recent_at(slot_t *s, uint32_t i)
{
    return &s->recent[(s->head + i) % RECENT];
}

/* A confirmed black hole in s's flow, either view: frames (PMTUD_BH_MAX_FRAMES
 * of them, n_frames used) carried the data that crossed. The caller adds
 * what its view measured. */
static void report(pmtud_blackhole_t *out, const slot_t *s, const uint32_t *frames,
                   uint32_t n_frames)
{
    memset(out, 0, sizeof *out);
    out->flow = s->flow;
    memcpy(out->frames, frames, sizeof out->frames);
    out->n_frames = n_frames;
}

/* --- the sender's view --------------------------------------------------- */

static bool sacked(const seg_t *g, const pmtud_sack_block_t *blocks, unsigned n)
{
    unsigned i;
    for (i = 0; i < n; i++)
        if (pmtud_seq_range_within(g->seq, g->len, blocks[i].left,
                                   blocks[i].right - blocks[i].left))
            return true;
    return false;
}

static void got_through(slot_t *s, const seg_t *g)
{
    if (!g->resent && g->ip_len > s->through_len) {
        s->through_len = g->ip_len;
        s->through_payload = g->len;
    }
}

/* A segment inside one of the SACK blocks got through. One that cannot
 * raise through_len is not compared with the blocks (got_through() would
 * ignore it): in a flow of equal segments, none after the first ACK.
 * Inlined into both walks: the rare paths calling it are compiled for
 * size, and a call per segment walked costs more than the test. */
static PMTUD_PER_FRAME void got_through_if_sacked(slot_t *s, const seg_t *g,
                                                  const pmtud_sack_block_t *blocks,
                                                  unsigned n_blocks)
{
    if (n_blocks && !g->resent && g->ip_len > s->through_len && sacked(g, blocks, n_blocks))
        got_through(s, g);
}

/* Whether g may follow last (the newest kept) in an ordered ring whose
 * oldest segment starts at first_seq: see ordered. */
static bool follows_in_order(const seg_t *last, uint32_t first_seq, uint32_t seq, uint32_t len)
{
    return pmtud_seq_le(last->seq + last->len, seq) && (uint32_t)(seq + len - first_seq) < 0x80000000u;
}

/* Drops the acknowledged segments at the front of the ordered prefix (an
 * ACK at or past the oldest segment's start covers a prefix of it). */
static inline void drop_acked_prefix(slot_t *s, uint32_t ack)
{
    while (s->ordered && pmtud_seq_le(recent_at(s, 0)->seq + recent_at(s, 0)->len, ack)) {
        got_through(s, recent_at(s, 0));
        s->head = (s->head + 1) % RECENT;
        s->n_recent--;
        s->ordered--;
    }
}

/* Lengthens the ordered prefix over the tail as far as the tail follows
 * it in order. */
static void extend_order(slot_t *s)
{
    while (ORDER_KNOWN && s->ordered < s->n_recent &&
           (s->ordered == 0 ||
            follows_in_order(recent_at(s, s->ordered - 1), recent_at(s, 0)->seq,
                             recent_at(s, s->ordered)->seq, recent_at(s, s->ordered)->len)))
        s->ordered++;
}

/* The segments from position `from` on, in ring order: what lies below ack
 * is forgotten, what lies in a SACK block stays (the sender may still
 * resend it) but got through. */
static void ack_from(slot_t *s, uint32_t from, uint32_t ack, const pmtud_sack_block_t *blocks,
                     unsigned n_blocks)
{
    uint32_t i, k = from;

    for (i = from; i < s->n_recent; i++) {
        seg_t *g = recent_at(s, i);
        if (pmtud_seq_le(g->seq + g->len, ack)) {
            got_through(s, g);
            continue;
        }
        got_through_if_sacked(s, g, blocks, n_blocks);
        if (k != i)
            *recent_at(s, k) = *g;
        k++;
    }
    s->n_recent = k;
}

/* The SACKed segments of the ordered prefix got through. */
static void sacked_in_order(slot_t *s, const pmtud_sack_block_t *blocks, unsigned n_blocks)
{
    uint32_t i;

    for (i = 0; i < s->ordered; i++)
        got_through_if_sacked(s, recent_at(s, i), blocks, n_blocks);
}

/* The receiver acknowledged up to ack and holds the SACKed blocks. An ACK
 * at or past the oldest segment's start covers a prefix of the ordered
 * segments and no other of them: they are dropped from the front. An ACK
 * before the flight (a sender resending older data, new data already in
 * the ring) covers none of them, as long as the distance to it and their
 * span stay within half the sequence space. Then only the tail is walked;
 * otherwise every segment is, and the order found again. Both forget the
 * same and count the same segments as got through, in ring order. */
static void on_ack(slot_t *s, uint32_t ack, const pmtud_sack_block_t *blocks, unsigned n_blocks)
{
    bool prefix_known = false;

    if (s->ordered) {
        const seg_t *first = recent_at(s, 0), *last = recent_at(s, s->ordered - 1);
        uint32_t span = last->seq + last->len - first->seq;

        if ((uint32_t)(ack - first->seq) < 0x80000000u) {
            drop_acked_prefix(s, ack);
            prefix_known = true;
        } else {
            prefix_known = (uint64_t)(uint32_t)(first->seq - ack) + span <= 0x80000000u;
        }
    }
    if (prefix_known) {
        if (n_blocks)
            sacked_in_order(s, blocks, n_blocks);
        if (s->n_recent > s->ordered) {
            ack_from(s, s->ordered, ack, blocks, n_blocks);
            extend_order(s);
        }
    } else if (s->n_recent) {
        ack_from(s, 0, ack, blocks, n_blocks);
        s->ordered = 0;
        extend_order(s);
    }
    /* The stuck segment was acknowledged at full size: plain loss, not a
     * black hole. */
    if (s->tries && pmtud_seq_le(s->stuck_seq + s->stuck_payload, ack) && !s->fallback_frame) {
        s->tries = 0;
        s->n_frames = 0;
    }
}

/* The first segment, in ring order, with this seq and length. */
static seg_t *find_recent(slot_t *s, uint32_t seq, uint32_t len)
{
    uint32_t i = 0;

    /* In the ordered prefix a resend's seq lies between the first and the
     * last: outside that span only the tail is looked at. */
    if (s->ordered && (uint32_t)(seq - recent_at(s, 0)->seq) >
                          (uint32_t)(recent_at(s, s->ordered - 1)->seq - recent_at(s, 0)->seq))
        i = s->ordered;
    for (; i < s->n_recent; i++) {
        seg_t *g = recent_at(s, i);
        if (g->seq == seq && g->len == len)
            return g;
    }
    return NULL;
}

/* Whether a segment continues the flight in order: every segment kept is in
 * the ordered prefix, and this one follows the newest. */
static inline bool continues_order(slot_t *s, uint32_t seq, uint32_t len)
{
    return ORDER_KNOWN && s->ordered == s->n_recent &&
           (s->n_recent == 0 ||
            follows_in_order(recent_at(s, s->n_recent - 1), recent_at(s, 0)->seq, seq, len));
}

/* Appends a segment to the flight, which has room for it. */
static inline void store(slot_t *s, const pmtud_ip_t *ip, uint32_t frame, int64_t ts_ns)
{
    seg_t *g = recent_at(s, s->n_recent++);

    g->seq = ip->seq;
    g->len = ip->payload_len;
    g->ip_len = ip->ip_len;
    g->frame = frame;
    g->ts_ns = ts_ns;
    g->df = ip->df;
    g->resent = false;
}

static void remember(slot_t *s, const pmtud_ip_t *ip, uint32_t frame, int64_t ts_ns)
{
    /* Keep the oldest: the first segment of a flight is the one a black
     * hole swallows first and the one resent first. */
    if (s->n_recent == RECENT)
        return;
    if (continues_order(s, ip->seq, ip->payload_len))
        s->ordered++;
    store(s, ip, frame, ts_ns);
}

/* An ACK from the receiver: does it confirm the sender's fallback? */
PMTUD_RARE static bool sender_confirmed(slot_t *s, const pmtud_ip_t *ack_ip, pmtud_blackhole_t *out)
{
    pmtud_sack_block_t blocks[SACKS];
    unsigned n_blocks = 0;

    /* SACK blocks are read only from an ACK that leaves the oldest segment
     * waiting (a hole at the receiver): in a flow that just goes on, ACKs
     * cover it and their options (timestamps) are never walked. */
    if (s->n_recent && ack_ip->l4_hdr_len > 20 &&
        !pmtud_seq_le(recent_at(s, 0)->seq + recent_at(s, 0)->len, ack_ip->ack))
        n_blocks = pmtud_tcp_sack_blocks(ack_ip, blocks, SACKS);
    on_ack(s, ack_ip->ack, blocks, n_blocks);
    /* The smaller resend got through: the full size never did. */
    if (!s->fallback_frame || s->tries < PMTUD_BH_MIN_TRIES || s->icmp_seen ||
        !pmtud_seq_le(s->stuck_seq + 1, ack_ip->ack))
        return false;
    report(out, s, s->frames, s->n_frames);
    out->tries = s->tries;
    out->stuck_len = s->stuck_ip_len;
    out->through_len = s->through_len;
    out->through_payload = s->through_payload;
    out->fallback_frame = s->fallback_frame;
    out->df_cleared = s->stuck_df && !s->fallback_df;
    out->start_ts_ns = s->stuck_ts_ns;
    out->end_ts_ns = s->fallback_ts_ns;
    s->tries = 0;
    s->n_frames = 0;
    s->fallback_frame = 0;
    return true;
}

/* A data segment from the sender: a first transmission, a resend of the
 * stuck segment at full size, or its smaller fallback. */
PMTUD_RARE static void sender_segment(slot_t *s, const pmtud_ip_t *ip, uint32_t frame, int64_t ts_ns)
{
    seg_t *orig;

    if (s->tries && ip->seq == s->stuck_seq) {
        if (ip->payload_len == s->stuck_payload) {
            s->tries++;
            if (s->n_frames < PMTUD_BH_MAX_FRAMES)
                s->frames[s->n_frames++] = frame;
        } else if (ip->payload_len < s->stuck_payload && s->tries >= PMTUD_BH_MIN_TRIES &&
                   !s->fallback_frame) {
            s->fallback_frame = frame;   /* the sender gave up on the full size */
            s->fallback_ts_ns = ts_ns;
            s->fallback_df = ip->df;
            remember(s, ip, frame, ts_ns);
        }
        return;
    }
    /* A resend of a segment still unacknowledged: it may be stuck. */
    if (!s->fallback_frame && (orig = find_recent(s, ip->seq, ip->payload_len)) != NULL) {
        orig->resent = true;
        s->stuck_seq = orig->seq;
        s->stuck_payload = orig->len;
        s->stuck_ip_len = orig->ip_len;
        s->stuck_df = orig->df;
        s->stuck_ts_ns = orig->ts_ns;
        s->tries = 2;
        s->frames[0] = orig->frame;
        s->frames[1] = frame;
        s->n_frames = 2;
        return;
    }
    remember(s, ip, frame, ts_ns);
}

/* --- the receiver's view ------------------------------------------------- */

/* The payload of a full-size segment like this one: the MSS the receiver
 * announced (else Ethernet's) less this segment's TCP options (Linux's
 * timestamps make its full-size segments 1448 bytes, not 1460). */
static uint32_t full_size(const pmtud_ip_t *ip, uint32_t peer_mss)
{
    uint32_t mss = peer_mss ? peer_mss : ip->family == 6 ? 1440 : 1460;
    uint32_t opts = ip->l4_hdr_len > 20 ? ip->l4_hdr_len - 20u : 0;

    return mss > opts ? mss - opts : 0;
}

/* The first segment into an open hole: late, and smaller than a full-size
 * segment that fits the hole? (No full-size segment ever arrived, or the
 * receiver's view would be off.) */
static bool fill_is_fallback(const rcv_t *r, const pmtud_ip_t *ip, int64_t ts_ns, uint32_t full)
{
    return ts_ns - r->hole_ts_ns >= PMTUD_BH_MIN_HOLE_NS && r->hole_len >= full &&
           ip->payload_len < full;
}

/* A data segment as the receiver sees it; true when it closes a hole
 * filled the black-hole way. */
PMTUD_RARE static bool receiver_segment(slot_t *s, const pmtud_ip_t *ip, uint32_t frame, int64_t ts_ns,
                             uint32_t peer_mss, pmtud_blackhole_t *out)
{
    rcv_t *r = &s->rcv;
    uint32_t end = ip->seq + ip->payload_len, full;
    bool closed = false;

    /* A flow whose full-size segments arrive (any bulk flow, and any
     * capture at the sender) has no black hole seen from here: one test a
     * segment from then on. */
    if (r->full_seen)
        return false;
    full = full_size(ip, peer_mss);
    if (ip->payload_len >= full) {
        r->full_seen = true;
        return false;
    }
    if (!r->started) {
        r->started = true;
        r->high = ip->seq;
    }
    if (r->hole_len && ip->seq == r->hole_next) {
        if (!r->suspect && fill_is_fallback(r, ip, ts_ns, full)) {
            r->suspect = true;
            r->fill_ts_ns = ts_ns;
            r->fill_df_cleared = r->hole_df && !ip->df;
        }
        if (!r->suspect) {
            r->hole_len = 0;              /* resent at full size: plain loss */
        } else {
            if (r->n_fills < PMTUD_BH_MAX_FRAMES)
                r->fills[r->n_fills++] = frame;
            r->hole_next = end;
            closed = pmtud_seq_le(r->hole_end, end);
        }
    } else if (!r->hole_len && pmtud_seq_lt(r->high, ip->seq)) {
        /* Data past the next byte expected: the bytes between are missing. */
        r->hole_len = ip->seq - r->high;
        r->hole_next = r->high;
        r->hole_end = ip->seq;
        r->hole_frame = frame;
        r->hole_ts_ns = ts_ns;
        r->hole_df = ip->df;
        r->suspect = false;
        r->n_fills = 0;
    }
    if (pmtud_seq_lt(r->high, end))
        r->high = end;
    if (ip->ip_len > r->largest_len) {
        r->largest_len = ip->ip_len;
        r->largest_payload = ip->payload_len;
    }
    if (!closed)
        return false;
    report(out, s, r->fills, r->n_fills);
    out->receiver_view = true;
    out->stuck_len = r->hole_len;
    out->through_len = r->largest_len;
    out->through_payload = r->largest_payload;
    out->hole_frame = r->hole_frame;
    out->df_cleared = r->fill_df_cleared;
    out->start_ts_ns = r->hole_ts_ns;
    out->end_ts_ns = r->fill_ts_ns;
    r->hole_len = 0;
    return !s->icmp_seen;
}

/* The receiver acknowledged past the first missing byte of a hole nobody
 * was seen to fill: the capture lost those frames, not the path. */
static void receiver_ack(rcv_t *r, uint32_t ack)
{
    if (r->hole_len && pmtud_seq_lt(r->hole_next, ack))
        r->hole_len = 0;
}

/* An ACK that can confirm nothing and needs no walk: the flow is in
 * order, no segment is being resent, no hole is open at the receiver, and
 * the ACK covers the oldest segment (a prefix is dropped) or leaves it
 * waiting without options to read. Does what sender_confirmed() and
 * receiver_ack() would, and returns true; false: nothing done, the
 * general path decides. Nearly every ACK of a flow that just goes on. */
static inline bool ack_in_order(slot_t *s, const pmtud_ip_t *ack_ip)
{
    uint32_t ack = ack_ip->ack;

    if (s->tries || s->fallback_frame || s->ordered != s->n_recent || s->rcv.hole_len)
        return false;
    if (s->n_recent) {
        seg_t *g = recent_at(s, 0);
        if ((uint32_t)(ack - g->seq) >= 0x80000000u)
            return false;                        /* before the flight: on_ack walks it */
        if (!pmtud_seq_le(g->seq + g->len, ack))
            return ack_ip->l4_hdr_len <= 20;     /* options: SACK blocks may be there */
        drop_acked_prefix(s, ack);
    }
    return true;
}

/* A data segment that continues an ordered flight while nothing is being
 * resent: no resend, kept at the end if there is room (what
 * sender_segment() would do). */
static inline bool segment_in_order(slot_t *s, const pmtud_ip_t *ip, uint32_t frame,
                                    int64_t ts_ns)
{
    if (s->tries || s->fallback_frame || !continues_order(s, ip->seq, ip->payload_len))
        return false;
    if (s->n_recent < RECENT) {  /* a full flight keeps its oldest (remember()) */
        store(s, ip, frame, ts_ns);
        s->ordered++;
    }
    return true;
}

bool pmtud_blackholes_packet(pmtud_blackholes_t *bh, uint32_t frame, int64_t ts_ns,
                             const pmtud_ip_t *ip, uint32_t peer_mss,
                             const pmtud_flow_t *flow, uint64_t owner,
                             pmtud_blackhole_t *out)
{
    slot_t *s;

    if (!bh || !ip->has_seq)    /* the caller's packets are TCP with ports */
        return false;
    if (ip->has_ack && (ip->tcp_flags & PMTUD_TCP_ACK) &&
        (s = slot_of(bh, owner ^ 1u)) != NULL && !ack_in_order(s, ip)) {
        receiver_ack(&s->rcv, ip->ack);
        if (sender_confirmed(s, ip, out))
            return true;
    }
    if (ip->payload_len == 0)
        return false;
    if ((s = slot_of(bh, owner)) == NULL)
        s = take_slot(bh, flow, owner);
    if (!segment_in_order(s, ip, frame, ts_ns))
        sender_segment(s, ip, frame, ts_ns);
    if (s->rcv.full_seen)
        return false;
    return receiver_segment(s, ip, frame, ts_ns, peer_mss, out);
}

void pmtud_blackholes_icmp(pmtud_blackholes_t *bh, uint64_t owner)
{
    slot_t *s;
    if (bh && owner && (s = slot_of(bh, owner)) != NULL)
        s->icmp_seen = true;
}
