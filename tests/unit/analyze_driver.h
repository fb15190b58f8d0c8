/* analyze_driver.h
 * Drives the analyzer the way the Wireshark glue does: frames are parsed
 * and fed in order, numbered from 1 like Wireshark's frame.number, and
 * the result of the last ICMP "too big" is kept for the checks.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PMTUD_ANALYZE_DRIVER_H
#define PMTUD_ANALYZE_DRIVER_H

#include "pkt_build.h"
#include "pmtud_analyze.h"

/* Offsets inside an Ethernet + IPv4 (IHL 5) frame, for patching quotes. */
#define OFF_IP_ID   (14 + 4)
#define OFF_SPORT   (14 + 20)
#define OFF_DPORT   (14 + 22)
#define OFF_TCP_SEQ (14 + 20 + 4)
#define OFF_UDP_LEN (14 + 20 + 4)

extern pmtud_analyzer_t *an;
extern uint32_t frame_no;        /* number of the last frame fed */
extern int64_t ts_step_ns;       /* frame n is fed at n * ts_step_ns (reset: 1 us) */
extern pmtud_fed_t FED;          /* what the last frame fed found out */
extern pmtud_icmp_result_t R;    /* FED.icmp of the last frame fed */

/* A fresh analyzer (window 1024), frame numbers from 1 again. */
void reset(void);
/* Feeds the next frame; true when it was a PTB (R then holds the result;
 * FED the rest: oversize, black hole, the frame's flow). */
bool feed_wire(const pb_t *p, uint32_t wire_len);
bool feed(const pb_t *p);

/* Builds into p and feeds a data frame; returns its frame number.
 * srv_seg: TCP server 80 -> client 49321, ACK, len payload bytes.
 * udp_dgram: UDP server 41000 -> client 50000, DF. */
uint32_t srv_seg(pb_t *p, uint32_t seq, uint32_t len, uint16_t id, uint8_t seed);
uint32_t udp_dgram(pb_t *p, uint16_t id, uint32_t len, uint8_t seed);
/* Feeds the client's pure ACK up to ack (49321 -> 80); returns its frame number. */
uint32_t cli_ack(uint32_t ack);

/* Feeds the client's SYN (49321 -> 80) announcing mss. */
void client_syn(uint16_t mss);
/* Feeds a whole handshake, both SYNs announcing mss: the client's SYN
 * (cli_port -> 80, IP ID 0x4101), the server's SYN-ACK (IP ID srv_id), the
 * client's ACK (IP ID ack_id, no MSS). The server's first data byte is SEQ,
 * its ACK number 0x7c1e9a53. */
void handshake(uint16_t cli_port, uint16_t mss, uint16_t srv_id, uint16_t ack_id);

/* Feeds an ICMP frag-needed from the router quoting the first 548 bytes
 * of the IP packet in frame d; total != 0 rewrites the quoted length. */
bool ptb4(const pb_t *d, uint16_t mtu, uint16_t total);
/* Feeds an ICMPv6 Packet Too Big quoting up to 1232 bytes of d. */
bool ptb6(const pb_t *d, uint32_t mtu);

/* out = d with one field changed, for quotes that differ from the wire. */
void patched16(pb_t *out, const pb_t *d, size_t off, uint16_t v);
void patched32(pb_t *out, const pb_t *d, size_t off, uint32_t v);

/* R names exactly n covered frames: a, b, c (as many as n). */
void expect_covered(uint32_t n, uint32_t a, uint32_t b, uint32_t c);

#endif /* PMTUD_ANALYZE_DRIVER_H */
