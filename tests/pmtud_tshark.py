# SPDX-License-Identifier: GPL-2.0-or-later
"""Runs tshark with the freshly built pmtud plugin, and nothing else.

Wireshark ignores personal plugin folders for root, so when the tests run as
root (CI does) tshark runs as the unprivileged user "nobody" through setpriv.
The plugin and the capture are copied into a private temporary folder that
nobody can read: the checkout itself may sit under a folder only root can
enter.
"""
import os
import re
import shutil
import subprocess
import tempfile


class Tshark:
    def __init__(self, tshark, plugin):
        self.tshark = tshark
        self.tmp = tempfile.mkdtemp(prefix="pmtud-test-")
        os.chmod(self.tmp, 0o755)
        self.home = os.path.join(self.tmp, "home")
        version = self._ws_version()
        self.version = tuple(int(x) for x in version.split("."))
        epan = os.path.join(self.home, ".local/lib/wireshark/plugins", version, "epan")
        os.makedirs(epan)
        shutil.copy(plugin, epan)
        for root, dirs, files in os.walk(self.tmp):
            for d in dirs:
                os.chmod(os.path.join(root, d), 0o755)
            for f in files:
                os.chmod(os.path.join(root, f), 0o644)
        self.prefix = []
        if os.geteuid() == 0:
            self.prefix = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]

    def _ws_version(self):
        out = subprocess.run([self.tshark, "--version"], capture_output=True, text=True).stdout
        m = re.search(r"TShark \(Wireshark\) (\d+)\.(\d+)", out)
        if not m:
            raise RuntimeError("cannot tell the tshark version from: " + out[:200])
        return "%s.%s" % (m.group(1), m.group(2))

    def stage(self, path):
        """Copies a capture where the unprivileged user can read it."""
        dest = os.path.join(self.tmp, os.path.basename(path))
        shutil.copy(path, dest)
        os.chmod(dest, 0o644)
        return dest

    def run(self, args, check=True):
        env = {"HOME": self.home, "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
               "LC_ALL": "C.UTF-8"}
        # A plugin built with -fsanitize=address needs the ASan runtime loaded
        # first into the (uninstrumented) tshark; any report aborts tshark.
        preload = os.environ.get("PMTUD_SANITIZER_PRELOAD")
        if preload:
            env["LD_PRELOAD"] = preload
            env["ASAN_OPTIONS"] = "detect_leaks=0:abort_on_error=1:detect_odr_violation=0"
            env["UBSAN_OPTIONS"] = "halt_on_error=1:print_stacktrace=1"
            # tshark 4.0 runs its extcap helpers for -G plugins, and one of
            # them deadlocks at exit under a preloaded ASan: give it none.
            extcap = os.path.join(self.tmp, "no-extcap")
            os.makedirs(extcap, exist_ok=True)
            env["WIRESHARK_EXTCAP_DIR"] = extcap
        cmd = self.prefix + ["env"] + ["%s=%s" % kv for kv in env.items()] + [self.tshark] + args
        p = subprocess.run(cmd, capture_output=True, text=True, cwd=self.tmp)
        if check and p.returncode != 0:
            raise RuntimeError("tshark %s failed (%d): %s" % (" ".join(args), p.returncode, p.stderr))
        return p

    def close(self):
        shutil.rmtree(self.tmp, ignore_errors=True)
