#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Memcheck (valgrind) over pmtud, built without sanitizers:
#
#  * the unit test binaries (tests/unit), with leak checking: any error or
#    definite/indirect leak fails;
#  * tshark with the plugin on every capture in testcaptures/, as the
#    capture tests run it:
#        tshark -2 -r F -V
#        tshark -r F -q -z pmtud,flows -z pmtud,tree
#    without leak checking (tshark leaves memory to the exit on purpose).
#    Only errors with a frame in pmtud.so or in a plugin/ source file
#    count; the others (Wireshark's, GLib's) are shown in the tally but do
#    not fail. wmem is told to use plain malloc (WIRESHARK_DEBUG_WMEM_OVERRIDE
#    =simple), so overruns of pmtud's per-frame results are seen too.
#
# Usage: tests/valgrind.sh [--build-dir DIR] [--jobs N] [--keep DIR]
#            [--no-unit] [--no-captures] [--track-origins] [CAPTURE...]
#
#   --build-dir  plain build (-DPMTUD_SANITIZE=OFF, RelWithDebInfo), made if
#                absent (default ${TMPDIR:-/tmp}/pmtud-valgrind/build)
#   --jobs       valgrind runs side by side (default: number of CPUs)
#   --keep       where the valgrind XML and tshark logs go (default: a
#                temporary folder, removed unless something failed)
#   --track-origins  where uninitialised values come from (slower)
#   CAPTURE      captures to check instead of all of testcaptures/
#
# Prints one line per run and "N passed, N failed"; exits 1 on a failure.
# A tshark run under memcheck takes 20-30 s (start-up), so all captures
# take about 25 minutes on 2 cores.
#
# Wireshark ignores personal plugin folders for root, so as root tshark runs
# as "nobody" (setpriv) with a private HOME holding the plugin.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
BUILD=${TMPDIR:-/tmp}/pmtud-valgrind/build
JOBS=$(nproc 2>/dev/null || echo 1)
KEEP=""
UNIT=1
CAPS=1
TSHARK=${TSHARK:-tshark}
CAPTURES=()
ORIGINS=()

usage() { sed -n '/^# Usage:/,/^# Prints one line/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit "${1:-0}"; }
die() { echo "valgrind.sh: $*" >&2; exit 2; }

while [ $# -gt 0 ]; do
    case "$1" in
    --build-dir) BUILD=$2; shift 2 ;;
    --jobs) JOBS=$2; shift 2 ;;
    --keep) KEEP=$2; shift 2 ;;
    --no-unit) UNIT=0; shift ;;
    --no-captures) CAPS=0; shift ;;
    --track-origins) ORIGINS=(--track-origins=yes); shift ;;
    -h|--help) usage 0 ;;
    -*) echo "unknown option: $1" >&2; usage 2 ;;
    *) CAPTURES+=("$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"); shift ;;
    esac
done
[[ $JOBS =~ ^[1-9][0-9]*$ ]] || die "--jobs wants a positive number"
for tool in valgrind "$TSHARK" cmake python3; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool not found (Debian: apt-get install valgrind)"
done

# --- build (no sanitizers: valgrind and ASan do not mix) -------------------------
# shellcheck source=tests/lib/build_plugin.sh
. "$REPO/tests/lib/build_plugin.sh"
built_from=$(build_plugin "$BUILD" all "$JOBS" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPMTUD_SANITIZE=OFF) ||
    die "configuring or building pmtud (RelWithDebInfo, no sanitizers) in $BUILD failed"
echo "== built from $built_from"
if grep -q '^PMTUD_SANITIZE:BOOL=ON' "$BUILD/CMakeCache.txt" 2>/dev/null; then
    die "$BUILD is a sanitizer build; valgrind needs -DPMTUD_SANITIZE=OFF"
fi
PLUGIN=$BUILD/plugin/pmtud.so

WORK=$(mktemp -d "${TMPDIR:-/tmp}/pmtud-valgrind.XXXXXX") || die "mktemp failed"
chmod 755 "$WORK"
if [ -n "$KEEP" ]; then
    mkdir -p "$KEEP" || die "cannot create $KEEP"
    KEEP=$(cd "$KEEP" && pwd)
    LOGS=$KEEP
else
    LOGS=$WORK/logs
    mkdir -p "$LOGS"
fi
chmod 777 "$LOGS"
# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() { rm -rf "$WORK"; }
trap cleanup EXIT

WS_VERSION=$("$TSHARK" --version 2>/dev/null | sed -n 's/^TShark (Wireshark) \([0-9]*\)\.\([0-9]*\)\..*/\1.\2/p' | head -1)
[ -n "$WS_VERSION" ] || die "cannot tell tshark's version"
HOME_DIR=$WORK/home
mkdir -p "$HOME_DIR/.local/lib/wireshark/plugins/$WS_VERSION/epan" "$WORK/caps"
cp "$PLUGIN" "$HOME_DIR/.local/lib/wireshark/plugins/$WS_VERSION/epan/"
chmod -R a+rX "$WORK"
PRIV=()
[ "$(id -u)" -eq 0 ] && PRIV=(setpriv --reuid=nobody --regid=nogroup --clear-groups)

# Counts the errors of a valgrind XML log: "PMTUD OTHER LEAKS", and writes
# the pmtud ones, readably, to the given report file.
COUNT_PY=$WORK/count_errors.py
cat > "$COUNT_PY" <<'EOF'
import sys
import xml.etree.ElementTree as ET

xml_path, report_path, plugin_dir = sys.argv[1], sys.argv[2], sys.argv[3]
try:
    root = ET.parse(xml_path).getroot()
except (ET.ParseError, OSError) as e:
    print("-1 -1 -1")
    sys.stderr.write("cannot read %s: %s\n" % (xml_path, e))
    sys.exit(0)
ours = other = leaks = 0
with open(report_path, "w") as rep:
    for err in root.iter("error"):
        kind = err.findtext("kind", "")
        if kind.startswith("Leak_"):
            leaks += 1
            continue
        frames = err.findall("./stack/frame")
        def in_pmtud(f):
            obj = f.findtext("obj", "")
            d = f.findtext("dir", "")
            return obj.endswith("/pmtud.so") or d.startswith(plugin_dir)
        if any(in_pmtud(f) for f in frames):
            ours += 1
            what = err.findtext("what") or err.findtext("./xwhat/text") or kind
            rep.write("%s: %s\n" % (kind, what))
            for f in frames:
                rep.write("    %s %s %s:%s\n" % (f.findtext("ip", ""), f.findtext("fn", "?"),
                                                 f.findtext("file", f.findtext("obj", "?")),
                                                 f.findtext("line", "")))
            aux = err.find("auxwhat")
            if aux is not None:
                rep.write("  %s\n" % aux.text)
        else:
            other += 1
print("%d %d %d" % (ours, other, leaks))
EOF

RESULTS=$WORK/results
: > "$RESULTS"

# --- unit tests, with leak checking -------------------------------------------------
if [ $UNIT -eq 1 ]; then
    echo "== unit tests under memcheck (leak checking on)"
    for bin in "$BUILD"/tests/unit/unit_*; do
        [ -x "$bin" ] || continue
        name=$(basename "$bin")
        start=$(date +%s.%N)
        (cd "$BUILD/tests/unit" && valgrind --tool=memcheck --error-exitcode=1 --leak-check=full \
            --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect \
            --track-origins=yes --log-file="$LOGS/$name.valgrind" "$bin" >"$LOGS/$name.out" 2>&1)
        rc=$?
        secs=$(echo "$start $(date +%s.%N)" | awk '{printf "%.1f", $2 - $1}')
        errs=$(sed -n 's/.*ERROR SUMMARY: \([0-9]*\) errors.*/\1/p' "$LOGS/$name.valgrind" | tail -1)
        tally=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$LOGS/$name.out" | tail -1)
        if [ $rc -eq 0 ]; then
            printf 'PASS  %-40s %6ss  %s errors; %s\n' "$name" "$secs" "${errs:-?}" "${tally:-}"
            echo pass >> "$RESULTS"
        else
            printf 'FAIL  %-40s %6ss  exit %d, %s errors; %s (log: %s)\n' "$name" "$secs" "$rc" \
                "${errs:-?}" "${tally:-}" "$LOGS/$name.valgrind"
            echo fail >> "$RESULTS"
            sed -n '/ERROR SUMMARY/q; /^==[0-9]*== [A-Z]/,/^==[0-9]*== $/p' "$LOGS/$name.valgrind" | head -40 | sed 's/^/      /'
        fi
    done
fi

# --- tshark on every capture -------------------------------------------------------------
run_tshark_case() {   # run_tshark_case INDEX CAPTURE MODE -> one result line
    local idx=$1 cap=$2 mode=$3 rel name staged xml rc start secs counts ours other
    local -a args
    rel=${cap#"$REPO"/testcaptures/}
    name=$(echo "$rel" | tr '/' '_')-$mode
    staged=$WORK/caps/$idx.${cap##*.}
    [ -f "$staged" ] || { cp "$cap" "$staged"; chmod 644 "$staged"; }
    case $mode in
    verbose) args=(-2 -r "$staged" -V) ;;
    stats)   args=(-r "$staged" -q -z "pmtud,flows" -z "pmtud,tree") ;;
    esac
    xml=$LOGS/$name.xml
    start=$(date +%s.%N)
    "${PRIV[@]}" env HOME="$HOME_DIR" LC_ALL=C.UTF-8 WIRESHARK_DEBUG_WMEM_OVERRIDE=simple \
        G_SLICE=always-malloc \
        valgrind --tool=memcheck --error-exitcode=1 --errors-for-leak-kinds=none --leak-check=no \
        "${ORIGINS[@]}" --num-callers=30 --xml=yes --xml-file="$xml" \
        "$TSHARK" "${args[@]}" >"$LOGS/$name.out" 2>"$LOGS/$name.err"
    rc=$?
    secs=$(echo "$start $(date +%s.%N)" | awk '{printf "%.1f", $2 - $1}')
    counts=$(python3 "$COUNT_PY" "$xml" "$LOGS/$name.pmtud-errors" "$REPO/plugin")
    read -r ours other _ <<< "$counts"
    # Exit 1 is valgrind's --error-exitcode (errors anywhere); a pmtud error
    # or any other failure of tshark fails the run.
    if [ "$ours" = 0 ] && { [ $rc -eq 0 ] || [ $rc -eq 1 ]; }; then
        printf 'PASS  %-58s %-7s %6ss  pmtud errors 0, others %s\n' "$rel" "$mode" "$secs" "$other"
    else
        printf 'FAIL  %-58s %-7s %6ss  exit %d, pmtud errors %s, others %s (log: %s)\n' \
            "$rel" "$mode" "$secs" "$rc" "$ours" "$other" "$xml"
        [ -s "$LOGS/$name.pmtud-errors" ] && head -30 "$LOGS/$name.pmtud-errors" | sed 's/^/      /'
    fi
}

if [ $CAPS -eq 1 ]; then
    if [ ${#CAPTURES[@]} -eq 0 ]; then
        mapfile -t CAPTURES < <(find "$REPO/testcaptures" -type f \( -name '*.pcap' -o -name '*.pcapng' \) | sort)
    fi
    echo "== tshark under memcheck: ${#CAPTURES[@]} captures x 2 invocations, $JOBS at a time"
    # Jobs side by side; each result line is written whole by one printf.
    i=0
    for cap in "${CAPTURES[@]}"; do
        for mode in verbose stats; do
            while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do sleep 0.5; done
            run_tshark_case "$i" "$cap" "$mode" | tee -a "$WORK/tshark-results" &
        done
        i=$((i + 1))
    done
    wait
    sed -n 's/^PASS .*/pass/p; s/^FAIL .*/fail/p' "$WORK/tshark-results" >> "$RESULTS"
fi

passed=$(grep -c '^pass' "$RESULTS")
failed=$(grep -c '^fail' "$RESULTS")
echo
echo "$passed passed, $failed failed"
if [ "$failed" -gt 0 ]; then
    if [ -z "$KEEP" ]; then
        mkdir -p "${TMPDIR:-/tmp}/pmtud-valgrind" && cp -r "$LOGS" "${TMPDIR:-/tmp}/pmtud-valgrind/logs.$$"
        echo "logs kept in ${TMPDIR:-/tmp}/pmtud-valgrind/logs.$$"
    fi
    exit 1
fi
exit 0
