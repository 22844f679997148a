/* SPDX-License-Identifier: MIT */
/*
 * Not kernel code: the packetdrill front end (docs/scenario-language.md,
 * "packetdrill scripts").  A .pkt script is read with packetdrill's
 * semantics and turned into a scenario: the local stack under test
 * (192.168.0.1, one process), a scripted remote peer (192.0.2.1) whose
 * inbound packets become `inject` lines, outbound packets `wire ... out`
 * expectations with packetdrill's tolerance, syscalls process lines with
 * their return values and times, backtick sysctls `sysctl` lines and
 * %{ assert tcpi_X == V }% blocks getsockopt(TCP_INFO) checks.  Every
 * statement keeps the .pkt file's line and column, so errors and failed
 * expectations name the script's own lines.
 */
#ifndef SIM_SCENARIO_PKT_H
#define SIM_SCENARIO_PKT_H

#include <stdbool.h>

#include "ast.h"

/* Does @path name a packetdrill script (ends in .pkt)? */
bool scn_is_pkt_path(const char *path);

/*
 * Read the packetdrill script @path.  @params are --set NAME=VALUE entries
 * without a '.': tolerance_usecs=N and tolerance_percent=P (packetdrill's
 * --tolerance_usecs, default 4000, and --tolerance_percent, default 12.5).
 * Errors: "FILE:LINE:COL: error: ..." (SCN_ERROR_SYNTAX; "not supported: ..."
 * for what socksim does not model).
 */
struct scn_script *scn_pkt_parse_file(const char *path, const char *const *params, GError **error);
struct scn_script *scn_pkt_parse_string(const char *name, const char *text,
					const char *const *params, GError **error);

/* The scenario text a script becomes (socksim check FILE.pkt --emit-scn, tests). */
char *scn_pkt_translate(const char *name, const char *text, const char *const *params,
			GError **error);

#endif
