#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# make_netns_nat.sh - regenerate testcaptures/netns/netns_nat_merged.pcap:
# the real Linux kernel's PMTUD through a NAT gateway, captured on BOTH sides
# of the NAT and merged into one file with mergecap.
#
# Why: a merged capture holds every data packet twice, once as the client
# sent it (inside: client address and port) and once as the NAT forwarded it
# (outside: the gateway's address and another port), with the same IP ID,
# TCP sequence number and payload.  A router behind the NAT rejects the
# outside copy; its ICMP "fragmentation needed" is captured on the outside,
# and the NAT's translation of that ICMP (outer destination and the quoted
# source address/port rewritten back to the client's) is captured on the
# inside.  Each ICMP must be linked to the copy on its own side, never to the
# other side's copy (which has the same seq, IP ID and payload), and since
# nothing is merged by any offload, there must be no offload warning.
#
# Run on demand only (NOT part of the build or the test suite): the committed
# pcap is the reference and EXPECTED-nat.md describes exactly that file.  A
# re-run gives a capture of the same shape (addresses, ports, MACs and sizes
# are fixed), but timestamps, ISNs and IP IDs differ (in 9 trial runs frames
# 1-46, with all ICMPs and their retransmissions, had the same structure;
# only the later interleaving of data and ACKs varied); re-derive
# EXPECTED-nat.md (and the entry in testcaptures/expectations.json) with
# derive_netns_nat.py if the pcap is replaced.
#
# Needs: root, iproute2 (ip netns, veth), ethtool, tcpdump, nft (nftables),
# mergecap (wireshark-common), python3.
#   apt-get install -y iproute2 ethtool tcpdump nftables wireshark-common python3
#
# Topology (private namespaces only; nothing touches the host's interfaces,
# no traffic leaves the namespaces):
#
#  [client] c-gw <-> gw-c [NAT gw] gw-r <-> r-gw [router] r-s <-> s-r [server]
#  10.73.1.2/24  10.73.1.1/24  10.73.2.1/24  10.73.2.2/24  10.73.3.1/24  10.73.3.2/24
#   MTU 1500      MTU 1500      MTU 1500      MTU 1500      MTU 1400      MTU 1500
#                 ^^ inside capture  ^^ outside capture
#
#  NAT (nftables, gateway, postrouting): TCP from the client 10.73.1.2
#  leaving gw-r is SNATed to 10.73.2.1 port 40001.  The client binds port
#  45001, so the port differs inside (45001) and outside (40001).  A
#  single-port range keeps the outside port deterministic (a wider range
#  makes the kernel pick a random port in it).
#
#  The router has NO route to 10.73.1.0/24: it can only ever answer the
#  translated address, so every packet it sees has been through the NAT.
#  Its server-facing egress r-s has MTU 1400; the server's own veth keeps
#  MTU 1500, so the server announces MSS 1460 and the client sends 1500-byte
#  DF packets, which the router rejects with ICMP type 3 code 4, MTU 1400.
#  The gateway's conntrack finds the flow from the quoted (translated)
#  header, treats the ICMP as RELATED and reverses the NAT in it.
#
#  Captures: tcpdump on the gateway's inside veth gw-c and its outside veth
#  gw-r at the same time (same clock), nanosecond timestamps so that mergecap
#  orders the two files by what really happened first, then
#    mergecap -F nsecpcap -w netns_nat_merged.pcap inside.pcap outside.pcap
#  (-F: mergecap writes pcapng by default; both tcpdump files have the same
#  unnamed Ethernet interface, so pcapng would not tell the sides apart
#  anyway. The sides are told apart by addresses: 10.73.1.2 only inside,
#  10.73.2.1 only outside.)
#
# Offloads (why each is set; see also make_netns_captures.sh):
#  * client c-gw: tx off (software checksums: valid checksums in the pcap,
#    not CHECKSUM_PARTIAL pseudo-header sums), tso off + gso on (GSO cuts
#    the TCP stack's large skbs into <= 1500-byte frames before the veth, so
#    every data frame in the capture is a real wire frame);
#  * server s-r: tx off (valid checksums on its ACKs);
#  * gro off on every receiving veth of gateway and router (gw-c, gw-r,
#    r-gw): a receive tap runs after GRO, so with GRO on gw-c the inside
#    capture would show merged super-packets, and GRO on r-gw would make the
#    router reject merged packets (an offload artefact: that is
#    netns_gro_tcp4.pcap's job, not this capture's). Here nothing is merged
#    anywhere, so every ICMP must be "legitimate".
#  * tcp_timestamps=0 on the client: full-size segments carry 1460 bytes.
#  * initcwnd 4 on the client's route: a first flight of 4 full-size
#    segments, so 4 ICMPs on each side and a small, stable capture.
#
# Runtime: about 4 s.  Output: about 85 KB (120 frames, 60 per side).
#
# Usage: make_netns_nat.sh [OUTPUT_DIR]   (default: the script's folder)

# The namespace, veth, address, neighbour, capture and cleanup set-up is
# shared with the other make_netns_*.sh scripts: netns_lib.sh (sourced).

set -euo pipefail

OUT=${1:-$(cd "$(dirname "$0")" && pwd)}
. "$(dirname "$0")/netns_lib.sh"
netns_init pmtudnat "ethtool tcpdump nft mergecap capinfos"

C4=10.73.1.2; GI4=10.73.1.1     # inside link
GO4=10.73.2.1; RO4=10.73.2.2    # outside link (NAT gateway - router)
RS4=10.73.3.1; S4=10.73.3.2     # narrow link (router - server)
MAC_C=02:00:00:73:01:02; MAC_GI=02:00:00:73:01:01
MAC_GO=02:00:00:73:02:01; MAC_RO=02:00:00:73:02:02
MAC_RS=02:00:00:73:03:01; MAC_S=02:00:00:73:03:02
PORT=5003          # server port
CPORT=45001        # client's source port (inside)
NATPORT=40001      # the same connection's source port outside the NAT
NARROW_MTU=1400    # router's egress towards the server
NBYTES=30000       # bulk data client -> server: keeps the pcap small
FILE="$OUT/netns_nat_merged.pcap"

in_c() { inns client "$@"; }
in_g() { inns gw "$@"; }
in_r() { inns router "$@"; }
in_s() { inns server "$@"; }

setup() {
	netns_add v4only client gw router server
	veth client c-gw $MAC_C gw gw-c $MAC_GI
	veth gw gw-r $MAC_GO router r-gw $MAC_RO
	veth router r-s $MAC_RS server s-r $MAC_S

	# --- client (the sender) ---------------------------------------------
	in_c ethtool -K c-gw tx off >/dev/null
	in_c ethtool -K c-gw tso off gso on >/dev/null
	in_c ip link set c-gw mtu 1500 up
	addr client c-gw $C4/24
	in_c ip route add default via $GI4 dev c-gw initcwnd 4
	in_c sysctl -qw net.ipv4.tcp_timestamps=0
	in_c sysctl -qw net.ipv4.ip_no_pmtu_disc=0       # DF on, PMTUD on
	in_c sysctl -qw net.ipv4.tcp_no_metrics_save=1
	# No tail loss probe: on this sub-millisecond path the probe timer can
	# fire before the server's delayed ACK for the last segments and resend
	# the last one (seen in a trial run: a spurious retransmission and a
	# D-SACK that have nothing to do with PMTUD and make re-runs differ).
	# The reaction to the ICMP (tcp_v4_mtu_reduced -> tcp_simple_retransmit)
	# does not depend on it.
	in_c sysctl -qw net.ipv4.tcp_early_retrans=0

	# --- NAT gateway ---------------------------------------------------
	in_g sysctl -qw net.ipv4.ip_forward=1
	in_g ethtool -K gw-c tx off gro off >/dev/null
	in_g ethtool -K gw-r tx off gro off >/dev/null
	in_g ip link set gw-c mtu 1500 up
	in_g ip link set gw-r mtu 1500 up
	addr gw gw-c $GI4/24
	addr gw gw-r $GO4/24
	in_g ip route add default via $RO4 dev gw-r
	# Source NAT with a port rewrite; the counters show in the log that
	# the data went through it and that the router's ICMPs came back.
	in_g nft -f - <<-EOF
	table ip pmtudnat {
		chain snat_out {
			type nat hook postrouting priority srcnat; policy accept;
			oifname "gw-r" ip saddr $C4 meta l4proto tcp counter snat to $GO4:$NATPORT
		}
		chain fragneeded_back {
			type filter hook forward priority filter; policy accept;
			iifname "gw-r" icmp type destination-unreachable icmp code 4 counter
		}
	}
	EOF

	# --- router ----------------------------------------------------------
	in_r sysctl -qw net.ipv4.ip_forward=1
	# Every oversized packet gets its own ICMP (no rate limit).
	in_r sysctl -qw net.ipv4.icmp_ratelimit=0
	in_r ethtool -K r-gw tx off gro off >/dev/null
	in_r ethtool -K r-s tx off gro off >/dev/null
	in_r ip link set r-gw mtu 1500 up
	# The narrow hop.
	in_r ip link set r-s mtu $NARROW_MTU up
	addr router r-gw $RO4/24
	addr router r-s $RS4/24
	# Deliberately no route to the inside network 10.73.1.0/24.

	# --- server (the receiver) -----------------------------------------
	in_s ethtool -K s-r tx off >/dev/null
	in_s ip link set s-r mtu 1500 up             # announces MSS 1460
	addr server s-r $S4/24
	in_s ip route add default via $RS4 dev s-r
	in_s sysctl -qw net.ipv4.tcp_timestamps=0

	# Fixed MACs and permanent neighbour entries: reproducible link-layer
	# headers, and no ARP in the captures.
	neigh client c-gw $GI4 $MAC_GI
	neigh gw gw-c $C4 $MAC_C
	neigh gw gw-r $RO4 $MAC_RO
	neigh router r-gw $GO4 $MAC_GO
	neigh router r-s $S4 $MAC_S
	neigh server s-r $RS4 $MAC_RS
	sleep 0.2

	echo "   client c-gw: $(offloads client c-gw)"
	echo "   gw gw-c: $(offloads gw gw-c) gw-r: $(offloads gw gw-r)"
	echo "   router r-gw: $(offloads router r-gw) r-s mtu $(in_r cat /sys/class/net/r-s/mtu)"
}

# Server: reads everything, then closes.
TCP_SERVER='
import socket, sys
addr, port = sys.argv[1], int(sys.argv[2])
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((addr, port)); s.listen(1); s.settimeout(20)
c, peer = s.accept(); c.settimeout(20)
got = 0
while True:
    b = c.recv(65536)
    if not b: break
    got += len(b)
c.close()
print("server: received", got, "bytes from %s:%d" % peer)
'
# Client: binds a fixed source port, sets DF explicitly (IP_PMTUDISC_DO),
# sends NBYTES of a position-dependent pattern (byte i is i mod 251, so a
# quoted payload can be placed in the stream), then shuts down.
TCP_CLIENT='
import socket, sys, time
caddr, cport, addr, port, n = sys.argv[1], int(sys.argv[2]), sys.argv[3], \
    int(sys.argv[4]), int(sys.argv[5])
IP_MTU_DISCOVER, IP_PMTUDISC_DO, IP_MTU = 10, 2, 14
for _ in range(50):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.IPPROTO_IP, IP_MTU_DISCOVER, IP_PMTUDISC_DO)
    s.bind((caddr, cport)); s.settimeout(20)
    try:
        s.connect((addr, port)); break
    except OSError:
        s.close(); time.sleep(0.1)
s.sendall(bytes(i % 251 for i in range(n)))
s.shutdown(socket.SHUT_WR)
while s.recv(65536):
    pass
print("client: sent", n, "bytes; IP_MTU (path MTU) now",
      s.getsockopt(socket.IPPROTO_IP, IP_MTU), "TCP_MAXSEG",
      s.getsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG))
s.close()
'

mkdir -p "$OUT"
netns_tmpdir
TMPD=$NETNS_TMPD
echo "kernel: $(uname -r)"
echo "== netns_nat_merged.pcap: NAT $C4:$CPORT -> $GO4:$NATPORT, router egress MTU $NARROW_MTU"
setup
# Nanosecond timestamps, so that mergecap orders the two files by what
# really happened first.
capture_start gw gw-c "$TMPD/inside.pcap" "tcp or icmp" --time-stamp-precision=nano
capture_start gw gw-r "$TMPD/outside.pcap" "tcp or icmp" --time-stamp-precision=nano
in_s timeout 30 "$PY" -c "$TCP_SERVER" $S4 $PORT &
SRV=$!
sleep 0.3
in_c timeout 30 "$PY" -c "$TCP_CLIENT" $C4 $CPORT $S4 $PORT $NBYTES
wait $SRV
capture_stop
echo "   gateway nftables counters:"
in_g nft list table ip pmtudnat | grep -o '.*counter packets [0-9]*' | sed 's/^[[:space:]]*/     /'

rm -f "$FILE"
mergecap -F nsecpcap -w "$FILE" "$TMPD/inside.pcap" "$TMPD/outside.pcap"
echo "   inside $(capinfos -c -M "$TMPD/inside.pcap" | awk '/Number of packets/{print $NF}') frames," \
	"outside $(capinfos -c -M "$TMPD/outside.pcap" | awk '/Number of packets/{print $NF}') frames," \
	"merged $(capinfos -c -M "$FILE" | awk '/Number of packets/{print $NF}') frames"
netns_cleanup
ls -l "$FILE"
