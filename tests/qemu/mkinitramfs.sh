#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the harness's initramfs without booting it, e.g. to boot it by hand:
#
#   tests/qemu/mkinitramfs.sh -o /tmp/vm
#   qemu-system-x86_64 -m 1024 -nographic -no-reboot -kernel <vmlinuz> \
#       -initrd /tmp/vm/initramfs.cpio.gz \
#       -append 'console=ttyS0 panic=-1 harness.mode=tests'
#
# run-tests.sh and run-demo.sh build it the same way (lib.sh).

set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

USAGE="Usage: ${0##*/} [options]
Write OUT/initramfs.cpio.gz (busybox, init.sh, MODULE, BUILD's tool, library
and test programs, and the shared libraries they need).
$COMMON_USAGE"

main() {
	parse_common_args "$USAGE" "$@"
	build_initramfs "$OUT/initramfs.cpio.gz" "$MODULE" "$BUILD"
	echo "$OUT/initramfs.cpio.gz"
}

main "$@"
