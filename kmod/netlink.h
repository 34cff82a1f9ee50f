/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IPCCHAN_NETLINK_H
#define _IPCCHAN_NETLINK_H

int ipcchan_nl_init(void);
void ipcchan_nl_uninit(void);

#endif /* _IPCCHAN_NETLINK_H */
