/* pmtud_index.h
 * The index of IP packets a capture has shown: a ring of the most recent
 * transmissions, chained per flow through hash buckets, so that an ICMP
 * error finds the frame it quotes in O(1) expected time and memory stays
 * bounded however long the capture is.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PMTUD_INDEX_H
#define PMTUD_INDEX_H

#include <stdbool.h>
#include <stdint.h>

#include "pmtud_flow.h"

#define PMTUD_HEAD_BYTES 16   /* payload bytes kept to tell copies apart */

/* One transmission, as it crossed the capture point. */
typedef struct {
    uint64_t     serial;       /* 1-based position in the capture's stream */
    uint64_t     prev;         /* serial of the previous record in the bucket */
    pmtud_flow_t flow;
    uint32_t     frame;
    uint32_t     tag;          /* identity tag (pmtud_parse.h), with ident */
    int64_t      ts_ns;
    uint32_t     seq;          /* TCP sequence number as on the wire; or the
                                * identity's sequence number (PMTUD_IDENT_SEQ) */
    uint32_t     payload_len;
    uint32_t     ip_len;       /* IP length at the layer the data travels in */
    uint16_t     ip_id;
    bool         has_id;
    uint8_t      ident;        /* PMTUD_IDENT_* of the packet */
    uint8_t      head_len;
    uint8_t      head[PMTUD_HEAD_BYTES];
    /* Who sent it, for naming the box behind an offload verdict: its TTL and
     * the manufacturer prefix of the frame's source MAC. Five bytes that fit
     * the record's tail padding (112 bytes on LP64 with or without them). */
    uint8_t      ttl;
    bool         has_oui;
    uint8_t      oui[3];
} pmtud_rec_t;

typedef struct pmtud_index pmtud_index_t;

/* capacity: how many recent transmissions are remembered (rounded up to a
 * power of two, at least 1024). Older ones are forgotten. NULL on no memory. */
pmtud_index_t *pmtud_index_new(uint32_t capacity);
void pmtud_index_free(pmtud_index_t *ix);
uint32_t pmtud_index_capacity(const pmtud_index_t *ix);

/* Stores a copy of rec (serial and prev are set here); returns the stored record. */
pmtud_rec_t *pmtud_index_add(pmtud_index_t *ix, const pmtud_rec_t *rec);

/* Walks the flow's records from the latest to the oldest still remembered,
 * at most max_steps bucket entries. visit returns false to stop. */
typedef bool (*pmtud_visit_fn)(const pmtud_rec_t *rec, void *ctx);
void pmtud_index_walk(const pmtud_index_t *ix, const pmtud_flow_t *flow,
                      uint32_t max_steps, pmtud_visit_fn visit, void *ctx);

/* The latest record of a flow, or NULL. */
const pmtud_rec_t *pmtud_index_latest(const pmtud_index_t *ix, const pmtud_flow_t *flow);

/* Appends a record to the bucket of hash and returns it with serial and prev
 * set; the caller fills in every other field (flow first). The per-packet
 * path writes the record where it lives: no copy, no clearing. */
pmtud_rec_t *pmtud_index_append(pmtud_index_t *ix, uint32_t hash);

#endif /* PMTUD_INDEX_H */
