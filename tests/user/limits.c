// SPDX-License-Identifier: GPL-2.0
/*
 * Limits: per channel (messages and bytes), the module's parameters under
 * /sys/module/ipcchan/parameters (bounds, defaults, a global byte budget and
 * a channel count), and message memory charged to the sender's memory
 * cgroup. Parameters are found by name in the directory; a test whose
 * parameter is missing skips. Every parameter a test changes is restored,
 * by the test and, failing that, by the runner.
 *
 * Parameter names assumed: max_msg_size_limit, max_msgs_limit,
 * max_bytes_limit, default_max_msg_size, default_max_msgs, max_channels,
 * max_total_bytes, max_channels_per_user, max_bytes_per_user.
 */
#include "util.h"

#include <sys/mount.h>


static void require_param(const char *name)
{
	if (!param_writable(name))
		SKIP("no writable parameter %s", name);
}

TEST(count)
{
	struct ipcchan_chan_info ci;
	int fd = chan_new(NULL, RS, 0600, 16, 5, 1000);
	int i;

	for (i = 0; i < 5; i++)
		ASSERT_EQ(ipcchan_send(fd, "m", 1, IPCCHAN_XFER_NONBLOCK,
				       IPCCHAN_WAIT_FOREVER), 0, "message %d", i);
	ASSERT_EQ(ipcchan_send(fd, "m", 1, IPCCHAN_XFER_NONBLOCK,
			       IPCCHAN_WAIT_FOREVER), -EAGAIN);
	ASSERT_EQ(ipcchan_send(fd, "m", 1, 0, 20 * NS_PER_MS), -ETIMEDOUT);
	chan_info(fd, &ci);
	ASSERT_EQ(ci.msgs, 5);
	ASSERT_EQ(ci.bytes, 5);
}

TEST(bytes)
{
	static char buf[300];
	struct ipcchan_chan_info ci;
	int fd = chan_new(NULL, RS | IPCCHAN_OPEN_NONBLOCK, 0600, 300, 100,
			  1000);
	int i;

	for (i = 0; i < 3; i++)
		ASSERT_EQ(ipcchan_send(fd, buf, 300, 0, IPCCHAN_WAIT_FOREVER),
			  0, "message %d", i);
	ASSERT_EQ(ipcchan_send(fd, buf, 300, 0, IPCCHAN_WAIT_FOREVER),
		  -EAGAIN);
	ASSERT_EQ(ipcchan_send(fd, buf, 101, 0, IPCCHAN_WAIT_FOREVER),
		  -EAGAIN);
	ASSERT_EQ(ipcchan_send(fd, buf, 100, 0, IPCCHAN_WAIT_FOREVER), 0);
	ASSERT_EQ(ipcchan_send(fd, buf, 1, 0, IPCCHAN_WAIT_FOREVER), -EAGAIN);
	chan_info(fd, &ci);
	ASSERT_EQ(ci.msgs, 4);
	ASSERT_EQ(ci.bytes, 1000);
	/* Receiving frees exactly what the message held. */
	ASSERT_EQ(recv_ok(fd, buf, sizeof(buf), NULL), 300);
	ASSERT_EQ(ipcchan_send(fd, buf, 300, 0, IPCCHAN_WAIT_FOREVER), 0);
	ASSERT_EQ(ipcchan_send(fd, buf, 1, 0, IPCCHAN_WAIT_FOREVER), -EAGAIN);
}

TEST(params_listed)
{
	static const char *const known[] = {
		"max_msg_size_limit", "max_msgs_limit", "max_bytes_limit",
		"default_max_msg_size", "default_max_msgs", "max_channels",
		"max_total_bytes", "max_channels_per_user", "max_bytes_per_user",
	};
	DIR *d = opendir(PARAM_DIR);
	struct dirent *e;
	char val[64];
	size_t i;
	int n = 0;

	ASSERT_TRUE(d != NULL, "no %s: the global limits must be module "
		    "parameters", PARAM_DIR);
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		n++;
		if (param_read(e->d_name, val, sizeof(val)))
			snprintf(val, sizeof(val), "(unreadable)");
		TH_LOG("%s = %s%s", e->d_name, val,
		       param_writable(e->d_name) ? "" : " (read-only)");
	}
	closedir(d);
	ASSERT_GT(n, 0);
	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (param_read(known[i], val, sizeof(val)))
			TH_LOG("expected parameter %s is missing", known[i]);
}

/* IPCCHAN_IOC_VERSION reports the bounds the parameters set. */
TEST(version_matches_params)
{
	struct ipcchan_version v;
	uint64_t p;
	int checked = 0;

	get_version(&v);
	if (!param_read_u64("max_msg_size_limit", &p)) {
		EXPECT_EQ(v.max_msg_size, p);
		checked++;
	}
	if (!param_read_u64("max_msgs_limit", &p)) {
		EXPECT_EQ(v.max_msgs, p);
		checked++;
	}
	if (!param_read_u64("max_bytes_limit", &p)) {
		EXPECT_EQ(v.max_bytes, p);
		checked++;
	}
	if (!checked)
		SKIP("none of the bound parameters is there");
}

/*
 * before: max_msgs_limit, max_msg_size_limit, max_bytes_limit lowered
 * after:  version reports them, creation above them is EINVAL, at them is
 *         fine, and a channel made before keeps its own limits
 */
TEST(bound_params_apply)
{
	struct ipcchan_version v;
	struct ipcchan_chan_info ci;
	unsigned int fl = RS | IPCCHAN_OPEN_CREATE | IPCCHAN_OPEN_EXCL;
	char name[IPCCHAN_NAME_MAX];
	int old, fd, i;

	require_param("max_msgs_limit");
	require_param("max_msg_size_limit");
	require_param("max_bytes_limit");
	old = chan_new(NULL, RS | IPCCHAN_OPEN_NONBLOCK, 0600, 2000, 20,
		       40000);

	param_set_u64("max_msgs_limit", 10);
	param_set_u64("max_msg_size_limit", 1000);
	param_set_u64("max_bytes_limit", 5000);
	get_version(&v);
	EXPECT_EQ(v.max_msgs, 10);
	EXPECT_EQ(v.max_msg_size, 1000);
	EXPECT_EQ(v.max_bytes, 5000);

	new_name(name);
	EXPECT_EQ(ipcchan_chan_open(IPCCHAN_DEV_AUTO, name, fl,
				    &(struct ipcchan_attr){ 0600, 0, 11, 0 }),
		  -EINVAL);
	EXPECT_EQ(ipcchan_chan_open(IPCCHAN_DEV_AUTO, name, fl,
				    &(struct ipcchan_attr){ 0600, 1001, 0,
							    5000 }),
		  -EINVAL);
	EXPECT_EQ(ipcchan_chan_open(IPCCHAN_DEV_AUTO, name, fl,
				    &(struct ipcchan_attr){ 0600, 0, 0, 5001 }),
		  -EINVAL);
	fd = ipcchan_chan_open(IPCCHAN_DEV_AUTO, name, fl,
			       &(struct ipcchan_attr){ 0600, 1000, 10, 5000 });
	EXPECT_GE(fd, 0);

	/* The channel made before keeps its limits. */
	chan_info(old, &ci);
	EXPECT_EQ(ci.max_msgs, 20);
	EXPECT_EQ(ci.max_msg_size, 2000);
	for (i = 0; i < 20; i++)
		EXPECT_EQ(ipcchan_send(old, "x", 1, 0, IPCCHAN_WAIT_FOREVER),
			  0, "message %d", i);
	ASSERT_EQ(param_restore_all(), 0);
}

TEST(default_params)
{
	struct ipcchan_chan_info ci;
	int fd;

	require_param("default_max_msgs");
	require_param("default_max_msg_size");
	param_set_u64("default_max_msgs", 7);
	param_set_u64("default_max_msg_size", 100);
	fd = chan_new(NULL, RS, 0600, 0, 0, 0);
	chan_info(fd, &ci);
	EXPECT_EQ(ci.max_msgs, 7);
	EXPECT_EQ(ci.max_msg_size, 100);
	EXPECT_GE(ci.max_bytes, 100);
	/* Explicit values still win. */
	close(fd);
	fd = chan_new(NULL, RS, 0600, 50, 3, 0);
	chan_info(fd, &ci);
	EXPECT_EQ(ci.max_msgs, 3);
	EXPECT_EQ(ci.max_msg_size, 50);
	ASSERT_EQ(param_restore_all(), 0);
}

/*
 * before: max_total_bytes lowered to 3000; a channel with room for far more
 * after:  sends of 1000 bytes fail with ENOBUFS, at once, even blocking,
 *         after at most 2 (a message costs its header too); receiving frees
 *         budget; restoring the parameter recovers
 */
TEST(global_bytes_enobufs)
{
	static char buf[1000];
	int fd = chan_new(NULL, RS, 0600, 1000, 1000, 200000);
	int64_t t0;
	int sent = 0, ret;

	require_param("max_total_bytes");
	param_set_u64("max_total_bytes", 3000);
	for (;;) {
		ret = ipcchan_send(fd, buf, sizeof(buf), IPCCHAN_XFER_NONBLOCK,
				   IPCCHAN_WAIT_FOREVER);
		if (ret)
			break;
		sent++;
		ASSERT_LE(sent, 2, "max_total_bytes=3000 let more through");
	}
	TH_LOG("%d messages of 1000 bytes fit", sent);
	ASSERT_EQ(ret, -ENOBUFS);
	/* No waiting for the global budget: a blocking send fails too. */
	t0 = now_ns();
	ASSERT_EQ(ipcchan_send(fd, buf, sizeof(buf), 0, 10 * NS_PER_SEC),
		  -ENOBUFS);
	ASSERT_EQ(ipcchan_send(fd, buf, sizeof(buf), 0, IPCCHAN_WAIT_FOREVER),
		  -ENOBUFS);
	ASSERT_LT(now_ns() - t0, 5 * NS_PER_SEC);
	ASSERT_EQ(chan_msgs(fd), sent);
	if (sent) {
		ASSERT_EQ(recv_ok(fd, buf, sizeof(buf), NULL), 1000);
		ASSERT_EQ(ipcchan_send(fd, buf, sizeof(buf),
				       IPCCHAN_XFER_NONBLOCK,
				       IPCCHAN_WAIT_FOREVER), 0);
	}
	ASSERT_EQ(param_restore_all(), 0);
	ASSERT_EQ(ipcchan_send(fd, buf, sizeof(buf), IPCCHAN_XFER_NONBLOCK,
			       IPCCHAN_WAIT_FOREVER), 0);
}

/* Creates channels until max_channels stops it; returns how many. */
static int fill_channels(char (*names)[IPCCHAN_NAME_MAX], int *fds, int max)
{
	int n = 0, ret = 0;

	while (n < max) {
		new_name(names[n]);
		ret = ipcchan_chan_open(IPCCHAN_DEV_AUTO, names[n],
					RS | IPCCHAN_OPEN_CREATE |
					IPCCHAN_OPEN_EXCL, NULL);
		if (ret < 0)
			break;
		fds[n++] = ret;
	}
	TH_LOG("%d channels created before the limit", n);
	ASSERT_EQ(ret, -ENOSPC);
	return n;
}

/*
 * before: max_channels lowered to 4
 * after:  creating channels fails with ENOSPC once 4 exist; an unlinked
 *         channel still open still counts; once freed, there is room
 */
TEST(max_channels_enospc)
{
	char names[6][IPCCHAN_NAME_MAX];
	int fds[6], n, fd;

	require_param("max_channels");
	param_set_u64("max_channels", 4);
	n = fill_channels(names, fds, 6);
	ASSERT_LE(n, 4);
	if (!n)
		SKIP("4 channels existed already");
	chan_unlink(names[0]);
	ASSERT_EQ(ipcchan_chan_open(IPCCHAN_DEV_AUTO, names[n],
				    RS | IPCCHAN_OPEN_CREATE |
				    IPCCHAN_OPEN_EXCL, NULL), -ENOSPC);
	close(fds[0]);
	fd = ipcchan_chan_open(IPCCHAN_DEV_AUTO, names[n], RS |
			       IPCCHAN_OPEN_CREATE | IPCCHAN_OPEN_EXCL, NULL);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(param_restore_all(), 0);
}

/* At the limit, opening a channel that exists is not creating one, with
 * or without IPCCHAN_OPEN_CREATE. */
TEST(max_channels_open_existing)
{
	char names[6][IPCCHAN_NAME_MAX];
	int fds[6], n, fd;

	require_param("max_channels");
	param_set_u64("max_channels", 4);
	n = fill_channels(names, fds, 6);
	if (!n)
		SKIP("4 channels existed already");
	fd = ipcchan_chan_open(IPCCHAN_DEV_AUTO, names[0], RS, NULL);
	EXPECT_GE(fd, 0);
	close(fd);
	fd = ipcchan_chan_open(IPCCHAN_DEV_AUTO, names[0],
			       RS | IPCCHAN_OPEN_CREATE, NULL);
	EXPECT_GE(fd, 0, "CREATE without EXCL opens an existing channel");
	close(fd);
	ASSERT_EQ(param_restore_all(), 0);
}

/*
 * before: max_channels_per_user lowered to 2
 * after:  nobody creates 2 channels, then gets ENOSPC; unlinking and closing
 *         one makes room; root, with CAP_SYS_RESOURCE, is not limited
 */
TEST(per_user_channels)
{
	pid_t pid;
	int i;

	require_param("max_channels_per_user");
	param_set_u64("max_channels_per_user", 2);
	pid = xfork();
	if (pid == 0) {
		char names[3][IPCCHAN_NAME_MAX];
		int fds[2];

		drop_to_nobody();
		fds[0] = chan_new(names[0], RS, 0600, 0, 0, 0);
		fds[1] = chan_new(names[1], RS, 0600, 0, 0, 0);
		new_name(names[2]);
		ASSERT_EQ(ipcchan_chan_open(IPCCHAN_DEV_AUTO, names[2], RS |
					    IPCCHAN_OPEN_CREATE, NULL), -ENOSPC);
		/* Opening an existing one is fine. */
		close(chan_get(names[0], RS));
		ASSERT_EQ(ipcchan_chan_unlink(IPCCHAN_DEV_AUTO, names[0]), 0);
		close(fds[0]);
		close(chan_new(NULL, RS, 0600, 0, 0, 0));
		child_exit();
	}
	ASSERT_CHILD_OK(pid);
	for (i = 0; i < 4; i++)
		chan_new(NULL, RS, 0600, 0, 0, 0);
	ASSERT_EQ(param_restore_all(), 0);
}

/* Sends 1000-byte messages on @fd until one fails; returns how many. */
static int send_until_error(int fd, int max, int *err)
{
	static char buf[1000];
	int n = 0;

	while (n < max) {
		*err = ipcchan_send(fd, buf, sizeof(buf), IPCCHAN_XFER_NONBLOCK,
				    IPCCHAN_WAIT_FOREVER);
		if (*err)
			break;
		n++;
	}
	return n;
}

/*
 * before: max_bytes_per_user lowered to 3000; a 0666 channel with room
 * after:  nobody's own sender gets ENOBUFS after at most 2 messages of
 *         1000 bytes; a sender opened by root and used by nobody is charged
 *         to root, who is exempt; receiving gives nobody its budget back
 */
TEST(per_user_bytes)
{
	char name[IPCCHAN_NAME_MAX], buf[1000];
	int fd = chan_new(name, RS, 0666, 1000, 100, 100000);
	int root_sender = chan_get(name, IPCCHAN_OPEN_SEND);
	struct sync first, again;
	int *sent = shared_alloc(sizeof(int));
	pid_t pid;
	int i;

	require_param("max_bytes_per_user");
	param_set_u64("max_bytes_per_user", 3000);
	sync_init(&first);
	sync_init(&again);
	pid = xfork();
	if (pid == 0) {
		int s, err = 0;

		drop_to_nobody();
		s = chan_get(name, IPCCHAN_OPEN_SEND);
		*sent = send_until_error(s, 10, &err);
		ASSERT_LE(*sent, 2);
		ASSERT_EQ(err, -ENOBUFS);
		ASSERT_EQ(ipcchan_send(s, buf, sizeof(buf), 0, 5 * NS_PER_SEC),
			  -ENOBUFS, "no waiting for the budget");
		/* Root's descriptor is root's budget. */
		ASSERT_EQ(send_until_error(root_sender, 5, &err), 5);
		sync_post(&first);
		sync_wait(&again);
		ASSERT_EQ(ipcchan_send(s, buf, sizeof(buf),
				       IPCCHAN_XFER_NONBLOCK,
				       IPCCHAN_WAIT_FOREVER), 0);
		child_exit();
	}
	sync_wait(&first);
	/* Root is not limited either. */
	for (i = 0; i < 5; i++)
		send_ok(fd, buf, sizeof(buf));
	while (chan_msgs(fd))
		recv_ok(fd, buf, sizeof(buf), NULL);
	sync_post(&again);
	ASSERT_CHILD_OK(pid);
	ASSERT_EQ(param_restore_all(), 0);
}

/* ----- memory cgroup ----- */

/* Message size and count for about 4 MiB of messages, within limits. */
static void cg_sizes(size_t *size, int *count)
{
	struct ipcchan_version v;
	uint64_t total = 4 << 20;

	get_version(&v);
	*size = v.max_msg_size < 65536 ? v.max_msg_size : 65536;
	if (total > v.max_bytes)
		total = v.max_bytes;
	*count = total / *size;
	if (*count > (int)v.max_msgs)
		*count = v.max_msgs;
	if ((uint64_t)*count * *size < (1 << 20))
		SKIP("channel limits too small to see a charge");
}

/*
 * before: a sender in a fresh memory cgroup
 * after:  the cgroup's memory.current grows by about what it queued, and
 *         shrinks again when the messages are received
 */
TEST(memcg_charged)
{
	char dir[256], procs[300];
	struct sync ready, go, sent;
	int64_t before, after, drained;
	size_t size;
	int count, i, fd;
	pid_t pid;

	cg_sizes(&size, &count);
	cg_make(dir, sizeof(dir));
	snprintf(procs, sizeof(procs), "%s/cgroup.procs", dir);
	fd = chan_new(NULL, RS, 0600, size, count, (uint64_t)size * count);
	sync_init(&ready);
	sync_init(&go);
	sync_init(&sent);
	pid = xfork();
	if (pid == 0) {
		char *buf = malloc(size);

		ASSERT_TRUE(buf != NULL);
		ASSERT_TRUE(cg_write(procs, "0"), "joining %s", dir);
		memset(buf, 0x5a, size);
		sync_post(&ready);
		sync_wait(&go);
		for (i = 0; i < count; i++)
			ASSERT_EQ(ipcchan_send(fd, buf, size,
					       IPCCHAN_XFER_NONBLOCK,
					       IPCCHAN_WAIT_FOREVER), 0,
				  "message %d", i);
		sync_post(&sent);
		sync_wait(&go);
		child_exit();
	}
	sync_wait(&ready);
	before = cg_read(dir, "memory.current", NULL);
	sync_post(&go);
	sync_wait(&sent);
	after = cg_read(dir, "memory.current", NULL);
	sync_post(&go);
	EXPECT_CHILD_OK(pid);
	TH_LOG("%d messages of %zu bytes: memory.current %lld -> %lld",
	       count, size, (long long)before, (long long)after);
	EXPECT_GE(after - before, (int64_t)(size * count / 2),
		  "message memory must be charged to the sender's cgroup");
	EXPECT_LE(after - before, (int64_t)(size * count * 5 / 4) + (1 << 20),
		  "a message must not cost much more memory than its size");
	{
		char *buf = malloc(size);

		for (i = 0; i < count; i++)
			ASSERT_EQ(recv_ok(fd, buf, size, NULL), (ssize_t)size);
		free(buf);
	}
	drained = cg_read(dir, "memory.current", NULL);
	TH_LOG("after receiving all: %lld", (long long)drained);
	EXPECT_LE(drained, after - (int64_t)(size * count / 2),
		  "received messages must be uncharged");
	EXPECT_EQ(rmdir(dir), 0);
}

/*
 * before: a sender in a memory cgroup with memory.max close above its use
 * after:  its sends fail with a clear errno (ENOMEM) instead of invoking the
 *         OOM killer; it is not killed and memory.events has no oom_kill
 */
TEST(memcg_limit_no_oom)
{
	char dir[256], procs[300], max[300], val[32];
	struct sync ready, go;
	int64_t cur, kills;
	int *res = shared_alloc(2 * sizeof(int));
	size_t size;
	int count, fd, status;
	pid_t pid;

	cg_sizes(&size, &count);
	cg_make(dir, sizeof(dir));
	snprintf(procs, sizeof(procs), "%s/cgroup.procs", dir);
	snprintf(max, sizeof(max), "%s/memory.max", dir);
	fd = chan_new(NULL, RS, 0600, size, count, (uint64_t)size * count);
	sync_init(&ready);
	sync_init(&go);
	pid = xfork();
	if (pid == 0) {
		/* Everything it touches is touched before the limit. */
		char *buf = malloc(size);
		int i, ret = 0;

		ASSERT_TRUE(buf != NULL);
		ASSERT_TRUE(cg_write(procs, "0"));
		memset(buf, 0x5a, size);
		sync_post(&ready);
		sync_wait(&go);
		for (i = 0; i < count; i++) {
			ret = ipcchan_send(fd, buf, size,
					   IPCCHAN_XFER_NONBLOCK,
					   IPCCHAN_WAIT_FOREVER);
			if (ret)
				break;
		}
		res[0] = i;
		res[1] = ret;
		_exit(0);
	}
	sync_wait(&ready);
	cur = cg_read(dir, "memory.current", NULL);
	snprintf(val, sizeof(val), "%lld", (long long)cur + (1 << 20));
	ASSERT_TRUE(cg_write(max, val), "setting %s to %s", max, val);
	sync_post(&go);
	status = wait_exit(pid, CHILD_MS);
	kills = cg_read(dir, "memory.events", "oom_kill");
	cg_write(max, "max");
	close(fd);
	rmdir(dir);
	TH_LOG("%d of %d messages of %zu bytes went in, then %d", res[0],
	       count, size, res[1]);
	EXPECT_EQ(kills, 0, "the OOM killer ran in the sender's cgroup");
	EXPECT_EQ(status, 0);
	EXPECT_LT(res[0], count, "memory.max did not stop the sender");
	EXPECT_EQ(res[1], -ENOMEM);
}

TEST_MAIN("limits")
