/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small test harness in the shape of kselftest, written for ipcchan.
 *
 *	#include "harness.h"
 *
 *	TEST(round_trip)
 *	{
 *		ASSERT_EQ(do_something(), 0);
 *		EXPECT_GT(count, 1, "after %d tries", tries);
 *	}
 *
 *	TEST_TIMEOUT(slow_thing, 90) { ... }
 *
 *	TEST_MAIN("sendrecv")
 *
 * Every test runs in its own forked process, in its own process group, with a
 * timeout (HARNESS_DEFAULT_TIMEOUT seconds unless TEST_TIMEOUT says
 * otherwise). A test that times out is reported with the state, system call
 * and kernel stack of each of its processes. When the test ends, whatever is
 * left of its process group is killed, so helpers it forked never outlive
 * it; the runner is their subreaper and reaps them.
 *
 * ASSERT_*() ends the test (the calling process) at the first failure;
 * EXPECT_*() records the failure and goes on. Both print the file, the line
 * and both values as "# " lines; an optional printf-style message may follow
 * the operands. Comparisons are made on the values widened to 128 bits, so
 * signed and unsigned operands of any width compare by their value.
 * SKIP() ends the test as skipped (exit status 77).
 *
 * The program prints one line per test:
 *	ok - suite.test
 *	not ok - suite.test
 *	ok - suite.test # SKIP reason
 * with diagnostics before it prefixed by "# ", and exits 0 if no test failed,
 * 1 otherwise. Arguments: "-l" lists the tests; otherwise, any arguments are
 * the names of the tests to run (all of them by default).
 */
#ifndef IPCCHAN_TEST_HARNESS_H
#define IPCCHAN_TEST_HARNESS_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#define HARNESS_DEFAULT_TIMEOUT	30
#define HARNESS_EXIT_PASS	0
#define HARNESS_EXIT_FAIL	1
#define HARNESS_EXIT_SKIP	77

/* Bytes of the area shared by the runner and a test that util.h may use. */
#define HARNESS_USER_AREA	8192

struct harness_test {
	const char *name;
	void (*fn)(void);
	unsigned int timeout;
	int line;
	struct harness_test *next;
};

/* Shared (MAP_SHARED) between the runner and every process of a test. */
struct harness_shared {
	pid_t test_pid;
	char skip_reason[256];
	unsigned char user[HARNESS_USER_AREA] __attribute__((aligned(16)));
};

static struct harness_test *harness_tests;
/* The line of the test file that last called a helper (see HARNESS_AT). */
static const char *harness_at_file;
static int harness_at_line;
static struct harness_shared *harness_shm;
static const char *harness_suite = "unknown";
static int harness_failed;	/* an EXPECT failed in this process */
static int harness_terminated;	/* the runner got SIGTERM: stop */

/* Run by the runner after every test, once its processes are gone. */
static void (*harness_after_test)(void);

static inline void harness_register(struct harness_test *t)
{
	t->next = harness_tests;
	harness_tests = t;
}

#define TEST_TIMEOUT(name, secs)					\
	static void test_##name(void);					\
	static struct harness_test harness_t_##name = {			\
		#name, test_##name, (secs), __LINE__, NULL		\
	};								\
	__attribute__((constructor)) static void harness_reg_##name(void) \
	{								\
		harness_register(&harness_t_##name);			\
	}								\
	static void test_##name(void)

#define TEST(name) TEST_TIMEOUT(name, HARNESS_DEFAULT_TIMEOUT)

/* ----- diagnostics ----- */

/*
 * Helpers in other headers are wrapped as "(HARNESS_AT(), helper(...))", so
 * that a failure inside a helper also names the line of the test that
 * called it. Only calls written in the test's own file are recorded.
 */
#define HARNESS_AT()							\
	(__builtin_strcmp(__FILE__, __BASE_FILE__) ? (void)0 :		\
	 (void)(harness_at_file = __FILE__, harness_at_line = __LINE__))

static inline void harness_where(const char *file)
{
	if (harness_at_file && strcmp(file, harness_at_file))
		printf("#   called from %s:%d\n", harness_at_file,
		       harness_at_line);
}

static inline void __attribute__((format(printf, 1, 2)))
harness_note(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	/* Callers prefix a space so that an empty message is never empty. */
	if (fmt[0] == ' ')
		fmt++;
	if (!fmt[0])
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printf("# %s\n", buf);
	fflush(stdout);
}

#define TH_LOG(fmt, ...)	harness_note(" " fmt, ##__VA_ARGS__)

/* "-11 (-EAGAIN)" for values that look like a negative errno. */
static inline void harness_fmt_val(char *buf, size_t len, __int128 v)
{
	if (v < 0 && v >= INT64_MIN) {
		const char *en = NULL;

		if (v >= -4095)
			en = strerrorname_np((int)-v);
		if (en)
			snprintf(buf, len, "%lld (-%s)", (long long)v, en);
		else
			snprintf(buf, len, "%lld", (long long)v);
	} else if (v >= 0 && v <= (__int128)UINT64_MAX) {
		unsigned long long u = (unsigned long long)v;

		if (u > 0xffff)
			snprintf(buf, len, "%llu (0x%llx)", u, u);
		else
			snprintf(buf, len, "%llu", u);
	} else {
		snprintf(buf, len, "<out of range>");
	}
}

static inline void harness_fail(bool is_assert)
{
	fflush(stdout);
	if (is_assert)
		_exit(HARNESS_EXIT_FAIL);
	harness_failed = 1;
}

static inline void harness_report_cmp(const char *file, int line,
				      const char *kind, const char *sa,
				      const char *sb, __int128 a, __int128 b)
{
	char va[64], vb[64];

	harness_fmt_val(va, sizeof(va), a);
	harness_fmt_val(vb, sizeof(vb), b);
	printf("# %s:%d: %s(%s, %s) failed\n", file, line, kind, sa, sb);
	printf("#   %s = %s\n", sa, va);
	printf("#   %s = %s\n", sb, vb);
	harness_where(file);
}

/* The operands' text is taken by the outer macros, before expansion. */
#define __HARNESS_CMP(kind, is_assert, a, op, b, sa, sb, ...)		\
	do {								\
		__typeof__(a) __h_a = (a);				\
		__typeof__(b) __h_b = (b);				\
		if (!((__int128)__h_a op (__int128)__h_b)) {		\
			harness_report_cmp(__FILE__, __LINE__, kind,	\
					   sa, sb, (__int128)__h_a,	\
					   (__int128)__h_b);		\
			harness_note(" " __VA_ARGS__);			\
			harness_fail(is_assert);			\
		}							\
	} while (0)

#define __HARNESS_BOOL(kind, is_assert, cond, want, scond, ...)		\
	do {								\
		if ((bool)(cond) != (want)) {				\
			printf("# %s:%d: %s(%s) failed\n", __FILE__,	\
			       __LINE__, kind, scond);			\
			harness_where(__FILE__);			\
			harness_note(" " __VA_ARGS__);			\
			harness_fail(is_assert);			\
		}							\
	} while (0)

#define ASSERT_EQ(a, b, ...) \
	__HARNESS_CMP("ASSERT_EQ", true, a, ==, b, #a, #b, ##__VA_ARGS__)
#define ASSERT_NE(a, b, ...) \
	__HARNESS_CMP("ASSERT_NE", true, a, !=, b, #a, #b, ##__VA_ARGS__)
#define ASSERT_LT(a, b, ...) \
	__HARNESS_CMP("ASSERT_LT", true, a, <, b, #a, #b, ##__VA_ARGS__)
#define ASSERT_LE(a, b, ...) \
	__HARNESS_CMP("ASSERT_LE", true, a, <=, b, #a, #b, ##__VA_ARGS__)
#define ASSERT_GT(a, b, ...) \
	__HARNESS_CMP("ASSERT_GT", true, a, >, b, #a, #b, ##__VA_ARGS__)
#define ASSERT_GE(a, b, ...) \
	__HARNESS_CMP("ASSERT_GE", true, a, >=, b, #a, #b, ##__VA_ARGS__)
#define ASSERT_TRUE(c, ...) \
	__HARNESS_BOOL("ASSERT_TRUE", true, c, true, #c, ##__VA_ARGS__)
#define ASSERT_FALSE(c, ...) \
	__HARNESS_BOOL("ASSERT_FALSE", true, c, false, #c, ##__VA_ARGS__)

#define EXPECT_EQ(a, b, ...) \
	__HARNESS_CMP("EXPECT_EQ", false, a, ==, b, #a, #b, ##__VA_ARGS__)
#define EXPECT_NE(a, b, ...) \
	__HARNESS_CMP("EXPECT_NE", false, a, !=, b, #a, #b, ##__VA_ARGS__)
#define EXPECT_LT(a, b, ...) \
	__HARNESS_CMP("EXPECT_LT", false, a, <, b, #a, #b, ##__VA_ARGS__)
#define EXPECT_LE(a, b, ...) \
	__HARNESS_CMP("EXPECT_LE", false, a, <=, b, #a, #b, ##__VA_ARGS__)
#define EXPECT_GT(a, b, ...) \
	__HARNESS_CMP("EXPECT_GT", false, a, >, b, #a, #b, ##__VA_ARGS__)
#define EXPECT_GE(a, b, ...) \
	__HARNESS_CMP("EXPECT_GE", false, a, >=, b, #a, #b, ##__VA_ARGS__)
#define EXPECT_TRUE(c, ...) \
	__HARNESS_BOOL("EXPECT_TRUE", false, c, true, #c, ##__VA_ARGS__)
#define EXPECT_FALSE(c, ...) \
	__HARNESS_BOOL("EXPECT_FALSE", false, c, false, #c, ##__VA_ARGS__)

/* Byte-wise comparison of two buffers of @len bytes. */
#define __HARNESS_MEMEQ(kind, is_assert, a, b, len, sa, sb, slen, ...)		\
	do {								\
		const unsigned char *__h_pa = (const void *)(a);	\
		const unsigned char *__h_pb = (const void *)(b);	\
		size_t __h_n = (len), __h_i;				\
		for (__h_i = 0; __h_i < __h_n; __h_i++)			\
			if (__h_pa[__h_i] != __h_pb[__h_i])		\
				break;					\
		if (__h_i < __h_n) {					\
			printf("# %s:%d: %s(%s, %s, %s) failed: "	\
			       "byte %zu of %zu: 0x%02x != 0x%02x\n",	\
			       __FILE__, __LINE__, kind, sa, sb, slen,	\
			       __h_i, __h_n, __h_pa[__h_i],		\
			       __h_pb[__h_i]);				\
			harness_where(__FILE__);			\
			harness_note(" " __VA_ARGS__);			\
			harness_fail(is_assert);			\
		}							\
	} while (0)

#define ASSERT_MEMEQ(a, b, len, ...) \
	__HARNESS_MEMEQ("ASSERT_MEMEQ", true, a, b, len, #a, #b, #len, ##__VA_ARGS__)
#define EXPECT_MEMEQ(a, b, len, ...) \
	__HARNESS_MEMEQ("EXPECT_MEMEQ", false, a, b, len, #a, #b, #len, ##__VA_ARGS__)

#define __HARNESS_STREQ(kind, is_assert, a, b, sa, sb, ...)			\
	do {								\
		const char *__h_sa = (a), *__h_sb = (b);		\
		if (strcmp(__h_sa, __h_sb)) {				\
			printf("# %s:%d: %s(%s, %s) failed: "		\
			       "\"%s\" != \"%s\"\n", __FILE__, __LINE__, \
			       kind, sa, sb, __h_sa, __h_sb);		\
			harness_where(__FILE__);			\
			harness_note(" " __VA_ARGS__);			\
			harness_fail(is_assert);			\
		}							\
	} while (0)

#define ASSERT_STREQ(a, b, ...) \
	__HARNESS_STREQ("ASSERT_STREQ", true, a, b, #a, #b, ##__VA_ARGS__)
#define EXPECT_STREQ(a, b, ...) \
	__HARNESS_STREQ("EXPECT_STREQ", false, a, b, #a, #b, ##__VA_ARGS__)

/* Ends the calling process of the test as skipped. */
#define SKIP(fmt, ...)							\
	do {								\
		snprintf(harness_shm->skip_reason,			\
			 sizeof(harness_shm->skip_reason),		\
			 fmt, ##__VA_ARGS__);				\
		fflush(stdout);						\
		_exit(HARNESS_EXIT_SKIP);				\
	} while (0)

/* The exit status of a process of a test that returns normally. */
static inline int harness_status(void)
{
	return harness_failed ? HARNESS_EXIT_FAIL : HARNESS_EXIT_PASS;
}

/* ----- runner ----- */

static inline int64_t harness_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Reads /proc/@pid/@file into @buf, NUL-terminated; returns its length. */
static inline ssize_t harness_proc_read(pid_t pid, const char *file,
					char *buf, size_t len)
{
	char path[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	buf[n > 0 ? n : 0] = 0;
	return n;
}

/*
 * Before a timed-out test is killed: where is each of its processes stuck?
 * State, system call and kernel stack, as "# " lines.
 */
static inline void harness_dump_group(pid_t pgrp)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int shown = 0;

	if (!d)
		return;
	while ((e = readdir(d)) && shown < 8) {
		char stat[512], sys[128], stack[2048], *p, *line;
		pid_t pid = atoi(e->d_name);
		int pg;

		if (pid <= 0 || harness_proc_read(pid, "stat", stat,
						   sizeof(stat)) <= 0)
			continue;
		p = strrchr(stat, ')');
		if (!p || sscanf(p + 2, "%*c %*d %d", &pg) != 1 || pg != pgrp)
			continue;
		shown++;
		if (harness_proc_read(pid, "syscall", sys, sizeof(sys)) > 0)
			sys[strcspn(sys, " \n")] = 0;
		else
			strcpy(sys, "?");
		printf("#   pid %d: state %c, syscall %s\n", (int)pid, p[2], sys);
		if (harness_proc_read(pid, "stack", stack, sizeof(stack)) <= 0)
			continue;
		for (line = strtok(stack, "\n"); line; line = strtok(NULL, "\n"))
			printf("#     %s\n", line);
	}
	closedir(d);
}

/*
 * Waits for the test process @pid to end, at most @timeout seconds, without
 * reaping it, then kills what is left of its process group and reaps it,
 * and whatever else was left to the runner as a subreaper.
 * Returns its wait status, or -1 if it timed out.
 */
static inline int harness_wait(pid_t pid, unsigned int timeout)
{
	int64_t deadline = harness_now_ms() + (int64_t)timeout * 1000;
	sigset_t chld;
	siginfo_t si;
	int status = 0, timed_out = 0, i;

	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigaddset(&chld, SIGTERM);
	for (;;) {
		struct timespec ts;
		int64_t left;

		memset(&si, 0, sizeof(si));
		if (waitid(P_PID, pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 &&
		    si.si_pid == pid)
			break;
		left = deadline - harness_now_ms();
		if (left <= 0) {
			timed_out = 1;
			printf("# timed out after %u s; its processes:\n",
			       timeout);
			harness_dump_group(pid);
			break;
		}
		if (left > 100)
			left = 100;
		ts.tv_sec = left / 1000;
		ts.tv_nsec = (left % 1000) * 1000000;
		if (sigtimedwait(&chld, NULL, &ts) == SIGTERM) {
			/* Killed from outside, e.g. by timeout(1). */
			harness_terminated = 1;
			timed_out = 1;
			printf("# the test program got SIGTERM; the test's "
			       "processes:\n");
			harness_dump_group(pid);
			break;
		}
	}
	/* The zombie leader keeps the group id from being reused. */
	kill(-pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	/* Orphans of the test, re-parented here and killed above. */
	for (i = 0; i < 20; i++) {
		struct timespec ts = { 0, 5000000 };
		pid_t r = waitpid(-1, NULL, WNOHANG);

		if (r < 0)
			break;
		if (r == 0)
			nanosleep(&ts, NULL);
	}
	return timed_out ? -1 : status;
}

static inline void harness_child_setup(void)
{
	sigset_t none;

	setpgid(0, 0);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_IGN);
	harness_shm->test_pid = getpid();
}

/* Runs one test; returns 0 passed, 1 failed, 2 skipped. */
static inline int harness_run(const struct harness_test *t)
{
	int status, ret;
	pid_t pid;

	memset(harness_shm, 0, sizeof(*harness_shm));
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		printf("# fork: %s\n", strerror(errno));
		printf("not ok - %s.%s\n", harness_suite, t->name);
		return 1;
	}
	if (pid == 0) {
		harness_child_setup();
		t->fn();
		fflush(stdout);
		_exit(harness_status());
	}
	setpgid(pid, pid);
	status = harness_wait(pid, t->timeout);
	if (harness_after_test)
		harness_after_test();

	if (status == -1) {
		ret = 1;
	} else if (WIFSIGNALED(status)) {
		printf("# killed by signal %d (%s)%s\n", WTERMSIG(status),
		       strsignal(WTERMSIG(status)),
		       WCOREDUMP(status) ? ", core dumped" : "");
		ret = 1;
	} else if (WEXITSTATUS(status) == HARNESS_EXIT_SKIP) {
		ret = 2;
	} else if (WEXITSTATUS(status) != HARNESS_EXIT_PASS) {
		if (WEXITSTATUS(status) != HARNESS_EXIT_FAIL)
			printf("# exited with status %d\n",
			       WEXITSTATUS(status));
		ret = 1;
	} else {
		ret = 0;
	}

	if (ret == 2)
		printf("ok - %s.%s # SKIP %s\n", harness_suite, t->name,
		       harness_shm->skip_reason[0] ?
		       harness_shm->skip_reason : "(no reason given)");
	else
		printf("%s - %s.%s\n", ret ? "not ok" : "ok", harness_suite,
		       t->name);
	fflush(stdout);
	return ret;
}

/* Sorts the registered tests into source order. */
static inline void harness_sort(void)
{
	struct harness_test *sorted = NULL, *t, **pp;

	while ((t = harness_tests)) {
		harness_tests = t->next;
		for (pp = &sorted; *pp && (*pp)->line < t->line; pp = &(*pp)->next)
			;
		t->next = *pp;
		*pp = t;
	}
	harness_tests = sorted;
}

static inline bool harness_selected(const struct harness_test *t, int argc,
				    char **argv)
{
	char full[256];
	int i;

	if (argc < 2)
		return true;
	snprintf(full, sizeof(full), "%s.%s", harness_suite, t->name);
	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], t->name) || !strcmp(argv[i], full))
			return true;
	return false;
}

static inline int harness_main(const char *suite, int argc, char **argv)
{
	int passed = 0, failed = 0, skipped = 0;
	struct harness_test *t;
	sigset_t chld;

	harness_suite = suite;
	harness_sort();
	setvbuf(stdout, NULL, _IOLBF, 0);

	if (argc == 2 && !strcmp(argv[1], "-l")) {
		for (t = harness_tests; t; t = t->next)
			printf("%s.%s\n", suite, t->name);
		return 0;
	}

	harness_shm = mmap(NULL, sizeof(*harness_shm), PROT_READ | PROT_WRITE,
			   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (harness_shm == MAP_FAILED) {
		printf("# mmap: %s\n", strerror(errno));
		return 1;
	}
	/* Orphaned helpers of a test come back here to be reaped. */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	/* SIGCHLD and SIGTERM stay pending: the runner sleeps on them. */
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigaddset(&chld, SIGTERM);
	sigprocmask(SIG_BLOCK, &chld, NULL);

	for (t = harness_tests; t && !harness_terminated; t = t->next) {
		if (!harness_selected(t, argc, argv))
			continue;
		switch (harness_run(t)) {
		case 0:
			passed++;
			break;
		case 1:
			failed++;
			break;
		default:
			skipped++;
			break;
		}
	}
	printf("# %s: %d passed, %d failed, %d skipped\n", suite, passed,
	       failed, skipped);
	return failed ? 1 : 0;
}

#define TEST_MAIN(suite)						\
	int main(int argc, char **argv)					\
	{								\
		return harness_main(suite, argc, argv);			\
	}

#endif /* IPCCHAN_TEST_HARNESS_H */
