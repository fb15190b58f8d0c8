#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Generate testcaptures/crafted/lying_lengths.pcap (issue 12, section 2).

Run with Debian's python3 (scapy 2.5):

    /usr/bin/python3 testcaptures/crafted/make_lying_lengths.py

Frames whose IP header claims more than the frame holds -- the lengths a
scan of third-party captures found pmtud calling oversize: 29,492 bytes
claimed by a 66-byte frame, 36,168 by an 86-byte IPv6 frame, 2,570 by a
576-byte frame -- mixed with a real oversize frame and a real offload event,
so that the capture test proves pmtud stays silent on the liars and still
speaks on the real ones. Every frame's wire length equals its captured
length (nothing is cut by a snaplen): the headers lie, the capture does not.
Wireshark flags each liar ("IPv4 total length exceeds packet length", an error;
"IPv6 payload length exceeds framing length", a warning); checked with tshark -V.

    1-3   handshake 192.0.2.10:80 <-> 203.0.113.45:49321, MSS 1460 each way
    4     liar: 66 bytes, IPv4 total length 29,492 (would be oversize, by MSS)
    5     liar: 86 bytes, IPv6 payload length 36,128 (IP length 36,168)
    6     liar: 576 bytes, IPv4 total length 2,570
    7     real oversize: 2,960-byte IPv4 packet of another flow (over 1500)
    8-9   two 1460-byte segments of the handshake's flow...
    10    ...that a router quotes merged: total length 2,960, MTU 1500 (offload)
    11    liar: 66 bytes, total length 29,492, the flow's next segment...
    12    ...quoted at 30,000 by the router: no frame of the capture is matched
          (before issue 12, frame 11 was, with "29,492 bytes crossed the wire")

Deterministic: fixed timestamps, IDs, sequence numbers and payload bytes.
"""

import os
import struct

from scapy.layers.inet import ICMP, IP, TCP
from scapy.layers.inet6 import IPv6
from scapy.layers.l2 import Ether
from scapy.utils import RawPcapWriter

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "lying_lengths.pcap")
BASE_S = 1366189200          # 2013-04-17 09:00:00 UTC, as the other crafted captures

SRV, CLI, RTR = "192.0.2.10", "203.0.113.45", "192.0.2.1"
SRV6, CLI6 = "2001:db8::10", "2001:db8:1::45"
SRV_MAC, CLI_MAC, RTR_MAC = "02:00:00:00:00:0a", "02:00:00:00:00:2d", "02:00:00:00:00:01"
SPORT, CPORT = 80, 49321
SRV_ISN, CLI_ISN = 0x3A2B1C0D, 0x7C1E9A52
TS_OPT = [("NOP", None), ("NOP", None), ("Timestamp", (1000, 2000))]   # 12 bytes


def payload(n, seed):
    return bytes((seed + i) & 0xFF for i in range(n))


def to_cli(ip_id, seq, data=b"", options=None, ttl=64):
    return (Ether(src=SRV_MAC, dst=CLI_MAC) /
            IP(src=SRV, dst=CLI, id=ip_id, flags="DF", ttl=ttl) /
            TCP(sport=SPORT, dport=CPORT, seq=seq, ack=CLI_ISN + 1, flags="A",
                window=502, options=options or []) / data)


def lie_ipv4(frame, total):
    """The IPv4 total length says total; the header checksum is kept right,
    so only the length lies."""
    b = bytearray(bytes(frame))
    struct.pack_into("!HH", b, 14 + 2, total, 0)      # total length, checksum 0
    hdr = b[14:34]
    s = sum(struct.unpack("!10H", hdr))
    s = (s & 0xFFFF) + (s >> 16)
    s = (s & 0xFFFF) + (s >> 16)
    struct.pack_into("!H", b, 14 + 10, ~s & 0xFFFF)
    return bytes(b)


def frag_needed(quoted_ip, total, mtu):
    """ICMP fragmentation needed from the router, quoting the first 548
    bytes of quoted_ip with its total length set to total (as a router
    behind an offloading box quotes what it received)."""
    q = bytearray(lie_ipv4(Ether() / quoted_ip, total)[14:14 + 548])
    return bytes(Ether(src=RTR_MAC, dst=SRV_MAC) /
                 IP(src=RTR, dst=SRV, id=0x5A01, ttl=255) /
                 ICMP(type=3, code=4, nexthopmtu=mtu) / bytes(q))


def frames():
    seq = SRV_ISN + 1
    syn = (Ether(src=CLI_MAC, dst=SRV_MAC) /
           IP(src=CLI, dst=SRV, id=0x4101, flags="DF", ttl=57) /
           TCP(sport=CPORT, dport=SPORT, seq=CLI_ISN, flags="S", options=[("MSS", 1460)]))
    synack = (Ether(src=SRV_MAC, dst=CLI_MAC) /
              IP(src=SRV, dst=CLI, id=0, flags="DF", ttl=64) /
              TCP(sport=SPORT, dport=CPORT, seq=SRV_ISN, ack=CLI_ISN + 1, flags="SA",
                  options=[("MSS", 1460)]))
    ack = (Ether(src=CLI_MAC, dst=SRV_MAC) /
           IP(src=CLI, dst=SRV, id=0x4102, flags="DF", ttl=57) /
           TCP(sport=CPORT, dport=SPORT, seq=CLI_ISN + 1, ack=SRV_ISN + 1, flags="A"))
    liar66 = lie_ipv4(to_cli(0x0C30, seq, options=TS_OPT), 29492)
    liar86 = bytearray(bytes(
        Ether(src=SRV_MAC, dst=CLI_MAC, type=0x86DD) /
        IPv6(src=SRV6, dst=CLI6, hlim=64) /
        TCP(sport=SPORT, dport=CPORT, seq=seq, ack=CLI_ISN + 1, flags="A", options=TS_OPT)))
    struct.pack_into("!H", liar86, 14 + 4, 36168 - 40)
    liar576 = lie_ipv4(to_cli(0x0C31, seq, payload(576 - 54, 0x20)), 2570)
    # Another flow, no handshake in the capture: held to Ethernet's 1500.
    real_over = (Ether(src=SRV_MAC, dst=CLI_MAC) /
                 IP(src=SRV, dst=CLI, id=0x2222, flags="DF", ttl=64) /
                 TCP(sport=443, dport=50123, seq=0x11110000, ack=0x22220000, flags="A") /
                 payload(2920, 0x40))
    seg1 = to_cli(0x0C32, seq, payload(1460, 0x60))
    seg2 = to_cli(0x0C33, seq + 1460, payload(1460, 0x60 + 1460 % 256))
    liar_next = lie_ipv4(to_cli(0x0C34, seq + 2920, options=TS_OPT), 29492)
    out = [bytes(syn), bytes(synack), bytes(ack), liar66, bytes(liar86), liar576,
           bytes(real_over), bytes(seg1), bytes(seg2),
           frag_needed(seg1[IP], 2960, 1500),
           liar_next,
           frag_needed(IP(liar_next[14:]), 30000, 1500)]
    return out


def main():
    w = RawPcapWriter(OUT, linktype=1, snaplen=65535)
    w.write_header(None)
    for i, b in enumerate(frames()):
        w.write_packet(b, sec=BASE_S, usec=1000 * (i + 1), caplen=len(b), wirelen=len(b))
    w.close()
    print("wrote", OUT)


if __name__ == "__main__":
    main()
