#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Derives the facts of netns_nat_merged.pcap (EXPECTED-nat.md) from the raw
header fields that tshark prints (-T fields), without the pmtud plugin.

usage: derive_netns_nat.py [CAPTURE]   (default: netns_nat_merged.pcap beside this script)

The rules are written out in EXPECTED-nat.md ("How the facts were derived").
Run it again after make_netns_nat.sh has replaced the capture, and update
EXPECTED-nat.md and testcaptures/expectations.json from what it prints.
"""
import os
import sys

from tshark_rows import carries, rows

INSIDE_CLIENT = "10.73.1.2"     # only ever seen on the inside of the NAT
OUTSIDE_NAT = "10.73.2.1"       # the NAT's outside address: only outside
FIELDS = ["frame.number", "frame.time_epoch", "ip.src", "ip.dst", "ip.len", "ip.id", "ip.ttl",
          "tcp.srcport", "tcp.dstport", "tcp.seq", "tcp.ack", "tcp.len", "tcp.flags.str",
          "tcp.checksum", "tcp.payload", "tcp.options.mss_val", "icmp.type", "icmp.code",
          "icmp.mtu"]


def load(path):
    frames = []
    for d, v in rows(path, FIELDS):
        # ns since the epoch, exact (no float rounding)
        sec, frac = d["frame.time_epoch"].split(".")
        r = {"n": int(d["frame.number"]), "t": int(sec) * 10**9 + int(frac.ljust(9, "0")[:9])}
        if d["icmp.type"]:
            # Outer header first, the quoted header second.
            r.update(icmp=True, osrc=v["ip.src"][0], odst=v["ip.dst"][0], oid=v["ip.id"][0],
                     type=int(d["icmp.type"]), code=int(d["icmp.code"]), mtu=int(d["icmp.mtu"]),
                     flow=(v["ip.src"][1], int(d["tcp.srcport"]), v["ip.dst"][1],
                           int(d["tcp.dstport"])),
                     qlen=int(v["ip.len"][1]), qid=v["ip.id"][1], qttl=v["ip.ttl"][1],
                     qseq=int(d["tcp.seq"]), qcsum=d["tcp.checksum"],
                     qpay=bytes.fromhex(d["tcp.payload"]))
        else:
            r.update(icmp=False, flow=(d["ip.src"], int(d["tcp.srcport"]), d["ip.dst"],
                                       int(d["tcp.dstport"])),
                     iplen=int(d["ip.len"]), id=d["ip.id"], ttl=d["ip.ttl"],
                     seq=int(d["tcp.seq"]), ack=int(d["tcp.ack"]) if d["tcp.ack"] else None,
                     tlen=int(d["tcp.len"]), flags=d["tcp.flags.str"].replace("\u00b7", ""),
                     csum=d["tcp.checksum"], pay=bytes.fromhex(d["tcp.payload"]),
                     mss=int(d["tcp.options.mss_val"]) if d["tcp.options.mss_val"] else None)
        frames.append(r)
    return frames


def side(flow):
    if INSIDE_CLIENT in (flow[0], flow[2]):
        return "inside"
    assert OUTSIDE_NAT in (flow[0], flow[2]), flow
    return "outside"


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "netns_nat_merged.pcap")
    frames = load(path)
    isn = {f["flow"]: f["seq"] for f in frames if not f["icmp"] and "S" in f["flags"]}
    mss = {f["flow"][0]: f["mss"] for f in frames if not f["icmp"] and f["mss"]}
    data = [f for f in frames if not f["icmp"]]
    icmps = [f for f in frames if f["icmp"]]
    print("%d frames: %d inside, %d outside; %d ICMP" % (
        len(frames), sum(side(f["flow"] if not f["icmp"] else (f["odst"],) * 4) == "inside"
                         for f in frames),
        sum(side(f["flow"] if not f["icmp"] else (f["odst"],) * 4) == "outside" for f in frames),
        len(icmps)))
    print("largest data ip.len: %d; MSS announced: %s" % (max(f["iplen"] for f in data), mss))
    over = [f["n"] for f in data if f["tlen"] > mss[f["flow"][2]] or f["iplen"] > 1500]
    print("data frames over the receiver's MSS or IP 1500: %s" % (over or "none"))
    print()
    print("| ICMP | side | outer src > dst | outer id | MTU | quoted flow | quoted ip.len | "
          "quoted id | quoted seq (rel) | matched frame (ip.len, id, TTL) | covered | "
          "other side's copy (same seq and id) | first later frame with the rejected byte "
          "(seq rel, len, ip.len) | first ACK past it | time lost (ns) |")
    print("|---" * 15 + "|")
    for r in icmps:
        flow = r["flow"]
        before = [f for f in data if f["n"] < r["n"] and f["flow"] == flow]
        cands = [f for f in before if carries(f, r["qseq"])]
        by_id = [f for f in cands if f["id"] == r["qid"]]
        assert len(by_id) == 1, (r["n"], [f["n"] for f in cands])
        m = by_id[0]
        # The quote is the frame as the router received it: same payload
        # prefix, and the TCP checksum in the quote equals this copy's
        # (the NAT rewrote it back for the inside copy).
        assert m["pay"][:len(r["qpay"])] == r["qpay"], r["n"]
        assert m["csum"] == r["qcsum"], r["n"]
        qpl = r["qlen"] - 40
        covered = [f["n"] for f in before if f["tlen"] > 0 and r["qseq"] <= f["seq"]
                   and f["seq"] + f["tlen"] <= r["qseq"] + qpl]
        other = [f["n"] for f in data if f["flow"] != flow and f["tlen"] > 0
                 and f["seq"] == r["qseq"] and f["id"] == r["qid"]]
        later = [f for f in data if f["n"] > r["n"] and f["flow"] == flow and carries(f, r["qseq"])]
        back = (flow[2], flow[3], flow[0], flow[1])
        x = later[0] if later else None
        ack = None
        if x:
            acks = [f for f in data if f["n"] > x["n"] and f["flow"] == back
                    and f["ack"] is not None and f["ack"] > r["qseq"]]
            ack = acks[0] if acks else None
        rel = r["qseq"] - isn[flow]
        print("| %d | %s | %s > %s | %s | %d | %s:%d > %s:%d | %d | %s | %d (%d) | %d (%d, %s, %s) "
              "| %s | %s | %s | %s | %s |" % (
                  r["n"], side(flow), r["osrc"], r["odst"], r["oid"], r["mtu"], *flow,
                  r["qlen"], r["qid"], r["qseq"], rel, m["n"], m["iplen"], m["id"], m["ttl"],
                  ", ".join(map(str, covered)), ", ".join(map(str, other)),
                  "%d (%d, %d B, %d)" % (x["n"], x["seq"] - isn[flow], x["tlen"], x["iplen"])
                  if x else "none",
                  "%d (ack rel %d)" % (ack["n"], ack["ack"] - isn[flow]) if ack else "none",
                  x["t"] - m["t"] if x else "-"))
    print()
    print("quoted TTLs: %s (the router saw the packet after the NAT's hop)" %
          sorted({r["qttl"] for r in icmps}))


if __name__ == "__main__":
    main()
