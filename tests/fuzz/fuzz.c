// SPDX-License-Identifier: GPL-2.0
/*
 * ipcchan-fuzz: random sequences of every ioctl, mmap and netlink operation
 * of the ipcchan module, with valid, boundary and garbage arguments, in
 * several processes that share a small pool of object names.
 *
 *	ipcchan-fuzz [--seed S] [--procs N] [--seconds T] [--ops M]
 *		     [--worker I] [--trace]
 *
 * The run seed S (default: $IPCCHAN_FUZZ_SEED, else the clock) gives each
 * worker I its own seed splitmix64(S ^ splitmix64(I + 1)), so that
 * `ipcchan-fuzz --seed S --procs N --ops M` replays a run: every worker
 * makes the same choices, and only the interleaving of the workers, which
 * share names, differs. --worker I runs worker I alone, in the foreground.
 * The run stops after M ops per worker or T seconds (default
 * $IPCCHAN_FUZZ_SECONDS, else 10; with --ops alone there is no time bound),
 * whichever comes first.
 *
 * Every result must be a success or an errno that uapi/linux/ipcchan.h
 * documents for the call, and the cheap invariants (tagged messages
 * delivered intact at most once, and exactly once on a worker's own
 * channel; coherent shared mappings; event sequence numbers without gaps;
 * sane counters) must hold. A finding prints "# FINDING" with the seed, the
 * worker and the op number, and fails the run. Blocking calls are bounded
 * by a ticker process whose SIGALRM interrupts them, and a watchdog kills
 * workers that stop making progress.
 *
 * Output, in the kselftest shape of tests/harness.h:
 *	ok - fuzz.errnos		no unexpected errno or success
 *	ok - fuzz.workers		every worker ended, none crashed or hung
 *	ok - fuzz.coverage		the main operations succeeded at least once
 *	ok - fuzz.cleanup		the objects the run named are gone
 * preceded by "# " lines with the seed, the replay command and the counts.
 */
#include "fuzz.h"

#include <dirent.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <time.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>

struct fz_state fz;
struct fz_shared *fz_sh;

/* Milliseconds an op may block before the ticker interrupts it. */
#define OP_TIMER_MS	100
/* Seconds past the deadline after which the watchdog kills workers. */
#define WATCHDOG_SLACK	60

static const struct fz_op *all_ops[128];
static unsigned int nr_ops, total_weight;
static int findings_printed;

static const char *op_name(int i)
{
	return i >= 0 && (unsigned int)i < nr_ops ? all_ops[i]->name : "-";
}

void fz_trace(const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n;

	if (!fz.trace)
		return;
	n = snprintf(line, sizeof(line), "# trace w%d op %llu %s: ", fz.worker,
		     (unsigned long long)fz.opno, op_name(fz.cur_op));
	va_start(ap, fmt);
	n += vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	if (write(2, line, n) < 0)
		return;
}

void fz_finding(const char *fmt, ...)
{
	char line[2048];
	va_list ap;
	int n, i;

	__atomic_add_fetch(&fz_sh->findings, 1, __ATOMIC_RELAXED);
	if (findings_printed++ >= FZ_MAX_FINDINGS)
		return;
	n = snprintf(line, sizeof(line),
		     "# FINDING seed %llu worker %d op %llu (%s): ",
		     (unsigned long long)fz.run_seed, fz.worker,
		     (unsigned long long)fz.opno, op_name(fz.cur_op));
	va_start(ap, fmt);
	n += vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	va_end(ap);
	n += snprintf(line + n, sizeof(line) - n, "\n#   last ops:");
	for (i = FZ_HIST - 1; i >= 0 && n < (int)sizeof(line) - 40; i--) {
		if (fz.opno < (uint64_t)i)
			continue;
		n += snprintf(line + n, sizeof(line) - n, " %s",
			      op_name(fz.hist[(fz.opno - i) % FZ_HIST]));
	}
	if (n > (int)sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	/* One write, so that lines of several workers never mix. */
	if (write(1, line, n) < 0)
		return;
}

bool fz_check(const char *what, long ret, int err, const int *allowed)
{
	char note[96];
	const int *e;

	if (ret >= 0)
		return true;
	if (fz.cur_op >= 0 && err > 0 && err < 136)
		__atomic_add_fetch(&fz_sh->op_err[fz.cur_op][err], 1,
				   __ATOMIC_RELAXED);
	if (err == EFAULT && fz.bad_ptr)
		return false;
	if (err == E2BIG && fz.big_tail)
		return false;
	if (err == EBADF && fz.bad_fd)
		return false;
	if ((err == ENOTTY || err == EINVAL) && fz.bad_size)
		return false;
	if (err == EINTR && fz.alarm_fired)
		return false;
	/* Kernel-internal restart codes must never reach userspace. */
	if (err == ERESTART || err == 512 /* ERESTARTSYS, never to user */) {
		fz_finding("%s: kernel-internal errno %d leaked", what, err);
		return false;
	}
	for (e = allowed; *e; e++)
		if (*e == err)
			return false;
	snprintf(note, sizeof(note), " [last fd %d kind %d flags %#x, F_GETFL %d]",
		 fz.last_fd.fd, fz.last_fd.kind, fz.last_fd.flags,
		 fcntl(fz.last_fd.fd, F_GETFL));
	fz_finding("%s: unexpected errno %d (%s)%s%s%s%s%s", what, err,
		   strerror(err), fz.bad_ptr ? " [bad pointer]" : "",
		   fz.bad_size ? " [bad size]" : "",
		   fz.big_tail ? " [big tail]" : "",
		   fz.bad_fd ? " [bad fd]" : "", note);
	return false;
}

/*
 * After a call accepted what it should have refused: the call again, the
 * bytes it was given and what the fd is, to tell a module bug from a
 * fuzzer bug.
 */
void fz_reissue(int fd, unsigned long cmd, const void *arg, size_t n)
{
	char hex[300] = "", path[64], target[128] = "";
	const unsigned char *b = arg;
	size_t i;
	int len = 0;
	long ret;

	for (i = 0; i < n && i < 96 && !fz.bad_ptr; i++)
		len += snprintf(hex + len, sizeof(hex) - len, "%02x", b[i]);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (readlink(path, target, sizeof(target) - 1) < 0)
		strcpy(target, "?");
	ret = ioctl(fd, cmd, arg);
	printf("#   again: %ld (%s); fd %d is %s; cmd %#lx, %zu bytes: %s\n",
	       ret, ret < 0 ? strerror(errno) : "ok", fd, target, cmd, n, hex);
}

/* Argument generators ------------------------------------------------ */

uint32_t arb_u32(uint32_t valid, uint64_t limit)
{
	switch (rnd(20)) {
	case 0: return 0;
	case 1: return 1;
	case 2: return limit ? (uint32_t)(limit - 1) : 2;
	case 3: return (uint32_t)limit;
	case 4: return (uint32_t)(limit + 1);
	case 5: return UINT32_MAX - rnd(2);
	case 6: return 0x80000000U >> rnd(2);
	case 7: return (uint32_t)rnd64();
	case 8: return valid ^ (1U << rnd(32));
	default: return valid;
	}
}

uint64_t arb_u64(uint64_t valid, uint64_t limit)
{
	switch (rnd(20)) {
	case 0: return 0;
	case 1: return 1;
	case 2: return limit ? limit - 1 : 2;
	case 3: return limit;
	case 4: return limit + 1;
	case 5: return UINT64_MAX - rnd(2);
	case 6: return (uint64_t)INT64_MAX + rnd(2);
	case 7: return rnd64();
	case 8: return valid ^ (1ULL << rnd(64));
	case 9: return (uint64_t)UINT32_MAX + rnd(2);
	default: return valid;
	}
}

int64_t arb_timeout(void)
{
	switch (rnd(10)) {
	case 0: return 0;
	case 1: return 1;
	case 2: return -1;
	case 3: return INT64_MIN;
	case 4: return INT64_MAX;
	case 5: return (int64_t)rnd64();
	default: return 1000 + rnd(3000000);	/* up to 3 ms */
	}
}

/*
 * @valid, or now and then a pointer the kernel must refuse with EFAULT:
 * NULL, a kernel address, an unmapped page, a PROT_NONE page, or @len bytes
 * that run into one.
 */
void *arb_ptr(void *valid, size_t len)
{
	switch (rnd(48)) {
	case 0: fz.bad_ptr = true; return NULL;
	case 1: fz.bad_ptr = true; return (void *)(uintptr_t)rnd(4096);
	case 2: fz.bad_ptr = true; return (void *)0xffffffff81000000ULL;
	case 3: fz.bad_ptr = true; return (void *)0xffff888000000000ULL;
	case 4: fz.bad_ptr = true; return fz.unmapped + rnd(fz.page);
	case 9: fz.bad_ptr = true; return fz.argbuf + fz.page;
	case 5: fz.bad_ptr = true; return fz.guard;
	case 6:
		fz.bad_ptr = true;
		return len > 1 && len <= FZ_BUF_SIZE ? fz.guard - len / 2 :
						       fz.guard;
	case 7:
		/* Ends exactly at the guard page: valid. */
		if (len <= FZ_BUF_SIZE)
			return fz.guard - len;
		return valid;
	case 8: fz.bad_ptr = true; return (void *)UINT64_MAX;
	default: return valid;
	}
}

/*
 * Where an ioctl struct of @len bytes is passed: mostly @arg itself, now and
 * then a copy that ends exactly at a PROT_NONE page (valid), one that runs
 * into it, or a bad pointer.
 */
void *place_arg(void *arg, size_t len)
{
	char *end = fz.argbuf + fz.page;

	if (len > (size_t)fz.page)
		return arg;
	switch (rnd(40)) {
	case 0:
		memcpy(end - len, arg, len);
		return end - len;
	case 1:
		if (len < 2)
			return arg;
		memcpy(end - len + len / 2, arg, len - len / 2);
		fz.bad_ptr = true;
		return end - len + len / 2;
	case 2:
		fz.bad_ptr = true;
		return arb_ptr(NULL, len);
	default:
		return arg;
	}
}

static void set_size_member(void *arg, uint32_t size)
{
	memcpy(arg, &size, sizeof(size));
}

static unsigned long cmd_with_size(unsigned long cmd, size_t size)
{
	return (cmd & ~((unsigned long)_IOC_SIZEMASK << _IOC_SIZESHIFT)) |
	       ((unsigned long)(size & _IOC_SIZEMASK) << _IOC_SIZESHIFT);
}

/*
 * Sets the @size member of the struct at @arg (a buffer of at least
 * @ksize + 16 bytes, zeroed past @ksize) and returns the ioctl number:
 * mostly the right ones, else an older size, a longer struct with a zero
 * or a non-zero tail, sizes that disagree, too small or random sizes, or a
 * number with other direction bits. *@argsize is how many bytes to pass.
 */
unsigned long arb_cmd(unsigned long cmd, size_t ksize, size_t ver0,
		      void *arg, size_t *argsize)
{
	uint32_t size = ksize;

	*argsize = ksize;
	switch (rnd(40)) {
	case 0:
		fz.bad_size = true;
		size = ver0 - 1 - rnd(ver0);
		if (size < 4)
			fz.bad_ptr = true;
		break;
	case 1:
		/* A longer struct, zero past ours: accepted. */
		size = ksize + 8;
		break;
	case 2:
		size = ksize + 8;
		((char *)arg)[ksize + rnd(8)] = 1 + rnd(255);
		fz.big_tail = true;
		break;
	case 3:
		fz.bad_size = true;
		set_size_member(arg, ksize);
		return cmd_with_size(cmd, ksize + 8 * (1 + rnd(2)));
	case 4:
		fz.bad_size = true;
		set_size_member(arg, ksize + 8);
		return cmd;
	case 5:
		/* Random, maybe huge: past the buffer too. */
		size = rnd(1 << 14);
		fz.bad_size = fz.big_tail = fz.bad_ptr = true;
		set_size_member(arg, size);
		return cmd_with_size(cmd, size);
	case 6:
		fz.bad_size = true;
		set_size_member(arg, ksize);
		return (cmd & ~((unsigned long)_IOC_DIRMASK << _IOC_DIRSHIFT)) |
		       ((unsigned long)rnd(3) << _IOC_DIRSHIFT);
	case 7:
		if (ver0 < ksize)
			size = ver0;
		break;
	}
	set_size_member(arg, size);
	*argsize = size;
	/* Shorter than the size member: reading that runs off the copy. */
	if (size < 4)
		fz.bad_ptr = true;
	return cmd_with_size(cmd, size);
}

static const char name_chars[] =
	"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-";

/* One of the names every worker shares: "fz" @prefix 0..FZ_NNAMES-1. */
void pool_name(char *name, char prefix)
{
	memset(name, 0, IPCCHAN_NAME_MAX);
	snprintf(name, IPCCHAN_NAME_MAX, "fz%c%u", prefix, rnd(FZ_NNAMES));
}

/*
 * A name for an open, an unlink or a netlink request: mostly one of the
 * pool, else one learnt from a dump, the longest valid name, or an invalid
 * one (empty, too long, a bad byte, garbage after the NUL). Every valid name
 * starts with "fz", so the run's cleanup finds them. *@valid tells whether
 * the name follows the rules.
 */
void arb_name(char *name, bool *valid)
{
	unsigned int r = rnd(24), i;

	memset(name, 0, IPCCHAN_NAME_MAX);
	*valid = true;
	switch (r) {
	case 0:
		*valid = false;
		break;
	case 1:
		memset(name, 'z', IPCCHAN_NAME_MAX - 1);
		name[0] = 'f';
		name[IPCCHAN_NAME_MAX - 2] = '0' + rnd(2);
		break;
	case 2:
		memset(name, 'x', IPCCHAN_NAME_MAX);
		*valid = false;
		break;
	case 3:
		strcpy(name, "fz/bad");
		name[2] = "/ \n\x01\xff*"[rnd(6)];
		*valid = false;
		break;
	case 4:
		pool_name(name, 'n');
		name[IPCCHAN_NAME_MAX - 1 - rnd(20)] = 'a';
		*valid = false;
		break;
	case 5:
		for (i = 0; i < 2 + rnd(10); i++)
			name[i] = name_chars[rnd(sizeof(name_chars) - 1)];
		name[0] = 'f';
		name[1] = 'z';
		break;
	case 6: case 7: case 8: {
		unsigned int j = rnd(FZ_NSEEN);

		if (fz.seen[j][0]) {
			memcpy(name, fz.seen[j], IPCCHAN_NAME_MAX);
			break;
		}
		pool_name(name, 'n');
		break;
	}
	default:
		pool_name(name, 'n');
		break;
	}
}

/* The fd pool --------------------------------------------------------- */

static struct fz_fd bad_fd_slot;

/*
 * A fd of the pool, of kind @want when there is one (mostly), else of any
 * kind, now and then a number that is no open fd; NULL if the pool is
 * empty.
 */
struct fz_fd *fd_pick(enum fz_kind want)
{
	int idx[FZ_NFDS], n = 0, any[FZ_NFDS], na = 0, i;

	if (one_in(50)) {
		static const int bad[] = { -1, 1000000, INT32_MIN, 1 << 30 };

		fz.bad_fd = true;
		bad_fd_slot.fd = bad[rnd(4)];
		bad_fd_slot.kind = FZ_FD_NONE;
		fz.last_fd = bad_fd_slot;
		return &bad_fd_slot;
	}
	for (i = 0; i < FZ_NFDS; i++) {
		if (fz.fds[i].kind == FZ_FD_NONE)
			continue;
		any[na++] = i;
		if (fz.fds[i].kind == want)
			idx[n++] = i;
	}
	if (n && !one_in(12))
		i = idx[rnd(n)];
	else if (na)
		i = any[rnd(na)];
	else
		return NULL;
	fz.last_fd = fz.fds[i];
	return &fz.fds[i];
}

void fd_drop(struct fz_fd *f)
{
	if (f->kind != FZ_FD_NONE && f->fd >= 0)
		close(f->fd);
	f->kind = FZ_FD_NONE;
	f->fd = -1;
}

/* A free slot of the pool, made free by closing a random fd if need be. */
struct fz_fd *fd_slot(void)
{
	int i;

	for (i = 0; i < FZ_NFDS; i++)
		if (fz.fds[i].kind == FZ_FD_NONE)
			return &fz.fds[i];
	i = rnd(FZ_NFDS);
	fd_drop(&fz.fds[i]);
	return &fz.fds[i];
}

void fd_add(int fd, enum fz_kind kind, unsigned int flags, uint64_t size)
{
	struct fz_fd *f;

	if (fd < 0)
		return;
	if (fd_tracked(fd)) {
		fz_finding("new fd %d is already in the pool", fd);
		return;
	}
	f = fd_slot();
	f->fd = fd;
	f->kind = kind;
	f->flags = flags;
	f->region_size = size;
}

bool fd_tracked(int fd)
{
	int i;

	for (i = 0; i < FZ_NFDS; i++)
		if (fz.fds[i].kind != FZ_FD_NONE && fz.fds[i].fd == fd)
			return true;
	return fd <= 2 || fd == fz.priv_chan || fd == fz.priv_region ||
	       fd == fz.nl_ev || fd == fz.nl_sock;
}

/*
 * Closes every fd that the pool does not know: fds that calls made on
 * random arguments (a wild ioctl that happened to open something, a
 * received handle) and were not kept.
 */
void fd_sweep(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	int fd;

	if (!d)
		return;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		fd = atoi(de->d_name);
		if (fd == dirfd(d) || fd_tracked(fd))
			continue;
		close(fd);
	}
	closedir(d);
}

/* The worker --------------------------------------------------------- */

static void on_alarm(int sig)
{
	(void)sig;
	fz.alarm_fired = 1;
}

static void on_fault(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	if (fz.fault_jmp) {
		fz.fault_sig = sig;
		siglongjmp(*fz.fault_jmp, 1);
	}
	fz_finding("signal %d at address %p (code %d) outside a touch of a mapping",
		   sig, si->si_addr, si->si_code);
	signal(sig, SIG_DFL);
	raise(sig);
}

/*
 * The ticker: a small process per worker that sends SIGALRM to whoever of
 * the worker's processes runs an op (the worker, or a child of the fork
 * op) every OP_TIMER_MS while that op lasts longer than OP_TIMER_MS. An
 * interval timer would be simpler, but the debug kernel is a tinyconfig
 * without POSIX_TIMERS: no setitimer(), no alarm(). The worker only
 * writes two words of shared memory per op.
 */
static uint64_t now_ms(void);

static void tick_arm(void)
{
	struct fz_tick *t = &fz_sh->tick[fz.tick_idx];

	__atomic_store_n(&t->pid, getpid(), __ATOMIC_RELAXED);
	__atomic_store_n(&t->start_ms, now_ms(), __ATOMIC_RELEASE);
}

static void tick_disarm(void)
{
	__atomic_store_n(&fz_sh->tick[fz.tick_idx].start_ms, 0,
			 __ATOMIC_RELEASE);
}

static pid_t ticker_start(void)
{
	pid_t worker = getpid(), pid = fork();
	struct fz_tick *t = &fz_sh->tick[fz.tick_idx];
	struct timespec ts = { 0, OP_TIMER_MS * 1000000L / 2 };

	if (pid)
		return pid;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	while (getppid() == worker) {
		uint64_t start = __atomic_load_n(&t->start_ms, __ATOMIC_ACQUIRE);

		nanosleep(&ts, NULL);
		if (start && start == __atomic_load_n(&t->start_ms,
						      __ATOMIC_ACQUIRE) &&
		    now_ms() - start >= OP_TIMER_MS)
			kill(t->pid, SIGALRM);
	}
	_exit(0);
}

static uint64_t read_param(const char *name, uint64_t dflt)
{
	char path[128];
	unsigned long long v;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/module/ipcchan/parameters/%s",
		 name);
	f = fopen(path, "r");
	if (!f)
		return dflt;
	if (fscanf(f, "%llu", &v) != 1)
		v = dflt;
	fclose(f);
	return v;
}

static void read_limits(void)
{
	fz.lim.max_msg_size_limit = read_param("max_msg_size_limit", 1 << 20);
	fz.lim.max_msgs_limit = read_param("max_msgs_limit", 65536);
	fz.lim.max_bytes_limit = read_param("max_bytes_limit", 64 << 20);
	fz.lim.default_max_msg_size = read_param("default_max_msg_size", 8192);
	fz.lim.default_max_msgs = read_param("default_max_msgs", 256);
	fz.lim.max_region_size = read_param("max_region_size", 64 << 20);
}

static void *xmmap(size_t len, int prot)
{
	void *p = mmap(NULL, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		perror("mmap");
		exit(2);
	}
	return p;
}

/* The scratch memory: buf, then a guard page; argbuf, then guard too. */
static void setup_memory(void)
{
	char *p;

	fz.page = sysconf(_SC_PAGESIZE);
	p = xmmap(FZ_BUF_SIZE + 3 * fz.page, PROT_READ | PROT_WRITE);
	fz.buf = p;
	fz.guard = p + FZ_BUF_SIZE;
	mprotect(fz.guard, fz.page, PROT_NONE);
	fz.argbuf = fz.guard + fz.page;
	/*
	 * argbuf's page ends at a PROT_NONE page too. A page that is merely
	 * unmapped would not do: a later mmap may fill the hole, and a call
	 * given a pointer there would write into that mapping and the next.
	 * The pointer that no mapping can ever cover is a non-canonical one.
	 */
	fz.unmapped = (char *)0x0000800000000000ULL;
	mprotect(fz.argbuf + fz.page, fz.page, PROT_NONE);
}

static void worker_init(int idx)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	int i;

	fz.worker = idx;
	fz.tick_idx = idx % FZ_MAX_WORKERS;
	fz.rng = splitmix64(fz.run_seed ^ splitmix64(idx + 1)) | 1;
	fz.priv_chan = fz.priv_region = fz.nl_ev = fz.nl_sock = -1;
	for (i = 0; i < FZ_NFDS; i++)
		fz.fds[i].fd = -1;
	for (i = 0; i < FZ_HIST; i++)
		fz.hist[i] = -1;
	sigaction(SIGALRM, &sa, NULL);	/* no SA_RESTART: calls see EINTR */
	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_NODEFER | SA_SIGINFO;
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	setup_memory();
	read_limits();
}

static const struct fz_op *pick_op(int *idx)
{
	unsigned int w = rnd(total_weight), i;

	for (i = 0; i < nr_ops; i++) {
		if (w < all_ops[i]->weight) {
			*idx = i;
			return all_ops[i];
		}
		w -= all_ops[i]->weight;
	}
	*idx = 0;
	return all_ops[0];
}

static volatile sig_atomic_t stop_now;

static void on_term(int sig)
{
	(void)sig;
	stop_now = 1;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ULL + ts.tv_nsec / 1000000;
}

/* Runs ops until @ops (0: no bound) or @deadline_ms (0: none). */
void fz_run_ops(uint64_t ops, uint64_t deadline_ms)
{
	const struct fz_op *op;
	int idx;

	for (; !stop_now && (!ops || fz.opno < ops); fz.opno++) {
		if (deadline_ms && (fz.opno & 15) == 0 && now_ms() >= deadline_ms)
			break;
		op = pick_op(&idx);
		fz.cur_op = idx;
		fz.hist[fz.opno % FZ_HIST] = idx;
		fz.bad_ptr = fz.big_tail = fz.bad_size = fz.bad_fd = false;
		fz.alarm_fired = 0;
		tick_arm();
		op->fn();
		tick_disarm();
		__atomic_add_fetch(&fz_sh->op_calls[idx], 1, __ATOMIC_RELAXED);
		if (fz.worker < FZ_MAX_WORKERS)
			fz_sh->ops[fz.worker] = fz.opno + 1;
		if ((fz.opno & 1023) == 1023)
			fd_sweep();
	}
}

/* Counts a success of the current op, for fuzz.coverage. */
void fz_ok(void)
{
	if (fz.cur_op < 0)
		return;
	__atomic_add_fetch(&fz_sh->op_ok[fz.cur_op], 1, __ATOMIC_RELAXED);
}

/*
 * Waits up to 20 s for the forked child @pid of an op; a child that still
 * runs is killed, and that or any status but exit 0 is a finding about
 * "@what". Returns 1 if the child exited 0, 0 if it ended otherwise, -1 if
 * it had to be killed.
 */
int fz_reap_child(pid_t pid, const char *what)
{
	int status, i;

	for (i = 0; i < 400; i++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			break;
		usleep(50000);
	}
	if (i == 400) {
		fz_finding("%s still runs after 20 s", what);
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		return -1;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		fz_finding("%s ended with status %#x", what, status);
		return 0;
	}
	return 1;
}

static void worker_main(int idx, uint64_t ops, uint64_t deadline_ms)
{
	int i;

	pid_t ticker;

	worker_init(idx);
	ticker = ticker_start();
	fz_run_ops(ops, deadline_ms);
	tick_disarm();
	/* Last checks: what the worker's own channel still holds. */
	fz.cur_op = -1;
	region_priv_check();
	nl_drain_events();
	nl_cleanup_worker();
	for (i = 0; i < FZ_NFDS; i++)
		fd_drop(&fz.fds[i]);
	for (i = 0; i < FZ_NMAPS; i++)
		map_drop(&fz.maps[i]);
	kill(ticker, SIGKILL);
	waitpid(ticker, NULL, 0);
}

static void add_ops(const struct fz_op *ops)
{
	for (; ops->name; ops++) {
		all_ops[nr_ops++] = ops;
		total_weight += ops->weight;
	}
}

/* The run ------------------------------------------------------------ */

static void dump_stuck(pid_t pid)
{
	static const char *const files[] = { "wchan", "syscall", "stack" };
	char path[64], text[2048];
	unsigned int i;
	ssize_t n;
	int fd;

	for (i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "/proc/%d/%s", pid, files[i]);
		fd = open(path, O_RDONLY);
		if (fd < 0)
			continue;
		n = read(fd, text, sizeof(text) - 1);
		close(fd);
		if (n <= 0)
			continue;
		text[n] = 0;
		printf("# pid %d %s: %s\n", pid, files[i], text);
	}
}

/* Unlinks every object whose name starts with "fz" (the run's); count. */
int fz_cleanup_names(bool unlink_them);

static uint64_t env_u64(const char *name, uint64_t dflt)
{
	const char *v = getenv(name);

	return v && *v ? strtoull(v, NULL, 0) : dflt;
}

static void usage(const char *prog, int status)
{
	fprintf(status ? stderr : stdout,
		"Usage: %s [--seed S] [--procs N] [--seconds T] [--ops M] [--worker I] [--trace]\n"
		"Fuzzes /dev/ipcchan and the ipcchan netlink family; see the top of tests/fuzz/fuzz.c.\n"
		"Defaults: $IPCCHAN_FUZZ_SEED (else the clock), $IPCCHAN_FUZZ_PROCS (else 4),\n"
		"$IPCCHAN_FUZZ_SECONDS (else 10; none with --ops alone).\n", prog);
	exit(status);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "procs", required_argument, NULL, 'p' },
		{ "seconds", required_argument, NULL, 't' },
		{ "ops", required_argument, NULL, 'o' },
		{ "worker", required_argument, NULL, 'w' },
		{ "trace", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	uint64_t seed, seconds, ops = 0, total = 0, max_ops = 0, start, deadline;
	int procs, only = -1, c, i, crashed = 0, hung = 0, left;
	bool seconds_set = false;
	pid_t pids[FZ_MAX_WORKERS];
	struct sigaction sa = { .sa_handler = on_term };
	double secs;

	seed = env_u64("IPCCHAN_FUZZ_SEED", 0);
	if (!seed)
		seed = (uint64_t)time(NULL) * 1000003ULL ^ getpid();
	procs = env_u64("IPCCHAN_FUZZ_PROCS", 4);
	seconds = env_u64("IPCCHAN_FUZZ_SECONDS", 10);
	while ((c = getopt_long(argc, argv, "s:p:t:o:w:vh", longopts,
				NULL)) != -1) {
		switch (c) {
		case 's': seed = strtoull(optarg, NULL, 0); break;
		case 'p': procs = atoi(optarg); break;
		case 't': seconds = strtoull(optarg, NULL, 0); seconds_set = true; break;
		case 'o': ops = strtoull(optarg, NULL, 0); break;
		case 'w': only = atoi(optarg); break;
		case 'v': fz.trace = true; break;
		case 'h': usage(argv[0], 0); break;
		default: usage(argv[0], 2);
		}
	}
	if (optind < argc || procs < 1 || procs > FZ_MAX_WORKERS)
		usage(argv[0], 2);
	if (ops && !seconds_set)
		seconds = 0;
	setvbuf(stdout, NULL, _IOLBF, 0);

	add_ops(fz_ctl_ops);
	add_ops(fz_chan_ops);
	add_ops(fz_region_ops);
	add_ops(fz_nl_ops);

	fz.run_seed = seed;
	fz.nworkers = procs;
	fz.priv_chan = fz.priv_region = fz.nl_ev = fz.nl_sock = -1;
	fz_sh = mmap(NULL, sizeof(*fz_sh), PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (fz_sh == MAP_FAILED) {
		perror("mmap");
		return 2;
	}
	if (access(IPCCHAN_DEVICE, F_OK)) {
		printf("ok - fuzz.errnos # SKIP no %s\n", IPCCHAN_DEVICE);
		return 0;
	}

	printf("# seed %llu, %d workers, %llu s, %llu ops per worker (0: no bound)\n",
	       (unsigned long long)seed, procs, (unsigned long long)seconds,
	       (unsigned long long)ops);
	printf("# replay: ipcchan-fuzz --seed %llu --procs %d%s\n",
	       (unsigned long long)seed, procs,
	       ops ? "" : " --ops <the ops count below>");
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	start = now_ms();
	deadline = seconds ? start + seconds * 1000 : 0;

	if (only >= 0) {
		procs = 1;
		fz.nworkers = only + 1;
		worker_main(only, ops, deadline);
		pids[0] = 0;
		total = max_ops = fz.opno;
		goto report;
	}

	for (i = 0; i < procs; i++) {
		pids[i] = fork();
		if (pids[i] < 0) {
			perror("fork");
			return 2;
		}
		if (pids[i] == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			setpgid(0, 0);
			worker_main(i, ops, deadline);
			_exit(0);
		}
	}

	/* Wait for the workers; the watchdog ends those that hang. */
	left = procs;
	while (left) {
		int status;
		pid_t pid = waitpid(-1, &status, WNOHANG);

		if (pid > 0) {
			for (i = 0; i < procs; i++)
				if (pids[i] == pid)
					break;
			if (i == procs)
				continue;	/* not a worker */
			left--;
			pids[i] = -pids[i];
			if (WIFSIGNALED(status) ||
			    (WIFEXITED(status) && WEXITSTATUS(status))) {
				crashed++;
				printf("# worker %d (pid %d) %s %d\n", i, pid,
				       WIFSIGNALED(status) ? "was killed by signal" :
				       "exited with status",
				       WIFSIGNALED(status) ? WTERMSIG(status) :
				       WEXITSTATUS(status));
			}
			continue;
		}
		if (stop_now) {
			for (i = 0; i < procs; i++)
				if (pids[i] > 0)
					kill(pids[i], SIGTERM);
			stop_now = 0;
		}
		if ((deadline && now_ms() > deadline + WATCHDOG_SLACK * 1000) ||
		    (!deadline && now_ms() > start + 24 * 3600 * 1000ULL)) {
			for (i = 0; i < procs; i++) {
				if (pids[i] <= 0)
					continue;
				hung++;
				printf("# watchdog: worker %d (pid %d) still runs %d s after the deadline, at op %llu\n",
				       i, pids[i], WATCHDOG_SLACK,
				       (unsigned long long)fz_sh->ops[i]);
				dump_stuck(pids[i]);
				kill(-pids[i], SIGKILL);
				kill(pids[i], SIGKILL);
			}
			deadline = now_ms();	/* once */
		}
		usleep(50 * 1000);
	}
	for (i = 0; i < procs; i++) {
		total += fz_sh->ops[i];
		if (fz_sh->ops[i] > max_ops)
			max_ops = fz_sh->ops[i];
	}

report:
	secs = (now_ms() - start) / 1000.0;
	printf("# %llu ops in %.1f s: %.0f ops/s; %llu tagged messages checked, %llu synchronous sends checked, %llu events\n",
	       (unsigned long long)total, secs, secs > 0 ? total / secs : 0,
	       (unsigned long long)fz_sh->tags_checked,
	       (unsigned long long)fz_sh->sync_checked,
	       (unsigned long long)fz_sh->events_seen);
	printf("# replay: ipcchan-fuzz --seed %llu --procs %d --ops %llu\n",
	       (unsigned long long)seed, procs, (unsigned long long)max_ops);
	for (i = 0; i < (int)nr_ops; i++) {
		char errs[128] = "";
		int e, k, best, len = 0;
		uint32_t seen[136];

		memcpy(seen, fz_sh->op_err[i], sizeof(seen));
		for (k = 0; k < 4; k++) {
			for (best = 0, e = 1; e < 136; e++)
				if (seen[e] > seen[best])
					best = e;
			if (!best || !seen[best])
				break;
			len += snprintf(errs + len, sizeof(errs) - len, " %s %u",
					strerrorname_np(best) ?: "?", seen[best]);
			seen[best] = 0;
		}
		printf("#   %-12s %8llu calls %8llu ok;%s\n", all_ops[i]->name,
		       (unsigned long long)fz_sh->op_calls[i],
		       (unsigned long long)fz_sh->op_ok[i], errs);
	}

	printf("%s - fuzz.errnos\n", fz_sh->findings ? "not ok" : "ok");
	printf("%s - fuzz.workers\n", crashed || hung ? "not ok" : "ok");
	{
		static const char *const core[] = {
			"chan_open", "region_open", "send", "recv", "mmap",
			"nl_dump", "priv_xfer",
		};
		int missing = 0;
		unsigned int j;

		for (j = 0; j < sizeof(core) / sizeof(core[0]); j++) {
			for (i = 0; i < (int)nr_ops; i++)
				if (!strcmp(all_ops[i]->name, core[j]))
					break;
			if (i == (int)nr_ops || !fz_sh->op_ok[i]) {
				printf("# coverage: %s never succeeded\n",
				       core[j]);
				missing++;
			}
		}
		if (total < 2000)
			printf("ok - fuzz.coverage # SKIP only %llu ops\n",
			       (unsigned long long)total);
		else
			printf("%s - fuzz.coverage\n",
			       missing ? "not ok" : "ok");
	}
	c = fz_cleanup_names(true);
	if (c >= 0)
		c = fz_cleanup_names(false);
	if (c)
		printf("# cleanup: %d objects of the run still named\n", c);
	printf("%s - fuzz.cleanup\n", c ? "not ok" : "ok");
	return fz_sh->findings || crashed || hung || c ? 1 : 0;
}
