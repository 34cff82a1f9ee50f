// SPDX-License-Identifier: GPL-2.0
/*
 * read(2) and write(2) on a channel fd: one whole message per call, errors
 * as for the ioctls, 0 at hang-up; and so shell tools work on channels, and
 * so does the ipcchan command.
 */
#include "util.h"

#include <sys/uio.h>

static void require_rw(void)
{
	struct ipcchan_version v;

	get_version(&v);
	if (!(v.features & IPCCHAN_FEAT_RW))
		SKIP("no IPCCHAN_FEAT_RW");
}

/* The channel of most tests: messages of up to 64 bytes; read and write. */
FIXTURE(rw) {
	int fd;
};

FIXTURE_SETUP(rw)
{
	self->fd = chan_new(NULL, RS, 0600, 64, 0, 0);
	require_rw();
}

FIXTURE_TEARDOWN(rw)
{
	close(self->fd);
}

TEST_F(rw, write_read)
{
	char buf[64];
	struct ipcchan_msg_info mi;

	ASSERT_EQ(write(self->fd, "hello", 5), 5);
	ASSERT_EQ(write(self->fd, "world!", 6), 6);
	ASSERT_EQ(chan_msgs(self->fd), 2);
	ASSERT_EQ(read(self->fd, buf, sizeof(buf)), 5);
	ASSERT_MEMEQ(buf, "hello", 5);
	/* write() and the ioctls share the queue and the metadata. */
	ASSERT_EQ(recv_ok(self->fd, buf, sizeof(buf), &mi), 6);
	ASSERT_EQ(mi.seq, 2);
	ASSERT_EQ(mi.pid, getpid());
	send_str(self->fd, "ioctl");
	ASSERT_EQ(read(self->fd, buf, sizeof(buf)), 5);
	ASSERT_MEMEQ(buf, "ioctl", 5);
}

TEST_F(rw, read_too_small)
{
	char buf[64];

	send_str(self->fd, "0123456789");
	send_str(self->fd, "second");
	ASSERT_EQ(read(self->fd, buf, 9), -1);
	ASSERT_EQ(errno, EMSGSIZE);
	ASSERT_EQ(read(self->fd, buf, 0), -1);
	ASSERT_EQ(errno, EMSGSIZE);
	ASSERT_EQ(chan_msgs(self->fd), 2);
	ASSERT_EQ(read(self->fd, buf, 10), 10);
	ASSERT_MEMEQ(buf, "0123456789", 10);
	ASSERT_EQ(read(self->fd, buf, 10), 6);
}

TEST_F(rw, read_efault)
{
	char buf[64];

	send_str(self->fd, "0123456789");
	send_str(self->fd, "second");
	ASSERT_EQ(read(self->fd, noaccess_page(), 64), -1);
	ASSERT_EQ(errno, EFAULT);
	ASSERT_EQ(read(self->fd, guarded_buf(5), 64), -1);
	ASSERT_EQ(errno, EFAULT);
	ASSERT_EQ(read(self->fd, guarded_buf(5), 64), -1);
	ASSERT_EQ(errno, EFAULT);
	ASSERT_EQ(chan_msgs(self->fd), 2);
	ASSERT_EQ(read(self->fd, buf, sizeof(buf)), 10);
	ASSERT_MEMEQ(buf, "0123456789", 10);
}

TEST_F(rw, write_efault)
{
	ASSERT_EQ(write(self->fd, noaccess_page(), 10), -1);
	ASSERT_EQ(errno, EFAULT);
	ASSERT_EQ(write(self->fd, guarded_buf(5), 10), -1);
	ASSERT_EQ(errno, EFAULT);
	ASSERT_EQ(chan_msgs(self->fd), 0);
}

TEST_F(rw, write_too_big)
{
	char buf[65] = { 0 };
	struct ipcchan_chan_info ci;

	ASSERT_EQ(write(self->fd, buf, 65), -1);
	ASSERT_EQ(errno, EMSGSIZE);
	chan_info(self->fd, &ci);
	ASSERT_EQ(ci.msgs, 0);
	ASSERT_EQ(ci.next_seq, 1);
	ASSERT_EQ(write(self->fd, buf, 64), 64);
}

/*
 * readv() and writev() take the iov_iter path, read() and write() the
 * plain one: a fault in any iovec fails the call as a whole, and the
 * message stays queued, or none is.
 */
TEST_F(rw, readv_efault)
{
	char buf[64];
	struct iovec bad[2] = { { buf, 4 }, { noaccess_page(), 60 } };
	struct iovec part[2] = { { buf, 4 }, { guarded_buf(5), 60 } };

	send_str(self->fd, "0123456789");
	ASSERT_EQ(readv(self->fd, bad, 2), -1);
	ASSERT_EQ(errno, EFAULT);
	ASSERT_EQ(readv(self->fd, part, 2), -1);
	ASSERT_EQ(errno, EFAULT);
	ASSERT_EQ(chan_msgs(self->fd), 1);
	ASSERT_EQ(read(self->fd, buf, sizeof(buf)), 10);
	ASSERT_MEMEQ(buf, "0123456789", 10);
}

TEST_F(rw, writev_efault)
{
	struct iovec bad[2] = { { "0123", 4 }, { noaccess_page(), 6 } };
	struct iovec part[2] = { { "0123", 4 }, { guarded_buf(5), 6 } };

	ASSERT_EQ(writev(self->fd, bad, 2), -1);
	ASSERT_EQ(errno, EFAULT);
	ASSERT_EQ(writev(self->fd, part, 2), -1);
	ASSERT_EQ(errno, EFAULT);
	ASSERT_EQ(chan_msgs(self->fd), 0);
}

/* writev() sends all its iovecs as one message. */
TEST(writev_one_message)
{
	struct iovec iov[3] = {
		{ "ab", 2 }, { "", 0 }, { "cdef", 4 },
	};
	char buf[64], big[65] = { 0 };
	struct iovec over[2] = { { big, 40 }, { big, 25 } };
	int fd = chan_new(NULL, RS, 0600, 64, 0, 0);

	require_rw();
	ASSERT_EQ(writev(fd, iov, 3), 6);
	ASSERT_EQ(chan_msgs(fd), 1);
	ASSERT_EQ(recv_ok(fd, buf, sizeof(buf), NULL), 6);
	ASSERT_MEMEQ(buf, "abcdef", 6);
	/* 65 bytes in all is one message too many bytes. */
	ASSERT_EQ(writev(fd, over, 2), -1);
	ASSERT_EQ(errno, EMSGSIZE);
	/* Nothing at all sends nothing. */
	ASSERT_EQ(writev(fd, iov + 1, 1), 0);
	ASSERT_EQ(chan_msgs(fd), 0);
}

/* readv() receives one message across its iovecs. */
TEST(readv_one_message)
{
	char a[4], b[16], c[4];
	struct iovec iov[2] = { { a, sizeof(a) }, { b, sizeof(b) } };
	struct iovec small[2] = { { a, sizeof(a) }, { c, sizeof(c) } };
	int fd = chan_new(NULL, RS, 0600, 64, 0, 0);

	require_rw();
	send_str(fd, "0123456789");
	send_str(fd, "next");
	/* 8 bytes of buffers for 10: EMSGSIZE, and the message stays. */
	ASSERT_EQ(readv(fd, small, 2), -1);
	ASSERT_EQ(errno, EMSGSIZE);
	ASSERT_EQ(chan_msgs(fd), 2);
	ASSERT_EQ(readv(fd, iov, 2), 10);
	ASSERT_MEMEQ(a, "0123", 4);
	ASSERT_MEMEQ(b, "456789", 6);
	ASSERT_EQ(readv(fd, iov, 2), 4);
	ASSERT_MEMEQ(a, "next", 4);
}

/* write() of 0 bytes sends nothing. */
TEST_F(rw, write_zero)
{
	char buf[8];

	ASSERT_EQ(write(self->fd, "", 0), 0);
	ASSERT_EQ(chan_msgs(self->fd), 0);
	/* A zero-length message sent by ioctl reads as 0 bytes, though. */
	ASSERT_EQ(ipcchan_send(self->fd, "", 0, 0, IPCCHAN_WAIT_FOREVER), 0);
	send_str(self->fd, "next");
	ASSERT_EQ(read(self->fd, buf, sizeof(buf)), 0);
	ASSERT_EQ(read(self->fd, buf, sizeof(buf)), 4);
}

TEST(nonblock)
{
	char buf[8];
	int fd = chan_new(NULL, RS | IPCCHAN_OPEN_NONBLOCK, 0600, 8, 1, 0);

	require_rw();
	ASSERT_EQ(read(fd, buf, sizeof(buf)), -1);
	ASSERT_EQ(errno, EAGAIN);
	ASSERT_EQ(write(fd, "1", 1), 1);
	ASSERT_EQ(write(fd, "2", 1), -1);
	ASSERT_EQ(errno, EAGAIN);
	ASSERT_EQ(chan_msgs(fd), 1);
}

TEST_F(rw, read_blocks)
{
	pid_t pid;

	pid = xfork();
	if (pid == 0) {
		char buf[64];

		ASSERT_EQ(read(self->fd, buf, sizeof(buf)), 3);
		ASSERT_MEMEQ(buf, "now", 3);
		child_exit();
	}
	wait_blocked(pid, IN_READ);
	msleep(SETTLE_MS);
	assert_running(pid);
	ASSERT_EQ(write(self->fd, "now", 3), 3);
	ASSERT_CHILD_OK(pid);
}

TEST(write_blocks)
{
	char buf[8];
	int fd = chan_new(NULL, RS, 0600, 8, 1, 0);
	pid_t pid;

	require_rw();
	ASSERT_EQ(write(fd, "1", 1), 1);
	pid = xfork();
	if (pid == 0) {
		ASSERT_EQ(write(fd, "2", 1), 1);
		child_exit();
	}
	wait_blocked(pid, IN_WRITE);
	msleep(SETTLE_MS);
	assert_running(pid);
	ASSERT_EQ(read(fd, buf, sizeof(buf)), 1);
	ASSERT_CHILD_OK(pid);
	ASSERT_EQ(read(fd, buf, sizeof(buf)), 1);
	ASSERT_EQ(buf[0], '2');
}

/* read() returns 0 at hang-up, after the queued messages. */
TEST(read_zero_at_hangup)
{
	char name[IPCCHAN_NAME_MAX], buf[64];
	int r = chan_new(name, IPCCHAN_OPEN_RECV, 0600, 64, 0, 0);
	pid_t pid;

	require_rw();
	pid = xfork();
	if (pid == 0) {
		int s = chan_get(name, IPCCHAN_OPEN_SEND);

		ASSERT_EQ(write(s, "bye", 3), 3);
		child_exit();
	}
	ASSERT_CHILD_OK(pid);
	ASSERT_EQ(read(r, buf, sizeof(buf)), 3);
	ASSERT_EQ(read(r, buf, sizeof(buf)), 0);
	ASSERT_EQ(read(r, buf, sizeof(buf)), 0);
	/* Nonblocking, too: 0, not EAGAIN. */
	set_nonblock(r, true);
	ASSERT_EQ(read(r, buf, sizeof(buf)), 0);
}

/* A reader blocked in read() gets 0 when the last sender goes. */
TEST(read_woken_zero)
{
	char name[IPCCHAN_NAME_MAX];
	int r = chan_new(name, IPCCHAN_OPEN_RECV, 0600, 64, 0, 0);
	int s = chan_get(name, IPCCHAN_OPEN_SEND);
	pid_t pid;

	require_rw();
	pid = xfork();
	if (pid == 0) {
		char buf[64];

		close(s);
		ASSERT_EQ(read(r, buf, sizeof(buf)), 0);
		child_exit();
	}
	wait_blocked(pid, IN_READ);
	close(s);
	ASSERT_CHILD_OK(pid);
}

TEST(write_epipe)
{
	char name[IPCCHAN_NAME_MAX];
	int s = chan_new(name, IPCCHAN_OPEN_SEND, 0600, 64, 0, 0);

	require_rw();
	ASSERT_EQ(write(s, "ok", 2), 2);
	chan_unlink(name);
	ASSERT_EQ(write(s, "no", 2), -1);
	ASSERT_EQ(errno, EPIPE);
	ASSERT_EQ(chan_msgs(s), 1);
}

/*
 * Runs @argv with stdin /dev/null, @fd as fd 3 if not -1, stdout captured
 * into @out (NUL-terminated). Returns the exit status, 128 + signal.
 */
static int run_cmd(char *const argv[], int fd, char *out, size_t cap)
{
	int pfd[2], status;
	size_t len = 0;
	ssize_t n;
	pid_t pid;

	ASSERT_EQ(pipe2(pfd, O_CLOEXEC), 0);
	pid = xfork();
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);

		dup2(null, 0);
		dup2(pfd[1], 1);
		if (fd >= 0)
			dup2(fd, 3);
		execv(argv[0], argv);
		_exit(127);
	}
	close(pfd[1]);
	while (len + 1 < cap &&
	       (n = read(pfd[0], out + len, cap - 1 - len)) > 0)
		len += n;
	out[len] = 0;
	close(pfd[0]);
	status = wait_exit(pid, CHILD_MS);
	return status;
}

static void require_sh(void)
{
	if (access("/bin/sh", X_OK))
		SKIP("no /bin/sh");
}

/* echo in a shell writes one message per line it prints. */
TEST(shell_echo)
{
	char out[64], buf[64];
	char *argv[] = { "/bin/sh", "-c", "echo hello >&3; echo world >&3",
			 NULL };
	int fd = chan_new(NULL, RS, 0600, 64, 0, 0);

	require_rw();
	require_sh();
	ASSERT_EQ(run_cmd(argv, fd, out, sizeof(out)), 0);
	ASSERT_EQ(chan_msgs(fd), 2);
	ASSERT_EQ(read(fd, buf, sizeof(buf)), 6);
	ASSERT_MEMEQ(buf, "hello\n", 6);
	ASSERT_EQ(read(fd, buf, sizeof(buf)), 6);
	ASSERT_MEMEQ(buf, "world\n", 6);
}

/* cat reads messages until hang-up, where read() returns 0. */
TEST(shell_cat)
{
	char name[IPCCHAN_NAME_MAX], out[256];
	char *argv[] = { "/bin/sh", "-c", "exec cat <&3", NULL };
	int r = chan_new(name, IPCCHAN_OPEN_RECV, 0600, 64, 0, 0);
	int s = chan_get(name, IPCCHAN_OPEN_SEND);

	require_rw();
	require_sh();
	send_str(s, "one\n");
	send_str(s, "two\n");
	send_str(s, "three\n");
	close(s);
	ASSERT_EQ(run_cmd(argv, r, out, sizeof(out)), 0);
	ASSERT_STREQ(out, "one\ntwo\nthree\n");
}

/* The ipcchan command in the VM, or the one in the build tree. */
static const char *tool_path(void)
{
	static char path[PATH_MAX + 32];
	char self[PATH_MAX], *slash;
	ssize_t n;

	if (!access("/usr/bin/ipcchan", X_OK))
		return "/usr/bin/ipcchan";
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		self[n] = 0;
		slash = strrchr(self, '/');
		if (slash) {
			*slash = 0;
			snprintf(path, sizeof(path), "%s/../../tools/ipcchan",
				 self);
			if (!access(path, X_OK))
				return path;
		}
	}
	return NULL;
}

TEST(tool_send)
{
	char name[IPCCHAN_NAME_MAX], out[256], buf[64];
	const char *tool = tool_path();
	struct ipcchan_msg_info mi;
	int r = chan_new(name, IPCCHAN_OPEN_RECV, 0666, 64, 0, 0);

	if (!tool)
		SKIP("no ipcchan command");
	{
		char *argv[] = { (char *)tool, "send", "-t", "10000", name,
				 "hello", "world", NULL };

		ASSERT_EQ(run_cmd(argv, -1, out, sizeof(out)), 0, "%s", out);
	}
	ASSERT_EQ(recv_ok(r, buf, sizeof(buf), &mi), 5);
	ASSERT_MEMEQ(buf, "hello", 5);
	ASSERT_NE(mi.pid, getpid());
	ASSERT_EQ(recv_ok(r, buf, sizeof(buf), NULL), 5);
	ASSERT_MEMEQ(buf, "world", 5);
}

TEST(tool_recv)
{
	char name[IPCCHAN_NAME_MAX], out[256];
	const char *tool = tool_path();
	int s = chan_new(name, IPCCHAN_OPEN_SEND, 0666, 64, 0, 0);

	if (!tool)
		SKIP("no ipcchan command");
	send_str(s, "first");
	send_str(s, "second");
	send_str(s, "third");
	{
		char *argv[] = { (char *)tool, "recv", "-n", "2", "-t", "10000",
				 name, NULL };

		ASSERT_EQ(run_cmd(argv, -1, out, sizeof(out)), 0, "%s", out);
		ASSERT_STREQ(out, "first\nsecond\n");
	}
	ASSERT_EQ(chan_msgs(s), 1);
	/* Without -n, until hang-up: our sender goes first. */
	close(s);
	{
		char *argv[] = { (char *)tool, "recv", "-t", "10000", name,
				 NULL };

		ASSERT_EQ(run_cmd(argv, -1, out, sizeof(out)), 0, "%s", out);
		ASSERT_STREQ(out, "third\n");
	}
}

TEST_MAIN("rw")
