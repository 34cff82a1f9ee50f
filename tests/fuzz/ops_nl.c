// SPDX-License-Identifier: GPL-2.0
/*
 * ipcchan-fuzz: the generic netlink ops, over a raw NETLINK_GENERIC socket
 * (no libnl, so that every byte of a request can be wrong): GET as a dump
 * and as a do, DEL, SET, requests with truncated, oversized, mistyped,
 * unknown or garbage attributes and headers, dumps abandoned halfway, and
 * a socket subscribed to the events group whose sequence numbers must
 * follow each other (one gap for each ENOBUFS the socket reported: the
 * socket reports ENOBUFS before the events queued ahead of the loss, and
 * drops every event until its queue is empty, so each loss is one gap; the
 * fuzzer runs as root, whose CAP_IPC_OWNER sees every object, so no event
 * is filtered out). A socket runs one dump at a time: a dump request while
 * an abandoned one has not reached its NLMSG_DONE may get EBUSY.
 *
 * Every reply is parsed: its attributes must be well formed, and a
 * channel's counters must agree (queued = sent - received; nothing queued
 * on an unnamed channel that has no receiver left, which dropped the rest).
 */
#include "fuzz.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <sys/socket.h>

#define NL_BUF		32768

static uint32_t nl_seq = 1;
static char nl_rx[NL_BUF];

struct nl_req {
	struct nlmsghdr n;
	struct genlmsghdr g;
	char attrs[1024];
};

static char *put_attr(char *p, uint16_t type, const void *data, uint16_t len)
{
	struct nlattr *a = (struct nlattr *)p;

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memcpy(p + NLA_HDRLEN, data, len);
	memset(p + NLA_HDRLEN + len, 0, NLA_ALIGN(len) - len);
	return p + NLA_ALIGN(a->nla_len);
}

static int nl_socket(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);

	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Resolves the family and the events group with CTRL_CMD_GETFAMILY. */
static bool nl_resolve(int fd)
{
	struct nl_req r = {};
	char *p = put_attr(r.attrs, CTRL_ATTR_FAMILY_NAME, IPCCHAN_GENL_NAME,
			   sizeof(IPCCHAN_GENL_NAME));
	struct nlmsghdr *n = (struct nlmsghdr *)nl_rx;
	struct nlattr *a, *g, *ga;
	ssize_t len;
	int rem, grem, garem;

	r.n.nlmsg_len = p - (char *)&r;
	r.n.nlmsg_type = GENL_ID_CTRL;
	r.n.nlmsg_flags = NLM_F_REQUEST;
	r.n.nlmsg_seq = nl_seq++;
	r.g.cmd = CTRL_CMD_GETFAMILY;
	r.g.version = 1;
	if (send(fd, &r, r.n.nlmsg_len, 0) < 0)
		return false;
	len = recv(fd, nl_rx, sizeof(nl_rx), 0);
	if (len < (ssize_t)NLMSG_HDRLEN || !NLMSG_OK(n, len) ||
	    n->nlmsg_type != GENL_ID_CTRL)
		return false;
	a = (struct nlattr *)((char *)NLMSG_DATA(n) + GENL_HDRLEN);
	rem = n->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	for (; rem >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= rem;
	     rem -= NLA_ALIGN(a->nla_len),
	     a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len))) {
		if ((a->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_FAMILY_ID)
			memcpy(&fz.nl_family, (char *)a + NLA_HDRLEN, 2);
		if ((a->nla_type & NLA_TYPE_MASK) != CTRL_ATTR_MCAST_GROUPS)
			continue;
		g = (struct nlattr *)((char *)a + NLA_HDRLEN);
		grem = a->nla_len - NLA_HDRLEN;
		for (; grem >= NLA_HDRLEN && g->nla_len >= NLA_HDRLEN &&
		       g->nla_len <= grem;
		     grem -= NLA_ALIGN(g->nla_len),
		     g = (struct nlattr *)((char *)g + NLA_ALIGN(g->nla_len))) {
			uint32_t id = 0;
			bool events = false;

			ga = (struct nlattr *)((char *)g + NLA_HDRLEN);
			garem = g->nla_len - NLA_HDRLEN;
			for (; garem >= NLA_HDRLEN && ga->nla_len >= NLA_HDRLEN &&
			       ga->nla_len <= garem;
			     garem -= NLA_ALIGN(ga->nla_len),
			     ga = (struct nlattr *)((char *)ga + NLA_ALIGN(ga->nla_len))) {
				if (ga->nla_type == CTRL_ATTR_MCAST_GRP_ID)
					memcpy(&id, (char *)ga + NLA_HDRLEN, 4);
				if (ga->nla_type == CTRL_ATTR_MCAST_GRP_NAME &&
				    !strcmp((char *)ga + NLA_HDRLEN,
					    IPCCHAN_GENL_MCGRP_EVENTS))
					events = true;
			}
			if (events)
				fz.nl_group = id;
		}
	}
	return fz.nl_family != 0;
}

/* The request socket, made and resolved on first use; -1 if none. */
static int nl_get_sock(void)
{
	if (fz.nl_sock >= 0)
		return fz.nl_sock;
	fz.nl_sock = nl_socket();
	fz.nl_dump_left = 0;
	if (fz.nl_sock < 0)
		return -1;
	if (!fz.nl_family && !nl_resolve(fz.nl_sock)) {
		fz_finding("CTRL_CMD_GETFAMILY found no family %s",
			   IPCCHAN_GENL_NAME);
		close(fz.nl_sock);
		fz.nl_sock = -1;
		return -1;
	}
	return fz.nl_sock;
}

static bool our_name(const char *name)
{
	/* fzs: op_sync_check's channel, between its creation and unlink. */
	return !strncmp(name, "fzp", 3) || !strncmp(name, "fzq", 3) ||
	       !strncmp(name, "fzs", 3);
}

static const char *name_ok(const char *s, uint16_t len)
{
	uint16_t i;

	if (len == 0 || len > IPCCHAN_NAME_MAX || s[len - 1])
		return "not a NUL-terminated name";
	for (i = 0; i + 1 < len; i++)
		if (!s[i] || !strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-", s[i]))
			return "a byte outside the name set";
	return NULL;
}

/*
 * An object carries exactly the members that the library's table of kinds
 * gives its kind: each one, and none of another kind.
 */
static void check_members(uint32_t kind, const char *name, const bool *has)
{
	unsigned int t;

	for (t = 1; t <= IPCCHAN_A_MAX; t++) {
		if (!ipcchan_attr_name(t) ||
		    has[t] == !!ipcchan_kind_has_attr(kind, t))
			continue;
		fz_finding("netlink: %s %s %s attribute %s",
			   ipcchan_kind_name(kind), name,
			   has[t] ? "has the" : "lacks its",
			   ipcchan_attr_name(t));
	}
}

/* The counters of a channel agree. */
static void check_channel(const char *name, const uint64_t *v)
{
	/*
	 * An unnamed channel with no receiver left has dropped its queue:
	 * what was sent and not received is gone.
	 */
	bool dropped = !name[0] && !v[IPCCHAN_A_RECEIVERS];
	bool counted = dropped ?
		!v[IPCCHAN_A_MSGS] && !v[IPCCHAN_A_BYTES] &&
		v[IPCCHAN_A_RECV_MSGS] <= v[IPCCHAN_A_SENT_MSGS] &&
		v[IPCCHAN_A_RECV_BYTES] <= v[IPCCHAN_A_SENT_BYTES] :
		v[IPCCHAN_A_MSGS] + v[IPCCHAN_A_RECV_MSGS] ==
		v[IPCCHAN_A_SENT_MSGS] &&
		v[IPCCHAN_A_BYTES] + v[IPCCHAN_A_RECV_BYTES] ==
		v[IPCCHAN_A_SENT_BYTES];

	if (!counted ||
	    v[IPCCHAN_A_MAX_MSG_SIZE] > v[IPCCHAN_A_MAX_BYTES] ||
	    v[IPCCHAN_A_SENDERS] + v[IPCCHAN_A_RECEIVERS] >
	    2 * v[IPCCHAN_A_FDS] ||
	    v[IPCCHAN_A_BLOCKED_SENDERS] > (1U << 20) ||
	    v[IPCCHAN_A_BLOCKED_RECEIVERS] > (1U << 20))
		fz_finding("netlink: channel %s: msgs %llu = sent %llu - received %llu? bytes %llu = %llu - %llu? max_msg_size %llu max_bytes %llu fds %llu senders %llu receivers %llu",
			   name, (unsigned long long)v[IPCCHAN_A_MSGS],
			   (unsigned long long)v[IPCCHAN_A_SENT_MSGS],
			   (unsigned long long)v[IPCCHAN_A_RECV_MSGS],
			   (unsigned long long)v[IPCCHAN_A_BYTES],
			   (unsigned long long)v[IPCCHAN_A_SENT_BYTES],
			   (unsigned long long)v[IPCCHAN_A_RECV_BYTES],
			   (unsigned long long)v[IPCCHAN_A_MAX_MSG_SIZE],
			   (unsigned long long)v[IPCCHAN_A_MAX_BYTES],
			   (unsigned long long)v[IPCCHAN_A_FDS],
			   (unsigned long long)v[IPCCHAN_A_SENDERS],
			   (unsigned long long)v[IPCCHAN_A_RECEIVERS]);
}

/* A region has a size of whole pages, within the module's bound. */
static void check_region(const char *name, const uint64_t *v)
{
	if (v[IPCCHAN_A_REGION_SIZE] % fz.page ||
	    !v[IPCCHAN_A_REGION_SIZE] ||
	    v[IPCCHAN_A_REGION_SIZE] > fz.lim.max_region_size)
		fz_finding("netlink: region %s of %llu bytes", name,
			   (unsigned long long)v[IPCCHAN_A_REGION_SIZE]);
}

/* What the counters of an object of each kind must satisfy. */
static void (*const check_kind[IPCCHAN_KIND_MAX + 1])(const char *name,
						      const uint64_t *v) = {
	[IPCCHAN_KIND_CHANNEL]	= check_channel,
	[IPCCHAN_KIND_REGION]	= check_region,
};

/*
 * Checks one message of the family (an object of GET, or an event): its
 * attributes are well formed and the counters agree. Remembers names.
 */
static void nl_parse_obj(struct nlmsghdr *n, bool event)
{
	struct genlmsghdr *g = NLMSG_DATA(n);
	struct nlattr *a = (struct nlattr *)((char *)g + GENL_HDRLEN);
	int rem = n->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	uint64_t v[IPCCHAN_A_MAX + 1] = {};
	bool has[IPCCHAN_A_MAX + 1] = {};
	const char *name = NULL, *why;
	uint16_t type, plen;

	if (rem < 0 || g->cmd != (event ? IPCCHAN_CMD_EVENT : IPCCHAN_CMD_GET)) {
		fz_finding("netlink: a message of cmd %u, %d attribute bytes",
			   g->cmd, rem);
		return;
	}
	for (; rem >= NLA_HDRLEN; rem -= NLA_ALIGN(a->nla_len),
	     a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len))) {
		if (a->nla_len < NLA_HDRLEN || a->nla_len > rem) {
			fz_finding("netlink: an attribute of length %u with %d bytes left",
				   a->nla_len, rem);
			return;
		}
		type = a->nla_type & NLA_TYPE_MASK;
		plen = a->nla_len - NLA_HDRLEN;
		if (type > IPCCHAN_A_MAX || type == IPCCHAN_A_UNSPEC) {
			fz_finding("netlink: attribute type %u", type);
			return;
		}
		if (type == IPCCHAN_A_PAD)
			continue;
		if (type == IPCCHAN_A_NAME) {
			name = (char *)a + NLA_HDRLEN;
			why = name_ok(name, plen);
			if (why) {
				fz_finding("netlink: IPCCHAN_A_NAME is %s", why);
				return;
			}
		} else if (plen == 4) {
			uint32_t x;

			memcpy(&x, (char *)a + NLA_HDRLEN, 4);
			v[type] = x;
		} else if (plen == 8) {
			memcpy(&v[type], (char *)a + NLA_HDRLEN, 8);
		} else {
			fz_finding("netlink: attribute %u of %u bytes", type,
				   plen);
			return;
		}
		has[type] = true;
	}
	if (event && has[IPCCHAN_A_SEQ]) {
		if (fz.ev_last && v[IPCCHAN_A_SEQ] <= fz.ev_last)
			fz_finding("netlink: event seq %llu after %llu",
				   (unsigned long long)v[IPCCHAN_A_SEQ],
				   (unsigned long long)fz.ev_last);
		else if (fz.ev_last && v[IPCCHAN_A_SEQ] != fz.ev_last + 1 &&
			 !fz.ev_overrun)
			fz_finding("netlink: event seq %llu after %llu, and no ENOBUFS",
				   (unsigned long long)v[IPCCHAN_A_SEQ],
				   (unsigned long long)fz.ev_last);
		else if (fz.ev_last && v[IPCCHAN_A_SEQ] != fz.ev_last + 1)
			fz.ev_overrun--;
		fz.ev_last = v[IPCCHAN_A_SEQ];
		__atomic_add_fetch(&fz_sh->events_seen, 1, __ATOMIC_RELAXED);
	}
	if (!has[IPCCHAN_A_ID] || !v[IPCCHAN_A_ID] || !has[IPCCHAN_A_KIND] ||
	    v[IPCCHAN_A_KIND] > UINT32_MAX ||
	    !ipcchan_kind_name(v[IPCCHAN_A_KIND]) || !name) {
		fz_finding("netlink: %s (%llu) without a valid id (%llu), kind (%llu) or name (%s)",
			   event ? "an event" : "an object",
			   (unsigned long long)v[IPCCHAN_A_EVENT],
			   (unsigned long long)v[IPCCHAN_A_ID],
			   (unsigned long long)v[IPCCHAN_A_KIND],
			   name ? name : "none");
		return;
	}
	if (event) {
		if (!has[IPCCHAN_A_EVENT] || v[IPCCHAN_A_EVENT] < 1 ||
		    v[IPCCHAN_A_EVENT] > IPCCHAN_EVENT_MAX ||
		    !has[IPCCHAN_A_SEQ])
			fz_finding("netlink: an event %llu without a seq",
				   (unsigned long long)v[IPCCHAN_A_EVENT]);
	} else {
		check_members(v[IPCCHAN_A_KIND], name, has);
		if (check_kind[v[IPCCHAN_A_KIND]])
			check_kind[v[IPCCHAN_A_KIND]](name, v);
	}
	if (!event)
		fz_learn_id(v[IPCCHAN_A_ID]);
	if (!event && !our_name(name)) {
		unsigned int j = rnd(FZ_NSEEN);

		memcpy(fz.seen[j], name, strlen(name) + 1);
		memset(fz.seen[j] + strlen(name), 0,
		       IPCCHAN_NAME_MAX - strlen(name));
		fz.seen_kind[j] = v[IPCCHAN_A_KIND];
	}
}

/* Does the datagram of @len bytes in nl_rx end the dump of request @seq? */
static bool nl_has_done(uint32_t seq, ssize_t len)
{
	struct nlmsghdr *n;

	for (n = (struct nlmsghdr *)nl_rx; NLMSG_OK(n, len);
	     n = NLMSG_NEXT(n, len))
		if (n->nlmsg_seq == seq && (n->nlmsg_type == NLMSG_DONE ||
					    n->nlmsg_type == NLMSG_ERROR))
			return true;
	return false;
}

/* Forgets the abandoned dump once its NLMSG_DONE is read. */
static void nl_dump_ended(ssize_t len)
{
	if (fz.nl_dump_left && nl_has_done(fz.nl_dump_left, len))
		fz.nl_dump_left = 0;
}

/*
 * Reads the replies to request @seq until its ack, error or NLMSG_DONE;
 * checks the error against @allowed. Now and then leaves a dump
 * unfinished. Returns the error (0 for success) or -1 if none came.
 */
static int nl_replies(int fd, uint32_t seq, bool dump, const int *allowed,
		      const char *what)
{
	bool busy = fd == fz.nl_sock && fz.nl_dump_left;
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	struct nlmsghdr *n;
	ssize_t len;
	int parts = 0;

	for (;;) {
		if (poll(&pfd, 1, 1000) <= 0)
			return -1;
		len = recv(fd, nl_rx, sizeof(nl_rx), MSG_DONTWAIT);
		if (len < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			fz_check(what, -1, errno, ERRS(ENOBUFS));
			return -1;
		}
		if (fd == fz.nl_sock)
			nl_dump_ended(len);
		if (dump && ++parts > 1 && one_in(30)) {
			/*
			 * Abandoned: the socket keeps the rest. No answer was
			 * read (the parts so far may all have been of an
			 * earlier abandoned dump): not a success.
			 */
			if (fd == fz.nl_sock && !nl_has_done(seq, len))
				fz.nl_dump_left = seq;
			return -1;
		}
		for (n = (struct nlmsghdr *)nl_rx; NLMSG_OK(n, len);
		     n = NLMSG_NEXT(n, len)) {
			if (n->nlmsg_seq != seq)
				continue;	/* of an abandoned request */
			if (n->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(n);

				/* The netlink core: one dump per socket. */
				if (e->error == -EBUSY && dump && busy) {
					fz_check(what, -1, EBUSY, ERRS(EBUSY));
					return -e->error;
				}
				if (e->error)
					fz_check(what, -1, -e->error, allowed);
				return -e->error;
			}
			if (n->nlmsg_type == NLMSG_DONE) {
				int err = 0;

				/* A dump that failed says so here. */
				if (n->nlmsg_len >= NLMSG_HDRLEN + sizeof(err))
					memcpy(&err, NLMSG_DATA(n), sizeof(err));
				if (err < 0)
					fz_check(what, -1, -err, allowed);
				return -err;
			}
			if (n->nlmsg_type != fz.nl_family) {
				fz_finding("%s: a reply of type %u", what,
					   n->nlmsg_type);
				return -1;
			}
			nl_parse_obj(n, false);
			if (!dump && !(n->nlmsg_flags & NLM_F_MULTI))
				continue;	/* the ack follows */
		}
	}
}

/* Returns 0, the errno of the answer, or -1 if there was none. */
static int nl_request(int cmd, bool dump, const char *what,
		      const int *allowed, char *attrs_end, struct nl_req *r)
{
	int fd = nl_get_sock(), ret;

	if (fd < 0)
		return -1;
	r->n.nlmsg_len = attrs_end - (char *)r;
	r->n.nlmsg_type = fz.nl_family;
	r->n.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | (dump ? NLM_F_DUMP : 0);
	r->n.nlmsg_seq = nl_seq++;
	r->g.cmd = cmd;
	r->g.version = IPCCHAN_GENL_VERSION;
	if (send(fd, r, r->n.nlmsg_len, 0) < 0) {
		fz_check(what, -1, errno, ERRS(ENOBUFS, ENOMEM, EINTR));
		return -1;
	}
	ret = nl_replies(fd, r->n.nlmsg_seq, dump, allowed, what);
	if (ret == 0)
		fz_ok();
	return ret;
}

/*
 * An id: mostly one of an object made or listed here (pipes and pairs
 * included), else 0, a random one, or the largest.
 */
static uint64_t arb_id(void)
{
	switch (rnd(8)) {
	case 0: return rnd64();
	case 1: return one_in(2) ? 0 : ~0ULL;
	}
	return fz.ids[rnd(FZ_NIDS)];
}

/* IPCCHAN_A_ID where a request may not have it: EINVAL, never success. */
static void id_refused(const char *what, int ret)
{
	if (ret == 0)
		fz_finding("%s with IPCCHAN_A_ID succeeded", what);
}

/* An attribute: right mostly, else mistyped, truncated or too long. */
static char *arb_attr(char *p, uint16_t type, uint64_t val, int width)
{
	uint16_t len = width;

	switch (rnd(30)) {
	case 0: len = 0; fz.bad_size = true; break;
	case 1: len = width == 4 ? 8 : 4; fz.bad_size = true; break;
	case 2: len = 1 + rnd(3); fz.bad_size = true; break;
	case 3: len = 16 + rnd(200); fz.bad_size = true; break;
	}
	memset(p + NLA_HDRLEN, 0, NLA_ALIGN(len));
	memcpy(p + NLA_HDRLEN, &val, len < 8 ? len : 8);
	return put_attr(p, type, p + NLA_HDRLEN, len);
}

static char *arb_name_attr(char *p, uint32_t *kind)
{
	char name[IPCCHAN_NAME_MAX + 64];
	bool valid;
	uint16_t len;

	arb_name(name, &valid);
	len = strnlen(name, IPCCHAN_NAME_MAX) + 1;
	if (len > IPCCHAN_NAME_MAX)
		fz.bad_size = true;
	switch (rnd(30)) {
	case 0: len--; fz.bad_size = true; break;	/* no NUL */
	case 1:
		memset(name, 'q', sizeof(name));
		len = sizeof(name);
		name[len - 1] = 0;
		fz.bad_size = true;
		break;
	case 2: len = 0; fz.bad_size = true; break;
	}
	if (kind && one_in(3)) {
		unsigned int j = rnd(FZ_NSEEN);

		if (fz.seen[j][0]) {
			memcpy(name, fz.seen[j], IPCCHAN_NAME_MAX);
			len = strlen(name) + 1;
			*kind = fz.seen_kind[j];
		}
	}
	if (!valid)
		fz.bad_size = true;
	return put_attr(p, IPCCHAN_A_NAME, name, len);
}

static void op_nl_dump(void)
{
	struct nl_req r = {};
	char *p = r.attrs;

	if (one_in(2))
		p = arb_attr(p, IPCCHAN_A_KIND,
			     arb_u32(rnd_kind(), IPCCHAN_KIND_MAX), 4);
	if (one_in(20))
		p = arb_attr(p, rnd(IPCCHAN_A_MAX + 4), rnd64(), 4);
	if (one_in(10)) {
		p = arb_attr(p, IPCCHAN_A_ID, arb_id(), 8);
		id_refused("netlink GET dump",
			   nl_request(IPCCHAN_CMD_GET, true,
				      "netlink GET dump with an id",
				      ERRS(EINVAL, ERANGE, ENOMEM), p, &r));
		return;
	}
	nl_request(IPCCHAN_CMD_GET, true, "netlink GET dump",
		   ERRS(EINVAL, ERANGE, ENOMEM), p, &r);
}

/* GET by kind and name, or by id (with the kind or the name: EINVAL). */
static void op_nl_get(void)
{
	struct nl_req r = {};
	uint32_t kind = arb_u32(rnd_kind(), IPCCHAN_KIND_MAX);
	char *p = r.attrs;
	bool mixed = false;

	if (one_in(3)) {
		p = arb_attr(p, IPCCHAN_A_ID, arb_id(), 8);
		if (one_in(5)) {
			mixed = true;
			if (one_in(2))
				p = arb_name_attr(p, &kind);
			else
				p = arb_attr(p, IPCCHAN_A_KIND, kind, 4);
		}
	} else {
		p = arb_name_attr(p, &kind);
		if (!one_in(20))
			p = arb_attr(p, IPCCHAN_A_KIND, kind, 4);
	}
	if (mixed) {
		id_refused("netlink GET with a kind or name",
			   nl_request(IPCCHAN_CMD_GET, false,
				      "netlink GET by id and name",
				      ERRS(EINVAL, ERANGE), p, &r));
		return;
	}
	nl_request(IPCCHAN_CMD_GET, false, "netlink GET",
		   ERRS(EINVAL, ERANGE, ENOENT, ENOMEM, EMSGSIZE), p, &r);
}

static void op_nl_del(void)
{
	struct nl_req r = {};
	uint32_t kind = arb_u32(rnd_kind(), IPCCHAN_KIND_MAX);
	char *p = r.attrs;

	p = arb_name_attr(p, &kind);
	if (!one_in(20))
		p = arb_attr(p, IPCCHAN_A_KIND, kind, 4);
	if (one_in(10)) {
		p = arb_attr(p, IPCCHAN_A_ID, arb_id(), 8);
		id_refused("netlink DEL",
			   nl_request(IPCCHAN_CMD_DEL, false,
				      "netlink DEL with an id",
				      ERRS(EINVAL, ERANGE), p, &r));
		return;
	}
	nl_request(IPCCHAN_CMD_DEL, false, "netlink DEL",
		   ERRS(EINVAL, ERANGE, ENOENT), p, &r);
}

static void op_nl_set(void)
{
	struct nl_req r = {};
	uint32_t kind = IPCCHAN_KIND_CHANNEL;
	char *p = r.attrs;

	p = arb_name_attr(p, &kind);
	if (one_in(2))
		p = arb_attr(p, IPCCHAN_A_KIND,
			     arb_u32(kind, IPCCHAN_KIND_MAX), 4);
	if (one_in(2))
		p = arb_attr(p, IPCCHAN_A_MAX_MSG_SIZE,
			     arb_u32(4096 + rnd(8192), fz.lim.max_msg_size_limit), 4);
	if (one_in(2))
		p = arb_attr(p, IPCCHAN_A_MAX_MSGS,
			     arb_u32(64 + rnd(512), fz.lim.max_msgs_limit), 4);
	if (one_in(2))
		p = arb_attr(p, IPCCHAN_A_MAX_BYTES,
			     arb_u64(1 << 20, fz.lim.max_bytes_limit), 8);
	if (one_in(10)) {
		p = arb_attr(p, IPCCHAN_A_ID, arb_id(), 8);
		id_refused("netlink SET",
			   nl_request(IPCCHAN_CMD_SET, false,
				      "netlink SET with an id",
				      ERRS(EINVAL, ERANGE), p, &r));
		return;
	}
	nl_request(IPCCHAN_CMD_SET, false, "netlink SET",
		   ERRS(EINVAL, ERANGE, ENOENT), p, &r);
}

/* Garbage: any command, version, flags, attribute bytes and lengths. */
static void op_nl_garbage(void)
{
	struct nl_req r = {};
	int fd = nl_get_sock(), i, n;
	char *p = r.attrs;
	uint32_t seq;

	if (fd < 0)
		return;
	n = rnd(sizeof(r.attrs) / 8);
	for (i = 0; i < n; i++) {
		uint64_t x = rnd64();

		memcpy(p, &x, 8);
		p += 8;
	}
	if (one_in(2) && n) {
		/* A plausible header on the first attribute. */
		struct nlattr *a = (struct nlattr *)r.attrs;

		a->nla_type = rnd(IPCCHAN_A_MAX + 3) | (one_in(8) ? NLA_F_NESTED : 0);
		a->nla_len = rnd(n * 8 + 16);
	}
	r.n.nlmsg_len = p - (char *)&r;
	switch (rnd(8)) {
	case 0: r.n.nlmsg_len = rnd(r.n.nlmsg_len + 1); break;
	case 1: r.n.nlmsg_len += 1 + rnd(64); break;
	}
	r.n.nlmsg_type = one_in(10) ? (uint16_t)rnd64() : fz.nl_family;
	r.n.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK |
			  (one_in(3) ? NLM_F_DUMP : 0) |
			  (one_in(10) ? (uint16_t)rnd64() : 0);
	r.n.nlmsg_seq = seq = nl_seq++;
	r.g.cmd = one_in(2) ? rnd(IPCCHAN_CMD_MAX + 3) : (uint8_t)rnd64();
	r.g.version = one_in(4) ? (uint8_t)rnd64() : IPCCHAN_GENL_VERSION;
	r.g.reserved = one_in(4) ? (uint16_t)rnd64() : 0;
	if (send(fd, &r, p - (char *)&r, 0) < 0)
		return;
	/* Errors of the netlink core for any request, and of ipcchan. */
	nl_replies(fd, seq, r.n.nlmsg_flags & NLM_F_DUMP,
		   ERRS(EINVAL, ERANGE, ENOENT, EOPNOTSUPP, EPERM, EMSGSIZE,
			ENOMEM, E2BIG, ENOBUFS, EAFNOSUPPORT, EEXIST, ENODEV,
			524 /* ENOTSUPP */),
		   "netlink garbage");
}

int nl_open(bool subscribe)
{
	int fd = nl_socket(), grp;

	if (fd < 0 || !subscribe)
		return fd;
	if (nl_get_sock() < 0 || !fz.nl_group) {
		close(fd);
		return -1;
	}
	grp = fz.nl_group;
	if (setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &grp,
		       sizeof(grp))) {
		fz_check("NETLINK_ADD_MEMBERSHIP", -1, errno, ERRS(ENOMEM));
		close(fd);
		return -1;
	}
	return fd;
}

void nl_drain_events(void)
{
	struct nlmsghdr *n;
	ssize_t len;

	if (fz.nl_ev < 0)
		return;
	for (;;) {
		len = recv(fz.nl_ev, nl_rx, sizeof(nl_rx), MSG_DONTWAIT);
		if (len < 0) {
			if (errno == ENOBUFS) {
				fz.ev_overrun++;
				continue;
			}
			if (errno != EAGAIN && !(errno == EINTR && fz.alarm_fired))
				fz_check("recv of events", -1, errno, ERRS(EAGAIN));
			return;
		}
		for (n = (struct nlmsghdr *)nl_rx; NLMSG_OK(n, len);
		     n = NLMSG_NEXT(n, len)) {
			if (n->nlmsg_type != fz.nl_family) {
				fz_finding("events: a message of type %u",
					   n->nlmsg_type);
				continue;
			}
			nl_parse_obj(n, true);
		}
	}
}

/* Subscribes (again) to the events group, or reads what came. */
static void op_nl_events(void)
{
	if (fz.in_child)
		return;
	if (fz.nl_ev >= 0 && !one_in(20)) {
		nl_drain_events();
		fz_ok();
		return;
	}
	if (fz.nl_ev >= 0)
		close(fz.nl_ev);
	fz.ev_last = 0;
	fz.ev_overrun = 0;
	fz.nl_ev = nl_open(true);
	if (fz.nl_ev >= 0)
		fz_ok();
}

void nl_cleanup_worker(void)
{
	if (fz.nl_sock >= 0)
		close(fz.nl_sock);
	fz.nl_sock = -1;
	if (fz.nl_ev >= 0)
		close(fz.nl_ev);
	fz.nl_ev = -1;
}

/*
 * The cleanup of the run: every object whose name starts with "fz" is
 * unlinked (@unlink_them), or counted. Returns how many there were, -1 if
 * the dump failed.
 */
int fz_cleanup_names(bool unlink_them)
{
	struct nl_req r = {};
	struct { uint32_t kind; char name[IPCCHAN_NAME_MAX]; } *objs;
	int fd, nobjs = 0, i, ctl;
	struct nlmsghdr *n;
	ssize_t len;
	bool done = false;

	fz.worker = -1;
	fd = nl_get_sock();
	if (fd < 0)
		return -1;
	objs = calloc(8192, sizeof(*objs));
	if (!objs)
		return -1;
	r.n.nlmsg_len = NLMSG_HDRLEN + GENL_HDRLEN;
	r.n.nlmsg_type = fz.nl_family;
	r.n.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	r.n.nlmsg_seq = nl_seq++;
	r.g.cmd = IPCCHAN_CMD_GET;
	r.g.version = IPCCHAN_GENL_VERSION;
	if (send(fd, &r, r.n.nlmsg_len, 0) < 0)
		return -1;
	while (!done) {
		len = recv(fd, nl_rx, sizeof(nl_rx), 0);
		if (len < 0)
			return -1;
		for (n = (struct nlmsghdr *)nl_rx; NLMSG_OK(n, len);
		     n = NLMSG_NEXT(n, len)) {
			struct nlattr *a;
			int rem;

			if (n->nlmsg_seq != r.n.nlmsg_seq)
				continue;
			if (n->nlmsg_type == NLMSG_DONE ||
			    n->nlmsg_type == NLMSG_ERROR) {
				done = true;
				break;
			}
			if (nobjs == 8192)
				continue;
			a = (struct nlattr *)((char *)NLMSG_DATA(n) + GENL_HDRLEN);
			rem = n->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
			objs[nobjs].kind = 0;
			objs[nobjs].name[0] = 0;
			for (; rem >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN &&
			       a->nla_len <= rem;
			     rem -= NLA_ALIGN(a->nla_len),
			     a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len))) {
				if (a->nla_type == IPCCHAN_A_KIND)
					memcpy(&objs[nobjs].kind, (char *)a + NLA_HDRLEN, 4);
				if (a->nla_type == IPCCHAN_A_NAME)
					snprintf(objs[nobjs].name, IPCCHAN_NAME_MAX,
						 "%s", (char *)a + NLA_HDRLEN);
			}
			if (!strncmp(objs[nobjs].name, "fz", 2))
				nobjs++;
		}
	}
	if (unlink_them) {
		ctl = open(IPCCHAN_DEVICE, O_RDWR);
		for (i = 0; ctl >= 0 && i < nobjs; i++) {
			struct ipcchan_unlink u = {
				.size = sizeof(u), .kind = objs[i].kind,
			};

			memcpy(u.name, objs[i].name, IPCCHAN_NAME_MAX);
			if (ioctl(ctl, IPCCHAN_IOC_UNLINK, &u) && errno != ENOENT)
				printf("# cleanup: unlink of %s: %s\n",
				       u.name, strerror(errno));
		}
		if (ctl >= 0)
			close(ctl);
	}
	free(objs);
	return nobjs;
}

const struct fz_op fz_nl_ops[] = {
	{ "nl_dump", op_nl_dump, 3 },
	{ "nl_get", op_nl_get, 3 },
	{ "nl_del", op_nl_del, 2 },
	{ "nl_set", op_nl_set, 2 },
	{ "nl_garbage", op_nl_garbage, 3 },
	{ "nl_events", op_nl_events, 4 },
	{}
};
