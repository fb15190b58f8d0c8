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

void register_pmtud_stats(void);

/* --- -z pmtud,tree ----------------------------------------------------- */

static const char *const node_icmp = "ICMP frag-needed and Packet Too Big";
static const char *const node_reaction = "Sender's reaction (tshark -2 or GUI)";
static const char *const node_oversize = "Oversize frames (not wire frames)";
static const char *const node_rejected = "Frames rejected by a router";
static const char *const node_lost = "Time lost (ms)";
static const char *const node_blackhole = "Black hole frames (no ICMP)";
static int st_icmp, st_reaction, st_oversize, st_rejected, st_lost, st_blackhole;

static void pmtud_tree_init(stats_tree *st)
{
    st_icmp = stats_tree_create_node(st, node_icmp, 0, STAT_DT_INT, TRUE);
    st_reaction = stats_tree_create_node(st, node_reaction, 0, STAT_DT_INT, TRUE);
    st_oversize = stats_tree_create_node(st, node_oversize, 0, STAT_DT_INT, TRUE);
    st_rejected = stats_tree_create_node(st, node_rejected, 0, STAT_DT_INT, FALSE);
    st_lost = stats_tree_create_node(st, node_lost, 0, STAT_DT_INT, FALSE);
    st_blackhole = stats_tree_create_node(st, node_blackhole, 0, STAT_DT_INT, FALSE);
}

static const char *reaction_name(unsigned r)
{
    switch (r) {
    case PMTUD_R_WORKED:            return "PMTUD worked";
    case PMTUD_R_SAME_SIZE_CROSSED: return "same size crossed (offload)";
    case PMTUD_R_IGNORED:           return "ICMP ignored";
    case PMTUD_R_NO_RETRANSMISSION: return "no retransmission / stalled";
    case PMTUD_R_NOT_FOLLOWED:      return "not followed (not TCP)";
    default:                        return "not known yet (one pass)";
    }
}

static tap_packet_status pmtud_tree_packet(stats_tree *st, packet_info *pinfo _U_,
                                           epan_dissect_t *edt _U_, const void *p,
                                           tap_flags_t flags _U_)
{
    const pmtud_tap_info_t *info = (const pmtud_tap_info_t *)p;
    const pmtud_icmp_result_t *res = info->icmp;

    if (res) {
        static const struct { guint32 flag; const char *name; } verdicts[] = {
            { PMTUD_V_OFFLOAD | PMTUD_V_OFFLOAD_MSS, "offload artefact" },
            { PMTUD_V_LEGITIMATE, "legitimate" },
            { PMTUD_V_BOGUS_MTU | PMTUD_V_MTU_ZERO, "bogus MTU" },
            { PMTUD_V_NOT_CAPTURED, "quoted packet not captured" },
            { PMTUD_V_REWRITTEN, "quoted length rewritten" },
            { PMTUD_V_BEFORE_TSO, "captured before TSO (wire segment of a frame)" },
            { PMTUD_V_QUOTE_SHORT, "quote cut short" },
        };
        guint i;
        tick_stat_node(st, node_icmp, 0, TRUE);
        for (i = 0; i < G_N_ELEMENTS(verdicts); i++)
            if (res->verdicts & verdicts[i].flag)
                tick_stat_node(st, verdicts[i].name, st_icmp, FALSE);
        if (res->quoted_frame) {
            tick_stat_node(st, node_reaction, 0, TRUE);
            tick_stat_node(st, reaction_name(res->reaction), st_reaction, FALSE);
            if (res->reaction == PMTUD_R_WORKED || res->reaction == PMTUD_R_SAME_SIZE_CROSSED)
                increase_stat_node(st, node_lost, 0, FALSE, (int)(res->time_lost_ns / 1000000));
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
    return TAP_PACKET_REDRAW;
}

/* --- -z pmtud,flows ---------------------------------------------------- */

static void flow_of_pinfo(const packet_info *pinfo, pmtud_flow_t *flow)
{
    memset(flow, 0, sizeof *flow);
    flow->family = pinfo->src.type == AT_IPv6 ? 6 : 4;
    flow->proto = pinfo->ptype == PT_TCP ? 6 : pinfo->ptype == PT_UDP ? 17 : 0;
    flow->sport = (guint16)pinfo->srcport;
    flow->dport = (guint16)pinfo->destport;
    if ((pinfo->src.type == AT_IPv4 || pinfo->src.type == AT_IPv6) && pinfo->src.len <= 16 &&
        pinfo->dst.len == pinfo->src.len) {
        memcpy(flow->src, pinfo->src.data, pinfo->src.len);
        memcpy(flow->dst, pinfo->dst.data, pinfo->dst.len);
    }
}

static tap_packet_status pmtud_flows_packet(void *tapdata, packet_info *pinfo,
                                            epan_dissect_t *edt _U_, const void *p,
                                            tap_flags_t flags _U_)
{
    pmtud_flowtable_t *table = (pmtud_flowtable_t *)tapdata;
    const pmtud_tap_info_t *info = (const pmtud_tap_info_t *)p;

    /* Taps run in one pass only (tshark), and a GUI retap resets first. */
    if (info->icmp)
        pmtud_flowtable_add_icmp(table, info->icmp);
    if (info->oversize) {
        pmtud_flow_t flow;
        flow_of_pinfo(pinfo, &flow);
        pmtud_flowtable_add_oversize(table, &flow, pinfo->num, info->oversize);
    }
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
                               pmtud_tree_packet, pmtud_tree_init, NULL);
    register_stat_tap_ui(&pmtud_flows_ui, NULL);
}
