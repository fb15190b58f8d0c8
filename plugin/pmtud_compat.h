/* pmtud_compat.h
 * The one place where Wireshark version differences are handled.
 * Tested against 4.0 (Debian 12), 4.4 (Debian 13) and 4.6 (Debian sid).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PMTUD_COMPAT_H
#define PMTUD_COMPAT_H

#include <wireshark.h>
#include <ws_version.h>

#define PMTUD_WS_AT_LEAST(maj, min) \
    (WIRESHARK_VERSION_MAJOR > (maj) || \
     (WIRESHARK_VERSION_MAJOR == (maj) && WIRESHARK_VERSION_MINOR >= (min)))

/* 4.2 added plugin_describe() and the plugin type flags. */
#define PMTUD_WS_HAS_PLUGIN_DESCRIBE PMTUD_WS_AT_LEAST(4, 2)
#if PMTUD_WS_HAS_PLUGIN_DESCRIBE
#include <wsutil/plugins.h>
#endif

/* 4.6 (from 4.5.x) made stat_tap_ui.tap_init_cb return bool: false tells
 * tshark that the tap could not start. Before, it returned void.
 * Use: static PMTUD_TAP_INIT_RET init(const char *, void *)
 *      { ...; PMTUD_TAP_INIT_RETURN(ok); } */
#if PMTUD_WS_AT_LEAST(4, 5)
#define PMTUD_TAP_INIT_RET bool
#define PMTUD_TAP_INIT_RETURN(ok) return (ok)
#else
#define PMTUD_TAP_INIT_RET void
#define PMTUD_TAP_INIT_RETURN(ok) do { (void)(ok); return; } while (0)
#endif

/* cfile.h (the GUI's capture_file) is installed with Wireshark's headers;
 * without it the GUI refilter (pmtud_refilter.c) is left out. What the
 * refilter relies on is the same from 4.0 to 4.6: the capture_file fields
 * state, dfilter, read_lock and redissection_queued (gboolean in 4.0, bool
 * later, the names unchanged); cf_read() setting state = FILE_READ_DONE,
 * then calling the post-sequential routines (register_postseq_cleanup_
 * routine) with read_lock still held, then running a queued rescan; and
 * plugin_if_get_capture_file(). */
#if defined(__has_include)
#if __has_include(<cfile.h>)
#define PMTUD_WS_HAS_CFILE 1
#endif
#endif
#ifndef PMTUD_WS_HAS_CFILE
#define PMTUD_WS_HAS_CFILE 0
#endif

#endif /* PMTUD_COMPAT_H */
