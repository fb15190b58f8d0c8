#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# make_netns_bigtcp.sh - Linux BIG TCP as tcpdump records it on the sender
# (issue 10, section 6): TSO super-frames larger than 64 KB, whose IP length
# field cannot hold their length.  IPv6: payload length 0 (the kernel of the
# day decides whether a Hop-by-Hop jumbo option is there: EXPECTED-bigtcp.md
# says which); IPv4: total length 0.
#
#   netns_bigtcp_tcp6.pcap   IPv6, gso_max_size/gro_max_size 185000
#   netns_bigtcp_tcp4.pcap   IPv4, gso_ipv4_max_size/gro_ipv4_max_size 185000
#
# Run on demand only (NOT part of the build or the test suite): the committed
# pcaps are the reference and EXPECTED-bigtcp.md describes exactly those
# files (derive_netns_offload.py re-derives it).  A re-run gives the same
# kind of file, but how many super-frames exceed 64 KB, and which, differ.
#
# Needs: root, iproute2 (ip netns, veth), ethtool, tcpdump, python3.
# iproute2 before 6.3 cannot set gso_ipv4_max_size: this script sets the
# IPv4 twins with a few lines of rtnetlink (IFLA_GSO_IPV4_MAX_SIZE 63,
# IFLA_GRO_IPV4_MAX_SIZE 64, kernel 6.3+).
#
# Topology (private namespaces only, no traffic leaves them):
#
#   [sender] s-r <--veth--> r-s [receiver]
#   10.76.1.2/24            10.76.1.1/24
#   2001:db8:76::2/64       2001:db8:76::1/64
#   TSO on, MTU 1500        GRO on
#   ^ capture, snaplen 256 (headers only: the pcaps stay small)
#
# Usage: make_netns_bigtcp.sh [OUTPUT_DIR]   (default: the script's folder)

# The namespace, veth, address, neighbour, capture and cleanup set-up is
# shared with the other make_netns_*.sh scripts: netns_lib.sh (sourced).

set -euo pipefail

OUT=${1:-$(cd "$(dirname "$0")" && pwd)}
. "$(dirname "$0")/netns_lib.sh"
netns_init pmtudbig "ethtool tcpdump"

S4=10.76.1.2; R4=10.76.1.1
S6=2001:db8:76::2; R6=2001:db8:76::1
MAC_S=02:00:00:76:01:02; MAC_R=02:00:00:76:01:01
PORT=5006
BIG=185000
NBYTES=4000000     # 4 MB: enough for the window to open past 64 KB
SNAPLEN=256

in_s() { inns sender "$@"; }
in_r() { inns receiver "$@"; }

# set_ipv4_max IFACE SIZE: gso_ipv4_max_size and gro_ipv4_max_size.
SET_IPV4_MAX='
import socket, struct, sys
ifname, size = sys.argv[1], int(sys.argv[2])
RTM_NEWLINK, NLM_F_REQUEST, NLM_F_ACK = 16, 1, 4
IFLA_GSO_IPV4_MAX_SIZE, IFLA_GRO_IPV4_MAX_SIZE = 63, 64
attrs = b"".join(struct.pack("=HHI", 8, t, size)
                 for t in (IFLA_GSO_IPV4_MAX_SIZE, IFLA_GRO_IPV4_MAX_SIZE))
body = struct.pack("=BxHiII", socket.AF_UNSPEC, 0, socket.if_nametoindex(ifname), 0, 0) + attrs
msg = struct.pack("=IHHII", 16 + len(body), RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK, 1, 0) + body
s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)
s.send(msg)
err = struct.unpack("=i", s.recv(4096)[16:20])[0]
if err:
    sys.exit("rtnetlink: %s" % socket.errno.errorcode.get(-err, err))
'

setup() {
	netns_cleanup
	netns_add v6quiet sender receiver
	veth sender s-r $MAC_S receiver r-s $MAC_R
	in_s ethtool -K s-r tx on tso on gso on >/dev/null
	in_s ip link set s-r gso_max_size $BIG gro_max_size $BIG
	in_s "$PY" -c "$SET_IPV4_MAX" s-r $BIG
	in_s ip link set s-r mtu 1500 up
	addr sender s-r $S4/24 $S6/64
	in_s sysctl -qw net.ipv4.tcp_timestamps=0
	in_r ethtool -K r-s tx off gro on >/dev/null    # valid ACK checksums
	in_r ip link set r-s gso_max_size $BIG gro_max_size $BIG
	in_r "$PY" -c "$SET_IPV4_MAX" r-s $BIG
	in_r ip link set r-s mtu 1500 up
	addr receiver r-s $R4/24 $R6/64
	neigh sender s-r $R4 $MAC_R
	neigh sender s-r $R6 $MAC_R
	neigh receiver r-s $S4 $MAC_S
	neigh receiver r-s $S6 $MAC_S
	sleep 0.2
	echo "   sender s-r: $(offloads sender s-r)" \
		"$(in_s ip -d link show s-r | grep -o 'gso_max_size [0-9]*.*gro_max_size [0-9]*')"
}

# run FAMILY(4|6) FILE
run() {
	local fam=$1 file=$2 saddr
	if [ "$fam" = 6 ]; then saddr=$S6; else saddr=$S4; fi
	echo "== $(basename "$file"): BIG TCP, IPv$fam, max sizes $BIG"
	setup
	# Not "tcp": libpcap's tcp filter looks for IPv6 next header 6 and
	# would miss a jumbogram whose next header is a Hop-by-Hop option.
	capture_start sender s-r "$file" "ip or ip6" -s $SNAPLEN
	bulk_tcp sender receiver "$saddr" $PORT $NBYTES
	capture_stop
}

mkdir -p "$OUT"
echo "kernel: $(uname -r)"
run 6 "$OUT/netns_bigtcp_tcp6.pcap"
run 4 "$OUT/netns_bigtcp_tcp4.pcap"
netns_cleanup
ls -l "$OUT"/netns_bigtcp_*.pcap
