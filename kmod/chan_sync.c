// SPDX-License-Identifier: GPL-2.0
/*
 * Synchronous sends (IPCCHAN_XFER_SYNC, and every send to a rendezvous
 * channel): the sender queues one message at a time, or hands it straight
 * to a receiver that waits with nothing (ipcchan_chan_hand()), and waits
 * until a receive has taken it or the wait ends, when it withdraws it. The
 * states of such a message and who may change them are described in
 * chan_internal.h; every change is made under ch->lock, so exactly one of
 * "taken" and "withdrawn" happens, and the sender learns which.
 *
 * One message at a time: a batch's next message is queued once the one
 * before it was taken. So those taken are always the first ones, even with
 * many receivers, one of which fails (its message goes back to the head,
 * while another receiver may already have returned the next one).
 *
 * A withdrawn message is as if never sent: its count comes off the queue
 * and off the sent counters (its sequence number is not reused), and its
 * charge is returned when it is freed.
 *
 * A sender waits for the outcome of a receive that holds its message past
 * its timeout and signals, so that receive's copy-out must be short: a
 * receive that holds a synchronous message, or any message of a group
 * with one, copies out with page faults disabled, and a receiver cannot
 * stall it (with a userfaultfd or FUSE page). If the copy falls short, the
 * message goes back to the head as if never taken, and the receive faults
 * its buffer in holding nothing, then tries again (ipcchan_xfer_fault_in()).
 */

#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/pagemap.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/spinlock.h>
#include <linux/uio.h>
#include <linux/wait.h>

#include "chan_internal.h"
#include "chan_wait.h"
#include "message.h"
#include "registry.h"
#include "xfer.h"

/*
 * A message pointing here has no sender waiting. Read-only: a write to it
 * (which nothing makes) would fault rather than corrupt it.
 */
static const struct chan_sync chan_sync_abandoned = { .withdraw = true };

/* Takes a withdrawn message off the counts, under ch->lock. */
static void sync_uncount(struct ipcchan_chan *ch, const struct ipcchan_msg *msg)
{
	ch->msgs--;
	ch->bytes -= msg->len;
	ch->sent_msgs--;
	ch->sent_bytes -= msg->len;
}

/*
 * A waiting synchronous sender is woken by the receive that decides, with
 * wake_up_process(), and for a hang-up or new limits, by a wake-up of
 * ch->send_wait without a key; one with a key is room made, for the
 * senders that wait for room (chan_sender_wake()).
 */
static int sync_wake(struct wait_queue_entry *wq, unsigned int mode,
		     int sync, void *key)
{
	if (key)
		return 0;
	return default_wake_function(wq, mode, sync, key);
}

/*
 * Waits, under ch->lock, for the outcome of *@msgp, just queued or handed
 * with msg->sync = @cs. Returns 0 if it was taken, or the reason the wait
 * ended: the message is then withdrawn. *@msgp is NULL afterwards if the
 * message is no longer the caller's to free.
 */
static int sync_wait(struct ipcchan_chan *ch, struct ipcchan_msg **msgp,
		     struct chan_sync *cs, struct chan_xfer *x)
	__must_hold(&ch->lock)
{
	struct ipcchan_msg *msg = *msgp;
	u64 gone = ch->recv_gone;
	struct wait_queue_entry wait;
	int err = 0;

	init_wait_entry(&wait, 0);
	wait.func = sync_wake;
	for (;;) {
		if (cs->state == SYNC_TAKEN) {
			*msgp = NULL;
			err = 0;
			break;
		}
		/* By a receive that failed after the sender gave up. */
		if (cs->state == SYNC_WITHDRAWN) {
			x->wake_send++;
			break;
		}
		if (!err) {
			if (chan_orphaned(ch) || ch->recv_gone != gone)
				err = -EPIPE;
			else if (cs->state == SYNC_QUEUED && x->w.nonblock)
				err = -EAGAIN;
			else
				err = ipcchan_wait_stop(&x->w);
		}
		if (err && cs->state == SYNC_QUEUED) {
			list_del(&msg->node);
			sync_uncount(ch, msg);
			x->wake_send++;
			break;
		}
		if (err) {
			/*
			 * In a receiver's hands: its outcome decides, soon (its
			 * copy cannot fault: see the top). Only a fatal signal
			 * ends this wait, and then that receive frees the
			 * message if it fails.
			 */
			cs->withdraw = true;
			if (fatal_signal_pending(current)) {
				msg->sync = (struct chan_sync *)&chan_sync_abandoned;
				*msgp = NULL;
				break;
			}
		}
		prepare_to_wait(&ch->send_wait, &wait,
				err ? TASK_KILLABLE : TASK_INTERRUPTIBLE);
		ch->blocked_senders++;
		spin_unlock(&ch->lock);
		ipcchan_xfer_flush(ch, x);
		if (err)
			schedule();
		else
			ipcchan_wait_sleep(&x->w);
		spin_lock(&ch->lock);
		ch->blocked_senders--;
	}
	finish_wait(&ch->send_wait, &wait);
	return err;
}

/*
 * Whether a synchronous batch, with some taken, stops before its next
 * message: its deadline passed, or a signal came, even if it never had to
 * sleep (a wait for room returns at once when there is room). Its count so
 * far is what it returns.
 */
static int sync_batch_stop(struct ipcchan_wait *w)
{
	if (w->timed && !w->expired && ktime_compare(ktime_get(), w->deadline) >= 0)
		w->expired = true;
	return ipcchan_wait_stop(w);
}

/*
 * ipcchan_xfer_queue() of a synchronous send: sends the messages of @s
 * one at a time, each once the one before it was taken, as above. Returns
 * how many were taken; *@err is why the next was not.
 */
u32 ipcchan_xfer_queue_sync(struct ipcchan_chan *ch, struct xfer_send *s,
			    struct chan_xfer *x, u32 next, int *err)
{
	struct ipcchan_msg **msgs = s->msgs;
	u32 i, j, n = s->n, len;
	bool full = false, rejected = false;
	int ret = 0;

	spin_lock(&ch->lock);
	for (i = 0; i < n; i++) {
		struct chan_sync cs = { .task = current };

		len = msgs[i]->len;
		if (x->sync_more) {
			ret = sync_batch_stop(&x->w);
			if (ret)
				break;
		}
		if (x->w.nonblock) {
			/* Only a hand-over: nothing is queued. */
			ret = chan_send_ready(ch, len);
			if (ret > 0) {
				ret = chan_recv_idle(ch) ? 0 : -EAGAIN;
			} else if (!ret) {
				/* No room: refused on a limit, as any send. */
				full |= chan_note_full(ch);
				rejected = true;
				ret = -EAGAIN;
			}
		} else {
			if (!chan_has_room(ch, len))
				full |= chan_note_full(ch);
			ret = ipcchan_chan_wait_room(ch, len, x);
			rejected = ret == -ETIMEDOUT || ret == -EMSGSIZE;
		}
		if (ret)
			break;
		msgs[i]->seq = ch->next_seq++;
		msgs[i]->timestamp = ktime_get_ns();
		msgs[i]->sync = &cs;
		ch->msgs++;
		ch->bytes += len;
		ch->sent_msgs++;
		ch->sent_bytes += len;
		if (chan_recv_idle(ch)) {
			cs.state = SYNC_INFLIGHT;
			ipcchan_chan_hand(ch, msgs[i]);
		} else {
			cs.state = SYNC_QUEUED;
			list_add_tail(&msgs[i]->node, &ch->queue);
			x->wake_recv++;
		}
		ret = sync_wait(ch, &msgs[i], &cs, x);
		if (ret)
			break;
		x->sync_more = x->batch;
	}
	if (next && !ret)
		ipcchan_spares_take(ch, &s->spares, next);
	spin_unlock(&ch->lock);
	if (full)
		ipcchan_obj_event(&ch->obj, IPCCHAN_EVENT_LIMIT_REACHED);
	if (rejected)
		chan_reject(ch, ret);
	*err = ret;
	ipcchan_xfer_flush(ch, x);
	for (j = i; j < n; j++)
		if (msgs[j])
			ipcchan_msg_free(msgs[j]);
	s->n = 0;
	return i;
}

/*
 * Where a synchronous message that a receive gives back goes, under
 * ch->lock: back to the head (true), its sender woken to look again; or,
 * if its sender gave up, nowhere: withdrawn, and its sender told, or if
 * none waits, onto @dead, for the caller to free after the lock.
 */
static bool sync_put_back(struct ipcchan_chan *ch, struct ipcchan_msg *msg,
			  struct list_head *dead)
	__must_hold(&ch->lock)
{
	struct chan_sync *cs = msg->sync;

	if (!cs->withdraw) {
		cs->state = SYNC_QUEUED;
		/* A nonblocking sender withdraws it now: EAGAIN. */
		wake_up_process(cs->task);
		return true;
	}
	sync_uncount(ch, msg);
	if (cs == &chan_sync_abandoned) {
		list_add(&msg->node, dead);
	} else {
		cs->state = SYNC_WITHDRAWN;
		wake_up_process(cs->task);
	}
	return false;
}

/* Frees the messages that sync_put_back() withdrew with no sender. */
static void sync_free(struct list_head *dead)
{
	struct ipcchan_msg *msg, *tmp;

	list_for_each_entry_safe(msg, tmp, dead, node)
		ipcchan_msg_free(msg);
}

/**
 * ipcchan_xfer_take_handed() - take the message a send handed a receiver
 * @ch: the channel, whose lock is held
 * @r: the receive, with nothing taken yet
 * @rcv: the receiver, whose rcv->handed is the message; NULL afterwards
 * @fits: whether a message fits where it is to go
 * @arg: for @fits
 *
 * If it fits, it becomes r->msgs[0]; if not, it goes back to the head of
 * the queue, as if queued, or is withdrawn if its sender gave up: then the
 * lock is dropped, to free it and to wake a sender for the room made and
 * the receivers if that hung the channel up.
 *
 * Return: 1 if it was taken, else 0.
 */
u32 ipcchan_xfer_take_handed(struct ipcchan_chan *ch, struct xfer_recv *r,
			     struct chan_receiver *rcv, xfer_fits_t fits,
			     void *arg)
	__must_hold(&ch->lock)
{
	struct ipcchan_msg *msg = rcv->handed;
	LIST_HEAD(dead);
	bool hung_up;

	rcv->handed = NULL;
	if (fits(arg, 0, msg->len)) {
		r->msgs[0] = msg;
		r->sync = !!msg->sync;
		return 1;
	}
	ch->inflight--;
	if (!msg->sync || sync_put_back(ch, msg, &dead)) {
		list_add(&msg->node, &ch->queue);
		return 0;
	}
	/*
	 * Withdrawn: room made, and perhaps the hang-up that the message in
	 * flight held off. Its sender may be gone (abandoned): wake for it,
	 * as ipcchan_xfer_done_sync() does.
	 */
	hung_up = list_empty(&ch->queue) && chan_hung_up(ch);
	spin_unlock(&ch->lock);
	sync_free(&dead);
	ipcchan_chan_wake_send(ch, 1);
	if (hung_up)
		ipcchan_chan_wake_all(ch, true, EPOLLHUP);
	spin_lock(&ch->lock);
	return 0;
}

/*
 * Tells synchronous senders what a receive did, under ch->lock: those of
 * the first r->delivered messages that it returned are taken; the others
 * go back to the head in order, or are withdrawn if their senders gave up
 * (onto @dead if no sender waits, for the caller to free after the lock).
 * Returns how many were withdrawn, off the counts already.
 */
static u32 sync_outcome(struct ipcchan_chan *ch, struct xfer_recv *r,
			struct list_head *dead)
	__must_hold(&ch->lock)
{
	struct ipcchan_msg *msg;
	struct chan_sync *cs;
	u32 i, withdrawn = 0;

	for (i = 0; i < r->delivered; i++) {
		cs = r->msgs[i]->sync;
		if (!cs || cs == &chan_sync_abandoned)
			continue;
		cs->state = SYNC_TAKEN;
		/* Under ch->lock: the sender and its @cs are still there. */
		wake_up_process(cs->task);
	}
	for (i = r->n; i-- > r->delivered; ) {
		msg = r->msgs[i];
		if (msg->sync && !sync_put_back(ch, msg, dead)) {
			withdrawn++;
			continue;
		}
		list_add(&msg->node, &ch->queue);
	}
	return withdrawn;
}

/**
 * ipcchan_xfer_done_sync() - end a receive that took synchronous messages
 * @ch: the channel
 * @r: the receive, with r->sync; empty afterwards, and r->sync false
 * @x: the call
 *
 * As ipcchan_xfer_done(), and it tells their senders the outcome (above):
 * kept out of the path of a receive of asynchronous messages.
 */
void ipcchan_xfer_done_sync(struct ipcchan_chan *ch, struct xfer_recv *r,
			    struct chan_xfer *x)
{
	struct ipcchan_msg **msgs = r->msgs;
	u32 i, n = r->n, delivered = r->delivered, kept, seen = 0, withdrawn;
	LIST_HEAD(dead);
	u64 bytes = 0;
	bool hung_up;

	for (i = 0; i < delivered; i++)
		bytes += msgs[i]->len;
	spin_lock(&ch->lock);
	ch->inflight -= n;
	withdrawn = sync_outcome(ch, r, &dead);
	ch->msgs -= delivered;
	ch->bytes -= bytes;
	ch->recv_msgs += delivered;
	ch->recv_bytes += bytes;
	kept = ipcchan_spares_keep(ch, msgs, r->keep, delivered);
	if (delivered)
		ch->full_reported = false;
	hung_up = list_empty(&ch->queue) && chan_hung_up(ch);
	spin_unlock(&ch->lock);

	for (i = 0; i < delivered; i++)
		if (!r->keep[i])
			ipcchan_msg_kfree(msgs[i]);
		else if (++seen > kept)
			ipcchan_spare_free(ch, msgs[i]);
	sync_free(&dead);
	if (delivered + withdrawn < n)
		ipcchan_chan_wake_recv(ch, n - delivered - withdrawn);
	x->wake_send += delivered + withdrawn;
	if (!x->batch)
		ipcchan_xfer_flush(ch, x);
	if (hung_up)
		ipcchan_chan_wake_all(ch, true, EPOLLHUP);
	r->n = 0;
	r->delivered = 0;
	r->sync = false;
}

/**
 * ipcchan_xfer_fault_in() - make a receive's buffer present, to retry it
 * @x: the call
 * @dst: where the receive copies to: dst->iter or dst->buf, for @len
 *	 bytes, and dst->uinfo and dst->urecv's handle fields if set
 * @len: the length of the message whose copy failed, or of the records
 *
 * A receive that holds a synchronous message copies it out with page
 * faults disabled (a sender waits on that copy, see the top of this file),
 * and gives the message back if the copy falls short. If nothing of the
 * call was delivered, it faults its buffer in here, with no lock held and
 * nothing taken, and tries again, up to XFER_SYNC_TRIES times.
 *
 * The retry waits for a message as the receive did, under its own
 * deadline and signals.
 *
 * Return: 0 to try again; -EFAULT if the buffer cannot be made present, or
 * the -errno of a signal that ended the fault.
 */
int ipcchan_xfer_fault_in(struct chan_xfer *x, const struct xfer_buf *dst,
			  u32 len)
{
	struct ipcchan_recv __user *urecv = dst->urecv;
	size_t left;

	/* Faulted in as by a write, without writing (unlike fault_in_writeable). */
	if (dst->iter)
		left = fault_in_iov_iter_writeable(dst->iter, len);
	else
		left = fault_in_safe_writeable(dst->buf, len);
	if (!left && dst->uinfo)
		left = fault_in_safe_writeable((char __user *)dst->uinfo,
					       sizeof(*dst->uinfo));
	if (!left && urecv)
		left = fault_in_safe_writeable((char __user *)&urecv->handle_fd,
					       sizeof(urecv->handle_fd)) ||
		       fault_in_safe_writeable((char __user *)&urecv->handle_kind,
					       sizeof(urecv->handle_kind));
	if (!left)
		return 0;
	/* A signal ended the fault (a userfaultfd's wait, say). */
	if (signal_pending(current))
		return ipcchan_wait_stop(&x->w);
	return -EFAULT;
}
