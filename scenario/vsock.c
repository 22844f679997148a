/* SPDX-License-Identifier: MIT */
/*
 * The scenario front end for AF_VSOCK over virtio (docs/scenario-language.md
 * "virtio-vsock"): checking the directive, addresses and fault rules into the
 * plan, building the devices for a run, counters, invariants and the
 * results' "vsock" section.
 */
#include "vsock.h"

#include <string.h>

#include "env/fault_kinds.h"
#include "env/vsock.h"
#include "json.h"
#include "names.h"
#include "linux/errno_names.h"
#include "net/tcp.h"
#include "plan.h"
#include "run_private.h"
#include "vsock_invariants.h"

struct plan_vsock_dev {
	int guest, host;
	uint32_t cid;
	struct vsock_dev_params params;
};

struct scn_vsock_plan {
	GPtrArray *devs;		/* struct plan_vsock_dev * */
};

static struct scn_vsock_plan *vplan(struct scn_plan *plan)
{
	if (!plan->vsock) {
		plan->vsock = g_new0(struct scn_vsock_plan, 1);
		plan->vsock->devs = g_ptr_array_new_with_free_func(g_free);
	}
	return plan->vsock;
}

void scn_vsock_plan_free(struct scn_plan *plan)
{
	struct scn_vsock_plan *vp = plan->vsock;

	if (!vp)
		return;
	g_ptr_array_free(vp->devs, TRUE);
	g_free(vp);
	plan->vsock = NULL;
}

#define ERR(loc, ...) (scn_set_error(error, SCN_ERROR_SEMANTIC, (loc), __VA_ARGS__), false)

static bool opt_time(const struct scn_opt *o, sim_time_t *out, GError **error)
{
	if (o->val.kind == SCN_V_TIME && !o->val.relative) {
		*out = o->val.t;
		return true;
	}
	if (o->val.kind == SCN_V_INT && o->val.i == 0) {
		*out = 0;
		return true;
	}
	return ERR(&o->val.loc, "%s expects a time such as 5us, found '%s'", o->key, o->val.text);
}

static bool opt_uint(const struct scn_opt *o, uint64_t lo, uint64_t hi, uint64_t *out, GError **error)
{
	if (o->val.kind != SCN_V_INT || o->val.i < (int64_t)lo || (uint64_t)o->val.i > hi)
		return ERR(&o->val.loc, "%s expects an integer in %" G_GUINT64_FORMAT "..%" G_GUINT64_FORMAT
			   ", found '%s'", o->key, lo, hi, o->val.text);
	*out = (uint64_t)o->val.i;
	return true;
}

static bool opt_queue(const struct scn_opt *o, unsigned int *out, GError **error)
{
	uint64_t v;

	if (!opt_uint(o, 1, VIRTQUEUE_MAX_SIZE, &v, error))
		return false;
	if (v & (v - 1))
		return ERR(&o->val.loc, "%s: a split virtqueue size is a power of 2 (1..32768), found %"
			   G_GUINT64_FORMAT, o->key, v);
	*out = (unsigned int)v;
	return true;
}

static int host_index(const struct scn_plan *plan, const struct scn_value *v, GError **error)
{
	int h = v->kind == SCN_V_IDENT ? scn_plan_find_host(plan, v->text) : -1;

	if (h < 0)
		scn_set_error(error, SCN_ERROR_SEMANTIC, &v->loc, "unknown host '%s'", v->text);
	return h;
}

/*
 * virtio-vsock GUEST HOST cid=N [queue=N] [rx-queue=N] [tx-queue=N] [event-queue=N]
 *              [indirect=0|1] [event-idx=0|1] [kick=T] [irq=T] [wake=T] [wq=T]
 *              [pkt-cost=T] [copy-bw=N]
 */
static bool apply_device_opt(const struct scn_opt *o, struct plan_vsock_dev *d, bool *has_cid,
			     GError **error)
{
	struct vsock_dev_params *p = &d->params;
	uint64_t v;

	if (strcmp(o->key, "cid") == 0) {
		if (!opt_uint(o, 3, 0xFFFFFFFEu, &v, error))
			return false;
		d->cid = (uint32_t)v;
		*has_cid = true;
		return true;
	}
	if (strcmp(o->key, "queue") == 0) {
		if (!opt_queue(o, &p->rx_queue, error))
			return false;
		p->tx_queue = p->event_queue = p->rx_queue;
		return true;
	}
	if (strcmp(o->key, "rx-queue") == 0)
		return opt_queue(o, &p->rx_queue, error);
	if (strcmp(o->key, "tx-queue") == 0)
		return opt_queue(o, &p->tx_queue, error);
	if (strcmp(o->key, "event-queue") == 0)
		return opt_queue(o, &p->event_queue, error);
	if (strcmp(o->key, "indirect") == 0 || strcmp(o->key, "event-idx") == 0) {
		if (!opt_uint(o, 0, 1, &v, error))
			return false;
		*(o->key[0] == 'i' ? &p->indirect : &p->event_idx) = v != 0;
		return true;
	}
	if (strcmp(o->key, "copy-bw") == 0) {
		if (!opt_uint(o, 0, UINT64_MAX >> 1, &p->copy_bw, error))
			return false;
		return true;
	}
	if (strcmp(o->key, "kick") == 0)
		return opt_time(o, &p->kick, error);
	if (strcmp(o->key, "irq") == 0)
		return opt_time(o, &p->irq, error);
	if (strcmp(o->key, "wake") == 0)
		return opt_time(o, &p->wake, error);
	if (strcmp(o->key, "wq") == 0)
		return opt_time(o, &p->wq, error);
	if (strcmp(o->key, "pkt-cost") == 0)
		return opt_time(o, &p->pkt_cost, error);
	return ERR(&o->loc, "unknown option '%s' for 'virtio-vsock' (expected: cid, queue, rx-queue, "
		   "tx-queue, event-queue, indirect, event-idx, kick, irq, wake, wq, pkt-cost, copy-bw)",
		   o->key);
}

bool scn_vsock_check_device(const struct scn_stmt *st, struct scn_plan *plan, GError **error)
{
	struct scn_vsock_plan *vp = vplan(plan);
	struct plan_vsock_dev *d;
	bool has_cid = false;

	if (st->words->len != 2)
		return ERR(&st->kw_loc, "expected 'virtio-vsock GUEST HOST cid=N [options]'");
	d = g_new0(struct plan_vsock_dev, 1);
	vsock_dev_params_init(&d->params);
	g_ptr_array_add(vp->devs, d);
	d->guest = host_index(plan, st->words->pdata[0], error);
	if (d->guest < 0)
		return false;
	d->host = host_index(plan, st->words->pdata[1], error);
	if (d->host < 0)
		return false;
	if (d->host == d->guest)
		return ERR(&((struct scn_value *)st->words->pdata[1])->loc,
			   "a virtio-vsock device joins a guest and another host");
	for (guint i = 0; i < st->opts->len; i++)
		if (!apply_device_opt(st->opts->pdata[i], d, &has_cid, error))
			return false;
	if (!has_cid)
		return ERR(&st->kw_loc, "virtio-vsock needs cid=N, the guest's CID (3 or more)");
	for (guint i = 0; i + 1 < vp->devs->len; i++) {
		const struct plan_vsock_dev *o = vp->devs->pdata[i];

		if (o->guest == d->guest)
			return ERR(&((struct scn_value *)st->words->pdata[0])->loc,
				   "guest '%s' already has a virtio-vsock device (one per guest: "
				   "virtio_vsock_probe() refuses a second with EBUSY)",
				   ((struct scn_value *)st->words->pdata[0])->text);
		if (o->host == d->host && o->cid == d->cid)
			return ERR(&st->kw_loc, "CID %u is already used by another VM of this host "
				   "(VHOST_VSOCK_SET_GUEST_CID: EADDRINUSE)", d->cid);
	}
	return true;
}

int scn_vsock_guest_device(const struct scn_plan *plan, const struct scn_value *v, GError **error)
{
	const struct scn_vsock_plan *vp = plan->vsock;
	int h = v->kind == SCN_V_IDENT ? scn_plan_find_host(plan, v->text) : -1;

	for (guint i = 0; vp && h >= 0 && i < vp->devs->len; i++)
		if (((const struct plan_vsock_dev *)vp->devs->pdata[i])->guest == h)
			return (int)i;
	scn_set_error(error, SCN_ERROR_SEMANTIC, &v->loc,
		      "'%s' is not the guest of a virtio-vsock device", v->text);
	return -1;
}

bool scn_vsock_op_mask(const struct scn_value *v, uint32_t *mask, GError **error)
{
	g_auto(GStrv) parts = g_strsplit(v->text, "|", -1);

	for (char **p = parts; *p; p++) {
		int op = virtio_vsock_op_from_name(*p);

		if (op < 0)
			return ERR(&v->loc, "unknown vsock op '%s' (expected REQUEST, RESPONSE, RST, SHUTDOWN, "
				   "RW, CREDIT_UPDATE or CREDIT_REQUEST)", *p);
		*mask |= 1u << op;
	}
	return true;
}

bool scn_vsock_has_devices(const struct scn_plan *plan)
{
	return plan->vsock && plan->vsock->devs->len;
}

/* CID words of vsock:CID:PORT. */
static bool vsock_number(const char *s, const char *const *names, const uint32_t *vals,
			 uint32_t *out)
{
	char *end;
	guint64 v;

	for (int i = 0; names[i]; i++)
		if (strcmp(s, names[i]) == 0) {
			*out = vals[i];
			return true;
		}
	if (!g_ascii_isdigit(*s))
		return false;
	v = g_ascii_strtoull(s, &end, 0);
	if (*end || v > UINT32_MAX)
		return false;
	*out = (uint32_t)v;
	return true;
}

bool scn_vsock_addr(const struct scn_value *v, struct sockaddr_sim *addr, GError **error)
{
	static const char *const cid_names[] = { "any", "hypervisor", "local", "host", NULL };
	static const uint32_t cid_vals[] = { VMADDR_CID_ANY, VMADDR_CID_HYPERVISOR, VMADDR_CID_LOCAL,
					     VMADDR_CID_HOST };
	static const char *const port_names[] = { "any", NULL };
	static const uint32_t port_vals[] = { VMADDR_PORT_ANY };
	g_auto(GStrv) parts = g_strsplit(v->text, ":", -1);
	guint n = g_strv_length(parts);
	uint32_t flags = 0;

	memset(addr, 0, sizeof(*addr));
	addr->family = AF_VSOCK;
	addr->addrlen = (int)sizeof(struct sockaddr_vm);
	if ((n != 3 && n != 4) || !vsock_number(parts[1], cid_names, cid_vals, &addr->svm_cid) ||
	    !vsock_number(parts[2], port_names, port_vals, &addr->svm_port) ||
	    (n == 4 && (!vsock_number(parts[3], port_names + 1, port_vals, &flags) || flags > 255)))
		return ERR(&v->loc, "invalid vsock address '%s', expected vsock:CID:PORT[:FLAGS] with CID a "
			   "number, any, host, local or hypervisor and PORT a number or any", v->text);
	addr->svm_flags = (uint8_t)flags;
	return true;
}

bool scn_vsock_constant(const char *name, int64_t *val)
{
	static const struct { const char *name; int64_t val; } c[] = {
		{ "SOCK_SEQPACKET", SOCK_SEQPACKET }, { "PF_VSOCK", AF_VSOCK },
		{ "SO_VM_SOCKETS_BUFFER_SIZE", SO_VM_SOCKETS_BUFFER_SIZE },
		{ "SO_VM_SOCKETS_BUFFER_MIN_SIZE", SO_VM_SOCKETS_BUFFER_MIN_SIZE },
		{ "SO_VM_SOCKETS_BUFFER_MAX_SIZE", SO_VM_SOCKETS_BUFFER_MAX_SIZE },
		{ "SO_VM_SOCKETS_CONNECT_TIMEOUT", SO_VM_SOCKETS_CONNECT_TIMEOUT },
		{ "SO_VM_SOCKETS_CONNECT_TIMEOUT_OLD", SO_VM_SOCKETS_CONNECT_TIMEOUT_OLD },
		{ "SO_VM_SOCKETS_CONNECT_TIMEOUT_NEW", SO_VM_SOCKETS_CONNECT_TIMEOUT_NEW },
		{ "SO_RCVLOWAT", SO_RCVLOWAT }, { "MSG_PEEK", MSG_PEEK }, { "MSG_OOB", MSG_OOB },
		{ "VMADDR_CID_ANY", VMADDR_CID_ANY }, { "VMADDR_CID_HOST", VMADDR_CID_HOST },
		{ "VMADDR_PORT_ANY", VMADDR_PORT_ANY },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(c); i++)
		if (strcmp(c[i].name, name) == 0) {
			*val = c[i].val;
			return true;
		}
	return false;
}

/* "vsock.sent.REQUEST": which per-op array (0 sent .. 3 cancelled) and op; -1 if not one. */
static int op_counter(char **parts, int *op)
{
	static const char *const kinds[] = { "sent", "delivered", "dropped", "cancelled" };

	if (g_strv_length(parts) != 3 || strcmp(parts[0], "vsock") != 0)
		return -1;
	*op = virtio_vsock_op_from_name(parts[2]);
	for (int k = 0; *op >= 0 && k < 4; k++)
		if (strcmp(parts[1], kinds[k]) == 0)
			return k;
	return -1;
}

bool scn_vsock_counter_known(const struct scn_plan *plan, const char *name)
{
	g_auto(GStrv) parts = g_strsplit(name, ".", -1);
	int op;

	if (op_counter(parts, &op) >= 0)
		return true;
	return g_strv_length(parts) == 2 && scn_plan_find_host(plan, parts[0]) >= 0 &&
		vsock_counter_from_name(parts[1]) >= 0;
}

/* ---- runner ---- */

void scn_vsock_build(struct scn_run *r)
{
	struct scn_vsock_plan *vp = r->plan->vsock;
	struct world *w = r->world;

	if (!vp)
		return;
	for (guint i = 0; i < vp->devs->len; i++) {
		const struct plan_vsock_dev *d = vp->devs->pdata[i];

		vsock_device_add(w, w->hosts->pdata[d->guest], w->hosts->pdata[d->host], d->cid,
				 &d->params);
	}
	for (guint i = 0; i < r->plan->faults->len; i++) {
		const struct plan_fault *pf = r->plan->faults->pdata[i];
		struct vsock_fault *f;

		if (pf->ops->domain != FAULT_ON_VSOCK)
			continue;
		f = g_new0(struct vsock_fault, 1);
		f->world = w;
		f->ops = pf->ops;
		f->kind = (enum vsock_fault_kind)pf->ops->kind;
		f->label = g_strdup(pf->label);
		f->dev = pf->dev;
		f->from = pf->from >= 0 ? w->hosts->pdata[pf->from] : NULL;
		f->p = pf->p;
		g_ptr_array_add(vsock_world_get(w)->faults, f);
	}
	vsock_world_start(w);
}

void scn_vsock_sock_addrs(struct sock_rec *s, const struct sock *sk)
{
	const struct vsock_sock *vsk = (const struct vsock_sock *)sk;

	s->vsock = true;
	if (vsock_addr_bound(&vsk->local_addr)) {
		s->vlocal_set = true;
		s->vcid[0] = vsk->local_addr.svm_cid;
		s->vport[0] = vsk->local_addr.svm_port;
	}
	if (vsock_addr_bound(&vsk->remote_addr)) {
		s->vremote_set = true;
		s->vcid[1] = vsk->remote_addr.svm_cid;
		s->vport[1] = vsk->remote_addr.svm_port;
	}
}

/* The run's packet accounting (all zero before the first packet). */
static const struct vsock_pkt_acct *run_acct(const struct scn_run *r)
{
	static const struct vsock_pkt_acct none;

	return r->world->ks.vsock_acct ? r->world->ks.vsock_acct : &none;
}

bool scn_vsock_counter_value(const struct scn_run *r, const char *name, int64_t *out)
{
	g_auto(GStrv) parts = g_strsplit(name, ".", -1);
	const struct vsock_world *vw = r->world->vsock;
	int op, c, k = op_counter(parts, &op);

	if (k >= 0) {
		const struct vsock_pkt_acct *a = run_acct(r);
		const uint64_t *arr[4] = { a->sent, a->delivered, a->dropped, a->cancelled };

		*out = vw ? (int64_t)arr[k][op] : 0;
		return true;
	}
	if (g_strv_length(parts) == 2 && (c = vsock_counter_from_name(parts[1])) >= 0) {
		struct host *h = world_find_host(r->world, parts[0]);

		*out = h && h->net.vsock ? (int64_t)h->net.vsock->ctr[c] : 0;
		return true;
	}
	return false;
}

bool scn_vsock_present(const struct scn_run *r)
{
	return r->world->vsock != NULL;
}

bool scn_vsock_invariants(struct scn_run *r, GString *err)
{
	return vsock_invariants_check(r->world, err);
}

/* ---- results ---- */

void scn_vsock_format_addr(const struct sock_rec *s, bool local, char *buf, size_t len)
{
	struct sockaddr_vm a = { .svm_cid = s->vcid[!local], .svm_port = s->vport[!local] };

	vsock_addr_format(&a, buf, len);
}

static void write_op_counts(struct json *j, const char *key, const uint64_t *arr)
{
	json_begin_object(j, key);
	for (unsigned int op = 0; op < VIRTIO_VSOCK_OP_MAX; op++)
		if (arr[op])
			json_uint(j, virtio_vsock_op_name(op), arr[op]);
	json_end_object(j);
}

static void write_ring(struct json *j, const struct vsock_stats *vs, const struct vsock_device *dev,
		       int idx, const char *name, unsigned int size)
{
	const GArray *a = vsock_stats_vq(vs, dev, idx);

	json_begin_object(j, NULL);
	json_str(j, "vq", name);
	json_uint(j, "size", size);
	json_begin_array(j, "per_interval");
	for (guint i = 0; a && i < a->len; i++) {
		const struct vq_sample *s = &g_array_index(a, struct vq_sample, i);

		json_begin_object(j, NULL);
		json_uint(j, "t_ns", s->t);
		json_uint(j, "in_use", s->in_use);
		json_uint(j, "max_in_use", s->max_in_use);
		json_uint(j, "avail_pending", s->avail_pending);
		json_uint(j, "used_pending", s->used_pending);
		json_end_object(j);
	}
	json_end_array(j);
	json_end_object(j);
}

static void write_devices(struct json *j, const struct vsock_world *vw, const struct vsock_stats *vs)
{
	json_begin_array(j, "devices");
	for (guint i = 0; i < vw->devices->len; i++) {
		const struct vsock_device *dev = vw->devices->pdata[i];
		const struct vsock_dev_params *p = &dev->params;

		json_begin_object(j, NULL);
		json_str(j, "guest", dev->guest->name);
		json_str(j, "host", dev->hyp->name);
		json_uint(j, "cid", dev->guest_cid);
		json_begin_object(j, "params");
		json_bool(j, "indirect", p->indirect);
		json_bool(j, "event_idx", p->event_idx);
		json_uint(j, "kick_ns", p->kick);
		json_uint(j, "irq_ns", p->irq);
		json_uint(j, "wake_ns", p->wake);
		json_uint(j, "wq_ns", p->wq);
		json_uint(j, "pkt_cost_ns", p->pkt_cost);
		json_uint(j, "copy_bw", p->copy_bw);
		json_end_object(j);
		json_begin_array(j, "rings");
		write_ring(j, vs, dev, VSOCK_VQ_RX, "rx", p->rx_queue);
		write_ring(j, vs, dev, VSOCK_VQ_TX, "tx", p->tx_queue);
		write_ring(j, vs, dev, VSOCK_VQ_EVENT, "event", p->event_queue);
		json_end_array(j);
		json_end_object(j);
	}
	json_end_array(j);
}

/* The shape of the top-level connections[] (TCP), with credit samples. */
static void write_connection(struct json *j, const struct vsock_sock *vsk,
			     const struct vsock_conn_stats *c, sim_time_t interval)
{
	char buf[48];

	json_begin_object(j, NULL);
	json_uint(j, "sock", vsk->sk.id);
	json_str(j, "host", sock_net(&vsk->sk)->name);
	vsock_addr_format(&vsk->local_addr, buf, sizeof(buf));
	json_str(j, "local", buf);
	vsock_addr_format(&vsk->remote_addr, buf, sizeof(buf));
	json_str(j, "remote", buf);
	json_uint(j, "t_start_ns", c->start);
	json_uint(j, "interval_ns", interval);
	json_uint(j, "bytes_sent", c->bytes_sent);
	json_uint(j, "bytes_received", c->bytes_received);
	if (c->last_received)
		json_uint(j, "t_last_received_ns", c->last_received);
	else
		json_null(j, "t_last_received_ns");
	json_uint_array(j, "sent_per_interval", c->sent_iv);
	json_uint_array(j, "received_per_interval", c->recv_iv);
	json_begin_array(j, "samples");
	for (guint i = 0; i < c->samples->len; i++) {
		const struct vsock_sample *s = &g_array_index(c->samples, struct vsock_sample, i);

		json_begin_object(j, NULL);
		json_uint(j, "t_ns", s->t);
		json_int(j, "peer_free", s->peer_free);
		json_uint(j, "tx_cnt", s->tx_cnt);
		json_uint(j, "peer_fwd_cnt", s->peer_fwd_cnt);
		json_uint(j, "peer_buf_alloc", s->peer_buf_alloc);
		json_uint(j, "fwd_cnt", s->fwd_cnt);
		json_uint(j, "rx_bytes", s->rx_bytes);
		json_uint(j, "buf_alloc", s->buf_alloc);
		json_bool(j, "sender_blocked", s->blocked);
		json_end_object(j);
	}
	json_end_array(j);
	json_end_object(j);
}

void scn_vsock_results(struct scn_run *r, struct json *j)
{
	const struct vsock_world *vw = r->world->vsock;

	if (!vw)
		return;
	json_begin_object(j, "vsock");
	json_uint(j, "interval_ns", r->vsock_stats->interval);
	json_begin_object(j, "packets");
	write_op_counts(j, "sent", run_acct(r)->sent);
	write_op_counts(j, "delivered", run_acct(r)->delivered);
	write_op_counts(j, "dropped", run_acct(r)->dropped);
	write_op_counts(j, "cancelled", run_acct(r)->cancelled);
	json_end_object(j);
	json_begin_object(j, "counters");
	for (guint i = 0; i < r->world->hosts->len; i++) {
		const struct host *h = r->world->hosts->pdata[i];

		if (!h->net.vsock)
			continue;
		json_begin_object(j, h->name);
		for (int c = 0; c < VSOCK_CTR_MAX; c++)
			if (h->net.vsock->ctr[c])
				json_uint(j, vsock_counter_names[c], h->net.vsock->ctr[c]);
		json_end_object(j);
	}
	json_end_object(j);
	write_devices(j, vw, r->vsock_stats);
	json_begin_array(j, "connections");
	for (guint i = 0; i < vw->socks->len; i++) {
		const struct vsock_sock *vsk = vw->socks->pdata[i];
		const struct vsock_conn_stats *c = vsock_stats_of(r->vsock_stats, vsk);

		if (c && c->start)
			write_connection(j, vsk, c, r->vsock_stats->interval);
	}
	json_end_array(j);
	json_begin_array(j, "faults");
	for (guint i = 0; i < vw->faults->len; i++) {
		const struct vsock_fault *f = vw->faults->pdata[i];

		json_begin_object(j, NULL);
		json_str(j, "rule", f->label);
		json_uint(j, "fired", f->st.fired);
		json_end_object(j);
	}
	json_end_array(j);
	json_end_object(j);
}
