#!/usr/bin/env python3
"""Re-send the frames of a pcap (Ethernet link type) out of an interface.

  pcap_inject.py IFACE FILE.pcap [IPPROTO]

Run it inside the namespace that owns IFACE. With IPPROTO (e.g. 50 for ESP)
only IPv4/IPv6 frames carrying that protocol are sent. Prints the number of
frames sent. Used by the replay scenario instead of tcpreplay.
"""
import socket
import struct
import sys


def frames(path):
    with open(path, "rb") as f:
        hdr = f.read(24)
        if len(hdr) < 24:
            return
        magic = struct.unpack("<I", hdr[:4])[0]
        if magic in (0xA1B2C3D4, 0xA1B23C4D):
            endian = "<"
        elif magic in (0xD4C3B2A1, 0x4D3CB2A1):
            endian = ">"
        else:
            sys.exit("not a pcap file: %s" % path)
        if struct.unpack(endian + "I", hdr[20:24])[0] != 1:
            sys.exit("pcap link type is not Ethernet")
        while True:
            rec = f.read(16)
            if len(rec) < 16:
                return
            incl = struct.unpack(endian + "IIII", rec)[2]
            data = f.read(incl)
            if len(data) < incl:
                return
            yield data


def ip_proto(frame):
    if len(frame) < 14:
        return None
    etype = struct.unpack("!H", frame[12:14])[0]
    if etype == 0x0800 and len(frame) >= 34:
        return frame[23]
    if etype == 0x86DD and len(frame) >= 54:
        return frame[20]
    return None


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    proto = int(sys.argv[3]) if len(sys.argv) == 4 else None
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((sys.argv[1], 0))
    sent = 0
    for fr in frames(sys.argv[2]):
        if proto is not None and ip_proto(fr) != proto:
            continue
        s.send(fr)
        sent += 1
    print(sent)


if __name__ == "__main__":
    main()
