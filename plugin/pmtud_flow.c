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
 * pmtud_analyze.c is what bounds the work if a key were ever guessed.
 * The key is spread over six words, one per input word (and the final mix),
 * so that no two words of a flow meet the same key bits. */
static const uint64_t hash_base[6] = {
    0x9e3779b97f4a7c15ull, 0xbf58476d1ce4e5b9ull, 0x94d049bb133111ebull,
    0xd6e8feb86659fd93ull, 0xa0761d6478bd642full, 0xe7037ed1a0b428dbull,
};
static uint64_t hash_k[6] = {
    0x9e3779b97f4a7c15ull, 0xbf58476d1ce4e5b9ull, 0x94d049bb133111ebull,
    0xd6e8feb86659fd93ull, 0xa0761d6478bd642full, 0xe7037ed1a0b428dbull,
};

/* splitmix64's finaliser: each key word differs from the others in about
 * half its bits whatever the key. */
static uint64_t spread_key(uint64_t x)
{
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

void pmtud_flow_hash_set_key(uint64_t key)
{
    size_t i;

    for (i = 0; i < 6; i++)
        hash_k[i] = key ? hash_base[i] ^ spread_key(key + i * 0x9e3779b97f4a7c15ull) : hash_base[i];
}

/* The full 128-bit product folded to 64 bits (wyhash's "mum"): two input
 * words mixed by one multiplication. */
static inline uint64_t mum(uint64_t a, uint64_t b)
{
#if defined(__SIZEOF_INT128__)
    __uint128_t r = (__uint128_t)a * b;
    return (uint64_t)r ^ (uint64_t)(r >> 64);
#else
    uint64_t r = (a ^ (b << 32 | b >> 32)) * 0xff51afd7ed558ccdull;
    return r ^ (r >> 32) ^ b;
#endif
}

/* One endpoint (address and port) under the key: the same key for both
 * ends, so that a flow and its reverse combine the same two values. */
static inline uint64_t endpoint_hash(const uint8_t *addr, uint16_t port)
{
    return mum(pmtud_load64(addr) ^ hash_k[0], (pmtud_load64(addr + 8) ^ hash_k[1]) + port);
}

/* Both directions of a conversation hash alike but for bit 0, which says
 * which end sent: the per-packet path hashes once and has the reverse
 * flow's hash (hash ^ 1) and the conversation's (hash & ~1) for free.
 * Three multiplications over the 38-byte key. */
uint32_t pmtud_flow_hash(const pmtud_flow_t *f)
{
    uint64_t hs = endpoint_hash(f->src, f->sport), hd = endpoint_hash(f->dst, f->dport);
    uint64_t h = mum((hs + hd) ^ hash_k[2],
                     ((uint64_t)f->family << 8 | f->proto) ^ hash_k[3]);
    uint32_t h32 = (uint32_t)(h ^ (h >> 32));

    /* Bit 0: which end sent. Endpoints that hash alike (one in 2^64, or a
     * flow from an endpoint to itself) are told apart by their bytes, so
     * that the reverse's hash is hash ^ 1 for every flow but its own
     * reverse. */
    if (hs == hd) {
        int c = memcmp(f->src, f->dst, sizeof f->src);
        return (h32 & ~1u) | (c > 0 || (c == 0 && f->sport > f->dport));
    }
    return (h32 & ~1u) | (hs > hd);
}
