// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/ipcchan: the misc device through which objects are found, created
 * and unlinked. Its files carry no state of their own: what matters is the
 * credentials saved in file->f_cred when it was opened.
 */

#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/uaccess.h>

#include "channel.h"
#include "device.h"
#include "kind.h"
#include "limits.h"
#include "registry.h"
#include "uarg.h"

/* The features of the module itself; each kind adds its own. */
#define IPCCHAN_FEATURES	IPCCHAN_FEAT_NETLINK

/* The kind whose IPCCHAN_IOC_*_OPEN command @cmd is, or NULL. */
static const struct ipcchan_kind_desc *kind_of_open(unsigned int cmd)
{
	const struct ipcchan_kind_desc *kind;
	u32 k;

	for (k = 1; k <= IPCCHAN_KIND_MAX; k++) {
		kind = ipcchan_kind_desc(k);
		if (kind && IPCCHAN_IOC_NOSIZE(cmd) ==
		    IPCCHAN_IOC_NOSIZE(kind->open_cmd))
			return kind;
	}
	return NULL;
}

static long ctl_version(unsigned int cmd, void __user *uarg)
{
	const struct ipcchan_kind_desc *kind;
	struct ipcchan_version v;
	u32 k;
	int ret;

	ret = ipcchan_get_arg(&v, sizeof(v), IPCCHAN_VERSION_SIZE_VER0, cmd,
			      uarg);
	if (ret)
		return ret;

	v.abi_version = IPCCHAN_ABI_VERSION;
	v.features = IPCCHAN_FEATURES;
	for (k = 1; k <= IPCCHAN_KIND_MAX; k++) {
		kind = ipcchan_kind_desc(k);
		if (kind)
			v.features |= kind->features;
	}
	v.name_max = IPCCHAN_NAME_MAX;
	v.max_msg_size = ipcchan_limit_msg_size();
	v.max_msgs = ipcchan_limit_msgs();
	v.batch_max = IPCCHAN_BATCH_MAX;
	v.max_bytes = ipcchan_limit_bytes();
	v.max_region_size = ipcchan_limit_region_size();
	return ipcchan_put_arg(uarg, &v, sizeof(v), cmd);
}

static long ctl_kind_open(struct file *file, const struct ipcchan_kind_desc *kind,
			  unsigned int cmd, void __user *uarg)
{
	u64 args[IPCCHAN_OPEN_ARGS_MAX / sizeof(u64)];
	int ret;

	ret = ipcchan_get_arg(args, _IOC_SIZE(kind->open_cmd),
			      kind->open_size_ver0, cmd, uarg);
	if (ret)
		return ret;
	return ipcchan_open(file, kind, args);
}

static long ctl_unlink(struct file *file, unsigned int cmd, void __user *uarg)
{
	struct ipcchan_unlink args;
	struct ipcchan_key key;
	int ret;

	ret = ipcchan_get_arg(&args, sizeof(args), IPCCHAN_UNLINK_SIZE_VER0,
			      cmd, uarg);
	if (ret)
		return ret;
	ret = ipcchan_key_init(&key, args.kind, args.name);
	if (ret)
		return ret;
	return ipcchan_registry_unlink(&key, file);
}

static long ctl_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *uarg = (void __user *)arg;
	const struct ipcchan_kind_desc *kind;

	switch (IPCCHAN_IOC_NOSIZE(cmd)) {
	case IPCCHAN_IOC_NOSIZE(IPCCHAN_IOC_VERSION):
		return ctl_version(cmd, uarg);
	case IPCCHAN_IOC_NOSIZE(IPCCHAN_IOC_UNLINK):
		return ctl_unlink(file, cmd, uarg);
	case IPCCHAN_IOC_NOSIZE(IPCCHAN_IOC_CHAN_PIPE):
	case IPCCHAN_IOC_NOSIZE(IPCCHAN_IOC_CHAN_PAIR):
		return ipcchan_chan_ioctl_pair(file, cmd, uarg);
	}
	kind = kind_of_open(cmd);
	return kind ? ctl_kind_open(file, kind, cmd, uarg) : -ENOTTY;
}

static int ctl_open(struct inode *inode, struct file *file)
{
	return nonseekable_open(inode, file);
}

static const struct file_operations ctl_fops = {
	.owner = THIS_MODULE,
	.open = ctl_open,
	.unlocked_ioctl = ctl_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

static struct miscdevice ctl_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "ipcchan",
	.fops = &ctl_fops,
	.mode = 0666,
};

int ipcchan_device_init(void)
{
	return misc_register(&ctl_misc);
}

void ipcchan_device_uninit(void)
{
	misc_deregister(&ctl_misc);
}
