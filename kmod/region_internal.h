/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the files of a region share: kmod/region.c (the region object and
 * its files) and kmod/region_mmap.c (mapping it).
 */
#ifndef _IPCCHAN_REGION_INTERNAL_H
#define _IPCCHAN_REGION_INTERNAL_H

#include <linux/atomic.h>
#include <linux/fs.h>
#include <linux/mm_types.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>

#include "registry.h"

struct ipcchan_user;

struct ipcchan_region {
	struct ipcchan_obj obj;
	struct file *shmem;
	struct page *last;	/* the last page, held: see region_hold_end() */
	/* shmem's vm_ops, which the module's wrap; set by the first mmap */
	const struct vm_operations_struct *shmem_vm_ops;
	u64 size;
	bool exec;		/* created with IPCCHAN_REGION_EXEC */
	atomic_t mappings;
	atomic_t files;

	spinlock_t lock;	/* guards the wake count and the roles */
	u64 wakes;
	u32 role_files[2];	/* attached files, by role - 1 */
	bool role_seen[2];	/* a file was ever attached with the role */
	wait_queue_head_t wq;
};

/* What a region file knows. */
struct region_file {
	struct ipcchan_region *r;
	u64 seen;		/* r->wakes when it last waited; r->lock */
	u32 role;		/* IPCCHAN_ROLE_*, or 0; r->lock */
};

static inline struct region_file *region_file_of(const struct file *file)
{
	return file->private_data;
}

int ipcchan_region_mmap(struct file *file, struct vm_area_struct *vma);

#endif /* _IPCCHAN_REGION_INTERNAL_H */
