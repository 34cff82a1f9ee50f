// SPDX-License-Identifier: GPL-2.0
/*
 * IPCCHAN_IOC_SEND_BATCH and IPCCHAN_IOC_RECV_BATCH: many messages per call,
 * partial batches that report how many went through and leave the failed
 * message where it was, the count bounds, and waiting.
 */
#include "util.h"

#define N	10

static void require_batch(void)
{
	struct ipcchan_version v;

	get_version(&v);
	if (!(v.features & IPCCHAN_FEAT_BATCH))
		SKIP("no IPCCHAN_FEAT_BATCH");
}

/* @n receive slots over @bufs, @cap bytes each. */
static void recv_slots(struct ipcchan_mmsg *m, char (*bufs)[64], int n,
		       __u32 cap)
{
	int i;

	memset(m, 0, n * sizeof(*m));
	for (i = 0; i < n; i++) {
		m[i].buf = u64_ptr(bufs[i]);
		m[i].len = cap;
	}
}

/* @n send slots: message i is "msg-<i>" padded to 5 + i bytes. */
static void send_slots(struct ipcchan_mmsg *m, char (*bufs)[64], int n)
{
	int i;

	memset(m, 0, n * sizeof(*m));
	for (i = 0; i < n; i++) {
		memset(bufs[i], '.', 64);
		snprintf(bufs[i], 64, "msg-%d", i);
		bufs[i][strlen(bufs[i])] = '.';
		m[i].buf = u64_ptr(bufs[i]);
		m[i].len = 5 + i;
	}
}

static int raw_batch(int fd, unsigned long req, struct ipcchan_batch *b)
{
	return xioctl(fd, req, b);
}

/*
 * The channels of most tests, on a module with batches: messages of up to
 * 64 bytes, and a queue of at most 32 of them (queue32) or the default.
 */
FIXTURE(queue32) {
	int fd;
};

FIXTURE_SETUP(queue32)
{
	self->fd = chan_new(NULL, RS, 0600, 64, 32, 0);
	require_batch();
}

FIXTURE_TEARDOWN(queue32)
{
	close(self->fd);
}

FIXTURE(chan) {
	int fd;
};

FIXTURE_SETUP(chan)
{
	self->fd = chan_new(NULL, RS, 0600, 64, 0, 0);
	require_batch();
}

FIXTURE_TEARDOWN(chan)
{
	close(self->fd);
}

TEST_F(queue32, send_recv)
{
	struct ipcchan_mmsg sm[N], rm[N];
	char sb[N][64], rb[N][64];
	int64_t t0, t1;
	int i;

	send_slots(sm, sb, N);
	sm[3].len = 0;		/* a zero-length message in the middle */
	t0 = now_ns();
	ASSERT_EQ(ipcchan_send_batch(self->fd, sm, N, 0,
				     IPCCHAN_WAIT_FOREVER), N);
	t1 = now_ns();
	ASSERT_EQ(chan_msgs(self->fd), N);

	recv_slots(rm, rb, N, 64);
	ASSERT_EQ(ipcchan_recv_batch(self->fd, rm, N, 0,
				     IPCCHAN_WAIT_FOREVER), N);
	for (i = 0; i < N; i++) {
		ASSERT_EQ(rm[i].info.len, sm[i].len, "message %d", i);
		ASSERT_MEMEQ(rb[i], sb[i], sm[i].len, "message %d", i);
		ASSERT_EQ(rm[i].info.seq, (__u64)i + 1);
		ASSERT_EQ(rm[i].info.pid, getpid());
		ASSERT_EQ(rm[i].info.uid, 0);
		ASSERT_GE((int64_t)rm[i].info.timestamp_ns, t0);
		ASSERT_LE((int64_t)rm[i].info.timestamp_ns, t1);
		if (i)
			ASSERT_GE(rm[i].info.timestamp_ns,
				  rm[i - 1].info.timestamp_ns);
	}
	ASSERT_EQ(chan_msgs(self->fd), 0);
}

/* Batches and single calls share one queue and one sequence. */
TEST_F(queue32, mixed_with_single)
{
	struct ipcchan_mmsg sm[3], rm[4];
	char sb[3][64], rb[4][64];
	struct ipcchan_msg_info mi;
	char buf[64];

	send_str(self->fd, "single");
	send_slots(sm, sb, 3);
	ASSERT_EQ(ipcchan_send_batch(self->fd, sm, 3, 0,
				     IPCCHAN_WAIT_FOREVER), 3);
	send_str(self->fd, "last");
	recv_slots(rm, rb, 4, 64);
	ASSERT_EQ(ipcchan_recv_batch(self->fd, rm, 4, 0,
				     IPCCHAN_WAIT_FOREVER), 4);
	ASSERT_MEMEQ(rb[0], "single", 6);
	ASSERT_MEMEQ(rb[1], "msg-0", 5);
	ASSERT_EQ(rm[3].info.seq, 4);
	ASSERT_EQ(recv_ok(self->fd, buf, sizeof(buf), &mi), 4);
	ASSERT_EQ(mi.seq, 5);
}

TEST_F(queue32, recv_fewer_queued)
{
	struct ipcchan_mmsg sm[3], rm[N];
	char sb[3][64], rb[N][64];

	send_slots(sm, sb, 3);
	ASSERT_EQ(ipcchan_send_batch(self->fd, sm, 3, 0,
				     IPCCHAN_WAIT_FOREVER), 3);
	recv_slots(rm, rb, N, 64);
	ASSERT_EQ(ipcchan_recv_batch(self->fd, rm, N, 0,
				     IPCCHAN_WAIT_FOREVER), 3);
	ASSERT_EQ(rm[2].info.seq, 3);
	ASSERT_MEMEQ(rb[2], "msg-2", 5);
	ASSERT_EQ(chan_msgs(self->fd), 0);
}

TEST_F(queue32, recv_more_queued)
{
	struct ipcchan_mmsg sm[N], rm[N];
	char sb[N][64], rb[N][64];

	send_slots(sm, sb, N);
	ASSERT_EQ(ipcchan_send_batch(self->fd, sm, N, 0,
				     IPCCHAN_WAIT_FOREVER), N);
	recv_slots(rm, rb, N, 64);
	ASSERT_EQ(ipcchan_recv_batch(self->fd, rm, 4, 0,
				     IPCCHAN_WAIT_FOREVER), 4);
	ASSERT_EQ(rm[3].info.seq, 4);
	ASSERT_EQ(chan_msgs(self->fd), N - 4);
	ASSERT_EQ(ipcchan_recv_batch(self->fd, rm, N, 0,
				     IPCCHAN_WAIT_FOREVER), N - 4);
	ASSERT_EQ(rm[0].info.seq, 5);
	ASSERT_MEMEQ(rb[0], "msg-4", 5);
}

/*
 * before: room for 4 messages
 * after:  a nonblocking batch of 10 sends 4 and says so
 */
TEST(partial_send_count)
{
	struct ipcchan_mmsg sm[N];
	char sb[N][64];
	struct ipcchan_chan_info ci;
	int fd = chan_new(NULL, RS, 0600, 64, 4, 0);

	require_batch();
	send_slots(sm, sb, N);
	ASSERT_EQ(ipcchan_send_batch(fd, sm, N, IPCCHAN_XFER_NONBLOCK,
				     IPCCHAN_WAIT_FOREVER), 4);
	chan_info(fd, &ci);
	ASSERT_EQ(ci.msgs, 4);
	ASSERT_EQ(ci.next_seq, 5);
	/* Full now: the rest of the batch gets EAGAIN. */
	ASSERT_EQ(ipcchan_send_batch(fd, sm + 4, N - 4, IPCCHAN_XFER_NONBLOCK,
				     IPCCHAN_WAIT_FOREVER), -EAGAIN);
	recv_str(fd, "msg-0");
}

TEST(partial_send_bytes)
{
	struct ipcchan_mmsg sm[5];
	char sb[5][64];
	struct ipcchan_chan_info ci;
	int fd = chan_new(NULL, RS | IPCCHAN_OPEN_NONBLOCK, 0600, 64, 100, 100);
	int i;

	require_batch();
	send_slots(sm, sb, 5);
	for (i = 0; i < 5; i++)
		sm[i].len = 30;
	/* O_NONBLOCK on the fd stops the batch the same way. */
	ASSERT_EQ(ipcchan_send_batch(fd, sm, 5, 0, IPCCHAN_WAIT_FOREVER), 3);
	chan_info(fd, &ci);
	ASSERT_EQ(ci.msgs, 3);
	ASSERT_EQ(ci.bytes, 90);
}

TEST_F(chan, recv_empty)
{
	struct ipcchan_mmsg rm[2];
	char rb[2][64];

	recv_slots(rm, rb, 2, 64);
	ASSERT_EQ(ipcchan_recv_batch(self->fd, rm, 2, IPCCHAN_XFER_NONBLOCK,
				     IPCCHAN_WAIT_FOREVER), -EAGAIN);
	set_nonblock(self->fd, true);
	ASSERT_EQ(ipcchan_recv_batch(self->fd, rm, 2, 0, IPCCHAN_WAIT_FOREVER),
		  -EAGAIN);
	set_nonblock(self->fd, false);
	ASSERT_EQ(ipcchan_recv_batch(self->fd, rm, 2, 0, 100 * NS_PER_MS),
		  -ETIMEDOUT);
}

/*
 * before: 5 messages of 10 bytes; the third buffer holds only 5
 * after:  2 received; the third message is still at the head
 */
TEST_F(chan, recv_small_buffer_middle)
{
	struct ipcchan_mmsg rm[5];
	char rb[5][64], buf[64];
	struct ipcchan_msg_info mi;
	int i;

	for (i = 0; i < 5; i++) {
		snprintf(buf, sizeof(buf), "ten bytes%d", i);
		send_ok(self->fd, buf, 10);
	}
	recv_slots(rm, rb, 5, 10);
	rm[2].len = 5;
	ASSERT_EQ(ipcchan_recv_batch(self->fd, rm, 5, 0,
				     IPCCHAN_WAIT_FOREVER), 2);
	ASSERT_EQ(chan_msgs(self->fd), 3);
	ASSERT_EQ(recv_ok(self->fd, buf, sizeof(buf), &mi), 10);
	ASSERT_EQ(mi.seq, 3);
	ASSERT_MEMEQ(buf, "ten bytes2", 10);
}

TEST_F(chan, recv_small_buffer_first)
{
	struct ipcchan_mmsg rm[2];
	char rb[2][64];

	send_str(self->fd, "0123456789");
	recv_slots(rm, rb, 2, 4);
	ASSERT_EQ(ipcchan_recv_batch(self->fd, rm, 2, 0, IPCCHAN_WAIT_FOREVER),
		  -EMSGSIZE);
	ASSERT_EQ(chan_msgs(self->fd), 1);
	recv_str(self->fd, "0123456789");
}

TEST(count_bounds)
{
	struct ipcchan_version v;
	struct ipcchan_mmsg *m;
	int fd, ret;

	require_batch();
	get_version(&v);
	m = calloc(IPCCHAN_BATCH_MAX + 1, sizeof(*m));
	ASSERT_TRUE(m != NULL);
	fd = chan_new(NULL, RS, 0600, 64, 0, 0);
	ASSERT_EQ(ipcchan_send_batch(fd, m, 0, 0, IPCCHAN_WAIT_FOREVER),
		  -EINVAL);
	ASSERT_EQ(ipcchan_recv_batch(fd, m, 0, 0, IPCCHAN_WAIT_FOREVER),
		  -EINVAL);
	ASSERT_EQ(ipcchan_send_batch(fd, m, IPCCHAN_BATCH_MAX + 1, 0,
				     IPCCHAN_WAIT_FOREVER), -EINVAL);
	ASSERT_EQ(ipcchan_recv_batch(fd, m, IPCCHAN_BATCH_MAX + 1, 0,
				     IPCCHAN_WAIT_FOREVER), -EINVAL);
	ASSERT_EQ(ipcchan_send_batch(fd, m, UINT32_MAX, 0,
				     IPCCHAN_WAIT_FOREVER), -EINVAL);
	ASSERT_EQ(chan_msgs(fd), 0);

	/* IPCCHAN_BATCH_MAX itself, of zero-length messages. */
	if (v.max_msgs < IPCCHAN_BATCH_MAX)
		return;
	close(fd);
	fd = chan_new(NULL, RS, 0600, 64, IPCCHAN_BATCH_MAX, 0);
	ret = ipcchan_send_batch(fd, m, IPCCHAN_BATCH_MAX, 0,
				 IPCCHAN_WAIT_FOREVER);
	ASSERT_EQ(ret, IPCCHAN_BATCH_MAX);
	ASSERT_EQ(chan_msgs(fd), IPCCHAN_BATCH_MAX);
	ret = ipcchan_recv_batch(fd, m, IPCCHAN_BATCH_MAX, 0,
				 IPCCHAN_WAIT_FOREVER);
	ASSERT_EQ(ret, IPCCHAN_BATCH_MAX);
	ASSERT_EQ(m[IPCCHAN_BATCH_MAX - 1].info.seq, IPCCHAN_BATCH_MAX);
}

TEST_F(chan, bad_msgs_pointer)
{
	struct ipcchan_mmsg *edge;

	ASSERT_EQ(ipcchan_send_batch(self->fd, (void *)1, 2, 0,
				     IPCCHAN_WAIT_FOREVER), -EFAULT);
	ASSERT_EQ(ipcchan_send_batch(self->fd, NULL, 2, 0,
				     IPCCHAN_WAIT_FOREVER),
		  -EFAULT);
	ASSERT_EQ(ipcchan_send_batch(self->fd, noaccess_page(), 2, 0,
				     IPCCHAN_WAIT_FOREVER), -EFAULT);
	ASSERT_EQ(chan_msgs(self->fd), 0);
	send_str(self->fd, "queued");
	ASSERT_EQ(ipcchan_recv_batch(self->fd, (void *)1, 2, 0,
				     IPCCHAN_WAIT_FOREVER), -EFAULT);
	ASSERT_EQ(ipcchan_recv_batch(self->fd, noaccess_page(), 2, 0,
				     IPCCHAN_WAIT_FOREVER), -EFAULT);
	/* The array readable but its info not writable. */
	edge = guarded_buf(sizeof(*edge));
	memset(edge, 0, sizeof(*edge));
	edge->buf = u64_ptr(malloc(64));
	edge->len = 64;
	ASSERT_EQ(mprotect((void *)((uintptr_t)edge & ~(page_size() - 1)),
			   page_size(), PROT_READ), 0);
	ASSERT_EQ(ipcchan_recv_batch(self->fd, edge, 1, 0,
				     IPCCHAN_WAIT_FOREVER),
		  -EFAULT);
	ASSERT_EQ(chan_msgs(self->fd), 1);
	recv_str(self->fd, "queued");
}

/*
 * before: a batch of 5 whose third buffer is a bad pointer
 * after:  2 sent, reported as 2; the third and later are not
 */
TEST_F(chan, send_bad_buf_partial)
{
	struct ipcchan_mmsg sm[5];
	char sb[5][64];
	struct ipcchan_chan_info ci;

	send_slots(sm, sb, 5);
	sm[2].buf = 1;
	ASSERT_EQ(ipcchan_send_batch(self->fd, sm, 5, 0,
				     IPCCHAN_WAIT_FOREVER), 2);
	chan_info(self->fd, &ci);
	ASSERT_EQ(ci.msgs, 2);
	ASSERT_EQ(ci.next_seq, 3);
	/* Bad from the first: the error itself. */
	ASSERT_EQ(ipcchan_send_batch(self->fd, sm + 2, 3, 0,
				     IPCCHAN_WAIT_FOREVER),
		  -EFAULT);
	ASSERT_EQ(chan_msgs(self->fd), 2);
}

TEST_F(chan, recv_bad_buf_partial)
{
	struct ipcchan_mmsg sm[5], rm[5];
	char sb[5][64], rb[5][64], buf[64];
	struct ipcchan_msg_info mi;

	send_slots(sm, sb, 5);
	ASSERT_EQ(ipcchan_send_batch(self->fd, sm, 5, 0,
				     IPCCHAN_WAIT_FOREVER), 5);
	recv_slots(rm, rb, 5, 64);
	rm[2].buf = u64_ptr(noaccess_page());
	ASSERT_EQ(ipcchan_recv_batch(self->fd, rm, 5, 0,
				     IPCCHAN_WAIT_FOREVER), 2);
	ASSERT_EQ(chan_msgs(self->fd), 3);
	ASSERT_EQ(recv_ok(self->fd, buf, sizeof(buf), &mi), 7);
	ASSERT_EQ(mi.seq, 3);
	ASSERT_MEMEQ(buf, "msg-2..", 7);
}

TEST(send_too_big_partial)
{
	struct ipcchan_mmsg sm[3];
	char sb[3][64];
	int fd = chan_new(NULL, RS, 0600, 16, 0, 0);

	require_batch();
	send_slots(sm, sb, 3);
	sm[1].len = 17;
	ASSERT_EQ(ipcchan_send_batch(fd, sm, 3, 0, IPCCHAN_WAIT_FOREVER), 1);
	ASSERT_EQ(chan_msgs(fd), 1);
	ASSERT_EQ(ipcchan_send_batch(fd, sm + 1, 2, 0, IPCCHAN_WAIT_FOREVER),
		  -EMSGSIZE);
	ASSERT_EQ(chan_msgs(fd), 1);
}

TEST_F(chan, reserved)
{
	struct ipcchan_mmsg sm[2];
	char sb[2][64];
	struct ipcchan_batch b;

	send_slots(sm, sb, 2);
	raw_batch_init(&b, sm, 2);
	b.__reserved = 1;
	ASSERT_EQ(raw_batch(self->fd, IPCCHAN_IOC_SEND_BATCH, &b), -EINVAL);
	ASSERT_EQ(raw_batch(self->fd, IPCCHAN_IOC_RECV_BATCH, &b), -EINVAL);
	b.__reserved = 0;
	sm[0].__reserved = 1;
	ASSERT_EQ(raw_batch(self->fd, IPCCHAN_IOC_SEND_BATCH, &b), -EINVAL);
	ASSERT_EQ(chan_msgs(self->fd), 0);
	sm[0].__reserved = 0;
	ASSERT_EQ(raw_batch(self->fd, IPCCHAN_IOC_SEND_BATCH, &b), 2);
	sm[0].__reserved = 7;
	ASSERT_EQ(raw_batch(self->fd, IPCCHAN_IOC_RECV_BATCH, &b), -EINVAL);
	ASSERT_EQ(chan_msgs(self->fd), 2);
}

TEST(flags)
{
	struct ipcchan_mmsg sm[1];
	char sb[1][64];
	struct ipcchan_batch b;
	int fd = chan_new(NULL, RS, 0600, 64, 0, 0), bit;

	require_batch();
	send_slots(sm, sb, 1);
	for (bit = 2; bit < 32; bit++) {
		raw_batch_init(&b, sm, 1);
		b.flags = 1U << bit;
		/* A send takes IPCCHAN_XFER_SYNC (tests/user/sync.c). */
		if ((1U << bit) != IPCCHAN_XFER_SYNC)
			EXPECT_EQ(raw_batch(fd, IPCCHAN_IOC_SEND_BATCH, &b),
				  -EINVAL, "flag bit %d", bit);
		EXPECT_EQ(raw_batch(fd, IPCCHAN_IOC_RECV_BATCH, &b), -EINVAL,
			  "flag bit %d", bit);
	}
	raw_batch_init(&b, sm, 1);
	b.timeout_ns = 1000;
	ASSERT_EQ(raw_batch(fd, IPCCHAN_IOC_SEND_BATCH, &b), -EINVAL);
	ASSERT_EQ(raw_batch(fd, IPCCHAN_IOC_RECV_BATCH, &b), -EINVAL);
	b.flags = IPCCHAN_XFER_TIMEOUT;
	b.timeout_ns = -1;
	ASSERT_EQ(raw_batch(fd, IPCCHAN_IOC_SEND_BATCH, &b), -EINVAL);
	ASSERT_EQ(raw_batch(fd, IPCCHAN_IOC_RECV_BATCH, &b), -EINVAL);
	ASSERT_EQ(chan_msgs(fd), 0);
}

/*
 * before: a child blocked in a batch receive of 8 on an empty channel
 * after:  a batch of 3 is sent; the child wakes with at least the first,
 *         and all 3 arrive in order
 */
TEST_F(chan, recv_waits_for_first)
{
	pid_t pid;

	pid = xfork();
	if (pid == 0) {
		struct ipcchan_mmsg rm[8];
		char rb[8][64];
		int n, got = 0, i;

		recv_slots(rm, rb, 8, 64);
		n = ipcchan_recv_batch(self->fd, rm, 8, 0,
				       IPCCHAN_WAIT_FOREVER);
		ASSERT_GE(n, 1);
		ASSERT_LE(n, 3);
		for (i = 0; i < n; i++)
			ASSERT_EQ(rm[i].info.seq, (__u64)++got);
		while (got < 3) {
			n = ipcchan_recv_batch(self->fd, rm, 8, 0, WAIT_NS);
			ASSERT_GE(n, 1);
			for (i = 0; i < n; i++)
				ASSERT_EQ(rm[i].info.seq, (__u64)++got);
		}
		child_exit();
	}
	{
		struct ipcchan_mmsg sm[3];
		char sb[3][64];

		wait_blocked(pid, IN_IOCTL);
		send_slots(sm, sb, 3);
		ASSERT_EQ(ipcchan_send_batch(self->fd, sm, 3, 0,
					     IPCCHAN_WAIT_FOREVER), 3);
	}
	ASSERT_CHILD_OK(pid);
}

/* A blocking batch send waits for room for each message in turn. */
TEST(send_waits_each)
{
	int fd = chan_new(NULL, RS, 0600, 64, 2, 0);
	struct ipcchan_msg_info mi;
	char buf[64];
	pid_t pid;
	int i;

	require_batch();
	pid = xfork();
	if (pid == 0) {
		struct ipcchan_mmsg sm[6];
		char sb[6][64];

		send_slots(sm, sb, 6);
		ASSERT_EQ(ipcchan_send_batch(fd, sm, 6, 0,
					     IPCCHAN_WAIT_FOREVER), 6);
		child_exit();
	}
	wait_blocked(pid, IN_IOCTL);
	ASSERT_EQ(chan_msgs(fd), 2);
	for (i = 0; i < 6; i++) {
		ASSERT_EQ(recv_ok(fd, buf, sizeof(buf), &mi), 5 + i);
		ASSERT_EQ(mi.seq, (__u64)i + 1);
		ASSERT_EQ(mi.pid, pid);
	}
	ASSERT_CHILD_OK(pid);
}

/* A timed batch send that runs out of time after 2 reports 2. */
TEST(timed_send_partial)
{
	struct ipcchan_mmsg sm[5];
	char sb[5][64];
	int64_t t0;
	int fd = chan_new(NULL, RS, 0600, 64, 2, 0);

	require_batch();
	send_slots(sm, sb, 5);
	t0 = now_ns();
	ASSERT_EQ(ipcchan_send_batch(fd, sm, 5, 0, 200 * NS_PER_MS), 2);
	ASSERT_GE(now_ns() - t0, 200 * NS_PER_MS);
	ASSERT_EQ(chan_msgs(fd), 2);
	ASSERT_EQ(ipcchan_send_batch(fd, sm, 5, 0, 50 * NS_PER_MS),
		  -ETIMEDOUT);
}

/* A hung-up channel: a batch receive drains it, then gets EPIPE. */
TEST(recv_hangup)
{
	char name[IPCCHAN_NAME_MAX];
	struct ipcchan_mmsg rm[4];
	char rb[4][64];
	int r = chan_new(name, IPCCHAN_OPEN_RECV, 0600, 64, 0, 0);
	int s = chan_get(name, IPCCHAN_OPEN_SEND);

	require_batch();
	send_str(s, "one");
	send_str(s, "two");
	close(s);
	recv_slots(rm, rb, 4, 64);
	ASSERT_EQ(ipcchan_recv_batch(r, rm, 4, 0, WAIT_NS), 2);
	ASSERT_EQ(ipcchan_recv_batch(r, rm, 4, 0, WAIT_NS), -EPIPE);
}

TEST_MAIN("batch")
