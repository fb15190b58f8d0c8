#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Turns capture files into seed inputs for fuzz_frames.

usage: pcap_seeds.py OUTDIR FILE.pcap|FILE.pcapng ...

Each seed is a run of consecutive frames in fuzz_frames' input format
(2-byte caplen, 2-byte wire length, 1-byte link code, bytes). Two kinds:
  * windows of frames cut to HEAD bytes, overlapping by half, so that an
    ICMP and the frames it quotes land in one small input (the analysis
    needs only headers and the first payload bytes; the wire length is
    kept, so lengths stay as captured);
  * the frames whole, in chunks up to MAX_SEED bytes, for the quote and
    tunnel parsing of full frames.
Standard library only: it runs wherever python3 does.
"""
import hashlib
import os
import struct
import sys

MAX_SEED = 16384        # keep equal to -max_len in run_libfuzzer.sh
HEAD = 256              # bytes kept per frame in the windows
WINDOW = 48             # frames per window
MAX_SEEDS_PER_FILE = 200

# pcap/pcapng link-layer type -> fuzz_frames link code
LINK_CODES = {
    1: 1,                     # Ethernet
    101: 2, 12: 2, 14: 2,     # raw IP (LINKTYPE_RAW and its DLT aliases)
    228: 2, 229: 2,           # raw IPv4 / raw IPv6
    113: 3,                   # Linux cooked v1
    276: 4,                   # Linux cooked v2
    0: 5, 108: 5,             # BSD loopback (host / network order)
    239: 6,                   # NFLOG
    9: 7, 50: 7, 204: 7,      # PPP, PPP in HDLC framing, PPP with direction
    104: 8,                   # Cisco HDLC
}


def read_pcap(blob):
    """Yields (linktype, data, orig_len) of a classic pcap file."""
    magic = blob[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        end = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        end = ">"
    else:
        return
    linktype = struct.unpack(end + "I", blob[20:24])[0] & 0x0fffffff
    pos = 24
    while pos + 16 <= len(blob):
        _, _, incl, orig = struct.unpack(end + "IIII", blob[pos:pos + 16])
        pos += 16
        data = blob[pos:pos + incl]
        pos += incl
        yield linktype, data, orig


def read_pcapng(blob):
    """Yields (linktype, data, orig_len) of the packet blocks of a pcapng."""
    pos, end, links = 0, "<", []
    while pos + 12 <= len(blob):
        btype = struct.unpack(end + "I", blob[pos:pos + 4])[0]
        if btype == 0x0A0D0D0A:          # section header: byte order, new IDBs
            end = "<" if blob[pos + 8:pos + 12] == b"\x4d\x3c\x2b\x1a" else ">"
            links = []
        blen = struct.unpack(end + "I", blob[pos + 4:pos + 8])[0]
        if blen < 12 or pos + blen > len(blob):
            return
        body = blob[pos + 8:pos + blen - 4]
        if btype == 1 and len(body) >= 2:                       # interface
            links.append(struct.unpack(end + "H", body[:2])[0])
        elif btype == 6 and len(body) >= 20:                    # enhanced packet
            iface, _, _, cap, orig = struct.unpack(end + "IIIII", body[:20])
            if iface < len(links):
                yield links[iface], body[20:20 + cap], orig
        elif btype == 3 and len(body) >= 4 and links:           # simple packet
            orig = struct.unpack(end + "I", body[:4])[0]
            yield links[0], body[4:4 + orig], orig
        pos += blen


def frames(path):
    with open(path, "rb") as f:
        blob = f.read()
    reader = read_pcapng if blob[:4] == b"\x0a\x0d\x0d\x0a" else read_pcap
    for linktype, data, orig in reader(blob):
        code = LINK_CODES.get(linktype)
        if code is not None:
            yield code, data, orig


def record(code, data, orig, keep):
    data = data[:keep]
    wire = min(max(orig, len(data)), 0xffff)
    return struct.pack(">HHB", len(data), wire, code) + data


def seeds_of(path):
    fr = list(frames(path))
    # Windows of header-sized frames, overlapping by half.
    for start in range(0, max(len(fr) - WINDOW // 2, 1), WINDOW // 2):
        yield b"".join(record(c, d, o, HEAD) for c, d, o in fr[start:start + WINDOW])
    # Whole frames, packed into chunks.
    chunk = b""
    for c, d, o in fr:
        rec = record(c, d, o, MAX_SEED - 5)
        if chunk and len(chunk) + len(rec) > MAX_SEED:
            yield chunk
            chunk = b""
        chunk += rec
    if chunk:
        yield chunk


def main(argv):
    if len(argv) < 2:
        sys.stderr.write(__doc__)
        return 2
    outdir = argv[1]
    os.makedirs(outdir, exist_ok=True)
    total = 0
    for path in argv[2:]:
        n = 0
        for seed in seeds_of(path):
            if n == MAX_SEEDS_PER_FILE or not seed:
                break
            name = hashlib.sha1(seed).hexdigest()
            with open(os.path.join(outdir, name), "wb") as f:
                f.write(seed)
            n += 1
        total += n
    print("pcap_seeds: %d seeds from %d captures in %s" % (total, len(argv) - 2, outdir))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
