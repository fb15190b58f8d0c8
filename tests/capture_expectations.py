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

Icmp = namedtuple("Icmp", "quoted qlen wlen mtu excess covered experts reaction")
# What the sender did (two-pass only): the first later frame carrying the
# first rejected byte, the time lost in microseconds, and the verdict.
Reaction = namedtuple("Reaction", "retransmit lost_us verdict")
# A frame larger than it can have been on a wire. source: 1 peer MSS,
# 2 preference, 3 link default, 4 PPPoE.
Oversize = namedtuple("Oversize", "len limit source")
# A PMTUD black hole: the frames flagged, the largest IP length that got
# through, and the MSS to clamp to.
Blackhole = namedtuple("Blackhole", "frames through clamp")

OFFLOAD = "offload_artefact"
BOGUS = "bogus_mtu"
NOTCAP = "quote_not_captured"
REWRITTEN = "quote_rewritten"
SHORT = "quote_short"
LEGIT = "legitimate"


WORKED = "pmtud_worked"
SAME_SIZE = "same_size_crossed"
IGNORED = "icmp_ignored"
NO_RETX = "no_retransmission"


def icmp(quoted, qlen, wlen, mtu, covered, *experts, reaction=None):
    excess = None if quoted is None else qlen - wlen
    return Icmp(quoted, qlen, wlen, mtu, excess, tuple(covered), frozenset(experts), reaction)


def worked(retransmit, lost_us):
    return Reaction(retransmit, lost_us, WORKED)


def same_size(retransmit, lost_us):
    return Reaction(retransmit, lost_us, SAME_SIZE)


def ignored(retransmit, lost_us=None):
    return Reaction(retransmit, lost_us, IGNORED)


def no_retx(retransmit=None):
    return Reaction(retransmit, None, NO_RETX)


def case(icmps, oversize=None, blackhole=None):
    """icmps: {frame: Icmp}; oversize: {frame: Oversize}; blackhole: Blackhole."""
    return {"icmps": icmps, "oversize": oversize or {}, "blackhole": blackhole}


def rejected_by(icmps):
    """The data side follows from the covered frames of each ICMP."""
    out = {}
    for frame, row in sorted(icmps.items()):
        for c in row.covered:
            out.setdefault(c, []).append(frame)
    return out


CASES = {
    # The seed: two 1460-byte segments merged by offload, quoted as 2960,
    # three times over; each first segment is resent alone 3 s later, at the
    # same size, and crosses.
    "crafted/seed_dnat_tso.pcap": case({
        7: icmp(5, 2960, 1500, 1500, [5, 6], OFFLOAD, reaction=same_size(8, 3000000)),
        14: icmp(12, 2960, 1500, 1500, [12, 13], OFFLOAD, reaction=same_size(15, 3000000)),
        21: icmp(19, 2960, 1500, 1500, [19, 20], OFFLOAD, reaction=same_size(22, 3000000)),
    }),
    "crafted/icmpv6_ptb_legit.pcap": case({
        6: icmp(5, 1500, 1500, 1280, [5], LEGIT, reaction=worked(7, 360)),
    }),
    "crafted/icmpv4_legit_frag_needed.pcap": case({
        6: icmp(5, 1500, 1500, 1400, [5], LEGIT, reaction=worked(7, 338)),
    }),
    "crafted/quote_not_captured.pcap": case({
        6: icmp(None, 1500, None, 1400, [], NOTCAP),
    }),
    # The IP ID names the first transmission; nothing was merged, so the
    # quoted frame is the one the router received. Time lost counts from it.
    "crafted/retransmit_ip_id.pcap": case({
        7: icmp(5, 1500, 1500, 1400, [5], LEGIT, reaction=worked(8, 250360)),
    }),
    # MTU 0 is a bogus MTU too, raised as a note; nothing is resent after.
    "crafted/bogus_mtu.pcap": case({
        8: icmp(5, 1500, 1500, 1500, [5], BOGUS, reaction=no_retx()),
        9: icmp(6, 1500, 1500, 40, [6], BOGUS, reaction=no_retx()),
        10: icmp(7, 1500, 1500, 0, [7], BOGUS, reaction=no_retx()),
    }),
    # The router shortened the quoted length; judged against the 1500-byte
    # wire packet, MTU 1400 is a genuine smaller MTU.
    "crafted/quote_rewritten.pcap": case({
        6: icmp(5, 548, 1500, 1400, [5], REWRITTEN, LEGIT, reaction=worked(7, 320)),
    }),
    "crafted/udp_id0_payload.pcap": case({
        3: icmp(1, 1500, 1500, 1400, [1], LEGIT),
    }),
    # Captured on the sender before TSO: frame 5 holds 2920 bytes, over the
    # receiver's MSS 1460.
    "crafted/sender_tso_mss.pcap": case({
        6: icmp(5, 2960, 2960, 1500, [5], OFFLOAD, reaction=worked(7, 204000)),
    }, oversize={5: Oversize(2920, 1460, 1)}),
    "crafted/udp_merged_gro.pcap": case({
        4: icmp(1, 2028, 1028, 1400, [1, 2], OFFLOAD),
    }),
    "crafted/snaplen_truncated.pcap": case({
        6: icmp(5, 1500, 1500, 1400, [5], LEGIT, reaction=worked(7, 338)),
    }),
    # What the sender did (testcaptures/crafted/make_reactions.py, facts in
    # EXPECTED-reactions.md): resent smaller; resent at the same size and
    # rejected again three times; never resent.
    "crafted/reaction_worked.pcap": case({
        6: icmp(5, 1500, 1500, 1400, [5], LEGIT, reaction=worked(7, 50300)),
    }),
    "crafted/reaction_ignored.pcap": case({
        6: icmp(5, 1500, 1500, 1400, [5], LEGIT, reaction=ignored(7)),
        8: icmp(7, 1500, 1500, 1400, [7], LEGIT, reaction=ignored(9)),
        10: icmp(9, 1500, 1500, 1400, [9], LEGIT, reaction=ignored(11)),
        12: icmp(11, 1500, 1500, 1400, [11], LEGIT, reaction=no_retx()),
    }),
    "crafted/reaction_none.pcap": case({
        8: icmp(7, 1500, 1500, 1400, [7], LEGIT, reaction=no_retx()),
    }),
    # No handshake: held against 1500 (Ethernet) or 1492 (PPPoE); frame 9
    # has IPv4 total length 0 (TSO), its length taken from the wire.
    "crafted/oversize_link_mtu.pcap": case({}, oversize={
        2: Oversize(1600, 1500, 3), 4: Oversize(9000, 1500, 3),
        6: Oversize(1500, 1492, 4), 9: Oversize(2040, 1500, 3)}),
    # The client announced MSS 1200: the server's 2400- and 1460-byte
    # segments exceed it (the client's 1460 to the server's MSS 1460 do not).
    "crafted/oversize_mss.pcap": case({}, oversize={
        8: Oversize(2400, 1200, 1), 10: Oversize(1460, 1200, 1)}),
    # No ICMP at all: 1460 bytes sent four times unacknowledged, then resent
    # as 536-byte segments that get through.
    "crafted/blackhole_crafted.pcap": case({}, blackhole=Blackhole([11, 12, 13, 14, 15], 576, 536)),
    # The real kernel behind a gateway whose ICMP is dropped by nftables;
    # the whole first flight is lost; tcp_mtu_probing makes Linux fall back
    # to MSS 1024 (frame 27).
    "netns/netns_blackhole_tcp4.pcap": case({}, blackhole=Blackhole([10, 23, 24, 25, 26, 27], 1064, 1024)),
    # Encapsulations and odd but legal packets (testcaptures/encap/make_encap.py,
    # facts in its EXPECTED.md): a correct link or a clear note, never a wrong
    # link. Tunnel frames are not oversize: the inner packet is what is judged.
    "encap/vlan_8021q.pcap": case({
        6: icmp(4, 2960, 1500, 1500, [4, 5], OFFLOAD, reaction=same_size(7, 208000)),
    }),
    "encap/qinq.pcap": case({
        6: icmp(4, 2960, 1500, 1500, [4, 5], OFFLOAD, reaction=same_size(7, 208000)),
        15: icmp(14, 1500, 1500, 1400, [14], LEGIT, reaction=worked(16, 270)),
    }),
    "encap/sll.pcap": case({
        6: icmp(4, 2960, 1500, 1500, [4, 5], OFFLOAD, reaction=same_size(7, 208000)),
    }),
    "encap/sll2.pcap": case({
        5: icmp(4, 1500, 1500, 1280, [4], LEGIT, reaction=worked(6, 270)),
    }),
    "encap/raw_ip.pcap": case({
        6: icmp(4, 2960, 1500, 1500, [4, 5], OFFLOAD, reaction=same_size(7, 208000)),
        15: icmp(14, 1500, 1500, 1280, [14], LEGIT, reaction=worked(16, 270)),
    }),
    "encap/pcapng_multi_if.pcapng": case({
        6: icmp(4, 2960, 1500, 1500, [4, 5], OFFLOAD, reaction=same_size(7, 208000)),
    }),
    "encap/gre.pcap": case({
        6: icmp(4, 2960, 1500, 1500, [4, 5], OFFLOAD, reaction=same_size(7, 208000)),
    }),
    "encap/gre_eth.pcap": case({
        5: icmp(4, 1500, 1500, 1400, [4], LEGIT, reaction=worked(6, 270)),
    }),
    "encap/vxlan.pcap": case({
        6: icmp(4, 2960, 1500, 1500, [4, 5], OFFLOAD, reaction=same_size(7, 208000)),
    }),
    "encap/ipip.pcap": case({
        6: icmp(4, 2960, 1500, 1500, [4, 5], OFFLOAD, reaction=same_size(7, 208000)),
    }),
    "encap/sixin4.pcap": case({
        6: icmp(4, 2940, 1500, 1500, [4, 5], OFFLOAD, reaction=same_size(7, 208000)),
    }),
    "encap/outer_icmp_tunnel.pcap": case({
        6: icmp(4, 1520, 1520, 1500, [4], LEGIT),
        12: icmp(10, 1528, 1528, 1500, [10], LEGIT),
    }),
    "encap/ipv4_options.pcap": case({
        6: icmp(4, 2948, 1500, 1500, [4, 5], OFFLOAD, reaction=same_size(7, 208000)),
    }),
    "encap/ipv6_ext_headers.pcap": case({
        6: icmp(4, 2900, 1500, 1500, [4, 5], OFFLOAD, reaction=same_size(7, 208000)),
    }),
    "encap/icmp_quotes_fragment.pcap": case({
        4: icmp(2, 1500, 1500, 1400, [2], LEGIT),
        5: icmp(None, 1500, None, 1400, [], NOTCAP),
    }),
    "encap/icmp_quotes_udp.pcap": case({
        3: icmp(2, 1500, 1500, 1400, [2], LEGIT),
    }),
    # A ping probe (echo request, frame 3) is indexed like data.
    "encap/icmp_quotes_icmp.pcap": case({
        4: icmp(3, 1500, 1500, 1400, [3], LEGIT),
    }),
    "encap/rfc4884.pcap": case({
        5: icmp(4, 1500, 1500, 1400, [4], LEGIT, reaction=worked(6, 270)),
    }),
    "encap/minimal_quote.pcap": case({
        6: icmp(4, 2960, 1500, 1500, [4, 5], OFFLOAD, reaction=same_size(7, 208000)),
    }),
    "encap/short_quotes.pcap": case({
        6: icmp(None, None, None, 1400, [], SHORT, NOTCAP),
        7: icmp(None, None, None, 1400, [], SHORT, NOTCAP),
        12: icmp(None, 1500, None, 1400, [], SHORT, NOTCAP),
    }),
    "encap/snaplen_cut_quote.pcap": case({
        5: icmp(None, None, None, 1400, [], SHORT, NOTCAP),
    }),
    # Made with the real Linux kernel in network namespaces
    # (testcaptures/netns/make_netns_captures.sh): GRO on the gateway merges
    # back-to-back segments, and the gateway cites its real egress MTU; the
    # server then resends in 1400-byte packets.
    "netns/netns_gro_tcp4.pcap": case({
        6: icmp(4, 2960, 1500, 1400, [4, 5], OFFLOAD, reaction=worked(10, 185)),
        9: icmp(7, 2960, 1500, 1400, [7, 8], OFFLOAD, reaction=worked(13, 64)),
    }),
    "netns/netns_gro_tcp6.pcap": case({
        6: icmp(4, 2940, 1500, 1400, [4, 5], OFFLOAD, reaction=worked(10, 79)),
        9: icmp(7, 2940, 1500, 1400, [7, 8], OFFLOAD, reaction=worked(13, 36)),
    }),
    # One UDP_SEGMENT send of four 1472-byte datagrams, merged back into one.
    "netns/netns_gro_udp4.pcap": case({
        5: icmp(1, 5916, 1500, 1400, [1, 2, 3, 4], OFFLOAD),
    }),
    # Frames 13 and 17 start before the rejected byte and carry it.
    "netns/netns_legit_tcp4.pcap": case({
        6: icmp(4, 1500, 1500, 1400, [4], LEGIT, reaction=worked(12, 66)),
        7: icmp(5, 1500, 1500, 1400, [5], LEGIT, reaction=worked(13, 65)),
        10: icmp(8, 1500, 1500, 1400, [8], LEGIT, reaction=worked(15, 24)),
        11: icmp(9, 1500, 1500, 1400, [9], LEGIT, reaction=worked(17, 45)),
    }),
    # No trouble at all: pmtud must stay silent.
    "netns/netns_clean_bulk.pcap": case({}),
    # A NAT gateway captured on both sides and merged with mergecap
    # (make_netns_nat.sh, facts in EXPECTED-nat.md): every data frame is
    # there twice with the same seq and IP ID (10.73.1.2:45001 inside,
    # 10.73.2.1:40001 outside); a router behind the NAT rejects the outside
    # copies (ICMPs 11, 12, 19, 20) and the NAT translates each ICMP back
    # (13, 14, 21, 22). Each must link to its own side's copy; nothing is
    # merged, so no offload warning.
    "netns/netns_nat_merged.pcap": case({
        11: icmp(8, 1500, 1500, 1400, [8], LEGIT, reaction=worked(24, 66)),
        12: icmp(10, 1500, 1500, 1400, [10], LEGIT, reaction=worked(26, 66)),
        13: icmp(7, 1500, 1500, 1400, [7], LEGIT, reaction=worked(23, 68)),
        14: icmp(9, 1500, 1500, 1400, [9], LEGIT, reaction=worked(25, 66)),
        19: icmp(16, 1500, 1500, 1400, [16], LEGIT, reaction=worked(30, 30)),
        20: icmp(18, 1500, 1500, 1400, [18], LEGIT, reaction=worked(40, 68)),
        21: icmp(15, 1500, 1500, 1400, [15], LEGIT, reaction=worked(29, 30)),
        22: icmp(17, 1500, 1500, 1400, [17], LEGIT, reaction=worked(39, 67)),
    }),
    # Recorded in the wild: the quoted length is 40 + 1460 + the next
    # segment's payload; every wire frame is at most 1514 bytes. The first
    # segment is resent alone at the same size and acknowledged.
    "real/suricata-verify_filestore-5408_bigflows-gro.pcap": case({
        9: icmp(5, 1645, 1500, 1500, [5, 6], OFFLOAD, reaction=same_size(10, 300366)),
        20: icmp(18, 1665, 1500, 1500, [18, 19], OFFLOAD, reaction=same_size(29, 894789)),
        58: icmp(56, 1649, 1500, 1500, [56, 57], OFFLOAD, reaction=same_size(59, 298322)),
        69: icmp(67, 1647, 1500, 1500, [67, 68], OFFLOAD, reaction=same_size(88, 895065)),
        78: icmp(74, 1646, 1500, 1500, [74, 75], OFFLOAD, reaction=same_size(79, 294412)),
        117: icmp(114, 1587, 1500, 1500, [114, 115], OFFLOAD, reaction=same_size(118, 306030)),
    }),
    "real/zeek_smtp.pcap": case({
        26: icmp(22, 1500, 1500, 1492, [22], LEGIT, reaction=worked(27, 2427)),
        28: icmp(23, 1500, 1500, 1492, [23], LEGIT, reaction=worked(32, 412186)),
        29: icmp(24, 1500, 1500, 1492, [24], LEGIT, reaction=worked(33, 412194)),
        30: icmp(25, 1500, 1500, 1492, [25], LEGIT, reaction=worked(35, 776936)),
    }),
    # ICMPv6 inside 6in4: lengths are the inner IPv6 packet's. Frames 28
    # and 102 carry more TCP payload than the receiver's MSS: merged by
    # receive offload at the capture point.
    "real/ndpi_6in4tunnel.pcap": case({
        45: icmp(36, 1470, 1470, 1460, [36], LEGIT, reaction=worked(46, 122714)),
    }, oversize={28: Oversize(1805, 1440, 1), 102: Oversize(1741, 1420, 1)}),
    "real/sidn_entrada_icmp-frag-needed.pcap": case({
        1: icmp(None, 1732, None, 1500, [], NOTCAP),
    }),

    # --- issue 12, section 2: never claim what the bytes do not support ----
    # (crafted/make_lying_lengths.py) Frames 4, 5, 6 and 11 are 66-, 86-,
    # 576- and 66-byte frames whose IP headers claim 29,492, 36,168, 2,570
    # and 29,492 bytes: no oversize, never matched (frame 6 shares frame 8's
    # sequence number), and the 30,000-byte quote of frame 11's header in
    # frame 12 matches nothing. Frame 7 is really oversize and frame 10 a
    # real offload artefact: pmtud still says so.
    "crafted/lying_lengths.pcap": case({
        10: icmp(8, 2960, 1500, 1500, [8, 9], OFFLOAD, reaction=no_retx()),
        12: icmp(None, 30000, None, 1500, [], NOTCAP),
    }, oversize={7: Oversize(2960, 1500, 3)}),
}
