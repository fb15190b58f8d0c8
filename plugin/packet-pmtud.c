/* packet-pmtud.c
 * Wireshark glue for pmtud: fields, expert infos, preferences and the
 * post-dissector. The analysis itself lives in pmtud_analyze.c.
 *
 * Cost: pmtud asks Wireshark for no fields. A post-dissector that wants
 * fields makes tshark build a protocol tree for every frame (14% on a
 * plain `tshark -r`); instead pmtud reads the few header bytes it needs
 * from the frame itself, on the first pass only, and draws its results
 * whenever a tree is being built.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "pmtud_compat.h"

#include <epan/packet.h>
#include <epan/expert.h>
#include <epan/prefs.h>
#include <epan/tap.h>
#include <epan/address.h>
#include <epan/to_str.h>
#include <epan/addr_resolv.h>
#include <wsutil/str_util.h>
#include <wiretap/wtap.h>

#include "packet-pmtud.h"
#include "pmtud_analyze.h"
#include "pmtud_messages.h"
#include "pmtud_refilter.h"
#include "pmtud_vocab.h"

void proto_register_pmtud(void);
void proto_reg_handoff_pmtud(void);

static int proto_pmtud = -1;
static int pmtud_tap = -1;

/* Wireshark's ICMP and ICMPv6 protocols, to spot the frag-needed / Packet
 * Too Big that pmtud could not read (pinfo->layers holds protocol ids). */
static int proto_icmp = -1;
static int proto_icmpv6 = -1;

static int hf_pmtud_icmp_quoted_frame = -1;
static int hf_pmtud_icmp_quoted_len = -1;
static int hf_pmtud_icmp_wire_len = -1;
static int hf_pmtud_icmp_mtu = -1;
static int hf_pmtud_icmp_excess = -1;
static int hf_pmtud_icmp_covered_frame = -1;
static int hf_pmtud_icmp_candidate_frame = -1;
static int hf_pmtud_icmp_peer_mss = -1;
static int hf_pmtud_icmp_verdict = -1;
static int hf_pmtud_icmp_piece_seq = -1;
static int hf_pmtud_icmp_piece_len = -1;
static int hf_pmtud_icmp_piece_index = -1;
static int hf_pmtud_icmp_retransmit_frame = -1;
static int hf_pmtud_icmp_time_lost = -1;
static int hf_pmtud_segment_rejected_in = -1;
static int hf_pmtud_oversize_len = -1;
static int hf_pmtud_oversize_limit = -1;
static int hf_pmtud_oversize_limit_source = -1;
static int hf_pmtud_icmp_router_hops = -1;
static int hf_pmtud_icmp_router_vendor = -1;
static int hf_pmtud_icmp_router_nic = -1;
static int hf_pmtud_icmp_router_advice = -1;
static int hf_pmtud_icmp_sender_hops = -1;
static int hf_pmtud_icmp_sender_vendor = -1;
static int hf_pmtud_icmp_sender_nic = -1;
static int hf_pmtud_oversize_hops = -1;
static int hf_pmtud_oversize_vendor = -1;
static int hf_pmtud_oversize_nic = -1;
static int hf_pmtud_blackhole_largest_through = -1;
static int hf_pmtud_blackhole_clamp_mss = -1;
static int hf_pmtud_blackhole_time_lost = -1;
static int hf_pmtud_blackhole_df_cleared = -1;
static int hf_pmtud_blackhole_receiver_view = -1;

static gint ett_pmtud = -1;

/* Filled from pmtud_limit_names at registration. */
static value_string limit_source_vals[PMTUD_LIMIT_COUNT];

/* One expert field per row of the vocabulary tables (pmtud_vocab.c). */
static expert_field *ei_pmtud_verdict;                       /* pmtud_verdicts[] */
static expert_field ei_pmtud_reaction[PMTUD_R_COUNT];        /* pmtud_reactions[] */
static expert_field ei_pmtud_note[PMTUD_N_FRAME_NOTES];      /* pmtud_frame_notes[] */

/* Preferences: how many recent transmissions are remembered for matching,
 * and the link MTU assumed where no handshake tells the MSS (0: by link type). */
static guint pref_window = 131072;
static guint pref_link_mtu = 0;
/* Per-frame reports kept per file (ICMP results, oversize frames, black
 * hole frames): bounds memory on adversarial or pathological captures. */
static guint pref_max_reports = 200000;

/* Per capture file: the analyzer (plain C, freed at cleanup) and the
 * results (file scope, freed by Wireshark when the file closes). */
static pmtud_analyzer_t *analyzer;
/* What pmtud has to say about one frame. One map, so a frame costs one
 * lookup per pass whatever pmtud knows about it. */
typedef struct {
    pmtud_icmp_result_t *icmp;        /* ICMP frames */
    wmem_array_t        *rejections;  /* ICMP frames that rejected this one */
    pmtud_oversize_t    *oversize;
    pmtud_blackhole_t   *blackhole;   /* a frame of the black hole (drawn) */
    pmtud_blackhole_t   *confirmed;   /* the frame that confirmed it (tapped, for the
                                       * summaries: one-pass tshark has read the
                                       * black hole's earlier frames already) */
    pmtud_flow_t        *flow;        /* ICMP: the quoted packet's; oversize: the frame's */
    const char          *not_analysed; /* a frag-needed / PTB pmtud could not read: where it stopped */
} frame_report_t;
static wmem_map_t *frame_reports;   /* frame number -> frame_report_t */
/* One bit per frame number: set where frame_reports holds a report. Most
 * frames have none, and a bit test on every pass costs less than a map
 * lookup. Grown (doubling) as reports come; freed with the file. */
static guint8 *report_bits;
static guint32 report_bits_frames;  /* frame numbers report_bits covers */
static gboolean followed_to_end;    /* reactions settled after the first pass */
static guint reports;               /* per-frame reports stored so far */
static guint32 limit_frame;         /* where pref_max_reports was reached, 0 not yet */
static guint32 last_report_frame;   /* the highest frame with a report */

/* Which UDP ports carry VXLAN, Geneve and MPLS, and which another protocol,
 * as Wireshark decodes them now: the "udp.port" table holds the defaults,
 * the port preferences and the user's Decode As alike. A disabled protocol
 * does not count (Wireshark skips it too). Refilled whenever a file is
 * (re)opened. */
static pmtud_udp_ports_t udp_ports;

static void note_udp_port(const gchar *table_name _U_, ftenum_t selector_type _U_,
                          gpointer key, gpointer value, gpointer user_data _U_)
{
    static const struct { const char *proto; pmtud_udp_tunnel_t kind; } overlays[] = {
        { "vxlan", PMTUD_UDP_VXLAN }, { "geneve", PMTUD_UDP_GENEVE }, { "mpls", PMTUD_UDP_MPLS },
    };
    dissector_handle_t handle = dtbl_entry_get_handle((dtbl_entry_t *)value);
    guint port = GPOINTER_TO_UINT(key), i;
    int proto;

    if (!handle || port > 0xffff)
        return;
    proto = dissector_handle_get_protocol_index(handle);
    if (proto >= 0 && !proto_is_protocol_enabled(find_protocol_by_id(proto)))
        return;
    /* By protocol, not by handle: Geneve registers no named dissector, and
     * VXLAN-GPE (4790) is another protocol with another header. */
    for (i = 0; i < array_length(overlays); i++)
        if (proto == proto_get_id_by_filter_name(overlays[i].proto)) {
            pmtud_udp_ports_set(&udp_ports, (guint16)port, overlays[i].kind);
            return;
        }
    pmtud_udp_ports_set(&udp_ports, (guint16)port, PMTUD_UDP_OTHER);
}

/* Out of memory: if the analyzer cannot be allocated, the file is not
 * analysed, and pmtud says so once per file (on stderr for tshark, in the
 * log for the GUI) rather than showing nothing silently. Later failures to
 * store a report drop that report only. */
static void pmtud_init(void)
{
    pmtud_udp_ports_clear(&udp_ports);
    dissector_table_foreach("udp.port", note_udp_port, NULL);
    analyzer = pmtud_analyzer_new(pref_window);
    if (!analyzer)
        g_warning("pmtud: not enough memory for the analysis (pmtud.window is %u "
                  "transmissions): this file is not analysed", pref_window);
    pmtud_analyzer_set_link_mtu(analyzer, pref_link_mtu);
    frame_reports = wmem_map_new(wmem_file_scope(), g_direct_hash, g_direct_equal);
    g_free(report_bits);
    report_bits = NULL;
    report_bits_frames = 0;
    followed_to_end = FALSE;
    reports = 0;
    limit_frame = 0;
    last_report_frame = 0;
    pmtud_refilter_new_file();
}

static void pmtud_cleanup(void)
{
    pmtud_analyzer_free(analyzer);
    analyzer = NULL;
    frame_reports = NULL;
    g_free(report_bits);
    report_bits = NULL;
    report_bits_frames = 0;
}

static pmtud_link_t link_of_encap(int encap)
{
    switch (encap) {
    case WTAP_ENCAP_ETHERNET:
        return PMTUD_LINK_ETHERNET;
    case WTAP_ENCAP_RAW_IP:
    case WTAP_ENCAP_RAW_IP4:
    case WTAP_ENCAP_RAW_IP6:
        return PMTUD_LINK_RAW_IP;
    case WTAP_ENCAP_SLL:
        return PMTUD_LINK_SLL;
    case WTAP_ENCAP_SLL2:
        return PMTUD_LINK_SLL2;
    case WTAP_ENCAP_NULL:
    case WTAP_ENCAP_LOOP:
        return PMTUD_LINK_NULL;
    case WTAP_ENCAP_NFLOG:
        return PMTUD_LINK_NFLOG;
    case WTAP_ENCAP_PPP:              /* also DLT_PPP_SERIAL (PPP in HDLC framing) */
    case WTAP_ENCAP_PPP_WITH_PHDR:    /* the direction byte is in the pseudo-header */
        return PMTUD_LINK_PPP;
    case WTAP_ENCAP_CHDLC:
    case WTAP_ENCAP_CHDLC_WITH_PHDR:
        return PMTUD_LINK_CHDLC;
    default:
        return PMTUD_LINK_UNKNOWN;
    }
}

/* The link type of a frame, asked on every frame: the encapsulation is
 * mapped when it differs from the last frame's (a pcapng file can mix
 * interfaces of different encapsulations), else the last answer stands. */
static pmtud_link_t link_type(const packet_info *pinfo)
{
    static int last_encap = WTAP_ENCAP_UNKNOWN;
    static pmtud_link_t last_link = PMTUD_LINK_UNKNOWN;
    int encap;

    if (!pinfo->rec || pinfo->rec->rec_type != REC_TYPE_PACKET)
        return PMTUD_LINK_UNKNOWN;
    encap = pinfo->rec->rec_header.packet_header.pkt_encap;
    if (encap != last_encap) {
        last_link = link_of_encap(encap);
        last_encap = encap;
    }
    return last_link;
}

static gboolean has_report(guint32 frame)
{
    return frame < report_bits_frames && (report_bits[frame >> 3] & (1u << (frame & 7)));
}

static void mark_report(guint32 frame)
{
    if (frame >= report_bits_frames) {
        guint32 n = report_bits_frames ? report_bits_frames : 65536;
        while (n <= frame && n < G_MAXUINT32 / 2)
            n *= 2;
        if (n <= frame)
            n = G_MAXUINT32;
        report_bits = (guint8 *)g_realloc(report_bits, n / 8 + 1);
        memset(report_bits + report_bits_frames / 8, 0, n / 8 + 1 - report_bits_frames / 8);
        report_bits_frames = n;
    }
    report_bits[frame >> 3] |= (guint8)(1u << (frame & 7));
}

static frame_report_t *report_of(guint32 frame)
{
    frame_report_t *r = (frame_report_t *)wmem_map_lookup(frame_reports, GUINT_TO_POINTER(frame));
    if (!r) {
        r = wmem_new0(wmem_file_scope(), frame_report_t);
        wmem_map_insert(frame_reports, GUINT_TO_POINTER(frame), r);
        mark_report(frame);
    }
    return r;
}

/* The report of a frame the tap is given (an ICMP, a rejected, oversize or
 * black-hole frame; not a bare note): the last of them is where summaries
 * that need every report finish (pmtud_tap_info_t.last_report). */
static frame_report_t *tapped_report_of(guint32 frame)
{
    if (frame > last_report_frame)
        last_report_frame = frame;
    return report_of(frame);
}

static void note_rejection(guint32 data_frame, guint32 icmp_frame)
{
    frame_report_t *r = tapped_report_of(data_frame);
    if (!r->rejections)
        r->rejections = wmem_array_new(wmem_file_scope(), sizeof(guint32));
    wmem_array_append_one(r->rejections, icmp_frame);
}

/* Room for one more per-frame report? Past the limit pmtud keeps
 * analysing (its index is bounded anyway) but stores no more reports, and
 * says so once, on the frame where it stopped. */
static gboolean report_allowed(const packet_info *pinfo)
{
    if (reports < pref_max_reports) {
        reports++;
        return TRUE;
    }
    if (!limit_frame)
        limit_frame = pinfo->num;
    return FALSE;
}

/* A file-scope copy of what the analyzer wrote into the feed result. */
#define KEEP(ptr) wmem_memdup(wmem_file_scope(), (ptr), sizeof *(ptr))

static gboolean layers_have_icmp(const packet_info *pinfo)
{
    wmem_list_frame_t *l;

    if (!pinfo->layers)
        return FALSE;
    for (l = wmem_list_head(pinfo->layers); l; l = wmem_list_frame_next(l)) {
        int id = GPOINTER_TO_INT(wmem_list_frame_data(l));
        if (id == proto_icmp || id == proto_icmpv6)
            return TRUE;
    }
    return FALSE;
}

/* Never silent: a frame pmtud could not read to an ICMP, in which
 * Wireshark found an ICMP that is a frag-needed / Packet Too Big, gets a
 * note saying where pmtud stopped. Only frames that did not end in TCP or
 * ICMP come here, and the byte scan only when Wireshark saw an ICMP. */
static void note_unread_ptb(tvbuff_t *tvb, packet_info *pinfo, pmtud_link_t link,
                            const pmtud_frame_t *frame)
{
    const guint8 *data;
    guint caplen = tvb_captured_length(tvb);
    pmtud_stop_t stop;
    const char *link_name = NULL;
    char msg[PMTUD_MSG_MAX];

    if (!layers_have_icmp(pinfo))
        return;
    data = tvb_get_ptr(tvb, 0, caplen);
    if (!pmtud_find_ptb(data, caplen))
        return;
    pmtud_parse_stop(&udp_ports, link, data, caplen, frame, &stop);
    if (stop.kind == PMTUD_STOP_LINK && pinfo->rec && pinfo->rec->rec_type == REC_TYPE_PACKET)
        link_name = wtap_encap_description(pinfo->rec->rec_header.packet_header.pkt_encap);
    if (!report_allowed(pinfo))
        return;
    pmtud_msg_not_analysed(msg, sizeof msg, &stop, link_name);
    report_of(pinfo->num)->not_analysed = wmem_strdup(wmem_file_scope(), msg);
}

/* First pass: read the frame's headers and feed the analyzer. */
/* Wireshark's manufacturer name for an OUI (its own database, whatever
 * the name resolution flags), interned: Wireshark may reload its tables,
 * and the names outlive the frame. */
static const char *manuf_name(const guint8 oui[3])
{
    tvbuff_t *t = tvb_new_real_data(oui, 3, 3);
    const char *name = tvb_get_manuf_name_if_known(t, 0);
    tvb_free(t);
    return name ? g_intern_string(name) : NULL;
}

/* Names a box from its MAC address: called only for offload verdicts and
 * oversize frames, never for an ordinary frame. */
static void name_box(pmtud_box_t *box)
{
    if (box->has_oui)
        pmtud_box_name(box, manuf_name(box->oui));
}

/* The first pass over a frame. Every frame comes here: inlined into
 * dissect_pmtud (one call and one stack frame fewer a frame), while what
 * is drawn for the few frames with a report stays out of line. G_ALWAYS_INLINE
 * and G_NO_INLINE need GLib 2.74, Debian 12's, the oldest pmtud builds on. */
G_ALWAYS_INLINE static inline void analyze_frame(tvbuff_t *tvb, packet_info *pinfo)
{
    pmtud_frame_t frame;
    pmtud_fed_t fed;
    pmtud_link_t link = link_type(pinfo);
    /* The frame's tvb holds exactly the bytes captured (Wireshark builds
     * it from them): the same figure as tvb_captured_length(), without a
     * call into libwireshark for every frame. */
    guint caplen = pinfo->fd->cap_len;
    gint64 ts_ns;
    guint32 i;

    if (!analyzer || caplen == 0)
        return;
    if (link == PMTUD_LINK_UNKNOWN ||
        !pmtud_parse_frame_ports(&udp_ports, link, tvb_get_ptr(tvb, 0, caplen), caplen,
                                 pinfo->fd->pkt_len, &frame)) {
        if (link == PMTUD_LINK_UNKNOWN)
            memset(&frame, 0, sizeof frame);
        note_unread_ptb(tvb, pinfo, link, &frame);
        return;
    }
    ts_ns = (gint64)pinfo->abs_ts.secs * 1000000000 + pinfo->abs_ts.nsecs;
    pmtud_analyzer_feed(analyzer, pinfo->num, ts_ns, &frame, &fed);
    if ((fed.has & PMTUD_FED_OVERSIZE) && report_allowed(pinfo)) {
        frame_report_t *r = tapped_report_of(pinfo->num);
        name_box(&fed.oversize.box);
        r->oversize = (pmtud_oversize_t *)KEEP(&fed.oversize);
        r->flow = (pmtud_flow_t *)KEEP(&fed.flow);
    }
    if ((fed.has & PMTUD_FED_BLACKHOLE) && report_allowed(pinfo)) {
        /* Confirmed by this frame (the sender's view: an ACK; the
         * receiver's: the last frame filling the hole): flag the full-size
         * tries and the fallback, or the frames that filled the hole. */
        pmtud_blackhole_t *bh = (pmtud_blackhole_t *)KEEP(&fed.blackhole);
        for (i = 0; i < bh->n_frames; i++)
            tapped_report_of(bh->frames[i])->blackhole = bh;
        if (bh->fallback_frame)
            tapped_report_of(bh->fallback_frame)->blackhole = bh;
        tapped_report_of(pinfo->num)->confirmed = bh;
        pmtud_refilter_late_report();
    }
    if ((fed.has & PMTUD_FED_ICMP) && report_allowed(pinfo)) {
        frame_report_t *r = tapped_report_of(pinfo->num);
        if (fed.icmp.verdicts & (PMTUD_V_OFFLOAD | PMTUD_V_OFFLOAD_MSS)) {
            name_box(&fed.icmp.router_box);
            name_box(&fed.icmp.sender_box);
        }
        r->icmp = (pmtud_icmp_result_t *)KEEP(&fed.icmp);
        r->flow = (pmtud_flow_t *)KEEP(&fed.flow);
        /* The analyzer fills in the sender's reaction as later frames come. */
        pmtud_analyzer_follow(analyzer, r->icmp);
        for (i = 0; i < r->icmp->n_covered; i++)
            note_rejection(r->icmp->covered[i], pinfo->num);
        /* Frames already read gain a link, and this one a reaction later. */
        if (r->icmp->quoted_frame)
            pmtud_refilter_late_report();
    } else if (!frame.is_icmp && frame.ip.proto != PMTUD_PROTO_TCP) {
        note_unread_ptb(tvb, pinfo, link, &frame);
    }
}

static void draw_reaction(tvbuff_t *tvb, packet_info *pinfo, proto_tree *pt, proto_item *top,
                          const pmtud_icmp_result_t *res);

static proto_item *add_generated_uint(proto_tree *tree, int hf, tvbuff_t *tvb, guint32 value)
{
    proto_item *ti = proto_tree_add_uint(tree, hf, tvb, 0, 0, value);
    proto_item_set_generated(ti);
    return ti;
}

static void add_generated_string(proto_tree *tree, int hf, tvbuff_t *tvb, const char *value)
{
    if (value)
        proto_item_set_generated(proto_tree_add_string(tree, hf, tvb, 0, 0, value));
}

/* Who merged it: how far the box is, its MAC's manufacturer, the virtual
 * card that names, and (advice_hf) what to turn off there. */
static void draw_box(proto_tree *pt, tvbuff_t *tvb, const pmtud_box_t *box,
                     int hops_hf, int vendor_hf, int nic_hf, int advice_hf)
{
    if (!box->known)
        return;
    add_generated_uint(pt, hops_hf, tvb, box->hops);
    add_generated_string(pt, vendor_hf, tvb, box->vendor);
    add_generated_string(pt, nic_hf, tvb, pmtud_box_nic_name(box));
    if (advice_hf >= 0)
        add_generated_string(pt, advice_hf, tvb, pmtud_box_merge_off(box));
}

static void add_generated_time(proto_tree *tree, int hf, tvbuff_t *tvb, gint64 ns)
{
    nstime_t t;
    proto_item *ti;

    nstime_set_zero(&t);
    t.secs = (time_t)(ns / 1000000000);
    t.nsecs = (int)(ns % 1000000000);
    ti = proto_tree_add_time(tree, hf, tvb, 0, 0, &t);
    proto_item_set_generated(ti);
}

static void add_generated_boolean(proto_tree *tree, int hf, tvbuff_t *tvb, gboolean value)
{
    proto_item *ti = proto_tree_add_boolean(tree, hf, tvb, 0, 0, value);
    proto_item_set_generated(ti);
}

static void draw_icmp(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree,
                      const pmtud_icmp_result_t *res)
{
    proto_item *top, *ti;
    proto_tree *pt;
    guint32 i;
    char verdict[PMTUD_MSG_MAX], msg[PMTUD_MSG_MAX];

    pmtud_verdict_text(verdict, sizeof verdict, res);

    top = proto_tree_add_item(tree, proto_pmtud, tvb, 0, 0, ENC_NA);
    proto_item_append_text(top, ": %s", verdict);
    pt = proto_item_add_subtree(top, ett_pmtud);
    if (res->quoted_frame)
        add_generated_uint(pt, hf_pmtud_icmp_quoted_frame, tvb, res->quoted_frame);
    if (res->has_quote)
        add_generated_uint(pt, hf_pmtud_icmp_quoted_len, tvb, res->quoted_len);
    if (res->quoted_frame)
        add_generated_uint(pt, hf_pmtud_icmp_wire_len, tvb, res->wire_len);
    add_generated_uint(pt, hf_pmtud_icmp_mtu, tvb, res->mtu);
    if (res->quoted_frame) {
        ti = proto_tree_add_int(pt, hf_pmtud_icmp_excess, tvb, 0, 0, res->excess);
        proto_item_set_generated(ti);
    }
    for (i = 0; i < res->n_covered; i++)
        add_generated_uint(pt, hf_pmtud_icmp_covered_frame, tvb, res->covered[i]);
    for (i = 0; i < res->n_candidates && i < PMTUD_MAX_CANDIDATES; i++)
        add_generated_uint(pt, hf_pmtud_icmp_candidate_frame, tvb, res->candidate[i]);
    if (res->piece.found) {
        add_generated_uint(pt, hf_pmtud_icmp_piece_seq, tvb, res->piece.seq);
        add_generated_uint(pt, hf_pmtud_icmp_piece_len, tvb, res->piece.len);
        if (res->piece.has_index)
            add_generated_uint(pt, hf_pmtud_icmp_piece_index, tvb, res->piece.index);
    }
    if (res->peer_mss && (res->verdicts & PMTUD_V_OFFLOAD_MSS))
        add_generated_uint(pt, hf_pmtud_icmp_peer_mss, tvb, res->peer_mss);
    ti = proto_tree_add_string(pt, hf_pmtud_icmp_verdict, tvb, 0, 0, verdict);
    proto_item_set_generated(ti);
    if (res->verdicts & (PMTUD_V_OFFLOAD | PMTUD_V_OFFLOAD_MSS)) {
        draw_box(pt, tvb, &res->router_box, hf_pmtud_icmp_router_hops,
                 hf_pmtud_icmp_router_vendor, hf_pmtud_icmp_router_nic, hf_pmtud_icmp_router_advice);
        draw_box(pt, tvb, &res->sender_box, hf_pmtud_icmp_sender_hops,
                 hf_pmtud_icmp_sender_vendor, hf_pmtud_icmp_sender_nic, -1);
    }

    for (i = 0; i < pmtud_n_verdicts; i++) {
        if (res->verdicts & pmtud_verdicts[i].flag) {
            pmtud_verdicts[i].sentence(msg, sizeof msg, res);
            expert_add_info_format(pinfo, top, &ei_pmtud_verdict[i], "%s", msg);
        }
    }
    draw_reaction(tvb, pinfo, pt, top, res);
}

/* What the sender did: known only once the whole capture has been read,
 * so shown from the second pass on (GUI, tshark -2). */
static void draw_reaction(tvbuff_t *tvb, packet_info *pinfo, proto_tree *pt, proto_item *top,
                          const pmtud_icmp_result_t *res)
{
    char msg[PMTUD_MSG_MAX];

    if (!PINFO_FD_VISITED(pinfo) || res->reaction >= PMTUD_R_COUNT ||
        !pmtud_reactions[res->reaction].note.name)
        return;
    if (res->retransmit_frame)
        add_generated_uint(pt, hf_pmtud_icmp_retransmit_frame, tvb, res->retransmit_frame);
    if (pmtud_time_lost_counts(res))
        add_generated_time(pt, hf_pmtud_icmp_time_lost, tvb, res->time_lost_ns);
    pmtud_reactions[res->reaction].sentence(msg, sizeof msg, res);
    expert_add_info_format(pinfo, top, &ei_pmtud_reaction[res->reaction], "%s", msg);
}

/* A data frame: the ICMPs that rejected it, and whether it is larger than
 * any wire frame can have been. */
static void draw_data(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree,
                      wmem_array_t *list, const pmtud_oversize_t *over,
                      const pmtud_blackhole_t *bh)
{
    proto_item *top, *ti;
    proto_tree *pt;
    guint i, n = list ? wmem_array_get_count(list) : 0;
    guint32 first_icmp = n ? *(guint32 *)wmem_array_index(list, 0) : 0;
    char msg[PMTUD_MSG_MAX];

    top = proto_tree_add_item(tree, proto_pmtud, tvb, 0, 0, ENC_NA);
    if (n)
        proto_item_append_text(top, ": rejected by %u ICMP message%s", n, plurality(n, "", "s"));
    if (over)
        proto_item_append_text(top, "%s %u bytes, over the %u-byte %s", n ? ";" : ":",
                               over->len, over->limit, over->by_mss ? "MSS" : "MTU");
    if (bh)
        proto_item_append_text(top, "%s PMTUD black hole", (n || over) ? ";" : ":");
    pt = proto_item_add_subtree(top, ett_pmtud);
    for (i = 0; i < n; i++) {
        guint32 icmp_frame = *(guint32 *)wmem_array_index(list, i);
        const frame_report_t *icmp_report =
            (const frame_report_t *)wmem_map_lookup(frame_reports, GUINT_TO_POINTER(icmp_frame));
        const pmtud_icmp_result_t *res = icmp_report ? icmp_report->icmp : NULL;
        ti = add_generated_uint(pt, hf_pmtud_segment_rejected_in, tvb, icmp_frame);
        if (res) {
            pmtud_msg_rejected(msg, sizeof msg, res);
            expert_add_info_format(pinfo, ti, &ei_pmtud_note[PMTUD_NOTE_REJECTED], "%s", msg);
        }
    }
    if (over) {
        add_generated_uint(pt, hf_pmtud_oversize_len, tvb, over->len);
        add_generated_uint(pt, hf_pmtud_oversize_limit, tvb, over->limit);
        add_generated_uint(pt, hf_pmtud_oversize_limit_source, tvb, over->source);
        draw_box(pt, tvb, &over->box, hf_pmtud_oversize_hops, hf_pmtud_oversize_vendor,
                 hf_pmtud_oversize_nic, -1);
        pmtud_msg_oversize(msg, sizeof msg, pinfo->num, over, first_icmp);
        /* Where a router rejected it too, the oversize frame is the cause. */
        expert_add_info_format(pinfo, top, &ei_pmtud_note[n ? PMTUD_NOTE_OVERSIZE_REJECTED :
                                                          PMTUD_NOTE_OVERSIZE], "%s", msg);
    }
    if (bh) {
        if (bh->through_len) {
            add_generated_uint(pt, hf_pmtud_blackhole_largest_through, tvb, bh->through_len);
            add_generated_uint(pt, hf_pmtud_blackhole_clamp_mss, tvb, bh->through_payload);
        }
        add_generated_time(pt, hf_pmtud_blackhole_time_lost, tvb, pmtud_blackhole_lost_ns(bh));
        add_generated_boolean(pt, hf_pmtud_blackhole_df_cleared, tvb, bh->df_cleared);
        add_generated_boolean(pt, hf_pmtud_blackhole_receiver_view, tvb, bh->receiver_view);
        pmtud_msg_blackhole(msg, sizeof msg, bh);
        expert_add_info_format(pinfo, top, &ei_pmtud_note[bh->receiver_view ?
                                                          PMTUD_NOTE_BLACKHOLE_RECEIVER :
                                                          PMTUD_NOTE_BLACKHOLE], "%s", msg);
    }
}

void pmtud_settle(void)
{
    if (analyzer && !followed_to_end) {
        pmtud_analyzer_finish(analyzer);
        followed_to_end = TRUE;
    }
}

/* Taps and draws what pmtud says about a frame that has a report (or where
 * the report limit was reached): few frames, kept out of dissect_pmtud so
 * that the others do not pay for this one's stack frame. */
G_NO_INLINE static int show_report(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree)
{
    pmtud_icmp_result_t *res;
    wmem_array_t *list;
    pmtud_oversize_t *over;
    pmtud_blackhole_t *bh;
    pmtud_tap_info_t *info;
    const frame_report_t *report;

    report = (const frame_report_t *)wmem_map_lookup(frame_reports, GUINT_TO_POINTER(pinfo->num));
    res = report ? report->icmp : NULL;
    list = report ? report->rejections : NULL;
    over = report ? report->oversize : NULL;
    bh = report ? report->blackhole : NULL;
    if (pinfo->num == limit_frame && limit_frame) {
        proto_item *ti = proto_tree_add_item(tree, proto_pmtud, tvb, 0, 0, ENC_NA);
        expert_add_info_format(pinfo, ti, &ei_pmtud_note[PMTUD_NOTE_LIMIT_REACHED],
            "pmtud stopped reporting here: %u reports is the limit per file (preference "
            "pmtud.max_reports); later ICMPs, oversize frames and black holes are not shown",
            pref_max_reports);
    }
    if (report && report->not_analysed) {
        proto_item *ti = proto_tree_add_item(tree, proto_pmtud, tvb, 0, 0, ENC_NA);
        proto_item_append_text(ti, ": not analysed");
        expert_add_info_format(pinfo, ti, &ei_pmtud_note[PMTUD_NOTE_NOT_ANALYSED], "%s",
                               report->not_analysed);
    }
    if (!res && !list && !over && !bh && !(report && report->confirmed))
        return 0;
    info = wmem_new0(pinfo->pool, pmtud_tap_info_t);
    info->icmp = res;
    info->oversize = over;
    info->n_rejections = list ? wmem_array_get_count(list) : 0;
    info->blackhole = bh;
    info->blackhole_confirmed = report->confirmed;
    info->flow = report->flow;
    info->last_report = followed_to_end && pinfo->num == last_report_frame;
    tap_queue_packet(pmtud_tap, pinfo, info);
    if (res)
        draw_icmp(tvb, pinfo, tree, res);
    if (list || over || bh)
        draw_data(tvb, pinfo, tree, list, over, bh);
    else if (!res)
        return 0;       /* the confirming ACK: tapped, nothing to draw */
    return tvb_captured_length(tvb);
}

static int dissect_pmtud(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    if (!frame_reports)
        return 0;
    if (!PINFO_FD_VISITED(pinfo)) {
        analyze_frame(tvb, pinfo);
    } else {
        /* Every frame has been read once: settle what is still open. */
        pmtud_settle();
    }
    if (!has_report(pinfo->num) && pinfo->num != limit_frame)
        return 0;    /* most frames: nothing to say, nothing to look up */
    return show_report(tvb, pinfo, tree);
}

/* Wireshark's expert groups and severities for the core's. */
static int expert_group(guint8 group)
{
    switch (group) {
    case PMTUD_GROUP_PROTOCOL:   return PI_PROTOCOL;
    case PMTUD_GROUP_MALFORMED:  return PI_MALFORMED;
    case PMTUD_GROUP_ASSUMPTION: return PI_ASSUMPTION;
    case PMTUD_GROUP_UNDECODED:  return PI_UNDECODED;
    default:                     return PI_SEQUENCE;
    }
}

static int expert_severity(guint8 severity)
{
    switch (severity) {
    case PMTUD_SEV_WARN: return PI_WARN;
    case PMTUD_SEV_NOTE: return PI_NOTE;
    default:             return PI_CHAT;
    }
}

/* Appends the registration of one table row's expert info. */
static void add_expert(ei_register_info *infos, guint *n, expert_field *ei,
                       const pmtud_note_t *note)
{
    static const ei_register_info blank = { NULL, { NULL, 0, 0, NULL, EXPFILL } };
    ei_register_info *r = &infos[(*n)++];

    *r = blank;
    r->ids = ei;
    r->eiinfo.name = g_strconcat("pmtud.", note->name, NULL);
    r->eiinfo.group = expert_group(note->group);
    r->eiinfo.severity = expert_severity(note->severity);
    r->eiinfo.summary = note->summary;
}

/* Every expert info comes from a row of pmtud_vocab.c. Wireshark keeps the
 * registration records and names: allocated once, never freed. */
static void register_experts(expert_module_t *module)
{
    guint n = 0, i;
    ei_register_info *infos =
        g_new(ei_register_info, pmtud_n_verdicts + PMTUD_R_COUNT + PMTUD_N_FRAME_NOTES);

    ei_pmtud_verdict = g_new(expert_field, pmtud_n_verdicts);
    for (i = 0; i < pmtud_n_verdicts; i++) {
        ei_pmtud_verdict[i] = (expert_field)EI_INIT;
        add_expert(infos, &n, &ei_pmtud_verdict[i], &pmtud_verdicts[i].note);
    }
    for (i = 0; i < PMTUD_R_COUNT; i++) {
        ei_pmtud_reaction[i] = (expert_field)EI_INIT;
        if (pmtud_reactions[i].note.name)
            add_expert(infos, &n, &ei_pmtud_reaction[i], &pmtud_reactions[i].note);
    }
    for (i = 0; i < PMTUD_N_FRAME_NOTES; i++) {
        ei_pmtud_note[i] = (expert_field)EI_INIT;
        add_expert(infos, &n, &ei_pmtud_note[i], &pmtud_frame_notes[i]);
    }
    expert_register_field_array(module, infos, (int)n);
}

/* The value names of pmtud.oversize.limit_source. "none" is left out: with
 * no limit nothing is judged against it. */
static void register_limit_sources(void)
{
    guint i, n = 0;

    for (i = PMTUD_LIMIT_NONE + 1; i < PMTUD_LIMIT_COUNT; i++) {
        limit_source_vals[n].value = i;
        limit_source_vals[n++].strptr = pmtud_limit_names[i];
    }
    limit_source_vals[n].value = 0;
    limit_source_vals[n].strptr = NULL;
}

void proto_register_pmtud(void)
{
    static hf_register_info hf[] = {
        { &hf_pmtud_icmp_quoted_frame,
          { "Quoted frame", "pmtud.icmp.quoted_frame", FT_FRAMENUM, BASE_NONE,
            FRAMENUM_TYPE(FT_FRAMENUM_REQUEST), 0x0,
            "The captured frame whose IP header this ICMP quotes", HFILL } },
        { &hf_pmtud_icmp_quoted_len,
          { "Quoted IP length", "pmtud.icmp.quoted_len", FT_UINT32, BASE_DEC, NULL, 0x0,
            "IP length in the quoted header (IPv6: 40 + payload length): the packet the router says it dropped", HFILL } },
        { &hf_pmtud_icmp_wire_len,
          { "Wire IP length", "pmtud.icmp.wire_len", FT_UINT32, BASE_DEC, NULL, 0x0,
            "IP length of the matched captured packet, at the IP layer the quote describes", HFILL } },
        { &hf_pmtud_icmp_mtu,
          { "Cited MTU", "pmtud.icmp.mtu", FT_UINT32, BASE_DEC, NULL, 0x0,
            "Next-hop MTU the ICMP message cites", HFILL } },
        { &hf_pmtud_icmp_excess,
          { "Excess", "pmtud.icmp.excess", FT_INT32, BASE_DEC, NULL, 0x0,
            "Quoted IP length minus wire IP length: positive means the router saw a bigger packet than crossed the wire", HFILL } },
        { &hf_pmtud_icmp_covered_frame,
          { "Covered frame", "pmtud.icmp.covered_frame", FT_FRAMENUM, BASE_NONE,
            FRAMENUM_TYPE(FT_FRAMENUM_REQUEST), 0x0,
            "A captured frame whose payload lies inside the quoted packet (the wire segments a coalesced packet was built from)", HFILL } },
        { &hf_pmtud_icmp_candidate_frame,
          { "Candidate frame", "pmtud.icmp.candidate_frame", FT_FRAMENUM, BASE_NONE,
            FRAMENUM_TYPE(FT_FRAMENUM_NONE), 0x0,
            "A captured frame that fits an ambiguous quote as well as the others (not linked: the quote does not say which; at most the latest 4)", HFILL } },
        { &hf_pmtud_icmp_peer_mss,
          { "Receiver's MSS", "pmtud.icmp.peer_mss", FT_UINT32, BASE_DEC, NULL, 0x0,
            "MSS the receiver announced in the captured handshake", HFILL } },
        { &hf_pmtud_icmp_verdict,
          { "Verdict", "pmtud.icmp.verdict", FT_STRING, BASE_NONE, NULL, 0x0,
            "What this ICMP message means, in a few words", HFILL } },
        { &hf_pmtud_icmp_piece_seq,
          { "Wire segment: sequence number", "pmtud.icmp.piece_seq", FT_UINT32, BASE_DEC, NULL, 0x0,
            "Captured before TSO: TCP sequence number of the first byte of the wire segment the router rejected, inside the quoted frame", HFILL } },
        { &hf_pmtud_icmp_piece_len,
          { "Wire segment: payload bytes", "pmtud.icmp.piece_len", FT_UINT32, BASE_DEC, NULL, 0x0,
            "Captured before TSO: TCP payload bytes of the wire segment the router rejected", HFILL } },
        { &hf_pmtud_icmp_piece_index,
          { "Wire segment: index", "pmtud.icmp.piece_index", FT_UINT32, BASE_DEC, NULL, 0x0,
            "Captured before TSO: which wire segment of the quoted frame the router rejected, from 0 (IPv4: the quoted IP ID minus the frame's)", HFILL } },
        { &hf_pmtud_icmp_retransmit_frame,
          { "Retransmission", "pmtud.icmp.retransmit_frame", FT_FRAMENUM, BASE_NONE,
            FRAMENUM_TYPE(FT_FRAMENUM_RETRANS_NEXT), 0x0,
            "The first later frame of the flow that carries the first byte of the rejected data", HFILL } },
        { &hf_pmtud_icmp_time_lost,
          { "Time lost", "pmtud.icmp.time_lost", FT_RELATIVE_TIME, BASE_NONE, NULL, 0x0,
            "From the first rejected transmission to the first transmission of that data that got through", HFILL } },
        { &hf_pmtud_oversize_len,
          { "Oversize length", "pmtud.oversize.len", FT_UINT32, BASE_DEC, NULL, 0x0,
            "IP length (or TCP payload, when held against the MSS) of a frame larger than it can have been on a wire", HFILL } },
        { &hf_pmtud_oversize_limit,
          { "Limit", "pmtud.oversize.limit", FT_UINT32, BASE_DEC, NULL, 0x0,
            "The link MTU or peer MSS the frame exceeds", HFILL } },
        { &hf_pmtud_icmp_router_hops,
          { "Router hops", "pmtud.icmp.router_hops", FT_UINT8, BASE_DEC, NULL, 0x0,
            "Routers between the capture point and the router that sent the ICMP, from its TTL / hop limit against the usual initial 64, 128 or 255 (a guess)", HFILL } },
        { &hf_pmtud_icmp_router_vendor,
          { "Router MAC vendor", "pmtud.icmp.router_vendor", FT_STRING, BASE_NONE, NULL, 0x0,
            "Wireshark's manufacturer name for the MAC of the router that sent the ICMP, when it is on the captured segment (0 hops): evidence, not certainty", HFILL } },
        { &hf_pmtud_icmp_router_nic,
          { "Router virtual NIC", "pmtud.icmp.router_nic", FT_STRING, BASE_NONE, NULL, 0x0,
            "The hypervisor's virtual NIC that MAC vendor points to (VMware vmxnet3, Hyper-V netvsc, KVM/QEMU virtio-net, Xen netfront, VirtualBox, Parallels)", HFILL } },
        { &hf_pmtud_icmp_router_advice,
          { "Router advice", "pmtud.icmp.router_advice", FT_STRING, BASE_NONE, NULL, 0x0,
            "How to stop that virtual NIC (or its host) merging received segments", HFILL } },
        { &hf_pmtud_icmp_sender_hops,
          { "Sender hops", "pmtud.icmp.sender_hops", FT_UINT8, BASE_DEC, NULL, 0x0,
            "Routers between the quoted packet's sender and the capture point, from the matched frame's TTL / hop limit (0: captured on the sender's side)", HFILL } },
        { &hf_pmtud_icmp_sender_vendor,
          { "Sender MAC vendor", "pmtud.icmp.sender_vendor", FT_STRING, BASE_NONE, NULL, 0x0,
            "Wireshark's manufacturer name for the source MAC of the matched frame, when its sender is on the captured segment (0 hops)", HFILL } },
        { &hf_pmtud_icmp_sender_nic,
          { "Sender virtual NIC", "pmtud.icmp.sender_nic", FT_STRING, BASE_NONE, NULL, 0x0,
            "The hypervisor's virtual NIC the sender's MAC vendor points to", HFILL } },
        { &hf_pmtud_oversize_hops,
          { "Sender hops", "pmtud.oversize.hops", FT_UINT8, BASE_DEC, NULL, 0x0,
            "Routers between this frame's sender and the capture point, from its TTL / hop limit (0: it has crossed no router)", HFILL } },
        { &hf_pmtud_oversize_vendor,
          { "Sender MAC vendor", "pmtud.oversize.vendor", FT_STRING, BASE_NONE, NULL, 0x0,
            "Wireshark's manufacturer name for the frame's source MAC, when its sender is on the captured segment (0 hops)", HFILL } },
        { &hf_pmtud_oversize_nic,
          { "Sender virtual NIC", "pmtud.oversize.nic", FT_STRING, BASE_NONE, NULL, 0x0,
            "The hypervisor's virtual NIC the sender's MAC vendor points to", HFILL } },
        { &hf_pmtud_oversize_limit_source,
          { "Limit source", "pmtud.oversize.limit_source", FT_UINT8, BASE_DEC,
            VALS(limit_source_vals), 0x0,
            "Where the limit comes from: the receiver's MSS, the pmtud.link_mtu preference, or the link type", HFILL } },
        { &hf_pmtud_blackhole_largest_through,
          { "Largest size through", "pmtud.blackhole.largest_through", FT_UINT32, BASE_DEC, NULL, 0x0,
            "Largest IP length of this flow that got through (was acknowledged)", HFILL } },
        { &hf_pmtud_blackhole_clamp_mss,
          { "MSS to clamp to", "pmtud.blackhole.clamp_mss", FT_UINT32, BASE_DEC, NULL, 0x0,
            "TCP payload of the largest segment that got through: clamp the MSS to it", HFILL } },
        { &hf_pmtud_blackhole_time_lost,
          { "Time lost", "pmtud.blackhole.time_lost", FT_RELATIVE_TIME, BASE_NONE, NULL, 0x0,
            "From the first full-size transmission to the first transmission of that data that got through (seen from the receiver: from the hole opening to the first frame filling it)", HFILL } },
        { &hf_pmtud_blackhole_df_cleared,
          { "DF cleared", "pmtud.blackhole.df_cleared", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
            "The smaller resend cleared Don't Fragment where the full-size segments had it set: Windows' black-hole detection", HFILL } },
        { &hf_pmtud_blackhole_receiver_view,
          { "Seen from the receiver", "pmtud.blackhole.receiver_view", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
            "A hole in the sequence space where full-size segments should be, filled seconds later by smaller ones", HFILL } },
        { &hf_pmtud_segment_rejected_in,
          { "Rejected in", "pmtud.segment.rejected_in", FT_FRAMENUM, BASE_NONE,
            FRAMENUM_TYPE(FT_FRAMENUM_RESPONSE), 0x0,
            "The ICMP frame that rejected this packet", HFILL } },
    };
    static gint *ett[] = { &ett_pmtud };
    module_t *pmtud_module;
    expert_module_t *expert_pmtud;

    proto_pmtud = proto_register_protocol("Path MTU Discovery analysis", "PMTUD", "pmtud");
    register_limit_sources();
    proto_register_field_array(proto_pmtud, hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));
    expert_pmtud = expert_register_protocol(proto_pmtud);
    register_experts(expert_pmtud);

    pmtud_module = prefs_register_protocol(proto_pmtud, NULL);
    prefs_register_uint_preference(pmtud_module, "window", "Transmissions remembered",
        "How many recent IP packets with data pmtud remembers to find the frame an ICMP "
        "quotes (120 bytes each with the hash buckets). An ICMP that quotes an older packet is reported as "
        "not captured. Takes effect when a file is opened.", 10, &pref_window);

    prefs_register_uint_preference(pmtud_module, "link_mtu", "Link MTU",
        "The MTU of the link at the capture point, used to spot frames no wire carried "
        "(captured before TSO/GSO or after LRO/GRO) when the capture has no handshake "
        "telling the receiver's MSS. 0 = from the link type (1500; 1492 for PPPoE). "
        "Set 9000 for jumbo frames. Takes effect when a file is opened.", 10, &pref_link_mtu);

    prefs_register_uint_preference(pmtud_module, "max_reports", "Reports kept per file",
        "How many per-frame reports (ICMP results, oversize frames, black hole frames) pmtud "
        "keeps for one capture file, about 600 bytes each. Past it pmtud notes where it "
        "stopped and reports nothing more. Takes effect when a file is opened.", 10,
        &pref_max_reports);

    /* A key unknown to whoever wrote the capture, once per process (the
     * per-flow tables of -z pmtud,flows outlive a file). */
    pmtud_flow_hash_set_key(((guint64)g_random_int() << 32) | g_random_int());

    register_init_routine(pmtud_init);
    register_cleanup_routine(pmtud_cleanup);
    pmtud_tap = register_tap("pmtud");
    pmtud_refilter_register();
}

void proto_reg_handoff_pmtud(void)
{
    dissector_handle_t handle = create_dissector_handle(dissect_pmtud, proto_pmtud);
    /* No set_postdissector_wanted_hfids(): see the comment at the top. */
    register_postdissector(handle);
    proto_icmp = proto_get_id_by_filter_name("icmp");
    proto_icmpv6 = proto_get_id_by_filter_name("icmpv6");
}
