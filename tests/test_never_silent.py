#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Never silent (issue 10 section 2), over every capture in the repository:
each frame that Wireshark dissects as an ICMP fragmentation needed or an
ICMPv6 Packet Too Big carries either pmtud's analysis (pmtud.icmp.mtu, on
every ICMP pmtud analysed) or the note pmtud.not_analysed, in one pass and
in two.

usage: test_never_silent.py --tshark TSHARK --plugin pmtud.so --captures DIR
"""
import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "testcaptures", "lib"))
from expectations import load  # noqa: E402
from checks import Checks  # noqa: E402
from pmtud_tshark import Tshark  # noqa: E402

PTB = "(icmp.type == 3 && icmp.code == 4) || icmpv6.type == 2"
EXTENSIONS = (".pcap", ".pcapng", ".cap", ".pcap.gz", ".pcapng.gz")


def captures(root):
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for f in sorted(files):
            if f.endswith(EXTENSIONS):
                yield os.path.relpath(os.path.join(folder, f), root)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tshark", default="tshark")
    ap.add_argument("--plugin", required=True)
    ap.add_argument("--captures", required=True)
    a = ap.parse_args()
    checks = Checks()
    ts = Tshark(a.tshark, a.plugin)
    files = ptbs = noted = 0
    cases = load()
    try:
        for name in captures(a.captures):
            files += 1
            capture = ts.stage(os.path.join(a.captures, name))
            # The options a capture's case needs (Decode As), as the user would give them.
            extra = list(cases[name].tshark_args) if name in cases else []
            for two_pass in (False, True):
                args = extra + (["-2"] if two_pass else []) + [
                    "-r", capture, "-Y", PTB, "-T", "fields", "-e", "frame.number",
                    "-e", "pmtud.icmp.mtu", "-e", "pmtud.not_analysed"]
                silent = []
                for line in ts.run(args).stdout.splitlines():
                    frame, mtu, note = (line.split("\t") + ["", ""])[:3]
                    ptbs += not two_pass
                    noted += bool(note) and not two_pass
                    if not mtu and not note:
                        silent.append(int(frame))
                checks.eq("%s [%s] frag-needed / PTB frames with neither pmtud's analysis nor "
                          "pmtud.not_analysed" % (name, "two-pass" if two_pass else "one-pass"),
                          silent, [])
            os.remove(capture)
    finally:
        ts.close()
    print("%d captures, %d frag-needed / PTB frames, %d of them pmtud.not_analysed"
          % (files, ptbs, noted))
    checks.eq("captures found", files > 0, True)
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
