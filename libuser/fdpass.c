// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Passing a descriptor over a UNIX socket with SCM_RIGHTS.
 */
#include <stdbool.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "internal.h"

/* Control buffer for exactly one fd, aligned for struct cmsghdr. */
union fd_cmsg {
	struct cmsghdr align;
	char buf[CMSG_SPACE(sizeof(int))];
};

int ipcchan_fd_send(int sock, int fd)
{
	char byte = 0;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	union fd_cmsg ctl;
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = ctl.buf,
		.msg_controllen = sizeof(ctl.buf),
	};
	struct cmsghdr *cmsg;

	if (fd < 0)
		return -EBADF;
	memset(&ctl, 0, sizeof(ctl));
	cmsg = CMSG_FIRSTHDR(&msg);
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
	return zero_or_err(sys_ret(sendmsg(sock, &msg, MSG_NOSIGNAL)));
}

static bool is_rights(const struct cmsghdr *cmsg)
{
	return cmsg->cmsg_level == SOL_SOCKET && cmsg->cmsg_type == SCM_RIGHTS;
}

/* Closes every descriptor that arrived with @msg, so none leaks. */
static void close_fds(struct msghdr *msg)
{
	struct cmsghdr *cmsg;

	for (cmsg = CMSG_FIRSTHDR(msg); cmsg; cmsg = CMSG_NXTHDR(msg, cmsg)) {
		const unsigned char *data = CMSG_DATA(cmsg);
		size_t i, n;

		if (!is_rights(cmsg))
			continue;
		n = (cmsg->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (i = 0; i < n; i++) {
			int fd;

			memcpy(&fd, data + i * sizeof(fd), sizeof(fd));
			close(fd);
		}
	}
}

/* Returns the one fd @msg carries, or -EBADMSG if it carries anything else. */
static int take_fd(struct msghdr *msg)
{
	struct cmsghdr *cmsg = CMSG_FIRSTHDR(msg);
	int fd;

	if (!(msg->msg_flags & MSG_CTRUNC) && cmsg && is_rights(cmsg) &&
	    cmsg->cmsg_len == CMSG_LEN(sizeof(int)) &&
	    !CMSG_NXTHDR(msg, cmsg)) {
		memcpy(&fd, CMSG_DATA(cmsg), sizeof(fd));
		return fd;
	}
	close_fds(msg);
	return -EBADMSG;
}

int ipcchan_fd_recv(int sock)
{
	char byte;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	union fd_cmsg ctl;
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = ctl.buf,
		.msg_controllen = sizeof(ctl.buf),
	};
	ssize_t n;

	memset(&ctl, 0, sizeof(ctl));
	n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
	if (n < 0)
		return -errno;
	/* End of stream: the peer closed without passing anything. */
	if (n == 0 && !CMSG_FIRSTHDR(&msg))
		return -ECONNRESET;
	return take_fd(&msg);
}
