/* pmtud_piece.c
 * Telling a wire segment of a captured super-frame from a rewritten quote.
 *
 * Both quote fewer bytes than the matched frame holds. A piece is claimed
 * only when every one of these holds:
 *
 *  1. the quote is TCP with a sequence number, and states fewer bytes than
 *     the matched frame;
 *  2. the frame could not have crossed the capture link whole: more TCP
 *     payload than the MSS its receiver announced (when the handshake was
 *     captured), else an IP length over the link MTU;
 *  3. the quote could have: its payload fits that MSS (or its IP length
 *     that MTU), and is not empty;
 *  4. its sequence range lies inside the frame's;
 *  5. it is not what a router that rewrites the quoted length would write:
 *     such a router writes the number of bytes it quoted, so the quote must
 *     be cut (the ICMP carries fewer bytes than the quote states, as for
 *     any segment larger than the MTU: 576 bytes in all for ICMPv4 on most
 *     routers, 1280 for ICMPv6), or else be exactly a wire segment: a full
 *     one (payload = the MSS; IP length = the link MTU without a
 *     handshake) or the frame's tail (ending where the frame ends).
 *
 * Which segment it was: GSO cuts a frame into segments of one size, the
 * last possibly shorter, and (on most NICs and Linux's own GSO) counts the
 * IPv4 ID up by one per segment. A piece that ends before the frame does is
 * full-sized, so its offset over its length is its index; the last piece's
 * index comes from the receiver's MSS when the offset divides by it, or
 * from its own length when it fills the link MTU, else from the ID offset
 * when that is consistent with the offset. The ID
 * offset itself is reported as it is: NICs that keep the ID fixed
 * ("mangle ID") give +0 for every segment.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "pmtud_piece.h"

#include <string.h>

/* TCP payload the quote states: its own header lengths when the quote
 * holds them, else the frame's (segmentation copies the headers). */
static uint32_t quoted_payload(const pmtud_ip_t *q, const pmtud_rec_t *m)
{
    uint32_t overhead = m->ip_len > m->payload_len ? m->ip_len - m->payload_len : 0;

    if (q->l4_hdr_len && q->hdr_len)
        overhead = (uint32_t)q->hdr_len + q->l4_hdr_len;
    return q->ip_len > overhead ? q->ip_len - overhead : 0;
}

/* 2 and 3: the frame is too big for the link, the piece is not. */
static bool frame_oversize_piece_fits(const pmtud_piece_evidence_t *e, uint32_t piece_len)
{
    const pmtud_rec_t *m = e->frame;

    if (e->peer_mss)
        return m->payload_len > e->peer_mss && piece_len <= e->peer_mss;
    return e->link_mtu && m->ip_len > e->link_mtu && e->quote->ip_len <= e->link_mtu;
}

/* 5: a cut quote, or one a rewriting router would not have written. */
static bool not_a_rewrite(const pmtud_piece_evidence_t *e, const pmtud_piece_t *p)
{
    if (e->quote_bytes && e->quote_bytes < e->quote->ip_len)
        return true;
    if (p->offset && p->offset + p->len == e->frame->payload_len)
        return true;
    return e->peer_mss ? p->len == e->peer_mss : e->quote->ip_len == e->link_mtu;
}

static void find_index(const pmtud_piece_evidence_t *e, pmtud_piece_t *p)
{
    const pmtud_rec_t *m = e->frame;
    bool last = p->offset + p->len == m->payload_len;

    if (!last) {
        if (p->offset % p->len == 0) {
            p->has_index = true;
            p->index = p->offset / p->len;
        }
    } else if (e->peer_mss && p->len <= e->peer_mss && p->offset % e->peer_mss == 0) {
        p->has_index = true;
        p->index = p->offset / e->peer_mss;
    } else if (!e->peer_mss && e->quote->ip_len == e->link_mtu && p->offset % p->len == 0) {
        /* A tail that fills the link MTU is a full segment too. */
        p->has_index = true;
        p->index = p->offset / p->len;
    } else if (p->has_id_offset && p->id_offset && p->offset % p->id_offset == 0 &&
               p->offset / p->id_offset >= p->len) {
        p->has_index = true;
        p->index = p->id_offset;
    }
}

bool pmtud_piece_of(const pmtud_piece_evidence_t *e, pmtud_piece_t *out)
{
    const pmtud_ip_t *q = e->quote;
    const pmtud_rec_t *m = e->frame;
    pmtud_piece_t p;

    memset(out, 0, sizeof *out);
    if (!q || !m || q->proto != 6 || !q->has_seq || m->payload_len == 0 ||
        q->ip_len >= m->ip_len)
        return false;
    memset(&p, 0, sizeof p);
    p.seq = q->seq;
    p.offset = q->seq - m->seq;
    p.len = quoted_payload(q, m);
    if (p.len == 0 || !frame_oversize_piece_fits(e, p.len))
        return false;
    if (p.offset >= m->payload_len || p.len > m->payload_len - p.offset)
        return false;
    if (!not_a_rewrite(e, &p))
        return false;
    if (q->has_id && m->has_id) {
        p.has_id_offset = true;
        p.id_offset = (uint16_t)(q->ip_id - m->ip_id);
    }
    find_index(e, &p);
    p.found = true;
    *out = p;
    return true;
}
