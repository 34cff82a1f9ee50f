// SPDX-License-Identifier: GPL-2.0
/*
 * Module-wide limits: the bounds a channel may be created with, its defaults,
 * and the global budgets that keep the whole module's kernel memory bounded.
 *
 * Every parameter is writable by root at run time through
 * /sys/module/ipcchan/parameters. A new value applies to channels created
 * and messages sent afterwards; it never touches what is already queued.
 */

#include <linux/atomic.h>
#include <linux/errno.h>
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/sizes.h>

#include "limits.h"

/* Ceilings that even root cannot raise a parameter past. */
#define MSG_SIZE_CEILING	SZ_64M
#define MSGS_CEILING		SZ_1M
#define BYTES_CEILING		SZ_1G

static unsigned int max_msg_size_limit = SZ_1M;
module_param(max_msg_size_limit, uint, 0644);
MODULE_PARM_DESC(max_msg_size_limit,
		 "Largest max_msg_size a channel may have (bytes, ceiling 64 MiB)");

static unsigned int max_msgs_limit = 65536;
module_param(max_msgs_limit, uint, 0644);
MODULE_PARM_DESC(max_msgs_limit,
		 "Largest max_msgs a channel may have (ceiling 1048576)");

static unsigned long max_bytes_limit = SZ_64M;
module_param(max_bytes_limit, ulong, 0644);
MODULE_PARM_DESC(max_bytes_limit,
		 "Largest max_bytes a channel may have (bytes, ceiling 1 GiB)");

static unsigned int default_max_msg_size = 8192;
module_param(default_max_msg_size, uint, 0644);
MODULE_PARM_DESC(default_max_msg_size,
		 "max_msg_size of a channel created with 0 (bytes)");

static unsigned int default_max_msgs = 256;
module_param(default_max_msgs, uint, 0644);
MODULE_PARM_DESC(default_max_msgs,
		 "max_msgs of a channel created with 0");

static unsigned int max_channels = 65536;
module_param(max_channels, uint, 0644);
MODULE_PARM_DESC(max_channels,
		 "Most channels that may exist at once, named or not");

static unsigned long max_total_bytes = SZ_256M;
module_param(max_total_bytes, ulong, 0644);
MODULE_PARM_DESC(max_total_bytes,
		 "Most message bytes queued in all channels together");

static atomic_t nr_channels = ATOMIC_INIT(0);
static atomic64_t nr_bytes = ATOMIC64_INIT(0);

u32 ipcchan_limit_msg_size(void)
{
	return min_t(u32, READ_ONCE(max_msg_size_limit), MSG_SIZE_CEILING);
}

u32 ipcchan_limit_msgs(void)
{
	return clamp_t(u32, READ_ONCE(max_msgs_limit), 1, MSGS_CEILING);
}

u64 ipcchan_limit_bytes(void)
{
	return min_t(u64, READ_ONCE(max_bytes_limit), BYTES_CEILING);
}

u32 ipcchan_default_msg_size(void)
{
	return min(READ_ONCE(default_max_msg_size), ipcchan_limit_msg_size());
}

u32 ipcchan_default_msgs(void)
{
	return clamp_t(u32, READ_ONCE(default_max_msgs), 1, ipcchan_limit_msgs());
}

/**
 * ipcchan_channels_charge() - count one more channel against max_channels
 *
 * Return: 0, or -ENOSPC when max_channels channels exist already.
 */
int ipcchan_channels_charge(void)
{
	if (atomic_inc_return(&nr_channels) > READ_ONCE(max_channels)) {
		atomic_dec(&nr_channels);
		return -ENOSPC;
	}
	return 0;
}

void ipcchan_channels_uncharge(void)
{
	atomic_dec(&nr_channels);
}

/**
 * ipcchan_bytes_charge() - count @bytes more queued bytes against
 * max_total_bytes
 * @bytes: length of the message about to be queued
 *
 * Return: 0, or -ENOBUFS when the module-wide budget would be exceeded.
 */
int ipcchan_bytes_charge(u64 bytes)
{
	if (atomic64_add_return(bytes, &nr_bytes) > READ_ONCE(max_total_bytes)) {
		atomic64_sub(bytes, &nr_bytes);
		return -ENOBUFS;
	}
	return 0;
}

void ipcchan_bytes_uncharge(u64 bytes)
{
	atomic64_sub(bytes, &nr_bytes);
}
