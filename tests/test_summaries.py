#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The per-capture summaries: `-z pmtud,flows` (CSV, one row per affected
flow), `-z pmtud_flows,tree` (the same rows as a tree, Statistics > PMTUD >
Flows in the GUI) and `-z pmtud,tree` (counts by verdict), one-pass and
two-pass.

usage: test_summaries.py --tshark TSHARK --plugin pmtud.so --captures DIR
                         --vocab pmtud_vocab_list
"""
import argparse
import csv
import io
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checks import Checks  # noqa: E402
from pmtud_tshark import Tshark  # noqa: E402

BLACKHOLE_ACTION = ("let ICMP frag-needed/Packet Too Big reach the sender %s (a PMTUD black hole: "
                    "ICMP filtered on the path), or clamp MSS to %d")

# capture -> rows of (sender, sport, receiver, dport, icmp_messages,
# offload_artefacts, legitimate, pmtud_worked, same_size_crossed,
# oversize_frames, first_icmp_frame, first_oversize_frame, time_lost_s, action start)
FLOWS = {
    "crafted/seed_dnat_tso.pcap": [
        ("192.0.2.10", "80", "203.0.113.45", "49321", "3", "3", "0", "0", "3", "0", "7", "0",
         "9.000000", "turn off LRO/GRO on the router 192.0.2.1"),
    ],
    "real/ndpi_6in4tunnel.pcap": [
        ("2a03:2880:1010:6f03:face:b00c:0:2", "443", "2001:470:1f17:13f:3e97:eff:fe73:4dec",
         "53234", "0", "0", "0", "0", "0", "1", "0", "28", "0.000000", "none on the network"),
        ("2001:470:1f17:13f:3e97:eff:fe73:4dec", "53234", "2a03:2880:1010:6f03:face:b00c:0:2",
         "443", "1", "0", "1", "1", "0", "0", "45", "0", "0.122714", "none: path MTU discovery works"),
        ("2604:a880:1:20::224:b001", "443", "2001:470:1f17:13f:3e97:eff:fe73:4dec", "60205",
         "0", "0", "0", "0", "0", "1", "0", "102", "0.000000", "none on the network"),
    ],
    "netns/netns_clean_bulk.pcap": [],
    # PMTUD black holes (no ICMP): a row each, with the time lost (first
    # full-size transmission to the first transmission of that data that got
    # through; from the receiver, the hole opening to the first frame filling
    # it) and the action, in one pass too (the confirming frame is tapped).
    "crafted/blackhole_crafted.pcap": [
        ("192.0.2.10", "80", "198.51.100.50", "50500", "0", "0", "0", "0", "0", "0", "0", "0",
         "3.000000", BLACKHOLE_ACTION % ("192.0.2.10", 536)),
    ],
    "netns/netns_blackhole_tcp4.pcap": [
        ("10.72.1.2", "5002", "10.72.2.2", "51952", "0", "0", "0", "0", "0", "0", "0", "0",
         "3.126679", BLACKHOLE_ACTION % ("10.72.1.2", 1024)),
    ],
    "crafted/windows_blackhole_sender.pcap": [
        ("192.0.2.20", "80", "198.51.100.60", "51234", "0", "0", "0", "0", "0", "0", "0", "0",
         "21.110000", BLACKHOLE_ACTION % ("192.0.2.20", 563)),
    ],
    "crafted/windows_blackhole_receiver.pcap": [
        ("192.0.2.20", "80", "198.51.100.60", "51234", "0", "0", "0", "0", "0", "0", "0", "0",
         "21.109988", BLACKHOLE_ACTION % ("192.0.2.20", 563)),
    ],
}
# Who merged the packet, per flow row: the router's hops, MAC vendor and
# virtual NIC, the sender's, and the action's words about the box.
BOX_KEYS = ["router_hops", "router_vendor", "router_nic", "sender_hops", "sender_vendor",
            "sender_nic"]
BOXES = {
    "crafted/seed_kvm.pcap": [
        ("0", "Realtek (UpTech? also reported)", "KVM/QEMU virtio-net", "0",
         "Realtek (UpTech? also reported)", "KVM/QEMU virtio-net",
         "turn off LRO/GRO on the router 192.0.2.1, by its MAC a KVM/QEMU VM (virtio-net) 0 hops "
         "from the capture: in its guest ethtool -K <if> lro off gro off, or on its host "
         "guest_tso4=off,guest_tso6=off on its virtio-net device (libvirt: <driver><guest "
         "tso4='off' tso6='off'/></driver>); and TSO on the sender 192.0.2.10 (by its MAC a "
         "KVM/QEMU VM (virtio-net)), or clamp MSS to 1460")],
    "crafted/seed_hyperv_far.pcap": [
        ("2", "", "", "0", "Microsoft Corporation", "Hyper-V netvsc",
         "turn off LRO/GRO on the router 192.0.2.1 (or its virtual switch) and TSO on the sender "
         "192.0.2.10 (by its MAC a Hyper-V or Azure VM (netvsc)), or clamp MSS to 1460")],
    "netns/netns_gro_tcp4.pcap": [
        ("0", "", "", "0", "", "",
         "turn off LRO/GRO on the router 10.71.1.1 (or its virtual switch) and TSO on the sender "
         "10.71.1.2, or clamp MSS to 1360")],
    "crafted/oversize_mss.pcap": [
        ("", "", "", "0", "Realtek (UpTech? also reported)", "KVM/QEMU virtio-net",
         "none on the network: oversize frames are TSO/GSO or LRO/GRO at the capture point (by "
         "its MAC a KVM/QEMU VM (virtio-net))")],
}
KEYS = ["sender", "sport", "receiver", "dport", "icmp_messages", "offload_artefacts",
        "legitimate", "pmtud_worked", "same_size_crossed", "oversize_frames",
        "first_icmp_frame", "first_oversize_frame", "time_lost_s"]

# capture -> {tree line label: count} (two-pass)
TREE = {
    "crafted/seed_dnat_tso.pcap": {
        "ICMP frag-needed and Packet Too Big": 3, "offload artefact": 3,
        "same size crossed (offload)": 3, "Frames rejected by a router": 6,
        "Time lost (ms)": 9000, "Oversize frames (not wire frames)": 0,
    },
    "real/zeek_smtp.pcap": {
        "ICMP frag-needed and Packet Too Big": 4, "legitimate": 4, "PMTUD worked": 4,
        "Frames rejected by a router": 4,
    },
    # Black holes count their time lost too (ms, rounded once).
    "crafted/blackhole_crafted.pcap": {"Black hole frames (no ICMP)": 5, "Time lost (ms)": 3000},
    "netns/netns_blackhole_tcp4.pcap": {"Black hole frames (no ICMP)": 6, "Time lost (ms)": 3127},
    "crafted/windows_blackhole_sender.pcap": {
        "Black hole frames (no ICMP)": 4, "Time lost (ms)": 21110},
    "crafted/windows_blackhole_receiver.pcap": {
        "Black hole frames (no ICMP)": 3, "Time lost (ms)": 21110},
}

# capture -> (one pass?, the lines of `-z pmtud_flows,tree` as (label, count),
# in order). One pass shows no reaction, time lost or action: they are settled
# only once the whole file has been read.
SEED_FLOW = "192.0.2.10:80 -> 203.0.113.45:49321 tcp"
SEED_ACTION = ("Action: turn off LRO/GRO on the router 192.0.2.1, by its MAC a VMware VM (vmxnet3) "
               "0 hops from the capture: in its guest ethtool -K <if> lro off gro off (Windows: "
               "Disable-NetAdapterRsc -Name <if>), or on its ESXi host the advanced settings "
               "Net.Vmxnet3HwLRO=0 and Net.Vmxnet3SwLRO=0; and TSO on the sender 192.0.2.10 (by its "
               "MAC a VMware VM (vmxnet3)), or clamp MSS to 1460")
# Who merged it, settled with the action: both boxes are VMware guests 0 hops
# away (0 hops is not a line: the tree shows counts that are not 0).
SEED_BOXES = [("sender vendor: VMware, Inc.", 1), ("sender NIC: VMware vmxnet3", 1),
              ("router vendor: VMware, Inc.", 1), ("router NIC: VMware vmxnet3", 1)]
FLOWS_TREE = [
    ("crafted/seed_dnat_tso.pcap", True, [
        (SEED_FLOW, 3), ("smallest cited MTU", 1500), ("first ICMP frame", 7),
        ("offload artefact", 3), ("ICMP messages", 3)]),
    ("crafted/seed_dnat_tso.pcap", False, [
        (SEED_FLOW, 3), ("Time lost (ms)", 9000), ("smallest cited MTU", 1500),
        ("first ICMP frame", 7), ("same size crossed (offload)", 3), ("offload artefact", 3),
        ("ICMP messages", 3)] + SEED_BOXES + [(SEED_ACTION, 1)]),
    ("real/ndpi_6in4tunnel.pcap", False, [
        ("[2a03:2880:1010:6f03:face:b00c:0:2]:443 -> [2001:470:1f17:13f:3e97:eff:fe73:4dec]:53234 tcp", 1),
        ("largest oversize (bytes)", 1805), ("first oversize frame", 28), ("sender hops", 13),
        ("oversize frames", 1),
        ("Action: none on the network: oversize frames are TSO/GSO or LRO/GRO at the capture point", 1),
        ("[2001:470:1f17:13f:3e97:eff:fe73:4dec]:53234 -> [2a03:2880:1010:6f03:face:b00c:0:2]:443 tcp", 1),
        ("smallest cited MTU", 1460), ("Time lost (ms)", 123), ("first ICMP frame", 45),
        ("legitimate", 1), ("PMTUD worked", 1), ("ICMP messages", 1),
        ("Action: none: path MTU discovery works", 1),
        ("[2604:a880:1:20::224:b001]:443 -> [2001:470:1f17:13f:3e97:eff:fe73:4dec]:60205 tcp", 1),
        ("largest oversize (bytes)", 1741), ("first oversize frame", 102), ("sender hops", 9),
        ("oversize frames", 1),
        ("Action: none on the network: oversize frames are TSO/GSO or LRO/GRO at the capture point", 1)]),
]

# The flows tree's label for each -z pmtud,flows column, besides the counts by
# verdict and reaction (from the vocabulary: pmtud_vocab_list --columns).
TREE_LABEL = {
    "icmp_messages": "ICMP messages", "oversize_frames": "oversize frames",
    "largest_oversize": "largest oversize (bytes)", "first_icmp_frame": "first ICMP frame",
    "first_oversize_frame": "first oversize frame", "min_mtu": "smallest cited MTU",
    "time_lost_s": "Time lost (ms)",
}
FLOW_KEYS = ("sender", "sport", "receiver", "dport", "proto")
# Who merged the packet: the flows tree says the CSV's text columns as
# "<label>: <text>" lines, and the hops as counts.
BOX_TEXT = {"router_vendor": "router vendor", "router_nic": "router NIC",
            "sender_vendor": "sender vendor", "sender_nic": "sender NIC"}
BOX_HOPS = {"router_hops": "router hops", "sender_hops": "sender hops"}


def captures(root):
    """Every test capture, relative to root."""
    found = []
    for d, _, files in os.walk(root):
        found += [os.path.relpath(os.path.join(d, f), root) for f in files
                  if f.endswith((".pcap", ".pcapng"))]
    return sorted(found)


def tree_lines(out):
    """(label, count, indented) of each line of a printed stats_tree."""
    lines = []
    for line in out.splitlines():
        m = re.match(r"^(\s*)(\S.*?\S)\s{2,}(\d+)\s", line)
        if m:
            lines.append((m.group(2), int(m.group(3)), m.group(1) != ""))
    return lines


def tree_counts(out):
    """{line label: count} of a -z pmtud,tree report."""
    return {label: n for label, n, _ in tree_lines(out)}


def reports(out):
    """{"summary": text, "flows_tree": text, "csv": text} of one tshark run
    with -z pmtud,tree -z pmtud_flows,tree -z pmtud,flows."""
    parts, part = {"summary": [], "flows_tree": [], "csv": []}, None
    for line in out.splitlines():
        if line == "PMTUD/Summary:":
            part = "summary"
        elif line == "PMTUD/Flows:":
            part = "flows_tree"
        elif line.startswith("sender,sport,"):
            part = "csv"
        elif line.startswith("====") or (part == "csv" and not line):
            part = None
        if part:
            parts[part].append(line)
    return {k: "\n".join(v) + "\n" for k, v in parts.items()}


def flow_name(row):
    """The flows tree's node for a CSV row."""
    v6 = ":" in row["sender"]
    if row["proto"] == "ip":
        return "%s -> %s ip" % (row["sender"], row["receiver"])
    ends = [("[%s]" % a if v6 else a) for a in (row["sender"], row["receiver"])]
    return "%s:%s -> %s:%s %s" % (ends[0], row["sport"], ends[1], row["dport"], row["proto"])


def flows_tree_of(out):
    """{flow node: {child label: count}} of a -z pmtud_flows,tree report."""
    flows, node = {}, None
    for label, n, child in tree_lines(out):
        if not child:
            node = flows.setdefault(label, {})
        elif node is not None:
            node[label] = n
    return flows


def tree_from_csv(row, labels):
    """What the flows tree must show for a CSV row: its non-zero columns."""
    want = {}
    for col, value in row.items():
        if col in FLOW_KEYS:
            continue
        if col == "action":
            want["Action: " + value] = 1
        elif col in BOX_TEXT:
            if value:
                want["%s: %s" % (BOX_TEXT[col], value)] = 1
        elif col in BOX_HOPS:
            want[BOX_HOPS[col]] = int(value or 0)
        elif col == "time_lost_s":
            want[TREE_LABEL[col]] = int(float(value) * 1000 + 0.5)   # ms, rounded once
        else:
            want[labels.get(col, TREE_LABEL.get(col, "no tree label for column " + col))] = int(value)
    return {k: v for k, v in want.items() if v}


def check_trees_agree(ts, check, root, labels):
    """On every test capture, two-pass: the flows tree shows every CSV row,
    column by column (time lost to the rounding of ms), and the summary tree's
    time lost (ms) is the CSV's summed over the flows: one rule decides what
    counts, a flow's time lost is the union of its ICMPs' spans, and the trees
    round once."""
    lost = TREE_LABEL["time_lost_s"]
    for name in captures(root):
        f = ts.stage(os.path.join(root, name))
        got = reports(ts.run(["-2", "-q", "-r", f, "-z", "pmtud,tree", "-z", "pmtud_flows,tree",
                              "-z", "pmtud,flows"]).stdout)
        rows = list(csv.DictReader(io.StringIO(got["csv"])))
        csv_ms = 1000 * sum(float(r["time_lost_s"]) for r in rows)
        tree_ms = tree_counts(got["summary"]).get(lost)
        agrees = tree_ms is not None and abs(tree_ms - csv_ms) <= 0.5 + 1e-6
        check("%s time lost: -z pmtud,tree (ms) against -z pmtud,flows summed (ms)" % name,
              tree_ms, tree_ms if agrees else round(csv_ms, 3))
        want = {flow_name(r): tree_from_csv(r, labels) for r in rows}
        flows = flows_tree_of(got["flows_tree"])
        for r in rows:   # the tree rounds ns, the CSV has us: either side of a half ms is fine
            node, ms = flows.get(flow_name(r), {}), float(r["time_lost_s"]) * 1000
            if abs(node.get(lost, 0) - ms) <= 0.5 + 1e-6:
                want[flow_name(r)].pop(lost, None)
                if node.get(lost):
                    want[flow_name(r)][lost] = node[lost]
        check("%s -z pmtud_flows,tree against -z pmtud,flows" % name, flows, want)
        os.unlink(f)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tshark", default="tshark")
    ap.add_argument("--plugin", required=True)
    ap.add_argument("--captures", required=True)
    ap.add_argument("--vocab", required=True, help="tests/unit/vocab_list.c, built")
    a = ap.parse_args()
    labels = dict(line.split("\t") for line in subprocess.run(
        [a.vocab, "--columns"], capture_output=True, text=True, check=True).stdout.splitlines())
    ts = Tshark(a.tshark, a.plugin)
    checks = Checks()
    check = checks.eq

    try:
        for name, rows in FLOWS.items():
            f = ts.stage(os.path.join(a.captures, name))
            for two_pass in (False, True):
                args = (["-2"] if two_pass else []) + ["-q", "-r", f, "-z", "pmtud,flows"]
                out = ts.run(args).stdout
                got = []
                for r in csv.DictReader(io.StringIO(out)):
                    got.append(tuple(r[k] for k in KEYS) + (r["action"][:len(rows[len(got)][-1])]
                                                           if len(got) < len(rows) else r["action"],))
                check("%s pmtud,flows %s" % (name, "-2" if two_pass else "one pass"), got, rows)
        for name, rows in BOXES.items():
            # Wireshark 4.2+ names no locally administered prefix (QEMU's
            # 52:54:00): those rows are 4.0's (see test_captures.for_version).
            if ts.version >= (4, 2) and "Realtek (UpTech? also reported)" in rows[0]:
                continue
            f = ts.stage(os.path.join(a.captures, name))
            out = ts.run(["-q", "-r", f, "-z", "pmtud,flows"]).stdout
            check("%s pmtud,flows boxes and action" % name,
                  [tuple(r[k] for k in BOX_KEYS) + (r["action"],)
                   for r in csv.DictReader(io.StringIO(out))], rows)
        for name, want in TREE.items():
            f = ts.stage(os.path.join(a.captures, name))
            counts = tree_counts(ts.run(["-2", "-q", "-r", f, "-z", "pmtud,tree"]).stdout)
            for label, n in want.items():
                check("%s pmtud,tree %r" % (name, label), counts.get(label), n)
        for name, one_pass, want in FLOWS_TREE:
            f = ts.stage(os.path.join(a.captures, name))
            out = ts.run(([] if one_pass else ["-2"]) + ["-q", "-r", f, "-z", "pmtud_flows,tree"])
            check("%s pmtud_flows,tree %s" % (name, "one pass" if one_pass else "-2"),
                  [line[:2] for line in tree_lines(out.stdout)], want)
        check_trees_agree(ts, check, a.captures, labels)
        # The per-file report limit: two reports kept, then one note where
        # pmtud stopped (frame 21, the third ICMP).
        f = ts.stage(os.path.join(a.captures, "crafted/seed_dnat_tso.pcap"))
        out = ts.run(["-2", "-o", "pmtud.max_reports:2", "-r", f, "-Y", "pmtud", "-T", "fields",
                      "-e", "frame.number", "-e", "pmtud.icmp.quoted_frame",
                      "-e", "pmtud.limit_reached"]).stdout
        check("pmtud.max_reports:2 on the seed", out.splitlines(),
              ["5\t\t", "6\t\t", "7\t5\t", "12\t\t", "13\t\t", "14\t12\t", "21\t\t1"])
    finally:
        ts.close()
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
