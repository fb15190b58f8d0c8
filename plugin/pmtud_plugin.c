/* pmtud_plugin.c
 * Plugin entry points. Differences between Wireshark versions are handled
 * here and in pmtud_compat.h only.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define WS_BUILD_DLL
#include "pmtud_compat.h"

#include <epan/packet.h>
#include <epan/proto.h>
#include <epan/tap.h>

#ifndef PMTUD_VERSION
#define PMTUD_VERSION "0.0.0"
#endif

WS_DLL_PUBLIC_DEF const gchar plugin_version[] = PMTUD_VERSION;
WS_DLL_PUBLIC_DEF const int plugin_want_major = WIRESHARK_VERSION_MAJOR;
WS_DLL_PUBLIC_DEF const int plugin_want_minor = WIRESHARK_VERSION_MINOR;

WS_DLL_PUBLIC void plugin_register(void);
#if PMTUD_WS_HAS_PLUGIN_DESCRIBE
WS_DLL_PUBLIC uint32_t plugin_describe(void);
#endif

void proto_register_pmtud(void);
void proto_reg_handoff_pmtud(void);
void register_pmtud_stats(void);

void plugin_register(void)
{
    static proto_plugin plugin_pmtud;
    static tap_plugin plugin_pmtud_stats;

    plugin_pmtud.register_protoinfo = proto_register_pmtud;
    plugin_pmtud.register_handoff = proto_reg_handoff_pmtud;
    proto_register_plugin(&plugin_pmtud);
    /* -z pmtud,tree and -z pmtud,flows */
    plugin_pmtud_stats.register_tap_listener = register_pmtud_stats;
    tap_register_plugin(&plugin_pmtud_stats);
}

#if PMTUD_WS_HAS_PLUGIN_DESCRIBE
uint32_t plugin_describe(void)
{
    return WS_PLUGIN_DESC_DISSECTOR;
}
#endif
