// SPDX-License-Identifier: GPL-2.0
/*
 * IPCCHAN_IOC_REGION_WAIT, _WAKE and _ATTACH, and poll(2) on a region fd:
 * a futex-like wait on a word of the region (at once when it differs, until
 * a wake from another process otherwise, EAGAIN, ETIMEDOUT, EINTR), the
 * checks on offsets and flags, producer and consumer roles (once per fd),
 * a peer that dies (EPIPE and EPOLLHUP), and EPOLLIN after a wake until
 * the fd's next REGION_WAIT.
 */
#include "util.h"

static int wait_word(int fd, uint64_t off, uint32_t expected,
		     unsigned int flags, int64_t timeout_ns)
{
	return ipcchan_region_wait(fd, off, expected, flags, timeout_ns);
}

static void wake_ok(int fd)
{
	ASSERT_EQ(ipcchan_region_wake(fd), 0);
}

static __u64 wakes_of(int fd)
{
	struct ipcchan_region_info ri;

	region_info(fd, &ri);
	return ri.wakes;
}

static void raw_wait_init(struct ipcchan_region_wait *w, uint64_t off,
			  uint32_t expected)
{
	memset(w, 0, sizeof(*w));
	w->size = sizeof(*w);
	w->offset = off;
	w->expected = expected;
}

/* The word differs from @expected: the wait returns 0 at once. */
TEST(returns_at_once_when_differs)
{
	int fd = region_new(NULL, RW_REGION, 0600, 8192);
	uint32_t *w = region_map(fd, 8192, PROT_READ | PROT_WRITE, 0);
	int64_t t0;

	w[0] = 5;
	w[1030] = 0xdeadbeef;
	t0 = now_ns();
	EXPECT_EQ(wait_word(fd, 0, 0, 0, WAIT_NS), 0);
	EXPECT_EQ(wait_word(fd, 0, 4, 0, IPCCHAN_WAIT_FOREVER), 0);
	EXPECT_EQ(wait_word(fd, 1030 * 4, 0, 0, WAIT_NS), 0);
	EXPECT_EQ(wait_word(fd, 1030 * 4, 0xdeadbeee, 0, WAIT_NS), 0);
	/* A word never touched reads as 0. */
	EXPECT_EQ(wait_word(fd, 8188, 1, 0, WAIT_NS), 0);
	EXPECT_LT(now_ns() - t0, WAIT_NS / 2);
	/* And with NONBLOCK, a differing word is still 0, not EAGAIN. */
	EXPECT_EQ(wait_word(fd, 0, 0, IPCCHAN_XFER_NONBLOCK, 0), 0);
	EXPECT_EQ(wakes_of(fd), 0);
}

/*
 * before: the test waits on a word that holds its expected value
 * after:  it sleeps (still asleep 300 ms later) until a child, through an
 *         fd of its own, calls REGION_WAKE; the wait returns 0 at once, and
 *         REGION_INFO counts one wake
 */
TEST(sleeps_until_wake)
{
	char name[IPCCHAN_NAME_MAX];
	int fd = region_new(name, RW_REGION, 0600, 4096);
	pid_t parent = getpid(), pid;
	int64_t t0, slept;

	pid = xfork();
	if (pid == 0) {
		int mine = region_get(name, RW_REGION);

		wait_blocked(parent, IN_IOCTL);
		msleep(300);
		ASSERT_EQ(proc_state(parent), 'S', "the waiter woke up alone");
		wake_ok(mine);
		child_exit();
	}
	t0 = now_ns();
	ASSERT_EQ(wait_word(fd, 16, 0, 0, WAIT_NS), 0);
	slept = now_ns() - t0;
	woken_in_time(t0, WAIT_NS);
	EXPECT_GE(slept, 300 * NS_PER_MS, "returned before the wake");
	ASSERT_CHILD_OK(pid);
	EXPECT_EQ(wakes_of(fd), 1);
}

/* One wake wakes every waiter of the region, whatever their words. */
TEST(wake_wakes_all)
{
	char name[IPCCHAN_NAME_MAX];
	int fd = region_new(name, RW_REGION, 0600, 8192);
	pid_t pids[3];
	int k;

	for (k = 0; k < 3; k++) {
		pids[k] = xfork();
		if (pids[k] == 0) {
			int mine = region_get(name, IPCCHAN_REGION_READ);
			int64_t t0 = now_ns();

			ASSERT_EQ(wait_word(mine, k * 4096 / 2, 0, 0, WAIT_NS),
				  0);
			woken_in_time(t0, WAIT_NS);
			child_exit();
		}
	}
	for (k = 0; k < 3; k++)
		wait_blocked(pids[k], IN_IOCTL);
	wake_ok(fd);
	for (k = 0; k < 3; k++)
		EXPECT_CHILD_OK(pids[k]);
	EXPECT_EQ(wakes_of(fd), 1);
}

/* EAGAIN with IPCCHAN_XFER_NONBLOCK, or on a fd opened NONBLOCK. */
TEST(nonblock_eagain)
{
	char name[IPCCHAN_NAME_MAX];
	int fd = region_new(name, RW_REGION, 0600, 4096);
	int nb = region_get(name, IPCCHAN_REGION_READ | IPCCHAN_OPEN_NONBLOCK);
	int64_t t0 = now_ns();

	EXPECT_EQ(wait_word(fd, 0, 0, IPCCHAN_XFER_NONBLOCK,
			    IPCCHAN_WAIT_FOREVER), -EAGAIN);
	EXPECT_EQ(wait_word(fd, 0, 0, IPCCHAN_XFER_NONBLOCK, WAIT_NS),
		  -EAGAIN);
	EXPECT_EQ(wait_word(nb, 4092, 0, 0, IPCCHAN_WAIT_FOREVER), -EAGAIN);
	EXPECT_EQ(wait_word(nb, 0, 0, 0, WAIT_NS), -EAGAIN);
	EXPECT_LT(now_ns() - t0, WAIT_NS / 2, "a nonblocking wait waited");
	/* O_NONBLOCK set later by fcntl counts too. */
	set_nonblock(fd, true);
	EXPECT_EQ(wait_word(fd, 0, 0, 0, IPCCHAN_WAIT_FOREVER), -EAGAIN);
}

/* A timed wait that no one wakes ends with ETIMEDOUT, not before. */
TEST(timeout_etimedout)
{
	int fd = region_new(NULL, RW_REGION, 0600, 4096);
	int64_t t0 = now_ns(), took;

	EXPECT_EQ(wait_word(fd, 8, 0, 0, 100 * NS_PER_MS), -ETIMEDOUT);
	took = now_ns() - t0;
	EXPECT_GE(took, 100 * NS_PER_MS);
	EXPECT_LT(took, WAIT_NS);
	t0 = now_ns();
	EXPECT_EQ(wait_word(fd, 8, 0, 0, 0), -ETIMEDOUT, "timeout 0");
	EXPECT_LT(now_ns() - t0, WAIT_NS / 2);
}

static void on_signal(int sig)
{
	(void)sig;
}

/* A signal ends a timed wait with EINTR. */
TEST(signal_eintr)
{
	int fd = region_new(NULL, RW_REGION, 0600, 4096);
	pid_t parent = getpid(), pid;
	int64_t t0;

	set_handler(SIGUSR1, on_signal, SA_RESTART);
	pid = xfork();
	if (pid == 0) {
		wait_blocked(parent, IN_IOCTL);
		kill(parent, SIGUSR1);
		child_exit();
	}
	t0 = now_ns();
	EXPECT_EQ(wait_word(fd, 0, 0, 0, WAIT_NS), -EINTR);
	woken_in_time(t0, WAIT_NS);
	ASSERT_CHILD_OK(pid);
}

/*
 * Offsets: misaligned, at or past the end, overflowing: EINVAL; the last
 * word of the region is fine.
 */
TEST(bad_offsets)
{
	int fd = region_new(NULL, RW_REGION, 0600, 8192);
	const uint64_t bad[] = {
		1, 2, 3, 4094, 4097, 8190, 8192, 8196, 12288, 1ULL << 32,
		1ULL << 63, UINT64_MAX - 3, UINT64_MAX,
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		EXPECT_EQ(wait_word(fd, bad[i], 0, IPCCHAN_XFER_NONBLOCK,
				    IPCCHAN_WAIT_FOREVER), -EINVAL,
			  "offset %llu", (unsigned long long)bad[i]);
	EXPECT_EQ(wait_word(fd, 8188, 0, IPCCHAN_XFER_NONBLOCK,
			    IPCCHAN_WAIT_FOREVER), -EAGAIN, "the last word");
	EXPECT_EQ(wait_word(fd, 4096, 0, IPCCHAN_XFER_NONBLOCK,
			    IPCCHAN_WAIT_FOREVER), -EAGAIN, "page 1");
	/* Nothing was mapped or allocated for the failed calls. */
	EXPECT_EQ(region_mappings(fd), 0);
}

/* Flags, __reserved, timeouts and struct sizes of WAIT, WAKE and ATTACH. */
TEST(bad_args)
{
	int fd = region_new(NULL, RW_REGION, 0600, 4096);
	struct ipcchan_region_wait w;
	struct ipcchan_region_wake k;
	struct ipcchan_region_attach a;
	int bit;

	raw_wait_init(&w, 0, 0);
	w.flags = IPCCHAN_XFER_NONBLOCK;
	ASSERT_EQ(xioctl(fd, IPCCHAN_IOC_REGION_WAIT, &w), -EAGAIN);
	for (bit = 0; bit < 32; bit++) {
		if ((1U << bit) & (IPCCHAN_XFER_NONBLOCK |
				   IPCCHAN_XFER_TIMEOUT))
			continue;
		raw_wait_init(&w, 0, 0);
		w.flags = IPCCHAN_XFER_NONBLOCK | (1U << bit);
		EXPECT_EQ(xioctl(fd, IPCCHAN_IOC_REGION_WAIT, &w), -EINVAL,
			  "wait flag bit %d", bit);
	}
	raw_wait_init(&w, 0, 0);
	w.flags = IPCCHAN_XFER_NONBLOCK;
	w.__reserved = 1;
	EXPECT_EQ(xioctl(fd, IPCCHAN_IOC_REGION_WAIT, &w), -EINVAL);
	raw_wait_init(&w, 0, 0);
	w.flags = IPCCHAN_XFER_NONBLOCK;
	w.timeout_ns = 1000;
	EXPECT_EQ(xioctl(fd, IPCCHAN_IOC_REGION_WAIT, &w), -EINVAL,
		  "a timeout without IPCCHAN_XFER_TIMEOUT");
	raw_wait_init(&w, 0, 0);
	w.flags = IPCCHAN_XFER_TIMEOUT;
	w.timeout_ns = -1;
	EXPECT_EQ(xioctl(fd, IPCCHAN_IOC_REGION_WAIT, &w), -EINVAL,
		  "a negative timeout");
	raw_wait_init(&w, 0, 0);
	w.size = 16;
	EXPECT_EQ(xioctl(fd, IPCCHAN_IOC_REGION_WAIT, &w), -EINVAL);

	memset(&k, 0, sizeof(k));
	k.size = sizeof(k);
	k.flags = 1;
	EXPECT_EQ(xioctl(fd, IPCCHAN_IOC_REGION_WAKE, &k), -EINVAL);
	k.flags = 0x80000000U;
	EXPECT_EQ(xioctl(fd, IPCCHAN_IOC_REGION_WAKE, &k), -EINVAL);
	k.flags = 0;
	k.size = 4;
	EXPECT_EQ(xioctl(fd, IPCCHAN_IOC_REGION_WAKE, &k), -EINVAL);
	EXPECT_EQ(wakes_of(fd), 0, "a refused wake counted");

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.role = 0;
	EXPECT_EQ(xioctl(fd, IPCCHAN_IOC_REGION_ATTACH, &a), -EINVAL);
	a.role = 3;
	EXPECT_EQ(xioctl(fd, IPCCHAN_IOC_REGION_ATTACH, &a), -EINVAL);
	a.role = 0xffffffffU;
	EXPECT_EQ(xioctl(fd, IPCCHAN_IOC_REGION_ATTACH, &a), -EINVAL);
	/* Those did not attach: this one may. */
	EXPECT_EQ(ipcchan_region_attach(fd, IPCCHAN_ROLE_CONSUMER), 0);
}

/*
 * ATTACH once per fd (EBUSY after that, either role); REGION_INFO counts
 * the roles; with no peer ever attached there is no hang-up; when the last
 * consumer fd closes, the producer sees EPIPE and EPOLLHUP.
 */
TEST(attach_roles)
{
	char name[IPCCHAN_NAME_MAX];
	int prod = region_new(name, RW_REGION, 0600, 4096);
	int cons = region_get(name, RW_REGION);
	int cons2 = region_get(name, IPCCHAN_REGION_READ);
	struct ipcchan_region_info ri;

	ASSERT_EQ(ipcchan_region_attach(prod, IPCCHAN_ROLE_PRODUCER), 0);
	EXPECT_EQ(ipcchan_region_attach(prod, IPCCHAN_ROLE_PRODUCER), -EBUSY);
	EXPECT_EQ(ipcchan_region_attach(prod, IPCCHAN_ROLE_CONSUMER), -EBUSY);
	region_info(prod, &ri);
	EXPECT_EQ(ri.producers, 1);
	EXPECT_EQ(ri.consumers, 0);

	/* No consumer was ever attached: no hang-up yet. */
	EXPECT_EQ(wait_word(prod, 0, 0, IPCCHAN_XFER_NONBLOCK,
			    IPCCHAN_WAIT_FOREVER), -EAGAIN);
	EXPECT_EQ(poll_fd(prod, POLLIN, 0), 0);

	ASSERT_EQ(ipcchan_region_attach(cons, IPCCHAN_ROLE_CONSUMER), 0);
	ASSERT_EQ(ipcchan_region_attach(cons2, IPCCHAN_ROLE_CONSUMER), 0);
	EXPECT_EQ(ipcchan_region_attach(cons, IPCCHAN_ROLE_PRODUCER), -EBUSY);
	region_info(prod, &ri);
	EXPECT_EQ(ri.producers, 1);
	EXPECT_EQ(ri.consumers, 2);

	/* One consumer of two goes: the peer is still there. */
	close(cons);
	region_info(prod, &ri);
	EXPECT_EQ(ri.consumers, 1);
	EXPECT_EQ(wait_word(prod, 0, 0, IPCCHAN_XFER_NONBLOCK,
			    IPCCHAN_WAIT_FOREVER), -EAGAIN);
	EXPECT_EQ(poll_fd(prod, POLLIN, 0), 0);

	close(cons2);
	region_info(prod, &ri);
	EXPECT_EQ(ri.consumers, 0);
	EXPECT_EQ(wait_word(prod, 0, 0, IPCCHAN_XFER_NONBLOCK,
			    IPCCHAN_WAIT_FOREVER), -EPIPE);
	EXPECT_EQ(wait_word(prod, 0, 0, 0, WAIT_NS), -EPIPE);
	EXPECT_TRUE(poll_fd(prod, POLLIN, 0) & POLLHUP);
}

/*
 * before: the test is the producer; a child opened the region by name and
 *         attached as the consumer; the test sleeps in REGION_WAIT
 * after:  the consumer is killed: the wait ends with EPIPE (woken, not timed
 *         out), later waits fail at once, and poll reports POLLHUP
 */
TEST(consumer_dies_epipe)
{
	char name[IPCCHAN_NAME_MAX];
	int prod = region_new(name, RW_REGION, 0600, 4096);
	pid_t parent = getpid(), consumer, killer;
	struct sync attached;
	int64_t t0;

	sync_init(&attached);
	ASSERT_EQ(ipcchan_region_attach(prod, IPCCHAN_ROLE_PRODUCER), 0);
	consumer = xfork();
	if (consumer == 0) {
		int c = region_get(name, RW_REGION);

		ASSERT_EQ(ipcchan_region_attach(c, IPCCHAN_ROLE_CONSUMER), 0);
		sync_post(&attached);
		for (;;)
			pause();
	}
	sync_wait(&attached);
	killer = xfork();
	if (killer == 0) {
		wait_blocked(parent, IN_IOCTL);
		kill(consumer, SIGKILL);
		child_exit();
	}
	t0 = now_ns();
	EXPECT_EQ(wait_word(prod, 0, 0, 0, WAIT_NS), -EPIPE);
	woken_in_time(t0, WAIT_NS);
	EXPECT_CHILD_OK(killer);
	EXPECT_EQ(wait_exit(consumer, CHILD_MS), 128 + SIGKILL);
	t0 = now_ns();
	EXPECT_EQ(wait_word(prod, 0, 0, 0, WAIT_NS), -EPIPE);
	EXPECT_LT(now_ns() - t0, WAIT_NS / 2);
	EXPECT_TRUE(poll_fd(prod, POLLIN, 0) & POLLHUP);
}

/*
 * before: the test is the consumer, asleep in poll(); the producer is a
 *         child that attached and then exits
 * after:  poll wakes with POLLHUP, and REGION_WAIT fails with EPIPE
 */
TEST(producer_dies_pollhup)
{
	char name[IPCCHAN_NAME_MAX];
	int cons = region_new(name, RW_REGION, 0600, 4096);
	struct sync attached, go;
	pid_t producer;
	short rev;

	sync_init(&attached);
	sync_init(&go);
	ASSERT_EQ(ipcchan_region_attach(cons, IPCCHAN_ROLE_CONSUMER), 0);
	producer = xfork();
	if (producer == 0) {
		int p = region_get(name, RW_REGION);

		ASSERT_EQ(ipcchan_region_attach(p, IPCCHAN_ROLE_PRODUCER), 0);
		sync_post(&attached);
		sync_wait(&go);
		wait_blocked(getppid(), IN_POLL);
		child_exit();
	}
	sync_wait(&attached);
	EXPECT_EQ(poll_fd(cons, POLLIN, 0), 0);
	sync_post(&go);
	rev = poll_wake(cons, POLLIN);
	EXPECT_TRUE(rev & POLLHUP, "revents %#x", rev);
	ASSERT_CHILD_OK(producer);
	EXPECT_EQ(wait_word(cons, 0, 0, 0, WAIT_NS), -EPIPE);
}

/*
 * poll reports POLLIN once a wake happened (from another process) since
 * this fd's last REGION_WAIT; a REGION_WAIT acknowledges it.
 */
TEST(poll_pollin_after_wake)
{
	char name[IPCCHAN_NAME_MAX];
	int fd = region_new(name, RW_REGION, 0600, 4096);
	uint32_t *w = region_map(fd, 4096, PROT_READ | PROT_WRITE, 0);
	pid_t pid;

	EXPECT_EQ(poll_fd(fd, POLLIN | POLLOUT, 0), 0);
	pid = xfork();
	if (pid == 0) {
		wake_ok(region_get(name, RW_REGION));
		child_exit();
	}
	ASSERT_CHILD_OK(pid);
	EXPECT_EQ(poll_fd(fd, POLLIN, 0), POLLIN);
	EXPECT_EQ(poll_fd(fd, POLLIN, 0), POLLIN, "poll alone does not ack");
	/* A wait whose word differs returns at once, and acknowledges. */
	w[0] = 1;
	EXPECT_EQ(wait_word(fd, 0, 0, 0, WAIT_NS), 0);
	EXPECT_EQ(poll_fd(fd, POLLIN, 0), 0);

	/* Again, acknowledged by a nonblocking wait that finds nothing. */
	wake_ok(fd);
	EXPECT_EQ(poll_fd(fd, POLLIN, 0), POLLIN);
	EXPECT_EQ(wait_word(fd, 4, 0, IPCCHAN_XFER_NONBLOCK,
			    IPCCHAN_WAIT_FOREVER), -EAGAIN);
	EXPECT_EQ(poll_fd(fd, POLLIN, 0), 0);
	EXPECT_EQ(wakes_of(fd), 2);
}

/* Each fd has its own acknowledgement: one fd's wait leaves the other's. */
TEST(poll_ack_per_fd)
{
	char name[IPCCHAN_NAME_MAX];
	int a = region_new(name, RW_REGION, 0600, 4096);
	int b = region_get(name, RW_REGION);

	wake_ok(a);
	EXPECT_EQ(poll_fd(a, POLLIN, 0), POLLIN);
	EXPECT_EQ(poll_fd(b, POLLIN, 0), POLLIN);
	EXPECT_EQ(wait_word(a, 0, 0, IPCCHAN_XFER_NONBLOCK,
			    IPCCHAN_WAIT_FOREVER), -EAGAIN);
	EXPECT_EQ(poll_fd(a, POLLIN, 0), 0);
	EXPECT_EQ(poll_fd(b, POLLIN, 0), POLLIN);
}

/* A process asleep in poll() is woken by a wake from another process. */
TEST(poll_wakes_sleeper)
{
	char name[IPCCHAN_NAME_MAX];
	int fd = region_new(name, RW_REGION, 0600, 4096);
	pid_t pid;

	pid = xfork();
	if (pid == 0) {
		int mine = region_get(name, IPCCHAN_REGION_READ);
		short rev = poll_wake(mine, POLLIN);

		EXPECT_EQ(rev, POLLIN);
		child_exit();
	}
	wait_blocked(pid, IN_POLL);
	wake_ok(fd);
	ASSERT_CHILD_OK(pid);
}

TEST_MAIN("region_wait")
