/* test_messages.c
 * pmtud_messages: each sentence names the frames, lengths and addresses
 * it should, fits the PMTUD_MSG_MAX bytes the glue gives it, and no
 * function writes past the n bytes it is given.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _POSIX_C_SOURCE 200809L   /* strnlen */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fixtures.h"
#include "pmtud_messages.h"

typedef void (*msg_fn)(char *buf, size_t n, const pmtud_icmp_result_t *res);

/* The oversize sentence takes other arguments: one fixed set, for the
 * table of functions that take a result. */
static void oversize_mss(char *buf, size_t n, const pmtud_icmp_result_t *res)
{
    pmtud_oversize_t o = { 2920, 1460, PMTUD_LIMIT_PEER_MSS, true, false, true, 4, { 0 } };
    pmtud_msg_oversize(buf, n, res->quoted_frame, &o, res->icmp_frame);
}

/* Likewise the black hole sentences: the sender's view on even reactions
 * (with DF cleared), the receiver's view on odd ones (the hole as long as
 * the quote). */
static void blackhole(char *buf, size_t n, const pmtud_icmp_result_t *res)
{
    pmtud_blackhole_t bh = {
        .frames = { res->quoted_frame, res->quoted_frame + 3, res->quoted_frame + 9 },
        .n_frames = 3, .tries = 3, .stuck_len = res->wire_len, .through_len = res->quoted_len,
        .through_payload = res->payload_len, .fallback_frame = res->icmp_frame,
        .receiver_view = res->reaction % 2 == 1, .hole_frame = res->quoted_frame,
        .df_cleared = true, .end_ts_ns = res->time_lost_ns };

    if (bh.receiver_view)
        bh.stuck_len = res->quoted_len;
    pmtud_msg_blackhole(buf, n, &bh);
}

static const struct {
    const char *name;
    msg_fn fn;
} MSGS[] = {
    { "verdict_text", pmtud_verdict_text },
    { "offload", pmtud_msg_offload },
    { "bogus_mtu", pmtud_msg_bogus_mtu },
    { "mtu_zero", pmtud_msg_mtu_zero },
    { "not_captured", pmtud_msg_not_captured },
    { "ambiguous", pmtud_msg_ambiguous },
    { "rewritten", pmtud_msg_rewritten },
    { "quote_short", pmtud_msg_quote_short },
    { "legitimate", pmtud_msg_legitimate },
    { "rejected", pmtud_msg_rejected },
    { "reaction", pmtud_msg_reaction },
    { "oversize", oversize_mss },
    { "blackhole", blackhole },
};
#define N_MSGS (sizeof MSGS / sizeof MSGS[0])

static char out[4 * PMTUD_MSG_MAX];

static const char *say(msg_fn fn, const pmtud_icmp_result_t *res)
{
    memset(out, 0, sizeof out);
    fn(out, sizeof out, res);
    return out;
}

/* The seed story: frames 5 + 6 merged into 2960, MTU 1500, ICMP frame 7. */
static pmtud_icmp_result_t base4(void)
{
    pmtud_icmp_result_t r;
    memset(&r, 0, sizeof r);
    r.icmp_frame = 7;
    r.icmp_ts_ns = 5000000;
    r.family = 4;
    r.router_family = 4;
    memcpy(r.router, RTR, 4);
    memcpy(r.sender, SRV, 4);
    memcpy(r.receiver, CLI, 4);
    r.sport = 80;
    r.dport = 49321;
    r.proto = 6;
    r.mtu = 1500;
    r.has_quote = true;
    r.quoted_len = 2960;
    r.quoted_frame = 5;
    r.wire_len = 1500;
    r.excess = 1460;
    r.rejected_len = 2960;
    r.payload_len = 1460;
    r.n_covered = 2;
    r.covered[0] = 5;
    r.covered[1] = 6;
    r.verdicts = PMTUD_V_OFFLOAD;
    return r;
}

static void test_offload(void)
{
    pmtud_icmp_result_t r = base4();
    const char *s = say(pmtud_msg_offload, &r);

    CHECK_HAS(s, "2960-byte packet");
    CHECK_HAS(s, "frames 5 and 6");
    CHECK_HAS(s, "1500 bytes");
    CHECK_HAS(s, "MSS to 1460");

    r.n_covered = 3;
    r.covered[2] = 8;
    r.quoted_len = 4420;
    s = say(pmtud_msg_offload, &r);
    CHECK_HAS(s, "frames 5, 6 and 8");
    CHECK_HAS(s, "4420-byte packet");

    r.n_covered = 1;
    s = say(pmtud_msg_offload, &r);
    CHECK_HAS(s, "frame 5 ");

    s = say(pmtud_verdict_text, &r);
    CHECK_HAS(s, "offload artefact");
    s = say(pmtud_msg_rejected, &r);
    CHECK_HAS(s, "Rejected by ICMP in frame 7 (MTU 1500)");
    CHECK_HAS(s, "4420-byte packet");
}

/* Who merged it: the router's MAC names a virtual NIC (0 hops): the
 * sentence names the box; with no NIC named, the generic advice stands. */
static void test_offload_box(void)
{
    static const uint8_t HYPERV[3] = { 0x00, 0x15, 0x5d };
    pmtud_icmp_result_t r = base4();
    const char *s;

    pmtud_box_set(&r.router_box, 64, HYPERV);
    s = say(pmtud_msg_offload, &r);
    CHECK_HAS(s, "LRO/GRO off on the router, TSO off on the sender");   /* not looked up */
    pmtud_box_name(&r.router_box, "Microsoft Corporation");
    s = say(pmtud_msg_offload, &r);
    CHECK(strcmp(s, "Offload artefact: quoted 2960-byte packet never crossed the wire: frames "
                 "5 and 6 merged. Fix: LRO/GRO off on router 192.0.2.1, by its MAC a Hyper-V or "
                 "Azure VM (netvsc) 0 hops away, or clamp MSS to 1460") == 0);
    /* The longest NIC name still leaves room for Wireshark's "Expert Info
     * (Warning/Protocol): " in a 240-character label. */
    CHECK(strlen(s) + strlen("Expert Info (Warning/Protocol): ") < 240);

    /* Two routers away, the MAC is not the router's: nothing is claimed. */
    pmtud_box_set(&r.router_box, 62, HYPERV);
    pmtud_box_name(&r.router_box, "Microsoft Corporation");
    s = say(pmtud_msg_offload, &r);
    CHECK_HAS(s, "Fix: LRO/GRO off on the router, TSO off on the sender");
}

static void test_offload_mss(void)
{
    pmtud_icmp_result_t r = base4();
    const char *s;

    r.verdicts = PMTUD_V_OFFLOAD_MSS;
    r.quoted_frame = 4;
    r.wire_len = 2960;
    r.excess = 0;
    r.payload_len = 2920;
    r.peer_mss = 1460;
    r.n_covered = 1;
    r.covered[0] = 4;
    s = say(pmtud_msg_offload, &r);
    CHECK_HAS(s, "frame 4");
    CHECK_HAS(s, "2920 payload bytes");
    CHECK_HAS(s, "MSS 1460");
    CHECK_HAS(s, "MSS to 1460");
    s = say(pmtud_verdict_text, &r);
    CHECK_HAS(s, "offload artefact");
    s = say(pmtud_msg_rejected, &r);
    CHECK_HAS(s, "Rejected by ICMP in frame 7 (MTU 1500)");
    CHECK(strstr(s, "merged") == NULL);
}

static void test_bogus_and_zero(void)
{
    pmtud_icmp_result_t r = base4();
    const char *s;

    r.verdicts = PMTUD_V_BOGUS_MTU;
    r.quoted_len = r.wire_len = r.rejected_len = 1500;
    r.n_covered = 1;
    s = say(pmtud_msg_bogus_mtu, &r);
    CHECK_HAS(s, "next-hop MTU 1500");
    CHECK_HAS(s, "1500-byte packet");
    s = say(pmtud_verdict_text, &r);
    CHECK_HAS(s, "bogus MTU");

    r.mtu = 60;
    s = say(pmtud_msg_bogus_mtu, &r);
    CHECK_HAS(s, "next-hop MTU 60");
    CHECK_HAS(s, "IPv4 minimum of 68");

    r.family = 6;
    r.mtu = 1279;
    s = say(pmtud_msg_bogus_mtu, &r);
    CHECK_HAS(s, "next-hop MTU 1279");
    CHECK_HAS(s, "IPv6 minimum of 1280");

    r = base4();
    r.mtu = 0;
    r.verdicts = PMTUD_V_MTU_ZERO;
    s = say(pmtud_msg_mtu_zero, &r);
    CHECK_HAS(s, "MTU 0");
    s = say(pmtud_verdict_text, &r);
    CHECK_HAS(s, "no MTU given");
    s = say(pmtud_msg_rejected, &r);
    CHECK_HAS(s, "(MTU 0)");
}

static void test_not_captured(void)
{
    pmtud_icmp_result_t r = base4();
    const char *s;

    r.verdicts = PMTUD_V_NOT_CAPTURED;
    r.quoted_frame = 0;
    r.wire_len = 0;
    r.n_covered = 0;
    r.quoted_len = r.rejected_len = 1500;
    r.dport = 49999;
    s = say(pmtud_msg_not_captured, &r);
    CHECK_HAS(s, "1500-byte packet 192.0.2.10:80 -> 203.0.113.45:49999");
    s = say(pmtud_verdict_text, &r);
    CHECK_HAS(s, "not captured");

    /* No ports (GRE): the addresses alone, no ":0" glued to them. */
    r.sport = r.dport = 0;
    r.proto = 47;
    s = say(pmtud_msg_not_captured, &r);
    CHECK_HAS(s, "192.0.2.10 -> 203.0.113.45 ");

    /* IPv6 endpoints in brackets, so the port cannot be read as a group. */
    r.family = 6;
    memcpy(r.sender, SRV6, 16);
    memcpy(r.receiver, CLI6, 16);
    r.sport = 80;
    r.dport = 49321;
    s = say(pmtud_msg_not_captured, &r);
    CHECK_HAS(s, "[2001:db8::10]:80 -> [2001:db8:1::45]:49321");

    r.has_quote = false;
    s = say(pmtud_msg_not_captured, &r);
    CHECK_HAS(s, "no readable IP header");

    r.verdicts = PMTUD_V_NOT_CAPTURED | PMTUD_V_QUOTE_SHORT;
    s = say(pmtud_msg_quote_short, &r);
    CHECK_HAS(s, "Quote cut short");
    s = say(pmtud_verdict_text, &r);
    CHECK_HAS(s, "cut short");
}

static void test_rewritten_legitimate(void)
{
    pmtud_icmp_result_t r = base4();
    const char *s;

    r.verdicts = PMTUD_V_REWRITTEN | PMTUD_V_LEGITIMATE;
    r.mtu = 1400;
    r.quoted_len = 548;
    r.wire_len = r.rejected_len = 1500;
    r.excess = -952;
    r.n_covered = 1;
    s = say(pmtud_msg_rewritten, &r);
    CHECK_HAS(s, "the quote says 548 bytes but frame 5 was 1500 bytes");
    s = say(pmtud_verdict_text, &r);
    CHECK_HAS(s, "rewritten");
    CHECK_HAS(s, "legitimate");
    s = say(pmtud_msg_legitimate, &r);
    CHECK_HAS(s, "Path MTU 1400 is smaller than the 1500-byte packet in frame 5");
    CHECK_HAS(s, "at most 1400 bytes");
    s = say(pmtud_msg_rejected, &r);
    CHECK_HAS(s, "Rejected by ICMP in frame 7 (MTU 1400)");
}

static void test_reaction(void)
{
    pmtud_icmp_result_t r = base4();
    const char *s;

    r.retransmit_frame = 9;
    r.retransmit_len = 1500;
    r.time_lost_ns = 3000000000;
    r.reaction = PMTUD_R_WORKED;
    s = say(pmtud_msg_reaction, &r);
    CHECK_HAS(s, "frame 9 as a 1500-byte packet");
    CHECK_HAS(s, "3.000 s lost");

    r.reaction = PMTUD_R_SAME_SIZE_CROSSED;
    s = say(pmtud_msg_reaction, &r);
    CHECK_HAS(s, "same 1500 bytes in frame 9");
    r.retransmit_frame = 0;
    s = say(pmtud_msg_reaction, &r);
    CHECK_HAS(s, "without a resend");

    r.reaction = PMTUD_R_IGNORED;
    r.retransmit_frame = 9;
    r.retransmit_len = 2960;
    s = say(pmtud_msg_reaction, &r);
    CHECK_HAS(s, "at 2960 bytes (frame 9)");
    CHECK_HAS(s, "MSS to 1460");

    r.reaction = PMTUD_R_NO_RETRANSMISSION;
    r.end_ts_ns = r.icmp_ts_ns + 2500000000;
    s = say(pmtud_msg_reaction, &r);
    CHECK_HAS(s, "frame 9");
    CHECK_HAS(s, "2.500 s");
    r.retransmit_frame = 0;
    s = say(pmtud_msg_reaction, &r);
    CHECK_HAS(s, "2.500 s");

    r.reaction = PMTUD_R_NOT_FOLLOWED;
    s = say(pmtud_msg_reaction, &r);
    CHECK(strlen(s) > 0);
}

static void test_oversize(void)
{
    pmtud_oversize_t o = { 2960, 1500, PMTUD_LIMIT_LINK_DEFAULT, false, false, false, 4, { 0 } };

    pmtud_msg_oversize(out, sizeof out, 12, &o, 0);
    CHECK_HAS(out, "frame 12");
    CHECK_HAS(out, "2960-byte IPv4 packet");
    CHECK_HAS(out, "1500-byte link MTU (link default)");
    CHECK(strstr(out, "rejected by ICMP") == NULL);

    pmtud_msg_oversize(out, sizeof out, 12, &o, 13);
    CHECK_HAS(out, "rejected by ICMP in frame 13");

    o.by_mss = true;
    o.len = 2920;
    o.limit = 1460;
    o.source = PMTUD_LIMIT_PEER_MSS;
    pmtud_msg_oversize(out, sizeof out, 12, &o, 0);
    CHECK_HAS(out, "2920 TCP payload bytes");
    CHECK_HAS(out, "1460-byte MSS");

    o.len_zero = true;
    o.len = 64000;
    pmtud_msg_oversize(out, sizeof out, 12, &o, 0);
    CHECK_HAS(out, "total length 0");
    CHECK_HAS(out, "64000 bytes");

    CHECK_HAS(pmtud_limit_name(PMTUD_LIMIT_PPPOE), "PPPoE");
    CHECK_HAS(pmtud_limit_name(PMTUD_LIMIT_PEER_MSS), "MSS");
    CHECK(pmtud_limit_name(200) != NULL);
}

static void test_blackhole(void)
{
    pmtud_blackhole_t bh = { .frames = { 20, 23, 29 }, .n_frames = 3, .tries = 3,
                             .stuck_len = 1500, .through_len = 1400, .through_payload = 1360,
                             .fallback_frame = 31, .start_ts_ns = 1000000000,
                             .end_ts_ns = 3800000000LL };

    pmtud_msg_blackhole(out, sizeof out, &bh);
    CHECK_HAS(out, "PMTUD black hole (no ICMP): 1500-byte segment sent 3 times from frame 20, "
                   "no ACK; resent smaller in frame 31 and ACKed: 2.800 s lost");
    CHECK_HAS(out, "largest through 1400: clamp MSS to 1360");
    CHECK(strstr(out, "DF") == NULL);
    bh.through_len = 0;
    pmtud_msg_blackhole(out, sizeof out, &bh);
    CHECK(strstr(out, "clamp") == NULL);

    /* Windows clears DF on its fallback: say so. */
    bh.df_cleared = true;
    pmtud_msg_blackhole(out, sizeof out, &bh);
    CHECK_HAS(out, "frame 31 with DF cleared (Windows black-hole detection) and ACKed");

    /* Seen from the receiver: the hole, how long it stayed open. */
    memset(&bh, 0, sizeof bh);
    bh.receiver_view = true;
    bh.stuck_len = 1460;
    bh.hole_frame = 7;
    bh.through_len = 603;
    bh.through_payload = 563;
    bh.df_cleared = true;
    bh.start_ts_ns = 230012000;
    bh.end_ts_ns = 21340000000LL;
    pmtud_msg_blackhole(out, sizeof out, &bh);
    CHECK_HAS(out, "seen from the receiver: 1460 bytes missing before frame 7, filled 21.110 s "
                   "later by smaller segments with DF cleared (Windows black-hole detection)");
    CHECK_HAS(out, "largest through 603: clamp MSS to 563");
    /* A clock stepping back costs nothing, it does not go negative. */
    bh.end_ts_ns = 0;
    pmtud_msg_blackhole(out, sizeof out, &bh);
    CHECK_HAS(out, "filled 0.000 s later");
}

static void test_clamp(void)
{
    CHECK_EQ(pmtud_clamp_mss(1500, 4), 1460);
    CHECK_EQ(pmtud_clamp_mss(1500, 6), 1440);
    CHECK_EQ(pmtud_clamp_mss(1280, 6), 1220);
    CHECK_EQ(pmtud_clamp_mss(40, 4), 0);
    CHECK_EQ(pmtud_clamp_mss(0, 6), 0);
}

/* Fixtures covering every branch of every function, for the size tests. */
static size_t fixtures(pmtud_icmp_result_t *f)
{
    static const uint32_t verdicts[] = {
        PMTUD_V_OFFLOAD, PMTUD_V_OFFLOAD_MSS, PMTUD_V_BOGUS_MTU, PMTUD_V_MTU_ZERO,
        PMTUD_V_NOT_CAPTURED | PMTUD_V_QUOTE_SHORT, PMTUD_V_REWRITTEN | PMTUD_V_LEGITIMATE,
        PMTUD_V_LEGITIMATE, 0xffffffffu,
    };
    size_t i, n = 0;

    for (i = 0; i < sizeof verdicts / sizeof verdicts[0]; i++) {
        f[n] = base4();
        f[n].reaction = (uint8_t)(i % 7);
        f[n].retransmit_frame = (uint32_t)(i % 2) * 9;
        f[n++].verdicts = verdicts[i];
    }
    /* The longest: IPv6 addresses of maximal text length, 32 covered
     * frames with large numbers and more left out, every field large. */
    f[n] = base4();
    f[n].family = f[n].router_family = 6;
    memset(f[n].router, 0xff, 16);
    memset(f[n].sender, 0xfe, 16);
    memset(f[n].receiver, 0xfd, 16);
    f[n].sport = f[n].dport = 65535;
    f[n].icmp_frame = f[n].quoted_frame = f[n].retransmit_frame = 4000000000u;
    f[n].quoted_len = f[n].wire_len = f[n].rejected_len = f[n].payload_len = 4000000000u;
    f[n].mtu = f[n].peer_mss = f[n].retransmit_len = 4000000000u;
    f[n].time_lost_ns = f[n].end_ts_ns = INT64_MAX / 2;
    f[n].n_covered = PMTUD_MAX_COVERED;
    for (i = 0; i < PMTUD_MAX_COVERED; i++)
        f[n].covered[i] = 4000000000u + (uint32_t)i;
    f[n].covered_truncated = true;
    f[n].verdicts = 0xffffffffu;
    n++;
    for (i = PMTUD_R_WORKED; i <= PMTUD_R_NOT_FOLLOWED; i++) {
        f[n] = f[n - 1];
        f[n].reaction = (uint8_t)i;
        f[n].has_quote = i % 2;
        f[n++].verdicts = PMTUD_V_OFFLOAD_MSS;
    }
    return n;
}

/* For n = 0, 1, 8, 40: the output is the full sentence cut to n - 1
 * bytes, NUL-terminated, and nothing after the n bytes is touched. The
 * exactly-sized heap buffer lets ASan catch a write one past the end. */
static void test_small_buffers(void)
{
    static const size_t sizes[] = { 0, 1, 8, 40 };
    pmtud_icmp_result_t f[32];
    size_t nf = fixtures(f), i, j, k;
    char full[4 * PMTUD_MSG_MAX];

    for (i = 0; i < nf; i++) {
        for (j = 0; j < N_MSGS; j++) {
            check_test = MSGS[j].name;
            memset(full, 0, sizeof full);
            MSGS[j].fn(full, sizeof full, &f[i]);
            CHECK(strlen(full) > 0);
            for (k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
                size_t n = sizes[k], want = strlen(full) < n ? strlen(full) : (n ? n - 1 : 0);
                char *exact = malloc(n ? n : 1);
                char canary[64 + 16];
                size_t c;
                bool intact = true;

                memset(canary, 0x5a, sizeof canary);
                MSGS[j].fn(canary, n, &f[i]);
                for (c = n; c < sizeof canary; c++)
                    intact = intact && canary[c] == 0x5a;
                CHECK(intact);
                if (n) {
                    CHECK_EQ(strnlen(canary, sizeof canary), want);
                    CHECK(memcmp(canary, full, want) == 0);
                }
                if (exact) {
                    memset(exact, 0x5a, n ? n : 1);
                    MSGS[j].fn(exact, n, &f[i]);
                    if (n)
                        CHECK_EQ(strnlen(exact, n), want);
                }
                free(exact);
            }
        }
    }
    check_test = "test_small_buffers";
}

/* A long but real case: IPv6 addresses of full text length, GRO that
 * merged more than PMTUD_MAX_COVERED segments, frame numbers in the
 * millions (a capture of a few minutes of bulk traffic). */
static pmtud_icmp_result_t long_real(void)
{
    static const uint8_t a[16] = { 0x20, 0x01, 0x0d, 0xb8, 0x12, 0x34, 0x56, 0x78,
                                   0x9a, 0xbc, 0xde, 0xf0, 0x12, 0x34, 0x56, 0x78 };
    pmtud_icmp_result_t r = base4();
    uint32_t i;

    r.family = r.router_family = 6;
    memcpy(r.router, a, 16);
    memcpy(r.sender, a, 16);
    r.sender[15] = 0x79;
    memcpy(r.receiver, a, 16);
    r.receiver[15] = 0x7a;
    r.sport = r.dport = 65535;
    r.icmp_frame = 1000040;
    r.icmp_ts_ns = 100000000000;
    r.quoted_frame = 1000000;
    r.quoted_len = 65535;
    r.rejected_len = 65535;
    r.payload_len = 65475;
    r.peer_mss = 1440;
    r.mtu = 1280;
    r.n_covered = PMTUD_MAX_COVERED;
    for (i = 0; i < PMTUD_MAX_COVERED; i++)
        r.covered[i] = 1000000 + i;
    r.covered_truncated = true;
    r.retransmit_frame = 1000100;
    r.retransmit_len = 65535;
    r.time_lost_ns = 120000000000;
    r.end_ts_ns = r.icmp_ts_ns + 300000000000;
    return r;
}

/* An everyday one: GRO merged 8 segments (11720 bytes) in a capture of a
 * few thousand frames. */
static pmtud_icmp_result_t gro8(void)
{
    pmtud_icmp_result_t r = base4();
    uint32_t i;

    r.quoted_frame = 1000;
    r.icmp_frame = 1010;
    r.quoted_len = r.rejected_len = 11720;
    r.n_covered = 8;
    for (i = 0; i < 8; i++)
        r.covered[i] = 1000 + i;
    return r;
}

/* Every function, every reaction, on fixture r: the sentence must fit. */
static void expect_fit(pmtud_icmp_result_t r)
{
    size_t j;
    uint8_t v;

    for (v = 0; v <= PMTUD_R_NOT_FOLLOWED; v++) {
        r.reaction = v;
        r.verdicts = v % 2 ? PMTUD_V_OFFLOAD : PMTUD_V_OFFLOAD_MSS | PMTUD_V_BOGUS_MTU;
        for (j = 0; j < N_MSGS; j++) {
            check_test = MSGS[j].name;
            MSGS[j].fn(out, sizeof out, &r);
            if (!CHECK(strlen(out) < PMTUD_MSG_MAX))
                fprintf(stderr, "     %zu bytes: %s\n", strlen(out), out);
        }
    }
}

/* The glue writes into PMTUD_MSG_MAX bytes (Wireshark cuts labels at
 * 240): the longest real sentence must fit, or its advice is lost.
 * Regression test (a bug, fixed; plugin/pmtud_messages.c, pmtud_msg_offload and frame_list
 * into char frames[128]): the offload sentence grows with the covered
 * frames and passes 240 bytes from 8 four-digit frames on (261 bytes;
 * 4 seven-digit frames: 249), so "clamp MSS to N" at its end is cut off
 * in Wireshark; with 32 frames the list itself is cut inside a number
 * ("..., 1000012, 100 (1500 bytes)") and "(and more)" is lost. */
static void test_fits_msg_max(void)
{
    pmtud_icmp_result_t r = long_real();

    pmtud_msg_offload(out, sizeof out, &r);
    CHECK_HAS(out, "1000031 (and more)");
    expect_fit(gro8());
    expect_fit(long_real());
    check_test = "test_fits_msg_max";
}

int main(void)
{
    RUN(test_offload);
    RUN(test_offload_box);
    RUN(test_offload_mss);
    RUN(test_bogus_and_zero);
    RUN(test_not_captured);
    RUN(test_rewritten_legitimate);
    RUN(test_reaction);
    RUN(test_oversize);
    RUN(test_blackhole);
    RUN(test_clamp);
    RUN(test_small_buffers);
    RUN(test_fits_msg_max);
    return check_done();
}
