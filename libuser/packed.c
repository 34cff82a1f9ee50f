// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Packed batches: IPCCHAN_IOC_SEND_PACKED and IPCCHAN_IOC_RECV_PACKED, and
 * the helpers that build and walk their records.
 */
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>

#include "internal.h"

#define REC_HDR		sizeof(struct ipcchan_packed_rec)

static int packed(int chanfd, unsigned long req, const void *buf, size_t len,
		  unsigned int count, size_t *needed, unsigned int flags,
		  int64_t timeout_ns)
{
	struct ipcchan_packed p = {
		.size = sizeof(p),
		.buf = ptr_to_u64(buf),
		.count = count,
	};
	int ret;

	/* The kernel takes what fits in one call; more is for later calls. */
	p.len = len > IPCCHAN_PACKED_MAX ? IPCCHAN_PACKED_MAX : len;
	if (p.count > IPCCHAN_BATCH_MAX)
		p.count = IPCCHAN_BATCH_MAX;
	ret = set_wait(flags, timeout_ns, &p.flags, &p.timeout_ns);
	if (ret)
		return ret;
	ret = sys_ret(ioctl(chanfd, req, &p));
	if (needed)
		*needed = ret == -EMSGSIZE ? p.needed : 0;
	return ret;
}

int ipcchan_send_packed(int chanfd, const void *buf, size_t len,
			unsigned int count, unsigned int flags,
			int64_t timeout_ns)
{
	/* A send of more bytes than one call takes would cut a record. */
	if (len > IPCCHAN_PACKED_MAX)
		return -EINVAL;
	return packed(chanfd, IPCCHAN_IOC_SEND_PACKED, buf, len, count, NULL,
		      flags, timeout_ns);
}

int ipcchan_recv_packed(int chanfd, void *buf, size_t cap, unsigned int count,
			size_t *needed, unsigned int flags, int64_t timeout_ns)
{
	return packed(chanfd, IPCCHAN_IOC_RECV_PACKED, buf, cap, count, needed,
		      flags, timeout_ns);
}

void *ipcchan_packed_add(void *buf, size_t cap, size_t *off, size_t len)
{
	struct ipcchan_packed_rec *rec;
	size_t at = *off;

	if (at > cap || at % IPCCHAN_PACKED_ALIGN || len > UINT32_MAX ||
	    IPCCHAN_PACKED_REC_SIZE(len) > cap - at)
		return NULL;
	rec = (struct ipcchan_packed_rec *)((unsigned char *)buf + at);
	memset(rec, 0, REC_HDR);
	rec->len = len;
	*off = at + IPCCHAN_PACKED_REC_SIZE(len);
	return rec + 1;
}

const struct ipcchan_packed_rec *ipcchan_packed_next(const void *buf,
						     size_t len, size_t *off)
{
	const struct ipcchan_packed_rec *rec;
	size_t at = *off;

	if (at > len || at % IPCCHAN_PACKED_ALIGN || len - at < REC_HDR)
		return NULL;
	rec = (const struct ipcchan_packed_rec *)((const unsigned char *)buf +
						  at);
	/* The padding after the last record may be missing. */
	if (rec->len > len - at - REC_HDR)
		return NULL;
	at += IPCCHAN_PACKED_REC_SIZE(rec->len);
	*off = at < len ? at : len;
	return rec;
}
