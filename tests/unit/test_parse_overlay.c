/* test_parse_overlay.c
 * pmtud_parse, overlays, mirrors and router links: Geneve (with and without
 * options; Ethernet, IPv4 and IPv6 inside), ERSPAN type I, II and III (with
 * the platform subheader, and frame type IP), VXLAN on a port of the table,
 * MPLS over GRE and UDP, GRE and IP-in-IP over IPv6, the link types NFLOG
 * (either byte order), PPP (HDLC-framed, compressed, Cisco HDLC inside) and
 * Cisco HDLC, and IPv6 payload length 0 (BIG TCP, the jumbo option) outside
 * and inside a tunnel.
 *
 * Each new header is also cut at every byte: the inner packet appears
 * exactly when its whole IP header is captured, never before, and no read
 * leaves the exactly-sized heap copy (ASan).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fixtures.h"
#include "frames.h"
#include "pmtud_parse.h"

/* The inner packet every frame here carries (fr_body4 / fr_body6). */
static void expect_inner4(const pmtud_frame_t *f, uint8_t depth)
{
    CHECK(f->has_ip);
    CHECK_EQ(f->tunnel_depth, depth);
    CHECK_EQ(f->ip.family, 4);
    CHECK_MEM(f->ip.src, SRV, 4);
    CHECK_EQ(f->ip.ip_len, 140);
    CHECK_EQ(f->ip.ip_id, 0x0c32);
    CHECK_EQ(f->ip.sport, 80);
    CHECK_EQ(f->ip.seq, SEQ);
    CHECK_EQ(f->ip.payload_len, 100);
}

static void expect_inner6(const pmtud_frame_t *f, uint8_t depth)
{
    CHECK(f->has_ip);
    CHECK_EQ(f->tunnel_depth, depth);
    CHECK_EQ(f->ip.family, 6);
    CHECK_MEM(f->ip.src, SRV6, 16);
    CHECK_EQ(f->ip.ip_len, 160);
    CHECK_EQ(f->ip.seq, SEQ);
    CHECK_EQ(f->ip.payload_len, 100);
}

/* Parses every prefix of p from an exactly-sized heap copy: the tunnel is
 * entered exactly when inner_off + the inner IP header are captured. */
static void every_prefix(const pmtud_udp_ports_t *ports, pmtud_link_t link, const pb_t *p,
                         size_t inner_off, size_t inner_hdr, uint8_t depth)
{
    size_t len;

    for (len = 0; len <= p->len; len++) {
        uint8_t *copy = malloc(len ? len : 1);
        pmtud_frame_t f;
        bool ok;

        if (!CHECK(copy != NULL))
            return;
        memcpy(copy, p->b, len);
        ok = pmtud_parse_frame_ports(ports, link, copy, len, (uint32_t)p->len, &f);
        CHECK(ok == f.has_ip);
        CHECK(f.ip.captured <= len);
        if (len >= inner_off + inner_hdr)
            CHECK_EQ(f.tunnel_depth, depth);
        else
            CHECK(f.tunnel_depth < depth || !ok);
        free(copy);
    }
}

/* Outer Ethernet + IPv4 (proto) from TUN_A to TUN_B; returns the IP offset. */
static size_t outer4(pb_t *p, uint8_t proto)
{
    pb_ip4_t o = pb_ip4_make(TUN_A, TUN_B, proto, 0x7777);
    pb_init(p);
    pb_eth(p, 0x0800);
    return pb_ip4(p, &o);
}

static size_t outer6(pb_t *p, uint8_t next)
{
    static const uint8_t a[16] = { 0xfd, [15] = 1 }, b[16] = { 0xfd, [15] = 2 };
    pb_ip6_t o = pb_ip6_make(a, b, next);
    pb_init(p);
    pb_eth(p, 0x86dd);
    return pb_ip6(p, &o);
}

/* --- the frames under test ------------------------------------------- */

/* Appends the inner packet (fr_body4 when family is 4, else fr_body6) and
 * closes the headers around it: the UDP header at udp (0: none) and the
 * outer IP header at ip, whose version nibble says IPv4 or IPv6. Returns
 * the inner packet's offset. */
static size_t end_tunnel(pb_t *p, uint8_t family, size_t udp, size_t ip)
{
    size_t inner = family == 4 ? fr_body4(p) : fr_body6(p);

    if (udp)
        pb_udp_end(p, udp);
    if (p->b[ip] >> 4 == 6)
        pb_ip6_end(p, ip);
    else
        pb_ip4_end(p, ip);
    return inner;
}

/* p, one tunnel deep on Ethernet with the default port table, carries the
 * inner packet at inner; f holds the parse. */
static void expect_tunnel(const pb_t *p, pmtud_frame_t *f, uint8_t family, size_t inner)
{
    CHECK(fr_parse(PMTUD_LINK_ETHERNET, p, f));
    if (family == 4)
        expect_inner4(f, 1);
    else
        expect_inner6(f, 1);
    every_prefix(&pmtud_udp_ports_default, PMTUD_LINK_ETHERNET, p, inner,
                 family == 4 ? 20 : 40, 1);
}

/* --- Geneve ------------------------------------------------------------ */

static size_t geneve(pb_t *p, uint16_t proto, uint8_t opt_words)
{
    size_t off = pb_u8(p, opt_words & 0x3f);    /* version 0 */
    uint8_t i;
    pb_u8(p, 0);
    pb_u16(p, proto);
    pb_u32(p, 0x00abcd00u);                     /* VNI, reserved */
    for (i = 0; i < opt_words; i++)
        pb_u32(p, i == 0 ? 0x01028001u : 0x00010002u);
    return off;
}

static void test_geneve(void)
{
    pb_t p;
    pmtud_frame_t f;
    size_t ip, udp, inner;

    /* No options, Ethernet inside. */
    ip = outer4(&p, 17);
    udp = pb_udp(&p, 49159, 6081);
    geneve(&p, 0x6558, 0);
    pb_eth(&p, 0x0800);
    inner = end_tunnel(&p, 4, udp, ip);
    expect_tunnel(&p, &f, 4, inner);
    CHECK_EQ(pmtud_frame_outer(&f)->proto, 17);
    CHECK_EQ(pmtud_frame_outer(&f)->dport, 6081);
    CHECK_EQ(inner, 14 + 20 + 8 + 8 + 14);

    /* Not a Geneve port once the table says so (Decode As "none"). */
    {
        pmtud_udp_ports_t none;
        pmtud_udp_ports_clear(&none);
        CHECK(pmtud_parse_frame_ports(&none, PMTUD_LINK_ETHERNET, p.b, p.len,
                                      (uint32_t)p.len, &f));
        CHECK_EQ(f.tunnel_depth, 0);
        CHECK_EQ(f.ip.proto, 17);
    }

    /* Two option words (8 bytes), IPv4 inside (0x0800); Geneve from the
     * source port works too (the lower port is tried first). */
    ip = outer4(&p, 17);
    udp = pb_udp(&p, 6081, 50000);
    geneve(&p, 0x0800, 2);
    inner = end_tunnel(&p, 4, udp, ip);
    expect_tunnel(&p, &f, 4, inner);
    CHECK_EQ(inner, 14 + 20 + 8 + 16);

    /* IPv6 underlay, IPv6 inside (0x86dd). */
    ip = outer6(&p, 17);
    udp = pb_udp(&p, 49159, 6081);
    geneve(&p, 0x86dd, 1);
    inner = end_tunnel(&p, 6, udp, ip);
    expect_tunnel(&p, &f, 6, inner);
    CHECK_EQ(pmtud_frame_outer(&f)->family, 6);

    /* An unknown protocol type (ARP) is not followed. */
    p.b[14 + 40 + 8 + 2] = 0x08;
    p.b[14 + 40 + 8 + 3] = 0x06;
    CHECK(fr_parse(PMTUD_LINK_ETHERNET, &p, &f));
    CHECK_EQ(f.tunnel_depth, 0);
}

/* The inner packet is read inside the outer one only: an outer IPv4 total
 * length that ends inside the inner Ethernet header or the inner IP header
 * leaves the frame at its outer packet, whatever the bytes after it hold
 * (Wireshark finds the inner Ethernet header malformed and reads no IP;
 * found by the tshark fuzz campaign, seed 811944). */
static void test_inner_past_outer_length(void)
{
    static const uint16_t cut_at[] = { 20 + 8 + 9, 20 + 8 + 8 + 14 + 10 };
    pb_t p;
    pmtud_frame_t f;
    size_t ip, udp, i;

    for (i = 0; i < sizeof cut_at / sizeof cut_at[0]; i++) {
        ip = outer4(&p, 17);
        udp = pb_udp(&p, 49159, 6081);
        geneve(&p, 0x6558, 0);
        pb_eth(&p, 0x0800);
        end_tunnel(&p, 4, udp, ip);
        CHECK(fr_parse(PMTUD_LINK_ETHERNET, &p, &f));
        CHECK_EQ(f.tunnel_depth, 1);            /* the whole outer packet: read */
        p.b[ip + 2] = (uint8_t)(cut_at[i] >> 8);
        p.b[ip + 3] = (uint8_t)cut_at[i];
        CHECK(fr_parse(PMTUD_LINK_ETHERNET, &p, &f));
        CHECK_EQ(f.tunnel_depth, 0);
        CHECK_EQ(f.ip.ip_len, cut_at[i]);
        CHECK_EQ(f.ip.dport, 6081);
    }
}

/* --- VXLAN on the user's port, MPLS ------------------------------------ */

static void test_vxlan_port_table(void)
{
    pb_t p;
    pmtud_frame_t f;
    pmtud_udp_ports_t ports;
    size_t ip, udp, inner;

    ip = outer4(&p, 17);
    udp = pb_udp(&p, 50123, 8472);
    pb_vxlan(&p, 1);
    pb_eth(&p, 0x0800);
    inner = end_tunnel(&p, 4, udp, ip);

    /* 8472 is not VXLAN by default... */
    CHECK(fr_parse(PMTUD_LINK_ETHERNET, &p, &f));
    CHECK_EQ(f.tunnel_depth, 0);
    /* ...but is once the table says so; 4789 then is not. */
    pmtud_udp_ports_clear(&ports);
    pmtud_udp_ports_set(&ports, 8472, PMTUD_UDP_VXLAN);
    CHECK_EQ(pmtud_udp_port_kind(&ports, 8472), PMTUD_UDP_VXLAN);
    CHECK_EQ(pmtud_udp_port_kind(&ports, 8473), PMTUD_UDP_PLAIN);
    CHECK_EQ(pmtud_udp_port_kind(&ports, 4789), PMTUD_UDP_PLAIN);
    CHECK_EQ(pmtud_udp_port_kind(&pmtud_udp_ports_default, 4789), PMTUD_UDP_VXLAN);
    CHECK_EQ(pmtud_udp_port_kind(&pmtud_udp_ports_default, 6081), PMTUD_UDP_GENEVE);
    CHECK_EQ(pmtud_udp_port_kind(&pmtud_udp_ports_default, 6635), PMTUD_UDP_MPLS);
    CHECK(pmtud_parse_frame_ports(&ports, PMTUD_LINK_ETHERNET, p.b, p.len, (uint32_t)p.len, &f));
    expect_inner4(&f, 1);
    every_prefix(&ports, PMTUD_LINK_ETHERNET, &p, inner, 20, 1);
    /* Neighbouring ports in the same table byte stay apart. */
    pmtud_udp_ports_set(&ports, 8473, PMTUD_UDP_GENEVE);
    pmtud_udp_ports_set(&ports, 8472, PMTUD_UDP_PLAIN);
    CHECK_EQ(pmtud_udp_port_kind(&ports, 8472), PMTUD_UDP_PLAIN);
    CHECK_EQ(pmtud_udp_port_kind(&ports, 8473), PMTUD_UDP_GENEVE);
    pmtud_udp_ports_set(&ports, 8472, PMTUD_UDP_VXLAN);
    pmtud_udp_ports_set(&ports, 8473, PMTUD_UDP_PLAIN);

    /* Wireshark's choice of port: another protocol on the higher port does
     * not matter, the lower (8472, VXLAN) is tried first... */
    pmtud_udp_ports_set(&ports, 50123, PMTUD_UDP_OTHER);
    CHECK_EQ(pmtud_udp_port_kind(&ports, 50123), PMTUD_UDP_OTHER);
    CHECK(pmtud_parse_frame_ports(&ports, PMTUD_LINK_ETHERNET, p.b, p.len, (uint32_t)p.len, &f));
    expect_inner4(&f, 1);
    /* ...but a lower port another protocol owns (echo, 7: a fuzzed VXLAN
     * datagram Wireshark shows as echo) ends the walk at the outer UDP. */
    pmtud_udp_ports_set(&ports, 7, PMTUD_UDP_OTHER);
    p.b[udp] = 0;
    p.b[udp + 1] = 7;
    CHECK(pmtud_parse_frame_ports(&ports, PMTUD_LINK_ETHERNET, p.b, p.len, (uint32_t)p.len, &f));
    CHECK_EQ(f.tunnel_depth, 0);
    CHECK_EQ(f.ip.proto, 17);
    /* Port 0 is never tried (Wireshark skips it): the higher port decides. */
    pmtud_udp_ports_set(&ports, 0, PMTUD_UDP_OTHER);
    p.b[udp + 1] = 0;
    CHECK(pmtud_parse_frame_ports(&ports, PMTUD_LINK_ETHERNET, p.b, p.len, (uint32_t)p.len, &f));
    expect_inner4(&f, 1);
}

static void test_mpls(void)
{
    pb_t p;
    pmtud_frame_t f;
    size_t ip, udp, inner;

    /* MPLS over GRE: one label, bottom of stack. */
    ip = outer4(&p, 47);
    pb_gre(&p, 0x8847, false, 0);
    pb_u32(&p, (1001u << 12) | 0x100 | 64);
    inner = end_tunnel(&p, 4, 0, ip);
    expect_tunnel(&p, &f, 4, inner);

    /* MPLS over UDP 6635: two labels. */
    ip = outer4(&p, 17);
    udp = pb_udp(&p, 49152, 6635);
    pb_u32(&p, (2001u << 12) | 64);
    pb_u32(&p, (2002u << 12) | 0x100 | 64);
    inner = end_tunnel(&p, 6, udp, ip);
    expect_tunnel(&p, &f, 6, inner);
}

/* --- ERSPAN ------------------------------------------------------------ */

/* GRE with flags (sequence number when seq), protocol proto. */
static void gre_hdr(pb_t *p, uint16_t proto, bool seq)
{
    pb_u16(p, seq ? 0x1000 : 0);
    pb_u16(p, proto);
    if (seq)
        pb_u32(p, 106);
}

static void test_erspan(void)
{
    pb_t p;
    pmtud_frame_t f;
    size_t ip, inner;

    /* Type I: 0x88be, no sequence number, the mirrored frame right away. */
    ip = outer4(&p, 47);
    gre_hdr(&p, 0x88be, false);
    pb_eth(&p, 0x0800);
    inner = end_tunnel(&p, 4, 0, ip);
    expect_tunnel(&p, &f, 4, inner);
    CHECK_EQ(inner, 14 + 20 + 4 + 14);

    /* Type II: sequence number, 8-byte header of version 1. */
    ip = outer4(&p, 47);
    gre_hdr(&p, 0x88be, true);
    pb_u32(&p, 0x100a0007u);     /* version 1, VLAN 10, session 7 */
    pb_u32(&p, 3);
    pb_eth(&p, 0x0800);
    inner = end_tunnel(&p, 4, 0, ip);
    expect_tunnel(&p, &f, 4, inner);
    CHECK_EQ(inner, 14 + 20 + 8 + 8 + 14);
    /* Version 0 is unknown to Wireshark too: not followed. */
    p.b[14 + 20 + 8] = 0x00;
    CHECK(fr_parse(PMTUD_LINK_ETHERNET, &p, &f));
    CHECK_EQ(f.tunnel_depth, 0);

    /* Type III: 0x22eb, 12 bytes, O bit: 8 more. */
    ip = outer6(&p, 47);
    gre_hdr(&p, 0x22eb, true);
    pb_u32(&p, 0x200a0007u);     /* version 2 */
    pb_u32(&p, 0x01020304u);     /* timestamp */
    pb_u16(&p, 0);               /* SGT */
    pb_u16(&p, 0x0001);          /* P 0, FT 0 (Ethernet), ..., O 1 */
    pb_u32(&p, 0x0c000012u);     /* platform 3 */
    pb_u32(&p, 0x0a0b0c0du);
    pb_eth(&p, 0x86dd);
    inner = end_tunnel(&p, 6, 0, ip);
    expect_tunnel(&p, &f, 6, inner);
    CHECK_EQ(inner, 14 + 40 + 8 + 20 + 14);

    /* Type III without the subheader, frame type 2: IP right after. */
    ip = outer4(&p, 47);
    gre_hdr(&p, 0x22eb, false);
    pb_u32(&p, 0x200a0007u);
    pb_u32(&p, 0);
    pb_u16(&p, 0);
    pb_u16(&p, 2 << 10);
    inner = end_tunnel(&p, 4, 0, ip);
    expect_tunnel(&p, &f, 4, inner);
}

/* --- tunnels over IPv6 ------------------------------------------------- */

static void test_over_ipv6(void)
{
    pb_t p;
    pmtud_frame_t f;
    size_t ip;

    /* ip6gre with IPv4 inside. */
    ip = outer6(&p, 47);
    pb_gre(&p, 0x0800, true, 9);
    end_tunnel(&p, 4, 0, ip);
    CHECK(fr_parse(PMTUD_LINK_ETHERNET, &p, &f));
    expect_inner4(&f, 1);
    CHECK_EQ(pmtud_frame_outer(&f)->family, 6);
    CHECK_EQ(pmtud_frame_outer(&f)->proto, 47);

    /* 4in6 and 6in6. */
    ip = outer6(&p, 4);
    end_tunnel(&p, 4, 0, ip);
    CHECK(fr_parse(PMTUD_LINK_ETHERNET, &p, &f));
    expect_inner4(&f, 1);
    CHECK_EQ(pmtud_frame_outer(&f)->ip_len, 40 + 140);

    ip = outer6(&p, 41);
    expect_tunnel(&p, &f, 6, end_tunnel(&p, 6, 0, ip));
    CHECK_EQ(pmtud_frame_outer(&f)->ip_len, 40 + 160);
}

/* --- link types -------------------------------------------------------- */

static void nflog_tlv(pb_t *p, bool big, uint16_t type, const uint8_t *v, size_t n)
{
    uint16_t len = (uint16_t)(4 + n);
    static const uint8_t zero[4];
    if (big) {
        pb_u16(p, len);
        pb_u16(p, type);
    } else {
        pb_bytes(p, (uint8_t[2]){ (uint8_t)len, (uint8_t)(len >> 8) }, 2);
        pb_bytes(p, (uint8_t[2]){ (uint8_t)type, (uint8_t)(type >> 8) }, 2);
    }
    pb_bytes(p, v, n);
    pb_bytes(p, zero, (4 - n % 4) % 4);
}

static void test_nflog(void)
{
    static const uint8_t hdr[4] = { 0x08, 0x00, 3, 0 }, prefix[6] = "pmtud";
    pb_t p, body;
    pmtud_frame_t f;
    int big;

    pb_init(&body);
    fr_body4(&body);
    for (big = 0; big <= 1; big++) {
        size_t ip;
        pb_init(&p);
        pb_u8(&p, 2);            /* AF_INET */
        pb_u8(&p, 0);
        pb_u16(&p, 5);
        nflog_tlv(&p, big, 1, hdr, sizeof hdr);
        nflog_tlv(&p, big, 10, prefix, sizeof prefix);
        nflog_tlv(&p, big, 9, body.b, body.len);
        ip = 4 + 8 + 12 + 4;
        CHECK(fr_parse(PMTUD_LINK_NFLOG, &p, &f));
        expect_inner4(&f, 0);
        CHECK_EQ(f.link_hdr_len, ip);
        every_prefix(&pmtud_udp_ports_default, PMTUD_LINK_NFLOG, &p, ip, 20, 0);
    }
    /* The payload TLV bounds the wire length: a length-0 IPv4 packet runs
     * to the end of the payload, not of the record. */
    pb_init(&p);
    pb_u8(&p, 2);
    pb_u8(&p, 0);
    pb_u16(&p, 5);
    pb_set16(&body, 2, 0);
    nflog_tlv(&p, false, 9, body.b, body.len);
    nflog_tlv(&p, false, 10, prefix, sizeof prefix);
    CHECK(fr_parse(PMTUD_LINK_NFLOG, &p, &f));
    CHECK(f.ip.len_zero);
    CHECK_EQ(f.ip.ip_len, 140);
    /* An unknown family is not IP. */
    p.b[0] = 7;
    CHECK(!fr_parse(PMTUD_LINK_NFLOG, &p, &f));

    /* As Wireshark reads NFLOG: the packet header's hardware protocol, when
     * it names one, decides over the family (0x9c00: no IP, as a fuzzed
     * capture showed "data" where pmtud read IPv4)... */
    {
        static const uint8_t odd[4] = { 0x9c, 0x00, 3, 0 };
        pb_init(&body);
        fr_body4(&body);
        pb_init(&p);
        pb_u8(&p, 2);
        pb_u8(&p, 0);
        pb_u16(&p, 5);
        nflog_tlv(&p, false, 1, odd, sizeof odd);
        nflog_tlv(&p, false, 9, body.b, body.len);
        CHECK(!fr_parse(PMTUD_LINK_NFLOG, &p, &f));
        p.b[8] = 0x08;           /* hardware protocol 0x0800 */
        CHECK(fr_parse(PMTUD_LINK_NFLOG, &p, &f));
        expect_inner4(&f, 0);
        /* ...and a malformed TLV after the payload ends the walk with
         * nothing read, the payload included. */
        pb_u16(&p, 0x0200);      /* length 2, little-endian */
        pb_u16(&p, 0x0a00);
        CHECK(!fr_parse(PMTUD_LINK_NFLOG, &p, &f));
        /* So does a payload TLV longer than the frame (Wireshark: malformed). */
        p.len -= 4;
        CHECK(fr_parse(PMTUD_LINK_NFLOG, &p, &f));
        p.b[4 + 8 + 1] = 0x78;   /* the payload TLV's length: 0x78xx */
        CHECK(!fr_parse(PMTUD_LINK_NFLOG, &p, &f));
    }
}

static void test_ppp_chdlc(void)
{
    pb_t p;
    pmtud_frame_t f;

    /* PPP with address/control, IPv4. */
    pb_init(&p);
    pb_u16(&p, 0xff03);
    pb_u16(&p, 0x0021);
    fr_body4(&p);
    CHECK(fr_parse(PMTUD_LINK_PPP, &p, &f));
    expect_inner4(&f, 0);
    CHECK_EQ(f.link_hdr_len, 4);
    every_prefix(&pmtud_udp_ports_default, PMTUD_LINK_PPP, &p, 4, 20, 0);

    /* Address/control and protocol compressed: one byte, 0x57 = IPv6. */
    pb_init(&p);
    pb_u8(&p, 0x57);
    fr_body6(&p);
    CHECK(fr_parse(PMTUD_LINK_PPP, &p, &f));
    expect_inner6(&f, 0);
    CHECK_EQ(f.link_hdr_len, 1);

    /* Two-byte protocol without address/control; LCP is not IP. */
    pb_init(&p);
    pb_u16(&p, 0x0057);
    fr_body6(&p);
    CHECK(fr_parse(PMTUD_LINK_PPP, &p, &f));
    CHECK_EQ(f.link_hdr_len, 2);
    pb_set16(&p, 0, 0xc021);
    CHECK(!fr_parse(PMTUD_LINK_PPP, &p, &f));

    /* Cisco HDLC, alone or on a PPP link type (Wireshark hands it over). */
    pb_init(&p);
    pb_u16(&p, 0x0f00);
    pb_u16(&p, 0x0800);
    fr_body4(&p);
    CHECK(fr_parse(PMTUD_LINK_CHDLC, &p, &f));
    expect_inner4(&f, 0);
    CHECK(fr_parse(PMTUD_LINK_PPP, &p, &f));
    expect_inner4(&f, 0);
    every_prefix(&pmtud_udp_ports_default, PMTUD_LINK_CHDLC, &p, 4, 20, 0);
    pb_set16(&p, 2, 0x8035);     /* SLARP */
    CHECK(!fr_parse(PMTUD_LINK_CHDLC, &p, &f));
}

/* --- BIG TCP / jumbograms ---------------------------------------------- */

static void test_ipv6_len_zero(void)
{
    pb_t p;
    pmtud_frame_t f;
    pb_ip6_t h = pb_ip6_make(SRV6, CLI6, 6);
    size_t off;

    /* Payload length 0, no extension header: the wire length decides. */
    pb_init(&p);
    pb_eth(&p, 0x86dd);
    off = pb_ip6(&p, &h);
    pb_tcp(&p, &TCP_DATA);
    pb_fill(&p, 64, 0x40);
    CHECK(pmtud_parse_frame(PMTUD_LINK_ETHERNET, p.b, p.len, 14 + 40 + 20 + 80000, &f));
    CHECK(f.ip.len_zero);
    CHECK(!f.ip.jumbo);
    CHECK_EQ(f.ip.ip_len, 80060);
    CHECK_EQ(f.ip.payload_len, 80000);
    CHECK_EQ(f.ip.payload_caplen, 64);
    CHECK_EQ(f.ip.seq, SEQ);
    CHECK_EQ(pmtud_frame_outer(&f)->ip_len, 80060);

    /* Hop-by-Hop jumbo option: its length wins over the wire's. */
    h.next = 0;
    pb_init(&p);
    pb_eth(&p, 0x86dd);
    off = pb_ip6(&p, &h);
    pb_u8(&p, 6);
    pb_u8(&p, 0);
    pb_u8(&p, 0xc2);
    pb_u8(&p, 4);
    pb_u32(&p, 8 + 20 + 80000);
    pb_tcp(&p, &TCP_DATA);
    pb_fill(&p, 64, 0x40);
    CHECK(pmtud_parse_frame(PMTUD_LINK_ETHERNET, p.b, p.len, 99999, &f));
    CHECK(f.ip.len_zero);
    CHECK(f.ip.jumbo);
    CHECK_EQ(f.ip.ip_len, 80068);
    CHECK_EQ(f.ip.hdr_len, 48);
    CHECK_EQ(f.ip.payload_len, 80000);
    CHECK_EQ(f.ip.sport, 80);
    (void)off;

    /* Payload length 0 with "no next header" is just a bare header. */
    h.next = 59;
    pb_init(&p);
    pb_eth(&p, 0x86dd);
    pb_ip6(&p, &h);
    pb_fill(&p, 6, 0);            /* Ethernet padding */
    CHECK(fr_parse(PMTUD_LINK_ETHERNET, &p, &f));
    CHECK(!f.ip.len_zero);
    CHECK_EQ(f.ip.ip_len, 40);
}

/* Inside an overlay: the inner length is the wire length minus all before. */
static void test_len_zero_in_tunnel(void)
{
    pb_t p;
    pmtud_frame_t f;
    pb_ip6_t h = pb_ip6_make(SRV6, CLI6, 6);
    pb_ip4_t h4 = pb_ip4_make(SRV, CLI, 6, 0x2000);
    size_t udp, in;
    const uint32_t before = 14 + 20 + 8 + 8 + 14;

    outer4(&p, 17);
    udp = pb_udp(&p, 49159, 6081);
    geneve(&p, 0x6558, 0);
    pb_eth(&p, 0x86dd);
    pb_ip6(&p, &h);
    pb_tcp(&p, &TCP_DATA);
    pb_fill(&p, 64, 0x40);
    pb_set16(&p, udp + 4, (uint16_t)(before + 80060 - 34));
    pb_ip4_len(&p, 14, 0);
    CHECK(pmtud_parse_frame(PMTUD_LINK_ETHERNET, p.b, p.len, before + 80060, &f));
    CHECK_EQ(f.tunnel_depth, 1);
    CHECK(pmtud_frame_outer(&f)->len_zero);
    CHECK_EQ(pmtud_frame_outer(&f)->ip_len, before + 80060 - 14);
    CHECK(f.ip.len_zero);
    CHECK_EQ(f.ip.ip_len, 80060);
    CHECK_EQ(f.ip.payload_len, 80000);

    /* IPv4 total length 0 inside VXLAN. */
    outer4(&p, 17);
    udp = pb_udp(&p, 49159, 4789);
    pb_vxlan(&p, 5);
    pb_eth(&p, 0x0800);
    in = pb_ip4(&p, &h4);
    pb_tcp(&p, &TCP_DATA);
    pb_fill(&p, 64, 0x40);
    pb_ip4_len(&p, in, 0);
    pb_ip4_end(&p, 14);
    CHECK(pmtud_parse_frame(PMTUD_LINK_ETHERNET, p.b, p.len, before + 80040, &f));
    CHECK_EQ(f.tunnel_depth, 1);
    CHECK(!pmtud_frame_outer(&f)->len_zero);
    CHECK(f.ip.len_zero);
    CHECK_EQ(f.ip.ip_len, 80040);
    CHECK_EQ(f.ip.payload_len, 80000);
    (void)udp;
}

int main(void)
{
    RUN(test_geneve);
    RUN(test_inner_past_outer_length);
    RUN(test_vxlan_port_table);
    RUN(test_mpls);
    RUN(test_erspan);
    RUN(test_over_ipv6);
    RUN(test_nflog);
    RUN(test_ppp_chdlc);
    RUN(test_ipv6_len_zero);
    RUN(test_len_zero_in_tunnel);
    return check_done();
}
