// SPDX-License-Identifier: GPL-2.0
/*
 * The driver: runs one measurement of one mechanism in two forked
 * processes, side A and side B, and turns what they saw into a result row.
 *
 * Before it starts the clock, each run moves one lap of messages (the
 * depth of the queue) through the link, so that every buffer, ring slot
 * and page is touched once: what is measured is the steady state, not the
 * first faults on fresh memory.
 *
 * Every measurement runs twice: a short calibration run whose time per
 * round trip (or per message) picks the iteration count that fills the time
 * budget (opts.budget_ns), then the measured run, with a fresh link. Under
 * QEMU's -icount guest time counts instructions, so the count, and with it
 * the whole run, is the same from one run to the next.
 *
 * Both sides then sleep at a start line, and the parent wakes them
 * together once it has run long enough that both wake up with the same
 * standing in the scheduler (start_both()).
 *
 * Ping-pong: A fills a message, sends it, waits for B's reply of the same
 * size and reads every byte of it; B does the same the other way. A times
 * each round trip with CLOCK_MONOTONIC; the first few are dropped as warm-up
 * and the rest give the percentiles.
 *
 * Streaming: A fills and sends N messages, B receives them and reads every
 * byte; the rate is N over the time from A's start to B's last message.
 *
 * CPU time: getrusage(RUSAGE_SELF) of each side, user plus system, around
 * the measured loop; their sum over the messages moved (two per round
 * trip) is cpu_ns_per_msg.
 *
 * Every message carries its sequence number in its words (word i of message
 * s holds s + i); the reader checks the first and last words and folds all
 * of them into a sum, so no byte goes unread and a lost or reordered
 * message fails the measurement.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/futex.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "bench.h"

/* Round trips dropped from the front of a ping-pong run. */
#define WARMUP_DIV		50
#define WARMUP_MIN		3

/* Iterations of a calibration run. */
#define CALIB_ROUNDS		8

/* What both sides and the parent share, in a MAP_SHARED mapping. */
struct shared {
	_Atomic unsigned int ready;	/* sides at the start line */
	_Atomic uint32_t go;		/* futex: 1 once the parent starts them */
	int err[2];			/* -errno of each side */
	_Atomic uint64_t bad;		/* messages with wrong contents */
	int64_t t_start;		/* A, before the first message */
	int64_t t_end;			/* B, after the last message */
	int64_t cpu_ns[2];
	long nvcsw[2];			/* context switches of each side */
	long nivcsw[2];
	unsigned int rx_calls;		/* B's receive calls (stream) */
	unsigned int iters;
	int64_t samples[];		/* A's round trips */
};

/* Where the reads of every byte end up, so that they are not optimised out. */
static volatile uint64_t sink;

/*
 * Filling and reading go 64 bytes a turn, in 16-byte vectors (SSE2 on
 * x86-64), as an application writing its payload at memory speed would:
 * the work is the same for every mechanism, and the cheaper it is, the
 * more of what is measured is the mechanism itself.
 */
typedef uint64_t v2u64 __attribute__((vector_size(16), aligned(8)));

static void fill(void *buf, size_t size, uint64_t seq)
{
	const v2u64 step = { 8, 8 };
	v2u64 a = { seq, seq + 1 }, b = { seq + 2, seq + 3 };
	v2u64 c = { seq + 4, seq + 5 }, d = { seq + 6, seq + 7 };
	v2u64 *v = buf;
	uint64_t *w = buf;
	size_t i, n = size / 64;

	for (i = 0; i < n; i++) {
		v[4 * i] = a;
		v[4 * i + 1] = b;
		v[4 * i + 2] = c;
		v[4 * i + 3] = d;
		a += step;
		b += step;
		c += step;
		d += step;
	}
	for (i = n * 8; i < size / 8; i++)
		w[i] = seq + i;
}

/* Reads every word; returns false if the message is not number @seq. */
static bool consume(const void *buf, size_t size, uint64_t seq)
{
	const v2u64 *v = buf;
	const uint64_t *w = buf;
	v2u64 sum = { 0, 0 };
	size_t i, n = size / 64, words = size / 8;
	uint64_t rest = 0;

	for (i = 0; i < n; i++)
		sum += v[4 * i] ^ v[4 * i + 1] ^ v[4 * i + 2] ^ v[4 * i + 3];
	for (i = n * 8; i < words; i++)
		rest += w[i];
	sink += sum[0] + sum[1] + rest;
	return w[0] == seq && w[words - 1] == seq + words - 1;
}

static int64_t cpu_now(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000LL +
	       (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000LL;
}

static void pin(int side)
{
	cpu_set_t set;

	if (!opts.pin)
		return;
	CPU_ZERO(&set);
	CPU_SET(side, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

/*
 * Both sides sleep here until the parent starts them together (see
 * start_both()).
 */
static void start_line(struct shared *sh)
{
	atomic_fetch_add(&sh->ready, 1);
	while (!atomic_load(&sh->go))
		syscall(SYS_futex, &sh->go, FUTEX_WAIT, 0, NULL, NULL, 0);
}

/* CPU time the parent burns while both sides sleep at the start line. */
#define START_SPIN_NS	(30 * 1000 * 1000LL)

static int64_t thread_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/*
 * Starts both sides with the same standing in the scheduler. With one CPU,
 * whether a woken side preempts the other depends on how far apart their
 * CFS vruntimes are, and that would otherwise be whatever the forks and the
 * warm-up left: an offset that the two sides keep for the whole run, and
 * that can double the context switches of a stream. Both sleep while the
 * parent runs for longer than the sleeper credit (half of
 * sched_latency), so that both wake up placed at the same vruntime.
 */
static void start_both(struct shared *sh)
{
	int64_t t0 = now_ns(), c0;

	/* A side that fails before the line exits: give up after 10 s. */
	while (atomic_load(&sh->ready) < 2 && now_ns() - t0 < 10000000000LL)
		usleep(100);
	c0 = thread_cpu_ns();
	while (thread_cpu_ns() - c0 < START_SPIN_NS)
		;
	atomic_store(&sh->go, 1);
	syscall(SYS_futex, &sh->go, FUTEX_WAKE, 2, NULL, NULL, 0);
}

static int send_one(const struct mech *m, struct link *l, size_t size,
		    uint64_t seq)
{
	void *buf = m->tx_buf(l, 0);

	if (!buf)
		return -EIO;
	fill(buf, size, seq);
	return m->tx(l, 1);
}

static int recv_one(const struct mech *m, struct link *l, size_t size,
		    uint64_t seq, struct shared *sh)
{
	const void *buf;
	int ret;

	ret = m->rx(l, 1, &buf);
	if (ret < 0)
		return ret;
	if (ret != 1)
		return -EIO;
	if (!consume(buf, size, seq))
		atomic_fetch_add(&sh->bad, 1);
	return m->rx_done(l, 1);
}

static int pingpong_side(const struct mech *m, struct link *l, int side,
			 size_t size, struct shared *sh)
{
	unsigned int k;
	int64_t t0;
	int ret = 0;

	for (k = 0; k < sh->iters && !ret; k++) {
		if (side == SIDE_A) {
			t0 = now_ns();
			ret = send_one(m, l, size, k);
			if (!ret)
				ret = recv_one(m, l, size, k, sh);
			sh->samples[k] = now_ns() - t0;
		} else {
			ret = recv_one(m, l, size, k, sh);
			if (!ret)
				ret = send_one(m, l, size, k);
		}
	}
	return ret;
}

static int stream_producer(const struct mech *m, struct link *l,
			   const struct link_params *p, struct shared *sh)
{
	unsigned int sent, n, i;
	int ret;

	sh->t_start = now_ns();
	for (sent = 0; sent < sh->iters; sent += n) {
		n = sh->iters - sent < p->batch ? sh->iters - sent : p->batch;
		for (i = 0; i < n; i++) {
			void *buf = m->tx_buf(l, i);

			if (!buf)
				return -EIO;
			fill(buf, p->size, sent + i);
		}
		ret = m->tx(l, n);
		if (ret)
			return ret;
	}
	return 0;
}

static int stream_consumer(const struct mech *m, struct link *l,
			   const struct link_params *p, struct shared *sh)
{
	const void *bufs[BENCH_BATCH_MAX];
	unsigned int got, n;
	int i, ret;

	for (got = 0; got < sh->iters; got += ret) {
		n = sh->iters - got < p->batch ? sh->iters - got : p->batch;
		ret = m->rx(l, n, bufs);
		if (ret <= 0)
			return ret ? ret : -EIO;
		sh->rx_calls++;
		for (i = 0; i < ret; i++)
			if (!consume(bufs[i], p->size, got + i))
				atomic_fetch_add(&sh->bad, 1);
		if (m->rx_done(l, ret))
			return -EIO;
	}
	sh->t_end = now_ns();
	return 0;
}

/* One lap through the queue, before the clock starts. */
static int warm_up(const struct mech *m, struct link *l,
		   const struct link_params *p, int side, struct shared *sh)
{
	unsigned int k;
	int ret = 0;

	for (k = 0; k < p->depth && !ret; k++) {
		if (p->pingpong && side == SIDE_A) {
			ret = send_one(m, l, p->size, k);
			if (!ret)
				ret = recv_one(m, l, p->size, k, sh);
		} else if (p->pingpong) {
			ret = recv_one(m, l, p->size, k, sh);
			if (!ret)
				ret = send_one(m, l, p->size, k);
		} else if (side == SIDE_A) {
			ret = send_one(m, l, p->size, k);
		} else {
			ret = recv_one(m, l, p->size, k, sh);
		}
	}
	return ret;
}

static void child(const struct mech *m, struct link *l,
		  const struct link_params *p, int side, struct shared *sh)
{
	struct rusage ru0, ru1;
	int64_t cpu0;
	int ret;

	pin(side);
	ret = m->attach(l, side);
	if (!ret)
		ret = warm_up(m, l, p, side, sh);
	start_line(sh);
	getrusage(RUSAGE_SELF, &ru0);
	cpu0 = cpu_now();
	if (!ret && p->pingpong)
		ret = pingpong_side(m, l, side, p->size, sh);
	else if (!ret && side == SIDE_A)
		ret = stream_producer(m, l, p, sh);
	else if (!ret)
		ret = stream_consumer(m, l, p, sh);
	sh->cpu_ns[side] = cpu_now() - cpu0;
	getrusage(RUSAGE_SELF, &ru1);
	sh->nvcsw[side] = ru1.ru_nvcsw - ru0.ru_nvcsw;
	sh->nivcsw[side] = ru1.ru_nivcsw - ru0.ru_nivcsw;
	sh->err[side] = ret;
	if (m->detach)
		m->detach(l);
	_exit(ret ? 1 : 0);
}

static size_t shared_size(unsigned int iters)
{
	return sizeof(struct shared) + (size_t)iters * sizeof(int64_t);
}

/*
 * One run of @iters round trips or messages. On success *@shp is the
 * shared record, to be freed with shared_free(..., shared_size(iters)).
 */
static int run_once(const struct mech *m, struct link_params *p,
		    unsigned int iters, struct shared **shp)
{
	struct shared *sh;
	struct link *l;
	pid_t pid[2];
	int side, status, ret;

	sh = shared_alloc(shared_size(iters));
	if (!sh)
		return -ENOMEM;
	sh->iters = iters;
	p->id = next_id();
	ret = m->setup(&l, p);
	if (ret) {
		shared_free(sh, shared_size(iters));
		return ret;
	}
	for (side = 0; side < 2; side++) {
		pid[side] = fork();
		if (pid[side] == 0)
			child(m, l, p, side, sh);
		if (pid[side] < 0) {
			ret = -errno;
			if (side == 1) {
				kill(pid[0], SIGKILL);
				waitpid(pid[0], NULL, 0);
			}
			goto out;
		}
	}
	start_both(sh);
	for (side = 0; side < 2; side++) {
		/* One side failing leaves the other blocked: end it. */
		pid_t done = wait(&status);

		if (done > 0 && (!WIFEXITED(status) || WEXITSTATUS(status)) &&
		    side == 0) {
			kill(done == pid[0] ? pid[1] : pid[0], SIGKILL);
			ret = -EIO;
		}
	}
	if (!ret)
		ret = sh->err[0] ? sh->err[0] : sh->err[1];
	if (!ret && atomic_load(&sh->bad))
		ret = -EBADMSG;
out:
	m->teardown(l);
	if (ret) {
		note("%s size %zu: %s", m->name, p->size, strerror(-ret));
		shared_free(sh, shared_size(iters));
		return ret;
	}
	*shp = sh;
	return 0;
}

/* Messages one direction queues: a few MiB, 4 to 128 messages. */
static unsigned int depth_for(size_t size)
{
	size_t d = (4u << 20) / size;

	return d < 4 ? 4 : d > 128 ? 128 : d;
}

static unsigned int iters_for(double ns_per_iter, unsigned int min,
			      unsigned int max)
{
	double n = ns_per_iter > 0 ? opts.budget_ns / ns_per_iter : max;

	if (n < min)
		return min;
	if (n > max)
		return max;
	return (unsigned int)n;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* Nearest-rank percentile of the sorted @s. */
static double pct(const int64_t *s, unsigned int n, double q)
{
	unsigned int i = (unsigned int)ceil(q * n);

	return s[i ? i - 1 : 0];
}

static void result_init(struct result *r, const struct mech *m, size_t size,
			unsigned int batch)
{
	*r = (struct result){
		.mechanism = m->name, .size = size, .batch = batch,
		.rtt_p50_ns = -1, .rtt_p99_ns = -1, .rtt_p999_ns = -1,
		.msgs_per_s = -1, .mb_per_s = -1, .cpu_ns_per_msg = -1,
	};
}

int bench_pingpong(const struct mech *m, size_t size, struct result *r)
{
	struct link_params p = {
		.size = size, .depth = depth_for(size), .batch = 1,
		.pingpong = true,
	};
	struct shared *sh;
	unsigned int iters, skip, n, k;
	int64_t total = 0;
	int ret;

	if (r->mechanism == NULL)
		result_init(r, m, size, 1);
	ret = run_once(m, &p, CALIB_ROUNDS, &sh);
	if (ret)
		return ret;
	for (k = CALIB_ROUNDS / 2; k < CALIB_ROUNDS; k++)
		total += sh->samples[k];
	shared_free(sh, shared_size(CALIB_ROUNDS));
	iters = iters_for((double)total / (CALIB_ROUNDS / 2), opts.min_iters,
			  opts.max_iters);

	ret = run_once(m, &p, iters, &sh);
	if (ret)
		return ret;
	skip = iters / WARMUP_DIV > WARMUP_MIN ? iters / WARMUP_DIV : WARMUP_MIN;
	if (skip >= iters)
		skip = 0;
	n = iters - skip;
	qsort(sh->samples + skip, n, sizeof(int64_t), cmp_i64);
	r->rtt_p50_ns = pct(sh->samples + skip, n, 0.50);
	r->rtt_p99_ns = pct(sh->samples + skip, n, 0.99);
	r->rtt_p999_ns = pct(sh->samples + skip, n, 0.999);
	if (opts.verbose)
		note("%-14s %8zu B ping-pong: %u round trips, p50 %.0f ns",
		     m->name, size, iters, r->rtt_p50_ns);
	shared_free(sh, shared_size(iters));
	return 0;
}

int bench_stream(const struct mech *m, size_t size, unsigned int batch,
		 struct result *r)
{
	struct link_params p = {
		.size = size, .depth = depth_for(size), .batch = batch,
	};
	struct shared *sh;
	unsigned int iters, min;
	double secs;
	int ret;

	if (r->mechanism == NULL)
		result_init(r, m, size, batch);
	min = 2 * p.depth > opts.min_iters ? 2 * p.depth : opts.min_iters;
	if (min < 4 * batch)
		min = 4 * batch;
	ret = run_once(m, &p, min, &sh);
	if (ret)
		return ret;
	iters = iters_for((double)(sh->t_end - sh->t_start) / min, min,
			  opts.max_msgs);
	shared_free(sh, shared_size(min));

	ret = run_once(m, &p, iters, &sh);
	if (ret)
		return ret;
	secs = (sh->t_end - sh->t_start) / 1e9;
	if (secs <= 0)
		secs = 1e-9;
	r->msgs_per_s = iters / secs;
	r->mb_per_s = r->msgs_per_s * size / 1e6;
	r->cpu_ns_per_msg = (double)(sh->cpu_ns[0] + sh->cpu_ns[1]) / iters;
	if (opts.verbose) {
		note("%-14s %8zu B batch %2u stream: %u msgs, %.0f msgs/s",
		     m->name, size, batch, iters, r->msgs_per_s);
		note("%-14s %8zu B batch %2u stream: %.1f msgs/recv; CPU ns/msg tx %.0f rx %.0f; per 1000 msgs: tx %.1f vol %.1f invol, rx %.1f vol %.1f invol switches",
		     m->name, size, batch,
		     sh->rx_calls ? (double)iters / sh->rx_calls : 0,
		     (double)sh->cpu_ns[0] / iters,
		     (double)sh->cpu_ns[1] / iters,
		     1000.0 * sh->nvcsw[0] / iters,
		     1000.0 * sh->nivcsw[0] / iters,
		     1000.0 * sh->nvcsw[1] / iters,
		     1000.0 * sh->nivcsw[1] / iters);
	}
	shared_free(sh, shared_size(iters));
	return 0;
}
