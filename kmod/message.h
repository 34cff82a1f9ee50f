/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IPCCHAN_MESSAGE_H
#define _IPCCHAN_MESSAGE_H

#include <linux/compiler_types.h>
#include <linux/list.h>
#include <linux/types.h>
#include <linux/uidgid.h>
#include <linux/ipcchan.h>

struct file;
struct iov_iter;
struct pid;
struct ipcchan_chan;
struct ipcchan_obj;
struct ipcchan_user;
struct chan_file;
struct msg_handle;
struct chan_sync;

struct ipcchan_msg {
	struct list_head node;
	struct pid *pid;
	struct ipcchan_user *user;	/* charged for @cost, or NULL */
	kuid_t uid;
	u32 len;
	u64 seq;
	u64 timestamp;
	struct msg_handle *handle;	/* attached region, or NULL */
	/* Its synchronous sender (chan_internal.h), under ch->lock; or NULL */
	struct chan_sync *sync;
	u8 *data;		/* inline_data, or a separate kvmalloc() */
	u8 inline_data[];
};

/*
 * Where a message comes from or goes to: an iov_iter, kernel memory (a
 * send only) or a user buffer, with a handle to attach (send) or a place to
 * report one (receive).
 */
struct xfer_buf {
	struct iov_iter *iter;
	const void *kbuf;	/* send: kernel memory to copy from, or NULL */
	void __user *buf;
	u32 len;
	struct ipcchan_msg_info __user *uinfo;
	struct ipcchan_obj *handle;
	fmode_t handle_fmode;
	struct ipcchan_recv __user *urecv;
};

struct ipcchan_msg *ipcchan_msg_make(struct chan_file *cf,
				     const struct xfer_buf *src,
				     struct list_head *spares, u32 *refs);
int ipcchan_msgs_make_packed(struct chan_file *cf, struct ipcchan_msg **msgs,
			     u32 *made, const u8 *recs, u32 n, u32 *used,
			     struct list_head *spares, u32 *refs);
void ipcchan_msg_refs_get(struct chan_file *cf, u32 n);
void ipcchan_msg_refs_put(struct chan_file *cf, u32 n);
int ipcchan_msg_deliver(const struct ipcchan_msg *msg,
			const struct xfer_buf *dst);
void ipcchan_msgs_retire(struct ipcchan_chan *ch, struct ipcchan_msg **msgs,
			 bool *keep, u32 n);
void ipcchan_msg_free(struct ipcchan_msg *msg);
u64 ipcchan_kv_cost(size_t size);
u32 ipcchan_msg_spare_len(void);
void ipcchan_msg_kfree(struct ipcchan_msg *msg);

int ipcchan_msg_handle_attach(struct chan_file *cf, struct ipcchan_msg *msg,
			      const struct xfer_buf *src);
void ipcchan_msg_handle_free(struct msg_handle *h);
struct file *ipcchan_msg_handle_file(const struct msg_handle *h, u32 *kind);
int ipcchan_msg_handle_install(struct file *hfile, int __user *ufd);

bool ipcchan_spare_keep(struct ipcchan_chan *ch, struct ipcchan_msg *msg)
	__must_hold(&ch->lock);
u32 ipcchan_spares_keep(struct ipcchan_chan *ch, struct ipcchan_msg **msgs,
			const bool *keep, u32 n)
	__must_hold(&ch->lock);
void ipcchan_spare_free(struct ipcchan_chan *ch, struct ipcchan_msg *msg);
u32 ipcchan_spares_take(struct ipcchan_chan *ch, struct list_head *spares,
			u32 n)
	__must_hold(&ch->lock);
void ipcchan_spares_put(struct ipcchan_chan *ch, struct list_head *spares);

#endif /* _IPCCHAN_MESSAGE_H */
