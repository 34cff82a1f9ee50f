// SPDX-License-Identifier: GPL-2.0
/*
 * The order of the events of one object: its CREATED event comes before
 * every other event of its id, whoever finds the object the moment it is
 * named. Creators, openers and closers race on a few names while a monitor
 * listens.
 */
#include "nl_util.h"

#include <sys/mman.h>

#define NAMES		4
#define CREATORS	2
#define OPENERS		4
#define RUN_MS		3000

/* What the monitor has seen of one id. */
struct seen {
	uint64_t id;		/* 0: free slot */
	bool created;
	bool other;		/* an event other than CREATED */
};

#define SEEN_SLOTS	(1 << 18)

static struct seen *seen_of(struct seen *tab, uint64_t id)
{
	size_t i = (size_t)(id * 0x9e3779b97f4a7c15ULL >> 46) % SEEN_SLOTS;

	while (tab[i].id && tab[i].id != id)
		i = (i + 1) % SEEN_SLOTS;
	tab[i].id = id;
	return &tab[i];
}

static void creator(const char *base, volatile int *stop)
{
	struct ipcchan_attr a = { .mode = 0600 };
	char name[IPCCHAN_NAME_MAX];
	unsigned int i = 0;

	while (!*stop) {
		int fd;

		snprintf(name, sizeof(name), "%.40s-%u", base, i++ % NAMES);
		/* Receive side only: an opener's close is the last sender's. */
		fd = ipcchan_chan_open(IPCCHAN_DEV_AUTO, name, IPCCHAN_OPEN_RECV |
				       IPCCHAN_OPEN_CREATE, &a);
		if (fd < 0)
			continue;
		ipcchan_chan_unlink(IPCCHAN_DEV_AUTO, name);
		close(fd);
	}
	_exit(0);
}

static void opener(const char *base, volatile int *stop)
{
	char name[IPCCHAN_NAME_MAX];
	unsigned int i = 0;

	while (!*stop) {
		int fd;

		snprintf(name, sizeof(name), "%.40s-%u", base, i++ % NAMES);
		fd = ipcchan_chan_open(IPCCHAN_DEV_AUTO, name, IPCCHAN_OPEN_SEND,
				       NULL);
		if (fd >= 0)
			close(fd);
	}
	_exit(0);
}

/*
 * before: a monitor on the events group; 2 creators that create, unlink
 *         and close channels under 4 names, 4 openers that open each name
 *         as a sender and close it at once, for 3 s
 * after:  no id has an event before its CREATED: a CREATED that comes after
 *         another event of its id is a failure
 */
TEST(created_comes_first)
{
	struct seen *tab = calloc(SEEN_SLOTS, sizeof(*tab));
	pid_t pid[CREATORS + OPENERS];
	unsigned long events = 0, ids = 0, late = 0, lost = 0, early = 0;
	uint64_t last_seq = 0;
	char base[IPCCHAN_NAME_MAX];
	volatile int *stop;
	int64_t end;
	struct nlu e;
	int k, ret;

	ASSERT_TRUE(tab != NULL);
	stop = shared_alloc(sizeof(*stop));
	new_name(base);
	nl_open(&e);
	ret = nlu_subscribe(&e);
	ASSERT_EQ(ret, 0, "joining the events group");
	nlu_setsockopt_int(&e, SOL_SOCKET, SO_RCVBUFFORCE, 32 << 20);

	for (k = 0; k < CREATORS + OPENERS; k++) {
		pid[k] = xfork();
		if (pid[k] == 0) {
			if (k < CREATORS)
				creator(base, stop);
			opener(base, stop);
		}
	}
	end = now_ns() + RUN_MS * NS_PER_MS;
	for (;;) {
		struct nlu_obj ev;
		struct seen *s;

		if (!*stop && now_ns() > end)
			*stop = 1;
		ret = nlu_event_next(&e, &ev, *stop ? 1000 : 100);
		if (ret == -ETIMEDOUT) {
			if (*stop)
				break;
			continue;
		}
		if (ret == -ENOBUFS) {
			lost++;
			continue;
		}
		ASSERT_EQ(ret, 0);
		if (last_seq && ev.seq != last_seq + 1)
			lost++;
		last_seq = ev.seq;
		if (strncmp(ev.name, base, strlen(base)))
			continue;
		events++;
		s = seen_of(tab, ev.id);
		if (!s->created && !s->other)
			ids++;
		if (ev.event == IPCCHAN_EVENT_CREATED) {
			if (s->other && late++ < 5)
				TH_LOG("id %llu (%s): CREATED after another "
				       "event", (unsigned long long)ev.id,
				       ev.name);
			s->created = true;
		} else {
			if (!s->created)
				early++;
			s->other = true;
		}
	}
	for (k = 0; k < CREATORS + OPENERS; k++)
		ASSERT_EQ(u_wait_exit(pid[k], CHILD_MS), 0);
	TH_LOG("%lu events of %lu ids; %lu gaps; %lu events before a CREATED "
	       "seen (or lost), %lu CREATED late", events, ids, lost, early,
	       late);
	ASSERT_GT(ids, 0);
	EXPECT_EQ(late, 0, "an id had an event before its CREATED");
	nlu_close(&e);
	free(tab);
}

TEST_MAIN("netlink_order")
