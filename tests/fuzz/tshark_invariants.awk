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
# quote inside the ICMP (its last IP layer and ports); when Wireshark did
# not dissect the quote that far, or shows no ports on the linked frame (a
# first fragment, which it dissects as part of the reassembled datagram),
# that part is skipped.

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
        else if (p[i] == "ppp") sum += 2
        else if (p[i] == "mpls") sum += 4
    }
    return sum
}

function last(list,    n, a) {
    n = split(list, a, ",")
    return n ? a[n] : ""
}

function count(list,    a) {
    return list == "" ? 0 : split(list, a, ",")
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
        # The quote as Wireshark read it: the last IP layer of the ICMP frame.
        qsrc = qdst = ""
        if (index(proto[f], "icmpv6") && count(ip6s[f]) >= 2) {
            qsrc = last(ip6s[f]); qdst = last(ip6d[f]); fam = 6
        } else if (index(proto[f], ":icmp") && count(ip4s[f]) >= 2) {
            qsrc = last(ip4s[f]); qdst = last(ip4d[f]); fam = 4
        }
        qtcp = qudp = ""
        if (qsrc != "" && tcps[f] != "" && proto[f] ~ /icmp(v6)?:.*tcp/)
            qtcp = last(tcps[f]) ">" last(tcpd[f])
        else if (qsrc != "" && udps[f] != "" && proto[f] ~ /icmp(v6)?:.*udp/)
            qudp = last(udps[f]) ">" last(udpd[f])
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
            else if (qtcp != "" && tcps[c] != "" && !has_pair(tcps[c], tcpd[c], last(tcps[f]), last(tcpd[f])))
                bad("flow", f, "linked frame " c " does not carry TCP " qtcp)
            else if (qudp != "" && udps[c] != "" && !has_pair(udps[c], udpd[c], last(udps[f]), last(udpd[f])))
                bad("flow", f, "linked frame " c " does not carry UDP " qudp)
        }
    }
}
