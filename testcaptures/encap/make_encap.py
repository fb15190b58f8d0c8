#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Generate the encapsulation test captures for the pmtud post-dissector.

Run with Debian's python3 (scapy 2.5), from anywhere:

    /usr/bin/python3 testcaptures/encap/make_encap.py           # write
    /usr/bin/python3 testcaptures/encap/make_encap.py --check   # write, then
        # decode every file with tshark and compare it with the model

Each capture is a short flow in an odd-but-legal encapsulation (VLAN and
QinQ tags, Linux cooked v1/v2, raw IP, a pcapng with two link types,
IP-in-IP, 6in4, GRE with key / checksum / sequence number, Ethernet in GRE,
VXLAN, IPv4 options, IPv6 extension headers, fragments, UDP, ICMP, RFC 4884
extensions, minimal and cut quotes, a 60-byte snaplen) and one or more
ICMPv4 "fragmentation needed" / ICMPv6 "Packet Too Big" about it.

EXPECTED.md is rendered from the same model that builds the packets: the
frame tables are derived from the bytes written, the per-ICMP facts are
stated by each capture function from how it built the scenario. Before
anything is written, those facts are checked against the captures' entries
in testcaptures/expectations.json (what the capture tests assert).

Everything is deterministic (testcaptures/lib/pcapgen.py): fixed timestamps
(integer microseconds), fixed IP IDs, sequence numbers, MACs and payload
bytes (SHA-256 of fixed labels).
"""

import os
import struct
import sys

from scapy.layers.inet import IP
from scapy.layers.inet6 import (IPv6ExtHdrDestOpt, IPv6ExtHdrHopByHop,
                                IPv6ExtHdrSegmentRouting, PadN)
from scapy.packet import Raw

OUT_DIR = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(OUT_DIR), "lib"))

import expectations  # noqa: E402
import pcapgen  # noqa: E402
from pcapgen import (  # noqa: E402
    BASE_US, DEFAULT_SNAPLEN, ICMP4_QUOTE_MAX, http_get, http_response,
    ICMP6_QUOTE_MAX, LINKTYPE_ETHERNET, LINKTYPE_LINUX_SLL, LINKTYPE_LINUX_SLL2,
    LINKTYPE_RAW, ethertype_of, icmp4_frag_needed, icmp6_ptb, inet_checksum,
    mac, parse_l3, prbytes, prtext, rewrite_ipv4_len, rewrite_ipv6_plen,
    seq_text, tcp_flags)
from pcapgen import tcp_ip as tcp_seg, udp_ip as udp_dgram  # noqa: E402

LINKTYPE_NAMES = {
    LINKTYPE_ETHERNET: "Ethernet (LINKTYPE_ETHERNET 1)",
    LINKTYPE_RAW: "raw IP (LINKTYPE_RAW 101)",
    LINKTYPE_LINUX_SLL: "Linux cooked v1 (LINKTYPE_LINUX_SLL 113)",
    LINKTYPE_LINUX_SLL2: "Linux cooked v2 (LINKTYPE_LINUX_SLL2 276)",
}
LINK_MTU = 1500          # pmtud's default link MTU (pmtud.link_mtu 0)


ETH_VLAN, ETH_QINQ, ETH_QINQ_OLD, ETH_TEB = 0x8100, 0x88A8, 0x9100, 0x6558

# Verdict names = pmtud expert info names without the "pmtud." prefix.
OFFLOAD, LEGIT, BOGUS, NOTCAP, REWRITTEN, SHORT = (
    "offload_artefact", "legitimate", "bogus_mtu", "quote_not_captured",
    "quote_rewritten", "quote_short")
WORKED, SAME_SIZE, IGNORED, NO_RETX = (
    "pmtud_worked", "same_size_crossed", "icmp_ignored", "no_retransmission")


# ---------------------------------------------------------------------------
# Payloads and counters
# ---------------------------------------------------------------------------

def dns_name(name):
    out = b""
    for part in name.rstrip(".").split("."):
        out += bytes([len(part)]) + part.encode()
    return out + b"\0"


OPT_RR = b"\0" + struct.pack("!HHIH", 41, 1232, 0, 0)   # EDNS0, 1232 bytes


def dns_query(txid, qname, qtype=16):
    return (struct.pack("!HHHHHH", txid, 0x0100, 1, 0, 0, 1)
            + dns_name(qname) + struct.pack("!HH", qtype, 1) + OPT_RR)


def dns_txt_response(txid, qname, total_len, label):
    """A DNS response (TXT answer + EDNS0 OPT) of exactly total_len bytes."""
    question = dns_name(qname) + struct.pack("!HH", 16, 1)
    fixed = 12 + len(question) + (2 + 10) + len(OPT_RR)
    rdlen = total_len - fixed
    assert rdlen > 0
    rdata = b""
    left = rdlen
    i = 0
    while left > 0:
        chunk = min(256, left)            # 1 length byte + up to 255 chars
        rdata += bytes([chunk - 1]) + prtext("%s-%d" % (label, i), chunk - 1)
        left -= chunk
        i += 1
    msg = (struct.pack("!HHHHHH", txid, 0x8180, 1, 1, 0, 1) + question
           + struct.pack("!HHHIH", 0xC00C, 16, 1, 300, len(rdata)) + rdata
           + OPT_RR)
    assert len(msg) == total_len
    return msg


class Counter:
    def __init__(self, start):
        self.v = start

    def next(self):
        v = self.v
        self.v = (self.v + 1) & 0xFFFF
        return v


# ---------------------------------------------------------------------------
# IP packet builders (scapy computes lengths and checksums)
# ---------------------------------------------------------------------------

def icmp4_echo(src, dst, ipid, ident, seq, payload, ttl=64, df=True,
               reply=False):
    t = 0 if reply else 8
    hdr = struct.pack("!BBHHH", t, 0, 0, ident, seq)
    csum = inet_checksum(hdr + payload)
    icmp = struct.pack("!BBHHH", t, 0, csum, ident, seq) + payload
    return bytes(IP(src=src, dst=dst, id=ipid, ttl=ttl,
                    flags="DF" if df else 0, proto=1) / Raw(icmp))


def ipv4_fragments(ipb, data_per_fragment):
    """Splits an IPv4 packet (IHL 5) into fragments; DF is kept as it was."""
    ihl = (ipb[0] & 0x0F) * 4
    hdr, data = bytearray(ipb[:ihl]), ipb[ihl:]
    df = struct.unpack("!H", ipb[6:8])[0] & 0x4000
    out = []
    for off in range(0, len(data), data_per_fragment):
        chunk = data[off:off + data_per_fragment]
        mf = 0x2000 if off + len(chunk) < len(data) else 0
        h = bytearray(hdr)
        h[2:4] = struct.pack("!H", ihl + len(chunk))
        h[6:8] = struct.pack("!H", df | mf | (off // 8))
        h[10:12] = b"\0\0"
        h[10:12] = struct.pack("!H", inet_checksum(bytes(h)))
        out.append(bytes(h) + chunk)
    return out


# ---------------------------------------------------------------------------
# Encapsulations: a Path turns an IP packet into a frame
# ---------------------------------------------------------------------------

class Eth:
    """Ethernet with optional tags [(tpid, vid), ...], outermost first."""

    def __init__(self, src, dst, tags=(), pcp=0):
        self.src, self.dst, self.tags, self.pcp = src, dst, list(tags), pcp

    def header(self, ethertype):
        h = mac(self.dst) + mac(self.src)
        for tpid, vid in self.tags:
            h += struct.pack("!HH", tpid, (self.pcp << 13) | vid)
        return h + struct.pack("!H", ethertype)

    def describe(self):
        d = "Ethernet %s -> %s" % (self.src, self.dst)
        for tpid, vid in self.tags:
            d += ", %s VLAN %d (TPID 0x%04x)" % (
                {ETH_VLAN: "802.1Q", ETH_QINQ: "802.1ad S-tag",
                 ETH_QINQ_OLD: "QinQ (old TPID)"}[tpid], vid, tpid)
        return d


class Sll:
    """Linux cooked v1 (16 bytes)."""

    def __init__(self, pkttype, addr):
        self.pkttype, self.addr = pkttype, addr

    def header(self, ethertype):
        a = mac(self.addr)
        return (struct.pack("!HHH", self.pkttype, 1, len(a)) + a
                + b"\0" * (8 - len(a)) + struct.pack("!H", ethertype))

    def describe(self):
        return "SLL packet type %d (%s), ARPHRD_ETHER, address %s" % (
            self.pkttype, {0: "to us", 4: "outgoing"}[self.pkttype], self.addr)


class Sll2:
    """Linux cooked v2 (20 bytes)."""

    def __init__(self, pkttype, addr, ifindex):
        self.pkttype, self.addr, self.ifindex = pkttype, addr, ifindex

    def header(self, ethertype):
        a = mac(self.addr)
        return (struct.pack("!HHIHBB", ethertype, 0, self.ifindex, 1,
                            self.pkttype, len(a)) + a + b"\0" * (8 - len(a)))

    def describe(self):
        return ("SLL2 ifindex %d, packet type %d (%s), ARPHRD_ETHER, "
                "address %s" % (self.ifindex, self.pkttype,
                                {0: "to us", 4: "outgoing"}[self.pkttype],
                                self.addr))


class RawLink:
    def header(self, ethertype):
        return b""

    def describe(self):
        return "raw IP"


class Tunnel:
    """Outer IPv4 (+ GRE / UDP+VXLAN) around an inner IP packet."""

    def __init__(self, kind, src, dst, ids, ttl=64, gre_key=None,
                 gre_csum=False, gre_seq=None, inner_eth=None,
                 vxlan_vni=None, udp_sport=None):
        self.kind, self.src, self.dst, self.ids, self.ttl = (
            kind, src, dst, ids, ttl)
        self.gre_key, self.gre_csum, self.gre_seq = gre_key, gre_csum, gre_seq
        self.inner_eth, self.vxlan_vni, self.udp_sport = (
            inner_eth, vxlan_vni, udp_sport)

    def wrap(self, ipb):
        """-> (outer IP packet bytes, offset of ipb inside it, facts)."""
        facts = {}
        ipid = self.ids.next()
        if self.kind in ("ipip", "6in4"):
            proto, inner = (4 if self.kind == "ipip" else 41), ipb
            want = 4 if self.kind == "ipip" else 6
            assert ipb[0] >> 4 == want
            off = 20
            outer = bytes(IP(src=self.src, dst=self.dst, id=ipid, ttl=self.ttl,
                             flags="DF", proto=proto) / Raw(inner))
        elif self.kind == "gre":
            payload = ipb
            ptype = ethertype_of(ipb)
            pre = b""
            if self.inner_eth:
                pre = self.inner_eth.header(ethertype_of(ipb))
                ptype = ETH_TEB
            flags = 0
            opt = b""
            if self.gre_csum:
                flags |= 0x8000
                opt += b"\0\0\0\0"
            if self.gre_key is not None:
                flags |= 0x2000
                opt += struct.pack("!I", self.gre_key)
            if self.gre_seq is not None:
                flags |= 0x1000
                seq = self.gre_seq.v
                self.gre_seq.v += 1
                opt += struct.pack("!I", seq)
                facts["gre_seq"] = seq
            facts["gre_type"] = ptype
            gre = bytearray(struct.pack("!HH", flags, ptype) + opt + pre +
                            payload)
            if self.gre_csum:
                gre[4:6] = struct.pack("!H", inet_checksum(bytes(gre)))
            off = 20 + 4 + len(opt) + len(pre)
            outer = bytes(IP(src=self.src, dst=self.dst, id=ipid, ttl=self.ttl,
                             flags="DF", proto=47) / Raw(bytes(gre)))
        elif self.kind == "vxlan":
            pre = self.inner_eth.header(ethertype_of(ipb))
            vx = struct.pack("!BBHI", 0x08, 0, 0, self.vxlan_vni << 8)
            udp_len = 8 + len(vx) + len(pre) + len(ipb)
            udp = struct.pack("!HHHH", self.udp_sport, 4789, udp_len, 0)
            off = 20 + 8 + 8 + len(pre)
            # Linux sends VXLAN over IPv4 with UDP checksum 0, DF clear.
            outer = bytes(IP(src=self.src, dst=self.dst, id=ipid, ttl=self.ttl,
                             flags=0, proto=17) / Raw(udp + vx + pre + ipb))
        else:
            raise ValueError(self.kind)
        facts["outer_id"] = ipid
        return outer, off, facts

    def describe(self, outer, facts):
        d = "IPv4 %s -> %s ID 0x%04x%s, TTL %d, IP len %d, " % (
            self.src, self.dst, facts["outer_id"],
            ", DF" if outer[6] & 0x40 else "", self.ttl, len(outer))
        if self.kind == "ipip":
            return d + "proto 4 (IP-in-IP)"
        if self.kind == "6in4":
            return d + "proto 41 (6in4)"
        if self.kind == "gre":
            parts = []
            if self.gre_csum:
                parts.append("checksum")
            if self.gre_key is not None:
                parts.append("key 0x%08x" % self.gre_key)
            if "gre_seq" in facts:
                parts.append("seq %d" % facts["gre_seq"])
            d += "proto 47 / GRE v0 [%s] type 0x%04x" % (
                ", ".join(parts), facts["gre_type"])
            if self.inner_eth:
                d += " / inner " + self.inner_eth.describe()
            return d
        if self.kind == "vxlan":
            return (d + "proto 17 / UDP %d -> 4789 (checksum 0) / VXLAN VNI %d"
                    " / inner %s" % (self.udp_sport, self.vxlan_vni,
                                     self.inner_eth.describe()))
        return d


class Path:
    """link header + optional tunnel; frame(ip bytes) -> Built."""

    def __init__(self, link, tunnel=None, iface=0):
        self.link, self.tunnel, self.iface = link, tunnel, iface

    def frame(self, ipb):
        if self.tunnel:
            outer, off, facts = self.tunnel.wrap(ipb)
            desc = self.link.describe() + " / " + self.tunnel.describe(
                outer, facts)
        else:
            outer, off, facts = ipb, 0, {}
            desc = self.link.describe()
        hdr = self.link.header(ethertype_of(outer))
        return hdr + outer, len(hdr), len(hdr) + off, desc, facts


# ---------------------------------------------------------------------------
# Capture model
# ---------------------------------------------------------------------------

class Frame(pcapgen.Frame):
    def __init__(self, number, t_us, data, label, caplen, ip_off, outer_off,
                 desc, iface, linktype, facts):
        super().__init__(number, t_us, data, label, caplen)
        self.ip_off, self.outer_off, self.desc = ip_off, outer_off, desc
        self.iface, self.linktype, self.facts = iface, linktype, facts
        self.check = {}          # tshark field -> expected value

    @property
    def ip(self):
        return self.data[self.ip_off:]

    @property
    def outer_ip_len(self):
        return ip_total_len(self.data[self.outer_off:])


def ip_total_len(ipb):
    if ipb[0] >> 4 == 4:
        return struct.unpack("!H", ipb[2:4])[0]
    return 40 + struct.unpack("!H", ipb[4:6])[0]


class Fact:
    """Expected pmtud facts for one ICMP frame."""

    def __init__(self, icmp, quoted, qlen, wlen, mtu, covered, verdicts,
                 reaction=None, truth=None, notes="", quote_desc=None):
        self.icmp, self.quoted, self.qlen, self.wlen = icmp, quoted, qlen, wlen
        self.mtu, self.covered, self.verdicts = mtu, covered, verdicts
        self.reaction, self.truth, self.notes = reaction, truth, notes
        self.quote_desc = quote_desc


class Capture(pcapgen.Capture):
    frame_class = Frame

    def __init__(self, filename, doc, linktype=LINKTYPE_ETHERNET,
                 snaplen=DEFAULT_SNAPLEN, interfaces=None, pad=False):
        super().__init__(filename, doc, linktype, snaplen, interfaces)
        self.pad = pad
        self.facts = []
        self.kind = ""           # merged / legitimate / ... (summary)
        self.malformed_ok = set()    # frames Wireshark may call malformed
        # [(tshark options, frame number, {field: value})], checked apart
        self.extra_checks = []

    @property
    def encap(self):
        return ENCAP_SHORT[self.filename]

    def add(self, t_s, path, ipb, label):
        data, outer_off, ip_off, desc, facts = path.frame(ipb)
        if self.pad and len(data) < 60:
            data += b"\0" * (60 - len(data))
        linktype = (self.interfaces[path.iface][0] if self.interfaces
                    else self.linktype)
        return super().add(t_s, data, label, ip_off=ip_off,
                           outer_off=outer_off, desc=desc, iface=path.iface,
                           linktype=linktype, facts=facts)

    def expect(self, *a, **kw):
        f = Fact(*a, **kw)
        self.facts.append(f)
        return f

    def oversize(self):
        """Frames pmtud flags as larger than the link MTU: no ICMP, and the
        IP packet pmtud judges (the innermost one: a tunnel's outer packet
        is the tunnel's business) longer than 1500. No frame here carries
        more TCP payload than the MSS its receiver announced."""
        out = {}
        for f in self.frames:
            if is_icmp_frame(f):
                continue
            if ip_total_len(f.ip) > LINK_MTU:
                out[f.number] = (ip_total_len(f.ip), LINK_MTU, 3)
        return out


def is_icmp_frame(f):
    d = parse_l3(f.ip)
    return d["proto"] in (1, 58)


# ---------------------------------------------------------------------------
# Independent parser for the tables
# ---------------------------------------------------------------------------

def describe_ip(cap, d):
    """One-line description of a parsed IP packet (frame or quote)."""
    if d["ver"] == 4:
        l3 = "IPv4 ID 0x%04x%s" % (d["id"], ", DF" if d["df"] else "")
        if d["mf"] or d["fragoff"]:
            l3 += ", %sfragment offset %d" % ("MF, " if d["mf"] else "",
                                               d["fragoff"])
        if d["ihl"] > 20:
            l3 += ", IHL %d (%d option bytes)" % (d["ihl"] // 4, d["ihl"] - 20)
        l3 += ", IP len %d" % d["iplen"]
    else:
        l3 = "IPv6 payload len %d" % d["plen"]
        if d["exts"]:
            l3 += ", ext headers: " + " + ".join(d["exts"])
        l3 += ", IP len %d" % d["iplen"]
    if "sport" in d:
        ends = "%s:%d -> %s:%d" % (d["src"], d["sport"], d["dst"], d["dport"])
    else:
        ends = "%s -> %s" % (d["src"], d["dst"])
    if d["proto"] == 6 and "seq" in d:
        if "tcpcut" in d:
            return "TCP %s %s (only the first %d bytes of the TCP header); %s" % (
                ends, seq_text(cap.isn, dict(d, tcpflags=0)), d["tcpcut"], l3)
        return "TCP %s %s %s len %d; %s" % (ends, tcp_flags(d["tcpflags"]),
                                            seq_text(cap.isn, d), d["tcplen"], l3)
    if d["proto"] == 17 and "udplen" in d:
        return "UDP %s UDP len %d; %s" % (ends, d["udplen"], l3)
    if d["proto"] == 17:
        return "UDP (non-first fragment, no UDP header) %s; %s" % (ends, l3)
    if d["proto"] == 1 and d.get("icmptype") == 3:
        return ("ICMP %s type 3 code %d, byte 5 (RFC 4884 length) = %d, MTU %d, "
                "%d bytes after the ICMP header; %s" % (
                    ends, d["icmpcode"], d["b5"], d["mtu"], len(d["quote"]),
                    l3))
    if d["proto"] == 1 and d.get("icmptype") in (0, 8):
        return "ICMP echo %s %s id 0x%04x seq %d; %s" % (
            "request" if d["icmptype"] == 8 else "reply", ends, d["echo"][0],
            d["echo"][1], l3)
    if d["proto"] == 58 and d.get("icmptype") == 2:
        return "ICMPv6 %s Packet Too Big, MTU %d, quote %d bytes; %s" % (
            ends, d["mtu"], len(d["quote"]), l3)
    return "proto %d %s; %s" % (d["proto"], ends, l3)


# ---------------------------------------------------------------------------
# Scenario building blocks
# ---------------------------------------------------------------------------

class Ends:
    """The addresses of one scenario."""

    def __init__(self, fam, srv, cli, rtr, sport, cport, s_isn, c_isn,
                 s_ids=None, c_ids=None, r_ids=None, s_ttl=64, c_ttl=52):
        self.fam, self.srv, self.cli, self.rtr = fam, srv, cli, rtr
        self.sport, self.cport, self.s_isn, self.c_isn = (
            sport, cport, s_isn, c_isn)
        self.s_ids = s_ids or Counter(0)
        self.c_ids = c_ids or Counter(0)
        self.r_ids = r_ids or Counter(0)
        self.s_ttl, self.c_ttl = s_ttl, c_ttl


def data_sizes(e, ipopts=None, ext=None):
    """TCP payload of a full 1500-byte packet, and header overhead."""
    if e.fam == 4:
        hdr = 20 + (len(ipopts) if ipopts else 0) + 20
    else:
        hdr = 40 + sum(len(bytes(h)) for h in ext("::")) + 20 if ext else 60
    return 1500 - hdr, hdr


def tcp_flow(cap, e, c2s, s2c, icmp_path, kind, t0=0.0, ipopts=None,
             ext=None, quote="linux", mtu=None, label="flow", notes=""):
    """A short TCP flow: handshake, request, one (legitimate) or two
    (merged) full-size segments from the server, an ICMP about the first,
    and the sender's recovery.

    kind "merged": the router saw both segments as one packet (quote states
    the merged IP length), next-hop MTU 1500; after an RTO of 208 ms the
    server resends segment 1 alone at the same size, it is ACKed, segment 2
    follows and is ACKed: reaction same_size_crossed.
    kind "legit": MTU 1400 (IPv6: 1280) for the 1500-byte packet; the
    server resends in two smaller packets, all ACKed: reaction pmtud_worked.
    quote: "linux" (548 / 1232 bytes), "min" (IP header + 8 bytes),
    "rfc4884" (128-byte original datagram + extension structure).
    Returns dict of frames and the Fact.
    """
    fam = e.fam
    payload, hdr = data_sizes(e, ipopts, ext)
    mss = 1460 if fam == 4 else 1440
    cap.flow(e.cli, e.cport, e.srv, e.sport, e.c_isn, e.s_isn)
    get = http_get("/%s.bin" % label, "www.example.net", "curl")
    nseg = 2 if kind == "merged" else 1
    resp = http_response(nseg * payload, label, "nginx")
    C1, S1 = e.c_isn + 1, e.s_isn + 1

    def cli(t, what, seq, ack, flags, data=b"", m=None):
        return cap.add(t0 + t, c2s, tcp_seg(
            fam, e.cli, e.srv, e.cport, e.sport, seq, ack, flags, data,
            ipid=e.c_ids.next(), ttl=e.c_ttl, mss=m), what)

    def srv(t, what, seq, ack, flags, data=b"", m=None):
        return cap.add(t0 + t, s2c, tcp_seg(
            fam, e.srv, e.cli, e.sport, e.cport, seq, ack, flags, data,
            ipid=e.s_ids.next(), ttl=e.s_ttl, mss=m, ipopts=ipopts, ext=ext),
            what)

    fr = {}
    fr["syn"] = cli(0.0, "client SYN", e.c_isn, 0, "S", m=mss)
    fr["synack"] = srv(0.000040, "server SYN-ACK", e.s_isn, C1, "SA",
                       m=mss if fam == 4 else 1440)
    fr["get"] = cli(0.020120, "client ACK + HTTP GET", C1, S1, "PA", get)
    ack_get = C1 + len(get)
    if kind == "merged":
        s1 = srv(0.020400, "segment 1 (%d bytes)" % payload, S1, ack_get, "A",
                 resp[:payload])
        s2 = srv(0.020412, "segment 2 (%d bytes)" % payload, S1 + payload,
                 ack_get, "PA", resp[payload:])
        merged_len = hdr + 2 * payload
        mtu = mtu or 1500
        fr["s1"], fr["s2"] = s1, s2
        q_ip = (rewrite_ipv4_len(s1.ip, merged_len) if fam == 4 else
                rewrite_ipv6_plen(s1.ip, merged_len))
        qlen = merged_len
        t_icmp = 0.020650
    else:
        s1 = srv(0.020400, "response, one %d-byte segment" % payload, S1,
                 ack_get, "PA", resp)
        fr["s1"] = s1
        mtu = mtu or (1400 if fam == 4 else 1280)
        q_ip = s1.ip
        qlen = 1500
        t_icmp = 0.020620
    # The ICMP
    if fam == 4:
        if quote == "linux":
            qb, lf, ext_struct = q_ip[:ICMP4_QUOTE_MAX], 0, b""
        elif quote == "min":
            ihl = (q_ip[0] & 0x0F) * 4
            qb, lf, ext_struct = q_ip[:ihl + 8], 0, b""
        elif quote == "rfc4884":
            qb, lf = q_ip[:128], 32
            ext_struct = rfc5837_extension(ifindex=7, mtu=mtu)
        icmp_ip = icmp4_frag_needed(e.rtr, e.srv, e.r_ids.next(), mtu, qb,
                                    length_field=lf, extension=ext_struct)
        what = "ICMP frag-needed MTU %d%s" % (
            mtu, ", quotes segment 1 as %d" % qlen if kind == "merged" else "")
    else:
        qb = q_ip[:ICMP6_QUOTE_MAX]
        icmp_ip = icmp6_ptb(e.rtr, e.srv, mtu, qb)
        what = "ICMPv6 Packet Too Big MTU %d%s" % (
            mtu, ", quotes segment 1 as %d" % qlen if kind == "merged" else "")
    icmp = cap.add(t0 + t_icmp, icmp_path, icmp_ip, what)
    fr["icmp"] = icmp
    # Recovery
    if kind == "merged":
        r1 = srv(0.228400, "segment 1 resent alone after RTO (same size)",
                 S1, ack_get, "A", resp[:payload])
        cli(0.248500, "client ACK of segment 1", ack_get, S1 + payload, "A")
        srv(0.248560, "segment 2 sent again", S1 + payload, ack_get, "PA",
            resp[payload:])
        cli(0.268700, "client ACK of segment 2", ack_get, S1 + 2 * payload,
            "A")
        fr["retx"] = r1
        reaction = (SAME_SIZE, r1.number, r1.t_us - s1.t_us)
        covered = [s1, s2]
        verdicts = [OFFLOAD]
    else:
        small = mtu - hdr
        r1 = srv(t_icmp + 0.000050, "resent smaller, part 1 (%d bytes)" % small,
                 S1, ack_get, "A", resp[:small])
        srv(t_icmp + 0.000056, "resent smaller, part 2 (%d bytes)" %
            (payload - small), S1 + small, ack_get, "PA", resp[small:])
        cli(t_icmp + 0.020300, "client ACK of all data", ack_get,
            S1 + payload, "A")
        fr["retx"] = r1
        reaction = (WORKED, r1.number, r1.t_us - s1.t_us)
        covered = [s1]
        verdicts = [LEGIT]
    fact = cap.expect(icmp, s1, qlen, 1500, mtu, covered, verdicts,
                      reaction=reaction, notes=notes)
    fr["fact"] = fact
    return fr


def rfc5837_extension(ifindex, mtu):
    """RFC 4884 extension structure with one RFC 5837 Interface Information
    object (role: outgoing IP interface; ifIndex and MTU present)."""
    ctype = (2 << 6) | 0x08 | 0x01
    obj_payload = struct.pack("!II", ifindex, mtu)
    obj = struct.pack("!HBB", 4 + len(obj_payload), 2, ctype) + obj_payload
    hdr = struct.pack("!BBH", 0x20, 0, 0)
    csum = inet_checksum(hdr + obj)
    return struct.pack("!BBH", 0x20, 0, csum) + obj


# Addresses shared by most captures
S4, C4, R4 = "192.0.2.10", "198.51.100.20", "192.0.2.1"
S6, C6, R6 = "2001:db8:10::10", "2001:db8:200::20", "2001:db8:10::1"
S_MAC, R_MAC = "52:54:00:10:00:10", "52:54:00:10:00:01"
TEP_S, TEP_C, UND_R = "203.0.113.1", "203.0.113.129", "203.0.113.126"
TEP_S_MAC, UND_R_MAC = "52:54:00:71:00:01", "52:54:00:71:00:7e"


def std_hosts(cap, fam=4, l2=(S_MAC, R_MAC), router="gateway"):
    srv, cli, rtr = (S4, C4, R4) if fam == 4 else (S6, C6, R6)
    cap.host("server (data sender, capture point)", l2[0], srv)
    cap.host("%s (sends the ICMP)" % router, l2[1], rtr)
    cap.host("client (remote)", "via %s" % router, cli)


def ends4(sport=80, cport=49500, s_isn=0x3A2B1C0D, c_isn=0x7C1E9A52,
          s_id=0x1C46, c_id=0x5E01, r_id=0x0A10):
    return Ends(4, S4, C4, R4, sport, cport, s_isn, c_isn, Counter(s_id),
                Counter(c_id), Counter(r_id))


def ends6(sport=443, cport=50600, s_isn=0x11E0B0C1, c_isn=0x6C0FFEE1):
    return Ends(6, S6, C6, R6, sport, cport, s_isn, c_isn)


def eth_paths(tags=(), tags_in=None):
    out = Path(Eth(S_MAC, R_MAC, tags))
    inn = Path(Eth(R_MAC, S_MAC, tags if tags_in is None else tags_in))
    return out, inn


# ---------------------------------------------------------------------------
# The captures
# ---------------------------------------------------------------------------

def vlan_8021q():
    """Ethernet with one 802.1Q tag (VLAN 100, PCP 0) on every frame,
    captured on a trunk port next to the server. Merged: the gateway saw
    segments 1 and 2 as one 2960-byte packet and answers frag-needed
    MTU 1500 quoting that length."""
    cap = Capture("vlan_8021q.pcap", vlan_8021q.__doc__)
    cap.kind = "merged"
    std_hosts(cap)
    out, inn = eth_paths([(ETH_VLAN, 100)])
    tcp_flow(cap, ends4(), inn, out, inn, "merged", label="vlan")
    for f in cap.frames:
        f.check["vlan.id"] = "100"
    return cap


def qinq():
    """Two flows in double-tagged Ethernet. Flow A (port 80, merged) uses
    an 802.1ad S-tag (TPID 0x88a8, S-VLAN 200) over an 802.1Q C-tag
    (VLAN 100); flow B (port 8080, legitimate MTU 1400) uses the old
    pre-standard QinQ TPID 0x9100 (S-VLAN 300) over an 802.1Q C-tag
    (VLAN 101). Each ICMP travels with the same tags as its flow."""
    cap = Capture("qinq.pcap", qinq.__doc__)
    cap.kind = "merged (flow A) + legitimate (flow B)"
    std_hosts(cap)
    out_a, in_a = eth_paths([(ETH_QINQ, 200), (ETH_VLAN, 100)])
    out_b, in_b = eth_paths([(ETH_QINQ_OLD, 300), (ETH_VLAN, 101)])
    s_ids, r_ids = Counter(0x1C46), Counter(0x0A10)
    ea = Ends(4, S4, C4, R4, 80, 49500, 0x3A2B1C0D, 0x7C1E9A52, s_ids,
              Counter(0x5E01), r_ids)
    eb = Ends(4, S4, C4, R4, 8080, 49502, 0x0B0C0D0E, 0x2F2F1000, s_ids,
              Counter(0x5F01), r_ids)
    tcp_flow(cap, ea, in_a, out_a, in_a, "merged", label="qinq-a")
    n = len(cap.frames)
    tcp_flow(cap, eb, in_b, out_b, in_b, "legit", t0=1.0, label="qinq-b")
    for f in cap.frames:
        if f.number <= n:
            f.check["ieee8021ad.id"], f.check["vlan.id"] = "200", "100"
        else:
            f.check["ieee8021ad.id"], f.check["vlan.id"] = "", "300,101"
    return cap


def sll():
    """`tcpdump -i any` on the server: Linux cooked v1 headers (16 bytes).
    Outgoing frames (packet type 4) carry the server's MAC, incoming ones
    (packet type 0) the gateway's. Merged."""
    cap = Capture("sll.pcap", sll.__doc__, linktype=LINKTYPE_LINUX_SLL)
    cap.kind = "merged"
    std_hosts(cap)
    out, inn = Path(Sll(4, S_MAC)), Path(Sll(0, R_MAC))
    tcp_flow(cap, ends4(), inn, out, inn, "merged", label="sll")
    for f in cap.frames:
        f.check["sll.pkttype"] = "4" if f.data[1] == 4 else "0"
    return cap


def sll2():
    """`tcpdump -i any` on the server with Linux cooked v2 headers
    (20 bytes, interface index 2). IPv6: one 1440-byte segment (IPv6
    payload length 1460, IP len 1500), a router answers Packet Too Big
    MTU 1280 (legitimate), the server resends as 1220 + 220 bytes."""
    cap = Capture("sll2.pcap", sll2.__doc__, linktype=LINKTYPE_LINUX_SLL2)
    cap.kind = "legitimate"
    std_hosts(cap, 6, router="router")
    out, inn = Path(Sll2(4, S_MAC, 2)), Path(Sll2(0, R_MAC, 2))
    tcp_flow(cap, ends6(), inn, out, inn, "legit", label="sll2")
    for f in cap.frames:
        f.check["sll.ifindex"] = "2"
    return cap


def raw_ip():
    """LINKTYPE_RAW (101): no link header, the IP version nibble tells
    IPv4 from IPv6 (a capture on a tun interface of the server). Flow A:
    IPv4, merged (quote 2960, MTU 1500). Flow B: IPv6, legitimate (PTB
    MTU 1280 about a 1500-byte packet)."""
    cap = Capture("raw_ip.pcap", raw_ip.__doc__, linktype=LINKTYPE_RAW)
    cap.kind = "merged (IPv4) + legitimate (IPv6)"
    cap.host("server (data sender, capture point)", "-", "%s, %s" % (S4, S6))
    cap.host("gateway / router (sends the ICMP)", "-", "%s, %s" % (R4, R6))
    cap.host("client (remote)", "-", "%s, %s" % (C4, C6))
    p = Path(RawLink())
    tcp_flow(cap, ends4(), p, p, p, "merged", label="raw4")
    tcp_flow(cap, ends6(), p, p, p, "legit", t0=1.0, label="raw6")
    return cap


def pcapng_multi_if():
    """pcapng with two interfaces: interface 0 `eth0` (Ethernet) carries
    the TCP flow, interface 1 `tun0` (raw IP, LINKTYPE_RAW) carries the
    ICMP, which reaches the server over a VPN (asymmetric routing).
    Merged: the ICMP on tun0 quotes segment 1 (on eth0) as 2960 bytes."""
    cap = Capture("pcapng_multi_if.pcapng", pcapng_multi_if.__doc__,
                  snaplen=262144,
                  interfaces=[(LINKTYPE_ETHERNET, "eth0", "LAN"),
                              (LINKTYPE_RAW, "tun0", "VPN")])
    cap.kind = "merged"
    std_hosts(cap)
    out, inn = eth_paths()
    tun = Path(RawLink(), iface=1)
    tcp_flow(cap, ends4(), inn, out, tun, "merged", label="pcapng")
    for f in cap.frames:
        f.check["frame.interface_id"] = str(f.iface)
    return cap


def tunnel_hosts(cap, fam=4, router="far tunnel endpoint"):
    srv, cli, rtr = (S4, C4, R4) if fam == 4 else (S6, C6, R6)
    cap.host("server (data sender, inner)", "behind near tunnel endpoint", srv)
    cap.host("client (inner)", "behind far tunnel endpoint", cli)
    cap.host("%s (inner ICMP source)" % router, "-", rtr)
    cap.host("near tunnel endpoint (outer)", TEP_S_MAC, TEP_S)
    cap.host("far tunnel endpoint (outer)", "via underlay router " + UND_R_MAC,
             TEP_C)


def tunnel_paths(kind, **kw):
    """Paths on the underlay link next to the near tunnel endpoint."""
    ids_s, ids_c = Counter(0x4A00), Counter(0x9B00)
    kw_s = dict(kw)
    kw_c = dict(kw)
    if kind == "vxlan":
        kw_s["udp_sport"], kw_c["udp_sport"] = 51234, 42001
        kw_s["inner_eth"] = Eth("02:42:0a:00:00:0a", "02:42:0a:00:00:14")
        kw_c["inner_eth"] = Eth("02:42:0a:00:00:14", "02:42:0a:00:00:0a")
    if kw.get("inner_eth") is not None and kind == "gre":
        kw_s["inner_eth"] = Eth("02:42:0a:00:00:0a", "02:42:0a:00:00:01")
        kw_c["inner_eth"] = Eth("02:42:0a:00:00:01", "02:42:0a:00:00:0a")
    if "gre_seq" in kw:
        kw_s["gre_seq"], kw_c["gre_seq"] = Counter(1000), Counter(5000)
    out = Path(Eth(TEP_S_MAC, UND_R_MAC),
               Tunnel(kind, TEP_S, TEP_C, ids_s, ttl=64, **kw_s))
    inn = Path(Eth(UND_R_MAC, TEP_S_MAC),
               Tunnel(kind, TEP_C, TEP_S, ids_c, ttl=62, **kw_c))
    return out, inn


def gre():
    """IPv4 in GRE (version 0, key present: key 0x00001001 in both
    directions, no checksum, no sequence number), captured on the underlay
    next to the near tunnel endpoint. The far tunnel endpoint merges the
    two decapsulated segments (GRO) and rejects the 2960-byte result with
    frag-needed MTU 1500, sent back through the tunnel."""
    cap = Capture("gre.pcap", gre.__doc__)
    cap.kind = "merged"
    tunnel_hosts(cap)
    out, inn = tunnel_paths("gre", gre_key=0x1001)
    tcp_flow(cap, ends4(), inn, out, inn, "merged", label="gre")
    for f in cap.frames:
        f.check["gre.key"] = "0x00001001"
    return cap


def gre_eth():
    """Ethernet in GRE (protocol type 0x6558, transparent Ethernet
    bridging, "gretap"), GRE version 0 with the checksum and sequence
    number flags set (no key). Inner: Ethernet, IPv4, TCP. Legitimate: a
    router behind the far end answers frag-needed MTU 1400 about the
    1500-byte inner packet."""
    cap = Capture("gre_eth.pcap", gre_eth.__doc__)
    cap.kind = "legitimate"
    tunnel_hosts(cap, router="router behind the far end")
    out, inn = tunnel_paths("gre", gre_csum=True, gre_seq=True,
                            inner_eth=True)
    tcp_flow(cap, ends4(), inn, out, inn, "legit", label="gretap")
    for f in cap.frames:
        f.check["gre.proto"] = "0x6558"
        f.check["gre.sequence_number"] = str(f.facts["gre_seq"])
    return cap


def vxlan():
    """VXLAN (UDP destination port 4789, VNI 4242, flags 0x08, outer UDP
    checksum 0) carrying Ethernet/IPv4/TCP between two VTEPs; captured on
    the underlay next to the near VTEP. Merged: the far VTEP merged the
    two inner segments (GRO) and rejects 2960 bytes with MTU 1500; its
    ICMP comes back through the overlay (VXLAN, source port 42001)."""
    cap = Capture("vxlan.pcap", vxlan.__doc__)
    cap.kind = "merged"
    tunnel_hosts(cap, router="far VTEP")
    out, inn = tunnel_paths("vxlan", vxlan_vni=4242)
    tcp_flow(cap, ends4(), inn, out, inn, "merged", label="vxlan")
    for f in cap.frames:
        f.check["vxlan.vni"] = "4242"
    return cap


def ipip():
    """IPv4 in IPv4 (protocol 4), outer DF set. Merged, as gre.pcap: the
    far tunnel endpoint rejects the 2960-byte merge of segments 1 and 2
    with MTU 1500, its ICMP comes back inside the tunnel."""
    cap = Capture("ipip.pcap", ipip.__doc__)
    cap.kind = "merged"
    tunnel_hosts(cap)
    out, inn = tunnel_paths("ipip")
    tcp_flow(cap, ends4(), inn, out, inn, "merged", label="ipip")
    return cap


def sixin4():
    """IPv6 TCP inside IPv4 protocol 41 (6in4). Segments of 1440 bytes
    (inner IPv6 payload length 1460, IP len 1500; outer 1520). Merged: the
    far tunnel endpoint merged segments 1 and 2 into an IPv6 packet of
    2940 bytes (payload length 2900) and answers ICMPv6 Packet Too Big
    MTU 1500, which comes back inside the tunnel (outer IPv4 protocol 41,
    inner ICMPv6)."""
    cap = Capture("sixin4.pcap", sixin4.__doc__)
    cap.kind = "merged"
    tunnel_hosts(cap, 6)
    out, inn = tunnel_paths("6in4")
    tcp_flow(cap, ends6(), inn, out, inn, "merged", label="6in4")
    return cap


def outer_icmp_tunnel():
    """Two tunnels between the same endpoints, captured on the underlay
    next to the near endpoint. Tunnel 1 is 6in4 (IPv6 TCP, 1440-byte
    segment, inner IP len 1500, outer 1520); tunnel 2 is GRE with key
    0x00002002 (IPv4 TCP, 1460-byte segment, inner 1500, outer 1528).
    Each response is a full-size segment 1 and a 200-byte segment 2.
    An underlay router (203.0.113.126, next hop MTU 1500) rejects the
    full-size packet of each tunnel with ICMPv4 frag-needed MTU 1500 to
    the near endpoint, quoting the OUTER packet (548 bytes: outer IPv4
    header, then the start of the tunnelled packet). Both legitimate: the
    1520 / 1528-byte outer packets are larger than 1500. The quote has no
    TCP/UDP ports at its own level (protocol 41 / 47): pmtud matches it by
    outer addresses, protocol and IP ID."""
    cap = Capture("outer_icmp_tunnel.pcap", outer_icmp_tunnel.__doc__)
    cap.kind = "legitimate (x2, outer)"
    cap.host("server (data sender, inner)", "behind near endpoint",
             "%s (tunnel 1), %s (tunnel 2)" % (S6, S4))
    cap.host("client (inner)", "behind far endpoint",
             "%s (tunnel 1), %s (tunnel 2)" % (C6, C4))
    cap.host("near tunnel endpoint (outer)", TEP_S_MAC, TEP_S)
    cap.host("far tunnel endpoint (outer)", "via underlay router", TEP_C)
    cap.host("underlay router (sends the ICMPs)", UND_R_MAC, UND_R)
    ids_s, ids_c = Counter(0x4A00), Counter(0x9B00)
    mk = lambda kind, ids, src, dst, smac, dmac, ttl, **kw: Path(  # noqa: E731
        Eth(smac, dmac), Tunnel(kind, src, dst, ids, ttl=ttl, **kw))
    out6 = mk("6in4", ids_s, TEP_S, TEP_C, TEP_S_MAC, UND_R_MAC, 64)
    in6 = mk("6in4", ids_c, TEP_C, TEP_S, UND_R_MAC, TEP_S_MAC, 62)
    outg = mk("gre", ids_s, TEP_S, TEP_C, TEP_S_MAC, UND_R_MAC, 64,
              gre_key=0x2002)
    ing = mk("gre", ids_c, TEP_C, TEP_S, UND_R_MAC, TEP_S_MAC, 62,
             gre_key=0x2002)
    plain_in = Path(Eth(UND_R_MAC, TEP_S_MAC))
    und_ids = Counter(0x7E00)
    for i, (fam, out, inn, t0) in enumerate([(6, out6, in6, 0.0),
                                             (4, outg, ing, 1.0)]):
        e = ends6() if fam == 6 else ends4(sport=8443, cport=49700)
        payload, hdr = data_sizes(e)
        cap.flow(e.cli, e.cport, e.srv, e.sport, e.c_isn, e.s_isn)
        get = http_get("/outer%d.bin" % (i + 1), "www.example.net", "curl")
        C1, S1 = e.c_isn + 1, e.s_isn + 1
        mss = 1460 if fam == 4 else 1440
        cap.add(t0, inn, tcp_seg(fam, e.cli, e.srv, e.cport, e.sport, e.c_isn,
                                 0, "S", mss=mss, ipid=e.c_ids.next(),
                                 ttl=52), "client SYN (tunnel %d)" % (i + 1))
        cap.add(t0 + 0.000040, out, tcp_seg(
            fam, e.srv, e.cli, e.sport, e.cport, e.s_isn, C1, "SA", mss=mss,
            ipid=e.s_ids.next()), "server SYN-ACK (tunnel %d)" % (i + 1))
        cap.add(t0 + 0.020120, inn, tcp_seg(
            fam, e.cli, e.srv, e.cport, e.sport, C1, S1, "PA", get,
            ipid=e.c_ids.next(), ttl=52),
            "client ACK + HTTP GET (tunnel %d)" % (i + 1))
        resp = http_response(payload + 200, "outer%d" % (i + 1), "nginx")
        data = cap.add(t0 + 0.020400, out, tcp_seg(
            fam, e.srv, e.cli, e.sport, e.cport, S1, C1 + len(get), "A",
            resp[:payload], ipid=e.s_ids.next()),
            "response, segment 1 (%d bytes, tunnel %d)" % (payload, i + 1))
        tail = cap.add(t0 + 0.020412, out, tcp_seg(
            fam, e.srv, e.cli, e.sport, e.cport, S1 + payload, C1 + len(get),
            "PA", resp[payload:], ipid=e.s_ids.next()),
            "response, segment 2 (200 bytes, tunnel %d)" % (i + 1))
        outer = data.data[data.outer_off:]
        icmp = cap.add(t0 + 0.020610, plain_in, icmp4_frag_needed(
            UND_R, TEP_S, und_ids.next(), 1500, outer[:ICMP4_QUOTE_MAX]),
            "underlay ICMP frag-needed MTU 1500 about the outer packet of "
            "tunnel %d segment 1" % (i + 1))
        proto = 41 if fam == 6 else 47
        cap.expect(icmp, data, data.outer_ip_len, data.outer_ip_len, 1500,
                   [data], [LEGIT], reaction=None, notes=(
                       "The quote is the OUTER packet: quoted flow %s -> %s "
                       "protocol %d, no ports, IP ID 0x%04x. Of the tunnel's "
                       "packets in that direction before the ICMP (frames "
                       "%d, %d, %d: outer IDs 0x%04x, 0x%04x, 0x%04x) only "
                       "frame %d has that ID; frame %d (200-byte segment 2) "
                       "is the latest and must NOT be chosen. Wire IP len is "
                       "the outer length %d (the inner packet is 1500). No "
                       "sender reaction: pmtud follows TCP quotes only "
                       "(quoted protocol %d)." % (
                           TEP_S, TEP_C, proto, data.facts["outer_id"],
                           data.number - 2, data.number, tail.number,
                           cap.frames[data.number - 3].facts["outer_id"],
                           data.facts["outer_id"], tail.facts["outer_id"],
                           data.number, tail.number, data.outer_ip_len,
                           proto)))
    return cap


IPV4_OPTS_RR = bytes([7, 11, 4]) + b"\0" * 8 + b"\0"   # Record Route + EOL


def ipv4_options():
    """The server sends every packet with a 12-byte IPv4 option area
    (Record Route, length 11, pointer 4, two empty slots, then End of
    Options): IHL 8, 32-byte IP header. Full-size segments therefore carry
    1448 bytes (IP len 1500). Merged: the quote is segment 1's header
    (with the option, IHL 8) with total length 2948 = 32 + 20 + 2 x 1448;
    MTU 1500."""
    cap = Capture("ipv4_options.pcap", ipv4_options.__doc__)
    cap.kind = "merged"
    std_hosts(cap)
    out, inn = eth_paths()
    tcp_flow(cap, ends4(), inn, out, inn, "merged", ipopts=IPV4_OPTS_RR,
             label="ipopts")
    return cap


def ext_headers(dst):
    return [IPv6ExtHdrHopByHop(options=[PadN(optdata=b"\0" * 4)]),
            IPv6ExtHdrSegmentRouting(addresses=[dst], segleft=0, lastentry=0),
            IPv6ExtHdrDestOpt(options=[PadN(optdata=b"\0" * 4)])]


def ipv6_ext_headers():
    """The server sends every packet with three IPv6 extension headers
    in RFC 8200 order: hop-by-hop options (8 bytes, PadN), routing header
    type 4 (segment routing, one segment = the destination, segments left
    0; 24 bytes), destination options (8 bytes, PadN): 40 bytes between
    the IPv6 header and TCP. Full-size segments carry 1400 bytes (IPv6
    payload length 1460, IP len 1500). Merged: the Packet Too Big quotes
    segment 1 (with all three extension headers) with payload length 2860
    (IP len 2900 = 40 + 40 + 20 + 2 x 1400); MTU 1500."""
    cap = Capture("ipv6_ext_headers.pcap", ipv6_ext_headers.__doc__)
    cap.kind = "merged"
    std_hosts(cap, 6, router="router")
    out, inn = eth_paths()
    tcp_flow(cap, ends6(), inn, out, inn, "merged", ext=ext_headers,
             label="ext6")
    return cap


def icmp_quotes_fragment():
    """A DNS server answers a TXT query with a 2952-byte response (UDP
    length 2960), fragmented by the server into two IPv4 fragments of IP
    len 1500 (1480 data bytes each; both with DF set, the first with MF).
    A router with next-hop MTU 1400 rejects both fragments: the first ICMP
    quotes the FIRST fragment (offset 0, UDP header present), the second
    quotes the second fragment (offset 1480, no UDP header)."""
    cap = Capture("icmp_quotes_fragment.pcap", icmp_quotes_fragment.__doc__)
    cap.kind = "legitimate (first fragment) + unmatched (later fragment)"
    std_hosts(cap, router="router")
    out, inn = eth_paths()
    q = dns_query(0x4D2E, "big.example.net")
    cap.add(0.0, inn, udp_dgram(4, C4, S4, 53124, 53, q, ipid=0x5E01, ttl=52,
                                df=False), "DNS query TXT big.example.net")
    resp = dns_txt_response(0x4D2E, "big.example.net", 2952, "frag-txt")
    whole = udp_dgram(4, S4, C4, 53, 53124, resp, ipid=0x1C46)
    f1, f2 = ipv4_fragments(whole, 1480)
    a = cap.add(0.000210, out, f1, "response, first fragment (offset 0, MF)")
    b = cap.add(0.000214, out, f2, "response, second fragment (offset 1480)")
    i1 = cap.add(0.000450, inn, icmp4_frag_needed(R4, S4, 0x0A10, 1400,
                                                  f1[:ICMP4_QUOTE_MAX]),
                 "ICMP frag-needed MTU 1400 about the first fragment")
    i2 = cap.add(0.000460, inn, icmp4_frag_needed(R4, S4, 0x0A11, 1400,
                                                  f2[:ICMP4_QUOTE_MAX]),
                 "ICMP frag-needed MTU 1400 about the second fragment")
    cap.expect(i1, a, 1500, 1500, 1400, [a], [LEGIT], notes=(
        "The first fragment carries the UDP header (ports 53 -> 53124, UDP "
        "length 2960 for the whole datagram): matched by addresses, ports "
        "and IP ID 0x1c46. Nothing was merged: the quoted IP len is the "
        "fragment's own 1500, so the covered frame is the fragment alone "
        "(the UDP length 2960 is the datagram's, not a merge). No sender "
        "reaction (UDP)."))
    cap.expect(i2, None, 1500, None, 1400, [], [NOTCAP], truth=b, notes=(
        "The quoted packet is frame %d (fragment offset 1480, same IP ID "
        "0x1c46), but a non-first fragment has no ports: pmtud indexes no "
        "later fragments and matches no quote of one (README, Limits), so "
        "there is no link and the verdict is quote_not_captured (note). "
        "Not quote_short: the quoted IP header is complete. MTU 1400 is "
        "not bogus (< 1500)." % b.number))
    return cap


def icmp_quotes_udp():
    """A plain UDP exchange: a DNS TXT query with EDNS0 (client port
    40404) and a 1472-byte response (UDP length 1480, IP len 1500) sent
    with DF. A router with next-hop MTU 1400 rejects the response:
    legitimate."""
    cap = Capture("icmp_quotes_udp.pcap", icmp_quotes_udp.__doc__)
    cap.kind = "legitimate"
    std_hosts(cap, router="router")
    out, inn = eth_paths()
    q = dns_query(0x1A2B, "txt.example.net")
    cap.add(0.0, inn, udp_dgram(4, C4, S4, 40404, 53, q, ipid=0x5E01, ttl=52,
                                df=False), "DNS query TXT txt.example.net")
    resp = dns_txt_response(0x1A2B, "txt.example.net", 1472, "udp-txt")
    r = cap.add(0.000180, out, udp_dgram(4, S4, C4, 53, 40404, resp,
                                         ipid=0x1C46),
                "DNS response, 1472 bytes, DF")
    i = cap.add(0.000420, inn, icmp4_frag_needed(R4, S4, 0x0A10, 1400,
                                                 r.ip[:ICMP4_QUOTE_MAX]),
                "ICMP frag-needed MTU 1400")
    cap.expect(i, r, 1500, 1500, 1400, [r], [LEGIT], notes=(
        "Matched by addresses, ports 53 -> 40404, IP ID 0x1c46 and the "
        "first payload bytes. No sender reaction (UDP is not followed)."))
    return cap


def icmp_quotes_icmp():
    """`ping -M do -s 1472` from the server: first a small echo request
    and its reply, then a 1500-byte echo request with DF (ICMP payload
    1472), which a router rejects with frag-needed MTU 1400 quoting it."""
    cap = Capture("icmp_quotes_icmp.pcap", icmp_quotes_icmp.__doc__)
    cap.kind = "legitimate (ping probe)"
    std_hosts(cap, router="router")
    out, inn = eth_paths()
    ident = 0x3039
    cap.add(0.0, out, icmp4_echo(S4, C4, 0x1C46, ident, 1,
                                 prbytes("ping-1", 56)),
            "echo request, 56 data bytes")
    cap.add(0.021000, inn, icmp4_echo(C4, S4, 0x7301, ident, 1,
                                      prbytes("ping-1", 56), ttl=52,
                                      reply=True), "echo reply")
    big = cap.add(1.0, out, icmp4_echo(S4, C4, 0x1C47, ident, 2,
                                       prbytes("ping-2", 1472)),
                  "echo request, 1472 data bytes, DF")
    i = cap.add(1.000230, inn, icmp4_frag_needed(R4, S4, 0x0A10, 1400,
                                                 big.ip[:ICMP4_QUOTE_MAX]),
                "ICMP frag-needed MTU 1400 about the echo request")
    cap.expect(i, big, 1500, 1500, 1400, [big], [LEGIT], notes=(
        "The quoted packet is frame %d (ICMP echo request, IP ID 0x1c47, "
        "IP len 1500 > MTU 1400): pmtud indexes an echo request like data "
        "(a ping with DF is how a path is probed), so the ICMP links to it: "
        "legitimate. No sender reaction (only TCP is followed)."
        % big.number))
    return cap


def rfc4884():
    """A router that implements RFC 4884 / RFC 5837: its frag-needed
    (MTU 1400, legitimate) has the length field (byte 5) = 32, i.e. a
    128-byte original-datagram area holding the first 128 bytes of the
    1500-byte packet, followed by an ICMP extension structure (version 2,
    valid checksum) with one Interface Information object (class 2, C-type
    0x89: outgoing IP interface, ifIndex 7, MTU 1400; 12 bytes). ICMP
    payload after the 8-byte header: 128 + 16 = 144 bytes."""
    cap = Capture("rfc4884.pcap", rfc4884.__doc__)
    cap.kind = "legitimate"
    std_hosts(cap, router="router")
    out, inn = eth_paths()
    fr = tcp_flow(cap, ends4(), inn, out, inn, "legit", quote="rfc4884",
                  label="rfc4884")
    fr["fact"].notes = (
        "The quote is the first 128 bytes only (byte 5 x 4): the 16 bytes "
        "after it are the extension structure, not part of the quoted "
        "packet. Wireshark 4.0 shows the 128-byte quote but dissects the "
        "extension (icmp.ext.*, icmp.int_info.*) only with "
        "`-o icmp.favor_icmp_mpls:TRUE`: by default it does so only when "
        "the quoted IP total length is <= 128.")
    fr["icmp"].check["icmp.length"] = "32"
    # Wireshark 4.0 dissects the extension only when told to (its default
    # is to do so only when the quoted IP length is <= 128).
    cap.extra_checks.append((["-o", "icmp.favor_icmp_mpls:TRUE"],
                             fr["icmp"].number, {
                                 "icmp.ext.version": "2",
                                 "icmp.ext.checksum.status": "1",
                                 "icmp.ext.class": "2",
                                 "icmp.int_info.index": "7",
                                 "icmp.int_info.mtu": str(fr["fact"].mtu)}))
    return cap


def minimal_quote():
    """A router that quotes the RFC 792 minimum: the IP header and the
    first 8 bytes of the original datagram (28 bytes: TCP ports and
    sequence number, nothing more: no data offset, no flags, no payload).
    Merged: the header says 2960 bytes, MTU 1500."""
    cap = Capture("minimal_quote.pcap", minimal_quote.__doc__)
    cap.kind = "merged"
    std_hosts(cap)
    out, inn = eth_paths()
    fr = tcp_flow(cap, ends4(), inn, out, inn, "merged", quote="min",
                  label="minquote")
    fr["fact"].notes = (
        "The quote holds no TCP data offset: the covered byte range is "
        "2960 - 40 (the matched frame's own IP + TCP header length) = "
        "2920 bytes = segments 1 and 2. Matched by ports, sequence number "
        "and IP ID (no payload bytes to compare).")
    return cap


IPV4_OPTS_RR9 = bytes([7, 39, 4]) + b"\0" * 36 + b"\0"   # RR, 9 slots + EOL


def short_quotes():
    """Three ICMPs whose quotes end inside the quoted IP header. Flow A
    (IHL 5) sends two full-size segments; a router answers the first
    with a 10-byte quote and the second with a 19-byte quote (its ICMP IP
    length 38 / 47 says so; the 38-byte one is padded to the 60-byte
    Ethernet minimum, the padding is not part of the quote). Flow B's
    server uses a 40-byte option area (Record Route with 9 slots + End of
    Options: IHL 15, 60-byte header; segments of 1420 bytes, IP len 1500);
    a router that always quotes 28 bytes cuts that header in its options.
    Frames shorter than 60 bytes are padded with zeros to 60."""
    cap = Capture("short_quotes.pcap", short_quotes.__doc__, pad=True)
    cap.kind = "quote_short (x3)"
    std_hosts(cap, router="router")
    out, inn = eth_paths()
    e = ends4()
    cap.flow(e.cli, e.cport, e.srv, e.sport, e.c_isn, e.s_isn)
    get = http_get("/short-a.bin", "www.example.net", "curl")
    resp = http_response(2 * 1460, "short-a", "nginx")
    C1, S1 = e.c_isn + 1, e.s_isn + 1
    A = C1 + len(get)

    def seg(fam_e, t, path, src, dst, sp, dp, seq, ack, fl, data=b"",
            ids=None, ttl=64, mss=None, ipopts=None, what=""):
        return cap.add(t, path, tcp_seg(4, src, dst, sp, dp, seq, ack, fl,
                                        data, ipid=ids.next(), ttl=ttl,
                                        mss=mss, ipopts=ipopts), what)
    seg(e, 0.0, inn, C4, S4, e.cport, 80, e.c_isn, 0, "S", ids=e.c_ids,
        ttl=52, mss=1460, what="flow A: client SYN")
    seg(e, 0.000040, out, S4, C4, 80, e.cport, e.s_isn, C1, "SA",
        ids=e.s_ids, mss=1460, what="flow A: server SYN-ACK")
    seg(e, 0.020120, inn, C4, S4, e.cport, 80, C1, S1, "PA", get,
        ids=e.c_ids, ttl=52, what="flow A: client ACK + HTTP GET")
    a1 = seg(e, 0.020400, out, S4, C4, 80, e.cport, S1, A, "A", resp[:1460],
             ids=e.s_ids, what="flow A: segment 1")
    a2 = seg(e, 0.020412, out, S4, C4, 80, e.cport, S1 + 1460, A, "PA",
             resp[1460:], ids=e.s_ids, what="flow A: segment 2")
    i1 = cap.add(0.020650, inn, icmp4_frag_needed(R4, S4, 0x0A10, 1400,
                                                  a1.ip[:10]),
                 "ICMP frag-needed MTU 1400, 10-byte quote of segment 1")
    i2 = cap.add(0.020660, inn, icmp4_frag_needed(R4, S4, 0x0A11, 1400,
                                                  a2.ip[:19]),
                 "ICMP frag-needed MTU 1400, 19-byte quote of segment 2")
    # Flow B: IHL 15
    e2 = ends4(sport=8080, cport=49600, s_isn=0x0B0C0D0E, c_isn=0x2F2F1000,
               s_id=0x2C00, c_id=0x6E01, r_id=0x0A12)
    cap.flow(e2.cli, e2.cport, e2.srv, e2.sport, e2.c_isn, e2.s_isn)
    get2 = http_get("/short-b.bin", "www.example.net", "curl")
    resp2 = http_response(1420, "short-b", "nginx")
    C1b, S1b = e2.c_isn + 1, e2.s_isn + 1
    seg(e2, 1.0, inn, C4, S4, e2.cport, 8080, e2.c_isn, 0, "S", ids=e2.c_ids,
        ttl=52, mss=1460, what="flow B: client SYN")
    seg(e2, 1.000040, out, S4, C4, 8080, e2.cport, e2.s_isn, C1b, "SA",
        ids=e2.s_ids, mss=1460, ipopts=IPV4_OPTS_RR9,
        what="flow B: server SYN-ACK (IHL 15)")
    seg(e2, 1.020120, inn, C4, S4, e2.cport, 8080, C1b, S1b, "PA", get2,
        ids=e2.c_ids, ttl=52, what="flow B: client ACK + HTTP GET")
    b1 = seg(e2, 1.020400, out, S4, C4, 8080, e2.cport, S1b,
             C1b + len(get2), "PA", resp2, ids=e2.s_ids, ipopts=IPV4_OPTS_RR9,
             what="flow B: response, one 1420-byte segment (IHL 15)")
    i3 = cap.add(1.020620, inn, icmp4_frag_needed(R4, S4, e2.r_ids.next(),
                                                  1400, b1.ip[:28]),
                 "ICMP frag-needed MTU 1400, 28-byte quote of an IHL 15 "
                 "header")
    cap.expect(i1, None, None, None, 1400, [], [SHORT, NOTCAP], truth=a1,
               notes=(
                   "10 bytes: not even a whole IPv4 header (bytes 2-3 do say "
                   "1500, but pmtud reads no header from fewer than 20 "
                   "bytes), so pmtud.icmp.quoted_len is absent. "
                   "quote_short and quote_not_captured (\"the ICMP holds "
                   "no readable IP header\") are both raised; no link, no "
                   "covered frame, no bogus MTU (no quoted length to "
                   "compare with; 1400 >= 68). The ICMP's IP length (38) "
                   "bounds the quote, not the padded frame."),
               quote_desc="first 10 bytes of frame %d's IP header "
                          "(version/IHL, TOS, total length 1500, ID 0x%04x, "
                          "flags DF)" % (a1.number, parse_l3(a1.ip)["id"]))
    cap.expect(i2, None, None, None, 1400, [], [SHORT, NOTCAP], truth=a2,
               notes=(
                   "19 bytes: one byte short of the IPv4 header (the "
                   "destination address is cut); as above."),
               quote_desc="first 19 bytes of frame %d's IP header "
                          "(total length 1500, ID 0x%04x, protocol 6, "
                          "destination address cut after 3 bytes)"
                          % (a2.number, parse_l3(a2.ip)["id"]))
    cap.expect(i3, None, 1500, None, 1400, [], [SHORT, NOTCAP], truth=b1,
               notes=(
                   "28 bytes of a 60-byte header (IHL 15): the fixed "
                   "header is complete (total length 1500, ID 0x%04x, "
                   "protocol 6, addresses), 8 of the 40 option bytes are "
                   "there, the TCP header is not. pmtud.icmp.quoted_len is "
                   "1500; no ports and no sequence number, so no link: "
                   "quote_short + quote_not_captured. MTU 1400 < 1500: not "
                   "bogus." % parse_l3(b1.ip)["id"]),
               quote_desc="first 28 bytes of frame %d's IP header (IHL 15, "
                          "total length 1500, ID 0x%04x, protocol 6, both "
                          "addresses, 8 of 40 option bytes)"
                          % (b1.number, parse_l3(b1.ip)["id"]))
    return cap


def snaplen_cut_quote():
    """A legitimate PMTUD event on plain Ethernet (frag-needed MTU 1400
    about a 1500-byte segment; the server resends smaller), captured with
    snaplen 60. Every record keeps its wire length; the ICMP frame (wire
    590: IP len 576, quote 548 bytes) is cut after 60 bytes: 14 Ethernet
    + 20 IP + 8 ICMP + the first 18 bytes of the quoted IP header (cut
    after 2 bytes of the destination address)."""
    cap = Capture("snaplen_cut_quote.pcap", snaplen_cut_quote.__doc__,
                  snaplen=60)
    cap.kind = "quote_short (snaplen)"
    std_hosts(cap)
    out, inn = eth_paths()
    fr = tcp_flow(cap, ends4(), inn, out, inn, "legit", label="snap60")
    fact = fr["fact"]
    fact.truth, fact.quoted = fact.quoted, None
    fact.qlen, fact.wlen, fact.covered = None, None, []
    fact.verdicts = [SHORT, NOTCAP]
    fact.reaction = None
    fact.notes = (
        "Only 18 quote bytes are captured (60 - 14 - 20 - 8): the quoted "
        "IPv4 header is cut after 18 of its 20 bytes, so pmtud reads no "
        "quoted header: pmtud.icmp.quoted_len absent, no link, quote_short "
        "and quote_not_captured. The true quoted packet is frame %d (IP "
        "len 1500 > MTU 1400: a genuine PMTUD event the capture cannot "
        "show). No reaction is followed (nothing linked)." % fact.truth.number)
    fact.quote_desc = "548 bytes on the wire, 18 captured: the first 18 bytes " \
                      "of frame %d's IP header" % fact.truth.number
    return cap


ENCAP_SHORT = {
    "vlan_8021q.pcap": "802.1Q VLAN 100",
    "qinq.pcap": "0x88a8 S200 + 0x8100 C100 (A); 0x9100 S300 + 0x8100 C101 (B)",
    "sll.pcap": "SLL v1",
    "sll2.pcap": "SLL2, IPv6",
    "raw_ip.pcap": "none (IPv4 + IPv6)",
    "pcapng_multi_if.pcapng": "data on eth0, ICMP on tun0",
    "gre.pcap": "IPv4/GRE key 0x1001/IPv4",
    "gre_eth.pcap": "IPv4/GRE csum+seq 0x6558/Ethernet/IPv4",
    "vxlan.pcap": "IPv4/UDP 4789/VXLAN 4242/Ethernet/IPv4",
    "ipip.pcap": "IPv4/IPv4 (proto 4)",
    "sixin4.pcap": "IPv4/IPv6 (proto 41), ICMPv6 inside",
    "outer_icmp_tunnel.pcap": "underlay ICMPv4 about 6in4 / GRE outer",
    "ipv4_options.pcap": "IPv4 IHL 8 (Record Route)",
    "ipv6_ext_headers.pcap": "IPv6 HBH + SRH + DestOpt",
    "icmp_quotes_fragment.pcap": "IPv4 fragments, UDP (DNS)",
    "icmp_quotes_udp.pcap": "UDP (DNS), DF",
    "icmp_quotes_icmp.pcap": "ICMP echo request quoted",
    "rfc4884.pcap": "RFC 4884 length 32 + RFC 5837 extension",
    "minimal_quote.pcap": "28-byte quote",
    "short_quotes.pcap": "10 / 19 / 28-of-60-byte quotes",
    "snaplen_cut_quote.pcap": "snaplen 60",
}

CAPTURES = [vlan_8021q, qinq, sll, sll2, raw_ip, pcapng_multi_if, gre,
            gre_eth, vxlan, ipip, sixin4, outer_icmp_tunnel, ipv4_options,
            ipv6_ext_headers, icmp_quotes_fragment, icmp_quotes_udp,
            icmp_quotes_icmp, rfc4884, minimal_quote, short_quotes,
            snaplen_cut_quote]


# ---------------------------------------------------------------------------
# EXPECTED.md
# ---------------------------------------------------------------------------

def verdict_text(vs):
    return ", ".join(vs)


def reaction_text(r):
    if r is None:
        return "none (not followed)"
    kind, frame, lost = r
    return "%s: retransmission frame %d, time lost %.6f s (%d us)" % (
        kind, frame, lost / 1e6, lost)


def render_expected(caps):
    out = []
    w = out.append
    w("# Encapsulation test captures: expected facts")
    w("")
    w("Generated by `make_encap.py` from the same model that builds the "
      "packets; do not edit by hand, change the generator and rerun it:")
    w("")
    w("    /usr/bin/python3 testcaptures/encap/make_encap.py          # write")
    w("    /usr/bin/python3 testcaptures/encap/make_encap.py --check  "
      "# write, then compare tshark's decode with the model")
    w("")
    w("Conventions:")
    w("")
    w("* Frame numbers are 1-based, in file order (= `frame.number`). `t` is "
      "seconds since the first frame (= `frame.time_relative`); every file "
      "starts at 2013-04-17 09:00:00.000000 UTC (epoch %d)."
      % (BASE_US // 1000000))
    w("* Classic pcap, microsecond timestamps, snaplen %d, no FCS, frames "
      "not padded to 60 bytes, unless the capture says otherwise. `wire` is "
      "the record's original length (= `frame.len`)." % DEFAULT_SNAPLEN)
    w("* Each frame row gives the link/tunnel layers, then the IP packet "
      "that carries the data or the ICMP (the innermost one). `IP len` is "
      "the IPv4 total length, or 40 + payload length for IPv6 (extension "
      "headers included).")
    w("* The full-size packet at the layer that carries the data is always "
      "1500 bytes: 1460 bytes of TCP payload for plain IPv4, 1440 for plain "
      "IPv6 (40-byte header), fewer where IP options or extension headers "
      "take room (ipv4_options: 1448, ipv6_ext_headers: 1400, short_quotes "
      "flow B: 1420). \"Merged\" quotes state the header overhead + twice "
      "that payload (IPv4: 2960; IPv6: 2940).")
    w("* ICMPv4 quotes are the first 548 bytes of the offending packet "
      "(Linux, 576-byte error), ICMPv6 quotes the first 1232 bytes, unless "
      "the capture says otherwise. ICMPv4 errors are RFC 1191 layout "
      "(byte 4 zero, byte 5 zero unless RFC 4884, MTU in bytes 6-7), TOS "
      "0xc0, DF clear. Merged quotes have the total length (IPv6: payload "
      "length) rewritten and, for IPv4, a valid recomputed header checksum; "
      "transport checksums in quotes are the original packet's.")
    w("* Per ICMP: **quoted frame** = what pmtud must link "
      "(`pmtud.icmp.quoted_frame`), with the packet really quoted named "
      "separately where pmtud must not link it; **quoted IP len** "
      "(`pmtud.icmp.quoted_len`, absent where the quote holds no complete "
      "IP header); **wire IP len** (`pmtud.icmp.wire_len`) = IP length of "
      "the matched frame at the layer the quote describes (the inner packet "
      "for a quote from inside a tunnel, the outer packet for a quote from "
      "the underlay); **MTU** (`pmtud.icmp.mtu`); **covered** "
      "(`pmtud.icmp.covered_frame`); **verdicts** = the expert infos on the "
      "ICMP frame among offload_artefact, legitimate, bogus_mtu, "
      "quote_not_captured, quote_rewritten, quote_short (nothing else is "
      "raised); **reaction** = the two-pass (`tshark -2`) reaction expert "
      "info, `pmtud.icmp.retransmit_frame` and `pmtud.icmp.time_lost`.")
    w("* **Oversize** lists the data frames pmtud flags with `pmtud.oversize` "
      "(len / limit / limit_source, 3 = link default): frames whose IP "
      "packet at the layer pmtud judges (the innermost one: a tunnel's outer "
      "packet is the tunnel's business) exceeds the default link MTU 1500. "
      "No frame here does. In two-pass mode the covered frames also carry "
      "`pmtud.segment.rejected_in` = their ICMP frame.")
    w("* The same facts, as the capture tests assert them, are the `encap/` "
      "entries of `testcaptures/expectations.json`; the generator refuses to "
      "write when they disagree with this model.")
    w("")
    w("## Summary")
    w("")
    w("| file | link type | encapsulation | ICMP | quoted | qlen | wire | MTU "
      "| covered | verdicts | reaction (-2) |")
    w("|---|---|---|---|---|---|---|---|---|---|---|")
    for cap in caps:
        lt = ("pcapng: " + " + ".join("%s %s" % (n, LINKTYPE_NAMES[l].split(" (")[0])
                                      for l, n, _ in cap.interfaces)
              if cap.interfaces else LINKTYPE_NAMES[cap.linktype].split(
                  " (")[0] + " (%d)" % cap.linktype)
        for fact in cap.facts:
            w("| %s | %s | %s | %d | %s | %s | %s | %d | %s | %s | %s |" % (
                cap.filename, lt, cap.encap, fact.icmp.number,
                fact.quoted.number if fact.quoted else
                ("none (packet: %d)" % fact.truth.number if fact.truth
                 else "none"),
                fact.qlen if fact.qlen is not None else "-",
                fact.wlen if fact.wlen is not None else "-", fact.mtu,
                ",".join(str(c.number) for c in fact.covered) or "-",
                verdict_text(fact.verdicts),
                ("%s %d/%dus" % (fact.reaction[0], fact.reaction[1],
                                 fact.reaction[2]) if fact.reaction else "-")))
    w("")
    for idx, cap in enumerate(caps, 1):
        w("## %d. `%s`" % (idx, cap.filename))
        w("")
        w(" ".join(line.strip() for line in cap.doc.strip().splitlines()))
        w("")
        if cap.interfaces:
            w("* Format: pcapng, %d interfaces: %s; snaplen %d." % (
                len(cap.interfaces), "; ".join(
                    "interface %d `%s` (%s) = %s" % (i, n, dsc, LINKTYPE_NAMES[l])
                    for i, (l, n, dsc) in enumerate(cap.interfaces)),
                cap.snaplen))
        else:
            w("* Link type: %s; classic pcap; snaplen %d." % (
                LINKTYPE_NAMES[cap.linktype], cap.snaplen))
        if cap.pad:
            w("* Frames shorter than 60 bytes are zero-padded to 60 "
              "(`wire` includes the padding; IP lengths do not).")
        w("* Kind: %s." % cap.kind)
        w("")
        pcapgen.render_hosts(w, cap, "L2", "%s port %d ISN 0x%08x")
        multi = bool(cap.interfaces)
        w("| # | t |%s what | layers | details |" % (" if |" if multi else ""))
        w("|---|---|%s---|---|---|" % ("---|" if multi else ""))
        t0 = cap.frames[0].t_us
        for f in cap.frames:
            d = parse_l3(f.ip)
            wire = "wire %d" % len(f.data)
            if f.caplen != len(f.data):
                wire += " (captured %d)" % f.caplen
            w("| %d | %.6f |%s %s | %s | %s; %s |" % (
                f.number, (f.t_us - t0) / 1e6,
                " %d |" % f.iface if multi else "", f.label, f.desc,
                describe_ip(cap, d), wire))
        w("")
        for fact in cap.facts:
            d = parse_l3(fact.icmp.ip)
            w("**ICMP frame %d** (%s %s -> %s, MTU %d):" % (
                fact.icmp.number, "ICMPv4 type 3 code 4" if d["ver"] == 4
                else "ICMPv6 type 2 code 0", d["src"], d["dst"], d["mtu"]))
            w("")
            if fact.quote_desc:
                w("* quote: %s" % fact.quote_desc)
            else:
                qb = d["quote"]
                if d["ver"] == 4 and d["b5"]:
                    qb = qb[:d["b5"] * 4]
                w("* quote: %d bytes; quoted header: %s" % (
                    len(qb), describe_ip(cap, parse_l3(qb))))
            if fact.quoted:
                w("* quoted frame: **%d**" % fact.quoted.number)
            elif fact.truth:
                w("* quoted frame: **none** (the packet quoted is frame %d; "
                  "pmtud must not link it)" % fact.truth.number)
            else:
                w("* quoted frame: **none**")
            w("* quoted IP len: **%s**; wire IP len: **%s**" % (
                fact.qlen if fact.qlen is not None else "absent",
                fact.wlen if fact.wlen is not None else "absent"))
            w("* MTU: **%d**" % fact.mtu)
            w("* covered frames: **%s**" % (
                ", ".join(str(c.number) for c in fact.covered) or "none"))
            w("* verdicts: **%s**" % verdict_text(fact.verdicts))
            w("* reaction (two-pass): **%s**" % reaction_text(fact.reaction))
            if fact.notes:
                w("* notes: %s" % " ".join(fact.notes.split()))
            w("")
        over = cap.oversize()
        w("Oversize: %s." % ("none" if not over else ", ".join(
            "frame %d (%d > %d)" % (n, ln, lim)
            for n, (ln, lim, _) in sorted(over.items()))))
        w("")
    return "\n".join(out) + "\n"


def stated_icmps(cap):
    """{ICMP frame: fields} as the model states them, in the terms of
    testcaptures/expectations.json."""
    out = {}
    n = lambda f: f.number if f else None   # noqa: E731
    for fact in cap.facts:
        r = fact.reaction
        out[fact.icmp.number] = {
            "quoted": n(fact.quoted), "qlen": fact.qlen, "wlen": fact.wlen,
            "mtu": fact.mtu, "covered": [c.number for c in fact.covered],
            "experts": fact.verdicts,
            "reaction.verdict": r[0] if r else None,
            "reaction.retransmit": r[1] if r else None,
            "reaction.lost_us": r[2] if r else None}
    return out


def stated_oversize(cap):
    return {n: {"len": ln, "limit": lim, "source": src}
            for n, (ln, lim, src) in cap.oversize().items()}


# ---------------------------------------------------------------------------
# tshark check: does Wireshark decode every frame as the model says?
# ---------------------------------------------------------------------------

def ip_layers(ipb, limit):
    """[(version, IPv4 total length / IPv6 payload length)] of the IP
    headers Wireshark dissects in ipb (limit bytes available), outermost
    first, quotes of ICMP errors included."""
    out = []
    if limit < 1:
        return out
    ver = ipb[0] >> 4
    if ver == 4 and 4 <= limit < 20:
        # Wireshark shows the fields of a cut header up to where it ends.
        return [(4, struct.unpack("!H", ipb[2:4])[0])]
    if ver == 4 and limit >= 20:
        d = parse_l3(ipb)
        out.append((4, d["iplen"]))
        ihl = d["ihl"]
        avail = min(limit, d["iplen"]) - ihl
        if avail <= 0 or d["fragoff"]:
            return out
        l4 = ipb[ihl:ihl + avail]
        if d["proto"] in (4, 41):
            out += ip_layers(l4, avail)
        elif d["proto"] == 47 and avail >= 4:
            flags, ptype = struct.unpack("!HH", l4[:4])
            off = 4 + 4 * bin(flags & 0xB000).count("1")
            if ptype == ETH_TEB:
                off += 14
            out += ip_layers(l4[off:], avail - off)
        elif d["proto"] == 17 and avail >= 8 and \
                struct.unpack("!H", l4[2:4])[0] == 4789:
            out += ip_layers(l4[30:], avail - 30)
        elif d["proto"] == 1 and avail >= 8 and l4[0] == 3:
            q = avail - 8
            if l4[5]:
                q = min(q, l4[5] * 4)
            out += ip_layers(l4[8:8 + q], q)
    elif ver == 6 and limit >= 40:
        d = parse_l3(ipb)
        out.append((6, d["plen"]))
        avail = min(limit, d["iplen"]) - d["ihl"]
        l4 = ipb[d["ihl"]:d["ihl"] + max(avail, 0)]
        if d["proto"] == 58 and avail >= 8 and l4[0] == 2:
            out += ip_layers(l4[8:], avail - 8)
    return out


def model_fields(cap, f):
    exp = {"frame.len": str(len(f.data)), "frame.cap_len": str(f.caplen),
           "frame.time_epoch": "%d.%06d000" % (f.t_us // 1000000,
                                               f.t_us % 1000000)}
    layers = ip_layers(f.data[f.outer_off:], f.caplen - f.outer_off)
    exp["ip.len"] = ",".join(str(n) for v, n in layers if v == 4)
    exp["ipv6.plen"] = ",".join(str(n) for v, n in layers if v == 6)
    d = parse_l3(f.ip)
    if d["proto"] == 1 and d.get("icmptype") == 3:
        exp["icmp.mtu"] = str(d["mtu"])
    elif d["proto"] == 58 and d.get("icmptype") == 2:
        exp["icmpv6.mtu"] = str(d["mtu"])
    elif d["proto"] == 6 and f.caplen == len(f.data):
        exp["tcp.len"] = str(d["tcplen"])
        exp["tcp.seq_raw"] = str(d["seq"])
    exp.update(f.check)
    return exp


def run_tshark(path, fields, extra=()):
    """Per frame, each field's occurrences joined by commas."""
    return [[",".join(row[f]) for f in fields]
            for row in pcapgen.tshark_fields(path, fields, extra)]


def check(cap):
    path = os.path.join(OUT_DIR, cap.filename)
    exps = [model_fields(cap, f) for f in cap.frames]
    fields = sorted({k for e in exps for k in e})
    rows = run_tshark(path, fields)
    errors = []
    if len(rows) != len(cap.frames):
        errors.append("%d frames decoded, %d written" % (len(rows),
                                                         len(cap.frames)))
    for f, exp, row in zip(cap.frames, exps, rows):
        got = dict(zip(fields, row))
        for k, v in exp.items():
            if got[k] != v:
                errors.append("frame %d %s: tshark %r, model %r" % (
                    f.number, k, got[k], v))
    # Checksums (off by default in Wireshark) and malformed packets.
    extra = ["-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE",
             "-o", "udp.check_checksum:TRUE"]
    flds = ["frame.number", "ip.checksum.status", "tcp.checksum.status",
            "udp.checksum.status", "icmp.checksum.status",
            "icmpv6.checksum.status", "gre.checksum.status", "_ws.malformed",
            "_ws.expert.severity"]
    bad = []
    for row in run_tshark(path, flds, extra):
        n = int(row[0])
        f = cap.frames[n - 1]
        # Statuses: 0 bad, 1 good, 2 unverified. Every IP header checksum
        # (quoted ones included), every ICMP and GRE checksum must be good;
        # TCP / UDP ones only in frames that are no ICMP error (a partial
        # quote's transport checksum cannot verify).
        own = [1, 4, 5, 6] if is_icmp_frame(f) else [1, 2, 3, 4, 5, 6]
        for i in own:
            if "0" in row[i].split(","):
                bad.append("frame %d: bad %s" % (n, flds[i]))
        if row[7] and n not in cap.malformed_ok:
            bad.append("frame %d: malformed" % n)
    for opts, n, want in cap.extra_checks:
        names = sorted(want)
        row = run_tshark(path, names, list(opts) + ["-Y", "frame.number==%d" % n])
        got = dict(zip(names, row[0])) if row else {}
        for k, v in want.items():
            if got.get(k) != v:
                errors.append("frame %d %s (%s): tshark %r, model %r" % (
                    n, k, " ".join(opts), got.get(k), v))
    return errors + bad


def main(argv):
    caps = [fn() for fn in CAPTURES]
    cases = expectations.load()
    errors = []
    for cap in caps:
        case = cases["encap/" + cap.filename]
        errors += expectations.differences(case, "icmps", stated_icmps(cap))
        errors += expectations.differences(case, "oversize", stated_oversize(cap))
    if pcapgen.publish(caps, OUT_DIR, errors, "EXPECTED.md",
                       lambda: render_expected(caps), app="make_encap.py"):
        return 1
    if "--check" in argv:
        failed = 0
        for cap in caps:
            errs = check(cap)
            print("%-28s %s" % (cap.filename, "ok" if not errs else
                                "FAILED"))
            for e in errs:
                print("    " + e)
            failed += bool(errs)
        return 1 if failed else 0
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
