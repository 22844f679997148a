/* SPDX-License-Identifier: MIT */
/* Not kernel code: the fault-kind table (env/include/env/fault_kinds.h). */
#include "env/fault_kinds.h"

#include <glib.h>
#include <string.h>

#include "env/vsock.h"

/* Loss, duplicate and reorder: each matching packet, with probability p. */
static bool fires_chance(const struct fault_params *p, struct fault_state *st)
{
	return sim_rng_chance_ppb(&st->rng, p->p_ppb);
}

/* Gilbert-Elliott: move between good and bad, then lose with h or k. */
static bool fires_gilbert(const struct fault_params *p, struct fault_state *st)
{
	if (st->gilbert_bad) {
		if (sim_rng_chance_ppb(&st->rng, p->r_ppb))
			st->gilbert_bad = false;
	} else if (sim_rng_chance_ppb(&st->rng, p->p_ppb)) {
		st->gilbert_bad = true;
	}
	return sim_rng_chance_ppb(&st->rng, st->gilbert_bad ? p->h_ppb : p->k_ppb);
}

/* The nth matching packet, or the first count, or every one. */
static bool fires_counted(const struct fault_params *p, struct fault_state *st)
{
	st->matched++;
	if (p->nth)
		return st->matched == p->nth;
	if (p->count)
		return st->matched <= p->count;
	return true;
}

static bool fires_always(const struct fault_params *p, struct fault_state *st)
{
	(void)p;
	(void)st;
	return true;
}

#define WIRE_KEYS " from to kind during"

static const struct fault_kind_ops fault_kinds[] = {
	{ "loss", FAULT_ON_WIRE, FAULT_LOSS, "p" WIRE_KEYS, "p", false,
	  fires_chance, FAULT_EFFECT_DROP, "drop" },
	{ "gilbert", FAULT_ON_WIRE, FAULT_GILBERT, "p r h k" WIRE_KEYS, "p", false,
	  fires_gilbert, FAULT_EFFECT_DROP, "drop" },
	{ "drop", FAULT_ON_WIRE, FAULT_DROP, "nth count" WIRE_KEYS, "", true,
	  fires_counted, FAULT_EFFECT_DROP, "drop" },
	{ "window", FAULT_ON_WIRE, FAULT_WINDOW, "action" WIRE_KEYS, "during", false,
	  fires_always, FAULT_EFFECT_DROP, "drop" },
	{ "delay", FAULT_ON_WIRE, FAULT_DELAY, "extra" WIRE_KEYS, "extra", false,
	  fires_always, FAULT_EFFECT_DELAY, "delay" },
	{ "duplicate", FAULT_ON_WIRE, FAULT_DUPLICATE, "p" WIRE_KEYS, "p", false,
	  fires_chance, FAULT_EFFECT_DUPLICATE, "duplicate" },
	{ "reorder", FAULT_ON_WIRE, FAULT_REORDER, "p extra" WIRE_KEYS, "p extra", false,
	  fires_chance, FAULT_EFFECT_DELAY, "delay" },
	{ "icmp", FAULT_ON_WIRE, FAULT_ICMP, "type router nth count" WIRE_KEYS, "type", false,
	  fires_counted, FAULT_EFFECT_ICMP, "icmp" },
	{ "ce", FAULT_ON_WIRE, FAULT_CE, "nth count" WIRE_KEYS, "", true,
	  fires_counted, FAULT_EFFECT_CE, "mark-ce" },
	/* The vsock device path (env/vsock.c): dev= picks the device, from= the sender. */
	{ "vsock-freeze", FAULT_ON_VSOCK, VSOCK_FAULT_FREEZE, "dev during", "during", false,
	  fires_always, FAULT_EFFECT_DROP, "freeze" },
	{ "vsock-rx-starve", FAULT_ON_VSOCK, VSOCK_FAULT_RX_STARVE, "dev during", "", false,
	  fires_always, FAULT_EFFECT_DROP, "no-rx-buffer" },
	{ "vsock-drop", FAULT_ON_VSOCK, VSOCK_FAULT_DROP, "from op nth count dev during", "", true,
	  fires_counted, FAULT_EFFECT_DROP, "drop" },
	{ "vsock-delay", FAULT_ON_VSOCK, VSOCK_FAULT_DELAY, "from op extra dev during", "extra", false,
	  fires_always, FAULT_EFFECT_DELAY, "delay" },
	{ "vsock-transport-reset", FAULT_ON_VSOCK, VSOCK_FAULT_RESET, "at dev", "at", false,
	  fires_always, FAULT_EFFECT_DROP, "event" },
};

const struct fault_kind_ops *fault_kind_at(unsigned int i)
{
	return i < G_N_ELEMENTS(fault_kinds) ? &fault_kinds[i] : NULL;
}

const struct fault_kind_ops *fault_kind_find(const char *name)
{
	for (size_t i = 0; i < G_N_ELEMENTS(fault_kinds); i++)
		if (strcmp(fault_kinds[i].name, name) == 0)
			return &fault_kinds[i];
	return NULL;
}

const struct fault_kind_ops *fault_kind_of(enum fault_domain domain, int kind)
{
	for (size_t i = 0; i < G_N_ELEMENTS(fault_kinds); i++)
		if (fault_kinds[i].domain == domain && fault_kinds[i].kind == kind)
			return &fault_kinds[i];
	return NULL;
}

bool fault_keys_have(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *s = list; (s = strstr(s, word)); s += n)
		if ((s == list || s[-1] == ' ') && (s[n] == ' ' || s[n] == '\0'))
			return true;
	return false;
}
