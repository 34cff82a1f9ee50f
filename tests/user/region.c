// SPDX-License-Identifier: GPL-2.0
/*
 * Regions, the basics: named objects of their own kind (create, exclusive
 * create, open, unlink of the name only), owner and mode checked against the
 * credentials of the /dev/ipcchan file, the size rounded up to pages and
 * reported by IPCCHAN_IOC_REGION_INFO, pages that start zeroed, and EINVAL
 * for every bad argument of IPCCHAN_IOC_REGION_OPEN.
 */
#include "util.h"

#include <sys/resource.h>

static int open_region(const char *name, unsigned int flags, __u32 mode,
		       __u64 size)
{
	return ipcchan_region_open(IPCCHAN_DEV_AUTO, name, flags, mode, size);
}

/* The VER1 version struct, by a raw ioctl. */
static void version_v1(struct ipcchan_version *v)
{
	int dev = dev_open();

	memset(v, 0, sizeof(*v));
	v->size = IPCCHAN_VERSION_SIZE_VER1;
	ASSERT_EQ(xioctl(dev, IPCCHAN_IOC_VERSION, v), 0);
	close(dev);
}

/* The module says it has regions and handles, and how big a region may be. */
TEST(version_features)
{
	struct ipcchan_version v;

	version_v1(&v);
	TH_LOG("features %#llx, max_region_size %llu",
	       (unsigned long long)v.features,
	       (unsigned long long)v.max_region_size);
	EXPECT_TRUE(v.features & IPCCHAN_FEAT_REGION);
	EXPECT_TRUE(v.features & IPCCHAN_FEAT_HANDLE);
	ASSERT_GE(v.max_region_size, (__u64)page_size());
}

/*
 * create, exclusive create, open of an existing region with and without
 * CREATE, and ENOENT for a name that does not exist
 */
TEST(create_excl_open)
{
	char name[IPCCHAN_NAME_MAX], other[IPCCHAN_NAME_MAX];
	struct ipcchan_region_info ri;
	int fd = region_new(name, RW_REGION, 0600, 8192);
	int fd2;

	EXPECT_EQ(open_region(name, RW_REGION | IPCCHAN_OPEN_CREATE |
			      IPCCHAN_OPEN_EXCL, 0600, 8192), -EEXIST);
	fd2 = open_region(name, RW_REGION | IPCCHAN_OPEN_CREATE, 0600, 8192);
	ASSERT_GE(fd2, 0, "CREATE without EXCL opens the existing region");
	region_info(fd2, &ri);
	EXPECT_EQ(ri.region_size, 8192);
	EXPECT_STREQ(ri.name, name);
	close(fd2);
	fd2 = open_region(name, IPCCHAN_REGION_READ, 0, 0);
	ASSERT_GE(fd2, 0);
	close(fd2);

	new_name(other);
	EXPECT_EQ(open_region(other, RW_REGION, 0, 0), -ENOENT);
	EXPECT_EQ(open_region(other, IPCCHAN_REGION_READ, 0, 0), -ENOENT);
	EXPECT_EQ(ipcchan_region_unlink(IPCCHAN_DEV_AUTO, other), -ENOENT);
	close(fd);
}

/*
 * before: a region named N, mapped, holding data
 * after:  unlink removes the name only: the fd and the mapping keep working,
 *         N cannot be opened, and a new region N is separate and zeroed
 */
TEST(unlink_name_only)
{
	char name[IPCCHAN_NAME_MAX];
	long pg = page_size();
	int fd = region_new(name, RW_REGION, 0600, pg);
	char *p = region_map(fd, pg, PROT_READ | PROT_WRITE, 0), *q;
	struct ipcchan_region_info ri;
	int fd2;

	memcpy(p, "old region", 11);
	region_unlink(name);
	EXPECT_EQ(open_region(name, RW_REGION, 0, 0), -ENOENT);
	EXPECT_EQ(ipcchan_region_unlink(IPCCHAN_DEV_AUTO, name), -ENOENT);

	/* The old fd and mapping still work. */
	region_info(fd, &ri);
	EXPECT_EQ(ri.region_size, (__u64)pg);
	EXPECT_EQ(ri.mappings, 1);
	EXPECT_STREQ(p, "old region");
	q = region_map(fd, pg, PROT_READ, 0);
	EXPECT_STREQ(q, "old region");
	munmap(q, pg);

	/* The name can be reused, by a region of its own. */
	fd2 = open_region(name, RW_REGION | IPCCHAN_OPEN_CREATE |
			  IPCCHAN_OPEN_EXCL, 0600, 2 * pg);
	ASSERT_GE(fd2, 0, "the name of an unlinked region must be free");
	region_info(fd2, &ri);
	EXPECT_EQ(ri.region_size, (__u64)2 * pg);
	EXPECT_EQ(ri.mappings, 0);
	q = region_map(fd2, pg, PROT_READ | PROT_WRITE, 0);
	EXPECT_EQ(q[0], 0, "the new region must not share the old one's pages");
	memcpy(q, "new region", 11);
	EXPECT_STREQ(p, "old region");
	munmap(q, pg);
	munmap(p, pg);
	close(fd);
	close(fd2);
}

/* REGION_INFO: owner, group and mode of the creator's /dev/ipcchan file. */
TEST(owner_mode)
{
	struct ipcchan_region_info ri;
	int fd = region_new(NULL, RW_REGION, 0640, 4096);
	pid_t pid;

	region_info(fd, &ri);
	EXPECT_EQ(ri.uid, 0);
	EXPECT_EQ(ri.gid, 0);
	EXPECT_EQ(ri.mode, 0640);
	EXPECT_EQ(ri.producers, 0);
	EXPECT_EQ(ri.consumers, 0);
	EXPECT_EQ(ri.wakes, 0);
	EXPECT_EQ(ri.__reserved, 0);
	EXPECT_EQ(ri.__reserved2, 0);

	pid = xfork();
	if (pid == 0) {
		char name[IPCCHAN_NAME_MAX];

		drop_to_nobody();
		fd = region_new(name, RW_REGION, 0604, 4096);
		region_info(fd, &ri);
		EXPECT_EQ(ri.uid, NOBODY);
		EXPECT_EQ(ri.gid, NOBODY);
		EXPECT_EQ(ri.mode, 0604);
		/* nobody owns it, so nobody may unlink it */
		EXPECT_EQ(ipcchan_region_unlink(IPCCHAN_DEV_AUTO, name), 0);
		child_exit();
	}
	ASSERT_CHILD_OK(pid);
}

/* A child that opened /dev/ipcchan as nobody tries the three access modes. */
static void expect_as_nobody(const char *name, int rd, int wr, int rw)
{
	pid_t pid = xfork();

	if (pid == 0) {
		int fd;

		drop_to_nobody();
		fd = open_region(name, IPCCHAN_REGION_READ, 0, 0);
		EXPECT_EQ(fd < 0 ? fd : 0, rd, "READ on %s", name);
		fd = open_region(name, IPCCHAN_REGION_WRITE, 0, 0);
		EXPECT_EQ(fd < 0 ? fd : 0, wr, "WRITE on %s", name);
		fd = open_region(name, RW_REGION, 0, 0);
		EXPECT_EQ(fd < 0 ? fd : 0, rw, "READ|WRITE on %s", name);
		/* CREATE of root's region: EEXIST, unless ADOPT */
		fd = open_region(name, RW_REGION | IPCCHAN_OPEN_CREATE, 0666,
				 4096);
		EXPECT_EQ(fd < 0 ? fd : 0, -EEXIST, "CREATE|READ|WRITE on %s",
			  name);
		/* CREATE|ADOPT of an existing region is an open: same check */
		fd = open_region(name, RW_REGION | IPCCHAN_OPEN_CREATE |
				 IPCCHAN_OPEN_ADOPT, 0666, 4096);
		EXPECT_EQ(fd < 0 ? fd : 0, rw, "CREATE|ADOPT|READ|WRITE on %s",
			  name);
		/* only the owner (or CAP_IPC_OWNER) unlinks */
		EXPECT_EQ(ipcchan_region_unlink(IPCCHAN_DEV_AUTO, name),
			  -EPERM);
		child_exit();
	}
	ASSERT_CHILD_OK(pid);
}

/* Root's region, nobody's access: the mode bits decide, per access. */
TEST(nobody_eacces)
{
	char n600[IPCCHAN_NAME_MAX], n644[IPCCHAN_NAME_MAX];
	char n622[IPCCHAN_NAME_MAX], n666[IPCCHAN_NAME_MAX];
	int a = region_new(n600, RW_REGION, 0600, 4096);
	int b = region_new(n644, RW_REGION, 0644, 4096);
	int c = region_new(n622, RW_REGION, 0622, 4096);
	int d = region_new(n666, RW_REGION, 0666, 4096);

	expect_as_nobody(n600, -EACCES, -EACCES, -EACCES);
	expect_as_nobody(n644, 0, -EACCES, -EACCES);
	expect_as_nobody(n622, -EACCES, 0, -EACCES);
	expect_as_nobody(n666, 0, 0, 0);
	close(a);
	close(b);
	close(c);
	close(d);
}

/*
 * The credentials that count are those of the /dev/ipcchan file: root's
 * file used by a process that became nobody still opens a 0600 region, and
 * a region created through it belongs to root.
 */
TEST(opener_credentials)
{
	char name[IPCCHAN_NAME_MAX];
	int fd = region_new(name, RW_REGION, 0600, 4096);
	int dev = dev_open();
	pid_t pid = xfork();

	if (pid == 0) {
		struct ipcchan_region_info ri;
		char mine[IPCCHAN_NAME_MAX];
		int r;

		drop_to_nobody();
		r = ipcchan_region_open(dev, name, RW_REGION, 0, 0);
		EXPECT_GE(r, 0, "root's /dev/ipcchan file opens a 0600 region");
		r = region_new_dev(dev, mine, RW_REGION, 0600, 4096);
		region_info(r, &ri);
		EXPECT_EQ(ri.uid, 0);
		EXPECT_EQ(open_region(name, RW_REGION, 0, 0), -EACCES,
			  "nobody's own /dev/ipcchan file does not");
		child_exit();
	}
	ASSERT_CHILD_OK(pid);
	close(dev);
	close(fd);
}

/* The size is rounded up to whole pages, and REGION_INFO says so. */
TEST(size_rounded)
{
	long pg = page_size();
	const struct {
		__u64 asked, got;
	} cases[] = {
		{ 1, pg }, { pg - 1, pg }, { pg, pg }, { pg + 1, 2 * pg },
		{ 3 * pg + 17, 4 * pg }, { 64 * pg, 64 * pg },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ipcchan_region_info ri;
		int fd = region_new(NULL, RW_REGION, 0600, cases[i].asked);
		char *p;

		region_info(fd, &ri);
		EXPECT_EQ(ri.region_size, cases[i].got, "asked for %llu",
			  (unsigned long long)cases[i].asked);
		EXPECT_EQ(ri.mappings, 0);
		/* The rounded size is mappable, every byte of it. */
		p = region_map(fd, cases[i].got, PROT_READ | PROT_WRITE, 0);
		p[cases[i].got - 1] = 1;
		EXPECT_EQ(region_mappings(fd), 1);
		munmap(p, cases[i].got);
		EXPECT_EQ(region_mappings(fd), 0);
		close(fd);
	}
}

/* Pages start zeroed, every one of them. */
TEST(zeroed)
{
	size_t len = 256 * 1024, i;
	int fd = region_new(NULL, RW_REGION, 0600, len);
	unsigned char *p = region_map(fd, len, PROT_READ, 0);
	size_t nonzero = 0;

	for (i = 0; i < len; i++)
		nonzero += p[i] != 0;
	EXPECT_EQ(nonzero, 0);
	munmap(p, len);
	close(fd);
}

/* Creation with a raw ioctl, so that the library cannot filter the input. */
static int raw_create(const char *name, unsigned int flags, __u32 mode,
		      __u64 size)
{
	struct ipcchan_region_open op;

	raw_region_open_init(&op, name, flags, mode, size);
	return raw_region_open(&op);
}

/*
 * Sizes: 0, above max_region_size (of the VER1 version struct), and one
 * whose rounding up to a page overflows: EINVAL, and nothing is created.
 */
TEST(bad_size)
{
	unsigned int fl = RW_REGION | IPCCHAN_OPEN_CREATE | IPCCHAN_OPEN_EXCL;
	char name[IPCCHAN_NAME_MAX];
	struct ipcchan_version v;
	__u64 max;

	version_v1(&v);
	max = v.max_region_size;
	ASSERT_GT(max, 0);
	new_name(name);
	EXPECT_EQ(raw_create(name, fl, 0600, 0), -EINVAL, "size 0");
	EXPECT_EQ(raw_create(name, fl, 0600, max + 1), -EINVAL,
		  "max_region_size + 1");
	EXPECT_EQ(raw_create(name, fl, 0600, max + page_size()), -EINVAL,
		  "max_region_size + a page");
	EXPECT_EQ(raw_create(name, fl, 0600, 1ULL << 62), -EINVAL, "2^62");
	EXPECT_EQ(raw_create(name, fl, 0600, UINT64_MAX - 10), -EINVAL,
		  "UINT64_MAX - 10: rounding up overflows");
	EXPECT_EQ(raw_create(name, fl, 0600, UINT64_MAX), -EINVAL,
		  "UINT64_MAX");
	EXPECT_EQ(raw_create(name, fl, 0600, (__u64)-page_size()), -EINVAL,
		  "the last page-aligned 64-bit value");
	/* Nothing was created. */
	EXPECT_EQ(open_region(name, RW_REGION, 0, 0), -ENOENT);
	/* The library passes the same errors on. */
	EXPECT_EQ(open_region(name, fl, 0600, 0), -EINVAL);
	EXPECT_EQ(open_region(name, fl, 0600, UINT64_MAX - 10), -EINVAL);
}

/*
 * Flags and members: region_size or IPCCHAN_REGION_EXEC without CREATE,
 * unknown flags, neither
 * READ nor WRITE, __reserved, mode bits outside 0777, a bad struct size:
 * EINVAL each, for a missing name and for an existing one.
 */
TEST(bad_args)
{
	unsigned int fl = RW_REGION | IPCCHAN_OPEN_CREATE | IPCCHAN_OPEN_EXCL;
	char name[IPCCHAN_NAME_MAX], fresh[IPCCHAN_NAME_MAX];
	struct ipcchan_region_open op;
	int fd = region_new(name, RW_REGION, 0600, 4096), bit;

	new_name(fresh);
	/* region_size without CREATE */
	EXPECT_EQ(raw_create(name, RW_REGION, 0, 4096), -EINVAL);
	EXPECT_EQ(raw_create(fresh, RW_REGION, 0, 4096), -EINVAL);
	EXPECT_EQ(raw_create(fresh, IPCCHAN_REGION_READ, 0, 1), -EINVAL);
	EXPECT_EQ(raw_create(name, RW_REGION | IPCCHAN_REGION_EXEC, 0, 0),
		  -EINVAL);
	/* neither READ nor WRITE */
	EXPECT_EQ(raw_create(fresh, IPCCHAN_OPEN_CREATE | IPCCHAN_OPEN_EXCL,
			     0600, 4096), -EINVAL);
	EXPECT_EQ(raw_create(name, 0, 0, 0), -EINVAL);
	EXPECT_EQ(raw_create(name, IPCCHAN_OPEN_NONBLOCK, 0, 0), -EINVAL);
	/* unknown flags, each bit above the known ones */
	for (bit = 6; bit < 32; bit++) {
		/* IPCCHAN_REGION_EXEC: only with CREATE */
		if ((1U << bit) != IPCCHAN_REGION_EXEC)
			EXPECT_EQ(raw_create(fresh, fl | (1U << bit), 0600,
					     4096),
				  -EINVAL, "flag bit %d on create", bit);
		EXPECT_EQ(raw_create(name, RW_REGION | (1U << bit), 0, 0),
			  -EINVAL, "flag bit %d on open", bit);
	}
	/* __reserved */
	raw_region_open_init(&op, fresh, fl, 0600, 4096);
	op.__reserved = 1;
	EXPECT_EQ(raw_region_open(&op), -EINVAL);
	raw_region_open_init(&op, name, RW_REGION, 0, 0);
	op.__reserved = 0x80000000U;
	EXPECT_EQ(raw_region_open(&op), -EINVAL);
	/* mode bits outside 0777 */
	EXPECT_EQ(raw_create(fresh, fl, 01600, 4096), -EINVAL);
	EXPECT_EQ(raw_create(fresh, fl, 04600, 4096), -EINVAL);
	/* @size below VER0 */
	raw_region_open_init(&op, fresh, fl, 0600, 4096);
	op.size = IPCCHAN_REGION_OPEN_SIZE_VER0 - 8;
	EXPECT_EQ(raw_region_open(&op), -EINVAL);
	/* Nothing was created under the fresh name. */
	EXPECT_EQ(open_region(fresh, RW_REGION, 0, 0), -ENOENT);
	/* And the existing region is intact. */
	close(region_get(name, RW_REGION));
	close(fd);
}

/* Names are checked as for channels. */
TEST(bad_names)
{
	unsigned int fl = RW_REGION | IPCCHAN_OPEN_CREATE | IPCCHAN_OPEN_EXCL;
	struct ipcchan_region_open op;

	EXPECT_EQ(raw_create("", fl, 0600, 4096), -EINVAL);
	EXPECT_EQ(raw_create("a/b", fl, 0600, 4096), -EINVAL);
	EXPECT_EQ(raw_create("sp ace", fl, 0600, 4096), -EINVAL);
	raw_region_open_init(&op, NULL, fl, 0600, 4096);
	memset(op.name, 'a', sizeof(op.name));
	EXPECT_EQ(raw_region_open(&op), -ENAMETOOLONG);
	raw_region_open_init(&op, "ab", fl, 0600, 4096);
	op.name[5] = 'x';
	EXPECT_EQ(raw_region_open(&op), -EINVAL, "bytes after the NUL");
}

/*
 * Channels and regions have separate names: both kinds can be created
 * under one name, and unlinking one kind leaves the other.
 */
TEST(separate_namespace)
{
	char name[IPCCHAN_NAME_MAX];
	int r = region_new(name, RW_REGION, 0600, 4096);
	int c, c2;

	/* No channel of that name yet. */
	EXPECT_EQ(ipcchan_chan_open(IPCCHAN_DEV_AUTO, name, RS, NULL),
		  -ENOENT);
	EXPECT_EQ(ipcchan_chan_unlink(IPCCHAN_DEV_AUTO, name), -ENOENT);
	c = ipcchan_chan_open(IPCCHAN_DEV_AUTO, name, RS | IPCCHAN_OPEN_CREATE |
			      IPCCHAN_OPEN_EXCL, NULL);
	ASSERT_GE(c, 0, "a channel may share a region's name");
	/* Unlinking the channel leaves the region, and back. */
	chan_unlink(name);
	close(region_get(name, RW_REGION));
	c2 = ipcchan_chan_open(IPCCHAN_DEV_AUTO, name, RS | IPCCHAN_OPEN_CREATE |
			       IPCCHAN_OPEN_EXCL, NULL);
	ASSERT_GE(c2, 0);
	region_unlink(name);
	EXPECT_EQ(ipcchan_region_open(IPCCHAN_DEV_AUTO, name, RW_REGION, 0, 0),
		  -ENOENT);
	close(chan_get(name, RS));
	chan_unlink(name);
	/* A region fd is not a channel fd, nor the reverse. */
	{
		struct ipcchan_chan_info ci;
		struct ipcchan_region_info ri;

		EXPECT_LT(ipcchan_chan_info(r, &ci), 0);
		memset(&ri, 0, sizeof(ri));
		EXPECT_LT(ipcchan_region_info(c, &ri), 0);
	}
	close(c);
	close(c2);
	close(r);
}

/* REGION_INFO checks its input: flags and a bad struct size. */
TEST(info_args)
{
	struct ipcchan_region_info ri;
	int fd = region_new(NULL, RW_REGION, 0600, 4096);

	memset(&ri, 0, sizeof(ri));
	ri.size = sizeof(ri);
	ASSERT_EQ(xioctl(fd, IPCCHAN_IOC_REGION_INFO, &ri), 0);
	ri.flags = 1;
	EXPECT_EQ(xioctl(fd, IPCCHAN_IOC_REGION_INFO, &ri), -EINVAL);
	memset(&ri, 0, sizeof(ri));
	ri.size = 8;
	EXPECT_EQ(xioctl(fd, IPCCHAN_IOC_REGION_INFO, &ri), -EINVAL);
	/* Channel ioctls on a region fd are refused. */
	{
		struct ipcchan_send s;

		raw_send_init(&s, "x", 1);
		EXPECT_LT(xioctl(fd, IPCCHAN_IOC_SEND, &s), 0);
	}
	close(fd);
}

/* IPCCHAN_OPEN_CLOEXEC sets FD_CLOEXEC on the region fd, and only then. */
TEST(cloexec)
{
	char name[IPCCHAN_NAME_MAX];
	int fd = region_new(name, RW_REGION | IPCCHAN_OPEN_CLOEXEC, 0600,
			    4096);
	int fd2 = region_get(name, IPCCHAN_REGION_READ);

	EXPECT_TRUE(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	EXPECT_FALSE(fcntl(fd2, F_GETFD) & FD_CLOEXEC);
	close(fd);
	close(fd2);
}

/* The library's map and unmap helpers map the whole region, shared. */
TEST(lib_map_helpers)
{
	char name[IPCCHAN_NAME_MAX];
	int fd = region_new(name, RW_REGION, 0600, 3 * page_size() + 1);
	int fd2 = region_get(name, RW_REGION);
	void *a, *b;
	size_t la, lb;

	ASSERT_EQ(ipcchan_region_map(fd, PROT_READ | PROT_WRITE, &a, &la), 0);
	ASSERT_EQ(ipcchan_region_map(fd2, PROT_READ, &b, &lb), 0);
	EXPECT_EQ(la, (size_t)4 * page_size());
	EXPECT_EQ(lb, la);
	EXPECT_EQ(region_mappings(fd), 2);
	memcpy((char *)a + la - 6, "tail!", 6);
	EXPECT_STREQ((char *)b + lb - 6, "tail!");
	EXPECT_EQ(ipcchan_region_unmap(a, la), 0);
	EXPECT_EQ(ipcchan_region_unmap(b, lb), 0);
	EXPECT_EQ(region_mappings(fd), 0);
	close(fd);
	close(fd2);
}

TEST_MAIN("region")
