/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IPCCHAN_REGION_H
#define _IPCCHAN_REGION_H

#include <linux/fs.h>
#include <linux/ipcchan.h>

struct ipcchan_obj;

int ipcchan_region_init(void);
void ipcchan_region_uninit(void);

int ipcchan_region_open(struct file *ctl,
			const struct ipcchan_region_open *args);
struct file *ipcchan_region_open_file(struct file *ctl,
				      const struct ipcchan_region_open *args);

struct ipcchan_obj *ipcchan_region_handle_get(struct file *file,
					      fmode_t *fmode);
struct file *ipcchan_region_handle_file(struct ipcchan_obj *obj, fmode_t fmode);

#endif /* _IPCCHAN_REGION_H */
