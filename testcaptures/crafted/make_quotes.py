#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Generate the captures of quotes without ports (issue 10 section 3):
ESP, AH, GRE with and without key and sequence number, SCTP, ICMP echo.

Run with Debian's python3 (scapy 2.5):

    /usr/bin/python3 testcaptures/crafted/make_quotes.py          # write
    /usr/bin/python3 testcaptures/crafted/make_quotes.py --check  # and check with tshark

The kernels these tests run on have no IPsec, GRE or SCTP devices: the
packets are crafted from their specifications (RFC 4303 ESP, RFC 4302 AH,
RFC 2784/2890 GRE, RFC 9260 SCTP, RFC 792 echo). What names a packet travels
in clear (SPI and sequence number, GRE key and sequence number, SCTP
verification tag and TSN, echo identifier and sequence number); the rest is
deterministic pseudo-random bytes (testcaptures/lib/pcapgen.py). As on many
stacks, every outer IPv4 ID is 0, so the IP ID cannot tell the packets apart.

The model below states, for every ICMP, what pmtud must report; it is
checked against testcaptures/expectations.json before anything is written
(pcapgen.publish), and rendered with the facts of every frame into
EXPECTED-quotes.md. --check reads each capture back with tshark and compares
Wireshark's own dissection of every identity field (outer packets and the
packets inside the ICMP quotes) with the model.
"""
import os
import struct
import subprocess
import sys

OUT_DIR = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(OUT_DIR), "lib"))

import expectations  # noqa: E402
import pcapgen  # noqa: E402
from pcapgen import ICMP4_QUOTE_MAX, ether, prbytes  # noqa: E402
from scapy.layers.inet import ICMP, IP, TCP  # noqa: E402
from scapy.layers.sctp import SCTP, SCTPChunkData, SCTPChunkSACK  # noqa: E402
from scapy.packet import Raw  # noqa: E402

# The site-to-site VPN: two gateways, a router between them with MTU 1400.
GW_A, GW_B, RTR = "198.51.100.1", "203.0.113.1", "198.51.100.254"
SRV, CLI, RTR_C = "192.0.2.10", "203.0.113.45", "203.0.113.254"
MAC_A, MAC_B = "52:54:00:00:00:0a", "52:54:00:00:00:0b"
OUT, IN = (MAC_A, MAC_B), (MAC_B, MAC_A)
SPI_ESP, SPI_AH, GRE_KEY, VTAG, PING_ID = 0xC0DE0001, 0x0A110001, 0x00000064, 0x5CA1AB1E, 0x3039
MTU = 1400
SCTP_PORT = 5001
RFC792_QUOTE = 28      # IP header + the 8 bytes RFC 792 asks for

LEGIT = "legitimate"
AMBIGUOUS = "quote_ambiguous"
NOT_CAPTURED = "quote_not_captured"


class Capture(pcapgen.Capture):
    def __init__(self, filename, doc):
        super().__init__(filename, doc)
        self.icmps = {}        # ICMP frame -> stated expectation
        self.idents = {}       # frame -> [identity text of each packet in it]

    def data(self, t, l2, ipb, label):
        f = self.add(t, ether(*l2, ipb), label)
        self.idents[f.number] = [identity(ipb)]
        return f

    def ptb(self, t, l2, router, dst, quoted, nbytes, label):
        """A frag-needed (MTU 1400) quoting nbytes of the IP packet of frame
        quoted (or of the IP packet quoted, when it was never sent)."""
        quote = (quoted if isinstance(quoted, bytes) else quoted.data[14:])[:nbytes]
        f = self.add(t, ether(*l2, pcapgen.icmp4_frag_needed(router, dst, 0x0A10 + len(
            self.frames), MTU, quote)), label)
        self.idents[f.number] = ["quote: " + identity(quote)]
        return f

    def linked(self, icmp, frame):
        self.icmps[icmp.number] = {"quoted": frame.number, "qlen": 1500, "wlen": 1500,
                                   "mtu": MTU, "covered": [frame.number], "experts": [LEGIT]}

    def ambiguous(self, icmp, candidates):
        self.icmps[icmp.number] = {"quoted": None, "qlen": 1500, "wlen": None, "mtu": MTU,
                                   "covered": [], "experts": [AMBIGUOUS],
                                   "candidates": [c.number for c in candidates]}

    def not_captured(self, icmp):
        self.icmps[icmp.number] = {"quoted": None, "qlen": 1500, "wlen": None, "mtu": MTU,
                                   "covered": [], "experts": [NOT_CAPTURED]}


def ipv4(src, dst, proto, body, ipid=0):
    return bytes(IP(src=src, dst=dst, id=ipid, flags="DF", proto=proto) / Raw(body))


# ---------------------------------------------------------------------------
# Identities, read back from the bytes (independently of the plugin)
# ---------------------------------------------------------------------------

def identity(ipb):
    """What names the IPv4 packet ipb (possibly a cut quote), as text."""
    proto, l4 = ipb[9], ipb[(ipb[0] & 15) * 4:]
    have = "%d bytes past the IP header" % len(l4)
    if proto == 50:
        return "ESP " + (("SPI 0x%08x seq %d" % struct.unpack("!II", l4[:8]))
                         if len(l4) >= 8 else "cut, " + have)
    if proto == 51:
        if len(l4) >= 12:
            return "AH SPI 0x%08x seq %d" % struct.unpack("!II", l4[4:12])
        return "AH SPI 0x%08x, no sequence number (%s)" % (
            struct.unpack("!I", l4[4:8])[0], have)
    if proto == 47:
        flags, off, out = struct.unpack("!H", l4[:2])[0], 4, "GRE"
        off += 4 if flags & 0x8000 else 0
        for bit, name in ((0x2000, "key"), (0x1000, "seq")):
            if flags & bit:
                out += (" %s %d" % (name, struct.unpack("!I", l4[off:off + 4])[0])
                        if len(l4) >= off + 4 else " %s cut" % name)
                off += 4
        if not flags & 0x3000:
            inner = l4[off:]
            out += " (no key, no seq), inner " + (
                "IP ID 0x%04x" % struct.unpack("!H", inner[4:6]) if len(inner) >= 6
                else "%d bytes" % len(inner))
        return out
    if proto == 132:
        out = "SCTP %d > %d vtag 0x%08x" % struct.unpack("!HHI", l4[:8])
        if len(l4) >= 20 and l4[12] == 0:
            out += " DATA TSN %d" % struct.unpack("!I", l4[16:20])
        elif len(l4) >= 13:
            out += " chunk type %d" % l4[12]
        else:
            out += ", no chunk (%s)" % have
        return out
    if proto == 1:
        t, _, _, ident, seq = struct.unpack("!BBHHH", l4[:8])
        return "ICMP %s id 0x%04x seq %d" % ({8: "echo request", 0: "echo reply"}.get(
            t, "type %d" % t), ident, seq)
    return "protocol %d" % proto


# ---------------------------------------------------------------------------
# The captures
# ---------------------------------------------------------------------------

def esp_packet(seq):
    """Tunnel-mode ESP between the gateways, 1500 bytes: SPI, sequence
    number, then IV + ciphertext + ICV (random bytes)."""
    return ipv4(GW_A, GW_B, 50, struct.pack("!II", SPI_ESP, seq)
                + prbytes("esp-%d" % seq, 1500 - 28))


def quote_esp():
    """Site-to-site IPsec: three 1500-byte ESP packets of one SA (same SPI,
    outer IP ID 0), a router with MTU 1400 rejects the second (Linux quote,
    548 bytes), then the third (RFC 792 quote: IP header + 8 bytes, which
    hold SPI and sequence number). Each ICMP links to the packet its
    sequence number names; before identities pmtud linked both to the
    third (the latest among equal IP IDs)."""
    cap = Capture("quote_esp.pcap", quote_esp.__doc__)
    s = [cap.data(0.001 * i, OUT, esp_packet(41 + i), "ESP seq %d, 1500 bytes" % (41 + i))
         for i in range(3)]
    i1 = cap.ptb(0.0032, IN, RTR, GW_A, s[1], ICMP4_QUOTE_MAX, "frag-needed quoting seq 42")
    i2 = cap.ptb(0.0041, IN, RTR, GW_A, s[2], RFC792_QUOTE, "frag-needed, 8-byte quote of seq 43")
    cap.linked(i1, s[1])
    cap.linked(i2, s[2])
    return cap


def ah_packet(seq):
    """Transport-mode AH (12-byte ICV) around a TCP segment: 1500 bytes."""
    tcp = bytes(TCP(sport=443, dport=50123, seq=0x10000000 + 1436 * seq, ack=1,
                    flags="A", window=502) / Raw(prbytes("ah-%d" % seq, 1436)))
    return ipv4(GW_A, GW_B, 51, struct.pack("!BBHII", 6, 4, 0, SPI_AH, seq)
                + prbytes("icv-%d" % seq, 12) + tcp)


def quote_ah():
    """AH: three 1500-byte packets of one SA, outer IP ID 0. A router
    quoting only the RFC 792 minimum (IP header + 8 bytes: next header,
    length, reserved, SPI) cannot say which of the three it rejected: the
    sequence number starts at byte 8. pmtud says "ambiguous" and names the
    three candidates rather than guess. A Linux router's 548-byte quote of
    the second holds the sequence number: linked to it."""
    cap = Capture("quote_ah.pcap", quote_ah.__doc__)
    s = [cap.data(0.001 * i, OUT, ah_packet(7 + i), "AH seq %d, TCP inside, 1500 bytes" % (7 + i))
         for i in range(3)]
    i1 = cap.ptb(0.0032, IN, RTR, GW_A, s[1], RFC792_QUOTE, "frag-needed, 8-byte quote of seq 8")
    i2 = cap.ptb(0.0040, IN, RTR, GW_A, s[1], ICMP4_QUOTE_MAX, "frag-needed quoting seq 8")
    cap.ambiguous(i1, s)
    cap.linked(i2, s[1])
    return cap


def gre_packet(n, key_seq):
    """1500 bytes of GRE carrying IPv4 + TCP from the office to a server,
    the inner IP ID and sequence number growing as a Linux sender's do."""
    if key_seq:
        hdr = struct.pack("!HHII", 0x3000, 0x0800, GRE_KEY, n)
    else:
        hdr = struct.pack("!HH", 0x0000, 0x0800)
    size = 1500 - 20 - len(hdr) - 40
    inner = pcapgen.tcp_ip(4, "10.1.0.5", "10.2.0.9", 40022, 22, 0x55000000 + size * n, 1,
                           "A", prbytes("inner-%d" % n, size), ipid=0x2200 + n)
    return ipv4(GW_A, GW_B, 47, hdr + inner)


def quote_gre_key_seq():
    """GRE with key and sequence number (RFC 2890) between the gateways:
    three packets of one tunnel (outer IP ID 0), a router on the outer path
    rejects the second (MTU 1400, Linux quote): linked by key and sequence
    number. Its RFC 792 quote of the third holds the key, not the sequence
    number (bytes 8-11 of GRE): ambiguous, the three named."""
    cap = Capture("quote_gre_key_seq.pcap", quote_gre_key_seq.__doc__)
    s = [cap.data(0.001 * i, OUT, gre_packet(1 + i, True), "GRE key %d seq %d, TCP inside"
                  % (GRE_KEY, 1 + i)) for i in range(3)]
    i1 = cap.ptb(0.0032, IN, RTR, GW_A, s[1], ICMP4_QUOTE_MAX, "frag-needed quoting GRE seq 2")
    i2 = cap.ptb(0.0041, IN, RTR, GW_A, s[2], RFC792_QUOTE, "frag-needed, 8-byte quote of seq 3")
    cap.linked(i1, s[1])
    cap.ambiguous(i2, s)
    return cap


def quote_gre_plain():
    """GRE without key or sequence number (RFC 2784): nothing in the GRE
    header names a packet, the tunnelled bytes must. A Linux router's quote
    of the second holds the inner IP header (inner IP ID 0x2202) and TCP
    header: linked. An RFC 792 quote holds the 4 GRE bytes and the first 4
    inner bytes (version, TOS, total length), alike in all three: ambiguous."""
    cap = Capture("quote_gre_plain.pcap", quote_gre_plain.__doc__)
    s = [cap.data(0.001 * i, OUT, gre_packet(1 + i, False), "GRE, TCP inside, inner IP ID 0x%04x"
                  % (0x2201 + i)) for i in range(3)]
    i1 = cap.ptb(0.0032, IN, RTR, GW_A, s[1], ICMP4_QUOTE_MAX, "frag-needed quoting the second")
    i2 = cap.ptb(0.0041, IN, RTR, GW_A, s[1], RFC792_QUOTE, "frag-needed, 8-byte quote of it")
    cap.linked(i1, s[1])
    cap.ambiguous(i2, s)
    return cap


def sctp_data(tsn):
    return bytes(IP(src=SRV, dst=CLI, id=0, flags="DF")
                 / SCTP(sport=SCTP_PORT, dport=SCTP_PORT, tag=VTAG)
                 / SCTPChunkData(tsn=tsn, stream_id=0, stream_seq=tsn - 1000, proto_id=0,
                                 beginning=1, ending=1, data=prbytes("sctp-%d" % tsn, 1452)))


def quote_sctp():
    """SCTP (an association on port 5001, payload protocol 0): two 1500-byte DATA
    packets (TSN 1000, 1001; IP ID 0) and the peer's SACK. A router
    (MTU 1400) quotes the second with the TSN of its DATA chunk: linked. An
    RFC 792 quote of the first holds ports and verification tag only:
    ambiguous between the two."""
    cap = Capture("quote_sctp.pcap", quote_sctp.__doc__)
    d1 = cap.data(0.0, OUT, sctp_data(1000), "DATA TSN 1000, 1500 bytes")
    d2 = cap.data(0.0002, OUT, sctp_data(1001), "DATA TSN 1001, 1500 bytes")
    cap.data(0.0310, IN, bytes(IP(src=CLI, dst=SRV, id=0, flags="DF")
                               / SCTP(sport=SCTP_PORT, dport=SCTP_PORT, tag=0x0B0E0B0E)
                               / SCTPChunkSACK(cumul_tsn_ack=999, a_rwnd=106496)),
             "SACK (cumulative TSN 999)")
    i1 = cap.ptb(0.0320, IN, RTR_C, SRV, d2, ICMP4_QUOTE_MAX, "frag-needed quoting TSN 1001")
    i2 = cap.ptb(0.0330, IN, RTR_C, SRV, d1, RFC792_QUOTE, "frag-needed, 8-byte quote of TSN 1000")
    cap.linked(i1, d2)
    cap.ambiguous(i2, [d1, d2])
    return cap


def echo(src, dst, reply, seq, ipid):
    return bytes(IP(src=src, dst=dst, id=ipid, flags="DF")
                 / ICMP(type=0 if reply else 8, id=PING_ID, seq=seq)
                 / Raw(prbytes("ping-%d" % seq, 1472)))


def quote_echo():
    """`ping -M do -s 1472` from the server: a 1500-byte echo request and
    its 1500-byte reply. A router rejects the request (MTU 1400): linked to
    it. A forged frag-needed to the server quotes an echo *reply* from the
    server to the client with the request's identifier, sequence number and
    IP ID (what an attacker who saw the request would write): no such reply
    was sent, and a reply is not a request (the type is part of the
    identity): not captured. A router on the way back rejects the real
    reply and tells the client: linked to the reply."""
    cap = Capture("quote_echo.pcap", quote_echo.__doc__)
    req = cap.data(0.0, OUT, echo(SRV, CLI, False, 1, 0x1C46), "echo request, 1500 bytes, DF")
    rep = cap.data(0.0210, IN, echo(CLI, SRV, True, 1, 0x7301), "echo reply, 1500 bytes, DF")
    i1 = cap.ptb(0.0212, IN, RTR, SRV, req, ICMP4_QUOTE_MAX, "frag-needed quoting the request")
    forged = echo(SRV, CLI, True, 1, 0x1C46)
    i2 = cap.ptb(0.5, IN, "192.0.2.99", SRV, forged, ICMP4_QUOTE_MAX,
                 "forged frag-needed quoting an echo reply SRV -> CLI")
    i3 = cap.ptb(0.5212, OUT, RTR_C, CLI, rep, ICMP4_QUOTE_MAX,
                 "frag-needed to the client quoting its reply")
    cap.linked(i1, req)
    cap.not_captured(i2)
    cap.linked(i3, rep)
    return cap


CAPTURES = [quote_esp, quote_ah, quote_gre_key_seq, quote_gre_plain, quote_sctp, quote_echo]


# ---------------------------------------------------------------------------
# EXPECTED-quotes.md, and the check against Wireshark's dissection
# ---------------------------------------------------------------------------

def render(caps):
    out = ["# Quotes without ports: what each capture holds",
           "",
           "Written by `make_quotes.py` from the model that builds the packets; the",
           "identities are read back from the bytes. What pmtud must report is",
           "`testcaptures/expectations.json` (the script refuses to write when its",
           "model disagrees).", ""]
    for cap in caps:
        out += ["## `%s`" % cap.filename, "", " ".join(cap.doc.split()), "",
                "| # | t (s) | what | frame len | identity |", "|---|---|---|---|---|"]
        for f in cap.frames:
            out.append("| %d | %s | %s | %d | %s |" % (f.number, cap.t(f), f.label, len(f.data),
                                                     "; ".join(cap.idents[f.number])))
        out += ["", "| ICMP | pmtud must say |", "|---|---|"]
        for frame, e in sorted(cap.icmps.items()):
            if e["quoted"]:
                said = "quoted frame %d, legitimate (1500 > MTU %d)" % (e["quoted"], MTU)
            elif e.get("candidates"):
                said = "ambiguous, candidates %s, no link" % ", ".join(map(str, e["candidates"]))
            else:
                said = "quoted packet not captured"
            out.append("| %d | %s |" % (frame, said))
        out.append("")
    return "\n".join(out)


# Wireshark's fields for each identity (and the IP IDs of every IPv4 header:
# outer, tunnelled, quoted), outermost first.
FIELDS = ["ip.id", "esp.spi", "esp.sequence", "ah.spi", "ah.sequence", "gre.key",
          "gre.sequence_number", "sctp.verification_tag", "sctp.data_tsn_raw",
          "icmp.type", "icmp.ident", "icmp.seq"]


def wireshark_says(path):
    """Per frame: every identity field Wireshark dissects, outer and quoted."""
    rows = pcapgen.tshark_fields(path, FIELDS + ["_ws.malformed", "_ws.expert.severity"])
    return [{k: [int(x, 0) for x in v] for k, v in r.items() if v and not k.startswith("_ws")}
            for r in rows], [r["_ws.malformed"] for r in rows]


def model_says(cap):
    """The same fields, from the bytes the model wrote."""
    out = []
    for f in cap.frames:
        row = {}

        def put(k, v):
            row.setdefault(k, []).append(v)

        ipb = f.data[14:]
        while len(ipb) >= 20:
            put("ip.id", struct.unpack("!H", ipb[4:6])[0])
            proto, l4 = ipb[9], ipb[(ipb[0] & 15) * 4:]
            ipb = b""
            if proto == 50 and len(l4) >= 8:
                put("esp.spi", struct.unpack("!I", l4[:4])[0])
                put("esp.sequence", struct.unpack("!I", l4[4:8])[0])
            elif proto == 51 and len(l4) >= 8:
                put("ah.spi", struct.unpack("!I", l4[4:8])[0])
                if len(l4) >= 12:
                    put("ah.sequence", struct.unpack("!I", l4[8:12])[0])
            elif proto == 47:
                flags = struct.unpack("!H", l4[:2])[0]
                off = 4
                if flags & 0x2000 and len(l4) >= off + 4:
                    put("gre.key", struct.unpack("!I", l4[off:off + 4])[0])
                off += 4 if flags & 0x2000 else 0
                if flags & 0x1000 and len(l4) >= off + 4:
                    put("gre.sequence_number", struct.unpack("!I", l4[off:off + 4])[0])
                ipb = l4[off + (4 if flags & 0x1000 else 0):]   # the tunnelled packet
            elif proto == 132 and len(l4) >= 12:      # Wireshark needs the common header
                put("sctp.verification_tag", struct.unpack("!I", l4[4:8])[0])
                if len(l4) >= 20 and l4[12] == 0:
                    put("sctp.data_tsn_raw", struct.unpack("!I", l4[16:20])[0])
            elif proto == 1:
                put("icmp.type", l4[0])
                if l4[0] in (0, 8):
                    put("icmp.ident", struct.unpack("!H", l4[4:6])[0])
                    put("icmp.seq", struct.unpack("!H", l4[6:8])[0])
                elif l4[0] == 3:
                    ipb = l4[8:]       # the quote: read it the same way
        out.append(row)
    return out


def check(caps):
    """Wireshark must read every identity as the model wrote it, outer and
    inside the quotes, and find nothing malformed."""
    bad = 0
    for cap in caps:
        path = os.path.join(OUT_DIR, cap.filename)
        got, malformed = wireshark_says(path)
        want = model_says(cap)
        for n, (g, w, m) in enumerate(zip(got, want, malformed), 1):
            # tshark also reads the identity of the packet inside GRE and
            # shows ICMP's quoted type/ident/seq: compare what the model states.
            g = {k: v for k, v in g.items() if k in w}
            ok = g == w and not m
            bad += not ok
            print("%-24s %2d %s %s" % (cap.filename, n, "ok " if ok else "BAD",
                                       w if ok else "model %s, tshark %s %s" % (w, g, m)))
        bad += len(got) != len(want)
    return bad


def main():
    caps = [fn() for fn in CAPTURES]
    cases = expectations.load()
    errors = []
    for cap in caps:
        case = cases.get("crafted/" + cap.filename)
        if case is None:
            errors.append("crafted/%s: no entry in expectations.json" % cap.filename)
            continue
        errors += expectations.differences(case, "icmps", cap.icmps)
    rc = pcapgen.publish(caps, OUT_DIR, errors, "EXPECTED-quotes.md", lambda: render(caps))
    if rc == 0 and "--check" in sys.argv:
        rc = 1 if check(caps) else 0
    return rc


if __name__ == "__main__":
    sys.exit(main())
