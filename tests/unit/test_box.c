/* test_box.c
 * Who merged the packet: hop distance from a TTL, the virtual card a
 * manufacturer name and MAC address point to, and what is claimed (only
 * for a box on the captured segment, never for a software-set address the
 * table does not know).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "analyze_driver.h"
#include "check.h"
#include "fixtures.h"
#include "pmtud_box.h"

static const uint8_t VMWARE_MAC[6] = { 0x00, 0x50, 0x56, 0x8a, 0x3c, 0x01 };
static const uint8_t QEMU_MAC[6]   = { 0x52, 0x54, 0x00, 0x6b, 0x01, 0x01 };
static const uint8_t REALTEK_MAC[6] = { 0x00, 0xe0, 0x4c, 0x68, 0x00, 0x01 };
static const uint8_t VETH_MAC[6]   = { 0x02, 0x00, 0x00, 0x71, 0x01, 0x01 };
static const uint8_t CISCO_MAC[6]  = { 0x00, 0x22, 0x90, 0xde, 0x3b, 0xd9 };

static void test_hops(void)
{
    CHECK_EQ(pmtud_hops_from_ttl(64), 0);
    CHECK_EQ(pmtud_hops_from_ttl(128), 0);
    CHECK_EQ(pmtud_hops_from_ttl(255), 0);
    CHECK_EQ(pmtud_hops_from_ttl(63), 1);
    CHECK_EQ(pmtud_hops_from_ttl(57), 7);
    CHECK_EQ(pmtud_hops_from_ttl(127), 1);
    CHECK_EQ(pmtud_hops_from_ttl(65), 63);    /* started at 128 */
    CHECK_EQ(pmtud_hops_from_ttl(129), 126);  /* started at 255 */
    CHECK_EQ(pmtud_hops_from_ttl(250), 5);
    CHECK_EQ(pmtud_hops_from_ttl(1), 63);
    CHECK_EQ(pmtud_hops_from_ttl(0), 64);
}

/* The names are the long ones Wireshark 4.0's manuf file gives. */
static void test_nic_of(void)
{
    static const uint8_t HYPERV_MAC[6] = { 0x00, 0x15, 0x5d, 0x01, 0x02, 0x03 };
    static const uint8_t XEN_MAC[6] = { 0x00, 0x16, 0x3e, 0x01, 0x02, 0x03 };
    static const uint8_t VBOX_MAC[6] = { 0x08, 0x00, 0x27, 0x01, 0x02, 0x03 };
    static const uint8_t PRL_MAC[6] = { 0x00, 0x1c, 0x42, 0x01, 0x02, 0x03 };

    CHECK_EQ(pmtud_nic_of("VMware, Inc.", VMWARE_MAC), PMTUD_NIC_VMWARE);
    CHECK_EQ(pmtud_nic_of("Microsoft Corporation", HYPERV_MAC), PMTUD_NIC_HYPERV);
    CHECK_EQ(pmtud_nic_of("Xensource, Inc.", XEN_MAC), PMTUD_NIC_XEN);
    CHECK_EQ(pmtud_nic_of("PCS Computer Systems GmbH", VBOX_MAC), PMTUD_NIC_VIRTUALBOX);
    CHECK_EQ(pmtud_nic_of("Parallels, Inc.", PRL_MAC), PMTUD_NIC_PARALLELS);
    CHECK_EQ(pmtud_nic_of("vmware", VMWARE_MAC), PMTUD_NIC_VMWARE);   /* any case */
    /* QEMU's 52:54:00 is filed under Realtek; only a locally administered
     * Realtek address is read as QEMU/KVM, a real Realtek card is not. */
    CHECK_EQ(pmtud_nic_of("Realtek (UpTech? also reported)", QEMU_MAC), PMTUD_NIC_KVM);
    CHECK_EQ(pmtud_nic_of("Realtek Semiconductor Corp.", REALTEK_MAC), PMTUD_NIC_NONE);
    /* Physical vendors, unknown OUIs, and a hypervisor name on a software-set
     * address claim nothing. */
    CHECK_EQ(pmtud_nic_of("Cisco Systems, Inc", CISCO_MAC), PMTUD_NIC_NONE);
    CHECK_EQ(pmtud_nic_of(NULL, VMWARE_MAC), PMTUD_NIC_NONE);
    CHECK_EQ(pmtud_nic_of("VMware, Inc.", VETH_MAC), PMTUD_NIC_NONE);
    CHECK_EQ(pmtud_nic_of("", VMWARE_MAC), PMTUD_NIC_NONE);
}

/* Every row is complete and names its own card. */
static void test_table(void)
{
    pmtud_nic_t n;

    CHECK(pmtud_nic_info(PMTUD_NIC_NONE) == NULL);
    for (n = PMTUD_NIC_VMWARE; n <= PMTUD_NIC_PARALLELS; n++) {
        const pmtud_nic_info_t *i = pmtud_nic_info(n);
        CHECK(i != NULL);
        if (!i)
            continue;
        CHECK_EQ(i->nic, n);
        CHECK(i->name && i->name[0]);
        CHECK(i->what && i->what[0]);
        CHECK_HAS(i->merge_off, "ethtool -K <if>");
    }
    CHECK(pmtud_nic_info((pmtud_nic_t)99) == NULL);
    CHECK_HAS(pmtud_nic_info(PMTUD_NIC_VMWARE)->merge_off, "Net.Vmxnet3HwLRO=0");
    CHECK_HAS(pmtud_nic_info(PMTUD_NIC_HYPERV)->merge_off, "-EnableSoftwareRsc $false");
    CHECK_HAS(pmtud_nic_info(PMTUD_NIC_KVM)->merge_off, "guest_tso4=off");
}

static void test_box(void)
{
    pmtud_box_t b;

    /* On the captured segment: its MAC is its own, and it is named. */
    pmtud_box_set(&b, 64, VMWARE_MAC);
    CHECK_EQ(b.hops, 0);
    CHECK(b.has_oui);
    CHECK_MEM(b.oui, VMWARE_MAC, 3);
    CHECK(b.known);
    CHECK(b.vendor == NULL);
    pmtud_box_name(&b, "VMware, Inc.");
    CHECK(b.vendor && strcmp(b.vendor, "VMware, Inc.") == 0);
    CHECK_EQ(b.nic, PMTUD_NIC_VMWARE);

    /* Two routers away: the MAC is the last router's, nothing is claimed. */
    pmtud_box_set(&b, 62, VMWARE_MAC);
    CHECK_EQ(b.hops, 2);
    CHECK(!b.has_oui);
    pmtud_box_name(&b, "VMware, Inc.");
    CHECK(b.vendor == NULL);
    CHECK_EQ(b.nic, PMTUD_NIC_NONE);

    /* No Ethernet header (raw IP, cooked capture): hops only. */
    pmtud_box_set(&b, 255, NULL);
    CHECK_EQ(b.hops, 0);
    CHECK(!b.has_oui);

    /* A physical vendor is evidence too: kept, but no card named. */
    pmtud_box_set(&b, 255, CISCO_MAC);
    pmtud_box_name(&b, "Cisco Systems, Inc");
    CHECK(b.vendor && strcmp(b.vendor, "Cisco Systems, Inc") == 0);
    CHECK_EQ(b.nic, PMTUD_NIC_NONE);

    /* QEMU's locally administered prefix is named; a random veth address
     * that happens to resolve is not claimed. */
    pmtud_box_set(&b, 64, QEMU_MAC);
    pmtud_box_name(&b, "Realtek (UpTech? also reported)");
    CHECK_EQ(b.nic, PMTUD_NIC_KVM);
    CHECK(b.vendor != NULL);
    pmtud_box_set(&b, 64, VETH_MAC);
    pmtud_box_name(&b, "Some CID Registrant");
    CHECK(b.vendor == NULL);
    CHECK_EQ(b.nic, PMTUD_NIC_NONE);
    pmtud_box_name(&b, NULL);
    CHECK(b.vendor == NULL);
}

/* What fields, CSV and sentences say: only for a named card. */
static void test_words(void)
{
    pmtud_box_t b;

    pmtud_box_set(&b, 64, QEMU_MAC);
    CHECK(pmtud_box_nic_name(&b) == NULL);     /* not looked up yet */
    pmtud_box_name(&b, "Realtek (UpTech? also reported)");
    CHECK_HAS(pmtud_box_nic_name(&b), "KVM/QEMU virtio-net");
    CHECK_HAS(pmtud_box_what(&b), "a KVM/QEMU VM (virtio-net)");
    CHECK_HAS(pmtud_box_merge_off(&b), "in its guest ethtool -K <if> lro off gro off");

    pmtud_box_set(&b, 255, CISCO_MAC);
    pmtud_box_name(&b, "Cisco Systems, Inc");
    CHECK(pmtud_box_nic_name(&b) == NULL);
    CHECK(pmtud_box_what(&b) == NULL);
    CHECK(pmtud_box_merge_off(&b) == NULL);
    CHECK(pmtud_box_what(NULL) == NULL);
}

/* The analyzer fills both boxes of an offload verdict from the frames: the
 * ICMP's TTL and source MAC (the router), the matched frame's as indexed
 * (the sender). pb_eth() writes source MAC 52:54:00:00:00:01. */
static void feed_offload(uint8_t data_ttl)
{
    static const uint8_t QEMU_OUI[3] = { 0x52, 0x54, 0x00 };
    pb_ip4_t h = pb_ip4_make(SRV, CLI, 6, 0x1234);
    pb_tcp_t t = { 80, 49321, SEQ, 0x7c1e9ad3u, PB_ACK, 0 };
    pb_t a, b;

    reset();
    pb_init(&a);
    pb_frame_tcp4(&a, &h, &t, 1460, 1);
    a.b[14 + 8] = data_ttl;
    CHECK(!feed(&a));
    h.id++;
    t.seq += 1460;
    pb_init(&b);
    pb_frame_tcp4(&b, &h, &t, 1460, 2);
    b.b[14 + 8] = data_ttl;
    CHECK(!feed(&b));
    CHECK(ptb4(&a, 1500, 2960));                      /* ICMP TTL 64 */
    CHECK(R.verdicts & PMTUD_V_OFFLOAD);
    CHECK(R.router_box.known);
    CHECK_EQ(R.router_box.hops, 0);
    CHECK(R.router_box.has_oui);
    CHECK_MEM(R.router_box.oui, QEMU_OUI, 3);
    CHECK(R.router_box.vendor == NULL);               /* named by the glue */
    CHECK(R.sender_box.known);
    CHECK_EQ(R.sender_box.hops, pmtud_hops_from_ttl(data_ttl));
    CHECK(R.sender_box.has_oui == (data_ttl == 64));
    if (data_ttl == 64)
        CHECK_MEM(R.sender_box.oui, QEMU_OUI, 3);
}

static void test_feed(void)
{
    feed_offload(64);    /* captured on the sender's segment */
    feed_offload(57);    /* seven routers after the sender: its MAC is not here */
}

int main(void)
{
    RUN(test_hops);
    RUN(test_nic_of);
    RUN(test_table);
    RUN(test_box);
    RUN(test_words);
    RUN(test_feed);
    return check_done();
}
