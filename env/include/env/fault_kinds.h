/* SPDX-License-Identifier: MIT */
/*
 * Not kernel code: the one table of fault kinds, on the wire and on the
 * virtio-vsock device path alike.  A row says what the kind is called, which
 * options it takes and which it cannot do without (the checker reads these),
 * when a rule that matches a packet fires and what firing does (the wire and
 * the vsock device read these).  Adding a fault kind: a row here, its enum
 * value, and what its effect does in env/fault.c or env/vsock.c.
 */
#ifndef MODELS_ENV_FAULT_KINDS_H
#define MODELS_ENV_FAULT_KINDS_H

#include <stdbool.h>

#include "env/fault.h"

enum fault_domain { FAULT_ON_WIRE, FAULT_ON_VSOCK };

/* What a wire rule does to the packet when it fires. */
enum fault_effect_kind {
	FAULT_EFFECT_DROP, FAULT_EFFECT_DELAY, FAULT_EFFECT_DUPLICATE, FAULT_EFFECT_ICMP,
	FAULT_EFFECT_CE,	/* an ECN-capable packet goes on marked CE (an AQM router) */
};

struct fault_kind_ops {
	const char *name;		/* as written after 'fault' */
	enum fault_domain domain;
	int kind;			/* enum fault_kind or enum vsock_fault_kind */
	const char *keys;		/* every option it takes, space-separated, in listing order */
	const char *needs;		/* options it cannot do without, space-separated */
	bool nth_or_count;		/* nth= and count= exclude each other */
	/* Does a rule of this kind that matches a packet fire?  Advances its state. */
	bool (*fires)(const struct fault_params *p, struct fault_state *st);
	enum fault_effect_kind effect;	/* wire kinds */
	const char *action;		/* action= in the fault_fire trace line */
};

/* The @i-th row (wire kinds first, then vsock), NULL past the end. */
const struct fault_kind_ops *fault_kind_at(unsigned int i);
const struct fault_kind_ops *fault_kind_find(const char *name);
const struct fault_kind_ops *fault_kind_of(enum fault_domain domain, int kind);
/* Does the space-separated @list hold @word? */
bool fault_keys_have(const char *list, const char *word);

#endif
