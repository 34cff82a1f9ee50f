// SPDX-License-Identifier: GPL-2.0
/*
 * IPCCHAN_IOC_CHAN_OPEN, IPCCHAN_IOC_UNLINK and IPCCHAN_IOC_CHAN_INFO:
 * creating, opening and unlinking channels, the checks on their arguments,
 * and what info reports.
 */
#include "util.h"

#include <sys/resource.h>

static int raw_open(int dev, struct ipcchan_chan_open *op)
{
	return xioctl(dev, IPCCHAN_IOC_CHAN_OPEN, op);
}

TEST(create_then_open)
{
	char name[IPCCHAN_NAME_MAX];
	int a, b, c;

	a = chan_new(name, RS, 0600, 0, 0, 0);
	b = chan_get(name, IPCCHAN_OPEN_SEND);
	c = chan_get(name, IPCCHAN_OPEN_RECV);
	ASSERT_NE(a, b);
	send_str(b, "one");
	send_str(a, "two");
	recv_str(c, "one");
	recv_str(a, "two");
	/* CREATE without EXCL opens the existing channel. */
	close(b);
	b = ipcchan_chan_open(IPCCHAN_DEV_AUTO, name,
			      RS | IPCCHAN_OPEN_CREATE, NULL);
	ASSERT_GE(b, 0);
	send_str(b, "three");
	recv_str(c, "three");
}

/*
 * before: a channel with max_msgs 5
 * after:  CREATE without EXCL with other attributes opens it unchanged
 */
TEST(create_existing_keeps_attrs)
{
	struct ipcchan_attr attr = { .mode = 0644, .max_msg_size = 32,
				     .max_msgs = 9 };
	struct ipcchan_chan_info ci;
	char name[IPCCHAN_NAME_MAX];
	int a, b;

	a = chan_new(name, RS, 0600, 64, 5, 0);
	b = ipcchan_chan_open(IPCCHAN_DEV_AUTO, name,
			      RS | IPCCHAN_OPEN_CREATE, &attr);
	ASSERT_GE(b, 0);
	chan_info(b, &ci);
	ASSERT_EQ(ci.max_msgs, 5);
	ASSERT_EQ(ci.max_msg_size, 64);
	ASSERT_EQ(ci.mode, 0600);
	close(a);
}

TEST(excl_existing)
{
	char name[IPCCHAN_NAME_MAX];
	int fd = chan_new(name, RS, 0600, 0, 0, 0);

	ASSERT_EQ(ipcchan_chan_open(IPCCHAN_DEV_AUTO, name, RS |
				    IPCCHAN_OPEN_CREATE | IPCCHAN_OPEN_EXCL,
				    NULL), -EEXIST);
	ASSERT_EQ(ipcchan_chan_open(IPCCHAN_DEV_AUTO, name,
				    IPCCHAN_OPEN_RECV | IPCCHAN_OPEN_CREATE |
				    IPCCHAN_OPEN_EXCL, NULL), -EEXIST);
	/* The existing channel was not disturbed. */
	send_str(fd, "x");
	ASSERT_EQ(chan_msgs(fd), 1);
}

TEST(open_missing)
{
	char name[IPCCHAN_NAME_MAX];

	new_name(name);
	ASSERT_EQ(ipcchan_chan_open(IPCCHAN_DEV_AUTO, name, RS, NULL), -ENOENT);
	ASSERT_EQ(ipcchan_chan_open(IPCCHAN_DEV_AUTO, name,
				    IPCCHAN_OPEN_RECV, NULL), -ENOENT);
	ASSERT_EQ(ipcchan_chan_open(IPCCHAN_DEV_AUTO, name,
				    IPCCHAN_OPEN_SEND | IPCCHAN_OPEN_NONBLOCK,
				    NULL), -ENOENT);
}

TEST(no_access_flags)
{
	char name[IPCCHAN_NAME_MAX];
	struct ipcchan_chan_open op;
	int dev = dev_open();

	new_name(name);
	ASSERT_EQ(ipcchan_chan_open(dev, name, IPCCHAN_OPEN_CREATE, NULL),
		  -EINVAL);
	ASSERT_EQ(ipcchan_chan_open(dev, name, IPCCHAN_OPEN_CREATE |
				    IPCCHAN_OPEN_EXCL | IPCCHAN_OPEN_NONBLOCK |
				    IPCCHAN_OPEN_CLOEXEC, NULL), -EINVAL);
	raw_open_init(&op, name, 0);
	ASSERT_EQ(raw_open(dev, &op), -EINVAL);
	/* Nothing was created along the way. */
	ASSERT_EQ(ipcchan_chan_open(dev, name, RS, NULL), -ENOENT);
}

TEST(unknown_flags)
{
	char name[IPCCHAN_NAME_MAX];
	struct ipcchan_chan_open op;
	int dev = dev_open(), bit;

	new_name(name);
	/* Bit 6 is IPCCHAN_OPEN_ADOPT, bit 7 IPCCHAN_OPEN_RENDEZVOUS. */
	for (bit = 8; bit < 32; bit++) {
		raw_open_init(&op, name, RS | IPCCHAN_OPEN_CREATE | (1U << bit));
		op.mode = 0600;
		EXPECT_EQ(raw_open(dev, &op), -EINVAL, "flag bit %d", bit);
	}
	ASSERT_EQ(ipcchan_chan_open(dev, name, RS, NULL), -ENOENT);
}

TEST(reserved)
{
	char name[IPCCHAN_NAME_MAX];
	struct ipcchan_chan_open op;
	int dev = dev_open();
	int fd = chan_new(name, RS, 0600, 0, 0, 0);

	raw_open_init(&op, name, RS);
	op.__reserved = 1;
	ASSERT_EQ(raw_open(dev, &op), -EINVAL);
	op.__reserved = 0x80000000;
	ASSERT_EQ(raw_open(dev, &op), -EINVAL);
	new_name(op.name);
	op.flags |= IPCCHAN_OPEN_CREATE;
	op.mode = 0600;
	ASSERT_EQ(raw_open(dev, &op), -EINVAL);
	ASSERT_EQ(ipcchan_chan_open(dev, op.name, RS, NULL), -ENOENT);
	op.__reserved = 0;
	close(fd);
	fd = raw_open(dev, &op);
	ASSERT_GE(fd, 0);
}

/* Without CREATE, mode and the limits must be zero. */
TEST(creation_fields_without_create)
{
	char name[IPCCHAN_NAME_MAX];
	struct ipcchan_chan_open op;
	int dev = dev_open(), fd;

	fd = chan_new(name, RS, 0600, 0, 0, 0);
	close(fd);

	raw_open_init(&op, name, RS);
	op.mode = 0600;
	ASSERT_EQ(raw_open(dev, &op), -EINVAL);
	raw_open_init(&op, name, RS);
	op.max_msg_size = 16;
	ASSERT_EQ(raw_open(dev, &op), -EINVAL);
	raw_open_init(&op, name, IPCCHAN_OPEN_RECV);
	op.max_msgs = 1;
	ASSERT_EQ(raw_open(dev, &op), -EINVAL);
	raw_open_init(&op, name, IPCCHAN_OPEN_SEND);
	op.max_bytes = 1;
	ASSERT_EQ(raw_open(dev, &op), -EINVAL);
	raw_open_init(&op, name, RS);
	fd = raw_open(dev, &op);
	ASSERT_GE(fd, 0);
}

/* Limits above the module's bounds, which IPCCHAN_IOC_VERSION reports. */
TEST(limits_above_bounds)
{
	struct ipcchan_version v;
	struct ipcchan_attr a;
	char name[IPCCHAN_NAME_MAX];
	unsigned int fl = RS | IPCCHAN_OPEN_CREATE | IPCCHAN_OPEN_EXCL;
	int fd;

	get_version(&v);
	new_name(name);

	a = (struct ipcchan_attr){ 0600, v.max_msg_size + 1, 0, v.max_bytes };
	if (v.max_msg_size < UINT32_MAX)
		EXPECT_EQ(ipcchan_chan_open(IPCCHAN_DEV_AUTO, name, fl, &a),
			  -EINVAL, "max_msg_size %u", a.max_msg_size);
	a = (struct ipcchan_attr){ 0600, 0, v.max_msgs + 1, 0 };
	if (v.max_msgs < UINT32_MAX)
		EXPECT_EQ(ipcchan_chan_open(IPCCHAN_DEV_AUTO, name, fl, &a),
			  -EINVAL, "max_msgs %u", a.max_msgs);
	a = (struct ipcchan_attr){ 0600, 0, 0, v.max_bytes + 1 };
	EXPECT_EQ(ipcchan_chan_open(IPCCHAN_DEV_AUTO, name, fl, &a), -EINVAL,
		  "max_bytes %llu", (unsigned long long)a.max_bytes);
	a = (struct ipcchan_attr){ 0600, UINT32_MAX, UINT32_MAX, UINT64_MAX };
	EXPECT_EQ(ipcchan_chan_open(IPCCHAN_DEV_AUTO, name, fl, &a), -EINVAL);
	ASSERT_EQ(ipcchan_chan_open(IPCCHAN_DEV_AUTO, name, RS, NULL), -ENOENT);

	/* The bounds themselves are allowed. */
	a = (struct ipcchan_attr){ 0600, v.max_msg_size, v.max_msgs,
				   v.max_bytes };
	fd = ipcchan_chan_open(IPCCHAN_DEV_AUTO, name, fl, &a);
	ASSERT_GE(fd, 0);
}

TEST(max_bytes_below_msg_size)
{
	struct ipcchan_attr a = { 0600, 100, 0, 99 };
	char name[IPCCHAN_NAME_MAX];
	unsigned int fl = RS | IPCCHAN_OPEN_CREATE | IPCCHAN_OPEN_EXCL;
	struct ipcchan_chan_info ci;
	int fd;

	new_name(name);
	ASSERT_EQ(ipcchan_chan_open(IPCCHAN_DEV_AUTO, name, fl, &a), -EINVAL);
	a.max_bytes = 1;
	ASSERT_EQ(ipcchan_chan_open(IPCCHAN_DEV_AUTO, name, fl, &a), -EINVAL);
	a.max_bytes = 100;
	fd = ipcchan_chan_open(IPCCHAN_DEV_AUTO, name, fl, &a);
	ASSERT_GE(fd, 0);
	chan_info(fd, &ci);
	ASSERT_EQ(ci.max_msg_size, 100);
	ASSERT_EQ(ci.max_bytes, 100);
}

TEST(bad_mode)
{
	static const __u32 modes[] = { 01000, 02000, 04000, 04755, 010000,
				       0100600, 0xffffffff };
	unsigned int fl = RS | IPCCHAN_OPEN_CREATE | IPCCHAN_OPEN_EXCL;
	char name[IPCCHAN_NAME_MAX];
	struct ipcchan_attr a = { 0 };
	size_t i;

	new_name(name);
	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		a.mode = modes[i];
		EXPECT_EQ(ipcchan_chan_open(IPCCHAN_DEV_AUTO, name, fl, &a),
			  -EINVAL, "mode %#o", modes[i]);
	}
	ASSERT_EQ(ipcchan_chan_open(IPCCHAN_DEV_AUTO, name, RS, NULL), -ENOENT);
}

TEST(modes_reported)
{
	static const __u32 modes[] = { 0, 0600, 0640, 0644, 0666, 0777, 0421 };
	struct ipcchan_chan_info ci;
	size_t i;

	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		int fd = chan_new(NULL, RS, modes[i], 0, 0, 0);

		chan_info(fd, &ci);
		EXPECT_EQ(ci.mode, modes[i]);
		close(fd);
	}
}

TEST(nonblock_cloexec)
{
	char name[IPCCHAN_NAME_MAX];
	int a, b, c;

	a = chan_new(name, RS, 0600, 0, 0, 0);
	ASSERT_EQ(fcntl(a, F_GETFL) & O_NONBLOCK, 0);
	ASSERT_EQ(fcntl(a, F_GETFD) & FD_CLOEXEC, 0);
	b = chan_get(name, RS | IPCCHAN_OPEN_NONBLOCK);
	ASSERT_EQ(fcntl(b, F_GETFL) & O_NONBLOCK, O_NONBLOCK);
	ASSERT_EQ(fcntl(b, F_GETFD) & FD_CLOEXEC, 0);
	c = chan_get(name, IPCCHAN_OPEN_RECV | IPCCHAN_OPEN_CLOEXEC);
	ASSERT_EQ(fcntl(c, F_GETFL) & O_NONBLOCK, 0);
	ASSERT_EQ(fcntl(c, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	close(c);
	c = chan_new(NULL, IPCCHAN_OPEN_SEND | IPCCHAN_OPEN_NONBLOCK |
		     IPCCHAN_OPEN_CLOEXEC, 0600, 0, 0, 0);
	ASSERT_EQ(fcntl(c, F_GETFL) & O_NONBLOCK, O_NONBLOCK);
	ASSERT_EQ(fcntl(c, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	/* O_NONBLOCK has its effect: an empty channel does not block. */
	ASSERT_EQ(ipcchan_recv(b, NULL, 0, NULL, 0, IPCCHAN_WAIT_FOREVER),
		  -EAGAIN);
}

TEST(unlink)
{
	char name[IPCCHAN_NAME_MAX];
	int fd = chan_new(name, RS, 0600, 0, 0, 0);

	close(fd);
	chan_unlink(name);
	ASSERT_EQ(ipcchan_chan_open(IPCCHAN_DEV_AUTO, name, RS, NULL), -ENOENT);
	ASSERT_EQ(ipcchan_chan_unlink(IPCCHAN_DEV_AUTO, name), -ENOENT);
}

TEST(unlink_missing)
{
	char name[IPCCHAN_NAME_MAX];

	new_name(name);
	ASSERT_EQ(ipcchan_chan_unlink(IPCCHAN_DEV_AUTO, name), -ENOENT);
}

/*
 * before: channel A with one message queued and max_msgs 5, open
 * after:  unlinked and created again: a fresh, empty channel with its own
 *         attributes and sequence; the old fd still sees the old one
 */
TEST(recreate_after_unlink)
{
	char name[IPCCHAN_NAME_MAX];
	struct ipcchan_chan_info ci;
	struct ipcchan_msg_info mi;
	char buf[16];
	int old, fresh;

	old = chan_new(name, RS, 0600, 64, 5, 0);
	send_str(old, "old");
	send_str(old, "old2");
	chan_unlink(name);
	fresh = ipcchan_chan_open(IPCCHAN_DEV_AUTO, name, RS |
				  IPCCHAN_OPEN_CREATE | IPCCHAN_OPEN_EXCL,
				  &(struct ipcchan_attr){ 0640, 32, 7, 0 });
	ASSERT_GE(fresh, 0);
	chan_info(fresh, &ci);
	ASSERT_EQ(ci.msgs, 0);
	ASSERT_EQ(ci.max_msgs, 7);
	ASSERT_EQ(ci.max_msg_size, 32);
	ASSERT_EQ(ci.mode, 0640);
	ASSERT_EQ(ci.next_seq, 1);
	ASSERT_STREQ(ci.name, name);
	chan_info(old, &ci);
	ASSERT_EQ(ci.msgs, 2);
	ASSERT_EQ(ci.max_msgs, 5);

	send_str(fresh, "new");
	ASSERT_EQ(recv_ok(fresh, buf, sizeof(buf), &mi), 3);
	ASSERT_MEMEQ(buf, "new", 3);
	ASSERT_EQ(mi.seq, 1);
	ASSERT_EQ(recv_ok(old, buf, sizeof(buf), &mi), 3);
	ASSERT_MEMEQ(buf, "old", 3);
	ASSERT_EQ(mi.seq, 1);
	/* A new open by name finds the new channel. */
	close(old);
	old = chan_get(name, RS);
	send_str(old, "again");
	recv_str(fresh, "again");
}

TEST(unlink_keeps_fds)
{
	char name[IPCCHAN_NAME_MAX];
	int a, r;

	a = chan_new(name, RS, 0600, 0, 0, 0);
	r = chan_get(name, IPCCHAN_OPEN_RECV);
	send_str(a, "before");
	chan_unlink(name);
	send_str(a, "after");
	recv_str(r, "before");
	recv_str(r, "after");
	/* Opening by name fails, but the open fds still share the channel. */
	ASSERT_EQ(ipcchan_chan_open(IPCCHAN_DEV_AUTO, name, RS, NULL), -ENOENT);
	send_str(a, "still");
	recv_str(r, "still");
}

TEST(info_defaults)
{
	struct ipcchan_version v;
	struct ipcchan_chan_info ci;
	char name[IPCCHAN_NAME_MAX];
	uint64_t def;
	int fd;

	get_version(&v);
	new_name(name);
	fd = ipcchan_chan_open(IPCCHAN_DEV_AUTO, name,
			       RS | IPCCHAN_OPEN_CREATE | IPCCHAN_OPEN_EXCL,
			       NULL);
	ASSERT_GE(fd, 0);
	chan_info(fd, &ci);
	TH_LOG("defaults: max_msg_size %u max_msgs %u max_bytes %llu",
	       ci.max_msg_size, ci.max_msgs,
	       (unsigned long long)ci.max_bytes);
	ASSERT_EQ(ci.size, sizeof(ci));
	ASSERT_EQ(ci.flags, 0);
	ASSERT_EQ(ci.mode, 0600, "the library's default mode");
	ASSERT_EQ(ci.uid, 0);
	ASSERT_EQ(ci.gid, 0);
	ASSERT_EQ(ci.msgs, 0);
	ASSERT_EQ(ci.bytes, 0);
	ASSERT_EQ(ci.next_seq, 1);
	ASSERT_EQ(ci.senders, 1);
	ASSERT_EQ(ci.receivers, 1);
	ASSERT_STREQ(ci.name, name);
	ASSERT_GT(ci.max_msg_size, 0);
	ASSERT_LE(ci.max_msg_size, v.max_msg_size);
	ASSERT_GT(ci.max_msgs, 0);
	ASSERT_LE(ci.max_msgs, v.max_msgs);
	ASSERT_GE(ci.max_bytes, ci.max_msg_size);
	ASSERT_LE(ci.max_bytes, v.max_bytes);
	if (!param_read_u64("default_max_msg_size", &def))
		EXPECT_EQ(ci.max_msg_size, def < v.max_msg_size ?
			  def : v.max_msg_size);
	if (!param_read_u64("default_max_msgs", &def))
		EXPECT_EQ(ci.max_msgs, def < v.max_msgs ? def : v.max_msgs);
}

TEST(info_limits)
{
	struct ipcchan_chan_info ci;
	char name[IPCCHAN_NAME_MAX];
	int fd = chan_new(name, IPCCHAN_OPEN_SEND, 0640, 128, 5, 1000);

	chan_info(fd, &ci);
	ASSERT_EQ(ci.max_msg_size, 128);
	ASSERT_EQ(ci.max_msgs, 5);
	ASSERT_EQ(ci.max_bytes, 1000);
	ASSERT_EQ(ci.mode, 0640);
	ASSERT_EQ(ci.senders, 1);
	ASSERT_EQ(ci.receivers, 0);
}

/*
 * before: an empty channel
 * after:  three messages of 10, 20 and 0 bytes: msgs 3, bytes 30,
 *         next_seq 4; one received: msgs 2, bytes 20, next_seq 4
 */
TEST(info_state)
{
	struct ipcchan_chan_info ci;
	char buf[32] = { 0 };
	int fd = chan_new(NULL, RS, 0600, 32, 8, 0);

	send_ok(fd, buf, 10);
	send_ok(fd, buf, 20);
	send_ok(fd, buf, 0);
	chan_info(fd, &ci);
	ASSERT_EQ(ci.msgs, 3);
	ASSERT_EQ(ci.bytes, 30);
	ASSERT_EQ(ci.next_seq, 4);
	ASSERT_EQ(recv_ok(fd, buf, sizeof(buf), NULL), 10);
	chan_info(fd, &ci);
	ASSERT_EQ(ci.msgs, 2);
	ASSERT_EQ(ci.bytes, 20);
	ASSERT_EQ(ci.next_seq, 4);
}

/* senders and receivers count the open descriptors of each kind. */
TEST(info_counts)
{
	struct ipcchan_chan_info ci;
	char name[IPCCHAN_NAME_MAX];
	int r, s, rs, r2;

	r = chan_new(name, IPCCHAN_OPEN_RECV, 0600, 0, 0, 0);
	chan_info(r, &ci);
	ASSERT_EQ(ci.senders, 0);
	ASSERT_EQ(ci.receivers, 1);
	s = chan_get(name, IPCCHAN_OPEN_SEND);
	rs = chan_get(name, RS);
	r2 = chan_get(name, IPCCHAN_OPEN_RECV);
	chan_info(r, &ci);
	ASSERT_EQ(ci.senders, 2);
	ASSERT_EQ(ci.receivers, 3);
	close(rs);
	chan_info(s, &ci);
	ASSERT_EQ(ci.senders, 1);
	ASSERT_EQ(ci.receivers, 2);
	close(s);
	close(r2);
	chan_info(r, &ci);
	ASSERT_EQ(ci.senders, 0);
	ASSERT_EQ(ci.receivers, 1);
}

TEST(info_bad_args)
{
	struct ipcchan_chan_info ci;
	int fd = chan_new(NULL, RS, 0600, 0, 0, 0);

	memset(&ci, 0, sizeof(ci));
	ci.size = sizeof(ci);
	ci.flags = 1;
	ASSERT_EQ(xioctl(fd, IPCCHAN_IOC_CHAN_INFO, &ci), -EINVAL);
	ci.flags = 0x80000000;
	ASSERT_EQ(xioctl(fd, IPCCHAN_IOC_CHAN_INFO, &ci), -EINVAL);
	ci.flags = 0;
	ASSERT_EQ(xioctl(fd, IPCCHAN_IOC_CHAN_INFO, &ci), 0);
	ASSERT_EQ(ci.receivers, 1);
	/* Info works on send-only and receive-only descriptors alike. */
	close(fd);
	fd = chan_new(NULL, IPCCHAN_OPEN_RECV, 0600, 0, 0, 0);
	chan_info(fd, &ci);
	ASSERT_EQ(ci.receivers, 1);
}

/* Each fd is independent: closing one leaves the others working. */
TEST(close_independent)
{
	char name[IPCCHAN_NAME_MAX];
	int a, b, c;

	a = chan_new(name, RS, 0600, 0, 0, 0);
	b = chan_get(name, RS);
	c = chan_get(name, RS);
	send_str(a, "1");
	close(a);
	send_str(b, "2");
	close(b);
	recv_str(c, "1");
	recv_str(c, "2");
}

/*
 * before: no fd left under RLIMIT_NOFILE
 * after:  creating fails with EMFILE and leaves no channel behind
 */
TEST(emfile_creates_nothing)
{
	char name[IPCCHAN_NAME_MAX];
	int dev = dev_open();
	pid_t pid;

	new_name(name);
	pid = xfork();
	if (pid == 0) {
		struct rlimit rl;
		int ret;

		/* The lowest free fd becomes the limit. */
		ret = dup(0);
		ASSERT_GE(ret, 0);
		close(ret);
		rl.rlim_cur = rl.rlim_max = ret;
		ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &rl), 0);
		ASSERT_EQ(ipcchan_chan_open(dev, name, RS | IPCCHAN_OPEN_CREATE,
					    NULL), -EMFILE);
		child_exit();
	}
	ASSERT_CHILD_OK(pid);
	ASSERT_EQ(ipcchan_chan_open(dev, name, RS, NULL), -ENOENT);
}

/* A channel fd is not /dev/ipcchan: no opening through it. */
TEST(open_through_dev_only)
{
	char name[IPCCHAN_NAME_MAX];
	int fd = chan_new(name, RS, 0600, 0, 0, 0);

	ASSERT_EQ(ipcchan_chan_open(fd, name, RS, NULL), -ENOTTY);
	ASSERT_EQ(ipcchan_chan_unlink(fd, name), -ENOTTY);
	ASSERT_EQ(ipcchan_chan_open(-5, name, RS, NULL), -EBADF);
}

TEST_MAIN("open")
