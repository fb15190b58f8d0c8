/* frames.h
 * The standard packets of the parser tests, built once: a small TCP
 * packet to wrap in link layers and tunnels, and the 1500-byte segment
 * the ICMP tests quote.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PMTUD_FRAMES_H
#define PMTUD_FRAMES_H

#include "pkt_build.h"
#include "pmtud_parse.h"

/* Server 80 -> client 49321, ACK, seq SEQ. */
extern const pb_tcp_t TCP_DATA;

/* Appends IPv4 (ID 0x0c32, DF) + TCP + 100 bytes from 0x40: IP length 140. */
size_t fr_body4(pb_t *p);
/* Appends IPv6 + TCP + 100 bytes from 0x40: IP length 160. */
size_t fr_body6(pb_t *p);
/* An Ethernet frame: IPv4 1500 (ID 0x6d2a, DF), TCP, 1460 bytes from 0x80. */
void fr_data4(pb_t *p);
/* Parses p whole, with the wire length equal to the captured length. */
bool fr_parse(pmtud_link_t link, const pb_t *p, pmtud_frame_t *f);

#endif /* PMTUD_FRAMES_H */
