// SPDX-License-Identifier: GPL-2.0
/*
 * ipcchan-fuzz: the channel ops: SEND, RECV (with region handles), the
 * batches and packed batches, CHAN_INFO, read(2)/write(2)/readv(2)/writev(2), poll(2) and
 * epoll (EPOLLEXCLUSIVE too, whose pollers wait apart from blocked calls), and
 * the worker's own channel, on which every message sent must come back
 * exactly once, intact and in order.
 *
 * Messages of 32 bytes or more that a worker sends carry a tag: a magic
 * number, the worker, the length, a number unique to the worker, and a
 * payload that the number determines. Whoever receives a tagged message
 * checks the payload and sets the number's bit in a bitmap every process
 * shares: a bit found set is a message delivered twice.
 */
#include "fuzz.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/uio.h>

#define TAG_MAGIC	0x6970636368616e46ULL	/* "ipcchanF" */

struct tag {
	uint64_t magic;
	uint32_t worker;
	uint32_t len;
	uint64_t n;
	uint64_t check;
};

static inline unsigned char tag_byte(uint64_t n, size_t i)
{
	return (unsigned char)(n * 131 + i * 7 + (i >> 9));
}

/* Fills @len bytes at @buf with a new tagged message, or untagged bytes. */
void chan_tag_fill(char *buf, size_t len)
{
	struct tag t;
	size_t i;

	if (len < sizeof(t) || fz.in_child || fz.tag_next >= FZ_TAG_BITS ||
	    fz.worker >= FZ_MAX_WORKERS) {
		memset(buf, 0x5a, len < 64 ? len : 64);
		return;
	}
	t.magic = TAG_MAGIC;
	t.worker = fz.worker;
	t.len = len;
	t.n = fz.tag_next++;
	t.check = t.n ^ ((uint64_t)t.len << 32) ^ TAG_MAGIC;
	memcpy(buf, &t, sizeof(t));
	for (i = sizeof(t); i < len; i++)
		buf[i] = tag_byte(t.n, i);
}

void chan_tag_verify(const char *buf, size_t len, const char *what)
{
	struct tag t;
	uint64_t bit, old;
	size_t i;

	if (len < sizeof(t))
		return;
	memcpy(&t, buf, sizeof(t));
	if (t.magic != TAG_MAGIC)
		return;
	if (t.check != (t.n ^ ((uint64_t)t.len << 32) ^ TAG_MAGIC) ||
	    t.worker >= (uint32_t)fz.nworkers || t.len != len ||
	    t.n >= FZ_TAG_BITS) {
		fz_finding("%s: a tagged message of %zu bytes has a bad header (worker %u len %u n %llu)",
			   what, len, t.worker, t.len,
			   (unsigned long long)t.n);
		return;
	}
	for (i = sizeof(t); i < len; i++) {
		if ((unsigned char)buf[i] != tag_byte(t.n, i)) {
			fz_finding("%s: tagged message %u/%llu of %zu bytes differs at byte %zu",
				   what, t.worker, (unsigned long long)t.n,
				   len, i);
			return;
		}
	}
	bit = 1ULL << (t.n % 64);
	old = __atomic_fetch_or(&fz_sh->tag_seen[t.worker][t.n / 64], bit,
				__ATOMIC_RELAXED);
	if (old & bit)
		fz_finding("%s: tagged message %u/%llu delivered twice", what,
			   t.worker, (unsigned long long)t.n);
	__atomic_add_fetch(&fz_sh->tags_checked, 1, __ATOMIC_RELAXED);
}

/* @len bytes at @p lie in the scratch buffer. */
static bool in_buf(const void *p, size_t len)
{
	uintptr_t a = (uintptr_t)p, b = (uintptr_t)fz.buf;

	return a >= b && len <= FZ_BUF_SIZE && a - b <= FZ_BUF_SIZE - len;
}

static bool is_ipcchan(const struct fz_fd *f)
{
	return f->kind == FZ_FD_CTL || f->kind == FZ_FD_CHAN ||
	       f->kind == FZ_FD_REGION;
}

/* As in ops_ctl.c: a channel ioctl on another ipcchan fd is ENOTTY. */
static bool check_chan(const char *what, struct fz_fd *f, long ret, int err,
		       const int *allowed)
{
	if (f->kind == FZ_FD_CHAN || f->kind == FZ_FD_NONE)
		return fz_check(what, ret, err, allowed);
	if (!is_ipcchan(f))
		return false;
	if (ret >= 0) {
		fz_finding("%s on a fd of kind %d succeeded (%ld)", what,
			   f->kind, ret);
		return false;
	}
	return fz_check(what, ret, err, ERRS(ENOTTY));
}

/* A message length: small mostly, sometimes at or past the limits. */
static uint32_t arb_len(void)
{
	switch (rnd(12)) {
	case 0: return 0;
	case 1: return rnd(32);
	case 2: return fz.lim.default_max_msg_size + rnd(2);
	case 3: return one_in(4) ? fz.lim.max_msg_size_limit + rnd(2) : 1 + rnd(65536);
	case 4: return one_in(8) ? (uint32_t)rnd64() : 4096;
	default: return 32 + rnd(480);
	}
}

/* Transfer flags; *@bad when they or the timeout make the call EINVAL. */
static uint32_t arb_xfer(__s64 *timeout, bool handle_ok, bool *bad)
{
	uint32_t flags = 0;

	*timeout = 0;
	*bad = false;
	if (!one_in(4))
		flags |= IPCCHAN_XFER_NONBLOCK;
	if (one_in(4)) {
		flags |= IPCCHAN_XFER_TIMEOUT;
		*timeout = arb_timeout();
		if (*timeout < 0)
			*bad = true;
	} else if (one_in(40)) {
		*timeout = 1 + rnd(10);
		*bad = true;
	}
	if (handle_ok && one_in(6))
		flags |= IPCCHAN_XFER_HANDLE;
	if (one_in(30)) {
		flags |= 0x8U << rnd(29);
		*bad = true;
	}
	return flags;
}

static void op_send(void)
{
	struct fz_fd *f = fd_pick(FZ_FD_CHAN), *h;
	union { struct ipcchan_send s; char raw[64]; } a = {};
	struct ipcchan_send *s = &a.s, *p;
	bool bad;
	size_t n;
	unsigned long cmd;
	char *buf;
	long ret;

	if (!f)
		return;
	s->flags = arb_xfer(&s->timeout_ns, true, &bad);
	s->len = arb_len();
	buf = arb_ptr(fz.buf, s->len);
	if (in_buf(buf, s->len))
		chan_tag_fill(buf, s->len);
	s->buf = (uintptr_t)buf;
	if (s->flags & IPCCHAN_XFER_HANDLE) {
		h = fd_pick(FZ_FD_REGION);
		s->handle_fd = h ? h->fd : -1;
		if (!h || h->kind != FZ_FD_REGION)
			fz.bad_fd = bad = true;	/* EBADF or EINVAL */
	} else if (one_in(40)) {
		s->handle_fd = 3;
		bad = true;
	}
	if (one_in(40)) {
		s->__reserved2 = 1;
		bad = true;
	}
	if (f->kind == FZ_FD_CHAN && !(f->flags & IPCCHAN_OPEN_SEND))
		fz.bad_fd = true;
	cmd = arb_cmd(IPCCHAN_IOC_SEND, sizeof(*s), IPCCHAN_SEND_SIZE_VER0,
		      &a, &n);
	if ((s->flags & IPCCHAN_XFER_HANDLE) && n < IPCCHAN_SEND_SIZE_VER1)
		bad = true;
	/* Members past a VER0 struct are not read: zero for the kernel. */
	if (n < IPCCHAN_SEND_SIZE_VER1 && !(s->flags & IPCCHAN_XFER_HANDLE) &&
	    (s->handle_fd || s->__reserved2) && bad &&
	    !(s->flags & ~(IPCCHAN_XFER_NONBLOCK | IPCCHAN_XFER_TIMEOUT)) &&
	    !((s->flags & IPCCHAN_XFER_TIMEOUT) ? s->timeout_ns < 0 : s->timeout_ns != 0))
		bad = false;
	p = place_arg(&a, n);
	ret = ioctl(f->fd, cmd, p);
	if (!check_chan("SEND", f, ret, errno,
			ERRS(EINVAL, EMSGSIZE, ENOBUFS, ENOMEM, EPIPE, EAGAIN,
			     ETIMEDOUT, EINTR)))
		return;
	if (bad || ret != 0)
		fz_finding("SEND returned %ld with invalid arguments (flags %#x timeout %lld handle %d reserved2 %u, size %zu cmd %#lx, fd %d)",
			   ret, s->flags, (long long)s->timeout_ns,
			   s->handle_fd, s->__reserved2, n, cmd, f->fd);
	if (bad || ret != 0)
		fz_reissue(f->fd, cmd, p, n);
	fz_ok();
}

/* Checks the data and info of a message received into @buf. */
static void check_received(const char *what, const char *buf, size_t cap,
			   long ret, const struct ipcchan_msg_info *info)
{
	if (info && ((uint64_t)ret != info->len || info->seq == 0 ||
		     info->pid < 0 || info->__reserved))
		fz_finding("%s returned %ld, info len %u seq %llu pid %d reserved %u",
			   what, ret, info->len, (unsigned long long)info->seq,
			   info->pid, info->__reserved);
	if ((size_t)ret > cap) {
		fz_finding("%s returned %ld for a buffer of %zu", what, ret,
			   cap);
		return;
	}
	if (in_buf(buf, ret))
		chan_tag_verify(buf, ret, what);
}

static void op_recv(void)
{
	struct fz_fd *f = fd_pick(FZ_FD_CHAN);
	union { struct ipcchan_recv r; char raw[96]; } a = {};
	struct ipcchan_recv *r = &a.r, *p;
	bool bad;
	size_t n;
	unsigned long cmd;
	char *buf;
	long ret;

	if (!f)
		return;
	r->flags = arb_xfer(&r->timeout_ns, true, &bad);
	r->len = one_in(10) ? arb_len() : 64 + rnd(16384);
	buf = arb_ptr(fz.buf, r->len);
	r->buf = (uintptr_t)buf;
	if (one_in(40)) {
		r->__reserved = 1;
		bad = true;
	}
	if (f->kind == FZ_FD_CHAN && !(f->flags & IPCCHAN_OPEN_RECV))
		fz.bad_fd = true;
	cmd = arb_cmd(IPCCHAN_IOC_RECV, sizeof(*r), IPCCHAN_RECV_SIZE_VER0,
		      &a, &n);
	if ((r->flags & IPCCHAN_XFER_HANDLE) && n < IPCCHAN_RECV_SIZE_VER1)
		bad = true;
	p = place_arg(&a, n);
	ret = ioctl(f->fd, cmd, p);
	if (ret < 0 && errno == EMSGSIZE && !fz.bad_ptr && f->kind == FZ_FD_CHAN &&
	    p->info.len <= r->len)
		fz_finding("RECV: EMSGSIZE for a buffer of %u, but info.len %u",
			   r->len, p->info.len);
	/* With a handle, an LSM may refuse its fd: EACCES or EPERM. */
	if (!check_chan("RECV", f, ret, errno,
			r->flags & IPCCHAN_XFER_HANDLE ?
			ERRS(EINVAL, EMSGSIZE, EPIPE, EAGAIN, ETIMEDOUT, EINTR,
			     EMFILE, ENOMEM, EACCES, EPERM) :
			ERRS(EINVAL, EMSGSIZE, EPIPE, EAGAIN, ETIMEDOUT, EINTR,
			     EMFILE, ENOMEM)))
		return;
	if (bad)
		fz_finding("RECV returned %ld with invalid arguments (flags %#x timeout %lld)",
			   ret, r->flags, (long long)r->timeout_ns);
	fz_ok();
	if (fz.bad_ptr)
		return;
	check_received("RECV", buf, r->len, ret, &p->info);
	if (r->flags & IPCCHAN_XFER_HANDLE) {
		if (p->handle_fd >= 0 && p->handle_kind == IPCCHAN_KIND_REGION) {
			/* The handle keeps the sender's access mode. */
			int acc = fcntl(p->handle_fd, F_GETFL) & O_ACCMODE;

			fd_add(p->handle_fd, FZ_FD_REGION,
			       (acc != O_WRONLY ? IPCCHAN_REGION_READ : 0) |
			       (acc != O_RDONLY ? IPCCHAN_REGION_WRITE : 0), 0);
		}
		else if (p->handle_fd != -1 || p->handle_kind != 0)
			fz_finding("RECV: handle fd %d kind %u", p->handle_fd,
				   p->handle_kind);
	}
}

static struct ipcchan_mmsg mmsgs[IPCCHAN_BATCH_MAX + 2];

static void op_batch(void)
{
	bool send = one_in(2), bad;
	struct fz_fd *f = fd_pick(FZ_FD_CHAN);
	union { struct ipcchan_batch b; char raw[64]; } a = {};
	struct ipcchan_batch *b = &a.b, *p;
	uint32_t i, count, slot;
	size_t n;
	unsigned long cmd;
	long ret;

	if (!f)
		return;
	b->flags = arb_xfer(&b->timeout_ns, false, &bad);
	count = one_in(10) ? arb_u32(IPCCHAN_BATCH_MAX, IPCCHAN_BATCH_MAX) :
			     1 + rnd(16);
	if (count == 0 || count > IPCCHAN_BATCH_MAX)
		bad = true;
	b->count = count;
	/* Each message gets its own part of buf, so each has its own tag. */
	slot = count && count <= IPCCHAN_BATCH_MAX ? FZ_BUF_SIZE / count : 0;
	if (slot > 16384)
		slot = 16384;
	memset(mmsgs, 0, sizeof(mmsgs));
	for (i = 0; i < count && i < IPCCHAN_BATCH_MAX + 2; i++) {
		mmsgs[i].len = slot ? rnd(slot + 1) : arb_len();
		if (one_in(100))
			mmsgs[i].len = arb_len();
		mmsgs[i].buf = (uintptr_t)(slot ? fz.buf + (size_t)i * slot : fz.buf);
		if (send && slot && mmsgs[i].len <= slot)
			chan_tag_fill((char *)(uintptr_t)mmsgs[i].buf,
				      mmsgs[i].len);
		else if (send && in_buf((char *)(uintptr_t)mmsgs[i].buf, 8))
			memset((char *)(uintptr_t)mmsgs[i].buf, 0, 8);
		if (one_in(100)) {
			/* Only a bad one: a valid one would hold stale tags. */
			mmsgs[i].buf = (uintptr_t)(one_in(2) ? NULL : fz.guard);
			fz.bad_ptr = true;
		}
		if (one_in(200)) {
			mmsgs[i].__reserved = 1;
			fz.bad_size = true;	/* EINVAL, maybe after some */
		}
	}
	b->msgs = (uintptr_t)(one_in(20) ? arb_ptr(NULL, count * sizeof(mmsgs[0])) :
				       mmsgs);
	if (!b->msgs || b->msgs != (uintptr_t)mmsgs)
		fz.bad_ptr = true;
	if (f->kind == FZ_FD_CHAN &&
	    !((send ? IPCCHAN_OPEN_SEND : IPCCHAN_OPEN_RECV) & f->flags))
		fz.bad_fd = true;
	cmd = arb_cmd(send ? IPCCHAN_IOC_SEND_BATCH : IPCCHAN_IOC_RECV_BATCH,
		      sizeof(*b), IPCCHAN_BATCH_SIZE_VER0, &a, &n);
	p = place_arg(&a, n);
	ret = ioctl(f->fd, cmd, p);
	if (!check_chan(send ? "SEND_BATCH" : "RECV_BATCH", f, ret, errno,
			send ? ERRS(EINVAL, EMSGSIZE, ENOBUFS, ENOMEM, EPIPE,
				    EAGAIN, ETIMEDOUT, EINTR) :
			       ERRS(EINVAL, EMSGSIZE, EPIPE, EAGAIN, ETIMEDOUT,
				    EINTR, ENOMEM, ENOBUFS)))
		return;
	if (bad || ret == 0 || ret > count)
		fz_finding("%s returned %ld for %u messages%s",
			   send ? "SEND_BATCH" : "RECV_BATCH", ret, count,
			   bad ? " with invalid arguments" : "");
	fz_ok();
	if (send || fz.bad_ptr || ret > count)
		return;
	for (i = 0; i < ret; i++)
		check_received("RECV_BATCH",
			       (const char *)(uintptr_t)mmsgs[i].buf,
			       mmsgs[i].len, mmsgs[i].info.len, &mmsgs[i].info);
}

/*
 * Whether SEND_PACKED takes the @len bytes of records at @buf, of which it
 * reads @count at most, as well formed (the rule of the uapi header).
 */
static bool packed_well_formed(const char *buf, uint32_t len, uint32_t count)
{
	const struct ipcchan_packed_rec *rec;
	uint64_t off = 0;
	uint32_t i;

	if (len == 0 || len > IPCCHAN_PACKED_MAX || len > FZ_BUF_SIZE)
		return false;
	for (i = 0; i < count && off < len; i++) {
		if (len - off < sizeof(*rec))
			return false;
		rec = (const struct ipcchan_packed_rec *)(buf + off);
		if (rec->len > len - off - sizeof(*rec) || rec->flags)
			return false;
		off += IPCCHAN_PACKED_REC_SIZE(rec->len);
	}
	return true;
}

/*
 * A packed batch: records built in the scratch buffer, each with its own
 * tag; sometimes malformed (a record past the end, a short tail, flags),
 * which must be EINVAL.
 */
static void op_packed(void)
{
	bool send = one_in(2), bad;
	struct fz_fd *f = fd_pick(FZ_FD_CHAN);
	union { struct ipcchan_packed k; char raw[64]; } a = {};
	struct ipcchan_packed *k = &a.k, *p;
	const struct ipcchan_packed_rec *rec;
	struct ipcchan_packed_rec *w;
	uint32_t i, count, nrec, len, cap;
	size_t n, off;
	unsigned long cmd;
	char *buf;
	long ret;

	if (!f)
		return;
	k->flags = arb_xfer(&k->timeout_ns, false, &bad);
	if (one_in(30)) {
		k->flags |= IPCCHAN_XFER_HANDLE;
		bad = true;
	}
	count = one_in(10) ? arb_u32(IPCCHAN_BATCH_MAX, IPCCHAN_BATCH_MAX) :
			     1 + rnd(16);
	if (count == 0 || count > IPCCHAN_BATCH_MAX)
		bad = true;
	k->count = count;
	cap = one_in(10) ? arb_u32(IPCCHAN_PACKED_MAX, IPCCHAN_PACKED_MAX) :
			   1 + rnd(16384);
	buf = fz.buf;
	if (send) {
		nrec = 1 + rnd(count && count < 64 ? count : 64);
		for (i = 0, off = 0; i < nrec; i++) {
			len = one_in(20) ? arb_len() : rnd(600);
			if (IPCCHAN_PACKED_REC_SIZE(len) > IPCCHAN_PACKED_MAX - off)
				break;
			w = (struct ipcchan_packed_rec *)(buf + off);
			memset(w, 0, sizeof(*w));
			w->len = len;
			chan_tag_fill((char *)(w + 1), len);
			if (one_in(200))
				w->flags = 1U << rnd(32);
			off += IPCCHAN_PACKED_REC_SIZE(len);
		}
		/* Whole records, or a cut one. */
		cap = off;
		if (one_in(20) && off)
			cap = off - 1 - rnd(off < 64 ? off : 64);
		if (one_in(50))
			cap = arb_u32(IPCCHAN_PACKED_MAX, IPCCHAN_PACKED_MAX);
		bad |= !packed_well_formed(buf, cap, count);
	} else if (cap < sizeof(struct ipcchan_packed_rec)) {
		bad = true;
	}
	k->len = cap;
	if (one_in(40))
		k->needed = 1 + rnd(1000);	/* out only: ignored */
	if (one_in(40)) {
		k->__reserved = 1;
		bad = true;
	}
	if (one_in(20))
		buf = arb_ptr(fz.buf, cap < FZ_BUF_SIZE ? cap : FZ_BUF_SIZE);
	if (send && buf != fz.buf)
		fz.bad_ptr = true;
	k->buf = (uintptr_t)buf;
	if (f->kind == FZ_FD_CHAN &&
	    !((send ? IPCCHAN_OPEN_SEND : IPCCHAN_OPEN_RECV) & f->flags))
		fz.bad_fd = true;
	cmd = arb_cmd(send ? IPCCHAN_IOC_SEND_PACKED : IPCCHAN_IOC_RECV_PACKED,
		      sizeof(*k), IPCCHAN_PACKED_SIZE_VER0, &a, &n);
	p = place_arg(&a, n);
	ret = ioctl(f->fd, cmd, p);
	if (ret < 0 && errno == EMSGSIZE && !send && !fz.bad_ptr &&
	    f->kind == FZ_FD_CHAN &&
	    p->needed <= (cap < IPCCHAN_PACKED_MAX ? cap : IPCCHAN_PACKED_MAX))
		fz_finding("RECV_PACKED: EMSGSIZE for a buffer of %u, but needed %u",
			   cap, p->needed);
	if (!check_chan(send ? "SEND_PACKED" : "RECV_PACKED", f, ret, errno,
			send ? ERRS(EINVAL, EMSGSIZE, ENOBUFS, ENOMEM, EPIPE,
				    EAGAIN, ETIMEDOUT, EINTR) :
			       ERRS(EINVAL, EMSGSIZE, EPIPE, EAGAIN, ETIMEDOUT,
				    EINTR, ENOMEM, ENOBUFS)))
		return;
	if (bad || ret == 0 || ret > count)
		fz_finding("%s returned %ld for %u messages%s",
			   send ? "SEND_PACKED" : "RECV_PACKED", ret, count,
			   bad ? " with invalid arguments" : "");
	fz_ok();
	if (send || fz.bad_ptr || ret > count || buf != fz.buf)
		return;
	if (cap > IPCCHAN_PACKED_MAX)
		cap = IPCCHAN_PACKED_MAX;
	for (i = 0, off = 0; i < ret; i++) {
		rec = (const struct ipcchan_packed_rec *)(buf + off);
		if (off + sizeof(*rec) > cap || rec->len > cap - off - sizeof(*rec) ||
		    rec->flags || rec->len != rec->info.len) {
			fz_finding("RECV_PACKED: record %u of %ld at %zu (len %u flags %#x info.len %u) in %u bytes",
				   i, ret, off, rec->len, rec->flags,
				   rec->info.len, cap);
			return;
		}
		check_received("RECV_PACKED", (const char *)(rec + 1),
			       rec->len, rec->len, &rec->info);
		off += IPCCHAN_PACKED_REC_SIZE(rec->len);
	}
}

static void op_chan_info(void)
{
	struct fz_fd *f = fd_pick(FZ_FD_CHAN);
	union { struct ipcchan_chan_info c; char raw[160]; } a = {};
	struct ipcchan_chan_info *c = &a.c, *p;
	bool bad = false;
	size_t n;
	unsigned long cmd;
	long ret;

	if (!f)
		return;
	if (one_in(30)) {
		c->flags = 1U << rnd(32);
		bad = true;
	}
	cmd = arb_cmd(IPCCHAN_IOC_CHAN_INFO, sizeof(*c),
		      IPCCHAN_CHAN_INFO_SIZE_VER0, &a, &n);
	p = place_arg(&a, n);
	ret = ioctl(f->fd, cmd, p);
	if (!check_chan("CHAN_INFO", f, ret, errno, ERRS(EINVAL)))
		return;
	if (bad)
		fz_finding("CHAN_INFO accepted flags %#x", c->flags);
	fz_ok();
	if (fz.bad_ptr)
		return;
	if (p->max_msg_size > fz.lim.max_msg_size_limit ||
	    p->max_msgs > fz.lim.max_msgs_limit ||
	    p->max_bytes > fz.lim.max_bytes_limit ||
	    p->max_msg_size > p->max_bytes || p->mode & ~0777U ||
	    p->msgs > (1U << 24) || p->bytes > (1ULL << 40) ||
	    (p->msgs == 0 && p->bytes) ||
	    p->next_seq < (uint64_t)p->msgs + 1 ||
	    p->senders > (1U << 20) || p->receivers > (1U << 20) ||
	    memchr(p->name, 0, IPCCHAN_NAME_MAX) == NULL ||
	    /* A pair end's senders are the other end's. */
	    !(f->flags & IPCCHAN_OPEN_SEND && !(f->flags & FZ_CHAN_PAIR) ?
	      p->senders : 1) ||
	    !(f->flags & IPCCHAN_OPEN_RECV ? p->receivers : 1))
		fz_finding("CHAN_INFO: limits %u/%u/%llu msgs %u bytes %llu next_seq %llu senders %u receivers %u mode %#o (fd flags %#x)",
			   p->max_msg_size, p->max_msgs,
			   (unsigned long long)p->max_bytes, p->msgs,
			   (unsigned long long)p->bytes,
			   (unsigned long long)p->next_seq, p->senders,
			   p->receivers, p->mode, f->flags);
	if (n >= IPCCHAN_CHAN_INFO_SIZE_VER1 &&
	    (!p->id || p->__reserved ||
	     !(f->flags & FZ_CHAN_PAIR) != !p->peer_id ||
	     !(f->flags & FZ_CHAN_PAIR) != !(p->chan_flags & IPCCHAN_CHAN_PAIR) ||
	     !p->name[0] != !!(p->chan_flags & IPCCHAN_CHAN_UNNAMED) ||
	     (p->chan_flags & IPCCHAN_CHAN_UNNAMED && p->mode != 0600)))
		fz_finding("CHAN_INFO: id %llu peer %llu chan_flags %#x name \"%.64s\" mode %#o (fd flags %#x)",
			   (unsigned long long)p->id,
			   (unsigned long long)p->peer_id, p->chan_flags,
			   p->name, p->mode, f->flags);
}

/* read(2), write(2), readv(2), writev(2) on any fd, mostly a channel. */
static void op_rw(void)
{
	struct fz_fd *f = fd_pick(one_in(8) ? rnd(FZ_FD_OTHER + 1) : FZ_FD_CHAN);
	bool wr = one_in(2), vec = one_in(3);
	struct iovec iov[4];
	size_t len = one_in(10) ? arb_len() : rnd(1024), cap = 0;
	char *buf;
	int i, niov = vec ? 1 + rnd(4) : 1;
	long ret;

	if (!f || f->kind == FZ_FD_NL)
		return;
	if (len > FZ_BUF_SIZE)
		len = FZ_BUF_SIZE;
	buf = arb_ptr(fz.buf, len);
	if (wr && in_buf(buf, len))
		chan_tag_fill(buf, len);
	for (i = 0; i < niov; i++) {
		size_t part = i == niov - 1 ? len - cap : rnd(len - cap + 1);

		iov[i].iov_base = buf + cap;
		iov[i].iov_len = part;
		cap += part;
	}
	if (f->kind == FZ_FD_CHAN &&
	    !((wr ? IPCCHAN_OPEN_SEND : IPCCHAN_OPEN_RECV) & f->flags))
		fz.bad_fd = true;
	if (wr)
		ret = vec ? writev(f->fd, iov, niov) : write(f->fd, buf, len);
	else
		ret = vec ? readv(f->fd, iov, niov) : read(f->fd, buf, len);
	if (f->kind == FZ_FD_CTL || f->kind == FZ_FD_REGION) {
		fz_check(wr ? "write" : "read", ret, errno, ERRS(EINVAL, EBADF));
		if (ret >= 0 && (wr ? len : 1))
			fz_finding("%s of %zu bytes on a fd of kind %d returned %ld",
				   wr ? "write" : "read", len, f->kind, ret);
		return;
	}
	if (f->kind != FZ_FD_CHAN && !fz.bad_fd)
		return;
	if (!fz_check(wr ? "write" : "read", ret, errno,
		      wr ? ERRS(EMSGSIZE, ENOBUFS, ENOMEM, EPIPE, EAGAIN, EINTR) :
			   ERRS(EMSGSIZE, EAGAIN, EINTR)))
		return;
	fz_ok();
	if ((size_t)ret > len || (wr && (size_t)ret != len))
		fz_finding("%s of %zu bytes returned %ld", wr ? "write" : "read",
			   len, ret);
	else if (!wr && in_buf(buf, ret))
		chan_tag_verify(buf, ret, "read");
}

static void op_poll(void)
{
	struct pollfd pfd[4];
	struct fz_fd *f;
	int i, n = 1 + rnd(4), ret;

	for (i = 0; i < n; i++) {
		f = fd_pick(rnd(2) ? FZ_FD_CHAN : FZ_FD_REGION);
		pfd[i].fd = f ? f->fd : -1;
		pfd[i].events = rnd(2) ? POLLIN | POLLOUT : (short)rnd64();
		pfd[i].revents = 0;
	}
	ret = poll(pfd, n, one_in(4) ? 1 + rnd(3) : 0);
	if (!fz_check("poll", ret, errno, ERRS(EINTR, ENOMEM)))
		return;
	fz_ok();
	for (i = 0; i < n; i++)
		if (pfd[i].revents & ~(POLLIN | POLLOUT | POLLRDNORM |
				       POLLWRNORM | POLLHUP | POLLERR | POLLNVAL |
				       POLLPRI | POLLRDBAND | POLLWRBAND))
			fz_finding("poll: revents %#x", pfd[i].revents);
}

/*
 * An epoll set over a few fds, exclusive or not, waited on briefly, and
 * closed (which drops its entries from the channels' poll queues).
 */
static void op_epoll(void)
{
	struct epoll_event ev[4];
	struct fz_fd *f;
	int ep, i, n = 1 + rnd(4), ret;

	ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0) {
		fz_check("epoll_create1", ep, errno, ERRS(EMFILE, ENOMEM));
		return;
	}
	for (i = 0; i < n; i++) {
		f = fd_pick(rnd(2) ? FZ_FD_CHAN : FZ_FD_REGION);
		if (!f)
			continue;
		ev[0].events = (rnd(2) ? EPOLLIN : 0) | (rnd(2) ? EPOLLOUT : 0) |
			       (rnd(2) ? EPOLLEXCLUSIVE : 0);
		ev[0].data.u64 = i;
		ret = epoll_ctl(ep, EPOLL_CTL_ADD, f->fd, &ev[0]);
		/* The same fd twice is EEXIST; one without ->poll EPERM. */
		if (!fz_check("epoll_ctl", ret, errno,
			      ERRS(EEXIST, EPERM, ENOMEM, ENOSPC)))
			goto out;
	}
	ret = epoll_wait(ep, ev, 4, one_in(4) ? 1 + rnd(3) : 0);
	if (!fz_check("epoll_wait", ret, errno, ERRS(EINTR)))
		goto out;
	fz_ok();
	for (i = 0; i < ret; i++)
		if (ev[i].events & ~(EPOLLIN | EPOLLOUT | EPOLLRDNORM |
				     EPOLLWRNORM | EPOLLHUP | EPOLLERR |
				     EPOLLPRI | EPOLLRDBAND | EPOLLWRBAND))
			fz_finding("epoll: events %#x", ev[i].events);
out:
	close(ep);
}

/*
 * The worker's own channel: no one else opens it. Every message sent must
 * be received, in order, exactly once; with nothing queued, a receive is
 * EAGAIN. Netlink may unlink its name or change its limits: neither may
 * lose a message.
 */
static void op_priv_xfer(void)
{
	struct ipcchan_send s = { .size = sizeof(s) };
	struct ipcchan_recv r = { .size = sizeof(r) };
	char *buf = fz.buf + FZ_BUF_SIZE / 2;
	uint64_t n;
	long ret;

	if (fz.in_child)
		return;
	if (fz.priv_chan < 0) {
		struct ipcchan_chan_open o = {
			.size = sizeof(o),
			.flags = IPCCHAN_OPEN_RECV | IPCCHAN_OPEN_SEND |
				 IPCCHAN_OPEN_CREATE | IPCCHAN_OPEN_EXCL |
				 IPCCHAN_OPEN_NONBLOCK,
			.mode = 0600, .max_msg_size = 4096, .max_msgs = 64,
			.max_bytes = 64 * 4096,
		};
		int ctl = open(IPCCHAN_DEVICE, O_RDWR);

		if (!fz_check("open " IPCCHAN_DEVICE, ctl, errno,
			      ERRS(EMFILE, ENOMEM)))
			return;
		snprintf(o.name, sizeof(o.name), "fzp%d-%d", fz.worker,
			 getpid());
		fz.priv_chan = ioctl(ctl, IPCCHAN_IOC_CHAN_OPEN, &o);
		fz_check("CHAN_OPEN of the worker's channel", fz.priv_chan,
			 errno, ERRS(ENOSPC, ENOMEM, EMFILE));
		close(ctl);
		return;
	}
	n = fz.priv_recvd;
	if (fz.priv_sent - fz.priv_recvd < 64 && rnd(2)) {
		s.len = 24 + rnd(4096 - 24);
		memcpy(buf, &fz.priv_sent, 8);
		memcpy(buf + 8, &fz.run_seed, 8);
		memset(buf + 16, (int)(fz.priv_sent & 0xff), s.len - 16);
		s.buf = (uintptr_t)buf;
		ret = ioctl(fz.priv_chan, IPCCHAN_IOC_SEND, &s);
		/* netlink SET may have lowered the limits. */
		if (fz_check("SEND on the worker's channel", ret, errno,
			     ERRS(ENOBUFS, ENOMEM, EAGAIN, EMSGSIZE))) {
			fz.priv_sent++;
			fz_ok();
		}
		return;
	}
	r.buf = (uintptr_t)buf;
	r.len = 4096;
	ret = ioctl(fz.priv_chan, IPCCHAN_IOC_RECV, &r);
	if (ret < 0) {
		if (errno == EAGAIN && fz.priv_sent == n)
			return;
		if (errno == EINTR && fz.alarm_fired)
			return;
		fz_finding("RECV on the worker's channel: %s with %llu messages sent and %llu received",
			   strerror(errno), (unsigned long long)fz.priv_sent,
			   (unsigned long long)n);
		return;
	}
	fz_ok();
	if (fz.priv_sent == n) {
		fz_finding("RECV on the worker's channel got a message, but every one sent was received");
		return;
	}
	{
		uint64_t got, seed;
		long i;

		memcpy(&got, buf, 8);
		memcpy(&seed, buf + 8, 8);
		for (i = 16; i < ret; i++)
			if ((unsigned char)buf[i] != (unsigned char)(n & 0xff))
				break;
		if (ret < 24 || got != n || seed != fz.run_seed || i != ret ||
		    r.info.seq != n + 1 || r.info.pid != getpid() ||
		    r.info.len != ret)
			fz_finding("RECV on the worker's channel: message %llu (seq %llu, pid %d, %ld bytes) where %llu was due (byte %ld differs)",
				   (unsigned long long)got,
				   (unsigned long long)r.info.seq, r.info.pid,
				   ret, (unsigned long long)n, i);
	}
	fz.priv_recvd++;
}

const struct fz_op fz_chan_ops[] = {
	{ "send", op_send, 20 },
	{ "recv", op_recv, 18 },
	{ "batch", op_batch, 8 },
	{ "packed", op_packed, 6 },
	{ "chan_info", op_chan_info, 5 },
	{ "rw", op_rw, 8 },
	{ "poll", op_poll, 4 },
	{ "epoll", op_epoll, 2 },
	{ "priv_xfer", op_priv_xfer, 8 },
	{}
};
