// SPDX-License-Identifier: GPL-2.0
/*
 * Unnamed pipes and connected pairs (IPCCHAN_IOC_CHAN_PIPE, _CHAN_PAIR):
 * directions, hang-up each way, fork and SCM_RIGHTS, limits and budgets
 * charged to the creator, flags and argument sizes, and that nobody but the
 * holders of the fds can reach an unnamed channel (no open, no netlink
 * request of another uid).
 */
#include "util.h"

#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>

/* IPCCHAN_IOC_CHAN_PIPE or _CHAN_PAIR on @dev; 0 or -errno. */
static int raw_unnamed(int dev, unsigned long cmd, struct ipcchan_chan_pair *p)
{
	return ioctl(dev, cmd, p) ? -errno : 0;
}

static void require_pair(void)
{
	struct ipcchan_version v;

	get_version(&v);
	if (!(v.features & IPCCHAN_FEAT_PAIR))
		SKIP("no IPCCHAN_FEAT_PAIR");
}

/* A pipe or pair with @flags and the limits given; fds in @fds. */
static struct ipcchan_chan_pair make(unsigned long cmd, unsigned int flags,
				     __u32 msg_size, __u32 msgs)
{
	struct ipcchan_chan_pair p = {
		.size = sizeof(p),
		.flags = flags,
		.max_msg_size = msg_size,
		.max_msgs = msgs,
	};
	int dev = dev_open();

	require_pair();
	ASSERT_EQ(raw_unnamed(dev, cmd, &p), 0);
	ASSERT_GE(p.fds[0], 0);
	ASSERT_GE(p.fds[1], 0);
	ASSERT_NE(p.fds[0], p.fds[1]);
	close(dev);
	return p;
}

static bool listed(const struct ipcchan_objlist *l, uint64_t id,
		   struct ipcchan_object *out)
{
	size_t i;

	for (i = 0; i < ipcchan_objlist_count(l); i++) {
		const struct ipcchan_object *o = ipcchan_objlist_get(l, i);

		if (o->id == id) {
			if (out)
				*out = *o;
			return true;
		}
	}
	return false;
}

/* Is channel @id in a netlink dump of the caller? */
static bool dump_has(uint64_t id, struct ipcchan_object *out)
{
	struct ipcchan_objlist *l;
	bool ret;

	ASSERT_EQ(ipcchan_nl_dump(IPCCHAN_KIND_CHANNEL, &l), 0);
	ret = listed(l, id, out);
	ipcchan_objlist_free(l);
	return ret;
}

TEST(feature)
{
	struct ipcchan_version v;

	get_version(&v);
	ASSERT_TRUE(v.features & IPCCHAN_FEAT_PAIR);
}

/* A pipe goes one way: [0] receives, [1] sends; EBADF the other way. */
TEST(pipe_directions)
{
	struct ipcchan_chan_pair p = make(IPCCHAN_IOC_CHAN_PIPE, 0, 64, 4);
	struct ipcchan_chan_info ci;
	char buf[64];

	send_str(p.fds[1], "one");
	ASSERT_EQ(write(p.fds[1], "two", 3), 3);
	ASSERT_EQ(ipcchan_send(p.fds[0], "x", 1, 0, IPCCHAN_WAIT_FOREVER),
		  -EBADF);
	ASSERT_EQ(write(p.fds[0], "x", 1), -1);
	ASSERT_EQ(errno, EBADF);
	ASSERT_EQ(ipcchan_recv(p.fds[1], buf, sizeof(buf), NULL, 0,
			       IPCCHAN_WAIT_FOREVER), -EBADF);
	ASSERT_EQ(read(p.fds[1], buf, sizeof(buf)), -1);
	ASSERT_EQ(errno, EBADF);
	recv_str(p.fds[0], "one");
	ASSERT_EQ(read(p.fds[0], buf, sizeof(buf)), 3);
	ASSERT_MEMEQ(buf, "two", 3);

	/* One channel: both fds report it. */
	ASSERT_EQ(p.ids[0], p.ids[1]);
	chan_info(p.fds[0], &ci);
	ASSERT_EQ(ci.id, p.ids[0]);
	ASSERT_EQ(ci.peer_id, 0);
	ASSERT_EQ(ci.chan_flags, IPCCHAN_CHAN_UNNAMED);
	ASSERT_EQ(ci.name[0], 0);
	ASSERT_EQ(ci.mode, 0600);
	ASSERT_EQ(ci.uid, getuid());
	ASSERT_EQ(ci.senders, 1);
	ASSERT_EQ(ci.receivers, 1);
	ASSERT_EQ(ci.max_msg_size, 64);
	ASSERT_EQ(ci.max_msgs, 4);
	chan_info(p.fds[1], &ci);
	ASSERT_EQ(ci.id, p.ids[1]);
	close(p.fds[0]);
	close(p.fds[1]);
}

/* Each end of a pair sends to the other and receives from it. */
TEST(pair_directions)
{
	struct ipcchan_chan_pair p = make(IPCCHAN_IOC_CHAN_PAIR, 0, 0, 0);
	struct ipcchan_chan_info ci[2];
	struct ipcchan_msg_info mi;
	char buf[256];
	int i;

	ASSERT_NE(p.ids[0], p.ids[1]);
	for (i = 0; i < 2; i++) {
		chan_info(p.fds[i], &ci[i]);
		ASSERT_EQ(ci[i].id, p.ids[i]);
		ASSERT_EQ(ci[i].peer_id, p.ids[1 - i]);
		ASSERT_EQ(ci[i].chan_flags,
			  IPCCHAN_CHAN_UNNAMED | IPCCHAN_CHAN_PAIR);
		ASSERT_EQ(ci[i].senders, 1);
		ASSERT_EQ(ci[i].receivers, 1);
		ASSERT_EQ(ci[i].mode, 0600);
		ASSERT_EQ(ci[i].name[0], 0);
	}
	send_str(p.fds[0], "to one");
	send_str(p.fds[0], "to one again");
	ASSERT_EQ(write(p.fds[1], "to zero", 7), 7);
	/* An end counts what is queued for it, not what it sent. */
	ASSERT_EQ(chan_msgs(p.fds[0]), 1);
	ASSERT_EQ(chan_msgs(p.fds[1]), 2);
	ASSERT_EQ(recv_ok(p.fds[1], buf, sizeof(buf), &mi), 6);
	ASSERT_MEMEQ(buf, "to one", 6);
	ASSERT_EQ(mi.pid, getpid());
	ASSERT_EQ(mi.uid, getuid());
	recv_str(p.fds[1], "to one again");
	ASSERT_EQ(read(p.fds[0], buf, sizeof(buf)), 7);
	ASSERT_MEMEQ(buf, "to zero", 7);
	ASSERT_EQ(ipcchan_recv(p.fds[0], buf, sizeof(buf), NULL,
			       IPCCHAN_XFER_NONBLOCK, IPCCHAN_WAIT_FOREVER),
		  -EAGAIN);
	close(p.fds[0]);
	close(p.fds[1]);
}

/* Batches and packed batches go the same way as single messages. */
/*
 * IPCCHAN_OPEN_RENDEZVOUS makes both directions of a pair rendezvous
 * channels: a send waits for the other end to take it, and one that times
 * out is withdrawn, never received.
 */
TEST(rendezvous_pair)
{
	struct ipcchan_chan_pair p, q;
	struct ipcchan_version v;
	struct ipcchan_chan_info ci;
	struct pollfd pfd;
	char buf[64];
	pid_t pid;
	int i;

	get_version(&v);
	if (!(v.features & IPCCHAN_FEAT_SYNC))
		SKIP("no IPCCHAN_FEAT_SYNC");
	p = make(IPCCHAN_IOC_CHAN_PAIR, IPCCHAN_OPEN_RENDEZVOUS, 0, 0);
	q = make(IPCCHAN_IOC_CHAN_PIPE, IPCCHAN_OPEN_RENDEZVOUS, 0, 0);
	for (i = 0; i < 2; i++) {
		chan_info(p.fds[i], &ci);
		ASSERT_EQ(ci.chan_flags, IPCCHAN_CHAN_UNNAMED |
			  IPCCHAN_CHAN_PAIR | IPCCHAN_CHAN_RENDEZVOUS);
	}
	chan_info(q.fds[0], &ci);
	ASSERT_EQ(ci.chan_flags,
		  IPCCHAN_CHAN_UNNAMED | IPCCHAN_CHAN_RENDEZVOUS);
	ASSERT_EQ(ipcchan_send(q.fds[1], "p", 1, IPCCHAN_XFER_NONBLOCK,
			       IPCCHAN_WAIT_FOREVER), -EAGAIN);

	/* No receiver waits: nonblocking is EAGAIN, no EPOLLOUT. */
	ASSERT_EQ(ipcchan_send(p.fds[0], "n", 1, IPCCHAN_XFER_NONBLOCK,
			       IPCCHAN_WAIT_FOREVER), -EAGAIN);
	pfd = (struct pollfd){ .fd = p.fds[0], .events = POLLOUT };
	ASSERT_EQ(poll(&pfd, 1, 0), 0);
	/* A timed send nobody takes is withdrawn. */
	ASSERT_EQ(ipcchan_send(p.fds[0], "x", 1, 0, 50 * 1000000LL),
		  -ETIMEDOUT);
	ASSERT_EQ(chan_msgs(p.fds[1]), 0);

	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		ssize_t n = read(p.fds[1], buf, sizeof(buf));

		if (n != 5 || memcmp(buf, "hello", 5))
			_exit(1);
		/* Waits for the parent's read. */
		_exit(write(p.fds[1], "ack", 3) == 3 ? 0 : 2);
	}
	/* Returns once the child has read it (it never sees "x"). */
	ASSERT_EQ(write(p.fds[0], "hello", 5), 5);
	ASSERT_EQ(chan_msgs(p.fds[1]), 0);
	ASSERT_EQ(read(p.fds[0], buf, sizeof(buf)), 3);
	ASSERT_MEMEQ(buf, "ack", 3);
	ASSERT_CHILD_OK(pid);
	close(p.fds[0]);
	close(p.fds[1]);
	close(q.fds[0]);
	close(q.fds[1]);
}

TEST(pair_batch_packed)
{
	struct ipcchan_chan_pair p = make(IPCCHAN_IOC_CHAN_PAIR, 0, 64, 16);
	struct ipcchan_mmsg m[3];
	char bufs[3][64], pk[512];
	size_t off = 0;
	int i;

	for (i = 0; i < 3; i++) {
		memset(&m[i], 0, sizeof(m[i]));
		snprintf(bufs[i], sizeof(bufs[i]), "msg%d", i);
		m[i].buf = u64_ptr(bufs[i]);
		m[i].len = 4;
	}
	ASSERT_EQ(ipcchan_send_batch(p.fds[1], m, 3, 0, IPCCHAN_WAIT_FOREVER),
		  3);
	ASSERT_EQ(chan_msgs(p.fds[0]), 3);
	ASSERT_EQ(chan_msgs(p.fds[1]), 0);
	for (i = 0; i < 3; i++) {
		memset(bufs[i], 0, sizeof(bufs[i]));
		m[i].len = sizeof(bufs[i]);
	}
	ASSERT_EQ(ipcchan_recv_batch(p.fds[0], m, 3, 0, IPCCHAN_WAIT_FOREVER),
		  3);
	ASSERT_STREQ(bufs[2], "msg2");

	memcpy(ipcchan_packed_add(pk, sizeof(pk), &off, 2), "ab", 2);
	memcpy(ipcchan_packed_add(pk, sizeof(pk), &off, 3), "cde", 3);
	ASSERT_EQ(ipcchan_send_packed(p.fds[0], pk, off, 2, 0,
				      IPCCHAN_WAIT_FOREVER), 2);
	ASSERT_EQ(chan_msgs(p.fds[1]), 2);
	ASSERT_EQ(chan_msgs(p.fds[0]), 0);
	recv_str(p.fds[1], "ab");
	recv_str(p.fds[1], "cde");
	close(p.fds[0]);
	close(p.fds[1]);
}

/*
 * The sender of a pipe closes: the receiver gets what is queued, then
 * EPIPE, read() 0, and poll EPOLLHUP; a blocked receiver wakes with EPIPE.
 */
TEST(pipe_writer_hangup)
{
	struct ipcchan_chan_pair p = make(IPCCHAN_IOC_CHAN_PIPE, 0, 64, 4);
	struct ipcchan_chan_pair q = make(IPCCHAN_IOC_CHAN_PIPE, 0, 64, 4);
	char buf[64];
	pid_t pid;

	send_str(p.fds[1], "last");
	close(p.fds[1]);
	ASSERT_EQ(poll_fd(p.fds[0], POLLIN, 0) & (POLLIN | POLLHUP), POLLIN);
	recv_str(p.fds[0], "last");
	ASSERT_EQ(poll_fd(p.fds[0], POLLIN, 0), POLLHUP);
	recv_epipe(p.fds[0]);
	ASSERT_EQ(read(p.fds[0], buf, sizeof(buf)), 0);
	close(p.fds[0]);

	pid = xfork();
	if (pid == 0) {
		close(q.fds[1]);
		ASSERT_EQ(ipcchan_recv(q.fds[0], buf, sizeof(buf), NULL, 0,
				       IPCCHAN_WAIT_FOREVER), -EPIPE);
		child_exit();
	}
	close(q.fds[0]);
	wait_blocked(pid, IN_IOCTL);
	close(q.fds[1]);
	ASSERT_CHILD_OK(pid);
}

/*
 * The receiver of a pipe closes: a send fails with EPIPE (write() too, and
 * no SIGPIPE), poll EPOLLERR; a sender blocked on a full pipe wakes with
 * EPIPE.
 */
TEST(pipe_reader_hangup)
{
	struct ipcchan_chan_pair p = make(IPCCHAN_IOC_CHAN_PIPE, 0, 64, 1);
	pid_t pid;

	send_str(p.fds[1], "fills it");
	pid = xfork();
	if (pid == 0) {
		close(p.fds[0]);
		ASSERT_EQ(ipcchan_send(p.fds[1], "x", 1, 0,
				       IPCCHAN_WAIT_FOREVER), -EPIPE);
		child_exit();
	}
	wait_blocked(pid, IN_IOCTL);
	close(p.fds[0]);
	ASSERT_CHILD_OK(pid);
	ASSERT_EQ(poll_fd(p.fds[1], POLLOUT, 0), POLLERR);
	ASSERT_EQ(ipcchan_send(p.fds[1], "x", 1, IPCCHAN_XFER_NONBLOCK,
			       IPCCHAN_WAIT_FOREVER), -EPIPE);
	ASSERT_EQ(write(p.fds[1], "x", 1), -1);
	ASSERT_EQ(errno, EPIPE);
	close(p.fds[1]);
}

/*
 * One end of a pair closes: the other drains what was queued for it, then
 * gets EPIPE and read() 0, and its sends fail with EPIPE; poll shows
 * EPOLLIN while messages are left, then EPOLLHUP, and EPOLLERR throughout.
 */
TEST(pair_hangup)
{
	struct ipcchan_chan_pair p = make(IPCCHAN_IOC_CHAN_PAIR, 0, 64, 4);
	char buf[64];
	int i;

	for (i = 0; i < 2; i++) {
		struct ipcchan_chan_pair q = i ? make(IPCCHAN_IOC_CHAN_PAIR,
						      0, 64, 4) : p;
		int a = q.fds[i], b = q.fds[1 - i];

		send_str(b, "queued 1");
		send_str(b, "queued 2");
		send_str(a, "never read");
		ASSERT_EQ(poll_fd(a, POLLIN | POLLOUT, 0), POLLIN | POLLOUT);
		close(b);
		ASSERT_EQ(poll_fd(a, POLLIN | POLLOUT, 0), POLLIN | POLLERR);
		recv_str(a, "queued 1");
		ASSERT_EQ(read(a, buf, sizeof(buf)), 8);
		ASSERT_EQ(poll_fd(a, POLLIN | POLLOUT, 0), POLLHUP | POLLERR);
		recv_epipe(a);
		ASSERT_EQ(read(a, buf, sizeof(buf)), 0);
		ASSERT_EQ(ipcchan_send(a, "x", 1, 0, IPCCHAN_WAIT_FOREVER),
			  -EPIPE);
		ASSERT_EQ(write(a, "x", 1), -1);
		ASSERT_EQ(errno, EPIPE);
		close(a);
	}
}

/*
 * A pair end blocked in poll() for EPOLLIN wakes when the other end sends,
 * and one waiting for EPOLLOUT on a full direction wakes when the other
 * end receives: each on the right channel's queue.
 */
TEST(pair_poll_wakeups)
{
	struct ipcchan_chan_pair p = make(IPCCHAN_IOC_CHAN_PAIR, 0, 64, 1);
	char buf[64];
	pid_t pid;

	pid = xfork();
	if (pid == 0) {
		ASSERT_EQ(poll_wake(p.fds[0], POLLIN), POLLIN);
		recv_str(p.fds[0], "wake");
		send_str(p.fds[0], "full");
		ASSERT_EQ(poll_fd(p.fds[0], POLLOUT, 0), 0);
		ASSERT_EQ(poll_wake(p.fds[0], POLLOUT), POLLOUT);
		child_exit();
	}
	wait_blocked(pid, IN_POLL);
	send_str(p.fds[1], "wake");
	/* The child filled its outgoing direction and polls for room. */
	ASSERT_EQ(poll_wake(p.fds[1], POLLIN), POLLIN);
	msleep(SETTLE_MS);
	wait_blocked(pid, IN_POLL);
	ASSERT_EQ(recv_ok(p.fds[1], buf, sizeof(buf), NULL), 4);
	ASSERT_CHILD_OK(pid);
	close(p.fds[0]);
	close(p.fds[1]);
}

/* A pair across fork(): the child echoes, and its messages carry its pid. */
TEST(pair_across_fork)
{
	struct ipcchan_chan_pair p = make(IPCCHAN_IOC_CHAN_PAIR, 0, 64, 4);
	struct ipcchan_msg_info mi;
	char buf[64];
	pid_t pid;
	int i;

	pid = xfork();
	if (pid == 0) {
		ssize_t n;

		close(p.fds[0]);
		while ((n = read(p.fds[1], buf, sizeof(buf))) > 0)
			ASSERT_EQ(write(p.fds[1], buf, n), n);
		ASSERT_EQ(n, 0);
		child_exit();
	}
	close(p.fds[1]);
	for (i = 0; i < 50; i++) {
		snprintf(buf, sizeof(buf), "ping %d", i);
		send_str(p.fds[0], buf);
		ASSERT_EQ(recv_ok(p.fds[0], buf, sizeof(buf), &mi),
			  (ssize_t)strlen(buf));
		ASSERT_EQ(mi.pid, pid);
	}
	close(p.fds[0]);
	ASSERT_CHILD_OK(pid);
}

/* An end passed with SCM_RIGHTS to a process that had no fd of the pair. */
TEST(pair_scm_rights)
{
	struct ipcchan_msg_info mi;
	struct ipcchan_chan_pair p;
	int sv[2], fd;
	char buf[64];
	pid_t pid;

	require_pair();
	ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	pid = xfork();
	if (pid == 0) {
		close(sv[0]);
		fd = ipcchan_fd_recv(sv[1]);
		ASSERT_GE(fd, 0);
		recv_str(fd, "hello");
		send_str(fd, "hello back");
		close(fd);
		child_exit();
	}
	close(sv[1]);
	p = make(IPCCHAN_IOC_CHAN_PAIR, IPCCHAN_OPEN_CLOEXEC, 64, 4);
	send_str(p.fds[0], "hello");
	ASSERT_EQ(ipcchan_fd_send(sv[0], p.fds[1]), 0);
	close(p.fds[1]);
	ASSERT_EQ(recv_ok(p.fds[0], buf, sizeof(buf), &mi), 10);
	ASSERT_EQ(mi.pid, pid);
	ASSERT_CHILD_OK(pid);
	recv_epipe(p.fds[0]);
	close(p.fds[0]);
	close(sv[0]);
}

/* CLOEXEC and NONBLOCK apply to both fds, and only when asked for. */
TEST(flags)
{
	static const unsigned long cmds[] = { IPCCHAN_IOC_CHAN_PIPE,
					      IPCCHAN_IOC_CHAN_PAIR };
	int c, i, f;

	for (c = 0; c < 2; c++) {
		struct ipcchan_chan_pair p = make(cmds[c], 0, 0, 0);
		struct ipcchan_chan_pair q = make(cmds[c],
						  IPCCHAN_OPEN_CLOEXEC |
						  IPCCHAN_OPEN_NONBLOCK, 0, 0);

		for (i = 0; i < 2; i++) {
			ASSERT_EQ(fcntl(p.fds[i], F_GETFD), 0);
			ASSERT_EQ(fcntl(p.fds[i], F_GETFL) & O_NONBLOCK, 0);
			ASSERT_EQ(fcntl(q.fds[i], F_GETFD), FD_CLOEXEC);
			f = fcntl(q.fds[i], F_GETFL);
			ASSERT_EQ(f & O_NONBLOCK, O_NONBLOCK);
			ASSERT_EQ(f & O_ACCMODE, c ? O_RDWR :
				  i ? O_WRONLY : O_RDONLY);
			close(p.fds[i]);
		}
		/* Nonblocking: an empty receive is EAGAIN. */
		ASSERT_EQ(read(q.fds[0], &f, sizeof(f)), -1);
		ASSERT_EQ(errno, EAGAIN);
		close(q.fds[0]);
		close(q.fds[1]);
	}
}

/*
 * Bad flags, limits and struct sizes are EINVAL or E2BIG, and a fault on
 * the way out is EFAULT: none of them leaves an fd or a channel behind.
 */
TEST(bad_args)
{
	static const unsigned long cmds[] = { IPCCHAN_IOC_CHAN_PIPE,
					      IPCCHAN_IOC_CHAN_PAIR };
	struct {
		struct ipcchan_chan_pair p;
		__u64 tail;
	} big;
	struct ipcchan_objlist *before, *after;
	struct ipcchan_chan_pair p;
	struct ipcchan_version v;
	int dev = dev_open(), fds = count_fds(), c;
	void *ro;

	require_pair();
	get_version(&v);
	ro = mmap(NULL, page_size(), PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
		  -1, 0);
	ASSERT_TRUE(ro != MAP_FAILED);
	ASSERT_EQ(ipcchan_nl_dump(IPCCHAN_KIND_CHANNEL, &before), 0);
	for (c = 0; c < 2; c++) {
		unsigned long cmd = cmds[c];
		unsigned int bad[] = { IPCCHAN_OPEN_RECV, IPCCHAN_OPEN_SEND,
				       IPCCHAN_OPEN_CREATE, IPCCHAN_OPEN_EXCL,
				       IPCCHAN_OPEN_ADOPT, 0x100, 1U << 31 };
		size_t i;

		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			p = (struct ipcchan_chan_pair){ .size = sizeof(p),
							.flags = bad[i] };
			ASSERT_EQ(raw_unnamed(dev, cmd, &p), -EINVAL,
				  "flag %#x", bad[i]);
		}
		p = (struct ipcchan_chan_pair){ .size = sizeof(p),
						.max_msg_size = v.max_msg_size + 1 };
		ASSERT_EQ(raw_unnamed(dev, cmd, &p), -EINVAL);
		p = (struct ipcchan_chan_pair){ .size = sizeof(p),
						.max_msgs = v.max_msgs + 1 };
		ASSERT_EQ(raw_unnamed(dev, cmd, &p), -EINVAL);
		p = (struct ipcchan_chan_pair){ .size = sizeof(p),
						.max_msg_size = 100,
						.max_bytes = 99 };
		ASSERT_EQ(raw_unnamed(dev, cmd, &p), -EINVAL);
		/* The size member must match the command's. */
		p = (struct ipcchan_chan_pair){ .size = sizeof(p) - 8 };
		ASSERT_EQ(raw_unnamed(dev, cmd, &p), -EINVAL);
		/* A longer struct: its tail must be zero. */
		memset(&big, 0, sizeof(big));
		big.p.size = sizeof(big);
		big.tail = 1;
		ASSERT_EQ(ioctl(dev, _IOC(_IOC_READ | _IOC_WRITE, IPCCHAN_IOC_MAGIC,
					  _IOC_NR(cmd), sizeof(big)), &big), -1);
		ASSERT_EQ(errno, E2BIG);
		big.tail = 0;
		ASSERT_EQ(ioctl(dev, _IOC(_IOC_READ | _IOC_WRITE, IPCCHAN_IOC_MAGIC,
					  _IOC_NR(cmd), sizeof(big)), &big), 0);
		close(big.p.fds[0]);
		close(big.p.fds[1]);
		/* Unwritable: EFAULT, and the fds are not installed. */
		memcpy(&p, &(struct ipcchan_chan_pair){ .size = sizeof(p) },
		       sizeof(p));
		ASSERT_EQ(mprotect(ro, page_size(), PROT_READ | PROT_WRITE), 0);
		memcpy(ro, &p, sizeof(p));
		ASSERT_EQ(mprotect(ro, page_size(), PROT_READ), 0);
		ASSERT_EQ(ioctl(dev, cmd, ro), -1);
		ASSERT_EQ(errno, EFAULT);
		ASSERT_EQ(ioctl(dev, cmd, NULL), -1);
		ASSERT_EQ(errno, EFAULT);
	}
	ASSERT_EQ(count_fds(), fds);
	ASSERT_EQ(ipcchan_nl_dump(IPCCHAN_KIND_CHANNEL, &after), 0);
	ASSERT_EQ(ipcchan_objlist_count(after), ipcchan_objlist_count(before));
	ipcchan_objlist_free(before);
	ipcchan_objlist_free(after);
	close(dev);
}

/* The limits of the struct apply to each channel. */
TEST(limits_apply)
{
	struct ipcchan_chan_pair p = make(IPCCHAN_IOC_CHAN_PAIR, 0, 16, 2);
	char buf[32] = { 0 };
	int i;

	for (i = 0; i < 2; i++) {
		ASSERT_EQ(ipcchan_send(p.fds[i], buf, 17, 0,
				       IPCCHAN_WAIT_FOREVER), -EMSGSIZE);
		ASSERT_EQ(write(p.fds[i], buf, 17), -1);
		ASSERT_EQ(errno, EMSGSIZE);
		send_ok(p.fds[i], buf, 16);
		send_ok(p.fds[i], buf, 16);
		ASSERT_EQ(ipcchan_send(p.fds[i], buf, 1, IPCCHAN_XFER_NONBLOCK,
				       IPCCHAN_WAIT_FOREVER), -EAGAIN);
		ASSERT_EQ(ipcchan_send(p.fds[i], buf, 1, 0, 10 * NS_PER_MS),
			  -ETIMEDOUT);
	}
	close(p.fds[0]);
	close(p.fds[1]);
}

/*
 * A pipe is one channel and a pair two against max_channels_per_user: the
 * pair that would go past it is ENOSPC and leaves nothing.
 */
TEST(per_user_count)
{
	pid_t pid;

	require_pair();
	if (!param_writable("max_channels_per_user"))
		SKIP("no writable max_channels_per_user");
	param_set_u64("max_channels_per_user", 3);
	pid = xfork();
	if (pid == 0) {
		int pipe1[2], pair1[2], fds[2], n = count_fds();

		drop_to_nobody();
		ASSERT_EQ(ipcchan_chan_pipe(IPCCHAN_DEV_AUTO, 0, NULL, pipe1), 0);
		ASSERT_EQ(ipcchan_chan_pair(IPCCHAN_DEV_AUTO, 0, NULL, pair1), 0);
		ASSERT_EQ(ipcchan_chan_pipe(IPCCHAN_DEV_AUTO, 0, NULL, fds),
			  -ENOSPC);
		ASSERT_EQ(ipcchan_chan_pair(IPCCHAN_DEV_AUTO, 0, NULL, fds),
			  -ENOSPC);
		ASSERT_EQ(count_fds(), n + 4);
		/* Closing the pipe makes room for one, not two. */
		close(pipe1[0]);
		close(pipe1[1]);
		ASSERT_EQ(ipcchan_chan_pair(IPCCHAN_DEV_AUTO, 0, NULL, fds),
			  -ENOSPC);
		ASSERT_EQ(ipcchan_chan_pipe(IPCCHAN_DEV_AUTO, 0, NULL, fds), 0);
		close(fds[0]);
		close(fds[1]);
		/* One end of the pair keeps both channels. */
		close(pair1[0]);
		ASSERT_EQ(ipcchan_chan_pair(IPCCHAN_DEV_AUTO, 0, NULL, fds),
			  -ENOSPC);
		close(pair1[1]);
		ASSERT_EQ(ipcchan_chan_pair(IPCCHAN_DEV_AUTO, 0, NULL, fds), 0);
		child_exit();
	}
	ASSERT_CHILD_OK(pid);
	ASSERT_EQ(param_restore_all(), 0);
}

/*
 * Messages are charged to the creator of the pipe (the opener of
 * /dev/ipcchan), and carry its uid, whoever holds the send fd: root sending
 * through nobody's pipe is bound by nobody's byte budget (ENOBUFS).
 */
TEST(budget_charged_to_creator)
{
	struct ipcchan_msg_info mi;
	static char buf[1000];
	int sv[2], rx, tx, n, err = 0;
	pid_t pid;

	require_pair();
	if (!param_writable("max_bytes_per_user"))
		SKIP("no writable max_bytes_per_user");
	param_set_u64("max_bytes_per_user", 3000);
	ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	pid = xfork();
	if (pid == 0) {
		int fds[2];

		drop_to_nobody();
		ASSERT_EQ(ipcchan_chan_pipe(IPCCHAN_DEV_AUTO, 0,
					    &(struct ipcchan_attr){
						    .max_msg_size = 1000,
						    .max_msgs = 100,
						    .max_bytes = 100000 },
					    fds), 0);
		ASSERT_EQ(ipcchan_fd_send(sv[1], fds[0]), 0);
		ASSERT_EQ(ipcchan_fd_send(sv[1], fds[1]), 0);
		child_exit();
	}
	rx = ipcchan_fd_recv(sv[0]);
	tx = ipcchan_fd_recv(sv[0]);
	ASSERT_GE(rx, 0);
	ASSERT_GE(tx, 0);
	ASSERT_CHILD_OK(pid);
	for (n = 0; n < 10; n++) {
		err = ipcchan_send(tx, buf, sizeof(buf), IPCCHAN_XFER_NONBLOCK,
				   IPCCHAN_WAIT_FOREVER);
		if (err)
			break;
	}
	ASSERT_GE(n, 1);
	ASSERT_LE(n, 2, "root's sends were not charged to nobody");
	ASSERT_EQ(err, -ENOBUFS);
	ASSERT_EQ(recv_ok(rx, buf, sizeof(buf), &mi), 1000);
	ASSERT_EQ(mi.uid, NOBODY);
	/* Receiving gives the budget back. */
	send_ok(tx, buf, sizeof(buf));
	close(rx);
	close(tx);
	close(sv[0]);
	close(sv[1]);
	ASSERT_EQ(param_restore_all(), 0);
}

/*
 * Closing the last receive end of an unnamed channel frees its queue at
 * once, while the send end stays open: nobody's per-user byte budget, full
 * with a pipe's and a pair's unreceived messages, admits new messages only
 * once those charges are gone. What was queued toward the open end of the
 * pair is still there.
 */
/*
 * The reader of a pipe closes while a synchronous send waits on it: the
 * queue it drops leaves that message to its sender, which withdraws it and
 * fails with EPIPE, long before its timeout.
 */
TEST(sync_send_when_reader_closes)
{
	struct ipcchan_chan_pair p = make(IPCCHAN_IOC_CHAN_PIPE, 0, 0, 0);
	struct ipcchan_version v;
	pid_t pid;

	get_version(&v);
	if (!(v.features & IPCCHAN_FEAT_SYNC))
		SKIP("no IPCCHAN_FEAT_SYNC");
	ASSERT_EQ(ipcchan_send(p.fds[1], "a", 1, 0, IPCCHAN_WAIT_FOREVER), 0);
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		close(p.fds[0]);
		_exit(ipcchan_send(p.fds[1], "s", 1, IPCCHAN_XFER_SYNC,
				   5000 * 1000000LL) == -EPIPE ? 0 : 1);
	}
	close(p.fds[1]);
	usleep(300 * 1000);
	ASSERT_EQ(chan_msgs(p.fds[0]), 2);
	close(p.fds[0]);
	ASSERT_CHILD_OK(pid);
}

TEST(closed_end_drops_queue)
{
	static char buf[1000];
	pid_t pid;

	require_pair();
	if (!param_writable("max_bytes_per_user"))
		SKIP("no writable max_bytes_per_user");
	param_set_u64("max_bytes_per_user", 12000);
	pid = xfork();
	if (pid == 0) {
		struct ipcchan_attr a = { .max_msg_size = 1000,
					  .max_msgs = 100,
					  .max_bytes = 100000 };
		struct ipcchan_chan_info ci;
		struct ipcchan_object o;
		int pp[2], pr[2], fds[2], n, err = 0;

		drop_to_nobody();
		ASSERT_EQ(ipcchan_chan_pipe(IPCCHAN_DEV_AUTO, 0, &a, pp), 0);
		ASSERT_EQ(ipcchan_chan_pair(IPCCHAN_DEV_AUTO, 0, &a, pr), 0);
		/* One message toward pr[1], the rest toward pr[0] and pp[0]. */
		send_ok(pr[0], buf, sizeof(buf));
		send_ok(pr[1], buf, sizeof(buf));
		for (n = 0; n < 10; n++) {
			err = ipcchan_send(pp[1], buf, sizeof(buf),
					   IPCCHAN_XFER_NONBLOCK,
					   IPCCHAN_WAIT_FOREVER);
			if (err)
				break;
		}
		ASSERT_EQ(err, -ENOBUFS);
		ASSERT_GE(n, 1);
		chan_info(pp[1], &ci);
		ASSERT_EQ(ci.msgs, n);

		/* The pipe's receive end goes; its send end stays. */
		close(pp[0]);
		ASSERT_EQ(ipcchan_nl_get_id(ci.id, &o), 0);
		ASSERT_EQ(o.msgs, 0);
		ASSERT_EQ(o.bytes, 0);
		ASSERT_EQ(o.sent_msgs, n);
		ASSERT_EQ(o.recv_msgs, 0);
		ASSERT_EQ(o.senders, 1);
		ASSERT_EQ(o.receivers, 0);
		ASSERT_EQ(ipcchan_send(pp[1], buf, 1, IPCCHAN_XFER_NONBLOCK,
				       IPCCHAN_WAIT_FOREVER), -EPIPE);
		/* Its charges are gone: a new pipe takes as many. */
		ASSERT_EQ(ipcchan_chan_pipe(IPCCHAN_DEV_AUTO, 0, &a, fds), 0);
		while (n--)
			send_ok(fds[1], buf, sizeof(buf));
		ASSERT_EQ(ipcchan_send(fds[1], buf, sizeof(buf),
				       IPCCHAN_XFER_NONBLOCK,
				       IPCCHAN_WAIT_FOREVER), -ENOBUFS);
		close(fds[0]);
		close(fds[1]);

		/* The pair: end 0 goes, what it was sent goes with it. */
		close(pr[0]);
		chan_info(pr[1], &ci);
		ASSERT_EQ(ci.msgs, 1, "what end 1 was sent stays");
		ASSERT_EQ(ipcchan_nl_get_id(ci.peer_id, &o), 0);
		ASSERT_EQ(o.msgs, 0);
		ASSERT_EQ(o.bytes, 0);
		ASSERT_EQ(o.receivers, 0);
		ASSERT_EQ(recv_ok(pr[1], buf, sizeof(buf), NULL), 1000);
		ASSERT_EQ(ipcchan_send(pr[1], buf, 1, IPCCHAN_XFER_NONBLOCK,
				       IPCCHAN_WAIT_FOREVER), -EPIPE);
		close(pr[1]);
		close(pp[1]);
		child_exit();
	}
	ASSERT_CHILD_OK(pid);
	ASSERT_EQ(param_restore_all(), 0);
}

#define BIG	(1024 * 1024)

/* Does a region of BIG fit the module's budget now? */
static bool big_region_fits(void)
{
	char name[IPCCHAN_NAME_MAX];
	int fd;

	new_name(name);
	fd = ipcchan_region_open(IPCCHAN_DEV_AUTO, name, RW_REGION |
				 IPCCHAN_OPEN_CREATE | IPCCHAN_OPEN_EXCL, 0600,
				 BIG);
	if (fd < 0) {
		ASSERT_EQ(fd, -ENOBUFS);
		return false;
	}
	close(fd);
	region_unlink(name);
	return true;
}

/*
 * The handles of a closed-off direction's messages are released with them:
 * with max_total_bytes at 1.5 regions of BIG, a region that only queued
 * messages hold keeps a second one out until the receive end closes, while
 * the send end stays open.
 */
TEST(closed_end_releases_handles)
{
	struct ipcchan_chan_pair p = make(IPCCHAN_IOC_CHAN_PIPE, 0, 64, 8);
	char rname[IPCCHAN_NAME_MAX];
	struct ipcchan_object o;
	int fd, i;

	if (!param_writable("max_total_bytes"))
		SKIP("no writable parameter max_total_bytes");
	param_set_u64("max_total_bytes", BIG + BIG / 2);
	fd = region_new(rname, RW_REGION, 0600, BIG);
	ASSERT_FALSE(big_region_fits(), "regions are not charged");
	region_unlink(rname);
	for (i = 0; i < 3; i++)
		ASSERT_EQ(ipcchan_send_handle(p.fds[1], "h", 1, fd, 0,
					      WAIT_NS), 0);
	send_str(p.fds[1], "plain");
	close(fd);
	ASSERT_FALSE(big_region_fits(), "the messages hold the region");

	close(p.fds[0]);
	ASSERT_TRUE(big_region_fits(), "the receive end is closed but its "
		    "messages still hold the region");
	ASSERT_EQ(ipcchan_nl_get_id(p.ids[1], &o), 0);
	ASSERT_EQ(o.msgs, 0);
	ASSERT_EQ(o.bytes, 0);
	ASSERT_EQ(o.sent_msgs, 4);
	ASSERT_EQ(o.fds, 1);
	close(p.fds[1]);
	ASSERT_EQ(param_restore_all(), 0);
}

/* What another uid does with the id of our pipe: it sees nothing. */
static void stranger(void *arg)
{
	const struct ipcchan_chan_pair *p = arg;
	struct ipcchan_object o;
	char empty[IPCCHAN_NAME_MAX] = "";
	int fds[2], i;

	drop_to_nobody();
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(ipcchan_nl_get_id(p->ids[i], &o), -ENOENT);
		ASSERT_FALSE(dump_has(p->ids[i], NULL));
	}
	/* No name reaches it: the empty name is no name. */
	ASSERT_EQ(ipcchan_chan_open(IPCCHAN_DEV_AUTO, empty, RS, NULL),
		  -EINVAL);
	ASSERT_EQ(ipcchan_chan_open(IPCCHAN_DEV_AUTO, empty,
				    RS | IPCCHAN_OPEN_CREATE |
				    IPCCHAN_OPEN_ADOPT, NULL), -EINVAL);
	ASSERT_EQ(ipcchan_nl_delete(IPCCHAN_KIND_CHANNEL, empty), -EINVAL);
	ASSERT_EQ(ipcchan_nl_set_limits(empty, 1, 1, 1), -EINVAL);
	ASSERT_EQ(ipcchan_chan_unlink(IPCCHAN_DEV_AUTO, empty), -EINVAL);
	/* Its own pipe it sees, by id and in a dump. */
	ASSERT_EQ(ipcchan_chan_pipe(IPCCHAN_DEV_AUTO, 0, NULL, fds), 0);
	{
		struct ipcchan_chan_info ci;

		chan_info(fds[0], &ci);
		ASSERT_EQ(ipcchan_nl_get_id(ci.id, &o), 0);
		ASSERT_EQ(o.uid, NOBODY);
		ASSERT_TRUE(dump_has(ci.id, NULL));
	}
}

/*
 * Only the fds reach an unnamed channel: another uid gets ENOENT for a GET
 * by its id and does not see it in a dump; no open, unlink, DEL or SET can
 * name it. Its owner, and CAP_IPC_OWNER, see it.
 */
TEST(other_uid_cannot_reach)
{
	struct ipcchan_chan_pair p = make(IPCCHAN_IOC_CHAN_PAIR, 0, 64, 4);
	struct ipcchan_chan_pair q = make(IPCCHAN_IOC_CHAN_PIPE, 0, 64, 4);
	struct ipcchan_object o;

	ASSERT_EQ(run_in_child(stranger, &p), 0);
	ASSERT_EQ(run_in_child(stranger, &q), 0);
	ASSERT_EQ(ipcchan_nl_get_id(p.ids[0], &o), 0);
	ASSERT_EQ(ipcchan_chan_info(p.fds[0], &(struct ipcchan_chan_info){
		.size = sizeof(struct ipcchan_chan_info) }), 0);
	/* Nothing the stranger did reached it. */
	send_str(p.fds[0], "still here");
	recv_str(p.fds[1], "still here");
	send_str(q.fds[1], "still here");
	recv_str(q.fds[0], "still here");
	close(p.fds[0]);
	close(p.fds[1]);
	close(q.fds[0]);
	close(q.fds[1]);
}

/*
 * Netlink lists an unnamed channel by id, with an empty name, its flags and
 * its peer; GET by id says the same; once its fds are closed it is gone.
 */
TEST(netlink_by_id)
{
	struct ipcchan_chan_pair p = make(IPCCHAN_IOC_CHAN_PAIR, 0, 64, 4);
	struct ipcchan_chan_pair q = make(IPCCHAN_IOC_CHAN_PIPE, 0, 32, 2);
	struct ipcchan_object o;
	int i;

	for (i = 0; i < 2; i++) {
		memset(&o, 0xa5, sizeof(o));
		ASSERT_TRUE(dump_has(p.ids[i], &o));
		ASSERT_EQ(o.kind, IPCCHAN_KIND_CHANNEL);
		ASSERT_STREQ(o.name, "");
		ASSERT_EQ(o.chan_flags, IPCCHAN_CHAN_UNNAMED | IPCCHAN_CHAN_PAIR);
		ASSERT_EQ(o.peer_id, p.ids[1 - i]);
		ASSERT_EQ(o.mode, 0600);
		ASSERT_EQ(o.uid, getuid());
		ASSERT_EQ(o.senders, 1);
		ASSERT_EQ(o.receivers, 1);
		ASSERT_EQ(o.fds, 2);
		ASSERT_EQ(o.creator_pid, getpid());
		memset(&o, 0xa5, sizeof(o));
		ASSERT_EQ(ipcchan_nl_get_id(p.ids[i], &o), 0);
		ASSERT_EQ(o.id, p.ids[i]);
		ASSERT_EQ(o.peer_id, p.ids[1 - i]);
	}
	send_str(q.fds[1], "abc");
	ASSERT_EQ(ipcchan_nl_get_id(q.ids[0], &o), 0);
	ASSERT_STREQ(o.name, "");
	ASSERT_EQ(o.chan_flags, IPCCHAN_CHAN_UNNAMED);
	ASSERT_EQ(o.peer_id, 0);
	ASSERT_EQ(o.max_msg_size, 32);
	ASSERT_EQ(o.msgs, 1);
	ASSERT_EQ(o.bytes, 3);
	ASSERT_EQ(o.fds, 2);
	/* An id and a name together, or an id no object has, are refused. */
	ASSERT_EQ(ipcchan_nl_get_id(0, &o), -ENOENT);
	ASSERT_EQ(ipcchan_nl_get_id(~0ULL, &o), -ENOENT);

	close(p.fds[0]);
	/* One end keeps both directions. */
	ASSERT_EQ(ipcchan_nl_get_id(p.ids[0], &o), 0);
	ASSERT_EQ(o.fds, 1);
	ASSERT_EQ(ipcchan_nl_get_id(p.ids[1], &o), 0);
	close(p.fds[1]);
	close(q.fds[0]);
	close(q.fds[1]);
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(ipcchan_nl_get_id(p.ids[i], &o), -ENOENT);
		ASSERT_FALSE(dump_has(p.ids[i], NULL));
	}
	ASSERT_EQ(ipcchan_nl_get_id(q.ids[0], &o), -ENOENT);
}

/* The events of an unnamed channel carry its id and the empty name. */
TEST(events)
{
	struct ipcchan_nl_monitor *m;
	struct ipcchan_chan_pair p;
	struct ipcchan_event ev;
	int created = 0, destroyed = 0, ret;

	require_pair();
	ret = ipcchan_nl_monitor_open(&m);
	if (ret == -EPERM)
		SKIP("no events for this caller");
	ASSERT_EQ(ret, 0);
	p = make(IPCCHAN_IOC_CHAN_PIPE, 0, 0, 0);
	close(p.fds[0]);
	close(p.fds[1]);
	while (destroyed < 1) {
		ret = ipcchan_nl_monitor_next(m, &ev, WAIT_MS);
		ASSERT_EQ(ret, 1);
		if (ev.id != p.ids[0])
			continue;
		ASSERT_STREQ(ev.name, "");
		ASSERT_EQ(ev.kind, IPCCHAN_KIND_CHANNEL);
		if (ev.event == IPCCHAN_EVENT_CREATED) {
			ASSERT_EQ(destroyed, 0);
			created++;
		}
		if (ev.event == IPCCHAN_EVENT_DESTROYED)
			destroyed++;
	}
	ASSERT_EQ(created, 1);
	ipcchan_nl_monitor_close(m);
}

/*
 * With one free fd, EMFILE: no fd is installed, no channel is made, no id
 * is spent, nothing is charged; with two, it works.
 */
TEST(emfile_leaves_nothing)
{
	struct ipcchan_chan_pair p, q;
	struct rlimit old, rl;
	int dev = dev_open(), n, c, fd;

	require_pair();
	p = make(IPCCHAN_IOC_CHAN_PIPE, 0, 0, 0);
	close(p.fds[0]);
	close(p.fds[1]);
	ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &old), 0);
	for (c = 0; c < 2; c++) {
		unsigned long cmd = c ? IPCCHAN_IOC_CHAN_PAIR :
					IPCCHAN_IOC_CHAN_PIPE;

		/* Only the lowest free fd stays below the limit. */
		n = count_fds();
		fd = dup(0);
		ASSERT_GE(fd, 0);
		close(fd);
		rl = old;
		rl.rlim_cur = fd + 1;
		ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &rl), 0);
		q = (struct ipcchan_chan_pair){ .size = sizeof(q) };
		ASSERT_EQ(raw_unnamed(dev, cmd, &q), -EMFILE);
		ASSERT_EQ(count_fds(), n);
		ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &old), 0);
		ASSERT_FALSE(dump_has(p.ids[0] + 1, NULL));
		ASSERT_EQ(raw_unnamed(dev, cmd, &q), 0);
		/* No id went to the failed one. */
		ASSERT_EQ(q.ids[0], p.ids[0] + 1);
		p = q;
		if (c)
			p.ids[0] = q.ids[1];
		close(q.fds[0]);
		close(q.fds[1]);
	}
	close(dev);
}

/*
 * Pairs and pipes made and closed in a loop while other processes dump and
 * GET them by id: a listing never shows a broken object, GET of a closed
 * one is ENOENT, and the module is left with none of them.
 */
TEST_TIMEOUT(churn_while_listed, 120)
{
	volatile uint64_t *last = shared_alloc(sizeof(*last));
	struct ipcchan_objlist *l;
	pid_t pids[2];
	int i, k, fds[2];
	size_t before;

	require_pair();
	ASSERT_EQ(ipcchan_nl_dump(IPCCHAN_KIND_CHANNEL, &l), 0);
	before = ipcchan_objlist_count(l);
	ipcchan_objlist_free(l);
	for (k = 0; k < 2; k++) {
		pids[k] = xfork();
		if (pids[k])
			continue;
		for (i = 0; i < 200; i++) {
			struct ipcchan_object o;
			size_t j;

			if (k) {
				int ret = ipcchan_nl_get_id(*last, &o);

				ASSERT_TRUE(ret == 0 || ret == -ENOENT, "%d", ret);
				if (!ret)
					ASSERT_EQ(o.chan_flags &
						  IPCCHAN_CHAN_UNNAMED,
						  IPCCHAN_CHAN_UNNAMED);
				continue;
			}
			ASSERT_EQ(ipcchan_nl_dump(IPCCHAN_KIND_CHANNEL, &l), 0);
			for (j = 0; j < ipcchan_objlist_count(l); j++) {
				const struct ipcchan_object *o =
					ipcchan_objlist_get(l, j);

				ASSERT_TRUE(o->name[0] || (o->chan_flags &
					    IPCCHAN_CHAN_UNNAMED));
			}
			ipcchan_objlist_free(l);
		}
		child_exit();
	}
	for (i = 0; i < 300; i++) {
		struct ipcchan_chan_info ci;
		int ret = i % 2 ?
			ipcchan_chan_pair(IPCCHAN_DEV_AUTO, 0, NULL, fds) :
			ipcchan_chan_pipe(IPCCHAN_DEV_AUTO, 0, NULL, fds);

		ASSERT_EQ(ret, 0);
		chan_info(fds[i % 2], &ci);
		*last = ci.id;
		send_str(fds[1], "x");
		close(fds[i % 3 == 0]);
		close(fds[i % 3 != 0]);
	}
	for (k = 0; k < 2; k++)
		ASSERT_CHILD_OK(pids[k]);
	ASSERT_EQ(ipcchan_nl_dump(IPCCHAN_KIND_CHANNEL, &l), 0);
	ASSERT_EQ(ipcchan_objlist_count(l), before);
	ipcchan_objlist_free(l);
}

/* A channel fd never travels in a message: XFER_HANDLE refuses it. */
TEST(no_channel_handles)
{
	struct ipcchan_chan_pair p = make(IPCCHAN_IOC_CHAN_PAIR, 0, 64, 4);
	struct ipcchan_chan_pair q = make(IPCCHAN_IOC_CHAN_PIPE, 0, 64, 4);

	ASSERT_EQ(ipcchan_send_handle(p.fds[0], "x", 1, p.fds[0], 0,
				      IPCCHAN_WAIT_FOREVER), -EINVAL);
	ASSERT_EQ(ipcchan_send_handle(p.fds[0], "x", 1, p.fds[1], 0,
				      IPCCHAN_WAIT_FOREVER), -EINVAL);
	ASSERT_EQ(ipcchan_send_handle(q.fds[1], "x", 1, q.fds[0], 0,
				      IPCCHAN_WAIT_FOREVER), -EINVAL);
	ASSERT_EQ(chan_msgs(p.fds[1]), 0);
	ASSERT_EQ(chan_msgs(q.fds[0]), 0);
	close(p.fds[0]);
	close(p.fds[1]);
	close(q.fds[0]);
	close(q.fds[1]);
}

/* The library: limits from the attr, reserved members zero, fds untouched. */
TEST(library_calls)
{
	struct ipcchan_attr a = { .max_msg_size = 48, .max_msgs = 3 };
	struct ipcchan_chan_info ci;
	int fds[2] = { -7, -7 };

	require_pair();
	ASSERT_EQ(ipcchan_chan_pair(IPCCHAN_DEV_AUTO, IPCCHAN_OPEN_CLOEXEC, &a,
				    fds), 0);
	ASSERT_EQ(ipcchan_chan_info(fds[1], &ci), 0);
	ASSERT_EQ(ci.max_msg_size, 48);
	ASSERT_EQ(ci.max_msgs, 3);
	ASSERT_EQ(ci.chan_flags, IPCCHAN_CHAN_UNNAMED | IPCCHAN_CHAN_PAIR);
	close(fds[0]);
	close(fds[1]);
	fds[0] = fds[1] = -7;
	a.__reserved[0] = 1;
	ASSERT_EQ(ipcchan_chan_pipe(IPCCHAN_DEV_AUTO, 0, &a, fds), -EINVAL);
	ASSERT_EQ(ipcchan_chan_pipe(IPCCHAN_DEV_AUTO, 0x100, NULL, fds),
		  -EINVAL);
	ASSERT_EQ(fds[0], -7);
	ASSERT_EQ(fds[1], -7);
	ASSERT_EQ(ipcchan_chan_pipe(IPCCHAN_DEV_AUTO, 0, NULL, NULL), -EFAULT);
}

/* Runs @cmd in /bin/sh with stdout and stderr in @out; its exit status. */
static int shell(const char *cmd, char *out, size_t cap)
{
	size_t len = 0, n;
	FILE *f;
	int st;

	if (access("/bin/sh", X_OK) || access("/usr/bin/ipcchan", X_OK) ||
	    access("/usr/bin/ipcchanctl", X_OK))
		SKIP("no /bin/sh or no ipcchan tools in the VM");
	f = popen(cmd, "r");
	ASSERT_TRUE(f != NULL);
	while (len + 1 < cap && (n = fread(out + len, 1, cap - 1 - len, f)))
		len += n;
	out[len] = 0;
	st = pclose(f);
	ASSERT_TRUE(WIFEXITED(st), "%s: status %#x", cmd, st);
	return WEXITSTATUS(st);
}

/*
 * ipcchan pipe: the writer's stdout sends to the reader's stdin, each
 * write() one message (dd reads one whole message a read: two partial
 * records); the exit status is the reader's, else the writer's.
 */
TEST(tool_pipe)
{
	char out[512];

	ASSERT_EQ(shell("ipcchan pipe -- sh -c 'echo one; echo two' -- "
			"cat 2>&1", out, sizeof(out)), 0, "%s", out);
	ASSERT_STREQ(out, "one\ntwo\n");
	ASSERT_EQ(shell("ipcchan pipe -s 64 -- sh -c 'echo one; echo two' -- "
			"dd bs=64 2>&1 >/dev/null", out, sizeof(out)), 0,
		  "%s", out);
	ASSERT_TRUE(strstr(out, "0+2 records in") != NULL, "%s", out);
	/* Too big for -s 4: the writer fails with EMSGSIZE. */
	ASSERT_NE(shell("ipcchan pipe -s 4 -- echo hello -- cat 2>&1", out,
			sizeof(out)), 0, "%s", out);
	ASSERT_EQ(shell("ipcchan pipe -- true -- sh -c 'exit 3' 2>&1", out,
			sizeof(out)), 3);
	ASSERT_EQ(shell("ipcchan pipe -- false -- cat 2>&1", out,
			sizeof(out)), 1);
	ASSERT_EQ(shell("ipcchan pipe -- true 2>&1", out, sizeof(out)), 2);
	ASSERT_EQ(shell("ipcchan pipe -x -- true -- true 2>&1", out,
			sizeof(out)), 2);
}

/*
 * ipcchan pair and pipe run with stdin and stdout closed: an end that
 * already is fd 1 (the pair's first, after /dev/ipcchan took 0 for a
 * while) must still reach its command's stdout, without the close-on-exec
 * flag that dup2() onto itself would leave.
 */
TEST(tool_std_fds)
{
	char out[512];

	ASSERT_EQ(shell("ipcchan pair -- echo ping -- sh -c 'cat >&2' "
			"2>&1 <&- >&-", out, sizeof(out)), 0, "%s", out);
	ASSERT_STREQ(out, "ping\n");
	ASSERT_EQ(shell("ipcchan pipe -- echo hi -- sh -c 'cat >&2' "
			"2>&1 <&- >&-", out, sizeof(out)), 0, "%s", out);
	ASSERT_STREQ(out, "hi\n");
}

/* ipcchan pair: cat echoes back what the other command sends. */
TEST(tool_pair)
{
	char out[512];

	ASSERT_EQ(shell("ipcchan pair -- sh -c 'echo ping; "
			"exec dd bs=64 count=1 >&2 2>/dev/null' -- cat 2>&1",
			out, sizeof(out)), 0, "%s", out);
	ASSERT_STREQ(out, "ping\n");
}

/* ipcchanctl list shows unnamed channels by id, and show takes "#ID". */
TEST(ctl_lists_unnamed)
{
	struct ipcchan_chan_pair p = make(IPCCHAN_IOC_CHAN_PAIR, 0, 0, 0);
	struct ipcchan_chan_pair q = make(IPCCHAN_IOC_CHAN_PIPE, 0, 0, 0);
	static char out[65536];
	char want[64], cmd[64];

	ASSERT_EQ(shell("ipcchanctl list -k channel", out, sizeof(out)), 0);
	snprintf(want, sizeof(want), "#%llu pair>#%llu",
		 (unsigned long long)p.ids[0], (unsigned long long)p.ids[1]);
	ASSERT_TRUE(strstr(out, want) != NULL, "%s in:\n%s", want, out);
	snprintf(want, sizeof(want), "#%llu pipe",
		 (unsigned long long)q.ids[0]);
	ASSERT_TRUE(strstr(out, want) != NULL, "%s in:\n%s", want, out);
	snprintf(cmd, sizeof(cmd), "ipcchanctl show '#%llu'",
		 (unsigned long long)p.ids[1]);
	ASSERT_EQ(shell(cmd, out, sizeof(out)), 0, "%s", out);
	ASSERT_TRUE(strstr(out, "channel: #") == out, "%s", out);
	{
		const char *at = strstr(out, "peer id:");
		unsigned long long peer = 0;

		ASSERT_TRUE(at != NULL, "%s", out);
		ASSERT_EQ(sscanf(at + 8, " %llu", &peer), 1);
		ASSERT_EQ(peer, p.ids[0]);
	}
	close(p.fds[0]);
	close(p.fds[1]);
	close(q.fds[0]);
	close(q.fds[1]);
	ASSERT_EQ(shell(cmd, out, sizeof(out)), 3, "%s", out);
}

TEST_MAIN("pair")
