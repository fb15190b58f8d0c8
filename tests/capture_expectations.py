# SPDX-License-Identifier: GPL-2.0-or-later
"""What pmtud must report on every test capture, frame by frame.

Each ICMP row: the quoted frame, quoted and wire IP lengths, cited MTU,
excess, covered frames and the expert infos raised on the ICMP frame.
`rejected` maps each data frame to the ICMP frames that rejected it (shown
on the data frame in two-pass mode and in the GUI). The values come from
how each capture was made (testcaptures/*/EXPECTED.md, the scripts beside
them, and testcaptures/real/SOURCES.md), checked against the raw headers.
"""
from collections import namedtuple

Icmp = namedtuple("Icmp", "quoted qlen wlen mtu excess covered experts")

OFFLOAD = "offload_artefact"
BOGUS = "bogus_mtu"
MTU0 = "mtu_zero"
NOTCAP = "quote_not_captured"
REWRITTEN = "quote_rewritten"
SHORT = "quote_short"
LEGIT = "legitimate"


def icmp(quoted, qlen, wlen, mtu, covered, *experts):
    excess = None if quoted is None else qlen - wlen
    return Icmp(quoted, qlen, wlen, mtu, excess, tuple(covered), frozenset(experts))


def rejected_by(icmps):
    """The data side follows from the covered frames of each ICMP."""
    out = {}
    for frame, row in sorted(icmps.items()):
        for c in row.covered:
            out.setdefault(c, []).append(frame)
    return out


CASES = {
    # The seed: two 1460-byte segments merged by offload, quoted as 2960,
    # three times over; the lone retransmissions cross.
    "crafted/seed_dnat_tso.pcap": {
        7: icmp(5, 2960, 1500, 1500, [5, 6], OFFLOAD),
        14: icmp(12, 2960, 1500, 1500, [12, 13], OFFLOAD),
        21: icmp(19, 2960, 1500, 1500, [19, 20], OFFLOAD),
    },
    "crafted/icmpv6_ptb_legit.pcap": {
        6: icmp(5, 1500, 1500, 1280, [5], LEGIT),
    },
    "crafted/icmpv4_legit_frag_needed.pcap": {
        6: icmp(5, 1500, 1500, 1400, [5], LEGIT),
    },
    "crafted/quote_not_captured.pcap": {
        6: icmp(None, 1500, None, 1400, [], NOTCAP),
    },
    # The IP ID names the first transmission; nothing was merged, so the
    # quoted frame is the one the router received.
    "crafted/retransmit_ip_id.pcap": {
        7: icmp(5, 1500, 1500, 1400, [5], LEGIT),
    },
    "crafted/bogus_mtu.pcap": {
        8: icmp(5, 1500, 1500, 1500, [5], BOGUS),
        9: icmp(6, 1500, 1500, 40, [6], BOGUS),
        10: icmp(7, 1500, 1500, 0, [7], MTU0),
    },
    # The router shortened the quoted length; judged against the 1500-byte
    # wire packet, MTU 1400 is a genuine smaller MTU.
    "crafted/quote_rewritten.pcap": {
        6: icmp(5, 548, 1500, 1400, [5], REWRITTEN, LEGIT),
    },
    "crafted/udp_id0_payload.pcap": {
        3: icmp(1, 1500, 1500, 1400, [1], LEGIT),
    },
    "crafted/sender_tso_mss.pcap": {
        6: icmp(5, 2960, 2960, 1500, [5], OFFLOAD),
    },
    "crafted/udp_merged_gro.pcap": {
        4: icmp(1, 2028, 1028, 1400, [1, 2], OFFLOAD),
    },
    "crafted/snaplen_truncated.pcap": {
        6: icmp(5, 1500, 1500, 1400, [5], LEGIT),
    },
    # Made with the real Linux kernel in network namespaces
    # (testcaptures/netns/make_netns_captures.sh): GRO on the gateway merges
    # back-to-back segments, and the gateway cites its real egress MTU.
    "netns/netns_gro_tcp4.pcap": {
        6: icmp(4, 2960, 1500, 1400, [4, 5], OFFLOAD),
        9: icmp(7, 2960, 1500, 1400, [7, 8], OFFLOAD),
    },
    "netns/netns_gro_tcp6.pcap": {
        6: icmp(4, 2940, 1500, 1400, [4, 5], OFFLOAD),
        9: icmp(7, 2940, 1500, 1400, [7, 8], OFFLOAD),
    },
    # One UDP_SEGMENT send of four 1472-byte datagrams, merged back into one.
    "netns/netns_gro_udp4.pcap": {
        5: icmp(1, 5916, 1500, 1400, [1, 2, 3, 4], OFFLOAD),
    },
    "netns/netns_legit_tcp4.pcap": {
        6: icmp(4, 1500, 1500, 1400, [4], LEGIT),
        7: icmp(5, 1500, 1500, 1400, [5], LEGIT),
        10: icmp(8, 1500, 1500, 1400, [8], LEGIT),
        11: icmp(9, 1500, 1500, 1400, [9], LEGIT),
    },
    # No trouble at all: pmtud must stay silent.
    "netns/netns_clean_bulk.pcap": {},
    # Recorded in the wild: the quoted length is 40 + 1460 + the next
    # segment's payload; every wire frame is at most 1514 bytes.
    "real/suricata-verify_filestore-5408_bigflows-gro.pcap": {
        9: icmp(5, 1645, 1500, 1500, [5, 6], OFFLOAD),
        20: icmp(18, 1665, 1500, 1500, [18, 19], OFFLOAD),
        58: icmp(56, 1649, 1500, 1500, [56, 57], OFFLOAD),
        69: icmp(67, 1647, 1500, 1500, [67, 68], OFFLOAD),
        78: icmp(74, 1646, 1500, 1500, [74, 75], OFFLOAD),
        117: icmp(114, 1587, 1500, 1500, [114, 115], OFFLOAD),
    },
    "real/zeek_smtp.pcap": {
        26: icmp(22, 1500, 1500, 1492, [22], LEGIT),
        28: icmp(23, 1500, 1500, 1492, [23], LEGIT),
        29: icmp(24, 1500, 1500, 1492, [24], LEGIT),
        30: icmp(25, 1500, 1500, 1492, [25], LEGIT),
    },
    # ICMPv6 inside 6in4: lengths are the inner IPv6 packet's.
    "real/ndpi_6in4tunnel.pcap": {
        45: icmp(36, 1470, 1470, 1460, [36], LEGIT),
    },
    "real/sidn_entrada_icmp-frag-needed.pcap": {
        1: icmp(None, 1732, None, 1500, [], NOTCAP),
    },
}
