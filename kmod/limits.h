/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IPCCHAN_LIMITS_H
#define _IPCCHAN_LIMITS_H

#include <linux/types.h>
#include <linux/uidgid.h>

struct cred;
struct ipcchan_kind_desc;

struct ipcchan_user;

int ipcchan_limits_init(void);
void ipcchan_limits_uninit(void);

u32 ipcchan_limit_msg_size(void);
u32 ipcchan_limit_msgs(void);
u64 ipcchan_limit_bytes(void);
u64 ipcchan_limit_region_size(void);
u32 ipcchan_default_msg_size(void);
u32 ipcchan_default_msgs(void);

struct ipcchan_user *ipcchan_user_get(kuid_t uid);
struct ipcchan_user *ipcchan_user_of(const struct cred *cred);
struct ipcchan_user *ipcchan_user_ref(struct ipcchan_user *user);
void ipcchan_user_put(struct ipcchan_user *user);
void ipcchan_user_ref_many(struct ipcchan_user *user, u32 n);
void ipcchan_user_put_many(struct ipcchan_user *user, u32 n);

int ipcchan_objects_charge(struct ipcchan_user *user,
			   const struct ipcchan_kind_desc *kind);
void ipcchan_objects_uncharge(struct ipcchan_user *user,
			      const struct ipcchan_kind_desc *kind);

int ipcchan_bytes_charge(struct ipcchan_user *user, u64 bytes);
void ipcchan_bytes_uncharge(struct ipcchan_user *user, u64 bytes);
int ipcchan_bytes_charge_spare(struct ipcchan_user *user, u64 bytes);
bool ipcchan_bytes_spare_ok(struct ipcchan_user *user);

#endif /* _IPCCHAN_LIMITS_H */
