// SPDX-License-Identifier: GPL-2.0
/*
 * Handles: a region attached to a message of a channel, charged to its
 * sender, and made into a file for the receiver as the sender would have
 * made it (see "Handles" in the uapi header).
 */

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/err.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "chan_internal.h"
#include "kind.h"
#include "limits.h"
#include "message.h"
#include "registry.h"

#define HANDLE_GFP	(GFP_KERNEL_ACCOUNT | __GFP_RETRY_MAYFAIL | __GFP_NOWARN)

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

void ipcchan_msg_handle_free(struct msg_handle *h)
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

/*
 * Attaches src->handle to @msg, charging HANDLE_COST to the sender of @cf:
 * the region with a reference, the access, and handle_cred().
 */
int ipcchan_msg_handle_attach(struct chan_file *cf, struct ipcchan_msg *msg,
			      const struct xfer_buf *src)
{
	struct msg_handle *h;
	int ret;

	ret = ipcchan_bytes_charge(cf->user, HANDLE_COST);
	if (ret)
		return chan_reject(cf->tx, ret);
	h = kzalloc(sizeof(*h), HANDLE_GFP);
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
		ipcchan_msg_handle_free(h);
		return -ENOMEM;
	}
	msg->handle = h;
	return 0;
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
int ipcchan_msg_handle_install(struct file *hfile, int __user *ufd)
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
 * rmmod), and no memory beyond the message's own. *@kind is the kind of
 * the handle's object.
 */
struct file *ipcchan_msg_handle_file(const struct msg_handle *h, u32 *kind)
{
	const struct cred *old = override_creds(h->cred);
	struct file *file;

	file = ipcchan_handle_file(h->obj, h->fmode);
	revert_creds(old);
	*kind = h->obj->key.kind;
	return file;
}
