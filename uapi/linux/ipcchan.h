/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * ipcchan: named in-kernel message channels, exposed through /dev/ipcchan.
 *
 * This header is the single definition of the kernel/user ABI of the ipcchan
 * module. Everything userspace may rely on is written down here.
 *
 * Objects and names
 * -----------------
 * The module keeps a table of named objects. Today there is one kind,
 * IPCCHAN_KIND_CHANNEL, a bounded FIFO of datagrams. A name is 1 to
 * IPCCHAN_NAME_MAX - 1 bytes from the set [A-Za-z0-9._-], passed in a
 * char[IPCCHAN_NAME_MAX] buffer: NUL-terminated, and every byte after the NUL
 * must be zero too. A name without a NUL inside the buffer gets ENAMETOOLONG,
 * an empty name, a byte outside the set or a non-zero byte after the NUL gets
 * EINVAL. Names live in one table shared by the whole machine; they are not
 * namespaced.
 *
 * Each object has an owner uid, an owner gid and permission bits (0777 mask),
 * taken at creation from the credentials of the file of /dev/ipcchan through
 * which it was created. Opening an object checks those bits against the
 * credentials that the opener had when it opened /dev/ipcchan (not the
 * credentials of the calling thread), in the usual owner/group/other order;
 * CAP_IPC_OWNER in the initial user namespace overrides. A denial is EACCES.
 * Receiving needs read permission, sending needs write permission. Unlinking
 * needs the owner's uid or CAP_IPC_OWNER, otherwise EPERM.
 *
 * An object lives while it has a name or an open file. Unlinking removes the
 * name only: open files keep working, and a new object may then be created
 * under the same name.
 *
 * Extensible structs
 * ------------------
 * Every ioctl takes a pointer to a struct whose first member, @size, is set
 * by the caller to sizeof() the struct as it was compiled. The kernel reads it
 * the way openat2(2) reads struct open_how: a shorter struct (from an older
 * header) is zero-extended, a longer one is accepted only if every byte past
 * the kernel's struct is zero, and E2BIG otherwise. @size below the first
 * published size of the struct, or different from the size encoded in the
 * ioctl number, gets EINVAL. Output members are written back only within
 * @size. New members are only ever appended, 64-bit aligned; ioctl numbers
 * are only ever appended.
 *
 * Every flag word rejects unknown bits with EINVAL, and every member named
 * __reserved must be zero (EINVAL), so that it can be given a meaning later.
 *
 * Control ioctls, on a file of /dev/ipcchan
 * -----------------------------------------
 * IPCCHAN_IOC_VERSION: fills struct ipcchan_version: the ABI version, the
 *   IPCCHAN_FEAT_* bits this module supports and its limits.
 *
 * IPCCHAN_IOC_CHAN_OPEN: opens the channel @name and returns a new channel
 *   file descriptor. @flags must hold IPCCHAN_OPEN_RECV, IPCCHAN_OPEN_SEND or
 *   both; they decide which operations the descriptor allows (EBADF for the
 *   others) and which permission bits are checked.
 *   - IPCCHAN_OPEN_CREATE creates the channel if it does not exist, with
 *     @mode, @max_msg_size, @max_msgs and @max_bytes (0 picks the module's
 *     default). With IPCCHAN_OPEN_EXCL as well, an existing channel is EEXIST.
 *     Without IPCCHAN_OPEN_CREATE a missing channel is ENOENT, and the
 *     creation members must be zero.
 *   - Limits above the module's bounds, @max_bytes below @max_msg_size, or
 *     mode bits outside 0777, get EINVAL. Too many channels, machine-wide
 *     or owned by the opener's uid, is ENOSPC.
 *   - IPCCHAN_OPEN_NONBLOCK and IPCCHAN_OPEN_CLOEXEC set O_NONBLOCK and
 *     O_CLOEXEC on the new descriptor.
 *
 * IPCCHAN_IOC_UNLINK: removes the name of the object of @kind called @name.
 *   ENOENT if there is none.
 *
 * Channel ioctls, on a channel file descriptor
 * --------------------------------------------
 * A channel is a FIFO of datagrams shared by any number of senders and
 * receivers. Each message is delivered to exactly one receiver, whole. The
 * queue is bounded by a count of messages and by a count of bytes; both are
 * checked when a message is queued. The message memory is charged to the
 * memory cgroup of the sender.
 *
 * IPCCHAN_IOC_SEND / IPCCHAN_IOC_RECV move one message. SEND returns 0, RECV
 *   the length of the message received.
 * IPCCHAN_IOC_SEND_BATCH / IPCCHAN_IOC_RECV_BATCH move up to
 *   IPCCHAN_BATCH_MAX messages and return how many went through. A batch send
 *   waits for room for each message in turn; a batch receive waits only for
 *   the first message and then takes what is queued. If an error stops a
 *   batch after at least one message, the count is returned and the error is
 *   dropped; the failed message stays where it was (queued for a receive,
 *   unsent for a send).
 *
 * Waiting: by default a call blocks. With O_NONBLOCK on the descriptor or
 * IPCCHAN_XFER_NONBLOCK in @flags it fails with EAGAIN instead. With
 * IPCCHAN_XFER_TIMEOUT it waits at most @timeout_ns nanoseconds (relative,
 * CLOCK_MONOTONIC) and then fails with ETIMEDOUT. A signal ends an untimed
 * wait with EINTR, or restarts the call when the handler has SA_RESTART; a
 * timed wait always ends with EINTR. @timeout_ns must be zero without
 * IPCCHAN_XFER_TIMEOUT, and not negative with it.
 *
 * Errors of a send: EMSGSIZE if @len exceeds the channel's max_msg_size;
 * EFAULT for a bad buffer; ENOBUFS, without waiting, if the memory budget of
 * the module or of the uid that opened the sending descriptor is spent (a
 * message costs its length plus a header of some 64 bytes; CAP_SYS_RESOURCE
 * lifts the per-uid budgets); ENOMEM; EPIPE if the channel is unlinked and no
 * receiver is left. A failed send queues nothing.
 *
 * Errors of a receive: EMSGSIZE if the buffer is shorter than the message at
 * the head, with the needed length in info.len; EFAULT for a bad buffer or a
 * bad output struct; EPIPE when the channel is hung up (below). A failed
 * receive leaves the message queued, at the head.
 *
 * Every received message carries struct ipcchan_msg_info: a per-channel
 * sequence number (from 1, in queue order), the CLOCK_MONOTONIC time of the
 * send, the message length, and the sender's pid (thread group id) and
 * effective uid as seen from the receiver's pid and user namespaces (0 and
 * the overflow uid when they cannot be seen there).
 *
 * Hang-up: a channel is hung up for receivers when its queue is empty, no
 * descriptor with IPCCHAN_OPEN_SEND is open, and either some sender had been
 * open or the channel is unlinked (so no sender can come any more). Blocked
 * receivers are then woken and get EPIPE; poll reports EPOLLHUP; read()
 * returns 0. A new sender ends the hang-up. Unlinking wakes every waiter.
 *
 * IPCCHAN_IOC_CHAN_INFO: fills struct ipcchan_chan_info with the channel's
 *   attributes and its current state.
 *
 * read(2), write(2) and poll(2)
 * -----------------------------
 * On a channel descriptor, read() receives exactly one whole message and
 * write() sends exactly one; readv() and writev() do the same with all their
 * iovecs together; errors are as for the ioctls (a short read buffer
 * is EMSGSIZE, not a truncation). write() of 0 bytes sends nothing, and a
 * zero-length message sent by ioctl reads as 0, like end-of-file: use
 * IPCCHAN_IOC_RECV where empty messages matter. poll()
 * and epoll report EPOLLIN when a message is queued (receive side), EPOLLOUT
 * when a message of max_msg_size would fit (send side), EPOLLHUP on hang-up,
 * and EPOLLERR when a send would fail with EPIPE. The descriptor can be passed
 * to other processes (SCM_RIGHTS) and keeps its credentials and access mode.
 */
#ifndef _UAPI_LINUX_IPCCHAN_H
#define _UAPI_LINUX_IPCCHAN_H

#include <linux/types.h>
#include <linux/ioctl.h>

#define IPCCHAN_DEVICE		"/dev/ipcchan"
#define IPCCHAN_ABI_VERSION	1

/* Size of a name buffer, the terminating NUL included. */
#define IPCCHAN_NAME_MAX	64

/* Most messages that one batch call moves. */
#define IPCCHAN_BATCH_MAX	1024

enum ipcchan_kind {
	IPCCHAN_KIND_CHANNEL = 1,
	__IPCCHAN_KIND_LAST
};

#define IPCCHAN_KIND_MAX	(__IPCCHAN_KIND_LAST - 1)

/* Feature bits of struct ipcchan_version. */
#define IPCCHAN_FEAT_CHANNEL	0x1ULL	/* channels and their ioctls */
#define IPCCHAN_FEAT_BATCH	0x2ULL	/* SEND_BATCH, RECV_BATCH */
#define IPCCHAN_FEAT_TIMEOUT	0x4ULL	/* IPCCHAN_XFER_TIMEOUT */
#define IPCCHAN_FEAT_RW		0x8ULL	/* read(2) and write(2) */

/**
 * struct ipcchan_version - result of IPCCHAN_IOC_VERSION
 * @size: in: sizeof(struct ipcchan_version)
 * @abi_version: out: IPCCHAN_ABI_VERSION of the module
 * @features: out: IPCCHAN_FEAT_* bits
 * @name_max: out: IPCCHAN_NAME_MAX
 * @max_msg_size: out: largest max_msg_size a channel may have
 * @max_msgs: out: largest max_msgs a channel may have
 * @batch_max: out: IPCCHAN_BATCH_MAX
 * @max_bytes: out: largest max_bytes a channel may have
 */
struct ipcchan_version {
	__u32 size;
	__u32 abi_version;
	__u64 features;
	__u32 name_max;
	__u32 max_msg_size;
	__u32 max_msgs;
	__u32 batch_max;
	__u64 max_bytes;
};

#define IPCCHAN_VERSION_SIZE_VER0	40

/* Flags of struct ipcchan_chan_open. */
#define IPCCHAN_OPEN_RECV	0x1U
#define IPCCHAN_OPEN_SEND	0x2U
#define IPCCHAN_OPEN_CREATE	0x4U
#define IPCCHAN_OPEN_EXCL	0x8U
#define IPCCHAN_OPEN_NONBLOCK	0x10U
#define IPCCHAN_OPEN_CLOEXEC	0x20U

/**
 * struct ipcchan_chan_open - argument of IPCCHAN_IOC_CHAN_OPEN
 * @size: sizeof(struct ipcchan_chan_open)
 * @flags: IPCCHAN_OPEN_*
 * @mode: permission bits of a new channel (mask 0777)
 * @max_msg_size: largest message of a new channel, in bytes; 0: default
 * @max_msgs: most messages a new channel queues; 0: default
 * @__reserved: must be zero
 * @max_bytes: most message bytes a new channel queues; 0: default
 * @name: the channel's name, see the rules above
 */
struct ipcchan_chan_open {
	__u32 size;
	__u32 flags;
	__u32 mode;
	__u32 max_msg_size;
	__u32 max_msgs;
	__u32 __reserved;
	__u64 max_bytes;
	char name[IPCCHAN_NAME_MAX];
};

#define IPCCHAN_CHAN_OPEN_SIZE_VER0	96

/**
 * struct ipcchan_unlink - argument of IPCCHAN_IOC_UNLINK
 * @size: sizeof(struct ipcchan_unlink)
 * @kind: enum ipcchan_kind of the object
 * @name: its name
 */
struct ipcchan_unlink {
	__u32 size;
	__u32 kind;
	char name[IPCCHAN_NAME_MAX];
};

#define IPCCHAN_UNLINK_SIZE_VER0	72

/* Flags of the transfer structs. */
#define IPCCHAN_XFER_NONBLOCK	0x1U
#define IPCCHAN_XFER_TIMEOUT	0x2U

/**
 * struct ipcchan_msg_info - what a receiver learns about a message
 * @seq: per-channel sequence number, from 1, in queue order
 * @timestamp_ns: CLOCK_MONOTONIC time of the send, in nanoseconds
 * @pid: sender's pid in the receiver's pid namespace, 0 if not visible
 * @uid: sender's uid in the receiver's user namespace
 * @len: length of the message in bytes
 * @__reserved: zero
 */
struct ipcchan_msg_info {
	__u64 seq;
	__u64 timestamp_ns;
	__s32 pid;
	__u32 uid;
	__u32 len;
	__u32 __reserved;
};

/**
 * struct ipcchan_send - argument of IPCCHAN_IOC_SEND
 * @size: sizeof(struct ipcchan_send)
 * @flags: IPCCHAN_XFER_*
 * @buf: user pointer to the message
 * @len: its length in bytes
 * @__reserved: must be zero
 * @timeout_ns: relative timeout, with IPCCHAN_XFER_TIMEOUT only
 */
struct ipcchan_send {
	__u32 size;
	__u32 flags;
	__u64 buf;
	__u32 len;
	__u32 __reserved;
	__s64 timeout_ns;
};

#define IPCCHAN_SEND_SIZE_VER0		32

/**
 * struct ipcchan_recv - argument of IPCCHAN_IOC_RECV
 * @size: sizeof(struct ipcchan_recv)
 * @flags: IPCCHAN_XFER_*
 * @buf: user pointer to the buffer
 * @len: capacity of the buffer in bytes
 * @__reserved: must be zero
 * @timeout_ns: relative timeout, with IPCCHAN_XFER_TIMEOUT only
 * @info: out: the message received; with EMSGSIZE, info.len is the length
 *        the buffer must have
 */
struct ipcchan_recv {
	__u32 size;
	__u32 flags;
	__u64 buf;
	__u32 len;
	__u32 __reserved;
	__s64 timeout_ns;
	struct ipcchan_msg_info info;
};

#define IPCCHAN_RECV_SIZE_VER0		64

/**
 * struct ipcchan_mmsg - one message of a batch
 * @buf: user pointer to the message or buffer
 * @len: message length (send) or buffer capacity (receive)
 * @__reserved: must be zero
 * @info: receive, out: the message received
 */
struct ipcchan_mmsg {
	__u64 buf;
	__u32 len;
	__u32 __reserved;
	struct ipcchan_msg_info info;
};

/**
 * struct ipcchan_batch - argument of IPCCHAN_IOC_SEND_BATCH and _RECV_BATCH
 * @size: sizeof(struct ipcchan_batch)
 * @flags: IPCCHAN_XFER_*
 * @msgs: user pointer to an array of @count struct ipcchan_mmsg
 * @count: 1 to IPCCHAN_BATCH_MAX
 * @__reserved: must be zero
 * @timeout_ns: relative timeout for the whole call, with IPCCHAN_XFER_TIMEOUT
 */
struct ipcchan_batch {
	__u32 size;
	__u32 flags;
	__u64 msgs;
	__u32 count;
	__u32 __reserved;
	__s64 timeout_ns;
};

#define IPCCHAN_BATCH_SIZE_VER0		32

/**
 * struct ipcchan_chan_info - result of IPCCHAN_IOC_CHAN_INFO
 * @size: in: sizeof(struct ipcchan_chan_info)
 * @flags: in: must be zero
 * @max_msg_size: out: largest message
 * @max_msgs: out: most queued messages
 * @max_bytes: out: most queued bytes
 * @msgs: out: messages queued now
 * @mode: out: permission bits
 * @bytes: out: bytes queued now
 * @uid: out: owner, in the caller's user namespace
 * @gid: out: owning group, in the caller's user namespace
 * @senders: out: open descriptors that can send
 * @receivers: out: open descriptors that can receive
 * @next_seq: out: sequence number the next message will get
 * @name: out: the channel's name
 */
struct ipcchan_chan_info {
	__u32 size;
	__u32 flags;
	__u32 max_msg_size;
	__u32 max_msgs;
	__u64 max_bytes;
	__u32 msgs;
	__u32 mode;
	__u64 bytes;
	__u32 uid;
	__u32 gid;
	__u32 senders;
	__u32 receivers;
	__u64 next_seq;
	char name[IPCCHAN_NAME_MAX];
};

#define IPCCHAN_CHAN_INFO_SIZE_VER0	128

#define IPCCHAN_IOC_MAGIC	0xC7

#define IPCCHAN_IOC_VERSION	_IOWR(IPCCHAN_IOC_MAGIC, 0x00, struct ipcchan_version)
#define IPCCHAN_IOC_CHAN_OPEN	_IOWR(IPCCHAN_IOC_MAGIC, 0x01, struct ipcchan_chan_open)
#define IPCCHAN_IOC_UNLINK	_IOWR(IPCCHAN_IOC_MAGIC, 0x02, struct ipcchan_unlink)

#define IPCCHAN_IOC_SEND	_IOWR(IPCCHAN_IOC_MAGIC, 0x10, struct ipcchan_send)
#define IPCCHAN_IOC_RECV	_IOWR(IPCCHAN_IOC_MAGIC, 0x11, struct ipcchan_recv)
#define IPCCHAN_IOC_SEND_BATCH	_IOWR(IPCCHAN_IOC_MAGIC, 0x12, struct ipcchan_batch)
#define IPCCHAN_IOC_RECV_BATCH	_IOWR(IPCCHAN_IOC_MAGIC, 0x13, struct ipcchan_batch)
#define IPCCHAN_IOC_CHAN_INFO	_IOWR(IPCCHAN_IOC_MAGIC, 0x14, struct ipcchan_chan_info)

#endif /* _UAPI_LINUX_IPCCHAN_H */
