#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Benchmark (not a test: it never fails on the figures) of what the pmtud
# post-dissector costs tshark on a large bulk-TCP capture.
#
# Every measurement runs the same tshark with the same plugin installed,
# once as is and once with `--disable-protocol pmtud`, alternating the
# order from one repetition to the next so that drift (thermal, page
# cache, a noisy neighbour) hits both sides alike. Runs are strictly one
# at a time: on a 2-core machine two tshark side by side would measure
# each other.
#
# Usage: tests/benchmark/run_benchmark.sh [--sizes 250000,500000,1000000]
#            [--reps 5] [--out results.md] [--scratch DIR] [--build-dir DIR]
#            [--tshark PATH] [--regen] [--profile FRAMES] [--modes LIST]
#            [--from-raw FILE]
#
#   --sizes     capture sizes in frames; the mode table uses the largest,
#               the growth table all of them
#   --reps      repetitions per side and measurement (median reported)
#   --from-raw  measure nothing: tables from a raw file of an earlier run
#               (same --sizes and --modes as that run)
#   --modes     comma-separated subset of the mode table (default all):
#               plain,quiet,tcp-filter,fields,pmtud-filter,two-pass-pmtud
#   --out       also write the tables, as Markdown, to this file
#   --scratch   where captures, the private HOME and raw timings go
#               (default /var/tmp/pmtud-bench or $PMTUD_BENCH_DIR): outside
#               the repository, since 1M frames is about 1 GB
#   --build-dir where the plugin is built (RelWithDebInfo, as shipped)
#   --regen     rebuild captures even if present (they are deterministic,
#               so by default an existing capture of the right size is kept)
#   --profile N also run callgrind on an N-frame capture, pmtud on and off,
#               to see where pmtud's instructions go (slow: about 1 min per
#               100k frames and side)
#
# Wireshark ignores personal plugin folders for root, so as root tshark runs
# as "nobody" (setpriv) with HOME pointing at a private folder holding the
# plugin; the captures sit in a world-readable scratch folder.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)

SIZES=250000,500000,1000000
REPS=5
OUT=""
SCRATCH=${PMTUD_BENCH_DIR:-/var/tmp/pmtud-bench}
BUILD=${PMTUD_BENCH_BUILD:-/tmp/pmtud-bench-build}
TSHARK=${TSHARK:-tshark}
REGEN=0
PROFILE=0
MODES=""
FROM_RAW=""

usage() { sed -n '/^# Usage:/,/^# Wireshark ignores/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit "${1:-0}"; }

while [ $# -gt 0 ]; do
    case "$1" in
    --sizes) SIZES=$2; shift 2 ;;
    --reps) REPS=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    --scratch) SCRATCH=$2; shift 2 ;;
    --build-dir) BUILD=$2; shift 2 ;;
    --tshark) TSHARK=$2; shift 2 ;;
    --regen) REGEN=1; shift ;;
    --profile) PROFILE=$2; shift 2 ;;
    --modes) MODES=$2; shift 2 ;;
    --from-raw) FROM_RAW=$2; shift 2 ;;
    -h|--help) usage 0 ;;
    *) echo "unknown option: $1" >&2; usage 2 ;;
    esac
done

die() { echo "run_benchmark.sh: $*" >&2; exit 1; }
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

[[ $REPS =~ ^[1-9][0-9]*$ ]] || die "--reps wants a positive number"
IFS=, read -r -a SIZE_LIST <<< "$SIZES"
for s in "${SIZE_LIST[@]}"; do [[ $s =~ ^[1-9][0-9]*$ ]] || die "bad size: $s"; done
# Ascending, so the last one is the largest.
mapfile -t SIZE_LIST < <(printf '%s\n' "${SIZE_LIST[@]}" | sort -n -u)
LARGEST=${SIZE_LIST[${#SIZE_LIST[@]}-1]}
if [ -n "$OUT" ]; then
    case "$OUT" in /*) ;; *) OUT="$PWD/$OUT" ;; esac
fi

# /usr/bin/time gives the peak RSS (%M); bash's time keyword does not.
if [ ! -x /usr/bin/time ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        log "installing the Debian package 'time' for /usr/bin/time"
        apt-get install -y -q time >/dev/null || die "cannot install 'time'"
    else
        die "/usr/bin/time is missing (Debian package 'time')"
    fi
fi
command -v "$TSHARK" >/dev/null || die "no tshark ($TSHARK)"
command -v cmake >/dev/null || die "no cmake"
CC=${CC:-cc}

# --- build ------------------------------------------------------------------
log "building the plugin in $BUILD (RelWithDebInfo)"
cmake -S "$REPO" -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=OFF >/dev/null \
    || die "cmake configure failed"
cmake --build "$BUILD" -j2 >/dev/null || die "plugin build failed"
# What was measured: the tree as built, which may differ from HEAD.
GITREV="$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$REPO" diff --quiet HEAD -- plugin CMakeLists.txt 2>/dev/null || echo ' with uncommitted changes in plugin/')"
PLUGIN="$BUILD/plugin/pmtud.so"
[ -f "$PLUGIN" ] || die "no $PLUGIN after the build"

mkdir -p "$SCRATCH"
chmod 755 "$SCRATCH"
GEN="$SCRATCH/pmtud_bench_gen"
"$CC" -O2 -std=c11 -Wall -Wextra -o "$GEN" "$HERE/pmtud_bench_gen.c" || die "generator build failed"

# --- private HOME with the plugin -------------------------------------------
WS_VER=$("$TSHARK" --version 2>/dev/null | sed -n 's/^TShark (Wireshark) \([0-9]*\.[0-9]*\).*/\1/p' | head -1)
[ -n "$WS_VER" ] || die "cannot tell the tshark version"
WS_FULL=$("$TSHARK" --version 2>/dev/null | head -1)
HOMEDIR="$SCRATCH/home"
rm -rf "$HOMEDIR"
mkdir -p "$HOMEDIR/.local/lib/wireshark/plugins/$WS_VER/epan"
cp "$PLUGIN" "$HOMEDIR/.local/lib/wireshark/plugins/$WS_VER/epan/"
chmod -R a+rX "$HOMEDIR"

PREFIX=()
if [ "$(id -u)" = 0 ]; then
    PREFIX=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
fi
ENV=(env -i "HOME=$HOMEDIR" "PATH=/usr/bin:/bin" "LC_ALL=C.UTF-8")

ts() { (cd "$SCRATCH" && "${PREFIX[@]}" "${ENV[@]}" "$TSHARK" "$@"); }

ts -G plugins 2>/dev/null | grep -q 'pmtud\.so' || die "tshark did not load $PLUGIN"

# --- captures -----------------------------------------------------------------
# Sizes the generator is asked for; the profile capture only when wanted.
GEN_SIZES=("${SIZE_LIST[@]}")
[ "$PROFILE" != 0 ] && GEN_SIZES+=("$PROFILE")
cap() { echo "$SCRATCH/bulk-$1.pcap"; }
for n in "${GEN_SIZES[@]}"; do
    f=$(cap "$n")
    if [ "$REGEN" = 1 ] || [ ! -s "$f" ] || [ "$f" -ot "$HERE/pmtud_bench_gen.c" ] || [ "$f" -ot "$REPO/tests/lib/gen_util.h" ]; then
        log "generating $n frames"
        "$GEN" -n "$n" -o "$f" > "$f.txt" || die "generator failed"
    fi
    chmod 644 "$f" "$f.txt"
    log "$(cat "$f.txt")"
done

# --- measuring ----------------------------------------------------------------
if [ -n "$FROM_RAW" ]; then
    [ -s "$FROM_RAW" ] || die "no raw file $FROM_RAW"
    RAW=$FROM_RAW
else
    RAW="$SCRATCH/raw-$(date +%Y%m%d-%H%M%S).tsv"
    printf 'mode\tframes\tpmtud\trep\tseconds\tcpu_seconds\tpeak_rss_kb\n' > "$RAW"
fi
TIMEF="$SCRATCH/.time"
ERRF="$SCRATCH/.stderr"

# One timed run. Wall time from the clock around the run (ms resolution;
# /usr/bin/time's %e only has 10 ms), peak RSS and CPU time from wait4().
# The setpriv/env exec chain stays one process, so %M is tshark's own.
measure() {  # mode frames on|off rep args...
    local mode=$1 frames=$2 side=$3 rep=$4 t0 t1 extra=()
    shift 4
    [ "$side" = off ] && extra=(--disable-protocol pmtud)
    t0=$(date +%s%N)
    if ! (cd "$SCRATCH" && /usr/bin/time -f '%U %S %M' -o "$TIMEF" \
            "${PREFIX[@]}" "${ENV[@]}" "$TSHARK" "${extra[@]}" "$@" >/dev/null 2>"$ERRF"); then
        cat "$ERRF" >&2
        die "tshark ${extra[*]} $* failed"
    fi
    t1=$(date +%s%N)
    read -r u s kb < <(tail -1 "$TIMEF")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$mode" "$frames" "$side" "$rep" \
        "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')" \
        "$(awk -v a="$u" -v b="$s" 'BEGIN { printf "%.2f", a + b }')" "$kb" >> "$RAW"
}

# The modes: name, target time ratio, tshark arguments (F = the capture).
# The first four never look at pmtud's output: pmtud must cost (almost)
# nothing there. The last two ask for it.
MODE_NAMES=(plain quiet tcp-filter fields pmtud-filter two-pass-pmtud)
if [ -n "$MODES" ]; then
    IFS=, read -r -a wanted <<< "$MODES"
    for m in "${wanted[@]}"; do
        [[ " ${MODE_NAMES[*]} " == *" $m "* ]] || die "unknown mode: $m"
    done
    MODE_NAMES=("${wanted[@]}")
fi
declare -A MODE_CMD MODE_TARGET
MODE_CMD[plain]="tshark -r F"
MODE_CMD[quiet]="tshark -r F -q"
MODE_CMD[tcp-filter]="tshark -r F -Y 'tcp.len > 1000'"
MODE_CMD[fields]="tshark -r F -T fields -e frame.number -e tcp.seq"
MODE_CMD[pmtud-filter]="tshark -r F -Y pmtud"
MODE_CMD[two-pass-pmtud]="tshark -2 -r F -Y pmtud"
MODE_TARGET=([plain]=1.03 [quiet]=1.03 [tcp-filter]=1.03 [fields]=1.03 [pmtud-filter]=1.10 [two-pass-pmtud]=1.10)
RSS_TARGET=1.10
mode_args() {  # mode file -> prints NUL-separated arguments
    local f=$2
    case "$1" in
    plain) printf '%s\0' -r "$f" ;;
    quiet) printf '%s\0' -r "$f" -q ;;
    tcp-filter) printf '%s\0' -r "$f" -Y 'tcp.len > 1000' ;;
    fields) printf '%s\0' -r "$f" -T fields -e frame.number -e tcp.seq ;;
    pmtud-filter) printf '%s\0' -r "$f" -Y pmtud ;;
    two-pass-pmtud) printf '%s\0' -2 -r "$f" -Y pmtud ;;
    esac
}

run_mode() {  # mode frames
    local mode=$1 n=$2 f rep args=()
    f=$(cap "$n")
    mapfile -d '' -t args < <(mode_args "$mode" "$f")
    for ((rep = 1; rep <= REPS; rep++)); do
        log "  $mode, $n frames, repetition $rep/$REPS"
        # Alternate who goes first: a slow drift then favours neither.
        if ((rep % 2)); then
            measure "$mode" "$n" off "$rep" "${args[@]}"
            measure "$mode" "$n" on "$rep" "${args[@]}"
        else
            measure "$mode" "$n" on "$rep" "${args[@]}"
            measure "$mode" "$n" off "$rep" "${args[@]}"
        fi
    done
}

warm() {  # frames: page cache and tshark's own files, untimed
    local f
    f=$(cap "$1")
    cat "$f" > /dev/null
    ts -r "$f" -c 1000 > /dev/null
}

# --- sanity: pmtud sees the events, and --disable-protocol really disables it --
SMALLEST=${SIZE_LIST[0]}
log "sanity check on $SMALLEST frames"
# Two passes, so data frames also show the ICMP that later rejected them.
SANITY_ON=$(ts -2 -r "$(cap "$SMALLEST")" -Y pmtud -T fields -e pmtud.icmp.verdict 2>/dev/null \
            | sed 's/^$/(data frame rejected by an ICMP)/' | sort | uniq -c | sort -rn)
SANITY_OFF=$(ts --disable-protocol pmtud -r "$(cap "$SMALLEST")" -Y pmtud 2>/dev/null | wc -l)
[ -n "$SANITY_ON" ] || die "pmtud found nothing in the benchmark capture"
[ "$SANITY_OFF" = 0 ] || die "--disable-protocol pmtud left $SANITY_OFF pmtud frames"

# Other work on the machine inflates wall-clock time unevenly; the report
# says how busy it was, and gives CPU-time ratios next to wall-clock ones.
LOAD_BEFORE=$(cut -d' ' -f1 /proc/loadavg)
START=$(date +%s)
if [ -n "$FROM_RAW" ]; then
    REPS=$(awk -F'\t' 'NR > 1 && $4 > r { r = $4 } END { print r }' "$RAW")
    # The raw file does not say which build it measured.
    GITREV="(build of the earlier run; tables re-rendered from $(basename "$RAW"))"
    LOAD_BEFORE="?"
fi
if [ -z "$FROM_RAW" ]; then
    log "mode table: $LARGEST frames, $REPS repetitions per side"
    warm "$LARGEST"
    for m in "${MODE_NAMES[@]}"; do
        run_mode "$m" "$LARGEST"
    done

    log "growth table"
    measured() { awk -F'\t' -v m="$1" -v n="$2" '$1 == m && $2 == n { f = 1 } END { exit !f }' "$RAW"; }
    for n in "${SIZE_LIST[@]}"; do
        warm "$n"
        for m in plain pmtud-filter; do
            measured "$m" "$n" || run_mode "$m" "$n"   # the largest may be done
        done
    done
fi
ELAPSED=$(( $(date +%s) - START ))
LOAD_AFTER=$(cut -d' ' -f1 /proc/loadavg)
[ -n "$FROM_RAW" ] && LOAD_AFTER="?"

# --- optional callgrind profile -------------------------------------------------
PROFILE_MD=""
if [ "$PROFILE" != 0 ]; then
    command -v valgrind >/dev/null || die "--profile needs valgrind"
    log "callgrind, $PROFILE frames, tshark -r F, pmtud off and on"
    PDIR="$SCRATCH/callgrind"
    rm -rf "$PDIR"; mkdir -p "$PDIR"; chmod 777 "$PDIR"
    for side in off on; do
        extra=()
        [ "$side" = off ] && extra=(--disable-protocol pmtud)
        (cd "$SCRATCH" && "${PREFIX[@]}" "${ENV[@]}" valgrind --tool=callgrind \
            --callgrind-out-file="$PDIR/callgrind.$side" "$TSHARK" "${extra[@]}" \
            -r "$(cap "$PROFILE")" >/dev/null 2>"$PDIR/valgrind.$side.log") \
            || die "callgrind run failed, see $PDIR/valgrind.$side.log"
    done
    # Annotate to files first: a reader that stops early would SIGPIPE
    # callgrind_annotate, which pipefail turns into a failure.
    for side in off on; do
        callgrind_annotate --auto=no --threshold=100 "$PDIR/callgrind.$side" \
            > "$PDIR/self.$side.txt" 2>/dev/null || die "callgrind_annotate failed"
    done
    callgrind_annotate --auto=no --threshold=100 --inclusive=yes "$PDIR/callgrind.on" \
        > "$PDIR/inclusive.on.txt" 2>/dev/null || die "callgrind_annotate failed"
    ir() { awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1; exit }' "$1"; }
    IR_OFF=$(ir "$PDIR/self.off.txt"); IR_ON=$(ir "$PDIR/self.on.txt")
    # Inclusive cost of the post-dissector with all it calls (Wireshark's
    # hash maps included), and the plugin's own functions by self cost.
    # (callgrind_annotate may list a function twice, with and without its
    # source file: take the larger figure.)
    POST=$(awk '/:dissect_pmtud( |$)/ { c = $1; gsub(",", "", c); if (c + 0 > m) m = c + 0 }
                END { print m + 0 }' "$PDIR/inclusive.on.txt")
    TOPFN=$(awk -v n="$PROFILE" '/pmtud\.so\]$/ && ++k <= 10 {
                c = $1; gsub(",", "", c); f = $0; sub(/ \[.*$/, "", f); sub(/^.*:/, "", f)
                printf "%8.1f instructions/frame  %s\n", c / n, f }' "$PDIR/self.on.txt")
    PROFILE_MD=$(awk -v off="$IR_OFF" -v on="$IR_ON" -v post="${POST:-0}" -v n="$PROFILE" 'BEGIN {
        printf "## Where pmtud spends (callgrind, %d frames, `tshark -r F`)\n\n", n
        printf "| | instructions | per frame |\n|---|---:|---:|\n"
        printf "| pmtud disabled | %.0f | %.0f |\n", off, off / n
        printf "| pmtud enabled | %.0f | %.0f |\n", on, on / n
        printf "| difference | %.0f (%.2f%%) | %.0f |\n", on - off, (on - off) * 100 / off, (on - off) / n
        printf "| dissect_pmtud inclusive | %.0f (%.2f%%) | %.0f |\n\n", post, post * 100 / on, post / n
    }')
    PROFILE_MD+=$'\n\n'"Top pmtud functions by own instructions:"$'\n\n```\n'"$TOPFN"$'\n```\n'
fi

# --- report ------------------------------------------------------------------------
# median of column `col` for (mode, frames, side)
med() {
    awk -F'\t' -v m="$1" -v n="$2" -v s="$3" -v c="$4" \
        'NR > 1 && $1 == m && $2 == n && $3 == s { print $c }' "$RAW" \
        | sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) { print "nan"; exit }
                          if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

verdict() {  # ratio target
    awk -v r="$1" -v t="$2" 'BEGIN { print (r + 0 <= t + 0) ? "met" : "**not met**" }'
}

REPORT=$(mktemp)
{
    echo "# pmtud benchmark"
    echo
    echo "- $(date -u '+%Y-%m-%d %H:%M UTC'), $WS_FULL, $(uname -sr), $(nproc) CPUs:" \
         "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
    echo "- pmtud at $GITREV, RelWithDebInfo;" \
         "$REPS repetitions per side, medians; pmtud on and off (\`--disable-protocol pmtud\`) alternate, one tshark at a time"
    echo "- capture: $(sed 's/^[^:]*: //' "$(cap "$LARGEST").txt")"
    [ -z "$FROM_RAW" ] && echo "- measuring took $((ELAPSED / 60)) min $((ELAPSED % 60)) s; raw figures: \`$RAW\`"
    [ -z "$FROM_RAW" ] && echo "- load average $LOAD_BEFORE before, $LOAD_AFTER after$(awk -v a="$LOAD_BEFORE" -v b="$LOAD_AFTER" \
         'BEGIN { if (a "" != "?" && (a > 0.7 || b > 1.7)) printf ": the machine was busy with other work, wall-clock figures are noisy and the CPU-time ratio is the better guide" }')"
    echo
    echo "## Cost per mode ($LARGEST frames)"
    echo
    echo "| mode | s without | s with | time ratio | CPU s without | CPU s with | CPU ratio | target | | peak RSS MB without | with | RSS ratio | target | |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---|"
    for m in "${MODE_NAMES[@]}"; do
        toff=$(med "$m" "$LARGEST" off 5); ton=$(med "$m" "$LARGEST" on 5)
        coff=$(med "$m" "$LARGEST" off 6); con=$(med "$m" "$LARGEST" on 6)
        roff=$(med "$m" "$LARGEST" off 7); ron=$(med "$m" "$LARGEST" on 7)
        tr=$(awk -v a="$ton" -v b="$toff" 'BEGIN { printf "%.3f", a / b }')
        cr=$(awk -v a="$con" -v b="$coff" 'BEGIN { printf "%.3f", a / b }')
        rr=$(awk -v a="$ron" -v b="$roff" 'BEGIN { printf "%.3f", a / b }')
        # The verdict needs both clocks within target: wall for what a user
        # waits, CPU because it is what a busy machine disturbs least.
        both=$(awk -v a="$tr" -v b="$cr" 'BEGIN { print (a > b) ? a : b }')
        printf '| `%s` | %.2f | %.2f | %s | %.2f | %.2f | %s | %s | %s | %.1f | %.1f | %s | %s | %s |\n' \
            "${MODE_CMD[$m]}" "$toff" "$ton" "$tr" "$coff" "$con" "$cr" \
            "${MODE_TARGET[$m]}" "$(verdict "$both" "${MODE_TARGET[$m]}")" \
            "$(awk -v k="$roff" 'BEGIN { print k / 1024 }')" "$(awk -v k="$ron" 'BEGIN { print k / 1024 }')" \
            "$rr" "$RSS_TARGET" "$(verdict "$rr" "$RSS_TARGET")"
    done
    echo
    echo "Targets: time ratio at most 1.03 where pmtud's output is not asked for, 1.10 where it is;"
    echo "peak RSS ratio at most $RSS_TARGET. A time target counts as met when both the wall-clock and the CPU-time"
    echo "(user + system) ratio are within it. Medians; the spread between repetitions is in the raw file."
    echo
    echo "## Growth with capture size"
    echo
    echo "| mode | frames | s without | s with | time ratio | CPU ratio | µs/frame without | µs/frame with | CPU µs/frame with | RSS MB without | RSS MB with | RSS MB added |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    for m in plain pmtud-filter; do
        for n in "${SIZE_LIST[@]}"; do
            toff=$(med "$m" "$n" off 5); ton=$(med "$m" "$n" on 5)
            coff=$(med "$m" "$n" off 6); con=$(med "$m" "$n" on 6)
            roff=$(med "$m" "$n" off 7); ron=$(med "$m" "$n" on 7)
            awk -v cmd="${MODE_CMD[$m]}" -v n="$n" -v toff="$toff" -v ton="$ton" -v coff="$coff" -v con="$con" \
                -v roff="$roff" -v ron="$ron" 'BEGIN {
                printf "| `%s` | %d | %.2f | %.2f | %.3f | %.3f | %.2f | %.2f | %.2f | %.1f | %.1f | %.1f |\n",
                    cmd, n, toff, ton, ton / toff, con / coff, toff * 1e6 / n, ton * 1e6 / n, con * 1e6 / n,
                    roff / 1024, ron / 1024, (ron - roff) / 1024 }'
        done
    done
    echo
    echo "pmtud's index is a bounded ring (131072 records by default), so the RSS it adds should stop"
    echo "growing once the ring is full, while time per frame should stay flat."
    echo
    echo "## Sanity (\`tshark -2 -r F -Y pmtud\` on $SMALLEST frames, by verdict)"
    echo
    echo '```'
    echo "$SANITY_ON"
    echo '```'
    echo
    echo "With \`--disable-protocol pmtud\`, \`-Y pmtud\` matched $SANITY_OFF frames."
    if [ -n "$PROFILE_MD" ]; then
        echo
        echo "$PROFILE_MD"
    fi
} > "$REPORT"

cat "$REPORT"
if [ -n "$OUT" ]; then
    cp "$REPORT" "$OUT"
    log "tables written to $OUT"
fi
rm -f "$REPORT"
