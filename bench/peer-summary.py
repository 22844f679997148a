#!/usr/bin/python3
"""Summarise a socksim results document of the peer workload
(bench/gen-peer-workload.py) on one line:

  N=... end_time_s=... events=... completed=... bytes_received=... dropped=...

A connection is complete when its client's connect() returned 0, its send()
returned 1024 and its close() 0, and its server thread's accept() returned a
descriptor, its recv() calls returned 1024 bytes in all and then 0 (end of
stream), and its close() returned 0.  Exit status 0 iff all N completed.

Usage: peer-summary.py RESULTS.json N
"""
import json
import sys
from collections import defaultdict

PAYLOAD = 1024


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.strip())
    path, n = sys.argv[1], int(sys.argv[2])
    with open(path) as f:
        d = json.load(f)
    calls = defaultdict(list)  # process or thread name -> its syscalls in order
    for c in d["syscalls"]:
        calls[c["proc"]].append(c)

    def ok(proc, want):
        got = [(c["call"], c["ret"]) for c in calls.get(proc, ())
               if c["outcome"] == "returned"]
        return got == want

    completed = 0
    received = 0
    for i in range(n):
        r = calls.get("r%d" % i, [])
        recvs = [c["ret"] for c in r if c["call"] == "recv" and c["outcome"] == "returned"]
        received += sum(x for x in recvs if x > 0)
        server_ok = (len(r) >= 3 and r[0]["call"] == "accept" and r[0]["ret"] >= 0
                     and recvs and recvs[-1] == 0 and min(recvs) >= 0
                     and sum(recvs) == PAYLOAD
                     and r[-1]["call"] == "close" and r[-1]["ret"] == 0)
        client_ok = ok("c%d" % i, [("socket", 3), ("connect", 0),
                                   ("send", PAYLOAD), ("close", 0)])
        completed += server_ok and client_ok
    dropped = sum(d["packets"].get("dropped", {}).values())
    print("N=%d end_time_s=%.6f events=%d completed=%d bytes_received=%d dropped=%d exit=%s"
          % (n, d["end_time_ns"] / 1e9, d["events"], completed, received, dropped, d["exit"]))
    sys.exit(0 if completed == n else 1)


if __name__ == "__main__":
    main()
