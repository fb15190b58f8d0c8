#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# make_netns_captures.sh - regenerate the pmtud test captures in
# testcaptures/netns/ with the real Linux kernel in network namespaces.
#
# Run on demand only (it is NOT part of the build or the test suite): the
# committed pcap files are the reference, and EXPECTED.md describes exactly
# those files.  A re-run produces captures with the same shape, but frame
# numbers, IP IDs, ports and sequence numbers will differ, so EXPECTED.md
# must be re-derived (with tshark) if the pcaps are replaced.
#
# Needs: root, iproute2 (ip netns, veth), ethtool, tcpdump, python3.
#   apt-get install -y iproute2 ethtool tcpdump python3
#
# Topology (all inside private namespaces, nothing touches the host's own
# interfaces or addresses, no traffic leaves the namespaces):
#
#   [server] s-gw <--veth--> gw-s [gw] gw-c <--veth--> c-gw [client]
#   10.71.1.2/24        10.71.1.1/24    10.71.2.1/24       10.71.2.2/24
#   2001:db8:71:1::2/64 ..:1::1/64      ..:2::1/64         2001:db8:71:2::2/64
#
# The capture is taken on the server's veth (s-gw), i.e. on the wire between
# server and gateway, as the server sends it: the server's GSO has already cut
# the data into MTU-sized frames there.  Capturing on the gateway's gw-s would
# be wrong for this purpose: packet taps on receive run after GRO, so they
# would show the merged super-packets, which never existed on a wire.
#
# Usage: make_netns_captures.sh [OUTPUT_DIR]   (default: the script's folder)

# The namespace, veth, address, neighbour, capture and cleanup set-up is
# shared with the other make_netns_*.sh scripts: netns_lib.sh (sourced).

set -euo pipefail

OUT=${1:-$(cd "$(dirname "$0")" && pwd)}
. "$(dirname "$0")/netns_lib.sh"
netns_init pmtud "ethtool tcpdump"

S4=10.71.1.2; G4S=10.71.1.1; G4C=10.71.2.1; C4=10.71.2.2
S6=2001:db8:71:1::2; G6S=2001:db8:71:1::1; G6C=2001:db8:71:2::1; C6=2001:db8:71:2::2
# Locally administered MACs (02:...), fixed so the pcaps are reproducible.
MAC_S=02:00:00:71:01:02; MAC_GS=02:00:00:71:01:01
MAC_GC=02:00:00:71:02:01; MAC_C=02:00:00:71:02:02
PORT=5001
NBYTES=100000      # ~100 KB keeps each pcap well under 1 MB

in_s() { inns server "$@"; }
in_g() { inns gw "$@"; }
in_c() { inns client "$@"; }

# setup GW_GRO UDP_GRO_FWD EGRESS_MTU
setup() {
	local gw_gro=$1 udp_fwd=$2 egress_mtu=$3
	netns_cleanup
	netns_add v6quiet server gw client
	veth server s-gw $MAC_S gw gw-s $MAC_GS
	veth gw gw-c $MAC_GC client c-gw $MAC_C

	# --- server ---------------------------------------------------------
	# tso off + gso on: the TCP stack still builds large skbs, but they are
	# cut into 1500-byte frames in software *before* the veth (and before
	# the packet tap), so the wire carries back-to-back MTU-sized frames
	# that the gateway can coalesce again with GRO.
	# tx-udp-segmentation off: same for UDP_SEGMENT sends (otherwise the
	# veth would accept the whole UDP GSO skb and pass it on unsplit).
	# tx (checksum offload) off: checksums are computed in software, so
	# the frames in the pcap carry valid TCP/UDP checksums instead of the
	# partial pseudo-header sums of CHECKSUM_PARTIAL.
	in_s ethtool -K s-gw tx off >/dev/null
	in_s ethtool -K s-gw tso off gso on >/dev/null
	in_s ethtool -K s-gw tx-udp-segmentation off >/dev/null
	in_s ip link set s-gw mtu 1500 up
	addr server s-gw $S4/24 $S6/64
	# initcwnd 4: the first flight is 4 segments sent back to back, so
	# the gateway sees pairs it can merge before any ACK clocking.
	in_s ip route add default via $G4S dev s-gw initcwnd 4
	in_s ip -6 route add default via $G6S dev s-gw initcwnd 4
	# No TCP timestamps: MSS-sized segments carry exactly 1460 bytes
	# (IPv4) / 1440 bytes (IPv6), so a merged pair is 2 x 1460 + 40.
	in_s sysctl -qw net.ipv4.tcp_timestamps=0
	# PMTU discovery must be on (it is the default) so that TCP sets DF
	# and reacts to the ICMP.
	in_s sysctl -qw net.ipv4.ip_no_pmtu_disc=0
	# Do not let a cached metric from an earlier flow skew things.
	in_s sysctl -qw net.ipv4.tcp_no_metrics_save=1

	# --- gateway --------------------------------------------------------
	in_g sysctl -qw net.ipv4.ip_forward=1
	in_g sysctl -qw net.ipv6.conf.all.forwarding=1
	# Every oversized packet gets its own ICMP (no per-host rate limit).
	in_g sysctl -qw net.ipv4.icmp_ratelimit=0
	in_g sysctl -qw net.ipv6.icmp.ratelimit=0
	in_g ip link set gw-s mtu 1500 up
	# The reduced-MTU hop: the gateway's client-facing egress.
	in_g ip link set gw-c mtu "$egress_mtu" up
	addr gw gw-s $G4S/24 $G6S/64
	addr gw gw-c $G4C/24 $G6C/64
	# GRO on the server-facing veth: this is the offload that merges the
	# server's back-to-back segments into one super-packet, which is then
	# too big for gw-c and gets an ICMP quoting the *merged* header.
	in_g ethtool -K gw-s gro "$gw_gro" >/dev/null
	if [ "$udp_fwd" = on ]; then
		# UDP GRO for forwarded traffic is a separate knob.
		in_g ethtool -K gw-s rx-udp-gro-forwarding on >/dev/null
	fi

	# --- client ---------------------------------------------------------
	# The client keeps MTU 1500, so its SYN advertises MSS 1460 (1440 for
	# IPv6) and only the gateway's egress is narrow.
	in_c ethtool -K c-gw tx off >/dev/null   # valid checksums on the ACKs
	in_c ip link set c-gw mtu 1500 up
	addr client c-gw $C4/24 $C6/64
	in_c ip route add default via $G4C dev c-gw
	in_c ip -6 route add default via $G6C dev c-gw

	# Fixed MACs and permanent neighbour entries: reproducible link-layer
	# headers, and no ARP/ND exchange delays or interleaves with the data.
	neigh server s-gw $G4S $MAC_GS
	neigh server s-gw $G6S $MAC_GS
	neigh gw gw-s $S4 $MAC_S
	neigh gw gw-s $S6 $MAC_S
	neigh gw gw-c $C4 $MAC_C
	neigh gw gw-c $C6 $MAC_C
	neigh client c-gw $G4C $MAC_GC
	neigh client c-gw $G6C $MAC_GC
	sleep 0.2

	# Record the offload state that matters, for the log.
	echo "   server s-gw: $(offloads server s-gw)"
	echo "   gw gw-s: $(offloads gw gw-s)"
	echo "   gw gw-c mtu: $(in_g cat /sys/class/net/gw-c/mtu)"
}

# UDP GSO sender: one sendmsg of NSEG x 1472-byte segments with UDP_SEGMENT
# and DF (IP_PMTUDISC_DO).  After the gateway's ICMP has lowered the path
# MTU, it sends the same data again with segments that fit (a well-behaved
# application reacting to EMSGSIZE).
UDP_SERVER='
import socket, sys, time, errno
dst, port, nseg = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
SOL_UDP, UDP_SEGMENT = 17, 103
IP_MTU_DISCOVER, IP_PMTUDISC_DO, IP_MTU = 10, 2, 14
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, IP_MTU_DISCOVER, IP_PMTUDISC_DO)
s.connect((dst, port))
seg = 1472                       # 1472 + 8 + 20 = 1500 = link MTU
data = bytes(i % 251 for i in range(seg * nseg))
s.setsockopt(SOL_UDP, UDP_SEGMENT, seg)
print("sent", s.send(data), "bytes as", nseg, "x", seg)
time.sleep(1.0)                  # the ICMP arrives and lowers the PMTU
for _ in range(3):
    mtu = s.getsockopt(socket.IPPROTO_IP, IP_MTU)
    seg = mtu - 28
    s.setsockopt(SOL_UDP, UDP_SEGMENT, seg)
    try:
        print("resent", s.send(data), "bytes in segments of", seg)
        break
    except OSError as e:
        print("send:", e)
        time.sleep(0.2)
'
UDP_CLIENT='
import socket, sys
addr, port, t = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((addr, port)); s.settimeout(t)
n = 0
try:
    while True:
        n += len(s.recv(65536))
except socket.timeout:
    pass
print("client received", n, "bytes")
'

# tcp_run FAMILY(4|6) FILE
tcp_run() {
	local fam=$1 file=$2 saddr filter
	# Only the flow and ICMP (keeps out any stray MLD/ND housekeeping).
	if [ "$fam" = 6 ]; then saddr=$S6; filter="tcp or icmp6"
	else saddr=$S4; filter="tcp or icmp"; fi
	capture_start server s-gw "$file" "$filter"
	bulk_tcp server client "$saddr" $PORT $NBYTES
	capture_stop
}

udp_run() {
	local file=$1
	capture_start server s-gw "$file" "udp or icmp"
	in_c timeout 10 "$PY" -c "$UDP_CLIENT" $C4 $PORT 3 &
	local cli=$!
	sleep 0.3
	in_s timeout 10 "$PY" -c "$UDP_SERVER" $C4 $PORT 4
	wait $cli
	capture_stop
}

mkdir -p "$OUT"
echo "kernel: $(uname -r)"

echo "== netns_gro_tcp4.pcap: gateway GRO on, egress MTU 1400, IPv4 TCP"
setup on off 1400
tcp_run 4 "$OUT/netns_gro_tcp4.pcap"

echo "== netns_gro_tcp6.pcap: gateway GRO on, egress MTU 1400, IPv6 TCP"
setup on off 1400
tcp_run 6 "$OUT/netns_gro_tcp6.pcap"

echo "== netns_gro_udp4.pcap: gateway GRO + UDP GRO forwarding, egress MTU 1400"
setup on on 1400
udp_run "$OUT/netns_gro_udp4.pcap"

echo "== netns_legit_tcp4.pcap: gateway GRO off, egress MTU 1400 (real PMTUD)"
setup off off 1400
tcp_run 4 "$OUT/netns_legit_tcp4.pcap"

echo "== netns_clean_bulk.pcap: gateway GRO on, no MTU reduction, no ICMP"
setup on off 1500
tcp_run 4 "$OUT/netns_clean_bulk.pcap"

netns_cleanup
ls -l "$OUT"/*.pcap
