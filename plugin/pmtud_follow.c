/* pmtud_follow.c
 * Follows each linked TCP flow after its ICMP: the first later frame that
 * carries the first rejected byte is the retransmission; an ACK from the
 * receiver past that byte says the data got through; a new ICMP rejecting a
 * retransmission says the sender ignored the first one.
 *
 * Per packet the cost is one counter test (are any watches open on this
 * conversation's key bucket?) while anything is followed, and nothing at all
 * otherwise. At most MAX_OPEN ICMPs are followed at once; past that the
 * oldest is given up.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "pmtud_follow.h"

#include <stdlib.h>
#include <string.h>

#define MAX_OPEN    256
#define KEY_BUCKETS 4096

typedef struct {
    pmtud_icmp_result_t *res;
    pmtud_flow_t flow;            /* sender -> receiver of the rejected data */
    uint32_t     key;             /* same for both directions of the flow */
    int64_t      last_tx_ts;      /* latest transmission carrying first byte */
    uint32_t     last_tx_frame;
    bool         rejected_again;
} watch_t;

struct pmtud_follow {
    watch_t  open[MAX_OPEN];
    uint32_t n_open;
    uint16_t open_per_bucket[KEY_BUCKETS]; /* open watches per key bucket */
};

pmtud_follow_t *pmtud_follow_new(void)
{
    return calloc(1, sizeof(pmtud_follow_t));
}

void pmtud_follow_free(pmtud_follow_t *fw)
{
    free(fw);
}

static void close_watch(pmtud_follow_t *fw, uint32_t i)
{
    fw->open_per_bucket[fw->open[i].key % KEY_BUCKETS]--;
    fw->open[i] = fw->open[--fw->n_open];
}

/* The rejected data got through: say how, and what it cost. */
static void settle_through(watch_t *w)
{
    pmtud_icmp_result_t *res = w->res;
    res->through_frame = w->last_tx_frame;
    res->time_lost_ns = (w->last_tx_frame ? w->last_tx_ts : res->quoted_ts_ns) - res->quoted_ts_ns;
    if (w->rejected_again)
        res->reaction = PMTUD_R_IGNORED;
    else if (!res->retransmit_frame || res->retransmit_len >= res->wire_len)
        res->reaction = PMTUD_R_SAME_SIZE_CROSSED;
    else
        res->reaction = PMTUD_R_WORKED;
}

/* The watch of the earliest ICMP. close_watch() moves the last watch into
 * the hole, so the array is not in ICMP order: look (only when full). */
static uint32_t oldest_watch(const pmtud_follow_t *fw)
{
    uint32_t i, oldest = 0;

    for (i = 1; i < fw->n_open; i++)
        if (fw->open[i].res->icmp_frame < fw->open[oldest].res->icmp_frame)
            oldest = i;
    return oldest;
}

void pmtud_follow_start(pmtud_follow_t *fw, pmtud_icmp_result_t *res)
{
    watch_t *w;

    if (!fw || !res->quoted_frame || res->proto != PMTUD_PROTO_TCP || !res->has_seq) {
        res->reaction = PMTUD_R_NOT_FOLLOWED;
        return;
    }
    if (fw->n_open == MAX_OPEN) {
        /* Too many ICMPs open at once: give up on the oldest. */
        uint32_t oldest = oldest_watch(fw);
        fw->open[oldest].res->reaction = PMTUD_R_NOT_FOLLOWED;
        close_watch(fw, oldest);
    }
    w = &fw->open[fw->n_open++];
    memset(w, 0, sizeof *w);
    w->res = res;
    pmtud_result_flow(res, &w->flow);
    w->key = pmtud_conversation_key(pmtud_flow_hash(&w->flow));
    fw->open_per_bucket[w->key % KEY_BUCKETS]++;
    res->reaction = PMTUD_R_PENDING;
}

void pmtud_follow_icmp(pmtud_follow_t *fw, const pmtud_icmp_result_t *res)
{
    uint32_t i;

    if (!fw || !res->quoted_frame)
        return;
    for (i = 0; i < fw->n_open; i++) {
        watch_t *w = &fw->open[i];
        if (w->res != res && w->last_tx_frame && w->last_tx_frame == res->quoted_frame)
            w->rejected_again = true;
    }
}

bool pmtud_follow_watching(const pmtud_follow_t *fw)
{
    return fw && fw->n_open > 0;
}

void pmtud_follow_packet(pmtud_follow_t *fw, uint32_t frame, int64_t ts_ns,
                         const pmtud_ip_t *ip, const pmtud_flow_t *flow, uint32_t key)
{
    uint32_t i = 0;

    if (!fw || fw->n_open == 0 || ip->proto != PMTUD_PROTO_TCP || !ip->has_seq)
        return;
    if (fw->open_per_bucket[key % KEY_BUCKETS] == 0)
        return;
    /* i moves on only past a watch that stays open: closing one moves the
     * last watch into slot i. */
    while (i < fw->n_open) {
        watch_t *w = &fw->open[i];
        pmtud_icmp_result_t *res = w->res;
        if (w->key != key || frame <= res->icmp_frame) {
            i++;
            continue;
        }
        if (pmtud_flow_equal(&w->flow, flow)) {
            if (ip->payload_len && pmtud_seq_inside(res->quoted_seq, ip->seq, ip->payload_len)) {
                if (!res->retransmit_frame) {
                    res->retransmit_frame = frame;
                    res->retransmit_len = ip->ip_len;
                }
                w->last_tx_frame = frame;
                w->last_tx_ts = ts_ns;
            }
        } else if (pmtud_flow_equal_reversed(&w->flow, flow) && ip->has_ack &&
                   (ip->tcp_flags & PMTUD_TCP_ACK)) {
            /* Acknowledged past the first rejected byte. */
            if (pmtud_seq_lt(res->quoted_seq, ip->ack)) {
                settle_through(w);
                close_watch(fw, i);
                continue;
            }
        }
        i++;
    }
}

void pmtud_follow_finish(pmtud_follow_t *fw, int64_t last_ts_ns)
{
    if (!fw)
        return;
    while (fw->n_open) {
        watch_t *w = &fw->open[fw->n_open - 1];
        w->res->end_ts_ns = last_ts_ns;
        w->res->reaction = w->rejected_again ? PMTUD_R_IGNORED : PMTUD_R_NO_RETRANSMISSION;
        close_watch(fw, fw->n_open - 1);
    }
}
