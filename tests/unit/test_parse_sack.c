/* test_parse_sack.c
 * pmtud_tcp_sack_blocks: the SACK blocks (RFC 2018) of a parsed TCP
 * header, bounded by the header, the captured bytes and the caller's array;
 * nothing from a malformed option list.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "check.h"
#include "fixtures.h"
#include "frames.h"
#include "pmtud_parse.h"

/* Ethernet + IPv4 + an ACK (client -> server) whose TCP options are opts
 * (padded to a multiple of 4 with EOL), then payload bytes. */
static void ack_frame(pb_t *p, const uint8_t *opts, size_t n, size_t payload)
{
    pb_ip4_t h = pb_ip4_make(CLI, SRV, 6, 0x8c24);
    pb_tcp_t t = { 49321, 80, 0x7c1e9ad3u, SEQ, PB_ACK, 0 };
    size_t ipo, tcpo, pad = (4 - n % 4) % 4;

    pb_init(p);
    pb_eth(p, 0x0800);
    ipo = pb_ip4(p, &h);
    tcpo = pb_tcp(p, &t);
    pb_bytes(p, opts, n);
    while (pad--)
        pb_u8(p, 0);
    p->b[tcpo + 12] = (uint8_t)(((p->len - tcpo) / 4) << 4);
    pb_fill(p, payload, 0x30);
    pb_ip4_end(p, ipo);
}

/* b has room for 4 blocks, all poisoned first; max may be fewer. */
static unsigned blocks_of(const pb_t *p, size_t caplen, pmtud_sack_block_t *b, unsigned max)
{
    pmtud_frame_t f;

    memset(b, 0xa5, sizeof *b * 4);
    if (!CHECK(pmtud_parse_frame(PMTUD_LINK_ETHERNET, p->b, caplen, (uint32_t)p->len, &f)))
        return 99;
    return pmtud_tcp_sack_blocks(&f.ip, b, max);
}

#define BE32(v) (uint8_t)((v) >> 24), (uint8_t)((v) >> 16), (uint8_t)((v) >> 8), (uint8_t)(v)

static void test_one_block(void)
{
    static const uint8_t o[] = { 1, 1, 5, 10, BE32(0x7d3a9b10u + 1630), BE32(0x7d3a9b10u + 2193) };
    pb_t p;
    pmtud_sack_block_t b[4];

    ack_frame(&p, o, sizeof o, 0);
    CHECK_EQ(blocks_of(&p, p.len, b, 4), 1);
    CHECK_EQ(b[0].left, 0x7d3a9b10u + 1630);
    CHECK_EQ(b[0].right, 0x7d3a9b10u + 2193);
    /* The same ACK with data after the header: still the header's options. */
    ack_frame(&p, o, sizeof o, 100);
    CHECK_EQ(blocks_of(&p, p.len, b, 4), 1);
}

/* Timestamps first (Linux), then three blocks; the caller's array bounds
 * how many are read. */
static void test_after_timestamps_and_bounded(void)
{
    static const uint8_t o[] = { 1, 1, 8, 10, BE32(1), BE32(2), 1, 1, 5, 26,
                                 BE32(100), BE32(200), BE32(300), BE32(400), BE32(500),
                                 BE32(600) };
    pb_t p;
    pmtud_sack_block_t b[4];

    ack_frame(&p, o, sizeof o, 0);
    CHECK_EQ(blocks_of(&p, p.len, b, 4), 3);
    CHECK_EQ(b[1].left, 300);
    CHECK_EQ(b[2].right, 600);
    CHECK_EQ(blocks_of(&p, p.len, b, 2), 2);
    CHECK_EQ(b[1].right, 400);
    CHECK_EQ(b[2].left, 0xa5a5a5a5u);      /* untouched past max */
    CHECK_EQ(blocks_of(&p, p.len, b, 0), 0);
}

/* Cut by the snaplen inside the option: nothing rather than half a block. */
static void test_cut_by_snaplen(void)
{
    static const uint8_t o[] = { 1, 1, 5, 18, BE32(100), BE32(200), BE32(300), BE32(400) };
    pb_t p;
    pmtud_sack_block_t b[4];
    size_t tcp_opts = 14 + 20 + 20;

    ack_frame(&p, o, sizeof o, 0);
    CHECK_EQ(blocks_of(&p, p.len, b, 4), 2);
    CHECK_EQ(blocks_of(&p, tcp_opts + 2 + 2 + 8 + 3, b, 4), 0);
    CHECK_EQ(blocks_of(&p, tcp_opts + 1, b, 4), 0);
    CHECK_EQ(blocks_of(&p, tcp_opts, b, 4), 0);      /* no option byte captured */
    CHECK_EQ(blocks_of(&p, tcp_opts - 6, b, 4), 0);  /* not even the whole header */
}

/* Malformed lists: a length below 2, an option past the header, EOL
 * before SACK, a SACK length that holds no whole block. */
static void test_malformed(void)
{
    static const uint8_t zero_len[] = { 1, 8, 0, 5, 10, BE32(1), BE32(2) };
    static const uint8_t one_len[] = { 1, 8, 1, 5, 10, BE32(1), BE32(2) };
    static const uint8_t past_header[] = { 1, 1, 5, 18, BE32(1), BE32(2) };
    static const uint8_t eol_first[] = { 0, 1, 5, 10, BE32(1), BE32(2) };
    static const uint8_t short_sack[] = { 1, 1, 5, 9, BE32(1), 0, 0, 0, 2 };
    static const uint8_t no_sack[] = { 1, 1, 8, 10, BE32(1), BE32(2) };
    /* The option past_header claims 18 bytes, the header ends after 12:
     * the 40 payload bytes that follow are not read as option bytes. */
    static const struct {
        const uint8_t *opts;
        size_t n, payload;
    } lists[] = {
        { zero_len, sizeof zero_len, 0 }, { one_len, sizeof one_len, 0 },
        { past_header, sizeof past_header, 40 }, { eol_first, sizeof eol_first, 0 },
        { short_sack, sizeof short_sack, 0 }, { no_sack, sizeof no_sack, 0 },
        { NULL, 0, 0 },                              /* no options at all */
    };
    pb_t p;
    pmtud_sack_block_t b[4];
    size_t i;

    for (i = 0; i < sizeof lists / sizeof lists[0]; i++) {
        ack_frame(&p, lists[i].opts, lists[i].n, lists[i].payload);
        CHECK_EQ(blocks_of(&p, p.len, b, 4), 0);
    }
}

/* The MSS of a SYN is read by the same option walker. */
static void test_mss_still_read(void)
{
    static const uint8_t o[] = { 1, 1, 5, 10, BE32(1), BE32(2), 2, 4, 0x05, 0xb4 };
    pb_t p;
    pmtud_frame_t f;

    ack_frame(&p, o, sizeof o, 0);
    p.b[14 + 20 + 13] = PB_SYN;
    CHECK(pmtud_parse_frame(PMTUD_LINK_ETHERNET, p.b, p.len, (uint32_t)p.len, &f));
    CHECK_EQ(f.ip.mss, 1460);
}

int main(void)
{
    RUN(test_one_block);
    RUN(test_after_timestamps_and_bounded);
    RUN(test_cut_by_snaplen);
    RUN(test_malformed);
    RUN(test_mss_still_read);
    return check_done();
}
