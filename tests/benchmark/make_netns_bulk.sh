#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# make_netns_bulk.sh - the capture count_instructions.sh --netns measures
# (issue 11 section 7): a real kernel's bulk TCP transfer over a veth pair,
# taken by tcpdump with snaplen 128, sliced to its first N frames (the
# handshake included, so the receiver's MSS is known as in a real capture).
#
#   sender 10.77.0.1 s-r <-> r-s 10.77.0.2 receiver     MTU 1500
#   TSO/GSO off on the sender, GRO off on the receiver: every frame is a wire
#   frame (1514 bytes of data or an ACK), so pmtud has nothing to report on
#   any of them. That is the case the benchmark is about: a frame that is
#   just another TCP segment must cost pmtud almost nothing.
#
# Not committed (20,000 frames of 128 bytes is ~3 MB, and a re-run gives the
# same shape: only ports, ISNs, IP IDs and timestamps differ): made on demand
# in a scratch folder.
#
# Needs: root, iproute2, ethtool, tcpdump, editcap, python3.
# Usage: make_netns_bulk.sh OUT.pcap [FRAMES]     (default 20000)

set -euo pipefail

OUT=${1:?usage: make_netns_bulk.sh OUT.pcap [FRAMES]}
FRAMES=${2:-20000}
NBYTES=$((FRAMES * 1460))          # about twice what FRAMES needs (ACKs count too)
PORT=5201
SNAPLEN=128
. "$(dirname "$0")/../../testcaptures/netns/netns_lib.sh"
netns_init pmtudbench "ethtool tcpdump editcap"
netns_tmpdir

netns_add v4only sender receiver
veth sender s-r 02:00:00:77:00:01 receiver r-s 02:00:00:77:00:02
inns sender ethtool -K s-r tso off gso off gro off >/dev/null
inns receiver ethtool -K r-s tso off gso off gro off >/dev/null
inns sender ip link set s-r mtu 1500 up
inns receiver ip link set r-s mtu 1500 up
addr sender s-r 10.77.0.1/24
addr receiver r-s 10.77.0.2/24
neigh sender s-r 10.77.0.2 02:00:00:77:00:02
neigh receiver r-s 10.77.0.1 02:00:00:77:00:01
inns sender sysctl -qw net.ipv4.tcp_timestamps=0       # full 1460-byte segments
echo "sender s-r: $(offloads sender s-r)" >&2

# -B: a large buffer, so tcpdump keeps up with the transfer.
capture_start receiver r-s "$NETNS_TMPD/bulk.pcap" tcp -s $SNAPLEN -B 65536
bulk_tcp sender receiver 10.77.0.1 $PORT $NBYTES >&2
capture_stop

editcap -F pcap -r "$NETNS_TMPD/bulk.pcap" "$OUT" "1-$FRAMES"
chmod 644 "$OUT"
got=$(capinfos -c -M "$OUT" | sed -n 's/^Number of packets: *//p')
[ "$got" = "$FRAMES" ] || { echo "make_netns_bulk.sh: only $got frames captured" >&2; exit 1; }
echo "$OUT: $got frames, snaplen $SNAPLEN, a real kernel's bulk TCP over veth" >&2
