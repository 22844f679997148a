#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Differential test of SO_LINGER {1, 0}: socksim against the running kernel.

The server sets SO_LINGER {l_onoff 1, l_linger 0} on an accepted connection
and closes it while the client waits in recv(): net/ipv4/tcp.c:__tcp_close
aborts through tcp_disconnect() (a RST, no TIME_WAIT, TCPAbortOnData).  The
same calls run as scenarios/tcp/linger-zero-close.scn; compared: the
client's recv() (return, errno), the server's TCPAbortOnData and OutRsts,
and the TIME_WAIT entries left (socksim: timewait socks made; the kernel:
/proc/net/tcp state 06).

Exit status: 0 agree, 1 a mismatch or a failed run, 77 (skip) when network
namespaces are not available (not root, no unshare(1)).

Usage: diff_linger.py [--socksim PATH]      (internal: diff_linger.py real)
Environment: SOCKSIM (binary), SOCKSIM_BUILD_ROOT, SOCKSIM_SOURCE_ROOT.
"""

import errno
import json
import socket
import struct
import sys
import threading

from netns_case import compare_main, connected_pair, proc_counter, run_socksim, scenario, time_wait_entries

SCN = scenario("linger-zero-close.scn")
KEYS = ("recv", "TCPAbortOnData", "OutRsts", "time_wait")


def real():
    """Inside a fresh namespace: the scenario's calls on loopback, one JSON object out."""
    lsn, c, a = connected_pair()
    got = []

    def client():
        try:
            c.recv(100)
            got.append([0, None])
        except OSError as e:
            got.append([-1, errno.errorcode[e.errno]])

    t = threading.Thread(target=client)
    t.start()
    before = {k: proc_counter(k) for k in ("TCPAbortOnData", "OutRsts")}
    a.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    a.close()
    t.join(5)
    print(json.dumps({"recv": got[0] if got else None,
                      "TCPAbortOnData": proc_counter("TCPAbortOnData") - before["TCPAbortOnData"],
                      "OutRsts": proc_counter("OutRsts") - before["OutRsts"],
                      "time_wait": time_wait_entries()}))
    return 0


def simulated(binary):
    events, counters = run_socksim(binary, SCN)
    recv = [[e["ret"], e.get("errno")] for e in events
            if e.get("event") == "sys_exit" and e.get("call") == "recv"]
    made = sum(1 for e in events if e.get("event") == "inet_twsk_hashdance_schedule")
    return {"recv": recv[0] if recv else None,
            "TCPAbortOnData": counters["server"].get("TCPAbortOnData", 0),
            "OutRsts": counters["server"].get("OutRsts", 0), "time_wait": made}


if __name__ == "__main__":
    sys.exit(compare_main(__doc__, __file__, real, simulated, KEYS))
