// SPDX-License-Identifier: GPL-2.0
/*
 * Module-wide limits: the bounds a channel may be created with, its defaults,
 * and the budgets that keep the module's kernel memory bounded, machine-wide
 * and per user.
 *
 * The byte budgets count what a queued message really costs, its header
 * included, so that even empty messages are paid for. Channels are charged to
 * the user that creates them, queued bytes to the user that opened the
 * sending descriptor. A user with CAP_SYS_RESOURCE in the initial user
 * namespace is exempt from the per-user budgets (the caller then passes a
 * NULL user), never from the global ones.
 *
 * Objects are counted by kind, in arrays indexed by kind: how many exist,
 * and how many each record owns. The limits of a count are the module
 * parameters that the kind's descriptor names (max_channels and
 * max_channels_per_user in channel.c, for one); the byte budgets are
 * shared by every kind.
 *
 * Per-user budgets hold across user namespaces, as RLIMIT_MSGQUEUE does with
 * ucounts. A user is a (user namespace, kuid) pair; its record has a parent,
 * the record of the namespace's owner one level up, up to the initial user
 * namespace. A charge counts against every record of that chain, and each
 * record is checked against the per-user limit. So whatever uids a user maps
 * in the namespaces it creates, everything they own counts against the one
 * budget of that user. The record of global root (uid 0 of the initial user
 * namespace) is charged but never limited, so a user namespace that global
 * root owns (the container of a runtime that remaps uids) has a record of
 * its own as a whole, keyed (namespace, INVALID_UID), between the records
 * of its uids and global root's. That record is limited as one user: a
 * container gets what one user gets, whatever uids it maps and however they
 * setuid() among themselves, and so do the namespaces nested inside it,
 * whose chains pass through it. The defaults give one user a small share of
 * the machine-wide limits (1/64 of the channels and regions, 1/16 of the
 * bytes).
 *
 * The records are found in a resizable hash table, under RCU and without a
 * lock, however many uids are charged at once.
 *
 * Every parameter is writable by root at run time through
 * /sys/module/ipcchan/parameters. A value above a parameter's ceiling is
 * refused with EINVAL. A new value applies to channels created and messages
 * sent afterwards; it never touches what is already queued.
 */

#include <linux/atomic.h>
#include <linux/cred.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/rhashtable.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/user_namespace.h>

#include "kunit.h"
#include "limits.h"
#include "registry.h"

/* Ceilings that even root cannot raise a parameter past. */
#define MSG_SIZE_CEILING	SZ_64M
#define MSGS_CEILING		SZ_1M
#define BYTES_CEILING		SZ_1G
#define REGION_SIZE_CEILING	(4ULL << 30)

/*
 * A parameter with a range: a write outside it is refused with EINVAL, so
 * that what reads back is what applies.
 */
struct range_param {
	unsigned long val;
	u64 lo;
	u64 hi;
};

static int range_set(const char *val, const struct kernel_param *kp)
{
	struct range_param *p = kp->arg;
	unsigned long v;

	if (kstrtoul(val, 0, &v) || v < p->lo || v > p->hi)
		return -EINVAL;
	WRITE_ONCE(p->val, v);
	return 0;
}

static int range_get(char *buf, const struct kernel_param *kp)
{
	const struct range_param *p = kp->arg;

	return sysfs_emit(buf, "%lu\n", READ_ONCE(p->val));
}

static const struct kernel_param_ops range_ops = {
	.set = range_set,
	.get = range_get,
};

static struct range_param max_msg_size_limit = { SZ_1M, 1, MSG_SIZE_CEILING };
module_param_cb(max_msg_size_limit, &range_ops, &max_msg_size_limit, 0644);
MODULE_PARM_DESC(max_msg_size_limit,
		 "Largest max_msg_size a channel may have (bytes, 1 to 64 MiB)");

static struct range_param max_msgs_limit = { 65536, 1, MSGS_CEILING };
module_param_cb(max_msgs_limit, &range_ops, &max_msgs_limit, 0644);
MODULE_PARM_DESC(max_msgs_limit,
		 "Largest max_msgs a channel may have (1 to 1048576)");

static struct range_param max_bytes_limit = { SZ_64M, 1, BYTES_CEILING };
module_param_cb(max_bytes_limit, &range_ops, &max_bytes_limit, 0644);
MODULE_PARM_DESC(max_bytes_limit,
		 "Largest max_bytes a channel may have (bytes, 1 to 1 GiB)");

static unsigned int default_max_msg_size = 8192;
module_param(default_max_msg_size, uint, 0644);
MODULE_PARM_DESC(default_max_msg_size,
		 "max_msg_size of a channel created with 0 (bytes)");

static unsigned int default_max_msgs = 256;
module_param(default_max_msgs, uint, 0644);
MODULE_PARM_DESC(default_max_msgs,
		 "max_msgs of a channel created with 0");

static unsigned long max_total_bytes = SZ_256M;
module_param(max_total_bytes, ulong, 0644);
MODULE_PARM_DESC(max_total_bytes,
		 "Most memory all queued messages and regions may use (bytes)");

static unsigned long max_bytes_per_user = SZ_16M;
module_param(max_bytes_per_user, ulong, 0644);
MODULE_PARM_DESC(max_bytes_per_user,
		 "Most memory the messages and regions of one user, with the uids of its user namespaces, or of one user namespace that root owns, may use (bytes)");

static struct range_param max_region_size = {
	SZ_64M, 0, BITS_PER_LONG == 64 ? REGION_SIZE_CEILING : ULONG_MAX
};
module_param_cb(max_region_size, &range_ops, &max_region_size, 0644);
MODULE_PARM_DESC(max_region_size,
		 "Largest size a region may have (bytes, 0 to 4 GiB)");

/* What a record is found by: only the first key_len bytes are compared. */
struct user_key {
	struct user_namespace *ns;
	kuid_t uid;
};

/**
 * struct ipcchan_user - what one user has charged
 * @node: link in the users table
 * @key: @key.ns is the user namespace of this level of the chain, with a
 *	 reference; @key.uid the uid, INVALID_UID (which no credentials hold)
 *	 for the record of a user namespace that global root owns, as a whole
 * @parent: the record of the namespace's owner in its parent, or of the
 *	    namespace as a whole when global root owns it; with a reference;
 *	    NULL in the initial user namespace
 * @unlimited: global root's record: charged, never limited
 * @ref: one per child record, channel, file and queued message that charged
 *	 it; it drops to zero only under users_lock, which takes the record
 *	 out of the table in the same section
 * @rcu: frees the record after the lookups that may still see it
 * @objects: objects it owns, by kind - 1
 * @bytes: memory of the messages it has queued and the regions it owns
 */
struct ipcchan_user {
	struct rhash_head node;
	struct user_key key;
	struct ipcchan_user *parent;
	bool unlimited;
	refcount_t ref;
	struct rcu_head rcu;
	atomic64_t objects[IPCCHAN_KIND_MAX];
	atomic64_t bytes;
};

/*
 * The records, found under RCU without a lock; the table grows with them (a
 * user with 65,536 subordinate uids may keep as many alive) and shrinks
 * back. users_lock serializes adding a record and removing the last
 * reference to one, so that the table never holds two records of one key
 * and every record in it has a reference while the lock is held.
 */
static struct rhashtable users;
static DEFINE_SPINLOCK(users_lock);

static const struct rhashtable_params users_params = {
	.head_offset = offsetof(struct ipcchan_user, node),
	.key_offset = offsetof(struct ipcchan_user, key),
	.key_len = offsetofend(struct user_key, uid),
	.automatic_shrinking = true,
};

/* Objects that exist, by kind - 1. */
static atomic64_t nr_objects[IPCCHAN_KIND_MAX];
static atomic64_t nr_bytes = ATOMIC64_INIT(0);

u32 ipcchan_limit_msg_size(void)
{
	return READ_ONCE(max_msg_size_limit.val);
}
EXPORT_SYMBOL_IPCCHAN_KUNIT(ipcchan_limit_msg_size);

u32 ipcchan_limit_msgs(void)
{
	return READ_ONCE(max_msgs_limit.val);
}
EXPORT_SYMBOL_IPCCHAN_KUNIT(ipcchan_limit_msgs);

u64 ipcchan_limit_bytes(void)
{
	return READ_ONCE(max_bytes_limit.val);
}
EXPORT_SYMBOL_IPCCHAN_KUNIT(ipcchan_limit_bytes);

u64 ipcchan_limit_region_size(void)
{
	return READ_ONCE(max_region_size.val);
}
EXPORT_SYMBOL_IPCCHAN_KUNIT(ipcchan_limit_region_size);

u32 ipcchan_default_msg_size(void)
{
	return clamp_t(u32, READ_ONCE(default_max_msg_size), 1,
		       ipcchan_limit_msg_size());
}
EXPORT_SYMBOL_IPCCHAN_KUNIT(ipcchan_default_msg_size);

u32 ipcchan_default_msgs(void)
{
	return clamp_t(u32, READ_ONCE(default_max_msgs), 1, ipcchan_limit_msgs());
}
EXPORT_SYMBOL_IPCCHAN_KUNIT(ipcchan_default_msgs);

int __init ipcchan_limits_init(void)
{
	return rhashtable_init(&users, &users_params);
}

/* Once every channel, region and file has gone, so has every record. */
void ipcchan_limits_uninit(void)
{
	rhashtable_destroy(&users);
}

/*
 * Whether @ns's owner's record is global root's, which is never limited:
 * then @ns as a whole has a record, limited as one user.
 */
static bool owned_by_global_root(const struct user_namespace *ns)
{
	return ns->parent == &init_user_ns &&
	       uid_eq(ns->owner, GLOBAL_ROOT_UID);
}

static struct ipcchan_user *user_get(struct user_namespace *ns, kuid_t uid)
{
	struct user_key key = { .ns = ns, .uid = uid };
	struct ipcchan_user *user, *new, *parent = NULL;

	rcu_read_lock();
	user = rhashtable_lookup(&users, &key, users_params);
	/* At zero, it is on its way out of the table: make a new one. */
	if (user && !refcount_inc_not_zero(&user->ref))
		user = NULL;
	rcu_read_unlock();
	if (user)
		return user;

	/*
	 * The chain is at most 34 records long: user namespaces nest 32, and
	 * one that global root owns adds its record as a whole.
	 */
	if (ns != &init_user_ns) {
		if (owned_by_global_root(ns) && uid_valid(uid))
			parent = user_get(ns, INVALID_UID);
		else
			parent = user_get(ns->parent, ns->owner);
		if (IS_ERR(parent))
			return parent;
	}
	new = kzalloc(sizeof(*new), GFP_KERNEL_ACCOUNT);
	if (!new) {
		ipcchan_user_put(parent);
		return ERR_PTR(-ENOMEM);
	}
	new->key.ns = get_user_ns(ns);
	new->key.uid = uid;
	new->parent = parent;
	new->unlimited = ns == &init_user_ns && uid_eq(uid, GLOBAL_ROOT_UID);
	refcount_set(&new->ref, 1);

	/* Under users_lock, a record in the table has a reference. */
	spin_lock(&users_lock);
	user = rhashtable_lookup_get_insert_fast(&users, &new->node,
						 users_params);
	if (!IS_ERR_OR_NULL(user))
		refcount_inc(&user->ref);
	spin_unlock(&users_lock);
	if (!user)
		return new;
	put_user_ns(new->key.ns);
	ipcchan_user_put(parent);
	kfree(new);
	/* The table could not grow (-ENOMEM, or -EBUSY mid-resize). */
	return IS_ERR(user) ? ERR_PTR(-ENOMEM) : user;
}

/**
 * ipcchan_user_get() - find or make the accounting record of @uid
 * @uid: the uid to charge, in the initial user namespace
 *
 * Return: the record with a reference for the caller, or ERR_PTR(-ENOMEM).
 */
struct ipcchan_user *ipcchan_user_get(kuid_t uid)
{
	return user_get(&init_user_ns, uid);
}
EXPORT_SYMBOL_IPCCHAN_KUNIT(ipcchan_user_get);

/**
 * ipcchan_user_of() - find or make the accounting record of @cred's user
 * @cred: credentials of the opener of /dev/ipcchan
 *
 * The record is that of @cred's fsuid in @cred's user namespace; its chain
 * goes up through the owners of the enclosing user namespaces.
 *
 * Return: the record with a reference for the caller, or ERR_PTR(-ENOMEM).
 */
struct ipcchan_user *ipcchan_user_of(const struct cred *cred)
{
	return user_get(cred->user_ns, cred->fsuid);
}
EXPORT_SYMBOL_IPCCHAN_KUNIT(ipcchan_user_of);

/* Takes one more reference to @user, which may be NULL. Returns @user. */
struct ipcchan_user *ipcchan_user_ref(struct ipcchan_user *user)
{
	if (user)
		refcount_inc(&user->ref);
	return user;
}
EXPORT_SYMBOL_IPCCHAN_KUNIT(ipcchan_user_ref);

/*
 * Takes @n more references to @user, which may be NULL: one per message of
 * a chunk, in one atomic operation.
 */
void ipcchan_user_ref_many(struct ipcchan_user *user, u32 n)
{
	if (user && n)
		refcount_add(n, &user->ref);
}

/*
 * Drops @n references to @user, which may be NULL, that the caller holds:
 * all but the last in one atomic operation, which cannot drop the count to
 * zero, then the last as ipcchan_user_put() does.
 */
void ipcchan_user_put_many(struct ipcchan_user *user, u32 n)
{
	if (!user || !n)
		return;
	if (n > 1 && WARN_ON_ONCE(refcount_sub_and_test(n - 1, &user->ref)))
		return;
	ipcchan_user_put(user);
}

void ipcchan_user_put(struct ipcchan_user *user)
{
	struct ipcchan_user *parent;
	bool dead;

	while (user) {
		if (refcount_dec_not_one(&user->ref))
			return;
		/* The last reference goes under users_lock, as it leaves. */
		spin_lock(&users_lock);
		dead = refcount_dec_and_test(&user->ref);
		if (dead)
			rhashtable_remove_fast(&users, &user->node,
					       users_params);
		spin_unlock(&users_lock);
		if (!dead)
			return;
		parent = user->parent;
		put_user_ns(user->key.ns);
		/* A lookup may still be looking at it. */
		kfree_rcu(user, rcu);
		user = parent;
	}
}
EXPORT_SYMBOL_IPCCHAN_KUNIT(ipcchan_user_put);

/* Adds @n to @counter unless that takes it past @limit. */
static bool charge(atomic64_t *counter, u64 n, u64 limit)
{
	s64 old = atomic64_read(counter);

	do {
		if (n > limit || (u64)old > limit - n)
			return false;
	} while (!atomic64_try_cmpxchg(counter, &old, old + n));
	return true;
}

static atomic64_t *counter_of(struct ipcchan_user *user, size_t off)
{
	return (atomic64_t *)((char *)user + off);
}

/*
 * Adds @n to the counter at @off of every record of @user's chain, unless
 * that takes one of them past @limit; then nothing is added.
 */
static bool chain_charge(struct ipcchan_user *user, size_t off, u64 n,
			 u64 limit)
{
	struct ipcchan_user *u, *failed;

	for (u = user; u; u = u->parent)
		if (!charge(counter_of(u, off), n, u->unlimited ? U64_MAX : limit))
			goto undo;
	return true;
undo:
	failed = u;
	for (u = user; u != failed; u = u->parent)
		atomic64_sub(n, counter_of(u, off));
	return false;
}

static void chain_uncharge(struct ipcchan_user *user, size_t off, u64 n)
{
	for (; user; user = user->parent)
		atomic64_sub(n, counter_of(user, off));
}

static int count_charge(atomic64_t *global, unsigned int global_max,
			struct ipcchan_user *user, size_t off,
			unsigned int my_max)
{
	if (!charge(global, 1, global_max))
		return -ENOSPC;
	if (!chain_charge(user, off, 1, my_max)) {
		atomic64_dec(global);
		return -ENOSPC;
	}
	return 0;
}

/* Where @kind's count is in a record. */
static size_t objects_off(const struct ipcchan_kind_desc *kind)
{
	return offsetof(struct ipcchan_user, objects) +
	       (kind->kind - 1) * sizeof(atomic64_t);
}

/**
 * ipcchan_objects_charge() - count one more object of a kind
 * @user: its owner, or NULL when the owner is exempt from per-user limits
 * @kind: its kind, whose module parameters give the limits
 *
 * Return: 0, or -ENOSPC when @kind->max_objects objects of the kind exist
 * already or a record of @user's chain owns @kind->max_objects_per_user.
 */
int ipcchan_objects_charge(struct ipcchan_user *user,
			   const struct ipcchan_kind_desc *kind)
{
	return count_charge(&nr_objects[kind->kind - 1],
			    READ_ONCE(*kind->max_objects), user,
			    objects_off(kind),
			    READ_ONCE(*kind->max_objects_per_user));
}
EXPORT_SYMBOL_IPCCHAN_KUNIT(ipcchan_objects_charge);

void ipcchan_objects_uncharge(struct ipcchan_user *user,
			      const struct ipcchan_kind_desc *kind)
{
	chain_uncharge(user, objects_off(kind), 1);
	atomic64_dec(&nr_objects[kind->kind - 1]);
}
EXPORT_SYMBOL_IPCCHAN_KUNIT(ipcchan_objects_uncharge);

/**
 * ipcchan_bytes_charge() - count the memory of a message about to be queued
 * @user: the sender's record, or NULL when exempt from per-user limits
 * @bytes: what the message costs, header included
 *
 * Return: 0, or -ENOBUFS when max_total_bytes, or max_bytes_per_user for a
 * record of @user's chain, would be exceeded.
 */
int ipcchan_bytes_charge(struct ipcchan_user *user, u64 bytes)
{
	if (!charge(&nr_bytes, bytes, READ_ONCE(max_total_bytes)))
		return -ENOBUFS;
	if (!chain_charge(user, offsetof(struct ipcchan_user, bytes), bytes,
			  READ_ONCE(max_bytes_per_user))) {
		atomic64_sub(bytes, &nr_bytes);
		return -ENOBUFS;
	}
	return 0;
}
EXPORT_SYMBOL_IPCCHAN_KUNIT(ipcchan_bytes_charge);

void ipcchan_bytes_uncharge(struct ipcchan_user *user, u64 bytes)
{
	chain_uncharge(user, offsetof(struct ipcchan_user, bytes), bytes);
	atomic64_sub(bytes, &nr_bytes);
}
EXPORT_SYMBOL_IPCCHAN_KUNIT(ipcchan_bytes_uncharge);

/**
 * ipcchan_bytes_charge_spare() - count a buffer kept for later reuse
 * @user: the record to charge (a channel's owner), or NULL when exempt
 * @bytes: its size
 *
 * As ipcchan_bytes_charge(), against half of each limit: what is kept for
 * later never takes a record of @user's chain, nor the machine, past half
 * of its budget, so that at least half is always left for what is asked.
 *
 * Return: 0, or -ENOBUFS.
 */
int ipcchan_bytes_charge_spare(struct ipcchan_user *user, u64 bytes)
{
	if (!charge(&nr_bytes, bytes, READ_ONCE(max_total_bytes) / 2))
		return -ENOBUFS;
	if (!chain_charge(user, offsetof(struct ipcchan_user, bytes), bytes,
			  READ_ONCE(max_bytes_per_user) / 2)) {
		atomic64_sub(bytes, &nr_bytes);
		return -ENOBUFS;
	}
	return 0;
}
EXPORT_SYMBOL_IPCCHAN_KUNIT(ipcchan_bytes_charge_spare);

/**
 * ipcchan_bytes_spare_ok() - may @user keep what it is charged for already?
 * @user: the record (a channel's owner), or NULL when exempt
 *
 * Return: true when every record of @user's chain, and the machine, are at
 * or below half of their budgets, as ipcchan_bytes_charge_spare() keeps them.
 */
bool ipcchan_bytes_spare_ok(struct ipcchan_user *user)
{
	u64 half = READ_ONCE(max_bytes_per_user) / 2;

	if ((u64)atomic64_read(&nr_bytes) > READ_ONCE(max_total_bytes) / 2)
		return false;
	for (; user; user = user->parent)
		if (!user->unlimited && (u64)atomic64_read(&user->bytes) > half)
			return false;
	return true;
}
EXPORT_SYMBOL_IPCCHAN_KUNIT(ipcchan_bytes_spare_ok);
