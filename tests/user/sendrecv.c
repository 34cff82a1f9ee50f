// SPDX-License-Identifier: GPL-2.0
/*
 * IPCCHAN_IOC_SEND and IPCCHAN_IOC_RECV: whole datagrams in FIFO order, the
 * metadata of each message, message sizes, bad buffers, and the checks on
 * the arguments. A failed send queues nothing; a failed receive leaves the
 * message at the head of the queue.
 */
#include "util.h"

#include <pthread.h>

TEST(round_trip)
{
	char buf[64];
	int fd = chan_new(NULL, RS, 0600, 0, 0, 0);

	ASSERT_EQ(ipcchan_send(fd, "hello", 5, 0, IPCCHAN_WAIT_FOREVER), 0);
	ASSERT_EQ(ipcchan_recv(fd, buf, sizeof(buf), NULL, 0,
			       IPCCHAN_WAIT_FOREVER), 5);
	ASSERT_MEMEQ(buf, "hello", 5);
	ASSERT_EQ(chan_msgs(fd), 0);
}

/* Two descriptors, one sending and one receiving. */
TEST(separate_fds)
{
	char name[IPCCHAN_NAME_MAX];
	int s = chan_new(name, IPCCHAN_OPEN_SEND, 0600, 0, 0, 0);
	int r = chan_get(name, IPCCHAN_OPEN_RECV);

	send_str(s, "across");
	recv_str(r, "across");
}

TEST(fifo)
{
	char buf[32], want[32];
	struct ipcchan_msg_info mi;
	int fd = chan_new(NULL, RS, 0600, 32, 200, 0);
	int i;

	for (i = 0; i < 200; i++) {
		snprintf(buf, sizeof(buf), "message %d", i);
		send_str(fd, buf);
	}
	for (i = 0; i < 200; i++) {
		ssize_t n = recv_ok(fd, buf, sizeof(buf), &mi);

		snprintf(want, sizeof(want), "message %d", i);
		ASSERT_EQ(n, (ssize_t)strlen(want));
		ASSERT_MEMEQ(buf, want, n);
		ASSERT_EQ(mi.seq, (__u64)i + 1);
	}
}

/* Whole datagrams: messages never merge or split. */
TEST(boundaries)
{
	char buf[64];
	int fd = chan_new(NULL, RS, 0600, 64, 0, 0);

	send_str(fd, "ab");
	send_str(fd, "cde");
	send_str(fd, "f");
	ASSERT_EQ(recv_ok(fd, buf, sizeof(buf), NULL), 2);
	ASSERT_EQ(recv_ok(fd, buf, sizeof(buf), NULL), 3);
	ASSERT_MEMEQ(buf, "cde", 3);
	ASSERT_EQ(recv_ok(fd, buf, sizeof(buf), NULL), 1);
}

/*
 * seq counts from 1 in queue order; pid and uid are the sender's; the
 * timestamp is CLOCK_MONOTONIC at the send.
 */
TEST(metadata)
{
	struct ipcchan_msg_info mi;
	int64_t t0, t1, t2, t3;
	char buf[8];
	int fd = chan_new(NULL, RS, 0600, 0, 0, 0);

	t0 = now_ns();
	send_str(fd, "a");
	t1 = now_ns();
	msleep(20);
	t2 = now_ns();
	send_str(fd, "bb");
	t3 = now_ns();

	ASSERT_EQ(recv_ok(fd, buf, sizeof(buf), &mi), 1);
	ASSERT_EQ(mi.seq, 1);
	ASSERT_EQ(mi.len, 1);
	ASSERT_EQ(mi.pid, getpid());
	ASSERT_EQ(mi.uid, getuid());
	ASSERT_GE((int64_t)mi.timestamp_ns, t0);
	ASSERT_LE((int64_t)mi.timestamp_ns, t1);
	ASSERT_EQ(mi.__reserved, 0);

	ASSERT_EQ(recv_ok(fd, buf, sizeof(buf), &mi), 2);
	ASSERT_EQ(mi.seq, 2);
	ASSERT_EQ(mi.len, 2);
	ASSERT_GE((int64_t)mi.timestamp_ns, t2);
	ASSERT_LE((int64_t)mi.timestamp_ns, t3);
}

/* The pid is the sending process's, not the creator's or receiver's. */
TEST(sender_pid)
{
	struct ipcchan_msg_info mi;
	char buf[8];
	int fd = chan_new(NULL, RS, 0600, 0, 0, 0);
	pid_t pid = xfork();

	if (pid == 0) {
		send_str(fd, "kid");
		child_exit();
	}
	ASSERT_CHILD_OK(pid);
	ASSERT_EQ(recv_ok(fd, buf, sizeof(buf), &mi), 3);
	ASSERT_EQ(mi.pid, pid);
	ASSERT_NE(mi.pid, getpid());
	ASSERT_EQ(mi.uid, 0);
}

/*
 * before: a channel sender fd opened by root, then used by a process that
 *         has become nobody (euid 65534)
 * after:  its messages carry uid 0, the uid of the credentials the fd was
 *         opened with, which are also the ones charged; a sender fd that
 *         nobody opens carries 65534
 */
TEST(uid_is_openers)
{
	char name[IPCCHAN_NAME_MAX];
	struct ipcchan_msg_info mi;
	char buf[16];
	int fd = chan_new(name, RS, 0666, 0, 0, 0);
	int root_sender = chan_get(name, IPCCHAN_OPEN_SEND);
	pid_t pid;

	pid = xfork();
	if (pid == 0) {
		int mine;

		drop_to_nobody();
		send_str(root_sender, "root's fd");
		mine = chan_get(name, IPCCHAN_OPEN_SEND);
		send_str(mine, "nobody's fd");
		child_exit();
	}
	ASSERT_CHILD_OK(pid);
	ASSERT_EQ(recv_ok(fd, buf, sizeof(buf), &mi), 9);
	ASSERT_EQ(mi.pid, pid);
	ASSERT_EQ(mi.uid, 0, "the sender's euid at send time, not the opener's");
	ASSERT_EQ(recv_ok(fd, buf, sizeof(buf), &mi), 11);
	ASSERT_EQ(mi.uid, NOBODY);
}

static void *thread_send(void *arg)
{
	int fd = *(int *)arg;

	return (void *)(intptr_t)ipcchan_send(fd, "thread", 6, 0,
					      IPCCHAN_WAIT_FOREVER);
}

/* The pid is the thread group id, not the id of the sending thread. */
TEST(pid_is_tgid)
{
	struct ipcchan_msg_info mi;
	pthread_t th;
	void *ret;
	char buf[8];
	int fd = chan_new(NULL, RS, 0600, 0, 0, 0);

	ASSERT_EQ(pthread_create(&th, NULL, thread_send, &fd), 0);
	ASSERT_EQ(pthread_join(th, &ret), 0);
	ASSERT_EQ((intptr_t)ret, 0);
	ASSERT_EQ(recv_ok(fd, buf, sizeof(buf), &mi), 6);
	ASSERT_EQ(mi.pid, getpid());
}

/* Sequence numbers belong to a channel and are not reused. */
TEST(seq_per_channel)
{
	struct ipcchan_msg_info mi;
	struct ipcchan_chan_info ci;
	char buf[8];
	int a = chan_new(NULL, RS, 0600, 0, 0, 0);
	int b = chan_new(NULL, RS, 0600, 0, 0, 0);

	send_str(a, "a1");
	send_str(a, "a2");
	send_str(b, "b1");
	recv_ok(b, buf, sizeof(buf), &mi);
	ASSERT_EQ(mi.seq, 1);
	recv_ok(a, buf, sizeof(buf), &mi);
	ASSERT_EQ(mi.seq, 1);
	recv_ok(a, buf, sizeof(buf), &mi);
	ASSERT_EQ(mi.seq, 2);
	/* An empty queue does not restart the count. */
	send_str(a, "a3");
	chan_info(a, &ci);
	ASSERT_EQ(ci.next_seq, 4);
	recv_ok(a, buf, sizeof(buf), &mi);
	ASSERT_EQ(mi.seq, 3);
}

TEST(zero_length)
{
	struct ipcchan_msg_info mi;
	struct ipcchan_chan_info ci;
	char buf[8] = "zzzz";
	int fd = chan_new(NULL, RS, 0600, 0, 0, 0);

	ASSERT_EQ(ipcchan_send(fd, buf, 0, 0, IPCCHAN_WAIT_FOREVER), 0);
	chan_info(fd, &ci);
	ASSERT_EQ(ci.msgs, 1);
	ASSERT_EQ(ci.bytes, 0);
	ASSERT_EQ(ipcchan_recv(fd, buf, sizeof(buf), &mi, 0,
			       IPCCHAN_WAIT_FOREVER), 0);
	ASSERT_EQ(mi.len, 0);
	ASSERT_EQ(mi.seq, 1);
	ASSERT_MEMEQ(buf, "zzzz", 4);
	/* A zero-length message fits a zero-length buffer. */
	ASSERT_EQ(ipcchan_send(fd, buf, 0, 0, IPCCHAN_WAIT_FOREVER), 0);
	ASSERT_EQ(ipcchan_recv(fd, buf, 0, &mi, 0, IPCCHAN_WAIT_FOREVER), 0);
	ASSERT_EQ(chan_msgs(fd), 0);
}

/*
 * before: a channel with max_msg_size 256
 * after:  256 bytes queue, 257 get EMSGSIZE and queue nothing
 */
TEST(max_size)
{
	static char buf[300], out[300];
	struct ipcchan_chan_info ci;
	int fd = chan_new(NULL, RS, 0600, 256, 0, 0);

	fill_pattern(buf, sizeof(buf), 1);
	ASSERT_EQ(ipcchan_send(fd, buf, 257, 0, IPCCHAN_WAIT_FOREVER),
		  -EMSGSIZE);
	ASSERT_EQ(ipcchan_send(fd, buf, 300, IPCCHAN_XFER_NONBLOCK,
			       IPCCHAN_WAIT_FOREVER), -EMSGSIZE);
	chan_info(fd, &ci);
	ASSERT_EQ(ci.msgs, 0);
	ASSERT_EQ(ci.bytes, 0);
	ASSERT_EQ(ci.next_seq, 1, "a failed send used a sequence number");
	ASSERT_EQ(ipcchan_send(fd, buf, 256, 0, IPCCHAN_WAIT_FOREVER), 0);
	ASSERT_EQ(recv_ok(fd, out, sizeof(out), NULL), 256);
	ASSERT_MEMEQ(out, buf, 256);
}

/* A huge length is refused by size, before anything is allocated. */
TEST(huge_length)
{
	struct ipcchan_send s;
	int fd = chan_new(NULL, RS, 0600, 0, 0, 0);

	raw_send_init(&s, "x", 0xffffffff);
	ASSERT_EQ(xioctl(fd, IPCCHAN_IOC_SEND, &s), -EMSGSIZE);
	raw_send_init(&s, NULL, 0x80000000);
	ASSERT_EQ(xioctl(fd, IPCCHAN_IOC_SEND, &s), -EMSGSIZE);
	ASSERT_EQ(chan_msgs(fd), 0);
}

/* The largest message the module allows, up to 1 MiB, intact. */
TEST(large_message)
{
	struct ipcchan_version v;
	struct ipcchan_msg_info mi;
	size_t len;
	char *buf, *out;
	int fd;

	get_version(&v);
	len = v.max_msg_size < (1 << 20) ? v.max_msg_size : (1 << 20);
	buf = malloc(len);
	out = malloc(len);
	ASSERT_TRUE(buf && out);
	fill_pattern(buf, len, 7);
	fd = chan_new(NULL, RS, 0600, len, 2, 2 * len);
	send_ok(fd, buf, len);
	ASSERT_EQ(recv_ok(fd, out, len, &mi), (ssize_t)len);
	ASSERT_EQ(mi.len, len);
	ASSERT_MEMEQ(out, buf, len);
}

/*
 * before: a 100-byte message queued, then another
 * after:  a 50-byte buffer gets EMSGSIZE with info.len 100, and the message
 *         is still at the head, whole, for a big enough buffer
 */
TEST(recv_too_small)
{
	char buf[100], out[128];
	struct ipcchan_msg_info mi;
	struct ipcchan_recv r;
	int fd = chan_new(NULL, RS, 0600, 128, 0, 0);

	fill_pattern(buf, sizeof(buf), 2);
	send_ok(fd, buf, sizeof(buf));
	send_str(fd, "second");
	memset(&mi, 0, sizeof(mi));
	ASSERT_EQ(ipcchan_recv(fd, out, 50, &mi, 0, IPCCHAN_WAIT_FOREVER),
		  -EMSGSIZE);
	ASSERT_EQ(mi.len, 100);
	ASSERT_EQ(ipcchan_recv(fd, out, 99, &mi, IPCCHAN_XFER_NONBLOCK,
			       IPCCHAN_WAIT_FOREVER), -EMSGSIZE);
	ASSERT_EQ(ipcchan_recv(fd, NULL, 0, &mi, 0, IPCCHAN_WAIT_FOREVER),
		  -EMSGSIZE);
	ASSERT_EQ(mi.len, 100);
	raw_recv_init(&r, out, 10);
	ASSERT_EQ(xioctl(fd, IPCCHAN_IOC_RECV, &r), -EMSGSIZE);
	ASSERT_EQ(r.info.len, 100);
	ASSERT_EQ(chan_msgs(fd), 2);

	ASSERT_EQ(recv_ok(fd, out, 100, &mi), 100);
	ASSERT_EQ(mi.seq, 1);
	ASSERT_MEMEQ(out, buf, 100);
	recv_str(fd, "second");
}

/*
 * A bad buffer: EFAULT, and the message stays at the head. Each kind of
 * bad buffer is tried once, then the head is received, so that a message
 * put back anywhere but the head is caught.
 */
TEST(recv_efault)
{
	char buf[100], out[100];
	struct ipcchan_msg_info mi;
	void *bad[] = {
		(void *)1,
		noaccess_page(),
		guarded_buf(50),	/* the copy fails midway */
		/* read-only memory */
		(void *)"read-only string literal ......"
		"..............................................."
		".....................",
	};
	int fd = chan_new(NULL, RS, 0600, 128, 0, 0);
	unsigned int i, n = sizeof(bad) / sizeof(bad[0]);

	for (i = 0; i < n + 1; i++) {
		fill_pattern(buf, sizeof(buf), i);
		send_ok(fd, buf, sizeof(buf));
	}
	for (i = 0; i < n; i++) {
		ASSERT_EQ(ipcchan_recv(fd, bad[i], 100, NULL, 0,
				       IPCCHAN_WAIT_FOREVER), -EFAULT,
			  "bad buffer %u", i);
		ASSERT_EQ(chan_msgs(fd), n + 1 - i);
		ASSERT_EQ(recv_ok(fd, out, sizeof(out), &mi), 100);
		ASSERT_EQ(mi.seq, i + 1, "bad buffer %u", i);
		fill_pattern(buf, sizeof(buf), i);
		ASSERT_MEMEQ(out, buf, 100);
	}
}

/*
 * The receive struct itself can be read but not written: the info cannot be
 * copied out, so the message must stay queued.
 */
TEST(recv_readonly_struct)
{
	struct ipcchan_recv *r = guarded_buf(sizeof(*r));
	char out[16];
	int fd = chan_new(NULL, RS, 0600, 0, 0, 0);

	send_str(fd, "keep me");
	send_str(fd, "behind");
	raw_recv_init(r, out, sizeof(out));
	ASSERT_EQ(mprotect((void *)((uintptr_t)r & ~(page_size() - 1)),
			   page_size(), PROT_READ), 0);
	ASSERT_EQ(xioctl(fd, IPCCHAN_IOC_RECV, r), -EFAULT);
	ASSERT_EQ(chan_msgs(fd), 2);
	recv_str(fd, "keep me");
	recv_str(fd, "behind");
}

TEST(send_efault)
{
	struct ipcchan_chan_info ci;
	int fd = chan_new(NULL, RS, 0600, 8192, 0, 0);

	ASSERT_EQ(ipcchan_send(fd, (void *)1, 10, 0, IPCCHAN_WAIT_FOREVER),
		  -EFAULT);
	ASSERT_EQ(ipcchan_send(fd, NULL, 10, 0, IPCCHAN_WAIT_FOREVER),
		  -EFAULT);
	ASSERT_EQ(ipcchan_send(fd, noaccess_page(), 10, 0,
			       IPCCHAN_WAIT_FOREVER), -EFAULT);
	ASSERT_EQ(ipcchan_send(fd, guarded_buf(100), 200, 0,
			       IPCCHAN_WAIT_FOREVER), -EFAULT);
	ASSERT_EQ(ipcchan_send(fd, guarded_buf(4000), 8192, 0,
			       IPCCHAN_WAIT_FOREVER), -EFAULT);
	chan_info(fd, &ci);
	ASSERT_EQ(ci.msgs, 0);
	ASSERT_EQ(ci.bytes, 0);
	ASSERT_EQ(ci.next_seq, 1);
	/* Exactly the valid part is fine. */
	ASSERT_EQ(ipcchan_send(fd, guarded_buf(100), 100, 0,
			       IPCCHAN_WAIT_FOREVER), 0);
	ASSERT_EQ(chan_msgs(fd), 1);
}

TEST(reserved)
{
	struct ipcchan_send s;
	struct ipcchan_recv r;
	char out[8];
	int fd = chan_new(NULL, RS, 0600, 0, 0, 0);

	raw_send_init(&s, "x", 1);
	s.__reserved = 1;
	ASSERT_EQ(xioctl(fd, IPCCHAN_IOC_SEND, &s), -EINVAL);
	ASSERT_EQ(chan_msgs(fd), 0);
	s.__reserved = 0;
	ASSERT_EQ(xioctl(fd, IPCCHAN_IOC_SEND, &s), 0);

	raw_recv_init(&r, out, sizeof(out));
	r.__reserved = 0x100;
	ASSERT_EQ(xioctl(fd, IPCCHAN_IOC_RECV, &r), -EINVAL);
	ASSERT_EQ(chan_msgs(fd), 1);
	r.__reserved = 0;
	ASSERT_EQ(xioctl(fd, IPCCHAN_IOC_RECV, &r), 1, "RECV returns the length");
	ASSERT_EQ(r.info.len, 1);
}

/* info is output only: whatever the caller left there is ignored. */
TEST(recv_info_is_output)
{
	struct ipcchan_recv r;
	char out[8];
	int fd = chan_new(NULL, RS, 0600, 0, 0, 0);

	send_str(fd, "abc");
	raw_recv_init(&r, out, sizeof(out));
	memset(&r.info, 0xff, sizeof(r.info));
	ASSERT_EQ(xioctl(fd, IPCCHAN_IOC_RECV, &r), 3);
	ASSERT_EQ(r.info.len, 3);
	ASSERT_EQ(r.info.seq, 1);
	ASSERT_EQ(r.info.__reserved, 0);
}

TEST(unknown_xfer_flags)
{
	struct ipcchan_send s;
	struct ipcchan_recv r;
	char out[8];
	int fd = chan_new(NULL, RS, 0600, 0, 0, 0), bit;

	/*
	 * Bits 0-2 are NONBLOCK, TIMEOUT and HANDLE (region_handle tests), and
	 * bit 3 of a send is SYNC (tests/user/sync.c).
	 */
	for (bit = 4; bit < 32; bit++) {
		raw_send_init(&s, "x", 1);
		s.flags = 1U << bit;
		EXPECT_EQ(xioctl(fd, IPCCHAN_IOC_SEND, &s), -EINVAL,
			  "send flag bit %d", bit);
	}
	ASSERT_EQ(chan_msgs(fd), 0);
	send_str(fd, "x");
	for (bit = 3; bit < 32; bit++) {
		raw_recv_init(&r, out, sizeof(out));
		r.flags = 1U << bit;
		EXPECT_EQ(xioctl(fd, IPCCHAN_IOC_RECV, &r), -EINVAL,
			  "recv flag bit %d", bit);
	}
	ASSERT_EQ(chan_msgs(fd), 1);
	/* The library does not let callers pass TIMEOUT themselves. */
	ASSERT_EQ(ipcchan_send(fd, "x", 1, IPCCHAN_XFER_TIMEOUT, 1000),
		  -EINVAL);
}

TEST(timeout_without_flag)
{
	struct ipcchan_send s;
	struct ipcchan_recv r;
	char out[8];
	int fd = chan_new(NULL, RS, 0600, 0, 0, 0);

	raw_send_init(&s, "x", 1);
	s.timeout_ns = 1000000;
	ASSERT_EQ(xioctl(fd, IPCCHAN_IOC_SEND, &s), -EINVAL);
	s.flags = IPCCHAN_XFER_NONBLOCK;
	ASSERT_EQ(xioctl(fd, IPCCHAN_IOC_SEND, &s), -EINVAL);
	ASSERT_EQ(chan_msgs(fd), 0);
	send_str(fd, "x");
	raw_recv_init(&r, out, sizeof(out));
	r.timeout_ns = -1;
	ASSERT_EQ(xioctl(fd, IPCCHAN_IOC_RECV, &r), -EINVAL);
	ASSERT_EQ(chan_msgs(fd), 1);
}

TEST(negative_timeout)
{
	struct ipcchan_send s;
	struct ipcchan_recv r;
	char out[8];
	int fd = chan_new(NULL, RS, 0600, 0, 0, 0);

	raw_send_init(&s, "x", 1);
	s.flags = IPCCHAN_XFER_TIMEOUT;
	s.timeout_ns = -1;
	ASSERT_EQ(xioctl(fd, IPCCHAN_IOC_SEND, &s), -EINVAL);
	s.timeout_ns = INT64_MIN;
	ASSERT_EQ(xioctl(fd, IPCCHAN_IOC_SEND, &s), -EINVAL);
	ASSERT_EQ(chan_msgs(fd), 0);
	send_str(fd, "x");
	raw_recv_init(&r, out, sizeof(out));
	r.flags = IPCCHAN_XFER_TIMEOUT;
	r.timeout_ns = -1000;
	ASSERT_EQ(xioctl(fd, IPCCHAN_IOC_RECV, &r), -EINVAL);
	ASSERT_EQ(chan_msgs(fd), 1);
	/* The library refuses negative timeouts other than WAIT_FOREVER. */
	ASSERT_EQ(ipcchan_recv(fd, out, sizeof(out), NULL, 0, -2), -EINVAL);
}

/* A recv buffer larger than the message returns the message's length. */
TEST(big_buffer)
{
	char out[4096];
	struct ipcchan_msg_info mi;
	int fd = chan_new(NULL, RS, 0600, 0, 0, 0);

	memset(out, 'q', sizeof(out));
	send_str(fd, "tiny");
	ASSERT_EQ(ipcchan_recv(fd, out, sizeof(out), &mi, 0,
			       IPCCHAN_WAIT_FOREVER), 4);
	ASSERT_EQ(mi.len, 4);
	ASSERT_MEMEQ(out, "tinyqqqq", 8, "bytes past the message were touched");
}

TEST_MAIN("sendrecv")
