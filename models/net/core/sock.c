/* SPDX-License-Identifier: MIT */
/* Generic struct sock helpers.  Models: net/core/sock.c @ v6.18. */
#include "uapi/linux/eventpoll.h"
#include <glib.h>

#include "net/net_namespace.h"
#include "trace/events/sock.h"
#include "net/profile.h"
#include "kernel/task.h"
#include "linux/errno_names.h"
#include "net/ipv4.h"
#include "net/socket.h"
#include "sim/timer.h"
#include "sim/trace.h"

#include <stdarg.h>
#include <string.h>

#define SOCK_MIN_SNDBUF 4608	/* 2 * (2048 + sizeof(struct sk_buff)), x86-64 */
#define SOCK_MIN_RCVBUF 2304

/* Not kernel: the label traces give a socket. */
void sock_label(const struct sock *sk, char *buf, size_t len)
{
	/* "sk#%u" as g_snprintf() would write it (truncated to @len - 1), without
	 * printf's cost: labels are made per packet, with or without a trace */
	char tmp[16] = "sk#";
	char digits[10];
	size_t n = 3, d = 0;
	uint32_t id = sk->id;

	do {
		digits[d++] = (char)('0' + id % 10);
		id /= 10;
	} while (id);
	while (d)
		tmp[n++] = digits[--d];
	if (!len)
		return;
	n = MIN(n, len - 1);
	memcpy(buf, tmp, n);
	buf[n] = '\0';
}

/* Models: net/core/sock.c:sk_alloc() */
struct sock *sk_alloc(struct net *net, int family, const struct proto *prot)
{
	struct sock *sk = kernel_zalloc(net->ks, prot->obj_size);	/* sk_prot_alloc */

	sk->sk_family = family;
	sk->sk_prot = prot;
	sk->sk_net = net;
	sk->sk_state = TCP_CLOSE;
	sk->refcnt = 1;
	sk->id = ++net->ks->next_sock_id;
	trace_sock_new(sk);
	return sk;
}

/* Models: net/core/sock.c:sock_init_data() */
void sock_init_data(struct socket *sock, struct sock *sk)
{
	sk->sk_sndtimeo = MAX_SCHEDULE_TIMEOUT;
	sk->sk_rcvtimeo = MAX_SCHEDULE_TIMEOUT;
	sk->sk_rcvlowat = 1;
	sk->sk_socket = sock;
	if (sock)
		sock->sk = sk;
}

/* Models: include/net/sock.h:sock_error() — read and clear sk_err. */
int sock_error(struct sock *sk)
{
	int err = sk->sk_err;

	sk->sk_err = 0;
	return -err;
}

/* Models: include/net/sock.h:sock_intr_errno() */
int sock_intr_errno(sim_time_t timeo)
{
	return timeo == MAX_SCHEDULE_TIMEOUT ? -SIM_ERESTARTSYS : -SIM_EINTR;
}

sim_time_t sock_sndtimeo(const struct sock *sk, bool noblock)
{
	return noblock ? 0 : sk->sk_sndtimeo;
}

sim_time_t sock_rcvtimeo(const struct sock *sk, bool noblock)
{
	return noblock ? 0 : sk->sk_rcvtimeo;
}

/* Models: net/core/sock.c:sock_def_wakeup() — wake everyone sleeping on the socket. */
void sk_state_change(struct sock *sk)
{
	sk_wake_waiters(sk);
}

/* Models: net/core/sock.c:sk_error_report() -> sock_def_error_report() */
void sk_error_report(struct sock *sk)
{
	sk_wake_poll(sk, EPOLLERR);
}

void sock_hold(struct sock *sk)
{
	sk->refcnt++;
}

/*
 * Models: net/core/sock.c:__sk_destruct() + sk_prot_free(), run when the
 * event that dropped the last reference ends.  A socket something still
 * points at then (a struct socket, a sleeper or poller on sk_wq, a hash
 * chain or a port) is kept, as a reference of its own would keep it.
 */
static void __sk_destruct(struct sim_rcu_head *head)
{
	struct sock *sk = container_of(head, struct sock, sk_rcu);

	if (sk->sk_socket || waitqueue_active(&sk->sk_wq) || sk->hashed || sk->inet_num)
		return;
	trace_sock_free(sk);	/* the observers let go of @sk */
	skb_queue_purge(sock_net(sk), &sk->sk_backlog);
	sk->sk_prot->sk_destruct(sk);
	kernel_zfree(sock_net(sk)->ks, sk, sk->sk_prot->obj_size);
}

/*
 * Models: net/core/sock.c:sk_free() — the memory goes back when the current
 * event ends (call_rcu): the model's callers still read the socket after the
 * put that freed it, where the kernel's hold a reference of their own.
 */
static void sk_free(struct sock *sk)
{
	sim_call_rcu(sock_net(sk)->sim, &sk->sk_rcu, __sk_destruct);
}

/*
 * Models: include/net/sock.h:sock_put().  A TCP socket keeps one reference,
 * sk_alloc()'s, given up in inet_csk_destroy_sock() once it is closed,
 * orphaned, unhashed, without its port and timers: then it is freed.  A
 * protocol without sk_destruct (vsock) keeps its memory until the end.
 */
void sock_put(struct sock *sk)
{
	g_assert(sk->refcnt > 0);
	if (--sk->refcnt == 0 && sk->sk_prot->sk_destruct && sock_flag_dead(sk))
		sk_free(sk);
}

/*
 * Models: net/core/sock.c:sock_set_timeout() — 0 means "never"; the value is
 * kept in jiffies, rounded up, so a timeout is a whole number of ticks.
 */
static sim_time_t sock_set_timeout(struct sock *sk, sim_time_t ns)
{
	struct sim *sim = sock_net(sk)->sim;
	unsigned int hz = sim_config(sim)->hz;
	uint64_t j;

	if (ns == 0)
		return MAX_SCHEDULE_TIMEOUT;
	j = (uint64_t)(((unsigned __int128)ns * hz + 999999999u) / 1000000000u);
	return sim_jiffies_to_ns(sim, j);
}

/* Models: net/core/sock.c:sk_setsockopt() for the options socksim knows. */
int sock_setsockopt(struct socket *sock, int level, int optname, int64_t val)
{
	struct sock *sk = sock->sk;
	const struct net *net = sock_net(sk);

	switch (optname) {
	case SO_SNDTIMEO:
		if (val < 0)
			return -SIM_EDOM;
		sk->sk_sndtimeo = sock_set_timeout(sk, (sim_time_t)val);
		return 0;
	case SO_RCVTIMEO:
		if (val < 0)
			return -SIM_EDOM;
		sk->sk_rcvtimeo = sock_set_timeout(sk, (sim_time_t)val);
		return 0;
	case SO_SNDBUF:
		/* Doubled to leave room for struct sk_buff overhead. */
		/* min_t(u32, val, sysctl_wmem_max): a negative int is a huge u32 */
		if (val < 0 || val > net->core.sysctl_wmem_max)
			val = net->core.sysctl_wmem_max;
		sk->sk_userlocks |= SOCK_SNDBUF_LOCK;
		sk->sk_sndbuf = (int)MAX(val * 2, SOCK_MIN_SNDBUF);
		return 0;
	case SO_RCVBUF:
		if (val < 0 || val > net->core.sysctl_rmem_max)	/* min_t(u32, ...) */
			val = net->core.sysctl_rmem_max;
		sk->sk_userlocks |= SOCK_RCVBUF_LOCK;
		sk->sk_rcvbuf = (int)MAX(val * 2, SOCK_MIN_RCVBUF);
		return 0;
	case SO_RCVLOWAT:
		if (val < 0)
			val = INT32_MAX;
		if (sock->ops->set_rcvlowat)
			return sock->ops->set_rcvlowat(sk, (int)MIN(val, INT32_MAX));
		sk->sk_rcvlowat = val ? (int)MIN(val, INT32_MAX) : 1;
		return 0;
	case SO_REUSEADDR:
		sk->sk_reuse = val != 0;	/* valbool ? SK_CAN_REUSE : SK_NO_REUSE */
		return 0;
	case SO_LINGER:
		/*
		 * struct linger {l_onoff 1, l_linger @val seconds}.  Only 0 is
		 * modelled: close() then aborts (__tcp_close).  A lingering
		 * close() would sleep in sk_stream_wait_close() until the FIN
		 * is ACKed; scenarios cannot ask for it
		 * (scenario/check_calls.c), so no other value gets here.
		 */
		if (val != 0)
			return -SIM_EINVAL;
		sk->sock_linger = true;
		return 0;
	case SO_ERROR:
		return -SIM_ENOPROTOOPT;
	default:
		return -SIM_ENOPROTOOPT;
	}
}

/* Models: net/core/sock.c:sk_getsockopt() */
int sk_getsockopt(struct sock *sk, int level, int optname, int64_t *val)
{
	switch (optname) {
	case SO_ERROR:
		*val = -sock_error(sk);
		if (!*val) {
			*val = sk->sk_err_soft;
			sk->sk_err_soft = 0;
		}
		return 0;
	case SO_SNDBUF:
		*val = sk->sk_sndbuf;
		return 0;
	case SO_RCVBUF:
		*val = sk->sk_rcvbuf;
		return 0;
	case SO_SNDTIMEO:
		*val = sk->sk_sndtimeo == MAX_SCHEDULE_TIMEOUT ? 0 : (int64_t)sk->sk_sndtimeo;
		return 0;
	case SO_RCVTIMEO:
		*val = sk->sk_rcvtimeo == MAX_SCHEDULE_TIMEOUT ? 0 : (int64_t)sk->sk_rcvtimeo;
		return 0;
	case SO_RCVLOWAT:
		*val = sk->sk_rcvlowat;
		return 0;
	case SO_REUSEADDR:
		*val = sk->sk_reuse;
		return 0;
	default:
		return -SIM_ENOPROTOOPT;
	}
}

/* Not kernel code: a trace record about @sk, labelled "sk#N" (the trace's socket column). */
void sk_trace_emit(struct sock *sk, const char *event, const char *func, const char *fmt, ...)
{
	struct sim *sim = sock_net(sk)->sim;
	char label[16];
	g_autofree char *detail = NULL;
	va_list ap;

	if (!sim_trace_sink(sim))
		return;
	va_start(ap, fmt);
	detail = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	sock_label(sk, label, sizeof(label));
	sim_trace(sim, sock_net(sk)->name, label, event, func, "%s", detail);
}

/*
 * Models: net/core/sock.c:lock_sock() — the calling task owns @sk: segments
 * for it go to its backlog (tcp_v4_rcv -> tcp_add_backlog).  socksim takes
 * the lock in send() only (net/ipv4/tcp.c:tcp_sendmsg), and only there is
 * loopback processed inside the call (net/core/dev.c:netif_rx_in_call):
 * every other call still meets its looped-back packets as events of their
 * own, after it returned.
 */
void lock_sock(struct sock *sk)
{
	sk->sk_owned = true;
	sock_net(sk)->softnet.process_ctx++;
}

/*
 * Models: net/core/sock.c:release_sock() -> __release_sock() — process the
 * backlog (sk_backlog_rcv), including what arrives while doing so (the ACKs
 * of what that sends over loopback), then give the socket up.
 */
static void __release_sock(struct sock *sk)
{
	struct sk_buff *skb;

	while ((skb = g_queue_pop_head(&sk->sk_backlog))) {
		sk->sk_prot->backlog_rcv(sk, skb);
		kfree_skb(sock_net(sk), skb);
	}
}

static void release_sock_after_sleep(struct sim *sim, void *data)
{
	struct sock *sk = data;

	__release_sock(sk);
	sk->sk_owned = false;
	sock_put(sk);
}

void release_sock(struct sock *sk)
{
	struct task *t = net_current(sock_net(sk));

	if (t && task_blocked(t) && !g_queue_is_empty(&sk->sk_backlog)) {
		/* sk_wait_event(): the sleeper releases the socket; what its
		 * backlog holds is processed once it sleeps (it may wake it),
		 * first, and what arrives before that queues behind it */
		sock_hold(sk);
		sock_net(sk)->softnet.process_ctx--;
		sim_call_at(sock_net(sk)->sim, net_now(sock_net(sk)), "__release_sock",
			    release_sock_after_sleep, sk, NULL);
		return;
	}
	__release_sock(sk);
	sk->sk_owned = false;
	sock_net(sk)->softnet.process_ctx--;
}
