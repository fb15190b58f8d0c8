/* pmtud_flowtable.h
 * One row per affected flow: what happened to it, the frames to look at,
 * the time lost and what to do. Written as CSV for batch runs (a
 * spreadsheet, or the next script, takes it) and shown as a tree in the GUI
 * (Statistics > PMTUD > Flows), both from one summary of the row.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PMTUD_FLOWTABLE_H
#define PMTUD_FLOWTABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "pmtud_blackhole.h"
#include "pmtud_flow.h"
#include "pmtud_oversize.h"
#include "pmtud_result.h"
#include "pmtud_vocab.h"

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

/* The row of a flow (rows are numbered 0.. in order of first appearance),
 * -1 when the flow has none. */
int pmtud_flowtable_find(const pmtud_flowtable_t *t, const pmtud_flow_t *flow);

/* One row as it stands now: what the CSV prints and the GUI's flows tree
 * shows. */
#define PMTUD_ACTION_MAX 640
typedef struct {
    pmtud_flow_t flow;
    unsigned frames;                  /* frames reported for the flow */
    unsigned icmp_messages;           /* all its ICMPs, past the per-row limit too */
    unsigned tally[PMTUD_N_TALLIES];  /* ICMPs by count (pmtud_tallies) */
    unsigned reaction[PMTUD_R_COUNT]; /* ICMPs by the sender's reaction (pmtud_reactions) */
    unsigned oversize_frames;
    uint32_t largest_oversize;
    uint32_t first_icmp_frame, first_oversize_frame;   /* 0: none */
    uint32_t min_mtu;                 /* smallest sane cited MTU, 0: none */
    int64_t  time_lost_ns;            /* pmtud_flowtable_time_lost_ns */
    unsigned blackholes;              /* confirmed black holes (no ICMP) */
    pmtud_box_t router_box, sender_box;   /* who merged the packet (pmtud_box.h) */
    char     action[PMTUD_ACTION_MAX];
} pmtud_flow_summary_t;

/* Fills s from row (0..); false past the last row. */
bool pmtud_flowtable_summary(const pmtud_flowtable_t *t, unsigned row, pmtud_flow_summary_t *s);

/* "192.0.2.10:80 -> 203.0.113.45:49321 tcp" ([addr]:port for IPv6, no
 * ports for a protocol without them). */
void pmtud_flow_name(char *buf, size_t n, const pmtud_flow_t *flow);

/* Header line and one line per flow, in order of first appearance. */
void pmtud_flowtable_write_csv(const pmtud_flowtable_t *t, FILE *out);
unsigned pmtud_flowtable_rows(const pmtud_flowtable_t *t);

#endif /* PMTUD_FLOWTABLE_H */
