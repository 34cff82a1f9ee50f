/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ipcchan-bench: what the driver (run.c) and the mechanisms (mech_*.c)
 * share.
 *
 * A mechanism moves messages between two processes, side A and side B,
 * forked from the benchmark. It offers two directions: A to B (dir 0) and
 * B to A (dir 1). Ping-pong uses both; streaming only A to B, with A the
 * producer and B the consumer.
 *
 * The life of a link:
 *	setup()		in the parent, before the fork: create what both
 *			sides share (names, fds, shared memory)
 *	attach(side)	in each child, after the fork
 *	tx_buf/tx	the sender: fill the buffers tx_buf() gives, then tx()
 *	rx/rx_done	the receiver: rx() gives pointers to the messages,
 *			the driver reads them, rx_done() gives them back
 *	detach(side)	in each child, at the end
 *	teardown()	in the parent, after both children are gone
 *
 * The driver fills every byte of each message before tx() and reads every
 * byte after rx(), whatever the mechanism, so that copying and zero-copy
 * mechanisms do the same work. tx_buf() returns a private buffer for a
 * copying mechanism and the shared slot itself for a zero-copy one.
 */
#ifndef IPCCHAN_BENCH_H
#define IPCCHAN_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Messages a batch moves at most; ipcchan-batch's largest batch. */
#define BENCH_BATCH_MAX		64

/* Side of a link. */
enum { SIDE_A = 0, SIDE_B = 1 };

/* What the driver asks a mechanism to set up. */
struct link_params {
	size_t size;		/* every message has this many bytes */
	unsigned int depth;	/* messages a direction should queue */
	unsigned int batch;	/* most messages one tx/rx moves */
	bool pingpong;		/* both directions, else A to B only */
	unsigned int id;	/* unique in this run, for names */
};

struct link;

/**
 * struct mech - one IPC mechanism
 * @name: as in the CSV
 * @batched: moves more than one message per call (batch sweeps use it)
 * @setup: creates the link; 0 or -errno
 * @attach: takes side A or B in a child; 0 or -errno
 * @tx_buf: the buffer to fill for message @i of the next tx()
 * @tx: sends @n messages of params.size bytes on the side's direction
 * @rx: receives up to @n messages, at least one, waiting for the first;
 *	stores their addresses in @bufs; returns the count or -errno
 * @rx_done: gives back the @n messages of the last rx()
 * @detach: a child's end; may be NULL
 * @teardown: frees the link, in the parent
 */
struct mech {
	const char *name;
	bool batched;
	int (*setup)(struct link **l, const struct link_params *p);
	int (*attach)(struct link *l, int side);
	void *(*tx_buf)(struct link *l, unsigned int i);
	int (*tx)(struct link *l, unsigned int n);
	int (*rx)(struct link *l, unsigned int n, const void **bufs);
	int (*rx_done)(struct link *l, unsigned int n);
	void (*detach)(struct link *l);
	void (*teardown)(struct link *l);
};

extern const struct mech mech_ipcchan;
extern const struct mech mech_ipcchan_rw;
extern const struct mech mech_ipcchan_pair;
extern const struct mech mech_ipcchan_batch;
extern const struct mech mech_ipcchan_sync;
extern const struct mech mech_ipcchan_packed;
extern const struct mech mech_ipcchan_ring;
extern const struct mech mech_pipe;
extern const struct mech mech_unix_seqpacket;
extern const struct mech mech_posix_mq;
extern const struct mech mech_eventfd_shm;
extern const struct mech mech_shm_spin;

/* One row of results.csv; a figure not measured is negative. */
struct result {
	const char *mechanism;
	size_t size;
	unsigned int batch;
	double rtt_p50_ns, rtt_p99_ns, rtt_p999_ns;
	double msgs_per_s, mb_per_s;
	double cpu_ns_per_msg;
};

/* Settings of a whole run (main.c). */
struct bench_opts {
	const char *mode;		/* the CSV's mode column */
	double budget_ns;		/* guest time a measurement aims at */
	unsigned int min_iters;		/* fewest round trips or messages */
	unsigned int max_iters;		/* most round trips */
	unsigned int max_msgs;		/* most messages streamed */
	bool pin;			/* A on CPU 0, B on CPU 1 */
	bool verbose;
};

extern struct bench_opts opts;

/* Driver, run.c. Each fills @r and returns 0, or -errno. */
int bench_pingpong(const struct mech *m, size_t size, struct result *r);
int bench_stream(const struct mech *m, size_t size, unsigned int batch,
		 struct result *r);

/* Open and lookup cost, open.c: prints the rows of open.csv to @out. */
struct open_result {
	const char *kind;	/* "channel" or "region" */
	unsigned int objects;
	double open_ns;		/* open of an existing name, and close */
	double lookup_ns;	/* open of a missing name: ENOENT */
};

int bench_open(const char *kind, unsigned int objects, unsigned int reps,
	       struct open_result *r);

/* Helpers for the mechanisms, util.c. */
int64_t now_ns(void);
unsigned int next_id(void);
void *shared_alloc(size_t len);
void shared_free(void *p, size_t len);
/* Reads or writes exactly @len bytes, looping over short transfers. */
int read_full(int fd, void *buf, size_t len);
int write_full(int fd, const void *buf, size_t len);
void *xcalloc(size_t n, size_t size);
void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* IPCCHAN_BENCH_H */
