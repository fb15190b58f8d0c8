/* pmtud_stats.c
 * Summaries for a whole capture:
 *   tshark -q -z pmtud,tree     counts by verdict (a stats_tree, also under
 *                               Statistics in the GUI)
 *   tshark -q -z pmtud,flows    one CSV row per affected flow, for batch runs
 *   tshark -2 -q -z pmtud_flows,tree
 *                               the same rows as a stats_tree, also under
 *                               Statistics > PMTUD > Flows in the GUI
 * All read pmtud's own tap, so they cost nothing unless asked for.
 * The sender's reaction is known once the whole capture has been read: the
 * flows table settles it before writing; the trees count it with -2.
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

/* --- the per-flow table, for -z pmtud,flows and PMTUD/Flows ------------ */

/* One tapped frame into a per-flow table: the one feed of both. */
static const pmtud_flow_t *feed_flowtable(pmtud_flowtable_t *table, const packet_info *pinfo,
                                          const pmtud_tap_info_t *info)
{
    const pmtud_blackhole_t *bh = info->blackhole_confirmed;

    if (info->flow && info->icmp)
        pmtud_flowtable_add_icmp(table, info->flow, info->icmp);
    if (info->flow && info->oversize)
        pmtud_flowtable_add_oversize(table, info->flow, pinfo->num, info->oversize);
    /* Counted once, on the frame that confirmed it (its data flow). */
    if (bh)
        pmtud_flowtable_add_blackhole(table, &bh->flow, bh);
    return info->flow ? info->flow : bh ? &bh->flow : NULL;
}

/* --- PMTUD/Flows (-z pmtud_flows,tree) ---------------------------------- */

/* One node per affected flow, "sender:port -> receiver:port proto", holding
 * the flow's row of -z pmtud,flows (pmtud_flowtable_summary): its non-zero
 * counts, frames, smallest cited MTU, time lost and, last, the action. The
 * numbers are set again from the row at each of the flow's frames. What
 * depends on the sender's reaction (the reaction counts, the time lost, the
 * action) is settled only once the whole file has been read, and a
 * stats_tree cannot drop a node: it is added once every report of the file
 * has been tapped (in the GUI always, in tshark with -2). */

static GHashTable *flow_tables;   /* stats_tree * -> pmtud_flowtable_t *: one per open tree */

static pmtud_flowtable_t *table_of(stats_tree *st)
{
    return flow_tables ? (pmtud_flowtable_t *)g_hash_table_lookup(flow_tables, st) : NULL;
}

/* Called when the tree is made, and again when the GUI retaps. */
static void pmtud_flows_tree_init(stats_tree *st)
{
    pmtud_flowtable_t *table = table_of(st);

    if (table) {
        pmtud_flowtable_reset(table);
        return;
    }
    if (!flow_tables)
        flow_tables = g_hash_table_new(g_direct_hash, g_direct_equal);
    if ((table = pmtud_flowtable_new()))
        g_hash_table_insert(flow_tables, st, table);
}

static void pmtud_flows_tree_cleanup(stats_tree *st)
{
    pmtud_flowtable_t *table = table_of(st);

    if (table) {
        g_hash_table_remove(flow_tables, st);
        pmtud_flowtable_free(table);
    }
}

static void set_if_any(stats_tree *st, const char *name, int parent, guint64 value)
{
    if (value)
        set_stat_node(st, name, parent, FALSE, (int)MIN(value, (guint64)G_MAXINT));
}

/* A line "<label>: <text>" counted once, when there is a text. */
static void set_text(stats_tree *st, const char *label, int parent, const char *text)
{
    char line[256];

    if (!text)
        return;
    snprintf(line, sizeof line, "%s: %s", label, text);
    set_stat_node(st, line, parent, FALSE, 1);
}

/* Who merged the packet, as the CSV's router_* / sender_* columns say it:
 * hops (when not 0), MAC vendor and virtual NIC. Settled with the action:
 * the latest offload verdict names the router. */
static void draw_box(stats_tree *st, int parent, const char *who, const pmtud_box_t *box)
{
    char label[32];

    if (!box->known)
        return;
    snprintf(label, sizeof label, "%s hops", who);
    set_if_any(st, label, parent, box->hops);
    snprintf(label, sizeof label, "%s vendor", who);
    set_text(st, label, parent, box->vendor);
    snprintf(label, sizeof label, "%s NIC", who);
    set_text(st, label, parent, pmtud_box_nic_name(box));
}

static void draw_flow(stats_tree *st, const pmtud_flow_summary_t *s, gboolean settled)
{
    char name[160], action[PMTUD_ACTION_MAX + 16];
    int node;
    guint k;

    pmtud_flow_name(name, sizeof name, &s->flow);
    node = stats_tree_manip_node_int(MN_SET, st, name, 0, TRUE, (int)MIN(s->frames, G_MAXINT));
    set_if_any(st, "ICMP messages", node, s->icmp_messages);
    /* The CSV's columns, by the vocabulary's labels. */
    for (k = 0; k < PMTUD_N_TALLIES; k++)
        if (pmtud_tallies[k].csv_column)
            set_if_any(st, pmtud_tallies[k].label, node, s->tally[k]);
    set_if_any(st, "oversize frames", node, s->oversize_frames);
    set_if_any(st, "largest oversize (bytes)", node, s->largest_oversize);
    set_if_any(st, "first ICMP frame", node, s->first_icmp_frame);
    set_if_any(st, "first oversize frame", node, s->first_oversize_frame);
    set_if_any(st, "smallest cited MTU", node, s->min_mtu);
    if (!settled)
        return;
    for (k = 0; k < PMTUD_R_COUNT; k++)
        if (pmtud_reactions[k].csv_column)
            set_if_any(st, pmtud_reactions[k].label, node, s->reaction[k]);
    set_if_any(st, node_lost, node, (guint64)((s->time_lost_ns + 500000) / 1000000));
    draw_box(st, node, "router", &s->router_box);
    draw_box(st, node, "sender", &s->sender_box);
    snprintf(action, sizeof action, "Action: %s", s->action);
    set_stat_node(st, action, node, FALSE, 1);
}

static tap_packet_status pmtud_flows_tree_packet(stats_tree *st, packet_info *pinfo,
                                                 epan_dissect_t *edt _U_, const void *p,
                                                 tap_flags_t flags _U_)
{
    const pmtud_tap_info_t *info = (const pmtud_tap_info_t *)p;
    pmtud_flowtable_t *table = table_of(st);
    pmtud_flow_summary_t s;
    const pmtud_flow_t *flow;
    int row;
    guint i;

    if (!table)
        return TAP_PACKET_DONT_REDRAW;
    flow = feed_flowtable(table, pinfo, info);
    if (info->last_report) {
        for (i = 0; pmtud_flowtable_summary(table, i, &s); i++)
            draw_flow(st, &s, TRUE);
    } else if (flow && (row = pmtud_flowtable_find(table, flow)) >= 0 &&
               pmtud_flowtable_summary(table, (guint)row, &s)) {
        draw_flow(st, &s, FALSE);
    }
    return TAP_PACKET_REDRAW;
}

/* --- -z pmtud,flows ---------------------------------------------------- */

static tap_packet_status pmtud_flows_packet(void *tapdata, packet_info *pinfo,
                                            epan_dissect_t *edt _U_, const void *p,
                                            tap_flags_t flags _U_)
{
    /* Taps run in one pass only (tshark), and a GUI retap resets first. */
    feed_flowtable((pmtud_flowtable_t *)tapdata, pinfo, (const pmtud_tap_info_t *)p);
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
    /* "pmtud_flows", not "pmtud,flows": tshark finds a tree by its name up
     * to the first comma, which would be the Summary's. */
    stats_tree_register_plugin("pmtud", "pmtud_flows", "PMTUD/Flows", 0,
                               pmtud_flows_tree_packet, pmtud_flows_tree_init,
                               pmtud_flows_tree_cleanup);
    register_stat_tap_ui(&pmtud_flows_ui, NULL);
}
