#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Generate the crafted test captures for the pmtud post-dissector.

Run with Debian's python3 (scapy 2.5):

    /usr/bin/python3 testcaptures/crafted/make_crafted.py

Every capture is written next to this script, together with EXPECTED.md,
which is rendered from the same model that builds the packets (frame
numbers, lengths, sequence numbers and the expected per-ICMP facts), so the
two can never drift apart. Before anything is written, each capture's
per-ICMP facts are checked against its entry in testcaptures/expectations.json
(what the capture tests assert): the model and the tests cannot drift apart
either.

Everything is deterministic (testcaptures/lib/pcapgen.py): fixed timestamps
(integer microseconds), fixed IP IDs, fixed initial sequence numbers, payload
bytes derived from SHA-256 of a fixed label. Classic pcap, little endian,
microsecond timestamps, LINKTYPE_ETHERNET, so that the snaplen, the captured
length and the wire length of each record are fully under control.
"""

import os
import struct
import sys

OUT_DIR = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(OUT_DIR), "lib"))

import expectations  # noqa: E402
import pcapgen  # noqa: E402
from pcapgen import (  # noqa: E402
    BASE_US, DEFAULT_SNAPLEN, ICMP4_QUOTE_MAX, ICMP6_QUOTE_MAX, ether,
    http_get, http_response, parse_l3, prbytes, rewrite_ipv4_len, seq_text)


# ---------------------------------------------------------------------------
# Ethernet frames (l2 = (source MAC, destination MAC))
# ---------------------------------------------------------------------------

def tcp4(l2, src, dst, sport, dport, seq, ack, flags, ipid, payload=b"",
         ttl=64, win=64240, df=True, mss=None):
    return ether(*l2, pcapgen.tcp_ip(4, src, dst, sport, dport, seq, ack, flags,
                                     payload, ipid=ipid, ttl=ttl, win=win,
                                     mss=mss, df=df))


def tcp6(l2, src, dst, sport, dport, seq, ack, flags, payload=b"",
         hlim=64, win=64800, mss=None, fl=0):
    return ether(*l2, pcapgen.tcp_ip(6, src, dst, sport, dport, seq, ack, flags,
                                     payload, ttl=hlim, win=win, mss=mss, fl=fl))


def udp4(l2, src, dst, sport, dport, ipid, payload, ttl=64, df=True):
    return ether(*l2, pcapgen.udp_ip(4, src, dst, sport, dport, payload,
                                     ipid=ipid, ttl=ttl, df=df))


def ipv4_quote(frame, nbytes=ICMP4_QUOTE_MAX, total_length=None,
               udp_length=None):
    """Quote of the IPv4 packet carried in an Ethernet frame.

    Returns the first nbytes of the IP packet.  If total_length (and, for
    UDP, udp_length) are given, the quoted header is rewritten the way a
    merging (LRO/GRO) or a quote-rewriting router would have it, and the IP
    header checksum is recomputed so that the quoted header is valid.
    Transport checksums are left as they were in the original packet.
    """
    ip = frame[14:]
    if total_length is not None:
        ip = rewrite_ipv4_len(ip, total_length)
    if udp_length is not None:
        ihl = (ip[0] & 0x0F) * 4
        assert ip[9] == 17
        ip = ip[:ihl + 4] + struct.pack("!H", udp_length) + ip[ihl + 6:]
    return ip[:min(nbytes, len(ip))]


def icmp4_frag_needed(l2, src, dst, ipid, mtu, quote):
    """ICMP type 3 code 4 as a Linux router sends it (pcapgen)."""
    return ether(*l2, pcapgen.icmp4_frag_needed(src, dst, ipid, mtu, quote))


def icmp6_packet_too_big(l2, src, dst, mtu, quoted_frame):
    return ether(*l2, pcapgen.icmp6_ptb(src, dst, mtu,
                                        quoted_frame[14:14 + ICMP6_QUOTE_MAX]))


# ---------------------------------------------------------------------------
# Capture model and EXPECTED.md renderer
# ---------------------------------------------------------------------------

class IcmpFact:
    def __init__(self, icmp, quoted, covered, verdict, notes):
        self.icmp = icmp
        self.quoted = quoted
        self.covered = covered
        self.verdict = verdict
        self.notes = notes


class Capture(pcapgen.Capture):
    def __init__(self, filename, doc, snaplen=DEFAULT_SNAPLEN):
        super().__init__(filename, doc, snaplen=snaplen)
        self.facts = []

    def expect(self, icmp, quoted, covered, verdict, notes=""):
        self.facts.append(IcmpFact(icmp, quoted, covered, verdict, notes))


def describe_l4(cap, d, wire=None):
    """One-line description of a parsed IP packet (frame or quote)."""
    if d["ver"] == 4:
        l3 = "IPv4 ID 0x%04x%s, IP len %d" % (
            d["id"], ", DF" if d["df"] else "", d["iplen"])
    else:
        l3 = "IPv6 payload len %d, IP len %d" % (d["plen"], d["iplen"])
    if wire is not None:
        l3 += ", wire %d" % wire
    ends = "%s:%d -> %s:%d" % (d["src"], d["sport"], d["dst"], d["dport"]) \
        if "sport" in d else "%s -> %s" % (d["src"], d["dst"])
    if d["proto"] == 6:
        return "TCP %s %s %s len %d; %s" % (
            ends, pcapgen.tcp_flags(d["tcpflags"]), seq_text(cap.isn, d),
            d["tcplen"], l3)
    if d["proto"] == 17:
        return "UDP %s UDP len %d (payload %d); %s" % (
            ends, d["udplen"], d["udplen"] - 8, l3)
    if d["proto"] == 1:
        return "ICMP %s type %d code %d, bytes 4-5 = %d, MTU %d, quote %d bytes; %s" % (
            ends, d["icmptype"], d["icmpcode"], d["b45"], d["mtu"],
            len(d["quote"]), l3)
    if d["proto"] == 58:
        return "ICMPv6 %s type %d code %d, MTU %d, quote %d bytes; %s" % (
            ends, d["icmptype"], d["icmpcode"], d["mtu"], len(d["quote"]), l3)
    return "proto %d %s; %s" % (d["proto"], ends, l3)


def quote_differences(quote, frame):
    """Names of the fields in which a quote differs from the real packet."""
    real = frame.data[14:14 + len(quote)]
    diffs = [i for i in range(len(quote)) if quote[i] != real[i]]
    d = parse_l3(real)
    names = []
    known = {}
    if d["ver"] == 4:
        known.update({2: "IP total length", 3: "IP total length",
                      10: "IP header checksum", 11: "IP header checksum"})
        if d["proto"] == 17:
            known.update({d["ihl"] + 4: "UDP length", d["ihl"] + 5: "UDP length"})
    for i in diffs:
        assert i in known, "quote differs from frame %d at unexpected offset %d" % (
            frame.number, i)
        if known[i] not in names:
            names.append(known[i])
    return names


def render_expected(captures):
    out = []
    w = out.append
    w("# Crafted captures: expected facts")
    w("")
    w("Generated by `make_crafted.py` from the same model that builds the "
      "packets; do not edit by hand, change the generator and rerun it:")
    w("")
    w("    /usr/bin/python3 testcaptures/crafted/make_crafted.py")
    w("")
    w("Conventions used below:")
    w("")
    w("* Frame numbers are 1-based, in file order (= Wireshark `frame.number`).")
    w("* `t` is seconds since the first frame of the file "
      "(= `frame.time_relative`). The first frame of every file is at "
      "2013-04-17 09:00:00.000000 UTC (epoch %d)." % (BASE_US // 1000000))
    w("* All files are classic pcap, link type Ethernet (1). Frames are not "
      "padded to 60 bytes and carry no FCS, so `wire` = 14 + IP length "
      "for every frame. Snaplen is %d unless stated otherwise." % DEFAULT_SNAPLEN)
    w("* TCP `seq`/`ack` are given absolute (`tcp.seq_raw`) and relative to the "
      "ISN of that direction (SYN = rel 0, first data byte = rel 1, as "
      "Wireshark shows them). `len` is the TCP payload length.")
    w("* `IP len` is the IPv4 total length, or 40 + payload length for IPv6.")
    w("* ICMPv4 errors use RFC 1191 layout: bytes 4-5 zero, next-hop MTU in "
      "bytes 6-7. ICMPv4 quotes are the first min(548, len) bytes of the "
      "offending IP packet (Linux, 576-byte error) unless stated otherwise; "
      "ICMPv6 quotes are the first min(1232, len) bytes (1280-byte error).")
    w("* **quoted frame**: the captured frame that is the packet the ICMP "
      "quotes (same addresses, ports, IP ID, sequence number and payload "
      "bytes as far as quoted), or none.")
    w("* **quoted IP len**: the total length field inside the quote. "
      "**wire IP len**: the IP length of the quoted frame as captured.")
    w("* **covered frames**: the wire frames whose TCP/UDP payload lies inside "
      "the byte range described by the quoted header (start = quoted sequence "
      "number / first datagram, length = quoted IP len - headers). Where the "
      "same bytes were sent more than once before the ICMP, only the latest "
      "transmission before the ICMP counts, except for the quoted frame "
      "itself, whose IP ID names the copy the router received; when nothing "
      "was merged the covered frame is just the quoted frame.")
    w("* Transport checksums inside a quote are those of the original "
      "packet; they cannot be verified on a partial quote (Wireshark with "
      "`tcp.check_checksum` on reports them as bad). Quoted IPv4 header "
      "checksums are valid, also where the total length was rewritten.")
    w("* Verdict vocabulary: *offload artefact*, *legitimate*, *bogus MTU*, "
      "*MTU 0 note* (pre-RFC 1191 router), *quote not captured*, "
      "*quote rewritten*.")
    w("")
    for idx, cap in enumerate(captures, 1):
        w("## %d. `%s`" % (idx, cap.filename))
        w("")
        for line in cap.doc.strip().splitlines():
            w(line.strip())
        w("")
        if cap.snaplen != DEFAULT_SNAPLEN:
            w("**Snaplen %d**: every record longer than %d bytes is truncated; "
              "the record's original (wire) length is the full frame length "
              "given below." % (cap.snaplen, cap.snaplen))
            w("")
        pcapgen.render_hosts(w, cap)
        w("| # | t | what | details |")
        w("|---|---|---|---|")
        t0 = cap.frames[0].t_us
        for f in cap.frames:
            d = parse_l3(f.data[14:])
            cl = min(len(f.data), cap.snaplen)
            wire = "%d" % len(f.data)
            if cl != len(f.data):
                wire += " (captured %d)" % cl
            desc = describe_l4(cap, d, None) + ", wire " + wire
            w("| %d | %.6f | %s | %s |" % (
                f.number, (f.t_us - t0) / 1e6, f.label, desc))
        w("")
        for fact in cap.facts:
            d = parse_l3(fact.icmp.data[14:])
            q = parse_l3(d["quote"])
            w("**ICMP frame %d** (%s %s -> %s, MTU %d):" % (
                fact.icmp.number,
                "ICMPv4 type 3 code 4" if d["ver"] == 4 else
                "ICMPv6 type 2 code 0", d["src"], d["dst"], d["mtu"]))
            w("")
            qcap = min(len(d["quote"]),
                       max(0, cap.snaplen - (len(fact.icmp.data) - len(d["quote"]))))
            w("* quote: %d bytes%s; quoted header: %s" % (
                len(d["quote"]),
                "" if qcap == len(d["quote"]) else " (only %d captured)" % qcap,
                describe_l4(cap, q)))
            if fact.quoted is not None:
                qd = parse_l3(fact.quoted.data[14:])
                diffs = quote_differences(d["quote"], fact.quoted)
                w("* quoted frame: **%d**" % fact.quoted.number)
                w("* quoted IP len: **%d**; wire IP len of frame %d: **%d**" % (
                    q["iplen"], fact.quoted.number, qd["iplen"]))
                if diffs:
                    w("* quote differs from frame %d only in: %s" % (
                        fact.quoted.number, ", ".join(diffs)))
                else:
                    w("* quote is byte-identical to the first %d bytes of "
                      "frame %d's IP packet" % (len(d["quote"]),
                                               fact.quoted.number))
            else:
                w("* quoted frame: **none**")
                w("* quoted IP len: **%d**; wire IP len: n/a" % q["iplen"])
            w("* MTU: **%d**" % d["mtu"])
            w("* covered frames: **%s**" % (
                ", ".join(str(c.number) for c in fact.covered)
                if fact.covered else "none"))
            w("* verdict: **%s**" % fact.verdict)
            if fact.notes:
                w("* notes: %s" % " ".join(fact.notes.split()))
            w("")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------
# The captures
# ---------------------------------------------------------------------------

def seed_dnat_tso():
    """The Server Fault story (WAN client -> DNAT gateway -> Windows server
    in VMware with broken TSO), captured by a separate VM on the server LAN
    vSwitch. The WAN client's address is seen unchanged on the LAN (DNAT
    keeps the source). The server sends segments in pairs; the capture shows
    two proper 1514-byte frames, but the gateway saw them as one 2960-byte
    packet (TSO not done / LRO merged) and rejects it with ICMP
    frag-needed, next-hop MTU 1500, quoting the first segment's header with
    total length 2960. After a ~3 s RTO the server resends the first segment
    alone (new IP ID), it gets through and is ACKed, the second segment is
    sent again and ACKed, and the next pair repeats the pattern. Three pairs
    (segments 1..6, 8760 bytes = whole HTTP response), then FIN exchange.
    """
    cap = Capture("seed_dnat_tso.pcap", seed_dnat_tso.__doc__)
    CLI, SRV, GW = "203.0.113.45", "192.0.2.10", "192.0.2.1"
    GW_MAC, SRV_MAC = "00:50:56:8a:3c:01", "00:50:56:8a:3c:10"
    cap.host("WAN client (as seen on the LAN after DNAT)", "via gateway", CLI)
    cap.host("gateway LAN side (CentOS, DNAT)", GW_MAC, GW)
    cap.host("HTTP server (Windows Server 2003 R2 VM)", SRV_MAC, SRV)
    C2S, S2C = (GW_MAC, SRV_MAC), (SRV_MAC, GW_MAC)
    CP, SP = 49321, 80
    C_ISN, S_ISN = 0x7C1E9A52, 0x3A2B1C0D
    cap.flow(CLI, CP, SRV, SP, C_ISN, S_ISN)
    MSS = 1460
    get = http_get("/files/test-7mb.bin", "198.51.100.1")
    resp = http_response(6 * MSS, "seed-file", server="Microsoft-IIS/6.0")
    seg = [resp[i * MSS:(i + 1) * MSS] for i in range(6)]
    C1 = C_ISN + 1
    S1 = S_ISN + 1
    ACK_GET = C1 + len(get)
    cid = [0x2F41]      # client IP ID counter (Windows: global, +1)
    sid = [0x0C31]      # server IP ID counter (Windows: global, +1)

    def cli(t, label, seq, ack, flags, payload=b"", mss=None):
        cid[0] += 1
        return cap.add(t, tcp4(C2S, CLI, SRV, CP, SP, seq, ack, flags,
                               cid[0] - 1, payload, ttl=127, win=64240,
                               mss=mss), label)

    def srv(t, label, seq, ack, flags, payload=b"", mss=None):
        sid[0] += 1
        return cap.add(t, tcp4(S2C, SRV, CLI, SP, CP, seq, ack, flags,
                               sid[0] - 1, payload, ttl=128, win=65535,
                               mss=mss), label)

    cli(0.0, "client SYN", C_ISN, 0, "S", mss=MSS)
    srv(0.000412, "server SYN-ACK", S_ISN, C1, "SA", mss=MSS)
    cli(0.000890, "client ACK", C1, S1, "A")
    cli(0.001210, "client HTTP GET", C1, S1, "PA", get)

    t = 0.004800
    icmp_id = 0x5A10
    for pair in range(3):
        a, b = 2 * pair, 2 * pair + 1
        seq_a, seq_b = S1 + a * MSS, S1 + b * MSS
        fl_b = "PA" if b == 5 else "A"
        fa = srv(t, "segment %d (first transmission)" % (a + 1),
                 seq_a, ACK_GET, "A", seg[a])
        fb = srv(t + 0.000012, "segment %d (first transmission)" % (b + 1),
                 seq_b, ACK_GET, fl_b, seg[b])
        # The gateway saw a+b as one 2960-byte packet: it quotes segment a's
        # header (IP ID, seq, TCP header verbatim) with total length 2960.
        q = ipv4_quote(fa.data, total_length=2 * MSS + 40)
        fi = cap.add(t + 0.000250, icmp4_frag_needed(
            (GW_MAC, SRV_MAC), GW, SRV, icmp_id, 1500, q),
            "gateway ICMP frag-needed MTU 1500, quotes segment %d as 2960"
            % (a + 1))
        icmp_id += 1
        ra = srv(t + 3.000000,
                 "segment %d retransmitted alone after RTO" % (a + 1),
                 seq_a, ACK_GET, "A", seg[a])
        cli(t + 3.000500, "client ACK of segment %d" % (a + 1),
            ACK_GET, seq_b, "A")
        srv(t + 3.000620, "segment %d sent again" % (b + 1),
            seq_b, ACK_GET, fl_b, seg[b])
        cli(t + 3.001110, "client ACK of segment %d" % (b + 1),
            ACK_GET, seq_b + MSS, "A")
        cap.expect(fi, fa, [fa, fb], "offload artefact",
                   """The quoted IP len 2960 exceeds the wire IP len of the
                   quoted frame (1500) and equals the sum of the two frames
                   %d+%d (2x1460 payload + 40 header bytes): the gateway saw
                   the two segments merged (TSO not performed / LRO). The MTU
                   1500 is NOT bogus although it equals the wire length of
                   frame %d: it must be compared with the quoted length 2960.
                   Frame %d (the retransmission of the same bytes, new IP ID
                   0x%04x) comes after the ICMP and is neither the quoted nor
                   a covered frame."""
                   % (fa.number, fb.number, fa.number, ra.number,
                      parse_l3(ra.data[14:])["id"]))
        t += 3.001220
    end = S1 + 6 * MSS
    srv(t + 0.000100, "server FIN", end, ACK_GET, "FA")
    cli(t + 0.000600, "client FIN", ACK_GET, end + 1, "FA")
    srv(t + 0.000700, "server ACK of FIN", end + 1, ACK_GET + 1, "A")
    return cap


def _ipv4_legit_flow(filename, doc, snaplen=DEFAULT_SNAPLEN):
    """Shared by icmpv4_legit_frag_needed and snaplen_truncated."""
    cap = Capture(filename, doc, snaplen)
    CLI, SRV, RTR = "198.51.100.20", "192.0.2.10", "192.0.2.1"
    RTR_MAC, SRV_MAC = "52:54:00:6b:01:01", "52:54:00:6b:01:0a"
    cap.host("client (remote)", "via router", CLI)
    cap.host("router (next hop has MTU 1400, e.g. a tunnel)", RTR_MAC, RTR)
    cap.host("server (sender, capture point)", SRV_MAC, SRV)
    C2S, S2C = (RTR_MAC, SRV_MAC), (SRV_MAC, RTR_MAC)
    CP, SP = 50711, 80
    C_ISN, S_ISN = 0x1D5E9F33, 0x3A2B1C0D
    cap.flow(CLI, CP, SRV, SP, C_ISN, S_ISN)
    get = http_get("/index.bin", "www.example.com")
    resp = http_response(1460, "legit4-body")
    C1, S1 = C_ISN + 1, S_ISN + 1
    AG = C1 + len(get)
    cap.add(0.0, tcp4(C2S, CLI, SRV, CP, SP, C_ISN, 0, "S", 0x6A01,
                      ttl=57, mss=1460), "client SYN")
    cap.add(0.000031, tcp4(S2C, SRV, CLI, SP, CP, S_ISN, C1, "SA", 0x0000,
                           mss=1460), "server SYN-ACK")
    cap.add(0.024110, tcp4(C2S, CLI, SRV, CP, SP, C1, S1, "A", 0x6A02,
                           ttl=57), "client ACK")
    cap.add(0.024350, tcp4(C2S, CLI, SRV, CP, SP, C1, S1, "PA", 0x6A03,
                           get, ttl=57), "client HTTP GET")
    big = cap.add(0.024512, tcp4(S2C, SRV, CLI, SP, CP, S1, AG, "PA", 0x4E20,
                                 resp), "response, one 1460-byte segment")
    icmp = cap.add(0.024790, icmp4_frag_needed(
        (RTR_MAC, SRV_MAC), RTR, SRV, 0x9B01, 1400, ipv4_quote(big.data)),
        "router ICMP frag-needed, MTU 1400")
    cap.add(0.024850, tcp4(S2C, SRV, CLI, SP, CP, S1, AG, "A", 0x4E21,
                           resp[:1360]), "resend, part 1 (IP len 1400)")
    cap.add(0.024856, tcp4(S2C, SRV, CLI, SP, CP, S1 + 1360, AG, "PA", 0x4E22,
                           resp[1360:]), "resend, part 2")
    cap.add(0.049120, tcp4(C2S, CLI, SRV, CP, SP, AG, S1 + 1460, "A", 0x6A04,
                           ttl=57), "client ACK of all data")
    return cap, icmp, big


def icmpv4_legit_frag_needed():
    """A genuine IPv4 PMTUD event: the server sends a 1500-byte packet with
    DF, the next hop of the router has MTU 1400, the router answers ICMP
    frag-needed MTU 1400 quoting exactly that packet (total length 1500),
    and the server resends the data as 1360 + 100 bytes (IP len <= 1400),
    which the client ACKs.
    """
    cap, icmp, big = _ipv4_legit_flow("icmpv4_legit_frag_needed.pcap",
                                      icmpv4_legit_frag_needed.__doc__)
    cap.expect(icmp, big, [big], "legitimate",
               """Quoted IP len = wire IP len = 1500 > MTU 1400 >= 68. The
               resend frames come after the ICMP and are not covered.""")
    return cap


def icmpv6_ptb_legit():
    """A genuine IPv6 PMTUD event: handshake announcing MSS 1440, the server
    sends one full-size segment (IPv6 payload length 1460, 1500 bytes), a
    router answers ICMPv6 Packet Too Big MTU 1280 quoting as much of it as
    fits in 1280 bytes (1232), and the server resends the data as 1220 + 220
    bytes (1280 and 280 byte packets), which the client ACKs. No offload.
    """
    cap = Capture("icmpv6_ptb_legit.pcap", icmpv6_ptb_legit.__doc__)
    CLI, SRV, RTR = "2001:db8:200::20", "2001:db8:10::10", "2001:db8:10::1"
    RTR_MAC, SRV_MAC = "52:54:00:1f:00:01", "52:54:00:1f:00:10"
    cap.host("client (remote)", "via router", CLI)
    cap.host("router (next hop MTU 1280)", RTR_MAC, RTR)
    cap.host("server (sender, capture point)", SRV_MAC, SRV)
    C2S, S2C = (RTR_MAC, SRV_MAC), (SRV_MAC, RTR_MAC)
    CP, SP = 41822, 80
    C_ISN, S_ISN = 0x6C0FFEE1, 0x3A2B1C0D
    cap.flow(CLI, CP, SRV, SP, C_ISN, S_ISN)
    get = http_get("/v6.bin", "www.example.com")
    resp = http_response(1440, "ptb6-body")
    C1, S1 = C_ISN + 1, S_ISN + 1
    AG = C1 + len(get)
    CFL, SFL = 0x5A3C1, 0x81F0E
    cap.add(0.0, tcp6(C2S, CLI, SRV, CP, SP, C_ISN, 0, "S", hlim=58,
                      mss=1440, fl=CFL), "client SYN")
    cap.add(0.000027, tcp6(S2C, SRV, CLI, SP, CP, S_ISN, C1, "SA",
                           mss=1440, fl=SFL), "server SYN-ACK")
    cap.add(0.031500, tcp6(C2S, CLI, SRV, CP, SP, C1, S1, "A", hlim=58,
                           fl=CFL), "client ACK")
    cap.add(0.031720, tcp6(C2S, CLI, SRV, CP, SP, C1, S1, "PA", get,
                           hlim=58, fl=CFL), "client HTTP GET")
    big = cap.add(0.031900, tcp6(S2C, SRV, CLI, SP, CP, S1, AG, "PA", resp,
                                 fl=SFL), "response, one 1440-byte segment")
    icmp = cap.add(0.032210, icmp6_packet_too_big(
        (RTR_MAC, SRV_MAC), RTR, SRV, 1280, big.data),
        "router ICMPv6 Packet Too Big, MTU 1280")
    cap.add(0.032260, tcp6(S2C, SRV, CLI, SP, CP, S1, AG, "A", resp[:1220],
                           fl=SFL), "resend, part 1 (1280 bytes)")
    cap.add(0.032266, tcp6(S2C, SRV, CLI, SP, CP, S1 + 1220, AG, "PA",
                           resp[1220:], fl=SFL), "resend, part 2")
    cap.add(0.063900, tcp6(C2S, CLI, SRV, CP, SP, AG, S1 + 1440, "A",
                           hlim=58, fl=CFL), "client ACK of all data")
    cap.expect(icmp, big, [big], "legitimate",
               """Quoted IP len = wire IP len = 1500 (payload length 1460) >
               MTU 1280 >= 1280 (IPv6 minimum). The quote is truncated at
               1232 bytes, the quoted payload length field still says 1460.""")
    return cap


def quote_not_captured():
    """An ICMP frag-needed (MTU 1400) about a packet that is not in the
    capture: it quotes a 1500-byte packet from the same server to the same
    client but of another connection (client port 50712 instead of 50711,
    unrelated sequence number) whose frames were not captured. As a trap,
    the quoted IP ID is deliberately equal to the IP ID of the captured
    1500-byte segment of the captured flow (an IP ID collision between two
    connections), so a matcher keyed on addresses + IP ID only would match
    wrongly; ports and sequence number (and payload) differ.
    """
    cap = Capture("quote_not_captured.pcap", quote_not_captured.__doc__)
    CLI, SRV, RTR = "198.51.100.20", "192.0.2.10", "192.0.2.1"
    RTR_MAC, SRV_MAC = "52:54:00:6b:01:01", "52:54:00:6b:01:0a"
    cap.host("client (remote)", "via router", CLI)
    cap.host("router", RTR_MAC, RTR)
    cap.host("server (capture point)", SRV_MAC, SRV)
    C2S, S2C = (RTR_MAC, SRV_MAC), (SRV_MAC, RTR_MAC)
    CP, SP = 50711, 80
    C_ISN, S_ISN = 0x2B8E4C17, 0x3A2B1C0D
    cap.flow(CLI, CP, SRV, SP, C_ISN, S_ISN)
    get = http_get("/a.bin", "www.example.com")
    resp = http_response(1460, "notcap-body")
    C1, S1 = C_ISN + 1, S_ISN + 1
    AG = C1 + len(get)
    cap.add(0.0, tcp4(C2S, CLI, SRV, CP, SP, C_ISN, 0, "S", 0x71A0,
                      ttl=57, mss=1460), "client SYN")
    cap.add(0.000029, tcp4(S2C, SRV, CLI, SP, CP, S_ISN, C1, "SA", 0x0000,
                           mss=1460), "server SYN-ACK")
    cap.add(0.018400, tcp4(C2S, CLI, SRV, CP, SP, C1, S1, "A", 0x71A1,
                           ttl=57), "client ACK")
    cap.add(0.018600, tcp4(C2S, CLI, SRV, CP, SP, C1, S1, "PA", 0x71A2,
                           get, ttl=57), "client HTTP GET")
    seg = cap.add(0.018750, tcp4(S2C, SRV, CLI, SP, CP, S1, AG, "PA", 0x3C5D,
                                 resp), "response, one 1460-byte segment")
    # The other, uncaptured connection: same hosts, client port 50712.
    O_ISN = 0x9E3779B9
    other = tcp4(S2C, SRV, CLI, SP, 50712, O_ISN + 1 + 5 * 1460,
                 0x44C0D2A7, "A", 0x3C5D,
                 prbytes("notcap-other-flow", 1460))
    icmp = cap.add(0.018990, icmp4_frag_needed(
        (RTR_MAC, SRV_MAC), RTR, SRV, 0x9B41, 1400, ipv4_quote(other)),
        "router ICMP frag-needed MTU 1400 about an uncaptured packet")
    cap.add(0.037300, tcp4(C2S, CLI, SRV, CP, SP, AG, S1 + 1460, "A", 0x71A3,
                           ttl=57), "client ACK of the response")
    cap.expect(icmp, None, [], "quote not captured",
               """The quote is 192.0.2.10:80 -> 198.51.100.20:50712, seq
               0x%08x, IP ID 0x3c5d, IP len 1500. Frame %d has the same
               addresses and the same IP ID 0x3c5d and IP len 1500 but
               destination port 50711 and seq 0x%08x: it must NOT be matched.
               The ICMP itself is not implausible (1500 > 1400), only its
               subject is absent from the capture."""
               % (O_ISN + 1 + 5 * 1460, seg.number, S1))
    return cap


def retransmit_ip_id():
    """The same 1460-byte segment is transmitted twice before the ICMP
    arrives: first with IP ID 0x1111, then (RTO, the ICMP was delayed by a
    slow/ratelimited router) with IP ID 0x2222, same sequence number and
    bytes. The ICMP (MTU 1400) quotes the FIRST transmission (IP ID 0x1111),
    so the quoted frame is the first one even though the latest
    transmission of those bytes is the second. Then the sender resends the
    data as 1360 + 100 bytes and it is ACKed.
    """
    cap = Capture("retransmit_ip_id.pcap", retransmit_ip_id.__doc__)
    CLI, SRV, RTR = "203.0.113.80", "192.0.2.10", "192.0.2.1"
    RTR_MAC, SRV_MAC = "52:54:00:6b:01:01", "52:54:00:6b:01:0a"
    cap.host("client (remote)", "via router", CLI)
    cap.host("router (next hop MTU 1400)", RTR_MAC, RTR)
    cap.host("server (sender, capture point)", SRV_MAC, SRV)
    C2S, S2C = (RTR_MAC, SRV_MAC), (SRV_MAC, RTR_MAC)
    CP, SP = 55102, 80
    C_ISN, S_ISN = 0x0B5D7E29, 0x3A2B1C0D
    cap.flow(CLI, CP, SRV, SP, C_ISN, S_ISN)
    get = http_get("/r.bin", "www.example.com")
    resp = http_response(1460, "retrans-body")
    C1, S1 = C_ISN + 1, S_ISN + 1
    AG = C1 + len(get)
    cap.add(0.0, tcp4(C2S, CLI, SRV, CP, SP, C_ISN, 0, "S", 0x0D01,
                      ttl=50, mss=1460), "client SYN")
    cap.add(0.000030, tcp4(S2C, SRV, CLI, SP, CP, S_ISN, C1, "SA", 0x0000,
                           mss=1460), "server SYN-ACK")
    cap.add(0.041000, tcp4(C2S, CLI, SRV, CP, SP, C1, S1, "A", 0x0D02,
                           ttl=50), "client ACK")
    cap.add(0.041250, tcp4(C2S, CLI, SRV, CP, SP, C1, S1, "PA", 0x0D03,
                           get, ttl=50), "client HTTP GET")
    first = cap.add(0.041400, tcp4(S2C, SRV, CLI, SP, CP, S1, AG, "PA",
                                   0x1111, resp),
                    "response segment, first transmission (ID 0x1111)")
    second = cap.add(0.291400, tcp4(S2C, SRV, CLI, SP, CP, S1, AG, "PA",
                                    0x2222, resp),
                     "same segment retransmitted (ID 0x2222)")
    icmp = cap.add(0.291700, icmp4_frag_needed(
        (RTR_MAC, SRV_MAC), RTR, SRV, 0x9C01, 1400, ipv4_quote(first.data)),
        "router ICMP frag-needed MTU 1400, quotes ID 0x1111")
    cap.add(0.291760, tcp4(S2C, SRV, CLI, SP, CP, S1, AG, "A", 0x2223,
                           resp[:1360]), "resend, part 1 (IP len 1400)")
    cap.add(0.291766, tcp4(S2C, SRV, CLI, SP, CP, S1 + 1360, AG, "PA",
                           0x2224, resp[1360:]), "resend, part 2")
    cap.add(0.332900, tcp4(C2S, CLI, SRV, CP, SP, AG, S1 + 1460, "A", 0x0D04,
                           ttl=50), "client ACK of all data")
    cap.expect(icmp, first, [first], "legitimate",
               """The quoted frame is frame %d (IP ID 0x1111), NOT frame %d
               (IP ID 0x2222), although both carry the same seq and bytes.
               Nothing was merged, so the covered frame is the quoted frame
               itself: the IP ID says which copy the router received (the
               "latest transmission" rule only decides between copies where
               the quote cannot tell, i.e. for the other segments of a
               merged packet). Quoted IP len = wire IP len = 1500 > MTU 1400."""
               % (first.number, second.number))
    return cap


def bogus_mtu():
    """Three ICMP frag-needed messages about three captured 1500-byte
    segments, each with an implausible next-hop MTU: 1500 (not smaller than
    the quoted packet: the router claims a 1500-byte packet does not fit in
    1500), 40 (below the IPv4 minimum of 68) and 0 (a pre-RFC 1191 router
    that does not fill in the MTU; the sender must guess, e.g. with the RFC
    1191 plateau table). Each ICMP quotes a different segment, exactly
    (total length 1500). No offload is involved.
    """
    cap = Capture("bogus_mtu.pcap", bogus_mtu.__doc__)
    CLI, SRV, RTR = "198.51.100.99", "192.0.2.10", "192.0.2.1"
    RTR_MAC, SRV_MAC = "52:54:00:6b:01:01", "52:54:00:6b:01:0a"
    cap.host("client (remote)", "via router", CLI)
    cap.host("router (misbehaving)", RTR_MAC, RTR)
    cap.host("server (sender, capture point)", SRV_MAC, SRV)
    C2S, S2C = (RTR_MAC, SRV_MAC), (SRV_MAC, RTR_MAC)
    CP, SP = 60433, 80
    C_ISN, S_ISN = 0x48D159E2, 0x3A2B1C0D
    cap.flow(CLI, CP, SRV, SP, C_ISN, S_ISN)
    get = http_get("/bogus.bin", "www.example.com")
    resp = http_response(3 * 1460, "bogus-body")
    C1, S1 = C_ISN + 1, S_ISN + 1
    AG = C1 + len(get)
    cap.add(0.0, tcp4(C2S, CLI, SRV, CP, SP, C_ISN, 0, "S", 0x2201,
                      ttl=55, mss=1460), "client SYN")
    cap.add(0.000028, tcp4(S2C, SRV, CLI, SP, CP, S_ISN, C1, "SA", 0x0000,
                           mss=1460), "server SYN-ACK")
    cap.add(0.022000, tcp4(C2S, CLI, SRV, CP, SP, C1, S1, "A", 0x2202,
                           ttl=55), "client ACK")
    cap.add(0.022200, tcp4(C2S, CLI, SRV, CP, SP, C1, S1, "PA", 0x2203,
                           get, ttl=55), "client HTTP GET")
    segs = []
    for i in range(3):
        segs.append(cap.add(
            0.022350 + i * 0.000012,
            tcp4(S2C, SRV, CLI, SP, CP, S1 + i * 1460, AG,
                 "PA" if i == 2 else "A", 0x5B00 + i,
                 resp[i * 1460:(i + 1) * 1460]),
            "segment %d" % (i + 1)))
    mtus = [(1500, "bogus MTU",
             """MTU 1500 is not smaller than the quoted IP len 1500 (which
             equals the wire IP len: no offload), so the message makes no
             sense."""),
            (40, "bogus MTU",
             """MTU 40 is below the IPv4 minimum of 68 (RFC 791); Linux
             would ignore it / clamp to min_pmtu."""),
            (0, "MTU 0 note",
             """MTU 0: pre-RFC 1191 router (bytes 4-7 unused); not an
             error as such, the sender has to estimate the MTU (RFC 1191
             section 5 plateau table: next plateau below 1500 is 1492).""")]
    for i, (mtu, verdict, notes) in enumerate(mtus):
        icmp = cap.add(0.022600 + i * 0.000100, icmp4_frag_needed(
            (RTR_MAC, SRV_MAC), RTR, SRV, 0x9D01 + i, mtu,
            ipv4_quote(segs[i].data)),
            "router ICMP frag-needed MTU %d, quotes segment %d" % (mtu, i + 1))
        cap.expect(icmp, segs[i], [segs[i]], verdict, notes)
    return cap


def quote_rewritten():
    """A router that quotes only 548 bytes of a 1500-byte packet and rewrites
    the quoted IP header's total length to 548 (the length of what it
    quotes), recomputing the quoted header checksum. MTU 1400. The quoted
    length is therefore SMALLER than the wire length: this is not an offload
    artefact but a rewritten quote; the ICMP itself is still a genuine PMTU
    signal (1500 > 1400) and the sender resends as 1360 + 100.
    """
    cap = Capture("quote_rewritten.pcap", quote_rewritten.__doc__)
    CLI, SRV, RTR = "203.0.113.61", "192.0.2.10", "192.0.2.1"
    RTR_MAC, SRV_MAC = "52:54:00:6b:01:01", "52:54:00:6b:01:0a"
    cap.host("client (remote)", "via router", CLI)
    cap.host("router (rewrites quoted length)", RTR_MAC, RTR)
    cap.host("server (sender, capture point)", SRV_MAC, SRV)
    C2S, S2C = (RTR_MAC, SRV_MAC), (SRV_MAC, RTR_MAC)
    CP, SP = 51515, 80
    C_ISN, S_ISN = 0x5F3A8C04, 0x3A2B1C0D
    cap.flow(CLI, CP, SRV, SP, C_ISN, S_ISN)
    get = http_get("/rw.bin", "www.example.com")
    resp = http_response(1460, "rewritten-body")
    C1, S1 = C_ISN + 1, S_ISN + 1
    AG = C1 + len(get)
    cap.add(0.0, tcp4(C2S, CLI, SRV, CP, SP, C_ISN, 0, "S", 0x3301,
                      ttl=52, mss=1460), "client SYN")
    cap.add(0.000026, tcp4(S2C, SRV, CLI, SP, CP, S_ISN, C1, "SA", 0x0000,
                           mss=1460), "server SYN-ACK")
    cap.add(0.027000, tcp4(C2S, CLI, SRV, CP, SP, C1, S1, "A", 0x3302,
                           ttl=52), "client ACK")
    cap.add(0.027200, tcp4(C2S, CLI, SRV, CP, SP, C1, S1, "PA", 0x3303,
                           get, ttl=52), "client HTTP GET")
    big = cap.add(0.027350, tcp4(S2C, SRV, CLI, SP, CP, S1, AG, "PA", 0x6D2A,
                                 resp), "response, one 1460-byte segment")
    q = ipv4_quote(big.data, nbytes=548, total_length=548)
    icmp = cap.add(0.027610, icmp4_frag_needed(
        (RTR_MAC, SRV_MAC), RTR, SRV, 0x9E01, 1400, q),
        "router ICMP frag-needed MTU 1400, quote rewritten to len 548")
    cap.add(0.027670, tcp4(S2C, SRV, CLI, SP, CP, S1, AG, "A", 0x6D2B,
                           resp[:1360]), "resend, part 1 (IP len 1400)")
    cap.add(0.027676, tcp4(S2C, SRV, CLI, SP, CP, S1 + 1360, AG, "PA",
                           0x6D2C, resp[1360:]), "resend, part 2")
    cap.add(0.054500, tcp4(C2S, CLI, SRV, CP, SP, AG, S1 + 1460, "A", 0x3304,
                           ttl=52), "client ACK of all data")
    cap.expect(icmp, big, [big], "quote rewritten",
               """Quoted IP len 548 = number of quoted bytes < wire IP len
               1500. By the quoted header the packet would span seq rel
               1..508 (548 - 20 - 20 = 508 payload bytes), which overlaps
               only the first 508 of the 1460 bytes of frame %d (partial
               cover; no other frame carries those bytes before the ICMP).
               Must not be reported as an offload artefact (quoted < wire,
               not >), nor as bogus MTU: compare the MTU with the wire IP
               len 1500 (> 1400) rather than with the rewritten 548."""
               % big.number)
    return cap


def udp_id0_payload():
    """Two UDP datagrams of the same flow (same addresses and ports), both
    with IP ID 0 and DF set (as older Linux kernels send DF datagrams),
    1472-byte payloads (IP len 1500) with different bytes, then an ICMP
    frag-needed MTU 1400 quoting the FIRST datagram (548 bytes). Addresses,
    ports, IP ID and length are identical for both datagrams, so only the
    quoted payload bytes (and the UDP checksum) tell them apart: the quoted
    frame is the first datagram, not the latest.
    """
    cap = Capture("udp_id0_payload.pcap", udp_id0_payload.__doc__)
    SND, DST, RTR = "192.0.2.20", "198.51.100.30", "192.0.2.1"
    RTR_MAC, SND_MAC = "52:54:00:6b:01:01", "52:54:00:6b:01:14"
    cap.host("UDP receiver (remote)", "via router", DST)
    cap.host("router (next hop MTU 1400)", RTR_MAC, RTR)
    cap.host("UDP sender (capture point)", SND_MAC, SND)
    L2 = (SND_MAC, RTR_MAC)
    SPORT, DPORT = 41000, 50000
    d1 = cap.add(0.0, udp4(L2, SND, DST, SPORT, DPORT, 0x0000,
                           prbytes("udp-id0-datagram-1", 1472)),
                 "datagram 1 (IP ID 0)")
    d2 = cap.add(0.000020, udp4(L2, SND, DST, SPORT, DPORT, 0x0000,
                                prbytes("udp-id0-datagram-2", 1472)),
                 "datagram 2 (IP ID 0, other bytes)")
    icmp = cap.add(0.000310, icmp4_frag_needed(
        (RTR_MAC, SND_MAC), RTR, SND, 0x9F01, 1400, ipv4_quote(d1.data)),
        "router ICMP frag-needed MTU 1400, quotes datagram 1")
    assert d1.data[14 + 28:14 + 548] != d2.data[14 + 28:14 + 548]
    cap.expect(icmp, d1, [d1], "legitimate",
               """Frame %d has the same addresses, ports, IP ID 0, IP len
               1500 and UDP len 1480 but different payload bytes (first
               payload byte 0x%02x vs 0x%02x) and UDP checksum (0x%04x vs
               0x%04x): it must NOT be matched even though it is the latest.
               Quoted IP len = wire IP len = 1500 > MTU 1400."""
               % (d2.number, d1.data[42], d2.data[42],
                  parse_l3(d1.data[14:])["udpcsum"],
                  parse_l3(d2.data[14:])["udpcsum"]))
    return cap


def sender_tso_mss():
    """Captured on the sending host itself, above the NIC, with TSO on: the
    capture shows the super-segment handed to the (virtual) NIC, not the
    wire segments. Handshake: the receiver announces MSS 1460. The sender's
    frame carries 2920 bytes of payload (IP len 2960, frame 2974 bytes).
    The vNIC failed to segment it, so a router answered ICMP frag-needed MTU
    1500 quoting exactly that packet (total length 2960). The quote equals
    the captured frame, but the frame exceeds the peer's MSS + 40 = 1500:
    offload at the capture point. After the RTO the sender retransmits the
    first 1460 bytes alone, then the rest; both are ACKed.
    """
    cap = Capture("sender_tso_mss.pcap", sender_tso_mss.__doc__)
    CLI, SRV, RTR = "203.0.113.45", "192.0.2.10", "192.0.2.1"
    RTR_MAC, SRV_MAC = "00:50:56:8a:3c:01", "00:50:56:8a:3c:10"
    cap.host("client (remote)", "via router", CLI)
    cap.host("router / gateway", RTR_MAC, RTR)
    cap.host("server (sender, capture point, TSO on)", SRV_MAC, SRV)
    C2S, S2C = (RTR_MAC, SRV_MAC), (SRV_MAC, RTR_MAC)
    CP, SP = 49500, 80
    C_ISN, S_ISN = 0x7C1E9A52, 0x3A2B1C0D
    cap.flow(CLI, CP, SRV, SP, C_ISN, S_ISN)
    get = http_get("/files/test-7mb.bin", "198.51.100.1")
    resp = http_response(2920, "tso-body")
    C1, S1 = C_ISN + 1, S_ISN + 1
    AG = C1 + len(get)
    cap.add(0.0, tcp4(C2S, CLI, SRV, CP, SP, C_ISN, 0, "S", 0x4101,
                      ttl=63, mss=1460), "client SYN (MSS 1460)")
    cap.add(0.000035, tcp4(S2C, SRV, CLI, SP, CP, S_ISN, C1, "SA", 0x0000,
                           mss=1460), "server SYN-ACK (MSS 1460)")
    cap.add(0.000610, tcp4(C2S, CLI, SRV, CP, SP, C1, S1, "A", 0x4102,
                           ttl=63), "client ACK")
    cap.add(0.000900, tcp4(C2S, CLI, SRV, CP, SP, C1, S1, "PA", 0x4103,
                           get, ttl=63), "client HTTP GET")
    tso = cap.add(0.001100, tcp4(S2C, SRV, CLI, SP, CP, S1, AG, "PA", 0x8F70,
                                 resp), "TSO super-segment, 2920 bytes")
    icmp = cap.add(0.001420, icmp4_frag_needed(
        (RTR_MAC, SRV_MAC), RTR, SRV, 0xA001, 1500, ipv4_quote(tso.data)),
        "router ICMP frag-needed MTU 1500, quotes it exactly")
    cap.add(0.205100, tcp4(S2C, SRV, CLI, SP, CP, S1, AG, "A", 0x8F71,
                           resp[:1460]), "RTO retransmission of first 1460")
    cap.add(0.205700, tcp4(C2S, CLI, SRV, CP, SP, AG, S1 + 1460, "A", 0x4104,
                           ttl=63), "client ACK")
    cap.add(0.205800, tcp4(S2C, SRV, CLI, SP, CP, S1 + 1460, AG, "PA",
                           0x8F72, resp[1460:]), "second 1460 bytes")
    cap.add(0.206400, tcp4(C2S, CLI, SRV, CP, SP, AG, S1 + 2920, "A", 0x4105,
                           ttl=63), "client ACK of all data")
    cap.expect(icmp, tso, [tso], "offload artefact",
               """Quoted IP len = wire IP len = 2960 > MTU 1500, so the
               ICMP looks legitimate from the frame alone; the artefact is
               that the captured frame (IP len 2960, TCP payload 2920) is
               larger than the peer's announced MSS 1460 + 40 = 1500 (and
               larger than 1514 on Ethernet): the capture point is above
               TSO/GSO.""")
    return cap


def udp_merged_gro():
    """Three consecutive UDP datagrams of one flow, 1000-byte payloads each
    (IP len 1028, UDP len 1008), DF set, consecutive IP IDs. A router whose
    receive path merged datagrams 1+2 (UDP GRO / LRO) answers ICMP
    frag-needed MTU 1400 quoting an IP header of total length 2028 with UDP
    length 2008: the first datagram's IP ID, addresses and ports, and the
    payload bytes of the first datagram (548-byte quote). No wire frame is
    larger than 1028, so the MTU 1400 can only refer to the merged packet.
    """
    cap = Capture("udp_merged_gro.pcap", udp_merged_gro.__doc__)
    SND, DST, RTR = "192.0.2.20", "198.51.100.30", "192.0.2.1"
    RTR_MAC, SND_MAC = "52:54:00:6b:01:01", "52:54:00:6b:01:14"
    cap.host("UDP receiver (remote)", "via router", DST)
    cap.host("router (merges on receive)", RTR_MAC, RTR)
    cap.host("UDP sender (capture point)", SND_MAC, SND)
    L2 = (SND_MAC, RTR_MAC)
    SPORT, DPORT = 41002, 50002
    ds = []
    for i in range(3):
        ds.append(cap.add(i * 0.000009, udp4(
            L2, SND, DST, SPORT, DPORT, 0x4D10 + i,
            prbytes("udp-gro-datagram-%d" % (i + 1), 1000)),
            "datagram %d" % (i + 1)))
    q = ipv4_quote(ds[0].data, total_length=2028, udp_length=2008)
    icmp = cap.add(0.000280, icmp4_frag_needed(
        (RTR_MAC, SND_MAC), RTR, SND, 0xA101, 1400, q),
        "router ICMP frag-needed MTU 1400, quotes 1+2 merged (2028)")
    cap.expect(icmp, ds[0], [ds[0], ds[1]], "offload artefact",
               """Quoted IP len 2028 > wire IP len 1028 of frame %d; the
               quoted UDP length 2008 = 8 + 2x1000 describes the payloads of
               frames %d and %d back to back. The UDP checksum in the quote
               is the one of datagram 1 (not valid for the merged length).
               Frame %d is not covered."""
               % (ds[0].number, ds[0].number, ds[1].number, ds[2].number))
    return cap


def snaplen_truncated():
    """Same packets as icmpv4_legit_frag_needed.pcap (a genuine frag-needed
    MTU 1400 about a 1500-byte packet), but written with snaplen 96: every
    record keeps its real wire length (1514 for the big segment, 590 for
    the ICMP) but only the first 96 bytes are captured. For the ICMP frame
    this leaves 54 quote bytes: the quoted IP header (20), TCP header (20)
    and 14 payload bytes. For the data frames 42 payload bytes are captured.
    The analysis must use the wire and IP lengths, not the captured lengths.
    """
    cap, icmp, big = _ipv4_legit_flow("snaplen_truncated.pcap",
                                      snaplen_truncated.__doc__, snaplen=96)
    cap.expect(icmp, big, [big], "legitimate",
               """Identical expectations to icmpv4_legit_frag_needed.pcap.
               Quoted IP len 1500 (from the captured part of the quote) =
               wire IP len 1500 of frame %d (IP total length field, frame
               length 1514; captured length only 96) > MTU 1400. Only 54
               quote bytes are captured, which still hold the whole quoted IP
               and TCP headers (IP ID, ports, seq). Must not be flagged as
               offload artefact or rewritten quote because of the 96-byte
               captured lengths.""" % big.number)
    return cap


CAPTURES = [
    seed_dnat_tso,
    icmpv6_ptb_legit,
    icmpv4_legit_frag_needed,
    quote_not_captured,
    retransmit_ip_id,
    bogus_mtu,
    quote_rewritten,
    udp_id0_payload,
    sender_tso_mss,
    udp_merged_gro,
    snaplen_truncated,
]


# The model's verdict words -> the expert infos the capture tests expect.
EXPERTS = {
    "offload artefact": ["offload_artefact"],
    "legitimate": ["legitimate"],
    "bogus MTU": ["bogus_mtu"],
    "MTU 0 note": ["bogus_mtu"],
    "quote not captured": ["quote_not_captured"],
    "quote rewritten": ["quote_rewritten", "legitimate"],
}


def stated_icmps(cap):
    """{ICMP frame: fields} as the model built them, in the terms of
    testcaptures/expectations.json."""
    out = {}
    for fact in cap.facts:
        d = parse_l3(fact.icmp.data[14:])
        q = fact.quoted
        out[fact.icmp.number] = {
            "quoted": q.number if q else None,
            "qlen": parse_l3(d["quote"])["iplen"],
            "wlen": parse_l3(q.data[14:])["iplen"] if q else None,
            "mtu": d["mtu"], "covered": [c.number for c in fact.covered],
            "experts": EXPERTS[fact.verdict]}
    return out


def main():
    caps = [fn() for fn in CAPTURES]
    cases = expectations.load()
    errors = [e for cap in caps for e in expectations.differences(
        cases["crafted/" + cap.filename], "icmps", stated_icmps(cap))]
    return pcapgen.publish(caps, OUT_DIR, errors, "EXPECTED.md",
                           lambda: render_expected(caps))


if __name__ == "__main__":
    sys.exit(main())
