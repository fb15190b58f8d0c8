/* pmtud_parse.c
 * Reads link, IP, tunnel, TCP/UDP and ICMP headers straight from frame bytes.
 * Every read is bounds-checked against the captured length: frames come
 * from untrusted captures and are often snaplen-truncated.
 *
 * Tunnels and overlays are read as Wireshark decodes them, so that what
 * pmtud links is what the user sees: GRE by its protocol type (and, for
 * ERSPAN, by its sequence flag and the ERSPAN version), UDP overlays by the
 * port table the glue fills from Wireshark's "udp.port" dissector table.
 * The inner bytes must parse as IP before the parser descends, so a wrong
 * guess leaves the frame at its outer packet rather than inventing one.
 *
 * Lengths of 0: TSO hands the capture point IPv4 packets with total length
 * 0 and BIG TCP IPv6 packets with payload length 0 (the Hop-by-Hop jumbo
 * option, when present, holds the real length). At any tunnel depth the
 * real length is then the wire length minus everything before that IP
 * header.
 *
 * Cost: every frame of a capture comes here, and most are one more TCP
 * segment on Ethernet. parse_common_frame() reads exactly those, with no
 * loop and no call (about 145 instructions on x86-64 where the general
 * path took 350, most of them the stores pmtud_frame_t's contract asks
 * for), and hands any other frame to the general path (link types, tags,
 * tunnels, overlays, ICMP), whose result it must equal field for field:
 * unit_parse_fast and the fuzz target check that.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "pmtud_parse.h"

#include <stddef.h>
#include <string.h>

#include "pmtud_flow.h"

#define ETHERTYPE_IPV4   0x0800
#define ETHERTYPE_IPV6   0x86dd
#define ETHERTYPE_VLAN   0x8100
#define ETHERTYPE_QINQ   0x88a8
#define ETHERTYPE_QINQ_OLD 0x9100
#define ETHERTYPE_PPPOES 0x8864
#define ETHERTYPE_MPLS   0x8847
#define ETHERTYPE_TEB    0x6558   /* Ethernet inside GRE / Geneve */
#define GRE_ERSPAN_I_II  0x88be   /* type I without sequence number, else II */
#define GRE_ERSPAN_III   0x22eb

#define GRE_FLAG_CSUM    0x8000
#define GRE_FLAG_ROUTING 0x4000   /* RFC 1701 source routing (RFC 2784 deprecates it) */
#define GRE_FLAG_KEY     0x2000
#define GRE_FLAG_SEQ     0x1000

#define PMTUD_PROTO_ICMPV6 58

#define IPV6_OPT_JUMBO   0xc2
#define NFLOG_AF_INET    2
#define NFLOG_AF_INET6   10
#define NFULA_PACKET_HDR 1    /* hardware protocol (big-endian), hook, pad */
#define NFULA_PAYLOAD    9
#define MAX_TUNNEL_DEPTH 4        /* deeper nesting is not worth following */
#define MAX_LINK_TAGS    8        /* VLAN tags / MPLS labels followed */
#define MAX_EXT_HEADERS  8        /* IPv6 extension headers followed */

static uint16_t be16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* --- UDP overlay ports ------------------------------------------------- */

#define PORT_SHIFT(port) (((port) & 1u) * 4u)
#define PORT_KIND(port, kind) [(port) >> 1] = (uint8_t)((kind) << PORT_SHIFT(port))

const pmtud_udp_ports_t pmtud_udp_ports_default = { .kind = {
    PORT_KIND(4789, PMTUD_UDP_VXLAN),
    PORT_KIND(6081, PMTUD_UDP_GENEVE),
    PORT_KIND(6635, PMTUD_UDP_MPLS),
} };

void pmtud_udp_ports_clear(pmtud_udp_ports_t *ports)
{
    memset(ports, 0, sizeof *ports);
}

void pmtud_udp_ports_set(pmtud_udp_ports_t *ports, uint16_t port, pmtud_udp_tunnel_t kind)
{
    uint8_t *k = &ports->kind[port >> 1];
    *k = (uint8_t)((*k & ~(15u << PORT_SHIFT(port))) | (((unsigned)kind & 15u) << PORT_SHIFT(port)));
}

pmtud_udp_tunnel_t pmtud_udp_port_kind(const pmtud_udp_ports_t *ports, uint16_t port)
{
    return (pmtud_udp_tunnel_t)((ports->kind[port >> 1] >> PORT_SHIFT(port)) & 15u);
}

/* The first TCP option of kind want in the captured option bytes (its
 * length in *olen), or NULL: absent, cut short, or after a malformed one.
 * The one option walker: the MSS of a SYN and the SACK blocks of an ACK. */
static const uint8_t *tcp_option(const uint8_t *opt, size_t len, uint8_t want, uint8_t *olen)
{
    size_t i = 0;
    while (i < len) {
        uint8_t kind = opt[i];
        if (kind == 0)              /* end of the option list */
            break;
        if (kind == 1) {            /* no-op */
            i++;
            continue;
        }
        if (i + 1 >= len || opt[i + 1] < 2)
            break;
        if (kind == want) {
            if (i + opt[i + 1] > len)
                return NULL;
            *olen = opt[i + 1];
            return opt + i;
        }
        i += opt[i + 1];
    }
    return NULL;
}

/* The MSS option of a SYN, 0 when absent. */
static uint16_t tcp_mss_option(const uint8_t *opt, size_t len)
{
    uint8_t olen;
    const uint8_t *o = tcp_option(opt, len, 2, &olen);
    return o && olen == 4 ? be16(o + 2) : 0;
}

unsigned pmtud_tcp_sack_blocks(const pmtud_ip_t *ip, pmtud_sack_block_t *blocks, unsigned max)
{
    uint8_t olen = 0;
    const uint8_t *o = ip->tcp_opts ? tcp_option(ip->tcp_opts, ip->tcp_opts_len, 5, &olen) : NULL;
    unsigned n = 0, k;

    /* Kind 5, length 2 + 8 per block; a length that is not is cut down. */
    for (k = 2; o && k + 8u <= olen && n < max; k += 8, n++) {
        blocks[n].left = be32(o + k);
        blocks[n].right = be32(o + k + 4);
    }
    return n;
}

/* --- identities (pmtud_parse.h): what names a port-less packet ---------- */

/* The bytes after the IP header as the payload: protocols whose header
 * pmtud does not read are told apart by all of their bytes. */
static inline void whole_payload(const uint8_t *l4, size_t cap, uint32_t after_ip, pmtud_ip_t *ip)
{
    ip->payload_len = after_ip;
    ip->payload = cap ? l4 : NULL;
    ip->payload_caplen = (uint32_t)(cap < after_ip ? cap : after_ip);
}

#define SCTP_DATA        0
#define SCTP_I_DATA      64
#define GRE_FLAG_ACK     0x0080   /* version 1 (PPTP) only */

/* A 4-byte identity field at off into *field (flag set), or CUT when the
 * bytes end before it. */
static void ident_word(const uint8_t *l4, size_t cap, size_t off, uint32_t *field, uint8_t flag,
                       pmtud_ip_t *ip)
{
    if (cap >= off + 4) {
        *field = be32(l4 + off);
        ip->ident |= flag;
    } else {
        ip->ident |= PMTUD_IDENT_CUT;
    }
}

/* A 4-byte tag at tag_off and a 4-byte sequence number at seq_off. */
static void ident_tag_seq(const uint8_t *l4, size_t cap, size_t tag_off, size_t seq_off,
                          pmtud_ip_t *ip)
{
    ident_word(l4, cap, tag_off, &ip->tag, PMTUD_IDENT_TAG, ip);
    ident_word(l4, cap, seq_off, &ip->seq, PMTUD_IDENT_SEQ, ip);
}

/* A GRE header (RFC 2784/2890; version 1, RFC 2637; RFC 1701), laid out
 * as Wireshark reads it: after flags and protocol type, 4 bytes of checksum
 * and offset (with the checksum or the routing bit), the key, the sequence
 * number, PPTP's acknowledgment number, then RFC 1701's routing list:
 * source route entries (address family, offset, length, then that many
 * bytes) up to the empty one (family 0, length 0). */
typedef struct {
    uint16_t flags;
    uint8_t  key_off, seq_off;   /* where they are; 0 when absent */
    long     end;                /* where the payload starts; -1 when the
                                  * routing list runs past the bytes */
} gre_header_t;

static void gre_header(const uint8_t *g, size_t cap, gre_header_t *h)
{
    size_t off = 4;

    h->flags = be16(g);
    h->key_off = h->seq_off = 0;
    off += (h->flags & (GRE_FLAG_CSUM | GRE_FLAG_ROUTING)) ? 4 : 0;
    if (h->flags & GRE_FLAG_KEY) {
        h->key_off = (uint8_t)off;
        off += 4;
    }
    if (h->flags & GRE_FLAG_SEQ) {
        h->seq_off = (uint8_t)off;
        off += 4;
    }
    if ((h->flags & 0x0007) == 1 && (h->flags & GRE_FLAG_ACK))
        off += 4;
    while (h->flags & GRE_FLAG_ROUTING) {
        uint16_t family;
        uint8_t len;

        if (off + 4 > cap) {
            h->end = -1;
            return;
        }
        family = be16(g + off);
        len = g[off + 3];
        off += 4;
        if (family == 0 && len == 0)
            break;
        off += len;
    }
    h->end = (long)off;
}

/* GRE: the key and the sequence number when its flags say they are there.
 * Without a sequence number the payload (the tunnelled packet) has to tell
 * packets apart; a routing list cut short leaves its start unknown. */
static void gre_identity(const uint8_t *l4, size_t cap, pmtud_ip_t *ip)
{
    gre_header_t h;

    if (cap < 2) {
        ip->ident = PMTUD_IDENT_CUT;
        return;
    }
    gre_header(l4, cap, &h);
    if (h.key_off)
        ident_word(l4, cap, h.key_off, &ip->tag, PMTUD_IDENT_TAG, ip);
    if (h.seq_off)
        ident_word(l4, cap, h.seq_off, &ip->seq, PMTUD_IDENT_SEQ, ip);
    ip->l4_hdr_len = h.end < 0 || h.end > 0xffff ? 0 : (uint16_t)h.end;
}

/* SCTP (RFC 9260): ports, the verification tag (the association), and the
 * TSN of the first chunk when it is DATA or I-DATA (RFC 8260). A packet of
 * other chunks is told apart by its bytes. */
static void sctp_identity(const uint8_t *l4, size_t cap, pmtud_ip_t *ip)
{
    ip->l4_hdr_len = 12;
    if (cap >= 4) {
        ip->has_ports = true;
        ip->sport = be16(l4);
        ip->dport = be16(l4 + 2);
    }
    if (cap >= 8) {
        ip->tag = be32(l4 + 4);
        ip->ident |= PMTUD_IDENT_TAG;
    }
    if (cap < 13)
        ip->ident |= PMTUD_IDENT_CUT;     /* the first chunk's type is not there */
    else if (l4[12] == SCTP_DATA || l4[12] == SCTP_I_DATA)
        ident_tag_seq(l4, cap, 4, 16, ip);
}

/* ICMP echo request / reply (RFC 792, RFC 4443): type, identifier and
 * sequence number. Other ICMP messages are told apart by their bytes. */
static void echo_identity(const uint8_t *l4, size_t cap, pmtud_ip_t *ip)
{
    uint8_t type;

    if (cap < 1)
        return;
    type = l4[0];
    if (ip->proto == PMTUD_PROTO_ICMP ? (type != 8 && type != 0) : (type != 128 && type != 129))
        return;
    if (cap < 8) {
        ip->ident = PMTUD_IDENT_CUT;
        return;
    }
    ip->tag = (uint32_t)type << 16 | be16(l4 + 4);
    ip->seq = be16(l4 + 6);
    ip->ident = PMTUD_IDENT_TAG | PMTUD_IDENT_SEQ;
}

/* Protocols without ports: ESP, AH, GRE, SCTP read their identity; any
 * other is told apart by the bytes after the IP header (its payload). Not
 * inlined: TCP and UDP never come here. */
static void parse_portless(const uint8_t *l4, size_t cap, uint32_t after_ip, pmtud_ip_t *ip)
{
    switch (ip->proto) {
    case PMTUD_PROTO_ESP:       /* RFC 4303: SPI, sequence number, IV + ciphertext */
        ident_tag_seq(l4, cap, 0, 4, ip);
        ip->l4_hdr_len = 8;
        break;
    case PMTUD_PROTO_AH:        /* RFC 4302: next header, length, reserved, SPI, sequence */
        ident_tag_seq(l4, cap, 4, 8, ip);
        if (cap >= 2)
            ip->l4_hdr_len = (uint16_t)((l4[1] + 2u) * 4u);
        break;
    case PMTUD_PROTO_GRE:
        gre_identity(l4, cap, ip);
        break;
    case PMTUD_PROTO_SCTP:
        sctp_identity(l4, cap, ip);
        break;
    default:
        whole_payload(l4, cap, after_ip, ip);
        break;
    }
}

/* Every frame passes here: inlined into pmtud_parse_ip (and the common
 * frame's path) whatever the compiler's size budget says, so a plain TCP
 * frame pays no call (PMTUD_PER_FRAME). KNOWN(cond): a condition the code
 * above has made true, told to the compiler so that inlined checks of it
 * fold away (and trapped by UBSan, should it ever be false). */
#if defined(__GNUC__)
#define KNOWN(cond) do { if (!(cond)) __builtin_unreachable(); } while (0)
#else
#define KNOWN(cond) ((void)0)
#endif

/* The TCP header at l4 (cap bytes captured): ports, sequence and
 * acknowledgment numbers, header length, flags and where the options are,
 * each only when captured. */
static PMTUD_PER_FRAME void tcp_header(const uint8_t *l4, size_t cap, pmtud_ip_t *ip)
{
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
        if (doff > 20 && cap > 20) {
            /* Kept, not walked: only a SYN's MSS is read at once. */
            ip->tcp_opts = l4 + 20;
            ip->tcp_opts_len = (uint16_t)((cap < doff ? cap : doff) - 20);
        }
    }
}

/* The payload after a transport header of l4_hdr_len bytes: its length
 * from the IP length, and the bytes of it that were captured. */
static PMTUD_PER_FRAME void transport_payload(const uint8_t *l4, size_t cap, uint32_t after_ip,
                                               pmtud_ip_t *ip)
{
    if (ip->l4_hdr_len && after_ip >= ip->l4_hdr_len)
        ip->payload_len = after_ip - ip->l4_hdr_len;
    if (ip->l4_hdr_len && cap > ip->l4_hdr_len) {
        ip->payload = l4 + ip->l4_hdr_len;
        ip->payload_caplen = (uint32_t)(cap - ip->l4_hdr_len);
        if (ip->payload_caplen > ip->payload_len)
            ip->payload_caplen = ip->payload_len;
    }
}

/* Transport header at l4 (cap bytes captured). Fills ports, seq, lengths. */
static PMTUD_PER_FRAME void parse_transport(const uint8_t *l4, size_t cap, pmtud_ip_t *ip)
{
    uint32_t after_ip = ip->ip_len > ip->hdr_len ? ip->ip_len - ip->hdr_len : 0;

    if (ip->proto == PMTUD_PROTO_TCP) {
        tcp_header(l4, cap, ip);
        if (ip->tcp_opts && (ip->tcp_flags & PMTUD_TCP_SYN))
            ip->mss = tcp_mss_option(ip->tcp_opts, ip->tcp_opts_len);
    } else if (ip->proto == PMTUD_PROTO_ICMP || ip->proto == PMTUD_PROTO_ICMPV6) {
        /* An echo request (a ping probe) is data too: its "payload" is the
         * whole ICMP message, header included, for matching quotes. */
        whole_payload(l4, cap, after_ip, ip);
        echo_identity(l4, cap, ip);
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
    } else {
        parse_portless(l4, cap, after_ip, ip);
        if (!ip->l4_hdr_len)
            return;
    }
    transport_payload(l4, cap, after_ip, ip);
}

static bool parse_ipv4(const uint8_t *d, size_t cap, pmtud_ip_t *ip)
{
    uint16_t frag, hdr_len, total;

    if (cap < 20 || (d[0] >> 4) != 4 || (d[0] & 0x0f) < 5)
        return false;
    hdr_len = (uint16_t)((d[0] & 0x0f) * 4);
    total = be16(d + 2);
    /* A total length shorter than the header (0 aside: TSO's) is no IPv4
     * packet; Wireshark stops there too ("bogus"), and pmtud reads nothing
     * inside it that the user could not see. */
    if (total != 0 && total < hdr_len)
        return false;
    ip->family = 4;
    ip->hdr_len = hdr_len;
    ip->ip_len = total;
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

/* The RFC 2675 jumbo payload option in a Hop-by-Hop header's options:
 * the payload length (after the 40-byte header) when the IPv6 payload
 * length field is 0. */
static void jumbo_option(const uint8_t *opt, size_t len, pmtud_ip_t *ip)
{
    size_t i = 0;
    while (i < len) {
        if (opt[i] == 0) {            /* Pad1 */
            i++;
            continue;
        }
        if (i + 2 > len || i + 2 + opt[i + 1] > len)
            return;
        if (opt[i] == IPV6_OPT_JUMBO && opt[i + 1] == 4) {
            uint32_t plen = be32(opt + i + 2);
            ip->jumbo = plen != 0;
            ip->ip_len = plen > UINT32_MAX - 40u ? UINT32_MAX : 40u + plen;
            return;
        }
        i += 2u + opt[i + 1];
    }
}

static bool parse_ipv6(const uint8_t *d, size_t cap, pmtud_ip_t *ip)
{
    uint8_t nxt;
    size_t off = 40;
    uint16_t plen;
    int n;

    if (cap < 40 || (d[0] >> 4) != 6)
        return false;
    ip->family = 6;
    plen = be16(d + 4);
    ip->ip_len = 40u + plen;
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
            if (nxt == PMTUD_IP6_HOP_BY_HOP && n == 0 && plen == 0 && off + len <= cap)
                jumbo_option(d + off + 2, len - 2, ip);
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
    /* Payload length 0 is honest only for a bare header ("no next header");
     * before anything else it is a jumbogram or a BIG TCP packet. */
    ip->len_zero = plen == 0 && (ip->jumbo || nxt != PMTUD_IP6_NO_NEXT);
    return true;
}

/* Clears an IP record. A memcpy of an explicitly zeroed constant becomes
 * eight wide stores of a zeroed register; a memset, or a plain struct
 * copy, of this size becomes a string instruction that costs two or three
 * times as much. */
static const pmtud_ip_t ip_zero = { 0 };

static PMTUD_PER_FRAME void clear_ip(pmtud_ip_t *ip)
{
    memcpy(ip, &ip_zero, sizeof *ip);
}

bool pmtud_parse_ip(const uint8_t *data, size_t caplen, pmtud_ip_t *out)
{
    clear_ip(out);
    if (!data || caplen < 1)
        return false;
    if (!((data[0] >> 4) == 4 ? parse_ipv4(data, caplen, out) : parse_ipv6(data, caplen, out)))
        return false;
    out->captured = (uint32_t)(caplen < out->ip_len || (out->len_zero && !out->jumbo) ?
                               caplen : out->ip_len);
    if (!out->later_fragment && out->hdr_len < caplen)
        parse_transport(data + out->hdr_len, out->captured > out->hdr_len ?
                        out->captured - out->hdr_len : 0, out);
    return true;
}

/* The type field at p. 0 is the "IP version nibble decides" marker of an
 * MPLS bottom of stack below; on the wire, 0x0000 is an 802.3 length (LLC
 * follows), never IP. */
static uint16_t ethertype_at(const uint8_t *p)
{
    uint16_t et = be16(p);
    return et == 0 ? 0xffff : et;
}

/* --- link layers and what follows an ethertype -------------------------- */

/* The ethertype a PPP protocol number stands for (0xffff: not followed). */
static uint16_t ppp_ethertype(uint16_t proto)
{
    switch (proto) {
    case 0x0021: return ETHERTYPE_IPV4;
    case 0x0057: return ETHERTYPE_IPV6;
    case 0x0281: return ETHERTYPE_MPLS;
    default:     return 0xffff;
    }
}

/* Skips VLAN tags, a PPPoE session header and MPLS labels after an
 * ethertype et found just before off; returns the offset of what follows
 * and leaves its ethertype in *et (0: the IP version nibble decides). */
static long skip_tags(const uint8_t *d, size_t cap, size_t off, uint16_t *et, bool *pppoe)
{
    int tags;

    for (tags = 0; tags < MAX_LINK_TAGS; tags++) {
        if (*et == ETHERTYPE_VLAN || *et == ETHERTYPE_QINQ || *et == ETHERTYPE_QINQ_OLD) {
            if (off + 4 > cap)
                return -1;
            *et = ethertype_at(d + off + 2);
            off += 4;
        } else if (*et == ETHERTYPE_PPPOES) {
            if (off + 8 > cap)
                return -1;
            *et = ppp_ethertype(be16(d + off + 6));
            off += 8;
            if (pppoe)
                *pppoe = true;
        } else if (*et == ETHERTYPE_MPLS) {
            if (off + 4 > cap)
                return -1;
            off += 4;
            if (d[off - 2] & 0x01) {
                *et = 0;      /* bottom of stack: IP version nibble decides */
                break;
            }
        } else {
            break;
        }
    }
    return (long)off;
}

/* Skips an Ethernet header (and its tags) at off; returns the offset of
 * the network layer or -1, its ethertype in *ethertype. */
static long skip_ethernet(const uint8_t *d, size_t cap, size_t off, uint16_t *ethertype,
                          bool *pppoe)
{
    if (off + 14 > cap)
        return -1;
    *ethertype = ethertype_at(d + off + 12);
    if (*ethertype == ETHERTYPE_IPV4 || *ethertype == ETHERTYPE_IPV6)
        return (long)off + 14;    /* most frames: no tags to skip */
    return skip_tags(d, cap, off + 14, ethertype, pppoe);
}

static bool network_ok(uint16_t et)
{
    return et == 0 || et == ETHERTYPE_IPV4 || et == ETHERTYPE_IPV6;
}

/* Where the IP packet after protocol type et starts (as GRE, Geneve and
 * link layers name their payload by ethertype), or -1. *eth: the source MAC
 * of the Ethernet header crossed on the way (TEB), else left alone. */
static long after_protocol(const uint8_t *d, size_t cap, size_t off, uint16_t et,
                           const uint8_t **eth)
{
    bool ethernet = et == ETHERTYPE_TEB;
    long e;

    if (et == 0)
        return -1;
    if (ethernet)
        e = skip_ethernet(d, cap, off, &et, NULL);
    else
        e = skip_tags(d, cap, off, &et, NULL);
    if (e < 0 || !network_ok(et))
        return -1;
    if (ethernet)
        *eth = d + off + 6;
    return e;
}

/* PPP, as Wireshark reads WTAP_ENCAP_PPP: a Cisco HDLC frame when the first
 * byte is a Cisco address; else an optional 0xff 0x03 address/control and
 * a protocol field of 1 byte (compressed: odd first byte) or 2. */
static long ppp_header(const uint8_t *d, size_t cap, uint16_t *et)
{
    size_t off = 0;

    if (cap < 1)
        return -1;
    if (d[0] == 0x0f || d[0] == 0x8f) {
        if (cap < 4)
            return -1;
        *et = be16(d + 2);
        return 4;
    }
    if (d[0] == 0xff)
        off = 2;
    if (off + 1 > cap)
        return -1;
    if (d[off] & 0x01) {
        *et = ppp_ethertype(d[off]);
        return (long)off + 1;
    }
    if (off + 2 > cap)
        return -1;
    *et = ppp_ethertype(be16(d + off));
    return (long)off + 2;
}

static uint16_t rd16(const uint8_t *p, bool big)
{
    return big ? be16(p) : (uint16_t)(p[1] << 8 | p[0]);
}

/* Wireshark's guess of the TLV byte order (the writer's host order): the
 * first TLV with a non-zero type must have a type below 0x100. */
static bool nflog_order_fits(const uint8_t *d, size_t cap, bool big)
{
    size_t off = 4;

    while (off + 4 < cap) {
        uint16_t len = rd16(d + off, big), type = rd16(d + off + 2, big) & 0x7fff;
        if (len < 4 || type >= 0x100)
            return false;
        if (type)
            return true;
        off += ((size_t)len + 3) & ~(size_t)3;
    }
    return false;
}

/* NFLOG: family byte, version, resource id, then TLVs (length and type in
 * the writer's byte order, values padded to 4 bytes); the payload TLV holds
 * the IP packet and bounds its wire length. */
static long nflog_payload(const uint8_t *d, size_t cap, uint16_t *et, uint32_t *wire_len)
{
    size_t off = 4, payload = 0, payload_end = 0;
    uint16_t hw_protocol = 0;
    bool big;

    if (cap < 4)
        return -1;
    big = nflog_order_fits(d, cap, true) || !nflog_order_fits(d, cap, false);
    /* Every TLV, as Wireshark walks them: the last payload TLV counts, a
     * packet header TLV names the payload's ethertype (big-endian, whatever
     * the TLVs' order), and a malformed TLV, one whose header lies past the
     * captured bytes or one running past the frame (Wireshark: malformed)
     * ends it all with no payload read. */
    while (off + 4 <= *wire_len) {
        uint16_t len, type;
        if (off + 4 > cap)
            return -1;
        len = rd16(d + off, big);
        type = rd16(d + off + 2, big) & 0x7fff;
        if (len < 4 || off + len > *wire_len)
            return -1;
        if (type == NFULA_PACKET_HDR && len == 8 && off + 6 <= cap)
            hw_protocol = be16(d + off + 4);
        if (type == NFULA_PAYLOAD) {
            payload = off + 4;
            payload_end = off + len;
        }
        off += ((size_t)len + 3) & ~(size_t)3;
    }
    if (!payload)
        return -1;
    /* The payload's type: the packet header's hardware protocol when it
     * names one, else the family byte. */
    *et = hw_protocol ? hw_protocol :
          d[0] == NFLOG_AF_INET ? ETHERTYPE_IPV4 : d[0] == NFLOG_AF_INET6 ? ETHERTYPE_IPV6 : 0xffff;
    if (*wire_len > payload_end)
        *wire_len = (uint32_t)payload_end;
    return (long)payload;
}

/* Linux cooked capture, v1 (SLL) or v2 (SLL2): a header of fixed length
 * with the protocol type in it. Returns the offset after it (-1 when cut)
 * and the type in *et. */
static PMTUD_PER_FRAME long cooked_header(pmtud_link_t link, const uint8_t *d, size_t cap,
                                           uint16_t *et)
{
    if (link == PMTUD_LINK_SLL) {
        if (cap < 16)
            return -1;
        *et = be16(d + 14);
        return 16;
    }
    if (cap < 20)
        return -1;
    *et = be16(d);
    return 20;
}

/* Offset of the first IP header for this link type, or -1. NFLOG may
 * shorten *wire_len to its payload; *eth: the Ethernet source MAC, if any.
 * *found receives the protocol type the link layer names (0: none, or the
 * IP version nibble decides), so that a frame that leads to no IP can say
 * what was there instead. */
static long link_header(pmtud_link_t link, const uint8_t *d, size_t cap, bool *pppoe,
                        uint32_t *wire_len, const uint8_t **eth, uint16_t *found)
{
    uint16_t et = 0;
    long off;

    switch (link) {
    case PMTUD_LINK_ETHERNET:
        off = skip_ethernet(d, cap, 0, &et, pppoe);
        *found = off >= 0 ? et : 0;   /* cut inside the tags: no type found */
        if (off < 0 || !network_ok(et))
            return -1;
        *eth = d + 6;
        return off;
    case PMTUD_LINK_RAW_IP:
        return 0;
    case PMTUD_LINK_NULL:
        return 4;     /* address family in host order: the nibble decides */
    case PMTUD_LINK_SLL:
    case PMTUD_LINK_SLL2:
        off = cooked_header(link, d, cap, &et);
        break;
    case PMTUD_LINK_NFLOG:
        off = nflog_payload(d, cap, &et, wire_len);
        break;
    case PMTUD_LINK_PPP:
        off = ppp_header(d, cap, &et);
        break;
    case PMTUD_LINK_CHDLC:
        if (cap < 4)
            return -1;
        et = be16(d + 2);
        off = 4;
        break;
    default:
        return -1;
    }
    *found = off >= 0 ? et : 0;
    return off >= 0 ? after_protocol(d, cap, (size_t)off, et, eth) : -1;
}

/* --- tunnels ----------------------------------------------------------- */

/* ERSPAN, as Wireshark reads it: no header for type I (0x88be without a
 * GRE sequence number); else the version nibble decides: 1 (type II) an
 * 8-byte header, 2 (type III) 12 bytes plus an 8-byte platform-specific
 * subheader when the O bit is set, and a frame type (0 Ethernet, 2 IP). */
static long erspan_inner(const uint8_t *d, size_t cap, size_t off, bool has_header,
                         const uint8_t **eth)
{
    if (has_header) {
        if (off + 1 > cap)
            return -1;
        switch (d[off] >> 4) {
        case 1:
            off += 8;
            break;
        case 2: {
            uint16_t word;
            if (off + 12 > cap)
                return -1;
            word = be16(d + off + 10);
            off += 12 + ((word & 0x0001) ? 8 : 0);
            switch ((word >> 10) & 0x1f) {
            case 0:
                break;
            case 2:
                return (long)off;
            default:
                return -1;
            }
            break;
        }
        default:
            return -1;
        }
    }
    return after_protocol(d, cap, off, ETHERTYPE_TEB, eth);
}

/* GRE version 0 at l4: IP, Ethernet, MPLS or an ERSPAN mirror inside. */
static long gre_inner(const uint8_t *d, size_t cap, size_t l4, const uint8_t **eth)
{
    gre_header_t h;
    uint16_t proto;
    size_t off;

    if (l4 + 4 > cap)
        return -1;
    gre_header(d + l4, cap - l4, &h);
    if ((h.flags & 0x0007) != 0 || h.end < 0)   /* only GRE version 0 carries IP/Ethernet */
        return -1;
    off = l4 + (size_t)h.end;
    proto = be16(d + l4 + 2);
    if (proto == GRE_ERSPAN_I_II)
        return erspan_inner(d, cap, off, h.seq_off != 0, eth);
    if (proto == GRE_ERSPAN_III)
        return erspan_inner(d, cap, off, true, eth);
    return after_protocol(d, cap, off, proto, eth);
}

/* A UDP overlay at l4, by port, chosen as Wireshark's UDP dissector chooses:
 * the lower port first, then the higher, port 0 never. A port that another
 * dissector owns ends the walk, as Wireshark hands the datagram to that
 * dissector (a VXLAN datagram whose source port is 7 is "echo" there);
 * reading a tunnel Wireshark does not show would link frames the user
 * sees as something else. (A dissector that rejects the datagram lets
 * Wireshark go on to the higher port; pmtud cannot ask it, so it stops,
 * and pmtud.not_analysed says so when an ICMP lay beyond.) */
static long udp_inner(const pmtud_udp_ports_t *ports, const uint8_t *d, size_t cap, size_t l4,
                      const pmtud_ip_t *ip, const uint8_t **eth)
{
    uint16_t lo = ip->sport < ip->dport ? ip->sport : ip->dport;
    uint16_t hi = ip->sport < ip->dport ? ip->dport : ip->sport;
    pmtud_udp_tunnel_t kind = lo ? pmtud_udp_port_kind(ports, lo) : PMTUD_UDP_PLAIN;
    size_t h = l4 + 8;

    if (kind == PMTUD_UDP_PLAIN)
        kind = pmtud_udp_port_kind(ports, hi);
    switch (kind) {
    case PMTUD_UDP_VXLAN:
        if (h + 8 > cap || !(d[h] & 0x08))   /* VNI-valid flag */
            return -1;
        return after_protocol(d, cap, h + 8, ETHERTYPE_TEB, eth);
    case PMTUD_UDP_GENEVE:
        if (h + 8 > cap)
            return -1;
        return after_protocol(d, cap, h + 8 + (size_t)(d[h] & 0x3f) * 4, be16(d + h + 2), eth);
    case PMTUD_UDP_MPLS:
        return after_protocol(d, cap, h, ETHERTYPE_MPLS, eth);
    default:    /* plain on both ports, or another protocol's */
        return -1;
    }
}

/* Where the packet inside a tunnel starts, or -1 when ip is no tunnel.
 * *eth: the inner Ethernet source MAC (VXLAN, Geneve, GRE and ERSPAN
 * carrying Ethernet), left alone when the tunnel carries IP directly. */
static long tunnel_inner(const pmtud_udp_ports_t *ports, const uint8_t *d, size_t cap,
                         size_t off, const pmtud_ip_t *ip, const uint8_t **eth)
{
    size_t l4 = off + ip->hdr_len;

    if (ip->later_fragment)
        return -1;
    switch (ip->proto) {
    case PMTUD_PROTO_IPIP:
    case PMTUD_PROTO_IPV6:
        return (long)l4;
    case PMTUD_PROTO_GRE:
        return gre_inner(d, cap, l4, eth);
    case PMTUD_PROTO_UDP:
        return ip->has_ports ? udp_inner(ports, d, cap, l4, ip, eth) : -1;
    default:
        return -1;
    }
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

/* A length field of 0 (TSO, BIG TCP without the jumbo option): the packet
 * runs to the end of the frame on the wire. off is where its header starts. */
static void length_from_wire(const uint8_t *data, size_t caplen, size_t off, uint32_t wire_len,
                             pmtud_ip_t *ip)
{
    if (ip->jumbo || wire_len <= off)
        return;
    ip->ip_len = wire_len - (uint32_t)off;
    ip->captured = (uint32_t)(caplen - off < ip->ip_len ? caplen - off : ip->ip_len);
    ip->payload_len = 0;
    ip->payload = NULL;
    ip->payload_caplen = 0;
    ip->l4_hdr_len = 0;
    ip->ident = 0;
    if (!ip->later_fragment && ip->hdr_len < ip->captured)
        parse_transport(data + off + ip->hdr_len, ip->captured - ip->hdr_len, ip);
}

bool pmtud_parse_frame(pmtud_link_t link, const uint8_t *data, size_t caplen,
                       uint32_t wire_len, pmtud_frame_t *out)
{
    return pmtud_parse_frame_ports(&pmtud_udp_ports_default, link, data, caplen, wire_len, out);
}

/* Where the bytes of the IP packet read at off end, in bytes that end at
 * end: bytes past the packet's own length are not its payload. A tunnel's
 * inner packet is read inside the outer one, as Wireshark reads it (what
 * follows is a trailer, or nothing the outer packet carries). */
static size_t packet_end(size_t off, size_t end, const pmtud_ip_t *ip)
{
    return ip->ip_len < end - off ? off + ip->ip_len : end;
}

/* Where the IP packet that ip's tunnel carries starts (ip at off, its bytes
 * ending at end), or -1: no tunnel, or its inner bytes hold no IP header. */
static long inner_packet(const pmtud_udp_ports_t *ports, const uint8_t *data, size_t end,
                         size_t off, const pmtud_ip_t *ip, const uint8_t **eth)
{
    pmtud_ip_t probe;
    long inner = tunnel_inner(ports, data, end, off, ip, eth);

    if (inner < 0 || (size_t)inner >= end ||
        !pmtud_parse_ip(data + inner, end - (size_t)inner, &probe))
        return -1;
    return inner;
}

/* No IP packet in the frame: nothing of it is left for a caller to read. */
static bool no_ip(pmtud_frame_t *out)
{
    memset(out, 0, sizeof *out);
    return false;
}

bool pmtud_parse_frame_general(const pmtud_udp_ports_t *ports, pmtud_link_t link,
                               const uint8_t *data, size_t caplen, uint32_t wire_len,
                               pmtud_frame_t *out)
{
    long off;
    int depth;
    uint16_t link_proto;
    size_t end = caplen;   /* where the packet being read ends in the bytes */

    /* Every frame comes here: clear what the readers below do not write
     * (the scalars before ip; ip is cleared by pmtud_parse_ip, outer copied
     * from it when a tunnel is entered, quoted written by parse_icmp on a
     * PTB), not the whole struct;
     * a frame without IP is cleared whole. */
    memset(out, 0, offsetof(pmtud_frame_t, ip));
    out->quoted.family = 0;
    if (!data)
        return no_ip(out);
    out->link = link;
    off = link_header(link, data, caplen, &out->pppoe, &wire_len, &out->eth_src, &link_proto);
    if (off < 0 || (size_t)off >= caplen)
        return no_ip(out);
    out->wire_len = wire_len;
    out->link_hdr_len = (uint32_t)off;

    for (depth = 0; depth <= MAX_TUNNEL_DEPTH; depth++) {
        long inner;
        const uint8_t *inner_eth = NULL;
        if (!pmtud_parse_ip(data + off, end - (size_t)off, &out->ip)) {
            return no_ip(out);   /* only at depth 0: inner packets are probed first */
        }
        out->has_ip = true;
        out->tunnel_depth = (uint8_t)depth;
        /* Wireshark too takes a length of 0 to mean "up to the frame's end". */
        if (out->ip.len_zero)
            length_from_wire(data, end, (size_t)off, wire_len, &out->ip);
        end = packet_end((size_t)off, end, &out->ip);
        if ((out->ip.proto == PMTUD_PROTO_ICMP && out->ip.family == 4) ||
            (out->ip.proto == PMTUD_PROTO_ICMPV6 && out->ip.family == 6)) {
            size_t l4 = (size_t)off + out->ip.hdr_len;
            if (!out->ip.later_fragment && l4 < end)
                parse_icmp(data + l4, end - l4, &out->ip, out);
            else
                out->is_icmp = true;
            break;
        }
        /* Deeper nesting is not followed (pmtud_parse_stop() says so): ip,
         * inner_off and eth_src stay those of the deepest packet read. */
        if (depth == MAX_TUNNEL_DEPTH)
            break;
        inner = inner_packet(ports, data, end, (size_t)off, &out->ip, &inner_eth);
        if (inner < 0)
            break;
        if (depth == 0)
            out->outer = out->ip;   /* ip is the inner packet from here on */
        off = inner;
        out->inner_off = (uint32_t)inner;
        out->eth_src = inner_eth;   /* NULL when the tunnel carries IP directly */
    }
    return out->has_ip;
}

/* --- the common frame ------------------------------------------------- */

static PMTUD_PER_FRAME bool ip_ethertype(uint16_t et)
{
    return et == ETHERTYPE_IPV4 || et == ETHERTYPE_IPV6;
}

/* Where the IP header of a common frame starts: after an Ethernet header
 * without a tag, a Linux cooked v1 or v2 header naming IPv4 or IPv6, at
 * once for raw IP, after BSD loopback's 4 bytes; -1 for any other link
 * header (the general path reads it). What link_header() returns for
 * these headers, and *eth as it sets it. */
static PMTUD_PER_FRAME long common_link(pmtud_link_t link, const uint8_t *d, size_t cap,
                                         const uint8_t **eth)
{
    uint16_t et = 0;
    long off;

    if (link == PMTUD_LINK_ETHERNET) {   /* most frames: skip the switch */
        if (cap < 14)
            return -1;
        *eth = d + 6;
        et = be16(d + 12);
        return ip_ethertype(et) ? 14 : -1;
    }
    switch (link) {
    case PMTUD_LINK_SLL:
    case PMTUD_LINK_SLL2:
        off = cooked_header(link, d, cap, &et);
        return off >= 0 && ip_ethertype(et) ? off : -1;
    case PMTUD_LINK_RAW_IP:
        return 0;
    case PMTUD_LINK_NULL:
        return 4;   /* the address family, in the writer's order: the nibble decides */
    default:
        return -1;
    }
}

/* What every common frame has: the scalars of pmtud_frame_t, and an IP
 * record cleared for the family's fields. */
static PMTUD_PER_FRAME void common_frame_start(pmtud_link_t link, uint32_t link_hdr_len,
                                                uint32_t wire_len, const uint8_t *eth,
                                                pmtud_frame_t *out)
{
    memset(out, 0, offsetof(pmtud_frame_t, ip));
    out->has_ip = true;
    out->link_hdr_len = link_hdr_len;
    out->wire_len = wire_len;
    out->link = link;
    out->eth_src = eth;
    out->quoted.family = 0;
    clear_ip(&out->ip);
}

/* The rest of a common frame's IP record, from its IP header at d (cap
 * bytes captured; hdr_len a constant, so that each family's copy is
 * specialised). */
static PMTUD_PER_FRAME void common_tcp(const uint8_t *d, size_t cap, uint32_t ip_len,
                                        uint32_t hdr_len, pmtud_frame_t *out)
{
    pmtud_ip_t *ip = &out->ip;
    size_t tcp_cap;

    ip->proto = PMTUD_PROTO_TCP;
    ip->hdr_len = (uint16_t)hdr_len;
    ip->ip_len = ip_len;
    ip->captured = (uint32_t)(cap < ip_len ? cap : ip_len);
    tcp_cap = ip->captured - hdr_len;
    KNOWN(tcp_cap >= 20);   /* the whole TCP header: tcp_header's checks fold away */
    tcp_header(d + hdr_len, tcp_cap, ip);
    transport_payload(d + hdr_len, tcp_cap, ip_len - hdr_len, ip);
}

/* The common frame: a link header common_link() reads, then IPv4 without
 * options or IPv6 without extension headers, carrying a TCP header that
 * is captured whole and inside the IP length; not a later fragment, no
 * length of 0, no SYN (whose MSS option is read at once). Fills out
 * exactly as pmtud_parse_frame_general() does (unit_parse_fast compares
 * them on every frame of every test capture and on mutated copies), or
 * returns false having written nothing: the general path then reads the
 * frame. Tunnels never start here (TCP carries none) and UDP never comes
 * here (its ports may name an overlay). Everything is checked before
 * anything is written. */
static PMTUD_PER_FRAME bool parse_common_frame(pmtud_link_t link, const uint8_t *data,
                                                size_t caplen, uint32_t wire_len,
                                                pmtud_frame_t *out)
{
    const uint8_t *eth = NULL;
    long off = data ? common_link(link, data, caplen, &eth) : -1;
    const uint8_t *d;
    size_t cap;
    uint32_t ip_len;

    if (off < 0 || caplen < (size_t)off + 40)
        return false;
    d = data + off;
    cap = caplen - (size_t)off;
    if (d[0] == 0x45) {
        /* Fragment offset 0 and protocol TCP, in one word. */
        ip_len = be16(d + 2);
        if ((be32(d + 6) & 0x1fff00ffu) != PMTUD_PROTO_TCP || ip_len < 40 ||
            (d[20 + 13] & PMTUD_TCP_SYN))
            return false;
        common_frame_start(link, (uint32_t)off, wire_len, eth, out);
        out->ip.family = 4;
        out->ip.ip_id = be16(d + 4);
        out->ip.has_id = true;
        out->ip.df = (d[6] & 0x40) != 0;
        out->ip.ttl = d[8];
        memcpy(out->ip.src, d + 12, 4);
        memcpy(out->ip.dst, d + 16, 4);
        common_tcp(d, cap, ip_len, 20, out);
    } else if ((d[0] >> 4) == 6 && cap >= 60 && d[6] == PMTUD_PROTO_TCP) {
        ip_len = 40u + be16(d + 4);
        if (ip_len < 60 || (d[40 + 13] & PMTUD_TCP_SYN))
            return false;
        common_frame_start(link, (uint32_t)off, wire_len, eth, out);
        out->ip.family = 6;
        out->ip.ttl = d[7];
        memcpy(out->ip.src, d + 8, 16);
        memcpy(out->ip.dst, d + 24, 16);
        common_tcp(d, cap, ip_len, 40, out);
    } else {
        return false;
    }
    return true;
}

bool pmtud_parse_frame_ports(const pmtud_udp_ports_t *ports, pmtud_link_t link,
                             const uint8_t *data, size_t caplen, uint32_t wire_len,
                             pmtud_frame_t *out)
{
    return parse_common_frame(link, data, caplen, wire_len, out) ||
           pmtud_parse_frame_general(ports, link, data, caplen, wire_len, out);
}

/* --- where pmtud stopped (rare frames only) ------------------------------ */

/* Nothing pmtud reads at the link layer led to IP: say what was there. */
static void stop_at_link(pmtud_link_t link, const uint8_t *d, size_t cap, pmtud_stop_t *out)
{
    uint16_t et = 0;
    uint32_t wire_len = (uint32_t)cap;
    bool pppoe = false;
    const uint8_t *eth = NULL;
    long off;

    out->kind = PMTUD_STOP_CUT;
    if (link == PMTUD_LINK_UNKNOWN) {
        out->kind = PMTUD_STOP_LINK;
        return;
    }
    off = link_header(link, d, cap, &pppoe, &wire_len, &eth, &et);
    if (off < 0 && et != 0 && !network_ok(et)) {
        out->kind = PMTUD_STOP_ETHERTYPE;
        out->value = et;
    } else if (off >= 0 && (size_t)off < cap) {
        out->kind = PMTUD_STOP_NOT_IP;
        out->value = d[off] >> 4;
    }
}

void pmtud_parse_stop(const pmtud_udp_ports_t *ports, pmtud_link_t link, const uint8_t *data,
                      size_t caplen, const pmtud_frame_t *f, pmtud_stop_t *out)
{
    const pmtud_ip_t *ip = &f->ip;
    size_t off = f->tunnel_depth ? f->inner_off : f->link_hdr_len;
    size_t l4 = off + ip->hdr_len;
    /* The innermost packet's bytes as the parser bounded them: inside every
     * packet around it (captured) and inside its own length. */
    size_t end = packet_end(off, off + ip->captured, ip);
    const uint8_t *eth;

    memset(out, 0, sizeof *out);
    if (!data)
        return;
    if (end > caplen)
        end = caplen;   /* f was made of these bytes: never true */
    if (!f->has_ip) {
        stop_at_link(link, data, caplen, out);
        return;
    }
    if (f->is_icmp || ip->proto == PMTUD_PROTO_TCP)
        return;
    if (ip->later_fragment) {
        out->kind = PMTUD_STOP_FRAGMENT;
    } else if (ip->headers_cut || l4 >= end) {
        out->kind = PMTUD_STOP_CUT;
    } else if (f->tunnel_depth == MAX_TUNNEL_DEPTH &&
               inner_packet(ports, data, end, off, ip, &eth) >= 0) {
        out->kind = PMTUD_STOP_DEPTH;
        out->value = MAX_TUNNEL_DEPTH;
    } else if (ip->proto == PMTUD_PROTO_UDP) {
        out->kind = ip->has_ports ? PMTUD_STOP_UDP_PORT : PMTUD_STOP_CUT;
        out->value = ip->dport;
    } else if (ip->proto == PMTUD_PROTO_GRE) {
        out->kind = l4 + 4 <= end ? PMTUD_STOP_GRE : PMTUD_STOP_CUT;
        out->value = l4 + 4 <= end ? be16(data + l4 + 2) : 0;
    } else if (ip->proto == PMTUD_PROTO_IPIP || ip->proto == PMTUD_PROTO_IPV6) {
        out->kind = PMTUD_STOP_CUT;   /* the inner bytes are no IP packet */
    } else {
        out->kind = PMTUD_STOP_IP_PROTO;
        out->value = ip->proto;
    }
}

static uint32_t sum16(const uint8_t *p, size_t n, uint32_t sum)
{
    size_t i;
    for (i = 0; i + 1 < n; i += 2)
        sum += be16(p + i);
    if (n & 1)
        sum += (uint32_t)p[n - 1] << 8;
    return sum;
}

static uint16_t fold(uint32_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)sum;
}

static bool ptb4_at(const uint8_t *d, size_t cap)
{
    pmtud_ip_t ip;

    if (cap < 28 || d[9] != PMTUD_PROTO_ICMP || !pmtud_parse_ip(d, cap, &ip) ||
        ip.later_fragment || ip.headers_cut || (size_t)ip.hdr_len + 2 > cap)
        return false;
    return fold(sum16(d, ip.hdr_len, 0)) == 0xffff &&
           d[ip.hdr_len] == 3 && d[ip.hdr_len + 1] == 4;
}

static bool ptb6_at(const uint8_t *d, size_t cap)
{
    pmtud_ip_t ip;
    size_t msg;
    uint32_t sum;

    if (cap < 48 || !pmtud_parse_ip(d, cap, &ip) || ip.proto != PMTUD_PROTO_ICMPV6 ||
        ip.later_fragment || ip.headers_cut || (size_t)ip.hdr_len + 8 > cap ||
        ip.ip_len < (uint32_t)ip.hdr_len + 8u)
        return false;
    if (d[ip.hdr_len] != 2 || d[ip.hdr_len + 1] != 0)
        return false;
    msg = ip.ip_len - ip.hdr_len;
    if ((size_t)ip.hdr_len + msg > cap)
        return true;   /* cut by the snaplen: the structure has to do */
    /* Pseudo-header: addresses, upper-layer length, next header 58. */
    sum = sum16(d + 8, 32, 0) + (uint32_t)(msg >> 16) + (uint32_t)(msg & 0xffff) +
          PMTUD_PROTO_ICMPV6;
    return fold(sum16(d + ip.hdr_len, msg, sum)) == 0xffff;
}

bool pmtud_find_ptb(const uint8_t *data, size_t caplen)
{
    size_t off;

    if (!data)
        return false;
    for (off = 0; off < caplen && off < PMTUD_PTB_SCAN; off++) {
        uint8_t v = data[off] >> 4;
        if ((v == 4 && ptb4_at(data + off, caplen - off)) ||
            (v == 6 && ptb6_at(data + off, caplen - off)))
            return true;
    }
    return false;
}
