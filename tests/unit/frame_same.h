/* frame_same.h
 * Whether two parses of the same bytes agree in every field pmtud_parse.h
 * promises: the scalars before ip, ip and the outer packet (pmtud_frame_outer)
 * whole, and quoted's family (quoted whole when a PTB wrote it). Pointers must be equal too: both
 * parses read the same buffer.
 *
 * Header-only so that the libFuzzer target (tests/fuzz/fuzz_frames.c, built
 * from its own file and the core library) and unit_parse_fast share it:
 * both hold the common-frame path of pmtud_parse_frame_ports() to
 * pmtud_parse_frame_general().
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PMTUD_FRAME_SAME_H
#define PMTUD_FRAME_SAME_H

#include <string.h>

#include "pmtud_parse.h"

#define FRAME_SAME_FIELD(a, b, field) \
    do { if ((a)->field != (b)->field) return #field; } while (0)

/* The first field of an IP record in which a and b differ, or NULL. */
static inline const char *ip_differs(const pmtud_ip_t *a, const pmtud_ip_t *b)
{
    FRAME_SAME_FIELD(a, b, family);
    FRAME_SAME_FIELD(a, b, proto);
    if (memcmp(a->src, b->src, sizeof a->src) != 0)
        return "src";
    if (memcmp(a->dst, b->dst, sizeof a->dst) != 0)
        return "dst";
    FRAME_SAME_FIELD(a, b, ip_len);
    FRAME_SAME_FIELD(a, b, hdr_len);
    FRAME_SAME_FIELD(a, b, ip_id);
    FRAME_SAME_FIELD(a, b, ttl);
    FRAME_SAME_FIELD(a, b, has_id);
    FRAME_SAME_FIELD(a, b, df);
    FRAME_SAME_FIELD(a, b, later_fragment);
    FRAME_SAME_FIELD(a, b, len_zero);
    FRAME_SAME_FIELD(a, b, jumbo);
    FRAME_SAME_FIELD(a, b, headers_cut);
    FRAME_SAME_FIELD(a, b, has_ports);
    FRAME_SAME_FIELD(a, b, sport);
    FRAME_SAME_FIELD(a, b, dport);
    FRAME_SAME_FIELD(a, b, has_seq);
    FRAME_SAME_FIELD(a, b, seq);
    FRAME_SAME_FIELD(a, b, has_ack);
    FRAME_SAME_FIELD(a, b, ack);
    FRAME_SAME_FIELD(a, b, tcp_flags);
    FRAME_SAME_FIELD(a, b, ident);
    FRAME_SAME_FIELD(a, b, l4_hdr_len);
    FRAME_SAME_FIELD(a, b, udp_len);
    FRAME_SAME_FIELD(a, b, mss);
    FRAME_SAME_FIELD(a, b, tcp_opts);
    FRAME_SAME_FIELD(a, b, tcp_opts_len);
    FRAME_SAME_FIELD(a, b, payload_len);
    FRAME_SAME_FIELD(a, b, tag);
    FRAME_SAME_FIELD(a, b, payload);
    FRAME_SAME_FIELD(a, b, payload_caplen);
    FRAME_SAME_FIELD(a, b, captured);
    return NULL;
}

/* The first field of a frame in which a and b differ, or NULL; *record
 * says whose field it is ("frame", "ip", "outer" or "quoted"). Fields the
 * contract leaves unwritten (quoted beyond its family on a frame that is
 * no PTB) are not compared. */
static inline const char *frame_differs(const pmtud_frame_t *a, const pmtud_frame_t *b,
                                        const char **record)
{
    const char *d;

    *record = "frame";
    FRAME_SAME_FIELD(a, b, has_ip);
    FRAME_SAME_FIELD(a, b, tunnel_depth);
    FRAME_SAME_FIELD(a, b, inner_off);
    FRAME_SAME_FIELD(a, b, link_hdr_len);
    FRAME_SAME_FIELD(a, b, wire_len);
    FRAME_SAME_FIELD(a, b, link);
    FRAME_SAME_FIELD(a, b, pppoe);
    FRAME_SAME_FIELD(a, b, is_icmp);
    FRAME_SAME_FIELD(a, b, is_ptb);
    FRAME_SAME_FIELD(a, b, quote_short);
    FRAME_SAME_FIELD(a, b, icmp_type);
    FRAME_SAME_FIELD(a, b, icmp_code);
    FRAME_SAME_FIELD(a, b, mtu);
    FRAME_SAME_FIELD(a, b, eth_src);
    FRAME_SAME_FIELD(a, b, quoted.family);
    *record = "ip";
    if ((d = ip_differs(&a->ip, &b->ip)) != NULL)
        return d;
    *record = "outer";
    if ((d = ip_differs(pmtud_frame_outer(a), pmtud_frame_outer(b))) != NULL)
        return d;
    *record = "quoted";
    return a->is_ptb ? ip_differs(&a->quoted, &b->quoted) : NULL;
}

#undef FRAME_SAME_FIELD

#endif /* PMTUD_FRAME_SAME_H */
