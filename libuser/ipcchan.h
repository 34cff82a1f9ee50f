/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libipcchan: the userspace library of the ipcchan kernel module.
 *
 * Every function returns 0 or a non-negative count on success and -errno on
 * failure; none of them sets errno for the caller to read. The ABI itself,
 * its errors and its semantics are documented in <linux/ipcchan.h>.
 */
#ifndef LIBIPCCHAN_H
#define LIBIPCCHAN_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <linux/ipcchan.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Pass as @devfd to have the call open and close /dev/ipcchan by itself. */
#define IPCCHAN_DEV_AUTO	(-1)

/* Pass as @timeout_ns to wait without a time limit. */
#define IPCCHAN_WAIT_FOREVER	(-1LL)

/**
 * struct ipcchan_attr - attributes of a channel being created
 * @mode: permission bits (0777 mask)
 * @max_msg_size: largest message, 0 for the module's default
 * @max_msgs: most queued messages, 0 for the module's default
 * @max_bytes: most queued bytes, 0 for the module's default
 */
struct ipcchan_attr {
	uint32_t mode;
	uint32_t max_msg_size;
	uint32_t max_msgs;
	uint64_t max_bytes;
};

/* Opens /dev/ipcchan (O_RDWR | O_CLOEXEC). Returns the fd or -errno. */
int ipcchan_dev_open(void);

/* Fills @v from IPCCHAN_IOC_VERSION. */
int ipcchan_version(int devfd, struct ipcchan_version *v);

/*
 * Opens channel @name with IPCCHAN_OPEN_* @flags. @attr is used only with
 * IPCCHAN_OPEN_CREATE and may then be NULL for mode 0600 and the defaults.
 * Returns the channel fd or -errno. A @name that does not fit
 * IPCCHAN_NAME_MAX is -ENAMETOOLONG.
 */
int ipcchan_chan_open(int devfd, const char *name, unsigned int flags,
		      const struct ipcchan_attr *attr);

/* Removes the name of channel @name. */
int ipcchan_chan_unlink(int devfd, const char *name);

/* Fills @info from IPCCHAN_IOC_CHAN_INFO. */
int ipcchan_chan_info(int chanfd, struct ipcchan_chan_info *info);

/*
 * Sends one message. @flags takes IPCCHAN_XFER_NONBLOCK. A @timeout_ns of 0
 * or more bounds the wait (IPCCHAN_XFER_TIMEOUT); IPCCHAN_WAIT_FOREVER does
 * not. Returns 0 or -errno.
 */
int ipcchan_send(int chanfd, const void *buf, size_t len, unsigned int flags,
		 int64_t timeout_ns);

/*
 * Receives one message into @buf of @cap bytes. Returns its length or -errno.
 * @info, if not NULL, receives the message's metadata; with -EMSGSIZE its
 * len member is the size @buf needs.
 */
ssize_t ipcchan_recv(int chanfd, void *buf, size_t cap,
		     struct ipcchan_msg_info *info, unsigned int flags,
		     int64_t timeout_ns);

/* Batched send and receive. Return the number of messages moved or -errno. */
int ipcchan_send_batch(int chanfd, struct ipcchan_mmsg *msgs,
		       unsigned int count, unsigned int flags,
		       int64_t timeout_ns);
int ipcchan_recv_batch(int chanfd, struct ipcchan_mmsg *msgs,
		       unsigned int count, unsigned int flags,
		       int64_t timeout_ns);

/* Passes @fd over the UNIX socket @sock with SCM_RIGHTS. */
int ipcchan_fd_send(int sock, int fd);

/* Receives an fd sent by ipcchan_fd_send(); O_CLOEXEC is set on it. */
int ipcchan_fd_recv(int sock);

/*
 * Sends one message with the region of @handle_fd attached (the kernel gives
 * the receiver its own fd to the same region). Otherwise as ipcchan_send().
 */
int ipcchan_send_handle(int chanfd, const void *buf, size_t len,
			int handle_fd, unsigned int flags, int64_t timeout_ns);

/*
 * Receives one message as ipcchan_recv() does, accepting a handle: *@handle_fd
 * is then a new O_CLOEXEC fd of the region the message carried, or -1 (and
 * -1 on failure). @handle_fd must not be NULL (-EFAULT).
 */
ssize_t ipcchan_recv_handle(int chanfd, void *buf, size_t cap,
			    struct ipcchan_msg_info *info, int *handle_fd,
			    unsigned int flags, int64_t timeout_ns);

/* ----- regions: named shared memory ----- */

/*
 * Opens region @name with IPCCHAN_REGION_READ/WRITE and IPCCHAN_OPEN_CREATE,
 * _EXCL, _NONBLOCK, _CLOEXEC @flags. @mode and @size are used only with
 * IPCCHAN_OPEN_CREATE (@size is rounded up to pages) and must be 0 without
 * it. Returns the region fd or -errno.
 */
int ipcchan_region_open(int devfd, const char *name, unsigned int flags,
			uint32_t mode, uint64_t size);

/* Removes the name of region @name. */
int ipcchan_region_unlink(int devfd, const char *name);

/* Fills @info from IPCCHAN_IOC_REGION_INFO. */
int ipcchan_region_info(int regionfd, struct ipcchan_region_info *info);

/*
 * Maps the whole region MAP_SHARED with @prot (PROT_READ, PROT_WRITE), its
 * size taken from IPCCHAN_IOC_REGION_INFO. Stores the address in *@addr and
 * the length in *@len. A fd opened without IPCCHAN_REGION_WRITE cannot be
 * mapped with PROT_WRITE (-EACCES).
 */
int ipcchan_region_map(int regionfd, int prot, void **addr, size_t *len);

/* Unmaps what ipcchan_region_map() mapped. */
int ipcchan_region_unmap(void *addr, size_t len);

/*
 * IPCCHAN_IOC_REGION_ATTACH with IPCCHAN_ROLE_PRODUCER or _CONSUMER; once per
 * fd (-EBUSY after that).
 */
int ipcchan_region_attach(int regionfd, unsigned int role);

/*
 * Waits while the uint32_t at byte @offset of the region holds @expected,
 * until a wake (IPCCHAN_IOC_REGION_WAIT). @flags and @timeout_ns as for
 * ipcchan_send(). Returns 0 (re-check the condition) or -errno.
 */
int ipcchan_region_wait(int regionfd, uint64_t offset, uint32_t expected,
			unsigned int flags, int64_t timeout_ns);

/* Wakes every waiter of the region (IPCCHAN_IOC_REGION_WAKE). */
int ipcchan_region_wake(int regionfd);

/* ----- a zero-copy single-producer single-consumer ring in a region ----- */

/*
 * The ring's layout is written by ipcchan_ring_create() into a header at
 * the start of the region, and every user reads it from there: offsets of
 * the producer and consumer indices and of the data area, its size. The
 * header struct is private to the library (libuser/ring.h, the only
 * definition of the layout) and not part of this API. A region whose header
 * is not a ring's, or of another layout version, is -EPROTO; a header whose
 * offsets do not fit the region is -EINVAL.
 *
 * Records are written and read in place in the shared mapping: the kernel
 * never copies them. A record never wraps around the end of the data area.
 * A side that finds the ring full or empty sleeps in the kernel
 * (IPCCHAN_IOC_REGION_WAIT) and is woken by the other side, which makes a
 * system call only when someone waits. With IPCCHAN_XFER_NONBLOCK a call
 * that would wait is -EAGAIN and leaves the other side primed to wake the
 * fd, so ipcchan_ring_fd() can be polled instead: EPOLLIN means "look
 * again", EPOLLHUP that the other side is gone. A @timeout_ns of 0 or more
 * bounds the whole wait of a call (-ETIMEDOUT).
 *
 * When the other side's last fd is closed (for example, it died), waits
 * fail with -EPIPE: a consumer first gets every record committed before
 * that, a producer gets -EPIPE when it has to wait for room (records fitting
 * in the ring are accepted without a system call, and no one reads them).
 * The memory stays shared: a record can still change under a consumer if
 * the producer misbehaves, so the consumer must not trust it more than any
 * other input. Indices and record heads are checked (-EPROTO).
 *
 * One thread at a time per side: the ring is single-producer,
 * single-consumer.
 */
struct ipcchan_ring;

/*
 * Creates region @name (IPCCHAN_OPEN_EXCL: an existing one is -EEXIST, and
 * is left alone) with @mode, holding a new ring whose data area has
 * @capacity bytes (a power of two, at least 4096, -EINVAL otherwise), and
 * opens it as @role: IPCCHAN_ROLE_PRODUCER or IPCCHAN_ROLE_CONSUMER, or 0
 * to take no side (such a ring can only be closed; it serves to create a
 * ring for others). On failure the region is unlinked again.
 */
int ipcchan_ring_create(int devfd, const char *name, size_t capacity,
			uint32_t mode, unsigned int role,
			struct ipcchan_ring **ring);

/*
 * Opens the ring in existing region @name, read-write, as @role (or 0).
 * Attaching is the last step, so a failed open never makes the other side
 * see its peer gone. A second producer or consumer breaks the ring: the
 * caller must see that there is one of each.
 */
int ipcchan_ring_open(int devfd, const char *name, unsigned int role,
		      struct ipcchan_ring **ring);

/*
 * Opens the ring in the region of @regionfd (for example a handle received
 * in a message), which must be open for reading and writing, as @role. On
 * success the ring owns @regionfd and ipcchan_ring_close() closes it; on
 * failure it is still the caller's.
 */
int ipcchan_ring_from_fd(int regionfd, unsigned int role,
			 struct ipcchan_ring **ring);

/*
 * Unmaps, closes and frees; a NULL @ring is ignored. A record reserved and
 * not committed is dropped.
 */
void ipcchan_ring_close(struct ipcchan_ring *ring);

/* The region fd, for poll/epoll: EPOLLIN means "look again". */
int ipcchan_ring_fd(const struct ipcchan_ring *ring);

/*
 * Largest record payload the ring takes, in bytes: reserving more is
 * -EMSGSIZE.
 */
size_t ipcchan_ring_max_record(const struct ipcchan_ring *ring);

/*
 * Producer: reserves @len bytes in place and stores their address in *@buf
 * (8-byte aligned), waiting for room as @flags (IPCCHAN_XFER_NONBLOCK) and
 * @timeout_ns say. Fill them, then commit. -EBUSY if a reservation is
 * pending, -EBADF on a ring that is not the producer.
 */
int ipcchan_ring_reserve(struct ipcchan_ring *ring, size_t len, void **buf,
			 unsigned int flags, int64_t timeout_ns);

/*
 * Producer: publishes the reserved record and wakes a waiting consumer.
 * -EINVAL if nothing is reserved.
 */
int ipcchan_ring_commit(struct ipcchan_ring *ring);

/*
 * Consumer: waits for the next record and stores its address in *@buf.
 * Returns its length. The record stays valid until ipcchan_ring_release();
 * peeking again before that returns the same record. -EBADF on a ring that
 * is not the consumer; -EPIPE once the producer is gone and the ring empty.
 */
ssize_t ipcchan_ring_peek(struct ipcchan_ring *ring, const void **buf,
			  unsigned int flags, int64_t timeout_ns);

/*
 * Consumer: frees the record returned by peek and wakes a waiting producer.
 * -EINVAL if no record is held.
 */
int ipcchan_ring_release(struct ipcchan_ring *ring);

/*
 * Copying conveniences over reserve/commit and peek/release. A record longer
 * than @cap is -EMSGSIZE for ipcchan_ring_recv() and stays at the head.
 */
int ipcchan_ring_send(struct ipcchan_ring *ring, const void *buf, size_t len,
		      unsigned int flags, int64_t timeout_ns);
ssize_t ipcchan_ring_recv(struct ipcchan_ring *ring, void *buf, size_t cap,
			  unsigned int flags, int64_t timeout_ns);

/* Returns a static string naming the library version, e.g. "0.2.0". */
const char *ipcchan_lib_version(void);

#ifdef __cplusplus
}
#endif

#endif /* LIBIPCCHAN_H */
