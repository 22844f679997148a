#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Record what the running kernel answers to a fixed sequence of syscalls.

The sequences mirror shipped scenarios (epoll: scenarios/tcp/epoll-semantics.scn) line for line, for
the calls diff_semantics.py compares (epoll_ctl/epoll_wait, ...).  Each
case runs inside a fresh network namespace with loopback up:

    unshare -n sh -c 'ip link set lo up; /usr/bin/python3 real_semantics.py case NAME'

and prints one JSON list of steps [call, ret, errno name or null, events or
null]; events are [[descriptor name, mask], ...] in the order the kernel
returned them.  Descriptors are named like the scenario's variables.  Only
the Python standard library is used; epoll_ctl goes through libc (ctypes)
so that every errno is the kernel's own.  Never AF_VSOCK.
"""

import ctypes
import errno
import json
import select
import socket
import struct
import sys
import tempfile
import time

LIBC = ctypes.CDLL(None, use_errno=True)


class EpollEvent(ctypes.Structure):
    _pack_ = 1          # struct epoll_event is packed on x86-64
    _fields_ = [("events", ctypes.c_uint32), ("data", ctypes.c_uint64)]


class Recorder:
    def __init__(self):
        self.steps = []
        self.names = {}

    def name(self, fd, label):
        self.names[fd] = label

    def call(self, call, fn):
        try:
            r = fn()
        except OSError as e:
            self.steps.append([call, -1, errno.errorcode[e.errno], None])
            return None
        if isinstance(r, list):
            evs = [[self.names.get(fd, str(fd)), m] for fd, m in r]
            self.steps.append([call, len(r), None, evs])
        else:
            self.steps.append([call, r, None, None])
        return r


def case_epoll(rec):
    ep = select.epoll()
    rec.name(ep.fileno(), "ep")

    def ctl(op, fd, events):
        ev = EpollEvent(events, fd)
        if LIBC.epoll_ctl(ep.fileno(), op, fd, ctypes.byref(ev)) < 0:
            raise OSError(ctypes.get_errno(), "epoll_ctl")
        return 0

    def wait(maxevents, timeout):
        return rec.call("epoll_wait", lambda: ep.poll(timeout, maxevents))

    ADD, DEL, MOD = 1, 2, 3
    EIN, EOUT, EET, EONE = select.EPOLLIN, select.EPOLLOUT, select.EPOLLET, select.EPOLLONESHOT
    EEXC, ERDHUP = select.EPOLLEXCLUSIVE, select.EPOLLRDHUP
    c = lambda op, fd, ev=0: rec.call("epoll_ctl", lambda: ctl(op, fd, ev))

    lst = socket.socket()
    lst.bind(("127.0.0.1", 8080))
    lst.listen(16)
    rec.name(lst.fileno(), "l")
    c(ADD, lst.fileno(), EIN)
    c(ADD, lst.fileno(), EIN)                 # EEXIST
    regular = tempfile.TemporaryFile()
    c(ADD, regular.fileno(), EIN)             # EPERM: a regular file cannot be polled
    c(ADD, ep.fileno(), EIN)                  # EINVAL: the set itself
    c(ADD, 999, EIN)                          # EBADF
    c(99, lst.fileno(), EIN)                  # EINVAL: no such op
    c(MOD, lst.fileno(), EIN | EEXC)          # EINVAL: EPOLLEXCLUSIVE with MOD
    wait(8, 0)
    cl = []
    for i in range(3):
        s = socket.socket()
        s.connect(("127.0.0.1", 8080))
        rec.name(s.fileno(), "c%d" % (i + 1))
        cl.append(s)
    c(MOD, cl[0].fileno(), EIN)               # ENOENT
    c(DEL, cl[0].fileno())                    # ENOENT
    c(ADD, cl[0].fileno(), EIN | EEXC | EONE)  # EINVAL: ONESHOT is not allowed with EXCLUSIVE
    wait(8, 0)
    acc = []
    for i in range(3):
        a, _ = lst.accept()
        rec.name(a.fileno(), "a%d" % (i + 1))
        acc.append(a)
    wait(8, 0)
    for a in acc:
        c(ADD, a.fileno(), EIN | ERDHUP)
    cl[1].send(b"x" * 10)
    cl[2].send(b"y" * 10)
    cl[0].send(b"z" * 10)
    time.sleep(0.01)
    wait(2, 0)                                # the ready list in wake-up order
    wait(2, 0)                                # the one left over first, then the re-queued
    wait(8, 0)
    acc[0].recv(100)
    wait(8, 0)                                # a1 drained: dropped from the ready list
    c(MOD, acc[1].fileno(), EIN | EET)
    wait(8, 0)
    wait(8, 0)                                # edge-triggered: a2 not reported again
    cl[1].send(b"x")
    time.sleep(0.01)
    wait(8, 0)                                # new data: a2 again
    c(MOD, acc[2].fileno(), EIN | EONE)
    wait(8, 0)
    wait(8, 0)                                # one-shot: disabled
    c(MOD, acc[2].fileno(), EIN | EONE)
    wait(8, 0)                                # re-armed
    c(ADD, cl[1].fileno(), EOUT)
    wait(8, 0)
    c(DEL, cl[1].fileno())
    cl[0].close()
    time.sleep(0.01)
    wait(8, 0)                                # FIN: EPOLLIN|EPOLLRDHUP
    del rec.names[acc[1].fileno()]
    acc[1].close()                            # a closed descriptor leaves the set
    wait(8, 0)
    wait(8, 0.1)


class PollFd(ctypes.Structure):
    _fields_ = [("fd", ctypes.c_int), ("events", ctypes.c_short), ("revents", ctypes.c_short)]


def case_poll(rec):
    """poll() on several descriptors: revents per entry, POLLNVAL, a negative fd."""
    IN, OUT = select.POLLIN, select.POLLOUT

    def poll(pairs, timeout_ms):
        arr = (PollFd * len(pairs))(*[PollFd(fd, ev, 0) for fd, ev in pairs])
        n = LIBC.poll(arr, len(pairs), timeout_ms)
        if n < 0:
            raise OSError(ctypes.get_errno(), "poll")
        return [[fd, arr[i].revents & 0xffff] for i, (fd, _) in enumerate(pairs)], n

    def call(pairs, timeout_ms):
        try:
            evs, n = poll(pairs, timeout_ms)
        except OSError as e:
            rec.steps.append(["poll", -1, errno.errorcode[e.errno], None])
            return
        rec.steps.append(["poll", n, None, [[rec.names.get(fd, str(fd)), m] for fd, m in evs]])

    lst = socket.socket()
    lst.bind(("127.0.0.1", 8080))
    lst.listen(16)
    rec.name(lst.fileno(), "l")
    cl = socket.socket()
    rec.name(cl.fileno(), "c")
    call([(lst.fileno(), IN), (cl.fileno(), OUT)], 0)      # nothing to accept; c not connected
    cl.connect(("127.0.0.1", 8080))
    call([(lst.fileno(), IN), (cl.fileno(), IN | OUT)], 0)
    a, _ = lst.accept()
    rec.name(a.fileno(), "a")
    call([(lst.fileno(), IN), (a.fileno(), IN), (-1, IN), (999, IN)], 0)
    cl.send(b"x" * 10)
    time.sleep(0.01)
    call([(a.fileno(), IN), (cl.fileno(), IN)], 100)
    cl.shutdown(socket.SHUT_WR)
    time.sleep(0.01)
    call([(a.fileno(), IN | select.POLLRDHUP), (cl.fileno(), OUT)], 0)
    a.close()
    time.sleep(0.01)
    call([(cl.fileno(), IN | OUT | select.POLLRDHUP)], 0)


def case_rw(rec):
    """socket(SOCK_NONBLOCK), accept4(), read()/write(), sendmsg()/recvmsg() with
    iovecs, ioctl(SIOCINQ/SIOCOUTQ/SIOCOUTQNSQ), all through libc."""
    import fcntl
    SOCK_NONBLOCK, SOCK_CLOEXEC = socket.SOCK_NONBLOCK, socket.SOCK_CLOEXEC
    SIOCINQ, SIOCOUTQ, SIOCOUTQNSQ, TCGETS = 0x541B, 0x5411, 0x894B, 0x5401

    def libc(name, *args):
        r = getattr(LIBC, name)(*args)
        if r < 0:
            raise OSError(ctypes.get_errno(), name)
        return r

    def ioctl(fd, cmd):
        val = ctypes.c_int(0)
        try:
            libc("ioctl", fd, cmd, ctypes.byref(val))
        except OSError as e:
            rec.steps.append(["ioctl", -1, errno.errorcode[e.errno], None])
            return
        rec.steps.append(["ioctl", 0, None, [[rec.names.get(fd, str(fd)), val.value]]])

    class IoVec(ctypes.Structure):
        _fields_ = [("base", ctypes.c_void_p), ("len", ctypes.c_size_t)]

    class MsgHdr(ctypes.Structure):
        _fields_ = [("name", ctypes.c_void_p), ("namelen", ctypes.c_uint32),
                    ("iov", ctypes.POINTER(IoVec)), ("iovlen", ctypes.c_size_t),
                    ("control", ctypes.c_void_p), ("controllen", ctypes.c_size_t),
                    ("flags", ctypes.c_int)]

    bufs = []

    def msg(lens):
        iov = (IoVec * len(lens))()
        for i, n in enumerate(lens):
            b = ctypes.create_string_buffer(max(n, 1))
            bufs.append(b)
            iov[i].base = ctypes.cast(b, ctypes.c_void_p)
            iov[i].len = n
        return MsgHdr(None, 0, iov, len(lens), None, 0, 0)

    def buf(n):
        b = ctypes.create_string_buffer(max(n, 1))
        bufs.append(b)
        return b

    fd = lambda name, f: (rec.name(f, name), f)[1] if f is not None else None
    lst = fd("l", rec.call("socket", lambda: libc("socket", 2, socket.SOCK_STREAM | SOCK_NONBLOCK, 0)))
    rec.call("fcntl", lambda: libc("fcntl", lst, fcntl.F_GETFL))
    rec.call("socket", lambda: libc("socket", 2, socket.SOCK_STREAM | 0x100, 0))
    sin = struct.pack("=HH4s8x", socket.AF_INET, socket.htons(8080), socket.inet_aton("127.0.0.1"))
    libc("bind", lst, sin, len(sin))
    libc("listen", lst, 16)
    rec.call("accept4", lambda: libc("accept4", lst, None, None, SOCK_NONBLOCK))  # EAGAIN
    rec.call("accept4", lambda: libc("accept4", lst, None, None, 0x1))           # EINVAL
    ioctl(lst, SIOCINQ)                                                          # EINVAL
    ioctl(lst, SIOCOUTQ)
    c = fd("c", rec.call("socket", lambda: libc("socket", 2, socket.SOCK_STREAM | SOCK_CLOEXEC, 0)))
    libc("connect", c, sin, len(sin))   # the connect itself is not compared
    time.sleep(0.01)
    a = fd("a", rec.call("accept4", lambda: libc("accept4", lst, None, None, SOCK_NONBLOCK | SOCK_CLOEXEC)))
    rec.call("fcntl", lambda: libc("fcntl", a, fcntl.F_GETFL))
    rec.call("read", lambda: libc("read", a, buf(100), 100))                     # EAGAIN
    rec.call("read", lambda: libc("read", a, buf(0), 0))                         # 0 at once
    rec.call("write", lambda: libc("write", c, buf(1000), 1000))
    time.sleep(0.01)
    ioctl(c, SIOCOUTQ)
    ioctl(c, SIOCOUTQNSQ)
    ioctl(a, SIOCINQ)
    rec.call("read", lambda: libc("read", a, buf(300), 300))
    ioctl(a, SIOCINQ)
    rec.call("sendmsg", lambda: libc("sendmsg", c, ctypes.byref(msg([100, 200, 0])), 0))
    time.sleep(0.01)
    rec.call("recvmsg", lambda: libc("recvmsg", a, ctypes.byref(msg([500, 1000])), 0))
    ioctl(a, SIOCINQ)
    rec.call("write", lambda: libc("write", c, buf(10), 10))
    libc("shutdown", c, socket.SHUT_WR)
    time.sleep(0.01)
    ioctl(a, SIOCINQ)                                                            # the FIN is not a byte
    rec.call("read", lambda: libc("read", a, buf(100), 100))
    rec.call("read", lambda: libc("read", a, buf(100), 100))                     # EOF
    ioctl(a, SIOCINQ)
    ioctl(a, TCGETS)                                                             # ENOTTY


def case_reuse(rec):
    """SO_REUSEADDR and bind()/listen() conflicts, TIME_WAIT included."""
    def sock(reuse=False):
        so = socket.socket()
        if reuse:
            so.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        return so

    def bind(so, addr, port):
        rec.call("bind", lambda: so.bind((addr, port)) or 0)

    def listen(so):
        rec.call("listen", lambda: so.listen(4) or 0)

    lo = "127.0.0.1"
    for ra, rb, a_listens, b_listens in ((False, False, False, False), (True, True, False, True)):
        a, b = sock(ra), sock(rb)
        bind(a, lo, 8080)
        bind(b, lo, 8080)
        if a_listens or b_listens:
            listen(a)
            listen(b)
        a.close()
        b.close()
    a, b = sock(True), sock(True)
    bind(a, lo, 8080)
    listen(a)
    bind(b, lo, 8080)
    a.close()
    b.close()
    a, b = sock(True), sock(False)
    bind(a, lo, 8080)
    bind(b, lo, 8080)
    a.close()
    b.close()
    a, b = sock(), sock()
    bind(a, "0.0.0.0", 8082)
    bind(b, lo, 8082)
    a.close()
    b.close()
    for port, lreuse in ((8090, False), (8091, True)):
        lst = sock(lreuse)
        bind(lst, lo, port)
        listen(lst)
        c = socket.socket()
        c.connect((lo, port))
        srv, _ = lst.accept()
        srv.close()                 # the server closes first: TIME_WAIT on its port
        time.sleep(0.05)
        c.close()
        time.sleep(0.05)
        lst.close()
        n = sock()
        bind(n, lo, port)
        n.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        bind(n, lo, port)
        if lreuse:
            listen(n)
        n.close()


def case_inq(rec):
    """TCP_INQ and its TCP_CM_INQ control message on recvmsg(), and the SOL_IP
    options IP_TOS and IP_MTU_DISCOVER (scenarios/tcp/tcp-inq.scn)."""
    SOL_IP, IP_TOS, IP_MTU_DISCOVER = 0, 1, 10
    SOL_TCP, TCP_INQ = 6, 36
    addr = ("127.0.0.1", 8080)
    socks = {}

    def sock(name, so):
        socks[so.fileno()] = so
        rec.name(so.fileno(), name)
        return so

    def setopt(so, level, opt, val):
        rec.call("setsockopt", lambda: so.setsockopt(level, opt, val) or 0)

    def getopt(so, level, opt):
        try:
            v = so.getsockopt(level, opt)
        except OSError as e:
            rec.steps.append(["getsockopt", -1, errno.errorcode[e.errno], None])
            return
        rec.steps.append(["getsockopt", 0, None, [[rec.names[so.fileno()], v]]])

    def recvmsg(so, lens, flags=0):
        bufs = [bytearray(n) for n in lens]
        try:
            n, anc, _, _ = so.recvmsg_into(bufs, socket.CMSG_SPACE(4), flags)
        except OSError as e:
            rec.steps.append(["recvmsg", -1, errno.errorcode[e.errno], None])
            return
        inq = [[rec.names[so.fileno()], struct.unpack("=i", data[:4])[0]]
               for level, typ, data in anc if level == SOL_TCP and typ == TCP_INQ]
        rec.steps.append(["recvmsg", n, None, inq or None])

    lst = sock("l", socket.socket(socket.AF_INET, socket.SOCK_STREAM))
    lst.bind(addr)
    lst.listen(16)
    c = sock("c", socket.socket(socket.AF_INET, socket.SOCK_STREAM))
    getopt(c, SOL_IP, IP_MTU_DISCOVER)
    setopt(c, SOL_IP, IP_MTU_DISCOVER, 6)                     # EINVAL
    setopt(c, SOL_IP, IP_MTU_DISCOVER, 0)
    getopt(c, SOL_IP, IP_MTU_DISCOVER)
    setopt(c, SOL_IP, IP_TOS, 0x1f)
    getopt(c, SOL_IP, IP_TOS)                                 # the ECN bits stay TCP's
    setopt(c, SOL_IP, IP_TOS, 0)
    c.connect(addr)
    time.sleep(0.01)
    a = sock("a", lst.accept()[0])
    getopt(a, SOL_TCP, TCP_INQ)
    setopt(a, SOL_TCP, TCP_INQ, 2)                            # EINVAL
    setopt(a, SOL_TCP, TCP_INQ, 1)
    getopt(a, SOL_TCP, TCP_INQ)
    rec.call("write", lambda: c.send(bytes(3000)))
    time.sleep(0.01)
    recvmsg(a, [1000])
    rec.call("read", lambda: len(a.recv(500)))
    recvmsg(a, [1000, 1000])
    recvmsg(a, [100], socket.MSG_DONTWAIT)                    # EAGAIN
    rec.call("write", lambda: c.send(bytes(10)))
    c.shutdown(socket.SHUT_WR)
    time.sleep(0.01)
    recvmsg(a, [100])                                         # the FIN: inq 1
    recvmsg(a, [100])                                         # EOF, still 1
    setopt(a, SOL_TCP, TCP_INQ, 0)
    recvmsg(a, [100])                                         # no control message
    for so in socks.values():
        so.close()


CASES = {"epoll": case_epoll, "poll": case_poll, "rw": case_rw, "reuse": case_reuse,
         "inq": case_inq}


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "case":
        rec = Recorder()
        CASES[sys.argv[2]](rec)
        print(json.dumps(rec.steps))
        return 0
    if len(sys.argv) == 2 and sys.argv[1] == "list":
        print("\n".join(sorted(CASES)))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
