// SPDX-License-Identifier: GPL-2.0
/*
 * Module-wide limits: the bounds a channel may be created with, its defaults,
 * and the budgets that keep the module's kernel memory bounded, machine-wide
 * and per user.
 *
 * The byte budgets count what a queued message really costs, its header
 * included, so that even empty messages are paid for. Channels are charged to
 * the uid that creates them, queued bytes to the uid that opened the sending
 * descriptor. A user with CAP_SYS_RESOURCE is exempt from the per-user
 * budgets (the caller then passes a NULL user), never from the global ones.
 *
 * Every parameter is writable by root at run time through
 * /sys/module/ipcchan/parameters. A new value applies to channels created
 * and messages sent afterwards; it never touches what is already queued.
 */

#include <linux/atomic.h>
#include <linux/errno.h>
#include <linux/hashtable.h>
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/refcount.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "kunit.h"
#include "limits.h"

/* Ceilings that even root cannot raise a parameter past. */
#define MSG_SIZE_CEILING	SZ_64M
#define MSGS_CEILING		SZ_1M
#define BYTES_CEILING		SZ_1G
#define REGION_SIZE_CEILING	(4ULL << 30)

static unsigned int max_msg_size_limit = SZ_1M;
module_param(max_msg_size_limit, uint, 0644);
MODULE_PARM_DESC(max_msg_size_limit,
		 "Largest max_msg_size a channel may have (bytes, ceiling 64 MiB)");

static unsigned int max_msgs_limit = 65536;
module_param(max_msgs_limit, uint, 0644);
MODULE_PARM_DESC(max_msgs_limit,
		 "Largest max_msgs a channel may have (ceiling 1048576)");

static unsigned long max_bytes_limit = SZ_64M;
module_param(max_bytes_limit, ulong, 0644);
MODULE_PARM_DESC(max_bytes_limit,
		 "Largest max_bytes a channel may have (bytes, ceiling 1 GiB)");

static unsigned int default_max_msg_size = 8192;
module_param(default_max_msg_size, uint, 0644);
MODULE_PARM_DESC(default_max_msg_size,
		 "max_msg_size of a channel created with 0 (bytes)");

static unsigned int default_max_msgs = 256;
module_param(default_max_msgs, uint, 0644);
MODULE_PARM_DESC(default_max_msgs,
		 "max_msgs of a channel created with 0");

static unsigned int max_channels = 65536;
module_param(max_channels, uint, 0644);
MODULE_PARM_DESC(max_channels,
		 "Most channels that may exist at once, named or not");

static unsigned long max_total_bytes = SZ_256M;
module_param(max_total_bytes, ulong, 0644);
MODULE_PARM_DESC(max_total_bytes,
		 "Most memory all queued messages and regions may use (bytes)");

static unsigned int max_channels_per_user = 1024;
module_param(max_channels_per_user, uint, 0644);
MODULE_PARM_DESC(max_channels_per_user,
		 "Most channels one uid may own at once");

static unsigned long max_bytes_per_user = SZ_64M;
module_param(max_bytes_per_user, ulong, 0644);
MODULE_PARM_DESC(max_bytes_per_user,
		 "Most memory the messages one uid has queued may use (bytes)");

static unsigned long max_region_size = SZ_64M;
module_param(max_region_size, ulong, 0644);
MODULE_PARM_DESC(max_region_size,
		 "Largest size a region may have (bytes, ceiling 4 GiB)");

static unsigned int max_regions = 4096;
module_param(max_regions, uint, 0644);
MODULE_PARM_DESC(max_regions,
		 "Most regions that may exist at once, named or not");

static unsigned int max_regions_per_user = 256;
module_param(max_regions_per_user, uint, 0644);
MODULE_PARM_DESC(max_regions_per_user,
		 "Most regions one uid may own at once");

/**
 * struct ipcchan_user - what one uid has charged
 * @node: link in the users table
 * @uid: the uid
 * @ref: one per channel, file and queued message that charged it
 * @channels: channels it owns
 * @regions: regions it owns
 * @bytes: memory of the messages it has queued and the regions it owns
 */
struct ipcchan_user {
	struct hlist_node node;
	kuid_t uid;
	refcount_t ref;
	atomic64_t channels;
	atomic64_t regions;
	atomic64_t bytes;
};

static DEFINE_HASHTABLE(users, 6);
static DEFINE_SPINLOCK(users_lock);

static atomic64_t nr_channels = ATOMIC64_INIT(0);
static atomic64_t nr_regions = ATOMIC64_INIT(0);
static atomic64_t nr_bytes = ATOMIC64_INIT(0);

u32 ipcchan_limit_msg_size(void)
{
	return clamp_t(u32, READ_ONCE(max_msg_size_limit), 1, MSG_SIZE_CEILING);
}
EXPORT_SYMBOL_IPCCHAN_KUNIT(ipcchan_limit_msg_size);

u32 ipcchan_limit_msgs(void)
{
	return clamp_t(u32, READ_ONCE(max_msgs_limit), 1, MSGS_CEILING);
}
EXPORT_SYMBOL_IPCCHAN_KUNIT(ipcchan_limit_msgs);

u64 ipcchan_limit_bytes(void)
{
	return clamp_t(u64, READ_ONCE(max_bytes_limit), 1, BYTES_CEILING);
}
EXPORT_SYMBOL_IPCCHAN_KUNIT(ipcchan_limit_bytes);

u64 ipcchan_limit_region_size(void)
{
	return min_t(u64, READ_ONCE(max_region_size), REGION_SIZE_CEILING);
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

static struct ipcchan_user *user_find(kuid_t uid)
	__must_hold(&users_lock)
{
	struct ipcchan_user *user;

	hash_for_each_possible(users, user, node, __kuid_val(uid))
		if (uid_eq(user->uid, uid))
			return user;
	return NULL;
}

/**
 * ipcchan_user_get() - find or make the accounting record of @uid
 * @uid: the uid to charge
 *
 * Return: the record with a reference for the caller, or ERR_PTR(-ENOMEM).
 */
struct ipcchan_user *ipcchan_user_get(kuid_t uid)
{
	struct ipcchan_user *user, *new;

	spin_lock(&users_lock);
	user = user_find(uid);
	if (user)
		refcount_inc(&user->ref);
	spin_unlock(&users_lock);
	if (user)
		return user;

	new = kzalloc(sizeof(*new), GFP_KERNEL_ACCOUNT);
	if (!new)
		return ERR_PTR(-ENOMEM);
	new->uid = uid;
	refcount_set(&new->ref, 1);

	spin_lock(&users_lock);
	user = user_find(uid);
	if (user)
		refcount_inc(&user->ref);
	else
		hash_add(users, &new->node, __kuid_val(uid));
	spin_unlock(&users_lock);
	if (!user)
		return new;
	kfree(new);
	return user;
}
EXPORT_SYMBOL_IPCCHAN_KUNIT(ipcchan_user_get);

/* Takes one more reference to @user, which may be NULL. Returns @user. */
struct ipcchan_user *ipcchan_user_ref(struct ipcchan_user *user)
{
	if (user)
		refcount_inc(&user->ref);
	return user;
}
EXPORT_SYMBOL_IPCCHAN_KUNIT(ipcchan_user_ref);

void ipcchan_user_put(struct ipcchan_user *user)
{
	bool dead;

	if (!user || refcount_dec_not_one(&user->ref))
		return;
	spin_lock(&users_lock);
	dead = refcount_dec_and_test(&user->ref);
	if (dead)
		hash_del(&user->node);
	spin_unlock(&users_lock);
	if (dead)
		kfree(user);
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

static int count_charge(atomic64_t *global, unsigned int global_max,
			atomic64_t *mine, unsigned int my_max)
{
	if (!charge(global, 1, global_max))
		return -ENOSPC;
	if (mine && !charge(mine, 1, my_max)) {
		atomic64_dec(global);
		return -ENOSPC;
	}
	return 0;
}

/**
 * ipcchan_channels_charge() - count one more channel
 * @user: its owner, or NULL when the owner is exempt from per-user limits
 *
 * Return: 0, or -ENOSPC when max_channels channels exist already or @user
 * owns max_channels_per_user.
 */
int ipcchan_channels_charge(struct ipcchan_user *user)
{
	return count_charge(&nr_channels, READ_ONCE(max_channels),
			    user ? &user->channels : NULL,
			    READ_ONCE(max_channels_per_user));
}
EXPORT_SYMBOL_IPCCHAN_KUNIT(ipcchan_channels_charge);

void ipcchan_channels_uncharge(struct ipcchan_user *user)
{
	if (user)
		atomic64_dec(&user->channels);
	atomic64_dec(&nr_channels);
}
EXPORT_SYMBOL_IPCCHAN_KUNIT(ipcchan_channels_uncharge);

/**
 * ipcchan_regions_charge() - count one more region
 * @user: its owner, or NULL when the owner is exempt from per-user limits
 *
 * Return: 0, or -ENOSPC when max_regions regions exist already or @user
 * owns max_regions_per_user.
 */
int ipcchan_regions_charge(struct ipcchan_user *user)
{
	return count_charge(&nr_regions, READ_ONCE(max_regions),
			    user ? &user->regions : NULL,
			    READ_ONCE(max_regions_per_user));
}
EXPORT_SYMBOL_IPCCHAN_KUNIT(ipcchan_regions_charge);

void ipcchan_regions_uncharge(struct ipcchan_user *user)
{
	if (user)
		atomic64_dec(&user->regions);
	atomic64_dec(&nr_regions);
}
EXPORT_SYMBOL_IPCCHAN_KUNIT(ipcchan_regions_uncharge);

/**
 * ipcchan_bytes_charge() - count the memory of a message about to be queued
 * @user: the sender's record, or NULL when exempt from per-user limits
 * @bytes: what the message costs, header included
 *
 * Return: 0, or -ENOBUFS when max_total_bytes or max_bytes_per_user would be
 * exceeded.
 */
int ipcchan_bytes_charge(struct ipcchan_user *user, u64 bytes)
{
	if (!charge(&nr_bytes, bytes, READ_ONCE(max_total_bytes)))
		return -ENOBUFS;
	if (user && !charge(&user->bytes, bytes,
			    READ_ONCE(max_bytes_per_user))) {
		atomic64_sub(bytes, &nr_bytes);
		return -ENOBUFS;
	}
	return 0;
}
EXPORT_SYMBOL_IPCCHAN_KUNIT(ipcchan_bytes_charge);

void ipcchan_bytes_uncharge(struct ipcchan_user *user, u64 bytes)
{
	if (user)
		atomic64_sub(bytes, &user->bytes);
	atomic64_sub(bytes, &nr_bytes);
}
EXPORT_SYMBOL_IPCCHAN_KUNIT(ipcchan_bytes_uncharge);
