# SPDX-License-Identifier: GPL-2.0-or-later
"""What the derive_netns_*.py scripts share: the captures' raw fields as
tshark reads them (no plugin), and the TCP "carries this byte" test.
Standard library only (testcaptures/lib/pcapgen.py imports scapy)."""
import subprocess


def rows(path, fields, extra=()):
    """One {field: [values]} per frame, absolute sequence numbers; a field
    present several times (outer and quoted header) keeps every value."""
    cmd = ["tshark", "-r", path] + list(extra) + [
        "-o", "tcp.relative_sequence_numbers:FALSE", "-T", "fields",
        "-E", "separator=|", "-E", "occurrence=a", "-E", "aggregator=;"]
    for f in fields:
        cmd += ["-e", f]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        d = dict(zip(fields, line.split("|")))
        yield d, {k: (d[k].split(";") if d[k] else []) for k in fields}


def carries(f, seq):
    """Does data frame f carry TCP byte seq?"""
    return not f["icmp"] and f["tlen"] > 0 and f["seq"] <= seq < f["seq"] + f["tlen"]
