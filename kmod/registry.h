/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IPCCHAN_REGISTRY_H
#define _IPCCHAN_REGISTRY_H

#include <linux/cred.h>
#include <linux/kref.h>
#include <linux/rhashtable-types.h>
#include <linux/types.h>
#include <linux/uidgid.h>
#include <linux/ipcchan.h>

struct file;
struct pid;
struct ipcchan_obj;

/* The table key: kind and zero-padded name, compared as raw bytes. */
struct ipcchan_key {
	u32 kind;
	char name[IPCCHAN_NAME_MAX];
};

/**
 * struct ipcchan_obj_ops - what each kind of object supplies
 * @unlinked: called once, after the name is gone, without registry locks
 * @free: frees the object once the last reference is dropped
 */
struct ipcchan_obj_ops {
	void (*unlinked)(struct ipcchan_obj *obj);
	void (*free)(struct ipcchan_obj *obj);
};

/**
 * struct ipcchan_obj - the part every named object shares
 * @node: link in the name table, while the object is named
 * @key: kind and name
 * @ref: one reference for the name, one for each open file and user
 * @ops: the kind's operations
 * @uid: owner
 * @gid: owning group
 * @mode: permission bits, 0777 mask
 * @creator: thread group that created the object
 */
struct ipcchan_obj {
	struct rhash_head node;
	struct ipcchan_key key;
	struct kref ref;
	const struct ipcchan_obj_ops *ops;
	kuid_t uid;
	kgid_t gid;
	umode_t mode;
	struct pid *creator;
};

int ipcchan_registry_init(void);
void ipcchan_registry_uninit(void);

int ipcchan_key_init(struct ipcchan_key *key, u32 kind,
		     const char name[IPCCHAN_NAME_MAX]);

void ipcchan_obj_init(struct ipcchan_obj *obj, const struct ipcchan_key *key,
		      const struct ipcchan_obj_ops *ops,
		      const struct cred *cred, umode_t mode);
void ipcchan_obj_get(struct ipcchan_obj *obj);
void ipcchan_obj_put(struct ipcchan_obj *obj);

int ipcchan_registry_open(const struct ipcchan_key *key,
			  struct ipcchan_obj *new, bool excl,
			  struct ipcchan_obj **found);
int ipcchan_registry_unlink(const struct ipcchan_key *key,
			    const struct file *ctl);

int ipcchan_obj_permission(const struct ipcchan_obj *obj,
			   const struct file *ctl, int mask);

#endif /* _IPCCHAN_REGISTRY_H */
