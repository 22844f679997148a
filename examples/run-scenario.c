/* SPDX-License-Identifier: MIT */
/*
 * An example libsocksim program: load a scenario, run it, read the results.
 *
 *   cc run-scenario.c $(pkg-config --cflags --libs socksim) -o run-scenario
 *   ./run-scenario scenarios/tcp/syn-lost-once.scn [SEED [KEY=VALUE...]]
 *
 * Prints the version, the outcome and the size of the results JSON; exits
 * like `socksim run` (0 every expectation held, 1 one failed, 2 an error).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <socksim/socksim.h>

int main(int argc, char **argv)
{
	struct socksim_run *run;
	char *error = NULL, *json;
	int status;

	if (argc < 2) {
		fprintf(stderr, "usage: %s SCENARIO [SEED [KEY=VALUE...]]\n", argv[0]);
		return 2;
	}
	run = socksim_run_load(argv[1], argc > 3 ? (const char *const *)argv + 3 : NULL, &error);
	if (!run) {
		fprintf(stderr, "%s\n", error);
		free(error);
		return 2;
	}
	if (argc > 2)
		socksim_run_set_seed(run, strtoull(argv[2], NULL, 10));
	status = socksim_run_execute(run);
	json = socksim_run_results_json(run);
	printf("libsocksim %s%s%s\n", socksim_version(), *socksim_revision() ? " git " : "", socksim_revision());
	printf("%s: status %d, %u expectations, %u failed, end %" PRIu64 " ns, results %zu bytes\n",
	       argv[1], status, socksim_run_expectations(run), socksim_run_failed(run),
	       socksim_run_end_time_ns(run), strlen(json));
	fputs(socksim_run_report(run), stdout);
	free(json);
	socksim_run_free(run);
	return status;
}
