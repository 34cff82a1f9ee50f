// SPDX-License-Identifier: GPL-2.0
/*
 * The test harness of harness.h: registration, diagnostics, fixtures and the
 * runner. Built once into the test library (tests/Makefile) and linked into
 * every test program.
 */
#include "harness.h"

#include <regex.h>

static struct harness_test *harness_tests;
const char *harness_at_file;
int harness_at_line;
struct harness_shared *harness_shm;
const char *harness_suite = "unknown";
int harness_failed;
static int harness_terminated;	/* the runner got SIGTERM: stop */
void (*harness_after_test)(void);

/* The teardown of the fixture of the running TEST_F, once set up. */
static void (*harness_teardown)(void *self);
static void *harness_teardown_self;
/* The status of a test process that is tearing down on its way out. */
static int harness_ending = -1;

void harness_register(struct harness_test *t)
{
	t->next = harness_tests;
	harness_tests = t;
}

/* ----- diagnostics ----- */

void harness_where(const char *file)
{
	if (harness_at_file && strcmp(file, harness_at_file))
		printf("#   called from %s:%d\n", harness_at_file,
		       harness_at_line);
}

void harness_note(const char *fmt, ...)
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

/* "-11 (-EAGAIN)" for values that look like a negative errno. */
static void harness_fmt_val(char *buf, size_t len, __int128 v)
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

void harness_report_cmp(const char *file, int line, const char *kind,
			const char *sa, const char *sb, __int128 a, __int128 b)
{
	char va[64], vb[64];

	harness_fmt_val(va, sizeof(va), a);
	harness_fmt_val(vb, sizeof(vb), b);
	printf("# %s:%d: %s(%s, %s) failed\n", file, line, kind, sa, sb);
	printf("#   %s = %s\n", sa, va);
	printf("#   %s = %s\n", sb, vb);
	harness_where(file);
}

/* ----- fixtures ----- */

void harness_fixture_set(void (*teardown)(void *self), void *self)
{
	harness_teardown = teardown;
	harness_teardown_self = self;
}

/*
 * A test process that ends early (ASSERT, SKIP) tears its fixture down
 * first, as its body would have on return. Only the test's own process and
 * thread do: a child or a thread has a copy, or a share, of the fixture but
 * does not own it.
 */
static void harness_fixture_end(int status)
{
	void (*teardown)(void *self) = harness_teardown;

	if (!teardown || !harness_shm || getpid() != harness_shm->test_pid ||
	    gettid() != getpid())
		return;
	harness_teardown = NULL;
	harness_ending = status;
	teardown(harness_teardown_self);
	fflush(stdout);
}

void harness_fail(bool is_assert)
{
	fflush(stdout);
	if (is_assert) {
		harness_fixture_end(HARNESS_EXIT_FAIL);
		_exit(HARNESS_EXIT_FAIL);
	}
	harness_failed = 1;
}

void harness_skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(harness_shm->skip_reason, sizeof(harness_shm->skip_reason),
		  fmt, ap);
	va_end(ap);
	fflush(stdout);
	harness_fixture_end(HARNESS_EXIT_SKIP);
	/* A teardown that skips does not turn a failure into a skip. */
	_exit(harness_ending >= 0 ? harness_ending : HARNESS_EXIT_SKIP);
}

/* The exit status of a process of a test that returns normally. */
int harness_status(void)
{
	return harness_failed ? HARNESS_EXIT_FAIL : HARNESS_EXIT_PASS;
}

/* ----- the kernel log ----- */

bool harness_kernel_complaint(const char *line)
{
	static regex_t bad, kline;
	static int compiled;

	if (!compiled) {
		if (regcomp(&bad, PATTERN_KERNEL_BAD_RE,
			    REG_EXTENDED | REG_NOSUB) ||
		    regcomp(&kline, PATTERN_KERNEL_LINE_RE,
			    REG_EXTENDED | REG_NOSUB)) {
			printf("# cannot compile the patterns of "
			       "patterns.sh\n");
			abort();
		}
		compiled = 1;
	}
	if (!strncmp(line, PATTERN_RESULT_DIAG, strlen(PATTERN_RESULT_DIAG)) ||
	    !strncmp(line, PATTERN_RESULT_PASS, strlen(PATTERN_RESULT_PASS)) ||
	    !strncmp(line, PATTERN_RESULT_FAIL, strlen(PATTERN_RESULT_FAIL)) ||
	    strstr(line, PATTERN_TOKEN_KMSG))
		return false;
	return !regexec(&kline, line, 0, NULL, 0) &&
	       !regexec(&bad, line, 0, NULL, 0);
}

/* ----- runner ----- */

static int64_t harness_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Reads /proc/@pid/@file into @buf, NUL-terminated; returns its length. */
static ssize_t harness_proc_read(pid_t pid, const char *file, char *buf,
				 size_t len)
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
static void harness_dump_group(pid_t pgrp)
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
static int harness_wait(pid_t pid, unsigned int timeout)
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

static void harness_child_setup(void)
{
	sigset_t none;

	setpgid(0, 0);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_IGN);
	harness_shm->test_pid = getpid();
}

/* Runs one test; returns 0 passed, 1 failed, 2 skipped. */
static int harness_run(const struct harness_test *t)
{
	int status, ret;
	pid_t pid;

	memset(harness_shm, 0, sizeof(*harness_shm));
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		printf("# fork: %s\n", strerror(errno));
		printf(PATTERN_RESULT_FAIL "%s.%s\n", harness_suite, t->name);
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
		printf(PATTERN_RESULT_PASS "%s.%s" PATTERN_RESULT_SKIP "%s\n",
		       harness_suite, t->name, harness_shm->skip_reason[0] ?
		       harness_shm->skip_reason : "(no reason given)");
	else
		printf("%s%s.%s\n",
		       ret ? PATTERN_RESULT_FAIL : PATTERN_RESULT_PASS,
		       harness_suite, t->name);
	fflush(stdout);
	return ret;
}

/* Sorts the registered tests into source order. */
static void harness_sort(void)
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

static bool harness_selected(const struct harness_test *t, int argc,
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

int harness_main(const char *suite, int argc, char **argv)
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

