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

/* Returns a static string naming the library version, e.g. "0.1.0". */
const char *ipcchan_lib_version(void);

#ifdef __cplusplus
}
#endif

#endif /* LIBIPCCHAN_H */
