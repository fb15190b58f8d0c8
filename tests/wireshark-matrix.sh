#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# wireshark-matrix.sh: build pmtud and run its tests against the Wireshark of
# other Debian suites, each in its own debootstrap chroot.
#
#   tests/wireshark-matrix.sh                # trixie (4.4) and sid (4.6)
#   tests/wireshark-matrix.sh trixie         # one suite
#   tests/wireshark-matrix.sh host trixie sid  # "host": this machine's Wireshark,
#                                             # built outside the repo, no chroot
#
# Needs root (debootstrap, chroot, mount). The chroots are cached and reused:
#   PMTUD_CHROOT_DIR   cache folder          (default /var/tmp/pmtud-chroots)
#   PMTUD_MIRROR       Debian mirror         (default http://deb.debian.org/debian)
#   PMTUD_EXTRA_PACKAGES  more packages to install in every chroot
#   PMTUD_REFRESH=1    apt-get update + upgrade + install in reused chroots
#   PMTUD_JOBS         parallel build jobs   (default: nproc)
#   PMTUD_CMAKE_ARGS   extra arguments for the configure step
#   PMTUD_REF=HEAD     build a committed revision instead of the working tree
#   PMTUD_SRC=DIR      build the tree in DIR instead (e.g. a patched copy)
#   PMTUD_TEST_TIMEOUT seconds per ctest test (default 600), so a hang fails
#   PMTUD_DUMP=0       skip the cross-version comparison of pmtud's output
# Packages installed in each chroot: the list below, plus the packages=(...)
# line of tests/setup.sh, plus the lines of tests/matrix/packages.txt (if
# present), plus PMTUD_EXTRA_PACKAGES.
#
# Logs: $PMTUD_CHROOT_DIR/logs/<suite>-{chroot,build,test}.log
# After the tests, tests/matrix/dump-pmtud.sh prints pmtud's subtree for every
# capture under testcaptures/ into logs/<suite>-dump.txt, and the summary says
# whether each suite's output differs from the first suite's (diff in
# logs/<suite>-vs-<first>.diff). A difference there is reported, not failed:
# the tests decide what is right.
# Exit status: 0 when every suite built and passed all its tests.
set -uo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${PMTUD_CHROOT_DIR:-/var/tmp/pmtud-chroots}
MIRROR=${PMTUD_MIRROR:-http://deb.debian.org/debian}
JOBS=${PMTUD_JOBS:-$(nproc 2>/dev/null || echo 2)}
LOGS="$CACHE/logs"

BASE_PACKAGES=(
  ca-certificates cmake gcc make pkgconf file
  wireshark-dev libwireshark-dev tshark
  python3 util-linux passwd
)

if [ $# -gt 0 ]; then SUITES=("$@"); else SUITES=(trixie sid); fi

die() { echo "wireshark-matrix: $*" >&2; exit 2; }
log() { echo "[$(date +%H:%M:%S)] $*"; }

[ "$(id -u)" -eq 0 ] || die "must run as root (debootstrap, chroot, mount)"
mkdir -p "$CACHE" "$LOGS" || die "cannot create $CACHE"
# one run at a time per cache: the chroots, the snapshot and the logs are shared
exec 9>"$CACHE/.lock"
if ! flock -n 9; then
  log "waiting for another wireshark-matrix run ($CACHE/.lock)"
  flock 9
fi

if ! command -v debootstrap >/dev/null 2>&1; then
  log "installing debootstrap on the host"
  apt-get update -qq >/dev/null 2>&1 || true
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null \
    || die "cannot install debootstrap"
fi

packages_for_repo() {
  local extra=()
  # what the project's own setup script installs on Debian 12, if it says
  if [ -f "$REPO/tests/setup.sh" ]; then
    # shellcheck disable=SC2207
    extra+=($(sed -n 's/^packages=(\(.*\))[[:space:]]*$/\1/p' "$REPO/tests/setup.sh" | head -n1))
  fi
  if [ -f "$REPO/tests/matrix/packages.txt" ]; then
    # one package a line; '#' starts a comment
    while read -r p; do
      p=${p%%#*}; p=${p//[[:space:]]/}
      [ -n "$p" ] && extra+=("$p")
    done <"$REPO/tests/matrix/packages.txt"
  fi
  # shellcheck disable=SC2206
  extra+=(${PMTUD_EXTRA_PACKAGES:-})
  printf '%s\n' "${BASE_PACKAGES[@]}" "${extra[@]}" | awk 'NF && !seen[$0]++'
}

# ---- mounts: tracked so the trap can undo them, innermost first -----------
MOUNTS=()
# shellcheck disable=SC2317  # called from the traps
cleanup() {
  local i
  if [ -n "$CHILD" ]; then
    kill -TERM -- "-$CHILD" 2>/dev/null
    sleep 2
    kill -KILL -- "-$CHILD" 2>/dev/null
    CHILD=""
  fi
  for ((i = ${#MOUNTS[@]} - 1; i >= 0; i--)); do
    umount -l "${MOUNTS[$i]}" 2>/dev/null || true
  done
  MOUNTS=()
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT TERM

mount_chroot() {
  local root=$1
  if ! mountpoint -q "$root/proc"; then
    mount -t proc proc "$root/proc" && MOUNTS+=("$root/proc")
  fi
  # debootstrap makes device nodes where it can; where it could not
  # (containers), make the ones tshark needs here. Never bind the host's
  # /dev: a package script in the chroot changed the host's /dev/null to
  # mode 0644 that way, and every test running as nobody failed.
  local node
  for node in "null 1 3" "zero 1 5" "random 1 8" "urandom 1 9"; do
    set -- $node
    [ -c "$root/dev/$1" ] || { rm -f "$root/dev/$1"; mknod -m 666 "$root/dev/$1" c "$2" "$3"; }
  done
}

unmount_chroot() {
  local root=$1 i keep=()
  for ((i = ${#MOUNTS[@]} - 1; i >= 0; i--)); do
    case "${MOUNTS[$i]}" in
      "$root"/*) umount -l "${MOUNTS[$i]}" 2>/dev/null || true ;;
    esac
  done
  for i in "${MOUNTS[@]}"; do
    case "$i" in "$root"/*) ;; *) keep+=("$i") ;; esac
  done
  MOUNTS=("${keep[@]+"${keep[@]}"}")
}

# Sets ARGV to run "$@" in ROOT ("/" for the host) with a clean environment.
chroot_argv() {
  local root=$1; shift
  ARGV=(/usr/bin/env -i HOME=/root LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=dumb
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
        DEBIAN_FRONTEND=noninteractive "$@")
  [ "$root" = / ] || ARGV=(chroot "$root" "${ARGV[@]}")
}

in_chroot() {
  local ARGV
  chroot_argv "$@"
  "${ARGV[@]}"
}

# run_step LOG ROOT CMD...: a long step (build, tests) in its own process
# group, waited for in the background so that an interrupt reaches the trap
# at once and the trap can stop the whole step (ctest keeps going on SIGINT).
CHILD=""
run_step() {
  local logf=$1 rc; shift
  local ARGV
  chroot_argv "$@"
  setsid "${ARGV[@]}" >"$logf" 2>&1 </dev/null &
  CHILD=$!
  wait "$CHILD"; rc=$?
  CHILD=""
  return $rc
}

apt_in_chroot() {
  local root=$1; shift
  in_chroot "$root" apt-get -o Acquire::Check-Valid-Until=false \
    -o Acquire::Retries=3 -o Dpkg::Use-Pty=0 "$@"
}

# Creates or refreshes the chroot; returns non-zero on failure.
prepare_chroot() {
  local suite=$1 root=$2 logf=$3
  local -a pkgs
  mapfile -t pkgs < <(packages_for_repo)
  local want; want=$(printf '%s\n' "${pkgs[@]}" | sort | tr '\n' ' ')
  local stamp="$root/.pmtud-matrix-ready"

  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ "${PMTUD_REFRESH:-0}" != 1 ]; then
    log "$suite: reusing $root"
    return 0
  fi

  if [ ! -x "$root/usr/bin/apt-get" ] || [ ! -f "$root/.pmtud-debootstrap-done" ]; then
    log "$suite: debootstrap into $root (log: $logf)"
    if [ -e "$root" ] && [ ! -f "$root/.pmtud-debootstrap-done" ]; then
      # an interrupted debootstrap: start again (nothing is mounted there)
      mountpoint -q "$root/proc" && umount -l "$root/proc"
      mountpoint -q "$root/dev" && umount -l "$root/dev"
      rm -rf --one-file-system "$root"
    fi
    mkdir -p "$root"
    debootstrap --variant=minbase --components=main \
      --include=ca-certificates "$suite" "$root" "$MIRROR" >>"$logf" 2>&1 \
      || { echo "debootstrap failed, see $logf" >&2; return 1; }
    touch "$root/.pmtud-debootstrap-done"
  fi

  cat >"$root/etc/apt/sources.list" <<EOF
deb $MIRROR $suite main
EOF
  # no recommends/suggests: keeps the chroot small (no GUI, no docs)
  cat >"$root/etc/apt/apt.conf.d/90pmtud-matrix" <<'EOF'
APT::Install-Recommends "false";
APT::Install-Suggests "false";
Acquire::Check-Valid-Until "false";
EOF
  # do not let package scripts start services in the chroot
  printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
  chmod 755 "$root/usr/sbin/policy-rc.d"
  cp -f /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true

  mount_chroot "$root"
  log "$suite: apt-get install ${pkgs[*]}"
  # tshark asks whether non-root users may capture: answer no, quietly
  echo "wireshark-common wireshark-common/install-setuid boolean false" \
    | in_chroot "$root" debconf-set-selections >>"$logf" 2>&1 || true
  {
    apt_in_chroot "$root" update &&
    apt_in_chroot "$root" -y dist-upgrade &&
    apt_in_chroot "$root" -y install "${pkgs[@]}" &&
    apt_in_chroot "$root" clean
  } >>"$logf" 2>&1
  local rc=$?
  unmount_chroot "$root"
  if [ $rc -ne 0 ]; then
    echo "apt-get failed in $suite, see $logf" >&2
    return 1
  fi
  printf '%s' "$want" >"$stamp"
  return 0
}

# Takes one snapshot of the tree at the start, so that every suite builds the
# same source even while the working tree changes: a committed revision with
# PMTUD_REF (git archive), else the working tree (tracked and untracked files
# that .gitignore does not hide and that exist).
SNAPSHOT="$CACHE/snapshot"
take_snapshot() {
  rm -rf --one-file-system "$SNAPSHOT"
  mkdir -p "$SNAPSHOT"
  if [ -n "${PMTUD_SRC:-}" ]; then
    [ -d "$PMTUD_SRC" ] || die "PMTUD_SRC=$PMTUD_SRC is not a folder"
    tar -C "$PMTUD_SRC" --exclude='./build*' --exclude=./.git -cf - . | tar -C "$SNAPSHOT" -xf -
    SNAPSHOT_DESC="folder $PMTUD_SRC"
  elif [ -n "${PMTUD_REF:-}" ]; then
    git -C "$REPO" archive --format=tar "$PMTUD_REF" | tar -C "$SNAPSHOT" -xf - \
      || die "git archive $PMTUD_REF failed"
    SNAPSHOT_DESC="$PMTUD_REF ($(git -C "$REPO" rev-parse --short "$PMTUD_REF"))"
  elif git -C "$REPO" rev-parse --git-dir >/dev/null 2>&1; then
    (cd "$REPO" && git ls-files -z --cached --others --exclude-standard \
      | while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done \
      | tar --null -T - -cf - ) | tar -C "$SNAPSHOT" -xf -
    SNAPSHOT_DESC="working tree on $(git -C "$REPO" rev-parse --short HEAD)"
    [ -n "$(git -C "$REPO" status --porcelain 2>/dev/null)" ] && SNAPSHOT_DESC="$SNAPSHOT_DESC + local changes"
  else
    tar -C "$REPO" --exclude='./build*' -cf - . | tar -C "$SNAPSHOT" -xf -
    SNAPSHOT_DESC="folder $REPO"
  fi
  chmod -R a+rX "$SNAPSHOT"
}

copy_tree() {
  local dest=$1
  rm -rf --one-file-system "$dest"
  mkdir -p "$dest"
  tar -C "$SNAPSHOT" -cf - . | tar -C "$dest" -xf -
}

# Fills RESULT_* for the summary.
run_suite() {
  local suite=$1
  local root="$CACHE/$suite" src=/src
  local clog="$LOGS/$suite-chroot.log" blog="$LOGS/$suite-build.log" tlog="$LOGS/$suite-test.log"
  RESULT_VERSION="?"; RESULT_BUILD="-"; RESULT_TESTS="-"; RESULT_OK=0; RESULT_DUMP="-"
  RESULT_T_CHROOT=0; RESULT_T_BUILD=0; RESULT_T_TEST=0
  : >"$blog"; : >"$tlog"; rm -f "$LOGS/$suite-dump.txt"

  local t0=$SECONDS
  if [ "$suite" = host ]; then
    # this machine's own Wireshark: the tree is copied outside the repo
    root=/; src="$CACHE/host/src"
  else
    echo "==== $(date -Is) $suite" >>"$clog"
    if ! prepare_chroot "$suite" "$root" "$clog"; then
      RESULT_BUILD="NO CHROOT"; RESULT_T_CHROOT=$((SECONDS - t0))
      tail -n 30 "$clog" | sed "s/^/  [$suite chroot] /"
      return 1
    fi
  fi
  RESULT_T_CHROOT=$((SECONDS - t0))
  # shellcheck disable=SC2016  # dpkg-query's own ${Version}
  RESULT_VERSION=$(in_chroot "$root" dpkg-query -W -f '${Version}' libwireshark-dev 2>/dev/null || echo "?")

  copy_tree "${root%/}$src"
  [ "$root" = / ] || mount_chroot "$root"

  log "$suite: configure + build (Wireshark $RESULT_VERSION, log: $blog)"
  t0=$SECONDS
  # shellcheck disable=SC2086
  run_step "$blog" "$root" sh -c "cd '$src' && cmake -S . -B '$src/build-matrix' ${PMTUD_CMAKE_ARGS:-} && cmake --build '$src/build-matrix' -j$JOBS"
  local brc=$?
  RESULT_T_BUILD=$((SECONDS - t0))
  if [ $brc -ne 0 ]; then
    RESULT_BUILD="FAIL"
    echo "---- $suite: build failed; errors:"
    grep -E -A4 'CMake Error|error:|undefined reference' "$blog" | head -n 80 | sed "s/^/  [$suite] /"
    [ "$root" = / ] || unmount_chroot "$root"
    return 1
  fi
  RESULT_BUILD="OK"
  # warnings are worth seeing even when the build passes
  if grep -q 'warning:' "$blog"; then
    RESULT_BUILD="OK(warn)"
    echo "---- $suite: compiler warnings:"
    grep -E 'warning:' "$blog" | sort -u | head -n 40 | sed "s/^/  [$suite] /"
  fi

  log "$suite: ctest (log: $tlog)"
  t0=$SECONDS
  run_step "$tlog" "$root" sh -c "cd '$src/build-matrix' && ctest --output-on-failure -j$JOBS --timeout ${PMTUD_TEST_TIMEOUT:-600}"
  local trc=$?
  RESULT_T_TEST=$((SECONDS - t0))

  # the dump tool comes from this script's own folder, not from the snapshot
  # (PMTUD_REF may name a revision that does not have it)
  if [ "${PMTUD_DUMP:-1}" != 0 ] && [ -f "$REPO/tests/matrix/dump-pmtud.sh" ]; then
    local so
    so=$(cd "${root%/}$src/build-matrix" && find . -name pmtud.so -path './plugin/*' | head -n1)
    if [ -n "$so" ]; then
      install -m 755 "$REPO/tests/matrix/dump-pmtud.sh" "${root%/}$src/build-matrix/dump-pmtud.sh"
      run_step "$LOGS/$suite-dump.txt" "$root" sh -c "cd '$src' && '$src/build-matrix/dump-pmtud.sh' '$src/build-matrix/${so#./}' \$(find testcaptures -type f \( -name '*.pcap' -o -name '*.pcapng' \) | LC_ALL=C sort)" \
        || echo "dump failed, see $LOGS/$suite-dump.txt"
    fi
  fi
  [ "$root" = / ] || unmount_chroot "$root"

  local line total failed
  line=$(grep -E '[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$tlog" | tail -n1)
  if [ -n "$line" ]; then
    failed=$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/' <<<"$line")
    total=$(sed -E 's/.* failed out of ([0-9]+).*/\1/' <<<"$line")
    RESULT_TESTS="$((total - failed)) passed, $failed failed"
  elif grep -q 'No tests were found' "$tlog"; then
    RESULT_TESTS="no tests"
  else
    RESULT_TESTS="ctest rc=$trc"
  fi
  if [ $trc -ne 0 ]; then
    echo "---- $suite: failing tests:"
    sed -n '/The following tests FAILED/,$p' "$tlog" | sed "s/^/  [$suite] /"
    grep -E '^[[:space:]]*(FAIL|AssertionError|Traceback|.*Error:)' "$tlog" | head -n 40 | sed "s/^/  [$suite] /"
    return 1
  fi
  RESULT_OK=1
  return 0
}

take_snapshot
log "source: $SNAPSHOT_DESC"

declare -a ROWS
status=0
first=""
for suite in "${SUITES[@]}"; do
  run_suite "$suite" || status=1
  [ "$RESULT_OK" = 1 ] || status=1
  if [ -s "$LOGS/$suite-dump.txt" ]; then
    if [ -z "$first" ]; then
      first=$suite; RESULT_DUMP="reference"
    elif diff -u "$LOGS/$first-dump.txt" "$LOGS/$suite-dump.txt" >"$LOGS/$suite-vs-$first.diff"; then
      RESULT_DUMP="same as $first"; rm -f "$LOGS/$suite-vs-$first.diff"
    else
      RESULT_DUMP="DIFFERS from $first"
      echo "---- $suite: pmtud output differs from $first ($LOGS/$suite-vs-$first.diff):"
      head -n 40 "$LOGS/$suite-vs-$first.diff" | sed "s/^/  [$suite] /"
    fi
  fi
  ROWS+=("$(printf '%-8s %-20s %-9s %-22s %6ss %6ss %6ss  %s' "$suite" "$RESULT_VERSION" \
    "$RESULT_BUILD" "$RESULT_TESTS" "$RESULT_T_CHROOT" "$RESULT_T_BUILD" "$RESULT_T_TEST" "$RESULT_DUMP")")
done

echo
echo "source: $SNAPSHOT_DESC"
printf '%-8s %-20s %-9s %-22s %7s %7s %7s  %s\n' suite wireshark build tests chroot build test "pmtud output"
printf '%s\n' "${ROWS[@]}"
[ $status -eq 0 ] && echo "wireshark-matrix: all suites OK" || echo "wireshark-matrix: FAILED"
exit $status
