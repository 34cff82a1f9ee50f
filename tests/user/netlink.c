// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family "ipcchan": the family and its events group,
 * GET of one object, DEL and SET as root and as an unprivileged caller
 * (who may manage its own objects only; see also netlink_perm.c),
 * and the strict attribute policy (missing, malformed, oversized and
 * unknown attributes, unknown commands), spoken with libnl directly.
 */
#include "nl_util.h"

/* A string of @len 'a's in @buf. */
static void long_name(char *buf, size_t len)
{
	memset(buf, 'a', len);
	buf[len] = 0;
}

TEST(family_resolves)
{
	struct nl_cache *cache = NULL;
	struct genl_family *fam;
	struct ipcchan_version v;
	struct nlu n;
	int id, grp;

	nl_open(&n);
	ASSERT_GT(n.family, 0);
	ASSERT_EQ(genl_ctrl_alloc_cache(n.sk, &cache), 0);
	fam = genl_ctrl_search_by_name(cache, IPCCHAN_GENL_NAME);
	ASSERT_TRUE(fam != NULL, "the controller does not list \"%s\"",
		    IPCCHAN_GENL_NAME);
	id = genl_family_get_id(fam);
	EXPECT_EQ(id, n.family);
	EXPECT_EQ(genl_family_get_version(fam), IPCCHAN_GENL_VERSION);
	EXPECT_EQ(genl_family_get_maxattr(fam), IPCCHAN_A_MAX);
	genl_family_put(fam);
	nl_cache_free(cache);

	grp = genl_ctrl_resolve_grp(n.sk, IPCCHAN_GENL_NAME,
				    IPCCHAN_GENL_MCGRP_EVENTS);
	EXPECT_GT(grp, 0, "multicast group \"%s\"", IPCCHAN_GENL_MCGRP_EVENTS);
	nlu_close(&n);

	/* The VERSION ioctl advertises the family. */
	memset(&v, 0, sizeof(v));
	get_version(&v);
	EXPECT_TRUE(v.features & IPCCHAN_FEAT_NETLINK,
		    "features %#llx lack IPCCHAN_FEAT_NETLINK",
		    (unsigned long long)v.features);
}

/* GET of a channel and of a region by kind and name. */
TEST(get_one)
{
	char cname[IPCCHAN_NAME_MAX], rname[IPCCHAN_NAME_MAX];
	struct nlu_obj c, r, c2;
	struct nlu_list l = { 0 };
	struct nlu n;
	int cfd = chan_new(cname, RS, 0620, 300, 9, 3000);
	int rfd = region_new(rname, RW_REGION, 0604, 3 * page_size() + 1);

	(void)cfd;
	(void)rfd;
	nl_open(&n);
	nl_get(&n, IPCCHAN_KIND_CHANNEL, cname, &c);
	EXPECT_TRUE(nlu_has(&c, IPCCHAN_A_ID));
	EXPECT_NE(c.id, 0);
	EXPECT_EQ(c.uid, 0);
	EXPECT_EQ(c.gid, 0);
	EXPECT_EQ(c.mode, 0620);
	EXPECT_EQ(c.creator_pid, (uint32_t)getpid());
	EXPECT_EQ(c.max_msg_size, 300);
	EXPECT_EQ(c.max_msgs, 9);
	EXPECT_EQ(c.max_bytes, 3000);
	EXPECT_EQ(c.fds, 1);
	EXPECT_EQ(c.senders, 1);
	EXPECT_EQ(c.receivers, 1);

	nl_get(&n, IPCCHAN_KIND_REGION, rname, &r);
	EXPECT_NE(r.id, 0);
	EXPECT_NE(r.id, c.id);
	EXPECT_EQ(r.mode, 0604);
	EXPECT_EQ(r.uid, 0);
	EXPECT_EQ(r.creator_pid, (uint32_t)getpid());
	EXPECT_EQ(r.region_size, (uint64_t)4 * page_size());
	EXPECT_EQ(r.mappings, 0);
	EXPECT_EQ(r.fds, 1);

	/* GET and dump tell the same. */
	nl_dump(&n, 0, &l);
	c2 = *nl_find(&l, IPCCHAN_KIND_CHANNEL, cname);
	EXPECT_EQ(c2.id, c.id);
	EXPECT_EQ(c2.present, c.present, "the same attributes");
	EXPECT_EQ(c2.max_bytes, c.max_bytes);
	EXPECT_EQ(nl_find(&l, IPCCHAN_KIND_REGION, rname)->id, r.id);
	nlu_list_free(&l);
	nlu_close(&n);
}

/* GET of a name that is not there, or is there as the other kind. */
TEST(get_missing_enoent)
{
	char cname[IPCCHAN_NAME_MAX], missing[IPCCHAN_NAME_MAX];
	char longest[IPCCHAN_NAME_MAX];
	struct nlu_obj o;
	struct nlu n;

	chan_new(cname, RS, 0600, 0, 0, 0);
	new_name(missing);
	long_name(longest, IPCCHAN_NAME_MAX - 1);
	nl_open(&n);
	EXPECT_EQ(nlu_get(&n, IPCCHAN_KIND_CHANNEL, missing, &o), -ENOENT);
	EXPECT_EQ(nlu_get(&n, IPCCHAN_KIND_REGION, missing, &o), -ENOENT);
	/* Channels and regions have names of their own. */
	EXPECT_EQ(nlu_get(&n, IPCCHAN_KIND_REGION, cname, &o), -ENOENT);
	/* The longest valid name is not too long: it is just not there. */
	EXPECT_EQ(nlu_get(&n, IPCCHAN_KIND_CHANNEL, longest, &o), -ENOENT);
	/* The socket still works after errors. */
	nl_get(&n, IPCCHAN_KIND_CHANNEL, cname, &o);
	nlu_close(&n);
}

/* DEL as root unlinks: the name is gone, open files keep working. */
TEST(del_unlinks)
{
	char cname[IPCCHAN_NAME_MAX], rname[IPCCHAN_NAME_MAX];
	struct nlu_list l = { 0 };
	struct nlu_obj o;
	struct nlu n;
	int cfd = chan_new(cname, RS, 0600, 0, 0, 0);
	int rfd = region_new(rname, RW_REGION, 0600, page_size());
	int ret;

	nl_open(&n);
	ret = nlu_del(&n, IPCCHAN_KIND_CHANNEL, cname);
	ASSERT_EQ(ret, 0, "DEL channel (extack \"%s\")", n.extack);
	EXPECT_EQ(ipcchan_chan_open(IPCCHAN_DEV_AUTO, cname, RS, NULL),
		  -ENOENT);
	EXPECT_EQ(nlu_get(&n, IPCCHAN_KIND_CHANNEL, cname, &o), -ENOENT);
	EXPECT_EQ(nlu_del(&n, IPCCHAN_KIND_CHANNEL, cname), -ENOENT);

	ret = nlu_del(&n, IPCCHAN_KIND_REGION, rname);
	ASSERT_EQ(ret, 0, "DEL region (extack \"%s\")", n.extack);
	EXPECT_EQ(ipcchan_region_open(IPCCHAN_DEV_AUTO, rname, RW_REGION, 0,
				      0), -ENOENT);

	nl_dump(&n, 0, &l);
	EXPECT_TRUE(nlu_find(&l, IPCCHAN_KIND_CHANNEL, cname) == NULL);
	EXPECT_TRUE(nlu_find(&l, IPCCHAN_KIND_REGION, rname) == NULL);
	nlu_list_free(&l);

	/* The channel lives on in its open fd. */
	send_str(cfd, "still here");
	recv_str(cfd, "still here");
	EXPECT_EQ(region_mappings(rfd), 0);
	nlu_close(&n);
}

/* SET changes the limits, as CHAN_INFO and GET see them. */
TEST(set_limits)
{
	char name[IPCCHAN_NAME_MAX], buf[600];
	struct ipcchan_chan_info ci;
	struct nlu_obj o;
	struct nlu n;
	int fd = chan_new(name, RS, 0600, 512, 8, 4096);
	int ret;

	nl_open(&n);
	ret = nlu_set(&n, name, 100, 3, 1000);
	ASSERT_EQ(ret, 0, "SET (extack \"%s\")", n.extack);
	memset(&ci, 0, sizeof(ci));
	chan_info(fd, &ci);
	EXPECT_EQ(ci.max_msg_size, 100);
	EXPECT_EQ(ci.max_msgs, 3);
	EXPECT_EQ(ci.max_bytes, 1000);
	nl_get(&n, IPCCHAN_KIND_CHANNEL, name, &o);
	EXPECT_EQ(o.max_msg_size, 100);
	EXPECT_EQ(o.max_msgs, 3);
	EXPECT_EQ(o.max_bytes, 1000);

	/* The new limits apply to the next sends. */
	memset(buf, 'x', sizeof(buf));
	EXPECT_EQ(ipcchan_send(fd, buf, 101, IPCCHAN_XFER_NONBLOCK, -1),
		  -EMSGSIZE);
	EXPECT_EQ(ipcchan_send(fd, buf, 100, IPCCHAN_XFER_NONBLOCK, -1), 0);
	EXPECT_EQ(ipcchan_send(fd, buf, 100, IPCCHAN_XFER_NONBLOCK, -1), 0);
	EXPECT_EQ(ipcchan_send(fd, buf, 100, IPCCHAN_XFER_NONBLOCK, -1), 0);
	EXPECT_EQ(ipcchan_send(fd, buf, 100, IPCCHAN_XFER_NONBLOCK, -1),
		  -EAGAIN);

	/* One limit alone; the others stay. */
	ret = nlu_set(&n, name, -1, 5, -1);
	ASSERT_EQ(ret, 0, "SET max_msgs alone (extack \"%s\")", n.extack);
	chan_info(fd, &ci);
	EXPECT_EQ(ci.max_msg_size, 100);
	EXPECT_EQ(ci.max_msgs, 5);
	EXPECT_EQ(ci.max_bytes, 1000);
	EXPECT_EQ(ci.msgs, 3, "what is queued stays queued");
	EXPECT_EQ(ipcchan_send(fd, buf, 100, IPCCHAN_XFER_NONBLOCK, -1), 0);
	nlu_close(&n);
}

/* SET beyond the module's bounds is EINVAL and changes nothing. */
TEST(set_above_bound_einval)
{
	char name[IPCCHAN_NAME_MAX];
	struct ipcchan_chan_info ci;
	struct ipcchan_version v;
	struct nlu_obj o;
	struct nlu n;
	int fd = chan_new(name, RS, 0600, 512, 8, 4096);

	memset(&v, 0, sizeof(v));
	get_version(&v);
	nl_open(&n);
	EXPECT_EQ(nlu_set(&n, name, -1, (int64_t)v.max_msgs + 1, -1), -EINVAL);
	EXPECT_EQ(nlu_set(&n, name, (int64_t)v.max_msg_size + 1, -1, -1),
		  -EINVAL);
	EXPECT_EQ(nlu_set(&n, name, -1, -1, (int64_t)v.max_bytes + 1),
		  -EINVAL);
	/* A valid limit with an invalid one: nothing changes. */
	EXPECT_EQ(nlu_set(&n, name, 64, (int64_t)v.max_msgs + 1, -1), -EINVAL);
	memset(&ci, 0, sizeof(ci));
	chan_info(fd, &ci);
	EXPECT_EQ(ci.max_msg_size, 512);
	EXPECT_EQ(ci.max_msgs, 8);
	EXPECT_EQ(ci.max_bytes, 4096);
	nl_get(&n, IPCCHAN_KIND_CHANNEL, name, &o);
	EXPECT_EQ(o.max_msgs, 8);
	/* At the bound exactly is fine. */
	EXPECT_EQ(nlu_set(&n, name, -1, v.max_msgs, -1), 0,
		  "extack \"%s\"", n.extack);
	chan_info(fd, &ci);
	EXPECT_EQ(ci.max_msgs, v.max_msgs);
	/* SET of a missing channel. */
	new_name(name);
	EXPECT_EQ(nlu_set(&n, name, -1, 4, -1), -ENOENT);
	nlu_close(&n);
}

/*
 * nobody, who opens the socket after dropping every privilege, cannot DEL
 * or SET (EPERM) root's objects that it sees (0666), may on its own, and
 * can still dump and GET those.
 */
TEST(nonroot_eperm)
{
	char name[IPCCHAN_NAME_MAX], own[IPCCHAN_NAME_MAX];
	char rname[IPCCHAN_NAME_MAX];
	struct ipcchan_chan_info ci;
	struct nlu_obj o;
	pid_t pid;
	int fd = chan_new(name, RS, 0666, 512, 8, 4096);

	region_new(rname, RW_REGION, 0666, page_size());
	new_name(own);
	pid = xfork();
	if (pid == 0) {
		struct nlu_list l = { 0 };
		struct nlu n;
		int ofd;

		drop_to_nobody();
		ofd = ipcchan_chan_open(IPCCHAN_DEV_AUTO, own,
					RS | IPCCHAN_OPEN_CREATE, NULL);
		ASSERT_GE(ofd, 0, "nobody creates %s", own);
		nl_open(&n);
		EXPECT_EQ(nlu_del(&n, IPCCHAN_KIND_CHANNEL, name), -EPERM);
		EXPECT_EQ(nlu_del(&n, IPCCHAN_KIND_REGION, rname), -EPERM);
		EXPECT_EQ(nlu_set(&n, name, -1, 2, -1), -EPERM);
		EXPECT_EQ(nlu_set(&n, own, -1, 2, -1), 0, "its own channel");
		/* A missing name is ENOENT. */
		EXPECT_EQ(nlu_del(&n, IPCCHAN_KIND_CHANNEL, "t-netlink-none"),
			  -ENOENT);
		nl_dump(&n, 0, &l);
		o = *nl_find(&l, IPCCHAN_KIND_CHANNEL, name);
		EXPECT_EQ(o.max_msgs, 8);
		o = *nl_find(&l, IPCCHAN_KIND_CHANNEL, own);
		EXPECT_EQ(o.uid, NOBODY);
		EXPECT_EQ(o.gid, NOBODY);
		EXPECT_EQ(o.max_msgs, 2);
		nl_find(&l, IPCCHAN_KIND_REGION, rname);
		nlu_list_free(&l);
		nl_get(&n, IPCCHAN_KIND_CHANNEL, name, &o);
		EXPECT_EQ(nlu_del(&n, IPCCHAN_KIND_CHANNEL, own), 0,
			  "its own channel");
		nlu_close(&n);
		child_exit();
	}
	ASSERT_CHILD_OK(pid);
	/* Nothing of root's changed. */
	memset(&ci, 0, sizeof(ci));
	chan_info(fd, &ci);
	EXPECT_EQ(ci.max_msgs, 8);
	close(chan_get(name, RS));
	EXPECT_EQ(ipcchan_chan_open(IPCCHAN_DEV_AUTO, own, RS, NULL), -ENOENT);
	close(region_get(rname, RW_REGION));
}

/* GET without NLM_F_DUMP needs NAME and KIND: EINVAL without them. */
TEST(get_missing_attrs_einval)
{
	char name[IPCCHAN_NAME_MAX];
	struct nl_msg *msg;
	struct nlu n;

	chan_new(name, RS, 0600, 0, 0, 0);
	nl_open(&n);
	msg = nlu_msg(&n, IPCCHAN_CMD_GET, 0);
	ASSERT_EQ(nla_put_u32(msg, IPCCHAN_A_KIND, IPCCHAN_KIND_CHANNEL), 0);
	EXPECT_EQ(nlu_xfer(&n, msg, NULL), -EINVAL, "GET without NAME");

	msg = nlu_msg(&n, IPCCHAN_CMD_GET, 0);
	EXPECT_EQ(nlu_xfer(&n, msg, NULL), -EINVAL, "GET without anything");

	msg = nlu_msg(&n, IPCCHAN_CMD_GET, 0);
	nlu_put_name(msg, name);
	EXPECT_EQ(nlu_xfer(&n, msg, NULL), -EINVAL, "GET without KIND");

	msg = nlu_msg(&n, IPCCHAN_CMD_DEL, 0);
	ASSERT_EQ(nla_put_u32(msg, IPCCHAN_A_KIND, IPCCHAN_KIND_CHANNEL), 0);
	EXPECT_EQ(nlu_xfer(&n, msg, NULL), -EINVAL, "DEL without NAME");

	msg = nlu_msg(&n, IPCCHAN_CMD_SET, 0);
	ASSERT_EQ(nla_put_u32(msg, IPCCHAN_A_MAX_MSGS, 4), 0);
	EXPECT_EQ(nlu_xfer(&n, msg, NULL), -EINVAL, "SET without NAME");

	/* The channel is untouched. */
	close(chan_get(name, RS));
	nlu_close(&n);
}

/*
 * IPCCHAN_A_ID names an object for a GET only: on DEL, SET and a dump it
 * is EINVAL with an extack message, not ignored, and nothing happens.
 */
TEST(id_only_on_get)
{
	char name[IPCCHAN_NAME_MAX];
	struct nlu_list l = { 0 };
	struct nl_msg *msg;
	struct nlu_obj c;
	struct nlu n;
	int fd = chan_new(name, RS, 0600, 512, 8, 4096);

	nl_open(&n);
	nl_get(&n, IPCCHAN_KIND_CHANNEL, name, &c);

	msg = nlu_msg(&n, IPCCHAN_CMD_DEL, 0);
	ASSERT_EQ(nla_put_u32(msg, IPCCHAN_A_KIND, IPCCHAN_KIND_CHANNEL), 0);
	nlu_put_name(msg, name);
	ASSERT_EQ(nla_put_u64(msg, IPCCHAN_A_ID, c.id), 0);
	EXPECT_EQ(nlu_xfer(&n, msg, NULL), -EINVAL, "DEL with ID");
	EXPECT_NE(n.extack[0], 0, "DEL with ID: no extack message");

	msg = nlu_msg(&n, IPCCHAN_CMD_DEL, 0);
	ASSERT_EQ(nla_put_u64(msg, IPCCHAN_A_ID, c.id), 0);
	EXPECT_EQ(nlu_xfer(&n, msg, NULL), -EINVAL, "DEL by ID alone");

	msg = nlu_msg(&n, IPCCHAN_CMD_SET, 0);
	nlu_put_name(msg, name);
	ASSERT_EQ(nla_put_u32(msg, IPCCHAN_A_MAX_MSGS, 4), 0);
	ASSERT_EQ(nla_put_u64(msg, IPCCHAN_A_ID, c.id), 0);
	EXPECT_EQ(nlu_xfer(&n, msg, NULL), -EINVAL, "SET with ID");
	EXPECT_NE(n.extack[0], 0, "SET with ID: no extack message");

	msg = nlu_msg(&n, IPCCHAN_CMD_GET, NLM_F_DUMP);
	ASSERT_EQ(nla_put_u64(msg, IPCCHAN_A_ID, c.id), 0);
	EXPECT_EQ(nlu_xfer(&n, msg, &l), -EINVAL, "dump with ID");
	EXPECT_NE(n.extack[0], 0, "dump with ID: no extack message");
	EXPECT_EQ(l.n, 0);
	nlu_list_free(&l);

	msg = nlu_msg(&n, IPCCHAN_CMD_GET, 0);
	ASSERT_EQ(nla_put_u32(msg, IPCCHAN_A_KIND, IPCCHAN_KIND_CHANNEL), 0);
	ASSERT_EQ(nla_put_u64(msg, IPCCHAN_A_ID, c.id), 0);
	EXPECT_EQ(nlu_xfer(&n, msg, NULL), -EINVAL, "GET with ID and KIND");

	/* The channel is untouched: named, with its limits. */
	nl_get(&n, IPCCHAN_KIND_CHANNEL, name, &c);
	EXPECT_EQ(c.max_msgs, 8);
	close(fd);
	nlu_close(&n);
}

/* A NAME longer than IPCCHAN_NAME_MAX - 1 bytes fails, whatever the command. */
TEST(name_too_long)
{
	char name[IPCCHAN_NAME_MAX + 64];
	struct nl_msg *msg;
	struct nlu n;
	int ret;

	long_name(name, IPCCHAN_NAME_MAX);
	nl_open(&n);
	msg = nlu_msg(&n, IPCCHAN_CMD_GET, 0);
	ASSERT_EQ(nla_put_u32(msg, IPCCHAN_A_KIND, IPCCHAN_KIND_CHANNEL), 0);
	nlu_put_name(msg, name);
	ret = nlu_xfer(&n, msg, NULL);
	EXPECT_TRUE(ret == -EINVAL || ret == -ERANGE,
		    "GET with a %zu-byte name: %d (%s)", strlen(name), ret,
		    strerror(-ret));

	long_name(name, IPCCHAN_NAME_MAX + 40);
	msg = nlu_msg(&n, IPCCHAN_CMD_DEL, 0);
	ASSERT_EQ(nla_put_u32(msg, IPCCHAN_A_KIND, IPCCHAN_KIND_CHANNEL), 0);
	nlu_put_name(msg, name);
	ret = nlu_xfer(&n, msg, NULL);
	EXPECT_TRUE(ret == -EINVAL || ret == -ERANGE,
		    "DEL with a %zu-byte name: %d (%s)", strlen(name), ret,
		    strerror(-ret));

	msg = nlu_msg(&n, IPCCHAN_CMD_SET, 0);
	nlu_put_name(msg, name);
	ASSERT_EQ(nla_put_u32(msg, IPCCHAN_A_MAX_MSGS, 4), 0);
	ret = nlu_xfer(&n, msg, NULL);
	EXPECT_TRUE(ret == -EINVAL || ret == -ERANGE,
		    "SET with a %zu-byte name: %d (%s)", strlen(name), ret,
		    strerror(-ret));
	nlu_close(&n);
}

/* Attributes of the wrong type or length: EINVAL. */
TEST(wrong_attr_type_einval)
{
	char name[IPCCHAN_NAME_MAX];
	struct nl_msg *msg;
	struct nlu n;
	int fd = chan_new(name, RS, 0600, 512, 8, 4096);
	struct ipcchan_chan_info ci;

	nl_open(&n);
	/* KIND as a u8. */
	msg = nlu_msg(&n, IPCCHAN_CMD_GET, 0);
	ASSERT_EQ(nla_put_u8(msg, IPCCHAN_A_KIND, IPCCHAN_KIND_CHANNEL), 0);
	nlu_put_name(msg, name);
	EXPECT_EQ(nlu_xfer(&n, msg, NULL), -EINVAL, "KIND as u8");
	EXPECT_NE(n.extack[0], 0, "an extack message for a bad KIND");
	TH_LOG("extack: \"%s\"", n.extack);

	/* KIND as a u64. */
	msg = nlu_msg(&n, IPCCHAN_CMD_GET, 0);
	ASSERT_EQ(nla_put_u64(msg, IPCCHAN_A_KIND, IPCCHAN_KIND_CHANNEL), 0);
	nlu_put_name(msg, name);
	EXPECT_EQ(nlu_xfer(&n, msg, NULL), -EINVAL, "KIND as u64");

	/* KIND in a dump request as a u16. */
	msg = nlu_msg(&n, IPCCHAN_CMD_GET, NLM_F_DUMP);
	ASSERT_EQ(nla_put_u16(msg, IPCCHAN_A_KIND, IPCCHAN_KIND_CHANNEL), 0);
	EXPECT_EQ(nlu_xfer(&n, msg, NULL), -EINVAL, "dump with KIND as u16");

	/* MAX_BYTES (u64) as a u32. */
	msg = nlu_msg(&n, IPCCHAN_CMD_SET, 0);
	nlu_put_name(msg, name);
	ASSERT_EQ(nla_put_u32(msg, IPCCHAN_A_MAX_BYTES, 2048), 0);
	EXPECT_EQ(nlu_xfer(&n, msg, NULL), -EINVAL, "MAX_BYTES as u32");

	/* MAX_MSGS (u32) as a u8, with a valid MAX_MSG_SIZE. */
	msg = nlu_msg(&n, IPCCHAN_CMD_SET, 0);
	nlu_put_name(msg, name);
	ASSERT_EQ(nla_put_u32(msg, IPCCHAN_A_MAX_MSG_SIZE, 256), 0);
	ASSERT_EQ(nla_put_u8(msg, IPCCHAN_A_MAX_MSGS, 2), 0);
	EXPECT_EQ(nlu_xfer(&n, msg, NULL), -EINVAL, "MAX_MSGS as u8");

	/* NAME as a u32. */
	msg = nlu_msg(&n, IPCCHAN_CMD_GET, 0);
	ASSERT_EQ(nla_put_u32(msg, IPCCHAN_A_KIND, IPCCHAN_KIND_CHANNEL), 0);
	ASSERT_EQ(nla_put_u32(msg, IPCCHAN_A_NAME, 0x61616161), 0);
	EXPECT_EQ(nlu_xfer(&n, msg, NULL), -EINVAL, "NAME as a u32 "
		  "without NUL");

	/* Nothing was changed by the rejected SETs. */
	memset(&ci, 0, sizeof(ci));
	chan_info(fd, &ci);
	EXPECT_EQ(ci.max_msg_size, 512);
	EXPECT_EQ(ci.max_msgs, 8);
	EXPECT_EQ(ci.max_bytes, 4096);
	nlu_close(&n);
}

/* Strict validation: an attribute type the family does not know is EINVAL. */
TEST(unknown_attr_einval)
{
	char name[IPCCHAN_NAME_MAX];
	struct nl_msg *msg;
	struct nlu n;
	uint32_t v = 1;

	chan_new(name, RS, 0600, 0, 0, 0);
	nl_open(&n);
	msg = nlu_msg(&n, IPCCHAN_CMD_GET, 0);
	ASSERT_EQ(nla_put_u32(msg, IPCCHAN_A_KIND, IPCCHAN_KIND_CHANNEL), 0);
	nlu_put_name(msg, name);
	ASSERT_EQ(nla_put(msg, IPCCHAN_A_MAX + 1, sizeof(v), &v), 0);
	EXPECT_EQ(nlu_xfer(&n, msg, NULL), -EINVAL, "GET with attribute %d",
		  IPCCHAN_A_MAX + 1);
	EXPECT_NE(n.extack[0], 0, "an extack message for an unknown attribute");
	TH_LOG("extack: \"%s\"", n.extack);

	msg = nlu_msg(&n, IPCCHAN_CMD_GET, 0);
	ASSERT_EQ(nla_put_u32(msg, IPCCHAN_A_KIND, IPCCHAN_KIND_CHANNEL), 0);
	nlu_put_name(msg, name);
	ASSERT_EQ(nla_put(msg, 200, sizeof(v), &v), 0);
	EXPECT_EQ(nlu_xfer(&n, msg, NULL), -EINVAL, "GET with attribute 200");

	msg = nlu_msg(&n, IPCCHAN_CMD_GET, NLM_F_DUMP);
	ASSERT_EQ(nla_put(msg, 200, sizeof(v), &v), 0);
	EXPECT_EQ(nlu_xfer(&n, msg, NULL), -EINVAL, "dump with attribute 200");

	msg = nlu_msg(&n, IPCCHAN_CMD_DEL, 0);
	ASSERT_EQ(nla_put_u32(msg, IPCCHAN_A_KIND, IPCCHAN_KIND_CHANNEL), 0);
	nlu_put_name(msg, name);
	ASSERT_EQ(nla_put(msg, IPCCHAN_A_MAX + 1, sizeof(v), &v), 0);
	EXPECT_EQ(nlu_xfer(&n, msg, NULL), -EINVAL, "DEL with attribute %d",
		  IPCCHAN_A_MAX + 1);
	/* ... and the rejected DEL unlinked nothing. */
	close(chan_get(name, RS));

	/* A kind that does not exist: out of the policy's range, or none. */
	msg = nlu_msg(&n, IPCCHAN_CMD_GET, 0);
	ASSERT_EQ(nla_put_u32(msg, IPCCHAN_A_KIND, IPCCHAN_KIND_MAX + 7), 0);
	nlu_put_name(msg, name);
	v = nlu_xfer(&n, msg, NULL);
	EXPECT_TRUE((int)v == -EINVAL || (int)v == -ERANGE ||
		    (int)v == -ENOENT, "GET of kind %d: %d",
		    IPCCHAN_KIND_MAX + 7, (int)v);
	nlu_close(&n);
}

/* Commands the family does not have: EOPNOTSUPP. */
TEST(unknown_cmd_eopnotsupp)
{
	struct nl_msg *msg;
	struct nlu n;

	nl_open(&n);
	msg = nlu_msg(&n, IPCCHAN_CMD_MAX + 1, 0);
	EXPECT_EQ(nlu_xfer(&n, msg, NULL), -EOPNOTSUPP, "command %d",
		  IPCCHAN_CMD_MAX + 1);
	msg = nlu_msg(&n, 200, 0);
	EXPECT_EQ(nlu_xfer(&n, msg, NULL), -EOPNOTSUPP, "command 200");
	msg = nlu_msg(&n, IPCCHAN_CMD_UNSPEC, 0);
	EXPECT_EQ(nlu_xfer(&n, msg, NULL), -EOPNOTSUPP, "CMD_UNSPEC");
	/* EVENT is only ever sent by the kernel. */
	msg = nlu_msg(&n, IPCCHAN_CMD_EVENT, 0);
	EXPECT_EQ(nlu_xfer(&n, msg, NULL), -EOPNOTSUPP, "CMD_EVENT");
	nlu_close(&n);
}

/*
 * Every kind of bad request again, many times, as root and as nobody:
 * the kernel log stays free of warnings, and the family keeps answering.
 */
TEST_TIMEOUT(malformed_no_kernel_warnings, 60)
{
	char name[IPCCHAN_NAME_MAX], big[IPCCHAN_NAME_MAX + 200];
	char mark[96], line[512];
	pid_t pid;
	int round;

	/* 0644: nobody may see it too. */
	chan_new(name, RS, 0644, 0, 0, 0);
	long_name(big, sizeof(big) - 1);
	snprintf(mark, sizeof(mark), "ipcchan-test: netlink malformed %d",
		 (int)getpid());
	klog_mark(mark);
	pid = xfork();
	if (pid == 0) {
		for (round = 0; round < 2; round++) {
			struct nlu_obj o;
			struct nl_msg *msg;
			struct nlu n;
			uint8_t junk[300];
			int t;

			if (round == 1)
				drop_to_nobody();
			nl_open(&n);
			memset(junk, 0xa5, sizeof(junk));
			for (t = 0; t <= IPCCHAN_A_MAX + 2; t++) {
				size_t len;

				for (len = 0; len <= 16; len += 1) {
					msg = nlu_msg(&n, IPCCHAN_CMD_GET, 0);
					ASSERT_EQ(nla_put(msg, t, len, junk), 0);
					EXPECT_NE(nlu_xfer(&n, msg, NULL), 0,
						  "GET of junk attr %d len %zu",
						  t, len);
					msg = nlu_msg(&n, IPCCHAN_CMD_SET, 0);
					ASSERT_EQ(nla_put(msg, t, len, junk), 0);
					EXPECT_NE(nlu_xfer(&n, msg, NULL), 0,
						  "SET of junk attr %d len %zu",
						  t, len);
				}
				msg = nlu_msg(&n, IPCCHAN_CMD_GET, NLM_F_DUMP);
				ASSERT_EQ(nla_put(msg, t, sizeof(junk), junk), 0);
				nlu_xfer(&n, msg, NULL);
			}
			msg = nlu_msg(&n, IPCCHAN_CMD_DEL, 0);
			ASSERT_EQ(nla_put_u32(msg, IPCCHAN_A_KIND, 1), 0);
			ASSERT_EQ(nla_put(msg, IPCCHAN_A_NAME, sizeof(big),
					  big), 0);
			EXPECT_NE(nlu_xfer(&n, msg, NULL), 0);
			/* An empty name. */
			msg = nlu_msg(&n, IPCCHAN_CMD_GET, 0);
			ASSERT_EQ(nla_put_u32(msg, IPCCHAN_A_KIND, 1), 0);
			ASSERT_EQ(nla_put_string(msg, IPCCHAN_A_NAME, ""), 0);
			EXPECT_NE(nlu_xfer(&n, msg, NULL), 0, "empty name");
			/* A name with a byte outside the set. */
			msg = nlu_msg(&n, IPCCHAN_CMD_GET, 0);
			ASSERT_EQ(nla_put_u32(msg, IPCCHAN_A_KIND, 1), 0);
			ASSERT_EQ(nla_put_string(msg, IPCCHAN_A_NAME, "a/b"),
				  0);
			EXPECT_NE(nlu_xfer(&n, msg, NULL), 0, "name a/b");
			/* Still answering. */
			nl_get(&n, IPCCHAN_KIND_CHANNEL, name, &o);
			nlu_close(&n);
		}
		child_exit();
	}
	ASSERT_CHILD_OK(pid);
	line[0] = 0;
	EXPECT_EQ(klog_bad_since(mark, line, sizeof(line)), 0,
		  "the kernel log says: %s (-1: the log or the marker %s "
		  "cannot be read)", line, mark);
}

TEST_MAIN("netlink")
