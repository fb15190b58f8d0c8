/* pmtud_vocab.c
 * The tables of pmtud_vocab.h. Each row is complete on its own: its filter
 * name, texts, label, column and sentence sit side by side, so they cannot
 * drift apart.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "pmtud_vocab.h"

#include "pmtud_messages.h"

const pmtud_tally_desc_t pmtud_tallies[PMTUD_N_TALLIES] = {
    [PMTUD_TALLY_OFFLOAD]      = { "offload artefact",           "offload_artefacts" },
    [PMTUD_TALLY_LEGITIMATE]   = { "legitimate",                 "legitimate" },
    [PMTUD_TALLY_BOGUS_MTU]    = { "bogus MTU",                  "bogus_mtu" },
    [PMTUD_TALLY_NOT_CAPTURED] = { "quoted packet not captured", "not_captured" },
    /* No CSV column: the columns are a contract with pmtud-batch users. */
    [PMTUD_TALLY_AMBIGUOUS]    = { "quote ambiguous (not linked)", NULL },
    [PMTUD_TALLY_REWRITTEN]    = { "quoted length rewritten",    NULL },
    [PMTUD_TALLY_QUOTE_SHORT]  = { "quote cut short",            NULL },
    [PMTUD_TALLY_BEFORE_TSO]   = { "captured before TSO (wire segment of a frame)", NULL },
};

const pmtud_verdict_desc_t pmtud_verdicts[] = {
    { PMTUD_V_OFFLOAD, "offload artefact (quoted packet larger than any wire frame)",
      { "offload_artefact", PMTUD_GROUP_PROTOCOL, PMTUD_SEV_WARN,
        "The rejected packet never crossed the wire: segmentation offload merged or kept it whole" },
      pmtud_msg_offload, PMTUD_TALLY_OFFLOAD },
    { PMTUD_V_OFFLOAD_MSS, "offload artefact (frame larger than the receiver's MSS)",
      { "offload_artefact", PMTUD_GROUP_PROTOCOL, PMTUD_SEV_WARN,
        "The rejected packet never crossed the wire: segmentation offload merged or kept it whole" },
      pmtud_msg_offload, PMTUD_TALLY_OFFLOAD },
    { PMTUD_V_NOT_CAPTURED, "quoted packet not captured",
      { "quote_not_captured", PMTUD_GROUP_SEQUENCE, PMTUD_SEV_NOTE,
        "No captured frame matches the quoted packet" },
      pmtud_msg_not_captured, PMTUD_TALLY_NOT_CAPTURED },
    { PMTUD_V_AMBIGUOUS, "quote ambiguous (several captured frames fit; none linked)",
      { "quote_ambiguous", PMTUD_GROUP_SEQUENCE, PMTUD_SEV_NOTE,
        "Captured frames fit the quote, but it does not say which one: none is linked" },
      pmtud_msg_ambiguous, PMTUD_TALLY_AMBIGUOUS },
    { PMTUD_V_REWRITTEN, "quoted length rewritten by the router",
      { "quote_rewritten", PMTUD_GROUP_PROTOCOL, PMTUD_SEV_NOTE,
        "The router rewrote the quoted length to what it quoted" },
      pmtud_msg_rewritten, PMTUD_TALLY_REWRITTEN },
    /* Smaller than its frame like a rewrite, but a wire segment of a frame
     * captured before TSO (pmtud_piece.c): replaces quote_rewritten. */
    { PMTUD_V_BEFORE_TSO, "captured before TSO (quote is one wire segment of the frame)",
      { "captured_before_tso", PMTUD_GROUP_PROTOCOL, PMTUD_SEV_NOTE,
        "The quote is one wire segment of a frame captured before TSO split it" },
      pmtud_msg_before_tso, PMTUD_TALLY_BEFORE_TSO },
    { PMTUD_V_QUOTE_SHORT, "quote cut short",
      { "quote_short", PMTUD_GROUP_MALFORMED, PMTUD_SEV_NOTE,
        "The quote ends inside the quoted headers" },
      pmtud_msg_quote_short, PMTUD_TALLY_QUOTE_SHORT },
    { PMTUD_V_BOGUS_MTU, "bogus MTU",
      { "bogus_mtu", PMTUD_GROUP_PROTOCOL, PMTUD_SEV_WARN,
        "The cited MTU cannot explain the rejection" },
      pmtud_msg_bogus_mtu, PMTUD_TALLY_BOGUS_MTU },
    /* Same filter name as the warning: MTU 0 is a bogus MTU, but an honest
     * one from an old router, so only a note. */
    { PMTUD_V_MTU_ZERO, "no MTU given (pre-RFC 1191 router)",
      { "bogus_mtu", PMTUD_GROUP_PROTOCOL, PMTUD_SEV_NOTE,
        "The ICMP gives no MTU (pre-RFC 1191 router)" },
      pmtud_msg_mtu_zero, PMTUD_TALLY_BOGUS_MTU },
    { PMTUD_V_LEGITIMATE, "legitimate: smaller MTU on the path",
      { "legitimate", PMTUD_GROUP_SEQUENCE, PMTUD_SEV_CHAT,
        "A real smaller MTU on the path" },
      pmtud_msg_legitimate, PMTUD_TALLY_LEGITIMATE },
};

const size_t pmtud_n_verdicts = sizeof pmtud_verdicts / sizeof pmtud_verdicts[0];

const pmtud_reaction_desc_t pmtud_reactions[PMTUD_R_COUNT] = {
    [PMTUD_R_PENDING] = {
        { NULL, 0, 0, NULL }, pmtud_msg_reaction_unknown, "not known yet (one pass)", NULL },
    [PMTUD_R_WORKED] = {
        { "pmtud_worked", PMTUD_GROUP_SEQUENCE, PMTUD_SEV_NOTE,
          "The sender resent the data in packets that fit, and it got through" },
        pmtud_msg_worked, "PMTUD worked", "pmtud_worked" },
    [PMTUD_R_SAME_SIZE_CROSSED] = {
        { "same_size_crossed", PMTUD_GROUP_SEQUENCE, PMTUD_SEV_WARN,
          "Resent at the same size, it got through: the ICMP described a packet not on the wire" },
        pmtud_msg_same_size_crossed, "same size crossed (offload)", "same_size_crossed" },
    [PMTUD_R_IGNORED] = {
        { "icmp_ignored", PMTUD_GROUP_SEQUENCE, PMTUD_SEV_WARN,
          "Resent at the same size and rejected again: the sender ignores or never gets the ICMP" },
        pmtud_msg_ignored, "ICMP ignored", "icmp_ignored" },
    [PMTUD_R_NO_RETRANSMISSION] = {
        { "no_retransmission", PMTUD_GROUP_SEQUENCE, PMTUD_SEV_WARN,
          "The rejected data was not resent (or never got through) before the capture ends" },
        pmtud_msg_no_retransmission, "no retransmission / stalled", "no_retransmission" },
    [PMTUD_R_NOT_FOLLOWED] = {
        { NULL, 0, 0, NULL }, pmtud_msg_reaction_unknown, "not followed (not TCP)", NULL },
};

const pmtud_reaction_desc_t *pmtud_reaction_desc(unsigned reaction)
{
    return &pmtud_reactions[reaction < PMTUD_R_COUNT ? reaction : PMTUD_R_PENDING];
}

bool pmtud_time_lost_counts(const pmtud_icmp_result_t *res)
{
    switch (res->reaction) {
    case PMTUD_R_WORKED:
    case PMTUD_R_SAME_SIZE_CROSSED:
        return true;
    case PMTUD_R_IGNORED:
        /* Rejected again, then through: settled with the frame that made it.
         * Ignored up to the capture's end, nothing got through. */
        return res->through_frame != 0;
    default:
        return false;
    }
}

const pmtud_note_t pmtud_frame_notes[PMTUD_N_FRAME_NOTES] = {
    [PMTUD_NOTE_REJECTED] = { "rejected", PMTUD_GROUP_SEQUENCE, PMTUD_SEV_NOTE,
        "This packet was rejected by an ICMP fragmentation needed / Packet Too Big" },
    [PMTUD_NOTE_OVERSIZE] = { "oversize", PMTUD_GROUP_PROTOCOL, PMTUD_SEV_NOTE,
        "Larger than the link MTU or the peer's MSS: captured before TSO/GSO or after LRO/GRO" },
    /* Same name, raised where a router rejected the oversize frame too. */
    [PMTUD_NOTE_OVERSIZE_REJECTED] = { "oversize", PMTUD_GROUP_PROTOCOL, PMTUD_SEV_WARN,
        "Larger than the link MTU or the peer's MSS, and rejected by a router" },
    [PMTUD_NOTE_BLACKHOLE] = { "blackhole", PMTUD_GROUP_SEQUENCE, PMTUD_SEV_WARN,
        "Full-size segments vanish with no ICMP while smaller ones get through: ICMP filtered" },
    /* Same name: the same black hole, seen from the receiver's side. */
    [PMTUD_NOTE_BLACKHOLE_RECEIVER] = { "blackhole", PMTUD_GROUP_SEQUENCE, PMTUD_SEV_WARN,
        "A hole where full-size segments should be, filled seconds later by smaller ones: a "
        "PMTUD black hole seen from the receiver" },
    [PMTUD_NOTE_LIMIT_REACHED] = { "limit_reached", PMTUD_GROUP_ASSUMPTION, PMTUD_SEV_NOTE,
        "pmtud stopped storing reports: the pmtud.max_reports limit is reached" },
    [PMTUD_NOTE_NOT_ANALYSED] = { "not_analysed", PMTUD_GROUP_UNDECODED, PMTUD_SEV_NOTE,
        "An ICMP frag-needed / Packet Too Big in an encapsulation or link type pmtud cannot read" },
};

const char *const pmtud_limit_names[PMTUD_LIMIT_COUNT] = {
    [PMTUD_LIMIT_NONE]         = "none",
    [PMTUD_LIMIT_PEER_MSS]     = "peer MSS",
    [PMTUD_LIMIT_PREFERENCE]   = "preference",
    [PMTUD_LIMIT_LINK_DEFAULT] = "link default",
    [PMTUD_LIMIT_PPPOE]        = "PPPoE",
};
