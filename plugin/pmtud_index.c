/* pmtud_index.c
 * Ring of recent transmissions + hash buckets chaining each flow's records.
 * A record is valid while the ring has not wrapped over it; chains are cut
 * where they reach a forgotten record, so no deletion is ever needed.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "pmtud_index.h"

#include <stdlib.h>
#include <string.h>

struct pmtud_index {
    pmtud_rec_t *ring;
    uint64_t    *bucket;      /* serial of the latest record per bucket, 0 empty */
    uint32_t     mask;        /* capacity - 1; buckets and ring share the size */
    uint64_t     count;       /* records ever added */
};

pmtud_index_t *pmtud_index_new(uint32_t capacity)
{
    pmtud_index_t *ix;
    uint32_t size = 1024;

    while (size < capacity && size < (1u << 30))
        size <<= 1;
    ix = calloc(1, sizeof *ix);
    if (!ix)
        return NULL;
    ix->ring = calloc(size, sizeof *ix->ring);
    ix->bucket = calloc(size, sizeof *ix->bucket);
    if (!ix->ring || !ix->bucket) {
        pmtud_index_free(ix);
        return NULL;
    }
    ix->mask = size - 1;
    return ix;
}

void pmtud_index_free(pmtud_index_t *ix)
{
    if (!ix)
        return;
    free(ix->ring);
    free(ix->bucket);
    free(ix);
}

uint32_t pmtud_index_capacity(const pmtud_index_t *ix)
{
    return ix->mask + 1;
}

static const pmtud_rec_t *lookup(const pmtud_index_t *ix, uint64_t serial)
{
    const pmtud_rec_t *r;

    if (serial == 0)
        return NULL;
    r = &ix->ring[(serial - 1) & ix->mask];
    return r->serial == serial ? r : NULL;   /* overwritten: forgotten */
}

pmtud_rec_t *pmtud_index_add(pmtud_index_t *ix, const pmtud_rec_t *rec)
{
    pmtud_rec_t *slot = pmtud_index_append(ix, pmtud_flow_hash(&rec->flow));
    uint64_t serial = slot->serial, prev = slot->prev;

    *slot = *rec;
    slot->serial = serial;
    slot->prev = prev;
    return slot;
}

pmtud_rec_t *pmtud_index_append(pmtud_index_t *ix, uint32_t hash)
{
    uint32_t b = hash & ix->mask;
    uint64_t serial = ++ix->count;
    pmtud_rec_t *slot = &ix->ring[(serial - 1) & ix->mask];

    slot->serial = serial;
    slot->prev = ix->bucket[b];
    ix->bucket[b] = serial;
    return slot;
}

/* The next record of flow in its bucket chain from serial *s on, looking at
 * no more than *steps_left bucket entries (other flows' included); NULL at
 * the end. The one chain walker: index_walk_h and pmtud_index_latest both use it. */
static inline const pmtud_rec_t *chain_next(const pmtud_index_t *ix, const pmtud_flow_t *flow,
                                            uint64_t *s, uint32_t *steps_left)
{
    while (*steps_left > 0) {
        const pmtud_rec_t *r = lookup(ix, *s);
        (*steps_left)--;
        if (!r)
            return NULL;
        /* Chains only go back in time; a later serial means a reused slot
         * (serial 0: lookup() ends the walk). */
        *s = r->prev < *s ? r->prev : 0;
        if (pmtud_flow_equal(&r->flow, flow))
            return r;
    }
    return NULL;
}

static void index_walk_h(const pmtud_index_t *ix, const pmtud_flow_t *flow, uint32_t hash,
                         uint32_t max_steps, pmtud_visit_fn visit, void *ctx)
{
    uint64_t s = ix->bucket[hash & ix->mask];
    const pmtud_rec_t *r;

    while ((r = chain_next(ix, flow, &s, &max_steps)) != NULL)
        if (!visit(r, ctx))
            return;
}

void pmtud_index_walk(const pmtud_index_t *ix, const pmtud_flow_t *flow,
                      uint32_t max_steps, pmtud_visit_fn visit, void *ctx)
{
    index_walk_h(ix, flow, pmtud_flow_hash(flow), max_steps, visit, ctx);
}

const pmtud_rec_t *pmtud_index_latest(const pmtud_index_t *ix, const pmtud_flow_t *flow)
{
    /* The first match, without a callback. */
    uint64_t s = ix->bucket[pmtud_flow_hash(flow) & ix->mask];
    uint32_t steps = 64;

    return chain_next(ix, flow, &s, &steps);
}
