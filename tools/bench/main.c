// SPDX-License-Identifier: GPL-2.0
/*
 * ipcchan-bench: ipcchan channels, batches and the region ring measured
 * side by side with a pipe, a UNIX SOCK_SEQPACKET socketpair, a POSIX
 * message queue, eventfd with shared memory, and a busy-polled shared
 * memory ring. Runs as root, with the module loaded (in the test VM:
 * `make bench`, see tests/qemu/run-bench.sh).
 *
 * Prints results.csv on stdout:
 *
 *   mode,mechanism,size,batch,rtt_p50_ns,rtt_p99_ns,rtt_p999_ns,
 *   msgs_per_s,mb_per_s,cpu_ns_per_msg
 *
 * one row per mechanism, message size and batch: the round-trip
 * percentiles of a ping-pong (batch 1; empty for ipcchan-batch and
 * ipcchan-packed), the rate of one-way streaming in messages and in MB
 * (10^6 bytes) per second, and the CPU time of both processes per
 * streamed message. With -O, writes
 * open.csv too:
 *
 *   mode,kind,objects,open_ns,lookup_ns
 *
 * See run.c for how each figure is taken, open.c for the open figures.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>

#include "bench.h"

struct bench_opts opts = {
	.mode = "run",
	.budget_ns = 100e6,
	.min_iters = 20,
	.max_iters = 20000,
	.max_msgs = 200000,
};

/* The mechanisms measured at every size, batch 1. */
static const struct mech *const mechs[] = {
	&mech_ipcchan, &mech_ipcchan_pair, &mech_ipcchan_ring, &mech_pipe,
	&mech_unix_seqpacket, &mech_posix_mq, &mech_eventfd_shm,
	&mech_shm_spin, &mech_ipcchan_sync,
};

/* Batch 1 as well, measured only when -M names them. */
static const struct mech *const asked_mechs[] = {
	&mech_ipcchan_rw,
};

static const size_t full_sizes[] = {
	8, 64, 512, 4096, 16384, 65536, 262144, 1048576,
};
static const size_t quick_sizes[] = { 64, 65536 };

/* The mechanisms of the batch sweeps. */
static const struct mech *const batch_mechs[] = {
	&mech_ipcchan_batch, &mech_ipcchan_packed,
};

/* Batch sweeps of ipcchan-batch and -packed: every batch at these sizes... */
static const size_t sweep_sizes[] = { 64, 4096 };
static const unsigned int sweep_batches[] = { 1, 2, 4, 8, 16, 32, 64 };
static const unsigned int quick_batches[] = { 1, 32 };
/* ...and batch 32 at every size up to this one. */
#define BATCH32_MAX_SIZE	65536

static const unsigned int full_objects[] = { 10, 10000 };
static const unsigned int quick_objects[] = { 10, 100 };

static const char usage[] =
	"Usage: ipcchan-bench [-q] [-v] [-m MODE] [-b MS] [-M MECH,...]\n"
	"                     [-s SIZE,...] [-B BATCH,...] [-O OPEN.CSV] [-p | -P]\n";

static const char help[] =
	"  -m MODE      the mode column of the CSV (default: run)\n"
	"  -b MS        guest time each measurement aims at (default 100)\n"
	"  -M MECH,...  only these mechanisms (names as in the CSV); ipcchan-rw\n"
	"               (read/write on two named channels) only when named\n"
	"  -s SIZE,...  message sizes in bytes, multiples of 8\n"
	"  -B BATCH,... the batch sizes of the batch and packed sweeps (1 to 64)\n"
	"  -O FILE      measure open and lookup, write open.csv to FILE\n"
	"  -q           quick: two sizes, two batches, 10 ms a measurement\n"
	"  -p, -P       pin side A to CPU 0 and B to CPU 1, or not (default:\n"
	"               pin when there are two CPUs or more)\n"
	"  -v           progress on stderr\n";

static bool wanted(const char *list, const char *name)
{
	size_t n = strlen(name);
	const char *p = list;

	if (!list)
		return true;
	while ((p = strstr(p, name))) {
		if ((p == list || p[-1] == ',') && (p[n] == ',' || !p[n]))
			return true;
		p += n;
	}
	return false;
}

static void put_num(double v, const char *fmt)
{
	putchar(',');
	if (v >= 0)
		printf(fmt, v);
}

static void print_row(const struct result *r)
{
	printf("%s,%s,%zu,%u", opts.mode, r->mechanism, r->size, r->batch);
	put_num(r->rtt_p50_ns, "%.0f");
	put_num(r->rtt_p99_ns, "%.0f");
	put_num(r->rtt_p999_ns, "%.0f");
	put_num(r->msgs_per_s, "%.0f");
	put_num(r->mb_per_s, "%.2f");
	put_num(r->cpu_ns_per_msg, "%.0f");
	putchar('\n');
	fflush(stdout);
}

static int parse_batches(char *arg, unsigned int *batches, size_t max,
			 size_t *n)
{
	char *tok, *end;

	*n = 0;
	for (tok = strtok(arg, ","); tok; tok = strtok(NULL, ",")) {
		unsigned long v = strtoul(tok, &end, 10);

		if (*end || !v || v > BENCH_BATCH_MAX || *n == max)
			return -1;
		batches[(*n)++] = v;
	}
	return *n ? 0 : -1;
}

static int parse_sizes(char *arg, size_t *sizes, size_t max, size_t *n)
{
	char *tok, *end;

	*n = 0;
	for (tok = strtok(arg, ","); tok; tok = strtok(NULL, ",")) {
		unsigned long v = strtoul(tok, &end, 10);

		if (*end || !v || v % 8 || v > (64u << 20) || *n == max)
			return -1;
		sizes[(*n)++] = v;
	}
	return *n ? 0 : -1;
}

/* One size of one batch-1 mechanism: ping-pong and streaming. */
static int measure(const struct mech *m, size_t size)
{
	struct result r = { 0 };
	int ret;

	ret = bench_pingpong(m, size, &r);
	if (!ret)
		ret = bench_stream(m, size, 1, &r);
	if (!ret)
		print_row(&r);
	return ret;
}

static int measure_batch(const struct mech *m, size_t size,
			 unsigned int batch)
{
	struct result r = { 0 };
	int ret;

	ret = bench_stream(m, size, batch, &r);
	if (!ret)
		print_row(&r);
	return ret;
}

static int measure_open(FILE *out, const unsigned int *objects, size_t n)
{
	static const char *const kinds[] = { "channel", "region" };
	struct open_result r;
	size_t k, i;
	int ret, failed = 0;

	fprintf(out, "mode,kind,objects,open_ns,lookup_ns\n");
	for (k = 0; k < ARRAY_SIZE(kinds); k++) {
		for (i = 0; i < n; i++) {
			ret = bench_open(kinds[k], objects[i], 2000, &r);
			if (ret) {
				note("open of %s with %u: %s", kinds[k],
				     objects[i], strerror(-ret));
				failed = 1;
				continue;
			}
			fprintf(out, "%s,%s,%u,%.0f,%.0f\n", opts.mode, r.kind,
				r.objects, r.open_ns, r.lookup_ns);
			fflush(out);
		}
	}
	return failed;
}

int main(int argc, char *argv[])
{
	struct rlimit unlimited = { RLIM_INFINITY, RLIM_INFINITY };
	size_t sizes[32], nsizes = 0, i, j, k;
	const unsigned int *batches = sweep_batches, *objects = full_objects;
	unsigned int given_batches[BENCH_BATCH_MAX];
	size_t nbatches = ARRAY_SIZE(sweep_batches);
	const char *only = NULL, *open_csv = NULL;
	bool quick = false, sizes_given = false, batches_given = false;
	int pin = -1, opt, failed = 0;

	while ((opt = getopt(argc, argv, "m:b:M:s:B:O:qpPvh")) != -1) {
		switch (opt) {
		case 'm':
			opts.mode = optarg;
			break;
		case 'b':
			opts.budget_ns = atof(optarg) * 1e6;
			if (opts.budget_ns <= 0)
				goto bad;
			break;
		case 'M':
			only = optarg;
			break;
		case 's':
			if (parse_sizes(optarg, sizes, ARRAY_SIZE(sizes),
					&nsizes))
				goto bad;
			sizes_given = true;
			break;
		case 'B':
			if (parse_batches(optarg, given_batches,
					  ARRAY_SIZE(given_batches), &nbatches))
				goto bad;
			batches_given = true;
			break;
		case 'O':
			open_csv = optarg;
			break;
		case 'q':
			quick = true;
			break;
		case 'p':
		case 'P':
			pin = opt == 'p';
			break;
		case 'v':
			opts.verbose = true;
			break;
		case 'h':
			printf("%s%s", usage, help);
			return 0;
		default:
			goto bad;
		}
	}
	if (optind != argc)
		goto bad;

	if (quick) {
		opts.budget_ns = 10e6;
		opts.max_iters = 2000;
		opts.max_msgs = 20000;
		batches = quick_batches;
		nbatches = ARRAY_SIZE(quick_batches);
		objects = quick_objects;
	}
	if (batches_given)
		batches = given_batches;
	if (!sizes_given) {
		const size_t *s = quick ? quick_sizes : full_sizes;

		nsizes = quick ? ARRAY_SIZE(quick_sizes) :
				 ARRAY_SIZE(full_sizes);
		memcpy(sizes, s, nsizes * sizeof(*s));
	}
	opts.pin = pin >= 0 ? pin : sysconf(_SC_NPROCESSORS_ONLN) >= 2;
	/* POSIX mq charges its queues to RLIMIT_MSGQUEUE. */
	if (setrlimit(RLIMIT_MSGQUEUE, &unlimited))
		note("cannot lift RLIMIT_MSGQUEUE: %s", strerror(errno));

	printf("mode,mechanism,size,batch,rtt_p50_ns,rtt_p99_ns,rtt_p999_ns,"
	       "msgs_per_s,mb_per_s,cpu_ns_per_msg\n");
	for (i = 0; i < nsizes; i++)
		for (j = 0; j < ARRAY_SIZE(mechs); j++)
			if (wanted(only, mechs[j]->name))
				failed |= !!measure(mechs[j], sizes[i]);
	for (i = 0; i < nsizes && only; i++)
		for (j = 0; j < ARRAY_SIZE(asked_mechs); j++)
			if (wanted(only, asked_mechs[j]->name))
				failed |= !!measure(asked_mechs[j], sizes[i]);
	for (k = 0; k < ARRAY_SIZE(batch_mechs); k++) {
		const struct mech *m = batch_mechs[k];
		/* With -s, the sweeps are at the sizes given. */
		const size_t *sweep = sizes_given ? sizes : sweep_sizes;
		size_t nsweep = sizes_given ? nsizes : ARRAY_SIZE(sweep_sizes);

		if (!wanted(only, m->name))
			continue;
		for (i = 0; i < nsweep; i++)
			for (j = 0; j < nbatches; j++)
				failed |= !!measure_batch(m, sweep[i],
							  batches[j]);
		for (i = 0; i < nsizes && !quick && !sizes_given; i++) {
			bool swept = false;

			for (j = 0; j < ARRAY_SIZE(sweep_sizes); j++)
				swept |= sizes[i] == sweep_sizes[j];
			if (!swept && sizes[i] <= BATCH32_MAX_SIZE)
				failed |= !!measure_batch(m, sizes[i], 32);
		}
	}
	if (open_csv) {
		FILE *out = fopen(open_csv, "w");

		if (!out) {
			note("%s: %s", open_csv, strerror(errno));
			return 1;
		}
		failed |= measure_open(out, objects,
				       ARRAY_SIZE(full_objects));
		if (fclose(out))
			failed = 1;
	}
	return failed;
bad:
	fprintf(stderr, "%s", usage);
	return 2;
}
