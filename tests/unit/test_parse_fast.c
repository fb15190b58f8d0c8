/* test_parse_fast.c
 * pmtud_parse, the common-frame path: pmtud_parse_frame_ports() reads the
 * common frame (Ethernet without a tag, Linux cooked, raw IP or loopback;
 * IPv4 without options or IPv6 without extension headers; TCP) on a short
 * path of its own, and must fill pmtud_frame_t exactly as the general path
 * does. Both run here on the same bytes and every field is compared
 * (frame_same.h): on every frame of every capture in testcaptures/ (read
 * under its own link type, then under each other link type), and on
 * mutated copies of each (bytes of the headers changed, the capture cut,
 * the wire length changed), from a fixed seed so that a failure repeats.
 * Each path writes over different garbage, so a field the short path
 * forgets to write shows too. Every copy is a heap block of exactly the
 * captured size: the sanitizer build catches a read past it.
 *
 *   unit_parse_fast DIR [SEED]    DIR: testcaptures/ (ctest passes it)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "check.h"
#include "frame_same.h"
#include "pmtud_parse.h"

#define MUTANTS 64           /* mutated copies of each frame */
#define MUTATE_SPAN 96       /* mutations hit the first bytes: the headers */
#define MAX_IFACES 16        /* pcapng interfaces followed per section */

static uint64_t rng_state;

static uint32_t rng(void)
{
    /* xorshift64*: repeatable from the seed, good enough to pick bytes. */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (uint32_t)((rng_state * 0x2545f4914f6cdd1dULL) >> 32);
}

/* What the counts below say about the corpus. */
static unsigned long frames_read, parses, common_frames;
static const char *capture_name;
static unsigned long capture_frame;

/* The general path's result looks like the frame the short path takes:
 * counted, so that the test shows it held the short path to something. */
static bool looks_common(pmtud_link_t link, const pmtud_frame_t *f)
{
    return f->has_ip && f->tunnel_depth == 0 && !f->pppoe && f->ip.proto == 6 &&
           f->ip.hdr_len == (f->ip.family == 4 ? 20 : 40) && !f->ip.later_fragment &&
           !f->ip.len_zero && f->ip.l4_hdr_len && !(f->ip.tcp_flags & 0x02) &&
           (link == PMTUD_LINK_ETHERNET || link == PMTUD_LINK_SLL || link == PMTUD_LINK_SLL2 ||
            link == PMTUD_LINK_RAW_IP || link == PMTUD_LINK_NULL);
}

/* Both paths on the same bytes, copied to a block of exactly caplen. */
static void compare_paths(pmtud_link_t link, const uint8_t *bytes, size_t caplen, uint32_t wire)
{
    uint8_t *copy = malloc(caplen ? caplen : 1);
    pmtud_frame_t fast, general;
    const char *record, *field;
    bool ok_fast, ok_general;

    if (!CHECK(copy != NULL))
        return;
    memcpy(copy, bytes, caplen);
    memset(&fast, 0xa5, sizeof fast);
    memset(&general, 0x5a, sizeof general);
    ok_fast = pmtud_parse_frame_ports(&pmtud_udp_ports_default, link, copy, caplen, wire, &fast);
    ok_general = pmtud_parse_frame_general(&pmtud_udp_ports_default, link, copy, caplen, wire,
                                           &general);
    parses++;
    common_frames += looks_common(link, &general);
    field = frame_differs(&fast, &general, &record);
    if (!CHECK(ok_fast == ok_general && field == NULL))
        fprintf(stderr, "     %s frame %lu, link %d, caplen %zu, wire %u: %s.%s differs\n",
                capture_name, capture_frame, (int)link, caplen, wire,
                field ? record : "return", field ? field : "value");
    free(copy);
}

/* Bytes worth trying where the short path decides: versions and header
 * lengths, protocols, ethertype halves, flags, 0 and all ones. */
static const uint8_t INTERESTING[] = {
    0x00, 0xff, 0x45, 0x46, 0x4f, 0x60, 0x06, 0x11, 0x01, 0x3a, 0x29, 0x04, 0x2f,
    0x08, 0x86, 0xdd, 0x81, 0x88, 0x64, 0x02, 0x12, 0x10, 0x50, 0x40, 0x20, 0x1f,
};

static void mutate(uint8_t *b, size_t caplen)
{
    size_t span = caplen < MUTATE_SPAN ? caplen : MUTATE_SPAN;
    unsigned n = 1 + rng() % 3, i;

    for (i = 0; i < n && span; i++) {
        size_t at = rng() % span;
        b[at] = rng() % 2 ? (uint8_t)rng() : INTERESTING[rng() % sizeof INTERESTING];
    }
}

/* One captured frame: as it is, under every link type, and mutated. */
static void check_frame(pmtud_link_t link, const uint8_t *bytes, size_t caplen, uint32_t wire)
{
    uint8_t *m = malloc(caplen ? caplen : 1);
    int other;
    unsigned k;

    frames_read++;
    compare_paths(link, bytes, caplen, wire);
    for (other = PMTUD_LINK_UNKNOWN; other <= PMTUD_LINK_CHDLC; other++)
        if (other != (int)link)
            compare_paths((pmtud_link_t)other, bytes, caplen, wire);
    if (!CHECK(m != NULL))
        return;
    for (k = 0; k < MUTANTS; k++) {
        size_t cut = caplen;
        uint32_t w = wire;

        memcpy(m, bytes, caplen);
        mutate(m, caplen);
        if (rng() % 4 == 0)
            cut = caplen ? rng() % (caplen + 1) : 0;
        switch (rng() % 4) {
        case 0:
            w = (uint32_t)cut;
            break;
        case 1:
            w = rng() % (wire + 100);
            break;
        default:
            break;
        }
        compare_paths(rng() % 8 == 0 ? (pmtud_link_t)(rng() % 9) : link, m, cut, w);
    }
    free(m);
}

/* --- capture files ------------------------------------------------------ */

/* A pcap / pcapng link type (LINKTYPE_*) as pmtud's, and the bytes a
 * "with direction" header puts before the link header. */
static pmtud_link_t link_of(uint32_t linktype, size_t *skip)
{
    *skip = 0;
    switch (linktype) {
    case 1:
        return PMTUD_LINK_ETHERNET;
    case 101:
    case 228:
    case 229:
        return PMTUD_LINK_RAW_IP;
    case 113:
        return PMTUD_LINK_SLL;
    case 276:
        return PMTUD_LINK_SLL2;
    case 0:
    case 108:
        return PMTUD_LINK_NULL;
    case 239:
        return PMTUD_LINK_NFLOG;
    case 9:
    case 50:
        return PMTUD_LINK_PPP;
    case 204:                   /* PPP_WITH_DIR: a direction byte first */
        *skip = 1;
        return PMTUD_LINK_PPP;
    case 104:
        return PMTUD_LINK_CHDLC;
    case 205:                   /* C_HDLC_WITH_DIR */
        *skip = 1;
        return PMTUD_LINK_CHDLC;
    default:
        return PMTUD_LINK_UNKNOWN;
    }
}

static uint32_t rd32(const uint8_t *p, bool swap)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return swap ? __builtin_bswap32(v) : v;
}

static uint16_t rd16(const uint8_t *p, bool swap)
{
    uint16_t v;
    memcpy(&v, p, 2);
    return swap ? __builtin_bswap16(v) : v;
}

static void check_record(uint32_t linktype, const uint8_t *data, size_t caplen, uint32_t wire)
{
    size_t skip;
    pmtud_link_t link = link_of(linktype, &skip);

    capture_frame++;
    if (caplen < skip)
        return;
    check_frame(link, data + skip, caplen - skip, wire > skip ? wire - (uint32_t)skip : 0);
}

static bool read_pcap(const uint8_t *b, size_t n)
{
    uint32_t magic, linktype;
    bool swap;
    size_t off = 24;

    if (n < 24)
        return false;
    memcpy(&magic, b, 4);
    if (magic == 0xa1b2c3d4 || magic == 0xa1b23c4d)
        swap = false;
    else if (magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1)
        swap = true;
    else
        return false;
    linktype = rd32(b + 20, swap) & 0xffff;
    while (off + 16 <= n) {
        uint32_t incl = rd32(b + off + 8, swap), orig = rd32(b + off + 12, swap);
        if (incl > n - off - 16)
            return false;
        check_record(linktype, b + off + 16, incl, orig);
        off += 16 + incl;
    }
    return off == n;
}

static bool read_pcapng(const uint8_t *b, size_t n)
{
    uint32_t linktypes[MAX_IFACES];
    unsigned n_if = 0;
    bool swap = false;
    size_t off = 0;

    while (off + 12 <= n) {
        uint32_t type, len;
        const uint8_t *body;

        if (rd32(b + off, false) == 0x0a0d0d0a) {   /* section header: byte order, no interfaces */
            swap = rd32(b + off + 8, false) != 0x1a2b3c4d;
            n_if = 0;
        }
        type = rd32(b + off, swap);
        len = rd32(b + off + 4, swap);
        if (len < 12 || len % 4 || len > n - off)
            return false;
        body = b + off + 8;
        if (type == 1 && n_if < MAX_IFACES) {
            linktypes[n_if++] = rd16(body, swap);
        } else if (type == 6 && len >= 32) {        /* enhanced packet */
            uint32_t iface = rd32(body, swap), incl = rd32(body + 12, swap);
            if (iface >= n_if || incl > len - 32)
                return false;
            check_record(linktypes[iface], body + 20, incl, rd32(body + 16, swap));
        } else if (type == 3 && len >= 16 && n_if > 0) {   /* simple packet */
            uint32_t orig = rd32(body, swap);
            check_record(linktypes[0], body + 4, orig < len - 16 ? orig : len - 16, orig);
        }
        off += len;
    }
    return off == n;
}

static void read_capture(const char *path)
{
    FILE *fp = fopen(path, "rb");
    uint8_t *b = NULL;
    long n;

    capture_name = path;
    capture_frame = 0;
    if (!CHECK(fp != NULL))
        return;
    if (fseek(fp, 0, SEEK_END) == 0 && (n = ftell(fp)) > 0 && fseek(fp, 0, SEEK_SET) == 0 &&
        (b = malloc((size_t)n)) != NULL && fread(b, 1, (size_t)n, fp) == (size_t)n) {
        bool ng = n >= 4 && rd32(b, false) == 0x0a0d0d0a;
        if (!CHECK(ng ? read_pcapng(b, (size_t)n) : read_pcap(b, (size_t)n)))
            fprintf(stderr, "     %s: not a capture this test reads\n", path);
    } else {
        CHECK(!"capture read");
    }
    free(b);
    fclose(fp);
}

static bool is_capture(const char *name)
{
    size_t n = strlen(name);
    return (n > 5 && strcmp(name + n - 5, ".pcap") == 0) ||
           (n > 7 && strcmp(name + n - 7, ".pcapng") == 0);
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

/* Every capture under dir, in a fixed order (the random stream depends on it). */
static unsigned read_tree(const char *dir)
{
    struct dirent **list;
    unsigned found = 0;
    int n, i;

    n = scandir(dir, &list, NULL, by_name);
    for (i = 0; i < n; i++) {
        char path[4096];
        struct stat st;
        const char *name = list[i]->d_name;

        if (name[0] != '.' && snprintf(path, sizeof path, "%s/%s", dir, name) < (int)sizeof path &&
            stat(path, &st) == 0) {
            if (S_ISDIR(st.st_mode)) {
                found += read_tree(path);
            } else if (S_ISREG(st.st_mode) && is_capture(name)) {
                read_capture(path);
                found++;
            }
        }
        free(list[i]);
    }
    free(n >= 0 ? list : NULL);
    return found;
}

int main(int argc, char **argv)
{
    unsigned captures;

    if (argc < 2) {
        fprintf(stderr, "usage: %s TESTCAPTURES_DIR [SEED]\n", argv[0]);
        return 2;
    }
    rng_state = argc > 2 ? strtoull(argv[2], NULL, 0) : 0x706d747564ULL;
    if (!rng_state)
        rng_state = 1;
    check_test = "every capture, every link type, mutated";
    captures = read_tree(argv[1]);
    printf("%u captures, %lu frames, %lu parses compared, %lu of them common frames\n",
           captures, frames_read, parses, common_frames);
    /* The corpus holds the real captures and the short path's frames. */
    CHECK(captures >= 50);
    CHECK(common_frames >= 1000);
    return check_done();
}
