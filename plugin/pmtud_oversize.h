/* pmtud_oversize.h
 * Frames the capture point saw that never crossed a wire at that size:
 * captured before TSO/GSO split them (on the sender) or after LRO/GRO
 * merged them (on a receiver or forwarding box).
 *
 * Only lengths the frame's wire length holds are judged. A 66-byte frame
 * whose IPv4 header claims 29,492 bytes is a corrupt or lying length field
 * (Wireshark marks it malformed), not a packet merged by offload: pmtud says
 * nothing about it, here or anywhere a length would be compared.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PMTUD_OVERSIZE_H
#define PMTUD_OVERSIZE_H

#include <stdbool.h>
#include <stdint.h>

#include "pmtud_box.h"
#include "pmtud_parse.h"

/* What an oversize frame was held against. */
typedef enum {
    PMTUD_LIMIT_NONE = 0,
    PMTUD_LIMIT_PEER_MSS,     /* the MSS the receiver announced in its SYN */
    PMTUD_LIMIT_PREFERENCE,   /* the link MTU the user set */
    PMTUD_LIMIT_LINK_DEFAULT, /* 1500: Ethernet and most links */
    PMTUD_LIMIT_PPPOE,        /* 1492: PPPoE session */
    PMTUD_LIMIT_COUNT
} pmtud_limit_t;

typedef struct {
    uint32_t len;          /* IP length, or TCP payload when by_mss */
    uint32_t limit;        /* the MTU or MSS it exceeds */
    uint8_t  source;       /* pmtud_limit_t */
    bool     by_mss;       /* TCP payload held against the peer's MSS */
    bool     len_zero;     /* IPv4 total length 0: TSO at the capture point */
    bool     sender_side;  /* best guess: captured on the sending host */
    uint8_t  family;       /* IP version of the packet judged */
    pmtud_box_t box;       /* the box that sent it: set by the analyzer, named by the glue */
} pmtud_oversize_t;

/* Judges one data frame (f->wire_len bytes on the wire). link_mtu_pref 0
 * means "from the link type". peer_mss 0 means the receiver's MSS is
 * unknown. */
bool pmtud_judge_oversize(const pmtud_frame_t *f, uint32_t link_mtu_pref, uint16_t peer_mss,
                          pmtud_oversize_t *out);

/* Whether the frame's wire length holds the IP length its headers claim:
 * the outermost packet after the link header, and with inner, also the
 * innermost packet from where it starts. True when the IP length came from
 * the wire itself (IPv4 total length 0, IPv6 payload length 0). Inline:
 * every data frame asks. */
static inline bool pmtud_wire_holds(const pmtud_frame_t *f, bool inner)
{
    uint32_t after_link;

    if (!f->has_ip || f->wire_len < f->link_hdr_len)
        return false;
    after_link = f->wire_len - f->link_hdr_len;
    if (f->tunnel_depth == 0)           /* ip is the outermost packet */
        return f->ip.ip_len <= after_link;
    if (f->outer.ip_len > after_link)
        return false;
    return !inner ||
           (f->wire_len >= f->inner_off && f->ip.ip_len <= f->wire_len - f->inner_off);
}

/* The link MTU assumed for a frame, and where it comes from; 0 = no limit.
 * Also what a wire segment of a frame captured before TSO must fit. */
uint32_t pmtud_link_mtu(const pmtud_frame_t *f, uint32_t link_mtu_pref, uint8_t *source);

#endif /* PMTUD_OVERSIZE_H */
