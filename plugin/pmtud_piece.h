/* pmtud_piece.h
 * A quote that is one wire segment of a captured TSO super-frame.
 *
 * tcpdump on a sending host records frames before the NIC (or the kernel's
 * GSO) cuts them into wire segments: a 4420-byte frame in the capture is
 * three 1500-byte packets on the wire. A router that rejects one of them
 * quotes a 1500-byte packet whose sequence number lies inside the captured
 * frame. That quote is smaller than the frame it matches, which otherwise
 * means a router rewrote the quoted length; here it is the truth, and the
 * MTU must be judged against the quoted 1500 bytes, not the 4420.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PMTUD_PIECE_H
#define PMTUD_PIECE_H

#include <stdbool.h>
#include <stdint.h>

#include "pmtud_index.h"
#include "pmtud_parse.h"

typedef struct {
    bool     found;
    uint32_t seq;          /* TCP sequence number of the piece's first byte */
    uint32_t offset;       /* where it starts in the frame's TCP payload */
    uint32_t len;          /* its TCP payload bytes */
    bool     has_index;
    uint32_t index;        /* which wire segment of the frame, from 0 */
    bool     has_id_offset;
    uint16_t id_offset;    /* IPv4: quoted IP ID minus the frame's */
} pmtud_piece_t;

/* What a router said and what the capture holds, for pmtud_piece_of(). */
typedef struct {
    const pmtud_ip_t  *quote;        /* the quoted header */
    uint32_t           quote_bytes;  /* bytes of it the ICMP carries (0: unknown) */
    const pmtud_rec_t *frame;        /* the matched frame */
    uint32_t           peer_mss;     /* the frame's receiver's MSS, 0 unknown */
    uint32_t           link_mtu;     /* the capture link's MTU, 0 no limit */
} pmtud_piece_evidence_t;

/* Whether the quote is a wire segment of the matched frame; fills *out
 * (out->found) either way. See pmtud_piece.c for the evidence required. */
bool pmtud_piece_of(const pmtud_piece_evidence_t *e, pmtud_piece_t *out);

#endif /* PMTUD_PIECE_H */
