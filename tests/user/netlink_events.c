// SPDX-License-Identifier: GPL-2.0
/*
 * The events group of the generic netlink family "ipcchan": object created
 * and destroyed, last sender and last receiver gone, limit reached, in the
 * order they happen, numbered by IPCCHAN_A_SEQ without gaps; and none about
 * an object that lost the race to its name.
 */
#include "nl_util.h"

static const char *event_name(uint32_t ev)
{
	static const char *names[] = {
		"UNSPEC", "CREATED", "DESTROYED", "LAST_SENDER_GONE",
		"LAST_RECEIVER_GONE", "LIMIT_REACHED",
	};

	return ev < sizeof(names) / sizeof(names[0]) ? names[ev] : "?";
}

/* The events of one object, and the numbering of all of them. */
struct evlog {
	struct nlu_obj ev[64];
	int n;
	uint64_t last_seq;	/* of any event seen */
	int total;
};

static void subscribe(struct nlu *e)
{
	int ret;

	nl_open(e);
	ret = nlu_subscribe(e);
	ASSERT_EQ(ret, 0, "joining the multicast group \"%s\"",
		  IPCCHAN_GENL_MCGRP_EVENTS);
}

/* Checks one event, its place in the numbering, and logs it if it is ours. */
static bool note_event(struct evlog *log, const struct nlu_obj *ev,
		       uint32_t kind, const char *name)
{
	EXPECT_STREQ(ev->bad, "", "event %s of %s", event_name(ev->event),
		     ev->name);
	EXPECT_EQ(ev->cmd, IPCCHAN_CMD_EVENT);
	EXPECT_TRUE(nlu_has(ev, IPCCHAN_A_EVENT) && nlu_has(ev, IPCCHAN_A_ID) &&
		    nlu_has(ev, IPCCHAN_A_KIND) && nlu_has(ev, IPCCHAN_A_NAME) &&
		    nlu_has(ev, IPCCHAN_A_SEQ), "event %s of %s lacks an "
		    "attribute (present %#llx)", event_name(ev->event),
		    ev->name, (unsigned long long)ev->present);
	EXPECT_TRUE(ev->event >= IPCCHAN_EVENT_CREATED &&
		    ev->event <= IPCCHAN_EVENT_MAX, "event type %u", ev->event);
	if (log->total)
		EXPECT_EQ(ev->seq, log->last_seq + 1, "the event after seq "
			  "%llu: %s of %s", (unsigned long long)log->last_seq,
			  event_name(ev->event), ev->name);
	log->last_seq = ev->seq;
	log->total++;
	if (ev->kind != kind || strcmp(ev->name, name))
		return false;
	ASSERT_LT(log->n, 64);
	log->ev[log->n++] = *ev;
	TH_LOG("event seq %llu: %s of %s (id %llu)",
	       (unsigned long long)ev->seq, event_name(ev->event), ev->name,
	       (unsigned long long)ev->id);
	return true;
}

/* Takes events until @what of (@kind, @name) arrives; fails after WAIT_MS. */
static void take_until(struct nlu *e, struct evlog *log, uint32_t kind,
		       const char *name, uint32_t what)
{
	int64_t deadline = now_ns() + WAIT_NS;

	for (;;) {
		struct nlu_obj ev;
		int64_t left = (deadline - now_ns()) / NS_PER_MS;
		int ret = nlu_event_next(e, &ev, left > 0 ? (int)left : 0);

		ASSERT_EQ(ret, 0, "waiting for %s of %s (%d events of it so "
			  "far)", event_name(what), name, log->n);
		if (note_event(log, &ev, kind, name) && ev.event == what)
			return;
	}
}

/* Takes what arrives within @ms; returns how many were of (@kind, @name). */
static int take_for(struct nlu *e, struct evlog *log, uint32_t kind,
		    const char *name, int ms)
{
	int64_t deadline = now_ns() + (int64_t)ms * NS_PER_MS;
	int mine = 0;

	for (;;) {
		struct nlu_obj ev;
		int64_t left = (deadline - now_ns()) / NS_PER_MS;
		int ret;

		if (left <= 0)
			return mine;
		ret = nlu_event_next(e, &ev, (int)left);
		if (ret == -ETIMEDOUT)
			return mine;
		ASSERT_EQ(ret, 0);
		mine += note_event(log, &ev, kind, name);
	}
}

/* The sequence of event types of @log, as text. */
static void event_list(const struct evlog *log, char *buf, size_t len)
{
	size_t off = 0;
	int i;

	buf[0] = 0;
	for (i = 0; i < log->n && off < len; i++)
		off += snprintf(buf + off, len - off, "%s%s", i ? " " : "",
				event_name(log->ev[i].event));
}

/*
 * A channel's life: created, its last sender and last receiver gone, its
 * queue full, unlinked and closed: the events in that order.
 */
TEST_TIMEOUT(channel_lifecycle, 60)
{
	char name[IPCCHAN_NAME_MAX], list[512];
	struct evlog log = { .n = 0 };
	struct nlu e, n;
	struct nlu_obj o;
	uint64_t id;
	int c, s, r, f, i, ret;
	uint32_t want[] = {
		IPCCHAN_EVENT_CREATED, IPCCHAN_EVENT_LAST_SENDER_GONE,
		IPCCHAN_EVENT_LAST_RECEIVER_GONE, IPCCHAN_EVENT_LIMIT_REACHED,
	};

	subscribe(&e);
	nl_open(&n);
	c = chan_new(name, RS, 0600, 16, 4, 0);
	nl_get(&n, IPCCHAN_KIND_CHANNEL, name, &o);
	id = o.id;
	take_until(&e, &log, IPCCHAN_KIND_CHANNEL, name,
		   IPCCHAN_EVENT_CREATED);

	s = chan_get(name, IPCCHAN_OPEN_SEND);
	r = chan_get(name, IPCCHAN_OPEN_RECV);
	close(c);
	EXPECT_EQ(take_for(&e, &log, IPCCHAN_KIND_CHANNEL, name, SETTLE_MS), 0,
		  "no event while a sender and a receiver are open");
	close(s);
	take_until(&e, &log, IPCCHAN_KIND_CHANNEL, name,
		   IPCCHAN_EVENT_LAST_SENDER_GONE);
	close(r);
	take_until(&e, &log, IPCCHAN_KIND_CHANNEL, name,
		   IPCCHAN_EVENT_LAST_RECEIVER_GONE);

	f = chan_get(name, IPCCHAN_OPEN_SEND);
	for (i = 0; i < 8; i++) {
		ret = ipcchan_send(f, "fill", 4, IPCCHAN_XFER_NONBLOCK,
				   IPCCHAN_WAIT_FOREVER);
		if (ret == -EAGAIN)
			break;
		ASSERT_EQ(ret, 0);
	}
	ASSERT_EQ(i, 4, "the 5th send is refused");
	take_until(&e, &log, IPCCHAN_KIND_CHANNEL, name,
		   IPCCHAN_EVENT_LIMIT_REACHED);

	chan_unlink(name);
	close(f);
	take_until(&e, &log, IPCCHAN_KIND_CHANNEL, name,
		   IPCCHAN_EVENT_DESTROYED);

	event_list(&log, list, sizeof(list));
	TH_LOG("events: %s", list);
	ASSERT_GE(log.n, 5);
	for (i = 0; i < 4; i++)
		EXPECT_EQ(log.ev[i].event, want[i], "event %d of [%s]", i, list);
	/* Closing the last fd may say that the last sender went first. */
	if (log.n == 6)
		EXPECT_EQ(log.ev[4].event, IPCCHAN_EVENT_LAST_SENDER_GONE,
			  "[%s]", list);
	else
		EXPECT_EQ(log.n, 5, "[%s]", list);
	EXPECT_EQ(log.ev[log.n - 1].event, IPCCHAN_EVENT_DESTROYED);
	for (i = 0; i < log.n; i++) {
		EXPECT_EQ(log.ev[i].id, id, "event %d (%s)", i,
			  event_name(log.ev[i].event));
		EXPECT_EQ(log.ev[i].kind, IPCCHAN_KIND_CHANNEL);
		if (i)
			EXPECT_GT(log.ev[i].seq, log.ev[i - 1].seq);
	}
	/* Nothing more about it. */
	EXPECT_EQ(take_for(&e, &log, IPCCHAN_KIND_CHANNEL, name, SETTLE_MS), 0);
	nlu_close(&e);
	nlu_close(&n);
}

/* A region: created; destroyed when its name, fd and last mapping are gone. */
TEST_TIMEOUT(region_create_destroy, 60)
{
	char name[IPCCHAN_NAME_MAX];
	struct evlog log = { .n = 0 };
	size_t len = page_size();
	struct nlu e, n;
	struct nlu_obj o;
	void *p;
	int fd, i;

	subscribe(&e);
	nl_open(&n);
	fd = region_new(name, RW_REGION, 0600, len);
	nl_get(&n, IPCCHAN_KIND_REGION, name, &o);
	take_until(&e, &log, IPCCHAN_KIND_REGION, name, IPCCHAN_EVENT_CREATED);

	p = region_map(fd, len, PROT_READ | PROT_WRITE, 0);
	close(fd);
	region_unlink(name);
	EXPECT_EQ(take_for(&e, &log, IPCCHAN_KIND_REGION, name, SETTLE_MS), 0,
		  "not destroyed while mapped");
	munmap(p, len);
	take_until(&e, &log, IPCCHAN_KIND_REGION, name,
		   IPCCHAN_EVENT_DESTROYED);
	ASSERT_EQ(log.n, 2);
	for (i = 0; i < 2; i++) {
		EXPECT_EQ(log.ev[i].id, o.id);
		EXPECT_EQ(log.ev[i].kind, IPCCHAN_KIND_REGION);
	}
	EXPECT_EQ(log.ev[1].seq, log.ev[0].seq + 1, "nothing in between");

	/* A channel of the same name is another object. */
	fd = chan_new(name, RS, 0600, 0, 0, 0);
	close(fd);
	EXPECT_EQ(take_for(&e, &log, IPCCHAN_KIND_REGION, name, SETTLE_MS), 0);
	nlu_close(&e);
	nlu_close(&n);
}

/* LIMIT_REACHED comes once per filling, not once per refused send. */
TEST_TIMEOUT(limit_reached_once, 60)
{
	char name[IPCCHAN_NAME_MAX], buf[16], list[512];
	struct evlog log = { .n = 0 };
	struct nlu e;
	int fd, i, limits = 0;

	subscribe(&e);
	fd = chan_new(name, RS, 0600, 16, 2, 0);
	take_until(&e, &log, IPCCHAN_KIND_CHANNEL, name, IPCCHAN_EVENT_CREATED);
	send_ok(fd, "a", 1);
	send_ok(fd, "b", 1);
	for (i = 0; i < 3; i++)
		EXPECT_EQ(ipcchan_send(fd, "c", 1, IPCCHAN_XFER_NONBLOCK,
				       IPCCHAN_WAIT_FOREVER), -EAGAIN);
	take_until(&e, &log, IPCCHAN_KIND_CHANNEL, name,
		   IPCCHAN_EVENT_LIMIT_REACHED);
	EXPECT_EQ(take_for(&e, &log, IPCCHAN_KIND_CHANNEL, name, SETTLE_MS), 0,
		  "once until there is room again");

	recv_ok(fd, buf, sizeof(buf), NULL);
	send_ok(fd, "d", 1);
	EXPECT_EQ(ipcchan_send(fd, "e", 1, IPCCHAN_XFER_NONBLOCK,
			       IPCCHAN_WAIT_FOREVER), -EAGAIN);
	take_until(&e, &log, IPCCHAN_KIND_CHANNEL, name,
		   IPCCHAN_EVENT_LIMIT_REACHED);

	event_list(&log, list, sizeof(list));
	for (i = 0; i < log.n; i++)
		limits += log.ev[i].event == IPCCHAN_EVENT_LIMIT_REACHED;
	EXPECT_EQ(limits, 2, "[%s]", list);
	EXPECT_EQ(log.n, 3, "[%s]", list);
	nlu_close(&e);
}

/* Two listeners see the same events with the same numbers. */
TEST_TIMEOUT(two_listeners, 60)
{
	char names[3][IPCCHAN_NAME_MAX];
	struct evlog log[2] = { { .n = 0 }, { .n = 0 } };
	struct nlu e[2];
	int i, k;

	subscribe(&e[0]);
	subscribe(&e[1]);
	for (i = 0; i < 3; i++)
		close(chan_new(names[i], RS, 0600, 0, 0, 0));
	for (i = 0; i < 3; i++)
		chan_unlink(names[i]);
	for (k = 0; k < 2; k++) {
		for (i = 0; i < 3; i++) {
			log[k].n = 0;
			take_until(&e[k], &log[k], IPCCHAN_KIND_CHANNEL,
				   names[i], IPCCHAN_EVENT_CREATED);
		}
		for (i = 0; i < 3; i++) {
			log[k].n = 0;
			take_until(&e[k], &log[k], IPCCHAN_KIND_CHANNEL,
				   names[i], IPCCHAN_EVENT_DESTROYED);
		}
	}
	EXPECT_EQ(log[0].total, log[1].total);
	EXPECT_EQ(log[0].last_seq, log[1].last_seq);
	EXPECT_GE(log[0].total, 6);
	nlu_close(&e[0]);
	nlu_close(&e[1]);
}

#define RACE_ROUNDS	300

/*
 * Two processes create the same names at the same moment, again and again.
 * The loser of each race made an object and a file that never got the
 * name; closing that file must not send events (they had id 0 and the
 * winner's name, and told listeners that the named channel had lost its
 * last sender). Found by tests/fuzz.
 */
TEST_TIMEOUT(racing_creators_no_unnamed_events, 120)
{
	char base[IPCCHAN_NAME_MAX], name[IPCCHAN_NAME_MAX];
	struct evlog log = { .n = 0 };
	volatile int *gate;
	struct nlu e;
	pid_t pid[2];
	int k, i, bad = 0;

	gate = mmap(NULL, page_size(), PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(gate != MAP_FAILED);
	gate[0] = gate[1] = 0;
	new_name(base);
	subscribe(&e);
	/* Room for every event of the run: no ENOBUFS while we wait. */
	nlu_setsockopt_int(&e, SOL_SOCKET, SO_RCVBUFFORCE, 16 << 20);
	for (k = 0; k < 2; k++) {
		pid[k] = xfork();
		if (pid[k])
			continue;
		for (i = 0; i < RACE_ROUNDS; i++) {
			int fd;

			/* Both at round i before either creates it. */
			__atomic_add_fetch(&gate[k], 1, __ATOMIC_SEQ_CST);
			while (__atomic_load_n(&gate[!k], __ATOMIC_SEQ_CST) < i + 1)
				;
			snprintf(name, sizeof(name), "%.40s-%d", base, i);
			fd = ipcchan_chan_open(IPCCHAN_DEV_AUTO, name,
					       RS | IPCCHAN_OPEN_CREATE, NULL);
			EXPECT_GE(fd, 0, "round %d", i);
			close(fd);
		}
		child_exit();
	}
	for (k = 0; k < 2; k++)
		EXPECT_EQ(wait_exit(pid[k], CHILD_MS), 0);
	for (i = 0; i < RACE_ROUNDS; i++) {
		snprintf(name, sizeof(name), "%.40s-%d", base, i);
		chan_unlink(name);
	}
	for (;;) {
		struct nlu_obj ev;

		if (nlu_event_next(&e, &ev, SETTLE_MS * 4))
			break;
		note_event(&log, &ev, IPCCHAN_KIND_CHANNEL, "");
		if (!ev.id && bad++ < 5)
			TH_LOG("event %s of %s has id 0",
			       event_name(ev.event), ev.name);
	}
	TH_LOG("%d events", log.total);
	EXPECT_EQ(bad, 0, "events of objects that were never named");
	/* Created, last sender and receiver gone, destroyed: per name. */
	EXPECT_GE(log.total, RACE_ROUNDS * 2);
	nlu_close(&e);
}

TEST_MAIN("netlink_events")
