// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Entry points for binaries linked against an older version node, whose
 * structs had an older layout (see "The library's own structs can grow" in
 * ipcchan.h). Each reads or writes only the bytes of the layout its callers
 * were built with, and is exported as @name@NODE (a non-default version),
 * so no new link can pick it.
 *
 * Before LIBIPCCHAN_0.4 the structs ended where their reserved members
 * start today:
 *	struct ipcchan_attr	24 bytes	LIBIPCCHAN_0.1
 *	struct ipcchan_object	200 bytes	LIBIPCCHAN_0.3
 *	struct ipcchan_event	88 bytes	LIBIPCCHAN_0.3
 * and ipcchan_nl_list() returned an array of struct ipcchan_object with
 * that size as its stride. Before LIBIPCCHAN_0.5, ipcchan_chan_info() filled
 * the 128 bytes of the uapi's struct ipcchan_chan_info VER0.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

_Static_assert(offsetof(struct ipcchan_attr, __reserved) ==
	       IPCCHAN_ATTR_SIZE_V01, "struct ipcchan_attr: old part moved");
_Static_assert(offsetof(struct ipcchan_object, __reserved0) + 4 ==
	       IPCCHAN_OBJECT_SIZE_V03,
	       "struct ipcchan_object: old part moved");
_Static_assert(offsetof(struct ipcchan_event, __reserved) ==
	       IPCCHAN_EVENT_SIZE_V03, "struct ipcchan_event: old part moved");
/* Today's sizes: reserved members are taken, never added to. */
_Static_assert(sizeof(struct ipcchan_attr) == 64, "struct ipcchan_attr grew");
_Static_assert(sizeof(struct ipcchan_object) == 512,
	       "struct ipcchan_object grew");
_Static_assert(sizeof(struct ipcchan_event) == 128,
	       "struct ipcchan_event grew");

/*
 * The uapi structs that the library fills for a caller, whose size the
 * library sets from its own build: should one grow, the function filling it
 * needs a new version node here, and the old one must fill the old size.
 */
_Static_assert(sizeof(struct ipcchan_version) == IPCCHAN_VERSION_SIZE_VER1,
	       "struct ipcchan_version grew: version ipcchan_version()");
_Static_assert(sizeof(struct ipcchan_chan_info) == IPCCHAN_CHAN_INFO_SIZE_VER1,
	       "struct ipcchan_chan_info grew: version ipcchan_chan_info()");
_Static_assert(sizeof(struct ipcchan_region_info) ==
	       IPCCHAN_REGION_INFO_SIZE_VER0,
	       "struct ipcchan_region_info grew: version it");
_Static_assert(sizeof(struct ipcchan_msg_info) == 32,
	       "struct ipcchan_msg_info grew: version ipcchan_recv*()");

/* The prototypes of exported functions, which the header no longer has. */
#pragma GCC visibility push(default)
int ipcchan_chan_open_v01(int devfd, const char *name, unsigned int flags,
			  const void *attr);
int ipcchan_nl_get_v03(unsigned int kind, const char *name, void *obj);
int ipcchan_nl_list_v03(unsigned int kind, void **objs, size_t *count);
void ipcchan_nl_free_v03(void *objs);
int ipcchan_chan_info_v01(int chanfd, void *info);
int ipcchan_nl_monitor_next_v03(struct ipcchan_nl_monitor *m, void *ev,
				int timeout_ms);
#pragma GCC visibility pop

COMPAT_SYMBOL(ipcchan_chan_open_v01, ipcchan_chan_open, LIBIPCCHAN_0.1);
COMPAT_SYMBOL(ipcchan_nl_get_v03, ipcchan_nl_get, LIBIPCCHAN_0.3);
COMPAT_SYMBOL(ipcchan_nl_list_v03, ipcchan_nl_list, LIBIPCCHAN_0.3);
COMPAT_SYMBOL(ipcchan_nl_free_v03, ipcchan_nl_free, LIBIPCCHAN_0.3);
COMPAT_SYMBOL(ipcchan_chan_info_v01, ipcchan_chan_info, LIBIPCCHAN_0.1);
COMPAT_SYMBOL(ipcchan_nl_monitor_next_v03, ipcchan_nl_monitor_next,
	      LIBIPCCHAN_0.3);

/*
 * Reads only the 24 bytes of a 0.1 struct ipcchan_attr, and, as 0.1 did,
 * only with IPCCHAN_OPEN_CREATE: without it @attr may be any pointer.
 */
int ipcchan_chan_open_v01(int devfd, const char *name, unsigned int flags,
			  const void *attr)
{
	struct ipcchan_attr a = { 0 };

	if (!attr || !(flags & IPCCHAN_OPEN_CREATE))
		return ipcchan_chan_open(devfd, name, flags, NULL);
	memcpy(&a, attr, IPCCHAN_ATTR_SIZE_V01);
	return ipcchan_chan_open(devfd, name, flags, &a);
}

/* Writes only the 200 bytes of a 0.3 struct ipcchan_object. */
int ipcchan_nl_get_v03(unsigned int kind, const char *name, void *obj)
{
	struct ipcchan_object o;
	int ret;

	if (!obj)
		return -EFAULT;
	ret = ipcchan_nl_get(kind, name, &o);
	if (!ret)
		memcpy(obj, &o, IPCCHAN_OBJECT_SIZE_V03);
	return ret;
}

/* An array of 0.3 objects, 200 bytes apart, freed by free(). */
int ipcchan_nl_list_v03(unsigned int kind, void **objs, size_t *count)
{
	struct ipcchan_objlist *l;
	char *arr = NULL;
	size_t i, n;
	int ret;

	if (!objs || !count)
		return -EFAULT;
	*objs = NULL;
	*count = 0;
	ret = ipcchan_nl_dump(kind, &l);
	if (ret)
		return ret;
	n = ipcchan_objlist_count(l);
	if (n) {
		arr = calloc(n, IPCCHAN_OBJECT_SIZE_V03);
		if (!arr) {
			ipcchan_objlist_free(l);
			return -ENOMEM;
		}
	}
	for (i = 0; i < n; i++)
		memcpy(arr + i * IPCCHAN_OBJECT_SIZE_V03,
		       ipcchan_objlist_get(l, i), IPCCHAN_OBJECT_SIZE_V03);
	ipcchan_objlist_free(l);
	*objs = arr;
	*count = n;
	return 0;
}

void ipcchan_nl_free_v03(void *objs)
{
	free(objs);
}

/* Writes only the 88 bytes of a 0.3 struct ipcchan_event. */
int ipcchan_nl_monitor_next_v03(struct ipcchan_nl_monitor *m, void *ev,
				int timeout_ms)
{
	struct ipcchan_event e;
	int ret;

	if (!ev)
		return -EFAULT;
	ret = ipcchan_nl_monitor_next(m, &e, timeout_ms);
	if (ret > 0)
		memcpy(ev, &e, IPCCHAN_EVENT_SIZE_V03);
	return ret;
}

/*
 * Before LIBIPCCHAN_0.5, struct ipcchan_chan_info was the uapi's VER0, 128
 * bytes: fill that much, and the kernel writes no more (the size rules).
 */
int ipcchan_chan_info_v01(int chanfd, void *info)
{
	struct ipcchan_chan_info ci;
	int ret;

	if (!info)
		return -EFAULT;
	ret = ipcchan_chan_info(chanfd, &ci);
	if (ret)
		return ret;
	ci.size = IPCCHAN_CHAN_INFO_SIZE_VER0;
	memcpy(info, &ci, IPCCHAN_CHAN_INFO_SIZE_VER0);
	return 0;
}
