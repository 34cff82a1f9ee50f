// SPDX-License-Identifier: GPL-2.0
/*
 * Passing channel fds with SCM_RIGHTS (ipcchan_fd_send/ipcchan_fd_recv)
 * between processes that are not parent and child: two siblings joined by a
 * socketpair their parent made. A passed fd keeps its access mode and its
 * credentials, and lives on its own.
 */
#include "util.h"

#include <sys/socket.h>

struct siblings {
	int sv[2];		/* sv[0] for the first, sv[1] for the second */
	pid_t pid[2];
};

static void siblings_init(struct siblings *s)
{
	ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, s->sv),
		  0);
}

/* Forks sibling @i, which runs @fn with its socket end and exits. */
static void sibling(struct siblings *s, int i, void (*fn)(int sock))
{
	s->pid[i] = xfork();
	if (s->pid[i] == 0) {
		close(s->sv[!i]);
		fn(s->sv[i]);
		child_exit();
	}
}

static void siblings_wait(struct siblings *s)
{
	close(s->sv[0]);
	close(s->sv[1]);
	EXPECT_CHILD_OK(s->pid[0]);
	EXPECT_CHILD_OK(s->pid[1]);
}

static void pass_fd(int sock, int fd)
{
	ASSERT_EQ(ipcchan_fd_send(sock, fd), 0);
}

static int take_fd(int sock)
{
	int fd = ipcchan_fd_recv(sock);

	ASSERT_GE(fd, 0);
	return fd;
}

/* An int over the socket, to say "done" or pass a pid. */
static void say(int sock, int v)
{
	ASSERT_EQ(write(sock, &v, sizeof(v)), (ssize_t)sizeof(v));
}

static int hear(int sock)
{
	int v;

	ASSERT_TRUE(poll_fd(sock, POLLIN, WAIT_MS) & POLLIN);
	ASSERT_EQ(read(sock, &v, sizeof(v)), (ssize_t)sizeof(v));
	return v;
}

/*
 * The first sibling makes channels X and Y and passes a receiver of X and a
 * sender of Y; the second answers each ping on X with a pong on Y.
 */
static void ping_owner(int sock)
{
	struct ipcchan_msg_info mi;
	char x[IPCCHAN_NAME_MAX], y[IPCCHAN_NAME_MAX], buf[32];
	int xs = chan_new(x, IPCCHAN_OPEN_SEND, 0600, 0, 0, 0);
	int yr = chan_new(y, IPCCHAN_OPEN_RECV, 0600, 0, 0, 0);
	int fd, i, peer;

	fd = chan_get(x, IPCCHAN_OPEN_RECV);
	pass_fd(sock, fd);
	close(fd);
	fd = chan_get(y, IPCCHAN_OPEN_SEND);
	pass_fd(sock, fd);
	close(fd);
	chan_unlink(x);
	chan_unlink(y);
	peer = hear(sock);
	ASSERT_NE(peer, getppid());
	for (i = 0; i < 20; i++) {
		snprintf(buf, sizeof(buf), "ping %d", i);
		send_str(xs, buf);
		ASSERT_EQ(recv_ok(yr, buf, sizeof(buf), &mi), 6 + (i > 9));
		ASSERT_EQ(mi.pid, peer, "the pong came from the sibling");
	}
	close(xs);
}

static void ping_peer(int sock)
{
	char buf[32];
	int xr = take_fd(sock), ys = take_fd(sock), i;
	ssize_t n;

	say(sock, getpid());
	for (i = 0; i < 20; i++) {
		n = recv_ok(xr, buf, sizeof(buf), NULL);
		ASSERT_EQ(n, 6 + (i > 9));
		memcpy(buf, "pong", 4);
		send_ok(ys, buf, n);
	}
	/* After the last ping the owner closed its sender: hang-up. */
	recv_epipe(xr);
}

TEST(sibling_exchange)
{
	struct siblings s;

	siblings_init(&s);
	sibling(&s, 0, ping_owner);
	sibling(&s, 1, ping_peer);
	siblings_wait(&s);
}

static void access_owner(int sock)
{
	char name[IPCCHAN_NAME_MAX];
	int rs = chan_new(name, RS, 0600, 0, 0, 0);

	pass_fd(sock, chan_get(name, IPCCHAN_OPEN_RECV));
	pass_fd(sock, chan_get(name, IPCCHAN_OPEN_SEND));
	send_str(rs, "queued");
	ASSERT_EQ(hear(sock), 0);
}

static void access_peer(int sock)
{
	struct ipcchan_mmsg m = { .buf = u64_ptr("x"), .len = 1 };
	int r = take_fd(sock), s = take_fd(sock);
	char buf[16];

	ASSERT_EQ(ipcchan_send(r, "x", 1, 0, IPCCHAN_WAIT_FOREVER), -EBADF);
	ASSERT_EQ(ipcchan_send_batch(r, &m, 1, 0, IPCCHAN_WAIT_FOREVER),
		  -EBADF);
	ASSERT_EQ(write(r, "x", 1), -1);
	ASSERT_EQ(errno, EBADF);
	ASSERT_EQ(ipcchan_recv(s, buf, sizeof(buf), NULL,
			       IPCCHAN_XFER_NONBLOCK, IPCCHAN_WAIT_FOREVER),
		  -EBADF);
	ASSERT_EQ(read(s, buf, sizeof(buf)), -1);
	ASSERT_EQ(errno, EBADF);
	/* What each may do, it does. */
	recv_str(r, "queued");
	send_str(s, "sent");
	recv_str(r, "sent");
	say(sock, 0);
}

TEST(keeps_access_mode)
{
	struct siblings s;

	siblings_init(&s);
	sibling(&s, 0, access_owner);
	sibling(&s, 1, access_peer);
	siblings_wait(&s);
}

/* The owner passes its only fd, closes it and unlinks the name. */
static void orphan_owner(int sock)
{
	char name[IPCCHAN_NAME_MAX];
	int fd = chan_new(name, RS, 0600, 0, 0, 0);

	send_str(fd, "from the owner");
	pass_fd(sock, fd);
	close(fd);
	chan_unlink(name);
	say(sock, 0);
	ASSERT_EQ(hear(sock), 1);
}

static void orphan_peer(int sock)
{
	struct ipcchan_chan_info ci;
	int fd = take_fd(sock);

	ASSERT_EQ(hear(sock), 0);
	chan_info(fd, &ci);
	ASSERT_EQ(ci.senders, 1);
	ASSERT_EQ(ci.receivers, 1);
	recv_str(fd, "from the owner");
	send_str(fd, "alone");
	recv_str(fd, "alone");
	say(sock, 1);
}

TEST(close_original)
{
	struct siblings s;

	siblings_init(&s);
	sibling(&s, 0, orphan_owner);
	sibling(&s, 1, orphan_peer);
	siblings_wait(&s);
}

/* A root fd of a 0600 channel, and root's /dev/ipcchan, work for nobody. */
static void creds_owner(int sock)
{
	char name[IPCCHAN_NAME_MAX];
	int fd = chan_new(name, RS, 0600, 0, 0, 0);
	int dev = dev_open();

	send_str(fd, "to nobody");
	pass_fd(sock, fd);
	pass_fd(sock, dev);
	ASSERT_EQ(write(sock, name, sizeof(name)), (ssize_t)sizeof(name));
	ASSERT_EQ(hear(sock), 0);
	recv_str(fd, "from nobody");
	recv_str(fd, "via root's dev");
}

static void creds_peer(int sock)
{
	char name[IPCCHAN_NAME_MAX];
	int fd, dev, c;

	drop_to_nobody();
	fd = take_fd(sock);
	dev = take_fd(sock);
	ASSERT_TRUE(poll_fd(sock, POLLIN, WAIT_MS) & POLLIN);
	ASSERT_EQ(read(sock, name, sizeof(name)), (ssize_t)sizeof(name));
	recv_str(fd, "to nobody");
	send_str(fd, "from nobody");
	/* Its own /dev/ipcchan is nobody's; the passed one is root's. */
	ASSERT_EQ(ipcchan_chan_open(IPCCHAN_DEV_AUTO, name, RS, NULL), -EACCES);
	c = ipcchan_chan_open(dev, name, IPCCHAN_OPEN_SEND, NULL);
	ASSERT_GE(c, 0);
	send_str(c, "via root's dev");
	say(sock, 0);
}

TEST(keeps_credentials)
{
	struct siblings s;

	siblings_init(&s);
	sibling(&s, 0, creds_owner);
	sibling(&s, 1, creds_peer);
	siblings_wait(&s);
}

/* The received fd is close-on-exec and shares the sender's file flags. */
TEST(flags_of_passed_fd)
{
	int sv[2], fd, got;
	char buf[8];

	ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	fd = chan_new(NULL, RS | IPCCHAN_OPEN_NONBLOCK, 0600, 0, 0, 0);
	pass_fd(sv[0], fd);
	got = take_fd(sv[1]);
	ASSERT_NE(got, fd);
	ASSERT_EQ(fcntl(got, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	ASSERT_EQ(fcntl(got, F_GETFL) & O_NONBLOCK, O_NONBLOCK);
	ASSERT_EQ(ipcchan_recv(got, buf, sizeof(buf), NULL, 0,
			       IPCCHAN_WAIT_FOREVER), -EAGAIN);
	send_str(fd, "same");
	recv_str(got, "same");
}

TEST(lib_errors)
{
	int sv[2], fd, pfd[2];
	char c = 'x';

	fd = chan_new(NULL, RS, 0600, 0, 0, 0);
	ASSERT_EQ(ipcchan_fd_send(-1, fd), -EBADF);
	ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	ASSERT_EQ(ipcchan_fd_send(sv[0], -1), -EBADF);
	ASSERT_EQ(pipe2(pfd, O_CLOEXEC), 0);
	ASSERT_EQ(ipcchan_fd_send(pfd[1], fd), -ENOTSOCK);
	ASSERT_EQ(ipcchan_fd_recv(pfd[0]), -ENOTSOCK);
	/* Data without an fd, then end of stream: errors, not fds. */
	ASSERT_EQ(write(sv[0], &c, 1), 1);
	ASSERT_LT(ipcchan_fd_recv(sv[1]), 0);
	close(sv[0]);
	ASSERT_LT(ipcchan_fd_recv(sv[1]), 0);
}

/*
 * A receiver passed away, then its sibling exits: the receiver that
 * remains sees the hang-up.
 */
static void hup_owner(int sock)
{
	char name[IPCCHAN_NAME_MAX];
	int r = chan_new(name, IPCCHAN_OPEN_RECV, 0600, 0, 0, 0);
	int s = chan_get(name, IPCCHAN_OPEN_SEND);

	pass_fd(sock, s);
	close(s);
	ASSERT_EQ(poll_fd(r, POLLIN, 0), 0);
	say(sock, 0);
	/* The sibling sends one message and exits. */
	ASSERT_EQ(poll_wake(r, POLLIN), POLLIN);
	recv_str(r, "last words");
	recv_epipe(r);
}

static void hup_peer(int sock)
{
	int s = take_fd(sock);

	ASSERT_EQ(hear(sock), 0);
	send_str(s, "last words");
}

TEST(hangup_through_passed_sender)
{
	struct siblings s;

	siblings_init(&s);
	sibling(&s, 0, hup_owner);
	sibling(&s, 1, hup_peer);
	siblings_wait(&s);
}

/*
 * An fd in flight, sent but never received, is still an open receiver;
 * when the socket goes, so does it.
 */
TEST(in_flight)
{
	char name[IPCCHAN_NAME_MAX];
	struct ipcchan_chan_info ci;
	int s = chan_new(name, IPCCHAN_OPEN_SEND, 0600, 0, 0, 0);
	int sv[2], r;

	ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	r = chan_get(name, IPCCHAN_OPEN_RECV);
	pass_fd(sv[0], r);
	close(r);
	chan_unlink(name);
	chan_info(s, &ci);
	ASSERT_EQ(ci.receivers, 1);
	ASSERT_EQ(poll_fd(s, POLLOUT, 0), POLLOUT);
	send_str(s, "into the void");
	close(sv[0]);
	close(sv[1]);
	/* The in-flight file is released once the socket is; wait for it. */
	{
		int64_t deadline = now_ns() + WAIT_NS;

		do {
			chan_info(s, &ci);
			if (!ci.receivers)
				break;
			msleep(10);
		} while (now_ns() < deadline);
	}
	ASSERT_EQ(ci.receivers, 0);
	ASSERT_TRUE(poll_fd(s, POLLOUT, 0) & POLLERR);
	ASSERT_EQ(ipcchan_send(s, "x", 1, 0, IPCCHAN_WAIT_FOREVER), -EPIPE);
}

TEST_MAIN("fdpass")
