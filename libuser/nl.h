/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Shared by netlink.c and monitor.c: the socket of one request, the
 * attribute policy of the family's replies and events, and libnl's error
 * codes turned into errno values. Not installed.
 */
#ifndef LIBIPCCHAN_NL_H
#define LIBIPCCHAN_NL_H

#include <stdbool.h>
#include <netlink/genl/genl.h>

#include "internal.h"

/**
 * struct ipcnl - a netlink socket bound to the family, for requests
 * @sk: the libnl socket
 * @family: the family's id, from the controller
 * @err: -errno of the request: the kernel's, from its NLMSG_ERROR or
 *	NLMSG_DONE, or the parser's
 * @done: the reply is complete (ACK, error or end of dump)
 * @parse: called on each reply message of the family with its attributes;
 *	returns 0 or -errno, which ends the request
 * @arg: passed to @parse
 */
struct ipcnl {
	struct nl_sock *sk;
	int family;
	int err;
	bool done;
	int (*parse)(struct nlattr **tb, void *arg);
	void *arg;
};

/* Policy of every message the family sends: replies and events. */
extern const struct nla_policy ipcnl_policy[IPCCHAN_A_MAX + 1];

/* Turns a negative libnl error (-NLE_*) into a negative errno. */
int ipcnl_errno(int nlerr);

/*
 * Parses the genetlink message @nlh of @family into @tb with ipcnl_policy.
 * Returns -EPROTO for a message that does not follow it.
 */
int ipcnl_parse(struct nlmsghdr *nlh, int family, struct nlattr **tb);

/* Copies the NAME attribute @a into @dst, NUL-terminated. */
void ipcnl_copy_name(char dst[IPCCHAN_NAME_MAX], const struct nlattr *a);

#endif /* LIBIPCCHAN_NL_H */
