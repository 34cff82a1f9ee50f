// SPDX-License-Identifier: GPL-2.0
/*
 * Owners, modes and access: the checks made at open against the credentials
 * saved when /dev/ipcchan was opened, CAP_IPC_OWNER, unlink by the owner
 * only, and descriptors limited to the operations they were opened for.
 */
#include "util.h"

#include <linux/capability.h>

/* Opens @name through a /dev/ipcchan of the caller's own credentials. */
static int open_as_me(const char *name, unsigned int flags)
{
	return ipcchan_chan_open(IPCCHAN_DEV_AUTO, name, flags, NULL);
}

/* Forks a child that drops to nobody and expects these results. */
static void expect_as_nobody(const char *name, int recv, int send, int both)
{
	pid_t pid = xfork();
	int fd;

	if (pid == 0) {
		drop_to_nobody();
		fd = open_as_me(name, IPCCHAN_OPEN_RECV);
		EXPECT_EQ(fd < 0 ? fd : 0, recv, "RECV on %s", name);
		fd = open_as_me(name, IPCCHAN_OPEN_SEND);
		EXPECT_EQ(fd < 0 ? fd : 0, send, "SEND on %s", name);
		fd = open_as_me(name, RS);
		EXPECT_EQ(fd < 0 ? fd : 0, both, "RECV|SEND on %s", name);
		child_exit();
	}
	ASSERT_CHILD_OK(pid);
}

TEST(dev_node)
{
	struct stat st;
	pid_t pid;

	ASSERT_EQ(stat(IPCCHAN_DEVICE, &st), 0);
	ASSERT_TRUE(S_ISCHR(st.st_mode));
	TH_LOG("%s mode %#o", IPCCHAN_DEVICE, st.st_mode & 07777);
	pid = xfork();
	if (pid == 0) {
		int dev;

		drop_to_nobody();
		dev = ipcchan_dev_open();
		ASSERT_GE(dev, 0, "nobody must be able to open %s "
			  "(misc device mode 0666)", IPCCHAN_DEVICE);
		child_exit();
	}
	ASSERT_CHILD_OK(pid);
}

TEST(owner_info)
{
	struct ipcchan_chan_info ci;
	pid_t pid;
	int fd = chan_new(NULL, RS, 0640, 0, 0, 0);

	chan_info(fd, &ci);
	ASSERT_EQ(ci.uid, 0);
	ASSERT_EQ(ci.gid, 0);
	ASSERT_EQ(ci.mode, 0640);

	pid = xfork();
	if (pid == 0) {
		drop_to_nobody();
		fd = chan_new(NULL, RS, 0604, 0, 0, 0);
		chan_info(fd, &ci);
		ASSERT_EQ(ci.uid, NOBODY);
		ASSERT_EQ(ci.gid, NOBODY);
		ASSERT_EQ(ci.mode, 0604);
		child_exit();
	}
	ASSERT_CHILD_OK(pid);
}

TEST(nobody_0600)
{
	char name[IPCCHAN_NAME_MAX];
	int fd = chan_new(name, RS, 0600, 0, 0, 0);

	expect_as_nobody(name, -EACCES, -EACCES, -EACCES);
	close(fd);
}

TEST(nobody_0644)
{
	char name[IPCCHAN_NAME_MAX];
	int fd = chan_new(name, RS, 0644, 0, 0, 0);

	expect_as_nobody(name, 0, -EACCES, -EACCES);
	close(fd);
}

TEST(nobody_0622)
{
	char name[IPCCHAN_NAME_MAX];
	int fd = chan_new(name, RS, 0622, 0, 0, 0);

	expect_as_nobody(name, -EACCES, 0, -EACCES);
	close(fd);
}

TEST(nobody_0666)
{
	char name[IPCCHAN_NAME_MAX];
	int fd = chan_new(name, RS, 0666, 0, 0, 0);

	expect_as_nobody(name, 0, 0, 0);
	close(fd);
}

/* uid nobody, gid root: the group bits decide, whatever "other" allows. */
TEST(group_class)
{
	char g_only[IPCCHAN_NAME_MAX], o_only[IPCCHAN_NAME_MAX];
	int a = chan_new(g_only, RS, 0060, 0, 0, 0);
	int b = chan_new(o_only, RS, 0606, 0, 0, 0);
	pid_t pid = xfork();

	if (pid == 0) {
		int fd;

		ASSERT_EQ(setgroups(0, NULL), 0);
		ASSERT_EQ(setresuid(NOBODY, NOBODY, NOBODY), 0);
		fd = open_as_me(g_only, RS);
		ASSERT_GE(fd, 0, "group rw- must allow gid 0");
		fd = open_as_me(o_only, IPCCHAN_OPEN_RECV);
		ASSERT_EQ(fd, -EACCES, "group --- must deny gid 0");
		fd = open_as_me(o_only, IPCCHAN_OPEN_SEND);
		ASSERT_EQ(fd, -EACCES, "group --- must deny gid 0");
		child_exit();
	}
	ASSERT_CHILD_OK(pid);
	close(a);
	close(b);
}

TEST(supplementary_group)
{
	char name[IPCCHAN_NAME_MAX];
	int fd = chan_new(name, RS, 0040, 0, 0, 0);
	pid_t pid = xfork();

	if (pid == 0) {
		gid_t groups[] = { 4, 0, 100 };

		ASSERT_EQ(setgroups(3, groups), 0);
		ASSERT_EQ(setresgid(NOBODY, NOBODY, NOBODY), 0);
		ASSERT_EQ(setresuid(NOBODY, NOBODY, NOBODY), 0);
		ASSERT_GE(open_as_me(name, IPCCHAN_OPEN_RECV), 0,
			  "supplementary group 0 has r--");
		ASSERT_EQ(open_as_me(name, IPCCHAN_OPEN_SEND), -EACCES);
		child_exit();
	}
	ASSERT_CHILD_OK(pid);
	close(fd);
}

/* The owner gets the owner bits only, even where others get more. */
TEST(owner_class)
{
	pid_t pid = xfork();

	if (pid == 0) {
		char name[IPCCHAN_NAME_MAX];
		int fd;

		drop_to_nobody();
		fd = chan_new(name, IPCCHAN_OPEN_RECV, 0466, 0, 0, 0);
		ASSERT_EQ(open_as_me(name, IPCCHAN_OPEN_SEND), -EACCES);
		ASSERT_EQ(open_as_me(name, RS), -EACCES);
		ASSERT_GE(open_as_me(name, IPCCHAN_OPEN_RECV), 0);
		close(fd);
		child_exit();
	}
	ASSERT_CHILD_OK(pid);
}

/*
 * Forks a child that becomes nobody, creates a 0600 channel, writes its name
 * to @name (shared memory) and waits to be killed.
 */
static pid_t nobody_channel(char *name)
{
	struct sync made;
	pid_t pid;

	sync_init(&made);
	pid = xfork();
	if (pid == 0) {
		drop_to_nobody();
		chan_new(name, RS, 0600, 0, 0, 0);
		sync_post(&made);
		pause();
		child_exit();
	}
	sync_wait(&made);
	return pid;
}

/* Root, through CAP_IPC_OWNER, opens and unlinks anyone's channel. */
TEST(root_overrides)
{
	char *name = shared_alloc(IPCCHAN_NAME_MAX);
	pid_t owner = nobody_channel(name);
	struct ipcchan_chan_info ci;
	int fd;

	fd = open_as_me(name, RS);
	ASSERT_GE(fd, 0);
	chan_info(fd, &ci);
	ASSERT_EQ(ci.uid, NOBODY);
	send_str(fd, "root was here");
	recv_str(fd, "root was here");
	ASSERT_EQ(ipcchan_chan_unlink(IPCCHAN_DEV_AUTO, name), 0);
	kill(owner, SIGKILL);
	wait_exit(owner, CHILD_MS);
}

/* Drops CAP_IPC_OWNER from every set of the calling root process. */
static void drop_cap_ipc_owner(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];

	ASSERT_EQ(syscall(SYS_capget, &hdr, data), 0);
	data[CAP_IPC_OWNER / 32].effective &= ~(1U << (CAP_IPC_OWNER % 32));
	data[CAP_IPC_OWNER / 32].permitted &= ~(1U << (CAP_IPC_OWNER % 32));
	data[CAP_IPC_OWNER / 32].inheritable &= ~(1U << (CAP_IPC_OWNER % 32));
	ASSERT_EQ(syscall(SYS_capset, &hdr, data), 0);
}

/* uid 0 alone grants nothing: without CAP_IPC_OWNER root is "other". */
TEST(root_without_cap_ipc_owner)
{
	char *name = shared_alloc(IPCCHAN_NAME_MAX);
	pid_t owner = nobody_channel(name);
	pid_t pid = xfork();

	if (pid == 0) {
		drop_cap_ipc_owner();
		ASSERT_EQ(getuid(), 0);
		EXPECT_EQ(open_as_me(name, IPCCHAN_OPEN_RECV), -EACCES);
		EXPECT_EQ(open_as_me(name, IPCCHAN_OPEN_SEND), -EACCES);
		EXPECT_EQ(ipcchan_chan_unlink(IPCCHAN_DEV_AUTO, name), -EPERM);
		child_exit();
	}
	EXPECT_CHILD_OK(pid);
	/* With the capability, root can. */
	ASSERT_EQ(ipcchan_chan_unlink(IPCCHAN_DEV_AUTO, name), 0);
	kill(owner, SIGKILL);
	wait_exit(owner, CHILD_MS);
}

/*
 * before: /dev/ipcchan opened by root, then the process becomes nobody
 * after:  opens through that file are judged as root's, and what it creates
 *         is owned by root
 */
TEST(creds_saved_at_dev_open)
{
	char name[IPCCHAN_NAME_MAX];
	int fd = chan_new(name, RS, 0600, 0, 0, 0);
	int dev = dev_open();
	pid_t pid = xfork();

	if (pid == 0) {
		struct ipcchan_chan_info ci;
		int c;

		drop_to_nobody();
		/* A fresh file of /dev/ipcchan carries nobody's credentials. */
		ASSERT_EQ(open_as_me(name, IPCCHAN_OPEN_RECV), -EACCES);
		/* The one opened as root still carries root's. */
		c = ipcchan_chan_open(dev, name, RS, NULL);
		ASSERT_GE(c, 0);
		send_str(c, "from nobody");
		c = chan_new_dev(dev, NULL, RS, 0600, 0, 0, 0);
		chan_info(c, &ci);
		ASSERT_EQ(ci.uid, 0);
		ASSERT_EQ(ci.gid, 0);
		child_exit();
	}
	ASSERT_CHILD_OK(pid);
	recv_str(fd, "from nobody");
}

/*
 * before: /dev/ipcchan opened while the effective uid was nobody, then the
 *         process is root again
 * after:  opens through that file are judged as nobody's: EACCES, EPERM
 */
TEST(creds_saved_at_dev_open_reverse)
{
	char name[IPCCHAN_NAME_MAX];
	int fd = chan_new(name, RS, 0600, 0, 0, 0);
	pid_t pid = xfork();

	if (pid == 0) {
		struct ipcchan_chan_info ci;
		int dev, c;

		ASSERT_EQ(setgroups(0, NULL), 0);
		ASSERT_EQ(setresgid(NOBODY, NOBODY, 0), 0);
		ASSERT_EQ(setresuid(NOBODY, NOBODY, 0), 0);
		dev = dev_open();
		ASSERT_EQ(setresuid(0, 0, 0), 0);
		ASSERT_EQ(setresgid(0, 0, 0), 0);
		ASSERT_EQ(geteuid(), 0);
		/* Root now, with CAP_IPC_OWNER: a fresh file may. */
		c = open_as_me(name, IPCCHAN_OPEN_RECV);
		ASSERT_GE(c, 0);
		close(c);
		/* The file opened as nobody may not. */
		EXPECT_EQ(ipcchan_chan_open(dev, name, IPCCHAN_OPEN_RECV, NULL),
			  -EACCES);
		EXPECT_EQ(ipcchan_chan_open(dev, name, IPCCHAN_OPEN_SEND, NULL),
			  -EACCES);
		EXPECT_EQ(ipcchan_chan_unlink(dev, name), -EPERM);
		c = chan_new_dev(dev, NULL, RS, 0600, 0, 0, 0);
		chan_info(c, &ci);
		EXPECT_EQ(ci.uid, NOBODY);
		EXPECT_EQ(ci.gid, NOBODY);
		child_exit();
	}
	ASSERT_CHILD_OK(pid);
	/* Still named. */
	close(chan_get(name, RS));
	close(fd);
}

TEST(unlink_by_non_owner)
{
	char name[IPCCHAN_NAME_MAX];
	int fd = chan_new(name, RS, 0666, 0, 0, 0);
	pid_t pid = xfork();

	if (pid == 0) {
		char mine[IPCCHAN_NAME_MAX];
		int c;

		drop_to_nobody();
		ASSERT_EQ(ipcchan_chan_unlink(IPCCHAN_DEV_AUTO, name), -EPERM);
		/* Access to the channel is not ownership of its name. */
		c = open_as_me(name, RS);
		ASSERT_GE(c, 0);
		close(c);
		/* Its own channel, nobody may unlink. */
		c = chan_new(mine, RS, 0600, 0, 0, 0);
		ASSERT_EQ(ipcchan_chan_unlink(IPCCHAN_DEV_AUTO, mine), 0);
		close(c);
		child_exit();
	}
	ASSERT_CHILD_OK(pid);
	close(chan_get(name, RS));
	chan_unlink(name);
	close(fd);
}

TEST(recv_only_cannot_send)
{
	char name[IPCCHAN_NAME_MAX];
	struct ipcchan_mmsg m = { .buf = u64_ptr("x"), .len = 1 };
	int r = chan_new(name, IPCCHAN_OPEN_RECV, 0600, 0, 0, 0);

	ASSERT_EQ(ipcchan_send(r, "x", 1, 0, IPCCHAN_WAIT_FOREVER), -EBADF);
	ASSERT_EQ(ipcchan_send(r, "x", 1, IPCCHAN_XFER_NONBLOCK,
			       IPCCHAN_WAIT_FOREVER), -EBADF);
	ASSERT_EQ(ipcchan_send_batch(r, &m, 1, 0, IPCCHAN_WAIT_FOREVER),
		  -EBADF);
	ASSERT_EQ(write(r, "x", 1), -1);
	ASSERT_EQ(errno, EBADF);
	ASSERT_EQ(chan_msgs(r), 0);
}

TEST(send_only_cannot_recv)
{
	char name[IPCCHAN_NAME_MAX], buf[8];
	struct ipcchan_mmsg m = { .buf = u64_ptr(buf), .len = sizeof(buf) };
	int s = chan_new(name, IPCCHAN_OPEN_SEND, 0600, 0, 0, 0);

	send_str(s, "x");
	ASSERT_EQ(ipcchan_recv(s, buf, sizeof(buf), NULL, 0,
			       IPCCHAN_WAIT_FOREVER), -EBADF);
	ASSERT_EQ(ipcchan_recv_batch(s, &m, 1, IPCCHAN_XFER_NONBLOCK,
				     IPCCHAN_WAIT_FOREVER), -EBADF);
	ASSERT_EQ(read(s, buf, sizeof(buf)), -1);
	ASSERT_EQ(errno, EBADF);
	ASSERT_EQ(chan_msgs(s), 1);
}

/* Access is checked at open only: a descriptor is a capability. */
TEST(fd_survives_drop)
{
	int fd = chan_new(NULL, RS, 0600, 0, 0, 0);
	pid_t pid = xfork();

	if (pid == 0) {
		drop_to_nobody();
		send_str(fd, "still allowed");
		recv_str(fd, "still allowed");
		child_exit();
	}
	ASSERT_CHILD_OK(pid);
}

/* A message carries the uid and pid of the process that sent it. */
TEST(sender_uid)
{
	struct ipcchan_msg_info mi;
	char name[IPCCHAN_NAME_MAX], buf[16];
	int fd = chan_new(name, RS, 0666, 0, 0, 0);
	pid_t pid = xfork();

	if (pid == 0) {
		drop_to_nobody();
		send_str(chan_get(name, IPCCHAN_OPEN_SEND), "nobody");
		child_exit();
	}
	ASSERT_CHILD_OK(pid);
	send_str(fd, "root");
	ASSERT_EQ(recv_ok(fd, buf, sizeof(buf), &mi), 6);
	ASSERT_EQ(mi.uid, NOBODY);
	ASSERT_EQ(mi.pid, pid);
	ASSERT_EQ(recv_ok(fd, buf, sizeof(buf), &mi), 4);
	ASSERT_EQ(mi.uid, 0);
	ASSERT_EQ(mi.pid, getpid());
}

/*
 * The uid of a message is not the sender's effective uid at send time, but
 * that of the credentials its fd was opened with (issue 10, item 19).
 */
TEST(sender_euid_ignored)
{
	struct ipcchan_msg_info mi;
	char name[IPCCHAN_NAME_MAX], buf[16];
	int fd = chan_new(name, RS, 0666, 0, 0, 0);
	pid_t pid = xfork();

	if (pid == 0) {
		ASSERT_EQ(setresuid(0, NOBODY, 0), 0);
		send_str(fd, "euid nobody");
		send_str(chan_get(name, IPCCHAN_OPEN_SEND), "opened as nobody");
		ASSERT_EQ(setresuid(NOBODY, 0, 0), 0);
		send_str(fd, "euid root");
		child_exit();
	}
	ASSERT_CHILD_OK(pid);
	ASSERT_EQ(recv_ok(fd, buf, sizeof(buf), &mi), 11);
	ASSERT_EQ(mi.uid, 0, "root opened the fd");
	ASSERT_EQ(recv_ok(fd, buf, sizeof(buf), &mi), 16);
	ASSERT_EQ(mi.uid, NOBODY);
	ASSERT_EQ(recv_ok(fd, buf, sizeof(buf), &mi), 9);
	ASSERT_EQ(mi.uid, 0);
}

TEST_MAIN("perm")
