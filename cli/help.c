/* SPDX-License-Identifier: MIT */
/* socksim's commands, their options and help (help.h). */
#include "help.h"

#include <string.h>

#include "cli.h"
#include "commands.h"
#include "report_command.h"
#include "socksim_version.h"
#include "suggest.h"

static const struct cli_option run_options[] = {
	{ "--seed", "N", "seed of every random stream (default: the scenario's `seed`, else 1)" },
	{ "--set", "KEY=VALUE", "a sysctl (net.ipv4.tcp_syn_retries=3, HOST:NAME=V for one host), a scenario "
	  "parameter (NAME=VALUE), profile=NAME, timers=exact|wheel or a limit (limit.NAME=N, "
	  "docs/scenario-language.md \"Limits\"); repeatable" },
	{ "--profile", "NAME", "the kernel profile, over the scenario's (same as --set profile=NAME)" },
	{ "--trace", "FILE|-|none", "where the trace goes (default: stdout)" },
	{ "--trace-format", "text|jsonl", "trace format (default: text)" },
	{ "--results", "FILE", "write the results JSON document (docs/results-format.md)" },
	{ "--pcap", "FILE", "write a pcapng capture of every packet (Wireshark, tshark)" },
	{ "--timeline", "FILE", "write a Chrome trace-event timeline (ui.perfetto.dev)" },
	{ "--until", "TIME", "stop at this simulated time (exit 3)" },
	{ "--max-events", "N", "stop after N events (default 100000000; 0: no limit; exit 3)" },
	{ "--verbose", NULL, "print every expectation, not only the failed ones (also -v)" },
	{ "--stats", NULL, "print the events run and the simulated end time on stderr (socksim: stats: ...)" },
	{ "--help", NULL, "this help" },
	{ NULL, NULL, NULL },
};

static const struct cli_option check_options[] = {
	{ "--help", NULL, "this help" },
	{ NULL, NULL, NULL },
};

static const struct cli_option list_params_options[] = {
	{ "--profile", "NAME", "defaults of this kernel profile (default: linux-6.18)" },
	{ "--help", NULL, "this help" },
	{ NULL, NULL, NULL },
};

static const struct cli_option sweep_options[] = {
	{ "--out", "DIR", "the sweep directory (new, empty, or this very sweep to resume it)" },
	{ "--vary", "KEY=V1,V2,...|KEY=START:STOP:STEP", "a parameter or sysctl to vary; repeatable (a grid)" },
	{ "--seeds", "N", "seeds 1..N of every grid point" },
	{ "--jobs", "J", "runs in parallel (default: the number of CPUs)" },
	{ "--set", "KEY=VALUE", "a fixed sysctl or parameter for every run; repeatable" },
	{ "--field", "NAME=[AGG:]JSONPATH", "an extra summary column from each run's results; repeatable" },
	{ "--connect-line", "N", "the connect() on scenario line N is the one summarised" },
	{ "--keep-results", NULL, "keep every run's results JSON under DIR/runs/" },
	{ "--emit-tasks", NULL, "write DIR/tasks.txt, one command per run, instead of running" },
	{ "--task-command", "CMD", "the socksim command in tasks.txt (default: this binary)" },
	{ "--help", NULL, "this help" },
	{ NULL, NULL, NULL },
};

static const struct cli_option task_options[] = {
	{ "--grid", "G", "the grid point" },
	{ "--seed", "S", "the seed" },
	{ "--vary", "KEY=V", "the value of a varied key at this grid point; repeatable" },
	{ "--set", "KEY=VALUE", "a fixed sysctl or parameter; repeatable" },
	{ "--connect-line", "N", "the connect() summarised" },
	{ "--field", "NAME=[AGG:]JSONPATH", "an extra summary column; repeatable" },
	{ "--record", "FILE", "where the run's summary record goes" },
	{ "--results", "FILE", "also write the run's results JSON" },
	{ "--help", NULL, "this help" },
	{ NULL, NULL, NULL },
};

static const struct cli_option merge_options[] = {
	{ "--out", "DIR", "the merged sweep directory (default: the first DIR)" },
	{ "--help", NULL, "this help" },
	{ NULL, NULL, NULL },
};

static const struct cli_option report_options[] = {
	{ "--out", "DIR", "the report directory (replaced as a whole)" },
	{ "--closed-form", "syn-loss:KEY[:RTT]", "draw the closed form of SYN/SYN-ACK loss against KEY" },
	{ "--example", "SEED|PARAMS", "the run drawn in the timelines: a seed, KEY=VALUE,... or both (KEY=V,seed=N)" },
	{ "--connect-line", "N", "the connect() of scenario line N in the SYN timeline" },
	{ "--help", NULL, "this help" },
	{ NULL, NULL, NULL },
};

static const struct cli_option help_only[] = {
	{ "--help", NULL, "this help" },
	{ NULL, NULL, NULL },
};

#define LIST(cmd, fn, what) { cmd, fn, "", "list " what ", one line each", help_only, NULL }

const struct cli_command cli_commands[] = {
	{ "run", cmd_run, "FILE [options]", "run a scenario, print its trace and check its expectations",
	  run_options,
	  "Exit status: 0 every expectation held, 1 an expectation failed, 2 usage or scenario\n"
	  "error (FILE:LINE:COLUMN: error: ...), 3 a run limit (--until, --max-events,\n"
	  "limit.sim-time, limit.threads) was hit.\n"
	  "Times take a unit: 200ms, 1.5s, 10us, 5ns (a bare 0 needs none)." },
	{ "check", cmd_check, "FILE...", "parse and check scenarios without running them", check_options,
	  "Prints FILE: ok (hosts, processes, syscalls, ...) for each; exit 2 if any has an error." },
	{ "list-params", cmd_list_params, "[--profile NAME]",
	  "every sysctl and scenario knob with its default, unit and kernel source", list_params_options, NULL },
	LIST("list-directives", cmd_list_directives, "the scenario directives"),
	LIST("list-syscalls", cmd_list_syscalls, "the syscalls a scenario can call, with their arguments"),
	LIST("list-faults", cmd_list_faults, "the fault kinds and their options"),
	LIST("list-errnos", cmd_list_errnos, "the errno names a scenario can expect"),
	LIST("list-counters", cmd_list_counters, "the counters `expect counter` can check"),
	LIST("list-sysctls", cmd_list_sysctls, "the sysctls a scenario or --set can set"),
	LIST("list-profiles", cmd_list_profiles, "the kernel profiles (then their flag table)"),
	{ "sweep", cmd_sweep, "SCENARIO --out DIR [--vary ...]... [--seeds N] [options]",
	  "run a scenario over a grid of parameters x seeds, in parallel", sweep_options,
	  "Writes DIR/summary.csv and DIR/summary.jsonl, one row per run; an interrupted\n"
	  "sweep resumes with the same command (docs/sweeps-and-reports.md)." },
	{ "task", cmd_task, "SCENARIO --grid G --seed S --record FILE [options]",
	  "one run of a sweep (the commands of sweep --emit-tasks)", task_options, NULL },
	{ "merge", cmd_merge, "DIR... [--out DIR]", "build a sweep's summary from its task records",
	  merge_options, NULL },
	{ "report", cmd_report, "INPUT... --out DIR [--closed-form syn-loss:KEY[:RTT]] [--example SEED|PARAMS] "
	  "[--connect-line N]",
	  "charts and index.html from sweeps or results JSON", report_options,
	  "INPUT: a sweep directory, or a results JSON (socksim run --results)." },
	{ "help", cmd_help, "[COMMAND]", "this list, or the help of one command", help_only, NULL },
	{ NULL, NULL, NULL, NULL, NULL, NULL },
};

const struct cli_command *cli_command_find(const char *name)
{
	for (const struct cli_command *c = cli_commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

void cli_print_version(FILE *out)
{
	if (SOCKSIM_REVISION[0])
		fprintf(out, "socksim %s (git %s)\n", SOCKSIM_VERSION, SOCKSIM_REVISION);
	else
		fprintf(out, "socksim %s\n", SOCKSIM_VERSION);
}

void cli_help_all(FILE *out)
{
	fputs("usage: socksim COMMAND [ARGS]   (socksim help COMMAND, or COMMAND --help, for its options)\n"
	      "       socksim --version\n\ncommands:\n", out);
	for (const struct cli_command *c = cli_commands; c->name; c++)
		fprintf(out, "  %-16s %s\n", c->name, c->summary);
	fputs("\nDocumentation: socksim(1), docs/scenario-language.md, docs/results-format.md.\n", out);
}

void cli_help_command(const struct cli_command *cmd, FILE *out)
{
	fprintf(out, "usage: socksim %s%s%s\n\n%s\n", cmd->name, *cmd->synopsis ? " " : "", cmd->synopsis,
		cmd->summary);
	fputs("\noptions:\n", out);
	for (const struct cli_option *o = cmd->options; o->name; o++) {
		g_autofree char *head = g_strdup_printf("%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");

		if (strlen(head) > 22)
			fprintf(out, "  %s\n  %-22s %s\n", head, "", o->doc);
		else
			fprintf(out, "  %-22s %s\n", head, o->doc);
	}
	if (cmd->description)
		fprintf(out, "\n%s\n", cmd->description);
}

static const struct cli_option *find_option(const struct cli_command *cmd, const char *name)
{
	for (const struct cli_option *o = cmd->options; o->name; o++)
		if (strcmp(o->name, name) == 0)
			return o;
	return NULL;
}

bool cli_options_known(const struct cli_command *cmd, int argc, char **argv)
{
	for (int i = 0; i < argc; i++) {
		const struct cli_option *o;

		if (strncmp(argv[i], "--", 2) != 0 || strcmp(argv[i], "--") == 0)
			continue;
		o = find_option(cmd, argv[i]);
		if (o) {
			i += o->arg != NULL;	/* its value, even one starting with "--" */
			continue;
		}
		{
			g_autoptr(GPtrArray) names = g_ptr_array_new();
			g_autofree char *hint = NULL;

			for (o = cmd->options; o->name; o++)
				g_ptr_array_add(names, (char *)o->name);
			hint = scn_did_you_mean(argv[i], (const char *const *)names->pdata, names->len);
			cli_error("unknown option '%s' for %s%s (see `socksim help %s`)", argv[i], cmd->name,
				  hint, cmd->name);
			return false;
		}
	}
	return true;
}

int cmd_help(int argc, char **argv)
{
	const struct cli_command *cmd;

	if (argc == 0) {
		cli_help_all(stdout);
		return EXIT_OK;
	}
	cmd = cli_command_find(argv[0]);
	if (!cmd) {
		g_autoptr(GPtrArray) names = g_ptr_array_new();
		g_autofree char *hint = NULL;

		for (const struct cli_command *c = cli_commands; c->name; c++)
			g_ptr_array_add(names, (char *)c->name);
		hint = scn_did_you_mean(argv[0], (const char *const *)names->pdata, names->len);
		return cli_error("no command '%s'%s (socksim help lists them)", argv[0], hint);
	}
	cli_help_command(cmd, stdout);
	return EXIT_OK;
}
