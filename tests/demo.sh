#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Shows pmtud on the seed's capture (testcaptures/crafted/seed_dnat_tso.pcap):
# the gateway's "fragmentation needed, MTU 1500" about 1500-byte segments.
#
#   tests/demo.sh [path/to/pmtud.so]
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
plugin=${1:-$repo/build/plugin/pmtud.so}
capture=$repo/testcaptures/crafted/seed_dnat_tso.pcap

# tshark skips personal plugin folders for root: stage the plugin in a
# private HOME and, as root, run tshark as "nobody".
ver=$(tshark --version | sed -n 's/^TShark (Wireshark) \([0-9]*\.[0-9]*\).*/\1/p')
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/home/.local/lib/wireshark/plugins/$ver/epan"
cp "$plugin" "$tmp/home/.local/lib/wireshark/plugins/$ver/epan/"
cp "$capture" "$tmp/"
chmod -R a+rX "$tmp"
run() {
    if [ "$(id -u)" -eq 0 ]; then
        setpriv --reuid=nobody --regid=nogroup --clear-groups env HOME="$tmp/home" tshark "$@"
    else
        env HOME="$tmp/home" tshark "$@"
    fi
}
f="$tmp/$(basename "$capture")"

echo "== Every frag-needed in the capture, and what pmtud makes of it:"
echo "   tshark -r seed_dnat_tso.pcap -Y pmtud.icmp.mtu -T fields -e frame.number -e pmtud.icmp.quoted_frame -e pmtud.icmp.quoted_len -e pmtud.icmp.wire_len -e pmtud.icmp.mtu -e pmtud.icmp.covered_frame -e pmtud.icmp.verdict"
echo
printf 'icmp\tquoted\tqlen\twire\tmtu\tcovered\tverdict\n'
run -r "$f" -Y pmtud.icmp.mtu -T fields -e frame.number -e pmtud.icmp.quoted_frame \
    -e pmtud.icmp.quoted_len -e pmtud.icmp.wire_len -e pmtud.icmp.mtu \
    -e pmtud.icmp.covered_frame -e pmtud.icmp.verdict
echo
echo "== The first ICMP in detail, with what the sender did next (tshark -2 -r seed_dnat_tso.pcap -Y frame.number==7 -O pmtud):"
run -2 -r "$f" -Y 'frame.number == 7' -O pmtud | sed -n '/^Path MTU Discovery analysis/,$p'
echo
echo "== Both directions need two passes: the rejected segments link back (tshark -2 -Y pmtud.rejected):"
run -2 -r "$f" -Y pmtud.rejected -T fields -e frame.number -e tcp.len -e pmtud.segment.rejected_in
