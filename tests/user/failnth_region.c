// SPDX-License-Identifier: GPL-2.0
/*
 * Systematic fault injection (failnth.h) into every region call:
 * REGION_OPEN (create, which also allocates the region's last page, open
 * existing, with each access and flag),
 * REGION_INFO, REGION_ATTACH, REGION_WAIT, REGION_WAKE, mmap, and the page
 * faults of a first write and a first read of a region page.
 *
 * After every injected fault: the call failed with ENOMEM, EFAULT or
 * ENOBUFS, or succeeded; a failed open left no fd and no region; a failed
 * mmap left no mapping (REGION_INFO.mappings); a failed attach left no
 * role, a failed wake no wake; and at the end neither the region count
 * nor the memory budget has leaked. A page fault whose allocation fails is
 * retried by the kernel (the handler is shmem's, which returns
 * VM_FAULT_OOM, and 6.1 retries a fault that comes back with it rather
 * than call the OOM killer): the access completes, with no SIGBUS and no
 * report.
 */
#include "failnth.h"

#define SIZE		8192

struct ctx {
	int dev;
	int fd;				/* the region, read-write */
	int chan;			/* a channel for the budget probe */
	char name[IPCCHAN_NAME_MAX];
	unsigned int flags;
	unsigned int n;
	int fds;
	int newfd;
	char newname[IPCCHAN_NAME_MAX];
	uint64_t wakes;
	volatile uint32_t *p;		/* a mapping of newfd */
	void *map;			/* what call_mmap() mapped */
	struct ipcchan_region_open op;
	struct ipcchan_region_info ri;
	struct ipcchan_region_attach at;
	struct ipcchan_region_wait wt;
	struct ipcchan_region_wake wk;
};

static struct ctx *ctx_new(void)
{
	struct ctx *c = calloc(1, sizeof(*c));

	ASSERT_TRUE(c != NULL);
	failnth_setup();
	c->dev = dev_open();
	c->fd = region_new_dev(c->dev, c->name, RW_REGION, 0600, SIZE);
	c->chan = chan_new(NULL, RS, 0600, BUDGET_PROBE, 4, BUDGET_PROBE);
	return c;
}

/* A region fd @fd works: REGION_INFO names it, and it maps. */
static void region_fd_works(int fd, const char *name, unsigned int flags)
{
	struct ipcchan_region_info ri;
	int prot = flags & IPCCHAN_REGION_WRITE ? PROT_READ | PROT_WRITE :
						  PROT_READ;
	volatile uint32_t *p;

	region_info(fd, &ri);
	ASSERT_STREQ(ri.name, name);
	ASSERT_EQ(ri.region_size, SIZE);
	/* Every mapping needs read access. */
	if (!(flags & IPCCHAN_REGION_READ))
		return;
	p = region_map(fd, SIZE, prot, 0);
	if (flags & IPCCHAN_REGION_WRITE)
		p[1] = 42;
	ASSERT_EQ(p[0], 0);
	munmap((void *)p, SIZE);
}

static long call_open(void *p)
{
	struct ctx *c = p;

	return xioctl(c->dev, IPCCHAN_IOC_REGION_OPEN, &c->op);
}

static void setup_create(void *p)
{
	struct ctx *c = p;

	new_name(c->newname);
	raw_region_open_init(&c->op, c->newname, c->flags, 0600, SIZE);
	c->fds = count_fds();
}

static void check_create(void *p, long ret, bool injected)
{
	struct ctx *c = p;

	(void)injected;
	if (ret >= 0) {
		ASSERT_EQ(count_fds(), c->fds + 1);
		region_fd_works(ret, c->newname, c->flags);
		close(ret);
		region_unlink(c->newname);
		return;
	}
	ASSERT_EQ(count_fds(), c->fds, "a failed open left a fd behind");
	ASSERT_EQ(ipcchan_region_open(c->dev, c->newname, RW_REGION, 0, 0),
		  -ENOENT, "a failed create left region %s behind",
		  c->newname);
}

TEST(region_open_create)
{
	struct ctx *c = ctx_new();
	struct failnth_call fc = {
		.name = "REGION_OPEN(CREATE)", .ctx = c,
		.setup = setup_create, .call = call_open,
		.check = check_create,
	};
	int free0 = regions_free();
	long budget0 = budget_free(c->chan);

	c->flags = RW_REGION | IPCCHAN_OPEN_CREATE | IPCCHAN_OPEN_EXCL;
	failnth_run(&fc);
	fc.name = "REGION_OPEN(CREATE|CLOEXEC|NONBLOCK, READ)";
	c->flags = IPCCHAN_REGION_READ | IPCCHAN_OPEN_CREATE |
		   IPCCHAN_OPEN_CLOEXEC | IPCCHAN_OPEN_NONBLOCK;
	failnth_run(&fc);
	ASSERT_EQ(regions_free(), free0, "the region count leaked");
	ASSERT_EQ(budget_free(c->chan), budget0, "the memory budget leaked");
}

static void setup_open(void *p)
{
	struct ctx *c = p;

	raw_region_open_init(&c->op, c->name, c->flags, 0, 0);
	c->fds = count_fds();
}

static void check_open(void *p, long ret, bool injected)
{
	struct ctx *c = p;

	(void)injected;
	if (ret >= 0) {
		ASSERT_EQ(count_fds(), c->fds + 1);
		region_fd_works(ret, c->name, c->flags);
		close(ret);
	} else {
		ASSERT_EQ(count_fds(), c->fds, "a failed open left a fd "
			  "behind");
	}
	ASSERT_EQ(region_mappings(c->fd), 0);
}

TEST(region_open_existing)
{
	static const struct { const char *name; unsigned int flags; } v[] = {
		{ "REGION_OPEN(READ)", IPCCHAN_REGION_READ },
		{ "REGION_OPEN(WRITE)", IPCCHAN_REGION_WRITE },
		{ "REGION_OPEN(READ|WRITE|NONBLOCK|CLOEXEC)",
		  RW_REGION | IPCCHAN_OPEN_NONBLOCK | IPCCHAN_OPEN_CLOEXEC },
	};
	struct ctx *c = ctx_new();
	struct failnth_call fc = {
		.ctx = c, .setup = setup_open, .call = call_open,
		.check = check_open,
	};
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		fc.name = v[i].name;
		c->flags = v[i].flags;
		failnth_run(&fc);
	}
}

static long call_info(void *p)
{
	struct ctx *c = p;

	return xioctl(c->fd, IPCCHAN_IOC_REGION_INFO, &c->ri);
}

static void setup_info(void *p)
{
	struct ctx *c = p;

	memset(&c->ri, 0, sizeof(c->ri));
	c->ri.size = sizeof(c->ri);
}

static void check_info(void *p, long ret, bool injected)
{
	struct ctx *c = p;

	(void)injected;
	if (ret == 0) {
		ASSERT_STREQ(c->ri.name, c->name);
		ASSERT_EQ(c->ri.region_size, SIZE);
	}
}

TEST(region_info)
{
	struct ctx *c = ctx_new();
	struct failnth_call fc = {
		.name = "REGION_INFO", .ctx = c, .setup = setup_info,
		.call = call_info, .check = check_info,
	};

	failnth_run(&fc);
}

static long call_attach(void *p)
{
	struct ctx *c = p;

	return xioctl(c->newfd, IPCCHAN_IOC_REGION_ATTACH, &c->at);
}

static void setup_attach(void *p)
{
	struct ctx *c = p;

	c->newfd = region_get(c->name, RW_REGION);
	c->at.size = sizeof(c->at);
	c->at.role = IPCCHAN_ROLE_PRODUCER;
}

static void check_attach(void *p, long ret, bool injected)
{
	struct ctx *c = p;
	struct ipcchan_region_info ri;

	(void)injected;
	region_info(c->fd, &ri);
	ASSERT_EQ(ri.producers, ret == 0 ? 1 : 0);
	ASSERT_EQ(ri.consumers, 0);
	/* A failed attach leaves the fd free to attach. */
	ASSERT_EQ(ipcchan_region_attach(c->newfd, IPCCHAN_ROLE_PRODUCER),
		  ret == 0 ? -EBUSY : 0);
	close(c->newfd);
	region_info(c->fd, &ri);
	ASSERT_EQ(ri.producers, 0);
}

TEST(region_attach)
{
	struct ctx *c = ctx_new();
	struct failnth_call fc = {
		.name = "REGION_ATTACH", .ctx = c, .setup = setup_attach,
		.call = call_attach, .check = check_attach,
	};

	failnth_run(&fc);
}

static long call_wait(void *p)
{
	struct ctx *c = p;

	return xioctl(c->newfd, IPCCHAN_IOC_REGION_WAIT, &c->wt);
}

/* A new region each time, so that the wait reads a page never touched. */
static void setup_wait(void *p)
{
	struct ctx *c = p;

	c->newfd = region_new(c->newname, RW_REGION, 0600, SIZE);
	memset(&c->wt, 0, sizeof(c->wt));
	c->wt.size = sizeof(c->wt);
	c->wt.flags = IPCCHAN_XFER_NONBLOCK;
	c->wt.offset = 4096;
	c->wt.expected = 1;	/* the word holds 0: no wait */
}

static void check_wait(void *p, long ret, bool injected)
{
	struct ctx *c = p;

	(void)injected;
	if (ret >= 0)
		ASSERT_EQ(ret, 0);
	ASSERT_EQ(xioctl(c->newfd, IPCCHAN_IOC_REGION_WAIT, &c->wt), 0);
	c->wt.expected = 0;
	ASSERT_EQ(xioctl(c->newfd, IPCCHAN_IOC_REGION_WAIT, &c->wt), -EAGAIN);
	close(c->newfd);
	region_unlink(c->newname);
}

TEST(region_wait)
{
	struct ctx *c = ctx_new();
	struct failnth_call fc = {
		.name = "REGION_WAIT", .ctx = c, .setup = setup_wait,
		.call = call_wait, .check = check_wait,
	};
	long budget0 = budget_free(c->chan);

	failnth_run(&fc);
	ASSERT_EQ(budget_free(c->chan), budget0, "the memory budget leaked");
}

static long call_wake(void *p)
{
	struct ctx *c = p;

	return xioctl(c->fd, IPCCHAN_IOC_REGION_WAKE, &c->wk);
}

static void setup_wake(void *p)
{
	struct ctx *c = p;
	struct ipcchan_region_info ri;

	region_info(c->fd, &ri);
	c->wakes = ri.wakes;
	c->wk.size = sizeof(c->wk);
	c->wk.flags = 0;
}

static void check_wake(void *p, long ret, bool injected)
{
	struct ctx *c = p;
	struct ipcchan_region_info ri;

	(void)injected;
	region_info(c->fd, &ri);
	ASSERT_EQ(ri.wakes, c->wakes + (ret == 0), "wakes counted");
}

TEST(region_wake)
{
	struct ctx *c = ctx_new();
	struct failnth_call fc = {
		.name = "REGION_WAKE", .ctx = c, .setup = setup_wake,
		.call = call_wake, .check = check_wake,
	};

	failnth_run(&fc);
}

static long call_mmap(void *p)
{
	struct ctx *c = p;

	c->map = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, c->fd, 0);
	return c->map == MAP_FAILED ? -errno : 0;
}

static void check_mmap(void *p, long ret, bool injected)
{
	struct ctx *c = p;

	(void)injected;
	if (ret < 0) {
		ASSERT_EQ(region_mappings(c->fd), 0, "a failed mmap left a "
			  "mapping");
		return;
	}
	ASSERT_EQ(region_mappings(c->fd), 1);
	((volatile uint32_t *)c->map)[0]++;
	ASSERT_EQ(munmap(c->map, SIZE), 0);
	ASSERT_EQ(region_mappings(c->fd), 0);
}

TEST(region_mmap)
{
	struct ctx *c = ctx_new();
	struct failnth_call fc = {
		.name = "mmap", .ctx = c, .call = call_mmap,
		.check = check_mmap,
	};
	const int errnos[] = { ENOMEM, 0 };
	volatile uint32_t *p;
	struct failnth_stats st;

	fc.errnos = errnos;
	st = failnth_run(&fc);
	p = region_map(c->fd, SIZE, PROT_READ, 0);
	ASSERT_EQ(p[0], st.absorbed + 1, "every mapping that was made wrote");
	munmap((void *)p, SIZE);
}

/*
 * The word the page fault tests touch: in the first page, as the last page
 * of a region is allocated at its creation.
 */
#define TOUCH_AT	1

/* A new region and a mapping of it, with no page touched yet. */
static void setup_touch(void *p)
{
	struct ctx *c = p;

	c->n++;
	c->newfd = region_new(c->newname, RW_REGION, 0600, SIZE);
	c->p = region_map(c->newfd, SIZE, PROT_READ | PROT_WRITE, 0);
}

static long call_touch_write(void *p)
{
	struct ctx *c = p;

	c->p[TOUCH_AT] = c->n;
	return 0;
}

static long call_touch_read(void *p)
{
	struct ctx *c = p;

	return c->p[TOUCH_AT];
}

static void check_touch(void *p, long ret, bool injected)
{
	struct ctx *c = p;
	bool wrote = c->p[TOUCH_AT] != 0;
	volatile uint32_t *q;

	(void)injected;
	ASSERT_EQ(ret, 0);
	/* Another mapping sees the same page. */
	q = region_map(c->newfd, SIZE, PROT_READ, 0);
	ASSERT_EQ(q[TOUCH_AT], wrote ? c->n : 0);
	munmap((void *)q, SIZE);
	munmap((void *)c->p, SIZE);
	close(c->newfd);
	region_unlink(c->newname);
}

TEST(page_fault_write)
{
	struct ctx *c = ctx_new();
	struct failnth_call fc = {
		.name = "page fault (write)", .ctx = c, .setup = setup_touch,
		.call = call_touch_write, .check = check_touch,
	};

	failnth_run(&fc);
}

TEST(page_fault_read)
{
	struct ctx *c = ctx_new();
	struct failnth_call fc = {
		.name = "page fault (read)", .ctx = c, .setup = setup_touch,
		.call = call_touch_read, .check = check_touch,
	};

	failnth_run(&fc);
}

TEST_MAIN("failnth_region")
