/* test_identity.c
 * Quotes without TCP/UDP ports: the identity readers of pmtud_parse.c (ESP
 * and AH SPI + sequence number, GRE key + sequence number, SCTP
 * verification tag + TSN, ICMP echo type + identifier + sequence), cut at
 * every byte of their headers, and the matcher of pmtud_analyze.c: exact
 * links by identity, "ambiguous" where several captured frames fit or the
 * quote ends before the sequence number, never a link to the wrong frame.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze_driver.h"
#include "check.h"
#include "fixtures.h"
#include "frames.h"
#include "pmtud_messages.h"

#define SPI      0xc0de0001u
#define GRE_KEY  0x00010203u
#define VTAG     0x5ca1ab1eu
#define ECHO_ID  0x3039

/* --- building ---------------------------------------------------------- */

/* Starts an Ethernet + IPv4 (DF) frame from SRV to CLI; returns the IP offset. */
static size_t ip4_start(pb_t *p, uint8_t proto, uint16_t id)
{
    pb_ip4_t h = pb_ip4_make(SRV, CLI, proto, id);

    pb_init(p);
    pb_eth(p, 0x0800);
    return pb_ip4(p, &h);
}

/* ESP: SPI, sequence number, then 1472 "ciphertext" bytes: IP length 1500. */
static void esp(pb_t *p, uint32_t spi, uint32_t seq, uint16_t id, uint8_t seed)
{
    size_t off = ip4_start(p, PMTUD_PROTO_ESP, id);

    pb_u32(p, spi);
    pb_u32(p, seq);
    pb_fill(p, 1472, seed);
    pb_ip4_end(p, off);
}

/* AH (RFC 4302) with a 12-byte ICV (length field 4: 24 bytes), then TCP
 * and 1436 bytes: IP length 1500. */
static void ah(pb_t *p, uint32_t seq, uint16_t id, uint8_t seed)
{
    size_t off = ip4_start(p, PMTUD_PROTO_AH, id);
    pb_tcp_t t = { 80, 49321, SEQ + seq * 1436u, 1, PB_ACK, 0 };

    pb_u8(p, PMTUD_PROTO_TCP);
    pb_u8(p, 4);
    pb_u16(p, 0);
    pb_u32(p, SPI);
    pb_u32(p, seq);
    pb_fill(p, 12, 0xa0);
    pb_tcp(p, &t);
    pb_fill(p, 1436, seed);
    pb_ip4_end(p, off);
}

/* GRE with checksum, key and sequence number (flags given), and with the
 * routing bit (RFC 1701) a list of one 4-byte source route entry and the
 * empty one; IPv4 inside with the inner IP ID given, 1500 bytes in all. */
static void gre(pb_t *p, uint16_t flags, uint32_t seq, uint16_t inner_id, uint16_t id)
{
    size_t off = ip4_start(p, PMTUD_PROTO_GRE, id), in, gre_len;
    pb_ip4_t h = pb_ip4_make(TUN_A, TUN_B, PMTUD_PROTO_UDP, inner_id);

    pb_u16(p, flags);
    pb_u16(p, 0x0800);
    if (flags & 0xc000)
        pb_u32(p, 0);            /* checksum and offset */
    if (flags & 0x2000)
        pb_u32(p, GRE_KEY);
    if (flags & 0x1000)
        pb_u32(p, seq);
    if (flags & 0x4000) {
        pb_u32(p, 0x08000004u);  /* family 0x0800, offset 0, length 4 */
        pb_u32(p, 0xc0000201u);
        pb_u32(p, 0);            /* the empty entry ends the list */
    }
    gre_len = p->len - off - 20;
    in = pb_ip4(p, &h);
    pb_udp(p, 5000, 5001);
    pb_fill(p, 1500 - 20 - gre_len - 20 - 8, 0x11);
    pb_udp_end(p, in + 20);
    pb_ip4_end(p, in);
    pb_ip4_end(p, off);
}

/* SCTP, one chunk: DATA with the TSN given (1452 data bytes), or
 * HEARTBEAT (type 4). IP length 1500. */
static void sctp(pb_t *p, uint8_t chunk, uint32_t tsn, uint16_t id, uint8_t seed)
{
    size_t off = ip4_start(p, PMTUD_PROTO_SCTP, id);

    pb_u16(p, 36412);
    pb_u16(p, 36412);
    pb_u32(p, VTAG);
    pb_u32(p, 0);                 /* CRC32c: the parser never reads it */
    pb_u8(p, chunk);
    pb_u8(p, 0x03);
    pb_u16(p, 1468);
    pb_u32(p, tsn);
    pb_u16(p, 0);
    pb_u16(p, 0);
    pb_u32(p, 0);
    pb_fill(p, 1452, seed);
    pb_ip4_end(p, off);
}

/* ICMP echo (type 8 request, 0 reply) from src to dst, 1464 data bytes. */
static void echo(pb_t *p, const uint8_t *src, const uint8_t *dst, uint8_t type, uint16_t seq,
                 uint16_t id)
{
    pb_ip4_t h = pb_ip4_make(src, dst, PMTUD_PROTO_ICMP, id);
    size_t off;

    pb_init(p);
    pb_eth(p, 0x0800);
    off = pb_ip4(p, &h);
    pb_u8(p, type);
    pb_u8(p, 0);
    pb_u16(p, 0);
    pb_u16(p, ECHO_ID);
    pb_u16(p, seq);
    pb_fill(p, 1464, (uint8_t)seq);
    pb_ip4_end(p, off);
}

/* Feeds a frag-needed (MTU 1400) quoting the first n bytes of d's IP packet. */
static bool ptb_n(const pb_t *d, size_t n)
{
    pb_t p;

    pb_init(&p);
    pb_frame_ptb4(&p, RTR, SRV, 1400, d->b + 14, n);
    return feed(&p);
}

/* Feeds a data frame built by the caller; returns its number. */
static uint32_t data(const pb_t *p)
{
    CHECK(!feed(p));
    return frame_no;
}

static void expect_link(uint32_t frame)
{
    CHECK_EQ(R.quoted_frame, frame);
    CHECK_EQ(R.verdicts & (PMTUD_V_AMBIGUOUS | PMTUD_V_NOT_CAPTURED), 0);
    CHECK_EQ(R.n_candidates, 0);
}

static void expect_ambiguous(bool cut, uint32_t n, uint32_t a, uint32_t b, uint32_t c)
{
    const uint32_t want[3] = { a, b, c };
    uint32_t i;

    CHECK_EQ(R.quoted_frame, 0);
    CHECK_EQ(R.verdicts & (PMTUD_V_AMBIGUOUS | PMTUD_V_NOT_CAPTURED | PMTUD_V_LEGITIMATE),
             PMTUD_V_AMBIGUOUS);
    CHECK_EQ(R.ident_cut, cut);
    CHECK_EQ(R.n_candidates, n);
    for (i = 0; i < n && i < 3; i++)
        CHECK_EQ(R.candidate[i], want[i]);
    CHECK_EQ(R.n_covered, 0);
}

static void expect_not_captured(void)
{
    CHECK_EQ(R.quoted_frame, 0);
    CHECK_EQ(R.verdicts & (PMTUD_V_AMBIGUOUS | PMTUD_V_NOT_CAPTURED), PMTUD_V_NOT_CAPTURED);
    CHECK_EQ(R.n_candidates, 0);
}

/* --- the readers, cut at every byte --------------------------------------- */

/* Parses the IP packet of frame p cut to 20 + k bytes (k = 1 .. l4 bytes),
 * from a heap copy of exactly that size, and checks what the identity
 * holds against want(k). (At k = 0 nothing past the IP header is read: the
 * matcher takes such a quote as cut, test_header_only_quote.) */
typedef struct {
    uint8_t  ident;
    uint32_t tag, seq;
} ident_t;

static void every_cut(const pb_t *p, size_t l4, ident_t (*want)(size_t k))
{
    size_t k;

    for (k = 1; k <= l4; k++) {
        size_t n = 20 + k;
        uint8_t *copy = malloc(n);
        pmtud_ip_t ip;
        ident_t w = want(k);

        memcpy(copy, p->b + 14, n);
        CHECK(pmtud_parse_ip(copy, n, &ip));
        if (!CHECK_EQ(ip.ident, w.ident))
            fprintf(stderr, "     cut after %zu transport bytes\n", k);
        if (w.ident & PMTUD_IDENT_TAG)
            CHECK_EQ(ip.tag, w.tag);
        if (w.ident & PMTUD_IDENT_SEQ)
            CHECK_EQ(ip.seq, w.seq);
        free(copy);
    }
}

#define TAG PMTUD_IDENT_TAG
#define SEQN PMTUD_IDENT_SEQ
#define CUT PMTUD_IDENT_CUT

static ident_t esp_want(size_t k)
{
    ident_t w = { (uint8_t)(k < 4 ? CUT : k < 8 ? TAG | CUT : TAG | SEQN), SPI, 7 };
    return w;
}

static ident_t ah_want(size_t k)
{
    ident_t w = { (uint8_t)(k < 8 ? CUT : k < 12 ? TAG | CUT : TAG | SEQN), SPI, 7 };
    return w;
}

static ident_t gre_csks_want(size_t k)
{
    /* flags 2, protocol 2, checksum + reserved 4, key 4, sequence 4 */
    ident_t w = { (uint8_t)(k < 12 ? CUT : k < 16 ? TAG | CUT : TAG | SEQN), GRE_KEY, 7 };
    return w;
}

static ident_t gre_plain_want(size_t k)
{
    ident_t w = { (uint8_t)(k < 2 ? CUT : 0), 0, 0 };
    return w;
}

static ident_t sctp_data_want(size_t k)
{
    ident_t w = { (uint8_t)(k < 8 ? CUT : k < 20 ? TAG | CUT : TAG | SEQN), VTAG, 7 };
    return w;
}

static ident_t sctp_heartbeat_want(size_t k)
{
    ident_t w = { (uint8_t)(k < 8 ? CUT : k < 13 ? TAG | CUT : TAG), VTAG, 0 };
    return w;
}

static ident_t echo_want(size_t k)
{
    ident_t w = { (uint8_t)(k < 8 ? CUT : TAG | SEQN), 8u << 16 | ECHO_ID, 7 };
    return w;
}

static ident_t none_want(size_t k)
{
    ident_t w = { 0, 0, 0 };
    (void)k;
    return w;
}

static void test_readers_every_byte(void)
{
    pb_t p;
    pmtud_frame_t f;

    esp(&p, SPI, 7, 0, 1);
    every_cut(&p, 40, esp_want);
    CHECK(fr_parse(PMTUD_LINK_ETHERNET, &p, &f));
    CHECK_EQ(f.ip.l4_hdr_len, 8);
    CHECK_EQ(f.ip.payload_len, 1472);
    CHECK(!f.ip.has_ports && !f.ip.has_seq);

    ah(&p, 7, 0, 1);
    every_cut(&p, 60, ah_want);
    CHECK(fr_parse(PMTUD_LINK_ETHERNET, &p, &f));
    CHECK_EQ(f.ip.l4_hdr_len, 24);
    CHECK_EQ(f.ip.payload_len, 1456);

    gre(&p, 0xb000, 7, 1, 0);
    every_cut(&p, 40, gre_csks_want);
    CHECK(fr_parse(PMTUD_LINK_ETHERNET, &p, &f));
    CHECK_EQ(pmtud_frame_outer(&f)->l4_hdr_len, 16);
    CHECK_EQ(pmtud_frame_outer(&f)->ident, TAG | SEQN);
    CHECK_EQ(f.tunnel_depth, 1);    /* and the inner packet is still read */
    gre(&p, 0x0000, 0, 1, 0);
    every_cut(&p, 40, gre_plain_want);
    /* The routing bit alone brings the checksum and offset word, and the
     * routing list ends the header (as Wireshark reads RFC 1701 GRE). */
    gre(&p, 0x7000, 7, 1, 0);
    every_cut(&p, 40, gre_csks_want);
    CHECK(fr_parse(PMTUD_LINK_ETHERNET, &p, &f));
    CHECK_EQ(pmtud_frame_outer(&f)->l4_hdr_len, 16 + 12);
    CHECK_EQ(pmtud_frame_outer(&f)->ident, TAG | SEQN);
    CHECK_EQ(f.tunnel_depth, 1);
    CHECK_EQ(f.ip.ip_id, 1);
    /* An entry running past the packet: no end of the header, no inner
     * packet (Wireshark finds the GRE header malformed). */
    p.b[14 + 20 + 16 + 3] = 0xff;
    CHECK(fr_parse(PMTUD_LINK_ETHERNET, &p, &f));
    CHECK_EQ(f.tunnel_depth, 0);
    CHECK_EQ(f.ip.ident, TAG | SEQN);
    CHECK_EQ(f.ip.l4_hdr_len, 0);

    sctp(&p, 0, 7, 0, 1);
    every_cut(&p, 40, sctp_data_want);
    CHECK(fr_parse(PMTUD_LINK_ETHERNET, &p, &f));
    CHECK(f.ip.has_ports);
    CHECK_EQ(f.ip.sport, 36412);
    CHECK_EQ(f.ip.payload_len, 1468);
    sctp(&p, 4, 7, 0, 1);
    every_cut(&p, 40, sctp_heartbeat_want);

    echo(&p, SRV, CLI, 8, 7, 0);
    every_cut(&p, 20, echo_want);
    echo(&p, SRV, CLI, 13, 7, 0);      /* a timestamp request: its bytes tell */
    every_cut(&p, 20, none_want);

    /* A reply is another packet: the type is in the tag. */
    echo(&p, CLI, SRV, 0, 7, 0);
    CHECK(fr_parse(PMTUD_LINK_ETHERNET, &p, &f));
    CHECK_EQ(f.ip.tag, ECHO_ID);
    CHECK_EQ(f.ip.ident, TAG | SEQN);

    /* TCP and UDP carry no identity: their matcher has its own rules. */
    fr_data4(&p);
    CHECK(fr_parse(PMTUD_LINK_ETHERNET, &p, &f));
    CHECK_EQ(f.ip.ident, 0);
}

/* ICMPv6 echo (128 request) carries its identity too. */
static void test_echo6_reader(void)
{
    pb_t p;
    pb_ip6_t h = pb_ip6_make(SRV6, CLI6, PMTUD_PROTO_ICMPV6);
    pmtud_frame_t f;
    size_t off;

    pb_init(&p);
    pb_eth(&p, 0x86dd);
    off = pb_ip6(&p, &h);
    pb_u8(&p, 128);
    pb_u8(&p, 0);
    pb_u16(&p, 0);
    pb_u16(&p, ECHO_ID);
    pb_u16(&p, 9);
    pb_fill(&p, 100, 0);
    pb_ip6_end(&p, off);
    CHECK(fr_parse(PMTUD_LINK_ETHERNET, &p, &f));
    CHECK_EQ(f.ip.ident, TAG | SEQN);
    CHECK_EQ(f.ip.tag, 128u << 16 | ECHO_ID);
    CHECK_EQ(f.ip.seq, 9);
}

/* --- the matcher ---------------------------------------------------------- */

/* The case: three 1500-byte ESP packets, one SPI, IP ID 0; the
 * frag-needed quotes the second. Before identities it linked the third. */
static void test_esp_second_of_three(void)
{
    pb_t s[3];
    uint32_t i;

    reset();
    for (i = 0; i < 3; i++) {
        esp(&s[i], SPI, 100 + i, 0, (uint8_t)i);
        data(&s[i]);
    }
    CHECK(ptb_n(&s[1], 548));
    expect_link(2);
    CHECK(R.verdicts & PMTUD_V_LEGITIMATE);
    /* The 8 bytes of an RFC 792 quote hold SPI and sequence number: exact. */
    CHECK(ptb_n(&s[1], 28));
    expect_link(2);
    CHECK(ptb_n(&s[0], 28));
    expect_link(1);
    /* Cut inside the sequence number: several fit, none is linked. */
    CHECK(ptb_n(&s[1], 27));
    expect_ambiguous(true, 3, 1, 2, 3);
    /* Another SPI (another SA) or a sequence number never sent: not captured. */
    esp(&s[0], SPI + 1, 101, 0, 1);
    CHECK(ptb_n(&s[0], 548));
    expect_not_captured();
    esp(&s[0], SPI, 99, 0, 1);
    CHECK(ptb_n(&s[0], 548));
    expect_not_captured();
}

/* The same ESP packet captured twice (both sides of a bridge): the quote
 * fits both equally; a different IP ID on one of them tells them apart. */
static void test_esp_duplicates(void)
{
    pb_t a, b;

    reset();
    esp(&a, SPI, 5, 0, 1);
    data(&a);
    data(&a);
    CHECK(ptb_n(&a, 548));
    expect_ambiguous(false, 2, 1, 2, 0);
    esp(&b, SPI, 5, 0x0101, 1);
    data(&b);                   /* frame 4, after the ICMP in 3 */
    CHECK(ptb_n(&b, 548));
    expect_link(4);
    /* The ID is no identity of its own: SPI and sequence are. One candidate
     * with another ID (a middlebox rewrote it) is still the packet. */
    reset();
    data(&a);
    CHECK(ptb_n(&b, 548));
    expect_link(1);
}

/* AH: an 8-byte IPv4 quote holds the SPI, not the sequence number. */
static void test_ah_short_and_long(void)
{
    pb_t s[3];
    uint32_t i;

    reset();
    for (i = 0; i < 3; i++) {
        ah(&s[i], 200 + i, 0, (uint8_t)i);
        data(&s[i]);
    }
    CHECK(ptb_n(&s[1], 28));
    expect_ambiguous(true, 3, 1, 2, 3);
    CHECK(ptb_n(&s[1], 32));
    expect_link(2);
    CHECK(ptb_n(&s[2], 548));
    expect_link(3);
    /* Even one candidate is no link when the quote cannot name its packet. */
    reset();
    data(&s[0]);
    CHECK(ptb_n(&s[1], 28));
    expect_ambiguous(true, 1, 1, 0, 0);
}

/* GRE: key and sequence number when present, else the tunnelled bytes. */
static void test_gre(void)
{
    pb_t s[3], q;
    uint32_t i;

    reset();
    for (i = 0; i < 3; i++) {
        gre(&s[i], 0x3000, 10 + i, 0x4000, 0);
        data(&s[i]);
    }
    CHECK(ptb_n(&s[1], 548));
    expect_link(2);
    /* key + sequence need 12 bytes of GRE: 8 only hold the key. */
    CHECK(ptb_n(&s[1], 28));
    expect_ambiguous(true, 3, 1, 2, 3);

    /* No key, no sequence: the inner packets differ by their IP ID. */
    reset();
    for (i = 0; i < 3; i++) {
        gre(&s[i], 0x0000, 0, (uint16_t)(0x4000 + i), 0);
        data(&s[i]);
    }
    CHECK(ptb_n(&s[1], 548));
    expect_link(2);
    /* ... but not in the 4 bytes of the inner header an 8-byte quote holds. */
    CHECK(ptb_n(&s[1], 28));
    expect_ambiguous(false, 3, 1, 2, 3);
    /* Inner bytes no frame had: not captured, not "the latest". */
    patched16(&q, &s[1], 14 + 20 + 4 + 4, 0x7777);
    CHECK(ptb_n(&q, 548));
    expect_not_captured();
}

/* SCTP: ports, verification tag and the TSN of the first DATA chunk. */
static void test_sctp(void)
{
    pb_t s[2], hb;

    reset();
    sctp(&s[0], 0, 1000, 0, 1);
    data(&s[0]);
    sctp(&s[1], 0, 1001, 0, 2);
    data(&s[1]);
    CHECK(ptb_n(&s[0], 548));
    expect_link(1);
    CHECK_EQ(R.sport, 36412);
    CHECK(ptb_n(&s[0], 40));    /* 20 bytes of SCTP: up to the TSN */
    expect_link(1);
    CHECK(ptb_n(&s[0], 28));    /* ports and tag only */
    expect_ambiguous(true, 2, 1, 2, 0);
    /* Another association (verification tag): not captured. */
    patched32(&hb, &s[0], 14 + 20 + 4, VTAG + 1);
    CHECK(ptb_n(&hb, 548));
    expect_not_captured();
    /* A HEARTBEAT sent twice alike: its bytes cannot tell the copies apart. */
    reset();
    sctp(&hb, 4, 0, 0, 3);
    data(&hb);
    data(&hb);
    CHECK(ptb_n(&hb, 548));
    expect_ambiguous(false, 2, 1, 2, 0);
}

/* Echo: identifier, sequence number and the type. A forged PTB quoting an
 * echo reply from the pinging host must not link to its request. */
static void test_echo_direction(void)
{
    pb_t req, rep, forged;

    reset();
    echo(&req, SRV, CLI, 8, 1, 0x1c46);
    data(&req);
    echo(&rep, CLI, SRV, 0, 1, 0x7301);
    data(&rep);
    /* The request is quoted: linked. */
    CHECK(ptb_n(&req, 548));
    expect_link(1);
    /* A "reply" SRV -> CLI with the request's identifier, sequence and IP ID. */
    echo(&forged, SRV, CLI, 0, 1, 0x1c46);
    CHECK(ptb_n(&forged, 548));
    expect_not_captured();
    CHECK(ptb_n(&forged, 28));
    expect_not_captured();
    /* The real reply, quoted by a router on its way back: linked to it. */
    CHECK(ptb_n(&rep, 548));
    expect_link(2);
    /* Another sequence number: not captured (not the latest ping). */
    echo(&forged, SRV, CLI, 8, 2, 0x1c46);
    CHECK(ptb_n(&forged, 548));
    expect_not_captured();
}

/* A protocol pmtud reads no header of: every quoted byte must agree, and
 * only one frame may. */
static void test_other_protocol(void)
{
    pb_t a, b;
    size_t off;

    reset();
    off = ip4_start(&a, 253, 0);
    pb_fill(&a, 1480, 1);
    pb_ip4_end(&a, off);
    off = ip4_start(&b, 253, 0);
    pb_fill(&b, 1480, 2);
    pb_ip4_end(&b, off);
    data(&a);
    data(&b);
    CHECK(ptb_n(&a, 548));
    expect_link(1);
    data(&a);                   /* frame 4, after the ICMP in 3 */
    CHECK(ptb_n(&a, 548));
    expect_ambiguous(false, 2, 1, 4, 0);
    /* Only the IP header quoted: nothing tells the three apart. */
    CHECK(ptb_n(&a, 20));
    expect_ambiguous(true, 3, 1, 2, 4);
}

/* A quote of the IP header alone names no packet, even when its IP ID
 * singles one out. */
static void test_header_only_quote(void)
{
    pb_t s[2];

    reset();
    esp(&s[0], SPI, 1, 0x0001, 1);
    data(&s[0]);
    esp(&s[1], SPI, 2, 0x0002, 2);
    data(&s[1]);
    CHECK(ptb_n(&s[0], 20));
    expect_ambiguous(true, 1, 1, 0, 0);
    CHECK(ptb_n(&s[0], 21));
    expect_ambiguous(true, 1, 1, 0, 0);
    CHECK(ptb_n(&s[0], 28));
    expect_link(1);
}

/* More candidates than named: the count, and the latest four in order. */
static void test_many_candidates(void)
{
    pb_t a;
    uint32_t i;
    char msg[PMTUD_MSG_MAX];

    reset();
    ah(&a, 1, 0, 1);
    for (i = 0; i < 6; i++)
        data(&a);
    CHECK(ptb_n(&a, 28));
    CHECK_EQ(R.n_candidates, 6);
    CHECK_EQ(R.candidate[0], 3);
    CHECK_EQ(R.candidate[3], 6);
    pmtud_msg_ambiguous(msg, sizeof msg, &R);
    CHECK_HAS(msg, "6 frames fit (the latest: 3, 4, 5, 6)");
    CHECK_HAS(msg, "AH quote ends before the field that names its packet");
    /* Seven-digit frame numbers and an unnamed protocol still fit. */
    R.proto = 253;
    R.ident_cut = false;
    R.quoted_len = 65535;
    R.n_candidates = 4000000;
    for (i = 0; i < PMTUD_MAX_CANDIDATES; i++)
        R.candidate[i] = 3999996 + i;
    pmtud_msg_ambiguous(msg, sizeof msg, &R);
    CHECK(strlen(msg) < PMTUD_MSG_MAX - 1);
    CHECK_HAS(msg, "protocol 253 quote holds");
}

int main(void)
{
    RUN(test_readers_every_byte);
    RUN(test_echo6_reader);
    RUN(test_esp_second_of_three);
    RUN(test_esp_duplicates);
    RUN(test_ah_short_and_long);
    RUN(test_gre);
    RUN(test_sctp);
    RUN(test_echo_direction);
    RUN(test_other_protocol);
    RUN(test_header_only_quote);
    RUN(test_many_candidates);
    pmtud_analyzer_free(an);
    return check_done();
}
