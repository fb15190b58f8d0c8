# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Sourced by the long-campaign scripts (tshark fuzzing, valgrind, adversarial
# captures): one way to get a build of the sources as they are now.
#
#   build_plugin BUILD_DIR TARGET JOBS CMAKE_ARGS...
#
# Configures BUILD_DIR with CMAKE_ARGS the first time (no CMakeCache.txt
# yet), then rebuilds TARGET ("all": everything) incrementally on every
# call, so a campaign never measures binaries left from an older tree.
# Prints the commit it built on stdout; returns non-zero on a failure.

PMTUD_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

build_plugin() {
    local build=$1 target=$2 jobs=$3
    shift 3
    if [ ! -f "$build/CMakeCache.txt" ]; then
        cmake -S "$PMTUD_REPO" -B "$build" "$@" >/dev/null || return 1
    fi
    cmake --build "$build" --target "$target" -j"$jobs" >/dev/null || return 1
    git -C "$PMTUD_REPO" describe --always --dirty 2>/dev/null || echo '?'
}
