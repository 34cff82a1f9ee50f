// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family "ipcchan": dumps and gets of every named
 * object, admin-only delete and limit changes, and a multicast group of
 * events. The commands and attributes are documented in the uapi header.
 */

#include <linux/cred.h>
#include <linux/pid.h>
#include <linux/spinlock.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <linux/ipcchan.h>

#include "channel.h"
#include "netlink.h"
#include "registry.h"

/* Room for an event: header, two u32, two u64 and a name. */
#define EVENT_SIZE	(nla_total_size(sizeof(u32)) * 2 + \
			 nla_total_size_64bit(sizeof(u64)) * 2 + \
			 nla_total_size(IPCCHAN_NAME_MAX))

static const struct nla_policy nl_policy[IPCCHAN_A_MAX + 1] = {
	[IPCCHAN_A_KIND] = NLA_POLICY_RANGE(NLA_U32, 1, IPCCHAN_KIND_MAX),
	[IPCCHAN_A_NAME] = { .type = NLA_NUL_STRING,
			     .len = IPCCHAN_NAME_MAX - 1 },
	[IPCCHAN_A_MAX_MSG_SIZE] = { .type = NLA_U32 },
	[IPCCHAN_A_MAX_MSGS] = { .type = NLA_U32 },
	[IPCCHAN_A_MAX_BYTES] = { .type = NLA_U64 },
};

static struct genl_family nl_family;
static bool nl_ready;

static DEFINE_SPINLOCK(event_lock);
static u64 event_seq;		/* under event_lock */

static int put_obj(struct sk_buff *skb, struct ipcchan_obj *obj)
{
	struct user_namespace *ns = current_user_ns();

	if (nla_put_u64_64bit(skb, IPCCHAN_A_ID, obj->id, IPCCHAN_A_PAD) ||
	    nla_put_u32(skb, IPCCHAN_A_KIND, obj->key.kind) ||
	    nla_put_string(skb, IPCCHAN_A_NAME, obj->key.name) ||
	    nla_put_u32(skb, IPCCHAN_A_UID, from_kuid_munged(ns, obj->uid)) ||
	    nla_put_u32(skb, IPCCHAN_A_GID, from_kgid_munged(ns, obj->gid)) ||
	    nla_put_u32(skb, IPCCHAN_A_MODE, obj->mode) ||
	    nla_put_u32(skb, IPCCHAN_A_CREATOR_PID, pid_vnr(obj->creator)))
		return -EMSGSIZE;
	return obj->ops->fill(obj, skb);
}

static int fill_msg(struct sk_buff *skb, struct ipcchan_obj *obj, u32 portid,
		    u32 seq, int flags)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &nl_family, flags, IPCCHAN_CMD_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (put_obj(skb, obj)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

struct dump_ctx {
	struct sk_buff *skb;
	struct netlink_callback *cb;
};

static int dump_one(struct ipcchan_obj *obj, void *arg)
{
	struct dump_ctx *ctx = arg;

	return fill_msg(ctx->skb, obj, NETLINK_CB(ctx->cb->skb).portid,
			ctx->cb->nlh->nlmsg_seq, NLM_F_MULTI);
}

/*
 * cb->args[0] holds the id to resume from. An object that did not fit in
 * this part is visited first in the next one, so none is skipped or
 * repeated.
 */
static int nl_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct dump_ctx ctx = { .skb = skb, .cb = cb };
	struct nlattr *kind;
	u64 pos = cb->args[0] ?: 1;
	int ret;

	kind = nlmsg_find_attr(cb->nlh, GENL_HDRLEN, IPCCHAN_A_KIND);
	ret = ipcchan_registry_dump(&pos, kind ? nla_get_u32(kind) : 0,
				    dump_one, &ctx);
	cb->args[0] = pos;
	if (ret && !skb->len)
		return ret;	/* one object does not fit an empty part */
	return skb->len;
}

static int key_from_attrs(struct genl_info *info, struct ipcchan_key *key)
{
	char name[IPCCHAN_NAME_MAX] = {};

	if (GENL_REQ_ATTR_CHECK(info, IPCCHAN_A_KIND) ||
	    GENL_REQ_ATTR_CHECK(info, IPCCHAN_A_NAME))
		return -EINVAL;
	nla_strscpy(name, info->attrs[IPCCHAN_A_NAME], sizeof(name));
	return ipcchan_key_init(key, nla_get_u32(info->attrs[IPCCHAN_A_KIND]),
				name);
}

static int nl_get(struct sk_buff *skb, struct genl_info *info)
{
	struct ipcchan_obj *obj;
	struct ipcchan_key key;
	struct sk_buff *msg;
	int ret;

	ret = key_from_attrs(info, &key);
	if (ret)
		return ret;
	obj = ipcchan_registry_get(&key);
	if (!obj)
		return -ENOENT;

	msg = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg) {
		ret = -ENOMEM;
		goto out_put;
	}
	ret = fill_msg(msg, obj, info->snd_portid, info->snd_seq, 0);
	if (ret) {
		nlmsg_free(msg);
		goto out_put;
	}
	ret = genlmsg_reply(msg, info);
out_put:
	ipcchan_obj_put(obj);
	return ret;
}

static int nl_del(struct sk_buff *skb, struct genl_info *info)
{
	struct ipcchan_key key;
	int ret;

	ret = key_from_attrs(info, &key);
	if (ret)
		return ret;
	return ipcchan_registry_unlink(&key, NULL);
}

static u64 attr_u64(struct genl_info *info, int type)
{
	struct nlattr *a = info->attrs[type];

	if (!a)
		return 0;
	return type == IPCCHAN_A_MAX_BYTES ? nla_get_u64(a) : nla_get_u32(a);
}

static int nl_set(struct sk_buff *skb, struct genl_info *info)
{
	struct ipcchan_obj *obj;
	struct ipcchan_key key;
	char name[IPCCHAN_NAME_MAX] = {};
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, IPCCHAN_A_NAME))
		return -EINVAL;
	nla_strscpy(name, info->attrs[IPCCHAN_A_NAME], sizeof(name));
	ret = ipcchan_key_init(&key, IPCCHAN_KIND_CHANNEL, name);
	if (ret)
		return ret;
	obj = ipcchan_registry_get(&key);
	if (!obj)
		return -ENOENT;
	ret = ipcchan_chan_set_limits(obj,
				      attr_u64(info, IPCCHAN_A_MAX_MSG_SIZE),
				      attr_u64(info, IPCCHAN_A_MAX_MSGS),
				      attr_u64(info, IPCCHAN_A_MAX_BYTES));
	ipcchan_obj_put(obj);
	return ret;
}

static const struct genl_ops nl_ops[] = {
	{
		.cmd = IPCCHAN_CMD_GET,
		.doit = nl_get,
		.dumpit = nl_dump,
	},
	{
		.cmd = IPCCHAN_CMD_DEL,
		.doit = nl_del,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = IPCCHAN_CMD_SET,
		.doit = nl_set,
		.flags = GENL_ADMIN_PERM,
	},
};

static const struct genl_multicast_group nl_mcgrps[] = {
	{ .name = IPCCHAN_GENL_MCGRP_EVENTS },
};

static struct genl_family nl_family __ro_after_init = {
	.name = IPCCHAN_GENL_NAME,
	.version = IPCCHAN_GENL_VERSION,
	.maxattr = IPCCHAN_A_MAX,
	.policy = nl_policy,
	.module = THIS_MODULE,
	.ops = nl_ops,
	.n_ops = ARRAY_SIZE(nl_ops),
	.mcgrps = nl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(nl_mcgrps),
	.resv_start_op = IPCCHAN_CMD_GET,
};

/**
 * ipcchan_nl_event() - announce an event of @obj to the events group
 * @obj: the object, named now or once
 * @event: enum ipcchan_nl_event
 *
 * Process context. Events get their sequence numbers and join the group's
 * queues under one lock, so listeners see them in sequence order. An event
 * that cannot be made still takes its number, so that the listeners see it
 * is missing: a gap is the only way to tell them.
 */
void ipcchan_nl_event(struct ipcchan_obj *obj, u32 event)
{
	struct sk_buff *skb;
	void *hdr;

	/*
	 * An object that lost the race to its name (obj_open_file()) was
	 * never named: its id is 0, and its name is the winner's. Closing
	 * its file must not tell listeners the winner lost its last sender.
	 */
	if (!obj->id)
		return;
	if (!READ_ONCE(nl_ready) || !genl_has_listeners(&nl_family, &init_net, 0))
		return;
	skb = genlmsg_new(EVENT_SIZE, GFP_KERNEL);

	spin_lock(&event_lock);
	event_seq++;
	if (!skb)
		goto out_unlock;
	hdr = genlmsg_put(skb, 0, 0, &nl_family, 0, IPCCHAN_CMD_EVENT);
	if (!hdr || nla_put_u32(skb, IPCCHAN_A_EVENT, event) ||
	    nla_put_u64_64bit(skb, IPCCHAN_A_SEQ, event_seq, IPCCHAN_A_PAD) ||
	    nla_put_u64_64bit(skb, IPCCHAN_A_ID, obj->id, IPCCHAN_A_PAD) ||
	    nla_put_u32(skb, IPCCHAN_A_KIND, obj->key.kind) ||
	    nla_put_string(skb, IPCCHAN_A_NAME, obj->key.name)) {
		nlmsg_free(skb);
		goto out_unlock;
	}
	genlmsg_end(skb, hdr);
	genlmsg_multicast(&nl_family, skb, 0, 0, GFP_ATOMIC);
out_unlock:
	spin_unlock(&event_lock);
}

int ipcchan_nl_init(void)
{
	int ret = genl_register_family(&nl_family);

	if (!ret)
		WRITE_ONCE(nl_ready, true);
	return ret;
}

void ipcchan_nl_uninit(void)
{
	WRITE_ONCE(nl_ready, false);
	genl_unregister_family(&nl_family);
}
