// SPDX-License-Identifier: GPL-2.0
/*
 * ipcchan-fuzz: the ops on files of /dev/ipcchan (VERSION, CHAN_OPEN,
 * REGION_OPEN, UNLINK), and the ops on any fd: a random ioctl on a random
 * kind of fd, close, dup, passing a fd over SCM_RIGHTS, and fork.
 */
#include "fuzz.h"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

/* Room for any ioctl struct and the tail arb_cmd() may add. */
union fz_arg {
	struct ipcchan_version v;
	struct ipcchan_chan_open co;
	struct ipcchan_region_open ro;
	struct ipcchan_unlink u;
	struct ipcchan_chan_pair cp;
	char raw[256];
};

static bool is_ipcchan(const struct fz_fd *f)
{
	return f->kind == FZ_FD_CTL || f->kind == FZ_FD_CHAN ||
	       f->kind == FZ_FD_REGION;
}

/*
 * The check of an ioctl of kind @want made on @f: on an ipcchan fd of
 * another kind it must fail with ENOTTY, on another fd it is not ours to
 * judge.
 */
static bool check_ioctl(const char *what, struct fz_fd *f, enum fz_kind want,
			long ret, int err, const int *allowed)
{
	if (f->kind == want || f->kind == FZ_FD_NONE)
		return fz_check(what, ret, err, allowed);
	if (!is_ipcchan(f))
		return false;
	if (ret >= 0) {
		fz_finding("%s on a fd of kind %d succeeded (%ld)", what,
			   f->kind, ret);
		if (ret > 2 && !fd_tracked(ret) && want == FZ_FD_CTL)
			close(ret);
		return false;
	}
	return fz_check(what, ret, err, ERRS(ENOTTY));
}

static void op_ctl_open(void)
{
	static const int modes[] = { O_RDWR, O_RDONLY, O_WRONLY };
	int fd = open(IPCCHAN_DEVICE, modes[rnd(3)] | (one_in(2) ? O_CLOEXEC : 0));

	if (fz_check("open " IPCCHAN_DEVICE, fd, errno, ERRS(EMFILE, ENOMEM))) {
		fd_add(fd, FZ_FD_CTL, 0, 0);
		fz_ok();
	}
}

static void op_version(void)
{
	struct fz_fd *f = fd_pick(FZ_FD_CTL);
	union fz_arg a = {};
	struct ipcchan_version *v;
	size_t n;
	unsigned long cmd;
	long ret;

	if (!f)
		return;
	cmd = arb_cmd(IPCCHAN_IOC_VERSION, sizeof(a.v),
		      IPCCHAN_VERSION_SIZE_VER0, &a, &n);
	v = place_arg(&a, n);
	ret = ioctl(f->fd, cmd, v);
	if (!check_ioctl("VERSION", f, FZ_FD_CTL, ret, errno, ERRS(EINVAL)))
		return;
	fz_ok();
	if (fz.bad_ptr)
		return;
	if (v->abi_version != IPCCHAN_ABI_VERSION ||
	    v->name_max != IPCCHAN_NAME_MAX ||
	    v->batch_max != IPCCHAN_BATCH_MAX ||
	    v->max_msg_size != fz.lim.max_msg_size_limit ||
	    v->max_msgs != fz.lim.max_msgs_limit ||
	    v->max_bytes != fz.lim.max_bytes_limit)
		fz_finding("VERSION (size %u): abi %u name_max %u batch_max %u limits %u %u %llu differ from the parameters",
			   v->size, v->abi_version, v->name_max, v->batch_max,
			   v->max_msg_size, v->max_msgs,
			   (unsigned long long)v->max_bytes);
	if (n >= IPCCHAN_VERSION_SIZE_VER1 &&
	    v->max_region_size != fz.lim.max_region_size)
		fz_finding("VERSION: max_region_size %llu, parameter %llu",
			   (unsigned long long)v->max_region_size,
			   (unsigned long long)fz.lim.max_region_size);
}

/* Open flags: a valid mix mostly, now and then unknown bits. */
static uint32_t arb_open_flags(uint32_t access, bool chan, bool *bad)
{
	uint32_t flags = access;

	if (!one_in(4))
		flags |= IPCCHAN_OPEN_CREATE;
	if (one_in(5))
		flags |= IPCCHAN_OPEN_EXCL;
	if (!one_in(8))
		flags |= IPCCHAN_OPEN_NONBLOCK;
	if (one_in(2))
		flags |= IPCCHAN_OPEN_CLOEXEC;
	if (one_in(6))
		flags |= IPCCHAN_OPEN_ADOPT;
	if (chan && one_in(6))
		flags |= IPCCHAN_OPEN_RENDEZVOUS;
	/* ADOPT needs CREATE and excludes EXCL; RENDEZVOUS needs CREATE. */
	*bad = ((flags & IPCCHAN_OPEN_ADOPT) &&
		(flags & (IPCCHAN_OPEN_CREATE | IPCCHAN_OPEN_EXCL)) !=
		IPCCHAN_OPEN_CREATE) ||
	       ((flags & IPCCHAN_OPEN_RENDEZVOUS) &&
		!(flags & IPCCHAN_OPEN_CREATE));
	if (one_in(25)) {
		/* Bit 7 is a channel's IPCCHAN_OPEN_RENDEZVOUS. */
		flags |= chan ? 0x100U << rnd(24) : 0x80U << rnd(25);
		*bad = true;
	} else if (one_in(40)) {
		flags &= ~(IPCCHAN_OPEN_RECV | IPCCHAN_OPEN_SEND);
		*bad = true;
	}
	return flags;
}

static void op_chan_open(void)
{
	struct fz_fd *f = fd_pick(FZ_FD_CTL);
	union fz_arg a = {};
	struct ipcchan_chan_open *o = &a.co, *p;
	bool valid, bad = false, create;
	size_t n;
	unsigned long cmd;
	long ret;

	if (!f)
		return;
	o->flags = arb_open_flags(1 + rnd(3), true, &bad);
	create = o->flags & IPCCHAN_OPEN_CREATE;
	o->mode = one_in(10) ? arb_u32(0600, 0777) : 0600;
	if (o->mode & ~0777U)
		bad = true;
	if (create || one_in(20)) {
		o->max_msg_size = one_in(3) ? 0 :
			arb_u32(1 + rnd(one_in(8) ? fz.lim.max_msg_size_limit : 8192),
				fz.lim.max_msg_size_limit);
		o->max_msgs = one_in(3) ? 0 :
			arb_u32(1 + rnd(512), fz.lim.max_msgs_limit);
		o->max_bytes = one_in(3) ? 0 :
			arb_u64((uint64_t)(o->max_msg_size ?: 8192) * (1 + rnd(64)),
				fz.lim.max_bytes_limit);
		if (o->max_bytes > fz.lim.max_bytes_limit)
			o->max_bytes = one_in(8) ? o->max_bytes :
					fz.lim.max_bytes_limit;
		if (!create && (o->max_msg_size || o->max_msgs || o->max_bytes))
			bad = true;
		if (o->max_msg_size > fz.lim.max_msg_size_limit ||
		    o->max_msgs > fz.lim.max_msgs_limit ||
		    o->max_bytes > fz.lim.max_bytes_limit)
			bad = true;
	}
	if (one_in(40)) {
		o->__reserved = 1 + rnd(9);
		bad = true;
	}
	arb_name(o->name, &valid);
	cmd = arb_cmd(IPCCHAN_IOC_CHAN_OPEN, sizeof(*o),
		      IPCCHAN_CHAN_OPEN_SIZE_VER0, &a, &n);
	p = place_arg(&a, n);
	ret = ioctl(f->fd, cmd, p);
	if (!check_ioctl("CHAN_OPEN", f, FZ_FD_CTL, ret, errno,
			 ERRS(EINVAL, ENAMETOOLONG, ENOENT, EEXIST, EACCES,
			      ENOSPC, ENOMEM, EMFILE)))
		return;
	if (!valid || bad) {
		fz_finding("CHAN_OPEN succeeded with %s (flags %#x name \"%.64s\")",
			   valid ? "invalid members" : "an invalid name",
			   o->flags, o->name);
		close(ret);
		fz_reissue(f->fd, cmd, p, n);
		return;
	}
	fz_ok();
	fd_add(ret, FZ_FD_CHAN, o->flags, 0);
}

/*
 * CHAN_PIPE and CHAN_PAIR: mostly valid flags and limits. The new fds go
 * into the pool as channel fds that can receive, send, or both (a pair's
 * end, marked FZ_CHAN_PAIR), so that every channel op runs on them.
 */
static void op_chan_pipe(void)
{
	struct fz_fd *f = fd_pick(FZ_FD_CTL);
	bool pair = one_in(2), bad = false;
	union fz_arg a = {};
	struct ipcchan_chan_pair *o = &a.cp, *p;
	const char *what = pair ? "CHAN_PAIR" : "CHAN_PIPE";
	size_t n;
	unsigned long cmd;
	long ret;
	int i;

	if (!f)
		return;
	if (one_in(2))
		o->flags |= IPCCHAN_OPEN_NONBLOCK;
	if (one_in(2))
		o->flags |= IPCCHAN_OPEN_CLOEXEC;
	if (one_in(20)) {
		/* Open flags that mean nothing here, or unknown ones. */
		o->flags |= one_in(2) ? 1U << rnd(32) :
			    IPCCHAN_OPEN_RECV << rnd(4);
		/* Not RENDEZVOUS: a rendezvous pair is for the sync ops. */
		o->flags &= ~IPCCHAN_OPEN_RENDEZVOUS;
		bad = o->flags & ~(IPCCHAN_OPEN_NONBLOCK | IPCCHAN_OPEN_CLOEXEC);
	}
	o->max_msg_size = one_in(3) ? 0 :
		arb_u32(1 + rnd(8192), fz.lim.max_msg_size_limit);
	o->max_msgs = one_in(3) ? 0 : arb_u32(1 + rnd(64), fz.lim.max_msgs_limit);
	o->max_bytes = one_in(2) ? 0 :
		arb_u64((uint64_t)(o->max_msg_size ?: 8192) * (1 + rnd(16)),
			fz.lim.max_bytes_limit);
	if (o->max_msg_size > fz.lim.max_msg_size_limit ||
	    o->max_msgs > fz.lim.max_msgs_limit ||
	    o->max_bytes > fz.lim.max_bytes_limit)
		bad = true;
	/* Out only: what the caller puts there is not read. */
	o->fds[0] = (int32_t)rnd64();
	o->ids[1] = rnd64();
	cmd = arb_cmd(pair ? IPCCHAN_IOC_CHAN_PAIR : IPCCHAN_IOC_CHAN_PIPE,
		      sizeof(*o), IPCCHAN_CHAN_PAIR_SIZE_VER0, &a, &n);
	p = place_arg(&a, n);
	ret = ioctl(f->fd, cmd, p);
	if (!check_ioctl(what, f, FZ_FD_CTL, ret, errno,
			 ERRS(EINVAL, ENOSPC, ENOMEM, EMFILE, ENFILE)))
		return;
	if (ret != 0 || p->fds[0] < 0 || p->fds[1] < 0 ||
	    p->fds[0] == p->fds[1] || !p->ids[0] ||
	    (pair ? p->ids[0] == p->ids[1] : p->ids[0] != p->ids[1])) {
		fz_finding("%s returned %ld, fds %d %d, ids %llu %llu", what,
			   ret, p->fds[0], p->fds[1],
			   (unsigned long long)p->ids[0],
			   (unsigned long long)p->ids[1]);
		return;
	}
	if (bad) {
		fz_finding("%s succeeded with flags %#x limits %u/%u/%llu",
			   what, o->flags, o->max_msg_size, o->max_msgs,
			   (unsigned long long)o->max_bytes);
		close(p->fds[0]);
		close(p->fds[1]);
		return;
	}
	fz_ok();
	fz_learn_id(p->ids[0]);
	if (pair)
		fz_learn_id(p->ids[1]);
	for (i = 0; i < 2; i++)
		fd_add(p->fds[i], FZ_FD_CHAN, pair ?
		       IPCCHAN_OPEN_RECV | IPCCHAN_OPEN_SEND | FZ_CHAN_PAIR :
		       i ? IPCCHAN_OPEN_SEND : IPCCHAN_OPEN_RECV,
		       0);
}

static void op_region_open(void)
{
	struct fz_fd *f = fd_pick(FZ_FD_CTL);
	union fz_arg a = {};
	struct ipcchan_region_open *o = &a.ro, *p;
	struct ipcchan_region_info info = { .size = sizeof(info) };
	bool valid, bad = false, create;
	uint64_t size = 0;
	size_t n;
	unsigned long cmd;
	long ret;

	if (!f)
		return;
	o->flags = arb_open_flags(1 + rnd(3), false, &bad);
	create = o->flags & IPCCHAN_OPEN_CREATE;
	if (create && one_in(8))
		o->flags |= IPCCHAN_REGION_EXEC;
	/* IPCCHAN_REGION_EXEC is a region flag, valid with CREATE only. */
	if (o->flags & IPCCHAN_REGION_EXEC)
		bad = (o->flags & ~(0x7fU | IPCCHAN_REGION_EXEC)) ||
		      !(o->flags & (IPCCHAN_REGION_READ | IPCCHAN_REGION_WRITE)) ||
		      !create ||
		      ((o->flags & IPCCHAN_OPEN_ADOPT) &&
		       (o->flags & IPCCHAN_OPEN_EXCL));
	o->mode = one_in(10) ? arb_u32(0600, 0777) : 0600;
	if (o->mode & ~0777U)
		bad = true;
	if (create)
		o->region_size = arb_u64(fz.page * (1 + rnd(one_in(4) ? 256 : 8)) -
					 (one_in(4) ? rnd(fz.page) : 0),
					 fz.lim.max_region_size);
	else if (one_in(20))
		o->region_size = arb_u64(fz.page, fz.lim.max_region_size);
	if (create && (o->region_size == 0 ||
		       o->region_size > fz.lim.max_region_size))
		bad = true;
	if (!create && o->region_size)
		bad = true;
	if (one_in(40)) {
		o->__reserved = 1;
		bad = true;
	}
	arb_name(o->name, &valid);
	cmd = arb_cmd(IPCCHAN_IOC_REGION_OPEN, sizeof(*o),
		      IPCCHAN_REGION_OPEN_SIZE_VER0, &a, &n);
	p = place_arg(&a, n);
	ret = ioctl(f->fd, cmd, p);
	if (!check_ioctl("REGION_OPEN", f, FZ_FD_CTL, ret, errno,
			 ERRS(EINVAL, ENAMETOOLONG, ENOENT, EEXIST, EACCES,
			      ENOSPC, ENOBUFS, ENOMEM, EMFILE)))
		return;
	if (!valid || bad) {
		fz_finding("REGION_OPEN succeeded with %s (flags %#x size %llu name \"%.64s\")",
			   valid ? "invalid members" : "an invalid name",
			   o->flags, (unsigned long long)o->region_size,
			   o->name);
		close(ret);
		fz_reissue(f->fd, cmd, p, n);
		return;
	}
	fz_ok();
	if (ioctl(ret, IPCCHAN_IOC_REGION_INFO, &info) == 0)
		size = info.region_size;
	else
		fz_check("REGION_INFO of a new region fd", -1, errno,
			 ERRS(ENOMEM));
	/* With CREATE and EXCL, the region is the one just made. */
	if (size % fz.page ||
	    ((o->flags & IPCCHAN_OPEN_EXCL) && create &&
	     size != ((o->region_size + fz.page - 1) & ~(uint64_t)(fz.page - 1))))
		fz_finding("new region of %llu bytes reports %llu",
			   (unsigned long long)o->region_size,
			   (unsigned long long)size);
	fd_add(ret, FZ_FD_REGION, o->flags, size);
}

static void op_unlink(void)
{
	struct fz_fd *f = fd_pick(FZ_FD_CTL);
	union fz_arg a = {};
	struct ipcchan_unlink *u = &a.u, *p;
	bool valid;
	size_t n;
	unsigned long cmd;
	long ret;

	if (!f)
		return;
	u->kind = arb_u32(rnd_kind(), IPCCHAN_KIND_MAX);
	arb_name(u->name, &valid);
	cmd = arb_cmd(IPCCHAN_IOC_UNLINK, sizeof(*u),
		      IPCCHAN_UNLINK_SIZE_VER0, &a, &n);
	p = place_arg(&a, n);
	ret = ioctl(f->fd, cmd, p);
	if (!check_ioctl("UNLINK", f, FZ_FD_CTL, ret, errno,
			 ERRS(EINVAL, ENAMETOOLONG, ENOENT, EPERM)))
		return;
	if (!valid || !ipcchan_kind_name(u->kind))
		fz_finding("UNLINK succeeded with kind %u name \"%.64s\"",
			   u->kind, u->name);
	fz_ok();
}

/* Every ioctl number of the ABI. */
static const unsigned long all_cmds[] = {
	IPCCHAN_IOC_VERSION, IPCCHAN_IOC_CHAN_OPEN, IPCCHAN_IOC_UNLINK,
	IPCCHAN_IOC_CHAN_PIPE, IPCCHAN_IOC_CHAN_PAIR,
	IPCCHAN_IOC_REGION_OPEN, IPCCHAN_IOC_SEND, IPCCHAN_IOC_RECV,
	IPCCHAN_IOC_SEND_BATCH, IPCCHAN_IOC_RECV_BATCH, IPCCHAN_IOC_CHAN_INFO,
	IPCCHAN_IOC_SEND_PACKED, IPCCHAN_IOC_RECV_PACKED,
	IPCCHAN_IOC_REGION_INFO, IPCCHAN_IOC_REGION_ATTACH,
	IPCCHAN_IOC_REGION_WAIT, IPCCHAN_IOC_REGION_WAKE,
};

/*
 * Any ioctl number (of the ABI, with another size or direction, a
 * neighbour, or random) with a random struct, on any fd. On an ipcchan fd
 * the result must be an errno of some ipcchan ioctl.
 */
static void op_wild_ioctl(void)
{
	struct fz_fd *f = fd_pick(rnd(FZ_FD_OTHER + 1));
	unsigned long cmd = all_cmds[rnd(sizeof(all_cmds) / sizeof(all_cmds[0]))];
	char *arg = fz.argbuf;
	unsigned int i;
	long ret;

	if (!f)
		return;
	switch (rnd(6)) {
	case 0:
		cmd = (cmd & ~((unsigned long)_IOC_SIZEMASK << _IOC_SIZESHIFT)) |
		      ((unsigned long)rnd(1 << 14) << _IOC_SIZESHIFT);
		break;
	case 1:
		cmd = _IOC(rnd(4), IPCCHAN_IOC_MAGIC, rnd(48), rnd(256));
		break;
	case 2:
		cmd = (uint32_t)rnd64();
		break;
	}
	/* Random bytes, a plausible size first, or zeros. */
	if (one_in(3)) {
		memset(arg, 0, fz.page);
	} else {
		for (i = 0; i < (unsigned int)fz.page; i += 8) {
			uint64_t r = rnd64();

			memcpy(arg + i, &r, 8);
		}
	}
	if (one_in(2)) {
		uint32_t size = _IOC_SIZE(cmd);

		memcpy(arg, &size, 4);
	}
	arg = arb_ptr(arg, _IOC_SIZE(cmd));
	fz.bad_ptr = fz.big_tail = fz.bad_size = true;
	fz.bad_fd = fz.bad_fd || !is_ipcchan(f);
	ret = ioctl(f->fd, cmd, arg);
	if (!is_ipcchan(f))
		return;
	if (ret >= 0) {
		/* A wild open may have made a fd: fd_sweep() closes it. */
		fz_ok();
		return;
	}
	fz_check("wild ioctl", ret, errno,
		 ERRS(EINVAL, ENOTTY, EFAULT, E2BIG, EBADF, ENOENT, EEXIST,
		      EACCES, EPERM, ENOSPC, ENOBUFS, ENOMEM, EMFILE,
		      ENAMETOOLONG, EMSGSIZE, EAGAIN, ETIMEDOUT, EINTR, EPIPE,
		      EBUSY, ENFILE));
}

static void op_close(void)
{
	struct fz_fd *f = fd_pick(rnd(FZ_FD_OTHER + 1));

	if (f && f->kind != FZ_FD_NONE) {
		if (f->kind == FZ_FD_NL)
			return;	/* ops_nl.c keeps its own socket */
		fd_drop(f);
		fz_ok();
	}
}

static void op_dup(void)
{
	struct fz_fd *f = fd_pick(rnd(FZ_FD_OTHER + 1)), copy;
	int fd;

	if (!f || f->kind == FZ_FD_NONE || f->kind == FZ_FD_NL)
		return;
	copy = *f;
	fd = one_in(2) ? dup(f->fd) : fcntl(f->fd, F_DUPFD_CLOEXEC, 100);
	if (fz_check("dup", fd, errno, ERRS(EMFILE))) {
		fd_add(fd, copy.kind, copy.flags, copy.region_size);
		fz_ok();
	}
}

static void op_open_other(void)
{
	int fds[2];

	fz_ok();
	switch (rnd(3)) {
	case 0:
		fd_add(open("/dev/null", O_RDWR), FZ_FD_OTHER, 0, 0);
		break;
	case 1:
		if (pipe2(fds, O_NONBLOCK) == 0) {
			fd_add(fds[0], FZ_FD_OTHER, 0, 0);
			fd_add(fds[1], FZ_FD_OTHER, 0, 0);
		}
		break;
	default:
		if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0, fds) == 0) {
			fd_add(fds[0], FZ_FD_OTHER, 0, 0);
			close(fds[1]);
		}
		break;
	}
}

/*
 * Passes an ipcchan fd through a unix socket (SCM_RIGHTS), to this process:
 * the fd received must be the same file.
 */
static void op_fdpass(void)
{
	struct fz_fd *f = fd_pick(rnd(3) + FZ_FD_CTL), copy;
	char cbuf[CMSG_SPACE(sizeof(int))] = {}, byte = 'x';
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr mh = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm;
	struct stat a, b;
	int sv[2], fd = -1;

	if (!f || !is_ipcchan(f) || fz.bad_fd)
		return;
	copy = *f;
	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sv))
		return;
	cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &copy.fd, sizeof(int));
	if (sendmsg(sv[0], &mh, 0) == 1) {
		/* Closing the sender's copy while in flight, now and then. */
		if (one_in(3)) {
			fd_drop(f);
			copy.fd = -1;
		}
		memset(cbuf, 0, sizeof(cbuf));
		mh.msg_controllen = sizeof(cbuf);
		if (recvmsg(sv[1], &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC) == 1 &&
		    (cm = CMSG_FIRSTHDR(&mh)) && cm->cmsg_type == SCM_RIGHTS)
			memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	}
	close(sv[0]);
	close(sv[1]);
	if (fd < 0)
		return;
	if (copy.fd >= 0 && (fstat(fd, &a) || fstat(copy.fd, &b) ||
			     a.st_ino != b.st_ino || a.st_dev != b.st_dev))
		fz_finding("a fd passed over SCM_RIGHTS is another file");
	fd_add(fd, copy.kind, copy.flags, copy.region_size);
	fz_ok();
}

/*
 * Forks a child that runs a few random ops with copies of every fd and
 * mapping, then exits, maybe at once; the parent waits for it.
 */
static void op_fork(void)
{
	pid_t pid;
	uint64_t child_seed = rnd64();

	if (fz.in_child)
		return;
	pid = fork();
	if (pid < 0)
		return;
	if (pid == 0) {
		fz.in_child = true;
		/* The parent's netlink socket stays the parent's. */
		if (fz.nl_sock >= 0)
			close(fz.nl_sock);
		fz.nl_sock = -1;
		map_forget_dontfork();
		fz.rng = child_seed | 1;
		fz.opno = 0;
		fz.worker = fz.worker + 1000;	/* in findings only */
		fz_run_ops(1 + rnd(40), 0);
		_exit(0);
	}
	if (fz_reap_child(pid, "a forked child") > 0)
		fz_ok();
}

const struct fz_op fz_ctl_ops[] = {
	{ "ctl_open", op_ctl_open, 2 },
	{ "version", op_version, 2 },
	{ "chan_open", op_chan_open, 14 },
	{ "chan_pipe", op_chan_pipe, 4 },
	{ "region_open", op_region_open, 8 },
	{ "unlink", op_unlink, 5 },
	{ "wild_ioctl", op_wild_ioctl, 6 },
	{ "close", op_close, 8 },
	{ "dup", op_dup, 3 },
	{ "open_other", op_open_other, 1 },
	{ "fdpass", op_fdpass, 2 },
	{ "fork", op_fork, 1 },
	{}
};
