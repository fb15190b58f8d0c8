/* pmtud_box.c
 * The box behind an address: hop distance from the TTL, virtual card from
 * the manufacturer name, and what to turn off on it.
 *
 * The card is told by the manufacturer name Wireshark gives, never by a
 * list of OUIs kept here: Wireshark's database is updated with Wireshark,
 * and names every prefix a hypervisor has (VMware has four). One case needs
 * more than the name: QEMU and KVM give their guests 52:54:00:xx:xx:xx, a
 * locally administered prefix that Wireshark's database files under
 * "Realtek" (from an old report). A genuine Realtek card has a globally
 * administered address, so "Realtek" on a locally administered address is
 * read as QEMU/KVM.
 *
 * The advice is what stops a receiving virtual card (or the virtual switch
 * in front of it) from handing the guest merged segments: LRO/GRO in the
 * guest, or the host's setting for that card. Cloud NICs: Azure VMs are
 * Hyper-V guests with Microsoft addresses and take the Hyper-V advice; AWS
 * and Google Cloud give locally administered addresses that name no one, so
 * nothing is claimed there.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "pmtud_box.h"

#include <ctype.h>
#include <stddef.h>
#include <string.h>

#define GUEST_OFF "in its guest ethtool -K <if> lro off gro off"
#define WINDOWS_OFF " (Windows: Disable-NetAdapterRsc -Name <if>)"

static const pmtud_nic_info_t nics[] = {
    { PMTUD_NIC_VMWARE, "VMware", false, "VMware vmxnet3", "a VMware VM (vmxnet3)",
      GUEST_OFF WINDOWS_OFF ", or on its ESXi host the advanced settings "
      "Net.Vmxnet3HwLRO=0 and Net.Vmxnet3SwLRO=0" },
    { PMTUD_NIC_HYPERV, "Microsoft", false, "Hyper-V netvsc", "a Hyper-V or Azure VM (netvsc)",
      GUEST_OFF WINDOWS_OFF ", or on its Hyper-V host "
      "Set-VMSwitch -Name <switch> -EnableSoftwareRsc $false" },
    { PMTUD_NIC_KVM, "Realtek", true, "KVM/QEMU virtio-net", "a KVM/QEMU VM (virtio-net)",
      GUEST_OFF ", or on its host guest_tso4=off,guest_tso6=off on its virtio-net device "
      "(libvirt: <driver><guest tso4='off' tso6='off'/></driver>)" },
    { PMTUD_NIC_XEN, "Xensource", false, "Xen netfront", "a Xen VM (netfront)",
      GUEST_OFF ", or in dom0 ethtool -K vif<domid>.<n> tso off gso off" },
    { PMTUD_NIC_VIRTUALBOX, "PCS Computer Systems", false, "VirtualBox", "a VirtualBox VM",
      GUEST_OFF WINDOWS_OFF },
    { PMTUD_NIC_PARALLELS, "Parallels", false, "Parallels", "a Parallels VM",
      GUEST_OFF WINDOWS_OFF },
};

bool pmtud_mac_is_local(const uint8_t oui[3])
{
    return (oui[0] & 0x02) != 0;
}

/* Case-insensitive: manufacturer names are not written one way. */
static bool name_has(const char *hay, const char *needle)
{
    size_t n = strlen(needle);

    for (; *hay; hay++) {
        size_t i = 0;
        while (i < n && hay[i] &&
               tolower((unsigned char)hay[i]) == tolower((unsigned char)needle[i]))
            i++;
        if (i == n)
            return true;
    }
    return false;
}

pmtud_nic_t pmtud_nic_of(const char *manuf, const uint8_t oui[3])
{
    size_t i;

    if (!manuf || !oui)
        return PMTUD_NIC_NONE;
    for (i = 0; i < sizeof nics / sizeof nics[0]; i++) {
        if (nics[i].local_only != pmtud_mac_is_local(oui))
            continue;
        if (name_has(manuf, nics[i].vendor_has))
            return nics[i].nic;
    }
    return PMTUD_NIC_NONE;
}

const pmtud_nic_info_t *pmtud_nic_info(pmtud_nic_t nic)
{
    size_t i;

    for (i = 0; i < sizeof nics / sizeof nics[0]; i++)
        if (nics[i].nic == nic)
            return &nics[i];
    return NULL;
}

void pmtud_box_set(pmtud_box_t *box, uint8_t ttl, const uint8_t *src_oui)
{
    memset(box, 0, sizeof *box);
    box->known = true;
    box->hops = pmtud_hops_from_ttl(ttl);
    if (src_oui && box->hops == 0) {
        box->has_oui = true;
        memcpy(box->oui, src_oui, sizeof box->oui);
    }
}

void pmtud_box_name(pmtud_box_t *box, const char *manuf)
{
    if (!box->has_oui || !manuf)
        return;
    box->nic = (uint8_t)pmtud_nic_of(manuf, box->oui);
    /* A software-set address resolves to whoever registered that prefix
     * (random veth and cloud addresses): no claim, unless a hypervisor is
     * known to use it. */
    if (box->nic == PMTUD_NIC_NONE && pmtud_mac_is_local(box->oui))
        return;
    box->vendor = manuf;
}

static const pmtud_nic_info_t *named(const pmtud_box_t *box)
{
    return box && box->has_oui ? pmtud_nic_info((pmtud_nic_t)box->nic) : NULL;
}

const char *pmtud_box_nic_name(const pmtud_box_t *box)
{
    const pmtud_nic_info_t *i = named(box);
    return i ? i->name : NULL;
}

const char *pmtud_box_what(const pmtud_box_t *box)
{
    const pmtud_nic_info_t *i = named(box);
    return i ? i->what : NULL;
}

const char *pmtud_box_merge_off(const pmtud_box_t *box)
{
    const pmtud_nic_info_t *i = named(box);
    return i ? i->merge_off : NULL;
}
