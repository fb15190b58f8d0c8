/* test_parse_stop.c
 * Never silent: where pmtud stopped reading a frame (pmtud_parse_stop) and
 * whether its bytes hold a frag-needed / Packet Too Big (pmtud_find_ptb).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "check.h"
#include "fixtures.h"
#include "pkt_build.h"
#include "pmtud_parse.h"

/* An IPv4 frag-needed (IP header onwards) quoting a 1500-byte TCP packet. */
static void inner_ptb4(pb_t *out)
{
    pb_t data, icmp;
    pb_ip4_t h = pb_ip4_make(SRV, CLI, 6, 0x1234);
    pb_tcp_t t = { 80, 49321, SEQ, 1, PB_ACK, 0 };

    pb_init(&data);
    pb_frame_tcp4(&data, &h, &t, 1460, 1);
    pb_init(&icmp);
    pb_frame_ptb4(&icmp, RTR, SRV, 1400, data.b + 14, 548);
    pb_init(out);
    pb_bytes(out, icmp.b + 14, icmp.len - 14);
}

/* Ethernet, IPv4 (proto), then body. */
static void outer4(pb_t *p, uint8_t proto, const pb_t *body)
{
    pb_ip4_t h = pb_ip4_make(TUN_A, TUN_B, proto, 7);
    size_t ip;

    pb_init(p);
    pb_eth(p, 0x0800);
    ip = pb_ip4(p, &h);
    pb_bytes(p, body->b, body->len);
    pb_ip4_end(p, ip);
}

/* Ethernet, IPv4, UDP 2152, GTP-U G-PDU carrying inner. */
static void gtpu(pb_t *p, const pb_t *inner)
{
    pb_t body;
    size_t udp;

    pb_init(&body);
    udp = pb_udp(&body, 2152, 2152);
    pb_u32(&body, 0x30ff0000u | (uint32_t)inner->len);
    pb_u32(&body, 0x1001);
    pb_bytes(&body, inner->b, inner->len);
    pb_udp_end(&body, udp);
    outer4(p, 17, &body);
}

static void stop_of(pmtud_link_t link, const pb_t *p, pmtud_stop_t *stop)
{
    pmtud_frame_t f;

    pmtud_parse_frame(link, p->b, p->len, (uint32_t)p->len, &f);
    pmtud_parse_stop(&pmtud_udp_ports_default, link, p->b, p->len, &f, stop);
}

static void test_udp_port(void)
{
    pb_t inner, p;
    pmtud_stop_t stop;
    pb_ip4_t h = pb_ip4_make(RTR, SRV, 1, 9);
    size_t ip;

    inner_ptb4(&inner);
    gtpu(&p, &inner);
    stop_of(PMTUD_LINK_ETHERNET, &p, &stop);
    CHECK_EQ(stop.kind, PMTUD_STOP_UDP_PORT);
    CHECK_EQ(stop.value, 2152);
    CHECK(pmtud_find_ptb(p.b, p.len));

    /* An echo request in the same place is no frag-needed. */
    pb_init(&inner);
    ip = pb_ip4(&inner, &h);
    pb_icmp4(&inner, 8, 0);
    pb_ip4_end(&inner, ip);
    gtpu(&p, &inner);
    CHECK(!pmtud_find_ptb(p.b, p.len));
}

static void test_ip_proto_and_gre(void)
{
    pb_t inner, body, p;
    pmtud_stop_t stop;

    inner_ptb4(&inner);
    pb_init(&body);
    pb_u16(&body, 0x3000);                 /* EtherIP */
    pb_eth(&body, 0x0800);
    pb_bytes(&body, inner.b, inner.len);
    outer4(&p, 97, &body);
    stop_of(PMTUD_LINK_ETHERNET, &p, &stop);
    CHECK_EQ(stop.kind, PMTUD_STOP_IP_PROTO);
    CHECK_EQ(stop.value, 97);
    CHECK(pmtud_find_ptb(p.b, p.len));

    /* GRE carrying PPP (0x880b), as PPTP does. */
    pb_init(&body);
    pb_gre(&body, 0x880b, false, 0);
    pb_bytes(&body, inner.b, inner.len);
    outer4(&p, 47, &body);
    stop_of(PMTUD_LINK_ETHERNET, &p, &stop);
    CHECK_EQ(stop.kind, PMTUD_STOP_GRE);
    CHECK_EQ(stop.value, 0x880b);
}

/* A bad IPv4 header checksum: no frag-needed claimed from stray bytes. */
static void test_checksum_required(void)
{
    pb_t inner, body, p;

    inner_ptb4(&inner);
    inner.b[10] ^= 0x55;
    pb_init(&body);
    pb_u16(&body, 0x3000);
    pb_eth(&body, 0x0800);
    pb_bytes(&body, inner.b, inner.len);
    outer4(&p, 97, &body);
    CHECK(!pmtud_find_ptb(p.b, p.len));
}

/* IP in IP nested deeper than pmtud follows: the frame is read to the
 * deepest packet followed (ip, inner_off and the wire check agree on it),
 * and the stop says "deeper". The same nesting with the outermost length
 * ending inside the next IP header holds no deeper packet: the stop says
 * the bytes are cut, as the parser reads nothing past that length. */
static void test_depth(void)
{
    enum { WRAPS = 5 };            /* IP-in-IP layers around the frag-needed */
    pb_t inner, p;
    pb_ip4_t h = pb_ip4_make(TUN_A, TUN_B, 4, 7);
    pmtud_frame_t f;
    pmtud_stop_t stop;
    size_t ips[WRAPS], i;
    uint16_t cut;

    inner_ptb4(&inner);
    pb_init(&p);
    pb_eth(&p, 0x0800);
    for (i = 0; i < WRAPS; i++)
        ips[i] = pb_ip4(&p, &h);
    pb_bytes(&p, inner.b, inner.len);
    for (i = WRAPS; i-- > 0;)
        pb_ip4_end(&p, ips[i]);

    CHECK(pmtud_parse_frame(PMTUD_LINK_ETHERNET, p.b, p.len, (uint32_t)p.len, &f));
    CHECK_EQ(f.tunnel_depth, WRAPS - 1);
    CHECK_EQ(f.inner_off, ips[WRAPS - 1]);  /* the packet read, not the one past it */
    CHECK_EQ(f.ip.proto, 4);
    CHECK_EQ(f.ip.ip_len, 20 + inner.len);     /* the fifth layer: its header and the frag-needed */
    stop_of(PMTUD_LINK_ETHERNET, &p, &stop);
    CHECK_EQ(stop.kind, PMTUD_STOP_DEPTH);
    CHECK_EQ(stop.value, WRAPS - 1);
    CHECK(pmtud_find_ptb(p.b, p.len));

    /* The outermost packet ends 10 bytes into the frag-needed's IP header. */
    cut = (uint16_t)(20 * WRAPS + 10);
    p.b[ips[0] + 2] = (uint8_t)(cut >> 8);
    p.b[ips[0] + 3] = (uint8_t)cut;
    CHECK(pmtud_parse_frame(PMTUD_LINK_ETHERNET, p.b, p.len, (uint32_t)p.len, &f));
    CHECK_EQ(f.tunnel_depth, WRAPS - 1);
    CHECK_EQ(f.ip.captured, 20 + 10);
    stop_of(PMTUD_LINK_ETHERNET, &p, &stop);
    CHECK_EQ(stop.kind, PMTUD_STOP_CUT);
}

static void test_link(void)
{
    pb_t inner, p;
    pmtud_stop_t stop;

    inner_ptb4(&inner);
    /* 802.11 + LLC/SNAP: pmtud does not know the link type. */
    pb_init(&p);
    pb_fill(&p, 24, 0x08);
    pb_u32(&p, 0xaaaa0300u);
    pb_u32(&p, 0x00000800u);
    pb_bytes(&p, inner.b, inner.len);
    stop_of(PMTUD_LINK_UNKNOWN, &p, &stop);
    CHECK_EQ(stop.kind, PMTUD_STOP_LINK);
    CHECK(pmtud_find_ptb(p.b, p.len));

    /* An ethertype pmtud does not follow (ERSPAN's 0x88be as a stand-in). */
    pb_init(&p);
    pb_eth(&p, 0x88be);
    pb_bytes(&p, inner.b, inner.len);
    stop_of(PMTUD_LINK_ETHERNET, &p, &stop);
    CHECK_EQ(stop.kind, PMTUD_STOP_ETHERTYPE);
    CHECK_EQ(stop.value, 0x88be);

    /* Headers cut by the snaplen. */
    pb_init(&p);
    pb_eth(&p, 0x8100);
    stop_of(PMTUD_LINK_ETHERNET, &p, &stop);
    CHECK_EQ(stop.kind, PMTUD_STOP_CUT);
}

/* What pmtud reads: nothing to say. */
static void test_read_through(void)
{
    pb_t p;
    pmtud_stop_t stop;
    pb_ip4_t h = pb_ip4_make(SRV, CLI, 6, 1);
    pb_tcp_t t = { 80, 49321, SEQ, 1, PB_ACK, 0 };

    pb_init(&p);
    pb_frame_tcp4(&p, &h, &t, 100, 1);
    stop_of(PMTUD_LINK_ETHERNET, &p, &stop);
    CHECK_EQ(stop.kind, PMTUD_STOP_NONE);
    CHECK(!pmtud_find_ptb(p.b, p.len));
}

/* ICMPv6 Packet Too Big: the checksum is checked when captured whole. */
static void test_ptb6(void)
{
    pb_t data, p;
    pb_ip6_t h = pb_ip6_make(SRV6, CLI6, 6);
    pb_tcp_t t = { 80, 49321, SEQ, 1, PB_ACK, 0 };
    uint32_t sum = 0;
    size_t i, icmp = 14 + 40;

    pb_init(&data);
    pb_frame_tcp6(&data, &h, &t, 1440, 1);
    pb_init(&p);
    pb_frame_ptb6(&p, RTR6, SRV6, 1280, data.b + 14, 1232);
    /* pkt_build leaves transport checksums 0: with 0 it is no PTB. */
    CHECK(!pmtud_find_ptb(p.b, p.len));
    for (i = 14 + 8; i < 14 + 40; i += 2)
        sum += (uint32_t)(p.b[i] << 8 | p.b[i + 1]);
    sum += (uint32_t)(p.len - icmp) + 58;
    for (i = icmp; i + 1 < p.len; i += 2)
        sum += (uint32_t)(p.b[i] << 8 | p.b[i + 1]);
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    pb_set16(&p, icmp + 2, (uint16_t)~sum);
    CHECK(pmtud_find_ptb(p.b, p.len));
    /* Cut by a snaplen: the structure has to do. */
    p.b[icmp + 2] ^= 1;
    CHECK(!pmtud_find_ptb(p.b, p.len));
    CHECK(pmtud_find_ptb(p.b, 14 + 40 + 100));
}

int main(void)
{
    RUN(test_udp_port);
    RUN(test_ip_proto_and_gre);
    RUN(test_checksum_required);
    RUN(test_depth);
    RUN(test_link);
    RUN(test_read_through);
    RUN(test_ptb6);
    return check_done();
}
