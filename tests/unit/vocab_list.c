/* vocab_list.c
 * Prints pmtud's vocabulary (pmtud_vocab.c), one expert info per line:
 * "<kind> <filter name>", kind one of verdict, reaction, note. The capture
 * tests read it instead of repeating the names.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>

#include "pmtud_vocab.h"

int main(void)
{
    size_t i;

    for (i = 0; i < pmtud_n_verdicts; i++)
        printf("verdict %s\n", pmtud_verdicts[i].note.name);
    for (i = 0; i < PMTUD_R_COUNT; i++)
        if (pmtud_reactions[i].note.name)
            printf("reaction %s\n", pmtud_reactions[i].note.name);
    for (i = 0; i < PMTUD_N_FRAME_NOTES; i++)
        printf("note %s\n", pmtud_frame_notes[i].name);
    return 0;
}
