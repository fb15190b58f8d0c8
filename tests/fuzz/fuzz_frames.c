/* fuzz_frames.c
 * libFuzzer target: a sequence of frames through pmtud_parse_frame and
 * pmtud_analyzer_feed (with the oversize and black hole judgements and the
 * following of the sender), and every result through every message
 * function.
 *
 * Input: records of a 5-byte header and the frame bytes
 *   caplen   2 bytes, big-endian (cut to what is left of the input)
 *   wire_len 2 bytes, big-endian; 0 means "same as caplen"
 *   link     1 byte: low nibble = link code (see LINKS), high nibble = how
 *            often the frame is fed again (n * 96 more times), so that a
 *            short input can push the 1024-record index round its ring
 * Link code 15 is no frame: its wire_len sets the link MTU preference.
 * Every frame is copied into a heap block of exactly caplen bytes: ASan
 * then catches a read past the captured bytes even mid-input, where the
 * next record would otherwise be readable.
 *
 * The checks below abort on results the analyzer promises never to give,
 * so logic errors surface as crashes too, not only memory errors. Beyond
 * the shape of each result, every claim must follow from the bytes fed
 * (issue 12): an oversize frame's wire length holds the length reported;
 * an offload verdict's quoted length exceeds the matched frame's, whose
 * own length its wire holds; every frame a result links to (quoted,
 * covered, retransmission, black hole) carries the quoted flow in a layer
 * the wire holds, and the quoted and covered ones precede the ICMP. What
 * each frame was is kept per input record (a record fed n times is the
 * same bytes n times), so any frame number can be looked up. And the
 * parser's short path for the common frame must fill every field exactly
 * as its general path does (frame_same.h, as unit_parse_fast checks on
 * the test captures).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pmtud_analyze.h"
#include "pmtud_messages.h"
#include "pmtud_parse.h"
#include "../unit/frame_same.h"

#define HDR 5
#define REPEAT_STEP 96
#define LINK_CONTROL 15
#define MAX_KEPT 300    /* results followed per input: over the 256 followed at once */

/* Link codes of the input format; the seed extractors write the same. */
static const pmtud_link_t LINKS[16] = {
    PMTUD_LINK_UNKNOWN, PMTUD_LINK_ETHERNET, PMTUD_LINK_RAW_IP, PMTUD_LINK_SLL,
    PMTUD_LINK_SLL2, PMTUD_LINK_NULL, PMTUD_LINK_NFLOG, PMTUD_LINK_PPP, PMTUD_LINK_CHDLC,
    /* 9..14: unknown link types must be refused cleanly */
};

typedef void (*msg_fn)(char *buf, size_t n, const pmtud_icmp_result_t *res);

static const msg_fn MSGS[] = {
    pmtud_verdict_text, pmtud_msg_offload, pmtud_msg_bogus_mtu, pmtud_msg_mtu_zero,
    pmtud_msg_not_captured, pmtud_msg_ambiguous, pmtud_msg_rewritten, pmtud_msg_quote_short,
    pmtud_msg_legitimate, pmtud_msg_before_tso, pmtud_msg_rejected, pmtud_msg_reaction,
};

#define REQUIRE(cond) do { if (!(cond)) __builtin_trap(); } while (0)

/* One IP layer of a fed frame: its flow, its claimed IP length, whether
 * the frame's wire length holds that length. */
typedef struct {
    bool         present;
    bool         held;
    pmtud_flow_t flow;
    uint32_t     ip_len, hdr_len;
} layer_t;

/* What frames first..last (the same input record fed again) were. */
typedef struct {
    uint32_t first, last;
    layer_t  outer, inner;   /* inner: the innermost packet; outer alone without a tunnel */
} fed_t;

static fed_t  *fed;
static size_t  n_fed, cap_fed;

/* The property, stated on its own: the outer IP packet fits in the wire
 * bytes after the link header, an inner one in the wire bytes from where it
 * starts. */
static void remember_frame(uint32_t first, uint32_t times, const pmtud_frame_t *f,
                           bool ok, uint32_t wire)
{
    fed_t *e;
    bool outer_fits;

    if (n_fed == cap_fed) {
        size_t n = cap_fed ? cap_fed * 2 : 64;
        fed_t *grown = realloc(fed, n * sizeof *fed);
        REQUIRE(grown != NULL);
        fed = grown;
        cap_fed = n;
    }
    e = &fed[n_fed++];
    memset(e, 0, sizeof *e);
    e->first = first;
    e->last = first + times - 1;
    if (!ok)
        return;
    /* The parser may only shorten the wire (NFLOG: to its payload TLV). */
    REQUIRE(f->wire_len <= wire);
    outer_fits = (uint64_t)f->link_hdr_len + pmtud_frame_outer(f)->ip_len <= f->wire_len;
    e->outer.present = true;
    e->outer.held = outer_fits;
    pmtud_flow_of_ip(pmtud_frame_outer(f), &e->outer.flow);
    e->outer.ip_len = pmtud_frame_outer(f)->ip_len;
    e->outer.hdr_len = pmtud_frame_outer(f)->hdr_len;
    e->inner = e->outer;
    if (f->tunnel_depth > 0) {
        pmtud_flow_of_ip(&f->ip, &e->inner.flow);
        e->inner.ip_len = f->ip.ip_len;
        e->inner.hdr_len = f->ip.hdr_len;
        e->inner.held = outer_fits && (uint64_t)f->inner_off + f->ip.ip_len <= f->wire_len;
    }
}

static const fed_t *fed_frame(uint32_t frame)
{
    size_t lo = 0, hi = n_fed;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (fed[mid].last < frame)
            lo = mid + 1;
        else
            hi = mid;
    }
    REQUIRE(lo < n_fed && fed[lo].first <= frame && frame <= fed[lo].last);
    return &fed[lo];
}

/* The layer of frame that carries flow, held by its wire; NULL when none
 * does: a link to that frame would cross flows or rest on a lying length. */
static const layer_t *held_layer(uint32_t frame, const pmtud_flow_t *flow)
{
    const fed_t *e = fed_frame(frame);
    if (e->inner.present && e->inner.held && pmtud_flow_equal(&e->inner.flow, flow))
        return &e->inner;
    if (e->outer.present && e->outer.held && pmtud_flow_equal(&e->outer.flow, flow))
        return &e->outer;
    return NULL;
}

/* Every frame a result names carries the quoted flow, held by its wire. */
static void check_links(const pmtud_icmp_result_t *r)
{
    pmtud_flow_t flow;
    const layer_t *m;
    uint32_t i;

    if (!r->quoted_frame)
        return;
    pmtud_result_flow(r, &flow);
    m = held_layer(r->quoted_frame, &flow);
    REQUIRE(m != NULL);
    REQUIRE(m->ip_len == r->wire_len);
    REQUIRE(!(r->verdicts & PMTUD_V_OFFLOAD) || r->quoted_len > r->wire_len);
    REQUIRE(!(r->verdicts & PMTUD_V_REWRITTEN) || r->quoted_len < r->wire_len);
    REQUIRE(!(r->verdicts & PMTUD_V_OFFLOAD_MSS) ||
            (r->peer_mss && r->payload_len > r->peer_mss &&
             r->payload_len + m->hdr_len <= m->ip_len));
    for (i = 0; i < r->n_covered; i++)
        REQUIRE(held_layer(r->covered[i], &flow) != NULL);
    if (r->retransmit_frame) {
        m = held_layer(r->retransmit_frame, &flow);
        REQUIRE(r->retransmit_frame > r->icmp_frame && m != NULL);
        REQUIRE(m->ip_len == r->retransmit_len);
    }
    if (r->through_frame)
        REQUIRE(r->through_frame > r->icmp_frame && held_layer(r->through_frame, &flow));
}

/* An oversize claim reports a length the frame's wire holds. */
static void check_oversize_held(const pmtud_frame_t *f, uint32_t frame, const pmtud_oversize_t *o)
{
    const fed_t *e = fed_frame(frame);
    /* The inner packet is judged in a tunnel, and a length-0 packet where
     * it is (the parser took its length from the wire). */
    const layer_t *l = f->tunnel_depth > 0 && (!o->len_zero || f->ip.len_zero) ? &e->inner
                                                                               : &e->outer;

    REQUIRE(l->present && l->held);
    if (o->by_mss)
        REQUIRE(o->len + l->hdr_len <= l->ip_len);
    else
        REQUIRE(o->len == l->ip_len);
}

/* A black hole's transmissions are one flow's, with lengths the wire holds. */
static void check_blackhole_held(const pmtud_blackhole_t *bh)
{
    const fed_t *e = fed_frame(bh->frames[0]);
    uint32_t i;

    REQUIRE(bh->n_frames > 0 && e->inner.present && e->inner.held);
    REQUIRE(e->inner.ip_len == bh->stuck_len);
    for (i = 1; i < bh->n_frames; i++)
        REQUIRE(held_layer(bh->frames[i], &e->inner.flow) != NULL);
    if (bh->fallback_frame)
        REQUIRE(held_layer(bh->fallback_frame, &e->inner.flow) != NULL);
}

/* What every result must satisfy, whatever the input. */
static void check_result(const pmtud_icmp_result_t *r, uint32_t frame)
{
    uint32_t i;

    REQUIRE(r->icmp_frame == frame);
    REQUIRE(r->verdicts != 0);
    REQUIRE(r->n_covered <= PMTUD_MAX_COVERED);
    REQUIRE((r->quoted_frame != 0) == (r->n_covered != 0));
    REQUIRE(r->quoted_frame < frame);
    /* Unlinked: either nothing fits (not captured) or several do (ambiguous). */
    REQUIRE(!(r->verdicts & (PMTUD_V_NOT_CAPTURED | PMTUD_V_AMBIGUOUS)) == (r->quoted_frame != 0));
    REQUIRE((r->verdicts & (PMTUD_V_NOT_CAPTURED | PMTUD_V_AMBIGUOUS)) !=
            (PMTUD_V_NOT_CAPTURED | PMTUD_V_AMBIGUOUS));
    REQUIRE(!(r->verdicts & PMTUD_V_AMBIGUOUS) == (r->n_candidates == 0));
    /* A wire segment of a frame captured before TSO is smaller than the
     * frame and lies inside it; it is never also a rewrite. */
    if (r->verdicts & PMTUD_V_BEFORE_TSO) {
        REQUIRE(r->piece.found && r->quoted_len < r->wire_len);
        REQUIRE(r->piece.len > 0 && r->piece.offset + r->piece.len <= r->payload_len);
        REQUIRE(!(r->verdicts & PMTUD_V_REWRITTEN) && r->rejected_len == r->quoted_len);
    }
    for (i = 0; i < r->n_covered; i++) {
        REQUIRE(r->covered[i] != 0 && r->covered[i] < frame);
        REQUIRE(i == 0 || r->covered[i - 1] < r->covered[i]);
    }
    for (i = 0; i < r->n_candidates && i < PMTUD_MAX_CANDIDATES; i++) {
        REQUIRE(r->candidate[i] != 0 && r->candidate[i] < frame);
        REQUIRE(i == 0 || r->candidate[i - 1] < r->candidate[i]);
    }
}

/* A NUL within the first n bytes: the sentence ended inside the buffer. */
static void require_terminated(const char *buf, size_t n)
{
    REQUIRE(n == 0 || memchr(buf, 0, n) != NULL);
}

/* Each sentence into a full buffer and into an exactly-sized small one. */
static void say_everything(const pmtud_icmp_result_t *r, size_t small)
{
    char buf[PMTUD_MSG_MAX];
    char *tiny = malloc(small ? small : 1);
    size_t i;

    for (i = 0; i < sizeof MSGS / sizeof MSGS[0]; i++) {
        MSGS[i](buf, sizeof buf, r);
        require_terminated(buf, sizeof buf);
        if (tiny) {
            MSGS[i](tiny, small, r);
            require_terminated(tiny, small);
        }
    }
    free(tiny);
}

static void say_oversize(uint32_t frame, const pmtud_oversize_t *o, size_t small)
{
    char buf[PMTUD_MSG_MAX];
    char *tiny = malloc(small ? small : 1);

    REQUIRE(o->len_zero || o->len > o->limit);
    REQUIRE(pmtud_limit_name(o->source) != NULL);
    pmtud_msg_oversize(buf, sizeof buf, frame, o, frame % 3 ? 0 : frame + 1);
    require_terminated(buf, sizeof buf);
    if (tiny) {
        pmtud_msg_oversize(tiny, small, frame, o, frame);
        require_terminated(tiny, small);
    }
    free(tiny);
}

static void say_blackhole(const pmtud_blackhole_t *bh, size_t small)
{
    char buf[PMTUD_MSG_MAX];
    char *tiny = malloc(small ? small : 1);

    REQUIRE(bh->n_frames <= PMTUD_BH_MAX_FRAMES);
    REQUIRE(bh->tries >= PMTUD_BH_MIN_TRIES);
    pmtud_msg_blackhole(buf, sizeof buf, bh);
    require_terminated(buf, sizeof buf);
    if (tiny) {
        pmtud_msg_blackhole(tiny, small, bh);
        require_terminated(tiny, small);
    }
    free(tiny);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* Smallest window: the index is 1024 records, reached by repeats. */
    pmtud_analyzer_t *a = pmtud_analyzer_new(1);
    /* Followed results must outlive the analyzer's use of them. */
    pmtud_icmp_result_t *kept = calloc(MAX_KEPT, sizeof *kept);
    uint32_t frame = 0, n_kept = 0, k;
    size_t pos = 0;

    if (!a || !kept)
        goto out;
    while (pos + HDR <= size) {
        size_t caplen = (size_t)data[pos] << 8 | data[pos + 1];
        uint32_t wire = (uint32_t)data[pos + 2] << 8 | data[pos + 3];
        uint8_t code = data[pos + 4] & 0x0f;
        uint32_t times = 1 + (uint32_t)(data[pos + 4] >> 4) * REPEAT_STEP;
        uint8_t *copy;
        uint32_t t;

        pos += HDR;
        if (code == LINK_CONTROL) {
            pmtud_analyzer_set_link_mtu(a, wire);
            continue;
        }
        if (caplen > size - pos)
            caplen = size - pos;
        if (wire == 0)
            wire = (uint32_t)caplen;
        copy = malloc(caplen ? caplen : 1);
        if (!copy)
            break;
        memcpy(copy, data + pos, caplen);
        pos += caplen;
        {
            pmtud_frame_t f, general;
            const char *record;
            bool ok = pmtud_parse_frame(LINKS[code], copy, caplen, wire, &f);
            REQUIRE(pmtud_parse_frame_general(&pmtud_udp_ports_default, LINKS[code], copy,
                                              caplen, wire, &general) == ok);
            REQUIRE(frame_differs(&f, &general, &record) == NULL);
            remember_frame(frame + 1, times, &f, ok, wire);
        }

        for (t = 0; t < times; t++) {
            pmtud_frame_t f;
            pmtud_fed_t fed;
            uint32_t has;
            bool ok = pmtud_parse_frame(LINKS[code], copy, caplen, wire, &f);

            REQUIRE(ok == f.has_ip);
            if (!f.is_icmp) {
                /* Never silent: where the parser stopped, and the PTB scan. */
                pmtud_stop_t stop;
                char buf[PMTUD_MSG_MAX];
                pmtud_parse_stop(&pmtud_udp_ports_default, LINKS[code], copy, caplen, &f, &stop);
                REQUIRE(stop.kind <= PMTUD_STOP_CUT);
                (void)pmtud_find_ptb(copy, caplen);
                pmtud_msg_not_analysed(buf, frame % 48 + 1, &stop, "x");
                require_terminated(buf, frame % 48 + 1);
            }
            REQUIRE(!ok || f.ip.family == 4 || f.ip.family == 6);
            frame++;
            has = pmtud_analyzer_feed(a, frame, (int64_t)frame * 1000, &f, &fed);
            REQUIRE(has == fed.has);
            REQUIRE(!has || (has & PMTUD_FED_FLOW));
            REQUIRE(ok || !has);
            if (has & PMTUD_FED_ICMP) {
                REQUIRE(f.is_ptb);
                REQUIRE(!(has & (PMTUD_FED_OVERSIZE | PMTUD_FED_BLACKHOLE)));
                check_result(&fed.icmp, frame);
                check_links(&fed.icmp);
                say_everything(&fed.icmp, frame % 48);
                if (n_kept < MAX_KEPT) {
                    kept[n_kept] = fed.icmp;
                    pmtud_analyzer_follow(a, &kept[n_kept++]);
                }
            } else {
                if (has & PMTUD_FED_OVERSIZE) {
                    check_oversize_held(&f, frame, &fed.oversize);
                    say_oversize(frame, &fed.oversize, frame % 48);
                }
                if (has & PMTUD_FED_BLACKHOLE) {
                    check_blackhole_held(&fed.blackhole);
                    say_blackhole(&fed.blackhole, frame % 48);
                }
            }
        }
        free(copy);
    }
    /* Every reaction is settled once the capture is over. */
    pmtud_analyzer_finish(a);
    for (k = 0; k < n_kept; k++) {
        REQUIRE(kept[k].reaction != PMTUD_R_PENDING);
        REQUIRE(kept[k].reaction <= PMTUD_R_NOT_FOLLOWED);
        check_links(&kept[k]);
        say_everything(&kept[k], k % 48);
    }
out:
    pmtud_analyzer_free(a);
    free(kept);
    n_fed = 0;
    return 0;
}
