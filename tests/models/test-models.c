/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of model building blocks that scenarios exercise only
 * indirectly: fault rules (rates, Gilbert-Elliott stationary loss, nth /
 * count / window), tcp_model_timeout(), icmp_err_convert(), sysctl parsing.
 */
#include <glib.h>

#include "env/fault.h"
#include "env/fault_kinds.h"
#include "env/world.h"
#include "linux/errno_names.h"
#include "net/ipv4.h"

struct fixture {
	struct sim *sim;
	struct world *w;
	struct host *a, *b;
};

static void setup(struct fixture *f, gconstpointer data)
{
	struct sim_config cfg;

	sim_config_init(&cfg);
	cfg.seed = 42;
	f->sim = sim_new(&cfg);
	f->w = world_new(f->sim, kernel_profile_default());
	f->a = world_add_host(f->w, "a", 0x0a000001);
	f->b = world_add_host(f->w, "b", 0x0a000002);
}

static void teardown(struct fixture *f, gconstpointer data)
{
	g_assert_cmpuint(sim_events_pending(f->sim), ==, 0);
	sim_free(f->sim);
	world_free(f->w);
}

static struct fault_rule *add_rule(struct fixture *f, enum fault_kind kind, const char *label)
{
	struct fault_rule *r = g_new0(struct fault_rule, 1);

	r->ops = fault_kind_of(FAULT_ON_WIRE, kind);
	r->label = g_strdup(label);
	sim_rng_stream(f->sim, &r->st.rng, label);
	g_ptr_array_add(f->w->faults, r);
	return r;
}

static unsigned int count_drops(struct fixture *f, unsigned int n, uint8_t flags)
{
	unsigned int drops = 0;

	for (unsigned int i = 0; i < n; i++) {
		struct sk_buff skb = { .protocol = IPPROTO_TCP, .flags = flags };
		struct fault_effect eff = { 0 };

		drops += fault_apply(f->w, f->a, f->b, &skb, &eff) == FAULT_DROPPED;
	}
	return drops;
}

static void test_loss_rate(struct fixture *f, gconstpointer data)
{
	struct fault_rule *r = add_rule(f, FAULT_LOSS, "loss");
	unsigned int drops;

	g_test_summary("Independent loss p=0.2 drops 20% of 100000 packets within 1%");
	r->p.p_ppb = 200000000;
	drops = count_drops(f, 100000, TCPHDR_ACK);
	g_assert_cmpuint(drops, >, 19000);
	g_assert_cmpuint(drops, <, 21000);
}

static void test_gilbert_stationary(struct fixture *f, gconstpointer data)
{
	struct fault_rule *r = add_rule(f, FAULT_GILBERT, "gilbert");
	unsigned int drops;

	g_test_summary("Gilbert-Elliott loss converges to p/(p+r)*h + r/(p+r)*k");
	r->p.p_ppb = 50000000;	/* good -> bad 0.05 */
	r->p.r_ppb = 200000000;	/* bad -> good 0.2 */
	r->p.h_ppb = 1000000000;	/* lose everything in bad */
	r->p.k_ppb = 0;
	/* stationary: 0.05 / 0.25 = 20 % of packets in bad state */
	drops = count_drops(f, 200000, TCPHDR_ACK);
	g_assert_cmpuint(drops, >, 38000);
	g_assert_cmpuint(drops, <, 42000);
}

static void test_drop_nth_count_and_filter(struct fixture *f, gconstpointer data)
{
	struct fault_rule *nth = add_rule(f, FAULT_DROP, "nth");
	struct fault_rule *cnt = add_rule(f, FAULT_DROP, "count");

	g_test_summary("drop nth=3 drops only the third match; count=2 the first two; kind filters");
	nth->p.nth = 3;
	nth->p.kind_mask = 1u << PKT_SYN;
	cnt->p.count = 2;
	cnt->p.kind_mask = 1u << PKT_RST;
	g_assert_cmpuint(count_drops(f, 2, TCPHDR_SYN), ==, 0);
	g_assert_cmpuint(count_drops(f, 1, TCPHDR_SYN), ==, 1);
	g_assert_cmpuint(count_drops(f, 5, TCPHDR_SYN), ==, 0);
	g_assert_cmpuint(count_drops(f, 5, TCPHDR_ACK), ==, 0);
	g_assert_cmpuint(count_drops(f, 5, TCPHDR_RST), ==, 2);
	g_assert_cmpuint(nth->st.fired, ==, 1);
	g_assert_cmpuint(cnt->st.fired, ==, 2);
}

static void test_window(struct fixture *f, gconstpointer data)
{
	struct fault_rule *r = add_rule(f, FAULT_WINDOW, "window");

	g_test_summary("A drop window is active in [t_lo, t_hi) only");
	r->p.has_during = true;
	r->p.t_lo = 0;
	r->p.t_hi = 0;	/* empty: never active */
	g_assert_cmpuint(count_drops(f, 3, TCPHDR_SYN), ==, 0);
	r->p.t_hi = 1;
	g_assert_cmpuint(count_drops(f, 3, TCPHDR_SYN), ==, 3);
}

static void test_model_timeout(void)
{
	g_test_summary("tcp_model_timeout(): doubling from the base, then linear at rto_max");
	g_assert_cmpuint(tcp_model_timeout(6, SIM_SEC(1), SIM_SEC(120)), ==, SIM_SEC(127));
	g_assert_cmpuint(tcp_model_timeout(1, SIM_SEC(1), SIM_SEC(120)), ==, SIM_SEC(3));
	g_assert_cmpuint(tcp_model_timeout(10, SIM_SEC(1), SIM_SEC(120)), ==, SIM_SEC(607));
	g_assert_cmpuint(tcp_model_timeout(15, SIM_MSEC(200), SIM_SEC(120)), ==,
			 SIM_MSEC(200) * 1023 + 6 * SIM_SEC(120));
}

static void test_icmp_errno(void)
{
	bool fatal;

	g_test_summary("icmp_err_convert(): the errno of every unreachable code");
	g_assert_cmpint(icmp_err_convert(ICMP_DEST_UNREACH, ICMP_NET_UNREACH, &fatal), ==, SIM_ENETUNREACH);
	g_assert_cmpint(icmp_err_convert(ICMP_DEST_UNREACH, ICMP_HOST_UNREACH, &fatal), ==, SIM_EHOSTUNREACH);
	g_assert_cmpint(icmp_err_convert(ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, &fatal), ==, SIM_ECONNREFUSED);
	g_assert_true(fatal);
	g_assert_cmpint(icmp_err_convert(ICMP_DEST_UNREACH, ICMP_HOST_UNKNOWN, &fatal), ==, SIM_EHOSTDOWN);
	g_assert_cmpint(icmp_err_convert(ICMP_DEST_UNREACH, ICMP_HOST_ISOLATED, &fatal), ==, SIM_ENONET);
	g_assert_cmpint(icmp_err_convert(ICMP_DEST_UNREACH, ICMP_SR_FAILED, &fatal), ==, SIM_EOPNOTSUPP);
	g_assert_cmpint(icmp_err_convert(ICMP_DEST_UNREACH, ICMP_PKT_FILTERED, &fatal), ==, SIM_EHOSTUNREACH);
	g_assert_cmpint(icmp_err_convert(ICMP_DEST_UNREACH, 16, &fatal), ==, 0);
	g_assert_cmpint(icmp_err_convert(ICMP_TIME_EXCEEDED, 0, &fatal), ==, SIM_EHOSTUNREACH);
	g_assert_cmpint(icmp_err_convert(ICMP_PARAMETERPROB, 0, &fatal), ==, SIM_EPROTO);
}

static void test_sysctl(void)
{
	struct net net;
	GError *err = NULL;
	const struct sysctl_desc *d;

	g_test_summary("sysctl_write(): ranges, pairs, and errors naming the sysctl");
	net_init_defaults(&net, kernel_profile_default());
	g_assert_cmpint(net.ipv4.sysctl_tcp_syn_linear_timeouts, ==, 4);
	d = sysctl_find("net.ipv4.ip_local_port_range");
	g_assert_nonnull(d);
	g_assert_cmpint(sysctl_write(&net, d, "40000 40001", &err), ==, 0);
	g_assert_no_error(err);
	g_assert_cmpint(net.ipv4.ip_local_ports_range[1], ==, 40001);
	g_assert_cmpint(sysctl_write(&net, d, "5000 4000", &err), ==, -SIM_EINVAL);
	g_assert_error(err, SYSCTL_ERROR, 0);
	g_assert_cmpstr(err->message, ==, "net.ipv4.ip_local_port_range: low 5000 is above high 4000");
	g_clear_error(&err);
	d = sysctl_find("net.ipv4.tcp_syn_retries");
	g_assert_cmpint(sysctl_write(&net, d, "0", &err), ==, -SIM_EINVAL);
	g_assert_cmpstr(err->message, ==, "net.ipv4.tcp_syn_retries: 0 is outside 1..127");
	g_clear_error(&err);
	g_assert_cmpint(net.ipv4.sysctl_tcp_rmem[2], ==, 33554432);
}

/*
 * The ranges a fresh 6.18 namespace accepts, measured by writing to
 * the files under /proc/sys/net/ipv4 (see docs/models.md, "sysctls").
 */
static void test_sysctl_ranges(void)
{
	static const struct { const char *name, *text; bool ok; } cases[] = {
		{ "net.ipv4.tcp_syn_linear_timeouts", "127", true },
		{ "net.ipv4.tcp_syn_linear_timeouts", "128", false },
		{ "net.ipv4.ip_local_port_range", "1024 65535", true },
		{ "net.ipv4.ip_local_port_range", "1023 65535", false },
		{ "net.ipv4.ip_local_port_range", "2000 2000", true },
		{ "net.ipv4.ip_local_port_range", "1024 65536", false },
		{ "net.ipv4.tcp_sack", "255", true },
		{ "net.ipv4.tcp_sack", "256", false },
		{ "net.ipv4.tcp_window_scaling", "2", true },
		{ "net.ipv4.tcp_abort_on_overflow", "255", true },
		{ "net.ipv4.tcp_syncookies", "3", true },
		{ "net.ipv4.tcp_timestamps", "-1", false },
		{ "net.ipv4.tcp_reordering", "300", true },
		{ "net.ipv4.tcp_reordering", "301", false },
		{ "net.ipv4.tcp_rmem", "1 1 1", true },
		{ "net.ipv4.tcp_rmem", "0 1 2", false },
		/* measured on 6.18.44 (CONFIG_HZ=250), tests/kernel/MEASURED.md */
		{ "net.ipv4.tcp_fin_timeout", "8589934", true },
		{ "net.ipv4.tcp_fin_timeout", "-8589934", true },
		{ "net.ipv4.tcp_fin_timeout", "8589935", false },
		{ "net.ipv4.tcp_fin_timeout", "-8589935", false },
		{ "net.ipv4.tcp_fin_timeout", "0", true },
		{ "net.ipv4.tcp_max_tw_buckets", "-5", true },
		{ "net.ipv4.tcp_max_tw_buckets", "2147483647", true },
	};
	struct net net;

	g_test_summary("sysctl ranges match what a 6.18 namespace accepts");
	net_init_defaults(&net, kernel_profile_default());
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		GError *err = NULL;
		const struct sysctl_desc *d = sysctl_find(cases[i].name);

		g_assert_nonnull(d);
		if (cases[i].ok)
			g_assert_cmpint(sysctl_write(&net, d, cases[i].text, &err), ==, 0);
		else
			g_assert_cmpint(sysctl_write(&net, d, cases[i].text, &err), ==, -SIM_EINVAL);
		g_assert_true((err != NULL) == !cases[i].ok);
		g_clear_error(&err);
	}
	net_init_defaults(&net, kernel_profile_find("linux-5.0"));
	g_assert_cmpint(net.core.sysctl_somaxconn, ==, 128);
	g_assert_cmpint(net.ipv4.sysctl_tcp_syn_linear_timeouts, ==, 0);
	g_assert_cmpint(net.ipv4.sysctl_tcp_rmem[2], ==, 6291456);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add("/models/fault/loss-rate", struct fixture, NULL, setup, test_loss_rate, teardown);
	g_test_add("/models/fault/gilbert-stationary", struct fixture, NULL, setup,
		   test_gilbert_stationary, teardown);
	g_test_add("/models/fault/drop-nth-count", struct fixture, NULL, setup,
		   test_drop_nth_count_and_filter, teardown);
	g_test_add("/models/fault/window", struct fixture, NULL, setup, test_window, teardown);
	g_test_add_func("/models/tcp/model-timeout", test_model_timeout);
	g_test_add_func("/models/icmp/errno", test_icmp_errno);
	g_test_add_func("/models/sysctl/write", test_sysctl);
	g_test_add_func("/models/sysctl/ranges", test_sysctl_ranges);
	return g_test_run();
}
