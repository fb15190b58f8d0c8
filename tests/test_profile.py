#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The "PMTUD" configuration profile (plugin/profile/): it loads without a
warning, its coloring rules paint each capture's frames by verdict (first
match wins, so every frame a pmtud rule paints is listed: a rule that
shadows another shows up here), its filter buttons are valid filters and
"Link by hand" finds exactly the ICMPs pmtud could not link, and its columns
show the quoted frame (or the candidates of an ambiguous quote), lengths and
MTU.

usage: test_profile.py --tshark TSHARK --plugin pmtud.so --profile DIR --captures testcaptures/
"""
import argparse
import collections
import csv
import os
import re
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checks import Checks  # noqa: E402
from pmtud_tshark import Tshark  # noqa: E402

OFFLOAD = "pmtud: offload artefact"
REJECTED = "pmtud: rejected frame"
OVERSIZE = "pmtud: oversize (not a wire frame)"
LEGITIMATE = "pmtud: legitimate frag-needed"
AMBIGUOUS = "pmtud: quote ambiguous (link by hand)"
NOT_ANALYSED = "pmtud: not analysed (link by hand)"
BEFORE_TSO = "pmtud: captured before TSO (not a fault)"

# Two passes: {capture: {pmtud coloring rule: the frames it paints}}, every
# frame painted by a "pmtud: " rule.
PAINTED = {
    "crafted/seed_dnat_tso.pcap": {
        OFFLOAD: [7, 14, 21], REJECTED: [5, 6, 12, 13, 19, 20]},
    # 4 links frame 2; 5 is an RFC 792 quote that fits frames 1 and 2.
    "crafted/quote_sctp.pcap": {
        REJECTED: [2], LEGITIMATE: [4], AMBIGUOUS: [5]},
    # A frag-needed in GTP-U, a Packet Too Big in EtherIP, a frag-needed
    # one tunnel deeper than pmtud follows.
    "crafted/not_analysed_encap.pcap": {NOT_ANALYSED: [2, 4, 6]},
    "crafted/not_analysed_wlan.pcap": {NOT_ANALYSED: [1]},
    # The ICMPs are legitimate too, and their super-frames stay "rejected"
    # (4, 8) rather than "oversize".
    "netns/netns_sender_tso_tcp4.pcap": {
        REJECTED: [4, 8], BEFORE_TSO: [5, 6, 7, 9, 10, 11],
        OVERSIZE: [12, 15, 21, 23, 25, 27, 29, 31, 34]},
}

# {capture: the frames the "Link by hand" button shows (two passes)}.
LINK_BY_HAND = {
    "crafted/seed_dnat_tso.pcap": [],
    "crafted/quote_sctp.pcap": [5],
    "crafted/not_analysed_encap.pcap": [2, 4, 6],
    "crafted/not_analysed_wlan.pcap": [1],
    "netns/netns_sender_tso_tcp4.pcap": [],
}


def buttons(profile):
    """{label: filter} of the profile's dfilter_buttons."""
    with open(os.path.join(profile, "dfilter_buttons")) as f:
        rows = csv.reader(line for line in f if not line.startswith("#"))
        return {row[1]: row[2] for row in rows if row}


def frames(out):
    return [int(n) for n in out.split()]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tshark", default="tshark")
    ap.add_argument("--plugin", required=True)
    ap.add_argument("--profile", required=True)
    ap.add_argument("--captures", required=True, help="the testcaptures/ folder")
    a = ap.parse_args()
    checks = Checks()
    ts = Tshark(a.tshark, a.plugin)
    try:
        dest = os.path.join(ts.home, ".config", "wireshark", "profiles", "PMTUD")
        os.makedirs(dest)
        for name in ("colorfilters", "dfilter_buttons", "preferences"):
            shutil.copy(os.path.join(a.profile, name), dest)
        for root, dirs, files in os.walk(os.path.join(ts.home, ".config")):
            os.chmod(root, 0o777)
            for f in files:
                os.chmod(os.path.join(root, f), 0o666)
        caps = {c: ts.stage(os.path.join(a.captures, c)) for c in PAINTED}

        for c, want in PAINTED.items():
            p = ts.run(["-C", "PMTUD", "--color", "-2", "-r", caps[c], "-T", "fields",
                        "-e", "frame.number", "-e", "frame.coloring_rule.name"])
            checks.eq("%s: profile loads without warnings" % c, p.stderr.strip(), "")
            rules = collections.defaultdict(list)
            for line in p.stdout.splitlines():
                num, _, rule = line.partition("\t")
                if rule.startswith("pmtud: "):
                    rules[rule].append(int(num))
            checks.eq("%s: frames painted by pmtud's rules" % c, dict(rules), want)

        filters = buttons(a.profile)
        for label, flt in filters.items():
            p = ts.run(["-C", "PMTUD", "-r", caps["crafted/seed_dnat_tso.pcap"], "-Y", flt],
                       check=False)
            checks.eq("button %r: a valid filter (%s)" % (label, flt),
                      (p.returncode, p.stderr.strip()), (0, ""))
        checks.true("a Link by hand button in %r" % sorted(filters), "Link by hand" in filters)
        for c, want in LINK_BY_HAND.items():
            if "Link by hand" in filters:
                p = ts.run(["-C", "PMTUD", "-2", "-r", caps[c], "-Y", filters["Link by hand"],
                            "-T", "fields", "-e", "frame.number"])
                checks.eq("%s: the Link by hand button shows" % c, frames(p.stdout), want)

        summary = ts.run(["-C", "PMTUD", "-r", caps["crafted/seed_dnat_tso.pcap"],
                          "-Y", "frame.number == 7"]).stdout
        checks.true("columns: quoted frame, quoted len, wire len, MTU in %r" % summary,
                    re.search(r"\s5\s+2960\s+1500\s+1500\s", summary))
        # No quoted frame, no wire length: the candidates, 1500, MTU 1400.
        summary = ts.run(["-C", "PMTUD", "-r", caps["crafted/quote_sctp.pcap"],
                          "-Y", "frame.number == 5"]).stdout
        checks.true("columns: an ambiguous quote's candidates in Quoted frame in %r" % summary,
                    re.search(r"\s1,2\s+1500\s+1400\s", summary))
    finally:
        ts.close()
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
