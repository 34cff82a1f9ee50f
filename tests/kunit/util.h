/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the ipcchan KUnit suites share: /dev/ipcchan-like control files with
 * chosen credentials, channels and regions opened through the module's own
 * open paths, module parameters set for one test, and an object's state as
 * the netlink plane reports it.
 *
 * Everything made here is a KUnit resource: it is released when the test
 * ends, even when an assertion ends it early.
 */
#ifndef _IPCCHAN_KUNIT_UTIL_H
#define _IPCCHAN_KUNIT_UTIL_H

#include <kunit/test.h>
#include <linux/types.h>
#include <linux/uidgid.h>

#include "../../kmod/registry.h"

struct file;

/* An unprivileged uid and gid of the tests, and a second uid. */
#define IK_UID		4242
#define IK_GID		4343
#define IK_OTHER_UID	4444

struct file *ik_ctl(struct kunit *test, uid_t uid, gid_t gid, bool privileged);
void ik_param_set(struct kunit *test, const char *name, unsigned long val);
void ik_name(struct kunit *test, char name[IPCCHAN_NAME_MAX], const char *what);
struct file *ik_open_file(struct file *ctl, u32 kind, const void *args);
struct file *ik_chan(struct kunit *test, struct file *ctl, const char *name,
		     u32 flags, u32 max_msg_size, u32 max_msgs, u64 max_bytes);
struct file *ik_region(struct kunit *test, struct file *ctl, const char *name,
		       u32 flags, u64 size);
void ik_fput(struct kunit *test, struct file *file);
struct ipcchan_obj *ik_lookup(struct kunit *test, u32 kind, const char *name);
u64 ik_attr(struct kunit *test, struct ipcchan_obj *obj, int attr);
/*
 * One message through a channel file's _iter methods, as writev(2) and
 * readv(2) go: its .read and .write methods make kernel_read() and
 * kernel_write() refuse it.
 */
ssize_t ik_chan_write(struct file *file, const void *buf, size_t len);
ssize_t ik_chan_read(struct file *file, void *buf, size_t len);
int ik_set_limits(struct kunit *test, struct ipcchan_obj *obj,
		  u64 max_msg_size, u64 max_msgs, u64 max_bytes);

#endif /* _IPCCHAN_KUNIT_UTIL_H */
