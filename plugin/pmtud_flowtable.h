/* pmtud_flowtable.h
 * One row per affected flow, for batch runs: what happened to it, the
 * frames to look at, the time lost and what to do. Written as CSV so a
 * spreadsheet (or the next script) can take it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PMTUD_FLOWTABLE_H
#define PMTUD_FLOWTABLE_H

#include <stdio.h>

#include "pmtud_blackhole.h"
#include "pmtud_flow.h"
#include "pmtud_oversize.h"
#include "pmtud_result.h"

typedef struct pmtud_flowtable pmtud_flowtable_t;

pmtud_flowtable_t *pmtud_flowtable_new(void);
void pmtud_flowtable_free(pmtud_flowtable_t *t);
void pmtud_flowtable_reset(pmtud_flowtable_t *t);

/* Rows are keyed by flow: the quoted packet's for an ICMP (pmtud_result_flow),
 * the frame's own for an oversize frame, so the two meet in one row.
 * Results are read when the table is written, so reactions settled after
 * the ICMP was tapped still count: res must outlive the table's use. */
void pmtud_flowtable_add_icmp(pmtud_flowtable_t *t, const pmtud_flow_t *flow,
                              const pmtud_icmp_result_t *res);
void pmtud_flowtable_add_oversize(pmtud_flowtable_t *t, const pmtud_flow_t *flow,
                                  uint32_t frame, const pmtud_oversize_t *o);
/* A confirmed PMTUD black hole (no ICMP), once per black hole, on its
 * data's flow (bh->flow): the flow's row, its time lost, the action. */
void pmtud_flowtable_add_blackhole(pmtud_flowtable_t *t, const pmtud_flow_t *flow,
                                   const pmtud_blackhole_t *bh);

/* The flow's time lost now: the union of the spans (first rejected
 * transmission -> the one that got through) of its ICMPs whose time counts
 * (pmtud_time_lost_counts) and of its black holes, in ns; 0 for a flow not
 * in the table. */
int64_t pmtud_flowtable_time_lost_ns(const pmtud_flowtable_t *t, const pmtud_flow_t *flow);

/* Header line and one line per flow, in order of first appearance. */
void pmtud_flowtable_write_csv(const pmtud_flowtable_t *t, FILE *out);
unsigned pmtud_flowtable_rows(const pmtud_flowtable_t *t);

#endif /* PMTUD_FLOWTABLE_H */
