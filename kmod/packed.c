// SPDX-License-Identifier: GPL-2.0
/*
 * Packed batches of a channel: IPCCHAN_IOC_SEND_PACKED and
 * IPCCHAN_IOC_RECV_PACKED move up to IPCCHAN_BATCH_MAX messages as records
 * laid out one after another in one user buffer (struct
 * ipcchan_packed_rec, the data, padding to IPCCHAN_PACKED_ALIGN), so that
 * a call pays one user copy, with its hardening checks, rather than two or
 * three per message. Both go through the steps of the transfer engine
 * (kmod/xfer.h), PACKED_CHUNK (32) messages per hold of ch->lock, four times
 * a batch's, which spreads the fixed cost of each step wider.
 *
 * A send copies the whole buffer in at once, into a kernel buffer of at
 * most IPCCHAN_PACKED_MAX bytes (kvmalloc()ed for the call, charged to the
 * caller's memory cgroup), checks every record there, and only then makes
 * the messages from it and queues them: a malformed buffer sends nothing,
 * and no user copy comes after the first message is queued. The messages
 * of a chunk are made in one loop (ipcchan_msgs_make_packed()).
 *
 * A receive takes messages off the head while their records fit in what
 * is left of the user's buffer, up to PACKED_GROUP chunks (a group) or
 * PACKED_GROUP_BYTES of records (more for a single larger record) at a
 * time, writes their records into a kernel buffer sized to them, and
 * copies the group out at once. A message whose record does not fit is
 * never taken; one whose record could not be copied out whole goes back to
 * the head, with those after it, as a batch receive puts back a message it
 * could not deliver. The other side is woken once per group, before the
 * next group is copied (a copy may sleep on a page fault, see kmod/xfer.c).
 *
 * A call of at most PACKED_SCRATCH bytes of records uses the scratch
 * buffer of its CPU instead of a buffer of its own (see packed_scratch).
 */

#include <linux/cred.h>
#include <linux/err.h>
#include <linux/local_lock.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/uidgid.h>

#include "chan_internal.h"
#include "limits.h"
#include "message.h"
#include "packed.h"
#include "uarg.h"
#include "wait.h"
#include "xfer.h"

#define REC_HDR			sizeof(struct ipcchan_packed_rec)

/*
 * Messages per step of the engine: a send's chunk, a receive's group. The
 * arrays of their engine steps are on the stack: 256 and 288 bytes.
 */
#define PACKED_CHUNK		32
/* Chunks that a receive copies out together. */
#define PACKED_GROUP		1
/* Bytes of records a group takes, unless its first record is larger. */
#define PACKED_GROUP_BYTES	(64U * 1024)

#define PACKED_GFP	(GFP_KERNEL_ACCOUNT | __GFP_NOWARN | __GFP_RETRY_MAYFAIL)

/*
 * A buffer per CPU for the records of a call of at most this many bytes,
 * used under packed_scratch_lock while nothing can sleep: a send's copy
 * in, check and making of its messages when spares hold them all, a
 * receive's writing and copy out. The copies run with page faults off and
 * fall back to a buffer of the call's own (struct packed_buf) if they
 * would fault.
 * Such a call then allocates nothing for its records: there is nothing to
 * charge, and no buffer to zero (init_on_alloc) and free, which is a third
 * of what a call of 32 messages of 64 B costs besides its messages. The
 * module's own memory, allocated at load: PACKED_SCRATCH bytes per
 * possible CPU.
 */
#define PACKED_SCRATCH		4096
static u8 __percpu *packed_scratch;

/*
 * Owns this CPU's packed_scratch: preemption off, or on PREEMPT_RT a lock
 * per CPU (with migration off), under which spinlock_t may still be
 * taken. Taken before ch->lock, never inside it.
 */
static DEFINE_PER_CPU(local_lock_t, packed_scratch_lock) =
	INIT_LOCAL_LOCK(packed_scratch_lock);

int ipcchan_packed_init(void)
{
	packed_scratch = __alloc_percpu(PACKED_SCRATCH, IPCCHAN_PACKED_ALIGN);
	return packed_scratch ? 0 : -ENOMEM;
}

void ipcchan_packed_uninit(void)
{
	free_percpu(packed_scratch);
}

/*
 * The kernel copy of a call's records, charged to the caller's budgets as
 * its messages are (cf->user), for as long as the call holds it: a send
 * blocked for room keeps it.
 */
struct packed_buf {
	u8 *p;
	u64 size;
	struct ipcchan_user *user;
};

/* Makes @b hold at least @size bytes; its contents are not kept. */
static int packed_buf_get(struct packed_buf *b, u64 size)
{
	u64 cost = ipcchan_kv_cost(size);

	if (size <= b->size)
		return 0;
	kvfree(b->p);
	if (b->size)
		ipcchan_bytes_uncharge(b->user, ipcchan_kv_cost(b->size));
	b->p = NULL;
	b->size = 0;
	if (ipcchan_bytes_charge(b->user, cost))
		return -ENOBUFS;
	b->p = kvmalloc(size, PACKED_GFP);
	if (!b->p) {
		ipcchan_bytes_uncharge(b->user, cost);
		return -ENOMEM;
	}
	b->size = size;
	return 0;
}

static void packed_buf_put(struct packed_buf *b)
{
	kvfree(b->p);
	if (b->size)
		ipcchan_bytes_uncharge(b->user, ipcchan_kv_cost(b->size));
}

/*
 * How many of the @n records at @off of @buf (checked) a spare buffer can
 * hold: as many spares as those are what a chunk takes.
 */
static u32 packed_small(const u8 *buf, u32 off, u32 n, u32 spare_len)
{
	const struct ipcchan_packed_rec *rec;
	u32 i, small = 0;

	for (i = 0; i < n; i++) {
		rec = (const struct ipcchan_packed_rec *)(buf + off);
		small += rec->len <= spare_len;
		off += IPCCHAN_PACKED_REC_SIZE(rec->len);
	}
	return small;
}

/*
 * Checks the records of a send: from the start of the @len bytes of @buf,
 * until @count of them or the end of @len. Returns how many there are, or
 * -EINVAL for a record that runs past @len, a tail shorter than a record
 * header, or non-zero flags. On the way, counts in *@small those of the
 * first PACKED_CHUNK that a spare buffer can hold, as packed_small() does.
 */
static int packed_check(const u8 *buf, u32 len, u32 count, u32 *small,
			u32 spare_len)
{
	const struct ipcchan_packed_rec *rec;
	u64 off = 0;
	u32 n;

	*small = 0;
	for (n = 0; n < count && off < len; n++) {
		if (len - off < REC_HDR)
			return -EINVAL;
		rec = (const struct ipcchan_packed_rec *)(buf + off);
		if (rec->len > len - off - REC_HDR || rec->flags)
			return -EINVAL;
		if (n < PACKED_CHUNK)
			*small += rec->len <= spare_len;
		off += IPCCHAN_PACKED_REC_SIZE(rec->len);
	}
	return n;
}

/*
 * A send of at most PACKED_SCRATCH bytes and PACKED_CHUNK records, every
 * one of which a spare holds, through the scratch buffer of this CPU:
 * copied in, checked and made into messages under packed_scratch_lock,
 * with a spare taken for each before any is made, then queued as
 * packed_send() queues a chunk, with @s, which has no messages or spares.
 * Returns as packed_send() does; or sets *@other, with nothing done, when
 * this way does not do: the copy would fault, or a record is larger than
 * a spare, or the channel has too few spares.
 */
static int packed_send_scratch(struct chan_file *cf, const void __user *ubuf,
			       u32 len, u32 count, struct chan_xfer *x,
			       struct xfer_send *s, bool *other)
{
	const u32 spare_len = ipcchan_msg_spare_len();
	struct ipcchan_chan *ch = cf->tx;
	u32 small, used, took;
	unsigned long left;
	int n, ret, err;
	u8 *kbuf;

	local_lock(&packed_scratch_lock);
	kbuf = this_cpu_ptr(packed_scratch);
	pagefault_disable();
	left = copy_from_user(kbuf, ubuf, len);
	pagefault_enable();
	if (left) {
		local_unlock(&packed_scratch_lock);
		*other = true;
		return 0;
	}
	n = packed_check(kbuf, len, count, &small, spare_len);
	if (n <= 0) {
		local_unlock(&packed_scratch_lock);
		return n ?: -EINVAL;
	}
	if (small < n) {
		local_unlock(&packed_scratch_lock);
		*other = true;
		return 0;
	}
	spin_lock(&ch->lock);
	took = ipcchan_spares_take(ch, &s->spares, n);
	spin_unlock(&ch->lock);
	if (took < n) {
		/* Another send took them first: nothing made yet. */
		local_unlock(&packed_scratch_lock);
		ipcchan_spares_put(ch, &s->spares);
		*other = true;
		return 0;
	}
	/* A spare for each: nothing below sleeps. */
	ipcchan_msg_refs_get(cf, n);
	s->refs = n;
	ret = ipcchan_msgs_make_packed(cf, s->msgs, &s->n, kbuf, n, &used,
				       &s->spares, &s->refs);
	local_unlock(&packed_scratch_lock);
	ipcchan_msg_refs_put(cf, s->refs);
	s->refs = 0;
	n = ipcchan_xfer_queue(ch, s, x, 0, &err);
	ipcchan_xfer_send_done(ch, s);
	return n ?: (ret ?: err);
}

/*
 * IPCCHAN_IOC_SEND_PACKED: the records of the @len bytes at @ubuf, at most
 * @count. Returns how many messages were queued, or the -errno of the
 * first.
 */
static int packed_send(struct chan_file *cf, const void __user *ubuf,
		       u32 len, u32 count, struct chan_xfer *x)
{
	const u32 spare_len = ipcchan_msg_spare_len();
	struct packed_buf b = { .user = cf->user };
	struct ipcchan_chan *ch = cf->tx;
	struct ipcchan_msg *msgs[PACKED_CHUNK];
	struct xfer_send s;
	u32 done = 0, chunks = 0, want, next, small, used, off = 0;
	int n, ret = 0, err;
	u8 *kbuf;

	ipcchan_xfer_send_init(&s, msgs);
	/*
	 * Not if the spares cannot hold as many records as there may be (a
	 * record takes REC_HDR bytes at least): the copy would be for nothing.
	 * Racy: packed_send_scratch() counts the spares it takes.
	 */
	if (len <= PACKED_SCRATCH && count <= PACKED_CHUNK &&
	    READ_ONCE(ch->nr_spares) >= min_t(u32, count, len / REC_HDR)) {
		bool other = false;

		ret = packed_send_scratch(cf, ubuf, len, count, x, &s, &other);
		if (!other)
			return ret;
	}
	ret = packed_buf_get(&b, len);
	if (ret)
		return ret;
	kbuf = b.p;
	if (copy_from_user(kbuf, ubuf, len)) {
		ret = -EFAULT;
		goto out_free;
	}
	n = packed_check(kbuf, len, count, &small, spare_len);
	if (n <= 0) {
		ret = n ?: -EINVAL;
		goto out_free;
	}

	want = min_t(u32, n, PACKED_CHUNK);
	/* The spares for the first chunk, in one hold of the lock. */
	if (small && READ_ONCE(ch->nr_spares)) {
		spin_lock(&ch->lock);
		ipcchan_spares_take(ch, &s.spares, small);
		spin_unlock(&ch->lock);
	}
	while (!ret) {
		/* The chunk's references, all at once; the unused go back. */
		ipcchan_msg_refs_get(cf, want);
		s.refs = want;
		ret = ipcchan_msgs_make_packed(cf, s.msgs, &s.n, kbuf + off,
					       want, &used, &s.spares,
					       &s.refs);
		off += used;
		ipcchan_msg_refs_put(cf, s.refs);
		s.refs = 0;
		/* The next chunk's records, and the spares they take. */
		want = ret ? 0 : min_t(u32, n - done - s.n, PACKED_CHUNK);
		next = packed_small(kbuf, off, want, spare_len);
		done += ipcchan_xfer_queue(ch, &s, x, next, &err);
		if (err)
			ret = err;
		if (done == n)
			break;
		if (++chunks % PACKED_GROUP == 0)
			cond_resched();
	}
	ipcchan_xfer_send_done(ch, &s);
	ret = done ?: ret;
out_free:
	packed_buf_put(&b);
	return ret;
}

/*
 * The sender's pid and uid as the receiver sees them, kept for the next
 * message, which usually has the same sender. They are kept for one
 * group only: its messages hold their struct pid, so that the same pointer
 * is the same pid.
 */
struct packed_ids {
	const struct pid *pid;	/* NULL: none yet */
	kuid_t kuid;
	pid_t vnr;
	u32 uid;
};

/*
 * Writes the records of the @n messages of @msgs from @p on: header, data,
 * zeroed padding. Returns the bytes written.
 */
static u64 packed_write(u8 *p, struct ipcchan_msg **msgs, u32 n,
			struct packed_ids *ids)
{
	const struct ipcchan_msg *msg;
	struct ipcchan_packed_rec *rec;
	u64 size, off = 0;
	u32 i, len;

	for (i = 0; i < n; i++) {
		msg = msgs[i];
		if (msg->pid != ids->pid || !uid_eq(msg->uid, ids->kuid)) {
			ids->pid = msg->pid;
			ids->vnr = pid_vnr(msg->pid);
			ids->kuid = msg->uid;
			ids->uid = from_kuid_munged(current_user_ns(), msg->uid);
		}
		len = msg->len;
		size = IPCCHAN_PACKED_REC_SIZE(len);
		rec = (struct ipcchan_packed_rec *)(p + off);
		rec->len = len;
		rec->flags = 0;
		rec->info.seq = msg->seq;
		rec->info.timestamp_ns = msg->timestamp;
		rec->info.pid = ids->vnr;
		rec->info.uid = ids->uid;
		rec->info.len = len;
		rec->info.__reserved = 0;
		memcpy(rec + 1, msg->data, len);
		if (size > REC_HDR + len)
			memset((u8 *)(rec + 1) + len, 0, size - REC_HDR - len);
		off += size;
	}
	return off;
}

/*
 * Copies the @nr chunks of @r out to @ubuf as records, through @b (grown
 * as needed), and ends them: those that reached
 * userspace are received, the rest go back to the head. Returns how many
 * were received; *@err is -ENOBUFS, -ENOMEM or -EFAULT if not all were.
 */
static u32 packed_copy_out(struct ipcchan_chan *ch, struct xfer_recv *r,
			   u32 nr, u64 bytes, void __user *ubuf,
			   struct packed_buf *b, struct chan_xfer *x, int *err,
			   bool nofault)
{
	struct packed_ids ids = {};
	u64 p = 0, copied = 0, size;
	u32 g, i, done = 0;
	bool cut = false;

	*err = 0;
	if (bytes <= PACKED_SCRATCH) {
		/* Written and copied out under the lock: see the top. */
		u8 *kbuf;

		local_lock(&packed_scratch_lock);
		kbuf = this_cpu_ptr(packed_scratch);
		for (g = 0; g < nr; g++)
			p += packed_write(kbuf + p, r[g].msgs, r[g].n, &ids);
		pagefault_disable();
		if (!copy_to_user(ubuf, kbuf, bytes))
			copied = bytes;
		pagefault_enable();
		local_unlock(&packed_scratch_lock);
		p = 0;
	}
	if (copied < bytes)
		*err = packed_buf_get(b, bytes);
	if (copied < bytes && !*err) {
		for (g = 0; g < nr; g++)
			p += packed_write(b->p + p, r[g].msgs, r[g].n, &ids);
		/* With a synchronous message: a copy that cannot sleep. */
		if (nofault)
			pagefault_disable();
		copied = bytes - copy_to_user(ubuf, b->p, bytes);
		if (nofault)
			pagefault_enable();
		if (copied < bytes)
			*err = -EFAULT;
	}
	/*
	 * Received: the records that reached userspace whole, which is all of
	 * them unless the copy fell short.
	 */
	for (g = 0; g < nr && copied == bytes; g++) {
		ipcchan_xfer_retire(ch, &r[g], r[g].n);
		done += r[g].n;
	}
	for (p = 0, g = 0; g < nr && copied < bytes; g++) {
		for (i = 0; i < r[g].n && !cut; i++) {
			size = IPCCHAN_PACKED_REC_SIZE(r[g].msgs[i]->len);
			cut = p + size > copied;
			if (cut)
				break;
			p += size;
		}
		ipcchan_xfer_retire(ch, &r[g], i);
		done += i;
	}
	/* The last group first, so that those put back keep their order. */
	for (g = nr; g-- > 0; )
		ipcchan_xfer_done(ch, &r[g], x);
	return done;
}

/*
 * IPCCHAN_IOC_RECV_PACKED: up to @count messages as records in the @cap
 * bytes at @ubuf. Returns how many, or the -errno of the first; with
 * -EMSGSIZE, *@needed is the size of the head's record.
 */
static int packed_recv(struct chan_file *cf, void __user *ubuf, u32 cap,
		       u32 count, struct chan_xfer *x, u32 *needed)
{
	struct ipcchan_chan *ch = cf->ch;
	struct xfer_fit_rec fit = {
		.avail = min(cap, IPCCHAN_PACKED_MAX),
		.group = PACKED_GROUP_BYTES,
	};
	struct ipcchan_msg *msgs[PACKED_GROUP][PACKED_CHUNK];
	bool keep[PACKED_GROUP][PACKED_CHUNK];
	struct xfer_recv r[PACKED_GROUP];
	u32 done = 0, taken, want, nr, g, tries = 0;
	struct packed_buf b = { .user = cf->user };
	int n, ret = 0, err;
	bool stop = false, nonblock = x->w.nonblock, nofault;

	for (nr = 0; nr < PACKED_GROUP; nr++) {
		r[nr].msgs = msgs[nr];
		r[nr].keep = keep[nr];
		r[nr].sync = false;
	}
	while (done < count && !stop) {
		fit.used = 0;
		taken = 0;
		for (nr = 0; nr < PACKED_GROUP && done + taken < count; nr++) {
			want = min_t(u32, count - done - taken, PACKED_CHUNK);
			n = ipcchan_xfer_take_rec(ch, &r[nr], want, &fit, x);
			/* A receive waits for its first message only. */
			x->w.nonblock = true;
			if (n < 0) {
				/* Only a record too large for a group goes on. */
				stop = n != -EMSGSIZE || fit.full;
				if (!done && !taken)
					ret = n;
				if (!done && !taken && n == -EMSGSIZE)
					*needed = min_t(u64, U32_MAX,
							IPCCHAN_PACKED_REC_SIZE(r[nr].needed));
				break;
			}
			taken += n;
			if (n < want) {
				/* The queue ran out, or a record did not fit. */
				stop = r[nr].short_at == want || fit.full;
				nr++;
				break;
			}
		}
		if (!nr)
			break;
		for (nofault = false, g = 0; g < nr; g++)
			nofault |= r[g].sync;
		done += packed_copy_out(ch, r, nr, fit.used, ubuf, &b, x,
					&err, nofault);
		if (nofault && !done && err == -EFAULT &&
		    ++tries <= XFER_SYNC_TRIES) {
			struct xfer_buf dst = { .buf = ubuf };

			/* Nothing delivered: fault the records in, again. */
			ret = ipcchan_xfer_fault_in(x, &dst, fit.used);
			if (ret)
				break;
			fit.full = false;
			x->w.nonblock = nonblock;
			stop = false;
			continue;
		}
		if (err) {
			if (!done)
				ret = err;
			break;
		}
		ubuf += fit.used;
		fit.avail -= fit.used;
		if (stop || done == count)
			break;
		/* Before the next group's copy: see the head comment. */
		ipcchan_xfer_flush(ch, x);
		cond_resched();
	}
	packed_buf_put(&b);
	return done ?: ret;
}

long ipcchan_chan_ioctl_packed(struct file *file, unsigned int cmd,
			       void __user *uarg, bool send)
{
	struct ipcchan_packed __user *upacked = uarg;
	struct chan_file *cf = file->private_data;
	struct chan_xfer x = { .batch = true };
	struct ipcchan_packed args;
	u32 needed = 0;
	int ret;

	ret = ipcchan_get_arg(&args, sizeof(args), IPCCHAN_PACKED_SIZE_VER0,
			      cmd, uarg);
	if (ret)
		return ret;
	if (args.__reserved || !args.count ||
	    args.count > IPCCHAN_BATCH_MAX)
		return -EINVAL;
	if (send ? !args.len || args.len > IPCCHAN_PACKED_MAX :
		   args.len < REC_HDR)
		return -EINVAL;
	ret = ipcchan_wait_init(&x.w, file, args.flags,
				IPCCHAN_XFER_ALL | (send ? IPCCHAN_XFER_SYNC : 0),
				args.timeout_ns);
	if (ret)
		return ret;
	x.sync = args.flags & IPCCHAN_XFER_SYNC;

	if (send) {
		ret = packed_send(cf, u64_to_user_ptr(args.buf), args.len,
				  args.count, &x);
	} else {
		ret = packed_recv(cf, u64_to_user_ptr(args.buf), args.len,
				  args.count, &x, &needed);
		if (ret == -EMSGSIZE && put_user(needed, &upacked->needed))
			ret = -EFAULT;
	}
	ipcchan_xfer_flush(send ? cf->tx : cf->ch, &x);
	return ret;
}
