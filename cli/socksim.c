/* SPDX-License-Identifier: MIT */
/*
 * socksim: the command-line front end.
 *
 *   socksim run FILE [options]     run a scenario, check its expectations
 *   socksim check FILE...          parse and validate only
 *   socksim list-params            every sysctl and knob with its default
 *   socksim list-*                 every name a scenario can use (list.c)
 *   socksim sweep / task / merge   parameter sweeps (sweep.c, task.c, summary.c)
 *   socksim report                 gnuplot reports (report.c)
 *   socksim help [CMD]             the command table and help (help.c)
 *
 * Exit status: 0 ran and every expectation held; 1 an expectation failed;
 * 2 usage or scenario error; 3 a run limit was hit.
 */
#include <errno.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ast.h"
#include "capture.h"
#include "cli.h"
#include "env/vsock.h"
#include "lexer.h"
#include "net/net_namespace.h"
#include "net/profile.h"
#include "plan.h"
#include "run.h"
#include "help.h"
#include "output.h"
#include "suggest.h"
#include "sim/trace.h"
#include "trace_writer.h"
#include "timeline.h"

/* After a usage error of `run`; `socksim help run` has the options (help.c). */
static const char usage_text[] =
	"usage: socksim run FILE [options]   (socksim help run: the options; socksim help: the commands)\n";

static int usage_error(const char *fmt, const char *arg)
{
	return cli_usage(usage_text, fmt, arg);
}

/* Parse and check @path with @sets; print the diagnostic on error. */
static struct scn_plan *load(const char *path, GPtrArray *sets)
{
	g_autoptr(GError) error = NULL;
	struct scn_plan *plan;

	g_ptr_array_add(sets, NULL);
	plan = cli_load(path, (const char *const *)sets->pdata, &error);
	g_ptr_array_remove_index(sets, sets->len - 1);
	if (!plan) {
		fflush(stdout);	/* `check`'s earlier "ok" lines first */
		fprintf(stderr, "%s\n", error->message);
	}
	return plan;
}

/* A time on the command line, with the scenario language's own rules. */
static bool parse_time_arg(const char *text, sim_time_t *out, GError **error)
{
	GArray *toks = scn_lex("<command line>", text, strlen(text), 1, 1);
	const struct scn_token *t = &g_array_index(toks, struct scn_token, 0);
	bool ok = false;

	if (t->kind == SCN_TOK_ERROR) {
		g_propagate_error(error, g_error_copy(t->error));
	} else if (t->kind == SCN_TOK_VALUE && t->val.kind == SCN_V_TIME && !t->val.relative &&
		   toks->len == 2) {
		*out = t->val.t;
		ok = true;
	} else if (t->kind == SCN_TOK_VALUE && t->val.kind == SCN_V_INT && t->val.i == 0 &&
		   toks->len == 2) {
		*out = 0;
		ok = true;
	} else {
		g_set_error(error, CLI_ERROR, CLI_ERROR_USAGE, "expected a time such as 200s or 1.5ms, found '%s'",
			    text);
	}
	g_array_unref(toks);
	return ok;
}

struct run_args {
	const char *file;
	uint64_t seed;
	bool seed_set;
	GPtrArray *sets;
	const char *trace;
	enum trace_format trace_fmt;
	const char *results;
	const char *pcap;		/* pcapng capture (observers/capture.c) */
	const char *timeline;		/* Chrome trace-event JSON (observers/timeline.c) */
	sim_time_t until;
	uint64_t max_events;
	bool verbose;
	bool stats;			/* --stats: events and end time on stderr (bench/) */
};

static int parse_run_args(int argc, char **argv, struct run_args *a)
{
	a->sets = g_ptr_array_new_with_free_func(g_free);
	a->max_events = 100000000;
	for (int i = 0; i < argc; i++) {
		const char *opt = argv[i];
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;
		bool takes = true;

		if (strcmp(opt, "--verbose") == 0 || strcmp(opt, "-v") == 0) {
			a->verbose = true;
			continue;
		}
		if (strcmp(opt, "--stats") == 0) {
			a->stats = true;
			continue;
		}
		if (opt[0] != '-') {
			if (a->file)
				return usage_error("unexpected argument '%s' (one scenario per run)", opt);
			a->file = opt;
			continue;
		}
		if (!val && strcmp(opt, "--help") != 0)
			return usage_error("option '%s' needs a value", opt);
		if (strcmp(opt, "--seed") == 0) {
			if (!cli_parse_u64(val, &a->seed))
				return usage_error("--seed expects a non-negative integer, found '%s'", val);
			a->seed_set = true;
		} else if (strcmp(opt, "--set") == 0) {
			if (!strchr(val, '=') || val[0] == '=')
				return usage_error("--set expects KEY=VALUE, found '%s'", val);
			g_ptr_array_add(a->sets, g_strdup(val));
		} else if (strcmp(opt, "--trace") == 0) {
			a->trace = val;
		} else if (strcmp(opt, "--trace-format") == 0) {
			if (strcmp(val, "text") == 0)
				a->trace_fmt = TRACE_TEXT;
			else if (strcmp(val, "jsonl") == 0)
				a->trace_fmt = TRACE_JSONL;
			else
				return usage_error("--trace-format expects text or jsonl, found '%s'", val);
		} else if (strcmp(opt, "--profile") == 0) {
			g_ptr_array_add(a->sets, g_strdup_printf("profile=%s", val));	/* = --set profile=NAME */
		} else if (strcmp(opt, "--results") == 0) {
			a->results = val;
		} else if (strcmp(opt, "--pcap") == 0) {
			a->pcap = val;
		} else if (strcmp(opt, "--timeline") == 0) {
			a->timeline = val;
		} else if (strcmp(opt, "--until") == 0) {
			g_autoptr(GError) error = NULL;

			if (!parse_time_arg(val, &a->until, &error))
				return usage_error("--until: %s", error->message);
			if (a->until == 0)
				return usage_error("--until expects a time after 0, found '%s'", val);
		} else if (strcmp(opt, "--max-events") == 0) {
			if (!cli_parse_u64(val, &a->max_events))
				return usage_error("--max-events expects a non-negative integer, found '%s'", val);
		} else {
			return usage_error("unknown option '%s'", opt);
		}
		(void)takes;
		i++;
	}
	if (!a->file)
		return usage_error("%s", "run needs a scenario file");
	return EXIT_OK;
}

static bool results_dir_writable(const char *path)
{
	g_autofree char *dir = g_path_get_dirname(path);

	return g_file_test(dir, G_FILE_TEST_IS_DIR) && access(dir, W_OK) == 0;
}

static FILE *open_trace(const struct run_args *a, struct cli_output **out, GError **error)
{
	if (!a->trace || strcmp(a->trace, "-") == 0)
		return stdout;
	if (strcmp(a->trace, "none") == 0)
		return NULL;
	/* A regular file is written beside the target and renamed at the end (output.h). */
	*out = cli_output_open(a->trace, error);
	return *out ? cli_output_file(*out) : NULL;
}

/* The outputs can be written and none of them is the scenario or another output. */
static bool check_outputs(const struct run_args *a, GError **error)
{
	bool trace_file = a->trace && strcmp(a->trace, "-") != 0 && strcmp(a->trace, "none") != 0;
	const char *outs[] = { trace_file ? a->trace : NULL, a->results, a->pcap, a->timeline };
	static const char *const names[] = { "--trace", "--results", "--pcap", "--timeline" };
	static const char *const what[] = { "trace", "results", "pcap", "timeline" };

	for (size_t i = 0; i < G_N_ELEMENTS(outs); i++) {
		GError *why = NULL;

		if (!outs[i])
			continue;
		if (!cli_output_check(outs[i], &why)) {
			g_propagate_prefixed_error(error, why, "cannot write %s: ", what[i]);
			return false;
		}
		if (i > 0 && !results_dir_writable(outs[i])) {
			g_set_error(error, CLI_ERROR, CLI_ERROR_IO,
				    "cannot write %s '%s': directory missing or not writable", what[i], outs[i]);
			return false;
		}
	}
	return cli_outputs_distinct(&a->file, 1, outs, names, G_N_ELEMENTS(outs), error);
}

/* --pcap and --timeline files, each written atomically. */
static bool write_observers(const struct run_args *a, struct pcap_capture *capture,
			    struct timeline *timeline)
{
	bool ok = true;

	if (capture) {
		g_autoptr(GError) error = NULL;
		gsize len;
		const uint8_t *data = pcap_capture_data(capture, &len);

		if (!cli_write_atomically(a->pcap, (const char *)data, (gssize)len, &error)) {
			fprintf(stderr, "socksim: error: cannot write pcap: %s\n", error->message);
			ok = false;
		}
	}
	if (timeline) {
		g_autofree char *json = timeline_finish(timeline);
		g_autoptr(GError) error = NULL;

		if (!cli_write_atomically(a->timeline, json, -1, &error)) {
			fprintf(stderr, "socksim: error: cannot write timeline: %s\n", error->message);
			ok = false;
		}
	}
	return ok;
}

int cmd_run(int argc, char **argv)
{
	struct run_args a = { 0 };
	struct scn_plan *plan;
	struct scn_run *run;
	struct sim_trace *trace = NULL;
	struct trace_writer *writer = NULL;
	struct pcap_capture *capture = NULL;
	struct timeline *timeline = NULL;
	g_autoptr(GString) report = g_string_new(NULL);
	g_autoptr(GError) error = NULL;
	struct cli_output *trace_file = NULL;
	FILE *trace_out;
	enum sim_run_result rr;
	unsigned int failed;
	const char *exit_kind;
	int status;

	status = parse_run_args(argc, argv, &a);
	if (status != EXIT_OK) {
		g_ptr_array_free(a.sets, TRUE);
		return status;
	}
	plan = load(a.file, a.sets);
	if (!plan) {
		g_ptr_array_free(a.sets, TRUE);
		return EXIT_USAGE;
	}
	if (!check_outputs(&a, &error)) {
		fprintf(stderr, "socksim: error: %s\n", error->message);
		scn_plan_free(plan);
		g_ptr_array_free(a.sets, TRUE);
		return EXIT_USAGE;
	}
	trace_out = open_trace(&a, &trace_file, &error);
	if (!trace_out && error) {
		fprintf(stderr, "socksim: error: cannot write trace: %s\n", error->message);
		scn_plan_free(plan);
		g_ptr_array_free(a.sets, TRUE);
		return EXIT_USAGE;
	}
	if (trace_out || a.timeline)
		trace = sim_trace_new();	/* the engine's sink; the writer and the timeline consume it */
	if (trace_out)
		writer = trace_writer_new(trace, trace_out, a.trace_fmt);
	if (a.timeline)
		timeline = timeline_new(trace);
	g_ptr_array_add(a.sets, NULL);
	run = scn_run_new(plan, &(struct scn_run_opts){
		.seed = a.seed, .seed_set = a.seed_set, .until = a.until,
		.max_events = a.max_events, .trace = trace,
		.sets = (const char *const *)a.sets->pdata,
		.no_results = !a.results,
	});
	if (timeline)
		timeline_bind(timeline, scn_run_sim(run), scn_run_world(run));
	if (a.pcap)
		capture = pcap_capture_attach(scn_run_world(run));
	rr = scn_run_execute(run);
	failed = scn_run_evaluate(run, report, a.verbose);
	if (scn_run_limit_hit(run, rr)) {
		char t[32];

		sim_time_format(sim_now(scn_run_sim(run)), t, sizeof(t));
		if (scn_run_limit_text(run))	/* a scenario's limit (scenario/limit.c) */
			fprintf(stderr, "socksim: run limit hit at t=%ss after %" G_GUINT64_FORMAT " events: %s; stopped cleanly\n",
				t, sim_events_run(scn_run_sim(run)), scn_run_limit_text(run));
		else
			fprintf(stderr, "socksim: run limit hit: %s at t=%ss after %" G_GUINT64_FORMAT
				" events; stopped cleanly\n", rr == SIM_RUN_MAX_EVENTS ? "--max-events" :
				a.until && a.until <= SIM_TIME_END ? "--until" :
				"the end of simulated time (4611686018.427387904s)", t, sim_events_run(scn_run_sim(run)));
		exit_kind = "run-limit";
		status = EXIT_LIMIT;
	} else if (failed) {
		exit_kind = "expectation-failed";
		status = EXIT_EXPECT;
	} else {
		exit_kind = "ok";
		status = EXIT_OK;
	}
	fflush(stdout);	/* the trace before the report, when both go to one terminal or pipe */
	fputs(report->str, stderr);
	fprintf(stderr, "%s: %u expectation%s, %u failed%s\n", a.file, scn_run_expectations(run),
		scn_run_expectations(run) == 1 ? "" : "s", failed,
		status == EXIT_LIMIT ? " (run limit hit)" : "");
	if (a.stats)
		fprintf(stderr, "socksim: stats: events=%" G_GUINT64_FORMAT " end_time_ns=%" G_GUINT64_FORMAT "\n",
			sim_events_run(scn_run_sim(run)), (uint64_t)sim_now(scn_run_sim(run)));
	if (trace_file) {
		if (!cli_output_commit(trace_file, &error)) {
			fprintf(stderr, "socksim: error: cannot write trace: %s\n", error->message);
			status = EXIT_USAGE;
		}
	} else if (trace_out) {
		fflush(stdout);
	}
	if (a.results) {
		g_autofree char *json = scn_run_results_json(run, exit_kind);
		g_autoptr(GError) results_error = NULL;

		if (!cli_write_atomically(a.results, json, -1, &results_error)) {
			fprintf(stderr, "socksim: error: cannot write results: %s\n", results_error->message);
			status = EXIT_USAGE;
		}
	}
	if (!write_observers(&a, capture, timeline))
		status = EXIT_USAGE;
	pcap_capture_free(capture);
	timeline_free(timeline);
	scn_run_free(run);
	trace_writer_free(writer);
	sim_trace_free(trace);
	scn_plan_free(plan);
	g_ptr_array_free(a.sets, TRUE);
	return status;
}

int cmd_check(int argc, char **argv)
{
	int status = EXIT_OK;
	g_autoptr(GPtrArray) sets = g_ptr_array_new();

	if (argc == 0)
		return usage_error("%s", "check needs at least one scenario file");
	for (int i = 0; i < argc; i++) {
		struct scn_plan *plan = load(argv[i], sets);

		if (!plan) {
			status = EXIT_USAGE;
			continue;
		}
		printf("%s: ok (%u hosts, %u processes, %u syscalls, %u faults, %u expect lines)\n", argv[i],
		       plan->hosts->len, plan->procs->len, plan->steps->len, plan->faults->len,
		       plan->expects->len);
		scn_plan_free(plan);
	}
	return status;
}

static const struct { const char *name; const char *def; const char *unit; const char *source; const char *doc; } knobs[] = {
	{ "timers", "exact", "mode", "kernel/time/timer.c", "exact timers, or `wheel` for the kernel timer wheel's level granularity" },
	{ "timers hz=", "250", "Hz", "CONFIG_HZ (Debian: 250)", "tick rate: jiffies, SO_SNDTIMEO rounding, wheel granularity" },
	{ "timers jiffies=", "0", "jiffies", "kernel/time/timer.c (INITIAL_JIFFIES)", "jiffies at t=0 (the wheel's phase)" },
	{ "link delay=", "0", "time", "(environment)", "one-way propagation delay" },
	{ "link jitter=", "0", "time", "(environment)", "uniform +/- jitter on the delay" },
	{ "link rate=", "0 (infinite)", "bit/s", "(environment)", "serialisation rate per direction" },
	{ "profile", "linux-6.18", "name", "(profile)", "kernel behaviour (socksim list-profiles)" },
	{ "seed", "1", "integer", "(engine)", "seed of every random stream; --seed overrides" },
};

int cmd_list_params(int argc, char **argv)
{
	const struct kernel_profile *prof = kernel_profile_default();
	struct net net;

	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--profile") == 0 && i + 1 < argc) {
			prof = kernel_profile_find(argv[++i]);
			if (!prof)
				return usage_error("unknown profile '%s' (see `socksim list-profiles`)", argv[i]);
		} else {
			return usage_error("unknown option '%s'", argv[i]);
		}
	}
	net_init_defaults(&net, prof);
	printf("# sysctls (profile %s): name, default, unit, kernel source\n", prof->name);
	for (const struct sysctl_desc *d = sysctl_table; d->name; d++) {
		g_autofree char *v = NULL;

		if (!sysctl_in_profile(d, prof))
			continue;
		v = sysctl_read(&net, d);
		g_strdelimit(v, "\t", ' ');
		printf("%-36s %-22s %-16s %s\n    %s\n", d->name, v, d->unit, d->source, d->doc);
	}
	printf("\n# scenario knobs: name, default, unit, source\n");
	for (size_t i = 0; i < G_N_ELEMENTS(knobs); i++)
		printf("%-36s %-22s %-16s %s\n    %s\n", knobs[i].name, knobs[i].def, knobs[i].unit,
		       knobs[i].source, knobs[i].doc);
	printf("\n# virtio-vsock device knobs (options of `virtio-vsock GUEST HOST cid=N`)\n");
	for (const struct vsock_knob *k = vsock_knobs; k->name; k++)
		printf("%-36s %-22s %-16s %s\n    %s\n", k->name, k->def, k->unit, k->source, k->doc);
	return EXIT_OK;
}

static int unknown_command(const char *name)
{
	g_autoptr(GPtrArray) names = g_ptr_array_new();
	g_autofree char *hint = NULL;
	g_autofree char *list = NULL;

	for (const struct cli_command *c = cli_commands; c->name; c++)
		g_ptr_array_add(names, (char *)c->name);
	hint = scn_did_you_mean(name, (const char *const *)names->pdata, names->len);
	list = scn_or_list((const char *const *)names->pdata, names->len);
	cli_error("unknown command '%s'%s (%s)", name, hint, list);
	fputs("usage: socksim COMMAND [ARGS]   (socksim help: the commands)\n", stderr);
	return EXIT_USAGE;
}

int main(int argc, char **argv)
{
	const struct cli_command *cmd;

	if (argc < 2) {
		cli_help_all(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		return cmd_help(0, NULL);
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		cli_print_version(stdout);
		return EXIT_OK;
	}
	cmd = cli_command_find(argv[1]);
	if (!cmd)
		return unknown_command(argv[1]);
	/* CMD --help, anywhere among its arguments */
	for (int i = 2; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			cli_help_command(cmd, stdout);
			return EXIT_OK;
		}
	if (!cli_options_known(cmd, argc - 2, argv + 2)) {
		fprintf(stderr, "usage: socksim %s %s\n", cmd->name, cmd->synopsis);
		return EXIT_USAGE;
	}
	return cmd->fn(argc - 2, argv + 2);
}
