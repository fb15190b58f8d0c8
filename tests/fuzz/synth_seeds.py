#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Writes seed inputs for fuzz_frames with the encapsulations the captures
in testcaptures/ lack (PPPoE, MPLS, QinQ, GRE with Ethernet inside, VXLAN,
IP-in-IP, IPv6 extension headers, cooked and loopback links; Geneve, ERSPAN
I/II/III, MPLS over GRE/UDP, ip6gre, 4in6/6in6, NFLOG, PPP, Cisco HDLC, BIG
TCP; quotes without ports: ESP, AH, GRE with and without key/seq, SCTP,
echo), so the fuzzer starts inside those code paths instead of having to guess magic
ethertypes and ports.

usage: synth_seeds.py OUTDIR

Each seed is one small story in fuzz_frames' format (see pcap_seeds.py):
two TCP segments of 1460 bytes, then an ICMP "too big" quoting the first
as a merged 2960-byte packet, all under the same wrapping.
"""
import hashlib
import os
import struct
import sys

SRV4, CLI4, RTR4 = bytes([192, 0, 2, 10]), bytes([203, 0, 113, 45]), bytes([192, 0, 2, 1])
TUN_A, TUN_B = bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2])
SRV6 = bytes.fromhex("20010db8000000000000000000000010")
CLI6 = bytes.fromhex("20010db8000100000000000000000045")
RTR6 = bytes.fromhex("20010db8000000000000000000000001")
SEQ = 0x3A2B1C0E
MACS = bytes.fromhex("525400000002525400000001")

LINK_ETH, LINK_RAW, LINK_SLL, LINK_SLL2, LINK_NULL = 1, 2, 3, 4, 5
LINK_NFLOG, LINK_PPP, LINK_CHDLC = 6, 7, 8


def ipv4(src, dst, proto, payload, ident=0x0C32, total=None):
    total = 20 + len(payload) if total is None else total
    return struct.pack(">BBHHHBBH4s4s", 0x45, 0, total, ident, 0x4000, 64, proto, 0,
                       src, dst) + payload


def ipv6(src, dst, nxt, payload):
    return struct.pack(">IHBB16s16s", 0x60000000, len(payload), nxt, 64, src, dst) + payload


def tcp(seq, payload):
    return struct.pack(">HHIIBBHHH", 80, 49321, seq, 1, 0x50, 0x10, 65535, 0, 0) + payload


def udp(sport, dport, payload):
    return struct.pack(">HHHH", sport, dport, 8 + len(payload), 0) + payload


def data(n, seed):
    return bytes((seed + i) & 0xFF for i in range(n))


def icmp4_ptb(mtu, quote):
    return struct.pack(">BBHBBH", 3, 4, 0, 0, 0, mtu) + quote


def icmp6_ptb(mtu, quote):
    return struct.pack(">BBHI", 2, 0, 0, mtu) + quote


def story4():
    """Two IPv4 segments and an ICMPv4 PTB quoting them merged."""
    s1 = ipv4(SRV4, CLI4, 6, tcp(SEQ, data(1460, 1)), 0x0C32)
    s2 = ipv4(SRV4, CLI4, 6, tcp(SEQ + 1460, data(1460, 2)), 0x0C33)
    quote = bytearray(s1[:548])
    quote[2:4] = struct.pack(">H", 2960)
    return [s1, s2, ipv4(RTR4, SRV4, 1, icmp4_ptb(1500, bytes(quote)), 0x9E01)]


def story6(ext=b"", ext_first=6):
    """The same over IPv6, optionally with extension headers in front of TCP."""
    s1 = ipv6(SRV6, CLI6, ext_first, ext + tcp(SEQ, data(1440, 1)))
    s2 = ipv6(SRV6, CLI6, ext_first, ext + tcp(SEQ + 1440, data(1440, 2)))
    quote = bytearray(s1[:1232])
    quote[4:6] = struct.pack(">H", 2900 + len(ext))
    return [s1, s2, ipv6(RTR6, SRV6, 58, icmp6_ptb(1280, bytes(quote)))]


def story6_big():
    """BIG TCP: a segment with IPv6 payload length 0, one with the jumbo option."""
    seg = tcp(SEQ, data(1440, 1))
    hbh = bytes([6, 0, 0xC2, 4]) + struct.pack(">I", 8 + len(seg))
    plain = bytearray(ipv6(SRV6, CLI6, 6, seg))
    jumbo = bytearray(ipv6(SRV6, CLI6, 0, hbh + seg))
    plain[4:6] = jumbo[4:6] = b"\0\0"
    return [bytes(plain), bytes(jumbo)]


def portless(proto, head, n=1472):
    """Three packets of one port-less flow (IP ID 0, identity in head(i)),
    then ICMPv4 PTBs quoting the second: the Linux 548 bytes and the
    RFC 792 minimum (IP header + 8 bytes)."""
    pkts = [ipv4(SRV4, CLI4, proto, head(i) + data(n - len(head(i)), i), 0) for i in range(3)]
    return pkts + [ipv4(RTR4, SRV4, 1, icmp4_ptb(1400, pkts[1][:k]), 0x9E01) for k in (548, 28)]


def echo(typ, seq):
    return struct.pack(">BBHHH", typ, 0, 0, 0x3039, seq)


# Quotes without ports (issue 10 section 3): what names the packet is in its
# first bytes: ESP SPI + sequence, AH SPI + sequence, GRE key + sequence (and
# plain GRE, told apart by the tunnelled bytes), SCTP tag + DATA TSN, echo.
PORTLESS = {
    "esp": portless(50, lambda i: struct.pack(">II", 0xC0DE0001, 41 + i)),
    "ah": portless(51, lambda i: struct.pack(">BBHII", 6, 4, 0, 0x0A110001, 7 + i) + bytes(12)),
    "gre_ks": portless(47, lambda i: struct.pack(">HHII", 0x3000, 0x0800, 100, i) +
                       ipv4(TUN_A, TUN_B, 6, tcp(SEQ + i, b""), 0x2200 + i)),
    "gre_plain": portless(47, lambda i: struct.pack(">HH", 0, 0x0800) +
                          ipv4(TUN_A, TUN_B, 6, tcp(SEQ + i, b""), 0x2200 + i)),
    "sctp": portless(132, lambda i: struct.pack(">HHIIBBHIHHI", 5001, 5001, 0x5CA1AB1E, 0,
                                                0, 3, 1468, 1000 + i, 0, i, 0)),
    "echo": portless(1, lambda i: echo(8, i)) + [ipv4(CLI4, SRV4, 1, echo(0, 1) + data(64, 9))],
}


def eth(et, pkt):
    return MACS + struct.pack(">H", et) + pkt


def et_of(pkt):
    return 0x0800 if pkt[0] >> 4 == 4 else 0x86DD


# Each wrapper turns one IP packet into (link code, frame bytes).
WRAPPERS = {
    "eth": lambda p: (LINK_ETH, eth(et_of(p), p)),
    "vlan": lambda p: (LINK_ETH, eth(0x8100, struct.pack(">HH", 100, et_of(p)) + p)),
    "qinq": lambda p: (LINK_ETH, eth(0x88A8, struct.pack(">HHHH", 100, 0x8100, 200, et_of(p)) + p)),
    "mpls": lambda p: (LINK_ETH, eth(0x8847, struct.pack(">I", 0x000641FF) + p)),
    "pppoe": lambda p: (LINK_ETH, eth(0x8864, struct.pack(">BBHHH", 0x11, 0, 0x1234, len(p) + 2,
                                                           0x21 if p[0] >> 4 == 4 else 0x57) + p)),
    "raw": lambda p: (LINK_RAW, p),
    "sll": lambda p: (LINK_SLL, struct.pack(">HHH", 0, 1, 6) + MACS[:6] + b"\0\0" +
                      struct.pack(">H", et_of(p)) + p),
    "sll2": lambda p: (LINK_SLL2, struct.pack(">HHIHBB", et_of(p), 0, 2, 1, 0, 6) + MACS[:8] + p),
    "null": lambda p: (LINK_NULL, struct.pack("<I", 2 if p[0] >> 4 == 4 else 30) + p),
    "ipip": lambda p: (LINK_ETH, eth(0x0800, ipv4(TUN_A, TUN_B, 4 if p[0] >> 4 == 4 else 41, p, 0x7777))),
    "gre_key": lambda p: (LINK_ETH, eth(0x0800, ipv4(TUN_A, TUN_B, 47, struct.pack(
        ">HHI", 0x2000, et_of(p), 42) + p, 0x7777))),
    "gre_teb": lambda p: (LINK_ETH, eth(0x0800, ipv4(TUN_A, TUN_B, 47, struct.pack(
        ">HH", 0, 0x6558) + eth(et_of(p), p), 0x7777))),
    "vxlan": lambda p: (LINK_ETH, eth(0x0800, ipv4(TUN_A, TUN_B, 17, udp(
        50123, 4789, struct.pack(">II", 0x08000000, 99 << 8) + eth(et_of(p), p)), 0x7777))),
    # Overlays, mirrors and router links (testcaptures/overlay/ has them as captures).
    "geneve": lambda p: (LINK_ETH, eth(0x0800, ipv4(TUN_A, TUN_B, 17, udp(
        49159, 6081, struct.pack(">BBHI", 0, 0, 0x6558, 0xABCD00) + eth(et_of(p), p)), 0x7777))),
    "geneve_opt": lambda p: (LINK_ETH, eth(0x0800, ipv4(TUN_A, TUN_B, 17, udp(
        49159, 6081, struct.pack(">BBHIII", 2, 0, et_of(p), 0xABCD00, 0x01028001, 1) + p),
        0x7777))),
    "erspan_i": lambda p: (LINK_ETH, eth(0x0800, ipv4(TUN_A, TUN_B, 47, struct.pack(
        ">HH", 0, 0x88BE) + eth(et_of(p), p), 0x7777))),
    "erspan_ii": lambda p: (LINK_ETH, eth(0x0800, ipv4(TUN_A, TUN_B, 47, struct.pack(
        ">HHIII", 0x1000, 0x88BE, 1, 0x100A0007, 3) + eth(et_of(p), p), 0x7777))),
    "erspan_iii": lambda p: (LINK_ETH, eth(0x0800, ipv4(TUN_A, TUN_B, 47, struct.pack(
        ">HHIIIHHII", 0x1000, 0x22EB, 1, 0x200A0007, 0, 0, 1, 0x0C000012, 0) +
        eth(et_of(p), p), 0x7777))),
    "mpls_gre": lambda p: (LINK_ETH, eth(0x0800, ipv4(TUN_A, TUN_B, 47, struct.pack(
        ">HHI", 0, 0x8847, 0x003E9140) + p, 0x7777))),
    "mpls_udp": lambda p: (LINK_ETH, eth(0x0800, ipv4(TUN_A, TUN_B, 17, udp(
        49152, 6635, struct.pack(">II", 0x007D1040, 0x007D2140) + p), 0x7777))),
    "ip6gre": lambda p: (LINK_ETH, eth(0x86DD, ipv6(SRV6, CLI6, 47, struct.pack(
        ">HH", 0, et_of(p)) + p))),
    "in6": lambda p: (LINK_ETH, eth(0x86DD, ipv6(SRV6, CLI6, 4 if p[0] >> 4 == 4 else 41, p))),
    "nflog": lambda p: (LINK_NFLOG, struct.pack(">BBH", 2 if p[0] >> 4 == 4 else 10, 0, 5) +
                        struct.pack("<HH", 8, 1) + b"\x08\x00\x03\x00" +
                        struct.pack("<HH", 4 + len(p), 9) + p + bytes(-len(p) % 4)),
    "ppp": lambda p: (LINK_PPP, struct.pack(">HH", 0xFF03, 0x21 if p[0] >> 4 == 4 else 0x57) + p),
    "ppp_pfc": lambda p: (LINK_PPP, bytes([0x21 if p[0] >> 4 == 4 else 0x57]) + p),
    "chdlc": lambda p: (LINK_CHDLC, struct.pack(">BBH", 0x0F, 0, et_of(p)) + p),
}

# IPv6 hop-by-hop (8) -> routing (16) -> fragment (8, offset 0) -> TCP
EXT6 = (bytes([43, 0, 1, 4, 0, 0, 0, 0]) + bytes([44, 1]) + bytes(14) +
        struct.pack(">BBHI", 6, 0, 0, 7))


def record(code, frame):
    return struct.pack(">HHB", len(frame), len(frame), code) + frame


def main(argv):
    if len(argv) != 2:
        sys.stderr.write(__doc__)
        return 2
    os.makedirs(argv[1], exist_ok=True)
    stories = {"v4": story4(), "v6": story6(), "v6ext": story6(EXT6, 0), "v6big": story6_big()}
    n = 0
    # Every story under every wrapper; the port-less ones under a few.
    few = {k: WRAPPERS[k] for k in ("eth", "raw", "gre_key", "vxlan")}
    runs = [(wrap, packets) for wraps, tales in ((WRAPPERS, stories), (few, PORTLESS))
            for wrap in wraps.values() for packets in tales.values()]
    for wrap, packets in runs:
        seed = b"".join(record(*wrap(p)) for p in packets)
        with open(os.path.join(argv[1], hashlib.sha1(seed).hexdigest()), "wb") as f:
            f.write(seed)
        n += 1
    print("synth_seeds: %d seeds in %s" % (n, argv[1]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
