/* pmtud_blackhole.h
 * PMTUD black holes: full-size packets vanish with no ICMP (filtered on the
 * path) while smaller ones get through, until the sender falls back to a
 * smaller MSS. Seen two ways:
 *   - from the sender (or any point before the hole): full-size segments
 *     resent again and again with no ACK, then resent smaller and
 *     acknowledged;
 *   - from the receiver: a hole in the sequence space where the full-size
 *     segments should be, later data arriving (and SACKed), the hole filled
 *     seconds later by smaller segments.
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
/* Seen from the receiver, a hole must stay open this long: a sender's
 * black-hole detection waits for several retransmission timeouts, while a
 * sender that got the ICMP resends smaller within a round trip. */
#define PMTUD_BH_MIN_HOLE_NS 1000000000LL

typedef struct {
    /* Sender's view: the full-size transmissions. Receiver's view: the
     * frames that filled the hole. */
    uint32_t frames[PMTUD_BH_MAX_FRAMES];
    uint32_t n_frames;
    uint32_t tries;            /* sender: transmissions of the stuck segment */
    uint32_t stuck_len;        /* sender: its IP length; receiver: the hole's bytes */
    uint32_t through_len;      /* largest IP length that got through, 0 unknown */
    uint32_t through_payload;  /* its TCP payload: the MSS to clamp to */
    uint32_t fallback_frame;   /* sender: the smaller resend of the same data, 0 none */
    bool     receiver_view;    /* the hole seen from the receiver (see the top) */
    uint32_t hole_frame;       /* receiver: the first frame past the hole */
    bool     df_cleared;       /* the smaller resend had DF cleared where the full size had it
                                * set: Windows' black-hole detection (EnablePMTUBHDetect) */
    /* The time lost, [start, end): sender, first full-size transmission to
     * the first transmission of that data that got through; receiver, the
     * hole opening to the first frame filling it. */
    int64_t  start_ts_ns, end_ts_ns;
    pmtud_flow_t flow;         /* the data's flow (sender -> receiver): its summary row */
} pmtud_blackhole_t;

/* The time the black hole cost, in ns (never negative). */
static inline int64_t pmtud_blackhole_lost_ns(const pmtud_blackhole_t *bh)
{
    return bh->end_ts_ns > bh->start_ts_ns ? bh->end_ts_ns - bh->start_ts_ns : 0;
}

typedef struct pmtud_blackholes pmtud_blackholes_t;

pmtud_blackholes_t *pmtud_blackholes_new(void);
void pmtud_blackholes_free(pmtud_blackholes_t *bh);

/* Feeds a TCP packet (with ports) of flow, owner its pmtud_conv_owner()
 * (the reverse flow's is owner ^ 1); returns true and fills *out when it
 * confirms a black hole: the sender's smaller resend was acknowledged, or
 * the receiver's hole was filled. peer_mss is the MSS the packet's
 * receiver announced (0 unknown): a hole is a black hole only where a
 * full-size segment fits. */
bool pmtud_blackholes_packet(pmtud_blackholes_t *bh, uint32_t frame, int64_t ts_ns,
                             const pmtud_ip_t *ip, uint32_t peer_mss,
                             const pmtud_flow_t *flow, uint64_t owner,
                             pmtud_blackhole_t *out);

/* An ICMP quoted the flow owner names: its trouble is not silent. */
void pmtud_blackholes_icmp(pmtud_blackholes_t *bh, uint64_t owner);

#endif /* PMTUD_BLACKHOLE_H */
