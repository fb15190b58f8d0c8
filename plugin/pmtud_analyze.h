/* pmtud_analyze.h
 * Feeds frames, in capture order, to the index of sent packets and, for
 * each ICMP "fragmentation needed" / "Packet Too Big", finds the frame(s)
 * it rejected and decides what the message really means.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PMTUD_ANALYZE_H
#define PMTUD_ANALYZE_H

#include <stdbool.h>
#include <stdint.h>

#include "pmtud_flow.h"
#include "pmtud_index.h"
#include "pmtud_result.h"
#include "pmtud_oversize.h"
#include "pmtud_blackhole.h"
#include "pmtud_parse.h"

typedef struct pmtud_analyzer pmtud_analyzer_t;

/* window: how many recent transmissions are remembered for matching. */
pmtud_analyzer_t *pmtud_analyzer_new(uint32_t window);
void pmtud_analyzer_free(pmtud_analyzer_t *a);

/* What feeding one frame found out. Only the parts flagged in `has` are
 * filled: the feed runs for every frame, so it clears nothing a frame does
 * not use (the ICMP result, the largest part, only for ICMP frames). */
enum {
    PMTUD_FED_FLOW      = 1u << 0, /* flow */
    PMTUD_FED_ICMP      = 1u << 1, /* icmp: the frame is an ICMP PTB */
    PMTUD_FED_OVERSIZE  = 1u << 2, /* oversize: larger than it can have been on a wire */
    PMTUD_FED_BLACKHOLE = 1u << 3, /* blackhole: this frame confirmed a PMTUD black hole */
};

typedef struct {
    uint32_t            has;       /* PMTUD_FED_* */
    /* The flow the frame is about: a data frame's (innermost) packet, or
     * the packet an ICMP PTB quotes. */
    pmtud_flow_t        flow;
    pmtud_icmp_result_t icmp;
    pmtud_oversize_t    oversize;
    pmtud_blackhole_t   blackhole;
} pmtud_fed_t;

/* Feeds one frame (capture order, each frame once): data frames are
 * indexed and judged, ICMP PTBs analysed. Fills *out; returns out->has.
 * (Lengths come from f, which pmtud_parse_frame read with the wire length.) */
uint32_t pmtud_analyzer_feed(pmtud_analyzer_t *a, uint32_t frame, int64_t ts_ns,
                             const pmtud_frame_t *f, pmtud_fed_t *out);

/* Link MTU preference (0: from the link type). */
void pmtud_analyzer_set_link_mtu(pmtud_analyzer_t *a, uint32_t link_mtu);

/* Follows what the sender does about a linked ICMP; res (caller-owned, e.g.
 * the stored copy of a result) is updated in place as later frames are fed. */
void pmtud_analyzer_follow(pmtud_analyzer_t *a, pmtud_icmp_result_t *res);

/* The capture is over: settles reactions still open. */
void pmtud_analyzer_finish(pmtud_analyzer_t *a);

#endif /* PMTUD_ANALYZE_H */
