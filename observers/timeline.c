/* SPDX-License-Identifier: MIT */
/* Chrome trace-event JSON timeline of a run (timeline.h). */
#include "timeline.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "env/vsock.h"
#include "env/world.h"
#include "kernel/task.h"
#include "net/af_vsock.h"
#include "net/tcp.h"
#include "sim/sim.h"
#include "sim/timer.h"
#include "sim/trace.h"
#include "trace/events.h"

/* Thread ids inside a host's process. */
#define TID_NET_TX	1
#define TID_NET_RX	2
#define TID_HOST	3		/* trace points with no object */
#define TID_SOCK	100000		/* + socket id: sk_state */
#define TID_SOCK_SS	200000		/* + socket id: sock->state (vsock) */
#define TID_OBJ		300000		/* + n: any other object, first-seen order */

/* A slice still open: a syscall in progress, a socket state not yet left. */
struct open_slice {
	char *key;
	unsigned int pid, tid;
	sim_time_t t;
	char *name;
	char *args;		/* JSON members without braces */
};

/* The states last drawn for a socket. */
struct sock_seen {
	int sk_state, sock_state;	/* -1: none yet / no struct socket */
};

struct timeline {
	struct sim *sim;
	struct sim_trace *tr;
	struct sim_trace_consumer consumer;	/* on_record, on tr */
	struct world *world;
	GString *out;			/* events, comma-separated */
	GHashTable *host_pid;		/* host name -> pid (lookups only) */
	unsigned int n_pids;
	GHashTable *named;		/* "pid/tid" already named (lookups only) */
	GHashTable *obj_tid;		/* "pid/obj" -> tid (lookups only) */
	unsigned int n_obj;
	GHashTable *timer_tid;		/* timer name -> tid (lookups only) */
	unsigned int timers_pid, n_timer;
	GHashTable *open_by_key;	/* key -> struct open_slice (lookups only) */
	struct trace_subscriber sub;	/* socket events (models/include/trace/events.h) */
	GArray *sock_seen;		/* per socket id: struct sock_seen */
	GPtrArray *open;		/* struct open_slice *, opening order */
};

static void ts_append(GString *s, sim_time_t t)
{
	g_string_append_printf(s, "%" G_GUINT64_FORMAT ".%03u", t / 1000u, (unsigned int)(t % 1000u));
}

/* Start one event: {"ph":PH,"name":NAME,"pid":P,"tid":T,"ts":TS — caller closes it. */
static void ev_begin(struct timeline *tl, const char *ph, const char *name, unsigned int pid,
		     unsigned int tid, sim_time_t t)
{
	GString *s = tl->out;

	if (s->len)
		g_string_append(s, ",\n");
	g_string_append_printf(s, "{\"ph\":\"%s\",\"name\":", ph);
	sim_json_append_string(s, name);
	g_string_append_printf(s, ",\"pid\":%u,\"tid\":%u,\"ts\":", pid, tid);
	ts_append(s, t);
}

static void meta(struct timeline *tl, const char *what, unsigned int pid, unsigned int tid,
		 const char *name, unsigned int sort)
{
	ev_begin(tl, "M", what, pid, tid, 0);
	g_string_append(tl->out, ",\"args\":{\"name\":");
	sim_json_append_string(tl->out, name);
	g_string_append(tl->out, "}}");
	ev_begin(tl, "M", strcmp(what, "process_name") == 0 ? "process_sort_index" : "thread_sort_index",
		 pid, tid, 0);
	g_string_append_printf(tl->out, ",\"args\":{\"sort_index\":%u}}", sort);
}

static unsigned int pid_of(struct timeline *tl, const char *host)
{
	gpointer v;

	if (!host)
		host = "(world)";
	v = g_hash_table_lookup(tl->host_pid, host);
	if (v)
		return GPOINTER_TO_UINT(v);
	g_hash_table_insert(tl->host_pid, g_strdup(host), GUINT_TO_POINTER(++tl->n_pids));
	meta(tl, "process_name", tl->n_pids, 0, host, tl->n_pids);
	return tl->n_pids;
}

static void name_thread(struct timeline *tl, unsigned int pid, unsigned int tid, const char *name)
{
	g_autofree char *key = g_strdup_printf("%u/%u", pid, tid);

	if (g_hash_table_contains(tl->named, key))
		return;
	meta(tl, "thread_name", pid, tid, name, tid);
	g_hash_table_add(tl->named, g_steal_pointer(&key));
}

/* The value of @key in a "k=v k=v" detail, or NULL. */
static char *kv(const char *detail, const char *key)
{
	size_t n = strlen(key);

	for (const char *p = detail; p && *p;) {
		const char *end = strchr(p, ' ');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (len > n && strncmp(p, key, n) == 0 && p[n] == '=')
			return g_strndup(p + n + 1, len - n - 1);
		p = end ? end + 1 : NULL;
	}
	return NULL;
}

static bool kv_u64(const char *detail, const char *key, uint64_t *out)
{
	g_autofree char *v = kv(detail, key);
	char *end;

	if (!v || !g_ascii_isdigit(*v))
		return false;
	*out = g_ascii_strtoull(v, &end, 10);
	return !*end;
}

/* The members of a record's args: "func":...,"k":v,... (no braces). */
static char *rec_args(const struct sim_trace_rec *rec)
{
	GString *s = g_string_new("\"obj\":");

	sim_json_append_string(s, rec->obj ? rec->obj : "");
	if (rec->func) {
		g_string_append(s, ",\"func\":");
		sim_json_append_string(s, rec->func);
	}
	if (rec->detail)
		sim_trace_detail_json(s, rec->detail);
	return g_string_free(s, FALSE);
}

static void complete(struct timeline *tl, const char *name, unsigned int pid, unsigned int tid,
		     sim_time_t t, sim_time_t end, const char *args)
{
	ev_begin(tl, "X", name, pid, tid, t);
	g_string_append(tl->out, ",\"dur\":");
	ts_append(tl->out, end - t);
	g_string_append_printf(tl->out, ",\"args\":{%s}}", args ? args : "");
}

static void slice_open(struct timeline *tl, char *key, unsigned int pid, unsigned int tid,
		       sim_time_t t, const char *name, char *args)
{
	struct open_slice *o = g_new0(struct open_slice, 1);

	*o = (struct open_slice){ .key = key, .pid = pid, .tid = tid, .t = t,
				  .name = g_strdup(name), .args = args };
	g_ptr_array_add(tl->open, o);
	g_hash_table_insert(tl->open_by_key, o->key, o);
}

static void open_free(struct open_slice *o)
{
	g_free(o->key);
	g_free(o->name);
	g_free(o->args);
	g_free(o);
}

/* Close the open slice @key at @t, adding @more members to its args. */
static bool slice_close(struct timeline *tl, const char *key, sim_time_t t, const char *more)
{
	struct open_slice *o = g_hash_table_lookup(tl->open_by_key, key);
	g_autofree char *args = NULL;

	if (!o)
		return false;
	args = more && *more ? g_strdup_printf("%s%s%s", o->args, *o->args ? "," : "", more) :
		g_strdup(o->args);
	complete(tl, o->name, o->pid, o->tid, o->t, t, args);
	g_hash_table_remove(tl->open_by_key, key);
	g_ptr_array_remove(tl->open, o);
	open_free(o);
	return true;
}

static void instant(struct timeline *tl, const char *name, unsigned int pid, unsigned int tid,
		    sim_time_t t, const char *args)
{
	ev_begin(tl, "i", name, pid, tid, t);
	g_string_append_printf(tl->out, ",\"s\":\"t\",\"args\":{%s}}", args ? args : "");
}

static void counter(struct timeline *tl, const char *name, unsigned int pid, sim_time_t t,
		    const char *series)
{
	ev_begin(tl, "C", name, pid, 0, t);
	g_string_append_printf(tl->out, ",\"args\":{%s}}", series);
}

/* "pid 7" -> 7; "sk#3" -> TID_SOCK + 3; other objects get their own track. */
static unsigned int tid_of(struct timeline *tl, unsigned int pid, const char *obj)
{
	unsigned int n;
	g_autofree char *key = NULL;
	gpointer v;

	if (!obj || !*obj) {
		name_thread(tl, pid, TID_HOST, "host events");
		return TID_HOST;
	}
	if (sscanf(obj, "pid %u", &n) == 1 && n < TID_SOCK) {
		g_autofree char *name = g_strdup_printf("pid %u", n);

		name_thread(tl, pid, n, name);
		return n;
	}
	if (sscanf(obj, "sk#%u", &n) == 1 && n < TID_SOCK) {
		name_thread(tl, pid, TID_SOCK + n, obj);
		return TID_SOCK + n;
	}
	key = g_strdup_printf("%u/%s", pid, obj);
	v = g_hash_table_lookup(tl->obj_tid, key);
	if (v)
		return GPOINTER_TO_UINT(v);
	n = TID_OBJ + tl->n_obj++;
	g_hash_table_insert(tl->obj_tid, g_steal_pointer(&key), GUINT_TO_POINTER(n));
	name_thread(tl, pid, n, obj);
	return n;
}

static void on_syscall(struct timeline *tl, const struct sim_trace_rec *rec, unsigned int pid,
		       bool enter)
{
	g_autofree char *key = g_strdup_printf("call %u/%s", pid, rec->obj);
	g_autofree char *call = kv(rec->detail, "call");
	unsigned int tid;

	if (enter) {
		g_autofree char *comm = kv(rec->detail, "comm");
		g_autofree char *tname = g_strdup_printf("%s (%s)", comm ? comm : "?", rec->obj);
		GString *args = g_string_new(NULL);
		g_autofree char *a = kv(rec->detail, "args");
		g_autofree char *line = kv(rec->detail, "line");

		if (sscanf(rec->obj ? rec->obj : "", "pid %u", &tid) == 1 && tid < TID_SOCK)
			name_thread(tl, pid, tid, tname);
		else
			tid = tid_of(tl, pid, rec->obj);
		g_string_append(args, "\"call\":");
		sim_json_append_string(args, a ? a : call ? call : "?");
		if (line)
			g_string_append_printf(args, ",\"line\":%s", line);
		slice_close(tl, key, rec->t, "\"unfinished\":1");
		slice_open(tl, g_steal_pointer(&key), pid, tid, rec->t, call ? call : "syscall",
			   g_string_free(args, FALSE));
	} else {
		GString *more = g_string_new(NULL);
		g_autofree char *ret = kv(rec->detail, "ret");
		g_autofree char *err = kv(rec->detail, "errno");
		g_autofree char *restarts = kv(rec->detail, "restarts");

		g_string_append(more, "\"ret\":");
		sim_json_append_string(more, ret ? ret : "");
		if (err) {
			g_string_append(more, ",\"errno\":");
			sim_json_append_string(more, err);
		}
		if (restarts)
			g_string_append_printf(more, ",\"restarts\":%s", restarts);
		slice_close(tl, key, rec->t, more->str);
		g_string_free(more, TRUE);
	}
}

/* Close the open slice @key and open one named @state on (@pid, @tid). */
static void state_slice(struct timeline *tl, unsigned int pid, unsigned int tid, const char *track,
			const char *key, sim_time_t t, const char *state)
{
	name_thread(tl, pid, tid, track);
	slice_close(tl, key, t, NULL);
	slice_open(tl, g_strdup(key), pid, tid, t, state, g_strdup(""));
}

/* trace/events/sock.h: a socket's sk_state or sock->state changed. */
static void obs_sock_state(void *opaque, struct sock *sk)
{
	struct timeline *tl = opaque;
	unsigned int pid = pid_of(tl, host_of(sock_net(sk))->name);
	int ss = sk->sk_socket ? (int)sk->sk_socket->state : -1;
	sim_time_t now = sim_now(tl->sim);
	struct sock_seen *seen;
	char key[64], track[48];

	if (sk->id >= TID_SOCK)
		return;
	if (tl->sock_seen->len <= sk->id) {
		guint from = tl->sock_seen->len;

		g_array_set_size(tl->sock_seen, sk->id + 1);
		for (guint i = from; i <= sk->id; i++)
			g_array_index(tl->sock_seen, struct sock_seen, i) = (struct sock_seen){ -1, -1 };
	}
	seen = &g_array_index(tl->sock_seen, struct sock_seen, sk->id);
	if (seen->sk_state != sk->sk_state) {
		seen->sk_state = sk->sk_state;
		g_snprintf(key, sizeof(key), "sk %u/%u", pid, sk->id);
		g_snprintf(track, sizeof(track), "sk#%u", sk->id);
		state_slice(tl, pid, TID_SOCK + sk->id, track, key, now, tcp_state_name(sk->sk_state));
	}
	if (ss >= 0 && seen->sock_state != ss) {
		seen->sock_state = ss;
		g_snprintf(key, sizeof(key), "ss %u/%u", pid, sk->id);
		g_snprintf(track, sizeof(track), "sk#%u sock_state", sk->id);
		state_slice(tl, pid, TID_SOCK_SS + sk->id, track, key, now,
			    socket_state_name((socket_state)ss));
	}
}

/* A packet leaves (flow start) or arrives (flow end). */
static void on_packet(struct timeline *tl, const struct sim_trace_rec *rec, unsigned int pid,
		      bool tx, uint64_t flow_id, const char *name, const char *args)
{
	unsigned int tid = tx ? TID_NET_TX : TID_NET_RX;

	name_thread(tl, pid, tid, tx ? "net tx" : "net rx");
	complete(tl, name, pid, tid, rec->t, rec->t + 1, args);
	ev_begin(tl, tx ? "s" : "f", "packet", pid, tid, rec->t);
	g_string_append_printf(tl->out, ",\"cat\":\"packet\",\"id\":%" G_GUINT64_FORMAT "%s}", flow_id,
			       tx ? "" : ",\"bp\":\"e\"");
}

/* Descriptors in use of a virtqueue: its size minus num_free. */
static void on_vq(struct timeline *tl, const struct sim_trace_rec *rec, unsigned int pid)
{
	g_autofree char *dev = kv(rec->detail, "dev"), *vq = kv(rec->detail, "vq");
	g_autofree char *name = NULL, *series = NULL;
	uint64_t num_free, size = 0;
	struct vsock_world *vw = tl->world ? tl->world->vsock : NULL;

	if (!dev || !vq || !kv_u64(rec->detail, "num_free", &num_free))
		return;
	for (guint i = 0; vw && i < vw->devices->len; i++) {
		const struct vsock_device *d = vw->devices->pdata[i];

		if (strcmp(d->label, dev) == 0)
			size = strcmp(vq, "rx") == 0 ? d->params.rx_queue :
				strcmp(vq, "tx") == 0 ? d->params.tx_queue : d->params.event_queue;
	}
	name = g_strdup_printf("vq %s/%s", dev, vq);
	series = size >= num_free ?
		g_strdup_printf("\"in_use\":%" G_GUINT64_FORMAT, size - num_free) :
		g_strdup_printf("\"num_free\":%" G_GUINT64_FORMAT, num_free);
	counter(tl, name, pid, rec->t, series);
}

static void on_record(void *opaque, const struct sim_trace_rec *rec)
{
	struct timeline *tl = opaque;
	unsigned int pid = pid_of(tl, rec->host);
	g_autofree char *args = rec_args(rec);
	const char *ev = rec->event, *obj = rec->obj ? rec->obj : "";
	uint64_t id, a, b, c;

	if (strcmp(ev, "sys_enter") == 0 || strcmp(ev, "sys_exit") == 0) {
		on_syscall(tl, rec, pid, strcmp(ev, "sys_enter") == 0);
		return;
	}
	/* State changes are drawn from the world's observer hook (obs_sock_state). */
	if (strcmp(ev, "inet_sock_set_state") == 0 || strcmp(ev, "vsock_sk_state") == 0 ||
	    strcmp(ev, "vsock_sock_state") == 0)
		return;
	if ((strcmp(ev, "net_dev_xmit") == 0 || strcmp(ev, "tcp_v4_rcv") == 0) &&
	    kv_u64(rec->detail, "id", &id)) {
		g_autofree char *kind = kv(rec->detail, "kind");

		on_packet(tl, rec, pid, ev[0] == 'n', id * 2, kind ? kind : "packet", args);
		if (ev[0] == 'n')
			return;
	}
	if (strcmp(ev, "virtio_transport_alloc_pkt") == 0 || strcmp(ev, "virtio_transport_recv_pkt") == 0) {
		g_autofree char *pkt = kv(rec->detail, "pkt"), *op = kv(rec->detail, "op");
		g_autofree char *sk = kv(rec->detail, "sk");
		bool tx = strcmp(ev, "virtio_transport_alloc_pkt") == 0;

		if (pkt && sscanf(pkt, "pkt#%" G_GUINT64_FORMAT, &id) == 1)
			on_packet(tl, rec, pid, tx, id * 2 + 1, op ? op : "vsock", args);
		if (sk && kv_u64(rec->detail, "tx_cnt", &a) && kv_u64(rec->detail, "peer_fwd_cnt", &b) &&
		    kv_u64(rec->detail, "peer_buf_alloc", &c)) {
			g_autofree char *name = g_strdup_printf("%s peer credit", sk);
			g_autofree char *series = g_strdup_printf("\"credit\":%" G_GINT64_FORMAT,
								  (int64_t)c - (int64_t)(uint32_t)(a - b));

			counter(tl, name, pid, rec->t, series);
		}
		return;
	}
	if ((strcmp(ev, "tcp_ack") == 0 || strcmp(ev, "tcp_transmit_skb") == 0) &&
	    kv_u64(rec->detail, "cwnd", &a) && kv_u64(rec->detail, "in_flight", &b)) {
		g_autofree char *name = g_strdup_printf("%s cwnd", obj);
		g_autofree char *series = g_strdup_printf("\"cwnd\":%" G_GUINT64_FORMAT
							  ",\"in_flight\":%" G_GUINT64_FORMAT, a, b);

		counter(tl, name, pid, rec->t, series);
	}
	if (rec->detail && strstr(rec->detail, "num_free="))
		on_vq(tl, rec, pid);
	instant(tl, ev, pid, tid_of(tl, pid, obj), rec->t, args);
}

/* Is @t one of @sk's timers? */
static bool sock_has_timer(struct sock *sk, const struct sim_timer *t)
{
	if (sk->sk_family == AF_VSOCK) {
		struct vsock_sock *v = vsock_sk(sk);

		return t == &v->connect_work || t == &v->close_work;
	}
	if (sk->sk_family != AF_INET || sk->sk_prot->obj_size < sizeof(struct tcp_sock))
		return false;
	return t == &inet_csk(sk)->icsk_retransmit_timer || t == &tcp_sk(sk)->delack_timer ||
		t == &tcp_sk(sk)->keepalive_timer || t == &tcp_sk(sk)->rack_timer;
}

/* The track of the socket or task a timer is embedded in; false if neither. */
static bool timer_track(struct timeline *tl, const struct sim_timer *t, unsigned int *pid,
			unsigned int *tid)
{
	struct world *w = tl->world;

	for (guint i = 0; w && i < w->all_socks->len; i++) {
		struct sock *sk = w->all_socks->pdata[i];
		char name[32];

		if (!sk || sk->id >= TID_SOCK || !sock_has_timer(sk, t))
			continue;
		*pid = pid_of(tl, host_of(sock_net(sk))->name);
		*tid = TID_SOCK + sk->id;
		g_snprintf(name, sizeof(name), "sk#%u", sk->id);
		name_thread(tl, *pid, *tid, name);
		return true;
	}
	for (guint i = 0; w && i < w->hosts->len; i++) {
		struct host *h = w->hosts->pdata[i];

		for (guint j = 0; h->net.tasks && j < h->net.tasks->len; j++) {
			struct task *task = h->net.tasks->pdata[j];

			if (!task || t != &task->wait.timer || task->pid <= 0 || task->pid >= TID_SOCK)
				continue;
			*pid = pid_of(tl, h->name);
			*tid = (unsigned int)task->pid;
			return true;
		}
	}
	return false;
}

static void on_timer(void *opaque, enum sim_timer_op op, const struct sim_timer *t,
		     sim_time_t expires)
{
	static const char *const what[] = {
		[SIM_TIMER_ARMED] = "armed", [SIM_TIMER_DELETED] = "deleted", [SIM_TIMER_FIRED] = "fired",
	};
	struct timeline *tl = opaque;
	const char *name = t->ev.name ? t->ev.name : "timer";
	gpointer v = g_hash_table_lookup(tl->timer_tid, name);
	g_autofree char *args = NULL;
	unsigned int pid, tid;

	args = g_strdup_printf("\"%s_ns\":%" G_GUINT64_FORMAT ",\"timer\":\"%s\"",
			       op == SIM_TIMER_FIRED ? "at" : "expires", (uint64_t)expires, name);
	if (timer_track(tl, t, &pid, &tid)) {
		g_autofree char *ev = g_strdup_printf("%s %s", name, what[op]);

		instant(tl, ev, pid, tid, sim_now(tl->sim), args);
		return;
	}
	if (!tl->timers_pid) {
		tl->timers_pid = ++tl->n_pids;
		meta(tl, "process_name", tl->timers_pid, 0, "timers", tl->timers_pid);
	}
	if (!v) {
		v = GUINT_TO_POINTER(++tl->n_timer);
		g_hash_table_insert(tl->timer_tid, (char *)name, v);
		name_thread(tl, tl->timers_pid, GPOINTER_TO_UINT(v), name);
	}
	tid = GPOINTER_TO_UINT(v);
	instant(tl, what[op], tl->timers_pid, tid, sim_now(tl->sim), args);
}

struct timeline *timeline_new(struct sim_trace *tr)
{
	struct timeline *tl = g_new0(struct timeline, 1);

	tl->tr = tr;
	tl->out = g_string_new(NULL);
	tl->host_pid = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	tl->named = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	tl->obj_tid = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	tl->timer_tid = g_hash_table_new(g_str_hash, g_str_equal);
	tl->open_by_key = g_hash_table_new(g_str_hash, g_str_equal);
	tl->open = g_ptr_array_new();
	tl->sock_seen = g_array_new(FALSE, FALSE, sizeof(struct sock_seen));
	tl->consumer = (struct sim_trace_consumer){ .ctx = tl, .record = on_record };
	sim_trace_attach(tr, &tl->consumer);
	return tl;
}

void timeline_bind(struct timeline *tl, struct sim *sim, struct world *w)
{
	tl->sim = sim;
	tl->world = w;
	/* Hosts in declaration order, so process ids do not depend on who speaks first. */
	for (guint i = 0; w && i < w->hosts->len; i++)
		pid_of(tl, ((struct host *)w->hosts->pdata[i])->name);
	sim_set_timer_hook(sim, on_timer, tl);
	if (w) {
		tl->sub = (struct trace_subscriber){
			.ctx = tl, .sock_state = obs_sock_state,
		};
		trace_subscribe(&w->ks, &tl->sub);
	}
}

char *timeline_finish(struct timeline *tl)
{
	sim_time_t now = tl->sim ? sim_now(tl->sim) : 0;
	GString *doc = g_string_new("{\"displayTimeUnit\":\"ns\",\"otherData\":{\"generator\":\"socksim\"},"
				    "\"traceEvents\":[\n");

	/* Whatever is still open ends now: a call still blocked, the last state. */
	while (tl->open->len) {
		struct open_slice *o = tl->open->pdata[0];
		g_autofree char *key = g_strdup(o->key);

		slice_close(tl, key, now, g_str_has_prefix(key, "call ") ? "\"unfinished\":1" : NULL);
	}
	g_string_append_len(doc, tl->out->str, (gssize)tl->out->len);
	g_string_append(doc, "\n]}\n");
	return g_string_free(doc, FALSE);
}

void timeline_free(struct timeline *tl)
{
	if (!tl)
		return;
	sim_trace_detach(tl->tr, &tl->consumer);
	if (tl->sim)
		sim_set_timer_hook(tl->sim, NULL, NULL);
	if (tl->world)
		trace_unsubscribe(&tl->world->ks, &tl->sub);
	g_array_unref(tl->sock_seen);
	g_string_free(tl->out, TRUE);
	g_hash_table_unref(tl->host_pid);
	g_hash_table_unref(tl->named);
	g_hash_table_unref(tl->obj_tid);
	g_hash_table_unref(tl->timer_tid);
	g_hash_table_unref(tl->open_by_key);
	for (guint i = 0; i < tl->open->len; i++)
		open_free(tl->open->pdata[i]);
	g_ptr_array_free(tl->open, TRUE);
	g_free(tl);
}
