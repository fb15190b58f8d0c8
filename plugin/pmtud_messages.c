/* pmtud_messages.c
 * Sentences for expert infos and the verdict field. Which sentence goes
 * with which verdict or reaction is said in pmtud_vocab.c.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "pmtud_messages.h"

#include "pmtud_vocab.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

static const char *addr(char *buf, size_t n, unsigned family, const uint8_t *a)
{
    if (!inet_ntop(family == 6 ? AF_INET6 : AF_INET, a, buf, (socklen_t)n))
        snprintf(buf, n, "?");
    return buf;
}

/* "frame 5", "frames 5 and 6", "frames 5, 6 and 7" (count 1 to 3), then
 * verb ("", or " fits" / " fit" to agree with the count): how the
 * sentences name a few frames one by one. */
static void few_frames(char *buf, size_t n, const uint32_t *c, uint32_t count, const char *verb)
{
    if (count == 1)
        snprintf(buf, n, "frame %u%s", c[0], verb);
    else if (count == 2)
        snprintf(buf, n, "frames %u and %u%s", c[0], c[1], verb);
    else
        snprintf(buf, n, "frames %u, %u and %u%s", c[0], c[1], c[2], verb);
}

/* "frame 5", "frames 5 and 6", "frames 5, 6 and 7", "32 frames from 5 to
 * 40 (and more)": short enough that the advice after it stays in the label. */
static void frame_list(char *buf, size_t n, const pmtud_icmp_result_t *res)
{
    const uint32_t *c = res->covered;

    switch (res->n_covered) {
    case 0:
        snprintf(buf, n, "no frame");
        break;
    case 1:
    case 2:
    case 3:
        few_frames(buf, n, c, res->n_covered, "");
        break;
    default:
        snprintf(buf, n, "%u frames from %u to %u%s", res->n_covered, c[0],
                 c[res->n_covered - 1], res->covered_truncated ? " (and more)" : "");
        break;
    }
}

unsigned pmtud_clamp_mss(unsigned mtu, unsigned family)
{
    unsigned hdr = family == 6 ? 60 : 40;
    return mtu > hdr ? mtu - hdr : 0;
}

/* What to tell the user to clamp to: the cited MTU when it is usable, else
 * the standard Ethernet MTU. */
static unsigned clamp_for(const pmtud_icmp_result_t *res)
{
    bool sane = pmtud_mtu_sane(res->mtu, res->family, res->rejected_len != 0, res->rejected_len);
    return pmtud_clamp_mss(sane ? res->mtu : 1500, res->family);
}

void pmtud_verdict_text(char *buf, size_t n, const pmtud_icmp_result_t *res)
{
    size_t used = 0, i;

    if (n == 0)
        return;
    buf[0] = '\0';
    for (i = 0; i < pmtud_n_verdicts; i++) {
        if (!(res->verdicts & pmtud_verdicts[i].flag) || used >= n)
            continue;
        used += (size_t)snprintf(buf + used, n - used, "%s%s", used ? "; " : "",
                                 pmtud_verdicts[i].text);
    }
}

void pmtud_msg_offload(char *buf, size_t n, const pmtud_icmp_result_t *res)
{
    char frames[128];

    frame_list(frames, sizeof frames, res);
    if ((res->verdicts & PMTUD_V_OFFLOAD) && pmtud_box_what(&res->router_box)) {
        /* The router's MAC names a virtual NIC: say which; the switches to
         * turn (guest and host) are in pmtud.icmp.router_advice, as the
         * expert info's label holds 240 characters. */
        char router[64];
        snprintf(buf, n,
                 "Offload artefact: quoted %u-byte packet never crossed the wire: %s merged. "
                 "Fix: LRO/GRO off on router %s, by its MAC %s %u hops away, or clamp MSS to %u",
                 res->quoted_len, frames,
                 addr(router, sizeof router, res->router_family, res->router),
                 pmtud_box_what(&res->router_box), res->router_box.hops, clamp_for(res));
    } else if (res->verdicts & PMTUD_V_OFFLOAD)
        snprintf(buf, n,
                 "Offload artefact: quoted %u-byte packet never crossed the wire: %s "
                 "(%u bytes) merged by LRO/GRO or unsplit TSO. Fix: LRO/GRO off on the "
                 "router, TSO off on the sender, or clamp MSS to %u",
                 res->quoted_len, frames, res->wire_len, clamp_for(res));
    else
        snprintf(buf, n,
                 "Offload at the capture point: frame %u holds %u payload bytes, over the "
                 "receiver's MSS %u: captured before TSO split it (or after GRO merged it), it "
                 "reached the router whole. Fix: TSO/GSO off on the sender, or clamp MSS to %u",
                 res->quoted_frame, res->payload_len, res->peer_mss, clamp_for(res));
}

void pmtud_msg_bogus_mtu(char *buf, size_t n, const pmtud_icmp_result_t *res)
{
    if (res->mtu < pmtud_min_mtu(res->family))
        snprintf(buf, n,
                 "Nonsensical MTU: next-hop MTU %u is below the IPv%u minimum of %u; no sender "
                 "may go that low. Suspect a broken or forged ICMP, and lower no MTU because of it",
                 res->mtu, res->family, pmtud_min_mtu(res->family));
    else
        snprintf(buf, n,
                 "Nonsensical MTU: next-hop MTU %u is not smaller than the %u-byte packet, so it "
                 "cannot be why it was dropped. Look at what the router really received "
                 "(offload merging segments, tunnel or VLAN headers)",
                 res->mtu, res->rejected_len);
}

void pmtud_msg_mtu_zero(char *buf, size_t n, const pmtud_icmp_result_t *res)
{
    (void)res;
    snprintf(buf, n,
             "No MTU given: next-hop MTU 0, as routers older than RFC 1191 send; the sender has "
             "to guess the path MTU. Clamp the MSS on the path, or upgrade that router");
}

/* "192.0.2.1:80" or "[2001:db8::1]:80"; the bare address without a port. */
static const char *endpoint(char *buf, size_t n, unsigned family, const uint8_t *a, unsigned port)
{
    char ip[64];

    addr(ip, sizeof ip, family, a);
    if (!port)
        snprintf(buf, n, "%s", ip);
    else if (family == 6)
        snprintf(buf, n, "[%s]:%u", ip, port);
    else
        snprintf(buf, n, "%s:%u", ip, port);
    return buf;
}

void pmtud_msg_not_captured(char *buf, size_t n, const pmtud_icmp_result_t *res)
{
    char from[72], to[72];

    if (!res->has_quote) {
        snprintf(buf, n, "Quoted packet not captured: the ICMP holds no readable IP header, "
                 "so nothing can be matched");
        return;
    }
    snprintf(buf, n,
             "Quoted packet not captured: no frame here matches the %u-byte packet %s -> %s "
             "(other path, capture started later, or a capture filter)",
             res->quoted_len,
             endpoint(from, sizeof from, res->family, res->sender, res->sport),
             endpoint(to, sizeof to, res->family, res->receiver, res->dport));
}

/* "ESP", "AH", ...: how the sentences name a quoted protocol. */
static const char *proto_name(char *buf, size_t n, unsigned proto)
{
    switch (proto) {
    case PMTUD_PROTO_ESP:    return "ESP";
    case PMTUD_PROTO_AH:     return "AH";
    case PMTUD_PROTO_GRE:    return "GRE";
    case PMTUD_PROTO_SCTP:   return "SCTP";
    case PMTUD_PROTO_ICMP:   return "ICMP";
    case PMTUD_PROTO_ICMPV6: return "ICMPv6";
    default:
        snprintf(buf, n, "protocol %u", proto);
        return buf;
    }
}

void pmtud_msg_ambiguous(char *buf, size_t n, const pmtud_icmp_result_t *res)
{
    const uint32_t *c = res->candidate;
    char frames[96], name[16];
    const char *proto = proto_name(name, sizeof name, res->proto);

    switch (res->n_candidates) {
    case 1:
        few_frames(frames, sizeof frames, c, 1, " fits");
        break;
    case 2:
    case 3:
        few_frames(frames, sizeof frames, c, res->n_candidates, " fit");
        break;
    default:
        snprintf(frames, sizeof frames, "%u frames fit (the latest: %u, %u, %u, %u)",
                 res->n_candidates, c[0], c[1], c[2], c[3]);
        break;
    }
    if (res->ident_cut)
        snprintf(buf, n,
                 "Quote ambiguous: the %s quote ends before the field that names its packet "
                 "(sequence number); %s. None is linked rather than a guess: a router quoting "
                 "more bytes would tell", proto, frames);
    else
        snprintf(buf, n,
                 "Quote ambiguous: %s everything the %u-byte %s quote holds, equally. None "
                 "is linked rather than a guess",
                 frames, res->quoted_len, proto);
}

void pmtud_msg_rewritten(char *buf, size_t n, const pmtud_icmp_result_t *res)
{
    snprintf(buf, n,
             "Quoted length rewritten: the quote says %u bytes but frame %u was %u bytes on the "
             "wire; some routers write the bytes they quoted. Not an offload artefact: the MTU "
             "is judged against %u",
             res->quoted_len, res->quoted_frame, res->wire_len, res->wire_len);
}

void pmtud_msg_quote_short(char *buf, size_t n, const pmtud_icmp_result_t *res)
{
    (void)res;
    snprintf(buf, n,
             "Quote cut short: the ICMP (or the capture's snaplen) ends inside the quoted "
             "headers, so the packet it rejected cannot be identified for sure");
}

void pmtud_msg_legitimate(char *buf, size_t n, const pmtud_icmp_result_t *res)
{
    snprintf(buf, n,
             "Path MTU %u is smaller than the %u-byte %s frame %u: a genuine PMTUD "
             "event: the sender should resend in packets of at most %u bytes",
             res->mtu, res->rejected_len,
             (res->verdicts & PMTUD_V_BEFORE_TSO) ? "wire segment of" : "packet in",
             res->quoted_frame, res->mtu);
}

/* "1st", "2nd", "3rd", "11th", "22nd" */
static const char *ordinal_suffix(uint32_t k)
{
    if (k % 100 >= 11 && k % 100 <= 13)
        return "th";
    switch (k % 10) {
    case 1:  return "st";
    case 2:  return "nd";
    case 3:  return "rd";
    default: return "th";
    }
}

void pmtud_msg_before_tso(char *buf, size_t n, const pmtud_icmp_result_t *res)
{
    const pmtud_piece_t *p = &res->piece;
    char which[16] = "a", id[24] = "";

    if (p->has_index)
        snprintf(which, sizeof which, "the %u%s", p->index + 1, ordinal_suffix(p->index + 1));
    if (p->has_id_offset)
        snprintf(id, sizeof id, ", IP ID %+d", (int)p->id_offset);
    /* Expert infos are cut at 240 characters: the figures first. */
    snprintf(buf, n,
             "Captured before TSO: the router got %s wire segment of frame %u (%u bytes): "
             "seq %u-%u, %u bytes at offset %u%s, %u in all. Not rewritten: the MTU is "
             "judged against %u",
             which, res->quoted_frame, res->wire_len, p->seq, p->seq + p->len - 1u, p->len,
             p->offset, id, res->quoted_len, res->quoted_len);
}

void pmtud_msg_rejected(char *buf, size_t n, const pmtud_icmp_result_t *res)
{
    if (res->verdicts & PMTUD_V_OFFLOAD)
        snprintf(buf, n, "Rejected by ICMP in frame %u (MTU %u) as part of a %u-byte packet "
                 "merged by offload", res->icmp_frame, res->mtu, res->quoted_len);
    else
        snprintf(buf, n, "Rejected by ICMP in frame %u (MTU %u)", res->icmp_frame, res->mtu);
}

static double seconds(int64_t ns)
{
    return (double)ns / 1e9;
}

void pmtud_msg_worked(char *buf, size_t n, const pmtud_icmp_result_t *res)
{
    /* Captured before TSO, the resend is a super-frame again: only its
     * wire segments, which the capture does not show, had to fit. */
    if ((res->verdicts & PMTUD_V_BEFORE_TSO) && res->retransmit_len > res->mtu)
        snprintf(buf, n,
                 "PMTUD worked: the sender resent the rejected data in frame %u, a %u-byte "
                 "frame captured before TSO again; its wire segments fit (no new ICMP), and "
                 "it got through; %.3f s lost",
                 res->retransmit_frame, res->retransmit_len, seconds(res->time_lost_ns));
    else
        snprintf(buf, n,
                 "PMTUD worked: the sender resent the rejected data in frame %u as a %u-byte "
                 "packet that fits, and it got through; %.3f s lost",
                 res->retransmit_frame, res->retransmit_len, seconds(res->time_lost_ns));
}

void pmtud_msg_same_size_crossed(char *buf, size_t n, const pmtud_icmp_result_t *res)
{
    if (res->retransmit_frame)
        snprintf(buf, n,
                 "Same size crossed: resent at the same %u bytes in frame %u, it got through "
                 "with no new ICMP, so the rejected packet was not what crossed the wire "
                 "(offload); %.3f s lost",
                 res->retransmit_len, res->retransmit_frame, seconds(res->time_lost_ns));
    else
        snprintf(buf, n,
                 "Same size crossed: the receiver acknowledged the rejected data without a "
                 "resend, so the packet the ICMP describes was not what crossed the wire");
}

void pmtud_msg_ignored(char *buf, size_t n, const pmtud_icmp_result_t *res)
{
    snprintf(buf, n,
             "ICMP ignored: the sender resent the rejected data at %u bytes (frame %u) and it "
             "was rejected again: ICMP filtered, a host firewall or PMTUD off; a black hole "
             "in the making. Clamp MSS to %u",
             res->retransmit_len, res->retransmit_frame, clamp_for(res));
}

void pmtud_msg_no_retransmission(char *buf, size_t n, const pmtud_icmp_result_t *res)
{
    if (res->retransmit_frame)
        snprintf(buf, n,
                 "Flow stalls: the rejected data was resent in frame %u but never "
                 "acknowledged in the %.3f s the capture goes on after this ICMP",
                 res->retransmit_frame, seconds(res->end_ts_ns - res->icmp_ts_ns));
    else
        snprintf(buf, n,
                 "No retransmission: nothing resent the rejected data in the %.3f s the "
                 "capture goes on after this ICMP; the flow stalls or the capture ends",
                 seconds(res->end_ts_ns - res->icmp_ts_ns));
}

void pmtud_msg_reaction_unknown(char *buf, size_t n, const pmtud_icmp_result_t *res)
{
    (void)res;
    snprintf(buf, n, "Sender's reaction not known (needs two passes, TCP)");
}

void pmtud_msg_reaction(char *buf, size_t n, const pmtud_icmp_result_t *res)
{
    pmtud_reaction_desc(res->reaction)->sentence(buf, n, res);
}

const char *pmtud_limit_name(unsigned source)
{
    return source < PMTUD_LIMIT_COUNT ? pmtud_limit_names[source] : "none";
}
void pmtud_msg_oversize(char *buf, size_t n, uint32_t frame, const pmtud_oversize_t *o,
                        uint32_t rejected_by)
{
    const char *side = o->sender_side ?
        "probably captured on the sender, before TSO/GSO split it" :
        "probably captured after LRO/GRO merged it (receiver or forwarding box)";
    char tail[64] = "";

    if (rejected_by)
        snprintf(tail, sizeof tail, "; rejected by ICMP in frame %u", rejected_by);
    if (o->len_zero)
        snprintf(buf, n,
                 "Oversize: frame %u has %s 0, as TSO sends it: captured on the "
                 "sender before segmentation, %u bytes are not a wire frame%s",
                 frame, o->family == 6 ? "IPv6 payload length (BIG TCP)" : "IPv4 total length",
                 o->len, tail);
    else if (o->by_mss)
        snprintf(buf, n,
                 "Oversize: frame %u carries %u TCP payload bytes, over the %u-byte MSS its "
                 "receiver announced: %s. Not a wire frame%s",
                 frame, o->len, o->limit, side, tail);
    else
        snprintf(buf, n,
                 "Oversize: frame %u is a %u-byte IPv%u packet, over the %u-byte link MTU (%s): "
                 "%s. Not a wire frame%s",
                 frame, o->len, o->family, o->limit, pmtud_limit_name(o->source), side, tail);
}

/* Both views of a black hole fit PMTUD_MSG_MAX with seven-digit frames,
 * 64 KB lengths and minutes lost (test_messages.c). */
void pmtud_msg_blackhole(char *buf, size_t n, const pmtud_blackhole_t *bh)
{
    char through[64] = "";
    const char *df = bh->df_cleared ? " with DF cleared (Windows black-hole detection)" : "";
    double lost = seconds(pmtud_blackhole_lost_ns(bh));

    if (bh->through_len)
        snprintf(through, sizeof through, "; largest through %u: clamp MSS to %u",
                 bh->through_len, bh->through_payload);
    if (bh->receiver_view)
        snprintf(buf, n,
                 "PMTUD black hole (no ICMP) seen from the receiver: %u bytes missing before "
                 "frame %u, filled %.3f s later by smaller segments%s%s",
                 bh->stuck_len, bh->hole_frame, lost, df, through);
    else
        snprintf(buf, n,
                 "PMTUD black hole (no ICMP): %u-byte segment sent %u times from frame %u, no "
                 "ACK; resent smaller in frame %u%s and ACKed: %.3f s lost%s",
                 bh->stuck_len, bh->tries, bh->n_frames ? bh->frames[0] : 0, bh->fallback_frame,
                 df, lost, through);
}

/* Where pmtud stopped reading a frame, in the words of the note. */
static void stop_place(char *buf, size_t n, const pmtud_stop_t *stop, const char *link_name)
{
    switch (stop->kind) {
    case PMTUD_STOP_LINK:
        snprintf(buf, n, "link type %s", link_name ? link_name : "(unknown)");
        break;
    case PMTUD_STOP_ETHERTYPE:
        snprintf(buf, n, "ethertype 0x%04x", stop->value);
        break;
    case PMTUD_STOP_NOT_IP:
        snprintf(buf, n, "the link header (no IP header after it: version %u)", stop->value);
        break;
    case PMTUD_STOP_UDP_PORT:
        snprintf(buf, n, "UDP port %u (not a tunnel pmtud reads)", stop->value);
        break;
    case PMTUD_STOP_GRE:
        snprintf(buf, n, "GRE protocol 0x%04x", stop->value);
        break;
    case PMTUD_STOP_IP_PROTO:
        snprintf(buf, n, "IP protocol %u", stop->value);
        break;
    case PMTUD_STOP_FRAGMENT:
        snprintf(buf, n, "an IP fragment (Wireshark reassembled the ICMP from fragments)");
        break;
    case PMTUD_STOP_DEPTH:
        snprintf(buf, n, "%u nested tunnels", stop->value);
        break;
    case PMTUD_STOP_CUT:
        snprintf(buf, n, "the end of the captured headers");
        break;
    default:
        snprintf(buf, n, "its headers");
        break;
    }
}

void pmtud_msg_not_analysed(char *buf, size_t n, const pmtud_stop_t *stop, const char *link_name)
{
    char place[160];

    stop_place(place, sizeof place, stop, link_name);
    snprintf(buf, n, "pmtud could not read this frame past %s; link it by hand", place);
}
