/* pmtud_oversize.c
 * Is a data frame larger than any wire can have carried? Three tests, the
 * most certain first: IPv4 total length 0 (what TSO hands the capture point
 * before it splits); TCP payload over the MSS the receiver announced (needs
 * the handshake in the capture); IP length over the link MTU (a preference,
 * or the link type's usual 1500 / 1492 for PPPoE; loopback has no limit).
 * Inside a tunnel the inner packet is judged, not the tunnel's own headers.
 * Which side captured it is a guess from the TTL: still the sender's initial
 * TTL means it did not cross a router, so it was captured on the sender.
 * One frame at a time, no state: O(1) per frame.
 *
 * An oversize frame is judged on the IP length its headers give, and only
 * when its wire length holds that length: the frame really was that long.
 * The IP length, not the wire length, is what is held to the MTU (the
 * link header and an Ethernet trailer are not part of it). A first
 * fragment's own total length is the fragment's, which the wire holds; the
 * larger datagram it belongs to is never claimed from the UDP length.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "pmtud_oversize.h"

#include <stddef.h>
#include <string.h>

#include "pmtud_flow.h"

#define PPPOE_MTU    1492   /* the smallest limit a link type gives */
#define ETHERNET_MTU 1500

/* The link MTU assumed for a frame, and where it comes from; 0 = no limit. */
uint32_t pmtud_link_mtu(const pmtud_frame_t *f, uint32_t link_mtu_pref, uint8_t *source)
{
    if (link_mtu_pref) {
        *source = PMTUD_LIMIT_PREFERENCE;
        return link_mtu_pref;
    }
    if (f->pppoe) {
        *source = PMTUD_LIMIT_PPPOE;
        return PPPOE_MTU;
    }
    /* Loopback carries 64 KiB packets by design: nothing to hold them to. */
    if (f->link == PMTUD_LINK_NULL) {
        *source = PMTUD_LIMIT_NONE;
        return 0;
    }
    *source = PMTUD_LIMIT_LINK_DEFAULT;
    return ETHERNET_MTU;
}

bool pmtud_judge_oversize(const pmtud_frame_t *f, uint32_t link_mtu_pref, uint16_t peer_mss,
                          pmtud_oversize_t *out)
{
    const pmtud_ip_t *ip = &f->ip;
    const pmtud_ip_t *outer = pmtud_frame_outer(f);
    /* A length field of 0, outside or inside a tunnel; a payload over the
     * receiver's MSS. (The judged length is the inner packet's in a
     * tunnel, which without one is the outer.) */
    bool len_zero = ip->len_zero || (f->tunnel_depth && f->outer.len_zero);
    bool over_mss = peer_mss && ip->proto == PMTUD_PROTO_TCP && ip->payload_len > peer_mss;
    uint8_t source;
    uint32_t mtu;

    /* Every data frame comes here, nearly all of them within every limit.
     * Out is written only for an oversize frame, the box by the analyzer. */
    if (!len_zero && !over_mss && ip->ip_len <= PPPOE_MTU &&
        (!link_mtu_pref || ip->ip_len <= link_mtu_pref))
        return false;   /* within any limit the link type can have */
    mtu = pmtud_link_mtu(f, link_mtu_pref, &source);
    if (!len_zero && !over_mss && (!mtu || ip->ip_len <= mtu))
        return false;
    if (!f->has_ip || f->is_icmp || !pmtud_wire_holds(f, f->tunnel_depth > 0))
        return false;
    memset(out, 0, offsetof(pmtud_oversize_t, box));
    /* A packet that has not crossed a router still has its sender's initial
     * TTL; one that did was probably merged on arrival, not before sending. */
    out->sender_side = pmtud_hops_from_ttl(outer->ttl) == 0;
    out->family = outer->family;
    /* A length field of 0, outside or inside a tunnel (IPv4 TSO, IPv6 BIG
     * TCP / jumbogram): the parser took the real length from the jumbo
     * option or the wire. */
    if (len_zero) {
        const pmtud_ip_t *zero = ip->len_zero ? ip : outer;   /* inner first, as below */
        out->len = zero->ip_len;
        out->limit = mtu;
        out->source = source;
        out->len_zero = true;
        out->sender_side = true;
        out->family = zero->family;
        return true;
    }
    if (over_mss) {
        out->len = ip->payload_len;
        out->limit = peer_mss;
        out->source = PMTUD_LIMIT_PEER_MSS;
        out->by_mss = true;
        out->family = ip->family;
        return true;
    }
    /* A tunnel's own headers are not judged: underlays often carry a few
     * bytes over 1500 ("baby giants"), while a merged packet inside the
     * tunnel is over the MTU by a whole segment. */
    if (mtu && ip->ip_len > mtu) {
        out->len = ip->ip_len;
        out->limit = mtu;
        out->source = source;
        out->family = ip->family;
        return true;
    }
    return false;
}
