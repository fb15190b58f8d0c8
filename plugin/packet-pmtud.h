/* packet-pmtud.h
 * What pmtud hands to its tap ("pmtud") for each frame it has something to
 * say about: the statistics (pmtud_stats.c) read it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PACKET_PMTUD_H
#define PACKET_PMTUD_H

#include <glib.h>

#include "pmtud_analyze.h"

typedef struct {
    const pmtud_icmp_result_t *icmp;     /* ICMP frames, else NULL */
    const pmtud_oversize_t    *oversize; /* oversize data frames, else NULL */
    unsigned                   n_rejections; /* ICMPs that rejected this frame */
    const pmtud_blackhole_t   *blackhole;    /* frames of a PMTUD black hole */
    /* The frame that confirmed a black hole (an ACK, or the last frame
     * filling the hole), once per black hole in one pass and two: what the
     * summaries count (its flow is blackhole_confirmed->flow), else NULL. */
    const pmtud_blackhole_t   *blackhole_confirmed;
    /* The flow the frame's ICMP or oversize report is about (the quoted
     * packet's, or the oversize frame's own), else NULL. */
    const pmtud_flow_t        *flow;
    /* The file's last frame with a report, once the whole file has been
     * read (GUI, tshark -2): summaries that need every report finish here. */
    gboolean                   last_report;
} pmtud_tap_info_t;

/* Settles the sender's reactions still open: for summaries written at the
 * end of a one-pass run. */
void pmtud_settle(void);

#endif /* PACKET_PMTUD_H */
