// SPDX-License-Identifier: GPL-2.0
/*
 * Systematic fault injection (failnth.h) into every control-fd and channel
 * call: VERSION, CHAN_OPEN (create, open existing, with each access and
 * flag), UNLINK, SEND, RECV (small and large messages, with region
 * handles), SEND_BATCH, RECV_BATCH, SEND_PACKED, RECV_PACKED, CHAN_INFO,
 * write, read, writev, readv; and synchronous SEND and SEND_BATCH, handed
 * to a receiver that waits.
 *
 * For every N until the call runs through, the Nth allocation or user copy
 * of the call fails, and then: the call failed with ENOMEM, EFAULT or
 * ENOBUFS, or succeeded; a failed send queued nothing and a failed receive
 * left its message at the head, received whole by the next try (same
 * bytes, same sequence number); a failed open or receive left no fd; the
 * counts of CHAN_INFO are those of what happened; and at the end neither
 * the memory budget nor the channel count has leaked (probed to the byte
 * and to the channel) and the channel takes exactly max_msgs messages.
 */
#include "failnth.h"

#include <sys/uio.h>

#define MAX_MSGS	8
#define BIG_LEN		(5 * 4096 + 100)	/* a kvmalloc()ed message */
#define BATCH		4

static const unsigned int batch_lens[BATCH] = { 16, 300, 2000, 5000 };

struct ctx {
	int dev;
	int fd;				/* the channel, RECV|SEND */
	int region;			/* a region fd sent as a handle */
	char name[IPCCHAN_NAME_MAX];
	char rname[IPCCHAN_NAME_MAX];
	unsigned int len;		/* of the message under test */
	unsigned int n;			/* tries so far: a seed */
	int fds;			/* count_fds() before the call */
	uint64_t next_seq;		/* the seq the next message gets */

	/* The queued messages, oldest first: seed, length, seq. */
	struct { unsigned int seed, len; uint64_t seq; } q[BATCH];
	int nq;

	unsigned char out[BIG_LEN];
	unsigned char in[BIG_LEN];
	unsigned char bin[BATCH][8192];
	struct ipcchan_mmsg mm[BATCH];
	struct iovec iov[3];
	struct ipcchan_send s;
	struct ipcchan_recv r;
	struct ipcchan_batch b;
	unsigned char pk[BATCH * IPCCHAN_PACKED_REC_SIZE(8192)];
	struct ipcchan_packed pp;
	struct ipcchan_chan_info ci;
	struct ipcchan_version v;
	struct ipcchan_chan_open op;
	struct ipcchan_unlink ul;
	unsigned int open_flags;
	int newfd;
	pid_t taker;			/* a receiver waiting, for sync sends */
	unsigned char *tk_buf;		/* shared: what it received */
	long *tk_len;			/* shared: its receive's result */
	bool handle;			/* the messages carry c->region */
	bool ioctl;			/* received by IPCCHAN_IOC_RECV */
};

static struct ctx *ctx_new(void)
{
	struct ctx *c = calloc(1, sizeof(*c));
	struct ipcchan_chan_info ci;

	ASSERT_TRUE(c != NULL);
	failnth_setup();
	c->dev = dev_open();
	c->fd = chan_new_dev(c->dev, c->name, RS, 0600, BUDGET_PROBE, MAX_MSGS,
			     (uint64_t)BUDGET_PROBE * MAX_MSGS);
	c->region = region_new(c->rname, RW_REGION, 0600, 4096);
	chan_info(c->fd, &ci);
	c->next_seq = ci.next_seq;
	return c;
}

/*
 * budget_free(), with the channel (empty) holding as many spare buffers as
 * it keeps, charged to the budget: MAX_MSGS, once it has sent and received
 * that many small messages. The loops change how many it holds; this makes
 * it the same at each probe. The sequence numbers used are taken into
 * account.
 */
static long ctx_budget(struct ctx *c)
{
	struct ipcchan_chan_info ci;
	long free;
	int i;

	for (i = 0; i < MAX_MSGS; i++)
		ASSERT_EQ(ipcchan_send(c->fd, "s", 1, IPCCHAN_XFER_NONBLOCK,
				       -1), 0);
	for (i = 0; i < MAX_MSGS; i++)
		ASSERT_EQ(ipcchan_recv(c->fd, c->in, sizeof(c->in), NULL,
				       IPCCHAN_XFER_NONBLOCK, -1), 1);
	free = budget_free(c->fd);

	chan_info(c->fd, &ci);
	c->next_seq = ci.next_seq;
	return free;
}

/* CHAN_INFO says @msgs messages of @bytes bytes are queued. */
static void expect_queue(struct ctx *c, unsigned int msgs, uint64_t bytes)
{
	struct ipcchan_chan_info ci;

	chan_info(c->fd, &ci);
	ASSERT_EQ(ci.msgs, msgs, "after try %u", c->n);
	ASSERT_EQ(ci.bytes, bytes, "after try %u", c->n);
	ASSERT_EQ(ci.next_seq, c->next_seq, "after try %u: a sequence number "
		  "was used by a message that was not queued", c->n);
	ASSERT_EQ(ci.senders, 1);
	ASSERT_EQ(ci.receivers, 1);
}

static uint64_t queued_bytes(const struct ctx *c)
{
	uint64_t b = 0;
	int i;

	for (i = 0; i < c->nq; i++)
		b += c->q[i].len;
	return b;
}

/* Queues one message of @len bytes with pattern @seed, and notes it. */
static void queue_one(struct ctx *c, unsigned int seed, unsigned int len)
{
	fill_pattern(c->out, len, seed);
	ASSERT_EQ(ipcchan_send(c->fd, c->out, len, IPCCHAN_XFER_NONBLOCK, -1),
		  0);
	ASSERT_LT(c->nq, BATCH);
	c->q[c->nq].seed = seed;
	c->q[c->nq].len = len;
	c->q[c->nq].seq = c->next_seq++;
	c->nq++;
}

/* The oldest queued message arrived as @buf, @len bytes, @info. */
static void expect_head(struct ctx *c, const void *buf, long len,
			const struct ipcchan_msg_info *info)
{
	static unsigned char want[BIG_LEN];

	ASSERT_GT(c->nq, 0);
	ASSERT_EQ(len, c->q[0].len);
	fill_pattern(want, c->q[0].len, c->q[0].seed);
	ASSERT_MEMEQ(buf, want, c->q[0].len, "message seq %llu",
		     (unsigned long long)c->q[0].seq);
	if (info) {
		ASSERT_EQ(info->seq, c->q[0].seq, "a message was lost or "
			  "received twice");
		ASSERT_EQ(info->len, c->q[0].len);
		ASSERT_EQ(info->pid, getpid());
	}
	memmove(&c->q[0], &c->q[1], (c->nq - 1) * sizeof(c->q[0]));
	c->nq--;
}

/* Receives what is queued and checks it all. */
static void drain(struct ctx *c)
{
	while (c->nq) {
		struct ipcchan_msg_info info;
		ssize_t n = ipcchan_recv(c->fd, c->in, sizeof(c->in), &info,
					 IPCCHAN_XFER_NONBLOCK, -1);

		expect_head(c, c->in, n, &info);
	}
	expect_queue(c, 0, 0);
}

/*
 * After a loop: the budget is what it was, and the channel still takes
 * exactly max_msgs messages.
 */
static void final_checks(struct ctx *c, long budget0)
{
	int i;

	drain(c);
	ASSERT_EQ(ctx_budget(c), budget0, "the memory budget leaked");
	for (i = 0; i < MAX_MSGS; i++)
		ASSERT_EQ(ipcchan_send(c->fd, "x", 1, IPCCHAN_XFER_NONBLOCK,
				       -1), 0, "message %d of %d", i + 1,
			  MAX_MSGS);
	ASSERT_EQ(ipcchan_send(c->fd, "x", 1, IPCCHAN_XFER_NONBLOCK, -1),
		  -EAGAIN);
	for (i = 0; i < MAX_MSGS; i++)
		ASSERT_EQ(ipcchan_recv(c->fd, c->in, sizeof(c->in), NULL,
				       IPCCHAN_XFER_NONBLOCK, -1), 1);
	ASSERT_EQ(u_chan_msgs(c->fd), 0);
}

/* ----- the control fd ----- */

static long call_version(void *p)
{
	struct ctx *c = p;

	return xioctl(c->dev, IPCCHAN_IOC_VERSION, &c->v);
}

static void setup_version(void *p)
{
	struct ctx *c = p;

	memset(&c->v, 0, sizeof(c->v));
	c->v.size = sizeof(c->v);
}

static void check_version(void *p, long ret, bool injected)
{
	struct ctx *c = p;
	struct ipcchan_version v;

	(void)injected;
	if (ret == 0) {
		ASSERT_EQ(c->v.abi_version, IPCCHAN_ABI_VERSION);
		ASSERT_EQ(c->v.name_max, IPCCHAN_NAME_MAX);
	}
	get_version(&v);
	ASSERT_EQ(v.abi_version, IPCCHAN_ABI_VERSION);
}

TEST(version)
{
	struct ctx *c = ctx_new();
	struct failnth_call fc = {
		.name = "VERSION", .ctx = c, .setup = setup_version,
		.call = call_version, .check = check_version,
	};

	failnth_run(&fc);
}

static long call_open(void *p)
{
	struct ctx *c = p;

	return xioctl(c->dev, IPCCHAN_IOC_CHAN_OPEN, &c->op);
}

/* A new fd @fd of channel @name works: a message goes through it. */
static void fd_works(int fd, unsigned int flags)
{
	char buf[16];

	if ((flags & RS) == RS) {
		send_str(fd, "ping");
		recv_str(fd, "ping");
	} else if (flags & IPCCHAN_OPEN_SEND) {
		ASSERT_EQ(ipcchan_recv(fd, buf, sizeof(buf), NULL,
				       IPCCHAN_XFER_NONBLOCK, -1), -EBADF);
	} else {
		ASSERT_EQ(ipcchan_send(fd, "x", 1, IPCCHAN_XFER_NONBLOCK, -1),
			  -EBADF);
	}
}

static void setup_create(void *p)
{
	struct ctx *c = p;
	char name[IPCCHAN_NAME_MAX];

	new_name(name);
	raw_open_init(&c->op, name, c->open_flags);
	c->op.mode = 0600;
	c->fds = count_fds();
}

static void check_create(void *p, long ret, bool injected)
{
	struct ctx *c = p;
	int fd;

	(void)injected;
	if (ret >= 0) {
		fd_works(ret, c->open_flags);
		ASSERT_EQ(count_fds(), c->fds + 1);
		close(ret);
		chan_unlink(c->op.name);
		return;
	}
	ASSERT_EQ(count_fds(), c->fds, "a failed open left a fd behind");
	fd = ipcchan_chan_open(c->dev, c->op.name, RS, NULL);
	ASSERT_EQ(fd, -ENOENT, "a failed create left channel %s behind",
		  c->op.name);
}

TEST(chan_open_create)
{
	struct ctx *c = ctx_new();
	struct failnth_call fc = {
		.name = "CHAN_OPEN(CREATE)", .ctx = c, .setup = setup_create,
		.call = call_open, .check = check_create,
	};
	int free0 = channels_free();

	c->open_flags = RS | IPCCHAN_OPEN_CREATE | IPCCHAN_OPEN_EXCL;
	failnth_run(&fc);
	fc.name = "CHAN_OPEN(CREATE|CLOEXEC|NONBLOCK, SEND)";
	c->open_flags = IPCCHAN_OPEN_SEND | IPCCHAN_OPEN_CREATE |
			IPCCHAN_OPEN_CLOEXEC | IPCCHAN_OPEN_NONBLOCK;
	failnth_run(&fc);
	ASSERT_EQ(channels_free(), free0, "the channel count leaked");
}

static void setup_open(void *p)
{
	struct ctx *c = p;

	raw_open_init(&c->op, c->name, c->open_flags);
	c->fds = count_fds();
}

static void check_open(void *p, long ret, bool injected)
{
	struct ctx *c = p;
	struct ipcchan_chan_info ci;
	unsigned int senders = 1, receivers = 1;

	(void)injected;
	if (ret >= 0) {
		ASSERT_EQ(count_fds(), c->fds + 1);
		chan_info(c->fd, &ci);
		ASSERT_EQ(ci.senders, 1 + !!(c->open_flags & IPCCHAN_OPEN_SEND));
		ASSERT_EQ(ci.receivers,
			  1 + !!(c->open_flags & IPCCHAN_OPEN_RECV));
		fd_works(ret, c->open_flags);
		close(ret);
	} else {
		ASSERT_EQ(count_fds(), c->fds, "a failed open left a fd "
			  "behind");
	}
	chan_info(c->fd, &ci);
	ASSERT_EQ(ci.senders, senders);
	ASSERT_EQ(ci.receivers, receivers);
	ASSERT_EQ(ci.msgs, 0);
}

TEST(chan_open_existing)
{
	static const struct { const char *name; unsigned int flags; } v[] = {
		{ "CHAN_OPEN(RECV)", IPCCHAN_OPEN_RECV },
		{ "CHAN_OPEN(SEND)", IPCCHAN_OPEN_SEND },
		{ "CHAN_OPEN(RECV|SEND|NONBLOCK|CLOEXEC)",
		  RS | IPCCHAN_OPEN_NONBLOCK | IPCCHAN_OPEN_CLOEXEC },
		{ "CHAN_OPEN(CREATE, existing)", RS | IPCCHAN_OPEN_CREATE },
	};
	struct ctx *c = ctx_new();
	struct failnth_call fc = {
		.ctx = c, .setup = setup_open, .call = call_open,
		.check = check_open,
	};
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		fc.name = v[i].name;
		c->open_flags = v[i].flags;
		failnth_run(&fc);
	}
}

static long call_unlink(void *p)
{
	struct ctx *c = p;

	return xioctl(c->dev, IPCCHAN_IOC_UNLINK, &c->ul);
}

static void setup_unlink(void *p)
{
	struct ctx *c = p;

	memset(&c->ul, 0, sizeof(c->ul));
	c->newfd = chan_new_dev(c->dev, c->ul.name, RS, 0600, 0, 0, 0);
	c->ul.size = sizeof(c->ul);
	c->ul.kind = IPCCHAN_KIND_CHANNEL;
}

static void check_unlink(void *p, long ret, bool injected)
{
	struct ctx *c = p;
	int fd = ipcchan_chan_open(c->dev, c->ul.name, RS, NULL);

	(void)injected;
	if (ret == 0) {
		ASSERT_EQ(fd, -ENOENT, "unlinked, yet the name is there");
	} else {
		ASSERT_GE(fd, 0, "a failed unlink removed the name");
		close(fd);
		chan_unlink(c->ul.name);
	}
	fd_works(c->newfd, RS);
	close(c->newfd);
}

TEST(unlink)
{
	struct ctx *c = ctx_new();
	struct failnth_call fc = {
		.name = "UNLINK", .ctx = c, .setup = setup_unlink,
		.call = call_unlink, .check = check_unlink,
	};

	failnth_run(&fc);
}

/* ----- sending ----- */

static long call_send(void *p)
{
	struct ctx *c = p;

	return xioctl(c->fd, IPCCHAN_IOC_SEND, &c->s);
}

static long call_write(void *p)
{
	struct ctx *c = p;
	ssize_t n = write(c->fd, c->out, c->len);

	return n < 0 ? -errno : n;
}

static long call_writev(void *p)
{
	struct ctx *c = p;
	ssize_t n = writev(c->fd, c->iov, 3);

	return n < 0 ? -errno : n;
}

static void setup_send(void *p)
{
	struct ctx *c = p;

	c->n++;
	fill_pattern(c->out, c->len, c->n);
	raw_send_init(&c->s, c->out, c->len);
	c->s.flags = IPCCHAN_XFER_NONBLOCK;
	if (c->handle) {
		c->s.flags |= IPCCHAN_XFER_HANDLE;
		c->s.handle_fd = c->region;
	}
	c->iov[0].iov_base = c->out;
	c->iov[0].iov_len = c->len / 3;
	c->iov[1].iov_base = c->out + c->len / 3;
	c->iov[1].iov_len = c->len / 3;
	c->iov[2].iov_base = c->out + 2 * (c->len / 3);
	c->iov[2].iov_len = c->len - 2 * (c->len / 3);
}

static void check_send(void *p, long ret, bool injected)
{
	struct ctx *c = p;
	struct ipcchan_msg_info info;
	struct ipcchan_region_info ri;
	int hfd = -2;
	ssize_t n;

	(void)injected;
	if (ret < 0) {
		expect_queue(c, 0, 0);
		return;
	}
	ASSERT_TRUE(ret == 0 || ret == c->len, "returned %ld", ret);
	c->q[0].seed = c->n;
	c->q[0].len = c->len;
	c->q[0].seq = c->next_seq++;
	c->nq = 1;
	expect_queue(c, 1, c->len);
	n = ipcchan_recv_handle(c->fd, c->in, sizeof(c->in), &info, &hfd,
				IPCCHAN_XFER_NONBLOCK, -1);
	expect_head(c, c->in, n, &info);
	if (c->s.flags & IPCCHAN_XFER_HANDLE) {
		ASSERT_GE(hfd, 0, "the message lost its handle");
		region_info(hfd, &ri);
		ASSERT_STREQ(ri.name, c->rname);
		close(hfd);
	} else {
		ASSERT_EQ(hfd, -1);
	}
}

static void send_loop(const char *name, long (*call)(void *),
		      unsigned int len, bool handle)
{
	struct ctx *c = ctx_new();
	struct failnth_call fc = {
		.name = name, .ctx = c, .setup = setup_send, .call = call,
		.check = check_send,
	};
	long budget0 = ctx_budget(c);

	c->len = len;
	c->handle = handle;
	failnth_run(&fc);
	final_checks(c, budget0);
}

TEST(send)
{
	send_loop("SEND", call_send, 100, false);
}

TEST(send_big)
{
	send_loop("SEND(big)", call_send, BIG_LEN, false);
}

TEST(send_handle)
{
	send_loop("SEND(handle)", call_send, 100, true);
}

TEST(write)
{
	send_loop("write", call_write, 100, false);
}

TEST(writev)
{
	send_loop("writev", call_writev, BIG_LEN, false);
}

/* ----- receiving ----- */

static long call_recv(void *p)
{
	struct ctx *c = p;

	return xioctl(c->fd, IPCCHAN_IOC_RECV, &c->r);
}

static long call_read(void *p)
{
	struct ctx *c = p;
	ssize_t n = read(c->fd, c->in, sizeof(c->in));

	return n < 0 ? -errno : n;
}

static long call_readv(void *p)
{
	struct ctx *c = p;
	ssize_t n = readv(c->fd, c->iov, 3);

	return n < 0 ? -errno : n;
}

static void setup_recv(void *p)
{
	struct ctx *c = p;

	c->n++;
	if (!c->nq) {
		if (c->handle) {
			fill_pattern(c->out, c->len, c->n);
			ASSERT_EQ(ipcchan_send_handle(c->fd, c->out, c->len,
						      c->region,
						      IPCCHAN_XFER_NONBLOCK,
						      -1), 0);
			c->q[0].seed = c->n;
			c->q[0].len = c->len;
			c->q[0].seq = c->next_seq++;
			c->nq = 1;
		} else {
			queue_one(c, c->n, c->len);
		}
	}
	memset(c->in, 0, sizeof(c->in));
	raw_recv_init(&c->r, c->in, sizeof(c->in));
	c->r.flags = IPCCHAN_XFER_NONBLOCK;
	if (c->handle) {
		c->r.flags |= IPCCHAN_XFER_HANDLE;
		c->r.handle_fd = -2;
	}
	c->iov[0].iov_base = c->in;
	c->iov[0].iov_len = 1000;
	c->iov[1].iov_base = c->in + 1000;
	c->iov[1].iov_len = 3000;
	c->iov[2].iov_base = c->in + 4000;
	c->iov[2].iov_len = sizeof(c->in) - 4000;
	c->fds = count_fds();
}

static void check_recv(void *p, long ret, bool injected)
{
	struct ctx *c = p;
	struct ipcchan_region_info ri;

	(void)injected;
	if (ret < 0) {
		ASSERT_EQ(count_fds(), c->fds, "a failed receive left a fd");
		expect_queue(c, 1, c->len);
		return;
	}
	expect_head(c, c->in, ret, c->ioctl ? &c->r.info : NULL);
	expect_queue(c, 0, 0);
	if (c->handle) {
		ASSERT_GE(c->r.handle_fd, 0, "the message lost its handle");
		ASSERT_EQ(c->r.handle_kind, IPCCHAN_KIND_REGION);
		ASSERT_EQ(count_fds(), c->fds + 1);
		region_info(c->r.handle_fd, &ri);
		ASSERT_STREQ(ri.name, c->rname);
		close(c->r.handle_fd);
	} else {
		ASSERT_EQ(count_fds(), c->fds);
	}
}

static void recv_loop(const char *name, long (*call)(void *),
		      unsigned int len, bool handle)
{
	struct ctx *c = ctx_new();
	struct failnth_call fc = {
		.name = name, .ctx = c, .setup = setup_recv, .call = call,
		.check = check_recv,
	};
	long budget0 = ctx_budget(c);

	c->len = len;
	c->handle = handle;
	c->ioctl = call == call_recv;
	failnth_run(&fc);
	final_checks(c, budget0);
}

TEST(recv)
{
	recv_loop("RECV", call_recv, 100, false);
}

TEST(recv_big)
{
	recv_loop("RECV(big)", call_recv, BIG_LEN, false);
}

TEST(recv_handle)
{
	recv_loop("RECV(handle)", call_recv, 100, true);
}

TEST(read)
{
	recv_loop("read", call_read, 100, false);
}

TEST(readv)
{
	recv_loop("readv", call_readv, BIG_LEN, false);
}

/* ----- batches ----- */

static long call_batch_send(void *p)
{
	struct ctx *c = p;

	return xioctl(c->fd, IPCCHAN_IOC_SEND_BATCH, &c->b);
}

static long call_batch_recv(void *p)
{
	struct ctx *c = p;

	return xioctl(c->fd, IPCCHAN_IOC_RECV_BATCH, &c->b);
}

static void setup_batch_send(void *p)
{
	struct ctx *c = p;
	unsigned char *buf = c->out;
	int i;

	c->n++;
	memset(c->mm, 0, sizeof(c->mm));
	for (i = 0; i < BATCH; i++) {
		fill_pattern(buf, batch_lens[i], c->n * BATCH + i);
		c->mm[i].buf = u64_ptr(buf);
		c->mm[i].len = batch_lens[i];
		buf += batch_lens[i];
	}
	raw_batch_init(&c->b, c->mm, BATCH);
	c->b.flags = IPCCHAN_XFER_NONBLOCK;
}

static void check_batch_send(void *p, long ret, bool injected)
{
	struct ctx *c = p;
	uint64_t bytes = 0;
	int i;

	if (!injected)
		ASSERT_EQ(ret, BATCH);
	if (ret < 0) {
		expect_queue(c, 0, 0);
		return;
	}
	ASSERT_LE(ret, BATCH);
	for (i = 0; i < ret; i++) {
		c->q[i].seed = c->n * BATCH + i;
		c->q[i].len = batch_lens[i];
		c->q[i].seq = c->next_seq++;
		bytes += batch_lens[i];
	}
	c->nq = ret;
	expect_queue(c, ret, bytes);
	drain(c);
}

/*
 * Synchronous sends: a child waits in a receive, and the send (SYNC and
 * NONBLOCK) hands its first message to it. A send that failed handed it
 * nothing and queued nothing: the child then gets another message.
 */
static void taker_start(struct ctx *c)
{
	if (!c->tk_buf) {
		c->tk_buf = shared_alloc(BIG_LEN);
		c->tk_len = shared_alloc(sizeof(*c->tk_len));
	}
	*c->tk_len = -1;
	c->taker = xfork();
	if (c->taker == 0) {
		*c->tk_len = ipcchan_recv(c->fd, c->tk_buf, BIG_LEN, NULL, 0,
					  WAIT_NS);
		_exit(0);
	}
	wait_blocked(c->taker, IN_IOCTL);
}

/* The child got @len bytes of pattern @seed, or "z" if @len is 0. */
static void taker_end(struct ctx *c, unsigned int len, unsigned int seed)
{
	if (!len) {
		ASSERT_EQ(ipcchan_send(c->fd, "z", 1, 0, WAIT_NS), 0);
		c->next_seq++;
	}
	ASSERT_EQ(wait_exit(c->taker, CHILD_MS), 0);
	if (!len) {
		ASSERT_EQ(*c->tk_len, 1, "after try %u", c->n);
		ASSERT_EQ(c->tk_buf[0], 'z');
	} else {
		ASSERT_EQ(*c->tk_len, len, "after try %u", c->n);
		ASSERT_EQ(pattern_mismatch(c->tk_buf, len, seed), -1);
		c->next_seq++;
	}
	expect_queue(c, 0, 0);
}

static void setup_send_sync(void *p)
{
	struct ctx *c = p;

	setup_send(p);
	c->s.flags = IPCCHAN_XFER_SYNC | IPCCHAN_XFER_NONBLOCK;
	taker_start(c);
}

static void check_send_sync(void *p, long ret, bool injected)
{
	struct ctx *c = p;

	(void)injected;
	if (ret < 0)
		expect_queue(c, 0, 0);
	taker_end(c, ret < 0 ? 0 : c->len, c->n);
}

TEST(send_sync)
{
	struct ctx *c = ctx_new();
	struct failnth_call fc = {
		.name = "SEND(sync)", .ctx = c, .setup = setup_send_sync,
		.call = call_send, .check = check_send_sync,
	};
	long budget0 = ctx_budget(c);

	c->len = BIG_LEN;
	failnth_run(&fc);
	final_checks(c, budget0);
}

static void setup_batch_sync(void *p)
{
	struct ctx *c = p;

	setup_batch_send(p);
	c->b.flags = IPCCHAN_XFER_SYNC | IPCCHAN_XFER_NONBLOCK;
	taker_start(c);
}

/* One receiver waits: one message taken, the others never queued. */
static void check_batch_sync(void *p, long ret, bool injected)
{
	struct ctx *c = p;

	if (!injected)
		ASSERT_EQ(ret, 1);
	ASSERT_LE(ret, 1);
	if (ret < 0)
		expect_queue(c, 0, 0);
	taker_end(c, ret < 0 ? 0 : batch_lens[0], c->n * BATCH);
}

TEST(send_batch_sync)
{
	struct ctx *c = ctx_new();
	struct failnth_call fc = {
		.name = "SEND_BATCH(sync)", .ctx = c,
		.setup = setup_batch_sync, .call = call_batch_send,
		.check = check_batch_sync,
	};
	long budget0 = ctx_budget(c);

	failnth_run(&fc);
	final_checks(c, budget0);
}

TEST(send_batch)
{
	struct ctx *c = ctx_new();
	struct failnth_call fc = {
		.name = "SEND_BATCH", .ctx = c, .setup = setup_batch_send,
		.call = call_batch_send, .check = check_batch_send,
	};
	long budget0 = ctx_budget(c);

	failnth_run(&fc);
	final_checks(c, budget0);
}

static void setup_batch_recv(void *p)
{
	struct ctx *c = p;
	int i;

	c->n++;
	while (c->nq < BATCH)
		queue_one(c, c->n * BATCH + c->nq, batch_lens[c->nq]);
	memset(c->bin, 0, sizeof(c->bin));
	memset(c->mm, 0, sizeof(c->mm));
	for (i = 0; i < BATCH; i++) {
		c->mm[i].buf = u64_ptr(c->bin[i]);
		c->mm[i].len = sizeof(c->bin[i]);
	}
	raw_batch_init(&c->b, c->mm, BATCH);
	c->b.flags = IPCCHAN_XFER_NONBLOCK;
}

static void check_batch_recv(void *p, long ret, bool injected)
{
	struct ctx *c = p;
	int i;

	if (!injected)
		ASSERT_EQ(ret, BATCH);
	if (ret < 0) {
		expect_queue(c, BATCH, queued_bytes(c));
		return;
	}
	ASSERT_LE(ret, BATCH);
	for (i = 0; i < ret; i++)
		expect_head(c, c->bin[i], c->mm[i].info.len, &c->mm[i].info);
	expect_queue(c, c->nq, queued_bytes(c));
}

TEST(recv_batch)
{
	struct ctx *c = ctx_new();
	struct failnth_call fc = {
		.name = "RECV_BATCH", .ctx = c, .setup = setup_batch_recv,
		.call = call_batch_recv, .check = check_batch_recv,
	};
	long budget0 = ctx_budget(c);

	failnth_run(&fc);
	final_checks(c, budget0);
}

/* ----- packed batches ----- */

static long call_packed_send(void *p)
{
	struct ctx *c = p;

	return xioctl(c->fd, IPCCHAN_IOC_SEND_PACKED, &c->pp);
}

static long call_packed_recv(void *p)
{
	struct ctx *c = p;

	return xioctl(c->fd, IPCCHAN_IOC_RECV_PACKED, &c->pp);
}

static void packed_init(struct ctx *c, size_t len)
{
	memset(&c->pp, 0, sizeof(c->pp));
	c->pp.size = sizeof(c->pp);
	c->pp.flags = IPCCHAN_XFER_NONBLOCK;
	c->pp.buf = u64_ptr(c->pk);
	c->pp.len = len;
	c->pp.count = BATCH;
}

static void setup_packed_send(void *p)
{
	struct ctx *c = p;
	size_t off = 0;
	void *data;
	int i;

	c->n++;
	for (i = 0; i < BATCH; i++) {
		data = ipcchan_packed_add(c->pk, sizeof(c->pk), &off,
					  batch_lens[i]);
		ASSERT_TRUE(data != NULL);
		fill_pattern(data, batch_lens[i], c->n * BATCH + i);
	}
	packed_init(c, off);
}

TEST(send_packed)
{
	struct ctx *c = ctx_new();
	struct failnth_call fc = {
		.name = "SEND_PACKED", .ctx = c, .setup = setup_packed_send,
		.call = call_packed_send, .check = check_batch_send,
	};
	long budget0 = ctx_budget(c);

	failnth_run(&fc);
	final_checks(c, budget0);
}

static void setup_packed_recv(void *p)
{
	struct ctx *c = p;

	c->n++;
	while (c->nq < BATCH)
		queue_one(c, c->n * BATCH + c->nq, batch_lens[c->nq]);
	memset(c->pk, 0, sizeof(c->pk));
	packed_init(c, sizeof(c->pk));
}

static void check_packed_recv(void *p, long ret, bool injected)
{
	const struct ipcchan_packed_rec *rec;
	struct ctx *c = p;
	size_t off = 0;
	int i;

	if (!injected)
		ASSERT_EQ(ret, BATCH);
	if (ret < 0) {
		expect_queue(c, BATCH, queued_bytes(c));
		return;
	}
	ASSERT_LE(ret, BATCH);
	for (i = 0; i < ret; i++) {
		rec = ipcchan_packed_next(c->pk, sizeof(c->pk), &off);
		ASSERT_TRUE(rec != NULL, "record %d of %ld", i, ret);
		expect_head(c, ipcchan_packed_data(rec), rec->len, &rec->info);
	}
	expect_queue(c, c->nq, queued_bytes(c));
}

TEST(recv_packed)
{
	struct ctx *c = ctx_new();
	struct failnth_call fc = {
		.name = "RECV_PACKED", .ctx = c, .setup = setup_packed_recv,
		.call = call_packed_recv, .check = check_packed_recv,
	};
	long budget0 = ctx_budget(c);

	failnth_run(&fc);
	final_checks(c, budget0);
}

/* ----- CHAN_INFO ----- */

static long call_info(void *p)
{
	struct ctx *c = p;

	return xioctl(c->fd, IPCCHAN_IOC_CHAN_INFO, &c->ci);
}

static void setup_info(void *p)
{
	struct ctx *c = p;

	memset(&c->ci, 0, sizeof(c->ci));
	c->ci.size = sizeof(c->ci);
}

static void check_info(void *p, long ret, bool injected)
{
	struct ctx *c = p;

	(void)injected;
	if (ret == 0) {
		ASSERT_EQ(c->ci.max_msgs, MAX_MSGS);
		ASSERT_STREQ(c->ci.name, c->name);
	}
	expect_queue(c, 1, 5);
}

TEST(chan_info)
{
	struct ctx *c = ctx_new();
	struct failnth_call fc = {
		.name = "CHAN_INFO", .ctx = c, .setup = setup_info,
		.call = call_info, .check = check_info,
	};

	queue_one(c, 1, 5);
	failnth_run(&fc);
	drain(c);
}

TEST_MAIN("failnth_chan")
