/* pmtud_follow.c
 * Follows each linked TCP flow after its ICMP: the first later frame that
 * carries the first rejected byte is the retransmission; an ACK from the
 * receiver past that byte says the data got through; a new ICMP rejecting a
 * retransmission says the sender ignored the first one.
 *
 * Per packet the cost is one bitmap test while anything is followed, and
 * nothing at all otherwise. At most MAX_OPEN ICMPs are followed at once.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "pmtud_follow.h"

#include <stdlib.h>
#include <string.h>

#define MAX_OPEN    256
#define FILTER_BITS 4096

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
    uint16_t filter[FILTER_BITS]; /* open watches per key bucket */
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
    fw->filter[fw->open[i].key % FILTER_BITS]--;
    fw->open[i] = fw->open[--fw->n_open];
}

/* The rejected data got through: say how, and what it cost. */
static void settle_through(watch_t *w, int64_t ack_ts)
{
    pmtud_icmp_result_t *res = w->res;
    (void)ack_ts;
    res->through_frame = w->last_tx_frame;
    res->time_lost_ns = (w->last_tx_frame ? w->last_tx_ts : res->quoted_ts_ns) - res->quoted_ts_ns;
    if (w->rejected_again)
        res->reaction = PMTUD_R_IGNORED;
    else if (!res->retransmit_frame || res->retransmit_len >= res->wire_len)
        res->reaction = PMTUD_R_SAME_SIZE_CROSSED;
    else
        res->reaction = PMTUD_R_WORKED;
}

void pmtud_follow_start(pmtud_follow_t *fw, pmtud_icmp_result_t *res)
{
    watch_t *w;
    pmtud_flow_t rev;

    if (!fw || !res->quoted_frame || res->proto != PMTUD_PROTO_TCP || !res->has_seq) {
        res->reaction = PMTUD_R_NOT_FOLLOWED;
        return;
    }
    if (fw->n_open == MAX_OPEN) {
        /* Too many ICMPs open at once: give up on the oldest. */
        fw->open[0].res->reaction = PMTUD_R_NOT_FOLLOWED;
        close_watch(fw, 0);
    }
    w = &fw->open[fw->n_open++];
    memset(w, 0, sizeof *w);
    w->res = res;
    pmtud_result_flow(res, &w->flow);
    pmtud_flow_reverse(&w->flow, &rev);
    w->key = pmtud_conversation_key(pmtud_flow_hash(&w->flow), pmtud_flow_hash(&rev));
    fw->filter[w->key % FILTER_BITS]++;
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

void pmtud_follow_packet(pmtud_follow_t *fw, uint32_t frame, int64_t ts_ns,
                         const pmtud_ip_t *ip, const pmtud_flow_t *flow,
                         const pmtud_flow_t *rev, uint32_t key)
{
    uint32_t i;

    if (!fw || fw->n_open == 0 || ip->proto != PMTUD_PROTO_TCP || !ip->has_seq)
        return;
    if (fw->filter[key % FILTER_BITS] == 0)
        return;
    for (i = 0; i < fw->n_open; i++) {
        watch_t *w = &fw->open[i];
        pmtud_icmp_result_t *res = w->res;
        if (w->key != key || frame <= res->icmp_frame)
            continue;
        if (pmtud_flow_equal(&w->flow, flow)) {
            if (ip->payload_len && pmtud_seq_inside(res->quoted_seq, ip->seq, ip->payload_len)) {
                if (!res->retransmit_frame) {
                    res->retransmit_frame = frame;
                    res->retransmit_len = ip->ip_len;
                }
                w->last_tx_frame = frame;
                w->last_tx_ts = ts_ns;
            }
        } else if (pmtud_flow_equal(&w->flow, rev) && ip->has_ack && (ip->tcp_flags & PMTUD_TCP_ACK)) {
            /* Acknowledged past the first rejected byte. */
            if (pmtud_seq_lt(res->quoted_seq, ip->ack)) {
                settle_through(w, ts_ns);
                close_watch(fw, i);
                i--;
            }
        }
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
