/* pmtud_flowtable.c
 * The rows of -z pmtud,flows and of Statistics > PMTUD > Flows: one per
 * flow, in order of first appearance, found through an open-addressing hash
 * of the flow (an adversarial capture can hold a million affected flows). A
 * row keeps pointers to its ICMP results, not copies: the sender's reaction
 * is settled after the ICMP was tapped, and the row is summarised when it is
 * shown, from the results as they are then. One function summarises a row
 * (pmtud_flowtable_summary: counts, time lost, boxes, action); the CSV prints
 * that summary and the GUI's tree shows it, so the two cannot disagree.
 * Counts come from the vocabulary tables (pmtud_vocab.c); a flow's time lost
 * is the union of its ICMPs' spans and its black holes' (a black hole is
 * complete when confirmed: its span is copied), so one stall is counted once
 * however many ICMPs or black holes it drew. Memory: at most
 * MAX_ICMPS_PER_ROW results and as many black-hole spans per row (the counts
 * go on past it).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "pmtud_flowtable.h"

#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pmtud_messages.h"
#include "pmtud_vocab.h"

#define MAX_ICMPS_PER_ROW 4096   /* results (and black-hole spans) kept per flow; counts go on */

/* Time lost by one ICMP or black hole: from the first transmission that did
 * not get through to the one that did. */
typedef struct {
    int64_t start, end;
} span_t;

typedef struct {
    pmtud_flow_t flow;
    const pmtud_icmp_result_t **icmps;
    unsigned n_icmps, cap_icmps, icmps_seen;
    unsigned oversize_frames;
    uint32_t first_oversize_frame;
    uint32_t largest_oversize;
    unsigned blackholes;        /* confirmed black holes (no ICMP) */
    uint32_t blackhole_mss;     /* largest TCP payload they saw get through, 0 none */
    span_t  *bh_spans;
    unsigned n_bh_spans, cap_bh_spans;
    uint8_t  router[16];
    uint8_t  router_family;
    /* Who merged it: the router of the latest offload verdict (whose address
     * is then router), and the data sender (from an offload verdict, else
     * from an oversize frame). */
    pmtud_box_t router_box, sender_box;
} row_t;

struct pmtud_flowtable {
    row_t    *rows;
    unsigned  n, cap;
    uint32_t *slots;      /* open addressing: row index + 1, 0 empty */
    unsigned  n_slots;    /* power of two, at least twice n */
};

pmtud_flowtable_t *pmtud_flowtable_new(void)
{
    return calloc(1, sizeof(pmtud_flowtable_t));
}

void pmtud_flowtable_reset(pmtud_flowtable_t *t)
{
    unsigned i;
    if (!t)
        return;
    for (i = 0; i < t->n; i++) {
        free(t->rows[i].icmps);
        free(t->rows[i].bh_spans);
    }
    free(t->rows);
    free(t->slots);
    memset(t, 0, sizeof *t);
}

void pmtud_flowtable_free(pmtud_flowtable_t *t)
{
    pmtud_flowtable_reset(t);
    free(t);
}

unsigned pmtud_flowtable_rows(const pmtud_flowtable_t *t)
{
    return t ? t->n : 0;
}

/* The slot holding flow's row, or the empty slot where it belongs. */
static unsigned slot_of(const pmtud_flowtable_t *t, const pmtud_flow_t *flow)
{
    unsigned mask = t->n_slots - 1, k = pmtud_flow_hash(flow) & mask;

    while (t->slots[k] && !pmtud_flow_equal(&t->rows[t->slots[k] - 1].flow, flow))
        k = (k + 1) & mask;
    return k;
}

/* Rebuilds the hash slots at twice the size (amortised O(1) per row). */
static bool grow_slots(pmtud_flowtable_t *t)
{
    unsigned n = t->n_slots ? t->n_slots * 2 : 64, i;
    uint32_t *slots = calloc(n, sizeof *slots);

    if (!slots)
        return false;
    free(t->slots);
    t->slots = slots;
    t->n_slots = n;
    for (i = 0; i < t->n; i++)
        slots[slot_of(t, &t->rows[i].flow)] = i + 1;
    return true;
}

/* The row of a flow, made on first use. Hashed: an adversarial capture can
 * hold a million affected flows. */
static row_t *row_for(pmtud_flowtable_t *t, const pmtud_flow_t *flow)
{
    unsigned k = 0;

    if (t->n_slots) {
        k = slot_of(t, flow);
        if (t->slots[k])
            return &t->rows[t->slots[k] - 1];
    }
    if (t->n == t->cap) {
        unsigned cap = t->cap ? t->cap * 2 : 16;
        row_t *rows = realloc(t->rows, cap * sizeof *rows);
        if (!rows)
            return NULL;
        t->rows = rows;
        t->cap = cap;
    }
    if ((t->n + 1) * 2 > t->n_slots) {
        if (!grow_slots(t))
            return NULL;
        k = slot_of(t, flow);
    }
    memset(&t->rows[t->n], 0, sizeof t->rows[0]);
    t->rows[t->n].flow = *flow;
    t->slots[k] = t->n + 1;
    return &t->rows[t->n++];
}

void pmtud_flowtable_add_icmp(pmtud_flowtable_t *t, const pmtud_flow_t *flow,
                              const pmtud_icmp_result_t *res)
{
    row_t *r;
    bool offload;

    if (!t || !res)
        return;
    if (!(r = row_for(t, flow)))
        return;
    offload = (res->verdicts & (PMTUD_V_OFFLOAD | PMTUD_V_OFFLOAD_MSS)) != 0;
    r->icmps_seen++;
    /* The action names the router of an offload verdict, with its box. */
    if (offload) {
        r->router_box = res->router_box;
        if (res->sender_box.known)
            r->sender_box = res->sender_box;
    }
    if (offload || !r->router_box.known) {
        memcpy(r->router, res->router, sizeof r->router);
        r->router_family = res->router_family;
    }
    if (r->n_icmps == MAX_ICMPS_PER_ROW)
        return;
    if (r->n_icmps == r->cap_icmps) {
        unsigned cap = r->cap_icmps ? r->cap_icmps * 2 : 4;
        const pmtud_icmp_result_t **p = realloc(r->icmps, cap * sizeof *p);
        if (!p)
            return;
        r->icmps = p;
        r->cap_icmps = cap;
    }
    r->icmps[r->n_icmps++] = res;
}

void pmtud_flowtable_add_oversize(pmtud_flowtable_t *t, const pmtud_flow_t *flow,
                                  uint32_t frame, const pmtud_oversize_t *o)
{
    row_t *r;
    if (!t || !(r = row_for(t, flow)))
        return;
    if (!r->oversize_frames++)
        r->first_oversize_frame = frame;
    if (!r->sender_box.known)
        r->sender_box = o->box;
    if (o->len > r->largest_oversize)
        r->largest_oversize = o->len;
}

void pmtud_flowtable_add_blackhole(pmtud_flowtable_t *t, const pmtud_flow_t *flow,
                                   const pmtud_blackhole_t *bh)
{
    row_t *r;

    if (!t || !bh || !(r = row_for(t, flow)))
        return;
    r->blackholes++;
    if (bh->through_payload > r->blackhole_mss)
        r->blackhole_mss = bh->through_payload;
    if (r->n_bh_spans == MAX_ICMPS_PER_ROW || pmtud_blackhole_lost_ns(bh) == 0)
        return;
    if (r->n_bh_spans == r->cap_bh_spans) {
        unsigned cap = r->cap_bh_spans ? r->cap_bh_spans * 2 : 2;
        span_t *p = realloc(r->bh_spans, cap * sizeof *p);
        if (!p)
            return;
        r->bh_spans = p;
        r->cap_bh_spans = cap;
    }
    r->bh_spans[r->n_bh_spans].start = bh->start_ts_ns;
    r->bh_spans[r->n_bh_spans++].end = bh->end_ts_ns;
}

static void addr_text(char *buf, size_t n, unsigned family, const uint8_t *a)
{
    if (!inet_ntop(family == 6 ? AF_INET6 : AF_INET, a, buf, (socklen_t)n))
        snprintf(buf, n, "?");
}

static const char *proto_name(uint8_t proto)
{
    return proto == PMTUD_PROTO_TCP ? "tcp" : proto == PMTUD_PROTO_UDP ? "udp" : "ip";
}

void pmtud_flow_name(char *buf, size_t n, const pmtud_flow_t *flow)
{
    char src[64], dst[64];
    bool v6 = flow->family == 6;

    addr_text(src, sizeof src, flow->family, flow->src);
    addr_text(dst, sizeof dst, flow->family, flow->dst);
    if (flow->proto == PMTUD_PROTO_TCP || flow->proto == PMTUD_PROTO_UDP)
        snprintf(buf, n, "%s%s%s:%u -> %s%s%s:%u %s", v6 ? "[" : "", src, v6 ? "]" : "",
                 flow->sport, v6 ? "[" : "", dst, v6 ? "]" : "", flow->dport,
                 proto_name(flow->proto));
    else
        snprintf(buf, n, "%s -> %s %s", src, dst, proto_name(flow->proto));
}

/* A CSV field that may hold commas or quotes ("VMware, Inc."). */
static void put_quoted(FILE *out, const char *s)
{
    if (!s)
        return;
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

/* Hops, MAC vendor and virtual NIC of a box: empty when not known. */
static void put_box(FILE *out, const pmtud_box_t *b)
{
    fputc(',', out);
    if (b->known)
        fprintf(out, "%u", b->hops);
    fputc(',', out);
    put_quoted(out, b->vendor);
    fputc(',', out);
    put_quoted(out, pmtud_box_nic_name(b));
}

/* The one thing to do for this flow, most decisive verdict first. */
static void write_action(char *buf, size_t n, const row_t *r, const pmtud_flow_summary_t *s)
{
    unsigned clamp = pmtud_clamp_mss(s->min_mtu ? s->min_mtu : 1500, r->flow.family);
    char router[64], sender[64], router_box[PMTUD_ACTION_MAX / 2] = "", sender_box[96] = "";

    addr_text(router, sizeof router, r->router_family, r->router);
    addr_text(sender, sizeof sender, r->flow.family, r->flow.src);
    if (pmtud_box_what(&r->sender_box))
        snprintf(sender_box, sizeof sender_box, " (by its MAC %s)", pmtud_box_what(&r->sender_box));
    if (s->tally[PMTUD_TALLY_OFFLOAD]) {
        if (pmtud_box_what(&r->router_box))
            snprintf(router_box, sizeof router_box, ", by its MAC %s %u hops from the capture: %s;",
                     pmtud_box_what(&r->router_box), r->router_box.hops,
                     pmtud_box_merge_off(&r->router_box));
        else
            snprintf(router_box, sizeof router_box, " (or its virtual switch)");
        snprintf(buf, n, "turn off LRO/GRO on the router %s%s and TSO on the sender %s%s, or "
                 "clamp MSS to %u", router, router_box, sender, sender_box, clamp);
    } else if (s->reaction[PMTUD_R_IGNORED]) {
        snprintf(buf, n, "let ICMP frag-needed/Packet Too Big reach the sender %s (firewalls), "
                 "or clamp MSS to %u", sender, clamp);
    } else if (r->n_icmps == 0 && r->blackholes) {
        snprintf(buf, n, "let ICMP frag-needed/Packet Too Big reach the sender %s (a PMTUD black "
                 "hole: ICMP filtered on the path), or clamp MSS to %u", sender,
                 r->blackhole_mss ? r->blackhole_mss : clamp);
    } else if (r->n_icmps == 0 && r->oversize_frames) {
        snprintf(buf, n, "none on the network: oversize frames are TSO/GSO or LRO/GRO at the "
                 "capture point%s", sender_box);
    } else if (s->tally[PMTUD_TALLY_LEGITIMATE]) {
        snprintf(buf, n, "none: path MTU discovery works");
    } else {
        snprintf(buf, n, "check the ICMP messages; clamp MSS to %u if transfers stall", clamp);
    }
}

/* The columns: the flow, the ICMPs counted by verdict (pmtud_tallies) and by
 * reaction (pmtud_reactions), then the oversize frames and the rest. */
static void put_header(FILE *out)
{
    unsigned i;

    fputs("sender,sport,receiver,dport,proto,icmp_messages", out);
    for (i = 0; i < PMTUD_N_TALLIES; i++)
        if (pmtud_tallies[i].csv_column)
            fprintf(out, ",%s", pmtud_tallies[i].csv_column);
    for (i = 0; i < PMTUD_R_COUNT; i++)
        if (pmtud_reactions[i].csv_column)
            fprintf(out, ",%s", pmtud_reactions[i].csv_column);
    fputs(",oversize_frames,largest_oversize,first_icmp_frame,first_oversize_frame,min_mtu,"
          "time_lost_s,router_hops,router_vendor,router_nic,sender_hops,sender_vendor,sender_nic,"
          "action\n", out);
}

/* Adds to tally[] the counts one ICMP falls under (each once, however many
 * of its verdicts share a count). */
static void count_verdicts(const pmtud_icmp_result_t *res, unsigned *tally)
{
    bool seen[PMTUD_N_TALLIES] = { false };
    size_t i;

    for (i = 0; i < pmtud_n_verdicts; i++) {
        unsigned t = pmtud_verdicts[i].tally;
        if ((res->verdicts & pmtud_verdicts[i].flag) && !seen[t]) {
            seen[t] = true;
            tally[t]++;
        }
    }
}

static int cmp_span(const void *x, const void *y)
{
    int64_t a = ((const span_t *)x)->start, b = ((const span_t *)y)->start;
    return a < b ? -1 : a > b;
}

/* A flow's time lost is the union of its ICMPs' and black holes' spans: a
 * sender that ignores one ICMP and heeds the next lost the stall once, not
 * once per ICMP. */
static int64_t row_time_lost(const row_t *r)
{
    span_t *s = malloc((r->n_icmps + r->n_bh_spans + 1) * sizeof *s);
    int64_t lost = 0, end = INT64_MIN;
    unsigned n = r->n_bh_spans, k;

    if (!s)
        return 0;
    if (n)
        memcpy(s, r->bh_spans, n * sizeof *s);
    for (k = 0; k < r->n_icmps; k++) {
        const pmtud_icmp_result_t *res = r->icmps[k];
        if (pmtud_time_lost_counts(res) && res->time_lost_ns > 0) {
            s[n].start = res->quoted_ts_ns;
            s[n++].end = res->quoted_ts_ns + res->time_lost_ns;
        }
    }
    qsort(s, n, sizeof *s, cmp_span);
    for (k = 0; k < n; k++) {
        if (s[k].end <= end)
            continue;
        lost += s[k].end - (s[k].start > end ? s[k].start : end);
        end = s[k].end;
    }
    free(s);
    return lost;
}

int pmtud_flowtable_find(const pmtud_flowtable_t *t, const pmtud_flow_t *flow)
{
    unsigned k;

    if (!t || !t->n_slots)
        return -1;
    k = slot_of(t, flow);
    return t->slots[k] ? (int)t->slots[k] - 1 : -1;
}

int64_t pmtud_flowtable_time_lost_ns(const pmtud_flowtable_t *t, const pmtud_flow_t *flow)
{
    int row = pmtud_flowtable_find(t, flow);

    return row < 0 ? 0 : row_time_lost(&t->rows[row]);
}

bool pmtud_flowtable_summary(const pmtud_flowtable_t *t, unsigned row, pmtud_flow_summary_t *s)
{
    const row_t *r;
    unsigned k;

    if (!t || row >= t->n)
        return false;
    r = &t->rows[row];
    memset(s, 0, sizeof *s);
    s->flow = r->flow;
    s->icmp_messages = r->icmps_seen;
    s->oversize_frames = r->oversize_frames;
    s->largest_oversize = r->largest_oversize;
    s->first_oversize_frame = r->first_oversize_frame;
    s->frames = r->icmps_seen + r->oversize_frames;
    for (k = 0; k < r->n_icmps; k++) {
        const pmtud_icmp_result_t *res = r->icmps[k];
        count_verdicts(res, s->tally);
        if (res->reaction < PMTUD_R_COUNT)
            s->reaction[res->reaction]++;
        if (pmtud_mtu_sane(res->mtu, res->family, false, 0) && (!s->min_mtu || res->mtu < s->min_mtu))
            s->min_mtu = res->mtu;
        if (!s->first_icmp_frame || res->icmp_frame < s->first_icmp_frame)
            s->first_icmp_frame = res->icmp_frame;
    }
    s->blackholes = r->blackholes;
    s->router_box = r->router_box;
    s->sender_box = r->sender_box;
    s->time_lost_ns = row_time_lost(r);
    write_action(s->action, sizeof s->action, r, s);
    return true;
}

void pmtud_flowtable_write_csv(const pmtud_flowtable_t *t, FILE *out)
{
    pmtud_flow_summary_t s;
    char src[64], dst[64];
    unsigned i, k;

    put_header(out);
    for (i = 0; pmtud_flowtable_summary(t, i, &s); i++) {
        addr_text(src, sizeof src, s.flow.family, s.flow.src);
        addr_text(dst, sizeof dst, s.flow.family, s.flow.dst);
        fprintf(out, "%s,%u,%s,%u,%s,%u", src, s.flow.sport, dst, s.flow.dport,
                proto_name(s.flow.proto), s.icmp_messages);
        for (k = 0; k < PMTUD_N_TALLIES; k++)
            if (pmtud_tallies[k].csv_column)
                fprintf(out, ",%u", s.tally[k]);
        for (k = 0; k < PMTUD_R_COUNT; k++)
            if (pmtud_reactions[k].csv_column)
                fprintf(out, ",%u", s.reaction[k]);
        fprintf(out, ",%u,%u,%u,%u,%u,%.6f", s.oversize_frames, s.largest_oversize,
                s.first_icmp_frame, s.first_oversize_frame, s.min_mtu,
                (double)s.time_lost_ns / 1e9);
        put_box(out, &s.router_box);
        put_box(out, &s.sender_box);
        fputs(",", out);
        put_quoted(out, s.action);
        fputs("\n", out);
    }
}
