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


CASES = {"epoll": case_epoll, "poll": case_poll}


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
