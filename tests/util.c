// SPDX-License-Identifier: GPL-2.0
/*
 * The helpers of util.h, built once into the test library (tests/Makefile).
 * A helper's documentation is in util.h.
 */
#include "util.h"

int u_dev_open(void)
{
	int fd = ipcchan_dev_open();

	ASSERT_GE(fd, 0, "cannot open %s: is the module loaded?",
		  IPCCHAN_DEVICE);
	return fd;
}

void u_get_version(struct ipcchan_version *v)
{
	ASSERT_EQ(ipcchan_version(IPCCHAN_DEV_AUTO, v), 0);
}

void new_name(char name[IPCCHAN_NAME_MAX])
{
	unsigned int n = __atomic_fetch_add(&util_sh()->name_counter, 1,
					    __ATOMIC_SEQ_CST);

	snprintf(name, IPCCHAN_NAME_MAX, "t-%s-%d-%u", harness_suite,
		 (int)harness_shm->test_pid, n);
}

int u_chan_new_dev(int dev, char *name, unsigned int flags,
		   __u32 mode, __u32 msg_size, __u32 msgs,
		   __u64 bytes)
{
	struct ipcchan_attr a = {
		.mode = mode, .max_msg_size = msg_size,
		.max_msgs = msgs, .max_bytes = bytes,
	};
	char tmp[IPCCHAN_NAME_MAX];
	mode_t mask;
	int fd;

	if (!name)
		name = tmp;
	new_name(name);
	/* @mode exactly: the module clears the umask's bits. */
	mask = umask(0);
	fd = ipcchan_chan_open(dev, name, flags | IPCCHAN_OPEN_CREATE |
			       IPCCHAN_OPEN_EXCL, &a);
	umask(mask);
	ASSERT_GE(fd, 0, "creating channel %s", name);
	return fd;
}

int u_chan_new(char *name, unsigned int flags, __u32 mode,
	       __u32 msg_size, __u32 msgs, __u64 bytes)
{
	return u_chan_new_dev(IPCCHAN_DEV_AUTO, name, flags, mode, msg_size,
			    msgs, bytes);
}

int u_chan_get(const char *name, unsigned int flags)
{
	int fd = ipcchan_chan_open(IPCCHAN_DEV_AUTO, name, flags, NULL);

	ASSERT_GE(fd, 0, "opening channel %s", name);
	return fd;
}

void u_chan_unlink(const char *name)
{
	ASSERT_EQ(ipcchan_chan_unlink(IPCCHAN_DEV_AUTO, name), 0,
		  "unlinking %s", name);
}

void u_chan_info(int fd, struct ipcchan_chan_info *ci)
{
	ASSERT_EQ(ipcchan_chan_info(fd, ci), 0);
}

__u32 u_chan_msgs(int fd)
{
	struct ipcchan_chan_info ci;

	u_chan_info(fd, &ci);
	return ci.msgs;
}

void woken_in_time(int64_t t0, int64_t timeout_ns)
{
	ASSERT_LT(now_ns() - t0, timeout_ns, "the wait ended only at its "
		  "timeout: a wake-up is missing");
}

void u_send_ok(int fd, const void *buf, size_t len)
{
	int64_t t0 = now_ns();

	ASSERT_EQ(ipcchan_send(fd, buf, len, 0, WAIT_NS), 0);
	woken_in_time(t0, WAIT_NS);
}

void u_send_str(int fd, const char *s)
{
	u_send_ok(fd, s, strlen(s));
}

ssize_t u_recv_ok(int fd, void *buf, size_t cap,
		  struct ipcchan_msg_info *info)
{
	int64_t t0 = now_ns();
	ssize_t n = ipcchan_recv(fd, buf, cap, info, 0, WAIT_NS);

	ASSERT_GE(n, 0);
	woken_in_time(t0, WAIT_NS);
	return n;
}

void u_recv_epipe(int fd)
{
	int64_t t0 = now_ns();

	ASSERT_EQ(ipcchan_recv(fd, NULL, 0, NULL, 0, WAIT_NS), -EPIPE);
	woken_in_time(t0, WAIT_NS);
}

void u_recv_str(int fd, const char *s)
{
	char buf[4096];
	ssize_t n = u_recv_ok(fd, buf, sizeof(buf) - 1, NULL);

	buf[n] = 0;
	ASSERT_EQ(n, (ssize_t)strlen(s));
	ASSERT_STREQ(buf, s);
}

short u_poll_fd(int fd, short events, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = events };
	int ret;

	do
		ret = poll(&p, 1, timeout_ms);
	while (ret < 0 && errno == EINTR);
	ASSERT_GE(ret, 0);
	return ret ? p.revents : 0;
}

short u_poll_wake(int fd, short events)
{
	int64_t t0 = now_ns();
	short rev = u_poll_fd(fd, events, WAIT_MS);

	ASSERT_NE(rev, 0, "poll() saw nothing in %d ms", WAIT_MS);
	woken_in_time(t0, WAIT_NS);
	return rev;
}

void u_set_nonblock(int fd, bool on)
{
	int fl = fcntl(fd, F_GETFL);

	ASSERT_GE(fl, 0);
	fl = on ? fl | O_NONBLOCK : fl & ~O_NONBLOCK;
	ASSERT_EQ(fcntl(fd, F_SETFL, fl), 0);
}

pid_t u_xfork(void)
{
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0)
		harness_failed = 0;
	return pid;
}

__attribute__((noreturn)) void child_exit(void)
{
	fflush(stdout);
	_exit(harness_status());
}

int u_wait_exit(pid_t pid, int timeout_ms)
{
	int64_t deadline = now_ns() + timeout_ms * NS_PER_MS;
	int status, pfd;
	pid_t ret;

	pfd = syscall(SYS_pidfd_open, pid, 0);
	for (;;) {
		ret = waitpid(pid, &status, WNOHANG);
		if (ret == pid)
			break;
		ASSERT_EQ(ret, 0, "waitpid(%d): %s", (int)pid,
			  strerror(errno));
		if (now_ns() > deadline) {
			TH_LOG("child %d did not end within %d ms, killing it",
			       (int)pid, timeout_ms);
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			if (pfd >= 0)
				close(pfd);
			return -1;
		}
		if (pfd >= 0)
			u_poll_fd(pfd, POLLIN, 100);
		else
			msleep(5);
	}
	if (pfd >= 0)
		close(pfd);
	if (WIFSIGNALED(status)) {
		TH_LOG("child %d killed by signal %d", (int)pid,
		       WTERMSIG(status));
		return 128 + WTERMSIG(status);
	}
	return WEXITSTATUS(status);
}

int u_run_in_child(void (*fn)(void *arg), void *arg)
{
	pid_t pid = u_xfork();

	if (pid == 0) {
		fn(arg);
		child_exit();
	}
	return u_wait_exit(pid, CHILD_MS);
}

void u_drop_to_nobody(void)
{
	ASSERT_EQ(setgroups(0, NULL), 0);
	ASSERT_EQ(setresgid(NOBODY, NOBODY, NOBODY), 0);
	ASSERT_EQ(setresuid(NOBODY, NOBODY, NOBODY), 0);
	ASSERT_EQ(geteuid(), NOBODY);
}

void u_sync_init(struct sync *s)
{
	ASSERT_EQ(pipe2(s->fd, O_CLOEXEC), 0);
}

void u_sync_send(struct sync *s, int v)
{
	ASSERT_EQ(write(s->fd[1], &v, sizeof(v)), (ssize_t)sizeof(v));
}

int u_sync_recv(struct sync *s)
{
	/* ppoll, not poll: wait_blocked(IN_POLL) must not mistake this. */
	struct pollfd p = { .fd = s->fd[0], .events = POLLIN };
	struct timespec ts = { WAIT_MS / 1000, 0 };
	int ret, v;

	do
		ret = ppoll(&p, 1, &ts, NULL);
	while (ret < 0 && errno == EINTR);
	ASSERT_EQ(ret, 1, "no word from the other process in %d ms",
		  WAIT_MS);
	ASSERT_EQ(read(s->fd[0], &v, sizeof(v)), (ssize_t)sizeof(v));
	return v;
}

void u_sync_post(struct sync *s)
{
	u_sync_send(s, 0);
}

void u_sync_wait(struct sync *s)
{
	ASSERT_EQ(u_sync_recv(s), 0);
}

bool syscall_matches(long nr, enum blocked_in where)
{
	switch (where) {
	case IN_IOCTL:
		return nr == SYS_ioctl;
	case IN_POLL:
		return nr == SYS_poll;
	case IN_EPOLL:
		return nr == SYS_epoll_wait || nr == SYS_epoll_pwait ||
		       nr == SYS_epoll_pwait2;
	case IN_READ:
		return nr == SYS_read;
	case IN_WRITE:
		return nr == SYS_write;
	case IN_FUTEX:
		return nr == SYS_futex;
	}
	return false;
}

char proc_state(pid_t pid)
{
	char path[64], buf[512], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : 0;
}

long proc_syscall(pid_t pid)
{
	char path[64], buf[256];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/syscall", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -2;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -2;
	buf[n] = 0;
	if (!strncmp(buf, "running", 7))
		return -1;
	return strtol(buf, NULL, 10);
}

void u_wait_blocked(pid_t pid, enum blocked_in where)
{
	int64_t deadline = now_ns() + WAIT_NS;

	for (;;) {
		char st = proc_state(pid);
		long nr = proc_syscall(pid);

		ASSERT_TRUE(st != 'Z' && st != 'X' && st != 0,
			    "process %d ended instead of blocking", (int)pid);
		if (nr == -2) {
			msleep(SETTLE_MS);
			return;
		}
		if (st == 'S' && syscall_matches(nr, where))
			return;
		ASSERT_LT(now_ns(), deadline, "process %d never blocked "
			  "(state %c, syscall %ld)", (int)pid, st, nr);
		msleep(5);
	}
}

void u_assert_running(pid_t pid)
{
	int status;

	ASSERT_EQ(waitpid(pid, &status, WNOHANG), 0,
		  "process %d ended early", (int)pid);
}

void u_set_handler(int sig, void (*fn)(int), int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	ASSERT_EQ(sigaction(sig, &sa, NULL), 0);
}

void *u_guarded_buf(size_t valid)
{
	size_t pg = page_size();
	size_t span = (valid + pg - 1) / pg * pg;
	char *p;

	if (!span)
		span = pg;
	p = mmap(NULL, span + pg, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(p != MAP_FAILED);
	ASSERT_EQ(mprotect(p + span, pg, PROT_NONE), 0);
	return p + span - valid;
}

void *u_noaccess_page(void)
{
	void *p = mmap(NULL, page_size(), PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ASSERT_TRUE(p != MAP_FAILED);
	return p;
}

void *u_shared_alloc(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	ASSERT_TRUE(p != MAP_FAILED);
	return p;
}

int raw_region_open(struct ipcchan_region_open *op)
{
	int dev = ipcchan_dev_open(), ret;

	if (dev < 0)
		return dev;
	ret = xioctl(dev, IPCCHAN_IOC_REGION_OPEN, op);
	close(dev);
	return ret;
}

int u_region_new_dev(int dev, char *name, unsigned int flags,
		     __u32 mode, __u64 size)
{
	char tmp[IPCCHAN_NAME_MAX];
	mode_t mask;
	int fd;

	if (!name)
		name = tmp;
	new_name(name);
	/* @mode exactly: the module clears the umask's bits. */
	mask = umask(0);
	fd = ipcchan_region_open(dev, name, flags | IPCCHAN_OPEN_CREATE |
				 IPCCHAN_OPEN_EXCL, mode, size);
	umask(mask);
	ASSERT_GE(fd, 0, "creating region %s of %llu bytes", name,
		  (unsigned long long)size);
	return fd;
}

int u_region_new(char *name, unsigned int flags, __u32 mode,
		 __u64 size)
{
	return u_region_new_dev(IPCCHAN_DEV_AUTO, name, flags, mode, size);
}

int u_region_get(const char *name, unsigned int flags)
{
	int fd = ipcchan_region_open(IPCCHAN_DEV_AUTO, name, flags, 0, 0);

	ASSERT_GE(fd, 0, "opening region %s", name);
	return fd;
}

void u_region_unlink(const char *name)
{
	ASSERT_EQ(ipcchan_region_unlink(IPCCHAN_DEV_AUTO, name), 0,
		  "unlinking region %s", name);
}

void u_region_info(int fd, struct ipcchan_region_info *ri)
{
	memset(ri, 0, sizeof(*ri));
	ASSERT_EQ(ipcchan_region_info(fd, ri), 0);
}

__u32 u_region_mappings(int fd)
{
	struct ipcchan_region_info ri;

	u_region_info(fd, &ri);
	return ri.mappings;
}

void *u_region_map(int fd, size_t len, int prot, off_t off)
{
	void *p = mmap(NULL, len, prot, MAP_SHARED, fd, off);

	ASSERT_TRUE(p != MAP_FAILED, "mmap(%zu bytes at %lld, prot %#x): %s",
		    len, (long long)off, prot, strerror(errno));
	return p;
}

int try_mmap(int fd, size_t len, int prot, int flags, off_t off)
{
	void *p = mmap(NULL, len, prot, flags, fd, off);

	if (p == MAP_FAILED)
		return -errno;
	munmap(p, len);
	return 0;
}

int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	ASSERT_TRUE(d != NULL);
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1;	/* the directory's own fd */
}

int param_read(const char *name, char *buf, size_t len)
{
	char path[sizeof(PARAM_DIR) + 257];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), PARAM_DIR "/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	if (n < 0) {
		n = -errno;
		close(fd);
		return n;
	}
	close(fd);
	buf[n] = 0;
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = 0;
	return 0;
}

int param_read_u64(const char *name, uint64_t *v)
{
	char buf[64], *end;
	int ret = param_read(name, buf, sizeof(buf));

	if (ret)
		return ret;
	errno = 0;
	*v = strtoull(buf, &end, 0);
	if (errno || end == buf)
		return -EINVAL;
	return 0;
}

int param_write(const char *name, const char *val)
{
	char path[sizeof(PARAM_DIR) + 257];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), PARAM_DIR "/%s", name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	n = n < 0 ? -errno : 0;
	close(fd);
	return (int)n;
}

bool param_writable(const char *name)
{
	char path[sizeof(PARAM_DIR) + 257];

	snprintf(path, sizeof(path), PARAM_DIR "/%s", name);
	return access(path, W_OK) == 0;
}

void u_param_set_u64(const char *name, uint64_t v)
{
	struct util_shared *sh = util_sh();
	char val[32];
	int i;

	for (i = 0; i < sh->nparams; i++)
		if (!strcmp(sh->params[i].name, name))
			break;
	if (i == sh->nparams) {
		ASSERT_LT(sh->nparams, 16);
		ASSERT_EQ(param_read(name, sh->params[i].old,
				     sizeof(sh->params[i].old)), 0,
			  "reading %s", name);
		snprintf(sh->params[i].name, sizeof(sh->params[i].name), "%s",
			 name);
		sh->nparams++;
	}
	snprintf(val, sizeof(val), "%" PRIu64, v);
	ASSERT_EQ(param_write(name, val), 0, "writing %s=%s", name, val);
}

int param_restore_all(void)
{
	struct util_shared *sh = util_sh();
	int ret = 0;

	while (sh->nparams > 0) {
		struct util_param *p = &sh->params[--sh->nparams];
		int r = param_write(p->name, p->old);

		if (r) {
			printf("# could not restore %s=%s: %s\n", p->name,
			       p->old, strerror(-r));
			ret = r;
		}
	}
	return ret;
}

/* IPCCHAN_IOC_UNLINK of region @name: 0 or -errno. */
static int util_region_unlink_raw(int dev, const char *name)
{
	struct ipcchan_unlink u;

	memset(&u, 0, sizeof(u));
	u.size = sizeof(u);
	u.kind = IPCCHAN_KIND_REGION;
	snprintf(u.name, sizeof(u.name), "%s", name);
	return ioctl(dev, IPCCHAN_IOC_UNLINK, &u) < 0 ? -errno : 0;
}

void util_after_test(void)
{
	struct util_shared *sh = util_sh();
	char name[IPCCHAN_NAME_MAX];
	unsigned int i;
	int dev;

	param_restore_all();
	if (!harness_shm->test_pid || !sh->name_counter)
		return;
	dev = ipcchan_dev_open();
	if (dev < 0)
		return;
	for (i = 0; i < sh->name_counter; i++) {
		snprintf(name, sizeof(name), "t-%s-%d-%u", harness_suite,
			 (int)harness_shm->test_pid, i);
		ipcchan_chan_unlink(dev, name);
		/* Regions have names of their own: a raw ioctl, no library. */
		util_region_unlink_raw(dev, name);
	}
	close(dev);
}

__attribute__((constructor)) static void util_init(void)
{
	harness_after_test = util_after_test;
}

bool u_cg_write(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	bool ok;

	if (fd < 0)
		return false;
	ok = write(fd, val, strlen(val)) == (ssize_t)strlen(val);
	close(fd);
	return ok;
}

int64_t u_cg_read(const char *dir, const char *file,
		  const char *key)
{
	char path[512], buf[4096], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	ASSERT_GE(fd, 0, "open %s", path);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	ASSERT_GT(n, 0);
	buf[n] = 0;
	if (!key)
		return strtoll(buf, NULL, 10);
	for (p = buf; p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (!strncmp(p, key, strlen(key)) && p[strlen(key)] == ' ')
			return strtoll(p + strlen(key) + 1, NULL, 10);
	return -1;
}

void u_cg_make(char *dir, size_t len)
{
	char buf[512];
	int fd;
	ssize_t n;

	if (access(CGROUP_ROOT "/cgroup.controllers", R_OK) &&
	    mount("cgroup2", CGROUP_ROOT, "cgroup2", 0, NULL))
		SKIP("no cgroup2 at " CGROUP_ROOT);
	fd = open(CGROUP_ROOT "/cgroup.controllers", O_RDONLY | O_CLOEXEC);
	ASSERT_GE(fd, 0);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = 0;
	if (!strstr(buf, "memory"))
		SKIP("no memory controller in cgroup2");
	u_cg_write(CGROUP_ROOT "/cgroup.subtree_control", "+memory");
	snprintf(dir, len, CGROUP_ROOT "/ipcchan-test-%d", (int)getpid());
	ASSERT_EQ(mkdir(dir, 0755), 0, "mkdir %s: %s", dir, strerror(errno));
	snprintf(buf, sizeof(buf), "%s/memory.current", dir);
	if (access(buf, R_OK)) {
		rmdir(dir);
		SKIP("the memory controller is not enabled for %.200s", dir);
	}
}
