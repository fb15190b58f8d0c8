/* pmtud_box.h
 * Which box most likely merged a packet, and how to turn that off there:
 * how many routers lie between it and the capture point (its TTL / hop
 * limit against the usual initial values), and what its network card is
 * (the manufacturer Wireshark's database gives for its MAC address).
 *
 * The manufacturer lookup is Wireshark's (the glue asks it, only for the
 * few frames pmtud reports on); what a manufacturer means for offload, and
 * what to turn off, is pmtud's knowledge and lives in one table here.
 * Everything here is evidence, not certainty: a MAC address can be set by
 * hand, and a VMware OUI can sit on a physical appliance.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PMTUD_BOX_H
#define PMTUD_BOX_H

#include <stdbool.h>
#include <stdint.h>

/* Routers a packet crossed since its sender, from its TTL / hop limit:
 * senders start at 64 (Linux, macOS, BSD), 128 (Windows) or 255 (most
 * routers, for their own ICMP), so the distance to the next of these at or
 * above the TTL. A guess: a sender may start elsewhere (32, 60). Inline:
 * every data frame's oversize judgement asks it. */
static inline uint8_t pmtud_hops_from_ttl(uint8_t ttl)
{
    if (ttl <= 64)
        return (uint8_t)(64 - ttl);
    if (ttl <= 128)
        return (uint8_t)(128 - ttl);
    return (uint8_t)(255 - ttl);
}

/* The virtual network cards pmtud can name, and knows how to tame. */
typedef enum {
    PMTUD_NIC_NONE = 0,      /* unknown, physical, or not on the captured segment */
    PMTUD_NIC_VMWARE,
    PMTUD_NIC_HYPERV,
    PMTUD_NIC_KVM,
    PMTUD_NIC_XEN,
    PMTUD_NIC_VIRTUALBOX,
    PMTUD_NIC_PARALLELS,
} pmtud_nic_t;

typedef struct {
    pmtud_nic_t nic;
    const char *vendor_has;  /* text in Wireshark's manufacturer name for the OUI */
    bool        local_only;  /* only on a locally administered address */
    const char *name;        /* short, for fields and CSV: "VMware vmxnet3" */
    const char *what;        /* in a sentence: "a VMware VM (vmxnet3)" */
    const char *merge_off;   /* how to stop it merging received segments (LRO/GRO) */
} pmtud_nic_info_t;

/* The virtual card a MAC address points to. manuf is Wireshark's
 * manufacturer name for its OUI (NULL when unknown); oui its first 3 bytes. */
pmtud_nic_t pmtud_nic_of(const char *manuf, const uint8_t oui[3]);

/* The table row of a card; NULL for PMTUD_NIC_NONE or out of range. */
const pmtud_nic_info_t *pmtud_nic_info(pmtud_nic_t nic);

/* A locally administered address (second bit of the first byte): set by
 * software, so its manufacturer prefix names no one (random veth, cloud
 * ENIs), except where a hypervisor claims one (QEMU's 52:54:00). */
bool pmtud_mac_is_local(const uint8_t oui[3]);

/* What the capture says about one box (the router that sent an ICMP, the
 * sender of the data, or the box an oversize frame came from). */
typedef struct {
    bool        known;       /* hops is set: the box sent a packet pmtud saw */
    uint8_t     hops;        /* routers between the box and the capture point */
    bool        has_oui;     /* oui is the box's own (0 hops, Ethernet) */
    uint8_t     oui[3];      /* the manufacturer prefix of its MAC address */
    uint8_t     nic;         /* pmtud_nic_t */
    const char *vendor;      /* Wireshark's manufacturer name; NULL unknown or not claimed */
} pmtud_box_t;

/* Fills a box from the TTL of a packet it sent and the OUI (first 3
 * bytes) of the source MAC of the frame that carried it (NULL without an
 * Ethernet header). The MAC is the box's own only when no router lies
 * between (0 hops): else it belongs to the last router before the capture,
 * and nothing is claimed. */
void pmtud_box_set(pmtud_box_t *box, uint8_t ttl, const uint8_t *src_oui);

/* Records the manufacturer the glue looked up for box->oui and names the
 * card. A locally administered address keeps no vendor unless the table
 * knows it (random addresses resolve to whoever registered that prefix). */
void pmtud_box_name(pmtud_box_t *box, const char *manuf);

/* What the box is, for fields, CSV and sentences; NULL when no card is
 * named (then nothing is claimed and the generic advice stands). */
const char *pmtud_box_nic_name(const pmtud_box_t *box);   /* "VMware vmxnet3" */
const char *pmtud_box_what(const pmtud_box_t *box);       /* "a VMware VM (vmxnet3)" */
const char *pmtud_box_merge_off(const pmtud_box_t *box);  /* what to turn off, in full */

#endif /* PMTUD_BOX_H */
