/* pmtud_bench_gen.c
 * Writes a large, realistic-looking Ethernet pcap for benchmarking pmtud:
 * bulk TCP over many concurrent flows in both directions, with a sprinkling
 * of ICMP "fragmentation needed" and a few oversize frames.
 *
 * Why C: the benchmark wants a million frames and more; a C writer produces
 * them in a couple of seconds, so the captures can be rebuilt on the fly
 * instead of living in the repository (1M frames is about 1 GB).
 *
 * What the capture holds (the point of capture sees the wire segments):
 *  - FLOWS concurrent TCP connections (default 200) between clients in
 *    10.1.0.0/16 and servers in 198.18.0.0/15 (the benchmarking range).
 *    Even flows upload (client sends), odd flows download (server sends).
 *    A finished flow is replaced by a new one, so handshakes and FINs
 *    happen all through the capture.
 *  - Handshakes with MSS 1460, window scale and SACK-permitted options, no
 *    timestamps, so data segments carry exactly 1460 bytes (IP length 1500).
 *  - The receiver ACKs every second segment (delayed ACK) with the right
 *    acknowledgement number; each sender's IPv4 ID increments per packet
 *    (Linux does so per socket for DF packets); all packets have DF set.
 *  - IPv4 header, TCP and ICMP checksums are computed, so the capture also
 *    passes Wireshark's optional checksum validation.
 *  - The server port is 5201 (iperf3), which Wireshark 4.0 has no dissector
 *    for: the payload is opaque, as encrypted bulk data would be. That keeps
 *    the baseline cheap, which is the strict case for measuring pmtud's
 *    relative cost (a TLS-dissecting baseline would hide it).
 *  - About every ICMP_EVERY frames (default 2000) one event:
 *      50%  a router answers with ICMP type 3 code 4, MTU 1500, quoting a
 *           2960-byte packet: the flow's two preceding segments merged (the
 *           GRO/offload artefact pmtud exists to explain);
 *      30%  a legitimate MTU 1400 quoting a real 1500-byte packet; the
 *           sender then drops its segments to 1360 bytes, as PMTUD would;
 *      20%  an oversize frame (IP length 2960, TSO/GRO seen at the capture
 *           point), half of them quoted by an ICMP citing MTU 1500.
 *    The ICMP shows up 1 to 16 frames after what it quotes, and quotes as
 *    much as an RFC 1812 router does (576 bytes of ICMP datagram in all).
 *
 * The output is deterministic for a given seed and frame count.
 *
 * Usage: pmtud_bench_gen -n FRAMES -o OUT.pcap [-f FLOWS] [-e ICMP_EVERY] [-s SEED]
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _POSIX_C_SOURCE 200809L   /* getopt with -std=c11 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/gen_util.h"

#define MSS_DEFAULT   1460u
#define MSS_REDUCED   1360u      /* after a legitimate MTU 1400 */
#define ETH_LEN       14u
#define IP_LEN        20u
#define TCP_LEN       20u
#define SYN_OPT_LEN   12u        /* MSS, NOP+WS, NOP NOP SACK-permitted */
#define ICMP_QUOTE    548u       /* 576 - IP header - ICMP header */
#define MAX_FRAME     (ETH_LEN + IP_LEN + TCP_LEN + 2 * MSS_DEFAULT)

/* --- flows --------------------------------------------------------------- */

typedef struct {
    uint8_t  mac[6];
    uint8_t  ip[4];
    uint16_t port;
    uint32_t isn;
    uint32_t nxt;                /* next sequence number this side sends */
    uint16_t ip_id;
} side_t;

enum { ST_SYN, ST_SYNACK, ST_ACK, ST_DATA, ST_FIN1, ST_FIN2, ST_FIN3 };

typedef struct {
    uint32_t gen;                /* unique per connection: payload key, checks */
    int      state;
    int      upload;             /* 1: client sends the data */
    side_t   c, s;
    uint32_t seg;                /* current segment size */
    uint64_t left;               /* payload bytes still to send */
    int      unacked;            /* segments since the receiver's last ACK */
    /* The last two data segments, for ICMP quotes. */
    uint32_t last_seq[2], last_len[2];
    uint16_t last_id[2];
    int      n_last;
} flow_t;

static flow_t *flows;
static uint32_t n_flows;
static uint32_t next_gen = 1;
static uint16_t next_port = 32768;

static void new_flow(flow_t *f)
{
    uint32_t client = rnd(4000), server = rnd(64);

    memset(f, 0, sizeof *f);
    f->gen = next_gen++;
    f->upload = (f->gen & 1) == 0;
    f->state = ST_SYN;
    f->seg = MSS_DEFAULT;
    /* 100 to 3000 full segments (0.15 to 4.4 MB): with 200 slots, some
     * 600 connections per million frames, so handshakes keep coming. */
    f->left = (uint64_t)(100 + rnd(2900)) * MSS_DEFAULT;
    f->c.ip[0] = 10; f->c.ip[1] = 1; f->c.ip[2] = (uint8_t)(client >> 8); f->c.ip[3] = (uint8_t)(1 + (client & 0xfe));
    f->s.ip[0] = 198; f->s.ip[1] = 18; f->s.ip[2] = (uint8_t)(server >> 4); f->s.ip[3] = (uint8_t)(10 + (server & 15));
    /* Locally administered MACs derived from the addresses. */
    f->c.mac[0] = 0x02; memcpy(f->c.mac + 2, f->c.ip, 4);
    f->s.mac[0] = 0x02; f->s.mac[1] = 0xfe; memcpy(f->s.mac + 2, f->s.ip, 4);
    f->c.port = next_port;
    next_port = next_port >= 60999 ? 32768 : (uint16_t)(next_port + 1);
    f->s.port = 5201;
    f->c.isn = (uint32_t)rnd64();
    f->s.isn = (uint32_t)rnd64();
    f->c.nxt = f->c.isn;
    f->s.nxt = f->s.isn;
    f->c.ip_id = (uint16_t)rnd64();
    f->s.ip_id = (uint16_t)rnd64();
}

/* --- checksums ----------------------------------------------------------- */

static void ip_checksum(uint8_t *ip)
{
    ip[10] = ip[11] = 0;
    put16(ip + 10, fold(sum16(ip, IP_LEN, 0)));
}

/* --- payload ------------------------------------------------------------- */

/* Byte o of a connection's stream in one direction: looks random, but is a
 * pure function of its position, so an ICMP quote built later from the same
 * sequence number holds the same bytes as the frame it quotes. */
static void fill_payload(uint8_t *p, uint32_t key, uint32_t off, uint32_t len)
{
    uint32_t i;
    for (i = 0; i < len; i++) {
        uint32_t x = (off + i) ^ key;
        x *= 0x9e3779b1u;
        x ^= x >> 15;
        p[i] = (uint8_t)(x >> 7);
    }
}

static uint32_t stream_key(const flow_t *f, const side_t *from)
{
    return (f->gen * 0x85ebca6bu) ^ (from == &f->c ? 0x1234567u : 0x7654321u);
}

/* --- frames -------------------------------------------------------------- */

static FILE *out;
static uint64_t frames_written, frames_wanted;
static uint64_t ts_us;
static uint8_t frame[MAX_FRAME + 64];

static struct {
    uint64_t syn, fin, data, ack, oversize, icmp_merged, icmp_legit, icmp_oversize, conns;
} stats;

static void write_frame(const uint8_t *buf, uint32_t len)
{
    uint8_t hdr[16];
    uint32_t sec = (uint32_t)(ts_us / 1000000u), usec = (uint32_t)(ts_us % 1000000u);

    /* pcap record headers are in the writer's byte order: little-endian. */
    memcpy(hdr, &sec, 4);
    memcpy(hdr + 4, &usec, 4);
    memcpy(hdr + 8, &len, 4);
    memcpy(hdr + 12, &len, 4);
    if (fwrite(hdr, sizeof hdr, 1, out) != 1 || fwrite(buf, len, 1, out) != 1) {
        fprintf(stderr, "pmtud_bench_gen: write failed: %s\n", strerror(errno));
        exit(1);
    }
    frames_written++;
    /* Back to back on a fast link, with some jitter. */
    ts_us += 3 + rnd(12);
}

/* Builds Ethernet + IPv4 + TCP from one side of a flow to the other; the
 * payload comes from the stream at seq. Returns the frame length. */
static uint32_t build_tcp(uint8_t *buf, const flow_t *f, side_t *from, const side_t *to,
                          uint32_t seq, uint32_t ack, uint8_t flags, uint32_t plen, int syn_opts)
{
    uint8_t *ip = buf + ETH_LEN, *tcp = ip + IP_LEN, *pay;
    uint32_t thl = TCP_LEN + (syn_opts ? SYN_OPT_LEN : 0);
    uint32_t ip_len = IP_LEN + thl + plen, sum;

    memcpy(buf, to->mac, 6);
    memcpy(buf + 6, from->mac, 6);
    put16(buf + 12, 0x0800);

    ip[0] = 0x45; ip[1] = 0;
    put16(ip + 2, ip_len);
    put16(ip + 4, from->ip_id++);
    put16(ip + 6, 0x4000);           /* DF */
    ip[8] = 64; ip[9] = 6;
    memcpy(ip + 12, from->ip, 4);
    memcpy(ip + 16, to->ip, 4);
    ip_checksum(ip);

    put16(tcp, from->port);
    put16(tcp + 2, to->port);
    put32(tcp + 4, seq);
    put32(tcp + 8, ack);
    tcp[12] = (uint8_t)((thl / 4) << 4);
    tcp[13] = flags;
    /* Window scale 7 was offered: 2048 << 7 = 256 KiB of window. */
    put16(tcp + 14, syn_opts ? 64240 : 2048);
    tcp[16] = tcp[17] = 0;
    put16(tcp + 18, 0);
    if (syn_opts) {
        uint8_t *o = tcp + TCP_LEN;
        o[0] = 2; o[1] = 4; put16(o + 2, MSS_DEFAULT);
        o[4] = 1; o[5] = 3; o[6] = 3; o[7] = 7;
        o[8] = 1; o[9] = 1; o[10] = 4; o[11] = 2;
    }
    pay = tcp + thl;
    if (plen)
        fill_payload(pay, stream_key(f, from), seq - from->isn - 1, plen);

    /* TCP checksum over the pseudo-header, header and payload. */
    sum = sum16(ip + 12, 8, 0) + 6 + (thl + plen);
    sum = sum16(tcp, thl + plen, sum);
    put16(tcp + 16, fold(sum));
    return ETH_LEN + ip_len;
}

/* --- ICMP ---------------------------------------------------------------- */

typedef struct {
    int      armed;
    uint64_t at;                 /* emit once this many frames are written */
    uint32_t len;
    uint8_t  buf[ETH_LEN + IP_LEN + 8 + ICMP_QUOTE];
    flow_t  *reduce;             /* legitimate: this flow shrinks its segments */
    uint32_t reduce_gen;
} pending_t;

static pending_t pending;
static uint16_t router_id = 1;

/* Builds the ICMP frag-needed a router sends back to the data sender; the
 * quote is the first ICMP_QUOTE bytes of the (possibly merged) packet whose
 * IP length is quoted_len and whose headers are those of the segment at seq. */
static void arm_icmp(flow_t *f, uint32_t seq, uint16_t ip_id, uint32_t quoted_len, uint32_t mtu)
{
    side_t *snd = f->upload ? &f->c : &f->s, *rcv = f->upload ? &f->s : &f->c;
    uint8_t seg[MAX_FRAME];
    uint8_t *b = pending.buf, *ip = b + ETH_LEN, *icmp = ip + IP_LEN, *q = icmp + 8;
    uint16_t saved_id = snd->ip_id;
    uint32_t qlen = quoted_len < ICMP_QUOTE ? quoted_len : ICMP_QUOTE;
    uint32_t router = 1 + rnd(4);
    uint32_t plen = quoted_len - IP_LEN - TCP_LEN;

    /* Rebuild the quoted packet: same headers (IP ID included), the
     * router's view of the length, payload from the stream. */
    snd->ip_id = ip_id;
    build_tcp(seg, f, snd, rcv, seq, rcv->nxt, 0x18, plen, 0);
    snd->ip_id = saved_id;
    put16(seg + ETH_LEN + 2, quoted_len);
    ip_checksum(seg + ETH_LEN);

    memcpy(b, snd->mac, 6);
    b[6] = 0x02; b[7] = 0xaa; b[8] = 203; b[9] = 0; b[10] = 113; b[11] = (uint8_t)router;
    put16(b + 12, 0x0800);
    ip[0] = 0x45; ip[1] = 0xc0;      /* internetwork control, as routers send */
    put16(ip + 2, IP_LEN + 8 + qlen);
    put16(ip + 4, router_id++);
    put16(ip + 6, 0);
    ip[8] = 254; ip[9] = 1;
    ip[12] = 203; ip[13] = 0; ip[14] = 113; ip[15] = (uint8_t)router;
    memcpy(ip + 16, snd->ip, 4);
    ip_checksum(ip);
    icmp[0] = 3; icmp[1] = 4;
    icmp[2] = icmp[3] = 0;
    icmp[4] = icmp[5] = 0;
    put16(icmp + 6, mtu);
    memcpy(q, seg + ETH_LEN, qlen);
    put16(icmp + 2, fold(sum16(icmp, 8 + qlen, 0)));

    pending.len = ETH_LEN + IP_LEN + 8 + qlen;
    pending.armed = 1;
    pending.at = frames_written + 1 + rnd(16);
    pending.reduce = NULL;
}

static void emit_pending(void)
{
    write_frame(pending.buf, pending.len);
    pending.armed = 0;
    /* The sender learns the smaller MTU only when the ICMP arrives. */
    if (pending.reduce && pending.reduce->gen == pending.reduce_gen &&
        pending.reduce->seg > MSS_REDUCED)
        pending.reduce->seg = MSS_REDUCED;
}

/* --- one step of one flow ------------------------------------------------ */

static void remember_segment(flow_t *f, uint32_t seq, uint32_t len, uint16_t id)
{
    f->last_seq[0] = f->last_seq[1]; f->last_len[0] = f->last_len[1]; f->last_id[0] = f->last_id[1];
    f->last_seq[1] = seq; f->last_len[1] = len; f->last_id[1] = id;
    if (f->n_last < 2)
        f->n_last++;
}

static void send_data(flow_t *f, uint32_t len)
{
    side_t *snd = f->upload ? &f->c : &f->s, *rcv = f->upload ? &f->s : &f->c;
    uint16_t id = snd->ip_id;
    uint32_t n = build_tcp(frame, f, snd, rcv, snd->nxt, rcv->nxt, 0x18, len, 0);

    remember_segment(f, snd->nxt, len, id);
    snd->nxt += len;
    f->left = f->left > len ? f->left - len : 0;
    f->unacked++;
    write_frame(frame, n);
    stats.data++;
}

static void step(flow_t *f)
{
    side_t *snd = f->upload ? &f->c : &f->s, *rcv = f->upload ? &f->s : &f->c;
    uint32_t n;

    switch (f->state) {
    case ST_SYN:
        n = build_tcp(frame, f, &f->c, &f->s, f->c.isn, 0, 0x02, 0, 1);
        f->c.nxt = f->c.isn + 1;
        f->state = ST_SYNACK;
        stats.syn++;
        stats.conns++;
        break;
    case ST_SYNACK:
        n = build_tcp(frame, f, &f->s, &f->c, f->s.isn, f->c.nxt, 0x12, 0, 1);
        f->s.nxt = f->s.isn + 1;
        f->state = ST_ACK;
        break;
    case ST_ACK:
        n = build_tcp(frame, f, &f->c, &f->s, f->c.nxt, f->s.nxt, 0x10, 0, 0);
        f->state = ST_DATA;
        stats.ack++;
        break;
    case ST_DATA:
        if (f->unacked >= 2 || (f->left == 0 && f->unacked > 0)) {
            /* Delayed ACK: one for every second segment. */
            n = build_tcp(frame, f, rcv, snd, rcv->nxt, snd->nxt, 0x10, 0, 0);
            f->unacked = 0;
            stats.ack++;
            break;
        }
        if (f->left == 0) {
            f->state = ST_FIN1;
            step(f);
            return;
        }
        send_data(f, f->left < f->seg ? (uint32_t)f->left : f->seg);
        return;
    case ST_FIN1:
        n = build_tcp(frame, f, snd, rcv, snd->nxt, rcv->nxt, 0x11, 0, 0);
        snd->nxt++;
        f->state = ST_FIN2;
        stats.fin++;
        break;
    case ST_FIN2:
        n = build_tcp(frame, f, rcv, snd, rcv->nxt, snd->nxt, 0x11, 0, 0);
        rcv->nxt++;
        f->state = ST_FIN3;
        break;
    default:
        n = build_tcp(frame, f, snd, rcv, snd->nxt, rcv->nxt, 0x10, 0, 0);
        new_flow(f);             /* the slot takes a fresh connection */
        stats.ack++;
        break;
    }
    write_frame(frame, n);
}

/* --- events -------------------------------------------------------------- */

/* A flow in bulk transfer whose last two segments are full-sized and
 * contiguous, and that will send at least two more. */
static flow_t *pick_bulk_flow(uint32_t want_seg)
{
    int tries;
    for (tries = 0; tries < 64; tries++) {
        flow_t *f = &flows[rnd(n_flows)];
        if (f->state == ST_DATA && f->n_last == 2 && f->unacked < 2 &&
            f->left >= 4ull * MSS_DEFAULT &&
            (want_seg == 0 || f->seg == want_seg) &&
            f->last_len[0] == f->seg && f->last_len[1] == f->seg &&
            f->last_seq[0] + f->last_len[0] == f->last_seq[1])
            return f;
    }
    return NULL;
}

static void event(void)
{
    uint32_t kind = rnd(10);
    flow_t *f;

    if (kind < 5) {
        /* GRO merged the two last segments; the router rejects the merge. */
        if (!(f = pick_bulk_flow(0)))
            return;
        arm_icmp(f, f->last_seq[0], f->last_id[0],
                 IP_LEN + TCP_LEN + f->last_len[0] + f->last_len[1], 1500);
        stats.icmp_merged++;
    } else if (kind < 8) {
        /* A real 1400-byte link: the router rejects a real 1500 packet. */
        if (!(f = pick_bulk_flow(MSS_DEFAULT)))
            return;
        arm_icmp(f, f->last_seq[1], f->last_id[1], IP_LEN + TCP_LEN + f->last_len[1], 1400);
        pending.reduce = f;
        pending.reduce_gen = f->gen;
        stats.icmp_legit++;
    } else {
        /* TSO/GRO at the capture point: one 2960-byte frame on the wire. */
        if (!(f = pick_bulk_flow(MSS_DEFAULT)))
            return;
        send_data(f, 2 * MSS_DEFAULT);
        stats.oversize++;
        if (kind == 9) {
            arm_icmp(f, f->last_seq[1], f->last_id[1], IP_LEN + TCP_LEN + 2 * MSS_DEFAULT, 1500);
            stats.icmp_oversize++;
        }
    }
}

/* --- main ---------------------------------------------------------------- */

static void usage(void)
{
    fprintf(stderr, "usage: pmtud_bench_gen -n FRAMES -o OUT.pcap [-f FLOWS] [-e ICMP_EVERY] [-s SEED]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    const char *path = NULL;
    uint32_t every = 2000, i;
    uint64_t next_event;
    int opt;
    static char iobuf[1 << 22];
    struct {
        uint32_t magic;
        uint16_t major, minor;
        int32_t  thiszone;
        uint32_t sigfigs, snaplen, linktype;
    } gh = { 0xa1b2c3d4u, 2, 4, 0, 0, 262144, 1 /* Ethernet */ };

    n_flows = 200;
    while ((opt = getopt(argc, argv, "n:o:f:e:s:")) != -1) {
        switch (opt) {
        case 'n': frames_wanted = strtoull(optarg, NULL, 10); break;
        case 'o': path = optarg; break;
        case 'f': n_flows = (uint32_t)strtoul(optarg, NULL, 10); break;
        case 'e': every = (uint32_t)strtoul(optarg, NULL, 10); break;
        case 's': rng_state ^= strtoull(optarg, NULL, 10) * 0x9e3779b97f4a7c15ull; break;
        default: usage();
        }
    }
    if (!path || frames_wanted == 0 || n_flows == 0 || every == 0)
        usage();
    out = fopen(path, "wb");
    if (!out) {
        fprintf(stderr, "pmtud_bench_gen: %s: %s\n", path, strerror(errno));
        return 1;
    }
    setvbuf(out, iobuf, _IOFBF, sizeof iobuf);
    /* Written in host order; every reader accepts either byte order. */
    if (fwrite(&gh, sizeof gh, 1, out) != 1)
        return 1;

    ts_us = 1704103200ull * 1000000u;   /* 2024-01-01 10:00 UTC */
    flows = calloc(n_flows, sizeof *flows);
    if (!flows)
        return 1;
    for (i = 0; i < n_flows; i++)
        new_flow(&flows[i]);

    next_event = every / 2 + rnd(every);
    while (frames_written < frames_wanted) {
        if (pending.armed && frames_written >= pending.at) {
            emit_pending();
            continue;
        }
        if (frames_written >= next_event && !pending.armed) {
            event();
            next_event = frames_written + every / 2 + rnd(every);
            continue;
        }
        step(&flows[rnd(n_flows)]);
    }
    if (fclose(out) != 0) {
        fprintf(stderr, "pmtud_bench_gen: %s: %s\n", path, strerror(errno));
        return 1;
    }
    printf("%s: %llu frames, %llu connections, %llu data segments, %llu pure ACKs, "
           "%llu FINs, %llu oversize frames, ICMP frag-needed: %llu merged-2960, "
           "%llu legitimate-1400, %llu quoting an oversize frame\n",
           path, (unsigned long long)frames_written, (unsigned long long)stats.conns,
           (unsigned long long)stats.data, (unsigned long long)stats.ack,
           (unsigned long long)stats.fin, (unsigned long long)stats.oversize,
           (unsigned long long)stats.icmp_merged, (unsigned long long)stats.icmp_legit,
           (unsigned long long)stats.icmp_oversize);
    return 0;
}
