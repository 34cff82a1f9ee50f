// SPDX-License-Identifier: GPL-2.0
/*
 * Dumps of the generic netlink family "ipcchan": they agree with the
 * objects the test created, filter by kind, come in the order of the ids,
 * count the traffic the test sent, and stay correct while other objects
 * are created and unlinked.
 */
#include "nl_util.h"

/* Dumps everything and returns the object of @kind called @name. */
static struct nlu_obj dump_one(uint32_t kind, const char *name)
{
	struct nlu_list l = { 0 };
	struct nlu_obj o;
	struct nlu n;

	nl_open(&n);
	nl_dump(&n, 0, &l);
	o = *nl_find(&l, kind, name);
	nlu_list_free(&l);
	nlu_close(&n);
	return o;
}

/* The attributes every object and every channel must have. */
static void expect_channel_attrs(const struct nlu_obj *o)
{
	static const int attrs[] = {
		IPCCHAN_A_ID, IPCCHAN_A_KIND, IPCCHAN_A_NAME, IPCCHAN_A_UID,
		IPCCHAN_A_GID, IPCCHAN_A_MODE, IPCCHAN_A_CREATOR_PID,
		IPCCHAN_A_FDS, IPCCHAN_A_MAX_MSG_SIZE, IPCCHAN_A_MAX_MSGS,
		IPCCHAN_A_MAX_BYTES, IPCCHAN_A_MSGS, IPCCHAN_A_BYTES,
		IPCCHAN_A_SENT_MSGS, IPCCHAN_A_SENT_BYTES,
		IPCCHAN_A_RECV_MSGS, IPCCHAN_A_RECV_BYTES,
		IPCCHAN_A_REJECTED, IPCCHAN_A_SENDERS, IPCCHAN_A_RECEIVERS,
		IPCCHAN_A_BLOCKED_SENDERS, IPCCHAN_A_BLOCKED_RECEIVERS,
	};
	size_t i;

	for (i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++)
		EXPECT_TRUE(nlu_has(o, attrs[i]), "channel %s lacks attribute "
			    "%d", o->name, attrs[i]);
	EXPECT_FALSE(nlu_has(o, IPCCHAN_A_EVENT));
	EXPECT_FALSE(nlu_has(o, IPCCHAN_A_SEQ));
}

static void expect_region_attrs(const struct nlu_obj *o)
{
	static const int attrs[] = {
		IPCCHAN_A_ID, IPCCHAN_A_KIND, IPCCHAN_A_NAME, IPCCHAN_A_UID,
		IPCCHAN_A_GID, IPCCHAN_A_MODE, IPCCHAN_A_CREATOR_PID,
		IPCCHAN_A_FDS, IPCCHAN_A_REGION_SIZE, IPCCHAN_A_MAPPINGS,
	};
	size_t i;

	for (i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++)
		EXPECT_TRUE(nlu_has(o, attrs[i]), "region %s lacks attribute "
			    "%d", o->name, attrs[i]);
}

/* Every field of channels and regions of root and of nobody. */
TEST(fields)
{
	char c1[IPCCHAN_NAME_MAX], c2[IPCCHAN_NAME_MAX];
	char r1[IPCCHAN_NAME_MAX], r2[IPCCHAN_NAME_MAX];
	struct nlu_list l = { 0 };
	const struct nlu_obj *o;
	struct sync s;
	struct nlu n;
	pid_t pid;
	long pg = page_size();

	chan_new(c1, RS, 0640, 512, 7, 2048);
	region_new(r1, RW_REGION, 0600, 2 * pg + 1);
	new_name(c2);
	new_name(r2);
	sync_init(&s);
	pid = xfork();
	if (pid == 0) {
		drop_to_nobody();
		ASSERT_GE(ipcchan_chan_open(IPCCHAN_DEV_AUTO, c2,
					    IPCCHAN_OPEN_SEND |
					    IPCCHAN_OPEN_CREATE, NULL), 0);
		ASSERT_GE(ipcchan_region_open(IPCCHAN_DEV_AUTO, r2,
					      IPCCHAN_REGION_READ |
					      IPCCHAN_OPEN_CREATE, 0644, pg),
			  0);
		sync_post(&s);
		pause();
		child_exit();
	}
	sync_wait(&s);

	nl_open(&n);
	nl_dump(&n, 0, &l);

	o = nl_find(&l, IPCCHAN_KIND_CHANNEL, c1);
	expect_channel_attrs(o);
	EXPECT_EQ(o->cmd, IPCCHAN_CMD_GET);
	EXPECT_NE(o->id, 0);
	EXPECT_EQ(o->uid, 0);
	EXPECT_EQ(o->gid, 0);
	EXPECT_EQ(o->mode, 0640);
	EXPECT_EQ(o->creator_pid, (uint32_t)getpid());
	EXPECT_EQ(o->max_msg_size, 512);
	EXPECT_EQ(o->max_msgs, 7);
	EXPECT_EQ(o->max_bytes, 2048);
	EXPECT_EQ(o->msgs, 0);
	EXPECT_EQ(o->bytes, 0);
	EXPECT_EQ(o->sent_msgs, 0);
	EXPECT_EQ(o->recv_msgs, 0);
	EXPECT_EQ(o->rejected, 0);
	EXPECT_EQ(o->fds, 1);
	EXPECT_EQ(o->senders, 1);
	EXPECT_EQ(o->receivers, 1);
	EXPECT_EQ(o->blocked_senders, 0);
	EXPECT_EQ(o->blocked_receivers, 0);
	EXPECT_FALSE(nlu_has(o, IPCCHAN_A_REGION_SIZE));

	o = nl_find(&l, IPCCHAN_KIND_CHANNEL, c2);
	expect_channel_attrs(o);
	EXPECT_EQ(o->uid, NOBODY);
	EXPECT_EQ(o->gid, NOBODY);
	EXPECT_EQ(o->mode, 0600, "the library's default mode");
	EXPECT_EQ(o->creator_pid, (uint32_t)pid);
	EXPECT_EQ(o->fds, 1);
	EXPECT_EQ(o->senders, 1);
	EXPECT_EQ(o->receivers, 0);
	{
		char buf[32];

		EXPECT_EQ(param_read("default_max_msg_size", buf,
				     sizeof(buf)), 0);
		EXPECT_EQ(o->max_msg_size, strtoul(buf, NULL, 0),
			  "default max_msg_size");
		EXPECT_EQ(param_read("default_max_msgs", buf, sizeof(buf)), 0);
		EXPECT_EQ(o->max_msgs, strtoul(buf, NULL, 0),
			  "default max_msgs");
	}

	o = nl_find(&l, IPCCHAN_KIND_REGION, r1);
	expect_region_attrs(o);
	EXPECT_EQ(o->uid, 0);
	EXPECT_EQ(o->gid, 0);
	EXPECT_EQ(o->mode, 0600);
	EXPECT_EQ(o->creator_pid, (uint32_t)getpid());
	EXPECT_EQ(o->region_size, (uint64_t)3 * pg);
	EXPECT_EQ(o->mappings, 0);
	EXPECT_EQ(o->fds, 1);
	EXPECT_FALSE(nlu_has(o, IPCCHAN_A_MAX_MSGS));
	EXPECT_FALSE(nlu_has(o, IPCCHAN_A_SENT_MSGS));

	o = nl_find(&l, IPCCHAN_KIND_REGION, r2);
	expect_region_attrs(o);
	EXPECT_EQ(o->uid, NOBODY);
	EXPECT_EQ(o->gid, NOBODY);
	EXPECT_EQ(o->mode, 0644);
	EXPECT_EQ(o->creator_pid, (uint32_t)pid);
	EXPECT_EQ(o->region_size, (uint64_t)pg);
	nlu_list_free(&l);

	/* Once the creator is gone, the object keeps its creator's pid. */
	kill(pid, SIGKILL);
	wait_exit(pid, CHILD_MS);
	nl_dump(&n, IPCCHAN_KIND_CHANNEL, &l);
	o = nl_find(&l, IPCCHAN_KIND_CHANNEL, c2);
	EXPECT_EQ(o->fds, 0);
	EXPECT_EQ(o->senders, 0);
	EXPECT_EQ(o->uid, NOBODY);
	nlu_list_free(&l);
	nlu_close(&n);
}

/* IPCCHAN_A_KIND in a dump request lists one kind only. */
TEST(kind_filter)
{
	char c[IPCCHAN_NAME_MAX], r[IPCCHAN_NAME_MAX], both[IPCCHAN_NAME_MAX];
	struct nlu_list all = { 0 }, lc = { 0 }, lr = { 0 };
	struct nlu n;
	size_t i;
	int fd;

	chan_new(c, RS, 0600, 0, 0, 0);
	region_new(r, RW_REGION, 0600, page_size());
	/* A channel and a region of the same name. */
	chan_new(both, RS, 0600, 0, 0, 0);
	fd = ipcchan_region_open(IPCCHAN_DEV_AUTO, both, RW_REGION |
				 IPCCHAN_OPEN_CREATE | IPCCHAN_OPEN_EXCL,
				 0600, page_size());
	ASSERT_GE(fd, 0);

	nl_open(&n);
	nl_dump(&n, 0, &all);
	nl_dump(&n, IPCCHAN_KIND_CHANNEL, &lc);
	nl_dump(&n, IPCCHAN_KIND_REGION, &lr);

	nl_find(&all, IPCCHAN_KIND_CHANNEL, c);
	nl_find(&all, IPCCHAN_KIND_REGION, r);
	nl_find(&all, IPCCHAN_KIND_CHANNEL, both);
	nl_find(&all, IPCCHAN_KIND_REGION, both);
	EXPECT_NE(nl_find(&all, IPCCHAN_KIND_CHANNEL, both)->id,
		  nl_find(&all, IPCCHAN_KIND_REGION, both)->id);

	nl_find(&lc, IPCCHAN_KIND_CHANNEL, c);
	nl_find(&lc, IPCCHAN_KIND_CHANNEL, both);
	for (i = 0; i < lc.n; i++)
		EXPECT_EQ(lc.v[i].kind, IPCCHAN_KIND_CHANNEL, "%s in the "
			  "channel dump", lc.v[i].name);
	nl_find(&lr, IPCCHAN_KIND_REGION, r);
	nl_find(&lr, IPCCHAN_KIND_REGION, both);
	for (i = 0; i < lr.n; i++)
		EXPECT_EQ(lr.v[i].kind, IPCCHAN_KIND_REGION, "%s in the "
			  "region dump", lr.v[i].name);
	/* Nothing changes meanwhile: the two parts make the whole. */
	EXPECT_EQ(lc.n + lr.n, all.n);
	nlu_list_free(&all);
	nlu_list_free(&lc);
	nlu_list_free(&lr);
	nlu_close(&n);
}

/* Ids are unique and a dump lists objects in the order they were named. */
TEST(id_order)
{
	char names[6][IPCCHAN_NAME_MAX];
	struct nlu_list l = { 0 };
	uint64_t prev = 0, ids[6];
	struct nlu n;
	size_t i;

	for (i = 0; i < 6; i++) {
		if (i % 2)
			region_new(names[i], RW_REGION, 0600, page_size());
		else
			chan_new(names[i], RS, 0600, 0, 0, 0);
	}
	nl_open(&n);
	nl_dump(&n, 0, &l);
	for (i = 0; i < l.n; i++) {
		EXPECT_STREQ(l.v[i].bad, "", "object %s", l.v[i].name);
		EXPECT_GT(l.v[i].id, prev, "object %zu (%s) of the dump", i,
			  l.v[i].name);
		prev = l.v[i].id;
	}
	for (i = 0; i < 6; i++) {
		ids[i] = nl_find(&l, i % 2 ? IPCCHAN_KIND_REGION :
				 IPCCHAN_KIND_CHANNEL, names[i])->id;
		if (i)
			EXPECT_GT(ids[i], ids[i - 1], "named after %s",
				  names[i - 1]);
	}
	nlu_list_free(&l);

	/* An unlinked and recreated name gets a new, higher id. */
	chan_unlink(names[0]);
	close(ipcchan_chan_open(IPCCHAN_DEV_AUTO, names[0],
				RS | IPCCHAN_OPEN_CREATE, NULL));
	nl_dump(&n, IPCCHAN_KIND_CHANNEL, &l);
	EXPECT_GT(nl_find(&l, IPCCHAN_KIND_CHANNEL, names[0])->id, ids[5]);
	nlu_list_free(&l);
	nlu_close(&n);
}

/* Send N messages of S bytes, receive M: the counters say so. */
TEST(counters_traffic)
{
	enum { N = 10, S = 100, M = 4 };
	char name[IPCCHAN_NAME_MAX], buf[S];
	struct nlu_obj o;
	int s, r, i;

	s = chan_new(name, IPCCHAN_OPEN_SEND, 0600, 1024, 16, 0);
	r = chan_get(name, IPCCHAN_OPEN_RECV);
	memset(buf, 'c', sizeof(buf));
	for (i = 0; i < N; i++)
		send_ok(s, buf, S);
	for (i = 0; i < M; i++)
		ASSERT_EQ(recv_ok(r, buf, sizeof(buf), NULL), S);

	o = dump_one(IPCCHAN_KIND_CHANNEL, name);
	EXPECT_EQ(o.sent_msgs, N);
	EXPECT_EQ(o.sent_bytes, N * S);
	EXPECT_EQ(o.recv_msgs, M);
	EXPECT_EQ(o.recv_bytes, M * S);
	EXPECT_EQ(o.msgs, N - M);
	EXPECT_EQ(o.bytes, (N - M) * S);
	EXPECT_EQ(o.rejected, 0);

	/* Batches and read/write count alike, and the dump follows. */
	EXPECT_EQ(write(s, buf, 7), 7);
	EXPECT_EQ(read(r, buf, sizeof(buf)), S);
	o = dump_one(IPCCHAN_KIND_CHANNEL, name);
	EXPECT_EQ(o.sent_msgs, N + 1);
	EXPECT_EQ(o.sent_bytes, N * S + 7);
	EXPECT_EQ(o.recv_msgs, M + 1);
	EXPECT_EQ(o.recv_bytes, (M + 1) * S);
	EXPECT_EQ(o.msgs, N - M);
	EXPECT_EQ(o.bytes, (N - M - 1) * S + 7);
}

/* REJECTED counts the sends refused on a limit. */
TEST(rejected)
{
	char name[IPCCHAN_NAME_MAX], buf[64];
	struct nlu_obj o;
	int fd, i;

	fd = chan_new(name, RS, 0600, 32, 4, 0);
	memset(buf, 'r', sizeof(buf));
	for (i = 0; i < 4; i++)
		send_ok(fd, buf, 10);
	for (i = 0; i < 3; i++)
		EXPECT_EQ(ipcchan_send(fd, buf, 10, IPCCHAN_XFER_NONBLOCK,
				       IPCCHAN_WAIT_FOREVER), -EAGAIN);
	o = dump_one(IPCCHAN_KIND_CHANNEL, name);
	EXPECT_EQ(o.rejected, 3);
	EXPECT_EQ(o.sent_msgs, 4);
	EXPECT_EQ(o.sent_bytes, 40);
	EXPECT_EQ(o.msgs, 4);

	/* A timed-out send and an oversized one count too. */
	EXPECT_EQ(ipcchan_send(fd, buf, 10, 0, 1000000), -ETIMEDOUT);
	EXPECT_EQ(ipcchan_send(fd, buf, 33, IPCCHAN_XFER_NONBLOCK,
			       IPCCHAN_WAIT_FOREVER), -EMSGSIZE);
	o = dump_one(IPCCHAN_KIND_CHANNEL, name);
	EXPECT_EQ(o.rejected, 5);
	EXPECT_EQ(o.sent_msgs, 4);

	/* A failure that is no limit does not: a bad buffer, with room. */
	recv_ok(fd, buf, sizeof(buf), NULL);
	EXPECT_EQ(ipcchan_send(fd, noaccess_page(), 10, IPCCHAN_XFER_NONBLOCK,
			       IPCCHAN_WAIT_FOREVER), -EFAULT);
	o = dump_one(IPCCHAN_KIND_CHANNEL, name);
	EXPECT_EQ(o.rejected, 5, "EFAULT is no limit");
	EXPECT_EQ(o.sent_msgs, 4);
	EXPECT_EQ(o.recv_msgs, 1);
}

/* SENDERS, RECEIVERS and FDS follow the open files. */
TEST(senders_receivers_fds)
{
	char name[IPCCHAN_NAME_MAX];
	struct nlu_obj o;
	int a, s1, s2, r1;

	a = chan_new(name, RS, 0600, 0, 0, 0);
	s1 = chan_get(name, IPCCHAN_OPEN_SEND);
	s2 = chan_get(name, IPCCHAN_OPEN_SEND);
	r1 = chan_get(name, IPCCHAN_OPEN_RECV);
	o = dump_one(IPCCHAN_KIND_CHANNEL, name);
	EXPECT_EQ(o.senders, 3);
	EXPECT_EQ(o.receivers, 2);
	EXPECT_EQ(o.fds, 4);

	close(s1);
	close(a);
	o = dump_one(IPCCHAN_KIND_CHANNEL, name);
	EXPECT_EQ(o.senders, 1);
	EXPECT_EQ(o.receivers, 1);
	EXPECT_EQ(o.fds, 2);

	/* A dup() is the same open file. */
	a = dup(r1);
	ASSERT_GE(a, 0);
	o = dump_one(IPCCHAN_KIND_CHANNEL, name);
	EXPECT_EQ(o.fds, 2);
	EXPECT_EQ(o.receivers, 1);
	close(s2);
	close(r1);
	close(a);
	o = dump_one(IPCCHAN_KIND_CHANNEL, name);
	EXPECT_EQ(o.senders, 0);
	EXPECT_EQ(o.receivers, 0);
	EXPECT_EQ(o.fds, 0);
}

/* BLOCKED_RECEIVERS is 1 while a child sleeps in a receive. */
TEST(blocked_receivers)
{
	char name[IPCCHAN_NAME_MAX], buf[16];
	struct nlu_obj o;
	pid_t pid;
	int fd;

	fd = chan_new(name, RS, 0600, 0, 0, 0);
	o = dump_one(IPCCHAN_KIND_CHANNEL, name);
	EXPECT_EQ(o.blocked_receivers, 0);
	pid = xfork();
	if (pid == 0) {
		ASSERT_EQ(ipcchan_recv(fd, buf, sizeof(buf), NULL, 0,
				       CHILD_MS * NS_PER_MS), 2);
		child_exit();
	}
	wait_blocked(pid, IN_IOCTL);
	msleep(SETTLE_MS);
	o = dump_one(IPCCHAN_KIND_CHANNEL, name);
	EXPECT_EQ(o.blocked_receivers, 1);
	EXPECT_EQ(o.blocked_senders, 0);
	send_ok(fd, "hi", 2);
	ASSERT_CHILD_OK(pid);
	o = dump_one(IPCCHAN_KIND_CHANNEL, name);
	EXPECT_EQ(o.blocked_receivers, 0);
	EXPECT_EQ(o.recv_msgs, 1);
}

/* BLOCKED_SENDERS is 2 while two children wait for room. */
TEST(blocked_senders)
{
	char name[IPCCHAN_NAME_MAX], buf[16];
	struct nlu_obj o;
	pid_t pid[2];
	int fd, i;

	fd = chan_new(name, RS, 0600, 16, 1, 0);
	send_ok(fd, "full", 4);
	for (i = 0; i < 2; i++) {
		pid[i] = xfork();
		if (pid[i] == 0) {
			ASSERT_EQ(ipcchan_send(fd, "more", 4, 0,
					       CHILD_MS * NS_PER_MS), 0);
			child_exit();
		}
		wait_blocked(pid[i], IN_IOCTL);
	}
	msleep(SETTLE_MS);
	o = dump_one(IPCCHAN_KIND_CHANNEL, name);
	EXPECT_EQ(o.blocked_senders, 2);
	EXPECT_EQ(o.blocked_receivers, 0);
	EXPECT_EQ(o.msgs, 1);
	for (i = 0; i < 3; i++)
		recv_ok(fd, buf, sizeof(buf), NULL);
	for (i = 0; i < 2; i++)
		ASSERT_CHILD_OK(pid[i]);
	o = dump_one(IPCCHAN_KIND_CHANNEL, name);
	EXPECT_EQ(o.blocked_senders, 0);
	EXPECT_EQ(o.sent_msgs, 3);
	EXPECT_EQ(o.recv_msgs, 3);
}

/* MAPPINGS of a region is the number of its VMAs. */
TEST(region_mappings)
{
	char name[IPCCHAN_NAME_MAX];
	struct nlu_obj o;
	size_t len = 2 * page_size();
	void *p[3];
	pid_t pid;
	int fd, i;

	fd = region_new(name, RW_REGION, 0600, len);
	for (i = 0; i < 3; i++)
		p[i] = region_map(fd, len, PROT_READ | PROT_WRITE, 0);
	o = dump_one(IPCCHAN_KIND_REGION, name);
	EXPECT_EQ(o.mappings, 3);
	EXPECT_EQ(o.mappings, region_mappings(fd), "REGION_INFO agrees");
	EXPECT_EQ(o.fds, 1);

	/* Trimming a mapping keeps one VMA; splitting one makes two. */
	ASSERT_EQ(munmap((char *)p[0] + page_size(), page_size()), 0);
	o = dump_one(IPCCHAN_KIND_REGION, name);
	EXPECT_EQ(o.mappings, 3);
	ASSERT_EQ(mprotect(p[1], page_size(), PROT_READ), 0);
	o = dump_one(IPCCHAN_KIND_REGION, name);
	EXPECT_EQ(o.mappings, 4, "mprotect of half of a mapping splits it");
	EXPECT_EQ(o.mappings, region_mappings(fd));

	/* A child's copies count while it lives. */
	pid = xfork();
	if (pid == 0) {
		pause();
		child_exit();
	}
	o = dump_one(IPCCHAN_KIND_REGION, name);
	EXPECT_EQ(o.mappings, 8, "fork copies the 4 shared VMAs");
	EXPECT_EQ(o.mappings, region_mappings(fd));
	kill(pid, SIGKILL);
	wait_exit(pid, CHILD_MS);

	for (i = 0; i < 3; i++)
		munmap(p[i], len);
	o = dump_one(IPCCHAN_KIND_REGION, name);
	EXPECT_EQ(o.mappings, 0);
	/* A mapping holds the region without an fd. */
	p[0] = region_map(fd, len, PROT_READ, 0);
	close(fd);
	o = dump_one(IPCCHAN_KIND_REGION, name);
	EXPECT_EQ(o.mappings, 1);
	munmap(p[0], len);
}

/*
 * A stable set of objects, interleaved with victims, appears exactly once
 * in every dump while a child unlinks the victims and creates and unlinks
 * other channels. The dump is made slow enough to span the churn.
 */
TEST_TIMEOUT(concurrent_churn, 120)
{
	enum { STABLE = 200, DUMPS = 12 };
	char (*stable)[IPCCHAN_NAME_MAX], (*victim)[IPCCHAN_NAME_MAX];
	volatile int *stop;
	struct nlu n;
	pid_t pid;
	int dev = dev_open(), d, i;

	stable = calloc(STABLE, IPCCHAN_NAME_MAX);
	victim = calloc(STABLE, IPCCHAN_NAME_MAX);
	ASSERT_TRUE(stable && victim);
	stop = shared_alloc(sizeof(*stop));
	for (i = 0; i < STABLE; i++) {
		if (i % 10 == 9)
			close(region_new_dev(dev, stable[i], RW_REGION, 0600,
					     page_size()));
		else
			close(chan_new_dev(dev, stable[i], RS, 0600, 0, 0, 0));
		close(chan_new_dev(dev, victim[i], RS, 0600, 0, 0, 0));
	}

	pid = xfork();
	if (pid == 0) {
		char name[2][IPCCHAN_NAME_MAX];
		int k;

		/*
		 * Unlinks the victims one by one, and names new channels
		 * (ids after every stable one), unlinking each at the next
		 * turn, until told to stop.
		 */
		for (k = 0; !*stop; k++) {
			if (k < STABLE)
				ASSERT_EQ(ipcchan_chan_unlink(dev, victim[k]), 0);
			close(chan_new_dev(dev, name[k % 2], RS, 0600, 0, 0, 0));
			if (k)
				ASSERT_EQ(ipcchan_chan_unlink(dev,
							      name[(k + 1) % 2]), 0);
			usleep(2000);
		}
		child_exit();
	}

	nl_open(&n);
	for (d = 0; d < DUMPS; d++) {
		struct nlu_list l = { .slow_us = 300 };
		uint64_t prev = 0;
		size_t j;
		int count;

		nl_dump(&n, 0, &l);
		for (j = 0; j < l.n; j++) {
			EXPECT_GT(l.v[j].id, prev, "dump %d, object %zu (%s): "
				  "ids in order, each once", d, j, l.v[j].name);
			prev = l.v[j].id;
			EXPECT_STREQ(l.v[j].bad, "");
		}
		for (i = 0; i < STABLE; i++) {
			nlu_find_n(&l, i % 10 == 9 ? IPCCHAN_KIND_REGION :
				   IPCCHAN_KIND_CHANNEL, stable[i], &count);
			EXPECT_EQ(count, 1, "dump %d of %zu objects: %s", d,
				  l.n, stable[i]);
			nlu_find_n(&l, IPCCHAN_KIND_CHANNEL, victim[i], &count);
			EXPECT_LE(count, 1, "dump %d: %s", d, victim[i]);
		}
		nlu_list_free(&l);
		if (harness_failed)
			break;
	}
	*stop = 1;
	ASSERT_CHILD_OK(pid);
	TH_LOG("%d dumps, %u names used", d, util_sh()->name_counter);
	nlu_close(&n);
}

TEST_MAIN("netlink_dump")
