/* pmtud_parse.c
 * Reads link, IP, tunnel, TCP/UDP and ICMP headers straight from frame bytes.
 * Every read is bounds-checked against the captured length: frames come
 * from untrusted captures and are often snaplen-truncated.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "pmtud_parse.h"

#include <string.h>

#include "pmtud_flow.h"

#define ETHERTYPE_IPV4   0x0800
#define ETHERTYPE_IPV6   0x86dd
#define ETHERTYPE_VLAN   0x8100
#define ETHERTYPE_QINQ   0x88a8
#define ETHERTYPE_QINQ_OLD 0x9100
#define ETHERTYPE_PPPOES 0x8864
#define ETHERTYPE_MPLS   0x8847
#define ETHERTYPE_TEB    0x6558   /* Ethernet inside GRE */


#define VXLAN_PORT       4789
#define MAX_TUNNEL_DEPTH 4        /* deeper nesting is not worth following */
#define MAX_LINK_TAGS    8        /* VLAN tags / MPLS labels followed */
#define MAX_EXT_HEADERS  8        /* IPv6 extension headers followed */

static uint16_t be16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Finds the MSS option in the captured part of a TCP header. */
static uint16_t tcp_mss_option(const uint8_t *opt, size_t len)
{
    size_t i = 0;
    while (i < len) {
        uint8_t kind = opt[i];
        if (kind == 0)
            break;
        if (kind == 1) {
            i++;
            continue;
        }
        if (i + 1 >= len || opt[i + 1] < 2)
            break;
        if (kind == 2 && opt[i + 1] == 4 && i + 4 <= len)
            return be16(opt + i + 2);
        i += opt[i + 1];
    }
    return 0;
}

/* Transport header at l4 (cap bytes captured). Fills ports, seq, lengths. */
static void parse_transport(const uint8_t *l4, size_t cap, pmtud_ip_t *ip)
{
    uint32_t after_ip = ip->ip_len > ip->hdr_len ? ip->ip_len - ip->hdr_len : 0;

    if (ip->proto == PMTUD_PROTO_TCP) {
        if (cap >= 4) {
            ip->has_ports = true;
            ip->sport = be16(l4);
            ip->dport = be16(l4 + 2);
        }
        if (cap >= 8) {
            ip->has_seq = true;
            ip->seq = be32(l4 + 4);
        }
        if (cap >= 12) {
            ip->has_ack = true;
            ip->ack = be32(l4 + 8);
        }
        if (cap >= 14) {
            uint16_t doff = (uint16_t)((l4[12] >> 4) * 4);
            if (doff >= 20)
                ip->l4_hdr_len = doff;
            ip->tcp_flags = l4[13];
            if ((ip->tcp_flags & PMTUD_TCP_SYN) && doff > 20)
                ip->mss = tcp_mss_option(l4 + 20, (cap < doff ? cap : doff) > 20 ?
                                         (cap < doff ? cap : doff) - 20 : 0);
        }
    } else if (ip->proto == PMTUD_PROTO_ICMP || ip->proto == PMTUD_PROTO_ICMPV6) {
        /* An echo request (a ping probe) is data too: its "payload" is the
         * whole ICMP message, header included, for matching quotes. */
        ip->payload_len = after_ip;
        ip->payload = cap ? l4 : NULL;
        ip->payload_caplen = (uint32_t)(cap < after_ip ? cap : after_ip);
        return;
    } else if (ip->proto == PMTUD_PROTO_UDP) {
        if (cap >= 4) {
            ip->has_ports = true;
            ip->sport = be16(l4);
            ip->dport = be16(l4 + 2);
        }
        if (cap >= 6)
            ip->udp_len = be16(l4 + 4);
        ip->l4_hdr_len = 8;
    }
    if (ip->l4_hdr_len && after_ip >= ip->l4_hdr_len)
        ip->payload_len = after_ip - ip->l4_hdr_len;
    if (ip->l4_hdr_len && cap > ip->l4_hdr_len) {
        ip->payload = l4 + ip->l4_hdr_len;
        ip->payload_caplen = (uint32_t)(cap - ip->l4_hdr_len);
        if (ip->payload_caplen > ip->payload_len)
            ip->payload_caplen = ip->payload_len;
    }
}

static bool parse_ipv4(const uint8_t *d, size_t cap, pmtud_ip_t *ip)
{
    uint16_t frag;

    if (cap < 20 || (d[0] >> 4) != 4 || (d[0] & 0x0f) < 5)
        return false;
    ip->family = 4;
    ip->hdr_len = (uint16_t)((d[0] & 0x0f) * 4);
    ip->ip_len = be16(d + 2);
    ip->ip_id = be16(d + 4);
    ip->has_id = true;
    frag = be16(d + 6);
    ip->df = (frag & 0x4000) != 0;
    ip->ttl = d[8];
    ip->later_fragment = (frag & 0x1fff) != 0;
    ip->proto = d[9];
    memcpy(ip->src, d + 12, 4);
    memcpy(ip->dst, d + 16, 4);
    ip->len_zero = ip->ip_len == 0;
    ip->headers_cut = cap < ip->hdr_len;
    return true;
}

static bool parse_ipv6(const uint8_t *d, size_t cap, pmtud_ip_t *ip)
{
    uint8_t nxt;
    size_t off = 40;
    int n;

    if (cap < 40 || (d[0] >> 4) != 6)
        return false;
    ip->family = 6;
    ip->ip_len = 40u + be16(d + 4);
    ip->ttl = d[7];
    memcpy(ip->src, d + 8, 16);
    memcpy(ip->dst, d + 24, 16);
    nxt = d[6];
    /* Walk the extension headers to the transport protocol; stop where
     * the capture or the quote ends. */
    for (n = 0; n < MAX_EXT_HEADERS; n++) {
        size_t len;
        if (nxt == PMTUD_IP6_HOP_BY_HOP || nxt == PMTUD_IP6_ROUTING ||
            nxt == PMTUD_IP6_DEST_OPTS) {
            if (off + 2 > cap) {
                ip->headers_cut = true;
                break;
            }
            len = ((size_t)d[off + 1] + 1) * 8;
        } else if (nxt == PMTUD_IP6_FRAGMENT) {
            if (off + 8 > cap) {
                ip->headers_cut = true;
                break;
            }
            if ((be16(d + off + 2) & 0xfff8) != 0)
                ip->later_fragment = true;
            len = 8;
        } else if (nxt == PMTUD_IP6_AH) {
            if (off + 2 > cap) {
                ip->headers_cut = true;
                break;
            }
            len = ((size_t)d[off + 1] + 2) * 4;
        } else {
            break;
        }
        nxt = d[off];
        off += len;
    }
    if (off > cap)
        ip->headers_cut = true;   /* the last extension header runs past the bytes */
    ip->proto = nxt;
    ip->hdr_len = (uint16_t)(off > 0xffff ? 0xffff : off);
    return true;
}

bool pmtud_parse_ip(const uint8_t *data, size_t caplen, pmtud_ip_t *out)
{
    memset(out, 0, sizeof *out);
    if (!data || caplen < 1)
        return false;
    if (!((data[0] >> 4) == 4 ? parse_ipv4(data, caplen, out) : parse_ipv6(data, caplen, out)))
        return false;
    out->captured = (uint32_t)(caplen < out->ip_len || out->ip_len == 0 ? caplen : out->ip_len);
    if (!out->later_fragment && out->hdr_len < caplen)
        parse_transport(data + out->hdr_len, out->captured > out->hdr_len ?
                        out->captured - out->hdr_len : 0, out);
    return true;
}

/* Skips a link header; returns the offset of the network layer or -1.
 * *ethertype receives the protocol found there (0 = guess from nibble). */
static long skip_ethernet(const uint8_t *d, size_t cap, size_t off, uint16_t *ethertype,
                          bool *pppoe)
{
    int tags;
    uint16_t et;

    if (off + 14 > cap)
        return -1;
    off += 12;
    et = be16(d + off);
    off += 2;
    for (tags = 0; tags < MAX_LINK_TAGS; tags++) {
        if (et == ETHERTYPE_VLAN || et == ETHERTYPE_QINQ || et == ETHERTYPE_QINQ_OLD) {
            if (off + 4 > cap)
                return -1;
            et = be16(d + off + 2);
            off += 4;
        } else if (et == ETHERTYPE_PPPOES) {
            uint16_t ppp;
            if (off + 8 > cap)
                return -1;
            ppp = be16(d + off + 6);
            off += 8;
            if (pppoe)
                *pppoe = true;
            et = ppp == 0x0021 ? ETHERTYPE_IPV4 : ppp == 0x0057 ? ETHERTYPE_IPV6 : 0xffff;
        } else if (et == ETHERTYPE_MPLS) {
            if (off + 4 > cap)
                return -1;
            if (d[off + 2] & 0x01)
                et = 0;       /* bottom of stack: IP version nibble decides */
            off += 4;
            if (et == 0)
                break;
        } else {
            break;
        }
    }
    *ethertype = et;
    return (long)off;
}

static bool network_ok(uint16_t et)
{
    return et == 0 || et == ETHERTYPE_IPV4 || et == ETHERTYPE_IPV6;
}

/* Offset of the first IP header for this link type, or -1. */
static long link_header(pmtud_link_t link, const uint8_t *d, size_t cap, bool *pppoe)
{
    uint16_t et = 0;
    long off;

    switch (link) {
    case PMTUD_LINK_ETHERNET:
        off = skip_ethernet(d, cap, 0, &et, pppoe);
        break;
    case PMTUD_LINK_RAW_IP:
        off = 0;
        break;
    case PMTUD_LINK_SLL:
        if (cap < 16)
            return -1;
        et = be16(d + 14);
        off = 16;
        break;
    case PMTUD_LINK_SLL2:
        if (cap < 20)
            return -1;
        et = be16(d);
        off = 20;
        break;
    case PMTUD_LINK_NULL:
        off = 4;      /* address family in host order: the nibble decides */
        break;
    default:
        return -1;
    }
    if (off < 0 || !network_ok(et))
        return -1;
    return off;
}

/* Where the packet inside a tunnel starts, or -1 when ip is no tunnel.
 * *eth_src: the inner Ethernet source MAC, or NULL when there is none. */
static long tunnel_inner(const uint8_t *d, size_t cap, size_t off, const pmtud_ip_t *ip,
                         const uint8_t **eth_src)
{
    size_t l4 = off + ip->hdr_len;
    uint16_t et = 0;

    *eth_src = NULL;
    if (ip->later_fragment)
        return -1;
    if (ip->proto == PMTUD_PROTO_IPIP || ip->proto == PMTUD_PROTO_IPV6)
        return (long)l4;
    if (ip->proto == PMTUD_PROTO_GRE) {
        uint16_t flags;
        size_t glen = 4;
        if (l4 + 4 > cap)
            return -1;
        flags = be16(d + l4);
        if ((flags & 0x0007) != 0)   /* only GRE version 0 carries IP/Ethernet */
            return -1;
        glen += (flags & 0x8000) ? 4 : 0;   /* checksum + reserved */
        glen += (flags & 0x2000) ? 4 : 0;   /* key */
        glen += (flags & 0x1000) ? 4 : 0;   /* sequence number */
        et = be16(d + l4 + 2);
        if (et == ETHERTYPE_TEB) {
            long e = skip_ethernet(d, cap, l4 + glen, &et, NULL);
            if (e < 0 || !network_ok(et))
                return -1;
            *eth_src = d + l4 + glen + 6;
            return e;
        }
        return (et == ETHERTYPE_IPV4 || et == ETHERTYPE_IPV6) ? (long)(l4 + glen) : -1;
    }
    if (ip->proto == PMTUD_PROTO_UDP && ip->has_ports && ip->dport == VXLAN_PORT) {
        long e;
        if (l4 + 16 > cap || !(d[l4 + 8] & 0x08))   /* VNI-valid flag */
            return -1;
        e = skip_ethernet(d, cap, l4 + 16, &et, NULL);
        if (e < 0 || !network_ok(et))
            return -1;
        *eth_src = d + l4 + 16 + 6;
        return e;
    }
    return -1;
}

/* Reads the ICMP header of ip (at icmp, cap bytes) and the packet it quotes. */
static void parse_icmp(const uint8_t *icmp, size_t cap, const pmtud_ip_t *ip, pmtud_frame_t *f)
{
    size_t qcap;

    f->is_icmp = true;
    if (cap < 8)
        return;
    f->icmp_type = icmp[0];
    f->icmp_code = icmp[1];
    if (ip->family == 4 && ip->proto == PMTUD_PROTO_ICMP && icmp[0] == 3 && icmp[1] == 4) {
        f->is_ptb = true;
        f->mtu = be16(icmp + 6);
    } else if (ip->family == 6 && ip->proto == PMTUD_PROTO_ICMPV6 && icmp[0] == 2) {
        f->is_ptb = true;
        f->mtu = be32(icmp + 4);
    } else {
        return;
    }
    /* The quote ends where the capture, the ICMP's IP length or, for
     * RFC 4884 multipart ICMPv4, its "original datagram length" ends. */
    qcap = cap - 8;
    if (ip->ip_len > ip->hdr_len + 8u && ip->ip_len - ip->hdr_len - 8u < qcap)
        qcap = ip->ip_len - ip->hdr_len - 8u;
    if (ip->family == 4 && icmp[5] != 0 && (size_t)icmp[5] * 4 < qcap)
        qcap = (size_t)icmp[5] * 4;
    if (!pmtud_parse_ip(icmp + 8, qcap, &f->quoted)) {
        f->quote_short = qcap > 0;
        memset(&f->quoted, 0, sizeof f->quoted);
        return;
    }
    f->quote_short = qcap < f->quoted.hdr_len || f->quoted.headers_cut;
}

bool pmtud_parse_frame(pmtud_link_t link, const uint8_t *data, size_t caplen,
                       uint32_t wire_len, pmtud_frame_t *out)
{
    long off;
    int depth;

    memset(out, 0, sizeof *out);
    if (!data)
        return false;
    out->link = link;
    off = link_header(link, data, caplen, &out->pppoe);
    if (off < 0 || (size_t)off >= caplen)
        return false;
    out->link_hdr_len = (uint32_t)off;
    if (link == PMTUD_LINK_ETHERNET)
        out->eth_src = data + 6;     /* link_header() saw all 14 bytes */

    for (depth = 0; depth <= MAX_TUNNEL_DEPTH; depth++) {
        long inner;
        const uint8_t *inner_eth;
        if (!pmtud_parse_ip(data + off, caplen - (size_t)off, &out->ip)) {
            return false;   /* only at depth 0: inner packets are probed first */
        }
        out->has_ip = true;
        out->tunnel_depth = (uint8_t)depth;
        /* IPv4 total length 0: the capture saw the packet before TSO, and
         * Wireshark treats it the same way; take the length from the wire. */
        if (out->ip.len_zero && depth == 0 && wire_len > (uint32_t)off) {
            pmtud_ip_t *ip = &out->ip;
            ip->ip_len = wire_len - (uint32_t)off;
            ip->captured = (uint32_t)(caplen - (size_t)off < ip->ip_len ?
                                      caplen - (size_t)off : ip->ip_len);
            ip->payload_len = 0;
            ip->payload = NULL;
            ip->payload_caplen = 0;
            ip->l4_hdr_len = 0;
            if (!ip->later_fragment && ip->hdr_len < ip->captured)
                parse_transport(data + off + ip->hdr_len, ip->captured - ip->hdr_len, ip);
        }
        if (depth == 0)
            out->outer = out->ip;
        if ((out->ip.proto == PMTUD_PROTO_ICMP && out->ip.family == 4) ||
            (out->ip.proto == PMTUD_PROTO_ICMPV6 && out->ip.family == 6)) {
            size_t l4 = (size_t)off + out->ip.hdr_len;
            if (!out->ip.later_fragment && l4 < caplen)
                parse_icmp(data + l4, caplen - l4, &out->ip, out);
            else
                out->is_icmp = true;
            break;
        }
        inner = tunnel_inner(data, caplen, (size_t)off, &out->ip, &inner_eth);
        if (inner < 0 || (size_t)inner >= caplen)
            break;
        {
            /* Only descend when the inner bytes really are an IP packet. */
            pmtud_ip_t probe;
            if (!pmtud_parse_ip(data + inner, caplen - (size_t)inner, &probe))
                break;
        }
        off = inner;
        out->eth_src = inner_eth;
    }
    return out->has_ip;
}
