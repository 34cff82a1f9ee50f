/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Systematic fault injection for the test programs: the Nth allocation or
 * user copy of one system call fails, for N = 1, 2, ... until the call runs
 * through without reaching N fault points.
 *
 * The kernel's fail-nth: writing N to /proc/thread-self/fail-nth makes the
 * Nth should_fail() of this thread fail, whichever of failslab,
 * fail_page_alloc and fail_usercopy asks; reading it back after the call
 * gives 0 once that fault has been injected, else what is left of N.
 * failnth_setup() opens the file and sets the debugfs knobs that make every
 * allocation a fault point (sleeping ones, order 0, highmem) and keep the
 * injection quiet (verbose 0: no stack dump in the kernel log, which the
 * harness would take for a bug). Their probability stays 0, so the knobs
 * change nothing for any thread that has not written fail-nth.
 *
 * Where the kernel has no fault injection (Debian's stock kernel) a test
 * skips, unless the environment has IPCCHAN_DEBUG_KERNEL=1, which the VM's
 * init sets from the kernel argument harness.debug=1 of the debug-kernel
 * run: there a missing fail-nth fails the test.
 *
 *	static long call(void *ctx) { return xioctl(...); }
 *	static void check(void *ctx, long ret, bool injected) { ... }
 *	struct failnth_call c = {
 *		.name = "SEND", .ctx = &ctx, .call = call, .check = check,
 *	};
 *	failnth_setup();
 *	failnth_run(&c);
 *
 * failnth_run() calls, for each N: setup(), then call() with fault N armed
 * (call() must make the one system call under test and nothing else: no
 * printing, no allocation, no other system call), then check() unarmed.
 * A call that failed with a fault injected must have failed with one of
 * the errnos allowed (ENOMEM, EFAULT and ENOBUFS by default); one that
 * succeeded although a fault was injected is a failure the kernel absorbed
 * (a fallback path). check() then makes sure nothing was lost, leaked or
 * half done. The loop ends at the first N the call does not reach, where
 * the call must have succeeded; it fails if no fault was ever injected or
 * if N passes FAILNTH_MAX. It prints "# NAME: P fault points (...)".
 */
#ifndef IPCCHAN_TEST_FAILNTH_H
#define IPCCHAN_TEST_FAILNTH_H

#include "util.h"

#define FAILNTH_FILE	"/proc/thread-self/fail-nth"
#define FAILNTH_DEBUGFS	"/sys/kernel/debug"
#define FAILNTH_MAX	2000

struct failnth_call {
	const char *name;
	void *ctx;
	void (*setup)(void *ctx);			/* may be NULL */
	long (*call)(void *ctx);			/* result or -errno */
	void (*check)(void *ctx, long ret, bool injected);
	const int *errnos;		/* 0-terminated; NULL: the defaults */
};

struct failnth_stats {
	unsigned int points;	/* fault points the call reached */
	unsigned int failed;	/* of them, the call failed */
	unsigned int absorbed;	/* of them, the call still succeeded */
};

static int failnth_fd = -1;
/* The N of the try that failnth_run() is at, for messages of check(). */
static unsigned int failnth_n;

/* Writes @val to @dir/@knob under debugfs: 0 or -errno. */
static inline int failnth_knob(const char *dir, const char *knob,
			       const char *val)
{
	char path[256];
	int fd, ret = 0;

	snprintf(path, sizeof(path), FAILNTH_DEBUGFS "/%s/%s", dir, knob);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, val, strlen(val)) != (ssize_t)strlen(val))
		ret = -errno;
	close(fd);
	return ret;
}

static inline bool failnth_required(void)
{
	const char *v = getenv("IPCCHAN_DEBUG_KERNEL");

	return v && !strcmp(v, "1");
}

/*
 * Opens this thread's fail-nth and sets the knobs. Skips the test when the
 * kernel has no fault injection, unless it is required (see the top).
 */
static inline void u_failnth_setup(void)
{
	static const char *const attrs[] = {
		"failslab", "fail_page_alloc", "fail_usercopy",
	};
	size_t i;

	failnth_fd = open(FAILNTH_FILE, O_RDWR | O_CLOEXEC);
	if (failnth_fd < 0) {
		ASSERT_FALSE(failnth_required(), "%s: %s, but this run needs "
			     "fault injection", FAILNTH_FILE, strerror(errno));
		SKIP("the kernel has no fault injection (%s)", FAILNTH_FILE);
	}
	for (i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++) {
		int ret = failnth_knob(attrs[i], "verbose", "0");

		if (ret && !failnth_required())
			SKIP("cannot set %s/%s/verbose: %s", FAILNTH_DEBUGFS,
			     attrs[i], strerror(-ret));
		ASSERT_EQ(ret, 0, "%s/%s/verbose", FAILNTH_DEBUGFS, attrs[i]);
	}
	ASSERT_EQ(failnth_knob("failslab", "ignore-gfp-wait", "N"), 0);
	ASSERT_EQ(failnth_knob("fail_page_alloc", "ignore-gfp-wait", "N"), 0);
	ASSERT_EQ(failnth_knob("fail_page_alloc", "ignore-gfp-highmem", "N"), 0);
	ASSERT_EQ(failnth_knob("fail_page_alloc", "min-order", "0"), 0);
}

/* Makes the @n-th fault point of this thread, from now on, fail. */
static inline void failnth_arm(unsigned int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%u", n);

	if (write(failnth_fd, buf, len) != len)
		_exit(HARNESS_EXIT_FAIL);
}

/*
 * Disarms, and tells whether the fault was injected. Reading and writing
 * fail-nth make user copies, which count too while faults are left: if
 * the read's copy is the one left, the read fails with EFAULT (so the call
 * did not reach it); if the write's copy is, the write fails and is made
 * again, with nothing left.
 */
static inline bool failnth_disarm(void)
{
	char buf[16];
	ssize_t n = pread(failnth_fd, buf, sizeof(buf) - 1, 0);
	bool injected = n > 0 && buf[0] == '0';

	if (write(failnth_fd, "0", 1) != 1 && write(failnth_fd, "0", 1) != 1)
		_exit(HARNESS_EXIT_FAIL);
	return injected;
}

static inline bool failnth_allowed(const struct failnth_call *c, long err)
{
	static const int defaults[] = { ENOMEM, EFAULT, ENOBUFS, 0 };
	const int *e = c->errnos ? c->errnos : defaults;

	for (; *e; e++)
		if (-err == *e)
			return true;
	return false;
}

static inline struct failnth_stats u_failnth_run(const struct failnth_call *c)
{
	struct failnth_stats st = { 0 };
	unsigned int n;

	ASSERT_GE(failnth_fd, 0, "failnth_setup() was not called");
	for (n = 1; n <= FAILNTH_MAX; n++) {
		bool injected;
		long ret;

		failnth_n = n;
		if (c->setup)
			c->setup(c->ctx);
		fflush(stdout);
		failnth_arm(n);
		ret = c->call(c->ctx);
		injected = failnth_disarm();
		if (!injected) {
			ASSERT_GE(ret, 0, "%s with no fault injected (N = %u "
				  "is past its last fault point)", c->name, n);
			c->check(c->ctx, ret, false);
			break;
		}
		st.points++;
		if (ret < 0) {
			ASSERT_TRUE(failnth_allowed(c, ret), "%s with fault "
				    "%u injected failed with %ld (%s)", c->name,
				    n, ret, strerrorname_np((int)-ret));
			st.failed++;
		} else {
			st.absorbed++;
		}
		c->check(c->ctx, ret, true);
	}
	ASSERT_LE(n, FAILNTH_MAX, "%s still reached fault point %u", c->name,
		  FAILNTH_MAX);
	ASSERT_GT(st.points, 0, "%s: no fault was ever injected", c->name);
	TH_LOG("%s: %u fault points (%u failed the call, %u absorbed)",
	       c->name, st.points, st.failed, st.absorbed);
	return st;
}

/* ----- budgets ----- */

#define BUDGET_PROBE	65536

/*
 * What is left of the module's memory budget, with max_total_bytes set to
 * BUDGET_PROBE for the time of the probe. A message costs what the kernel
 * allocates for it, in steps of its size classes, so no single message
 * measures the rest to the byte: a channel of the probe's own is filled
 * greedily, as many of the largest message as fit, then of the next, down
 * to a message of the smallest cost (256 bytes), and the counts, two
 * decimal digits each, are the result. What is left unfilled is less than
 * that smallest cost, and every charge (a message, a kept buffer, a page
 * of a region) is at least as large: two probes that differ while the same
 * objects exist mean a budget was leaked. @fd is not used: the probe needs
 * room for more messages than a caller's channel takes.
 */
static inline long u_budget_free(int fd)
{
	/* 32 KiB, then each just under the next size class down. */
	static const unsigned int lens[] = {
		32768, 16384, 8192, 4096, 4016, 1968, 944, 432, 176,
	};
	static char buf[32768];
	char name[IPCCHAN_NAME_MAX];
	long code = 0;
	unsigned int i, n;
	int probe;

	(void)fd;
	probe = u_chan_new(name, RS | IPCCHAN_OPEN_NONBLOCK, 0600,
			   sizeof(buf), 256, BUDGET_PROBE);
	u_chan_unlink(name);
	param_set_u64("max_total_bytes", BUDGET_PROBE);
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		int ret;

		for (n = 0; (ret = ipcchan_send(probe, buf, lens[i], 0, -1)) == 0;
		     n++)
			;
		ASSERT_EQ(ret, -ENOBUFS, "probing with %u bytes", lens[i]);
		ASSERT_LT(n, 100);
		code = code * 100 + n;
	}
	/* Closed with its messages queued: their charges go at once. */
	close(probe);
	ASSERT_EQ(param_restore_all(), 0);
	return code;
}

/*
 * How many more objects may exist: created through @make (a fd or
 * -errno) until ENOSPC, with the module parameter @param set to @limit for
 * the time of the probe; they are closed and unlinked again.
 */
static inline int u_count_free(const char *param, unsigned int limit,
			       int (*make)(char *name), int (*unlink)(const char *))
{
	char names[64][IPCCHAN_NAME_MAX];
	int fds[64], n, i;

	ASSERT_LE(limit, 64);
	param_set_u64(param, limit);
	for (n = 0; n < 64; n++) {
		fds[n] = make(names[n]);
		if (fds[n] < 0)
			break;
	}
	ASSERT_LT(n, 64);
	ASSERT_EQ(fds[n], -ENOSPC, "%s: the creation after %d", param, n);
	for (i = 0; i < n; i++) {
		close(fds[i]);
		ASSERT_EQ(unlink(names[i]), 0);
	}
	ASSERT_EQ(param_restore_all(), 0);
	return n;
}

static inline int failnth_make_chan(char *name)
{
	new_name(name);
	return ipcchan_chan_open(IPCCHAN_DEV_AUTO, name, RS |
				 IPCCHAN_OPEN_CREATE | IPCCHAN_OPEN_EXCL, NULL);
}

static inline int failnth_unlink_chan(const char *name)
{
	return ipcchan_chan_unlink(IPCCHAN_DEV_AUTO, name);
}

static inline int failnth_make_region(char *name)
{
	new_name(name);
	return ipcchan_region_open(IPCCHAN_DEV_AUTO, name, RW_REGION |
				   IPCCHAN_OPEN_CREATE | IPCCHAN_OPEN_EXCL,
				   0600, 4096);
}

static inline int failnth_unlink_region(const char *name)
{
	return ipcchan_region_unlink(IPCCHAN_DEV_AUTO, name);
}

/* How many more channels may exist, with max_channels at 32. */
static inline int u_channels_free(void)
{
	return u_count_free("max_channels", 32, failnth_make_chan,
			    failnth_unlink_chan);
}

/* How many more regions may exist, with max_regions at 32. */
static inline int u_regions_free(void)
{
	return u_count_free("max_regions", 32, failnth_make_region,
			    failnth_unlink_region);
}

#define failnth_setup(...)	(HARNESS_AT(), u_failnth_setup(__VA_ARGS__))
#define failnth_run(...)	(HARNESS_AT(), u_failnth_run(__VA_ARGS__))
#define budget_free(...)	(HARNESS_AT(), u_budget_free(__VA_ARGS__))
#define channels_free(...)	(HARNESS_AT(), u_channels_free(__VA_ARGS__))
#define regions_free(...)	(HARNESS_AT(), u_regions_free(__VA_ARGS__))

#endif /* IPCCHAN_TEST_FAILNTH_H */
