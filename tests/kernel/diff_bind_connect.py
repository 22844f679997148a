#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Differential test of bind() and connect() on a port connect() gave out:
socksim against the running kernel.

With one ephemeral port (net.ipv4.ip_local_port_range 40000 40000), two
connections to two listeners share port 40000; then bind() to it without
and with SO_REUSEADDR, bind() to port 0, connect() of a socket bound there
to either destination, and, once the first connection is in TIME_WAIT,
bind() again (net/ipv4/inet_connection_sock.c:inet_csk_bind_conflict,
net/ipv4/inet_hashtables.c:__inet_check_established).  The same calls run
as scenarios/tcp/bind-connect-port.scn; compared: the client's bind() and
connect() results, in order.

Exit status: 0 agree, 1 a mismatch or a failed run, 77 (skip) when network
namespaces are not available (not root, no unshare(1)).

Usage: diff_bind_connect.py [--socksim PATH]   (internal: diff_bind_connect.py real)
Environment: SOCKSIM (binary), SOCKSIM_BUILD_ROOT, SOCKSIM_SOURCE_ROOT.
"""

import errno
import json
import socket
import sys
import time

from netns_case import compare_main, run_socksim, scenario

SCN = scenario("bind-connect-port.scn")
KEYS = ("calls",)
REUSE = (socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)


def real():
    """Inside a fresh namespace: the scenario's calls on loopback, one JSON object out."""
    calls = []

    def call(f, *args):
        try:
            f(*args)
            calls.append([0, None])
        except OSError as e:
            calls.append([-1, errno.errorcode[e.errno]])

    with open("/proc/sys/net/ipv4/ip_local_port_range", "w") as f:
        f.write("40000 40000")
    lsn = socket.socket()
    lsn.setsockopt(*REUSE)
    lsn.bind(("127.0.0.1", 8080))
    lsn.listen(8)
    lsn2 = socket.socket()
    lsn2.bind(("127.0.0.1", 8081))
    lsn2.listen(8)
    c = socket.socket()
    c.setsockopt(*REUSE)
    call(c.connect, ("127.0.0.1", 8080))
    c2 = socket.socket()
    c2.setsockopt(*REUSE)
    call(c2.connect, ("127.0.0.1", 8081))
    b = socket.socket()
    call(b.bind, ("127.0.0.1", 40000))
    h0 = socket.socket()
    call(h0.bind, ("127.0.0.1", 0))
    b.setsockopt(*REUSE)
    call(b.bind, ("127.0.0.1", 40000))
    call(b.connect, ("127.0.0.1", 8080))
    call(b.connect, ("127.0.0.1", 8081))
    b.close()
    a, _ = lsn.accept()
    c.close()
    time.sleep(0.01)
    a.close()
    time.sleep(0.01)
    e = socket.socket()
    call(e.bind, ("127.0.0.1", 40000))
    f = socket.socket()
    f.setsockopt(*REUSE)
    call(f.bind, ("127.0.0.1", 40000))
    print(json.dumps({"calls": calls}))
    return 0


def simulated(binary):
    events, _ = run_socksim(binary, SCN)
    return {"calls": [[e["ret"], e.get("errno")] for e in events
                      if e.get("event") == "sys_exit" and e.get("comm") == "cli" and
                      e.get("call") in ("bind", "connect")]}


if __name__ == "__main__":
    sys.exit(compare_main(__doc__, __file__, real, simulated, KEYS))
