// SPDX-License-Identifier: GPL-2.0
/*
 * The query ioctl, and how every ioctl reads its size-versioned struct:
 * too short, longer with a zero or non-zero tail, a size unlike the one in
 * the ioctl number, and ioctl numbers the module does not know.
 */
#include "util.h"

#define ALL_FEATURES	(IPCCHAN_FEAT_CHANNEL | IPCCHAN_FEAT_BATCH | \
			 IPCCHAN_FEAT_TIMEOUT | IPCCHAN_FEAT_RW)

/* The ioctl number @nr of the module, encoding @size. */
static unsigned long ioc(unsigned int nr, size_t size)
{
	return _IOC(_IOC_READ | _IOC_WRITE, IPCCHAN_IOC_MAGIC, nr, size);
}

TEST(abi)
{
	struct ipcchan_version v;

	get_version(&v);
	TH_LOG("abi %u features 0x%llx name_max %u batch_max %u", v.abi_version,
	       (unsigned long long)v.features, v.name_max, v.batch_max);
	TH_LOG("max_msg_size %u max_msgs %u max_bytes %llu", v.max_msg_size,
	       v.max_msgs, (unsigned long long)v.max_bytes);
	ASSERT_EQ(v.size, sizeof(v));
	ASSERT_EQ(v.abi_version, IPCCHAN_ABI_VERSION);
	ASSERT_EQ(v.name_max, IPCCHAN_NAME_MAX);
	ASSERT_EQ(v.batch_max, IPCCHAN_BATCH_MAX);
	ASSERT_GT(v.max_msg_size, 0);
	ASSERT_GT(v.max_msgs, 0);
	ASSERT_GE(v.max_bytes, v.max_msg_size);
}

TEST(features)
{
	struct ipcchan_version v;

	get_version(&v);
	EXPECT_EQ(v.features & ALL_FEATURES, ALL_FEATURES,
		  "this module should support channels, batches, timeouts "
		  "and read/write");
}

TEST(lib_version)
{
	const char *s = ipcchan_lib_version();
	unsigned int a, b, c;

	ASSERT_TRUE(s != NULL);
	TH_LOG("libipcchan %s", s);
	ASSERT_EQ(sscanf(s, "%u.%u.%u", &a, &b, &c), 3);
}

TEST(lib_dev_open)
{
	int dev = ipcchan_dev_open();
	struct stat st;

	ASSERT_GE(dev, 0);
	ASSERT_EQ(fcntl(dev, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	ASSERT_EQ(fstat(dev, &st), 0);
	ASSERT_TRUE(S_ISCHR(st.st_mode));
	close(dev);
}

/*
 * before: no file of the module is open
 * after:  each open file, a channel fd too, holds a reference to the module
 */
TEST(module_refcnt)
{
	uint64_t r0, r1, r2, r3;
	int dev, fd;

	/* param_read_u64() reads below PARAM_DIR; go one level up. */
	if (param_read_u64("../refcnt", &r0))
		SKIP("no /sys/module/ipcchan/refcnt");
	dev = dev_open();
	ASSERT_EQ(param_read_u64("../refcnt", &r1), 0);
	fd = chan_new_dev(dev, NULL, RS, 0600, 0, 0, 0);
	close(dev);
	ASSERT_EQ(param_read_u64("../refcnt", &r2), 0);
	close(fd);
	ASSERT_EQ(param_read_u64("../refcnt", &r3), 0);
	TH_LOG("refcnt: %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64,
	       r0, r1, r2, r3);
	EXPECT_GT(r1, r0, "an open /dev/ipcchan must pin the module");
	EXPECT_GT(r2, r0, "a channel fd must pin the module");
	EXPECT_EQ(r3, r0);
}

TEST(short_size)
{
	unsigned char buf[64] = { 0 };
	struct ipcchan_version *v = (void *)buf;
	int dev = dev_open();

	v->size = IPCCHAN_VERSION_SIZE_VER0 - 8;
	ASSERT_EQ(xioctl(dev, ioc(0x00, v->size), v), -EINVAL);
	v->size = 4;
	ASSERT_EQ(xioctl(dev, ioc(0x00, 4), v), -EINVAL);
	v->size = 0;
	ASSERT_EQ(xioctl(dev, ioc(0x00, 0), v), -EINVAL);
	/* Nothing was written back. */
	ASSERT_EQ(v->abi_version, 0);
}

/* A size 8 bytes past the kernel's struct. */
#define BIG	(sizeof(struct ipcchan_version) + 8)

/*
 * before: a struct 8 bytes longer than the kernel's, zero past it, then a
 *         canary
 * after:  accepted, filled in, nothing written past @size
 */
TEST(larger_zero_tail)
{
	unsigned char buf[BIG + 16];
	struct ipcchan_version *v = (void *)buf;
	size_t i;
	int dev = dev_open();

	memset(buf, 0, sizeof(buf));
	memset(buf + BIG, 0xa5, sizeof(buf) - BIG);
	v->size = BIG;
	ASSERT_EQ(xioctl(dev, ioc(0x00, BIG), v), 0);
	ASSERT_EQ(v->abi_version, IPCCHAN_ABI_VERSION);
	ASSERT_EQ(v->name_max, IPCCHAN_NAME_MAX);
	for (i = BIG; i < sizeof(buf); i++)
		ASSERT_EQ(buf[i], 0xa5, "byte %zu past @size was written", i);
	for (i = sizeof(*v); i < BIG; i++)
		ASSERT_EQ(buf[i], 0, "unknown member at byte %zu", i);
}

TEST(larger_nonzero_tail)
{
	unsigned char buf[BIG + 16];
	struct ipcchan_version *v = (void *)buf;
	int dev = dev_open();

	memset(buf, 0, sizeof(buf));
	v->size = BIG;
	buf[BIG - 1] = 1;
	ASSERT_EQ(xioctl(dev, ioc(0x00, BIG), v), -E2BIG);
	buf[BIG - 1] = 0;
	buf[sizeof(*v)] = 0x80;
	ASSERT_EQ(xioctl(dev, ioc(0x00, BIG), v), -E2BIG);
	ASSERT_EQ(v->abi_version, 0);
}

TEST(size_mismatch)
{
	unsigned char buf[BIG + 16] = { 0 };
	struct ipcchan_version *v = (void *)buf;
	int dev = dev_open();

	/* struct says BIG, the ioctl number the kernel's size */
	v->size = BIG;
	ASSERT_EQ(xioctl(dev, IPCCHAN_IOC_VERSION, v), -EINVAL);
	/* struct says the kernel's size, the ioctl number BIG */
	v->size = sizeof(*v);
	ASSERT_EQ(xioctl(dev, ioc(0x00, BIG), v), -EINVAL);
	/* struct says 32, the ioctl number the kernel's size */
	v->size = 32;
	ASSERT_EQ(xioctl(dev, IPCCHAN_IOC_VERSION, v), -EINVAL);
	ASSERT_EQ(v->abi_version, 0);
	v->size = sizeof(*v);
	ASSERT_EQ(xioctl(dev, IPCCHAN_IOC_VERSION, v), 0);
	ASSERT_EQ(v->abi_version, IPCCHAN_ABI_VERSION);
}

TEST(bad_pointer)
{
	int dev = dev_open();
	int fd = chan_new(NULL, RS, 0600, 0, 0, 0);

	ASSERT_EQ(xioctl(dev, IPCCHAN_IOC_VERSION, NULL), -EFAULT);
	ASSERT_EQ(xioctl(dev, IPCCHAN_IOC_VERSION, noaccess_page()), -EFAULT);
	ASSERT_EQ(xioctl(dev, IPCCHAN_IOC_CHAN_OPEN, NULL), -EFAULT);
	ASSERT_EQ(xioctl(dev, IPCCHAN_IOC_UNLINK, NULL), -EFAULT);
	ASSERT_EQ(xioctl(fd, IPCCHAN_IOC_SEND, NULL), -EFAULT);
	ASSERT_EQ(xioctl(fd, IPCCHAN_IOC_RECV, NULL), -EFAULT);
	ASSERT_EQ(xioctl(fd, IPCCHAN_IOC_SEND_BATCH, NULL), -EFAULT);
	ASSERT_EQ(xioctl(fd, IPCCHAN_IOC_RECV_BATCH, NULL), -EFAULT);
	ASSERT_EQ(xioctl(fd, IPCCHAN_IOC_CHAN_INFO, NULL), -EFAULT);
	ASSERT_EQ(chan_msgs(fd), 0);
}

/*
 * A version struct in a read-only page: the kernel can read it but not write
 * the result back.
 */
TEST(readonly_result)
{
	struct ipcchan_version *v = guarded_buf(sizeof(*v));
	int dev = dev_open();

	memset(v, 0, sizeof(*v));
	v->size = sizeof(*v);
	ASSERT_EQ(mprotect((void *)((uintptr_t)v & ~(page_size() - 1)),
			   page_size(), PROT_READ), 0);
	ASSERT_EQ(xioctl(dev, IPCCHAN_IOC_VERSION, v), -EFAULT);
}

TEST(unknown_ioctl)
{
	int dev = dev_open();
	int fd = chan_new(NULL, RS, 0600, 0, 0, 0);
	unsigned char buf[128] = { 0 };

	*(__u32 *)buf = sizeof(struct ipcchan_version);
	ASSERT_EQ(xioctl(dev, ioc(0x0f, sizeof(struct ipcchan_version)), buf),
		  -ENOTTY);
	ASSERT_EQ(xioctl(dev, ioc(0x7f, sizeof(struct ipcchan_version)), buf),
		  -ENOTTY);
	ASSERT_EQ(xioctl(dev, _IOWR('x', 0x00, struct ipcchan_version), buf),
		  -ENOTTY);
	ASSERT_EQ(xioctl(dev, _IO(IPCCHAN_IOC_MAGIC, 0x00), buf), -ENOTTY);
	ASSERT_EQ(xioctl(dev, 0, buf), -ENOTTY);
	*(__u32 *)buf = sizeof(struct ipcchan_send);
	ASSERT_EQ(xioctl(fd, ioc(0x15, sizeof(struct ipcchan_send)), buf),
		  -ENOTTY);
	ASSERT_EQ(xioctl(fd, ioc(0x7f, sizeof(struct ipcchan_send)), buf),
		  -ENOTTY);
	ASSERT_EQ(xioctl(fd, _IOWR('x', 0x10, struct ipcchan_send), buf),
		  -ENOTTY);
	ASSERT_EQ(chan_msgs(fd), 0);
}

/* Control ioctls belong to /dev/ipcchan, channel ioctls to channel fds. */
TEST(wrong_fd_kind)
{
	struct ipcchan_version v = { .size = sizeof(v) };
	struct ipcchan_chan_info ci = { .size = sizeof(ci) };
	struct ipcchan_send s;
	struct ipcchan_chan_open op;
	char name[IPCCHAN_NAME_MAX];
	int dev = dev_open();
	int fd = chan_new(name, RS, 0600, 0, 0, 0);

	raw_send_init(&s, "x", 1);
	ASSERT_EQ(xioctl(fd, IPCCHAN_IOC_VERSION, &v), -ENOTTY);
	raw_open_init(&op, name, RS);
	ASSERT_EQ(xioctl(fd, IPCCHAN_IOC_CHAN_OPEN, &op), -ENOTTY);
	ASSERT_EQ(xioctl(dev, IPCCHAN_IOC_SEND, &s), -ENOTTY);
	ASSERT_EQ(xioctl(dev, IPCCHAN_IOC_CHAN_INFO, &ci), -ENOTTY);
	ASSERT_EQ(chan_msgs(fd), 0);
}

/*
 * Region ioctls belong to region fds: the others get ENOTTY there, and
 * region ioctls get it elsewhere (the uapi's ENOTTY rule).
 */
TEST(wrong_fd_kind_region)
{
	struct ipcchan_version v = { .size = sizeof(v) };
	struct ipcchan_chan_info ci = { .size = sizeof(ci) };
	struct ipcchan_region_info ri = { .size = sizeof(ri) };
	unsigned char buf[128] = { 0 };
	struct ipcchan_send s;
	int dev = dev_open();
	int fd = chan_new(NULL, RS, 0600, 0, 0, 0);
	int rfd = region_new(NULL, RW_REGION, 0600, page_size());

	raw_send_init(&s, "x", 1);
	ASSERT_EQ(xioctl(rfd, IPCCHAN_IOC_SEND, &s), -ENOTTY);
	ASSERT_EQ(xioctl(rfd, IPCCHAN_IOC_CHAN_INFO, &ci), -ENOTTY);
	ASSERT_EQ(xioctl(rfd, IPCCHAN_IOC_VERSION, &v), -ENOTTY);
	*(__u32 *)buf = sizeof(struct ipcchan_region_info);
	ASSERT_EQ(xioctl(rfd, ioc(0x2f, sizeof(struct ipcchan_region_info)),
			 buf), -ENOTTY);
	ASSERT_EQ(xioctl(rfd, 0, buf), -ENOTTY);
	ASSERT_EQ(xioctl(fd, IPCCHAN_IOC_REGION_INFO, &ri), -ENOTTY);
	ASSERT_EQ(xioctl(dev, IPCCHAN_IOC_REGION_INFO, &ri), -ENOTTY);
	ASSERT_EQ(chan_msgs(fd), 0);
}

/*
 * The size rules, for the struct at @arg (@ksize bytes, first published at
 * @ver0) of ioctl @nr on @fd: every case must fail before doing anything.
 */
static void check_size_rules(int fd, unsigned int nr, const void *arg,
			     size_t ksize, size_t ver0)
{
	unsigned char buf[512];

	ASSERT_LE(ksize + 16, sizeof(buf));
	memset(buf, 0, sizeof(buf));
	memcpy(buf, arg, ksize);

	*(__u32 *)buf = ver0 - 8;
	EXPECT_EQ(xioctl(fd, ioc(nr, ver0 - 8), buf), -EINVAL, "short, nr %#x", nr);
	*(__u32 *)buf = 0;
	EXPECT_EQ(xioctl(fd, ioc(nr, 0), buf), -EINVAL, "size 0, nr %#x", nr);
	*(__u32 *)buf = ksize + 8;
	EXPECT_EQ(xioctl(fd, ioc(nr, ksize), buf), -EINVAL, "mismatch, nr %#x", nr);
	*(__u32 *)buf = ksize;
	EXPECT_EQ(xioctl(fd, ioc(nr, ksize + 8), buf), -EINVAL, "mismatch, nr %#x", nr);
	*(__u32 *)buf = ksize + 8;
	buf[ksize + 7] = 1;
	EXPECT_EQ(xioctl(fd, ioc(nr, ksize + 8), buf), -E2BIG, "tail, nr %#x", nr);
}

TEST(open_size)
{
	struct ipcchan_chan_open op;
	unsigned char buf[sizeof(op) + 8];
	char name[IPCCHAN_NAME_MAX];
	int dev = dev_open(), fd;

	new_name(name);
	raw_open_init(&op, name, RS | IPCCHAN_OPEN_CREATE);
	op.mode = 0600;
	check_size_rules(dev, 0x01, &op, sizeof(op), IPCCHAN_CHAN_OPEN_SIZE_VER0);
	/* None of those created the channel. */
	ASSERT_EQ(ipcchan_chan_open(dev, name, RS, NULL), -ENOENT);

	memset(buf, 0, sizeof(buf));
	memcpy(buf, &op, sizeof(op));
	*(__u32 *)buf = sizeof(buf);
	fd = xioctl(dev, ioc(0x01, sizeof(buf)), buf);
	ASSERT_GE(fd, 0, "a longer struct with a zero tail is accepted");
	close(fd);
	ASSERT_EQ(op.size, IPCCHAN_CHAN_OPEN_SIZE_VER0);
}

TEST(unlink_size)
{
	struct ipcchan_unlink un = { .size = sizeof(un),
				     .kind = IPCCHAN_KIND_CHANNEL };
	unsigned char buf[sizeof(un) + 8];
	int dev = dev_open();
	int fd = chan_new(un.name, RS, 0600, 0, 0, 0);

	check_size_rules(dev, 0x02, &un, sizeof(un), IPCCHAN_UNLINK_SIZE_VER0);
	close(chan_get(un.name, RS));	/* still there */

	memset(buf, 0, sizeof(buf));
	memcpy(buf, &un, sizeof(un));
	*(__u32 *)buf = sizeof(buf);
	ASSERT_EQ(xioctl(dev, ioc(0x02, sizeof(buf)), buf), 0);
	ASSERT_EQ(ipcchan_chan_open(dev, un.name, RS, NULL), -ENOENT);
	close(fd);
	ASSERT_EQ(sizeof(un), IPCCHAN_UNLINK_SIZE_VER0);
}

TEST(send_size)
{
	struct ipcchan_send s;
	unsigned char buf[sizeof(s) + 8];
	int fd = chan_new(NULL, RS, 0600, 0, 0, 0);
	char rbuf[8];

	raw_send_init(&s, "abc", 3);
	check_size_rules(fd, 0x10, &s, sizeof(s), IPCCHAN_SEND_SIZE_VER0);
	ASSERT_EQ(chan_msgs(fd), 0, "a rejected send queued a message");

	memset(buf, 0, sizeof(buf));
	memcpy(buf, &s, sizeof(s));
	*(__u32 *)buf = sizeof(buf);
	ASSERT_EQ(xioctl(fd, ioc(0x10, sizeof(buf)), buf), 0);
	ASSERT_EQ(recv_ok(fd, rbuf, sizeof(rbuf), NULL), 3);
	ASSERT_MEMEQ(rbuf, "abc", 3);
}

TEST(recv_size)
{
	struct ipcchan_recv r;
	unsigned char buf[sizeof(r) + 8];
	int fd = chan_new(NULL, RS, 0600, 0, 0, 0);
	char rbuf[8];

	send_str(fd, "abc");
	raw_recv_init(&r, rbuf, sizeof(rbuf));
	check_size_rules(fd, 0x11, &r, sizeof(r), IPCCHAN_RECV_SIZE_VER0);
	ASSERT_EQ(chan_msgs(fd), 1, "a rejected receive took the message");

	memset(buf, 0, sizeof(buf));
	memcpy(buf, &r, sizeof(r));
	*(__u32 *)buf = sizeof(buf);
	ASSERT_EQ(xioctl(fd, ioc(0x11, sizeof(buf)), buf), 3);
	memcpy(&r, buf, sizeof(r));
	ASSERT_EQ(r.info.len, 3);
	ASSERT_EQ(r.info.seq, 1);
	ASSERT_MEMEQ(rbuf, "abc", 3);
	ASSERT_EQ(sizeof(r), IPCCHAN_RECV_SIZE_VER1);
}

TEST(batch_size)
{
	struct ipcchan_mmsg m = { .buf = u64_ptr("abc"), .len = 3 };
	struct ipcchan_batch b;
	unsigned char buf[sizeof(b) + 8];
	int fd = chan_new(NULL, RS, 0600, 0, 0, 0);

	raw_batch_init(&b, &m, 1);
	check_size_rules(fd, 0x12, &b, sizeof(b), IPCCHAN_BATCH_SIZE_VER0);
	check_size_rules(fd, 0x13, &b, sizeof(b), IPCCHAN_BATCH_SIZE_VER0);
	ASSERT_EQ(chan_msgs(fd), 0);

	memset(buf, 0, sizeof(buf));
	memcpy(buf, &b, sizeof(b));
	*(__u32 *)buf = sizeof(buf);
	ASSERT_EQ(xioctl(fd, ioc(0x12, sizeof(buf)), buf), 1);
	ASSERT_EQ(chan_msgs(fd), 1);
	ASSERT_EQ(sizeof(b), IPCCHAN_BATCH_SIZE_VER0);
}

TEST(info_size)
{
	struct ipcchan_chan_info ci;
	unsigned char buf[sizeof(ci) + 16];
	char name[IPCCHAN_NAME_MAX];
	int fd = chan_new(name, RS, 0600, 0, 0, 0);
	size_t i;

	memset(&ci, 0, sizeof(ci));
	ci.size = sizeof(ci);
	check_size_rules(fd, 0x14, &ci, sizeof(ci), IPCCHAN_CHAN_INFO_SIZE_VER0);

	memset(buf, 0, sizeof(buf));
	memset(buf + sizeof(ci) + 8, 0xa5, 8);
	*(__u32 *)buf = sizeof(ci) + 8;
	ASSERT_EQ(xioctl(fd, ioc(0x14, sizeof(ci) + 8), buf), 0);
	memcpy(&ci, buf, sizeof(ci));
	ASSERT_STREQ(ci.name, name);
	for (i = sizeof(ci) + 8; i < sizeof(buf); i++)
		ASSERT_EQ(buf[i], 0xa5, "byte %zu past @size was written", i);
	ASSERT_EQ(sizeof(ci), IPCCHAN_CHAN_INFO_SIZE_VER1);
}

TEST_MAIN("version")
