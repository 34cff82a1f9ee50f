// SPDX-License-Identifier: GPL-2.0
/*
 * Namespaces: a message's sender pid and uid are given as the receiver's
 * pid and user namespaces see them (0 and the overflow uid when they cannot
 * be seen), info's owner as the caller's user namespace sees it, and only
 * CAP_IPC_OWNER in the initial user namespace overrides the mode bits.
 */
#include "util.h"

#include <sched.h>

static void unshare_or_skip(int flags)
{
	if (unshare(flags))
		SKIP("unshare(%#x): %s", flags, strerror(errno));
}

/*
 * Skips the test unless a child can unshare @flags. Tests whose parent waits
 * for word from a child that unshares call this first, so that a kernel
 * without the namespace skips them instead of leaving the parent waiting.
 */
static void require_unshare(int flags)
{
	pid_t pid = xfork();
	int st;

	if (pid == 0)
		_exit(unshare(flags) ? HARNESS_EXIT_SKIP : 0);
	st = u_wait_exit(pid, CHILD_MS);
	if (st == HARNESS_EXIT_SKIP)
		SKIP("unshare(%#x) is not available", flags);
	ASSERT_EQ(st, 0);
}

static unsigned int overflow_id(const char *what)
{
	char path[64], buf[32];
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/sys/kernel/%s", what);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 65534;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = 0;
	return n > 0 ? (unsigned int)atoi(buf) : 65534;
}

/* Writes @map to /proc/@pid/uid_map. */
static void write_uid_map(pid_t pid, const char *map)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/uid_map", (int)pid);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	ASSERT_GE(fd, 0, "open %s", path);
	ASSERT_EQ(write(fd, map, strlen(map)), (ssize_t)strlen(map),
		  "writing \"%s\" to %s", map, path);
	close(fd);
}

/*
 * before: a message sent by this process; a receiver that is pid 1 of a
 *         new pid namespace
 * after:  the receiver cannot see the sender: pid 0
 */
TEST(pid_sender_outside)
{
	int fd = chan_new(NULL, RS, 0600, 0, 0, 0);
	pid_t pid;

	send_str(fd, "from outside");
	pid = xfork();
	if (pid == 0) {
		pid_t init;

		unshare_or_skip(CLONE_NEWPID);
		init = xfork();
		if (init == 0) {
			struct ipcchan_msg_info mi;
			char buf[32];

			ASSERT_EQ(getpid(), 1);
			ASSERT_EQ(recv_ok(fd, buf, sizeof(buf), &mi), 12);
			ASSERT_EQ(mi.pid, 0, "a sender outside the receiver's "
				  "pid namespace is pid 0");
			ASSERT_EQ(mi.uid, 0);
			child_exit();
		}
		_exit(u_wait_exit(init, CHILD_MS));
	}
	ASSERT_CHILD_OK_OR_SKIP(pid);
}

/*
 * before: in a new pid namespace, its pid 1 and pid 2; pid 2 sends twice
 * after:  pid 1 sees the sender as 2; this process sees its real pid
 */
TEST(pid_sender_inside)
{
	int fd = chan_new(NULL, RS, 0600, 0, 0, 0);
	pid_t *outer = shared_alloc(sizeof(*outer));
	struct ipcchan_msg_info mi;
	char buf[32];
	pid_t pid;

	pid = xfork();
	if (pid == 0) {
		pid_t init;

		unshare_or_skip(CLONE_NEWPID);
		init = xfork();
		if (init == 0) {
			pid_t second = xfork();

			if (second == 0) {
				ASSERT_EQ(getpid(), 2);
				send_str(fd, "to the inside");
				send_str(fd, "to the outside");
				child_exit();
			}
			ASSERT_CHILD_OK(second);
			ASSERT_EQ(recv_ok(fd, buf, sizeof(buf), &mi), 13);
			ASSERT_MEMEQ(buf, "to the inside", 13);
			ASSERT_EQ(mi.pid, 2);
			child_exit();
		}
		*outer = init;
		_exit(u_wait_exit(init, CHILD_MS));
	}
	ASSERT_CHILD_OK_OR_SKIP(pid);
	ASSERT_EQ(recv_ok(fd, buf, sizeof(buf), &mi), 14);
	ASSERT_MEMEQ(buf, "to the outside", 14);
	/* pid 2 in there is some pid out here, neither 0 nor 2 nor init's. */
	ASSERT_GT(mi.pid, 0);
	ASSERT_NE(mi.pid, *outer);
	ASSERT_NE(mi.pid, 2);
}

/*
 * before: a message from root; a receiver in a new user namespace without
 *         any mapping
 * after:  it sees the overflow uid, for the sender and the owner alike
 */
TEST(uid_unmapped)
{
	unsigned int ouid = overflow_id("overflowuid");
	unsigned int ogid = overflow_id("overflowgid");
	int fd = chan_new(NULL, RS, 0600, 0, 0, 0);
	pid_t pid;

	send_str(fd, "from root");
	pid = xfork();
	if (pid == 0) {
		struct ipcchan_chan_info ci;
		struct ipcchan_msg_info mi;
		char buf[32];

		unshare_or_skip(CLONE_NEWUSER);
		ASSERT_EQ(recv_ok(fd, buf, sizeof(buf), &mi), 9);
		ASSERT_EQ(mi.uid, ouid);
		chan_info(fd, &ci);
		ASSERT_EQ(ci.uid, ouid);
		ASSERT_EQ(ci.gid, ogid);
		child_exit();
	}
	ASSERT_CHILD_OK_OR_SKIP(pid);
}

/*
 * before: a receiver in a user namespace where its uid 1000 is root outside
 * after:  a message from root has uid 1000, and so has the owner in info
 */
TEST(uid_mapped)
{
	int fd = chan_new(NULL, RS, 0600, 0, 0, 0);
	struct sync in, mapped;
	pid_t pid;

	require_unshare(CLONE_NEWUSER);

	sync_init(&in);
	sync_init(&mapped);
	send_str(fd, "from root");
	pid = xfork();
	if (pid == 0) {
		struct ipcchan_chan_info ci;
		struct ipcchan_msg_info mi;
		char buf[32];

		unshare_or_skip(CLONE_NEWUSER);
		sync_post(&in);
		sync_wait(&mapped);
		ASSERT_EQ(recv_ok(fd, buf, sizeof(buf), &mi), 9);
		ASSERT_EQ(mi.uid, 1000);
		chan_info(fd, &ci);
		ASSERT_EQ(ci.uid, 1000);
		child_exit();
	}
	sync_wait(&in);
	write_uid_map(pid, "1000 0 1\n");
	sync_post(&mapped);
	ASSERT_CHILD_OK_OR_SKIP(pid);
}

/*
 * before: root of a new user namespace, which is nobody outside, opens
 *         /dev/ipcchan
 * after:  its capabilities there do not override the mode of root's 0600
 *         channel (EACCES) nor let it unlink it (EPERM); what it creates
 *         is owned by nobody, which it sees as 0
 */
TEST(userns_root_no_override)
{
	char name[IPCCHAN_NAME_MAX];
	int fd = chan_new(name, RS, 0600, 0, 0, 0);
	char *made = shared_alloc(IPCCHAN_NAME_MAX);
	struct sync in, mapped;
	struct ipcchan_chan_info ci;
	pid_t pid;
	int c;

	require_unshare(CLONE_NEWUSER);

	sync_init(&in);
	sync_init(&mapped);
	pid = xfork();
	if (pid == 0) {
		unshare_or_skip(CLONE_NEWUSER);
		sync_post(&in);
		sync_wait(&mapped);
		ASSERT_EQ(setresuid(0, 0, 0), 0);
		ASSERT_EQ(ipcchan_chan_open(IPCCHAN_DEV_AUTO, name,
					    IPCCHAN_OPEN_RECV, NULL), -EACCES);
		ASSERT_EQ(ipcchan_chan_open(IPCCHAN_DEV_AUTO, name,
					    IPCCHAN_OPEN_SEND, NULL), -EACCES);
		ASSERT_EQ(ipcchan_chan_unlink(IPCCHAN_DEV_AUTO, name), -EPERM);
		c = chan_new(made, RS, 0600, 0, 0, 0);
		chan_info(c, &ci);
		ASSERT_EQ(ci.uid, 0, "nobody outside is root inside");
		child_exit();
	}
	sync_wait(&in);
	write_uid_map(pid, "0 65534 1\n");
	sync_post(&mapped);
	ASSERT_CHILD_OK_OR_SKIP(pid);
	c = chan_get(made, RS);
	chan_info(c, &ci);
	ASSERT_EQ(ci.uid, NOBODY);
	close(chan_get(name, RS));	/* still there */
	close(fd);
}

TEST_MAIN("ns")
