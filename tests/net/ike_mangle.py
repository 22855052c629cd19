#!/usr/bin/env python3
"""Send mutated ISAKMP datagrams at an IKE responder, bounded in count and time.

  ike_mangle.py DST PORT COUNT SECONDS SEED...

Each datagram starts from one SEED file (a real ISAKMP message) and gets one or more of:
bit flips, truncation, a wrong length field, random cookies, a random exchange type or
next payload, payload-length corruption, garbage appended up to 60 KB. On port 4500 the
non-ESP marker (four zero bytes) goes in front. Deterministic (fixed random seed). Prints
the number sent. Only for addresses inside the test's own namespaces.
"""
import random
import socket
import struct
import sys
import time


def mutate(rng, msg):
    m = bytearray(msg)
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(9)
        if op == 0 and m:
            for _ in range(rng.randint(1, 8)):
                i = rng.randrange(len(m))
                m[i] ^= 1 << rng.randrange(8)
        elif op == 1 and len(m) > 1:
            del m[rng.randrange(1, len(m)):]
        elif op == 2 and len(m) >= 28:
            m[24:28] = struct.pack(">I", rng.choice([0, 1, 27, 28, len(m) + 1,
                                                    len(m) - 1, 0xFFFFFFFF]))
        elif op == 3 and len(m) >= 16:
            m[0:16] = bytes(rng.randrange(256) for _ in range(16))
        elif op == 4 and len(m) >= 19:
            m[18] = rng.randrange(256)
        elif op == 5 and len(m) >= 17:
            m[16] = rng.randrange(256)
        elif op == 6 and len(m) > 32:
            i = rng.randrange(28, len(m) - 3)
            m[i + 2:i + 4] = struct.pack(">H", rng.choice([0, 1, 3, 4, 0xFFFF]))
        elif op == 7:
            m += bytes(rng.randrange(256) for _ in range(rng.choice([1, 100, 4000, 60000])))
        elif op == 8 and len(m) >= 28:
            m[20:24] = bytes(rng.randrange(256) for _ in range(4))  # message ID
    return bytes(m[:65000])


def main():
    dst, port, count, secs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
    seeds = [open(p, "rb").read() for p in sys.argv[5:]]
    rng = random.Random(3706)
    fam = socket.AF_INET6 if ":" in dst else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("", 0))
    s.setblocking(False)
    marker = b"\0\0\0\0" if port == 4500 else b""
    deadline = time.monotonic() + secs
    sent = 0
    while sent < count and time.monotonic() < deadline:
        try:
            s.sendto(marker + mutate(rng, rng.choice(seeds)), (dst, port))
            sent += 1
        except (BlockingIOError, OSError):
            time.sleep(0.001)
        try:  # drain whatever the responder answers
            while True:
                s.recv(65535)
        except (BlockingIOError, OSError):
            pass
        if sent % 200 == 0:
            time.sleep(0.01)
    print(sent)


main()
