/* SPDX-License-Identifier: MIT */
/*
 * Benchmark (not a test): the CPU cost of one run of a scenario without the
 * process around it (issue #14's quiet-run target: the 131 s SYN give-up,
 * scenarios/tcp/syn-timeout-6x.scn, in < 1 ms of CPU per run).  Loads and
 * runs the scenario REPEAT times in this one process through libsocksim
 * (docs/library.md) and prints the CPU microseconds per iteration of
 * load (parse + check), execute and free, each measured on its own.
 *   build/bench/bench-quiet [SCENARIO [REPEAT]]
 * Process start is what `socksim run` costs beyond this: bench/quiet.sh
 * prints both.
 */
#include <socksim/socksim.h>

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double cpu_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec * 1e-3;
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "scenarios/tcp/syn-timeout-6x.scn";
	long repeat = argc > 2 ? strtol(argv[2], NULL, 10) : 1000;
	double load = 0, exec = 0, fr = 0, first = 0;
	unsigned long long end_ns = 0;

	if (repeat < 1) {
		fprintf(stderr, "bench-quiet: REPEAT must be a positive integer\n");
		return 2;
	}
	for (long i = 0; i < repeat; i++) {
		char *error = NULL;
		double t0 = cpu_us();
		struct socksim_run *run = socksim_run_load(path, NULL, &error);
		double t1 = cpu_us();

		if (!run) {
			fprintf(stderr, "%s\n", error);
			free(error);
			return 2;
		}
		int status = socksim_run_execute(run);
		double t2 = cpu_us();

		if (status != 0) {
			fprintf(stderr, "bench-quiet: %s: run exit status %d\n", path, status);
			socksim_run_free(run);
			return 1;
		}
		end_ns = (unsigned long long)socksim_run_end_time_ns(run);
		socksim_run_free(run);
		double t3 = cpu_us();

		if (i == 0) {
			first = t3 - t0;
			continue;	/* the first iteration pays the page faults and caches */
		}
		load += t1 - t0;
		exec += t2 - t1;
		fr += t3 - t2;
	}
	long n = repeat > 1 ? repeat - 1 : 1;

	printf("bench-quiet: %s: simulated %.3f s, %ld runs in one process\n", path, (double)end_ns * 1e-9,
	       repeat);
	printf("bench-quiet: first run %.1f us CPU; then per run: load %.1f us, execute %.1f us, free %.1f us, total %.1f us\n",
	       first, load / (double)n, exec / (double)n, fr / (double)n, (load + exec + fr) / (double)n);
	return 0;
}
