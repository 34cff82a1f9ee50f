// SPDX-License-Identifier: GPL-2.0
/*
 * What every kind of object shares, driven by its descriptor (struct
 * ipcchan_kind_desc): opening an object by name, with its IPCCHAN_IOC_*_OPEN
 * argument struct; making a file of an object; and passing a file as a
 * handle in a message.
 *
 * An open goes the same way for every kind: the kind checks its argument
 * struct, the name is checked, the kind checks what a new object would be
 * made with, and then the object is found, or made and named, and a file
 * made for it. The kind's open flags give the access asked for, which the
 * object's mode must grant, and the access of the file.
 */

#include <linux/anon_inodes.h>
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/err.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/ioctl.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "kind.h"
#include "kunit.h"
#include "limits.h"

/**
 * ipcchan_obj_file() - make a new file of an object
 * @obj: the object; the file takes over the caller's reference to it on
 *	 success only
 * @tx: the object the file sends to, when not @obj (an end of a pair: the
 *	other direction); NULL otherwise
 * @fmode: the file's access, FMODE_READ and/or FMODE_WRITE
 * @nonblock: the file is O_NONBLOCK
 * @user: the record its sends are charged to, or NULL
 * @uid: the sender uid of what it sends
 *
 * Return: the file, or an ERR_PTR (-ENOMEM, -ENFILE).
 */
struct file *ipcchan_obj_file(struct ipcchan_obj *obj,
			      struct ipcchan_obj *tx, fmode_t fmode,
			      bool nonblock, struct ipcchan_user *user,
			      kuid_t uid)
{
	const struct ipcchan_kind_desc *kind = obj->kind;
	struct file *file;
	void *priv;
	int oflags;

	if (fmode & FMODE_WRITE)
		oflags = fmode & FMODE_READ ? O_RDWR : O_WRONLY;
	else
		oflags = O_RDONLY;
	if (nonblock)
		oflags |= O_NONBLOCK;

	priv = kzalloc(kind->file_size, GFP_KERNEL_ACCOUNT);
	if (!priv)
		return ERR_PTR(-ENOMEM);
	kind->file_init(priv, obj, tx, fmode, user, uid);
	file = anon_inode_getfile(kind->file_name, kind->fops, priv, oflags);
	if (IS_ERR(file)) {
		if (kind->file_fini)
			kind->file_fini(priv);
		kfree(priv);
		return file;
	}
	stream_open(file_inode(file), file);
	kind->file_opened(file);
	return file;
}

/* The file an open of @req makes for @obj. */
static struct file *open_req_file(struct ipcchan_open_req *req,
				  struct ipcchan_obj *obj)
{
	fmode_t fmode = (req->mask & MAY_READ ? FMODE_READ : 0) |
			(req->mask & MAY_WRITE ? FMODE_WRITE : 0);

	return ipcchan_obj_file(obj, NULL, fmode,
				req->flags & IPCCHAN_OPEN_NONBLOCK, req->user,
				req->ctl->f_cred->fsuid);
}

/*
 * Makes a new object for @req: its count and its bytes are charged to the
 * opener first, and stay charged, to the object, until it is freed.
 */
static struct ipcchan_obj *open_req_alloc(struct ipcchan_open_req *req)
{
	const struct ipcchan_kind_desc *kind = req->kind;
	u64 bytes = kind->cost ? kind->cost(req->args) : 0;
	struct ipcchan_obj *obj;
	int ret;

	ret = ipcchan_objects_charge(req->user, kind);
	if (ret)
		return ERR_PTR(ret);
	if (bytes) {
		ret = ipcchan_bytes_charge(req->user, bytes);
		if (ret)
			goto out_count;
	}
	obj = kind->alloc(req);
	if (IS_ERR(obj)) {
		ret = PTR_ERR(obj);
		goto out_bytes;
	}
	obj->charged = true;
	obj->owner = ipcchan_user_ref(req->user);
	obj->bytes = bytes;
	return obj;

out_bytes:
	if (bytes)
		ipcchan_bytes_uncharge(req->user, bytes);
out_count:
	ipcchan_objects_uncharge(req->user, kind);
	return ERR_PTR(ret);
}

/*
 * Finds or creates the object and makes a file for it. A new object gets its
 * file before it gets its name, so that no failure can leave behind a named
 * object that nobody asked for.
 */
static struct file *obj_open_file(struct ipcchan_open_req *req)
{
	bool excl = req->flags & IPCCHAN_OPEN_EXCL;
	struct ipcchan_obj *new, *obj;
	struct file *file;
	int ret;

	ret = ipcchan_registry_open(&req->key, NULL, excl, &obj);
	if (ret == -ENOENT && (req->flags & IPCCHAN_OPEN_CREATE)) {
		new = open_req_alloc(req);
		if (IS_ERR(new))
			return ERR_CAST(new);
		file = open_req_file(req, new);
		if (IS_ERR(file)) {
			ipcchan_obj_put(new);
			return file;
		}
		ret = ipcchan_registry_open(&req->key, new, excl, &obj);
		if (ret == 1)
			return file;
		/* Somebody else named it first. */
		fput(file);
	}
	if (ret < 0)
		return ERR_PTR(ret);

	/* Never adopt another uid's object by mistake: see IPCCHAN_OPEN_ADOPT. */
	if ((req->flags & (IPCCHAN_OPEN_CREATE | IPCCHAN_OPEN_ADOPT)) ==
	    IPCCHAN_OPEN_CREATE && !uid_eq(obj->uid, req->ctl->f_cred->fsuid)) {
		ret = -EEXIST;
		goto out_put;
	}
	ret = ipcchan_obj_permission(obj, req->ctl, req->mask);
	if (ret)
		goto out_put;
	file = open_req_file(req, obj);
	if (IS_ERR(file)) {
		ret = PTR_ERR(file);
		goto out_put;
	}
	return file;

out_put:
	ipcchan_obj_put(obj);
	return ERR_PTR(ret);
}

/* Sets req->user: the opener's record, or NULL when exempt. */
static int open_req_user(struct ipcchan_open_req *req)
{
	req->user = NULL;
	if (file_ns_capable(req->ctl, &init_user_ns, CAP_SYS_RESOURCE))
		return 0;
	req->user = ipcchan_user_of(req->ctl->f_cred);
	if (IS_ERR(req->user)) {
		int ret = PTR_ERR(req->user);

		req->user = NULL;
		return ret;
	}
	return 0;
}

/*
 * Opens, or creates, the named object of a checked request. With
 * IPCCHAN_OPEN_CREATE and without IPCCHAN_OPEN_ADOPT, an existing object
 * owned by another uid than the opener's fsuid is refused with -EEXIST, as
 * with IPCCHAN_OPEN_EXCL (obj_open_file()). IPCCHAN_OPEN_ADOPT needs
 * IPCCHAN_OPEN_CREATE and excludes IPCCHAN_OPEN_EXCL (-EINVAL).
 */
static struct file *open_req_run(struct ipcchan_open_req *req)
{
	struct file *file;
	int ret;

	if ((req->flags & IPCCHAN_OPEN_ADOPT) &&
	    (req->flags & (IPCCHAN_OPEN_CREATE | IPCCHAN_OPEN_EXCL)) !=
	    IPCCHAN_OPEN_CREATE)
		return ERR_PTR(-EINVAL);
	ret = open_req_user(req);
	if (ret)
		return ERR_PTR(ret);
	file = obj_open_file(req);
	ipcchan_user_put(req->user);
	req->user = NULL;
	return file;
}

/*
 * Checks the request: the kind's flags, the name, then a creation's. With
 * @named false, the request makes objects without a name (its key has the
 * empty name, which no open can give).
 */
static int open_req_init(struct ipcchan_open_req *req, struct file *ctl,
			 const struct ipcchan_kind_desc *kind, const void *args,
			 bool named)
{
	int ret;

	*req = (struct ipcchan_open_req) {
		.ctl = ctl,
		.kind = kind,
		.key.kind = kind->kind,
	};
	req->args = memcpy(req->buf, args, _IOC_SIZE(kind->open_cmd));
	ret = kind->open_check(req->args, req);
	if (ret)
		return ret;
	ret = named ? ipcchan_key_init(&req->key, kind->kind, req->name) : 0;
	if (ret)
		return ret;
	if ((req->flags & IPCCHAN_OPEN_CREATE) && kind->open_create) {
		ret = kind->open_create(req->args);
		if (ret)
			return ret;
	}
	if (req->flags & kind->may_read)
		req->mask |= MAY_READ;
	if (req->flags & kind->may_write)
		req->mask |= MAY_WRITE;
	return 0;
}

/**
 * ipcchan_open_file() - IPCCHAN_IOC_*_OPEN, without the fd
 * @ctl: the /dev/ipcchan file, whose credentials decide
 * @kind: the kind to open
 * @args: its argument struct, copied in
 *
 * Return: the file, or ERR_PTR(-EINVAL, -ENAMETOOLONG, -EEXIST, -ENOENT,
 * -EACCES, -ENOMEM, -EINTR, -ENOSPC, or what the kind's alloc returns).
 */
struct file *ipcchan_open_file(struct file *ctl,
			       const struct ipcchan_kind_desc *kind,
			       const void *args)
{
	struct ipcchan_open_req req;
	int ret;

	ret = open_req_init(&req, ctl, kind, args, true);
	return ret ? ERR_PTR(ret) : open_req_run(&req);
}
EXPORT_SYMBOL_IPCCHAN_KUNIT(ipcchan_open_file);

/**
 * ipcchan_open() - IPCCHAN_IOC_*_OPEN: open an object by name, as a new fd
 * @ctl: the /dev/ipcchan file, whose credentials decide
 * @kind: the kind to open
 * @args: its argument struct, copied in
 *
 * The fd is reserved once the request is checked and before the object is
 * looked up, so that running out of fds cannot leave behind a new named
 * object.
 *
 * Return: the fd, or -EMFILE, or what ipcchan_open_file() returns.
 */
int ipcchan_open(struct file *ctl, const struct ipcchan_kind_desc *kind,
		 const void *args)
{
	struct ipcchan_open_req req;
	struct file *file;
	int fd;

	fd = open_req_init(&req, ctl, kind, args, true);
	if (fd)
		return fd;
	fd = get_unused_fd_flags(req.flags & IPCCHAN_OPEN_CLOEXEC ?
				 O_CLOEXEC : 0);
	if (fd < 0)
		return fd;
	file = open_req_run(&req);
	if (IS_ERR(file)) {
		put_unused_fd(fd);
		return PTR_ERR(file);
	}
	fd_install(fd, file);
	return fd;
}

/**
 * ipcchan_unnamed_make() - new objects without names, and two files of them
 * @u: out: the objects, their files, and a reserved fd for each file
 * @ctl: the /dev/ipcchan file, whose credentials own the objects and are
 *	 charged for them
 * @kind: their kind
 * @args: its IPCCHAN_IOC_*_OPEN argument struct, with IPCCHAN_OPEN_CREATE
 *	  and an empty name, which makes each object
 * @nr: 1: both files are of one object; 2: file i is of object i and
 *	sends to the other (an end of a pair)
 * @fmode: the access of each file
 * @link: called with the @nr objects and the ids they will have, before
 *	  their files are made; or NULL
 *
 * Both fds are reserved first, and both files made before either fd is
 * installed (ipcchan_unnamed_end()), so that a failure leaves nothing
 * behind: no fd, no object, no charge, and no event (the objects are
 * listed, and announced, only then). Each object has mode 0600 and counts
 * against the limits as a named one does.
 *
 * Return: 0, or -EMFILE, -ENFILE, -ENOSPC, -ENOMEM, or what the kind's
 * open_check, open_create and alloc return, with nothing left to end.
 */
int ipcchan_unnamed_make(struct ipcchan_unnamed *u, struct file *ctl,
			 const struct ipcchan_kind_desc *kind, const void *args,
			 u32 nr, const fmode_t fmode[2], ipcchan_link_fn link)
{
	struct ipcchan_open_req req;
	struct ipcchan_obj *obj;
	int i, ret;

	*u = (struct ipcchan_unnamed) { .nr = nr, .fds = { -1, -1 } };
	ret = open_req_init(&req, ctl, kind, args, false);
	if (ret)
		return ret;
	for (i = 0; i < 2; i++) {
		ret = get_unused_fd_flags(req.flags & IPCCHAN_OPEN_CLOEXEC ?
					  O_CLOEXEC : 0);
		if (ret < 0)
			goto out;
		u->fds[i] = ret;
	}
	ret = open_req_user(&req);
	if (ret)
		goto out;
	for (i = 0; i < nr; i++) {
		ret = ipcchan_registry_reserve_id(&u->ids[i]);
		if (ret)
			goto out;
		obj = open_req_alloc(&req);
		if (IS_ERR(obj)) {
			ret = PTR_ERR(obj);
			goto out;
		}
		obj->mode = 0600;
		u->objs[i] = obj;
	}
	if (link)
		link(u->objs, u->ids);
	for (i = 0; i < 2; i++) {
		obj = u->objs[nr == 1 ? 0 : i];
		ipcchan_obj_get(obj);
		/* An end of a pair sends to the other's object. */
		u->files[i] = ipcchan_obj_file(obj,
					       nr == 1 ? NULL : u->objs[1 - i],
					       fmode[i],
					       req.flags & IPCCHAN_OPEN_NONBLOCK,
					       req.user, ctl->f_cred->fsuid);
		if (IS_ERR(u->files[i])) {
			ret = PTR_ERR(u->files[i]);
			u->files[i] = NULL;
			ipcchan_obj_put(obj);
			goto out;
		}
	}
	ret = 0;
out:
	ipcchan_user_put(req.user);
	if (ret)
		ipcchan_unnamed_end(u, false);
	return ret;
}

/**
 * ipcchan_unnamed_end() - install the fds of ipcchan_unnamed_make(), or not
 * @u: what ipcchan_unnamed_make() made
 * @install: list the objects and install their fds; false: undo it all
 */
void ipcchan_unnamed_end(struct ipcchan_unnamed *u, bool install)
{
	int i;

	for (i = 0; i < u->nr && install; i++) {
		ipcchan_registry_list(u->objs[i], u->ids[i]);
		u->ids[i] = 0;
	}
	for (i = 0; i < 2; i++) {
		if (u->files[i] && install)
			fd_install(u->fds[i], u->files[i]);
		else if (u->files[i])
			fput(u->files[i]);
		if (u->fds[i] >= 0 && !install)
			put_unused_fd(u->fds[i]);
		if (u->objs[i])
			ipcchan_obj_put(u->objs[i]);
		if (u->ids[i])
			ipcchan_registry_unreserve_id(u->ids[i]);
	}
}

/**
 * ipcchan_handle_get() - the object behind a fd sent as a handle
 * @file: the file of the fd
 * @fmode: out: its access, FMODE_READ and/or FMODE_WRITE
 *
 * Return: the object with a reference for the caller, or ERR_PTR(-EINVAL)
 * when @file is not a file of a kind that travels as a handle.
 */
struct ipcchan_obj *ipcchan_handle_get(struct file *file, fmode_t *fmode)
{
	const struct ipcchan_kind_desc *kind;
	struct ipcchan_obj *obj;
	u32 k;

	for (k = 1; k <= IPCCHAN_KIND_MAX; k++) {
		kind = ipcchan_kind_desc(k);
		if (!kind || !kind->handle || file->f_op != kind->fops)
			continue;
		obj = kind->file_obj(file);
		ipcchan_obj_get(obj);
		*fmode = file->f_mode & (FMODE_READ | FMODE_WRITE);
		return obj;
	}
	return ERR_PTR(-EINVAL);
}
EXPORT_SYMBOL_IPCCHAN_KUNIT(ipcchan_handle_get);

/**
 * ipcchan_handle_file() - a new file for an object received as a handle
 * @obj: the object, from ipcchan_handle_get()
 * @fmode: the access the sender's fd had
 *
 * The file is made under the current credentials, and charges nobody.
 *
 * Return: the file, which holds a reference of its own, or an ERR_PTR.
 */
struct file *ipcchan_handle_file(struct ipcchan_obj *obj, fmode_t fmode)
{
	struct file *file;

	ipcchan_obj_get(obj);
	file = ipcchan_obj_file(obj, NULL, fmode, false, NULL, current_fsuid());
	if (IS_ERR(file))
		ipcchan_obj_put(obj);
	return file;
}
EXPORT_SYMBOL_IPCCHAN_KUNIT(ipcchan_handle_file);
