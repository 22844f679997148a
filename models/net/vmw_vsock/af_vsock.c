/* SPDX-License-Identifier: MIT */
/*
 * AF_VSOCK socket layer.  Models: net/vmw_vsock/af_vsock.c @ v6.18 (the
 * seeds' 5.0 behaviour under the linux-5.0 profile, net/vsock_profile.h).
 *
 * Implementation notes (the kernel's own, restated for the model):
 * - A socket is on the bound table once it has a local port, and on the
 *   connected table once connecting completed (client) or the listener
 *   created it (child).  The tables are per host and kept in insertion
 *   order; the kernel hashes them, which no result here depends on.
 * - sk_state reuses the TCP constants: TCP_CLOSE unconnected, TCP_SYN_SENT
 *   connecting, TCP_ESTABLISHED, TCP_CLOSING disconnecting, TCP_LISTEN.
 *   sock->state (SS_*) is the BSD state the connect() switch reads.
 * - 6.x chooses the transport per socket from the remote CID at connect()
 *   (guest-to-host or host-to-guest slot); listeners have none until a
 *   child is created.  5.0 has one transport per kernel, set at creation.
 * - vsock_connect() duplicates __inet_stream_connect()'s SS_* switch on
 *   purpose, as the kernel does; there are no retransmissions: one REQUEST,
 *   then the connect timeout (2 s by default).
 * - Blocking calls are split at their sleep (models/kernel/wait.c): the
 *   *_resume functions are the loop bodies after schedule_timeout().
 */
#include "uapi/linux/eventpoll.h"
#include "net/af_vsock.h"

#include <string.h>

#include "net/vsock_device.h"
#include "trace/events/vsock.h"
#include "net/net_namespace.h"
#include "trace/events/sock.h"
#include "net/profile.h"
#include "kernel/task.h"
#include "linux/errno_names.h"
#include "linux/virtio_vsock.h"
#include "net/ipv4.h"
#include "net/socket.h"
#include "net/stream.h"
#include "sim/trace.h"

#define PF_VSOCK AF_VSOCK

static struct task *current_task(struct sock *sk)
{
	return net_current(sock_net(sk));
}

const struct vsock_profile *vsock_profile_of(const struct sock *sk)
{
	return sock_net(sk)->profile->vsock;
}

struct vsock_host *vsock_host_get(struct net *net)
{
	struct vsock_host *vh = net->vsock;
	g_autofree char *stream = NULL;

	if (vh)
		return vh;
	vh = g_new0(struct vsock_host, 1);
	vh->net = net;
	vh->bound = g_ptr_array_new();
	vh->connected = g_ptr_array_new();
	vh->vhost = g_ptr_array_new();
	vh->ctr = g_new0(uint64_t, VSOCK_CTR_MAX);
	stream = g_strdup_printf("vsock-port:%s", net->name);
	sim_rng_stream(net->sim, &vh->port_rng, stream);
	net->vsock = vh;
	return vh;
}

void vsock_host_free(struct vsock_host *vh)
{
	if (!vh)
		return;
	g_ptr_array_free(vh->bound, TRUE);
	g_ptr_array_free(vh->connected, TRUE);
	g_ptr_array_free(vh->vhost, TRUE);
	g_free(vh->g2h);
	g_free(vh->h2g);
	g_free(vh->ctr);
	g_free(vh);
}

void vsock_addr_format(const struct sockaddr_vm *a, char *buf, size_t len)
{
	char cid[16], port[16];

	if (a->svm_cid == VMADDR_CID_ANY)
		g_strlcpy(cid, "any", sizeof(cid));
	else
		g_snprintf(cid, sizeof(cid), "%u", a->svm_cid);
	if (a->svm_port == VMADDR_PORT_ANY)
		g_strlcpy(port, "any", sizeof(port));
	else
		g_snprintf(port, sizeof(port), "%u", a->svm_port);
	g_snprintf(buf, len, "vsock:%s:%s", cid, port);
}

static void vsock_addr_init(struct sockaddr_vm *a, uint32_t cid, uint32_t port)
{
	memset(a, 0, sizeof(*a));
	a->svm_family = AF_VSOCK;
	a->svm_cid = cid;
	a->svm_port = port;
}

static bool vsock_addr_equals_addr(const struct sockaddr_vm *a, const struct sockaddr_vm *b)
{
	return a->svm_cid == b->svm_cid && a->svm_port == b->svm_port;
}

/*
 * Models: net/vmw_vsock/vsock_addr.c:vsock_addr_cast() @ v6.18 + vsock_addr_validate():
 * short length, wrong family, or an unknown svm_flags bit.  Every failure
 * becomes EINVAL in the callers.
 */
static int vsock_addr_cast(const struct sockaddr_sim *addr, const struct vsock_profile *p,
			   struct sockaddr_vm *out)
{
	if (addr->fault)
		return -SIM_EFAULT;
	if (addr->addrlen < (int)sizeof(struct sockaddr_vm))
		return -SIM_EFAULT;
	if (addr->family != AF_VSOCK)
		return -SIM_EAFNOSUPPORT;
	if (addr->svm_flags & ~(p->svm_flags ? VMADDR_FLAG_TO_HOST : 0))
		return -SIM_EINVAL;
	vsock_addr_init(out, addr->svm_cid, addr->svm_port);
	out->svm_flags = addr->svm_flags;
	return 0;
}

void vsock_set_state(struct sock *sk, int state)
{
	if (sk->sk_state == state)
		return;
	sk_trace(sk, "vsock_sk_state", NULL, "oldstate=%s newstate=%s",
		 tcp_state_name(sk->sk_state), tcp_state_name(state));
	sk->sk_state = (unsigned char)state;
	trace_sock_state(sk);
}

/* sock->state = @s (traced; socket.c reports it to the results). */
static void vsock_sock_state(struct socket *sock, socket_state s)
{
	if (!sock || sock->state == s)
		return;
	if (sock->sk)
		sk_trace(sock->sk, "vsock_sock_state", NULL, "oldstate=%s newstate=%s",
			 socket_state_name(sock->state), socket_state_name(s));
	sock_set_state(sock, s);
}

int vsock_rcvlowat(const struct sock *sk)
{
	return sk->sk_rcvlowat > 0 ? sk->sk_rcvlowat : 1;
}

/* ---- tables ---- */

static void ptr_array_remove(GPtrArray *a, void *p)
{
	g_ptr_array_remove(a, p);	/* keeps the order of the others */
}

/* Models: net/vmw_vsock/af_vsock.c:__vsock_insert_bound() @ v6.18 (after __vsock_remove_bound). */
static void vsock_insert_bound(struct vsock_sock *vsk)
{
	struct vsock_host *vh = vsock_host_get(sock_net(&vsk->sk));

	if (!vsk->in_bound_table) {
		g_ptr_array_add(vh->bound, vsk);
		vsk->in_bound_table = true;
	}
}

/* Models: net/vmw_vsock/af_vsock.c:vsock_insert_connected() @ v6.18 */
void vsock_insert_connected(struct vsock_sock *vsk)
{
	struct vsock_host *vh = vsock_host_get(sock_net(&vsk->sk));

	if (!vsk->in_connected_table) {
		g_ptr_array_add(vh->connected, vsk);
		vsk->in_connected_table = true;
	}
}

/* Models: net/vmw_vsock/af_vsock.c:vsock_remove_bound() @ v6.18 */
void vsock_remove_bound(struct vsock_sock *vsk)
{
	if (vsk->in_bound_table)
		ptr_array_remove(vsock_host_get(sock_net(&vsk->sk))->bound, vsk);
	vsk->in_bound_table = false;
}

/* Models: net/vmw_vsock/af_vsock.c:vsock_remove_connected() @ v6.18 */
void vsock_remove_connected(struct vsock_sock *vsk)
{
	if (vsk->in_connected_table)
		ptr_array_remove(vsock_host_get(sock_net(&vsk->sk))->connected, vsk);
	vsk->in_connected_table = false;
}

/* Models: net/vmw_vsock/af_vsock.c:vsock_remove_sock() @ v6.18 */
void vsock_remove_sock(struct vsock_sock *vsk)
{
	vsock_remove_bound(vsk);
	vsock_remove_connected(vsk);
}

/* Models: net/vmw_vsock/af_vsock.c:__vsock_find_bound_socket() @ v6.18 */
struct sock *vsock_find_bound_socket(struct vsock_host *vh, const struct sockaddr_vm *addr)
{
	for (guint i = 0; i < vh->bound->len; i++) {
		struct vsock_sock *vsk = vh->bound->pdata[i];

		if (vsock_addr_equals_addr(addr, &vsk->local_addr))
			return &vsk->sk;
		if (addr->svm_port == vsk->local_addr.svm_port &&
		    (vsk->local_addr.svm_cid == VMADDR_CID_ANY || addr->svm_cid == VMADDR_CID_ANY))
			return &vsk->sk;
	}
	return NULL;
}

/* Models: net/vmw_vsock/af_vsock.c:__vsock_find_connected_socket() @ v6.18 */
struct sock *vsock_find_connected_socket(struct vsock_host *vh, const struct sockaddr_vm *src,
					 const struct sockaddr_vm *dst)
{
	for (guint i = 0; i < vh->connected->len; i++) {
		struct vsock_sock *vsk = vh->connected->pdata[i];

		if (vsock_addr_equals_addr(src, &vsk->remote_addr) &&
		    dst->svm_port == vsk->local_addr.svm_port)
			return &vsk->sk;
	}
	return NULL;
}

/*
 * Models: net/vmw_vsock/af_vsock.c:vsock_for_each_connected_socket() @ v6.18 — in insertion order
 * (the kernel walks hash buckets; the order does not change the outcome, and
 * insertion order keeps traces deterministic).
 */
void vsock_for_each_connected_socket(struct vsock_host *vh, const struct vsock_transport *t,
				     void (*fn)(struct sock *sk))
{
	g_autoptr(GPtrArray) snap = g_ptr_array_copy(vh->connected, NULL, NULL);

	for (guint i = 0; i < snap->len; i++) {
		struct vsock_sock *vsk = snap->pdata[i];

		if (vsk->transport == t)
			fn(&vsk->sk);
	}
}

/* ---- transports ---- */

/* Models: net/vmw_vsock/af_vsock.c:vsock_find_cid() @ v6.18 (no loopback transport). */
static bool vsock_find_cid(struct vsock_host *vh, uint32_t cid)
{
	if (vh->transport_g2h && cid == vh->transport_g2h->get_local_cid(vh->transport_g2h))
		return true;
	if (vh->transport_h2g && cid == VMADDR_CID_HOST)
		return true;
	return false;
}

/* 5.0: the one transport of the kernel (__vsock_core_init refuses a second). */
static const struct vsock_transport *vsock_single_transport(struct vsock_host *vh)
{
	return vh->transport_g2h ? vh->transport_g2h : vh->transport_h2g;
}

/*
 * Models: net/vmw_vsock/af_vsock.c:vsock_assign_transport() @ v6.18 (no vsock_loopback, no
 * VMCI datagrams).  By the remote CID: <= 2, no h2g transport, or
 * VMADDR_FLAG_TO_HOST -> guest-to-host; else host-to-guest.  Switching
 * transport releases the old one and resets SOCK_DONE, sk_state and
 * peer_shutdown.  5.0 has a single transport and never fails here.
 */
int vsock_assign_transport(struct vsock_sock *vsk, struct vsock_sock *psk)
{
	struct vsock_host *vh = vsock_host_get(sock_net(&vsk->sk));
	const struct vsock_profile *p = vsock_profile_of(&vsk->sk);
	const struct vsock_transport *new_transport;
	uint32_t remote_cid = vsk->remote_addr.svm_cid;
	uint8_t remote_flags;
	int ret;

	if (!p->multi_transport) {
		if (vsk->transport)
			return 0;
		new_transport = vsock_single_transport(vh);
		if (!new_transport)
			return -SIM_ENODEV;
		goto init;
	}
	if (psk && vsk->local_addr.svm_cid > VMADDR_CID_HOST && remote_cid > VMADDR_CID_HOST)
		vsk->remote_addr.svm_flags |= VMADDR_FLAG_TO_HOST;
	remote_flags = vsk->remote_addr.svm_flags;
	switch (vsk->sk_type) {
	case SOCK_STREAM:
	case SOCK_SEQPACKET:
		if (remote_cid <= VMADDR_CID_HOST || !vh->transport_h2g ||
		    (remote_flags & VMADDR_FLAG_TO_HOST))
			new_transport = vh->transport_g2h;
		else
			new_transport = vh->transport_h2g;
		break;
	default:
		return -SIM_ESOCKTNOSUPPORT;
	}
	if (vsk->transport) {
		if (vsk->transport == new_transport)
			return 0;
		/* A different direction: release the old transport first. */
		vsk->transport->release(vsk);
		vsk->transport->destruct(vsk);
		vsk->transport = NULL;
		vsk->sock_done = false;
		vsock_set_state(&vsk->sk, TCP_CLOSE);
		vsk->peer_shutdown = 0;
	}
	if (!new_transport)
		return -SIM_ENODEV;
	if (vsk->sk_type == SOCK_SEQPACKET &&
	    (!new_transport->seqpacket_allow ||
	     !new_transport->seqpacket_allow(new_transport, remote_cid)))
		return -SIM_ESOCKTNOSUPPORT;
init:
	ret = new_transport->init(vsk, psk);
	if (ret)
		return ret;
	vsk->transport = new_transport;
	return 0;
}

/* ---- creation ---- */

static const struct proto vsock_proto = {
	.name = "AF_VSOCK",
	.obj_size = sizeof(struct vsock_sock),
};

static void vsock_connect_timeout(struct sim_timer *t);

/* Models: net/vmw_vsock/af_vsock.c:__vsock_create() @ v6.18 */
static struct sock *vsock_sk_alloc(struct net *net, struct socket *sock, struct sock *parent,
				   int type)
{
	struct sock *sk = sk_alloc(net, AF_VSOCK, &vsock_proto);
	struct vsock_sock *vsk = vsock_sk(sk);
	struct vsock_sock *psk = parent ? vsock_sk(parent) : NULL;

	sock_init_data(sock, sk);
	vsk->sk_type = type;
	vsock_addr_init(&vsk->local_addr, VMADDR_CID_ANY, VMADDR_PORT_ANY);
	vsock_addr_init(&vsk->remote_addr, VMADDR_CID_ANY, VMADDR_PORT_ANY);
	sk->sk_state = TCP_CLOSE;
	if (psk) {
		vsk->connect_timeout = psk->connect_timeout;
		vsk->buffer_size = psk->buffer_size;
		vsk->buffer_min_size = psk->buffer_min_size;
		vsk->buffer_max_size = psk->buffer_max_size;
		sk->sk_rcvlowat = parent->sk_rcvlowat;
	} else {
		vsk->connect_timeout = SIM_SEC(VSOCK_DEFAULT_CONNECT_TIMEOUT_SEC);
		vsk->buffer_size = VSOCK_DEFAULT_BUFFER_SIZE;
		vsk->buffer_min_size = VSOCK_DEFAULT_BUFFER_MIN_SIZE;
		vsk->buffer_max_size = VSOCK_DEFAULT_BUFFER_MAX_SIZE;
	}
	sim_timer_setup(net->sim, &vsk->connect_work, vsock_connect_timeout,
			"vsock_connect_timeout");
	g_queue_init(&vsk->accept_queue);
	return sk;
}

/*
 * Models: net/vmw_vsock/af_vsock.c:vsock_create() @ v6.18.  Stream and seqpacket sockets get no
 * transport until connect() (6.x); 5.0 binds its one transport at creation.
 * Datagram sockets need the VMCI datagram transport, absent here: ENODEV.
 */
int vsock_create(struct net *net, struct socket *sock, int type, int protocol)
{
	struct vsock_host *vh = vsock_host_get(net);
	const struct vsock_profile *p = net->profile->vsock;
	struct sock *sk;
	int err;

	if (!p->family_without_transport && !vsock_single_transport(vh))
		return -SIM_EAFNOSUPPORT;	/* no transport registered PF_VSOCK yet */
	if (protocol && protocol != PF_VSOCK)
		return -SIM_EPROTONOSUPPORT;
	switch (type) {
	case SOCK_DGRAM:
		return -SIM_ENODEV;
	case SOCK_SEQPACKET:
		if (!p->seqpacket)
			return -SIM_ESOCKTNOSUPPORT;
		break;
	case SOCK_STREAM:
		break;
	default:
		return -SIM_ESOCKTNOSUPPORT;
	}
	sock->ops = &vsock_stream_ops;
	sock->state = SS_UNCONNECTED;
	sk = vsock_sk_alloc(net, sock, NULL, type);
	if (!p->multi_transport) {
		err = vsock_assign_transport(vsock_sk(sk), NULL);
		if (err)
			return err;
	}
	trace_sock_state(sk);
	return 0;
}

/* Models: net/vmw_vsock/af_vsock.c:vsock_create_connected() @ v6.18 — a child of a listener. */
struct sock *vsock_create_connected(struct sock *parent)
{
	struct sock *sk = vsock_sk_alloc(sock_net(parent), NULL, parent, vsock_sk(parent)->sk_type);

	trace_sock_state(sk);
	return sk;
}

/* Models: net/vmw_vsock/af_vsock.c:vsock_enqueue_accept() @ v6.18 */
void vsock_enqueue_accept(struct sock *listener, struct sock *connected)
{
	g_queue_push_tail(&vsock_sk(listener)->accept_queue, connected);
}

/* Models: net/vmw_vsock/af_vsock.c:vsock_dequeue_accept() @ v6.18 */
static struct sock *vsock_dequeue_accept(struct sock *listener)
{
	return g_queue_pop_head(&vsock_sk(listener)->accept_queue);
}

/* ---- bind ---- */

/*
 * Models: net/vmw_vsock/af_vsock.c:__vsock_bind_connectible() @ v6.18
 * PORT_ANY takes the next of a
 * per-kernel counter that starts at a random value above 1023 (the host's
 * "vsock-port:HOST" stream), trying 24 ports.
 */
static int vsock_bind_connectible(struct vsock_sock *vsk, const struct sockaddr_vm *addr)
{
	struct vsock_host *vh = vsock_host_get(sock_net(&vsk->sk));
	struct sockaddr_vm new_addr;
	bool found = false;

	vsock_addr_init(&new_addr, addr->svm_cid, addr->svm_port);
	if (addr->svm_port == VMADDR_PORT_ANY) {
		if (!vh->bind_port)
			vh->bind_port = LAST_RESERVED_PORT + 1 +
				(uint32_t)sim_rng_below(&vh->port_rng,
							(uint64_t)UINT32_MAX - LAST_RESERVED_PORT - 1);
		for (int i = 0; i < MAX_PORT_RETRIES; i++) {
			if (vh->bind_port == VMADDR_PORT_ANY || vh->bind_port <= LAST_RESERVED_PORT)
				vh->bind_port = LAST_RESERVED_PORT + 1;
			new_addr.svm_port = vh->bind_port++;
			if (!vsock_find_bound_socket(vh, &new_addr)) {
				found = true;
				break;
			}
		}
		if (!found)
			return -SIM_EADDRNOTAVAIL;
	} else {
		/* Root may bind ports <= LAST_RESERVED_PORT (no EACCES here). */
		if (vsock_find_bound_socket(vh, &new_addr))
			return -SIM_EADDRINUSE;
	}
	vsock_addr_init(&vsk->local_addr, new_addr.svm_cid, new_addr.svm_port);
	vsock_remove_bound(vsk);
	vsock_insert_bound(vsk);
	return 0;
}

/* Models: net/vmw_vsock/af_vsock.c:__vsock_bind() @ v6.18 */
static int vsock_bind_locked(struct vsock_sock *vsk, const struct sockaddr_vm *addr)
{
	struct vsock_host *vh = vsock_host_get(sock_net(&vsk->sk));

	if (vsock_addr_bound(&vsk->local_addr))
		return -SIM_EINVAL;
	if (addr->svm_cid != VMADDR_CID_ANY && !vsock_find_cid(vh, addr->svm_cid))
		return -SIM_EADDRNOTAVAIL;
	return vsock_bind_connectible(vsk, addr);
}

/* Models: net/vmw_vsock/af_vsock.c:vsock_auto_bind() @ v6.18 */
static int vsock_auto_bind(struct vsock_sock *vsk)
{
	struct sockaddr_vm any;

	if (vsock_addr_bound(&vsk->local_addr))
		return 0;
	vsock_addr_init(&any, VMADDR_CID_ANY, VMADDR_PORT_ANY);
	return vsock_bind_locked(vsk, &any);
}

/* Models: net/vmw_vsock/af_vsock.c:vsock_bind() @ v6.18 */
static int vsock_bind(struct socket *sock, const struct sockaddr_sim *uaddr)
{
	struct vsock_sock *vsk = vsock_sk(sock->sk);
	struct sockaddr_vm addr;

	if (vsock_addr_cast(uaddr, vsock_profile_of(sock->sk), &addr))
		return -SIM_EINVAL;
	return vsock_bind_locked(vsk, &addr);
}

/* ---- connect ---- */

/* Models: net/vmw_vsock/af_vsock.c:vsock_transport_cancel_pkt() @ v6.18 */
static void vsock_transport_cancel_pkt(struct vsock_sock *vsk)
{
	if (vsk->transport && vsk->transport->cancel_pkt)
		vsk->transport->cancel_pkt(vsk);
}

/*
 * Models: net/vmw_vsock/af_vsock.c:vsock_connect_timeout() @ v6.18 — the delayed work armed by a
 * non-blocking connect().  A socket still connecting gives up: TCP_CLOSE,
 * sk_err = ETIMEDOUT (poll sees EPOLLERR, SO_ERROR reads it), and its queued
 * packets are cancelled.  6.1+ also resets sock->state.
 */
static void vsock_connect_timeout(struct sim_timer *t)
{
	struct vsock_sock *vsk = container_of(t, struct vsock_sock, connect_work);
	struct sock *sk = &vsk->sk;

	if (sk->sk_state == TCP_SYN_SENT && sk->sk_shutdown != SHUTDOWN_MASK) {
		vsock_set_state(sk, TCP_CLOSE);
		if (vsock_profile_of(sk)->timeout_resets_sock_state)
			vsock_sock_state(sk->sk_socket, SS_UNCONNECTED);
		sk->sk_err = SIM_ETIMEDOUT;
		sk_trace(sk, "vsock_connect_timeout", "net/vmw_vsock/af_vsock.c:vsock_connect_timeout",
			 "sk_err=ETIMEDOUT");
		sk_error_report(sk);
		vsock_transport_cancel_pkt(vsk);
	}
	sock_put(sk);
}

static bool vsock_connect_done(const struct sock *sk, const struct vsock_profile *p)
{
	return sk->sk_state == TCP_ESTABLISHED ||
		(p->wait_exits_on_closing && sk->sk_state == TCP_CLOSING) || sk->sk_err;
}

/* The end of vsock_connect() after its wait loop: the pending error, or 0. */
static long vsock_connect_tail(struct socket *sock)
{
	struct sock *sk = sock->sk;

	if (sk->sk_err) {
		vsock_set_state(sk, TCP_CLOSE);
		vsock_sock_state(sock, SS_UNCONNECTED);
		return -sk->sk_err;
	}
	return 0;
}

/* A blocking connect() gave up: signal or timeout. */
static long vsock_connect_abort(struct socket *sock, long err)
{
	struct sock *sk = sock->sk;

	sk_trace(sk, "vsock_connect_abort", "net/vmw_vsock/af_vsock.c:vsock_connect", "err=%s",
		 sim_errno_name((int)-err));
	vsock_set_state(sk, TCP_CLOSE);
	vsock_sock_state(sock, SS_UNCONNECTED);
	vsock_transport_cancel_pkt(vsock_sk(sk));
	return err;
}

static long vsock_connect_resume(struct task *t, sim_time_t timeo_left);

/*
 * The wait loop of vsock_connect(), entered with @err preset (EINPROGRESS or
 * EALREADY).  A non-blocking caller (re)arms the connect-timeout work and
 * returns @err; a blocking one sleeps for the rest of connect_timeout.
 */
static long vsock_connect_wait(struct task *t, struct socket *sock, int flags, long err,
			       sim_time_t timeout)
{
	struct sock *sk = sock->sk;
	struct vsock_sock *vsk = vsock_sk(sk);
	const struct vsock_profile *p = vsock_profile_of(sk);

	if (vsock_connect_done(sk, p))
		return vsock_connect_tail(sock);
	if (flags & O_NONBLOCK) {
		sim_time_t at = sim_time_add(net_now(sock_net(sk)), timeout);

		sock_hold(sk);
		if (p->timeout_resets_sock_state) {
			/* mod_delayed_work(): re-arm; the extra hold is dropped */
			if (sim_mod_timer(&vsk->connect_work, at))
				sock_put(sk);
		} else if (!sim_timer_pending(&vsk->connect_work)) {
			/* schedule_delayed_work(): a pending work keeps its expiry */
			sim_mod_timer(&vsk->connect_work, at);
		}
		return err;
	}
	t->frame.err = (int)err;
	return sk_wait_sleep(t, sk, timeout, vsock_connect_resume);
}

/* Models: net/vmw_vsock/af_vsock.c:vsock_connect() @ v6.18 — its loop after schedule_timeout(). */
static long vsock_connect_resume(struct task *t, sim_time_t timeo_left)
{
	struct file *f = task_fget(t, t->args.fd);
	struct socket *sock = f ? f->sock : NULL;
	struct sock *sk;
	const struct vsock_profile *p;

	if (!sock || !sock->sk)
		return -SIM_EBADF;
	sk = sock->sk;
	p = vsock_profile_of(sk);
	if (p->signal_keeps_established) {
		if (sk->sk_state == TCP_ESTABLISHED)
			return vsock_connect_tail(sock);
		if (signal_pending(t) || timeo_left == 0)
			return vsock_connect_abort(sock, timeo_left == 0 ? -SIM_ETIMEDOUT :
						   sock_intr_errno(timeo_left));
	} else {
		if (signal_pending(t))
			return vsock_connect_abort(sock, sock_intr_errno(timeo_left));
		if (timeo_left == 0)
			return vsock_connect_abort(sock, -SIM_ETIMEDOUT);
	}
	return vsock_connect_wait(t, sock, 0, t->frame.err, timeo_left);
}

/*
 * Models: net/vmw_vsock/af_vsock.c:vsock_connect() @ v6.18 (5.0: vsock_stream_connect).
 * The sock->state switch, address check, transport assignment, autobind,
 * TCP_SYN_SENT + the transport's REQUEST, then the wait.  6.6+ clears a stale
 * sk_err so that a retried connect() is a new attempt.
 */
static int vsock_connect(struct socket *sock, const struct sockaddr_sim *uaddr, int flags)
{
	struct sock *sk = sock->sk;
	struct vsock_sock *vsk = vsock_sk(sk);
	const struct vsock_profile *p = vsock_profile_of(sk);
	struct task *t = current_task(sk);
	struct sockaddr_vm remote;
	long err;

	switch (sock->state) {
	case SS_CONNECTED:
		return -SIM_EISCONN;
	case SS_DISCONNECTING:
		return -SIM_EINVAL;
	case SS_CONNECTING:
		err = -SIM_EALREADY;
		if (p->ealready_immediate && (flags & O_NONBLOCK))
			return (int)err;
		break;
	default:
		if (sk->sk_state == TCP_LISTEN || vsock_addr_cast(uaddr, p, &remote))
			return -SIM_EINVAL;
		if (!p->multi_transport &&
		    !vsk->transport->stream_allow(remote.svm_cid, remote.svm_port))
			return -SIM_ENETUNREACH;
		vsk->remote_addr = remote;
		if (p->multi_transport) {
			err = vsock_assign_transport(vsk, NULL);
			if (err)
				return (int)err;
			if (!vsk->transport ||
			    !vsk->transport->stream_allow(remote.svm_cid, remote.svm_port))
				return -SIM_ENETUNREACH;
		}
		err = vsock_auto_bind(vsk);
		if (err)
			return (int)err;
		vsock_set_state(sk, TCP_SYN_SENT);
		err = vsk->transport->connect(vsk);
		if (err < 0)
			return (int)err;
		if (p->connect_clears_sk_err)
			sk->sk_err = 0;
		vsock_sock_state(sock, SS_CONNECTING);
		err = -SIM_EINPROGRESS;
		break;
	}
	return (int)vsock_connect_wait(t, sock, flags, err, vsk->connect_timeout);
}

/* ---- listen / accept ---- */

/* Models: net/vmw_vsock/af_vsock.c:vsock_listen() @ v6.18 */
static int vsock_listen(struct socket *sock, int backlog)
{
	struct sock *sk = sock->sk;
	struct vsock_sock *vsk = vsock_sk(sk);

	if (sock->state != SS_UNCONNECTED)
		return -SIM_EINVAL;
	if (!vsock_addr_bound(&vsk->local_addr))
		return -SIM_EINVAL;
	sk->sk_max_ack_backlog = (unsigned int)backlog;
	vsock_set_state(sk, TCP_LISTEN);
	return 0;
}

static long vsock_accept_resume(struct task *t, sim_time_t timeo_left);

/*
 * Models: net/vmw_vsock/af_vsock.c:vsock_accept() @ v6.18 — the head of its wait loop: take the
 * first child of the accept queue, or sleep for SO_RCVTIMEO.
 */
static long vsock_accept_try(struct task *t, struct socket *sock, sim_time_t timeo)
{
	struct sock *listener = sock->sk;
	struct socket *newsock = t->frame.newsock;
	struct sock *connected;

	if (listener->sk_state != TCP_LISTEN)
		return -SIM_EINVAL;
	connected = vsock_dequeue_accept(listener);
	if (!connected) {
		if (listener->sk_err)
			return -listener->sk_err;
		if (!timeo)
			return -SIM_EAGAIN;
		return sk_wait_sleep(t, listener, timeo, vsock_accept_resume);
	}
	listener->sk_ack_backlog--;		/* sk_acceptq_removed() */
	sock_init_data(newsock, connected);	/* sock_graft() */
	connected->sk_rcvlowat = listener->sk_rcvlowat;
	newsock->state = SS_CONNECTED;
	trace_sock_state(connected);
	return 0;
}

/* After schedule_timeout(): a signal wins, then a spent timeout, then the loop. */
static long vsock_accept_resume(struct task *t, sim_time_t timeo_left)
{
	struct file *f = task_fget(t, t->args.fd);
	long ret;

	if (!f || !f->sock->sk)
		return -SIM_EBADF;
	if (signal_pending(t))
		ret = sock_intr_errno(timeo_left);
	else if (timeo_left == 0)
		ret = -SIM_EAGAIN;
	else
		ret = vsock_accept_try(t, f->sock, timeo_left);
	return accept_resume_finish(t, ret);
}

static int vsock_accept(struct socket *sock, struct socket *newsock, int flags)
{
	struct task *t = current_task(sock->sk);
	sim_time_t timeo = sock_rcvtimeo(sock->sk, flags & O_NONBLOCK);
	long ret;

	t->frame.newsock = newsock;
	ret = vsock_accept_try(t, sock, timeo);
	if (task_blocked(t))
		return (int)ret;
	t->frame.newsock = NULL;
	return (int)ret;
}

/* ---- release / shutdown ---- */

/* Models: net/vmw_vsock/af_vsock.c:__vsock_release() @ v6.18 */
static void vsock_release_sk(struct sock *sk)
{
	struct vsock_sock *vsk = vsock_sk(sk);
	struct sock *pending;

	sk->sock_dead = true;		/* sock_orphan() */
	if (vsk->transport)
		vsk->transport->release(vsk);
	else
		vsock_remove_sock(vsk);
	sk->sk_shutdown = SHUTDOWN_MASK;
	while ((pending = vsock_dequeue_accept(sk)) != NULL)
		vsock_release_sk(pending);
}

/* Models: net/vmw_vsock/af_vsock.c:vsock_release() @ v6.18 */
static int vsock_release(struct socket *sock)
{
	struct sock *sk = sock->sk;

	if (!sk)
		return 0;
	vsock_release_sk(sk);
	sock->sk = NULL;
	sk->sk_socket = NULL;
	trace_sock_state(sk);
	return 0;
}

/* Models: net/vmw_vsock/af_vsock.c:vsock_shutdown() @ v6.18 */
static int vsock_shutdown(struct socket *sock, int mode)
{
	struct sock *sk = sock->sk;
	struct vsock_sock *vsk = vsock_sk(sk);
	int err;

	mode++;		/* SHUT_RD -> RCV_SHUTDOWN, SHUT_WR -> SEND_SHUTDOWN */
	if ((mode & ~SHUTDOWN_MASK) || !mode)
		return -SIM_EINVAL;
	if (sock->state == SS_UNCONNECTED)
		return -SIM_ENOTCONN;	/* connectible sockets stop here */
	vsock_sock_state(sock, SS_DISCONNECTING);
	err = 0;
	mode &= RCV_SHUTDOWN | SEND_SHUTDOWN;
	if (mode) {
		sk->sk_shutdown |= (unsigned char)mode;
		sk_state_change(sk);
		vsk->sock_done = false;
		if (vsk->transport)
			vsk->transport->shutdown(vsk, mode);	/* vsock_send_shutdown() */
	}
	return err;
}

/* ---- poll ---- */

/* Models: net/vmw_vsock/af_vsock.c:vsock_poll() @ v6.18 for connectible sockets. */
static unsigned int vsock_poll(struct socket *sock)
{
	struct sock *sk = sock->sk;
	struct vsock_sock *vsk = vsock_sk(sk);
	const struct vsock_profile *p = vsock_profile_of(sk);
	unsigned int mask = 0;

	if (sk->sk_err)
		mask |= POLLERR;
	if (sk->sk_shutdown == SHUTDOWN_MASK ||
	    ((sk->sk_shutdown & SEND_SHUTDOWN) && (vsk->peer_shutdown & SEND_SHUTDOWN)))
		mask |= POLLHUP;
	if ((sk->sk_shutdown & RCV_SHUTDOWN) || (vsk->peer_shutdown & SEND_SHUTDOWN))
		mask |= POLLRDHUP;
	if (sk->sk_state == TCP_LISTEN && g_queue_get_length(&vsk->accept_queue))
		mask |= POLLIN | POLLRDNORM;
	if (vsk->transport && vsk->trans && !(sk->sk_shutdown & RCV_SHUTDOWN)) {
		int64_t data = vsock_stream_has_data(vsk);

		if (p->rcvlowat_target ? data >= vsock_rcvlowat(sk) : data != 0)
			mask |= POLLIN | POLLRDNORM;	/* notify_poll_in */
	}
	if ((sk->sk_shutdown & RCV_SHUTDOWN) || (vsk->peer_shutdown & SEND_SHUTDOWN))
		mask |= POLLIN | POLLRDNORM;
	if (sk->sk_state == TCP_ESTABLISHED && !(sk->sk_shutdown & SEND_SHUTDOWN) &&
	    vsk->trans && vsock_stream_has_space(vsk) > 0)
		mask |= POLLOUT | POLLWRNORM;		/* notify_poll_out */
	if ((sk->sk_state == TCP_CLOSE || sk->sk_state == TCP_CLOSING) &&
	    !(sk->sk_shutdown & SEND_SHUTDOWN))
		mask |= POLLOUT | POLLWRNORM;
	return mask;
}

/* ---- data ---- */

int64_t vsock_stream_has_data(struct vsock_sock *vsk)
{
	return vsk->transport && vsk->trans ? vsk->transport->stream_has_data(vsk) : 0;
}

int64_t vsock_stream_has_space(struct vsock_sock *vsk)
{
	return vsk->transport && vsk->trans ? vsk->transport->stream_has_space(vsk) : 0;
}

/* Models: net/vmw_vsock/af_vsock.c:vsock_data_ready() @ v6.18 */
void vsock_data_ready(struct sock *sk)
{
	struct vsock_sock *vsk = vsock_sk(sk);

	if (vsock_stream_has_data(vsk) >= vsock_rcvlowat(sk) || vsk->sock_done)
		sk_wake_poll(sk, EPOLL_KEY_READABLE);	/* sk->sk_data_ready() */
}

/*
 * Models: net/core/sock.c:sock_def_write_space() @ v6.18 as sk_write_space.
 * Simplification: every waiter is woken; the kernel's sk_wmem_alloc <
 * sk_sndbuf / 2 gate is not modelled (docs/models.md, AF_VSOCK left out).
 */
void vsock_write_space(struct sock *sk)
{
	sk_wake_poll(sk, EPOLL_KEY_WRITE_SPACE);
}

static long vsock_sendmsg_resume(struct task *t, sim_time_t timeo_left);

/* The end of vsock_connectible_sendmsg(): bytes written win over the error. */
static long vsock_sendmsg_out(struct task *t, struct sock *sk, int flags, long err, size_t len)
{
	struct vsock_sock *vsk = vsock_sk(sk);
	const struct vsock_profile *p = vsock_profile_of(sk);

	if (t->frame.copied > 0 && (vsk->sk_type == SOCK_STREAM || (size_t)t->frame.copied == len))
		err = t->frame.copied;
	if (vsk->sk_type == SOCK_STREAM && p->sigpipe)
		err = sk_stream_error(t, sk, flags, err);
	return err;
}

/*
 * The main loop of vsock_connectible_sendmsg(): wait for credit, enqueue
 * what the credit allows, repeat until everything is queued.
 */
static long vsock_sendmsg_loop(struct task *t, struct sock *sk, int flags, size_t len,
			       sim_time_t timeout)
{
	struct vsock_sock *vsk = vsock_sk(sk);
	const struct vsock_profile *p = vsock_profile_of(sk);
	long written;

	while ((size_t)t->frame.copied < len) {
		if (vsock_stream_has_space(vsk) == 0 && sk->sk_err == 0 &&
		    !(sk->sk_shutdown & SEND_SHUTDOWN) && !(vsk->peer_shutdown & RCV_SHUTDOWN)) {
			if (timeout == 0)
				return vsock_sendmsg_out(t, sk, flags, -SIM_EAGAIN, len);
			vsock_ctr_inc(sock_net(sk), VSOCK_CTR_VsockSendBlocked);
			sk_trace(sk, "vsock_send_wait", "net/vmw_vsock/af_vsock.c:vsock_connectible_sendmsg",
				 "written=%d len=%zu peer_free=0", t->frame.copied, len);
			trace_vsock_send_wait(vsk, true);
			return sk_wait_sleep(t, sk, timeout, vsock_sendmsg_resume);
		}
		if (sk->sk_err)
			return vsock_sendmsg_out(t, sk, flags, -sk->sk_err, len);
		if ((sk->sk_shutdown & SEND_SHUTDOWN) || (vsk->peer_shutdown & RCV_SHUTDOWN))
			return vsock_sendmsg_out(t, sk, flags, -SIM_EPIPE, len);
		written = vsk->transport->stream_enqueue(vsk, len - (size_t)t->frame.copied);
		if (written < 0)
			return vsock_sendmsg_out(t, sk, flags, p->enqueue_err_enomem ? -SIM_ENOMEM : written,
						 len);
		t->frame.copied += (int)written;
		trace_vsock_bytes(vsk, (uint64_t)written, 0);
	}
	return vsock_sendmsg_out(t, sk, flags, 0, len);
}

static long vsock_sendmsg_resume(struct task *t, sim_time_t timeo_left)
{
	struct file *f = task_fget(t, t->args.fd);
	struct sock *sk;

	if (!f || !f->sock->sk)
		return -SIM_EBADF;
	sk = f->sock->sk;
	trace_vsock_send_wait(vsock_sk(sk), false);
	if (signal_pending(t))
		return vsock_sendmsg_out(t, sk, t->frame.flags, sock_intr_errno(timeo_left),
					 (size_t)t->args.a[0]);
	if (timeo_left == 0)
		return vsock_sendmsg_out(t, sk, t->frame.flags, -SIM_EAGAIN, (size_t)t->args.a[0]);
	return vsock_sendmsg_loop(t, sk, t->frame.flags, (size_t)t->args.a[0], timeo_left);
}

/*
 * Models: net/vmw_vsock/af_vsock.c:vsock_connectible_sendmsg() @ v6.18 (5.0:
 * vsock_stream_sendmsg).  Checks in the kernel's order: MSG_OOB, an address,
 * shutdown (EPIPE), not connected, no remote address; then the credit loop.
 */
static int vsock_sendmsg(struct socket *sock, struct msghdr_sim *msg, size_t len)
{
	struct sock *sk = sock->sk;
	struct vsock_sock *vsk = vsock_sk(sk);
	struct task *t = current_task(sk);
	long err;

	t->frame.copied = 0;
	t->frame.flags = msg->flags;
	if (msg->flags & MSG_OOB)
		return -SIM_EOPNOTSUPP;
	if (msg->name)
		err = sk->sk_state == TCP_ESTABLISHED ? -SIM_EISCONN : -SIM_EOPNOTSUPP;
	else if ((sk->sk_shutdown & SEND_SHUTDOWN) || (vsk->peer_shutdown & RCV_SHUTDOWN))
		err = -SIM_EPIPE;
	else if (!vsk->transport || sk->sk_state != TCP_ESTABLISHED ||
		 !vsock_addr_bound(&vsk->local_addr))
		err = -SIM_ENOTCONN;
	else if (!vsock_addr_bound(&vsk->remote_addr))
		err = -SIM_EDESTADDRREQ;
	else
		return (int)vsock_sendmsg_loop(t, sk, msg->flags, len,
					       sock_sndtimeo(sk, msg->flags & MSG_DONTWAIT));
	return (int)vsock_sendmsg_out(t, sk, msg->flags, err, len);
}

static long vsock_recvmsg_resume(struct task *t, sim_time_t timeo_left);

/* The end of __vsock_connectible_recvmsg(). */
static long vsock_recvmsg_out(struct task *t, struct sock *sk, long err)
{
	if (sk->sk_err)
		err = -sk->sk_err;
	else if (sk->sk_shutdown & RCV_SHUTDOWN)
		err = 0;
	if (t->frame.read > 0)
		err = t->frame.read;
	return err;
}

/*
 * The stream part of __vsock_connectible_recvmsg(): wait for data
 * (vsock_connectible_wait_data), dequeue, repeat until SO_RCVLOWAT bytes.
 */
static long vsock_recvmsg_loop(struct task *t, struct sock *sk, size_t len, int flags,
			       sim_time_t timeout)
{
	struct vsock_sock *vsk = vsock_sk(sk);

	for (;;) {
		int64_t data = vsock_stream_has_data(vsk);
		long read;

		if (data == 0) {
			if (sk->sk_err || (sk->sk_shutdown & RCV_SHUTDOWN) ||
			    (vsk->peer_shutdown & SEND_SHUTDOWN))
				return vsock_recvmsg_out(t, sk, 0);
			if (timeout == 0)
				return vsock_recvmsg_out(t, sk, -SIM_EAGAIN);
			return sk_wait_sleep(t, sk, timeout, vsock_recvmsg_resume);
		}
		read = vsk->transport->stream_dequeue(vsk, len - (size_t)t->frame.read, flags);
		if (read < 0)
			return vsock_recvmsg_out(t, sk, read);
		t->frame.read += read;
		trace_vsock_bytes(vsk, 0, (uint64_t)read);
		if (read >= t->frame.target || (flags & MSG_PEEK))
			return vsock_recvmsg_out(t, sk, 0);
		t->frame.target -= read;
	}
}

static long vsock_recvmsg_resume(struct task *t, sim_time_t timeo_left)
{
	struct file *f = task_fget(t, t->args.fd);
	struct sock *sk;

	if (!f || !f->sock->sk)
		return -SIM_EBADF;
	sk = f->sock->sk;
	if (signal_pending(t))
		return vsock_recvmsg_out(t, sk, sock_intr_errno(timeo_left));
	if (timeo_left == 0)
		return vsock_recvmsg_out(t, sk, -SIM_EAGAIN);
	return vsock_recvmsg_loop(t, sk, (size_t)t->args.a[0], t->frame.flags, timeo_left);
}

/*
 * Models: net/vmw_vsock/af_vsock.c:vsock_connectible_recvmsg() @ v6.18
 * -> __vsock_connectible_recvmsg()
 */
static int vsock_recvmsg(struct socket *sock, struct msghdr_sim *msg, size_t len, int flags)
{
	struct sock *sk = sock->sk;
	struct vsock_sock *vsk = vsock_sk(sk);
	struct task *t = current_task(sk);
	int target;

	t->frame.read = 0;
	t->frame.flags = flags;
	if (sk->sk_state != TCP_ESTABLISHED)
		return vsk->sock_done ? 0 : -SIM_ENOTCONN;
	if (flags & MSG_OOB)
		return -SIM_EOPNOTSUPP;
	if (sk->sk_shutdown & RCV_SHUTDOWN)
		return 0;
	if (!len)
		return 0;
	target = (int)MIN((size_t)vsock_rcvlowat(sk), len);	/* sock_rcvlowat(sk, 0, len) */
	if ((uint64_t)target >= vsk->transport->stream_rcvhiwat(vsk))
		return -SIM_ENOMEM;
	t->frame.target = target;
	return (int)vsock_recvmsg_loop(t, sk, len, flags, sock_rcvtimeo(sk, flags & MSG_DONTWAIT));
}

/* ---- socket options ---- */

/* Models: net/vmw_vsock/af_vsock.c:vsock_update_buffer_size() @ v6.18 */
static void vsock_update_buffer_size(struct vsock_sock *vsk, uint64_t val)
{
	if (val > vsk->buffer_max_size)
		val = vsk->buffer_max_size;
	if (val < vsk->buffer_min_size)
		val = vsk->buffer_min_size;
	if (val != vsk->buffer_size && vsk->transport && vsk->trans &&
	    vsk->transport->notify_buffer_size)
		vsk->transport->notify_buffer_size(vsk, &val);
	vsk->buffer_size = val;
}

/*
 * Models: net/vmw_vsock/af_vsock.c:vsock_connectible_setsockopt() @ v6.18.  The connect timeout is
 * a struct timeval (the scenario gives a time; a negative integer stands for
 * a negative tv_sec): jiffies = tv_sec * HZ + ceil(tv_usec / (10^6 / HZ)),
 * 0 meaning the 2 s default, anything out of range ERANGE.
 */
static int vsock_setsockopt(struct socket *sock, int level, int optname, int64_t val)
{
	struct vsock_sock *vsk = vsock_sk(sock->sk);
	const struct vsock_profile *p = vsock_profile_of(sock->sk);
	struct sim *sim = sock_net(sock->sk)->sim;
	unsigned int hz = sim_config(sim)->hz;

	if (level != AF_VSOCK)
		return -SIM_ENOPROTOOPT;
	switch (optname) {
	case SO_VM_SOCKETS_BUFFER_SIZE:
		if (!p->buffer_size_credit_update) {
			/* 5.0 virtio_transport_set_buffer_size(): widen the bounds */
			if ((uint64_t)val > vsk->buffer_max_size)
				vsk->buffer_max_size = (uint64_t)val;
			if ((uint64_t)val < vsk->buffer_min_size)
				vsk->buffer_min_size = (uint64_t)val;
			vsk->buffer_size = (uint64_t)val;
			if (vsk->trans)
				vsk->transport->notify_buffer_size(vsk, &vsk->buffer_size);
			return 0;
		}
		vsock_update_buffer_size(vsk, (uint64_t)val);
		return 0;
	case SO_VM_SOCKETS_BUFFER_MAX_SIZE:
		vsk->buffer_max_size = (uint64_t)val;
		vsock_update_buffer_size(vsk, vsk->buffer_size);
		return 0;
	case SO_VM_SOCKETS_BUFFER_MIN_SIZE:
		vsk->buffer_min_size = (uint64_t)val;
		vsock_update_buffer_size(vsk, vsk->buffer_size);
		return 0;
	case SO_VM_SOCKETS_CONNECT_TIMEOUT_NEW:
		if (!p->svm_flags)
			return -SIM_ENOPROTOOPT;
		/* fallthrough */
	case SO_VM_SOCKETS_CONNECT_TIMEOUT_OLD: {
		int64_t tv_sec = val < 0 ? -1 : val / 1000000000;
		int64_t tv_usec = val < 0 ? 0 : (val % 1000000000) / 1000;
		uint64_t j;

		if (tv_sec < 0 || tv_usec >= 1000000 || tv_sec >= (int64_t)(INT64_MAX / hz) - 1)
			return -SIM_ERANGE;
		j = (uint64_t)tv_sec * hz + (uint64_t)((tv_usec + (1000000 / hz) - 1) / (1000000 / hz));
		vsk->connect_timeout = j ? sim_jiffies_to_ns(sim, j) :
			SIM_SEC(VSOCK_DEFAULT_CONNECT_TIMEOUT_SEC);
		return 0;
	}
	default:
		return -SIM_ENOPROTOOPT;
	}
}

/* Models: net/vmw_vsock/af_vsock.c:vsock_connectible_getsockopt() @ v6.18 */
static int vsock_getsockopt(struct socket *sock, int level, int optname, int64_t *val)
{
	struct vsock_sock *vsk = vsock_sk(sock->sk);
	const struct vsock_profile *p = vsock_profile_of(sock->sk);

	if (level != AF_VSOCK)
		return -SIM_ENOPROTOOPT;
	switch (optname) {
	case SO_VM_SOCKETS_BUFFER_SIZE:
		*val = (int64_t)vsk->buffer_size;
		return 0;
	case SO_VM_SOCKETS_BUFFER_MAX_SIZE:
		*val = (int64_t)vsk->buffer_max_size;
		return 0;
	case SO_VM_SOCKETS_BUFFER_MIN_SIZE:
		*val = (int64_t)vsk->buffer_min_size;
		return 0;
	case SO_VM_SOCKETS_CONNECT_TIMEOUT_NEW:
		if (!p->svm_flags)
			return -SIM_ENOPROTOOPT;
		/* fallthrough */
	case SO_VM_SOCKETS_CONNECT_TIMEOUT_OLD:
		*val = (int64_t)vsk->connect_timeout;	/* jiffies back to a timeval, in ns */
		return 0;
	default:
		return -SIM_ENOPROTOOPT;
	}
}

/*
 * Models: net/vmw_vsock/af_vsock.c:vsock_set_rcvlowat() @ v6.18
 * (profile flags rcvlowat_target: the EINVAL bound, and
 * rcvlowat_credit_update: the transport's notify; 5.0 stores the value as is).
 */
static int vsock_set_rcvlowat(struct sock *sk, int val)
{
	struct vsock_sock *vsk = vsock_sk(sk);

	const struct vsock_profile *p = vsock_profile_of(sk);

	if (!p->rcvlowat_target) {
		sk->sk_rcvlowat = val ? val : 1;
		return 0;
	}
	if ((uint64_t)val > vsk->buffer_size)
		return -SIM_EINVAL;
	if (p->rcvlowat_credit_update && vsk->transport && vsk->trans &&
	    vsk->transport->notify_set_rcvlowat) {
		int err = vsk->transport->notify_set_rcvlowat(vsk, val);

		if (err)
			return err;
	}
	sk->sk_rcvlowat = val ? val : 1;
	return 0;
}

const struct proto_ops vsock_stream_ops = {
	.family = PF_VSOCK,
	.name = "vsock_stream_ops",
	.release = vsock_release,
	.bind = vsock_bind,
	.connect = vsock_connect,
	.accept = vsock_accept,
	.poll = vsock_poll,
	.listen = vsock_listen,
	.shutdown = vsock_shutdown,
	.sendmsg = vsock_sendmsg,
	.recvmsg = vsock_recvmsg,
	.setsockopt = vsock_setsockopt,
	.getsockopt = vsock_getsockopt,
	.set_rcvlowat = vsock_set_rcvlowat,
};
