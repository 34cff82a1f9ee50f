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
struct netlink_ext_ack;
struct nlattr;
struct pid;
struct sk_buff;
struct ipcchan_obj;
struct ipcchan_open_req;
struct ipcchan_user;

/* The table key: kind and zero-padded name, compared as raw bytes. */
struct ipcchan_key {
	u32 kind;
	char name[IPCCHAN_NAME_MAX];
};

/* The largest argument struct of an IPCCHAN_IOC_*_OPEN command. */
#define IPCCHAN_OPEN_ARGS_MAX	128

/**
 * struct ipcchan_kind_desc - a kind of named object: what it is and supplies
 * @name: its name, as the tools show it
 * @kind: its uapi value, enum ipcchan_kind
 * @features: its IPCCHAN_FEAT_* bits, for IPCCHAN_IOC_VERSION
 * @open_cmd: the IPCCHAN_IOC_*_OPEN command of /dev/ipcchan that opens one;
 *	its size bits are sizeof its argument struct, at most
 *	IPCCHAN_OPEN_ARGS_MAX
 * @open_size_ver0: the first published size of that struct
 * @open_check: checks @args, the request's copy of the argument struct,
 *	and sets @req->name and @req->flags; called first, before the name
 *	is checked
 * @open_create: with IPCCHAN_OPEN_CREATE, after the name is checked,
 *	checks what a new object would be made with and completes @args
 *	with its defaults; may be NULL
 * @may_read: the open flags that ask for read access (MAY_READ, FMODE_READ)
 * @may_write: the open flags that ask for write access
 * @alloc: makes a new object for @req, from @req->args; kind.c has charged
 *	@req->user for it already, and uncharges it when the object goes
 * @cost: the bytes a new object is charged for, besides its count, from
 *	the checked argument struct; NULL for none
 * @file_name: the name of its files' anon inode
 * @fops: its files' operations
 * @file_size: the size of a file's private data, which kind.c allocates
 *	zeroed and the kind frees in @fops' release
 * @file_init: sets up @priv for a file of @obj with access @fmode, whose
 *	sends go to @tx if not NULL (an end of a pair), else to @obj, and are
 *	charged to @user (or nobody, when NULL) as @uid's
 * @file_fini: undoes @file_init when no file came of it; may be NULL
 * @file_opened: counts @file, made and about to be returned
 * @file_obj: the object of a file with @fops; needed with @handle only
 * @unlinked: called once, after the name is gone, without registry locks
 * @free: frees the object once the last reference is dropped
 * @max_objects: module parameter: how many may exist at once, named or not
 * @max_objects_per_user: module parameter: how many one user may own
 * @fill: puts the kind's own netlink attributes; returns 0 or -EMSGSIZE
 * @set: IPCCHAN_CMD_SET: changes the object's limits from @attrs, sets an
 *	extack message on failure; NULL if the kind has no limits to change
 * @handle: a file of the kind may travel in a message as a handle
 *	(IPCCHAN_XFER_HANDLE): the sender's file gives the object and the
 *	access, and the receiver gets a new file, made as an open makes it
 *	(@file_init without a user), with that access
 *
 * The count limits and @cost are charged by kind.c before @alloc, to the
 * opener, and uncharged when the object is freed, after @free.
 *
 * A kind registers its descriptor at module init, before the registry and
 * /dev/ipcchan start; the device, netlink, the limits and the handle path
 * reach the kind only through it. @free must free the object's memory after
 * an RCU grace period (kfree_rcu() on @rcu): lookups read objects without a
 * lock.
 */
struct ipcchan_kind_desc {
	const char *name;
	u32 kind;
	u64 features;

	unsigned int open_cmd;
	size_t open_size_ver0;
	int (*open_check)(void *args, struct ipcchan_open_req *req);
	int (*open_create)(void *args);
	u32 may_read;
	u32 may_write;
	struct ipcchan_obj *(*alloc)(struct ipcchan_open_req *req);
	u64 (*cost)(const void *args);

	const char *file_name;
	const struct file_operations *fops;
	size_t file_size;
	void (*file_init)(void *priv, struct ipcchan_obj *obj,
			  struct ipcchan_obj *tx, fmode_t fmode,
			  struct ipcchan_user *user, kuid_t uid);
	void (*file_fini)(void *priv);
	void (*file_opened)(struct file *file);
	struct ipcchan_obj *(*file_obj)(const struct file *file);

	void (*unlinked)(struct ipcchan_obj *obj);
	void (*free)(struct ipcchan_obj *obj);

	const unsigned int *max_objects;
	const unsigned int *max_objects_per_user;

	int (*fill)(struct ipcchan_obj *obj, struct sk_buff *skb);
	int (*set)(struct ipcchan_obj *obj, struct nlattr **attrs,
		   struct netlink_ext_ack *extack);

	bool handle;
};

/**
 * struct ipcchan_obj - the part every named object shares
 * @node: link in the name table, while the object is named
 * @key: kind and name
 * @id: given when it is named, or listed without a name (a pipe's or a
 *	pair's channel), from 1, never reused; 0 before
 * @ref: one reference for the name, one for each open file and user
 * @kind: its kind
 * @uid: owner
 * @gid: owning group
 * @mode: permission bits, 0777 mask
 * @creator: thread group that created the object
 * @named: set while the object is in the name table
 * @charged: its count and @bytes are charged to @owner (kind.c)
 * @owner: the record charged for it, or NULL when exempt
 * @bytes: the bytes it is charged for, besides its count
 * @rcu: for freeing the object after lockless lookups are done with it
 */
struct ipcchan_obj {
	struct rhash_head node;
	struct ipcchan_key key;
	u64 id;
	struct kref ref;
	const struct ipcchan_kind_desc *kind;
	kuid_t uid;
	kgid_t gid;
	umode_t mode;
	struct pid *creator;
	bool named;
	bool charged;
	struct ipcchan_user *owner;
	u64 bytes;
	struct rcu_head rcu;
};

/* Made by IPCCHAN_IOC_CHAN_PIPE or _CHAN_PAIR: a named one never has "". */
static inline bool ipcchan_obj_unnamed(const struct ipcchan_obj *obj)
{
	return !obj->key.name[0];
}

int ipcchan_kind_register(const struct ipcchan_kind_desc *kind);
void ipcchan_kind_unregister(const struct ipcchan_kind_desc *kind);
const struct ipcchan_kind_desc *ipcchan_kind_desc(u32 kind);

/* What announces an event of an object (netlink sets it at init). */
typedef void (*ipcchan_event_fn)(struct ipcchan_obj *obj, u32 event);
void ipcchan_registry_set_event(ipcchan_event_fn fn);
void ipcchan_obj_event(struct ipcchan_obj *obj, u32 event);

int ipcchan_registry_init(void);
void ipcchan_registry_uninit(void);

int ipcchan_key_init(struct ipcchan_key *key, u32 kind,
		     const char name[IPCCHAN_NAME_MAX]);

void ipcchan_obj_init(struct ipcchan_obj *obj, const struct ipcchan_key *key,
		      const struct ipcchan_kind_desc *kind,
		      const struct cred *cred, umode_t mode);
void ipcchan_obj_get(struct ipcchan_obj *obj);
void ipcchan_obj_put(struct ipcchan_obj *obj);

int ipcchan_registry_open(const struct ipcchan_key *key,
			  struct ipcchan_obj *new, bool excl,
			  struct ipcchan_obj **found);
int ipcchan_registry_unlink(const struct ipcchan_key *key,
			    const struct file *ctl);
struct ipcchan_obj *ipcchan_registry_get(const struct ipcchan_key *key);
struct ipcchan_obj *ipcchan_registry_get_id(u64 id);
int ipcchan_registry_reserve_id(u64 *id);
void ipcchan_registry_unreserve_id(u64 id);
void ipcchan_registry_list(struct ipcchan_obj *obj, u64 id);
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

#endif /* _IPCCHAN_REGISTRY_H */
