// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "ipcchan-names": the name table of kmod/registry.c. Names and
 * their keys, naming and finding objects, exclusive creation, unlinking and
 * who may do it, permission bits, object lifetime, and the dump walk that
 * netlink resumes by id.
 *
 * The objects are bare struct ipcchan_obj of the channel kind with a
 * descriptor of the test's own. They are named only while this suite runs, right after
 * the module is loaded, before any program could look them up.
 */

#include <kunit/test.h>
#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "util.h"

struct dummy {
	struct ipcchan_obj obj;
	int *freed;
};

static void dummy_free(struct ipcchan_obj *obj)
{
	struct dummy *d = container_of(obj, struct dummy, obj);

	(*d->freed)++;
	kfree_rcu(d, obj.rcu);
}

static int dummy_fill(struct ipcchan_obj *obj, struct sk_buff *skb)
{
	return 0;
}

/* Not registered: the registry calls only these. */
static const struct ipcchan_kind_desc dummy_kind = {
	.name = "dummy",
	.kind = IPCCHAN_KIND_CHANNEL,
	.free = dummy_free,
	.fill = dummy_fill,
};

/* A new unnamed object, made as @ctl's opener would make it. */
static struct ipcchan_obj *dummy_new(struct kunit *test, struct file *ctl,
				     const struct ipcchan_key *key,
				     umode_t mode, int *freed)
{
	struct dummy *d = kzalloc(sizeof(*d), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, d);
	d->freed = freed;
	ipcchan_obj_init(&d->obj, key, &dummy_kind, ctl->f_cred, mode);
	return &d->obj;
}

static int key_of(struct ipcchan_key *key, const char *name)
{
	char buf[IPCCHAN_NAME_MAX] = {};

	memcpy(buf, name, min(strlen(name), sizeof(buf)));
	return ipcchan_key_init(key, IPCCHAN_KIND_CHANNEL, buf);
}

static void key_accepts_valid_names(struct kunit *test)
{
	static const char * const good[] = {
		"a", "Z", "0", ".", "-", "_", "queue.v1", "A-b_c.9",
		/* 63 characters, the most there is room for */
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_",
	};
	struct ipcchan_key key;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(good); i++) {
		KUNIT_EXPECT_EQ_MSG(test, key_of(&key, good[i]), 0, "%s", good[i]);
		KUNIT_EXPECT_STREQ(test, key.name, good[i]);
		KUNIT_EXPECT_EQ(test, key.kind, (u32)IPCCHAN_KIND_CHANNEL);
	}
}

static void key_rejects_empty_name(struct kunit *test)
{
	struct ipcchan_key key;

	KUNIT_EXPECT_EQ(test, key_of(&key, ""), -EINVAL);
}

static void key_rejects_unterminated_name(struct kunit *test)
{
	char name[IPCCHAN_NAME_MAX];
	struct ipcchan_key key;

	memset(name, 'x', sizeof(name));
	KUNIT_EXPECT_EQ(test, ipcchan_key_init(&key, IPCCHAN_KIND_CHANNEL, name),
			-ENAMETOOLONG);
}

static void key_rejects_bad_characters(struct kunit *test)
{
	static const char * const bad[] = {
		"a/b", "/", "a b", "tab\t", "colon:", "star*", "\xff", "\x01",
		"new\nline", "..\\",
	};
	struct ipcchan_key key;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		KUNIT_EXPECT_EQ_MSG(test, key_of(&key, bad[i]), -EINVAL,
				    "name %zu", i);
}

static void key_rejects_bytes_after_nul(struct kunit *test)
{
	char name[IPCCHAN_NAME_MAX] = "ok";
	struct ipcchan_key key;

	name[IPCCHAN_NAME_MAX - 1] = 'x';
	KUNIT_EXPECT_EQ(test, ipcchan_key_init(&key, IPCCHAN_KIND_CHANNEL, name),
			-EINVAL);
	name[IPCCHAN_NAME_MAX - 1] = 0;
	name[3] = 'y';
	KUNIT_EXPECT_EQ(test, ipcchan_key_init(&key, IPCCHAN_KIND_CHANNEL, name),
			-EINVAL);
}

static void key_rejects_bad_kind(struct kunit *test)
{
	char name[IPCCHAN_NAME_MAX] = "ok";
	struct ipcchan_key key;

	KUNIT_EXPECT_EQ(test, ipcchan_key_init(&key, 0, name), -EINVAL);
	KUNIT_EXPECT_EQ(test, ipcchan_key_init(&key, IPCCHAN_KIND_MAX + 1, name),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, ipcchan_key_init(&key, IPCCHAN_KIND_REGION, name),
			0);
}

static void registry_names_then_finds(struct kunit *test)
{
	struct file *ctl = ik_ctl(test, 0, 0, true);
	struct ipcchan_obj *obj, *found;
	char name[IPCCHAN_NAME_MAX];
	struct ipcchan_key key;
	int freed = 0;

	ik_name(test, name, "reg");
	KUNIT_ASSERT_EQ(test, key_of(&key, name), 0);
	KUNIT_EXPECT_EQ(test, ipcchan_registry_open(&key, NULL, false, &found),
			-ENOENT);

	obj = dummy_new(test, ctl, &key, 0600, &freed);
	KUNIT_ASSERT_EQ(test, ipcchan_registry_open(&key, obj, false, &found), 1);
	KUNIT_EXPECT_PTR_EQ(test, found, obj);
	KUNIT_EXPECT_NE(test, obj->id, 0ULL);
	/* Ours and the table's. */
	KUNIT_EXPECT_EQ(test, kref_read(&obj->ref), 2U);

	KUNIT_ASSERT_EQ(test, ipcchan_registry_open(&key, NULL, false, &found), 0);
	KUNIT_EXPECT_PTR_EQ(test, found, obj);
	KUNIT_EXPECT_EQ(test, kref_read(&obj->ref), 3U);
	ipcchan_obj_put(found);

	found = ipcchan_registry_get(&key);
	KUNIT_EXPECT_PTR_EQ(test, found, obj);
	if (found)
		ipcchan_obj_put(found);

	KUNIT_EXPECT_EQ(test, ipcchan_registry_unlink(&key, NULL), 0);
	KUNIT_EXPECT_NULL(test, ipcchan_registry_get(&key));
	KUNIT_EXPECT_EQ(test, freed, 0);
	ipcchan_obj_put(obj);
	KUNIT_EXPECT_EQ(test, freed, 1);
}

/*
 * The id table is indexed by unsigned long: the last id, IPCCHAN_ID_MAX, is
 * named, the next creation is ENOSPC and names nothing, a dump resumes at
 * that last id, and a complete dump leaves its cursor past it.
 */
static int walk_count(struct ipcchan_obj *obj, void *arg)
{
	(*(int *)arg)++;
	return 0;
}

static void registry_ids_run_out(struct kunit *test)
{
	struct file *ctl = ik_ctl(test, 0, 0, true);
	struct ipcchan_obj *last, *next, *found;
	char name[IPCCHAN_NAME_MAX];
	struct ipcchan_key key, key2;
	int freed = 0, n = 0;
	u64 saved, pos = IPCCHAN_ID_MAX;

	ik_name(test, name, "idmax");
	KUNIT_ASSERT_EQ(test, key_of(&key, name), 0);
	ik_name(test, name, "idmax2");
	KUNIT_ASSERT_EQ(test, key_of(&key2, name), 0);

	saved = ipcchan_registry_set_last_id(IPCCHAN_ID_MAX - 1);
	last = dummy_new(test, ctl, &key, 0600, &freed);
	KUNIT_EXPECT_EQ(test, ipcchan_registry_open(&key, last, false, &found),
			1);
	KUNIT_EXPECT_EQ(test, last->id, IPCCHAN_ID_MAX);
	next = dummy_new(test, ctl, &key2, 0600, &freed);
	KUNIT_EXPECT_EQ(test, ipcchan_registry_open(&key2, next, false, &found),
			-ENOSPC);
	KUNIT_EXPECT_EQ(test, next->id, 0ULL);
	KUNIT_EXPECT_NULL(test, ipcchan_registry_get(&key2));
	KUNIT_EXPECT_EQ(test, ipcchan_registry_dump(&pos, IPCCHAN_KIND_CHANNEL,
						    walk_count, &n), 0);
	KUNIT_EXPECT_EQ(test, n, 1);
	KUNIT_EXPECT_GT(test, pos, IPCCHAN_ID_MAX);
	n = 0;
	KUNIT_EXPECT_EQ(test, ipcchan_registry_dump(&pos, 0, walk_count, &n), 0);
	KUNIT_EXPECT_EQ(test, n, 0);
	/* Ids above the saved one are all gone again: none is reused. */
	ipcchan_registry_set_last_id(saved);

	ipcchan_obj_put(next);
	KUNIT_EXPECT_EQ(test, ipcchan_registry_unlink(&key, NULL), 0);
	ipcchan_obj_put(last);
	KUNIT_EXPECT_EQ(test, freed, 2);
}

static void registry_excl_and_second_creator(struct kunit *test)
{
	struct file *ctl = ik_ctl(test, 0, 0, true);
	struct ipcchan_obj *first, *second, *found;
	char name[IPCCHAN_NAME_MAX];
	struct ipcchan_key key;
	int freed = 0;

	ik_name(test, name, "excl");
	KUNIT_ASSERT_EQ(test, key_of(&key, name), 0);
	first = dummy_new(test, ctl, &key, 0600, &freed);
	KUNIT_ASSERT_EQ(test, ipcchan_registry_open(&key, first, true, &found), 1);

	/* A racing creator's object is not named; it finds the first one. */
	second = dummy_new(test, ctl, &key, 0600, &freed);
	KUNIT_EXPECT_EQ(test, ipcchan_registry_open(&key, second, true, &found),
			-EEXIST);
	KUNIT_EXPECT_EQ(test, second->id, 0ULL);
	KUNIT_ASSERT_EQ(test, ipcchan_registry_open(&key, second, false, &found),
			0);
	KUNIT_EXPECT_PTR_EQ(test, found, first);
	ipcchan_obj_put(found);
	ipcchan_obj_put(second);
	KUNIT_EXPECT_EQ(test, freed, 1);

	KUNIT_EXPECT_EQ(test, ipcchan_registry_unlink(&key, NULL), 0);
	KUNIT_EXPECT_EQ(test, ipcchan_registry_unlink(&key, NULL), -ENOENT);
	ipcchan_obj_put(first);
	KUNIT_EXPECT_EQ(test, freed, 2);
}

static void registry_unlink_needs_owner(struct kunit *test)
{
	struct file *owner = ik_ctl(test, IK_UID, IK_GID, false);
	struct file *other = ik_ctl(test, IK_OTHER_UID, IK_GID, false);
	struct file *admin = ik_ctl(test, IK_OTHER_UID, IK_GID, true);
	struct ipcchan_obj *obj, *found;
	char name[IPCCHAN_NAME_MAX];
	struct ipcchan_key key;
	int freed = 0;

	ik_name(test, name, "owner");
	KUNIT_ASSERT_EQ(test, key_of(&key, name), 0);
	obj = dummy_new(test, owner, &key, 0666, &freed);
	KUNIT_ASSERT_EQ(test, ipcchan_registry_open(&key, obj, false, &found), 1);
	ipcchan_obj_put(obj);

	/* Even with every permission bit, only the owner may unlink... */
	KUNIT_EXPECT_EQ(test, ipcchan_registry_unlink(&key, other), -EPERM);
	/* ...or CAP_IPC_OWNER. */
	KUNIT_EXPECT_EQ(test, ipcchan_registry_unlink(&key, admin), 0);
	KUNIT_EXPECT_EQ(test, freed, 1);

	obj = dummy_new(test, owner, &key, 0600, &freed);
	KUNIT_ASSERT_EQ(test, ipcchan_registry_open(&key, obj, false, &found), 1);
	ipcchan_obj_put(obj);
	KUNIT_EXPECT_EQ(test, ipcchan_registry_unlink(&key, owner), 0);
	KUNIT_EXPECT_EQ(test, freed, 2);
}

static void permission_bits_by_class(struct kunit *test)
{
	struct file *owner = ik_ctl(test, IK_UID, IK_GID, false);
	struct file *group = ik_ctl(test, IK_OTHER_UID, IK_GID, false);
	struct file *other = ik_ctl(test, IK_OTHER_UID, IK_GID + 1, false);
	struct file *admin = ik_ctl(test, IK_OTHER_UID, IK_GID + 1, true);
	struct ipcchan_obj *obj;
	struct ipcchan_key key;
	int freed = 0;

	KUNIT_ASSERT_EQ(test, key_of(&key, "kunit-perm"), 0);
	obj = dummy_new(test, owner, &key, 0640, &freed);
	KUNIT_EXPECT_EQ(test, obj->uid.val, (uid_t)IK_UID);
	KUNIT_EXPECT_EQ(test, obj->gid.val, (gid_t)IK_GID);

	KUNIT_EXPECT_EQ(test, ipcchan_obj_permission(obj, owner,
						     MAY_READ | MAY_WRITE), 0);
	KUNIT_EXPECT_EQ(test, ipcchan_obj_permission(obj, group, MAY_READ), 0);
	KUNIT_EXPECT_EQ(test, ipcchan_obj_permission(obj, group, MAY_WRITE),
			-EACCES);
	KUNIT_EXPECT_EQ(test, ipcchan_obj_permission(obj, other, MAY_READ),
			-EACCES);
	KUNIT_EXPECT_EQ(test, ipcchan_obj_permission(obj, admin,
						     MAY_READ | MAY_WRITE), 0);

	/* The owner class decides for the owner, even when others have more. */
	obj->mode = 0066;
	KUNIT_EXPECT_EQ(test, ipcchan_obj_permission(obj, owner, MAY_READ),
			-EACCES);
	KUNIT_EXPECT_EQ(test, ipcchan_obj_permission(obj, other, MAY_WRITE), 0);
	ipcchan_obj_put(obj);
	KUNIT_EXPECT_EQ(test, freed, 1);
}

struct walk {
	u64 ids[8];
	int n;
	int stop_after;
};

static int walk_one(struct ipcchan_obj *obj, void *arg)
{
	struct walk *w = arg;

	if (!strstr(obj->key.name, "kunit-walk"))
		return 0;
	if (w->n == w->stop_after)
		return -EMSGSIZE;
	if (w->n < ARRAY_SIZE(w->ids))
		w->ids[w->n] = obj->id;
	w->n++;
	return 0;
}

static void registry_dump_resumes_by_id(struct kunit *test)
{
	struct file *ctl = ik_ctl(test, 0, 0, true);
	struct ipcchan_obj *objs[3], *found;
	char name[IPCCHAN_NAME_MAX];
	struct ipcchan_key key;
	struct walk w = { .stop_after = 1 };
	u64 pos = 0;
	int *freed, i;

	/* Objects still named at the end are freed after this returns. */
	freed = kunit_kzalloc(test, sizeof(*freed), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, freed);

	for (i = 0; i < 3; i++) {
		ik_name(test, name, "walk");
		KUNIT_ASSERT_EQ(test, key_of(&key, name), 0);
		objs[i] = dummy_new(test, ctl, &key, 0600, freed);
		KUNIT_ASSERT_EQ(test, ipcchan_registry_open(&key, objs[i], false,
							    &found), 1);
		ipcchan_obj_put(objs[i]);
		if (i)
			KUNIT_EXPECT_GT(test, objs[i]->id, objs[i - 1]->id);
	}

	/* The walk stops at the second object and resumes at it. */
	KUNIT_EXPECT_EQ(test, ipcchan_registry_dump(&pos, IPCCHAN_KIND_CHANNEL,
						    walk_one, &w), -EMSGSIZE);
	KUNIT_EXPECT_EQ(test, w.n, 1);
	KUNIT_EXPECT_EQ(test, pos, objs[1]->id);
	w.stop_after = -1;
	KUNIT_EXPECT_EQ(test, ipcchan_registry_dump(&pos, IPCCHAN_KIND_CHANNEL,
						    walk_one, &w), 0);
	KUNIT_ASSERT_EQ(test, w.n, 3);
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test, w.ids[i], objs[i]->id);
	KUNIT_EXPECT_GT(test, pos, objs[2]->id);

	/* Another kind sees none of them; an unlinked one is not visited. */
	w.n = 0;
	pos = 0;
	KUNIT_EXPECT_EQ(test, ipcchan_registry_dump(&pos, IPCCHAN_KIND_REGION,
						    walk_one, &w), 0);
	KUNIT_EXPECT_EQ(test, w.n, 0);
	KUNIT_ASSERT_EQ(test, key_of(&key, objs[1]->key.name), 0);
	KUNIT_EXPECT_EQ(test, ipcchan_registry_unlink(&key, NULL), 0);
	pos = 0;
	KUNIT_EXPECT_EQ(test, ipcchan_registry_dump(&pos, 0, walk_one, &w), 0);
	KUNIT_EXPECT_EQ(test, w.n, 2);
	KUNIT_EXPECT_EQ(test, *freed, 1);
	/* ik_name()'s resources unlink the other two. */
}

static struct kunit_case names_cases[] = {
	KUNIT_CASE(key_accepts_valid_names),
	KUNIT_CASE(key_rejects_empty_name),
	KUNIT_CASE(key_rejects_unterminated_name),
	KUNIT_CASE(key_rejects_bad_characters),
	KUNIT_CASE(key_rejects_bytes_after_nul),
	KUNIT_CASE(key_rejects_bad_kind),
	KUNIT_CASE(registry_names_then_finds),
	KUNIT_CASE(registry_excl_and_second_creator),
	KUNIT_CASE(registry_ids_run_out),
	KUNIT_CASE(registry_unlink_needs_owner),
	KUNIT_CASE(permission_bits_by_class),
	KUNIT_CASE(registry_dump_resumes_by_id),
	{}
};

static struct kunit_suite names_suite = {
	.name = "ipcchan-names",
	.test_cases = names_cases,
};

kunit_test_suite(names_suite);
