// SPDX-License-Identifier: GPL-2.0
/*
 * ipcchan-fuzz: the region ops: REGION_INFO, ATTACH (EBADF without the
 * access of the role), WAIT (EBADF without read access), WAKE, and the
 * memory ops on region fds: mmap with any offset, length, protection and
 * flags, munmap of a whole mapping or a part, mremap, mprotect, madvise,
 * touching pages (which must work inside the region, and raise SIGBUS past
 * its end), and fork with mappings.
 *
 * The worker's own region, mapped twice, checks that both mappings and a
 * forked child's see the same memory.
 */
#include "fuzz.h"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>

#define PRIV_PAGES	4

static bool is_ipcchan(const struct fz_fd *f)
{
	return f->kind == FZ_FD_CTL || f->kind == FZ_FD_CHAN ||
	       f->kind == FZ_FD_REGION;
}

static bool check_region(const char *what, struct fz_fd *f, long ret,
			 int err, const int *allowed)
{
	if (f->kind == FZ_FD_REGION || f->kind == FZ_FD_NONE)
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

/* The size of a region fd that came as a handle. */
static void region_learn(struct fz_fd *f)
{
	struct ipcchan_region_info info = { .size = sizeof(info) };

	if (ioctl(f->fd, IPCCHAN_IOC_REGION_INFO, &info) == 0)
		f->region_size = info.region_size;
	else
		fz_check("REGION_INFO", -1, errno, ERRS(ENOMEM));
}

/* Drops, without unmapping, the mappings a fork did not copy. */
void map_forget_dontfork(void)
{
	int i;

	for (i = 0; i < FZ_NMAPS; i++)
		if (fz.maps[i].dontfork)
			fz.maps[i].addr = NULL;
}

static void op_region_info(void)
{
	struct fz_fd *f = fd_pick(FZ_FD_REGION);
	union { struct ipcchan_region_info i; char raw[160]; } a = {};
	struct ipcchan_region_info *i = &a.i, *p;
	bool bad = false;
	size_t n;
	unsigned long cmd;
	long ret;

	if (!f)
		return;
	if (one_in(30)) {
		i->flags = 1U << rnd(32);
		bad = true;
	}
	cmd = arb_cmd(IPCCHAN_IOC_REGION_INFO, sizeof(*i),
		      IPCCHAN_REGION_INFO_SIZE_VER0, &a, &n);
	p = place_arg(&a, n);
	ret = ioctl(f->fd, cmd, p);
	if (!check_region("REGION_INFO", f, ret, errno, ERRS(EINVAL)))
		return;
	if (bad)
		fz_finding("REGION_INFO accepted flags %#x", i->flags);
	fz_ok();
	if (fz.bad_ptr)
		return;
	if (p->region_size == 0 || p->region_size % fz.page ||
	    p->region_size > fz.lim.max_region_size || p->mode & ~0777U ||
	    p->mappings > (1U << 24) || p->producers > (1U << 20) ||
	    p->consumers > (1U << 20) || p->__reserved || p->__reserved2 ||
	    !memchr(p->name, 0, IPCCHAN_NAME_MAX) ||
	    (f->region_size && f->region_size != p->region_size))
		fz_finding("REGION_INFO: size %llu (known %llu) mode %#o mappings %u producers %u consumers %u",
			   (unsigned long long)p->region_size,
			   (unsigned long long)f->region_size, p->mode,
			   p->mappings, p->producers, p->consumers);
	f->region_size = p->region_size;
}

static void op_attach(void)
{
	struct fz_fd *f = fd_pick(FZ_FD_REGION);
	union { struct ipcchan_region_attach r; char raw[32]; } a = {};
	size_t n;
	unsigned long cmd;
	long ret;

	if (!f)
		return;
	a.r.role = arb_u32(1 + rnd(2), 2);
	cmd = arb_cmd(IPCCHAN_IOC_REGION_ATTACH, sizeof(a.r),
		      IPCCHAN_REGION_ATTACH_SIZE_VER0, &a, &n);
	ret = ioctl(f->fd, cmd, place_arg(&a, n));
	if (!check_region("REGION_ATTACH", f, ret, errno,
			  ERRS(EINVAL, EBUSY, EBADF)))
		return;
	if (a.r.role != IPCCHAN_ROLE_PRODUCER && a.r.role != IPCCHAN_ROLE_CONSUMER)
		fz_finding("REGION_ATTACH accepted role %u", a.r.role);
	/* A producer needs write access, a consumer read access. */
	if (f->kind == FZ_FD_REGION &&
	    !(f->flags & (a.r.role == IPCCHAN_ROLE_PRODUCER ?
			  IPCCHAN_REGION_WRITE : IPCCHAN_REGION_READ)))
		fz_finding("REGION_ATTACH as role %u on a fd of flags %#x",
			   a.r.role, f->flags);
	fz_ok();
}

static void op_wait(void)
{
	struct fz_fd *f = fd_pick(FZ_FD_REGION);
	union { struct ipcchan_region_wait w; char raw[64]; } a = {};
	struct ipcchan_region_wait *w = &a.w;
	uint64_t size;
	bool bad = false;
	size_t n;
	unsigned long cmd;
	long ret;

	if (!f)
		return;
	size = f->region_size ? f->region_size : (uint64_t)fz.page;
	w->offset = arb_u64((rnd64() % size) & ~3ULL, size);
	if (w->offset % 4 || (f->region_size && w->offset >= f->region_size))
		bad = true;
	w->expected = one_in(2) ? 0 : (uint32_t)rnd64();
	if (!one_in(4))
		w->flags |= IPCCHAN_XFER_NONBLOCK;
	if (one_in(3)) {
		w->flags |= IPCCHAN_XFER_TIMEOUT;
		w->timeout_ns = arb_timeout();
		if (w->timeout_ns < 0)
			bad = true;
	}
	if (one_in(30)) {
		w->flags |= IPCCHAN_XFER_HANDLE << rnd(29);
		bad = true;
	}
	if (one_in(40)) {
		w->__reserved = 1;
		bad = true;
	}
	cmd = arb_cmd(IPCCHAN_IOC_REGION_WAIT, sizeof(*w),
		      IPCCHAN_REGION_WAIT_SIZE_VER0, &a, &n);
	ret = ioctl(f->fd, cmd, place_arg(&a, n));
	/* Without read access, no answer may tell the word: EBADF first. */
	if (f->kind == FZ_FD_REGION && !(f->flags & IPCCHAN_REGION_READ) &&
	    (ret >= 0 || errno == EAGAIN || errno == ETIMEDOUT ||
	     errno == EPIPE || errno == EINTR))
		fz_finding("REGION_WAIT on a fd of flags %#x: %ld (%s)",
			   f->flags, ret, ret < 0 ? strerror(errno) : "ok");
	if (!check_region("REGION_WAIT", f, ret, errno,
			  ERRS(EINVAL, EAGAIN, ETIMEDOUT, EINTR, EPIPE,
			       ENOMEM, EBADF)))
		return;
	if (bad)
		fz_finding("REGION_WAIT accepted offset %llu flags %#x timeout %lld",
			   (unsigned long long)w->offset, w->flags,
			   (long long)w->timeout_ns);
	fz_ok();
}

static void op_wake(void)
{
	struct fz_fd *f = fd_pick(FZ_FD_REGION);
	union { struct ipcchan_region_wake w; char raw[32]; } a = {};
	void *p;
	size_t n;
	unsigned long cmd;
	long ret;

	if (!f)
		return;
	if (one_in(30))
		a.w.flags = 1U << rnd(32);
	cmd = arb_cmd(IPCCHAN_IOC_REGION_WAKE, sizeof(a.w),
		      IPCCHAN_REGION_WAKE_SIZE_VER0, &a, &n);
	p = place_arg(&a, n);
	ret = ioctl(f->fd, cmd, p);
	if (!check_region("REGION_WAKE", f, ret, errno, ERRS(EINVAL)))
		return;
	if (a.w.flags) {
		fz_finding("REGION_WAKE accepted flags %#x", a.w.flags);
		fz_reissue(f->fd, cmd, p, n);
	}
	fz_ok();
}

void map_drop(struct fz_map *m)
{
	if (m->addr)
		munmap(m->addr, m->len);
	m->addr = NULL;
}

static struct fz_map *map_pick(void)
{
	int idx[FZ_NMAPS], n = 0, i;

	for (i = 0; i < FZ_NMAPS; i++)
		if (fz.maps[i].addr)
			idx[n++] = i;
	return n ? &fz.maps[idx[rnd(n)]] : NULL;
}

static void op_mmap(void)
{
	static const int prots[] = {
		PROT_READ, PROT_READ | PROT_WRITE, PROT_WRITE, PROT_NONE,
		PROT_READ | PROT_EXEC,
	};
	struct fz_fd *f = fd_pick(FZ_FD_REGION);
	struct fz_map *m;
	uint64_t size, pages, off, len;
	int prot, flags = MAP_SHARED, i;
	bool clean = true;
	char *p;

	if (!f)
		return;
	if (f->kind == FZ_FD_REGION && !f->region_size)
		region_learn(f);
	size = f->region_size;
	pages = size ? size / fz.page : 4;
	off = rnd(pages) * (uint64_t)fz.page;
	len = (1 + rnd(pages - off / fz.page)) * (uint64_t)fz.page;
	switch (rnd(16)) {
	case 0: off = arb_u64(off, size); clean = false; break;
	case 1: len = arb_u64(len, size); clean = false; break;
	case 2: off += 1 + rnd(fz.page - 1); clean = false; break;
	case 3: len = size + fz.page; clean = false; break;
	case 4: flags = MAP_PRIVATE; clean = false; break;
	case 5: flags = MAP_SHARED_VALIDATE | (one_in(2) ? MAP_SYNC : 0); clean = false; break;
	}
	prot = f->flags & IPCCHAN_REGION_WRITE ? PROT_READ | PROT_WRITE :
						PROT_READ;
	if (one_in(4)) {
		prot = prots[rnd(5)];
		clean = false;
	}
	if (!(f->flags & IPCCHAN_REGION_READ) || f->kind != FZ_FD_REGION ||
	    fz.bad_fd || !size)
		clean = false;
	p = mmap(NULL, len, prot, flags, f->fd, off);
	if (p == MAP_FAILED) {
		if (clean && errno != ENOMEM)
			fz_finding("mmap of %llu bytes at %llu of a region of %llu: %s",
				   (unsigned long long)len,
				   (unsigned long long)off,
				   (unsigned long long)size, strerror(errno));
		if (f->kind == FZ_FD_REGION || f->kind == FZ_FD_NONE)
			fz_check("mmap", -1, errno,
				 ERRS(EINVAL, EACCES, EOVERFLOW, ENOMEM, EBADF,
				      EOPNOTSUPP, EPERM));
		else if (is_ipcchan(f))
			fz_check("mmap of a non-region fd", -1, errno,
				 ERRS(ENODEV, EINVAL, EACCES, EOVERFLOW,
				      ENOMEM, EOPNOTSUPP));
		return;
	}
	if (f->kind != FZ_FD_REGION) {
		if (is_ipcchan(f))
			fz_finding("mmap of a fd of kind %d succeeded", f->kind);
		munmap(p, len);
		return;
	}
	if (flags == MAP_PRIVATE || !size || off + len > size ||
	    ((prot & PROT_WRITE) && !(f->flags & IPCCHAN_REGION_WRITE)))
		fz_finding("mmap succeeded: %llu bytes at %llu of a region of %llu, prot %#x flags %#x, fd flags %#x",
			   (unsigned long long)len, (unsigned long long)off,
			   (unsigned long long)size, prot, flags, f->flags);
	fz_ok();
	for (i = 0; i < FZ_NMAPS && fz.maps[i].addr; i++)
		;
	if (i == FZ_NMAPS) {
		i = rnd(FZ_NMAPS);
		map_drop(&fz.maps[i]);
	}
	m = &fz.maps[i];
	m->addr = p;
	m->len = len;
	m->prot = prot;
	m->off = off;
	m->region_size = size;
	m->dontfork = false;
}

static void op_munmap(void)
{
	struct fz_map *m = map_pick();
	size_t pages;

	if (!m)
		return;
	pages = m->len / fz.page;
	if (pages > 1 && one_in(2)) {
		/* Only the first or the last page. */
		if (rnd(2)) {
			munmap(m->addr, fz.page);
			m->addr += fz.page;
			m->off += fz.page;
		} else {
			munmap(m->addr + m->len - fz.page, fz.page);
		}
		m->len -= fz.page;
	} else {
		map_drop(m);
	}
	fz_ok();
}

static void op_mremap(void)
{
	struct fz_map *m = map_pick();
	size_t len;
	char *p;

	if (!m)
		return;
	switch (rnd(3)) {
	case 0: len = m->len * 2; break;
	case 1: len = m->len > (size_t)fz.page ? m->len - fz.page : m->len; break;
	default: len = m->len + fz.page * (1 + rnd(4)); break;
	}
	p = mremap(m->addr, m->len, len, MREMAP_MAYMOVE);
	if (p == MAP_FAILED) {
		fz_check("mremap", -1, errno, ERRS(ENOMEM, EINVAL, EFAULT));
		return;
	}
	fz_ok();
	m->addr = p;
	m->len = len;
}

static void op_mprotect(void)
{
	struct fz_map *m = map_pick();
	int prot = one_in(2) ? PROT_READ | PROT_WRITE : PROT_READ;
	int ret;

	if (!m)
		return;
	/* Exec only in regions made with IPCCHAN_REGION_EXEC: else EACCES. */
	if (one_in(8))
		prot |= PROT_EXEC;
	ret = mprotect(m->addr, m->len, prot);
	if (fz_check("mprotect", ret, errno, ERRS(EACCES, ENOMEM))) {
		m->prot = prot;
		fz_ok();
	}
}

#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE	25
#endif

static void op_madvise(void)
{
	static const int advice[] = {
		MADV_DONTNEED, MADV_WILLNEED, MADV_REMOVE, MADV_DONTFORK,
		MADV_DOFORK, MADV_COLD, MADV_PAGEOUT, MADV_POPULATE_READ,
		MADV_POPULATE_WRITE, MADV_HUGEPAGE, MADV_NOHUGEPAGE,
		MADV_COLLAPSE,
	};
	struct fz_map *m = map_pick();
	int adv = advice[rnd(sizeof(advice) / sizeof(advice[0]))];
	int ret;

	if (!m)
		return;
	ret = madvise(m->addr, m->len, adv);
	/* POPULATE past the end of the region meets the SIGBUS: EFAULT. */
	if (fz_check("madvise", ret, errno,
		     ERRS(EINVAL, ENOMEM, EACCES, EFAULT, EPERM, EAGAIN,
			  EHWPOISON, EIO, ENODEV, EOPNOTSUPP))) {
		/* A region never gets holes; huge pages stay inside it. */
		if (adv == MADV_REMOVE)
			fz_finding("MADV_REMOVE of %zu bytes of a region worked",
				   m->len);
		if (adv == MADV_DONTFORK)
			m->dontfork = true;
		else if (adv == MADV_DOFORK)
			m->dontfork = false;
		fz_ok();
	}
}

/*
 * Touches one page of a mapping. Inside the region, with the protection
 * allowing it, the access must work; past the end of the region it must
 * raise SIGBUS.
 */
static void op_touch(void)
{
	struct fz_map *m = map_pick();
	volatile char *addr;
	sigjmp_buf jb;
	uint64_t off;
	size_t page;
	bool write, inside;

	if (!m)
		return;
	page = rnd(m->len / fz.page);
	addr = m->addr + page * fz.page + rnd(fz.page);
	off = m->off + page * fz.page;
	write = (m->prot & PROT_WRITE) && rnd(2);
	if (!(m->prot & PROT_READ) && !write)
		return;	/* nothing to expect of PROT_NONE */
	inside = off < m->region_size;
	fz.fault_sig = 0;
	if (sigsetjmp(jb, 1) == 0) {
		fz.fault_jmp = &jb;
		if (write)
			*addr = (char)rnd64();
		else
			(void)*addr;
	}
	fz.fault_jmp = NULL;
	if (inside && fz.fault_sig)
		fz_finding("%s of byte %llu of a region of %llu raised signal %d",
			   write ? "a write" : "a read",
			   (unsigned long long)(off + ((uintptr_t)addr % fz.page)),
			   (unsigned long long)m->region_size, fz.fault_sig);
	else if (!inside && fz.fault_sig != SIGBUS)
		fz_finding("%s of page %llu of a region of %llu bytes (past its end) raised %d, not SIGBUS",
			   write ? "a write" : "a read",
			   (unsigned long long)off,
			   (unsigned long long)m->region_size, fz.fault_sig);
	else
		fz_ok();
}

/* The worker's own region and its two mappings; false if none. */
static bool priv_region(void)
{
	struct ipcchan_region_open o = {
		.size = sizeof(o),
		.flags = IPCCHAN_REGION_READ | IPCCHAN_REGION_WRITE |
			 IPCCHAN_OPEN_CREATE | IPCCHAN_OPEN_EXCL,
		.mode = 0600,
	};
	int ctl, i;

	if (fz.priv_region >= 0)
		return fz.priv_map[0] != NULL;
	if (fz.in_child)
		return false;
	ctl = open(IPCCHAN_DEVICE, O_RDWR);
	if (ctl < 0)
		return false;
	fz.priv_size = PRIV_PAGES * fz.page;
	o.region_size = fz.priv_size;
	snprintf(o.name, sizeof(o.name), "fzq%d-%d", fz.worker, getpid());
	fz.priv_region = ioctl(ctl, IPCCHAN_IOC_REGION_OPEN, &o);
	close(ctl);
	if (!fz_check("REGION_OPEN of the worker's region", fz.priv_region,
		      errno, ERRS(ENOSPC, ENOBUFS, ENOMEM, EMFILE)))
		return false;
	for (i = 0; i < 2; i++) {
		fz.priv_map[i] = mmap(NULL, fz.priv_size,
				      PROT_READ | PROT_WRITE, MAP_SHARED,
				      fz.priv_region, 0);
		if (fz.priv_map[i] == MAP_FAILED) {
			fz.priv_map[i] = NULL;
			fz_check("mmap of the worker's region", -1, errno,
				 ERRS(ENOMEM));
			return false;
		}
	}
	return true;
}

/* Both mappings of the worker's region see the same bytes. */
void region_priv_check(void)
{
	volatile uint64_t *a, *b;
	size_t off;
	uint64_t v = rnd64();

	if (!priv_region())
		return;
	off = (rnd(fz.priv_size) & ~7UL);
	a = (volatile uint64_t *)(fz.priv_map[0] + off);
	b = (volatile uint64_t *)(fz.priv_map[1] + off);
	*a = v;
	if (*b != v)
		fz_finding("the two mappings of the worker's region differ at %zu",
			   off);
}

static void op_priv_region(void)
{
	if (fz.in_child)
		return;
	region_priv_check();
	fz_ok();
}

/*
 * Forks with the mappings; the child writes the worker's region through
 * its copy of a mapping, touches the others, and exits; the parent then
 * sees what it wrote.
 */
static void op_fork_map(void)
{
	uint64_t v = rnd64() | 1;
	size_t off;
	pid_t pid;
	int i;

	if (fz.in_child || !priv_region())
		return;
	off = rnd(fz.priv_size) & ~7UL;
	pid = fork();
	if (pid < 0)
		return;
	if (pid == 0) {
		fz.in_child = true;
		fz.cur_op = -1;		/* its touches count as no op */
		map_forget_dontfork();
		*(volatile uint64_t *)(fz.priv_map[rnd(2)] + off) = v;
		for (i = 0; i < 3; i++)
			op_touch();
		if (one_in(2))
			for (i = 0; i < FZ_NMAPS; i++)
				map_drop(&fz.maps[i]);
		_exit(0);
	}
	if (fz_reap_child(pid, "a forked child with mappings") < 0)
		return;
	if (*(volatile uint64_t *)(fz.priv_map[rnd(2)] + off) != v)
		fz_finding("a write of a forked child to a shared region is not seen by its parent");
	else
		fz_ok();
}

const struct fz_op fz_region_ops[] = {
	{ "region_info", op_region_info, 4 },
	{ "attach", op_attach, 2 },
	{ "wait", op_wait, 4 },
	{ "wake", op_wake, 3 },
	{ "mmap", op_mmap, 10 },
	{ "munmap", op_munmap, 5 },
	{ "mremap", op_mremap, 3 },
	{ "mprotect", op_mprotect, 2 },
	{ "madvise", op_madvise, 2 },
	{ "touch", op_touch, 12 },
	{ "priv_region", op_priv_region, 2 },
	{ "fork_map", op_fork_map, 1 },
	{}
};
