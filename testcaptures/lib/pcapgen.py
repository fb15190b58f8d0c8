# SPDX-License-Identifier: GPL-2.0-or-later
"""What the capture generators share: deterministic bytes, packet builders,
the capture model with its pcap / pcapng writers, an independent header
parser for the EXPECTED*.md tables, and tshark's field output.

Used by testcaptures/crafted/make_crafted.py, make_reactions.py,
make_quotes.py, make_not_analysed.py, make_reader_agreement.py and
testcaptures/encap/make_encap.py (Debian's python3 with python3-scapy):

    sys.path.insert(0, os.path.join(os.path.dirname(OUT_DIR), "lib"))
    import pcapgen

Design:
* Everything is deterministic: timestamps are integer microseconds from
  BASE_US, payload bytes come from SHA-256 of a fixed label, IP IDs and
  sequence numbers are chosen by the scenario. Re-running a generator
  rewrites byte-identical files.
* Builders return IP packets (bytes); a link layer (Ethernet, cooked,
  tunnel) is put around them by the scenario. scapy computes lengths and
  checksums; the only checksums computed here are those of headers that
  are rewritten after the fact (merged or router-rewritten quotes, TSO
  length 0, hand-built ICMP).
* The writers are tiny and explicit (classic pcap, little endian,
  microsecond timestamps; pcapng with one IDB per interface) so the
  snaplen, the captured and the wire length of each record stay under the
  scenario's control.
* parse_l3 reads the bytes back without scapy: the EXPECTED*.md tables show
  what is in the file, not what the scenario meant to write.
"""
import hashlib
import os
import struct
import subprocess

from scapy.layers.inet import IP, TCP, UDP
from scapy.layers.inet6 import ICMPv6PacketTooBig, IPv6
from scapy.packet import Raw

# 2013-04-17 09:00:00 UTC, the week of the Server Fault question.
BASE_US = 1366189200 * 1000000

LINKTYPE_ETHERNET = 1
LINKTYPE_RAW = 101
LINKTYPE_LINUX_SLL = 113
LINKTYPE_LINUX_SLL2 = 276
DEFAULT_SNAPLEN = 65535

# Linux icmp_send(): the whole ICMP error datagram is at most 576 bytes, so
# the quote is at most 576 - 20 (IP) - 8 (ICMP) = 548 bytes.
ICMP4_QUOTE_MAX = 548
# ICMPv6 (RFC 4443 2.4 c): as much as fits in the minimum MTU of 1280:
# 1280 - 40 (IPv6) - 8 (ICMPv6) = 1232 bytes.
ICMP6_QUOTE_MAX = 1232

ETH_IPV4, ETH_IPV6 = 0x0800, 0x86DD


# ---------------------------------------------------------------------------
# Deterministic bytes
# ---------------------------------------------------------------------------

def us(seconds):
    """Seconds (float literal in the source) -> integer microseconds."""
    return int(round(seconds * 1000000))


def prbytes(label, n):
    """n deterministic pseudo-random bytes derived from label (SHA-256 CTR)."""
    out = bytearray()
    i = 0
    while len(out) < n:
        out += hashlib.sha256(("%s:%d" % (label, i)).encode()).digest()
        i += 1
    return bytes(out[:n])


def prtext(label, n):
    """n deterministic printable bytes (base32 alphabet)."""
    alpha = b"abcdefghijklmnopqrstuvwxyz234567"
    return bytes(alpha[b & 31] for b in prbytes(label, n))


def inet_checksum(data):
    """RFC 1071 Internet checksum of data (checksum field zeroed)."""
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def ipv4_with_total_length(packet, length):
    """IPv4 packet bytes with the total length field set to length and the
    header checksum made anew: a header that lies about its packet."""
    raw = bytearray(packet)
    raw[2:4] = struct.pack("!H", length)
    raw[10:12] = b"\0\0"
    header_len = (raw[0] & 0x0F) * 4
    raw[10:12] = struct.pack("!H", inet_checksum(bytes(raw[:header_len])))
    return bytes(raw)


def mac(s):
    return bytes(int(x, 16) for x in s.split(":"))


# ---------------------------------------------------------------------------
# Application payloads of an exact length
# ---------------------------------------------------------------------------

def sized(head, total_len, label):
    """head(body_len) + body of exactly total_len bytes: the digits of a
    Content-Length change the header's length, so settle it."""
    body_len = total_len - len(head(0))
    while len(head(body_len)) + body_len != total_len:
        body_len = total_len - len(head(body_len))
    return head(body_len) + prbytes(label, body_len)


# The two clients and servers the captures speak as.
HTTP_AGENTS = {
    "wget": "User-Agent: Wget/1.14 (linux-gnu)\r\nAccept: */*\r\nConnection: Keep-Alive\r\n",
    "curl": "User-Agent: curl/7.88.1\r\nAccept: */*\r\n",
}


def http_get(path, host, agent="wget"):
    return ("GET %s HTTP/1.1\r\nHost: %s\r\n%s\r\n" % (path, host, HTTP_AGENTS[agent])).encode()


def http_response(total_len, label, server="Apache"):
    """An HTTP 200 response of exactly total_len bytes (headers + body).
    server "nginx" answers with the short header set of the encap captures."""
    if server == "nginx":
        head = ("HTTP/1.1 200 OK\r\nServer: nginx\r\n"
                "Content-Type: application/octet-stream\r\n"
                "Content-Length: %d\r\n\r\n").__mod__
    else:
        head = ("HTTP/1.1 200 OK\r\n"
                "Date: Wed, 17 Apr 2013 09:00:00 GMT\r\n"
                "Server: " + server + "\r\n"
                "Last-Modified: Mon, 15 Apr 2013 16:20:00 GMT\r\n"
                "Accept-Ranges: bytes\r\n"
                "Content-Length: %d\r\n"
                "Connection: close\r\n"
                "Content-Type: application/octet-stream\r\n"
                "\r\n").__mod__
    return sized(lambda n: head(n).encode(), total_len, label)


def http_post(total_len, label, host="www.example.com"):
    """An HTTP POST request of exactly total_len bytes (headers + body)."""
    return sized(lambda n: ("POST /upload HTTP/1.1\r\n"
                            "Host: %s\r\n"
                            "Content-Type: application/octet-stream\r\n"
                            "Content-Length: %d\r\n"
                            "\r\n" % (host, n)).encode(), total_len, label)


# ---------------------------------------------------------------------------
# IP packet builders (scapy computes lengths and checksums)
# ---------------------------------------------------------------------------

def tcp_ip(fam, src, dst, sport, dport, seq, ack, flags, payload=b"",
           ipid=0, ttl=64, win=None, mss=None, df=True, fl=0, ipopts=None,
           ext=None):
    """A TCP segment in IPv4 (fam 4) or IPv6 (fam 6). win defaults to
    Linux's 64240 / 64800; ipopts: raw IPv4 option bytes, padded to 4n;
    ext(dst): the IPv6 extension headers to put before TCP."""
    if win is None:
        win = 64240 if fam == 4 else 64800
    tcp = TCP(sport=sport, dport=dport, seq=seq, ack=ack, flags=flags,
              window=win, options=[("MSS", mss)] if mss else [])
    if fam == 4:
        ip = IP(src=src, dst=dst, id=ipid, ttl=ttl, flags="DF" if df else 0)
        if ipopts:
            ip.options = ipopts
        pkt = ip / tcp
    else:
        pkt = IPv6(src=src, dst=dst, hlim=ttl, fl=fl)
        for h in (ext(dst) if ext else ()):
            pkt = pkt / h
        pkt = pkt / tcp
    if payload:
        pkt = pkt / Raw(payload)
    return bytes(pkt)


def udp_ip(fam, src, dst, sport, dport, payload, ipid=0, ttl=64, df=True):
    if fam == 4:
        ip = IP(src=src, dst=dst, id=ipid, ttl=ttl, flags="DF" if df else 0)
    else:
        ip = IPv6(src=src, dst=dst, hlim=ttl)
    return bytes(ip / UDP(sport=sport, dport=dport) / Raw(payload))


def icmp4_frag_needed(src, dst, ipid, mtu, quote, length_field=0,
                      extension=b"", ttl=64):
    """ICMPv4 type 3 code 4, RFC 1191 layout (byte 4 zero, RFC 4884 length
    in byte 5, MTU in bytes 6-7). Looks like a Linux router's error: TOS
    0xc0 (precedence internetwork control), DF clear."""
    body = quote + extension
    hdr = struct.pack("!BBHBBH", 3, 4, 0, 0, length_field, mtu)
    csum = inet_checksum(hdr + body)
    icmp = struct.pack("!BBHBBH", 3, 4, csum, 0, length_field, mtu) + body
    return bytes(IP(src=src, dst=dst, id=ipid, ttl=ttl, tos=0xC0, flags=0,
                    proto=1) / Raw(icmp))


def icmp6_ptb(src, dst, mtu, quote, hlim=64):
    """ICMPv6 Packet Too Big; quote is cut by the caller (ICMP6_QUOTE_MAX)."""
    return bytes(IPv6(src=src, dst=dst, hlim=hlim)
                 / ICMPv6PacketTooBig(mtu=mtu) / Raw(quote))


def rewrite_ipv4_len(ipb, total_length):
    """IPv4 packet bytes with another total length and a valid recomputed
    header checksum (transport checksums stay the original packet's): a
    merged (LRO/GRO) packet's header, a rewritten quote, or the length 0 of
    a TSO super-segment seen above the NIC."""
    ip = bytearray(ipb)
    ihl = (ip[0] & 0x0F) * 4
    ip[2:4] = struct.pack("!H", total_length)
    ip[10:12] = b"\0\0"
    ip[10:12] = struct.pack("!H", inet_checksum(bytes(ip[:ihl])))
    return bytes(ip)


def rewrite_ipv6_plen(ipb, total_length):
    ip = bytearray(ipb)
    ip[4:6] = struct.pack("!H", total_length - 40)
    return bytes(ip)


def ethertype_of(ipb):
    return ETH_IPV4 if ipb[0] >> 4 == 4 else ETH_IPV6


def ether(smac, dmac, payload, ethertype=None):
    """An Ethernet II frame (no FCS, no padding) around payload."""
    if ethertype is None:
        ethertype = ethertype_of(payload)
    return mac(dmac) + mac(smac) + struct.pack("!H", ethertype) + payload


# ---------------------------------------------------------------------------
# Capture model and writers
# ---------------------------------------------------------------------------

class Frame:
    def __init__(self, number, t_us, data, label, caplen):
        self.number = number
        self.t_us = t_us
        self.data = data
        self.label = label
        self.caplen = caplen


class Capture:
    """The frames of one capture file, its hosts and its connections' ISNs
    (for the tables of EXPECTED*.md). Generators subclass it to add what
    they state about the capture."""

    frame_class = Frame

    def __init__(self, filename, doc, linktype=LINKTYPE_ETHERNET,
                 snaplen=DEFAULT_SNAPLEN, interfaces=None):
        self.filename, self.doc = filename, doc
        self.linktype, self.snaplen = linktype, snaplen
        # pcapng: [(linktype, name, description)]; None: classic pcap
        self.interfaces = interfaces
        self.frames, self.hosts = [], []
        self.isn = {}       # (src, sport, dst, dport) -> ISN of that direction

    def flow(self, a, a_port, b, b_port, a_isn, b_isn):
        """Register the ISNs of both directions of a captured connection."""
        self.isn[(a, a_port, b, b_port)] = a_isn
        self.isn[(b, b_port, a, a_port)] = b_isn

    def host(self, role, l2, ip):
        self.hosts.append((role, l2, ip))

    def add(self, t_s, data, label, **extra):
        f = self.frame_class(len(self.frames) + 1, BASE_US + us(t_s), data,
                             label, min(len(data), self.snaplen), **extra)
        if self.frames:
            assert f.t_us >= self.frames[-1].t_us, "timestamps must not go back"
        self.frames.append(f)
        return f

    def t(self, f):
        """Seconds since the first frame, as a string with 6 decimals."""
        return "%.6f" % ((f.t_us - self.frames[0].t_us) / 1e6)

    def write(self, out_dir, app=None):
        path = os.path.join(out_dir, self.filename)
        with open(path, "wb") as fh:
            fh.write(self.pcapng(app) if self.interfaces else self.pcap())
        return path

    def pcap(self):
        out = [struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, self.snaplen,
                           self.linktype)]
        for f in self.frames:
            out.append(struct.pack("<IIII", f.t_us // 1000000, f.t_us % 1000000,
                                   f.caplen, len(f.data)))
            out.append(f.data[:f.caplen])
        return b"".join(out)

    def pcapng(self, app):
        def block(btype, body):
            body += b"\0" * (-len(body) % 4)
            n = 12 + len(body)
            return struct.pack("<II", btype, n) + body + struct.pack("<I", n)

        def option(code, value):
            return (struct.pack("<HH", code, len(value)) + value
                    + b"\0" * (-len(value) % 4))

        shb = struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1) + option(
            4, app.encode()) + option(0, b"")
        out = [block(0x0A0D0D0A, shb)]
        for linktype, name, descr in self.interfaces:
            idb = struct.pack("<HHI", linktype, 0, self.snaplen)
            idb += option(2, name.encode()) + option(3, descr.encode())
            idb += option(9, b"\x06") + option(0, b"")   # if_tsresol 10^-6
            out.append(block(1, idb))
        for f in self.frames:
            epb = struct.pack("<IIIII", f.iface, f.t_us >> 32,
                              f.t_us & 0xFFFFFFFF, f.caplen, len(f.data))
            epb += f.data[:f.caplen]
            out.append(block(6, epb))
        return b"".join(out)


# ---------------------------------------------------------------------------
# Writing a generator's results
# ---------------------------------------------------------------------------

def publish(caps, out_dir, disagreements, md_name, render, app=None):
    """Write the captures and their EXPECTED*.md (render() -> text), unless
    the model disagrees with testcaptures/expectations.json: then print the
    disagreements, write nothing and return 1."""
    if disagreements:
        print("\n".join(["model and testcaptures/expectations.json disagree:"]
                        + disagreements))
        return 1
    for cap in caps:
        path = cap.write(out_dir, app)
        print("wrote %s (%d frames)" % (path, len(cap.frames)))
    path = os.path.join(out_dir, md_name)
    with open(path, "w") as fh:
        fh.write(render())
    print("wrote %s" % path)
    return 0


def render_hosts(w, cap, l2="MAC", isn="%s:%d ISN 0x%08x"):
    """The host table and the ISNs of a capture's section in EXPECTED*.md."""
    w("| role | %s | IP |" % l2)
    w("|---|---|---|")
    for role, addr, ip in cap.hosts:
        w("| %s | %s | %s |" % (role, addr, ip))
    w("")
    if cap.isn:
        w("Initial sequence numbers: %s." % ", ".join(
            isn % (ip, port, n) for (ip, port, _, _), n in cap.isn.items()))
        w("")


# ---------------------------------------------------------------------------
# Independent parser for the tables and the self-checks
# ---------------------------------------------------------------------------

IPV6_EXT_NAMES = {0: "hop-by-hop", 43: "routing", 60: "destination options",
                  44: "fragment"}


def parse_l3(ipb):
    """The header fields of an IP packet (a frame's or a quote's) as a dict.
    IPv4 total length 0 (a TSO super-segment) is read as the length of the
    bytes given; totlen keeps the field as written."""
    d = {}
    if ipb[0] >> 4 == 4:
        ihl = (ipb[0] & 0x0F) * 4
        tot, ipid, ff, ttl, proto = struct.unpack("!2xHHHBB", ipb[:10])
        d.update(ver=4, ihl=ihl, totlen=tot, iplen=tot or len(ipb), id=ipid,
                 df=bool(ff & 0x4000), mf=bool(ff & 0x2000),
                 fragoff=(ff & 0x1FFF) * 8, proto=proto, ttl=ttl,
                 csum=struct.unpack("!H", ipb[10:12])[0] if len(ipb) >= 12 else None,
                 src=".".join(str(b) for b in ipb[12:16]),
                 dst=".".join(str(b) for b in ipb[16:20]))
        l4 = ipb[ihl:d["iplen"]] if len(ipb) >= ihl else b""   # not the padding
    else:
        plen, nh, hlim = struct.unpack("!HBB", ipb[4:8])
        hdr = IPv6(ipb[:40])
        off, exts = 40, []
        while nh in IPV6_EXT_NAMES and len(ipb) >= off + 8:
            name = IPV6_EXT_NAMES[nh]
            if nh == 43:
                name += " type %d, segments left %d" % (ipb[off + 2],
                                                        ipb[off + 3])
            hl = 8 if nh == 44 else (ipb[off + 1] + 1) * 8
            exts.append("%s (%d)" % (name, hl))
            nh = ipb[off]
            off += hl
        d.update(ver=6, ihl=off, iplen=40 + plen, plen=plen, proto=nh,
                 ttl=hlim, exts=exts, fragoff=0, mf=False,
                 src=str(hdr.src), dst=str(hdr.dst))
        l4 = ipb[off:40 + plen]
    d["l4"] = l4
    if d["fragoff"]:
        return d
    if d["proto"] == 6 and len(l4) >= 20:
        sport, dport, seq, ack, offfl = struct.unpack("!HHIIH", l4[:14])
        thl = (offfl >> 12) * 4
        d.update(sport=sport, dport=dport, seq=seq, ack=ack,
                 tcpflags=offfl & 0x3F, thl=thl,
                 tcplen=d["iplen"] - d["ihl"] - thl, mss=tcp_mss(l4[20:thl]))
    elif d["proto"] == 6 and len(l4) >= 8:
        sport, dport, seq = struct.unpack("!HHI", l4[:8])
        d.update(sport=sport, dport=dport, seq=seq, tcpcut=len(l4))
    elif d["proto"] == 17 and len(l4) >= 8:
        sport, dport, ulen, ucs = struct.unpack("!HHHH", l4[:8])
        d.update(sport=sport, dport=dport, udplen=ulen, udpcsum=ucs)
    elif d["proto"] in (1, 58) and len(l4) >= 8:
        d.update(icmptype=l4[0], icmpcode=l4[1])
        if d["proto"] == 1:
            d["b45"] = struct.unpack("!H", l4[4:6])[0]
            d["b5"] = l4[5]
            d["mtu"] = struct.unpack("!H", l4[6:8])[0]
            d["echo"] = struct.unpack("!HH", l4[4:8])
        else:
            d["mtu"] = struct.unpack("!I", l4[4:8])[0]
        d["quote"] = l4[8:]
    return d


def tcp_mss(opts):
    """The MSS option's value in a TCP option area, or None."""
    i = 0
    while i < len(opts):
        kind = opts[i]
        if kind == 0:
            break
        if kind == 1:
            i += 1
            continue
        if kind == 2:
            return struct.unpack("!H", opts[i + 2:i + 4])[0]
        i += opts[i + 1]
    return None


def tcp_flags(v):
    names = [(0x02, "SYN"), (0x01, "FIN"), (0x04, "RST"), (0x08, "PSH"),
             (0x10, "ACK"), (0x20, "URG")]
    return "[" + ", ".join(n for b, n in names if v & b) + "]"


def seq_text(isn, d):
    """seq=... and, with the ACK flag, ack=..., each absolute and relative
    to its direction's ISN where the capture registered it."""
    s = "seq=0x%08x" % d["seq"]
    mine = isn.get((d["src"], d["sport"], d["dst"], d["dport"]))
    if mine is not None:
        s += " (rel %d)" % ((d["seq"] - mine) & 0xFFFFFFFF)
    if d["tcpflags"] & 0x10:
        s += " ack=0x%08x" % d["ack"]
        peer = isn.get((d["dst"], d["dport"], d["src"], d["sport"]))
        if peer is not None:
            s += " (rel %d)" % ((d["ack"] - peer) & 0xFFFFFFFF)
    return s


# ---------------------------------------------------------------------------
# tshark's reading of a file (the independent check of every generator)
# ---------------------------------------------------------------------------

def tshark_fields(path, fields, options=()):
    """[{field: [values]}] per frame, every occurrence (quotes and tunnels
    give a field more than once, outermost first)."""
    cmd = ["tshark", "-n", "-r", path, "-T", "fields", "-E", "separator=\t",
           "-E", "aggregator=\x1f", "-E", "occurrence=a"] + list(options)
    for f in fields:
        cmd += ["-e", f]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError("tshark failed on %s: %s" % (path, p.stderr))
    rows = []
    for line in p.stdout.splitlines():
        cols = line.split("\t") + [""] * len(fields)
        rows.append({f: cols[i].split("\x1f") if cols[i] else []
                     for i, f in enumerate(fields)})
    return rows
