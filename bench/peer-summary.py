#!/usr/bin/python3
"""Summarise a socksim results document of the peer workload
(scenarios/programs/peer-workload.scn or bench/gen-peer-workload.py) on one line:

  N=... end_time_s=... events=... completed=... bytes_received=... dropped=...

A connection is complete when its client's connect() returned 0, its send()
returned 1024 and its close() 0, and its server thread's accept() returned a
descriptor, its recv() calls returned 1024 bytes in all and then 0 (end of
stream), and its close() returned 0.  Exit status 0 iff all N completed.

With the program (scenarios/programs/peer-workload.scn) the clients are the
instances cli.0 .. cli.N-1 and the readers the threads srv/1 .. srv/N the
server spawns per accepted connection, in accept order (not client order):
completed is then the smaller of the clients that did their four calls
right and the readers that read 1,024 bytes, then end of stream, and closed.

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

    def reader_ok(r):
        recvs = [c["ret"] for c in r if c["call"] == "recv" and c["outcome"] == "returned"]
        return (recvs and recvs[-1] == 0 and min(recvs) >= 0 and sum(recvs) == PAYLOAD
                and r[-1]["call"] == "close" and r[-1]["ret"] == 0), sum(x for x in recvs if x > 0)

    completed = 0
    received = 0
    if "cli.0" in calls:  # the program: instances cli.K, reader threads srv/K
        client_calls = [("socket", 3), ("connect", 0), ("send", PAYLOAD), ("close", 0)]
        clients = sum(ok("cli.%d" % i, client_calls) for i in range(n))
        readers = 0
        for k in range(1, n + 1):
            good, got = reader_ok(calls.get("srv/%d" % k, []))
            readers += bool(good)
            received += got
        completed = min(clients, readers)
        n_iter = 0
    else:
        n_iter = n
    for i in range(n_iter):
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
