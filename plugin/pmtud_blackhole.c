/* pmtud_blackhole.c
 * One slot per flow in a direct-mapped table (a collision forgets the older
 * flow: memory stays fixed whatever the capture). Per slot: the segment
 * being resent, how often, and the sizes that got through.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "pmtud_blackhole.h"

#include <stdlib.h>
#include <string.h>

#define SLOTS   4096
#define RECENT  32      /* unacknowledged segments remembered per flow (a flight) */

typedef struct {
    uint32_t seq, len, ip_len, frame;
    bool     resent;      /* an ACK past a resent segment proves nothing of its size */
} seg_t;

typedef struct {
    bool         used;
    bool         icmp_seen;
    pmtud_flow_t flow;
    seg_t        recent[RECENT];  /* the oldest unacknowledged segments */
    uint32_t     n_recent;
    /* The lowest and highest seq in recent[], as plain integers (not
     * sequence space): a segment outside them is no resend, and in bulk
     * TCP (a full flight in recent[]) that spares a scan per segment. */
    uint32_t     recent_lo, recent_hi;
    uint32_t     through_len, through_payload;
    /* the segment being resent */
    uint32_t     stuck_seq, stuck_payload, stuck_ip_len, tries;
    uint32_t     frames[PMTUD_BH_MAX_FRAMES];
    uint32_t     n_frames;
    uint32_t     fallback_frame;
} slot_t;

struct pmtud_blackholes {
    slot_t slot[SLOTS];
};

pmtud_blackholes_t *pmtud_blackholes_new(void)
{
    return calloc(1, sizeof(pmtud_blackholes_t));
}

void pmtud_blackholes_free(pmtud_blackholes_t *bh)
{
    free(bh);
}

/* The flow's slot, or NULL. Twice per packet: inlined. */
static inline slot_t *slot_of(pmtud_blackholes_t *bh, const pmtud_flow_t *flow, uint32_t hash)
{
    slot_t *s = &bh->slot[hash % SLOTS];
    return s->used && pmtud_flow_equal(&s->flow, flow) ? s : NULL;
}

/* The flow's slot, taken over (from whatever flow had it) if need be. */
static slot_t *slot_for(pmtud_blackholes_t *bh, const pmtud_flow_t *flow, uint32_t hash)
{
    slot_t *s = slot_of(bh, flow, hash);
    if (s)
        return s;
    s = &bh->slot[hash % SLOTS];
    memset(s, 0, sizeof *s);
    s->used = true;
    s->flow = *flow;
    return s;
}

static void on_ack(slot_t *s, uint32_t ack)
{
    uint32_t i, k = 0;
    for (i = 0; i < s->n_recent; i++) {
        seg_t *g = &s->recent[i];
        if (pmtud_seq_le(g->seq + g->len, ack)) {
            if (!g->resent && g->ip_len > s->through_len) {
                s->through_len = g->ip_len;
                s->through_payload = g->len;
            }
        } else {
            if (k == 0 || g->seq < s->recent_lo)
                s->recent_lo = g->seq;
            if (k == 0 || g->seq > s->recent_hi)
                s->recent_hi = g->seq;
            s->recent[k++] = *g;
        }
    }
    s->n_recent = k;
    /* The stuck segment was acknowledged at full size: plain loss, not a
     * black hole. */
    if (s->tries && pmtud_seq_le(s->stuck_seq + s->stuck_payload, ack) && !s->fallback_frame) {
        s->tries = 0;
        s->n_frames = 0;
    }
}

static seg_t *find_recent(slot_t *s, uint32_t seq, uint32_t len)
{
    uint32_t i;
    if (s->n_recent == 0 || seq < s->recent_lo || seq > s->recent_hi)
        return NULL;
    for (i = 0; i < s->n_recent; i++)
        if (s->recent[i].seq == seq && s->recent[i].len == len)
            return &s->recent[i];
    return NULL;
}

static void remember(slot_t *s, const pmtud_ip_t *ip, uint32_t frame)
{
    seg_t *g;

    /* Keep the oldest: the first segment of a flight is the one a black
     * hole swallows first and the one resent first. */
    if (s->n_recent == RECENT)
        return;
    if (s->n_recent == 0 || ip->seq < s->recent_lo)
        s->recent_lo = ip->seq;
    if (s->n_recent == 0 || ip->seq > s->recent_hi)
        s->recent_hi = ip->seq;
    g = &s->recent[s->n_recent++];
    g->seq = ip->seq;
    g->len = ip->payload_len;
    g->ip_len = ip->ip_len;
    g->frame = frame;
    g->resent = false;
}

bool pmtud_blackholes_packet(pmtud_blackholes_t *bh, uint32_t frame, const pmtud_ip_t *ip,
                             const pmtud_flow_t *flow, uint32_t hash,
                             const pmtud_flow_t *rev, uint32_t rev_hash,
                             pmtud_blackhole_t *out)
{
    slot_t *s;

    if (!bh || ip->proto != PMTUD_PROTO_TCP || !ip->has_seq || !ip->has_ports)
        return false;
    if (ip->has_ack && (ip->tcp_flags & PMTUD_TCP_ACK)) {
        if ((s = slot_of(bh, rev, rev_hash)) != NULL) {
            on_ack(s, ip->ack);
            /* The smaller resend got through: the full size never did. */
            if (s->fallback_frame && s->tries >= PMTUD_BH_MIN_TRIES && !s->icmp_seen &&
                pmtud_seq_le(s->stuck_seq + 1, ip->ack)) {
                memset(out, 0, sizeof *out);
                memcpy(out->frames, s->frames, sizeof out->frames);
                out->n_frames = s->n_frames;
                out->tries = s->tries;
                out->stuck_len = s->stuck_ip_len;
                out->through_len = s->through_len;
                out->through_payload = s->through_payload;
                out->fallback_frame = s->fallback_frame;
                s->tries = 0;
                s->n_frames = 0;
                s->fallback_frame = 0;
                return true;
            }
        }
    }
    if (ip->payload_len == 0)
        return false;
    s = slot_for(bh, flow, hash);
    if (s->tries && ip->seq == s->stuck_seq) {
        if (ip->payload_len == s->stuck_payload) {
            s->tries++;
            if (s->n_frames < PMTUD_BH_MAX_FRAMES)
                s->frames[s->n_frames++] = frame;
        } else if (ip->payload_len < s->stuck_payload && s->tries >= PMTUD_BH_MIN_TRIES &&
                   !s->fallback_frame) {
            s->fallback_frame = frame;   /* the sender gave up on the full size */
            remember(s, ip, frame);
        }
        return false;
    }
    if (!s->fallback_frame) {
        /* A resend of a segment still unacknowledged: it may be stuck. */
        seg_t *orig = find_recent(s, ip->seq, ip->payload_len);
        if (orig) {
            orig->resent = true;
            s->stuck_seq = orig->seq;
            s->stuck_payload = orig->len;
            s->stuck_ip_len = orig->ip_len;
            s->tries = 2;
            s->frames[0] = orig->frame;
            s->frames[1] = frame;
            s->n_frames = 2;
            return false;
        }
    }
    remember(s, ip, frame);
    return false;
}

void pmtud_blackholes_icmp(pmtud_blackholes_t *bh, const pmtud_flow_t *flow)
{
    slot_t *s;
    if (bh && (s = slot_of(bh, flow, pmtud_flow_hash(flow))) != NULL)
        s->icmp_seen = true;
}
