#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The whole test suite, from a clean checkout on Debian 12: installs what is
# needed, builds pmtud twice (plain, and with -fsanitize=address,undefined),
# runs every test on both builds, and fuzzes the analysis code for 60 s.
#
#   tests/run-all.sh
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
jobs=$(nproc)

"$repo/tests/setup.sh" --tests

echo "== tests: plain build"
ctest --test-dir "$repo/build" -j"$jobs" --output-on-failure

echo "== a short libFuzzer pass over the analysis code (the long campaign: tests/fuzz/run_libfuzzer.sh 3600)"
"$repo/tests/fuzz/run_libfuzzer.sh" 60 "$repo/build-fuzz"

echo "== tests: AddressSanitizer + UndefinedBehaviorSanitizer build"
cmake -S "$repo" -B "$repo/build-sanitize" -DPMTUD_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
cmake --build "$repo/build-sanitize" -j"$jobs"
ctest --test-dir "$repo/build-sanitize" -j"$jobs" --output-on-failure
