// SPDX-License-Identifier: GPL-2.0
/*
 * ipcchan: named in-kernel message channels behind /dev/ipcchan.
 *
 * Module init and exit only. Init is a chain; exit undoes it in reverse.
 */

#include <linux/build_bug.h>
#include <linux/init.h>
#include <linux/module.h>
#include <linux/ipcchan.h>

#include "channel.h"
#include "device.h"
#include "limits.h"
#include "netlink.h"
#include "packed.h"
#include "region.h"
#include "registry.h"

static void __init check_abi(void)
{
	BUILD_BUG_ON(sizeof(struct ipcchan_version) != IPCCHAN_VERSION_SIZE_VER1);
	BUILD_BUG_ON(sizeof(struct ipcchan_chan_open) !=
		     IPCCHAN_CHAN_OPEN_SIZE_VER0);
	BUILD_BUG_ON(sizeof(struct ipcchan_unlink) != IPCCHAN_UNLINK_SIZE_VER0);
	BUILD_BUG_ON(sizeof(struct ipcchan_send) != IPCCHAN_SEND_SIZE_VER1);
	BUILD_BUG_ON(sizeof(struct ipcchan_recv) != IPCCHAN_RECV_SIZE_VER1);
	BUILD_BUG_ON(sizeof(struct ipcchan_batch) != IPCCHAN_BATCH_SIZE_VER0);
	BUILD_BUG_ON(sizeof(struct ipcchan_chan_info) !=
		     IPCCHAN_CHAN_INFO_SIZE_VER1);
	BUILD_BUG_ON(sizeof(struct ipcchan_chan_pair) !=
		     IPCCHAN_CHAN_PAIR_SIZE_VER0);
	BUILD_BUG_ON(sizeof(struct ipcchan_msg_info) != 32);
	BUILD_BUG_ON(sizeof(struct ipcchan_mmsg) != 48);
	BUILD_BUG_ON(sizeof(struct ipcchan_region_open) !=
		     IPCCHAN_REGION_OPEN_SIZE_VER0);
	BUILD_BUG_ON(sizeof(struct ipcchan_region_info) !=
		     IPCCHAN_REGION_INFO_SIZE_VER0);
	BUILD_BUG_ON(sizeof(struct ipcchan_region_attach) !=
		     IPCCHAN_REGION_ATTACH_SIZE_VER0);
	BUILD_BUG_ON(sizeof(struct ipcchan_region_wait) !=
		     IPCCHAN_REGION_WAIT_SIZE_VER0);
	BUILD_BUG_ON(sizeof(struct ipcchan_region_wake) !=
		     IPCCHAN_REGION_WAKE_SIZE_VER0);
}

static int __init ipcchan_init(void)
{
	int ret;

	check_abi();

	ret = ipcchan_limits_init();
	if (ret)
		return ret;
	ret = ipcchan_packed_init();
	if (ret)
		goto err_limits;
	ret = ipcchan_chan_init();
	if (ret)
		goto err_packed;
	ret = ipcchan_region_init();
	if (ret)
		goto err_channel;
	ret = ipcchan_registry_init();
	if (ret)
		goto err_region;
	ret = ipcchan_nl_init();
	if (ret)
		goto err_registry;
	ret = ipcchan_device_init();
	if (ret)
		goto err_netlink;

	pr_info("ipcchan: ABI %d, /dev/ipcchan ready\n", IPCCHAN_ABI_VERSION);
	return 0;

err_netlink:
	ipcchan_nl_uninit();
err_registry:
	ipcchan_registry_uninit();
err_region:
	ipcchan_region_uninit();
err_channel:
	ipcchan_chan_uninit();
err_packed:
	ipcchan_packed_uninit();
err_limits:
	ipcchan_limits_uninit();
	return ret;
}

static void __exit ipcchan_exit(void)
{
	ipcchan_device_uninit();
	ipcchan_nl_uninit();
	ipcchan_registry_uninit();
	ipcchan_region_uninit();
	ipcchan_chan_uninit();
	ipcchan_packed_uninit();
	ipcchan_limits_uninit();
}

module_init(ipcchan_init);
module_exit(ipcchan_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Named in-kernel message channels");
MODULE_AUTHOR("The ipcchan authors");
