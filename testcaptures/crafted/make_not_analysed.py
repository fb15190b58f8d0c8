#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Captures for "never silent" (issue 10, section 2): ICMP frag-needed /
Packet Too Big that Wireshark dissects but pmtud cannot read, because they
travel in an encapsulation or a link type pmtud does not know.

Run with Debian's python3 (scapy 2.5):

    /usr/bin/python3 testcaptures/crafted/make_not_analysed.py

not_analysed_encap.pcap (Ethernet), each frame from 192.0.2.0/24 hosts
inside a tunnel between 10.0.0.1 and 10.0.0.2:

  1  GTP-U (UDP 2152, as mobile networks carry user traffic; Wireshark
     decodes it by default): the 1464-byte TCP packet 192.0.2.10:80 ->
     203.0.113.45:49321 (1500 bytes with the tunnel's headers; no ICMP:
     nothing to say)
  2  GTP-U: ICMP frag-needed from 192.0.2.1, MTU 1400, quoting frame 1's
     packet (548 bytes)                     -> pmtud.not_analysed, UDP port 2152
  3  GTP-U: ICMP echo request               -> nothing (not frag-needed)
  4  EtherIP (IP protocol 97, RFC 3378): Ethernet with an ICMPv6 Packet Too
     Big from 2001:db8::1, MTU 1280, quoting a 1500-byte TCP packet
                                            -> pmtud.not_analysed, IP protocol 97
  5  EtherIP: Ethernet with an ICMPv6 echo request -> nothing
  6  the frag-needed of frame 2 inside five IP-in-IP layers (protocol 4),
     one more than pmtud follows        -> pmtud.not_analysed, 4 nested tunnels
  7  the same, its outermost IPv4 total length ending 10 bytes into the
     frag-needed's own IP header: Wireshark reads no ICMP there (what
     follows the outer packet is a trailer) -> nothing

not_analysed_wlan.pcap (link type 105, IEEE 802.11, data frames with
LLC/SNAP, as captured on a Wi-Fi interface without radiotap):

  1  the ICMP frag-needed of frame 2 above  -> pmtud.not_analysed, link type
  2  an ICMP echo request                   -> nothing

Fixed timestamps, IDs and payloads: reruns give the same bytes. Check each
file against Wireshark's own dissection: tshark -V -r FILE.
"""

import os
import struct
import sys

from scapy.all import ICMP, IP, TCP, UDP, Ether, Raw, wrpcap
from scapy.layers.dot11 import Dot11
from scapy.layers.inet6 import ICMPv6EchoRequest, ICMPv6PacketTooBig, IPv6
from scapy.layers.l2 import LLC, SNAP

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "lib"))
import pcapgen  # noqa: E402
T0 = 1366189200  # 2013-04-17 09:00:00 UTC, as the other crafted captures

SRV, CLI, RTR = "192.0.2.10", "203.0.113.45", "192.0.2.1"
SRV6, CLI6, RTR6 = "2001:db8::10", "2001:db8:1::45", "2001:db8::1"
PAYLOAD = bytes(range(256)) * 6


def data_packet():
    """The TCP segment the router rejects: 1464 bytes, so that the tunnel
    (20 + 8 + 8 bytes) carries it in 1500."""
    return IP(src=SRV, dst=CLI, id=0x1234, flags="DF", ttl=64) / \
        TCP(sport=80, dport=49321, seq=0x3a2b1c0e, ack=0x7c1e9ad3, flags="A", window=502) / \
        Raw(PAYLOAD[:1424])


def frag_needed():
    quote = bytes(data_packet())[:548]
    return IP(src=RTR, dst=SRV, id=0x0101, ttl=64) / ICMP(type=3, code=4, nexthopmtu=1400) / \
        Raw(quote)


def echo4():
    return IP(src=RTR, dst=SRV, id=0x0102, ttl=64) / ICMP(type=8, id=0x4242, seq=1) / \
        Raw(b"pmtud-echo-" * 4)


def ptb6():
    data = IPv6(src=SRV6, dst=CLI6, hlim=64) / \
        TCP(sport=443, dport=50100, seq=0x11223344, ack=0x55667788, flags="A", window=502) / \
        Raw(PAYLOAD[:1440])
    quote = bytes(data)[:1232]
    return IPv6(src=RTR6, dst=SRV6, hlim=64) / ICMPv6PacketTooBig(mtu=1280) / Raw(quote)


def echo6():
    return IPv6(src=RTR6, dst=SRV6, hlim=64) / ICMPv6EchoRequest(id=0x4243, seq=1, data=b"pmtud" * 8)


def tunnel_ip(proto, ident):
    return IP(src="10.0.0.1", dst="10.0.0.2", id=ident, ttl=64, proto=proto)


def gtpu(inner, teid=0x1001):
    """GTP-U (3GPP TS 29.281): version 1, PT 1, G-PDU, no optional fields."""
    body = bytes(inner)
    return UDP(sport=2152, dport=2152) / Raw(struct.pack("!BBHI", 0x30, 0xff, len(body), teid) +
                                              body)


def etherip(inner):
    """EtherIP (RFC 3378): a 16-bit header, version 3, then the Ethernet frame."""
    frame = Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02") / inner
    return Raw(struct.pack("!H", 0x3000) + bytes(frame))


def nested_ipip(inner, layers, cut=None):
    """inner wrapped in `layers` IP-in-IP headers; with cut, the outermost
    total length ends `cut` bytes into inner (its checksum made anew)."""
    packet = inner
    for i in range(layers):
        packet = tunnel_ip(4, 0x0b00 + i) / packet
    if cut is None:
        return packet
    return IP(pcapgen.ipv4_with_total_length(bytes(packet), 20 * layers + cut))


def eth():
    return Ether(src="02:00:00:00:aa:01", dst="02:00:00:00:aa:02")


def stamp(frames):
    for i, f in enumerate(frames):
        f.time = T0 + i * 0.001
    return frames


def wlan(inner):
    return Dot11(type=2, subtype=0, FCfield="from-DS", ID=0, addr1="02:00:00:00:00:10",
                 addr2="02:00:00:00:00:01", addr3="02:00:00:00:00:01", SC=0) / \
        LLC(dsap=0xaa, ssap=0xaa, ctrl=3) / SNAP(OUI=0, code=0x0800) / inner


def main():
    encap = stamp([
        eth() / tunnel_ip(17, 0x0a01) / gtpu(data_packet()),
        eth() / tunnel_ip(17, 0x0a02) / gtpu(frag_needed()),
        eth() / tunnel_ip(17, 0x0a03) / gtpu(echo4()),
        eth() / tunnel_ip(97, 0x0a04) / etherip(ptb6()),
        eth() / tunnel_ip(97, 0x0a05) / etherip(echo6()),
        eth() / nested_ipip(frag_needed(), 5),
        eth() / nested_ipip(frag_needed(), 5, cut=10),
    ])
    wrpcap(os.path.join(HERE, "not_analysed_encap.pcap"), encap)
    wrpcap(os.path.join(HERE, "not_analysed_wlan.pcap"),
           stamp([wlan(frag_needed()), wlan(echo4())]), linktype=105)


if __name__ == "__main__":
    main()
