/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The KUnit suites in tests/kunit/ are a module of their own,
 * ipcchan-kunit.ko, which calls the internal functions of ipcchan.ko. On a
 * kernel with KUnit those functions are exported to it in the IPCCHAN_KUNIT
 * symbol namespace, and to nothing else; without KUnit nothing is exported.
 * (The kernel's EXPORT_SYMBOL_IF_KUNIT() does the same from 6.2 on.)
 */
#ifndef _IPCCHAN_KUNIT_H
#define _IPCCHAN_KUNIT_H

#include <linux/export.h>
#include <linux/kconfig.h>

#if IS_ENABLED(CONFIG_KUNIT)
#define EXPORT_SYMBOL_IPCCHAN_KUNIT(sym)	EXPORT_SYMBOL_NS_GPL(sym, IPCCHAN_KUNIT)
#else
#define EXPORT_SYMBOL_IPCCHAN_KUNIT(sym)
#endif

#endif /* _IPCCHAN_KUNIT_H */
