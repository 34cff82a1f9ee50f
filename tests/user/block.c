// SPDX-License-Identifier: GPL-2.0
/*
 * Waiting: blocking calls that another process ends, nonblocking calls
 * (per-call flag and O_NONBLOCK) that fail with EAGAIN, timed calls that
 * fail with ETIMEDOUT, and signals: EINTR, SA_RESTART, stop and continue,
 * and a fatal signal.
 */
#include "util.h"

#define TIMEOUT_MS	300
/* How late a timed call may return under QEMU TCG. */
#define SLACK_MS	5000

static volatile sig_atomic_t handled;
static int handler_fd = -1;

/* Counts the signal and tells the parent through handler_fd. */
static void on_signal(int sig)
{
	int saved = errno;

	(void)sig;
	handled++;
	if (handler_fd >= 0 && write(handler_fd, &sig, sizeof(sig)) < 0)
		handled += 1000;
	errno = saved;
}

/* A receive through the raw ioctl: the message's length or -errno. */
static int raw_recv(int fd, void *buf, __u32 len, __u32 flags, __s64 timeout)
{
	struct ipcchan_recv r;

	raw_recv_init(&r, buf, len);
	r.flags = flags;
	r.timeout_ns = timeout;
	return xioctl(fd, IPCCHAN_IOC_RECV, &r);
}

static int raw_send(int fd, const void *buf, __u32 len, __u32 flags,
		    __s64 timeout)
{
	struct ipcchan_send s;

	raw_send_init(&s, buf, len);
	s.flags = flags;
	s.timeout_ns = timeout;
	return xioctl(fd, IPCCHAN_IOC_SEND, &s);
}

static void require_timeout(void)
{
	struct ipcchan_version v;

	get_version(&v);
	if (!(v.features & IPCCHAN_FEAT_TIMEOUT))
		SKIP("no IPCCHAN_FEAT_TIMEOUT");
}

/*
 * before: a child blocked in receive on an empty channel
 * after:  it stays blocked until this process sends, then gets the message
 */
TEST(recv_waits_for_sender)
{
	int fd = chan_new(NULL, RS, 0600, 0, 0, 0);
	pid_t pid = xfork();

	if (pid == 0) {
		char buf[16];
		ssize_t n = ipcchan_recv(fd, buf, sizeof(buf), NULL, 0,
					 IPCCHAN_WAIT_FOREVER);

		ASSERT_EQ(n, 4);
		ASSERT_MEMEQ(buf, "wake", 4);
		child_exit();
	}
	wait_blocked(pid, IN_IOCTL);
	msleep(SETTLE_MS);
	assert_running(pid);
	send_str(fd, "wake");
	ASSERT_CHILD_OK(pid);
	ASSERT_EQ(chan_msgs(fd), 0);
}

TEST(nonblock_flag_empty)
{
	char buf[8];
	int64_t t0;
	int fd = chan_new(NULL, RS, 0600, 0, 0, 0);

	t0 = now_ns();
	ASSERT_EQ(ipcchan_recv(fd, buf, sizeof(buf), NULL,
			       IPCCHAN_XFER_NONBLOCK, IPCCHAN_WAIT_FOREVER),
		  -EAGAIN);
	ASSERT_EQ(raw_recv(fd, buf, sizeof(buf), IPCCHAN_XFER_NONBLOCK, 0),
		  -EAGAIN);
	ASSERT_LT(now_ns() - t0, 2 * NS_PER_SEC);
	/* With a message queued the same call succeeds. */
	send_str(fd, "m");
	ASSERT_EQ(ipcchan_recv(fd, buf, sizeof(buf), NULL,
			       IPCCHAN_XFER_NONBLOCK, IPCCHAN_WAIT_FOREVER), 1);
}

TEST(nonblock_fd_empty)
{
	char name[IPCCHAN_NAME_MAX], buf[8];
	int fd = chan_new(name, RS, 0600, 0, 0, 0);
	int nb = chan_get(name, IPCCHAN_OPEN_RECV | IPCCHAN_OPEN_NONBLOCK);

	ASSERT_EQ(ipcchan_recv(nb, buf, sizeof(buf), NULL, 0,
			       IPCCHAN_WAIT_FOREVER), -EAGAIN);
	/* O_NONBLOCK set later through fcntl() counts too... */
	set_nonblock(fd, true);
	ASSERT_EQ(ipcchan_recv(fd, buf, sizeof(buf), NULL, 0,
			       IPCCHAN_WAIT_FOREVER), -EAGAIN);
	/* ...and so does clearing it: this one waits, then times out. */
	set_nonblock(fd, false);
	ASSERT_EQ(ipcchan_recv(fd, buf, sizeof(buf), NULL, 0,
			       50 * NS_PER_MS), -ETIMEDOUT);
}

/*
 * before: a channel with max_msgs 3, full, max_bytes far away
 * after:  a fourth send fails with EAGAIN and queues nothing
 */
TEST(nonblock_send_full_count)
{
	char name[IPCCHAN_NAME_MAX];
	struct ipcchan_chan_info ci;
	int fd = chan_new(name, RS, 0600, 16, 3, 1000);
	int nb = chan_get(name, IPCCHAN_OPEN_SEND | IPCCHAN_OPEN_NONBLOCK);

	send_str(fd, "1");
	send_str(fd, "2");
	ASSERT_EQ(ipcchan_send(nb, "3", 1, 0, IPCCHAN_WAIT_FOREVER), 0);
	ASSERT_EQ(ipcchan_send(fd, "4", 1, IPCCHAN_XFER_NONBLOCK,
			       IPCCHAN_WAIT_FOREVER), -EAGAIN);
	ASSERT_EQ(ipcchan_send(nb, "4", 1, 0, IPCCHAN_WAIT_FOREVER), -EAGAIN);
	ASSERT_EQ(ipcchan_send(nb, "", 0, 0, IPCCHAN_WAIT_FOREVER), -EAGAIN);
	chan_info(fd, &ci);
	ASSERT_EQ(ci.msgs, 3);
	ASSERT_EQ(ci.bytes, 3);
	ASSERT_EQ(ci.next_seq, 4);
	/* Room again after one receive. */
	recv_str(fd, "1");
	ASSERT_EQ(ipcchan_send(nb, "4", 1, 0, IPCCHAN_WAIT_FOREVER), 0);
}

/*
 * before: max_bytes 100, max_msg_size 60, 80 bytes queued, count far away
 * after:  40 more bytes get EAGAIN, 20 fit exactly, then 1 gets EAGAIN
 */
TEST(nonblock_send_full_bytes)
{
	char buf[60] = { 0 };
	struct ipcchan_chan_info ci;
	int fd = chan_new(NULL, RS | IPCCHAN_OPEN_NONBLOCK, 0600, 60, 100, 100);

	ASSERT_EQ(ipcchan_send(fd, buf, 40, 0, IPCCHAN_WAIT_FOREVER), 0);
	ASSERT_EQ(ipcchan_send(fd, buf, 40, 0, IPCCHAN_WAIT_FOREVER), 0);
	ASSERT_EQ(ipcchan_send(fd, buf, 40, 0, IPCCHAN_WAIT_FOREVER), -EAGAIN);
	ASSERT_EQ(ipcchan_send(fd, buf, 21, 0, IPCCHAN_WAIT_FOREVER), -EAGAIN);
	ASSERT_EQ(ipcchan_send(fd, buf, 20, 0, IPCCHAN_WAIT_FOREVER), 0);
	ASSERT_EQ(ipcchan_send(fd, buf, 1, IPCCHAN_XFER_NONBLOCK,
			       IPCCHAN_WAIT_FOREVER), -EAGAIN);
	chan_info(fd, &ci);
	ASSERT_EQ(ci.msgs, 3);
	ASSERT_EQ(ci.bytes, 100);
}

TEST(timed_recv)
{
	char buf[8];
	int64_t t0, dt;
	int fd = chan_new(NULL, RS, 0600, 0, 0, 0);

	require_timeout();
	t0 = now_ns();
	ASSERT_EQ(ipcchan_recv(fd, buf, sizeof(buf), NULL, 0,
			       TIMEOUT_MS * NS_PER_MS), -ETIMEDOUT);
	dt = now_ns() - t0;
	TH_LOG("timed out after %lld ms", (long long)(dt / NS_PER_MS));
	ASSERT_GE(dt, TIMEOUT_MS * NS_PER_MS);
	ASSERT_LT(dt, (TIMEOUT_MS + SLACK_MS) * NS_PER_MS);
}

TEST(timed_send_full)
{
	int64_t t0, dt;
	int fd = chan_new(NULL, RS, 0600, 16, 1, 0);

	require_timeout();
	send_str(fd, "full");
	t0 = now_ns();
	ASSERT_EQ(ipcchan_send(fd, "x", 1, 0, TIMEOUT_MS * NS_PER_MS),
		  -ETIMEDOUT);
	dt = now_ns() - t0;
	ASSERT_GE(dt, TIMEOUT_MS * NS_PER_MS);
	ASSERT_LT(dt, (TIMEOUT_MS + SLACK_MS) * NS_PER_MS);
	ASSERT_EQ(chan_msgs(fd), 1);
}

/* A timeout of 0 does not wait: ETIMEDOUT at once when it would have to. */
TEST(timeout_zero)
{
	char buf[8];
	int64_t t0;
	int fd = chan_new(NULL, RS, 0600, 16, 1, 0);

	require_timeout();
	t0 = now_ns();
	ASSERT_EQ(ipcchan_recv(fd, buf, sizeof(buf), NULL, 0, 0), -ETIMEDOUT);
	ASSERT_EQ(ipcchan_send(fd, "a", 1, 0, 0), 0);
	ASSERT_EQ(ipcchan_send(fd, "b", 1, 0, 0), -ETIMEDOUT);
	ASSERT_EQ(ipcchan_recv(fd, buf, sizeof(buf), NULL, 0, 0), 1);
	ASSERT_LT(now_ns() - t0, 2 * NS_PER_SEC);
}

/* A timed receive that a message ends before its timeout. */
TEST(timed_recv_succeeds)
{
	int fd = chan_new(NULL, RS, 0600, 0, 0, 0);
	pid_t pid;

	require_timeout();
	pid = xfork();
	if (pid == 0) {
		char buf[16];
		int64_t t0 = now_ns();

		ASSERT_EQ(ipcchan_recv(fd, buf, sizeof(buf), NULL, 0,
				       15 * NS_PER_SEC), 2);
		ASSERT_LT(now_ns() - t0, 15 * NS_PER_SEC);
		child_exit();
	}
	wait_blocked(pid, IN_IOCTL);
	send_str(fd, "ok");
	ASSERT_CHILD_OK(pid);
}

/*
 * before: a channel of one message, full; a child blocked sending
 * after:  a receive makes room and the child's message goes in
 */
TEST(send_waits_for_room)
{
	int fd = chan_new(NULL, RS, 0600, 16, 1, 0);
	pid_t pid;

	send_str(fd, "first");
	pid = xfork();
	if (pid == 0) {
		ASSERT_EQ(ipcchan_send(fd, "second", 6, 0,
				       IPCCHAN_WAIT_FOREVER), 0);
		child_exit();
	}
	wait_blocked(pid, IN_IOCTL);
	msleep(SETTLE_MS);
	assert_running(pid);
	ASSERT_EQ(chan_msgs(fd), 1);
	recv_str(fd, "first");
	ASSERT_CHILD_OK(pid);
	recv_str(fd, "second");
}

/* The same when the byte limit, not the count, is what is full. */
TEST(send_waits_for_bytes)
{
	char buf[80] = { 0 };
	int fd = chan_new(NULL, RS, 0600, 80, 10, 100);
	pid_t pid;

	send_ok(fd, buf, 80);
	pid = xfork();
	if (pid == 0) {
		ASSERT_EQ(ipcchan_send(fd, buf, 50, 0, 15 * NS_PER_SEC), 0);
		child_exit();
	}
	wait_blocked(pid, IN_IOCTL);
	msleep(SETTLE_MS);
	assert_running(pid);
	ASSERT_EQ(recv_ok(fd, buf, sizeof(buf), NULL), 80);
	ASSERT_CHILD_OK(pid);
	ASSERT_EQ(recv_ok(fd, buf, sizeof(buf), NULL), 50);
}

/* Three blocked receivers, three messages: one each, none lost. */
TEST(many_blocked_receivers)
{
	int fd = chan_new(NULL, RS, 0600, 0, 0, 0);
	int *got = shared_alloc(3 * sizeof(int));
	pid_t pids[3];
	int i, seen = 0;

	for (i = 0; i < 3; i++) {
		pids[i] = xfork();
		if (pids[i] == 0) {
			char buf[8];

			ASSERT_EQ(ipcchan_recv(fd, buf, sizeof(buf), NULL, 0,
					       IPCCHAN_WAIT_FOREVER), 1);
			got[i] = buf[0];
			child_exit();
		}
	}
	for (i = 0; i < 3; i++)
		wait_blocked(pids[i], IN_IOCTL);
	send_str(fd, "a");
	send_str(fd, "b");
	send_str(fd, "c");
	for (i = 0; i < 3; i++) {
		ASSERT_CHILD_OK(pids[i]);
		ASSERT_TRUE(got[i] >= 'a' && got[i] <= 'c');
		seen |= 1 << (got[i] - 'a');
	}
	ASSERT_EQ(seen, 7, "each message went to exactly one receiver");
	ASSERT_EQ(chan_msgs(fd), 0);
}

/* How many times task @pid has gone to sleep of its own accord. */
static unsigned long voluntary_switches(pid_t pid)
{
	char path[64], line[128];
	unsigned long n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "voluntary_ctxt_switches: %lu", &n) == 1)
			break;
	fclose(f);
	return n;
}

/*
 * One message wakes one blocked receiver: the others stay asleep, and do
 * not wake only to find it gone and sleep again.
 */
TEST(one_message_wakes_one)
{
	int fd = chan_new(NULL, RS, 0600, 0, 0, 0);
	unsigned long before[3];
	pid_t pids[3], done = 0;
	int i, status = 0;

	for (i = 0; i < 3; i++) {
		pids[i] = xfork();
		if (pids[i] == 0) {
			char buf[8];

			ASSERT_EQ(ipcchan_recv(fd, buf, sizeof(buf), NULL, 0,
					       IPCCHAN_WAIT_FOREVER), 1);
			child_exit();
		}
		wait_blocked(pids[i], IN_IOCTL);
	}
	for (i = 0; i < 3; i++)
		before[i] = voluntary_switches(pids[i]);
	send_str(fd, "a");
	for (i = 0; i < 500 && done <= 0; i++) {
		done = waitpid(-1, &status, WNOHANG);
		if (!done)
			msleep(10);
	}
	ASSERT_GT(done, 0, "no receiver took the message");
	ASSERT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status));
	msleep(200);
	for (i = 0; i < 3; i++) {
		if (pids[i] == done)
			continue;
		wait_blocked(pids[i], IN_IOCTL);
		EXPECT_EQ(voluntary_switches(pids[i]), before[i],
			  "receiver %d was woken for a message it did not get",
			  i);
	}
	send_str(fd, "b");
	send_str(fd, "c");
	for (i = 0; i < 3; i++)
		if (pids[i] != done)
			ASSERT_CHILD_OK(pids[i]);
	ASSERT_EQ(chan_msgs(fd), 0);
}

/*
 * A woken receiver whose buffer is too short for the message passes the
 * wake-up on: the next blocked receiver, with room, gets the message.
 */
TEST(short_buffer_passes_wake)
{
	int fd = chan_new(NULL, RS, 0600, 0, 0, 0);
	char msg[32] = "a message of thirty-two bytes..";
	pid_t small, big;

	small = xfork();
	if (small == 0) {
		char buf[8];

		ASSERT_EQ(ipcchan_recv(fd, buf, sizeof(buf), NULL, 0,
				       IPCCHAN_WAIT_FOREVER), -EMSGSIZE);
		child_exit();
	}
	wait_blocked(small, IN_IOCTL);
	big = xfork();
	if (big == 0) {
		char buf[64];

		ASSERT_EQ(ipcchan_recv(fd, buf, sizeof(buf), NULL, 0,
				       IPCCHAN_WAIT_FOREVER), sizeof(msg));
		ASSERT_MEMEQ(buf, msg, sizeof(msg));
		child_exit();
	}
	wait_blocked(big, IN_IOCTL);
	send_ok(fd, msg, sizeof(msg));
	ASSERT_CHILD_OK(small);
	ASSERT_EQ(u_wait_exit(big, 5000), 0,
		  "the receiver with room was not woken");
	ASSERT_EQ(chan_msgs(fd), 0);
}

/* A signal whose handler lacks SA_RESTART ends a blocked receive: EINTR. */
TEST(signal_eintr)
{
	int fd = chan_new(NULL, RS, 0600, 0, 0, 0);
	struct sync sig;
	pid_t pid;

	sync_init(&sig);
	pid = xfork();
	if (pid == 0) {
		char buf[8];

		handler_fd = sig.fd[1];
		set_handler(SIGUSR1, on_signal, 0);
		ASSERT_EQ(raw_recv(fd, buf, sizeof(buf), 0, 0), -EINTR);
		ASSERT_EQ(handled, 1);
		/* The library reports the same. */
		ASSERT_EQ(ipcchan_recv(fd, buf, sizeof(buf), NULL, 0,
				       IPCCHAN_WAIT_FOREVER), -EINTR);
		ASSERT_EQ(handled, 2);
		child_exit();
	}
	wait_blocked(pid, IN_IOCTL);
	kill(pid, SIGUSR1);
	/* Once the handler ran, the first call is over. */
	ASSERT_EQ(sync_recv(&sig), SIGUSR1);
	wait_blocked(pid, IN_IOCTL);
	kill(pid, SIGUSR1);
	ASSERT_CHILD_OK(pid);
	ASSERT_EQ(chan_msgs(fd), 0);
}

/*
 * before: a receiver blocked, with an SA_RESTART handler
 * after:  the signal is handled, the receive goes on waiting and then
 *         returns the message that comes later
 */
TEST(signal_restart)
{
	int fd = chan_new(NULL, RS, 0600, 0, 0, 0);
	struct sync sig;
	pid_t pid;

	sync_init(&sig);
	pid = xfork();
	if (pid == 0) {
		char buf[8] = { 0 };

		handler_fd = sig.fd[1];
		set_handler(SIGUSR1, on_signal, SA_RESTART);
		ASSERT_EQ(raw_recv(fd, buf, sizeof(buf), 0, 0), 4);
		ASSERT_EQ(handled, 1);
		ASSERT_MEMEQ(buf, "late", 4);
		child_exit();
	}
	wait_blocked(pid, IN_IOCTL);
	kill(pid, SIGUSR1);
	ASSERT_EQ(sync_recv(&sig), SIGUSR1);
	/* Back in the same call, waiting again. */
	wait_blocked(pid, IN_IOCTL);
	msleep(SETTLE_MS);
	assert_running(pid);
	send_str(fd, "late");
	ASSERT_CHILD_OK(pid);
}

/* A timed wait always ends with EINTR, SA_RESTART or not. */
TEST(signal_timed_eintr)
{
	int fd = chan_new(NULL, RS, 0600, 0, 0, 0);
	pid_t pid;

	require_timeout();
	pid = xfork();
	if (pid == 0) {
		char buf[8];
		int64_t t0 = now_ns();

		set_handler(SIGUSR1, on_signal, SA_RESTART);
		ASSERT_EQ(raw_recv(fd, buf, sizeof(buf), IPCCHAN_XFER_TIMEOUT,
				   15 * NS_PER_SEC), -EINTR);
		ASSERT_EQ(handled, 1);
		ASSERT_LT(now_ns() - t0, 15 * NS_PER_SEC);
		child_exit();
	}
	wait_blocked(pid, IN_IOCTL);
	kill(pid, SIGUSR1);
	ASSERT_CHILD_OK(pid);
}

/* A blocked send ends with EINTR too, and queues nothing. */
TEST(signal_send_eintr)
{
	int fd = chan_new(NULL, RS, 0600, 16, 1, 0);
	struct ipcchan_chan_info ci;
	pid_t pid;

	send_str(fd, "full");
	pid = xfork();
	if (pid == 0) {
		set_handler(SIGUSR1, on_signal, 0);
		ASSERT_EQ(raw_send(fd, "x", 1, 0, 0), -EINTR);
		child_exit();
	}
	wait_blocked(pid, IN_IOCTL);
	kill(pid, SIGUSR1);
	ASSERT_CHILD_OK(pid);
	chan_info(fd, &ci);
	ASSERT_EQ(ci.msgs, 1);
	ASSERT_EQ(ci.next_seq, 2);
	recv_str(fd, "full");
}

/* SIGSTOP and SIGCONT, with no handler: the receive carries on unseen. */
TEST(stop_cont)
{
	int fd = chan_new(NULL, RS, 0600, 0, 0, 0);
	int64_t deadline;
	pid_t pid = xfork();

	if (pid == 0) {
		char buf[8] = { 0 };

		ASSERT_EQ(raw_recv(fd, buf, sizeof(buf), 0, 0), 4);
		ASSERT_MEMEQ(buf, "cont", 4);
		child_exit();
	}
	wait_blocked(pid, IN_IOCTL);
	kill(pid, SIGSTOP);
	deadline = now_ns() + WAIT_NS;
	while (proc_state(pid) != 'T' && proc_state(pid) != 't') {
		ASSERT_LT(now_ns(), deadline, "child never stopped");
		msleep(5);
	}
	kill(pid, SIGCONT);
	wait_blocked(pid, IN_IOCTL);
	send_str(fd, "cont");
	ASSERT_CHILD_OK(pid);
}

/* SIGKILL ends a blocked receiver; the channel is none the worse. */
TEST(sigkill_blocked)
{
	char name[IPCCHAN_NAME_MAX];
	struct ipcchan_chan_info ci;
	int fd = chan_new(name, IPCCHAN_OPEN_SEND, 0600, 0, 0, 0);
	pid_t pid = xfork();

	if (pid == 0) {
		int r = chan_get(name, IPCCHAN_OPEN_RECV);
		char buf[8];

		ipcchan_recv(r, buf, sizeof(buf), NULL, 0,
			     IPCCHAN_WAIT_FOREVER);
		_exit(3);
	}
	wait_blocked(pid, IN_IOCTL);
	kill(pid, SIGKILL);
	ASSERT_EQ(wait_exit(pid, CHILD_MS), 128 + SIGKILL);
	chan_info(fd, &ci);
	ASSERT_EQ(ci.receivers, 0);
	send_str(fd, "after");
	ASSERT_EQ(chan_msgs(fd), 1);
}

/* A timed send that a receiver unblocks before its timeout. */
TEST(timed_send_succeeds)
{
	int fd = chan_new(NULL, RS, 0600, 16, 1, 0);
	pid_t pid;

	require_timeout();
	send_str(fd, "first");
	pid = xfork();
	if (pid == 0) {
		ASSERT_EQ(ipcchan_send(fd, "second", 6, 0, 15 * NS_PER_SEC), 0);
		child_exit();
	}
	wait_blocked(pid, IN_IOCTL);
	recv_str(fd, "first");
	ASSERT_CHILD_OK(pid);
	recv_str(fd, "second");
}

/* Forks a sender of @len bytes that must get through, blocking. */
static pid_t blocked_sender(int fd, size_t len)
{
	pid_t pid = xfork();

	if (pid == 0) {
		static char buf[128];

		ASSERT_EQ(ipcchan_send(fd, buf, len, 0, IPCCHAN_WAIT_FOREVER),
			  0);
		child_exit();
	}
	wait_blocked(pid, IN_IOCTL);
	return pid;
}

/* Reaps one child of @pids that has ended, within WAIT_MS; its index. */
static int reap_one(const pid_t *pids, int n)
{
	pid_t done = 0;
	int i, status = 0;

	for (i = 0; i < WAIT_MS / 10 && done <= 0; i++) {
		done = waitpid(-1, &status, WNOHANG);
		if (!done)
			msleep(10);
	}
	ASSERT_GT(done, 0, "no blocked sender got through");
	ASSERT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status));
	for (i = 0; i < n; i++)
		if (pids[i] == done)
			return i;
	ASSERT_TRUE(false, "pid %d is no sender", (int)done);
	return -1;
}

/*
 * before: four senders blocked on a full channel (max_msgs 1)
 * after:  one receive wakes exactly one of them: the others stay asleep,
 *         and do not wake only to find the room gone and sleep again; four
 *         receives let all four through
 */
TEST(one_receive_wakes_one_sender)
{
	int fd = chan_new(NULL, RS, 0600, 16, 1, 0);
	unsigned long before[4];
	bool gone[4] = {};
	pid_t pids[4];
	char buf[16];
	int i, j, woken = 0;

	send_str(fd, "full");
	for (i = 0; i < 4; i++)
		pids[i] = blocked_sender(fd, 1);
	for (i = 0; i < 4; i++)
		before[i] = voluntary_switches(pids[i]);
	ASSERT_EQ(recv_ok(fd, buf, sizeof(buf), NULL), 4);
	i = reap_one(pids, 4);
	gone[i] = true;
	msleep(200);
	for (i = 0; i < 4; i++) {
		if (gone[i])
			continue;
		wait_blocked(pids[i], IN_IOCTL);
		if (voluntary_switches(pids[i]) != before[i])
			woken++;
	}
	EXPECT_EQ(woken, 0, "%d senders were woken for room they did not get",
		  woken);
	/* Each receive lets one more through. */
	for (j = 1; j < 4; j++) {
		ASSERT_EQ(recv_ok(fd, buf, sizeof(buf), NULL), 1);
		i = reap_one(pids, 4);
		ASSERT_FALSE(gone[i]);
		gone[i] = true;
	}
	ASSERT_EQ(chan_msgs(fd), 1);
}

/*
 * before: max_bytes 100 with 60 + 30 bytes queued; blocked behind them a
 *         sender of 80 bytes, then one of 20
 * after:  the receive of the 60 makes room for the 20, not for the 80: the
 *         second sender gets through although the first was woken first if
 *         anyone was; the receive of the 30 then lets the 80 in
 */
TEST(room_wakes_the_sender_it_fits)
{
	int fd = chan_new(NULL, RS, 0600, 100, 10, 100);
	char buf[100] = {};
	pid_t pids[2];

	send_ok(fd, buf, 60);
	send_ok(fd, buf, 30);
	pids[0] = blocked_sender(fd, 80);
	pids[1] = blocked_sender(fd, 20);
	ASSERT_EQ(recv_ok(fd, buf, sizeof(buf), NULL), 60);
	ASSERT_EQ(reap_one(pids, 2), 1, "the sender that fits got through");
	msleep(SETTLE_MS);
	wait_blocked(pids[0], IN_IOCTL);
	ASSERT_EQ(recv_ok(fd, buf, sizeof(buf), NULL), 30);
	ASSERT_EQ(reap_one(pids, 2), 0);
	ASSERT_EQ(chan_msgs(fd), 2);
}

/*
 * before: max_msg_size 1000, max_msgs 1, one message queued; blocked
 *         behind it a sender of 1000 bytes, then one of 100
 * after:  IPCCHAN_CMD_SET lowers max_msg_size and max_bytes to 500: the
 *         sender of 1000 bytes fails at once with EMSGSIZE, as a send of
 *         it would now (it slept for ever before: no room could ever fit
 *         it); the sender of 100 stays blocked, and gets through when a
 *         receive makes room
 */
TEST(set_limits_fails_blocked_sender_too_big)
{
	char name[IPCCHAN_NAME_MAX];
	int fd = chan_new(name, RS, 0600, 1000, 1, 1000);
	static char buf[1000];
	pid_t big, small;
	int64_t t0;

	send_ok(fd, buf, 1);
	big = xfork();
	if (big == 0) {
		ASSERT_EQ(ipcchan_send(fd, buf, sizeof(buf), 0,
				       IPCCHAN_WAIT_FOREVER), -EMSGSIZE);
		child_exit();
	}
	wait_blocked(big, IN_IOCTL);
	small = blocked_sender(fd, 100);
	t0 = now_ns();
	ASSERT_EQ(ipcchan_nl_set_limits(name, 500, 0, 500), 0);
	ASSERT_EQ(u_wait_exit(big, 5000), 0,
		  "the sender of 1000 bytes did not fail with EMSGSIZE");
	printf("# EMSGSIZE after %.1f ms\n", (now_ns() - t0) / 1e6);
	msleep(SETTLE_MS);
	wait_blocked(small, IN_IOCTL);
	ASSERT_EQ(recv_ok(fd, buf, sizeof(buf), NULL), 1);
	ASSERT_CHILD_OK(small);
	ASSERT_EQ(recv_ok(fd, buf, sizeof(buf), NULL), 100);
}

TEST_MAIN("block")
