#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Differential test of net.ipv4.tcp_fin_timeout: socksim against the running kernel.

An orphan in FIN_WAIT2 (the client closed, the server read EOF and stays
silent) waits tcp_fin_time() for the peer's FIN: net.ipv4.tcp_fin_timeout,
at least 3.5 RTO (include/net/tcp.h; net/ipv4/tcp.c:__tcp_close and
tcp_rcv_state_process -> tcp_time_wait).  For tcp_fin_timeout 3 and 0 (the
floor) the kernel's side reads `ss` while the orphan waits: the FIN-WAIT-2
entry and its timewait timer, and that it is gone later.  socksim runs
scenarios/tcp/fin-timeout-orphan.scn with the same sysctl; its orphan's
wait (timewait sock made to killed) must match the kernel's timer (within
0.1 s) and lie between the kernel's "still there" and "gone" readings.

Exit status: 0 agree, 1 a mismatch or a failed run, 77 (skip) when network
namespaces are not available (not root, no unshare(1)).

Usage: diff_fin_timeout.py [--socksim PATH]   (internal: diff_fin_timeout.py real SECONDS)
Environment: SOCKSIM (binary), SOCKSIM_BUILD_ROOT, SOCKSIM_SOURCE_ROOT.
"""

import json
import re
import subprocess
import sys
import time

from netns_case import SKIP, command_line, connected_pair, run_real, run_socksim, scenario

SCN = scenario('fin-timeout-orphan.scn')
# sysctl value -> (when to look for the orphan, when it must be gone), s after close()
CASES = {3: (1.0, 3.6), 0: (0.3, 1.3)}
TIMER = re.compile(r"timer:\(timewait,([0-9.]+)(ms|sec),")


def orphan_entry(port):
    """The `ss` line of the client's FIN-WAIT-2 socket (local port @port), or None."""
    out = subprocess.run(["ss", "-tanoe", "state", "fin-wait-2"],
                         capture_output=True, text=True).stdout
    for line in out.splitlines():
        if ":%d " % port in line + " ":
            return line
    return None


def real(secs):
    """Inside a fresh namespace: one orphan, read at two times; one JSON object out."""
    with open("/proc/sys/net/ipv4/tcp_fin_timeout", "w") as f:
        f.write(str(secs))
    lsn, c, a = connected_pair(1)
    port = c.getsockname()[1]
    c.close()
    t0 = time.monotonic()
    assert a.recv(100) == b""
    look, gone = CASES[secs]
    time.sleep(max(0.0, t0 + look - time.monotonic()))
    line = orphan_entry(port)
    left = None
    if line and TIMER.search(line):
        num, unit = TIMER.search(line).groups()
        # iproute2 6.1 prints whole milliseconds as "408ms" but a time of a
        # second or more as "2.896ms" (seconds, with the "ms" suffix: it
        # counts down 2.896, 1.984, 1.076 at 0.9 s steps)
        left = float(num) / (1000 if unit == "ms" and "." not in num else 1)
    time.sleep(max(0.0, t0 + gone - time.monotonic()))
    print(json.dumps({"there_at": look, "timer_left": left,
                      "gone_at": gone, "gone": orphan_entry(port) is None}))
    return 0


def simulated(binary, secs):
    """The orphan's wait in socksim: seconds from its FIN_WAIT2 timewait sock to its end."""
    events, _ = run_socksim(binary, SCN, "--set", "client:net.ipv4.tcp_fin_timeout=%d" % secs)
    made = [e["t_ns"] for e in events if e.get("event") == "inet_twsk_hashdance_schedule"]
    killed = [e["t_ns"] for e in events if e.get("event") == "inet_twsk_kill"]
    if len(made) != 1 or len(killed) != 1:
        raise RuntimeError("expected one timewait sock made and killed, got %d and %d"
                           % (len(made), len(killed)))
    return (killed[0] - made[0]) / 1e9


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "real":
        return real(int(sys.argv[2]))
    binary = command_line(__doc__)
    if binary is None:
        return SKIP
    bad = 0
    for secs in sorted(CASES):
        k, err = run_real(__file__, secs)
        if k is None:
            print("FAIL tcp_fin_timeout=%d: the real-kernel run failed: %s" % (secs, err))
            bad += 1
            continue
        try:
            wait = simulated(binary, secs)
        except (OSError, RuntimeError, ValueError, KeyError) as e:
            print("FAIL tcp_fin_timeout=%d: the socksim run failed: %s" % (secs, e))
            bad += 1
            continue
        kernel_wait = None if k["timer_left"] is None else k["there_at"] + k["timer_left"]
        ok = (kernel_wait is not None and k["gone"] and abs(wait - kernel_wait) <= 0.1 and
              k["there_at"] < wait < k["gone_at"])
        bad += not ok
        print("%s tcp_fin_timeout=%d: kernel FIN-WAIT-2 at %.1f s with %s s left (%s), %s at %.1f s;"
              " socksim waits %.3f s" % ("ok  " if ok else "FAIL", secs, k["there_at"], k["timer_left"],
                                         "ends %.3f s" % kernel_wait if kernel_wait else "no timer",
                                         "gone" if k["gone"] else "still there", k["gone_at"], wait))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
