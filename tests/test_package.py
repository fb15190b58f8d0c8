#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The Debian package: built by cpack, it holds the plugin in Wireshark's
system plugin folder, depends on the matching libwireshark, and tshark loads
the plugin from the package's files (unpacked with dpkg-deb -x; tshark is
pointed at them with WIRESHARK_PLUGIN_DIR, which it honours for non-root
users, so the machine's own plugin folders stay untouched).

usage: test_package.py --build BUILD_DIR --tshark TSHARK --version X.Y.Z
"""
import argparse
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checks import Checks  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("--tshark", default="tshark")
    ap.add_argument("--version", required=True)
    a = ap.parse_args()
    checks = Checks()
    out = subprocess.run(["cpack", "-G", "DEB"], cwd=a.build, capture_output=True, text=True)
    checks.eq("cpack exit status", out.returncode, 0)
    debs = glob.glob(os.path.join(a.build, "pmtud_%s_*.deb" % a.version))
    checks.eq("one package pmtud_%s_<arch>.deb" % a.version, len(debs), 1)
    if len(debs) != 1:
        return checks.finish()
    deb = debs[0]
    ver = re.search(r"\(Wireshark\) (\d+\.\d+)",
                    subprocess.run([a.tshark, "--version"], capture_output=True, text=True).stdout).group(1)
    files = subprocess.run(["dpkg-deb", "-c", deb], capture_output=True, text=True).stdout
    plugin = [l.split()[-1] for l in files.splitlines() if l.endswith("/pmtud.so")]
    checks.eq("the package holds one pmtud.so", len(plugin), 1)
    checks.true("in the system plugin folder for %s: %r" % (ver, plugin),
                plugin and re.fullmatch(r"\./usr/lib/[^/]+/wireshark/plugins/%s/epan/pmtud\.so"
                                        % re.escape(ver), plugin[0]))
    depends = subprocess.run(["dpkg-deb", "-f", deb, "Depends"], capture_output=True, text=True).stdout
    checks.true("depends on the matching libwireshark: %r" % depends,
                re.search(r"libwireshark\d+ \(>= %s\), libwireshark\d+ \(<< " % re.escape(ver), depends))
    recommends = subprocess.run(["dpkg-deb", "-f", deb, "Recommends"], capture_output=True,
                                text=True).stdout
    checks.true("recommends something to run it with: %r" % recommends,
                re.search(r"\btshark \| wireshark\b", recommends))
    tmp = tempfile.mkdtemp(prefix="pmtud-deb-")
    try:
        os.chmod(tmp, 0o755)
        subprocess.run(["dpkg-deb", "-x", deb, tmp], check=True)
        subprocess.run(["chmod", "-R", "a+rX", tmp], check=True)
        plugdir = os.path.dirname(os.path.dirname(os.path.dirname(os.path.join(tmp, plugin[0]))))
        home = os.path.join(tmp, "home")
        os.mkdir(home)
        os.chmod(home, 0o755)
        env = ["env", "-i", "HOME=" + home, "PATH=" + os.environ.get("PATH", "/usr/bin:/bin"),
               "WIRESHARK_PLUGIN_DIR=" + plugdir]
        prefix = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"] \
            if os.geteuid() == 0 else []
        listing = subprocess.run(prefix + env + [a.tshark, "-G", "plugins"],
                                 capture_output=True, text=True).stdout
        line = [l for l in listing.splitlines() if l.startswith("pmtud.so")]
        checks.true("tshark -G plugins loads pmtud %s from the package: %r" % (a.version, line),
                    line and line[0].split("\t")[1].strip() == a.version and plugdir in line[0])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
