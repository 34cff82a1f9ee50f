// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "ipcchan-limits": the budgets of kmod/limits.c. Charges up to
 * a limit and one past it, overflow, roll-back of a charge that fails half
 * way, per-uid records, a user namespace of global root's limited as one
 * user, and exemption from per-user (never global) budgets.
 * The limits are set through the module parameters, as root would.
 */

#include <kunit/test.h>
#include <linux/cred.h>
#include <linux/err.h>
#include <linux/limits.h>
#include <linux/slab.h>
#include <linux/user_namespace.h>

#include "../../kmod/limits.h"
#include "util.h"

static struct ipcchan_user *user_of(struct kunit *test, uid_t uid)
{
	struct ipcchan_user *user = ipcchan_user_get(KUIDT_INIT(uid));

	KUNIT_ASSERT_FALSE(test, IS_ERR_OR_NULL(user));
	return user;
}

/* The count of a kind, charged as creating an object of it charges it. */
static int kind_charge(struct ipcchan_user *user, u32 kind)
{
	return ipcchan_objects_charge(user, ipcchan_kind_desc(kind));
}

static void kind_uncharge(struct ipcchan_user *user, u32 kind)
{
	ipcchan_objects_uncharge(user, ipcchan_kind_desc(kind));
}

#define channels_charge(user)	kind_charge(user, IPCCHAN_KIND_CHANNEL)
#define channels_uncharge(user)	kind_uncharge(user, IPCCHAN_KIND_CHANNEL)
#define regions_charge(user)	kind_charge(user, IPCCHAN_KIND_REGION)
#define regions_uncharge(user)	kind_uncharge(user, IPCCHAN_KIND_REGION)

static void bytes_charge_up_to_the_limit(struct kunit *test)
{
	struct ipcchan_user *user = user_of(test, IK_UID);

	ik_param_set(test, "max_bytes_per_user", 4096);
	KUNIT_EXPECT_EQ(test, ipcchan_bytes_charge(user, 4000), 0);
	KUNIT_EXPECT_EQ(test, ipcchan_bytes_charge(user, 96), 0);
	KUNIT_EXPECT_EQ(test, ipcchan_bytes_charge(user, 1), -ENOBUFS);
	ipcchan_bytes_uncharge(user, 96);
	KUNIT_EXPECT_EQ(test, ipcchan_bytes_charge(user, 97), -ENOBUFS);
	KUNIT_EXPECT_EQ(test, ipcchan_bytes_charge(user, 96), 0);
	ipcchan_bytes_uncharge(user, 4096);
	/* All of it is free again. */
	KUNIT_EXPECT_EQ(test, ipcchan_bytes_charge(user, 4096), 0);
	ipcchan_bytes_uncharge(user, 4096);
	ipcchan_user_put(user);
}

static void bytes_charge_does_not_overflow(struct kunit *test)
{
	struct ipcchan_user *user = user_of(test, IK_UID);

	ik_param_set(test, "max_bytes_per_user", 1 << 20);
	KUNIT_ASSERT_EQ(test, ipcchan_bytes_charge(user, 100), 0);
	/* 100 + (U64_MAX - 50) wraps to 49, under any limit. */
	KUNIT_EXPECT_EQ(test, ipcchan_bytes_charge(user, U64_MAX - 50),
			-ENOBUFS);
	KUNIT_EXPECT_EQ(test, ipcchan_bytes_charge(user, U64_MAX), -ENOBUFS);
	KUNIT_EXPECT_EQ(test, ipcchan_bytes_charge(NULL, U64_MAX), -ENOBUFS);
	KUNIT_EXPECT_EQ(test, ipcchan_bytes_charge(NULL, S64_MAX + 1ULL),
			-ENOBUFS);
	/* Nothing was left charged by the refusals. */
	KUNIT_EXPECT_EQ(test, ipcchan_bytes_charge(user, (1 << 20) - 100), 0);
	ipcchan_bytes_uncharge(user, 1 << 20);
	ipcchan_user_put(user);
}

static void global_bytes_bind_the_exempt(struct kunit *test)
{
	struct ipcchan_user *user = user_of(test, IK_UID);

	ik_param_set(test, "max_total_bytes", 8192);
	ik_param_set(test, "max_bytes_per_user", 1 << 20);
	KUNIT_EXPECT_EQ(test, ipcchan_bytes_charge(NULL, 8000), 0);
	KUNIT_EXPECT_EQ(test, ipcchan_bytes_charge(NULL, 193), -ENOBUFS);
	/* A user under its own budget is refused by the global one... */
	KUNIT_EXPECT_EQ(test, ipcchan_bytes_charge(user, 193), -ENOBUFS);
	KUNIT_EXPECT_EQ(test, ipcchan_bytes_charge(user, 192), 0);
	ipcchan_bytes_uncharge(user, 192);
	ipcchan_bytes_uncharge(NULL, 8000);
	ipcchan_user_put(user);
}

static void failed_user_charge_rolls_back_global(struct kunit *test)
{
	struct ipcchan_user *user = user_of(test, IK_UID);

	ik_param_set(test, "max_total_bytes", 8192);
	ik_param_set(test, "max_bytes_per_user", 1000);
	/* The global budget takes it, the user's refuses it. */
	KUNIT_EXPECT_EQ(test, ipcchan_bytes_charge(user, 1001), -ENOBUFS);
	/* So the global budget must be whole again. */
	KUNIT_EXPECT_EQ(test, ipcchan_bytes_charge(NULL, 8192), 0);
	ipcchan_bytes_uncharge(NULL, 8192);

	ik_param_set(test, "max_channels", 2);
	ik_param_set(test, "max_channels_per_user", 1);
	KUNIT_EXPECT_EQ(test, channels_charge(user), 0);
	KUNIT_EXPECT_EQ(test, channels_charge(user), -ENOSPC);
	KUNIT_EXPECT_EQ(test, channels_charge(NULL), 0);
	KUNIT_EXPECT_EQ(test, channels_charge(NULL), -ENOSPC);
	channels_uncharge(NULL);
	channels_uncharge(user);
	ipcchan_user_put(user);
}

static void channels_per_user(struct kunit *test)
{
	struct ipcchan_user *a = user_of(test, IK_UID);
	struct ipcchan_user *b = user_of(test, IK_OTHER_UID);
	int i;

	ik_param_set(test, "max_channels_per_user", 3);
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test, channels_charge(a), 0);
	KUNIT_EXPECT_EQ(test, channels_charge(a), -ENOSPC);
	/* Another uid has a budget of its own; the exempt have none. */
	KUNIT_EXPECT_EQ(test, channels_charge(b), 0);
	for (i = 0; i < 5; i++)
		KUNIT_EXPECT_EQ(test, channels_charge(NULL), 0);
	for (i = 0; i < 5; i++)
		channels_uncharge(NULL);
	channels_uncharge(b);
	/* One freed is one more allowed. */
	channels_uncharge(a);
	KUNIT_EXPECT_EQ(test, channels_charge(a), 0);
	KUNIT_EXPECT_EQ(test, channels_charge(a), -ENOSPC);
	for (i = 0; i < 3; i++)
		channels_uncharge(a);
	ipcchan_user_put(b);
	ipcchan_user_put(a);
}

/* Global root's record is charged, never limited. */
static void global_root_is_charged_not_limited(struct kunit *test)
{
	struct ipcchan_user *root = user_of(test, 0);
	int i;

	ik_param_set(test, "max_channels_per_user", 1);
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test, channels_charge(root), 0);
	for (i = 0; i < 3; i++)
		channels_uncharge(root);
	ipcchan_user_put(root);
}

/*
 * A user namespace that global root owns is limited as one user: its uids
 * do not each get a budget, though global root's record has no limit. The
 * namespace is a stand-in with what the budgets read: parent, owner and a
 * reference count (one reference is ours).
 */
static void userns_of_root_is_one_user(struct kunit *test)
{
	struct user_namespace *ns = kzalloc(sizeof(*ns), GFP_KERNEL);
	struct ipcchan_user *u[4] = {}, *root;
	struct cred cred = {};
	int i;

	KUNIT_ASSERT_NOT_NULL(test, ns);
	root = user_of(test, 0);
	ns->parent = &init_user_ns;
	ns->owner = GLOBAL_ROOT_UID;
	ns->level = 1;
	refcount_set(&ns->ns.count, 1);
	cred.user_ns = ns;
	ik_param_set(test, "max_channels_per_user", 3);
	for (i = 0; i < 4; i++) {
		cred.fsuid = KUIDT_INIT(200000 + i);
		u[i] = ipcchan_user_of(&cred);
		KUNIT_EXPECT_FALSE(test, IS_ERR_OR_NULL(u[i]));
		if (IS_ERR(u[i]))
			u[i] = NULL;
	}
	if (u[0] && u[1] && u[2] && u[3]) {
		for (i = 0; i < 3; i++)
			KUNIT_EXPECT_EQ(test, channels_charge(u[i]), 0);
		KUNIT_EXPECT_EQ(test, channels_charge(u[3]), -ENOSPC);
		/* Global root, the owner, is still not limited. */
		for (i = 0; i < 3; i++)
			KUNIT_EXPECT_EQ(test, channels_charge(root), 0);
		for (i = 0; i < 3; i++)
			channels_uncharge(root);
		/* One freed in the namespace is one more allowed in it. */
		channels_uncharge(u[0]);
		KUNIT_EXPECT_EQ(test, channels_charge(u[3]), 0);
		channels_uncharge(u[3]);
		for (i = 1; i < 3; i++)
			channels_uncharge(u[i]);
	}
	for (i = 0; i < 4; i++)
		ipcchan_user_put(u[i]);
	ipcchan_user_put(root);
	/* Every record, the namespace's own included, has let it go. */
	KUNIT_EXPECT_EQ(test, refcount_read(&ns->ns.count), 1);
	if (refcount_read(&ns->ns.count) == 1)
		kfree(ns);
}

static void regions_per_user_and_global(struct kunit *test)
{
	struct ipcchan_user *a = user_of(test, IK_UID);

	ik_param_set(test, "max_regions_per_user", 2);
	ik_param_set(test, "max_regions", 3);
	KUNIT_EXPECT_EQ(test, regions_charge(a), 0);
	KUNIT_EXPECT_EQ(test, regions_charge(a), 0);
	KUNIT_EXPECT_EQ(test, regions_charge(a), -ENOSPC);
	KUNIT_EXPECT_EQ(test, regions_charge(NULL), 0);
	KUNIT_EXPECT_EQ(test, regions_charge(NULL), -ENOSPC);
	regions_uncharge(NULL);
	regions_uncharge(a);
	regions_uncharge(a);
	/* Channels are counted apart from regions. */
	KUNIT_EXPECT_EQ(test, channels_charge(a), 0);
	channels_uncharge(a);
	ipcchan_user_put(a);
}

static void one_record_per_uid(struct kunit *test)
{
	struct ipcchan_user *a = user_of(test, IK_UID);
	struct ipcchan_user *a2 = user_of(test, IK_UID);
	struct ipcchan_user *b = user_of(test, IK_OTHER_UID);

	KUNIT_EXPECT_PTR_EQ(test, a, a2);
	KUNIT_EXPECT_PTR_NE(test, a, b);
	KUNIT_EXPECT_PTR_EQ(test, ipcchan_user_ref(a), a);
	KUNIT_EXPECT_NULL(test, ipcchan_user_ref(NULL));
	ipcchan_user_put(NULL);

	/* What one reference charged, another sees. */
	ik_param_set(test, "max_bytes_per_user", 100);
	KUNIT_EXPECT_EQ(test, ipcchan_bytes_charge(a, 100), 0);
	KUNIT_EXPECT_EQ(test, ipcchan_bytes_charge(a2, 1), -ENOBUFS);
	KUNIT_EXPECT_EQ(test, ipcchan_bytes_charge(b, 100), 0);
	ipcchan_bytes_uncharge(b, 100);
	ipcchan_bytes_uncharge(a, 100);
	ipcchan_user_put(a);
	ipcchan_user_put(a);
	ipcchan_user_put(a2);
	ipcchan_user_put(b);
	/* The last put freed the record (kmemleak would tell); a new one. */
	a = user_of(test, IK_UID);
	KUNIT_EXPECT_EQ(test, ipcchan_bytes_charge(a, 100), 0);
	ipcchan_bytes_uncharge(a, 100);
	ipcchan_user_put(a);
}

static void channel_bounds_follow_parameters(struct kunit *test)
{
	ik_param_set(test, "max_msg_size_limit", 5000);
	ik_param_set(test, "default_max_msg_size", 9000);
	KUNIT_EXPECT_EQ(test, ipcchan_limit_msg_size(), 5000U);
	/* A default above the limit is cut down to it. */
	KUNIT_EXPECT_EQ(test, ipcchan_default_msg_size(), 5000U);
	ik_param_set(test, "max_msgs_limit", 10);
	ik_param_set(test, "default_max_msgs", 0);
	KUNIT_EXPECT_EQ(test, ipcchan_limit_msgs(), 10U);
	KUNIT_EXPECT_GE(test, ipcchan_default_msgs(), 1U);
	ik_param_set(test, "max_region_size", 1 << 20);
	KUNIT_EXPECT_EQ(test, ipcchan_limit_region_size(), 1ULL << 20);
}

static struct kunit_case limits_cases[] = {
	KUNIT_CASE(bytes_charge_up_to_the_limit),
	KUNIT_CASE(bytes_charge_does_not_overflow),
	KUNIT_CASE(global_bytes_bind_the_exempt),
	KUNIT_CASE(failed_user_charge_rolls_back_global),
	KUNIT_CASE(channels_per_user),
	KUNIT_CASE(global_root_is_charged_not_limited),
	KUNIT_CASE(userns_of_root_is_one_user),
	KUNIT_CASE(regions_per_user_and_global),
	KUNIT_CASE(one_record_per_uid),
	KUNIT_CASE(channel_bounds_follow_parameters),
	{}
};

static struct kunit_suite limits_suite = {
	.name = "ipcchan-limits",
	.test_cases = limits_cases,
};

kunit_test_suite(limits_suite);
