/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IPCCHAN_REGION_H
#define _IPCCHAN_REGION_H

int ipcchan_region_init(void);
void ipcchan_region_uninit(void);

#endif /* _IPCCHAN_REGION_H */
