/* SPDX-License-Identifier: MIT */
/*
 * The socket syscalls: fd lookup, address copy, LSM hook, then sock->ops.
 * Models: net/socket.c @ v6.18 (and the 5.0 check order under the linux-5.0
 * profile).  The address copy is modelled by sockaddr_sim.addrlen / .fault.
 */
#include "net/socket.h"

#include <string.h>

#include "net/net_namespace.h"
#include "trace/events/sock.h"
#include "net/profile.h"
#include "linux/errno_names.h"
#include "net/af_vsock.h"
#include "net/ipv4.h"
#include "net/ipv6.h"
#include "linux/eventpoll.h"
#include "linux/fs.h"
#include "linux/poll.h"
#include "sim/trace.h"

void sock_set_state(struct socket *sock, socket_state s)
{
	if (sock->state == s)
		return;
	sock->state = s;
	if (sock->sk)
		trace_sock_state(sock->sk);
}

/* Models: net/socket.c:move_addr_to_kernel() */
static int move_addr_to_kernel(const struct sockaddr_sim *addr)
{
	if (addr->addrlen < 0 || addr->addrlen > SOCKADDR_STORAGE_SIZE)
		return -SIM_EINVAL;
	if (addr->addrlen == 0)
		return 0;
	if (addr->fault)
		return -SIM_EFAULT;
	return 0;
}

/* Models: net/socket.c:sockfd_lookup_light() — EBADF, then ENOTSOCK. */
static struct socket *sockfd_lookup(struct task *t, int fd, int *err)
{
	struct file *f = task_fget(t, fd);

	if (!f) {
		*err = -SIM_EBADF;
		return NULL;
	}
	if (f->kind != FILE_SOCKET) {
		*err = -SIM_ENOTSOCK;
		return NULL;
	}
	f->sock->file_flags = f->f_flags;
	return f->sock;
}

/*
 * The LSM hooks security_socket_<call>() (security/security.c), as one entry
 * taking the call's name: the environment's rules decide (0 or -errno).
 */
static int security_socket_check(struct task *t, const char *call)
{
	const struct net_env_ops *ops = t->net->ks->ops;

	return ops && ops->lsm_check ? ops->lsm_check(t->net, t, call) : 0;
}

/*
 * The common opening of most socket syscalls: the fd must be a socket
 * (EBADF, ENOTSOCK), then the LSM hook security_socket_<call>() may refuse.
 */
static struct socket *sockfd_lookup_security(struct task *t, int fd, const char *call, int *err)
{
	struct socket *sock = sockfd_lookup(t, fd, err);

	if (!sock)
		return NULL;
	*err = security_socket_check(t, call);
	return *err ? NULL : sock;
}

/* Models: net/socket.c:sock_map_fd() — a file for @sock, at the lowest free fd. */
static long sock_map_fd(struct task *t, struct socket *sock)
{
	struct file *f = file_alloc(t->net, FILE_SOCKET);
	int fd;

	f->sock = sock;
	fd = task_fd_install(t, f);
	if (fd < 0) {	/* EMFILE: sock_release() */
		file_free(f);
		sock_close(t->net->ks, sock);
	}
	return fd;
}

/* Models: net/socket.c:__sys_socket() -> sock_create() -> inet_create() */
static long sys_socket(struct task *t, const struct sys_args *a)
{
	struct socket *sock;
	int type = (int)(a->a[1] & SOCK_TYPE_MASK), flags = (int)(a->a[1] & ~SOCK_TYPE_MASK);
	long fd;
	int err;

	/* __sys_socket_create(): SOCK_NONBLOCK/SOCK_CLOEXEC ride in type */
	if (flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK))
		return -SIM_EINVAL;
	if (a->a[0] != AF_INET && a->a[0] != AF_INET6 && a->a[0] != AF_VSOCK)
		return -SIM_EAFNOSUPPORT;
	sock = kernel_zalloc(t->net->ks, sizeof(*sock));	/* sock_alloc(); sock_close() frees it */
	sock->state = SS_UNCONNECTED;
	sock->type = (short)type;
	if (a->a[0] == AF_VSOCK)
		err = vsock_create(t->net, sock, type, (int)a->a[2]);
	else if (a->a[0] == AF_INET6)
		err = inet6_create(t->net, sock, type, (int)a->a[2]);
	else
		err = inet_create(t->net, sock, type, (int)a->a[2]);
	if (err) {
		kernel_zfree(t->net->ks, sock, sizeof(*sock));
		return err;
	}
	fd = sock_map_fd(t, sock);
	if (fd >= 0)		/* sock_map_fd(sock, flags & (O_CLOEXEC | O_NONBLOCK)) */
		task_fget(t, (int)fd)->f_flags = (unsigned int)flags & O_NONBLOCK;
	return fd;
}

/* A regular file, so that scenarios can hit ENOTSOCK on a real descriptor. */
static long sys_open(struct task *t, const struct sys_args *a)
{
	struct file *f = file_alloc(t->net, FILE_REGULAR);
	int fd;

	fd = task_fd_install(t, f);
	if (fd < 0)
		file_free(f);
	return fd;
}

/*
 * Models: net/socket.c:__sys_connect() / __sys_connect_file().  6.x checks
 * the fd (EBADF), copies the address (EINVAL/EFAULT), then finds the socket
 * (ENOTSOCK); 5.0 looks the socket up first (ENOTSOCK before EINVAL).
 */
static long sys_connect(struct task *t, const struct sys_args *a)
{
	struct socket *sock;
	int err = 0;

	if (t->net->profile->connect_addr_first) {
		if (!task_fget(t, a->fd))
			return -SIM_EBADF;
		err = move_addr_to_kernel(&a->addr);
		if (err)
			return err;
		sock = sockfd_lookup(t, a->fd, &err);
		if (!sock)
			return err;
	} else {
		sock = sockfd_lookup(t, a->fd, &err);
		if (!sock)
			return err;
		err = move_addr_to_kernel(&a->addr);
		if (err)
			return err;
	}
	err = security_socket_check(t, "connect");	/* security_socket_connect */
	if (err)
		return err;
	return sock->ops->connect(sock, &a->addr, (int)sock->file_flags);
}

/* Models: net/socket.c:__sys_bind() */
static long sys_bind(struct task *t, const struct sys_args *a)
{
	struct socket *sock;
	int err = 0;

	sock = sockfd_lookup(t, a->fd, &err);
	if (!sock)
		return err;
	err = move_addr_to_kernel(&a->addr);
	if (err)
		return err;
	err = security_socket_check(t, "bind");
	if (err)
		return err;
	return sock->ops->bind(sock, &a->addr);
}

/* Models: net/socket.c:__sys_listen_socket() — backlog capped by somaxconn. */
static long sys_listen(struct task *t, const struct sys_args *a)
{
	struct socket *sock;
	int err = 0;
	unsigned int somaxconn;
	unsigned int backlog = (unsigned int)a->a[0];

	sock = sockfd_lookup_security(t, a->fd, "listen", &err);
	if (!sock)
		return err;
	somaxconn = (unsigned int)t->net->core.sysctl_somaxconn;
	if (backlog > somaxconn)
		backlog = somaxconn;
	return sock->ops->listen(sock, (int)backlog);
}

long accept_install_newsock(struct task *t)
{
	struct socket *newsock = t->frame.newsock;
	long fd;

	t->frame.newsock = NULL;
	fd = sock_map_fd(t, newsock);
	if (fd >= 0)		/* accept4()'s SOCK_NONBLOCK (accept: flags 0) */
		task_fget(t, (int)fd)->f_flags = (unsigned int)t->args.a[0] & O_NONBLOCK;
	return fd;
}

long accept_resume_finish(struct task *t, long ret)
{
	if (ret == 0)
		return accept_install_newsock(t);
	if (!task_blocked(t) && t->frame.newsock) {
		kernel_zfree(t->net->ks, t->frame.newsock, sizeof(struct socket));
		t->frame.newsock = NULL;
	}
	return ret;
}

/*
 * Models: net/socket.c:__sys_accept4() -> do_accept().  accept() is accept4()
 * with flags 0; other flags than SOCK_NONBLOCK/SOCK_CLOEXEC are EINVAL
 * before the descriptor is looked at.
 */
static long sys_accept(struct task *t, const struct sys_args *a)
{
	struct socket *sock, *newsock;
	int err = 0;

	if (a->a[0] & ~(int64_t)(SOCK_CLOEXEC | SOCK_NONBLOCK))
		return -SIM_EINVAL;
	sock = sockfd_lookup_security(t, a->fd, "accept", &err);
	if (!sock)
		return err;
	if (!task_fd_available(t))
		return -SIM_EMFILE;	/* __sys_accept4_file(): get_unused_fd_flags() first */
	newsock = kernel_zalloc(t->net->ks, sizeof(*newsock));
	newsock->type = sock->type;
	newsock->ops = sock->ops;
	err = sock->ops->accept(sock, newsock, (int)sock->file_flags);
	if (task_blocked(t))
		return err;
	if (err) {
		kernel_zfree(t->net->ks, newsock, sizeof(*newsock));
		return err;
	}
	t->frame.newsock = newsock;
	return accept_install_newsock(t);
}

static long sys_close(struct task *t, const struct sys_args *a)
{
	return task_close_fd(t, a->fd);
}

/* Models: net/socket.c:__sys_shutdown_sock() */
static long sys_shutdown(struct task *t, const struct sys_args *a)
{
	struct socket *sock;
	int err = 0;

	sock = sockfd_lookup_security(t, a->fd, "shutdown", &err);
	if (!sock)
		return err;
	return sock->ops->shutdown(sock, (int)a->a[0]);
}

/*
 * Models: net/socket.c:__sys_sendto().  6.x and 5.0 both check the buffer
 * first (import_ubuf / import_single_range), then the fd, then the address.
 * O_NONBLOCK on the file becomes MSG_DONTWAIT.
 */
static long sys_sendto(struct task *t, const struct sys_args *a)
{
	struct msghdr_sim msg = { .flags = (int)a->a[1] };
	struct socket *sock;
	int err = 0;

	if (a->a[2])		/* the buffer range is not a user range */
		return -SIM_EFAULT;
	sock = sockfd_lookup(t, a->fd, &err);
	if (!sock)
		return err;
	if (a->has_addr) {
		err = move_addr_to_kernel(&a->addr);
		if (err)
			return err;
		msg.name = &a->addr;
	}
	if (sock->file_flags & O_NONBLOCK)
		msg.flags |= MSG_DONTWAIT;
	err = security_socket_check(t, "sendmsg");	/* security_socket_sendmsg */
	if (err)
		return err;
	return sock->ops->sendmsg(sock, &msg, rw_count(a->a[0]));
}

/* Models: net/socket.c:__sys_recvfrom() */
static long sys_recvfrom(struct task *t, const struct sys_args *a)
{
	struct msghdr_sim msg = { .flags = (int)a->a[1] };
	struct socket *sock;
	int err = 0;

	sock = sockfd_lookup_security(t, a->fd, "recvmsg", &err);
	if (!sock)
		return err;
	if (sock->file_flags & O_NONBLOCK)
		msg.flags |= MSG_DONTWAIT;
	return sock->ops->recvmsg(sock, &msg, rw_count(a->a[0]), msg.flags);
}

/*
 * Models: net/socket.c:__sys_sendmsg() -> ___sys_sendmsg(): the socket is
 * looked up first, then the msghdr's iovec is imported (more than
 * UIO_MAXIOV segments: EMSGSIZE; the total is capped at MAX_RW_COUNT) and
 * the bytes go to sock_sendmsg() as one buffer.  a[0] total, a[1] flags,
 * a[3] the number of segments.
 */
#define UIO_MAXIOV 1024

/* The common part of sendmsg and recvmsg: the socket, the iovec, O_NONBLOCK, the LSM hook. */
static struct socket *sys_msg_sock(struct task *t, const struct sys_args *a, const char *call,
				   struct msghdr_sim *msg, int *err)
{
	struct socket *sock = sockfd_lookup(t, a->fd, err);

	if (!sock)
		return NULL;
	if (a->a[3] > UIO_MAXIOV) {
		*err = -SIM_EMSGSIZE;
		return NULL;
	}
	msg->flags = (int)a->a[1];
	if (sock->file_flags & O_NONBLOCK)
		msg->flags |= MSG_DONTWAIT;
	*err = security_socket_check(t, call);
	return *err ? NULL : sock;
}

static long sys_sendmsg(struct task *t, const struct sys_args *a)
{
	struct msghdr_sim msg = { 0 };
	int err = 0;
	struct socket *sock = sys_msg_sock(t, a, "sendmsg", &msg, &err);

	return sock ? sock->ops->sendmsg(sock, &msg, rw_count(a->a[0])) : err;
}

/* Models: net/socket.c:__sys_recvmsg() -> ___sys_recvmsg(), as sendmsg above. */
static long sys_recvmsg(struct task *t, const struct sys_args *a)
{
	struct msghdr_sim msg = { 0 };
	int err = 0;
	struct socket *sock = sys_msg_sock(t, a, "recvmsg", &msg, &err);

	/* socksim's recvmsg always passes a control buffer: a protocol that
	 * puts a cmsg (TCP_CM_INQ) hands its value back in t->out_val */
	t->frame.msg_control = true;
	return sock ? sock->ops->recvmsg(sock, &msg, rw_count(a->a[0]), msg.flags) : err;
}

/*
 * Models: net/socket.c:sock_read_iter() — read(2) on a socket: recvmsg with
 * flags 0 (MSG_DONTWAIT under O_NONBLOCK); a zero-length read returns 0
 * without looking at the socket.
 */
long sock_read_iter(struct task *t, struct file *file, size_t len)
{
	struct socket *sock = file->sock;
	struct msghdr_sim msg = { .flags = file->f_flags & O_NONBLOCK ? MSG_DONTWAIT : 0 };
	int err;

	if (!len)
		return 0;
	sock->file_flags = file->f_flags;
	err = security_socket_check(t, "recvmsg");	/* sock_recvmsg() */
	if (err)
		return err;
	return sock->ops->recvmsg(sock, &msg, len, msg.flags);
}

/* Models: net/socket.c:sock_write_iter() — write(2) on a socket: sendmsg with flags 0. */
long sock_write_iter(struct task *t, struct file *file, size_t len)
{
	struct socket *sock = file->sock;
	struct msghdr_sim msg = { .flags = file->f_flags & O_NONBLOCK ? MSG_DONTWAIT : 0 };
	int err;

	sock->file_flags = file->f_flags;
	err = security_socket_check(t, "sendmsg");	/* sock_sendmsg() */
	if (err)
		return err;
	return sock->ops->sendmsg(sock, &msg, len);
}

/*
 * Models: net/socket.c:sock_ioctl() -> sock_do_ioctl(): the protocol's
 * ioctl (inet_ioctl -> tcp_ioctl); a command no layer knows
 * (-ENOIOCTLCMD) ends as ENOTTY.  The value goes to *karg.
 */
long sock_ioctl(struct file *file, unsigned int cmd, int *karg)
{
	struct socket *sock = file->sock;
	int err = -SIM_ENOIOCTLCMD;

	if (sock->ops->ioctl)
		err = sock->ops->ioctl(sock, cmd, karg);
	return err == -SIM_ENOIOCTLCMD ? -SIM_ENOTTY : err;
}

/* Models: net/socket.c:__sys_setsockopt() — SOL_SOCKET goes to sock_setsockopt. */
static long sys_setsockopt(struct task *t, const struct sys_args *a)
{
	struct socket *sock;
	int err = 0;

	sock = sockfd_lookup_security(t, a->fd, "setsockopt", &err);
	if (!sock)
		return err;
	if (a->a[0] == SOL_SOCKET)
		return sock_setsockopt(sock, (int)a->a[0], (int)a->a[1], a->a[2]);
	return sock->ops->setsockopt(sock, (int)a->a[0], (int)a->a[1], a->a[2]);
}

static long sys_getsockopt(struct task *t, const struct sys_args *a)
{
	struct socket *sock;
	int err = 0;
	int64_t val = 0;

	sock = sockfd_lookup_security(t, a->fd, "getsockopt", &err);
	if (!sock)
		return err;
	if (a->a[0] == SOL_SOCKET)
		err = sk_getsockopt(sock->sk, (int)a->a[0], (int)a->a[1], &val);
	else
		err = sock->ops->getsockopt(sock, (int)a->a[0], (int)a->a[1], &val);
	if (!err) {
		t->out_valid = true;
		t->out_val = val;
	}
	return err;
}

/*
 * Models: net/socket.c:__sys_getsockname() / __sys_getpeername() — the fd
 * (EBADF, ENOTSOCK), the LSM hook, then ops->getname(); 0 and the address
 * on success (move_addr_to_user), which the task hands back in out_addr.
 */
static long sys_getname(struct task *t, const struct sys_args *a, const char *call, int peer)
{
	struct socket *sock;
	struct sockaddr_sim addr;
	int err = 0;

	sock = sockfd_lookup_security(t, a->fd, call, &err);
	if (!sock)
		return err;
	if (!sock->ops->getname)
		return -SIM_EOPNOTSUPP;
	err = sock->ops->getname(sock, &addr, peer);
	if (err < 0)
		return err;
	t->out_addr_valid = true;
	t->out_addr = addr;
	return 0;
}

static long sys_getsockname(struct task *t, const struct sys_args *a)
{
	return sys_getname(t, a, "getsockname", 0);
}

static long sys_getpeername(struct task *t, const struct sys_args *a)
{
	return sys_getname(t, a, "getpeername", 1);
}

/* Models: fs/fcntl.c:do_fcntl() F_GETFL / F_SETFL (O_NONBLOCK only). */
static long sys_fcntl(struct task *t, const struct sys_args *a)
{
	struct file *f = task_fget(t, a->fd);

	if (!f)
		return -SIM_EBADF;
	if (a->a[0] == F_GETFL)
		return 02 | f->f_flags;		/* O_RDWR | flags */
	if (a->a[0] == F_SETFL) {
		f->f_flags = (unsigned int)a->a[1] & O_NONBLOCK;
		return 0;
	}
	return -SIM_EINVAL;
}

/*
 * Models: net/socket.c:sock_poll() — the socket file's f_op->poll.  The
 * protocol's poll (tcp_poll, vsock_poll) starts with sock_poll_wait() on
 * the socket's wait queue; that hook is made here, before the mask.
 */
unsigned int sock_poll(struct file *file, poll_table *wait)
{
	struct socket *sock = file->sock;

	if (!sock->ops->poll)
		return 0;
	if (sock->sk)
		poll_wait(file, &sock->sk->sk_wq, wait);
	return sock->ops->poll(sock);
}

/*
 * The syscall table (arch/x86/entry/syscalls/syscall_64.tbl's role): one row
 * per call -- its name in scenarios, the argument shape and usage the
 * scenario checker decodes (scenario/check_calls.c), and the model that runs it.
 */
const struct syscall_desc syscall_table[] = {
	{ "socket", "iii", "socket(FAMILY, TYPE, PROTOCOL)", sys_socket, false },
	{ "connect", "fA?i", "connect(FD, ADDR[:PORT] | AF_UNSPEC | FAULT [, ADDRLEN])", sys_connect, true },
	{ "bind", "fA?i", "bind(FD, ADDR:PORT [, ADDRLEN])", sys_bind, false },
	{ "listen", "fi", "listen(FD, BACKLOG)", sys_listen, false },
	{ "accept", "f", "accept(FD)", sys_accept, true },
	{ "accept4", "fi", "accept4(FD, 0 | SOCK_NONBLOCK | SOCK_CLOEXEC)", sys_accept, true },
	{ "close", "f", "close(FD)", sys_close, false },
	{ "shutdown", "fi", "shutdown(FD, SHUT_RD | SHUT_WR | SHUT_RDWR)", sys_shutdown, false },
	{ "send", "fL?i", "send(FD, LEN | FAULT [, FLAGS])", sys_sendto, true },
	{ "sendto", "fLiA?i", "sendto(FD, LEN | FAULT, FLAGS, ADDR:PORT [, ADDRLEN])", sys_sendto, true },
	{ "recv", "fi?i", "recv(FD, LEN [, FLAGS])", sys_recvfrom, true },
	{ "read", "fL", "read(FD, LEN | FAULT)", sys_read, true },
	{ "write", "fL", "write(FD, LEN | FAULT)", sys_write, true },
	{ "sendmsg", "fI?i", "sendmsg(FD, LEN | \"LEN LEN ...\" [, FLAGS])", sys_sendmsg, true },
	{ "recvmsg", "fI?i", "recvmsg(FD, LEN | \"LEN LEN ...\" [, FLAGS])", sys_recvmsg, true },
	{ "ioctl", "fi", "ioctl(FD, SIOCINQ | FIONREAD | SIOCOUTQ | SIOCOUTQNSQ)", sys_ioctl, false },
	{ "setsockopt", "fiiV", "setsockopt(FD, LEVEL, OPTNAME, VALUE)", sys_setsockopt, false },
	{ "getsockopt", "fii", "getsockopt(FD, LEVEL, OPTNAME)", sys_getsockopt, false },
	{ "getsockname", "f", "getsockname(FD)", sys_getsockname, false },
	{ "getpeername", "f", "getpeername(FD)", sys_getpeername, false },
	{ "fcntl", "fi?i", "fcntl(FD, F_GETFL | F_SETFL [, FLAGS])", sys_fcntl, false },
	{ "poll", "PT", "poll(FD, EVENTS [, FD, EVENTS]..., TIMEOUT)", sys_poll, true },
	{ "epoll_create", "i", "epoll_create(SIZE)", sys_epoll_create, false },
	{ "epoll_create1", "i", "epoll_create1(0 | EPOLL_CLOEXEC)", sys_epoll_create1, false },
	{ "epoll_ctl", "fif?i", "epoll_ctl(EPFD, EPOLL_CTL_ADD | EPOLL_CTL_MOD | EPOLL_CTL_DEL, FD [, EVENTS])", sys_epoll_ctl, false },
	{ "epoll_wait", "fiT", "epoll_wait(EPFD, MAXEVENTS, TIMEOUT)", sys_epoll_wait, true },
	{ "open", "", "open()", sys_open, false },
	{ NULL, NULL, NULL, NULL, false },
};

const struct syscall_desc *syscall_find(const char *name)
{
	for (const struct syscall_desc *d = syscall_table; d->name; d++)
		if (strcmp(d->name, name) == 0)
			return d;
	return NULL;
}

long sys_dispatch(struct task *t, const struct sys_args *args)
{
	const struct syscall_desc *d = args->desc ? args->desc : syscall_find(args->call);
	long ret;

	t->net->ks->current = t;
	g_assert(d);		/* the checker accepted only names in the table */
	ret = d->fn(t, args);
	/* A call whose row says it never sleeps went to sleep: a model bug, not an input. */
	if (task_blocked(t) && !d->can_block)
		g_error("%s() slept, but its row in syscall_table says it cannot block", d->name);
	return ret;
}

/*
 * Models: net/socket.c:sock_close() -> __sock_release() -> inet_release(),
 * then iput() -> sock_free_inode(): the protocol has let go of @sock (the
 * sock is orphaned, sk->sk_socket NULL) and no file points at it, so it
 * goes back to @ks's slab (a million closed sockets are 64 MB otherwise).
 */
void sock_close(struct kernel_shared *ks, struct socket *sock)
{
	if (sock->ops && sock->ops->release)
		sock->ops->release(sock);
	kernel_zfree(ks, sock, sizeof(*sock));
}
