#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Generate the two views of a PMTUD black hole as a Windows server falls
back, and their facts (EXPECTED-windows-blackhole.md):

    windows_blackhole_sender.pcap    captured on the Windows server
    windows_blackhole_receiver.pcap  the same flow captured on the client

Run with Debian's python3 (scapy 2.5):

    /usr/bin/python3 testcaptures/crafted/make_windows_blackhole.py          # write
    /usr/bin/python3 testcaptures/crafted/make_windows_blackhole.py --check  # + tshark

The story (issue 10, section 5; a capture recorded in the wild that cannot be
shipped, rebuilt here with its timing). A client fetches a page from a Windows
server over a path whose MTU is 1400 somewhere in the middle; the router there
drops every larger DF packet and its ICMP "fragmentation needed" is filtered.
The server sends the response headers (small: they get through), then the
body as a 1460-byte segment (IP length 1500, DF) and a 563-byte one. The big
one vanishes; the small one arrives and the client SACKs it at once. Windows
resends the big one on its retransmission timer (RTO 3 s, then 6 s), in vain.
Twelve seconds later its black-hole detection (EnablePMTUBHDetect) gives up
on the full size: it resends the data as 536-byte segments with DF cleared;
they are acknowledged, the MSS stays 536 and DF is set again on what follows
(the client's next request is answered in 536-byte segments).

One model, two views. Every packet has a send time on the server's clock
(client packets: the time they reach the server). One-way delay is 20 ms, the
path 12 hops long: the server's capture shows its own packets at send time
with TTL 128 and the client's 20 ms after they left with TTL 64 - 12; the
client's capture shows its own at send time with TTL 64, the server's 20 ms
after they left with TTL 128 - 12, and never the three full-size segments.
Both captures start at their first frame (the client's SYN), so a server
packet sent at server time t is seen by the client at t + 40 ms and a client
packet has the same time stamp in both views.

Deterministic: fixed time stamps (integer microseconds), ISNs, IP IDs (Windows
and Linux both count up per packet), payload bytes from SHA-256 of a label;
scapy computes lengths and checksums. Written with scapy's own layers (the
shared generator library will fold this in).

--check reads both captures back with tshark (-V and fields: an independent
reading, not this model) and fails on any difference from the facts below,
including TCP analysis: the resends are retransmissions, the client's dup ACK
carries the SACK block, the receiver view shows the segment not captured.
"""

import os
import struct
import subprocess
import sys

from scapy.layers.inet import IP, TCP
from scapy.layers.l2 import Ether
from scapy.packet import Raw

OUT_DIR = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, OUT_DIR)
from make_crafted import prbytes   # noqa: E402  (payload bytes, as every crafted capture)
sys.path.insert(0, os.path.join(os.path.dirname(OUT_DIR), "lib"))
import expectations                 # noqa: E402  (what the capture tests assert)
BASE_US = 1366189200 * 1000000        # same epoch as the other crafted captures
ONE_WAY_US = 20000
HOPS = 12

SERVER, CLIENT = "192.0.2.20", "198.51.100.60"
SPORT, CPORT = 80, 51234
SRV_MAC, SRV_GW_MAC = "00:15:5d:14:02:14", "52:54:00:6b:02:01"   # Hyper-V guest
CLI_MAC, CLI_GW_MAC = "3c:52:82:3c:64:3c", "52:54:00:c6:64:01"
SRV_TTL, CLI_TTL = 128, 64            # Windows, Linux
S_ISN, C_ISN = 0x7D3A9B10, 0x1C6E4F20
S_IPID0, C_IPID0 = 0x2A41, 0x8C20
PATH_MTU = 1400                       # the router that drops silently

# Linux SYN options; Windows answers without timestamps, so none are used.
CLI_SYN_OPTS = [("MSS", 1460), ("SAckOK", b""), ("Timestamp", (2981234567, 0)),
                ("NOP", None), ("WScale", 7)]
SRV_SYNACK_OPTS = [("MSS", 1460), ("NOP", None), ("WScale", 8), ("NOP", None),
                   ("NOP", None), ("SAckOK", b"")]
CLI_WIN, SRV_WIN = 502, 1026          # scaled by 128 and 256 after the handshake


def http_get(path):
    return ("GET %s HTTP/1.1\r\nHost: intranet.example.com\r\n"
            "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:115.0) Gecko/20100101 Firefox/115.0\r\n"
            "Accept: */*\r\nConnection: keep-alive\r\n\r\n" % path).encode()


def http_head(body_len, ctype):
    return ("HTTP/1.1 200 OK\r\nContent-Type: %s\r\n"
            "Server: Microsoft-IIS/10.0\r\nX-Powered-By: ASP.NET\r\n"
            "Date: Wed, 17 Apr 2013 09:00:00 GMT\r\nContent-Length: %d\r\n\r\n"
            % (ctype, body_len)).encode()


class Pkt:
    """One packet of the flow, as its sender emitted it."""

    def __init__(self, t_us, side, seq, ack, flags, payload=b"", df=True,
                 opts=None, lost=False, note=""):
        self.t_us, self.side, self.seq, self.ack = t_us, side, seq, ack
        self.flags, self.payload, self.df = flags, payload, df
        self.opts, self.lost, self.note = opts, lost, note
        self.ipid = None

    def frame(self, ttl):
        s = self.side == "S"
        syn = "S" in self.flags
        win = (65535 if s else 64240) if syn else (SRV_WIN if s else CLI_WIN)
        l2 = (SRV_MAC, SRV_GW_MAC) if s else (CLI_MAC, CLI_GW_MAC)
        pkt = (Ether(src=l2[0], dst=l2[1])
               / IP(src=SERVER if s else CLIENT, dst=CLIENT if s else SERVER,
                    id=self.ipid, ttl=ttl, flags="DF" if self.df else 0)
               / TCP(sport=SPORT if s else CPORT, dport=CPORT if s else SPORT,
                     seq=self.seq, ack=self.ack, flags=self.flags, window=win,
                     options=self.opts or []))
        if self.payload:
            pkt = pkt / Raw(self.payload)
        return bytes(pkt)


def model():
    """The flow, in the server's clock (microseconds from the client's SYN
    reaching the server)."""
    S1, C1 = S_ISN + 1, C_ISN + 1
    get1, get2 = http_get("/reports/q3.html"), http_get("/reports/q3-chart.png")
    body1 = prbytes("windows-blackhole-page", 2023)        # 1460 + 563
    head1 = http_head(len(body1), "text/html; charset=utf-8")
    resp2 = prbytes("windows-blackhole-chart", 6 * 536 + 212)
    head2 = http_head(len(resp2) - 0, "image/png")
    resp2 = head2 + resp2[len(head2):]                       # 3428 bytes in all
    X = S1 + len(head1)                                       # the stuck segment
    AG1 = C1 + len(get1)
    AG2 = AG1 + len(get2)
    big, tail = body1[:1460], body1[1460:]
    P = []
    P.append(Pkt(0, "C", C_ISN, 0, "S", opts=CLI_SYN_OPTS, note="client SYN (MSS 1460, SACK permitted, WS 7)"))
    P.append(Pkt(62, "S", S_ISN, C1, "SA", opts=SRV_SYNACK_OPTS, note="server SYN-ACK (MSS 1460, WS 8, SACK permitted)"))
    P.append(Pkt(40180, "C", C1, S1, "A", note="client ACK"))
    P.append(Pkt(40410, "C", C1, S1, "PA", get1, note="client GET /reports/q3.html"))
    P.append(Pkt(150350, "S", S1, AG1, "PA", head1, note="response headers (%d B): get through" % len(head1)))
    P.append(Pkt(190000, "S", X, AG1, "A", big, lost=True, note="body, full-size 1460 B, DF: **dropped** silently"))
    P.append(Pkt(190012, "S", X + 1460, AG1, "PA", tail, note="body, next segment 563 B, DF: gets through"))
    P.append(Pkt(190400, "C", AG1, X, "A", note="client ACK of the headers"))
    P.append(Pkt(230080, "C", AG1, X, "A", opts=[("NOP", None), ("NOP", None), ("SAck", (X + 1460, X + 2023))],
                 note="client dup ACK, SACK of the 563 B segment"))
    P.append(Pkt(3200000, "S", X, AG1, "A", big, lost=True, note="resend after RTO 3 s, 1460 B, DF: **dropped**"))
    P.append(Pkt(9300000, "S", X, AG1, "A", big, lost=True, note="resend after RTO 6 s, 1460 B, DF: **dropped**"))
    for i, (a, b) in enumerate(((0, 536), (536, 1072), (1072, 1460))):
        P.append(Pkt(21300000 + 50 * i, "S", X + a, AG1, "PA" if b == 1460 else "A", big[a:b], df=False,
                     note="black-hole fallback: %d B, **DF cleared**" % (b - a)))
    sack = [("NOP", None), ("NOP", None), ("SAck", (X + 1460, X + 2023))]
    P.append(Pkt(21340030, "C", AG1, X + 536, "A", opts=sack, note="client ACK of the first 536 B (SACK kept)"))
    P.append(Pkt(21340080, "C", AG1, X + 1072, "A", opts=sack, note="client ACK of the next 536 B"))
    P.append(Pkt(21340130, "C", AG1, X + 2023, "A", note="client ACK of everything: the hole is filled"))
    P.append(Pkt(21412300, "C", AG1, X + 2023, "PA", get2, note="client GET /reports/q3-chart.png"))
    S2 = X + 2023
    for i in range(7):
        if i < 4:
            t = 21520500 + 50 * i
        else:
            t = 21560700 + 50 * (i - 4)
        n = 212 if i == 6 else 536
        P.append(Pkt(t, "S", S2 + 536 * i, AG2, "PA" if i == 6 else "A", resp2[536 * i:536 * i + n],
                     note="second response, MSS 536, DF set again"))
    for t, acked in ((21560560, 2), (21560680, 4), (21600760, 6)):
        P.append(Pkt(t, "C", AG2, S2 + 536 * acked, "A", note="client ACK"))
    P.append(Pkt(21600830, "C", AG2, S2 + len(resp2), "A", note="client ACK of the second response"))
    P.sort(key=lambda p: p.t_us)
    sid, cid = S_IPID0, C_IPID0
    for p in P:
        if p.side == "S":
            p.ipid, sid = sid, sid + 1
        else:
            p.ipid, cid = cid, cid + 1
    return P, dict(X=X, S1=S1, C1=C1, AG1=AG1)


def view(P, at):
    """[(t_us, frame bytes, pkt)] as captured on host at ('S' or 'C')."""
    out = []
    for p in P:
        if p.side == at:
            t, ttl = p.t_us, SRV_TTL if at == "S" else CLI_TTL
        else:
            if p.lost:
                continue
            t = p.t_us + (2 * ONE_WAY_US if at == "C" else 0)
            ttl = (CLI_TTL if at == "S" else SRV_TTL) - HOPS
        out.append((t, p.frame(ttl), p))
    out.sort(key=lambda x: x[0])
    return out


def write_pcap(name, frames):
    with open(os.path.join(OUT_DIR, name), "wb") as fh:
        fh.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for t, data, _ in frames:
            t += BASE_US
            fh.write(struct.pack("<IIII", t // 1000000, t % 1000000, len(data), len(data)))
            fh.write(data)


# --- facts ---------------------------------------------------------------

def facts(frames, X):
    """The per-frame facts both the document and --check use."""
    rows = []
    t0 = frames[0][0]
    for n, (t, data, p) in enumerate(frames, 1):
        rows.append(dict(n=n, t="%.6f" % ((t - t0) / 1e6), wire=len(data),
                         iplen=len(data) - 14, df=p.df, side=p.side, seq=p.seq,
                         rel=(p.seq - (S_ISN if p.side == "S" else C_ISN)) & 0xFFFFFFFF,
                         len=len(p.payload), ack=p.ack, note=p.note))
    return rows


def number(rows, pred):
    return [r["n"] for r in rows if pred(r)]


def summary(rows, X):
    full = number(rows, lambda r: r["side"] == "S" and r["seq"] == X and r["len"] == 1460)
    fill = number(rows, lambda r: r["side"] == "S" and not r["df"])
    sacked = number(rows, lambda r: r["side"] == "S" and r["seq"] == X + 1460)
    return full, fill, sacked


def us(a, b):
    """Microseconds from fact time a to fact time b (strings of seconds)."""
    return round((float(b) - float(a)) * 1e6)


def stated_blackholes(sender, receiver, X):
    """What this model says pmtud must report, in the terms of
    testcaptures/expectations.json: {capture: blackhole entry}."""
    full, fill, sacked = summary(sender, X)
    rfull, rfill, rsacked = summary(receiver, X)
    at = {r["n"]: r for r in sender}
    rat = {r["n"]: r for r in receiver}
    through = at[sacked[0]]["iplen"]
    return {
        # Seen from the server: the full-size tries and the first fallback
        # frame; the SACKed segment got through; confirmed by a later ACK.
        "crafted/windows_blackhole_sender.pcap": dict(
            frames=full + fill[:1], through=through, clamp=through - 40,
            lost_us=us(at[full[0]]["t"], at[fill[0]]["t"]), df_cleared=True),
        # Seen from the client: no full-size frame; the frames that fill the
        # hole opened by the SACKed one, confirmed by the last of them.
        "crafted/windows_blackhole_receiver.pcap": dict(
            frames=rfill, through=rat[rsacked[0]]["iplen"], clamp=rat[rsacked[0]]["iplen"] - 40,
            lost_us=us(rat[rsacked[0]]["t"], rat[rfill[0]]["t"]), one_pass=rfill[-1:],
            df_cleared=True, receiver_view=not rfull),
    }


def render(sender, receiver, X):
    out = []
    w = out.append
    w("# Windows black hole, both views: expected facts\n")
    w("Made by `make_windows_blackhole.py` (this folder; scapy, deterministic). "
      "The story is in the script's top comment: a Windows server (TTL 128, IP IDs counting up, "
      "MSS 1460, SACK, window scaling) behind a path whose MTU is %d; the router drops larger "
      "DF packets and no ICMP comes back. Flow: server %s:%d -> client %s:%d; server ISN %d, "
      "client ISN %d; \"rel\" is relative to the sender's ISN. The stuck segment starts at "
      "seq %d (rel %d).\n" % (PATH_MTU, SERVER, SPORT, CLIENT, CPORT, S_ISN, C_ISN, X,
                             X - S_ISN))
    w("No ICMP in either file. `make_windows_blackhole.py --check` re-derives every fact below "
      "with tshark.\n")
    fs, fbs, ss = summary(sender, X)
    fr, fbr, sr = summary(receiver, X)
    w("## (a) `windows_blackhole_sender.pcap`: captured on the Windows server\n")
    w("| fact | value |\n|---|---|")
    w("| full-size transmissions of the stuck data (1460 B, IP len 1500, DF), never acknowledged "
      "| **%s** (t %s) |" % (", ".join(map(str, fs)), ", ".join(sender[n - 1]["t"] for n in fs)))
    w("| gaps between them | %s s (RTO 3 s, then 6 s), then %s s until the fallback |" % (
        ", ".join("%.6f" % (float(sender[b - 1]["t"]) - float(sender[a - 1]["t"]))
                  for a, b in zip(fs, fs[1:])),
        "%.6f" % (float(sender[fbs[0] - 1]["t"]) - float(sender[fs[-1] - 1]["t"]))))
    w("| the next segment (563 B, IP len 603, DF), SACKed at once | **%d**, SACKed by frame %d |"
      % (ss[0], number(sender, lambda r: r["side"] == "C" and "SACK of" in r["note"])[0]))
    w("| fallback: the same bytes as 536 + 536 + 388 B, **DF cleared** | **%s** (IP len %s), "
      "first at t %s |" % (", ".join(map(str, fbs)),
                            ", ".join(str(sender[n - 1]["iplen"]) for n in fbs),
                            sender[fbs[0] - 1]["t"]))
    w("| first ACK past the stuck data's first byte | **%d** (ack rel %d) |" % (
        number(sender, lambda r: r["side"] == "C" and r["ack"] == X + 536)[0], X + 536 - S_ISN))
    w("| largest IP length that got through (server -> client) | **603** (frame %d, SACKed); "
      "the fallback's 576, the headers' %d |" % (ss[0], sender[4]["iplen"]))
    w("| MSS to clamp to | **563** (603 - 40) |")
    w("| time lost | **%.6f** s = t(%d) - t(%d) |" % (
        float(sender[fbs[0] - 1]["t"]) - float(sender[fs[0] - 1]["t"]), fbs[0], fs[0]))
    w("| after the fallback | the second response in 536-byte segments with DF set again "
      "(frames %s) |\n" % ", ".join(map(str, number(
          sender, lambda r: r["side"] == "S" and r["len"] and r["df"] and r["seq"] >= X + 2023))))
    w("## (b) `windows_blackhole_receiver.pcap`: the same flow captured on the client\n")
    w("| fact | value |\n|---|---|")
    w("| full-size segments | **none arrive**: the hole is seq %d-%d (rel %d-%d, 1460 B) |" % (
        X, X + 1460, X - S_ISN, X + 1460 - S_ISN))
    w("| the frame that opens the hole (data past it) | **%d** (t %s, 563 B at rel %d) |" % (
        sr[0], receiver[sr[0] - 1]["t"], X + 1460 - S_ISN))
    w("| the client SACKs it | frame %d (ack rel %d, SACK rel %d-%d) |" % (
        number(receiver, lambda r: r["side"] == "C" and "SACK of" in r["note"])[0], X - S_ISN,
        X + 1460 - S_ISN, X + 2023 - S_ISN))
    w("| the frames that fill the hole (536 + 536 + 388 B, **DF cleared**) | **%s** (t %s) |" % (
        ", ".join(map(str, fbr)), ", ".join(receiver[n - 1]["t"] for n in fbr)))
    w("| the hole stayed open | **%.6f** s from frame %d to the first filling frame %d "
      "(%.6f s to the last, %d) |" % (
          float(receiver[fbr[0] - 1]["t"]) - float(receiver[sr[0] - 1]["t"]), sr[0], fbr[0],
          float(receiver[fbr[-1] - 1]["t"]) - float(receiver[sr[0] - 1]["t"]), fbr[-1]))
    w("| largest IP length that got through | **603** (frame %d) |\n" % sr[0])
    for title, rows in (("(a) sender's view", sender), ("(b) receiver's view", receiver)):
        w("## Frames, %s\n" % title)
        w("| # | t | dir | frame.len | ip.len | DF | seq (rel) | len | ack (rel) | what |")
        w("|---|---|---|---|---|---|---|---|---|---|")
        for r in rows:
            other = C_ISN if r["side"] == "S" else S_ISN
            w("| %d | %s | %s | %d | %d | %s | %d | %d | %s | %s |" % (
                r["n"], r["t"], "S>C" if r["side"] == "S" else "C>S", r["wire"], r["iplen"],
                "1" if r["df"] else "0", r["rel"], r["len"],
                "%d" % ((r["ack"] - other) & 0xFFFFFFFF) if r["ack"] else "-", r["note"]))
        w("")
    return "\n".join(out)


# --- check against tshark ----------------------------------------------------

FIELDS = ["frame.number", "frame.time_relative", "frame.len", "ip.len", "ip.flags.df", "ip.ttl",
          "ip.id", "tcp.seq", "tcp.len", "tcp.ack", "tcp.options.sack_le", "tcp.options.sack_re",
          "tcp.analysis.retransmission", "tcp.analysis.lost_segment",
          "tcp.analysis.duplicate_ack", "tcp.analysis.out_of_order"]


def tshark_rows(path):
    args = ["tshark", "-n", "-r", path, "-o", "tcp.relative_sequence_numbers:FALSE",
            "-o", "tcp.analyze_sequence_numbers:TRUE", "-T", "fields", "-E", "separator=\t"]
    for f in FIELDS:
        args += ["-e", f]
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    return [dict(zip(FIELDS, line.split("\t"))) for line in out.splitlines()]


def check_view(name, rows, X, expect_analysis, errors):
    path = os.path.join(OUT_DIR, name)
    got = tshark_rows(path)
    # tshark -V must dissect every frame without a malformed or checksum complaint.
    v = subprocess.run(["tshark", "-n", "-V", "-r", path, "-o", "ip.check_checksum:TRUE",
                        "-o", "tcp.check_checksum:TRUE"], check=True, capture_output=True,
                       text=True).stdout
    for bad in ("Malformed", "[incorrect", "Bad checksum", "Checksum Status: Bad"):
        if bad in v:
            errors.append("%s: tshark -V says %r" % (name, bad))
    if len(got) != len(rows):
        errors.append("%s: %d frames, model %d" % (name, len(got), len(rows)))
    for g, r in zip(got, rows):
        want = (r["n"], r["t"], r["wire"], r["iplen"], r["df"], r["seq"], r["len"])
        have = (int(g["frame.number"]), "%.6f" % float(g["frame.time_relative"]),
                int(g["frame.len"]), int(g["ip.len"]), g["ip.flags.df"] in ("1", "True"),
                int(g["tcp.seq"]), int(g["tcp.len"]))
        if want != have:
            errors.append("%s frame %d: tshark %r, model %r" % (name, r["n"], have, want))
    for field, frames in expect_analysis.items():
        have = [int(g["frame.number"]) for g in got if g.get(field)]
        if have != frames:
            errors.append("%s: %s on frames %r, expected %r" % (name, field, have, frames))
    ids = [int(g["ip.id"], 16) for g in got if g["ip.ttl"] in ("128", "116")]
    if name.endswith("sender.pcap") and ids != list(range(S_IPID0, S_IPID0 + len(ids))):
        errors.append("%s: the server's IP IDs do not count up: %r" % (name, ids))
    ttls = sorted(set(g["ip.ttl"] for g in got))
    if ttls != (["128", "52"] if name.endswith("sender.pcap") else ["116", "64"]):
        errors.append("%s: TTLs %r" % (name, ttls))
    sacks = [(int(g["frame.number"]), int(g["tcp.options.sack_le"].split(",")[0]),
              int(g["tcp.options.sack_re"].split(",")[0]))
             for g in got if g["tcp.options.sack_le"]]
    if not sacks or any((le, re) != (X + 1460, X + 2023) for _, le, re in sacks):
        errors.append("%s: SACK blocks %r" % (name, sacks))
    return got


def main(argv):
    P, k = model()
    X = k["X"]
    sv, rv = view(P, "S"), view(P, "C")
    write_pcap("windows_blackhole_sender.pcap", sv)
    write_pcap("windows_blackhole_receiver.pcap", rv)
    sender, receiver = facts(sv, X), facts(rv, X)
    cases = expectations.load()
    disagree = [e for name, stated in stated_blackholes(sender, receiver, X).items()
                for e in expectations.differences(cases[name], "blackhole", stated)]
    if disagree:
        print("\n".join(["model and testcaptures/expectations.json disagree:"] + disagree))
        return 1
    with open(os.path.join(OUT_DIR, "EXPECTED-windows-blackhole.md"), "w") as fh:
        fh.write(render(sender, receiver, X))
    print("wrote windows_blackhole_sender.pcap (%d frames), windows_blackhole_receiver.pcap "
          "(%d frames), EXPECTED-windows-blackhole.md" % (len(sv), len(rv)))
    if len(argv) > 1 and argv[1] == "--check":
        errors = []
        fs, fbs, _ = summary(sender, X)
        fr, fbr, sr = summary(receiver, X)
        # What Wireshark's TCP analysis must say, independently of pmtud.
        check_view("windows_blackhole_sender.pcap", sender, X, {
            "tcp.analysis.retransmission": fs[1:] + fbs,
            "tcp.analysis.duplicate_ack": [9],
        }, errors)
        check_view("windows_blackhole_receiver.pcap", receiver, X, {
            "tcp.analysis.lost_segment": sr,
            "tcp.analysis.retransmission": fbr,
            "tcp.analysis.duplicate_ack": [sr[0] + 1],
        }, errors)
        for e in errors:
            print("CHECK FAILED:", e)
        if errors:
            return 1
        print("check: both captures agree with tshark")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
