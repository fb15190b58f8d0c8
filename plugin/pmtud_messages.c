/* pmtud_messages.c
 * Sentences for expert infos and the verdict field.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "pmtud_messages.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

static const char *addr(char *buf, size_t n, unsigned family, const uint8_t *a)
{
    if (!inet_ntop(family == 6 ? AF_INET6 : AF_INET, a, buf, (socklen_t)n))
        snprintf(buf, n, "?");
    return buf;
}

/* "frames 5 and 6" / "frame 5" / "frames 5, 6 and 7 (and more)" */
static void frame_list(char *buf, size_t n, const pmtud_icmp_result_t *res)
{
    size_t used;
    uint32_t i;

    used = (size_t)snprintf(buf, n, "frame%s ", res->n_covered == 1 ? "" : "s");
    for (i = 0; i < res->n_covered && used < n; i++) {
        const char *sep = i == 0 ? "" : (i + 1 == res->n_covered ? " and " : ", ");
        used += (size_t)snprintf(buf + used, n - used, "%s%u", sep, res->covered[i]);
    }
    if (res->covered_truncated && used < n)
        snprintf(buf + used, n - used, " (and more)");
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
    unsigned mtu = res->mtu;
    if (mtu < pmtud_min_mtu(res->family) || (res->rejected_len && mtu >= res->rejected_len))
        mtu = 1500;
    return pmtud_clamp_mss(mtu, res->family);
}

void pmtud_verdict_text(char *buf, size_t n, const pmtud_icmp_result_t *res)
{
    static const struct {
        uint32_t flag;
        const char *text;
    } parts[] = {
        { PMTUD_V_OFFLOAD,      "offload artefact (quoted packet larger than any wire frame)" },
        { PMTUD_V_OFFLOAD_MSS,  "offload artefact (frame larger than the receiver's MSS)" },
        { PMTUD_V_NOT_CAPTURED, "quoted packet not captured" },
        { PMTUD_V_REWRITTEN,    "quoted length rewritten by the router" },
        { PMTUD_V_QUOTE_SHORT,  "quote cut short" },
        { PMTUD_V_BOGUS_MTU,    "bogus MTU" },
        { PMTUD_V_MTU_ZERO,     "no MTU given (pre-RFC 1191 router)" },
        { PMTUD_V_LEGITIMATE,   "legitimate: smaller MTU on the path" },
    };
    size_t used = 0, i;

    if (n == 0)
        return;
    buf[0] = '\0';
    for (i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        if (!(res->verdicts & parts[i].flag) || used >= n)
            continue;
        used += (size_t)snprintf(buf + used, n - used, "%s%s", used ? "; " : "", parts[i].text);
    }
}

void pmtud_msg_offload(char *buf, size_t n, const pmtud_icmp_result_t *res)
{
    char router[64], sender[64], frames[256];

    addr(router, sizeof router, res->router_family, res->router);
    addr(sender, sizeof sender, res->family, res->sender);
    frame_list(frames, sizeof frames, res);
    if (res->verdicts & PMTUD_V_OFFLOAD) {
        snprintf(buf, n,
                 "Offload artefact: the ICMP from %s quotes a %u-byte packet, but frame %u "
                 "crossed the wire as %u bytes; the router got %s merged into one packet "
                 "(LRO/GRO on it or on the virtual switch before it, or TSO left unsplit by "
                 "the sender %s) and rejected what never existed on the wire. Turn off LRO/GRO "
                 "on %s and TSO on %s, or clamp the TCP MSS to %u.",
                 router, res->quoted_len, res->quoted_frame, res->wire_len, frames,
                 sender, router, sender, clamp_for(res));
    } else {
        snprintf(buf, n,
                 "Offload at the capture point: frame %u carries %u bytes of payload, more than "
                 "the %u-byte MSS its receiver announced; the capture saw it before TSO/GSO split "
                 "it (or after LRO/GRO merged it) and the router %s received it whole. Turn off "
                 "TSO/GSO on the sender %s (or LRO/GRO on the forwarding box), or clamp the "
                 "TCP MSS to %u.",
                 res->quoted_frame, res->payload_len, res->peer_mss, router, sender,
                 clamp_for(res));
    }
}

void pmtud_msg_bogus_mtu(char *buf, size_t n, const pmtud_icmp_result_t *res)
{
    char router[64];

    addr(router, sizeof router, res->router_family, res->router);
    if (res->mtu < pmtud_min_mtu(res->family))
        snprintf(buf, n,
                 "Nonsensical MTU: %s cites next-hop MTU %u, below the IPv%u minimum of %u; "
                 "no sender may go that low. Suspect a broken or forged ICMP; do not lower "
                 "MTUs because of it.",
                 router, res->mtu, res->family, pmtud_min_mtu(res->family));
    else
        snprintf(buf, n,
                 "Nonsensical MTU: %s cites next-hop MTU %u for a %u-byte packet; an MTU that "
                 "is not smaller than the packet cannot be why it was dropped. Look at what the "
                 "router really received (offload merging segments, a tunnel or VLAN adding "
                 "headers) rather than at the sender.",
                 router, res->mtu, res->rejected_len);
}

void pmtud_msg_mtu_zero(char *buf, size_t n, const pmtud_icmp_result_t *res)
{
    char router[64];

    addr(router, sizeof router, res->router_family, res->router);
    snprintf(buf, n,
             "No MTU given: %s sent fragmentation needed with next-hop MTU 0, as routers "
             "before RFC 1191 do; the sender has to guess the path MTU. Clamp the MSS on the "
             "path, or upgrade that router.", router);
}

void pmtud_msg_not_captured(char *buf, size_t n, const pmtud_icmp_result_t *res)
{
    char sender[64], receiver[64];

    if (!res->has_quote) {
        snprintf(buf, n, "Quoted packet not captured: the ICMP holds no readable IP header, "
                 "so nothing can be matched.");
        return;
    }
    addr(sender, sizeof sender, res->family, res->sender);
    addr(receiver, sizeof receiver, res->family, res->receiver);
    snprintf(buf, n,
             "Quoted packet not captured: no frame in this capture matches the %u-byte packet "
             "%s%s%u -> %s%s%u that the ICMP quotes (captured on another path, before the "
             "capture started, or removed by a capture filter). Capture closer to the sender "
             "to see it.",
             res->quoted_len, sender, res->sport ? ":" : "", res->sport,
             receiver, res->dport ? ":" : "", res->dport);
}

void pmtud_msg_rewritten(char *buf, size_t n, const pmtud_icmp_result_t *res)
{
    snprintf(buf, n,
             "Quoted length rewritten: the quote says %u bytes but frame %u was %u bytes on the "
             "wire; some routers set the quoted length to the bytes they quoted. Not an offload "
             "artefact: the MTU is judged against the wire length.",
             res->quoted_len, res->quoted_frame, res->wire_len);
}

void pmtud_msg_quote_short(char *buf, size_t n, const pmtud_icmp_result_t *res)
{
    (void)res;
    snprintf(buf, n,
             "Quote cut short: the ICMP (or the capture's snaplen) ends inside the quoted "
             "headers, so the packet it rejected cannot be identified for sure.");
}

void pmtud_msg_legitimate(char *buf, size_t n, const pmtud_icmp_result_t *res)
{
    snprintf(buf, n,
             "Path MTU %u is smaller than the %u-byte packet in frame %u: a genuine PMTUD "
             "event. The sender should resend in packets of at most %u bytes.",
             res->mtu, res->wire_len, res->quoted_frame, res->mtu);
}

void pmtud_msg_rejected(char *buf, size_t n, const pmtud_icmp_result_t *res)
{
    if (res->verdicts & PMTUD_V_OFFLOAD)
        snprintf(buf, n, "Rejected by ICMP in frame %u (MTU %u) as part of a %u-byte packet "
                 "merged by offload", res->icmp_frame, res->mtu, res->quoted_len);
    else
        snprintf(buf, n, "Rejected by ICMP in frame %u (MTU %u)", res->icmp_frame, res->mtu);
}
