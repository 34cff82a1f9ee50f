// SPDX-License-Identifier: GPL-2.0
/*
 * poll(2) and epoll: readable, writable, hang-up and error; waiters woken
 * when the last sender or receiver goes or the channel is unlinked; and
 * pollers torn down safely when a channel goes away under an epoll set.
 *
 * Hang-up, from the uapi: the queue is empty, no sender is open, and some
 * sender had been open or the channel is unlinked. Careful with fork(): a
 * child inherits every sender this process holds, so children close theirs.
 */
#include "util.h"

#include <sys/epoll.h>

/* One epoll_wait() of at most @timeout_ms; returns the events, 0 if none. */
static unsigned int epoll_events(int ep, int timeout_ms)
{
	struct epoll_event ev;
	int n;

	do
		n = epoll_wait(ep, &ev, 1, timeout_ms);
	while (n < 0 && errno == EINTR);
	ASSERT_GE(n, 0);
	return n ? ev.events : 0;
}

static int epoll_for(int fd, unsigned int events)
{
	struct epoll_event ev = { .events = events, .data.fd = fd };
	int ep = epoll_create1(EPOLL_CLOEXEC);

	ASSERT_GE(ep, 0);
	ASSERT_EQ(epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev), 0);
	return ep;
}

/*
 * The channel of most tests: a receiver here, created under a new name, and
 * a sender opened by that name.
 */
FIXTURE(pair) {
	char name[IPCCHAN_NAME_MAX];
	int r;
	int s;
};

FIXTURE_SETUP(pair)
{
	self->r = chan_new(self->name, IPCCHAN_OPEN_RECV, 0600, 0, 0, 0);
	self->s = chan_get(self->name, IPCCHAN_OPEN_SEND);
}

/* A test may have closed them already: nothing runs after a teardown. */
FIXTURE_TEARDOWN(pair)
{
	close(self->s);
	close(self->r);
}

TEST_F(pair, empty)
{
	ASSERT_EQ(poll_fd(self->r, POLLIN | POLLOUT, 0), 0);
	ASSERT_EQ(poll_fd(self->s, POLLIN | POLLOUT, 0), POLLOUT);
}

TEST_F(pair, readable_after_send)
{
	char buf[8];

	send_str(self->s, "x");
	ASSERT_EQ(poll_fd(self->r, POLLIN, 0), POLLIN);
	send_str(self->s, "y");
	ASSERT_EQ(poll_fd(self->r, POLLIN, 0), POLLIN);
	recv_ok(self->r, buf, sizeof(buf), NULL);
	ASSERT_EQ(poll_fd(self->r, POLLIN, 0), POLLIN);
	recv_ok(self->r, buf, sizeof(buf), NULL);
	ASSERT_EQ(poll_fd(self->r, POLLIN, 0), 0);
}

TEST(not_writable_when_full)
{
	char name[IPCCHAN_NAME_MAX], buf[8];
	int r = chan_new(name, IPCCHAN_OPEN_RECV, 0600, 16, 2, 0);
	int s = chan_get(name, IPCCHAN_OPEN_SEND);

	send_str(s, "1");
	ASSERT_EQ(poll_fd(s, POLLOUT, 0), POLLOUT);
	send_str(s, "2");
	ASSERT_EQ(poll_fd(s, POLLOUT, 0), 0);
	recv_ok(r, buf, sizeof(buf), NULL);
	ASSERT_EQ(poll_fd(s, POLLOUT, 0), POLLOUT);
}

/*
 * before: max_msg_size 50, max_bytes 100, 60 bytes queued
 * after:  not writable: a 40-byte message would fit, one of 50 would not
 */
TEST(not_writable_bytes)
{
	char name[IPCCHAN_NAME_MAX], buf[50] = { 0 };
	int r = chan_new(name, IPCCHAN_OPEN_RECV, 0600, 50, 100, 100);
	int s = chan_get(name, IPCCHAN_OPEN_SEND);

	send_ok(s, buf, 30);
	ASSERT_EQ(poll_fd(s, POLLOUT, 0), POLLOUT);
	send_ok(s, buf, 30);
	ASSERT_EQ(poll_fd(s, POLLOUT, 0), 0);
	ASSERT_EQ(ipcchan_send(s, buf, 40, IPCCHAN_XFER_NONBLOCK,
			       IPCCHAN_WAIT_FOREVER), 0);
	recv_ok(r, buf, sizeof(buf), NULL);
	recv_ok(r, buf, sizeof(buf), NULL);
	ASSERT_EQ(poll_fd(s, POLLOUT, 0), POLLOUT);
}

/* EPOLLIN is for the receive side, EPOLLOUT for the send side. */
TEST_F(pair, side_specific)
{
	int rs = chan_get(self->name, RS);

	ASSERT_EQ(poll_fd(self->r, POLLOUT, 0), 0);
	ASSERT_EQ(poll_fd(rs, POLLIN | POLLOUT, 0), POLLOUT);
	send_str(self->s, "x");
	ASSERT_EQ(poll_fd(self->s, POLLIN | POLLOUT, 0), POLLOUT);
	ASSERT_EQ(poll_fd(self->r, POLLIN | POLLOUT, 0), POLLIN);
	ASSERT_EQ(poll_fd(rs, POLLIN | POLLOUT, 0), POLLIN | POLLOUT);
}

/* A channel that never had a sender and is still named is not hung up. */
TEST(no_hup_before_any_sender)
{
	char buf[8];
	int r = chan_new(NULL, IPCCHAN_OPEN_RECV, 0600, 0, 0, 0);

	ASSERT_EQ(poll_fd(r, POLLIN, 0), 0);
	ASSERT_EQ(ipcchan_recv(r, buf, sizeof(buf), NULL,
			       IPCCHAN_XFER_NONBLOCK, IPCCHAN_WAIT_FOREVER),
		  -EAGAIN);
}

/*
 * before: a receiver here; a sender in a child, which exits
 * after:  EPOLLHUP; a new sender ends it; its close brings it back
 */
TEST(hup_last_sender_other_process)
{
	char name[IPCCHAN_NAME_MAX], buf[8];
	int r = chan_new(name, IPCCHAN_OPEN_RECV, 0600, 0, 0, 0);
	int s, ep;
	pid_t pid = xfork();

	if (pid == 0) {
		s = chan_get(name, IPCCHAN_OPEN_SEND);
		child_exit();
	}
	ASSERT_CHILD_OK(pid);
	ASSERT_EQ(poll_fd(r, POLLIN, 0), POLLHUP);
	ep = epoll_for(r, EPOLLIN);
	ASSERT_EQ(epoll_events(ep, 0), EPOLLHUP);
	ASSERT_EQ(ipcchan_recv(r, buf, sizeof(buf), NULL, 0, WAIT_NS), -EPIPE);
	ASSERT_EQ(ipcchan_recv(r, buf, sizeof(buf), NULL,
			       IPCCHAN_XFER_NONBLOCK, IPCCHAN_WAIT_FOREVER),
		  -EPIPE);

	s = chan_get(name, IPCCHAN_OPEN_SEND);
	ASSERT_EQ(poll_fd(r, POLLIN, 0), 0);
	ASSERT_EQ(epoll_events(ep, 0), 0);
	send_str(s, "x");
	ASSERT_EQ(poll_fd(r, POLLIN, 0), POLLIN);
	close(s);
	/* Queued messages come first: readable, not hung up. */
	ASSERT_EQ(poll_fd(r, POLLIN, 0), POLLIN);
	recv_str(r, "x");
	ASSERT_EQ(poll_fd(r, POLLIN, 0), POLLHUP);
	ASSERT_EQ(epoll_events(ep, 0), EPOLLHUP);
}

/* An unlinked channel without senders is hung up: no sender can come. */
TEST(hup_unlinked_no_senders)
{
	char name[IPCCHAN_NAME_MAX], buf[8];
	int r = chan_new(name, IPCCHAN_OPEN_RECV, 0600, 0, 0, 0);
	int ep = epoll_for(r, EPOLLIN);

	ASSERT_EQ(epoll_events(ep, 0), 0);
	chan_unlink(name);
	ASSERT_EQ(poll_fd(r, POLLIN, 0), POLLHUP);
	ASSERT_EQ(epoll_events(ep, 0), EPOLLHUP);
	ASSERT_EQ(ipcchan_recv(r, buf, sizeof(buf), NULL,
			       IPCCHAN_XFER_NONBLOCK, IPCCHAN_WAIT_FOREVER),
		  -EPIPE);
	ASSERT_EQ(ipcchan_recv(r, buf, sizeof(buf), NULL, 0, WAIT_NS), -EPIPE);
}

/* Every send wakes an edge-triggered epoll again. */
TEST_F(pair, epoll_edge_triggered)
{
	int ep = epoll_for(self->r, EPOLLIN | EPOLLET);
	int eps = epoll_for(self->s, EPOLLOUT | EPOLLET);

	ASSERT_EQ(epoll_events(ep, 0), 0);
	ASSERT_EQ(epoll_events(eps, 0), EPOLLOUT);
	ASSERT_EQ(epoll_events(eps, 0), 0);
	send_str(self->s, "1");
	ASSERT_EQ(epoll_events(ep, 0), EPOLLIN);
	ASSERT_EQ(epoll_events(ep, 0), 0);
	send_str(self->s, "2");
	ASSERT_EQ(epoll_events(ep, 0), EPOLLIN);
	/* A receive that makes room is an edge for the send side. */
	recv_str(self->r, "1");
	ASSERT_EQ(epoll_events(eps, 0), EPOLLOUT);
}

/* Level-triggered poll: every poller sees a message. */
TEST_F(pair, many_pollers_woken)
{
	pid_t pids[3];
	int i;

	for (i = 0; i < 3; i++) {
		pids[i] = xfork();
		if (pids[i] == 0) {
			close(self->s);
			ASSERT_EQ(poll_wake(self->r, POLLIN), POLLIN);
			child_exit();
		}
	}
	for (i = 0; i < 3; i++)
		wait_blocked(pids[i], IN_POLL);
	send_str(self->s, "for all");
	for (i = 0; i < 3; i++)
		ASSERT_CHILD_OK(pids[i]);
	ASSERT_EQ(chan_msgs(self->r), 1);
}

/*
 * before: a child blocked in poll() on a receiver; this process holds the
 *         only sender
 * after:  closing it wakes the child with POLLHUP
 */
TEST_F(pair, poll_woken_by_last_sender_close)
{
	pid_t pid = xfork();

	if (pid == 0) {
		close(self->s);
		ASSERT_EQ(poll_wake(self->r, POLLIN), POLLHUP);
		child_exit();
	}
	wait_blocked(pid, IN_POLL);
	close(self->s);
	ASSERT_CHILD_OK(pid);
}

TEST_F(pair, epoll_woken_by_last_sender_close)
{
	pid_t pid = xfork();

	if (pid == 0) {
		int ep;

		close(self->s);
		ep = epoll_for(self->r, EPOLLIN);
		ASSERT_EQ(epoll_events(ep, 20000), EPOLLHUP);
		child_exit();
	}
	wait_blocked(pid, IN_EPOLL);
	close(self->s);
	ASSERT_CHILD_OK(pid);
}

TEST_F(pair, recv_woken_by_last_sender_close)
{
	pid_t pid = xfork();

	if (pid == 0) {
		char buf[8];

		close(self->s);
		ASSERT_EQ(ipcchan_recv(self->r, buf, sizeof(buf), NULL, 0,
				       IPCCHAN_WAIT_FOREVER), -EPIPE);
		child_exit();
	}
	wait_blocked(pid, IN_IOCTL);
	close(self->s);
	ASSERT_CHILD_OK(pid);
}

/* Several receivers blocked, one sender exits: all of them wake. */
TEST_F(pair, all_receivers_woken_by_hangup)
{
	pid_t pids[3];
	int i;

	for (i = 0; i < 3; i++) {
		pids[i] = xfork();
		if (pids[i] == 0) {
			char buf[8];

			close(self->s);
			ASSERT_EQ(ipcchan_recv(self->r, buf, sizeof(buf), NULL,
					       0, IPCCHAN_WAIT_FOREVER),
				  -EPIPE);
			child_exit();
		}
	}
	for (i = 0; i < 3; i++)
		wait_blocked(pids[i], IN_IOCTL);
	close(self->s);
	for (i = 0; i < 3; i++)
		ASSERT_CHILD_OK(pids[i]);
}

TEST(recv_woken_by_unlink)
{
	char name[IPCCHAN_NAME_MAX];
	int r = chan_new(name, IPCCHAN_OPEN_RECV, 0600, 0, 0, 0);
	pid_t pid = xfork();

	if (pid == 0) {
		char buf[8];

		ASSERT_EQ(ipcchan_recv(r, buf, sizeof(buf), NULL, 0,
				       IPCCHAN_WAIT_FOREVER), -EPIPE);
		child_exit();
	}
	wait_blocked(pid, IN_IOCTL);
	chan_unlink(name);
	ASSERT_CHILD_OK(pid);
}

TEST(poll_woken_by_unlink)
{
	char name[IPCCHAN_NAME_MAX];
	int r = chan_new(name, IPCCHAN_OPEN_RECV, 0600, 0, 0, 0);
	pid_t pid = xfork();

	if (pid == 0) {
		ASSERT_EQ(poll_wake(r, POLLIN), POLLHUP);
		child_exit();
	}
	wait_blocked(pid, IN_POLL);
	chan_unlink(name);
	ASSERT_CHILD_OK(pid);
}

/* Unlinking with a sender still open: waiters wake, find no hang-up, and
 * go on waiting for the message. */
TEST_F(pair, unlink_with_sender_keeps_waiting)
{
	pid_t pid = xfork();

	if (pid == 0) {
		char buf[8];

		close(self->s);
		ASSERT_EQ(ipcchan_recv(self->r, buf, sizeof(buf), NULL, 0,
				       IPCCHAN_WAIT_FOREVER), 5);
		ASSERT_MEMEQ(buf, "later", 5);
		child_exit();
	}
	wait_blocked(pid, IN_IOCTL);
	chan_unlink(self->name);
	msleep(SETTLE_MS);
	assert_running(pid);
	ASSERT_EQ(poll_fd(self->r, POLLIN, 0), 0);
	send_str(self->s, "later");
	ASSERT_CHILD_OK(pid);
	/* Now the last sender goes on an unlinked channel. */
	close(self->s);
	ASSERT_EQ(poll_fd(self->r, POLLIN, 0), POLLHUP);
}

/*
 * before: a full channel with only a sender fd, in an epoll set for
 *         EPOLLOUT; a child blocked in epoll_wait() on that set
 * after:  this process closes the fd, then unlinks the channel, which frees
 *         it with a message still queued, while the child still waits.
 *         Nothing may crash, and the module keeps working.
 */
TEST(epoll_close_while_waiting)
{
	char name[IPCCHAN_NAME_MAX];
	int s = chan_new(name, IPCCHAN_OPEN_SEND, 0600, 16, 1, 0);
	int ep = epoll_for(s, EPOLLOUT);
	pid_t pid;
	int r;

	send_str(s, "queued");
	pid = xfork();
	if (pid == 0) {
		close(s);
		/* Nothing will come: the fd goes away under the wait. */
		ASSERT_EQ(epoll_events(ep, 1500), 0);
		close(ep);
		child_exit();
	}
	wait_blocked(pid, IN_EPOLL);
	close(s);
	chan_unlink(name);	/* the last reference: the channel is freed */
	ASSERT_CHILD_OK(pid);
	ASSERT_EQ(epoll_events(ep, 0), 0);
	close(ep);

	/* The module still works. */
	r = chan_new(NULL, RS, 0600, 0, 0, 0);
	ep = epoll_for(r, EPOLLIN);
	send_str(r, "alive");
	ASSERT_EQ(epoll_events(ep, WAIT_MS), EPOLLIN);
}

/*
 * The same, with the wait really blocked: a named channel with a sender
 * elsewhere, whose receiver fd is closed under the epoll set while a child
 * waits, then the sender is closed and the channel unlinked, freeing it.
 */
TEST_F(pair, epoll_free_under_waiter)
{
	int ep = epoll_for(self->r, EPOLLIN);
	int ep2 = epoll_for(self->r, EPOLLIN | EPOLLET);
	struct epoll_event ev = { .events = EPOLLIN };
	pid_t pid;

	/* Nested: ep2 inside ep as well. */
	ASSERT_EQ(epoll_ctl(ep, EPOLL_CTL_ADD, ep2, &ev), 0);
	pid = xfork();
	if (pid == 0) {
		close(self->r);
		close(self->s);
		ASSERT_GE(epoll_events(ep, 1500), 0);
		close(ep2);
		close(ep);
		child_exit();
	}
	wait_blocked(pid, IN_EPOLL);
	close(self->r);
	chan_unlink(self->name);
	/* The last reference: the channel is freed. */
	close(self->s);
	ASSERT_CHILD_OK(pid);
	close(ep2);
	close(ep);

	self->r = chan_new(NULL, RS, 0600, 0, 0, 0);
	send_str(self->r, "alive");
	recv_str(self->r, "alive");
}

/*
 * before: a child blocked in epoll_wait() on a receiver, this process holds
 *         the only sender
 * after:  the sender closes: EPOLLHUP; then everyone closes everything in
 *         an unlucky order
 */
TEST_F(pair, epoll_hup_then_close)
{
	int ep = epoll_for(self->r, EPOLLIN);
	pid_t pid = xfork();

	if (pid == 0) {
		close(self->s);
		ASSERT_EQ(epoll_events(ep, 20000), EPOLLHUP);
		close(self->r);
		ASSERT_EQ(epoll_events(ep, 0), EPOLLHUP);
		close(ep);
		child_exit();
	}
	chan_unlink(self->name);
	wait_blocked(pid, IN_EPOLL);
	close(self->s);
	ASSERT_CHILD_OK(pid);
	close(self->r);
	close(ep);
}

/* A sender of an unlinked channel with no receiver: EPOLLERR, EPIPE. */
TEST(epollerr_sender_unlinked)
{
	char name[IPCCHAN_NAME_MAX];
	int s = chan_new(name, IPCCHAN_OPEN_SEND, 0600, 0, 0, 0);
	int ep = epoll_for(s, EPOLLOUT);

	/* Named: a receiver may still come, so sending is fine. */
	ASSERT_EQ(poll_fd(s, POLLOUT, 0), POLLOUT);
	send_str(s, "for later");
	chan_unlink(name);
	ASSERT_TRUE(poll_fd(s, POLLOUT, 0) & POLLERR);
	ASSERT_TRUE(epoll_events(ep, 0) & EPOLLERR);
	ASSERT_EQ(ipcchan_send(s, "x", 1, 0, IPCCHAN_WAIT_FOREVER), -EPIPE);
	ASSERT_EQ(ipcchan_send(s, "x", 1, IPCCHAN_XFER_NONBLOCK,
			       IPCCHAN_WAIT_FOREVER), -EPIPE);
	ASSERT_EQ(chan_msgs(s), 1);
}

/*
 * before: unlinked, a receiver in a child
 * after:  sends work while it lives; when it exits: EPOLLERR and EPIPE
 */
TEST(epollerr_last_receiver_exits)
{
	char name[IPCCHAN_NAME_MAX];
	int s = chan_new(name, IPCCHAN_OPEN_SEND, 0600, 0, 0, 0);
	struct sync opened, sent;
	pid_t pid;

	sync_init(&opened);
	sync_init(&sent);
	pid = xfork();
	if (pid == 0) {
		int r = chan_get(name, IPCCHAN_OPEN_RECV);

		sync_post(&opened);
		sync_wait(&sent);
		recv_str(r, "one");
		child_exit();
	}
	sync_wait(&opened);
	chan_unlink(name);
	ASSERT_EQ(poll_fd(s, POLLOUT, 0), POLLOUT);
	send_str(s, "one");
	sync_post(&sent);
	ASSERT_CHILD_OK(pid);
	ASSERT_TRUE(poll_fd(s, POLLOUT, 0) & POLLERR);
	ASSERT_EQ(ipcchan_send(s, "two", 3, 0, IPCCHAN_WAIT_FOREVER), -EPIPE);
}

/* A sender blocked on a full, unlinked channel wakes with EPIPE when the
 * last receiver closes: nobody can make room any more. */
TEST(blocked_send_woken_epipe)
{
	char name[IPCCHAN_NAME_MAX];
	int s = chan_new(name, IPCCHAN_OPEN_SEND, 0600, 16, 1, 0);
	int r = chan_get(name, IPCCHAN_OPEN_RECV);
	pid_t pid;

	send_str(s, "full");
	chan_unlink(name);
	pid = xfork();
	if (pid == 0) {
		close(r);
		ASSERT_EQ(ipcchan_send(s, "x", 1, 0, IPCCHAN_WAIT_FOREVER),
			  -EPIPE);
		child_exit();
	}
	wait_blocked(pid, IN_IOCTL);
	close(r);
	ASSERT_CHILD_OK(pid);
}

/* Unlinking wakes a sender blocked on a full channel that never had a
 * receiver: none can come any more, so EPIPE. */
TEST(blocked_send_woken_by_unlink)
{
	char name[IPCCHAN_NAME_MAX];
	int s = chan_new(name, IPCCHAN_OPEN_SEND, 0600, 16, 1, 0);
	pid_t pid;

	send_str(s, "full");
	pid = xfork();
	if (pid == 0) {
		ASSERT_EQ(ipcchan_send(s, "x", 1, 0, IPCCHAN_WAIT_FOREVER),
			  -EPIPE);
		child_exit();
	}
	wait_blocked(pid, IN_IOCTL);
	msleep(SETTLE_MS);
	assert_running(pid);
	chan_unlink(name);
	ASSERT_CHILD_OK(pid);
	ASSERT_EQ(chan_msgs(s), 1);
}

/* The same for a poller of the send side: woken with POLLERR. */
TEST(poll_send_woken_by_last_receiver)
{
	char name[IPCCHAN_NAME_MAX];
	int s = chan_new(name, IPCCHAN_OPEN_SEND, 0600, 16, 1, 0);
	int r = chan_get(name, IPCCHAN_OPEN_RECV);
	pid_t pid;

	send_str(s, "full");
	chan_unlink(name);
	pid = xfork();
	if (pid == 0) {
		close(r);
		ASSERT_TRUE(poll_wake(s, POLLOUT) & POLLERR);
		child_exit();
	}
	wait_blocked(pid, IN_POLL);
	close(r);
	ASSERT_CHILD_OK(pid);
}

/*
 * Forks an EPOLLEXCLUSIVE poller of @fd for @events that, once woken,
 * never acts on it; returns once it waits in epoll_wait().
 */
static pid_t idle_exclusive_poller(int fd, unsigned int events)
{
	pid_t pid = xfork();

	if (pid == 0) {
		int ep = epoll_for(fd, events | EPOLLEXCLUSIVE);

		ASSERT_NE(epoll_events(ep, -1) & events, 0);
		pause();
		child_exit();
	}
	wait_blocked(pid, IN_EPOLL);
	return pid;
}

/*
 * before: an EPOLLEXCLUSIVE poller of the receive side, waiting first,
 *         then a receiver blocked in RECV
 * after:  one send wakes the receiver, which gets the message: the poller
 *         cannot take the one exclusive wake-up meant for it
 */
TEST(epollexclusive_leaves_recv_wake)
{
	int fd = chan_new(NULL, RS, 0600, 0, 0, 0);
	pid_t poller, pid;

	poller = idle_exclusive_poller(fd, EPOLLIN);
	pid = xfork();
	if (pid == 0) {
		char buf[8];

		ASSERT_EQ(ipcchan_recv(fd, buf, sizeof(buf), NULL, 0,
				       IPCCHAN_WAIT_FOREVER), 4);
		child_exit();
	}
	wait_blocked(pid, IN_IOCTL);
	send_str(fd, "wake");
	ASSERT_EQ(u_wait_exit(pid, WAIT_MS), 0,
		  "the blocked receiver slept on with a message queued");
	ASSERT_EQ(chan_msgs(fd), 0);
	kill(poller, SIGKILL);
}

/*
 * before: a full channel; an EPOLLEXCLUSIVE poller of the send side,
 *         waiting first, then a sender blocked in SEND
 * after:  one receive wakes the sender, which gets its message in
 */
TEST(epollexclusive_leaves_send_wake)
{
	int fd = chan_new(NULL, RS, 0600, 16, 1, 0);
	pid_t poller, pid;

	send_str(fd, "full");
	poller = idle_exclusive_poller(fd, EPOLLOUT);
	pid = xfork();
	if (pid == 0) {
		ASSERT_EQ(ipcchan_send(fd, "x", 1, 0, IPCCHAN_WAIT_FOREVER),
			  0);
		child_exit();
	}
	wait_blocked(pid, IN_IOCTL);
	recv_str(fd, "full");
	ASSERT_EQ(u_wait_exit(pid, WAIT_MS), 0,
		  "the blocked sender slept on with room free");
	recv_str(fd, "x");
	kill(poller, SIGKILL);
}

TEST_MAIN("poll")
