/* test_blackhole.c
 * PMTUD black holes (pmtud_blackhole.c, through pmtud_analyzer_feed): a
 * full-size segment resent again and again with no ACK and no ICMP, then
 * resent smaller and acknowledged. Not a black hole: plain loss (the full
 * size is acknowledged in the end), a flow an ICMP quoted, too few tries.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "analyze_driver.h"
#include "check.h"
#include "fixtures.h"

#define STUCK (SEQ + 100)   /* the full-size segment after a small one */

/* A small segment that gets through, then the full-size one sent tries
 * times: frames 1 (small), 2 (its ACK), 3 .. 2 + tries. */
static void stuck(uint32_t tries)
{
    pb_t d;
    uint32_t i;

    reset();
    srv_seg(&d, SEQ, 100, 0x100, 1);
    cli_ack(SEQ + 100);
    CHECK(!(FED.has & PMTUD_FED_BLACKHOLE));
    for (i = 0; i < tries; i++) {
        srv_seg(&d, STUCK, 1460, (uint16_t)(0x200 + i), 2);
        CHECK(!(FED.has & PMTUD_FED_BLACKHOLE));
    }
}

static void test_black_hole(void)
{
    pb_t d;
    const pmtud_blackhole_t *bh = &FED.blackhole;

    stuck(3);                                   /* frames 3, 4, 5 */
    srv_seg(&d, STUCK, 1200, 0x300, 2);         /* frame 6: smaller */
    CHECK(!(FED.has & PMTUD_FED_BLACKHOLE));
    cli_ack(STUCK + 1200);                      /* frame 7: it got through */
    if (!CHECK(FED.has & PMTUD_FED_BLACKHOLE))
        return;
    CHECK_EQ(bh->tries, 3);
    CHECK_EQ(bh->n_frames, 3);
    CHECK_EQ(bh->frames[0], 3);
    CHECK_EQ(bh->frames[1], 4);
    CHECK_EQ(bh->frames[2], 5);
    CHECK_EQ(bh->stuck_len, 1500);
    CHECK_EQ(bh->fallback_frame, 6);
    CHECK_EQ(bh->through_len, 1240);            /* the smaller resend */
    CHECK_EQ(bh->through_payload, 1200);
    /* Said once: the next ACK confirms nothing new. */
    cli_ack(STUCK + 1200);
    CHECK(!(FED.has & PMTUD_FED_BLACKHOLE));
}

/* More tries than frames kept: all counted, the first eight named. */
static void test_many_tries(void)
{
    pb_t d;

    stuck(PMTUD_BH_MAX_FRAMES + 3);
    srv_seg(&d, STUCK, 1000, 0x300, 2);
    cli_ack(STUCK + 1000);
    if (!CHECK(FED.has & PMTUD_FED_BLACKHOLE))
        return;
    CHECK_EQ(FED.blackhole.tries, PMTUD_BH_MAX_FRAMES + 3);
    CHECK_EQ(FED.blackhole.n_frames, PMTUD_BH_MAX_FRAMES);
    CHECK_EQ(FED.blackhole.frames[PMTUD_BH_MAX_FRAMES - 1], 2 + PMTUD_BH_MAX_FRAMES);
}

/* The full size was acknowledged in the end: loss, not a black hole. */
static void test_plain_loss(void)
{
    pb_t d;

    stuck(3);
    cli_ack(STUCK + 1460);
    CHECK(!(FED.has & PMTUD_FED_BLACKHOLE));
    srv_seg(&d, STUCK + 1460, 1000, 0x300, 3);
    cli_ack(STUCK + 2460);
    CHECK(!(FED.has & PMTUD_FED_BLACKHOLE));
}

/* An ICMP quoted the flow: its trouble is not silent. */
static void test_icmp_seen(void)
{
    pb_t d;

    stuck(3);
    srv_seg(&d, STUCK, 1460, 0x2ff, 2);          /* a fourth try, quoted */
    CHECK(ptb4(&d, 1400, 0));
    srv_seg(&d, STUCK, 1360, 0x300, 2);
    cli_ack(STUCK + 1360);
    CHECK(!(FED.has & PMTUD_FED_BLACKHOLE));
}

/* Two tries are a retransmission, not yet a black hole. */
static void test_too_few_tries(void)
{
    pb_t d;

    stuck(PMTUD_BH_MIN_TRIES - 1);
    srv_seg(&d, STUCK, 1200, 0x300, 2);
    cli_ack(STUCK + 1200);
    CHECK(!(FED.has & PMTUD_FED_BLACKHOLE));
}

int main(void)
{
    RUN(test_black_hole);
    RUN(test_many_tries);
    RUN(test_plain_loss);
    RUN(test_icmp_seen);
    RUN(test_too_few_tries);
    pmtud_analyzer_free(an);
    return check_done();
}
