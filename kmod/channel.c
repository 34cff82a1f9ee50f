// SPDX-License-Identifier: GPL-2.0
/*
 * Channels: bounded FIFOs of datagrams with any number of senders and
 * receivers, each behind its own channel file descriptor.
 *
 * The channel object and its files: opening and creating, the info ioctl,
 * poll, read() and write(), release, the netlink fill and new limits. Its
 * messages are in kmod/message.c, sending and receiving in kmod/xfer.c.
 *
 * Lifetime: every channel file holds a reference to the channel, and so does
 * its name while it has one. A poller's wait-queue entry lives in the channel
 * through the file it polls; since the channel outlives all of its files, no
 * entry can outlive the channel (epoll drops its entries before ->release).
 */

#include <linux/err.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/list.h>
#include <linux/poll.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>
#include <linux/uio.h>
#include <linux/wait.h>
#include <net/netlink.h>

#include "chan_internal.h"
#include "channel.h"
#include "kind.h"
#include "limits.h"
#include "message.h"
#include "packed.h"
#include "registry.h"
#include "uarg.h"
#include "xfer.h"

#define IPCCHAN_OPEN_ALL	(IPCCHAN_OPEN_RECV | IPCCHAN_OPEN_SEND | \
				 IPCCHAN_OPEN_CREATE | IPCCHAN_OPEN_EXCL | \
				 IPCCHAN_OPEN_NONBLOCK | IPCCHAN_OPEN_CLOEXEC | \
				 IPCCHAN_OPEN_ADOPT | IPCCHAN_OPEN_RENDEZVOUS)

/* A channel's limits and counters, all as they were at one instant. */
struct chan_stats {
	u32 files;
	u32 max_msg_size;
	u32 max_msgs;
	u64 max_bytes;
	u32 msgs;
	u64 bytes;
	u64 next_seq;
	u64 sent_msgs;
	u64 sent_bytes;
	u64 recv_msgs;
	u64 recv_bytes;
	u64 rejected;
	u32 senders;
	u32 receivers;
	u32 blocked_senders;
	u32 blocked_receivers;
};

/*
 * The one snapshot that both the info ioctl and the netlink fill report.
 * ch->rejected is counted outside ch->lock, and read so.
 */
static void chan_snapshot(struct ipcchan_chan *ch, struct chan_stats *s)
{
	spin_lock(&ch->lock);
	s->files = ch->files;
	s->max_msg_size = ch->max_msg_size;
	s->max_msgs = ch->max_msgs;
	s->max_bytes = ch->max_bytes;
	s->msgs = ch->msgs;
	s->bytes = ch->bytes;
	s->next_seq = ch->next_seq;
	s->sent_msgs = ch->sent_msgs;
	s->sent_bytes = ch->sent_bytes;
	s->recv_msgs = ch->recv_msgs;
	s->recv_bytes = ch->recv_bytes;
	s->senders = ch->senders;
	s->receivers = ch->receivers;
	s->blocked_senders = ch->blocked_senders;
	s->blocked_receivers = ch->blocked_receivers;
	spin_unlock(&ch->lock);
	s->rejected = atomic64_read(&ch->rejected);
}

/* What the channel is: IPCCHAN_CHAN_*, fixed at its creation. */
static u32 chan_flags(const struct ipcchan_chan *ch)
{
	return (ch->rendezvous ? IPCCHAN_CHAN_RENDEZVOUS : 0) |
	       (ipcchan_obj_unnamed(&ch->obj) ? IPCCHAN_CHAN_UNNAMED : 0) |
	       (ch->peer_id ? IPCCHAN_CHAN_PAIR : 0);
}

static long chan_ioctl_info(struct ipcchan_chan *ch, unsigned int cmd,
			    void __user *uarg)
{
	struct ipcchan_chan_info info;
	struct chan_stats snap;
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
	info.id = ch->obj.id;
	info.peer_id = ch->peer_id;
	info.chan_flags = chan_flags(ch);

	chan_snapshot(ch, &snap);
	info.max_msg_size = snap.max_msg_size;
	info.max_msgs = snap.max_msgs;
	info.max_bytes = snap.max_bytes;
	info.msgs = snap.msgs;
	info.bytes = snap.bytes;
	info.senders = snap.senders;
	info.receivers = snap.receivers;
	info.next_seq = snap.next_seq;

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
		return can_send ? ipcchan_chan_ioctl_send(file, cmd, uarg) : -EBADF;
	case IPCCHAN_IOC_NOSIZE(IPCCHAN_IOC_RECV):
		return can_recv ? ipcchan_chan_ioctl_recv(file, cmd, uarg) : -EBADF;
	case IPCCHAN_IOC_NOSIZE(IPCCHAN_IOC_SEND_BATCH):
		return can_send ? ipcchan_chan_ioctl_batch(file, cmd, uarg, true) :
				  -EBADF;
	case IPCCHAN_IOC_NOSIZE(IPCCHAN_IOC_RECV_BATCH):
		return can_recv ? ipcchan_chan_ioctl_batch(file, cmd, uarg, false) :
				  -EBADF;
	case IPCCHAN_IOC_NOSIZE(IPCCHAN_IOC_CHAN_INFO):
		return chan_ioctl_info(cf->ch, cmd, uarg);
	case IPCCHAN_IOC_NOSIZE(IPCCHAN_IOC_SEND_PACKED):
		return can_send ? ipcchan_chan_ioctl_packed(file, cmd, uarg, true) :
				  -EBADF;
	case IPCCHAN_IOC_NOSIZE(IPCCHAN_IOC_RECV_PACKED):
		return can_recv ? ipcchan_chan_ioctl_packed(file, cmd, uarg, false) :
				  -EBADF;
	}
	return -ENOTTY;
}

static bool iocb_nonblock(const struct kiocb *iocb)
{
	return (iocb->ki_filp->f_flags & O_NONBLOCK) ||
	       (iocb->ki_flags & IOCB_NOWAIT);
}

/* Receives one whole message into @dst: what read() returns. */
static ssize_t chan_read_one(struct chan_file *cf, struct xfer_buf *dst,
			     size_t count, bool nonblock)
{
	struct chan_xfer x = { .w.nonblock = nonblock };
	u32 needed;
	int ret;

	dst->len = min_t(size_t, count, U32_MAX);
	ret = ipcchan_chan_recv(cf->ch, dst, &needed, &x);
	return ret == -EPIPE ? 0 : ret;
}

/* Sends @count bytes from @src as one message: what write() returns. */
static ssize_t chan_write_one(struct chan_file *cf, struct xfer_buf *src,
			      size_t count, bool nonblock)
{
	struct chan_xfer x = { .w.nonblock = nonblock };
	int ret;

	if (!count)
		return 0;
	if (count > READ_ONCE(cf->tx->max_msg_size))
		return -EMSGSIZE;
	src->len = count;
	ret = ipcchan_chan_send(cf, src, &x);
	return ret ? ret : count;
}

/*
 * read() and write() go straight to the user buffer; readv(), writev(),
 * preadv2() and io_uring take the _iter forms. A plain call thus skips
 * new_sync_read()'s kiocb (with its I/O priority lookup) and the iov_iter
 * that would carry the one buffer: the same message, some 100 instructions
 * fewer each way.
 */
static ssize_t chan_read(struct file *file, char __user *buf, size_t count,
			 loff_t *ppos)
{
	struct xfer_buf dst = { .buf = buf };

	return chan_read_one(file->private_data, &dst, count,
			     file->f_flags & O_NONBLOCK);
}

static ssize_t chan_write(struct file *file, const char __user *buf,
			  size_t count, loff_t *ppos)
{
	struct xfer_buf src = { .buf = (void __user *)buf };

	return chan_write_one(file->private_data, &src, count,
			      file->f_flags & O_NONBLOCK);
}

/* readv(): exactly one whole message, into all the iovecs. */
static ssize_t chan_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	struct xfer_buf dst = { .iter = to };

	return chan_read_one(iocb->ki_filp->private_data, &dst,
			     iov_iter_count(to), iocb_nonblock(iocb));
}

/* writev(): exactly one message, from all the iovecs. */
static ssize_t chan_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	struct xfer_buf src = { .iter = from };

	return chan_write_one(iocb->ki_filp->private_data, &src,
			      iov_iter_count(from), iocb_nonblock(iocb));
}

/*
 * The receive side's bits come from cf->ch and the send side's from cf->tx,
 * each under its own lock, one after the other (never both at once).
 */
static __poll_t chan_poll(struct file *file, poll_table *pt)
{
	struct chan_file *cf = file->private_data;
	struct ipcchan_chan *ch = cf->ch, *tx = cf->tx;
	bool can_send = file->f_mode & FMODE_WRITE;
	bool can_recv = file->f_mode & FMODE_READ;
	__poll_t mask = 0;

	if (can_recv)
		poll_wait(file, &ch->recv_poll, pt);
	if (can_send)
		poll_wait(file, &tx->send_poll, pt);

	if (can_recv) {
		spin_lock(&ch->lock);
		if (!list_empty(&ch->queue))
			mask |= EPOLLIN | EPOLLRDNORM;
		else if (chan_hung_up(ch))
			mask |= EPOLLHUP;
		spin_unlock(&ch->lock);
	}
	if (can_send) {
		spin_lock(&tx->lock);
		if (chan_orphaned(tx))
			mask |= EPOLLERR;
		else if (chan_has_room(tx, tx->max_msg_size) &&
			 (!tx->rendezvous || chan_recv_idle(tx)))
			mask |= EPOLLOUT | EPOLLWRNORM;
		spin_unlock(&tx->lock);
	}
	return mask;
}

/*
 * The last receiver of an unnamed channel is gone, and none can ever come:
 * its queued messages move onto @msgs, and its spare buffers onto @spares,
 * for the caller to free outside ch->lock. The dropped messages leave MSGS
 * and BYTES but are not received (RECV_MSGS, RECV_BYTES). A receive holds
 * its file, so none is in flight here; if one were, nothing is dropped and
 * all waits for chan_free(), as before. The messages move one by one, so
 * that one a sender still waits for can be left for it to withdraw.
 */
static void chan_drop_queue(struct ipcchan_chan *ch, struct list_head *msgs,
			    struct list_head *spares)
	__must_hold(&ch->lock)
{
	struct ipcchan_msg *msg, *tmp;

	if (ch->inflight)
		return;
	list_for_each_entry_safe(msg, tmp, &ch->queue, node) {
		/* Its synchronous sender withdraws it (EPIPE), woken below. */
		if (msg->sync)
			continue;
		list_move_tail(&msg->node, msgs);
		ch->msgs--;
		ch->bytes -= msg->len;
	}
	list_splice_init(&ch->spares, spares);
	WRITE_ONCE(ch->nr_spares, 0);
}

/*
 * Counts a file of @ch out: as a sender if @send, a receiver if @recv.
 * Wakes and announces the hang-ups it makes.
 */
static void chan_file_gone(struct ipcchan_chan *ch, bool send, bool recv)
{
	bool last_sender = false, last_receiver = false;
	struct ipcchan_msg *msg, *tmp;
	LIST_HEAD(spares);
	LIST_HEAD(msgs);

	spin_lock(&ch->lock);
	if (send)
		last_sender = !--ch->senders;
	if (recv)
		last_receiver = !--ch->receivers;
	/* Hang-up for the synchronous senders waiting (kmod/chan_sync.c). */
	ch->recv_gone += last_receiver;
	if (last_receiver && ipcchan_obj_unnamed(&ch->obj))
		chan_drop_queue(ch, &msgs, &spares);
	ch->files--;
	spin_unlock(&ch->lock);

	list_for_each_entry_safe(msg, tmp, &msgs, node)
		ipcchan_msg_free(msg);
	list_for_each_entry_safe(msg, tmp, &spares, node)
		ipcchan_spare_free(ch, msg);

	if (last_sender) {
		ipcchan_chan_wake_all(ch, true, EPOLLHUP);
		ipcchan_obj_event(&ch->obj, IPCCHAN_EVENT_LAST_SENDER_GONE);
	}
	if (last_receiver) {
		ipcchan_chan_wake_all(ch, false, EPOLLERR);
		ipcchan_obj_event(&ch->obj, IPCCHAN_EVENT_LAST_RECEIVER_GONE);
	}
}

static int chan_release(struct inode *inode, struct file *file)
{
	struct chan_file *cf = file->private_data;
	struct ipcchan_chan *ch = cf->ch, *tx = cf->tx;
	bool send = file->f_mode & FMODE_WRITE;
	bool recv = file->f_mode & FMODE_READ;

	if (tx == ch) {
		chan_file_gone(ch, send, recv);
	} else {
		chan_file_gone(ch, false, recv);
		chan_file_gone(tx, send, false);
		ipcchan_obj_put(&tx->obj);
	}
	ipcchan_user_put(cf->user);
	kfree(cf);
	ipcchan_obj_put(&ch->obj);
	return 0;
}

static const struct file_operations chan_fops = {
	.owner = THIS_MODULE,
	.release = chan_release,
	.read = chan_read,
	.write = chan_write,
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
	ipcchan_chan_wake_all(ch, true, EPOLLHUP);
	ipcchan_chan_wake_all(ch, false, EPOLLERR);
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
		ipcchan_msg_free(msg);
	list_for_each_entry_safe(msg, tmp, &ch->spares, node)
		ipcchan_spare_free(ch, msg);
	if (ch->hot_spare)
		ipcchan_spare_free(ch, ch->hot_spare);
	ipcchan_user_put(ch->owner);
	kfree_rcu(ch, obj.rcu);
}

static int chan_fill(struct ipcchan_obj *obj, struct sk_buff *skb)
{
	struct ipcchan_chan *ch = to_chan(obj);
	struct chan_stats snap;

	chan_snapshot(ch, &snap);

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
	    nla_put_u64_64bit(skb, IPCCHAN_A_REJECTED, snap.rejected,
			      IPCCHAN_A_PAD) ||
	    nla_put_u32(skb, IPCCHAN_A_SENDERS, snap.senders) ||
	    nla_put_u32(skb, IPCCHAN_A_RECEIVERS, snap.receivers) ||
	    nla_put_u32(skb, IPCCHAN_A_BLOCKED_SENDERS, snap.blocked_senders) ||
	    nla_put_u32(skb, IPCCHAN_A_BLOCKED_RECEIVERS,
			snap.blocked_receivers) ||
	    nla_put_u32(skb, IPCCHAN_A_CHAN_FLAGS, chan_flags(ch)) ||
	    nla_put_u64_64bit(skb, IPCCHAN_A_PEER_ID, ch->peer_id,
			      IPCCHAN_A_PAD))
		return -EMSGSIZE;
	return 0;
}

/*
 * A new channel's limits: checked, and completed in @uargs with their
 * defaults.
 */
static int chan_open_create(void *uargs)
{
	struct ipcchan_chan_open *args = uargs;

	args->max_msg_size = args->max_msg_size ?: ipcchan_default_msg_size();
	args->max_msgs = args->max_msgs ?: ipcchan_default_msgs();

	if (args->mode & ~0777)
		return -EINVAL;
	if (args->max_msg_size > ipcchan_limit_msg_size() ||
	    args->max_msgs > ipcchan_limit_msgs())
		return -EINVAL;
	if (!args->max_bytes)
		args->max_bytes = min(max_t(u64, (u64)args->max_msg_size *
					    args->max_msgs,
					    args->max_msg_size),
				      ipcchan_limit_bytes());
	if (args->max_bytes > ipcchan_limit_bytes() ||
	    args->max_bytes < args->max_msg_size)
		return -EINVAL;
	return 0;
}

static struct ipcchan_obj *chan_alloc(struct ipcchan_open_req *req)
{
	const struct ipcchan_chan_open *args = req->args;
	struct ipcchan_chan *ch;

	ch = kzalloc(sizeof(*ch), GFP_KERNEL_ACCOUNT);
	if (!ch)
		return ERR_PTR(-ENOMEM);

	ipcchan_obj_init(&ch->obj, &req->key, req->kind, req->ctl->f_cred,
			 args->mode);
	ch->owner = ipcchan_user_ref(req->user);
	spin_lock_init(&ch->lock);
	INIT_LIST_HEAD(&ch->queue);
	INIT_LIST_HEAD(&ch->spares);
	INIT_LIST_HEAD(&ch->idle_recv);
	init_waitqueue_head(&ch->recv_wait);
	init_waitqueue_head(&ch->send_wait);
	init_waitqueue_head(&ch->recv_poll);
	init_waitqueue_head(&ch->send_poll);
	ch->next_seq = 1;
	ch->max_msg_size = args->max_msg_size;
	ch->max_msgs = args->max_msgs;
	ch->max_bytes = args->max_bytes;
	ch->rendezvous = args->flags & IPCCHAN_OPEN_RENDEZVOUS;
	return &ch->obj;
}

/*
 * A channel file's own data: it sends to @tx, or to @obj if @tx is NULL;
 * @user, if not NULL, is charged for what a file with FMODE_WRITE sends,
 * and @uid is their sender uid.
 */
static void chan_file_init(void *priv, struct ipcchan_obj *obj,
			   struct ipcchan_obj *tx, fmode_t fmode,
			   struct ipcchan_user *user, kuid_t uid)
{
	struct chan_file *cf = priv;

	cf->ch = to_chan(obj);
	cf->tx = tx ? to_chan(tx) : cf->ch;
	if (cf->tx != cf->ch)
		ipcchan_obj_get(&cf->tx->obj);
	cf->user = ipcchan_user_ref(user);
	cf->uid = uid;
}

static void chan_file_fini(void *priv)
{
	struct chan_file *cf = priv;

	if (cf->tx != cf->ch)
		ipcchan_obj_put(&cf->tx->obj);
	ipcchan_user_put(cf->user);
}

/* Counts a file of @ch in: as a sender if @send, a receiver if @recv. */
static void chan_file_count(struct ipcchan_chan *ch, bool send, bool recv)
{
	spin_lock(&ch->lock);
	if (send) {
		ch->senders++;
		ch->had_sender = true;
	}
	if (recv)
		ch->receivers++;
	ch->files++;
	spin_unlock(&ch->lock);
}

static void chan_file_opened(struct file *file)
{
	struct chan_file *cf = file->private_data;
	bool send = file->f_mode & FMODE_WRITE;
	bool recv = file->f_mode & FMODE_READ;

	if (cf->tx == cf->ch) {
		chan_file_count(cf->ch, send, recv);
	} else {
		chan_file_count(cf->ch, false, recv);
		chan_file_count(cf->tx, send, false);
	}
}

static int chan_open_check(void *uargs, struct ipcchan_open_req *req)
{
	const struct ipcchan_chan_open *args = uargs;
	u32 flags = args->flags;

	if (flags & ~IPCCHAN_OPEN_ALL || args->__reserved)
		return -EINVAL;
	if (!(flags & (IPCCHAN_OPEN_RECV | IPCCHAN_OPEN_SEND)))
		return -EINVAL;
	req->name = args->name;
	req->flags = flags;
	if (flags & IPCCHAN_OPEN_CREATE)
		return 0;
	if ((flags & (IPCCHAN_OPEN_EXCL | IPCCHAN_OPEN_RENDEZVOUS)) ||
	    args->mode || args->max_msg_size ||
	    args->max_msgs || args->max_bytes)
		return -EINVAL;
	return 0;
}

/*
 * Sets the limits of @ch: each of them that is not 0. The new limits are
 * checked as at creation. What is queued stays queued. Returns 0 or -EINVAL.
 */
static int chan_set_limits(struct ipcchan_chan *ch, u64 max_msg_size,
			   u64 max_msgs, u64 max_bytes)
{
	int ret = 0;

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
	 * only those that ipcchan_chan_wake_send() finds room for.
	 */
	if (!ret) {
		if (wq_has_sleeper(&ch->send_wait))
			__wake_up(&ch->send_wait, TASK_INTERRUPTIBLE, 0, NULL);
		ipcchan_chan_wake_send(ch, 0);
	}
	return ret;
}

static u64 attr_u64(struct nlattr **attrs, int type)
{
	struct nlattr *a = attrs[type];

	if (!a)
		return 0;
	return type == IPCCHAN_A_MAX_BYTES ? nla_get_u64(a) : nla_get_u32(a);
}

/* IPCCHAN_CMD_SET: absent or 0 keeps a limit. */
static int chan_set(struct ipcchan_obj *obj, struct nlattr **attrs,
		    struct netlink_ext_ack *extack)
{
	int ret;

	ret = chan_set_limits(to_chan(obj),
			      attr_u64(attrs, IPCCHAN_A_MAX_MSG_SIZE),
			      attr_u64(attrs, IPCCHAN_A_MAX_MSGS),
			      attr_u64(attrs, IPCCHAN_A_MAX_BYTES));
	if (ret)
		NL_SET_ERR_MSG(extack,
			       "a limit above the module's bound, or max_bytes below max_msg_size");
	return ret;
}

static unsigned int max_channels = 65536;
module_param(max_channels, uint, 0644);
MODULE_PARM_DESC(max_channels,
		 "Most channels that may exist at once, named or not");

static unsigned int max_channels_per_user = 1024;
module_param(max_channels_per_user, uint, 0644);
MODULE_PARM_DESC(max_channels_per_user,
		 "Most channels one user, with the uids of its user namespaces, or one user namespace that root owns, may own at once");

static const struct ipcchan_kind_desc chan_kind = {
	.name = "channel",
	.kind = IPCCHAN_KIND_CHANNEL,
	.features = IPCCHAN_FEAT_CHANNEL | IPCCHAN_FEAT_BATCH |
		    IPCCHAN_FEAT_TIMEOUT | IPCCHAN_FEAT_RW | IPCCHAN_FEAT_HANDLE |
		    IPCCHAN_FEAT_PACKED | IPCCHAN_FEAT_PAIR | IPCCHAN_FEAT_SYNC,
	.open_cmd = IPCCHAN_IOC_CHAN_OPEN,
	.open_size_ver0 = IPCCHAN_CHAN_OPEN_SIZE_VER0,
	.open_check = chan_open_check,
	.open_create = chan_open_create,
	.may_read = IPCCHAN_OPEN_RECV,
	.may_write = IPCCHAN_OPEN_SEND,
	.alloc = chan_alloc,
	.file_name = "[ipcchan]",
	.fops = &chan_fops,
	.file_size = sizeof(struct chan_file),
	.file_init = chan_file_init,
	.file_fini = chan_file_fini,
	.file_opened = chan_file_opened,
	.unlinked = chan_unlinked,
	.free = chan_free,
	.max_objects = &max_channels,
	.max_objects_per_user = &max_channels_per_user,
	.fill = chan_fill,
	.set = chan_set,
	.handle = false,
};

/*
 * A new unnamed channel counts as unlinked from the start (hang-up), and
 * the two of a pair know each other.
 */
static void chan_link(struct ipcchan_obj *objs[2], const u64 ids[2])
{
	struct ipcchan_chan *a = to_chan(objs[0]);
	struct ipcchan_chan *b = objs[1] ? to_chan(objs[1]) : NULL;

	a->unlinked = true;
	if (!b)
		return;
	b->unlinked = true;
	a->peer_id = ids[1];
	b->peer_id = ids[0];
}

#define CHAN_PAIR_FLAGS	(IPCCHAN_OPEN_NONBLOCK | IPCCHAN_OPEN_CLOEXEC | \
			 IPCCHAN_OPEN_RENDEZVOUS)

/**
 * ipcchan_chan_ioctl_pair() - IPCCHAN_IOC_CHAN_PIPE and _CHAN_PAIR
 * @ctl: the /dev/ipcchan file, whose credentials own the channels
 * @cmd: the command
 * @uarg: its struct ipcchan_chan_pair
 *
 * The channels are made as CHAN_OPEN would make named ones, from a struct
 * ipcchan_chan_open that has no name, mode 0600, and the limits and flags
 * of @uarg (an open flag that channels do not know yet is EINVAL there).
 *
 * Return: 0, or -EFAULT, -EINVAL, -E2BIG, or what ipcchan_unnamed_make()
 * returns.
 */
long ipcchan_chan_ioctl_pair(struct file *ctl, unsigned int cmd,
			     void __user *uarg)
{
	static const fmode_t pipe_modes[2] = { FMODE_READ, FMODE_WRITE };
	static const fmode_t pair_modes[2] = { FMODE_READ | FMODE_WRITE,
					       FMODE_READ | FMODE_WRITE };
	bool pair = IPCCHAN_IOC_NOSIZE(cmd) ==
		    IPCCHAN_IOC_NOSIZE(IPCCHAN_IOC_CHAN_PAIR);
	struct ipcchan_chan_pair args;
	struct ipcchan_chan_open open;
	struct ipcchan_unnamed u;
	int ret;

	ret = ipcchan_get_arg(&args, sizeof(args), IPCCHAN_CHAN_PAIR_SIZE_VER0,
			      cmd, uarg);
	if (ret)
		return ret;
	if (args.flags & ~CHAN_PAIR_FLAGS)
		return -EINVAL;
	open = (struct ipcchan_chan_open) {
		.size = sizeof(open),
		.flags = args.flags | IPCCHAN_OPEN_CREATE | IPCCHAN_OPEN_RECV |
			 IPCCHAN_OPEN_SEND,
		.mode = 0600,
		.max_msg_size = args.max_msg_size,
		.max_msgs = args.max_msgs,
		.max_bytes = args.max_bytes,
	};
	ret = ipcchan_unnamed_make(&u, ctl, &chan_kind, &open, pair ? 2 : 1,
				   pair ? pair_modes : pipe_modes, chan_link);
	if (ret)
		return ret;
	args.fds[0] = u.fds[0];
	args.fds[1] = u.fds[1];
	args.ids[0] = u.ids[0];
	args.ids[1] = u.ids[pair ? 1 : 0];
	/* As pipe2(): the fds are installed only once the caller has them. */
	ret = ipcchan_put_arg(uarg, &args, sizeof(args), cmd);
	ipcchan_unnamed_end(&u, !ret);
	return ret;
}

int ipcchan_chan_init(void)
{
	return ipcchan_kind_register(&chan_kind);
}

void ipcchan_chan_uninit(void)
{
	ipcchan_kind_unregister(&chan_kind);
}
