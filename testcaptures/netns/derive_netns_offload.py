#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Derives the facts of the VXLAN, sender-TSO and BIG TCP captures
(EXPECTED-vxlan.md, EXPECTED-sender-tso.md, EXPECTED-bigtcp.md) from the raw
header fields that tshark prints (-T fields), without the pmtud plugin.

usage: derive_netns_offload.py [CAPTURE...]   (default: every netns_vxlan*,
       netns_sender_tso_* and netns_bigtcp_* capture beside this script)

Rules (the same as EXPECTED.md and EXPECTED-nat.md use):
* An ICMP frag-needed / Packet Too Big is the innermost ICMP in the frame;
  its quote is the last IP header in the frame, the ICMP's own IP header the
  one before (so a VXLAN-tunnelled ICMP reads like a plain one).
* Matched frame: a data frame of the quoted flow, before the ICMP, whose
  sequence range holds the quoted seq; for IPv4 also the IP ID: equal, or,
  when the frame is a TSO super-frame, its ID plus the index of the wire
  segment the quote starts (seq offset / quoted payload): that is how GSO
  numbers the pieces.  Exactly one frame must qualify.
* Covered: the frames of the flow before the ICMP whose payload lies inside
  [quoted seq, quoted seq + quoted payload); for a quote that is a piece of a
  super-frame, the super-frame itself.
* Real length of a frame: the IP length field, or, where it is 0 (TSO /
  BIG TCP), the frame's wire length minus the link header; TCP payload =
  real IP length - IP header(s) - TCP header.
* Oversize: TCP payload over the MSS the receiver announced (limit source
  1), or an IP length field of 0 (real length against the 1500 link
  default, source 3) -- the rules pmtud_oversize.c applies.
* Reaction: the first later frame of the flow that carries the quoted seq;
  time lost = t(that frame) - t(matched frame), in microseconds.
"""
import glob
import os
import sys

from tshark_rows import carries, rows

HERE = os.path.dirname(os.path.abspath(__file__))
FIELDS = ["frame.number", "frame.time_epoch", "frame.len", "eth.src", "udp.dstport",
          "ip.src", "ip.dst", "ip.len", "ip.id", "ip.hdr_len",
          "ipv6.src", "ipv6.dst", "ipv6.plen", "ipv6.nxt", "ipv6.opt.jumbo",
          "tcp.srcport", "tcp.dstport", "tcp.seq", "tcp.hdr_len", "tcp.len",
          "tcp.options.mss_val", "tcp.flags.syn",
          "icmp.type", "icmp.code", "icmp.mtu", "icmpv6.type", "icmpv6.mtu"]


def load(path):
    frames = []
    for d, v in rows(path, FIELDS, ["-d", "udp.port==8472,vxlan"]):
        sec, frac = d["frame.time_epoch"].split(".")
        r = {"n": int(d["frame.number"]), "t": int(sec) * 10**6 + int(frac.ljust(9, "0")[:6]),
             "flen": int(d["frame.len"]), "smac": v["eth.src"][0] if v["eth.src"] else "",
             "tunnel": bool(v["udp.dstport"]) and (d["icmp.type"] or d["icmpv6.type"] or
                                                   d["tcp.seq"]) != "",
             "udp": v["udp.dstport"]}
        inner6 = bool(v["ipv6.src"]) and not v["ip.src"]
        if inner6:
            src, dst = v["ipv6.src"], v["ipv6.dst"]
            lens = [40 + int(x) if x != "0" else None for x in v["ipv6.plen"]]
        else:
            src, dst = v["ip.src"], v["ip.dst"]
            lens = [int(x) for x in v["ip.len"]]
        icmp = d["icmpv6.type"] == "2" or (d["icmp.type"] == "3" and d["icmp.code"] == "4")
        if icmp:
            r.update(icmp=True, osrc=src[-2], mtu=int((d["icmp.mtu"] or d["icmpv6.mtu"]).split(";")[-1]),
                     flow=(src[-1], int(d["tcp.srcport"]), dst[-1], int(d["tcp.dstport"])),
                     qlen=lens[-1], qid=None if inner6 else v["ip.id"][-1],
                     qseq=int(d["tcp.seq"]), qhdr=(40 if inner6 else 20) + int(v["tcp.hdr_len"][-1]))
        elif d["tcp.seq"]:
            iplen = lens[-1]
            iphdr = 40 if inner6 else int(v["ip.hdr_len"][-1])
            zero = False
            if inner6 and iplen is None:
                # plen 0: a jumbogram. Real length from the wire (no tunnel
                # in these captures), Hop-by-Hop header included.
                zero, iplen = True, r["flen"] - 14
                iphdr = 40 + (8 if v["ipv6.opt.jumbo"] else 0)
            elif not inner6 and not r["tunnel"] and r["flen"] - 14 > 65535:
                zero, iplen = True, r["flen"] - 14     # tshark shows the presumed length
            tlen = iplen - iphdr - int(d["tcp.hdr_len"])
            r.update(icmp=False, flow=(src[-1], int(d["tcp.srcport"]), dst[-1],
                                       int(d["tcp.dstport"])),
                     iplen=iplen, zero=zero, jumbo=v["ipv6.opt.jumbo"],
                     id=None if inner6 else v["ip.id"][-1], seq=int(d["tcp.seq"]), tlen=tlen,
                     mss=int(d["tcp.options.mss_val"]) if d["tcp.options.mss_val"] else None)
        else:
            continue
        frames.append(r)
    return frames


def derive(path):
    frames = load(path)
    data = [f for f in frames if not f["icmp"]]
    mss = {f["flow"][0]: f["mss"] for f in data if f["mss"]}
    name = os.path.basename(path)
    print("## %s: %d frames with IP; %d ICMP frag-needed/PTB" % (
        name, len(frames), sum(f["icmp"] for f in frames)))
    print("MSS announced: %s; largest data IP length: %d" % (
        mss, max(f["iplen"] for f in data)))
    cases = {}
    print()
    print("| ICMP | from (MAC) | MTU | quoted flow | quoted len | quoted id | quoted seq | "
          "matched frame (IP len, id) | piece (index, id offset) | covered | "
          "first later frame with the rejected byte (IP len) | time lost (us) |")
    print("|---" * 12 + "|")
    for r in (f for f in frames if f["icmp"]):
        flow = r["flow"]
        before = [f for f in data if f["n"] < r["n"] and f["flow"] == flow]
        qpl = r["qlen"] - r["qhdr"]
        cands = []
        for f in before:
            if not carries(f, r["qseq"]):
                continue
            k, rem = divmod(r["qseq"] - f["seq"], qpl)
            if rem:
                continue
            if r["qid"] is not None and int(f["id"], 16) + k != int(r["qid"], 16):
                continue
            cands.append((f, k))
        assert len(cands) == 1, (name, r["n"], [c[0]["n"] for c in cands])
        m, k = cands[0]
        covered = [f["n"] for f in before if f["tlen"] > 0 and r["qseq"] <= f["seq"]
                   and f["seq"] + f["tlen"] <= r["qseq"] + qpl]
        if m["tlen"] > qpl:          # the quote is one wire piece of a super-frame
            covered = [m["n"]]
        later = [f for f in data if f["n"] > r["n"] and f["flow"] == flow and carries(f, r["qseq"])]
        x = later[0] if later else None
        lost = x["t"] - m["t"] if x else None
        print("| %d | %s (%s) | %d | %s:%d > %s:%d | %d | %s | %d | %d (%d, %s) | %s | %s | %s | %s |" % (
            r["n"], r["osrc"], r["smac"], r["mtu"], *flow, r["qlen"], r["qid"] or "-", r["qseq"],
            m["n"], m["iplen"], m["id"] or "-",
            "%d, +%d" % (k, k) if m["tlen"] > qpl else "whole frame",
            ", ".join(map(str, covered)),
            "%d (%d)" % (x["n"], x["iplen"]) if x else "none", lost if x else "-"))
        cases[r["n"]] = (m["n"], r["qlen"], m["iplen"], r["mtu"], covered,
                         x["n"] if x else None, lost)
    over = {}
    for f in data:
        peer = mss.get(f["flow"][2])
        if f["zero"]:
            over[f["n"]] = (f["iplen"], 1500, 3)
        elif peer and f["tlen"] > peer:
            over[f["n"]] = (f["tlen"], peer, 1)
    print()
    print("oversize frames (frame: real length, limit, source; 1 = receiver's MSS, 3 = link "
          "default 1500 for an IP length field of 0): %d" % len(over))
    for n, o in sorted(over.items()):
        f = next(g for g in data if g["n"] == n)
        print("  %d: %s (frame.len %d%s)" % (n, o, f["flen"], ", IP length field 0" +
                                             (", HBH jumbo %s" % f["jumbo"][0] if f["jumbo"] else "")
                                             if f["zero"] else ""))
    print()
    print("for testcaptures/expectations.json:")
    print('    "netns/%s": case({' % name)
    for n, (q, ql, wl, mtu, cov, x, lost) in sorted(cases.items()):
        print("        %d: icmp(%d, %d, %d, %d, %s, ..., reaction=...(%s, %s))," % (
            n, q, ql, wl, mtu, cov, x, lost))
    print("    }, oversize={%s})" % ", ".join("%d: Oversize(%d, %d, %d)" % (n, *o)
                                             for n, o in sorted(over.items())))
    print()


def main():
    paths = sys.argv[1:] or sorted(
        glob.glob(os.path.join(HERE, "netns_vxlan*.pcap")) +
        glob.glob(os.path.join(HERE, "netns_sender_tso_*.pcap")) +
        glob.glob(os.path.join(HERE, "netns_bigtcp_*.pcap")))
    for p in paths:
        derive(p)


if __name__ == "__main__":
    main()
