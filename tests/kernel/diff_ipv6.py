#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Differential test: AF_INET6 connect()/bind()/setsockopt() against the real kernel.

One table of steps (STEPS) drives both sides, so they cannot drift apart:

* the real side runs them in a fresh network namespace (`unshare -n`, loopback
  up, only ::1 and 127.0.0.1 configured), with raw sockaddr_in/sockaddr_in6
  buffers and explicit address lengths (ctypes), the server being 127.0.0.1;
* the simulated side gets a scenario generated from the same table (host
  client 10.0.0.1, server 10.0.0.2) and runs it under the profile of the
  running kernel (diff_kernel.choose_profile).

Compared call by call: return value and errno.  The last steps are a blocking
connect() of an AF_INET6 socket to the v4-mapped address of a listener whose
accept queue is full, with tcp_syn_retries=1 and tcp_syn_linear_timeouts=0:
its ETIMEDOUT give-up time is compared with diff_kernel.py's tolerance
(real >= sim - 5 ms, real <= sim + max(200 ms, 5 %)).

getsockname()/getpeername() steps compare the address too, normalised
(norm_addr: the IPv4 loopback or simulated host address is LO4, an ephemeral
port EPH).

Native IPv6 is compared over ::1 (a refusal and a give-up against a full
IPv6 accept queue); between simulated hosts the model has no IPv6 addresses
(docs/models.md "IPv6").

Exit status 0 agree, 1 mismatch or socksim failure, 77 no namespaces here.
Usage: diff_ipv6.py [--socksim PATH] [--keep DIR]
"""

import ctypes
import errno
import os
import socket
import struct
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
IP_MTU_DISCOVER = 10     # <linux/in.h>; the socket module does not export it
sys.dont_write_bytecode = True
sys.path.insert(0, HERE)
import diff_kernel  # noqa: E402
import real_kernel  # noqa: E402

# (variable, call, address, addrlen or None for the natural one)
# address: "v4:PORT" the server's AF_INET sockaddr, "mapped:PORT" ::ffff:SERVER,
# "v6:TEXT:PORT" an IPv6 literal, "v6full" the full IPv6 listener on ::1;
# port 80 is the full IPv4 listener
STEPS = [
    ("c", "socket", None, None),
    ("c", "getsockopt-pmtudisc", None, None),   # inet6_create: IP_PMTUDISC_WANT
    ("c", "connect", "v4:80", None),
    ("c", "connect", "v4:80", 28),
    ("c", "connect", "v6:::1:80", 23),
    ("c", "connect", "v6:::1:80", 1),
    ("c", "connect", "v6:ff02::1:80", None),
    ("c", "connect", "v6:fe80::1:80", None),
    ("c", "connect", "v6:2001:db8::1:80", None),
    ("c", "getsockopt-v6only", None, None),
    ("c", "setsockopt-v6only", 1, None),
    ("c", "connect", "mapped:80", None),
    ("c", "setsockopt-bogus", 1, None),
    ("b", "socket", None, None),
    ("b", "bind", "v4:0", None),
    ("b", "bind", "v4:0", 28),
    ("b", "bind", "v6:::1:0", 23),
    ("b", "bind", "v6:ff02::1:0", None),
    ("b", "bind", "v6:2001:db8::1:0", None),
    ("b", "bind", "v6:::ffff:10.9.9.9:0", None),
    ("c", "bind", "mapped-self:0", None),
    ("b", "bind", "v6:::1:5000", None),
    ("b", "getsockopt-v6only", None, None),
    ("b", "setsockopt-v6only", 0, None),
    ("b", "bind", "v6:::1:5001", None),
    ("r", "socket", None, None),
    ("r", "connect", "mapped:81", None),     # nobody listens on 81: RST
    ("g", "socket", None, None),
    ("g", "connect", "mapped:80", None),     # full accept queue: give up
    ("n", "socket", None, None),
    ("n", "connect", "v6:::1:81", None),     # native IPv6, nobody listens: RST
    ("h", "socket", None, None),
    ("h", "connect", "v6full", None),        # native IPv6 full accept queue: give up
    ("u", "socket", None, None),
    ("u", "getsockname", None, None),        # unbound: [::]:0
    ("u", "getpeername", None, None),        # ENOTCONN
    ("b", "getsockname", None, None),        # bound to [::1]:5000
    ("r", "getsockname", None, None),        # refused v4-mapped: [::] and the port kept
    ("r", "getpeername", None, None),
    ("n", "getsockname", None, None),        # refused native
    ("h", "getsockname", None, None),        # gave up (ETIMEDOUT)
    ("h", "getpeername", None, None),
    ("d", "accept-dual", None, None),        # IPv4 connection on a [::] listener
    ("d", "getsockname", None, None),        # AF_INET6, [::ffff:LO4]
    ("d", "getpeername", None, None),
]
# the dual-stack listener the simulated cli opens before the table (sim_steps skips these calls)
DUAL_PREAMBLE = ["0      cli  dl = socket(AF_INET6, SOCK_STREAM, 0)",
                 "+0     cli  bind(dl, [::]:50000) = 0",
                 "+0     cli  listen(dl, 5) = 0"]
GIVEUP_SYSCTLS = {"tcp_syn_retries": 1, "tcp_syn_linear_timeouts": 0}
MS = 1000000


def norm_addr(host, port):
    """An address both sides can compare: the loopback/server/client IPv4
    address (127.0.0.1 real, 10.0.0.x simulated) is LO4, an ephemeral port
    (>= 32768 on both) EPH."""
    for v4 in ("127.0.0.1", "10.0.0.1", "10.0.0.2"):
        host = host.replace(v4, "LO4")
    return "[%s]:%s" % (host, "EPH" if port >= 32768 else port)


def sim_norm_addr(text):
    """norm_addr() of a results "addr" ("[::1]:80", "10.0.0.1:80")."""
    host, port = text.rsplit(":", 1)
    return norm_addr(host.strip("[]"), int(port))


def split_addr(spec):
    kind, rest = spec.split(":", 1)
    text, port = rest.rsplit(":", 1)
    return kind, text, int(port)


# ---------------------------------------------------------------- real side

def full_listener6():
    """real_kernel.full_listener() on ::1: backlog 0, one connection queued."""
    lst = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    lst.bind(("::1", 0))
    lst.listen(0)
    filler = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    filler.connect(lst.getsockname()[:2])
    time.sleep(0.02)
    return lst, filler, lst.getsockname()[1]


def sockaddr(spec, server):
    """The raw sockaddr of a STEPS address on the real side."""
    if spec.startswith("v4:"):
        return real_kernel.sockaddr_in(server, int(spec[3:]))
    if spec.startswith(("mapped:", "mapped-self:")):
        text, port = "::ffff:" + server, int(spec.rsplit(":", 1)[1])
    else:
        _, text, port = split_addr(spec)
    return struct.pack("=H", socket.AF_INET6) + struct.pack(
        "!HI16sI", port, 0, socket.inet_pton(socket.AF_INET6, text), 0)


def real_steps():
    libc = ctypes.CDLL(None, use_errno=True)
    socks, out = {}, []
    for k, v in GIVEUP_SYSCTLS.items():
        with open("/proc/sys/net/ipv4/" + k, "w") as f:
            f.write("%d\n" % v)
    lst, filler, port, _ = real_kernel.full_listener()
    lst6, filler6, port6 = full_listener6()
    for var, call, arg, alen in STEPS:
        ctypes.set_errno(0)
        t0 = time.monotonic_ns()
        if call == "socket":
            socks[var] = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
            out.append({"ret": 0, "errno": None, "t_ns": 0})
            continue
        if call == "accept-dual":
            dl = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
            dl.bind(("::", 0))
            dl.listen(5)
            socks["dual-client"] = socket.create_connection((real_kernel.LOOPBACK, dl.getsockname()[1]))
            socks[var] = dl.accept()[0]
            out.append({"ret": 0, "errno": None, "t_ns": 0})
            continue
        fd = socks[var].fileno()
        if call in ("connect", "bind"):
            spec = arg.replace(":80", ":%d" % port) if arg.endswith(":80") else arg
            spec = "v6:::1:%d" % port6 if spec == "v6full" else spec
            buf = sockaddr(spec, real_kernel.LOOPBACK)
            n = alen if alen is not None else len(buf)
            b = ctypes.create_string_buffer(buf, 128)
            ret = (libc.connect if call == "connect" else libc.bind)(fd, b, n)
        elif call in ("getsockname", "getpeername"):
            ret = 0
        elif call in ("getsockopt-v6only", "getsockopt-pmtudisc"):
            v = ctypes.c_int(0)
            ln = ctypes.c_uint(4)
            level, opt = ((socket.IPPROTO_IPV6, socket.IPV6_V6ONLY) if call == "getsockopt-v6only"
                          else (socket.IPPROTO_IP, IP_MTU_DISCOVER))
            ret = libc.getsockopt(fd, level, opt, ctypes.byref(v), ctypes.byref(ln))
            ret = v.value if ret == 0 else ret
        else:
            opt = socket.IPV6_V6ONLY if call == "setsockopt-v6only" else 9999
            v = ctypes.c_int(arg)
            ret = libc.setsockopt(fd, socket.IPPROTO_IPV6, opt, ctypes.byref(v), 4)
        e = ctypes.get_errno() if ret < 0 else 0
        if call in ("getsockname", "getpeername"):
            try:
                a = getattr(socks[var], call)()
                ret, e, addr = 0, 0, norm_addr(a[0], a[1])
            except OSError as x:
                ret, e, addr = -1, x.errno, None
            out.append({"ret": ret, "errno": errno.errorcode.get(e) if e else None,
                        "addr": addr, "t_ns": 0})
            continue
        out.append({"ret": ret if ret >= 0 else -1,
                    "errno": errno.errorcode.get(e, str(e)) if e else None,
                    "t_ns": time.monotonic_ns() - t0})
    return {"steps": out}


# ----------------------------------------------------------- simulated side

def sim_addr(spec, alen):
    if spec == "v6full":
        a = "[::1]:8080"
    elif spec.startswith("v4:"):
        a = "10.0.0.2:" + spec[3:]
    elif spec.startswith("mapped:"):
        a = "[::ffff:10.0.0.2]:" + spec.split(":")[1]
    elif spec.startswith("mapped-self:"):
        a = "[::ffff:10.0.0.1]:" + spec.split(":")[1]
    else:
        kind, text, port = split_addr(spec)
        a = "[%s]:%d" % (text, port)
    return a + (", %d" % alen if alen is not None else "")


def scenario_text():
    lines = [
        "# generated by tests/kernel/diff_ipv6.py from its STEPS table",
        'scenario "IPv6 connect/bind errnos and a v4-mapped SYN give-up"',
        "timers exact",
        "host client 10.0.0.1", "host server 10.0.0.2",
        "link client server delay=10us",
    ] + ["sysctl net.ipv4.%s = %d" % kv for kv in GIVEUP_SYSCTLS.items()] + [
        "process srv on server", "process srv6 on client", "process fill on client",
        "process cli on client", "process dcl on server",
        "0      srv  s = socket(AF_INET, SOCK_STREAM, 0)",
        "+0     srv  bind(s, 10.0.0.2:80) = 0",
        "+0     srv  listen(s, 0) = 0",
        "10ms   fill f = socket(AF_INET, SOCK_STREAM, 0)",
        "+0     fill connect(f, 10.0.0.2:80) = 0",
        "0      srv6 s6 = socket(AF_INET6, SOCK_STREAM, 0)",
        "+0     srv6 bind(s6, [::1]:8080) = 0",
        "+0     srv6 listen(s6, 0) = 0",
        "10ms   fill f6 = socket(AF_INET6, SOCK_STREAM, 0)",
        "+0     fill connect(f6, [::1]:8080) = 0",
        "10ms   dcl  x = socket(AF_INET, SOCK_STREAM, 0)",
        "+0     dcl  connect(x, 10.0.0.1:50000) = 0",
    ] + DUAL_PREAMBLE
    first = True
    for var, call, arg, alen in STEPS:
        t = "100ms" if first else "+0   "
        first = False
        if call == "socket":
            body = "%s = socket(AF_INET6, SOCK_STREAM, 0)" % var
        elif call in ("connect", "bind"):
            body = "%s(%s, %s)" % (call, var, sim_addr(arg, alen))
        elif call in ("getsockname", "getpeername"):
            body = "%s(%s)" % (call, var)
        elif call == "accept-dual":
            body = "%s = accept(dl)" % var
        elif call == "getsockopt-v6only":
            body = "getsockopt(%s, IPPROTO_IPV6, IPV6_V6ONLY)" % var
        elif call == "getsockopt-pmtudisc":
            body = "getsockopt(%s, SOL_IP, IP_MTU_DISCOVER)" % var
        elif call == "setsockopt-v6only":
            body = "setsockopt(%s, IPPROTO_IPV6, IPV6_V6ONLY, %d)" % (var, arg)
        else:
            body = "setsockopt(%s, IPPROTO_IPV6, 9999, %d)" % (var, arg)
        lines.append("%s cli  %s" % (t, body))
    return "\n".join(lines) + "\n"


def sim_steps(binary, outdir, profile):
    r = diff_kernel.run_generated(binary, outdir, "ipv6", scenario_text(), profile)
    calls = [c for c in r["syscalls"] if c.get("proc") == "cli"][len(DUAL_PREAMBLE):]
    out = []
    for c in calls:
        ret = c["ret"]
        if c.get("call") == "getsockopt" and ret == 0 and "out" in c:
            ret = c["out"]
        if c.get("call") in ("socket", "accept") and ret >= 0:
            ret = 0     # a descriptor: only success is compared
        out.append({"ret": ret, "errno": c["errno"],
                    "addr": sim_norm_addr(c["addr"]) if "addr" in c else None,
                    "t_ns": (c["t_return_ns"] or c["t_call_ns"]) - c["t_call_ns"]})
    return out


def compare(real, sim):
    bad = 0
    if len(sim) != len(real["steps"]):
        print("FAIL: %d simulated calls, %d real" % (len(sim), len(real["steps"])))
        return 1
    for (var, call, arg, alen), r, s in zip(STEPS, real["steps"], sim):
        ok = (r["ret"], r["errno"], r.get("addr")) == (s["ret"], s["errno"], s.get("addr"))
        if ok and call == "connect" and s["t_ns"] > 100 * MS:	# the give-up
            ok = s["t_ns"] - 5 * MS <= r["t_ns"] <= s["t_ns"] + max(200 * MS, s["t_ns"] // 20)
        bad += not ok
        print("%s %-18s %-3s %-26s real %2d %-13s %8.3fs  sim %2d %-13s %8.3fs" % (
            "ok  " if ok else "FAIL", call, var, "%s%s" % (arg if arg is not None else "",
                                                            ", %d" % alen if alen else ""),
            r["ret"], r.get("addr") or r["errno"] or "-", r["t_ns"] / 1e9,
            s["ret"], s.get("addr") or s["errno"] or "-", s["t_ns"] / 1e9))
    print("%d of %d steps agree" % (len(STEPS) - bad, len(STEPS)))
    return bad


if __name__ == "__main__":
    sys.exit(diff_kernel.table_diff_main(sys.argv[1:], __file__, real_steps, sim_steps, compare,
                                         "socksim-ipv6-"))
