// SPDX-License-Identifier: GPL-2.0
/*
 * Region handles in channel messages: a send with IPCCHAN_XFER_HANDLE
 * attaches a region, and a receive with it gets a new O_CLOEXEC fd of the
 * same region, with the sender's access mode. Handles never leak: a receive
 * without the flag (ioctl, read(2), batch) releases it, a message never
 * received releases it when freed, and a receive that cannot make the fd
 * (EMFILE) leaves the message queued.
 *
 * Whether a region was released is seen through the module's memory
 * budget: a region's size counts against max_total_bytes, so with the
 * budget lowered to 1.5 regions, a second region fits only once the first
 * one is really gone.
 */
#include "util.h"

#include <sys/mount.h>
#include <sys/resource.h>

#define BIG	(1024 * 1024)

static void send_handle_ok(int chan, const char *msg, int hfd)
{
	ASSERT_EQ(ipcchan_send_handle(chan, msg, strlen(msg), hfd, 0, WAIT_NS),
		  0);
}

/* Receives a message that must be @msg; returns its handle fd (or -1). */
static int recv_handle_ok(int chan, const char *msg)
{
	char buf[256];
	int hfd = -2;
	ssize_t n = ipcchan_recv_handle(chan, buf, sizeof(buf), NULL, &hfd, 0,
					WAIT_NS);

	ASSERT_EQ(n, (ssize_t)strlen(msg));
	ASSERT_MEMEQ(buf, msg, n);
	ASSERT_GE(hfd, -1);
	return hfd;
}

/*
 * before: channel C (receiver in a sibling); the test makes a region, maps
 *         it, writes to it and unlinks its name at once
 * after:  the sibling receives the region's handle as a new O_CLOEXEC fd of
 *         the same memory: it sees the data and its write comes back
 */
TEST(send_recv_same_memory)
{
	char cname[IPCCHAN_NAME_MAX], rname[IPCCHAN_NAME_MAX];
	struct sync got, replied;
	int s = chan_new(cname, IPCCHAN_OPEN_SEND, 0600, 0, 0, 0);
	int fd;
	char *p;
	pid_t pid;

	sync_init(&got);
	sync_init(&replied);
	pid = xfork();
	if (pid == 0) {
		struct ipcchan_region_info ri;
		int r = chan_get(cname, IPCCHAN_OPEN_RECV);
		int h = recv_handle_ok(r, "take this");
		char *q;

		ASSERT_GE(h, 0, "the message carried a handle");
		EXPECT_TRUE(fcntl(h, F_GETFD) & FD_CLOEXEC);
		region_info(h, &ri);
		EXPECT_EQ(ri.region_size, 2 * 4096);
		q = region_map(h, 8192, PROT_READ | PROT_WRITE, 0);
		EXPECT_STREQ(q, "written before the send");
		EXPECT_STREQ(q + 4096, "second page");
		strcpy(q + 100, "reply");
		sync_post(&got);
		sync_wait(&replied);
		child_exit();
	}
	fd = region_new(rname, RW_REGION, 0600, 8192);
	region_unlink(rname);
	p = region_map(fd, 8192, PROT_READ | PROT_WRITE, 0);
	strcpy(p, "written before the send");
	strcpy(p + 4096, "second page");
	send_handle_ok(s, "take this", fd);
	sync_wait(&got);
	EXPECT_STREQ(p + 100, "reply");
	EXPECT_EQ(region_mappings(fd), 2);
	sync_post(&replied);
	ASSERT_CHILD_OK(pid);
	EXPECT_EQ(region_mappings(fd), 1);
}

/* The objects of several tests: a channel, and a region of one page. */
FIXTURE(chan_region) {
	int c;
	int fd;
};

FIXTURE_SETUP(chan_region)
{
	self->c = chan_new(NULL, RS, 0600, 0, 0, 0);
	self->fd = region_new(NULL, RW_REGION, 0600, 4096);
}

FIXTURE_TEARDOWN(chan_region)
{
	close(self->fd);
	close(self->c);
}

/* The raw ABI: handle_fd and handle_kind of VER1 receives. */
TEST_F(chan_region, raw_handle_fields)
{
	struct ipcchan_send sd;
	struct ipcchan_recv rv;
	char buf[16];

	raw_send_init(&sd, "h", 1);
	sd.flags = IPCCHAN_XFER_HANDLE;
	sd.handle_fd = self->fd;
	ASSERT_EQ(xioctl(self->c, IPCCHAN_IOC_SEND, &sd), 0);
	raw_send_init(&sd, "plain", 5);
	ASSERT_EQ(xioctl(self->c, IPCCHAN_IOC_SEND, &sd), 0);

	raw_recv_init(&rv, buf, sizeof(buf));
	rv.flags = IPCCHAN_XFER_HANDLE;
	rv.handle_fd = 12345;
	ASSERT_EQ(xioctl(self->c, IPCCHAN_IOC_RECV, &rv), 1);
	EXPECT_GE(rv.handle_fd, 0);
	EXPECT_EQ(rv.handle_kind, IPCCHAN_KIND_REGION);
	EXPECT_NE(rv.handle_fd, self->fd);
	EXPECT_EQ(rv.info.seq, 1);

	raw_recv_init(&rv, buf, sizeof(buf));
	rv.flags = IPCCHAN_XFER_HANDLE;
	rv.handle_fd = 12345;
	rv.handle_kind = 7;
	ASSERT_EQ(xioctl(self->c, IPCCHAN_IOC_RECV, &rv), 5);
	EXPECT_EQ(rv.handle_fd, -1, "a message without a handle");
	EXPECT_EQ(rv.handle_kind, 0);
}

/* A message without a handle gives -1 through the library too. */
TEST(no_handle_gives_minus_one)
{
	int c = chan_new(NULL, RS, 0600, 0, 0, 0);
	int fds = count_fds();

	send_str(c, "nothing attached");
	EXPECT_EQ(recv_handle_ok(c, "nothing attached"), -1);
	EXPECT_EQ(count_fds(), fds);
}

/*
 * before: a region opened read-only is sent; so is a read-write fd of it
 * after:  the read-only handle cannot be mapped writable (EACCES) nor
 *         mprotect'ed writable, but reads; the read-write one writes
 */
TEST(readonly_handle_stays_readonly)
{
	char rname[IPCCHAN_NAME_MAX];
	int c = chan_new(NULL, RS, 0600, 0, 0, 0);
	int rw = region_new(rname, RW_REGION, 0600, 4096);
	int ro = region_get(rname, IPCCHAN_REGION_READ);
	char *w = region_map(rw, 4096, PROT_READ | PROT_WRITE, 0), *q;
	pid_t pid;

	strcpy(w, "visible");
	send_handle_ok(c, "ro", ro);
	send_handle_ok(c, "rw", rw);
	close(ro);
	pid = xfork();
	if (pid == 0) {
		int h = recv_handle_ok(c, "ro");

		ASSERT_GE(h, 0);
		EXPECT_EQ(try_mmap(h, 4096, PROT_READ | PROT_WRITE, MAP_SHARED,
				   0), -EACCES);
		EXPECT_EQ(try_mmap(h, 4096, PROT_WRITE, MAP_SHARED, 0),
			  -EACCES);
		q = region_map(h, 4096, PROT_READ, 0);
		EXPECT_STREQ(q, "visible");
		errno = 0;
		EXPECT_EQ(mprotect(q, 4096, PROT_READ | PROT_WRITE), -1);
		EXPECT_EQ(errno, EACCES);
		{
			void *a;
			size_t len;

			EXPECT_EQ(ipcchan_region_map(h, PROT_READ | PROT_WRITE,
						     &a, &len), -EACCES);
		}
		h = recv_handle_ok(c, "rw");
		ASSERT_GE(h, 0);
		q = region_map(h, 4096, PROT_READ | PROT_WRITE, 0);
		strcpy(q, "changed");
		child_exit();
	}
	ASSERT_CHILD_OK(pid);
	EXPECT_STREQ(w, "changed");
}

/*
 * The handle carries access, not identity: nobody, who may not open a 0600
 * region of root's by name, maps it through a handle root sent.
 */
TEST(handle_is_a_capability)
{
	char cname[IPCCHAN_NAME_MAX], rname[IPCCHAN_NAME_MAX];
	int s = chan_new(cname, IPCCHAN_OPEN_SEND, 0666, 0, 0, 0);
	int fd = region_new(rname, RW_REGION, 0600, 4096);
	char *p = region_map(fd, 4096, PROT_READ | PROT_WRITE, 0);
	struct sync ready;
	pid_t pid;

	sync_init(&ready);
	strcpy(p, "root's data");
	pid = xfork();
	if (pid == 0) {
		int r, h;
		char *q;

		drop_to_nobody();
		EXPECT_EQ(ipcchan_region_open(IPCCHAN_DEV_AUTO, rname,
					      IPCCHAN_REGION_READ, 0, 0),
			  -EACCES);
		r = chan_get(cname, IPCCHAN_OPEN_RECV);
		sync_post(&ready);
		h = recv_handle_ok(r, "for nobody");
		ASSERT_GE(h, 0);
		q = region_map(h, 4096, PROT_READ | PROT_WRITE, 0);
		EXPECT_STREQ(q, "root's data");
		strcpy(q, "nobody's reply");
		child_exit();
	}
	sync_wait(&ready);
	send_handle_ok(s, "for nobody", fd);
	ASSERT_CHILD_OK(pid);
	EXPECT_STREQ(p, "nobody's reply");
}

/*
 * before: a region's fd is sent, then closed, and its name unlinked
 * after:  the queued message alone keeps the region, data and all; the
 *         receiver gets it after a memory churn
 */
TEST(message_keeps_region_alive)
{
	char rname[IPCCHAN_NAME_MAX];
	int c = chan_new(NULL, RS, 0600, 0, 0, 0);
	int fd = region_new(rname, RW_REGION, 0600, 16 * 4096);
	char *p = region_map(fd, 16 * 4096, PROT_READ | PROT_WRITE, 0);
	char *big;
	int h;

	fill_pattern(p, 16 * 4096, 7);
	munmap(p, 16 * 4096);
	send_handle_ok(c, "only the message holds it", fd);
	close(fd);
	region_unlink(rname);
	big = mmap(NULL, 32 << 20, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(big != MAP_FAILED);
	memset(big, 0x5a, 32 << 20);
	munmap(big, 32 << 20);

	h = recv_handle_ok(c, "only the message holds it");
	ASSERT_GE(h, 0);
	p = region_map(h, 16 * 4096, PROT_READ, 0);
	big = malloc(16 * 4096);
	ASSERT_TRUE(big != NULL);
	fill_pattern(big, 16 * 4096, 7);
	EXPECT_MEMEQ(p, big, 16 * 4096);
}

/* ----- release, seen through the budget ----- */

/* Lowers max_total_bytes so that one region of BIG fits and two do not. */
static void budget_for_one(void)
{
	if (!param_writable("max_total_bytes"))
		SKIP("no writable parameter max_total_bytes");
	param_set_u64("max_total_bytes", BIG + BIG / 2);
}

/*
 * Does a second region of BIG fit now? A release may be finished a little
 * after the call that causes it, so with @wait, try until WAIT_MS.
 */
static bool big_region_fits(bool wait)
{
	int64_t deadline = now_ns() + WAIT_NS;
	char name[IPCCHAN_NAME_MAX];
	int fd;

	new_name(name);
	for (;;) {
		fd = ipcchan_region_open(IPCCHAN_DEV_AUTO, name, RW_REGION |
					 IPCCHAN_OPEN_CREATE |
					 IPCCHAN_OPEN_EXCL, 0600, BIG);
		if (fd >= 0) {
			close(fd);
			region_unlink(name);
			return true;
		}
		ASSERT_EQ(fd, -ENOBUFS, "creating a region of %d bytes", BIG);
		if (!wait || now_ns() > deadline)
			return false;
		msleep(20);
	}
}

/*
 * The first region of BIG under the lowered budget, created as @name, whose
 * name is unlinked at once: only its fd holds it.
 */
static int big_region(char *name)
{
	char tmp[IPCCHAN_NAME_MAX];
	int fd;

	if (!name)
		name = tmp;
	new_name(name);
	fd = ipcchan_region_open(IPCCHAN_DEV_AUTO, name, RW_REGION |
				 IPCCHAN_OPEN_CREATE | IPCCHAN_OPEN_EXCL, 0600,
				 BIG);
	ASSERT_GE(fd, 0, "a region of %d bytes must fit a budget of %d: is "
		  "something else holding module memory?", BIG, BIG + BIG / 2);
	ASSERT_FALSE(big_region_fits(false), "a second region of %d bytes "
		     "fit the budget: regions are not charged", BIG);
	region_unlink(name);
	return fd;
}

/*
 * before: region R (the whole budget, its name unlinked) is sent and its fd
 *         closed: only the message holds it
 * after:  a receive without IPCCHAN_XFER_HANDLE delivers the data, makes no
 *         fd, and releases R: a second region fits, and R's name is free
 */
TEST(plain_recv_releases)
{
	char rname[IPCCHAN_NAME_MAX], buf[64];
	int c = chan_new(NULL, RS, 0600, 0, 0, 0);
	int fd, fds;

	budget_for_one();
	fd = big_region(rname);
	send_handle_ok(c, "data", fd);
	close(fd);
	EXPECT_FALSE(big_region_fits(false), "the message holds the region");

	fds = count_fds();
	ASSERT_EQ(recv_ok(c, buf, sizeof(buf), NULL), 4);
	ASSERT_MEMEQ(buf, "data", 4);
	EXPECT_EQ(count_fds(), fds, "a receive without the flag made an fd");
	EXPECT_TRUE(big_region_fits(true), "the handle was not released");
	fd = ipcchan_region_open(IPCCHAN_DEV_AUTO, rname, RW_REGION |
				 IPCCHAN_OPEN_CREATE | IPCCHAN_OPEN_EXCL, 0600,
				 4096);
	EXPECT_GE(fd, 0);
	ASSERT_EQ(param_restore_all(), 0);
}

/* Same with read(2) and with a batch receive, which take no handles. */
TEST(read_and_batch_release)
{
	int c = chan_new(NULL, RS, 0600, 0, 0, 0);
	struct ipcchan_mmsg mm[4];
	char buf[4][64];
	int fd, fds, i;

	budget_for_one();
	fds = count_fds();

	fd = big_region(NULL);
	send_handle_ok(c, "by read", fd);
	close(fd);
	EXPECT_FALSE(big_region_fits(false));
	ASSERT_EQ(read(c, buf[0], sizeof(buf[0])), 7);
	ASSERT_MEMEQ(buf[0], "by read", 7);
	EXPECT_TRUE(big_region_fits(true), "read(2) kept the handle");

	fd = big_region(NULL);
	send_handle_ok(c, "by batch", fd);
	send_handle_ok(c, "by batch", fd);
	close(fd);
	EXPECT_FALSE(big_region_fits(false));
	memset(mm, 0, sizeof(mm));
	for (i = 0; i < 4; i++) {
		mm[i].buf = u64_ptr(buf[i]);
		mm[i].len = sizeof(buf[i]);
	}
	ASSERT_EQ(ipcchan_recv_batch(c, mm, 4, IPCCHAN_XFER_NONBLOCK,
				     IPCCHAN_WAIT_FOREVER), 2);
	EXPECT_EQ(mm[0].info.len, 8);
	EXPECT_EQ(mm[1].info.len, 8);
	EXPECT_TRUE(big_region_fits(true), "a batch receive kept the handles");
	EXPECT_EQ(count_fds(), fds);
	ASSERT_EQ(param_restore_all(), 0);
}

/*
 * before: region R (name unlinked) sent in 3 messages, and a message
 *         without a handle; R's fd closed; nothing is received
 * after:  closing the channel's fds and unlinking it frees the messages and
 *         releases R: a second region fits, R's name can be created with
 *         EXCL, and this process has no more fds than before
 */
TEST(unreceived_released_with_channel)
{
	char cname[IPCCHAN_NAME_MAX], rname[IPCCHAN_NAME_MAX];
	int fds, c, fd, i;

	budget_for_one();
	fds = count_fds();
	c = chan_new(cname, RS, 0600, 0, 0, 0);
	fd = big_region(rname);
	for (i = 0; i < 3; i++)
		send_handle_ok(c, "never received", fd);
	send_str(c, "no handle");
	close(fd);
	EXPECT_EQ(chan_msgs(c), 4);
	EXPECT_FALSE(big_region_fits(false), "the messages hold the region");

	chan_unlink(cname);
	EXPECT_FALSE(big_region_fits(false), "the open fd keeps the channel");
	close(c);
	EXPECT_TRUE(big_region_fits(true), "the channel is gone but its "
		    "messages' handle was not released");
	fd = ipcchan_region_open(IPCCHAN_DEV_AUTO, rname, RW_REGION |
				 IPCCHAN_OPEN_CREATE | IPCCHAN_OPEN_EXCL, 0600,
				 4096);
	ASSERT_GE(fd, 0);
	close(fd);
	EXPECT_EQ(count_fds(), fds, "fds leaked");
	ASSERT_EQ(param_restore_all(), 0);
}

/*
 * Same when the channel goes in the other order (last fd closed first,
 * then the name), with the message sent by a process that has exited.
 */
TEST(unreceived_released_close_then_unlink)
{
	char cname[IPCCHAN_NAME_MAX];
	int c, fd;
	pid_t pid;

	budget_for_one();
	c = chan_new(cname, RS, 0600, 0, 0, 0);
	fd = big_region(NULL);
	pid = xfork();
	if (pid == 0) {
		/* A sender that dies after sending. */
		send_handle_ok(c, "from the dead", fd);
		child_exit();
	}
	ASSERT_CHILD_OK(pid);
	close(fd);
	close(c);
	EXPECT_FALSE(big_region_fits(false), "the channel is still named");
	chan_unlink(cname);
	EXPECT_TRUE(big_region_fits(true));
	ASSERT_EQ(param_restore_all(), 0);
}

/*
 * before: a message with a handle is queued; the receiver (a child) lowers
 *         RLIMIT_NOFILE and fills every fd slot below it
 * after:  receiving with the handle flag fails with EMFILE and the message
 *         stays queued, whole; once the limit is raised, it is received,
 *         with its handle, as sequence number 1
 */
TEST(emfile_keeps_message)
{
	char cname[IPCCHAN_NAME_MAX];
	int c = chan_new(cname, RS, 0600, 0, 0, 0);
	int fd = region_new(NULL, RW_REGION, 0600, 4096);
	char *p = region_map(fd, 4096, PROT_READ | PROT_WRITE, 0);
	pid_t pid;

	strcpy(p, "behind the limit");
	send_handle_ok(c, "handle inside", fd);
	close(fd);
	pid = xfork();
	if (pid == 0) {
		struct rlimit rl;
		struct ipcchan_msg_info mi;
		char buf[64];
		int h = -2, filler, n = 0;
		ssize_t ret;
		char *q;

		ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &rl), 0);
		rl.rlim_cur = 32;
		ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &rl), 0);
		ASSERT_LT(c, 32);
		while ((filler = open("/dev/null", O_RDONLY)) >= 0)
			n++;
		ASSERT_EQ(errno, EMFILE);
		TH_LOG("%d fds used up the slots", n);

		ret = ipcchan_recv_handle(c, buf, sizeof(buf), &mi, &h, 0,
					  WAIT_NS);
		EXPECT_EQ(ret, -EMFILE);
		EXPECT_EQ(h, -1);
		EXPECT_EQ(chan_msgs(c), 1, "the message must stay queued");
		/* And again: still there. */
		EXPECT_EQ(ipcchan_recv_handle(c, buf, sizeof(buf), &mi, &h,
					      IPCCHAN_XFER_NONBLOCK,
					      IPCCHAN_WAIT_FOREVER), -EMFILE);

		rl.rlim_cur = 64;
		ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &rl), 0);
		ret = ipcchan_recv_handle(c, buf, sizeof(buf), &mi, &h, 0,
					  WAIT_NS);
		ASSERT_EQ(ret, 13);
		EXPECT_MEMEQ(buf, "handle inside", 13);
		EXPECT_EQ(mi.seq, 1);
		ASSERT_GE(h, 32);
		q = region_map(h, 4096, PROT_READ, 0);
		EXPECT_STREQ(q, "behind the limit");
		EXPECT_EQ(chan_msgs(c), 0);
		child_exit();
	}
	ASSERT_CHILD_OK(pid);
	EXPECT_EQ(chan_msgs(c), 0);
}

/*
 * A receive buffer too short for the message: EMSGSIZE, no fd is made and
 * the message (with its handle) stays queued for a proper receive.
 */
TEST_F(chan_region, emsgsize_keeps_handle)
{
	struct ipcchan_msg_info mi;
	char buf[64];
	int fds, h = -2;

	send_handle_ok(self->c, "a longer message", self->fd);
	fds = count_fds();
	EXPECT_EQ(ipcchan_recv_handle(self->c, buf, 4, &mi, &h, 0, WAIT_NS),
		  -EMSGSIZE);
	EXPECT_EQ(mi.len, 16);
	EXPECT_EQ(count_fds(), fds);
	EXPECT_EQ(chan_msgs(self->c), 1);
	h = recv_handle_ok(self->c, "a longer message");
	EXPECT_GE(h, 0);
	EXPECT_EQ(count_fds(), fds + 1);
}

/*
 * Sending a handle that is not a region fd is EINVAL (a channel fd, the
 * control device, a pipe, /dev/null), a fd that is not open is EBADF; and
 * nothing is queued.
 */
TEST(send_bad_handles)
{
	int c = chan_new(NULL, RS, 0600, 0, 0, 0);
	int dev = dev_open();
	int pfd[2], nul, closed;

	ASSERT_EQ(pipe(pfd), 0);
	nul = open("/dev/null", O_RDWR);
	ASSERT_GE(nul, 0);
	closed = dup(nul);
	close(closed);

	EXPECT_EQ(ipcchan_send_handle(c, "x", 1, c, 0, WAIT_NS), -EINVAL,
		  "a channel fd");
	EXPECT_EQ(ipcchan_send_handle(c, "x", 1, dev, 0, WAIT_NS), -EINVAL,
		  "/dev/ipcchan");
	EXPECT_EQ(ipcchan_send_handle(c, "x", 1, pfd[0], 0, WAIT_NS), -EINVAL,
		  "a pipe");
	EXPECT_EQ(ipcchan_send_handle(c, "x", 1, nul, 0, WAIT_NS), -EINVAL,
		  "/dev/null");
	EXPECT_EQ(ipcchan_send_handle(c, "x", 1, closed, 0, WAIT_NS), -EBADF,
		  "a closed fd");
	EXPECT_EQ(ipcchan_send_handle(c, "x", 1, 100000, 0, WAIT_NS), -EBADF,
		  "fd 100000");
	EXPECT_EQ(ipcchan_send_handle(c, "x", 1, -1, 0, WAIT_NS), -EBADF,
		  "fd -1");
	EXPECT_EQ(chan_msgs(c), 0);
}

/* The ioctl numbers of the VER0 structs, as an older binary has them. */
#define IOC_SEND_VER0	_IOC(_IOC_READ | _IOC_WRITE, IPCCHAN_IOC_MAGIC, 0x10, \
			     IPCCHAN_SEND_SIZE_VER0)
#define IOC_RECV_VER0	_IOC(_IOC_READ | _IOC_WRITE, IPCCHAN_IOC_MAGIC, 0x11, \
			     IPCCHAN_RECV_SIZE_VER0)

/*
 * IPCCHAN_XFER_HANDLE needs the VER1 structs: with VER0 sends and receives
 * it is EINVAL (and VER0 without it still works); nonzero __reserved2 too.
 */
TEST_F(chan_region, handle_needs_ver1)
{
	struct ipcchan_send sd;
	struct ipcchan_recv rv;
	char buf[16];

	raw_send_init(&sd, "v0", 2);
	sd.size = IPCCHAN_SEND_SIZE_VER0;
	sd.flags = IPCCHAN_XFER_HANDLE;
	EXPECT_EQ(xioctl(self->c, IOC_SEND_VER0, &sd), -EINVAL);
	EXPECT_EQ(chan_msgs(self->c), 0);
	sd.flags = 0;
	ASSERT_EQ(xioctl(self->c, IOC_SEND_VER0, &sd), 0,
		  "VER0 without the flag");

	raw_send_init(&sd, "v1", 2);
	sd.flags = IPCCHAN_XFER_HANDLE;
	sd.handle_fd = self->fd;
	sd.__reserved2 = 1;
	EXPECT_EQ(xioctl(self->c, IPCCHAN_IOC_SEND, &sd), -EINVAL,
		  "__reserved2");
	sd.__reserved2 = 0;
	ASSERT_EQ(xioctl(self->c, IPCCHAN_IOC_SEND, &sd), 0);
	EXPECT_EQ(chan_msgs(self->c), 2);

	raw_recv_init(&rv, buf, sizeof(buf));
	rv.size = IPCCHAN_RECV_SIZE_VER0;
	rv.flags = IPCCHAN_XFER_HANDLE;
	EXPECT_EQ(xioctl(self->c, IOC_RECV_VER0, &rv), -EINVAL);
	EXPECT_EQ(chan_msgs(self->c), 2);
	rv.flags = 0;
	ASSERT_EQ(xioctl(self->c, IOC_RECV_VER0, &rv), 2,
		  "VER0 without the flag");

	raw_recv_init(&rv, buf, sizeof(buf));
	rv.flags = IPCCHAN_XFER_HANDLE;
	ASSERT_EQ(xioctl(self->c, IPCCHAN_IOC_RECV, &rv), 2);
	EXPECT_GE(rv.handle_fd, 0);
	EXPECT_EQ(rv.handle_kind, IPCCHAN_KIND_REGION);
}

/* Batches take no handles: IPCCHAN_XFER_HANDLE on either is EINVAL. */
TEST(batch_handle_flag_einval)
{
	int c = chan_new(NULL, RS, 0600, 0, 0, 0);
	struct ipcchan_mmsg mm[2];
	struct ipcchan_batch b;
	char buf[2][8] = { "a", "b" };

	memset(mm, 0, sizeof(mm));
	mm[0].buf = u64_ptr(buf[0]);
	mm[0].len = 1;
	mm[1].buf = u64_ptr(buf[1]);
	mm[1].len = 1;
	raw_batch_init(&b, mm, 2);
	b.flags = IPCCHAN_XFER_HANDLE;
	EXPECT_EQ(xioctl(c, IPCCHAN_IOC_SEND_BATCH, &b), -EINVAL);
	EXPECT_EQ(chan_msgs(c), 0);
	b.flags = 0;
	ASSERT_EQ(xioctl(c, IPCCHAN_IOC_SEND_BATCH, &b), 2);

	mm[0].len = mm[1].len = sizeof(buf[0]);
	raw_batch_init(&b, mm, 2);
	b.flags = IPCCHAN_XFER_HANDLE;
	EXPECT_EQ(xioctl(c, IPCCHAN_IOC_RECV_BATCH, &b), -EINVAL);
	EXPECT_EQ(chan_msgs(c), 2);
	EXPECT_EQ(ipcchan_send_batch(c, mm, 1, IPCCHAN_XFER_HANDLE,
				     IPCCHAN_WAIT_FOREVER), -EINVAL);
	EXPECT_EQ(ipcchan_recv_batch(c, mm, 2, IPCCHAN_XFER_HANDLE,
				     IPCCHAN_WAIT_FOREVER), -EINVAL);
	EXPECT_EQ(chan_msgs(c), 2);
}

#define TRACEFS		"/sys/kernel/tracing"
#define SFR_EVENT	"ipcchan_sfr"

/* Writes @val to the tracefs file @file, appending or not: 0 or -errno. */
static int trace_write(const char *file, const char *val, bool append)
{
	char path[128];
	int fd, ret = 0;

	snprintf(path, sizeof(path), TRACEFS "/%s", file);
	fd = open(path, O_WRONLY | O_CLOEXEC | (append ? O_APPEND : O_TRUNC));
	if (fd < 0)
		return -errno;
	if (write(fd, val, strlen(val)) != (ssize_t)strlen(val))
		ret = -errno;
	close(fd);
	return ret;
}

/* How many hits of the kprobe SFR_EVENT the trace has from @pid. */
static int trace_hits(pid_t pid)
{
	char line[512], tag[32];
	int hits = 0;
	FILE *f = fopen(TRACEFS "/trace", "r");

	ASSERT_TRUE(f != NULL);
	snprintf(tag, sizeof(tag), "-%d ", (int)pid);
	while (fgets(line, sizeof(line), f))
		if (strstr(line, tag) && strstr(line, SFR_EVENT ":"))
			hits++;
	fclose(f);
	return hits;
}

/*
 * before: a kprobe on security_file_receive(), the hook through which an
 *         LSM mediates an fd passed with SCM_RIGHTS; a message with a
 *         region handle
 * after:  the receive that makes the handle's fd goes through the hook,
 *         once; a receive without a handle does not
 */
TEST_F(chan_region, handle_receive_asks_lsm)
{
	pid_t pid;

	if (access(TRACEFS "/kprobe_events", W_OK))
		mount("tracefs", TRACEFS, "tracefs", 0, NULL);
	if (access(TRACEFS "/kprobe_events", W_OK))
		SKIP("no kprobe_events in " TRACEFS);
	trace_write("kprobe_events", "-:" SFR_EVENT "\n", true);
	if (trace_write("kprobe_events",
			"p:" SFR_EVENT " security_file_receive\n", true))
		SKIP("security_file_receive cannot be probed");
	ASSERT_EQ(trace_write("events/kprobes/" SFR_EVENT "/enable", "1",
			      false), 0);
	ASSERT_EQ(trace_write("trace", "", false), 0);

	send_handle_ok(self->c, "with a handle", self->fd);
	send_str(self->c, "without");
	pid = xfork();
	if (pid == 0) {
		int h = recv_handle_ok(self->c, "with a handle");

		ASSERT_GE(h, 0);
		close(h);
		ASSERT_EQ(recv_handle_ok(self->c, "without"), -1);
		child_exit();
	}
	ASSERT_CHILD_OK(pid);
	EXPECT_EQ(trace_hits(pid), 1,
		  "the handle's fd was installed without the LSM hook");
	trace_write("events/kprobes/" SFR_EVENT "/enable", "0", false);
	trace_write("kprobe_events", "-:" SFR_EVENT "\n", true);
}

/*
 * The offset in bytes of member @member of struct @name, from the kernel's
 * BTF (/sys/kernel/btf/vmlinux), or -1 if it cannot be found.
 */
static long btf_member_offset(const char *name, const char *member)
{
	struct {
		uint16_t magic;
		uint8_t version, flags;
		uint32_t hdr_len, type_off, type_len, str_off, str_len;
	} h;
	uint32_t *t, *end, *m;
	const char *strs;
	long found = -1;
	char *btf;
	size_t len = 0, cap = 1 << 20;
	ssize_t n;
	int fd = open("/sys/kernel/btf/vmlinux", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	btf = malloc(cap);
	ASSERT_TRUE(btf != NULL);
	while ((n = read(fd, btf + len, cap - len)) > 0) {
		len += n;
		if (len == cap) {
			cap *= 2;
			btf = realloc(btf, cap);
			ASSERT_TRUE(btf != NULL);
		}
	}
	close(fd);
	memcpy(&h, btf, sizeof(h));
	if (len < sizeof(h) || h.magic != 0xeB9F ||
	    h.hdr_len + h.str_off + h.str_len > len) {
		free(btf);
		return -1;
	}
	strs = btf + h.hdr_len + h.str_off;
	t = (uint32_t *)(btf + h.hdr_len + h.type_off);
	end = (uint32_t *)((char *)t + h.type_len);
	while (t < end && found < 0) {
		/* struct btf_type: name_off, info (vlen, kind, kind_flag), size */
		uint32_t vlen = t[1] & 0xffff, kind = (t[1] >> 24) & 0x1f;
		bool kflag = t[1] >> 31;
		uint32_t i;

		m = t + 3;
		switch (kind) {
		case 1: case 14: case 17:	/* INT, VAR, DECL_TAG */
			t = m + 1;
			break;
		case 3:				/* ARRAY */
			t = m + 3;
			break;
		case 4: case 5:			/* STRUCT, UNION */
			if (kind == 4 && !strcmp(strs + t[0], name))
				for (i = 0; i < vlen; i++)
					if (!strcmp(strs + m[3 * i], member))
						found = (kflag ?
							 m[3 * i + 2] & 0xffffff :
							 m[3 * i + 2]) / 8;
			t = m + 3 * vlen;
			break;
		case 6: case 13:		/* ENUM, FUNC_PROTO */
			t = m + 2 * vlen;
			break;
		case 15: case 19:		/* DATASEC, ENUM64 */
			t = m + 3 * vlen;
			break;
		default:			/* no data after the type */
			t = m;
		}
	}
	free(btf);
	return found;
}

#define CRED_EVENT	"ipcchan_hcred"

/*
 * before: a kprobe on security_file_receive() that records the euid of
 *         the credentials of the file offered (file->f_cred->euid, at
 *         offsets from the kernel's BTF); a channel and a region of root's,
 *         and a child that drops to nobody and sends the region as a handle
 * after:  the file that root's receive offers the LSMs carries nobody's
 *         credentials, the sender's, as a fd passed with SCM_RIGHTS does;
 *         not root's own (so an LSM would weigh root against root)
 */
TEST_F(chan_region, handle_file_has_sender_creds)
{
	long fcred = btf_member_offset("file", "f_cred");
	long euid = btf_member_offset("cred", "euid");
	char probe[160], line[512], tag[32];
	int h, hits = 0, sender = 0;
	pid_t pid;
	FILE *f;

	if (fcred < 0 || euid < 0)
		SKIP("no BTF for struct file and struct cred");
	if (access(TRACEFS "/kprobe_events", W_OK))
		mount("tracefs", TRACEFS, "tracefs", 0, NULL);
	if (access(TRACEFS "/kprobe_events", W_OK))
		SKIP("no kprobe_events in " TRACEFS);
	snprintf(probe, sizeof(probe),
		 "p:" CRED_EVENT " security_file_receive euid=+%ld(+%ld(%%di)):u32\n",
		 euid, fcred);
	trace_write("kprobe_events", "-:" CRED_EVENT "\n", true);
	if (trace_write("kprobe_events", probe, true))
		SKIP("security_file_receive cannot be probed");
	ASSERT_EQ(trace_write("events/kprobes/" CRED_EVENT "/enable", "1",
			      false), 0);
	ASSERT_EQ(trace_write("trace", "", false), 0);

	pid = xfork();
	if (pid == 0) {
		drop_to_nobody();
		send_handle_ok(self->c, "from nobody", self->fd);
		child_exit();
	}
	ASSERT_CHILD_OK(pid);
	h = recv_handle_ok(self->c, "from nobody");
	ASSERT_GE(h, 0);
	close(h);
	trace_write("events/kprobes/" CRED_EVENT "/enable", "0", false);

	f = fopen(TRACEFS "/trace", "r");
	ASSERT_TRUE(f != NULL);
	snprintf(tag, sizeof(tag), "-%d ", (int)getpid());
	while (fgets(line, sizeof(line), f)) {
		char *e = strstr(line, CRED_EVENT ":");

		if (!strstr(line, tag) || !e || !(e = strstr(e, "euid=")))
			continue;
		hits++;
		if (strtol(e + 5, NULL, 0) == NOBODY)
			sender++;
		else
			printf("# offered with euid %ld\n",
			       strtol(e + 5, NULL, 0));
	}
	fclose(f);
	trace_write("kprobe_events", "-:" CRED_EVENT "\n", true);
	ASSERT_EQ(hits, 1);
	EXPECT_EQ(sender, 1,
		  "the handle's file carries the receiver's credentials, not the sender's");
}

TEST_MAIN("region_handle")
