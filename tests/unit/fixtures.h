/* fixtures.h
 * The hosts of the test stories, named once. Documentation prefixes only
 * (RFC 5737, RFC 3849), as in testcaptures/crafted: the server sends,
 * the client receives, the router answers "too big".
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PMTUD_FIXTURES_H
#define PMTUD_FIXTURES_H

#include <stdint.h>

static const uint8_t SRV[4] = { 192, 0, 2, 10 };
static const uint8_t CLI[4] = { 203, 0, 113, 45 };
static const uint8_t RTR[4] = { 192, 0, 2, 1 };
static const uint8_t TUN_A[4] = { 10, 0, 0, 1 };   /* tunnel endpoints */
static const uint8_t TUN_B[4] = { 10, 0, 0, 2 };
static const uint8_t SRV6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x10 };
static const uint8_t CLI6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 0x45 };
static const uint8_t RTR6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x01 };

#define SEQ 0x3a2b1c0eu   /* the server's first data byte */

#endif /* PMTUD_FIXTURES_H */
