/* SPDX-License-Identifier: MIT */
/* libsocksim (socksim.h): the `socksim run` path as a library. */
#include "socksim/socksim.h"

#include <glib.h>
#include <stdlib.h>

#include "cli.h"
#include "run.h"
#include "socksim_version.h"

struct socksim_run {
	struct scn_plan *plan;
	struct scn_run *run;
	char **sets;			/* NULL-terminated; the run borrows it */
	uint64_t seed;
	bool seed_set;
	bool executed;
	const char *exit_kind;
	unsigned int failed;
	GString *report;
};

const char *socksim_version(void)
{
	return SOCKSIM_VERSION;
}

const char *socksim_revision(void)
{
	return SOCKSIM_REVISION;
}

struct socksim_run *socksim_run_load(const char *path, const char *const *sets, char **error)
{
	g_autoptr(GError) local_error = NULL;
	struct scn_plan *plan = cli_load(path, sets, &local_error);
	struct socksim_run *r;

	if (!plan) {
		if (error)	/* the library's API is plain C: a string, not a GError */
			*error = g_strdup(local_error->message);
		return NULL;
	}
	r = g_new0(struct socksim_run, 1);
	r->plan = plan;
	r->sets = sets ? g_strdupv((char **)sets) : g_new0(char *, 1);
	r->report = g_string_new(NULL);
	return r;
}

void socksim_run_set_seed(struct socksim_run *r, uint64_t seed)
{
	r->seed = seed;
	r->seed_set = true;
}

int socksim_run_execute(struct socksim_run *r)
{
	enum sim_run_result rr;

	if (r->executed)
		return -1;
	r->executed = true;
	r->run = scn_run_new(r->plan, &(struct scn_run_opts){
		.seed = r->seed, .seed_set = r->seed_set, .max_events = 100000000,
		.sets = (const char *const *)r->sets,
	});
	rr = scn_run_execute(r->run);
	r->failed = scn_run_evaluate(r->run, r->report, false);
	if (scn_run_limit_hit(r->run, rr))
		r->exit_kind = "run-limit";
	else
		r->exit_kind = r->failed ? "expectation-failed" : "ok";
	return cli_exit_of_kind(r->exit_kind);
}

unsigned int socksim_run_expectations(const struct socksim_run *r)
{
	return r->run ? scn_run_expectations(r->run) : 0;
}

unsigned int socksim_run_failed(const struct socksim_run *r)
{
	return r->failed;
}

uint64_t socksim_run_end_time_ns(const struct socksim_run *r)
{
	return r->run ? sim_now(scn_run_sim(r->run)) : 0;
}

const char *socksim_run_report(const struct socksim_run *r)
{
	return r->report->str;
}

char *socksim_run_results_json(const struct socksim_run *r)
{
	return r->run ? scn_run_results_json(r->run, r->exit_kind) : NULL;
}

void socksim_run_free(struct socksim_run *r)
{
	if (!r)
		return;
	scn_run_free(r->run);
	scn_plan_free(r->plan);
	g_strfreev(r->sets);
	g_string_free(r->report, TRUE);
	g_free(r);
}
