// SPDX-License-Identifier: GPL-2.0
/*
 * Hardening of users and names: per-user budgets that hold across user
 * namespaces (the uids a user maps all count against its one budget, and a
 * user namespace that global root owns has one user's budget), no
 * silent adoption of another uid's object by CREATE (IPCCHAN_OPEN_ADOPT),
 * the umask applied to a new object's mode, and module parameters that
 * refuse values above their ceilings.
 */
#include "util.h"

#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/wait.h>

/* The plain uid that owns the user namespace of the userns tests. */
#define OWNER		4321
/* The uids the namespace maps: 0..NS_UIDS-1 inside, from NS_BASE outside. */
#define NS_BASE		300000
#define NS_UIDS		4
/* Where the user namespace that global root creates maps them from. */
#define ROOT_NS_BASE	200000

static void write_proc(pid_t pid, const char *file, const char *text)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	ASSERT_GE(fd, 0, "open %s", path);
	ASSERT_EQ(write(fd, text, strlen(text)), (ssize_t)strlen(text),
		  "writing \"%s\" to %s", text, path);
	close(fd);
}

/* What one uid of the namespace makes: 0 or -errno; the fd stays open. */
typedef int (*make_fn)(void);

static int make_channel(void)
{
	char name[IPCCHAN_NAME_MAX];
	struct ipcchan_attr a = { .mode = 0600 };
	int fd;

	new_name(name);
	fd = ipcchan_chan_open(IPCCHAN_DEV_AUTO, name, RS | IPCCHAN_OPEN_CREATE |
			       IPCCHAN_OPEN_EXCL, &a);
	return fd < 0 ? fd : 0;
}

static int make_region(void)
{
	char name[IPCCHAN_NAME_MAX];
	int fd;

	new_name(name);
	fd = ipcchan_region_open(IPCCHAN_DEV_AUTO, name, IPCCHAN_REGION_READ |
				 IPCCHAN_OPEN_CREATE | IPCCHAN_OPEN_EXCL,
				 0600, page_size());
	return fd < 0 ? fd : 0;
}

/*
 * As uid @u of a namespace, makes a user namespace of its own that maps
 * only @u (as 0), and runs @make in it.
 */
static int make_nested(make_fn make, int u)
{
	char map[32];
	int fd;

	/* setresuid() made it undumpable: its /proc files are root's. */
	ASSERT_EQ(prctl(PR_SET_DUMPABLE, 1, 0, 0, 0), 0);
	if (unshare(CLONE_NEWUSER))
		return -errno;
	snprintf(map, sizeof(map), "0 %d 1\n", u);
	fd = open("/proc/self/uid_map", O_WRONLY | O_CLOEXEC);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(write(fd, map, strlen(map)), (ssize_t)strlen(map));
	close(fd);
	return make();
}

/* Whose user namespace, and how its last uid makes its object. */
enum ns_kind {
	NS_OF_USER,		/* the plain uid OWNER's */
	NS_OF_ROOT,		/* global root's, as a container runtime's */
	NS_OF_ROOT_NESTED,	/* root's, the last uid in a nested one */
};

/*
 * Runs @make once as each uid 0..NS_UIDS-1 of a user namespace that the
 * plain uid OWNER (or global root, see @kind) creates and root maps from
 * @base, in that order, and returns what each returned in @res.
 */
static void make_in_ns(enum ns_kind kind, int base, make_fn make,
		       int res[NS_UIDS])
{
	int *shared = shared_alloc(NS_UIDS * sizeof(int));
	struct sync in, mapped;
	char map[64];
	pid_t pid;

	sync_init(&in);
	sync_init(&mapped);
	pid = xfork();
	if (pid == 0) {
		int u;

		if (kind == NS_OF_USER) {
			ASSERT_EQ(setgroups(0, NULL), 0);
			ASSERT_EQ(setresgid(OWNER, OWNER, OWNER), 0);
			ASSERT_EQ(setresuid(OWNER, OWNER, OWNER), 0);
		}
		if (unshare(CLONE_NEWUSER))
			SKIP("unshare(CLONE_NEWUSER): %s", strerror(errno));
		sync_post(&in);
		sync_wait(&mapped);
		for (u = 0; u < NS_UIDS; u++) {
			pid_t c = xfork();

			if (c == 0) {
				/* A user namespace's creator needs a gid. */
				if (kind == NS_OF_ROOT_NESTED)
					ASSERT_EQ(setresgid(u, u, u), 0);
				ASSERT_EQ(setresuid(u, u, u), 0, "uid %d", u);
				if (kind == NS_OF_ROOT_NESTED &&
				    u == NS_UIDS - 1)
					shared[u] = make_nested(make, u);
				else
					shared[u] = make();
				/* The object stays: it is named. */
				child_exit();
			}
			ASSERT_CHILD_OK(c);
		}
		child_exit();
	}
	sync_wait(&in);
	snprintf(map, sizeof(map), "0 %d %d\n", base, NS_UIDS);
	write_proc(pid, "uid_map", map);
	if (kind == NS_OF_ROOT_NESTED)
		write_proc(pid, "gid_map", map);
	sync_post(&mapped);
	ASSERT_CHILD_OK_OR_SKIP(pid);
	memcpy(res, shared, NS_UIDS * sizeof(int));
}

static void make_as_each_uid(make_fn make, int res[NS_UIDS])
{
	make_in_ns(NS_OF_USER, NS_BASE, make, res);
}

/*
 * before: max_channels_per_user 3; a plain uid makes a user namespace that
 *         maps 4 uids
 * after:  each of the first 3 uids creates a channel, the 4th gets ENOSPC:
 *         all count against the budget of the namespace's owner
 */
TEST(userns_channels_count_against_owner)
{
	int res[NS_UIDS], u;

	param_set_u64("max_channels_per_user", NS_UIDS - 1);
	make_as_each_uid(make_channel, res);
	for (u = 0; u < NS_UIDS - 1; u++)
		EXPECT_EQ(res[u], 0, "channel of uid %d", u);
	EXPECT_EQ(res[NS_UIDS - 1], -ENOSPC,
		  "uid %d of the namespace got a budget of its own",
		  NS_UIDS - 1);
}

/*
 * before: max_bytes_per_user of 3 pages; the same namespace
 * after:  3 one-page regions fit, the 4th gets ENOBUFS
 */
TEST(userns_bytes_count_against_owner)
{
	int res[NS_UIDS], u;

	param_set_u64("max_bytes_per_user", (NS_UIDS - 1) * page_size());
	make_as_each_uid(make_region, res);
	for (u = 0; u < NS_UIDS - 1; u++)
		EXPECT_EQ(res[u], 0, "region of uid %d", u);
	EXPECT_EQ(res[NS_UIDS - 1], -ENOBUFS,
		  "uid %d of the namespace got a budget of its own",
		  NS_UIDS - 1);
}

/*
 * before: max_regions_per_user 3; the same namespace
 * after:  the 4th region is ENOSPC
 */
TEST(userns_regions_count_against_owner)
{
	int res[NS_UIDS], u;

	param_set_u64("max_regions_per_user", NS_UIDS - 1);
	make_as_each_uid(make_region, res);
	for (u = 0; u < NS_UIDS - 1; u++)
		EXPECT_EQ(res[u], 0, "region of uid %d", u);
	EXPECT_EQ(res[NS_UIDS - 1], -ENOSPC);
}

/*
 * Each of the NS_UIDS uids of a user namespace of @kind that global root
 * creates (mapped from ROOT_NS_BASE, as a container runtime remaps them)
 * makes one object with @make; the first NS_UIDS - 1 must succeed, the last
 * must fail with @err.
 */
static void root_ns_shares_budget(enum ns_kind kind, make_fn make, int err)
{
	int res[NS_UIDS], u;

	make_in_ns(kind, ROOT_NS_BASE, make, res);
	for (u = 0; u < NS_UIDS - 1; u++)
		EXPECT_EQ(res[u], 0, "object of uid %d", u);
	EXPECT_EQ(res[NS_UIDS - 1], err,
		  "uid %d of root's namespace got a budget of its own (%d)",
		  NS_UIDS - 1, res[NS_UIDS - 1]);
}

/*
 * before: max_channels_per_user 3; global root makes a user namespace that
 *         maps 4 uids (a container, uid 0 inside not global root)
 * after:  each of the first 3 uids creates a channel, the 4th gets ENOSPC:
 *         the namespace as a whole has one user's budget, though global
 *         root's own budget is unlimited
 */
TEST(userns_of_root_channels_share_one_budget)
{
	param_set_u64("max_channels_per_user", NS_UIDS - 1);
	root_ns_shares_budget(NS_OF_ROOT, make_channel, -ENOSPC);
}

/*
 * before: max_bytes_per_user of 3 pages; the same namespace of root's
 * after:  3 one-page regions fit, the 4th gets ENOBUFS
 */
TEST(userns_of_root_bytes_share_one_budget)
{
	param_set_u64("max_bytes_per_user", (NS_UIDS - 1) * page_size());
	root_ns_shares_budget(NS_OF_ROOT, make_region, -ENOBUFS);
}

/*
 * before: max_regions_per_user 3; the same namespace of root's
 * after:  the 4th region is ENOSPC
 */
TEST(userns_of_root_regions_share_one_budget)
{
	param_set_u64("max_regions_per_user", NS_UIDS - 1);
	root_ns_shares_budget(NS_OF_ROOT, make_region, -ENOSPC);
}

/*
 * before: max_channels_per_user 3; root's namespace of 4 uids, the 4th of
 *         which makes a user namespace of its own and creates its channel
 *         in it
 * after:  that 4th channel is ENOSPC: a namespace nested in root's counts
 *         against the budget of root's namespace as a whole
 */
TEST(userns_of_root_nested_shares_one_budget)
{
	param_set_u64("max_channels_per_user", NS_UIDS - 1);
	root_ns_shares_budget(NS_OF_ROOT_NESTED, make_channel, -ENOSPC);
}

/* Opens @name as nobody with @flags (CREATE: mode 0666): 0 or -errno. */
struct nobody_open {
	const char *name;
	unsigned int flags;
	bool region;
	int ret;
};

static void nobody_open(void *arg)
{
	struct nobody_open *o = arg;
	struct ipcchan_attr a = { .mode = 0666 };
	int fd;

	drop_to_nobody();
	if (o->region)
		fd = ipcchan_region_open(IPCCHAN_DEV_AUTO, o->name, o->flags,
					 o->flags & IPCCHAN_OPEN_CREATE ? 0666 : 0,
					 o->flags & IPCCHAN_OPEN_CREATE ?
					 page_size() : 0);
	else
		fd = ipcchan_chan_open(IPCCHAN_DEV_AUTO, o->name, o->flags,
				       o->flags & IPCCHAN_OPEN_CREATE ? &a :
				       NULL);
	o->ret = fd < 0 ? fd : 0;
}

static int open_as_nobody(const char *name, bool region, unsigned int flags)
{
	struct nobody_open *o = shared_alloc(sizeof(*o));

	o->name = name;
	o->region = region;
	o->flags = flags;
	o->ret = 1;
	ASSERT_EQ(run_in_child(nobody_open, o), 0);
	return o->ret;
}

static void no_adoption(bool region)
{
	unsigned int access = region ? IPCCHAN_REGION_READ |
				       IPCCHAN_REGION_WRITE : RS;
	char name[IPCCHAN_NAME_MAX];
	int fd;

	umask(0);
	fd = region ? region_new(name, access, 0666, page_size()) :
		      chan_new(name, access, 0666, 0, 0, 0);
	/* Without CREATE, the mode decides, as ever. */
	EXPECT_EQ(open_as_nobody(name, region, access), 0);
	/* CREATE without EXCL: never somebody else's object by mistake. */
	EXPECT_EQ(open_as_nobody(name, region, access | IPCCHAN_OPEN_CREATE),
		  -EEXIST);
	/* Unless the caller says it means it. */
	EXPECT_EQ(open_as_nobody(name, region, access | IPCCHAN_OPEN_CREATE |
				 IPCCHAN_OPEN_ADOPT), 0);
	/* ADOPT needs CREATE and excludes EXCL. */
	EXPECT_EQ(open_as_nobody(name, region, access | IPCCHAN_OPEN_ADOPT),
		  -EINVAL);
	EXPECT_EQ(open_as_nobody(name, region, access | IPCCHAN_OPEN_CREATE |
				 IPCCHAN_OPEN_EXCL | IPCCHAN_OPEN_ADOPT),
		  -EINVAL);
	close(fd);
}

/*
 * before: root's 0666 channel
 * after:  nobody's CREATE without EXCL is EEXIST, with ADOPT it opens it;
 *         ADOPT without CREATE, or with EXCL, is EINVAL
 */
TEST(create_does_not_adopt_channel)
{
	no_adoption(false);
}

/* The same for a region. */
TEST(create_does_not_adopt_region)
{
	no_adoption(true);
}

/*
 * before: nobody's own channel and region
 * after:  nobody's CREATE without EXCL opens them, as always
 */
TEST(create_opens_own_object)
{
	char name[IPCCHAN_NAME_MAX];
	pid_t pid;

	new_name(name);
	pid = xfork();
	if (pid == 0) {
		struct ipcchan_attr a = { .mode = 0600 };
		int fd, again;

		drop_to_nobody();
		fd = ipcchan_chan_open(IPCCHAN_DEV_AUTO, name, RS |
				       IPCCHAN_OPEN_CREATE, &a);
		ASSERT_GE(fd, 0);
		again = ipcchan_chan_open(IPCCHAN_DEV_AUTO, name, RS |
					  IPCCHAN_OPEN_CREATE, &a);
		ASSERT_GE(again, 0);
		fd = ipcchan_region_open(IPCCHAN_DEV_AUTO, name,
					 IPCCHAN_REGION_READ |
					 IPCCHAN_OPEN_CREATE, 0600,
					 page_size());
		ASSERT_GE(fd, 0);
		again = ipcchan_region_open(IPCCHAN_DEV_AUTO, name,
					    IPCCHAN_REGION_READ |
					    IPCCHAN_OPEN_CREATE, 0600,
					    page_size());
		ASSERT_GE(again, 0);
		child_exit();
	}
	ASSERT_CHILD_OK(pid);
}

/* Creates a channel and a region of @mode under the umask in force. */
static void modes_under_umask(__u32 mode, __u32 *cmode, __u32 *rmode)
{
	struct ipcchan_attr a = { .mode = mode };
	struct ipcchan_region_info ri;
	struct ipcchan_chan_info ci;
	char name[IPCCHAN_NAME_MAX];
	int fd;

	new_name(name);
	fd = ipcchan_chan_open(IPCCHAN_DEV_AUTO, name, RS | IPCCHAN_OPEN_CREATE |
			       IPCCHAN_OPEN_EXCL, &a);
	ASSERT_GE(fd, 0);
	chan_info(fd, &ci);
	*cmode = ci.mode;
	close(fd);
	fd = ipcchan_region_open(IPCCHAN_DEV_AUTO, name, IPCCHAN_REGION_READ |
				 IPCCHAN_OPEN_CREATE | IPCCHAN_OPEN_EXCL, mode,
				 page_size());
	ASSERT_GE(fd, 0);
	region_info(fd, &ri);
	*rmode = ri.mode;
	close(fd);
}

/*
 * before: umask 027, then 0
 * after:  a channel and a region created with 0666 get 0640, then 0666
 *         (0777 for 0777)
 */
TEST(umask_applies_to_mode)
{
	__u32 c, r;

	umask(027);
	modes_under_umask(0666, &c, &r);
	EXPECT_EQ(c, 0640);
	EXPECT_EQ(r, 0640);
	umask(0);
	modes_under_umask(0666, &c, &r);
	EXPECT_EQ(c, 0666);
	EXPECT_EQ(r, 0666);
	modes_under_umask(0777, &c, &r);
	EXPECT_EQ(c, 0777);
	EXPECT_EQ(r, 0777);
}

/*
 * before: each parameter with a documented ceiling
 * after:  one past the ceiling (and 2^32 + 1) is EINVAL and the value reads
 *         back unchanged; the ceiling itself is taken
 */
TEST(params_refuse_above_ceiling)
{
	static const struct {
		const char *name;
		uint64_t ceiling;
	} p[] = {
		{ "max_msg_size_limit", 64ULL << 20 },
		{ "max_msgs_limit", 1ULL << 20 },
		{ "max_bytes_limit", 1ULL << 30 },
		{ "max_region_size", 4ULL << 30 },
	};
	uint64_t before, after;
	char val[32];
	size_t i;

	for (i = 0; i < sizeof(p) / sizeof(p[0]); i++) {
		if (!param_writable(p[i].name))
			SKIP("no writable parameter %s", p[i].name);
		ASSERT_EQ(param_read_u64(p[i].name, &before), 0);
		snprintf(val, sizeof(val), "%" PRIu64, p[i].ceiling + 1);
		EXPECT_EQ(param_write(p[i].name, val), -EINVAL, "%s=%s",
			  p[i].name, val);
		EXPECT_EQ(param_write(p[i].name, "4294967297"), -EINVAL,
			  "%s=4294967297", p[i].name);
		ASSERT_EQ(param_read_u64(p[i].name, &after), 0);
		EXPECT_EQ(after, before, "%s reads back what was refused",
			  p[i].name);
		param_set_u64(p[i].name, p[i].ceiling);
		ASSERT_EQ(param_read_u64(p[i].name, &after), 0);
		EXPECT_EQ(after, p[i].ceiling);
	}
	/* The bounds that the code clamps at 1 refuse 0 as well. */
	EXPECT_EQ(param_write("max_msg_size_limit", "0"), -EINVAL);
	EXPECT_EQ(param_write("max_msgs_limit", "0"), -EINVAL);
	EXPECT_EQ(param_write("max_bytes_limit", "0"), -EINVAL);
}

/* ----- opens while another tenant is at its memory cgroup limit ----- */

#define MEASURE_MS	1500

struct open_rate {
	const char *name;
	long opens;
	int64_t max_ns;
	int err;
};

/* As nobody, opens and closes @r->name for MEASURE_MS, as fast as it can. */
static void open_loop(void *arg)
{
	struct open_rate *r = arg;
	int64_t end, t0, t;

	drop_to_nobody();
	r->opens = 0;
	r->max_ns = 0;
	r->err = 0;
	end = now_ns() + MEASURE_MS * NS_PER_MS;
	while ((t0 = now_ns()) < end) {
		int fd = ipcchan_chan_open(IPCCHAN_DEV_AUTO, r->name,
					   IPCCHAN_OPEN_SEND, NULL);

		t = now_ns() - t0;
		if (fd < 0) {
			r->err = fd;
			return;
		}
		close(fd);
		r->opens++;
		if (t > r->max_ns)
			r->max_ns = t;
	}
}

struct pressure {
	volatile int stop;
	long made, nomem;
};

/*
 * In the cgroup @dir, over its memory.high, creates channels without end.
 * Negative dentries of names looked up in @dir (kernfs keeps them, charged
 * to the cgroup) keep it full of memory that reclaim can free. Over
 * memory.high, a charge reclaims and then sleeps as a penalty, inside the
 * allocation, and the OOM killer never comes (memory.max would call it
 * whenever reclaim falls behind, and its report fails the run). Its oldest
 * channels are unlinked as it goes.
 */
static void tenant(const char *dir, struct pressure *p)
{
	static char names[4096][IPCCHAN_NAME_MAX];
	struct ipcchan_attr a = { .mode = 0600 };
	char path[512];
	unsigned long neg = 0;
	unsigned int n = 0;
	struct stat st;

	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	ASSERT_TRUE(cg_write(path, "0"));
	while (!p->stop) {
		char *name = names[n % 4096];
		int fd, i;

		for (i = 0; i < 64; i++) {
			snprintf(path, sizeof(path), "%s/neg-%lu", dir, neg++);
			stat(path, &st);
		}
		if (n >= 4096)
			ipcchan_chan_unlink(IPCCHAN_DEV_AUTO, name);
		new_name(name);
		fd = ipcchan_chan_open(IPCCHAN_DEV_AUTO, name,
				       IPCCHAN_OPEN_RECV | IPCCHAN_OPEN_CREATE |
				       IPCCHAN_OPEN_EXCL, &a);
		if (fd < 0) {
			__atomic_add_fetch(&p->nomem, 1, __ATOMIC_RELAXED);
			continue;
		}
		close(fd);
		__atomic_add_fetch(&p->made, 1, __ATOMIC_RELAXED);
		n++;
	}
	_exit(0);
}

/*
 * before: root's 0666 channel; nobody opens and closes it as fast as it
 *         can for 1.5 s, alone, then while a process in a memory cgroup
 *         with a 3 MiB memory.high keeps creating channels, throttled in
 *         every charge
 * after:  under pressure, nobody still opens at least a quarter as many
 *         times and no open takes more than 500 ms: opening an existing
 *         name takes no lock that the tenant holds while it reclaims
 */
TEST(opens_while_tenant_at_memcg_limit)
{
	struct open_rate *r = shared_alloc(sizeof(*r));
	struct pressure *p = shared_alloc(sizeof(*p));
	char dir[256], high[300], val[32], name[IPCCHAN_NAME_MAX];
	struct open_rate base;
	int64_t kills, at_high;
	pid_t keeper;
	int fd, i;

	cg_make(dir, sizeof(dir));
	snprintf(high, sizeof(high), "%s/memory.high", dir);
	fd = chan_new(name, RS, 0666, 0, 0, 0);
	r->name = name;

	ASSERT_EQ(run_in_child(open_loop, r), 0);
	ASSERT_EQ(r->err, 0);
	base = *r;

	snprintf(val, sizeof(val), "%d", 3 << 20);
	ASSERT_TRUE(cg_write(high, val), "setting %s to %s", high, val);
	keeper = xfork();
	if (keeper == 0)
		tenant(dir, p);
	/* Until it is at its limit. */
	for (i = 0; i < 200 && cg_read(dir, "memory.current", NULL) < (5 << 19);
	     i++)
		msleep(50);
	msleep(300);
	ASSERT_EQ(run_in_child(open_loop, r), 0);
	p->stop = 1;
	ASSERT_EQ(u_wait_exit(keeper, CHILD_MS), 0);
	kills = cg_read(dir, "memory.events", "oom_kill");
	at_high = cg_read(dir, "memory.events", "high");
	cg_write(high, "max");
	close(fd);
	rmdir(dir);
	TH_LOG("alone: %ld opens in %d ms, slowest %lld us", base.opens,
	       MEASURE_MS, (long long)(base.max_ns / 1000));
	TH_LOG("tenant at its limit: %ld opens, slowest %lld us; the tenant "
	       "made %ld channels, failed %ld times, went over memory.high "
	       "%lld times; %lld OOM kills", r->opens,
	       (long long)(r->max_ns / 1000), p->made, p->nomem,
	       (long long)at_high, (long long)kills);
	if (!at_high)
		SKIP("the tenant did not reach its limit in time");
	ASSERT_EQ(r->err, 0);
	ASSERT_EQ(kills, 0, "the tenant was OOM-killed");
	EXPECT_GE(r->opens * 4, base.opens,
		  "opens slowed down by a tenant at its memory limit");
	EXPECT_LT(r->max_ns, 500 * NS_PER_MS);
}

TEST_MAIN("hardening_users")
