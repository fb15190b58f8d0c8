#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Mutation fuzzing of the whole plugin inside the real tshark, the way
# Wireshark's own tools/fuzz-test.sh works: take a capture from
# testcaptures/ (all subfolders), change random bytes of its frames with
# `editcap -E PROB`, and run tshark with the ASan+UBSan build of pmtud on
# the result, in three modes:
#
#   one-pass   tshark -r F                     (no tree: pmtud's first pass only)
#   two-pass   tshark -2 -r F -Y pmtud         (second pass, drawing, filtering)
#   verbose    tshark -r F -V                  (a full tree for every frame)
#
# A run fails on a crash (killed by a signal, or ASan/UBSan abort), on a
# sanitizer report in stderr ("ERROR: AddressSanitizer", "runtime error:",
# "ERROR: LeakSanitizer"), on a Wireshark "Dissector bug" naming pmtud, or
# when it outlasts the timeout (a hang). Any other non-zero exit is counted
# as an error. The two-pass run prints pmtud's fields beside Wireshark's
# ip/ipv6/tcp/udp ones (-T fields), and a clean run still fails when a claim
# does not follow from the bytes (an "invariant" finding, issue 12; see
# tshark_invariants.awk): an oversize length the frame's wire length does
# not hold, an offload artefact whose quoted length does not exceed the
# matched frame's, a matched length its frame cannot hold, a quoted or
# covered frame that does not precede its ICMP or does not carry the quoted
# flow. The mutated capture and the log are kept in KEEPDIR.
#
# Usage: tests/fuzz/fuzz_tshark.sh [-n COUNT] [-p PROB] [-t SECONDS_PER_RUN]
#            [-b ASAN_BUILD_DIR] [-o KEEPDIR] [-j JOBS] [-d MAX_SECONDS]
#            [-s SEED] [-B BATCH]
#
#   -n COUNT   mutated captures to try (default 1000); each runs 3 tshark
#   -p PROB    editcap -E probability that a byte is changed (default 0.02)
#   -t SECS    timeout per tshark run; longer is a hang (default 60: the
#              slowest clean run takes under 1 s, but the machine may be busy)
#   -b DIR     build directory of pmtud configured with -DPMTUD_SANITIZE=ON;
#              configured and built there when it holds no plugin/pmtud.so
#              (default ${TMPDIR:-/tmp}/pmtud-fuzz-tshark/build-asan)
#   -o DIR     where failing inputs and their logs go
#              (default ${TMPDIR:-/tmp}/pmtud-fuzz-tshark/findings)
#   -j JOBS    mutated captures tried side by side (default: number of CPUs)
#   -d SECS    stop starting new captures after this many seconds
#              (0: no limit, the default); COUNT is still the maximum
#   -s SEED    seed of the capture choice and of editcap --seed (default:
#              from the clock); mutated capture i uses editcap --seed SEED+i,
#              so any of them can be replayed
#   -B BATCH   mutated captures per tshark run (default 1). Above 1 each is
#              mutated on its own, converted to pcapng, and the results are
#              concatenated as sections of one pcapng file, so tshark's
#              start-up (~0.4 s under ASan, most of a run) is paid once per
#              BATCH captures; pmtud sees them as one capture whose clock
#              jumps at each section. A failing batch is kept, then each of
#              its captures is run alone in the failing mode to name the one.
#
# CI: `tests/fuzz/fuzz_tshark.sh -n 30` (about a minute on 2 cores).
# A campaign: `tests/fuzz/fuzz_tshark.sh -n 10000 -B 10`.
#
# Exit status: 0 nothing found, 1 something found, 2 usage or setup error.
#
# Wireshark ignores personal plugin folders for root, so as root tshark
# runs as "nobody" (setpriv) with a private HOME holding the plugin. tshark
# itself is not instrumented: the ASan runtime is preloaded (LD_PRELOAD),
# so sanitizer reports come from the plugin, or from ASan's interceptors
# of libc calls anywhere in the process (the log has the stack).
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
BASE=${TMPDIR:-/tmp}/pmtud-fuzz-tshark

COUNT=1000
PROB=0.02
TIMEOUT=60
BUILD=$BASE/build-asan
BATCH=1
KEEP=$BASE/findings
JOBS=$(nproc 2>/dev/null || echo 1)
MAX_SECS=0
SEED=$(( $(date +%s) % 1000000 ))
TSHARK=${TSHARK:-tshark}
EDITCAP=${EDITCAP:-editcap}

usage() { sed -n '/^# Usage:/,/^# Exit status/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit "${1:-0}"; }
die() { echo "fuzz_tshark.sh: $*" >&2; exit 2; }

while getopts ":n:p:t:b:o:j:d:s:B:h" opt; do
    case $opt in
    n) COUNT=$OPTARG ;;
    p) PROB=$OPTARG ;;
    t) TIMEOUT=$OPTARG ;;
    b) BUILD=$OPTARG ;;
    o) KEEP=$OPTARG ;;
    j) JOBS=$OPTARG ;;
    d) MAX_SECS=$OPTARG ;;
    s) SEED=$OPTARG ;;
    B) BATCH=$OPTARG ;;
    h) usage 0 ;;
    *) usage 2 ;;
    esac
done
shift $((OPTIND - 1))
[ $# -eq 0 ] || usage 2
[[ $COUNT =~ ^[1-9][0-9]*$ ]] || die "-n wants a positive number"
[[ $TIMEOUT =~ ^[1-9][0-9]*$ ]] || die "-t wants a positive number of seconds"
[[ $JOBS =~ ^[1-9][0-9]*$ ]] || die "-j wants a positive number"
[[ $MAX_SECS =~ ^[0-9]+$ ]] || die "-d wants a number of seconds"
[[ $SEED =~ ^[0-9]+$ ]] || die "-s wants a number"
[[ $BATCH =~ ^[1-9][0-9]*$ ]] || die "-B wants a positive number"
[[ $PROB =~ ^(0(\.[0-9]+)?|1(\.0+)?|\.[0-9]+)$ ]] || die "-p wants a probability between 0 and 1"

for tool in "$TSHARK" "$EDITCAP" cmake gcc timeout setpriv; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool not found"
done

# --- the sanitizer build ----------------------------------------------------
# shellcheck source=tests/lib/build_plugin.sh
. "$REPO/tests/lib/build_plugin.sh"
BUILT_FROM=$(build_plugin "$BUILD" pmtud "$JOBS" -DPMTUD_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug) ||
    die "configuring or building pmtud with ASan+UBSan in $BUILD failed"
PLUGIN=$BUILD/plugin/pmtud.so
[ "$(nm -D "$PLUGIN" 2>/dev/null | grep -c __asan_)" -gt 0 ] ||
    die "$PLUGIN is not built with -fsanitize=address (configure with -DPMTUD_SANITIZE=ON)"
ASAN_RT=$(gcc -print-file-name=libasan.so)
[ -f "$ASAN_RT" ] || die "no ASan runtime (gcc -print-file-name=libasan.so)"

WS_VERSION=$("$TSHARK" --version 2>/dev/null | sed -n 's/^TShark (Wireshark) \([0-9]*\)\.\([0-9]*\)\..*/\1.\2/p' | head -1)
[ -n "$WS_VERSION" ] || die "cannot tell tshark's version"

# --- private, world-readable work area ----------------------------------------
mkdir -p "$KEEP" || die "cannot create $KEEP"
KEEP=$(cd "$KEEP" && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/pmtud-fuzz-tshark.XXXXXX") || die "mktemp failed"
chmod 755 "$WORK"
HOME_DIR=$WORK/home
EPAN=$HOME_DIR/.local/lib/wireshark/plugins/$WS_VERSION/epan
mkdir -p "$EPAN"
cp "$PLUGIN" "$EPAN/"
chmod -R a+rX "$WORK"

WORKER_PIDS=()
# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
    local p
    for p in "${WORKER_PIDS[@]}"; do kill "$p" 2>/dev/null; done
    wait 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'echo "fuzz_tshark.sh: interrupted" >&2; exit 130' INT TERM

PRIV=()
[ "$(id -u)" -eq 0 ] && PRIV=(setpriv --reuid=nobody --regid=nogroup --clear-groups)

run_tshark() {   # run_tshark TIMEOUT LOG ARGS... ; prints the exit status; stdout to $TSHARK_OUT
    local t=$1 log=$2; shift 2
    timeout -k 5 "$t" "${PRIV[@]}" env -i HOME="$HOME_DIR" PATH=/usr/bin:/bin LC_ALL=C.UTF-8 \
        LD_PRELOAD="$ASAN_RT" \
        ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:detect_odr_violation=0:symbolize=1:handle_abort=1 \
        UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
        "$TSHARK" "$@" >"${TSHARK_OUT:-/dev/null}" 2>"$log"
    echo $?
}

# --- inputs -----------------------------------------------------------------
mapfile -t CAPTURES < <(find "$REPO/testcaptures" -type f \( -name '*.pcap' -o -name '*.pcapng' \) | sort)
[ ${#CAPTURES[@]} -gt 0 ] || die "no captures under $REPO/testcaptures"
mkdir -p "$WORK/orig"
for i in "${!CAPTURES[@]}"; do
    cp "${CAPTURES[$i]}" "$WORK/orig/$i.${CAPTURES[$i]##*.}"
done
chmod -R a+rX "$WORK/orig"

# --- sanity: the plugin loads and works under the preloaded runtime -----------
cp "$REPO/testcaptures/crafted/seed_dnat_tso.pcap" "$WORK/sanity.pcap"; chmod 644 "$WORK/sanity.pcap"
n=$(timeout 120 "${PRIV[@]}" env -i HOME="$HOME_DIR" PATH=/usr/bin:/bin LD_PRELOAD="$ASAN_RT" \
    ASAN_OPTIONS=detect_leaks=0:detect_odr_violation=0 \
    "$TSHARK" -r "$WORK/sanity.pcap" -Y pmtud.offload_artefact 2>"$WORK/sanity.err" | wc -l)
if [ "$n" -ne 3 ]; then
    cat "$WORK/sanity.err" >&2
    die "pmtud does not work in tshark under ASan (expected 3 offload artefacts, got $n)"
fi

ITERS=$(( (COUNT + BATCH - 1) / BATCH ))
echo "fuzz_tshark.sh: $COUNT mutated captures (of ${#CAPTURES[@]} in testcaptures/), editcap -E $PROB," \
     "$BATCH per tshark run, timeout ${TIMEOUT}s per run, $JOBS jobs, seed $SEED$([ "$MAX_SECS" -gt 0 ] && echo ", for at most ${MAX_SECS}s")"
echo "  commit: $BUILT_FROM"
echo "  plugin: $PLUGIN"
echo "  findings go to: $KEEP"

# --- one iteration --------------------------------------------------------------
MODES=("one-pass" "two-pass" "verbose")
# The columns tshark_invariants.awk reads, in its order.
INVARIANT_FIELDS="-T fields -E separator=/t -E occurrence=a -E aggregator=,"
for f in frame.number frame.len frame.protocols ip.src ip.dst ipv6.src ipv6.dst \
         tcp.srcport tcp.dstport udp.srcport udp.dstport pmtud.oversize.len \
         pmtud.icmp.quoted_frame pmtud.icmp.quoted_len pmtud.icmp.wire_len \
         pmtud.icmp.covered_frame pmtud.icmp.retransmit_frame pmtud.icmp.verdict; do
    INVARIANT_FIELDS+=" -e $f"
done
mode_args() {   # mode_args MODE FILE
    case $1 in
    one-pass) echo "-n -r $2" ;;
    two-pass) echo "-n -2 -r $2 -Y pmtud $INVARIANT_FIELDS" ;;
    verbose)  echo "-n -r $2 -V" ;;
    esac
}

# run_mode MODE FILE LOG: runs tshark in MODE; prints why it failed, or
# nothing. The two-pass output is checked against the invariants, whose
# violations are appended to LOG.
run_mode() {
    local mode=$1 file=$2 log=$3 rc why out=$3.fields
    local -a args
    read -r -a args <<< "$(mode_args "$mode" "$file")"
    rc=$(TSHARK_OUT=$out run_tshark "$TIMEOUT" "$log" "${args[@]}")
    why=$(classify "$rc" "$log")
    echo "# tshark exit status $rc" >> "$log"
    if [ -z "$why" ] && [ "$mode" = two-pass ] &&
       awk -f "$HERE/tshark_invariants.awk" "$out" > "$out.bad" && [ -s "$out.bad" ]; then
        { echo "# claims that do not follow from the bytes (tshark_invariants.awk):"; cat "$out.bad"; } >> "$log"
        why=invariant
    fi
    rm -f "$out" "$out.bad"
    echo "$why"
}

# mutate IDX OUT [FORMAT]: mutated capture IDX (source and editcap seed
# follow from SEED and IDX); prints the source's path in the repository.
mutate() {
    local idx=$1 out=$2 ci ext
    ci=$(( (SEED * 7919 + idx * 104729) % ${#CAPTURES[@]} ))
    ext=${CAPTURES[$ci]##*.}
    "$EDITCAP" ${3:+-F "$3"} -E "$PROB" --seed $((SEED + idx)) "$WORK/orig/$ci.$ext" "$out" \
        >>"$(dirname "$out")/editcap.log" 2>&1 || return 1
    chmod 644 "$out"
    echo "${CAPTURES[$ci]#"$REPO"/}"
}

# classify RC LOG: prints why a run failed, or nothing.
classify() {
    local rc=$1 log=$2
    if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
        echo hang
    elif grep -q -E "AddressSanitizer: (SEGV|BUS|FPE|ILL|ABRT|stack-overflow)" "$log"; then
        echo crash      # a signal, caught and reported by ASan
    elif grep -q -e "ERROR: AddressSanitizer" -e "runtime error:" -e "ERROR: LeakSanitizer" \
            -e "AddressSanitizer:DEADLYSIGNAL" "$log"; then
        echo sanitizer
    elif [ "$rc" -gt 128 ]; then
        echo crash
    elif grep -qi "dissector bug.*pmtud\|pmtud.*dissector bug" "$log"; then
        echo dissector-bug
    elif [ "$rc" -ne 0 ]; then
        echo error
    fi
}

# Prints one line: ITER STATUS CAPTURES SOURCE[,SOURCE...] [MODE...];
# STATUS is ok, crash, sanitizer, hang, dissector-bug, invariant, error or
# editcap-failed.
fuzz_one() {
    local iter=$1 wdir=$2 ext src mutated status="ok" mode log why failed_modes="" j idx
    local -a args members=()
    rm -f "$wdir"/fuzz.* "$wdir"/part.* "$wdir/editcap.log"
    if [ "$BATCH" -eq 1 ]; then
        src=$(mutate "$iter" "$wdir/fuzz.tmp") || { echo "$iter editcap-failed 1 ?"; return; }
        ext=${src##*.}
        mutated=$wdir/fuzz.$ext
        mv "$wdir/fuzz.tmp" "$mutated"
        members=("$iter")
    else
        ext=pcapng
        mutated=$wdir/fuzz.pcapng
        src=""
        for ((j = 0; j < BATCH; j++)); do
            idx=$((iter * BATCH + j))
            [ "$idx" -lt "$COUNT" ] || break
            src+=${src:+,}$(mutate "$idx" "$wdir/part.$j.pcapng" pcapng) ||
                { echo "$iter editcap-failed 1 ?"; return; }
            members+=("$idx")
        done
        cat "$wdir"/part.*.pcapng > "$mutated"
        chmod 644 "$mutated"
    fi
    for mode in "${MODES[@]}"; do
        log=$wdir/$mode.log
        read -r -a args <<< "$(mode_args "$mode" "$mutated")"
        why=$(run_mode "$mode" "$mutated" "$log")
        if [ -n "$why" ]; then
            [ "$status" = ok ] && status=$why
            failed_modes+=" $mode"
            local stem
            stem=$KEEP/$(printf '%06d' "$iter")-$why-$mode-$(basename "${src%%,*}" | sed 's/\.[^.]*$//')
            cp "$mutated" "$stem.$ext"
            {
                echo "# seed $SEED, editcap -E $PROB; mutated captures ${members[*]} (editcap --seed SEED+i) of: $src"
                echo "# tshark ${args[*]}  ->  $why"
                echo "# replay: $(basename "$stem.$ext") with the same tshark arguments"
                cat "$log"
                if [ "${#members[@]}" -gt 1 ]; then
                    echo "# each capture of the batch alone, same mode:"
                    for idx in "${members[@]}"; do
                        local one=$wdir/alone.pcapng alone_src
                        alone_src=$(mutate "$idx" "$one" pcapng) || continue
                        echo "#   $idx ($alone_src): $(run_mode "$mode" "$one" "$wdir/alone.log" | sed 's/^$/clean/')"
                    done
                fi
            } > "$stem.log"
        fi
    done
    echo "$iter $status ${#members[@]} $src$failed_modes"
}

worker() {   # worker ID: iterations ID, ID+JOBS, ...
    local id=$1 iter wdir=$WORK/w$1
    mkdir -p "$wdir"; chmod 755 "$wdir"
    for ((iter = id; iter < ITERS; iter += JOBS)); do
        if [ "$MAX_SECS" -gt 0 ] && [ $(( $(date +%s) - START )) -ge "$MAX_SECS" ]; then
            break
        fi
        fuzz_one "$iter" "$wdir"
    done >> "$WORK/results.$id"
}

summarize() {   # prints: done ok crash sanitizer hang dissector-bug error editcap-failed runs invariant
    cat "$WORK"/results.* 2>/dev/null | awk '
        { n += $3; r++; c[$2] += $3; if ($2 == "editcap-failed") ef++ }
        END { printf "%d %d %d %d %d %d %d %d %d %d\n", n, c["ok"], c["crash"], c["sanitizer"],
              c["hang"], c["dissector-bug"], c["error"], c["editcap-failed"], r - ef, c["invariant"] }'
}

# The summary; also on an interrupt, so a campaign cut short still says
# how far it got (captures in flight are not counted).
report() {
    local ndone ok crash san hang dbug err efail runs inv el failed
    read -r ndone ok crash san hang dbug err efail runs inv <<< "$(summarize)"
    el=$(( $(date +%s) - START )); [ $el -gt 0 ] || el=1
    failed=$((crash + san + hang + dbug + err + inv))
    echo
    echo "== summary$1"
    echo "mutated captures: $ndone (of $COUNT asked, $BATCH per tshark run), tshark runs: $((3 * runs)), seed $SEED, editcap -E $PROB"
    echo "time: ${el}s, $(echo "$ndone $el" | awk '{printf "%.2f", $1 / $2}') captures/s"
    echo "clean: $ok; crashes: $crash; sanitizer reports: $san; hangs (> ${TIMEOUT}s): $hang;" \
         "dissector bugs: $dbug; invariant violations: $inv; other errors: $err; editcap failures: $efail"
    if [ "$failed" -gt 0 ]; then
        echo "failing captures (mutated input + log in $KEEP):"
        cat "$WORK"/results.* | awk '$2 != "ok" && $2 != "editcap-failed"' | sort -n | sed 's/^/  /'
        return 1
    fi
    return 0
}
trap 'echo "fuzz_tshark.sh: interrupted" >&2; report " (interrupted)"; exit 130' INT TERM

START=$(date +%s)
for ((w = 0; w < JOBS; w++)); do
    : > "$WORK/results.$w"
    worker "$w" &
    WORKER_PIDS+=($!)
done


last_report=0
while :; do
    alive=0
    for p in "${WORKER_PIDS[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
    now=$(date +%s)
    if [ $alive -eq 0 ] || [ $((now - last_report)) -ge 30 ]; then
        read -r ndone ok crash san hang dbug err efail runs inv <<< "$(summarize)"
        el=$((now - START)); [ $el -gt 0 ] || el=1
        printf '[%s] %d/%d mutated captures (%d tshark runs), %.2f captures/s; crashes %d, sanitizer %d, hangs %d, dissector bugs %d, invariant violations %d, errors %d\n' \
            "$(date +%H:%M:%S)" "$ndone" "$COUNT" $((3 * runs)) \
            "$(echo "$ndone $el" | awk '{print $1 / $2}')" "$crash" "$san" "$hang" "$dbug" "$inv" "$err"
        last_report=$now
    fi
    [ $alive -eq 0 ] && break
    sleep 2
done
wait
WORKER_PIDS=()

report ""
