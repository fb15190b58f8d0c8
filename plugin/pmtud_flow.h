/* pmtud_flow.h
 * The flow: which packets belong together (same sender, receiver,
 * protocol and ports), its keyed hash, equality and reversal; TCP sequence
 * arithmetic; and the protocol, TCP flag and IPv6 extension-header numbers
 * every module reads from the wire.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PMTUD_FLOW_H
#define PMTUD_FLOW_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "pmtud_parse.h"

/* IP protocol numbers (IANA). */
#define PMTUD_PROTO_ICMP    1
#define PMTUD_PROTO_IPIP    4
#define PMTUD_PROTO_TCP     6
#define PMTUD_PROTO_UDP     17
#define PMTUD_PROTO_IPV6    41
#define PMTUD_PROTO_GRE     47
#define PMTUD_PROTO_ESP     50
#define PMTUD_PROTO_AH      51
#define PMTUD_PROTO_ICMPV6  58
#define PMTUD_PROTO_SCTP    132

/* IPv6 extension headers pmtud walks past (RFC 8200 4, RFC 4302). */
#define PMTUD_IP6_HOP_BY_HOP  0
#define PMTUD_IP6_ROUTING     43
#define PMTUD_IP6_FRAGMENT    44
#define PMTUD_IP6_AH          51
#define PMTUD_IP6_DEST_OPTS   60
#define PMTUD_IP6_NO_NEXT     59   /* "no next header" */

/* TCP flags (the 14th byte of the header). */
#define PMTUD_TCP_SYN  0x02
#define PMTUD_TCP_ACK  0x10

/* Which packets belong together: same sender, receiver, protocol, ports.
 * Unused address bytes and absent ports are zero, so that the whole struct
 * can be hashed and compared as bytes. */
typedef struct {
    uint8_t  family;
    uint8_t  proto;
    uint16_t sport, dport;
    uint8_t  src[16];
    uint8_t  dst[16];
} pmtud_flow_t;

/* A flow from its parts (IPv4 addresses: the first 4 bytes). Inline and
 * word-wise (no byte-count memcpy, no memset): it runs for every packet. */
static inline void pmtud_flow_make(pmtud_flow_t *flow, uint8_t family, uint8_t proto,
                                   const uint8_t *src, const uint8_t *dst,
                                   uint16_t sport, uint16_t dport)
{
    uint64_t s0, s1 = 0, d0, d1 = 0;

    if (family == 4) {
        uint32_t s4, d4;
        memcpy(&s4, src, 4);
        memcpy(&d4, dst, 4);
        s0 = 0;
        d0 = 0;
        memcpy(&s0, &s4, 4);   /* the first 4 bytes, whatever the byte order */
        memcpy(&d0, &d4, 4);
    } else {
        memcpy(&s0, src, 8);
        memcpy(&s1, src + 8, 8);
        memcpy(&d0, dst, 8);
        memcpy(&d1, dst + 8, 8);
    }
    flow->family = family;
    flow->proto = proto;
    flow->sport = sport;
    flow->dport = dport;
    memcpy(flow->src, &s0, 8);
    memcpy(flow->src + 8, &s1, 8);
    memcpy(flow->dst, &d0, 8);
    memcpy(flow->dst + 8, &d1, 8);
}

/* The flow a parsed packet belongs to. The parser leaves sport and dport
 * 0 without ports: no test needed on this per-packet path. */
static inline void pmtud_flow_of_ip(const pmtud_ip_t *ip, pmtud_flow_t *flow)
{
    pmtud_flow_make(flow, ip->family, ip->proto, ip->src, ip->dst, ip->sport, ip->dport);
}

/* The same flow seen from the other end. */
void pmtud_flow_reverse(const pmtud_flow_t *in, pmtud_flow_t *out);

/* Keyed so that a capture cannot be crafted to put every flow in one bucket.
 * A flow and its reverse hash alike but for bit 0: the reverse's hash is
 * hash ^ 1, and the conversation's key (both directions) hash & ~1.
 * pmtud_flow_hash_set_key: call once, before any index or table exists. */
uint32_t pmtud_flow_hash(const pmtud_flow_t *f);
void pmtud_flow_hash_set_key(uint64_t key);

static inline uint32_t pmtud_flow_hash_reverse(uint32_t flow_hash)
{
    return flow_hash ^ 1u;
}

/* A key equal for both directions of a conversation. */
static inline uint32_t pmtud_conversation_key(uint32_t flow_hash)
{
    return flow_hash & ~1u;
}

/* Unrolled, word-wise: this runs for every record a search walks, and a
 * call into libc's memcmp for 38 bytes costs more than the comparison. */
static inline uint64_t pmtud_load64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

static inline bool pmtud_flow_equal(const pmtud_flow_t *a, const pmtud_flow_t *b)
{
    const uint8_t *p = (const uint8_t *)a, *q = (const uint8_t *)b;
    uint32_t x, y;
    uint16_t u, v;

    _Static_assert(sizeof(pmtud_flow_t) == 38, "pmtud_flow_equal compares 38 bytes");
    memcpy(&x, p + 32, 4);
    memcpy(&y, q + 32, 4);
    memcpy(&u, p + 36, 2);
    memcpy(&v, q + 36, 2);
    return ((pmtud_load64(p) ^ pmtud_load64(q)) | (pmtud_load64(p + 8) ^ pmtud_load64(q + 8)) |
            (pmtud_load64(p + 16) ^ pmtud_load64(q + 16)) |
            (pmtud_load64(p + 24) ^ pmtud_load64(q + 24)) |
            (uint64_t)(x ^ y) | (uint64_t)(u ^ v)) == 0;
}

/* a is b seen from the other end: the reverse flow without building it. */
static inline bool pmtud_flow_equal_reversed(const pmtud_flow_t *a, const pmtud_flow_t *b)
{
    return a->family == b->family && a->proto == b->proto && a->sport == b->dport &&
           a->dport == b->sport &&
           pmtud_load64(a->src) == pmtud_load64(b->dst) &&
           pmtud_load64(a->src + 8) == pmtud_load64(b->dst + 8) &&
           pmtud_load64(a->dst) == pmtud_load64(b->src) &&
           pmtud_load64(a->dst + 8) == pmtud_load64(b->src + 8);
}

/* --- TCP sequence space (RFC 793 3.3): modulo 2^32 ----------------------- */

/* seq lies in [start, start + len). */
static inline bool pmtud_seq_inside(uint32_t seq, uint32_t start, uint32_t len)
{
    return (uint32_t)(seq - start) < len;
}

/* a is before b or equal to it. */
static inline bool pmtud_seq_le(uint32_t a, uint32_t b)
{
    return (uint32_t)(b - a) < 0x80000000u;
}

/* a is strictly before b. */
static inline bool pmtud_seq_lt(uint32_t a, uint32_t b)
{
    return (uint32_t)(b - a) - 1u < 0x7fffffffu;
}

/* [a, a + alen) and [b, b + blen) share a byte. */
static inline bool pmtud_seq_ranges_overlap(uint32_t a, uint32_t alen, uint32_t b, uint32_t blen)
{
    return (uint32_t)(b - a) < alen || (uint32_t)(a - b) < blen;
}

/* [seq, seq + len) lies inside [start, start + range_len), end included. */
static inline bool pmtud_seq_range_within(uint32_t seq, uint32_t len, uint32_t start,
                                          uint32_t range_len)
{
    return (uint32_t)(seq - start) < range_len && (uint32_t)(seq - start) + len <= range_len;
}

#endif /* PMTUD_FLOW_H */
