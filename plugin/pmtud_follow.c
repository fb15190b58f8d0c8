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

static uint32_t endpoint_hash(const uint8_t *addr, uint16_t port)
{
    uint32_t h = 2166136261u;
    int i;
    for (i = 0; i < 16; i++)
        h = (h ^ addr[i]) * 16777619u;
    h = (h ^ (port & 0xff)) * 16777619u;
    h = (h ^ (port >> 8)) * 16777619u;
    return h;
}

/* Symmetric: both directions of a conversation get the same key. */
static uint32_t conversation_key(const pmtud_flow_t *f)
{
    uint32_t h = endpoint_hash(f->src, f->sport) ^ endpoint_hash(f->dst, f->dport);
    return (h ^ f->proto ^ (uint32_t)f->family << 8) * 2654435761u;
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

    if (!fw || !res->quoted_frame || res->proto != 6 || !res->has_seq) {
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
    pmtud_flow_of_result(res, &w->flow);
    w->key = conversation_key(&w->flow);
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
                         const pmtud_ip_t *ip)
{
    pmtud_flow_t flow, rev;
    uint32_t key, i;

    if (!fw || fw->n_open == 0 || ip->proto != 6 || !ip->has_seq)
        return;
    pmtud_flow_of_ip(ip, &flow);
    key = conversation_key(&flow);
    if (fw->filter[key % FILTER_BITS] == 0)
        return;
    pmtud_flow_reverse(&flow, &rev);
    for (i = 0; i < fw->n_open; i++) {
        watch_t *w = &fw->open[i];
        pmtud_icmp_result_t *res = w->res;
        if (w->key != key || frame <= res->icmp_frame)
            continue;
        if (pmtud_flow_equal(&w->flow, &flow)) {
            if (ip->payload_len && (uint32_t)(res->quoted_seq - ip->seq) < ip->payload_len) {
                if (!res->retransmit_frame) {
                    res->retransmit_frame = frame;
                    res->retransmit_len = ip->ip_len;
                }
                w->last_tx_frame = frame;
                w->last_tx_ts = ts_ns;
            }
        } else if (pmtud_flow_equal(&w->flow, &rev) && ip->has_ack && (ip->tcp_flags & 0x10)) {
            uint32_t past = ip->ack - res->quoted_seq;
            if (past >= 1 && past < 0x80000000u) {
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
