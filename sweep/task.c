/* SPDX-License-Identifier: MIT */
/*
 * socksim task: one run of a sweep, as a self-contained command.
 *
 *   socksim task SCENARIO --grid G --seed S [--vary KEY=V]... [--set KEY=V]...
 *                [--connect-line N] [--field NAME=[AGG:]JSONPATH]...
 *                --record FILE [--results FILE]
 *
 * A local sweep runs exactly these commands; `--emit-tasks` writes them for
 * GNU parallel or Slurm.  The run happens in a child process, so that a
 * crash (an assertion, a signal) becomes a "crashed" record with its
 * message instead of a lost run.  The record is written atomically: it
 * exists only for a finished run.  A task stopped by SIGINT, SIGTERM,
 * SIGHUP or SIGKILL writes nothing, and a resumed sweep runs it again.
 *
 * Exit status: 0 the record was written (whatever the run's outcome);
 * 2 usage error or the record could not be written; 128+N stopped by signal N.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "row.h"
#include "run.h"

#define STDERR_TAIL 2048

struct task_args {
	const char *scenario;
	uint64_t grid;
	uint64_t seed;
	GPtrArray *keys;	/* --vary keys, char * owned */
	GPtrArray *values;	/* --vary values, char * owned */
	GPtrArray *sets;	/* every --vary and --set, KEY=VALUE, borrowed */
	GPtrArray *fields;	/* borrowed */
	uint64_t connect_line;
	const char *record;
	const char *results;
};

static const char task_usage[] =
	"usage: socksim task SCENARIO --grid G --seed S [--vary KEY=V]... [--set KEY=V]...\n"
	"                    [--connect-line N] [--field NAME=[AGG:]JSONPATH]...\n"
	"                    --record FILE [--results FILE]\n";

static int parse_task_args(int argc, char **argv, struct task_args *a)
{
	bool have_grid = false, have_seed = false;

	for (int i = 0; i < argc; i++) {
		const char *opt = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (opt[0] != '-') {
			if (a->scenario)
				return cli_usage(task_usage, "unexpected argument '%s'", opt);
			a->scenario = opt;
			continue;
		}
		if (!val)
			return cli_usage(task_usage, "option '%s' needs a value", opt);
		i++;
		if (strcmp(opt, "--grid") == 0 && cli_parse_u64(val, &a->grid)) {
			have_grid = true;
		} else if (strcmp(opt, "--seed") == 0 && cli_parse_u64(val, &a->seed)) {
			have_seed = true;
		} else if (strcmp(opt, "--connect-line") == 0 && cli_parse_u64(val, &a->connect_line)) {
		} else if ((strcmp(opt, "--vary") == 0 || strcmp(opt, "--set") == 0) &&
			   strchr(val, '=') && val[0] != '=') {
			if (opt[2] == 'v') {
				g_ptr_array_add(a->keys, g_strndup(val, (gsize)(strchr(val, '=') - val)));
				g_ptr_array_add(a->values, g_strdup(strchr(val, '=') + 1));
			}
			g_ptr_array_add(a->sets, (char *)val);
		} else if (strcmp(opt, "--field") == 0) {
			g_ptr_array_add(a->fields, (char *)val);
		} else if (strcmp(opt, "--record") == 0) {
			a->record = val;
		} else if (strcmp(opt, "--results") == 0) {
			a->results = val;
		} else {
			return cli_usage(task_usage, "bad option or value: %s %s", opt, val);
		}
	}
	if (!a->scenario || !have_grid || !have_seed || !a->record)
		return cli_usage(task_usage, "%s", "task needs SCENARIO, --grid, --seed and --record");
	return EXIT_OK;
}

static const char *run_plan(const struct task_args *a, struct scn_plan *plan, char **results)
{
	struct scn_run *run;
	enum sim_run_result rr;
	unsigned int failed;
	const char *kind;
	g_autoptr(GString) report = g_string_new(NULL);

	run = scn_run_new(plan, &(struct scn_run_opts){
		.seed = a->seed, .seed_set = true, .max_events = 100000000,
		.sets = (const char *const *)a->sets->pdata,
	});
	rr = scn_run_execute(run);
	failed = scn_run_evaluate(run, report, false);
	if (scn_run_limit_hit(run, rr))
		kind = "run-limit";
	else
		kind = failed ? "expectation-failed" : "ok";
	*results = scn_run_results_json(run, kind);
	scn_run_free(run);
	return kind;
}

static bool write_record(const struct task_args *a, const char *row)
{
	g_autoptr(GError) error = NULL;

	if (!cli_write_atomically(a->record, row, -1, &error)) {
		fprintf(stderr, "socksim: error: cannot write record: %s\n", error->message);
		return false;
	}
	return true;
}

static struct row_ctx task_ctx(const struct task_args *a)
{
	return (struct row_ctx){
		.grid = a->grid, .seed = a->seed, .keys = a->keys,
		.values = (const char *const *)a->values->pdata,
		.connect_line = a->connect_line, .fields = a->fields,
	};
}

/* The child: run the scenario and write the record.  Its exit status is the task's. */
static int run_child(const struct task_args *a)
{
	struct row_ctx ctx = task_ctx(a);
	g_autofree char *results = NULL, *row = NULL;
	g_autoptr(GError) error = NULL;
	struct scn_plan *plan;

	plan = cli_load(a->scenario, (const char *const *)a->sets->pdata, &error);
	if (!plan) {
		g_autofree char *failed = row_without_results(&ctx, "error", EXIT_USAGE, error->message);

		return write_record(a, failed) ? EXIT_OK : EXIT_USAGE;
	}
	run_plan(a, plan, &results);
	scn_plan_free(plan);
	if (a->results && !cli_write_atomically(a->results, results, -1, &error)) {
		fprintf(stderr, "socksim: error: cannot write results: %s\n", error->message);
		return EXIT_USAGE;
	}
	row = row_from_results(&ctx, "results", results, &error);
	if (!row) {
		fprintf(stderr, "socksim: error: results of this run: %s\n", error->message);
		return EXIT_USAGE;
	}
	return write_record(a, row) ? EXIT_OK : EXIT_USAGE;
}

static bool is_crash_signal(int sig)
{
	return sig == SIGSEGV || sig == SIGABRT || sig == SIGBUS || sig == SIGFPE || sig == SIGILL ||
	       sig == SIGTRAP || sig == SIGSYS;
}

/* Everything the child writes to stderr, keeping the last STDERR_TAIL bytes. */
static void read_tail(int fd, GString *tail)
{
	char buf[4096];
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		g_string_append_len(tail, buf, n);
		if (tail->len > STDERR_TAIL)
			g_string_erase(tail, 0, (gssize)(tail->len - STDERR_TAIL));
	}
}

static int supervise(const struct task_args *a, pid_t child, int err_fd)
{
	g_autoptr(GString) tail = g_string_new(NULL);
	g_autofree char *message = NULL, *row = NULL;
	struct row_ctx ctx = task_ctx(a);
	int status;

	read_tail(err_fd, tail);
	close(err_fd);
	while (waitpid(child, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status)) {
		fputs(tail->str, stderr);
		return WEXITSTATUS(status);
	}
	if (!is_crash_signal(WTERMSIG(status))) {
		fprintf(stderr, "socksim task: run stopped by signal %d (%s); no record written\n",
			WTERMSIG(status), g_strsignal(WTERMSIG(status)));
		return 128 + WTERMSIG(status);
	}
	g_strstrip(tail->str);
	message = g_strdup_printf("crashed: signal %d (%s)%s%s", WTERMSIG(status), g_strsignal(WTERMSIG(status)),
				  tail->str[0] ? ": " : "", tail->str);
	row = row_without_results(&ctx, "crashed", 128 + WTERMSIG(status), message);
	fprintf(stderr, "socksim task: %s\n", message);
	return write_record(a, row) ? EXIT_OK : EXIT_USAGE;
}

int cmd_task(int argc, char **argv)
{
	struct task_args a = {
		.keys = g_ptr_array_new_with_free_func(g_free),
		.values = g_ptr_array_new_with_free_func(g_free),
		.sets = g_ptr_array_new(), .fields = g_ptr_array_new(),
	};
	g_autoptr(GError) error = NULL;
	int status, fds[2];
	pid_t child;

	status = parse_task_args(argc, argv, &a);
	if (status == EXIT_OK && !row_check_names(a.keys, a.fields, &error))
		status = cli_error("%s", error->message);
	if (status == EXIT_OK && pipe(fds) != 0)
		status = cli_error("pipe: %s", g_strerror(errno));
	if (status != EXIT_OK)
		goto out;
	g_ptr_array_add(a.sets, NULL);
	fflush(NULL);
	child = fork();
	if (child == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(fds[0]);
		dup2(fds[1], STDERR_FILENO);
		close(fds[1]);
		_exit(run_child(&a));
	}
	close(fds[1]);
	if (child < 0) {
		close(fds[0]);
		status = cli_error("fork: %s", g_strerror(errno));
		goto out;
	}
	status = supervise(&a, child, fds[0]);
out:
	g_ptr_array_free(a.keys, TRUE);
	g_ptr_array_free(a.values, TRUE);
	g_ptr_array_free(a.sets, TRUE);
	g_ptr_array_free(a.fields, TRUE);
	return status;
}
