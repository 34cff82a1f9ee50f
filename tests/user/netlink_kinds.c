// SPDX-License-Identifier: GPL-2.0
/*
 * The library's table of kinds, from which the tools and the fuzzer take a
 * kind's name and the members its objects report: the names, and that the
 * members it gives each kind are exactly the attributes the kernel sends
 * for an object of that kind (read here with the tests' own parser).
 */
#include "nl_util.h"

TEST(kind_names)
{
	unsigned int k;

	EXPECT_STREQ(ipcchan_kind_name(IPCCHAN_KIND_CHANNEL), "channel");
	EXPECT_STREQ(ipcchan_kind_name(IPCCHAN_KIND_REGION), "region");
	EXPECT_TRUE(ipcchan_kind_name(0) == NULL);
	EXPECT_TRUE(ipcchan_kind_name(IPCCHAN_KIND_MAX + 1) == NULL);
	EXPECT_TRUE(ipcchan_kind_name(UINT32_MAX) == NULL);
	for (k = 1; k <= IPCCHAN_KIND_MAX; k++) {
		ASSERT_TRUE(ipcchan_kind_name(k) != NULL, "kind %u", k);
		EXPECT_EQ(ipcchan_kind_from_name(ipcchan_kind_name(k)), k);
	}
	EXPECT_EQ(ipcchan_kind_from_name("Channel"), -EINVAL);
	EXPECT_EQ(ipcchan_kind_from_name("chan"), -EINVAL);
	EXPECT_EQ(ipcchan_kind_from_name(""), -EINVAL);
	EXPECT_EQ(ipcchan_kind_from_name(NULL), -EFAULT);
}

TEST(attr_names)
{
	EXPECT_STREQ(ipcchan_attr_name(IPCCHAN_A_ID), "id");
	EXPECT_STREQ(ipcchan_attr_name(IPCCHAN_A_CREATOR_PID), "creator_pid");
	EXPECT_STREQ(ipcchan_attr_name(IPCCHAN_A_MAX_MSG_SIZE),
		     "max_msg_size");
	EXPECT_STREQ(ipcchan_attr_name(IPCCHAN_A_MAPPINGS), "mappings");
	EXPECT_TRUE(ipcchan_attr_name(IPCCHAN_A_UNSPEC) == NULL);
	EXPECT_TRUE(ipcchan_attr_name(IPCCHAN_A_PAD) == NULL);
	EXPECT_TRUE(ipcchan_attr_name(IPCCHAN_A_EVENT) == NULL);
	EXPECT_TRUE(ipcchan_attr_name(IPCCHAN_A_SEQ) == NULL);
	EXPECT_TRUE(ipcchan_attr_name(IPCCHAN_A_MAX + 1) == NULL);
	/* Common members count for a kind unknown here, the others not. */
	EXPECT_EQ(ipcchan_kind_has_attr(IPCCHAN_KIND_MAX + 7, IPCCHAN_A_FDS),
		  1);
	EXPECT_EQ(ipcchan_kind_has_attr(IPCCHAN_KIND_MAX + 7,
					IPCCHAN_A_MSGS), 0);
	EXPECT_EQ(ipcchan_kind_has_attr(IPCCHAN_KIND_CHANNEL,
					IPCCHAN_A_EVENT), 0);
}

/*
 * Every member the table gives a kind is an attribute the kernel sends for
 * an object of it, and no other; ipcchan_object_attr() reads the same.
 */
TEST(table_matches_kernel)
{
	char chan[IPCCHAN_NAME_MAX], region[IPCCHAN_NAME_MAX];
	struct ipcchan_object lo;
	struct nlu_obj o;
	struct nlu n;
	unsigned int k, t;
	uint64_t v;
	int cfd, rfd;

	cfd = chan_new(chan, IPCCHAN_OPEN_SEND, 0600, 0, 0, 0);
	send_str(cfd, "abc");
	rfd = region_new(region, IPCCHAN_REGION_READ, 0600, 8192);
	nl_open(&n);
	for (k = 1; k <= IPCCHAN_KIND_MAX; k++) {
		const char *name = k == IPCCHAN_KIND_CHANNEL ? chan : region;

		u_nl_get(&n, k, name, &o);
		ASSERT_EQ(ipcchan_nl_get(k, name, &lo), 0);
		for (t = 1; t <= IPCCHAN_A_MAX; t++) {
			if (!ipcchan_attr_name(t))
				continue;
			EXPECT_EQ(nlu_has(&o, t), ipcchan_kind_has_attr(k, t),
				  "%s %s, attribute %u (%s)",
				  ipcchan_kind_name(k), name, t,
				  ipcchan_attr_name(t));
			if (t == IPCCHAN_A_NAME) {
				EXPECT_EQ(ipcchan_object_attr(&lo, t, &v),
					  -EINVAL);
				continue;
			}
			EXPECT_EQ(ipcchan_object_attr(&lo, t, &v),
				  ipcchan_kind_has_attr(k, t) ? 0 : -ENOENT,
				  "%s, attribute %s", ipcchan_kind_name(k),
				  ipcchan_attr_name(t));
		}
	}
	nlu_close(&n);

	ASSERT_EQ(ipcchan_nl_get(IPCCHAN_KIND_CHANNEL, chan, &lo), 0);
	ASSERT_EQ(ipcchan_object_attr(&lo, IPCCHAN_A_MSGS, &v), 0);
	EXPECT_EQ(v, 1);
	ASSERT_EQ(ipcchan_object_attr(&lo, IPCCHAN_A_BYTES, &v), 0);
	EXPECT_EQ(v, 3);
	ASSERT_EQ(ipcchan_object_attr(&lo, IPCCHAN_A_MODE, &v), 0);
	EXPECT_EQ(v, 0600);
	EXPECT_EQ(ipcchan_object_attr(&lo, IPCCHAN_A_SEQ, &v), -EINVAL);
	ASSERT_EQ(ipcchan_nl_get(IPCCHAN_KIND_REGION, region, &lo), 0);
	ASSERT_EQ(ipcchan_object_attr(&lo, IPCCHAN_A_REGION_SIZE, &v), 0);
	EXPECT_EQ(v, 8192);
	EXPECT_EQ(ipcchan_object_attr(&lo, IPCCHAN_A_MSGS, &v), -ENOENT);
	EXPECT_EQ(ipcchan_object_attr(NULL, IPCCHAN_A_ID, &v), -EFAULT);
	EXPECT_EQ(ipcchan_object_attr(&lo, IPCCHAN_A_ID, NULL), -EFAULT);

	close(cfd);
	close(rfd);
	chan_unlink(chan);
	region_unlink(region);
}

TEST_MAIN("netlink_kinds")
