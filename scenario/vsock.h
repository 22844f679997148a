/* SPDX-License-Identifier: MIT */
/*
 * The scenario language's AF_VSOCK / virtio-vsock part (docs/scenario-language.md
 * "virtio-vsock"): the `virtio-vsock` directive, vsock:CID:PORT addresses,
 * the vsock-* fault rules, vsock counters, and the results' "vsock" section.
 * check.c, run.c, expect.c and results.c call these hooks.
 */
#ifndef SIM_SCENARIO_VSOCK_H
#define SIM_SCENARIO_VSOCK_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "ast.h"

struct scn_plan;
struct scn_run;
struct sock_rec;
struct sock;
struct sockaddr_sim;
struct json;

/* Checker hooks: false (with @error set) on a semantic error. */
bool scn_vsock_check_device(const struct scn_stmt *st, struct scn_plan *plan, GError **error);
/* For check_fault.c: vsock-* fault rules need a device; dev=GUEST names one; op=A|B. */
bool scn_vsock_has_devices(const struct scn_plan *plan);
int scn_vsock_guest_device(const struct scn_plan *plan, const struct scn_value *v, GError **error);
bool scn_vsock_op_mask(const struct scn_value *v, uint32_t *mask, GError **error);
/* @v is "vsock:CID:PORT[:FLAGS]" (an identifier starting with "vsock:"). */
bool scn_vsock_addr(const struct scn_value *v, struct sockaddr_sim *addr, GError **error);
bool scn_vsock_constant(const char *name, int64_t *val);
/* "HOST.VsockKicks" or "vsock.sent|delivered|dropped|cancelled.OP" */
bool scn_vsock_counter_known(const struct scn_plan *plan, const char *name);
void scn_vsock_plan_free(struct scn_plan *plan);

/* Runner hooks. */
void scn_vsock_build(struct scn_run *r);
void scn_vsock_sock_addrs(struct sock_rec *s, const struct sock *sk);
bool scn_vsock_counter_value(const struct scn_run *r, const char *name, int64_t *out);
/* End-of-run invariants; "" when they hold.  Returns false on a violation. */
bool scn_vsock_invariants(struct scn_run *r, GString *err);
bool scn_vsock_present(const struct scn_run *r);

/* Results hooks. */
void scn_vsock_format_addr(const struct sock_rec *s, bool local, char *buf, size_t len);
void scn_vsock_results(struct scn_run *r, struct json *j);

#endif
