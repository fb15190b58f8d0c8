/* pmtud_conv.h
 * The TCP conversations the per-packet path keeps state for: the MSS each
 * end announced in its SYN, and a name for each direction that the
 * black-hole tracker keys its slots by. One lookup per TCP packet serves
 * both directions (a flow's own MSS and its peer's), found by the flow's
 * hash, which is the conversation's but for bit 0 (pmtud_flow.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PMTUD_CONV_H
#define PMTUD_CONV_H

#include <stdbool.h>
#include <stdint.h>

#include "pmtud_flow.h"

/* WAYS entries per set, SETS sets (a power of two): 65,536 conversations. */
#define PMTUD_CONV_WAYS 4
#define PMTUD_CONV_SETS 16384

typedef struct {
    uint32_t     stamp;        /* last use (the table's clock); 0: empty */
    uint32_t     key;          /* pmtud_conversation_key() */
    uint64_t     id;           /* 1, 2, ... in the order conversations were made */
    pmtud_flow_t flow;         /* the direction first seen */
    uint32_t     hash;         /* its pmtud_flow_hash(); bit 0: its sender's end */
    uint16_t     mss[2];       /* MSS announced by each end (by hash bit 0), 0 unknown */
} pmtud_conv_t;

typedef struct pmtud_convs pmtud_convs_t;

pmtud_convs_t *pmtud_convs_new(void);
void pmtud_convs_free(pmtud_convs_t *t);

/* flow's conversation (hash: pmtud_flow_hash(flow)), or NULL; with create,
 * made when absent, in place of the one least recently used of its set. */
pmtud_conv_t *pmtud_conv_find(pmtud_convs_t *t, const pmtud_flow_t *flow, uint32_t hash,
                              bool create);

/* flow's conversation when it is the one pmtud_conv_find() returned last
 * (packets of one conversation come in runs: data one way, ACKs the
 * other), with *hash set to pmtud_flow_hash(flow) without computing it;
 * else NULL, and the caller hashes and finds. */
pmtud_conv_t *pmtud_conv_last(pmtud_convs_t *t, const pmtud_flow_t *flow, uint32_t *hash);

/* Notes the MSS the sender of flow_hash's flow announced. */
static inline void pmtud_conv_set_own_mss(pmtud_conv_t *c, uint32_t flow_hash, uint16_t mss)
{
    c->mss[flow_hash & 1u] = mss;
}

/* The MSS the receiver of flow_hash's flow announced, 0 unknown. */
static inline uint16_t pmtud_conv_peer_mss(const pmtud_conv_t *c, uint32_t flow_hash)
{
    return c->mss[(flow_hash & 1u) ^ 1u];
}

/* Names one direction of one conversation for per-flow state elsewhere
 * (the black-hole tracker): never reused, and the reverse direction's is
 * owner ^ 1. */
static inline uint64_t pmtud_conv_owner(const pmtud_conv_t *c, uint32_t flow_hash)
{
    return c->id << 1 | (flow_hash & 1u);
}

#endif /* PMTUD_CONV_H */
