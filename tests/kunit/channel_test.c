// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "ipcchan-channel": the queue and its byte accounting in
 * kmod/channel.c, driven through channel files made by the module's open
 * path and read and written as read(2) and write(2) would. The state is
 * read as the netlink plane reports it.
 */

#include <kunit/test.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "../../kmod/kind.h"
#include "../../kmod/limits.h"
#include "util.h"

#define RW	(IPCCHAN_OPEN_SEND | IPCCHAN_OPEN_RECV)
#define NEW_RW	(IPCCHAN_OPEN_CREATE | RW)

struct chan {
	struct file *file;
	struct ipcchan_obj *obj;
};

/* IPCCHAN_IOC_CHAN_OPEN, without the fd. */
static struct file *chan_open_file(struct file *ctl,
				   const struct ipcchan_chan_open *args)
{
	return ik_open_file(ctl, IPCCHAN_KIND_CHANNEL, args);
}

static struct chan chan_new(struct kunit *test, struct file *ctl, u32 size,
			    u32 msgs, u64 bytes)
{
	char name[IPCCHAN_NAME_MAX];
	struct chan c;

	ik_name(test, name, "chan");
	c.file = ik_chan(test, ctl, name, NEW_RW, size, msgs, bytes);
	c.obj = ik_lookup(test, IPCCHAN_KIND_CHANNEL, name);
	return c;
}

static void queue_counts_messages_and_bytes(struct kunit *test)
{
	struct chan c = chan_new(test, ik_ctl(test, 0, 0, true), 0, 0, 0);
	static const size_t lens[] = { 1, 10, 100 };
	char buf[128];
	size_t i;

	memset(buf, 'x', sizeof(buf));
	for (i = 0; i < ARRAY_SIZE(lens); i++)
		KUNIT_ASSERT_EQ(test, ik_chan_write(c.file, buf, lens[i]),
				(ssize_t)lens[i]);
	KUNIT_EXPECT_EQ(test, ik_attr(test, c.obj, IPCCHAN_A_MSGS), 3ULL);
	KUNIT_EXPECT_EQ(test, ik_attr(test, c.obj, IPCCHAN_A_BYTES), 111ULL);
	KUNIT_EXPECT_EQ(test, ik_attr(test, c.obj, IPCCHAN_A_SENT_MSGS), 3ULL);
	KUNIT_EXPECT_EQ(test, ik_attr(test, c.obj, IPCCHAN_A_SENT_BYTES),
			111ULL);

	KUNIT_EXPECT_EQ(test, ik_chan_read(c.file, buf, sizeof(buf)), 1);
	KUNIT_EXPECT_EQ(test, ik_attr(test, c.obj, IPCCHAN_A_MSGS), 2ULL);
	KUNIT_EXPECT_EQ(test, ik_attr(test, c.obj, IPCCHAN_A_BYTES), 110ULL);
	KUNIT_EXPECT_EQ(test, ik_chan_read(c.file, buf, sizeof(buf)), 10);
	KUNIT_EXPECT_EQ(test, ik_chan_read(c.file, buf, sizeof(buf)), 100);
	KUNIT_EXPECT_EQ(test, ik_attr(test, c.obj, IPCCHAN_A_MSGS), 0ULL);
	KUNIT_EXPECT_EQ(test, ik_attr(test, c.obj, IPCCHAN_A_BYTES), 0ULL);
	KUNIT_EXPECT_EQ(test, ik_attr(test, c.obj, IPCCHAN_A_RECV_MSGS), 3ULL);
	KUNIT_EXPECT_EQ(test, ik_attr(test, c.obj, IPCCHAN_A_RECV_BYTES),
			111ULL);
	/* Empty, with a sender open: no hang-up, just nothing yet. */
	KUNIT_EXPECT_EQ(test, ik_chan_read(c.file, buf, sizeof(buf)), -EAGAIN);
}

static void queue_is_fifo(struct kunit *test)
{
	struct chan c = chan_new(test, ik_ctl(test, 0, 0, true), 0, 64, 0);
	u32 i, v;

	for (i = 0; i < 64; i++)
		KUNIT_ASSERT_EQ(test, ik_chan_write(c.file, &i, sizeof(i)), 4);
	for (i = 0; i < 64; i++) {
		KUNIT_ASSERT_EQ(test, ik_chan_read(c.file, &v, sizeof(v)), 4);
		KUNIT_EXPECT_EQ(test, v, i);
	}
}

static void message_count_limit(struct kunit *test)
{
	struct chan c = chan_new(test, ik_ctl(test, 0, 0, true), 16, 2, 0);
	char buf[16] = "m";

	KUNIT_EXPECT_EQ(test, ik_chan_write(c.file, buf, 1), 1);
	KUNIT_EXPECT_EQ(test, ik_chan_write(c.file, buf, 1), 1);
	KUNIT_EXPECT_EQ(test, ik_chan_write(c.file, buf, 1), -EAGAIN);
	KUNIT_EXPECT_EQ(test, ik_attr(test, c.obj, IPCCHAN_A_MSGS), 2ULL);
	KUNIT_EXPECT_EQ(test, ik_attr(test, c.obj, IPCCHAN_A_REJECTED), 1ULL);
	KUNIT_EXPECT_EQ(test, ik_chan_read(c.file, buf, sizeof(buf)), 1);
	KUNIT_EXPECT_EQ(test, ik_chan_write(c.file, buf, 1), 1);
	KUNIT_EXPECT_EQ(test, ik_attr(test, c.obj, IPCCHAN_A_SENT_MSGS), 3ULL);
}

static void byte_limit_is_exact(struct kunit *test)
{
	struct chan c = chan_new(test, ik_ctl(test, 0, 0, true), 100, 10, 100);
	char buf[100] = {};

	KUNIT_EXPECT_EQ(test, ik_chan_write(c.file, buf, 60), 60);
	KUNIT_EXPECT_EQ(test, ik_chan_write(c.file, buf, 41), -EAGAIN);
	KUNIT_EXPECT_EQ(test, ik_chan_write(c.file, buf, 40), 40);
	KUNIT_EXPECT_EQ(test, ik_attr(test, c.obj, IPCCHAN_A_BYTES), 100ULL);
	KUNIT_EXPECT_EQ(test, ik_chan_write(c.file, buf, 1), -EAGAIN);
	KUNIT_EXPECT_EQ(test, ik_attr(test, c.obj, IPCCHAN_A_REJECTED), 2ULL);
}

static void oversize_message_is_refused(struct kunit *test)
{
	struct chan c = chan_new(test, ik_ctl(test, 0, 0, true), 32, 4, 0);
	char buf[64] = {};

	KUNIT_EXPECT_EQ(test, ik_chan_write(c.file, buf, 32), 32);
	KUNIT_EXPECT_EQ(test, ik_chan_write(c.file, buf, 33), -EMSGSIZE);
	KUNIT_EXPECT_EQ(test, ik_attr(test, c.obj, IPCCHAN_A_MSGS), 1ULL);
	KUNIT_EXPECT_EQ(test, ik_attr(test, c.obj, IPCCHAN_A_BYTES), 32ULL);
	/* Writing nothing sends nothing. */
	KUNIT_EXPECT_EQ(test, ik_chan_write(c.file, buf, 0), 0);
	KUNIT_EXPECT_EQ(test, ik_attr(test, c.obj, IPCCHAN_A_MSGS), 1ULL);
}

static void short_buffer_keeps_the_message(struct kunit *test)
{
	struct chan c = chan_new(test, ik_ctl(test, 0, 0, true), 0, 0, 0);
	char buf[16];

	KUNIT_ASSERT_EQ(test, ik_chan_write(c.file, "0123456789", 10), 10);
	KUNIT_EXPECT_EQ(test, ik_chan_read(c.file, buf, 9), -EMSGSIZE);
	KUNIT_EXPECT_EQ(test, ik_attr(test, c.obj, IPCCHAN_A_MSGS), 1ULL);
	KUNIT_EXPECT_EQ(test, ik_attr(test, c.obj, IPCCHAN_A_BYTES), 10ULL);
	KUNIT_EXPECT_EQ(test, ik_attr(test, c.obj, IPCCHAN_A_RECV_MSGS), 0ULL);
	memset(buf, 0, sizeof(buf));
	KUNIT_EXPECT_EQ(test, ik_chan_read(c.file, buf, sizeof(buf)), 10);
	KUNIT_EXPECT_EQ(test, memcmp(buf, "0123456789", 10), 0);
}

static void large_messages_round_trip(struct kunit *test)
{
	static const size_t lens[] = {
		PAGE_SIZE - 128, PAGE_SIZE, PAGE_SIZE + 1, 3 * PAGE_SIZE + 7,
		64 * 1024,
	};
	struct chan c = chan_new(test, ik_ctl(test, 0, 0, true), 64 * 1024, 8,
				 0);
	u8 *out, *in;
	size_t i, j;

	out = kunit_kmalloc(test, 64 * 1024, GFP_KERNEL);
	in = kunit_kmalloc(test, 64 * 1024, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, out);
	KUNIT_ASSERT_NOT_NULL(test, in);
	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		for (j = 0; j < lens[i]; j++)
			out[j] = (u8)(j * 7 + i);
		KUNIT_ASSERT_EQ(test, ik_chan_write(c.file, out, lens[i]),
				(ssize_t)lens[i]);
		memset(in, 0, lens[i]);
		KUNIT_ASSERT_EQ(test, ik_chan_read(c.file, in, 64 * 1024),
				(ssize_t)lens[i]);
		KUNIT_EXPECT_EQ_MSG(test, memcmp(in, out, lens[i]), 0,
				    "length %zu", lens[i]);
	}
	KUNIT_EXPECT_EQ(test, ik_attr(test, c.obj, IPCCHAN_A_BYTES), 0ULL);
}

static void default_limits(struct kunit *test)
{
	struct chan c;

	ik_param_set(test, "default_max_msg_size", 1000);
	ik_param_set(test, "default_max_msgs", 7);
	c = chan_new(test, ik_ctl(test, 0, 0, true), 0, 0, 0);
	KUNIT_EXPECT_EQ(test, ik_attr(test, c.obj, IPCCHAN_A_MAX_MSG_SIZE),
			1000ULL);
	KUNIT_EXPECT_EQ(test, ik_attr(test, c.obj, IPCCHAN_A_MAX_MSGS), 7ULL);
	KUNIT_EXPECT_EQ(test, ik_attr(test, c.obj, IPCCHAN_A_MAX_BYTES),
			7000ULL);

	/* The byte default is capped by max_bytes_limit. */
	ik_param_set(test, "max_bytes_limit", 5000);
	c = chan_new(test, ik_ctl(test, 0, 0, true), 0, 0, 0);
	KUNIT_EXPECT_EQ(test, ik_attr(test, c.obj, IPCCHAN_A_MAX_BYTES),
			5000ULL);
}

static void create_checks_limits(struct kunit *test)
{
	struct file *ctl = ik_ctl(test, 0, 0, true);
	struct ipcchan_chan_open args = {
		.size = sizeof(args),
		.flags = NEW_RW,
		.name = "kunit-never",
	};

	ik_param_set(test, "max_msg_size_limit", 4096);
	ik_param_set(test, "max_msgs_limit", 16);
	args.max_msg_size = 4097;
	KUNIT_EXPECT_EQ(test, PTR_ERR(chan_open_file(ctl, &args)),
			-EINVAL);
	args.max_msg_size = 4096;
	args.max_msgs = 17;
	KUNIT_EXPECT_EQ(test, PTR_ERR(chan_open_file(ctl, &args)),
			-EINVAL);
	/* max_bytes must hold one largest message. */
	args.max_msgs = 16;
	args.max_bytes = 4095;
	KUNIT_EXPECT_EQ(test, PTR_ERR(chan_open_file(ctl, &args)),
			-EINVAL);
	args.max_bytes = 0;
	args.mode = 01777;
	KUNIT_EXPECT_EQ(test, PTR_ERR(chan_open_file(ctl, &args)),
			-EINVAL);
	/* Limits without CREATE make no sense. */
	args.mode = 0;
	args.flags = RW;
	KUNIT_EXPECT_EQ(test, PTR_ERR(chan_open_file(ctl, &args)),
			-EINVAL);
	args.max_msg_size = 0;
	args.max_msgs = 0;
	KUNIT_EXPECT_EQ(test, PTR_ERR(chan_open_file(ctl, &args)),
			-ENOENT);
}

static void set_limits_checks_and_applies(struct kunit *test)
{
	struct chan c = chan_new(test, ik_ctl(test, 0, 0, true), 64, 1, 64);
	u64 too_big_msg = (u64)ipcchan_limit_msg_size() + 1;
	u64 too_many = (u64)ipcchan_limit_msgs() + 1;
	u64 too_big = ipcchan_limit_bytes() + 1;
	char buf[128] = {};

	KUNIT_EXPECT_EQ(test, ik_set_limits(test, c.obj, 128, 0, 64),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, ik_set_limits(test, c.obj, too_big_msg, 0, 0),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, ik_set_limits(test, c.obj, 0, too_many, 0),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, ik_set_limits(test, c.obj, 0, 0, too_big),
			-EINVAL);
	/* Nothing changed by the refusals. */
	KUNIT_EXPECT_EQ(test, ik_attr(test, c.obj, IPCCHAN_A_MAX_MSG_SIZE), 64ULL);
	KUNIT_EXPECT_EQ(test, ik_attr(test, c.obj, IPCCHAN_A_MAX_MSGS), 1ULL);

	KUNIT_EXPECT_EQ(test, ik_chan_write(c.file, buf, 64), 64);
	KUNIT_EXPECT_EQ(test, ik_chan_write(c.file, buf, 1), -EAGAIN);
	KUNIT_ASSERT_EQ(test, ik_set_limits(test, c.obj, 128, 4, 512), 0);
	KUNIT_EXPECT_EQ(test, ik_attr(test, c.obj, IPCCHAN_A_MAX_MSG_SIZE),
			128ULL);
	KUNIT_EXPECT_EQ(test, ik_chan_write(c.file, buf, 128), 128);
	/* Lowered below what is queued: what is queued stays. */
	KUNIT_ASSERT_EQ(test, ik_set_limits(test, c.obj, 16, 1, 16), 0);
	KUNIT_EXPECT_EQ(test, ik_attr(test, c.obj, IPCCHAN_A_MSGS), 2ULL);
	KUNIT_EXPECT_EQ(test, ik_chan_write(c.file, buf, 1), -EAGAIN);
	KUNIT_EXPECT_EQ(test, ik_chan_read(c.file, buf, sizeof(buf)), 64);
	KUNIT_EXPECT_EQ(test, ik_chan_read(c.file, buf, sizeof(buf)), 128);
}

static void sender_uid_is_charged(struct kunit *test)
{
	struct file *ctl = ik_ctl(test, IK_UID, IK_GID, false);
	char name[IPCCHAN_NAME_MAX], buf[256] = {};
	struct ipcchan_obj *obj;
	struct file *file;
	int sent = 0;

	ik_param_set(test, "max_bytes_per_user", 1024);
	ik_name(test, name, "charged");
	file = ik_chan(test, ctl, name, NEW_RW, 256, 64, 0);
	obj = ik_lookup(test, IPCCHAN_KIND_CHANNEL, name);
	KUNIT_EXPECT_EQ(test, obj->uid.val, (uid_t)IK_UID);

	/* Each message costs its length and a header; the uid runs out. */
	while (sent < 64 && ik_chan_write(file, buf, 256) == 256)
		sent++;
	KUNIT_EXPECT_GE(test, sent, 1);
	KUNIT_EXPECT_LT(test, sent, 4);
	KUNIT_EXPECT_EQ(test, ik_chan_write(file, buf, 256), -ENOBUFS);
	KUNIT_EXPECT_EQ(test, ik_attr(test, obj, IPCCHAN_A_MSGS), (u64)sent);
	/* A receive gives the budget back. */
	KUNIT_EXPECT_EQ(test, ik_chan_read(file, buf, sizeof(buf)), 256);
	KUNIT_EXPECT_EQ(test, ik_chan_write(file, buf, 256), 256);
}

static void hang_up_after_last_sender(struct kunit *test)
{
	struct file *ctl = ik_ctl(test, 0, 0, true);
	char name[IPCCHAN_NAME_MAX], buf[8];
	struct file *rx, *tx;
	struct ipcchan_obj *obj;

	ik_name(test, name, "hup");
	rx = ik_chan(test, ctl, name, IPCCHAN_OPEN_CREATE | IPCCHAN_OPEN_RECV,
		     0, 0, 0);
	obj = ik_lookup(test, IPCCHAN_KIND_CHANNEL, name);
	/* No sender was ever open: empty is just empty. */
	KUNIT_EXPECT_EQ(test, ik_chan_read(rx, buf, sizeof(buf)), -EAGAIN);
	tx = ik_chan(test, ctl, name, IPCCHAN_OPEN_SEND, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, ik_attr(test, obj, IPCCHAN_A_SENDERS), 1ULL);
	KUNIT_EXPECT_EQ(test, ik_attr(test, obj, IPCCHAN_A_RECEIVERS), 1ULL);
	KUNIT_ASSERT_EQ(test, ik_chan_write(tx, "bye", 3), 3);
	ik_fput(test, tx);
	KUNIT_EXPECT_EQ(test, ik_attr(test, obj, IPCCHAN_A_SENDERS), 0ULL);
	/* The last message is still delivered, then end of file. */
	KUNIT_EXPECT_EQ(test, ik_chan_read(rx, buf, sizeof(buf)), 3);
	KUNIT_EXPECT_EQ(test, ik_chan_read(rx, buf, sizeof(buf)), 0);
}

static struct kunit_case channel_cases[] = {
	KUNIT_CASE(queue_counts_messages_and_bytes),
	KUNIT_CASE(queue_is_fifo),
	KUNIT_CASE(message_count_limit),
	KUNIT_CASE(byte_limit_is_exact),
	KUNIT_CASE(oversize_message_is_refused),
	KUNIT_CASE(short_buffer_keeps_the_message),
	KUNIT_CASE(large_messages_round_trip),
	KUNIT_CASE(default_limits),
	KUNIT_CASE(create_checks_limits),
	KUNIT_CASE(set_limits_checks_and_applies),
	KUNIT_CASE(sender_uid_is_charged),
	KUNIT_CASE(hang_up_after_last_sender),
	{}
};

static struct kunit_suite channel_suite = {
	.name = "ipcchan-channel",
	.test_cases = channel_cases,
};

kunit_test_suite(channel_suite);
