/* pkt_build.h
 * Builds test frames byte by byte: link headers, IPv4/IPv6 (with options
 * and extension headers), tunnels, TCP/UDP and ICMP "too big" errors.
 *
 * Each function appends to a pb_t and returns the offset where its bytes
 * start, so a test can patch fields afterwards (a rewritten quote length,
 * a zero total length) with pb_set16/pb_set32. Length fields are filled
 * by the *_end functions once the payload is in place. Transport
 * checksums are left 0: the parser never looks at them.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PKT_BUILD_H
#define PKT_BUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PB_MAX 9216   /* room for a jumbo frame / an unsplit TSO segment */

typedef struct {
    uint8_t b[PB_MAX];
    size_t  len;
} pb_t;

/* --- raw bytes ---------------------------------------------------------- */
void   pb_init(pb_t *p);
size_t pb_bytes(pb_t *p, const void *src, size_t n);
size_t pb_u8(pb_t *p, uint8_t v);
size_t pb_u16(pb_t *p, uint16_t v);            /* network order */
size_t pb_u32(pb_t *p, uint32_t v);            /* network order */
size_t pb_fill(pb_t *p, size_t n, uint8_t seed); /* seed, seed+1, ... */
void   pb_set16(pb_t *p, size_t off, uint16_t v);
void   pb_set32(pb_t *p, size_t off, uint32_t v);

/* --- link layers ------------------------------------------------------- */
size_t pb_eth(pb_t *p, uint16_t ethertype);          /* 14 bytes */
size_t pb_tag(pb_t *p, uint16_t tci, uint16_t next); /* VLAN tag after a TPID: 4 bytes */
size_t pb_pppoes(pb_t *p, uint16_t ppp_proto);       /* PPPoE session + PPP: 8 bytes */
size_t pb_sll(pb_t *p, uint16_t proto);              /* Linux cooked v1: 16 bytes */
size_t pb_sll2(pb_t *p, uint16_t proto);             /* Linux cooked v2: 20 bytes */
size_t pb_null(pb_t *p, uint32_t family);            /* BSD loopback, host order */

/* --- IPv4 -------------------------------------------------------------- */
typedef struct {
    uint8_t  src[4], dst[4];
    uint8_t  proto;
    uint16_t id;
    bool     df, mf;
    uint16_t frag_off;        /* in 8-byte units */
    const uint8_t *opts;      /* options, padded with EOL to 32-bit words */
    size_t   opts_len;
} pb_ip4_t;

/* A header description with DF set, no options, not a fragment. */
pb_ip4_t pb_ip4_make(const uint8_t src[4], const uint8_t dst[4], uint8_t proto, uint16_t id);
size_t pb_ip4(pb_t *p, const pb_ip4_t *h);
void   pb_ip4_end(pb_t *p, size_t off);               /* total length = bytes since off */
void   pb_ip4_len(pb_t *p, size_t off, uint16_t total); /* explicit total length */

/* --- IPv6 -------------------------------------------------------------- */
typedef struct {
    uint8_t src[16], dst[16];
    uint8_t next;
} pb_ip6_t;

pb_ip6_t pb_ip6_make(const uint8_t src[16], const uint8_t dst[16], uint8_t next);
size_t pb_ip6(pb_t *p, const pb_ip6_t *h);
void   pb_ip6_end(pb_t *p, size_t off);               /* payload length = bytes after 40 */
/* Hop-by-hop / routing / destination options: (len8 + 1) * 8 bytes. */
size_t pb_ip6_ext(pb_t *p, uint8_t next, uint8_t len8);
size_t pb_ip6_frag(pb_t *p, uint8_t next, uint16_t off8, bool more, uint32_t ident);

/* --- tunnels ----------------------------------------------------------- */
size_t pb_gre(pb_t *p, uint16_t proto, bool with_key, uint32_t key);
size_t pb_vxlan(pb_t *p, uint32_t vni);               /* 8 bytes, VNI-valid flag set */

/* --- transport --------------------------------------------------------- */
typedef struct {
    uint16_t sport, dport;
    uint32_t seq, ack;
    uint8_t  flags;           /* PB_SYN | PB_ACK ... */
    uint16_t mss;             /* adds an MSS option when non-zero */
} pb_tcp_t;

#define PB_FIN 0x01
#define PB_SYN 0x02
#define PB_PSH 0x08
#define PB_ACK 0x10

size_t pb_tcp(pb_t *p, const pb_tcp_t *h);
size_t pb_udp(pb_t *p, uint16_t sport, uint16_t dport);
void   pb_udp_end(pb_t *p, size_t off);               /* UDP length = bytes since off */

/* ICMPv4 type 3 code 4: MTU in bytes 6-7; len_words is the RFC 4884
 * "original datagram length" in 32-bit words (0: plain RFC 1191). */
size_t pb_icmp4_ptb(pb_t *p, uint16_t mtu, uint8_t len_words);
size_t pb_icmp4(pb_t *p, uint8_t type, uint8_t code); /* other ICMPv4, 8 bytes */
size_t pb_icmp6_ptb(pb_t *p, uint32_t mtu);           /* ICMPv6 type 2, 32-bit MTU */

/* --- whole frames ------------------------------------------------------ */
/* Ethernet + IPv4 + TCP carrying payload_len pattern bytes from seed. */
size_t pb_frame_tcp4(pb_t *p, const pb_ip4_t *ip, const pb_tcp_t *tcp,
                     size_t payload_len, uint8_t seed);
size_t pb_frame_udp4(pb_t *p, const pb_ip4_t *ip, uint16_t sport, uint16_t dport,
                     size_t payload_len, uint8_t seed);
size_t pb_frame_tcp6(pb_t *p, const pb_ip6_t *ip, const pb_tcp_t *tcp,
                     size_t payload_len, uint8_t seed);
/* Ethernet + IPv4 ICMP frag-needed from router to dst, quoting the first
 * quote_len bytes of the IP packet at quote. */
size_t pb_frame_ptb4(pb_t *p, const uint8_t router[4], const uint8_t dst[4], uint16_t mtu,
                     const uint8_t *quote, size_t quote_len);
size_t pb_frame_ptb6(pb_t *p, const uint8_t router[16], const uint8_t dst[16], uint32_t mtu,
                     const uint8_t *quote, size_t quote_len);

#endif /* PKT_BUILD_H */
