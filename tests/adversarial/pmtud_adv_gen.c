/* pmtud_adv_gen.c
 * Writes adversarial Ethernet/IPv4 pcaps for pmtud: captures shaped to
 * hit the worst case of each of its bounded structures rather than to look
 * like real traffic.
 *
 *   icmp-nocap  N ICMP "fragmentation needed" (type 3 code 4, MTU 1400),
 *               each quoting a TCP packet of a different flow that was
 *               never captured: every one is a per-frame report (until
 *               pmtud.max_reports) and a row of `-z pmtud,flows`.
 *   flows       N distinct TCP flows, one 100-byte data segment each:
 *               the index and the black-hole table churn on every frame.
 *   one-flow    one TCP flow of N 100-byte data segments: one bucket
 *               chain as long as the whole index.
 *   collide     quotes that all hash alike. Flows whose hash falls in
 *               the same bucket are found by brute force with the very
 *               function (plugin/pmtud_index.c, pmtud_flow_hash), compiled
 *               from the plugin's source, under key 0: what an attacker
 *               who knew pmtud's key would write. The plugin keys the hash
 *               with a random key per process (pmtud_flow_hash_set_key),
 *               so against it these flows spread like any others; before
 *               the key existed this was the worst case. First WINDOW data frames: about one in
 *               16 (at random spacing, so the chain is not walked in cache
 *               order) belongs to a colliding flow -- about WINDOW/16 of
 *               them, as many as pmtud searches (8192 bucket entries per
 *               search at the default window) -- the others are fillers
 *               of distinct, non-colliding flows. Then ICMPs up to N,
 *               each quoting one of the 64 oldest colliding flows, with a
 *               quoted length 1460 bytes above the wire packet: the search
 *               walks the whole chain to find it, and the covered-frames
 *               search walks it once more.
 *
 * Usage: pmtud_adv_gen -m MODE -n FRAMES -o OUT.pcap [-w WINDOW] [-s SEED]
 *        pmtud_adv_gen -S       (prints sizes of pmtud's structures)
 *
 * WINDOW is pmtud.window (default 131072); the collisions are on the low
 * bits of the hash that pick the bucket at that window, so they also
 * collide at every smaller window.
 *
 * Build: cc -O2 -I plugin tests/adversarial/pmtud_adv_gen.c plugin/pmtud_index.c
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../lib/gen_util.h"
#include "pmtud_index.h"
#include "pmtud_analyze.h"

#define ETH_LEN   14u
#define IP_LEN    20u
#define TCP_LEN   20u
#define PAYLOAD   100u            /* data segments of flows / one-flow / collide */
#define QUOTE_PAY 16u             /* payload bytes an ICMP quotes */

/* --- output ---------------------------------------------------------------- */

static FILE *out;
static uint64_t frames_written;
static uint64_t ts_us = 1704103200ull * 1000000u;

static void write_frame(const uint8_t *buf, uint32_t len)
{
    uint8_t hdr[16];
    uint32_t sec = (uint32_t)(ts_us / 1000000u), usec = (uint32_t)(ts_us % 1000000u);

    memcpy(hdr, &sec, 4);
    memcpy(hdr + 4, &usec, 4);
    memcpy(hdr + 8, &len, 4);
    memcpy(hdr + 12, &len, 4);
    if (fwrite(hdr, sizeof hdr, 1, out) != 1 || fwrite(buf, len, 1, out) != 1) {
        fprintf(stderr, "pmtud_adv_gen: write failed: %s\n", strerror(errno));
        exit(1);
    }
    frames_written++;
    ts_us += 10;
}

/* --- packets --------------------------------------------------------------- */

typedef struct {
    uint8_t  src[4], dst[4];
    uint16_t sport, dport;
    uint32_t seq;
    uint16_t ip_id;
} tcpflow_t;

/* IPv4 + TCP (ACK|PSH) of ip_len bytes in all; only the first `cap` bytes
 * are written to buf (a quote need not hold the whole packet). The TCP
 * checksum is computed over what is written when the whole packet is. */
static uint32_t build_ip_tcp(uint8_t *ip, const tcpflow_t *f, uint32_t ip_len, uint32_t cap)
{
    uint8_t *tcp = ip + IP_LEN;
    uint32_t plen = ip_len - IP_LEN - TCP_LEN, i, n;

    ip[0] = 0x45; ip[1] = 0;
    put16(ip + 2, ip_len);
    put16(ip + 4, f->ip_id);
    put16(ip + 6, 0x4000);
    ip[8] = 64; ip[9] = 6;
    ip[10] = ip[11] = 0;
    memcpy(ip + 12, f->src, 4);
    memcpy(ip + 16, f->dst, 4);
    put16(ip + 10, fold(sum16(ip, IP_LEN, 0)));

    put16(tcp, f->sport);
    put16(tcp + 2, f->dport);
    put32(tcp + 4, f->seq);
    put32(tcp + 8, 1);
    tcp[12] = (uint8_t)((TCP_LEN / 4) << 4);
    tcp[13] = 0x18;
    put16(tcp + 14, 2048);
    tcp[16] = tcp[17] = 0;
    put16(tcp + 18, 0);
    n = cap < ip_len ? cap : ip_len;
    for (i = IP_LEN + TCP_LEN; i < n; i++)
        ip[i] = (uint8_t)((f->seq + i) * 0x9du ^ f->sport);
    if (n == ip_len) {
        uint32_t sum = sum16(ip + 12, 8, 0) + 6 + (TCP_LEN + plen);
        put16(tcp + 16, fold(sum16(tcp, TCP_LEN + plen, sum)));
    }
    return n;
}

static const uint8_t mac_a[6] = { 0x02, 0, 0, 0, 0, 0x0a };
static const uint8_t mac_b[6] = { 0x02, 0, 0, 0, 0, 0x0b };

static void eth(uint8_t *b, const uint8_t *dst, const uint8_t *src)
{
    memcpy(b, dst, 6);
    memcpy(b + 6, src, 6);
    put16(b + 12, 0x0800);
}

static void emit_data(const tcpflow_t *f, uint32_t payload)
{
    uint8_t buf[ETH_LEN + 1500];
    uint32_t ip_len = IP_LEN + TCP_LEN + payload;

    eth(buf, mac_b, mac_a);
    build_ip_tcp(buf + ETH_LEN, f, ip_len, ip_len);
    write_frame(buf, ETH_LEN + ip_len);
}

/* An ICMP frag-needed from a router to f's sender, quoting f's packet as
 * an IP packet of quoted_len bytes (IP + TCP header + QUOTE_PAY bytes). */
static void emit_icmp(const tcpflow_t *f, uint32_t quoted_len, uint32_t mtu)
{
    uint8_t buf[ETH_LEN + IP_LEN + 8 + IP_LEN + TCP_LEN + QUOTE_PAY];
    uint8_t *ip = buf + ETH_LEN, *icmp = ip + IP_LEN, *q = icmp + 8;
    uint32_t qlen;
    static uint16_t router_id;

    eth(buf, mac_a, mac_b);
    qlen = build_ip_tcp(q, f, quoted_len, IP_LEN + TCP_LEN + QUOTE_PAY);
    ip[0] = 0x45; ip[1] = 0xc0;
    put16(ip + 2, IP_LEN + 8 + qlen);
    put16(ip + 4, router_id++);
    put16(ip + 6, 0);
    ip[8] = 254; ip[9] = 1;
    ip[10] = ip[11] = 0;
    ip[12] = 203; ip[13] = 0; ip[14] = 113; ip[15] = 1;
    memcpy(ip + 16, f->src, 4);
    put16(ip + 10, fold(sum16(ip, IP_LEN, 0)));
    icmp[0] = 3; icmp[1] = 4;
    icmp[2] = icmp[3] = 0;
    icmp[4] = icmp[5] = 0;
    put16(icmp + 6, mtu);
    put16(icmp + 2, fold(sum16(icmp, 8 + qlen, 0)));
    write_frame(buf, ETH_LEN + IP_LEN + 8 + qlen);
}

/* Flow number i, all distinct for i < 2^32: sender 10.x.y.z, receiver
 * 198.18.0.0/15, ports from the low bits. */
static void distinct_flow(tcpflow_t *f, uint64_t i, uint8_t space)
{
    memset(f, 0, sizeof *f);
    f->src[0] = 10; f->src[1] = space; f->src[2] = (uint8_t)(i >> 24); f->src[3] = (uint8_t)(i >> 16);
    f->dst[0] = 198; f->dst[1] = 18; f->dst[2] = 0; f->dst[3] = 1;
    f->sport = (uint16_t)(1024 + (i & 0x7fff));
    f->dport = (uint16_t)(443 + ((i >> 15) & 1));
    f->seq = (uint32_t)rnd64();
    f->ip_id = (uint16_t)rnd64();
}

/* The key pmtud hashes, exactly as pmtud_flow_of_ip() builds it. */
static void pmtud_key(const tcpflow_t *f, pmtud_flow_t *k)
{
    memset(k, 0, sizeof *k);
    k->family = 4;
    k->proto = 6;
    k->sport = f->sport;
    k->dport = f->dport;
    memcpy(k->src, f->src, 4);
    memcpy(k->dst, f->dst, 4);
}

static uint32_t flow_hash(const tcpflow_t *f)
{
    pmtud_flow_t k;
    pmtud_key(f, &k);
    return pmtud_flow_hash(&k);
}

/* --- modes ----------------------------------------------------------------- */

static void mode_icmp_nocap(uint64_t n)
{
    uint64_t i;
    tcpflow_t f;
    for (i = 0; i < n; i++) {
        distinct_flow(&f, i, 1);
        emit_icmp(&f, 1500, 1400);
    }
}

static void mode_flows(uint64_t n)
{
    uint64_t i;
    tcpflow_t f;
    for (i = 0; i < n; i++) {
        distinct_flow(&f, i, 2);
        emit_data(&f, PAYLOAD);
    }
}

static void mode_one_flow(uint64_t n)
{
    uint64_t i;
    tcpflow_t f;
    distinct_flow(&f, 0, 3);
    for (i = 0; i < n; i++) {
        emit_data(&f, PAYLOAD);
        f.seq += PAYLOAD;
        f.ip_id++;
    }
}

static void mode_collide(uint64_t n, uint32_t window)
{
    uint32_t size = 1024, mask, target, want, found = 0, tries_per_hit;
    uint64_t cand, tried = 0, data = 0, filler = 0, i;
    tcpflow_t *coll, f;
    time_t t0 = time(NULL);

    while (size < window && size < (1u << 30))
        size <<= 1;
    mask = size - 1;
    want = size / 16;                 /* as many as one search looks at (8192 at 131072) */
    if (want > 8192)
        want = 8192;
    coll = calloc(want, sizeof *coll);
    if (!coll)
        exit(1);

    /* Brute force: the bucket of the first candidate is the target. */
    distinct_flow(&f, 0, 4);
    target = flow_hash(&f) & mask;
    for (cand = 0; found < want; cand++) {
        distinct_flow(&f, cand, 4);
        tried++;
        if ((flow_hash(&f) & mask) == target)
            coll[found++] = f;
        if (cand == 0xffffffffull) {
            fprintf(stderr, "pmtud_adv_gen: ran out of candidates\n");
            exit(1);
        }
    }
    tries_per_hit = (uint32_t)(tried / found);
    fprintf(stderr, "collide: %u flows in bucket %#x of %u (hash & %#x), %llu candidates "
            "hashed (%u per hit), %lds\n", found, target, size, mask,
            (unsigned long long)tried, tries_per_hit, (long)(time(NULL) - t0));

    /* Phase 1: the colliding flows' data among fillers, all inside the index. */
    for (i = 0; i < found && data + 32 < size; i++) {
        uint32_t fill = rnd(31), k;
        emit_data(&coll[i], PAYLOAD);
        data++;
        for (k = 0; k < fill && data + 32 < size && frames_written < n; k++) {
            do
                distinct_flow(&f, filler++, 5);
            while ((flow_hash(&f) & mask) == target);
            emit_data(&f, PAYLOAD);
            data++;
        }
        if (frames_written >= n)
            break;
    }
    found = (uint32_t)i;   /* the colliding flows actually sent */
    fprintf(stderr, "collide: %llu data frames, %u of them in the colliding bucket\n",
            (unsigned long long)data, found);
    /* Phase 2: ICMPs quoting the oldest colliding flows, claiming a merge. */
    for (i = 0; frames_written < n; i++) {
        const tcpflow_t *q = &coll[i % (found < 64 ? found : 64)];
        emit_icmp(q, IP_LEN + TCP_LEN + PAYLOAD + 1460, 1500);
    }
    free(coll);
}

static void print_sizes(void)
{
    printf("sizeof(pmtud_rec_t) %zu\n", sizeof(pmtud_rec_t));
    printf("sizeof(pmtud_icmp_result_t) %zu\n", sizeof(pmtud_icmp_result_t));
    printf("sizeof(pmtud_oversize_t) %zu\n", sizeof(pmtud_oversize_t));
    printf("sizeof(pmtud_blackhole_t) %zu\n", sizeof(pmtud_blackhole_t));
}

static void usage(void)
{
    fprintf(stderr, "usage: pmtud_adv_gen -m icmp-nocap|flows|one-flow|collide -n FRAMES -o OUT.pcap "
            "[-w WINDOW] [-s SEED]\n       pmtud_adv_gen -S\n");
    exit(2);
}

int main(int argc, char **argv)
{
    const char *path = NULL, *mode = NULL;
    uint64_t n = 0;
    uint32_t window = 131072;
    int opt;
    static char iobuf[1 << 22];
    struct {
        uint32_t magic;
        uint16_t major, minor;
        int32_t  thiszone;
        uint32_t sigfigs, snaplen, linktype;
    } gh = { 0xa1b2c3d4u, 2, 4, 0, 0, 262144, 1 };

    while ((opt = getopt(argc, argv, "m:n:o:w:s:S")) != -1) {
        switch (opt) {
        case 'm': mode = optarg; break;
        case 'n': n = strtoull(optarg, NULL, 10); break;
        case 'o': path = optarg; break;
        case 'w': window = (uint32_t)strtoul(optarg, NULL, 10); break;
        case 's': rng_state ^= strtoull(optarg, NULL, 10) * 0x9e3779b97f4a7c15ull; break;
        case 'S': print_sizes(); return 0;
        default: usage();
        }
    }
    if (!path || !mode || n == 0 || window == 0)
        usage();
    out = fopen(path, "wb");
    if (!out) {
        fprintf(stderr, "pmtud_adv_gen: %s: %s\n", path, strerror(errno));
        return 1;
    }
    setvbuf(out, iobuf, _IOFBF, sizeof iobuf);
    if (fwrite(&gh, sizeof gh, 1, out) != 1)
        return 1;
    if (strcmp(mode, "icmp-nocap") == 0)
        mode_icmp_nocap(n);
    else if (strcmp(mode, "flows") == 0)
        mode_flows(n);
    else if (strcmp(mode, "one-flow") == 0)
        mode_one_flow(n);
    else if (strcmp(mode, "collide") == 0)
        mode_collide(n, window);
    else
        usage();
    if (fclose(out) != 0) {
        fprintf(stderr, "pmtud_adv_gen: %s: %s\n", path, strerror(errno));
        return 1;
    }
    printf("%s: %s, %llu frames\n", path, mode, (unsigned long long)frames_written);
    return 0;
}
