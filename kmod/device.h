/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IPCCHAN_DEVICE_H
#define _IPCCHAN_DEVICE_H

int ipcchan_device_init(void);
void ipcchan_device_uninit(void);

#endif /* _IPCCHAN_DEVICE_H */
