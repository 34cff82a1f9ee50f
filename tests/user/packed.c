// SPDX-License-Identifier: GPL-2.0
/*
 * IPCCHAN_IOC_SEND_PACKED and IPCCHAN_IOC_RECV_PACKED: messages as records
 * in one buffer. Round trips, a receive that stops at a record that does
 * not fit and leaves it queued, malformed records refused with nothing
 * sent, the bounds, handles (not carried), waiting, and the library's
 * record helpers.
 */
#include "util.h"

#define HDR	sizeof(struct ipcchan_packed_rec)
#define REC(n)	((size_t)IPCCHAN_PACKED_REC_SIZE(n))

static void require_packed(void)
{
	struct ipcchan_version v;

	get_version(&v);
	if (!(v.features & IPCCHAN_FEAT_PACKED))
		SKIP("no IPCCHAN_FEAT_PACKED");
}

/*
 * Builds @n records in @buf (@cap bytes): record i holds "msg-<i>" padded
 * with '.' to 5 + i bytes, or @len bytes if @len >= 0. Returns the bytes.
 */
static size_t build(void *buf, size_t cap, int n, int len)
{
	size_t off = 0;
	char *data;
	int i, l;

	for (i = 0; i < n; i++) {
		l = len >= 0 ? len : 5 + i;
		data = ipcchan_packed_add(buf, cap, &off, l);
		ASSERT_TRUE(data != NULL, "record %d", i);
		memset(data, '.', l);
		if (l >= 8)
			memcpy(data, "msg-", 4), data[4] = '0' + i % 10;
	}
	return off;
}

/* Checks the @n records a receive filled against build(@n, @len). */
static void check(const void *buf, size_t cap, int n, int len, __u64 seq0)
{
	const struct ipcchan_packed_rec *rec;
	size_t off = 0;
	const char *d;
	int i, l;

	for (i = 0; i < n; i++) {
		l = len >= 0 ? len : 5 + i;
		rec = ipcchan_packed_next(buf, cap, &off);
		ASSERT_TRUE(rec != NULL, "record %d", i);
		ASSERT_EQ(rec->len, (__u32)l, "record %d", i);
		ASSERT_EQ(rec->flags, 0);
		ASSERT_EQ(rec->info.len, (__u32)l);
		ASSERT_EQ(rec->info.seq, seq0 + i);
		ASSERT_EQ(rec->info.__reserved, 0);
		d = ipcchan_packed_data(rec);
		if (l >= 8) {
			ASSERT_MEMEQ(d, "msg-", 4, "record %d", i);
			ASSERT_EQ(d[4], '0' + i % 10);
		}
	}
}

static int raw_packed(int fd, unsigned long req, struct ipcchan_packed *p)
{
	return xioctl(fd, req, p);
}

static void packed_init(struct ipcchan_packed *p, void *buf, size_t len,
			unsigned int count)
{
	memset(p, 0, sizeof(*p));
	p->size = sizeof(*p);
	p->buf = u64_ptr(buf);
	p->len = len;
	p->count = count;
}

TEST(round_trip)
{
	static char sb[4096], rb[4096];
	const struct ipcchan_packed_rec *rec;
	int fd = chan_new(NULL, RS, 0600, 64, 32, 0);
	size_t len, off = 0;
	int64_t t0, t1;
	int i;

	require_packed();
	off = build(sb, sizeof(sb), 10, -1);
	/* A zero-length message at the end. */
	ASSERT_TRUE(ipcchan_packed_add(sb, sizeof(sb), &off, 0) != NULL);
	len = off;
	off = 0;
	t0 = now_ns();
	ASSERT_EQ(ipcchan_send_packed(fd, sb, len, 100, 0, WAIT_NS), 11);
	t1 = now_ns();
	ASSERT_EQ(chan_msgs(fd), 11);

	memset(rb, 0x5a, sizeof(rb));
	ASSERT_EQ(ipcchan_recv_packed(fd, rb, sizeof(rb), 100, NULL, 0,
				      WAIT_NS), 11);
	check(rb, sizeof(rb), 10, -1, 1);
	off = 0;
	for (i = 0; i < 11; i++) {
		rec = ipcchan_packed_next(rb, sizeof(rb), &off);
		ASSERT_TRUE(rec != NULL);
		ASSERT_MEMEQ(ipcchan_packed_data(rec),
			     sb + ((const char *)ipcchan_packed_data(rec) - rb),
			     rec->len);
		ASSERT_EQ(rec->info.pid, getpid());
		ASSERT_EQ(rec->info.uid, 0);
		ASSERT_GE((int64_t)rec->info.timestamp_ns, t0);
		ASSERT_LE((int64_t)rec->info.timestamp_ns, t1);
	}
	ASSERT_EQ(rec->len, 0);
	ASSERT_EQ(rec->info.seq, 11);
	ASSERT_EQ(off, len);
	ASSERT_EQ(chan_msgs(fd), 0);
}

/* Packed, batched and single calls share one queue and one sequence. */
TEST(mixed_with_others)
{
	static char sb[1024], rb[1024];
	struct ipcchan_msg_info mi;
	struct ipcchan_mmsg m[2];
	char buf[64], b2[2][64];
	size_t len;
	int fd = chan_new(NULL, RS, 0600, 64, 32, 0);

	require_packed();
	send_str(fd, "single");
	len = build(sb, sizeof(sb), 3, 16);
	ASSERT_EQ(ipcchan_send_packed(fd, sb, len, 3, 0, WAIT_NS), 3);
	send_str(fd, "last");
	ASSERT_EQ(recv_ok(fd, buf, sizeof(buf), &mi), 6);
	ASSERT_EQ(ipcchan_recv_packed(fd, rb, sizeof(rb), 3, NULL, 0, WAIT_NS),
		  3);
	check(rb, sizeof(rb), 3, 16, 2);
	memset(m, 0, sizeof(m));
	m[0].buf = u64_ptr(b2[0]);
	m[0].len = 64;
	ASSERT_EQ(ipcchan_recv_batch(fd, m, 1, 0, WAIT_NS), 1);
	ASSERT_EQ(m[0].info.seq, 5);
	ASSERT_MEMEQ(b2[0], "last", 4);
}

/* A received buffer sends on as it is: @info is ignored on a send. */
TEST(relay)
{
	static char sb[1024], rb[1024], rb2[1024];
	int a = chan_new(NULL, RS, 0600, 64, 32, 0);
	int b = chan_new(NULL, RS, 0600, 64, 32, 0);
	size_t len;

	require_packed();
	len = build(sb, sizeof(sb), 5, 20);
	ASSERT_EQ(ipcchan_send_packed(a, sb, len, 5, 0, WAIT_NS), 5);
	ASSERT_EQ(ipcchan_recv_packed(a, rb, sizeof(rb), 5, NULL, 0, WAIT_NS),
		  5);
	send_str(b, "first");
	ASSERT_EQ(ipcchan_send_packed(b, rb, len, 5, 0, WAIT_NS), 5);
	recv_str(b, "first");
	ASSERT_EQ(ipcchan_recv_packed(b, rb2, sizeof(rb2), 5, NULL, 0,
				      WAIT_NS), 5);
	check(rb2, sizeof(rb2), 5, 20, 2);
}

/*
 * before: 5 messages of 10 bytes queued; a buffer that holds 2 records and
 *         half of a third
 * after:  2 received; the third is still at the head, and the rest follow
 */
TEST(recv_partial_keeps)
{
	static char sb[1024], rb[1024];
	char buf[64];
	struct ipcchan_msg_info mi;
	size_t len;
	int fd = chan_new(NULL, RS, 0600, 64, 0, 0);

	require_packed();
	len = build(sb, sizeof(sb), 5, 10);
	ASSERT_EQ(ipcchan_send_packed(fd, sb, len, 5, 0, WAIT_NS), 5);
	ASSERT_EQ(ipcchan_recv_packed(fd, rb, 2 * REC(10) + REC(10) / 2, 5,
				      NULL, 0, WAIT_NS), 2);
	check(rb, sizeof(rb), 2, 10, 1);
	ASSERT_EQ(chan_msgs(fd), 3);
	/* A record needs its padding too: one byte short keeps it queued. */
	ASSERT_EQ(ipcchan_recv_packed(fd, rb, 2 * REC(10) - 1, 5, NULL, 0,
				      WAIT_NS), 1);
	ASSERT_EQ(chan_msgs(fd), 2);
	ASSERT_EQ(recv_ok(fd, buf, sizeof(buf), &mi), 10);
	ASSERT_EQ(mi.seq, 4);
	ASSERT_EQ(ipcchan_recv_packed(fd, rb, sizeof(rb), 5, NULL, 0, WAIT_NS),
		  1);
	ASSERT_EQ(((struct ipcchan_packed_rec *)rb)->info.seq, 5);
}

/* Different sizes: the receive stops at the first record that does not fit. */
TEST(recv_partial_sizes)
{
	static char sb[4096], rb[4096];
	size_t off = 0;
	int fd = chan_new(NULL, RS, 0600, 1024, 0, 0);

	require_packed();
	memset(ipcchan_packed_add(sb, sizeof(sb), &off, 8), 'a', 8);
	memset(ipcchan_packed_add(sb, sizeof(sb), &off, 1000), 'b', 1000);
	memset(ipcchan_packed_add(sb, sizeof(sb), &off, 8), 'c', 8);
	ASSERT_EQ(ipcchan_send_packed(fd, sb, off, 3, 0, WAIT_NS), 3);
	/* Room for the small ones, not the big one between them. */
	ASSERT_EQ(ipcchan_recv_packed(fd, rb, 3 * REC(8) + 100, 3, NULL, 0,
				      WAIT_NS), 1);
	ASSERT_EQ(chan_msgs(fd), 2);
	ASSERT_EQ(ipcchan_recv_packed(fd, rb, sizeof(rb), 3, NULL, 0, WAIT_NS),
		  2);
	ASSERT_EQ(((struct ipcchan_packed_rec *)rb)->len, 1000);
	ASSERT_EQ(rb[HDR + 999], 'b');
	ASSERT_EQ(rb[REC(1000) + HDR], 'c');
}

/*
 * before: a message of 10 bytes at the head; a buffer a byte short of its
 *         record
 * after:  EMSGSIZE, needed is its record size, the message stays
 */
TEST(recv_too_small_first)
{
	static char rb[1024];
	struct ipcchan_packed p;
	size_t needed = 1;
	int fd = chan_new(NULL, RS, 0600, 64, 0, 0);

	require_packed();
	send_str(fd, "0123456789");
	ASSERT_EQ(ipcchan_recv_packed(fd, rb, REC(10) - 1, 4, &needed, 0,
				      WAIT_NS), -EMSGSIZE);
	ASSERT_EQ(needed, REC(10));
	ASSERT_EQ(chan_msgs(fd), 1);
	packed_init(&p, rb, HDR + 10, 4);
	ASSERT_EQ(raw_packed(fd, IPCCHAN_IOC_RECV_PACKED, &p), -EMSGSIZE);
	ASSERT_EQ(p.needed, REC(10));
	/* A buffer shorter than a record header is not a buffer. */
	packed_init(&p, rb, HDR - 1, 4);
	ASSERT_EQ(raw_packed(fd, IPCCHAN_IOC_RECV_PACKED, &p), -EINVAL);
	ASSERT_EQ(chan_msgs(fd), 1);
	recv_str(fd, "0123456789");
}

/*
 * before: a message larger than a packed call can carry
 * after:  EMSGSIZE with needed above IPCCHAN_PACKED_MAX; RECV takes it
 */
TEST(recv_too_big_for_packed)
{
	struct ipcchan_version v;
	size_t big = IPCCHAN_PACKED_MAX, needed = 0;
	char *buf, *rb;
	int fd;

	require_packed();
	get_version(&v);
	if (v.max_msg_size < big)
		SKIP("max_msg_size_limit %u", v.max_msg_size);
	fd = chan_new(NULL, RS, 0600, big, 0, 0);
	buf = malloc(big);
	rb = malloc(IPCCHAN_PACKED_MAX + 4096);
	ASSERT_TRUE(buf && rb);
	fill_pattern(buf, big, 7);
	send_ok(fd, buf, big);
	ASSERT_EQ(ipcchan_recv_packed(fd, rb, IPCCHAN_PACKED_MAX + 4096, 1,
				      &needed, 0, WAIT_NS), -EMSGSIZE);
	ASSERT_EQ(needed, REC(big));
	ASSERT_GT(needed, IPCCHAN_PACKED_MAX);
	ASSERT_EQ(chan_msgs(fd), 1);
	ASSERT_EQ(recv_ok(fd, rb, big, NULL), (ssize_t)big);
	ASSERT_EQ(pattern_mismatch(rb, big, 7), -1);
	free(buf);
	free(rb);
}

/* The largest record one call carries, both ways. */
TEST(largest_record)
{
	struct ipcchan_version v;
	size_t big = IPCCHAN_PACKED_MAX - HDR, off = 0;
	char *sb, *rb, *d;
	int fd;

	require_packed();
	get_version(&v);
	if (v.max_msg_size < big)
		SKIP("max_msg_size_limit %u", v.max_msg_size);
	fd = chan_new(NULL, RS, 0600, big, 0, 0);
	sb = malloc(IPCCHAN_PACKED_MAX);
	rb = malloc(IPCCHAN_PACKED_MAX);
	ASSERT_TRUE(sb && rb);
	d = ipcchan_packed_add(sb, IPCCHAN_PACKED_MAX, &off, big);
	ASSERT_TRUE(d != NULL);
	fill_pattern(d, big, 3);
	ASSERT_EQ(off, IPCCHAN_PACKED_MAX);
	ASSERT_EQ(ipcchan_send_packed(fd, sb, off, 1, 0, WAIT_NS), 1);
	ASSERT_EQ(ipcchan_recv_packed(fd, rb, IPCCHAN_PACKED_MAX, 4, NULL, 0,
				      WAIT_NS), 1);
	ASSERT_EQ(((struct ipcchan_packed_rec *)rb)->len, big);
	ASSERT_EQ(pattern_mismatch(rb + HDR, big, 3), -1);
	free(sb);
	free(rb);
}

/* @count caps a receive, and a send; a send also ends at @len. */
TEST(count_and_len)
{
	static char sb[4096], rb[4096];
	size_t len;
	int fd = chan_new(NULL, RS, 0600, 64, 0, 0);

	require_packed();
	len = build(sb, sizeof(sb), 10, 12);
	ASSERT_EQ(ipcchan_send_packed(fd, sb, len, 4, 0, WAIT_NS), 4);
	/* Fewer records in @len than @count: all of them. */
	ASSERT_EQ(ipcchan_send_packed(fd, sb, 3 * REC(12), 10, 0, WAIT_NS), 3);
	/* The last record's padding may be left out. */
	ASSERT_EQ(ipcchan_send_packed(fd, sb, REC(12) + HDR + 12, 10, 0,
				      WAIT_NS), 2);
	ASSERT_EQ(chan_msgs(fd), 9);
	ASSERT_EQ(ipcchan_recv_packed(fd, rb, sizeof(rb), 3, NULL, 0, WAIT_NS),
		  3);
	ASSERT_EQ(chan_msgs(fd), 6);
	ASSERT_EQ(ipcchan_recv_packed(fd, rb, sizeof(rb), 100, NULL, 0,
				      WAIT_NS), 6);
	/* The fourth of the first send, then the other two sends. */
	ASSERT_EQ(((struct ipcchan_packed_rec *)rb)->info.seq, 4);
	ASSERT_MEMEQ(rb + HDR, "msg-3", 5);
	check(rb + REC(12), sizeof(rb) - REC(12), 3, 12, 5);
	check(rb + 4 * REC(12), sizeof(rb) - 4 * REC(12), 2, 12, 8);
}

/* Every way a record can be malformed: EINVAL, and nothing is sent. */
TEST(malformed_nothing_sent)
{
	static char sb[4096];
	struct ipcchan_packed_rec *rec;
	struct ipcchan_packed p;
	size_t len;
	int fd = chan_new(NULL, RS, 0600, 64, 0, 0);

	require_packed();
	len = build(sb, sizeof(sb), 5, 10);
	/* The last record runs past @len. */
	ASSERT_EQ(ipcchan_send_packed(fd, sb, len - REC(10) + HDR + 9, 5, 0,
				      WAIT_NS), -EINVAL);
	/* A tail shorter than a record header. */
	ASSERT_EQ(ipcchan_send_packed(fd, sb, len - REC(10) + HDR - 1, 5, 0,
				      WAIT_NS), -EINVAL);
	ASSERT_EQ(ipcchan_send_packed(fd, sb, len + 1, 6, 0, WAIT_NS),
		  -EINVAL);
	/* A record in the middle claims more than there is. */
	rec = (struct ipcchan_packed_rec *)(sb + 2 * REC(10));
	rec->len = 4000;
	ASSERT_EQ(ipcchan_send_packed(fd, sb, len, 5, 0, WAIT_NS), -EINVAL);
	rec->len = UINT32_MAX;
	ASSERT_EQ(ipcchan_send_packed(fd, sb, len, 5, 0, WAIT_NS), -EINVAL);
	rec->len = 10;
	/* Non-zero flags, even in the last record. */
	rec = (struct ipcchan_packed_rec *)(sb + 4 * REC(10));
	rec->flags = 1;
	ASSERT_EQ(ipcchan_send_packed(fd, sb, len, 5, 0, WAIT_NS), -EINVAL);
	rec->flags = 0x80000000;
	ASSERT_EQ(ipcchan_send_packed(fd, sb, len, 5, 0, WAIT_NS), -EINVAL);
	rec->flags = 0;
	ASSERT_EQ(chan_msgs(fd), 0);
	/* And the same records, well formed, go. */
	packed_init(&p, sb, len, 5);
	ASSERT_EQ(raw_packed(fd, IPCCHAN_IOC_SEND_PACKED, &p), 5);
	ASSERT_EQ(chan_msgs(fd), 5);
}

TEST(bounds)
{
	struct ipcchan_version v;
	struct ipcchan_packed p;
	char *sb, *rb;
	size_t len;
	int fd, ret;

	require_packed();
	get_version(&v);
	fd = chan_new(NULL, RS, 0600, 64, 0, 0);
	sb = calloc(1, IPCCHAN_PACKED_MAX + 8);
	rb = calloc(1, IPCCHAN_PACKED_MAX + 8);
	ASSERT_TRUE(sb && rb);
	len = build(sb, IPCCHAN_PACKED_MAX, 2, 10);
	packed_init(&p, sb, len, 0);
	ASSERT_EQ(raw_packed(fd, IPCCHAN_IOC_SEND_PACKED, &p), -EINVAL);
	ASSERT_EQ(raw_packed(fd, IPCCHAN_IOC_RECV_PACKED, &p), -EINVAL);
	p.count = IPCCHAN_BATCH_MAX + 1;
	ASSERT_EQ(raw_packed(fd, IPCCHAN_IOC_SEND_PACKED, &p), -EINVAL);
	ASSERT_EQ(raw_packed(fd, IPCCHAN_IOC_RECV_PACKED, &p), -EINVAL);
	p.count = UINT32_MAX;
	ASSERT_EQ(raw_packed(fd, IPCCHAN_IOC_SEND_PACKED, &p), -EINVAL);
	packed_init(&p, sb, 0, 2);
	ASSERT_EQ(raw_packed(fd, IPCCHAN_IOC_SEND_PACKED, &p), -EINVAL);
	ASSERT_EQ(raw_packed(fd, IPCCHAN_IOC_RECV_PACKED, &p), -EINVAL);
	packed_init(&p, sb, IPCCHAN_PACKED_MAX + 8, 2);
	ASSERT_EQ(raw_packed(fd, IPCCHAN_IOC_SEND_PACKED, &p), -EINVAL);
	p.len = UINT32_MAX;
	ASSERT_EQ(raw_packed(fd, IPCCHAN_IOC_SEND_PACKED, &p), -EINVAL);
	ASSERT_EQ(ipcchan_send_packed(fd, sb, IPCCHAN_PACKED_MAX + 8, 2, 0,
				      WAIT_NS), -EINVAL);
	/* __reserved must be zero. */
	packed_init(&p, sb, len, 2);
	p.__reserved = 1;
	ASSERT_EQ(raw_packed(fd, IPCCHAN_IOC_SEND_PACKED, &p), -EINVAL);
	ASSERT_EQ(raw_packed(fd, IPCCHAN_IOC_RECV_PACKED, &p), -EINVAL);
	/* The struct's size. */
	packed_init(&p, sb, len, 2);
	p.size = IPCCHAN_PACKED_SIZE_VER0 - 8;
	ASSERT_EQ(raw_packed(fd, IPCCHAN_IOC_SEND_PACKED, &p), -EINVAL);
	ASSERT_EQ(chan_msgs(fd), 0);

	/* A receive buffer larger than IPCCHAN_PACKED_MAX is fine. */
	ASSERT_EQ(ipcchan_send_packed(fd, sb, len, 2, 0, WAIT_NS), 2);
	packed_init(&p, rb, UINT32_MAX, 2);
	ASSERT_EQ(raw_packed(fd, IPCCHAN_IOC_RECV_PACKED, &p), 2);

	/*
	 * @needed is out only: a struct that came back with EMSGSIZE can be
	 * used again as it is, with a larger buffer.
	 */
	ASSERT_EQ(ipcchan_send_packed(fd, sb, len, 1, 0, WAIT_NS), 1);
	packed_init(&p, rb, REC(10) - 1, 2);
	ASSERT_EQ(raw_packed(fd, IPCCHAN_IOC_RECV_PACKED, &p), -EMSGSIZE);
	ASSERT_EQ(p.needed, REC(10));
	p.len = p.needed;
	ASSERT_EQ(raw_packed(fd, IPCCHAN_IOC_RECV_PACKED, &p), 1);
	ASSERT_EQ(chan_msgs(fd), 0);
	p.needed = 1;
	ASSERT_EQ(raw_packed(fd, IPCCHAN_IOC_SEND_PACKED, &p), 1);
	ASSERT_EQ(chan_msgs(fd), 1);
	p.needed = 1;
	ASSERT_EQ(raw_packed(fd, IPCCHAN_IOC_RECV_PACKED, &p), 1);

	/* IPCCHAN_BATCH_MAX records of 0 bytes each way, and one more. */
	if (v.max_msgs < IPCCHAN_BATCH_MAX + 1)
		return;
	close(fd);
	fd = chan_new(NULL, RS, 0600, 64, IPCCHAN_BATCH_MAX + 1, 0);
	len = build(sb, IPCCHAN_PACKED_MAX, IPCCHAN_BATCH_MAX + 1, 0);
	ret = ipcchan_send_packed(fd, sb, len, IPCCHAN_BATCH_MAX, 0, WAIT_NS);
	ASSERT_EQ(ret, IPCCHAN_BATCH_MAX);
	ASSERT_EQ(ipcchan_send_packed(fd, sb, REC(0), 1, 0, WAIT_NS), 1);
	ASSERT_EQ(chan_msgs(fd), IPCCHAN_BATCH_MAX + 1);
	ret = ipcchan_recv_packed(fd, rb, IPCCHAN_PACKED_MAX, 2000, NULL, 0,
				  WAIT_NS);
	ASSERT_EQ(ret, IPCCHAN_BATCH_MAX);
	ASSERT_EQ(((struct ipcchan_packed_rec *)rb)[IPCCHAN_BATCH_MAX - 1].
		  info.seq, IPCCHAN_BATCH_MAX);
	ASSERT_EQ(chan_msgs(fd), 1);
	free(sb);
	free(rb);
}

/* More records than a kernel chunk: they arrive whole and in order. */
TEST(many_records)
{
	static char sb[64 * 1024], rb[64 * 1024];
	size_t len;
	int fd = chan_new(NULL, RS, 0600, 256, 512, 0);

	require_packed();
	len = build(sb, sizeof(sb), 300, 100);
	ASSERT_EQ(ipcchan_send_packed(fd, sb, len, 300, 0, WAIT_NS), 300);
	ASSERT_EQ(ipcchan_recv_packed(fd, rb, sizeof(rb), 300, NULL, 0,
				      WAIT_NS), 300);
	check(rb, sizeof(rb), 300, 100, 1);
	ASSERT_EQ(memcmp(rb + HDR, sb + HDR, 100), 0);
	ASSERT_EQ(memcmp(rb + 299 * REC(100) + HDR, sb + 299 * REC(100) + HDR,
			 100), 0);
}

TEST(flags)
{
	static char sb[256];
	struct ipcchan_packed p;
	size_t len;
	int fd = chan_new(NULL, RS, 0600, 64, 0, 0), bit;

	require_packed();
	len = build(sb, sizeof(sb), 1, 10);
	for (bit = 2; bit < 32; bit++) {
		packed_init(&p, sb, len, 1);
		p.flags = 1U << bit;
		/* A send takes IPCCHAN_XFER_SYNC (tests/user/sync.c). */
		if ((1U << bit) != IPCCHAN_XFER_SYNC)
			EXPECT_EQ(raw_packed(fd, IPCCHAN_IOC_SEND_PACKED, &p),
				  -EINVAL, "flag bit %d", bit);
		EXPECT_EQ(raw_packed(fd, IPCCHAN_IOC_RECV_PACKED, &p), -EINVAL,
			  "flag bit %d", bit);
	}
	packed_init(&p, sb, len, 1);
	p.timeout_ns = 1000;
	ASSERT_EQ(raw_packed(fd, IPCCHAN_IOC_SEND_PACKED, &p), -EINVAL);
	ASSERT_EQ(raw_packed(fd, IPCCHAN_IOC_RECV_PACKED, &p), -EINVAL);
	p.flags = IPCCHAN_XFER_TIMEOUT;
	p.timeout_ns = -1;
	ASSERT_EQ(raw_packed(fd, IPCCHAN_IOC_SEND_PACKED, &p), -EINVAL);
	ASSERT_EQ(raw_packed(fd, IPCCHAN_IOC_RECV_PACKED, &p), -EINVAL);
	ASSERT_EQ(chan_msgs(fd), 0);
}

/*
 * Handles do not travel packed: IPCCHAN_XFER_HANDLE is EINVAL, and a
 * message that carries one arrives without it, its handle released.
 */
TEST(handles_not_carried)
{
	static char sb[256], rb[256];
	struct ipcchan_packed p;
	size_t len;
	int fds, rfd;
	int fd = chan_new(NULL, RS, 0600, 64, 0, 0);
	char name[IPCCHAN_NAME_MAX];

	require_packed();
	len = build(sb, sizeof(sb), 1, 10);
	packed_init(&p, sb, len, 1);
	p.flags = IPCCHAN_XFER_HANDLE;
	ASSERT_EQ(raw_packed(fd, IPCCHAN_IOC_SEND_PACKED, &p), -EINVAL);
	ASSERT_EQ(raw_packed(fd, IPCCHAN_IOC_RECV_PACKED, &p), -EINVAL);
	ASSERT_EQ(chan_msgs(fd), 0);

	rfd = region_new(name, IPCCHAN_REGION_READ | IPCCHAN_REGION_WRITE,
			 0600, 4096);
	ASSERT_EQ(ipcchan_send_handle(fd, "with handle", 11, rfd, 0, WAIT_NS),
		  0);
	region_unlink(name);
	close(rfd);
	fds = count_fds();
	ASSERT_EQ(ipcchan_recv_packed(fd, rb, sizeof(rb), 4, NULL, 0, WAIT_NS),
		  1);
	ASSERT_EQ(((struct ipcchan_packed_rec *)rb)->len, 11);
	ASSERT_MEMEQ(rb + HDR, "with handle", 11);
	ASSERT_EQ(count_fds(), fds);
	ASSERT_EQ(chan_msgs(fd), 0);
}

TEST(bad_buffers)
{
	static char sb[1024], rb[1024];
	struct ipcchan_msg_info mi;
	char buf[64], *edge;
	size_t len;
	int fd = chan_new(NULL, RS, 0600, 64, 0, 0);

	require_packed();
	len = build(sb, sizeof(sb), 3, 10);
	ASSERT_EQ(ipcchan_send_packed(fd, NULL, len, 3, 0, WAIT_NS), -EFAULT);
	ASSERT_EQ(ipcchan_send_packed(fd, (void *)1, len, 3, 0, WAIT_NS),
		  -EFAULT);
	ASSERT_EQ(ipcchan_send_packed(fd, noaccess_page(), len, 3, 0,
				      WAIT_NS), -EFAULT);
	/* Readable for two records, not for the third: nothing is sent. */
	edge = guarded_buf(len - 1);
	memcpy(edge, sb, len - 1);
	ASSERT_EQ(ipcchan_send_packed(fd, edge, len, 3, 0, WAIT_NS), -EFAULT);
	ASSERT_EQ(chan_msgs(fd), 0);

	ASSERT_EQ(ipcchan_send_packed(fd, sb, len, 3, 0, WAIT_NS), 3);
	ASSERT_EQ(ipcchan_recv_packed(fd, (void *)1, sizeof(rb), 3, NULL, 0,
				      WAIT_NS), -EFAULT);
	ASSERT_EQ(ipcchan_recv_packed(fd, noaccess_page(), 4096, 3, NULL, 0,
				      WAIT_NS), -EFAULT);
	ASSERT_EQ(chan_msgs(fd), 3);
	/*
	 * Writable for the first record and some of the second: the first
	 * arrives, the rest stay queued, in order.
	 */
	edge = guarded_buf(REC(10) + 20);
	ASSERT_EQ(ipcchan_recv_packed(fd, edge, 3 * REC(10), 3, NULL, 0,
				      WAIT_NS), 1);
	ASSERT_EQ(((struct ipcchan_packed_rec *)edge)->info.seq, 1);
	ASSERT_EQ(chan_msgs(fd), 2);
	ASSERT_EQ(recv_ok(fd, buf, sizeof(buf), &mi), 10);
	ASSERT_EQ(mi.seq, 2);
	ASSERT_EQ(ipcchan_recv_packed(fd, rb, sizeof(rb), 3, NULL, 0, WAIT_NS),
		  1);
	ASSERT_EQ(((struct ipcchan_packed_rec *)rb)->info.seq, 3);
}

TEST(send_too_big_partial)
{
	static char sb[1024];
	struct ipcchan_packed_rec *rec;
	size_t len;
	int fd = chan_new(NULL, RS, 0600, 16, 0, 0);

	require_packed();
	len = build(sb, sizeof(sb), 3, 16);
	rec = (struct ipcchan_packed_rec *)(sb + REC(16));
	rec->len = 17;		/* eats into its padding: still well formed */
	ASSERT_EQ(ipcchan_send_packed(fd, sb, len, 3, 0, WAIT_NS), 1);
	ASSERT_EQ(chan_msgs(fd), 1);
	ASSERT_EQ(ipcchan_send_packed(fd, sb + REC(16), len - REC(16), 2, 0,
				      WAIT_NS), -EMSGSIZE);
	ASSERT_EQ(chan_msgs(fd), 1);
}

TEST(wrong_side)
{
	static char sb[256];
	size_t len = build(sb, sizeof(sb), 1, 10);
	char name[IPCCHAN_NAME_MAX];
	int fd = chan_new(name, IPCCHAN_OPEN_SEND, 0600, 64, 0, 0);
	int r = chan_get(name, IPCCHAN_OPEN_RECV);

	require_packed();
	ASSERT_EQ(ipcchan_recv_packed(fd, sb, sizeof(sb), 1, NULL, 0, WAIT_NS),
		  -EBADF);
	ASSERT_EQ(ipcchan_send_packed(r, sb, len, 1, 0, WAIT_NS), -EBADF);
	ASSERT_EQ(chan_msgs(fd), 0);
}

/*
 * before: the kernel's copy of a blocked packed send was charged to no
 *         budget: with 256 KiB each, any number of blocked senders fit a
 *         1 MiB budget of nobody's, and the next send said EAGAIN
 * after:  three blocked senders hold 768 KiB of it, so the next packed
 *         send of 256 KiB is ENOBUFS; once they are gone it is EAGAIN
 *         again (the charge went with them)
 */
TEST(blocked_send_buffer_charged)
{
	pid_t pid;

	require_packed();
	param_set_u64("max_bytes_per_user", 1024 * 1024);
	pid = xfork();
	if (!pid) {
		static char sb[IPCCHAN_PACKED_MAX];
		pid_t kids[3];
		int fd, i, ret = 0;

		drop_to_nobody();
		fd = chan_new(NULL, RS, 0600, 64, 1, 0);
		/* One empty record, then bytes a send reads but ignores. */
		ASSERT_EQ(build(sb, sizeof(sb), 1, 0), REC(0));
		ASSERT_EQ(ipcchan_send_packed(fd, sb, sizeof(sb), 1,
					      IPCCHAN_XFER_NONBLOCK, 0), 1);
		ASSERT_EQ(ipcchan_send_packed(fd, sb, sizeof(sb), 1,
					      IPCCHAN_XFER_NONBLOCK, 0),
			  -EAGAIN);
		for (i = 0; i < 3; i++) {
			kids[i] = xfork();
			if (!kids[i]) {
				ipcchan_send_packed(fd, sb, sizeof(sb), 1, 0,
						    IPCCHAN_WAIT_FOREVER);
				_exit(0);
			}
			wait_blocked(kids[i], IN_IOCTL);
		}
		ret = ipcchan_send_packed(fd, sb, sizeof(sb), 1,
					  IPCCHAN_XFER_NONBLOCK, 0);
		for (i = 0; i < 3; i++) {
			kill(kids[i], SIGKILL);
			wait_exit(kids[i], CHILD_MS);
		}
		ASSERT_EQ(ret, -ENOBUFS);
		ASSERT_EQ(ipcchan_send_packed(fd, sb, sizeof(sb), 1,
					      IPCCHAN_XFER_NONBLOCK, 0),
			  -EAGAIN);
		ASSERT_EQ(chan_msgs(fd), 1);
		child_exit();
	}
	ASSERT_CHILD_OK(pid);
}

/*
 * before: a receive-only fd had no per-user record, so the kernel's copy
 *         of a packed receive's records was charged to no user: nobody,
 *         with 32 KiB of budget, received 40 records of 4,040 bytes (the
 *         kernel's copy of a group up to 64 KiB)
 * after:  the copy is charged to the fd's opener: ENOBUFS, and all 40
 *         messages stay queued; a 16 KiB buffer still receives 4
 */
TEST(recv_buffer_charged_to_receiver)
{
	static char sb[IPCCHAN_PACKED_MAX];
	char name[IPCCHAN_NAME_MAX];
	size_t len;
	pid_t pid;
	int fd;

	require_packed();
	fd = chan_new(name, RS, 0666, 4096, 64, 0);
	len = build(sb, sizeof(sb), 40, 4000);
	ASSERT_EQ(len, 40 * REC(4000));
	ASSERT_EQ(ipcchan_send_packed(fd, sb, len, 40, 0, WAIT_NS), 40);
	param_set_u64("max_bytes_per_user", 32 * 1024);
	pid = xfork();
	if (!pid) {
		static char rb[IPCCHAN_PACKED_MAX];
		int r;

		drop_to_nobody();
		r = chan_get(name, IPCCHAN_OPEN_RECV);
		ASSERT_EQ(ipcchan_recv_packed(r, rb, sizeof(rb), 40, NULL,
					      IPCCHAN_XFER_NONBLOCK, 0),
			  -ENOBUFS);
		ASSERT_EQ(chan_msgs(r), 40);
		ASSERT_EQ(ipcchan_recv_packed(r, rb, 16 * 1024, 40, NULL,
					      IPCCHAN_XFER_NONBLOCK, 0), 4);
		check(rb, 16 * 1024, 4, 4000, 1);
		child_exit();
	}
	ASSERT_CHILD_OK(pid);
	ASSERT_EQ(chan_msgs(fd), 36);
}

/*
 * before: room for 4 messages
 * after:  a nonblocking packed send of 10 sends 4 and says so; then EAGAIN
 */
TEST(nonblock_partial_send)
{
	static char sb[2048];
	size_t len;
	int fd = chan_new(NULL, RS, 0600, 64, 4, 0);

	require_packed();
	len = build(sb, sizeof(sb), 10, 10);
	ASSERT_EQ(ipcchan_send_packed(fd, sb, len, 10, IPCCHAN_XFER_NONBLOCK,
				      IPCCHAN_WAIT_FOREVER), 4);
	ASSERT_EQ(chan_msgs(fd), 4);
	ASSERT_EQ(ipcchan_send_packed(fd, sb, len, 10, IPCCHAN_XFER_NONBLOCK,
				      IPCCHAN_WAIT_FOREVER), -EAGAIN);
	set_nonblock(fd, true);
	ASSERT_EQ(ipcchan_send_packed(fd, sb, len, 10, 0,
				      IPCCHAN_WAIT_FOREVER), -EAGAIN);
	ASSERT_EQ(chan_msgs(fd), 4);
}

TEST(recv_empty)
{
	static char rb[256];
	int fd = chan_new(NULL, RS, 0600, 64, 0, 0);
	int64_t t0;

	require_packed();
	ASSERT_EQ(ipcchan_recv_packed(fd, rb, sizeof(rb), 2, NULL,
				      IPCCHAN_XFER_NONBLOCK,
				      IPCCHAN_WAIT_FOREVER), -EAGAIN);
	set_nonblock(fd, true);
	ASSERT_EQ(ipcchan_recv_packed(fd, rb, sizeof(rb), 2, NULL, 0,
				      IPCCHAN_WAIT_FOREVER), -EAGAIN);
	set_nonblock(fd, false);
	t0 = now_ns();
	ASSERT_EQ(ipcchan_recv_packed(fd, rb, sizeof(rb), 2, NULL, 0,
				      100 * NS_PER_MS), -ETIMEDOUT);
	ASSERT_GE(now_ns() - t0, 100 * NS_PER_MS);
}

/* A timed packed send that runs out of time after 2 reports 2. */
TEST(timed_send_partial)
{
	static char sb[1024];
	size_t len;
	int64_t t0;
	int fd = chan_new(NULL, RS, 0600, 64, 2, 0);

	require_packed();
	len = build(sb, sizeof(sb), 5, 10);
	t0 = now_ns();
	ASSERT_EQ(ipcchan_send_packed(fd, sb, len, 5, 0, 200 * NS_PER_MS), 2);
	ASSERT_GE(now_ns() - t0, 200 * NS_PER_MS);
	ASSERT_EQ(chan_msgs(fd), 2);
	ASSERT_EQ(ipcchan_send_packed(fd, sb, len, 5, 0, 50 * NS_PER_MS),
		  -ETIMEDOUT);
}

/*
 * before: a child blocked in a packed receive on an empty channel
 * after:  3 are sent packed; the child wakes with at least the first, and
 *         all 3 arrive in order
 */
TEST(recv_waits_for_first)
{
	int fd = chan_new(NULL, RS, 0600, 64, 0, 0);
	static char sb[1024];
	size_t len;
	pid_t pid;

	require_packed();
	pid = xfork();
	if (pid == 0) {
		static char rb[1024];
		const struct ipcchan_packed_rec *rec;
		int n, got = 0, i;
		size_t off;

		n = ipcchan_recv_packed(fd, rb, sizeof(rb), 8, NULL, 0,
					IPCCHAN_WAIT_FOREVER);
		ASSERT_GE(n, 1);
		ASSERT_LE(n, 3);
		for (;;) {
			off = 0;
			for (i = 0; i < n; i++) {
				rec = ipcchan_packed_next(rb, sizeof(rb), &off);
				ASSERT_EQ(rec->info.seq, (__u64)++got);
			}
			if (got == 3)
				break;
			n = ipcchan_recv_packed(fd, rb, sizeof(rb), 8, NULL, 0,
						WAIT_NS);
			ASSERT_GE(n, 1);
		}
		child_exit();
	}
	wait_blocked(pid, IN_IOCTL);
	len = build(sb, sizeof(sb), 3, 10);
	ASSERT_EQ(ipcchan_send_packed(fd, sb, len, 3, 0, IPCCHAN_WAIT_FOREVER),
		  3);
	ASSERT_CHILD_OK(pid);
}

/* A blocking packed send waits for room for each message in turn. */
TEST(send_waits_each)
{
	int fd = chan_new(NULL, RS, 0600, 64, 2, 0);
	struct ipcchan_msg_info mi;
	char buf[64];
	pid_t pid;
	int i;

	require_packed();
	pid = xfork();
	if (pid == 0) {
		static char sb[1024];
		size_t len = build(sb, sizeof(sb), 6, -1);

		ASSERT_EQ(ipcchan_send_packed(fd, sb, len, 6, 0,
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

/* A hung-up channel: a packed receive drains it, then gets EPIPE. */
TEST(recv_hangup)
{
	char name[IPCCHAN_NAME_MAX];
	static char sb[1024], rb[1024];
	size_t len;
	int r = chan_new(name, IPCCHAN_OPEN_RECV, 0600, 64, 0, 0);
	int s = chan_get(name, IPCCHAN_OPEN_SEND);

	require_packed();
	len = build(sb, sizeof(sb), 2, 10);
	ASSERT_EQ(ipcchan_send_packed(s, sb, len, 2, 0, WAIT_NS), 2);
	close(s);
	ASSERT_EQ(ipcchan_recv_packed(r, rb, sizeof(rb), 4, NULL, 0, WAIT_NS),
		  2);
	ASSERT_EQ(ipcchan_recv_packed(r, rb, sizeof(rb), 4, NULL, 0, WAIT_NS),
		  -EPIPE);
}

/* The library's helpers refuse what does not fit or is misaligned. */
TEST(record_helpers)
{
	static char buf[256];
	const struct ipcchan_packed_rec *rec;
	size_t off = 0;

	ASSERT_EQ(REC(0), HDR);
	ASSERT_EQ(REC(1), HDR + 8);
	ASSERT_EQ(REC(8), HDR + 8);
	ASSERT_TRUE(ipcchan_packed_add(buf, sizeof(buf), &off, 197) != NULL);
	ASSERT_EQ(off, REC(197));
	ASSERT_EQ(off, HDR + 200);
	ASSERT_TRUE(ipcchan_packed_add(buf, sizeof(buf), &off, 1) == NULL);
	ASSERT_EQ(off, REC(197));
	off = 3;
	ASSERT_TRUE(ipcchan_packed_add(buf, sizeof(buf), &off, 1) == NULL);
	off = 0;
	rec = ipcchan_packed_next(buf, sizeof(buf), &off);
	ASSERT_TRUE(rec && rec->len == 197);
	ASSERT_TRUE(ipcchan_packed_next(buf, sizeof(buf), &off) == NULL);
	/* The padding of the last record may be missing, its data not. */
	off = 0;
	ASSERT_TRUE(ipcchan_packed_next(buf, HDR + 197, &off) != NULL);
	ASSERT_EQ(off, HDR + 197);
	off = 0;
	ASSERT_TRUE(ipcchan_packed_next(buf, HDR + 196, &off) == NULL);
	ASSERT_EQ(off, 0);
}

/*
 * A call of up to 4 KiB of records first tries the module's scratch buffer
 * with page faults off, and goes the long way if a copy would fault: here
 * a send from a file's pages that this process has not mapped in yet, and
 * a receive into anonymous memory it has never touched, each after a round
 * that left spares enough for the scratch way.
 */
TEST(buffers_not_faulted_in)
{
	static char sb[4096], rb[4096];
	int fd = chan_new(NULL, RS, 0600, 64, 32, 0);
	size_t len, page = sysconf(_SC_PAGESIZE);
	char *map, *fresh;
	int mfd;

	require_packed();
	len = build(sb, sizeof(sb), 16, 48);
	/* Spares for 16 messages. */
	ASSERT_EQ(ipcchan_send_packed(fd, sb, len, 16, 0, WAIT_NS), 16);
	ASSERT_EQ(ipcchan_recv_packed(fd, rb, sizeof(rb), 16, NULL, 0,
				      WAIT_NS), 16);
	check(rb, sizeof(rb), 16, 48, 1);

	mfd = memfd_create("packed", 0);
	ASSERT_GE(mfd, 0);
	ASSERT_EQ(write(mfd, sb, len), (ssize_t)len);
	map = mmap(NULL, page, PROT_READ, MAP_SHARED, mfd, 0);
	ASSERT_TRUE(map != MAP_FAILED);
	ASSERT_EQ(ipcchan_send_packed(fd, map, len, 16, 0, WAIT_NS), 16);
	ASSERT_EQ(chan_msgs(fd), 16);

	fresh = mmap(NULL, page, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(fresh != MAP_FAILED);
	ASSERT_EQ(ipcchan_recv_packed(fd, fresh, page, 16, NULL, 0, WAIT_NS),
		  16);
	check(fresh, page, 16, 48, 17);
	ASSERT_EQ(chan_msgs(fd), 0);
	munmap(fresh, page);
	munmap(map, page);
	close(mfd);
}

/*
 * Small sends from several processes at once on a channel with few spares
 * (64 at most): a scratch-buffer send that finds fewer spares than its
 * records gives back those it took and goes the long way, before it makes
 * anything. Every message arrives once, each sender's in order, and the
 * queue ends empty.
 */
#define CONT_KIDS	3
#define CONT_CALLS	300
TEST(scratch_spares_contended)
{
	static char sb[32 * REC(64)], rb[64 * REC(64)];
	int fd = chan_new(NULL, RS, 0600, 64, 64, 0);
	__u32 next[CONT_KIDS] = {}, kid, seq, got = 0;
	const struct ipcchan_packed_rec *rec;
	pid_t kids[CONT_KIDS];
	size_t off;
	char *data;
	int i, j, c, n;

	require_packed();
	for (i = 0; i < CONT_KIDS; i++) {
		kids[i] = xfork();
		if (kids[i])
			continue;
		for (c = 0; c < CONT_CALLS; c++) {
			off = 0;
			for (j = 0; j < 32; j++) {
				data = ipcchan_packed_add(sb, sizeof(sb), &off,
							  64);
				memset(data, 'x', 64);
				kid = i;
				seq = c * 32 + j;
				memcpy(data, &kid, sizeof(kid));
				memcpy(data + 4, &seq, sizeof(seq));
			}
			ASSERT_EQ(ipcchan_send_packed(fd, sb, off, 32, 0,
						      WAIT_NS), 32);
		}
		child_exit();
	}
	while (got < CONT_KIDS * CONT_CALLS * 32) {
		n = ipcchan_recv_packed(fd, rb, sizeof(rb), 64, NULL, 0,
					WAIT_NS);
		ASSERT_GT(n, 0, "after %u messages", got);
		off = 0;
		for (j = 0; j < n; j++) {
			rec = ipcchan_packed_next(rb, sizeof(rb), &off);
			ASSERT_TRUE(rec != NULL);
			ASSERT_EQ(rec->len, 64);
			data = (char *)ipcchan_packed_data(rec);
			memcpy(&kid, data, sizeof(kid));
			memcpy(&seq, data + 4, sizeof(seq));
			ASSERT_LT(kid, CONT_KIDS);
			ASSERT_EQ(seq, next[kid], "sender %u", kid);
			next[kid]++;
		}
		got += n;
	}
	for (i = 0; i < CONT_KIDS; i++) {
		ASSERT_CHILD_OK(kids[i]);
		ASSERT_EQ(next[i], CONT_CALLS * 32);
	}
	ASSERT_EQ(chan_msgs(fd), 0);
}

TEST_MAIN("packed")
