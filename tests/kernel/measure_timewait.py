#!/usr/bin/python3
"""What the running kernel does with a connection that enters TIME_WAIT
(tests/kernel/MEASURED.md "TIME_WAIT is a minisock"; docs/models.md,
net/ipv4/tcp_minisocks.c).  A measurement, not a registered test: it prints
what it sees and exits 1 if a fact the docs rely on does not hold.

    unshare -n sh -c 'ip link set lo up; /usr/bin/python3 tests/kernel/measure_timewait.py'

Cases, all over loopback:
  held    the active closer keeps its fd (shutdown(SHUT_WR), the peer reads
          EOF and closes): TCP_INFO tcpi_state on the held fd, recv(), send(),
          and `ss -tan` for the 4-tuple;
  orphan  the active closer close()s and the peer stays silent: `ss` shows
          FIN-WAIT-2 with a timewait timer and inode 0; the peer's FIN then
          turns that same entry (same sk cookie) into TIME-WAIT;
  reuse   both ends SO_REUSEADDR, the active closer close()s: a new socket
          binds the TIME_WAIT's port and connect()s to the same 4-tuple;
  syn     the server closes first (TIME_WAIT on the server side), the client
          reconnects from the same port: the SYN hits the server's TIME_WAIT.
"""
import re
import socket
import struct
import subprocess
import sys
import time

STATES = {1: "ESTABLISHED", 2: "SYN_SENT", 3: "SYN_RECV", 4: "FIN_WAIT1",
          5: "FIN_WAIT2", 6: "TIME_WAIT", 7: "CLOSE", 8: "CLOSE_WAIT",
          9: "LAST_ACK", 10: "LISTEN", 11: "CLOSING"}
TCP_INFO = 11
failures = []


def tcpi_state(s):
    return STATES[struct.unpack("B", s.getsockopt(socket.IPPROTO_TCP, TCP_INFO, 104)[:1])[0]]


def ss_line(lport, rport):
    out = subprocess.run(["ss", "-tanoe", "state", "all"], capture_output=True, text=True).stdout
    for line in out.splitlines():
        f = line.split()
        if len(f) >= 5 and f[3].endswith(":%d" % lport) and f[4].endswith(":%d" % rport):
            return line
    return ""


def check(what, got, want):
    ok = got == want
    print("%-62s %-14s %s" % (what, got, "" if ok else "(expected %s)" % want))
    if not ok:
        failures.append(what)


def bound_socket(port):
    """A socket with SO_REUSEADDR bound to 127.0.0.1:port."""
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", port))
    return s


def listener(port):
    s = bound_socket(port)
    s.listen(8)
    return s


def connected(lport):
    """(listener on lport, client socket, its ephemeral port, accepted socket)"""
    lst = listener(lport)
    c = socket.socket()
    c.connect(("127.0.0.1", lport))
    a, _ = lst.accept()
    return lst, c, c.getsockname()[1], a


def held():
    _, c, port, a = connected(5000)
    c.shutdown(socket.SHUT_WR)
    time.sleep(0.1)
    check("held: after shutdown(SHUT_WR), tcpi_state", tcpi_state(c), "FIN_WAIT2")
    a.recv(10)
    a.close()
    time.sleep(0.1)
    check("held: after the peer's FIN, tcpi_state of the held fd", tcpi_state(c), "CLOSE")
    check("held: ss state of the 4-tuple", ss_line(port, 5000).split()[0], "TIME-WAIT")
    check("held: recv() on the held fd", repr(c.recv(10)), "b''")
    try:
        c.send(b"x")
        check("held: send() on the held fd", "ok", "EPIPE")
    except OSError as e:
        check("held: send() on the held fd", e.errno == 32 and "EPIPE" or str(e), "EPIPE")
    c.close()
    check("held: ss after close() of the held fd", ss_line(port, 5000).split()[0], "TIME-WAIT")


def orphan():
    _, c, port, a = connected(5001)
    c.close()
    time.sleep(0.1)
    line = ss_line(port, 5001)
    check("orphan: ss state after close(), peer silent", line.split()[0], "FIN-WAIT-2")
    check("orphan: its timer", "timewait" if "timer:(timewait," in line else line, "timewait")
    check("orphan: its inode (no struct socket)", "ino:0" if " ino:0 " in line else line, "ino:0")
    cookie = re.search(r"sk:(\S+)", line).group(1)
    a.close()
    time.sleep(0.1)
    line = ss_line(port, 5001)
    check("orphan: ss state after the peer's FIN", line.split()[0], "TIME-WAIT")
    check("orphan: same timewait sock (sk cookie)", re.search(r"sk:(\S+)", line).group(1), cookie)


def reuse():
    lst = listener(5002)
    c = bound_socket(41000)
    c.connect(("127.0.0.1", 5002))
    a, _ = lst.accept()
    c.close()
    a.recv(10)
    a.close()
    time.sleep(0.1)
    check("reuse: ss state of 41000 -> 5002", ss_line(41000, 5002).split()[0], "TIME-WAIT")
    d = socket.socket()
    try:
        d.bind(("127.0.0.1", 41000))
        check("reuse: bind() without SO_REUSEADDR to the TIME_WAIT's port", "ok", "EADDRINUSE")
    except OSError as e:
        check("reuse: bind() without SO_REUSEADDR to the TIME_WAIT's port",
              e.errno == 98 and "EADDRINUSE" or str(e), "EADDRINUSE")
    d.close()
    d = bound_socket(41000)
    try:
        d.connect(("127.0.0.1", 5002))
        check("reuse: connect() to the TIME_WAIT's 4-tuple (tcp_tw_reuse)", tcpi_state(d), "ESTABLISHED")
    except OSError as e:
        check("reuse: connect() to the TIME_WAIT's 4-tuple (tcp_tw_reuse)", str(e), "ESTABLISHED")
    check("reuse: ss state of 41000 -> 5002 afterwards", ss_line(41000, 5002).split()[0], "ESTAB")


def syn():
    lst = listener(5003)
    c = bound_socket(42000)
    c.connect(("127.0.0.1", 5003))
    a, _ = lst.accept()
    c.send(b"hello")
    time.sleep(0.05)
    a.recv(100)
    a.close()
    time.sleep(0.05)
    c.close()
    time.sleep(0.1)
    check("syn: server-side ss state of 5003 -> 42000", ss_line(5003, 42000).split()[0], "TIME-WAIT")
    d = bound_socket(42000)
    d.connect(("127.0.0.1", 5003))
    b, _ = lst.accept()
    check("syn: a new SYN to the server's TIME_WAIT is accepted", tcpi_state(b), "ESTABLISHED")
    check("syn: server-side ss state of 5003 -> 42000 afterwards", ss_line(5003, 42000).split()[0], "ESTAB")


def sysctl(name):
    with open("/proc/sys/net/ipv4/" + name) as f:
        return f.read().strip()


print("kernel", subprocess.run(["uname", "-r"], capture_output=True, text=True).stdout.strip(),
      "tcp_tw_reuse", sysctl("tcp_tw_reuse"), "tcp_rfc1337", sysctl("tcp_rfc1337"),
      "tcp_max_tw_buckets", sysctl("tcp_max_tw_buckets"), "tcp_timestamps", sysctl("tcp_timestamps"))
held()
orphan()
reuse()
syn()
sys.exit(1 if failures else 0)
