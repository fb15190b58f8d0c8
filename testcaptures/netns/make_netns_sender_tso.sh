#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# make_netns_sender_tso.sh - the most common capture of all (issue 10,
# section 4): tcpdump on the sender's own host, with TSO on, so the frames are
# taken before the "NIC" splits them; a router beyond the NIC has a 1400-byte
# egress and answers each real 1500-byte wire segment with a real
# frag-needed / Packet Too Big.  The ICMP quotes a 1500-byte packet whose
# sequence number lies inside a captured ~4420-byte super-frame.
#
#   netns_sender_tso_tcp4.pcap   IPv4
#   netns_sender_tso_tcp6.pcap   IPv6
#
# Run on demand only (NOT part of the build or the test suite): the committed
# pcaps are the reference and EXPECTED-sender-tso.md describes exactly those
# files (derive_netns_offload.py re-derives it).  A re-run gives the same
# shape; timestamps, ports, ISNs and IP IDs differ.
#
# Needs: root, iproute2 (ip netns, veth, bridge), ethtool, tcpdump, python3.
#
# Topology (private namespaces only, no traffic leaves them):
#
#  [sender] s-n <-> n-s [nic: bridge br0] n-r <-> r-n [router] r-c <-> c-r [receiver]
#  10.75.1.2        (no addresses)                 10.75.1.1   10.75.2.1    10.75.2.2
#  2001:db8:75:1::2                                 ..:1::1     ..:2::1      ..:2::2
#  TSO on, MTU 1500 ^ capture      TSO off            MAC 52:54:00:75:01:01  MTU 1400
#
# Why the "nic" namespace: a veth hands a TSO super-packet to its peer
# whole, so a router right behind the sender's veth would see (and quote) the
# super-packet itself: that is the GRO story of make_netns_captures.sh, not
# this one.  Here the sender's veth s-n has TSO on (its tap shows the
# super-frames, as tcpdump on a server does), and a bridge forwards them out
# of n-r, which has TSO off, so the kernel's GSO cuts them into 1500-byte
# frames there, as the NIC would: the router gets real wire segments.
# gso_max_segs 3 on s-n caps a super-frame at 3 segments (4420 bytes, IPv4).
# The sender's TSO needs checksum offload, so the super-frames in the pcap
# carry partial (pseudo-header) TCP checksums, as in any capture on a
# sending host; the ACKs and ICMPs have valid ones.
#
# The router's sender-facing interface r-n has a KVM/QEMU virtio MAC
# (52:54:00:...), the source MAC of every ICMP in these captures; all other
# MACs are locally administered (02:...).
#
# Usage: make_netns_sender_tso.sh [OUTPUT_DIR]   (default: the script's folder)

# The namespace, veth, address, neighbour, capture and cleanup set-up is
# shared with the other make_netns_*.sh scripts: netns_lib.sh (sourced).

set -euo pipefail

OUT=${1:-$(cd "$(dirname "$0")" && pwd)}
. "$(dirname "$0")/netns_lib.sh"
netns_init pmtudtso "ethtool tcpdump"

S4=10.75.1.2; RS4=10.75.1.1; RC4=10.75.2.1; C4=10.75.2.2
S6=2001:db8:75:1::2; RS6=2001:db8:75:1::1; RC6=2001:db8:75:2::1; C6=2001:db8:75:2::2
MAC_S=02:00:00:75:01:02; MAC_NS=02:00:00:75:00:01; MAC_NR=02:00:00:75:00:02
MAC_RS=52:54:00:75:01:01                       # KVM/QEMU virtio
MAC_RC=02:00:00:75:02:01; MAC_C=02:00:00:75:02:02
PORT=5005
EGRESS_MTU=1400
NBYTES=30000

in_s() { inns sender "$@"; }
in_n() { inns nic "$@"; }
in_r() { inns router "$@"; }
in_c() { inns receiver "$@"; }

setup() {
	netns_cleanup
	netns_add v6quiet sender nic router receiver
	veth sender s-n $MAC_S nic n-s $MAC_NS
	veth nic n-r $MAC_NR router r-n $MAC_RS
	veth router r-c $MAC_RC receiver c-r $MAC_C

	# --- sender: TSO on, super-frames of at most 3 segments ---------------
	in_s ethtool -K s-n tx on tso on gso on >/dev/null
	in_s ip link set s-n gso_max_segs 3
	in_s ip link set s-n mtu 1500 up
	addr sender s-n $S4/24 $S6/64
	in_s ip route add default via $RS4 dev s-n initcwnd 6
	in_s ip -6 route add default via $RS6 dev s-n initcwnd 6
	in_s sysctl -qw net.ipv4.tcp_timestamps=0      # full segments: 1460 B
	in_s sysctl -qw net.ipv4.ip_no_pmtu_disc=0     # DF on, PMTUD on
	in_s sysctl -qw net.ipv4.tcp_no_metrics_save=1
	in_s sysctl -qw net.ipv4.tcp_early_retrans=0   # no tail loss probe

	# --- the NIC: a bridge whose wire side cannot do TSO ------------------
	in_n ip link add br0 type bridge
	in_n ip link set n-s master br0
	in_n ip link set n-r master br0
	in_n ethtool -K n-r tx off tso off gso on >/dev/null
	in_n ip link set n-s mtu 1500 up
	in_n ip link set n-r mtu 1500 up
	in_n ip link set br0 up

	# --- router ------------------------------------------------------------
	in_r sysctl -qw net.ipv4.ip_forward=1
	in_r sysctl -qw net.ipv6.conf.all.forwarding=1
	in_r sysctl -qw net.ipv4.icmp_ratelimit=0
	in_r sysctl -qw net.ipv6.icmp.ratelimit=0
	in_r ethtool -K r-n tx off >/dev/null          # valid ICMP checksums
	in_r ip link set r-n mtu 1500 up               # GRO off (veth default)
	in_r ip link set r-c mtu $EGRESS_MTU up        # the narrow hop
	addr router r-n $RS4/24 $RS6/64
	addr router r-c $RC4/24 $RC6/64

	# --- receiver ----------------------------------------------------------
	in_c ethtool -K c-r tx off >/dev/null
	in_c ip link set c-r mtu 1500 up               # announces MSS 1460/1440
	addr receiver c-r $C4/24 $C6/64
	in_c ip route add default via $RC4 dev c-r
	in_c ip -6 route add default via $RC6 dev c-r

	neigh sender s-n $RS4 $MAC_RS
	neigh sender s-n $RS6 $MAC_RS
	neigh router r-n $S4 $MAC_S
	neigh router r-n $S6 $MAC_S
	neigh router r-c $C4 $MAC_C
	neigh router r-c $C6 $MAC_C
	neigh receiver c-r $RC4 $MAC_RC
	neigh receiver c-r $RC6 $MAC_RC
	sleep 0.2
	echo "   sender s-n: $(offloads sender s-n)" \
		"$(in_s ip -d link show s-n | grep -o 'gso_max_segs [0-9]*')"
	echo "   nic n-r: $(offloads nic n-r)"
	echo "   router r-c mtu $(in_r cat /sys/class/net/r-c/mtu)"
}

# run FAMILY(4|6) FILE
run() {
	local fam=$1 file=$2 saddr filter
	if [ "$fam" = 6 ]; then saddr=$S6; filter="tcp or icmp6"
	else saddr=$S4; filter="tcp or icmp"; fi
	echo "== $(basename "$file"): sender TSO on, router egress MTU $EGRESS_MTU, IPv$fam"
	setup
	capture_start sender s-n "$file" "$filter"
	bulk_tcp sender receiver "$saddr" $PORT $NBYTES
	capture_stop
}

mkdir -p "$OUT"
echo "kernel: $(uname -r)"
run 4 "$OUT/netns_sender_tso_tcp4.pcap"
run 6 "$OUT/netns_sender_tso_tcp6.pcap"
netns_cleanup
ls -l "$OUT"/netns_sender_tso_*.pcap
