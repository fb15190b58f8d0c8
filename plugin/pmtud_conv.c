/* pmtud_conv.c
 * A set-associative table of TCP conversations: WAYS entries per set, the
 * set chosen by the conversation's hash, the least recently used entry of a
 * full set given to a new conversation. Fixed memory (SETS * WAYS entries,
 * 64 bytes each: 4 MB), one probe of at most WAYS entries per packet, and no
 * deletion. A conversation is forgotten only when WAYS newer live ones
 * share its set: with the hash keyed at random, a capture would need
 * thousands of conversations open at once before that happens by chance,
 * and then the MSS is unknown (no verdict leans on it), never wrong.
 *
 * The MSS lived in the index's records before (each record carried its
 * flow's, found again through the flow's latest record): two chain walks
 * per packet, now one probe.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "pmtud_conv.h"

#include <stdlib.h>
#include <string.h>

#define WAYS PMTUD_CONV_WAYS
#define SETS PMTUD_CONV_SETS

struct pmtud_convs {
    pmtud_conv_t *last;        /* the entry returned last (its stamp is the clock's) */
    uint32_t     clock;
    uint64_t     made;         /* conversations made so far: the next id */
    pmtud_conv_t e[SETS * WAYS];
};

pmtud_convs_t *pmtud_convs_new(void)
{
    return calloc(1, sizeof(pmtud_convs_t));
}

void pmtud_convs_free(pmtud_convs_t *t)
{
    free(t);
}

/* Never 0, which marks an empty entry (the clock wraps after 2^32 uses:
 * the recency order is then off for a while, nothing else). */
static uint32_t tick(pmtud_convs_t *t)
{
    if (++t->clock == 0)
        t->clock = 1;
    return t->clock;
}

static bool same_conversation(const pmtud_conv_t *c, const pmtud_flow_t *flow, uint32_t hash)
{
    return hash == c->hash ? pmtud_flow_equal(&c->flow, flow)
                           : pmtud_flow_equal_reversed(&c->flow, flow);
}

pmtud_conv_t *pmtud_conv_last(pmtud_convs_t *t, const pmtud_flow_t *flow, uint32_t *hash)
{
    pmtud_conv_t *last = t->last;

    /* Its stamp is the clock's already: nothing was used since. */
    if (!last)
        return NULL;
    /* The first word (ports and all) tells the directions apart cheaply. */
    if (pmtud_load64((const uint8_t *)&last->flow) == pmtud_load64((const uint8_t *)flow) &&
        pmtud_flow_equal(&last->flow, flow)) {
        *hash = last->hash;
        return last;
    }
    if (pmtud_flow_equal_reversed(&last->flow, flow)) {
        *hash = pmtud_flow_hash_reverse(last->hash);
        return last;
    }
    return NULL;
}

pmtud_conv_t *pmtud_conv_find(pmtud_convs_t *t, const pmtud_flow_t *flow, uint32_t hash,
                              bool create)
{
    pmtud_conv_t *set = &t->e[((hash >> 1) & (SETS - 1)) * WAYS], *victim = set;
    uint32_t key = pmtud_conversation_key(hash), i;

    for (i = 0; i < WAYS; i++) {
        pmtud_conv_t *c = &set[i];
        if (c->stamp && c->key == key && same_conversation(c, flow, hash)) {
            c->stamp = tick(t);
            return t->last = c;
        }
        if (c->stamp < victim->stamp)
            victim = c;     /* an empty entry (stamp 0) is the least recent */
    }
    if (!create)
        return NULL;
    memset(victim, 0, sizeof *victim);
    victim->stamp = tick(t);
    victim->key = key;
    victim->id = ++t->made;
    victim->flow = *flow;
    victim->hash = hash;
    return t->last = victim;
}
