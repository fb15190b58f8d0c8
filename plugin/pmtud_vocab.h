/* pmtud_vocab.h
 * pmtud's vocabulary: one table per kind of thing it says, one row per
 * word, holding everything about it: the verdict flag or value, the expert
 * info (filter name, group, severity, summary), the short text of
 * pmtud.icmp.verdict, the -z pmtud,tree label, the -z pmtud,flows column and
 * the sentence. The glue registers its expert infos from these tables; the
 * statistics, the CSV and the tests read them; nothing else lists them.
 *
 * Adding a verdict: a PMTUD_V_* flag (pmtud_result.h), its row in
 * pmtud_verdicts[] (pmtud_vocab.c), its sentence (pmtud_messages.c) and the
 * logic that sets it (judge() in pmtud_analyze.c). Adding a note on data
 * frames: a PMTUD_NOTE_* value and its row in pmtud_frame_notes[].
 *
 * Expert filter names are a contract with users' filters and colouring
 * rules: never rename one.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PMTUD_VOCAB_H
#define PMTUD_VOCAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pmtud_oversize.h"
#include "pmtud_result.h"

/* Wireshark's expert severities and groups, without its headers (the glue
 * maps them to PI_*). */
typedef enum { PMTUD_SEV_CHAT, PMTUD_SEV_NOTE, PMTUD_SEV_WARN } pmtud_severity_t;
typedef enum {
    PMTUD_GROUP_SEQUENCE, PMTUD_GROUP_PROTOCOL, PMTUD_GROUP_MALFORMED, PMTUD_GROUP_ASSUMPTION,
    PMTUD_GROUP_UNDECODED
} pmtud_group_t;

/* One expert info. Two rows may share a filter name (one idea, two
 * severities: pmtud.bogus_mtu, pmtud.oversize). */
typedef struct {
    const char *name;       /* filter name after "pmtud."; NULL: no expert info */
    uint8_t     group;      /* pmtud_group_t */
    uint8_t     severity;   /* pmtud_severity_t */
    const char *summary;    /* what the expert info means, in general */
} pmtud_note_t;

typedef void (*pmtud_sentence_fn)(char *buf, size_t n, const pmtud_icmp_result_t *res);

/* What the summaries count verdicts as: several verdicts can share a count
 * (offload, offload over the MSS). In the order of the -z pmtud,tree lines
 * and the -z pmtud,flows columns. */
typedef enum {
    PMTUD_TALLY_OFFLOAD,
    PMTUD_TALLY_LEGITIMATE,
    PMTUD_TALLY_BOGUS_MTU,
    PMTUD_TALLY_NOT_CAPTURED,
    PMTUD_TALLY_AMBIGUOUS,
    PMTUD_TALLY_REWRITTEN,
    PMTUD_TALLY_QUOTE_SHORT,
    PMTUD_TALLY_BEFORE_TSO,
    PMTUD_N_TALLIES
} pmtud_tally_t;

typedef struct {
    const char *label;       /* -z pmtud,tree line */
    const char *csv_column;  /* -z pmtud,flows column (ICMPs per flow); NULL: none */
} pmtud_tally_desc_t;

extern const pmtud_tally_desc_t pmtud_tallies[PMTUD_N_TALLIES];

/* The verdicts on one ICMP, in the order pmtud.icmp.verdict joins their
 * texts and the expert infos are raised. */
typedef struct {
    uint32_t          flag;      /* PMTUD_V_* */
    const char       *text;      /* short, for pmtud.icmp.verdict */
    pmtud_note_t      note;      /* raised on the ICMP frame */
    pmtud_sentence_fn sentence;  /* the expert info's text */
    uint8_t           tally;     /* pmtud_tally_t */
} pmtud_verdict_desc_t;

extern const pmtud_verdict_desc_t pmtud_verdicts[];
extern const size_t pmtud_n_verdicts;

/* What the sender did, indexed by pmtud_reaction_t. */
typedef struct {
    pmtud_note_t      note;        /* name NULL: not known, no expert info */
    pmtud_sentence_fn sentence;
    const char       *label;       /* -z pmtud,tree line */
    const char       *csv_column;  /* -z pmtud,flows column; NULL: none */
} pmtud_reaction_desc_t;

extern const pmtud_reaction_desc_t pmtud_reactions[PMTUD_R_COUNT];

/* The row of a reaction (the "not known yet" row for any unknown value). */
const pmtud_reaction_desc_t *pmtud_reaction_desc(unsigned reaction);

/* Whether the time of this ICMP's reaction counts as lost: the rejected data
 * got through in the end (after a smaller resend, a same-size resend, or
 * after the sender ignored the ICMP and was rejected again). The one rule
 * the tree, the flows CSV and pmtud.icmp.time_lost follow. */
bool pmtud_time_lost_counts(const pmtud_icmp_result_t *res);

/* Notes on data frames (and on the frame where reporting stopped). */
typedef enum {
    PMTUD_NOTE_REJECTED,
    PMTUD_NOTE_OVERSIZE,
    PMTUD_NOTE_OVERSIZE_REJECTED,
    PMTUD_NOTE_BLACKHOLE,
    PMTUD_NOTE_BLACKHOLE_RECEIVER,
    PMTUD_NOTE_LIMIT_REACHED,
    PMTUD_NOTE_NOT_ANALYSED,     /* a frag-needed / PTB pmtud could not read (never silent) */
    PMTUD_N_FRAME_NOTES
} pmtud_frame_note_t;

extern const pmtud_note_t pmtud_frame_notes[PMTUD_N_FRAME_NOTES];

/* Where an oversize frame's limit comes from, indexed by pmtud_limit_t. */
extern const char *const pmtud_limit_names[PMTUD_LIMIT_COUNT];

#endif /* PMTUD_VOCAB_H */
