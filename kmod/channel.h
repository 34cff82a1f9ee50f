/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IPCCHAN_CHANNEL_H
#define _IPCCHAN_CHANNEL_H

int ipcchan_chan_init(void);
void ipcchan_chan_uninit(void);

#endif /* _IPCCHAN_CHANNEL_H */
