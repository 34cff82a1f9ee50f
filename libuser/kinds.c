// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The table of kinds: each kind's name, and each attribute that objects
 * report, with the kinds that report it and where it sits in struct
 * ipcchan_object. The netlink parser fills objects from it, the tools print
 * them from it, and the fuzzer checks the kernel's replies against it. A
 * new kind adds its name here, and its attributes with their kind.
 *
 * Pure data and lookups: the fuzzer compiles this file alone.
 */
#include <stddef.h>
#include <string.h>

#include "internal.h"

#define KIND_BIT(k)	(1U << (k))
#define EVERY_KIND	(~0U)

static const char *const kind_names[] = {
	[IPCCHAN_KIND_CHANNEL]	= "channel",
	[IPCCHAN_KIND_REGION]	= "region",
};

_Static_assert(sizeof(kind_names) / sizeof(kind_names[0]) ==
	       IPCCHAN_KIND_MAX + 1, "a kind of the uapi has no name here");

/**
 * struct attr_desc - one member of struct ipcchan_object
 * @name: its name, as ipcchan_attr_name() and the tools' JSON give it
 * @kinds: KIND_BIT() of each kind whose objects report it, or EVERY_KIND
 * @size: 4 or 8 for a number, 0 for the name
 * @offset: in struct ipcchan_object
 */
struct attr_desc {
	const char *name;
	unsigned int kinds;
	unsigned char size;
	unsigned short offset;
};

#define MEMBER(a, m, k)							\
	[IPCCHAN_A_##a] = {						\
		.name = #m,						\
		.kinds = (k),						\
		.size = sizeof(((struct ipcchan_object *)0)->m),	\
		.offset = offsetof(struct ipcchan_object, m),		\
	}
#define CHAN	KIND_BIT(IPCCHAN_KIND_CHANNEL)
#define REGION	KIND_BIT(IPCCHAN_KIND_REGION)

static const struct attr_desc attrs[IPCCHAN_A_MAX + 1] = {
	MEMBER(ID, id, EVERY_KIND),
	MEMBER(KIND, kind, EVERY_KIND),
	[IPCCHAN_A_NAME] = {
		.name = "name",
		.kinds = EVERY_KIND,
		.offset = offsetof(struct ipcchan_object, name),
	},
	MEMBER(UID, uid, EVERY_KIND),
	MEMBER(GID, gid, EVERY_KIND),
	MEMBER(MODE, mode, EVERY_KIND),
	MEMBER(CREATOR_PID, creator_pid, EVERY_KIND),
	MEMBER(FDS, fds, EVERY_KIND),
	MEMBER(MAX_MSG_SIZE, max_msg_size, CHAN),
	MEMBER(MAX_MSGS, max_msgs, CHAN),
	MEMBER(MAX_BYTES, max_bytes, CHAN),
	MEMBER(MSGS, msgs, CHAN),
	MEMBER(BYTES, bytes, CHAN),
	MEMBER(SENT_MSGS, sent_msgs, CHAN),
	MEMBER(SENT_BYTES, sent_bytes, CHAN),
	MEMBER(RECV_MSGS, recv_msgs, CHAN),
	MEMBER(RECV_BYTES, recv_bytes, CHAN),
	MEMBER(REJECTED, rejected, CHAN),
	MEMBER(SENDERS, senders, CHAN),
	MEMBER(RECEIVERS, receivers, CHAN),
	MEMBER(BLOCKED_SENDERS, blocked_senders, CHAN),
	MEMBER(BLOCKED_RECEIVERS, blocked_receivers, CHAN),
	MEMBER(REGION_SIZE, region_size, REGION),
	MEMBER(MAPPINGS, mappings, REGION),
	MEMBER(CHAN_FLAGS, chan_flags, CHAN),
	MEMBER(PEER_ID, peer_id, CHAN),
};

const char *ipcchan_kind_name(unsigned int kind)
{
	if (kind >= sizeof(kind_names) / sizeof(kind_names[0]))
		return NULL;
	return kind_names[kind];
}

int ipcchan_kind_from_name(const char *name)
{
	unsigned int k;

	if (!name)
		return -EFAULT;
	for (k = 0; k < sizeof(kind_names) / sizeof(kind_names[0]); k++)
		if (kind_names[k] && !strcmp(name, kind_names[k]))
			return k;
	return -EINVAL;
}

static const struct attr_desc *attr_desc(unsigned int attr)
{
	if (attr > IPCCHAN_A_MAX || !attrs[attr].name)
		return NULL;
	return &attrs[attr];
}

const char *ipcchan_attr_name(unsigned int attr)
{
	const struct attr_desc *d = attr_desc(attr);

	return d ? d->name : NULL;
}

int ipcchan_kind_has_attr(unsigned int kind, unsigned int attr)
{
	const struct attr_desc *d = attr_desc(attr);

	if (!d)
		return 0;
	if (d->kinds == EVERY_KIND)
		return 1;
	return kind < 32 && (d->kinds & KIND_BIT(kind));
}

int ipcchan_object_attr(const struct ipcchan_object *obj, unsigned int attr,
			uint64_t *val)
{
	const struct attr_desc *d = attr_desc(attr);
	const char *p = (const char *)obj;
	uint32_t v32;

	if (!obj || !val)
		return -EFAULT;
	if (!d || !d->size)
		return -EINVAL;
	if (!ipcchan_kind_has_attr(obj->kind, attr))
		return -ENOENT;
	if (d->size == 4) {
		memcpy(&v32, p + d->offset, 4);
		*val = v32;
	} else {
		memcpy(val, p + d->offset, 8);
	}
	return 0;
}

int object_set_attr(struct ipcchan_object *obj, unsigned int attr,
		    const void *data, size_t len)
{
	const struct attr_desc *d = attr_desc(attr);
	char *p = (char *)obj;

	if (!d)
		return 0;
	if (!d->size) {
		/* The name: NUL-terminated within IPCCHAN_NAME_MAX. */
		len = strnlen(data, len);
		if (len >= IPCCHAN_NAME_MAX)
			len = IPCCHAN_NAME_MAX - 1;
		memset(obj->name, 0, IPCCHAN_NAME_MAX);
		memcpy(obj->name, data, len);
		return 0;
	}
	/* The policy of nl.h has checked the attribute's length. */
	if (len < d->size)
		return -EPROTO;
	memcpy(p + d->offset, data, d->size);
	return 0;
}
