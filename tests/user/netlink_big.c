// SPDX-License-Identifier: GPL-2.0
/*
 * A dump of 10,000 objects, spanning many netlink messages, lists each of
 * them exactly once. Alone in its program: it takes a while under TCG.
 */
#include "nl_util.h"

#define BIG_COUNT	10000

/* The names of this test: its own, so that the runner need not unlink them. */
static void big_name(char *buf, pid_t pid, unsigned int i)
{
	snprintf(buf, IPCCHAN_NAME_MAX, "t-netlink_big-%d-%u", (int)pid, i);
}

/* Creates channel @i; 0 or -errno. */
static int big_create(int dev, pid_t pid, unsigned int i)
{
	char name[IPCCHAN_NAME_MAX];
	int fd;

	big_name(name, pid, i);
	fd = ipcchan_chan_open(dev, name, IPCCHAN_OPEN_SEND |
			       IPCCHAN_OPEN_CREATE | IPCCHAN_OPEN_EXCL, NULL);
	if (fd < 0)
		return fd;
	close(fd);
	return 0;
}

/* Dumps and checks that channels 0..@count-1 appear exactly once each. */
static void check_dump(pid_t pid, unsigned int count)
{
	char prefix[IPCCHAN_NAME_MAX];
	struct nlu_list l = { 0 };
	unsigned char *seen;
	unsigned int i, missing = 0, twice = 0, first_bad = 0;
	uint64_t prev = 0;
	struct nlu n;
	size_t j, plen;
	int64_t t0;

	snprintf(prefix, sizeof(prefix), "t-netlink_big-%d-", (int)pid);
	plen = strlen(prefix);
	seen = calloc(count, 1);
	ASSERT_TRUE(seen != NULL);
	nl_open(&n);
	t0 = now_ns();
	nl_dump(&n, 0, &l);
	TH_LOG("dump of %zu objects in %lld ms", l.n,
	       (long long)((now_ns() - t0) / NS_PER_MS));
	for (j = 0; j < l.n; j++) {
		const struct nlu_obj *o = &l.v[j];
		char *end;
		unsigned long k;

		EXPECT_GT(o->id, prev, "object %zu (%s)", j, o->name);
		prev = o->id;
		if (o->bad[0] && !first_bad++)
			TH_LOG("object %zu (%s): %s", j, o->name, o->bad);
		if (o->kind != IPCCHAN_KIND_CHANNEL ||
		    strncmp(o->name, prefix, plen))
			continue;
		k = strtoul(o->name + plen, &end, 10);
		ASSERT_TRUE(*end == 0 && k < count, "unexpected %s", o->name);
		if (seen[k]++)
			twice++;
	}
	for (i = 0; i < count; i++)
		if (!seen[i] && missing++ < 5)
			TH_LOG("channel %u is missing from the dump", i);
	EXPECT_EQ(missing, 0, "of %u channels", count);
	EXPECT_EQ(twice, 0, "listed twice");
	EXPECT_EQ(first_bad, 0, "malformed objects");
	EXPECT_GE(l.n, count);
	nlu_list_free(&l);
	nlu_close(&n);
	free(seen);
}

TEST_TIMEOUT(ten_thousand, 110)
{
	unsigned int *created = shared_alloc(sizeof(*created));
	uint64_t max;
	pid_t me = getpid(), pid;
	int dev = dev_open(), st;
	unsigned int i, left = 0;
	int64_t t0;

	ASSERT_EQ(geteuid(), 0, "root is exempt from the per-user limits");
	ASSERT_EQ(param_read_u64("max_channels", &max), 0);
	if (max < 2 * BIG_COUNT)
		param_set_u64("max_channels", 2 * BIG_COUNT);

	/* Creation and the check in a child; the unlinking here, always. */
	pid = xfork();
	if (pid == 0) {
		t0 = now_ns();
		for (i = 0; i < BIG_COUNT; i++) {
			int ret = big_create(dev, me, i);

			ASSERT_EQ(ret, 0, "creating channel %u", i);
			*created = i + 1;
		}
		TH_LOG("%u channels created in %lld ms", *created,
		       (long long)((now_ns() - t0) / NS_PER_MS));
		check_dump(me, BIG_COUNT);
		child_exit();
	}
	st = wait_exit(pid, 80000);

	t0 = now_ns();
	for (i = 0; i < *created; i++) {
		char name[IPCCHAN_NAME_MAX];

		big_name(name, me, i);
		if (ipcchan_chan_unlink(dev, name))
			left++;
	}
	TH_LOG("%u channels unlinked in %lld ms", *created - left,
	       (long long)((now_ns() - t0) / NS_PER_MS));
	EXPECT_EQ(left, 0, "channels that could not be unlinked");
	ASSERT_EQ(st, 0, "the creating and dumping child failed");
	EXPECT_EQ(*created, BIG_COUNT);
}

TEST_MAIN("netlink_big")
