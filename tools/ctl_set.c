// SPDX-License-Identifier: GPL-2.0
/*
 * ipcchanctl set: changes the limits of a channel.
 */
#include <string.h>
#include <unistd.h>

#include <ipcchan.h>

#include "ctl.h"

static const char usage[] =
	"set NAME [max_msg_size N] [max_msgs N] [max_bytes N]";
static const char options[] =
	"Changes the limits of the channel NAME; the others stay as they are.\n"
	"Sizes take a K, M or G suffix (KiB, MiB, GiB). Lower limits apply to\n"
	"later sends: what is queued stays queued. Needs the owner or CAP_IPC_OWNER.\n";

int ctl_set_main(int argc, char *argv[])
{
	uint32_t max_msg_size = 0, max_msgs = 0;
	uint64_t max_bytes = 0, v;
	const char *name, *key, *val;
	int opt, ret, i;

	while ((opt = getopt(argc, argv, ":h")) != -1) {
		if (opt == 'h')
			return usage_help(usage, options);
		return option_error(usage, opt);
	}
	ret = check_operands(usage, argc, argv, 1, -1);
	if (ret)
		return ret;
	name = argv[optind];
	if (optind + 1 == argc)
		return usage_error(usage, "no limit given");
	for (i = optind + 1; i < argc; i += 2) {
		key = argv[i];
		if (i + 1 == argc)
			return usage_error(usage, "%s needs a value", key);
		val = argv[i + 1];
		if (!strcmp(key, "max_msg_size")) {
			if (!parse_size(val, &v) || !v || v > UINT32_MAX)
				goto err_value;
			max_msg_size = v;
		} else if (!strcmp(key, "max_msgs")) {
			if (!parse_dec32(val, &max_msgs) || !max_msgs)
				goto err_value;
		} else if (!strcmp(key, "max_bytes")) {
			if (!parse_size(val, &max_bytes) || !max_bytes)
				goto err_value;
		} else {
			return usage_error(usage, "unknown limit '%s'", key);
		}
	}
	ret = ipcchan_nl_set_limits(name, max_msg_size, max_msgs, max_bytes);
	if (ret)
		return ctl_fail(ret, "set channel %s", name);
	return EXIT_OK;

err_value:
	return usage_error(usage, "bad %s '%s': a positive number is needed",
			   key, val);
}
