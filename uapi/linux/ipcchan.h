/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * ipcchan: named in-kernel message channels, exposed through /dev/ipcchan.
 *
 * This header is the single definition of the kernel/user ABI of the ipcchan
 * module. Everything userspace may rely on is written down here.
 *
 * Objects and names
 * -----------------
 * The module keeps a table of named objects of two kinds: channels
 * (IPCCHAN_KIND_CHANNEL), bounded FIFOs of datagrams, and regions
 * (IPCCHAN_KIND_REGION), shared memory that processes map. Each kind has
 * its own names: a channel and a region may share one. A name is 1 to
 * IPCCHAN_NAME_MAX - 1 bytes from the set [A-Za-z0-9._-], passed in a
 * char[IPCCHAN_NAME_MAX] buffer: NUL-terminated, and every byte after the NUL
 * must be zero too. A name without a NUL inside the buffer gets ENAMETOOLONG,
 * an empty name, a byte outside the set or a non-zero byte after the NUL gets
 * EINVAL. Names live in one table shared by the whole machine; they are not
 * namespaced.
 *
 * Each object has an owner uid, an owner gid and permission bits (0777 mask),
 * taken at creation from the credentials of the file of /dev/ipcchan through
 * which it was created; the creating task's umask is cleared from the mode
 * given, as open(2) and mq_open(3) do (call umask(2) first to share an
 * object with other uids). Opening an object checks those bits against the
 * credentials that the opener had when it opened /dev/ipcchan (not the
 * credentials of the calling thread), in the usual owner/group/other order;
 * CAP_IPC_OWNER in the initial user namespace overrides. A denial is EACCES.
 * Receiving needs read permission, sending needs write permission. Unlinking
 * needs the owner's uid or CAP_IPC_OWNER, otherwise EPERM.
 *
 * An object lives while it has a name or an open file. Unlinking removes the
 * name only: open files keep working, and a new object may then be created
 * under the same name. Channels made by IPCCHAN_IOC_CHAN_PIPE and
 * IPCCHAN_IOC_CHAN_PAIR have no name at all (below).
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
 * An ioctl number that the descriptor does not know, whether it belongs to
 * another kind of descriptor (a channel ioctl on a region or on the control
 * file, for instance) or to none, gets ENOTTY.
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
 *     @mode (less the umask), @max_msg_size, @max_msgs and @max_bytes (0
 *     picks the module's default). With IPCCHAN_OPEN_EXCL as well, an
 *     existing channel is EEXIST. Without IPCCHAN_OPEN_EXCL an existing
 *     channel is opened only if its owner is the opener's fsuid: one owned
 *     by another uid is EEXIST too, so that nobody can squat a name a
 *     program means to create (as fs.protected_regular protects O_CREAT),
 *     unless IPCCHAN_OPEN_ADOPT says the caller means to open it (the mode
 *     bits are then checked as for any open). IPCCHAN_OPEN_ADOPT needs
 *     IPCCHAN_OPEN_CREATE and excludes IPCCHAN_OPEN_EXCL (EINVAL).
 *     Without IPCCHAN_OPEN_CREATE a missing channel is ENOENT, and the
 *     creation members must be zero.
 *   - Limits above the module's bounds, @max_bytes below @max_msg_size, or
 *     mode bits outside 0777, get EINVAL. Too many channels, machine-wide
 *     or owned by the opener's user, is ENOSPC (per-user limits count a
 *     user's own uid and every uid of the user namespaces it owns, and a
 *     user namespace that global root owns counts as one user, see
 *     README). After 2^32 - 1 objects named on a 32-bit kernel, creating
 *     one more is ENOSPC until the module is reloaded. A fatal signal while
 *     waiting for the name table gives EINTR (the task dies anyway).
 *   - IPCCHAN_OPEN_NONBLOCK and IPCCHAN_OPEN_CLOEXEC set O_NONBLOCK and
 *     O_CLOEXEC on the new descriptor.
 *   - IPCCHAN_OPEN_RENDEZVOUS, with IPCCHAN_OPEN_CREATE only (EINVAL
 *     otherwise), makes a new channel a rendezvous channel (below).
 *
 * IPCCHAN_IOC_UNLINK: removes the name of the object of @kind called @name.
 *   ENOENT if there is none; EINTR as for CHAN_OPEN.
 *
 * Channel ioctls, on a channel file descriptor
 * --------------------------------------------
 * A channel is a FIFO of datagrams shared by any number of senders and
 * receivers. Each message is delivered to exactly one receiver, whole. The
 * queue is bounded by a count of messages and by a count of bytes; both are
 * checked when a message is queued. The message memory is charged to the
 * memory cgroup of the sender; a channel keeps the buffers of small messages
 * it has delivered (no more than it may queue, and at most 128) for its next
 * sends, and those stay charged to the cgroup that allocated them, and to
 * the memory budget of the channel's owner (below).
 *
 * What a message costs the memory budgets (max_bytes_per_user and
 * max_total_bytes) is what the kernel allocates for it, header included:
 * 256 bytes up to 176 bytes of data; then the kmalloc() size class of
 * 80 + len bytes (512, 1024, 2048 or 4096) up to 4016 bytes;
 * above that 96 bytes of header plus the size class of len (whole pages,
 * a power of two of them, above 8 KiB), and above 4 MiB, where the data
 * is vmalloc()ed, len rounded up to pages plus 24 bytes a page and a page.
 * A kept buffer of a small message stays charged, 256 bytes, to the
 * channel's owner (the uid that created it) until a send reuses it (the
 * charge then moves to the sender) or the channel is freed. A buffer is
 * kept only while the owner's charges (and the module's) stay at or below
 * half of the budget, and is freed otherwise: whoever sends to a user's
 * channels can fill at most half of that user's budget with kept buffers.
 * A region handle attached to a message costs its sender 296 bytes more
 * (the handle and a copy of the sender's credentials, without groups and
 * capabilities), charged the same way.
 *
 * Wake-ups: a message wakes one blocked receiver; the room a receive makes
 * wakes the blocked senders whose messages it fits, one for each message's
 * worth of room, in the order they blocked. Blocked callers and pollers
 * wait apart: a poller, EPOLLEXCLUSIVE or not, never takes a wake-up from
 * a blocked call. Pollers without EPOLLEXCLUSIVE are all woken, exclusive
 * ones one for each message or message's worth of room. A hang-up, an
 * unlink, and new limits (IPCCHAN_CMD_SET) wake everyone.
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
 * Errors of a send: EMSGSIZE if @len exceeds the channel's max_msg_size
 * (also for a sender blocked when IPCCHAN_CMD_SET lowers it below @len);
 * EFAULT for a bad buffer; ENOBUFS, without waiting, if the memory budget of
 * the module or of the uid that opened the sending descriptor is spent (a
 * message costs what the kernel allocates for it, above: at least 256
 * bytes; CAP_SYS_RESOURCE lifts the per-uid budgets); ENOMEM; EPIPE if the
 * channel is unlinked and no receiver is left. A failed send queues nothing
 * (a synchronous one withdraws what it queued: Synchronous sends, below).
 *
 * Errors of a receive: EMSGSIZE if the buffer is shorter than the message at
 * the head, with the needed length in info.len; EFAULT for a bad buffer or a
 * bad output struct; EPIPE when the channel is hung up (below); with
 * IPCCHAN_XFER_HANDLE, EMFILE or an LSM's refusal of the handle's fd
 * (Handles, below). A failed receive leaves the message queued, at the head.
 *
 * Every received message carries struct ipcchan_msg_info: a per-channel
 * sequence number (from 1, in queue order), the CLOCK_MONOTONIC time of the
 * send (the messages a batch queues together may share one), the message
 * length, and the sender's pid (thread group id) and uid, as seen from the
 * receiver's pid and user namespaces (0 and the overflow uid when they
 * cannot be seen there). The uid is the filesystem uid of the credentials
 * the sending descriptor was opened with (those of the /dev/ipcchan file it
 * was opened through): the uid that the open's permission check used and
 * that the message is charged to, not the euid of the task that sends it,
 * which a descriptor passed on or kept across setuid() would not vouch for.
 *
 * Hang-up: a channel is hung up for receivers when its queue is empty, no
 * descriptor with IPCCHAN_OPEN_SEND is open, and either some sender had been
 * open or the channel is unlinked (so no sender can come any more). Blocked
 * receivers are then woken and get EPIPE; poll reports EPOLLHUP; read()
 * returns 0. A new sender ends the hang-up. Unlinking wakes every waiter.
 *
 * Packed batches (IPCCHAN_FEAT_PACKED): IPCCHAN_IOC_SEND_PACKED and
 *   IPCCHAN_IOC_RECV_PACKED move up to @count (1 to IPCCHAN_BATCH_MAX)
 *   messages as records laid out one after another in the one buffer of
 *   struct ipcchan_packed, @len bytes at @buf, and return how many went
 *   through. A record is a struct ipcchan_packed_rec, then its @len bytes
 *   of data, then zero to 7 bytes of padding: it takes
 *   IPCCHAN_PACKED_REC_SIZE(len) bytes, and the next record starts there,
 *   8-byte aligned relative to @buf. The kernel copies the records in (send)
 *   or out (receive) in one piece per call or per chunk of the call, rather
 *   than message by message. @len is at most IPCCHAN_PACKED_MAX (EINVAL
 *   above it for a send; a receive uses at most that much).
 *   - SEND_PACKED reads records from the start of the buffer until it has
 *     @count of them or has used up @len (the padding of the last record
 *     may be left out of @len). A record's @flags must be zero and its
 *     @info is ignored (a received buffer can be sent on as it is). The
 *     records are all checked before anything is sent: a record
 *     that runs past @len, a tail shorter than a record header, or non-zero
 *     @flags is EINVAL, and nothing is sent. Then the messages are sent in
 *     order, as SEND_BATCH sends them: waiting for room for each in turn,
 *     and if an error stops the call after at least one message, the count
 *     is returned and the error dropped.
 *   - RECV_PACKED waits for the first message as RECV_BATCH does, then
 *     writes records from the start of the buffer for the messages queued,
 *     in order, while the next one's record fits in what is left of @len
 *     (and of IPCCHAN_PACKED_MAX): a message whose record does not fit is
 *     not taken and stays at the head, for the next call. Each record gets
 *     the message's @len, @flags 0, and its @info, as RECV_BATCH gives it.
 *     If the record of the message at the head does not fit at all, the
 *     call fails with EMSGSIZE and @needed is the bytes its record takes
 *     (more than IPCCHAN_PACKED_MAX for a message too large to travel
 *     packed: receive it with IPCCHAN_IOC_RECV). A record needs room for
 *     its padding too, which is written with zeros.
 *   - Handles do not travel packed: a message that carries one is received
 *     with the handle released, as by RECV_BATCH, and IPCCHAN_XFER_HANDLE
 *     is EINVAL.
 *   - Errors: EINVAL for @count 0 or above IPCCHAN_BATCH_MAX, a send @len
 *     of 0 or above IPCCHAN_PACKED_MAX, a receive @len below
 *     sizeof(struct ipcchan_packed_rec), non-zero __reserved,
 *     unknown flags, and malformed records (above); EFAULT for a bad
 *     buffer (a receive leaves the messages it could not write queued, at
 *     the head); ENOMEM if the kernel's buffer for the records cannot be
 *     had, ENOBUFS if it does not fit the caller's memory budgets (it is
 *     charged as messages are, for as long as the call holds it: a send
 *     blocked for room keeps it; a call of at most 4 KiB of records may
 *     use a buffer of the module's instead, and then neither fails so nor
 *     is charged); EMSGSIZE (above, and for a send, a message above the channel's
 *     max_msg_size); and every error of SEND_BATCH and RECV_BATCH, under
 *     the same rules. Waiting is as for the other transfers (above).
 *     After a failed receive, the buffer's contents are unspecified, and
 *     so are those past the records of the messages a receive returns: it
 *     may have written records of messages that stay queued.
 *
 * IPCCHAN_IOC_CHAN_INFO: fills struct ipcchan_chan_info with the channel's
 *   attributes and its current state.
 *
 * Handles: with IPCCHAN_XFER_HANDLE and struct ipcchan_send VER1, a send
 * attaches the region of @handle_fd (EBADF if it is not an open fd, EINVAL
 * if it is not a region fd) to the message. The message keeps the region
 * alive, with the access mode of @handle_fd. A receive with
 * IPCCHAN_XFER_HANDLE and struct ipcchan_recv VER1 gets a new O_CLOEXEC fd
 * for it in @handle_fd (-1 when the message has none). Like an fd passed
 * with SCM_RIGHTS, the new fd is first offered to the LSMs
 * (security_file_receive()), and its file is made with the credentials of
 * the task that sent the message: its f_cred and LSM label are the sender's,
 * and the LSMs weigh the receiver against the sender. If no fd can be made
 * (EMFILE), or an LSM refuses it (its errno, typically EACCES or EPERM), the
 * receive fails with that errno and the message stays queued, at the head; a
 * receive without IPCCHAN_XFER_HANDLE can still take it, and drops the
 * handle. A receive without IPCCHAN_XFER_HANDLE (and read(2), and batches,
 * which take no handles) delivers the data and releases the handle. A handle
 * is never leaked: a message that is never received releases it when freed.
 *
 * Synchronous sends (IPCCHAN_FEAT_SYNC): with IPCCHAN_XFER_SYNC in @flags,
 * IPCCHAN_IOC_SEND, IPCCHAN_IOC_SEND_BATCH and IPCCHAN_IOC_SEND_PACKED
 * return only once a receiver has taken the message. Taken means that a
 * receive call dequeued it and returned it (not that it was processed:
 * acknowledging work done is what a reply is for). A receive that dequeues
 * it and then fails (EFAULT, a handle's EMFILE) puts it back at the head,
 * as always, and has not taken it.
 *   - The message is queued as any other (behind those queued before it,
 *     waiting for room first), and the sender then waits for a taker.
 *   - If the wait ends before a receiver has taken the message, the message
 *     is withdrawn: it leaves the queue, no receiver will ever see it, and
 *     the call fails: ETIMEDOUT (IPCCHAN_XFER_TIMEOUT), EINTR (a signal, or
 *     a restart under SA_RESTART as for any untimed wait; a restarted call
 *     sends anew), EAGAIN (nonblocking, below), EPIPE (hang-up, below).
 *   - If a receiver has taken it, the call succeeds, even if its timeout
 *     has passed or a signal has come meanwhile. Which of the two happened
 *     is decided once, under the channel's lock: the result is never
 *     ambiguous. While a receive that dequeued the message is still copying
 *     it out, the sender waits for that receive's outcome, past its timeout,
 *     a signal or NONBLOCK (a fatal signal ends that wait too, and the
 *     message is then withdrawn if that receive fails). That wait is short
 *     and bounded: a receive that holds a synchronous message copies out
 *     (data, info, records, handle fd) with page faults disabled, a copy
 *     that cannot block. If its buffer is not in memory (swapped out, a
 *     userfaultfd or FUSE mapping), the copy fails and the message goes
 *     back to the head, as if never dequeued, where its sender can still
 *     withdraw it. The receive then makes its buffer present, holding no
 *     message, and tries again (up to 4 times, then EFAULT; it may then get
 *     another message, or end at its own timeout or a signal), unless it
 *     already delivered some messages of a batch or packed batch: it then
 *     returns their count, and the rest stay queued. So no receiver can
 *     hold a synchronous sender past its timeout or a signal.
 *   - Hang-up: a waiting synchronous send fails with EPIPE, its message
 *     withdrawn, when the last descriptor of the channel that can receive
 *     is closed, or when the channel has no such descriptor and is unlinked
 *     (or unnamed). A synchronous send to a named channel that no receiver
 *     has open waits for one to open (and to take the message).
 *   - A nonblocking synchronous send (IPCCHAN_XFER_NONBLOCK, or O_NONBLOCK)
 *     succeeds only if a receiver is already waiting, blocked in a receive
 *     call of the channel that has nothing else to take: the message goes
 *     straight to that receiver, and the send waits only for it to be
 *     copied out. Otherwise it fails with EAGAIN and nothing is queued.
 *     That copy cannot fault (above): if the receiver's buffer is not in
 *     memory yet (never touched, or paged out), the message goes back, and
 *     the nonblocking send fails with EAGAIN as well.
 *   - A synchronous batch (SEND_BATCH, SEND_PACKED) sends its messages in
 *     order, one at a time: each is queued once the one before it has been
 *     taken, and the call returns when every one of them has been. If the
 *     wait ends first, the message waiting is withdrawn and those after it
 *     are never queued, so those taken are always the first ones (even
 *     with several receivers, one of which fails and puts a message back
 *     while another has returned the next) and their count is returned
 *     (or, if none was taken, the error, as for any batch). Its timeout
 *     and signals are checked before each message, so it stops at its
 *     deadline even while receivers take every message at once. A
 *     nonblocking one sends as many messages as receivers are waiting to
 *     take.
 *   - A withdrawn message is as if never sent: it leaves the queue's
 *     counts, the sent counters (IPCCHAN_A_SENT_MSGS, IPCCHAN_A_SENT_BYTES)
 *     drop it again, and its charge is returned. Its sequence number is
 *     not reused: a receiver may see a gap. IPCCHAN_A_REJECTED counts a
 *     synchronous send only when it failed for room, as any send.
 *   IPCCHAN_XFER_SYNC on a receive, or on a descriptor that cannot send,
 *   is EINVAL and EBADF as any other bad flag and descriptor. Whenever a
 *   receiver is waiting (blocked in a receive call, with nothing queued
 *   and no message given to it yet), a message goes straight to it,
 *   synchronous or not, if the channel's limits have room for it: no other
 *   receiver can take it, and a synchronous send then costs little more
 *   than an asynchronous one. The message goes to the receiver that has
 *   waited longest, whatever the size of its buffer: a receive given a
 *   message that does not fit its buffer puts it at the head of the queue
 *   (EMSGSIZE), where another receiver may take it; a nonblocking
 *   synchronous send so given back fails with EAGAIN (withdrawn), even if
 *   another waiting receiver had room for it.
 *
 * Rendezvous channels (IPCCHAN_FEAT_SYNC): IPCCHAN_OPEN_RENDEZVOUS with
 *   IPCCHAN_OPEN_CREATE (EINVAL without it) creates a channel of capacity
 *   zero: it queues nothing of its own, and every send to it, whatever its
 *   flags and whether by ioctl or write(2), is synchronous (above). Its
 *   queue holds only the messages of senders waiting for a taker, and its
 *   max_msgs and max_bytes bound those: more senders wait for room first.
 *   Like IPCCHAN_REGION_EXEC, it is a property that the creator decides: an
 *   open of an existing channel ignores it, and IPCCHAN_IOC_CHAN_INFO
 *   (@chan_flags) and netlink (IPCCHAN_A_CHAN_FLAGS) report it.
 *   poll(2) on a rendezvous channel reports EPOLLOUT only while a receiver
 *   is waiting, blocked in a receive call, that no message has been given
 *   to yet: exactly when a nonblocking send would succeed. So the sending
 *   side of a rendezvous cannot be driven by EPOLLOUT alone when the
 *   receiving side polls too (neither would ever be ready): one side must
 *   block, or send with a timeout. EPOLLIN is reported while a sender's
 *   message waits.
 *
 * Unnamed pipes and pairs (IPCCHAN_FEAT_PAIR), on a file of /dev/ipcchan:
 * IPCCHAN_IOC_CHAN_PIPE creates a channel without a name, and returns in
 *   @fds two new descriptors of it, in the shape of pipe2(2): @fds[0] can
 *   only receive and @fds[1] can only send (EBADF for the other
 *   operations). @ids[0] and @ids[1] are both its netlink id.
 * IPCCHAN_IOC_CHAN_PAIR creates two channels without names, one each way,
 *   and returns in @fds two descriptors, the ends of a connected two-way
 *   pair, in the shape of socketpair(AF_UNIX, SOCK_SEQPACKET): what one end
 *   sends, the other receives. @ids[i] is the id of the channel that
 *   @fds[i] receives from. An end takes every channel ioctl: the sends go
 *   to the other end, the receives and CHAN_INFO are of its own incoming
 *   channel (@peer_id of struct ipcchan_chan_info is the outgoing one).
 *   poll(2) on an end reports EPOLLIN from its incoming channel and
 *   EPOLLOUT from its outgoing one.
 *   - @flags: IPCCHAN_OPEN_NONBLOCK and IPCCHAN_OPEN_CLOEXEC, set on both
 *     descriptors, and IPCCHAN_OPEN_RENDEZVOUS (where IPCCHAN_FEAT_SYNC is
 *     reported; for both channels of a pair); any other bit is EINVAL. @max_msg_size, @max_msgs and
 *     @max_bytes are the limits of each channel, as for CHAN_OPEN (0 picks
 *     the default; EINVAL out of bounds). @fds and @ids are out only.
 *   - The channels are owned by the credentials of the /dev/ipcchan file
 *     (its fsuid and fsgid), with mode 0600, and count against the same
 *     limits as named ones: a pipe is one channel and a pair two (ENOSPC).
 *     Messages sent through the descriptors are charged to that owner, and
 *     carry its uid, whoever holds the descriptors then. EMFILE or ENFILE
 *     if two descriptors cannot be had, ENOMEM, and EFAULT if the struct
 *     cannot be written back (as pipe2(2), the descriptors are installed
 *     only after that); nothing is left behind.
 *   - No name, no open and no netlink request can reach an unnamed
 *     channel: only its descriptors can, inherited across fork(2), dup(2)
 *     and passed with SCM_RIGHTS. Netlink lists it, by id, to whoever may
 *     see it (its owner, or CAP_IPC_OWNER: the mode is 0600).
 *   - An unnamed channel counts as unlinked from the start, so hang-up
 *     follows the rules above: when every descriptor that can send to it is
 *     closed, its receivers get what was queued, then EPIPE (read(2)
 *     returns 0, poll EPOLLHUP); when every descriptor that can receive
 *     from it is closed, a send to it fails with EPIPE (poll EPOLLERR). So
 *     when one end of a pair is closed, the other can still receive what is
 *     queued for it, then gets EPIPE, and its sends fail with EPIPE.
 *     Unlike pipe(2) and sockets, that EPIPE (of an ioctl or of write(2))
 *     raises no SIGPIPE. A write(2) is one message, never split: one above
 *     the channel's max_msg_size fails with EMSGSIZE.
 *   - No receiver can come to an unnamed channel once the last descriptor
 *     that can receive from it is closed, so what is queued on it is
 *     dropped then, not when the channel goes: the messages are freed, with
 *     their charges and the region handles they hold, and leave
 *     IPCCHAN_A_MSGS and IPCCHAN_A_BYTES (0 from then on). They are not
 *     counted as received: IPCCHAN_A_SENT_MSGS minus IPCCHAN_A_RECV_MSGS
 *     is how many were dropped.
 *
 * Channel descriptors do not travel inside messages: IPCCHAN_XFER_HANDLE
 * takes region descriptors only (EINVAL for any other). Pass channel
 * descriptors, named or not, with SCM_RIGHTS. A message can hold only a
 * region, and a region holds no descriptor, so no chain of references
 * through messages can come back to where it started, and no cycle can
 * keep an object alive after its last descriptor is closed.
 *
 * Regions
 * -------
 * IPCCHAN_IOC_REGION_OPEN, on a file of /dev/ipcchan, opens or creates a
 *   region under the same rules as a channel: IPCCHAN_REGION_READ needs read
 *   permission, IPCCHAN_REGION_WRITE write permission, and CREATE, EXCL,
 *   ADOPT and CLOEXEC behave alike (the umask applies);
 *   IPCCHAN_OPEN_NONBLOCK makes REGION_WAIT nonblocking. @region_size is
 *   rounded up to whole pages; 0, a size above the module's
 *   max_region_size, or one whose rounding overflows, is EINVAL. Without
 *   CREATE @region_size must be 0, and so must IPCCHAN_REGION_EXEC
 *   (EINVAL). Returns a region fd.
 *   Too many regions, machine-wide or for the opener's uid, is ENOSPC; a
 *   region's size counts against the same memory budgets as queued messages
 *   (ENOBUFS). IPCCHAN_REGION_EXEC, with CREATE, makes a region that may be
 *   mapped PROT_EXEC (IPCCHAN_FEAT_REGION_EXEC); it is a property of the
 *   region, decided by its creator, and ignored when the region exists.
 *
 * A region is memory the kernel owns, zero-filled when created. Its pages
 * are allocated on first touch and charged to the memory cgroup of the
 * process that touches them; its last page is allocated at creation, and
 * charged to the creator. They are ordinary shmem pages, in small pages
 * whatever /sys/kernel/mm/transparent_hugepage/shmem_enabled says (except
 * its testing value "force"); MADV_COLLAPSE may build huge pages only away
 * from the region's end, never across it: the kernel may migrate them,
 * compact around them,
 * swap them out, and offline the memory that holds them, as for memfd;
 * mlock(2) keeps them resident. A region lives while it has a name, an
 * open fd or a mapping; unlinking removes the name only.
 *
 * mmap(2) of a region fd: only MAP_SHARED (MAP_PRIVATE is EINVAL), at a
 * page-aligned offset, and the whole range must lie inside the region
 * (EINVAL; offsets so large that the page offset overflows are refused
 * with EOVERFLOW by the generic mmap code before the module sees them).
 * A fd opened without IPCCHAN_REGION_WRITE cannot be mapped writable, and
 * its read-only mappings cannot be made writable by mprotect(2) (EACCES).
 * A region created without IPCCHAN_REGION_EXEC cannot be mapped PROT_EXEC
 * (EPERM, as on a noexec mount; so a process with READ_IMPLIES_EXEC, whose
 * PROT_READ implies PROT_EXEC, cannot map it at all), nor made executable
 * by mprotect(2) (EACCES). remap_file_pages(2) is refused (EACCES).
 * mremap(2) may grow a mapping; touching a page past the end of the region
 * raises SIGBUS. The mapping is of the region's shmem file,
 * which /proc/PID/maps shows as "/ipcchan-region (deleted)"; a region never
 * shrinks nor gets holes: MADV_REMOVE is EPERM. Every mapping holds the
 * fd's open file, so the region and the module, which cannot be unloaded
 * while one exists; an fd attached to a role (below) keeps its role until
 * its mappings are gone too. Memory in a region may hold process-shared
 * futexes and pthread mutexes.
 *
 * Region ioctls, on a region fd:
 * IPCCHAN_IOC_REGION_INFO fills struct ipcchan_region_info.
 * IPCCHAN_IOC_REGION_ATTACH marks the fd as a producer or a consumer of the
 *   region (for a ring kept in it), once per fd (EBUSY after that). The
 *   producer role needs an fd opened with IPCCHAN_REGION_WRITE, the
 *   consumer role one with IPCCHAN_REGION_READ (EBADF otherwise). When the
 *   last fd of one role is closed, after at least one was attached, the
 *   other role's fds see the peer gone: REGION_WAIT fails with EPIPE and
 *   poll reports EPOLLHUP.
 * IPCCHAN_IOC_REGION_WAIT sleeps while the __u32 at @offset (4-byte aligned,
 *   inside the region, else EINVAL) holds @expected, like FUTEX_WAIT on the
 *   shared memory: it returns 0 at once if the value differs, and 0 after a
 *   REGION_WAKE on the region (the caller re-checks its condition). It reads
 *   the region, so it needs an fd opened with IPCCHAN_REGION_READ (EBADF, as
 *   read(2) on a write-only fd). EAGAIN with NONBLOCK; ETIMEDOUT and EINTR
 *   as for the channel ioctls; EPIPE on an attached fd whose peer is gone.
 * IPCCHAN_IOC_REGION_WAKE wakes every waiter of the region and counts one
 *   wake. poll(2) on a region fd reports EPOLLIN when a wake happened since
 *   the fd last called REGION_WAIT, which acknowledges it; EPOLLHUP when the
 *   peer is gone. A ring thus fits an epoll loop.
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
 * when a message of max_msg_size would fit (send side; on a rendezvous
 * channel, when a receiver waits, see above), EPOLLHUP on hang-up,
 * and EPOLLERR when a send would fail with EPIPE. The descriptor can be passed
 * to other processes (SCM_RIGHTS) and keeps its credentials and access mode.
 * On a rendezvous channel, write() waits for a receiver to take its message,
 * as every send there does.
 *
 * The control and monitoring plane: generic netlink family "ipcchan"
 * --------------------------------------------------------------------
 * Family IPCCHAN_GENL_NAME, version IPCCHAN_GENL_VERSION, with one
 * multicast group, IPCCHAN_GENL_MCGRP_EVENTS. Every command has a strict
 * attribute policy: unknown attributes, wrong types and oversized strings
 * are rejected with EINVAL, and an integer outside its range (such as an
 * unknown IPCCHAN_A_KIND) with ERANGE, each with an extack message, before
 * anything happens. Every other rejection of a request (a missing required
 * attribute, a bad name, a limit out of bounds, ENOENT, EPERM) carries an
 * extack message too (NETLINK_EXT_ACK).
 *
 * Who sees what: a netlink socket acts with the credentials saved when it
 * was opened (its file's credentials, as a /dev/ipcchan file does), not with
 * those of the thread that sends or reads. An object is visible through a
 * socket, in a GET, in a dump and in events, only if those credentials own
 * it (uid), or would be granted read or write access to it by its mode in
 * the owner/group/other order, or hold CAP_IPC_OWNER in the initial user
 * namespace. An object the socket may not see does not exist for it: a GET,
 * DEL or SET of it gets ENOENT, exactly as for a missing name, and a dump
 * leaves it out. A socket passed to another process keeps what it may see.
 * The family exists in the initial network namespace only.
 *
 * IPCCHAN_CMD_GET, with NLM_F_DUMP: one IPCCHAN_CMD_GET message per named
 *   object, channels and regions, and per unnamed channel, in the order
 *   they were named or made. Each object has a 64-bit id (IPCCHAN_A_ID)
 *   given when it is named or made. Ids grow and are never reused, but
 *   they may be skipped: a call that fails (EEXIST, EFAULT, ENOSPC, ENOMEM
 *   among others) may have spent one. A named object leaves the dump, and
 *   a GET by its id, when its name is unlinked (ENOENT from then on, even
 *   while its descriptors keep it open); an unnamed channel, when its last
 *   descriptor closes. A dump resumes after the last id it sent, so a dump
 *   of many parts lists every object that stays listed throughout exactly
 *   once, whatever is created or unlinked meanwhile. Objects named, made,
 *   unlinked or closed during the dump may or may not appear. Request
 *   attributes: none, or IPCCHAN_A_KIND to list one kind.
 *   Uids, gids and pids are translated into the namespaces of the thread
 *   that sent the dump request, in every part, whoever reads the socket.
 *   A dump runs in parts as its socket is read; a socket has at most one
 *   dump at a time: a dump request sent while the socket's previous dump
 *   has not reached its NLMSG_DONE gets EBUSY (from the netlink core). Read
 *   each dump to its end before starting another on the same socket.
 *
 *   Each message holds:
 *	IPCCHAN_A_ID: u64
 *	IPCCHAN_A_KIND: u32, enum ipcchan_kind
 *	IPCCHAN_A_NAME: NUL-terminated string (empty for an unnamed channel:
 *		parsers of ABI 1 expect the attribute in every object)
 *	IPCCHAN_A_UID, IPCCHAN_A_GID: u32, in the caller's user namespace
 *	IPCCHAN_A_MODE: u32
 *	IPCCHAN_A_CREATOR_PID: u32, in the caller's pid namespace (0 if not
 *		visible there)
 *	IPCCHAN_A_FDS: u32, open files of the object
 *	channels:
 *	IPCCHAN_A_MAX_MSG_SIZE, IPCCHAN_A_MAX_MSGS: u32
 *	IPCCHAN_A_MAX_BYTES: u64
 *	IPCCHAN_A_MSGS: u32, IPCCHAN_A_BYTES: u64, what is queued now
 *	IPCCHAN_A_SENT_MSGS, IPCCHAN_A_SENT_BYTES: u64, queued so far, less
 *		the synchronous sends' messages withdrawn
 *	IPCCHAN_A_RECV_MSGS, IPCCHAN_A_RECV_BYTES: u64, received so far
 *	IPCCHAN_A_REJECTED: u64, sends that failed on a limit (EAGAIN,
 *		ETIMEDOUT, EMSGSIZE, ENOBUFS)
 *	IPCCHAN_A_SENDERS, IPCCHAN_A_RECEIVERS: u32, open files of each side
 *	IPCCHAN_A_BLOCKED_SENDERS, IPCCHAN_A_BLOCKED_RECEIVERS: u32, tasks
 *		asleep in a send or a receive now
 *	IPCCHAN_A_CHAN_FLAGS: u32, IPCCHAN_CHAN_*
 *	IPCCHAN_A_PEER_ID: u64, for a direction of a pair: the id of the
 *		other direction (0 otherwise: every channel has the same
 *		attributes)
 *	regions:
 *	IPCCHAN_A_REGION_SIZE: u64
 *	IPCCHAN_A_MAPPINGS: u32
 *
 * IPCCHAN_CMD_GET, without NLM_F_DUMP, with IPCCHAN_A_KIND and
 *   IPCCHAN_A_NAME: that one object, as above; ENOENT if there is none.
 *   With IPCCHAN_A_ID instead (and neither IPCCHAN_A_KIND nor IPCCHAN_A_NAME,
 *   EINVAL otherwise): the object of that id, named or not, under the same
 *   rules. DEL and SET need a name: an unnamed channel has none, and ends
 *   with its last descriptor. IPCCHAN_A_ID in a DEL, a SET or a dump request
 *   is EINVAL, with an extack message.
 *
 * IPCCHAN_CMD_DEL: unlinks the object named by IPCCHAN_A_KIND and
 *   IPCCHAN_A_NAME, as IPCCHAN_IOC_UNLINK does: the socket's credentials
 *   must own it or hold CAP_IPC_OWNER in the initial user namespace, else
 *   EPERM (ENOENT if they may not even see it).
 *
 * IPCCHAN_CMD_SET: changes the limits of the channel IPCCHAN_A_NAME: any
 *   of IPCCHAN_A_MAX_MSG_SIZE, IPCCHAN_A_MAX_MSGS, IPCCHAN_A_MAX_BYTES (0 or
 *   absent keeps the limit), checked as at creation against the module's
 *   bounds (EINVAL). The same owner or CAP_IPC_OWNER rule as DEL applies
 *   (EPERM, or ENOENT). Lower limits apply to messages sent afterwards; what
 *   is queued stays queued. A sender blocked for room whose message is now
 *   above max_msg_size fails with EMSGSIZE.
 *
 * IPCCHAN_CMD_EVENT, multicast on IPCCHAN_GENL_MCGRP_EVENTS: IPCCHAN_A_EVENT
 *   (enum ipcchan_nl_event), IPCCHAN_A_ID, IPCCHAN_A_KIND, IPCCHAN_A_NAME, and
 *   IPCCHAN_A_SEQ, a u64 that grows by one per event (events are only made
 *   while the group has a listener), so a listener sees the order and any
 *   gap. A listener gets the events of the objects its socket may see (the
 *   rule above, with the listener socket's credentials, checked when each
 *   event is sent); the events of the others are gaps in its sequence. So a
 *   gap means events that were filtered out, or lost because the socket
 *   buffer overflowed (the socket then reads ENOBUFS once, unless
 *   NETLINK_NO_ENOBUFS is set) or because the kernel had no memory for
 *   them. A listener that may see every object (CAP_IPC_OWNER) sees only
 *   gaps of loss. On kernels that cannot filter a multicast per listener (before
 *   genlmsg_multicast_netns_filtered(), such as 6.1), joining the group
 *   needs CAP_SYS_ADMIN (EPERM otherwise), and such a listener sees every
 *   event. Events are sent when an
 *   object is created, when its last reference goes (destroyed), when the
 *   last sender or the last receiver of a channel closes, and when a send
 *   is refused because the channel is full (limit reached; at most once
 *   until the channel has had room again). An object's CREATED event is
 *   sent before anyone else can find the object, so it comes before every
 *   other event of its id (an object whose naming then fails for lack of
 *   memory gets its DESTROYED event after it).
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
	IPCCHAN_KIND_REGION = 2,
	__IPCCHAN_KIND_LAST
};

#define IPCCHAN_KIND_MAX	(__IPCCHAN_KIND_LAST - 1)

/* Feature bits of struct ipcchan_version. */
#define IPCCHAN_FEAT_CHANNEL	0x1ULL	/* channels and their ioctls */
#define IPCCHAN_FEAT_BATCH	0x2ULL	/* SEND_BATCH, RECV_BATCH */
#define IPCCHAN_FEAT_TIMEOUT	0x4ULL	/* IPCCHAN_XFER_TIMEOUT */
#define IPCCHAN_FEAT_RW		0x8ULL	/* read(2) and write(2) */
#define IPCCHAN_FEAT_REGION	0x10ULL	/* regions and their ioctls */
#define IPCCHAN_FEAT_HANDLE	0x20ULL	/* region handles in messages */
#define IPCCHAN_FEAT_NETLINK	0x40ULL	/* the generic netlink family */
/* IPCCHAN_REGION_EXEC; a region created without it never maps PROT_EXEC */
#define IPCCHAN_FEAT_REGION_EXEC 0x80ULL
#define IPCCHAN_FEAT_PACKED	0x100ULL	/* SEND_PACKED, RECV_PACKED */
/* IPCCHAN_XFER_SYNC and IPCCHAN_OPEN_RENDEZVOUS */
#define IPCCHAN_FEAT_SYNC	0x200ULL
#define IPCCHAN_FEAT_PAIR	0x400ULL	/* CHAN_PIPE, CHAN_PAIR */

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
 * @max_region_size: out: largest size a region may have (since VER1)
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
	__u64 max_region_size;
};

#define IPCCHAN_VERSION_SIZE_VER0	40
#define IPCCHAN_VERSION_SIZE_VER1	48

/* Flags of struct ipcchan_chan_open. */
#define IPCCHAN_OPEN_RECV	0x1U
#define IPCCHAN_OPEN_SEND	0x2U
#define IPCCHAN_OPEN_CREATE	0x4U
#define IPCCHAN_OPEN_EXCL	0x8U
#define IPCCHAN_OPEN_NONBLOCK	0x10U
#define IPCCHAN_OPEN_CLOEXEC	0x20U
#define IPCCHAN_OPEN_ADOPT	0x40U	/* with CREATE: may open another uid's */
#define IPCCHAN_OPEN_RENDEZVOUS	0x80U	/* with CREATE: capacity zero */

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
#define IPCCHAN_XFER_HANDLE	0x4U	/* SEND and RECV only, struct VER1 */
#define IPCCHAN_XFER_SYNC	0x8U	/* sends: return once taken */

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
 * @handle_fd: with IPCCHAN_XFER_HANDLE, a region fd to attach (since VER1)
 * @__reserved2: must be zero
 */
struct ipcchan_send {
	__u32 size;
	__u32 flags;
	__u64 buf;
	__u32 len;
	__u32 __reserved;
	__s64 timeout_ns;
	__s32 handle_fd;
	__u32 __reserved2;
};

#define IPCCHAN_SEND_SIZE_VER0		32
#define IPCCHAN_SEND_SIZE_VER1		40

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
 * @handle_fd: out, with IPCCHAN_XFER_HANDLE: the new fd of the region the
 *             message carried, or -1 (since VER1)
 * @handle_kind: out, with IPCCHAN_XFER_HANDLE: enum ipcchan_kind of it, or 0
 */
struct ipcchan_recv {
	__u32 size;
	__u32 flags;
	__u64 buf;
	__u32 len;
	__u32 __reserved;
	__s64 timeout_ns;
	struct ipcchan_msg_info info;
	__s32 handle_fd;
	__u32 handle_kind;
};

#define IPCCHAN_RECV_SIZE_VER0		64
#define IPCCHAN_RECV_SIZE_VER1		72

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

/*
 * Most bytes of records that one packed call moves: a send's @len, and
 * what a receive fills at most.
 */
#define IPCCHAN_PACKED_MAX		(256U * 1024)

/* Records of a packed batch start at multiples of this. */
#define IPCCHAN_PACKED_ALIGN		8U

/**
 * struct ipcchan_packed_rec - header of one record of a packed batch
 * @len: the bytes of data that follow the header
 * @flags: send: must be zero; receive: zero
 * @info: receive, out: the message received; send: ignored
 */
struct ipcchan_packed_rec {
	__u32 len;
	__u32 flags;
	struct ipcchan_msg_info info;
};

/* The bytes a record of @len bytes of data takes, its padding included. */
#define IPCCHAN_PACKED_REC_SIZE(len)					\
	(((__u64)sizeof(struct ipcchan_packed_rec) + (len) +		\
	  IPCCHAN_PACKED_ALIGN - 1) & ~(__u64)(IPCCHAN_PACKED_ALIGN - 1))

/**
 * struct ipcchan_packed - argument of IPCCHAN_IOC_SEND_PACKED and _RECV_PACKED
 * @size: sizeof(struct ipcchan_packed)
 * @flags: IPCCHAN_XFER_NONBLOCK, IPCCHAN_XFER_TIMEOUT, and for a send
 *	   IPCCHAN_XFER_SYNC
 * @buf: user pointer to the records
 * @len: send: the bytes of records at @buf; receive: the buffer's capacity
 * @count: most messages to move, 1 to IPCCHAN_BATCH_MAX
 * @timeout_ns: relative timeout for the whole call, with IPCCHAN_XFER_TIMEOUT
 * @needed: out only (ignored on input, so that a struct that came back with
 *          EMSGSIZE can be used again): RECV_PACKED with EMSGSIZE: the bytes
 *          the record of the message at the head takes
 * @__reserved: must be zero
 */
struct ipcchan_packed {
	__u32 size;
	__u32 flags;
	__u64 buf;
	__u32 len;
	__u32 count;
	__s64 timeout_ns;
	__u32 needed;
	__u32 __reserved;
};

#define IPCCHAN_PACKED_SIZE_VER0	40

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
 * @name: out: the channel's name; empty (all zero) for an unnamed channel
 * @id: out: the channel's netlink id, IPCCHAN_A_ID (since VER1)
 * @peer_id: out: on an end of a pair, the id of the channel it sends to;
 *	     else 0 (since VER1)
 * @chan_flags: out: IPCCHAN_CHAN_* (since VER1)
 * @__reserved: out: zero (since VER1)
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
	__u64 id;
	__u64 peer_id;
	__u32 chan_flags;
	__u32 __reserved;
};

#define IPCCHAN_CHAN_INFO_SIZE_VER0	128
#define IPCCHAN_CHAN_INFO_SIZE_VER1	152

/* What a channel is: @chan_flags of ipcchan_chan_info, IPCCHAN_A_CHAN_FLAGS */
#define IPCCHAN_CHAN_RENDEZVOUS	0x1U	/* capacity zero: every send is sync */
#define IPCCHAN_CHAN_UNNAMED	0x2U	/* made by CHAN_PIPE or CHAN_PAIR */
#define IPCCHAN_CHAN_PAIR	0x4U	/* one direction of a CHAN_PAIR */

/**
 * struct ipcchan_chan_pair - argument of IPCCHAN_IOC_CHAN_PIPE and _CHAN_PAIR
 * @size: sizeof(struct ipcchan_chan_pair)
 * @flags: IPCCHAN_OPEN_NONBLOCK, IPCCHAN_OPEN_CLOEXEC, IPCCHAN_OPEN_RENDEZVOUS
 * @max_msg_size: largest message of each channel, in bytes; 0: default
 * @max_msgs: most messages each channel queues; 0: default
 * @max_bytes: most message bytes each channel queues; 0: default
 * @fds: out: the two new descriptors (a pipe: [0] receives, [1] sends)
 * @ids: out: the netlink id of the channel each of @fds receives from (a
 *	 pipe: the one channel's id, twice)
 */
struct ipcchan_chan_pair {
	__u32 size;
	__u32 flags;
	__u32 max_msg_size;
	__u32 max_msgs;
	__u64 max_bytes;
	__s32 fds[2];
	__u64 ids[2];
};

#define IPCCHAN_CHAN_PAIR_SIZE_VER0	48

/* Access flags of struct ipcchan_region_open; the other IPCCHAN_OPEN_* apply. */
#define IPCCHAN_REGION_READ	0x1U
#define IPCCHAN_REGION_WRITE	0x2U
/* With IPCCHAN_OPEN_CREATE: the new region may be mapped PROT_EXEC. */
#define IPCCHAN_REGION_EXEC	0x100U

/**
 * struct ipcchan_region_open - argument of IPCCHAN_IOC_REGION_OPEN
 * @size: sizeof(struct ipcchan_region_open)
 * @flags: IPCCHAN_REGION_READ and/or IPCCHAN_REGION_WRITE, and
 *         IPCCHAN_OPEN_CREATE, _EXCL, _NONBLOCK, _CLOEXEC, and with CREATE
 *         IPCCHAN_REGION_EXEC
 * @mode: permission bits of a new region (mask 0777)
 * @__reserved: must be zero
 * @region_size: size of a new region in bytes, rounded up to whole pages
 * @name: the region's name
 */
struct ipcchan_region_open {
	__u32 size;
	__u32 flags;
	__u32 mode;
	__u32 __reserved;
	__u64 region_size;
	char name[IPCCHAN_NAME_MAX];
};

#define IPCCHAN_REGION_OPEN_SIZE_VER0	88

/**
 * struct ipcchan_region_info - result of IPCCHAN_IOC_REGION_INFO
 * @size: in: sizeof(struct ipcchan_region_info)
 * @flags: in: must be zero
 * @region_size: out: size in bytes, a multiple of the page size
 * @mode: out: permission bits
 * @uid: out: owner, in the caller's user namespace
 * @gid: out: owning group, in the caller's user namespace
 * @mappings: out: memory mappings (VMAs) of the region that exist now
 * @producers: out: open files attached as IPCCHAN_ROLE_PRODUCER
 * @consumers: out: open files attached as IPCCHAN_ROLE_CONSUMER
 * @__reserved: zero
 * @wakes: out: how many IPCCHAN_IOC_REGION_WAKE calls the region has had
 * @name: out: the region's name
 */
struct ipcchan_region_info {
	__u32 size;
	__u32 flags;
	__u64 region_size;
	__u32 mode;
	__u32 uid;
	__u32 gid;
	__u32 mappings;
	__u32 producers;
	__u32 consumers;
	__u32 __reserved;
	__u32 __reserved2;
	__u64 wakes;
	char name[IPCCHAN_NAME_MAX];
};

#define IPCCHAN_REGION_INFO_SIZE_VER0	120

/* Roles of IPCCHAN_IOC_REGION_ATTACH. */
#define IPCCHAN_ROLE_PRODUCER	1
#define IPCCHAN_ROLE_CONSUMER	2

/**
 * struct ipcchan_region_attach - argument of IPCCHAN_IOC_REGION_ATTACH
 * @size: sizeof(struct ipcchan_region_attach)
 * @role: IPCCHAN_ROLE_PRODUCER or IPCCHAN_ROLE_CONSUMER
 */
struct ipcchan_region_attach {
	__u32 size;
	__u32 role;
};

#define IPCCHAN_REGION_ATTACH_SIZE_VER0	8

/**
 * struct ipcchan_region_wait - argument of IPCCHAN_IOC_REGION_WAIT
 * @size: sizeof(struct ipcchan_region_wait)
 * @flags: IPCCHAN_XFER_NONBLOCK, IPCCHAN_XFER_TIMEOUT
 * @offset: byte offset in the region of a 4-byte aligned __u32
 * @expected: the value to wait on while the __u32 holds it
 * @__reserved: must be zero
 * @timeout_ns: relative timeout, with IPCCHAN_XFER_TIMEOUT only
 */
struct ipcchan_region_wait {
	__u32 size;
	__u32 flags;
	__u64 offset;
	__u32 expected;
	__u32 __reserved;
	__s64 timeout_ns;
};

#define IPCCHAN_REGION_WAIT_SIZE_VER0	32

/**
 * struct ipcchan_region_wake - argument of IPCCHAN_IOC_REGION_WAKE
 * @size: sizeof(struct ipcchan_region_wake)
 * @flags: must be zero
 */
struct ipcchan_region_wake {
	__u32 size;
	__u32 flags;
};

#define IPCCHAN_REGION_WAKE_SIZE_VER0	8

#define IPCCHAN_GENL_NAME		"ipcchan"
#define IPCCHAN_GENL_VERSION		1
#define IPCCHAN_GENL_MCGRP_EVENTS	"events"

enum ipcchan_nl_cmd {
	IPCCHAN_CMD_UNSPEC,
	IPCCHAN_CMD_GET,
	IPCCHAN_CMD_DEL,
	IPCCHAN_CMD_SET,
	IPCCHAN_CMD_EVENT,
	__IPCCHAN_CMD_LAST
};

#define IPCCHAN_CMD_MAX		(__IPCCHAN_CMD_LAST - 1)

enum ipcchan_nl_attr {
	IPCCHAN_A_UNSPEC,
	IPCCHAN_A_PAD,
	IPCCHAN_A_ID,
	IPCCHAN_A_KIND,
	IPCCHAN_A_NAME,
	IPCCHAN_A_UID,
	IPCCHAN_A_GID,
	IPCCHAN_A_MODE,
	IPCCHAN_A_CREATOR_PID,
	IPCCHAN_A_FDS,
	IPCCHAN_A_MAX_MSG_SIZE,
	IPCCHAN_A_MAX_MSGS,
	IPCCHAN_A_MAX_BYTES,
	IPCCHAN_A_MSGS,
	IPCCHAN_A_BYTES,
	IPCCHAN_A_SENT_MSGS,
	IPCCHAN_A_SENT_BYTES,
	IPCCHAN_A_RECV_MSGS,
	IPCCHAN_A_RECV_BYTES,
	IPCCHAN_A_REJECTED,
	IPCCHAN_A_SENDERS,
	IPCCHAN_A_RECEIVERS,
	IPCCHAN_A_BLOCKED_SENDERS,
	IPCCHAN_A_BLOCKED_RECEIVERS,
	IPCCHAN_A_REGION_SIZE,
	IPCCHAN_A_MAPPINGS,
	IPCCHAN_A_EVENT,
	IPCCHAN_A_SEQ,
	IPCCHAN_A_CHAN_FLAGS,
	IPCCHAN_A_PEER_ID,
	__IPCCHAN_A_LAST
};

#define IPCCHAN_A_MAX		(__IPCCHAN_A_LAST - 1)

enum ipcchan_nl_event {
	IPCCHAN_EVENT_UNSPEC,
	IPCCHAN_EVENT_CREATED,
	IPCCHAN_EVENT_DESTROYED,
	IPCCHAN_EVENT_LAST_SENDER_GONE,
	IPCCHAN_EVENT_LAST_RECEIVER_GONE,
	IPCCHAN_EVENT_LIMIT_REACHED,
	__IPCCHAN_EVENT_LAST
};

#define IPCCHAN_EVENT_MAX	(__IPCCHAN_EVENT_LAST - 1)

#define IPCCHAN_IOC_MAGIC	0xC7

#define IPCCHAN_IOC_VERSION	_IOWR(IPCCHAN_IOC_MAGIC, 0x00, struct ipcchan_version)
#define IPCCHAN_IOC_CHAN_OPEN	_IOWR(IPCCHAN_IOC_MAGIC, 0x01, struct ipcchan_chan_open)
#define IPCCHAN_IOC_UNLINK	_IOWR(IPCCHAN_IOC_MAGIC, 0x02, struct ipcchan_unlink)
#define IPCCHAN_IOC_CHAN_PIPE	_IOWR(IPCCHAN_IOC_MAGIC, 0x04, struct ipcchan_chan_pair)
#define IPCCHAN_IOC_CHAN_PAIR	_IOWR(IPCCHAN_IOC_MAGIC, 0x05, struct ipcchan_chan_pair)

#define IPCCHAN_IOC_SEND	_IOWR(IPCCHAN_IOC_MAGIC, 0x10, struct ipcchan_send)
#define IPCCHAN_IOC_RECV	_IOWR(IPCCHAN_IOC_MAGIC, 0x11, struct ipcchan_recv)
#define IPCCHAN_IOC_SEND_BATCH	_IOWR(IPCCHAN_IOC_MAGIC, 0x12, struct ipcchan_batch)
#define IPCCHAN_IOC_RECV_BATCH	_IOWR(IPCCHAN_IOC_MAGIC, 0x13, struct ipcchan_batch)
#define IPCCHAN_IOC_CHAN_INFO	_IOWR(IPCCHAN_IOC_MAGIC, 0x14, struct ipcchan_chan_info)
/* 0x15 is not assigned. */
#define IPCCHAN_IOC_SEND_PACKED	_IOWR(IPCCHAN_IOC_MAGIC, 0x16, struct ipcchan_packed)
#define IPCCHAN_IOC_RECV_PACKED	_IOWR(IPCCHAN_IOC_MAGIC, 0x17, struct ipcchan_packed)

#define IPCCHAN_IOC_REGION_OPEN	_IOWR(IPCCHAN_IOC_MAGIC, 0x03, struct ipcchan_region_open)

#define IPCCHAN_IOC_REGION_INFO	_IOWR(IPCCHAN_IOC_MAGIC, 0x20, struct ipcchan_region_info)
#define IPCCHAN_IOC_REGION_ATTACH	_IOWR(IPCCHAN_IOC_MAGIC, 0x21, struct ipcchan_region_attach)
#define IPCCHAN_IOC_REGION_WAIT	_IOWR(IPCCHAN_IOC_MAGIC, 0x22, struct ipcchan_region_wait)
#define IPCCHAN_IOC_REGION_WAKE	_IOWR(IPCCHAN_IOC_MAGIC, 0x23, struct ipcchan_region_wake)

#endif /* _UAPI_LINUX_IPCCHAN_H */
