#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Exact cost of pmtud in instructions, per benchmark mode (not a test).
#
# Wall-clock and CPU time on a shared virtual machine drift by 20-40% from
# one run to the next (and between two vCPUs running side by side), which
# hides a 3% effect however the runs are ordered. Instructions retired do
# not drift: this runs every mode of run_benchmark.sh under callgrind, pmtud
# on and off (--disable-protocol pmtud), on an N-frame slice of the
# benchmark capture, and on a 1-frame slice to take tshark's start-up out:
#
#   per-frame instructions = (total - total on 1 frame) / (N - 1)
#
# The one noise left is Wireshark's own: wmem hash tables take a random
# seed per process, so their chain lengths (and lookup costs) vary a little
# from run to run; a few hundred instructions per frame either way. The
# figure that does not move is pmtud's own: the inclusive cost of its
# post-dissector dissect_pmtud (everything it calls, Wireshark's functions
# included) in callgrind's call tree, divided by the frames. That is the last
# column, the figure issue 11 section 7 asks for; Wireshark's call of a
# post-dissector (~300 instructions a frame) comes on top of it.
#
# Usage: tests/benchmark/count_instructions.sh [--frames N] [--modes LIST]
#            [--scratch DIR] [--build-dir DIR] [--capture FILE | --netns]
#   --frames   slice size (default 20000); callgrind runs ~50x slower
#   --modes    comma-separated, as in run_benchmark.sh (default: all six)
#   --scratch  as in run_benchmark.sh (default /var/tmp/pmtud-bench); the
#              benchmark's bulk-*.pcap must be there already (run
#              run_benchmark.sh once first) unless --capture or --netns
#   --build-dir  where the plugin is (re)built, as in run_benchmark.sh
#              (default /tmp/pmtud-bench-build); the fresh build goes into a
#              private HOME in the scratch folder, so the counts are of the
#              sources as they are
#   --capture  slice this capture instead of the benchmark's
#   --netns    slice a real kernel's bulk TCP capture (snaplen 128), made
#              in network namespaces by make_netns_bulk.sh (root; kept in
#              the scratch folder and reused)
# Two callgrind runs go side by side (instruction counts do not care).
set -euo pipefail

FRAMES=20000
MODES="plain,quiet,tcp-filter,fields,pmtud-filter,two-pass-pmtud"
SCRATCH=${PMTUD_BENCH_DIR:-/var/tmp/pmtud-bench}
BUILD=${PMTUD_BENCH_BUILD:-/tmp/pmtud-bench-build}
CAPTURE=""
NETNS=0
while [ $# -gt 0 ]; do
    case $1 in
    --frames) FRAMES=$2; shift 2 ;;
    --modes) MODES=$2; shift 2 ;;
    --scratch) SCRATCH=$2; shift 2 ;;
    --build-dir) BUILD=$2; shift 2 ;;
    --capture) CAPTURE=$2; shift 2 ;;
    --netns) NETNS=1; shift ;;
    -h|--help) sed -n '3,41p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "count_instructions.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
die() { echo "count_instructions.sh: $*" >&2; exit 1; }
command -v valgrind >/dev/null || die "valgrind not installed"
command -v callgrind_annotate >/dev/null || die "callgrind_annotate not installed"
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mkdir -p "$SCRATCH"
chmod 755 "$SCRATCH"
# shellcheck source=tests/lib/build_plugin.sh
. "$HERE/../lib/build_plugin.sh"
BUILT_FROM=$(build_plugin "$BUILD" pmtud 2 -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=OFF) ||
    die "building the plugin in $BUILD failed"
WS_VER=$(tshark --version 2>/dev/null | sed -n 's/^TShark (Wireshark) \([0-9]*\.[0-9]*\).*/\1/p' | head -1)
HOME_DIR=$SCRATCH/home
mkdir -p "$HOME_DIR/.local/lib/wireshark/plugins/$WS_VER/epan"
cp "$BUILD/plugin/pmtud.so" "$HOME_DIR/.local/lib/wireshark/plugins/$WS_VER/epan/"
chmod -R a+rX "$HOME_DIR"
if [ "$NETNS" = 1 ]; then
    SRC=$SCRATCH/netns-bulk-$FRAMES.pcap
    [ -s "$SRC" ] || "$HERE/make_netns_bulk.sh" "$SRC" "$FRAMES" || die "make_netns_bulk.sh failed"
elif [ -n "$CAPTURE" ]; then
    SRC=$CAPTURE
else
    SRC=$(ls -S "$SCRATCH"/bulk-*.pcap 2>/dev/null | head -1)
fi
[ -n "$SRC" ] || die "no bulk-*.pcap in $SCRATCH: run tests/benchmark/run_benchmark.sh first, or use --capture / --netns"
echo "pmtud built from $BUILT_FROM; $FRAMES-frame slice of $(basename "$SRC")" >&2

WORK=$SCRATCH/instructions
mkdir -p "$WORK"
chmod 755 "$WORK"
editcap -F pcap -r "$SRC" "$WORK/slice.pcap" "1-$FRAMES"
editcap -F pcap -r "$SRC" "$WORK/one.pcap" 1
chmod 644 "$WORK"/*.pcap

PRIV=()
[ "$(id -u)" -eq 0 ] && PRIV=(setpriv --reuid=nobody --regid=nogroup --clear-groups)

args_of() {  # mode file
    case $1 in
    plain) echo "-r $2" ;;
    quiet) echo "-r $2 -q" ;;
    tcp-filter) echo "-r $2 -Y tcp.len>1000" ;;
    fields) echo "-r $2 -T fields -e frame.number -e tcp.seq" ;;
    pmtud-filter) echo "-r $2 -Y pmtud" ;;
    two-pass-pmtud) echo "-2 -r $2 -Y pmtud" ;;
    *) die "unknown mode $1" ;;
    esac
}

count() {  # mode side file -> prints instructions; keeps the call graph of the slice with pmtud
    local mode=$1 side=$2 file=$3 extra=() log out=/dev/null
    [ "$side" = off ] && extra=(--disable-protocol pmtud)
    log=$WORK/$mode-$side-$(basename "$file" .pcap).log
    [ "$side" = on ] && [ "$file" = "$WORK/slice.pcap" ] && out=$WORK/$mode.callgrind
    # shellcheck disable=SC2046  # the mode's arguments are split on purpose
    "${PRIV[@]}" env -i HOME="$HOME_DIR" PATH=/usr/bin:/bin \
        valgrind --tool=callgrind --callgrind-out-file="$out" \
        tshark "${extra[@]}" $(args_of "$mode" "$file") >/dev/null 2>"$log"
    sed -n 's/.*Collected : *\([0-9]*\).*/\1/p' "$log"
}

# dissect_pmtud's inclusive instructions in a call graph. callgrind_annotate
# may list a function twice (with and without its source file): the larger.
post_dissector_cost() {
    callgrind_annotate --inclusive=yes --threshold=100 "$1" 2>/dev/null |
        awk '/:dissect_pmtud( |$)/ { c = $1; gsub(",", "", c); if (c + 0 > m) m = c + 0 } END { print m + 0 }'
}

echo "| mode | instructions per frame without pmtud | with | pmtud adds | ratio | dissect_pmtud inclusive per frame |"
echo "|---|---:|---:|---:|---:|---:|"
IFS=, read -r -a mode_list <<< "$MODES"
chmod 777 "$WORK"
for mode in "${mode_list[@]}"; do
    for side in off on; do
        count "$mode" "$side" "$WORK/slice.pcap" > "$WORK/$mode-$side.total" &
        count "$mode" "$side" "$WORK/one.pcap" > "$WORK/$mode-$side.one" &
    done
    wait
    off=$(( ($(cat "$WORK/$mode-off.total") - $(cat "$WORK/$mode-off.one")) / (FRAMES - 1) ))
    on=$(( ($(cat "$WORK/$mode-on.total") - $(cat "$WORK/$mode-on.one")) / (FRAMES - 1) ))
    post=$(post_dissector_cost "$WORK/$mode.callgrind")
    printf '| `tshark %s` | %d | %d | %d | %s | %s |\n' "$(args_of "$mode" F)" "$off" "$on" $((on - off)) \
        "$(awk -v a="$on" -v b="$off" 'BEGIN { printf "%.3f", a / b }')" \
        "$(awk -v p="$post" -v n="$FRAMES" 'BEGIN { printf "%.0f", p / n }')"
done
