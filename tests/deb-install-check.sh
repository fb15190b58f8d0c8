#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# deb-install-check.sh: proves that pmtud's Debian package installs with
# `apt-get install ./pmtud_<ver>_<arch>.deb` on a FRESH Debian 12 (bookworm),
# that tshark then loads the plugin from the system plugin folder and that
# the plugin works, and that `apt-get remove pmtud` takes it away again.
#
#   tests/deb-install-check.sh                  # build the .deb from the working tree
#   tests/deb-install-check.sh --deb FILE       # check an existing .deb instead
#   tests/deb-install-check.sh --build-dir DIR  # build in DIR
#                                   (default /var/tmp/pmtud-debcheck/build)
#
# Needs root (debootstrap, chroot, mount, mknod).
#
# What it does:
#  1. Unless --deb is given: cmake -S <repo> -B <build> (RelWithDebInfo),
#     cmake --build, then `cpack -G DEB` inside the build folder (as the ctest
#     test "package", tests/test_package.py, does).
#  2. A pristine `debootstrap --variant=minbase bookworm` is made once and
#     kept as a tarball, $PMTUD_CHROOT_DIR/bookworm-fresh/pristine.tar; it is
#     never entered. Every run unpacks it into a new, empty work folder, so
#     nothing from an earlier check remains. /dev gets device nodes (never a
#     bind mount of the host's /dev: a package script once changed the host's
#     /dev/null that way, see tests/wireshark-matrix.sh); /proc is mounted and
#     unmounted by a trap, also on failure or interrupt.
#  3. In the fresh copy: apt-get update; `apt-get install -s ./pmtud.deb` alone
#     (simulated, to see what pmtud's own Depends pull in); then
#     `apt-get install -y ./pmtud.deb` with apt's default settings
#     (Recommends on, as on a fresh install): tshark must come with it, as
#     the package recommends it.
#  4. Checks: dpkg -s pmtud; dpkg -L pmtud holds the plugin in Wireshark's
#     system plugin folder; `tshark -G plugins` lists pmtud.so with the .deb's
#     version; pmtud flags frames 7, 14, 21 of seed_dnat_tso.pcap as offload
#     artefacts (testcaptures/expectations.json); after `apt-get remove pmtud`
#     its files are gone and tshark no longer lists it.
#  5. Prints a summary, also written to $PMTUD_DEBCHECK_DIR/summary.txt.
#
# Environment:
#   PMTUD_CHROOT_DIR    chroot cache folder, as in wireshark-matrix.sh
#                       (default /var/tmp/pmtud-chroots; the pristine tarball
#                       is in its bookworm-fresh/ subfolder)
#   PMTUD_MIRROR        Debian mirror (default http://deb.debian.org/debian)
#   PMTUD_DEBCHECK_DIR  work folder: build, chroot copy, logs, summary
#                       (default /var/tmp/pmtud-debcheck)
#   PMTUD_REFRESH=1     debootstrap a new pristine chroot even if one is cached
#   PMTUD_KEEP=1        keep the chroot copy after a passing run (a failing
#                       run always keeps it, for a look inside)
#
# Logs: $PMTUD_DEBCHECK_DIR/logs/*.log
# Exit status: 0 all checks passed, 1 a check failed, 2 could not run the
# checks (bad arguments, build or debootstrap failed, not root).
set -uo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${PMTUD_CHROOT_DIR:-/var/tmp/pmtud-chroots}
PRISTINE_DIR="$CACHE/bookworm-fresh"
PRISTINE="$PRISTINE_DIR/pristine.tar"
MIRROR=${PMTUD_MIRROR:-http://deb.debian.org/debian}
SUITE=bookworm
WORK=${PMTUD_DEBCHECK_DIR:-/var/tmp/pmtud-debcheck}
BUILD="$WORK/build"
ROOT="$WORK/root"
LOGS="$WORK/logs"
SUMMARY="$WORK/summary.txt"
CAPTURE="$REPO/testcaptures/crafted/seed_dnat_tso.pcap"
# testcaptures/expectations.json, "crafted/seed_dnat_tso.pcap": the three
# ICMP messages quoting merged (offloaded) segments
EXPECTED_OFFLOAD_FRAMES="7 14 21"
DEB=""

usage() { sed -n '4,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
die() { echo "deb-install-check: $*" >&2; exit 2; }
log() { echo "[$(date +%H:%M:%S)] $*"; }

while [ $# -gt 0 ]; do
  case "$1" in
    --deb) [ $# -ge 2 ] || die "--deb needs a file"; DEB=$2; shift 2 ;;
    --build-dir) [ $# -ge 2 ] || die "--build-dir needs a folder"; BUILD=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done

[ "$(id -u)" -eq 0 ] || die "must run as root (debootstrap, chroot, mount, mknod)"
if [ -n "$DEB" ]; then
  [ -f "$DEB" ] || die "no such file: $DEB"
  DEB=$(cd "$(dirname "$DEB")" && pwd)/$(basename "$DEB")
fi
[ -f "$CAPTURE" ] || die "missing $CAPTURE"
mkdir -p "$WORK" "$LOGS" "$PRISTINE_DIR" || die "cannot create $WORK or $PRISTINE_DIR"

# one run at a time: the work folder and the pristine tarball are shared
exec 9>"$WORK/.lock"
if ! flock -n 9; then
  log "waiting for another deb-install-check run ($WORK/.lock)"
  flock 9
fi

T_START=$SECONDS

# ---- /proc in the chroot copy, undone by the trap -------------------------
PROC_MOUNTED=0
CHILD=""
# shellcheck disable=SC2317  # called from the traps
cleanup() {
  if [ -n "$CHILD" ]; then
    kill -TERM -- "-$CHILD" 2>/dev/null
    sleep 2
    kill -KILL -- "-$CHILD" 2>/dev/null
    CHILD=""
  fi
  if [ "$PROC_MOUNTED" = 1 ]; then
    umount "$ROOT/proc" 2>/dev/null || umount -l "$ROOT/proc" 2>/dev/null || true
    PROC_MOUNTED=0
  fi
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM

# Anything mounted at or below $1 (from /proc/self/mounts; \040 etc. unescaped
# is not needed: our paths have no spaces).
mounted_below() {
  awk -v p="$1" '$2 == p || index($2, p "/") == 1 { print $2 }' /proc/self/mounts
}

# Removes a chroot folder, but only when nothing is mounted inside it.
remove_tree() {
  local d=$1 m
  [ -e "$d" ] || return 0
  m=$(mounted_below "$d")
  if [ -n "$m" ]; then
    umount -l "$d/proc" 2>/dev/null || true
    m=$(mounted_below "$d")
    [ -z "$m" ] || die "refusing to remove $d, still mounted there: $m"
  fi
  rm -rf --one-file-system "$d"
}

# Device nodes instead of the host's /dev (copied from wireshark-matrix.sh).
make_dev_nodes() {
  local root=$1 node
  mkdir -p "$root/dev"
  for node in "null 1 3" "zero 1 5" "full 1 7" "random 1 8" "urandom 1 9" "tty 5 0"; do
    # shellcheck disable=SC2086
    set -- $node
    [ -c "$root/dev/$1" ] || { rm -f "$root/dev/$1"; mknod -m 666 "$root/dev/$1" c "$2" "$3"; }
  done
}

# Runs "$@" in the chroot copy with a clean environment.
in_chroot() {
  chroot "$ROOT" /usr/bin/env -i HOME=/root LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=dumb \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    DEBIAN_FRONTEND=noninteractive "$@"
}

apt_in_chroot() {
  in_chroot apt-get -o Acquire::Retries=3 -o Dpkg::Use-Pty=0 "$@"
}

# A long apt step in its own process group, waited for in the background:
# an interrupt then reaches the trap at once, and the trap stops the whole
# step (apt-get catches SIGINT itself, and bash would carry on after it).
apt_step() {
  local rc
  setsid chroot "$ROOT" /usr/bin/env -i HOME=/root LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=dumb \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    DEBIAN_FRONTEND=noninteractive \
    apt-get -o Acquire::Retries=3 -o Dpkg::Use-Pty=0 "$@" </dev/null &
  CHILD=$!
  wait "$CHILD"; rc=$?
  CHILD=""
  return $rc
}

# ---- 1. the .deb ----------------------------------------------------------
DEB_ORIGIN=""
if [ -z "$DEB" ]; then
  blog="$LOGS/build.log"
  : >"$blog"
  case "$BUILD/" in "$REPO"/*) die "the build folder must be outside the repository: $BUILD" ;; esac
  DEB_ORIGIN="working tree of $REPO"
  if git -C "$REPO" rev-parse --git-dir >/dev/null 2>&1; then
    DEB_ORIGIN="working tree on $(git -C "$REPO" rev-parse --short HEAD)"
    [ -n "$(git -C "$REPO" status --porcelain 2>/dev/null)" ] && DEB_ORIGIN="$DEB_ORIGIN + local changes"
  fi
  log "building the .deb from the $DEB_ORIGIN in $BUILD (log: $blog)"
  mkdir -p "$BUILD"
  rm -f "$BUILD"/pmtud_*.deb
  {
    nice -n 10 cmake -S "$REPO" -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo &&
    nice -n 10 cmake --build "$BUILD" -j1 &&
    (cd "$BUILD" && nice -n 10 cpack -G DEB)
  } >>"$blog" 2>&1 || { tail -n 30 "$blog" >&2; die "building the .deb failed, see $blog"; }
  shopt -s nullglob
  debs=("$BUILD"/pmtud_*.deb)
  shopt -u nullglob
  [ ${#debs[@]} -eq 1 ] || die "expected one pmtud_*.deb in $BUILD, found ${#debs[@]}"
  DEB=${debs[0]}
else
  DEB_ORIGIN="given with --deb"
fi
DEB_NAME=$(basename "$DEB")
DEB_VERSION=$(dpkg-deb -f "$DEB" Version) || die "dpkg-deb cannot read $DEB"
DEB_ARCH=$(dpkg-deb -f "$DEB" Architecture)
DEB_DEPENDS=$(dpkg-deb -f "$DEB" Depends)
[ "$(dpkg-deb -f "$DEB" Package)" = pmtud ] || die "$DEB_NAME is not the pmtud package"
case "$DEB_ARCH" in
  amd64) MULTIARCH=x86_64-linux-gnu ;;
  arm64) MULTIARCH=aarch64-linux-gnu ;;
  i386) MULTIARCH=i386-linux-gnu ;;
  *) die "no multiarch triplet known for architecture $DEB_ARCH" ;;
esac
[ "$DEB_ARCH" = "$(dpkg --print-architecture)" ] || die "$DEB_NAME is for $DEB_ARCH, this machine is $(dpkg --print-architecture)"
log "package: $DEB_NAME (version $DEB_VERSION, Depends: $DEB_DEPENDS)"

# ---- 2. the pristine chroot, and a fresh copy of it -----------------------
if [ ! -f "$PRISTINE" ] || [ "${PMTUD_REFRESH:-0}" = 1 ]; then
  if ! command -v debootstrap >/dev/null 2>&1; then
    log "installing debootstrap on the host"
    apt-get update -qq >/dev/null 2>&1 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null \
      || die "cannot install debootstrap"
  fi
  dlog="$LOGS/debootstrap.log"
  tmp="$PRISTINE_DIR/debootstrap.tmp"
  log "debootstrap --variant=minbase $SUITE from $MIRROR (log: $dlog)"
  remove_tree "$tmp"
  mkdir -p "$tmp"
  nice -n 10 debootstrap --variant=minbase "$SUITE" "$tmp" "$MIRROR" >"$dlog" 2>&1 \
    || { tail -n 20 "$dlog" >&2; remove_tree "$tmp"; die "debootstrap failed, see $dlog"; }
  [ -z "$(mounted_below "$tmp")" ] || die "debootstrap left mounts in $tmp: $(mounted_below "$tmp")"
  tar -C "$tmp" --numeric-owner --xattrs --xattrs-include='*' -cpf "$PRISTINE.tmp" . \
    || die "cannot write $PRISTINE.tmp"
  mv -f "$PRISTINE.tmp" "$PRISTINE"
  printf 'debootstrap --variant=minbase %s %s\nmade %s\n' "$SUITE" "$MIRROR" "$(date -Is)" \
    >"$PRISTINE_DIR/pristine.info"
  remove_tree "$tmp"
else
  log "reusing the pristine $SUITE chroot $PRISTINE ($(sed -n 's/^made //p' "$PRISTINE_DIR/pristine.info" 2>/dev/null))"
fi
PRISTINE_MADE=$(sed -n 's/^made //p' "$PRISTINE_DIR/pristine.info" 2>/dev/null)

log "unpacking a fresh copy into $ROOT"
remove_tree "$ROOT"
mkdir -p "$ROOT"
tar -C "$ROOT" --numeric-owner --xattrs --xattrs-include='*' -xpf "$PRISTINE" \
  || die "cannot unpack $PRISTINE into $ROOT"
make_dev_nodes "$ROOT"
cp -f /etc/resolv.conf "$ROOT/etc/resolv.conf" 2>/dev/null || true
# do not let package scripts start services in the chroot
printf '#!/bin/sh\nexit 101\n' >"$ROOT/usr/sbin/policy-rc.d"
chmod 755 "$ROOT/usr/sbin/policy-rc.d"
mount -t proc proc "$ROOT/proc" || die "cannot mount /proc in $ROOT"
PROC_MOUNTED=1
CHROOT_DEBIAN=$(cat "$ROOT/etc/debian_version" 2>/dev/null || echo "?")

# ---- checks ---------------------------------------------------------------
RESULTS=()
FAILED=0
pass() { RESULTS+=("PASS  $1"); log "PASS  $1"; }
fail() {
  RESULTS+=("FAIL  $1")
  FAILED=$((FAILED + 1))
  log "FAIL  $1"
  [ $# -lt 2 ] || printf '%s\n' "$2" | sed 's/^/        /' >&2
}
skip() { RESULTS+=("SKIP  $1"); log "SKIP  $1"; }
check() { # check NAME OK(0/1) [DETAIL]
  if [ "$2" = 0 ]; then pass "$1"; else fail "$1" "${3:-}"; fi
}

PLUGIN_REL=""   # set once the Wireshark version in the chroot is known
WS_VERSION="?"
NEW_DEPS="?"
SIM_SUMMARY="?"

alog="$LOGS/apt.log"
: >"$alog"
cp "$DEB" "$ROOT/tmp/$DEB_NAME" && chmod 644 "$ROOT/tmp/$DEB_NAME"
cp "$CAPTURE" "$ROOT/tmp/seed_dnat_tso.pcap" && chmod 644 "$ROOT/tmp/seed_dnat_tso.pcap"

log "apt-get update (log: $alog)"
if ! apt_step update >>"$alog" 2>&1; then
  fail "apt-get update in the fresh chroot" "$(tail -n 15 "$alog")"
  INSTALL_OK=1
else
  # What pmtud's own Depends pull in, with nothing else asked for: with
  # apt's defaults, and with Depends only (so libwireshark comes from them).
  sim=$(apt_in_chroot install -s "/tmp/$DEB_NAME" 2>&1)
  sim_rc=$?
  simd=$(apt_in_chroot install -s --no-install-recommends "/tmp/$DEB_NAME" 2>&1)
  simd_rc=$?
  printf '== apt-get install -s /tmp/%s\n%s\n' "$DEB_NAME" "$sim" >>"$alog"
  printf '== apt-get install -s --no-install-recommends /tmp/%s\n%s\n' "$DEB_NAME" "$simd" >>"$alog"
  sim_pkgs=$(sed -n 's/^Inst \([^ ]*\) .*/\1/p' <<<"$sim" | grep -vx pmtud)
  simd_pkgs=$(sed -n 's/^Inst \([^ ]*\) .*/\1/p' <<<"$simd" | grep -vx pmtud)
  libws=$(grep -x 'libwireshark[0-9][0-9]*' <<<"$simd_pkgs" | head -n1)
  SIM_SUMMARY="$(grep -c . <<<"$sim_pkgs") packages with Recommends, $(grep -c . <<<"$simd_pkgs") with Depends only (${libws:-no libwireshark} among them)"
  if [ $sim_rc -eq 0 ] && [ $simd_rc -eq 0 ] && [ -n "$libws" ]; then
    pass "apt-get install -s ./$DEB_NAME alone resolves; its Depends pull $libws"
  else
    fail "apt-get install -s ./$DEB_NAME alone resolves; its Depends pull libwireshark" \
      "$(tail -n 15 <<<"$simd")"
  fi

  # The real install (debconf: no setuid dumpcap, so no question).
  echo "wireshark-common wireshark-common/install-setuid boolean false" \
    | in_chroot debconf-set-selections >>"$alog" 2>&1
  # shellcheck disable=SC2016  # dpkg-query's own ${Package}
  before=$(in_chroot dpkg-query -W -f '${Package}\n' | sort)
  log "apt-get install -y ./$DEB_NAME (log: $alog)"
  printf '== apt-get install -y /tmp/%s\n' "$DEB_NAME" >>"$alog"
  apt_step install -y "/tmp/$DEB_NAME" >>"$alog" 2>&1
  INSTALL_OK=$?
  # shellcheck disable=SC2016
  after=$(in_chroot dpkg-query -W -f '${Package}\n' | sort)
  NEW_DEPS=$(comm -13 <(echo "$before") <(echo "$after") | grep -vx -e pmtud -e tshark | tr '\n' ' ')
  check "apt-get install -y ./$DEB_NAME" "$INSTALL_OK" "$(tail -n 20 "$alog")"
  if [ "$INSTALL_OK" = 0 ]; then
    # shellcheck disable=SC2016
    check "tshark came with it (Recommends)" \
      "$([ "$(in_chroot dpkg-query -W -f '${Status}' tshark 2>/dev/null)" = "install ok installed" ]; echo $?)" \
      "tshark is not installed: the package's Recommends did not bring it"
  fi
  if grep -q 'Download is performed unsandboxed\|^W: \|^E: ' "$alog"; then
    log "note: apt printed warnings/errors, see $alog:"
    grep '^W: \|^E: ' "$alog" | sed 's/^/        /'
  fi
fi

if [ "$INSTALL_OK" = 0 ]; then
  WS_VERSION=$(in_chroot tshark --version 2>/dev/null | sed -n '1s/^TShark (Wireshark) \([^ ]*\).*/\1/p')
  # shellcheck disable=SC2016  # dpkg-query's own ${Version}
  WS_PKG_VERSION=$(in_chroot dpkg-query -W -f '${Version}' tshark 2>/dev/null)
  ws_mm=$(sed -n 's/^\([0-9]*\.[0-9]*\).*/\1/p' <<<"$WS_VERSION")
  PLUGIN_REL="usr/lib/$MULTIARCH/wireshark/plugins/$ws_mm/epan/pmtud.so"
  PLUGIN="/$PLUGIN_REL"

  # dpkg -s
  # shellcheck disable=SC2016
  st=$(in_chroot dpkg-query -W -f '${Status} ${Version}' pmtud 2>&1)
  check "dpkg -s pmtud: installed, version $DEB_VERSION" \
    "$([ "$st" = "install ok installed $DEB_VERSION" ]; echo $?)" "dpkg-query says: $st"

  # dpkg -L
  files=$(in_chroot dpkg -L pmtud 2>&1)
  check "dpkg -L pmtud holds $PLUGIN" \
    "$(grep -qx "$PLUGIN" <<<"$files" && [ -f "$ROOT/$PLUGIN_REL" ]; echo $?)" "dpkg -L pmtud:
$files"

  # tshark -G plugins (as root: only personal plugin folders are skipped)
  plist=$(in_chroot tshark -G plugins 2>"$LOGS/tshark-G-plugins.err")
  # name, version, type, path; tab separated, the name padded with blanks
  line=$(awk -F'\t' '{ for (i = 1; i <= NF; i++) gsub(/^[ ]+|[ ]+$/, "", $i) }
                     $1 == "pmtud.so" { print $1 "|" $2 "|" $3 "|" $4 }' <<<"$plist")
  want="pmtud.so|$DEB_VERSION|dissector|$PLUGIN"
  check "tshark -G plugins lists pmtud.so $DEB_VERSION from $PLUGIN" \
    "$([ "$line" = "$want" ]; echo $?)" "pmtud line: ${line:-<none>}
want:       $want
$(grep -c . <<<"$plist") plugins listed; stderr: $(head -c 300 "$LOGS/tshark-G-plugins.err")"

  # pmtud works: the offload artefacts of the seed capture
  frames=$(in_chroot tshark -r /tmp/seed_dnat_tso.pcap -Y pmtud.offload_artefact \
             -T fields -e frame.number 2>"$LOGS/tshark-r.err")
  trc=$?
  check "tshark -Y pmtud.offload_artefact on seed_dnat_tso.pcap: frames $EXPECTED_OFFLOAD_FRAMES" \
    "$([ $trc -eq 0 ] && [ "$frames" = "$(tr ' ' '\n' <<<"$EXPECTED_OFFLOAD_FRAMES")" ]; echo $?)" \
    "tshark exit $trc, printed: $(tr '\n' ' ' <<<"$frames")
stderr: $(head -c 300 "$LOGS/tshark-r.err")"

  # apt-get remove
  pkg_files=$(grep -v '^/\.$' <<<"$files")
  log "apt-get remove -y pmtud"
  printf '== apt-get remove -y pmtud\n' >>"$alog"
  apt_step remove -y pmtud >>"$alog" 2>&1
  rrc=$?
  check "apt-get remove -y pmtud" "$rrc" "$(tail -n 15 "$alog")"
  # shellcheck disable=SC2016
  st=$(in_chroot dpkg-query -W -f '${db:Status-Abbrev}' pmtud 2>/dev/null)
  left=""
  while IFS= read -r f; do
    [ -n "$f" ] || continue
    if [ -e "$ROOT$f" ] && [ ! -d "$ROOT$f" ]; then left="$left $f"; fi
  done <<<"$pkg_files"
  check "after remove: $PLUGIN and pmtud's other files are gone" \
    "$([ ! -e "$ROOT/$PLUGIN_REL" ] && [ -z "$left" ] && [ "${st:0:2}" != ii ]; echo $?)" \
    "left behind:${left:- none}; dpkg status: ${st:-<none>}"
  plist=$(in_chroot tshark -G plugins 2>/dev/null)
  prc=$?
  check "after remove: tshark -G plugins runs and no longer lists pmtud.so" \
    "$([ $prc -eq 0 ] && ! grep -q '^pmtud\.so' <<<"$plist"; echo $?)" \
    "tshark exit $prc; pmtud line: $(grep '^pmtud\.so' <<<"$plist")"
else
  skip "dpkg / tshark checks (the install failed)"
fi

cleanup
ELAPSED=$((SECONDS - T_START))

# ---- 5. summary ----------------------------------------------------------
{
  echo "pmtud Debian package install check, $(date -Is)"
  echo "  .deb:        $DEB_NAME ($DEB_ORIGIN)"
  echo "               $DEB"
  echo "  Depends:     $DEB_DEPENDS"
  echo "  chroot:      Debian $CHROOT_DEBIAN ($SUITE), fresh copy of debootstrap --variant=minbase"
  echo "               from $MIRROR, pristine made ${PRISTINE_MADE:-?}"
  echo "  Wireshark:   ${WS_VERSION:-?} (tshark package ${WS_PKG_VERSION:-?})"
  echo "  apt, pmtud alone (simulated): $SIM_SUMMARY"
  echo "  apt installed as dependencies of pmtud + tshark ($(wc -w <<<"$NEW_DEPS") packages):"
  fold -s -w 72 <<<"${NEW_DEPS:--}" | sed -e "s/ *$//" -e "s/^/               /"
  printf '  %s\n' "${RESULTS[@]}"
  if [ $FAILED -eq 0 ]; then
    echo "  result:      PASS (${#RESULTS[@]} checks) in ${ELAPSED}s"
  else
    echo "  result:      FAIL ($FAILED of ${#RESULTS[@]} checks failed) in ${ELAPSED}s; logs in $LOGS"
  fi
} | tee "$SUMMARY"

if [ $FAILED -eq 0 ] && [ "${PMTUD_KEEP:-0}" != 1 ]; then
  remove_tree "$ROOT"
else
  echo "  chroot copy kept for a look: $ROOT (chroot $ROOT /bin/bash)"
fi
[ $FAILED -eq 0 ] || exit 1
exit 0
