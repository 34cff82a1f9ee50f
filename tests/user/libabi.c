// SPDX-License-Identifier: GPL-2.0
/*
 * The library's structs can grow (LIBIPCCHAN_0.4): they end in reserved
 * members that the library zeroes when it fills them and refuses when they
 * are not zero, their old members stay where they were, and a dump is read
 * through accessors. tests/abi/abi_v03.c checks the other side: a program
 * built against 0.3.0.
 */
#include <stddef.h>

#include "util.h"

#define RW	(IPCCHAN_OPEN_SEND | IPCCHAN_OPEN_RECV)

static bool all_zero(const void *p, size_t len)
{
	const unsigned char *b = p;

	while (len--)
		if (*b++)
			return false;
	return true;
}

/* Sizes are final; the members of 0.3.0 keep their offsets. */
TEST(struct_layout)
{
	EXPECT_EQ(sizeof(struct ipcchan_attr), 64);
	EXPECT_EQ(offsetof(struct ipcchan_attr, max_bytes), 16);
	EXPECT_EQ(offsetof(struct ipcchan_attr, __reserved), 24);
	EXPECT_EQ(sizeof(struct ipcchan_object), 512);
	EXPECT_EQ(offsetof(struct ipcchan_object, name), 12);
	EXPECT_EQ(offsetof(struct ipcchan_object, region_size), 184);
	EXPECT_EQ(offsetof(struct ipcchan_object, mappings), 192);
	EXPECT_EQ(offsetof(struct ipcchan_object, __reserved0), 196);
	EXPECT_EQ(sizeof(struct ipcchan_event), 128);
	EXPECT_EQ(offsetof(struct ipcchan_event, name), 24);
	EXPECT_EQ(offsetof(struct ipcchan_event, __reserved), 88);
}

/* A reserved member of an attr that is not zero is -EINVAL, and no trace. */
TEST(attr_reserved_must_be_zero)
{
	char name[IPCCHAN_NAME_MAX];
	struct ipcchan_attr a;
	size_t i;
	int fd;

	for (i = 0; i < sizeof(a.__reserved) / sizeof(a.__reserved[0]); i++) {
		a = (struct ipcchan_attr){ .mode = 0600 };
		a.__reserved[i] = 1ULL << (i * 13 % 64);
		new_name(name);
		EXPECT_EQ(ipcchan_chan_open(IPCCHAN_DEV_AUTO, name,
					    RW | IPCCHAN_OPEN_CREATE, &a),
			  -EINVAL, "__reserved[%zu]", i);
		EXPECT_EQ(ipcchan_chan_open(IPCCHAN_DEV_AUTO, name, RW, NULL),
			  -ENOENT, "created with __reserved[%zu] set", i);
	}
	/* Without CREATE the attr is not read at all. */
	fd = chan_new(name, RW, 0600, 0, 0, 0);
	close(fd);
	fd = ipcchan_chan_open(IPCCHAN_DEV_AUTO, name, RW, &a);
	EXPECT_GE(fd, 0, "opening %s with an attr not used", name);
	if (fd >= 0)
		close(fd);
	chan_unlink(name);
}

/* What the library fills has its reserved members zero. */
TEST(filled_reserved_zero)
{
	char chan[IPCCHAN_NAME_MAX];
	struct ipcchan_nl_monitor *m;
	struct ipcchan_object o;
	struct ipcchan_event ev;
	int fd, ret;

	ASSERT_EQ(ipcchan_nl_monitor_open(&m), 0);
	fd = chan_new(chan, RW, 0600, 0, 0, 0);
	memset(&o, 0xa5, sizeof(o));
	ASSERT_EQ(ipcchan_nl_get(IPCCHAN_KIND_CHANNEL, chan, &o), 0);
	EXPECT_STREQ(o.name, chan);
	EXPECT_EQ(o.__reserved0, 0);
	EXPECT_TRUE(all_zero(o.__reserved, sizeof(o.__reserved)));
	/* Members of the other kind too. */
	EXPECT_EQ(o.region_size, 0);
	EXPECT_EQ(o.mappings, 0);
	for (;;) {
		memset(&ev, 0xa5, sizeof(ev));
		ret = ipcchan_nl_monitor_next(m, &ev, 20000);
		ASSERT_EQ(ret, 1);
		if (!strcmp(ev.name, chan))
			break;
	}
	EXPECT_EQ(ev.event, IPCCHAN_EVENT_CREATED);
	EXPECT_TRUE(all_zero(ev.__reserved, sizeof(ev.__reserved)));
	ipcchan_nl_monitor_close(m);
	close(fd);
	chan_unlink(chan);
}

/* A dump is read through count/get; out-of-range and NULL are handled. */
TEST(objlist_accessors)
{
	char chan[IPCCHAN_NAME_MAX], region[IPCCHAN_NAME_MAX];
	const struct ipcchan_object *o;
	struct ipcchan_objlist *l;
	int cfd, rfd, seen = 0;
	size_t i, n;

	EXPECT_EQ(ipcchan_nl_dump(0, NULL), -EFAULT);
	EXPECT_EQ(ipcchan_objlist_count(NULL), 0);
	EXPECT_TRUE(ipcchan_objlist_get(NULL, 0) == NULL);
	ipcchan_objlist_free(NULL);

	cfd = chan_new(chan, RW, 0600, 0, 0, 0);
	rfd = region_new(region, IPCCHAN_REGION_READ, 0600, 4096);
	l = (struct ipcchan_objlist *)1;
	ASSERT_EQ(ipcchan_nl_dump(0, &l), 0);
	n = ipcchan_objlist_count(l);
	ASSERT_GE(n, 2);
	for (i = 0; i < n; i++) {
		o = ipcchan_objlist_get(l, i);
		ASSERT_TRUE(o != NULL, "object %zu of %zu", i, n);
		EXPECT_TRUE(all_zero(o->__reserved, sizeof(o->__reserved)));
		if (o->kind == IPCCHAN_KIND_CHANNEL && !strcmp(o->name, chan))
			seen |= 1;
		if (o->kind == IPCCHAN_KIND_REGION && !strcmp(o->name, region)) {
			seen |= 2;
			EXPECT_EQ(o->region_size, 4096);
		}
	}
	EXPECT_EQ(seen, 3);
	EXPECT_TRUE(ipcchan_objlist_get(l, n) == NULL);
	EXPECT_TRUE(ipcchan_objlist_get(l, SIZE_MAX) == NULL);
	ipcchan_objlist_free(l);

	/* One kind. */
	ASSERT_EQ(ipcchan_nl_dump(IPCCHAN_KIND_REGION, &l), 0);
	n = ipcchan_objlist_count(l);
	ASSERT_GE(n, 1);
	for (i = 0; i < n; i++)
		EXPECT_EQ(ipcchan_objlist_get(l, i)->kind,
			  IPCCHAN_KIND_REGION);
	ipcchan_objlist_free(l);

	close(cfd);
	close(rfd);
	chan_unlink(chan);
	region_unlink(region);
}

TEST_MAIN("libabi")
