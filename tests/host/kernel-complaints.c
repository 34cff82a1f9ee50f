// SPDX-License-Identifier: GPL-2.0
/*
 * kernel_complaints() of tests/qemu/patterns.sh in C, as the test programs
 * match the kernel log (harness_kernel_complaint()): prints the lines of
 * stdin that report a kernel bug. A host program, for
 * tests/qemu/test-patterns.sh, which checks that the two agree.
 */
#include "harness.h"

int main(void)
{
	char line[4096];

	while (fgets(line, sizeof(line), stdin)) {
		line[strcspn(line, "\n")] = 0;
		if (harness_kernel_complaint(line))
			puts(line);
	}
	return 0;
}
