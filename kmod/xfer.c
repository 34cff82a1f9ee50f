// SPDX-License-Identifier: GPL-2.0
/*
 * Sending and receiving on a channel: the transfer engine, whose steps
 * kmod/xfer.h describes, and on it the calls that move one message
 * (IPCCHAN_IOC_SEND, IPCCHAN_IOC_RECV, write() and read()) and the
 * batches (IPCCHAN_IOC_SEND_BATCH, IPCCHAN_IOC_RECV_BATCH). The waits and
 * wake-ups they use are in kmod/chan_wait.c, the locking is described in
 * chan_internal.h.
 *
 * Batches: a batch call wakes the other side once per chunk of
 * BATCH_CHUNK messages, rather than once per message (struct chan_xfer),
 * and before it copies the next chunk: a copy may sleep on a page fault
 * for as long as it likes (a FUSE mapping served by a receiver, say), and
 * the chunks already queued or taken must not wait for it. A batch send
 * that has to wait for room wakes the receivers first, or none might be
 * awake to make room.
 */

#include <linux/err.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/minmax.h>
#include <linux/poll.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>
#include <linux/uio.h>

#include "chan_internal.h"
#include "chan_wait.h"
#include "kind.h"
#include "message.h"
#include "registry.h"
#include "uarg.h"
#include "wait.h"
#include "xfer.h"

#define IPCCHAN_XFER_ONE	(IPCCHAN_XFER_ALL | IPCCHAN_XFER_HANDLE)

/*
 * Adds the @n messages of @msgs, in order, at the tail of @head under
 * ch->lock. They are linked to each other first, in a list of their own
 * that no one else sees, then spliced in at once: a list_add_tail() each
 * would cost its CONFIG_DEBUG_LIST checks.
 */
static __always_inline void xfer_add_tail(struct list_head *head,
					  struct ipcchan_msg **msgs, u32 n)
{
	struct list_head chain, *prev = &chain;
	u32 i;

	if (!n)
		return;
	for (i = 0; i < n; i++) {
		prev->next = &msgs[i]->node;
		msgs[i]->node.prev = prev;
		prev = &msgs[i]->node;
	}
	prev->next = &chain;
	chain.prev = prev;
	list_splice_tail(&chain, head);
}

/*
 * The steps are inlined into the single-message calls below, where they
 * move one message, and wrapped for the batches: a round trip of single
 * messages must not pay for what a batch needs.
 */
static __always_inline u32 xfer_queue(struct ipcchan_chan *ch,
				      struct xfer_send *s, struct chan_xfer *x,
				      u32 next, int *err)
{
	struct ipcchan_msg **msgs = s->msgs;
	bool full = false, waits;
	u32 i, j, len, n = s->n, first = 0, max_len = 0;
	u64 now = 0, total = 0;
	int ret = 0;

	if (unlikely(x->sync || ch->rendezvous))
		return ipcchan_xfer_queue_sync(ch, s, x, next, err);
	for (j = 0; j < n && n > 1; j++) {
		total += msgs[j]->len;
		max_len = max(max_len, msgs[j]->len);
	}
	spin_lock(&ch->lock);
	i = 0;
	/*
	 * A chunk with room for all its messages: the checks below would pass
	 * for each in turn, and are made once for all of them.
	 */
	if (n > 1 && !chan_orphaned(ch) && max_len <= ch->max_msg_size &&
	    ch->msgs + n <= ch->max_msgs && ch->bytes + total <= ch->max_bytes &&
	    list_empty(&ch->idle_recv)) {
		now = ktime_get_ns();
		for (i = 0; i < n; i++) {
			msgs[i]->seq = ch->next_seq++;
			msgs[i]->timestamp = now;
		}
		ch->msgs += n;
		ch->bytes += total;
		ch->sent_msgs += n;
		ch->sent_bytes += total;
		x->wake_recv += n;
		/* The loop below has nothing left to do. */
	}
	for (; i < n; i++) {
		len = msgs[i]->len;
		waits = !chan_has_room(ch, len);
		if (waits)
			full |= chan_note_full(ch);
		/* chan_send_ready(), without the call when it cannot fail. */
		if (waits || chan_orphaned(ch) || len > ch->max_msg_size) {
			/* Those before it are queued before the lock drops. */
			xfer_add_tail(&ch->queue, msgs + first, i - first);
			first = i;
			ret = ipcchan_chan_wait_room(ch, len, x);
		}
		if (ret)
			break;
		/* One time for the messages queued together. */
		if (!i || waits)
			now = ktime_get_ns();
		msgs[i]->seq = ch->next_seq++;
		msgs[i]->timestamp = now;
		ch->msgs++;
		ch->bytes += len;
		ch->sent_msgs++;
		ch->sent_bytes += len;
		/* Straight to a receiver waiting with nothing to take. */
		if (i == first && chan_recv_idle(ch)) {
			ipcchan_chan_hand(ch, msgs[i]);
			first = i + 1;
			continue;
		}
		/* Counted at once: a wait for the next one wakes for it. */
		x->wake_recv++;
	}
	xfer_add_tail(&ch->queue, msgs + first, i - first);
	if (next && !ret)
		ipcchan_spares_take(ch, &s->spares, next);
	spin_unlock(&ch->lock);
	if (full)
		ipcchan_obj_event(&ch->obj, IPCCHAN_EVENT_LIMIT_REACHED);
	if (ret == -EAGAIN || ret == -ETIMEDOUT || ret == -EMSGSIZE)
		chan_reject(ch, ret);
	*err = ret;
	if (!x->batch)
		ipcchan_xfer_flush(ch, x);
	for (j = i; j < n; j++)
		ipcchan_msg_free(msgs[j]);
	s->n = 0;
	return i;
}

u32 ipcchan_xfer_queue(struct ipcchan_chan *ch, struct xfer_send *s,
		       struct chan_xfer *x, u32 next, int *err)
{
	return xfer_queue(ch, s, x, next, err);
}

/* Queues one message of src->len bytes. On any error nothing is queued. */
int ipcchan_chan_send(struct chan_file *cf, const struct xfer_buf *src,
		      struct chan_xfer *x)
{
	struct ipcchan_chan *ch = cf->tx;
	struct ipcchan_msg *msgs[1];
	struct xfer_send s;
	bool full = false;
	int ret;

	if (x->w.nonblock && src->len <= READ_ONCE(ch->max_msg_size)) {
		/* Spare the allocation when it would be for nothing. */
		spin_lock(&ch->lock);
		ret = chan_send_ready(ch, src->len);
		if (!ret)
			full = chan_note_full(ch);
		spin_unlock(&ch->lock);
		if (full)
			ipcchan_obj_event(&ch->obj, IPCCHAN_EVENT_LIMIT_REACHED);
		if (!ret)
			return chan_reject(ch, -EAGAIN);
		if (ret < 0)
			return ret;
	}
	ipcchan_xfer_send_init(&s, msgs);
	ret = ipcchan_xfer_make(cf, &s, src);
	if (!ret)
		xfer_queue(ch, &s, x, 0, &ret);
	ipcchan_xfer_send_done(ch, &s);
	return ret;
}

/* The xfer_fits_t of a receive into struct xfer_buf: one per message. */
static bool xfer_fits_buf(void *arg, u32 i, u32 len)
{
	const struct xfer_buf *dst = arg;

	return len <= dst[i].len;
}

/*
 * The messages taken are off the queue while they are copied out, but
 * they still count against the limits and hold off hang-up
 * (ch->inflight). Those that fail go back to the head, in order. Only then
 * can another receiver have taken the next message first, and only
 * because a receiver passed a bad buffer.
 *
 * After the wait, under the same hold of the lock, the queue is not empty:
 * taking none means that the head did not fit.
 */
static __always_inline int xfer_take(struct ipcchan_chan *ch,
				     struct xfer_recv *r, u32 max,
				     xfer_fits_t fits, void *arg,
				     struct chan_xfer *x)
{
	struct list_head *last = &ch->queue;
	struct chan_receiver rcv;
	struct ipcchan_msg *msg;
	LIST_HEAD(taken);
	u32 i, h = 0;
	int ret;

	r->n = 0;
	r->delivered = 0;
	r->short_at = max;
	rcv.handed = NULL;
	spin_lock(&ch->lock);
	/* chan_recv_ready(), without the call when a message is there. */
	while (list_empty(&ch->queue)) {
		ret = ipcchan_chan_wait_msg(ch, x, &rcv);
		if (ret) {
			spin_unlock(&ch->lock);
			return ret;
		}
		if (likely(!rcv.handed))
			break;
		/* Given to this receiver alone, it comes first. */
		h = ipcchan_xfer_take_handed(ch, r, &rcv, fits, arg);
		if (h)
			break;
	}
	for (i = h; i < max && last->next != &ch->queue; i++) {
		msg = list_entry(last->next, struct ipcchan_msg, node);
		if (!fits(arg, i, msg->len)) {
			r->needed = msg->len;
			r->short_at = i;
			break;
		}
		/* Taken by this receive: see chan_internal.h. */
		if (unlikely(msg->sync)) {
			msg->sync->state = SYNC_INFLIGHT;
			r->sync = true;
		}
		r->msgs[i] = msg;
		last = last->next;
	}
	/* Off the queue all at once: a list_del() each costs its checks. */
	if (i > h) {
		list_cut_position(&taken, &ch->queue, last);
		/*
		 * No way back to @taken, which dies here: nothing may unlink
		 * or walk a taken message before xfer_done() links it again.
		 */
		taken.next->prev = LIST_POISON2;
		taken.prev->next = LIST_POISON1;
	}
	ch->inflight += i - h;
	spin_unlock(&ch->lock);
	r->n = i;
	/* Another receiver may have room for the one that did not fit. */
	if (r->short_at < max)
		ipcchan_chan_wake_recv(ch, 1);
	return i ? i : -EMSGSIZE;
}

int ipcchan_xfer_take(struct ipcchan_chan *ch, struct xfer_recv *r, u32 max,
		      xfer_fits_t fits, void *arg, struct chan_xfer *x)
{
	return xfer_take(ch, r, max, fits, arg, x);
}

/* The xfer_fits_t of a receive into records (struct xfer_fit_rec). */
static __always_inline bool xfer_fits_rec(void *arg, u32 i, u32 len)
{
	struct xfer_fit_rec *f = arg;
	u64 rec = IPCCHAN_PACKED_REC_SIZE(len);

	if (rec > f->avail - f->used) {
		f->full = true;
		return false;
	}
	if (f->used && f->used + rec > f->group)
		return false;
	f->used += rec;
	return true;
}

/* xfer_take() with xfer_fits_rec() inlined: no call a message. */
int ipcchan_xfer_take_rec(struct ipcchan_chan *ch, struct xfer_recv *r,
			  u32 max, struct xfer_fit_rec *f, struct chan_xfer *x)
{
	return xfer_take(ch, r, max, xfer_fits_rec, f, x);
}

static __always_inline void xfer_retire(struct ipcchan_chan *ch,
					struct xfer_recv *r, u32 delivered)
{
	/* Delivered: the messages are done with, their buffers not yet. */
	ipcchan_msgs_retire(ch, r->msgs + r->delivered, r->keep + r->delivered,
			    delivered - r->delivered);
	r->delivered = delivered;
}

void ipcchan_xfer_retire(struct ipcchan_chan *ch, struct xfer_recv *r,
			 u32 delivered)
{
	xfer_retire(ch, r, delivered);
}

static __always_inline int xfer_deliver(struct ipcchan_chan *ch,
					struct xfer_recv *r,
					const struct xfer_buf *dst)
{
	int ret;

	ret = ipcchan_msg_deliver(r->msgs[r->delivered], dst);
	if (!ret)
		xfer_retire(ch, r, r->delivered + 1);
	return ret;
}

int ipcchan_xfer_deliver(struct ipcchan_chan *ch, struct xfer_recv *r,
			 const struct xfer_buf *dst)
{
	return xfer_deliver(ch, r, dst);
}

static __always_inline void xfer_done(struct ipcchan_chan *ch,
				      struct xfer_recv *r, struct chan_xfer *x)
{
	struct ipcchan_msg **msgs = r->msgs;
	u32 i, n = r->n, delivered = r->delivered, kept, seen = 0;
	u64 bytes = 0;
	bool hung_up;

	if (unlikely(r->sync)) {
		ipcchan_xfer_done_sync(ch, r, x);
		return;
	}
	for (i = 0; i < delivered; i++)
		bytes += msgs[i]->len;
	spin_lock(&ch->lock);
	ch->inflight -= n;
	for (i = n; i-- > delivered; )
		list_add(&msgs[i]->node, &ch->queue);
	ch->msgs -= delivered;
	ch->bytes -= bytes;
	ch->recv_msgs += delivered;
	ch->recv_bytes += bytes;
	kept = ipcchan_spares_keep(ch, msgs, r->keep, delivered);
	if (delivered)
		ch->full_reported = false;
	hung_up = list_empty(&ch->queue) && chan_hung_up(ch);
	spin_unlock(&ch->lock);

	/* The first @kept of those that could be spares are. */
	for (i = 0; i < delivered; i++)
		if (!r->keep[i])
			ipcchan_msg_kfree(msgs[i]);
		else if (++seen > kept)
			ipcchan_spare_free(ch, msgs[i]);
	/* Each message put back may be the one a woken receiver missed. */
	if (delivered < n)
		ipcchan_chan_wake_recv(ch, n - delivered);
	x->wake_send += delivered;
	if (!x->batch)
		ipcchan_xfer_flush(ch, x);
	if (hung_up)
		ipcchan_chan_wake_all(ch, true, EPOLLHUP);
	r->n = 0;
	r->delivered = 0;
}

void ipcchan_xfer_done(struct ipcchan_chan *ch, struct xfer_recv *r,
		       struct chan_xfer *x)
{
	xfer_done(ch, r, x);
}

/*
 * Receives one message into @dst, which holds up to dst->len bytes. Returns
 * the message length. With -EMSGSIZE, *@needed is the length of the message
 * at the head. On any error the message stays queued.
 */
int ipcchan_chan_recv(struct ipcchan_chan *ch, const struct xfer_buf *dst,
		      u32 *needed, struct chan_xfer *x)
{
	struct ipcchan_msg *msgs[1];
	bool keep[1];
	struct xfer_recv r = { .msgs = msgs, .keep = keep };
	size_t count = 0;
	u32 len, tries = 0;
	int ret;

again:
	ret = xfer_take(ch, &r, 1, xfer_fits_buf, (void *)dst, x);
	if (ret == -EMSGSIZE)
		*needed = r.needed;
	if (ret < 0)
		return ret;
	len = r.msgs[0]->len;
	if (likely(!r.sync)) {
		ret = xfer_deliver(ch, &r, dst);
		xfer_done(ch, &r, x);
		return ret ?: len;
	}
	/* A synchronous message: a copy that cannot sleep, see chan_sync.c. */
	if (dst->iter)
		count = iov_iter_count(dst->iter);
	pagefault_disable();
	ret = xfer_deliver(ch, &r, dst);
	pagefault_enable();
	xfer_done(ch, &r, x);
	if (ret != -EFAULT || ++tries > XFER_SYNC_TRIES)
		return ret ?: len;
	/* The part copied is copied again. */
	if (dst->iter)
		iov_iter_revert(dst->iter, count - iov_iter_count(dst->iter));
	ret = ipcchan_xfer_fault_in(x, dst, len);
	if (ret)
		return ret;
	goto again;
}

/* Takes the object of @fd as the handle of a message about to be sent. */
static int xfer_get_handle(struct xfer_buf *src, int fd)
{
	struct ipcchan_obj *obj;
	struct file *file = fget(fd);

	if (!file)
		return -EBADF;
	obj = ipcchan_handle_get(file, &src->handle_fmode);
	fput(file);
	if (IS_ERR(obj))
		return PTR_ERR(obj);
	src->handle = obj;
	return 0;
}

long ipcchan_chan_ioctl_send(struct file *file, unsigned int cmd,
			     void __user *uarg)
{
	struct ipcchan_send args;
	struct chan_xfer x = {};
	struct xfer_buf src = {};
	int ret;

	ret = ipcchan_get_arg(&args, sizeof(args), IPCCHAN_SEND_SIZE_VER0,
			      cmd, uarg);
	if (ret)
		return ret;
	if (args.__reserved || args.__reserved2)
		return -EINVAL;
	if (args.flags & IPCCHAN_XFER_HANDLE ?
	    args.size < IPCCHAN_SEND_SIZE_VER1 : args.handle_fd != 0)
		return -EINVAL;
	ret = ipcchan_wait_init(&x.w, file, args.flags,
				IPCCHAN_XFER_ONE | IPCCHAN_XFER_SYNC,
				args.timeout_ns);
	if (ret)
		return ret;
	x.sync = args.flags & IPCCHAN_XFER_SYNC;
	src.buf = u64_to_user_ptr(args.buf);
	src.len = args.len;
	if (args.flags & IPCCHAN_XFER_HANDLE) {
		ret = xfer_get_handle(&src, args.handle_fd);
		if (ret)
			return ret;
	}
	ret = ipcchan_chan_send(file->private_data, &src, &x);
	if (src.handle)
		ipcchan_obj_put(src.handle);
	return ret;
}

long ipcchan_chan_ioctl_recv(struct file *file, unsigned int cmd,
			     void __user *uarg)
{
	struct chan_file *cf = file->private_data;
	struct ipcchan_recv __user *urecv = uarg;
	struct ipcchan_recv args;
	struct chan_xfer x = {};
	struct xfer_buf dst = {};
	u32 needed;
	int ret;

	ret = ipcchan_get_arg(&args, sizeof(args), IPCCHAN_RECV_SIZE_VER0,
			      cmd, uarg);
	if (ret)
		return ret;
	if (args.__reserved)
		return -EINVAL;
	if ((args.flags & IPCCHAN_XFER_HANDLE) &&
	    args.size < IPCCHAN_RECV_SIZE_VER1)
		return -EINVAL;
	ret = ipcchan_wait_init(&x.w, file, args.flags, IPCCHAN_XFER_ONE,
				args.timeout_ns);
	if (ret)
		return ret;
	dst.buf = u64_to_user_ptr(args.buf);
	dst.len = args.len;
	dst.uinfo = &urecv->info;
	if (args.flags & IPCCHAN_XFER_HANDLE)
		dst.urecv = urecv;
	ret = ipcchan_chan_recv(cf->ch, &dst, &needed, &x);
	if (ret == -EMSGSIZE && put_user(needed, &urecv->info.len))
		return -EFAULT;
	return ret;
}

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
	struct ipcchan_chan *ch = cf->tx;
	struct ipcchan_mmsg m[BATCH_CHUNK];
	struct ipcchan_msg *msgs[BATCH_CHUNK];
	struct xfer_send s;
	u32 done = 0, want, next, i;
	int n, ret = 0, err;

	ipcchan_xfer_send_init(&s, msgs);
	while (done < count && !ret) {
		want = min_t(u32, count - done, BATCH_CHUNK);
		n = batch_get(m, um + done, want);
		if (n < 0) {
			ret = n;
			break;
		}
		if (n < want)
			ret = -EINVAL;
		/* The chunk's references, all at once; the unused go back. */
		ipcchan_msg_refs_get(cf, n);
		s.refs = n;
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
		ipcchan_msg_refs_put(cf, s.refs);
		s.refs = 0;
		next = min_t(u32, count - done - s.n, BATCH_CHUNK);
		done += xfer_queue(ch, &s, x, next, &err);
		if (err)
			ret = err;
		ipcchan_xfer_flush(ch, x);
		cond_resched();
	}
	ipcchan_xfer_send_done(ch, &s);
	return done ? done : ret;
}

/*
 * Copies out the @taken messages of a batch receive's chunk to the entries
 * @m, @um, with page faults disabled if @nofault. Returns how many reached
 * userspace; if not all, *@ret is why and *@len the length of the one that
 * did not. Out of line, off chan_recv_batch()'s stack.
 */
static noinline u32 batch_deliver(struct xfer_recv *r, u32 taken,
				  const struct ipcchan_mmsg *m,
				  struct ipcchan_mmsg __user *um, bool nofault,
				  int *ret, u32 *len)
{
	u32 i;
	int err;

	if (nofault)
		pagefault_disable();
	for (i = 0; i < taken; i++) {
		struct xfer_buf dst = {
			.buf = u64_to_user_ptr(m[i].buf),
			.len = m[i].len,
			.uinfo = &um[i].info,
		};

		/* Retired together after: their references at once. */
		err = ipcchan_msg_deliver(r->msgs[i], &dst);
		if (err) {
			*ret = err;
			*len = r->msgs[i]->len;
			break;
		}
	}
	if (nofault)
		pagefault_enable();
	return i;
}

/*
 * Faults in the first entry of a batch receive, to retry it: see
 * ipcchan_xfer_fault_in(). Out of line, off chan_recv_batch()'s stack.
 */
static noinline int batch_fault_in(struct chan_xfer *x,
				   const struct ipcchan_mmsg *m,
				   struct ipcchan_mmsg __user *um, u32 len)
{
	struct xfer_buf dst = {
		.buf = u64_to_user_ptr(m[0].buf),
		.uinfo = &um[0].info,
	};

	return ipcchan_xfer_fault_in(x, &dst, len);
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
	struct ipcchan_msg *msgs[BATCH_CHUNK];
	bool keep[BATCH_CHUNK];
	struct xfer_recv r = { .msgs = msgs, .keep = keep };
	u32 done = 0, want, i, len = 0, tries = 0, base, short_at, needed;
	int n, taken, ret = 0;
	bool stop = false, nofault;

	while (done < count && !stop) {
		base = done;
		want = min_t(u32, count - done, BATCH_CHUNK);
		n = batch_get(m, um + done, want);
		if (n < 0) {
			ret = n;
			break;
		}
		/* An entry that is not valid ends the batch (-EINVAL). */
		stop = n < want;
		ret = stop ? -EINVAL : 0;
		taken = xfer_take(ch, &r, n, batch_fits, m, x);
		short_at = r.short_at;
		needed = r.needed;
		if (taken < 0) {
			/* Nothing taken: the entry's length may fault in. */
			if (short_at < n &&
			    put_user(needed, &um[base + short_at].info.len))
				taken = -EFAULT;
			ret = taken;
			break;
		}
		/* With a synchronous message: copies that cannot sleep. */
		nofault = r.sync;
		i = batch_deliver(&r, taken, m, um + done, nofault, &ret, &len);
		xfer_retire(ch, &r, i);
		done += r.delivered;
		stop |= r.delivered < taken || taken < n;
		xfer_done(ch, &r, x);
		ipcchan_xfer_flush(ch, x);
		/*
		 * The length that the message which did not fit needs, once
		 * no message of the chunk is in flight: a write that faults
		 * must not hold a synchronous sender (the count stands if it
		 * fails, as it always did).
		 */
		if (short_at < n &&
		    put_user(needed, &um[base + short_at].info.len))
			stop = true;
		if (nofault && !done && ret == -EFAULT &&
		    ++tries <= XFER_SYNC_TRIES) {
			/* Nothing delivered: the first entry again, whole. */
			ret = batch_fault_in(x, m, um, len);
			if (ret)
				break;
			/* Still the first chunk: x->w.nonblock as it was. */
			stop = false;
			continue;
		}
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
	ret = ipcchan_wait_init(&x.w, file, args.flags,
				IPCCHAN_XFER_ALL | (send ? IPCCHAN_XFER_SYNC : 0),
				args.timeout_ns);
	if (ret)
		return ret;
	x.sync = args.flags & IPCCHAN_XFER_SYNC;

	if (send)
		ret = chan_send_batch(cf, u64_to_user_ptr(args.msgs),
				      args.count, &x);
	else
		ret = chan_recv_batch(cf, u64_to_user_ptr(args.msgs),
				      args.count, &x);
	ipcchan_xfer_flush(send ? cf->tx : cf->ch, &x);
	return ret;
}
