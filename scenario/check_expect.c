/* SPDX-License-Identifier: MIT */
/*
 * Semantic checks of expect lines: socket states, counters, exits.
 */
#include <string.h>

#include "check_private.h"
#include "env/world.h"
#include "linux/errno_names.h"
#include "net/socket.h"
#include "net/tcp.h"
#include "names.h"
#include "suggest.h"
#include "vsock.h"

/*
 * The process an expect line names: a process, or an instance of a template
 * ("cli.3": instance 3 of program cli, which a start line starts).
 */
static void expect_proc(struct checker *c, const struct scn_value *pv, struct plan_expect *e)
{
	const char *dot = pv->kind == SCN_V_IDENT ? strrchr(pv->text, '.') : NULL;

	e->prog = -1;
	if (dot && find_proc(c->plan, pv->text) < 0 && dot[1] && strspn(dot + 1, "0123456789") == strlen(dot + 1)) {
		g_autofree char *name = g_strndup(pv->text, (gsize)(dot - pv->text));
		int pi = find_program(c->plan, name);
		const struct plan_program *prog = pi >= 0 ? c->plan->programs->pdata[pi] : NULL;

		if (prog && prog->proc < 0) {
			e->prog = pi;
			e->instance = g_ascii_strtoull(dot + 1, NULL, 10);
			e->proc = -1;
			if (e->instance >= prog->instances)
				FAIL(c, &pv->loc, "'%s' is not an instance of template '%s': its start lines start %s.0 to %s.%" G_GUINT64_FORMAT,
				     pv->text, name, name, name, prog->instances - 1);
			return;
		}
	}
	e->proc = proc_word(c, pv);
}

void check_expect(struct checker *c, const struct scn_stmt *st)
{
	const struct scn_value *kind = word(c, st, 0, "a kind: states, sock-states, counter or exit");
	struct plan_expect *e;

	if (!kind)
		return;
	e = g_new0(struct plan_expect, 1);
	g_ptr_array_add(c->plan->expects, e);
	e->line = (int)st->loc.line;
	e->states = g_array_new(FALSE, FALSE, sizeof(int));
	if (strcmp(kind->text, "states") == 0 || strcmp(kind->text, "sock-states") == 0) {
		bool sk = kind->text[0] == 's' && kind->text[1] == 't';
		const struct scn_value *pv = word(c, st, 1, "a process and a socket variable");
		const struct scn_value *vv = word(c, st, 2, "a socket variable");
		GString *txt = g_string_new(NULL);

		if (!pv || !vv) {
			g_string_free(txt, TRUE);
			return;
		}
		e->kind = sk ? EXP_STATES : EXP_SOCK_STATES;
		expect_proc(c, pv, e);
		e->var = g_strdup(vv->text);
		for (guint i = 3; i < st->words->len; i++) {
			const struct scn_value *s = st->words->pdata[i];
			int v = sk ? tcp_state_from_name(s->text) : socket_state_from_name(s->text);

			if (st->words->len == 4 && strcmp(s->text, "none") == 0) {
				/* the socket never leaves the state it was created in */
				g_string_append(txt, "none");
				e->none = true;
				continue;
			}

			if (v < 0)
				FAIL(c, &s->loc, "unknown %s '%s' (expected e.g. %s)", sk ? "TCP state" : "socket state",
				     s->text, sk ? "TCP_SYN_SENT, TCP_ESTABLISHED, TCP_CLOSE" : "SS_CONNECTING, SS_CONNECTED");
			g_array_append_val(e->states, v);
			g_string_append_printf(txt, "%s%s", i > 3 ? " " : "", s->text);
		}
		if (e->states->len == 0 && !e->none)
			FAIL(c, &vv->loc, "list the states the socket passes through after '%s' (or 'none')", vv->text);
		e->text = g_string_free(txt, FALSE);
	} else if (strcmp(kind->text, "counter") == 0) {
		const struct scn_opt *o;

		if (st->opts->len != 1) {
			FAIL(c, &kind->loc, "expected 'expect counter NAME = VALUE' (HOST.Counter or packets.sent.SYN)");
			return;
		}
		o = st->opts->pdata[0];
		e->kind = EXP_COUNTER;
		e->counter = g_strdup(o->key);
		if (o->val.kind != SCN_V_INT)
			FAIL(c, &o->val.loc, "expected an integer counter value, found '%s'", o->val.text);
		e->value = o->val.i;
		e->text = g_strdup_printf("%s = %" G_GINT64_FORMAT, o->key, o->val.i);
		{
			g_auto(GStrv) parts = g_strsplit(o->key, ".", -1);
			bool ok = false;

			if (g_strv_length(parts) == 3 && strcmp(parts[0], "packets") == 0)
				ok = (strcmp(parts[1], "sent") == 0 || strcmp(parts[1], "dropped") == 0 ||
				      strcmp(parts[1], "delivered") == 0) && pkt_kind_from_name(parts[2]) >= 0;
			else if (g_strv_length(parts) == 2 && find_host(c->plan, parts[0]) >= 0)
				for (int m = 0; m < MIB_MAX; m++)
					ok |= strcmp(mib_counter_names[m], parts[1]) == 0;
			ok = ok || scn_vsock_counter_known(c->plan, o->key);
			if (!ok) {
				g_autofree char *hint = scn_counter_hint(o->key);

				FAIL(c, &o->loc, "unknown counter '%s'%s (expected HOST.NAME with a MIB name such as TCPSynRetrans, or packets.sent|dropped|delivered.KIND; see `socksim list-counters`)",
				     o->key, hint);
			}
		}
	} else if (strcmp(kind->text, "exit") == 0) {
		const struct scn_value *pv = word(c, st, 1, "a process and a signal name (or 'none')");
		const struct scn_value *sv = word(c, st, 2, "a signal name, or 'none' for not killed");

		if (!pv || !sv)
			return;
		e->kind = EXP_EXIT;
		expect_proc(c, pv, e);
		e->sig = strcmp(sv->text, "none") == 0 ? 0 : signal_from_name(sv->text);
		if (strcmp(sv->text, "none") != 0 && !e->sig)
			FAIL(c, &sv->loc, "unknown signal '%s'", sv->text);
		e->text = g_strdup_printf("exit %s %s", pv->text, sv->text);
	} else {
		FAIL(c, &kind->loc, "unknown expectation '%s' (expected states, sock-states, counter or exit)",
		     kind->text);
	}
}

/* ---- driver ---- */
