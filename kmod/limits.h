/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IPCCHAN_LIMITS_H
#define _IPCCHAN_LIMITS_H

#include <linux/types.h>

u32 ipcchan_limit_msg_size(void);
u32 ipcchan_limit_msgs(void);
u64 ipcchan_limit_bytes(void);
u32 ipcchan_default_msg_size(void);
u32 ipcchan_default_msgs(void);

int ipcchan_channels_charge(void);
void ipcchan_channels_uncharge(void);

int ipcchan_bytes_charge(u64 bytes);
void ipcchan_bytes_uncharge(u64 bytes);

#endif /* _IPCCHAN_LIMITS_H */
