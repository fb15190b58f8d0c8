/* test_parse_link.c
 * pmtud_parse, link layers: Ethernet, 802.1Q, QinQ, MPLS, SLL, SLL2, raw
 * IP, BSD loopback and PPPoE session, each carrying the same TCP packet
 * whose fields must come out exactly.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "check.h"
#include "fixtures.h"
#include "frames.h"
#include "pmtud_parse.h"

static void expect_body4(const pmtud_frame_t *f, uint32_t link_len)
{
    CHECK(f->has_ip);
    CHECK_EQ(f->link_hdr_len, link_len);
    CHECK_EQ(f->tunnel_depth, 0);
    CHECK_EQ(f->ip.family, 4);
    CHECK_EQ(f->ip.proto, 6);
    CHECK_MEM(f->ip.src, SRV, 4);
    CHECK_MEM(f->ip.dst, CLI, 4);
    CHECK_EQ(f->ip.ip_len, 140);
    CHECK_EQ(f->ip.hdr_len, 20);
    CHECK_EQ(f->ip.ip_id, 0x0c32);
    CHECK(f->ip.has_id);
    CHECK(f->ip.df);
    CHECK(f->ip.has_ports);
    CHECK_EQ(f->ip.sport, 80);
    CHECK_EQ(f->ip.dport, 49321);
    CHECK(f->ip.has_seq);
    CHECK_EQ(f->ip.seq, SEQ);
    CHECK(f->ip.has_ack);
    CHECK_EQ(f->ip.ack, 0x7c1e9ad3u);
    CHECK_EQ(f->ip.ttl, 64);
    CHECK_EQ(f->ip.tcp_flags, PB_ACK);
    CHECK_EQ(f->ip.l4_hdr_len, 20);
    CHECK_EQ(f->ip.payload_len, 100);
    CHECK_EQ(f->ip.payload_caplen, 100);
    CHECK(f->ip.payload && f->ip.payload[0] == 0x40 && f->ip.payload[99] == (uint8_t)(0x40 + 99));
    CHECK_EQ(f->ip.captured, 140);
    CHECK(!f->is_icmp);
    CHECK_EQ(pmtud_frame_outer(f)->family, 4);
    CHECK_EQ(pmtud_frame_outer(f)->ip_len, 140);
}

static void expect_body6(const pmtud_frame_t *f, uint32_t link_len)
{
    CHECK(f->has_ip);
    CHECK_EQ(f->link_hdr_len, link_len);
    CHECK_EQ(f->ip.family, 6);
    CHECK_EQ(f->ip.proto, 6);
    CHECK_MEM(f->ip.src, SRV6, 16);
    CHECK_MEM(f->ip.dst, CLI6, 16);
    CHECK_EQ(f->ip.ip_len, 160);
    CHECK_EQ(f->ip.hdr_len, 40);
    CHECK(!f->ip.has_id);
    CHECK_EQ(f->ip.ttl, 64);   /* hop limit */
    CHECK_EQ(f->ip.sport, 80);
    CHECK_EQ(f->ip.seq, SEQ);
    CHECK_EQ(f->ip.payload_len, 100);
}

/* --- link layers ------------------------------------------------------- */

static void test_ethernet(void)
{
    pb_t p;
    pmtud_frame_t f;

    pb_init(&p);
    pb_eth(&p, 0x0800);
    fr_body4(&p);
    CHECK(fr_parse(PMTUD_LINK_ETHERNET, &p, &f));
    expect_body4(&f, 14);
    CHECK(!f.pppoe);
    CHECK(f.eth_src == p.b + 6);          /* who put the packet on the segment */

    pb_init(&p);
    pb_eth(&p, 0x86dd);
    fr_body6(&p);
    CHECK(fr_parse(PMTUD_LINK_ETHERNET, &p, &f));
    expect_body6(&f, 14);

    /* ARP and friends are not IP. */
    pb_init(&p);
    pb_eth(&p, 0x0806);
    fr_body4(&p);
    CHECK(!fr_parse(PMTUD_LINK_ETHERNET, &p, &f));
    CHECK(!f.has_ip);

    /* Nor is type 0x0000, an 802.3 length, whatever follows it: found by
     * the tshark fuzz campaign's flow invariant (Wireshark: "data"), also
     * behind a VLAN tag. */
    pb_init(&p);
    pb_eth(&p, 0x0000);
    fr_body4(&p);
    CHECK(!fr_parse(PMTUD_LINK_ETHERNET, &p, &f));
    pb_init(&p);
    pb_eth(&p, 0x8100);
    pb_tag(&p, 100, 0x0000);
    fr_body4(&p);
    CHECK(!fr_parse(PMTUD_LINK_ETHERNET, &p, &f));
}

static void test_vlan(void)
{
    pb_t p;
    pmtud_frame_t f;

    pb_init(&p);
    pb_eth(&p, 0x8100);
    pb_tag(&p, 100, 0x0800);
    fr_body4(&p);
    CHECK(fr_parse(PMTUD_LINK_ETHERNET, &p, &f));
    expect_body4(&f, 18);

    /* QinQ: service tag 0x88a8 outside, customer tag 0x8100 inside. */
    pb_init(&p);
    pb_eth(&p, 0x88a8);
    pb_tag(&p, 100, 0x8100);
    pb_tag(&p, 200, 0x0800);
    fr_body4(&p);
    CHECK(fr_parse(PMTUD_LINK_ETHERNET, &p, &f));
    expect_body4(&f, 22);

    pb_init(&p);
    pb_eth(&p, 0x88a8);
    pb_tag(&p, 100, 0x8100);
    pb_tag(&p, 200, 0x86dd);
    fr_body6(&p);
    CHECK(fr_parse(PMTUD_LINK_ETHERNET, &p, &f));
    expect_body6(&f, 22);

    /* MPLS, one label with bottom-of-stack: the nibble decides. */
    pb_init(&p);
    pb_eth(&p, 0x8847);
    pb_u32(&p, 0x000641ffu);
    fr_body4(&p);
    CHECK(fr_parse(PMTUD_LINK_ETHERNET, &p, &f));
    expect_body4(&f, 18);
}

static void test_cooked(void)
{
    pb_t p;
    pmtud_frame_t f;

    pb_init(&p);
    pb_sll(&p, 0x0800);
    fr_body4(&p);
    CHECK(fr_parse(PMTUD_LINK_SLL, &p, &f));
    expect_body4(&f, 16);
    CHECK(f.eth_src == NULL);             /* no Ethernet header */

    pb_init(&p);
    pb_sll(&p, 0x86dd);
    fr_body6(&p);
    CHECK(fr_parse(PMTUD_LINK_SLL, &p, &f));
    expect_body6(&f, 16);

    pb_init(&p);
    pb_sll2(&p, 0x0800);
    fr_body4(&p);
    CHECK(fr_parse(PMTUD_LINK_SLL2, &p, &f));
    expect_body4(&f, 20);

    pb_init(&p);
    pb_sll2(&p, 0x86dd);
    fr_body6(&p);
    CHECK(fr_parse(PMTUD_LINK_SLL2, &p, &f));
    expect_body6(&f, 20);

    pb_init(&p);
    pb_sll2(&p, 0x0806);
    fr_body4(&p);
    CHECK(!fr_parse(PMTUD_LINK_SLL2, &p, &f));
}

static void test_raw_null_pppoe(void)
{
    pb_t p;
    pmtud_frame_t f;

    pb_init(&p);
    fr_body4(&p);
    CHECK(fr_parse(PMTUD_LINK_RAW_IP, &p, &f));
    expect_body4(&f, 0);

    pb_init(&p);
    fr_body6(&p);
    CHECK(fr_parse(PMTUD_LINK_RAW_IP, &p, &f));
    expect_body6(&f, 0);

    /* BSD loopback: AF_INET 2, and 30 (AF_INET6 on macOS). */
    pb_init(&p);
    pb_null(&p, 2);
    fr_body4(&p);
    CHECK(fr_parse(PMTUD_LINK_NULL, &p, &f));
    expect_body4(&f, 4);
    CHECK_EQ(f.link, PMTUD_LINK_NULL);

    pb_init(&p);
    pb_null(&p, 30);
    fr_body6(&p);
    CHECK(fr_parse(PMTUD_LINK_NULL, &p, &f));
    expect_body6(&f, 4);

    /* PPPoE session: 8 bytes of PPPoE + PPP protocol after the ethertype. */
    pb_init(&p);
    pb_eth(&p, 0x8864);
    pb_pppoes(&p, 0x0021);
    fr_body4(&p);
    CHECK(fr_parse(PMTUD_LINK_ETHERNET, &p, &f));
    expect_body4(&f, 22);
    CHECK(f.pppoe);
    CHECK_EQ(f.link, PMTUD_LINK_ETHERNET);

    pb_init(&p);
    pb_eth(&p, 0x8864);
    pb_pppoes(&p, 0x0057);
    fr_body6(&p);
    CHECK(fr_parse(PMTUD_LINK_ETHERNET, &p, &f));
    expect_body6(&f, 22);

    /* LCP inside PPPoE is not IP. */
    pb_init(&p);
    pb_eth(&p, 0x8864);
    pb_pppoes(&p, 0xc021);
    fr_body4(&p);
    CHECK(!fr_parse(PMTUD_LINK_ETHERNET, &p, &f));

    CHECK(!fr_parse(PMTUD_LINK_UNKNOWN, &p, &f));
    CHECK(!pmtud_parse_frame(PMTUD_LINK_RAW_IP, NULL, 0, 0, &f));
}


int main(void)
{
    RUN(test_ethernet);
    RUN(test_vlan);
    RUN(test_cooked);
    RUN(test_raw_null_pppoe);
    return check_done();
}
