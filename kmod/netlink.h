/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IPCCHAN_NETLINK_H
#define _IPCCHAN_NETLINK_H

#include <linux/types.h>

struct ipcchan_obj;

int ipcchan_nl_init(void);
void ipcchan_nl_uninit(void);
void ipcchan_nl_event(struct ipcchan_obj *obj, u32 event);

#endif /* _IPCCHAN_NETLINK_H */
