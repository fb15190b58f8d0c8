/* test_follow.c
 * What the sender did about an ICMP (pmtud_analyzer_follow): resent it
 * smaller and it got through, resent the same size and it got through,
 * resent and rejected again, or never resent; with the frames and the
 * time lost.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "analyze_driver.h"
#include "check.h"
#include "fixtures.h"

/* The glue keeps its own copy of each result; so does this test. */
static pmtud_icmp_result_t kept[4];

static pmtud_icmp_result_t *follow(int slot)
{
    kept[slot] = R;
    pmtud_analyzer_follow(an, &kept[slot]);
    return &kept[slot];
}

static void test_worked(void)
{
    pb_t d, r;
    pmtud_icmp_result_t *res;

    reset();
    srv_seg(&d, SEQ, 1460, 0x6d2a, 5);              /* frame 1, t = 1 us */
    CHECK(ptb4(&d, 1400, 0));                        /* frame 2 */
    res = follow(0);
    CHECK_EQ(res->reaction, PMTUD_R_PENDING);
    cli_ack(SEQ);                                 /* frame 3: nothing new acked */
    CHECK_EQ(res->reaction, PMTUD_R_PENDING);
    srv_seg(&r, SEQ, 1360, 0x6d2b, 5);              /* frame 4: resent at 1400 */
    cli_ack(SEQ + 1360);                          /* frame 5 */
    CHECK_EQ(res->reaction, PMTUD_R_WORKED);
    CHECK_EQ(res->retransmit_frame, 4);
    CHECK_EQ(res->retransmit_len, 1400);
    CHECK_EQ(res->through_frame, 4);
    CHECK_EQ(res->time_lost_ns, 3000);               /* frame 1 -> frame 4 */
}

static void test_same_size_crossed(void)
{
    pb_t s1, s2, r;
    pmtud_icmp_result_t *res;

    reset();
    srv_seg(&s1, SEQ, 1460, 0x0c32, 1);
    srv_seg(&s2, SEQ + 1460, 1460, 0x0c33, 2);
    CHECK(ptb4(&s1, 1500, 2960));                    /* frame 3: offload */
    res = follow(0);
    srv_seg(&r, SEQ, 1460, 0x0c34, 1);              /* frame 4: same 1500 */
    cli_ack(SEQ + 1460);
    CHECK_EQ(res->reaction, PMTUD_R_SAME_SIZE_CROSSED);
    CHECK_EQ(res->retransmit_frame, 4);
    CHECK_EQ(res->retransmit_len, 1500);
}

static void test_ignored(void)
{
    pb_t d, r;
    pmtud_icmp_result_t *first;

    reset();
    srv_seg(&d, SEQ, 1460, 0x6d2a, 5);
    CHECK(ptb4(&d, 1400, 0));                        /* frame 2 */
    first = follow(0);
    srv_seg(&r, SEQ, 1460, 0x6d2b, 5);              /* frame 3: same size again */
    CHECK(ptb4(&r, 1400, 0));                        /* frame 4 rejects it too */
    CHECK_EQ(R.quoted_frame, 3);
    follow(1);
    pmtud_analyzer_finish(an);
    CHECK_EQ(first->reaction, PMTUD_R_IGNORED);
    CHECK_EQ(first->retransmit_frame, 3);
    CHECK_EQ(kept[1].reaction, PMTUD_R_NO_RETRANSMISSION);
}

static void test_no_retransmission(void)
{
    pb_t d, o;
    pmtud_icmp_result_t *res;

    reset();
    srv_seg(&d, SEQ, 1460, 0x6d2a, 5);
    CHECK(ptb4(&d, 1400, 0));                        /* frame 2, t = 2 us */
    res = follow(0);
    udp_dgram(&o, 1, 100, 0);                        /* frame 3: the capture goes on */
    CHECK_EQ(res->reaction, PMTUD_R_PENDING);
    pmtud_analyzer_finish(an);
    CHECK_EQ(res->reaction, PMTUD_R_NO_RETRANSMISSION);
    CHECK_EQ(res->retransmit_frame, 0);
    CHECK_EQ(res->end_ts_ns, 3000);
    CHECK_EQ(res->icmp_ts_ns, 2000);
}

static void test_not_followed(void)
{
    pb_t d, q;

    reset();
    udp_dgram(&d, 0x4d10, 1000, 0x10);
    CHECK(ptb4(&d, 800, 0));
    CHECK_EQ(follow(0)->reaction, PMTUD_R_NOT_FOLLOWED);   /* not TCP */

    srv_seg(&d, SEQ, 1460, 0x6d2a, 5);
    patched16(&q, &d, OFF_DPORT, 1);
    CHECK(ptb4(&q, 1400, 0));
    CHECK_EQ(follow(1)->reaction, PMTUD_R_NOT_FOLLOWED);   /* not captured */
}

/* 256 ICMPs are followed at once; the 257th and 258th give up the two
 * oldest, not the newest. Each ICMP rejects its own segment. */
static void test_evicts_oldest(void)
{
    static pmtud_icmp_result_t many[258];
    uint32_t i;
    pb_t d;

    reset();
    for (i = 0; i < 258; i++) {
        srv_seg(&d, SEQ + i * 1460, 1460, (uint16_t)(0x1000 + i), (uint8_t)i);
        CHECK(ptb4(&d, 1400, 0));
        many[i] = R;
        pmtud_analyzer_follow(an, &many[i]);
        CHECK_EQ(many[i].reaction, PMTUD_R_PENDING);
    }
    CHECK_EQ(many[0].reaction, PMTUD_R_NOT_FOLLOWED);
    CHECK_EQ(many[1].reaction, PMTUD_R_NOT_FOLLOWED);
    for (i = 2; i < 258; i++)
        CHECK_EQ(many[i].reaction, PMTUD_R_PENDING);
    /* The newest are still followed: an ACK past everything settles them. */
    cli_ack(SEQ + 258 * 1460);
    CHECK_EQ(many[257].reaction, PMTUD_R_SAME_SIZE_CROSSED);
    CHECK_EQ(many[2].reaction, PMTUD_R_SAME_SIZE_CROSSED);
    CHECK_EQ(many[0].reaction, PMTUD_R_NOT_FOLLOWED);
}

int main(void)
{
    RUN(test_worked);
    RUN(test_same_size_crossed);
    RUN(test_ignored);
    RUN(test_no_retransmission);
    RUN(test_not_followed);
    RUN(test_evicts_oldest);
    pmtud_analyzer_free(an);
    return check_done();
}
