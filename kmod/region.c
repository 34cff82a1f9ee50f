// SPDX-License-Identifier: GPL-2.0
/*
 * Regions: named shared memory that processes map, whose lifetime and
 * permissions the kernel owns. Their memory, and how it is mapped, is in
 * kmod/region_mmap.c.
 *
 * Lifetime: every region file holds a reference to the region, the name
 * holds one too, and the region holds the shmem file. A VMA holds the
 * region file it was mapped through (vm_private_data), and through it the
 * region and the module: the last reference to the module then goes in
 * __fput(), after the module's code has returned, so the module cannot go
 * while a mapping exists. vm_ops .open and .close keep the count of VMAs,
 * which fork, split and mremap change.
 *
 * Wait and wake: a futex-like wait on a __u32 of the region, and a wake
 * count that poll reports, give a ring in the region a way to sleep in the
 * kernel and fit an epoll loop. Files may be attached as a ring's producer
 * or consumer; when the last file of one side closes, the other side's
 * waits fail with EPIPE instead of sleeping forever.
 */

#include <linux/err.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/poll.h>
#include <linux/sched.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>
#include <linux/wait.h>
#include <net/netlink.h>

#include "kind.h"
#include "limits.h"
#include "region.h"
#include "region_internal.h"
#include "registry.h"
#include "uarg.h"
#include "wait.h"

#define REGION_ACCESS	(IPCCHAN_REGION_READ | IPCCHAN_REGION_WRITE)
#define REGION_OPEN_ALL	(REGION_ACCESS | IPCCHAN_OPEN_CREATE | \
			 IPCCHAN_OPEN_EXCL | IPCCHAN_OPEN_NONBLOCK | \
			 IPCCHAN_OPEN_CLOEXEC | IPCCHAN_OPEN_ADOPT | \
			 IPCCHAN_REGION_EXEC)
#define REGION_WAIT_ALL	(IPCCHAN_XFER_NONBLOCK | IPCCHAN_XFER_TIMEOUT)

/* The tmpfs mount of region memory, with huge=never. */
static struct vfsmount *region_mnt;

static struct ipcchan_region *to_region(struct ipcchan_obj *obj)
{
	return container_of(obj, struct ipcchan_region, obj);
}

/* Is the other side of @role's ring gone? Called with r->lock held. */
static bool peer_gone(const struct ipcchan_region *r, u32 role)
{
	int peer;

	if (!role)
		return false;
	peer = role == IPCCHAN_ROLE_PRODUCER ? IPCCHAN_ROLE_CONSUMER :
					       IPCCHAN_ROLE_PRODUCER;
	return r->role_seen[peer - 1] && !r->role_files[peer - 1];
}

/* Reads the __u32 at @offset of the region, from its shmem page. */
static int region_read_u32(struct ipcchan_region *r, u64 offset, u32 *val)
{
	struct address_space *mapping = r->shmem->f_mapping;
	struct page *page;
	void *addr;

	page = shmem_read_mapping_page_gfp(mapping, offset >> PAGE_SHIFT,
					   mapping_gfp_mask(mapping));
	if (IS_ERR(page))
		return PTR_ERR(page);
	addr = kmap_local_page(page);
	*val = READ_ONCE(*(u32 *)(addr + offset_in_page(offset)));
	kunmap_local(addr);
	put_page(page);
	return 0;
}

/*
 * The wake count orders a wait against a wake. A waiter reads the count,
 * then the value; a waker has changed the value before it raises the count.
 * So a waiter that reads the old value reads the count before it is raised,
 * and sees it raised when it checks again after joining r->wq:
 *
 *	waiter				waker
 *	seq = r->wakes			*word = new  (in userspace)
 *	smp_mb()			smp_mb()
 *	val = *word  (old)		r->wakes++; wake_up(&r->wq)
 *	join r->wq, check r->wakes != seq
 */
static long region_ioctl_wait(struct file *file, unsigned int cmd,
			      void __user *uarg)
{
	struct region_file *rf = region_file_of(file);
	struct ipcchan_region *r = rf->r;
	struct ipcchan_region_wait args;
	struct ipcchan_wait w;
	DEFINE_WAIT(wait);
	u64 seq;
	u32 val;
	int ret;

	/* It reads the region: a write-only fd may not, as read(2) may not. */
	if (!(file->f_mode & FMODE_READ))
		return -EBADF;
	ret = ipcchan_get_arg(&args, sizeof(args),
			      IPCCHAN_REGION_WAIT_SIZE_VER0, cmd, uarg);
	if (ret)
		return ret;
	if (args.__reserved || args.offset % sizeof(u32) ||
	    args.offset > r->size - sizeof(u32))
		return -EINVAL;
	ret = ipcchan_wait_init(&w, file, args.flags, REGION_WAIT_ALL,
				args.timeout_ns);
	if (ret)
		return ret;

	spin_lock(&r->lock);
	seq = r->wakes;
	rf->seen = seq;
	spin_unlock(&r->lock);
	smp_mb();	/* read the count before the value; see above */
	ret = region_read_u32(r, args.offset, &val);
	if (ret || val != args.expected)
		return ret;

	for (;;) {
		prepare_to_wait(&r->wq, &wait, TASK_INTERRUPTIBLE);
		spin_lock(&r->lock);
		if (r->wakes != seq) {
			rf->seen = r->wakes;
			ret = 1;
		} else if (peer_gone(r, rf->role)) {
			ret = -EPIPE;
		}
		spin_unlock(&r->lock);
		if (ret)
			break;
		ret = w.nonblock ? -EAGAIN : ipcchan_wait_stop(&w);
		if (ret)
			break;
		ipcchan_wait_sleep(&w);
	}
	finish_wait(&r->wq, &wait);
	return ret < 0 ? ret : 0;
}

static long region_ioctl_wake(struct ipcchan_region *r, unsigned int cmd,
			      void __user *uarg)
{
	struct ipcchan_region_wake args;
	int ret;

	ret = ipcchan_get_arg(&args, sizeof(args),
			      IPCCHAN_REGION_WAKE_SIZE_VER0, cmd, uarg);
	if (ret)
		return ret;
	if (args.flags)
		return -EINVAL;

	/* Order the caller's stores to the region before the count. */
	smp_mb();
	spin_lock(&r->lock);
	r->wakes++;
	spin_unlock(&r->lock);
	ipcchan_wake(&r->wq, EPOLLIN | EPOLLRDNORM);
	return 0;
}

static long region_ioctl_attach(struct file *file, unsigned int cmd,
				void __user *uarg)
{
	struct region_file *rf = region_file_of(file);
	struct ipcchan_region *r = rf->r;
	struct ipcchan_region_attach args;
	int ret;

	ret = ipcchan_get_arg(&args, sizeof(args),
			      IPCCHAN_REGION_ATTACH_SIZE_VER0, cmd, uarg);
	if (ret)
		return ret;
	if (args.role != IPCCHAN_ROLE_PRODUCER &&
	    args.role != IPCCHAN_ROLE_CONSUMER)
		return -EINVAL;
	/* A producer writes the ring, a consumer reads it. */
	if (!(file->f_mode & (args.role == IPCCHAN_ROLE_PRODUCER ?
			      FMODE_WRITE : FMODE_READ)))
		return -EBADF;

	spin_lock(&r->lock);
	if (rf->role) {
		ret = -EBUSY;
	} else {
		rf->role = args.role;
		r->role_files[args.role - 1]++;
		r->role_seen[args.role - 1] = true;
	}
	spin_unlock(&r->lock);
	return ret;
}

static long region_ioctl_info(struct ipcchan_region *r, unsigned int cmd,
			      void __user *uarg)
{
	struct ipcchan_region_info info;
	u32 usize;
	int ret;

	ret = ipcchan_get_arg(&info, sizeof(info),
			      IPCCHAN_REGION_INFO_SIZE_VER0, cmd, uarg);
	if (ret)
		return ret;
	if (info.flags)
		return -EINVAL;

	usize = info.size;
	memset(&info, 0, sizeof(info));
	info.size = usize;
	info.region_size = r->size;
	info.mode = r->obj.mode;
	info.uid = from_kuid_munged(current_user_ns(), r->obj.uid);
	info.gid = from_kgid_munged(current_user_ns(), r->obj.gid);
	info.mappings = atomic_read(&r->mappings);
	memcpy(info.name, r->obj.key.name, sizeof(info.name));

	spin_lock(&r->lock);
	info.producers = r->role_files[IPCCHAN_ROLE_PRODUCER - 1];
	info.consumers = r->role_files[IPCCHAN_ROLE_CONSUMER - 1];
	info.wakes = r->wakes;
	spin_unlock(&r->lock);

	return ipcchan_put_arg(uarg, &info, sizeof(info), cmd);
}

static long region_ioctl(struct file *file, unsigned int cmd,
			 unsigned long arg)
{
	struct region_file *rf = region_file_of(file);
	void __user *uarg = (void __user *)arg;

	switch (IPCCHAN_IOC_NOSIZE(cmd)) {
	case IPCCHAN_IOC_NOSIZE(IPCCHAN_IOC_REGION_INFO):
		return region_ioctl_info(rf->r, cmd, uarg);
	case IPCCHAN_IOC_NOSIZE(IPCCHAN_IOC_REGION_ATTACH):
		return region_ioctl_attach(file, cmd, uarg);
	case IPCCHAN_IOC_NOSIZE(IPCCHAN_IOC_REGION_WAIT):
		return region_ioctl_wait(file, cmd, uarg);
	case IPCCHAN_IOC_NOSIZE(IPCCHAN_IOC_REGION_WAKE):
		return region_ioctl_wake(rf->r, cmd, uarg);
	}
	return -ENOTTY;
}

static __poll_t region_poll(struct file *file, poll_table *pt)
{
	struct region_file *rf = region_file_of(file);
	struct ipcchan_region *r = rf->r;
	__poll_t mask = 0;

	poll_wait(file, &r->wq, pt);
	spin_lock(&r->lock);
	if (r->wakes != rf->seen)
		mask |= EPOLLIN | EPOLLRDNORM;
	if (peer_gone(r, rf->role))
		mask |= EPOLLHUP;
	spin_unlock(&r->lock);
	return mask;
}

static int region_release(struct inode *inode, struct file *file)
{
	struct region_file *rf = region_file_of(file);
	struct ipcchan_region *r = rf->r;
	bool last = false;

	spin_lock(&r->lock);
	if (rf->role)
		last = !--r->role_files[rf->role - 1];
	spin_unlock(&r->lock);
	if (last)
		ipcchan_wake(&r->wq, EPOLLHUP);
	atomic_dec(&r->files);
	kfree(rf);
	ipcchan_obj_put(&r->obj);
	return 0;
}

static const struct file_operations region_fops = {
	.owner = THIS_MODULE,
	.release = region_release,
	.mmap = ipcchan_region_mmap,
	.poll = region_poll,
	.unlocked_ioctl = region_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

static void region_file_init(void *priv, struct ipcchan_obj *obj,
			     struct ipcchan_obj *tx, fmode_t fmode,
			     struct ipcchan_user *user, kuid_t uid)
{
	struct region_file *rf = priv;

	rf->r = to_region(obj);
}

static void region_file_opened(struct file *file)
{
	atomic_inc(&region_file_of(file)->r->files);
}

static struct ipcchan_obj *region_file_obj(const struct file *file)
{
	return &region_file_of(file)->r->obj;
}

static void region_free(struct ipcchan_obj *obj)
{
	struct ipcchan_region *r = to_region(obj);

	put_page(r->last);
	fput(r->shmem);
	kfree_rcu(r, obj.rcu);
}

static int region_fill(struct ipcchan_obj *obj, struct sk_buff *skb)
{
	struct ipcchan_region *r = to_region(obj);

	if (nla_put_u32(skb, IPCCHAN_A_FDS, atomic_read(&r->files)) ||
	    nla_put_u64_64bit(skb, IPCCHAN_A_REGION_SIZE, r->size,
			      IPCCHAN_A_PAD) ||
	    nla_put_u32(skb, IPCCHAN_A_MAPPINGS, atomic_read(&r->mappings)))
		return -EMSGSIZE;
	return 0;
}

/*
 * No huge page may straddle the end of a region: mapped by a PMD through a
 * mapping that mremap() grew, it would hide the SIGBUS past the end and use
 * memory nobody is charged for. The mount's huge=never stops shmem from
 * allocating one, but not MADV_COLLAPSE (nor khugepaged under
 * shmem_enabled=force), which builds one from the pages present: so the
 * region holds its last page, which neither can take (they refuse a page
 * with a reference they do not know), and over which shmem never allocates
 * a huge page. It is allocated now, outside ZONE_MOVABLE, where a page that
 * cannot move harms nobody, and the inode is append-only, so that no
 * MADV_REMOVE punches it out of the file (nothing else can: the file is
 * never truncated, and reclaim and migration leave a held page alone).
 *
 * Append-only has a second use: remap_file_pages(2) on a shared writable
 * mapping calls do_mmap() on vm_file, the shmem file, which would make a
 * VMA with shmem's vm_ops, holding neither the region file nor its exec
 * rule; do_mmap() refuses MAP_SHARED of an append-only inode open for
 * write, so it fails with EACCES (hardening_region.remap_file_pages_refused).
 * Regions larger than a huge page may still get huge pages away from their
 * end through MADV_COLLAPSE, which ignores huge=never: they lie inside the
 * region, are charged like small ones and move like them.
 */
static int region_hold_end(struct ipcchan_region *r)
{
	struct address_space *mapping = r->shmem->f_mapping;
	struct page *page;

	page = shmem_read_mapping_page_gfp(mapping,
					   (r->size >> PAGE_SHIFT) - 1,
					   mapping_gfp_constraint(mapping,
								  ~__GFP_MOVABLE));
	if (IS_ERR(page))
		return PTR_ERR(page);
	r->last = page;
	inode_set_flags(mapping->host, S_APPEND, S_APPEND);
	return 0;
}

static struct ipcchan_obj *region_alloc(struct ipcchan_open_req *req)
{
	const struct ipcchan_region_open *args = req->args;
	u64 size = PAGE_ALIGN(args->region_size);
	struct ipcchan_region *r;
	int ret;

	r = kzalloc(sizeof(*r), GFP_KERNEL_ACCOUNT);
	if (!r)
		return ERR_PTR(-ENOMEM);
	r->shmem = shmem_file_setup_with_mnt(region_mnt, "ipcchan-region", size,
					     VM_NORESERVE);
	if (IS_ERR(r->shmem)) {
		ret = PTR_ERR(r->shmem);
		/*
		 * A kernel mount of tmpfs has no inode or block limit, so its
		 * ENOSPC only means that no inode could be allocated; to the
		 * caller ENOSPC means too many regions.
		 */
		if (ret == -ENOSPC)
			ret = -ENOMEM;
		goto out_free;
	}
	r->size = size;
	ret = region_hold_end(r);
	if (ret) {
		if (ret == -ENOSPC)
			ret = -ENOMEM;
		goto out_shmem;
	}

	ipcchan_obj_init(&r->obj, &req->key, req->kind, req->ctl->f_cred,
			 args->mode);
	r->exec = args->flags & IPCCHAN_REGION_EXEC;
	atomic_set(&r->mappings, 0);
	atomic_set(&r->files, 0);
	spin_lock_init(&r->lock);
	init_waitqueue_head(&r->wq);
	return &r->obj;

out_shmem:
	fput(r->shmem);
out_free:
	kfree(r);
	return ERR_PTR(ret);
}

/* A region is charged for its size in whole pages. */
static u64 region_cost(const void *uargs)
{
	const struct ipcchan_region_open *args = uargs;

	return PAGE_ALIGN(args->region_size);
}

static int region_open_check(void *uargs, struct ipcchan_open_req *req)
{
	const struct ipcchan_region_open *args = uargs;
	u32 flags = args->flags;

	if (flags & ~REGION_OPEN_ALL || !(flags & REGION_ACCESS) ||
	    args->__reserved)
		return -EINVAL;
	req->name = args->name;
	req->flags = flags;
	if (!(flags & IPCCHAN_OPEN_CREATE))
		return (flags & (IPCCHAN_OPEN_EXCL | IPCCHAN_REGION_EXEC)) ||
		       args->mode || args->region_size ? -EINVAL : 0;
	if (args->mode & ~0777 || !args->region_size ||
	    args->region_size > ipcchan_limit_region_size() ||
	    PAGE_ALIGN(args->region_size) < args->region_size)
		return -EINVAL;
	return 0;
}

static unsigned int max_regions = 4096;
module_param(max_regions, uint, 0644);
MODULE_PARM_DESC(max_regions,
		 "Most regions that may exist at once, named or not");

static unsigned int max_regions_per_user = 64;
module_param(max_regions_per_user, uint, 0644);
MODULE_PARM_DESC(max_regions_per_user,
		 "Most regions one user, with the uids of its user namespaces, or one user namespace that root owns, may own at once");

static const struct ipcchan_kind_desc region_kind = {
	.name = "region",
	.kind = IPCCHAN_KIND_REGION,
	.features = IPCCHAN_FEAT_REGION | IPCCHAN_FEAT_REGION_EXEC,
	.open_cmd = IPCCHAN_IOC_REGION_OPEN,
	.open_size_ver0 = IPCCHAN_REGION_OPEN_SIZE_VER0,
	.open_check = region_open_check,
	.may_read = IPCCHAN_REGION_READ,
	.may_write = IPCCHAN_REGION_WRITE,
	.alloc = region_alloc,
	.cost = region_cost,
	.file_name = "[ipcchan-region]",
	.fops = &region_fops,
	.file_size = sizeof(struct region_file),
	.file_init = region_file_init,
	.file_opened = region_file_opened,
	.file_obj = region_file_obj,
	.free = region_free,
	.max_objects = &max_regions,
	.max_objects_per_user = &max_regions_per_user,
	.fill = region_fill,
	.handle = true,
};

/**
 * ipcchan_region_init() - mounts the tmpfs that region memory lives on
 *
 * A mount of its own, with huge=never, keeps region memory in small pages
 * whatever shmem_enabled says for the internal shmem mount. A kernel mount
 * has no size or inode limit, as the internal one. Then the kind
 * registers.
 *
 * Return: 0, or a negative errno.
 */
int ipcchan_region_init(void)
{
	struct file_system_type *type = get_fs_type("tmpfs");
	char opts[] = "huge=never";
	int ret;

	if (!type)
		return -ENODEV;
	/* Without THP, tmpfs may not know the option, and needs none. */
	region_mnt = vfs_kern_mount(type, SB_KERNMOUNT, type->name,
				    IS_ENABLED(CONFIG_TRANSPARENT_HUGEPAGE) ?
				    opts : NULL);
	/* tmpfs is built in: get_fs_type() took no module reference. */
	if (IS_ERR(region_mnt))
		return PTR_ERR(region_mnt);
	ret = ipcchan_kind_register(&region_kind);
	if (ret)
		kern_unmount(region_mnt);
	return ret;
}

void ipcchan_region_uninit(void)
{
	ipcchan_kind_unregister(&region_kind);
	kern_unmount(region_mnt);
}
