#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# dump-pmtud.sh PLUGIN.so CAPTURE...
# Prints, for every capture, the pmtud subtree of every frame that has one
# (two-pass tshark, details of pmtud only), in a form that can be diffed
# between Wireshark versions. Used by tests/wireshark-matrix.sh to show how
# 4.4 and 4.6 differ from each other (and from the host's Wireshark).
# As root, tshark runs as nobody (root ignores personal plugin folders).
set -eu

plugin=$1; shift
tmp=$(mktemp -d /tmp/pmtud-dump.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"
ver=$(tshark --version 2>/dev/null | sed -n 's/^TShark (Wireshark) \([0-9]*\)\.\([0-9]*\).*/\1.\2/p' | head -n1)
mkdir -p "$tmp/home/.local/lib/wireshark/plugins/$ver/epan"
cp "$plugin" "$tmp/home/.local/lib/wireshark/plugins/$ver/epan/"
chmod -R a+rX "$tmp"

run() {
  if [ "$(id -u)" -eq 0 ]; then
    setpriv --reuid=nobody --regid=nogroup --clear-groups \
      env -i HOME="$tmp/home" PATH=/usr/bin:/bin LC_ALL=C.UTF-8 tshark "$@"
  else
    env -i HOME="$tmp/home" PATH=/usr/bin:/bin LC_ALL=C.UTF-8 tshark "$@"
  fi
}

for cap in "$@"; do
  name=$(basename "$cap")
  cp "$cap" "$tmp/$name"; chmod 644 "$tmp/$name"
  echo "### $cap"
  # -O pmtud: details of pmtud only; keep the frame line's number and the
  # pmtud subtree (indented lines after "Path MTU Discovery analysis").
  # Labels longer than 240 bytes are cut by Wireshark, and the mark differs:
  # 4.0 writes "[ [truncated]Expert Info ...", 4.2 and later "[[…] Expert
  # Info ..." (and so cut 4 bytes elsewhere): both become "[<cut> Expert
  # Info ..." kept to 150 characters, so that only pmtud's own differences show.
  run -n -2 -r "$tmp/$name" -Y pmtud -O pmtud -V 2>&1 \
  | sed -E 's/\[ \[truncated\]/[<cut> /; s/\[\[…\] /[<cut> /; s/(\[<cut> .{0,150}).*/\1/' \
  | awk '
    /^Frame [0-9]+:/ { split($2, a, ":"); frame = a[1]; inside = 0; next }
    /^Path MTU Discovery analysis/ { print "frame " frame ": " $0; inside = 1; next }
    /^[^ ]/ { inside = 0 }
    inside { print "frame " frame ": " $0 }
    /^tshark:|^ \*\*/ { print "tshark: " $0 }
  '
  rm -f "$tmp/$name"
done
