// SPDX-License-Identifier: GPL-2.0
/*
 * ipcchan version: the library's version, then the module's ABI and limits.
 */
#include <inttypes.h>
#include <stdio.h>
#include <unistd.h>

#include <ipcchan.h>

#include "subcommands.h"
#include "util.h"

static const char usage[] = "version";
static const char options[] =
	"Prints the library version, then the module's ABI version,\n"
	"features and limits.\n";

static const struct {
	uint64_t bit;
	const char *name;
} features[] = {
	{ IPCCHAN_FEAT_CHANNEL, "channel" },
	{ IPCCHAN_FEAT_BATCH,   "batch" },
	{ IPCCHAN_FEAT_TIMEOUT, "timeout" },
	{ IPCCHAN_FEAT_RW,      "rw" },
	{ IPCCHAN_FEAT_REGION,  "region" },
	{ IPCCHAN_FEAT_HANDLE,  "handle" },
	{ IPCCHAN_FEAT_NETLINK, "netlink" },
};

static void print_features(uint64_t bits)
{
	size_t i;

	printf("features: 0x%" PRIx64, bits);
	for (i = 0; i < ARRAY_SIZE(features); i++) {
		if (bits & features[i].bit)
			printf(" %s", features[i].name);
	}
	putchar('\n');
}

static void print_version(const struct ipcchan_version *v)
{
	printf("abi_version: %u", v->abi_version);
	if (v->abi_version != IPCCHAN_ABI_VERSION)
		printf(" (this tool was built for %d)", IPCCHAN_ABI_VERSION);
	putchar('\n');
	print_features(v->features);
	printf("name_max: %u\n", v->name_max);
	printf("max_msg_size: %u\n", v->max_msg_size);
	printf("max_msgs: %u\n", v->max_msgs);
	printf("max_bytes: %llu\n", (unsigned long long)v->max_bytes);
	printf("batch_max: %u\n", v->batch_max);
	if (v->features & IPCCHAN_FEAT_REGION)
		printf("max_region_size: %llu\n",
		       (unsigned long long)v->max_region_size);
}

int version_main(int argc, char *argv[])
{
	struct ipcchan_version v;
	int ret, devfd;

	if (!plain_args(usage, options, argc, argv, 0, &ret))
		return ret;
	printf("library: %s\n", ipcchan_lib_version());
	fflush(stdout);
	devfd = open_device();
	if (devfd < 0)
		return EXIT_FAIL;
	ret = ipcchan_version(devfd, &v);
	close(devfd);
	if (ret)
		return fail(ret, "version");
	print_version(&v);
	return EXIT_OK;
}
