/* pmtud_follow.h
 * What the sender did after a frag-needed / Packet Too Big: follows the
 * flow from the ICMP on, until the rejected data gets through or the
 * capture ends, and fills in the ICMP's result in place.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PMTUD_FOLLOW_H
#define PMTUD_FOLLOW_H

#include <stdbool.h>
#include <stdint.h>

#include "pmtud_flow.h"
#include "pmtud_parse.h"
#include "pmtud_result.h"

typedef struct pmtud_follow pmtud_follow_t;

pmtud_follow_t *pmtud_follow_new(void);
void pmtud_follow_free(pmtud_follow_t *fw);

/* Starts following the sender of a linked TCP quote. res stays owned by the
 * caller and must live until pmtud_follow_finish or _free. */
void pmtud_follow_start(pmtud_follow_t *fw, pmtud_icmp_result_t *res);

/* A new ICMP: marks followed data it rejects again. */
void pmtud_follow_icmp(pmtud_follow_t *fw, const pmtud_icmp_result_t *res);

/* Is any ICMP being followed? The per-packet path asks first: mostly not. */
bool pmtud_follow_watching(const pmtud_follow_t *fw);

/* Every later TCP packet of any flow (cheap when nothing is followed):
 * its flow and pmtud_conversation_key() of its hash. */
void pmtud_follow_packet(pmtud_follow_t *fw, uint32_t frame, int64_t ts_ns,
                         const pmtud_ip_t *ip, const pmtud_flow_t *flow, uint32_t key);

/* The capture is over: settles what is still open as of last_ts_ns. */
void pmtud_follow_finish(pmtud_follow_t *fw, int64_t last_ts_ns);

#endif /* PMTUD_FOLLOW_H */
