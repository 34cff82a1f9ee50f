// SPDX-License-Identifier: GPL-2.0
/*
 * ipcchanctl show: one object, every attribute the kernel reports.
 */
#include <errno.h>
#include <unistd.h>

#include <ipcchan.h>

#include "ctl.h"

static const char usage[] = "show NAME|#ID [-k channel|region] [-j]";
static const char options[] =
	"Shows the object NAME: the channel of that name, else the region;\n"
	"or the object of id ID (list shows an unnamed channel as #ID).\n"
	"  -j          JSON output\n"
	"  -k KIND     only an object of KIND: channel or region\n";

int ctl_show_main(int argc, char *argv[])
{
	struct ipcchan_object obj;
	unsigned int kind = 0;
	bool json = false;
	const char *name;
	int ret;

	ret = parse_view_opts(argc, argv, usage, options, &json, &kind);
	if (ret >= 0)
		return ret;
	ret = check_operands(usage, argc, argv, 1, 1);
	if (ret)
		return ret;
	name = argv[optind];
	if (name[0] == '#') {
		/* "#ID": an object by its id, unnamed channels too. */
		uint64_t id;

		if (!parse_dec64(name + 1, &id))
			return usage_error(usage, "bad id '%s'", name);
		ret = ipcchan_nl_get_id(id, &obj);
		if (!ret && kind && obj.kind != kind)
			ret = -ENOENT;
	} else if (kind) {
		ret = ipcchan_nl_get(kind, name, &obj);
	} else {
		/* Every kind in turn, in the order of their numbers. */
		ret = -ENOENT;
		for (kind = 1; ret == -ENOENT && ipcchan_kind_name(kind);
		     kind++)
			ret = ipcchan_nl_get(kind, name, &obj);
		kind = 0;
	}
	if (ret)
		return ctl_fail(ret, "show %s%s%s",
				kind ? ipcchan_kind_name(kind) : "",
				kind ? " " : "", name);
	return print_object(&obj, json);
}
