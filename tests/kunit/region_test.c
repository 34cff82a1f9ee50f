// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "ipcchan-region": the page bookkeeping of kmod/region.c. Sizes
 * in whole pages and their charge, the checks at creation, the mapping
 * count and the region file that each VMA holds, the shmem file that a
 * VMA maps instead of the region file, the fault handler's pages and
 * SIGBUS past the end, and handle references.
 *
 * The VMAs are made here and handed to the region file's ->mmap and vm_ops
 * as mmap(2), fork and munmap would, vm_file references included; no
 * process maps them.
 */

#include <kunit/test.h>
#include <linux/err.h>
#include <linux/file.h>
#include <linux/highmem.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>

#include "../../kmod/kind.h"
#include "util.h"

#define NEW_RW	(IPCCHAN_OPEN_CREATE | IPCCHAN_REGION_READ | \
		 IPCCHAN_REGION_WRITE)

struct region {
	struct file *file;
	struct ipcchan_obj *obj;
};

/* IPCCHAN_IOC_REGION_OPEN, without the fd. */
static struct file *region_open_file(struct file *ctl,
				     const struct ipcchan_region_open *args)
{
	return ik_open_file(ctl, IPCCHAN_KIND_REGION, args);
}

static struct region region_new(struct kunit *test, struct file *ctl, u64 size)
{
	char name[IPCCHAN_NAME_MAX];
	struct region r;

	ik_name(test, name, "region");
	r.file = ik_region(test, ctl, name, NEW_RW, size);
	r.obj = ik_lookup(test, IPCCHAN_KIND_REGION, name);
	return r;
}

/*
 * A shared mapping of @pages pages at page offset @pgoff, not yet mmapped;
 * like mmap_region(), it holds a reference to its vm_file, which
 * vma_free() puts.
 */
static struct vm_area_struct *vma_new(struct kunit *test, struct file *file,
				      unsigned long pgoff, unsigned long pages,
				      unsigned long flags)
{
	struct vm_area_struct *vma = kunit_kzalloc(test, sizeof(*vma),
						   GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, vma);
	vma->vm_start = 0x10000000UL;
	vma->vm_end = vma->vm_start + pages * PAGE_SIZE;
	vma->vm_pgoff = pgoff;
	vma->vm_flags = flags;
	vma->vm_file = get_file(file);
	return vma;
}

/* What munmap does after ->close: puts vm_file, never the last reference. */
static void vma_free(struct vm_area_struct *vma)
{
	fput(vma->vm_file);
}

#define SHARED_RW	(VM_READ | VM_WRITE | VM_SHARED | VM_MAYSHARE | \
			 VM_MAYREAD | VM_MAYWRITE)

static void size_is_whole_pages(struct kunit *test)
{
	struct file *ctl = ik_ctl(test, 0, 0, true);
	struct region r;

	r = region_new(test, ctl, 1);
	KUNIT_EXPECT_EQ(test, ik_attr(test, r.obj, IPCCHAN_A_REGION_SIZE),
			(u64)PAGE_SIZE);
	r = region_new(test, ctl, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, ik_attr(test, r.obj, IPCCHAN_A_REGION_SIZE),
			(u64)PAGE_SIZE);
	r = region_new(test, ctl, 2 * PAGE_SIZE + 1);
	KUNIT_EXPECT_EQ(test, ik_attr(test, r.obj, IPCCHAN_A_REGION_SIZE),
			(u64)(3 * PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, ik_attr(test, r.obj, IPCCHAN_A_FDS), 1ULL);
	KUNIT_EXPECT_EQ(test, ik_attr(test, r.obj, IPCCHAN_A_MAPPINGS), 0ULL);
}

static void create_checks_size_and_flags(struct kunit *test)
{
	struct file *ctl = ik_ctl(test, 0, 0, true);
	struct ipcchan_region_open args = {
		.size = sizeof(args),
		.flags = NEW_RW,
		.name = "kunit-never",
	};

	ik_param_set(test, "max_region_size", 1 << 20);
	args.region_size = 0;
	KUNIT_EXPECT_EQ(test, PTR_ERR(region_open_file(ctl, &args)),
			-EINVAL);
	args.region_size = (1 << 20) + 1;
	KUNIT_EXPECT_EQ(test, PTR_ERR(region_open_file(ctl, &args)),
			-EINVAL);
	args.region_size = U64_MAX;
	KUNIT_EXPECT_EQ(test, PTR_ERR(region_open_file(ctl, &args)),
			-EINVAL);
	/* Neither read nor write access asked for. */
	args.region_size = PAGE_SIZE;
	args.flags = IPCCHAN_OPEN_CREATE;
	KUNIT_EXPECT_EQ(test, PTR_ERR(region_open_file(ctl, &args)),
			-EINVAL);
	/* A size without CREATE. */
	args.flags = IPCCHAN_REGION_READ;
	KUNIT_EXPECT_EQ(test, PTR_ERR(region_open_file(ctl, &args)),
			-EINVAL);
	args.region_size = 0;
	KUNIT_EXPECT_EQ(test, PTR_ERR(region_open_file(ctl, &args)),
			-ENOENT);
}

static void size_is_charged_to_the_owner(struct kunit *test)
{
	struct file *ctl = ik_ctl(test, IK_UID, IK_GID, false);
	char name[IPCCHAN_NAME_MAX], other[IPCCHAN_NAME_MAX];
	struct ipcchan_region_open args = {
		.size = sizeof(args),
		.flags = NEW_RW,
		.region_size = 1,
	};
	struct ipcchan_key key;
	struct file *file;

	ik_param_set(test, "max_bytes_per_user", 2 * PAGE_SIZE);
	ik_name(test, name, "charged");
	file = ik_region(test, ctl, name, NEW_RW, 2 * PAGE_SIZE);
	/* One byte more rounds up to a page, which is over budget. */
	ik_name(test, other, "charged");
	memcpy(args.name, other, sizeof(args.name));
	KUNIT_EXPECT_EQ(test, PTR_ERR(region_open_file(ctl, &args)),
			-ENOBUFS);

	/* Freed with its name and its last file, it is uncharged. */
	ik_fput(test, file);
	KUNIT_ASSERT_EQ(test, ipcchan_key_init(&key, IPCCHAN_KIND_REGION, name),
			0);
	KUNIT_ASSERT_EQ(test, ipcchan_registry_unlink(&key, ctl), 0);
	file = region_open_file(ctl, &args);
	KUNIT_EXPECT_FALSE(test, IS_ERR(file));
	if (!IS_ERR(file))
		__fput_sync(file);
}

/* What the region file's ->mmap says to a new VMA of it, unmapped again. */
static int mmap_vma(struct kunit *test, struct file *file, unsigned long pgoff,
		    unsigned long pages, unsigned long flags)
{
	struct vm_area_struct *vma = vma_new(test, file, pgoff, pages, flags);
	int ret = file->f_op->mmap(file, vma);

	if (!ret)
		vma->vm_ops->close(vma);
	vma_free(vma);
	return ret;
}

static void mmap_must_lie_inside(struct kunit *test)
{
	struct region r = region_new(test, ik_ctl(test, 0, 0, true),
				     4 * PAGE_SIZE);

	KUNIT_EXPECT_EQ(test, mmap_vma(test, r.file, 0, 5, SHARED_RW), -EINVAL);
	KUNIT_EXPECT_EQ(test, mmap_vma(test, r.file, 4, 1, SHARED_RW), -EINVAL);
	KUNIT_EXPECT_EQ(test, mmap_vma(test, r.file, 3, 2, SHARED_RW), -EINVAL);
	/* An offset so large that offset + length wraps. */
	KUNIT_EXPECT_EQ(test, mmap_vma(test, r.file, ULONG_MAX, 2, SHARED_RW),
			-EINVAL);
	/* Exec mappings, without IPCCHAN_REGION_EXEC, as on noexec mounts. */
	KUNIT_EXPECT_EQ(test, mmap_vma(test, r.file, 0, 1,
				       SHARED_RW | VM_EXEC | VM_MAYEXEC),
			-EPERM);
	/* Private mappings are refused. */
	KUNIT_EXPECT_EQ(test, mmap_vma(test, r.file, 0, 1,
				       VM_READ | VM_MAYREAD), -EINVAL);
	KUNIT_EXPECT_EQ(test, ik_attr(test, r.obj, IPCCHAN_A_MAPPINGS), 0ULL);
}

static void vma_counts_and_holds_the_region(struct kunit *test)
{
	struct file *ctl = ik_ctl(test, 0, 0, true);
	struct region r = region_new(test, ctl, 2 * PAGE_SIZE);
	struct vm_area_struct *vma, *copy;
	unsigned int refs;
	long files;

	vma = vma_new(test, r.file, 1, 1, SHARED_RW);
	refs = kref_read(&r.obj->ref);
	files = file_count(r.file);
	KUNIT_ASSERT_EQ(test, r.file->f_op->mmap(r.file, vma), 0);
	KUNIT_ASSERT_NOT_NULL(test, vma->vm_ops);
	/* It maps the shmem file, so that rmap finds it, and holds r.file. */
	KUNIT_EXPECT_PTR_NE(test, vma->vm_file, r.file);
	KUNIT_EXPECT_TRUE(test, shmem_file(vma->vm_file));
	KUNIT_EXPECT_PTR_EQ(test, (struct file *)vma->vm_private_data, r.file);
	/* No exec without IPCCHAN_REGION_EXEC, now or by mprotect. */
	KUNIT_EXPECT_EQ(test, vma->vm_ops->mprotect(vma, vma->vm_start,
						    vma->vm_end,
						    vma->vm_flags | VM_EXEC),
			-EACCES);
	KUNIT_EXPECT_EQ(test, vma->vm_ops->mprotect(vma, vma->vm_start,
						    vma->vm_end, VM_READ), 0);
	KUNIT_EXPECT_EQ(test, ik_attr(test, r.obj, IPCCHAN_A_MAPPINGS), 1ULL);
	KUNIT_EXPECT_EQ(test, file_count(r.file), files);
	KUNIT_EXPECT_EQ(test, kref_read(&r.obj->ref), refs);

	/* fork copies the VMA, takes its vm_file and calls ->open. */
	copy = kunit_kmalloc(test, sizeof(*copy), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, copy);
	*copy = *vma;
	get_file(copy->vm_file);
	vma->vm_ops->open(copy);
	KUNIT_EXPECT_EQ(test, ik_attr(test, r.obj, IPCCHAN_A_MAPPINGS), 2ULL);
	KUNIT_EXPECT_EQ(test, file_count(r.file), files + 1);

	vma->vm_ops->close(copy);
	vma_free(copy);
	vma->vm_ops->close(vma);
	vma_free(vma);
	KUNIT_EXPECT_EQ(test, ik_attr(test, r.obj, IPCCHAN_A_MAPPINGS), 0ULL);
	KUNIT_EXPECT_EQ(test, file_count(r.file), files - 1);
	KUNIT_EXPECT_EQ(test, kref_read(&r.obj->ref), refs);
}

/*
 * What a fault at page @pgoff of @vma returns, VM_FAULT_* as a plain number
 * for KUnit to compare; *@page is its page.
 */
static unsigned int fault_at(struct vm_area_struct *vma, pgoff_t pgoff,
			     struct page **page)
{
	struct vm_fault vmf = { .vma = vma, .pgoff = pgoff };
	vm_fault_t ret;

	ret = vma->vm_ops->fault(&vmf);
	*page = vmf.page;
	/* shmem_fault() returns the page locked. */
	if (ret & VM_FAULT_LOCKED)
		unlock_page(vmf.page);
	return (__force unsigned int)(ret & ~VM_FAULT_LOCKED);
}

#define SIGBUS_FAULT	((__force unsigned int)VM_FAULT_SIGBUS)

static void fault_gives_pages_inside_sigbus_past_end(struct kunit *test)
{
	struct region r = region_new(test, ik_ctl(test, 0, 0, true),
				     2 * PAGE_SIZE);
	struct vm_area_struct *vma = vma_new(test, r.file, 0, 2, SHARED_RW);
	struct page *page, *again;
	u8 *addr;

	KUNIT_ASSERT_EQ(test, r.file->f_op->mmap(r.file, vma), 0);
	/* As mremap() may grow it: three pages over a two-page region. */
	vma->vm_end += PAGE_SIZE;

	KUNIT_ASSERT_EQ(test, fault_at(vma, 1, &page), 0U);
	KUNIT_ASSERT_NOT_NULL(test, page);
	addr = kmap_local_page(page);
	KUNIT_EXPECT_EQ(test, addr[0], 0);
	addr[0] = 0xa5;
	kunmap_local(addr);
	put_page(page);

	/* The same page again, with what was written to it. */
	KUNIT_ASSERT_EQ(test, fault_at(vma, 1, &again), 0U);
	KUNIT_EXPECT_PTR_EQ(test, again, page);
	addr = kmap_local_page(again);
	KUNIT_EXPECT_EQ(test, addr[0], 0xa5);
	kunmap_local(addr);
	put_page(again);

	KUNIT_EXPECT_EQ(test, fault_at(vma, 2, &page), SIGBUS_FAULT);
	KUNIT_EXPECT_NULL(test, page);
	vma->vm_ops->close(vma);
	vma_free(vma);
	KUNIT_EXPECT_EQ(test, ik_attr(test, r.obj, IPCCHAN_A_MAPPINGS), 0ULL);
}

static void handles_take_references(struct kunit *test)
{
	struct file *ctl = ik_ctl(test, 0, 0, true);
	struct region r = region_new(test, ctl, PAGE_SIZE);
	char name[IPCCHAN_NAME_MAX];
	struct ipcchan_obj *obj;
	struct file *chan, *copy;
	unsigned int refs;
	fmode_t fmode = 0;

	refs = kref_read(&r.obj->ref);
	obj = ipcchan_handle_get(r.file, &fmode);
	KUNIT_ASSERT_FALSE(test, IS_ERR(obj));
	KUNIT_EXPECT_PTR_EQ(test, obj, r.obj);
	KUNIT_EXPECT_TRUE(test, fmode == (FMODE_READ | FMODE_WRITE));
	KUNIT_EXPECT_EQ(test, kref_read(&r.obj->ref), refs + 1);

	/* What a receiver gets: a file of its own, with the sender's access. */
	copy = ipcchan_handle_file(obj, FMODE_READ);
	KUNIT_ASSERT_FALSE(test, IS_ERR(copy));
	KUNIT_EXPECT_TRUE(test, copy->f_mode & FMODE_READ);
	KUNIT_EXPECT_FALSE(test, copy->f_mode & FMODE_WRITE);
	KUNIT_EXPECT_EQ(test, ik_attr(test, r.obj, IPCCHAN_A_FDS), 2ULL);
	/* It cannot be mapped writable. */
	KUNIT_EXPECT_EQ(test, mmap_vma(test, copy, 0, 1, SHARED_RW), -EACCES);
	__fput_sync(copy);
	KUNIT_EXPECT_EQ(test, ik_attr(test, r.obj, IPCCHAN_A_FDS), 1ULL);
	ipcchan_obj_put(obj);
	KUNIT_EXPECT_EQ(test, kref_read(&r.obj->ref), refs);

	/* Only region files are handles. */
	ik_name(test, name, "nothandle");
	chan = ik_chan(test, ctl, name, IPCCHAN_OPEN_CREATE | IPCCHAN_OPEN_SEND,
		       0, 0, 0);
	KUNIT_EXPECT_EQ(test, PTR_ERR(ipcchan_handle_get(chan, &fmode)),
			-EINVAL);
}

static struct kunit_case region_cases[] = {
	KUNIT_CASE(size_is_whole_pages),
	KUNIT_CASE(create_checks_size_and_flags),
	KUNIT_CASE(size_is_charged_to_the_owner),
	KUNIT_CASE(mmap_must_lie_inside),
	KUNIT_CASE(vma_counts_and_holds_the_region),
	KUNIT_CASE(fault_gives_pages_inside_sigbus_past_end),
	KUNIT_CASE(handles_take_references),
	{}
};

static struct kunit_suite region_suite = {
	.name = "ipcchan-region",
	.test_cases = region_cases,
};

kunit_test_suite(region_suite);
