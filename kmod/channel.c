// SPDX-License-Identifier: GPL-2.0
/*
 * Channels: bounded FIFOs of datagrams with any number of senders and
 * receivers, each behind its own channel file descriptor.
 *
 * Locking: ch->lock (a spinlock) guards the queue, its counters and the
 * sender/receiver state. It is never held across a user copy or an
 * allocation. A send allocates and fills its message first, then takes the
 * lock only to queue it. A receive unqueues the head under the lock, copies
 * it out unlocked, and puts it back at the head if the copy fails, so that no
 * message is ever lost to a bad buffer.
 *
 * Charges: a message is charged to the budgets of kmod/limits.c for what
 * it really takes from the allocator (msg_cost()), its header included:
 * the kmalloc() bucket of each allocation, the whole pages of a large one.
 *
 * Spare buffers: a small message (up to MSG_SPARE_LEN bytes) always takes
 * one allocation of MSG_SPARE_SIZE, and once received its buffer goes to
 * the channel's list of spares, where the next send takes it instead of
 * allocating: a message then costs no allocation, as a pipe reuses its
 * spare page. The channel keeps as many spares as it may queue messages,
 * up to CHAN_SPARES_MAX: never more buffers than a full queue holds. A
 * spare stays charged: to the channel's owner (the uid that created it),
 * and to the memory cgroup that allocated it. The charge moves between the
 * sender and the owner as the buffer goes from spare to message and back,
 * which costs nothing when they are the same user. A buffer is kept only
 * while that leaves the owner, every record of its chain, and the machine
 * at or below half of their budgets (ipcchan_bytes_charge_spare()), and
 * freed otherwise: the senders to a channel, who make its spares, can never
 * crowd out what its owner asks for itself.
 *
 * Wake-ups: blocked callers and pollers wait on separate queues, so that
 * a poller (EPOLLEXCLUSIVE ones included) can never take the wake-up meant
 * for a blocked call. A blocked receiver waits exclusively, so that a
 * message wakes one receiver, not all of them; a blocked sender is woken
 * only if the room that a receive made fits its message, one sender for
 * each message's worth of room (chan_sender_wake()). Non-exclusive pollers
 * are all woken, EPOLLEXCLUSIVE pollers one per message or room made, and
 * a hang-up, an unlink or new limits wake everyone. A woken receiver that
 * still finds its condition true takes a message even with a signal
 * pending, as an exclusive waiter must; one that leaves without a message
 * while one is queued (its buffer too short) passes the wake-up on, and so
 * does a woken sender that leaves without queuing or finds its room gone.
 *
 * Batches: a batch call wakes the other side once per chunk of
 * BATCH_CHUNK messages, rather than once per message (struct chan_xfer),
 * and before it copies the next chunk: a copy may sleep on a page fault
 * for as long as it likes (a FUSE mapping served by a receiver, say), and
 * the chunks already queued or taken must not wait for it. A batch send
 * that has to wait for room wakes the receivers first, or none might be
 * awake to make room.
 *
 * Lifetime: every channel file holds a reference to the channel, and so does
 * its name while it has one. A poller's wait-queue entry lives in the channel
 * through the file it polls; since the channel outlives all of its files, no
 * entry can outlive the channel (epoll drops its entries before ->release).
 */

#include <linux/anon_inodes.h>
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/err.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/hrtimer.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/pid.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>
#include <linux/uio.h>
#include <linux/wait.h>
#include <net/netlink.h>

#include "channel.h"
#include "kunit.h"
#include "limits.h"
#include "netlink.h"
#include "region.h"
#include "registry.h"
#include "uarg.h"
#include "wait.h"

#define IPCCHAN_OPEN_ALL	(IPCCHAN_OPEN_RECV | IPCCHAN_OPEN_SEND | \
				 IPCCHAN_OPEN_CREATE | IPCCHAN_OPEN_EXCL | \
				 IPCCHAN_OPEN_NONBLOCK | IPCCHAN_OPEN_CLOEXEC | \
				 IPCCHAN_OPEN_ADOPT)
#define IPCCHAN_XFER_ALL	(IPCCHAN_XFER_NONBLOCK | IPCCHAN_XFER_TIMEOUT)
#define IPCCHAN_XFER_ONE	(IPCCHAN_XFER_ALL | IPCCHAN_XFER_HANDLE)

/*
 * A region attached to a message: the access and the credentials it was
 * sent with. The receiver's new file for it is made with those
 * credentials (msg_handle_file()). It is charged to the sender as
 * HANDLE_COST, besides the message.
 */
struct msg_handle {
	struct ipcchan_obj *obj;
	const struct cred *cred;
	struct ipcchan_user *user;
	fmode_t fmode;
};

/*
 * What a handle keeps: the record above, and a copy of the sender's
 * credentials (handle_cred()) with its empty group list and its LSM blob,
 * which Debian's LSMs keep well under 64 bytes: 296 bytes there.
 */
#define HANDLE_COST	(kmalloc_size_roundup(sizeof(struct msg_handle)) + \
			 kmalloc_size_roundup(sizeof(struct cred) + 64) + \
			 kmalloc_size_roundup(sizeof(struct group_info)))

struct ipcchan_msg {
	struct list_head node;
	struct pid *pid;
	struct ipcchan_user *user;	/* charged for @cost, or NULL */
	kuid_t uid;
	u32 len;
	u64 seq;
	u64 timestamp;
	struct msg_handle *handle;	/* attached region, or NULL */
	u32 cost;			/* msg_cost(len) */
	u8 *data;		/* inline_data, or a separate kvmalloc() */
	u8 inline_data[];
};

/*
 * Messages up to a page, header included, are one kmalloc(); larger ones
 * keep their data apart, so that a power-of-two size does not round the
 * allocation up to twice that.
 */
#define MSG_INLINE_MAX	(PAGE_SIZE - sizeof(struct ipcchan_msg))
#define MSG_GFP		(GFP_KERNEL_ACCOUNT | __GFP_RETRY_MAYFAIL | __GFP_NOWARN)

/* Small messages: one size of buffer, which the channel reuses. */
#define MSG_SPARE_SIZE	256
#define MSG_SPARE_LEN	(MSG_SPARE_SIZE - sizeof(struct ipcchan_msg))
#define CHAN_SPARES_MAX	128

/* Messages a batch moves per hold of ch->lock. */
#define BATCH_CHUNK	8

struct ipcchan_chan {
	struct ipcchan_obj obj;
	struct ipcchan_user *owner;	/* charged for the channel, or NULL */

	spinlock_t lock;	/* guards the queue and the state below */
	struct list_head queue;
	struct list_head spares;	/* buffers of MSG_SPARE_SIZE to reuse */
	u32 nr_spares;
	u32 msgs;		/* queued, plus those being copied out */
	u32 inflight;		/* being copied out by a receiver */
	u64 bytes;		/* payload bytes of the msgs */
	u64 next_seq;
	u32 senders;
	u32 receivers;
	u32 files;
	bool had_sender;
	bool unlinked;
	bool full_reported;	/* LIMIT_REACHED sent, no room made since */

	u32 max_msg_size;
	u32 max_msgs;
	u64 max_bytes;

	/* Counters for the netlink plane, under ch->lock as well. */
	u64 sent_msgs;
	u64 sent_bytes;
	u64 recv_msgs;
	u64 recv_bytes;
	u32 blocked_senders;
	u32 blocked_receivers;
	atomic64_t rejected;	/* sends refused on a limit */

	wait_queue_head_t recv_wait;	/* blocked receivers, exclusive */
	wait_queue_head_t send_wait;	/* blocked senders (chan_sender_wake) */
	wait_queue_head_t recv_poll;	/* EPOLLIN pollers */
	wait_queue_head_t send_poll;	/* EPOLLOUT pollers */
};

/* The room a receive made: the key that chan_sender_wake() takes. */
struct chan_room {
	u32 msgs;
	u64 bytes;
};

/* A blocked sender, waiting for room for a message of @len bytes. */
struct chan_sender {
	struct wait_queue_entry wq;
	u32 len;
};

/*
 * How one call transfers: how it waits, and for a batch, the wake-ups it
 * owes the other side (messages queued or taken since it last woke them).
 */
struct chan_xfer {
	struct ipcchan_wait w;
	bool batch;
	u32 wake_recv;
	u32 wake_send;
};

/* What a channel file knows, fixed when it is opened. */
struct chan_file {
	struct ipcchan_chan *ch;
	struct ipcchan_user *user;	/* charged for what it sends, or NULL */
	kuid_t uid;		/* the opener's, the sender uid of its messages */
};

/*
 * Where a message comes from or goes to: an iov_iter, or else a buffer, with
 * a handle to attach (send) or a place to report one (receive).
 */
struct xfer_buf {
	struct iov_iter *iter;
	void __user *buf;
	u32 len;
	struct ipcchan_msg_info __user *uinfo;
	struct ipcchan_obj *handle;
	fmode_t handle_fmode;
	struct ipcchan_recv __user *urecv;
};

static struct ipcchan_chan *to_chan(struct ipcchan_obj *obj)
{
	return container_of(obj, struct ipcchan_chan, obj);
}

/*
 * What kvmalloc(@size) takes: its kmalloc() bucket (whole pages above
 * KMALLOC_MAX_CACHE_SIZE), or above KMALLOC_MAX_SIZE, where only vmalloc()
 * can serve it, the pages, their array and page tables, and a page more.
 */
static u64 kv_cost(size_t size)
{
	if (size <= KMALLOC_MAX_SIZE)
		return kmalloc_size_roundup(size);
	return PAGE_ALIGN(size) + PAGE_SIZE +
	       3 * sizeof(void *) * DIV_ROUND_UP(size, PAGE_SIZE);
}

/*
 * What a message of @len bytes costs the budgets of kmod/limits.c: what
 * msg_alloc() takes from the allocator for it, header included.
 */
static u32 msg_cost(u32 len)
{
	if (len <= MSG_SPARE_LEN)
		return MSG_SPARE_SIZE;
	if (len <= MSG_INLINE_MAX)
		return kmalloc_size_roundup(sizeof(struct ipcchan_msg) + len);
	return kmalloc_size_roundup(sizeof(struct ipcchan_msg)) + kv_cost(len);
}

/*
 * Charged to the sender's memory cgroup. __GFP_RETRY_MAYFAIL makes a cgroup
 * at its limit fail the send with ENOMEM instead of invoking the OOM killer
 * on its behalf.
 */
static struct ipcchan_msg *msg_alloc(u32 len)
{
	struct ipcchan_msg *msg;

	if (len <= MSG_SPARE_LEN) {
		msg = kmalloc(MSG_SPARE_SIZE, MSG_GFP);
		if (!msg)
			return NULL;
		msg->data = msg->inline_data;
	} else if (len <= MSG_INLINE_MAX) {
		msg = kmalloc(sizeof(*msg) + len, MSG_GFP);
		if (!msg)
			return NULL;
		msg->data = msg->inline_data;
	} else {
		msg = kmalloc(sizeof(*msg), MSG_GFP);
		if (!msg)
			return NULL;
		msg->data = kvmalloc(len, MSG_GFP);
		if (!msg->data) {
			kfree(msg);
			return NULL;
		}
	}
	return msg;
}

static void msg_handle_free(struct msg_handle *h)
{
	if (!h)
		return;
	ipcchan_obj_put(h->obj);
	if (h->cred)
		put_cred(h->cred);
	ipcchan_bytes_uncharge(h->user, HANDLE_COST);
	ipcchan_user_put(h->user);
	kfree(h);
}

/*
 * The credentials a handle keeps: a copy of the sender's, with its ids and
 * its LSM label, which security_file_receive() weighs, but no capability
 * (the file made under them must not pass a capable() check that the
 * receiver would fail) and no supplementary groups (a group_info can be
 * 256 KiB, which a queued message must not pin uncharged).
 */
static const struct cred *handle_cred(void)
{
	struct group_info *none;
	struct cred *new;

	none = groups_alloc(0);
	if (!none)
		return NULL;
	new = prepare_creds();
	if (new) {
		set_groups(new, none);
		cap_clear(new->cap_inheritable);
		cap_clear(new->cap_permitted);
		cap_clear(new->cap_effective);
		cap_clear(new->cap_bset);
		cap_clear(new->cap_ambient);
	}
	put_group_info(none);
	return new;
}

/* Drops what a message holds and its charge, but not its memory. */
static void msg_release(struct ipcchan_msg *msg)
{
	ipcchan_bytes_uncharge(msg->user, msg->cost);
	ipcchan_user_put(msg->user);
	put_pid(msg->pid);
	msg_handle_free(msg->handle);
}

static void msg_kfree(struct ipcchan_msg *msg)
{
	if (msg->data != msg->inline_data)
		kvfree(msg->data);
	kfree(msg);
}

static void msg_free(struct ipcchan_msg *msg)
{
	msg_release(msg);
	msg_kfree(msg);
}

/*
 * Moves the charge of one spare buffer from @from, the channel's owner, to
 * @to, a sender about to use it (NULL: a user exempt from the per-user
 * budgets, charged machine-wide only). Nothing to do when they are the
 * same. Returns 0 or -ENOBUFS.
 */
static int spare_recharge(struct ipcchan_user *to, struct ipcchan_user *from)
{
	int ret;

	if (to == from)
		return 0;
	ret = ipcchan_bytes_charge(to, MSG_SPARE_SIZE);
	if (!ret)
		ipcchan_bytes_uncharge(from, MSG_SPARE_SIZE);
	return ret;
}

/* Frees a spare buffer, and its charge to the channel's owner. */
static void spare_free(struct ipcchan_chan *ch, struct ipcchan_msg *msg)
{
	ipcchan_bytes_uncharge(ch->owner, MSG_SPARE_SIZE);
	msg_kfree(msg);
}

static u32 chan_spares_max(const struct ipcchan_chan *ch)
{
	return min_t(u32, READ_ONCE(ch->max_msgs), CHAN_SPARES_MAX);
}

/*
 * Moves the charge of a buffer about to become a spare from @from, its
 * sender, to the channel's owner, only while that leaves the owner (and
 * the machine) at or below half of the budget: spares, which the senders
 * to a channel make, must never crowd out what the owner asks for itself.
 * Returns true if the buffer may be kept.
 */
static bool spare_charge_owner(struct ipcchan_chan *ch,
			       struct ipcchan_user *from)
{
	if (ch->owner == from)
		return ipcchan_bytes_spare_ok(from);
	if (ipcchan_bytes_charge_spare(ch->owner, MSG_SPARE_SIZE))
		return false;
	ipcchan_bytes_uncharge(from, MSG_SPARE_SIZE);
	return true;
}

/*
 * Ends a message that reached its receiver: drops what it holds, and its
 * charge, unless its buffer may become a spare. Then the charge moves to
 * the channel's owner, and true is returned: chan_keep_spare() next.
 */
static bool msg_retire(struct ipcchan_chan *ch, struct ipcchan_msg *msg)
{
	bool keep = msg->len <= MSG_SPARE_LEN &&
		    READ_ONCE(ch->nr_spares) < chan_spares_max(ch) &&
		    spare_charge_owner(ch, msg->user);

	if (!keep)
		ipcchan_bytes_uncharge(msg->user, msg->cost);
	ipcchan_user_put(msg->user);
	put_pid(msg->pid);
	msg_handle_free(msg->handle);
	return keep;
}

/*
 * Keeps the buffer of a retired message as a spare, under ch->lock.
 * Returns false if the caller must free it, with spare_free().
 */
static bool chan_keep_spare(struct ipcchan_chan *ch, struct ipcchan_msg *msg)
	__must_hold(&ch->lock)
{
	if (ch->nr_spares >= chan_spares_max(ch))
		return false;
	list_add(&msg->node, &ch->spares);
	WRITE_ONCE(ch->nr_spares, ch->nr_spares + 1);
	return true;
}

/*
 * Takes a spare buffer, still charged to the channel's owner, from
 * @spares, or else from the channel. Returns NULL if there is none.
 */
static struct ipcchan_msg *chan_get_spare(struct ipcchan_chan *ch,
					  struct list_head *spares)
{
	struct ipcchan_msg *msg;

	msg = list_first_entry_or_null(spares, struct ipcchan_msg, node);
	if (msg) {
		list_del(&msg->node);
		return msg;
	}
	/* Racy: at worst a spare is missed and one allocated. */
	if (!READ_ONCE(ch->nr_spares))
		return NULL;
	spin_lock(&ch->lock);
	msg = list_first_entry_or_null(&ch->spares, struct ipcchan_msg, node);
	if (msg) {
		list_del(&msg->node);
		WRITE_ONCE(ch->nr_spares, ch->nr_spares - 1);
	}
	spin_unlock(&ch->lock);
	return msg;
}

/*
 * Moves up to @n spares of the channel to @spares, for a batch send to use
 * without taking ch->lock for each.
 */
static void chan_take_spares(struct ipcchan_chan *ch, struct list_head *spares,
			     u32 n)
	__must_hold(&ch->lock)
{
	struct ipcchan_msg *msg;

	while (n-- && (msg = list_first_entry_or_null(&ch->spares,
						      struct ipcchan_msg,
						      node))) {
		list_move(&msg->node, spares);
		WRITE_ONCE(ch->nr_spares, ch->nr_spares - 1);
	}
}

/* Gives back the spares a send did not use, or frees them. */
static void chan_put_spares(struct ipcchan_chan *ch, struct list_head *spares)
{
	struct ipcchan_msg *msg, *tmp;

	if (list_empty(spares))
		return;
	spin_lock(&ch->lock);
	list_for_each_entry_safe(msg, tmp, spares, node) {
		list_del(&msg->node);
		if (!chan_keep_spare(ch, msg)) {
			list_add(&msg->node, spares);
			break;
		}
	}
	spin_unlock(&ch->lock);
	list_for_each_entry_safe(msg, tmp, spares, node)
		spare_free(ch, msg);
}

/*
 * Wakes a blocked sender if @key, the room a receive made, fits its
 * message, and takes that much off the room; or with no @key, wakes it
 * whatever. A sender that was running already takes none of the room.
 */
static int chan_sender_wake(struct wait_queue_entry *wq, unsigned int mode,
			    int sync, void *key)
{
	struct chan_sender *s = container_of(wq, struct chan_sender, wq);
	struct chan_room *room = key;
	int ret;

	if (room && (!room->msgs || s->len > room->bytes))
		return 0;
	ret = autoremove_wake_function(wq, mode, sync, NULL);
	if (ret && room) {
		room->msgs--;
		room->bytes -= s->len;
	}
	return ret;
}

/*
 * Wakes the blocked senders that the room now free fits, under ch->lock,
 * which keeps the room as it is while they are picked.
 */
static void chan_wake_senders(struct ipcchan_chan *ch)
	__must_hold(&ch->lock)
{
	struct chan_room room = {};

	if (ch->msgs < ch->max_msgs)
		room.msgs = ch->max_msgs - ch->msgs;
	if (ch->bytes < ch->max_bytes)
		room.bytes = ch->max_bytes - ch->bytes;
	/* Senders join under ch->lock too: no barrier needed. */
	if (room.msgs && room.bytes && waitqueue_active(&ch->send_wait))
		__wake_up(&ch->send_wait, TASK_INTERRUPTIBLE, 0, &room);
}

/*
 * Wakes receivers and pollers for @nr new messages: @nr blocked receivers
 * and EPOLLEXCLUSIVE pollers, and every other poller.
 *
 * A waiter joins its queue and then tests its condition under ch->lock;
 * the caller changed the channel under that lock before calling this, and
 * the barrier orders that before the looks at the queues (as in
 * wq_has_sleeper()). So either the waiter sees the change, or this sees
 * the waiter.
 */
static void chan_wake_recv(struct ipcchan_chan *ch, u32 nr)
{
	int n = min_t(u32, nr, INT_MAX);

	/* Orders the change before the looks: see above. */
	smp_mb();
	/* Safe after the barrier, as in wq_has_sleeper(). */
	if (waitqueue_active(&ch->recv_wait))
		__wake_up(&ch->recv_wait, TASK_INTERRUPTIBLE, n, NULL);
	/* Likewise. */
	if (waitqueue_active(&ch->recv_poll))
		__wake_up(&ch->recv_poll, TASK_INTERRUPTIBLE, n,
			  poll_to_key(EPOLLIN | EPOLLRDNORM));
}

/*
 * Wakes senders and pollers for room made by @nr messages (0: new limits,
 * for all pollers): the blocked senders the room fits, @nr EPOLLEXCLUSIVE
 * pollers and every other poller. See chan_wake_recv() for the barrier.
 */
static void chan_wake_send(struct ipcchan_chan *ch, u32 nr)
{
	/* Orders the change before the looks, as in chan_wake_recv(). */
	smp_mb();
	/* Safe after the barrier, as in wq_has_sleeper(). */
	if (waitqueue_active(&ch->send_wait)) {
		spin_lock(&ch->lock);
		chan_wake_senders(ch);
		spin_unlock(&ch->lock);
	}
	/* Likewise. */
	if (waitqueue_active(&ch->send_poll))
		__wake_up(&ch->send_poll, TASK_INTERRUPTIBLE,
			  min_t(u32, nr, INT_MAX),
			  poll_to_key(EPOLLOUT | EPOLLWRNORM));
}

/*
 * Wakes every blocked caller and poller of one side, for a hang-up: the
 * receive side with @events EPOLLHUP, the send side with EPOLLERR.
 */
static void chan_wake_all(struct ipcchan_chan *ch, bool recv, __poll_t events)
{
	wait_queue_head_t *wait = recv ? &ch->recv_wait : &ch->send_wait;
	wait_queue_head_t *poll = recv ? &ch->recv_poll : &ch->send_poll;

	/* No key: chan_sender_wake() reads one as room. */
	if (wq_has_sleeper(wait))
		__wake_up(wait, TASK_INTERRUPTIBLE, 0, NULL);
	ipcchan_wake(poll, events);
}

/* Wakes the other side for what a batch has done so far. */
static void chan_flush_wakes(struct ipcchan_chan *ch, struct chan_xfer *x)
{
	if (x->wake_recv)
		chan_wake_recv(ch, x->wake_recv);
	if (x->wake_send)
		chan_wake_send(ch, x->wake_send);
	x->wake_recv = 0;
	x->wake_send = 0;
}

static bool chan_hung_up(const struct ipcchan_chan *ch)
{
	return !ch->senders && (ch->had_sender || ch->unlinked) &&
	       !ch->inflight;
}

static bool chan_orphaned(const struct ipcchan_chan *ch)
{
	return !ch->receivers && ch->unlinked;
}

static bool chan_has_room(const struct ipcchan_chan *ch, u32 len)
{
	return ch->msgs < ch->max_msgs && ch->bytes + len <= ch->max_bytes;
}

static int send_ready(struct ipcchan_chan *ch, u32 len)
{
	if (chan_orphaned(ch))
		return -EPIPE;
	/* New limits (IPCCHAN_CMD_SET) that the message can never fit. */
	if (len > ch->max_msg_size)
		return -EMSGSIZE;
	return chan_has_room(ch, len);
}

static int recv_ready(struct ipcchan_chan *ch, u32 len)
{
	if (!list_empty(&ch->queue))
		return 1;
	return chan_hung_up(ch) ? -EPIPE : 0;
}

/*
 * Waits on @wq until @ready(@ch, @len) is true (0) or fails (its -errno).
 * Called and returns with ch->lock held; drops it only to sleep, and then
 * first wakes the other side for what the call has done so far. A waiter
 * that a wake-up found ready leaves without joining @wq again. Receivers
 * (@wq is ch->recv_wait) wait exclusively; senders (ch->send_wait) are
 * woken by chan_sender_wake(), and pass on a wake-up that they do not use.
 */
static int chan_wait(struct ipcchan_chan *ch, wait_queue_head_t *wq,
		     int (*ready)(struct ipcchan_chan *ch, u32 len), u32 len,
		     struct chan_xfer *x, u32 *blocked)
	__must_hold(&ch->lock)
{
	bool sender = wq == &ch->send_wait;
	struct ipcchan_wait *w = &x->w;
	struct chan_sender s = { .len = len };
	bool woken = false;
	int ret;

	ret = ready(ch, len);
	if (ret)
		return ret < 0 ? ret : 0;
	if (w->nonblock)
		return -EAGAIN;

	init_wait_entry(&s.wq, 0);
	if (sender)
		s.wq.func = chan_sender_wake;
	for (;;) {
		prepare_to_wait_exclusive(wq, &s.wq, TASK_INTERRUPTIBLE);
		ret = ready(ch, len);
		if (ret)
			break;
		ret = ipcchan_wait_stop(w);
		if (ret)
			break;
		(*blocked)++;
		spin_unlock(&ch->lock);
		chan_flush_wakes(ch, x);
		ipcchan_wait_sleep(w);
		spin_lock(&ch->lock);
		(*blocked)--;
		ret = ready(ch, len);
		if (ret)
			break;
		/* Woken for room that another sender took: pass it on. */
		if (sender && list_empty_careful(&s.wq.entry))
			chan_wake_senders(ch);
	}
	woken = list_empty_careful(&s.wq.entry);
	finish_wait(wq, &s.wq);
	/* A sender that leaves unsent passes on the room it was woken for. */
	if (ret < 0 && sender && woken)
		chan_wake_senders(ch);
	return ret < 0 ? ret : 0;
}

static int msg_copy_in(struct ipcchan_msg *msg, const struct xfer_buf *src)
{
	if (src->iter)
		return copy_from_iter_full(msg->data, msg->len, src->iter) ?
		       0 : -EFAULT;
	return copy_from_user(msg->data, src->buf, msg->len) ? -EFAULT : 0;
}

/*
 * Notes, under ch->lock, that a send found no room. Returns true when that
 * is news for the events group: once until a receive makes room again.
 */
static bool chan_note_full(struct ipcchan_chan *ch)
{
	if (ch->full_reported)
		return false;
	ch->full_reported = true;
	return true;
}

/* Counts a send refused on a limit. */
static int chan_reject(struct ipcchan_chan *ch, int err)
{
	atomic64_inc(&ch->rejected);
	return err;
}

/*
 * Attaches src->handle to @msg, charging HANDLE_COST to the sender of @cf:
 * the region with a reference, the access, and handle_cred().
 */
static int msg_attach_handle(struct chan_file *cf, struct ipcchan_msg *msg,
			     const struct xfer_buf *src)
{
	struct msg_handle *h;
	int ret;

	ret = ipcchan_bytes_charge(cf->user, HANDLE_COST);
	if (ret)
		return chan_reject(cf->ch, ret);
	h = kzalloc(sizeof(*h), MSG_GFP);
	if (!h) {
		ipcchan_bytes_uncharge(cf->user, HANDLE_COST);
		return -ENOMEM;
	}
	h->user = ipcchan_user_ref(cf->user);
	ipcchan_obj_get(src->handle);
	h->obj = src->handle;
	h->fmode = src->handle_fmode;
	h->cred = handle_cred();
	if (!h->cred) {
		msg_handle_free(h);
		return -ENOMEM;
	}
	msg->handle = h;
	return 0;
}

/*
 * Makes a message of src->len bytes from @src, for the sender of @cf:
 * checked against the channel's limit, charged, and copied in. Its buffer
 * comes from @spares, or the channel's, if it can; a spare that the sender
 * cannot be charged for goes back to @spares. Returns it, or an ERR_PTR().
 */
static struct ipcchan_msg *msg_make(struct chan_file *cf,
				    const struct xfer_buf *src,
				    struct list_head *spares)
{
	struct ipcchan_chan *ch = cf->ch;
	struct ipcchan_msg *msg;
	u32 len = src->len;
	int ret;

	/* The limits may change under us (IPCCHAN_CMD_SET): read them once. */
	if (len > READ_ONCE(ch->max_msg_size))
		return ERR_PTR(chan_reject(ch, -EMSGSIZE));
	msg = len <= MSG_SPARE_LEN ? chan_get_spare(ch, spares) : NULL;
	if (msg) {
		ret = spare_recharge(cf->user, ch->owner);
		if (ret) {
			list_add(&msg->node, spares);
			return ERR_PTR(chan_reject(ch, ret));
		}
		msg->data = msg->inline_data;
	} else {
		ret = ipcchan_bytes_charge(cf->user, msg_cost(len));
		if (ret)
			return ERR_PTR(chan_reject(ch, ret));
		msg = msg_alloc(len);
		if (!msg) {
			ipcchan_bytes_uncharge(cf->user, msg_cost(len));
			return ERR_PTR(-ENOMEM);
		}
	}
	msg->pid = get_pid(task_tgid(current));
	msg->user = ipcchan_user_ref(cf->user);
	msg->uid = cf->uid;
	msg->len = len;
	msg->cost = msg_cost(len);
	msg->handle = NULL;
	if (src->handle) {
		ret = msg_attach_handle(cf, msg, src);
		if (ret) {
			msg_free(msg);
			return ERR_PTR(ret);
		}
	}
	ret = msg_copy_in(msg, src);
	if (ret) {
		msg_free(msg);
		return ERR_PTR(ret);
	}
	return msg;
}

/*
 * Queues the @n messages of @msgs in order, each waiting for room as @x
 * says, under one hold of ch->lock (dropped only to sleep). Messages after
 * a failure are freed. Takes up to @next spares to @spares, for the next
 * messages of a batch. Returns how many were queued, and the failure in
 * *@err.
 */
static u32 chan_queue(struct ipcchan_chan *ch, struct ipcchan_msg **msgs,
		      u32 n, struct chan_xfer *x, struct list_head *spares,
		      u32 next, int *err)
{
	bool full = false, waits;
	u64 now = 0;
	u32 i, j, len;
	int ret = 0;

	spin_lock(&ch->lock);
	for (i = 0; i < n; i++) {
		len = msgs[i]->len;
		waits = !chan_has_room(ch, len);
		if (waits)
			full |= chan_note_full(ch);
		ret = chan_wait(ch, &ch->send_wait, send_ready, len, x,
				&ch->blocked_senders);
		if (ret)
			break;
		/* One time for the messages queued together. */
		if (!i || waits)
			now = ktime_get_ns();
		msgs[i]->seq = ch->next_seq++;
		msgs[i]->timestamp = now;
		list_add_tail(&msgs[i]->node, &ch->queue);
		ch->msgs++;
		ch->bytes += len;
		ch->sent_msgs++;
		ch->sent_bytes += len;
		/* Counted at once: a wait for the next one wakes for it. */
		x->wake_recv += x->batch;
	}
	if (next && !ret)
		chan_take_spares(ch, spares, next);
	spin_unlock(&ch->lock);
	if (full)
		ipcchan_nl_event(&ch->obj, IPCCHAN_EVENT_LIMIT_REACHED);
	if (ret == -EAGAIN || ret == -ETIMEDOUT || ret == -EMSGSIZE)
		chan_reject(ch, ret);
	*err = ret;
	if (i && !x->batch)
		chan_wake_recv(ch, 1);
	for (j = i; j < n; j++)
		msg_free(msgs[j]);
	return i;
}

/* Queues one message of src->len bytes. On any error nothing is queued. */
static int chan_send(struct chan_file *cf, const struct xfer_buf *src,
		     struct chan_xfer *x)
{
	struct ipcchan_chan *ch = cf->ch;
	struct ipcchan_msg *msg;
	LIST_HEAD(none);
	bool full = false;
	int ret;

	if (x->w.nonblock && src->len <= READ_ONCE(ch->max_msg_size)) {
		/* Spare the allocation when it would be for nothing. */
		spin_lock(&ch->lock);
		ret = send_ready(ch, src->len);
		if (!ret)
			full = chan_note_full(ch);
		spin_unlock(&ch->lock);
		if (full)
			ipcchan_nl_event(&ch->obj, IPCCHAN_EVENT_LIMIT_REACHED);
		if (!ret)
			return chan_reject(ch, -EAGAIN);
		if (ret < 0)
			return ret;
	}
	msg = msg_make(cf, src, &none);
	if (IS_ERR(msg)) {
		chan_put_spares(ch, &none);
		return PTR_ERR(msg);
	}
	chan_queue(ch, &msg, 1, x, NULL, 0, &ret);
	return ret;
}

static int msg_copy_out(const struct ipcchan_msg *msg,
			const struct xfer_buf *dst)
{
	struct ipcchan_msg_info info;

	if (dst->iter)
		return copy_to_iter(msg->data, msg->len, dst->iter) == msg->len ?
		       0 : -EFAULT;
	if (copy_to_user(dst->buf, msg->data, msg->len))
		return -EFAULT;
	if (!dst->uinfo)
		return 0;

	memset(&info, 0, sizeof(info));
	info.seq = msg->seq;
	info.timestamp_ns = msg->timestamp;
	info.pid = pid_vnr(msg->pid);
	info.uid = from_kuid_munged(current_user_ns(), msg->uid);
	info.len = msg->len;
	return copy_to_user(dst->uinfo, &info, sizeof(info)) ? -EFAULT : 0;
}

/*
 * Installs a new fd of @hfile for the receiver and reports it in @ufd, as
 * SCM_RIGHTS does, through receive_fd(): the LSMs see the file first, in
 * security_file_receive(). Before 6.8 (Kbuild then leaves
 * IPCCHAN_RECEIVE_FD_UFD undefined), receive_fd() cannot write @ufd before
 * it installs the fd: the write comes after, to a place written just
 * before, and if a racing munmap() makes it fail the fd stays, unnamed, as
 * one of SCM_RIGHTS does that cannot be reported.
 */
static int msg_install_handle(struct file *hfile, int __user *ufd)
{
#ifdef IPCCHAN_RECEIVE_FD_UFD
	int fd = receive_fd(hfile, ufd, O_CLOEXEC);

	return fd < 0 ? fd : 0;
#else
	int fd = receive_fd(hfile, O_CLOEXEC);

	if (fd < 0)
		return fd;
	if (put_user(fd, ufd))
		pr_debug("handle fd %d installed but not reported\n", fd);
	return 0;
#endif
}

/*
 * Makes the file of a handle, for the receiver to install, as the sender
 * would have made it at the send: with the sender's credentials, so that
 * its f_cred, and the label that the LSMs give it (security_file_alloc()),
 * are the sender's, and security_file_receive() weighs the receiver
 * against the sender, as for a fd passed with SCM_RIGHTS. The file is made
 * only now, not at the send, so that a queued message holds no file: no
 * module reference (a named channel with a queued handle would block
 * rmmod), and no memory beyond the message's own.
 */
static struct file *msg_handle_file(const struct msg_handle *h)
{
	const struct cred *old = override_creds(h->cred);
	struct file *file;

	file = ipcchan_region_handle_file(h->obj, h->fmode);
	revert_creds(old);
	return file;
}

/*
 * Copies the message out, and with dst->urecv gives the receiver its own fd
 * of the attached region. Everything else reaches userspace first, and the
 * fd is installed last, so a failure leaves no fd behind and the message
 * whole: with its -errno (EMFILE, or the refusal of an LSM) it stays queued.
 */
static int msg_deliver(const struct ipcchan_msg *msg,
		       const struct xfer_buf *dst)
{
	struct ipcchan_recv __user *urecv = dst->urecv;
	struct file *hfile = NULL;
	u32 hkind = 0;
	int ret;

	if (urecv && msg->handle) {
		hfile = msg_handle_file(msg->handle);
		if (IS_ERR(hfile))
			return PTR_ERR(hfile);
		hkind = msg->handle->obj->key.kind;
	}

	ret = msg_copy_out(msg, dst);
	if (!ret && urecv && (put_user(-1, &urecv->handle_fd) ||
			      put_user(hkind, &urecv->handle_kind)))
		ret = -EFAULT;
	if (!ret && hfile)
		ret = msg_install_handle(hfile, &urecv->handle_fd);
	if (hfile)
		fput(hfile);
	return ret;
}

/*
 * Receives one message into @dst, which holds up to dst->len bytes. Returns
 * the message length. With -EMSGSIZE, *@needed is the length of the message
 * at the head. On any error the message stays queued.
 *
 * The head is taken off the queue while it is copied out, but it still
 * counts against the limits and holds off hang-up (ch->inflight). If the
 * copy fails it goes back to the head. Only then can another receiver have
 * taken the next message first, and only because a receiver passed a bad
 * buffer.
 */
static int chan_recv(struct ipcchan_chan *ch, const struct xfer_buf *dst,
		     u32 *needed, struct chan_xfer *x)
{
	struct ipcchan_msg *msg;
	bool hung_up, keep = false, spare = false;
	u32 len;
	int ret;

	spin_lock(&ch->lock);
	ret = chan_wait(ch, &ch->recv_wait, recv_ready, 0, x,
			&ch->blocked_receivers);
	if (ret)
		goto out_unlock;
	msg = list_first_entry(&ch->queue, struct ipcchan_msg, node);
	if (msg->len > dst->len) {
		*needed = msg->len;
		ret = -EMSGSIZE;
		goto out_unlock;
	}
	list_del(&msg->node);
	ch->inflight++;
	spin_unlock(&ch->lock);

	ret = msg_deliver(msg, dst);
	len = msg->len;
	/* Delivered: the message is done with, its buffer not yet. */
	if (!ret)
		keep = msg_retire(ch, msg);

	spin_lock(&ch->lock);
	ch->inflight--;
	if (ret) {
		list_add(&msg->node, &ch->queue);
	} else {
		ch->msgs--;
		ch->bytes -= len;
		ch->recv_msgs++;
		ch->recv_bytes += len;
		ch->full_reported = false;
		spare = keep && chan_keep_spare(ch, msg);
	}
	hung_up = list_empty(&ch->queue) && chan_hung_up(ch);
	spin_unlock(&ch->lock);

	if (ret) {
		chan_wake_recv(ch, 1);
		return ret;
	}
	if (keep && !spare)
		spare_free(ch, msg);
	else if (!spare)
		msg_kfree(msg);
	if (x->batch)
		x->wake_send++;
	else
		chan_wake_send(ch, 1);
	if (hung_up)
		chan_wake_all(ch, true, EPOLLHUP);
	return len;

out_unlock:
	spin_unlock(&ch->lock);
	/* Another receiver may have room for the message at the head. */
	if (ret == -EMSGSIZE)
		chan_wake_recv(ch, 1);
	return ret;
}

/* Takes the region of @fd as the handle of a message about to be sent. */
static int xfer_get_handle(struct xfer_buf *src, int fd)
{
	struct ipcchan_obj *obj;
	struct file *file = fget(fd);

	if (!file)
		return -EBADF;
	obj = ipcchan_region_handle_get(file, &src->handle_fmode);
	fput(file);
	if (IS_ERR(obj))
		return PTR_ERR(obj);
	src->handle = obj;
	return 0;
}

static long chan_ioctl_send(struct file *file, unsigned int cmd,
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
	ret = ipcchan_wait_init(&x.w, file, args.flags, IPCCHAN_XFER_ONE,
				args.timeout_ns);
	if (ret)
		return ret;
	src.buf = u64_to_user_ptr(args.buf);
	src.len = args.len;
	if (args.flags & IPCCHAN_XFER_HANDLE) {
		ret = xfer_get_handle(&src, args.handle_fd);
		if (ret)
			return ret;
	}
	ret = chan_send(file->private_data, &src, &x);
	if (src.handle)
		ipcchan_obj_put(src.handle);
	return ret;
}

static long chan_ioctl_recv(struct file *file, unsigned int cmd,
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
	ret = chan_recv(cf->ch, &dst, &needed, &x);
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

/*
 * IPCCHAN_IOC_SEND_BATCH: @count messages, in chunks of BATCH_CHUNK: each
 * chunk is made outside the lock, then queued under one hold of it.
 */
static int chan_send_batch(struct chan_file *cf,
			   struct ipcchan_mmsg __user *um, u32 count,
			   struct chan_xfer *x)
{
	struct ipcchan_chan *ch = cf->ch;
	struct ipcchan_mmsg m[BATCH_CHUNK];
	struct ipcchan_msg *msgs[BATCH_CHUNK];
	LIST_HEAD(spares);
	u32 done = 0, made, queued;
	int n, ret = 0, err;

	while (done < count && !ret) {
		n = batch_get(m, um + done, min_t(u32, count - done,
						  BATCH_CHUNK));
		if (n < 0) {
			ret = n;
			break;
		}
		if (n < min_t(u32, count - done, BATCH_CHUNK))
			ret = -EINVAL;
		for (made = 0; made < n; made++) {
			struct xfer_buf src = {
				.buf = u64_to_user_ptr(m[made].buf),
				.len = m[made].len,
			};

			msgs[made] = msg_make(cf, &src, &spares);
			if (IS_ERR(msgs[made])) {
				ret = PTR_ERR(msgs[made]);
				break;
			}
		}
		queued = chan_queue(ch, msgs, made, x, &spares,
				    min_t(u32, count - done - made, BATCH_CHUNK),
				    &err);
		done += queued;
		if (err)
			ret = err;
		chan_flush_wakes(ch, x);
		cond_resched();
	}
	chan_put_spares(ch, &spares);
	return done ? done : ret;
}

/*
 * Takes up to @n messages off the head for the buffers of @m, under one
 * hold of ch->lock, waiting for the first as @x says. They stay counted
 * (ch->inflight) until chan_recv_done(). Returns how many, or -errno. If
 * the message for buffer i does not fit, *@short_at is i (else it is left
 * alone) and *@needed its length; for i = 0 that is -EMSGSIZE.
 *
 * After the wait, under the same hold of the lock, the queue is not empty:
 * taking none means that the head did not fit.
 */
static int chan_take(struct ipcchan_chan *ch, const struct ipcchan_mmsg *m,
		     u32 n, struct ipcchan_msg **msgs, struct chan_xfer *x,
		     u32 *needed, u32 *short_at)
{
	struct ipcchan_msg *msg;
	u32 i;
	int ret;

	spin_lock(&ch->lock);
	ret = chan_wait(ch, &ch->recv_wait, recv_ready, 0, x,
			&ch->blocked_receivers);
	if (ret) {
		spin_unlock(&ch->lock);
		return ret;
	}
	for (i = 0; i < n; i++) {
		msg = list_first_entry_or_null(&ch->queue, struct ipcchan_msg,
					       node);
		if (!msg)
			break;
		if (msg->len > m[i].len) {
			*needed = msg->len;
			*short_at = i;
			break;
		}
		list_del(&msg->node);
		msgs[i] = msg;
	}
	ch->inflight += i;
	spin_unlock(&ch->lock);
	return i ? i : -EMSGSIZE;
}

/*
 * Ends the receive of the @n messages chan_take() gave: the first
 * @delivered reached userspace (and were released), the rest go back to
 * the head, in order.
 */
static void chan_recv_done(struct ipcchan_chan *ch, struct ipcchan_msg **msgs,
			   const bool *keep, u32 n, u32 delivered,
			   struct chan_xfer *x)
{
	bool hung_up, spare[BATCH_CHUNK];
	u32 i;

	spin_lock(&ch->lock);
	ch->inflight -= n;
	for (i = n; i-- > delivered; )
		list_add(&msgs[i]->node, &ch->queue);
	for (i = 0; i < delivered; i++) {
		ch->msgs--;
		ch->bytes -= msgs[i]->len;
		ch->recv_msgs++;
		ch->recv_bytes += msgs[i]->len;
		spare[i] = keep[i] && chan_keep_spare(ch, msgs[i]);
	}
	if (delivered)
		ch->full_reported = false;
	hung_up = list_empty(&ch->queue) && chan_hung_up(ch);
	spin_unlock(&ch->lock);

	for (i = 0; i < delivered; i++)
		if (keep[i] && !spare[i])
			spare_free(ch, msgs[i]);
		else if (!spare[i])
			msg_kfree(msgs[i]);
	/* Each message put back may be the one a woken receiver missed. */
	if (delivered < n)
		chan_wake_recv(ch, n - delivered);
	x->wake_send += delivered;
	if (hung_up)
		chan_wake_all(ch, true, EPOLLHUP);
}

/*
 * IPCCHAN_IOC_RECV_BATCH: in chunks of BATCH_CHUNK, as for a send. The
 * batch stops at the first message that fails (it stays queued), or when
 * the queue is empty after the first.
 */
static int chan_recv_batch(struct chan_file *cf,
			   struct ipcchan_mmsg __user *um, u32 count,
			   struct chan_xfer *x)
{
	struct ipcchan_chan *ch = cf->ch;
	struct ipcchan_mmsg m[BATCH_CHUNK];
	struct ipcchan_msg *msgs[BATCH_CHUNK];
	bool keep[BATCH_CHUNK];
	u32 done = 0, want, needed = 0, short_at, i;
	int n, taken, ret = 0;
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
		short_at = n;
		taken = chan_take(ch, m, n, msgs, x, &needed, &short_at);
		if (short_at < n) {
			/* Another receiver may have room for that one. */
			chan_wake_recv(ch, 1);
			if (put_user(needed, &um[done + short_at].info.len) &&
			    taken < 0)
				taken = -EFAULT;
		}
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

			ret = msg_deliver(msgs[i], &dst);
			if (ret)
				break;
			keep[i] = msg_retire(ch, msgs[i]);
		}
		chan_recv_done(ch, msgs, keep, taken, i, x);
		chan_flush_wakes(ch, x);
		done += i;
		stop |= ret || taken < n;
		/* A receive waits for its first message only. */
		x->w.nonblock = true;
		cond_resched();
	}
	return done ? done : ret;
}

static long chan_ioctl_batch(struct file *file, unsigned int cmd,
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
	chan_flush_wakes(cf->ch, &x);
	return ret;
}

static long chan_ioctl_info(struct ipcchan_chan *ch, unsigned int cmd,
			    void __user *uarg)
{
	struct ipcchan_chan_info info;
	u32 usize;
	int ret;

	ret = ipcchan_get_arg(&info, sizeof(info), IPCCHAN_CHAN_INFO_SIZE_VER0,
			      cmd, uarg);
	if (ret)
		return ret;
	if (info.flags)
		return -EINVAL;

	usize = info.size;
	memset(&info, 0, sizeof(info));
	info.size = usize;
	info.mode = ch->obj.mode;
	info.uid = from_kuid_munged(current_user_ns(), ch->obj.uid);
	info.gid = from_kgid_munged(current_user_ns(), ch->obj.gid);
	memcpy(info.name, ch->obj.key.name, sizeof(info.name));

	spin_lock(&ch->lock);
	info.max_msg_size = ch->max_msg_size;
	info.max_msgs = ch->max_msgs;
	info.max_bytes = ch->max_bytes;
	info.msgs = ch->msgs;
	info.bytes = ch->bytes;
	info.senders = ch->senders;
	info.receivers = ch->receivers;
	info.next_seq = ch->next_seq;
	spin_unlock(&ch->lock);

	return ipcchan_put_arg(uarg, &info, sizeof(info), cmd);
}

static long chan_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct chan_file *cf = file->private_data;
	void __user *uarg = (void __user *)arg;
	bool can_send = file->f_mode & FMODE_WRITE;
	bool can_recv = file->f_mode & FMODE_READ;

	switch (IPCCHAN_IOC_NOSIZE(cmd)) {
	case IPCCHAN_IOC_NOSIZE(IPCCHAN_IOC_SEND):
		return can_send ? chan_ioctl_send(file, cmd, uarg) : -EBADF;
	case IPCCHAN_IOC_NOSIZE(IPCCHAN_IOC_RECV):
		return can_recv ? chan_ioctl_recv(file, cmd, uarg) : -EBADF;
	case IPCCHAN_IOC_NOSIZE(IPCCHAN_IOC_SEND_BATCH):
		return can_send ? chan_ioctl_batch(file, cmd, uarg, true) :
				  -EBADF;
	case IPCCHAN_IOC_NOSIZE(IPCCHAN_IOC_RECV_BATCH):
		return can_recv ? chan_ioctl_batch(file, cmd, uarg, false) :
				  -EBADF;
	case IPCCHAN_IOC_NOSIZE(IPCCHAN_IOC_CHAN_INFO):
		return chan_ioctl_info(cf->ch, cmd, uarg);
	}
	return -ENOTTY;
}

static bool iocb_nonblock(const struct kiocb *iocb)
{
	return (iocb->ki_filp->f_flags & O_NONBLOCK) ||
	       (iocb->ki_flags & IOCB_NOWAIT);
}

/* read(), readv(): exactly one whole message, into all the iovecs. */
static ssize_t chan_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	struct chan_file *cf = iocb->ki_filp->private_data;
	struct chan_xfer x = { .w.nonblock = iocb_nonblock(iocb) };
	struct xfer_buf dst = {
		.iter = to,
		.len = min_t(size_t, iov_iter_count(to), U32_MAX),
	};
	u32 needed;
	int ret;

	ret = chan_recv(cf->ch, &dst, &needed, &x);
	return ret == -EPIPE ? 0 : ret;
}

/* write(), writev(): exactly one message, from all the iovecs. */
static ssize_t chan_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	struct chan_file *cf = iocb->ki_filp->private_data;
	struct chan_xfer x = { .w.nonblock = iocb_nonblock(iocb) };
	size_t count = iov_iter_count(from);
	struct xfer_buf src = { .iter = from };
	int ret;

	if (!count)
		return 0;
	if (count > READ_ONCE(cf->ch->max_msg_size))
		return -EMSGSIZE;
	src.len = count;
	ret = chan_send(cf, &src, &x);
	return ret ? ret : count;
}

static __poll_t chan_poll(struct file *file, poll_table *pt)
{
	struct ipcchan_chan *ch = ((struct chan_file *)file->private_data)->ch;
	bool can_send = file->f_mode & FMODE_WRITE;
	bool can_recv = file->f_mode & FMODE_READ;
	__poll_t mask = 0;

	if (can_recv)
		poll_wait(file, &ch->recv_poll, pt);
	if (can_send)
		poll_wait(file, &ch->send_poll, pt);

	spin_lock(&ch->lock);
	if (can_recv) {
		if (!list_empty(&ch->queue))
			mask |= EPOLLIN | EPOLLRDNORM;
		else if (chan_hung_up(ch))
			mask |= EPOLLHUP;
	}
	if (can_send) {
		if (chan_orphaned(ch))
			mask |= EPOLLERR;
		else if (chan_has_room(ch, ch->max_msg_size))
			mask |= EPOLLOUT | EPOLLWRNORM;
	}
	spin_unlock(&ch->lock);
	return mask;
}

static int chan_release(struct inode *inode, struct file *file)
{
	struct chan_file *cf = file->private_data;
	struct ipcchan_chan *ch = cf->ch;
	bool last_sender = false, last_receiver = false;

	spin_lock(&ch->lock);
	if (file->f_mode & FMODE_WRITE)
		last_sender = !--ch->senders;
	if (file->f_mode & FMODE_READ)
		last_receiver = !--ch->receivers;
	ch->files--;
	spin_unlock(&ch->lock);

	if (last_sender) {
		chan_wake_all(ch, true, EPOLLHUP);
		ipcchan_nl_event(&ch->obj, IPCCHAN_EVENT_LAST_SENDER_GONE);
	}
	if (last_receiver) {
		chan_wake_all(ch, false, EPOLLERR);
		ipcchan_nl_event(&ch->obj, IPCCHAN_EVENT_LAST_RECEIVER_GONE);
	}
	ipcchan_user_put(cf->user);
	kfree(cf);
	ipcchan_obj_put(&ch->obj);
	return 0;
}

static const struct file_operations chan_fops = {
	.owner = THIS_MODULE,
	.release = chan_release,
	.read_iter = chan_read_iter,
	.write_iter = chan_write_iter,
	.poll = chan_poll,
	.unlocked_ioctl = chan_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

static void chan_unlinked(struct ipcchan_obj *obj)
{
	struct ipcchan_chan *ch = to_chan(obj);

	spin_lock(&ch->lock);
	ch->unlinked = true;
	spin_unlock(&ch->lock);
	chan_wake_all(ch, true, EPOLLHUP);
	chan_wake_all(ch, false, EPOLLERR);
}

/*
 * The last reference is gone, so no file refers to the channel and no
 * waiter or poller can be left on its wait queues (see the top); the
 * POLLFREE wake-ups only make sure of it.
 */
static void chan_free(struct ipcchan_obj *obj)
{
	struct ipcchan_chan *ch = to_chan(obj);
	struct ipcchan_msg *msg, *tmp;

	wake_up_pollfree(&ch->recv_poll);
	wake_up_pollfree(&ch->send_poll);
	list_for_each_entry_safe(msg, tmp, &ch->queue, node)
		msg_free(msg);
	list_for_each_entry_safe(msg, tmp, &ch->spares, node)
		spare_free(ch, msg);
	ipcchan_channels_uncharge(ch->owner);
	ipcchan_user_put(ch->owner);
	kfree_rcu(ch, obj.rcu);
}

static int chan_fill(struct ipcchan_obj *obj, struct sk_buff *skb)
{
	struct ipcchan_chan *ch = to_chan(obj);
	struct ipcchan_chan snap;

	spin_lock(&ch->lock);
	snap.files = ch->files;
	snap.max_msg_size = ch->max_msg_size;
	snap.max_msgs = ch->max_msgs;
	snap.max_bytes = ch->max_bytes;
	snap.msgs = ch->msgs;
	snap.bytes = ch->bytes;
	snap.sent_msgs = ch->sent_msgs;
	snap.sent_bytes = ch->sent_bytes;
	snap.recv_msgs = ch->recv_msgs;
	snap.recv_bytes = ch->recv_bytes;
	snap.senders = ch->senders;
	snap.receivers = ch->receivers;
	snap.blocked_senders = ch->blocked_senders;
	snap.blocked_receivers = ch->blocked_receivers;
	spin_unlock(&ch->lock);

	if (nla_put_u32(skb, IPCCHAN_A_FDS, snap.files) ||
	    nla_put_u32(skb, IPCCHAN_A_MAX_MSG_SIZE, snap.max_msg_size) ||
	    nla_put_u32(skb, IPCCHAN_A_MAX_MSGS, snap.max_msgs) ||
	    nla_put_u64_64bit(skb, IPCCHAN_A_MAX_BYTES, snap.max_bytes,
			      IPCCHAN_A_PAD) ||
	    nla_put_u32(skb, IPCCHAN_A_MSGS, snap.msgs) ||
	    nla_put_u64_64bit(skb, IPCCHAN_A_BYTES, snap.bytes,
			      IPCCHAN_A_PAD) ||
	    nla_put_u64_64bit(skb, IPCCHAN_A_SENT_MSGS, snap.sent_msgs,
			      IPCCHAN_A_PAD) ||
	    nla_put_u64_64bit(skb, IPCCHAN_A_SENT_BYTES, snap.sent_bytes,
			      IPCCHAN_A_PAD) ||
	    nla_put_u64_64bit(skb, IPCCHAN_A_RECV_MSGS, snap.recv_msgs,
			      IPCCHAN_A_PAD) ||
	    nla_put_u64_64bit(skb, IPCCHAN_A_RECV_BYTES, snap.recv_bytes,
			      IPCCHAN_A_PAD) ||
	    nla_put_u64_64bit(skb, IPCCHAN_A_REJECTED,
			      atomic64_read(&ch->rejected), IPCCHAN_A_PAD) ||
	    nla_put_u32(skb, IPCCHAN_A_SENDERS, snap.senders) ||
	    nla_put_u32(skb, IPCCHAN_A_RECEIVERS, snap.receivers) ||
	    nla_put_u32(skb, IPCCHAN_A_BLOCKED_SENDERS, snap.blocked_senders) ||
	    nla_put_u32(skb, IPCCHAN_A_BLOCKED_RECEIVERS,
			snap.blocked_receivers))
		return -EMSGSIZE;
	return 0;
}

static const struct ipcchan_obj_ops chan_ops = {
	.unlinked = chan_unlinked,
	.free = chan_free,
	.fill = chan_fill,
};

/* Limits of a channel to create: checked, and with defaults filled in. */
struct chan_attr {
	umode_t mode;
	u32 max_msg_size;
	u32 max_msgs;
	u64 max_bytes;
};

static int chan_attr_init(struct chan_attr *attr,
			  const struct ipcchan_chan_open *args)
{
	attr->mode = args->mode;
	attr->max_msg_size = args->max_msg_size ?: ipcchan_default_msg_size();
	attr->max_msgs = args->max_msgs ?: ipcchan_default_msgs();
	attr->max_bytes = args->max_bytes;

	if (args->mode & ~0777)
		return -EINVAL;
	if (attr->max_msg_size > ipcchan_limit_msg_size() ||
	    attr->max_msgs > ipcchan_limit_msgs())
		return -EINVAL;
	if (!attr->max_bytes)
		attr->max_bytes = min(max_t(u64, (u64)attr->max_msg_size *
					    attr->max_msgs,
					    attr->max_msg_size),
				      ipcchan_limit_bytes());
	if (attr->max_bytes > ipcchan_limit_bytes() ||
	    attr->max_bytes < attr->max_msg_size)
		return -EINVAL;
	return 0;
}

static struct ipcchan_obj *chan_alloc(struct ipcchan_open_req *req)
{
	const struct chan_attr *attr = req->priv;
	struct ipcchan_chan *ch;
	int ret;

	ret = ipcchan_channels_charge(req->user);
	if (ret)
		return ERR_PTR(ret);
	ch = kzalloc(sizeof(*ch), GFP_KERNEL_ACCOUNT);
	if (!ch) {
		ipcchan_channels_uncharge(req->user);
		return ERR_PTR(-ENOMEM);
	}

	ipcchan_obj_init(&ch->obj, req->key, &chan_ops, req->ctl->f_cred,
			 attr->mode);
	ch->owner = ipcchan_user_ref(req->user);
	spin_lock_init(&ch->lock);
	INIT_LIST_HEAD(&ch->queue);
	INIT_LIST_HEAD(&ch->spares);
	init_waitqueue_head(&ch->recv_wait);
	init_waitqueue_head(&ch->send_wait);
	init_waitqueue_head(&ch->recv_poll);
	init_waitqueue_head(&ch->send_poll);
	ch->next_seq = 1;
	ch->max_msg_size = attr->max_msg_size;
	ch->max_msgs = attr->max_msgs;
	ch->max_bytes = attr->max_bytes;
	return &ch->obj;
}

/*
 * Makes a channel file. It takes over the caller's reference to @ch on
 * success only. @user, if not NULL, is charged for what the file sends,
 * and @uid is their sender uid.
 */
static struct file *chan_file(struct ipcchan_chan *ch, u32 flags,
			      struct ipcchan_user *user, kuid_t uid)
{
	bool send = flags & IPCCHAN_OPEN_SEND;
	bool recv = flags & IPCCHAN_OPEN_RECV;
	struct chan_file *cf;
	struct file *file;
	int oflags;

	oflags = send && recv ? O_RDWR : send ? O_WRONLY : O_RDONLY;
	if (flags & IPCCHAN_OPEN_NONBLOCK)
		oflags |= O_NONBLOCK;

	cf = kmalloc(sizeof(*cf), GFP_KERNEL_ACCOUNT);
	if (!cf)
		return ERR_PTR(-ENOMEM);
	cf->ch = ch;
	cf->user = send ? ipcchan_user_ref(user) : NULL;
	cf->uid = uid;

	file = anon_inode_getfile("[ipcchan]", &chan_fops, cf, oflags);
	if (IS_ERR(file)) {
		ipcchan_user_put(cf->user);
		kfree(cf);
		return file;
	}
	stream_open(file_inode(file), file);

	spin_lock(&ch->lock);
	if (send) {
		ch->senders++;
		ch->had_sender = true;
	}
	if (recv)
		ch->receivers++;
	ch->files++;
	spin_unlock(&ch->lock);
	return file;
}

static struct file *chan_open_file(struct ipcchan_obj *obj,
				   struct ipcchan_open_req *req)
{
	return chan_file(to_chan(obj), req->flags, req->user,
			 req->ctl->f_cred->fsuid);
}

static int chan_open_check(const struct ipcchan_chan_open *args)
{
	u32 flags = args->flags;

	if (flags & ~IPCCHAN_OPEN_ALL || args->__reserved)
		return -EINVAL;
	if (!(flags & (IPCCHAN_OPEN_RECV | IPCCHAN_OPEN_SEND)))
		return -EINVAL;
	if (flags & IPCCHAN_OPEN_CREATE)
		return 0;
	if ((flags & IPCCHAN_OPEN_EXCL) || args->mode || args->max_msg_size ||
	    args->max_msgs || args->max_bytes)
		return -EINVAL;
	return 0;
}

/* An IPCCHAN_IOC_CHAN_OPEN request, checked and ready for the registry. */
struct chan_open_req {
	struct ipcchan_open_req req;
	struct ipcchan_key key;
	struct chan_attr attr;
};

static int chan_open_req_init(struct chan_open_req *o, struct file *ctl,
			      const struct ipcchan_chan_open *args)
{
	int ret;

	ret = chan_open_check(args);
	if (ret)
		return ret;
	ret = ipcchan_key_init(&o->key, IPCCHAN_KIND_CHANNEL, args->name);
	if (ret)
		return ret;
	if (args->flags & IPCCHAN_OPEN_CREATE) {
		ret = chan_attr_init(&o->attr, args);
		if (ret)
			return ret;
	}
	o->req = (struct ipcchan_open_req) {
		.ctl = ctl,
		.key = &o->key,
		.flags = args->flags,
		.alloc = chan_alloc,
		.file = chan_open_file,
		.priv = &o->attr,
	};
	if (args->flags & IPCCHAN_OPEN_RECV)
		o->req.mask |= MAY_READ;
	if (args->flags & IPCCHAN_OPEN_SEND)
		o->req.mask |= MAY_WRITE;
	return 0;
}

/**
 * ipcchan_chan_open() - IPCCHAN_IOC_CHAN_OPEN
 * @ctl: the /dev/ipcchan file, whose credentials decide
 * @args: the request, copied in
 *
 * Return: the new fd, or -EINVAL, -ENAMETOOLONG, -EEXIST, -ENOENT, -EACCES,
 * -ENOSPC, -EMFILE or -ENOMEM.
 */
int ipcchan_chan_open(struct file *ctl, const struct ipcchan_chan_open *args)
{
	struct chan_open_req o;
	int ret;

	ret = chan_open_req_init(&o, ctl, args);
	return ret ?: ipcchan_obj_open(&o.req);
}

/**
 * ipcchan_chan_open_file() - IPCCHAN_IOC_CHAN_OPEN, without the fd
 * @ctl: the /dev/ipcchan file, whose credentials decide
 * @args: the request
 *
 * Return: the channel file, or an ERR_PTR as ipcchan_chan_open() returns.
 */
struct file *ipcchan_chan_open_file(struct file *ctl,
				    const struct ipcchan_chan_open *args)
{
	struct chan_open_req o;
	int ret;

	ret = chan_open_req_init(&o, ctl, args);
	return ret ? ERR_PTR(ret) : ipcchan_obj_open_file(&o.req);
}
EXPORT_SYMBOL_IPCCHAN_KUNIT(ipcchan_chan_open_file);

/**
 * ipcchan_chan_set_limits() - IPCCHAN_CMD_SET on a channel
 * @obj: the channel
 * @max_msg_size: new largest message, or 0 to keep it
 * @max_msgs: new most queued messages, or 0 to keep it
 * @max_bytes: new most queued bytes, or 0 to keep it
 *
 * The new limits are checked as at creation. What is queued stays queued.
 *
 * Return: 0, or -EINVAL for a limit out of bounds or a non-channel.
 */
int ipcchan_chan_set_limits(struct ipcchan_obj *obj, u64 max_msg_size,
			    u64 max_msgs, u64 max_bytes)
{
	struct ipcchan_chan *ch;
	int ret = 0;

	if (obj->key.kind != IPCCHAN_KIND_CHANNEL)
		return -EINVAL;
	ch = to_chan(obj);
	if (max_msg_size > ipcchan_limit_msg_size() ||
	    max_msgs > ipcchan_limit_msgs() || max_bytes > ipcchan_limit_bytes())
		return -EINVAL;

	spin_lock(&ch->lock);
	max_msg_size = max_msg_size ?: ch->max_msg_size;
	max_bytes = max_bytes ?: ch->max_bytes;
	if (max_bytes < max_msg_size) {
		ret = -EINVAL;
	} else {
		WRITE_ONCE(ch->max_msg_size, max_msg_size);
		WRITE_ONCE(ch->max_msgs, max_msgs ?: ch->max_msgs);
		WRITE_ONCE(ch->max_bytes, max_bytes);
	}
	spin_unlock(&ch->lock);
	/*
	 * Raised limits may let blocked senders in, and lowered ones leave a
	 * message too big (send_ready()): every sender must look again, not
	 * only those that chan_wake_send() finds room for.
	 */
	if (!ret) {
		if (wq_has_sleeper(&ch->send_wait))
			__wake_up(&ch->send_wait, TASK_INTERRUPTIBLE, 0, NULL);
		chan_wake_send(ch, 0);
	}
	return ret;
}
EXPORT_SYMBOL_IPCCHAN_KUNIT(ipcchan_chan_set_limits);
