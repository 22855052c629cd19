#!/usr/bin/env python3
"""Read the JSON of `coatictl --json stats` / `coati-setkey -D --json` on stdin.

  jq.py pick KEY [SPI]  the counter KEY of the SA with that SPI, or the global
                        one: the first KEY found outside of any list
  jq.py sum REGEX       sum of the global numeric counters whose name matches
  jq.py count           number of entries (SAs or policies) listed

The exact JSON layout belongs to the tools; this only assumes counters are
named by key and SAs carry an "spi" member, so it survives layout changes.
Prints nothing (and exits 1) when the answer is not there.
"""
import json
import re
import sys


def as_int(v):
    if isinstance(v, bool):
        return None
    if isinstance(v, int):
        return v
    if isinstance(v, str):
        try:
            return int(v, 0)
        except ValueError:
            return None
    return None


def walk(node, in_list=False):
    """Yield (dict, inside_a_list) for every dict, breadth first."""
    queue = [(node, in_list)]
    while queue:
        cur, lst = queue.pop(0)
        if isinstance(cur, dict):
            yield cur, lst
            queue.extend((v, lst) for v in cur.values())
        elif isinstance(cur, list):
            queue.extend((v, True) for v in cur)


def find_key(node, key):
    for d, _ in walk(node):
        if key in d and as_int(d[key]) is not None:
            return as_int(d[key])
    return None


def pick(doc, key, spi=None):
    if spi is None:
        for d, lst in walk(doc):
            if not lst and key in d and as_int(d[key]) is not None:
                return as_int(d[key])
        return None
    want = as_int(spi)
    for d, _ in walk(doc):
        if "spi" in d and as_int(d["spi"]) == want:
            # an SA's own "replay" is its window size: counters come first
            for sub in d.values():
                if isinstance(sub, dict) and as_int(sub.get(key)) is not None:
                    return as_int(sub[key])
            return find_key(d, key)
    return None


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    try:
        doc = json.load(sys.stdin)
    except ValueError:
        sys.exit(1)
    cmd = sys.argv[1]
    if cmd == "pick" and len(sys.argv) in (3, 4):
        v = pick(doc, sys.argv[2], sys.argv[3] if len(sys.argv) == 4 else None)
    elif cmd == "sum" and len(sys.argv) == 3:
        rx = re.compile(sys.argv[2])
        vals = [as_int(x) for d, lst in walk(doc) if not lst
                for k, x in d.items() if rx.search(k) and as_int(x) is not None]
        v = sum(vals) if vals else None
    elif cmd == "count" and len(sys.argv) == 2:
        if isinstance(doc, list):
            v = len(doc)
        else:
            lists = [x for x in doc.values() if isinstance(x, list)] if isinstance(doc, dict) else []
            v = sum(len(x) for x in lists) if lists else None
    else:
        sys.exit(__doc__)
    if v is None:
        sys.exit(1)
    print(v)


if __name__ == "__main__":
    main()
