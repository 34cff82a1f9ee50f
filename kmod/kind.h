/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IPCCHAN_KIND_H
#define _IPCCHAN_KIND_H

#include <linux/types.h>
#include <linux/uidgid.h>

#include "registry.h"

struct file;
struct ipcchan_user;

/**
 * struct ipcchan_open_req - opening an object by name, for any kind
 * @ctl: the /dev/ipcchan file, whose saved credentials decide
 * @kind: the kind
 * @args: the kind's argument struct, checked and completed: @buf
 * @name: the name in @args, set by the kind's open_check
 * @flags: the IPCCHAN_OPEN_* flags of @args, set by the kind's open_check
 * @key: kind and name, checked
 * @mask: MAY_READ and/or MAY_WRITE, checked on an existing object
 * @user: the opener's accounting record while the open runs, or NULL when
 *	  CAP_SYS_RESOURCE exempts it from per-user limits
 * @buf: the request's copy of the argument struct
 */
struct ipcchan_open_req {
	struct file *ctl;
	const struct ipcchan_kind_desc *kind;
	void *args;
	const char *name;
	u32 flags;
	struct ipcchan_key key;
	int mask;
	struct ipcchan_user *user;
	u64 buf[IPCCHAN_OPEN_ARGS_MAX / sizeof(u64)];
};

int ipcchan_open(struct file *ctl, const struct ipcchan_kind_desc *kind,
		 const void *args);
struct file *ipcchan_open_file(struct file *ctl,
			       const struct ipcchan_kind_desc *kind,
			       const void *args);

/* Links the new objects of ipcchan_unnamed_make(), which will have @ids. */
typedef void (*ipcchan_link_fn)(struct ipcchan_obj *objs[2], const u64 ids[2]);

/**
 * struct ipcchan_unnamed - objects without names, and two files of them
 * @objs: the objects, @nr of them, with the maker's references
 * @files: the two files, not installed yet
 * @ids: the id each object will be listed under
 * @fds: the fd reserved for each file
 * @nr: 1 or 2
 */
struct ipcchan_unnamed {
	struct ipcchan_obj *objs[2];
	struct file *files[2];
	u64 ids[2];
	int fds[2];
	u32 nr;
};

int ipcchan_unnamed_make(struct ipcchan_unnamed *u, struct file *ctl,
			 const struct ipcchan_kind_desc *kind, const void *args,
			 u32 nr, const fmode_t fmode[2], ipcchan_link_fn link);
void ipcchan_unnamed_end(struct ipcchan_unnamed *u, bool install);

struct file *ipcchan_obj_file(struct ipcchan_obj *obj,
			      struct ipcchan_obj *tx, fmode_t fmode,
			      bool nonblock, struct ipcchan_user *user,
			      kuid_t uid);

struct ipcchan_obj *ipcchan_handle_get(struct file *file, fmode_t *fmode);
struct file *ipcchan_handle_file(struct ipcchan_obj *obj, fmode_t fmode);

#endif /* _IPCCHAN_KIND_H */
