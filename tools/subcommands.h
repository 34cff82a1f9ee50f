/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Entry points of the subcommands. Each gets argv[0] set to its own name and
 * returns the process exit code.
 */
#ifndef IPCCHAN_TOOL_SUBCOMMANDS_H
#define IPCCHAN_TOOL_SUBCOMMANDS_H

int create_main(int argc, char *argv[]);
int unlink_main(int argc, char *argv[]);
int send_main(int argc, char *argv[]);
int recv_main(int argc, char *argv[]);
int info_main(int argc, char *argv[]);
int version_main(int argc, char *argv[]);

#endif /* IPCCHAN_TOOL_SUBCOMMANDS_H */
