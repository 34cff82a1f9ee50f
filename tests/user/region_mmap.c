// SPDX-License-Identifier: GPL-2.0
/*
 * mmap(2) of regions under every corner case: fork and close in either
 * order, partial munmap, mremap (move, shrink, grow with SIGBUS past the
 * end), ranges and offsets outside the region, closing the fd or unlinking
 * the name while mapped, MAP_PRIVATE, read-only fds and mprotect, many
 * processes mapping and unmapping at once, the count of mappings in
 * REGION_INFO, and the module pinned by a mapping.
 *
 * A region lives while it has a name, an fd or a mapping; its pages must
 * never be freed while mapped. Where a test drops every other reference,
 * it then churns memory, so that pages freed too early would be reused and
 * the data found changed.
 */
#include "util.h"

#include <sys/syscall.h>

#define PG	((size_t)page_size())

/* Allocates, fills and frees @mb MiB, to recycle any page freed too early. */
static void churn_memory(size_t mb)
{
	size_t len = mb << 20;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ASSERT_TRUE(p != MAP_FAILED);
	memset(p, 0xa5, len);
	munmap(p, len);
}

#define EXPECT_PATTERN(buf, len, seed)					\
	EXPECT_EQ(pattern_mismatch((buf), (len), (seed)), -1,		\
		  "first wrong byte of the pattern %u", (seed))

/* Runs @fn(@p) in a child; returns its wait_exit() status. */
static int touch_in_child(void (*fn)(volatile char *p), volatile char *p)
{
	pid_t pid = xfork();

	if (pid == 0) {
		fn(p);
		child_exit();
	}
	return wait_exit(pid, CHILD_MS);
}

static void read_byte(volatile char *p)
{
	(void)*p;
}

static void write_byte(volatile char *p)
{
	*p = 1;
}

/*
 * before: a 2-page region mapped by the test, which forks; the child drops
 *         its copy of the fd, keeping only the inherited mapping
 * after:  each sees the other's writes; the parent unmaps, closes and
 *         unlinks first; the child's mapping alone keeps the pages, which
 *         survive a memory churn and stay shared with nobody else
 */
TEST(fork_parent_closes_first)
{
	char name[IPCCHAN_NAME_MAX];
	int fd = region_new(name, RW_REGION, 0600, 2 * PG);
	char *p = region_map(fd, 2 * PG, PROT_READ | PROT_WRITE, 0);
	struct sync written, gone;
	pid_t pid;

	sync_init(&written);
	sync_init(&gone);
	fill_pattern(p, PG, 1);
	pid = xfork();
	if (pid == 0) {
		close(fd);
		EXPECT_PATTERN(p, PG, 1);
		fill_pattern(p + PG, PG, 2);
		sync_post(&written);
		sync_wait(&gone);
		/* Only this mapping holds the region now. */
		EXPECT_PATTERN(p, PG, 1);
		EXPECT_PATTERN(p + PG, PG, 2);
		churn_memory(32);
		EXPECT_PATTERN(p, PG, 1);
		EXPECT_PATTERN(p + PG, PG, 2);
		fill_pattern(p, 2 * PG, 3);
		EXPECT_PATTERN(p, 2 * PG, 3);
		child_exit();
	}
	EXPECT_EQ(region_mappings(fd), 2, "fork copies the mapping");
	sync_wait(&written);
	EXPECT_PATTERN(p + PG, PG, 2);
	ASSERT_EQ(munmap(p, 2 * PG), 0);
	EXPECT_EQ(region_mappings(fd), 1);
	region_unlink(name);
	close(fd);
	churn_memory(32);
	sync_post(&gone);
	ASSERT_CHILD_OK(pid);
}

/*
 * before: as above, but the child writes, unmaps, closes and exits first
 * after:  the parent's mapping still works and holds the child's data;
 *         the count of mappings is back to 1
 */
TEST(fork_child_closes_first)
{
	char name[IPCCHAN_NAME_MAX];
	int fd = region_new(name, RW_REGION, 0600, 2 * PG);
	char *p = region_map(fd, 2 * PG, PROT_READ | PROT_WRITE, 0), *q;
	pid_t pid;

	fill_pattern(p, PG, 4);
	pid = xfork();
	if (pid == 0) {
		EXPECT_PATTERN(p, PG, 4);
		fill_pattern(p + PG, PG, 5);
		ASSERT_EQ(munmap(p, 2 * PG), 0);
		close(fd);
		child_exit();
	}
	ASSERT_CHILD_OK(pid);
	EXPECT_EQ(region_mappings(fd), 1);
	churn_memory(32);
	EXPECT_PATTERN(p, PG, 4);
	EXPECT_PATTERN(p + PG, PG, 5);
	fill_pattern(p, 2 * PG, 6);
	/* A new mapping sees the same pages. */
	q = region_map(fd, 2 * PG, PROT_READ, 0);
	EXPECT_PATTERN(q, 2 * PG, 6);
	munmap(q, 2 * PG);
	munmap(p, 2 * PG);
	EXPECT_EQ(region_mappings(fd), 0);
	close(fd);
}

/*
 * before: 4 pages mapped as one VMA
 * after:  unmapping page 1 leaves two VMAs (REGION_INFO counts 2) that
 *         still work; the region keeps page 1's data; the hole faults
 *         (SIGSEGV); unmapping the rest brings the count to 0
 */
TEST(partial_munmap)
{
	int fd = region_new(NULL, RW_REGION, 0600, 4 * PG);
	char *p = region_map(fd, 4 * PG, PROT_READ | PROT_WRITE, 0), *q;
	int i;

	for (i = 0; i < 4; i++)
		fill_pattern(p + i * PG, PG, 10 + i);
	EXPECT_EQ(region_mappings(fd), 1);
	ASSERT_EQ(munmap(p + PG, PG), 0);
	EXPECT_EQ(region_mappings(fd), 2, "the munmap split the VMA in two");
	EXPECT_PATTERN(p, PG, 10);
	EXPECT_PATTERN(p + 2 * PG, PG, 12);
	EXPECT_PATTERN(p + 3 * PG, PG, 13);
	EXPECT_EQ(touch_in_child(read_byte, p + PG), 128 + SIGSEGV);

	/* The pieces still write through to the region. */
	fill_pattern(p, PG, 20);
	fill_pattern(p + 3 * PG, PG, 23);
	q = region_map(fd, 4 * PG, PROT_READ, 0);
	EXPECT_EQ(region_mappings(fd), 3);
	EXPECT_PATTERN(q, PG, 20);
	EXPECT_PATTERN(q + PG, PG, 11);
	EXPECT_PATTERN(q + 2 * PG, PG, 12);
	EXPECT_PATTERN(q + 3 * PG, PG, 23);
	munmap(q, 4 * PG);

	/* Trim the tail of the second piece: still two VMAs. */
	ASSERT_EQ(munmap(p + 3 * PG, PG), 0);
	EXPECT_EQ(region_mappings(fd), 2);
	EXPECT_PATTERN(p + 2 * PG, PG, 12);
	ASSERT_EQ(munmap(p, 4 * PG), 0);
	EXPECT_EQ(region_mappings(fd), 0);
	close(fd);
}

/*
 * before: 2 pages mapped and written
 * after:  mremap to a fixed new address moves the mapping: the data is
 *         there, the old range is gone, still one mapping, still shared
 */
TEST(mremap_move)
{
	int fd = region_new(NULL, RW_REGION, 0600, 2 * PG);
	char *p = region_map(fd, 2 * PG, PROT_READ | PROT_WRITE, 0), *q, *t, *v;

	fill_pattern(p, 2 * PG, 30);
	/* A free range to move to. */
	t = mmap(NULL, 2 * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(t != MAP_FAILED);
	q = mremap(p, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, t);
	ASSERT_TRUE(q == t, "mremap: %s", strerror(errno));
	EXPECT_EQ(region_mappings(fd), 1);
	EXPECT_PATTERN(q, 2 * PG, 30);
	EXPECT_EQ(touch_in_child(read_byte, p), 128 + SIGSEGV,
		  "the old range must be unmapped");
	fill_pattern(q, 2 * PG, 31);
	v = region_map(fd, 2 * PG, PROT_READ, 0);
	EXPECT_PATTERN(v, 2 * PG, 31);
	munmap(v, 2 * PG);
	munmap(q, 2 * PG);
	EXPECT_EQ(region_mappings(fd), 0);
	close(fd);
}

/*
 * before: 4 pages mapped and written
 * after:  mremap shrinks to 2 pages in place: their data stays, the tail
 *         is unmapped, the region keeps the tail's data; one mapping
 */
TEST(mremap_shrink)
{
	int fd = region_new(NULL, RW_REGION, 0600, 4 * PG);
	char *p = region_map(fd, 4 * PG, PROT_READ | PROT_WRITE, 0), *q, *v;

	fill_pattern(p, 4 * PG, 40);
	q = mremap(p, 4 * PG, 2 * PG, 0);
	ASSERT_TRUE(q == p, "mremap: %s", strerror(errno));
	EXPECT_EQ(region_mappings(fd), 1);
	EXPECT_PATTERN(q, 2 * PG, 40);
	EXPECT_EQ(touch_in_child(read_byte, p + 3 * PG), 128 + SIGSEGV);
	v = region_map(fd, 4 * PG, PROT_READ, 0);
	EXPECT_PATTERN(v, 4 * PG, 40);
	munmap(v, 4 * PG);
	munmap(q, 2 * PG);
	EXPECT_EQ(region_mappings(fd), 0);
	close(fd);
}

/*
 * before: a 2-page region mapped whole
 * after:  mremap may grow the mapping to 4 pages; the first 2 still work;
 *         reading or writing a page past the end of the region raises
 *         SIGBUS, and the region is unharmed
 */
TEST(mremap_grow_sigbus)
{
	int fd = region_new(NULL, RW_REGION, 0600, 2 * PG);
	char *p = region_map(fd, 2 * PG, PROT_READ | PROT_WRITE, 0), *q, *v;
	struct ipcchan_region_info ri;

	fill_pattern(p, 2 * PG, 50);
	q = mremap(p, 2 * PG, 4 * PG, MREMAP_MAYMOVE);
	ASSERT_TRUE(q != MAP_FAILED, "mremap may grow a region mapping: %s",
		    strerror(errno));
	EXPECT_EQ(region_mappings(fd), 1);
	EXPECT_PATTERN(q, 2 * PG, 50);
	fill_pattern(q, 2 * PG, 51);
	EXPECT_EQ(touch_in_child(read_byte, q + 2 * PG), 128 + SIGBUS,
		  "reading the page just past the end");
	EXPECT_EQ(touch_in_child(write_byte, q + 2 * PG + 5), 128 + SIGBUS,
		  "writing the page just past the end");
	EXPECT_EQ(touch_in_child(read_byte, q + 4 * PG - 1), 128 + SIGBUS,
		  "reading the last byte of the grown mapping");
	/* The region did not grow. */
	region_info(fd, &ri);
	EXPECT_EQ(ri.region_size, 2 * PG);
	v = region_map(fd, 2 * PG, PROT_READ, 0);
	EXPECT_PATTERN(v, 2 * PG, 51);
	munmap(v, 2 * PG);
	EXPECT_PATTERN(q, 2 * PG, 51);
	munmap(q, 4 * PG);
	EXPECT_EQ(region_mappings(fd), 0);
	close(fd);
}

/*
 * A window that starts inside the region but grows past its end: the
 * inside page works, the outside one raises SIGBUS.
 */
TEST(mremap_grow_window_sigbus)
{
	int fd = region_new(NULL, RW_REGION, 0600, 2 * PG);
	char *p = region_map(fd, PG, PROT_READ | PROT_WRITE, PG), *q;

	fill_pattern(p, PG, 55);
	q = mremap(p, PG, 3 * PG, MREMAP_MAYMOVE);
	ASSERT_TRUE(q != MAP_FAILED, "mremap: %s", strerror(errno));
	EXPECT_PATTERN(q, PG, 55);
	EXPECT_EQ(touch_in_child(read_byte, q + PG), 128 + SIGBUS);
	EXPECT_EQ(touch_in_child(write_byte, q + 2 * PG), 128 + SIGBUS);
	munmap(q, 3 * PG);
	EXPECT_EQ(region_mappings(fd), 0);
	close(fd);
}

/* The whole range must lie inside the region: EINVAL otherwise. */
TEST(mmap_past_end)
{
	int fd = region_new(NULL, RW_REGION, 0600, 2 * PG);
	int prot[] = { PROT_READ, PROT_READ | PROT_WRITE };
	size_t i;

	for (i = 0; i < 2; i++) {
		EXPECT_EQ(try_mmap(fd, 3 * PG, prot[i], MAP_SHARED, 0), -EINVAL,
			  "3 pages of 2, prot %#x", prot[i]);
		EXPECT_EQ(try_mmap(fd, 2 * PG + 1, prot[i], MAP_SHARED, 0),
			  -EINVAL, "2 pages and a byte, prot %#x", prot[i]);
		EXPECT_EQ(try_mmap(fd, 2 * PG, prot[i], MAP_SHARED, PG),
			  -EINVAL, "2 pages at page 1, prot %#x", prot[i]);
		EXPECT_EQ(try_mmap(fd, PG, prot[i], MAP_SHARED, 2 * PG),
			  -EINVAL, "a page at the end, prot %#x", prot[i]);
		EXPECT_EQ(try_mmap(fd, 64 * PG, prot[i], MAP_SHARED, 0),
			  -EINVAL, "64 pages of 2, prot %#x", prot[i]);
	}
	/* The exact size is fine, and a byte less maps the same pages. */
	EXPECT_EQ(try_mmap(fd, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, 0),
		  0);
	EXPECT_EQ(try_mmap(fd, 2 * PG - 1, PROT_READ, MAP_SHARED, 0), 0);
	EXPECT_EQ(try_mmap(fd, PG, PROT_READ, MAP_SHARED, PG), 0);
	EXPECT_EQ(region_mappings(fd), 0);
	close(fd);
}

/* Offsets: misaligned, at the end, beyond it, far beyond it: EINVAL. */
TEST(mmap_bad_offsets)
{
	int fd = region_new(NULL, RW_REGION, 0600, 4 * PG);
	int ret;

	EXPECT_EQ(try_mmap(fd, PG, PROT_READ, MAP_SHARED, 100), -EINVAL,
		  "misaligned offset");
	EXPECT_EQ(try_mmap(fd, PG, PROT_READ, MAP_SHARED, PG / 2), -EINVAL,
		  "half a page");
	EXPECT_EQ(try_mmap(fd, PG, PROT_READ, MAP_SHARED, PG + 8), -EINVAL,
		  "misaligned offset inside");
	EXPECT_EQ(try_mmap(fd, PG, PROT_READ, MAP_SHARED, 4 * PG), -EINVAL,
		  "offset at the end");
	EXPECT_EQ(try_mmap(fd, PG, PROT_READ, MAP_SHARED, 100 * PG), -EINVAL,
		  "offset beyond the end");
	EXPECT_EQ(try_mmap(fd, PG, PROT_READ | PROT_WRITE, MAP_SHARED,
			   (off_t)1 << 40), -EINVAL, "offset 1 TiB");
	/*
	 * So far out that the generic mmap code may refuse it first, with
	 * EOVERFLOW (file_mmap_ok()); it must fail either way.
	 */
	ret = try_mmap(fd, PG, PROT_READ, MAP_SHARED,
		       (off_t)(INT64_MAX & ~(int64_t)(PG - 1)));
	EXPECT_TRUE(ret == -EINVAL || ret == -EOVERFLOW,
		    "the largest aligned offset: %d", ret);
	ret = try_mmap(fd, 2 * PG, PROT_READ, MAP_SHARED,
		       (off_t)((INT64_MAX >> 1) & ~(int64_t)(PG - 1)));
	EXPECT_TRUE(ret == -EINVAL || ret == -EOVERFLOW,
		    "offset 2^62, 2 pages: %d", ret);
	EXPECT_EQ(region_mappings(fd), 0);
	close(fd);
}

/* A window at an offset maps exactly those pages of the region. */
TEST(mmap_window)
{
	int fd = region_new(NULL, RW_REGION, 0600, 4 * PG);
	char *all = region_map(fd, 4 * PG, PROT_READ | PROT_WRITE, 0), *w, *e;
	int i;

	for (i = 0; i < 4; i++)
		fill_pattern(all + i * PG, PG, 60 + i);
	w = region_map(fd, PG, PROT_READ | PROT_WRITE, 2 * PG);
	EXPECT_PATTERN(w, PG, 62);
	e = region_map(fd, 2 * PG, PROT_READ, 2 * PG);
	EXPECT_PATTERN(e, PG, 62);
	EXPECT_PATTERN(e + PG, PG, 63);
	fill_pattern(w, PG, 70);
	EXPECT_PATTERN(all + 2 * PG, PG, 70);
	EXPECT_PATTERN(e, PG, 70);
	EXPECT_EQ(region_mappings(fd), 3);
	munmap(w, PG);
	munmap(e, 2 * PG);
	munmap(all, 4 * PG);
	EXPECT_EQ(region_mappings(fd), 0);
	close(fd);
}

/*
 * before: a region mapped, then its only fd closed
 * after:  the mapping reads and writes; a child forked after the close
 *         shares it; the region, opened again by name, has the data and
 *         counts the mapping
 */
TEST(close_fd_then_use)
{
	char name[IPCCHAN_NAME_MAX];
	size_t len = 8 * PG;
	int fd = region_new(name, RW_REGION, 0600, len);
	char *p = region_map(fd, len, PROT_READ | PROT_WRITE, 0), *q;
	char *want = malloc(len);
	pid_t pid;

	ASSERT_TRUE(want != NULL);
	close(fd);
	fill_pattern(p, len, 80);
	churn_memory(16);
	EXPECT_PATTERN(p, len, 80);
	pid = xfork();
	if (pid == 0) {
		EXPECT_PATTERN(p, len, 80);
		fill_pattern(p, PG, 81);
		child_exit();
	}
	ASSERT_CHILD_OK(pid);
	EXPECT_PATTERN(p, PG, 81);
	fd = region_get(name, IPCCHAN_REGION_READ);
	EXPECT_EQ(region_mappings(fd), 1);
	q = region_map(fd, len, PROT_READ, 0);
	EXPECT_PATTERN(q, PG, 81);
	fill_pattern(want, len, 80);
	EXPECT_MEMEQ(q + PG, want + PG, len - PG);
	munmap(q, len);
	munmap(p, len);
	EXPECT_EQ(region_mappings(fd), 0);
	close(fd);
}

/*
 * before: a region mapped and written; its name unlinked and its fd closed
 * after:  the mapping alone keeps it: data intact through a memory churn,
 *         shared with a child; the name is free, and a new region under it
 *         is zeroed and separate
 */
TEST(unlink_while_mapped)
{
	char name[IPCCHAN_NAME_MAX];
	size_t len = 4 * PG;
	int fd = region_new(name, RW_REGION, 0600, len);
	char *p = region_map(fd, len, PROT_READ | PROT_WRITE, 0), *q;
	pid_t pid;

	fill_pattern(p, len, 90);
	region_unlink(name);
	close(fd);
	churn_memory(32);
	EXPECT_PATTERN(p, len, 90);
	EXPECT_EQ(ipcchan_region_open(IPCCHAN_DEV_AUTO, name, RW_REGION, 0, 0),
		  -ENOENT);
	pid = xfork();
	if (pid == 0) {
		EXPECT_PATTERN(p, len, 90);
		fill_pattern(p, len, 91);
		child_exit();
	}
	ASSERT_CHILD_OK(pid);
	EXPECT_PATTERN(p, len, 91);

	fd = ipcchan_region_open(IPCCHAN_DEV_AUTO, name, RW_REGION |
				 IPCCHAN_OPEN_CREATE | IPCCHAN_OPEN_EXCL, 0600,
				 len);
	ASSERT_GE(fd, 0);
	q = region_map(fd, len, PROT_READ | PROT_WRITE, 0);
	EXPECT_EQ(q[0], 0);
	EXPECT_EQ(q[len - 1], 0);
	EXPECT_EQ(region_mappings(fd), 1, "the old mapping is not the new "
		  "region's");
	memset(q, 0x11, len);
	EXPECT_PATTERN(p, len, 91);
	munmap(q, len);
	munmap(p, len);
	close(fd);
}

/* MAP_PRIVATE is refused with EINVAL, on any fd, with any protection. */
TEST(map_private_refused)
{
	char name[IPCCHAN_NAME_MAX];
	int fd = region_new(name, RW_REGION, 0600, 2 * PG);
	int ro = region_get(name, IPCCHAN_REGION_READ);

	EXPECT_EQ(try_mmap(fd, PG, PROT_READ, MAP_PRIVATE, 0), -EINVAL);
	EXPECT_EQ(try_mmap(fd, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, 0),
		  -EINVAL);
	EXPECT_EQ(try_mmap(fd, 2 * PG, PROT_READ, MAP_PRIVATE, 0), -EINVAL);
	EXPECT_EQ(try_mmap(ro, PG, PROT_READ, MAP_PRIVATE, 0), -EINVAL);
	EXPECT_EQ(try_mmap(ro, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, 0),
		  -EINVAL);
	EXPECT_EQ(region_mappings(fd), 0);
	EXPECT_EQ(try_mmap(fd, PG, PROT_READ, MAP_SHARED, 0), 0);
	close(fd);
	close(ro);
}

/*
 * A fd opened without IPCCHAN_REGION_WRITE: mapping it writable is EACCES,
 * its read-only mapping cannot be made writable by mprotect (EACCES) and a
 * write through it faults; it still sees what others write.
 */
TEST(readonly_fd)
{
	char name[IPCCHAN_NAME_MAX];
	int fd = region_new(name, RW_REGION, 0600, 2 * PG);
	int ro = region_get(name, IPCCHAN_REGION_READ);
	char *w = region_map(fd, 2 * PG, PROT_READ | PROT_WRITE, 0), *r;

	memcpy(w, "hello", 6);
	EXPECT_EQ(try_mmap(ro, PG, PROT_READ | PROT_WRITE, MAP_SHARED, 0),
		  -EACCES);
	EXPECT_EQ(try_mmap(ro, PG, PROT_WRITE, MAP_SHARED, 0), -EACCES);
	EXPECT_EQ(try_mmap(ro, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, 0),
		  -EACCES);
	r = region_map(ro, 2 * PG, PROT_READ, 0);
	EXPECT_STREQ(r, "hello");
	errno = 0;
	EXPECT_EQ(mprotect(r, 2 * PG, PROT_READ | PROT_WRITE), -1);
	EXPECT_EQ(errno, EACCES);
	errno = 0;
	EXPECT_EQ(mprotect(r + PG, PG, PROT_WRITE), -1, "part of it");
	EXPECT_EQ(errno, EACCES);
	EXPECT_EQ(touch_in_child(write_byte, r), 128 + SIGSEGV);
	EXPECT_STREQ(r, "hello");
	memcpy(w, "world", 6);
	EXPECT_STREQ(r, "world");
	/* Downgrading and upgrading back is fine on the writable fd. */
	EXPECT_EQ(mprotect(w, PG, PROT_READ), 0);
	EXPECT_EQ(mprotect(w, PG, PROT_READ | PROT_WRITE), 0);
	w[0] = 'W';
	EXPECT_EQ(r[0], 'W');
	munmap(r, 2 * PG);
	munmap(w, 2 * PG);
	close(fd);
	close(ro);
}

#define MAPPERS		4
#define MAP_ROUNDS	200

/*
 * Each mapper opens the region by name and, 200 times, maps it (the whole
 * region or just its own page), fills its own page, checks it and unmaps.
 */
static void mapper(const char *name, int k)
{
	int fd = region_get(name, RW_REGION);
	int i;

	for (i = 0; i < MAP_ROUNDS; i++) {
		bool whole = i % 2;
		char *p = whole ? region_map(fd, MAPPERS * PG,
					     PROT_READ | PROT_WRITE, 0) :
				  region_map(fd, PG, PROT_READ | PROT_WRITE,
					     k * PG);
		char *mine = whole ? p + k * PG : p;

		fill_pattern(mine, PG, k * 1000 + i);
		ASSERT_EQ(pattern_mismatch(mine, PG, k * 1000 + i), -1,
			  "mapper %d round %d", k, i);
		ASSERT_EQ(munmap(p, whole ? MAPPERS * PG : PG), 0);
		if (i % 25 == 0) {
			struct ipcchan_region_info ri;

			region_info(fd, &ri);
			ASSERT_LE(ri.mappings, MAPPERS);
		}
	}
	close(fd);
}

/*
 * before: 4 processes, each with its own fd, started together
 * after:  200 rounds of map, write, check, unmap each, at once; every page
 *         ends with its last round's data and no mapping is left
 */
TEST_TIMEOUT(concurrent_map_unmap, 90)
{
	char name[IPCCHAN_NAME_MAX];
	int fd = region_new(name, RW_REGION, 0600, MAPPERS * PG);
	struct sync ready, go;
	pid_t pids[MAPPERS];
	char *p;
	int k;

	sync_init(&ready);
	sync_init(&go);
	for (k = 0; k < MAPPERS; k++) {
		pids[k] = xfork();
		if (pids[k] == 0) {
			close(fd);
			sync_post(&ready);
			sync_wait(&go);
			mapper(name, k);
			child_exit();
		}
	}
	for (k = 0; k < MAPPERS; k++)
		sync_wait(&ready);
	for (k = 0; k < MAPPERS; k++)
		sync_post(&go);
	for (k = 0; k < MAPPERS; k++)
		EXPECT_EQ(wait_exit(pids[k], 60000), 0, "mapper %d", k);
	EXPECT_EQ(region_mappings(fd), 0);
	p = region_map(fd, MAPPERS * PG, PROT_READ, 0);
	for (k = 0; k < MAPPERS; k++)
		EXPECT_PATTERN(p + k * PG, PG, k * 1000 + MAP_ROUNDS - 1);
	munmap(p, MAPPERS * PG);
	EXPECT_EQ(region_mappings(fd), 0);
	close(fd);
}

/*
 * REGION_INFO.mappings counts VMAs: new mappings, mappings of another fd,
 * a fork, a split by mprotect, and back to 0 when all are unmapped.
 */
TEST(mappings_count)
{
	char name[IPCCHAN_NAME_MAX];
	int fd = region_new(name, RW_REGION, 0600, 4 * PG);
	int fd2 = region_get(name, IPCCHAN_REGION_READ);
	char *a, *b, *c;
	struct sync forked, done;
	pid_t pid;

	sync_init(&forked);
	sync_init(&done);
	EXPECT_EQ(region_mappings(fd), 0);
	a = region_map(fd, 4 * PG, PROT_READ | PROT_WRITE, 0);
	EXPECT_EQ(region_mappings(fd), 1);
	b = region_map(fd, PG, PROT_READ, 3 * PG);
	EXPECT_EQ(region_mappings(fd), 2);
	c = region_map(fd2, 2 * PG, PROT_READ, 0);
	EXPECT_EQ(region_mappings(fd), 3);
	EXPECT_EQ(region_mappings(fd2), 3);

	pid = xfork();
	if (pid == 0) {
		sync_post(&forked);
		sync_wait(&done);
		child_exit();
	}
	sync_wait(&forked);
	EXPECT_EQ(region_mappings(fd), 6, "the child has copies of all 3");
	sync_post(&done);
	ASSERT_CHILD_OK(pid);
	EXPECT_EQ(region_mappings(fd), 3);

	/* mprotect of the middle pages splits the VMA in three. */
	ASSERT_EQ(mprotect(a + PG, 2 * PG, PROT_READ), 0);
	EXPECT_EQ(region_mappings(fd), 5);
	munmap(b, PG);
	munmap(c, 2 * PG);
	EXPECT_EQ(region_mappings(fd), 3);
	munmap(a, 4 * PG);
	EXPECT_EQ(region_mappings(fd), 0);
	close(fd2);
	EXPECT_EQ(region_mappings(fd), 0);
	close(fd);
}

static long module_refcnt(void)
{
	char buf[32];
	ssize_t n;
	int fd = open("/sys/module/ipcchan/refcnt", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	return strtol(buf, NULL, 10);
}

/*
 * before: a region mapped, its fd closed, no /dev/ipcchan open here
 * after:  the mapping holds the module: refcnt > 0, and delete_module
 *         (O_NONBLOCK) fails with EWOULDBLOCK or EBUSY; the module and the
 *         mapping keep working
 *
 * Last in this program: if the module did go away, everything after fails.
 */
TEST(unload_refused_while_mapped)
{
	size_t len = 2 * PG;
	int fd = region_new(NULL, RW_REGION, 0600, len);
	char *p = region_map(fd, len, PROT_READ | PROT_WRITE, 0);
	long before, after;
	int ret, err;

	if (module_refcnt() < 0)
		SKIP("no /sys/module/ipcchan/refcnt");
	fill_pattern(p, len, 99);
	close(fd);
	before = module_refcnt();
	TH_LOG("refcnt with only the mapping: %ld", before);
	/*
	 * With a count of 0 the call below would unload the module and
	 * break every later test: fail here instead.
	 */
	ASSERT_GT(before, 0, "the mapping does not hold the module: "
		  "delete_module would unload it; not calling it");
	errno = 0;
	ret = syscall(SYS_delete_module, "ipcchan", O_NONBLOCK);
	err = errno;
	if (ret == 0) {
		printf("# !!! delete_module(\"ipcchan\") SUCCEEDED while a "
		       "region was mapped: the module is gone, every later "
		       "test will fail !!!\n");
		fflush(stdout);
	}
	ASSERT_EQ(ret, -1, "delete_module must be refused");
	EXPECT_TRUE(err == EWOULDBLOCK || err == EBUSY, "errno %d (%s)", err,
		    strerror(err));
	ASSERT_EQ(access("/sys/module/ipcchan", F_OK), 0);
	EXPECT_PATTERN(p, len, 99);
	fill_pattern(p, len, 100);
	EXPECT_PATTERN(p, len, 100);
	close(region_new(NULL, RW_REGION, 0600, PG));
	munmap(p, len);
	after = module_refcnt();
	TH_LOG("refcnt after munmap: %ld", after);
	EXPECT_LT(after, before, "the mapping's reference is dropped");
}

TEST_MAIN("region_mmap")
