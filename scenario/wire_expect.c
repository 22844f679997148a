/* SPDX-License-Identifier: MIT */
/*
 * Not kernel code: expectations on the wire (scenario/wire_expect.h).
 * The checker half reads "TIME wire HOST out|in FLAGS|OP key=value..."
 * lines; the runner half is an observer of the packet events that records
 * the packets of the hosts the lines name, with seq/ack already relative
 * to each direction's ISN (learned from every TCP packet sent: a SYN, or
 * the first packet of a direction, sets it), and the evaluation matches
 * them in order.
 */
#include "wire_expect.h"

#include <string.h>

#include "check_private.h"
#include "env/world.h"
#include "linux/virtio_vsock.h"
#include "net/inet_ecn.h"
#include "net/sock.h"
#include "net/skb.h"
#include "net/tcp.h"
#include "sim/sim.h"
#include "sim/trace.h"

void scn_wire_flags_text(uint8_t flags, GString *s)
{
	static const struct { uint8_t bit; char c; } letters[] = {
		{ TCPHDR_SYN, 'S' }, { TCPHDR_FIN, 'F' }, { TCPHDR_RST, 'R' }, { TCPHDR_PSH, 'P' },
		{ TCPHDR_ECE, 'E' }, { TCPHDR_CWR, 'W' },
	};
	gsize before = s->len;

	for (size_t i = 0; i < G_N_ELEMENTS(letters); i++)
		if (flags & letters[i].bit)
			g_string_append_c(s, letters[i].c);
	if (flags & TCPHDR_ACK)
		g_string_append_c(s, '.');
	if (s->len == before)
		g_string_append(s, "none");
}

static void append_time(GString *s, sim_time_t t)
{
	char buf[40];

	sim_time_format(t, buf, sizeof(buf));
	g_string_append_printf(s, "%ss", buf);
}

/* The canonical text of an expectation: "local out S. seq=0 ack=1 mss=1460 at 0.1s ~ 1ms". */
static char *exp_text(const struct wire_exp *e, const char *host)
{
	GString *s = g_string_new(NULL);

	g_string_append_printf(s, "%s %s ", host, e->out ? "out" : "in");
	if (e->end) {
		g_string_append_printf(s, "%s: no more %s packets", e->vsock ? "vsock-end" : "end",
				       e->vsock ? "vsock" : "TCP");
		return g_string_free(s, FALSE);
	}
	if (e->vsock) {
		g_string_append(s, virtio_vsock_op_name((unsigned int)e->op));
		if (e->has & WX_LEN) g_string_append_printf(s, " len=%u", e->len);
		if (e->has & WX_VFLAGS) g_string_append_printf(s, " flags=%u", e->vflags);
		if (e->has & WX_BUF_ALLOC) g_string_append_printf(s, " buf_alloc=%u", e->buf_alloc);
		if (e->has & WX_FWD_CNT) g_string_append_printf(s, " fwd_cnt=%u", e->fwd_cnt);
	} else {
		scn_wire_flags_text(e->flags, s);
		if (e->has & WX_SPORT) g_string_append_printf(s, " sport=%u", e->sport);
		if (e->has & WX_DPORT) g_string_append_printf(s, " dport=%u", e->dport);
		if (e->has & WX_SEQ) g_string_append_printf(s, " seq=%u", e->seq);
		if (e->has & WX_ACK) g_string_append_printf(s, " ack=%u", e->ack);
		if (e->has & WX_LEN) g_string_append_printf(s, " len=%u", e->len);
		if (e->has & WX_WIN) g_string_append_printf(s, " win=%u", e->win);
		if (e->has & WX_MSS) g_string_append_printf(s, " mss=%u", e->mss);
		if (e->has & WX_WSCALE) g_string_append_printf(s, " wscale=%u", e->wscale);
		if (e->has & WX_SACKOK) g_string_append_printf(s, " sackok=%d", e->sackok);
		if (e->has & WX_TS) g_string_append_printf(s, " ts=%d", e->ts);
		if (e->has & WX_ECN)
			g_string_append_printf(s, " ecn=%s", e->ecn == ECN_ECT01 ? "ect01" : skb_ecn_name((uint8_t)e->ecn));
		if (e->has & WX_SACK) {
			if (!e->nsacks)
				g_string_append(s, " sack=none");
			for (int i = 0; i < e->nsacks; i++)
				g_string_append_printf(s, " sack=%u-%u", e->sack[i][0], e->sack[i][1]);
		}
		if (e->has & WX_OPTS) g_string_append(s, " options=exact");
		if (e->gso) g_string_append(s, e->gso == WX_GSO_PACKETS ? " gso=1" : " gso=sw");
	}
	g_string_append(s, " at ");
	if (e->any_time) {
		g_string_append(s, "any time");
	} else {
		append_time(s, e->time);
		if (e->tol) {
			g_string_append(s, " ~ ");
			append_time(s, e->tol);
		}
	}
	return g_string_free(s, FALSE);
}

void scn_wire_plan_add(struct scn_plan *plan, struct wire_exp *e)
{
	if (!plan->wire) {
		plan->wire = g_new0(struct scn_wire_plan, 1);
		plan->wire->exps = g_ptr_array_new();
	}
	if (!e->text)
		e->text = exp_text(e, ((struct plan_host *)plan->hosts->pdata[e->host])->name);
	g_ptr_array_add(plan->wire->exps, e);
}

void scn_wire_plan_free(struct scn_wire_plan *wp)
{
	if (!wp)
		return;
	for (guint i = 0; i < wp->exps->len; i++) {
		struct wire_exp *e = wp->exps->pdata[i];

		g_free(e->text);
		g_free(e);
	}
	g_ptr_array_free(wp->exps, TRUE);
	g_free(wp);
}

static bool parse_tcp_flags(const char *text, uint8_t *flags)
{
	*flags = 0;
	for (const char *f = text; *f; f++) {
		switch (*f) {
		case 'S': *flags |= TCPHDR_SYN; break;
		case 'F': *flags |= TCPHDR_FIN; break;
		case 'R': *flags |= TCPHDR_RST; break;
		case 'P': *flags |= TCPHDR_PSH; break;
		case 'A': case '.': *flags |= TCPHDR_ACK; break;
		case 'E': *flags |= TCPHDR_ECE; break;
		case 'W': *flags |= TCPHDR_CWR; break;
		default: return false;
		}
	}
	return true;
}

static bool u32_opt(struct checker *c, const struct scn_opt *o, uint32_t max, uint32_t *out)
{
	int64_t v;

	if (!value_int(c, &o->val, &v))
		return false;
	if (v < 0 || v > (int64_t)max) {
		FAIL(c, &o->val.loc, "%s expects an integer 0..%u, found '%s'", o->key, max, o->val.text);
		return false;
	}
	*out = (uint32_t)v;
	return true;
}

static const struct { const char *key; unsigned int bit; uint32_t max; bool vsock; } wire_keys[] = {
	{ "seq", WX_SEQ, UINT32_MAX, false }, { "ack", WX_ACK, UINT32_MAX, false },
	{ "len", WX_LEN, UINT32_MAX, false }, { "win", WX_WIN, 65535, false },
	{ "mss", WX_MSS, 65535, false }, { "wscale", WX_WSCALE, 14, false },
	{ "sackok", WX_SACKOK, 1, false }, { "ts", WX_TS, 1, false },
	{ "sport", WX_SPORT, 65535, false }, { "dport", WX_DPORT, 65535, false },
	{ "len", WX_LEN, UINT32_MAX, true }, { "flags", WX_VFLAGS, UINT32_MAX, true },
	{ "buf_alloc", WX_BUF_ALLOC, UINT32_MAX, true }, { "fwd_cnt", WX_FWD_CNT, UINT32_MAX, true },
};

static void set_field(struct wire_exp *e, unsigned int bit, uint32_t v)
{
	switch (bit) {
	case WX_SEQ: e->seq = v; break;
	case WX_ACK: e->ack = v; break;
	case WX_LEN: e->len = v; break;
	case WX_WIN: e->win = v; break;
	case WX_MSS: e->mss = (uint16_t)v; break;
	case WX_WSCALE: e->wscale = (uint8_t)v; break;
	case WX_SACKOK: e->sackok = v != 0; break;
	case WX_TS: e->ts = v != 0; break;
	case WX_SPORT: e->sport = (uint16_t)v; break;
	case WX_DPORT: e->dport = (uint16_t)v; break;
	case WX_VFLAGS: e->vflags = v; break;
	case WX_BUF_ALLOC: e->buf_alloc = v; break;
	case WX_FWD_CNT: e->fwd_cnt = v; break;
	default: break;
	}
}

/* The options every wire line may take besides the fields. */
static bool common_opt(struct checker *c, struct wire_exp *e, const struct scn_opt *o)
{
	if (strcmp(o->key, "tol") == 0) {
		if (o->val.kind == SCN_V_IDENT && strcmp(o->val.text, "any") == 0)
			e->any_time = true;
		else if (o->val.kind == SCN_V_INT && o->val.i == 0)
			e->tol = 0;
		else if (o->val.kind != SCN_V_TIME || o->val.relative)
			FAIL(c, &o->val.loc, "tol expects a time or 'any', found '%s'", o->val.text);
		else
			e->tol = o->val.t;
		return true;
	}
	if (!e->vsock && strcmp(o->key, "gso") == 0) {
		if (o->val.kind == SCN_V_INT && (o->val.i == 0 || o->val.i == 1))
			e->gso = o->val.i ? WX_GSO_PACKETS : WX_GSO_NONE;
		else if (o->val.kind == SCN_V_IDENT && strcmp(o->val.text, "sw") == 0)
			e->gso = WX_GSO_SEGMENTS;
		else
			FAIL(c, &o->val.loc, "gso expects 0, 1 or sw, found '%s'", o->val.text);
		return true;
	}
	if (!e->vsock && strcmp(o->key, "ecn") == 0) {
		int ecn = o->val.kind == SCN_V_IDENT ? skb_ecn_from_name(o->val.text) : -1;

		if (o->val.kind == SCN_V_IDENT && strcmp(o->val.text, "ect01") == 0)
			ecn = ECN_ECT01;
		if (ecn < 0)
			FAIL(c, &o->val.loc, "ecn expects noecn, ect0, ect1, ect01 or ce, found '%s'", o->val.text);
		e->ecn = ecn;
		e->has |= WX_ECN;
		return true;
	}
	if (!e->vsock && strcmp(o->key, "options") == 0) {
		if (o->val.kind != SCN_V_IDENT || strcmp(o->val.text, "exact") != 0)
			FAIL(c, &o->val.loc, "options expects 'exact', found '%s'", o->val.text);
		e->has |= WX_OPTS;
		return true;
	}
	if (!e->vsock && strcmp(o->key, "sack") == 0) {
		e->has |= WX_SACK;
		if (o->val.kind == SCN_V_IDENT && strcmp(o->val.text, "none") == 0)
			return true;
		if (o->val.kind != SCN_V_RANGE || o->val.time_range || e->nsacks >= SKB_MAX_SACKS ||
		    o->val.i_hi > UINT32_MAX) {
			FAIL(c, &o->val.loc, "sack expects a relative range START-END (at most %d) or 'none', found '%s'",
			     SKB_MAX_SACKS, o->val.text);
			return true;
		}
		e->sack[e->nsacks][0] = (uint32_t)o->val.i;
		e->sack[e->nsacks][1] = (uint32_t)o->val.i_hi;
		e->nsacks++;
		return true;
	}
	return false;
}

void scn_wire_check(struct checker *c, const struct scn_stmt *st)
{
	const struct scn_value *hv = word(c, st, 0, "a host, 'out' or 'in' and TCP flags or a vsock op");
	const struct scn_value *dv = word(c, st, 1, "'out' (the host sends) or 'in' (it receives)");
	const struct scn_value *fv = word(c, st, 2, "TCP flags (S, S., ., P., F., R) or a vsock op (REQUEST, RW, ...)");
	const struct scn_wire_plan *wp = c->plan->wire;
	struct wire_exp *e;
	int op;

	if (!hv || !dv || !fv)
		return;
	e = g_new0(struct wire_exp, 1);
	e->line = (int)st->loc.line;
	e->host = host_word(c, hv);
	if (strcmp(dv->text, "out") == 0)
		e->out = true;
	else if (strcmp(dv->text, "in") != 0)
		FAIL(c, &dv->loc, "expected 'out' (the host sends) or 'in' (it receives), found '%s'", dv->text);
	op = virtio_vsock_op_from_name(fv->text);
	if (strcmp(fv->text, "end") == 0 || strcmp(fv->text, "vsock-end") == 0) {
		e->end = true;
		e->vsock = fv->text[0] == 'v';
	} else if (op > 0) {
		e->vsock = true;
		e->op = op;
	} else if (!parse_tcp_flags(fv->text, &e->flags)) {
		FAIL(c, &fv->loc, "expected TCP flags (letters S F R P E W, and A or '.' for ACK: S., P., F.) "
		     "or a vsock op (REQUEST RESPONSE RST SHUTDOWN RW CREDIT_UPDATE CREDIT_REQUEST), found '%s'",
		     fv->text);
	}
	/* +T: after the previous wire line */
	e->time = st->time.t;
	if (st->time.relative && wp && wp->exps->len)
		e->time = sim_time_add(((struct wire_exp *)wp->exps->pdata[wp->exps->len - 1])->time, st->time.t);
	no_extra_words(c, st, 3);
	for (guint i = 0; i < st->opts->len && !c->failed; i++) {
		const struct scn_opt *o = st->opts->pdata[i];
		size_t k;

		if (common_opt(c, e, o))
			continue;
		for (k = 0; k < G_N_ELEMENTS(wire_keys); k++)
			if (wire_keys[k].vsock == e->vsock && strcmp(wire_keys[k].key, o->key) == 0)
				break;
		if (k == G_N_ELEMENTS(wire_keys)) {
			FAIL(c, &o->loc, "unknown key '%s' on a %s wire line (expected %s)", o->key,
			     e->vsock ? "vsock" : "TCP",
			     e->vsock ? "len, flags, buf_alloc, fwd_cnt, tol" :
			     "seq, ack, len, win, mss, wscale, sackok, ts, sack, sport, dport, options, gso, tol");
			break;
		} else {
			uint32_t v;

			if (u32_opt(c, o, wire_keys[k].max, &v)) {
				e->has |= wire_keys[k].bit;
				set_field(e, wire_keys[k].bit, v);
			}
		}
	}
	if (c->failed) {
		g_free(e);
		return;
	}
	scn_wire_plan_add(c->plan, e);
}

uint16_t scn_inject_learned_port(const GPtrArray *all_socks, const struct net *to, uint32_t from_addr,
				 uint16_t sport)
{
	/* the newest socket of @to connected to the peer: all_socks is in creation order */
	for (guint i = all_socks->len; i-- > 0;) {
		const struct sock *sk = g_ptr_array_index(all_socks, i);

		if (sk && sk->sk_net == to && sk->hashed && sk->sk_state != TCP_LISTEN &&
		    sk->inet_dport == sport && sk->inet_daddr == from_addr)
			return sk->inet_num;
	}
	return 0;
}

/* ---- the runner's recorder ---- */

struct wire_pkt {
	sim_time_t t;
	bool vsock;
	struct sk_buff skb;		/* TCP: seq/ack/SACK made relative */
	struct virtio_vsock_hdr hdr;	/* vsock */
	uint32_t vlen;
};

enum { STREAM_TCP_OUT, STREAM_TCP_IN, STREAM_VSOCK_OUT, STREAM_VSOCK_IN, STREAMS };

/* An expectation's time as the run worked it out (scn_wire_rec_set_time). */
struct wire_when {
	bool set, any;
	sim_time_t time, tol;
};

struct wire_rec {
	const struct scn_plan *plan;
	struct world *world;
	struct trace_subscriber sub;
	GHashTable *host_slot;	/* struct net * -> slot + 1, hosts named by a line */
	GArray **streams;	/* [slot * STREAMS + stream]: struct wire_pkt */
	guint *cursor;		/* next unmatched packet per stream */
	int *slot_of_host;	/* plan host index -> slot, -1 */
	GHashTable *isn;	/* "saddr:sport>daddr:dport" -> ISN + 1 (GUINT_TO_POINTER) */
	GArray *syns;		/* struct wire_syn: every SYN sent, in order */
	void (*notify)(void *ctx);	/* a TCP packet was sent by a host a line names */
	void *notify_ctx;
	struct wire_when *when;	/* per expectation: the time and tolerance the run set, or NULL */
};

struct wire_syn {
	uint32_t saddr, daddr, seq;
	uint16_t source, dest;
};

static char *flow_key(uint32_t sa, uint16_t sp, uint32_t da, uint16_t dp)
{
	return g_strdup_printf("%08x:%04x>%08x:%04x", sa, sp, da, dp);
}

static bool lookup_isn(struct wire_rec *wr, uint32_t sa, uint16_t sp, uint32_t da, uint16_t dp,
		       uint32_t *isn)
{
	g_autofree char *k = flow_key(sa, sp, da, dp);
	gpointer v;

	if (!g_hash_table_lookup_extended(wr->isn, k, NULL, &v))
		return false;
	*isn = (uint32_t)GPOINTER_TO_SIZE(v);
	return true;
}

static void learn_isn(struct wire_rec *wr, const struct sk_buff *skb)
{
	uint32_t isn;

	if (skb->protocol != IPPROTO_TCP)
		return;
	if (skb->flags & TCPHDR_SYN) {
		struct wire_syn syn = { .saddr = skb->saddr, .daddr = skb->daddr, .seq = skb->seq,
					.source = skb->source, .dest = skb->dest };

		g_array_append_val(wr->syns, syn);
	}
	if (!(skb->flags & TCPHDR_SYN) &&
	    lookup_isn(wr, skb->saddr, skb->source, skb->daddr, skb->dest, &isn))
		return;
	g_hash_table_insert(wr->isn, flow_key(skb->saddr, skb->source, skb->daddr, skb->dest),
			    GSIZE_TO_POINTER((gsize)skb->seq));
}

static void record_tcp(struct wire_rec *wr, struct net *net, const struct sk_buff *skb, int stream)
{
	gpointer slot = g_hash_table_lookup(wr->host_slot, net);
	struct wire_pkt p = { 0 };
	uint32_t isn;

	if (!slot || skb->protocol != IPPROTO_TCP)
		return;
	p.t = net_now(net);
	p.skb = *skb;
	if (lookup_isn(wr, skb->saddr, skb->source, skb->daddr, skb->dest, &isn))
		p.skb.seq -= isn;
	if (lookup_isn(wr, skb->daddr, skb->dest, skb->saddr, skb->source, &isn)) {
		if (skb->flags & TCPHDR_ACK)
			p.skb.ack_seq -= isn;
		for (int i = 0; i < skb->num_sacks && i < SKB_MAX_SACKS; i++) {
			p.skb.sack[i].start_seq -= isn;
			p.skb.sack[i].end_seq -= isn;
		}
	}
	g_array_append_val(wr->streams[(GPOINTER_TO_SIZE(slot) - 1) * STREAMS + (gsize)stream], p);
	if (stream == STREAM_TCP_OUT && wr->notify)
		wr->notify(wr->notify_ctx);
}

static void on_net_xmit(void *ctx, struct net *from, const struct sk_buff *skb)
{
	struct wire_rec *wr = ctx;

	learn_isn(wr, skb);
	record_tcp(wr, from, skb, STREAM_TCP_OUT);
}

static void on_net_rcv(void *ctx, struct net *to, const struct sk_buff *skb)
{
	record_tcp(ctx, to, skb, STREAM_TCP_IN);
}

static void record_vsock(struct wire_rec *wr, struct net *net, const struct virtio_vsock_pkt *pkt,
			 int stream)
{
	gpointer slot = g_hash_table_lookup(wr->host_slot, net);
	struct wire_pkt p = { 0 };

	if (!slot)
		return;
	p.t = net_now(net);
	p.vsock = true;
	p.hdr = pkt->hdr;
	g_array_append_val(wr->streams[(GPOINTER_TO_SIZE(slot) - 1) * STREAMS + (gsize)stream], p);
}

static void on_vsock_xmit(void *ctx, struct net *from, const struct virtio_vsock_pkt *pkt)
{
	record_vsock(ctx, from, pkt, STREAM_VSOCK_OUT);
}

static void on_vsock_rcv(void *ctx, struct net *to, const struct virtio_vsock_pkt *pkt)
{
	record_vsock(ctx, to, pkt, STREAM_VSOCK_IN);
}

struct wire_rec *scn_wire_rec_new(const struct scn_plan *plan, struct world *w)
{
	struct wire_rec *wr;
	guint nslots = 0;

	if (!plan->wire)
		return NULL;
	wr = g_new0(struct wire_rec, 1);
	wr->plan = plan;
	wr->world = w;
	wr->host_slot = g_hash_table_new(g_direct_hash, g_direct_equal);
	wr->isn = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	wr->syns = g_array_new(FALSE, FALSE, sizeof(struct wire_syn));
	wr->slot_of_host = g_new(int, plan->hosts->len);
	for (guint i = 0; i < plan->hosts->len; i++)
		wr->slot_of_host[i] = -1;
	for (guint i = 0; i < plan->wire->exps->len; i++) {
		const struct wire_exp *e = plan->wire->exps->pdata[i];

		if (wr->slot_of_host[e->host] < 0) {
			struct host *h = w->hosts->pdata[e->host];

			wr->slot_of_host[e->host] = (int)nslots++;
			g_hash_table_insert(wr->host_slot, &h->net, GUINT_TO_POINTER(nslots));
		}
	}
	wr->streams = g_new(GArray *, nslots * STREAMS);
	wr->cursor = g_new0(guint, nslots * STREAMS);
	for (guint i = 0; i < nslots * STREAMS; i++)
		wr->streams[i] = g_array_new(FALSE, TRUE, sizeof(struct wire_pkt));
	wr->sub = (struct trace_subscriber){
		.ctx = wr, .net_xmit = on_net_xmit, .net_rcv = on_net_rcv,
		.vsock_pkt_xmit = on_vsock_xmit, .vsock_pkt_rcv = on_vsock_rcv,
	};
	trace_subscribe(&w->ks, &wr->sub);
	return wr;
}

void scn_wire_rec_free(struct wire_rec *wr)
{
	guint n;

	if (!wr)
		return;
	trace_unsubscribe(&wr->world->ks, &wr->sub);
	n = g_hash_table_size(wr->host_slot) * STREAMS;
	for (guint i = 0; i < n; i++)
		g_array_free(wr->streams[i], TRUE);
	g_free(wr->streams);
	g_free(wr->cursor);
	g_free(wr->slot_of_host);
	g_free(wr->when);
	g_hash_table_unref(wr->host_slot);
	g_hash_table_unref(wr->isn);
	g_array_free(wr->syns, TRUE);
	g_free(wr);
}

bool scn_wire_rec_last_syn(struct wire_rec *wr, uint32_t to_addr, uint32_t from_addr, uint16_t sport,
			   uint16_t *port, uint32_t *isn)
{
	for (guint i = wr ? wr->syns->len : 0; i-- > 0;) {
		const struct wire_syn *syn = &g_array_index(wr->syns, struct wire_syn, i);

		if (syn->saddr == to_addr && syn->daddr == from_addr && syn->dest == sport) {
			*port = syn->source;
			*isn = syn->seq;
			return true;
		}
	}
	return false;
}

/* ---- matching ---- */

static void pkt_text(const struct wire_pkt *p, GString *s)
{
	if (p->vsock) {
		g_string_append_printf(s, "%s len=%u flags=%u buf_alloc=%u fwd_cnt=%u",
				       virtio_vsock_op_name(p->hdr.op), p->hdr.len, p->hdr.flags,
				       p->hdr.buf_alloc, p->hdr.fwd_cnt);
	} else {
		const struct sk_buff *k = &p->skb;

		scn_wire_flags_text(k->flags, s);
		g_string_append_printf(s, " sport=%u dport=%u seq=%u", k->source, k->dest, k->seq);
		if (k->flags & TCPHDR_ACK)
			g_string_append_printf(s, " ack=%u", k->ack_seq);
		g_string_append_printf(s, " len=%u win=%u", k->len, k->window);
		if (k->mss) g_string_append_printf(s, " mss=%u", k->mss);
		if (k->wscale != 0xff && (k->flags & TCPHDR_SYN)) g_string_append_printf(s, " wscale=%u", k->wscale);
		if (k->sack_perm) g_string_append(s, " sackok=1");
		if (k->ts_ok) g_string_append(s, " ts=1");
		if (k->ecn) g_string_append_printf(s, " ecn=%s", skb_ecn_name(k->ecn));
		for (int i = 0; i < k->num_sacks && i < SKB_MAX_SACKS; i++)
			g_string_append_printf(s, " sack=%u-%u", k->sack[i].start_seq, k->sack[i].end_seq);
	}
	g_string_append(s, " at ");
	append_time(s, p->t);
}

static bool tcp_matches(const struct wire_exp *e, const struct sk_buff *k, uint32_t len)
{
	bool has_wscale = (k->flags & TCPHDR_SYN) && k->wscale != 0xff;

	if (k->flags != e->flags)
		return false;
	if ((e->has & WX_SEQ) && k->seq != e->seq) return false;
	if ((e->has & WX_ACK) && k->ack_seq != e->ack) return false;
	if ((e->has & WX_LEN) && len != e->len) return false;
	if ((e->has & WX_WIN) && k->window != e->win) return false;
	if ((e->has & WX_ECN) && (e->ecn == ECN_ECT01 ? k->ecn != INET_ECN_ECT_0 && k->ecn != INET_ECN_ECT_1 :
				  k->ecn != e->ecn))
		return false;
	if ((e->has & WX_SPORT) && k->source != e->sport) return false;
	if ((e->has & WX_DPORT) && k->dest != e->dport) return false;
	if (((e->has & WX_MSS) || (e->has & WX_OPTS)) && k->mss != ((e->has & WX_MSS) ? e->mss : 0))
		return false;
	if ((e->has & WX_WSCALE) ? !has_wscale || k->wscale != e->wscale : ((e->has & WX_OPTS) && has_wscale))
		return false;
	if (((e->has & WX_SACKOK) || (e->has & WX_OPTS)) && k->sack_perm != ((e->has & WX_SACKOK) && e->sackok))
		return false;
	/* timestamps are modelled on SYNs only (tcp_output.c: no TS option on other segments) */
	if ((k->flags & TCPHDR_SYN) && ((e->has & WX_TS) || (e->has & WX_OPTS)) &&
	    k->ts_ok != ((e->has & WX_TS) && e->ts))
		return false;
	if ((e->has & WX_SACK) || ((e->has & WX_OPTS) && k->num_sacks)) {
		if (k->num_sacks != e->nsacks)
			return false;
		for (int i = 0; i < e->nsacks; i++)
			if (k->sack[i].start_seq != e->sack[i][0] || k->sack[i].end_seq != e->sack[i][1])
				return false;
	}
	return true;
}

static bool vsock_matches(const struct wire_exp *e, const struct virtio_vsock_hdr *h)
{
	if (h->op != e->op) return false;
	if ((e->has & WX_LEN) && h->len != e->len) return false;
	if ((e->has & WX_VFLAGS) && h->flags != e->vflags) return false;
	if ((e->has & WX_BUF_ALLOC) && h->buf_alloc != e->buf_alloc) return false;
	if ((e->has & WX_FWD_CNT) && h->fwd_cnt != e->fwd_cnt) return false;
	return true;
}

void scn_wire_rec_notify(struct wire_rec *wr, void (*fn)(void *ctx), void *ctx)
{
	wr->notify = fn;
	wr->notify_ctx = ctx;
}

void scn_wire_rec_set_time(struct wire_rec *wr, guint i, sim_time_t time, sim_time_t tol, bool any)
{
	if (!wr->when)
		wr->when = g_new0(struct wire_when, wr->plan->wire->exps->len);
	wr->when[i] = (struct wire_when){ .set = true, .any = any, .time = time, .tol = tol };
}

/* The stream of expectation @e's packets. */
static guint stream_of(const struct wire_rec *wr, const struct wire_exp *e)
{
	return (guint)wr->slot_of_host[e->host] * STREAMS + (e->vsock ? STREAM_VSOCK_OUT : STREAM_TCP_OUT) +
	       (e->out ? 0 : 1);
}

/*
 * The TSO/GSO packet that begins at segment pk[from]: its segments run up to
 * the first one not followed by more of its packet (skb gso_more); its
 * length in *@len.  Returns how many segments it has.  With gso=sw the
 * device took the packet apart: each segment is one.
 */
static guint gso_packet(const struct wire_exp *e, const GArray *pk, guint from, uint32_t *len)
{
	guint n = 0;
	const struct wire_pkt *q;

	*len = 0;
	do {
		q = &g_array_index(pk, struct wire_pkt, from + n);
		*len += q->skb.len;
		n++;
	} while (e->gso == WX_GSO_PACKETS && !q->vsock && q->skb.gso_more && from + n < pk->len);
	return n;
}

/*
 * How many segments from pk[from] on @e takes, their sum in @agg.  gso=1
 * does what packetdrill's sniff_outbound_live_packet loop does with what
 * its tun device hands it (run_packet.c): whole TSO/GSO packets, added up
 * while their payload is short of len, each continuing the last from the
 * same instant; the sum need not come out at len (20 segments where the
 * script wants 16 are a 20-segment packet).  PSH/FIN and the window from
 * the last packet, as aggregate_packets() takes the last headers.  A packet
 * that is not the last one added must be as long as the one before it
 * (verify_packet_fragments); the first that is not sets frag[1] to its
 * length and frag[0] to the one before (both 0 when all are).  How many
 * packets were added up in *@npk.
 */
static guint gso_take(const struct wire_exp *e, const GArray *pk, guint from, struct sk_buff *agg,
		      uint32_t frag[2], guint *npk)
{
	const struct wire_pkt *p = &g_array_index(pk, struct wire_pkt, from);
	uint32_t prev_len;
	guint used;

	*agg = p->skb;
	frag[0] = frag[1] = 0;
	*npk = 1;
	if (p->vsock || !e->gso)
		return 1;
	used = gso_packet(e, pk, from, &prev_len);
	agg->len = prev_len;
	agg->flags = g_array_index(pk, struct wire_pkt, from + used - 1).skb.flags;
	while ((e->has & WX_LEN) && agg->len < e->len && from + used < pk->len) {
		const struct wire_pkt *q = &g_array_index(pk, struct wire_pkt, from + used);
		const struct sk_buff *qlast;
		uint32_t qlen;
		guint n;

		if (q->vsock || q->t != p->t || q->skb.seq != agg->seq + agg->len || q->skb.source != agg->source ||
		    q->skb.dest != agg->dest || (agg->flags & (TCPHDR_FIN | TCPHDR_SYN | TCPHDR_RST)))
			break;
		n = gso_packet(e, pk, from + used, &qlen);
		if (qlen < e->len - agg->len && qlen != prev_len && !frag[1])
			frag[0] = prev_len, frag[1] = qlen;
		qlast = &g_array_index(pk, struct wire_pkt, from + used + n - 1).skb;
		agg->len += qlen;
		agg->flags = qlast->flags;
		agg->ack_seq = qlast->ack_seq;
		agg->window = qlast->window;
		prev_len = qlen;
		used += n;
		++*npk;
	}
	return used;
}

bool scn_wire_take(struct wire_rec *wr, guint i, guint *cursor, sim_time_t *t)
{
	const struct wire_exp *e = wr->plan->wire->exps->pdata[i];
	const GArray *pk = wr->streams[stream_of(wr, e)];
	struct sk_buff agg;
	uint32_t frag[2];
	guint npk;

	if (*cursor >= pk->len)
		return false;
	*t = g_array_index(pk, struct wire_pkt, *cursor).t;
	*cursor += gso_take(e, pk, *cursor, &agg, frag, &npk);
	return true;
}

static bool time_ok(const struct wire_exp *e, sim_time_t t)
{
	sim_time_t d = t > e->time ? t - e->time : e->time - t;

	return e->any_time || d <= e->tol;
}

bool scn_wire_eval(struct wire_rec *wr, guint i, GString *exp, GString *act)
{
	const struct wire_exp *pe = wr->plan->wire->exps->pdata[i];
	struct wire_exp ex = *pe;
	const struct wire_exp *e = &ex;
	guint si = stream_of(wr, pe);
	GArray *pk = wr->streams[si];
	const struct wire_pkt *p;
	struct sk_buff agg;
	guint used = 1;
	bool ok;

	if (i == 0)	/* a new evaluation */
		memset(wr->cursor, 0, sizeof(*wr->cursor) * g_hash_table_size(wr->host_slot) * STREAMS);
	if (wr->when && wr->when[i].set &&
	    (wr->when[i].time != pe->time || wr->when[i].tol != pe->tol || wr->when[i].any != pe->any_time)) {
		g_autofree char *text = NULL;

		ex.time = wr->when[i].time;	/* the time the run worked out (a .pkt script) */
		ex.tol = wr->when[i].tol;
		ex.any_time = wr->when[i].any;
		text = exp_text(&ex, ((struct plan_host *)wr->plan->hosts->pdata[ex.host])->name);
		g_string_append(exp, text);
	} else {
		g_string_append(exp, e->text);
	}
	if (e->end) {
		if (wr->cursor[si] >= pk->len) {
			g_string_append(act, "none");
			return true;
		}
		g_string_append_printf(act, "%u more, the next ", pk->len - wr->cursor[si]);
		pkt_text(&g_array_index(pk, struct wire_pkt, wr->cursor[si]), act);
		return false;
	}
	if (wr->cursor[si] >= pk->len) {
		g_string_append_printf(act, "no more packets %s", e->out ? "sent" : "received");
		return false;
	}
	p = &g_array_index(pk, struct wire_pkt, wr->cursor[si]);
	if (p->vsock) {
		ok = vsock_matches(e, &p->hdr);
	} else {
		uint32_t frag[2];
		guint npk;

		used = gso_take(e, pk, wr->cursor[si], &agg, frag, &npk);
		ok = tcp_matches(e, &agg, agg.len) && !frag[1];
		if (used > 1) {
			struct wire_pkt shown = *p;

			shown.skb = agg;
			pkt_text(&shown, act);
			if (npk > 1)
				g_string_append_printf(act, " (%u packets, %u segments)", npk, used);
			else
				g_string_append_printf(act, " (%u segments)", used);
			if (frag[1])
				g_string_append_printf(act, " (fragment payload: expected %u bytes vs actual %u bytes)",
						       frag[0], frag[1]);
			ok = ok && time_ok(e, p->t);
			wr->cursor[si] += used;
			return ok;
		}
	}
	ok = ok && time_ok(e, p->t);
	pkt_text(p, act);
	wr->cursor[si] += used;
	return ok;
}
