#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Adversarial captures against pmtud's bounds (time and memory), not a
# pass/fail test: it measures and prints Markdown tables.
#
# Captures (pmtud_adv_gen.c; see its header for what each one does):
#   icmp-nocap  ICMP frag-needed errors quoting nothing captured, each of another flow
#   flows       distinct TCP flows, one data segment each
#   one-flow    one TCP flow, all the segments
#   collide     flows brute-forced into one hash bucket, then ICMPs quoting them
# each at every size of --sizes (the smaller ones are the first frames of
# the largest, cut with editcap).
#
# For each capture, tshark runs with pmtud and with --disable-protocol pmtud:
#   tree    tshark -q -r F -z pmtud,tree      (pmtud's tap is listened to)
#   filter  tshark -r F -Y pmtud              (a tree for every frame, matches printed)
# measuring wall time and peak RSS with /usr/bin/time -f '%e %M', one run
# at a time. Then: is pmtud's added time linear in the capture size, and
# is the RSS it adds within the documented bound (index + conversation + black-hole
# table + per-frame reports, with the real structure sizes read from the
# plugin's debug info)? Also `-z pmtud,flows` on growing icmp-nocap
# captures (--flows-sizes), whose rows are found by a linear search.
#
# Usage: tests/adversarial/run_adversarial.sh [--sizes 500000,1000000]
#            [--cases icmp-nocap,flows,one-flow,collide]
#            [--flows-sizes 25000,50000,100000,200000|none]
#            [--scratch DIR] [--build-dir DIR] [--out FILE] [--timeout SECS]
#            [--reps N] [--tables-only]
#
#   --scratch    captures, logs and the private HOME (default
#                /var/tmp/pmtud-adversarial or $PMTUD_ADV_DIR; 1M frames is
#                up to 170 MB per capture): never in the repository
#   --build-dir  plain (RelWithDebInfo) build of the plugin, made if absent
#                (default SCRATCH/build)
#   --out        also write the tables to this file
#   --timeout    limit per tshark run (default 3600 s); a run cut short is
#                shown as "> LIMIT"
#   --reps       runs per measurement, the fastest kept (default 1)
#   --tables-only  measure nothing: the tables from the logs of the last run
#                (same --sizes and --cases)
#
# Wireshark ignores personal plugin folders for root, so as root tshark runs
# as "nobody" (setpriv) with HOME pointing at a private folder holding the
# plugin.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)

SIZES=500000,1000000
CASES=icmp-nocap,flows,one-flow,collide
FLOWS_SIZES=25000,50000,100000,200000
SCRATCH=${PMTUD_ADV_DIR:-/var/tmp/pmtud-adversarial}
BUILD=""
OUT=""
LIMIT=3600
REPS=1
TABLES_ONLY=0
TSHARK=${TSHARK:-tshark}

usage() { sed -n '/^# Usage:/,/^# Wireshark ignores/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit "${1:-0}"; }
die() { echo "run_adversarial.sh: $*" >&2; exit 1; }
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

while [ $# -gt 0 ]; do
    case "$1" in
    --sizes) SIZES=$2; shift 2 ;;
    --cases) CASES=$2; shift 2 ;;
    --flows-sizes) FLOWS_SIZES=$2; shift 2 ;;
    --scratch) SCRATCH=$2; shift 2 ;;
    --build-dir) BUILD=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    --timeout) LIMIT=$2; shift 2 ;;
    --reps) REPS=$2; shift 2 ;;
    --tables-only) TABLES_ONLY=1; shift ;;
    -h|--help) usage 0 ;;
    *) echo "unknown option: $1" >&2; usage 2 ;;
    esac
done
BUILD=${BUILD:-$SCRATCH/build}
IFS=, read -r -a SIZE_LIST <<< "$SIZES"
IFS=, read -r -a CASE_LIST <<< "$CASES"
[ "$FLOWS_SIZES" = none ] && FLOWS_SIZES=""
IFS=, read -r -a FLOWS_LIST <<< "$FLOWS_SIZES"
[[ $REPS =~ ^[1-9][0-9]*$ ]] || die "--reps wants a positive number"
for s in "${SIZE_LIST[@]}" "${FLOWS_LIST[@]}"; do [[ $s =~ ^[1-9][0-9]*$ ]] || die "bad size: $s"; done
for c in "${CASE_LIST[@]}"; do
    case $c in icmp-nocap|flows|one-flow|collide) ;; *) die "unknown case: $c" ;; esac
done
mapfile -t SIZE_LIST < <(printf '%s\n' "${SIZE_LIST[@]}" | sort -n)
MAX_SIZE=${SIZE_LIST[-1]}
for tool in "$TSHARK" editcap capinfos cmake gcc gdb /usr/bin/time timeout; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool not found"
done

mkdir -p "$SCRATCH/captures" "$SCRATCH/logs"
rm -f "$SCRATCH/failed" "$SCRATCH/per-icmp"
chmod 755 "$SCRATCH" "$SCRATCH/captures"

# --- plugin and generator -----------------------------------------------------
# shellcheck source=tests/lib/build_plugin.sh
. "$REPO/tests/lib/build_plugin.sh"
built_from=$(build_plugin "$BUILD" pmtud "$(nproc)" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPMTUD_SANITIZE=OFF) ||
    die "configuring or building pmtud (RelWithDebInfo) in $BUILD failed"
log "plugin built from $built_from"
PLUGIN=$BUILD/plugin/pmtud.so
GEN=$SCRATCH/pmtud_adv_gen
gcc -O2 -std=c11 -Wall -Wextra -I"$REPO/plugin" "$HERE/pmtud_adv_gen.c" \
    "$REPO/plugin/pmtud_index.c" "$REPO/plugin/pmtud_flow.c" -o "$GEN"

WS_VERSION=$("$TSHARK" --version 2>/dev/null | sed -n 's/^TShark (Wireshark) \([0-9]*\)\.\([0-9]*\)\..*/\1.\2/p' | head -1)
HOME_DIR=$SCRATCH/home
EPAN=$HOME_DIR/.local/lib/wireshark/plugins/$WS_VERSION/epan
rm -rf "$HOME_DIR"
mkdir -p "$EPAN"
cp "$PLUGIN" "$EPAN/"
chmod -R a+rX "$HOME_DIR"
PRIV=()
[ "$(id -u)" -eq 0 ] && PRIV=(setpriv --reuid=nobody --regid=nogroup --clear-groups)

# --- captures -------------------------------------------------------------------
# Rebuilt when the generator changes (its checksum is in the name of a marker).
GEN_SUM=$(cat "$HERE/pmtud_adv_gen.c" "$REPO/tests/lib/gen_util.h" | cksum | cut -d' ' -f1)
capture() { echo "$SCRATCH/captures/$1-$2.pcap"; }
for c in "${CASE_LIST[@]}"; do
    big=$(capture "$c" "$MAX_SIZE")
    if [ ! -f "$big.$GEN_SUM" ]; then
        log "generating $c, $MAX_SIZE frames"
        rm -f "$big".*
        "$GEN" -m "$c" -n "$MAX_SIZE" -o "$big" 2>&1 >&2 | tee "$big.genlog" >&2
        touch "$big.$GEN_SUM"
    fi
    for s in "${SIZE_LIST[@]}" "${FLOWS_LIST[@]}"; do
        [ "$s" -lt "$MAX_SIZE" ] || continue
        [ "$c" = icmp-nocap ] || printf '%s\n' "${SIZE_LIST[@]}" | grep -qx "$s" || continue
        small=$(capture "$c" "$s")
        if [ ! -f "$small.$GEN_SUM" ] || [ "$small" -ot "$big" ]; then
            rm -f "$small".*
            editcap -r "$big" "$small" "1-$s"
            touch "$small.$GEN_SUM"
        fi
    done
done
chmod 644 "$SCRATCH"/captures/*.pcap

# --- measuring --------------------------------------------------------------------
# measure NAME ARGS... -> "SECONDS KB" (SECONDS prefixed by ">" when cut
# short): the fastest of REPS runs, and its RSS.
measure() {
    local name=$1 i; shift
    [ ! -f "$SCRATCH/failed" ] || die "$(cat "$SCRATCH/failed")"
    if [ "$TABLES_ONLY" -eq 1 ]; then
        [ -f "$SCRATCH/logs/$name.time" ] || die "no measurement $name in $SCRATCH/logs"
        tail -1 "$SCRATCH/logs/$name.time"
        return
    fi
    for ((i = 1; i <= REPS; i++)); do measure_once "$name" "$@"; done |
        sort -t' ' -k1,1 -g | head -1
}
measure_once() {
    local name=$1; shift
    local tf=$SCRATCH/logs/$name.time rc=0
    timeout -k 10 "$LIMIT" /usr/bin/time -o "$tf" -f '%e %M' \
        "${PRIV[@]}" env HOME="$HOME_DIR" LC_ALL=C.UTF-8 "$TSHARK" "$@" \
        >"$SCRATCH/logs/$name.out" 2>"$SCRATCH/logs/$name.err" || rc=$?
    if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
        echo ">$LIMIT 0"
        return
    fi
    if [ "$rc" -ne 0 ]; then
        echo "tshark $* failed ($rc): $(tail -3 "$SCRATCH/logs/$name.err")" > "$SCRATCH/failed"
        echo "0 0"
        return
    fi
    tail -1 "$tf"
}

frames_of() { capinfos -M -c "$1" | awk '/Number of packets/ {print $NF}'; }

# Frames before the first ICMP: collide starts with a fixed block of data
# frames (the index filled), so its work grows with the ICMPs after them.
data_prefix() {
    local big
    big=$(capture "$1" "$MAX_SIZE")
    [ "$1" = collide ] || { echo 0; return; }
    if [ -f "$big.genlog" ]; then
        sed -n 's/^collide: \([0-9]*\) data frames.*/\1/p' "$big.genlog"
    else
        "${PRIV[@]}" env HOME="$HOME_DIR" "$TSHARK" -n -r "$big" -Y '!icmp' -T fields -e frame.number \
            --disable-protocol pmtud 2>/dev/null | tail -1
    fi
}

declare -A T R
RUNS=(tree filter)
run_args() {   # run_args RUN FILE
    case $1 in
    tree)   echo "-q -r $2 -z pmtud,tree" ;;
    filter) echo "-r $2 -Y pmtud" ;;
    esac
}
# shellcheck disable=SC2016  # backquotes for Markdown
run_label() {
    case $1 in
    tree)   echo '`-q -z pmtud,tree`' ;;
    filter) echo '`-Y pmtud`' ;;
    esac
}

# Sanity: the plugin is loaded and pmtud,tree is served.
"${PRIV[@]}" env HOME="$HOME_DIR" "$TSHARK" -G protocols 2>/dev/null | grep -q '^Path MTU Discovery analysis' ||
    die "tshark does not load $PLUGIN"

# tshark's start-up, subtracted before comparing sizes.
tiny=$SCRATCH/captures/tiny.pcap
editcap -r "$(capture "${CASE_LIST[0]}" "$MAX_SIZE")" "$tiny" 1-1 && chmod 644 "$tiny"
if [ "$TABLES_ONLY" -eq 1 ]; then
    STARTUP=$(cat "$SCRATCH/logs/startup.best")
else
    STARTUP=$(for _ in 1 2 3; do measure startup -q -r "$tiny" -z pmtud,tree; done | awk '{print $1}' | sort -n | head -1)
    echo "$STARTUP" > "$SCRATCH/logs/startup.best"
fi
[ ! -f "$SCRATCH/failed" ] || die "$(cat "$SCRATCH/failed")"
log "tshark start-up: $STARTUP s"

for c in "${CASE_LIST[@]}"; do
    for s in "${SIZE_LIST[@]}"; do
        f=$(capture "$c" "$s")
        for run in "${RUNS[@]}"; do
            read -r -a args <<< "$(run_args "$run" "$f")"
            log "$c $s $run: without pmtud"
            read -r t r <<< "$(measure "$c-$s-$run-without" "${args[@]}" --disable-protocol pmtud)"
            T[$c,$s,$run,without]=$t; R[$c,$s,$run,without]=$r
            log "$c $s $run: with pmtud"
            read -r t r <<< "$(measure "$c-$s-$run-with" "${args[@]}")"
            T[$c,$s,$run,with]=$t; R[$c,$s,$run,with]=$r
            [ ! -f "$SCRATCH/failed" ] || die "$(cat "$SCRATCH/failed")"
            log "  with ${T[$c,$s,$run,with]} s ${R[$c,$s,$run,with]} KB, without ${T[$c,$s,$run,without]} s ${R[$c,$s,$run,without]} KB"
        done
    done
done

# --- tables -------------------------------------------------------------------------
mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
sub_s() { awk -v a="$1" -v b="$2" 'BEGIN { if (a ~ />/) print "n/a"; else printf "%.2f", a - b }'; }

# The documented bound, with the real sizes from the plugin's debug info.
gdb_size() {
    # shellcheck disable=SC2016  # gdb's $1, not the shell's
    gdb -batch -nx -ex "print sizeof($1)" "$PLUGIN" 2>/dev/null | sed -n 's/^\$1 = //p'
}
REC=$(gdb_size pmtud_rec_t); RES=$(gdb_size pmtud_icmp_result_t)
BH=$(gdb_size 'struct pmtud_blackholes'); FW=$(gdb_size 'struct pmtud_follow')
CONV=$(gdb_size 'struct pmtud_convs')
FR=$(gdb_size frame_report_t)
WINDOW=131072; MAX_REPORTS=200000
ring=$((WINDOW * REC)); buckets=$((WINDOW * 8))
# A report: the result (ICMP), its frame_report_t and the quoted flow's copy
# (38 bytes, 40 with wmem's alignment), each a wmem file-scope chunk (16-byte
# header); the wmem map adds a node (key, value, next: 24 bytes, also a
# chunk) and about two bucket pointers per entry (it doubles); the covered
# frame's list of rejecting ICMPs about 8 bytes more.
per_report=$((RES + 16 + FR + 16 + 40 + 16 + 24 + 16 + 16 + 8))
reports=$((MAX_REPORTS * per_report))
bound=$((ring + buckets + CONV + BH + FW + reports))

{
echo "## pmtud on adversarial captures"
echo
echo "tshark $("$TSHARK" --version 2>/dev/null | head -1 | awk '{print $3}'), plugin $PLUGIN, $(nproc) CPUs; wall time, the fastest of $REPS run(s)."
echo "Time and RSS: \`/usr/bin/time -f '%e %M'\`; \"without\" is the same tshark with \`--disable-protocol pmtud\`."
echo
echo "| capture | frames | tshark | time with (s) | time without (s) | pmtud adds (s) | RSS with (MB) | RSS without (MB) | RSS added by pmtud (MB) |"
echo "|---|---:|---|---:|---:|---:|---:|---:|---:|"
for c in "${CASE_LIST[@]}"; do
    for s in "${SIZE_LIST[@]}"; do
        n=$(frames_of "$(capture "$c" "$s")")
        for run in "${RUNS[@]}"; do
            tw=${T[$c,$s,$run,with]}; to=${T[$c,$s,$run,without]}
            rw=${R[$c,$s,$run,with]}; ro=${R[$c,$s,$run,without]}
            echo "| $c | $n | $(run_label "$run") | $tw | $to | $(sub_s "$tw" "$to") | $(mb "$rw") | $(mb "$ro") | $(mb $((rw - ro))) |"
        done
    done
done
echo
if [ ${#SIZE_LIST[@]} -ge 2 ]; then
    lo=${SIZE_LIST[0]}; hi=${SIZE_LIST[-1]}
    echo "### Is the time linear? ($lo -> $hi frames, x$(awk -v a="$lo" -v b="$hi" 'BEGIN { printf "%.2f", b / a }'))"
    echo
    echo "Times less tshark's start-up ($STARTUP s, the best of 3 runs on a 1-frame capture)."
    echo "Expected ratio: of the frames, except for collide: of its ICMPs (the frames after its"
    echo "fixed block of data frames). Linear: the total within 25% of the expected ratio, and"
    echo "pmtud's share (when over 0.2 s) not above 1.25 x expected."
    echo
    echo "| capture | tshark | expected ratio | time with: $lo / $hi (s) | ratio | pmtud adds: $lo / $hi (s) | ratio | linear? |"
    echo "|---|---|---:|---:|---:|---:|---:|---|"
    for c in "${CASE_LIST[@]}"; do
        pre=$(data_prefix "$c")
        k=$(awk -v a="$lo" -v b="$hi" -v p="${pre:-0}" 'BEGIN { print (b - p) / (a - p) }')
        for run in "${RUNS[@]}"; do
            a1=${T[$c,$lo,$run,with]}; a2=${T[$c,$hi,$run,with]}
            d1=$(sub_s "$a1" "${T[$c,$lo,$run,without]}"); d2=$(sub_s "$a2" "${T[$c,$hi,$run,without]}")
            a1=$(sub_s "$a1" "$STARTUP"); a2=$(sub_s "$a2" "$STARTUP")
            awk -v c="$c" -v r="$(run_label "$run")" -v a1="$a1" -v a2="$a2" -v d1="$d1" -v d2="$d2" \
                -v k="$k" 'BEGIN {
                ra = (a1 > 0) ? a2 / a1 : 0; rd = (d1 > 0.2) ? d2 / d1 : -1
                # linear: the total grows like the size; pmtud'"'"'s share may be too small to tell
                ok = (ra >= 0.75 * k && ra <= 1.25 * k) && (rd < 0 || rd <= 1.25 * k)
                printf "| %s | %s | %.2f | %s / %s | %.2f | %s / %s | %s | %s |\n", c, r, k, a1, a2, ra, d1, d2,
                       rd < 0 ? "(too small)" : sprintf("%.2f", rd), ok ? "yes" : "NO"
            }'
        done
        if [ "$c" = collide ]; then
            for run in "${RUNS[@]}"; do
                for sz in "$lo" "$hi"; do
                    d=$(sub_s "${T[$c,$sz,$run,with]}" "${T[$c,$sz,$run,without]}")
                    awk -v d="$d" -v n="$((sz - pre))" -v r="$(run_label "$run")" -v sz="$sz" 'BEGIN {
                        printf "collide, %s frames, %s: pmtud adds %.3f ms per ICMP (%d ICMPs)  \n", sz, r, 1000 * d / n, n }' >> "$SCRATCH/per-icmp"
                done
            done
        fi
    done
    echo
    if [ -f "$SCRATCH/per-icmp" ]; then cat "$SCRATCH/per-icmp"; rm -f "$SCRATCH/per-icmp"; echo; fi
fi
echo "### Memory bound"
echo
echo "Sizes from the plugin's debug info: pmtud_rec_t $REC B, pmtud_icmp_result_t $RES B, frame_report_t $FR B,"
echo "conversation table $CONV B, black-hole table $BH B, follow table $FW B; window $WINDOW (a power of two already), max_reports $MAX_REPORTS."
echo
echo "- index: $WINDOW x $REC B + $WINDOW x 8 B buckets = $(mb $(((ring + buckets) / 1024))) MB"
echo "- conversation table: $(mb $((CONV / 1024))) MB; black-hole table: $(mb $((BH / 1024))) MB; follow table: $(mb $((FW / 1024))) MB"
echo "- reports: $MAX_REPORTS x $per_report B (result $RES + frame_report_t $FR + flow 40 + map node 24, four 16-byte wmem chunk headers, ~16 B of map buckets, ~8 B of rejection lists) = $(mb $((reports / 1024))) MB"
# As the README documents it: the four tables plus 4 MB for the plugin's
# code, the follow table and allocator slack.
DOC_BOUND=$((131072 * 112 + 65536 * 64 + 4096 * 1272 + 200000 * 600 + 4 * 1024 * 1024))
echo "- bound: $(mb $((bound / 1024))) MB (documented: 131072 x 112 B, 65536 x 64 B, 4096 x 1272 B, 200000 x ~600 B, + 4 MB = $(mb $((DOC_BOUND / 1024))) MB)"
echo
max_added=0; max_where=""
for c in "${CASE_LIST[@]}"; do
    for s in "${SIZE_LIST[@]}"; do
        for run in "${RUNS[@]}"; do
            d=$((R[$c,$s,$run,with] - R[$c,$s,$run,without]))
            if [ "$d" -gt "$max_added" ]; then max_added=$d; max_where="$c, $s frames, $(run_label "$run")"; fi
        done
    done
done
doc=$((DOC_BOUND))
echo "Largest RSS added by pmtud: $(mb "$max_added") MB ($max_where):" \
     "$(awk -v m="$max_added" -v b="$bound" -v d="$doc" 'BEGIN {
        printf "%s the computed bound (%.0f%% of it), %s the documented one (%.0f%%)",
               (m * 1024 <= b) ? "within" : "ABOVE", 100 * m * 1024 / b,
               (m * 1024 <= d) ? "within" : "ABOVE", 100 * m * 1024 / d }')."
if printf '%s\n' "${CASE_LIST[@]}" | grep -qx icmp-nocap; then
    # Every frame of icmp-nocap is a report and nothing is indexed (ICMP
    # errors are not), so its RSS added is the reports' cost.
    echo
    for s in "${SIZE_LIST[@]}"; do
        d=$((R[icmp-nocap,$s,tree,with] - R[icmp-nocap,$s,tree,without]))
        n=$(( s < MAX_REPORTS ? s : MAX_REPORTS ))
        echo "- icmp-nocap, $s frames ($n reports kept): $(mb "$d") MB added, $((d * 1024 / n)) B per report (documented: ~420, computed: $per_report)"
    done
fi
echo
} | tee "$SCRATCH/tables.md"

# --- -z pmtud,flows: rows found by linear search ----------------------------------------
if [ ${#FLOWS_LIST[@]} -gt 0 ] && printf '%s\n' "${CASE_LIST[@]}" | grep -qx icmp-nocap; then
    {
    echo "### \`-z pmtud,flows\` on icmp-nocap (one flow per ICMP)"
    echo
    echo "| frames | flows time with (s) | tree time with (s) | flows - tree (s) | per row (us) | RSS flows (MB) |"
    echo "|---:|---:|---:|---:|---:|---:|"
    } | tee -a "$SCRATCH/tables.md"
    for s in "${FLOWS_LIST[@]}"; do
        f=$(capture icmp-nocap "$s")
        [ -f "$f" ] || continue
        log "icmp-nocap $s: -z pmtud,flows"
        read -r tf rf <<< "$(measure "flows-$s-flows" -q -r "$f" -z pmtud,flows)"
        read -r tt _ <<< "$(measure "flows-$s-tree" -q -r "$f" -z pmtud,tree)"
        awk -v s="$s" -v tf="$tf" -v tt="$tt" -v rf="$rf" 'BEGIN {
            if (tf ~ />/) { printf "| %s | %s | %s | n/a | n/a | n/a |\n", s, tf, tt; exit }
            rows = s < 200000 ? s : 200000
            printf "| %s | %s | %s | %.2f | %.1f | %.1f |\n", s, tf, tt, tf - tt, 1e6 * (tf - tt) / rows, rf / 1024 }'
    done | tee -a "$SCRATCH/tables.md"
    echo | tee -a "$SCRATCH/tables.md"
fi

[ -z "$OUT" ] || cp "$SCRATCH/tables.md" "$OUT"
log "tables in $SCRATCH/tables.md; logs in $SCRATCH/logs"
