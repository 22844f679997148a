/* SPDX-License-Identifier: MIT */
/*
 * socksim sweep: every combination of the `--vary` values x seeds 1..N.
 *
 * The sweep writes its manifest and a copy of the scenario into --out DIR,
 * then runs one `socksim task` process per run (task.c), at most --jobs at
 * a time, each writing its record under DIR/runs/.  The summary is built
 * from the records afterwards (summary.c), so it does not depend on the
 * number of jobs or the order in which runs finish.  Running the same
 * command again resumes: runs with a record are skipped.  `--emit-tasks`
 * writes the task commands to DIR/tasks.txt instead of running them.
 */
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "json_read.h"
#include "commands.h"
#include "progress.h"
#include "row.h"
#include "spec.h"
#include "summary.h"

static const char sweep_usage[] =
	"usage: socksim sweep SCENARIO --out DIR [--vary KEY=V1,V2,...|KEY=START:STOP:STEP]...\n"
	"                     [--seeds N] [--jobs J] [--set KEY=VALUE]... [--field NAME=[AGG:]JSONPATH]...\n"
	"                     [--connect-line N] [--keep-results] [--emit-tasks [--task-command CMD]]\n";

struct sweep_args {
	const char *scenario;
	const char *out;
	uint64_t jobs;
	bool keep_results;
	bool emit_tasks;
	const char *task_command;
};

static volatile sig_atomic_t stop_signal;

static void on_stop_signal(int sig)
{
	stop_signal = sig;
	signal(sig, SIG_DFL);	/* a second Ctrl-C stops at once */
}

static int parse_axis(struct sweep_spec *s, const char *val)
{
	g_autoptr(GError) error = NULL;
	struct grid_axis *a = grid_axis_parse(val, &error);

	if (!a)
		return cli_usage(sweep_usage, "%s", error->message);
	g_ptr_array_add(s->axes, a);
	return EXIT_OK;
}

static int parse_sweep_args(int argc, char **argv, struct sweep_args *a, struct sweep_spec *s)
{
	for (int i = 0; i < argc; i++) {
		const char *opt = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
		int status = EXIT_OK;

		if (strcmp(opt, "--keep-results") == 0 || strcmp(opt, "--emit-tasks") == 0) {
			*(opt[2] == 'k' ? &a->keep_results : &a->emit_tasks) = true;
			continue;
		}
		if (opt[0] != '-') {
			if (a->scenario)
				return cli_usage(sweep_usage, "unexpected argument '%s' (one scenario per sweep)", opt);
			a->scenario = opt;
			continue;
		}
		if (!val)
			return cli_usage(sweep_usage, "option '%s' needs a value", opt);
		i++;
		if (strcmp(opt, "--vary") == 0)
			status = parse_axis(s, val);
		else if (strcmp(opt, "--out") == 0)
			a->out = val;
		else if (strcmp(opt, "--set") == 0 && strchr(val, '=') && val[0] != '=')
			g_ptr_array_add(s->sets, g_strdup(val));
		else if (strcmp(opt, "--field") == 0)
			g_ptr_array_add(s->fields, g_strdup(val));
		else if (strcmp(opt, "--task-command") == 0)
			a->task_command = val;
		else if (strcmp(opt, "--seeds") == 0 && cli_parse_u64(val, &s->seeds) && s->seeds > SWEEP_MAX_SEEDS)
			return cli_usage(sweep_usage, "--seeds %s: at most %u seeds", val, SWEEP_MAX_SEEDS);
		else if ((strcmp(opt, "--seeds") == 0 && cli_parse_u64(val, &s->seeds) && s->seeds > 0) ||
			 (strcmp(opt, "--jobs") == 0 && cli_parse_u64(val, &a->jobs) && a->jobs > 0) ||
			 (strcmp(opt, "--connect-line") == 0 && cli_parse_u64(val, &s->connect_line)))
			continue;
		else
			return cli_usage(sweep_usage, "bad option or value: %s %s", opt, val);
		if (status != EXIT_OK)
			return status;
	}
	if (!a->scenario || !a->out)
		return cli_usage(sweep_usage, "%s", "sweep needs a SCENARIO and --out DIR");
	if (!grid_size(s->axes))
		return cli_usage(sweep_usage, "the sweep is too large: more than 2^64 grid points; at most %u runs",
				 SWEEP_MAX_RUNS);
	if (!sweep_spec_runs(s))
		return cli_usage(sweep_usage, "the sweep is too large: %" G_GUINT64_FORMAT " grid points x %"
				 G_GUINT64_FORMAT " seeds; at most %u runs", grid_size(s->axes), s->seeds,
				 SWEEP_MAX_RUNS);
	return EXIT_OK;
}

/* Whether scenario line @line is a connect() call. */
static bool has_connect_at(const struct scn_plan *plan, uint64_t line)
{
	for (guint i = 0; i < plan->steps->len; i++) {
		const struct plan_step *st = plan->steps->pdata[i];

		if ((uint64_t)st->line == line && g_strcmp0(st->call, "connect") == 0)
			return true;
	}
	return false;
}

/*
 * The scenario's name and digest, and a check of its first grid point.  The
 * message in @error is printed as it is: it carries its own "socksim: error: "
 * when the scenario's diagnostic (cli_load) does not.
 */
static bool describe_scenario(struct sweep_spec *s, const char *path, char **text, gsize *len, GError **error)
{
	g_autoptr(GPtrArray) keys = g_ptr_array_new();
	g_autoptr(GPtrArray) sets = g_ptr_array_new_with_free_func(g_free);
	g_autofree const char **vals = g_new(const char *, s->axes->len + 1);
	struct scn_plan *plan;

	if (!g_file_get_contents(path, text, len, error))
		return false;
	s->scenario = g_path_get_basename(path);
	s->scenario_sha256 = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)*text, *len);
	grid_point(s->axes, 0, vals);
	for (guint i = 0; i < s->axes->len; i++) {
		const char *key = ((struct grid_axis *)s->axes->pdata[i])->key;

		g_ptr_array_add(keys, (char *)key);
		g_ptr_array_add(sets, g_strdup_printf("%s=%s", key, vals[i]));
	}
	for (guint i = 0; i < s->sets->len; i++)
		g_ptr_array_add(sets, g_strdup(s->sets->pdata[i]));
	g_ptr_array_add(sets, NULL);
	if (!row_check_names(keys, s->fields, error)) {
		g_prefix_error(error, "socksim: error: ");
		return false;
	}
	plan = cli_load(path, (const char *const *)sets->pdata, error);
	if (plan && s->connect_line && !has_connect_at(plan, s->connect_line)) {
		g_set_error(error, CLI_ERROR, CLI_ERROR_USAGE, "socksim: error: --connect-line %" G_GUINT64_FORMAT
			    ": line %" G_GUINT64_FORMAT " of %s has no connect() call", s->connect_line,
			    s->connect_line, path);
		scn_plan_free(plan);
		return false;
	}
	scn_plan_free(plan);
	return plan != NULL;
}

/*
 * Create DIR (or accept it when it holds this very sweep), copy the scenario
 * and write the manifest.  Never touches a directory holding anything else.
 */
static bool prepare_dir(const struct sweep_spec *s, const char *dir, const char *text, gsize len,
			GError **error)
{
	g_autofree char *manifest = sweep_manifest_json(s);
	g_autofree char *file_text = sweep_manifest_file_json(s);
	g_autofree char *mpath = g_build_filename(dir, "sweep.json", NULL);
	g_autofree char *runs = g_build_filename(dir, "runs", NULL);
	g_autofree char *copy = g_build_filename(dir, s->scenario, NULL);
	g_autoptr(GDir) d = NULL;

	if (g_file_test(mpath, G_FILE_TEST_EXISTS)) {
		/* Compared without the "socksim" version: a rebuilt socksim resumes. */
		g_autoptr(sweep_spec) old = sweep_manifest_load(dir, NULL);	/* any error: another sweep */
		g_autofree char *old_text = old ? sweep_manifest_json(old) : NULL;

		if (g_strcmp0(old_text, manifest) != 0) {
			g_set_error(error, CLI_ERROR, CLI_ERROR_USAGE, "%s holds a different sweep (scenario, --vary, "
				    "--seeds, --set, --field or --connect-line differ); use another --out", dir);
			return false;
		}
		return g_mkdir_with_parents(runs, 0777) == 0;	/* resume */
	}
	d = g_file_test(dir, G_FILE_TEST_EXISTS) ? g_dir_open(dir, 0, NULL) : NULL;
	if (g_file_test(dir, G_FILE_TEST_EXISTS) && (!d || g_dir_read_name(d))) {
		g_set_error(error, CLI_ERROR, CLI_ERROR_USAGE,
			    "%s exists and is not a sweep directory; use a new or empty --out", dir);
		return false;
	}
	if (g_mkdir_with_parents(runs, 0777) != 0) {
		g_set_error(error, CLI_ERROR, CLI_ERROR_IO, "cannot create '%s': %s", runs, g_strerror(errno));
		return false;
	}
	return cli_write_atomically(copy, text, (gssize)len, error) &&
	       cli_write_atomically(mpath, file_text, -1, error);
}

/* Hold DIR/.lock for the life of the process: one sweep per directory at a time. */
static bool lock_dir(const char *dir, GError **error)
{
	g_autofree char *path = g_build_filename(dir, ".lock", NULL);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);

	if (fd < 0 || flock(fd, LOCK_EX | LOCK_NB) != 0) {
		g_set_error(error, CLI_ERROR, CLI_ERROR_IO, "%s: %s", path, fd < 0 ? g_strerror(errno) :
			    "another sweep is running in this directory");
		return false;
	}
	return true;	/* the descriptor stays open until exit */
}

static char *task_line(const char *command, GPtrArray *args)
{
	g_autoptr(GString) line = g_string_new(command);

	for (guint i = 0; i < args->len; i++) {
		g_autofree char *w = cli_shell_word(args->pdata[i]);

		g_string_append_c(line, ' ');
		g_string_append(line, w);
	}
	return g_string_free(g_steal_pointer(&line), FALSE);
}

static int emit_tasks(const struct sweep_spec *s, const struct sweep_args *a)
{
	g_autofree char *self = cli_self_exe();
	g_autofree char *command = a->task_command ? g_strdup(a->task_command) : cli_shell_word(self);
	g_autofree char *path = g_build_filename(a->out, "tasks.txt", NULL);
	g_autoptr(GString) text = g_string_new(NULL);
	g_autoptr(GError) error = NULL;
	uint64_t points = grid_size(s->axes);

	for (uint64_t g = 0; g < points; g++) {
		for (uint64_t seed = 1; seed <= s->seeds; seed++) {
			g_autoptr(GPtrArray) args = sweep_task_args(s, g, seed, a->keep_results);
			g_autofree char *line = task_line(command, args);

			g_string_append_printf(text, "%s\n", line);
		}
	}
	if (!cli_write_atomically(path, text->str, (gssize)text->len, &error))
		return cli_error("%s", error->message);
	fprintf(stderr, "sweep: %" G_GUINT64_FORMAT " tasks in %s; run them from %s, e.g.\n"
		"  (cd %s && parallel < tasks.txt) && socksim merge %s\n",
		sweep_spec_runs(s), path, a->out, a->out, a->out);
	return EXIT_OK;
}

struct pool {
	const struct sweep_spec *spec;
	const struct sweep_args *args;
	char *self;
	GHashTable *running;	/* pid -> run index (grid * seeds + seed - 1) */
	struct progress bar;
	uint64_t lost;		/* tasks that ended without a record */
};

static pid_t spawn_task(struct pool *p, uint64_t run)
{
	uint64_t grid = run / p->spec->seeds, seed = run % p->spec->seeds + 1;
	g_autoptr(GPtrArray) args = sweep_task_args(p->spec, grid, seed, p->args->keep_results);
	pid_t pid;

	g_ptr_array_insert(args, 0, g_strdup(p->self));
	g_ptr_array_add(args, NULL);
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		dup2(null, STDIN_FILENO);
		dup2(null, STDOUT_FILENO);
		if (chdir(p->args->out) == 0)
			execv(p->self, (char **)args->pdata);
		fprintf(stderr, "socksim: error: cannot start a task: %s\n", g_strerror(errno));
		_exit(EXIT_USAGE);
	}
	return pid;
}

static bool record_failed(const char *dir, uint64_t grid, uint64_t seed)
{
	g_autofree char *stem = sweep_run_stem(grid, seed);
	g_autofree char *name = g_strconcat(stem, ".json", NULL);
	g_autofree char *path = g_build_filename(dir, "runs", name, NULL);
	g_autoptr(jd_doc) doc = jr_load_file(path, NULL);
	const char *outcome;

	if (!doc)
		return true;
	outcome = jd_get_str(jd_root(doc), "outcome", "");
	return strcmp(outcome, "error") == 0 || strcmp(outcome, "crashed") == 0;
}

static void reap(struct pool *p, pid_t pid, int status)
{
	uint64_t run = GPOINTER_TO_SIZE(g_hash_table_lookup(p->running, GINT_TO_POINTER(pid))) - 1;
	uint64_t grid = run / p->spec->seeds, seed = run % p->spec->seeds + 1;

	g_hash_table_remove(p->running, GINT_TO_POINTER(pid));
	if (summary_has_record(p->args->out, grid, seed)) {	/* even if killed after writing it */
		progress_step(&p->bar, record_failed(p->args->out, grid, seed));
		return;
	}
	p->lost++;
	if (p->bar.tty)
		fputs("\r\033[K", stderr);
	if (WIFSIGNALED(status))
		fprintf(stderr, "sweep: run grid %" G_GUINT64_FORMAT " seed %" G_GUINT64_FORMAT
			": worker killed by signal %d; no record (resume to run it again)\n",
			grid, seed, WTERMSIG(status));
	else
		fprintf(stderr, "sweep: run grid %" G_GUINT64_FORMAT " seed %" G_GUINT64_FORMAT
			": task exited with status %d and no record\n", grid, seed, WEXITSTATUS(status));
}

static void run_pool(struct pool *p, GArray *pending)
{
	guint next = 0;

	while ((next < pending->len && !stop_signal) || g_hash_table_size(p->running)) {
		int status;
		pid_t pid;

		while (!stop_signal && next < pending->len && g_hash_table_size(p->running) < p->args->jobs) {
			uint64_t run = g_array_index(pending, uint64_t, next++);

			pid = spawn_task(p, run);
			if (pid < 0) {
				fprintf(stderr, "socksim: error: fork: %s\n", g_strerror(errno));
				stop_signal = SIGTERM;
				break;
			}
			g_hash_table_insert(p->running, GINT_TO_POINTER(pid), GSIZE_TO_POINTER(run + 1));
		}
		pid = waitpid(-1, &status, 0);
		if (pid > 0 && g_hash_table_contains(p->running, GINT_TO_POINTER(pid)))
			reap(p, pid, status);
		else if (pid < 0 && errno == ECHILD)
			break;
	}
}

static int run_local(const struct sweep_spec *s, const struct sweep_args *a)
{
	struct pool p = { .spec = s, .args = a, .self = cli_self_exe() };
	g_autoptr(GArray) pending = g_array_new(FALSE, FALSE, sizeof(uint64_t));
	g_autoptr(GPtrArray) dirs = g_ptr_array_new();
	g_autoptr(GError) error = NULL;
	uint64_t total = sweep_spec_runs(s);
	struct summary_counts c;
	struct sigaction sa = { .sa_handler = on_stop_signal };
	int status;

	for (uint64_t run = 0; run < total; run++)
		if (!summary_has_valid_record(a->out, run / s->seeds, run % s->seeds + 1))
			g_array_append_val(pending, run);
	if (pending->len < total)
		fprintf(stderr, "sweep: resuming: %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT
			" runs already recorded in %s\n", total - pending->len, total, a->out);
	p.running = g_hash_table_new(g_direct_hash, g_direct_equal);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	progress_start(&p.bar, total, total - pending->len);
	run_pool(&p, pending);
	progress_end(&p.bar);
	g_hash_table_destroy(p.running);
	g_free(p.self);
	g_ptr_array_add(dirs, (char *)a->out);
	if (!summary_write(s, dirs, a->out, &c, &error))
		return cli_error("%s", error->message);
	status = summary_report("sweep", &c, a->out);
	if (stop_signal) {
		fprintf(stderr, "sweep: interrupted; finished runs are kept: run the same command to resume\n");
		return 128 + stop_signal;
	}
	return status;
}

int cmd_sweep(int argc, char **argv)
{
	struct sweep_args a = { .jobs = g_get_num_processors() };
	g_autoptr(sweep_spec) s = sweep_spec_new();
	g_autofree char *text = NULL;
	g_autoptr(GError) error = NULL;
	gsize len = 0;
	int status;

	status = parse_sweep_args(argc, argv, &a, s);
	if (status != EXIT_OK)
		return status;
	if (!describe_scenario(s, a.scenario, &text, &len, &error)) {
		fprintf(stderr, "%s\n", error->message);
		return EXIT_USAGE;
	}
	if (!prepare_dir(s, a.out, text, len, &error) || !lock_dir(a.out, &error))
		return cli_error("%s", error->message);
	return a.emit_tasks ? emit_tasks(s, &a) : run_local(s, &a);
}
