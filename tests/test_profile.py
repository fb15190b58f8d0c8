#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The "PMTUD" configuration profile (plugin/profile/): it loads without a
warning, its coloring rules paint the seed capture's frames by verdict, and
its columns show the quoted frame, lengths and MTU.

usage: test_profile.py --tshark TSHARK --plugin pmtud.so --profile DIR --capture seed.pcap
"""
import argparse
import collections
import os
import re
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checks import Checks  # noqa: E402
from pmtud_tshark import Tshark  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tshark", default="tshark")
    ap.add_argument("--plugin", required=True)
    ap.add_argument("--profile", required=True)
    ap.add_argument("--capture", required=True)
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
        cap = ts.stage(a.capture)
        p = ts.run(["-C", "PMTUD", "--color", "-2", "-r", cap, "-T", "fields",
                    "-e", "frame.number", "-e", "frame.coloring_rule.name"])
        checks.eq("profile loads without warnings", p.stderr.strip(), "")
        rules = collections.defaultdict(list)
        for line in p.stdout.splitlines():
            num, _, rule = line.partition("\t")
            rules[rule].append(int(num))
        checks.eq("offload artefact colour", rules["pmtud: offload artefact"], [7, 14, 21])
        checks.eq("rejected frame colour", rules["pmtud: rejected frame"], [5, 6, 12, 13, 19, 20])
        summary = ts.run(["-C", "PMTUD", "-r", cap, "-Y", "frame.number == 7"]).stdout
        checks.true("columns: quoted frame, quoted len, wire len, MTU in %r" % summary,
                    re.search(r"\s5\s+2960\s+1500\s+1500\s", summary))
    finally:
        ts.close()
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
