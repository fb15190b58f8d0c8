/* vocab_list.c
 * Prints pmtud's vocabulary (pmtud_vocab.c), one expert info per line:
 * "<kind> <filter name>", kind one of verdict, reaction, note. The capture
 * tests read it instead of repeating the names. With --columns: the counts
 * -z pmtud,flows and Statistics > PMTUD > Flows share, one per line,
 * "<CSV column>\t<tree label>" (test_summaries.py).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <string.h>

#include "pmtud_vocab.h"

static int list_columns(void)
{
    size_t i;

    for (i = 0; i < PMTUD_N_TALLIES; i++)
        if (pmtud_tallies[i].csv_column)
            printf("%s\t%s\n", pmtud_tallies[i].csv_column, pmtud_tallies[i].label);
    for (i = 0; i < PMTUD_R_COUNT; i++)
        if (pmtud_reactions[i].csv_column)
            printf("%s\t%s\n", pmtud_reactions[i].csv_column, pmtud_reactions[i].label);
    return 0;
}

int main(int argc, char **argv)
{
    size_t i;

    if (argc > 1 && strcmp(argv[1], "--columns") == 0)
        return list_columns();

    for (i = 0; i < pmtud_n_verdicts; i++)
        printf("verdict %s\n", pmtud_verdicts[i].note.name);
    for (i = 0; i < PMTUD_R_COUNT; i++)
        if (pmtud_reactions[i].note.name)
            printf("reaction %s\n", pmtud_reactions[i].note.name);
    for (i = 0; i < PMTUD_N_FRAME_NOTES; i++)
        printf("note %s\n", pmtud_frame_notes[i].name);
    return 0;
}
