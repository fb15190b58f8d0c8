#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Variants of the seed capture for "who merged the packet": the same
frames, with the gateway and the server on other hypervisors and at
other distances, so that only the MAC addresses and the TTLs change.

    seed_kvm.pcap         gateway and server are KVM/QEMU guests (52:54:00,
                          QEMU's prefix); the server is Linux (TTL 64). The
                          gateway sends its ICMP with TTL 64: 0 hops.
    seed_hyperv_far.pcap  the server is a Hyper-V guest (00:15:5d, TTL 128,
                          0 hops), but the gateway that rejects is two
                          routers beyond the capture (ICMP TTL 62): the
                          Hyper-V MAC on the ICMP frame is the last router's,
                          so nothing may be claimed about the gateway.

Frame for frame as seed_dnat_tso.pcap (see EXPECTED.md §1); what changes:
every Ethernet address, the IPv4 TTL of the server's packets and of the
ICMP, the TTL inside the ICMP's quote (it is the server's packet), and the
IPv4 header and ICMP checksums that cover them. TCP checksums do not cover
the TTL and stay valid. Run from anywhere:

    /usr/bin/python3 testcaptures/crafted/make_vendor.py
"""
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "lib"))

from pcapgen import inet_checksum as checksum  # noqa: E402

SEED = os.path.join(HERE, "seed_dnat_tso.pcap")
GW_IP, SRV_IP = bytes([192, 0, 2, 1]), bytes([192, 0, 2, 10])
SEED_GW_MAC = bytes.fromhex("0050568a3c01")
SEED_SRV_MAC = bytes.fromhex("0050568a3c10")

VARIANTS = {
    "seed_kvm.pcap": dict(gw_mac="525400c30001", srv_mac="525400c30010",
                          srv_ttl=64, icmp_ttl=64),
    "seed_hyperv_far.pcap": dict(gw_mac="00155dc30001", srv_mac="00155dc30010",
                                 srv_ttl=128, icmp_ttl=62),
}


def set_ttl(ip, off, ttl):
    """Sets the TTL of the IPv4 header at ip[off:] and its checksum."""
    ihl = (ip[off] & 0x0f) * 4
    ip[off + 8] = ttl
    ip[off + 10:off + 12] = b"\0\0"
    ip[off + 10:off + 12] = struct.pack("!H", checksum(bytes(ip[off:off + ihl])))
    return ihl


def rewrite(frame, v):
    f = bytearray(frame)
    swap = {SEED_GW_MAC: bytes.fromhex(v["gw_mac"]), SEED_SRV_MAC: bytes.fromhex(v["srv_mac"])}
    f[0:6], f[6:12] = swap[bytes(f[0:6])], swap[bytes(f[6:12])]
    ip = 14
    proto, src = f[ip + 9], bytes(f[ip + 12:ip + 16])
    if proto == 1 and src == GW_IP:
        ihl = set_ttl(f, ip, v["icmp_ttl"])
        icmp = ip + ihl
        set_ttl(f, icmp + 8, v["srv_ttl"])          # the quoted server packet
        f[icmp + 2:icmp + 4] = b"\0\0"
        f[icmp + 2:icmp + 4] = struct.pack("!H", checksum(bytes(f[icmp:])))
    elif src == SRV_IP:
        set_ttl(f, ip, v["srv_ttl"])
    return bytes(f)


def main():
    with open(SEED, "rb") as fh:
        raw = fh.read()
    head, body = raw[:24], raw[24:]
    for name, v in VARIANTS.items():
        out, pos = [head], 0
        while pos < len(body):
            ts_s, ts_us, incl, orig = struct.unpack("<IIII", body[pos:pos + 16])
            frame = body[pos + 16:pos + 16 + incl]
            out.append(body[pos:pos + 16] + rewrite(frame, v))
            pos += 16 + incl
        with open(os.path.join(HERE, name), "wb") as fh:
            fh.write(b"".join(out))
        print("wrote", name)


if __name__ == "__main__":
    main()
