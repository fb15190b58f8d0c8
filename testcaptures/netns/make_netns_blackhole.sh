#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# make_netns_blackhole.sh - regenerate testcaptures/netns/netns_blackhole_tcp4.pcap:
# a real-kernel PMTUD black hole.  A gateway with a 1400-byte egress drops
# every 1500-byte DF packet from the server AND its own ICMP "fragmentation
# needed" (nftables, or iptables), so the server never learns the path MTU.
# The server's full-size segments are retransmitted with exponential backoff,
# without any ACK and without any ICMP, while its small segments get through;
# with net.ipv4.tcp_mtu_probing=1 Linux finally detects the black hole and
# falls back to net.ipv4.tcp_base_mss (1024 by default), and the transfer
# completes.
#
# Run on demand only (NOT part of the build or the test suite): the committed
# pcap is the reference and EXPECTED-blackhole.md describes exactly that file.
# A re-run produces a capture of the same shape, but timestamps, ports,
# sequence numbers, IP IDs (and possibly frame numbers) differ, so
# EXPECTED-blackhole.md must be re-derived with tshark if the pcap is replaced.
#
# Needs: root, iproute2 (ip netns, veth), ethtool, tcpdump, python3, and
# nft (Debian package nftables) or iptables.
#   apt-get install -y iproute2 ethtool tcpdump python3 nftables
#
# Topology (private namespaces only; nothing touches the host's interfaces,
# no traffic leaves the namespaces):
#
#   [server] s-gw <--veth--> gw-s [gw] gw-c <--veth--> c-gw [client]
#   10.72.1.2/24        10.72.1.1/24    10.72.2.1/24       10.72.2.2/24
#                       MTU 1500        MTU 1400 (egress to the client)
#
# The capture is taken on the server's veth s-gw, as the server sends.
# Runtime: about 6 s.  Output: about 45 KB (64 frames).
#
# Usage: make_netns_blackhole.sh [OUTPUT_DIR]   (default: the script's folder)

# The namespace, veth, address, neighbour, capture and cleanup set-up is
# shared with the other make_netns_*.sh scripts: netns_lib.sh (sourced).

set -euo pipefail

OUT=${1:-$(cd "$(dirname "$0")" && pwd)}
. "$(dirname "$0")/netns_lib.sh"
netns_init pmtudbh "ethtool tcpdump"
FW=""
if command -v nft >/dev/null; then FW=nft
elif command -v iptables >/dev/null; then FW=iptables
else
	echo "missing tool: nft (apt-get install nftables) or iptables" >&2
	exit 1
fi

S4=10.72.1.2; G4S=10.72.1.1; G4C=10.72.2.1; C4=10.72.2.2
MAC_S=02:00:00:72:01:02; MAC_GS=02:00:00:72:01:01
MAC_GC=02:00:00:72:02:01; MAC_C=02:00:00:72:02:02
PORT=5002
EGRESS_MTU=1400
NSMALL=3          # small writes before the bulk, each its own segment
SMALL=500         # bytes per small write (IP len 540: gets through)
NBULK=16000       # then one write: 10 x 1460 + 1400, all in the first flight, all lost
FILE="$OUT/netns_blackhole_tcp4.pcap"

in_s() { inns server "$@"; }
in_g() { inns gw "$@"; }
in_c() { inns client "$@"; }

setup() {
	netns_add v4only server gw client
	veth server s-gw $MAC_S gw gw-s $MAC_GS
	veth gw gw-c $MAC_GC client c-gw $MAC_C

	# --- server ---------------------------------------------------------
	# Software checksums (valid in the pcap), GSO cuts segments to <= 1500
	# before the packet tap: every frame on this wire is <= 1514 bytes.
	in_s ethtool -K s-gw tx off >/dev/null
	in_s ethtool -K s-gw tso off gso on >/dev/null
	in_s ip link set s-gw mtu 1500 up
	addr server s-gw $S4/24
	in_s ip route add default via $G4S dev s-gw
	# No timestamps: full-size segments carry exactly 1460 bytes.
	in_s sysctl -qw net.ipv4.tcp_timestamps=0
	in_s sysctl -qw net.ipv4.ip_no_pmtu_disc=0       # DF on, PMTUD on
	in_s sysctl -qw net.ipv4.tcp_no_metrics_save=1
	# Black-hole detection: 1 = off until a black hole is suspected (after
	# tcp_retries1 RTOs), then MSS := min(tcp_base_mss, ...).  (2 would use
	# the base MSS from the first segment on: no black hole to see.)
	in_s sysctl -qw net.ipv4.tcp_mtu_probing=1
	in_s sysctl -qw net.ipv4.tcp_base_mss=1024
	in_s sysctl -qw net.ipv4.tcp_retries1=3
	echo "   server: tcp_mtu_probing=$(in_s sysctl -n net.ipv4.tcp_mtu_probing)" \
		"tcp_base_mss=$(in_s sysctl -n net.ipv4.tcp_base_mss)" \
		"tcp_retries1=$(in_s sysctl -n net.ipv4.tcp_retries1)" \
		"tcp_mtu_probe_floor=$(in_s sysctl -n net.ipv4.tcp_mtu_probe_floor)" \
		"tcp_probe_interval=$(in_s sysctl -n net.ipv4.tcp_probe_interval)"

	# --- gateway --------------------------------------------------------
	in_g sysctl -qw net.ipv4.ip_forward=1
	in_g sysctl -qw net.ipv4.icmp_ratelimit=0
	in_g ip link set gw-s mtu 1500 up
	in_g ip link set gw-c mtu $EGRESS_MTU up
	addr gw gw-s $G4S/24
	addr gw gw-c $G4C/24
	# No GRO: the gateway handles (and drops) the server's packets as sent.
	in_g ethtool -K gw-s gro off >/dev/null
	# The black hole: the gateway's own "fragmentation needed" errors never
	# leave it (they are generated on forwarding and pass the OUTPUT hook).
	if [ $FW = nft ]; then
		in_g nft -f - <<-'EOF'
		table ip pmtud_blackhole {
			chain out {
				type filter hook output priority 0; policy accept;
				icmp type destination-unreachable icmp code 4 counter drop
			}
		}
		EOF
	else
		in_g iptables -A OUTPUT -p icmp --icmp-type fragmentation-needed -j DROP
	fi

	# --- client ---------------------------------------------------------
	in_c ethtool -K c-gw tx off >/dev/null
	in_c ip link set c-gw mtu 1500 up      # announces MSS 1460
	addr client c-gw $C4/24
	in_c ip route add default via $G4C dev c-gw

	neigh server s-gw $G4S $MAC_GS
	neigh gw gw-s $S4 $MAC_S
	neigh gw gw-c $C4 $MAC_C
	neigh client c-gw $G4C $MAC_GC
	sleep 0.2
	echo "   gw gw-c mtu: $(in_g cat /sys/class/net/gw-c/mtu)," \
		"gw-s $(in_g ethtool -k gw-s | grep -E '^generic-receive-offload:')"
}

# Server: NSMALL small writes, each acknowledged before the next, then one
# bulk write.  Byte i of the stream is i mod 251.
TCP_SERVER='
import socket, sys, time
addr, port, nsmall, small, nbulk = sys.argv[1], int(sys.argv[2]), \
    int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
data = bytes(i % 251 for i in range(nsmall * small + nbulk))
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((addr, port)); s.listen(1); s.settimeout(30)
c, _ = s.accept(); c.settimeout(30)
c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
for i in range(nsmall):
    c.sendall(data[i * small:(i + 1) * small])
    time.sleep(0.1)
t = time.time()
c.sendall(data[nsmall * small:])
c.shutdown(socket.SHUT_WR)
while c.recv(65536):
    pass
print("server: bulk of %d bytes done after %.3f s" % (nbulk, time.time() - t))
IP_MTU = 14
print("server: IP_MTU (route PMTU) %d, TCP_MAXSEG %d" % (
    c.getsockopt(socket.IPPROTO_IP, IP_MTU),
    c.getsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG)))
c.close()
'

mkdir -p "$OUT"
echo "kernel: $(uname -r); firewall tool: $FW"
echo "== netns_blackhole_tcp4.pcap: egress MTU $EGRESS_MTU, frag-needed dropped"
setup
capture_start server s-gw "$FILE" "tcp or icmp"
in_s timeout 50 "$PY" -c "$TCP_SERVER" $S4 $PORT $NSMALL $SMALL $NBULK &
SRV=$!
sleep 0.3
in_c timeout 50 "$PY" -c "$TCP_RECV_CLIENT" $S4 $PORT
wait $SRV
capture_stop
if [ $FW = nft ]; then
	echo "   gateway: $(in_g nft list chain ip pmtud_blackhole out | grep -o 'counter packets [0-9]*') frag-needed dropped"
else
	echo "   gateway: $(in_g iptables -vnL OUTPUT | awk '/icmp/{print $1}') frag-needed dropped"
fi
netns_cleanup
ls -l "$FILE"
