/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the ipcchan test programs: channel names and channels,
 * child processes and their synchronisation, privileges, time, guarded
 * memory and module parameters.
 *
 * Helpers whose name does not say otherwise ASSERT that they worked, so a
 * test only checks what it is about.
 *
 * Every channel or region a test names through new_name(), chan_new() or
 * region_new() is unlinked by the runner when the test ends, however it
 * ends, and every module parameter changed through param_set_u64() is put
 * back the same way.
 *
 * The helpers are in util.c, built once into the test library; the small
 * ones a test calls in its loops stay inline here.
 */
#ifndef IPCCHAN_TEST_UTIL_H
#define IPCCHAN_TEST_UTIL_H

#include "harness.h"

#include <dirent.h>
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>

#include <ipcchan.h>

#define NS_PER_MS	1000000LL
#define NS_PER_SEC	1000000000LL

/* How long something that must happen may take, under TCG included. */
#define WAIT_MS		10000
#define WAIT_NS		(WAIT_MS * NS_PER_MS)
/* How long a child of a test may run before it is killed. */
#define CHILD_MS	20000
/* A pause that lets another process reach a blocking call. */
#define SETTLE_MS	150

#define RS		(IPCCHAN_OPEN_RECV | IPCCHAN_OPEN_SEND)
#define NOBODY		65534

#define PARAM_DIR	"/sys/module/ipcchan/parameters"

struct util_param {
	char name[64];
	char old[64];
};

/* Lives in the harness's shared area: seen by the runner after a test. */
struct util_shared {
	unsigned int name_counter;
	int nparams;
	struct util_param params[16];
};

_Static_assert(sizeof(struct util_shared) <= HARNESS_USER_AREA,
	       "util_shared must fit the harness's user area");

static inline struct util_shared *util_sh(void)
{
	return (struct util_shared *)harness_shm->user;
}

/* ----- time ----- */

static inline int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * NS_PER_SEC + ts.tv_nsec;
}

static inline void msleep(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* ----- raw ioctls ----- */

/* ioctl() with the library's convention: the result or -errno. */
static inline int xioctl(int fd, unsigned long req, void *arg)
{
	int ret = ioctl(fd, req, arg);

	return ret < 0 ? -errno : ret;
}

static inline __u64 u64_ptr(const void *p)
{
	return (__u64)(uintptr_t)p;
}

static inline void raw_open_init(struct ipcchan_chan_open *op,
				 const char *name, unsigned int flags)
{
	memset(op, 0, sizeof(*op));
	op->size = sizeof(*op);
	op->flags = flags;
	if (name)
		strncpy(op->name, name, sizeof(op->name));
}

static inline void raw_send_init(struct ipcchan_send *s, const void *buf,
				 __u32 len)
{
	memset(s, 0, sizeof(*s));
	s->size = sizeof(*s);
	s->buf = u64_ptr(buf);
	s->len = len;
}

static inline void raw_recv_init(struct ipcchan_recv *r, void *buf,
				 __u32 len)
{
	memset(r, 0, sizeof(*r));
	r->size = sizeof(*r);
	r->buf = u64_ptr(buf);
	r->len = len;
}

static inline void raw_batch_init(struct ipcchan_batch *b,
				  struct ipcchan_mmsg *msgs, __u32 count)
{
	memset(b, 0, sizeof(*b));
	b->size = sizeof(*b);
	b->msgs = u64_ptr(msgs);
	b->count = count;
}

/* ----- the device and channels ----- */

int u_dev_open(void);

void u_get_version(struct ipcchan_version *v);

/* A name no other test uses: t-<suite>-<test pid>-<n>. */
void new_name(char name[IPCCHAN_NAME_MAX]);

/*
 * Creates a channel with exactly @mode (the umask is cleared for the call)
 * under a new name (written to @name unless NULL), through
 * @dev (or IPCCHAN_DEV_AUTO), and returns a channel fd with @flags.
 */
int u_chan_new_dev(int dev, char *name, unsigned int flags,
		   __u32 mode, __u32 msg_size, __u32 msgs,
		   __u64 bytes);

int u_chan_new(char *name, unsigned int flags, __u32 mode,
	       __u32 msg_size, __u32 msgs, __u64 bytes);

/* Opens the existing channel @name. */
int u_chan_get(const char *name, unsigned int flags);

void u_chan_unlink(const char *name);

void u_chan_info(int fd, struct ipcchan_chan_info *ci);

__u32 u_chan_msgs(int fd);

/*
 * A timed wait that succeeds only once its time is up was not woken: the
 * kernel found the condition true when it checked one last time at the
 * timeout. That is a missing wake-up, and the helpers below fail on it.
 */
void woken_in_time(int64_t t0, int64_t timeout_ns);

/* Sends, waiting at most WAIT_MS for room. */
void u_send_ok(int fd, const void *buf, size_t len);

void u_send_str(int fd, const char *s);

/* Receives, waiting at most WAIT_MS; returns the length. */
ssize_t u_recv_ok(int fd, void *buf, size_t cap,
		  struct ipcchan_msg_info *info);

/* Receives, expecting the hang-up (EPIPE) within WAIT_MS. */
void u_recv_epipe(int fd);

/* Receives one message and checks that it is the string @s. */
void u_recv_str(int fd, const char *s);

/* Returns the revents of one poll() of @fd for @events, 0 on timeout. */
short u_poll_fd(int fd, short events, int timeout_ms);

/*
 * Waits in poll() for @events (or the hang-up and error that poll always
 * reports) and returns the revents. poll() checks every fd once more when
 * its timeout expires, so an answer that comes only then means the poller
 * was never woken: that fails.
 */
short u_poll_wake(int fd, short events);

void u_set_nonblock(int fd, bool on);

/* ----- processes ----- */

/* fork(); the child starts with a clean failure record. */
pid_t u_xfork(void);

/* Ends a child of a test: status 0 unless one of its EXPECTs failed. */
__attribute__((noreturn)) void child_exit(void);

/*
 * Waits at most @timeout_ms for child @pid. Returns its exit status, 128 +
 * the signal that killed it, or -1 if it had to be killed for the timeout.
 */
int u_wait_exit(pid_t pid, int timeout_ms);

#define ASSERT_CHILD_OK(pid)						\
	ASSERT_EQ(u_wait_exit((pid), CHILD_MS), 0, "child process failed")
#define EXPECT_CHILD_OK(pid)						\
	EXPECT_EQ(u_wait_exit((pid), CHILD_MS), 0, "child process failed")

/* Like ASSERT_CHILD_OK, but a child that skipped skips the test too. */
#define ASSERT_CHILD_OK_OR_SKIP(pid)					\
	do {								\
		int __st = u_wait_exit((pid), CHILD_MS);		\
		if (__st == HARNESS_EXIT_SKIP) {			\
			fflush(stdout);					\
			_exit(HARNESS_EXIT_SKIP);			\
		}							\
		ASSERT_EQ(__st, 0, "child process failed");		\
	} while (0)

/* Runs @fn(@arg) in a child process and returns its wait_exit() result. */
int u_run_in_child(void (*fn)(void *arg), void *arg);

/* Becomes nobody:nogroup with no supplementary groups, for good. */
void u_drop_to_nobody(void);

/*
 * A one-way channel between two processes of a test, over a pipe, that
 * carries ints: a go-ahead, a pid, a result. Both ends are set up before the
 * fork; a wait is bounded by WAIT_MS.
 */
struct sync {
	int fd[2];
};

void u_sync_init(struct sync *s);

void u_sync_send(struct sync *s, int v);

int u_sync_recv(struct sync *s);

void u_sync_post(struct sync *s);

void u_sync_wait(struct sync *s);

enum blocked_in {
	IN_IOCTL,
	IN_POLL,
	IN_EPOLL,
	IN_READ,
	IN_WRITE,
	IN_FUTEX,
};

bool syscall_matches(long nr, enum blocked_in where);

/* The state letter of /proc/<pid>/stat, or 0. */
char proc_state(pid_t pid);

/* The syscall number of /proc/<pid>/syscall: -1 running, -2 unknown. */
long proc_syscall(pid_t pid);

/*
 * Waits until process @pid sleeps interruptibly in the system call @where,
 * i.e. until it is blocked there. Without /proc/<pid>/syscall, it can only
 * give the process a moment.
 */
void u_wait_blocked(pid_t pid, enum blocked_in where);

/* Asserts that child @pid has not ended (yet). */
void u_assert_running(pid_t pid);

void u_set_handler(int sig, void (*fn)(int), int flags);

/* ----- memory ----- */

static inline long page_size(void)
{
	return sysconf(_SC_PAGESIZE);
}

/* @valid accessible bytes, directly followed by an inaccessible page. */
void *u_guarded_buf(size_t valid);

/* A page that cannot be read or written. */
void *u_noaccess_page(void);

/* Memory shared with the children forked after this call. */
void *u_shared_alloc(size_t len);

static inline void fill_pattern(void *buf, size_t len, unsigned int seed)
{
	unsigned char *p = buf;
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (unsigned char)(seed * 131 + i * 7 + (i >> 8));
}

/* Index of the first byte of @buf that is not fill_pattern(@seed), or -1. */
static inline ssize_t pattern_mismatch(const void *buf, size_t len,
				       unsigned int seed)
{
	const unsigned char *p = buf;
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != (unsigned char)(seed * 131 + i * 7 + (i >> 8)))
			return i;
	return -1;
}

/* ----- regions ----- */

#define RW_REGION	(IPCCHAN_REGION_READ | IPCCHAN_REGION_WRITE)

static inline void raw_region_open_init(struct ipcchan_region_open *op,
					const char *name, unsigned int flags,
					__u32 mode, __u64 size)
{
	memset(op, 0, sizeof(*op));
	op->size = sizeof(*op);
	op->flags = flags;
	op->mode = mode;
	op->region_size = size;
	if (name)
		memcpy(op->name, name, strnlen(name, sizeof(op->name)));
}

/* IPCCHAN_IOC_REGION_OPEN through a new /dev/ipcchan: the fd or -errno. */
int raw_region_open(struct ipcchan_region_open *op);

/*
 * Creates a region of @size bytes under a new name (written to @name unless
 * NULL), through @dev (or IPCCHAN_DEV_AUTO); returns a region fd opened
 * with @flags (IPCCHAN_REGION_READ/WRITE and the other IPCCHAN_OPEN_*).
 */
int u_region_new_dev(int dev, char *name, unsigned int flags,
		     __u32 mode, __u64 size);

int u_region_new(char *name, unsigned int flags, __u32 mode,
		 __u64 size);

/* Opens the existing region @name. */
int u_region_get(const char *name, unsigned int flags);

void u_region_unlink(const char *name);

void u_region_info(int fd, struct ipcchan_region_info *ri);

/* REGION_INFO.mappings: the VMAs of the region that exist now. */
__u32 u_region_mappings(int fd);

/* mmap(MAP_SHARED) of @len bytes of region @fd at @off; asserts it works. */
void *u_region_map(int fd, size_t len, int prot, off_t off);

/* mmap() that should fail: -errno, or 0 (and unmapped again) if it worked. */
int try_mmap(int fd, size_t len, int prot, int flags, off_t off);

/* How many fds this process has open (entries of /proc/self/fd). */
int count_fds(void);

/* ----- module parameters ----- */

/* Reads parameter @name into @buf without its newline: 0 or -errno. */
int param_read(const char *name, char *buf, size_t len);

int param_read_u64(const char *name, uint64_t *v);

int param_write(const char *name, const char *val);

/* Is parameter @name there and writable? */
bool param_writable(const char *name);

/*
 * Sets parameter @name to @v, first recording its old value so that
 * param_restore_all(), or the runner after the test, puts it back.
 */
void u_param_set_u64(const char *name, uint64_t v);

/* Puts back every parameter changed by param_set_u64(), newest first. */
int param_restore_all(void);

/* ----- cleanup by the runner ----- */

/*
 * Unlinks what the test named and restores the parameters it changed; util.c
 * hands it to the runner (harness_after_test) from a constructor. The
 * reference below links util.o into every program that includes this
 * header, constructor included, even one that calls no helper of it.
 */
void util_after_test(void);
static void (*const util_after_test_ref)(void) __attribute__((used)) =
	util_after_test;

/* ----- the helpers, as the tests call them ----- */

/* ----- memory cgroups (cgroup2) ----- */

#define CGROUP_ROOT	"/sys/fs/cgroup"

/* Writes @val to the cgroup file @path; false if that failed. */
bool u_cg_write(const char *path, const char *val);

/*
 * The number in the cgroup file @dir/@file, or with @key the number after
 * "@key " in it (-1 if no line has it).
 */
int64_t u_cg_read(const char *dir, const char *file,
		  const char *key);

/* Makes a fresh memory cgroup; SKIPs when the system has none. */
void u_cg_make(char *dir, size_t len);

#define get_version(...)	(HARNESS_AT(), u_get_version(__VA_ARGS__))
#define dev_open(...)		(HARNESS_AT(), u_dev_open(__VA_ARGS__))
#define chan_new_dev(...)	(HARNESS_AT(), u_chan_new_dev(__VA_ARGS__))
#define chan_new(...)		(HARNESS_AT(), u_chan_new(__VA_ARGS__))
#define chan_get(...)		(HARNESS_AT(), u_chan_get(__VA_ARGS__))
#define chan_unlink(...)	(HARNESS_AT(), u_chan_unlink(__VA_ARGS__))
#define chan_info(...)		(HARNESS_AT(), u_chan_info(__VA_ARGS__))
#define chan_msgs(...)		(HARNESS_AT(), u_chan_msgs(__VA_ARGS__))
#define send_ok(...)		(HARNESS_AT(), u_send_ok(__VA_ARGS__))
#define send_str(...)		(HARNESS_AT(), u_send_str(__VA_ARGS__))
#define recv_ok(...)		(HARNESS_AT(), u_recv_ok(__VA_ARGS__))
#define recv_epipe(...)		(HARNESS_AT(), u_recv_epipe(__VA_ARGS__))
#define poll_wake(...)		(HARNESS_AT(), u_poll_wake(__VA_ARGS__))
#define recv_str(...)		(HARNESS_AT(), u_recv_str(__VA_ARGS__))
#define poll_fd(...)		(HARNESS_AT(), u_poll_fd(__VA_ARGS__))
#define set_nonblock(...)	(HARNESS_AT(), u_set_nonblock(__VA_ARGS__))
#define xfork(...)		(HARNESS_AT(), u_xfork(__VA_ARGS__))
#define wait_exit(...)		(HARNESS_AT(), u_wait_exit(__VA_ARGS__))
#define run_in_child(...)	(HARNESS_AT(), u_run_in_child(__VA_ARGS__))
#define drop_to_nobody(...)	(HARNESS_AT(), u_drop_to_nobody(__VA_ARGS__))
#define sync_init(...)		(HARNESS_AT(), u_sync_init(__VA_ARGS__))
#define sync_send(...)		(HARNESS_AT(), u_sync_send(__VA_ARGS__))
#define sync_recv(...)		(HARNESS_AT(), u_sync_recv(__VA_ARGS__))
#define sync_post(...)		(HARNESS_AT(), u_sync_post(__VA_ARGS__))
#define sync_wait(...)		(HARNESS_AT(), u_sync_wait(__VA_ARGS__))
#define wait_blocked(...)	(HARNESS_AT(), u_wait_blocked(__VA_ARGS__))
#define assert_running(...)	(HARNESS_AT(), u_assert_running(__VA_ARGS__))
#define set_handler(...)	(HARNESS_AT(), u_set_handler(__VA_ARGS__))
#define guarded_buf(...)	(HARNESS_AT(), u_guarded_buf(__VA_ARGS__))
#define noaccess_page(...)	(HARNESS_AT(), u_noaccess_page(__VA_ARGS__))
#define shared_alloc(...)	(HARNESS_AT(), u_shared_alloc(__VA_ARGS__))
#define param_set_u64(...)	(HARNESS_AT(), u_param_set_u64(__VA_ARGS__))
#define region_new_dev(...)	(HARNESS_AT(), u_region_new_dev(__VA_ARGS__))
#define region_new(...)		(HARNESS_AT(), u_region_new(__VA_ARGS__))
#define region_get(...)		(HARNESS_AT(), u_region_get(__VA_ARGS__))
#define region_unlink(...)	(HARNESS_AT(), u_region_unlink(__VA_ARGS__))
#define region_info(...)	(HARNESS_AT(), u_region_info(__VA_ARGS__))
#define region_mappings(...)	(HARNESS_AT(), u_region_mappings(__VA_ARGS__))
#define region_map(...)		(HARNESS_AT(), u_region_map(__VA_ARGS__))
#define cg_write(...)		(HARNESS_AT(), u_cg_write(__VA_ARGS__))
#define cg_read(...)		(HARNESS_AT(), u_cg_read(__VA_ARGS__))
#define cg_make(...)		(HARNESS_AT(), u_cg_make(__VA_ARGS__))

#endif /* IPCCHAN_TEST_UTIL_H */
