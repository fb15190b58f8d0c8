/* test_flowtable.c
 * The per-flow table behind -z pmtud,flows: one row per flow however many
 * flows come, found again after every growth of its hash slots, under any
 * hash key.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "check.h"
#include "pmtud_flowtable.h"

static pmtud_flow_t flow_n(uint32_t n)
{
    pmtud_flow_t f;

    memset(&f, 0, sizeof f);
    f.family = 4;
    f.proto = 6;
    f.sport = (uint16_t)(1024 + n % 60000);
    f.dport = 80;
    f.src[0] = 10;
    f.src[1] = (uint8_t)(n >> 16);
    f.src[2] = (uint8_t)(n >> 8);
    f.src[3] = (uint8_t)n;
    f.dst[0] = 192;
    f.dst[3] = 1;
    return f;
}

/* 5000 flows, each seen three times, interleaved so that lookups happen
 * before and after the slots grow (64, 128, ... 16384 slots). */
static void fill_and_check(uint64_t key)
{
    pmtud_flowtable_t *t;
    pmtud_oversize_t o;
    uint32_t n, round;

    pmtud_flow_hash_set_key(key);
    t = pmtud_flowtable_new();
    if (!CHECK(t != NULL))
        return;
    memset(&o, 0, sizeof o);
    for (round = 0; round < 3; round++)
        for (n = 0; n < 5000; n++) {
            pmtud_flow_t f = flow_n(n);
            o.len = 1500 + round;
            pmtud_flowtable_add_oversize(t, &f, round * 5000 + n + 1, &o);
            if (round == 0 && n == 999)
                CHECK_EQ(pmtud_flowtable_rows(t), 1000);
        }
    CHECK_EQ(pmtud_flowtable_rows(t), 5000);
    pmtud_flowtable_reset(t);
    CHECK_EQ(pmtud_flowtable_rows(t), 0);
    pmtud_flowtable_free(t);
    pmtud_flow_hash_set_key(0);
}

static void test_rows(void)
{
    fill_and_check(0);
    fill_and_check(0x0123456789abcdefull);
}

int main(void)
{
    RUN(test_rows);
    return check_done();
}
