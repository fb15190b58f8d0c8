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

#endif /* PMTUD_COMPAT_H */
