/* pkt_build.c
 * Test frame construction; see pkt_build.h.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "pkt_build.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A frame that does not fit is a mistake in the test, not a result. */
static uint8_t *room(pb_t *p, size_t n)
{
    uint8_t *at;
    if (n > PB_MAX - p->len) {
        fprintf(stderr, "pkt_build: frame larger than %d bytes\n", PB_MAX);
        abort();
    }
    at = p->b + p->len;
    p->len += n;
    return at;
}

void pb_init(pb_t *p)
{
    memset(p, 0, sizeof *p);
}

size_t pb_bytes(pb_t *p, const void *src, size_t n)
{
    size_t off = p->len;
    uint8_t *at = room(p, n);
    if (n)
        memcpy(at, src, n);
    return off;
}

size_t pb_u8(pb_t *p, uint8_t v)
{
    return pb_bytes(p, &v, 1);
}

size_t pb_u16(pb_t *p, uint16_t v)
{
    uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };
    return pb_bytes(p, b, 2);
}

size_t pb_u32(pb_t *p, uint32_t v)
{
    uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };
    return pb_bytes(p, b, 4);
}

size_t pb_fill(pb_t *p, size_t n, uint8_t seed)
{
    size_t off = p->len, i;
    uint8_t *at = room(p, n);
    for (i = 0; i < n; i++)
        at[i] = (uint8_t)(seed + i);
    return off;
}

void pb_set16(pb_t *p, size_t off, uint16_t v)
{
    p->b[off] = (uint8_t)(v >> 8);
    p->b[off + 1] = (uint8_t)v;
}

void pb_set32(pb_t *p, size_t off, uint32_t v)
{
    pb_set16(p, off, (uint16_t)(v >> 16));
    pb_set16(p, off + 2, (uint16_t)v);
}

/* --- link layers ------------------------------------------------------- */

size_t pb_eth(pb_t *p, uint16_t ethertype)
{
    static const uint8_t macs[12] = { 0x52, 0x54, 0x00, 0x00, 0x00, 0x02,
                                      0x52, 0x54, 0x00, 0x00, 0x00, 0x01 };
    size_t off = pb_bytes(p, macs, sizeof macs);
    pb_u16(p, ethertype);
    return off;
}

size_t pb_tag(pb_t *p, uint16_t tci, uint16_t next)
{
    size_t off = pb_u16(p, tci);
    pb_u16(p, next);
    return off;
}

size_t pb_pppoes(pb_t *p, uint16_t ppp_proto)
{
    size_t off = pb_u8(p, 0x11);   /* version 1, type 1 */
    pb_u8(p, 0x00);                /* code: session data */
    pb_u16(p, 0x1234);             /* session id */
    pb_u16(p, 0);                  /* length: not read by the parser */
    pb_u16(p, ppp_proto);
    return off;
}

size_t pb_sll(pb_t *p, uint16_t proto)
{
    static const uint8_t head[14] = { 0x00, 0x00, 0x00, 0x01, 0x00, 0x06,
                                      0x52, 0x54, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00 };
    size_t off = pb_bytes(p, head, sizeof head);   /* packet type, ARPHRD, addr */
    pb_u16(p, proto);
    return off;
}

size_t pb_sll2(pb_t *p, uint16_t proto)
{
    static const uint8_t rest[18] = { 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01,
                                      0x00, 0x06, 0x52, 0x54, 0x00, 0x00, 0x00, 0x01,
                                      0x00, 0x00 };
    size_t off = pb_u16(p, proto);
    pb_bytes(p, rest, sizeof rest);  /* reserved, ifindex, ARPHRD, type, addr */
    return off;
}

size_t pb_null(pb_t *p, uint32_t family)
{
    return pb_bytes(p, &family, 4);   /* host order, as BSD writes it */
}

/* --- IPv4 -------------------------------------------------------------- */

pb_ip4_t pb_ip4_make(const uint8_t src[4], const uint8_t dst[4], uint8_t proto, uint16_t id)
{
    pb_ip4_t h;
    memset(&h, 0, sizeof h);
    memcpy(h.src, src, 4);
    memcpy(h.dst, dst, 4);
    h.proto = proto;
    h.id = id;
    h.df = true;
    return h;
}

size_t pb_ip4(pb_t *p, const pb_ip4_t *h)
{
    size_t opt_words = (h->opts_len + 3) / 4;
    size_t off = pb_u8(p, (uint8_t)(0x40 | (5 + opt_words)));
    uint16_t frag = (uint16_t)((h->df ? 0x4000 : 0) | (h->mf ? 0x2000 : 0) | (h->frag_off & 0x1fff));

    pb_u8(p, 0);                   /* DSCP/ECN */
    pb_u16(p, 0);                  /* total length: pb_ip4_end */
    pb_u16(p, h->id);
    pb_u16(p, frag);
    pb_u8(p, 64);                  /* TTL */
    pb_u8(p, h->proto);
    pb_u16(p, 0);                  /* checksum: pb_ip4_end */
    pb_bytes(p, h->src, 4);
    pb_bytes(p, h->dst, 4);
    pb_bytes(p, h->opts, h->opts_len);
    memset(room(p, opt_words * 4 - h->opts_len), 0, opt_words * 4 - h->opts_len);
    return off;
}

/* The header checksum is kept right so the frames also open cleanly in
 * Wireshark when a test is being debugged. */
static void ip4_checksum(pb_t *p, size_t off)
{
    size_t hl = (size_t)(p->b[off] & 0x0f) * 4, i;
    uint32_t sum = 0;

    pb_set16(p, off + 10, 0);
    for (i = 0; i < hl; i += 2)
        sum += (uint32_t)(p->b[off + i] << 8 | p->b[off + i + 1]);
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    pb_set16(p, off + 10, (uint16_t)~sum);
}

void pb_ip4_len(pb_t *p, size_t off, uint16_t total)
{
    pb_set16(p, off + 2, total);
    ip4_checksum(p, off);
}

void pb_ip4_end(pb_t *p, size_t off)
{
    pb_ip4_len(p, off, (uint16_t)(p->len - off));
}

/* --- IPv6 -------------------------------------------------------------- */

pb_ip6_t pb_ip6_make(const uint8_t src[16], const uint8_t dst[16], uint8_t next)
{
    pb_ip6_t h;
    memcpy(h.src, src, 16);
    memcpy(h.dst, dst, 16);
    h.next = next;
    return h;
}

size_t pb_ip6(pb_t *p, const pb_ip6_t *h)
{
    size_t off = pb_u32(p, 0x60000000u);
    pb_u16(p, 0);                  /* payload length: pb_ip6_end */
    pb_u8(p, h->next);
    pb_u8(p, 64);                  /* hop limit */
    pb_bytes(p, h->src, 16);
    pb_bytes(p, h->dst, 16);
    return off;
}

void pb_ip6_end(pb_t *p, size_t off)
{
    pb_set16(p, off + 4, (uint16_t)(p->len - off - 40));
}

size_t pb_ip6_ext(pb_t *p, uint8_t next, uint8_t len8)
{
    size_t body = ((size_t)len8 + 1) * 8 - 2;
    size_t off = pb_u8(p, next);
    uint8_t *pad;

    pb_u8(p, len8);
    pad = room(p, body);
    memset(pad, 0, body);
    pad[0] = 1;                    /* PadN covering the rest */
    pad[1] = (uint8_t)(body - 2);
    return off;
}

size_t pb_ip6_frag(pb_t *p, uint8_t next, uint16_t off8, bool more, uint32_t ident)
{
    size_t off = pb_u8(p, next);
    pb_u8(p, 0);
    pb_u16(p, (uint16_t)(off8 << 3 | (more ? 1 : 0)));
    pb_u32(p, ident);
    return off;
}

/* --- tunnels ----------------------------------------------------------- */

size_t pb_gre(pb_t *p, uint16_t proto, bool with_key, uint32_t key)
{
    size_t off = pb_u16(p, with_key ? 0x2000 : 0);
    pb_u16(p, proto);
    if (with_key)
        pb_u32(p, key);
    return off;
}

size_t pb_vxlan(pb_t *p, uint32_t vni)
{
    size_t off = pb_u32(p, 0x08000000u);
    pb_u32(p, vni << 8);
    return off;
}

/* --- transport --------------------------------------------------------- */

size_t pb_tcp(pb_t *p, const pb_tcp_t *h)
{
    size_t off = pb_u16(p, h->sport);
    pb_u16(p, h->dport);
    pb_u32(p, h->seq);
    pb_u32(p, h->ack);
    pb_u8(p, (uint8_t)((h->mss ? 6 : 5) << 4));
    pb_u8(p, h->flags);
    pb_u16(p, 65535);              /* window */
    pb_u16(p, 0);                  /* checksum */
    pb_u16(p, 0);                  /* urgent pointer */
    if (h->mss) {
        pb_u8(p, 2);
        pb_u8(p, 4);
        pb_u16(p, h->mss);
    }
    return off;
}

size_t pb_udp(pb_t *p, uint16_t sport, uint16_t dport)
{
    size_t off = pb_u16(p, sport);
    pb_u16(p, dport);
    pb_u16(p, 0);
    pb_u16(p, 0);
    return off;
}

void pb_udp_end(pb_t *p, size_t off)
{
    pb_set16(p, off + 4, (uint16_t)(p->len - off));
}

size_t pb_icmp4_ptb(pb_t *p, uint16_t mtu, uint8_t len_words)
{
    size_t off = pb_u8(p, 3);
    pb_u8(p, 4);
    pb_u16(p, 0);                  /* checksum */
    pb_u8(p, 0);
    pb_u8(p, len_words);
    pb_u16(p, mtu);
    return off;
}

size_t pb_icmp4(pb_t *p, uint8_t type, uint8_t code)
{
    size_t off = pb_u8(p, type);
    pb_u8(p, code);
    pb_u16(p, 0);
    pb_u32(p, 0);
    return off;
}

size_t pb_icmp6_ptb(pb_t *p, uint32_t mtu)
{
    size_t off = pb_u8(p, 2);
    pb_u8(p, 0);
    pb_u16(p, 0);
    pb_u32(p, mtu);
    return off;
}

/* --- whole frames ------------------------------------------------------ */

size_t pb_frame_tcp4(pb_t *p, const pb_ip4_t *ip, const pb_tcp_t *tcp,
                     size_t payload_len, uint8_t seed)
{
    pb_ip4_t h = *ip;
    size_t ipo;

    h.proto = 6;
    pb_eth(p, 0x0800);
    ipo = pb_ip4(p, &h);
    pb_tcp(p, tcp);
    pb_fill(p, payload_len, seed);
    pb_ip4_end(p, ipo);
    return ipo;
}

size_t pb_frame_udp4(pb_t *p, const pb_ip4_t *ip, uint16_t sport, uint16_t dport,
                     size_t payload_len, uint8_t seed)
{
    pb_ip4_t h = *ip;
    size_t ipo, udp;

    h.proto = 17;
    pb_eth(p, 0x0800);
    ipo = pb_ip4(p, &h);
    udp = pb_udp(p, sport, dport);
    pb_fill(p, payload_len, seed);
    pb_udp_end(p, udp);
    pb_ip4_end(p, ipo);
    return ipo;
}

size_t pb_frame_tcp6(pb_t *p, const pb_ip6_t *ip, const pb_tcp_t *tcp,
                     size_t payload_len, uint8_t seed)
{
    pb_ip6_t h = *ip;
    size_t ipo;

    h.next = 6;
    pb_eth(p, 0x86dd);
    ipo = pb_ip6(p, &h);
    pb_tcp(p, tcp);
    pb_fill(p, payload_len, seed);
    pb_ip6_end(p, ipo);
    return ipo;
}

size_t pb_frame_ptb4(pb_t *p, const uint8_t router[4], const uint8_t dst[4], uint16_t mtu,
                     const uint8_t *quote, size_t quote_len)
{
    pb_ip4_t h;
    size_t ipo;

    memset(&h, 0, sizeof h);
    memcpy(h.src, router, 4);
    memcpy(h.dst, dst, 4);
    h.proto = 1;
    h.id = 0x9e01;
    pb_eth(p, 0x0800);
    ipo = pb_ip4(p, &h);
    pb_icmp4_ptb(p, mtu, 0);
    pb_bytes(p, quote, quote_len);
    pb_ip4_end(p, ipo);
    return ipo;
}

size_t pb_frame_ptb6(pb_t *p, const uint8_t router[16], const uint8_t dst[16], uint32_t mtu,
                     const uint8_t *quote, size_t quote_len)
{
    pb_ip6_t h;
    size_t ipo;

    memset(&h, 0, sizeof h);
    memcpy(h.src, router, 16);
    memcpy(h.dst, dst, 16);
    h.next = 58;
    pb_eth(p, 0x86dd);
    ipo = pb_ip6(p, &h);
    pb_icmp6_ptb(p, mtu);
    pb_bytes(p, quote, quote_len);
    pb_ip6_end(p, ipo);
    return ipo;
}
