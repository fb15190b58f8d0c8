#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Generate the overlay / mirror / router-link test captures for pmtud.

Run with Debian's python3 (scapy 2.5):

    /usr/bin/python3 testcaptures/overlay/make_overlay.py           # write
    /usr/bin/python3 testcaptures/overlay/make_overlay.py --check   # write, then
        # check with tshark that Wireshark decodes each encapsulation and
        # finds the inner ICMP where the model put it

Each capture replays one story inside one encapsulation (Geneve with and
without options, ERSPAN type I/II/III, VXLAN on 8472 and on a port set by
preference, ip6gre, 4in6, 6in6, MPLS over GRE and over UDP; the link types
NFLOG, PPP, PPP in HDLC framing with a direction byte, Cisco HDLC):

  1-3  handshake and request (the client announces MSS 1460 / 1440)
  4-5  two full-size segments (IP length 1500)
  6    a frag-needed / Packet Too Big quoting them merged (2960 / 2940 bytes)
       with MTU 1500: an offload artefact
  7    segment 1 resent at the same size, 208 ms later; 8 the client's ACK
  9    segment 3 (IP length 1500); 10 a genuine smaller MTU (1400 / 1280)
  11-12 segment 3 resent in two pieces that fit, 270 us later; 13 the ACK

bigtcp*.pcap hold BIG TCP frames instead: IPv6 payload length 0 with and
without the Hop-by-Hop jumbo option, and IPv4 / IPv6 length 0 inside VXLAN
and Geneve, captured with snaplen 200 (the length comes from the wire).

Scapy builds the layers and checksums; timestamps, IDs, sequence numbers
and payload bytes are fixed, so the output is byte-identical run to run.
EXPECTED.md is written from the same model.
"""

import os
import struct
import subprocess
import sys

from scapy.contrib.erspan import (ERSPAN_II, ERSPAN_III,
                                  ERSPAN_PlatformSpecific)
from scapy.contrib.geneve import GENEVE
from scapy.contrib.mpls import MPLS
from scapy.layers.inet import ICMP, IP, TCP, UDP
from scapy.layers.inet6 import (IPv6, IPv6ExtHdrHopByHop, ICMPv6PacketTooBig,
                                Jumbo)
from scapy.layers.l2 import GRE, Ether
from scapy.layers.vxlan import VXLAN
from scapy.packet import Raw

OUT = os.path.dirname(os.path.abspath(__file__))
BASE = 1366189200            # 2013-04-17 09:00:00 UTC, as the other captures

SRV4, CLI4, RTR4 = "192.0.2.10", "198.51.100.20", "192.0.2.1"
SRV6, CLI6, RTR6 = "2001:db8::10", "2001:db8:1::20", "2001:db8::1"
TUN_A4, TUN_B4 = "10.0.0.1", "10.0.0.2"          # server side, far side
TUN_A6, TUN_B6 = "fd00::1", "fd00::2"
MAC_S, MAC_R = "52:54:00:10:00:10", "52:54:00:10:00:01"
ISN_S, ISN_C = 0x3A2B1C0D, 0x7C1E9A52

LT_ETH, LT_PPP, LT_PPP_HDLC, LT_CHDLC, LT_PPP_DIR, LT_NFLOG = 1, 9, 50, 104, 204, 239


def payload(label, n):
    return bytes((label * 7 + i) & 0xFF for i in range(n))


# ---------------------------------------------------------------------------
# The story, as IP packets: (time, from server?, IP packet bytes, what)
# ---------------------------------------------------------------------------

def story(fam):
    v6 = fam == 6
    srv, cli, rtr = (SRV6, CLI6, RTR6) if v6 else (SRV4, CLI4, RTR4)
    hdr = 60 if v6 else 40
    mss = 1500 - hdr
    ids = iter(range(0x1C46, 0x1D00))

    def ip(src, dst, **kw):
        return IPv6(src=src, dst=dst, hlim=64) if v6 else \
            IP(src=src, dst=dst, id=next(ids), flags="DF", ttl=64, **kw)

    def seg(seq, ack, flags, data=b"", src=srv, dst=cli, sp=80, dp=49500, opts=()):
        return bytes(ip(src, dst) / TCP(sport=sp, dport=dp, seq=seq, ack=ack, flags=flags,
                                        window=64240, options=list(opts)) / Raw(data))

    s, c = ISN_S + 1, ISN_C + 1
    get = b"GET /big HTTP/1.1\r\nHost: example.test\r\n\r\n"
    d1, d2, d3 = payload(1, mss), payload(2, mss), payload(3, mss)
    out = [
        (0.000000, False, bytes(ip(cli, srv) / TCP(sport=49500, dport=80, seq=ISN_C, flags="S",
                                                   window=64240, options=[("MSS", mss)])),
         "client SYN, MSS %d" % mss),
        (0.000040, True, seg(ISN_S, c, "SA", opts=[("MSS", mss)]), "server SYN-ACK"),
        (0.020120, False, seg(c, s, "PA", get, cli, srv, 49500, 80), "client ACK + GET"),
        (0.020400, True, seg(s, c + len(get), "A", d1), "segment 1"),
        (0.020412, True, seg(s + mss, c + len(get), "A", d2), "segment 2"),
    ]
    # The router saw segments 1 and 2 merged into one packet (GRO on its
    # input) and quotes that packet: length 1500 + payload of segment 2.
    merged = bytearray(seg(s, c + len(get), "A", d1 + d2))
    if v6:
        icmp = bytes(IPv6(src=rtr, dst=srv, hlim=64) / ICMPv6PacketTooBig(mtu=1500) /
                     Raw(bytes(merged[:1232])))
    else:
        merged[4:6] = out[3][2][4:6]            # segment 1's IP ID
        merged = bytes(IP(merged))              # header checksum redone
        icmp = bytes(IP(src=rtr, dst=srv, id=0x0A10, ttl=64, tos=0xC0) /
                     ICMP(type=3, code=4, nexthopmtu=1500) / Raw(merged[:548]))
    out.append((0.020650, False, icmp, "frag-needed MTU 1500 quoting 1+2 merged"))
    ack2 = c + len(get)
    out += [
        (0.228400, True, seg(s, ack2, "A", d1), "segment 1 resent, same size"),
        (0.248600, False, seg(ack2, s + 2 * mss, "A", b"", cli, srv, 49500, 80), "client ACK"),
        (1.000000, True, seg(s + 2 * mss, ack2, "PA", d3), "segment 3"),
    ]
    small = 1280 if v6 else 1400
    if v6:
        icmp = bytes(IPv6(src=rtr, dst=srv, hlim=64) / ICMPv6PacketTooBig(mtu=small) /
                     Raw(out[-1][2][:1232]))
    else:
        icmp = bytes(IP(src=rtr, dst=srv, id=0x0A11, ttl=64, tos=0xC0) /
                     ICMP(type=3, code=4, nexthopmtu=small) / Raw(out[-1][2][:548]))
    p1 = small - hdr
    out += [
        (1.000220, False, icmp, "frag-needed MTU %d quoting segment 3" % small),
        (1.000270, True, seg(s + 2 * mss, ack2, "A", d3[:p1]), "segment 3 resent, part 1"),
        (1.000276, True, seg(s + 2 * mss + p1, ack2, "PA", d3[p1:]), "segment 3 resent, part 2"),
        (1.020500, False, seg(ack2, s + 3 * mss, "A", b"", cli, srv, 49500, 80), "client ACK"),
    ]
    return out


# ---------------------------------------------------------------------------
# Encapsulations: fn(ip bytes, from server?) -> link-layer frame bytes
# ---------------------------------------------------------------------------

def eth(ipb, up, proto=None):
    et = proto or (0x0800 if ipb[0] >> 4 == 4 else 0x86DD)
    src, dst = (MAC_S, MAC_R) if up else (MAC_R, MAC_S)
    return bytes(Ether(src=src, dst=dst, type=et) / Raw(ipb))


def underlay(up, v6, proto, inner, ipid=[0x4000]):
    """Outer IP between the tunnel ends, in the packet's direction."""
    a, b = (TUN_A6, TUN_B6) if v6 else (TUN_A4, TUN_B4)
    src, dst = (a, b) if up else (b, a)
    if v6:
        return eth(bytes(IPv6(src=src, dst=dst, nh=proto, hlim=64) / inner), up)
    ipid[0] += 1
    return eth(bytes(IP(src=src, dst=dst, proto=proto, id=ipid[0], ttl=64) / inner), up)


def udp_overlay(port, hdr, v6=False):
    def wrap(ipb, up):
        return underlay(up, v6, 17, UDP(sport=49152 + (7 if up else 9), dport=port) / hdr(ipb, up))
    return wrap


def vxlan(ipb, up):
    return VXLAN(vni=4242, flags=0x08) / Raw(eth(ipb, up))


def geneve(ipb, up):
    return GENEVE(vni=0x00ABCD, proto=0x6558) / Raw(eth(ipb, up))


def geneve_opts_ip(ipb, up):
    # OVN's 8-byte option (class 0x0102, type 0x80, 4 bytes of data), IP inside.
    opt = struct.pack(">HBB", 0x0102, 0x80, 1) + b"\x00\x01\x00\x02"
    g = GENEVE(vni=0x000123, proto=0x0800 if ipb[0] >> 4 == 4 else 0x86DD, optionlen=2)
    return Raw(bytes(g)[:8] + opt) / Raw(ipb)


def gre(proto, pre=lambda ipb, up: ipb, v6=False, **kw):
    seq = [100]

    def wrap(ipb, up):
        g = GRE(proto=proto, **kw)
        if kw.get("seqnum_present"):
            seq[0] += 1
            g.sequence_number = seq[0]
        return underlay(up, v6, 47, g / Raw(pre(ipb, up)))
    return wrap


def erspan_ii(ipb, up):
    return bytes(ERSPAN_II(ver=1, vlan=10, session_id=7, index=3) / Raw(eth(ipb, up)))


def erspan_iii(ipb, up):
    return bytes(ERSPAN_III(ver=2, vlan=10, session_id=7, timestamp=0x01020304, ft=0, o=1, d=0 if up else 1) /
                 ERSPAN_PlatformSpecific(platf_id=3, info1=0x12, info2=0x0A0B0C0D) /
                 Raw(eth(ipb, up)))


def in_ip(v6_outer):
    def wrap(ipb, up):
        return underlay(up, v6_outer, 4 if ipb[0] >> 4 == 4 else 41, Raw(ipb))
    return wrap


def mpls(labels):
    def stack(ipb, up):
        out = b""
        for i, lab in enumerate(labels):
            out += bytes(MPLS(label=lab + (0 if up else 1), s=int(i == len(labels) - 1), ttl=64))
        return out + ipb
    return stack


def nflog(ipb, up):
    """NFLOG record as tcpdump writes it on x86: TLV headers little-endian."""
    def tlv(t, v):
        rec = struct.pack("<HH", 4 + len(v), t) + v
        return rec + b"\0" * (-len(rec) % 4)
    fam = 2 if ipb[0] >> 4 == 4 else 10
    return (struct.pack(">BBH", fam, 0, 5) + tlv(1, struct.pack(">HBB", 0x0800, 3 if up else 1, 0))
            + tlv(10, b"pmtud\0") + tlv(4 if not up else 5, struct.pack(">I", 2)) + tlv(9, ipb))


def ppp(ipb, up):
    return b"\xff\x03" + struct.pack(">H", 0x0021 if ipb[0] >> 4 == 4 else 0x0057) + ipb


def ppp_dir_compressed(ipb, up):
    """Direction byte (1 sent), then address/control and protocol compressed."""
    return bytes([1 if up else 0, 0x21 if ipb[0] >> 4 == 4 else 0x57]) + ipb


def chdlc(ipb, up):
    return struct.pack(">BBH", 0x0F, 0, 0x0800 if ipb[0] >> 4 == 4 else 0x86DD) + ipb


# name: (linktype, family of the story, wrap, description, tshark protocols
#        expected in the ICMP frame, extra tshark arguments)
CAPTURES = {
    "geneve.pcap": (LT_ETH, 4, udp_overlay(6081, geneve),
                    "Geneve (UDP 6081, no options, VNI 0xabcd), Ethernet inside (0x6558)",
                    "udp:geneve:eth:ethertype:ip:icmp", []),
    "geneve_opts_ipv6.pcap": (LT_ETH, 6, udp_overlay(6081, geneve_opts_ip, v6=True),
                              "Geneve over IPv6 with an 8-byte option, IPv6 inside (0x86dd)",
                              "udp:geneve:ipv6:icmpv6", []),
    "geneve_opts_ipv4.pcap": (LT_ETH, 4, udp_overlay(6081, geneve_opts_ip),
                              "Geneve with an 8-byte option, IPv4 inside (0x0800)",
                              "udp:geneve:ip:icmp", []),
    "erspan_i.pcap": (LT_ETH, 4, gre(0x88BE, lambda b, up: eth(b, up)),
                      "ERSPAN type I: GRE 0x88be without sequence number, no ERSPAN header",
                      "gre:erspan:eth:ethertype:ip:icmp", []),
    "erspan_ii.pcap": (LT_ETH, 4, gre(0x88BE, erspan_ii, seqnum_present=1),
                       "ERSPAN type II: GRE 0x88be with sequence number, 8-byte header",
                       "gre:erspan:eth:ethertype:ip:icmp", []),
    "erspan_iii.pcap": (LT_ETH, 6, gre(0x22EB, erspan_iii, seqnum_present=1),
                        "ERSPAN type III: GRE 0x22eb, 12-byte header + 8-byte platform "
                        "subheader (O bit), IPv6 story", "gre:erspan:eth:ethertype:ipv6:icmpv6", []),
    "vxlan_8472.pcap": (LT_ETH, 4, udp_overlay(8472, vxlan),
                        "VXLAN on UDP 8472 (Linux / flannel), decoded with Decode As",
                        "udp:vxlan:eth:ethertype:ip:icmp", ["-d", "udp.port==8472,vxlan"]),
    "vxlan_port_pref.pcap": (LT_ETH, 4, udp_overlay(4799, vxlan),
                             "VXLAN on UDP 4799, decoded through the vxlan.udp.port preference",
                             "udp:vxlan:eth:ethertype:ip:icmp", ["-o", "vxlan.udp.port:4799"]),
    "ip6gre.pcap": (LT_ETH, 6, gre(0x86DD, v6=True),
                    "ip6gre: IPv6 underlay, GRE 0x86dd, IPv6 inside",
                    "ipv6:gre:ipv6:icmpv6", []),
    "ip4in6.pcap": (LT_ETH, 4, in_ip(True), "4in6: IPv6 next header 4, IPv4 inside",
                    "ipv6:ip:icmp", []),
    "ip6in6.pcap": (LT_ETH, 6, in_ip(True), "6in6: IPv6 next header 41, IPv6 inside",
                    "ipv6:ipv6:icmpv6", []),
    "mpls_gre.pcap": (LT_ETH, 4, gre(0x8847, mpls([1001])),
                      "MPLS over GRE (0x8847), one label", "gre:mpls:ip:icmp", []),
    "mpls_udp.pcap": (LT_ETH, 4, udp_overlay(6635, lambda b, up: Raw(mpls([2001, 2002])(b, up))),
                      "MPLS over UDP (6635, RFC 7510), two labels", "udp:mpls:ip:icmp", []),
    "nflog.pcap": (LT_NFLOG, 4, nflog, "NFLOG (LINKTYPE_NFLOG 239), TLVs little-endian",
                   "nflog:ip:icmp", []),
    "ppp.pcap": (LT_PPP, 4, ppp, "PPP (LINKTYPE_PPP 9), 0xff 0x03 + protocol 0x0021",
                 "ppp:ip:icmp", []),
    "ppp_with_dir.pcap": (LT_PPP_DIR, 6, ppp_dir_compressed,
                          "PPP with direction (LINKTYPE_PPP_WITH_DIR 204), address/control and "
                          "protocol compressed (0x57), IPv6 story", "ppp:ipv6:icmpv6", []),
    "ppp_hdlc.pcap": (LT_PPP_HDLC, 4, ppp, "PPP in HDLC framing (LINKTYPE_PPP_HDLC 50)",
                      "ppp:ip:icmp", []),
    "chdlc.pcap": (LT_CHDLC, 4, chdlc, "Cisco HDLC (LINKTYPE_C_HDLC 104), 0x0f 0x00 + 0x0800",
                   "chdlc:ip:icmp", []),
}

# Verdicts of the story (same in every capture): ICMP 6 links 4 and covers
# 4, 5 (offload artefact, sender resent at the same size: frame 7, 208 ms);
# ICMP 10 links 9 (legitimate, resent smaller: frame 11, 270 us).
RESULTS = {
    4: "frame 6: quoted 4, quoted len 2960, wire len 1500, MTU 1500, covered 4 5, "
       "offload_artefact; two-pass same_size_crossed, retransmission 7, 208000 us lost. "
       "frame 10: quoted 9, 1500/1500, MTU 1400, covered 9, legitimate; two-pass pmtud_worked, "
       "retransmission 11, 270 us lost. No oversize.",
    6: "frame 6: quoted 4, quoted len 2940 (1500 + 1440), wire len 1500, MTU 1500, covered 4 5, "
       "offload_artefact; two-pass same_size_crossed, retransmission 7, 208000 us lost. "
       "frame 10: quoted 9, 1500/1500, MTU 1280, covered 9, legitimate; two-pass pmtud_worked, "
       "retransmission 11, 270 us lost. No oversize.",
}


# ---------------------------------------------------------------------------
# BIG TCP: IPv6 payload length 0
# ---------------------------------------------------------------------------

BIG = 80000          # TCP payload of one BIG TCP frame
SNAP = 200


def zero_ipv4_len(hdr):
    """An IPv4 header (no options) with total length 0, checksum redone."""
    h = bytearray(hdr)
    h[2:4] = h[10:12] = b"\0\0"
    s = sum(struct.unpack(">10H", bytes(h)))
    s = (s & 0xFFFF) + (s >> 16)
    h[10:12] = struct.pack(">H", ~((s & 0xFFFF) + (s >> 16)) & 0xFFFF)
    return bytes(h)


def big_frames():
    """(name, frame, wire length, what, expected oversize length)."""
    tcp = bytes(TCP(sport=80, dport=49500, seq=ISN_S + 1, ack=ISN_C + 1, flags="A",
                    window=64240))
    body = tcp + payload(9, 64)                     # only the head is captured
    out = []
    # IPv6 payload length 0, no extension header (Linux since 6.3).
    ip6 = bytearray(bytes(IPv6(src=SRV6, dst=CLI6, hlim=64, nh=6) / Raw(body)))
    ip6[4:6] = b"\0\0"
    out.append(("BIG TCP IPv6, payload length 0, no jumbo option", eth(bytes(ip6), True),
                14 + 40 + 20 + BIG, 40 + 20 + BIG))
    # RFC 2675 jumbogram: Hop-by-Hop with the jumbo option (Linux 5.19-6.2).
    hbh = IPv6ExtHdrHopByHop(nh=6, options=[Jumbo(jumboplen=8 + 20 + BIG)])
    ip6 = bytearray(bytes(IPv6(src=SRV6, dst=CLI6, hlim=64, nh=0) / hbh / Raw(body)))
    ip6[4:6] = b"\0\0"
    out.append(("IPv6 jumbogram, Hop-by-Hop jumbo option %d" % (8 + 20 + BIG),
                eth(bytes(ip6), True), 14 + 40 + 8 + 20 + BIG, 40 + 8 + 20 + BIG))
    return out


def big_overlay_frames():
    """BIG TCP inside overlays: inner length 0, outer lengths 0 as well."""
    tcp = bytes(TCP(sport=80, dport=49500, seq=ISN_S + 1, ack=ISN_C + 1, flags="A",
                    window=64240)) + payload(9, 64)
    ip6 = bytearray(bytes(IPv6(src=SRV6, dst=CLI6, hlim=64, nh=6) / Raw(tcp)))
    ip6[4:6] = b"\0\0"
    ip4 = bytes(IP(src=SRV4, dst=CLI4, id=0x2000, flags="DF", ttl=64, proto=6) / Raw(tcp))
    ip4 = zero_ipv4_len(ip4[:20]) + ip4[20:]
    out = []
    for what, inner, wrap, before in (
            ("IPv6 BIG TCP (length 0) inside Geneve (IPv4 underlay, Ethernet inside)",
             bytes(ip6), udp_overlay(6081, geneve), 14 + 20 + 8 + 8 + 14),
            ("IPv4 TSO (length 0) inside VXLAN 4789", ip4, udp_overlay(4789, vxlan),
             14 + 20 + 8 + 8 + 14)):
        frame = bytearray(wrap(inner, True))
        wire = before + (40 if inner[0] >> 4 == 6 else 20) + 20 + BIG
        # The outer lengths do not fit 16 bits either: the IP length is 0, as
        # GSO leaves it, and the UDP length is the real one cut to 16 bits,
        # as Linux's udp_tunnel_xmit_skb writes htons(skb->len).
        ip_off = 14 + (20 if frame[14] >> 4 == 4 else 40)
        frame[ip_off + 4:ip_off + 6] = struct.pack(">H", (wire - ip_off) & 0xFFFF)
        if frame[14] >> 4 == 4:
            frame[14:34] = zero_ipv4_len(bytes(frame[14:34]))
        else:
            frame[18:20] = b"\0\0"
        out.append((what, bytes(frame), wire, wire - before))
    return out


# ---------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------

def write_pcap(path, linktype, records, snaplen=65535):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, snaplen, linktype))
        for t, data, wire in records:
            us = int(round(t * 1e6))
            data = data[:snaplen]
            f.write(struct.pack("<IIII", BASE + us // 1000000, us % 1000000, len(data), wire))
            f.write(data)


def build():
    md = ["# testcaptures/overlay: what each capture holds and what pmtud must say",
          "", "Written by `make_overlay.py` from the model that builds the packets.", "",
          "Every story capture has the same 13 frames (see the script's docstring): "
          "the client (198.51.100.20 / 2001:db8:1::20) fetches from the server "
          "(192.0.2.10 / 2001:db8::10, port 80, the capture point); the router "
          "(192.0.2.1 / 2001:db8::1) sends the ICMPs; tunnel ends 10.0.0.1 / fd00::1 "
          "(server side) and 10.0.0.2 / fd00::2. Inner lengths are judged, so no "
          "frame is oversize.", ""]
    for name, (lt, fam, wrap, what, protos, args) in CAPTURES.items():
        recs = []
        rows = []
        for i, (t, up, ipb, label) in enumerate(story(fam), 1):
            frame = wrap(ipb, up)
            recs.append((t, frame, len(frame)))
            rows.append("| %d | %.6f | %s | %d | %d |" % (i, t, label, len(ipb), len(frame)))
        write_pcap(os.path.join(OUT, name), lt, recs)
        md += ["## `%s`" % name, "", "* %s; linktype %d; IPv%d story." % (what, lt, fam)]
        if args:
            md.append("* tshark needs `%s` to decode it." % " ".join(args))
        md += ["* Wireshark decodes frame 6 as `...%s`." % protos,
               "* pmtud: " + RESULTS[fam], "",
               "| # | t | what | inner IP len | frame len |", "|---|---|---|---|---|"] + rows + [""]
    for name, frames in (("bigtcp_ipv6.pcap", big_frames()),
                         ("bigtcp_overlay.pcap", big_overlay_frames())):
        recs = [(0.1 * i, f, wire) for i, (_, f, wire, _) in enumerate(frames)]
        write_pcap(os.path.join(OUT, name), LT_ETH, recs, snaplen=SNAP)
        md += ["## `%s`" % name, "", "Ethernet, snaplen %d: only the headers are captured; "
               "the wire length holds the rest." % SNAP, "",
               "| # | what | wire length | pmtud.oversize.len (limit 1500, link default) |",
               "|---|---|---|---|"]
        md += ["| %d | %s | %d | %d |" % (i, w, wire, ln)
               for i, (w, _, wire, ln) in enumerate(frames, 1)] + [""]
    with open(os.path.join(OUT, "EXPECTED.md"), "w") as f:
        f.write("\n".join(md))


def check():
    """tshark must decode every layer of the ICMP frame as the model says."""
    bad = 0
    for name, (_, _, _, _, protos, args) in CAPTURES.items():
        got = subprocess.run(["tshark", "-r", os.path.join(OUT, name)] + args +
                             ["-Y", "frame.number==6 || frame.number==10", "-T", "fields",
                              "-e", "frame.protocols", "-e", "_ws.expert.severity"],
                             capture_output=True, text=True).stdout.split("\n")[:2]
        for line in got:
            ok = protos in line and not line.split("\t")[1:2] == ["error"]
            bad += not ok
            print("%-24s %s %s" % (name, "ok " if ok else "BAD", line))
    return bad


if __name__ == "__main__":
    build()
    sys.exit(1 if "--check" in sys.argv and check() else 0)
