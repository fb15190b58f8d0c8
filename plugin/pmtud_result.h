/* pmtud_result.h
 * What pmtud found out about one ICMP "fragmentation needed" / "Packet Too
 * Big": the frame it rejected, the verdicts, and what the sender did next.
 * Filled by pmtud_analyze.c and pmtud_follow.c; read by the sentences, the
 * per-flow table and the glue.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PMTUD_RESULT_H
#define PMTUD_RESULT_H

#include <stdbool.h>
#include <stdint.h>

#include "pmtud_box.h"
#include "pmtud_flow.h"
#include "pmtud_piece.h"

#define PMTUD_MAX_COVERED 32      /* wire frames named per coalesced packet */
#define PMTUD_MAX_CANDIDATES 4    /* frames named when a quote fits several */

/* Verdicts on one ICMP; several can hold at once. */
enum {
    PMTUD_V_OFFLOAD      = 1u << 0, /* quoted packet larger than what crossed the wire */
    PMTUD_V_OFFLOAD_MSS  = 1u << 1, /* quoted = captured frame, but that frame exceeds the peer's MSS */
    PMTUD_V_BOGUS_MTU    = 1u << 2, /* MTU not smaller than the packet, or below the minimum */
    PMTUD_V_MTU_ZERO     = 1u << 3, /* pre-RFC 1191 router: no MTU given */
    PMTUD_V_NOT_CAPTURED = 1u << 4, /* nothing in the capture matches the quote */
    PMTUD_V_REWRITTEN    = 1u << 5, /* quoted length smaller than the wire packet */
    PMTUD_V_LEGITIMATE   = 1u << 6, /* a real smaller MTU on the path */
    PMTUD_V_QUOTE_SHORT  = 1u << 7, /* the quote ends inside the quoted headers */
    PMTUD_V_BEFORE_TSO   = 1u << 8, /* the quote is one wire segment of a frame captured before TSO */
    PMTUD_V_AMBIGUOUS    = 1u << 9, /* captured frames fit, but the quote cannot name one */
};

/* What the sender did about the ICMP (TCP only; two passes needed). */
typedef enum {
    PMTUD_R_PENDING = 0,        /* not settled yet (or one pass only) */
    PMTUD_R_WORKED,             /* resent smaller, fitting the MTU, and it got through */
    PMTUD_R_SAME_SIZE_CROSSED,  /* resent at the same size and it got through */
    PMTUD_R_IGNORED,            /* resent at the same size and rejected again */
    PMTUD_R_NO_RETRANSMISSION,  /* never resent (or never acknowledged) by capture end */
    PMTUD_R_NOT_FOLLOWED,       /* not TCP, or too many ICMPs open at once */
    PMTUD_R_COUNT
} pmtud_reaction_t;

typedef struct {
    uint32_t icmp_frame;
    int64_t  icmp_ts_ns;
    uint8_t  family;             /* of the quoted packet (4 or 6) */
    uint8_t  router[16];         /* who sent the ICMP (IPv4: first 4 bytes) */
    uint8_t  router_family;
    uint8_t  sender[16];         /* who sent the quoted packet */
    uint8_t  receiver[16];       /* where the quoted packet was going */
    uint16_t sport, dport;       /* quoted ports, 0 when absent */
    uint8_t  proto;              /* transport protocol of the quoted packet */
    uint32_t mtu;
    bool     has_quote;          /* a quoted IP header was readable */
    uint32_t quoted_len;         /* IP length the quote states (IPv6: 40 + payload) */
    uint32_t quoted_frame;       /* 0: not captured */
    uint32_t wire_len;           /* IP length of the matched wire packet */
    int32_t  excess;             /* quoted_len - wire_len */
    uint32_t rejected_len;       /* the length the MTU is judged against */
    uint32_t peer_mss;           /* MSS the receiver announced, 0 unknown */
    uint32_t payload_len;        /* payload of the matched wire packet */
    pmtud_piece_t piece;         /* the wire segment quoted (PMTUD_V_BEFORE_TSO) */
    uint32_t n_covered;
    bool     covered_truncated;  /* more frames than PMTUD_MAX_COVERED */
    uint32_t covered[PMTUD_MAX_COVERED]; /* ascending frame numbers */
    uint32_t verdicts;           /* PMTUD_V_* */
    /* Who merged it (pmtud_box.h): the router that sent the ICMP and the
     * sender of the matched frame. The glue names them (MAC vendor) for
     * offload verdicts only. */
    pmtud_box_t router_box;
    pmtud_box_t sender_box;      /* known only when the quote was matched */
    /* PMTUD_V_AMBIGUOUS: how many captured frames fit the quote equally, the
     * latest of them (descending), and whether the quote ends before the
     * field that names its packet (an AH or SCTP sequence number). */
    uint32_t n_candidates;
    uint32_t candidate[PMTUD_MAX_CANDIDATES];
    bool     ident_cut;
    /* The quoted TCP data, for following the sender. */
    bool     has_seq;
    uint32_t quoted_seq;
    int64_t  quoted_ts_ns;       /* when the rejected (matched) frame was sent */
    /* Filled in later, as the flow goes on (pmtud_follow.c). */
    uint8_t  reaction;           /* pmtud_reaction_t */
    uint32_t retransmit_frame;   /* first later frame carrying the first rejected byte */
    uint32_t retransmit_len;     /* its IP length */
    uint32_t through_frame;      /* transmission that got through (0: the original) */
    int64_t  time_lost_ns;       /* first rejected transmission -> the one that got through */
    int64_t  end_ts_ns;          /* capture end, for reactions settled there */
} pmtud_icmp_result_t;

/* The smallest MTU a router may cite for this IP version (RFC 791 / 8200). */
static inline uint32_t pmtud_min_mtu(uint8_t family)
{
    return family == 6 ? 1280 : 68;
}

/* Whether a router could have dropped a packet of len bytes (when
 * len_known) for this MTU: at least the IP version's minimum, and smaller
 * than the packet. The one "is this MTU sane" check. */
static inline bool pmtud_mtu_sane(uint32_t mtu, uint8_t family, bool len_known, uint32_t len)
{
    return mtu >= pmtud_min_mtu(family) && !(len_known && mtu >= len);
}

/* The flow of the packet the ICMP quoted (sender -> receiver). */
static inline void pmtud_result_flow(const pmtud_icmp_result_t *res, pmtud_flow_t *flow)
{
    pmtud_flow_make(flow, res->family, res->proto, res->sender, res->receiver,
                    res->sport, res->dport);
}

#endif /* PMTUD_RESULT_H */
