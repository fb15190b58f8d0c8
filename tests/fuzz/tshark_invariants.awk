# SPDX-License-Identifier: GPL-2.0-or-later
#
# The claims pmtud makes must follow from the bytes (issue 12), checked on
# tshark's output for a mutated capture: fuzz_tshark.sh runs its two-pass
# mode as `tshark -2 -Y pmtud -T fields` with the columns FIELDS below
# (Wireshark's own ip/ipv6/tcp/udp dissection beside pmtud's fields; this is
# a test, not the plugin) and feeds the result here. Prints one line per
# violation, nothing when every claim holds:
#
#   oversize   pmtud.oversize.len does not fit the frame's wire length after
#              its link header (a length the wire does not hold)
#   offload    an offload artefact "quoted packet larger than any wire frame"
#              whose quoted length does not exceed the matched frame's
#   wire_len   the matched frame's IP length is more than its wire holds
#   order      a quoted or covered frame that does not precede its ICMP, or a
#              retransmission that does not follow it
#   flow       a quoted or covered frame that does not carry the quoted
#              packet's addresses and ports (a link across flows)
#   unshown    a linked frame missing from the two-pass output, where
#              pmtud.segment.rejected_in must show it
#
# The link header is counted from frame.protocols with each header's
# smallest size (unknown ones count 0), so the length bound is never
# tighter than the truth. The flow check uses Wireshark's dissection of the
# quote inside the ICMP (the IP layer right after it, and the ports right
# after that: a quoted GRE or VXLAN packet is the tunnel's flow); when
# Wireshark did not dissect the quote that far, or shows no ports on the
# linked frame (a first fragment, which it dissects as part of the
# reassembled datagram), that part is skipped.

BEGIN { FS = "\t" }

function link_len(protocols,    n, p, i, sum) {
    n = split(protocols, p, ":")
    sum = 0
    for (i = 1; i <= n; i++) {
        if (p[i] == "ip" || p[i] == "ipv6")
            break
        if (p[i] == "eth") sum += 14
        else if (p[i] == "vlan") sum += 4
        else if (p[i] == "sll") sum += 16
        else if (p[i] == "null") sum += 4
        else if (p[i] == "pppoes") sum += 6
        else if (p[i] == "ppp") sum += 1     # a compressed protocol field alone (PPP_WITH_PHDR: 0x57 then IPv6)
        else if (p[i] == "mpls") sum += 4
    }
    return sum
}

# Does frame f carry src -> dst (same index of the src and dst lists)?
function has_pair(srcs, dsts, src, dst,    n, m, a, b, i) {
    n = split(srcs, a, ",")
    m = split(dsts, b, ",")
    for (i = 1; i <= n && i <= m; i++)
        if (a[i] == src && b[i] == dst)
            return 1
    return 0
}

# The n-th element of a comma-separated list.
function nth(list, n,    a) {
    return split(list, a, ",") >= n ? a[n] : ""
}

# The quoted packet's flow as Wireshark read it: the IP layer right after
# the ICMP layer in frame.protocols (a quoted tunnel packet is the tunnel's
# flow, as pmtud matches it, not the packet inside), and the TCP or UDP
# ports right after that. Sets qsrc, qdst, fam, qtcp, qudp, qsp, qdp; qsrc
# is "" when Wireshark did not dissect the quote.
function quote_flow(f,    n, p, i, k, j, seen4, seen6, seent, seenu) {
    qsrc = qdst = ""; qtcp = qudp = 0
    n = split(proto[f], p, ":")
    seen4 = seen6 = seent = seenu = 0
    for (i = 1; i <= n; i++) {
        if (p[i] == "ip") seen4++
        else if (p[i] == "ipv6") seen6++
        else if (p[i] == "tcp") seent++
        else if (p[i] == "udp") seenu++
        else if ((p[i] == "icmp" || p[i] == "icmpv6") && i < n) {
            k = i + 1
            if (p[k] == "ip") {
                fam = 4; qsrc = nth(ip4s[f], seen4 + 1); qdst = nth(ip4d[f], seen4 + 1)
            } else if (p[k] == "ipv6") {
                fam = 6; qsrc = nth(ip6s[f], seen6 + 1); qdst = nth(ip6d[f], seen6 + 1)
            } else {
                return
            }
            if (qsrc == "" || qdst == "") {
                qsrc = ""
                return
            }
            j = k + 1
            if (j <= n && p[j] == "tcp") {
                qsp = nth(tcps[f], seent + 1); qdp = nth(tcpd[f], seent + 1); qtcp = qsp != ""
            } else if (j <= n && p[j] == "udp") {
                qsp = nth(udps[f], seenu + 1); qdp = nth(udpd[f], seenu + 1); qudp = qsp != ""
            }
            return
        }
    }
}

function bad(kind, frame, what) {
    printf "%s frame %s: %s\n", kind, frame, what
}

{
    f = $1
    seen[f] = 1
    flen[f] = $2; proto[f] = $3
    ip4s[f] = $4; ip4d[f] = $5; ip6s[f] = $6; ip6d[f] = $7
    tcps[f] = $8; tcpd[f] = $9; udps[f] = $10; udpd[f] = $11
    over[f] = $12
    qf[f] = $13; qlen[f] = $14; wlen[f] = $15; cov[f] = $16; retx[f] = $17
    verdict[f] = $18
    order[++rows] = f
}

END {
    for (r = 1; r <= rows; r++) {
        f = order[r]
        room = flen[f] - link_len(proto[f])
        if (over[f] != "" && over[f] + 0 > room)
            bad("oversize", f, "pmtud.oversize.len " over[f] " > " room " bytes after the link header (frame.len " flen[f] ")")
        if (qlen[f] == "")
            continue
        if (retx[f] != "" && retx[f] + 0 <= f + 0)
            bad("order", f, "retransmission " retx[f] " does not follow the ICMP")
        if (qf[f] == "")
            continue
        if (index(verdict[f], "quoted packet larger than any wire frame") && !(qlen[f] + 0 > wlen[f] + 0))
            bad("offload", f, "offload artefact with quoted length " qlen[f] " <= wire length " wlen[f])
        quote_flow(f)
        n = split(qf[f] "," cov[f], linked, ",")
        for (i = 1; i <= n; i++) {
            c = linked[i]
            if (c == "" || (i > 1 && c == qf[f]))
                continue    # the quoted frame is covered too: checked once
            if (c + 0 >= f + 0) {
                bad("order", f, "linked frame " c " does not precede the ICMP")
                continue
            }
            if (!(c in seen)) {
                bad("unshown", f, "linked frame " c " is not in the two-pass output")
                continue
            }
            if (c == qf[f] && wlen[f] + 0 > flen[c] - link_len(proto[c]))
                bad("wire_len", f, "matched frame " c " of " flen[c] " bytes given wire length " wlen[f])
            if (qsrc == "")
                continue
            if (fam == 4 && !has_pair(ip4s[c], ip4d[c], qsrc, qdst) ||
                fam == 6 && !has_pair(ip6s[c], ip6d[c], qsrc, qdst))
                bad("flow", f, "linked frame " c " does not carry " qsrc " > " qdst)
            else if (qtcp && tcps[c] != "" && !has_pair(tcps[c], tcpd[c], qsp, qdp))
                bad("flow", f, "linked frame " c " does not carry TCP " qsp " > " qdp)
            else if (qudp && udps[c] != "" && !has_pair(udps[c], udpd[c], qsp, qdp))
                bad("flow", f, "linked frame " c " does not carry UDP " qsp " > " qdp)
        }
    }
}
