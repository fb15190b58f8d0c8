#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""reader_agreement.pcap: frames where pmtud must read no further than
Wireshark does, or it links an ICMP to a packet the user never sees. Each
case was found by fuzzing a capture through tshark (README, Tests); here it
is one frame, then an ICMP frag-needed quoting the packet hidden in it.

Run with Debian's python3 (scapy 2.5):

    /usr/bin/python3 testcaptures/crafted/make_reader_agreement.py [--check]

  1  UDP 7 -> 4789 carrying a VXLAN header and the 1400-byte TCP packet
     192.0.2.10:80 -> 203.0.113.45:49321 (seq A). Wireshark tries the
     lower port first: port 7 is echo, so it shows an echo datagram.
  2  ICMP frag-needed, MTU 1300, quoting seq A   -> not captured (no link)
  3  the same VXLAN from UDP 50000 -> 4789 (seq B): VXLAN, as on screen
  4  ICMP frag-needed, MTU 1300, quoting seq B   -> frame 3, legitimate
  5  GRE/ERSPAN type II mirror of the TCP packet (seq C) whose outer IPv4
     total length says 2: Wireshark calls it bogus and reads nothing inside
  6  ICMP frag-needed, MTU 1300, quoting seq C   -> not captured (no link)
  7  Geneve (UDP 6081) carrying the TCP packet (seq D) in Ethernet, whose
     outer IPv4 total length (37) ends one byte into the inner Ethernet
     header: Wireshark finds that header malformed and reads no IP inside;
     the bytes after the outer packet's end are a trailer, not its payload
  8  ICMP frag-needed, MTU 1300, quoting seq D   -> not captured (no link)
  9  GRE (RFC 1701) with the routing bit: checksum and offset word, one
     source route entry and the empty one, then the TCP packet (seq E);
     Wireshark reads the routing list and the packet after it
 10  ICMP frag-needed, MTU 1300, quoting seq E   -> frame 9, legitimate
 11  GRE with the checksum and routing bits but no routing list: the TCP
     packet (seq F) right after the checksum word. Wireshark reads its IP
     header as source route entries, runs past the packet's end and
     finds GRE malformed: no IP inside (found by a tshark fuzz campaign,
     seed 1024686: a mutated ERSPAN III mirror)
 12  ICMP frag-needed, MTU 1300, quoting seq F   -> not captured (no link)

--check compares each frame with tshark's own dissection (frame.protocols).
Fixed timestamps, IDs and payloads: reruns give the same bytes.
"""

import os
import struct
import subprocess
import sys

from scapy.all import GRE, ICMP, IP, TCP, UDP, Ether, Raw, wrpcap

from make_not_analysed import eth, stamp

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "lib"))
import pcapgen  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "reader_agreement.pcap")
SRV, CLI, RTR = "192.0.2.10", "203.0.113.45", "192.0.2.1"
SEQ_A, SEQ_B, SEQ_C, SEQ_D = 0x3a2b1c0e, 0x4a2b1c0e, 0x5a2b1c0e, 0x6a2b1c0e
SEQ_E, SEQ_F = 0x7a2b1c0e, 0x8a2b1c0e
PAYLOAD = bytes(range(256)) * 6


def data_packet(seq, ident):
    """A 1400-byte TCP segment: inside a tunnel, the frame stays under 1500."""
    return IP(src=SRV, dst=CLI, id=ident, flags="DF", ttl=64) / \
        TCP(sport=80, dport=49321, seq=seq, ack=0x7c1e9ad3, flags="A", window=502) / \
        Raw(PAYLOAD[:1360])


def frag_needed(packet, ident):
    return IP(src=RTR, dst=SRV, id=ident, ttl=64) / ICMP(type=3, code=4, nexthopmtu=1300) / \
        Raw(bytes(packet)[:548])


def vxlan(sport, inner, ident):
    """VXLAN (RFC 7348): flags with the VNI-valid bit, VNI 42, Ethernet inside."""
    frame = Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02") / inner
    return IP(src="10.0.0.1", dst="10.0.0.2", id=ident, ttl=64) / \
        UDP(sport=sport, dport=4789) / Raw(struct.pack("!II", 0x08000000, 42 << 8) + bytes(frame))


def erspan_bogus_length(inner, ident):
    """ERSPAN type II (GRE 0x88BE with a sequence number), outer total length 2."""
    frame = Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02") / inner
    erspan = struct.pack("!HHI", 0x1000 | 1, 0, 0)    # version 1 (type II), VLAN 1, session 0
    outer = IP(src="10.0.0.1", dst="10.0.0.2", id=ident, ttl=64) / \
        GRE(proto=0x88BE, seqnum_present=1, seqence_number=1) / Raw(erspan + bytes(frame))
    return IP(pcapgen.ipv4_with_total_length(bytes(outer), 2))


def geneve_cut_length(inner, ident):
    """Geneve (RFC 8926) without options, Ethernet inside (protocol 0x6558),
    VNI 42; the outer total length says 20 + 8 + 8 + 1: one byte of the
    inner Ethernet header lies inside the outer packet."""
    frame = Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02") / inner
    geneve = struct.pack("!HHI", 0, 0x6558, 42 << 8)
    outer = IP(src="10.0.0.1", dst="10.0.0.2", id=ident, ttl=64) / \
        UDP(sport=49159, dport=6081) / Raw(geneve + bytes(frame))
    return IP(pcapgen.ipv4_with_total_length(bytes(outer), 20 + 8 + 8 + 1))


def gre_routing(inner, ident, entries):
    """GRE version 0 carrying IPv4 with the routing bit set (and the
    checksum bit when there is no list: the bytes of `entries` follow the
    checksum and offset word as they are)."""
    flags = 0x4000 if entries else 0xc000
    header = struct.pack("!HHI", flags, 0x0800, 0) + entries
    return IP(src="10.0.0.1", dst="10.0.0.2", id=ident, ttl=64, proto=47) / \
        Raw(header + bytes(inner))


def frames():
    a, b, c = data_packet(SEQ_A, 0x1001), data_packet(SEQ_B, 0x1002), data_packet(SEQ_C, 0x1003)
    d = data_packet(SEQ_D, 0x1004)
    e, f = data_packet(SEQ_E, 0x1005), data_packet(SEQ_F, 0x1006)
    # One source route entry (family 0x0800, offset 0, 4 bytes) and the empty one.
    routes = struct.pack("!HBB", 0x0800, 0, 4) + bytes([192, 0, 2, 1]) + struct.pack("!HBB", 0, 0, 0)
    return stamp([
        eth() / vxlan(7, a, 0x0b01),
        eth() / frag_needed(a, 0x0201),
        eth() / vxlan(50000, b, 0x0b02),
        eth() / frag_needed(b, 0x0202),
        eth() / erspan_bogus_length(c, 0x0b03),
        eth() / frag_needed(c, 0x0203),
        eth() / geneve_cut_length(d, 0x0b04),
        eth() / frag_needed(d, 0x0204),
        eth() / gre_routing(e, 0x0b05, routes),
        eth() / frag_needed(e, 0x0205),
        eth() / gre_routing(f, 0x0b06, b""),
        eth() / frag_needed(f, 0x0206),
    ])


# What Wireshark must show of each frame (frame.protocols).
SHOWN = {
    1: "eth:ethertype:ip:udp:echo",
    2: "eth:ethertype:ip:icmp:ip:tcp",
    3: "eth:ethertype:ip:udp:vxlan:eth:ethertype:ip:tcp",
    4: "eth:ethertype:ip:icmp:ip:tcp",
    5: "eth:ethertype:ip",
    6: "eth:ethertype:ip:icmp:ip:tcp",
    7: "eth:ethertype:ip:udp:geneve:eth",
    8: "eth:ethertype:ip:icmp:ip:tcp",
    9: "eth:ethertype:ip:gre:ip:tcp",
    10: "eth:ethertype:ip:icmp:ip:tcp",
    11: "eth:ethertype:ip:gre",
    12: "eth:ethertype:ip:icmp:ip:tcp",
}


def check():
    out = subprocess.run(["tshark", "-n", "-r", OUT, "-T", "fields", "-e", "frame.number",
                          "-e", "frame.protocols"], capture_output=True, text=True, check=True)
    bad = 0
    for line in out.stdout.splitlines():
        n, protos = line.split("\t")
        if SHOWN.get(int(n)) != protos:
            print("CHECK FAILED: frame %s: tshark shows %s, want %s" % (n, protos, SHOWN.get(int(n))))
            bad += 1
    print("check: %s" % ("failed" if bad else "tshark's dissection agrees with every frame"))
    return 1 if bad else 0


def main():
    wrpcap(OUT, frames())
    print("wrote", OUT)
    return check() if "--check" in sys.argv else 0


if __name__ == "__main__":
    sys.exit(main())
