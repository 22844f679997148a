#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Differential test of net.ipv4.tcp_max_tw_buckets: socksim against the running kernel.

With the limit at 2, a client closes four loopback connections first (the
server reads EOF and closes): the kernel keeps two timewait socks, counts
TCPTimeWaitOverflow twice and closes the other two at once, so their ports
bind again while the first two do not (EADDRINUSE, no SO_REUSEADDR).  The
same calls run as scenarios/tcp/timewait-overflow.scn; compared: the four
re-binds (return, errno), the TCPTimeWaitOverflow counter and the number of
TIME_WAIT entries (socksim: timewait socks made; the kernel: /proc/net/tcp
state 06).  net/ipv4/inet_timewait_sock.c:inet_twsk_alloc,
net/ipv4/tcp_minisocks.c:tcp_time_wait; tests/kernel/MEASURED.md.

Exit status: 0 agree, 1 a mismatch or a failed run, 77 (skip) when network
namespaces are not available (not root, no unshare(1)).

Usage: diff_tw_overflow.py [--socksim PATH]      (internal: diff_tw_overflow.py real)
Environment: SOCKSIM (binary), SOCKSIM_BUILD_ROOT, SOCKSIM_SOURCE_ROOT.
"""

import errno
import json
import socket
import sys
import time

from netns_case import compare_main, proc_counter, run_socksim, scenario, time_wait_entries

SCN = scenario('timewait-overflow.scn')
PORTS = (5001, 5002, 5003, 5004)


def bind_result(s, port):
    try:
        s.bind(("127.0.0.1", port))
        return [0, None]
    except OSError as e:
        return [-1, errno.errorcode[e.errno]]


def real():
    """Inside a fresh namespace: the scenario's calls on loopback, one JSON object out."""
    with open("/proc/sys/net/ipv4/tcp_max_tw_buckets", "w") as f:
        f.write("2")
    before = proc_counter("TCPTimeWaitOverflow")
    lsn = socket.socket()
    lsn.bind(("127.0.0.1", 80))
    lsn.listen(16)
    for port in PORTS:
        c = socket.socket()
        c.bind(("127.0.0.1", port))
        c.connect(("127.0.0.1", 80))
        a, _ = lsn.accept()
        c.close()
        assert a.recv(100) == b""
        a.close()
        time.sleep(0.05)	# the last ACK
    r1, r2 = socket.socket(), socket.socket()
    binds = [bind_result(r1, p) for p in PORTS[:2]]
    binds.append(bind_result(r1, PORTS[2]))
    binds.append(bind_result(r2, PORTS[3]))
    print(json.dumps({"binds": binds, "overflow": proc_counter("TCPTimeWaitOverflow") - before,
                      "time_wait": time_wait_entries()}))
    return 0


def simulated(binary):
    events, counters = run_socksim(binary, SCN)
    pending, binds, made = {}, [], 0
    for ev in events:
        if ev.get("event") == "sys_enter":
            pending[ev["obj"]] = ev.get("args", "")
        elif ev.get("event") == "sys_exit":
            args = pending.pop(ev["obj"], "")
            if ev["call"] == "bind" and args.startswith("bind(r"):
                binds.append([ev["ret"], ev.get("errno")])
        elif ev.get("event") == "inet_twsk_hashdance_schedule":
            made += 1
    return {"binds": binds, "overflow": counters["client"].get("TCPTimeWaitOverflow", 0),
            "time_wait": made}


if __name__ == "__main__":
    sys.exit(compare_main(__doc__, __file__, real, simulated, ("binds", "overflow", "time_wait")))
