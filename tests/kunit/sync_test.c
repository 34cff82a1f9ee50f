// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "ipcchan-sync": the withdraw-or-taken state machine of a
 * synchronous send (kmod/chan_sync.c), driven through write(2) and read(2)
 * on a rendezvous channel, where every send is synchronous, with a kernel
 * thread on the side that blocks: a message handed to a waiting receiver,
 * one taken off the queue, one withdrawn by a nonblocking send and by a
 * hang-up, each checked in the counters the netlink plane reports.
 */

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/kthread.h>
#include <linux/string.h>

#include "../../kmod/kind.h"
#include "util.h"

#define RW	(IPCCHAN_OPEN_SEND | IPCCHAN_OPEN_RECV)
#define NEW_RDV	(IPCCHAN_OPEN_CREATE | RW | IPCCHAN_OPEN_RENDEZVOUS)

/* A call made by a kernel thread, which blocks in it. */
struct side_call {
	struct file *file;
	bool write;
	char buf[32];
	size_t len;
	ssize_t ret;
	struct completion done;
};

static int side_fn(void *arg)
{
	struct side_call *c = arg;

	if (c->write)
		c->ret = ik_chan_write(c->file, c->buf, c->len);
	else
		c->ret = ik_chan_read(c->file, c->buf, c->len);
	complete(&c->done);
	return 0;
}

/* The file, made blocking, for a side call. */
static void side_start(struct kunit *test, struct side_call *c,
		       struct file *file, bool write, const char *s)
{
	struct task_struct *t;

	spin_lock(&file->f_lock);
	file->f_flags &= ~O_NONBLOCK;
	spin_unlock(&file->f_lock);
	c->file = file;
	c->write = write;
	c->len = write ? strlen(s) : sizeof(c->buf);
	if (write)
		memcpy(c->buf, s, c->len);
	init_completion(&c->done);
	t = kthread_run(side_fn, c, "ipcchan-sync-test");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
}

/* Waits until attribute @attr of @obj reads @val, for up to 5 s. */
static void wait_attr(struct kunit *test, struct ipcchan_obj *obj, int attr,
		      u64 val)
{
	int i;

	for (i = 0; i < 500 && ik_attr(test, obj, attr) != val; i++)
		msleep(10);
	KUNIT_ASSERT_EQ(test, ik_attr(test, obj, attr), val);
}

static void side_wait(struct kunit *test, struct side_call *c)
{
	KUNIT_ASSERT_NE(test, wait_for_completion_timeout(&c->done, 10 * HZ),
			0UL);
}

struct rdv {
	struct file *ctl;
	char name[IPCCHAN_NAME_MAX];
	struct file *file;	/* sends and receives, nonblocking */
	struct ipcchan_obj *obj;
};

static struct rdv rdv_new(struct kunit *test)
{
	struct rdv r;

	r.ctl = ik_ctl(test, 0, 0, true);
	ik_name(test, r.name, "sync");
	r.file = ik_chan(test, r.ctl, r.name, NEW_RDV, 0, 0, 0);
	r.obj = ik_lookup(test, IPCCHAN_KIND_CHANNEL, r.name);
	return r;
}

static ssize_t nb_write(struct file *file, const char *s)
{
	return ik_chan_write(file, s, strlen(s));
}

static ssize_t nb_read(struct file *file, char *buf, size_t len)
{
	return ik_chan_read(file, buf, len);
}

/* No receiver waiting: a nonblocking send fails and leaves no trace. */
static void nonblocking_send_needs_a_waiting_receiver(struct kunit *test)
{
	struct rdv r = rdv_new(test);

	KUNIT_EXPECT_EQ(test, nb_write(r.file, "none"), (ssize_t)-EAGAIN);
	KUNIT_EXPECT_EQ(test, ik_attr(test, r.obj, IPCCHAN_A_MSGS), 0ULL);
	KUNIT_EXPECT_EQ(test, ik_attr(test, r.obj, IPCCHAN_A_BYTES), 0ULL);
	KUNIT_EXPECT_EQ(test, ik_attr(test, r.obj, IPCCHAN_A_SENT_MSGS), 0ULL);
	KUNIT_EXPECT_EQ(test, ik_attr(test, r.obj, IPCCHAN_A_CHAN_FLAGS),
			(u64)IPCCHAN_CHAN_RENDEZVOUS);
}

/*
 * A receiver blocked with nothing: a nonblocking send hands it the
 * message, which it returns (taken); nothing was ever queued.
 */
static void handed_to_the_waiting_receiver(struct kunit *test)
{
	struct rdv r = rdv_new(test);
	struct file *rx = ik_chan(test, r.ctl, r.name, IPCCHAN_OPEN_RECV, 0, 0,
				  0);
	struct side_call c;

	side_start(test, &c, rx, false, NULL);
	wait_attr(test, r.obj, IPCCHAN_A_BLOCKED_RECEIVERS, 1);
	KUNIT_EXPECT_EQ(test, nb_write(r.file, "handed"), 6);
	side_wait(test, &c);
	KUNIT_EXPECT_EQ(test, c.ret, 6);
	KUNIT_EXPECT_EQ(test, memcmp(c.buf, "handed", 6), 0);
	KUNIT_EXPECT_EQ(test, ik_attr(test, r.obj, IPCCHAN_A_MSGS), 0ULL);
	KUNIT_EXPECT_EQ(test, ik_attr(test, r.obj, IPCCHAN_A_SENT_MSGS), 1ULL);
	KUNIT_EXPECT_EQ(test, ik_attr(test, r.obj, IPCCHAN_A_RECV_MSGS), 1ULL);
}

/*
 * A blocked sender: its message waits queued (SYNC_QUEUED), then a
 * receive takes it and the sender returns (SYNC_TAKEN).
 */
static void queued_then_taken(struct kunit *test)
{
	struct rdv r = rdv_new(test);
	struct file *tx = ik_chan(test, r.ctl, r.name, IPCCHAN_OPEN_SEND, 0, 0,
				  0);
	struct side_call c;
	char buf[16];

	side_start(test, &c, tx, true, "queued");
	wait_attr(test, r.obj, IPCCHAN_A_BLOCKED_SENDERS, 1);
	KUNIT_EXPECT_EQ(test, ik_attr(test, r.obj, IPCCHAN_A_MSGS), 1ULL);
	KUNIT_EXPECT_FALSE(test, completion_done(&c.done));
	/* A short buffer does not take it: the sender still waits. */
	KUNIT_EXPECT_EQ(test, nb_read(r.file, buf, 2), (ssize_t)-EMSGSIZE);
	msleep(20);
	KUNIT_EXPECT_FALSE(test, completion_done(&c.done));
	KUNIT_EXPECT_EQ(test, nb_read(r.file, buf, sizeof(buf)), 6);
	side_wait(test, &c);
	KUNIT_EXPECT_EQ(test, c.ret, 6);
	KUNIT_EXPECT_EQ(test, ik_attr(test, r.obj, IPCCHAN_A_MSGS), 0ULL);
	KUNIT_EXPECT_EQ(test, ik_attr(test, r.obj, IPCCHAN_A_SENT_MSGS), 1ULL);
	KUNIT_EXPECT_EQ(test, ik_attr(test, r.obj, IPCCHAN_A_RECV_MSGS), 1ULL);
}

/*
 * Hang-up: the last file that can receive closes while a sender waits;
 * its message is withdrawn, as if never sent.
 */
static void withdrawn_on_hang_up(struct kunit *test)
{
	struct rdv r = rdv_new(test);
	struct file *tx = ik_chan(test, r.ctl, r.name, IPCCHAN_OPEN_SEND, 0, 0,
				  0);
	struct side_call c;

	side_start(test, &c, tx, true, "gone");
	wait_attr(test, r.obj, IPCCHAN_A_BLOCKED_SENDERS, 1);
	KUNIT_EXPECT_EQ(test, ik_attr(test, r.obj, IPCCHAN_A_SENT_MSGS), 1ULL);
	ik_fput(test, r.file);
	side_wait(test, &c);
	KUNIT_EXPECT_EQ(test, c.ret, (ssize_t)-EPIPE);
	KUNIT_EXPECT_EQ(test, ik_attr(test, r.obj, IPCCHAN_A_MSGS), 0ULL);
	KUNIT_EXPECT_EQ(test, ik_attr(test, r.obj, IPCCHAN_A_BYTES), 0ULL);
	KUNIT_EXPECT_EQ(test, ik_attr(test, r.obj, IPCCHAN_A_SENT_MSGS), 0ULL);
	KUNIT_EXPECT_EQ(test, ik_attr(test, r.obj, IPCCHAN_A_SENT_BYTES), 0ULL);
	KUNIT_EXPECT_EQ(test, ik_attr(test, r.obj, IPCCHAN_A_RECV_MSGS), 0ULL);
}

static struct kunit_case sync_cases[] = {
	KUNIT_CASE(nonblocking_send_needs_a_waiting_receiver),
	KUNIT_CASE(handed_to_the_waiting_receiver),
	KUNIT_CASE(queued_then_taken),
	KUNIT_CASE(withdrawn_on_hang_up),
	{}
};

static struct kunit_suite sync_suite = {
	.name = "ipcchan-sync",
	.test_cases = sync_cases,
};

kunit_test_suite(sync_suite);
