#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Generate the crafted test captures for what the sender did, oversize
frames and black holes, and EXPECTED-reactions.md.

Run with Debian's python3 (scapy 2.5):

    /usr/bin/python3 testcaptures/crafted/make_reactions.py           # write
    /usr/bin/python3 testcaptures/crafted/make_reactions.py --check  # +verify
    /usr/bin/python3 testcaptures/crafted/make_reactions.py --derive F.pcap

The features (the plugin implements them; the facts here are the oracle):

A. Reaction: what the sender did after a frag-needed / Packet Too Big that
   is linked to a captured TCP frame (retransmit frame, outcome, time lost).
B. Oversize: frames larger than the link MTU (1500 on Ethernet, 1492 in a
   PPPoE session, IPv4 total length 0 = TSO) or carrying more TCP payload
   than the MSS the receiver announced in its SYN.
C. Black hole: full-size segments retransmitted without ACK and without any
   ICMP while smaller ones get through.

Six captures are written next to this script (same conventions as
make_crafted.py, whose Ethernet frame builders they use; the shared parts
are testcaptures/lib/pcapgen.py).

The facts live in testcaptures/expectations.json, for these captures and
for every other crafted, netns and real capture. The rules below (RULES)
are applied by one set of functions (reactions(), oversize(), blackhole())
to two readings of the packets: the model's own frames, before anything is
written (the captures' statements and their expectations.json entries must
agree with what the rules find), and, with --check, tshark's dissection of
every committed file (an independent reading: tshark, not this model).
--derive prints what the rules find in any capture (to write down the
facts of a new one).
"""

import decimal
import os
import struct
import sys

OUT_DIR = os.path.dirname(os.path.abspath(__file__))
TC_DIR = os.path.dirname(OUT_DIR)          # testcaptures/
sys.path.insert(0, OUT_DIR)
sys.path.insert(0, os.path.join(TC_DIR, "lib"))

import expectations  # noqa: E402
import pcapgen  # noqa: E402
from make_crafted import icmp4_frag_needed, ipv4_quote, tcp4  # noqa: E402
from pcapgen import (  # noqa: E402
    ether, http_get, http_post, http_response, parse_l3, prbytes,
    rewrite_ipv4_len, seq_text, tcp_flags)

ETH_MTU = 1500          # default link MTU assumed for Ethernet frames
PPPOE_MTU = 1492        # RFC 2516: 1500 - 6 (PPPoE) - 2 (PPP)
ETH_PPPOE_SESSION = 0x8864

# Outcome vocabulary (feature A).
WORKED = "pmtud_worked"
CROSSED = "same_size_crossed"
IGNORED = "icmp_ignored"
NONE = "no_retransmission"

# pmtud.oversize.limit_source of each kind of limit.
SOURCE_MSS, SOURCE_LINK, SOURCE_PPPOE = 1, 3, 4

# Captures the rules of this file cannot read (checked by other means).
NOT_HERE = {
    "netns/netns_nat_merged.pcap": "both sides of a NAT merged: derive_netns_nat.py",
    "crafted/windows_blackhole_sender.pcap": "SACK, DF: make_windows_blackhole.py --check",
    "crafted/windows_blackhole_receiver.pcap": "the receiver's view: make_windows_blackhole.py --check",
    "crafted/lying_lengths.pcap": "headers claiming more than the wire: make_lying_lengths.py",
}
# Families of captures made later, by generators with their own checks, in
# encapsulations, identities and offload shapes these rules do not model.
NOT_HERE_FAMILIES = {
    "overlay/": "tunnels and link types: make_overlay.py --check",
    "netns/netns_vxlan": "VXLAN: derive_netns_offload.py",
    "netns/netns_sender_tso_": "the sender's host before TSO: derive_netns_offload.py",
    "netns/netns_bigtcp_": "BIG TCP: derive_netns_offload.py",
    "crafted/quote_": "quotes without ports: make_quotes.py --check",
    "crafted/not_analysed_": "encapsulations pmtud does not read: make_not_analysed.py",
}


# ---------------------------------------------------------------------------
# Extra packet builders
# ---------------------------------------------------------------------------

def pppoe_tcp4(l2, session, src, dst, sport, dport, seq, ack, flags, ipid,
               payload=b"", ttl=64, win=64240, df=True):
    """TCP/IPv4 in a PPPoE session frame (ethertype 0x8864, PPP protocol
    0x0021 written on two bytes, no protocol field compression)."""
    ip = pcapgen.tcp_ip(4, src, dst, sport, dport, seq, ack, flags, payload,
                        ipid=ipid, ttl=ttl, win=win, df=df)
    return ether(*l2, struct.pack("!BBHH", 0x11, 0x00, session, len(ip) + 2)
                 + b"\x00\x21" + ip, ETH_PPPOE_SESSION)


def tso_len0(frame):
    """The same Ethernet/IPv4 frame with total length 0, as a capture above
    a TSO-capable NIC shows a super-segment; the IP header checksum is
    recomputed (the TCP checksum stays the one of the real length)."""
    return frame[:14] + rewrite_ipv4_len(frame[14:], 0)


# ---------------------------------------------------------------------------
# Capture model
# ---------------------------------------------------------------------------

def parse(data):
    """The model's own reading of an Ethernet or PPPoE-session frame."""
    off, link = 14, dict(l2="Ethernet")
    if struct.unpack("!H", data[12:14])[0] == ETH_PPPOE_SESSION:
        ver_type, code, sid, plen, proto = struct.unpack("!BBHHH", data[14:22])
        assert ver_type == 0x11 and code == 0 and proto == 0x0021
        off, link = 22, dict(l2="PPPoE", session=sid, pppoe_len=plen)
    d = parse_l3(data[off:])
    d.update(link, wire=len(data))
    if "quote" in d:
        d["quote"] = parse_l3(d["quote"])
    return d


class Frame(pcapgen.Frame):
    def __init__(self, *a):
        super().__init__(*a)
        self.p = parse(self.data)


class Capture(pcapgen.Capture):
    frame_class = Frame

    def __init__(self, filename, doc):
        super().__init__(filename, doc)
        self.reactions = []   # dicts, see react()
        self.oversize = []    # dicts, see size()
        self.blackhole = None
        self.notes = []

    def react(self, icmp, quoted, retransmit, outcome, delivered=None,
              acked_by=None, rejected_again_by=None, notes=""):
        """Expected reaction to one ICMP.  Everything given here is also
        re-derived by reactions() from the frames and asserted equal,
        so the stated intent and the packets cannot disagree."""
        self.reactions.append(dict(
            icmp=icmp, quoted=quoted, retransmit=retransmit, outcome=outcome,
            delivered=delivered, acked_by=acked_by,
            rejected_again_by=rejected_again_by, notes=notes))

    def size(self, frame, limit, source, oversize, notes=""):
        """Expected size verdict of one frame (feature B): its IP length (or
        TCP payload for an MSS limit) held against limit, from source."""
        self.oversize.append(dict(frame=frame, limit=limit, source=source,
                                  oversize=oversize, notes=notes))


def rule_frames(cap):
    """The model's frames in the form the rules read (see tshark_frames)."""
    t0 = cap.frames[0].t_us
    out = []
    for f in cap.frames:
        p = f.p
        r = dict(n=f.number, t=decimal.Decimal(f.t_us - t0) / 1000000,
                 wire=len(f.data), pppoe=p["l2"] == "PPPoE", kind="other",
                 outer=p["iplen"])
        if p["proto"] == 1 and p["icmptype"] == 3:
            q = p["quote"]
            r.update(kind="icmp", mtu=p["mtu"], q=dict(
                src=q["src"], dst=q["dst"], iplen=q["iplen"], id=q["id"],
                sport=q["sport"], dport=q["dport"], seq=q["seq"]))
        elif p["proto"] == 6:
            r.update(kind="tcp", src=p["src"], dst=p["dst"], iplen=p["iplen"],
                     id=p["id"], sport=p["sport"], dport=p["dport"],
                     seq=p["seq"], len=p["tcplen"], ack=p["ack"],
                     flags=p["tcpflags"], mss=p["mss"])
        out.append(r)
    return out


# ---------------------------------------------------------------------------
# The captures
# ---------------------------------------------------------------------------

ROUTER, SERVER = "192.0.2.1", "192.0.2.10"
RTR_MAC, SRV_MAC = "52:54:00:6b:02:01", "52:54:00:6b:02:0a"
C2S, S2C = (RTR_MAC, SRV_MAC), (SRV_MAC, RTR_MAC)


def _handshake(cap, cli, cport, c_isn, s_isn, t_ack, c_ipid, c_mss=1460,
               s_mss=1460, sport=80, ttl=57):
    """SYN, SYN-ACK, ACK; returns (C1, S1, client IP ID counter)."""
    cap.flow(cli, cport, SERVER, sport, c_isn, s_isn)
    C1, S1 = c_isn + 1, s_isn + 1
    cap.add(0.0, tcp4(C2S, cli, SERVER, cport, sport, c_isn, 0, "S", c_ipid,
                      ttl=ttl, mss=c_mss), "client SYN (MSS %d)" % c_mss)
    cap.add(0.000030, tcp4(S2C, SERVER, cli, sport, cport, s_isn, C1, "SA",
                           0x0000, mss=s_mss),
            "server SYN-ACK (MSS %d)" % s_mss)
    cap.add(t_ack, tcp4(C2S, cli, SERVER, cport, sport, C1, S1, "A",
                        c_ipid + 1, ttl=ttl), "client ACK")
    return C1, S1


def reaction_worked():
    """PMTUD works: the server sends one full-size segment (1460 bytes, IP
    len 1500, DF), a router whose next hop has MTU 1400 answers ICMP
    frag-needed MTU 1400 quoting it, and 50 ms after the ICMP the server
    resends the same bytes as 1360 + 100 (IP len 1400 and 140), which the
    client acknowledges with one ACK.
    """
    cap = Capture("reaction_worked.pcap", reaction_worked.__doc__)
    CLI = "198.51.100.21"
    cap.host("client (remote)", "via router", CLI)
    cap.host("router (next hop MTU 1400)", RTR_MAC, ROUTER)
    cap.host("server (sender, capture point)", SRV_MAC, SERVER)
    CP = 50721
    C1, S1 = _handshake(cap, CLI, CP, 0x1F2E3D4C, 0x3A2B1C0D, 0.024000,
                        0x6B01)
    get = http_get("/worked.bin", "www.example.com")
    resp = http_response(1460, "worked-body")
    AG = C1 + len(get)
    cap.add(0.024200, tcp4(C2S, CLI, SERVER, CP, 80, C1, S1, "PA", 0x6B03,
                           get, ttl=57), "client HTTP GET")
    big = cap.add(0.024400, tcp4(S2C, SERVER, CLI, 80, CP, S1, AG, "PA",
                                 0x4F10, resp),
                  "response, one 1460-byte segment (rejected)")
    icmp = cap.add(0.024700, icmp4_frag_needed(
        (RTR_MAC, SRV_MAC), ROUTER, SERVER, 0xA201, 1400,
        ipv4_quote(big.data)), "router ICMP frag-needed MTU 1400")
    r1 = cap.add(0.074700, tcp4(S2C, SERVER, CLI, 80, CP, S1, AG, "A",
                                0x4F11, resp[:1360]),
                 "resend part 1, 1360 bytes (IP len 1400)")
    cap.add(0.074706, tcp4(S2C, SERVER, CLI, 80, CP, S1 + 1360, AG, "PA",
                           0x4F12, resp[1360:]),
            "resend part 2, 100 bytes (IP len 140)")
    ack = cap.add(0.099000, tcp4(C2S, CLI, SERVER, CP, 80, AG, S1 + 1460, "A",
                                 0x6B04, ttl=57), "client ACK of all data")
    cap.react(icmp, big, r1, WORKED, delivered=r1, acked_by=ack,
              notes="""The retransmit frame starts at the quoted seq and has
              IP len 1400 <= MTU 1400 (< the rejected 1500); the client's
              ACK covers all 1460 bytes. Time lost = resend (0.074700) -
              rejected frame (0.024400).""")
    return cap


def reaction_ignored():
    """The sender ignores the ICMP: after the first 1500-byte segment is
    rejected (MTU 1400) it retransmits the SAME 1460 bytes at the same size
    (IP len 1500, new IP ID each time) on its RTO schedule, 1 s, 3 s and 7 s
    after the first transmission; the router rejects each copy with a new
    ICMP frag-needed MTU 1400 quoting that copy. The client never gets the
    data; 2 s after the last ICMP it gives up and sends a FIN (which does
    not acknowledge the data), and the capture ends.
    """
    cap = Capture("reaction_ignored.pcap", reaction_ignored.__doc__)
    CLI = "198.51.100.22"
    cap.host("client (remote)", "via router", CLI)
    cap.host("router (next hop MTU 1400)", RTR_MAC, ROUTER)
    cap.host("server (sender ignoring ICMP, capture point)", SRV_MAC, SERVER)
    CP = 50722
    C1, S1 = _handshake(cap, CLI, CP, 0x2A3B4C5D, 0x3A2B1C0D, 0.021000,
                        0x6C01)
    get = http_get("/ignored.bin", "www.example.com")
    resp = http_response(1460, "ignored-body")
    AG = C1 + len(get)
    cap.add(0.021200, tcp4(C2S, CLI, SERVER, CP, 80, C1, S1, "PA", 0x6C03,
                           get, ttl=57), "client HTTP GET")
    t0 = 0.021400
    sends, icmps = [], []
    for i, dt in enumerate((0.0, 1.0, 3.0, 7.0)):
        s = cap.add(t0 + dt, tcp4(S2C, SERVER, CLI, 80, CP, S1, AG, "PA",
                                  0x5100 + i, resp),
                    "1460-byte segment, %s (IP ID 0x%04x)" % (
                        "first transmission" if i == 0 else
                        "retransmission %d, same size, +%d s" % (i, dt),
                        0x5100 + i))
        ic = cap.add(t0 + dt + 0.000300, icmp4_frag_needed(
            (RTR_MAC, SRV_MAC), ROUTER, SERVER, 0xA301 + i, 1400,
            ipv4_quote(s.data)),
            "router ICMP frag-needed MTU 1400, quotes IP ID 0x%04x"
            % (0x5100 + i))
        sends.append(s)
        icmps.append(ic)
    cap.add(t0 + 7.000300 + 2.0, tcp4(C2S, CLI, SERVER, CP, 80, AG, S1, "FA",
                                      0x6C04, ttl=57),
            "client gives up: FIN (ack = rel 1, data not acknowledged)")
    for i in range(3):
        cap.react(icmps[i], sends[i], sends[i + 1], IGNORED,
                  rejected_again_by=icmps[i + 1],
                  notes="""Resent at the same IP len 1500 and rejected again
                  by ICMP frame %d. Never delivered: no ACK covers the
                  quoted seq before the capture ends."""
                  % icmps[i + 1].number)
    cap.react(icmps[3], sends[3], None, NONE,
              notes="""Last of the series: nothing resends the data before
              the capture ends (2.000000 s after this ICMP). The client's
              FIN acknowledges only up to rel 1 (ack == quoted seq does not
              cover the quoted byte).""")
    return cap


def reaction_none():
    """No retransmission at all: a keep-alive HTTP connection where the
    server's first response segment (300 bytes) is acknowledged, its second
    (1460 bytes, IP len 1500) is rejected by ICMP frag-needed MTU 1400, and
    for the remaining 5 s of the capture the only traffic is the client's
    pipelined requests and the server's pure ACKs (zero payload, seq = the
    end of the rejected data). The client's ACK number stays at the first
    rejected byte (ack == quoted seq: not acknowledged). Nothing resends
    the rejected bytes before the capture ends.
    """
    cap = Capture("reaction_none.pcap", reaction_none.__doc__)
    CLI = "198.51.100.23"
    cap.host("client (remote)", "via router", CLI)
    cap.host("router (next hop MTU 1400)", RTR_MAC, ROUTER)
    cap.host("server (sender, capture point)", SRV_MAC, SERVER)
    CP = 50723
    C1, S1 = _handshake(cap, CLI, CP, 0x3B4C5D6E, 0x3A2B1C0D, 0.019000,
                        0x6D01)
    reqs = [http_get("/none-%d.bin" % i, "www.example.com") for i in range(4)]
    resp = http_response(300 + 1460, "none-body")
    cseq = C1
    cap.add(0.019200, tcp4(C2S, CLI, SERVER, CP, 80, cseq, S1, "PA", 0x6D03,
                           reqs[0], ttl=57), "client request 1")
    cseq += len(reqs[0])
    cap.add(0.019400, tcp4(S2C, SERVER, CLI, 80, CP, S1, cseq, "PA", 0x5200,
                           resp[:300]), "response part 1, 300 bytes")
    cap.add(0.038400, tcp4(C2S, CLI, SERVER, CP, 80, cseq, S1 + 300, "A",
                           0x6D04, ttl=57), "client ACK of part 1")
    big = cap.add(0.038600, tcp4(S2C, SERVER, CLI, 80, CP, S1 + 300, cseq,
                                 "PA", 0x5201, resp[300:]),
                  "response part 2, 1460 bytes (rejected)")
    icmp = cap.add(0.038900, icmp4_frag_needed(
        (RTR_MAC, SRV_MAC), ROUTER, SERVER, 0xA401, 1400,
        ipv4_quote(big.data)), "router ICMP frag-needed MTU 1400")
    snd_nxt = S1 + 300 + 1460
    ipid = [0x6D05, 0x5202]
    for i, dt in enumerate((0.5, 2.5)):
        cap.add(0.038900 + dt, tcp4(C2S, CLI, SERVER, CP, 80, cseq, S1 + 300,
                                    "PA", ipid[0], reqs[i + 1], ttl=57),
                "client pipelined request %d (ack = quoted seq)" % (i + 2))
        ipid[0] += 1
        cseq += len(reqs[i + 1])
        cap.add(0.038900 + dt + 0.000040, tcp4(
            S2C, SERVER, CLI, 80, CP, snd_nxt, cseq, "A", ipid[1]),
            "server pure ACK (len 0, seq = end of rejected data)")
        ipid[1] += 1
    cap.add(0.038900 + 4.999960, tcp4(C2S, CLI, SERVER, CP, 80, cseq,
                                      S1 + 300, "PA", ipid[0], reqs[3],
                                      ttl=57),
            "client pipelined request 4 (ack = quoted seq)")
    cseq += len(reqs[3])
    cap.add(0.038900 + 5.0, tcp4(S2C, SERVER, CLI, 80, CP, snd_nxt, cseq,
                                 "A", ipid[1]),
            "server pure ACK; last frame, 5.000000 s after the ICMP")
    cap.react(icmp, big, None, NONE,
              notes="""The server's later frames are pure ACKs (len 0) whose
              seq (rel 1761) is past the rejected bytes (rel 301..1760):
              zero-length segments never count as a retransmission. The
              client's ACKs stay at rel 301 = the quoted seq, which does not
              acknowledge the quoted byte.""")
    return cap


def oversize_link_mtu():
    """Frames too big for the link at the capture point, with no TCP
    handshake in the capture (so no MSS is known and only the link MTU
    applies): on plain Ethernet (default MTU 1500) a 1500-byte packet
    (fine), a 1600-byte packet and a 9000-byte jumbo packet (both oversize);
    in a PPPoE session (ethertype 0x8864, PPP protocol 0x0021, MTU 1492) a
    1500-byte packet (oversize) and a 1492-byte packet (fine); and one IPv4
    frame whose total length field is 0 while it carries 2000 bytes of TCP
    payload (frame 2054 bytes: a TSO super-segment captured above the NIC;
    Wireshark takes the IP length from the frame, 2040). The ACKs in the
    other direction are small and fine.
    """
    cap = Capture("oversize_link_mtu.pcap", oversize_link_mtu.__doc__)
    CA, CB, CD = "198.51.100.31", "192.0.2.30", "198.51.100.32"
    NAS_IP, PPP_CLI = "203.0.113.50", "100.64.0.10"
    CPE_MAC, BRAS_MAC = "52:54:00:6b:02:20", "52:54:00:6b:02:21"
    cap.host("web client (remote, flow A)", "via router", CA)
    cap.host("NFS client, jumbo-frame LAN (flow B)", "52:54:00:6b:02:1e", CB)
    cap.host("TSO client (remote, flow D)", "via router", CD)
    cap.host("router", RTR_MAC, ROUTER)
    cap.host("server (capture point, flows A, B, D)", SRV_MAC, SERVER)
    cap.host("PPPoE client / CPE (flow C, session 0x1a2b)", CPE_MAC, PPP_CLI)
    cap.host("PPPoE peer / BRAS side web server (flow C)", BRAS_MAC, NAS_IP)
    NFS_MAC = "52:54:00:6b:02:1e"
    A_ISN, B_ISN, C_ISN, D_ISN = 0x41414141, 0x42424242, 0x43434343, 0x44444444
    pa = prbytes("oversize-a", 1460 + 1560)
    f1 = cap.add(0.0, tcp4(S2C, SERVER, CA, 443, 50131, A_ISN, 0x0A0B0C0D,
                           "A", 0x5301, pa[:1460]),
                 "flow A: 1460 bytes, IP len 1500")
    f2 = cap.add(0.000120, tcp4(S2C, SERVER, CA, 443, 50131, A_ISN + 1460,
                                0x0A0B0C0D, "PA", 0x5302, pa[1460:]),
                 "flow A: 1560 bytes, IP len 1600")
    f3 = cap.add(0.020000, tcp4(C2S, CA, SERVER, 50131, 443, 0x0A0B0C0D,
                                A_ISN + 3020, "A", 0x7101, ttl=57),
                 "flow A: client ACK")
    f4 = cap.add(0.030000, tcp4((SRV_MAC, NFS_MAC), SERVER, CB, 2049, 801,
                                B_ISN, 0x0B0C0D0E, "PA", 0x5303,
                                prbytes("oversize-b", 8960)),
                 "flow B: jumbo, 8960 bytes, IP len 9000")
    f5 = cap.add(0.030400, tcp4((NFS_MAC, SRV_MAC), CB, SERVER, 801, 2049,
                                0x0B0C0D0E, B_ISN + 8960, "A", 0x7201),
                 "flow B: client ACK")
    pc = http_post(1460 + 1452, "oversize-c")
    f6 = cap.add(0.040000, pppoe_tcp4((CPE_MAC, BRAS_MAC), 0x1A2B, PPP_CLI,
                                      NAS_IP, 50133, 80, C_ISN, 0x0C0D0E0F,
                                      "A", 0x5304, pc[:1460]),
                 "flow C, PPPoE: 1460 bytes, IP len 1500")
    f7 = cap.add(0.040100, pppoe_tcp4((CPE_MAC, BRAS_MAC), 0x1A2B, PPP_CLI,
                                      NAS_IP, 50133, 80, C_ISN + 1460,
                                      0x0C0D0E0F, "PA", 0x5305, pc[1460:]),
                 "flow C, PPPoE: 1452 bytes, IP len 1492")
    f8 = cap.add(0.060000, pppoe_tcp4((BRAS_MAC, CPE_MAC), 0x1A2B, NAS_IP,
                                      PPP_CLI, 80, 50133, 0x0C0D0E0F,
                                      C_ISN + 2912, "A", 0x7301, ttl=55),
                 "flow C, PPPoE: server ACK")
    f9 = cap.add(0.070000, tso_len0(tcp4(S2C, SERVER, CD, 8443, 50134, D_ISN,
                                         0x0D0E0F10, "PA", 0x5306,
                                         prbytes("oversize-d", 2000))),
                 "flow D: IPv4 total length 0 (TSO), 2000 bytes, frame 2054")
    f10 = cap.add(0.070500, tcp4(C2S, CD, SERVER, 50134, 8443, 0x0D0E0F10,
                                 D_ISN + 2000, "A", 0x7401, ttl=57),
                  "flow D: client ACK")
    E, P = "link default (Ethernet)", "PPPoE session"
    cap.size(f1, ETH_MTU, E, False)
    cap.size(f2, ETH_MTU, E, True)
    cap.size(f3, ETH_MTU, E, False)
    cap.size(f4, ETH_MTU, E, True,
             "jumbo frame: oversize against the 1500 default (the capture "
             "cannot know the LAN's real MTU)")
    cap.size(f5, ETH_MTU, E, False)
    cap.size(f6, PPPOE_MTU, P, True, "1500 > 1492")
    cap.size(f7, PPPOE_MTU, P, False, "exactly 1492")
    cap.size(f8, PPPOE_MTU, P, False)
    cap.size(f9, ETH_MTU, E, True,
             "IPv4 total length field 0 (TSO); IP length from the frame: "
             "2054 - 14 = 2040 (what tshark shows as ip.len)")
    cap.size(f10, ETH_MTU, E, False)
    cap.notes.append("No handshake is captured, so no MSS is known for any "
                     "flow: only link-MTU limits apply.")
    return cap


def oversize_mss():
    """MSS limits from a captured handshake: the client announces MSS 1200,
    the server MSS 1460. The client uploads 1460 bytes (IP len 1500: fine,
    the server accepts 1460). The server answers with 1200 bytes (fine),
    then 2400 bytes in one frame (IP len 2440: twice the client's MSS, and
    larger than the 1500 link MTU as well: a TSO super-segment at the
    capture point), then 1460 bytes (IP len 1500: fits the link, but 260
    bytes more than the client's MSS 1200). The client ACKs everything.
    """
    cap = Capture("oversize_mss.pcap", oversize_mss.__doc__)
    CLI = "198.51.100.40"
    cap.host("client (remote, MSS 1200)", "via router", CLI)
    cap.host("router", RTR_MAC, ROUTER)
    cap.host("server (capture point, MSS 1460)", SRV_MAC, SERVER)
    CP = 50300
    C1, S1 = _handshake(cap, CLI, CP, 0x5A5B5C5D, 0x3A2B1C0D, 0.018000,
                        0x7501, c_mss=1200, s_mss=1460)
    up = http_post(1460, "mss-upload")
    down = http_response(1200 + 2400 + 1460, "mss-download")
    c_end = C1 + 1460
    f4 = cap.add(0.018200, tcp4(C2S, CLI, SERVER, CP, 80, C1, S1, "PA",
                                0x7503, up, ttl=57),
                 "client HTTP POST, 1460 bytes (IP len 1500)")
    cap.add(0.018260, tcp4(S2C, SERVER, CLI, 80, CP, S1, c_end, "A", 0x5401),
            "server ACK")
    f6 = cap.add(0.018400, tcp4(S2C, SERVER, CLI, 80, CP, S1, c_end, "PA",
                                0x5402, down[:1200]),
                 "server data, 1200 bytes (IP len 1240)")
    cap.add(0.036400, tcp4(C2S, CLI, SERVER, CP, 80, c_end, S1 + 1200, "A",
                           0x7504, ttl=57), "client ACK")
    f8 = cap.add(0.036600, tcp4(S2C, SERVER, CLI, 80, CP, S1 + 1200, c_end,
                                "PA", 0x5403, down[1200:3600]),
                 "server data, 2400 bytes (IP len 2440)")
    cap.add(0.054600, tcp4(C2S, CLI, SERVER, CP, 80, c_end, S1 + 3600, "A",
                           0x7505, ttl=57), "client ACK")
    f10 = cap.add(0.054800, tcp4(S2C, SERVER, CLI, 80, CP, S1 + 3600, c_end,
                                 "PA", 0x5404, down[3600:]),
                  "server data, 1460 bytes (IP len 1500)")
    cap.add(0.072800, tcp4(C2S, CLI, SERVER, CP, 80, c_end, S1 + 5060, "A",
                           0x7506, ttl=57), "client ACK")
    M = "peer MSS (SYN-ACK frame 2)"
    Mc = "peer MSS (SYN frame 1)"
    cap.size(f4, 1460, M, False, "client payload 1460 <= server's MSS 1460; "
             "IP len 1500 <= link 1500")
    cap.size(f6, 1200, Mc, False, "payload 1200 <= client's MSS 1200")
    cap.size(f8, 1200, Mc, True, "payload 2400 > client's MSS 1200")
    cap.size(f8, ETH_MTU, "link default (Ethernet)", True,
             "IP len 2440 > 1500 as well")
    cap.size(f10, 1200, Mc, True,
             "payload 1460 > client's MSS 1200 although IP len 1500 fits "
             "the link: only the MSS check catches it")
    cap.notes.append("The SYN/SYN-ACK (frames 1-2) and the pure ACKs are "
                     "not oversize. Every frame not listed below is within "
                     "both limits.")
    return cap


def blackhole_crafted():
    """A PMTUD black hole seen from the sender: the path drops packets
    larger than its MTU and no ICMP comes back. Handshake with MSS 1460 on
    both sides, a request, then three small 500-byte segments (IP len 540)
    that are each acknowledged. The next segment is full-size (1460 bytes,
    IP len 1500, DF): it is sent 4 times, with exponential backoff (0.2,
    0.4, 0.8 s between the copies), without any ACK and without any ICMP.
    When the next timeout (1.6 s) expires the sender's black-hole detection
    (as Windows does) falls back to MSS 536 and resends the same 1460 bytes
    as 536 + 536 + 388 (IP len 576, 576, 428); they are acknowledged.
    """
    cap = Capture("blackhole_crafted.pcap", blackhole_crafted.__doc__)
    CLI = "198.51.100.50"
    cap.host("client (remote)", "via router", CLI)
    cap.host("router (drops > 1400 silently: no ICMP)", RTR_MAC, ROUTER)
    cap.host("server (sender, capture point)", SRV_MAC, SERVER)
    CP = 50500
    C1, S1 = _handshake(cap, CLI, CP, 0x6A6B6C6D, 0x3A2B1C0D, 0.030000,
                        0x7601)
    req = http_get("/blackhole.bin", "www.example.com")
    AG = C1 + len(req)
    cap.add(0.030200, tcp4(C2S, CLI, SERVER, CP, 80, C1, S1, "PA", 0x7603,
                           req, ttl=57), "client request")
    body = http_response(3 * 500 + 1460, "blackhole-body")
    small, small_acks = [], []
    sid = 0x5500
    for i in range(3):
        small.append(cap.add(
            0.030400 + 0.030200 * i,
            tcp4(S2C, SERVER, CLI, 80, CP, S1 + 500 * i, AG, "PA", sid,
                 body[500 * i:500 * (i + 1)]),
            "small segment %d, 500 bytes (IP len 540)" % (i + 1)))
        sid += 1
        small_acks.append(cap.add(
            0.060400 + 0.030200 * i,
            tcp4(C2S, CLI, SERVER, CP, 80, AG, S1 + 500 * (i + 1), "A",
                 0x7604 + i, ttl=57),
            "client ACK of small segment %d" % (i + 1)))
    X = S1 + 1500
    big = body[1500:]
    full = []
    t = 0.121000
    for i, gap in enumerate((0.0, 0.2, 0.4, 0.8)):
        t += gap
        full.append(cap.add(t, tcp4(S2C, SERVER, CLI, 80, CP, X, AG, "PA",
                                    sid, big),
                            "full-size segment, 1460 bytes (IP len 1500), %s"
                            % ("first transmission" if i == 0 else
                               "retransmission %d (+%.1f s)" % (i, gap))))
        sid += 1
    t += 1.6
    fb = []
    for i, (a, b) in enumerate(((0, 536), (536, 1072), (1072, 1460))):
        fb.append(cap.add(t + 0.000006 * i, tcp4(
            S2C, SERVER, CLI, 80, CP, X + a, AG, "PA" if b == 1460 else "A",
            sid, big[a:b]),
            "fallback to MSS 536: %d bytes (IP len %d)" % (b - a,
                                                          b - a + 40)))
        sid += 1
    ack = cap.add(t + 0.030000, tcp4(C2S, CLI, SERVER, CP, 80, AG, X + 1460,
                                     "A", 0x7607, ttl=57),
                  "client ACK of all data")
    cap.blackhole = dict(
        full=full, small=small, small_acks=small_acks, fallback=fb,
        fallback_ack=ack, largest_through=576, clamp=536,
        smallest_lost=1500, gaps="0.200000, 0.400000, 0.800000 (then "
        "1.600000 until the fallback)",
        notes="""No ICMP at all in the file. The 4 full-size copies carry
        the same seq (rel 1501) and bytes with new IP IDs. Largest IP len
        acknowledged in the server->client direction: 576 (the 536-byte
        fallback segments; the small segments are 540). Smallest IP len
        sent and never acknowledged as sent: 1500. So the path MTU lies in
        [576, 1499]; clamp the MSS to 576 - 40 = 536 (what the capture
        proves; the real MTU may be larger). Time lost = first delivered
        transmission of the bytes (fallback frame, 3.121000) - first
        transmission (0.121000) = 3.000000 s.""")
    return cap


CAPTURES = [reaction_worked, reaction_ignored, reaction_none,
            oversize_link_mtu, oversize_mss, blackhole_crafted]



# ---------------------------------------------------------------------------
# EXPECTED-reactions.md
# ---------------------------------------------------------------------------

def describe(cap, f):
    p = f.p
    l3 = "IPv4 ID 0x%04x%s, IP len %d" % (p["id"], ", DF" if p["df"] else "",
                                          p["iplen"])
    if p["totlen"] == 0:
        l3 = ("IPv4 ID 0x%04x%s, **IP total length field 0** (TSO), IP len "
              "from the frame %d" % (p["id"], ", DF" if p["df"] else "",
                                     p["iplen"]))
    l2 = ""
    if p["l2"] == "PPPoE":
        l2 = "PPPoE session 0x%04x (PPPoE length %d), PPP 0x0021; " % (
            p["session"], p["pppoe_len"])
    if p["proto"] == 1:
        q = p["quote"]
        return ("%sICMP %s -> %s type %d code %d, MTU %d, quotes %s:%d -> "
                "%s:%d seq 0x%08x IP ID 0x%04x IP len %d; %s, wire %d" % (
                    l2, p["src"], p["dst"], p["icmptype"], p["icmpcode"],
                    p["mtu"], q["src"], q["sport"], q["dst"], q["dport"],
                    q["seq"], q["id"], q["iplen"], l3, p["wire"]))
    mss = " MSS %d" % p["mss"] if p["mss"] else ""
    return "%sTCP %s:%d -> %s:%d %s %s len %d%s; %s, wire %d" % (
        l2, p["src"], p["sport"], p["dst"], p["dport"], tcp_flags(p["tcpflags"]),
        seq_text(cap.isn, p), p["tcplen"], mss, l3, p["wire"])



RULES = """\
## Rules (what the facts below mean)

Conventions as in EXPECTED.md: frame numbers are 1-based (`frame.number`),
`t` is `frame.time_relative` in seconds, `seq`/`ack` are absolute
(`tshark -o tcp.relative_sequence_numbers:FALSE`; inside an ICMP quote
`tcp.seq` is always absolute), `IP len` is the IPv4 total length or 40 +
payload length for IPv6, `wire` is `frame.len`. Times are exact to the
microsecond (all files have microsecond timestamps).

### A. Reaction to a frag-needed / Packet Too Big

For an ICMP that pmtud linked to a captured TCP frame Q (the **quoted
frame**), with quoted sequence number S (the first rejected byte), cited MTU
M, and flow F = the quote's (source, source port, destination, destination
port):

* **retransmit frame** R: the first frame *after the ICMP* in flow F (same
  direction) with TCP payload length > 0 whose payload contains byte S,
  i.e. `seq <= S < seq + len` (mod 2^32). It need not start at S (a
  re-segmenting sender starts earlier: zeek_smtp, netns_legit_tcp4). Pure
  ACKs, SYNs and FINs without payload never count.
* **rejected length** Lq: the IP length of Q on the wire, at the layer the
  quote describes (inner IPv6 for 6in4); NOT the quoted length (an offload
  artefact quotes 2960 for a 1500-byte wire frame). **Resend length** Lr:
  the same for R.
* **acknowledged**: a frame of the reverse flow with the ACK flag whose ack
  number covers S, i.e. `ack > S` (mod 2^32; `ack == S` does NOT cover S).
  **acked by** = the first such frame after the ICMP. **delivered** = the
  latest frame of F carrying S sent before that ACK (the transmission that
  got through).
* **outcome**, first match wins:
  1. `no_retransmission`: there is no R. Report how long the capture
     continues after the ICMP: t(last frame of the file) - t(ICMP).
  2. `icmp_ignored`: R is itself rejected by a later ICMP (the quote of a
     later ICMP matches R: same seq and IP ID). In these captures R then has
     the same IP length as Q.
  3. `same_size_crossed`: Lr == Lq, and R is acknowledged without a new
     ICMP (the seed story: the rejection was an artefact).
  4. `pmtud_worked`: Lr <= M (and Lr < Lq), acknowledged.
  Note the order: in the seed, Lr = 1500 <= M = 1500 too, but Lr == Lq, so
  it is `same_size_crossed`, not `pmtud_worked`.
* **time lost** = t(delivered) - t(Q), in seconds. For `icmp_ignored` and
  `no_retransmission` nothing is delivered before the capture ends: there is
  no time lost value ("not delivered").

### B. Oversize frames

* Link MTU: the outer IP length of every frame (IPv4 total length, IPv6 40 +
  payload length; for IPv4 with total length 0, the length from the frame,
  as tshark's `ip.len` shows it) against 1500 on Ethernet (the default
  assumption) or 1492 in a PPPoE session frame (ethertype 0x8864).
  Oversize when larger (equal is fine).
* MSS: when the handshake is in the capture, the TCP payload length of each
  data frame against the MSS option the *receiver* of that frame announced in
  its SYN / SYN-ACK (the inner TCP in a tunnel). Oversize when larger.
* A frame can be oversize against both.

### C. Black hole

Full-size segments (the same seq) transmitted again and again with no ACK
covering them and no ICMP at all in the file, while smaller segments in the
same direction are acknowledged. Facts: the frames of the full-size copies,
the first smaller frame carrying the same bytes and the ACK that covers it,
the largest IP length that was acknowledged in that direction, and the MSS to
clamp to (= that length - 40 for IPv4).
"""




def render(caps, cases):
    out = []
    w = out.append
    w("# Reactions, oversize frames, black holes: expected facts")
    w("")
    w("Generated by `make_reactions.py`: the crafted captures' sections from "
      "the model that builds the packets, the summary tables from "
      "`testcaptures/expectations.json` (what the capture tests assert). Do "
      "not edit by hand; change the generator or the expectations and rerun "
      "it. Verify every fact against the pcap files with tshark:")
    w("")
    w("    /usr/bin/python3 testcaptures/crafted/make_reactions.py --check")
    w("")
    w("The real-kernel black hole (`netns/netns_blackhole_tcp4.pcap`) is "
      "described in `netns/EXPECTED-blackhole.md`.")
    w("")
    w(RULES)
    w("## Summary")
    w("")
    w("| capture | ICMP | MTU | quoted | Lq | retransmit | outcome | acked by "
      "| time lost (s) |")
    w("|---|---|---|---|---|---|---|---|---|")
    for case in cases.values():
        if case.name.startswith("encap/"):
            continue
        for n, i in case.icmps.items():
            r = i.reaction
            if r is not None:
                w("| %s |" % " | ".join("-" if v is None else str(v) for v in (
                    case.name, n, i.mtu, i.quoted, i.wlen, r.retransmit, r.verdict,
                    r.acked_by, None if r.lost_us is None else "%.6f" % (r.lost_us / 1e6))))
    w("")
    w("| capture | frame | checked | value | limit | source | oversize |")
    w("|---|---|---|---|---|---|---|")
    for cap in caps:
        for o in cap.oversize:
            w("| %s |" % " | ".join(str(v) for v in size_row(cap, o)))
    for case in cases.values():
        if case.name.startswith(("crafted/", "encap/")):
            continue
        for n, o in case.oversize.items():
            w("| %s | %d | %s | %d | %d | %s | yes |" % (
                case.name, n, "payload" if o.source == SOURCE_MSS else "IP len",
                o.len, o.limit, {SOURCE_MSS: "peer MSS", SOURCE_LINK: "link default",
                                 SOURCE_PPPOE: "PPPoE"}[o.source]))
    w("")
    w("| capture | small acked | full-size copies | first smaller | acked by "
      "| largest through | clamp MSS | smallest never acked | time lost (s) |")
    w("|---|---|---|---|---|---|---|---|---|")
    for case in cases.values():
        b = case.blackhole
        if b is not None and case.name not in NOT_HERE:
            w("| %s | %s | %s | %d | %d | %d | %d | %d | %.6f |" % (
                case.name, ", ".join(map(str, b.small)), ", ".join(map(str, b.frames[:-1])),
                b.frames[-1], b.acked_by, b.through, b.clamp, b.smallest_lost,
                b.lost_us / 1e6))
    w("")
    for idx, cap in enumerate(caps, 1):
        w("## %d. `crafted/%s`" % (idx, cap.filename))
        w("")
        for line in cap.doc.strip().splitlines():
            w(line.strip())
        w("")
        pcapgen.render_hosts(w, cap)
        w("%d frames, last frame at t = %s." % (len(cap.frames),
                                               cap.t(cap.frames[-1])))
        w("")
        w("| # | t | what | details |")
        w("|---|---|---|---|")
        for f in cap.frames:
            w("| %d | %s | %s | %s |" % (f.number, cap.t(f), f.label,
                                         describe(cap, f)))
        w("")
        for n in cap.notes:
            w(n)
            w("")
        for r in cap.reactions:
            render_reaction(w, cap, r)
        if cap.oversize:
            w("**Size checks** (every frame listed; oversize in bold):")
            w("")
            w("| frame | checked | value | limit | source | oversize | "
              "notes |")
            w("|---|---|---|---|---|---|---|")
            for o in cap.oversize:
                row = size_row(cap, o)
                w("| %s | %s | %s | %s | %s | %s | %s |" % (
                    row[1], row[2], row[3], row[4], row[5],
                    "**yes**" if o["oversize"] else "no",
                    " ".join(o["notes"].split())))
            w("")
        if cap.blackhole:
            render_blackhole(w, cap)
    w("## The other captures")
    w("")
    w("Their facts are in `testcaptures/expectations.json` (the summary "
      "tables above); `--check` derives them again with tshark.")
    w("")
    for case in cases.values():
        if case.name.startswith("crafted/") or case.name.startswith("encap/"):
            continue
        w("### `%s`" % case.name)
        w("")
        for para in case.about:
            w(para)
            w("")
        notes = ["* ICMP frame %d: %s" % (n, i.note) for n, i in case.icmps.items() if i.note]
        notes += ["* oversize frame %d: %s" % (n, o.note) for n, o in case.oversize.items() if o.note]
        if notes:
            w("\n".join(notes))
            w("")
    return "\n".join(out) + "\n"


# The other crafted captures of make_crafted.py (checked by --check too):
# (file, icmp, mtu, quoted, Lq, retransmit, Lr, outcome, delivered,
#  acked_by, time, oversize).  "not linked" = no TCP frame to react to.

def time_lost(r):
    if r["delivered"] is None:
        return None
    return "%.6f" % ((r["delivered"].t_us - r["quoted"].t_us) / 1e6)


def end_delay(cap, icmp):
    return "%.6f" % ((cap.frames[-1].t_us - icmp.t_us) / 1e6)


def size_row(cap, o):
    f = o["frame"]
    mss = "MSS" in o["source"]
    val = f.p["tcplen"] if mss else f.p["iplen"]
    return ("crafted/" + cap.filename, f.number,
            "payload" if mss else "IP len", val, o["limit"], o["source"],
            "yes" if o["oversize"] else "no")


def render_reaction(w, cap, r):
    icmp, q, rt = r["icmp"], r["quoted"], r["retransmit"]
    w("**ICMP frame %d** (MTU %d, t %s):" % (icmp.number, icmp.p["mtu"],
                                            cap.t(icmp)))
    w("")
    w("* quoted frame: **%d** (t %s, IP len %d, seq 0x%08x)" % (
        q.number, cap.t(q), q.p["iplen"], icmp.p["quote"]["seq"]))
    if rt:
        w("* retransmit frame: **%d** (t %s, IP len %d, seq 0x%08x len %d)"
          % (rt.number, cap.t(rt), rt.p["iplen"], rt.p["seq"],
             rt.p["tcplen"]))
    else:
        w("* retransmit frame: **none**")
    if r["rejected_again_by"]:
        w("* retransmit rejected again by ICMP frame **%d**"
          % r["rejected_again_by"].number)
    w("* outcome: **%s**" % r["outcome"])
    if r["delivered"]:
        w("* delivered by frame **%d**, acked by frame **%d** (t %s)" % (
            r["delivered"].number, r["acked_by"].number,
            cap.t(r["acked_by"])))
        w("* time lost: **%s** s (= %s - %s)" % (
            time_lost(r), cap.t(r["delivered"]), cap.t(q)))
    else:
        w("* time lost: **not delivered** (no ACK covers the quoted seq)")
    if r["outcome"] == NONE:
        w("* capture continues **%s** s after the ICMP (last frame %d)" % (
            end_delay(cap, icmp), cap.frames[-1].number))
    if r["notes"]:
        w("* notes: %s" % " ".join(r["notes"].split()))
    w("")


def render_blackhole(w, cap):
    b = cap.blackhole
    w("**Black hole**:")
    w("")
    w("* small segments acknowledged: %s (IP len %s), acked by %s" % (
        ", ".join(str(f.number) for f in b["small"]),
        ", ".join(sorted(set(str(f.p["iplen"]) for f in b["small"]))),
        ", ".join(str(f.number) for f in b["small_acks"])))
    w("* full-size copies (same seq 0x%08x, IP len %d, DF, never acked, no "
      "ICMP): **%s** at t %s" % (
          b["full"][0].p["seq"], b["full"][0].p["iplen"],
          ", ".join(str(f.number) for f in b["full"]),
          ", ".join(cap.t(f) for f in b["full"])))
    w("* gaps between the copies: %s" % b["gaps"])
    w("* first smaller frame carrying the same bytes: **%d** (t %s, IP len "
      "%d), then %s; acked by frame **%d** (t %s)" % (
          b["fallback"][0].number, cap.t(b["fallback"][0]),
          b["fallback"][0].p["iplen"],
          ", ".join("%d (IP len %d)" % (f.number, f.p["iplen"])
                    for f in b["fallback"][1:]),
          b["fallback_ack"].number, cap.t(b["fallback_ack"])))
    w("* largest IP len that got through (server -> client): **%d**; MSS to "
      "clamp to: **%d**" % (b["largest_through"], b["clamp"]))
    w("* smallest IP len never acknowledged as sent: **%d**" %
      b["smallest_lost"])
    w("* time lost: **%.6f** s" % (
        (b["fallback"][0].t_us - b["full"][0].t_us) / 1e6))
    w("* notes: %s" % " ".join(b["notes"].split()))
    w("")




# ---------------------------------------------------------------------------
# The rules (RULES in EXPECTED-reactions.md), on the model's frames
# (rule_frames) or on tshark's reading of a file (tshark_frames)
# ---------------------------------------------------------------------------

def seq_in(seq, start, length):
    """Is sequence number seq inside [start, start + length) (mod 2^32)?"""
    return length > 0 and ((seq - start) & 0xFFFFFFFF) < length


def ack_covers(ack, seq):
    """Does a cumulative ACK number acknowledge byte seq (ack > seq)?"""
    return 0 < ((ack - seq) & 0xFFFFFFFF) < 0x80000000


def flow_of(f):
    return (f["src"], f["sport"], f["dst"], f["dport"])


def reactions(frames):
    out = []
    for i, ic in enumerate(frames):
        if ic["kind"] != "icmp":
            continue
        if "q" not in ic:                       # not about TCP
            out.append(dict(icmp=ic, quoted=None))
            continue
        q = ic["q"]
        flow = (q["src"], q["sport"], q["dst"], q["dport"])

        def carries(f):
            return f["kind"] == "tcp" and flow_of(f) == flow \
                and seq_in(q["seq"], f["seq"], f["len"])
        before = [f for f in frames[:i] if carries(f)]
        if not before:
            out.append(dict(icmp=ic, quoted=None))
            continue
        byid = [f for f in before
                if q["id"] is not None and f["id"] == q["id"]]
        quoted = (byid or before)[-1]
        rtx = next((f for f in frames[i + 1:] if carries(f)), None)
        again = None
        if rtx is not None:
            again = next((g for g in frames[rtx["n"]:]
                          if g["kind"] == "icmp" and "q" in g
                          and g["q"]["seq"] == q["seq"]
                          and (g["q"]["id"] is None
                               or g["q"]["id"] == rtx["id"])), None)
        rev = (flow[2], flow[3], flow[0], flow[1])
        ack = next((f for f in frames[i + 1:] if f["kind"] == "tcp"
                    and flow_of(f) == rev and f["flags"] & 0x10
                    and ack_covers(f["ack"], q["seq"])), None)
        dlv = None
        if ack is not None:
            dlv = [f for f in frames[:ack["n"] - 1] if carries(f)][-1]
        if rtx is None:
            oc = NONE
        elif again is not None:
            oc = IGNORED
        elif rtx["iplen"] == quoted["iplen"]:
            oc = CROSSED
        elif rtx["iplen"] <= ic["mtu"]:
            oc = WORKED
        else:
            oc = "resent_smaller_but_too_big"
        tl = ("%.6f" % (dlv["t"] - quoted["t"])) if dlv else None
        end = "%.6f" % (frames[-1]["t"] - ic["t"])
        out.append(dict(icmp=ic, quoted=quoted, rtx=rtx, again=again,
                        ack=ack, dlv=dlv, outcome=oc, time_lost=tl, end=end))
    return out


def oversize(frames):
    """[(frame, 'IP len'|'payload', value, limit, source)] of oversize."""
    syn_mss = {}
    out = []
    for f in frames:
        if f["kind"] == "tcp" and f["flags"] & 0x02 and f["mss"]:
            syn_mss[flow_of(f)] = (f["mss"], f["n"])
    for f in frames:
        if "outer" in f:
            lim = PPPOE_MTU if f["pppoe"] else ETH_MTU
            if f["outer"] > lim:
                out.append((f["n"], "IP len", f["outer"], lim,
                            "PPPoE" if f["pppoe"] else "link"))
        if f["kind"] == "tcp" and f["len"] > 0:
            m = syn_mss.get((f["dst"], f["dport"], f["src"], f["sport"]))
            if m and f["len"] > m[0]:
                out.append((f["n"], "payload", f["len"], m[0], "MSS"))
    return out


def delivery(frames, flow):
    """Per data frame of flow: was it the transmission that got through?
    A frame is delivered when a later ACK of the reverse flow covers its last
    byte and no other frame carrying its first byte was sent in between."""
    rev = (flow[2], flow[3], flow[0], flow[1])
    data = [f for f in frames if f["kind"] == "tcp" and flow_of(f) == flow
            and f["len"] > 0]
    acks = [f for f in frames if f["kind"] == "tcp" and flow_of(f) == rev
            and f["flags"] & 0x10]
    out = {}
    for f in data:
        last = (f["seq"] + f["len"] - 1) & 0xFFFFFFFF
        a = next((a for a in acks if a["n"] > f["n"]
                  and ack_covers(a["ack"], last)), None)
        later = a and any(g["n"] > f["n"] and g["n"] < a["n"]
                          and seq_in(f["seq"], g["seq"], g["len"])
                          for g in data)
        out[f["n"]] = bool(a) and not later
    return data, out


def blackhole(frames, flow, seq):
    """Black hole facts of flow around the segment starting at seq."""
    data, dlv = delivery(frames, flow)
    carrying = [f for f in data if seq_in(seq, f["seq"], f["len"])]
    first_ok = next(f for f in carrying if dlv[f["n"]])
    full = [f for f in carrying if f["n"] < first_ok["n"]]
    rev = (flow[2], flow[3], flow[0], flow[1])
    ack = next(f for f in frames if f["kind"] == "tcp" and flow_of(f) == rev
               and f["flags"] & 0x10 and ack_covers(f["ack"], seq))
    return dict(
        icmp=[f["n"] for f in frames if f["kind"] == "icmp"],
        full=[f["n"] for f in full],
        full_len=sorted(set(f["iplen"] for f in full)),
        fallback=first_ok["n"], fallback_len=first_ok["iplen"],
        fallback_ack=ack["n"],
        largest_through=max(f["iplen"] for f in data if dlv[f["n"]]),
        smallest_lost=min(f["iplen"] for f in data if not dlv[f["n"]]),
        time_lost="%.6f" % (first_ok["t"] - full[0]["t"]),
        small=[f["n"] for f in data if dlv[f["n"]] and f["n"] < full[0]["n"]])




def number(f):
    """The frame number of a model frame or a rule frame, or None."""
    if f is None:
        return None
    return f.number if isinstance(f, pcapgen.Frame) else f["n"]


def micros(seconds):
    return None if seconds is None else int(decimal.Decimal(seconds) * 1000000)


def found_facts(frames, case):
    """What the rules find in frames, in the terms of expectations.json, for
    expectations.differences(): {section: stated}."""
    icmps = {}
    for r in reactions(frames):
        n = r["icmp"]["n"]
        if r["quoted"] is None:         # pmtud follows no reaction
            icmps[n] = {"mtu": r["icmp"]["mtu"], "reaction": None}
            continue
        icmps[n] = {"quoted": r["quoted"]["n"], "wlen": r["quoted"]["iplen"],
                    "mtu": r["icmp"]["mtu"],
                    "reaction.retransmit": number(r["rtx"]),
                    "reaction.verdict": r["outcome"],
                    "reaction.lost_us": micros(r["time_lost"]),
                    "reaction.acked_by": number(r["ack"])}
    # pmtud reports one limit per frame: the receiver's MSS where it is
    # known and exceeded, the link's otherwise.
    over = {}
    for n, _, value, limit, source in sorted(oversize(frames), key=lambda o: o[4] != "MSS"):
        over.setdefault(n, {"len": value, "limit": limit, "source": {
            "MSS": SOURCE_MSS, "link": SOURCE_LINK, "PPPoE": SOURCE_PPPOE}[source]})
    out = {"icmps": icmps, "oversize": over}
    if case.blackhole is not None:
        first = frames[case.blackhole.frames[0] - 1]
        b = blackhole(frames, flow_of(first), first["seq"])
        out["blackhole"] = {
            "frames": b["full"] + [b["fallback"]], "through": b["largest_through"],
            "clamp": b["largest_through"] - 40, "small": b["small"],
            "acked_by": b["fallback_ack"], "smallest_lost": b["smallest_lost"],
            "lost_us": micros(b["time_lost"])}
    return out


def disagreements(case, frames):
    found = found_facts(frames, case)
    return [e for section, stated in found.items()
            for e in expectations.differences(case, section, stated)]


def self_check(cap, case):
    """The capture's statements, what the rules find in its frames and its
    entry in expectations.json must all agree."""
    frames = rule_frames(cap)
    errors = disagreements(case, frames)
    found = {r["icmp"]["n"]: r for r in reactions(frames)}
    for st in cap.reactions:
        r = found[st["icmp"].number]
        got = dict(quoted=r["quoted"], retransmit=r["rtx"], outcome=r["outcome"],
                   delivered=r["dlv"], acked_by=r["ack"], rejected_again_by=r["again"])
        for k, v in got.items():
            want = st[k] if k == "outcome" else number(st[k])
            have = v if k == "outcome" else number(v)
            if have != want:
                errors.append("%s ICMP %d: %s found %r, stated %r" % (
                    cap.filename, st["icmp"].number, k, have, want))
    stated = sorted((o["frame"].number, o["limit"]) for o in cap.oversize if o["oversize"])
    have = sorted((o[0], o[3]) for o in oversize(frames))
    if stated != have:
        errors.append("%s: oversize (frame, limit) found %r, stated %r" % (
            cap.filename, have, stated))
    if cap.blackhole:
        b = cap.blackhole
        p0 = b["full"][0].p
        got = blackhole(frames, (p0["src"], p0["sport"], p0["dst"], p0["dport"]), p0["seq"])
        want = dict(full=[f.number for f in b["full"]], small=[f.number for f in b["small"]],
                    fallback=b["fallback"][0].number, fallback_ack=b["fallback_ack"].number,
                    largest_through=b["largest_through"], smallest_lost=b["smallest_lost"])
        have = {k: got[k] for k in want}
        if have != want or b["clamp"] != b["largest_through"] - 40:
            errors.append("%s: black hole found %r, stated %r" % (cap.filename, have, want))
    return errors


# ---------------------------------------------------------------------------
# --check / --derive: the same rules applied to tshark's reading of a pcap
# ---------------------------------------------------------------------------

TS_FIELDS = ["frame.number", "frame.time_relative", "frame.len",
             "frame.protocols", "ip.len", "ip.id", "ip.src", "ip.dst",
             "ipv6.plen", "ipv6.src", "ipv6.dst", "tcp.srcport",
             "tcp.dstport", "tcp.seq", "tcp.len", "tcp.ack", "tcp.flags",
             "tcp.options.mss_val", "icmp.type", "icmp.code", "icmp.mtu",
             "icmpv6.type", "icmpv6.mtu"]


def tshark_frames(path):
    return [ts_frame(v) for v in pcapgen.tshark_fields(path, TS_FIELDS, [
        "-o", "tcp.relative_sequence_numbers:FALSE",
        "-o", "tcp.analyze_sequence_numbers:TRUE"])]


def ts_frame(v):
    """Reduce tshark's fields to what the rules need.  In an ICMP frame the
    last IP/TCP occurrences are the quote's; in a 6in4 frame the last IP
    layer is the inner IPv6."""
    protos = v["frame.protocols"][0].split(":")
    f = dict(n=int(v["frame.number"][0]),
             t=decimal.Decimal(v["frame.time_relative"][0]),
             wire=int(v["frame.len"][0]), protos=protos,
             pppoe="pppoes" in protos, kind="other")
    if "sflow" in protos or ("ip" not in protos and "ipv6" not in protos):
        return f
    ip4 = [int(x) for x in v["ip.len"]]
    ip6 = [40 + int(x) for x in v["ipv6.plen"]]
    # Outer IP length (for the link MTU): the first IP layer of the frame.
    first = min(protos.index(x) for x in ("ip", "ipv6") if x in protos)
    f["outer"] = ip4[0] if protos[first] == "ip" else ip6[0]
    icmp4 = bool(v["icmp.type"]) and v["icmp.type"][0] == "3" \
        and v["icmp.code"][0] == "4"
    icmp6 = bool(v["icmpv6.type"]) and v["icmpv6.type"][0] == "2"
    tcp = bool(v["tcp.srcport"])
    if icmp4 or icmp6:
        f["kind"] = "icmp"
        f["mtu"] = int((v["icmp.mtu"] or v["icmpv6.mtu"])[0])
        if not tcp:
            return f
        if icmp6:
            f["q"] = dict(src=v["ipv6.src"][-1], dst=v["ipv6.dst"][-1],
                          iplen=ip6[-1], id=None)
        else:
            f["q"] = dict(src=v["ip.src"][-1], dst=v["ip.dst"][-1],
                          iplen=ip4[-1], id=int(v["ip.id"][-1], 16))
        f["q"].update(sport=int(v["tcp.srcport"][-1]),
                      dport=int(v["tcp.dstport"][-1]),
                      seq=int(v["tcp.seq"][-1]))
        return f
    if "icmp" in protos or "icmpv6" in protos or not tcp:
        return f
    f["kind"] = "tcp"
    inner6 = "ipv6" in protos
    f.update(src=(v["ipv6.src"] if inner6 else v["ip.src"])[-1],
             dst=(v["ipv6.dst"] if inner6 else v["ip.dst"])[-1],
             iplen=ip6[-1] if inner6 else ip4[-1],
             id=None if inner6 else int(v["ip.id"][-1], 16),
             sport=int(v["tcp.srcport"][0]), dport=int(v["tcp.dstport"][0]),
             seq=int(v["tcp.seq"][0]), len=int(v["tcp.len"][0]),
             ack=int(v["tcp.ack"][0]) if v["tcp.ack"] else 0,
             flags=int(v["tcp.flags"][0], 16),
             mss=int(v["tcp.options.mss_val"][0])
             if v["tcp.options.mss_val"] else None)
    return f




def fmt_reaction(r):
    if r["quoted"] is None:
        return "ICMP %d: not linked to a TCP frame" % r["icmp"]["n"]
    g = lambda f: f["n"] if f else None   # noqa: E731
    return ("ICMP %d mtu %d: quoted %d (Lq %d) rtx %s (Lr %s) again %s "
            "outcome %s delivered %s acked %s time_lost %s end +%s" % (
                r["icmp"]["n"], r["icmp"]["mtu"], r["quoted"]["n"],
                r["quoted"]["iplen"], g(r["rtx"]),
                r["rtx"]["iplen"] if r["rtx"] else None, g(r["again"]),
                r["outcome"], g(r["dlv"]), g(r["ack"]), r["time_lost"],
                r["end"]))


def derive(path):
    frames = tshark_frames(path)
    for r in reactions(frames):
        print(fmt_reaction(r))
    for o in oversize(frames):
        print("oversize frame %d: %s %d > %d (%s)" % o)
    ip = [f["outer"] for f in frames if "outer" in f]
    print("%d frames, largest outer IP len %s, last t %s" % (
        len(frames), max(ip) if ip else None, frames[-1]["t"]))


def checked_here(cases):
    """The captures of expectations.json these rules read: all but encap/
    (make_encap.py --check), NOT_HERE and NOT_HERE_FAMILIES."""
    return [c for name, c in cases.items()
            if not name.startswith("encap/") and name not in NOT_HERE and
            not any(name.startswith(prefix) for prefix in NOT_HERE_FAMILIES)]


def check(caps, cases):
    errors = []
    for cap in caps:
        path = os.path.join(OUT_DIR, cap.filename)
        frames = tshark_frames(path)
        if len(frames) != len(cap.frames):
            errors.append("%s: frame count" % path)
        for f, m in zip(frames, cap.frames):
            for what, got, want in (("wire", f["wire"], len(m.data)),
                                    ("t", "%.6f" % f["t"], cap.t(m)),
                                    ("IP len", f.get("outer"), m.p["iplen"])):
                if got != want:
                    errors.append("%s frame %d: %s tshark %r, model %r" % (
                        path, f["n"], what, got, want))
    todo = checked_here(cases)
    for case in todo:
        errors += disagreements(case, tshark_frames(os.path.join(TC_DIR, case.name)))
    if errors:
        for e in errors:
            print("CHECK FAILED:", e)
        return 1
    print("check: tshark's reading of %d captures agrees with "
          "testcaptures/expectations.json (not read here: %s)" % (
              len(todo), ", ".join(sorted(NOT_HERE) + [p + "*" for p in sorted(NOT_HERE_FAMILIES)])))
    return 0


def main(argv):
    if len(argv) == 3 and argv[1] == "--derive":
        derive(argv[2])
        return 0
    caps = [fn() for fn in CAPTURES]
    cases = expectations.load()
    errors = [e for cap in caps for e in self_check(cap, cases["crafted/" + cap.filename])]
    if pcapgen.publish(caps, OUT_DIR, errors, "EXPECTED-reactions.md",
                       lambda: render(caps, cases)):
        return 1
    if len(argv) == 2 and argv[1] == "--check":
        return check(caps, cases)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
