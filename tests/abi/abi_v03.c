// SPDX-License-Identifier: GPL-2.0
/*
 * A program built against libipcchan 0.3.0 keeps working with today's
 * library. It is compiled with that release's header (ipcchan-0.3.h: a
 * 24-byte struct ipcchan_attr, a 200-byte struct ipcchan_object, an 88-byte
 * struct ipcchan_event, ipcchan_nl_list() handing out an array) and linked
 * against a stub library with that release's version script, so it needs
 * exactly the symbol versions that a binary of that time needs; at run time
 * the loader gives it the real libipcchan.so.0.
 *
 * Each struct sits in front of bytes of 0xa5: a library that read past the
 * old layout would find them in reserved members (-EINVAL), and one that
 * wrote past it would overwrite them.
 */
#define _GNU_SOURCE
#include <dlfcn.h>

#include "harness.h"
#include "ipcchan-0.3.h"

#define CANARY		0xa5
#define CANARY_LEN	512

/* The old structs end 8-byte aligned: the canary follows at once. */
#define WITH_CANARY(type)					\
	struct {						\
		type v;						\
		unsigned char canary[CANARY_LEN];		\
	}

_Static_assert(sizeof(struct ipcchan_attr) == 24, "not the 0.1 layout");
_Static_assert(sizeof(struct ipcchan_object) == 200, "not the 0.3 layout");
_Static_assert(sizeof(struct ipcchan_event) == 88, "not the 0.3 layout");

static bool canary_intact(const unsigned char *c)
{
	for (size_t i = 0; i < CANARY_LEN; i++)
		if (c[i] != CANARY)
			return false;
	return true;
}

static void new_name(char name[IPCCHAN_NAME_MAX], const char *what)
{
	static unsigned int n;

	snprintf(name, IPCCHAN_NAME_MAX, "abi03-%s-%d-%u", what, getpid(),
		 n++);
}

/* A channel @name made through the 0.1 entry point with @attr. */
static int create_chan(const char *name, const struct ipcchan_attr *attr)
{
	return ipcchan_chan_open(IPCCHAN_DEV_AUTO, name,
				 IPCCHAN_OPEN_CREATE | IPCCHAN_OPEN_EXCL |
				 IPCCHAN_OPEN_SEND | IPCCHAN_OPEN_CLOEXEC,
				 attr);
}

/*
 * The binary is bound to the old versions: the functions it calls are the
 * ones of the old nodes, not those of LIBIPCCHAN_0.4 that a new build gets.
 */
TEST(binds_old_versions)
{
	static const struct {
		const char *name, *node;
		void *fn;
	} fns[] = {
		{ "ipcchan_chan_open", "LIBIPCCHAN_0.1",
		  (void *)ipcchan_chan_open },
		{ "ipcchan_nl_get", "LIBIPCCHAN_0.3", (void *)ipcchan_nl_get },
		{ "ipcchan_nl_list", "LIBIPCCHAN_0.3",
		  (void *)ipcchan_nl_list },
		{ "ipcchan_nl_free", "LIBIPCCHAN_0.3",
		  (void *)ipcchan_nl_free },
		{ "ipcchan_nl_monitor_next", "LIBIPCCHAN_0.3",
		  (void *)ipcchan_nl_monitor_next },
		{ "ipcchan_send", "LIBIPCCHAN_0.1", (void *)ipcchan_send },
		{ "ipcchan_chan_info", "LIBIPCCHAN_0.1",
		  (void *)ipcchan_chan_info },
	};

	for (size_t i = 0; i < sizeof(fns) / sizeof(fns[0]); i++) {
		void *old = dlvsym(RTLD_DEFAULT, fns[i].name, fns[i].node);

		ASSERT_TRUE(old != NULL, "%s@%s: %s", fns[i].name,
			    fns[i].node, dlerror());
		EXPECT_TRUE(old == fns[i].fn, "%s is not bound to %s",
			    fns[i].name, fns[i].node);
	}
	/* The new node exists, and its functions are others. */
	EXPECT_TRUE(dlvsym(RTLD_DEFAULT, "ipcchan_nl_dump",
			   "LIBIPCCHAN_0.4") != NULL);
	EXPECT_TRUE(dlvsym(RTLD_DEFAULT, "ipcchan_chan_open",
			   "LIBIPCCHAN_0.4") != (void *)ipcchan_chan_open);
}

/* The 0.1 attr is read as 24 bytes: the bytes after it are not reserved. */
TEST(chan_open_old_attr)
{
	WITH_CANARY(struct ipcchan_attr) a;
	struct ipcchan_chan_info info;
	char name[IPCCHAN_NAME_MAX];
	int fd;

	memset(&a, CANARY, sizeof(a));
	a.v = (struct ipcchan_attr){ .mode = 0640, .max_msg_size = 32,
				     .max_msgs = 7, .max_bytes = 4096 };
	new_name(name, "attr");
	fd = create_chan(name, &a.v);
	ASSERT_GE(fd, 0, "ipcchan_chan_open: %s", strerror(-fd));
	ASSERT_EQ(ipcchan_chan_info(fd, &info), 0);
	EXPECT_EQ(info.mode, 0640);
	EXPECT_EQ(info.max_msg_size, 32);
	EXPECT_EQ(info.max_msgs, 7);
	EXPECT_EQ(info.max_bytes, 4096);
	EXPECT_TRUE(canary_intact(a.canary));
	EXPECT_EQ(ipcchan_send(fd, "hello", 5, 0, IPCCHAN_WAIT_FOREVER), 0);
	EXPECT_EQ(ipcchan_chan_unlink(IPCCHAN_DEV_AUTO, name), 0);
	close(fd);

	/* NULL still means mode 0600 and the defaults. */
	new_name(name, "attr");
	fd = create_chan(name, NULL);
	ASSERT_GE(fd, 0, "ipcchan_chan_open: %s", strerror(-fd));
	ASSERT_EQ(ipcchan_chan_info(fd, &info), 0);
	EXPECT_EQ(info.mode, 0600);
	EXPECT_EQ(ipcchan_chan_unlink(IPCCHAN_DEV_AUTO, name), 0);
	close(fd);
}

/* The 0.3 object is written as 200 bytes, every member where it was. */
TEST(nl_get_old_object)
{
	WITH_CANARY(struct ipcchan_object) o;
	struct ipcchan_chan_info info;
	char name[IPCCHAN_NAME_MAX];
	int fd, ret;

	/* No attr: this test is about the object alone. */
	new_name(name, "get");
	fd = create_chan(name, NULL);
	ASSERT_GE(fd, 0, "ipcchan_chan_open: %s", strerror(-fd));
	ASSERT_EQ(ipcchan_chan_info(fd, &info), 0);
	ASSERT_EQ(ipcchan_send(fd, "abc", 3, 0, IPCCHAN_WAIT_FOREVER), 0);
	memset(&o, CANARY, sizeof(o));
	ret = ipcchan_nl_get(IPCCHAN_KIND_CHANNEL, name, &o.v);
	ASSERT_EQ(ret, 0, "ipcchan_nl_get: %s", strerror(-ret));
	EXPECT_STREQ(o.v.name, name);
	EXPECT_EQ(o.v.kind, IPCCHAN_KIND_CHANNEL);
	EXPECT_EQ(o.v.uid, getuid());
	EXPECT_EQ(o.v.mode, 0600);
	EXPECT_EQ(o.v.max_msgs, info.max_msgs);
	EXPECT_EQ(o.v.max_bytes, info.max_bytes);
	EXPECT_EQ(o.v.msgs, 1);
	EXPECT_EQ(o.v.bytes, 3);
	EXPECT_EQ(o.v.sent_msgs, 1);
	EXPECT_EQ(o.v.senders, 1);
	EXPECT_EQ(o.v.region_size, 0);
	EXPECT_EQ(o.v.mappings, 0);
	EXPECT_TRUE(canary_intact(o.canary));
	EXPECT_EQ(ipcchan_chan_unlink(IPCCHAN_DEV_AUTO, name), 0);
	close(fd);
}

/*
 * ipcchan_chan_info() of 0.1 fills the 128 bytes of the uapi's VER0 struct
 * and not one more: a binary of that time gave no room for the 152 of VER1.
 */
TEST(chan_info_old_size)
{
	struct {
		unsigned char v[IPCCHAN_CHAN_INFO_SIZE_VER0];
		unsigned char canary[CANARY_LEN];
	} ci;
	struct ipcchan_chan_info info;
	char name[IPCCHAN_NAME_MAX];
	int fd;

	new_name(name, "info");
	fd = create_chan(name, NULL);
	ASSERT_GE(fd, 0, "ipcchan_chan_open: %s", strerror(-fd));
	ASSERT_EQ(ipcchan_send(fd, "ab", 2, 0, IPCCHAN_WAIT_FOREVER), 0);
	memset(&ci, CANARY, sizeof(ci));
	ASSERT_EQ(ipcchan_chan_info(fd, (struct ipcchan_chan_info *)&ci), 0);
	EXPECT_TRUE(canary_intact(ci.canary));
	memset(&info, 0, sizeof(info));
	memcpy(&info, ci.v, sizeof(ci.v));
	EXPECT_EQ(info.size, IPCCHAN_CHAN_INFO_SIZE_VER0);
	EXPECT_STREQ(info.name, name);
	EXPECT_EQ(info.msgs, 1);
	EXPECT_EQ(info.bytes, 2);
	EXPECT_EQ(info.mode, 0600);
	EXPECT_EQ(ipcchan_chan_unlink(IPCCHAN_DEV_AUTO, name), 0);
	close(fd);
}

/* ipcchan_nl_list() still hands out an array of 200-byte objects. */
TEST(nl_list_old_stride)
{
	char chans[3][IPCCHAN_NAME_MAX], region[IPCCHAN_NAME_MAX];
	struct ipcchan_object *objs;
	int fds[4], found[4] = { 0 };
	size_t n, i, j;
	int ret;

	for (i = 0; i < 3; i++) {
		new_name(chans[i], "list");
		fds[i] = create_chan(chans[i], NULL);
		ASSERT_GE(fds[i], 0);
		/* Messages tell the channels apart in the list. */
		for (j = 0; j < i; j++)
			ASSERT_EQ(ipcchan_send(fds[i], "x", 1, 0,
					       IPCCHAN_WAIT_FOREVER), 0);
	}
	new_name(region, "list");
	fds[3] = ipcchan_region_open(IPCCHAN_DEV_AUTO, region,
				     IPCCHAN_OPEN_CREATE | IPCCHAN_OPEN_EXCL |
				     IPCCHAN_REGION_READ |
				     IPCCHAN_REGION_WRITE, 0600, 8192);
	ASSERT_GE(fds[3], 0, "ipcchan_region_open: %s", strerror(-fds[3]));

	ret = ipcchan_nl_list(0, &objs, &n);
	ASSERT_EQ(ret, 0, "ipcchan_nl_list: %s", strerror(-ret));
	ASSERT_GE(n, 4);
	for (i = 0; i < n; i++) {
		const struct ipcchan_object *o = &objs[i];

		for (j = 0; j < 3; j++) {
			if (strcmp(o->name, chans[j]) ||
			    o->kind != IPCCHAN_KIND_CHANNEL)
				continue;
			found[j]++;
			EXPECT_EQ(o->msgs, j);
			EXPECT_EQ(o->sent_msgs, j);
			EXPECT_EQ(o->region_size, 0);
		}
		if (!strcmp(o->name, region) &&
		    o->kind == IPCCHAN_KIND_REGION) {
			found[3]++;
			EXPECT_EQ(o->region_size, 8192);
			EXPECT_EQ(o->max_msgs, 0);
		}
	}
	for (j = 0; j < 4; j++)
		EXPECT_EQ(found[j], 1, "object %zu in a list of %zu", j, n);
	ipcchan_nl_free(objs);

	/* One kind only, as before. */
	ret = ipcchan_nl_list(IPCCHAN_KIND_REGION, &objs, &n);
	ASSERT_EQ(ret, 0);
	for (i = 0; i < n; i++)
		EXPECT_EQ(objs[i].kind, IPCCHAN_KIND_REGION);
	ipcchan_nl_free(objs);

	for (j = 0; j < 3; j++) {
		EXPECT_EQ(ipcchan_chan_unlink(IPCCHAN_DEV_AUTO, chans[j]), 0);
		close(fds[j]);
	}
	EXPECT_EQ(ipcchan_region_unlink(IPCCHAN_DEV_AUTO, region), 0);
	close(fds[3]);
}

/* The 0.3 event is written as 88 bytes. */
TEST(monitor_old_event)
{
	WITH_CANARY(struct ipcchan_event) ev;
	struct ipcchan_nl_monitor *m;
	char name[IPCCHAN_NAME_MAX];
	int fd, ret;

	ret = ipcchan_nl_monitor_open(&m);
	ASSERT_EQ(ret, 0, "ipcchan_nl_monitor_open: %s", strerror(-ret));
	new_name(name, "ev");
	fd = create_chan(name, NULL);
	ASSERT_GE(fd, 0);
	for (;;) {
		memset(&ev, CANARY, sizeof(ev));
		ret = ipcchan_nl_monitor_next(m, &ev.v, 20000);
		ASSERT_EQ(ret, 1, "ipcchan_nl_monitor_next: %d", ret);
		EXPECT_TRUE(canary_intact(ev.canary));
		if (!strcmp(ev.v.name, name))
			break;
	}
	EXPECT_EQ(ev.v.event, IPCCHAN_EVENT_CREATED);
	EXPECT_EQ(ev.v.kind, IPCCHAN_KIND_CHANNEL);
	EXPECT_GT(ev.v.seq, 0);
	EXPECT_GT(ev.v.id, 0);
	ipcchan_nl_monitor_close(m);
	EXPECT_EQ(ipcchan_chan_unlink(IPCCHAN_DEV_AUTO, name), 0);
	close(fd);
}

TEST_MAIN("abi_v03")
