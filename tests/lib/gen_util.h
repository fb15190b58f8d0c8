/* gen_util.h
 * What the capture generators (tests/benchmark/pmtud_bench_gen.c,
 * tests/adversarial/pmtud_adv_gen.c) share: a seedable xorshift64* random
 * source, big-endian stores and the Internet checksum. Header-only: each
 * generator is one translation unit, built with a single compiler call.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PMTUD_GEN_UTIL_H
#define PMTUD_GEN_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* xorshift64*: fast, deterministic for a given seed (-s mixes into it). */
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd64(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717ull;
}

static uint32_t rnd(uint32_t n)
{
    return (uint32_t)((rnd64() >> 32) % n);
}

static void put16(uint8_t *p, uint32_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}

/* One's-complement sum of 16-bit big-endian words, and its folded complement. */
static uint32_t sum16(const uint8_t *p, size_t n, uint32_t sum)
{
    size_t i;
    for (i = 0; i + 1 < n; i += 2)
        sum += (uint32_t)(p[i] << 8 | p[i + 1]);
    if (n & 1)
        sum += (uint32_t)p[n - 1] << 8;
    return sum;
}

static uint16_t fold(uint32_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

#endif /* PMTUD_GEN_UTIL_H */
