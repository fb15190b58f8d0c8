# SPDX-License-Identifier: GPL-2.0-or-later
#
# netns_lib.sh - the network-namespace set-up that every make_netns_*.sh
# script shares: private namespaces, veth pairs with fixed MACs, addresses,
# permanent neighbour entries, tcpdump captures, and one cleanup that undoes
# exactly what this run created.  Sourced, never run:
#
#   . "$(dirname "$0")/netns_lib.sh"
#   netns_init pmtudvx "ip ethtool tcpdump"    # root check, tools, trap
#   netns_add v6quiet server gw client         # or v4only
#   veth server s-gw 02:... gw gw-s 02:...
#   ...
#
# Design.  A namespace is named by the script's prefix, our PID and a role
# ("pmtudvx1234-gw"), so a concurrent or crashed earlier run of any of these
# scripts cannot collide with this one; netns_cleanup deletes only the
# namespaces this process created (deleting a namespace destroys its veth
# ends, their peers, its nftables rules and conntrack entries), ends only
# the captures this process started, and removes its own temp folder.  The
# trap runs it on every exit.  Nothing here touches the host's own
# interfaces or addresses, and no traffic leaves the namespaces.
#
# Everything that decides the shape of a capture (offloads, MTUs, routes,
# sysctls of the sender and the router) stays in the scripts, beside the
# comment that says why.

PY=${PYTHON:-/usr/bin/python3}
[ -x "$PY" ] || PY=$(command -v python3)
NETNS_PREFIX=""
NETNS_CREATED=""
NETNS_CAPS=""      # "pid:file" of each running capture
NETNS_TMPD=""

# netns_init PREFIX "TOOL ..."  - must be root, every tool present.
netns_init() {
	NETNS_PREFIX="$1$$"
	if [ "$(id -u)" != 0 ]; then
		echo "must run as root (network namespaces, ethtool, nftables)" >&2
		exit 1
	fi
	local t
	for t in ip timeout "$PY" $2; do
		command -v "$t" >/dev/null || { echo "missing tool: $t" >&2; exit 1; }
	done
	trap netns_cleanup EXIT
	trap 'exit 130' INT TERM
}

# The full name of the namespace of ROLE.
ns() { echo "$NETNS_PREFIX-$1"; }
# inns ROLE CMD...  - run CMD in ROLE's namespace.
inns() { local r=$1; shift; ip netns exec "$NETNS_PREFIX-$r" "$@"; }

# netns_tmpdir  - sets NETNS_TMPD to a private temp folder, removed by
# netns_cleanup.  (Not $(netns_tmpdir): the subshell would forget it.)
netns_tmpdir() {
	[ -n "$NETNS_TMPD" ] || NETNS_TMPD=$(mktemp -d "/tmp/$NETNS_PREFIX.XXXXXX")
}

# netns_add v6quiet|v4only ROLE...  - fresh namespaces, loopback up.
#   v6quiet: IPv6 on, but no router solicitations, autoconf, DAD or MLDv1
#            chatter (nothing but the flows lands in the pcaps);
#   v4only:  IPv6 off on every interface created later.
netns_add() {
	local mode=$1 role n
	shift
	for role in "$@"; do
		n=$(ns "$role")
		ip netns add "$n"
		NETNS_CREATED="$NETNS_CREATED $n"
		ip netns exec "$n" ip link set lo up
		ip netns exec "$n" sysctl -qw net.ipv6.conf.default.accept_ra=0
		ip netns exec "$n" sysctl -qw net.ipv6.conf.default.autoconf=0
		ip netns exec "$n" sysctl -qw net.ipv6.conf.default.router_solicitations=0
		ip netns exec "$n" sysctl -qw net.ipv6.conf.default.accept_dad=0
		ip netns exec "$n" sysctl -qw net.ipv6.conf.all.force_mld_version=2
		if [ "$mode" = v4only ]; then
			ip netns exec "$n" sysctl -qw net.ipv6.conf.default.disable_ipv6=1
			ip netns exec "$n" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
		fi
	done
}

# veth ROLE1 IF1 MAC1 ROLE2 IF2 MAC2  - a veth pair created directly inside
# the two namespaces (never in the host's), with fixed MACs.
veth() {
	ip link add "$2" netns "$(ns "$1")" address "$3" type veth \
		peer name "$5" netns "$(ns "$4")" address "$6"
}

# addr ROLE IF ADDR/PLEN...  - IPv6 addresses get nodad: usable at once.
addr() {
	local r=$1 ifc=$2 a
	shift 2
	for a in "$@"; do
		case $a in
		*:*) inns "$r" ip -6 addr add "$a" dev "$ifc" nodad ;;
		*) inns "$r" ip addr add "$a" dev "$ifc" ;;
		esac
	done
}

# neigh ROLE IF ADDR MAC  - a permanent neighbour entry: reproducible
# link-layer headers and no ARP/ND exchange in the pcaps.
neigh() {
	case $3 in
	*:*) inns "$1" ip -6 neigh replace "$3" lladdr "$4" dev "$2" nud permanent ;;
	*) inns "$1" ip neigh replace "$3" lladdr "$4" dev "$2" nud permanent ;;
	esac
}

# capture_start ROLE IF FILE FILTER [TCPDUMP_OPTION...]
# Full snaplen unless an option says otherwise, classic pcap, packet-
# buffered; -Z root so tcpdump can write into our folder; timeout is a
# safety net.  Started directly (not through `inns`), so that $! is the pid of
# timeout itself (ip netns exec execs it), which forwards our SIGINT.
capture_start() {
	local r=$1 ifc=$2 file=$3 filter=$4
	shift 4
	rm -f "$file"
	ip netns exec "$(ns "$r")" timeout 120 \
		tcpdump -i "$ifc" -s 0 -U -n -Z root "$@" -w "$file" "$filter" \
		2>"$file.log" &
	NETNS_CAPS="$NETNS_CAPS $!:$file"
	for _ in $(seq 50); do
		grep -q 'listening on' "$file.log" 2>/dev/null && break
		sleep 0.1
	done
	sleep 0.3
}

# capture_stop  - let trailing ACKs and FINs in, stop every running capture,
# show tcpdump's counts.
capture_stop() {
	local c
	sleep 1
	for c in $NETNS_CAPS; do kill -INT "${c%%:*}" 2>/dev/null || true; done
	for c in $NETNS_CAPS; do
		wait "${c%%:*}" 2>/dev/null || true
		cat "${c#*:}.log" >&2 || true
		rm -f "${c#*:}.log"
	done
	NETNS_CAPS=""
}

netns_cleanup() {
	local c n
	for c in $NETNS_CAPS; do
		kill "${c%%:*}" 2>/dev/null || true
		wait "${c%%:*}" 2>/dev/null || true
		rm -f "${c#*:}.log"
	done
	NETNS_CAPS=""
	for n in $NETNS_CREATED; do
		ip netns del "$n" 2>/dev/null || true
	done
	NETNS_CREATED=""
	if [ -n "$NETNS_TMPD" ]; then
		rm -rf "$NETNS_TMPD"
		NETNS_TMPD=""
	fi
}

# offloads ROLE IF  - the offload state that matters, for the log.
offloads() {
	inns "$1" ethtool -k "$2" | grep -E '^(tx-checksumming|tcp-segmentation-offload|generic-segmentation-offload|generic-receive-offload|tx-udp-segmentation|rx-udp-gro-forwarding):' | tr -s ' \t\n' ' '
}

# Python snippets shared by the scripts.  Byte i of every stream is
# i mod 251, so a quoted payload can be placed in the stream.
#
# TCP_SEND_SERVER ADDR PORT NBYTES: accepts one connection, sends NBYTES,
# shuts down its side, reads until the peer closes.
TCP_SEND_SERVER='
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
# bulk_tcp SENDER RECEIVER ADDR PORT NBYTES: SENDER (a role) listens on
# ADDR:PORT and sends NBYTES to RECEIVER, which connects and reads all.
bulk_tcp() {
	inns "$1" timeout 40 "$PY" -c "$TCP_SEND_SERVER" "$3" "$4" "$5" &
	local srv=$!
	sleep 0.3
	inns "$2" timeout 40 "$PY" -c "$TCP_RECV_CLIENT" "$3" "$4"
	wait $srv
}

# TCP_RECV_CLIENT ADDR PORT: connects (retrying while the server starts),
# reads until the server closes.
TCP_RECV_CLIENT='
import socket, sys, time
addr, port = sys.argv[1], int(sys.argv[2])
for _ in range(50):
    try:
        s = socket.create_connection((addr, port), timeout=30); break
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
