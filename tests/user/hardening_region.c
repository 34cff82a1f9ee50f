// SPDX-License-Identifier: GPL-2.0
/*
 * Regions hardened (issue 10): region pages are ordinary shmem pages that
 * the kernel can move (memory offlining migrates a mapped one), they never
 * come in huge pages whatever shmem_enabled says (SIGBUS past the end of a
 * grown mapping, no 2 MiB per 4 KiB region) nor by MADV_COLLAPSE, which the
 * mapping of the shmem file would otherwise allow, REGION_WAIT needs read
 * access, ATTACH needs the access of its role, and a region maps PROT_EXEC
 * only if its creator asked for it with IPCCHAN_REGION_EXEC, even through
 * remap_file_pages().
 *
 * The offlining test needs memory blocks in ZONE_MOVABLE: the harness boots
 * the VM with 2 GiB and movablecore=1200M (tests/qemu/lib.sh); without
 * memory blocks it skips.
 */
#include "util.h"

#include <setjmp.h>

#define PG		((size_t)page_size())
#define MEMORY_DIR	"/sys/devices/system/memory"
#define THP_SHMEM	"/sys/kernel/mm/transparent_hugepage/shmem_enabled"
#define HUGE_SZ		(2UL << 20)

/* Reads the whole small file @path into @buf; false if it cannot. */
static bool read_file(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return false;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return false;
	buf[n] = 0;
	return true;
}

/* Writes @val to @path: 0 or -errno. */
static int write_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, val, strlen(val)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

/* The pfn that maps @addr, from /proc/self/pagemap (root only), or 0. */
static uint64_t pfn_of(const void *addr)
{
	uint64_t e = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);

	ASSERT_GE(fd, 0, "open /proc/self/pagemap: %s", strerror(errno));
	ASSERT_EQ(pread(fd, &e, sizeof(e),
			(uintptr_t)addr / PG * sizeof(e)), (ssize_t)sizeof(e));
	close(fd);
	if (!(e & (1ULL << 63)))
		return 0;
	return e & ((1ULL << 55) - 1);
}

/* Writes @state to memory block @block in a child, waiting @ms at most. */
static int set_block_state(unsigned long block, const char *state,
			   unsigned int ms, int64_t *took_ns)
{
	char path[128];
	int64_t t0 = now_ns();
	pid_t pid;
	int st;

	snprintf(path, sizeof(path), MEMORY_DIR "/memory%lu/state", block);
	pid = xfork();
	if (pid == 0)
		_exit(-write_file(path, state) & 0xff);
	while (waitpid(pid, &st, WNOHANG) == 0) {
		if (now_ns() - t0 > (int64_t)ms * NS_PER_MS) {
			/* offline_pages() retries until a signal. */
			kill(pid, SIGKILL);
			waitpid(pid, &st, 0);
			*took_ns = now_ns() - t0;
			return -ETIMEDOUT;
		}
		msleep(10);
	}
	*took_ns = now_ns() - t0;
	if (!WIFEXITED(st))
		return -EINTR;
	return -WEXITSTATUS(st);
}

/* Is [@start, @end) inside one "System RAM" range of /proc/iomem? */
static bool all_ram(uint64_t start, uint64_t end)
{
	unsigned long long a, b;
	char line[256];
	bool in = false;
	FILE *f = fopen("/proc/iomem", "re");

	ASSERT_TRUE(f != NULL);
	while (!in && fgets(line, sizeof(line), f))
		if (line[0] != ' ' && strstr(line, ": System RAM") &&
		    sscanf(line, "%llx-%llx", &a, &b) == 2)
			in = a <= start && end - 1 <= b;
	fclose(f);
	return in;
}

/* Can memory block @block go offline: in ZONE_MOVABLE, without holes? */
static bool block_offlinable(unsigned long block, unsigned long block_bytes)
{
	char path[128], buf[64];

	snprintf(path, sizeof(path), MEMORY_DIR "/memory%lu/valid_zones",
		 block);
	if (!read_file(path, buf, sizeof(buf)) || strncmp(buf, "Movable", 7))
		return false;
	return all_ram((uint64_t)block * block_bytes,
		       (uint64_t)(block + 1) * block_bytes);
}

/* How many memory blocks are online in ZONE_MOVABLE. */
static int movable_blocks(void)
{
	char path[300], buf[64];
	struct dirent *d;
	int n = 0;
	DIR *dir = opendir(MEMORY_DIR);

	if (!dir)
		return 0;
	while ((d = readdir(dir)))
		if (!strncmp(d->d_name, "memory", 6)) {
			snprintf(path, sizeof(path), MEMORY_DIR "/%s/valid_zones",
				 d->d_name);
			n += read_file(path, buf, sizeof(buf)) &&
			     !strncmp(buf, "Movable", 7);
		}
	closedir(dir);
	return n;
}

/*
 * before: a region page, mapped and filled, in a memory block of
 *         ZONE_MOVABLE that has no hole; nothing else maps it
 * after:  the block goes offline within a few seconds (its pages migrate,
 *         which needs rmap to find the mapping), the mapping then sees the
 *         same data at another pfn, and the block comes back online
 */
TEST_TIMEOUT(mapped_page_is_movable, 120)
{
	const size_t npages = 64, filler_len = 8 << 20;
	unsigned long block_bytes, block = 0;
	uint64_t pfn = 0, after;
	size_t i, hit = npages;
	int64_t took;
	char buf[64];
	char *p;
	int fd, ret;

	if (!read_file(MEMORY_DIR "/block_size_bytes", buf, sizeof(buf)))
		SKIP("no memory blocks (" MEMORY_DIR "): no memory hotplug");
	block_bytes = strtoul(buf, NULL, 16);
	ASSERT_GT(block_bytes, 0);
	if (!movable_blocks())
		SKIP("no memory block in ZONE_MOVABLE (movablecore= needs a zone above the lowest to take it from)");

	fd = region_new(NULL, RW_REGION, 0600, npages * PG);
	p = region_map(fd, npages * PG, PROT_READ | PROT_WRITE, 0);
	/*
	 * The first free pages are often those of the last block, which
	 * has the firmware's hole: anonymous memory, kept until the end,
	 * pushes the next region page further down until one lands in a
	 * block that can go offline.
	 */
	for (i = 0; i < npages && hit == npages; i++) {
		p[i * PG] = 1;
		pfn = pfn_of(p + i * PG);
		ASSERT_NE(pfn, 0, "page %zu is not present", i);
		block = pfn * PG / block_bytes;
		if (block_offlinable(block, block_bytes)) {
			hit = i;
		} else {
			char *f = mmap(NULL, filler_len, PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

			ASSERT_TRUE(f != MAP_FAILED);
			memset(f, 0x5a, filler_len);
		}
	}
	if (hit == npages) {
		char path[128];

		snprintf(path, sizeof(path), MEMORY_DIR "/memory%lu/valid_zones",
			 block);
		if (!read_file(path, buf, sizeof(buf)))
			snprintf(buf, sizeof(buf), "?\n");
		SKIP("no region page in a ZONE_MOVABLE block without holes, the last at pfn %#llx in memory%lu, zones %.*s (boot with movablecore=)",
		     (unsigned long long)pfn, block,
		     (int)strcspn(buf, "\n"), buf);
	}
	fill_pattern(p, npages * PG, 7);

	ret = set_block_state(block, "offline", 10000, &took);
	harness_note(" offlining memory%lu (pfn %#llx of region page %zu): %s after %.2f s",
		     block, (unsigned long long)pfn, hit,
		     ret ? strerror(-ret) : "offline", took / 1e9);
	ASSERT_EQ(ret, 0, "a mapped region page kept its memory block online");
	after = pfn_of(p + hit * PG);
	EXPECT_NE(after, pfn, "the page did not move");
	EXPECT_NE(after / (block_bytes / PG), block);
	EXPECT_EQ(pattern_mismatch(p, npages * PG, 7), -1);
	ret = set_block_state(block, "online_movable", 10000, &took);
	if (ret)
		ret = set_block_state(block, "online", 10000, &took);
	EXPECT_EQ(ret, 0, "putting memory%lu back online", block);
	munmap(p, npages * PG);
	close(fd);
}

/* A /proc/meminfo line, in KiB. */
static long meminfo_kb(const char *key)
{
	char line[256];
	size_t klen = strlen(key);
	long v = -1;
	FILE *f = fopen("/proc/meminfo", "re");

	ASSERT_TRUE(f != NULL);
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, klen) && line[klen] == ':')
			v = strtol(line + klen + 1, NULL, 10);
	fclose(f);
	ASSERT_GE(v, 0, "no %s in /proc/meminfo", key);
	return v;
}

/* The bracketed word of shmem_enabled, into @buf. */
static bool thp_shmem_setting(char *buf, size_t len)
{
	char all[256], *b, *e;

	if (!read_file(THP_SHMEM, all, sizeof(all)))
		return false;
	b = strchr(all, '[');
	e = b ? strchr(b, ']') : NULL;
	if (!e || (size_t)(e - b) >= len)
		return false;
	memcpy(buf, b + 1, e - b - 1);
	buf[e - b - 1] = 0;
	return true;
}

static sigjmp_buf sigbus_jmp;

static void sigbus_jump(int sig)
{
	(void)sig;
	siglongjmp(sigbus_jmp, 1);
}

/*
 * Touches @p in this process, whose page tables map the region as the
 * first touch left them: true if that raised SIGBUS.
 */
static bool touch_sigbus(volatile char *p)
{
	bool bus = false;

	u_set_handler(SIGBUS, sigbus_jump, 0);
	if (sigsetjmp(sigbus_jmp, 1))
		bus = true;
	else
		*p = 1;
	signal(SIGBUS, SIG_DFL);
	return bus;
}

#define THP_REGIONS	16

/*
 * 16 regions of 4 KiB, each mapped at a 2 MiB boundary and grown in place
 * by mremap() to 2 MiB, first page touched; run with shmem_enabled=always.
 */
static void thp_child(void *arg)
{
	long huge0 = meminfo_kb("ShmemHugePages"), shmem0 = meminfo_kb("Shmem");
	long huge, shmem;
	int fds[THP_REGIONS], i, sigbus = 0;
	char *maps[THP_REGIONS];

	(void)arg;
	for (i = 0; i < THP_REGIONS; i++) {
		char *resv = mmap(NULL, 2 * HUGE_SZ, PROT_NONE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		char *a, *q;

		ASSERT_TRUE(resv != MAP_FAILED);
		a = (char *)(((uintptr_t)resv + HUGE_SZ - 1) & ~(HUGE_SZ - 1));
		ASSERT_EQ(munmap(a, HUGE_SZ), 0);
		fds[i] = region_new(NULL, RW_REGION, 0600, 4096);
		q = mmap(a, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED,
			 fds[i], 0);
		ASSERT_TRUE(q == a, "mmap at %p: %s", a, strerror(errno));
		q = mremap(a, PG, HUGE_SZ, 0);
		ASSERT_TRUE(q == a, "mremap in place: %s", strerror(errno));
		a[0] = 1;
		maps[i] = a;
	}
	huge = meminfo_kb("ShmemHugePages") - huge0;
	shmem = meminfo_kb("Shmem") - shmem0;
	harness_note(" %d regions of 4 KiB: ShmemHugePages +%ld KiB, Shmem +%ld KiB",
		     THP_REGIONS, huge, shmem);
	for (i = 0; i < THP_REGIONS; i++)
		sigbus += touch_sigbus(maps[i] + PG);
	EXPECT_EQ(sigbus, THP_REGIONS, "touches past the end that raised SIGBUS");
	EXPECT_LT(huge, (long)(THP_REGIONS * HUGE_SZ / 1024 / 2));
	EXPECT_LT(shmem, (long)(THP_REGIONS * HUGE_SZ / 1024 / 2));
	for (i = 0; i < THP_REGIONS; i++) {
		munmap(maps[i], HUGE_SZ);
		close(fds[i]);
	}
}

/*
 * before: shmem_enabled=always, which makes the internal shmem mount use
 *         huge pages for everything it can
 * after:  region memory stays in small pages: a touch past the end of a
 *         mapping grown by mremap() raises SIGBUS, and the memory used is
 *         about 4 KiB per region, not 2 MiB; the setting is restored
 */
TEST_TIMEOUT(thp_always_keeps_small_pages, 60)
{
	char old[32];
	int ret;

	if (!thp_shmem_setting(old, sizeof(old)))
		SKIP("no " THP_SHMEM ": a kernel without THP");
	if (write_file(THP_SHMEM, "always"))
		SKIP("shmem_enabled refuses 'always': no THP support");
	ret = run_in_child(thp_child, NULL);
	EXPECT_EQ(write_file(THP_SHMEM, old), 0, "restoring shmem_enabled=%s",
		  old);
	EXPECT_EQ(ret, 0, "the regions under shmem_enabled=always");
}

#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE	25
#endif

/*
 * before: a 4 KiB region mapped at a 2 MiB boundary, grown in place by
 *         mremap() to 2 MiB, its page touched; MADV_HUGEPAGE, then
 *         MADV_COLLAPSE, which ignores shmem_enabled and the mount
 * after:  no huge page: the collapse fails, a touch past the end still
 *         raises SIGBUS; MADV_REMOVE of the page is EPERM
 */
TEST(collapse_keeps_small_pages)
{
	char *resv = mmap(NULL, 2 * HUGE_SZ, PROT_NONE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	long huge0 = meminfo_kb("ShmemHugePages");
	int fd, hp, col;
	char *a, *q;

	ASSERT_TRUE(resv != MAP_FAILED);
	a = (char *)(((uintptr_t)resv + HUGE_SZ - 1) & ~(HUGE_SZ - 1));
	ASSERT_EQ(munmap(a, HUGE_SZ), 0);
	fd = region_new(NULL, RW_REGION, 0600, 4096);
	q = mmap(a, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, 0);
	ASSERT_TRUE(q == a, "mmap at %p: %s", a, strerror(errno));
	q = mremap(a, PG, HUGE_SZ, 0);
	ASSERT_TRUE(q == a, "mremap in place: %s", strerror(errno));
	a[0] = 1;
	hp = madvise(a, HUGE_SZ, MADV_HUGEPAGE) ? -errno : 0;
	col = madvise(a, HUGE_SZ, MADV_COLLAPSE) ? -errno : 0;
	harness_note(" MADV_HUGEPAGE: %s, MADV_COLLAPSE: %s, ShmemHugePages +%ld KiB",
		     strerror(-hp), strerror(-col),
		     meminfo_kb("ShmemHugePages") - huge0);
	EXPECT_NE(col, 0, "MADV_COLLAPSE made a huge page of a 4 KiB region");
	EXPECT_TRUE(touch_sigbus(a + PG));
	EXPECT_EQ(a[0], 1);
	/* The held last page cannot be punched out of the file. */
	EXPECT_EQ(madvise(a, PG, MADV_REMOVE), -1);
	EXPECT_EQ(errno, EPERM);
	EXPECT_EQ(a[0], 1);
	munmap(a, HUGE_SZ);
	close(fd);
}

/*
 * before: a region whose first word is 7, and a write-only fd of it
 * after:  REGION_WAIT on that fd is EBADF whatever @expected is, so it
 *         tells nothing of the word; the read-write fd still waits
 */
TEST(wait_needs_read_access)
{
	char name[IPCCHAN_NAME_MAX];
	int fd = region_new(name, RW_REGION, 0600, PG), wo;
	uint32_t *w = region_map(fd, PG, PROT_READ | PROT_WRITE, 0);

	*w = 7;
	wo = region_get(name, IPCCHAN_REGION_WRITE);
	EXPECT_EQ(ipcchan_region_wait(wo, 0, 7, IPCCHAN_XFER_NONBLOCK, -1),
		  -EBADF);
	EXPECT_EQ(ipcchan_region_wait(wo, 0, 8, IPCCHAN_XFER_NONBLOCK, -1),
		  -EBADF);
	EXPECT_EQ(ipcchan_region_wait(fd, 0, 7, IPCCHAN_XFER_NONBLOCK, -1),
		  -EAGAIN);
	EXPECT_EQ(ipcchan_region_wait(fd, 0, 8, IPCCHAN_XFER_NONBLOCK, -1), 0);
	munmap(w, PG);
	close(wo);
	close(fd);
}

/*
 * before: fds of one region opened read-only, write-only and read-write
 * after:  PRODUCER needs write access and CONSUMER read access (EBADF);
 *         a refused ATTACH attaches nothing, so a read-only fd that closes
 *         hangs up no consumer; the right fds attach
 */
TEST(attach_needs_role_access)
{
	char name[IPCCHAN_NAME_MAX];
	int fd = region_new(name, RW_REGION, 0600, PG), ro, wo, cons;
	struct ipcchan_region_info ri;

	ro = region_get(name, IPCCHAN_REGION_READ);
	wo = region_get(name, IPCCHAN_REGION_WRITE);
	cons = region_get(name, IPCCHAN_REGION_READ);
	ASSERT_EQ(ipcchan_region_attach(cons, IPCCHAN_ROLE_CONSUMER), 0);
	EXPECT_EQ(ipcchan_region_attach(ro, IPCCHAN_ROLE_PRODUCER), -EBADF);
	EXPECT_EQ(ipcchan_region_attach(wo, IPCCHAN_ROLE_CONSUMER), -EBADF);
	region_info(fd, &ri);
	EXPECT_EQ(ri.producers, 0);
	EXPECT_EQ(ri.consumers, 1);
	close(ro);
	/* No producer was ever attached: the consumer still waits. */
	EXPECT_EQ(ipcchan_region_wait(cons, 0, 0, IPCCHAN_XFER_NONBLOCK, -1),
		  -EAGAIN);
	EXPECT_EQ(ipcchan_region_attach(wo, IPCCHAN_ROLE_PRODUCER), 0);
	EXPECT_EQ(ipcchan_region_attach(fd, IPCCHAN_ROLE_CONSUMER), 0);
	region_info(fd, &ri);
	EXPECT_EQ(ri.producers, 1);
	EXPECT_EQ(ri.consumers, 2);
	close(wo);
	EXPECT_EQ(ipcchan_region_wait(cons, 0, 0, IPCCHAN_XFER_NONBLOCK, -1),
		  -EPIPE);
	close(cons);
	close(fd);
}

/*
 * before: a region created without IPCCHAN_REGION_EXEC
 * after:  mmap with PROT_EXEC is EPERM, a readable mapping cannot be made
 *         executable by mprotect (EACCES), for the creator and for root
 */
TEST(exec_refused_by_default)
{
	int fd = region_new(NULL, RW_REGION, 0600, PG);
	char *p;

	EXPECT_EQ(try_mmap(fd, PG, PROT_READ | PROT_EXEC, MAP_SHARED, 0),
		  -EPERM);
	EXPECT_EQ(try_mmap(fd, PG, PROT_READ | PROT_WRITE | PROT_EXEC,
			   MAP_SHARED, 0), -EPERM);
	p = region_map(fd, PG, PROT_READ | PROT_WRITE, 0);
	EXPECT_EQ(mprotect(p, PG, PROT_READ | PROT_EXEC), -1);
	EXPECT_EQ(errno, EACCES);
	EXPECT_EQ(mprotect(p, PG, PROT_READ | PROT_WRITE | PROT_EXEC), -1);
	EXPECT_EQ(errno, EACCES);
	EXPECT_EQ(mprotect(p, PG, PROT_READ), 0, "dropping rights still works");
	munmap(p, PG);
	close(fd);
}

/*
 * before: a region created with IPCCHAN_REGION_EXEC (a feature bit says
 *         so), and the flag passed without CREATE
 * after:  its fds map PROT_EXEC and mprotect adds exec; the flag without
 *         CREATE is EINVAL; opening the exec region again without the flag
 *         still maps exec (it is the region's property)
 */
TEST(exec_allowed_by_creator)
{
	char name[IPCCHAN_NAME_MAX];
	struct ipcchan_version v;
	int fd, again;
	char *p;

	get_version(&v);
	ASSERT_TRUE(v.features & IPCCHAN_FEAT_REGION_EXEC);
	fd = region_new(name, RW_REGION | IPCCHAN_REGION_EXEC, 0600, PG);
	EXPECT_EQ(try_mmap(fd, PG, PROT_READ | PROT_EXEC, MAP_SHARED, 0), 0);
	p = region_map(fd, PG, PROT_READ | PROT_WRITE, 0);
	EXPECT_EQ(mprotect(p, PG, PROT_READ | PROT_EXEC), 0);
	munmap(p, PG);
	EXPECT_EQ(ipcchan_region_open(IPCCHAN_DEV_AUTO, name,
				      IPCCHAN_REGION_READ | IPCCHAN_REGION_EXEC,
				      0, 0), -EINVAL);
	again = region_get(name, IPCCHAN_REGION_READ);
	EXPECT_EQ(try_mmap(again, PG, PROT_READ | PROT_EXEC, MAP_SHARED, 0), 0);
	close(again);
	close(fd);
}

/*
 * before: a region without IPCCHAN_REGION_EXEC, mapped read-write over two
 *         pages, page 1 marked
 * after:  remap_file_pages() of page 1 into the first page of the mapping
 *         is refused; had it worked, it would have made a VMA of the shmem
 *         file itself, outside the module's vm_ops: then the page must be
 *         the region's page 1 and exec must still be refused
 */
TEST(remap_file_pages_refused)
{
	int fd = region_new(NULL, RW_REGION, 0600, 2 * PG);
	char *p = region_map(fd, 2 * PG, PROT_READ | PROT_WRITE, 0);
	long ret;

	p[PG] = 'x';
	ret = syscall(SYS_remap_file_pages, p, PG, 0, 1, 0);
	if (ret == 0) {
		EXPECT_EQ(p[0], 'x', "the first page maps region page 1");
		EXPECT_EQ(mprotect(p, PG, PROT_READ | PROT_EXEC), -1,
			  "a remapped page of the region became executable");
	}
	EXPECT_EQ(ret, -1);
	EXPECT_EQ(errno, EACCES);
	EXPECT_EQ(mprotect(p, 2 * PG, PROT_READ | PROT_EXEC), -1);
	EXPECT_EQ(errno, EACCES);
	munmap(p, 2 * PG);
	close(fd);
}

TEST_MAIN("hardening_region")
