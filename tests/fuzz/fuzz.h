/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ipcchan-fuzz: what the parts of the fuzzer share.
 *
 * One process per worker runs random operations, picked by weight from the
 * tables of ops_ctl.c, ops_chan.c, ops_region.c and ops_nl.c, each against
 * the state in struct fz_state: a pool of file descriptors of every kind,
 * a pool of mappings, and the private objects of the worker's own checks.
 * Every random choice comes from one xorshift generator seeded from the run
 * seed and the worker's index, so a worker is replayed by its seed alone
 * (up to what other workers do to the objects they share).
 *
 * Every system call's result goes through fz_check() with the errnos that
 * uapi/linux/ipcchan.h documents for it: anything else is a finding, and
 * so is a broken invariant (fz_finding()). A finding is printed with the
 * seed, the worker, the op number and the last ops, and fails the run.
 */
#ifndef IPCCHAN_FUZZ_H
#define IPCCHAN_FUZZ_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/ipcchan.h>
/*
 * Only for the table of kinds (ipcchan_kind_name(), ipcchan_kind_has_attr()):
 * libuser/kinds.c is compiled in, and nothing else of the library.
 */
#include <ipcchan.h>

#define FZ_NFDS		24	/* fds a worker keeps */
#define FZ_NMAPS	8	/* mappings a worker keeps */
#define FZ_NNAMES	6	/* names shared by every worker, per kind */
#define FZ_NSEEN	16	/* names learnt from netlink dumps */
#define FZ_NIDS		16	/* object ids: made here, or learnt from dumps */
#define FZ_HIST		16	/* ops shown with a finding */
#define FZ_MAX_WORKERS	64
#define FZ_TAG_BITS	(1U << 20)	/* tagged messages tracked per worker */
#define FZ_BUF_SIZE	(2U << 20)	/* scratch buffer: max_msg_size + more */
#define FZ_MAX_FINDINGS	20	/* printed per worker */

enum fz_kind {
	FZ_FD_NONE,
	FZ_FD_CTL,
	FZ_FD_CHAN,
	FZ_FD_REGION,
	FZ_FD_NL,
	FZ_FD_OTHER,	/* a pipe, /dev/null, a unix socket */
};

/* In fz_fd.flags of a channel fd: an end of a pair (CHAN_PAIR). */
#define FZ_CHAN_PAIR	0x80000000U

struct fz_fd {
	int fd;
	enum fz_kind kind;
	unsigned int flags;	/* open flags: IPCCHAN_OPEN_* / REGION_* */
	uint64_t region_size;	/* regions */
};

struct fz_map {
	char *addr;		/* NULL: slot free */
	size_t len;
	int prot;
	uint64_t off;		/* byte offset in the region */
	uint64_t region_size;
	bool dontfork;		/* MADV_DONTFORK: not in a child */
};

/* The module's limits, read from /sys/module/ipcchan/parameters. */
struct fz_limits {
	uint64_t max_msg_size_limit;
	uint64_t max_msgs_limit;
	uint64_t max_bytes_limit;
	uint64_t default_max_msg_size;
	uint64_t default_max_msgs;
	uint64_t max_region_size;
};

struct fz_op {
	const char *name;
	void (*fn)(void);
	unsigned int weight;
};

/* What a worker's ticker watches: who runs an op, since when (0: none). */
struct fz_tick {
	pid_t pid;
	uint64_t start_ms;
};

/* Shared by every process of the run (MAP_SHARED, made before the fork). */
struct fz_shared {
	struct fz_tick tick[FZ_MAX_WORKERS];
	uint64_t findings;
	uint64_t ops[FZ_MAX_WORKERS];
	uint64_t tags_checked;
	uint64_t events_seen;
	uint64_t op_calls[128];
	uint64_t op_ok[128];
	uint32_t op_err[128][136];	/* errno counts per op */
	/* Bit n of worker w: tagged message n of w was received. */
	uint64_t tag_seen[FZ_MAX_WORKERS][FZ_TAG_BITS / 64];
	/* Bit n of worker w: a send of tagged message n of w failed. */
	uint64_t tag_failed[FZ_MAX_WORKERS][FZ_TAG_BITS / 64];
	uint64_t sync_checked;	/* synchronous sends op_sync_check checked */
};

struct fz_state {
	int worker;
	int tick_idx;		/* the worker's slot in fz_sh->tick */
	int nworkers;
	uint64_t run_seed;
	uint64_t rng;
	uint64_t opno;
	int cur_op;
	int hist[FZ_HIST];
	long page;
	bool trace;
	struct fz_limits lim;

	/* Set by the argument generators for the current op. */
	bool bad_ptr;		/* EFAULT allowed */
	bool big_tail;		/* E2BIG allowed */
	bool bad_size;		/* a size or ioctl number was mangled */
	bool bad_fd;		/* EBADF allowed */
	volatile sig_atomic_t alarm_fired;	/* EINTR allowed */

	struct fz_fd last_fd;	/* the last fd_pick(), for findings */
	struct fz_fd fds[FZ_NFDS];
	struct fz_map maps[FZ_NMAPS];

	char *buf;		/* FZ_BUF_SIZE scratch, followed by guard */
	char *guard;		/* a PROT_NONE page */
	char *unmapped;		/* an address with nothing mapped */
	char *argbuf;		/* ioctl structs; its page ends at guard */

	/* Tagged messages on the worker's own channel. */
	int priv_chan;
	uint64_t priv_sent, priv_recvd;
	uint64_t tag_next;	/* next tag of a message on a shared name */

	/* The worker's own region, mapped twice, for coherence checks. */
	int priv_region;
	char *priv_map[2];
	size_t priv_size;

	/* Generic netlink. */
	uint16_t nl_family;
	uint32_t nl_group;
	int nl_sock;		/* requests, or -1 */
	uint32_t nl_dump_left;	/* seq of a dump abandoned on nl_sock whose
				 * NLMSG_DONE was not read: a new dump there
				 * may get EBUSY; 0 if none */
	int nl_ev;		/* subscribed to the events group, or -1 */
	uint64_t ev_last;	/* last event seq seen, 0 before the first */
	unsigned int ev_overrun; /* ENOBUFS read and its gap not yet seen */
	char seen[FZ_NSEEN][IPCCHAN_NAME_MAX];
	uint32_t seen_kind[FZ_NSEEN];
	uint64_t ids[FZ_NIDS];

	bool in_child;		/* a child of the fork op: no tags, no priv */

	sigjmp_buf *fault_jmp;	/* set while touching a mapping */
	volatile int fault_sig;
};

extern struct fz_state fz;
extern struct fz_shared *fz_sh;

extern const struct fz_op fz_ctl_ops[], fz_chan_ops[], fz_region_ops[],
	fz_nl_ops[];

/* xorshift64*: small, fast and good enough to drive a fuzzer. */
static inline uint64_t rnd64(void)
{
	fz.rng ^= fz.rng >> 12;
	fz.rng ^= fz.rng << 25;
	fz.rng ^= fz.rng >> 27;
	return fz.rng * 0x2545F4914F6CDD1DULL;
}

/* A number in [0, n). */
static inline uint32_t rnd(uint32_t n)
{
	return n ? (uint32_t)(((rnd64() >> 32) * n) >> 32) : 0;
}

/* True with probability 1 in n. */
/* A kind of the uapi, at random. */
static inline uint32_t rnd_kind(void)
{
	return 1 + rnd(IPCCHAN_KIND_MAX);
}

/* Remembers @id for a netlink GET by id (op_nl_get()). */
static inline void fz_learn_id(uint64_t id)
{
	fz.ids[rnd(FZ_NIDS)] = id;
}

static inline bool one_in(uint32_t n)
{
	return rnd(n) == 0;
}

static inline uint64_t splitmix64(uint64_t x)
{
	x += 0x9E3779B97F4A7C15ULL;
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
	x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
	return x ^ (x >> 31);
}

/* Zero-terminated lists of errnos. */
#define ERRS(...)	((const int[]){ __VA_ARGS__, 0 })

void fz_run_ops(uint64_t ops, uint64_t deadline_ms);
void fz_ok(void);
int fz_reap_child(pid_t pid, const char *what);
void fz_reissue(int fd, unsigned long cmd, const void *arg, size_t n);
bool fz_check(const char *what, long ret, int err, const int *allowed);
void fz_finding(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void fz_trace(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Argument generators (fuzz.c). */
uint32_t arb_u32(uint32_t valid, uint64_t limit);
uint64_t arb_u64(uint64_t valid, uint64_t limit);
int64_t arb_timeout(void);
void *arb_ptr(void *valid, size_t len);
void arb_name(char *name, bool *valid);
void pool_name(char *name, char prefix);
unsigned long arb_cmd(unsigned long cmd, size_t ksize, size_t ver0,
		      void *arg, size_t *argsize);
void *place_arg(void *arg, size_t len);

/* The fd pool (fuzz.c). */
struct fz_fd *fd_pick(enum fz_kind want);
struct fz_fd *fd_slot(void);
void fd_add(int fd, enum fz_kind kind, unsigned int flags, uint64_t size);
void fd_drop(struct fz_fd *f);
bool fd_tracked(int fd);
void fd_sweep(void);

/* Shared between the op files. */
void chan_tag_fill(char *buf, size_t len);
void chan_tag_verify(const char *buf, size_t len, const char *what);
void chan_tag_failed(const char *buf, size_t len, const char *what);
void map_drop(struct fz_map *m);
void map_forget_dontfork(void);
int nl_open(bool subscribe);
void nl_drain_events(void);
void nl_cleanup_worker(void);
void region_priv_check(void);

#endif /* IPCCHAN_FUZZ_H */
