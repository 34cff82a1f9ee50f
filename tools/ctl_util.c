// SPDX-License-Identifier: GPL-2.0
/*
 * ipcchanctl: errors mapped to exit codes, kinds by name (from the library's
 * table), and the names of events.
 */
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include <ipcchan.h>

#include "ctl.h"

/*
 * -ENOENT is both "no such object" and "no such family". The family is
 * looked up again to tell them apart; /dev/ipcchan tells a module without
 * the family from no module at all.
 */
static bool family_missing(void)
{
	if (ipcchan_nl_probe() != -ENOENT)
		return false;
	if (access(IPCCHAN_DEVICE, F_OK) == 0)
		fputs(PROG_NAME ": the loaded ipcchan module has no netlink "
		      "family (it is older than this tool)\n", stderr);
	else
		fputs(PROG_NAME ": the ipcchan module is not loaded "
		      "(load it with: insmod ipcchan.ko)\n", stderr);
	return true;
}

int ctl_fail(int err, const char *fmt, ...)
{
	const char *why = strerror(-err);
	int status = EXIT_FAIL;
	va_list ap;

	switch (err) {
	case -ENOENT:
		if (family_missing())
			return EXIT_NOMODULE;
		why = "no such object";
		status = EXIT_NOTFOUND;
		break;
	case -EPERM:
		why = "Operation not permitted (needs the owner or CAP_IPC_OWNER)";
		status = EXIT_PERM;
		break;
	case -EACCES:
		status = EXIT_PERM;
		break;
	}
	fputs(PROG_NAME ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s\n", why);
	return status;
}

bool parse_kind(const char *s, unsigned int *kind)
{
	int k = ipcchan_kind_from_name(s);

	if (k < 0)
		return false;
	*kind = k;
	return true;
}

static const char *const events[] = {
	[IPCCHAN_EVENT_CREATED] = "created",
	[IPCCHAN_EVENT_DESTROYED] = "destroyed",
	[IPCCHAN_EVENT_LAST_SENDER_GONE] = "last-sender-gone",
	[IPCCHAN_EVENT_LAST_RECEIVER_GONE] = "last-receiver-gone",
	[IPCCHAN_EVENT_LIMIT_REACHED] = "limit-reached",
};

const char *event_name(uint32_t event)
{
	return event < ARRAY_SIZE(events) ? events[event] : NULL;
}

int parse_view_opts(int argc, char *argv[], const char *usage,
		    const char *options, bool *json, unsigned int *kind)
{
	int opt;

	while ((opt = getopt(argc, argv, ":hjk:")) != -1) {
		switch (opt) {
		case 'h':
			return usage_help(usage, options);
		case 'j':
			*json = true;
			break;
		case 'k':
			if (!parse_kind(optarg, kind))
				return usage_error(usage, "unknown kind '%s'",
						   optarg);
			break;
		default:
			return option_error(usage, opt);
		}
	}
	return -1;
}
