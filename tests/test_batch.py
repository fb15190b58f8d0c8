#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""pmtud-batch (plugin/tools/pmtud-batch): tshark -2 -z pmtud,flows over a
folder of captures with GNU parallel, and the exact flows.csv, summary.csv
and summary.md it writes.

The folder holds copies of four test captures (one gzipped, one in a
subfolder), a file that is not a capture (reported with tshark's error) and
a text file (ignored). Runs:

  1. -j 2, on this machine;
  2. --sshlogin 2/: : the multi-machine path of GNU parallel (--transferfile,
     --return, --cleanup), with ":" (this machine) as the only login;
  3. as root only: the same as an ordinary user (nobody, with a HOME of its
     own), where tshark runs as that user instead of being switched to nobody;
  4. when rsync is installed: --sshlogin 1/fakehost,1/: with PARALLEL_SSH
     set to a stand-in for ssh that runs the "remote" commands here, in a
     HOME of their own (as nobody when root), with the plugin installed in
     that HOME: the captures really are copied over by rsync, the CSV comes
     back and the remote work folders are removed.

Every run must give the same files, byte for byte.

usage: test_batch.py --tool plugin/tools/pmtud-batch --tshark TSHARK
                     --plugin pmtud.so --captures testcaptures
"""
import argparse
import csv
import gzip
import io
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checks import Checks  # noqa: E402

# copy -> source in testcaptures/
CAPTURES = {
    "caps/seed_dnat_tso.pcap": "crafted/seed_dnat_tso.pcap",
    "caps/sub/zeek_smtp.pcap": "real/zeek_smtp.pcap",
    "caps/netns_clean_bulk.pcap": "netns/netns_clean_bulk.pcap",
    "caps/ndpi_6in4tunnel.pcap.gz": "real/ndpi_6in4tunnel.pcap",  # gzipped
}

SUMMARY_HEADER = ["file", "flows_affected", "icmp_messages", "offload_artefacts", "legitimate",
                  "bogus_mtu", "not_captured", "pmtud_worked", "same_size_crossed",
                  "icmp_ignored", "no_retransmission", "oversize_frames", "time_lost_s", "error"]
# file -> the numbers, in SUMMARY_HEADER order (error checked apart)
SUMMARY = [
    ("caps/broken.pcap", [""] * 12),
    ("caps/ndpi_6in4tunnel.pcap.gz", ["3", "1", "0", "1", "0", "0", "1", "0", "0", "0", "2", "0.122714"]),
    ("caps/netns_clean_bulk.pcap", ["0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0.000000"]),
    ("caps/seed_dnat_tso.pcap", ["1", "3", "3", "0", "0", "0", "0", "3", "0", "0", "0", "9.000000"]),
    ("caps/sub/zeek_smtp.pcap", ["1", "4", "0", "4", "0", "0", "4", "0", "0", "0", "0", "0.777016"]),
]
FLOW_KEYS = ["file", "sender", "sport", "receiver", "dport", "proto", "icmp_messages",
             "offload_artefacts", "legitimate", "pmtud_worked", "same_size_crossed",
             "oversize_frames", "largest_oversize", "first_icmp_frame", "first_oversize_frame",
             "min_mtu", "time_lost_s"]
FLOWS = [
    ("caps/ndpi_6in4tunnel.pcap.gz", "2a03:2880:1010:6f03:face:b00c:0:2", "443",
     "2001:470:1f17:13f:3e97:eff:fe73:4dec", "53234", "tcp", "0", "0", "0", "0", "0", "1", "1805",
     "0", "28", "0", "0.000000"),
    ("caps/ndpi_6in4tunnel.pcap.gz", "2001:470:1f17:13f:3e97:eff:fe73:4dec", "53234",
     "2a03:2880:1010:6f03:face:b00c:0:2", "443", "tcp", "1", "0", "1", "1", "0", "0", "0",
     "45", "0", "1460", "0.122714"),
    ("caps/ndpi_6in4tunnel.pcap.gz", "2604:a880:1:20::224:b001", "443",
     "2001:470:1f17:13f:3e97:eff:fe73:4dec", "60205", "tcp", "0", "0", "0", "0", "0", "1", "1741",
     "0", "102", "0", "0.000000"),
    ("caps/seed_dnat_tso.pcap", "192.0.2.10", "80", "203.0.113.45", "49321", "tcp", "3", "3", "0",
     "0", "3", "0", "0", "7", "0", "1500", "9.000000"),
    ("caps/sub/zeek_smtp.pcap", "10.10.1.4", "1470", "74.53.140.153", "25", "tcp", "4", "0", "4",
     "4", "0", "0", "0", "26", "0", "1492", "0.777016"),
]
ACTION_START = {
    "caps/seed_dnat_tso.pcap": "turn off LRO/GRO on the router 192.0.2.1",
    "caps/sub/zeek_smtp.pcap": "none: path MTU discovery works",
}
MD_TOTAL = ("| **total** (5 captures) | **5** | **8** | **3** | **5** | **0** | **0** | **5** | "
            "**3** | **0** | **0** | **2** | **9.899730** | 1 with errors |")

FAKE_SSH = r"""#!/bin/bash
# A stand-in for ssh: runs the "remote" command on this machine, in the
# fake remote user's HOME, with a login environment of its own (nothing of
# ours, like a real ssh login).
while [ $# -gt 0 ]; do
    case "$1" in
        -[lpoSciFJEbDeImQRWw]) shift 2 ;;
        -*) shift ;;
        *) break ;;
    esac
done
echo "$1" >> @LOG@
shift
[ "${1:-}" = "--" ] && shift
exec @RUNAS@ env -i HOME=@HOME@ SHELL=/bin/sh USER=remote LOGNAME=remote \
    PATH=/usr/local/bin:/usr/bin:/bin LC_ALL=C.UTF-8 /bin/sh -c "cd && $*"
"""

NOBODY = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]


def ws_version(tshark):
    out = subprocess.run([tshark, "--version"], capture_output=True, text=True).stdout
    m = re.search(r"TShark \(Wireshark\) (\d+\.\d+)", out)
    return m.group(1)


def make_tree(root, captures):
    for dest, src in CAPTURES.items():
        path = os.path.join(root, dest)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if dest.endswith(".gz"):
            with open(os.path.join(captures, src), "rb") as f, gzip.open(path, "wb") as g:
                g.write(f.read())
        else:
            shutil.copy(os.path.join(captures, src), path)
    with open(os.path.join(root, "caps/broken.pcap"), "w") as f:
        f.write("this is not a capture file\n")
    with open(os.path.join(root, "caps/notes.txt"), "w") as f:
        f.write("not a capture, and not named like one: ignored\n")


def open_up(path):
    """World-readable (and the folders world-writable), for a run as nobody."""
    for root, dirs, files in os.walk(path):
        os.chmod(root, 0o777)
        for f in files:
            os.chmod(os.path.join(root, f), 0o644)


def run_tool(a, cwd, out, extra, env_extra=None, prefix=(), home=None):
    # A HOME of the test's own: GNU parallel keeps ~/.parallel there.
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C.UTF-8",
           "HOME": home or os.path.join(cwd, "home")}
    env.update(env_extra or {})
    cmd = list(prefix) + ["env", "-i"] + ["%s=%s" % kv for kv in env.items()] + \
        [os.path.abspath(a.tool), "-o", out, "--tshark", a.tshark, "--no-bar"] + extra + ["caps"]
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=600)


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def check_outputs(checks, label, p, out):
    check = checks.eq
    check("%s: exit status 1 (one capture could not be read)\n%s\n%s" % (label, p.stdout, p.stderr),
          p.returncode, 1)
    for name in ("flows.csv", "summary.csv", "summary.md", "joblog.txt"):
        checks.true("%s: %s written" % (label, name), os.path.isfile(os.path.join(out, name)))
    if not os.path.isfile(os.path.join(out, "summary.csv")):
        return
    leftovers = [n for n in os.listdir(out) if n.startswith(".work")]
    check("%s: work folder removed" % label, leftovers, [])

    rows = list(csv.reader(io.StringIO(read(os.path.join(out, "summary.csv")))))
    check("%s: summary.csv header" % label, rows[0], SUMMARY_HEADER)
    check("%s: summary.csv files" % label, [r[0] for r in rows[1:]], [s[0] for s in SUMMARY])
    for row, (name, want) in zip(rows[1:], SUMMARY):
        check("%s: summary.csv %s" % (label, name), row[1:13], want)
        if name == "caps/broken.pcap":
            checks.true("%s: broken.pcap has tshark's error, got %r" % (label, row[13]),
                        row[13].startswith("tshark exit 2: ") and "isn't a capture file" in row[13]
                        and "caps/broken.pcap" in row[13])
        else:
            check("%s: summary.csv %s no error" % (label, name), row[13], "")

    text = read(os.path.join(out, "flows.csv"))
    header = text.splitlines()[0]
    check("%s: flows.csv header is file + pmtud,flows's" % label, header,
          "file,sender,sport,receiver,dport,proto,icmp_messages,offload_artefacts,legitimate,"
          "bogus_mtu,not_captured,pmtud_worked,same_size_crossed,icmp_ignored,no_retransmission,"
          "oversize_frames,largest_oversize,first_icmp_frame,first_oversize_frame,min_mtu,"
          "time_lost_s,router_hops,router_vendor,router_nic,sender_hops,sender_vendor,sender_nic,"
          "action")
    flows = list(csv.DictReader(io.StringIO(text)))
    check("%s: flows.csv rows" % label, [tuple(r[k] for k in FLOW_KEYS) for r in flows], FLOWS)
    for r in flows:
        if r["file"] in ACTION_START:
            checks.true("%s: %s action %r" % (label, r["file"], r["action"]),
                        r["action"].startswith(ACTION_START[r["file"]]))
    checks.true("%s: flows.csv: every row has 28 fields" % label,
                all(len(r) == 28 and None not in r for r in flows))
    # Vendor names hold commas ("VMware, Inc."): quoted, they stay one field.
    checks.true("%s: flows.csv seed row names the router's VMware vNIC" % label,
                [(r["router_hops"], r["router_vendor"], r["router_nic"], r["sender_vendor"])
                 for r in flows if r["file"] == "caps/seed_dnat_tso.pcap"] ==
                [("0", "VMware, Inc.", "VMware vmxnet3", "VMware, Inc.")])

    md = read(os.path.join(out, "summary.md")).splitlines()
    check("%s: summary.md totals" % label, [line for line in md if "**total**" in line], [MD_TOTAL])
    check("%s: summary.md one table row per capture" % label,
          len([line for line in md if line.startswith("| caps/")]), 5)
    checks.true("%s: summary.md seed row" % label,
                "| caps/seed_dnat_tso.pcap | 1 | 3 | 3 | 0 | 0 | 0 | 0 | 3 | 0 | 0 | 0 | 9.000000 |  |" in md)


def same_files(checks, label, out, ref):
    for name in ("flows.csv", "summary.csv", "summary.md"):
        checks.eq("%s: %s same as run 1" % (label, name),
                  read(os.path.join(out, name)), read(os.path.join(ref, name)))


def joblog_hosts(out):
    rows = read(os.path.join(out, "joblog.txt")).splitlines()[1:]
    return sorted(r.split("\t")[1] for r in rows)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tool", required=True)
    ap.add_argument("--tshark", default="tshark")
    ap.add_argument("--plugin", required=True)
    ap.add_argument("--captures", required=True)
    a = ap.parse_args()
    a.tshark = shutil.which(a.tshark) or a.tshark
    checks = Checks()
    root = os.geteuid() == 0
    if not shutil.which("parallel"):
        print("FAIL GNU parallel is not installed (apt-get install parallel)")
        checks.failed += 1
        return checks.finish()

    # mkdtemp is private (0700): as root, nobody cannot read these captures,
    # so the tool has to hand them over itself.
    tmp = tempfile.mkdtemp(prefix="pmtud-batch-test-")
    try:
        make_tree(tmp, a.captures)
        os.makedirs(os.path.join(tmp, "home"))
        plugin = os.path.abspath(a.plugin)

        # 1. this machine, two jobs at a time
        out1 = os.path.join(tmp, "out-local")
        p = run_tool(a, tmp, out1, ["-j", "2", "--plugin", plugin])
        check_outputs(checks, "-j 2", p, out1)
        if os.path.isfile(os.path.join(out1, "joblog.txt")):
            checks.eq("-j 2: 5 jobs on this machine", joblog_hosts(out1), [":"] * 5)

        # 2. the --sshlogin path, with this machine as the login
        out2 = os.path.join(tmp, "out-sshlogin")
        p = run_tool(a, tmp, out2, ["--sshlogin", "2/:", "--plugin", plugin])
        check_outputs(checks, "--sshlogin 2/:", p, out2)
        same_files(checks, "--sshlogin 2/:", out2, out1)
        if os.path.isfile(os.path.join(out2, "joblog.txt")):
            checks.eq("--sshlogin 2/:: 5 jobs on ':'", joblog_hosts(out2), [":"] * 5)

        # 3. an ordinary user (as root: nobody, with a HOME of its own)
        if root:
            user = os.path.join(tmp, "user")
            os.makedirs(os.path.join(user, "home"))
            make_tree(user, a.captures)
            shutil.copy(plugin, os.path.join(user, "pmtud.so"))
            os.chmod(tmp, 0o755)
            open_up(user)
            out3 = os.path.join(user, "out")
            p = run_tool(a, user, out3, ["-j", "2", "--plugin", os.path.join(user, "pmtud.so")],
                         prefix=NOBODY, home=os.path.join(user, "home"))
            check_outputs(checks, "as nobody", p, out3)
            same_files(checks, "as nobody", out3, out1)
            os.chmod(tmp, 0o700)

        # 4. a "remote" machine through a stand-in for ssh (needs rsync)
        if shutil.which("rsync"):
            fake = os.path.join(tmp, "fake")
            rhome = os.path.join(fake, "remotehome")
            epan = os.path.join(rhome, ".local/lib/wireshark/plugins", ws_version(a.tshark), "epan")
            os.makedirs(epan)
            shutil.copy(plugin, epan)
            log = os.path.join(fake, "ssh.log")
            script = os.path.join(fake, "ssh")
            with open(script, "w") as f:
                f.write(FAKE_SSH.replace("@LOG@", log).replace("@HOME@", rhome)
                        .replace("@RUNAS@", " ".join(NOBODY) if root else ""))
            os.chmod(script, 0o755)
            if root:
                os.chmod(tmp, 0o755)
                open_up(fake)
            os.chmod(script, 0o755)
            out4 = os.path.join(tmp, "out-remote")
            p = run_tool(a, tmp, out4, ["--sshlogin", "1/fakehost,1/:", "--plugin", plugin],
                         env_extra={"PARALLEL_SSH": script})
            check_outputs(checks, "--sshlogin 1/fakehost,1/:", p, out4)
            same_files(checks, "--sshlogin 1/fakehost,1/:", out4, out1)
            if os.path.isfile(os.path.join(out4, "joblog.txt")):
                hosts = joblog_hosts(out4)
                checks.true("remote: jobs ran on fakehost and ':', got %r" % hosts,
                            "fakehost" in hosts and ":" in hosts and len(hosts) == 5)
            left = []
            for r, dirs, files in os.walk(rhome):
                left += [os.path.join(r, f) for f in files if not f.endswith(".so")]
            checks.eq("remote: captures and results removed there (--cleanup)", left, [])
            if root:
                os.chmod(tmp, 0o700)
        else:
            print("SKIP the fake remote machine: rsync is not installed")

        # Usage errors: nothing written, exit status 2.
        out5 = os.path.join(tmp, "out-missing")
        p = subprocess.run([a.tool, "-o", out5, os.path.join(tmp, "no-such-folder")],
                           capture_output=True, text=True)
        checks.eq("missing input: exit 2", p.returncode, 2)
        checks.true("missing input: says so, got %r" % p.stderr, "no such capture or folder" in p.stderr)
        checks.true("missing input: no output folder", not os.path.exists(out5))
        p = subprocess.run([a.tool, "-o", out5, "--plugin", os.path.join(tmp, "nope.so"),
                            os.path.join(tmp, "caps")], capture_output=True, text=True)
        checks.eq("missing plugin: exit 2", p.returncode, 2)
    finally:
        if os.environ.get("PMTUD_KEEP"):
            print("kept", tmp)
            return checks.finish()
        for r, dirs, files in os.walk(tmp):
            for d in dirs:
                os.chmod(os.path.join(r, d), stat.S_IRWXU)
        shutil.rmtree(tmp, ignore_errors=True)
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
