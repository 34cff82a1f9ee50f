// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family "ipcchan": dumps and gets of the named objects
 * a caller may see, delete and limit changes by an object's owner, and a
 * multicast group of events. The commands, attributes and the visibility
 * rule are documented in the uapi header.
 */

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/net.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/spinlock.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>
#include <linux/ipcchan.h>

#include "netlink.h"
#include "registry.h"

/* Room for an event: header, two u32, two u64 and a name. */
#define EVENT_SIZE	(nla_total_size(sizeof(u32)) * 2 + \
			 nla_total_size_64bit(sizeof(u64)) * 2 + \
			 nla_total_size(IPCCHAN_NAME_MAX))

/*
 * IPCCHAN_NL_FILTERED (from Kbuild): the kernel can filter a multicast per
 * listener (genlmsg_multicast_netns_filtered()), and each event goes only to
 * the listeners who may see its object. Older kernels cannot, so there the
 * group is for CAP_SYS_ADMIN alone, who may see every object.
 */

static const struct nla_policy nl_policy[IPCCHAN_A_MAX + 1] = {
	[IPCCHAN_A_KIND] = NLA_POLICY_RANGE(NLA_U32, 1, IPCCHAN_KIND_MAX),
	[IPCCHAN_A_NAME] = { .type = NLA_NUL_STRING,
			     .len = IPCCHAN_NAME_MAX - 1 },
	[IPCCHAN_A_MAX_MSG_SIZE] = { .type = NLA_U32 },
	[IPCCHAN_A_MAX_MSGS] = { .type = NLA_U32 },
	[IPCCHAN_A_MAX_BYTES] = { .type = NLA_U64 },
	[IPCCHAN_A_ID] = { .type = NLA_U64 },
	[IPCCHAN_A_CHAN_FLAGS] = { .type = NLA_U32 },
};

static struct genl_family nl_family;
static bool nl_ready;

static DEFINE_SPINLOCK(event_lock);
static u64 event_seq;		/* under event_lock */

/*
 * The file of a netlink socket: its f_cred are the credentials saved when
 * the socket was opened, which decide what the socket may see and do, as
 * those of a /dev/ipcchan file do. A kernel socket has none.
 */
static const struct file *sk_file(const struct sock *sk)
{
	const struct socket *sock = sk ? READ_ONCE(sk->sk_socket) : NULL;

	return sock ? READ_ONCE(sock->file) : NULL;
}

/*
 * May the opener of @f see @obj? Its owner may, and whoever would be granted
 * read or write access to it (CAP_IPC_OWNER included). The capability, an
 * audited check, is asked for only when the mode grants nothing, once.
 * Process or atomic context; may be called under names_lock.
 */
static bool nl_visible(const struct ipcchan_obj *obj, const struct file *f)
{
	if (!f)
		return false;
	return uid_eq(f->f_cred->fsuid, obj->uid) ||
	       ipcchan_obj_mode_rights(obj, f->f_cred) ||
	       file_ns_capable(f, &init_user_ns, CAP_IPC_OWNER);
}

/* May the opener of @f delete @obj or change its limits? */
static bool nl_may_manage(const struct ipcchan_obj *obj, const struct file *f)
{
	return uid_eq(f->f_cred->fsuid, obj->uid) ||
	       file_ns_capable(f, &init_user_ns, CAP_IPC_OWNER);
}

/*
 * Whom an answer is for: the socket whose credentials decide what it shows,
 * and the namespaces of the task that asked, into which uids, gids and pids
 * are translated. A dump keeps those of the task that started it.
 */
struct nl_viewer {
	const struct file *file;
	struct user_namespace *user_ns;
	struct pid_namespace *pid_ns;
};

/*
 * ID, KIND and NAME. An object without a name has the empty one: older
 * parsers (libipcchan 0.4) drop a whole dump for an object without it.
 */
static int put_key(struct sk_buff *skb, const struct ipcchan_obj *obj)
{
	if (nla_put_u64_64bit(skb, IPCCHAN_A_ID, obj->id, IPCCHAN_A_PAD) ||
	    nla_put_u32(skb, IPCCHAN_A_KIND, obj->key.kind) ||
	    nla_put_string(skb, IPCCHAN_A_NAME, obj->key.name))
		return -EMSGSIZE;
	return 0;
}

static int put_obj(struct sk_buff *skb, struct ipcchan_obj *obj,
		   const struct nl_viewer *v)
{
	if (put_key(skb, obj) ||
	    nla_put_u32(skb, IPCCHAN_A_UID,
			from_kuid_munged(v->user_ns, obj->uid)) ||
	    nla_put_u32(skb, IPCCHAN_A_GID,
			from_kgid_munged(v->user_ns, obj->gid)) ||
	    nla_put_u32(skb, IPCCHAN_A_MODE, obj->mode) ||
	    nla_put_u32(skb, IPCCHAN_A_CREATOR_PID,
			pid_nr_ns(obj->creator, v->pid_ns)))
		return -EMSGSIZE;
	return obj->kind->fill(obj, skb);
}

static int fill_msg(struct sk_buff *skb, struct ipcchan_obj *obj,
		    const struct nl_viewer *v, u32 portid, u32 seq, int flags)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &nl_family, flags, IPCCHAN_CMD_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (put_obj(skb, obj, v)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* What a dump keeps from one part to the next, in cb->ctx. */
struct dump_state {
	u64 pos;			/* the id to resume from */
	const struct cred *cred;	/* of the task that started the dump */
	struct pid_namespace *pid_ns;	/* and its pid namespace */
};

static struct dump_state *dump_state(struct netlink_callback *cb)
{
	BUILD_BUG_ON(sizeof(struct dump_state) > sizeof(cb->ctx));
	return (struct dump_state *)cb->ctx;
}

/* In the context of the task that sends the dump request. */
static int nl_dump_start(struct netlink_callback *cb)
{
	struct dump_state *st = dump_state(cb);

	st->pos = 1;
	st->cred = get_current_cred();
	st->pid_ns = get_pid_ns(task_active_pid_ns(current));
	return 0;
}

static int nl_dump_done(struct netlink_callback *cb)
{
	struct dump_state *st = dump_state(cb);

	if (st->cred)
		put_cred(st->cred);
	if (st->pid_ns)
		put_pid_ns(st->pid_ns);
	return 0;
}

struct dump_ctx {
	struct sk_buff *skb;
	struct netlink_callback *cb;
	struct nl_viewer v;
};

static int dump_one(struct ipcchan_obj *obj, void *arg)
{
	struct dump_ctx *ctx = arg;

	if (!nl_visible(obj, ctx->v.file))
		return 0;
	return fill_msg(ctx->skb, obj, &ctx->v,
			NETLINK_CB(ctx->cb->skb).portid,
			ctx->cb->nlh->nlmsg_seq, NLM_F_MULTI);
}

/*
 * Each part, whoever reads the socket, shows what the socket may see, in
 * the namespaces of the task that started the dump. An object that did not
 * fit in this part is visited first in the next one, so none is skipped or
 * repeated.
 */
static int nl_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct dump_state *st = dump_state(cb);
	struct dump_ctx ctx = {
		.skb = skb,
		.cb = cb,
		.v = {
			.file = sk_file(NETLINK_CB(cb->skb).sk),
			.user_ns = st->cred->user_ns,
			.pid_ns = st->pid_ns,
		},
	};
	struct nlattr *kind;
	int ret;

	if (nlmsg_find_attr(cb->nlh, GENL_HDRLEN, IPCCHAN_A_ID)) {
		NL_SET_ERR_MSG(cb->extack, "IPCCHAN_A_ID is for GET without NLM_F_DUMP only");
		return -EINVAL;
	}
	kind = nlmsg_find_attr(cb->nlh, GENL_HDRLEN, IPCCHAN_A_KIND);
	ret = ipcchan_registry_dump(&st->pos, kind ? nla_get_u32(kind) : 0,
				    dump_one, &ctx);
	if (ret && !skb->len) {
		/* One object does not fit an empty part. */
		NL_SET_ERR_MSG(cb->extack, "an object does not fit a dump part");
		return ret;
	}
	return skb->len;
}

static int name_from_attrs(struct genl_info *info, u32 kind,
			   struct ipcchan_key *key)
{
	struct nlattr *attr = info->attrs[IPCCHAN_A_NAME];
	char name[IPCCHAN_NAME_MAX] = {};
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, IPCCHAN_A_NAME)) {
		NL_SET_ERR_MSG(info->extack, "IPCCHAN_A_NAME is required");
		return -EINVAL;
	}
	nla_strscpy(name, attr, sizeof(name));
	ret = ipcchan_key_init(key, kind, name);
	if (ret)
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "a name is 1 to 63 bytes of [A-Za-z0-9._-]");
	return ret;
}

static int key_from_attrs(struct genl_info *info, struct ipcchan_key *key)
{
	if (GENL_REQ_ATTR_CHECK(info, IPCCHAN_A_KIND)) {
		NL_SET_ERR_MSG(info->extack, "IPCCHAN_A_KIND is required");
		return -EINVAL;
	}
	return name_from_attrs(info, nla_get_u32(info->attrs[IPCCHAN_A_KIND]),
			       key);
}

/* IPCCHAN_A_ID names an object for GET only: EINVAL on DEL and SET. */
static int id_refused(struct genl_info *info)
{
	struct nlattr *id = info->attrs[IPCCHAN_A_ID];

	if (!id)
		return 0;
	NL_SET_ERR_MSG_ATTR(info->extack, id,
			    "IPCCHAN_A_ID is for GET only: name the object");
	return -EINVAL;
}

/*
 * The named object of @key, or if @key is NULL the object of @id, if the
 * requesting socket may see it. One it may not see is ENOENT, exactly as
 * one that does not exist: netlink tells no more than an open through
 * /dev/ipcchan does (EACCES there says that a name exists, as open(2) of a
 * file does).
 */
static struct ipcchan_obj *get_visible(struct genl_info *info,
				       const struct file *f,
				       const struct ipcchan_key *key, u64 id)
{
	struct ipcchan_obj *obj;

	if (key)
		obj = ipcchan_registry_get(key);
	else
		obj = ipcchan_registry_get_id(id);

	if (obj && !nl_visible(obj, f)) {
		ipcchan_obj_put(obj);
		obj = NULL;
	}
	if (!obj)
		NL_SET_ERR_MSG(info->extack, "no such object");
	return obj;
}

static int nl_get(struct sk_buff *skb, struct genl_info *info)
{
	const struct file *f = sk_file(NETLINK_CB(skb).sk);
	struct nl_viewer v = {
		.file = f,
		.user_ns = current_user_ns(),
		.pid_ns = task_active_pid_ns(current),
	};
	struct nlattr *id = info->attrs[IPCCHAN_A_ID];
	struct ipcchan_key key;
	struct ipcchan_obj *obj;
	struct sk_buff *msg;
	int ret;

	/* By id (named or not), or by kind and name. */
	if (id) {
		if (info->attrs[IPCCHAN_A_KIND] || info->attrs[IPCCHAN_A_NAME]) {
			NL_SET_ERR_MSG(info->extack,
				       "IPCCHAN_A_ID, or IPCCHAN_A_KIND and IPCCHAN_A_NAME");
			return -EINVAL;
		}
		obj = get_visible(info, f, NULL, nla_get_u64(id));
	} else {
		ret = key_from_attrs(info, &key);
		if (ret)
			return ret;
		obj = get_visible(info, f, &key, 0);
	}
	if (!obj)
		return -ENOENT;

	msg = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg) {
		ret = -ENOMEM;
		goto out_put;
	}
	ret = fill_msg(msg, obj, &v, info->snd_portid, info->snd_seq, 0);
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
	const struct file *f = sk_file(NETLINK_CB(skb).sk);
	struct ipcchan_obj *obj;
	struct ipcchan_key key;
	int ret;

	ret = id_refused(info) ?: key_from_attrs(info, &key);
	if (ret)
		return ret;
	obj = get_visible(info, f, &key, 0);
	if (!obj)
		return -ENOENT;
	ipcchan_obj_put(obj);
	/* The unlink checks the owner again, against the socket's file. */
	ret = ipcchan_registry_unlink(&key, f);
	if (ret == -EPERM) {
		/* Another object may have taken the name meanwhile. */
		obj = get_visible(info, f, &key, 0);
		if (!obj)
			return -ENOENT;
		ipcchan_obj_put(obj);
		NL_SET_ERR_MSG(info->extack,
			       "only the owner or CAP_IPC_OWNER may delete");
	} else if (ret == -ENOENT) {
		NL_SET_ERR_MSG(info->extack, "no such object");
	}
	return ret;
}

/*
 * IPCCHAN_CMD_SET names a channel (see the uapi header): IPCCHAN_A_KIND is
 * not read. The kind's descriptor reads its own limit attributes.
 */
#define SET_KIND	IPCCHAN_KIND_CHANNEL

static int nl_set(struct sk_buff *skb, struct genl_info *info)
{
	const struct file *f = sk_file(NETLINK_CB(skb).sk);
	struct ipcchan_obj *obj;
	struct ipcchan_key key;
	int ret;

	ret = id_refused(info) ?: name_from_attrs(info, SET_KIND, &key);
	if (ret)
		return ret;
	obj = get_visible(info, f, &key, 0);
	if (!obj)
		return -ENOENT;
	if (!nl_may_manage(obj, f)) {
		NL_SET_ERR_MSG(info->extack,
			       "only the owner or CAP_IPC_OWNER may set limits");
		ret = -EPERM;
	} else if (!obj->kind->set) {
		NL_SET_ERR_MSG(info->extack, "this kind has no limits to set");
		ret = -EINVAL;
	} else {
		ret = obj->kind->set(obj, info->attrs, info->extack);
	}
	ipcchan_obj_put(obj);
	return ret;
}

static const struct genl_ops nl_ops[] = {
	{
		.cmd = IPCCHAN_CMD_GET,
		.start = nl_dump_start,
		.doit = nl_get,
		.dumpit = nl_dump,
		.done = nl_dump_done,
	},
	{
		.cmd = IPCCHAN_CMD_DEL,
		.doit = nl_del,
	},
	{
		.cmd = IPCCHAN_CMD_SET,
		.doit = nl_set,
	},
};

static const struct genl_multicast_group nl_mcgrps[] = {
	{
		.name = IPCCHAN_GENL_MCGRP_EVENTS,
#ifndef IPCCHAN_NL_FILTERED
		.flags = GENL_MCAST_CAP_SYS_ADMIN,
#endif
	},
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

#ifdef IPCCHAN_NL_FILTERED
/* Under the netlink table lock: non-zero skips listener @dsk. */
static int event_filter(struct sock *dsk, struct sk_buff *skb, void *data)
{
	return !nl_visible(data, sk_file(dsk));
}
#endif

/*
 * Announces an event of @obj to the events group; the registry calls it
 * (ipcchan_obj_event()) once ipcchan_nl_init() has set it.
 *
 * Process context. Events get their sequence numbers and join the group's
 * queues under one lock, so listeners see them in sequence order. An event
 * that cannot be made still takes its number, so that the listeners see it
 * is missing: a gap is the only way to tell them. A listener that may not
 * see @obj does not get its events, and sees a gap too.
 */
static void nl_event(struct ipcchan_obj *obj, u32 event)
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
	    put_key(skb, obj)) {
		nlmsg_free(skb);
		goto out_unlock;
	}
	genlmsg_end(skb, hdr);
#ifdef IPCCHAN_NL_FILTERED
	genlmsg_multicast_netns_filtered(&nl_family, &init_net, skb, 0, 0,
					 GFP_ATOMIC, event_filter, obj);
#else
	genlmsg_multicast(&nl_family, skb, 0, 0, GFP_ATOMIC);
#endif
out_unlock:
	spin_unlock(&event_lock);
}

int ipcchan_nl_init(void)
{
	int ret = genl_register_family(&nl_family);

	if (!ret) {
		WRITE_ONCE(nl_ready, true);
		ipcchan_registry_set_event(nl_event);
	}
	return ret;
}

void ipcchan_nl_uninit(void)
{
	ipcchan_registry_set_event(NULL);
	WRITE_ONCE(nl_ready, false);
	genl_unregister_family(&nl_family);
}
