// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers of the ipcchan KUnit suites; see util.h.
 */

#include <kunit/test.h>
#include <linux/anon_inodes.h>
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/err.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/skbuff.h>
#include <linux/string.h>
#include <linux/uio.h>
#include <net/netlink.h>

#include "../../kmod/kind.h"
#include "util.h"

MODULE_DESCRIPTION("KUnit suites of ipcchan");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(IPCCHAN_KUNIT);

static const struct file_operations ik_ctl_fops = {
	.owner = THIS_MODULE,
};

static void ik_fput_res(struct kunit_resource *res)
{
	fput(res->data);
}

/* Makes @file a resource of @test, which fput()s it at the end. */
static struct file *ik_keep_file(struct kunit *test, struct file *file)
{
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(file), "open failed: %ld",
			       PTR_ERR(file));
	if (!kunit_alloc_resource(test, NULL, ik_fput_res, GFP_KERNEL, file)) {
		fput(file);
		KUNIT_ASSERT_FAILURE(test, "no memory for a resource");
	}
	return file;
}

static bool ik_res_is(struct kunit *test, struct kunit_resource *res,
		      void *data)
{
	return res->data == data;
}

/*
 * Closes a file from ik_keep_file() before the end of the test, at once:
 * fput() from a kernel thread would leave the release to a work item.
 */
void ik_fput(struct kunit *test, struct file *file)
{
	struct kunit_resource *res;

	res = kunit_find_resource(test, ik_res_is, file);
	KUNIT_ASSERT_NOT_NULL(test, res);
	res->free = NULL;
	kunit_remove_resource(test, res);
	kunit_put_resource(res);
	__fput_sync(file);
}

/*
 * A control file standing for /dev/ipcchan opened by @uid/@gid: the module
 * decides on its f_cred. Unless @privileged, it has no capability.
 */
struct file *ik_ctl(struct kunit *test, uid_t uid, gid_t gid, bool privileged)
{
	const struct cred *old;
	struct cred *cred;
	struct file *file;

	cred = prepare_creds();
	KUNIT_ASSERT_NOT_NULL(test, cred);
	cred->uid = KUIDT_INIT(uid);
	cred->euid = cred->uid;
	cred->suid = cred->uid;
	cred->fsuid = cred->uid;
	cred->gid = KGIDT_INIT(gid);
	cred->egid = cred->gid;
	cred->sgid = cred->gid;
	cred->fsgid = cred->gid;
	if (!privileged) {
		cap_clear(cred->cap_effective);
		cap_clear(cred->cap_permitted);
	}
	old = override_creds(cred);
	file = anon_inode_getfile("[ipcchan-kunit-ctl]", &ik_ctl_fops, NULL,
				  O_RDWR);
	revert_creds(old);
	put_cred(cred);
	return ik_keep_file(test, file);
}

struct ik_param {
	char path[96];
	char old[32];
};

static ssize_t ik_param_write(const char *path, const char *val)
{
	struct file *file;
	loff_t pos = 0;
	ssize_t ret;

	file = filp_open(path, O_WRONLY, 0);
	if (IS_ERR(file))
		return PTR_ERR(file);
	ret = kernel_write(file, val, strlen(val), &pos);
	fput(file);
	return ret;
}

static void ik_param_restore(struct kunit_resource *res)
{
	struct ik_param *p = res->data;

	ik_param_write(p->path, p->old);
	kfree(p);
}

/*
 * Sets the module parameter @name through sysfs, as root would, for the rest
 * of the test; its old value comes back at the end.
 */
void ik_param_set(struct kunit *test, const char *name, unsigned long val)
{
	struct ik_param *p;
	struct file *file;
	char buf[32];
	loff_t pos = 0;
	ssize_t n;

	p = kzalloc(sizeof(*p), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	snprintf(p->path, sizeof(p->path), "/sys/module/ipcchan/parameters/%s",
		 name);
	file = filp_open(p->path, O_RDONLY, 0);
	if (IS_ERR(file)) {
		kfree(p);
		KUNIT_FAIL(test, "open %s: %ld", name, PTR_ERR(file));
		return;
	}
	n = kernel_read(file, p->old, sizeof(p->old) - 1, &pos);
	fput(file);
	if (n <= 0) {
		kfree(p);
		KUNIT_FAIL(test, "read %s: %zd", name, n);
		return;
	}
	p->old[n] = '\0';
	if (!kunit_alloc_resource(test, NULL, ik_param_restore, GFP_KERNEL,
				  p)) {
		kfree(p);
		KUNIT_ASSERT_FAILURE(test, "no memory for a resource");
	}
	snprintf(buf, sizeof(buf), "%lu", val);
	n = ik_param_write(p->path, buf);
	KUNIT_ASSERT_EQ_MSG(test, n, (ssize_t)strlen(buf), "write %s", name);
}

struct ik_named {
	struct ipcchan_key key;
};

static void ik_unlink(struct kunit_resource *res)
{
	struct ik_named *n = res->data;

	/* Gone already when the test unlinked it itself. */
	ipcchan_registry_unlink(&n->key, NULL);
	kfree(n);
}

/*
 * A name unique to this test, "kunit-<what>-<n>", which is unlinked at the
 * end whatever kind it was given to.
 */
void ik_name(struct kunit *test, char name[IPCCHAN_NAME_MAX], const char *what)
{
	static atomic_t serial = ATOMIC_INIT(0);
	struct ik_named *n;
	int kind;

	memset(name, 0, IPCCHAN_NAME_MAX);
	snprintf(name, IPCCHAN_NAME_MAX, "kunit-%s-%d", what,
		 atomic_inc_return(&serial));
	for (kind = 1; kind <= IPCCHAN_KIND_MAX; kind++) {
		n = kzalloc(sizeof(*n), GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, n);
		KUNIT_ASSERT_EQ(test, ipcchan_key_init(&n->key, kind, name), 0);
		if (!kunit_alloc_resource(test, NULL, ik_unlink, GFP_KERNEL,
					  n)) {
			kfree(n);
			KUNIT_ASSERT_FAILURE(test, "no memory for a resource");
		}
	}
}

/* Opens an object as IPCCHAN_IOC_*_OPEN would, without the fd. */
struct file *ik_open_file(struct file *ctl, u32 kind, const void *args)
{
	return ipcchan_open_file(ctl, ipcchan_kind_desc(kind), args);
}

/* Opens a channel as IPCCHAN_IOC_CHAN_OPEN would, always nonblocking. */
struct file *ik_chan(struct kunit *test, struct file *ctl, const char *name,
		     u32 flags, u32 max_msg_size, u32 max_msgs, u64 max_bytes)
{
	struct ipcchan_chan_open args = {
		.size = sizeof(args),
		.flags = flags | IPCCHAN_OPEN_NONBLOCK,
		.mode = flags & IPCCHAN_OPEN_CREATE ? 0600 : 0,
		.max_msg_size = max_msg_size,
		.max_msgs = max_msgs,
		.max_bytes = max_bytes,
	};

	strscpy(args.name, name, sizeof(args.name));
	return ik_keep_file(test, ik_open_file(ctl, IPCCHAN_KIND_CHANNEL, &args));
}

/* Opens a region as IPCCHAN_IOC_REGION_OPEN would. */
struct file *ik_region(struct kunit *test, struct file *ctl, const char *name,
		       u32 flags, u64 size)
{
	struct ipcchan_region_open args = {
		.size = sizeof(args),
		.flags = flags,
		.mode = flags & IPCCHAN_OPEN_CREATE ? 0600 : 0,
		.region_size = size,
	};

	strscpy(args.name, name, sizeof(args.name));
	return ik_keep_file(test, ik_open_file(ctl, IPCCHAN_KIND_REGION, &args));
}

static void ik_obj_put_res(struct kunit_resource *res)
{
	ipcchan_obj_put(res->data);
}

/* The named object, with a reference held until the end of the test. */
struct ipcchan_obj *ik_lookup(struct kunit *test, u32 kind, const char *name)
{
	struct ipcchan_key key;
	struct ipcchan_obj *obj;

	KUNIT_ASSERT_EQ(test, ipcchan_key_init(&key, kind, name), 0);
	obj = ipcchan_registry_get(&key);
	KUNIT_ASSERT_NOT_NULL_MSG(test, obj, "%s is not named", name);
	if (!kunit_alloc_resource(test, NULL, ik_obj_put_res, GFP_KERNEL,
				  obj)) {
		ipcchan_obj_put(obj);
		KUNIT_ASSERT_FAILURE(test, "no memory for a resource");
	}
	return obj;
}

/*
 * The value of netlink attribute @attr (IPCCHAN_A_*) of @obj, as an
 * IPCCHAN_CMD_GET reply would carry it.
 */
u64 ik_attr(struct kunit *test, struct ipcchan_obj *obj, int attr)
{
	struct sk_buff *skb;
	struct nlattr *nla;
	u64 val = 0;
	int ret;

	skb = alloc_skb(NLMSG_GOODSIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	ret = obj->kind->fill(obj, skb);
	if (ret) {
		kfree_skb(skb);
		KUNIT_ASSERT_EQ(test, ret, 0);
	}
	nla = nla_find((struct nlattr *)skb->data, skb->len, attr);
	if (nla && nla_len(nla) == sizeof(u32))
		val = nla_get_u32(nla);
	else if (nla && nla_len(nla) == sizeof(u64))
		val = nla_get_u64(nla);
	kfree_skb(skb);
	KUNIT_ASSERT_NOT_NULL_MSG(test, nla, "no attribute %d", attr);
	return val;
}

/*
 * Changes the limits of @obj as IPCCHAN_CMD_SET would, with each limit that
 * is not 0 as its attribute. Returns what the kind's set returns.
 */
int ik_set_limits(struct kunit *test, struct ipcchan_obj *obj,
		  u64 max_msg_size, u64 max_msgs, u64 max_bytes)
{
	struct nlattr *attrs[IPCCHAN_A_MAX + 1] = {};
	struct sk_buff *skb;
	int ret;

	skb = alloc_skb(NLMSG_GOODSIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	if ((max_msg_size &&
	     nla_put_u32(skb, IPCCHAN_A_MAX_MSG_SIZE, max_msg_size)) ||
	    (max_msgs && nla_put_u32(skb, IPCCHAN_A_MAX_MSGS, max_msgs)) ||
	    (max_bytes && nla_put_u64_64bit(skb, IPCCHAN_A_MAX_BYTES, max_bytes,
					    IPCCHAN_A_PAD))) {
		kfree_skb(skb);
		KUNIT_ASSERT_FAILURE(test, "no room for the attributes");
	}
	attrs[IPCCHAN_A_MAX_MSG_SIZE] = nla_find((struct nlattr *)skb->data,
						 skb->len,
						 IPCCHAN_A_MAX_MSG_SIZE);
	attrs[IPCCHAN_A_MAX_MSGS] = nla_find((struct nlattr *)skb->data,
					     skb->len, IPCCHAN_A_MAX_MSGS);
	attrs[IPCCHAN_A_MAX_BYTES] = nla_find((struct nlattr *)skb->data,
					      skb->len, IPCCHAN_A_MAX_BYTES);
	ret = obj->kind->set(obj, attrs, NULL);
	kfree_skb(skb);
	return ret;
}

ssize_t ik_chan_write(struct file *file, const void *buf, size_t len)
{
	struct kvec kv = { .iov_base = (void *)buf, .iov_len = len };
	struct iov_iter iter;
	loff_t pos = 0;

	iov_iter_kvec(&iter, ITER_SOURCE, &kv, 1, len);
	return vfs_iter_write(file, &iter, &pos, 0);
}

ssize_t ik_chan_read(struct file *file, void *buf, size_t len)
{
	struct kvec kv = { .iov_base = buf, .iov_len = len };
	struct iov_iter iter;
	loff_t pos = 0;

	iov_iter_kvec(&iter, ITER_DEST, &kv, 1, len);
	return vfs_iter_read(file, &iter, &pos, 0);
}
