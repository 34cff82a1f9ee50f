// SPDX-License-Identifier: GPL-2.0
/*
 * A smoke run of the benchmark, ipcchan-bench -q -s 64: it must finish,
 * report every mechanism, and every figure it reports must be a sane
 * positive number. No speed is required of anything: the figures of a
 * test VM mean nothing, `make bench` is where they are taken. On a kernel
 * whose clock ticks coarsely (the debug kernel counts jiffies) a round trip
 * or the CPU time of a message may read as 0: there they need only not be
 * negative.
 */
#include "util.h"

#define BENCH		"/usr/bin/ipcchan-bench"
#define OPEN_CSV	"/tmp/bench-smoke-open.csv"

static const char *const mechanisms[] = {
	"ipcchan", "ipcchan-batch", "ipcchan-ring", "pipe", "unix-seqpacket",
	"posix-mq", "eventfd-shm", "shm-spin", "ipcchan-packed",
	"ipcchan-sync", "ipcchan-pair",
};

#define N_MECHS		(sizeof(mechanisms) / sizeof(mechanisms[0]))

/* Runs the benchmark quickly, 64-byte messages only; stdout goes to @out. */
static void run_bench(FILE *out)
{
	pid_t pid;
	int status;

	if (access(BENCH, X_OK))
		SKIP("no " BENCH " in the VM");
	pid = xfork();
	if (pid == 0) {
		dup2(fileno(out), STDOUT_FILENO);
		execl(BENCH, BENCH, "-q", "-b", "1", "-s", "64", "-m", "smoke",
		      "-O", OPEN_CSV, (char *)NULL);
		_exit(127);
	}
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		    "ipcchan-bench ended with status 0x%x", status);
	fflush(out);
	rewind(out);
}

/* Splits the CSV @line in place into at most @max fields. */
static int split(char *line, char **f, int max)
{
	int n = 0;

	line[strcspn(line, "\n")] = '\0';
	f[n++] = line;
	while (n < max && (line = strchr(line, ','))) {
		*line++ = '\0';
		f[n++] = line;
	}
	return n;
}

/* A number, above 0 (or at least 0 when @zero_ok), and not absurd. */
static bool figure(const char *s, bool zero_ok)
{
	char *end;
	double v = strtod(s, &end);

	return *s && !*end && (v > 0 || (zero_ok && v == 0)) && v < 1e15;
}

static bool positive(const char *s)
{
	return figure(s, false);
}

/* Does CLOCK_MONOTONIC move in steps of more than 100 us? */
static bool clock_coarse(void)
{
	int64_t t0 = now_ns(), t;

	while ((t = now_ns()) == t0)
		;
	return t - t0 > 100000;
}

TEST_TIMEOUT(results, 300)
{
	FILE *out = tmpfile();
	char line[512], *f[10];
	bool seen[N_MECHS] = { false };
	size_t i;
	bool coarse = clock_coarse();
	int rows = 0, n;

	if (coarse)
		TH_LOG("the clock is coarse: times of 0 are accepted");
	ASSERT_TRUE(out != NULL);
	run_bench(out);
	ASSERT_TRUE(fgets(line, sizeof(line), out) != NULL);
	ASSERT_STREQ(line, "mode,mechanism,size,batch,rtt_p50_ns,rtt_p99_ns,"
		     "rtt_p999_ns,msgs_per_s,mb_per_s,cpu_ns_per_msg\n");
	while (fgets(line, sizeof(line), out)) {
		n = split(line, f, 10);
		ASSERT_EQ(n, 10, "a row of %d fields", n);
		ASSERT_STREQ(f[0], "smoke");
		for (i = 0; i < N_MECHS; i++)
			if (!strcmp(f[1], mechanisms[i]))
				break;
		ASSERT_LT(i, N_MECHS, "mechanism %s", f[1]);
		seen[i] = true;
		EXPECT_TRUE(positive(f[2]) && positive(f[3]), "%s: size %s batch %s",
			    f[1], f[2], f[3]);
		/* Ping-pong figures, except for the batch sweeps. */
		if (strcmp(f[1], "ipcchan-batch") &&
		    strcmp(f[1], "ipcchan-packed")) {
			EXPECT_TRUE(figure(f[4], coarse) &&
				    figure(f[5], coarse) &&
				    figure(f[6], coarse), "%s %s B: rtt %s %s %s",
				    f[1], f[2], f[4], f[5], f[6]);
			EXPECT_LE(atof(f[4]), atof(f[5]), "%s: p50 > p99", f[1]);
			EXPECT_LE(atof(f[5]), atof(f[6]), "%s: p99 > p99.9",
				  f[1]);
		}
		EXPECT_TRUE(positive(f[7]) && positive(f[8]) &&
			    figure(f[9], coarse),
			    "%s %s B: %s msgs/s %s MB/s %s ns", f[1], f[2],
			    f[7], f[8], f[9]);
		rows++;
	}
	for (i = 0; i < N_MECHS; i++)
		EXPECT_TRUE(seen[i], "no row of %s", mechanisms[i]);
	TH_LOG("%d rows", rows);
	fclose(out);

	/* Open and lookup: both kinds, with both counts of objects. */
	out = fopen(OPEN_CSV, "r");
	ASSERT_TRUE(out != NULL);
	ASSERT_TRUE(fgets(line, sizeof(line), out) != NULL);
	ASSERT_STREQ(line, "mode,kind,objects,open_ns,lookup_ns\n");
	rows = 0;
	while (fgets(line, sizeof(line), out)) {
		n = split(line, f, 5);
		ASSERT_EQ(n, 5);
		EXPECT_TRUE(!strcmp(f[1], "channel") || !strcmp(f[1], "region"),
			    "kind %s", f[1]);
		EXPECT_TRUE(positive(f[2]) && figure(f[3], coarse) &&
			    figure(f[4], coarse),
			    "%s %s: %s %s", f[1], f[2], f[3], f[4]);
		rows++;
	}
	EXPECT_EQ(rows, 4);
	fclose(out);
	unlink(OPEN_CSV);
}

TEST_MAIN("bench")
