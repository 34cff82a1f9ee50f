// SPDX-License-Identifier: GPL-2.0
/*
 * The name table: every named object of the module, its owner and mode, and
 * the permission checks made against the credentials saved when a file of
 * /dev/ipcchan was opened.
 *
 * The table is an rhashtable keyed by (kind, zero-padded name), so a lookup
 * costs the same with ten objects or ten thousand. Lookups take no lock:
 * they run under RCU and take a reference with kref_get_unless_zero(). The
 * kinds free their objects after a grace period (kfree_rcu()), so what a
 * lookup finds is always memory it may read. An object that lost its name
 * may still be found for a moment; its @named flag, cleared once it has left
 * the table, sends the lookup round again.
 *
 * Each kind of object registers its descriptor (struct ipcchan_kind_desc)
 * here at module init; the rest of the module reaches a kind only through
 * it. The events of objects go out through a hook that netlink sets, so
 * that the registry does not call into netlink.
 *
 * Naming and unlinking, the writers, are serialised by names_lock, which is
 * only ever taken killably and under which nothing is allocated with a
 * memory cgroup charge: the id and its slot in the id table are taken
 * before, so that a tenant at its memory cgroup limit stalls nobody but
 * itself. A new object's CREATED event is sent under names_lock before the
 * object enters either table, so that no other event of its id, nor a dump
 * entry, can come before it.
 */

#include <linux/build_bug.h>
#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/ioctl.h>
#include <linux/mutex.h>
#include <linux/pid.h>
#include <linux/rcupdate.h>
#include <linux/rhashtable.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/xarray.h>

#include "kunit.h"
#include "limits.h"
#include "registry.h"

static const struct rhashtable_params names_params = {
	.key_len = sizeof(struct ipcchan_key),
	.key_offset = offsetof(struct ipcchan_obj, key),
	.head_offset = offsetof(struct ipcchan_obj, node),
	.automatic_shrinking = true,
};

static struct rhashtable names;
static DEFINE_MUTEX(names_lock);

/*
 * Listed objects by id, in the order of their ids, for dumps that resume
 * where they stopped and GET by id; marked by kind, so that a dump of one
 * kind visits only that kind. Named objects are stored and erased under
 * names_lock; unnamed ones (ipcchan_registry_list(), obj_release()) outside
 * it, which the xarray's own lock orders. Read under RCU.
 */
static DEFINE_XARRAY(ids);
static atomic64_t last_id = ATOMIC64_INIT(0);

#define ID_MAX	IPCCHAN_ID_MAX

/* The kinds, by their uapi value; registered at init, before any use. */
static const struct ipcchan_kind_desc *kinds[IPCCHAN_KIND_MAX + 1];

/* What announces events; set by netlink at init, NULL after it. */
static ipcchan_event_fn event_fn;

/* A mark of the id table for each kind: an xarray has three. */
static xa_mark_t kind_mark(u32 kind)
{
	BUILD_BUG_ON(IPCCHAN_KIND_MAX > XA_MAX_MARKS);
	return (__force xa_mark_t)(kind - 1);
}

/* Has @kind everything that the registry, kind.c and netlink call? */
static bool kind_complete(const struct ipcchan_kind_desc *kind)
{
	return kind->name && kind->file_name && kind->open_check &&
	       kind->alloc && kind->fops && kind->file_init && kind->file_opened &&
	       kind->free && kind->fill && kind->max_objects &&
	       kind->max_objects_per_user &&
	       (!kind->handle || kind->file_obj) &&
	       kind->open_size_ver0 <= _IOC_SIZE(kind->open_cmd) &&
	       _IOC_SIZE(kind->open_cmd) <= IPCCHAN_OPEN_ARGS_MAX;
}

/**
 * ipcchan_kind_register() - make a kind known, at module init
 * @kind: its descriptor, which must outlive the registration
 *
 * Return: 0, or -EINVAL for a uapi value outside enum ipcchan_kind or one
 * taken already, or for a descriptor that lacks what every kind must have.
 */
int ipcchan_kind_register(const struct ipcchan_kind_desc *kind)
{
	if (kind->kind < 1 || kind->kind > IPCCHAN_KIND_MAX ||
	    kinds[kind->kind] || WARN_ON_ONCE(!kind_complete(kind)))
		return -EINVAL;
	WRITE_ONCE(kinds[kind->kind], kind);
	return 0;
}

/* Called at module exit, once no object of @kind is left. */
void ipcchan_kind_unregister(const struct ipcchan_kind_desc *kind)
{
	WRITE_ONCE(kinds[kind->kind], NULL);
}

/**
 * ipcchan_kind_desc() - the descriptor of a kind
 * @kind: enum ipcchan_kind, from userspace or not
 *
 * Return: the descriptor, or NULL if no such kind is registered.
 */
const struct ipcchan_kind_desc *ipcchan_kind_desc(u32 kind)
{
	if (kind < 1 || kind > IPCCHAN_KIND_MAX)
		return NULL;
	return READ_ONCE(kinds[kind]);
}
EXPORT_SYMBOL_IPCCHAN_KUNIT(ipcchan_kind_desc);

/**
 * ipcchan_registry_set_event() - set what announces the events of objects
 * @fn: the function, or NULL for none
 *
 * Netlink sets it at init and clears it at exit, so that the registry and
 * the kinds announce events without calling into netlink.
 */
void ipcchan_registry_set_event(ipcchan_event_fn fn)
{
	WRITE_ONCE(event_fn, fn);
}

/**
 * ipcchan_obj_event() - announce an event of @obj
 * @obj: the object, named now or once
 * @event: enum ipcchan_nl_event
 *
 * Process context.
 */
void ipcchan_obj_event(struct ipcchan_obj *obj, u32 event)
{
	ipcchan_event_fn fn = READ_ONCE(event_fn);

	if (fn)
		fn(obj, event);
}

static bool name_char_valid(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

/**
 * ipcchan_key_init() - check a name from userspace and build its key
 * @key: the key to fill
 * @kind: enum ipcchan_kind
 * @name: the name buffer, already copied into the kernel
 *
 * Return: 0; -ENAMETOOLONG if @name has no NUL; -EINVAL for a bad kind, an
 * empty name, a character outside [A-Za-z0-9._-] or a non-zero byte after
 * the NUL.
 */
int ipcchan_key_init(struct ipcchan_key *key, u32 kind,
		     const char name[IPCCHAN_NAME_MAX])
{
	size_t len = strnlen(name, IPCCHAN_NAME_MAX);
	size_t i;

	if (!ipcchan_kind_desc(kind))
		return -EINVAL;
	if (len == IPCCHAN_NAME_MAX)
		return -ENAMETOOLONG;
	if (!len || memchr_inv(name + len, 0, IPCCHAN_NAME_MAX - len))
		return -EINVAL;
	for (i = 0; i < len; i++)
		if (!name_char_valid(name[i]))
			return -EINVAL;

	key->kind = kind;
	memcpy(key->name, name, IPCCHAN_NAME_MAX);
	return 0;
}
EXPORT_SYMBOL_IPCCHAN_KUNIT(ipcchan_key_init);

/**
 * ipcchan_obj_init() - initialise the shared part of a new object
 * @obj: the object, not yet visible to anyone
 * @key: its kind and name
 * @kind: its kind
 * @cred: credentials of the /dev/ipcchan file that creates it
 * @mode: permission bits, already checked against 0777; the calling
 *	  task's umask is applied to them
 *
 * The object starts with one reference, owned by the caller.
 */
void ipcchan_obj_init(struct ipcchan_obj *obj, const struct ipcchan_key *key,
		      const struct ipcchan_kind_desc *kind,
		      const struct cred *cred, umode_t mode)
{
	obj->key = *key;
	kref_init(&obj->ref);
	obj->kind = kind;
	obj->uid = cred->fsuid;
	obj->gid = cred->fsgid;
	obj->mode = mode & ~current_umask() & 0777;
	obj->creator = get_pid(task_tgid(current));
	obj->charged = false;
	obj->owner = NULL;
	obj->bytes = 0;
}
EXPORT_SYMBOL_IPCCHAN_KUNIT(ipcchan_obj_init);

void ipcchan_obj_get(struct ipcchan_obj *obj)
{
	kref_get(&obj->ref);
}
EXPORT_SYMBOL_IPCCHAN_KUNIT(ipcchan_obj_get);

static void obj_release(struct kref *ref)
{
	struct ipcchan_obj *obj = container_of(ref, struct ipcchan_obj, ref);
	const struct ipcchan_kind_desc *kind = obj->kind;
	struct ipcchan_user *owner = obj->owner;
	bool charged = obj->charged;
	u64 bytes = obj->bytes;

	/* An unnamed object is listed by id until now (ipcchan_registry_list()). */
	if (obj->id && ipcchan_obj_unnamed(obj))
		xa_erase(&ids, obj->id);
	if (obj->id)
		ipcchan_obj_event(obj, IPCCHAN_EVENT_DESTROYED);
	put_pid(obj->creator);
	kind->free(obj);
	/* What kind.c charged for it (open_req_alloc()). */
	if (charged) {
		if (bytes)
			ipcchan_bytes_uncharge(owner, bytes);
		ipcchan_objects_uncharge(owner, kind);
		ipcchan_user_put(owner);
	}
}

void ipcchan_obj_put(struct ipcchan_obj *obj)
{
	kref_put(&obj->ref, obj_release);
}
EXPORT_SYMBOL_IPCCHAN_KUNIT(ipcchan_obj_put);

/*
 * Finds the named object of @key and takes a reference to it, without a
 * lock. Returns NULL if there is none.
 */
static struct ipcchan_obj *lookup_get(const struct ipcchan_key *key)
{
	struct ipcchan_obj *obj;

	for (;;) {
		rcu_read_lock();
		obj = rhashtable_lookup(&names, key, names_params);
		if (obj && !kref_get_unless_zero(&obj->ref))
			obj = NULL;
		rcu_read_unlock();
		/* Pairs with the release in ipcchan_registry_unlink(). */
		if (!obj || smp_load_acquire(&obj->named))
			return obj;
		/* Unlinked meanwhile: the table no longer holds it. */
		ipcchan_obj_put(obj);
	}
}

/**
 * ipcchan_registry_open() - find an object by name, or name a new one
 * @key: kind and name
 * @new: a fresh object to name if none exists, or NULL not to create
 * @excl: fail if the name exists
 * @found: out: the object, with a reference for the caller
 *
 * On success the caller owns one reference to *@found. When @new was named,
 * the table took a reference of its own, and the caller's initial reference
 * to @new is the one returned. The CREATED event of @new is sent before any
 * other task can find it.
 *
 * Return: 1 if @new was named, 0 if an existing object was found, -EEXIST,
 * -ENOENT, -ENOMEM when the tables cannot grow, -EINTR when a fatal signal
 * came while waiting for names_lock, or -ENOSPC when the ids are spent
 * (2^32 - 1 objects named on a 32-bit kernel).
 */
int ipcchan_registry_open(const struct ipcchan_key *key,
			  struct ipcchan_obj *new, bool excl,
			  struct ipcchan_obj **found)
{
	struct ipcchan_obj *obj;
	u64 id;
	int ret;

	obj = lookup_get(key);
	if (obj) {
		if (excl) {
			ipcchan_obj_put(obj);
			return -EEXIST;
		}
		*found = obj;
		return 0;
	}
	if (!new)
		return -ENOENT;

	/* Everything that allocates is done before names_lock. */
	id = atomic64_fetch_add_unless(&last_id, 1, ID_MAX);
	if (id == ID_MAX)
		return -ENOSPC;
	id++;
	if (xa_reserve(&ids, id, GFP_KERNEL_ACCOUNT))
		return -ENOMEM;
	if (mutex_lock_killable(&names_lock)) {
		xa_release(&ids, id);
		return -EINTR;
	}
	/* Writers hold names_lock: what is in the table stays there. */
	obj = rhashtable_lookup_fast(&names, key, names_params);
	if (obj) {
		if (excl) {
			ret = -EEXIST;
		} else {
			kref_get(&obj->ref);
			*found = obj;
			ret = 0;
		}
		goto out_release;
	}

	new->id = id;
	ipcchan_obj_event(new, IPCCHAN_EVENT_CREATED);
	/*
	 * The table's reference, taken before anyone can find @new: once
	 * names_lock is dropped, an unlink may put it at once.
	 */
	kref_get(&new->ref);
	new->named = true;
	ret = xa_err(xa_store(&ids, id, new, GFP_NOWAIT));
	if (!ret) {
		xa_set_mark(&ids, id, kind_mark(key->kind));
		ret = rhashtable_insert_fast(&names, &new->node, names_params);
		if (ret)
			xa_erase(&ids, id);
	}
	if (ret) {
		/* Its DESTROYED event follows the CREATED one when it goes. */
		new->named = false;
		ipcchan_obj_put(new);	/* the caller's reference remains */
		ret = -ENOMEM;
		goto out_release;
	}
	mutex_unlock(&names_lock);
	*found = new;
	return 1;

out_release:
	mutex_unlock(&names_lock);
	xa_release(&ids, id);
	return ret;
}
EXPORT_SYMBOL_IPCCHAN_KUNIT(ipcchan_registry_open);

/**
 * ipcchan_registry_reserve_id() - take the id of an object without a name
 * @id: out: the id, reserved for ipcchan_registry_list()
 *
 * Return: 0, -ENOSPC when the ids are spent, or -ENOMEM.
 */
int ipcchan_registry_reserve_id(u64 *id)
{
	u64 v = atomic64_fetch_add_unless(&last_id, 1, ID_MAX);

	if (v == ID_MAX)
		return -ENOSPC;
	if (xa_reserve(&ids, ++v, GFP_KERNEL_ACCOUNT))
		return -ENOMEM;
	*id = v;
	return 0;
}

/* Gives back an id that ipcchan_registry_list() did not take. */
void ipcchan_registry_unreserve_id(u64 id)
{
	xa_release(&ids, id);
}

/**
 * ipcchan_registry_list() - list an object without a name under its id
 * @obj: the object, with its files made; its key has the empty name
 * @id: from ipcchan_registry_reserve_id(), which it takes
 *
 * The object is not in the name table, and the id table holds no reference
 * to it: it stays listed, for dumps and ipcchan_registry_get_id(), until
 * its last reference goes (obj_release()). Its CREATED event is sent before
 * any other task can find it.
 */
void ipcchan_registry_list(struct ipcchan_obj *obj, u64 id)
{
	obj->id = id;
	ipcchan_obj_event(obj, IPCCHAN_EVENT_CREATED);
	/* Into the reserved slot: nothing to allocate, so it cannot fail. */
	if (!xa_err(xa_store(&ids, id, obj, GFP_NOWAIT)))
		xa_set_mark(&ids, id, kind_mark(obj->key.kind));
}

static bool cred_in_group(const struct cred *cred, kgid_t gid)
{
	const struct group_info *groups = cred->group_info;
	unsigned int lo = 0, hi = groups->ngroups;

	if (gid_eq(cred->fsgid, gid))
		return true;
	/* groups_search() is not exported; group_info->gid is sorted. */
	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (gid_gt(gid, groups->gid[mid]))
			lo = mid + 1;
		else if (gid_lt(gid, groups->gid[mid]))
			hi = mid;
		else
			return true;
	}
	return false;
}

static bool ctl_owns(const struct ipcchan_obj *obj, const struct file *ctl)
{
	/* No file: the module itself (KUnit); netlink passes its socket file. */
	return !ctl || uid_eq(ctl->f_cred->fsuid, obj->uid) ||
	       file_ns_capable(ctl, &init_user_ns, CAP_IPC_OWNER);
}

/**
 * ipcchan_registry_unlink() - remove the name of an object
 * @key: kind and name
 * @ctl: the /dev/ipcchan file or netlink socket file asking, whose saved
 *	 credentials are checked, or NULL when the module itself asks (KUnit)
 *
 * The object lives on while files refer to it.
 *
 * Return: 0, -ENOENT, -EPERM when @ctl's opener neither owns the object
 * nor has CAP_IPC_OWNER, or -EINTR when a fatal signal came while waiting
 * for names_lock.
 */
int ipcchan_registry_unlink(const struct ipcchan_key *key,
			    const struct file *ctl)
{
	struct ipcchan_obj *obj;
	int ret = 0;

	if (mutex_lock_killable(&names_lock))
		return -EINTR;
	obj = rhashtable_lookup_fast(&names, key, names_params);
	if (!obj) {
		ret = -ENOENT;
	} else if (!ctl_owns(obj, ctl)) {
		ret = -EPERM;
	} else {
		rhashtable_remove_fast(&names, &obj->node, names_params);
		xa_erase(&ids, obj->id);
		/* Out of both tables before lookups see it unnamed. */
		smp_store_release(&obj->named, false);
	}
	mutex_unlock(&names_lock);
	if (ret)
		return ret;

	if (obj->kind->unlinked)
		obj->kind->unlinked(obj);
	ipcchan_obj_put(obj);
	return 0;
}
EXPORT_SYMBOL_IPCCHAN_KUNIT(ipcchan_registry_unlink);

/**
 * ipcchan_obj_mode_rights() - what @obj's mode bits grant @cred
 * @obj: the object
 * @cred: the credentials saved when a file was opened
 *
 * Counts the owner, group or other bits that apply, and no capability.
 *
 * Return: MAY_READ and/or MAY_WRITE, or 0.
 */
int ipcchan_obj_mode_rights(const struct ipcchan_obj *obj,
			    const struct cred *cred)
{
	umode_t mode = obj->mode;

	if (uid_eq(cred->fsuid, obj->uid))
		mode >>= 6;
	else if (cred_in_group(cred, obj->gid))
		mode >>= 3;
	return mode & (MAY_READ | MAY_WRITE);
}

/**
 * ipcchan_obj_permission() - may the opener of @ctl access @obj?
 * @obj: the object
 * @ctl: the /dev/ipcchan file; its f_cred are the opener's credentials
 * @mask: MAY_READ and/or MAY_WRITE
 *
 * Return: 0 or -EACCES.
 */
int ipcchan_obj_permission(const struct ipcchan_obj *obj,
			   const struct file *ctl, int mask)
{
	if (!(mask & ~ipcchan_obj_mode_rights(obj, ctl->f_cred) &
	      (MAY_READ | MAY_WRITE)))
		return 0;
	if (file_ns_capable(ctl, &init_user_ns, CAP_IPC_OWNER))
		return 0;
	return -EACCES;
}
EXPORT_SYMBOL_IPCCHAN_KUNIT(ipcchan_obj_permission);

/**
 * ipcchan_registry_get() - find a named object
 * @key: kind and name
 *
 * Return: the object with a reference for the caller, or NULL.
 */
struct ipcchan_obj *ipcchan_registry_get(const struct ipcchan_key *key)
{
	return lookup_get(key);
}
EXPORT_SYMBOL_IPCCHAN_KUNIT(ipcchan_registry_get);

/**
 * ipcchan_registry_get_id() - find a listed object by its id
 * @id: the id, from userspace
 *
 * Return: the object, named or not, with a reference for the caller, or
 * NULL.
 */
struct ipcchan_obj *ipcchan_registry_get_id(u64 id)
{
	struct ipcchan_obj *obj;

	if (!id || id > ID_MAX)
		return NULL;
	rcu_read_lock();
	obj = xa_load(&ids, id);
	if (obj && !kref_get_unless_zero(&obj->ref))
		obj = NULL;
	rcu_read_unlock();
	return obj;
}

/* The first object from @index on (of @kind, if not 0), with a reference. */
static struct ipcchan_obj *dump_next(unsigned long *index, u32 kind)
{
	struct ipcchan_obj *obj;

	rcu_read_lock();
	for (;;) {
		obj = xa_find(&ids, index, ULONG_MAX,
			      kind ? kind_mark(kind) : XA_PRESENT);
		if (!obj || kref_get_unless_zero(&obj->ref))
			break;
		if (*index == ULONG_MAX) {
			obj = NULL;
			break;
		}
		++*index;
	}
	rcu_read_unlock();
	return obj;
}

/**
 * ipcchan_registry_dump() - walk the listed objects in the order of their ids
 * @pos: in: the first id to visit; out: the id to resume from
 * @kind: only objects of this kind, or 0 for all
 * @fn: called for each object, with a reference to it and no lock held; a
 *	non-zero return stops the walk at that object, which is visited again
 *	on resumption
 * @arg: for @fn
 *
 * The listed objects are the named ones and the unnamed ones not yet freed.
 * Takes no lock: objects of other kinds are not visited, and objects named,
 * made, unlinked or freed during the walk may or may not be.
 *
 * Return: what @fn returned, or 0 when the walk is complete.
 */
int ipcchan_registry_dump(u64 *pos, u32 kind,
			  int (*fn)(struct ipcchan_obj *obj, void *arg),
			  void *arg)
{
	struct ipcchan_obj *obj;
	unsigned long index;
	int ret;

	if (kind && !ipcchan_kind_desc(kind))
		return -EINVAL;
	if (*pos > ID_MAX)
		return 0;
	index = *pos;
	while ((obj = dump_next(&index, kind))) {
		ret = fn(obj, arg);
		ipcchan_obj_put(obj);
		if (ret) {
			*pos = index;
			return ret;
		}
		if (index == ULONG_MAX)
			break;
		index++;
	}
	*pos = (u64)atomic64_read(&last_id) + 1;
	return 0;
}
EXPORT_SYMBOL_IPCCHAN_KUNIT(ipcchan_registry_dump);

#if IS_ENABLED(CONFIG_KUNIT)
/**
 * ipcchan_registry_set_last_id() - make the next id @id + 1, for KUnit
 * @id: the id to count on from
 *
 * Return: the last id given before.
 */
u64 ipcchan_registry_set_last_id(u64 id)
{
	return atomic64_xchg(&last_id, id);
}
EXPORT_SYMBOL_IPCCHAN_KUNIT(ipcchan_registry_set_last_id);
#endif

int ipcchan_registry_init(void)
{
	return rhashtable_init(&names, &names_params);
}

static void drop_name(void *ptr, void *arg)
{
	ipcchan_obj_put(ptr);
}

/* Called at module exit, when no file can refer to any object any more. */
void ipcchan_registry_uninit(void)
{
	xa_destroy(&ids);
	rhashtable_free_and_destroy(&names, drop_name, NULL);
}
