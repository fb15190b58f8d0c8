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

/* Feeds one frame (capture order, each frame once). Returns true and fills
 * *res when the frame is an ICMP PTB; data frames are indexed. */
bool pmtud_analyzer_feed(pmtud_analyzer_t *a, uint32_t frame, int64_t ts_ns,
                         uint32_t wire_len, const pmtud_frame_t *f,
                         pmtud_icmp_result_t *res);

/* Link MTU preference (0: from the link type). */
void pmtud_analyzer_set_link_mtu(pmtud_analyzer_t *a, uint32_t link_mtu);

/* Whether the frame just fed is larger than it can have been on a wire. */
bool pmtud_analyzer_last_oversize(const pmtud_analyzer_t *a, pmtud_oversize_t *out);

/* Whether the frame just fed confirmed a PMTUD black hole (no ICMP). */
bool pmtud_analyzer_last_blackhole(const pmtud_analyzer_t *a, pmtud_blackhole_t *out);

/* Follows what the sender does about a linked ICMP; res (caller-owned, e.g.
 * the stored copy of a result) is updated in place as later frames are fed. */
void pmtud_analyzer_follow(pmtud_analyzer_t *a, pmtud_icmp_result_t *res);

/* The capture is over: settles reactions still open. */
void pmtud_analyzer_finish(pmtud_analyzer_t *a);

#endif /* PMTUD_ANALYZE_H */
