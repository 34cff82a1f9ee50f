/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What send and recv share: the -t, -N and -c options, opening the channel
 * and reporting a failed transfer.
 */
#ifndef IPCCHAN_TOOL_XFER_H
#define IPCCHAN_TOOL_XFER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* getopt() letters handled by xfer_parse_opt(). */
#define XFER_OPTS	"t:Nc"

struct xfer_opts {
	const char *name;	/* the channel */
	unsigned int flags;	/* IPCCHAN_XFER_* of every call */
	int64_t timeout_ns;	/* of every call, or IPCCHAN_WAIT_FOREVER */
	uint64_t timeout_ms;	/* as given, for messages */
	bool create;		/* create the channel if missing */
};

void xfer_init(struct xfer_opts *o);

/* Takes option @opt of XFER_OPTS; false if its value @arg is bad. */
bool xfer_parse_opt(struct xfer_opts *o, int opt, const char *arg);

/* Opens o->name with @access, IPCCHAN_OPEN_SEND or _RECV; -1 on failure. */
int xfer_open(const struct xfer_opts *o, unsigned int access);

/* Reports failure @err of "<verb> <name>" and returns EXIT_FAIL. */
int xfer_fail(const struct xfer_opts *o, const char *verb, int err);

/* Sends one message of @len bytes to @dst; returns an exit code. */
typedef int (*xfer_send_fn)(void *dst, const struct xfer_opts *o,
			    const char *buf, size_t len);

/*
 * Sends each of the @argc operands in @argv, or with none each line of
 * stdin without its newline, as one message, stopping at the first failure.
 * Returns the exit code.
 */
int xfer_send_each(xfer_send_fn send, void *dst, const struct xfer_opts *o,
		   int argc, char *argv[]);

#endif /* IPCCHAN_TOOL_XFER_H */
