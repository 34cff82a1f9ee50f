#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot a kernel in QEMU with the ipcchan module and run tools/demo.sh inside
# it; print what the demo printed, without the kernel's boot messages. The
# exit status is 0 only if the module loaded and unloaded, the demo
# succeeded and the kernel reported nothing wrong.
#
# Usage: tests/qemu/run-demo.sh [options]; see --help. `make demo` runs it.

set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

USAGE="Usage: ${0##*/} [options]
Boot KERNEL with MODULE in QEMU and run tools/demo.sh inside it.
$COMMON_USAGE"

main() {
	local status=0 demo_rc errors

	parse_common_args "$USAGE" "$@"
	boot_vm demo

	echo
	awk -v begin="$TOKEN_DEMO_BEGIN" -v end="$TOKEN_DEMO_END" '
		$1 == begin { on = 1; next }
		$1 == end { on = 0; next }
		on' "$RESULTS_SRC"
	echo

	demo_rc=$(awk -v end="$TOKEN_DEMO_END" '$1 == end { print $2 }' "$RESULTS_SRC")
	if ! grep -q "^$TOKEN_TESTS_DONE" "$RESULTS_SRC"; then
		echo "# the VM did not finish: $(describe_qemu_end); last lines of $CONSOLE_LOG:"
		tail -n 40 "$CONSOLE_LOG" | sed 's/^/# /'
		status=1
	elif [[ $demo_rc != 0 ]]; then
		echo "# the demo failed (status ${demo_rc:-none}); console in $CONSOLE_LOG"
		status=1
	fi
	# module.load, module.unload, kernel.dmesg_clean and their diagnostics.
	grep -E "^($RESULT_PASS|$RESULT_FAIL|$RESULT_DIAG)" "$RESULTS_SRC" || true
	grep -q "^$RESULT_FAIL" "$RESULTS_SRC" && status=1
	errors=$(console_kernel_errors "$CONSOLE_LOG")
	if [[ -n $errors ]]; then
		echo "# the kernel reported on the console:"
		printf '%s\n' "$errors"
		status=1
	fi
	echo "# timing: qemu $QEMU_WALL s wall"
	if ((status == 0)); then
		echo "demo passed"
	else
		echo "demo FAILED"
	fi
	return "$status"
}

main "$@"
