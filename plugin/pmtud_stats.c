/* pmtud_stats.c
 * Summaries for a whole capture:
 *   tshark -q -z pmtud,tree     counts by verdict (a stats_tree, also under
 *                               Statistics in the GUI)
 *   tshark -q -z pmtud,flows    one CSV row per affected flow, for batch runs
 * Both read pmtud's own tap, so they cost nothing unless asked for.
 * The sender's reaction is known once the whole capture has been read: the
 * flows table settles it before writing; the tree counts it with -2.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "pmtud_compat.h"

#include <stdio.h>
#include <string.h>

#include <epan/packet.h>
#include <epan/tap.h>
#include <epan/stats_tree.h>
#include <epan/stat_tap_ui.h>

#include "packet-pmtud.h"
#include "pmtud_flowtable.h"
#include "pmtud_vocab.h"

void register_pmtud_stats(void);

/* --- -z pmtud,tree ----------------------------------------------------- */

static const char *const node_icmp = "ICMP frag-needed and Packet Too Big";
static const char *const node_reaction = "Sender's reaction (tshark -2 or GUI)";
static const char *const node_oversize = "Oversize frames (not wire frames)";
static const char *const node_rejected = "Frames rejected by a router";
static const char *const node_lost = "Time lost (ms)";
static const char *const node_blackhole = "Black hole frames (no ICMP)";
static int st_icmp, st_reaction, st_oversize, st_rejected, st_lost, st_blackhole;
/* Time lost: per flow the union of its ICMPs' spans, as in -z pmtud,flows
 * (the same table does it); summed in ns, rounded once. */
static pmtud_flowtable_t *lost_flows;
static gint64 lost_ns;
static int lost_ms_shown;   /* lost_ns rounded, as the node holds it */

static void pmtud_tree_cleanup(stats_tree *st _U_)
{
    pmtud_flowtable_free(lost_flows);
    lost_flows = NULL;
}

static void pmtud_tree_init(stats_tree *st)
{
    pmtud_tree_cleanup(st);
    lost_flows = pmtud_flowtable_new();
    lost_ns = 0;
    lost_ms_shown = 0;
    st_icmp = stats_tree_create_node(st, node_icmp, 0, STAT_DT_INT, TRUE);
    st_reaction = stats_tree_create_node(st, node_reaction, 0, STAT_DT_INT, TRUE);
    st_oversize = stats_tree_create_node(st, node_oversize, 0, STAT_DT_INT, TRUE);
    st_rejected = stats_tree_create_node(st, node_rejected, 0, STAT_DT_INT, FALSE);
    st_lost = stats_tree_create_node(st, node_lost, 0, STAT_DT_INT, FALSE);
    st_blackhole = stats_tree_create_node(st, node_blackhole, 0, STAT_DT_INT, FALSE);
}

/* The flow's row in lost_flows grew (an ICMP or a black hole): add what its
 * time lost grew by, before = what it was. */
static void count_time_lost(stats_tree *st, const pmtud_flow_t *flow, gint64 before)
{
    int lost_ms;

    lost_ns += pmtud_flowtable_time_lost_ns(lost_flows, flow) - before;
    lost_ms = (int)((lost_ns + 500000) / 1000000);
    increase_stat_node(st, node_lost, 0, FALSE, lost_ms - lost_ms_shown);
    lost_ms_shown = lost_ms;
}

static tap_packet_status pmtud_tree_packet(stats_tree *st, packet_info *pinfo _U_,
                                           epan_dissect_t *edt _U_, const void *p,
                                           tap_flags_t flags _U_)
{
    const pmtud_tap_info_t *info = (const pmtud_tap_info_t *)p;
    const pmtud_icmp_result_t *res = info->icmp;

    if (res) {
        gboolean counted[PMTUD_N_TALLIES] = { FALSE };
        guint i, t;
        tick_stat_node(st, node_icmp, 0, TRUE);
        /* Each count once per ICMP, in pmtud_tallies order. */
        for (i = 0; i < pmtud_n_verdicts; i++)
            if (res->verdicts & pmtud_verdicts[i].flag)
                counted[pmtud_verdicts[i].tally] = TRUE;
        for (t = 0; t < PMTUD_N_TALLIES; t++)
            if (counted[t])
                tick_stat_node(st, pmtud_tallies[t].label, st_icmp, FALSE);
        if (res->quoted_frame) {
            tick_stat_node(st, node_reaction, 0, TRUE);
            tick_stat_node(st, pmtud_reaction_desc(res->reaction)->label, st_reaction, FALSE);
            if (pmtud_time_lost_counts(res) && info->flow) {
                gint64 before = pmtud_flowtable_time_lost_ns(lost_flows, info->flow);
                pmtud_flowtable_add_icmp(lost_flows, info->flow, res);
                count_time_lost(st, info->flow, before);
            }
        }
    }
    if (info->oversize) {
        tick_stat_node(st, node_oversize, 0, TRUE);
        tick_stat_node(st, info->oversize->by_mss ? "over the peer's MSS" :
                       info->oversize->len_zero ? "IPv4 length 0 (TSO)" : "over the link MTU",
                       st_oversize, FALSE);
    }
    if (info->n_rejections)
        tick_stat_node(st, node_rejected, 0, FALSE);
    if (info->blackhole)
        tick_stat_node(st, node_blackhole, 0, FALSE);
    if (info->blackhole_confirmed) {
        const pmtud_blackhole_t *bh = info->blackhole_confirmed;
        gint64 before = pmtud_flowtable_time_lost_ns(lost_flows, &bh->flow);
        pmtud_flowtable_add_blackhole(lost_flows, &bh->flow, bh);
        count_time_lost(st, &bh->flow, before);
    }
    return TAP_PACKET_REDRAW;
}

/* --- -z pmtud,flows ---------------------------------------------------- */

static tap_packet_status pmtud_flows_packet(void *tapdata, packet_info *pinfo,
                                            epan_dissect_t *edt _U_, const void *p,
                                            tap_flags_t flags _U_)
{
    pmtud_flowtable_t *table = (pmtud_flowtable_t *)tapdata;
    const pmtud_tap_info_t *info = (const pmtud_tap_info_t *)p;

    /* Taps run in one pass only (tshark), and a GUI retap resets first. */
    if (info->icmp && info->flow)
        pmtud_flowtable_add_icmp(table, info->flow, info->icmp);
    if (info->oversize && info->flow)
        pmtud_flowtable_add_oversize(table, info->flow, pinfo->num, info->oversize);
    if (info->blackhole_confirmed)
        pmtud_flowtable_add_blackhole(table, &info->blackhole_confirmed->flow,
                                      info->blackhole_confirmed);
    return TAP_PACKET_REDRAW;
}

static void pmtud_flows_reset(void *tapdata)
{
    pmtud_flowtable_reset((pmtud_flowtable_t *)tapdata);
}

static void pmtud_flows_draw(void *tapdata)
{
    pmtud_settle();
    pmtud_flowtable_write_csv((const pmtud_flowtable_t *)tapdata, stdout);
}

static void pmtud_flows_finish(void *tapdata)
{
    pmtud_flowtable_free((pmtud_flowtable_t *)tapdata);
}

static PMTUD_TAP_INIT_RET pmtud_flows_init(const char *opt_arg _U_, void *userdata _U_)
{
    pmtud_flowtable_t *table = pmtud_flowtable_new();
    GString *error = register_tap_listener("pmtud", table, NULL, TL_REQUIRES_NOTHING,
                                           pmtud_flows_reset, pmtud_flows_packet,
                                           pmtud_flows_draw, pmtud_flows_finish);
    if (error) {
        fprintf(stderr, "tshark: can't register the pmtud,flows tap: %s\n", error->str);
        g_string_free(error, TRUE);
        pmtud_flowtable_free(table);
        PMTUD_TAP_INIT_RETURN(false);
    }
    PMTUD_TAP_INIT_RETURN(true);
}

static stat_tap_ui pmtud_flows_ui = {
    REGISTER_STAT_GROUP_GENERIC, "PMTUD flows", "pmtud,flows", pmtud_flows_init, 0, NULL
};

void register_pmtud_stats(void)
{
    stats_tree_register_plugin("pmtud", "pmtud", "PMTUD/Summary", 0,
                               pmtud_tree_packet, pmtud_tree_init, pmtud_tree_cleanup);
    register_stat_tap_ui(&pmtud_flows_ui, NULL);
}
