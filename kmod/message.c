// SPDX-License-Identifier: GPL-2.0
/*
 * Messages of channels: their allocation and charges, their copies in and
 * out, and the spare buffers of a channel. The region handles they carry
 * are in msg_handle.c.
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
 * The spare that a receive keeps first goes to ch->hot_spare when that is
 * empty, and the next send takes it from there with one xchg(), without
 * ch->lock: a message then takes that lock once on each side, to queue it
 * and to count it received. ch->hot_spare counts among the spares the
 * channel keeps (spares_held()).
 */

#include <linux/err.h>
#include <linux/file.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>
#include <linux/uio.h>

#include "chan_internal.h"
#include "kind.h"
#include "limits.h"
#include "message.h"
#include "registry.h"

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

/*
 * What kvmalloc(@size) takes: its kmalloc() bucket (whole pages above
 * KMALLOC_MAX_CACHE_SIZE), or above KMALLOC_MAX_SIZE, where only vmalloc()
 * can serve it, the pages, their array and page tables, and a page more.
 */
u64 ipcchan_kv_cost(size_t size)
{
	if (size <= KMALLOC_MAX_SIZE)
		return kmalloc_size_roundup(size);
	return PAGE_ALIGN(size) + PAGE_SIZE +
	       3 * sizeof(void *) * DIV_ROUND_UP(size, PAGE_SIZE);
}

/* The longest message that a spare buffer holds. */
u32 ipcchan_msg_spare_len(void)
{
	return MSG_SPARE_LEN;
}

/*
 * What a message of @len bytes costs the budgets of kmod/limits.c: what
 * msg_alloc() takes from the allocator for it, header included.
 */
static __always_inline u32 msg_cost(u32 len)
{
	if (len <= MSG_SPARE_LEN)
		return MSG_SPARE_SIZE;
	if (len <= MSG_INLINE_MAX)
		return kmalloc_size_roundup(sizeof(struct ipcchan_msg) + len);
	return kmalloc_size_roundup(sizeof(struct ipcchan_msg)) + ipcchan_kv_cost(len);
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

/* Drops what a message holds and its charge, but not its memory. */
static void msg_release(struct ipcchan_msg *msg)
{
	ipcchan_bytes_uncharge(msg->user, msg_cost(msg->len));
	ipcchan_user_put(msg->user);
	put_pid(msg->pid);
	ipcchan_msg_handle_free(msg->handle);
}

void ipcchan_msg_kfree(struct ipcchan_msg *msg)
{
	if (msg->data != msg->inline_data)
		kvfree(msg->data);
	kfree(msg);
}

void ipcchan_msg_free(struct ipcchan_msg *msg)
{
	msg_release(msg);
	ipcchan_msg_kfree(msg);
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
void ipcchan_spare_free(struct ipcchan_chan *ch, struct ipcchan_msg *msg)
{
	ipcchan_bytes_uncharge(ch->owner, MSG_SPARE_SIZE);
	ipcchan_msg_kfree(msg);
}

static u32 chan_spares_max(const struct ipcchan_chan *ch)
{
	return min_t(u32, READ_ONCE(ch->max_msgs), CHAN_SPARES_MAX);
}

/*
 * The spares that @ch keeps, under ch->lock. A send may take the hot one
 * meanwhile, never put one there: the count can only be high, never low.
 */
static u32 spares_held(const struct ipcchan_chan *ch)
	__must_hold(&ch->lock)
{
	return ch->nr_spares + !!READ_ONCE(ch->hot_spare);
}

/* Makes @msg the hot spare if there is none, under ch->lock. */
static bool spare_keep_hot(struct ipcchan_chan *ch, struct ipcchan_msg *msg)
	__must_hold(&ch->lock)
{
	if (READ_ONCE(ch->hot_spare))
		return false;
	/*
	 * The buffer's contents before the pointer: this release pairs with
	 * the fully ordered xchg() of the lockless taker.
	 */
	smp_store_release(&ch->hot_spare, msg);
	return true;
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
 * Drops @n references to @pid that the caller holds: all but the last in
 * one atomic operation, which cannot drop the count to zero, then the last
 * with put_pid(). This leans on put_pid() doing nothing but drop the count
 * unless it is the last reference (true of 6.1 and 6.12), as
 * ipcchan_msg_refs_get() leans on get_pid() doing nothing but raise it.
 */
static void msg_put_pid_many(struct pid *pid, u32 n)
{
	if (!pid || !n)
		return;
	if (n > 1 && WARN_ON_ONCE(refcount_sub_and_test(n - 1, &pid->count)))
		return;
	put_pid(pid);
}

/*
 * Ends the @n messages of @msgs that reached their receiver: drops what
 * each holds, and its charge, unless its buffer may become a spare. Then
 * the charge moves to the channel's owner, and keep[i] is true:
 * ipcchan_spares_keep() next. The references of a run of messages from one
 * sender (their pid and user record) are dropped together.
 */
void ipcchan_msgs_retire(struct ipcchan_chan *ch, struct ipcchan_msg **msgs,
			 bool *keep, u32 n)
{
	u32 i, run = 0, max = chan_spares_max(ch);
	struct ipcchan_msg *msg;
	int owner_ok = -1;

	for (i = 0; i < n; i++) {
		msg = msgs[i];
		/* spares_held(), read without ch->lock: a guess to save work. */
		keep[i] = msg->len <= MSG_SPARE_LEN &&
			  READ_ONCE(ch->nr_spares) +
			  !!READ_ONCE(ch->hot_spare) < max;
		/*
		 * The owner's own buffers stay charged as they are: whether
		 * it is under half of its budgets is asked once for all @n
		 * (at most 32). Others may charge the owner meanwhile, so up
		 * to that many buffers, already charged, may be kept above
		 * half: 8 KiB at most, a bound as the check-then-keep of one
		 * message had its own.
		 */
		if (keep[i] && msg->user == ch->owner) {
			if (owner_ok < 0)
				owner_ok = ipcchan_bytes_spare_ok(msg->user);
			keep[i] = owner_ok;
		} else if (keep[i]) {
			keep[i] = spare_charge_owner(ch, msg->user);
		}
		if (!keep[i])
			ipcchan_bytes_uncharge(msg->user, msg_cost(msg->len));
		if (msg->handle)
			ipcchan_msg_handle_free(msg->handle);
		run++;
		if (i + 1 < n && msgs[i + 1]->pid == msg->pid &&
		    msgs[i + 1]->user == msg->user)
			continue;
		ipcchan_user_put_many(msg->user, run);
		msg_put_pid_many(msg->pid, run);
		run = 0;
	}
}

/*
 * Keeps the buffer of a retired message as a spare, under ch->lock.
 * Returns false if the caller must free it, with ipcchan_spare_free().
 */
bool ipcchan_spare_keep(struct ipcchan_chan *ch, struct ipcchan_msg *msg)
	__must_hold(&ch->lock)
{
	if (spares_held(ch) >= chan_spares_max(ch))
		return false;
	if (spare_keep_hot(ch, msg))
		return true;
	list_add(&msg->node, &ch->spares);
	WRITE_ONCE(ch->nr_spares, ch->nr_spares + 1);
	return true;
}

/*
 * Keeps as spares, under ch->lock, the buffers of the first of the @n
 * retired messages of @msgs whose keep[i] is true, as many as the channel
 * has room for, in one splice: a list_add() each would cost its
 * CONFIG_DEBUG_LIST checks. Returns how many; the caller frees the others
 * with ipcchan_spare_free().
 */
u32 ipcchan_spares_keep(struct ipcchan_chan *ch, struct ipcchan_msg **msgs,
			const bool *keep, u32 n)
	__must_hold(&ch->lock)
{
	struct list_head chain, *prev = &chain;
	u32 max = chan_spares_max(ch), i, kept = 0, listed = 0;

	/* A list of their own, that no one else sees, spliced in at once. */
	for (i = 0; i < n && spares_held(ch) + listed < max; i++) {
		if (!keep[i])
			continue;
		/* The first goes to the hot spare, if that is free. */
		if (!kept++ && spare_keep_hot(ch, msgs[i]))
			continue;
		prev->next = &msgs[i]->node;
		msgs[i]->node.prev = prev;
		prev = &msgs[i]->node;
		listed++;
	}
	if (!listed)
		return kept;
	prev->next = &chain;
	chain.prev = prev;
	list_splice(&chain, &ch->spares);
	WRITE_ONCE(ch->nr_spares, ch->nr_spares + listed);
	return kept;
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
		/* @spares is the caller's alone: no list_del() checks. */
		__list_del_clearprev(&msg->node);
		return msg;
	}
	/* Racy: at worst a spare is missed and one allocated. */
	if (READ_ONCE(ch->hot_spare)) {
		msg = xchg(&ch->hot_spare, NULL);
		if (msg)
			return msg;
	}
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
 * without taking ch->lock for each. Returns how many it moved: fewer than
 * @n if the channel has fewer.
 */
u32 ipcchan_spares_take(struct ipcchan_chan *ch, struct list_head *spares,
			u32 n)
	__must_hold(&ch->lock)
{
	struct list_head *last = &ch->spares;
	LIST_HEAD(cut);
	u32 i;

	for (i = 0; i < n && last->next != &ch->spares; i++)
		last = last->next;
	if (!i)
		return 0;
	/* All at once: a list_move() each costs its checks. */
	list_cut_position(&cut, &ch->spares, last);
	list_splice_tail(&cut, spares);
	WRITE_ONCE(ch->nr_spares, ch->nr_spares - i);
	return i;
}

/*
 * Gives back the spares a send did not use, or frees them. @spares is
 * empty afterwards.
 */
void ipcchan_spares_put(struct ipcchan_chan *ch, struct list_head *spares)
{
	struct ipcchan_msg *msg, *tmp;

	if (list_empty(spares))
		return;
	spin_lock(&ch->lock);
	list_for_each_entry_safe(msg, tmp, spares, node) {
		list_del(&msg->node);
		if (!ipcchan_spare_keep(ch, msg)) {
			list_add(&msg->node, spares);
			break;
		}
	}
	spin_unlock(&ch->lock);
	list_for_each_entry_safe(msg, tmp, spares, node)
		ipcchan_spare_free(ch, msg);
	INIT_LIST_HEAD(spares);
}

/*
 * Takes @n references to the sender's pid and user record, for the next
 * @n messages that ipcchan_msg_make() makes for the sender of @cf: a chunk
 * of messages pays one atomic operation for each, not one a message.
 */
void ipcchan_msg_refs_get(struct chan_file *cf, u32 n)
{
	refcount_add(n, &task_tgid(current)->count);
	ipcchan_user_ref_many(cf->user, n);
}

/* Gives back @n references of ipcchan_msg_refs_get() left unused. */
void ipcchan_msg_refs_put(struct chan_file *cf, u32 n)
{
	if (!n)
		return;
	ipcchan_user_put_many(cf->user, n);
	msg_put_pid_many(task_tgid(current), n);
}

/*
 * Whether the data of @msg is in the buffer of MSG_SPARE_SIZE that every
 * small message has: then a copy of msg->len bytes to or from it stays
 * within that kmalloc() object by construction (msg_alloc(), spares).
 * Such copies skip the hardened usercopy check of the object
 * (check_object_size(), some 100 instructions a copy: a fifth of a 64 B
 * message's own cost), as pipes' copies to and from their pages do
 * (copy_page_from_iter()); access_ok() is still checked.
 */
static bool msg_in_spare(const struct ipcchan_msg *msg)
{
	/* MSG_SPARE_LEN is derived from these: it must not wrap. */
	BUILD_BUG_ON(sizeof(struct ipcchan_msg) >= MSG_SPARE_SIZE);
	BUILD_BUG_ON(offsetof(struct ipcchan_msg, inline_data) + MSG_SPARE_LEN >
		     MSG_SPARE_SIZE);
	return msg->len <= MSG_SPARE_LEN && msg->data == msg->inline_data;
}

static int msg_copy_in(struct ipcchan_msg *msg, const struct xfer_buf *src)
{
	if (src->kbuf) {
		memcpy(msg->data, src->kbuf, msg->len);
		return 0;
	}
	if (src->iter && msg_in_spare(msg))
		return _copy_from_iter(msg->data, msg->len, src->iter) ==
		       msg->len ? 0 : -EFAULT;
	if (src->iter)
		return copy_from_iter_full(msg->data, msg->len, src->iter) ?
		       0 : -EFAULT;
	if (msg_in_spare(msg))
		return _copy_from_user(msg->data, src->buf, msg->len) ?
		       -EFAULT : 0;
	return copy_from_user(msg->data, src->buf, msg->len) ? -EFAULT : 0;
}

/*
 * A buffer for a message of @len bytes, for the sender of @cf, with its
 * charge: from @spares, or the channel's, if it can; a spare that the
 * sender cannot be charged for goes back to @spares. Returns it, or an
 * ERR_PTR().
 */
static struct ipcchan_msg *msg_get(struct chan_file *cf, u32 len,
				   struct list_head *spares)
{
	struct ipcchan_chan *ch = cf->tx;
	struct ipcchan_msg *msg;
	int ret;

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
	return msg;
}

/*
 * Fills in who sent @msg, of @len bytes: the sender of @cf, with a
 * reference taken for it by ipcchan_msg_refs_get() if *@refs says so.
 */
static __always_inline void msg_init(struct ipcchan_msg *msg,
				     struct chan_file *cf, u32 len, u32 *refs)
{
	if (*refs) {
		/* Taken for it by ipcchan_msg_refs_get(). */
		(*refs)--;
		msg->pid = task_tgid(current);
		msg->user = cf->user;
	} else {
		msg->pid = get_pid(task_tgid(current));
		msg->user = ipcchan_user_ref(cf->user);
	}
	msg->uid = cf->uid;
	msg->len = len;
	msg->sync = NULL;
	msg->handle = NULL;
}

/*
 * Makes a message of src->len bytes from @src, for the sender of @cf:
 * checked against the channel's limit, charged, and copied in. Its buffer
 * comes from @spares, or the channel's, if it can; a spare that the sender
 * cannot be charged for goes back to @spares. Returns it, or an ERR_PTR().
 */
struct ipcchan_msg *ipcchan_msg_make(struct chan_file *cf,
				     const struct xfer_buf *src,
				     struct list_head *spares, u32 *refs)
{
	struct ipcchan_chan *ch = cf->tx;
	struct ipcchan_msg *msg;
	u32 len = src->len;
	int ret;

	/* The limits may change under us (IPCCHAN_CMD_SET): read them once. */
	if (len > READ_ONCE(ch->max_msg_size))
		return ERR_PTR(chan_reject(ch, -EMSGSIZE));
	msg = msg_get(cf, len, spares);
	if (IS_ERR(msg))
		return msg;
	msg_init(msg, cf, len, refs);
	if (src->handle) {
		ret = ipcchan_msg_handle_attach(cf, msg, src);
		if (ret) {
			ipcchan_msg_free(msg);
			return ERR_PTR(ret);
		}
	}
	ret = msg_copy_in(msg, src);
	if (ret) {
		ipcchan_msg_free(msg);
		return ERR_PTR(ret);
	}
	return msg;
}

/**
 * ipcchan_msgs_make_packed() - make messages from packed records
 * @cf: the sender's channel file, which is charged for them
 * @msgs: where they go, from msgs[*@made] on
 * @made: how many @msgs there are; counts those made
 * @recs: the first of the records (struct ipcchan_packed_rec, its data,
 *	  its padding), checked, in kernel memory: a packed send's copy
 * @n: how many to make
 * @used: the bytes of the records made into messages
 * @spares: spare buffers for them, taken from the channel
 * @refs: references taken for them by ipcchan_msg_refs_get()
 *
 * Makes each as ipcchan_msg_make() would (the same limit, buffers and
 * charges) in one loop, without what only a user buffer or a handle
 * needs: a spare that the channel's owner sends itself moves no charge.
 * The limit is read once for all @n.
 *
 * Nothing here sleeps if @spares holds a buffer for each of the @n, every
 * one of at most ipcchan_msg_spare_len() bytes: a message takes a buffer
 * from @spares then, and one that fails (its sender cannot be charged for
 * it) puts it back. A caller that may not sleep must see to that.
 *
 * Return: 0, or the -errno of the first that could not be made (-EMSGSIZE,
 * -ENOBUFS, -ENOMEM), which ends the loop.
 */
int ipcchan_msgs_make_packed(struct chan_file *cf, struct ipcchan_msg **msgs,
			     u32 *made, const u8 *recs, u32 n, u32 *used,
			     struct list_head *spares, u32 *refs)
{
	struct ipcchan_chan *ch = cf->tx;
	u32 max = READ_ONCE(ch->max_msg_size), len, i, off = 0;
	const struct ipcchan_packed_rec *rec;
	bool own = cf->user == ch->owner;
	struct ipcchan_msg *msg;
	int ret = 0;

	for (i = 0; i < n; i++) {
		rec = (const struct ipcchan_packed_rec *)(recs + off);
		len = rec->len;
		if (len > max) {
			ret = chan_reject(ch, -EMSGSIZE);
			break;
		}
		msg = NULL;
		/* The common case, spelled out: a spare of its own. */
		if (own && len <= MSG_SPARE_LEN)
			msg = list_first_entry_or_null(spares,
						       struct ipcchan_msg, node);
		if (msg) {
			/* @spares is the caller's alone: no list_del() checks. */
			__list_del_clearprev(&msg->node);
			msg->data = msg->inline_data;
		} else {
			msg = msg_get(cf, len, spares);
			if (IS_ERR(msg)) {
				ret = PTR_ERR(msg);
				break;
			}
		}
		msg_init(msg, cf, len, refs);
		memcpy(msg->data, rec + 1, len);
		msgs[(*made)++] = msg;
		off += IPCCHAN_PACKED_REC_SIZE(len);
	}
	*used = off;
	return ret;
}

static int msg_copy_out(const struct ipcchan_msg *msg,
			const struct xfer_buf *dst)
{
	struct ipcchan_msg_info info;

	if (dst->iter && msg_in_spare(msg))
		return _copy_to_iter(msg->data, msg->len, dst->iter) ==
		       msg->len ? 0 : -EFAULT;
	if (dst->iter)
		return copy_to_iter(msg->data, msg->len, dst->iter) == msg->len ?
		       0 : -EFAULT;
	if (msg_in_spare(msg) ?
	    _copy_to_user(dst->buf, msg->data, msg->len) :
	    copy_to_user(dst->buf, msg->data, msg->len))
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
 * Copies the message out, and with dst->urecv gives the receiver its own fd
 * of the attached region. Everything else reaches userspace first, and the
 * fd is installed last, so a failure leaves no fd behind and the message
 * whole: with its -errno (EMFILE, or the refusal of an LSM) it stays queued.
 */
int ipcchan_msg_deliver(const struct ipcchan_msg *msg,
			const struct xfer_buf *dst)
{
	struct ipcchan_recv __user *urecv = dst->urecv;
	struct file *hfile = NULL;
	u32 hkind = 0;
	int ret;

	if (urecv && msg->handle) {
		hfile = ipcchan_msg_handle_file(msg->handle, &hkind);
		if (IS_ERR(hfile))
			return PTR_ERR(hfile);
	}

	ret = msg_copy_out(msg, dst);
	if (!ret && urecv && (put_user(-1, &urecv->handle_fd) ||
			      put_user(hkind, &urecv->handle_kind)))
		ret = -EFAULT;
	if (!ret && hfile)
		ret = ipcchan_msg_handle_install(hfile, &urecv->handle_fd);
	if (hfile)
		fput(hfile);
	return ret;
}
