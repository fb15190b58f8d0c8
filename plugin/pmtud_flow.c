/* pmtud_flow.c
 * Building, reversing and hashing flows.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "pmtud_flow.h"

void pmtud_flow_reverse(const pmtud_flow_t *in, pmtud_flow_t *out)
{
    *out = *in;
    out->sport = in->dport;
    out->dport = in->sport;
    memcpy(out->src, in->dst, sizeof out->src);
    memcpy(out->dst, in->src, sizeof out->dst);
}

/* The glue sets a random key once per process (0 until then, which keeps
 * unit tests reproducible). Not a cryptographic hash; the walk limit in
 * pmtud_analyze.c is what bounds the work if a key were ever guessed. */
static uint64_t hash_key;

void pmtud_flow_hash_set_key(uint64_t key)
{
    hash_key = key;
}

/* Word-at-a-time multiply-xorshift over the 38-byte key: this runs a few
 * times per packet, so it must cost a handful of cycles, not one per byte. */
uint32_t pmtud_flow_hash(const pmtud_flow_t *f)
{
    const uint8_t *p = (const uint8_t *)f;
    uint64_t h = 0x9e3779b97f4a7c15ull ^ hash_key, w;
    size_t i;

    for (i = 0; i + 8 <= sizeof *f; i += 8) {
        memcpy(&w, p + i, 8);
        h = (h ^ w ^ hash_key) * 0xff51afd7ed558ccdull;
        h ^= h >> 32;
    }
    w = 0;
    memcpy(&w, p + i, sizeof *f - i);
    h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 29;
    return (uint32_t)h;
}
