/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Entry points of the subcommands. Each gets argv[0] set to its own name and
 * returns the process exit code. "region" and "ring" are groups: they
 * dispatch again, to "region create", "ring send" and so on.
 */
#ifndef IPCCHAN_TOOL_SUBCOMMANDS_H
#define IPCCHAN_TOOL_SUBCOMMANDS_H

#include <stddef.h>

struct subcommand {
	const char *name;
	int (*function)(int argc, char *argv[]);
	const char *description;
};

/*
 * Runs the entry of @cmds named by argv[1], with argv[1] as its argv[0].
 * @group is NULL for the top level, else the group's name ("region").
 */
int dispatch(const struct subcommand *cmds, size_t n, const char *group,
	     int argc, char *argv[]);

int create_main(int argc, char *argv[]);
int unlink_main(int argc, char *argv[]);
int send_main(int argc, char *argv[]);
int recv_main(int argc, char *argv[]);
int info_main(int argc, char *argv[]);
int version_main(int argc, char *argv[]);
int pipe_main(int argc, char *argv[]);
int pair_main(int argc, char *argv[]);

int region_main(int argc, char *argv[]);
int region_create_main(int argc, char *argv[]);
int region_write_main(int argc, char *argv[]);
int region_read_main(int argc, char *argv[]);
int region_info_main(int argc, char *argv[]);
int region_unlink_main(int argc, char *argv[]);

int ring_main(int argc, char *argv[]);
int ring_create_main(int argc, char *argv[]);
int ring_send_main(int argc, char *argv[]);
int ring_recv_main(int argc, char *argv[]);

#endif /* IPCCHAN_TOOL_SUBCOMMANDS_H */
