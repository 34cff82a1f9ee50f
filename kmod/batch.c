// SPDX-License-Identifier: GPL-2.0
/*
 * Batches of a channel: IPCCHAN_IOC_SEND_BATCH and IPCCHAN_IOC_RECV_BATCH
 * move up to IPCCHAN_BATCH_MAX messages in one call, BATCH_CHUNK at a time
 * through the steps of the transfer engine (kmod/xfer.h): each chunk of a
 * send is made outside ch->lock and queued under one hold of it, each
 * chunk of a receive taken under one hold and copied out outside it. The
 * other side is woken once per chunk, before the next is copied (see
 * kmod/xfer.c).
 */

#include <linux/err.h>
#include <linux/minmax.h>
#include <linux/sched.h>
#include <linux/uaccess.h>

#include "chan_internal.h"
#include "message.h"
#include "uarg.h"
#include "wait.h"
#include "xfer.h"

/*
 * Copies in the next @n struct ipcchan_mmsg of a batch, and checks them.
 * Returns how many are good, at least one, or the -errno of the first.
 */
static int batch_get(struct ipcchan_mmsg *m,
		     const struct ipcchan_mmsg __user *um, u32 n)
{
	u32 i;

	if (copy_from_user(m, um, n * sizeof(*m))) {
		/* Those before the bad one still count. */
		for (i = 0; i < n; i++)
			if (copy_from_user(&m[i], &um[i], sizeof(*m)))
				break;
		n = i;
		if (!n)
			return -EFAULT;
	}
	for (i = 0; i < n; i++)
		if (m[i].__reserved)
			break;
	return i ? i : -EINVAL;
}

/* The xfer_fits_t of a batch receive: does it fit the buffer of entry @i? */
static bool batch_fits(void *arg, u32 i, u32 len)
{
	const struct ipcchan_mmsg *m = arg;

	return len <= m[i].len;
}

/* IPCCHAN_IOC_SEND_BATCH: @count messages from @um. */
static int chan_send_batch(struct chan_file *cf,
			   struct ipcchan_mmsg __user *um, u32 count,
			   struct chan_xfer *x)
{
	struct ipcchan_chan *ch = cf->ch;
	struct ipcchan_mmsg m[BATCH_CHUNK];
	struct xfer_send s;
	u32 done = 0, want, next, i;
	int n, ret = 0, err;

	ipcchan_xfer_send_init(&s);
	while (done < count && !ret) {
		want = min_t(u32, count - done, BATCH_CHUNK);
		n = batch_get(m, um + done, want);
		if (n < 0) {
			ret = n;
			break;
		}
		if (n < want)
			ret = -EINVAL;
		for (i = 0; i < n; i++) {
			struct xfer_buf src = {
				.buf = u64_to_user_ptr(m[i].buf),
				.len = m[i].len,
			};

			err = ipcchan_xfer_make(cf, &s, &src);
			if (err) {
				ret = err;
				break;
			}
		}
		next = min_t(u32, count - done - s.n, BATCH_CHUNK);
		done += ipcchan_xfer_queue(ch, &s, x, next, &err);
		if (err)
			ret = err;
		ipcchan_xfer_flush(ch, x);
		cond_resched();
	}
	ipcchan_xfer_send_done(ch, &s);
	return done ? done : ret;
}

/*
 * IPCCHAN_IOC_RECV_BATCH: up to @count messages into @um. The batch stops
 * at the first message that fails (it stays queued), or when the queue is
 * empty after the first.
 */
static int chan_recv_batch(struct chan_file *cf,
			   struct ipcchan_mmsg __user *um, u32 count,
			   struct chan_xfer *x)
{
	struct ipcchan_chan *ch = cf->ch;
	struct ipcchan_mmsg m[BATCH_CHUNK];
	struct xfer_recv r;
	u32 done = 0, want, i;
	int n, taken, ret = 0, err;
	bool stop = false;

	while (done < count && !stop) {
		want = min_t(u32, count - done, BATCH_CHUNK);
		n = batch_get(m, um + done, want);
		if (n < 0) {
			ret = n;
			break;
		}
		/* An entry that is not valid ends the batch (-EINVAL). */
		stop = n < want;
		ret = stop ? -EINVAL : 0;
		taken = ipcchan_xfer_take(ch, &r, n, batch_fits, m, x);
		if (r.short_at < n &&
		    put_user(r.needed, &um[done + r.short_at].info.len) &&
		    taken < 0)
			taken = -EFAULT;
		if (taken < 0) {
			ret = taken;
			break;
		}
		for (i = 0; i < taken; i++) {
			struct xfer_buf dst = {
				.buf = u64_to_user_ptr(m[i].buf),
				.len = m[i].len,
				.uinfo = &um[done + i].info,
			};

			err = ipcchan_xfer_deliver(ch, &r, &dst);
			if (err) {
				ret = err;
				break;
			}
		}
		done += r.delivered;
		stop |= r.delivered < taken || taken < n;
		ipcchan_xfer_done(ch, &r, x);
		ipcchan_xfer_flush(ch, x);
		/* A receive waits for its first message only. */
		x->w.nonblock = true;
		cond_resched();
	}
	return done ? done : ret;
}

long ipcchan_chan_ioctl_batch(struct file *file, unsigned int cmd,
			      void __user *uarg, bool send)
{
	struct chan_file *cf = file->private_data;
	struct ipcchan_batch args;
	struct chan_xfer x = { .batch = true };
	int ret;

	ret = ipcchan_get_arg(&args, sizeof(args), IPCCHAN_BATCH_SIZE_VER0,
			      cmd, uarg);
	if (ret)
		return ret;
	if (args.__reserved || !args.count || args.count > IPCCHAN_BATCH_MAX)
		return -EINVAL;
	ret = ipcchan_wait_init(&x.w, file, args.flags, IPCCHAN_XFER_ALL,
				args.timeout_ns);
	if (ret)
		return ret;

	if (send)
		ret = chan_send_batch(cf, u64_to_user_ptr(args.msgs),
				      args.count, &x);
	else
		ret = chan_recv_batch(cf, u64_to_user_ptr(args.msgs),
				      args.count, &x);
	ipcchan_xfer_flush(cf->ch, &x);
	return ret;
}
