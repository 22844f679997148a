/* SPDX-License-Identifier: MIT */
/* Not kernel code: the end-of-run invariants of the virtio-vsock path. */
#ifndef OBSERVERS_VSOCK_INVARIANTS_H
#define OBSERVERS_VSOCK_INVARIANTS_H

#include <glib.h>
#include <stdbool.h>

#include "env/vsock.h"

/* Check @w after its run; false with the failures appended to @err ("; "-separated). */
bool vsock_invariants_check(struct world *w, GString *err);

#endif
