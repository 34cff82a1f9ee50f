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

/*
 * The library's own structs can grow
 * -----------------------------------
 * A struct that the caller allocates and the library reads or fills
 * (struct ipcchan_attr, struct ipcchan_object, struct ipcchan_event) ends in
 * reserved members, as liburing's do: a later version gives them a meaning
 * without changing the struct's size or the offset of any member. The
 * library zeroes reserved members that it fills, and a reserved member that
 * it reads must be zero (-EINVAL), so that a later meaning cannot be taken
 * for garbage; initialize these structs with "= { ... }" or memset().
 * Lists are handed out as an opaque struct ipcchan_objlist with accessors,
 * so their stride is not part of the ABI either.
 *
 * A binary built against an older layout keeps working: every function
 * whose struct changed is exported once more, under its old symbol version
 * (libipcchan.map), reading or writing the old layout.
 */

/**
 * struct ipcchan_attr - attributes of a channel being created
 * @mode: permission bits (0777 mask)
 * @max_msg_size: largest message, 0 for the module's default
 * @max_msgs: most queued messages, 0 for the module's default
 * @max_bytes: most queued bytes, 0 for the module's default
 * @__reserved: must be zero (since LIBIPCCHAN_0.4)
 *
 * The 4 bytes of padding before @max_bytes are never read.
 */
struct ipcchan_attr {
	uint32_t mode;
	uint32_t max_msg_size;
	uint32_t max_msgs;
	uint64_t max_bytes;
	uint64_t __reserved[5];
};

/* Opens /dev/ipcchan (O_RDWR | O_CLOEXEC). Returns the fd or -errno. */
int ipcchan_dev_open(void);

/* Fills @v from IPCCHAN_IOC_VERSION. */
int ipcchan_version(int devfd, struct ipcchan_version *v);

/*
 * Opens channel @name with IPCCHAN_OPEN_* @flags. @attr is used only with
 * IPCCHAN_OPEN_CREATE and may then be NULL for mode 0600 and the defaults;
 * the caller's umask is cleared from the mode. With IPCCHAN_OPEN_CREATE, a
 * channel that another uid owns is -EEXIST unless @flags has
 * IPCCHAN_OPEN_ADOPT. Returns the channel fd or -errno. A @name that does not
 * fit IPCCHAN_NAME_MAX is -ENAMETOOLONG; with IPCCHAN_OPEN_CREATE, an @attr
 * whose reserved members are not zero is -EINVAL.
 */
int ipcchan_chan_open(int devfd, const char *name, unsigned int flags,
		      const struct ipcchan_attr *attr);

/*
 * Creates a channel without a name (IPCCHAN_IOC_CHAN_PIPE), as pipe2()
 * does: @fds[0] can only receive from it and @fds[1] only send to it.
 * @flags takes IPCCHAN_OPEN_NONBLOCK, IPCCHAN_OPEN_CLOEXEC and
 * IPCCHAN_OPEN_RENDEZVOUS. @attr gives the limits, or NULL the defaults;
 * its mode is not used (an unnamed channel's is 0600) and its reserved
 * members must be zero (-EINVAL). Only the fds reach the channel: pass
 * them by fork() or SCM_RIGHTS (ipcchan_fd_send()). Returns 0 or -errno,
 * and leaves @fds alone on failure.
 */
int ipcchan_chan_pipe(int devfd, unsigned int flags,
		      const struct ipcchan_attr *attr, int fds[2]);

/*
 * Creates a connected pair (IPCCHAN_IOC_CHAN_PAIR), as socketpair() does:
 * two channels without names, one each way, and in @fds its two ends, each
 * sending to the other and receiving from it. Otherwise as
 * ipcchan_chan_pipe(); @attr gives the limits of each channel.
 */
int ipcchan_chan_pair(int devfd, unsigned int flags,
		      const struct ipcchan_attr *attr, int fds[2]);

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

/*
 * Packed batches (IPCCHAN_FEAT_PACKED): messages travel as records laid out
 * one after another in one buffer (struct ipcchan_packed_rec, the data, the
 * padding to IPCCHAN_PACKED_ALIGN), which the kernel copies in one piece.
 *
 * ipcchan_send_packed() sends the records in the @len bytes of @buf, at
 * most @count of them (a larger @count sends every record in @len).
 * ipcchan_recv_packed() fills @buf, of @cap bytes, with up to @count
 * records; a message whose record does not fit stays queued. With
 * -EMSGSIZE, *@needed (if not NULL) is the bytes the record of the message
 * at the head takes. Both return the number of messages moved or -errno;
 * @flags and @timeout_ns are as for ipcchan_send().
 */
int ipcchan_send_packed(int chanfd, const void *buf, size_t len,
			unsigned int count, unsigned int flags,
			int64_t timeout_ns);
int ipcchan_recv_packed(int chanfd, void *buf, size_t cap, unsigned int count,
			size_t *needed, unsigned int flags, int64_t timeout_ns);

/*
 * Builds a packed batch in place: appends a record of @len bytes of data at
 * *@off in @buf (@cap bytes), writes its header and advances *@off past
 * it. Returns where its data goes, or NULL (and *@off unchanged) if it
 * does not fit. Start with *@off = 0; send *@off bytes.
 */
void *ipcchan_packed_add(void *buf, size_t cap, size_t *off, size_t len);

/*
 * Walks the records of a packed batch: returns the record at *@off in @buf
 * (@len bytes) and advances *@off to the next one, or returns NULL, *@off
 * unchanged, at the end or at a record that runs past @len. Start with
 * *@off = 0; after a receive, read as many records as it returned.
 * ipcchan_packed_data() is where a record's data starts.
 */
const struct ipcchan_packed_rec *ipcchan_packed_next(const void *buf,
						     size_t len, size_t *off);

static inline const void *
ipcchan_packed_data(const struct ipcchan_packed_rec *rec)
{
	return rec + 1;
}

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
 * _EXCL, _ADOPT, _NONBLOCK, _CLOEXEC @flags, and with IPCCHAN_OPEN_CREATE
 * IPCCHAN_REGION_EXEC (a new region that may be mapped PROT_EXEC; passed
 * through, -EINVAL from a module without IPCCHAN_FEAT_REGION_EXEC). @mode
 * and @size are used only with IPCCHAN_OPEN_CREATE (@size is rounded up to
 * pages; the umask is cleared from @mode) and must be 0 without it. Returns
 * the region fd or -errno.
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
 * mapped with PROT_WRITE (-EACCES); PROT_EXEC needs a region created with
 * IPCCHAN_REGION_EXEC (-EPERM).
 */
int ipcchan_region_map(int regionfd, int prot, void **addr, size_t *len);

/* Unmaps what ipcchan_region_map() mapped. */
int ipcchan_region_unmap(void *addr, size_t len);

/*
 * IPCCHAN_IOC_REGION_ATTACH with IPCCHAN_ROLE_PRODUCER or _CONSUMER; once per
 * fd (-EBUSY after that). A producer's fd needs IPCCHAN_REGION_WRITE, a
 * consumer's IPCCHAN_REGION_READ (-EBADF).
 */
int ipcchan_region_attach(int regionfd, unsigned int role);

/*
 * Waits while the uint32_t at byte @offset of the region holds @expected,
 * until a wake (IPCCHAN_IOC_REGION_WAIT). @flags and @timeout_ns as for
 * ipcchan_send(). The fd needs IPCCHAN_REGION_READ (-EBADF). Returns 0
 * (re-check the condition) or -errno.
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

/* ----- the control and monitoring plane: generic netlink ----- */

/*
 * These calls talk to the generic netlink family IPCCHAN_GENL_NAME through
 * libnl-3 and libnl-genl-3, each on a netlink socket of its own (the monitor
 * keeps one). They need no fd of /dev/ipcchan, and see the objects of the
 * machine that the caller could open or owns (all with CAP_IPC_OWNER; the
 * others are -ENOENT, as if missing). Besides their own errors they return:
 *	-ENOENT   the family is not registered: the module is not loaded (or
 *		  predates IPCCHAN_FEAT_NETLINK); ipcchan_nl_probe() tells this
 *		  apart from a missing object;
 *	-EPERM    delete or set limits of an object that the caller does not
 *		  own, without CAP_IPC_OWNER in the initial user namespace;
 *		  ipcchan_nl_monitor_open() on a kernel that cannot filter
 *		  events per listener (6.1), without CAP_SYS_ADMIN;
 *	-EPROTO   the kernel's reply could not be parsed;
 * and the errno that the kernel put in its netlink error message, as is.
 */

/**
 * struct ipcchan_object - one channel or region, as IPCCHAN_CMD_GET reports it
 * @id: 64-bit id, given when the object was named (or made, without a
 *	name), growing
 * @kind: IPCCHAN_KIND_CHANNEL or IPCCHAN_KIND_REGION (ipcchan_kind_name())
 * @name: NUL-terminated; empty for an unnamed channel (a pipe's, a pair's)
 * @uid: owner, in the caller's user namespace
 * @gid: owner group, in the caller's user namespace
 * @mode: permission bits
 * @creator_pid: in the caller's pid namespace, 0 if not visible there
 * @fds: open files of the object
 * @max_msg_size: channel: limit on one message, bytes
 * @max_msgs: channel: limit on queued messages
 * @max_bytes: channel: limit on queued bytes
 * @msgs: channel: messages queued now
 * @bytes: channel: bytes queued now
 * @sent_msgs: channel: messages queued so far
 * @sent_bytes: channel: bytes queued so far
 * @recv_msgs: channel: messages received so far
 * @recv_bytes: channel: bytes received so far
 * @rejected: channel: sends refused on a limit
 * @senders: channel: open files that may send
 * @receivers: channel: open files that may receive
 * @blocked_senders: channel: tasks asleep in a send now
 * @blocked_receivers: channel: tasks asleep in a receive now
 * @region_size: region: size in bytes
 * @mappings: region: mappings that exist now
 * @__reserved0: zero
 * @chan_flags: channel: IPCCHAN_CHAN_* (since LIBIPCCHAN_0.5)
 * @__reserved1: zero
 * @peer_id: channel: a pair's direction: the id of the other (since
 *	     LIBIPCCHAN_0.5)
 * @__reserved: zero: room for later members (since LIBIPCCHAN_0.4)
 *
 * Members of the other kind, and any the kernel did not send, are zero.
 * ipcchan_object_attr() reads a member by its netlink attribute.
 */
struct ipcchan_object {
	uint64_t id;
	uint32_t kind;
	char name[IPCCHAN_NAME_MAX];
	uint32_t uid, gid, mode, creator_pid, fds;
	/* channel */
	uint32_t max_msg_size, max_msgs;
	uint64_t max_bytes;
	uint32_t msgs;
	uint64_t bytes;
	uint64_t sent_msgs, sent_bytes, recv_msgs, recv_bytes, rejected;
	uint32_t senders, receivers, blocked_senders, blocked_receivers;
	/* region */
	uint64_t region_size;
	uint32_t mappings;
	uint32_t __reserved0;
	uint32_t chan_flags;
	uint32_t __reserved1;
	uint64_t peer_id;
	uint64_t __reserved[37];
};

/*
 * Returns 0 if the family is registered, -ENOENT if it is not (the module
 * is not loaded), or another -errno if netlink itself failed.
 */
int ipcchan_nl_probe(void);

/* The objects of a dump, read through the accessors below. */
struct ipcchan_objlist;

/*
 * Lists every object of @kind (0: of every kind), in the order they were
 * named (or made, for an unnamed channel, whose name is empty), with a
 * dump. On success returns 0 and stores in *@list a list
 * (possibly empty) to be freed with ipcchan_objlist_free(); on failure
 * leaves *@list NULL. Replaces ipcchan_nl_list() of LIBIPCCHAN_0.3, whose
 * array had the struct's size as its stride.
 */
int ipcchan_nl_dump(unsigned int kind, struct ipcchan_objlist **list);

/* The number of objects in @list. */
size_t ipcchan_objlist_count(const struct ipcchan_objlist *list);

/*
 * Object @i of @list, valid until the list is freed; NULL if @i is not
 * below ipcchan_objlist_count().
 */
const struct ipcchan_object *
ipcchan_objlist_get(const struct ipcchan_objlist *list, size_t i);

/* Frees what ipcchan_nl_dump() returned; NULL is ignored. */
void ipcchan_objlist_free(struct ipcchan_objlist *list);

/*
 * Fills @obj with the object of @kind (not 0: -EINVAL) called @name.
 * -ENOENT if there is none, or if the family is missing (see above).
 */
int ipcchan_nl_get(unsigned int kind, const char *name,
		   struct ipcchan_object *obj);

/*
 * Fills @obj with the object of id @id, named or not (an unnamed channel
 * has no name to ask by). -ENOENT if there is none that the caller may see.
 */
int ipcchan_nl_get_id(uint64_t id, struct ipcchan_object *obj);

/* Unlinks the object of @kind called @name (owner or CAP_IPC_OWNER). */
int ipcchan_nl_delete(unsigned int kind, const char *name);

/*
 * Changes the limits of channel @name (owner or CAP_IPC_OWNER); a limit of 0
 * is left as it is. With every limit 0 nothing is sent: returns 0.
 */
int ipcchan_nl_set_limits(const char *name, uint32_t max_msg_size,
			  uint32_t max_msgs, uint64_t max_bytes);

/**
 * struct ipcchan_event - one event of the multicast group
 * @seq: grows by one per event of the module: a gap means events were lost
 *	 or were about objects the caller may not see
 * @id: the object's id
 * @event: enum ipcchan_event
 * @kind: the object's kind
 * @name: the object's name
 * @__reserved: zero: room for later members (since LIBIPCCHAN_0.4)
 */
struct ipcchan_event {
	uint64_t seq, id;
	uint32_t event, kind;
	char name[IPCCHAN_NAME_MAX];
	uint64_t __reserved[5];
};

/* A subscription to IPCCHAN_GENL_MCGRP_EVENTS. */
struct ipcchan_nl_monitor;

/*
 * Subscribes to the events group; events that happen from the return on
 * are seen. Returns 0 and *@m, or -errno (-ENOENT without the family).
 */
int ipcchan_nl_monitor_open(struct ipcchan_nl_monitor **m);

/* The socket's fd, for poll/epoll: POLLIN when events may be waiting. */
int ipcchan_nl_monitor_fd(const struct ipcchan_nl_monitor *m);

/*
 * Waits up to @timeout_ms milliseconds (negative: without limit, 0: not at
 * all) for the next event. Returns 1 with *@ev filled, 0 on timeout, or
 * -errno: -EINTR if a signal came, -ENOBUFS if the socket's buffer
 * overflowed and events were lost (the monitor stays usable; the @seq of
 * the next event shows how many).
 */
int ipcchan_nl_monitor_next(struct ipcchan_nl_monitor *m,
			    struct ipcchan_event *ev, int timeout_ms);

/* Unsubscribes and frees; NULL is ignored. */
void ipcchan_nl_monitor_close(struct ipcchan_nl_monitor *m);

/* ----- kinds of object and what they report: one table ----- */

/*
 * The library's table of kinds (libuser/kinds.c) is where the tools, the
 * tests and the fuzzer find a kind's name and the attributes an object of
 * it reports; nothing else switches on the kind.
 */

/* "channel", "region": the name of @kind, or NULL for a kind unknown here. */
const char *ipcchan_kind_name(unsigned int kind);

/* The kind called @name, or -EINVAL (-EFAULT for NULL). */
int ipcchan_kind_from_name(const char *name);

/*
 * The name of the netlink attribute @attr (IPCCHAN_A_*) as a member of
 * struct ipcchan_object: "id", "max_msg_size", ... NULL if @attr is not a
 * member of an object (IPCCHAN_A_EVENT, IPCCHAN_A_SEQ, unknown ones).
 */
const char *ipcchan_attr_name(unsigned int attr);

/*
 * 1 if an object of @kind reports @attr, else 0. The members that every
 * object reports (id, kind, name, uid, gid, mode, creator_pid, fds) count
 * for any @kind, even one unknown here.
 */
int ipcchan_kind_has_attr(unsigned int kind, unsigned int attr);

/*
 * Reads member @attr of @obj into *@val: 0, or -ENOENT if the object's kind
 * does not report it, -EINVAL if @attr is no numeric member (the name, or
 * not a member at all).
 */
int ipcchan_object_attr(const struct ipcchan_object *obj, unsigned int attr,
			uint64_t *val);

/* Returns a static string naming the library version, e.g. "0.4.0". */
const char *ipcchan_lib_version(void);

#ifdef __cplusplus
}
#endif

#endif /* LIBIPCCHAN_H */
