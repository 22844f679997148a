#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Measure connect() and send() behaviour of the running Linux kernel on loopback.

Every case runs in its own fresh network namespace, so its sysctls
(net.ipv4.* are per namespace) and its listener cannot disturb the host or
the other cases.  The script re-executes itself as

    unshare -n /usr/bin/python3 real_kernel.py case NAME

and reads one JSON object from that child's stdout.  Cases run in parallel
(they mostly sleep in connect()), so the whole set takes about as long as
the slowest case (~8 s).

Usage:
    real_kernel.py [all] [--cases a,b,...]   run cases, print one JSON document
    real_kernel.py list                      print the case names
    real_kernel.py case NAME                 (internal: already inside a netns)

Times are integer nanoseconds of CLOCK_MONOTONIC measured relative to the
moment the first measured connect() was issued (t0), so that they line up
with socksim's syscalls[].t_call_ns / t_return_ns minus the first measured
call's t_call_ns.

Every connect() is made through libc via ctypes, not socket.connect():
CPython retries EINTR (PEP 475) and turns an interrupted blocking connect()
into a select() + SO_ERROR loop, which would hide exactly what is measured.
Likewise every measured send() is libc send(2) via ctypes.

The send cases (kind "send") run their whole body -- listener, peer and
sender -- in a forked child of the namespace process, so that SIGPIPE can
kill it: CPython ignores SIGPIPE by default, the child sets the disposition
the case asks for (SIG_DFL, SIG_IGN, or SIG_DFL but blocked, which leaves a
kernel-generated SIGPIPE pending where sigpending() sees it).  The child
reports every call over a pipe as it happens; a call without a result when
the child dies by a signal is recorded as killed.  Times of send cases are
relative to the first measured send().

Only the Python standard library is used.
"""

import ctypes
import errno
import json
import os
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import time
import threading

PYTHON = "/usr/bin/python3"
SELF = os.path.abspath(__file__)
LOOPBACK = "127.0.0.1"
# The closed port for the ECONNREFUSED case: nothing listens in a fresh netns.
CLOSED_PORT = 9

# Python 3.11 has socket.TCP_SYNCNT / TCP_USER_TIMEOUT on Linux; fall back to
# the uapi numbers (include/uapi/linux/tcp.h) just in case.
TCP_SYNCNT = getattr(socket, "TCP_SYNCNT", 7)
TCP_USER_TIMEOUT = getattr(socket, "TCP_USER_TIMEOUT", 18)

# Case table.  "sysctls" are written in the case's namespace before anything
# else; every case sets both SYN sysctls explicitly so that it does not
# depend on the namespace defaults (6 and 4 on 6.5+).
#   kind giveup:    full accept queue, one blocking connect until it fails
#   kind refused:   connect to a closed port
#   kind sndtimeo:  SO_SNDTIMEO on a blocking socket, connect twice
#   kind signal:    SIGALRM during a blocking connect, then connect again
#                   if "second" is set
CASES = {
    # (tcp_syn_retries, tcp_syn_linear_timeouts) pairs
    "syn-r1-l0": {"kind": "giveup", "syn_retries": 1, "linear": 0},
    "syn-r2-l0": {"kind": "giveup", "syn_retries": 2, "linear": 0},
    "syn-r1-l1": {"kind": "giveup", "syn_retries": 1, "linear": 1},
    "syn-r1-l2": {"kind": "giveup", "syn_retries": 1, "linear": 2},
    "syn-r2-l1": {"kind": "giveup", "syn_retries": 2, "linear": 1},
    # TCP_SYNCNT with the default linear count 4 (open question Q1)
    "syncnt1-l4": {"kind": "giveup", "syn_retries": 6, "linear": 4, "syncnt": 1},
    "syncnt2-l4": {"kind": "giveup", "syn_retries": 6, "linear": 4, "syncnt": 2},
    # TCP_USER_TIMEOUT 2500 ms with the default SYN sysctls
    "user-timeout-2500": {"kind": "giveup", "syn_retries": 6, "linear": 4,
                          "user_timeout_ms": 2500},
    "refused": {"kind": "refused", "syn_retries": 6, "linear": 4},
    "sndtimeo-500": {"kind": "sndtimeo", "syn_retries": 6, "linear": 4,
                     "sndtimeo_ms": 500},
    # signal at 300 ms; handler without SA_RESTART, no SO_SNDTIMEO -> EINTR;
    # the second blocking connect shows the SYN timer kept running.
    "sig-eintr": {"kind": "signal", "syn_retries": 1, "linear": 0,
                  "restart": False, "alarm_ms": 300, "second": True},
    # handler with SA_RESTART, no SO_SNDTIMEO -> transparently restarted
    "sig-restart": {"kind": "signal", "syn_retries": 1, "linear": 0,
                    "restart": True, "alarm_ms": 300, "second": False},
    # handler with SA_RESTART but SO_SNDTIMEO set -> EINTR, never restarted
    "sig-restart-sndtimeo": {"kind": "signal", "syn_retries": 1, "linear": 0,
                             "restart": True, "alarm_ms": 300,
                             "sndtimeo_ms": 1000, "second": False},

    # ---- send() blocking semantics (kind "send", no SYN sysctls) ----------
    # "setup": fill   SO_SNDBUF 4096 (-> 8192) on the sender, SO_RCVBUF 16384
    #                 (-> 32768) on the listener (inherited by the accepted
    #                 peer), the peer never reads.  The listener's buffer is
    #                 set so that the window closes and stays closed: with
    #                 the default 128 KiB the real receiver keeps reopening
    #                 it by collapsing its queue (see MEASURED.md).
    #          rst    send 100 bytes, the peer closes with them unread at
    #                 +100 ms (RST, TCPAbortOnClose), "sends" at +200 ms.
#                 The case also records which ways of closing send a RST
#                 (unread data, SO_LINGER 0, plain close) in "verify".
    #          shutwr shutdown(SHUT_WR), then "sends" at once.
    # "sends": list of flags for the sends after the setup (rst, shutwr).
    # "sigpipe": the sender's disposition: default | ignore | block.
    # non-blocking loop: send(4096, MSG_DONTWAIT) until the first error,
    # then one more (still EAGAIN)
    "send-nb-fill": {"kind": "send", "setup": "fill", "loop": True,
                     "sigpipe": "block"},
    # blocking send(1 MiB) twice with SO_SNDTIMEO 500 ms: partial, EAGAIN
    "send-sndtimeo-500": {"kind": "send", "setup": "fill", "sndtimeo_ms": 500,
                          "sigpipe": "block"},
    # peer RST: ECONNRESET (no SIGPIPE), EPIPE + SIGPIPE, EPIPE w/o SIGPIPE
    "send-peer-rst": {"kind": "send", "setup": "rst", "sigpipe": "block",
                      "sends": ["0", "0", "MSG_NOSIGNAL"]},
    # default disposition: ECONNRESET, then killed by SIGPIPE
    "sigpipe-default-rst": {"kind": "send", "setup": "rst", "sigpipe": "default",
                            "sends": ["0", "0"]},
    # default disposition after SHUT_WR: killed by the first send
    "sigpipe-default-shutwr": {"kind": "send", "setup": "shutwr",
                               "sigpipe": "default", "sends": ["0"]},
    # default disposition, MSG_NOSIGNAL: EPIPE twice, survives
    "sigpipe-nosignal": {"kind": "send", "setup": "shutwr", "sigpipe": "default",
                         "sends": ["MSG_NOSIGNAL", "MSG_NOSIGNAL"]},
    # SIGPIPE ignored: ECONNRESET, then EPIPE twice, survives
    "sigpipe-ignored": {"kind": "send", "setup": "rst", "sigpipe": "ignore",
                        "sends": ["0", "0", "0"]},
    # "setup": lo4k  issue #10 item 8: SO_SNDBUF 4096 (-> 8192) on the sender,
    #                SO_RCVBUF 4096 (-> 8192) on the listener (inherited by the
    #                accepted peer), send(16384, MSG_DONTWAIT) until EAGAIN.
    #                6.18: 6144, 2048, 2048, EAGAIN (MSS 2048: half the peer's
    #                4096-byte window; see MEASURED.md).
    # "serial": run alone, after the parallel batch: with other namespaces
    # busy the looped-back packets go to ksoftirqd instead of being processed
    # at local_bh_enable in the sending call, and the counts vary
    "lo-nb-fill-4k": {"kind": "send", "setup": "lo4k", "loop": True, "len": 16384,
                      "sigpipe": "block", "serial": True},
    # then a blocking send(16384) into the full buffer, SIGALRM 100 ms after
    # the first send (before the first zero-window probe, at RTO >= 200 ms,
    # can free space); the peer starts reading everything at 400 ms.  No
    # SA_RESTART: EINTR at 100 ms, nothing copied.
    "lo-send-eintr": {"kind": "send", "setup": "lo4k", "loop": True, "len": 16384,
                      "sigpipe": "block", "alarm_ms": 100, "restart": False,
                      "read_ms": 400, "serial": True},
    # SA_RESTART: the send restarts and completes (16384) once the peer reads
    "lo-send-restart": {"kind": "send", "setup": "lo4k", "loop": True, "len": 16384,
                        "sigpipe": "block", "alarm_ms": 100, "restart": True,
                        "read_ms": 400, "serial": True},
}


# --------------------------------------------------------------------------
# Outer side: no namespace needed here.

def namespace_unavailable_reason():
    """None if `unshare -n` works here, else a one-line reason."""
    if os.geteuid() != 0:
        return "not running as root (euid %d): cannot create network namespaces" % os.geteuid()
    for tool in ("unshare", "ip"):
        if shutil.which(tool) is None and not os.path.exists("/usr/sbin/" + tool):
            return "%s(1) not found" % tool
    try:
        p = subprocess.run(["unshare", "-n", "ip", "link", "set", "lo", "up"],
                           capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired) as e:
        return "unshare -n failed: %s" % e
    if p.returncode != 0:
        return "unshare -n failed (status %d): %s" % (p.returncode, p.stderr.strip())
    return None


def run_cases(names=None, timeout=60):
    """Run the named cases (default: all) in parallel, one namespace each.

    Returns {"kernel": ..., "hz": ..., "cases": {name: result}}.  A case whose
    child fails gets {"error": "..."} instead of measurements.
    """
    names = list(CASES) if names is None else list(names)
    for n in names:
        if n not in CASES:
            raise KeyError("unknown case %r" % n)
    results = {}
    deadline = time.monotonic() + timeout
    batch = [n for n in names if not CASES[n].get("serial")]
    for group in [batch] + [[n] for n in names if CASES[n].get("serial")]:
        _run_group(group, results, deadline)
    return {"kernel": os.uname().release, "hz": kernel_hz(),
            "date": time.strftime("%Y-%m-%d", time.gmtime()), "cases": results}


def _run_group(names, results, deadline):
    """Run @names in parallel, one namespace each, into @results."""
    procs = {}
    for n in names:
        procs[n] = subprocess.Popen(["unshare", "-n", PYTHON, SELF, "case", n],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    text=True)
    for n, p in procs.items():
        try:
            out, err = p.communicate(timeout=max(1.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            p.kill()
            out, err = p.communicate()
            results[n] = {"error": "timed out after %d s" % timeout}
            continue
        if p.returncode != 0:
            results[n] = {"error": "child exited %d: %s" % (p.returncode, err.strip()[-2000:])}
            continue
        try:
            results[n] = json.loads(out)
        except ValueError:
            results[n] = {"error": "bad JSON from child: %r" % out[:200]}


def kernel_hz():
    """CONFIG_HZ from /proc/config.gz or /boot/config-*, else None."""
    import gzip
    paths = [("/proc/config.gz", gzip.open),
             ("/boot/config-" + os.uname().release, open)]
    for path, opener in paths:
        try:
            with opener(path, "rt") as f:
                for line in f:
                    if line.startswith("CONFIG_HZ="):
                        return int(line.split("=", 1)[1])
        except OSError:
            continue
    return None


# --------------------------------------------------------------------------
# Inner side: runs inside the fresh namespace.

_libc = ctypes.CDLL(None, use_errno=True)
_libc.connect.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_uint32]
_libc.connect.restype = ctypes.c_int


def sockaddr_in(host, port):
    # struct sockaddr_in: sa_family_t (host order), port and address (network order), 8 bytes zero
    return struct.pack("=H", socket.AF_INET) + struct.pack("!H", port) + \
        socket.inet_aton(host) + bytes(8)


def raw_connect(sock, host, port):
    """connect(2) exactly once.  Returns (ret, errno name or None)."""
    addr = sockaddr_in(host, port)
    ctypes.set_errno(0)
    ret = _libc.connect(sock.fileno(), addr, len(addr))
    if ret == 0:
        return 0, None
    e = ctypes.get_errno()
    return ret, errno.errorcode.get(e, str(e))


def setup_namespace(c):
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    sysctl = {}
    if "syn_retries" in c:
        sysctl["tcp_syn_retries"] = c["syn_retries"]
    if "linear" in c:
        sysctl["tcp_syn_linear_timeouts"] = c["linear"]
    for k, v in sysctl.items():
        with open("/proc/sys/net/ipv4/" + k, "w") as f:
            f.write("%d\n" % v)
    # read back what the kernel now has
    got = {}
    for k in sysctl:
        with open("/proc/sys/net/ipv4/" + k) as f:
            got["net.ipv4." + k] = int(f.read())
    return got


def netstat_counter(name):
    """A TcpExt counter of this namespace (/proc/net/netstat)."""
    with open("/proc/net/netstat") as f:
        lines = f.read().splitlines()
    for i in range(0, len(lines) - 1, 2):
        keys, vals = lines[i].split(), lines[i + 1].split()
        if keys[0] == "TcpExt:":
            return int(vals[keys.index(name)])
    return None


def tcp_counters():
    """All Tcp (/proc/net/snmp) and TcpExt counters of this namespace."""
    out = {}
    for path, prefix in (("/proc/net/snmp", "Tcp:"), ("/proc/net/netstat", "TcpExt:")):
        with open(path) as f:
            lines = f.read().splitlines()
        for i in range(0, len(lines) - 1, 2):
            keys, vals = lines[i].split(), lines[i + 1].split()
            if keys[0] == prefix:
                out.update((k, int(v)) for k, v in zip(keys[1:], vals[1:]) if v.lstrip("-").isdigit())
    return out


def counter_delta(before, after, words=("Rst", "Abort")):
    return {k: after[k] - before.get(k, 0) for k in sorted(after)
            if after[k] != before.get(k, 0) and any(w in k for w in words)}


def full_listener():
    """A listener with backlog 0 whose accept queue is full.

    Capacity is backlog+1 = 1 (sk_acceptq_is_full: queued > backlog), so one
    completed, never-accepted connection fills it and further SYNs are
    dropped silently.  Verified with a non-blocking probe that must not
    complete within 200 ms and must bump ListenOverflows.
    Returns (listener, filler, port, verification dict).
    """
    lst = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    lst.bind((LOOPBACK, 0))
    lst.listen(0)
    port = lst.getsockname()[1]
    filler = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    r, e = raw_connect(filler, LOOPBACK, port)
    if r != 0:
        raise RuntimeError("filler connect failed: %s" % e)
    # the child lands in the accept queue when the final ACK is processed,
    # synchronously on loopback; give softirq a moment anyway
    time.sleep(0.02)
    before = netstat_counter("ListenOverflows")
    probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    probe.setblocking(False)
    r, e = raw_connect(probe, LOOPBACK, port)
    _, w, _ = select.select([], [probe], [], 0.2)
    probe_err = probe.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
    probe.close()
    after = netstat_counter("ListenOverflows")
    verify = {"probe_connect": e or "0", "probe_completed_in_200ms": bool(w),
              "probe_so_error": errno.errorcode.get(probe_err, probe_err),
              "probe_listen_overflows": after - before}
    if w or e != "EINPROGRESS" or after - before < 1:
        raise RuntimeError("accept queue is not dropping SYNs: %r" % verify)
    return lst, filler, port, verify


def new_client(c):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if "syncnt" in c:
        s.setsockopt(socket.IPPROTO_TCP, TCP_SYNCNT, c["syncnt"])
    if "user_timeout_ms" in c:
        s.setsockopt(socket.IPPROTO_TCP, TCP_USER_TIMEOUT, c["user_timeout_ms"])
    if "sndtimeo_ms" in c:
        ms = c["sndtimeo_ms"]
        tv = struct.pack("@ll", ms // 1000, (ms % 1000) * 1000)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, tv)
    return s


class Clock:
    def __init__(self):
        self.t0 = None

    def now(self):
        t = time.monotonic_ns()
        if self.t0 is None:
            self.t0 = t
        return t - self.t0


def timed_connect(clock, sock, port, calls, host=LOOPBACK):
    t_call = clock.now()
    ret, err = raw_connect(sock, host, port)
    t_ret = clock.now()
    calls.append({"call": "connect", "t_call_ns": t_call, "t_return_ns": t_ret,
                  "duration_ns": t_ret - t_call, "ret": ret, "errno": err})
    return ret, err


def case_giveup(c, out):
    lst, filler, port, out["verify"] = full_listener()
    s = new_client(c)
    clock, calls = Clock(), []
    before = netstat_counter("ListenOverflows")
    timed_connect(clock, s, port, calls)
    # SYNs the measured socket sent = SYNs the full listener dropped
    out["syns_dropped"] = netstat_counter("ListenOverflows") - before
    out["calls"] = calls


def case_refused(c, out):
    s = new_client(c)
    clock, calls = Clock(), []
    timed_connect(clock, s, CLOSED_PORT, calls)
    out["calls"] = calls


def case_sndtimeo(c, out):
    lst, filler, port, out["verify"] = full_listener()
    s = new_client(c)
    clock, calls = Clock(), []
    timed_connect(clock, s, port, calls)
    timed_connect(clock, s, port, calls)
    out["calls"] = calls


def case_signal(c, out):
    lst, filler, port, out["verify"] = full_listener()
    s = new_client(c)
    fired = []
    clock = Clock()

    def handler(signum, frame):
        fired.append(clock.now())

    signal.signal(signal.SIGALRM, handler)
    # siginterrupt(sig, False) sets SA_RESTART; CPython's own sigaction()
    # uses SA_ONSTACK only, i.e. no SA_RESTART.
    signal.siginterrupt(signal.SIGALRM, not c["restart"])
    calls = []
    clock.now()  # t0
    signal.setitimer(signal.ITIMER_REAL, c["alarm_ms"] / 1000.0)
    timed_connect(clock, s, port, calls)
    if c.get("second"):
        timed_connect(clock, s, port, calls)
    signal.setitimer(signal.ITIMER_REAL, 0)
    out["signal_delivered_ns"] = fired
    out["calls"] = calls


# --------------------------------------------------------------------------
# send() cases

_libc.send.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
_libc.send.restype = ctypes.c_ssize_t
MSG_FLAGS = {"0": 0, "MSG_DONTWAIT": socket.MSG_DONTWAIT,
             "MSG_NOSIGNAL": socket.MSG_NOSIGNAL}
SEND_BIG = 1 << 20
_send_buf = None


def raw_send(fd, n, flags):
    """send(2) exactly once.  Returns (ret, errno name or None)."""
    global _send_buf
    if _send_buf is None:  # allocated (and touched) before anything is timed
        _send_buf = ctypes.create_string_buffer(b"x" * SEND_BIG, SEND_BIG)
    ctypes.set_errno(0)
    ret = _libc.send(fd, _send_buf, n, flags)
    if ret >= 0:
        return ret, None
    e = ctypes.get_errno()
    return -1, errno.errorcode.get(e, str(e))


class SendChild:
    """The forked child's side: makes the sends and reports them."""

    def __init__(self, wfd, mode):
        self.wfd, self.mode, self.clock = wfd, mode, Clock()

    def emit(self, rec):
        os.write(self.wfd, (json.dumps(rec, sort_keys=True) + "\n").encode())

    def sleep_until(self, ms):
        dt = ms / 1000.0 - self.clock.now() / 1e9
        if dt > 0:
            time.sleep(dt)

    def send(self, sock, n, flags="0"):
        first = self.clock.t0 is None
        t_call = self.clock.now()
        rec = {"call": "send", "len": n, "flags": flags, "t_call_ns": t_call}
        if first:
            rec["t0_abs_ns"] = self.clock.t0
        self.emit(dict(rec, issued=True))
        ret, err = raw_send(sock.fileno(), n, MSG_FLAGS[flags])
        t_ret = self.clock.now()
        rec.update(t_return_ns=t_ret, duration_ns=t_ret - t_call, ret=ret, errno=err,
                   outcome="returned")
        if self.mode == "block":
            pending = signal.SIGPIPE in signal.sigpending()
            if pending:
                signal.sigtimedwait([signal.SIGPIPE], 0)
            rec["sigpipe"] = pending
        self.emit(rec)
        return ret, err


def send_child_body(c, ch):
    """Runs in the child.  Listener, peer and sender all live here."""
    info = {}
    lst = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if c["setup"] == "fill":
        lst.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16384)
    elif c["setup"] == "lo4k":
        lst.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    lst.bind((LOOPBACK, 0))
    lst.listen(8)
    port = lst.getsockname()[1]
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if c["setup"] in ("fill", "lo4k"):
        s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
    if "sndtimeo_ms" in c:
        ms = c["sndtimeo_ms"]
        s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO,
                     struct.pack("@ll", ms // 1000, (ms % 1000) * 1000))
    r, e = raw_connect(s, LOOPBACK, port)
    if r != 0:
        raise RuntimeError("connect failed: %s" % e)
    peer, _ = lst.accept()
    info["sndbuf"] = s.getsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF)
    info["peer_rcvbuf"] = peer.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF)
    ch.emit({"info": info})
    if c["setup"] == "lo4k":
        lo4k_body(c, ch, s, peer)
        return
    if c["setup"] == "fill":
        if c.get("loop"):
            for _ in range(100000):
                if ch.send(s, 4096, "MSG_DONTWAIT")[0] < 0:
                    break
            ch.send(s, 4096, "MSG_DONTWAIT")  # still EAGAIN
        else:
            ch.send(s, SEND_BIG)
            ch.send(s, SEND_BIG)
        return
    if c["setup"] == "rst":
        ch.send(s, 100)
        ch.sleep_until(100)
        before = tcp_counters()
        peer.close()  # 100 bytes unread -> RST
        time.sleep(0.01)
        ch.emit({"info": {"peer_close": counter_delta(before, tcp_counters())}})
        ch.sleep_until(200)
    elif c["setup"] == "shutwr":
        s.shutdown(socket.SHUT_WR)
    for flags in c["sends"]:
        ch.send(s, 100, flags)


def lo4k_body(c, ch, s, peer):
    """Non-blocking sends until EAGAIN; then either one more, or (alarm_ms)
    a blocking send interrupted by SIGALRM while a reader thread, which
    blocks SIGALRM, drains the peer from read_ms on."""
    n = c["len"]
    while ch.send(s, n, "MSG_DONTWAIT")[0] >= 0:
        pass
    if "alarm_ms" not in c:
        ch.send(s, n, "MSG_DONTWAIT")  # still EAGAIN
        return
    got = []

    def reader():
        signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGALRM])
        ch.sleep_until(c["read_ms"])
        while True:
            d = peer.recv(65536)
            if not d:
                break
            got.append(len(d))

    signal.signal(signal.SIGALRM, lambda signum, frame: None)
    signal.siginterrupt(signal.SIGALRM, not c["restart"])  # False: SA_RESTART
    t = threading.Thread(target=reader)
    t.start()
    signal.setitimer(signal.ITIMER_REAL,
                     max(0.001, c["alarm_ms"] / 1000.0 - ch.clock.now() / 1e9))
    ch.send(s, n)
    signal.setitimer(signal.ITIMER_REAL, 0)
    s.close()
    t.join()
    ch.emit({"info": {"peer_read": sum(got)}})


def case_send(c, out):
    raw_send(-1, 0, 0)  # EBADF; allocates the buffer before the fork
    rfd, wfd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        code = 0
        try:
            os.close(rfd)
            if c["sigpipe"] == "ignore":
                signal.signal(signal.SIGPIPE, signal.SIG_IGN)
            else:
                signal.signal(signal.SIGPIPE, signal.SIG_DFL)
            if c["sigpipe"] == "block":
                signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGPIPE])
            send_child_body(c, SendChild(wfd, c["sigpipe"]))
        except BaseException:
            import traceback
            traceback.print_exc()
            code = 1
        os._exit(code)
    os.close(wfd)
    data = b""
    with os.fdopen(rfd, "rb") as f:
        data = f.read()
    _, status = os.waitpid(pid, 0)
    t_dead = time.monotonic_ns()
    calls, info, t0 = [], {}, None
    for line in data.decode().splitlines():
        rec = json.loads(line)
        if "info" in rec:
            info.update(rec["info"])
        elif rec.get("issued"):
            if "t0_abs_ns" in rec:
                t0 = rec.pop("t0_abs_ns")
            del rec["issued"]
            calls.append(rec)
        else:
            rec.pop("t0_abs_ns", None)
            calls[-1] = rec
    out["exit"] = "none"
    if os.WIFSIGNALED(status):
        sig = signal.Signals(os.WTERMSIG(status)).name
        out["exit"] = sig
        if calls and "outcome" not in calls[-1]:
            calls[-1].update(outcome="killed", signal=sig, ret=None, errno=None,
                             t_return_ns=t_dead - t0 if t0 is not None else None)
    elif os.WEXITSTATUS(status) != 0:
        raise RuntimeError("send child exited %d" % os.WEXITSTATUS(status))
    out["info"] = info
    out["sigpipe_disposition"] = c["sigpipe"]
    out["calls"] = calls
    if c["setup"] == "rst":
        out["verify"] = rst_mechanisms()


def rst_mechanisms():
    """Which peer close sends a RST on this kernel?  For each way of closing,
    the counter deltas of the close and the sender's next two send()s."""
    res = {}
    lst = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    lst.bind((LOOPBACK, 0))
    lst.listen(8)
    for how in ("unread", "linger0", "plain"):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        raw_connect(s, LOOPBACK, lst.getsockname()[1])
        peer, _ = lst.accept()
        raw_send(s.fileno(), 100, socket.MSG_NOSIGNAL)
        time.sleep(0.01)
        if how != "unread":
            peer.recv(1000)
        if how == "linger0":
            peer.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        before = tcp_counters()
        peer.close()
        time.sleep(0.01)
        after = tcp_counters()
        sends = [raw_send(s.fileno(), 100, socket.MSG_NOSIGNAL) for _ in range(2)]
        time.sleep(0.01)
        sends.append(raw_send(s.fileno(), 100, socket.MSG_NOSIGNAL))
        res[how] = {"close": counter_delta(before, after),
                    "sends": [e or str(r) for r, e in sends]}
        s.close()
    lst.close()
    return res


KINDS = {"giveup": case_giveup, "refused": case_refused,
         "sndtimeo": case_sndtimeo, "signal": case_signal, "send": case_send}


def run_inside(name):
    c = CASES[name]
    out = {"case": name, "kernel": os.uname().release}
    out["sysctls"] = setup_namespace(c)
    out["options"] = {k: v for k, v in c.items()
                      if k in ("syncnt", "user_timeout_ms", "sndtimeo_ms",
                               "restart", "alarm_ms", "setup", "sends", "sigpipe",
                               "loop", "len", "read_ms")}
    KINDS[c["kind"]](c, out)
    json.dump(out, sys.stdout, sort_keys=True)
    sys.stdout.write("\n")


def main(argv):
    if len(argv) >= 2 and argv[0] == "case":
        run_inside(argv[1])
        return 0
    if argv and argv[0] == "list":
        print("\n".join(CASES))
        return 0
    if argv and argv[0] == "all":
        argv = argv[1:]
    names = None
    if len(argv) == 2 and argv[0] == "--cases":
        names = argv[1].split(",")
    elif argv:
        print(__doc__, file=sys.stderr)
        return 2
    reason = namespace_unavailable_reason()
    if reason:
        print("SKIP: " + reason, file=sys.stderr)
        return 77
    res = run_cases(names)
    json.dump(res, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")
    return 1 if any("error" in r for r in res["cases"].values()) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
