#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The GUI test: the real Wireshark (Qt), under Xvfb, with the freshly built
# pmtud plugin and the repository's "PMTUD" profile, on the seed capture.
# xdotool drives it the way a user would; it takes five screenshots for the
# README, and checks what the GUI shows through what the GUI itself exports
# (File > Export Packet Dissections > As Plain Text), not through pixels alone:
#
#   (a) Analyze > Expert Information lists pmtud's warnings   -> expert_info.png
#   (b) frame 7's pmtud subtree, "Quoted frame: 5" selected   -> frame7_quoted_frame.png
#   (c) frame 5's pmtud subtree, "Rejected in: 7" selected    -> frame5_rejected_in.png
#   (d) the packet list filtered with pmtud.offload_artefact  -> filter_offload_artefact.png
#   (f) Statistics > PMTUD > Flows, one node per affected flow -> pmtud_flows.png
#
# and checks:
#   * the exported dissection of every frame carries the links, lengths and
#     expert infos pmtud draws, and pmtud's subtree of every frame is word
#     for word what `tshark -2 -V` prints with the same plugin and profile;
#   * Go > Go to Linked Packet on "Quoted frame: 5" lands on frame 5, and on
#     "Rejected in: 7" lands on frame 7 (exported "selected packet only");
#   * the filter pmtud.offload_artefact displays exactly frames 7, 14, 21;
#   * Statistics > PMTUD > Flows, saved with its own "Save as...", holds the
#     seed's flow with its counts, time lost and action, as tshark -2 does;
#   * pixels, as a second opinion: the Expert Information dialog has warning
#     (yellow) rows, and the profile paints offload artefacts orange;
#   * (e) a second Wireshark opens the suricata capture with -Y pmtud already
#     set: once the file is read, the packet list holds the rejected frames
#     too (pmtud has the filter applied again), exactly tshark -2's 18 frames.
#
# Without the plugin (or with a plugin that no longer registers its items)
# every check on the export fails; the run ends with `N passed, N failed` and
# exits non-zero when anything failed.
#
# usage: test_gui.sh PLUGIN.so [--profile DIR] [--capture FILE]
#                    [--screenshots DIR] [--wireshark BIN] [--tshark BIN]
#                    [--timeout SECONDS] [--keep]
#
# Needs (Debian): wireshark-qt, tshark, xvfb, xdotool, imagemagick.
# Wireshark ignores personal plugin folders for root, so as root Wireshark and
# tshark run as "nobody" (setpriv) with a private HOME; as anyone else they run
# as that user with the same private HOME. Nothing outside a temporary folder
# and the screenshot folder is written.

set -u

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)

plugin=""
profile="$repo/plugin/profile"
capture="$repo/testcaptures/crafted/seed_dnat_tso.pcap"
shots="$PWD/gui-screenshots"
wireshark_bin=wireshark
tshark_bin=tshark
keep=0
timeout_s=300

while [ $# -gt 0 ]; do
    case "$1" in
        --profile) profile=$2; shift 2 ;;
        --capture) capture=$2; shift 2 ;;
        --screenshots) shots=$2; shift 2 ;;
        --wireshark) wireshark_bin=$2; shift 2 ;;
        --tshark) tshark_bin=$2; shift 2 ;;
        --timeout) timeout_s=$2; shift 2 ;;
        --keep) keep=1; shift ;;
        -h|--help) sed -n '2,/^$/p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        -*) echo "unknown option $1" >&2; exit 2 ;;
        *) plugin=$1; shift ;;
    esac
done
if [ -z "$plugin" ] || [ ! -f "$plugin" ]; then
    echo "usage: $0 PLUGIN.so [--profile DIR] [--capture FILE] [--screenshots DIR]" >&2
    exit 2
fi
for tool in Xvfb xdotool import convert "$wireshark_bin" "$tshark_bin"; do
    if ! command -v "$tool" >/dev/null; then
        echo "FAIL $tool not found (apt-get install wireshark-qt tshark xvfb xdotool imagemagick)"
        echo "0 passed, 1 failed"
        exit 1
    fi
done

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "PASS $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1"; [ $# -gt 1 ] && printf '  %s\n' "${@:2}"; }
check() {  # check WHAT GOT WANT
    if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "got:  $2" "want: $3"; fi
}
note() { echo "-- $*"; }

# ---------------------------------------------------------------- the stage
# A private folder everybody can enter: when root runs this, Wireshark runs as
# nobody, who must read the plugin, the profile and the capture, and write
# its configuration and the exports.
tmp=$(mktemp -d /tmp/pmtud-gui-XXXXXX)
chmod 755 "$tmp"
home="$tmp/home"
out="$tmp/out"          # where Wireshark writes its exports
xvfb_pid=""
ws_pid=""
watchdog_pid=""

cleanup() {
    # Whatever happened, no Wireshark, no X server and no watchdog are left
    # behind (each killed by its own process id).
    [ -n "$watchdog_pid" ] && kill "$watchdog_pid" 2>/dev/null
    if [ -n "$ws_pid" ] && kill -0 "$ws_pid" 2>/dev/null; then
        kill "$ws_pid" 2>/dev/null; sleep 1; kill -9 "$ws_pid" 2>/dev/null
    fi
    if [ -n "$xvfb_pid" ] && kill -0 "$xvfb_pid" 2>/dev/null; then
        kill "$xvfb_pid" 2>/dev/null; sleep 0.5; kill -9 "$xvfb_pid" 2>/dev/null
    fi
    wait $ws_pid $xvfb_pid $watchdog_pid 2>/dev/null
    if [ "$keep" = 1 ]; then echo "-- kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'echo "FAIL interrupted or timed out after ${timeout_s}s"; echo "$passed passed, $((failed + 1)) failed"; exit 1' INT TERM
# A hung dialog must not hang the test: after --timeout seconds the script
# stops itself, and the trap above cleans up.
main_pid=$$
(
    sleep "$timeout_s" & sleeper=$!
    trap 'kill $sleeper 2>/dev/null; exit 0' TERM
    wait $sleeper && kill -TERM $main_pid
) > /dev/null 2>&1 &
watchdog_pid=$!

ws_version=$("$tshark_bin" --version 2>/dev/null | sed -n 's/^TShark (Wireshark) \([0-9]*\.[0-9]*\).*/\1/p' | head -1)
if [ -z "$ws_version" ]; then
    fail "cannot tell the Wireshark version from $tshark_bin --version"
    echo "$passed passed, $failed failed"; exit 1
fi
epan="$home/.local/lib/wireshark/plugins/$ws_version/epan"
mkdir -p "$epan" "$home/.config/wireshark/profiles/PMTUD" "$out" "$tmp/run"
cp "$plugin" "$epan/pmtud.so"
for f in colorfilters dfilter_buttons preferences; do
    cp "$profile/$f" "$home/.config/wireshark/profiles/PMTUD/"
done
cp "$capture" "$tmp/"
cap="$tmp/$(basename "$capture")"
capname=$(basename "$capture")

# Window geometry, and no byte view or packet diagram: these live in
# Wireshark's "recent" files, not in the profile's preferences, so they are
# set here and the profile stays what the repository ships.
cat > "$home/.config/wireshark/recent_common" <<'EOF'
gui.geometry_main_x: 0
gui.geometry_main_y: 0
gui.geometry_main_width: 1400
gui.geometry_main_height: 880
gui.geometry_main_maximized: FALSE
privs.warn_if_elevated: FALSE
sys.warn_if_no_capture: FALSE
EOF
cat > "$home/.config/wireshark/profiles/PMTUD/recent" <<'EOF'
gui.byte_view_show: FALSE
gui.packet_diagram_show: FALSE
gui.geometry_main_upper_pane: 330
EOF

runas=()
if [ "$(id -u)" = 0 ]; then
    runas=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
    chown -R nobody:nogroup "$home" "$out" "$tmp/run"
fi
chmod -R a+rX "$tmp"
chmod 700 "$tmp/run"    # XDG_RUNTIME_DIR must be private to its owner
chmod 644 "$cap"

# Runs a program as the Wireshark user, with nothing from our environment
# but what it needs.
as_ws_user() {
    "${runas[@]}" env -i HOME="$home" PATH=/usr/local/bin:/usr/bin:/bin LC_ALL=C.UTF-8 \
        XDG_RUNTIME_DIR="$tmp/run" DISPLAY="${DISPLAY:-}" QT_QPA_PLATFORM=xcb "$@"
}

# ---------------------------------------------------------------- X server
# Xvfb picks a free display itself (-displayfd), so parallel runs and a
# desktop session do not collide.
exec 3> "$tmp/displayfd"
Xvfb -displayfd 3 -screen 0 1600x1000x24 -nolisten tcp -noreset > "$tmp/xvfb.log" 2>&1 &
xvfb_pid=$!
exec 3>&-
for _ in $(seq 100); do
    [ -s "$tmp/displayfd" ] && break
    sleep 0.1
done
if [ ! -s "$tmp/displayfd" ]; then
    fail "Xvfb did not start" "$(cat "$tmp/xvfb.log")"
    echo "$passed passed, $failed failed"; exit 1
fi
DISPLAY=":$(head -1 "$tmp/displayfd")"
export DISPLAY
note "Xvfb on $DISPLAY"

# ---------------------------------------------------------------- helpers
# Waits for a visible window whose title matches REGEX; prints its id.
wait_window() {  # REGEX TIMEOUT_S
    local _ id
    for _ in $(seq $(($2 * 5))); do
        id=$(xdotool search --onlyvisible --name "$1" 2>/dev/null | head -1)
        if [ -n "$id" ]; then echo "$id"; return 0; fi
        kill -0 "$ws_pid" 2>/dev/null || return 1
        sleep 0.2
    done
    return 1
}
wait_gone() {  # WINDOW_ID TIMEOUT_S
    local _
    for _ in $(seq $(($2 * 5))); do
        xdotool search --onlyvisible --name . 2>/dev/null | grep -qx "$1" || return 0
        sleep 0.2
    done
    return 1
}
# There is no window manager: focus is given explicitly before every key.
keys() {  # WINDOW_ID KEY...
    timeout 5 xdotool windowfocus --sync "$1" 2>/dev/null || xdotool windowfocus "$1" 2>/dev/null
    shift
    local k
    for k in "$@"; do xdotool key "$k"; sleep 0.15; done
}
# Saves a window as an optimised PNG (256 colours: UI screenshots stay well
# under 200 KB and look the same).
shot() {  # WINDOW_ID NAME
    sleep 0.5
    import -window "$1" "$tmp/$2.raw.png" 2>/dev/null
    convert "$tmp/$2.raw.png" -strip +dither -colors 256 "PNG8:$shots/$2.png"
    if [ -s "$shots/$2.png" ]; then
        note "screenshot $shots/$2.png ($(( $(stat -c %s "$shots/$2.png") / 1024 )) KB)"
    else
        fail "screenshot $2"
    fi
}
# Pixel lines of a region whose most common colour is R,G,B (a second
# opinion only: the checks that matter read the GUI's own export).
rows_of_colour() {  # PNG GEOMETRY R,G,B
    convert "$1" -crop "$2" +repage -depth 8 txt:- 2>/dev/null | awk -v want="$3" '
        /^#/ { next }
        {
            split($1, xy, /[,:]/); y = xy[2]
            c = $2; gsub(/[()]/, "", c); split(c, v, ","); key = v[1] "," v[2] "," v[3]
            n[y, key]++; if (n[y, key] > best[y]) { best[y] = n[y, key]; top[y] = key }
            rows[y] = 1
        }
        END { k = 0; for (y in rows) if (top[y] == want) k++; print k }'
}
# File > Export Packet Dissections > As Plain Text, details all expanded,
# of all displayed packets or of the selected packet only.
export_text() {  # MAIN_WINDOW FILE all|selected
    local dlg
    keys "$1" alt+f
    # Open, Open Recent, Merge, Import, Close, (Save: disabled), Save As,
    # File Set, Export Specified Packets, Export Packet Dissections
    keys "$1" Down Down Down Down Down Down Down Down Right Return
    if ! dlg=$(wait_window 'Export Packet Dissections' 20); then
        fail "the Export Packet Dissections dialog opens"
        keys "$1" Escape Escape
        return 1
    fi
    sleep 0.5
    # The file name field has the focus.
    timeout 5 xdotool windowfocus --sync "$dlg" 2>/dev/null
    xdotool type --delay 10 "$2"
    keys "$dlg" alt+x                    # Details: All e_xpanded
    if [ "$3" = selected ]; then
        keys "$dlg" alt+s space          # _Selected packets only
    fi
    keys "$dlg" Return
    wait_gone "$dlg" 20
    local _
    for _ in $(seq 100); do
        [ -s "$2" ] && break
        sleep 0.2
    done
    sleep 0.5
    [ -s "$2" ] || { fail "Wireshark exported $2"; return 1; }
}
# Frame numbers of the summary lines of an exported dissection.
exported_frames() {
    awk '/^No\. / { getline; print $1 }' "$1" | tr '\n' ' ' | sed 's/ $//'
}
# pmtud's subtree of each frame, from a plain-text dissection (GUI export or
# tshark -V): "frame N" then the subtree's lines.
pmtud_blocks() {
    awk '
        /^Frame [0-9]+:/ { frame = $2; sub(":", "", frame); inside = 0; next }
        /^Path MTU Discovery analysis/ { inside = 1; print "frame " frame; print; next }
        inside && /^[^ ]/ { inside = 0 }
        inside && /^$/ { inside = 0 }
        inside { print }
    ' "$1"
}
block_of() {  # FILE FRAME
    pmtud_blocks "$1" | awk -v f="frame $2" '/^frame / { on = ($0 == f); next } on'
}
has_line() {  # WHAT FILE FRAME FIXED_STRING
    if block_of "$2" "$3" | grep -qF -- "$4"; then
        pass "$1"
    else
        fail "$1" "frame $3's pmtud subtree has no line with: $4" \
             "$(block_of "$2" "$3" | head -5)"
    fi
}
# Clicks the first row of the packet details, collapses everything, selects
# the last top-level item (pmtud, the post-dissector, comes last), expands
# all its subtrees and selects its first child (the link).
select_pmtud_link() {  # MAIN_WINDOW
    xdotool mousemove --window "$1" 120 437 click 1
    sleep 0.3
    keys "$1" ctrl+Left End shift+Right Down
}

# ---------------------------------------------------------------- Wireshark
mkdir -p "$shots"
note "wireshark -C PMTUD -r $capname -g 7 -z expert (plugin $plugin)"
(cd "$tmp" && exec "${runas[@]}" env -i HOME="$home" PATH=/usr/local/bin:/usr/bin:/bin \
    LC_ALL=C.UTF-8 XDG_RUNTIME_DIR="$tmp/run" DISPLAY="$DISPLAY" QT_QPA_PLATFORM=xcb \
    "$wireshark_bin" -C PMTUD -r "$cap" -g 7 -z expert > "$tmp/wireshark.log" 2>&1) &
ws_pid=$!

main=$(wait_window "^${capname//./\\.}\$" 60) || {
    import -window root "$shots/failure.png" 2>/dev/null
    fail "Wireshark opens $capname (what the screen showed: $shots/failure.png)" \
         "$(tail -5 "$tmp/wireshark.log")"
    echo "$passed passed, $failed failed"; exit 1
}
pass "Wireshark opens $capname"

# (a) Expert Information, opened by -z expert.
if expert=$(wait_window 'Expert Information' 60); then
    pass "-z expert opens the Expert Information dialog"
    sleep 1
    timeout 5 xdotool windowmove --sync "$expert" 0 0 2>/dev/null
    timeout 5 xdotool windowsize --sync "$expert" 1600 470 2>/dev/null
    sleep 0.5
    # One line per expert info instead of one per summary: untick
    # "Group by summary" (bottom left of the dialog).
    xdotool mousemove --window "$expert" 208 $((470 - 55)) click 1
    sleep 0.5
    # Expand the two pmtud warning groups and pmtud's notes: rows are
    # Warning/Protocol, Warning/Sequence, Note/TCP, Note/PMTUD, Chat...
    xdotool mousemove --window "$expert" 300 41 click 1
    keys "$expert" Right Down Down Down Down Right Down Down Down Down Down Right
    # Selecting a line in this dialog selects its packet in the main window:
    # end on frame 7's offload artefact warning.
    keys "$expert" Home Down
    # Summary column wide enough to read the sentences.
    xdotool mousemove --window "$expert" 540 22 mousedown 1 mousemove --window "$expert" 1300 22 mouseup 1
    shot "$expert" expert_info
    # Yellow = warning rows; there are none without pmtud on this capture.
    n=$(rows_of_colour "$tmp/expert_info.raw.png" 60x300+20+32 247,242,83)
    if [ "$n" -ge 30 ]; then
        pass "Expert Information shows warning rows ($n pixel lines)"
    else
        fail "Expert Information shows warning rows" "got $n yellow pixel lines, want >= 30"
    fi
    keys "$expert" Escape
    wait_gone "$expert" 10 || fail "Expert Information closes"
else
    fail "-z expert opens the Expert Information dialog"
fi

# (b) frame 7: pmtud's subtree, "Quoted frame: 5" selected. Go > Go to
# Packet (Ctrl+G), whatever the dialog above left selected.
sleep 0.5
keys "$main" ctrl+g
xdotool type --delay 10 7
keys "$main" Return
sleep 0.5
select_pmtud_link "$main"
shot "$main" frame7_quoted_frame

# The whole capture as the GUI dissects it.
gui_all="$out/gui-all.txt"
export_text "$main" "$gui_all" all
tshark_all="$tmp/tshark-all.txt"
as_ws_user "$tshark_bin" -C PMTUD -2 -r "$cap" -V > "$tshark_all" 2> "$tmp/tshark.err"

if [ -s "$gui_all" ]; then
    check "GUI export covers all 28 frames" "$(exported_frames "$gui_all" | wc -w)" 28
    if grep -q '^No\. .*Quoted frame.*Quoted len.*Wire len.*MTU.*Rejected in.*PMTUD verdict' "$gui_all"; then
        pass "the PMTUD profile's columns are in the export"
    else
        fail "the PMTUD profile's columns are in the export" "$(grep -m1 '^No\.' "$gui_all")"
    fi
    has_line "frame 7: Quoted frame: 5" "$gui_all" 7 "[Quoted frame: 5]"
    has_line "frame 7: Quoted IP length: 2960" "$gui_all" 7 "[Quoted IP length: 2960]"
    has_line "frame 7: Wire IP length: 1500" "$gui_all" 7 "[Wire IP length: 1500]"
    has_line "frame 7: Covered frame: 5" "$gui_all" 7 "[Covered frame: 5]"
    has_line "frame 7: Covered frame: 6" "$gui_all" 7 "[Covered frame: 6]"
    has_line "frame 7: offload artefact warning" "$gui_all" 7 \
        "Expert Info (Warning/Protocol): Offload artefact: "
    has_line "frame 7: same size crossed warning" "$gui_all" 7 \
        "Expert Info (Warning/Sequence): Same size crossed"
    has_line "frame 7: Retransmission: 8" "$gui_all" 7 "[Retransmission: 8]"
    has_line "frame 5: Rejected in: 7" "$gui_all" 5 "[Rejected in: 7]"
    has_line "frame 6: Rejected in: 7" "$gui_all" 6 "[Rejected in: 7]"
    has_line "frame 14: Quoted frame: 12" "$gui_all" 14 "[Quoted frame: 12]"
    has_line "frame 21: Quoted frame: 19" "$gui_all" 21 "[Quoted frame: 19]"
    has_line "frame 20: Rejected in: 21" "$gui_all" 20 "[Rejected in: 21]"
    gui_frames=$(pmtud_blocks "$gui_all" | sed -n 's/^frame //p' | tr '\n' ' ')
    check "frames with a pmtud subtree in the GUI" "$gui_frames" "5 6 7 12 13 14 19 20 21 "
    if [ -s "$tshark_all" ] && cmp -s <(pmtud_blocks "$gui_all") <(pmtud_blocks "$tshark_all"); then
        pass "pmtud's subtrees in the GUI are tshark -2 -V's, word for word"
    else
        fail "pmtud's subtrees in the GUI are tshark -2 -V's, word for word" \
             "$(diff <(pmtud_blocks "$gui_all") <(pmtud_blocks "$tshark_all") | head -10)"
    fi
fi

# Go > Go to Linked Packet on "Quoted frame: 5" (what a double-click does).
keys "$main" alt+g l
sleep 0.8
sel="$out/gui-selected-1.txt"
if export_text "$main" "$sel" selected; then
    check "Go to Linked Packet from frame 7's Quoted frame lands on" "$(exported_frames "$sel")" 5
fi

# (c) frame 5: pmtud's subtree, "Rejected in: 7" selected.
select_pmtud_link "$main"
shot "$main" frame5_rejected_in
keys "$main" alt+g l
sleep 0.8
sel="$out/gui-selected-2.txt"
if export_text "$main" "$sel" selected; then
    check "Go to Linked Packet from frame 5's Rejected in lands on" "$(exported_frames "$sel")" 7
fi

# (d) the display filter.
keys "$main" ctrl+slash
xdotool type --delay 10 'pmtud.offload_artefact'
keys "$main" Return
sleep 1.5
shot "$main" filter_offload_artefact
filtered="$out/gui-filtered.txt"
if export_text "$main" "$filtered" all; then
    check "pmtud.offload_artefact displays" "$(exported_frames "$filtered")" "7 14 21"
fi
# The profile paints offload artefacts orange (its first colouring rule);
# the two unselected rows (14, 21) must be orange across the columns.
n=$(rows_of_colour "$tmp/filter_offload_artefact.raw.png" 600x60+80+115 255,165,0)
if [ "$n" -ge 20 ]; then
    pass "offload artefact rows are painted orange by the profile ($n pixel lines)"
else
    fail "offload artefact rows are painted orange by the profile" \
         "got $n orange pixel lines in the packet list, want >= 20 (colorfilters: [background][foreground])"
fi
tshark_filtered=$(as_ws_user "$tshark_bin" -C PMTUD -r "$cap" -Y pmtud.offload_artefact -T fields -e frame.number | tr '\n' ' ' | sed 's/ $//')
check "tshark agrees on pmtud.offload_artefact" "$tshark_filtered" "7 14 21"

# (f) Statistics > PMTUD > Flows: the -z pmtud,flows table as a stats tree.
# PMTUD is the last entry of the Statistics menu (plugin trees come last,
# by name), Flows the first of its submenu. Checked through the dialog's
# own "Save as..." (plain text), against tshark -2 -z pmtud_flows,tree.
keys "$main" alt+s Up Right Return
if flows=$(wait_window '· Flows ·' 30); then
    pass "Statistics > PMTUD > Flows opens"
    timeout 5 xdotool windowmove --sync "$flows" 0 0 2>/dev/null
    timeout 5 xdotool windowsize --sync "$flows" 1600 260 2>/dev/null
    sleep 0.5
    shot "$flows" pmtud_flows
    # "Save as..." is the second button from the right, bottom row.
    xdotool mousemove --window "$flows" $((1600 - 150)) $((260 - 24)) click 1
    flows_txt="$out/gui-flows.txt"
    if dlg=$(wait_window 'Save Statistics As' 20); then
        sleep 0.5
        timeout 5 xdotool windowfocus --sync "$dlg" 2>/dev/null
        xdotool type --delay 10 "$flows_txt"
        keys "$dlg" Return
        wait_gone "$dlg" 20
        for _ in $(seq 50); do [ -s "$flows_txt" ] && break; sleep 0.2; done
    else
        fail "the Flows dialog's Save as... opens"
    fi
    # "label<TAB>count" of each line of a printed stats tree, sorted (the
    # GUI saves in its own sort order).
    tree_lines() { sed -n 's/^ *\([^ ].*[^ ]\)  \+\([0-9]\+\)  .*/\1\t\2/p' "$1" | sort; }
    if [ -s "$flows_txt" ]; then
        check "Statistics > PMTUD > Flows on the seed" "$(tree_lines "$flows_txt")" "$(printf '%s\t%s\n' \
            "192.0.2.10:80 -> 203.0.113.45:49321 tcp" 3 \
            "Action: turn off LRO/GRO on the router 192.0.2.1, by its MAC a VMware VM (vmxnet3) 0 hops from the capture: in its guest ethtool -K <if> lro off gro off (Windows: Disable-NetAdapterRsc -Name <if>), or on its ESXi host the advanced settings Net.Vmxnet3HwLRO=0 and Net.Vmxnet3SwLRO=0; and TSO on the sender 192.0.2.10 (by its MAC a VMware VM (vmxnet3)), or clamp MSS to 1460" 1 \
            "router vendor: VMware, Inc." 1 "router NIC: VMware vmxnet3" 1 \
            "sender vendor: VMware, Inc." 1 "sender NIC: VMware vmxnet3" 1 \
            "ICMP messages" 3 "Time lost (ms)" 9000 "offload artefact" 3 \
            "same size crossed (offload)" 3 "smallest cited MTU" 1500 "first ICMP frame" 7 | sort)"
        as_ws_user "$tshark_bin" -C PMTUD -2 -q -r "$cap" -z pmtud_flows,tree > "$tmp/tshark-flows.txt" 2>&1
        check "the GUI's Flows tree is tshark -2 -z pmtud_flows,tree's" \
            "$(tree_lines "$flows_txt")" "$(tree_lines "$tmp/tshark-flows.txt")"
    else
        fail "Wireshark saved the Flows tree"
    fi
    keys "$flows" Escape
    wait_gone "$flows" 10 || fail "the Flows dialog closes"
else
    fail "Statistics > PMTUD > Flows opens"
fi

# Quit the way a user does; the process must go away.
keys "$main" ctrl+q
for _ in $(seq 50); do kill -0 "$ws_pid" 2>/dev/null || break; sleep 0.2; done
if kill -0 "$ws_pid" 2>/dev/null; then
    fail "Wireshark quits on Ctrl+Q"
else
    pass "Wireshark quits on Ctrl+Q"
fi
if grep -qiE 'pmtud|plugin' "$tmp/wireshark.log"; then
    fail "Wireshark says nothing about pmtud or plugins on stderr" "$(grep -iE 'pmtud|plugin' "$tmp/wireshark.log" | head -5)"
else
    pass "Wireshark says nothing about pmtud or plugins on stderr"
fi

# (e) A capture opened with a display filter already set (wireshark -r F
# -Y pmtud): Wireshark filters each frame as it reads it, before the ICMP
# that rejects it; pmtud has the filter applied again once the file is
# read. On the suricata capture the filter shows 18 frames (the 6 ICMPs and
# the 12 frames they rejected), as tshark -2 finds; without the refilter
# it showed the 6 ICMPs only.
refilter_cap="$repo/testcaptures/real/suricata-verify_filestore-5408_bigflows-gro.pcap"
cp "$refilter_cap" "$tmp/"
rcap="$tmp/$(basename "$refilter_cap")"
chmod 644 "$rcap"
rcapname=$(basename "$refilter_cap")
note "wireshark -C PMTUD -r $rcapname -Y pmtud -z expert"
(cd "$tmp" && exec "${runas[@]}" env -i HOME="$home" PATH=/usr/local/bin:/usr/bin:/bin \
    LC_ALL=C.UTF-8 XDG_RUNTIME_DIR="$tmp/run" DISPLAY="$DISPLAY" QT_QPA_PLATFORM=xcb \
    "$wireshark_bin" -C PMTUD -r "$rcap" -Y pmtud -z expert > "$tmp/wireshark-2.log" 2>&1) &
ws_pid=$!
if main=$(wait_window "^${rcapname//./\\.}\$" 60); then
    pass "Wireshark opens $rcapname with -Y pmtud"
    # The Expert Information dialog (-z expert) opens once the file has
    # been read, and the refilter runs before the read returns: when it is
    # there, the packet list is final.
    if expert=$(wait_window 'Expert Information' 60); then
        keys "$expert" Escape
        wait_gone "$expert" 10
    else
        fail "-z expert opens the Expert Information dialog (file read)"
    fi
    refiltered="$out/gui-open-filtered.txt"
    if export_text "$main" "$refiltered" all; then
        want=$(as_ws_user "$tshark_bin" -C PMTUD -2 -r "$rcap" -Y pmtud -T fields -e frame.number | tr '\n' ' ' | sed 's/ $//')
        check "tshark -2 -Y pmtud on $rcapname" "$want" \
            "5 6 9 18 19 20 56 57 58 67 68 69 74 75 78 114 115 117"
        check "opened with -Y pmtud, the GUI displays the rejected frames too" \
            "$(exported_frames "$refiltered")" "$want"
    fi
    keys "$main" ctrl+q
    for _ in $(seq 50); do kill -0 "$ws_pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$ws_pid" 2>/dev/null && fail "Wireshark quits on Ctrl+Q ($rcapname)"
else
    fail "Wireshark opens $rcapname with -Y pmtud" "$(tail -5 "$tmp/wireshark-2.log")"
fi

echo "screenshots in $shots"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
