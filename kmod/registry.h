/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IPCCHAN_REGISTRY_H
#define _IPCCHAN_REGISTRY_H

#include <linux/bits.h>
#include <linux/cred.h>
#include <linux/kref.h>
#include <linux/limits.h>
#include <linux/rhashtable-types.h>
#include <linux/types.h>
#include <linux/uidgid.h>
#include <linux/ipcchan.h>

/*
 * The last id: the id table is indexed by unsigned long, so on a 32-bit
 * kernel ids stop at 2^32 - 1, and naming an object after that is refused
 * with ENOSPC. On 64-bit, U64_MAX stays free so that a dump cursor one past
 * the last id never wraps.
 */
#define IPCCHAN_ID_MAX	((u64)(BITS_PER_LONG == 64 ? ULONG_MAX - 1 : ULONG_MAX))

struct file;
struct pid;
struct sk_buff;
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
 * @fill: puts the kind's own netlink attributes; returns 0 or -EMSGSIZE
 *
 * @free must free the object's memory after an RCU grace period
 * (kfree_rcu() on @rcu): lookups read objects without a lock.
 */
struct ipcchan_obj_ops {
	void (*unlinked)(struct ipcchan_obj *obj);
	void (*free)(struct ipcchan_obj *obj);
	int (*fill)(struct ipcchan_obj *obj, struct sk_buff *skb);
};

/**
 * struct ipcchan_obj - the part every named object shares
 * @node: link in the name table, while the object is named
 * @key: kind and name
 * @id: given when it is named, from 1, never reused; 0 before
 * @ref: one reference for the name, one for each open file and user
 * @ops: the kind's operations
 * @uid: owner
 * @gid: owning group
 * @mode: permission bits, 0777 mask
 * @creator: thread group that created the object
 * @named: set while the object is in the name table
 * @rcu: for freeing the object after lockless lookups are done with it
 */
struct ipcchan_obj {
	struct rhash_head node;
	struct ipcchan_key key;
	u64 id;
	struct kref ref;
	const struct ipcchan_obj_ops *ops;
	kuid_t uid;
	kgid_t gid;
	umode_t mode;
	struct pid *creator;
	bool named;
	struct rcu_head rcu;
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
struct ipcchan_obj *ipcchan_registry_get(const struct ipcchan_key *key);
int ipcchan_registry_dump(u64 *pos, u32 kind,
			  int (*fn)(struct ipcchan_obj *obj, void *arg),
			  void *arg);

#if IS_ENABLED(CONFIG_KUNIT)
u64 ipcchan_registry_set_last_id(u64 id);
#endif

int ipcchan_obj_mode_rights(const struct ipcchan_obj *obj,
			    const struct cred *cred);
int ipcchan_obj_permission(const struct ipcchan_obj *obj,
			   const struct file *ctl, int mask);

struct ipcchan_user;

/**
 * struct ipcchan_open_req - opening an object by name, for any kind
 * @ctl: the /dev/ipcchan file, whose saved credentials decide
 * @key: kind and name
 * @flags: IPCCHAN_OPEN_* flags of the request, already checked
 * @mask: MAY_READ and/or MAY_WRITE, checked on an existing object
 * @user: set by ipcchan_obj_open_file() while it runs: the opener's
 *        accounting record, or NULL when CAP_SYS_RESOURCE exempts it from
 *        per-user limits
 * @alloc: makes a new object (with IPCCHAN_OPEN_CREATE only), charging @user
 * @file: makes a file for @obj; takes over the caller's reference to @obj
 *        on success only
 * @priv: the kind's own data for @alloc and @file
 */
struct ipcchan_open_req {
	struct file *ctl;
	const struct ipcchan_key *key;
	u32 flags;
	int mask;
	struct ipcchan_user *user;
	struct ipcchan_obj *(*alloc)(struct ipcchan_open_req *req);
	struct file *(*file)(struct ipcchan_obj *obj,
			     struct ipcchan_open_req *req);
	void *priv;
};

struct file *ipcchan_obj_open_file(struct ipcchan_open_req *req);
int ipcchan_obj_open(struct ipcchan_open_req *req);

#endif /* _IPCCHAN_REGISTRY_H */
