// SPDX-License-Identifier: GPL-2.0
/*
 * Synchronous sends (IPCCHAN_XFER_SYNC) and rendezvous channels
 * (IPCCHAN_OPEN_RENDEZVOUS): a send returns once a receiver has taken its
 * message, or withdraws it and fails; the races between a taker and a
 * timeout or a signal, checked message by message; hang-up both ways;
 * nonblocking sends and the hand-over to a waiting receiver; batches and
 * packed batches; poll on a rendezvous; a receive that fails; budgets;
 * a receiver that stalls its copy (it cannot hold the sender); a batch's
 * deadline; exactly once under races and SIGKILL; the wake-ups of a
 * withdrawn hand-over.
 */
#include "util.h"

#include <linux/userfaultfd.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define SYNC		IPCCHAN_XFER_SYNC
#define RDV		(RS | IPCCHAN_OPEN_RENDEZVOUS)
#define STOP		0xffffffffU
/* Iterations of the race tests. */
#define RACE_N		600

static volatile sig_atomic_t handled;

static void on_signal(int sig)
{
	(void)sig;
	handled++;
}

static void require_sync(void)
{
	struct ipcchan_version v;

	get_version(&v);
	if (!(v.features & IPCCHAN_FEAT_SYNC))
		SKIP("no IPCCHAN_FEAT_SYNC");
}

static int send_u32(int fd, __u32 v, unsigned int flags, int64_t timeout)
{
	return ipcchan_send(fd, &v, sizeof(v), flags, timeout);
}

static __u32 info_msgs(int fd)
{
	struct ipcchan_chan_info ci;

	chan_info(fd, &ci);
	return ci.msgs;
}

static __u64 info_bytes(int fd)
{
	struct ipcchan_chan_info ci;

	chan_info(fd, &ci);
	return ci.bytes;
}

/* A child that receives one message into @buf and checks it is @s. */
static pid_t recv_child(int fd, const char *s)
{
	pid_t pid = xfork();

	if (pid == 0) {
		char buf[64];
		ssize_t n = ipcchan_recv(fd, buf, sizeof(buf), NULL, 0,
					 WAIT_NS);

		ASSERT_EQ(n, (ssize_t)strlen(s));
		ASSERT_MEMEQ(buf, s, strlen(s));
		child_exit();
	}
	return pid;
}

TEST(feature_advertised)
{
	struct ipcchan_version v;

	get_version(&v);
	ASSERT_TRUE(v.features & IPCCHAN_FEAT_SYNC);
}

/*
 * before: an empty channel, a child sending synchronously
 * after:  the child stays blocked, with its message queued, until this
 *	   process receives it; then its send returns 0
 */
TEST(send_waits_for_taker)
{
	int fd = chan_new(NULL, RS, 0600, 0, 0, 0);
	pid_t pid;

	require_sync();
	pid = xfork();
	if (pid == 0) {
		ASSERT_EQ(ipcchan_send(fd, "hello", 5, SYNC,
				       IPCCHAN_WAIT_FOREVER), 0);
		child_exit();
	}
	wait_blocked(pid, IN_IOCTL);
	msleep(SETTLE_MS);
	assert_running(pid);
	ASSERT_EQ(info_msgs(fd), 1);
	recv_str(fd, "hello");
	ASSERT_CHILD_OK(pid);
	ASSERT_EQ(info_msgs(fd), 0);
}

/* A synchronous send with a timeout and no receiver withdraws its message. */
TEST(timeout_withdraws)
{
	int fd = chan_new(NULL, RS, 0600, 0, 0, 0);
	char buf[8];

	require_sync();
	ASSERT_EQ(ipcchan_send(fd, "late", 4, SYNC, 30 * NS_PER_MS),
		  -ETIMEDOUT);
	ASSERT_EQ(info_msgs(fd), 0);
	ASSERT_EQ(info_bytes(fd), 0);
	ASSERT_EQ(ipcchan_recv(fd, buf, sizeof(buf), NULL,
			       IPCCHAN_XFER_NONBLOCK, IPCCHAN_WAIT_FOREVER),
		  -EAGAIN);
	/* The channel works on as before. */
	send_str(fd, "next");
	recv_str(fd, "next");
}

/* A signal without SA_RESTART: EINTR, and the message is gone. */
TEST(signal_withdraws)
{
	int fd = chan_new(NULL, RS, 0600, 0, 0, 0);
	char buf[8];
	pid_t pid;

	require_sync();
	pid = xfork();
	if (pid == 0) {
		set_handler(SIGUSR1, on_signal, 0);
		ASSERT_EQ(ipcchan_send(fd, "sig", 3, SYNC,
				       IPCCHAN_WAIT_FOREVER), -EINTR);
		ASSERT_EQ(handled, 1);
		child_exit();
	}
	wait_blocked(pid, IN_IOCTL);
	ASSERT_EQ(info_msgs(fd), 1);
	kill(pid, SIGUSR1);
	ASSERT_CHILD_OK(pid);
	ASSERT_EQ(info_msgs(fd), 0);
	ASSERT_EQ(ipcchan_recv(fd, buf, sizeof(buf), NULL,
			       IPCCHAN_XFER_NONBLOCK, IPCCHAN_WAIT_FOREVER),
		  -EAGAIN);
}

/*
 * With SA_RESTART the call restarts and sends anew: the receiver gets the
 * message once, not twice.
 */
TEST(sa_restart_sends_once)
{
	int fd = chan_new(NULL, RS, 0600, 0, 0, 0);
	char buf[8];
	pid_t pid;

	require_sync();
	pid = xfork();
	if (pid == 0) {
		set_handler(SIGUSR1, on_signal, SA_RESTART);
		ASSERT_EQ(ipcchan_send(fd, "rs", 2, SYNC,
				       IPCCHAN_WAIT_FOREVER), 0);
		ASSERT_EQ(handled, 1);
		child_exit();
	}
	wait_blocked(pid, IN_IOCTL);
	kill(pid, SIGUSR1);
	msleep(SETTLE_MS);
	wait_blocked(pid, IN_IOCTL);
	ASSERT_EQ(info_msgs(fd), 1);
	recv_str(fd, "rs");
	ASSERT_CHILD_OK(pid);
	ASSERT_EQ(ipcchan_recv(fd, buf, sizeof(buf), NULL,
			       IPCCHAN_XFER_NONBLOCK, IPCCHAN_WAIT_FOREVER),
		  -EAGAIN);
}

/* Nonblocking with no receiver waiting: EAGAIN and nothing queued. */
TEST(nonblock_without_receiver)
{
	char name[IPCCHAN_NAME_MAX];
	int fd = chan_new(name, RS, 0600, 0, 0, 0);
	int nb = chan_get(name, IPCCHAN_OPEN_SEND | IPCCHAN_OPEN_NONBLOCK);

	require_sync();
	ASSERT_EQ(ipcchan_send(fd, "x", 1, SYNC | IPCCHAN_XFER_NONBLOCK,
			       IPCCHAN_WAIT_FOREVER), -EAGAIN);
	ASSERT_EQ(ipcchan_send(nb, "x", 1, SYNC, IPCCHAN_WAIT_FOREVER),
		  -EAGAIN);
	ASSERT_EQ(info_msgs(fd), 0);
	/* A queued message is no receiver: still EAGAIN. */
	send_str(fd, "q");
	ASSERT_EQ(ipcchan_send(nb, "x", 1, SYNC, IPCCHAN_WAIT_FOREVER),
		  -EAGAIN);
	ASSERT_EQ(info_msgs(fd), 1);
}

/* Nonblocking with a receiver blocked in a receive: handed straight to it. */
TEST(nonblock_with_waiting_receiver)
{
	int fd = chan_new(NULL, RS, 0600, 0, 0, 0);
	pid_t pid;

	require_sync();
	pid = recv_child(fd, "direct");
	wait_blocked(pid, IN_IOCTL);
	msleep(SETTLE_MS);
	ASSERT_EQ(ipcchan_send(fd, "direct", 6, SYNC | IPCCHAN_XFER_NONBLOCK,
			       IPCCHAN_WAIT_FOREVER), 0);
	ASSERT_CHILD_OK(pid);
	ASSERT_EQ(info_msgs(fd), 0);
}

/*
 * An asynchronous send to a receiver blocked with nothing goes to it: no
 * other receiver, even one that asks right after the send, can take it.
 * (Queued instead, the message would go to whichever asks first.)
 */
TEST(handed_to_the_waiting_receiver)
{
	int fd = chan_new(NULL, RS, 0600, 0, 0, 0);
	char buf[16];
	cpu_set_t one;
	pid_t pid;
	int i;

	require_sync();
	/* One CPU: the send's wake-up does not run the child at once. */
	CPU_ZERO(&one);
	CPU_SET(0, &one);
	ASSERT_EQ(sched_setaffinity(0, sizeof(one), &one), 0);
	for (i = 0; i < 20; i++) {
		pid = recv_child(fd, "mine");
		wait_blocked(pid, IN_IOCTL);
		msleep(20);
		send_str(fd, "mine");
		ASSERT_EQ(ipcchan_recv(fd, buf, sizeof(buf), NULL,
				       IPCCHAN_XFER_NONBLOCK,
				       IPCCHAN_WAIT_FOREVER), -EAGAIN,
			  "round %d", i);
		ASSERT_CHILD_OK(pid);
	}
}

/*
 * The race tests: a receiver that takes messages at an uneven pace, and a
 * sender whose sends end by a timeout or a signal at any moment. Every
 * message a send reported taken was received exactly once, every other one
 * never.
 */
struct race {
	volatile int stop;
	int results[RACE_N];
	unsigned int received[RACE_N];
	unsigned int bad;
};

static void race_receiver(int fd, struct race *r)
{
	unsigned int spin, seed = getpid();
	__u32 v;
	ssize_t n;

	for (;;) {
		n = ipcchan_recv(fd, &v, sizeof(v), NULL, 0, 4 * WAIT_NS);
		ASSERT_EQ(n, (ssize_t)sizeof(v));
		if (v == STOP)
			break;
		if (v < RACE_N)
			__atomic_add_fetch(&r->received[v], 1, __ATOMIC_SEQ_CST);
		else
			r->bad++;
		/* An uneven pace: sometimes at once, sometimes late. */
		for (spin = rand_r(&seed) % 20000; spin; spin--)
			__asm__ volatile("" ::: "memory");
		if (rand_r(&seed) % 8 == 0)
			usleep(rand_r(&seed) % 200);
	}
	child_exit();
}

static void race_check(struct race *r, int ok_err)
{
	unsigned int i, taken = 0, failed = 0;

	for (i = 0; i < RACE_N; i++) {
		if (r->results[i] == 0) {
			EXPECT_EQ(r->received[i], 1, "message %u", i);
			taken++;
		} else {
			EXPECT_EQ(r->results[i], ok_err, "message %u", i);
			EXPECT_EQ(r->received[i], 0, "message %u", i);
			failed++;
		}
	}
	ASSERT_EQ(r->bad, 0);
	printf("# %u taken, %u withdrawn\n", taken, failed);
}

TEST_TIMEOUT(race_taker_vs_timeout, 120)
{
	int fd = chan_new(NULL, RS, 0600, 0, 0, 0);
	struct race *r = shared_alloc(sizeof(*r));
	unsigned int i, seed = 1;
	pid_t pid;

	require_sync();
	pid = xfork();
	if (pid == 0)
		race_receiver(fd, r);
	for (i = 0; i < RACE_N; i++)
		r->results[i] = send_u32(fd, i, SYNC,
					 (rand_r(&seed) % 300) * 1000);
	ASSERT_EQ(send_u32(fd, STOP, 0, WAIT_NS), 0);
	ASSERT_CHILD_OK(pid);
	race_check(r, -ETIMEDOUT);
	ASSERT_EQ(info_msgs(fd), 0);
}

TEST_TIMEOUT(race_taker_vs_signal, 120)
{
	int fd = chan_new(NULL, RS, 0600, 0, 0, 0);
	struct race *r = shared_alloc(sizeof(*r));
	pid_t pid, killer, self = getpid();
	unsigned int i;

	require_sync();
	set_handler(SIGUSR1, on_signal, 0);
	pid = xfork();
	if (pid == 0)
		race_receiver(fd, r);
	killer = xfork();
	if (killer == 0) {
		unsigned int seed = 7;

		while (!r->stop) {
			kill(self, SIGUSR1);
			usleep(rand_r(&seed) % 300);
		}
		child_exit();
	}
	for (i = 0; i < RACE_N; i++)
		r->results[i] = send_u32(fd, i, SYNC, IPCCHAN_WAIT_FOREVER);
	r->stop = 1;
	ASSERT_CHILD_OK(killer);
	ASSERT_EQ(send_u32(fd, STOP, 0, WAIT_NS), 0);
	ASSERT_CHILD_OK(pid);
	race_check(r, -EINTR);
	ASSERT_GT(handled, 0);
}

/*
 * Many senders and many receivers on a rendezvous channel, by write() and
 * read(): each message is received exactly once, and every send returned
 * only once its message was taken (so at the end nothing is queued).
 */
#define RDV_SENDERS	4
#define RDV_RECEIVERS	3
#define RDV_EACH	100

TEST_TIMEOUT(rendezvous_many_to_many, 120)
{
	unsigned int *seen = shared_alloc(RDV_SENDERS * RDV_EACH *
					  sizeof(*seen));
	pid_t senders[RDV_SENDERS], receivers[RDV_RECEIVERS];
	int fd = chan_new(NULL, RDV, 0600, 0, 0, 0);
	unsigned int i, j;

	require_sync();
	for (i = 0; i < RDV_RECEIVERS; i++) {
		receivers[i] = xfork();
		if (receivers[i] == 0) {
			__u32 v;

			for (;;) {
				ASSERT_EQ(read(fd, &v, sizeof(v)),
					  (ssize_t)sizeof(v));
				if (v == STOP)
					child_exit();
				ASSERT_LT(v, RDV_SENDERS * RDV_EACH);
				__atomic_add_fetch(&seen[v], 1,
						   __ATOMIC_SEQ_CST);
			}
		}
	}
	for (i = 0; i < RDV_SENDERS; i++) {
		senders[i] = xfork();
		if (senders[i] == 0) {
			for (j = 0; j < RDV_EACH; j++) {
				__u32 v = i * RDV_EACH + j;

				ASSERT_EQ(write(fd, &v, sizeof(v)),
					  (ssize_t)sizeof(v));
			}
			child_exit();
		}
	}
	for (i = 0; i < RDV_SENDERS; i++)
		ASSERT_CHILD_OK(senders[i]);
	for (i = 0; i < RDV_RECEIVERS; i++)
		ASSERT_EQ(send_u32(fd, STOP, 0, WAIT_NS), 0);
	for (i = 0; i < RDV_RECEIVERS; i++)
		ASSERT_CHILD_OK(receivers[i]);
	for (i = 0; i < RDV_SENDERS * RDV_EACH; i++)
		EXPECT_EQ(seen[i], 1, "message %u", i);
	ASSERT_EQ(info_msgs(fd), 0);
}

/* A rendezvous queues nothing: each write() waits for its reader. */
TEST(rendezvous_write_waits)
{
	int fd = chan_new(NULL, RDV, 0600, 0, 0, 0);
	struct ipcchan_chan_info ci;
	pid_t pid;

	require_sync();
	chan_info(fd, &ci);
	ASSERT_EQ(ci.chan_flags & IPCCHAN_CHAN_RENDEZVOUS,
		  IPCCHAN_CHAN_RENDEZVOUS);
	pid = xfork();
	if (pid == 0) {
		ASSERT_EQ(write(fd, "w1", 2), 2);
		ASSERT_EQ(ipcchan_send(fd, "w2", 2, 0, IPCCHAN_WAIT_FOREVER),
			  0);
		child_exit();
	}
	wait_blocked(pid, IN_WRITE);
	msleep(SETTLE_MS);
	assert_running(pid);
	ASSERT_EQ(info_msgs(fd), 1);
	recv_str(fd, "w1");
	wait_blocked(pid, IN_IOCTL);
	ASSERT_EQ(info_msgs(fd), 1);
	recv_str(fd, "w2");
	ASSERT_CHILD_OK(pid);
	/* Nonblocking without a reader: EAGAIN, from write() too. */
	set_nonblock(fd, true);
	ASSERT_EQ(write(fd, "nb", 2), -1);
	ASSERT_EQ(errno, EAGAIN);
	ASSERT_EQ(info_msgs(fd), 0);
}

/* RENDEZVOUS is for a creation only, and an open of one ignores it. */
TEST(rendezvous_flag_rules)
{
	char name[IPCCHAN_NAME_MAX], plain[IPCCHAN_NAME_MAX];
	struct ipcchan_chan_info ci;
	int fd, fd2;

	require_sync();
	fd = chan_new(name, RDV, 0600, 0, 0, 0);
	ASSERT_EQ(ipcchan_chan_open(IPCCHAN_DEV_AUTO, name,
				    RS | IPCCHAN_OPEN_RENDEZVOUS, NULL),
		  -EINVAL);
	fd2 = chan_new(plain, RS, 0600, 0, 0, 0);
	chan_info(fd2, &ci);
	ASSERT_EQ(ci.chan_flags, 0);
	/* CREATE of an existing plain channel: stays plain. */
	fd2 = ipcchan_chan_open(IPCCHAN_DEV_AUTO, plain,
				RS | IPCCHAN_OPEN_CREATE |
				IPCCHAN_OPEN_RENDEZVOUS, NULL);
	ASSERT_GE(fd2, 0);
	chan_info(fd2, &ci);
	ASSERT_EQ(ci.chan_flags, 0);
	chan_info(fd, &ci);
	ASSERT_EQ(ci.chan_flags, IPCCHAN_CHAN_RENDEZVOUS);
}

/* SYNC on a receive is EINVAL; a send on a receive-only fd EBADF. */
TEST(bad_flags_and_fds)
{
	char name[IPCCHAN_NAME_MAX], buf[8];
	struct ipcchan_mmsg m = { .buf = u64_ptr(buf), .len = sizeof(buf) };
	int fd = chan_new(name, RS, 0600, 0, 0, 0);
	int ro = chan_get(name, IPCCHAN_OPEN_RECV);

	require_sync();
	send_str(fd, "m");
	ASSERT_EQ(ipcchan_recv(fd, buf, sizeof(buf), NULL, SYNC, 0), -EINVAL);
	ASSERT_EQ(ipcchan_recv_batch(fd, &m, 1, SYNC, 0), -EINVAL);
	ASSERT_EQ(ipcchan_recv_packed(fd, buf, sizeof(buf), 1, NULL, SYNC, 0),
		  -EINVAL);
	ASSERT_EQ(ipcchan_send(ro, "x", 1, SYNC, 0), -EBADF);
	ASSERT_EQ(info_msgs(fd), 1);
}

/*
 * Hang-up: a synchronous send waits while a receiving fd is open; when the
 * last one closes, it fails with EPIPE and its message is withdrawn.
 */
TEST(hangup_last_receiver_closes)
{
	char name[IPCCHAN_NAME_MAX];
	int fd = chan_new(name, RS, 0600, 0, 0, 0);
	int tx = chan_get(name, IPCCHAN_OPEN_SEND);
	pid_t pid;

	require_sync();
	pid = xfork();
	if (pid == 0) {
		close(fd);
		ASSERT_EQ(ipcchan_send(tx, "hup", 3, SYNC,
				       IPCCHAN_WAIT_FOREVER), -EPIPE);
		child_exit();
	}
	wait_blocked(pid, IN_IOCTL);
	msleep(SETTLE_MS);
	assert_running(pid);
	close(fd);
	ASSERT_CHILD_OK(pid);
	fd = chan_get(name, IPCCHAN_OPEN_RECV);
	ASSERT_EQ(info_msgs(fd), 0);
}

/*
 * A named channel with no receiver: a synchronous send waits for one to
 * open; unlinking it (so none can) ends the wait with EPIPE.
 */
TEST(hangup_unlinked_without_receiver)
{
	char name[IPCCHAN_NAME_MAX];
	int fd = chan_new(name, RS, 0600, 0, 0, 0);
	int tx = chan_get(name, IPCCHAN_OPEN_SEND);
	pid_t pid;

	require_sync();
	close(fd);
	pid = xfork();
	if (pid == 0) {
		ASSERT_EQ(ipcchan_send(tx, "u", 1, SYNC,
				       IPCCHAN_WAIT_FOREVER), -EPIPE);
		/* And at once, now that it is unlinked. */
		ASSERT_EQ(ipcchan_send(tx, "u", 1, SYNC,
				       IPCCHAN_WAIT_FOREVER), -EPIPE);
		child_exit();
	}
	wait_blocked(pid, IN_IOCTL);
	msleep(SETTLE_MS);
	assert_running(pid);
	chan_unlink(name);
	ASSERT_CHILD_OK(pid);
}

/* A receiver that opens later takes the message: the send succeeds. */
TEST(waits_for_a_receiver_to_open)
{
	char name[IPCCHAN_NAME_MAX];
	int fd = chan_new(name, IPCCHAN_OPEN_SEND, 0600, 0, 0, 0);
	pid_t pid;
	int rx;

	require_sync();
	pid = xfork();
	if (pid == 0) {
		ASSERT_EQ(ipcchan_send_sync(fd, "later", 5,
					    IPCCHAN_WAIT_FOREVER), 0);
		child_exit();
	}
	wait_blocked(pid, IN_IOCTL);
	rx = chan_get(name, IPCCHAN_OPEN_RECV);
	recv_str(rx, "later");
	ASSERT_CHILD_OK(pid);
}

/*
 * A receive that fails (its buffer faults) has not taken the message: the
 * sender still waits, and the next receive takes it.
 */
TEST(failed_receive_is_not_taken)
{
	int fd = chan_new(NULL, RS, 0600, 0, 0, 0);
	void *bad = noaccess_page();
	pid_t pid;

	require_sync();
	pid = xfork();
	if (pid == 0) {
		ASSERT_EQ(ipcchan_send(fd, "fault", 5, SYNC,
				       IPCCHAN_WAIT_FOREVER), 0);
		child_exit();
	}
	wait_blocked(pid, IN_IOCTL);
	ASSERT_EQ(ipcchan_recv(fd, bad, 64, NULL, 0, 0), -EFAULT);
	msleep(SETTLE_MS);
	assert_running(pid);
	ASSERT_EQ(info_msgs(fd), 1);
	recv_str(fd, "fault");
	ASSERT_CHILD_OK(pid);
}

/*
 * A nonblocking synchronous send handed to a receiver whose buffer is too
 * short: the receiver gets EMSGSIZE, and the send EAGAIN, withdrawn: it
 * waited only for the copy out, which did not happen.
 */
TEST(nonblock_handed_too_small)
{
	int fd = chan_new(NULL, RS, 0600, 0, 0, 0);
	char buf[8];
	pid_t pid;

	require_sync();
	pid = xfork();
	if (pid == 0) {
		char tiny[2];

		ASSERT_EQ(ipcchan_recv(fd, tiny, sizeof(tiny), NULL, 0,
				       WAIT_NS), -EMSGSIZE);
		child_exit();
	}
	wait_blocked(pid, IN_IOCTL);
	msleep(SETTLE_MS);
	/* Untimed: only the receive's outcome can end it. */
	ASSERT_EQ(ipcchan_send(fd, "too long", 8, SYNC | IPCCHAN_XFER_NONBLOCK,
			       IPCCHAN_WAIT_FOREVER), -EAGAIN);
	ASSERT_CHILD_OK(pid);
	ASSERT_EQ(info_msgs(fd), 0);
	ASSERT_EQ(ipcchan_recv(fd, buf, sizeof(buf), NULL,
			       IPCCHAN_XFER_NONBLOCK, IPCCHAN_WAIT_FOREVER),
		  -EAGAIN);
}

/*
 * A message handed to a receiver whose buffer faults goes back to the
 * head: the blocked synchronous sender still waits, and the next receive
 * takes it.
 */
TEST(handed_then_failed_receive)
{
	int fd = chan_new(NULL, RS, 0600, 0, 0, 0);
	void *bad = noaccess_page();
	pid_t rx, tx;

	require_sync();
	rx = xfork();
	if (rx == 0) {
		ASSERT_EQ(ipcchan_recv(fd, bad, 64, NULL, 0, WAIT_NS),
			  -EFAULT);
		child_exit();
	}
	wait_blocked(rx, IN_IOCTL);
	msleep(SETTLE_MS);
	tx = xfork();
	if (tx == 0) {
		ASSERT_EQ(ipcchan_send(fd, "again", 5, SYNC, WAIT_NS), 0);
		child_exit();
	}
	ASSERT_CHILD_OK(rx);
	wait_blocked(tx, IN_IOCTL);
	assert_running(tx);
	ASSERT_EQ(info_msgs(fd), 1);
	recv_str(fd, "again");
	ASSERT_CHILD_OK(tx);
}

/*
 * A synchronous batch: the receiver takes three of five and stops; the
 * send returns 3 when its timeout ends, and the other two are withdrawn.
 */
static void batch_prefix(bool packed)
{
	int fd = chan_new(NULL, RS, 0600, 0, 0, 0);
	pid_t pid;
	int ret;

	require_sync();
	pid = xfork();
	if (pid == 0) {
		__u32 v;
		int i;

		for (i = 0; i < 3; i++) {
			ASSERT_EQ(ipcchan_recv(fd, &v, sizeof(v), NULL, 0,
					       WAIT_NS), (ssize_t)sizeof(v));
			ASSERT_EQ(v, (__u32)i);
		}
		child_exit();
	}
	if (packed) {
		char buf[512];
		size_t off = 0;
		__u32 i;

		for (i = 0; i < 5; i++)
			memcpy(ipcchan_packed_add(buf, sizeof(buf), &off,
						  sizeof(i)), &i, sizeof(i));
		ret = ipcchan_send_packed(fd, buf, off, 5, SYNC,
					  500 * NS_PER_MS);
	} else {
		struct ipcchan_mmsg m[5];
		__u32 v[5];
		int i;

		for (i = 0; i < 5; i++) {
			v[i] = i;
			m[i] = (struct ipcchan_mmsg) {
				.buf = u64_ptr(&v[i]), .len = sizeof(v[i]),
			};
		}
		ret = ipcchan_send_batch(fd, m, 5, SYNC, 500 * NS_PER_MS);
	}
	ASSERT_EQ(ret, 3);
	ASSERT_CHILD_OK(pid);
	ASSERT_EQ(info_msgs(fd), 0);
}

TEST(batch_taken_prefix)
{
	batch_prefix(false);
}

TEST(packed_taken_prefix)
{
	batch_prefix(true);
}

/* A batch none of whose messages is taken fails with the error. */
TEST(batch_none_taken)
{
	int fd = chan_new(NULL, RS, 0600, 0, 0, 0);
	struct ipcchan_mmsg m[2] = {
		{ .buf = u64_ptr("a"), .len = 1 },
		{ .buf = u64_ptr("b"), .len = 1 },
	};
	char rec[64];
	size_t off = 0;

	require_sync();
	ASSERT_EQ(ipcchan_send_batch(fd, m, 2, SYNC | IPCCHAN_XFER_NONBLOCK,
				     IPCCHAN_WAIT_FOREVER), -EAGAIN);
	ASSERT_EQ(ipcchan_send_batch(fd, m, 2, SYNC, 20 * NS_PER_MS),
		  -ETIMEDOUT);
	memcpy(ipcchan_packed_add(rec, sizeof(rec), &off, 1), "p", 1);
	ASSERT_EQ(ipcchan_send_packed(fd, rec, off, 1,
				      SYNC | IPCCHAN_XFER_NONBLOCK,
				      IPCCHAN_WAIT_FOREVER), -EAGAIN);
	ASSERT_EQ(info_msgs(fd), 0);
}

/*
 * A nonblocking synchronous batch sends as many messages as receivers wait
 * to take: one blocked receiver, one message.
 */
TEST(nonblock_batch_one_per_receiver)
{
	int fd = chan_new(NULL, RS, 0600, 0, 0, 0);
	struct ipcchan_mmsg m[3] = {
		{ .buf = u64_ptr("one"), .len = 3 },
		{ .buf = u64_ptr("two"), .len = 3 },
		{ .buf = u64_ptr("six"), .len = 3 },
	};
	pid_t pid;

	require_sync();
	pid = recv_child(fd, "one");
	wait_blocked(pid, IN_IOCTL);
	msleep(SETTLE_MS);
	ASSERT_EQ(ipcchan_send_batch(fd, m, 3, SYNC | IPCCHAN_XFER_NONBLOCK,
				     IPCCHAN_WAIT_FOREVER), 1);
	ASSERT_CHILD_OK(pid);
	ASSERT_EQ(info_msgs(fd), 0);
}

/*
 * poll on a rendezvous: EPOLLOUT only while a receiver waits in a receive
 * with nothing handed; EPOLLIN on the receiving side while a sender waits.
 */
TEST(rendezvous_poll)
{
	char name[IPCCHAN_NAME_MAX];
	int fd = chan_new(name, RDV, 0600, 0, 0, 0);
	int tx = chan_get(name, IPCCHAN_OPEN_SEND);
	int rx = chan_get(name, IPCCHAN_OPEN_RECV);
	pid_t pid;

	require_sync();
	ASSERT_EQ(poll_fd(tx, POLLOUT, 0), 0);
	ASSERT_EQ(poll_fd(rx, POLLIN, 0), 0);
	pid = recv_child(rx, "polled");
	/* Woken when the receiver starts to wait. */
	ASSERT_EQ(poll_wake(tx, POLLOUT) & POLLOUT, POLLOUT);
	ASSERT_EQ(ipcchan_send(tx, "polled", 6, IPCCHAN_XFER_NONBLOCK,
			       IPCCHAN_WAIT_FOREVER), 0);
	ASSERT_CHILD_OK(pid);
	ASSERT_EQ(poll_fd(tx, POLLOUT, 0), 0);
	/* A sender waiting: EPOLLIN, and still no EPOLLOUT. */
	pid = xfork();
	if (pid == 0) {
		ASSERT_EQ(ipcchan_send(tx, "in", 2, 0, IPCCHAN_WAIT_FOREVER),
			  0);
		child_exit();
	}
	ASSERT_EQ(poll_wake(rx, POLLIN) & POLLIN, POLLIN);
	ASSERT_EQ(poll_fd(tx, POLLOUT, 0), 0);
	recv_str(rx, "in");
	ASSERT_CHILD_OK(pid);
	close(fd);
}

/*
 * A rendezvous's max_msgs bounds the senders' messages waiting: with 1,
 * a second sender waits for room, not just for a taker.
 */
TEST(rendezvous_limits_bound_waiting)
{
	int fd = chan_new(NULL, RDV, 0600, 16, 1, 0);
	pid_t a, b;

	require_sync();
	a = xfork();
	if (a == 0) {
		ASSERT_EQ(ipcchan_send(fd, "a", 1, 0, IPCCHAN_WAIT_FOREVER), 0);
		child_exit();
	}
	wait_blocked(a, IN_IOCTL);
	ASSERT_EQ(info_msgs(fd), 1);
	/* No room for a second sender's message: it waits, then times out. */
	ASSERT_EQ(ipcchan_send(fd, "b", 1, 0, 50 * NS_PER_MS), -ETIMEDOUT);
	ASSERT_EQ(info_msgs(fd), 1);
	recv_str(fd, "a");
	ASSERT_CHILD_OK(a);
	b = xfork();
	if (b == 0) {
		ASSERT_EQ(ipcchan_send(fd, "b", 1, 0, IPCCHAN_WAIT_FOREVER), 0);
		child_exit();
	}
	recv_str(fd, "b");
	ASSERT_CHILD_OK(b);
}

/*
 * Budgets: a withdrawn message gives its charge back. With room in the
 * per-user budget for one large message only, a second can be sent after
 * the first was withdrawn.
 */
TEST(withdrawn_charge_returned)
{
	pid_t pid;

	require_sync();
	if (getuid() != 0)
		SKIP("needs root to set the budget");
	param_set_u64("max_bytes_per_user", 100 * 1024);
	pid = xfork();
	if (pid == 0) {
		char *big = calloc(1, 65536);
		int fd, i;

		ASSERT_TRUE(big != NULL);
		drop_to_nobody();
		fd = chan_new(NULL, RS, 0600, 65536, 4, 0);
		for (i = 0; i < 5; i++)
			ASSERT_EQ(ipcchan_send(fd, big, 65536, SYNC,
					       NS_PER_MS), -ETIMEDOUT,
				  "round %d", i);
		ASSERT_EQ(ipcchan_send(fd, big, 65536, 0, 0), 0);
		ASSERT_EQ(ipcchan_send(fd, big, 65536, 0, 0), -ENOBUFS);
		free(big);
		child_exit();
	}
	ASSERT_CHILD_OK(pid);
}

/*
 * A sender whose timeout passes while the message is being taken still
 * learns the truth. The receiver copies into a buffer that straddles a
 * page it has to fault in from a file; the sender's timeout is very short.
 * Whatever the outcome, it matches what the receiver got.
 */
TEST(outcome_matches_on_a_slow_copy)
{
	int fd = chan_new(NULL, RS, 0600, 0, 0, 0);
	int *got = shared_alloc(2 * sizeof(int));
	unsigned int i;
	pid_t pid;
	int ret;

	require_sync();
	for (i = 0; i < 50; i++) {
		got[0] = got[1] = 0;
		pid = xfork();
		if (pid == 0) {
			char *buf = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE,
					 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			ssize_t n;

			ASSERT_TRUE(buf != MAP_FAILED);
			n = ipcchan_recv(fd, buf + (1 << 20) - 100, 100, NULL,
					 0, WAIT_NS);
			got[0] = n;
			got[1] = buf[(1 << 20) - 100];
			child_exit();
		}
		wait_blocked(pid, IN_IOCTL);
		ret = ipcchan_send(fd, "x", 1, SYNC, (i % 5) * 1000);
		if (ret) {
			ASSERT_EQ(ret, -ETIMEDOUT);
			/* Withdrawn: the receiver must not have it. */
			send_str(fd, "y");
		}
		ASSERT_CHILD_OK(pid);
		ASSERT_EQ(got[0], 1);
		/* Taken: it got "x"; withdrawn: only "y". */
		ASSERT_EQ(got[1], ret ? 'y' : 'x', "round %u", i);
		ASSERT_EQ(info_msgs(fd), 0);
	}
}

/*
 * Runs @argv with stdin /dev/null and stdout captured into @out
 * (NUL-terminated). Returns the exit status, 128 + signal.
 */
static int run_cmd(char *const argv[], char *out, size_t cap)
{
	int pfd[2];
	size_t len = 0;
	ssize_t n;
	pid_t pid;

	ASSERT_EQ(pipe2(pfd, O_CLOEXEC), 0);
	pid = xfork();
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);

		dup2(null, 0);
		dup2(pfd[1], 1);
		execv(argv[0], argv);
		_exit(127);
	}
	close(pfd[1]);
	while (len + 1 < cap &&
	       (n = read(pfd[0], out + len, cap - 1 - len)) > 0)
		len += n;
	out[len] = 0;
	close(pfd[0]);
	return wait_exit(pid, CHILD_MS);
}

/* The ipcchan command in the VM, or the one in the build tree. */
static const char *tool_path(void)
{
	static char path[PATH_MAX + 32];
	char self[PATH_MAX], *slash;
	ssize_t n;

	if (!access("/usr/bin/ipcchan", X_OK))
		return "/usr/bin/ipcchan";
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		self[n] = 0;
		slash = strrchr(self, '/');
		if (slash) {
			*slash = 0;
			snprintf(path, sizeof(path), "%s/../../tools/ipcchan",
				 self);
			if (!access(path, X_OK))
				return path;
		}
	}
	return NULL;
}

/*
 * ipcchan create -r makes a rendezvous channel; ipcchan send -S fails
 * (exit 1, nothing queued) when no receiver takes the message in time,
 * and succeeds when one does.
 */
TEST(tool_rendezvous_and_sync_send)
{
	char name[IPCCHAN_NAME_MAX], plain[IPCCHAN_NAME_MAX], out[256];
	const char *tool = tool_path();
	struct ipcchan_chan_info ci;
	pid_t pid;
	int fd;

	require_sync();
	if (!tool)
		SKIP("no ipcchan command");
	new_name(name);
	{
		char *argv[] = { (char *)tool, "create", "-r", "-m", "0666",
				 name, NULL };

		ASSERT_EQ(run_cmd(argv, out, sizeof(out)), 0, "%s", out);
	}
	fd = chan_get(name, RS);
	chan_info(fd, &ci);
	ASSERT_EQ(ci.chan_flags, IPCCHAN_CHAN_RENDEZVOUS);
	fd = chan_new(plain, RS, 0666, 0, 0, 0);
	{
		char *argv[] = { (char *)tool, "send", "-S", "-t", "50", plain,
				 "late", NULL };

		ASSERT_EQ(run_cmd(argv, out, sizeof(out)), 1, "%s", out);
		ASSERT_EQ(info_msgs(fd), 0);
	}
	pid = recv_child(fd, "taken");
	{
		char *argv[] = { (char *)tool, "send", "-S", plain, "taken",
				 NULL };

		ASSERT_EQ(run_cmd(argv, out, sizeof(out)), 0, "%s", out);
	}
	ASSERT_CHILD_OK(pid);
}


/*
 * A receiver whose buffer is a userfaultfd page that is not served (an
 * unprivileged one would use a FUSE mapping) stalls any copy into it. The
 * copy of a synchronous message cannot fault: it falls short, the message
 * goes back to the head, and the receiver faults its page in with nothing
 * taken. So the sender is not held: a timed send ends at its timeout
 * (ETIMEDOUT, withdrawn), a nonblocking one at once (EAGAIN), an untimed
 * one at a signal (EINTR); none of them is ever received. Once the page is
 * served, the receiver takes the next message sent, and nothing is lost.
 * Before the fix the sender waited, killable only, until the page was
 * served (here after 5 s).
 */
struct stall {
	volatile char state;	/* 'U': no userfaultfd; 'R': ready; 'F': faulted */
	volatile char serve;
	int n;
	char got[16];
};

struct stall_uffd {
	int uffd;
	unsigned long page;
	struct stall *sh;
};

static void *stall_server(void *p)
{
	struct stall_uffd *a = p;
	struct pollfd pfd = { .fd = a->uffd, .events = POLLIN };
	struct uffdio_zeropage zp = {};
	struct uffd_msg m;
	int i;

	if (poll(&pfd, 1, 10000) != 1 ||
	    read(a->uffd, &m, sizeof(m)) != sizeof(m))
		return NULL;
	a->sh->state = 'F';
	/* Served when the test says, or after 5 s (a held sender's end). */
	for (i = 0; i < 500 && !a->sh->serve; i++)
		msleep(10);
	zp.range.start = a->page;
	zp.range.len = page_size();
	ioctl(a->uffd, UFFDIO_ZEROPAGE, &zp);
	return NULL;
}

static void stall_receiver(int fd, struct stall *sh)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = {};
	struct stall_uffd a = { .sh = sh };
	pthread_t th;
	char *buf;

	a.uffd = syscall(SYS_userfaultfd, O_CLOEXEC);
	if (a.uffd < 0 || ioctl(a.uffd, UFFDIO_API, &api)) {
		sh->state = 'U';
		child_exit();
	}
	buf = mmap(NULL, page_size(), PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(buf != MAP_FAILED);
	a.page = (unsigned long)buf;
	reg.range.start = a.page;
	reg.range.len = page_size();
	reg.mode = UFFDIO_REGISTER_MODE_MISSING;
	ASSERT_EQ(ioctl(a.uffd, UFFDIO_REGISTER, &reg), 0);
	ASSERT_EQ(pthread_create(&th, NULL, stall_server, &a), 0);
	sh->state = 'R';
	sh->n = ipcchan_recv(fd, buf, sizeof(sh->got), NULL, 0, 3 * WAIT_NS);
	if (sh->n > 0)
		memcpy(sh->got, buf, sh->n);
	pthread_join(th, NULL);
	child_exit();
}

static void stall_case(bool nonblock)
{
	int fd = chan_new(NULL, RS, 0600, 0, 0, 0);
	struct stall *sh = shared_alloc(sizeof(*sh));
	int64_t t0, dt;
	pid_t pid;
	int ret;

	require_sync();
	pid = xfork();
	if (pid == 0)
		stall_receiver(fd, sh);
	for (ret = 0; ret < 1000 && !sh->state; ret++)
		msleep(10);
	if (sh->state == 'U') {
		ASSERT_CHILD_OK(pid);
		SKIP("no userfaultfd");
	}
	wait_blocked(pid, IN_IOCTL);
	/* Handed to the receiver, whose copy stalls. */
	t0 = now_ns();
	if (nonblock)
		ret = ipcchan_send(fd, "x", 1, SYNC | IPCCHAN_XFER_NONBLOCK,
				   IPCCHAN_WAIT_FOREVER);
	else
		ret = ipcchan_send(fd, "x", 1, SYNC, 100 * NS_PER_MS);
	dt = now_ns() - t0;
	fprintf(stderr, "# %s send: %d after %lld ms\n",
		nonblock ? "nonblocking" : "timed", ret,
		(long long)(dt / NS_PER_MS));
	ASSERT_EQ(ret, nonblock ? -EAGAIN : -ETIMEDOUT);
	EXPECT_LT(dt, (nonblock ? 500 : 1000) * NS_PER_MS);
	EXPECT_EQ(info_msgs(fd), 0);
	/* The receiver is in its fault now: an untimed send ends at a signal. */
	for (ret = 0; ret < 500 && sh->state != 'F'; ret++)
		msleep(10);
	EXPECT_EQ(sh->state, 'F');
	set_handler(SIGALRM, on_signal, 0);
	ualarm(200000, 0);
	t0 = now_ns();
	ret = ipcchan_send(fd, "y", 1, SYNC, IPCCHAN_WAIT_FOREVER);
	dt = now_ns() - t0;
	ASSERT_EQ(ret, -EINTR);
	EXPECT_LT(dt, 1000 * NS_PER_MS);
	EXPECT_EQ(info_msgs(fd), 0);
	/* Served: the receiver takes the next message, and only it. */
	sh->serve = 1;
	msleep(SETTLE_MS);
	ASSERT_EQ(ipcchan_send(fd, "after", 5, SYNC, WAIT_NS), 0);
	ASSERT_CHILD_OK(pid);
	ASSERT_EQ(sh->n, 5);
	ASSERT_MEMEQ(sh->got, "after", 5);
	EXPECT_EQ(info_msgs(fd), 0);
	EXPECT_EQ(info_bytes(fd), 0);
}

TEST(stalled_copy_does_not_hold_sender)
{
	stall_case(false);
}

TEST(stalled_copy_does_not_hold_nonblocking_sender)
{
	stall_case(true);
}

/*
 * A synchronous batch stops at its deadline even when every message is
 * taken at once: BSD_RECV receivers wait, each for one message, and a batch
 * of BSD_RECV messages has a timeout that has passed by its second one.
 * It returns the count taken, promptly; each of those was received
 * exactly once and nothing else was (the other receivers time out).
 * Before the fix it went on past its deadline while receivers waited.
 */
#define BSD_RECV	48

TEST_TIMEOUT(batch_stops_at_deadline, 120)
{
	int fd = chan_new(NULL, RS, 0600, 0, 0, 0);
	int *got = shared_alloc(BSD_RECV * sizeof(int));
	struct ipcchan_mmsg m[BSD_RECV];
	__u32 ids[BSD_RECV];
	pid_t r[BSD_RECV];
	int i, n, received = 0;
	int64_t t0, dt;

	require_sync();
	for (i = 0; i < BSD_RECV; i++) {
		r[i] = xfork();
		if (r[i] == 0) {
			__u32 v;
			ssize_t k = ipcchan_recv(fd, &v, sizeof(v), NULL, 0,
						 2 * NS_PER_SEC);

			got[i] = k == 4 ? (int)v + 1 : (int)k;
			child_exit();
		}
		wait_blocked(r[i], IN_IOCTL);
	}
	for (i = 0; i < BSD_RECV; i++) {
		ids[i] = i;
		m[i] = (struct ipcchan_mmsg){ .buf = (uintptr_t)&ids[i], .len = 4 };
	}
	t0 = now_ns();
	n = ipcchan_send_batch(fd, m, BSD_RECV, SYNC, 1000);
	dt = now_ns() - t0;
	for (i = 0; i < BSD_RECV; i++)
		ASSERT_CHILD_OK(r[i]);
	fprintf(stderr, "# batch of %d, timeout 1 us: %d taken in %lld us\n",
		BSD_RECV, n, (long long)(dt / 1000));
	ASSERT_TRUE(n >= 1 && n < BSD_RECV / 2, "batch returned %d", n);
	EXPECT_LT(dt, 500 * NS_PER_MS);
	for (i = 0; i < BSD_RECV; i++) {
		if (got[i] > 0) {
			received++;
			EXPECT_LT(got[i] - 1, n);
		} else {
			EXPECT_EQ(got[i], -ETIMEDOUT);
		}
	}
	EXPECT_EQ(received, n);
	EXPECT_EQ(info_msgs(fd), 0);
}

/*
 * Exactly once under races: synchronous senders with tiny timeouts,
 * nonblocking sends, batches and signals against receivers of every kind
 * (single, batch, read(), packed), some of which fail (EFAULT, EMSGSIZE:
 * put back). A send that succeeded was received exactly once, one that
 * failed never; the channel is empty at the end.
 */

#define XO_NSEND		4
#define XO_NRECV		4
#define XO_PER_SENDER	400
#define XO_NIDS		(XO_NSEND * XO_PER_SENDER)

struct xo_race {
	int result[XO_NIDS];	/* 1 + -errno... : 1 ok, -e failed, 0 not sent */
	int got[XO_NIDS];
	volatile int stop;
};

static void xo_sender(int fd, struct xo_race *sh, int who)
{
	unsigned int i, seed = 1234 + who;

	set_handler(SIGUSR1, on_signal, 0);
	for (i = 0; i < XO_PER_SENDER; i++) {
		__u32 id = who * XO_PER_SENDER + i;
		unsigned int r = rand_r(&seed);
		int ret;

		if ((r & 7) == 0) {
			/* a batch of two: the first id and a sentinel */
			__u32 ids[2] = { id, 0xffffffffU };
			struct ipcchan_mmsg m[2] = {
				{ .buf = (uintptr_t)&ids[0], .len = 4 },
				{ .buf = (uintptr_t)&ids[1], .len = 4 },
			};

			ret = ipcchan_send_batch(fd, m, 1, SYNC,
						 (r >> 8) % 200000);
			sh->result[id] = ret == 1 ? 1 : (ret < 0 ? ret : -1000);
			continue;
		}
		if ((r & 7) == 1)
			ret = ipcchan_send(fd, &id, 4, SYNC |
					   IPCCHAN_XFER_NONBLOCK, -1);
		else
			ret = ipcchan_send(fd, &id, 4, SYNC,
					   (r >> 8) % ((r & 16) ? 300000 : 20000));
		sh->result[id] = ret == 0 ? 1 : ret;
	}
}

static void xo_note_got(struct xo_race *sh, __u32 id)
{
	if (id < XO_NIDS)
		__atomic_add_fetch(&sh->got[id], 1, __ATOMIC_SEQ_CST);
	else
		__atomic_add_fetch(&sh->got[0], 1000000, __ATOMIC_SEQ_CST);
}

static void xo_receiver(int fd, struct xo_race *sh, int who)
{
	unsigned int seed = 99 + who;
	void *bad = noaccess_page();

	while (!sh->stop) {
		unsigned int r = rand_r(&seed) % 8;
		__u32 v[4];
		ssize_t n;
		int k;

		switch (r) {
		case 0:	/* EFAULT: put back */
			n = ipcchan_recv(fd, bad, 4, NULL, 0,
					 1000000);
			if (n >= 0)
				xo_note_got(sh, 0xfffffffeU);
			break;
		case 1: { /* batch: second entry bad */
			struct ipcchan_mmsg m[2] = {
				{ .buf = (uintptr_t)&v[0], .len = 4 },
				{ .buf = (uintptr_t)bad, .len = 4 },
			};

			n = ipcchan_recv_batch(fd, m, 2, 0,
					       1000000);
			for (k = 0; k < n; k++)
				xo_note_got(sh, k ? 0xfffffffdU : v[0]);
			break;
		}
		case 2: { /* batch of 3, good */
			struct ipcchan_mmsg m[3] = {
				{ .buf = (uintptr_t)&v[0], .len = 4 },
				{ .buf = (uintptr_t)&v[1], .len = 4 },
				{ .buf = (uintptr_t)&v[2], .len = 4 },
			};

			n = ipcchan_recv_batch(fd, m, 3, 0,
					       1000000);
			for (k = 0; k < n; k++)
				xo_note_got(sh, v[k]);
			break;
		}
		case 3: { /* packed */
			__u64 pbuf[64];
			size_t needed;
			unsigned char *p = (unsigned char *)pbuf;

			n = ipcchan_recv_packed(fd, pbuf, sizeof(pbuf), 4,
						&needed, 0,
						1000000);
			for (k = 0; k < n; k++) {
				struct ipcchan_packed_rec *rec = (void *)p;
				__u32 id;

				memcpy(&id, p + sizeof(*rec), 4);
				xo_note_got(sh, id);
				p += IPCCHAN_PACKED_REC_SIZE(rec->len);
			}
			break;
		}
		case 4: /* too small: EMSGSIZE */
			n = ipcchan_recv(fd, v, 2, NULL, 0,
					 1000000);
			if (n >= 0)
				xo_note_got(sh, 0xfffffffcU);
			break;
		case 5:
			ualarm(2000, 2000);
			n = read(fd, v, 4);
			ualarm(0, 0);
			if (n == 4)
				xo_note_got(sh, v[0]);
			break;
		default:
			n = ipcchan_recv(fd, v, 4, NULL, 0,
					 1000000);
			if (n == 4)
				xo_note_got(sh, v[0]);
			break;
		}
	}
}

TEST_TIMEOUT(race_exactly_once, 300)
{
	int fd = chan_new(NULL, RS, 0600, 0, 0, 0);
	struct xo_race *sh = shared_alloc(sizeof(*sh));
	pid_t s[XO_NSEND], r[XO_NRECV], sig;
	int i, bad = 0, ok = 0, failed = 0;
	struct ipcchan_chan_info ci;

	set_handler(SIGUSR1, on_signal, 0);
	for (i = 0; i < XO_NRECV; i++) {
		r[i] = xfork();
		if (r[i] == 0) {
			set_handler(SIGALRM, on_signal, 0);
			xo_receiver(fd, sh, i);
			child_exit();
		}
	}
	for (i = 0; i < XO_NSEND; i++) {
		s[i] = xfork();
		if (s[i] == 0) {
			xo_sender(fd, sh, i);
			child_exit();
		}
	}
	/* Signals at the senders, to end waits at random points. */
	sig = xfork();
	if (sig == 0) {
		unsigned int seed = 7, k;

		for (k = 0; k < 4000 && !sh->stop; k++) {
			kill(s[rand_r(&seed) % XO_NSEND], SIGUSR1);
			usleep(rand_r(&seed) % 500);
		}
		child_exit();
	}
	for (i = 0; i < XO_NSEND; i++)
		ASSERT_CHILD_OK(s[i]);
	sh->stop = 1;
	ASSERT_CHILD_OK(sig);
	for (i = 0; i < XO_NRECV; i++)
		ASSERT_CHILD_OK(r[i]);
	chan_info(fd, &ci);
	EXPECT_EQ(ci.msgs, 0);
	EXPECT_EQ(ci.bytes, 0);
	for (i = 0; i < XO_NIDS; i++) {
		int want = sh->result[i] == 1 ? 1 : 0;

		if (sh->result[i] == 1)
			ok++;
		else
			failed++;
		if (sh->got[i] != want) {
			if (bad++ < 10)
				fprintf(stderr, "# id %d: send %d, received %d times\n",
					i, sh->result[i], sh->got[i]);
		}
	}
	fprintf(stderr, "# %d ok, %d failed, %d mismatches, info msgs %u bytes %llu\n",
		ok, failed, bad, ci.msgs, (unsigned long long)ci.bytes);
	EXPECT_EQ(bad, 0);
}

/*
 * Sync senders killed (SIGKILL) at random points, some while a receiver
 * holds their message (the abandoned path), receivers that fail and get
 * killed too: at the end the channel is empty and nothing leaks (kmemleak,
 * KASAN on the debug kernel).
 */
TEST_TIMEOUT(kill_storm, 300)
{
	int fd = chan_new(NULL, RS, 0600, 0, 0, 0);
	struct ipcchan_chan_info ci;
	unsigned int seed = 42, round;
	void *bad = noaccess_page();

	for (round = 0; round < 40; round++) {
		pid_t s[4], r[3];
		int i;

		for (i = 0; i < 3; i++) {
			r[i] = xfork();
			if (r[i] == 0) {
				unsigned int sd = round * 7 + i;
				char buf[300];

				for (;;) {
					if (rand_r(&sd) % 3 == 0)
						ipcchan_recv(fd, bad, 300, NULL, 0,
							     1000000);
					else
						ipcchan_recv(fd, buf, 300, NULL,
							     0, 1000000);
				}
			}
		}
		for (i = 0; i < 4; i++) {
			s[i] = xfork();
			if (s[i] == 0) {
				char msg[200];
				unsigned int sd = round * 11 + i;

				memset(msg, 'a' + i, sizeof(msg));
				for (;;)
					ipcchan_send(fd, msg, 1 + rand_r(&sd) % 200,
						     SYNC, rand_r(&sd) % 2 ?
						     -1 : 100000);
			}
		}
		usleep(20000 + rand_r(&seed) % 20000);
		for (i = 0; i < 4; i++) {
			kill(s[i], SIGKILL);
			usleep(rand_r(&seed) % 300);
		}
		for (i = 0; i < 3; i++)
			kill(r[i], SIGKILL);
		for (i = 0; i < 4; i++)
			waitpid(s[i], NULL, 0);
		for (i = 0; i < 3; i++)
			waitpid(r[i], NULL, 0);
		chan_info(fd, &ci);
		if (ci.msgs || ci.bytes)
			fprintf(stderr, "# round %u: msgs %u bytes %llu left\n",
				round, ci.msgs, (unsigned long long)ci.bytes);
		EXPECT_EQ(ci.msgs, 0);
		EXPECT_EQ(ci.bytes, 0);
	}
}

/*
 * The hang-up that a handed message held off: the only sender's message
 * is handed to receiver R1 (whose buffer is too small; R1 is throttled in
 * a cpu cgroup so that it runs late), the sender is SIGKILLed before R1
 * runs (its message is abandoned, its file closed: the last sender, but
 * the message in flight holds off the hang-up), then R1 withdraws the
 * abandoned message. R2, blocked in a receive, gets EPIPE at once, not at
 * its timeout: the withdrawal wakes it.
 */
static void pin0(void)
{
	cpu_set_t one;

	CPU_ZERO(&one);
	CPU_SET(0, &one);
	ASSERT_EQ(sched_setaffinity(0, sizeof(one), &one), 0);
}

static void cg_join(const char *dir)
{
	char path[300], pid[32];

	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	ASSERT_TRUE(cg_write(path, pid), "join %s", path);
}

TEST_TIMEOUT(abandoned_handoff_wakes_receivers, 200)
{
	int *res = shared_alloc(8 * sizeof(int));
	int64_t *end = shared_alloc(2 * sizeof(int64_t));
	unsigned int round, hit = 0, stranded = 0, unseen = 0;
	char cg[256], path[300];

	u_cg_make(cg, sizeof(cg));
	if (!cg_write(CGROUP_ROOT "/cgroup.subtree_control", "+cpu"))
		SKIP("no cpu controller");
	snprintf(path, sizeof(path), "%s/cpu.max", cg);
	if (!cg_write(path, "1000 1000000"))
		SKIP("no cpu.max");
	for (round = 0; round < 3; round++) {
		char name[IPCCHAN_NAME_MAX];
		int fd = chan_new(name, RS, 0600, 0, 0, 0);
		int rfd = chan_get(name, IPCCHAN_OPEN_RECV);
		int sfd = chan_get(name, IPCCHAN_OPEN_SEND);
		pid_t r1, r2, s, hog;
		int64_t t0;

		close(fd);
		res[0] = res[1] = 1;
		hog = xfork();
		if (hog == 0) {
			close(sfd);
			close(rfd);
			pin0();
			cg_join(cg);
			for (;;)
				__asm__ volatile("" ::: "memory");
		}
		r1 = xfork();
		if (r1 == 0) {
			char c;

			close(sfd);
			pin0();
			res[0] = ipcchan_recv(rfd, &c, 1, NULL, 0, 30 * NS_PER_SEC);
			end[0] = now_ns();
			child_exit();
		}
		wait_blocked(r1, IN_IOCTL);
		{
			char procs[300], pid[32];

			snprintf(procs, sizeof(procs), "%s/cgroup.procs", cg);
			snprintf(pid, sizeof(pid), "%d", (int)r1);
			ASSERT_TRUE(cg_write(procs, pid));
		}
		r2 = xfork();
		if (r2 == 0) {
			char buf[64];

			close(sfd);
			t0 = now_ns();
			res[1] = ipcchan_recv(rfd, buf, sizeof(buf), NULL, 0,
					      15 * NS_PER_SEC);
			end[1] = now_ns();
			res[2] = (end[1] - t0) / NS_PER_MS;
			child_exit();
		}
		wait_blocked(r2, IN_IOCTL);
		msleep(20 + round * 137);
		s = xfork();
		if (s == 0) {
			close(rfd);
			ipcchan_send(sfd, "12345678", 8, SYNC, -1);
			_exit(0);
		}
		close(sfd);
		wait_blocked(s, IN_IOCTL);
		kill(s, SIGKILL);
		waitpid(s, NULL, 0);
		msleep(20);
		kill(hog, SIGKILL);
		waitpid(hog, NULL, 0);
		ASSERT_CHILD_OK(r1);
		ASSERT_CHILD_OK(r2);
		fprintf(stderr, "# round %u: R1 %d, R2 %d after %d ms, %lld ms after R1\n",
			round, res[0], res[1], res[2],
			(long long)((end[1] - end[0]) / NS_PER_MS));
		if (res[0] == -EPIPE)
			hit++;
		/*
		 * R1 is throttled (for seconds, if the hog overran its quota):
		 * R2 is timed from R1's return, just after its withdrawal. A
		 * round where R1 ran only after R2's timeout shows nothing.
		 */
		if (end[1] < end[0])
			unseen++;
		else if (end[1] - end[0] > NS_PER_SEC)
			stranded++;
		close(rfd);
	}
	rmdir(cg);
	fprintf(stderr, "# abandoned-and-withdrawn rounds %u, R2 stranded in %u, R1 too late in %u\n",
		hit, stranded, unseen);
	EXPECT_EQ(stranded, 0);
}

/*
 * The same for room: a channel of one message; S1's message handed to R1
 * (too small for it), S2 blocked for room, S1 SIGKILLed, R1 withdraws the
 * abandoned message: the room made wakes S2, whose send succeeds, long
 * before its timeout.
 */
TEST_TIMEOUT(abandoned_handoff_wakes_senders, 200)
{
	int *res = shared_alloc(8 * sizeof(int));
	char cg[256], path[300], name[IPCCHAN_NAME_MAX];
	int fd, rfd, sfd;
	pid_t r1, s1, s2, hog;

	u_cg_make(cg, sizeof(cg));
	if (!cg_write(CGROUP_ROOT "/cgroup.subtree_control", "+cpu"))
		SKIP("no cpu controller");
	snprintf(path, sizeof(path), "%s/cpu.max", cg);
	if (!cg_write(path, "1000 1000000"))
		SKIP("no cpu.max");
	fd = chan_new(name, RS, 0600, 0, 1, 0);
	rfd = chan_get(name, IPCCHAN_OPEN_RECV);
	sfd = chan_get(name, IPCCHAN_OPEN_SEND);
	close(fd);
	hog = xfork();
	if (hog == 0) {
		close(sfd);
		close(rfd);
		pin0();
		cg_join(cg);
		for (;;)
			__asm__ volatile("" ::: "memory");
	}
	r1 = xfork();
	if (r1 == 0) {
		char c[4];
		int64_t t0 = now_ns();

		close(sfd);
		pin0();
		/* The first is handed and withdrawn: it loops inside. */
		res[0] = ipcchan_recv(rfd, c, sizeof(c), NULL, 0,
				      20 * NS_PER_SEC);
		res[1] = (now_ns() - t0) / NS_PER_MS;
		child_exit();
	}
	wait_blocked(r1, IN_IOCTL);
	{
		char procs[300], pid[32];

		snprintf(procs, sizeof(procs), "%s/cgroup.procs", cg);
		snprintf(pid, sizeof(pid), "%d", (int)r1);
		ASSERT_TRUE(cg_write(procs, pid));
	}
	msleep(50);
	s1 = xfork();
	if (s1 == 0) {
		close(rfd);
		ipcchan_send(sfd, "12345678", 8, SYNC, -1);
		_exit(0);
	}
	wait_blocked(s1, IN_IOCTL);
	s2 = xfork();
	if (s2 == 0) {
		int64_t t0 = now_ns();

		close(rfd);
		res[2] = ipcchan_send(sfd, "ok", 2, 0, 15 * NS_PER_SEC);
		res[3] = (now_ns() - t0) / NS_PER_MS;
		child_exit();
	}
	close(sfd);
	wait_blocked(s2, IN_IOCTL);
	kill(s1, SIGKILL);
	waitpid(s1, NULL, 0);
	msleep(20);
	kill(hog, SIGKILL);
	waitpid(hog, NULL, 0);
	ASSERT_CHILD_OK(r1);
	ASSERT_CHILD_OK(s2);
	rmdir(cg);
	fprintf(stderr, "# R1 recv %d after %d ms; S2 send %d after %d ms\n",
		res[0], res[1], res[2], res[3]);
	/* Unwoken, S2 would wait for its timeout: R1 runs in seconds. */
	EXPECT_EQ(res[2], 0);
	EXPECT_EQ(res[0], 2);
	EXPECT_LT(res[3], 12000);
}

/*
 * A batch receive whose second entry is too short writes the length that
 * message needs into that entry. That write must not happen while the
 * first entry's message, a synchronous one, is in flight: here the entry
 * array is a userfaultfd write-protected page that is released only after
 * 6 s, and the synchronous sender (timeout 1.5 s) must have its answer
 * long before that.
 */
struct wp_shared {
	volatile char state;	/* 'U', 'W': no userfaultfd WP; 'R', 'F' */
	volatile int ret;
	volatile long long ms;
};

struct wp_server {
	int uffd;
	unsigned long page;
	struct wp_shared *sh;
};

static void *wp_serve_late(void *p)
{
	struct wp_server *a = p;
	struct pollfd pfd = { .fd = a->uffd, .events = POLLIN };
	struct uffdio_writeprotect wp = { 0 };
	struct uffd_msg m;

	if (poll(&pfd, 1, 10000) != 1 ||
	    read(a->uffd, &m, sizeof(m)) != sizeof(m))
		return NULL;
	a->sh->state = 'F';
	msleep(6000);
	wp.range.start = a->page;
	wp.range.len = page_size();
	ioctl(a->uffd, UFFDIO_WRITEPROTECT, &wp);
	return NULL;
}

static void wp_receiver(int fd, struct wp_shared *sh)
{
	struct uffdio_api api = { .api = UFFD_API,
				  .features = UFFD_FEATURE_PAGEFAULT_FLAG_WP };
	struct ipcchan_batch b = { .size = sizeof(b), .count = 2 };
	struct uffdio_writeprotect wp = { 0 };
	struct uffdio_register reg = { 0 };
	struct wp_server a = { .sh = sh };
	static char b0[64], b1[4];
	struct ipcchan_mmsg *um;
	pthread_t th;

	a.uffd = syscall(SYS_userfaultfd, O_CLOEXEC);
	if (a.uffd < 0 || ioctl(a.uffd, UFFDIO_API, &api)) {
		sh->state = 'U';
		_exit(0);
	}
	um = mmap(NULL, page_size(), PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (um == MAP_FAILED)
		_exit(1);
	memset(um, 0, page_size());
	memset(b0, 0, sizeof(b0));
	memset(b1, 0, sizeof(b1));
	um[0].buf = (unsigned long)b0;
	um[0].len = sizeof(b0);
	um[1].buf = (unsigned long)b1;
	um[1].len = sizeof(b1);
	a.page = (unsigned long)um;
	reg.range.start = a.page;
	reg.range.len = page_size();
	reg.mode = UFFDIO_REGISTER_MODE_WP;
	if (ioctl(a.uffd, UFFDIO_REGISTER, &reg)) {
		sh->state = 'W';
		_exit(0);
	}
	wp.range = reg.range;
	wp.mode = UFFDIO_WRITEPROTECT_MODE_WP;
	if (ioctl(a.uffd, UFFDIO_WRITEPROTECT, &wp) ||
	    pthread_create(&th, NULL, wp_serve_late, &a))
		_exit(1);
	sh->state = 'R';
	b.msgs = (unsigned long)um;
	ioctl(fd, IPCCHAN_IOC_RECV_BATCH, &b);
	pthread_join(th, NULL);
	_exit(0);
}

TEST_TIMEOUT(batch_short_entry_does_not_hold_sender, 60)
{
	int fd = chan_new(NULL, RS, 0600, 0, 0, 0);
	struct wp_shared *sh = shared_alloc(sizeof(*sh));
	char big[64] = { 0 };
	pid_t s, r;
	int i;

	s = xfork();
	if (s == 0) {
		__u32 v = 7;
		int64_t t0 = now_ns();

		sh->ret = ipcchan_send(fd, &v, sizeof(v), IPCCHAN_XFER_SYNC,
				       1500 * NS_PER_MS);
		sh->ms = (now_ns() - t0) / NS_PER_MS;
		child_exit();
	}
	wait_blocked(s, IN_IOCTL);
	ASSERT_EQ(ipcchan_send(fd, big, sizeof(big), 0, WAIT_NS), 0);
	r = xfork();
	if (r == 0)
		wp_receiver(fd, sh);
	for (i = 0; i < 1000 && (!sh->state || sh->state == 'R'); i++)
		msleep(10);
	if (sh->state == 'U' || sh->state == 'W') {
		kill(s, SIGKILL);
		waitpid(s, NULL, 0);
		waitpid(r, NULL, 0);
		SKIP("no userfaultfd write-protect");
	}
	ASSERT_CHILD_OK(s);
	kill(r, SIGKILL);
	waitpid(r, NULL, 0);
	ASSERT_EQ(sh->state, 'F', "the receiver never wrote the entry array");
	/*
	 * Taken (its copy went through before the write that faults), or
	 * withdrawn at its timeout (the receive's copy of its info faulted
	 * first and put it back): either way answered, not held for 6 s.
	 */
	ASSERT_TRUE(sh->ret == 0 || sh->ret == -ETIMEDOUT,
		    "the synchronous send: %s", strerror(-sh->ret));
	ASSERT_LT(sh->ms, 3000, "the sender waited %lld ms", sh->ms);
}

TEST_MAIN("sync")
