// SPDX-License-Identifier: GPL-2.0
/*
 * Bounded-time stress: many senders and receivers on one channel, every
 * message delivered exactly once and in order for each sender; hang-up
 * races; descriptors opened and closed under traffic and pollers.
 */
#include "util.h"

#include <sys/epoll.h>

#define SENDERS		4
#define RECEIVERS	3
#define PER_SENDER	2000
#define TOTAL		(SENDERS * PER_SENDER)

/* The head of every message; the rest is counter % 32 bytes of padding. */
struct payload {
	__u32 sender;
	__u32 counter;
	__s32 pid;
	__u32 magic;
};

#define MAGIC		0x1bcc4a11
#define MSG_MAX		(sizeof(struct payload) + 31)

struct record {
	__u32 sender;
	__u32 counter;
	__u64 seq;
};

struct board {
	int count[RECEIVERS];
	struct record rec[RECEIVERS][TOTAL];
};

static __u32 msg_len(__u32 counter)
{
	return sizeof(struct payload) + counter % 32;
}

static void make_msg(char *buf, __u32 sender, __u32 counter)
{
	struct payload p = { sender, counter, getpid(), MAGIC };

	memcpy(buf, &p, sizeof(p));
	memset(buf + sizeof(p), (int)(counter & 0xff), counter % 32);
}

/* Checks one received message and records it for receiver @r. */
static void take(struct board *b, int r, const char *buf, __u32 len,
		 const struct ipcchan_msg_info *mi)
{
	struct payload p;
	__u32 i;

	ASSERT_GE(len, sizeof(p));
	memcpy(&p, buf, sizeof(p));
	ASSERT_EQ(p.magic, MAGIC);
	ASSERT_LT(p.sender, SENDERS);
	ASSERT_LT(p.counter, PER_SENDER);
	ASSERT_EQ(len, msg_len(p.counter));
	ASSERT_EQ(mi->len, len);
	ASSERT_EQ(mi->pid, p.pid, "the pid is the sender's");
	for (i = sizeof(p); i < len; i++)
		ASSERT_EQ((unsigned char)buf[i], p.counter & 0xff);
	ASSERT_LT(b->count[r], TOTAL);
	b->rec[r][b->count[r]++] = (struct record){ p.sender, p.counter,
						     mi->seq };
}

/* Sender 0 sends batches, sender 1 write()s, the others single ioctls. */
static void sender(int fd, __u32 id, __u64 features)
{
	char bufs[8][MSG_MAX];
	struct ipcchan_mmsg m[8];
	__u32 c = 0;
	int i, n;

	while (c < PER_SENDER) {
		if (id == 0 && (features & IPCCHAN_FEAT_BATCH)) {
			n = PER_SENDER - c < 8 ? PER_SENDER - c : 8;
			memset(m, 0, sizeof(m));
			for (i = 0; i < n; i++) {
				make_msg(bufs[i], id, c + i);
				m[i].buf = u64_ptr(bufs[i]);
				m[i].len = msg_len(c + i);
			}
			while (n > 0) {
				int k = ipcchan_send_batch(fd, m, n, 0,
							   WAIT_NS);

				ASSERT_GT(k, 0);
				memmove(m, m + k, (n - k) * sizeof(m[0]));
				n -= k;
				c += k;
			}
		} else if (id == 1 && (features & IPCCHAN_FEAT_RW)) {
			make_msg(bufs[0], id, c);
			ASSERT_EQ(write(fd, bufs[0], msg_len(c)),
				  (ssize_t)msg_len(c));
			c++;
		} else {
			make_msg(bufs[0], id, c);
			ASSERT_EQ(ipcchan_send(fd, bufs[0], msg_len(c), 0,
					       WAIT_NS), 0);
			c++;
		}
	}
}

/*
 * Receiver 0 takes batches, receiver 1 polls and receives without waiting,
 * the others wait in single receives; all until the hang-up.
 */
static void receiver(struct board *b, int fd, int id, __u64 features)
{
	struct ipcchan_msg_info mi;
	char bufs[16][MSG_MAX];
	struct ipcchan_mmsg m[16];
	int i, n;

	for (;;) {
		if (id == 0 && (features & IPCCHAN_FEAT_BATCH)) {
			memset(m, 0, sizeof(m));
			for (i = 0; i < 16; i++) {
				m[i].buf = u64_ptr(bufs[i]);
				m[i].len = MSG_MAX;
			}
			n = ipcchan_recv_batch(fd, m, 16, 0, WAIT_NS);
			if (n == -EPIPE)
				return;
			ASSERT_GT(n, 0);
			for (i = 0; i < n; i++)
				take(b, id, bufs[i], m[i].info.len,
				     &m[i].info);
		} else if (id == 1) {
			short ev = poll_wake(fd, POLLIN);

			n = ipcchan_recv(fd, bufs[0], MSG_MAX, &mi,
					 IPCCHAN_XFER_NONBLOCK,
					 IPCCHAN_WAIT_FOREVER);
			if (n == -EAGAIN)
				continue;	/* another receiver was faster */
			if (n == -EPIPE) {
				/*
				 * poll() may have seen the last message that
				 * another receiver then took: ask again.
				 */
				if (!(ev & POLLHUP))
					ev = poll_wake(fd, POLLIN);
				ASSERT_TRUE(ev & POLLHUP);
				return;
			}
			ASSERT_GE(n, 0);
			take(b, id, bufs[0], n, &mi);
		} else {
			n = ipcchan_recv(fd, bufs[0], MSG_MAX, &mi, 0, WAIT_NS);
			if (n == -EPIPE)
				return;
			ASSERT_GE(n, 0);
			take(b, id, bufs[0], n, &mi);
		}
	}
}

/*
 * before: 4 senders of 2000 messages each and 3 receivers on a channel of
 *         64 messages, all separate processes
 * after:  every message arrived exactly once; each receiver saw each
 *         sender's messages in order; sequence numbers are unique, and in
 *         the order each sender sent
 */
TEST_TIMEOUT(mpmc, 90)
{
	struct board *b = shared_alloc(sizeof(*b));
	static __u64 seq_of[SENDERS][PER_SENDER];
	static unsigned char seen_seq[TOTAL + 1];
	struct ipcchan_version v;
	char name[IPCCHAN_NAME_MAX];
	pid_t pids[SENDERS + RECEIVERS];
	int r, s, i, j, total = 0;
	int64_t t0 = now_ns();

	get_version(&v);
	r = chan_new(name, IPCCHAN_OPEN_RECV, 0600, MSG_MAX, 64, 0);
	/* Opened before any fork, closed after: no early hang-up. */
	s = chan_get(name, IPCCHAN_OPEN_SEND);
	for (i = 0; i < RECEIVERS; i++) {
		pids[SENDERS + i] = xfork();
		if (pids[SENDERS + i] == 0) {
			close(s);
			receiver(b, r, i, v.features);
			child_exit();
		}
	}
	for (i = 0; i < SENDERS; i++) {
		pids[i] = xfork();
		if (pids[i] == 0) {
			close(r);
			sender(s, i, v.features);
			child_exit();
		}
	}
	close(s);
	close(r);
	for (i = 0; i < SENDERS + RECEIVERS; i++)
		ASSERT_CHILD_OK(pids[i]);
	TH_LOG("%d messages in %lld ms", TOTAL,
	       (long long)((now_ns() - t0) / NS_PER_MS));

	memset(seq_of, 0, sizeof(seq_of));
	for (i = 0; i < RECEIVERS; i++) {
		__s64 last_counter[SENDERS];
		__u64 last_seq = 0;

		TH_LOG("receiver %d got %d", i, b->count[i]);
		for (j = 0; j < SENDERS; j++)
			last_counter[j] = -1;
		for (j = 0; j < b->count[i]; j++) {
			struct record *rec = &b->rec[i][j];

			ASSERT_GT((__s64)rec->counter, last_counter[rec->sender],
				  "receiver %d, sender %u out of order", i,
				  rec->sender);
			last_counter[rec->sender] = rec->counter;
			ASSERT_GT(rec->seq, last_seq);
			last_seq = rec->seq;
			ASSERT_EQ(seq_of[rec->sender][rec->counter], 0,
				  "sender %u message %u received twice",
				  rec->sender, rec->counter);
			seq_of[rec->sender][rec->counter] = rec->seq;
			ASSERT_GE(rec->seq, 1);
			ASSERT_LE(rec->seq, TOTAL);
			ASSERT_EQ(seen_seq[rec->seq], 0, "seq %llu twice",
				  (unsigned long long)rec->seq);
			seen_seq[rec->seq] = 1;
			total++;
		}
	}
	ASSERT_EQ(total, TOTAL);
	for (i = 0; i < SENDERS; i++)
		for (j = 1; j < PER_SENDER; j++)
			ASSERT_GT(seq_of[i][j], seq_of[i][j - 1],
				  "sender %d: message %d queued before %d", i,
				  j, j - 1);
}

/*
 * Many times: a sender in a child sends one message and exits while this
 * process waits; the message must arrive, then the hang-up, never a hang.
 */
TEST_TIMEOUT(hangup_race, 60)
{
	int64_t end = now_ns() + 8 * NS_PER_SEC;
	int rounds = 0;

	while (rounds < 200 && now_ns() < end) {
		char name[IPCCHAN_NAME_MAX], buf[16];
		int r = chan_new(name, IPCCHAN_OPEN_RECV, 0600, 16, 4, 0);
		int s = chan_get(name, IPCCHAN_OPEN_SEND);
		pid_t pid = xfork();

		if (pid == 0) {
			send_str(s, "bye");
			_exit(0);
		}
		close(s);
		if (rounds & 1)
			chan_unlink(name);
		ASSERT_EQ(ipcchan_recv(r, buf, sizeof(buf), NULL, 0, WAIT_NS), 3,
			  "round %d", rounds);
		ASSERT_EQ(ipcchan_recv(r, buf, sizeof(buf), NULL, 0, WAIT_NS),
			  -EPIPE, "round %d", rounds);
		ASSERT_CHILD_OK(pid);
		close(r);
		if (!(rounds & 1))
			chan_unlink(name);
		rounds++;
	}
	TH_LOG("%d rounds", rounds);
	ASSERT_GE(rounds, 10);
}

/* Opens and closes fds of @name in a loop until @end. */
static void churn(const char *name, int64_t end, unsigned int flags)
{
	int ep = epoll_create1(EPOLL_CLOEXEC);
	unsigned int i = 0;

	ASSERT_GE(ep, 0);
	while (now_ns() < end) {
		struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT };
		int fd = chan_get(name, flags);

		ASSERT_EQ(epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev), 0);
		if (i++ & 1)
			epoll_wait(ep, &ev, 1, 1);
		close(fd);
	}
	close(ep);
}

/*
 * before: traffic on a channel; other processes open and close senders and
 *         receivers in a loop, each through an epoll set, and a poller
 *         waits on it all the while
 * after:  no message lost or duplicated, nothing crashed, and the counts of
 *         senders and receivers are back to the fds still open
 */
TEST_TIMEOUT(open_close_churn, 60)
{
	char name[IPCCHAN_NAME_MAX];
	struct ipcchan_chan_info ci;
	int fd = chan_new(name, RS, 0600, 16, 8, 0);
	int64_t end = now_ns() + 4 * NS_PER_SEC;
	pid_t pids[4];
	int i, sent = 0, got = 0;

	pids[0] = xfork();
	if (pids[0] == 0) {
		churn(name, end, IPCCHAN_OPEN_SEND);
		child_exit();
	}
	pids[1] = xfork();
	if (pids[1] == 0) {
		churn(name, end, IPCCHAN_OPEN_RECV);
		child_exit();
	}
	pids[2] = xfork();
	if (pids[2] == 0) {
		churn(name, end, RS | IPCCHAN_OPEN_NONBLOCK);
		child_exit();
	}
	pids[3] = xfork();
	if (pids[3] == 0) {
		int ep = epoll_create1(EPOLL_CLOEXEC);
		struct epoll_event ev = { .events = EPOLLIN | EPOLLET };

		ASSERT_EQ(epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev), 0);
		while (now_ns() < end)
			epoll_wait(ep, &ev, 1, 50);
		child_exit();
	}
	/* Our own traffic meanwhile: what goes in comes out, in order. */
	while (now_ns() < end) {
		char buf[16];
		struct ipcchan_msg_info mi;
		int n;

		snprintf(buf, sizeof(buf), "%d", sent);
		if (ipcchan_send(fd, buf, strlen(buf), IPCCHAN_XFER_NONBLOCK,
				 IPCCHAN_WAIT_FOREVER) == 0)
			sent++;
		n = ipcchan_recv(fd, buf, sizeof(buf) - 1, &mi,
				 IPCCHAN_XFER_NONBLOCK, IPCCHAN_WAIT_FOREVER);
		if (n >= 0) {
			buf[n] = 0;
			ASSERT_EQ(atoi(buf), got);
			got++;
		} else {
			ASSERT_EQ(n, -EAGAIN);
		}
	}
	for (i = 0; i < 4; i++)
		ASSERT_CHILD_OK(pids[i]);
	TH_LOG("%d sent, %d received alongside the churn", sent, got);
	chan_info(fd, &ci);
	ASSERT_EQ(ci.senders, 1);
	ASSERT_EQ(ci.receivers, 1);
	ASSERT_EQ(ci.msgs, (__u32)(sent - got));
	ASSERT_GT(sent, 0);
}

TEST_MAIN("stress")
