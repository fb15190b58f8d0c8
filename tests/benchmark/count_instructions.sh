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
# from run to run; a few hundred instructions per frame either way.
#
# Usage: tests/benchmark/count_instructions.sh [--frames N] [--modes LIST]
#            [--scratch DIR]
#   --frames   slice size (default 20000); callgrind runs ~50x slower
#   --modes    comma-separated, as in run_benchmark.sh (default: all six)
#   --scratch  as in run_benchmark.sh (default /var/tmp/pmtud-bench); the
#              private HOME and bulk-*.pcap must be there already (run
#              run_benchmark.sh once first)
#   --build-dir  where the plugin is (re)built, as in run_benchmark.sh
#              (default /tmp/pmtud-bench-build); the fresh build replaces the
#              plugin in the private HOME, so the counts are of the sources
#              as they are
# Two callgrind runs go side by side (instruction counts do not care).
set -euo pipefail

FRAMES=20000
MODES="plain,quiet,tcp-filter,fields,pmtud-filter,two-pass-pmtud"
SCRATCH=${PMTUD_BENCH_DIR:-/var/tmp/pmtud-bench}
BUILD=${PMTUD_BENCH_BUILD:-/tmp/pmtud-bench-build}
while [ $# -gt 0 ]; do
    case $1 in
    --frames) FRAMES=$2; shift 2 ;;
    --modes) MODES=$2; shift 2 ;;
    --scratch) SCRATCH=$2; shift 2 ;;
    --build-dir) BUILD=$2; shift 2 ;;
    -h|--help) sed -n '3,30p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "count_instructions.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
die() { echo "count_instructions.sh: $*" >&2; exit 1; }
command -v valgrind >/dev/null || die "valgrind not installed"
HOME_DIR=$SCRATCH/home
STAGED=$(ls "$HOME_DIR"/.local/lib/wireshark/plugins/*/epan/pmtud.so 2>/dev/null | head -1)
[ -f "$STAGED" ] || die "no plugin in $HOME_DIR: run tests/benchmark/run_benchmark.sh first"
# shellcheck source=tests/lib/build_plugin.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/build_plugin.sh"
BUILT_FROM=$(build_plugin "$BUILD" pmtud 2 -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=OFF) ||
    die "building the plugin in $BUILD failed"
cp "$BUILD/plugin/pmtud.so" "$STAGED"
SRC=$(ls -S "$SCRATCH"/bulk-*.pcap 2>/dev/null | head -1)
[ -n "$SRC" ] || die "no bulk-*.pcap in $SCRATCH: run tests/benchmark/run_benchmark.sh first"
echo "pmtud built from $BUILT_FROM; $FRAMES-frame slice of $(basename "$SRC")" >&2

WORK=$SCRATCH/instructions
mkdir -p "$WORK"
chmod 755 "$WORK"
editcap -r "$SRC" "$WORK/slice.pcap" "1-$FRAMES"
editcap -r "$SRC" "$WORK/one.pcap" 1
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

count() {  # mode side file -> prints instructions
    local mode=$1 side=$2 file=$3 extra=() log
    [ "$side" = off ] && extra=(--disable-protocol pmtud)
    log=$WORK/$mode-$side-$(basename "$file" .pcap).log
    # shellcheck disable=SC2046  # the mode's arguments are split on purpose
    "${PRIV[@]}" env -i HOME="$HOME_DIR" PATH=/usr/bin:/bin \
        valgrind --tool=callgrind --callgrind-out-file=/dev/null \
        tshark "${extra[@]}" $(args_of "$mode" "$file") >/dev/null 2>"$log"
    sed -n 's/.*Collected : *\([0-9]*\).*/\1/p' "$log"
}

echo "| mode | instructions per frame without pmtud | with | pmtud adds | ratio |"
echo "|---|---:|---:|---:|---:|"
IFS=, read -r -a mode_list <<< "$MODES"
for mode in "${mode_list[@]}"; do
    for side in off on; do
        count "$mode" "$side" "$WORK/slice.pcap" > "$WORK/$mode-$side.total" &
        count "$mode" "$side" "$WORK/one.pcap" > "$WORK/$mode-$side.one" &
    done
    wait
    off=$(( ($(cat "$WORK/$mode-off.total") - $(cat "$WORK/$mode-off.one")) / (FRAMES - 1) ))
    on=$(( ($(cat "$WORK/$mode-on.total") - $(cat "$WORK/$mode-on.one")) / (FRAMES - 1) ))
    printf '| `tshark %s` | %d | %d | %d | %s |\n' "$(args_of "$mode" F)" "$off" "$on" $((on - off)) \
        "$(awk -v a="$on" -v b="$off" 'BEGIN { printf "%.3f", a / b }')"
done
