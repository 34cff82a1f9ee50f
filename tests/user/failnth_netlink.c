// SPDX-License-Identifier: GPL-2.0
/*
 * Systematic fault injection (failnth.h) into every operation of the
 * generic netlink family "ipcchan": GET, a multi-part GET dump (faults in
 * the request, and in the receives that make its later parts), DEL, SET,
 * joining the events group (also while another process makes events), and
 * events made while faults are injected.
 *
 * The requests go through a raw netlink socket, so that the system call
 * under a fault is the one send() (the kernel runs a request within it) or
 * the receives of a dump, and nothing of libnl. After every injected fault
 * the answer is one of: the whole right answer; an error (ENOMEM in the
 * ack or in the dump's NLMSG_DONE; ENOBUFS on the socket when the kernel
 * could not even queue that); and the state agrees with it: a DEL or SET
 * that was acked happened, one that failed with ENOMEM did not. A dump
 * that completes lists every object exactly once; one that fails is
 * followed by a complete dump on a new socket. An event the kernel could
 * not allocate shows as a gap in IPCCHAN_A_SEQ, never as silence; no event
 * is ever sent for an object that was never created. And the family's
 * counters of a channel count only the sends that succeeded under faults.
 */
#include "failnth.h"
#include "nl_util.h"

#define NOBJ		40	/* channels in a dump: several parts */
#define BUF		(256 * 1024)

/* A raw generic netlink socket and what it received. */
struct raw {
	int fd;
	uint32_t seq;
	unsigned char req[4096];
	size_t req_len;
	unsigned char *in;	/* BUF bytes of datagrams, each after its len */
	size_t in_len;
	int recv_err;		/* the first receive error, -errno */
};

struct answer {
	bool acked, done;
	int err;		/* of NLMSG_ERROR or NLMSG_DONE */
	int sock_err;		/* a receive failed: -errno */
	struct nlu_list objs;
};

struct ctx {
	struct nlu n;		/* libnl: family, checks */
	struct raw r;
	struct answer a;
	char names[NOBJ][IPCCHAN_NAME_MAX];
	int fds[NOBJ];
	int nobj;
	char name[IPCCHAN_NAME_MAX];
	int fd;
	int dev;
	uint32_t set_msgs, old_msgs;
	int grp;
	/* events */
	struct nlu ev;
	uint64_t last_seq;
	unsigned int gaps;
	struct ipcchan_chan_open op;
	struct ipcchan_send snd;
	/* How the injected faults ended. */
	unsigned int whole, enomem, enobufs, efault, unsent;
};

static void raw_open(struct raw *r)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int one = 1, rcv = 1 << 20;

	memset(r, 0, sizeof(*r));
	r->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	ASSERT_GE(r->fd, 0);
	ASSERT_EQ(bind(r->fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	setsockopt(r->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	setsockopt(r->fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
	r->in = malloc(BUF);
	ASSERT_TRUE(r->in != NULL);
	r->seq = 1000;
}

static void raw_close(struct raw *r)
{
	close(r->fd);
	free(r->in);
	r->fd = -1;
	r->in = NULL;
}

/* Takes the request @msg (and frees it), with a new sequence number. */
static void raw_req(struct raw *r, struct nl_msg *msg, bool ack)
{
	struct nlmsghdr *h = nlmsg_hdr(msg);

	ASSERT_LE(h->nlmsg_len, sizeof(r->req));
	h->nlmsg_seq = ++r->seq;
	h->nlmsg_pid = 0;
	h->nlmsg_flags |= NLM_F_REQUEST | (ack ? NLM_F_ACK : 0);
	memcpy(r->req, h, h->nlmsg_len);
	r->req_len = h->nlmsg_len;
	nlmsg_free(msg);
}

static long raw_send(struct raw *r)
{
	ssize_t n = send(r->fd, r->req, r->req_len, 0);

	return n < 0 ? -errno : n;
}

/*
 * Receives, without waiting, what is queued, and for a dump what each
 * receive makes, until NLMSG_DONE or an error or nothing more; only system
 * calls, so that it can run with a fault armed. Returns the datagrams
 * received, or the first receive error.
 */
static long raw_recv_all(struct raw *r, size_t bufsz)
{
	long parts = 0;
	int tries;

	r->in_len = 0;
	r->recv_err = 0;
	for (tries = 0; tries < 10000; tries++) {
		unsigned char *p = r->in + r->in_len + sizeof(uint32_t);
		ssize_t n;

		if (r->in_len + sizeof(uint32_t) + bufsz > BUF)
			return -E2BIG;
		n = recv(r->fd, p, bufsz, MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EAGAIN)
				break;
			if (!r->recv_err)
				r->recv_err = -errno;
			if (errno == EINTR)
				continue;
			/* ENOBUFS, EFAULT: what follows may still come. */
			continue;
		}
		memcpy(p - sizeof(uint32_t), &(uint32_t){ n }, sizeof(uint32_t));
		r->in_len += sizeof(uint32_t) + n;
		parts++;
		if (n >= (ssize_t)NLMSG_HDRLEN &&
		    ((struct nlmsghdr *)p)->nlmsg_type == NLMSG_DONE)
			break;
		/* A dump's last part may hold its NLMSG_DONE after objects. */
		{
			struct nlmsghdr *h = (struct nlmsghdr *)p;
			int left = n;
			bool done = false;

			for (; NLMSG_OK(h, left); h = NLMSG_NEXT(h, left))
				if (h->nlmsg_type == NLMSG_DONE)
					done = true;
			if (done)
				break;
		}
	}
	return r->recv_err ? r->recv_err : parts;
}

/* Parses what raw_recv_all() received for request sequence r->seq. */
static void parse(struct raw *r, struct answer *a)
{
	size_t off = 0;

	nlu_list_free(&a->objs);
	memset(a, 0, sizeof(*a));
	a->sock_err = r->recv_err;
	while (off < r->in_len) {
		uint32_t len;
		struct nlmsghdr *h;
		int left;

		memcpy(&len, r->in + off, sizeof(len));
		h = (struct nlmsghdr *)(r->in + off + sizeof(len));
		left = len;
		off += sizeof(len) + len;
		for (; NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
			ASSERT_EQ(h->nlmsg_seq, r->seq, "an answer to another "
				  "request (type %u)", h->nlmsg_type);
			if (h->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(h);

				a->err = e->error;
				a->acked = true;
			} else if (h->nlmsg_type == NLMSG_DONE) {
				a->err = *(int *)NLMSG_DATA(h);
				a->done = true;
			} else {
				struct nl_msg *m = nlmsg_convert(h);
				struct nlu_obj o;

				ASSERT_TRUE(m != NULL);
				nlu_parse(m, &o);
				nlmsg_free(m);
				ASSERT_STREQ(o.bad, "");
				nlu_list_add(&a->objs, &o);
			}
		}
	}
}

static void ctx_init(struct ctx *c, int nobj)
{
	int i;

	failnth_setup();
	nl_open(&c->n);
	c->dev = dev_open();
	for (i = 0; i < nobj; i++)
		c->fds[i] = chan_new(c->names[i], RS, 0600, 64, 4, 0);
	c->nobj = nobj;
	raw_open(&c->r);
}

/* Each of our objects once in @a, as a complete dump. */
static void expect_complete_dump(struct ctx *c, const struct answer *a)
{
	int i;

	ASSERT_TRUE(a->done && !a->err && !a->sock_err, "done %d err %d "
		    "sock_err %d", a->done, a->err, a->sock_err);
	for (i = 0; i < c->nobj; i++)
		nl_find(&a->objs, IPCCHAN_KIND_CHANNEL, c->names[i]);
}

/* A dump on a new socket is complete. */
static void fresh_dump_ok(struct ctx *c)
{
	struct raw r;
	struct answer a = { 0 };

	raw_open(&r);
	raw_req(&r, nlu_msg(&c->n, IPCCHAN_CMD_GET, NLM_F_DUMP), false);
	ASSERT_EQ(raw_send(&r), (long)r.req_len);
	ASSERT_GE(raw_recv_all(&r, 4096), 2);
	parse(&r, &a);
	expect_complete_dump(c, &a);
	nlu_list_free(&a.objs);
	raw_close(&r);
}

/* Counts how the answer of a try ended. */
static void tally(struct ctx *c)
{
	const struct answer *a = &c->a;

	if (a->err == -ENOMEM)
		c->enomem++;
	else if (a->sock_err == -ENOBUFS)
		c->enobufs++;
	else if (a->sock_err == -EFAULT)
		c->efault++;
	else
		c->whole++;
}

static void log_tally(const struct ctx *c, const char *name)
{
	TH_LOG("%s: %u whole answers, %u ENOMEM, %u ENOBUFS, %u EFAULT, %u "
	       "requests refused by send()", name, c->whole, c->enomem,
	       c->enobufs, c->efault, c->unsent);
}

/*
 * A send() that failed (the kernel could not take the request: ENOBUFS,
 * ENOMEM, EFAULT) was never seen by the family: nothing answers it.
 */
static bool request_failed(struct ctx *c, long ret)
{
	if (ret >= 0) {
		ASSERT_EQ(ret, (long)c->r.req_len);
		return false;
	}
	ASSERT_EQ(raw_recv_all(&c->r, 8192), 0, "a request whose send "
		  "failed (%ld) was answered", ret);
	c->unsent++;
	return true;
}

/* ----- GET ----- */

static void setup_get(void *p)
{
	struct ctx *c = p;
	struct nl_msg *m = nlu_msg(&c->n, IPCCHAN_CMD_GET, 0);

	ASSERT_EQ(nla_put_u32(m, IPCCHAN_A_KIND, IPCCHAN_KIND_CHANNEL), 0);
	nlu_put_name(m, c->names[0]);
	raw_req(&c->r, m, true);
}

static long call_send(void *p)
{
	struct ctx *c = p;

	return raw_send(&c->r);
}

static void check_get(void *p, long ret, bool injected)
{
	struct ctx *c = p;
	struct answer *a = &c->a;

	if (request_failed(c, ret))
		return;
	raw_recv_all(&c->r, BUF / 2);
	parse(&c->r, a);
	tally(c);
	if (!injected || (a->acked && !a->err)) {
		const struct nlu_obj *o;

		ASSERT_EQ(a->sock_err, 0);
		ASSERT_TRUE(a->acked && !a->err);
		o = nl_find(&a->objs, IPCCHAN_KIND_CHANNEL, c->names[0]);
		ASSERT_EQ(o->msgs, 1);
		ASSERT_EQ(o->bytes, 5);
		ASSERT_EQ(o->max_msgs, 4);
		return;
	}
	/* An error in the ack, or no room for the ack or the answer. */
	ASSERT_TRUE(a->err == -ENOMEM || a->sock_err == -ENOBUFS,
		    "err %d, socket error %d", a->err, a->sock_err);
	ASSERT_LE(a->objs.n, 1);
}

TEST(get)
{
	struct ctx *c = calloc(1, sizeof(*c));
	struct failnth_call fc = {
		.name = "GET", .ctx = c, .setup = setup_get, .call = call_send,
		.check = check_get,
	};

	ctx_init(c, 1);
	send_str(c->fds[0], "hello");
	failnth_run(&fc);
	log_tally(c, "GET");
	ASSERT_EQ(chan_msgs(c->fds[0]), 1);
}

/* ----- dumps ----- */

static void setup_dump(void *p)
{
	struct ctx *c = p;

	raw_close(&c->r);
	raw_open(&c->r);
	raw_req(&c->r, nlu_msg(&c->n, IPCCHAN_CMD_GET, NLM_F_DUMP), false);
}

static void check_dump(void *p, long ret, bool injected)
{
	struct ctx *c = p;
	struct answer *a = &c->a;

	if (request_failed(c, ret)) {
		fresh_dump_ok(c);
		return;
	}
	raw_recv_all(&c->r, 4096);
	parse(&c->r, a);
	tally(c);
	if (!injected || (a->done && !a->err && !a->sock_err)) {
		expect_complete_dump(c, a);
		return;
	}
	ASSERT_TRUE(a->err == -ENOMEM || a->sock_err == -ENOBUFS,
		    "err %d, socket error %d", a->err, a->sock_err);
	fresh_dump_ok(c);
}

TEST(dump_request)
{
	struct ctx *c = calloc(1, sizeof(*c));
	struct failnth_call fc = {
		.name = "GET dump (request)", .ctx = c, .setup = setup_dump,
		.call = call_send, .check = check_dump,
	};

	ctx_init(c, NOBJ);
	failnth_run(&fc);
	log_tally(c, "GET dump (request)");
}

/* The request goes out unarmed; the receives that make the parts do not. */
static void setup_dump_recv(void *p)
{
	struct ctx *c = p;

	setup_dump(c);
	ASSERT_EQ(raw_send(&c->r), (long)c->r.req_len);
}

static long call_dump_recv(void *p)
{
	struct ctx *c = p;

	return raw_recv_all(&c->r, 4096);
}

static void check_dump_recv(void *p, long ret, bool injected)
{
	struct ctx *c = p;
	struct answer *a = &c->a;

	(void)injected;
	parse(&c->r, a);
	tally(c);
	if (ret >= 0) {
		ASSERT_GE(ret, 2, "a dump of %d objects in parts of 4 KiB",
			  c->nobj);
		expect_complete_dump(c, a);
		return;
	}
	/*
	 * A part that could not be made is ENOBUFS, one that could not be
	 * copied out EFAULT. Netlink does not resume such a dump on that
	 * socket: a new one must list everything.
	 */
	fresh_dump_ok(c);
}

TEST(dump_parts)
{
	struct ctx *c = calloc(1, sizeof(*c));
	struct failnth_call fc = {
		.name = "GET dump (the receives of its parts)", .ctx = c,
		.setup = setup_dump_recv, .call = call_dump_recv,
		.check = check_dump_recv,
	};

	ctx_init(c, NOBJ);
	failnth_run(&fc);
	log_tally(c, "GET dump (parts)");
}

/* ----- DEL ----- */

static void setup_del(void *p)
{
	struct ctx *c = p;
	struct nl_msg *m = nlu_msg(&c->n, IPCCHAN_CMD_DEL, 0);

	c->fd = chan_new(c->name, RS, 0600, 0, 0, 0);
	ASSERT_EQ(nla_put_u32(m, IPCCHAN_A_KIND, IPCCHAN_KIND_CHANNEL), 0);
	nlu_put_name(m, c->name);
	raw_req(&c->r, m, true);
}

static void check_del(void *p, long ret, bool injected)
{
	struct ctx *c = p;
	struct answer *a = &c->a;
	int fd;

	if (request_failed(c, ret)) {
		fd = ipcchan_chan_open(c->dev, c->name, RS, NULL);
		ASSERT_GE(fd, 0, "a DEL that was never received removed it");
		goto out;
	}
	raw_recv_all(&c->r, 8192);
	parse(&c->r, a);
	tally(c);
	fd = ipcchan_chan_open(c->dev, c->name, RS, NULL);
	if (!injected || (a->acked && !a->err)) {
		ASSERT_TRUE(a->acked && !a->err);
		ASSERT_EQ(fd, -ENOENT, "deleted, yet the name is there");
	} else if (a->acked) {
		ASSERT_EQ(a->err, -ENOMEM);
		ASSERT_GE(fd, 0, "a failed DEL removed the name");
	} else {
		/* The ack was lost: either state, but a consistent one. */
		ASSERT_EQ(a->sock_err, -ENOBUFS);
		ASSERT_TRUE(fd >= 0 || fd == -ENOENT);
	}
out:
	if (fd >= 0) {
		close(fd);
		chan_unlink(c->name);
	}
	send_str(c->fd, "still works");
	recv_str(c->fd, "still works");
	close(c->fd);
}

TEST(del)
{
	struct ctx *c = calloc(1, sizeof(*c));
	struct failnth_call fc = {
		.name = "DEL", .ctx = c, .setup = setup_del, .call = call_send,
		.check = check_del,
	};

	ctx_init(c, 0);
	failnth_run(&fc);
	log_tally(c, "DEL");
}

/* ----- SET ----- */

static void setup_set(void *p)
{
	struct ctx *c = p;
	struct nl_msg *m = nlu_msg(&c->n, IPCCHAN_CMD_SET, 0);

	c->old_msgs = c->set_msgs;
	c->set_msgs = c->old_msgs == 3 ? 2 : 3;
	nlu_put_name(m, c->names[0]);
	ASSERT_EQ(nla_put_u32(m, IPCCHAN_A_MAX_MSGS, c->set_msgs), 0);
	raw_req(&c->r, m, true);
}

static void check_set(void *p, long ret, bool injected)
{
	struct ctx *c = p;
	struct answer *a = &c->a;
	struct ipcchan_chan_info ci;

	if (request_failed(c, ret)) {
		chan_info(c->fds[0], &ci);
		ASSERT_EQ(ci.max_msgs, c->old_msgs, "a SET that was never "
			  "received changed it");
		c->set_msgs = ci.max_msgs;
		return;
	}
	raw_recv_all(&c->r, 8192);
	parse(&c->r, a);
	tally(c);
	chan_info(c->fds[0], &ci);
	if (!injected || (a->acked && !a->err)) {
		ASSERT_TRUE(a->acked && !a->err);
		ASSERT_EQ(ci.max_msgs, c->set_msgs);
	} else if (a->acked) {
		ASSERT_EQ(a->err, -ENOMEM);
		ASSERT_EQ(ci.max_msgs, c->old_msgs, "a failed SET changed it");
	} else {
		ASSERT_EQ(a->sock_err, -ENOBUFS);
		ASSERT_TRUE(ci.max_msgs == c->set_msgs ||
			    ci.max_msgs == c->old_msgs);
	}
	c->set_msgs = ci.max_msgs;
	ASSERT_EQ(ci.max_msg_size, 64);
}

TEST(set)
{
	struct ctx *c = calloc(1, sizeof(*c));
	struct failnth_call fc = {
		.name = "SET", .ctx = c, .setup = setup_set, .call = call_send,
		.check = check_set,
	};
	int i;

	ctx_init(c, 1);
	c->set_msgs = 4;
	failnth_run(&fc);
	log_tally(c, "SET");
	/* The channel takes exactly the limit it reports. */
	for (i = 0; i < (int)c->set_msgs; i++)
		send_str(c->fds[0], "m");
	ASSERT_EQ(ipcchan_send(c->fds[0], "m", 1, IPCCHAN_XFER_NONBLOCK, -1),
		  -EAGAIN);
}

/* ----- counters ----- */

static long call_chan_send(void *p)
{
	struct ctx *c = p;

	return xioctl(c->fds[0], IPCCHAN_IOC_SEND, &c->snd);
}

static void setup_chan_send(void *p)
{
	struct ctx *c = p;

	raw_send_init(&c->snd, "0123456789", 10);
	c->snd.flags = IPCCHAN_XFER_NONBLOCK;
}

/*
 * The family's counters of the channel agree with what the sends under
 * faults did: only those that succeeded count, none counts as rejected.
 */
static void check_chan_send(void *p, long ret, bool injected)
{
	struct ctx *c = p;
	struct nlu_obj o;
	char buf[16];

	(void)injected;
	if (ret == 0)
		c->whole++;
	nl_get(&c->n, IPCCHAN_KIND_CHANNEL, c->names[0], &o);
	ASSERT_EQ(o.sent_msgs, c->whole, "with fault %u", failnth_n);
	ASSERT_EQ(o.sent_bytes, 10 * c->whole);
	ASSERT_EQ(o.msgs, ret == 0);
	ASSERT_EQ(o.bytes, ret == 0 ? 10 : 0);
	ASSERT_EQ(o.rejected, 0, "a send that failed for want of memory "
		  "counted as refused on a limit");
	ASSERT_EQ(o.recv_msgs, c->whole - (ret == 0));
	if (ret == 0)
		ASSERT_EQ(ipcchan_recv(c->fds[0], buf, sizeof(buf), NULL,
				       IPCCHAN_XFER_NONBLOCK, -1), 10);
}

TEST(send_counters)
{
	struct ctx *c = calloc(1, sizeof(*c));
	struct failnth_call fc = {
		.name = "SEND (netlink counters)", .ctx = c,
		.setup = setup_chan_send, .call = call_chan_send,
		.check = check_chan_send,
	};

	ctx_init(c, 1);
	failnth_run(&fc);
}

/* ----- events ----- */

static void setup_join(void *p)
{
	struct ctx *c = p;

	raw_close(&c->r);
	raw_open(&c->r);
}

static long call_join(void *p)
{
	struct ctx *c = p;

	return setsockopt(c->r.fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
			  &c->grp, sizeof(c->grp)) ? -errno : 0;
}

/*
 * Did the socket of @c->r get the CREATED event of a new channel? A socket
 * that did not join gets no event at all, of any object.
 */
static bool gets_events(struct ctx *c)
{
	char name[IPCCHAN_NAME_MAX];
	struct answer *a = &c->a;
	size_t i;
	int fd = chan_new(name, RS, 0600, 0, 0, 0);

	close(fd);
	chan_unlink(name);
	raw_recv_all(&c->r, 8192);
	nlu_list_free(&a->objs);
	memset(a, 0, sizeof(*a));
	/* Events carry sequence number 0: parse them as such. */
	c->r.seq = 0;
	parse(&c->r, a);
	for (i = 0; i < a->objs.n; i++)
		if (!strcmp(a->objs.v[i].name, name) &&
		    a->objs.v[i].event == IPCCHAN_EVENT_CREATED)
			return true;
	ASSERT_EQ(a->objs.n, 0);
	return false;
}

static void check_join(void *p, long ret, bool injected)
{
	struct ctx *c = p;

	(void)injected;
	ASSERT_EQ(gets_events(c), ret == 0);
	if (ret)
		ASSERT_EQ(call_join(c), 0);
	ASSERT_TRUE(gets_events(c));
}

TEST(join_events)
{
	struct ctx *c = calloc(1, sizeof(*c));
	struct failnth_call fc = {
		.name = "NETLINK_ADD_MEMBERSHIP", .ctx = c,
		.setup = setup_join, .call = call_join, .check = check_join,
	};
	int ret;

	char gen[IPCCHAN_NAME_MAX];
	pid_t pid;

	ctx_init(c, 0);
	ret = genl_ctrl_resolve_grp(c->n.sk, IPCCHAN_GENL_NAME,
				    IPCCHAN_GENL_MCGRP_EVENTS);
	ASSERT_GT(ret, 0);
	c->grp = ret;
	failnth_run(&fc);

	/* Again while another process makes events all along. */
	new_name(gen);
	pid = xfork();
	if (pid == 0) {
		for (;;) {
			int fd = ipcchan_chan_open(IPCCHAN_DEV_AUTO, gen, RS |
						   IPCCHAN_OPEN_CREATE, NULL);

			if (fd >= 0)
				close(fd);
			ipcchan_chan_unlink(IPCCHAN_DEV_AUTO, gen);
			usleep(20000);
		}
	}
	fc.name = "NETLINK_ADD_MEMBERSHIP, with events made meanwhile";
	failnth_run(&fc);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/*
 * Takes the events queued on the listener: each must be of @name (never of
 * an object that was not created), numbered after the last one or after a
 * gap (an event that could not be made); returns how many are @what.
 */
static int take_events(struct ctx *c, const char *name, uint32_t what,
		       bool gap_ok)
{
	struct nlu_obj ev;
	int count = 0;

	while (nlu_event_next(&c->ev, &ev, 50) == 0) {
		ASSERT_STREQ(ev.bad, "");
		ASSERT_STREQ(ev.name, name, "an event of another object "
			     "(event %u, id %llu)", ev.event,
			     (unsigned long long)ev.id);
		ASSERT_NE(ev.id, 0, "an event of an object never created "
			  "(event %u)", ev.event);
		if (c->last_seq && ev.seq != c->last_seq + 1) {
			ASSERT_TRUE(gap_ok, "events %llu to %llu lost with "
				    "no fault injected",
				    (unsigned long long)c->last_seq + 1,
				    (unsigned long long)ev.seq - 1);
			ASSERT_GT(ev.seq, c->last_seq);
			c->gaps++;
		}
		c->last_seq = ev.seq;
		count += ev.event == what;
	}
	return count;
}

static void setup_events(void *p)
{
	struct ctx *c = p;

	new_name(c->name);
	raw_open_init(&c->op, c->name,
		      RS | IPCCHAN_OPEN_CREATE | IPCCHAN_OPEN_EXCL);
	c->op.mode = 0600;
}

static long call_create(void *p)
{
	struct ctx *c = p;

	return xioctl(c->dev, IPCCHAN_IOC_CHAN_OPEN, &c->op);
}

static void check_events(void *p, long ret, bool injected)
{
	struct ctx *c = p;
	uint64_t seq0 = c->last_seq;
	unsigned int gaps0 = c->gaps;
	int created = take_events(c, c->name, IPCCHAN_EVENT_CREATED, injected);

	if (ret < 0) {
		ASSERT_EQ(created, 0);
		ASSERT_EQ(c->last_seq, seq0, "a create that failed made "
			  "events");
		return;
	}
	ASSERT_LE(created, 1);
	/* Closing makes the next events; a lost CREATED shows as a gap. */
	close(ret);
	ASSERT_EQ(take_events(c, c->name, IPCCHAN_EVENT_LAST_SENDER_GONE,
			      !created), 1);
	ASSERT_EQ(c->gaps, gaps0 + !created, "with fault %u: the CREATED "
		  "event of a new channel was lost without a gap in the "
		  "numbering", failnth_n);
	chan_unlink(c->name);
	ASSERT_EQ(take_events(c, c->name, IPCCHAN_EVENT_DESTROYED, false), 1);
}

TEST_TIMEOUT(events, 90)
{
	struct ctx *c = calloc(1, sizeof(*c));
	struct failnth_call fc = {
		.name = "events of CHAN_OPEN(CREATE)", .ctx = c,
		.setup = setup_events, .call = call_create,
		.check = check_events,
	};

	ctx_init(c, 0);
	nl_open(&c->ev);
	ASSERT_EQ(nlu_subscribe(&c->ev), 0);
	/* A first event, for the numbering to follow from. */
	close(chan_new(c->name, RS, 0600, 0, 0, 0));
	chan_unlink(c->name);
	ASSERT_EQ(take_events(c, c->name, IPCCHAN_EVENT_DESTROYED, false), 1);
	failnth_run(&fc);
	TH_LOG("%u gaps in the numbering of events", c->gaps);
}

TEST_MAIN("failnth_netlink")
