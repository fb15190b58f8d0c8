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

set -euo pipefail

OUT=${1:-$(cd "$(dirname "$0")" && pwd)}
PY=${PYTHON:-/usr/bin/python3}
[ -x "$PY" ] || PY=$(command -v python3)

if [ "$(id -u)" != 0 ]; then
	echo "must run as root (network namespaces, ethtool)" >&2
	exit 1
fi
for t in ip ethtool tcpdump timeout "$PY"; do
	command -v "$t" >/dev/null || { echo "missing tool: $t" >&2; exit 1; }
done

# Namespace names carry our PID so that a concurrent or crashed earlier run
# cannot collide with this one, and the trap deletes only what we created.
NS_S="pmtud$$-server"
NS_G="pmtud$$-gw"
NS_C="pmtud$$-client"
CAP_PID=""

S4=10.71.1.2; G4S=10.71.1.1; G4C=10.71.2.1; C4=10.71.2.2
S6=2001:db8:71:1::2; G6S=2001:db8:71:1::1; G6C=2001:db8:71:2::1; C6=2001:db8:71:2::2
# Locally administered MACs (02:...), fixed so the pcaps are reproducible.
MAC_S=02:00:00:71:01:02; MAC_GS=02:00:00:71:01:01
MAC_GC=02:00:00:71:02:01; MAC_C=02:00:00:71:02:02
PORT=5001
NBYTES=100000      # ~100 KB keeps each pcap well under 1 MB

cleanup() {
	if [ -n "$CAP_PID" ]; then
		kill "$CAP_PID" 2>/dev/null || true
		wait "$CAP_PID" 2>/dev/null || true
		CAP_PID=""
	fi
	# Deleting a namespace destroys its veth ends (and so their peers) too.
	for ns in "$NS_S" "$NS_G" "$NS_C"; do
		ip netns del "$ns" 2>/dev/null || true
	done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

in_s() { ip netns exec "$NS_S" "$@"; }
in_g() { ip netns exec "$NS_G" "$@"; }
in_c() { ip netns exec "$NS_C" "$@"; }

# setup GW_GRO UDP_GRO_FWD EGRESS_MTU
setup() {
	local gw_gro=$1 udp_fwd=$2 egress_mtu=$3
	cleanup
	ip netns add "$NS_S"
	ip netns add "$NS_G"
	ip netns add "$NS_C"

	for ns in "$NS_S" "$NS_G" "$NS_C"; do
		ip netns exec "$ns" ip link set lo up
		# No router solicitations / autoconf / MLD chatter in the pcaps.
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.default.accept_ra=0
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.default.autoconf=0
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.default.router_solicitations=0
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.force_mld_version=2
		# No DAD for the link-local addresses either (their neighbour
		# solicitations would otherwise land in the IPv6 capture).
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.default.accept_dad=0
	done

	# Create both veth pairs directly inside the namespaces (never in the
	# host namespace).
	ip link add s-gw netns "$NS_S" address $MAC_S type veth \
		peer name gw-s netns "$NS_G" address $MAC_GS
	ip link add gw-c netns "$NS_G" address $MAC_GC type veth \
		peer name c-gw netns "$NS_C" address $MAC_C

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
	in_s ip addr add $S4/24 dev s-gw
	in_s ip -6 addr add $S6/64 dev s-gw nodad   # nodad: usable at once
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
	in_g ip addr add $G4S/24 dev gw-s
	in_g ip addr add $G4C/24 dev gw-c
	in_g ip -6 addr add $G6S/64 dev gw-s nodad
	in_g ip -6 addr add $G6C/64 dev gw-c nodad
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
	in_c ip addr add $C4/24 dev c-gw
	in_c ip -6 addr add $C6/64 dev c-gw nodad
	in_c ip route add default via $G4C dev c-gw
	in_c ip -6 route add default via $G6C dev c-gw

	# Fixed MACs and permanent neighbour entries: reproducible link-layer
	# headers, and no ARP/ND exchange delays or interleaves with the data.
	in_s ip neigh replace $G4S lladdr $MAC_GS dev s-gw nud permanent
	in_s ip -6 neigh replace $G6S lladdr $MAC_GS dev s-gw nud permanent
	in_g ip neigh replace $S4 lladdr $MAC_S dev gw-s nud permanent
	in_g ip -6 neigh replace $S6 lladdr $MAC_S dev gw-s nud permanent
	in_g ip neigh replace $C4 lladdr $MAC_C dev gw-c nud permanent
	in_g ip -6 neigh replace $C6 lladdr $MAC_C dev gw-c nud permanent
	in_c ip neigh replace $G4C lladdr $MAC_GC dev c-gw nud permanent
	in_c ip -6 neigh replace $G6C lladdr $MAC_GC dev c-gw nud permanent
	sleep 0.2

	# Record the offload state that matters, for the log.
	echo "   server s-gw: $(in_s ethtool -k s-gw | grep -E '^(tx-checksumming|tcp-segmentation-offload|generic-segmentation-offload|tx-udp-segmentation):' | tr -s ' \t\n' ' ')"
	echo "   gw gw-s: $(in_g ethtool -k gw-s | grep -E '^(generic-receive-offload|rx-udp-gro-forwarding):' | tr -s ' \t\n' ' ')"
	echo "   gw gw-c mtu: $(in_g cat /sys/class/net/gw-c/mtu)"
}

# start_capture FILE FILTER
start_capture() {
	local file=$1 filter=$2
	rm -f "$file"
	# Full snaplen, classic pcap, packet-buffered; timeout is a safety net.
	# -Z root: tcpdump must not drop privileges, or it could not write here.
	# Started without a wrapper function so that $! is the pid of timeout
	# itself (ip netns exec execs it), which forwards our SIGINT.
	ip netns exec "$NS_S" timeout 60 \
		tcpdump -i s-gw -s 0 -U -n -Z root -w "$file" "$filter" \
		2>"$file.log" &
	CAP_PID=$!
	for _ in $(seq 50); do
		grep -q 'listening on' "$file.log" 2>/dev/null && break
		sleep 0.1
	done
	sleep 0.3
}

stop_capture() {
	sleep 1          # let trailing ACKs/FINs in
	kill -INT "$CAP_PID" 2>/dev/null || true
	wait "$CAP_PID" 2>/dev/null || true
	CAP_PID=""
	cat "${1}.log" >&2 || true
	rm -f "${1}.log"
}

# Bulk TCP sender: sends NBYTES of a position-dependent pattern (byte i is
# i mod 251), so a quoted payload can be matched to the stream offset.
TCP_SERVER='
import socket, sys
addr, port, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
s = socket.socket(fam, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((addr, port)); s.listen(1); s.settimeout(20)
c, _ = s.accept(); c.settimeout(20)
c.sendall(bytes(i % 251 for i in range(n)))
c.shutdown(socket.SHUT_WR)
while c.recv(65536):
    pass
c.close()
'
TCP_CLIENT='
import socket, sys, time
addr, port = sys.argv[1], int(sys.argv[2])
fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
for _ in range(50):
    try:
        s = socket.create_connection((addr, port), timeout=20); break
    except OSError:
        time.sleep(0.1)
got = 0
while True:
    b = s.recv(65536)
    if not b: break
    got += len(b)
s.close()
print("client received", got, "bytes")
'

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
	start_capture "$file" "$filter"
	in_s timeout 40 "$PY" -c "$TCP_SERVER" "$saddr" $PORT $NBYTES &
	local srv=$!
	sleep 0.3
	in_c timeout 40 "$PY" -c "$TCP_CLIENT" "$saddr" $PORT
	wait $srv
	stop_capture "$file"
}

udp_run() {
	local file=$1
	start_capture "$file" "udp or icmp"
	in_c timeout 10 "$PY" -c "$UDP_CLIENT" $C4 $PORT 3 &
	local cli=$!
	sleep 0.3
	in_s timeout 10 "$PY" -c "$UDP_SERVER" $C4 $PORT 4
	wait $cli
	stop_capture "$file"
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

cleanup
ls -l "$OUT"/*.pcap
