/* pmtud_blackhole.h
 * PMTUD black holes: full-size segments resent again and again with no ACK
 * and no ICMP, while smaller segments get through (or the sender finally
 * falls back to a smaller MSS). ICMP is filtered somewhere on the path.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PMTUD_BLACKHOLE_H
#define PMTUD_BLACKHOLE_H

#include <stdbool.h>
#include <stdint.h>

#include "pmtud_flow.h"
#include "pmtud_parse.h"

#define PMTUD_BH_MAX_FRAMES 8
#define PMTUD_BH_MIN_TRIES  3   /* the first transmission and two resends */

typedef struct {
    uint32_t frames[PMTUD_BH_MAX_FRAMES]; /* the full-size transmissions */
    uint32_t n_frames;
    uint32_t tries;            /* transmissions of the stuck segment */
    uint32_t stuck_len;        /* its IP length */
    uint32_t through_len;      /* largest IP length that got through, 0 unknown */
    uint32_t through_payload;  /* its TCP payload: the MSS to clamp to */
    uint32_t fallback_frame;   /* the smaller resend of the same data, 0 none */
} pmtud_blackhole_t;

typedef struct pmtud_blackholes pmtud_blackholes_t;

pmtud_blackholes_t *pmtud_blackholes_new(void);
void pmtud_blackholes_free(pmtud_blackholes_t *bh);

/* Feeds a TCP packet; returns true and fills *out when it confirms a black
 * hole (the sender fell back to smaller segments that got through). */
bool pmtud_blackholes_packet(pmtud_blackholes_t *bh, uint32_t frame, const pmtud_ip_t *ip,
                             const pmtud_flow_t *flow, uint32_t hash,
                             const pmtud_flow_t *rev, uint32_t rev_hash,
                             pmtud_blackhole_t *out);

/* An ICMP quoted this flow: its trouble is not silent. */
void pmtud_blackholes_icmp(pmtud_blackholes_t *bh, const pmtud_flow_t *flow);

#endif /* PMTUD_BLACKHOLE_H */
