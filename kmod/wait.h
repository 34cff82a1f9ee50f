/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IPCCHAN_WAIT_H
#define _IPCCHAN_WAIT_H

#include <linux/ktime.h>
#include <linux/types.h>
#include <linux/wait.h>

struct file;

/* How a call waits: decided once per call, shared by a whole batch. */
struct ipcchan_wait {
	bool nonblock;
	bool timed;
	bool expired;
	ktime_t deadline;
};

int ipcchan_wait_init(struct ipcchan_wait *w, const struct file *file,
		      u32 flags, u32 valid_flags, s64 timeout_ns);
int ipcchan_wait_stop(const struct ipcchan_wait *w);
void ipcchan_wait_sleep(struct ipcchan_wait *w);
void ipcchan_wake_nr(wait_queue_head_t *wq, __poll_t events, int nr);
void ipcchan_wake(wait_queue_head_t *wq, __poll_t events);

#endif /* _IPCCHAN_WAIT_H */
