// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The generic netlink family "ipcchan" through libnl: list (a dump), get,
 * delete and set limits. Each call runs on a socket of its own, so the calls
 * are safe from any thread.
 *
 * libnl reports a kernel error as an NLE_* code, and that mapping is lossy
 * (EPERM and EACCES both become NLE_PERM, for one): the error callback keeps
 * the kernel's errno from struct nlmsgerr instead.
 */
#include <stdlib.h>
#include <string.h>
#include <netlink/genl/ctrl.h>

#include "nl.h"

const struct nla_policy ipcnl_policy[IPCCHAN_A_MAX + 1] = {
	[IPCCHAN_A_ID]			= { .type = NLA_U64 },
	[IPCCHAN_A_KIND]		= { .type = NLA_U32 },
	[IPCCHAN_A_NAME]		= { .type = NLA_STRING,
					    .maxlen = IPCCHAN_NAME_MAX },
	[IPCCHAN_A_UID]			= { .type = NLA_U32 },
	[IPCCHAN_A_GID]			= { .type = NLA_U32 },
	[IPCCHAN_A_MODE]		= { .type = NLA_U32 },
	[IPCCHAN_A_CREATOR_PID]		= { .type = NLA_U32 },
	[IPCCHAN_A_FDS]			= { .type = NLA_U32 },
	[IPCCHAN_A_MAX_MSG_SIZE]	= { .type = NLA_U32 },
	[IPCCHAN_A_MAX_MSGS]		= { .type = NLA_U32 },
	[IPCCHAN_A_MAX_BYTES]		= { .type = NLA_U64 },
	[IPCCHAN_A_MSGS]		= { .type = NLA_U32 },
	[IPCCHAN_A_BYTES]		= { .type = NLA_U64 },
	[IPCCHAN_A_SENT_MSGS]		= { .type = NLA_U64 },
	[IPCCHAN_A_SENT_BYTES]		= { .type = NLA_U64 },
	[IPCCHAN_A_RECV_MSGS]		= { .type = NLA_U64 },
	[IPCCHAN_A_RECV_BYTES]		= { .type = NLA_U64 },
	[IPCCHAN_A_REJECTED]		= { .type = NLA_U64 },
	[IPCCHAN_A_SENDERS]		= { .type = NLA_U32 },
	[IPCCHAN_A_RECEIVERS]		= { .type = NLA_U32 },
	[IPCCHAN_A_BLOCKED_SENDERS]	= { .type = NLA_U32 },
	[IPCCHAN_A_BLOCKED_RECEIVERS]	= { .type = NLA_U32 },
	[IPCCHAN_A_REGION_SIZE]		= { .type = NLA_U64 },
	[IPCCHAN_A_MAPPINGS]		= { .type = NLA_U32 },
	[IPCCHAN_A_EVENT]		= { .type = NLA_U32 },
	[IPCCHAN_A_SEQ]			= { .type = NLA_U64 },
	[IPCCHAN_A_CHAN_FLAGS]		= { .type = NLA_U32 },
	[IPCCHAN_A_PEER_ID]		= { .type = NLA_U64 },
};

static const int nle_errno[] = {
	[NLE_FAILURE]		= EIO,
	[NLE_INTR]		= EINTR,
	[NLE_BAD_SOCK]		= EBADF,
	[NLE_AGAIN]		= EAGAIN,
	[NLE_NOMEM]		= ENOMEM,
	[NLE_EXIST]		= EEXIST,
	[NLE_INVAL]		= EINVAL,
	[NLE_RANGE]		= ERANGE,
	[NLE_MSGSIZE]		= EMSGSIZE,
	[NLE_OPNOTSUPP]		= EOPNOTSUPP,
	[NLE_AF_NOSUPPORT]	= EAFNOSUPPORT,
	[NLE_OBJ_NOTFOUND]	= ENOENT,
	[NLE_NOATTR]		= EPROTO,
	[NLE_MISSING_ATTR]	= EPROTO,
	[NLE_AF_MISMATCH]	= EPROTO,
	[NLE_SEQ_MISMATCH]	= EPROTO,
	[NLE_MSG_OVERFLOW]	= EOVERFLOW,
	[NLE_MSG_TRUNC]		= EMSGSIZE,
	[NLE_NOADDR]		= EADDRNOTAVAIL,
	[NLE_SRCRT_NOSUPPORT]	= EOPNOTSUPP,
	[NLE_MSG_TOOSHORT]	= EPROTO,
	[NLE_MSGTYPE_NOSUPPORT]	= EPROTO,
	[NLE_OBJ_MISMATCH]	= EINVAL,
	[NLE_NOCACHE]		= ENOENT,
	[NLE_BUSY]		= EBUSY,
	[NLE_PROTO_MISMATCH]	= EPROTONOSUPPORT,
	[NLE_NOACCESS]		= EACCES,
	[NLE_PERM]		= EPERM,
	[NLE_PKTLOC_FILE]	= ENOENT,
	[NLE_PARSE_ERR]		= EPROTO,
	[NLE_NODEV]		= ENODEV,
	[NLE_IMMUTABLE]		= EPERM,
	[NLE_DUMP_INTR]		= EINTR,
	[NLE_ATTRSIZE]		= ERANGE,
};

int ipcnl_errno(int nlerr)
{
	unsigned int e = nlerr < 0 ? -nlerr : nlerr;

	if (!e)
		return 0;
	if (e < sizeof(nle_errno) / sizeof(nle_errno[0]) && nle_errno[e])
		return -nle_errno[e];
	return -EIO;
}

int ipcnl_parse(struct nlmsghdr *nlh, int family, struct nlattr **tb)
{
	struct genlmsghdr *ghdr;

	if (nlh->nlmsg_type != family || !genlmsg_valid_hdr(nlh, 0))
		return -EPROTO;
	ghdr = genlmsg_hdr(nlh);
	if (nla_parse(tb, IPCCHAN_A_MAX, genlmsg_attrdata(ghdr, 0),
		      genlmsg_attrlen(ghdr, 0), ipcnl_policy) < 0)
		return -EPROTO;
	return 0;
}

void ipcnl_copy_name(char dst[IPCCHAN_NAME_MAX], const struct nlattr *a)
{
	size_t len = 0;

	if (a)
		len = strnlen(nla_data(a), nla_len(a));
	if (len >= IPCCHAN_NAME_MAX)
		len = IPCCHAN_NAME_MAX - 1;
	memset(dst, 0, IPCCHAN_NAME_MAX);
	if (len)
		memcpy(dst, nla_data(a), len);
}

/* Opens a socket and resolves the family: -ENOENT if it is not there. */
static int ipcnl_open(struct ipcnl *s)
{
	int ret;

	memset(s, 0, sizeof(*s));
	s->sk = nl_socket_alloc();
	if (!s->sk)
		return -ENOMEM;
	ret = genl_connect(s->sk);
	if (ret < 0)
		goto err_free;
	ret = genl_ctrl_resolve(s->sk, IPCCHAN_GENL_NAME);
	if (ret < 0)
		goto err_free;
	s->family = ret;
	/* A dump part can exceed libnl's default buffer: size it per read. */
	nl_socket_enable_msg_peek(s->sk);
	return 0;

err_free:
	nl_socket_free(s->sk);
	s->sk = NULL;
	return ipcnl_errno(ret);
}

static void ipcnl_close(struct ipcnl *s)
{
	nl_socket_free(s->sk);
	s->sk = NULL;
}

static int valid_cb(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[IPCCHAN_A_MAX + 1];
	struct ipcnl *s = arg;
	int ret;

	ret = ipcnl_parse(nlmsg_hdr(msg), s->family, tb);
	if (!ret && s->parse)
		ret = s->parse(tb, s->arg);
	if (ret) {
		s->err = ret;
		s->done = true;
		return NL_STOP;
	}
	return NL_OK;
}

/* The end of a dump; its payload is the dump's error, if any. */
static int finish_cb(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct ipcnl *s = arg;
	int err;

	if (nlmsg_datalen(nlh) >= (int)sizeof(err)) {
		memcpy(&err, nlmsg_data(nlh), sizeof(err));
		if (err < 0)
			s->err = err;
	}
	s->done = true;
	return NL_STOP;
}

static int ack_cb(struct nl_msg *msg, void *arg)
{
	struct ipcnl *s = arg;

	(void)msg;
	s->done = true;
	return NL_STOP;
}

static int error_cb(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct ipcnl *s = arg;

	(void)nla;
	s->err = e->error < 0 ? e->error : -e->error;
	s->done = true;
	return NL_STOP;
}

/*
 * Sends @msg (and frees it), then reads the reply until its ACK, its error
 * or the end of the dump, handing each message to s->parse.
 */
static int ipcnl_request(struct ipcnl *s, struct nl_msg *msg)
{
	int ret;

	nl_socket_modify_cb(s->sk, NL_CB_VALID, NL_CB_CUSTOM, valid_cb, s);
	nl_socket_modify_cb(s->sk, NL_CB_FINISH, NL_CB_CUSTOM, finish_cb, s);
	nl_socket_modify_cb(s->sk, NL_CB_ACK, NL_CB_CUSTOM, ack_cb, s);
	nl_socket_modify_err_cb(s->sk, NL_CB_CUSTOM, error_cb, s);
	ret = nl_send_auto(s->sk, msg);
	nlmsg_free(msg);
	if (ret < 0)
		return ipcnl_errno(ret);
	while (!s->done) {
		ret = nl_recvmsgs_default(s->sk);
		if (s->err)
			return s->err;
		if (ret < 0)
			return ipcnl_errno(ret);
	}
	return s->err;
}

/* A new request of @cmd for the family, or NULL (out of memory). */
static struct nl_msg *ipcnl_msg(struct ipcnl *s, int flags, uint8_t cmd)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, s->family, 0, flags,
			 cmd, IPCCHAN_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static int check_name(const char *name)
{
	if (!name)
		return -EFAULT;
	if (strnlen(name, IPCCHAN_NAME_MAX) == IPCCHAN_NAME_MAX)
		return -ENAMETOOLONG;
	return 0;
}

/* Adds IPCCHAN_A_KIND, and IPCCHAN_A_NAME unless @name is NULL. */
static int put_key(struct nl_msg *msg, unsigned int kind, const char *name)
{
	if (kind && nla_put_u32(msg, IPCCHAN_A_KIND, kind) < 0)
		return -EMSGSIZE;
	if (name && nla_put_string(msg, IPCCHAN_A_NAME, name) < 0)
		return -EMSGSIZE;
	return 0;
}

static int parse_object(struct nlattr **tb, struct ipcchan_object *obj)
{
	unsigned int attr;
	int ret;

	if (!tb[IPCCHAN_A_ID] || !tb[IPCCHAN_A_KIND] || !tb[IPCCHAN_A_NAME])
		return -EPROTO;
	memset(obj, 0, sizeof(*obj));
	for (attr = 1; attr <= IPCCHAN_A_MAX; attr++) {
		if (!tb[attr])
			continue;
		ret = object_set_attr(obj, attr, nla_data(tb[attr]),
				      nla_len(tb[attr]));
		if (ret)
			return ret;
	}
	return 0;
}

int ipcchan_nl_probe(void)
{
	struct ipcnl s;
	int ret;

	ret = ipcnl_open(&s);
	if (ret)
		return ret;
	ipcnl_close(&s);
	return 0;
}

struct ipcchan_objlist {
	struct ipcchan_object *objs;
	size_t count;
	size_t cap;
};

static int list_add(struct nlattr **tb, void *arg)
{
	struct ipcchan_objlist *l = arg;

	if (l->count == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 64;
		struct ipcchan_object *objs;

		objs = reallocarray(l->objs, cap, sizeof(*objs));
		if (!objs)
			return -ENOMEM;
		l->objs = objs;
		l->cap = cap;
	}
	if (parse_object(tb, &l->objs[l->count]))
		return -EPROTO;
	l->count++;
	return 0;
}

int ipcchan_nl_dump(unsigned int kind, struct ipcchan_objlist **list)
{
	struct ipcchan_objlist *l;
	struct nl_msg *msg;
	struct ipcnl s;
	int ret;

	if (!list)
		return -EFAULT;
	*list = NULL;
	l = calloc(1, sizeof(*l));
	if (!l)
		return -ENOMEM;
	ret = ipcnl_open(&s);
	if (ret)
		goto out_free;
	ret = -ENOMEM;
	msg = ipcnl_msg(&s, NLM_F_DUMP, IPCCHAN_CMD_GET);
	if (!msg)
		goto out_close;
	ret = put_key(msg, kind, NULL);
	if (ret) {
		nlmsg_free(msg);
		goto out_close;
	}
	s.parse = list_add;
	s.arg = l;
	ret = ipcnl_request(&s, msg);
out_close:
	ipcnl_close(&s);
out_free:
	if (ret)
		ipcchan_objlist_free(l);
	else
		*list = l;
	return ret;
}

size_t ipcchan_objlist_count(const struct ipcchan_objlist *list)
{
	return list ? list->count : 0;
}

const struct ipcchan_object *
ipcchan_objlist_get(const struct ipcchan_objlist *list, size_t i)
{
	if (!list || i >= list->count)
		return NULL;
	return &list->objs[i];
}

void ipcchan_objlist_free(struct ipcchan_objlist *list)
{
	if (!list)
		return;
	free(list->objs);
	free(list);
}

struct get_ctx {
	struct ipcchan_object *obj;
	bool found;
};

static int get_one(struct nlattr **tb, void *arg)
{
	struct get_ctx *ctx = arg;

	if (ctx->found)
		return -EPROTO;
	ctx->found = true;
	return parse_object(tb, ctx->obj);
}

/*
 * Sends @cmd about the object @kind/@name, or with @kind 0 about the object
 * of id @id; @parse takes the replies.
 */
static int object_cmd(uint8_t cmd, unsigned int kind, const char *name,
		      uint64_t id, int (*parse)(struct nlattr **, void *),
		      void *arg)
{
	struct nl_msg *msg;
	struct ipcnl s;
	int ret;

	if (kind) {
		ret = check_name(name);
		if (ret)
			return ret;
	}
	ret = ipcnl_open(&s);
	if (ret)
		return ret;
	ret = -ENOMEM;
	msg = ipcnl_msg(&s, 0, cmd);
	if (!msg)
		goto out_close;
	if (kind)
		ret = put_key(msg, kind, name);
	else
		ret = nla_put_u64(msg, IPCCHAN_A_ID, id) < 0 ? -EMSGSIZE : 0;
	if (ret) {
		nlmsg_free(msg);
		goto out_close;
	}
	s.parse = parse;
	s.arg = arg;
	ret = ipcnl_request(&s, msg);
out_close:
	ipcnl_close(&s);
	return ret;
}

int ipcchan_nl_get(unsigned int kind, const char *name,
		   struct ipcchan_object *obj)
{
	struct get_ctx ctx = { .obj = obj };
	int ret;

	if (!obj)
		return -EFAULT;
	if (!kind)
		return -EINVAL;
	ret = object_cmd(IPCCHAN_CMD_GET, kind, name, 0, get_one, &ctx);
	if (!ret && !ctx.found)
		ret = -EPROTO;
	return ret;
}

int ipcchan_nl_get_id(uint64_t id, struct ipcchan_object *obj)
{
	struct get_ctx ctx = { .obj = obj };
	int ret;

	if (!obj)
		return -EFAULT;
	ret = object_cmd(IPCCHAN_CMD_GET, 0, NULL, id, get_one, &ctx);
	if (!ret && !ctx.found)
		ret = -EPROTO;
	return ret;
}

int ipcchan_nl_delete(unsigned int kind, const char *name)
{
	if (!kind)
		return -EINVAL;
	return object_cmd(IPCCHAN_CMD_DEL, kind, name, 0, NULL, NULL);
}

int ipcchan_nl_set_limits(const char *name, uint32_t max_msg_size,
			  uint32_t max_msgs, uint64_t max_bytes)
{
	struct nl_msg *msg;
	struct ipcnl s;
	int ret;

	ret = check_name(name);
	if (ret)
		return ret;
	if (!max_msg_size && !max_msgs && !max_bytes)
		return 0;
	ret = ipcnl_open(&s);
	if (ret)
		return ret;
	ret = -ENOMEM;
	msg = ipcnl_msg(&s, 0, IPCCHAN_CMD_SET);
	if (!msg)
		goto out_close;
	ret = -EMSGSIZE;
	if (put_key(msg, 0, name) ||
	    (max_msg_size &&
	     nla_put_u32(msg, IPCCHAN_A_MAX_MSG_SIZE, max_msg_size) < 0) ||
	    (max_msgs && nla_put_u32(msg, IPCCHAN_A_MAX_MSGS, max_msgs) < 0) ||
	    (max_bytes && nla_put_u64(msg, IPCCHAN_A_MAX_BYTES, max_bytes) < 0)) {
		nlmsg_free(msg);
		goto out_close;
	}
	ret = ipcnl_request(&s, msg);
out_close:
	ipcnl_close(&s);
	return ret;
}
