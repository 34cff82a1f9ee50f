// SPDX-License-Identifier: GPL-2.0
/*
 * Processes that are not parent and child, each opening the channel by
 * name through its own /dev/ipcchan: siblings, and a receiver that was
 * double-forked and re-parented away from the test.
 */
#include "util.h"

#define COUNT	200

/* Shared between the processes of a test. */
struct board {
	char name[IPCCHAN_NAME_MAX];
	pid_t sender;
	pid_t receiver;
	int result;		/* the grandchild's verdict, 1 = passed */
};

static void receive_all(struct board *b, int r)
{
	struct ipcchan_msg_info mi;
	char buf[64], want[64];
	int i;

	for (i = 0; i < COUNT; i++) {
		ssize_t n = recv_ok(r, buf, sizeof(buf), &mi);

		snprintf(want, sizeof(want), "message %d from %d", i,
			 (int)b->sender);
		ASSERT_EQ(n, (ssize_t)strlen(want));
		ASSERT_MEMEQ(buf, want, n);
		ASSERT_EQ(mi.pid, b->sender);
		ASSERT_EQ(mi.seq, (__u64)i + 1);
	}
	/* The sender is gone: hang-up. */
	recv_epipe(r);
}

static void send_all(int s)
{
	char buf[64];
	int i;

	for (i = 0; i < COUNT; i++) {
		snprintf(buf, sizeof(buf), "message %d from %d", i,
			 (int)getpid());
		send_str(s, buf);
	}
}

/*
 * before: two children of the test; the first creates a channel with room
 *         for 8 messages, the second opens it by name
 * after:  200 messages go from the second to the first, in order, with the
 *         right sender pid, then the first sees the hang-up
 */
TEST(siblings)
{
	struct board *b = shared_alloc(sizeof(*b));
	struct sync created, known;
	pid_t rpid, spid;

	sync_init(&created);
	sync_init(&known);
	rpid = xfork();
	if (rpid == 0) {
		int dev = dev_open();
		int r = chan_new_dev(dev, b->name, IPCCHAN_OPEN_RECV, 0600,
				     64, 8, 0);

		sync_post(&created);
		sync_wait(&known);
		ASSERT_NE(b->sender, getppid());
		receive_all(b, r);
		child_exit();
	}
	sync_wait(&created);
	spid = xfork();
	if (spid == 0) {
		int dev = dev_open();
		int s = ipcchan_chan_open(dev, b->name, IPCCHAN_OPEN_SEND, NULL);

		ASSERT_GE(s, 0);
		ASSERT_NE(rpid, getppid());
		send_all(s);
		child_exit();
	}
	b->sender = spid;
	sync_post(&known);
	ASSERT_CHILD_OK(spid);
	ASSERT_CHILD_OK(rpid);
}

/*
 * before: the receiver is a grandchild whose parent has exited, so it is
 *         re-parented (to init or a subreaper); it opens the channel by
 *         name; the test itself sends
 * after:  it receives everything and reports through shared memory
 */
TEST(double_fork)
{
	struct board *b = shared_alloc(sizeof(*b));
	struct sync ready, done;
	pid_t mid;
	int s;

	sync_init(&ready);
	sync_init(&done);
	/* Never a sender yet, so no hang-up before the test opens one. */
	close(chan_new(b->name, IPCCHAN_OPEN_RECV, 0600, 64, 8, 0));
	b->sender = getpid();
	mid = xfork();
	if (mid == 0) {
		pid_t gc = xfork();

		if (gc == 0) {
			int64_t deadline = now_ns() + WAIT_NS;
			int r;

			/* Wait to be orphaned. */
			while (getppid() == mid) {
				ASSERT_LT(now_ns(), deadline);
				msleep(5);
			}
			ASSERT_NE(getppid(), b->sender);
			b->receiver = getpid();
			r = chan_get(b->name, IPCCHAN_OPEN_RECV);
			sync_post(&ready);
			receive_all(b, r);
			b->result = 1;
			sync_post(&done);
			child_exit();
		}
		_exit(0);
	}
	ASSERT_CHILD_OK(mid);
	sync_wait(&ready);
	ASSERT_GT(b->receiver, 0);
	s = chan_get(b->name, IPCCHAN_OPEN_SEND);
	send_all(s);
	close(s);
	sync_wait(&done);
	ASSERT_EQ(b->result, 1);
}

/*
 * Request and response over two channels between siblings, 100 round
 * trips: every wake-up crosses processes.
 */
TEST(ping_pong)
{
	struct board *b = shared_alloc(2 * sizeof(*b));
	char *req = b[0].name, *rsp = b[1].name;
	pid_t server, client;

	close(chan_new(req, IPCCHAN_OPEN_RECV, 0600, 64, 1, 0));
	close(chan_new(rsp, IPCCHAN_OPEN_RECV, 0600, 64, 1, 0));
	server = xfork();
	if (server == 0) {
		int in = chan_get(req, IPCCHAN_OPEN_RECV);
		int out = chan_get(rsp, IPCCHAN_OPEN_SEND);
		char buf[64];
		ssize_t n;

		while ((n = ipcchan_recv(in, buf, sizeof(buf), NULL, 0,
					 WAIT_NS)) >= 0) {
			buf[0] = 'R';
			send_ok(out, buf, n);
		}
		ASSERT_EQ(n, -EPIPE);
		child_exit();
	}
	client = xfork();
	if (client == 0) {
		int out = chan_get(req, IPCCHAN_OPEN_SEND);
		int in = chan_get(rsp, IPCCHAN_OPEN_RECV);
		char buf[64], want[64];
		int i;

		for (i = 0; i < 100; i++) {
			snprintf(buf, sizeof(buf), "Q%d", i);
			send_str(out, buf);
			snprintf(want, sizeof(want), "R%d", i);
			recv_str(in, want);
		}
		close(out);
		child_exit();
	}
	ASSERT_CHILD_OK(client);
	ASSERT_CHILD_OK(server);
}

TEST_MAIN("unrelated")
