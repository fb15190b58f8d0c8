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
                  "pmtud.blackhole.clamp_mss"] + \
                 ["pmtud." + e for e in ICMP_EXPERTS + REACTIONS]


def ints(text):
    return tuple(int(x) for x in text.split(",") if x != "")


def opt_int(text):
    return int(text) if text != "" else None


def micros(text):
    return int(round(float(text) * 1e6)) if text != "" else None


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
        holes = set(blackhole.frames) if (blackhole and two_pass) else set()
        unread = want.not_analysed
        checks.eq(mode + " frames with pmtud items", sorted(rows),
                  sorted(set(icmps) | set(rejected) | set(oversize) | holes | set(unread)))
        checks.eq(mode + " pmtud.not_analysed (frame: message)",
                  read_not_analysed(ts, capture, two_pass, want.tshark_args), unread)
        for frame, row in sorted(rows.items()):
            got = (present(row, "blackhole"), opt_int(row["pmtud.blackhole.largest_through"]),
                   opt_int(row["pmtud.blackhole.clamp_mss"]))
            checks.eq("%s frame %d black hole (flag, largest through, clamp)" % (mode, frame), got,
                      (True, blackhole.through, blackhole.clamp) if frame in holes else
                      (False, None, None))
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
