#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot a kernel in QEMU with the ipcchan module and the test programs, and
# report one line per test:
#
#   ok N - suite.test [# SKIP reason]
#   not ok N - suite.test
#     (followed by the "# " diagnostics that the test printed)
#   N passed, N failed
#
# Besides the results of the programs and of init.sh, the host adds
# harness.vm_completed (the VM reached the end token) and kernel.console_clean
# (no kernel bug report on the console). The exit status is 0 only if every
# test passed.
#
# Usage: tests/qemu/run-tests.sh [options]; see --help. `make check` runs it.

set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

USAGE="Usage: ${0##*/} [options]
Boot KERNEL with MODULE and BUILD/tests/bin/* in QEMU and report the results.
$COMMON_USAGE"

# Diagnostics shown under a failed test, at most.
MAX_DIAG=60

# report: turn the VM's results into the numbered report; exit status 1 if
# anything failed.
report() {
	local errors tail

	errors=$(console_kernel_errors "$CONSOLE_LOG")
	tail=$(tail -n 40 "$CONSOLE_LOG" | sed 's/^/# /')

	# Multi-line texts go through the environment: awk -v would
	# interpret their backslashes.
	ERRORS=$errors TAIL=$tail QEMU_END=$(describe_qemu_end) awk \
		-v wall="$QEMU_WALL" -v max_diag="$MAX_DIAG" -v console="$CONSOLE_LOG" \
		-v tok_pass="$RESULT_PASS" -v tok_fail="$RESULT_FAIL" \
		-v tok_skip="$RESULT_SKIP" -v tok_diag="$RESULT_DIAG" \
		-v tok_program="$TOKEN_PROGRAM" -v tok_program_end="$TOKEN_PROGRAM_END" \
		-v tok_done="$TOKEN_TESTS_DONE" '
	function result(ok, rest, diags) {
		n++
		got++
		got_failed += !ok
		if (ok) {
			passed++
			if (index(rest, tok_skip))
				skipped++
			print "ok " n " - " rest
		} else {
			failed++
			print "not ok " n " - " rest
			if (diags != "")
				printf "%s", diags
		}
	}
	function take_diags(    out, i) {
		out = ""
		for (i = 1; i <= nd && i <= max_diag; i++)
			out = out diag[i] "\n"
		if (nd > max_diag)
			out = out "# (" nd - max_diag " more lines in " console ")\n"
		nd = 0
		return out
	}
	BEGIN {
		errors = ENVIRON["ERRORS"]
		tail = ENVIRON["TAIL"]
		qemu_end = ENVIRON["QEMU_END"]
	}
	$1 == tok_program { nd = 0; got = got_failed = 0; next }
	$1 == tok_program_end {
		timing[++np] = sprintf("# timing: %s %s s, %s", $2, $4, $3 == 0 ? "exit 0" : "exit " $3)
		# The VM counted what it sent; a line lost on the way fails.
		if (NF >= 6 && (got != $5 || got_failed != $6))
			result(0, $2 ".results_relayed", sprintf("# the VM sent %d results (%d failed) for %s, the host got %d (%d failed)\n", $5, $6, $2, got, got_failed))
		next
	}
	$1 == tok_done { done = 1; uptime = $2; next }
	index($0, tok_pass) == 1 { nd = 0; result(1, substr($0, length(tok_pass) + 1)); next }
	index($0, tok_fail) == 1 { result(0, substr($0, length(tok_fail) + 1), take_diags()); next }
	index($0, tok_diag) == 1 || $0 == "#" { diag[++nd] = $0; next }
	END {
		if (done) {
			result(1, "harness.vm_completed")
		} else {
			d = take_diags()
			result(0, "harness.vm_completed", d "# no " tok_done ": " qemu_end "\n# last lines of " console ":\n" tail "\n")
		}
		if (errors == "")
			result(1, "kernel.console_clean")
		else
			result(0, "kernel.console_clean", "# the kernel reported on the console:\n" errors "\n")
		for (i = 1; i <= np; i++)
			print timing[i]
		if (done)
			printf "# timing: boot to done %.1f s (guest uptime), qemu %.1f s wall\n", uptime, wall
		else
			printf "# timing: qemu %.1f s wall\n", wall
		if (skipped)
			print "# " skipped " skipped (counted as passed)"
		print passed + 0 " passed, " failed + 0 " failed"
		exit failed > 0
	}' "$RESULTS_SRC"
}

main() {
	parse_common_args "$USAGE" "$@"
	boot_vm tests
	report
}

main "$@"
