// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "ipcchan-wait": how kmod/wait.c turns a call's flags and
 * relative timeout into a wait: flag and timeout checks, nonblocking from
 * the flag or the file, the absolute deadline and its saturation, and a
 * timed sleep that ends at the deadline.
 */

#include <kunit/test.h>
#include <linux/fcntl.h>
#include <linux/fs.h>
#include <linux/ktime.h>
#include <linux/limits.h>
#include <linux/sched.h>

#include "../../kmod/wait.h"
#include "util.h"

#define ALL	(IPCCHAN_XFER_NONBLOCK | IPCCHAN_XFER_TIMEOUT)

static void rejects_unknown_flags(struct kunit *test)
{
	struct file *ctl = ik_ctl(test, 0, 0, true);
	struct ipcchan_wait w;

	KUNIT_EXPECT_EQ(test, ipcchan_wait_init(&w, ctl, 1U << 31, ALL, 0),
			-EINVAL);
	/* Known in general, but not taken by this call. */
	KUNIT_EXPECT_EQ(test, ipcchan_wait_init(&w, ctl, IPCCHAN_XFER_TIMEOUT,
						IPCCHAN_XFER_NONBLOCK, 1),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, ipcchan_wait_init(&w, ctl, 0, ALL, 0), 0);
}

static void rejects_bad_timeouts(struct kunit *test)
{
	struct file *ctl = ik_ctl(test, 0, 0, true);
	struct ipcchan_wait w;

	KUNIT_EXPECT_EQ(test, ipcchan_wait_init(&w, ctl, IPCCHAN_XFER_TIMEOUT,
						ALL, -1), -EINVAL);
	KUNIT_EXPECT_EQ(test, ipcchan_wait_init(&w, ctl, IPCCHAN_XFER_TIMEOUT,
						ALL, S64_MIN), -EINVAL);
	/* A timeout needs the flag that says there is one. */
	KUNIT_EXPECT_EQ(test, ipcchan_wait_init(&w, ctl, 0, ALL, 5), -EINVAL);
	KUNIT_EXPECT_EQ(test, ipcchan_wait_init(&w, ctl, 0, ALL, -5), -EINVAL);
}

static void nonblock_from_flag_or_file(struct kunit *test)
{
	struct file *ctl = ik_ctl(test, 0, 0, true);
	struct ipcchan_wait w;
	char name[IPCCHAN_NAME_MAX];
	struct file *nb;

	KUNIT_ASSERT_EQ(test, ipcchan_wait_init(&w, ctl, 0, ALL, 0), 0);
	KUNIT_EXPECT_FALSE(test, w.nonblock);
	KUNIT_EXPECT_FALSE(test, w.timed);
	KUNIT_ASSERT_EQ(test, ipcchan_wait_init(&w, ctl, IPCCHAN_XFER_NONBLOCK,
						ALL, 0), 0);
	KUNIT_EXPECT_TRUE(test, w.nonblock);

	ik_name(test, name, "nb");
	nb = ik_chan(test, ctl, name, IPCCHAN_OPEN_CREATE | IPCCHAN_OPEN_RECV,
		     0, 0, 0);
	KUNIT_ASSERT_TRUE(test, nb->f_flags & O_NONBLOCK);
	KUNIT_ASSERT_EQ(test, ipcchan_wait_init(&w, nb, 0, ALL, 0), 0);
	KUNIT_EXPECT_TRUE(test, w.nonblock);
}

static void deadline_is_now_plus_timeout(struct kunit *test)
{
	struct file *ctl = ik_ctl(test, 0, 0, true);
	const s64 t = 250 * NSEC_PER_MSEC;
	struct ipcchan_wait w;
	ktime_t before, after;

	before = ktime_get();
	KUNIT_ASSERT_EQ(test, ipcchan_wait_init(&w, ctl, IPCCHAN_XFER_TIMEOUT,
						ALL, t), 0);
	after = ktime_get();
	KUNIT_EXPECT_TRUE(test, w.timed);
	KUNIT_EXPECT_FALSE(test, w.expired);
	KUNIT_EXPECT_GE(test, ktime_to_ns(w.deadline), ktime_to_ns(before) + t);
	KUNIT_EXPECT_LE(test, ktime_to_ns(w.deadline), ktime_to_ns(after) + t);
}

static void huge_timeout_saturates(struct kunit *test)
{
	struct file *ctl = ik_ctl(test, 0, 0, true);
	struct ipcchan_wait w;

	KUNIT_ASSERT_EQ(test, ipcchan_wait_init(&w, ctl, IPCCHAN_XFER_TIMEOUT,
						ALL, S64_MAX), 0);
	/* now + S64_MAX does not wrap into the past. */
	KUNIT_EXPECT_EQ(test, ktime_to_ns(w.deadline), KTIME_MAX);
	KUNIT_EXPECT_EQ(test, ipcchan_wait_stop(&w), 0);
}

static void zero_timeout_expires_at_once(struct kunit *test)
{
	struct file *ctl = ik_ctl(test, 0, 0, true);
	struct ipcchan_wait w;

	KUNIT_ASSERT_EQ(test, ipcchan_wait_init(&w, ctl, IPCCHAN_XFER_TIMEOUT,
						ALL, 0), 0);
	KUNIT_EXPECT_EQ(test, ipcchan_wait_stop(&w), 0);
	set_current_state(TASK_INTERRUPTIBLE);
	ipcchan_wait_sleep(&w);
	__set_current_state(TASK_RUNNING);
	KUNIT_EXPECT_TRUE(test, w.expired);
	KUNIT_EXPECT_EQ(test, ipcchan_wait_stop(&w), -ETIMEDOUT);
}

static void timed_sleep_lasts_until_the_deadline(struct kunit *test)
{
	struct file *ctl = ik_ctl(test, 0, 0, true);
	const s64 t = 20 * NSEC_PER_MSEC;
	struct ipcchan_wait w;
	int rounds = 0;

	KUNIT_ASSERT_EQ(test, ipcchan_wait_init(&w, ctl, IPCCHAN_XFER_TIMEOUT,
						ALL, t), 0);
	/* A wake-up before the deadline just means sleeping again. */
	while (!ipcchan_wait_stop(&w) && rounds++ < 1000) {
		set_current_state(TASK_INTERRUPTIBLE);
		ipcchan_wait_sleep(&w);
		__set_current_state(TASK_RUNNING);
	}
	KUNIT_EXPECT_TRUE(test, w.expired);
	KUNIT_EXPECT_GE(test, ktime_to_ns(ktime_get()), ktime_to_ns(w.deadline));
	KUNIT_EXPECT_EQ(test, ipcchan_wait_stop(&w), -ETIMEDOUT);
}

static struct kunit_case wait_cases[] = {
	KUNIT_CASE(rejects_unknown_flags),
	KUNIT_CASE(rejects_bad_timeouts),
	KUNIT_CASE(nonblock_from_flag_or_file),
	KUNIT_CASE(deadline_is_now_plus_timeout),
	KUNIT_CASE(huge_timeout_saturates),
	KUNIT_CASE(zero_timeout_expires_at_once),
	KUNIT_CASE(timed_sleep_lasts_until_the_deadline),
	{}
};

static struct kunit_suite wait_suite = {
	.name = "ipcchan-wait",
	.test_cases = wait_cases,
};

kunit_test_suite(wait_suite);
