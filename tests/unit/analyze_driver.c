/* analyze_driver.c
 * Feeding frames to the analyzer for the tests; see analyze_driver.h.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "analyze_driver.h"

#include <string.h>

#include "check.h"
#include "fixtures.h"

pmtud_analyzer_t *an;
uint32_t frame_no;
int64_t ts_step_ns = 1000;
pmtud_fed_t FED;
pmtud_icmp_result_t R;

void reset(void)
{
    pmtud_analyzer_free(an);
    an = pmtud_analyzer_new(0);
    frame_no = 0;
    ts_step_ns = 1000;
}

bool feed_wire(const pb_t *p, uint32_t wire_len)
{
    pmtud_frame_t f;

    frame_no++;
    memset(&FED, 0xa5, sizeof FED);   /* the analyzer must set every field it flags */
    pmtud_parse_frame(PMTUD_LINK_ETHERNET, p->b, p->len, wire_len, &f);
    pmtud_analyzer_feed(an, frame_no, (int64_t)frame_no * ts_step_ns, &f, &FED);
    R = FED.icmp;
    return (FED.has & PMTUD_FED_ICMP) != 0;
}

bool feed(const pb_t *p)
{
    return feed_wire(p, (uint32_t)p->len);
}

uint32_t srv_seg(pb_t *p, uint32_t seq, uint32_t len, uint16_t id, uint8_t seed)
{
    pb_ip4_t h = pb_ip4_make(SRV, CLI, 6, id);
    pb_tcp_t t = { 80, 49321, seq, 0x7c1e9ad3u, PB_ACK, 0 };

    pb_init(p);
    pb_frame_tcp4(p, &h, &t, len, seed);
    CHECK(!feed(p));
    return frame_no;
}

uint32_t udp_dgram(pb_t *p, uint16_t id, uint32_t len, uint8_t seed)
{
    pb_ip4_t h = pb_ip4_make(SRV, CLI, 17, id);

    pb_init(p);
    pb_frame_udp4(p, &h, 41000, 50000, len, seed);
    CHECK(!feed(p));
    return frame_no;
}

uint32_t cli_ack(uint32_t ack)
{
    pb_t p;
    pb_ip4_t h = pb_ip4_make(CLI, SRV, 6, 0x2f44);
    pb_tcp_t t = { 49321, 80, 0x7c1e9ad3u, ack, PB_ACK, 0 };

    pb_init(&p);
    pb_frame_tcp4(&p, &h, &t, 0, 0);
    CHECK(!feed(&p));
    return frame_no;
}

/* One TCP frame with no payload, fed; nothing in it may be a PTB. */
static void feed_tcp4(pb_ip4_t *h, const pb_tcp_t *t)
{
    pb_t p;

    pb_init(&p);
    pb_frame_tcp4(&p, h, t, 0, 0);
    CHECK(!feed(&p));
}

void client_syn(uint16_t mss)
{
    pb_ip4_t h = pb_ip4_make(CLI, SRV, 6, 0x4101);
    pb_tcp_t syn = { 49321, 80, 0x7c1e9a52u, 0, PB_SYN, mss };

    feed_tcp4(&h, &syn);
}

void handshake(uint16_t cli_port, uint16_t mss, uint16_t srv_id, uint16_t ack_id)
{
    pb_ip4_t hc = pb_ip4_make(CLI, SRV, 6, 0x4101), hs = pb_ip4_make(SRV, CLI, 6, srv_id);
    pb_tcp_t syn = { cli_port, 80, 0x7c1e9a52u, 0, PB_SYN, mss };
    pb_tcp_t synack = { 80, cli_port, SEQ - 1, 0x7c1e9a53u, PB_SYN | PB_ACK, mss };
    pb_tcp_t ack = { cli_port, 80, 0x7c1e9a53u, SEQ, PB_ACK, 0 };

    feed_tcp4(&hc, &syn);
    feed_tcp4(&hs, &synack);
    hc.id = ack_id;
    feed_tcp4(&hc, &ack);   /* no MSS: the SYN's rides along */
}

bool ptb4(const pb_t *d, uint16_t mtu, uint16_t total)
{
    pb_t q, p;
    size_t n = d->len - 14 < 548 ? d->len - 14 : 548;

    pb_init(&q);
    pb_bytes(&q, d->b + 14, n);
    if (total)
        pb_set16(&q, 2, total);
    pb_init(&p);
    pb_frame_ptb4(&p, RTR, SRV, mtu, q.b, n);
    return feed(&p);
}

bool ptb6(const pb_t *d, uint32_t mtu)
{
    pb_t p;
    size_t n = d->len - 14 < 1232 ? d->len - 14 : 1232;

    pb_init(&p);
    pb_frame_ptb6(&p, RTR6, SRV6, mtu, d->b + 14, n);
    return feed(&p);
}

void patched16(pb_t *out, const pb_t *d, size_t off, uint16_t v)
{
    *out = *d;
    pb_set16(out, off, v);
}

void patched32(pb_t *out, const pb_t *d, size_t off, uint32_t v)
{
    *out = *d;
    pb_set32(out, off, v);
}

void expect_covered(uint32_t n, uint32_t a, uint32_t b, uint32_t c)
{
    const uint32_t want[3] = { a, b, c };
    uint32_t i;

    CHECK_EQ(R.n_covered, n);
    CHECK(!R.covered_truncated);
    for (i = 0; i < n && i < 3 && i < R.n_covered; i++)
        CHECK_EQ(R.covered[i], want[i]);
}
