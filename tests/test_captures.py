#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Capture tests: tshark with the built plugin on one test capture, in
one-pass and two-pass mode, compared field by field with
testcaptures/expectations.json (format in its "format" key, loaded and
validated by testcaptures/lib/expectations.py).

usage: test_captures.py --tshark TSHARK --plugin pmtud.so --vocab pmtud_vocab_list
                        --captures DIR CASE...
       test_captures.py --list
"""
import argparse
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "testcaptures", "lib"))
from expectations import load, rejected_by  # noqa: E402
from checks import Checks  # noqa: E402
from pmtud_tshark import Tshark  # noqa: E402

# Who merged the packet: on offload ICMPs and on oversize frames only.
ICMP_BOX = ["pmtud.icmp.router_hops", "pmtud.icmp.router_vendor", "pmtud.icmp.router_nic",
            "pmtud.icmp.sender_hops", "pmtud.icmp.sender_vendor", "pmtud.icmp.sender_nic"]
OVERSIZE_BOX = ["pmtud.oversize.hops", "pmtud.oversize.vendor", "pmtud.oversize.nic"]
# The expert infos on ICMP frames (verdicts, then the sender's reactions) come
# from the plugin's own tables (plugin/pmtud_vocab.c), listed by
# tests/unit/vocab_list.c: set by load_vocabulary().
ICMP_EXPERTS = []
REACTIONS = []
COLUMNS = []


def load_vocabulary(program):
    kinds = {}
    for line in subprocess.run([program], capture_output=True, text=True,
                               check=True).stdout.splitlines():
        kind, name = line.split()
        names = kinds.setdefault(kind, [])
        if name not in names:
            names.append(name)
    ICMP_EXPERTS[:] = kinds["verdict"]
    REACTIONS[:] = kinds["reaction"]
    COLUMNS[:] = ["frame.number", "pmtud.icmp.quoted_frame", "pmtud.icmp.quoted_len",
                  "pmtud.icmp.wire_len", "pmtud.icmp.mtu", "pmtud.icmp.excess",
                  "pmtud.icmp.covered_frame", "pmtud.icmp.candidate_frame",
                  "pmtud.icmp.piece_seq", "pmtud.icmp.piece_len",
                  "pmtud.icmp.piece_index", "pmtud.segment.rejected_in", "pmtud.rejected",
                  "pmtud.icmp.retransmit_frame", "pmtud.icmp.time_lost",
                  "pmtud.oversize.len", "pmtud.oversize.limit", "pmtud.oversize.limit_source",
                  "pmtud.oversize", "pmtud.blackhole", "pmtud.blackhole.largest_through",
                  "pmtud.blackhole.clamp_mss", "pmtud.blackhole.time_lost",
                  "pmtud.blackhole.df_cleared", "pmtud.blackhole.receiver_view"] + \
                 ["pmtud." + e for e in ICMP_EXPERTS + REACTIONS] + ICMP_BOX + OVERSIZE_BOX


def ints(text):
    return tuple(int(x) for x in text.split(",") if x != "")


def opt_int(text):
    return int(text) if text != "" else None


def micros(text):
    return int(round(float(text) * 1e6)) if text != "" else None


def opt_bool(text):
    return {"": None, "1": True, "True": True, "0": False, "False": False}[text]


def read_rows(ts, capture, two_pass, extra=()):
    """{frame: {column: text}} for every frame pmtud says something about."""
    args = (["-2"] if two_pass else []) + list(extra) + [
        "-r", capture, "-Y", "pmtud", "-T", "fields", "-E", "separator=\t", "-E", "aggregator=,"]
    for f in COLUMNS:
        args += ["-e", f]
    rows = {}
    for line in ts.run(args).stdout.splitlines():
        cols = line.split("\t")
        cols += [""] * (len(COLUMNS) - len(cols))
        rows[int(cols[0])] = dict(zip(COLUMNS, cols))
    return rows


def read_not_analysed(ts, capture, two_pass, extra=()):
    """{frame: message} of every pmtud.not_analysed note."""
    args = (["-2"] if two_pass else []) + list(extra) + [
        "-r", capture, "-Y", "pmtud.not_analysed", "-T", "fields", "-E", "aggregator=\x1f",
        "-e", "frame.number", "-e", "_ws.expert.message"]
    out = {}
    for line in ts.run(args).stdout.splitlines():
        frame, messages = line.split("\t", 1)
        mine = [m for m in messages.split("\x1f") if m.startswith("pmtud could not read")]
        out[int(frame)] = mine[0] if len(mine) == 1 else mine
    return out


def present(row, name):
    return row.get("pmtud." + name, "") != ""


def box_values(row, columns):
    """A box's fields as written in expectations.json: hops as int, names as
    strings, None where absent."""
    return tuple(opt_int(row[c]) if c.endswith("hops") else (row[c] or None) for c in columns)


def expert_messages(ts, args):
    """{frame: [expert info texts]} of the offload ICMPs."""
    out = ts.run(list(args) + ["-Y", "pmtud.offload_artefact", "-T", "fields",
                               "-E", "separator=\t", "-E", "aggregator=|",
                               "-e", "frame.number", "-e", "_ws.expert.message"]).stdout
    return {int(line.split("\t")[0]): line.split("\t")[1].split("|")
            for line in out.splitlines()}


# QEMU/KVM's 52:54:00 is named "Realtek (UpTech? also reported)" by Wireshark
# 4.0's manuf file; from 4.2 on Wireshark's built-in database lists IEEE
# registrations only and names no locally administered prefix, so there
# the KVM boxes of expectations.json (written on 4.0) claim nothing.
QEMU_NAME = "Realtek (UpTech? also reported)"


def for_version(box, version):
    """A box expectation as this Wireshark's database makes it."""
    if version < (4, 2) or QEMU_NAME not in box:
        return box
    out = dict(box._asdict())
    for side in ("router", "sender"):
        if out.get(side + "_vendor") == QEMU_NAME:
            out[side + "_vendor"] = out[side + "_nic"] = None
    if out.get("vendor") == QEMU_NAME:
        out["vendor"] = out["nic"] = None
    if "sentence" in out:
        out["sentence"] = None     # the generic sentence: not written down
    return type(box)(**out)


def check_boxes(checks, mode, rows, icmps, oversize, messages, version):
    """Who merged the packet: exact where expectations.json states a box;
    nothing on an ICMP without an offload verdict or a frame not oversize."""
    for frame, row in sorted(rows.items()):
        exp = icmps.get(frame)
        offload = exp is not None and "offload_artefact" in exp.experts
        if exp is not None and exp.box is not None:
            exp = exp._replace(box=for_version(exp.box, version))
            checks.eq("%s ICMP frame %d box (router hops, vendor, nic; sender hops, vendor, nic)"
                      % (mode, frame), box_values(row, ICMP_BOX), tuple(exp.box[:6]))
            if exp.box.sentence is not None:
                checks.eq("%s ICMP frame %d offload sentence" % (mode, frame),
                          exp.box.sentence in messages.get(frame, []), True)
        elif not offload:
            checks.eq("%s frame %d no ICMP box" % (mode, frame), box_values(row, ICMP_BOX),
                      (None,) * len(ICMP_BOX))
        over = oversize.get(frame)
        if over is not None and over.box is not None:
            checks.eq("%s frame %d oversize box (hops, vendor, nic)" % (mode, frame),
                      box_values(row, OVERSIZE_BOX), tuple(for_version(over.box, version)))
        elif over is None:
            checks.eq("%s frame %d no oversize box" % (mode, frame),
                      box_values(row, OVERSIZE_BOX), (None,) * len(OVERSIZE_BOX))


def check_case(ts, checks, want, captures_dir):
    name, icmps, oversize, blackhole = want.name, want.icmps, want.oversize, want.blackhole
    capture = ts.stage(os.path.join(captures_dir, name))
    empty = dict.fromkeys(COLUMNS, "")
    for two_pass in (False, True):
        mode = "%s [%s]" % (name, "two-pass" if two_pass else "one-pass")
        rows = read_rows(ts, capture, two_pass, want.tshark_args)
        # The data side and the sender's reaction are known only once the
        # whole capture has been read: two passes.
        rejected = rejected_by(icmps) if two_pass else {}
        # A black hole is confirmed by a later frame: in one pass only the
        # frames from the confirming one on are flagged (one_pass).
        holes = set((blackhole.frames if two_pass else blackhole.one_pass) or ()) \
            if blackhole else set()
        unread = want.not_analysed
        checks.eq(mode + " frames with pmtud items", sorted(rows),
                  sorted(set(icmps) | set(rejected) | set(oversize) | holes | set(unread)))
        checks.eq(mode + " pmtud.not_analysed (frame: message)",
                  read_not_analysed(ts, capture, two_pass, want.tshark_args), unread)
        for frame, row in sorted(rows.items()):
            got = (present(row, "blackhole"), opt_int(row["pmtud.blackhole.largest_through"]),
                   opt_int(row["pmtud.blackhole.clamp_mss"]),
                   micros(row["pmtud.blackhole.time_lost"]),
                   opt_bool(row["pmtud.blackhole.df_cleared"]),
                   opt_bool(row["pmtud.blackhole.receiver_view"]))
            if frame in holes and blackhole.lost_us is None:
                got = got[:3] + (None,) + got[4:]       # time lost not stated
            checks.eq("%s frame %d black hole (flag, largest through, clamp, time lost us, "
                      "DF cleared, receiver's view)" % (mode, frame), got,
                      (True, blackhole.through, blackhole.clamp, blackhole.lost_us,
                       bool(blackhole.df_cleared), bool(blackhole.receiver_view))
                      if frame in holes else (False, None, None, None, None, None))
        for frame, exp in sorted(icmps.items()):
            row = rows.get(frame, empty)
            got = (opt_int(row["pmtud.icmp.quoted_frame"]), opt_int(row["pmtud.icmp.quoted_len"]),
                   opt_int(row["pmtud.icmp.wire_len"]), opt_int(row["pmtud.icmp.mtu"]),
                   opt_int(row["pmtud.icmp.excess"]), ints(row["pmtud.icmp.covered_frame"]))
            checks.eq("%s ICMP frame %d (quoted, qlen, wlen, mtu, excess, covered)" % (mode, frame),
                      got, (exp.quoted, exp.qlen, exp.wlen, exp.mtu, exp.excess, exp.covered))
            checks.eq("%s ICMP frame %d candidate frames" % (mode, frame),
                      ints(row["pmtud.icmp.candidate_frame"]), exp.candidates)
            # Every ICMP: a wire segment named where expected, and nowhere else.
            got = tuple(opt_int(row["pmtud.icmp.piece_" + k]) for k in ("seq", "len", "index"))
            checks.eq("%s ICMP frame %d wire segment (seq, len, index)" % (mode, frame), got,
                      tuple(exp.piece) if exp.piece else (None, None, None))
            checks.eq("%s ICMP frame %d expert infos" % (mode, frame),
                      {e for e in ICMP_EXPERTS if present(row, e)}, set(exp.experts))
            r = exp.reaction if two_pass else None
            got = (opt_int(row["pmtud.icmp.retransmit_frame"]), micros(row["pmtud.icmp.time_lost"]),
                   [e for e in REACTIONS if present(row, e)])
            checks.eq("%s ICMP frame %d reaction (retransmit, time lost us, verdict)" % (mode, frame),
                      got, (r.retransmit, r.lost_us, [r.verdict]) if r else (None, None, []))
        check_boxes(checks, mode, rows, icmps, oversize, expert_messages(
            ts, (["-2"] if two_pass else []) + list(want.tshark_args) + ["-r", capture]),
            ts.version)
        for frame, icmp_frames in sorted(rejected.items()):
            row = rows.get(frame, empty)
            checks.eq("%s frame %d rejected_in" % (mode, frame),
                      ints(row["pmtud.segment.rejected_in"]), tuple(icmp_frames))
            checks.eq("%s frame %d pmtud.rejected" % (mode, frame), present(row, "rejected"), True)
        for frame, row in sorted(rows.items()):
            exp = oversize.get(frame)
            got = (opt_int(row["pmtud.oversize.len"]), opt_int(row["pmtud.oversize.limit"]),
                   opt_int(row["pmtud.oversize.limit_source"]), present(row, "oversize"))
            checks.eq("%s frame %d oversize (len, limit, source, expert)" % (mode, frame), got,
                      (exp.len, exp.limit, exp.source, True) if exp else (None, None, None, False))
        # Each verdict is its own display filter, in both modes; the offload
        # warning and the oversize note are always tried, to catch false alarms.
        raised = {"offload_artefact", "oversize", "blackhole"}
        for r in icmps.values():
            raised |= r.experts
            if two_pass and r.reaction:
                raised.add(r.reaction.verdict)
        for expert in sorted(raised):
            args = (["-2"] if two_pass else []) + list(want.tshark_args) + [
                "-r", capture, "-Y", "pmtud." + expert, "-T", "fields", "-e", "frame.number"]
            got = sorted(int(x) for x in ts.run(args).stdout.split())
            if expert == "oversize":
                want_frames = sorted(oversize)
            elif expert == "blackhole":
                want_frames = sorted(holes)
            else:
                want_frames = sorted(f for f, r in icmps.items() if expert in r.experts or
                                     (two_pass and r.reaction and r.reaction.verdict == expert))
            checks.eq("%s filter pmtud.%s" % (mode, expert), got, want_frames)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tshark", default="tshark")
    ap.add_argument("--plugin")
    ap.add_argument("--captures")
    ap.add_argument("--vocab", help="tests/unit/vocab_list.c, built (pmtud_vocab_list)")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("cases", nargs="*")
    a = ap.parse_args()
    cases = load()
    if a.list:
        print(";".join(sorted(cases)))
        return 0
    load_vocabulary(a.vocab)
    checks = Checks()
    ts = Tshark(a.tshark, a.plugin)
    try:
        for name in a.cases or sorted(cases):
            check_case(ts, checks, cases[name], a.captures)
    finally:
        ts.close()
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
