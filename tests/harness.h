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
 *	FIXTURE(chan) { int fd; };
 *	FIXTURE_SETUP(chan) { self->fd = ...; }
 *	FIXTURE_TEARDOWN(chan) { close(self->fd); }
 *	TEST_F(chan, send) { ... self->fd ... }
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
 * The code is in harness.c, built once into the test library; the result
 * lines and exit statuses come from tests/qemu/patterns.sh (patterns.h).
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

/* Generated from tests/qemu/patterns.sh by tests/Makefile. */
#include "patterns.h"

#define HARNESS_DEFAULT_TIMEOUT	30
#define HARNESS_EXIT_PASS	PATTERN_EXIT_PASS
#define HARNESS_EXIT_FAIL	PATTERN_EXIT_FAIL
#define HARNESS_EXIT_SKIP	PATTERN_EXIT_SKIP

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

/* The line of the test file that last called a helper (see HARNESS_AT). */
extern const char *harness_at_file;
extern int harness_at_line;
extern struct harness_shared *harness_shm;
extern const char *harness_suite;
extern int harness_failed;	/* an EXPECT failed in this process */

/* Run by the runner after every test, once its processes are gone. */
extern void (*harness_after_test)(void);

void harness_register(struct harness_test *t);
int harness_main(const char *suite, int argc, char **argv);

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

/*
 * Fixtures, in the shape of kselftest's: the setup and teardown that
 * several tests share, around each of them, in the test's own process.
 *
 *	FIXTURE(chan) {
 *		int fd;
 *	};
 *	FIXTURE_SETUP(chan) { self->fd = chan_new(...); }
 *	FIXTURE_TEARDOWN(chan) { close(self->fd); }
 *	TEST_F(chan, send) { send_str(self->fd, "x"); }
 *
 * self starts zeroed. The teardown runs when the body returns, and also
 * when the test's own process ends early in an ASSERT or SKIP once the
 * setup is done; not in its children or threads. A test of a fixture is
 * named as a TEST is, suite.test: the fixture's name is not part of it.
 */
#define FIXTURE(fixture)	struct harness_fixture_##fixture

/* The parameter of the fixture's functions and of a test's body. */
#define HARNESS_SELF(fixture)						\
	struct harness_fixture_##fixture *self __attribute__((unused))

#define FIXTURE_SETUP(fixture)						\
	static void harness_setup_##fixture(HARNESS_SELF(fixture))

#define FIXTURE_TEARDOWN(fixture)					\
	static void harness_teardown_##fixture(HARNESS_SELF(fixture));	\
	static void __attribute__((unused))				\
	harness_teardown_any_##fixture(void *self)			\
	{								\
		harness_teardown_##fixture(self);			\
	}								\
	static void harness_teardown_##fixture(HARNESS_SELF(fixture))

void harness_fixture_set(void (*teardown)(void *self), void *self);

#define TEST_F_TIMEOUT(fixture, name, secs)				\
	static void harness_body_##name(HARNESS_SELF(fixture));	\
	TEST_TIMEOUT(name, secs)					\
	{								\
		struct harness_fixture_##fixture self;			\
									\
		memset(&self, 0, sizeof(self));				\
		harness_setup_##fixture(&self);				\
		harness_fixture_set(harness_teardown_any_##fixture,	\
				    &self);				\
		harness_body_##name(&self);				\
		harness_fixture_set(NULL, NULL);			\
		harness_teardown_##fixture(&self);			\
	}								\
	static void harness_body_##name(HARNESS_SELF(fixture))

#define TEST_F(fixture, name)						\
	TEST_F_TIMEOUT(fixture, name, HARNESS_DEFAULT_TIMEOUT)

/* ----- diagnostics ----- */

/*
 * Helpers in other headers are wrapped as "(HARNESS_AT(), helper(...))", so
 * that a failure inside a helper also names the line of the test that
 * called it. Only calls written in the test's own file are recorded.
 */
#ifdef HARNESS_LIBRARY
/* In the library itself (harness.c, util.c), no call is the test's. */
#define HARNESS_AT()	((void)0)
#else
#define HARNESS_AT()							\
	(__builtin_strcmp(__FILE__, __BASE_FILE__) ? (void)0 :		\
	 (void)(harness_at_file = __FILE__, harness_at_line = __LINE__))
#endif

void harness_where(const char *file);

void __attribute__((format(printf, 1, 2))) harness_note(const char *fmt, ...);

#define TH_LOG(fmt, ...)	harness_note(" " fmt, ##__VA_ARGS__)


void harness_fail(bool is_assert);

void harness_report_cmp(const char *file, int line, const char *kind,
			const char *sa, const char *sb, __int128 a, __int128 b);

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
#define SKIP(fmt, ...)	harness_skip(fmt, ##__VA_ARGS__)
void __attribute__((format(printf, 1, 2), noreturn))
harness_skip(const char *fmt, ...);

/* The exit status of a process of a test that returns normally. */
int harness_status(void);

/*
 * Is @line of the kernel log a kernel complaining of a bug, by the rules of
 * tests/qemu/patterns.sh (kernel_complaints)?
 */
bool harness_kernel_complaint(const char *line);

#define TEST_MAIN(suite)						\
	int main(int argc, char **argv)					\
	{								\
		return harness_main(suite, argc, argv);			\
	}

#endif /* IPCCHAN_TEST_HARNESS_H */
