/* SPDX-License-Identifier: MIT */
/*
 * A kernel model on a bare struct net: no world, no hosts, no links.  The
 * namespace's device is a capture hook (struct net_env_ops.xmit) and the
 * engine's clock is read through the namespace.  Drives the SYN_SENT
 * retransmission timer to tcp_write_timeout (models/net/ipv4/tcp_timer.c),
 * and watches it through a subscriber of the observer seam.
 */
#include <glib.h>
#include <stddef.h>

#include "linux/errno_names.h"
#include "net/ipv4.h"
#include "net/profile.h"
#include "sim/sim.h"
#include "trace/events.h"

struct capture {
	GArray *syn_times;	/* sim_time_t of each SYN handed to the device */
};

struct bare {
	struct sim *sim;
	struct kernel_shared ks;
	struct net net;
	struct net_env_ops ops;
	struct capture cap;
};

/* The test's "device": every SYN is recorded, every packet dropped. */
static int capture_xmit(struct net *net, struct sk_buff *skb)
{
	struct bare *b = (struct bare *)((char *)net - offsetof(struct bare, net));

	if (skb->flags & TCPHDR_SYN) {
		sim_time_t now = net_now(net);

		g_array_append_val(b->cap.syn_times, now);
	}
	kfree_skb(net, skb);
	return NET_XMIT_SUCCESS;	/* no qdisc: the device took it */
}

static void bare_setup(struct bare *b)
{
	struct sim_config cfg;

	sim_config_init(&cfg);
	cfg.seed = 1;
	b->sim = sim_new(&cfg);
	b->ops = (struct net_env_ops){ .xmit = capture_xmit };
	kernel_shared_init(&b->ks, b->sim, kernel_profile_default(), &b->ops);
	net_init(&b->net, &b->ks, "bare", 0x0a000001);
	b->cap.syn_times = g_array_new(FALSE, FALSE, sizeof(sim_time_t));
}

static void bare_teardown(struct bare *b)
{
	sim_free(b->sim);
	net_free(&b->net);
	kernel_shared_free(&b->ks);
	g_array_free(b->cap.syn_times, TRUE);
}

static struct sock *bare_connect(struct bare *b)
{
	struct socket *sock = g_new0(struct socket, 1);
	struct sockaddr_sim to = { .family = AF_INET, .addr = 0x0a000001, .port = 80, .addrlen = 16 };

	kernel_own(&b->ks, sock);
	g_assert_cmpint(inet_create(&b->net, sock, SOCK_STREAM, 0), ==, 0);
	g_assert_cmpint(tcp_v4_connect(sock->sk, &to), ==, 0);
	g_assert_cmpint(sock->sk->sk_state, ==, TCP_SYN_SENT);
	return sock->sk;
}

/* connect() on a fresh socket to 10.0.0.1:@port: its error (0 or -errno). */
static int bare_try_connect(struct bare *b, uint16_t port, struct sock **skp)
{
	struct socket *sock = kernel_zalloc(&b->ks, sizeof(*sock));
	struct sockaddr_sim to = { .family = AF_INET, .addr = 0x0a000001, .port = port, .addrlen = 16 };

	g_assert_cmpint(inet_create(&b->net, sock, SOCK_STREAM, 0), ==, 0);
	*skp = sock->sk;
	return tcp_v4_connect(sock->sk, &to);
}

/*
 * __inet_hash_connect over a nearly full range: with 300 ephemeral ports,
 * 300 connect()s to one destination take every port once (the even ones
 * first, then the scan passes whole words of taken ports), the 301st gets
 * EADDRNOTAVAIL, and another destination port can still use every port.
 */
static void test_hash_connect_fills_range(void)
{
	enum { LOW = 40000, N = 300 };
	struct bare b;
	struct sock *sk;
	g_autofree bool *taken = g_new0(bool, N);

	bare_setup(&b);
	b.net.ipv4.ip_local_ports_range[0] = LOW;
	b.net.ipv4.ip_local_ports_range[1] = LOW + N - 1;
	for (int i = 0; i < N; i++) {
		g_assert_cmpint(bare_try_connect(&b, 80, &sk), ==, 0);
		g_assert_cmpint(sk->inet_num, >=, LOW);
		g_assert_cmpint(sk->inet_num, <, LOW + N);
		g_assert_false(taken[sk->inet_num - LOW]);
		taken[sk->inet_num - LOW] = true;
		/* the even offsets are used up before any odd one */
		g_assert_cmpint((sk->inet_num - LOW) & 1, ==, i >= N / 2);
	}
	g_assert_cmpint(bare_try_connect(&b, 80, &sk), ==, -SIM_EADDRNOTAVAIL);
	for (int i = 0; i < N; i++)
		g_assert_cmpint(bare_try_connect(&b, 81, &sk), ==, 0);
	g_assert_cmpint(bare_try_connect(&b, 81, &sk), ==, -SIM_EADDRNOTAVAIL);
	bare_teardown(&b);
}

/* tcp_syn_retries=2, no linear phase: SYNs at 0, 1 s, 3 s; ETIMEDOUT at 7 s. */
static void test_syn_write_timeout(void)
{
	struct bare b;
	struct sock *sk;

	bare_setup(&b);
	b.net.ipv4.sysctl_tcp_syn_retries = 2;
	b.net.ipv4.sysctl_tcp_syn_linear_timeouts = 0;
	sk = bare_connect(&b);
	sim_run(b.sim);
	g_assert_cmpuint(b.cap.syn_times->len, ==, 3);
	g_assert_cmpuint(g_array_index(b.cap.syn_times, sim_time_t, 0), ==, 0);
	g_assert_cmpuint(g_array_index(b.cap.syn_times, sim_time_t, 1), ==, SIM_SEC(1));
	g_assert_cmpuint(g_array_index(b.cap.syn_times, sim_time_t, 2), ==, SIM_SEC(3));
	g_assert_cmpuint(sim_now(b.sim), ==, SIM_SEC(7));
	g_assert_cmpint(sk->sk_state, ==, TCP_CLOSE);
	g_assert_cmpint(sk->sk_err, ==, SIM_ETIMEDOUT);
	g_assert_cmpuint(b.net.mib[MIB_TCPSynRetrans], ==, 2);
	g_assert_cmpuint(b.net.mib[MIB_ActiveOpens], ==, 1);
	bare_teardown(&b);
}

/* The same namespace with a larger budget keeps retransmitting: the sysctl is read through sock_net(). */
static void test_syn_retries_from_namespace(void)
{
	struct bare b;
	struct sock *sk;

	bare_setup(&b);
	b.net.ipv4.sysctl_tcp_syn_retries = 4;
	b.net.ipv4.sysctl_tcp_syn_linear_timeouts = 0;
	sk = bare_connect(&b);
	sim_run(b.sim);
	g_assert_cmpuint(b.cap.syn_times->len, ==, 5);
	g_assert_cmpuint(g_array_index(b.cap.syn_times, sim_time_t, 4), ==, SIM_SEC(15));
	g_assert_cmpuint(sim_now(b.sim), ==, SIM_SEC(31));
	g_assert_cmpint(sk->sk_err, ==, SIM_ETIMEDOUT);
	g_assert_cmpuint(b.net.mib[MIB_TCPSynRetrans], ==, 4);
	bare_teardown(&b);
}

/* A subscriber on the observer seam (trace/events.h) sees the timer and state events. */
struct counts {
	struct trace_subscriber sub;
	int sock_new, armed, fired, established;
	GString *states;	/* sk_state at each sock_state event: " TCP_CLOSE ..." */
	sim_time_t last_expires;
};

static void on_sock_new(void *ctx, struct sock *sk)
{
	((struct counts *)ctx)->sock_new++;
}

static void on_sock_state(void *ctx, struct sock *sk)
{
	struct counts *c = ctx;

	g_string_append_printf(c->states, " %s", tcp_state_name(sk->sk_state));
}

static void on_armed(void *ctx, struct sock *sk, int what, sim_time_t expires)
{
	struct counts *c = ctx;

	g_assert_cmpint(what, ==, ICSK_TIME_RETRANS);
	g_assert_cmpuint(expires, >, net_now(sock_net(sk)));
	c->armed++;
	c->last_expires = expires;
}

static void on_fired(void *ctx, struct sock *sk, int what)
{
	struct counts *c = ctx;

	g_assert_cmpuint(net_now(sock_net(sk)), ==, c->last_expires);
	c->fired++;
}

static void on_established(void *ctx, struct sock *sk)
{
	((struct counts *)ctx)->established++;
}

static void test_subscriber(void)
{
	struct bare b;
	struct counts c = { .states = g_string_new(NULL) };

	bare_setup(&b);
	b.net.ipv4.sysctl_tcp_syn_retries = 2;
	b.net.ipv4.sysctl_tcp_syn_linear_timeouts = 0;
	c.sub = (struct trace_subscriber){
		.ctx = &c, .sock_new = on_sock_new, .sock_state = on_sock_state,
		.tcp_timer_armed = on_armed, .tcp_timer_fired = on_fired,
		.tcp_established = on_established,
	};
	trace_subscribe(&b.ks, &c.sub);
	bare_connect(&b);
	sim_run(b.sim);
	g_assert_cmpint(c.sock_new, ==, 1);
	g_assert_cmpint(c.armed, ==, 3);	/* the SYN, then each retransmission */
	g_assert_cmpint(c.fired, ==, 3);	/* the third firing gives up */
	g_assert_cmpint(c.established, ==, 0);
	g_assert_cmpstr(c.states->str, ==, " TCP_CLOSE TCP_SYN_SENT TCP_CLOSE");
	/* the same run with the subscriber detached sends the same SYNs */
	g_assert_cmpuint(b.cap.syn_times->len, ==, 3);
	trace_unsubscribe(&b.ks, &c.sub);
	g_string_free(c.states, TRUE);
	bare_teardown(&b);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/bare-net/syn-write-timeout", test_syn_write_timeout);
	g_test_add_func("/bare-net/syn-retries-from-namespace", test_syn_retries_from_namespace);
	g_test_add_func("/bare-net/subscriber", test_subscriber);
	g_test_add_func("/bare-net/hash-connect-fills-range", test_hash_connect_fills_range);
	return g_test_run();
}
