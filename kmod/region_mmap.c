// SPDX-License-Identifier: GPL-2.0
/*
 * Mapping a region: its mmap and the vm_ops of its mappings.
 *
 * Memory: a region's pages belong to a shmem file the region holds, made
 * on the module's own tmpfs mount, which never uses huge pages: a region's
 * memory is what it is charged for whatever
 * /sys/kernel/mm/transparent_hugepage/shmem_enabled says (only its testing
 * value "force" overrides every mount). mmap of a region fd maps that shmem
 * file itself, as dma_buf_mmap() maps an exporter's file: the VMA's vm_file
 * becomes the shmem file, so the mapping sits in the shmem mapping's i_mmap
 * and rmap finds it; migration, compaction, memory offlining and reclaim
 * move region pages like any memfd's. The region file deliberately keeps
 * its own f_mapping: pointing it at the shmem mapping would make the VFS
 * take it for a shmem file (memfd seals, for one) while its inode is not
 * one. The shmem file itself is never installed in a fd table; it has
 * F_SEAL_SEAL from shmem_file_setup(), so nobody can seal it, and only
 * /proc/PID/map_files, which needs CAP_SYS_ADMIN or CAP_CHECKPOINT_RESTORE,
 * can open it. The module's vm_ops wrap shmem's: the fault handlers refuse
 * pages past the end of the region (SIGBUS) before shmem sees them.
 *
 * What a VMA holds, and why, is told under Lifetime in kmod/region.c.
 */

#include <linux/bug.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/minmax.h>
#include <linux/mm.h>

#include "region_internal.h"

/* The region of a VMA, which holds the region file it was mapped through. */
static struct ipcchan_region *vma_region(struct vm_area_struct *vma)
{
	return region_file_of(vma->vm_private_data)->r;
}

static void region_vm_open(struct vm_area_struct *vma)
{
	get_file(vma->vm_private_data);
	atomic_inc(&vma_region(vma)->mappings);
}

static void region_vm_close(struct vm_area_struct *vma)
{
	atomic_dec(&vma_region(vma)->mappings);
	/* The file holds the module: its last put runs in __fput(). */
	fput(vma->vm_private_data);
}

static const struct vm_operations_struct *shmem_ops(struct ipcchan_region *r)
{
	return READ_ONCE(r->shmem_vm_ops);
}

static vm_fault_t region_vm_fault(struct vm_fault *vmf)
{
	struct ipcchan_region *r = vma_region(vmf->vma);

	/* Past the end: mremap() may have grown the mapping. */
	if (vmf->pgoff >= r->size >> PAGE_SHIFT)
		return VM_FAULT_SIGBUS;
	return shmem_ops(r)->fault(vmf);
}

static vm_fault_t region_vm_map_pages(struct vm_fault *vmf, pgoff_t start,
				      pgoff_t end)
{
	struct ipcchan_region *r = vma_region(vmf->vma);
	pgoff_t last = (r->size >> PAGE_SHIFT) - 1;

	/* Fault-around maps only pages inside the region, as fault does. */
	if (start > last)
		return 0;
	return shmem_ops(r)->map_pages(vmf, start, min(end, last));
}

/* Writable shared memory is executable only if its creator said so. */
static int region_vm_mprotect(struct vm_area_struct *vma, unsigned long start,
			      unsigned long end, unsigned long newflags)
{
	return newflags & VM_EXEC && !vma_region(vma)->exec ? -EACCES : 0;
}

static const struct vm_operations_struct region_vm_ops = {
	.open = region_vm_open,
	.close = region_vm_close,
	.mprotect = region_vm_mprotect,
	.fault = region_vm_fault,
	.map_pages = region_vm_map_pages,
};

/*
 * Without VM_MAYEXEC, core mm itself refuses exec (mprotect() gives EACCES),
 * whatever path made the VMA. Kbuild defines IPCCHAN_VM_FLAGS_API on kernels
 * where vm_flags may only be changed through vm_flags_clear() (6.3 on).
 */
static void vma_deny_exec(struct vm_area_struct *vma)
{
#ifdef IPCCHAN_VM_FLAGS_API
	vm_flags_clear(vma, VM_MAYEXEC);
#else
	vma->vm_flags &= ~VM_MAYEXEC;
#endif
}

int ipcchan_region_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct ipcchan_region *r = region_file_of(file)->r;
	unsigned long pages = r->size >> PAGE_SHIFT;
	int ret;

	/* A private copy of shared memory is not what anyone maps this for. */
	if (!(vma->vm_flags & VM_MAYSHARE))
		return -EINVAL;
	if (vma->vm_pgoff >= pages || vma_pages(vma) > pages - vma->vm_pgoff)
		return -EINVAL;
	/* The VFS already refused this; make sure of it. */
	if ((vma->vm_flags & VM_WRITE) && !(file->f_mode & FMODE_WRITE))
		return -EACCES;
	/* As on a noexec mount; region_vm_mprotect() refuses exec later. */
	if (!r->exec) {
		if (vma->vm_flags & VM_EXEC)
			return -EPERM;
		vma_deny_exec(vma);
	}

	/*
	 * Map the shmem file itself, so that rmap finds the mapping. The
	 * VMA's write count moves with vm_file: mmap_region() takes a
	 * temporary one on @file and the lasting one on vma->vm_file.
	 */
	vma_set_file(vma, r->shmem);
	ret = call_mmap(r->shmem, vma);
	if (ret)
		return ret;	/* the caller puts vma->vm_file */
	if (WARN_ON_ONCE(!vma->vm_ops || !vma->vm_ops->fault ||
			 !vma->vm_ops->map_pages))
		return -ENODEV;
	WRITE_ONCE(r->shmem_vm_ops, vma->vm_ops);
	vma->vm_private_data = file;
	vma->vm_ops = &region_vm_ops;
	region_vm_open(vma);
	return 0;
}
