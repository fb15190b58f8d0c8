/* pmtud_flowtable.c
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "pmtud_flowtable.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "pmtud_messages.h"

#define MAX_ICMPS_PER_ROW 4096   /* results kept per flow; counts go on */

typedef struct {
    pmtud_flow_t flow;
    const pmtud_icmp_result_t **icmps;
    unsigned n_icmps, cap_icmps, icmps_seen;
    unsigned oversize_frames;
    uint32_t first_oversize_frame;
    uint32_t largest_oversize;
    uint8_t  router[16];
    uint8_t  router_family;
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
    for (i = 0; i < t->n; i++)
        free(t->rows[i].icmps);
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

void pmtud_flowtable_add_icmp(pmtud_flowtable_t *t, const pmtud_icmp_result_t *res)
{
    pmtud_flow_t flow;
    row_t *r;

    if (!t || !res)
        return;
    pmtud_result_flow(res, &flow);
    if (!(r = row_for(t, &flow)))
        return;
    r->icmps_seen++;
    memcpy(r->router, res->router, sizeof r->router);
    r->router_family = res->router_family;
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
    if (o->len > r->largest_oversize)
        r->largest_oversize = o->len;
}

static void put_addr(FILE *out, unsigned family, const uint8_t *a)
{
    char buf[64];
    if (!inet_ntop(family == 6 ? AF_INET6 : AF_INET, a, buf, sizeof buf))
        strcpy(buf, "?");
    fputs(buf, out);
}

/* The one thing to do for this flow, most decisive verdict first. */
static void put_action(FILE *out, const row_t *r, unsigned offload, unsigned ignored,
                       unsigned legit, uint32_t mtu)
{
    unsigned clamp = pmtud_clamp_mss(mtu ? mtu : 1500, r->flow.family);

    if (offload) {
        fputs("turn off LRO/GRO on the router ", out);
        put_addr(out, r->router_family, r->router);
        fputs(" (or its virtual switch) and TSO on the sender ", out);
        put_addr(out, r->flow.family, r->flow.src);
        fprintf(out, ", or clamp MSS to %u", clamp);
    } else if (ignored) {
        fputs("let ICMP frag-needed/Packet Too Big reach the sender ", out);
        put_addr(out, r->flow.family, r->flow.src);
        fprintf(out, " (firewalls), or clamp MSS to %u", clamp);
    } else if (r->n_icmps == 0 && r->oversize_frames) {
        fputs("none on the network: oversize frames are TSO/GSO or LRO/GRO at the capture point", out);
    } else if (legit) {
        fputs("none: path MTU discovery works", out);
    } else {
        fprintf(out, "check the ICMP messages; clamp MSS to %u if transfers stall", clamp);
    }
}

void pmtud_flowtable_write_csv(const pmtud_flowtable_t *t, FILE *out)
{
    unsigned i, k;

    fputs("sender,sport,receiver,dport,proto,icmp_messages,offload_artefacts,legitimate,"
          "bogus_mtu,not_captured,pmtud_worked,same_size_crossed,icmp_ignored,"
          "no_retransmission,oversize_frames,largest_oversize,first_icmp_frame,"
          "first_oversize_frame,min_mtu,time_lost_s,action\n", out);
    for (i = 0; t && i < t->n; i++) {
        const row_t *r = &t->rows[i];
        unsigned offload = 0, legit = 0, bogus = 0, notcap = 0;
        unsigned reaction[PMTUD_R_NOT_FOLLOWED + 1] = {0};
        uint32_t min_mtu = 0, first_icmp = 0;
        int64_t lost = 0;

        for (k = 0; k < r->n_icmps; k++) {
            const pmtud_icmp_result_t *res = r->icmps[k];
            offload += !!(res->verdicts & (PMTUD_V_OFFLOAD | PMTUD_V_OFFLOAD_MSS));
            legit += !!(res->verdicts & PMTUD_V_LEGITIMATE);
            bogus += !!(res->verdicts & (PMTUD_V_BOGUS_MTU | PMTUD_V_MTU_ZERO));
            notcap += !!(res->verdicts & PMTUD_V_NOT_CAPTURED);
            if (res->reaction <= PMTUD_R_NOT_FOLLOWED)
                reaction[res->reaction]++;
            if (res->reaction == PMTUD_R_WORKED || res->reaction == PMTUD_R_SAME_SIZE_CROSSED ||
                (res->reaction == PMTUD_R_IGNORED && res->through_frame))
                lost += res->time_lost_ns;
            if (res->mtu >= pmtud_min_mtu(res->family) && (!min_mtu || res->mtu < min_mtu))
                min_mtu = res->mtu;
            if (!first_icmp || res->icmp_frame < first_icmp)
                first_icmp = res->icmp_frame;
        }
        put_addr(out, r->flow.family, r->flow.src);
        fprintf(out, ",%u,", r->flow.sport);
        put_addr(out, r->flow.family, r->flow.dst);
        fprintf(out, ",%u,%s,%u,%u,%u,%u,%u,%u,%u,%u,%u,%u,%u,%u,%u,%u,%.6f,\"",
                r->flow.dport, r->flow.proto == PMTUD_PROTO_TCP ? "tcp" :
                r->flow.proto == PMTUD_PROTO_UDP ? "udp" : "ip",
                r->icmps_seen, offload, legit, bogus, notcap,
                reaction[PMTUD_R_WORKED], reaction[PMTUD_R_SAME_SIZE_CROSSED],
                reaction[PMTUD_R_IGNORED], reaction[PMTUD_R_NO_RETRANSMISSION],
                r->oversize_frames, r->largest_oversize, first_icmp, r->first_oversize_frame,
                min_mtu, (double)lost / 1e9);
        put_action(out, r, offload, reaction[PMTUD_R_IGNORED], legit, min_mtu);
        fputs("\"\n", out);
    }
}
