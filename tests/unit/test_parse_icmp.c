/* test_parse_icmp.c
 * pmtud_parse, ICMP: the MTU of ICMPv4 frag-needed and ICMPv6 Packet
 * Too Big, the quoted packet's fields, where a quote ends (capture, IP
 * length, RFC 4884 length) and quotes cut short.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "check.h"
#include "fixtures.h"
#include "frames.h"
#include "pmtud_parse.h"

static void test_icmp4_ptb(void)
{
    pb_t d, p;
    pmtud_frame_t f;

    fr_data4(&d);
    pb_init(&p);
    pb_frame_ptb4(&p, RTR, SRV, 1400, d.b + 14, 548);
    p.b[14 + 20 + 4] = 0xab;   /* unused byte: the MTU is bytes 6-7 only */
    CHECK(fr_parse(PMTUD_LINK_ETHERNET, &p, &f));
    CHECK(f.is_icmp);
    CHECK(f.is_ptb);
    CHECK_EQ(f.icmp_type, 3);
    CHECK_EQ(f.icmp_code, 4);
    CHECK_EQ(f.mtu, 1400);
    CHECK_EQ(f.ip.ip_len, 576);
    CHECK_MEM(f.ip.src, RTR, 4);
    CHECK(!f.quote_short);
    CHECK_EQ(f.quoted.family, 4);
    CHECK_EQ(f.quoted.proto, 6);
    CHECK_EQ(f.quoted.ip_len, 1500);
    CHECK_EQ(f.quoted.ip_id, 0x6d2a);
    CHECK(f.quoted.df);
    CHECK_MEM(f.quoted.src, SRV, 4);
    CHECK_MEM(f.quoted.dst, CLI, 4);
    CHECK_EQ(f.quoted.sport, 80);
    CHECK_EQ(f.quoted.dport, 49321);
    CHECK_EQ(f.quoted.seq, SEQ);
    CHECK_EQ(f.quoted.captured, 548);
    CHECK_EQ(f.quoted.payload_len, 1460);
    CHECK_EQ(f.quoted.payload_caplen, 508);
    CHECK(f.quoted.payload == p.b + 14 + 20 + 8 + 40);

    /* Other ICMP errors are ICMP, not PTB, and their quote is not read. */
    p.b[14 + 20 + 1] = 1;
    CHECK(fr_parse(PMTUD_LINK_ETHERNET, &p, &f));
    CHECK(f.is_icmp);
    CHECK(!f.is_ptb);
    CHECK_EQ(f.icmp_code, 1);
    CHECK_EQ(f.quoted.family, 0);
}

static void test_icmp4_quote_limits(void)
{
    pb_t d, p;
    pmtud_frame_t f;
    size_t off;

    fr_data4(&d);

    /* RFC 4884: "original datagram length" 32 words = 128 bytes, then an
     * extension structure that is not part of the quote. */
    pb_init(&p);
    pb_eth(&p, 0x0800);
    {
        pb_ip4_t h = pb_ip4_make(RTR, SRV, 1, 0x9e01);
        off = pb_ip4(&p, &h);
    }
    pb_icmp4_ptb(&p, 1400, 32);
    pb_bytes(&p, d.b + 14, 128);
    pb_u32(&p, 0x20000000u);   /* extension header */
    pb_fill(&p, 8, 0xee);
    pb_ip4_end(&p, off);
    CHECK(fr_parse(PMTUD_LINK_ETHERNET, &p, &f));
    CHECK_EQ(f.mtu, 1400);
    CHECK_EQ(f.quoted.captured, 128);
    CHECK_EQ(f.quoted.payload_caplen, 88);
    CHECK(!f.quote_short);

    /* A length byte beyond the bytes present changes nothing. */
    p.b[14 + 20 + 5] = 255;
    CHECK(fr_parse(PMTUD_LINK_ETHERNET, &p, &f));
    CHECK_EQ(f.quoted.captured, 140);

    /* The ICMP's own IP length ends the quote before Ethernet padding. */
    pb_init(&p);
    pb_frame_ptb4(&p, RTR, SRV, 1400, d.b + 14, 44);
    pb_fill(&p, 16, 0xee);   /* trailer/padding after the IP packet */
    CHECK(fr_parse(PMTUD_LINK_ETHERNET, &p, &f));
    CHECK_EQ(f.quoted.captured, 44);
    CHECK_EQ(f.quoted.payload_caplen, 4);
}

static void test_icmp6_ptb(void)
{
    pb_t d, p;
    pmtud_frame_t f;
    pb_ip6_t h = pb_ip6_make(SRV6, CLI6, 6);

    pb_init(&d);
    pb_frame_tcp6(&d, &h, &TCP_DATA, 1440, 0x80);
    pb_init(&p);
    /* An MTU over 65535 shows that all 32 bits are read. */
    pb_frame_ptb6(&p, RTR6, SRV6, 0x00012345u, d.b + 14, 1232);
    CHECK(fr_parse(PMTUD_LINK_ETHERNET, &p, &f));
    CHECK(f.is_ptb);
    CHECK_EQ(f.icmp_type, 2);
    CHECK_EQ(f.mtu, 0x00012345u);
    CHECK_EQ(f.ip.family, 6);
    CHECK_MEM(f.ip.src, RTR6, 16);
    CHECK_EQ(f.quoted.family, 6);
    CHECK_EQ(f.quoted.ip_len, 1500);
    CHECK(!f.quoted.has_id);
    CHECK_EQ(f.quoted.sport, 80);
    CHECK_EQ(f.quoted.seq, SEQ);
    CHECK_EQ(f.quoted.captured, 1232);
    CHECK_EQ(f.quoted.payload_len, 1440);
    CHECK_EQ(f.quoted.payload_caplen, 1232 - 60);
    CHECK(!f.quote_short);

    pb_set32(&p, 14 + 40 + 4, 1280);
    CHECK(fr_parse(PMTUD_LINK_ETHERNET, &p, &f));
    CHECK_EQ(f.mtu, 1280);

    /* ICMPv6 echo request: ICMP, not PTB. */
    p.b[14 + 40] = 128;
    CHECK(fr_parse(PMTUD_LINK_ETHERNET, &p, &f));
    CHECK(f.is_icmp);
    CHECK(!f.is_ptb);
}

static void test_quote_short(void)
{
    pb_t d, p;
    pmtud_frame_t f;

    fr_data4(&d);

    /* 10 bytes of an IPv4 header. */
    pb_init(&p);
    pb_frame_ptb4(&p, RTR, SRV, 1400, d.b + 14, 10);
    CHECK(fr_parse(PMTUD_LINK_ETHERNET, &p, &f));
    CHECK(f.is_ptb);
    CHECK(f.quote_short);
    CHECK_EQ(f.quoted.family, 0);

    /* No quote at all: nothing was cut. */
    pb_init(&p);
    pb_frame_ptb4(&p, RTR, SRV, 1400, d.b + 14, 0);
    CHECK(fr_parse(PMTUD_LINK_ETHERNET, &p, &f));
    CHECK(f.is_ptb);
    CHECK(!f.quote_short);
    CHECK_EQ(f.quoted.family, 0);

    /* The IP header alone: read, but no ports. */
    pb_init(&p);
    pb_frame_ptb4(&p, RTR, SRV, 1400, d.b + 14, 20);
    CHECK(fr_parse(PMTUD_LINK_ETHERNET, &p, &f));
    CHECK(!f.quote_short);
    CHECK_EQ(f.quoted.family, 4);
    CHECK_EQ(f.quoted.ip_len, 1500);
    CHECK(!f.quoted.has_ports);
    CHECK(!f.quoted.has_seq);

    /* Ports but no sequence number. */
    pb_init(&p);
    pb_frame_ptb4(&p, RTR, SRV, 1400, d.b + 14, 24);
    CHECK(fr_parse(PMTUD_LINK_ETHERNET, &p, &f));
    CHECK(f.quoted.has_ports);
    CHECK(!f.quoted.has_seq);
    pb_init(&p);
    pb_frame_ptb4(&p, RTR, SRV, 1400, d.b + 14, 28);
    CHECK(fr_parse(PMTUD_LINK_ETHERNET, &p, &f));
    CHECK(f.quoted.has_seq);
    CHECK_EQ(f.quoted.seq, SEQ);

    /* IHL 6 with 22 bytes quoted: ends inside the options. */
    {
        pb_t q;
        pb_init(&q);
        pb_bytes(&q, d.b + 14, 40);
        q.b[0] = 0x46;
        pb_init(&p);
        pb_frame_ptb4(&p, RTR, SRV, 1400, q.b, 22);
        CHECK(fr_parse(PMTUD_LINK_ETHERNET, &p, &f));
        CHECK_EQ(f.quoted.family, 4);
        CHECK(f.quote_short);
    }
}

static void test_quote_short_ipv6(void)
{
    pb_t d, p;
    pmtud_frame_t f;
    pb_ip6_t h = pb_ip6_make(SRV6, CLI6, 0);
    size_t off;

    pb_init(&d);
    pb_eth(&d, 0x86dd);
    off = pb_ip6(&d, &h);
    pb_ip6_ext(&d, 6, 1);           /* hop-by-hop, 16 bytes */
    pb_tcp(&d, &TCP_DATA);
    pb_fill(&d, 1424, 0x80);
    pb_ip6_end(&d, off);

    /* 30 bytes: inside the fixed header. */
    pb_init(&p);
    pb_frame_ptb6(&p, RTR6, SRV6, 1280, d.b + 14, 30);
    CHECK(fr_parse(PMTUD_LINK_ETHERNET, &p, &f));
    CHECK(f.quote_short);
    CHECK_EQ(f.quoted.family, 0);

    /* 64 bytes: headers complete, TCP ports and seq present. */
    pb_init(&p);
    pb_frame_ptb6(&p, RTR6, SRV6, 1280, d.b + 14, 64);
    CHECK(fr_parse(PMTUD_LINK_ETHERNET, &p, &f));
    CHECK(!f.quote_short);
    CHECK_EQ(f.quoted.hdr_len, 56);
    CHECK_EQ(f.quoted.proto, 6);
    CHECK_EQ(f.quoted.seq, SEQ);

    /* 44 bytes: ends inside the hop-by-hop header, whose length byte
     * was quoted: the header is known to extend past the quote. */
    pb_init(&p);
    pb_frame_ptb6(&p, RTR6, SRV6, 1280, d.b + 14, 44);
    CHECK(fr_parse(PMTUD_LINK_ETHERNET, &p, &f));
    CHECK_EQ(f.quoted.family, 6);
    CHECK_EQ(f.quoted.hdr_len, 56);
    CHECK(f.quote_short);

    /* 41 bytes: one byte of the hop-by-hop header, so its length is not
     * known, but the quote still ends inside the IP header as hdr_len
     * counts it (options / extension headers).
     * Regression test (a bug, fixed; plugin/pmtud_parse.c parse_ipv6, "if (off + 2 > cap)
     * break;", and parse_icmp "quote_short = qcap < hdr_len"): the walk
     * stops with hdr_len 40 and proto 0 (hop-by-hop), so quote_short
     * stays false, and the analyzer reports "not captured" for a quote
     * it should flag as cut short. */
    pb_init(&p);
    pb_frame_ptb6(&p, RTR6, SRV6, 1280, d.b + 14, 41);
    CHECK(fr_parse(PMTUD_LINK_ETHERNET, &p, &f));
    CHECK_EQ(f.quoted.family, 6);
    CHECK(f.quote_short);
}


int main(void)
{
    RUN(test_icmp4_ptb);
    RUN(test_icmp4_quote_limits);
    RUN(test_icmp6_ptb);
    RUN(test_quote_short);
    RUN(test_quote_short_ipv6);
    return check_done();
}
