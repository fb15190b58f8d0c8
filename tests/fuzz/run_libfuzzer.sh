#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Builds fuzz_frames with clang (libFuzzer + ASan + UBSan) outside the
# source tree, seeds it from every capture in testcaptures/ (pcap_seeds.py)
# and from crafted encapsulations (synth_seeds.py), and fuzzes.
#
#   tests/fuzz/run_libfuzzer.sh [SECONDS] [WORKDIR]
#
# SECONDS defaults to 60; WORKDIR (binary, seeds, corpus, crash files) to
# ${TMPDIR:-/tmp}/pmtud-fuzz. The corpus is kept between runs, so later
# runs start where earlier ones stopped. Exits non-zero when the build
# fails or the fuzzer finds a crash, leak, timeout or sanitizer report;
# the input that did it is left in WORKDIR/artifacts/.
# CC picks another clang; FUZZ_ARGS adds libFuzzer options.
set -eu

secs=${1:-60}
work=${2:-${TMPDIR:-/tmp}/pmtud-fuzz}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cc=${CC:-clang}
max_len=16384   # keep equal to MAX_SEED in pcap_seeds.py

case $secs in
  ''|*[!0-9]*) echo "usage: $0 [SECONDS] [WORKDIR]" >&2; exit 2 ;;
esac
for tool in "$cc" cmake python3; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "run_libfuzzer.sh: $tool not found (Debian: apt-get install clang cmake python3)" >&2
    exit 2
  fi
done

mkdir -p "$work/corpus" "$work/seeds" "$work/artifacts"

# The analysis library as the project builds it (its own source list), with
# coverage for the fuzzer; no recovery from UBSan: undefined behaviour
# must stop the run like a crash.
san="-fsanitize=address,undefined -fno-sanitize-recover=all"
cmake -S "$root" -B "$work/build" -DCMAKE_C_COMPILER="$cc" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPMTUD_BUILD_PLUGIN=OFF -DBUILD_TESTING=OFF \
  -DCMAKE_C_FLAGS="-fno-omit-frame-pointer -fsanitize=fuzzer-no-link $san" >/dev/null
cmake --build "$work/build" --target pmtud_core >/dev/null
# shellcheck disable=SC2086  # san is a list of options
"$cc" -g -O1 -std=c11 -fno-omit-frame-pointer -fsanitize=fuzzer $san \
  -I"$root/plugin" "$here/fuzz_frames.c" "$work/build/plugin/libpmtud_core.a" \
  -o "$work/fuzz_frames"

# Seeds: the frames of every capture, plus encapsulations none of them has.
python3 "$here/synth_seeds.py" "$work/seeds"
find "$root/testcaptures" -type f \( -name '*.pcap' -o -name '*.pcapng' \) -print |
  sort | tr '\n' '\0' | xargs -0 python3 "$here/pcap_seeds.py" "$work/seeds"

echo "run_libfuzzer.sh: fuzzing for ${secs}s in $work"
# shellcheck disable=SC2086  # FUZZ_ARGS is a list of options
"$work/fuzz_frames" \
  -max_total_time="$secs" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 -artifact_prefix="$work/artifacts/" \
  ${FUZZ_ARGS:-} \
  "$work/corpus" "$work/seeds"
