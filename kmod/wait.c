// SPDX-License-Identifier: GPL-2.0
/*
 * The three ways a call may wait (blocking, nonblocking, timed) and the one
 * sleep they share, for every waiting ioctl of the module.
 */

#include <linux/errno.h>
#include <linux/fcntl.h>
#include <linux/fs.h>
#include <linux/hrtimer.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/wait.h>
#include <linux/ipcchan.h>

#include "kunit.h"
#include "wait.h"

/**
 * ipcchan_wait_init() - decide how a call waits
 * @w: the wait to set up
 * @file: the file the call is on; O_NONBLOCK on it means nonblocking
 * @flags: the call's IPCCHAN_XFER_* flags
 * @valid_flags: the flags this call takes
 * @timeout_ns: relative timeout, only with IPCCHAN_XFER_TIMEOUT
 *
 * Return: 0, or -EINVAL for an unknown flag, a negative timeout, or a
 * timeout without IPCCHAN_XFER_TIMEOUT.
 */
int ipcchan_wait_init(struct ipcchan_wait *w, const struct file *file,
		      u32 flags, u32 valid_flags, s64 timeout_ns)
{
	if (flags & ~valid_flags)
		return -EINVAL;
	if (flags & IPCCHAN_XFER_TIMEOUT ? timeout_ns < 0 : timeout_ns != 0)
		return -EINVAL;

	w->nonblock = (flags & IPCCHAN_XFER_NONBLOCK) ||
		      (file->f_flags & O_NONBLOCK);
	w->timed = flags & IPCCHAN_XFER_TIMEOUT;
	w->expired = false;
	if (w->timed)
		w->deadline = ktime_add_safe(ktime_get(), ns_to_ktime(timeout_ns));
	return 0;
}
EXPORT_SYMBOL_IPCCHAN_KUNIT(ipcchan_wait_init);

/*
 * Why a wait whose condition is still false must end now: -ERESTARTSYS, or
 * -EINTR for a timed wait (its timeout is relative, so it must not restart),
 * or -ETIMEDOUT. 0 means sleep on.
 */
int ipcchan_wait_stop(const struct ipcchan_wait *w)
{
	if (signal_pending(current))
		return w->timed ? -EINTR : -ERESTARTSYS;
	if (w->expired)
		return -ETIMEDOUT;
	return 0;
}
EXPORT_SYMBOL_IPCCHAN_KUNIT(ipcchan_wait_stop);

/* Sleeps once, in the task state that prepare_to_wait() has set. */
void ipcchan_wait_sleep(struct ipcchan_wait *w)
{
	if (!w->timed)
		schedule();
	else if (!schedule_hrtimeout(&w->deadline, HRTIMER_MODE_ABS))
		w->expired = true;
}
EXPORT_SYMBOL_IPCCHAN_KUNIT(ipcchan_wait_sleep);

/**
 * ipcchan_wake_nr() - wake the pollers of @wq and @nr of its exclusive waiters
 * @wq: the wait queue
 * @events: the EPOLL* events to report to pollers
 * @nr: how many exclusive waiters to wake, 0 for all of them; waiters that
 *	joined without WQ_FLAG_EXCLUSIVE are all woken whatever @nr is
 *
 * A waiter joins @wq and then tests its condition under the object's lock;
 * the caller changed the object under that lock before calling this, and
 * wq_has_sleeper() has the barrier that orders the change before the look
 * at @wq. So either the waiter sees the change, or this sees the waiter.
 */
void ipcchan_wake_nr(wait_queue_head_t *wq, __poll_t events, int nr)
{
	if (wq_has_sleeper(wq))
		__wake_up(wq, TASK_INTERRUPTIBLE, nr, poll_to_key(events));
}

/**
 * ipcchan_wake() - wake every waiter and poller of @wq, if there are any
 * @wq: the wait queue
 * @events: the EPOLL* events to report to pollers
 */
void ipcchan_wake(wait_queue_head_t *wq, __poll_t events)
{
	ipcchan_wake_nr(wq, events, 0);
}
