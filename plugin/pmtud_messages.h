/* pmtud_messages.h
 * The sentences pmtud shows a network engineer: what happened, which
 * frames, the likely cause and what to do. Plain C so tests can read them.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PMTUD_MESSAGES_H
#define PMTUD_MESSAGES_H

#include <stddef.h>

#include "pmtud_blackhole.h"
#include "pmtud_oversize.h"
#include "pmtud_result.h"

/* Wireshark cuts tree labels at 240 bytes (ITEM_LABEL_LENGTH): every
 * sentence is written to fit. */
#define PMTUD_MSG_MAX 240

/* Each writes a NUL-terminated sentence of at most n bytes into buf. */
void pmtud_verdict_text(char *buf, size_t n, const pmtud_icmp_result_t *res);
void pmtud_msg_offload(char *buf, size_t n, const pmtud_icmp_result_t *res);
void pmtud_msg_bogus_mtu(char *buf, size_t n, const pmtud_icmp_result_t *res);
void pmtud_msg_mtu_zero(char *buf, size_t n, const pmtud_icmp_result_t *res);
void pmtud_msg_not_captured(char *buf, size_t n, const pmtud_icmp_result_t *res);
void pmtud_msg_ambiguous(char *buf, size_t n, const pmtud_icmp_result_t *res);
void pmtud_msg_rewritten(char *buf, size_t n, const pmtud_icmp_result_t *res);
void pmtud_msg_quote_short(char *buf, size_t n, const pmtud_icmp_result_t *res);
void pmtud_msg_before_tso(char *buf, size_t n, const pmtud_icmp_result_t *res);
void pmtud_msg_legitimate(char *buf, size_t n, const pmtud_icmp_result_t *res);
void pmtud_msg_rejected(char *buf, size_t n, const pmtud_icmp_result_t *res);

/* What the sender did (two-pass only; pmtud_reaction_t in res->reaction):
 * pmtud_msg_reaction picks the sentence of res->reaction. */
void pmtud_msg_reaction(char *buf, size_t n, const pmtud_icmp_result_t *res);
void pmtud_msg_worked(char *buf, size_t n, const pmtud_icmp_result_t *res);
void pmtud_msg_same_size_crossed(char *buf, size_t n, const pmtud_icmp_result_t *res);
void pmtud_msg_ignored(char *buf, size_t n, const pmtud_icmp_result_t *res);
void pmtud_msg_no_retransmission(char *buf, size_t n, const pmtud_icmp_result_t *res);
void pmtud_msg_reaction_unknown(char *buf, size_t n, const pmtud_icmp_result_t *res);
/* A frame larger than it can have been on a wire. */
void pmtud_msg_oversize(char *buf, size_t n, uint32_t frame, const pmtud_oversize_t *o,
                        uint32_t rejected_by);
/* A PMTUD black hole (no ICMP at all). */
/* The ICMP frag-needed / Packet Too Big in this frame was not analysed:
 * where pmtud stopped (link_name: Wireshark's name of the link type). */
void pmtud_msg_not_analysed(char *buf, size_t n, const pmtud_stop_t *stop, const char *link_name);
void pmtud_msg_blackhole(char *buf, size_t n, const pmtud_blackhole_t *bh);
/* Name of an oversize limit source (pmtud_limit_t). */
const char *pmtud_limit_name(unsigned source);

/* The MSS to clamp to so packets fit mtu: MTU - 40 (IPv4) / - 60 (IPv6). */
unsigned pmtud_clamp_mss(unsigned mtu, unsigned family);

#endif /* PMTUD_MESSAGES_H */
