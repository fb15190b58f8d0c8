#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# make_netns_vxlan.sh - the seed story for real, through a VXLAN tunnel
# (issue 10, section 1): a tunnel gateway whose underlay veth does GRO merges
# the tunnelled TCP segments, rejects the merged packet at its narrower egress
# and sends its "fragmentation needed" (quoting 2960 bytes) back through the
# tunnel; and, as the control, a legitimate PMTUD event through the same
# tunnel (no GRO: the gateway rejects the real 1500-byte inner packets and
# the sender resends them at 1400).  Captured on the underlay wire, where the
# outer VXLAN packets (the data one way, the tunnelled ICMP the other) are seen.
#
#   netns_vxlan4789_gro.pcap     UDP 4789 (IANA), IPv4 underlay, GRO on
#   netns_vxlan4789_legit.pcap   UDP 4789, IPv4 underlay, GRO off
#   netns_vxlan8472_gro.pcap     UDP 8472 (Linux/flannel default), GRO on
#   netns_vxlan8472_legit.pcap   UDP 8472, GRO off
#   netns_vxlan6_gro.pcap        UDP 4789 over an IPv6 underlay, GRO on
#
# Run on demand only (NOT part of the build or the test suite): the committed
# pcaps are the reference and EXPECTED-vxlan.md describes exactly those
# files (derive_netns_vxlan.py re-derives it).  A re-run gives the same shape;
# timestamps, ports, ISNs and IP IDs differ.
#
# Needs: root, iproute2 (ip netns, veth, vxlan), ethtool, tcpdump, python3.
#
# Topology (private namespaces only, no traffic leaves them):
#
#  [sender] s-a <-> a-s [VTEP A] a-u <=underlay=> b-u [VTEP B, gw] b-r <-> r-b [receiver]
#  10.74.1.2    10.74.1.1       192.0.2.1      192.0.2.2       10.74.2.1    10.74.2.2
#  MTU 1500                     2001:db8:74::1 2001:db8:74::2  MTU 1400
#                  vx0 10.74.9.1/30 ====VXLAN VNI 74==== vx0 10.74.9.2/30
#                                ^ capture (A's underlay veth a-u)
#
# The tunnel devices keep MTU 1500, so the underlay carries 1550-byte
# (IPv4) or 1570-byte (IPv6) packets: the underlay veths have MTU 1550/1570,
# as a cloud underlay with jumbo frames would.  The inner packets are the
# sender's 1500-byte segments, so a merged pair is quoted as 2 x 1460 + 40.
#
# Why each offload: sender s-a tx off (valid checksums), tso off + gso on
# (wire-sized segments leave the sender); A does no GRO (veth default), so
# it encapsulates each segment on its own; B's underlay veth b-u has GRO on
# (the *_gro captures): the UDP tunnel GRO merges back-to-back VXLAN packets
# of one inner flow and hands the merged inner packet to the router, which
# finds it too big for b-r (MTU 1400) and quotes its merged header.  The
# capture is taken at A (transmit tap: after any segmentation; receive tap:
# B's ICMP as it arrives), never at B (a receive tap runs after GRO).
#
# Usage: make_netns_vxlan.sh [OUTPUT_DIR]   (default: the script's folder)

# The namespace, veth, address, neighbour, capture and cleanup set-up is
# shared with the other make_netns_*.sh scripts: netns_lib.sh (sourced).

set -euo pipefail

OUT=${1:-$(cd "$(dirname "$0")" && pwd)}
. "$(dirname "$0")/netns_lib.sh"
netns_init pmtudvx "ethtool tcpdump"

S4=10.74.1.2; AS4=10.74.1.1; BR4=10.74.2.1; R4=10.74.2.2
AT4=10.74.9.1; BT4=10.74.9.2                  # the overlay (tunnel) link
AU4=192.0.2.1; BU4=192.0.2.2                  # the underlay
AU6=2001:db8:74::1; BU6=2001:db8:74::2
MAC_S=02:00:00:74:01:02; MAC_AS=02:00:00:74:01:01
MAC_AU=02:00:00:74:00:01; MAC_BU=02:00:00:74:00:02
MAC_AT=02:00:00:74:09:01; MAC_BT=02:00:00:74:09:02
MAC_BR=02:00:00:74:02:01; MAC_R=02:00:00:74:02:02
VNI=74
PORT=5004
EGRESS_MTU=1400
NBYTES=30000       # small: the pcaps stay ~50 KB

in_s() { inns sender "$@"; }
in_a() { inns vtepa "$@"; }
in_b() { inns vtepb "$@"; }
in_r() { inns receiver "$@"; }

# setup UDP_PORT UNDERLAY(4|6) GRO(on|off)
setup() {
	local port=$1 ul=$2 gro=$3 la lb ulmtu
	if [ "$ul" = 6 ]; then la=$AU6; lb=$BU6; ulmtu=1570
	else la=$AU4; lb=$BU4; ulmtu=1550; fi
	netns_cleanup
	netns_add v6quiet sender vtepa vtepb receiver
	veth sender s-a $MAC_S vtepa a-s $MAC_AS
	veth vtepa a-u $MAC_AU vtepb b-u $MAC_BU
	veth vtepb b-r $MAC_BR receiver r-b $MAC_R

	# --- sender ----------------------------------------------------------
	in_s ethtool -K s-a tx off >/dev/null
	in_s ethtool -K s-a tso off gso on >/dev/null
	in_s ip link set s-a mtu 1500 up
	addr sender s-a $S4/24
	in_s ip route add default via $AS4 dev s-a initcwnd 4
	in_s sysctl -qw net.ipv4.tcp_timestamps=0      # full segments: 1460 B
	in_s sysctl -qw net.ipv4.ip_no_pmtu_disc=0     # DF on, PMTUD on
	in_s sysctl -qw net.ipv4.tcp_no_metrics_save=1
	in_s sysctl -qw net.ipv4.tcp_early_retrans=0   # no tail loss probe

	# --- the two tunnel endpoints ----------------------------------------
	for v in a b; do
		local r u l rem tmac ta
		if [ $v = a ]; then r=vtepa u=a-u l=$la rem=$lb tmac=$MAC_AT ta=$AT4
		else r=vtepb u=b-u l=$lb rem=$la tmac=$MAC_BT ta=$BT4; fi
		inns $r sysctl -qw net.ipv4.ip_forward=1
		inns $r sysctl -qw net.ipv4.icmp_ratelimit=0
		inns $r ethtool -K $u tx off >/dev/null
		inns $r ip link set $u mtu $ulmtu up
		addr $r $u "$l/$([ "$ul" = 6 ] && echo 64 || echo 24)"
		inns $r ip link add vx0 address $tmac type vxlan id $VNI \
			dstport "$port" local "$l" remote "$rem" dev $u
		# The overlay is IPv4 only: no MLD reports through the tunnel.
		inns $r sysctl -qw net.ipv6.conf.vx0.disable_ipv6=1
		# The VXLAN device's own GRO (gro_cells, after decapsulation) is
		# off, so the only merging is the underlay veth's UDP tunnel GRO.
		inns $r ethtool -K vx0 gro off >/dev/null
		inns $r ip link set vx0 mtu 1500 up
		addr $r vx0 $ta/30
	done
	in_a ip link set a-s mtu 1500 up
	addr vtepa a-s $AS4/24
	in_a ip route add 10.74.2.0/24 via $BT4 dev vx0
	in_b ethtool -K b-u gro "$gro" >/dev/null
	in_b ip link set b-r mtu $EGRESS_MTU up     # the narrow hop
	in_b ethtool -K b-r tx off >/dev/null
	addr vtepb b-r $BR4/24
	in_b ip route add 10.74.1.0/24 via $AT4 dev vx0

	# --- receiver --------------------------------------------------------
	in_r ethtool -K r-b tx off >/dev/null
	in_r ip link set r-b mtu 1500 up             # announces MSS 1460
	addr receiver r-b $R4/24
	in_r ip route add default via $BR4 dev r-b

	neigh sender s-a $AS4 $MAC_AS
	neigh vtepa a-s $S4 $MAC_S
	neigh vtepa a-u "$lb" $MAC_BU
	neigh vtepb b-u "$la" $MAC_AU
	neigh vtepa vx0 $BT4 $MAC_BT
	neigh vtepb vx0 $AT4 $MAC_AT
	neigh vtepb b-r $R4 $MAC_R
	neigh receiver r-b $BR4 $MAC_BR
	sleep 0.2
	echo "   vxlan: $(in_a ip -d link show vx0 | grep -o 'vxlan id .* dstport [0-9]*')"
	echo "   B vx0: $(offloads vtepb vx0)"
	echo "   B b-u: $(offloads vtepb b-u) mtu $(in_b cat /sys/class/net/b-u/mtu);" \
		"b-r mtu $(in_b cat /sys/class/net/b-r/mtu)"
}

# run FILE UDP_PORT UNDERLAY GRO
run() {
	local file=$1 port=$2
	echo "== $(basename "$file"): VXLAN port $port, IPv$3 underlay, GRO $4 on the gateway's underlay veth"
	setup "$port" "$3" "$4"
	capture_start vtepa a-u "$file" "udp port $port"
	bulk_tcp sender receiver $S4 $PORT $NBYTES
	capture_stop
}

mkdir -p "$OUT"
echo "kernel: $(uname -r)"
run "$OUT/netns_vxlan4789_gro.pcap" 4789 4 on
run "$OUT/netns_vxlan4789_legit.pcap" 4789 4 off
run "$OUT/netns_vxlan8472_gro.pcap" 8472 4 on
run "$OUT/netns_vxlan8472_legit.pcap" 8472 4 off
run "$OUT/netns_vxlan6_gro.pcap" 4789 6 on
netns_cleanup
ls -l "$OUT"/netns_vxlan*.pcap
