#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Capture tests: tshark with the built plugin on one test capture, in
one-pass and two-pass mode, compared field by field with
capture_expectations.py.

usage: test_captures.py --tshark TSHARK --plugin pmtud.so --captures DIR CASE...
       test_captures.py --list
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from capture_expectations import CASES, rejected_by  # noqa: E402
from pmtud_tshark import Tshark  # noqa: E402

EXPERTS = ["offload_artefact", "bogus_mtu", "mtu_zero", "quote_not_captured",
           "quote_rewritten", "quote_short", "legitimate", "rejected"]
FIELDS = ["frame.number", "pmtud.icmp.quoted_frame", "pmtud.icmp.quoted_len",
          "pmtud.icmp.wire_len", "pmtud.icmp.mtu", "pmtud.icmp.excess",
          "pmtud.icmp.covered_frame", "pmtud.segment.rejected_in"] + \
         ["pmtud." + e for e in EXPERTS]


class Checks:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def eq(self, what, got, want):
        if got == want:
            self.passed += 1
        else:
            self.failed += 1
            print("FAIL %s\n  got:  %r\n  want: %r" % (what, got, want))


def ints(text):
    return tuple(int(x) for x in text.split(",") if x != "")


def opt_int(text):
    return int(text) if text != "" else None


def read_rows(ts, capture, two_pass):
    args = (["-2"] if two_pass else []) + ["-r", capture, "-Y", "pmtud", "-T", "fields",
                                           "-E", "separator=\t", "-E", "aggregator=,"]
    for f in FIELDS:
        args += ["-e", f]
    out = ts.run(args).stdout
    rows = {}
    for line in out.splitlines():
        cols = line.split("\t")
        cols += [""] * (len(FIELDS) - len(cols))
        rows[int(cols[0])] = cols
    return rows


def check_case(ts, checks, name, captures_dir):
    want = CASES[name]
    capture = ts.stage(os.path.join(captures_dir, name))
    for two_pass in (False, True):
        mode = "%s [%s]" % (name, "two-pass" if two_pass else "one-pass")
        rows = read_rows(ts, capture, two_pass)
        rejected = rejected_by(want) if two_pass else {}
        checks.eq(mode + " frames with pmtud items", sorted(rows),
                  sorted(set(want) | set(rejected)))
        for frame, exp in sorted(want.items()):
            cols = rows.get(frame, [""] * len(FIELDS))
            got = (opt_int(cols[1]), int(cols[2]) if cols[2] else None, opt_int(cols[3]),
                   opt_int(cols[4]), opt_int(cols[5]), ints(cols[6]))
            checks.eq("%s ICMP frame %d (quoted, qlen, wlen, mtu, excess, covered)" % (mode, frame),
                      got, (exp.quoted, exp.qlen, exp.wlen, exp.mtu, exp.excess, exp.covered))
            experts = {e for i, e in enumerate(EXPERTS) if cols[8 + i] != ""}
            checks.eq("%s ICMP frame %d expert infos" % (mode, frame), experts, set(exp.experts))
        for frame, icmps in sorted(rejected.items()):
            cols = rows.get(frame, [""] * len(FIELDS))
            checks.eq("%s frame %d rejected_in" % (mode, frame), ints(cols[7]), tuple(icmps))
            checks.eq("%s frame %d pmtud.rejected" % (mode, frame), cols[8 + EXPERTS.index("rejected")] != "", True)
        # Each verdict is its own display filter, in both modes; the offload
        # warning is always tried, to catch false alarms.
        raised = set()
        for r in want.values():
            raised |= r.experts
        for expert in sorted(raised | {"offload_artefact"}):
            args = (["-2"] if two_pass else []) + ["-r", capture, "-Y", "pmtud." + expert,
                                                   "-T", "fields", "-e", "frame.number"]
            got = sorted(int(x) for x in ts.run(args).stdout.split())
            checks.eq("%s filter pmtud.%s" % (mode, expert), got,
                      sorted(f for f, r in want.items() if expert in r.experts))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tshark", default="tshark")
    ap.add_argument("--plugin")
    ap.add_argument("--captures")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("cases", nargs="*")
    a = ap.parse_args()
    if a.list:
        print(";".join(sorted(CASES)))
        return 0
    checks = Checks()
    ts = Tshark(a.tshark, a.plugin)
    try:
        for name in a.cases or sorted(CASES):
            check_case(ts, checks, name, a.captures)
    finally:
        ts.close()
    print("%d passed, %d failed" % (checks.passed, checks.failed))
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
