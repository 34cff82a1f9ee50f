// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The library's own version, defined once, in the Makefile.
 */
#include "internal.h"

#ifndef LIBIPCCHAN_VERSION
#error "LIBIPCCHAN_VERSION must be defined by the build"
#endif

const char *ipcchan_lib_version(void)
{
	return LIBIPCCHAN_VERSION;
}
