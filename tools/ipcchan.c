// SPDX-License-Identifier: GPL-2.0
/*
 * ipcchan: send and receive messages on ipcchan channels, and use regions
 * and rings, from the shell.
 */
#include <stdio.h>
#include <string.h>

#include "subcommands.h"
#include "util.h"

static const struct subcommand subcommands[] = {
	{ "create",  create_main,  "Creates a channel" },
	{ "unlink",  unlink_main,  "Removes the name of a channel" },
	{ "send",    send_main,    "Sends arguments or stdin lines" },
	{ "recv",    recv_main,    "Prints messages received, one a line" },
	{ "info",    info_main,    "Shows a channel's attributes and state" },
	{ "pipe",    pipe_main,    "Runs a writer and a reader joined by an "
				   "unnamed channel" },
	{ "pair",    pair_main,    "Runs two commands joined by a connected "
				   "pair" },
	{ "region",  region_main,  "Shared memory: create, write, read, info, "
				   "unlink" },
	{ "ring",    ring_main,    "Zero-copy rings in regions: create, send, "
				   "recv" },
	{ "version", version_main, "Shows versions, features and limits" },
};

static void show_usage(FILE *f, const struct subcommand *cmds, size_t n,
		       const char *group)
{
	const char *space = group ? " " : "";
	size_t i;

	if (!group)
		group = "";
	fprintf(f, "Usage: %s %s%s<command> [<arguments>]\n\nCommands:\n",
		PROG_NAME, group, space);
	for (i = 0; i < n; i++)
		fprintf(f, "  %-8s %s\n", cmds[i].name, cmds[i].description);
	fprintf(f, "  %-8s %s\n", "help", "Shows this text");
	fprintf(f, "\nRun '%s %s%s<command> -h' for the arguments of a "
		"command.\n", PROG_NAME, group, space);
	if (!*group)
		fprintf(f, "Exit status: 0 success, 1 runtime error, "
			"2 usage error.\n");
}

static bool is_help(const char *arg)
{
	return !strcmp(arg, "help") || !strcmp(arg, "-h") ||
	       !strcmp(arg, "--help");
}

int dispatch(const struct subcommand *cmds, size_t n, const char *group,
	     int argc, char *argv[])
{
	size_t i;

	if (argc < 2) {
		show_usage(stderr, cmds, n, group);
		return EXIT_USAGE;
	}
	if (is_help(argv[1])) {
		show_usage(stdout, cmds, n, group);
		return EXIT_OK;
	}
	for (i = 0; i < n; i++) {
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].function(argc - 1, argv + 1);
	}
	fprintf(stderr, "%s: unknown command '%s%s%s'\n\n", PROG_NAME,
		group ? group : "", group ? " " : "", argv[1]);
	show_usage(stderr, cmds, n, group);
	return EXIT_USAGE;
}

int main(int argc, char *argv[])
{
	return dispatch(subcommands, ARRAY_SIZE(subcommands), NULL, argc,
			argv);
}
