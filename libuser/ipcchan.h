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
 * is then a new O_CLOEXEC fd of the region the message carried, or -1.
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
 * Maps the whole region MAP_SHARED with @prot (PROT_READ, PROT_WRITE).
 * Stores the address in *@addr and the length in *@len.
 */
int ipcchan_region_map(int regionfd, int prot, void **addr, size_t *len);

/* Unmaps what ipcchan_region_map() mapped. */
int ipcchan_region_unmap(void *addr, size_t len);

/* IPCCHAN_IOC_REGION_ATTACH with IPCCHAN_ROLE_PRODUCER or _CONSUMER. */
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
 * the start of the region (struct ipcchan_ring_header below), and every
 * user reads it from there. Records are written and read in place in the
 * shared mapping: the kernel never copies them. A side that finds the ring
 * full or empty sleeps in the kernel (IPCCHAN_IOC_REGION_WAIT) and is woken
 * by the other side; ipcchan_ring_fd() can be polled instead. When the
 * other side's last fd is closed (for example, it died), waits fail with
 * -EPIPE.
 */
struct ipcchan_ring;

/*
 * Creates region @name holding a ring whose data area has @capacity bytes
 * (a power of two, at least 4096) and opens it as the producer or consumer
 * (@role: IPCCHAN_ROLE_PRODUCER or IPCCHAN_ROLE_CONSUMER).
 */
int ipcchan_ring_create(int devfd, const char *name, size_t capacity,
			uint32_t mode, unsigned int role,
			struct ipcchan_ring **ring);

/* Opens the ring in existing region @name, as @role. */
int ipcchan_ring_open(int devfd, const char *name, unsigned int role,
		      struct ipcchan_ring **ring);

/*
 * Opens the ring in the region of @regionfd (for example a handle received
 * in a message), as @role. The ring owns @regionfd from then on.
 */
int ipcchan_ring_from_fd(int regionfd, unsigned int role,
			 struct ipcchan_ring **ring);

/* Unmaps, closes and frees. */
void ipcchan_ring_close(struct ipcchan_ring *ring);

/* The region fd, for poll/epoll: EPOLLIN means "look again". */
int ipcchan_ring_fd(const struct ipcchan_ring *ring);

/* Largest record the ring takes. */
size_t ipcchan_ring_max_record(const struct ipcchan_ring *ring);

/*
 * Producer: reserves @len bytes in place and stores their address in *@buf,
 * waiting for room as @flags and @timeout_ns say. Fill them, then commit.
 */
int ipcchan_ring_reserve(struct ipcchan_ring *ring, size_t len, void **buf,
			 unsigned int flags, int64_t timeout_ns);

/* Producer: publishes the reserved record and wakes a waiting consumer. */
int ipcchan_ring_commit(struct ipcchan_ring *ring);

/*
 * Consumer: waits for the next record and stores its address in *@buf.
 * Returns its length. The record stays valid until ipcchan_ring_release().
 */
ssize_t ipcchan_ring_peek(struct ipcchan_ring *ring, const void **buf,
			  unsigned int flags, int64_t timeout_ns);

/* Consumer: frees the record returned by peek and wakes a waiting producer. */
int ipcchan_ring_release(struct ipcchan_ring *ring);

/* Copying conveniences over reserve/commit and peek/release. */
int ipcchan_ring_send(struct ipcchan_ring *ring, const void *buf, size_t len,
		      unsigned int flags, int64_t timeout_ns);
ssize_t ipcchan_ring_recv(struct ipcchan_ring *ring, void *buf, size_t cap,
			  unsigned int flags, int64_t timeout_ns);

/* Returns a static string naming the library version, e.g. "0.1.0". */
const char *ipcchan_lib_version(void);

#ifdef __cplusplus
}
#endif

#endif /* LIBIPCCHAN_H */
