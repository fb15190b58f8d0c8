/* frames.c
 * The standard packets of the parser tests; see frames.h.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "frames.h"

#include "fixtures.h"

const pb_tcp_t TCP_DATA = { 80, 49321, SEQ, 0x7c1e9ad3u, PB_ACK, 0 };

size_t fr_body4(pb_t *p)
{
    pb_ip4_t h = pb_ip4_make(SRV, CLI, 6, 0x0c32);
    size_t off = pb_ip4(p, &h);
    pb_tcp(p, &TCP_DATA);
    pb_fill(p, 100, 0x40);
    pb_ip4_end(p, off);
    return off;
}

size_t fr_body6(pb_t *p)
{
    pb_ip6_t h = pb_ip6_make(SRV6, CLI6, 6);
    size_t off = pb_ip6(p, &h);
    pb_tcp(p, &TCP_DATA);
    pb_fill(p, 100, 0x40);
    pb_ip6_end(p, off);
    return off;
}

void fr_data4(pb_t *p)
{
    pb_ip4_t h = pb_ip4_make(SRV, CLI, 6, 0x6d2a);
    pb_init(p);
    pb_frame_tcp4(p, &h, &TCP_DATA, 1460, 0x80);
}

bool fr_parse(pmtud_link_t link, const pb_t *p, pmtud_frame_t *f)
{
    return pmtud_parse_frame(link, p->b, p->len, (uint32_t)p->len, f);
}
