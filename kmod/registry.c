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
 * Naming and unlinking, the writers, are serialised by names_lock, which is
 * only ever taken killably and under which nothing is allocated with a
 * memory cgroup charge: the id and its slot in the id table are taken
 * before, so that a tenant at its memory cgroup limit stalls nobody but
 * itself. A new object's CREATED event is sent under names_lock before the
 * object enters either table, so that no other event of its id, nor a dump
 * entry, can come before it.
 */

#include <linux/capability.h>
#include <linux/err.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mutex.h>
#include <linux/pid.h>
#include <linux/rcupdate.h>
#include <linux/rhashtable.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/xarray.h>

#include "kunit.h"
#include "limits.h"
#include "netlink.h"
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
 * Named objects by id, in the order of their ids, for dumps that resume
 * where they stopped; marked by kind, so that a dump of one kind visits
 * only that kind. Written under names_lock, read under RCU.
 */
static DEFINE_XARRAY(ids);
static atomic64_t last_id = ATOMIC64_INIT(0);

#define ID_MAX	IPCCHAN_ID_MAX

static xa_mark_t kind_mark(u32 kind)
{
	return kind == IPCCHAN_KIND_CHANNEL ? XA_MARK_0 : XA_MARK_1;
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

	if (kind < 1 || kind > IPCCHAN_KIND_MAX)
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
 * @ops: its kind's operations
 * @cred: credentials of the /dev/ipcchan file that creates it
 * @mode: permission bits, already checked against 0777; the calling
 *	  task's umask is applied to them
 *
 * The object starts with one reference, owned by the caller.
 */
void ipcchan_obj_init(struct ipcchan_obj *obj, const struct ipcchan_key *key,
		      const struct ipcchan_obj_ops *ops,
		      const struct cred *cred, umode_t mode)
{
	obj->key = *key;
	kref_init(&obj->ref);
	obj->ops = ops;
	obj->uid = cred->fsuid;
	obj->gid = cred->fsgid;
	obj->mode = mode & ~current_umask() & 0777;
	obj->creator = get_pid(task_tgid(current));
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

	if (obj->id)
		ipcchan_nl_event(obj, IPCCHAN_EVENT_DESTROYED);
	put_pid(obj->creator);
	obj->ops->free(obj);
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
	ipcchan_nl_event(new, IPCCHAN_EVENT_CREATED);
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

	if (obj->ops->unlinked)
		obj->ops->unlinked(obj);
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

	ret = ipcchan_registry_open(req->key, NULL, excl, &obj);
	if (ret == -ENOENT && (req->flags & IPCCHAN_OPEN_CREATE)) {
		new = req->alloc(req);
		if (IS_ERR(new))
			return ERR_CAST(new);
		file = req->file(new, req);
		if (IS_ERR(file)) {
			ipcchan_obj_put(new);
			return file;
		}
		ret = ipcchan_registry_open(req->key, new, excl, &obj);
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
	file = req->file(obj, req);
	if (IS_ERR(file)) {
		ret = PTR_ERR(file);
		goto out_put;
	}
	return file;

out_put:
	ipcchan_obj_put(obj);
	return ERR_PTR(ret);
}

/**
 * ipcchan_obj_open_file() - open an object by name and return a new file
 * @req: the request; see struct ipcchan_open_req
 *
 * With IPCCHAN_OPEN_CREATE and without IPCCHAN_OPEN_ADOPT, an existing object
 * owned by another uid than the opener's fsuid is refused with -EEXIST, as
 * with IPCCHAN_OPEN_EXCL. IPCCHAN_OPEN_ADOPT needs IPCCHAN_OPEN_CREATE and
 * excludes IPCCHAN_OPEN_EXCL (-EINVAL).
 *
 * Return: the file, or ERR_PTR(-EINVAL, -EEXIST, -ENOENT, -EACCES, -ENOMEM,
 * -EINTR, -ENOSPC, or what @req->alloc and @req->file return).
 */
struct file *ipcchan_obj_open_file(struct ipcchan_open_req *req)
{
	struct file *file;

	if ((req->flags & IPCCHAN_OPEN_ADOPT) &&
	    (req->flags & (IPCCHAN_OPEN_CREATE | IPCCHAN_OPEN_EXCL)) !=
	    IPCCHAN_OPEN_CREATE)
		return ERR_PTR(-EINVAL);
	req->user = NULL;
	if (!file_ns_capable(req->ctl, &init_user_ns, CAP_SYS_RESOURCE)) {
		req->user = ipcchan_user_of(req->ctl->f_cred);
		if (IS_ERR(req->user))
			return ERR_CAST(req->user);
	}
	file = obj_open_file(req);
	ipcchan_user_put(req->user);
	req->user = NULL;
	return file;
}
EXPORT_SYMBOL_IPCCHAN_KUNIT(ipcchan_obj_open_file);

/**
 * ipcchan_obj_open() - open an object by name and return a new fd for it
 * @req: the request; see struct ipcchan_open_req
 *
 * The fd is reserved first, so that running out of fds cannot leave behind
 * a new named object.
 *
 * Return: the fd, or -EMFILE, or what ipcchan_obj_open_file() returns.
 */
int ipcchan_obj_open(struct ipcchan_open_req *req)
{
	struct file *file;
	int fd;

	fd = get_unused_fd_flags(req->flags & IPCCHAN_OPEN_CLOEXEC ?
				 O_CLOEXEC : 0);
	if (fd < 0)
		return fd;
	file = ipcchan_obj_open_file(req);
	if (IS_ERR(file)) {
		put_unused_fd(fd);
		return PTR_ERR(file);
	}
	fd_install(fd, file);
	return fd;
}

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
 * ipcchan_registry_dump() - walk the named objects in the order of their ids
 * @pos: in: the first id to visit; out: the id to resume from
 * @kind: only objects of this kind, or 0 for all
 * @fn: called for each object, with a reference to it and no lock held; a
 *	non-zero return stops the walk at that object, which is visited again
 *	on resumption
 * @arg: for @fn
 *
 * Takes no lock: objects of other kinds are not visited, and objects named
 * or unlinked during the walk may or may not be.
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
