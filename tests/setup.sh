#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Installs what pmtud needs (Debian packages only), then configures and
# builds it in build/. With --demo, shows pmtud on the bundled seed capture.
#
#   tests/setup.sh [--demo]
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
packages=(cmake make gcc python3 util-linux wireshark-dev libwireshark-dev tshark)
# The test suite also fuzzes briefly with libFuzzer (clang's runtime), runs
# pmtud-batch (GNU parallel, rsync) and the real Wireshark under Xvfb.
if [ "${1:-}" = "--tests" ]; then
    packages+=(clang libclang-rt-14-dev parallel rsync wireshark-qt xvfb xdotool imagemagick)
fi

sudo_if_needed() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "== installing: ${missing[*]}"
    sudo_if_needed apt-get update -q
    # tshark's package asks whether non-root users may capture: keep the default.
    sudo_if_needed env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

echo "== building pmtud in $repo/build"
cmake -S "$repo" -B "$repo/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$repo/build" -j"$(nproc)"

if [ "${1:-}" = "--demo" ]; then
    exec "$repo/tests/demo.sh" "$repo/build/plugin/pmtud.so"
fi
