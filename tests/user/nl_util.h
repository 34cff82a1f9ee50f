/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers of the netlink tests: the generic netlink family "ipcchan" spoken
 * with libnl-3 and libnl-genl-3 directly, so that the tests do not depend
 * on libipcchan's bindings.
 *
 *	struct nlu n;
 *	ASSERT_EQ(nlu_open(&n), 0);
 *	struct nlu_list l = { 0 };
 *	ASSERT_EQ(nlu_dump(&n, 0, &l), 0);
 *	const struct nlu_obj *o = nlu_find(&l, IPCCHAN_KIND_CHANNEL, name);
 *
 * Requests return 0 or the -errno of the kernel's answer (the error of its
 * NLMSG_ERROR, or of the NLMSG_DONE of a dump); a libnl failure that has
 * no errno (a timeout, a malformed answer) is -EPROTO or -ETIMEDOUT. Every
 * receive is bounded (SO_RCVTIMEO and a poll deadline): a missing or
 * silent family makes a test fail, never hang.
 *
 * Every object or event received is parsed into a struct nlu_obj, with a
 * bit per attribute present, and the first malformation found (an
 * attribute of the wrong length, a name without NUL) in ->bad.
 */
#ifndef IPCCHAN_TEST_NL_UTIL_H
#define IPCCHAN_TEST_NL_UTIL_H

#include "util.h"

#include <sys/klog.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <linux/genetlink.h>

#include <netlink/netlink.h>
#include <netlink/msg.h>
#include <netlink/attr.h>
#include <netlink/socket.h>
#include <netlink/handlers.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/family.h>

#ifndef SOL_NETLINK
#define SOL_NETLINK	270
#endif

/* How long one answer of the kernel may take, TCG included. */
#define NLU_RECV_MS	20000

struct nlu_obj {
	uint8_t cmd;
	uint64_t present;	/* 1ULL << IPCCHAN_A_* of each attribute seen */
	char bad[160];		/* the first malformation, or "" */

	uint64_t id;
	uint32_t kind;
	char name[IPCCHAN_NAME_MAX + 16];
	uint32_t uid, gid, mode, creator_pid, fds;
	uint32_t max_msg_size, max_msgs;
	uint64_t max_bytes;
	uint32_t msgs;
	uint64_t bytes, sent_msgs, sent_bytes, recv_msgs, recv_bytes, rejected;
	uint32_t senders, receivers, blocked_senders, blocked_receivers;
	uint64_t region_size;
	uint32_t mappings;
	uint32_t event;
	uint64_t seq;
};

struct nlu_list {
	struct nlu_obj *v;
	size_t n, cap;
	unsigned int slow_us;	/* pause per object received (dump tests) */
};

struct nlu {
	struct nl_sock *sk;
	int family;
	int grp;		/* the events group, once subscribed */
	/* Results of the request in flight. */
	int err;		/* -errno of the answer */
	int nlerr;		/* the last libnl error code, for diagnostics */
	int done;
	char extack[256];	/* NLMSGERR_ATTR_MSG of the answer */
	struct nlu_list *out;
	/* Events received and not yet taken. */
	struct nlu_list events;
	size_t ev_next;
};

static inline bool nlu_has(const struct nlu_obj *o, int attr)
{
	return o->present & (1ULL << attr);
}

/* Maps a libnl error code to an errno. */
static inline int nlu_nlerr(int e)
{
	if (e >= 0)
		return 0;
	switch (-e) {
	case NLE_AGAIN:
		return -ETIMEDOUT;
	case NLE_NOMEM:
		return -ENOMEM;
	case NLE_OBJ_NOTFOUND:
		return -ENOENT;
	case NLE_PERM:
		return -EPERM;
	case NLE_NOACCESS:
		return -EACCES;
	case NLE_INVAL:
		return -EINVAL;
	case NLE_OPNOTSUPP:
		return -EOPNOTSUPP;
	case NLE_RANGE:
		return -ERANGE;
	default:
		return -EPROTO;
	}
}

static inline void nlu_obj_bad(struct nlu_obj *o, const char *fmt, int attr,
			       int len)
{
	if (!o->bad[0])
		snprintf(o->bad, sizeof(o->bad), fmt, attr, len);
}

/* Parses one ipcchan message (GET answer or EVENT) into @o. */
static inline void nlu_parse(struct nl_msg *msg, struct nlu_obj *o)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct genlmsghdr *gh = nlmsg_data(nlh);
	struct nlattr *a;
	int rem;

	memset(o, 0, sizeof(*o));
	o->cmd = gh->cmd;
	nla_for_each_attr(a, genlmsg_attrdata(gh, 0), genlmsg_attrlen(gh, 0),
			  rem) {
		int t = nla_type(a), len = nla_len(a);
		uint32_t *u32 = NULL;
		uint64_t *u64 = NULL;

		if (t <= 0 || t > IPCCHAN_A_MAX) {
			nlu_obj_bad(o, "unknown attribute %d (len %d)", t, len);
			continue;
		}
		if (o->present & (1ULL << t))
			nlu_obj_bad(o, "attribute %d twice (len %d)", t, len);
		o->present |= 1ULL << t;
		switch (t) {
		case IPCCHAN_A_PAD:
			continue;
		case IPCCHAN_A_NAME:
			if (len < 1 || len > IPCCHAN_NAME_MAX ||
			    ((char *)nla_data(a))[len - 1] != 0 ||
			    strnlen(nla_data(a), len) + 1 != (size_t)len)
				nlu_obj_bad(o, "attribute %d (NAME): bad string "
					    "of len %d", t, len);
			memcpy(o->name, nla_data(a),
			       len < (int)sizeof(o->name) - 1 ?
			       len : (int)sizeof(o->name) - 1);
			continue;
		case IPCCHAN_A_ID: u64 = &o->id; break;
		case IPCCHAN_A_KIND: u32 = &o->kind; break;
		case IPCCHAN_A_UID: u32 = &o->uid; break;
		case IPCCHAN_A_GID: u32 = &o->gid; break;
		case IPCCHAN_A_MODE: u32 = &o->mode; break;
		case IPCCHAN_A_CREATOR_PID: u32 = &o->creator_pid; break;
		case IPCCHAN_A_FDS: u32 = &o->fds; break;
		case IPCCHAN_A_MAX_MSG_SIZE: u32 = &o->max_msg_size; break;
		case IPCCHAN_A_MAX_MSGS: u32 = &o->max_msgs; break;
		case IPCCHAN_A_MAX_BYTES: u64 = &o->max_bytes; break;
		case IPCCHAN_A_MSGS: u32 = &o->msgs; break;
		case IPCCHAN_A_BYTES: u64 = &o->bytes; break;
		case IPCCHAN_A_SENT_MSGS: u64 = &o->sent_msgs; break;
		case IPCCHAN_A_SENT_BYTES: u64 = &o->sent_bytes; break;
		case IPCCHAN_A_RECV_MSGS: u64 = &o->recv_msgs; break;
		case IPCCHAN_A_RECV_BYTES: u64 = &o->recv_bytes; break;
		case IPCCHAN_A_REJECTED: u64 = &o->rejected; break;
		case IPCCHAN_A_SENDERS: u32 = &o->senders; break;
		case IPCCHAN_A_RECEIVERS: u32 = &o->receivers; break;
		case IPCCHAN_A_BLOCKED_SENDERS: u32 = &o->blocked_senders; break;
		case IPCCHAN_A_BLOCKED_RECEIVERS:
			u32 = &o->blocked_receivers;
			break;
		case IPCCHAN_A_REGION_SIZE: u64 = &o->region_size; break;
		case IPCCHAN_A_MAPPINGS: u32 = &o->mappings; break;
		case IPCCHAN_A_EVENT: u32 = &o->event; break;
		case IPCCHAN_A_SEQ: u64 = &o->seq; break;
		}
		if (u32) {
			if (len != 4)
				nlu_obj_bad(o, "attribute %d: u32 of len %d", t,
					    len);
			else
				*u32 = nla_get_u32(a);
		} else if (u64) {
			if (len != 8)
				nlu_obj_bad(o, "attribute %d: u64 of len %d", t,
					    len);
			else
				*u64 = nla_get_u64(a);
		}
	}
}

static inline void nlu_list_add(struct nlu_list *l, const struct nlu_obj *o)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		struct nlu_obj *v = realloc(l->v, cap * sizeof(*v));

		ASSERT_TRUE(v != NULL, "out of memory for %zu objects", cap);
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = *o;
}

static inline void nlu_list_free(struct nlu_list *l)
{
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

/* The object of @kind called @name in @l, NULL if none; *@count: how many. */
static inline const struct nlu_obj *nlu_find_n(const struct nlu_list *l,
					       uint32_t kind, const char *name,
					       int *count)
{
	const struct nlu_obj *found = NULL;
	size_t i;
	int n = 0;

	for (i = 0; i < l->n; i++)
		if (l->v[i].kind == kind && !strcmp(l->v[i].name, name)) {
			if (!found)
				found = &l->v[i];
			n++;
		}
	if (count)
		*count = n;
	return found;
}

static inline const struct nlu_obj *nlu_find(const struct nlu_list *l,
					     uint32_t kind, const char *name)
{
	return nlu_find_n(l, kind, name, NULL);
}

/* ----- callbacks ----- */

static inline int nlu_cb_valid(struct nl_msg *msg, void *arg)
{
	struct nlu *n = arg;
	struct nlu_obj o;

	if (nlmsg_hdr(msg)->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN)
		return NL_SKIP;
	nlu_parse(msg, &o);
	if (n->out) {
		nlu_list_add(n->out, &o);
		if (n->out->slow_us)
			usleep(n->out->slow_us);
	} else if (n->grp) {
		nlu_list_add(&n->events, &o);
	}
	return NL_OK;
}

static inline int nlu_cb_noop(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_OK;
}

/* Takes NLMSGERR_ATTR_MSG from an error or done message with TLVs. */
static inline void nlu_take_extack(struct nlu *n, struct nlmsghdr *nlh,
				   struct nlmsgerr *e)
{
	size_t off = NLMSG_HDRLEN + sizeof(*e);
	struct nlattr *a;
	int rem;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	if (off >= nlh->nlmsg_len)
		return;
	nla_for_each_attr(a, (struct nlattr *)((char *)nlh + off),
			  (int)(nlh->nlmsg_len - off), rem)
		if (nla_type(a) == NLMSGERR_ATTR_MSG && nla_len(a) > 0)
			snprintf(n->extack, sizeof(n->extack), "%.*s",
				 nla_len(a), (char *)nla_data(a));
}

static inline int nlu_cb_error(struct sockaddr_nl *who, struct nlmsgerr *e,
			       void *arg)
{
	struct nlu *n = arg;
	struct nlmsghdr *nlh = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);

	(void)who;
	n->err = e->error;
	n->done = 1;
	nlu_take_extack(n, nlh, e);
	return NL_STOP;
}

static inline int nlu_cb_ack(struct nl_msg *msg, void *arg)
{
	struct nlu *n = arg;

	(void)msg;
	n->done = 1;
	return NL_STOP;
}

static inline int nlu_cb_finish(struct nl_msg *msg, void *arg)
{
	struct nlu *n = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);

	/* A dump that failed says so in its NLMSG_DONE. */
	if (nlh->nlmsg_len >= NLMSG_HDRLEN + sizeof(int)) {
		int err = *(int *)nlmsg_data(nlh);

		if (err < 0)
			n->err = err;
	}
	/* And its extack message, after the error. */
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS &&
	    nlh->nlmsg_len > NLMSG_HDRLEN + sizeof(int)) {
		struct nlattr *a;
		int rem;

		nla_for_each_attr(a, (struct nlattr *)((char *)nlh +
						       NLMSG_HDRLEN + sizeof(int)),
				  (int)(nlh->nlmsg_len - NLMSG_HDRLEN - sizeof(int)),
				  rem)
			if (nla_type(a) == NLMSGERR_ATTR_MSG && nla_len(a) > 0)
				snprintf(n->extack, sizeof(n->extack), "%.*s",
					 nla_len(a), (char *)nla_data(a));
	}
	n->done = 1;
	return NL_STOP;
}

/* Runs nl_recvmsgs() until the request in flight is answered. */
static inline int nlu_wait_answer(struct nlu *n)
{
	int64_t deadline = now_ns() + NLU_RECV_MS * NS_PER_MS;
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);
	int fd = nl_socket_get_fd(n->sk), ret = 0;

	if (!cb)
		return -ENOMEM;
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, nlu_cb_valid, n);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, nlu_cb_ack, n);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, nlu_cb_finish, n);
	nl_cb_err(cb, NL_CB_CUSTOM, nlu_cb_error, n);
	while (!n->done) {
		int64_t left = deadline - now_ns();
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int r;

		if (left <= 0) {
			ret = -ETIMEDOUT;
			break;
		}
		r = poll(&p, 1, (int)(left / NS_PER_MS) + 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			ret = r < 0 ? -errno : -ETIMEDOUT;
			break;
		}
		r = nl_recvmsgs(n->sk, cb);
		if (r < 0 && !n->done) {
			n->nlerr = r;
			TH_LOG("nl_recvmsgs: %s", nl_geterror(r));
			ret = nlu_nlerr(r);
			break;
		}
	}
	nl_cb_put(cb);
	if (ret)
		return ret;
	return n->err;
}

/* ----- sockets ----- */

static inline void nlu_setsockopt_int(struct nlu *n, int level, int opt,
				      int v)
{
	setsockopt(nl_socket_get_fd(n->sk), level, opt, &v, sizeof(v));
}

/*
 * Opens a generic netlink socket and resolves the family. Returns 0, or
 * -ENOENT when there is no family "ipcchan", or another -errno.
 */
static inline int nlu_open(struct nlu *n)
{
	struct timeval tv = { NLU_RECV_MS / 1000, 0 };
	int ret;

	memset(n, 0, sizeof(*n));
	n->sk = nl_socket_alloc();
	if (!n->sk)
		return -ENOMEM;
	ret = genl_connect(n->sk);
	if (ret < 0)
		goto fail;
	setsockopt(nl_socket_get_fd(n->sk), SOL_SOCKET, SO_RCVTIMEO, &tv,
		   sizeof(tv));
	nlu_setsockopt_int(n, SOL_NETLINK, NETLINK_EXT_ACK, 1);
	nlu_setsockopt_int(n, SOL_NETLINK, NETLINK_CAP_ACK, 1);
	nl_socket_enable_msg_peek(n->sk);
	nl_socket_set_buffer_size(n->sk, 1 << 20, 0);
	ret = genl_ctrl_resolve(n->sk, IPCCHAN_GENL_NAME);
	if (ret < 0)
		goto fail;
	n->family = ret;
	return 0;
fail:
	nl_socket_free(n->sk);
	n->sk = NULL;
	return nlu_nlerr(ret);
}

static inline void nlu_close(struct nlu *n)
{
	if (n->sk)
		nl_socket_free(n->sk);
	nlu_list_free(&n->events);
	n->sk = NULL;
}

/* A new request of the family: command @cmd, netlink @flags. */
static inline struct nl_msg *nlu_msg(struct nlu *n, uint8_t cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	ASSERT_TRUE(msg != NULL);
	ASSERT_TRUE(genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, n->family, 0,
				flags, cmd, IPCCHAN_GENL_VERSION) != NULL);
	return msg;
}

/*
 * Sends @msg (and frees it), then collects the answer: objects into @out
 * (may be NULL). Returns 0 or -errno.
 */
static inline int nlu_xfer(struct nlu *n, struct nl_msg *msg,
			   struct nlu_list *out)
{
	int ret;

	n->err = 0;
	n->done = 0;
	n->extack[0] = 0;
	n->out = out;
	ret = nl_send_auto(n->sk, msg);
	nlmsg_free(msg);
	if (ret < 0) {
		n->out = NULL;
		return nlu_nlerr(ret);
	}
	ret = nlu_wait_answer(n);
	n->out = NULL;
	return ret;
}

static inline void nlu_put_name(struct nl_msg *msg, const char *name)
{
	ASSERT_EQ(nla_put_string(msg, IPCCHAN_A_NAME, name), 0);
}

/* Dump of every object (@kind 0) or of one kind, appended to @out. */
static inline int nlu_dump(struct nlu *n, uint32_t kind, struct nlu_list *out)
{
	struct nl_msg *msg = nlu_msg(n, IPCCHAN_CMD_GET, NLM_F_DUMP);

	if (kind)
		ASSERT_EQ(nla_put_u32(msg, IPCCHAN_A_KIND, kind), 0);
	return nlu_xfer(n, msg, out);
}

/* GET of one object into @o. */
static inline int nlu_get(struct nlu *n, uint32_t kind, const char *name,
			  struct nlu_obj *o)
{
	struct nl_msg *msg = nlu_msg(n, IPCCHAN_CMD_GET, 0);
	struct nlu_list l = { 0 };
	int ret;

	ASSERT_EQ(nla_put_u32(msg, IPCCHAN_A_KIND, kind), 0);
	nlu_put_name(msg, name);
	ret = nlu_xfer(n, msg, &l);
	if (!ret) {
		ASSERT_EQ(l.n, 1, "GET %s: one answer", name);
		*o = l.v[0];
	}
	nlu_list_free(&l);
	return ret;
}

static inline int nlu_del(struct nlu *n, uint32_t kind, const char *name)
{
	struct nl_msg *msg = nlu_msg(n, IPCCHAN_CMD_DEL, 0);

	ASSERT_EQ(nla_put_u32(msg, IPCCHAN_A_KIND, kind), 0);
	nlu_put_name(msg, name);
	return nlu_xfer(n, msg, NULL);
}

/* SET of channel @name: each limit that is not negative. */
static inline int nlu_set(struct nlu *n, const char *name, int64_t msg_size,
			  int64_t msgs, int64_t bytes)
{
	struct nl_msg *msg = nlu_msg(n, IPCCHAN_CMD_SET, 0);

	nlu_put_name(msg, name);
	if (msg_size >= 0)
		ASSERT_EQ(nla_put_u32(msg, IPCCHAN_A_MAX_MSG_SIZE,
				      (uint32_t)msg_size), 0);
	if (msgs >= 0)
		ASSERT_EQ(nla_put_u32(msg, IPCCHAN_A_MAX_MSGS, (uint32_t)msgs),
			  0);
	if (bytes >= 0)
		ASSERT_EQ(nla_put_u64(msg, IPCCHAN_A_MAX_BYTES, (uint64_t)bytes),
			  0);
	return nlu_xfer(n, msg, NULL);
}

/* ----- events ----- */

/* Subscribes an open socket to the events group: 0 or -errno. */
static inline int nlu_subscribe(struct nlu *n)
{
	int ret = genl_ctrl_resolve_grp(n->sk, IPCCHAN_GENL_NAME,
					IPCCHAN_GENL_MCGRP_EVENTS);

	if (ret < 0)
		return nlu_nlerr(ret);
	n->grp = ret;
	ret = nl_socket_add_membership(n->sk, n->grp);
	if (ret < 0)
		return nlu_nlerr(ret);
	nl_socket_disable_seq_check(n->sk);
	return 0;
}

/*
 * The next event, waiting at most @timeout_ms: 0, -ETIMEDOUT, or -errno
 * (-ENOBUFS: the socket overflowed and events were lost).
 */
static inline int nlu_event_next(struct nlu *n, struct nlu_obj *ev,
				 int timeout_ms)
{
	int64_t deadline = now_ns() + (int64_t)timeout_ms * NS_PER_MS;
	int fd = nl_socket_get_fd(n->sk);
	struct nl_cb *cb;
	int ret = 0;

	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb)
		return -ENOMEM;
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, nlu_cb_valid, n);
	/* Events carry sequence number 0: no check (a new cb has it on). */
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, nlu_cb_noop, NULL);
	n->out = NULL;
	while (n->ev_next >= n->events.n) {
		int64_t left = deadline - now_ns();
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int r;

		if (left <= 0) {
			ret = -ETIMEDOUT;
			break;
		}
		r = poll(&p, 1, (int)(left / NS_PER_MS) + 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			ret = r < 0 ? -errno : -ETIMEDOUT;
			break;
		}
		r = nl_recvmsgs(n->sk, cb);
		if (r < 0) {
			n->nlerr = r;
			TH_LOG("nl_recvmsgs: %s", nl_geterror(r));
			ret = r == -NLE_NOMEM ? -ENOBUFS : nlu_nlerr(r);
			break;
		}
	}
	nl_cb_put(cb);
	if (ret)
		return ret;
	*ev = n->events.v[n->ev_next++];
	return 0;
}

/* ----- kernel log ----- */

/* Writes a marker line to the kernel log. */
static inline void klog_mark(const char *mark)
{
	int fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);

	if (fd >= 0) {
		ssize_t r = write(fd, mark, strlen(mark));

		(void)r;
		close(fd);
	}
}

/*
 * Looks in the kernel log, after the last line holding @mark, for a report
 * of a kernel bug (harness_kernel_complaint(): the patterns of the VM's
 * check); copies the first such line to @line. Returns 1 if one is found,
 * 0 if none, -1 if the log or the marker cannot be read.
 */
static inline int klog_bad_since(const char *mark, char *line, size_t len)
{
	int size = klogctl(10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0);
	char *buf, *p, *end;
	int found = 0, n;

	if (size <= 0)
		return -1;
	buf = malloc(size + 1);
	if (!buf)
		return -1;
	n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, buf, size);
	if (n <= 0) {
		free(buf);
		return -1;
	}
	buf[n] = 0;
	p = strstr(buf, mark);
	while (p && (end = strstr(p + 1, mark)))
		p = end;
	if (!p) {
		free(buf);
		return -1;
	}
	while ((p = strchr(p, '\n')) && !found) {
		p++;
		end = strchr(p, '\n');
		if (end)
			*end = 0;
		if (harness_kernel_complaint(p)) {
			snprintf(line, len, "%s", p);
			found = 1;
		}
		if (!end)
			break;
		*end = '\n';
	}
	free(buf);
	return found;
}

/* ----- the helpers, as the tests call them ----- */

/* Opens the family, asserting it is there. */
static inline void u_nl_open(struct nlu *n)
{
	int ret = nlu_open(n);

	ASSERT_EQ(ret, 0, "cannot resolve the generic netlink family \"%s\"",
		  IPCCHAN_GENL_NAME);
}

/* Dumps (@kind 0: everything) into @l, asserting it works. */
static inline void u_nl_dump(struct nlu *n, uint32_t kind, struct nlu_list *l)
{
	int ret = nlu_dump(n, kind, l);

	ASSERT_EQ(ret, 0, "dump failed (extack \"%s\")", n->extack);
}

/*
 * The object of @kind called @name in @l, asserting that it is there
 * exactly once and well formed.
 */
static inline const struct nlu_obj *u_nl_find(const struct nlu_list *l,
					      uint32_t kind, const char *name)
{
	int count;
	const struct nlu_obj *o = nlu_find_n(l, kind, name, &count);

	ASSERT_EQ(count, 1, "%s (kind %u) in a dump of %zu objects", name,
		  kind, l->n);
	ASSERT_STREQ(o->bad, "", "object %s", name);
	return o;
}

/* GET, asserting it works and the answer is well formed. */
static inline void u_nl_get(struct nlu *n, uint32_t kind, const char *name,
			    struct nlu_obj *o)
{
	int ret = nlu_get(n, kind, name, o);

	ASSERT_EQ(ret, 0, "GET kind %u %s (extack \"%s\")", kind, name,
		  n->extack);
	ASSERT_STREQ(o->bad, "", "GET %s", name);
	ASSERT_EQ(o->cmd, IPCCHAN_CMD_GET);
	ASSERT_EQ(o->kind, kind);
	ASSERT_STREQ(o->name, name);
}

#define nl_open(...)	(HARNESS_AT(), u_nl_open(__VA_ARGS__))
#define nl_dump(...)	(HARNESS_AT(), u_nl_dump(__VA_ARGS__))
#define nl_find(...)	(HARNESS_AT(), u_nl_find(__VA_ARGS__))
#define nl_get(...)	(HARNESS_AT(), u_nl_get(__VA_ARGS__))

#endif /* IPCCHAN_TEST_NL_UTIL_H */
