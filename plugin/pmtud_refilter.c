/* pmtud_refilter.c
 * Opening a capture with a display filter already set (wireshark -r FILE
 * -Y pmtud, or a filter in the bar while the file loads): Wireshark filters
 * each frame as it reads it, and pmtud learns that a frame was rejected
 * only when the ICMP that rejects it arrives, later. Without help the
 * rejected frames (and black-hole frames, and reactions, which are also
 * known only later) stay hidden until the user applies the filter again.
 *
 * The help is Wireshark's own: when something asks for a new filter while
 * the file is still being read, cf_read() queues the request
 * (capture_file.redissection_queued) and runs it once the read is done.
 * pmtud queues that same request, from a "post-sequential-read" routine,
 * which cf_read() calls after the last frame and before it looks at the
 * queue. The request is a plain refilter (RESCAN_SCAN): frames are not
 * dissected anew, pmtud's results stay, and the refilter itself calls no
 * post-sequential routine, so nothing can loop.
 *
 * It happens only when all of these hold:
 *   - a GUI is there to hand over the capture file (plugin_if; tshark has
 *     none, and pmtud does not even ask it there);
 *   - the file is being read by cf_read() (read_lock held), so the queued
 *     request is sure to be taken; nothing else is queued yet;
 *   - a display filter is set, and it can see what pmtud adds (it names
 *     pmtud, an expert field, a coloring rule, or holds a macro);
 *   - pmtud reported something about a frame after that frame was read.
 * Once per read of a file: a preference change redissects without a new
 * read, and then the user applies the filter again (see the README).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "pmtud_compat.h"

#include <string.h>

#include <epan/packet.h>
#include <epan/plugin_if.h>

#include "pmtud_refilter.h"

#if PMTUD_WS_HAS_CFILE
#include <cfile.h>
#endif

static gboolean late_reports;   /* about a frame already read, this read */

void pmtud_refilter_new_file(void)
{
    late_reports = FALSE;
}

void pmtud_refilter_late_report(void)
{
    late_reports = TRUE;
}

#if PMTUD_WS_HAS_CFILE

/* Can this filter see pmtud's items? Said from its text, erring on yes: a
 * needless refilter costs a rescan, a missed one hides frames. */
static gboolean filter_sees_pmtud(const char *filter)
{
    static const char *const words[] = {
        "pmtud", "_ws.expert", "frame.coloring_rule", "${",
    };
    gchar *lower = g_ascii_strdown(filter, -1);
    gboolean sees = FALSE;
    guint i;

    for (i = 0; i < G_N_ELEMENTS(words) && !sees; i++)
        sees = strstr(lower, words[i]) != NULL;
    g_free(lower);
    return sees;
}

/* Called by the GUI with its capture file, inside cf_read(). */
static void *queue_refilter(capture_file *cf, void *user_data _U_)
{
    if (!cf->read_lock || cf->state != FILE_READ_DONE ||
        cf->redissection_queued != RESCAN_NONE || !cf->dfilter ||
        !filter_sees_pmtud(cf->dfilter))
        return NULL;
    cf->redissection_queued = RESCAN_SCAN;
    return cf;
}

/* Only a GUI hands over its capture file; the command-line tools run the
 * same post-sequential routines (tshark -2) and are not even asked (the
 * plugin_if request would leave its keys behind in them). */
static gboolean in_command_line_tool(void)
{
    static const char *const tools[] = { "tshark", "sharkd", "rawshark", "tfshark" };
    const char *name = g_get_prgname();
    guint i;

    for (i = 0; name && i < G_N_ELEMENTS(tools); i++)
        if (strcmp(name, tools[i]) == 0)
            return TRUE;
    return FALSE;
}

static void pmtud_refilter_after_read(void)
{
    if (!late_reports)
        return;
    late_reports = FALSE;
    if (!in_command_line_tool())
        plugin_if_get_capture_file(queue_refilter, NULL);
}

void pmtud_refilter_register(void)
{
    register_postseq_cleanup_routine(pmtud_refilter_after_read);
}

#else

void pmtud_refilter_register(void)
{
}

#endif
