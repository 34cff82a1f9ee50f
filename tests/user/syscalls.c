// SPDX-License-Identifier: GPL-2.0
/*
 * The system calls the tests and the fuzzer rely on exist in the kernel
 * under test: none fails with ENOSYS. A tinyconfig kernel leaves several out
 * (CONFIG_ADVISE_SYSCALLS, CONFIG_POSIX_TIMERS, ...; see
 * tests/debug-kernel/debug.config); the calls then never reach the module,
 * silently. Each call is made so that it succeeds on a full kernel.
 */
#define _GNU_SOURCE
#include "harness.h"
#include "util.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <time.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <sys/uio.h>
#include <linux/membarrier.h>

/* A call's result: fine unless it failed with ENOSYS (or at all, if @must). */
#define NOT_ENOSYS(call, must) do {					\
	errno = 0;							\
	long __r = (long)(call);					\
	int __e = errno;						\
	ASSERT_TRUE(!(__r < 0 && __e == ENOSYS), "%s: ENOSYS", #call);	\
	if (must)							\
		ASSERT_TRUE(__r >= 0, "%s: %s", #call, strerror(__e));	\
} while (0)

TEST(madvise)
{
	size_t len = 4 * page_size();
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	ASSERT_TRUE(p != MAP_FAILED);
	memset(p, 1, len);
	NOT_ENOSYS(madvise(p, len, MADV_DONTNEED), true);
	NOT_ENOSYS(madvise(p, len, MADV_WILLNEED), true);
	NOT_ENOSYS(madvise(p, len, MADV_REMOVE), true);
	NOT_ENOSYS(madvise(p, len, MADV_DONTFORK), true);
	NOT_ENOSYS(madvise(p, len, MADV_DOFORK), true);
	NOT_ENOSYS(madvise(p, len, MADV_POPULATE_WRITE), true);
	EXPECT_EQ(p[0], 0, "MADV_REMOVE dropped the page");
	munmap(p, len);
}

TEST(fadvise)
{
	int p[2], mfd = memfd_create("sc", 0);

	ASSERT_EQ(pipe(p), 0);
	ASSERT_GE(mfd, 0);
	/* posix_fadvise() returns the error: ESPIPE for a pipe. */
	EXPECT_EQ(posix_fadvise(p[0], 0, 0, POSIX_FADV_NORMAL), ESPIPE);
	EXPECT_EQ(posix_fadvise(mfd, 0, 0, POSIX_FADV_DONTNEED), 0);
	close(p[0]);
	close(p[1]);
	close(mfd);
}

TEST(posix_timers)
{
	struct itimerval it = { .it_value = { .tv_sec = 100 } };
	struct sigevent sev = { .sigev_notify = SIGEV_NONE };
	struct itimerspec ts = { .it_value = { .tv_sec = 100 } };
	timer_t t;

	NOT_ENOSYS(setitimer(ITIMER_REAL, &it, NULL), true);
	memset(&it, 0, sizeof(it));
	NOT_ENOSYS(setitimer(ITIMER_REAL, &it, NULL), true);
	NOT_ENOSYS(timer_create(CLOCK_MONOTONIC, &sev, &t), true);
	NOT_ENOSYS(timer_settime(t, 0, &ts, NULL), true);
	NOT_ENOSYS(timer_delete(t), true);
}

TEST(timerfd)
{
	struct itimerspec ts = { .it_value = { .tv_nsec = 1000 } };
	uint64_t n;
	int fd;

	NOT_ENOSYS(fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC), true);
	NOT_ENOSYS(timerfd_settime(fd, 0, &ts, NULL), true);
	EXPECT_EQ(read(fd, &n, sizeof(n)), (ssize_t)sizeof(n));
	close(fd);
}

TEST(signalfd)
{
	sigset_t set;
	int fd;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	NOT_ENOSYS(fd = signalfd(-1, &set, SFD_CLOEXEC), true);
	close(fd);
}

TEST(file_locks)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	int fd = memfd_create("sc", MFD_CLOEXEC);

	ASSERT_GE(fd, 0);
	NOT_ENOSYS(flock(fd, LOCK_EX), true);
	NOT_ENOSYS(flock(fd, LOCK_UN), true);
	NOT_ENOSYS(fcntl(fd, F_SETLK, &fl), true);
	fl.l_type = F_UNLCK;
	NOT_ENOSYS(fcntl(fd, F_SETLK, &fl), true);
	fl.l_type = F_WRLCK;
	NOT_ENOSYS(fcntl(fd, F_OFD_SETLK, &fl), true);
	close(fd);
}

TEST(membarrier)
{
	long r;

	NOT_ENOSYS(r = syscall(SYS_membarrier, MEMBARRIER_CMD_QUERY, 0, 0),
		   true);
	EXPECT_TRUE(r & MEMBARRIER_CMD_GLOBAL, "commands %#lx", r);
}

TEST(name_to_handle_at)
{
	struct {
		struct file_handle h;
		unsigned char b[MAX_HANDLE_SZ];
	} fh = { .h.handle_bytes = MAX_HANDLE_SZ };
	int mnt;

	/* procfs has no handles: EOPNOTSUPP; tmpfs or the rootfs may. */
	NOT_ENOSYS(name_to_handle_at(AT_FDCWD, "/", &fh.h, &mnt, 0), false);
}

TEST(process_vm_readv)
{
	char src[16] = "ipcchan", dst[16] = "";
	struct iovec l = { dst, sizeof(dst) }, r = { src, sizeof(src) };

	NOT_ENOSYS(process_vm_readv(getpid(), &l, 1, &r, 1, 0), true);
	EXPECT_STREQ(dst, "ipcchan");
	NOT_ENOSYS(process_vm_writev(getpid(), &r, 1, &l, 1, 0), true);
}

TEST(mremap_mprotect)
{
	size_t len = page_size();
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *q;

	ASSERT_TRUE(p != MAP_FAILED);
	q = mremap(p, len, 2 * len, MREMAP_MAYMOVE);
	ASSERT_TRUE(q != MAP_FAILED, "mremap: %s", strerror(errno));
	NOT_ENOSYS(mprotect(q, 2 * len, PROT_READ), true);
	NOT_ENOSYS(mlock(q, len), false);
	NOT_ENOSYS(msync(q, len, MS_SYNC), true);
	munmap(q, 2 * len);
}

TEST(unshare)
{
	pid_t pid = xfork();

	if (pid == 0) {
		NOT_ENOSYS(unshare(CLONE_NEWUSER | CLONE_NEWPID), true);
		child_exit();
	}
	ASSERT_CHILD_OK(pid);
}

TEST(fds)
{
	int fd;

	NOT_ENOSYS(fd = eventfd(0, EFD_CLOEXEC), true);
	close(fd);
	NOT_ENOSYS(fd = epoll_create1(EPOLL_CLOEXEC), true);
	close(fd);
	NOT_ENOSYS(fd = memfd_create("sc", MFD_CLOEXEC), true);
	close(fd);
	NOT_ENOSYS(fd = syscall(SYS_pidfd_open, getpid(), 0), true);
	close(fd);
}

TEST_MAIN("syscalls")
