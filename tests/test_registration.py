#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""tshark loads pmtud, reports its version, and lists every field and expert
info under the names users' filters rely on.

usage: test_registration.py --tshark TSHARK --plugin pmtud.so --version X.Y.Z
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checks import Checks  # noqa: E402
from pmtud_tshark import Tshark  # noqa: E402

FIELDS = {
    "pmtud.icmp.quoted_frame": "FT_FRAMENUM",
    "pmtud.icmp.quoted_len": "FT_UINT32",
    "pmtud.icmp.wire_len": "FT_UINT32",
    "pmtud.icmp.mtu": "FT_UINT32",
    "pmtud.icmp.excess": "FT_INT32",
    "pmtud.icmp.covered_frame": "FT_FRAMENUM",
    "pmtud.icmp.candidate_frame": "FT_FRAMENUM",
    "pmtud.icmp.peer_mss": "FT_UINT32",
    "pmtud.icmp.verdict": "FT_STRING",
    "pmtud.icmp.piece_seq": "FT_UINT32",
    "pmtud.icmp.piece_len": "FT_UINT32",
    "pmtud.icmp.piece_index": "FT_UINT32",
    "pmtud.icmp.retransmit_frame": "FT_FRAMENUM",
    "pmtud.icmp.time_lost": "FT_RELATIVE_TIME",
    "pmtud.segment.rejected_in": "FT_FRAMENUM",
    "pmtud.oversize.len": "FT_UINT32",
    "pmtud.oversize.limit": "FT_UINT32",
    "pmtud.oversize.limit_source": "FT_UINT8",
    "pmtud.blackhole.largest_through": "FT_UINT32",
    "pmtud.blackhole.clamp_mss": "FT_UINT32",
    "pmtud.blackhole.time_lost": "FT_RELATIVE_TIME",
    "pmtud.blackhole.df_cleared": "FT_BOOLEAN",
    "pmtud.blackhole.receiver_view": "FT_BOOLEAN",
}
EXPERTS = ["pmtud.offload_artefact", "pmtud.bogus_mtu", "pmtud.quote_not_captured",
           "pmtud.quote_ambiguous",
           "pmtud.quote_rewritten", "pmtud.quote_short", "pmtud.legitimate", "pmtud.rejected",
           "pmtud.oversize", "pmtud.pmtud_worked", "pmtud.same_size_crossed",
           "pmtud.icmp_ignored", "pmtud.no_retransmission", "pmtud.blackhole",
           "pmtud.limit_reached", "pmtud.captured_before_tso", "pmtud.not_analysed"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tshark", default="tshark")
    ap.add_argument("--plugin", required=True)
    ap.add_argument("--version", required=True)
    a = ap.parse_args()
    ts = Tshark(a.tshark, a.plugin)
    checks = Checks()

    def check(ok, what):
        checks.true(what, ok)

    try:
        plugins = ts.run(["-G", "plugins"]).stdout
        line = [l for l in plugins.splitlines() if l.startswith("pmtud.so")]
        check(len(line) == 1, "tshark -G plugins lists pmtud.so once: %r" % line)
        check(bool(line) and line[0].split("\t")[1].strip() == a.version,
              "pmtud reports version %s: %r" % (a.version, line))
        fields = {}
        for l in ts.run(["-G", "fields"]).stdout.splitlines():
            cols = l.split("\t")
            if len(cols) > 3 and cols[0] == "F" and cols[2].startswith("pmtud."):
                fields[cols[2]] = cols[3]
        for name, ftype in FIELDS.items():
            check(fields.get(name) == ftype, "field %s is %s (got %r)" % (name, ftype, fields.get(name)))
        # Expert infos are registered as FT_NONE fields under their names
        # (tshark 4.0 has no -G expert report).
        experts = {n for n, t in fields.items() if t == "FT_NONE"}
        for name in EXPERTS:
            check(name in experts, "expert info %s is registered" % name)
        check(experts == set(EXPERTS), "no undocumented expert infos: %r" % sorted(experts))
    finally:
        ts.close()
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
