/* test_flowtable.c
 * The per-flow table behind -z pmtud,flows: one row per flow however many
 * flows come, found again after every growth of its hash slots, under any
 * hash key; a flow's time lost is the union of its ICMPs' and black holes'
 * spans; a black-hole flow has its row and its action; a row's summary
 * (what the CSV prints and the GUI's flows tree shows) and the names of the
 * tree's nodes.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze_driver.h"
#include "check.h"
#include "fixtures.h"
#include "pmtud_flowtable.h"
#include "pmtud_vocab.h"

static pmtud_flow_t flow_n(uint32_t n)
{
    pmtud_flow_t f;

    memset(&f, 0, sizeof f);
    f.family = 4;
    f.proto = 6;
    f.sport = (uint16_t)(1024 + n % 60000);
    f.dport = 80;
    f.src[0] = 10;
    f.src[1] = (uint8_t)(n >> 16);
    f.src[2] = (uint8_t)(n >> 8);
    f.src[3] = (uint8_t)n;
    f.dst[0] = 192;
    f.dst[3] = 1;
    return f;
}

/* 5000 flows, each seen three times, interleaved so that lookups happen
 * before and after the slots grow (64, 128, ... 16384 slots). */
static void fill_and_check(uint64_t key)
{
    pmtud_flowtable_t *t;
    pmtud_oversize_t o;
    uint32_t n, round;

    pmtud_flow_hash_set_key(key);
    t = pmtud_flowtable_new();
    if (!CHECK(t != NULL))
        return;
    memset(&o, 0, sizeof o);
    for (round = 0; round < 3; round++)
        for (n = 0; n < 5000; n++) {
            pmtud_flow_t f = flow_n(n);
            o.len = 1500 + round;
            pmtud_flowtable_add_oversize(t, &f, round * 5000 + n + 1, &o);
            if (round == 0 && n == 999)
                CHECK_EQ(pmtud_flowtable_rows(t), 1000);
        }
    CHECK_EQ(pmtud_flowtable_rows(t), 5000);
    pmtud_flowtable_reset(t);
    CHECK_EQ(pmtud_flowtable_rows(t), 0);
    pmtud_flowtable_free(t);
    pmtud_flow_hash_set_key(0);
}

/* The whole CSV output of a table, in buf. */
static void csv_text(const pmtud_flowtable_t *t, char *buf, size_t n)
{
    FILE *f = tmpfile();
    size_t got;

    buf[0] = '\0';
    if (!CHECK(f != NULL))
        return;
    pmtud_flowtable_write_csv(t, f);
    rewind(f);
    got = fread(buf, 1, n - 1, f);
    buf[got] = '\0';
    fclose(f);
}

/* Who merged it, in the CSV: the boxes' columns (vendor names quoted, they
 * hold commas) and an action that names the router's virtual NIC. */
static void test_boxes(void)
{
    static const uint8_t VMWARE[3] = { 0x00, 0x50, 0x56 };
    static char out[4096];
    pmtud_flowtable_t *t = pmtud_flowtable_new();
    pmtud_icmp_result_t res;
    pmtud_flow_t flow;

    if (!CHECK(t != NULL))
        return;
    memset(&res, 0, sizeof res);
    res.family = res.router_family = 4;
    res.proto = 6;
    memcpy(res.router, (const uint8_t[]){ 192, 0, 2, 1 }, 4);
    memcpy(res.sender, (const uint8_t[]){ 192, 0, 2, 10 }, 4);
    memcpy(res.receiver, (const uint8_t[]){ 203, 0, 113, 45 }, 4);
    res.sport = 80;
    res.dport = 49321;
    res.mtu = 1500;
    res.verdicts = PMTUD_V_OFFLOAD;
    pmtud_box_set(&res.router_box, 64, VMWARE);
    pmtud_box_name(&res.router_box, "VMware, Inc.");
    pmtud_box_set(&res.sender_box, 126, VMWARE);     /* two routers away: not named */
    pmtud_result_flow(&res, &flow);
    pmtud_flowtable_add_icmp(t, &flow, &res);
    csv_text(t, out, sizeof out);
    CHECK_HAS(out, ",time_lost_s,router_hops,router_vendor,router_nic,sender_hops,sender_vendor,"
                   "sender_nic,action\n");
    CHECK_HAS(out, ",0,\"VMware, Inc.\",\"VMware vmxnet3\",2,,,\"turn off LRO/GRO on the "
                   "router 192.0.2.1, by its MAC a VMware VM (vmxnet3) 0 hops from the capture: "
                   "in its guest ethtool -K <if> lro off gro off");
    CHECK_HAS(out, "Net.Vmxnet3SwLRO=0; and TSO on the sender 192.0.2.10, or clamp MSS to 1460\"");
    pmtud_flowtable_free(t);
}

static void test_rows(void)
{
    fill_and_check(0);
    fill_and_check(0x0123456789abcdefull);
}

/* The CSV's time_lost_s of the table's only row. */
static double csv_time_lost(const pmtud_flowtable_t *t)
{
    char line[1024];
    double lost = -1;
    FILE *f = tmpfile();
    int col = 0;
    char *p, *tok;

    if (!CHECK(f != NULL))
        return -1;
    pmtud_flowtable_write_csv(t, f);
    rewind(f);
    if (CHECK(fgets(line, sizeof line, f) != NULL)) {     /* the header: find the column */
        for (tok = strtok(line, ","); tok && strcmp(tok, "time_lost_s"); tok = strtok(NULL, ","))
            col++;
        if (CHECK(fgets(line, sizeof line, f) != NULL)) {
            for (p = line; col > 0 && p; col--)
                if ((p = strchr(p, ',')) != NULL)
                    p++;
            if (CHECK(p != NULL))
                lost = strtod(p, NULL);
        }
    }
    fclose(f);
    return lost;
}

/* Issue 11's story: the sender ignores the first ICMP, is rejected again
 * 1 s later, and gets through smaller 1 s after that: 2.0 s lost, not the
 * 3.0 s of adding up the two ICMPs (2 s + 1 s). */
static void test_time_lost_union(void)
{
    pmtud_icmp_result_t kept[2];
    pmtud_flowtable_t *t = pmtud_flowtable_new();
    pmtud_flow_summary_t sum;
    pmtud_flow_t flow;
    pb_t d, r, s;

    reset();
    ts_step_ns = 500000000;                       /* frame n at n * 0.5 s */
    srv_seg(&d, SEQ, 1460, 0x6d2a, 5);           /* frame 1, 0.5 s: rejected */
    CHECK(ptb4(&d, 1400, 0));                     /* frame 2 */
    kept[0] = R;
    pmtud_analyzer_follow(an, &kept[0]);
    srv_seg(&r, SEQ, 1460, 0x6d2b, 5);           /* frame 3, 1.5 s: same size again */
    CHECK(ptb4(&r, 1400, 0));                     /* frame 4 rejects it too */
    kept[1] = R;
    pmtud_analyzer_follow(an, &kept[1]);
    srv_seg(&s, SEQ, 1360, 0x6d2c, 5);           /* frame 5, 2.5 s: smaller */
    cli_ack(SEQ + 1360);                          /* frame 6: through */
    CHECK_EQ(kept[0].reaction, PMTUD_R_IGNORED);
    CHECK_EQ(kept[0].time_lost_ns, 2000000000);
    CHECK_EQ(kept[1].reaction, PMTUD_R_WORKED);
    CHECK_EQ(kept[1].time_lost_ns, 1000000000);
    CHECK(pmtud_time_lost_counts(&kept[0]));
    CHECK(pmtud_time_lost_counts(&kept[1]));

    if (!CHECK(t != NULL))
        return;
    pmtud_result_flow(&kept[0], &flow);
    pmtud_flowtable_add_icmp(t, &flow, &kept[0]);
    CHECK_EQ(pmtud_flowtable_time_lost_ns(t, &flow), 2000000000);
    pmtud_flowtable_add_icmp(t, &flow, &kept[1]);
    CHECK_EQ(pmtud_flowtable_rows(t), 1);
    CHECK_EQ(pmtud_flowtable_time_lost_ns(t, &flow), 2000000000);
    CHECK(csv_time_lost(t) == 2.0);
    CHECK(pmtud_flowtable_summary(t, 0, &sum));   /* what the CSV and the flows tree show */
    CHECK_EQ(sum.time_lost_ns, 2000000000);
    CHECK_EQ(sum.icmp_messages, 2);
    CHECK_EQ(sum.reaction[PMTUD_R_IGNORED], 1);
    CHECK_EQ(sum.reaction[PMTUD_R_WORKED], 1);
    CHECK_EQ(sum.first_icmp_frame, 2);
    CHECK_EQ(sum.min_mtu, 1400);

    /* Ignored up to the capture's end: nothing got through, no time counts. */
    kept[0].through_frame = 0;
    CHECK(!pmtud_time_lost_counts(&kept[0]));
    CHECK_EQ(pmtud_flowtable_time_lost_ns(t, &flow), 1000000000);
    pmtud_flowtable_free(t);
}

/* The CSV's only row, whole. */
static void csv_row(const pmtud_flowtable_t *t, char *line, size_t n)
{
    FILE *f = tmpfile();

    line[0] = 0;
    if (!CHECK(f != NULL))
        return;
    pmtud_flowtable_write_csv(t, f);
    rewind(f);
    CHECK(fgets(line, (int)n, f) != NULL);      /* the header */
    CHECK(fgets(line, (int)n, f) != NULL);
    fclose(f);
}

static pmtud_blackhole_t black_hole(const pmtud_flow_t *flow, double start, double end,
                                    uint32_t through_payload)
{
    pmtud_blackhole_t bh;

    memset(&bh, 0, sizeof bh);
    bh.flow = *flow;
    bh.start_ts_ns = (int64_t)(start * 1e9);
    bh.end_ts_ns = (int64_t)(end * 1e9);
    bh.through_len = through_payload + 40;
    bh.through_payload = through_payload;
    return bh;
}

/* A flow whose only trouble is a black hole: its row, its time lost, the
 * action to let ICMP through or clamp to what got through. A second black
 * hole of the flow that overlaps the first counts once (the union), one
 * that does not adds its own time; the largest payload through is the
 * clamp. */
static void test_blackhole_rows(void)
{
    pmtud_flowtable_t *t = pmtud_flowtable_new();
    pmtud_flow_t flow = flow_n(7);
    pmtud_blackhole_t a = black_hole(&flow, 0.19, 21.30, 563);
    pmtud_blackhole_t b = black_hole(&flow, 20.0, 22.0, 536);
    pmtud_blackhole_t c = black_hole(&flow, 30.0, 31.5, 1024);
    char line[1024];

    if (!CHECK(t != NULL))
        return;
    pmtud_flowtable_add_blackhole(t, &flow, &a);
    CHECK_EQ(pmtud_flowtable_rows(t), 1);
    CHECK_EQ(pmtud_flowtable_time_lost_ns(t, &flow), 21110000000LL);
    csv_row(t, line, sizeof line);
    CHECK_HAS(line, "10.0.0.7,1031,192.0.0.1,80,tcp,0,");
    /* No box: no offload verdict names a router or a sender here. */
    CHECK_HAS(line, ",21.110000,,,,,,,\"let ICMP frag-needed/Packet Too Big reach the sender 10.0.0.7 "
                    "(a PMTUD black hole: ICMP filtered on the path), or clamp MSS to 563\"");
    pmtud_flowtable_add_blackhole(t, &flow, &b);
    CHECK_EQ(pmtud_flowtable_time_lost_ns(t, &flow), 21810000000LL);     /* 0.19 .. 22.0 */
    pmtud_flowtable_add_blackhole(t, &flow, &c);
    CHECK_EQ(pmtud_flowtable_time_lost_ns(t, &flow), 23310000000LL);     /* + 1.5 s */
    CHECK_EQ(pmtud_flowtable_rows(t), 1);
    csv_row(t, line, sizeof line);
    CHECK_HAS(line, ",23.310000,");
    CHECK_HAS(line, "or clamp MSS to 1024\"");
    pmtud_flowtable_free(t);
}

/* The names the flows tree gives its nodes: [addr]:port for IPv6, no ports
 * for a protocol that has none. */
static void test_flow_names(void)
{
    pmtud_flow_t f = flow_n(7);
    char name[160];

    pmtud_flow_name(name, sizeof name, &f);
    CHECK_EQ(strcmp(name, "10.0.0.7:1031 -> 192.0.0.1:80 tcp"), 0);
    memset(&f, 0, sizeof f);
    f.family = 6;
    f.proto = PMTUD_PROTO_UDP;
    f.sport = 53;
    f.dport = 4000;
    f.src[0] = 0x20; f.src[1] = 0x01; f.src[2] = 0x0d; f.src[3] = 0xb8; f.src[15] = 1;
    f.dst[0] = 0x20; f.dst[1] = 0x01; f.dst[2] = 0x0d; f.dst[3] = 0xb8; f.dst[15] = 2;
    pmtud_flow_name(name, sizeof name, &f);
    CHECK_EQ(strcmp(name, "[2001:db8::1]:53 -> [2001:db8::2]:4000 udp"), 0);
    f.proto = 50;   /* ESP */
    pmtud_flow_name(name, sizeof name, &f);
    CHECK_EQ(strcmp(name, "2001:db8::1 -> 2001:db8::2 ip"), 0);
}

/* A row's summary: rows by number in order of first appearance, found again
 * by flow; oversize frames alone call for nothing on the network; past the
 * last row there is none. */
static void test_summary(void)
{
    pmtud_flowtable_t *t = pmtud_flowtable_new();
    pmtud_flow_summary_t s;
    pmtud_flow_t a = flow_n(1), b = flow_n(2);
    pmtud_oversize_t o;

    if (!CHECK(t != NULL))
        return;
    memset(&o, 0, sizeof o);
    o.len = 2960;
    pmtud_flowtable_add_oversize(t, &a, 5, &o);
    o.len = 4380;
    pmtud_flowtable_add_oversize(t, &b, 6, &o);
    o.len = 2920;
    pmtud_flowtable_add_oversize(t, &a, 9, &o);
    CHECK_EQ(pmtud_flowtable_find(t, &a), 0);
    CHECK_EQ(pmtud_flowtable_find(t, &b), 1);
    CHECK(pmtud_flowtable_summary(t, 0, &s));
    CHECK(pmtud_flow_equal(&s.flow, &a));
    CHECK_EQ(s.frames, 2);
    CHECK_EQ(s.oversize_frames, 2);
    CHECK_EQ(s.largest_oversize, 2960);
    CHECK_EQ(s.first_oversize_frame, 5);
    CHECK_EQ(s.icmp_messages, 0);
    CHECK_EQ(s.time_lost_ns, 0);
    CHECK_EQ(strcmp(s.action, "none on the network: oversize frames are TSO/GSO or LRO/GRO "
                    "at the capture point"), 0);
    CHECK(pmtud_flowtable_summary(t, 1, &s));
    CHECK_EQ(s.largest_oversize, 4380);
    CHECK(!pmtud_flowtable_summary(t, 2, &s));
    pmtud_flowtable_reset(t);
    CHECK_EQ(pmtud_flowtable_find(t, &a), -1);
    pmtud_flowtable_free(t);
}

int main(void)
{
    RUN(test_rows);
    RUN(test_boxes);
    RUN(test_time_lost_union);
    RUN(test_blackhole_rows);
    RUN(test_flow_names);
    RUN(test_summary);
    pmtud_analyzer_free(an);
    return check_done();
}
