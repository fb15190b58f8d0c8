/* pmtud_parse.h
 * Reads the few header bytes pmtud needs straight from a captured frame:
 * link layer, IP (with tunnels and overlays), TCP/UDP, and the packet an
 * ICMP "fragmentation needed" / "Packet Too Big" quotes.
 *
 * Followed inside IPv4 and IPv6 alike: IP-in-IP, 6in4, 4in6, 6in6; GRE with
 * IP, Ethernet (0x6558), MPLS (0x8847) or an ERSPAN type I/II/III mirror
 * inside; and, by UDP port, VXLAN, Geneve and MPLS over UDP. Which UDP port
 * carries which overlay is the user's to say in Wireshark (Decode As, port
 * preferences): the glue hands the parser that port table, and callers
 * without one get Wireshark's defaults (4789, 6081, 6635).
 *
 * Plain C, no Wireshark headers: the parser is unit-tested and fuzzed alone.
 * It never reads past the captured bytes, and takes lengths from the IP
 * headers and the wire length, never from the captured length.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PMTUD_PARSE_H
#define PMTUD_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A function off the per-frame path (a resend, a hole, a new flow): kept
 * out of line so that the few instructions every frame runs are not
 * spread over registers and stack slots the rare case needs. Its opposite,
 * PMTUD_PER_FRAME: inlined whatever the compiler's size budget says. */
#if defined(__GNUC__)
#define PMTUD_RARE __attribute__((noinline, cold))
#define PMTUD_PER_FRAME inline __attribute__((always_inline))
#else
#define PMTUD_RARE
#define PMTUD_PER_FRAME inline
#endif

/* Link types the parser knows; the glue maps Wireshark's encapsulations. */
typedef enum {
    PMTUD_LINK_UNKNOWN = 0,
    PMTUD_LINK_ETHERNET,
    PMTUD_LINK_RAW_IP,       /* version nibble tells IPv4 from IPv6 */
    PMTUD_LINK_SLL,          /* Linux cooked v1 */
    PMTUD_LINK_SLL2,         /* Linux cooked v2 */
    PMTUD_LINK_NULL,         /* BSD loopback, 4-byte address family */
    PMTUD_LINK_NFLOG,        /* Linux NFLOG: family byte, TLVs, payload TLV 9 */
    PMTUD_LINK_PPP,          /* PPP, optional HDLC address/control (or Cisco HDLC) */
    PMTUD_LINK_CHDLC,        /* Cisco HDLC: address, control, ethertype */
} pmtud_link_t;

/* What a UDP port carries, as far as the parser follows it. */
typedef enum {
    PMTUD_UDP_PLAIN = 0,
    PMTUD_UDP_VXLAN,         /* 8-byte header, Ethernet inside */
    PMTUD_UDP_GENEVE,        /* 8-byte header + options, protocol type inside */
    PMTUD_UDP_MPLS,          /* MPLS label stack, IP inside (RFC 7510) */
    PMTUD_UDP_OTHER,         /* another dissector: Wireshark reads no tunnel here */
} pmtud_udp_tunnel_t;

/* Port -> pmtud_udp_tunnel_t, 4 bits a port (32 KB): a UDP port costs one
 * table lookup whatever the number of overlays. */
typedef struct {
    uint8_t kind[65536 / 2];
} pmtud_udp_ports_t;

/* Wireshark's defaults: VXLAN 4789, Geneve 6081, MPLS over UDP 6635. */
extern const pmtud_udp_ports_t pmtud_udp_ports_default;

void pmtud_udp_ports_clear(pmtud_udp_ports_t *ports);
void pmtud_udp_ports_set(pmtud_udp_ports_t *ports, uint16_t port, pmtud_udp_tunnel_t kind);
pmtud_udp_tunnel_t pmtud_udp_port_kind(const pmtud_udp_ports_t *ports, uint16_t port);

/* One IP packet: the data packet of a frame, or the packet an ICMP quotes. */
typedef struct {
    uint8_t  family;         /* 4 or 6; 0 when nothing was parsed */
    uint8_t  proto;          /* transport protocol after IPv6 extension headers */
    uint8_t  src[16];        /* IPv4 addresses use the first 4 bytes */
    uint8_t  dst[16];
    uint32_t ip_len;         /* IPv4 total length; IPv6 40 + payload length */
    uint16_t hdr_len;        /* IP header incl. options / extension headers */
    uint16_t ip_id;          /* IPv4 identification */
    uint8_t  ttl;            /* IPv4 TTL / IPv6 hop limit */
    bool     has_id;         /* IPv4 only: IPv6 has no ID outside fragments */
    bool     df;             /* IPv4 Don't Fragment */
    bool     later_fragment; /* fragment offset != 0: no transport header */
    bool     len_zero;       /* IPv4 total length 0 (TSO at the capture point) or IPv6
                              * payload length 0 (BIG TCP, jumbogram): ip_len is then
                              * the real length, from the jumbo option or the wire */
    bool     jumbo;          /* IPv6 Hop-by-Hop jumbo payload option gave ip_len */
    bool     headers_cut;    /* the bytes end inside IPv4 options / IPv6 extension headers */
    bool     has_ports;      /* TCP/UDP ports were present in the bytes */
    uint16_t sport, dport;
    bool     has_seq;        /* TCP sequence number present */
    uint32_t seq;            /* TCP's; or, with PMTUD_IDENT_SEQ, an identity's */
    bool     has_ack;        /* TCP acknowledgment number present */
    uint32_t ack;
    uint8_t  tcp_flags;      /* 0 when the flags byte was not captured */
    uint8_t  ident;          /* PMTUD_IDENT_*: what names the packet without TCP */
    uint16_t l4_hdr_len;     /* TCP data offset * 4 or 8 for UDP; 0 unknown */
    uint16_t udp_len;        /* UDP length field, 0 unknown */
    uint16_t mss;            /* MSS option of a SYN, 0 when absent */
    const uint8_t *tcp_opts; /* captured TCP option bytes (read by pmtud_tcp_sack_blocks) */
    uint16_t tcp_opts_len;
    uint32_t payload_len;    /* transport payload, from the IP length */
    uint32_t tag;            /* PMTUD_IDENT_TAG: see below */
    const uint8_t *payload;  /* captured payload bytes (may be fewer) */
    uint32_t payload_caplen;
    uint32_t captured;       /* bytes of this IP packet that were captured */
} pmtud_ip_t;

/* Identities: what names one packet of a flow where TCP's ports and
 * sequence number do not (read for ESP, AH, GRE, SCTP and ICMP echo):
 *   tag: ESP/AH SPI, GRE key, SCTP verification tag, ICMP echo type << 16 |
 *        identifier (the type makes a reply another packet than a request);
 *   seq: ESP/AH/GRE sequence number, TSN of SCTP's first DATA chunk, echo
 *        sequence number: exact, where TCP's has_seq/seq is a range start.
 * CUT: the bytes end before a field the protocol names its packets by (an
 * 8-byte IPv4 quote of AH holds its SPI, not its sequence number). The
 * fields share pmtud_ip_t's padding: a TCP packet pays nothing for them. */
enum {
    PMTUD_IDENT_TAG = 1u << 0,
    PMTUD_IDENT_SEQ = 1u << 1,
    PMTUD_IDENT_CUT = 1u << 2,
};

/* What one frame holds, as far as pmtud cares. Every field before ip is
 * cleared for each frame; ip is cleared by its reader; outer is written only
 * in a tunnelled frame (read it through pmtud_frame_outer()); and quoted is
 * written whole only on a PTB (on other frames its family is 0 and nothing
 * else of it may be read): the parser writes no more than that, since this
 * runs for every frame. A new scalar goes before ip. */
typedef struct {
    bool       has_ip;
    uint8_t    tunnel_depth; /* IP layers wrapped around ip */
    uint32_t   inner_off;    /* where ip starts when tunnel_depth > 0 (else link_hdr_len) */
    uint32_t   link_hdr_len; /* bytes before the first IP header */
    uint32_t   wire_len;     /* the frame's length on the wire (NFLOG: its payload's) */
    pmtud_link_t link;
    bool       pppoe;        /* carried in a PPPoE session (MTU 1492) */
    bool       is_icmp;      /* ip carries ICMP or ICMPv6 (any type) */
    bool       is_ptb;       /* ICMPv4 type 3 code 4, or ICMPv6 type 2 */
    bool       quote_short;  /* quote ended inside the quoted IP header */
    uint8_t    icmp_type, icmp_code;
    uint32_t   mtu;          /* next-hop MTU the ICMP cites */
    /* Source MAC of the Ethernet header ip travels in (in the frame's bytes;
     * the inner one in VXLAN or Ethernet over GRE): who put ip on this
     * segment. NULL when ip has no Ethernet header of its own (other link
     * types, IP-in-IP, GRE carrying IP). */
    const uint8_t *eth_src;
    pmtud_ip_t ip;           /* innermost IP packet (the one carrying data or ICMP) */
    pmtud_ip_t outer;        /* outermost IP packet when tunnel_depth > 0, else
                              * unwritten: see pmtud_frame_outer() */
    pmtud_ip_t quoted;       /* the packet a PTB quotes: family 0 when the quote held
                              * no IP header; on other frames family 0 and nothing
                              * else written */
} pmtud_frame_t;

/* The outermost IP packet of a frame: ip itself when no tunnel wraps it
 * (the common frame's 120-byte copy is not made). */
static inline const pmtud_ip_t *pmtud_frame_outer(const pmtud_frame_t *f)
{
    return f->tunnel_depth ? &f->outer : &f->ip;
}

/* Parses a frame. Returns false when no IP packet was found. wire_len is
 * the frame's length on the wire (lengths never come from caplen). UDP
 * overlays are followed on the ports of pmtud_udp_ports_default. */
bool pmtud_parse_frame(pmtud_link_t link, const uint8_t *data, size_t caplen,
                       uint32_t wire_len, pmtud_frame_t *out);

/* The same, following UDP overlays on the ports the table names. The
 * common frame (Ethernet without a tag, Linux cooked or raw IP, then IPv4
 * without options or IPv6 without extension headers, then TCP) takes a
 * short path; every other frame the general one below, with the same
 * result. */
bool pmtud_parse_frame_ports(const pmtud_udp_ports_t *ports, pmtud_link_t link,
                             const uint8_t *data, size_t caplen, uint32_t wire_len,
                             pmtud_frame_t *out);

/* The general path alone, whatever the frame: for the test that holds the
 * short path to it (tests/unit/test_parse_fast.c, tests/fuzz/fuzz_frames.c). */
bool pmtud_parse_frame_general(const pmtud_udp_ports_t *ports, pmtud_link_t link,
                               const uint8_t *data, size_t caplen, uint32_t wire_len,
                               pmtud_frame_t *out);

/* Parses an IP packet starting at data (used for quotes and tunnels). */
bool pmtud_parse_ip(const uint8_t *data, size_t caplen, pmtud_ip_t *out);

/* Where pmtud stopped reading a frame: asked only for the rare frames in
 * which Wireshark found an ICMP that pmtud did not (never on the per-frame
 * path), to tell the user what to link by hand. */
typedef enum {
    PMTUD_STOP_NONE = 0,     /* read to a transport header pmtud knows */
    PMTUD_STOP_LINK,         /* a link type pmtud does not read */
    PMTUD_STOP_ETHERTYPE,    /* value: the ethertype after tags, PPPoE, MPLS */
    PMTUD_STOP_NOT_IP,       /* value: the version nibble where IP should start */
    PMTUD_STOP_UDP_PORT,     /* value: the destination port (not a tunnel pmtud reads) */
    PMTUD_STOP_GRE,          /* value: the GRE protocol type */
    PMTUD_STOP_IP_PROTO,     /* value: the IP protocol */
    PMTUD_STOP_FRAGMENT,     /* a later IP fragment (Wireshark reassembled the ICMP) */
    PMTUD_STOP_DEPTH,        /* value: tunnels nested deeper than pmtud follows */
    PMTUD_STOP_CUT,          /* the captured bytes end inside the headers */
} pmtud_stop_kind_t;

typedef struct {
    uint8_t  kind;           /* pmtud_stop_kind_t */
    uint32_t value;
} pmtud_stop_t;

/* f: what pmtud_parse_frame_ports() made of the same bytes with the same ports. */
void pmtud_parse_stop(const pmtud_udp_ports_t *ports, pmtud_link_t link, const uint8_t *data,
                      size_t caplen, const pmtud_frame_t *f, pmtud_stop_t *out);

/* Whether the bytes hold an ICMPv4 fragmentation needed (an IPv4 header
 * with a valid checksum, protocol 1, type 3 code 4) or an ICMPv6 Packet Too
 * Big (IPv6, next header 58 after any extension headers, type 2, a valid
 * checksum when the message is captured whole) at any of the first
 * PMTUD_PTB_SCAN offsets: a bounded scan for the rare frames above. */
#define PMTUD_PTB_SCAN 512
bool pmtud_find_ptb(const uint8_t *data, size_t caplen);

/* One SACK block (RFC 2018): the receiver holds [left, right). */
typedef struct {
    uint32_t left, right;
} pmtud_sack_block_t;

/* The SACK blocks of a parsed TCP header, at most max, in the order the
 * option lists them; 0 when it has none (or its options are cut short or
 * malformed before them). Read on demand, not for every packet. */
unsigned pmtud_tcp_sack_blocks(const pmtud_ip_t *ip, pmtud_sack_block_t *blocks, unsigned max);

#endif /* PMTUD_PARSE_H */
