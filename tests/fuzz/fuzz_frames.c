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
 * so logic errors surface as crashes too, not only memory errors.
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
    pmtud_msg_legitimate, pmtud_msg_rejected, pmtud_msg_reaction,
};

#define REQUIRE(cond) do { if (!(cond)) __builtin_trap(); } while (0)

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

        for (t = 0; t < times; t++) {
            pmtud_frame_t f;
            pmtud_fed_t fed;
            uint32_t has;
            bool ok = pmtud_parse_frame(LINKS[code], copy, caplen, wire, &f);

            REQUIRE(ok == f.has_ip);
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
                say_everything(&fed.icmp, frame % 48);
                if (n_kept < MAX_KEPT) {
                    kept[n_kept] = fed.icmp;
                    pmtud_analyzer_follow(a, &kept[n_kept++]);
                }
            } else {
                if (has & PMTUD_FED_OVERSIZE)
                    say_oversize(frame, &fed.oversize, frame % 48);
                if (has & PMTUD_FED_BLACKHOLE)
                    say_blackhole(&fed.blackhole, frame % 48);
            }
        }
        free(copy);
    }
    /* Every reaction is settled once the capture is over. */
    pmtud_analyzer_finish(a);
    for (k = 0; k < n_kept; k++) {
        REQUIRE(kept[k].reaction != PMTUD_R_PENDING);
        REQUIRE(kept[k].reaction <= PMTUD_R_NOT_FOLLOWED);
        say_everything(&kept[k], k % 48);
    }
out:
    pmtud_analyzer_free(a);
    free(kept);
    return 0;
}
