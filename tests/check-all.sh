#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Everything `make check` runs: every suite on Debian's stock kernel, then
# every suite again on a debug kernel (KASAN, UBSAN, lockdep, kmemleak,
# fault injection; built once by tests/debug-kernel/build.sh and cached),
# where any sanitizer report fails the run. Prints one numbered line per
# result across both runs (the debug run's names start with "debug:") and
# one closing line that counts everything. Exits non-zero on any failure.
#
# IPCCHAN_SKIP_DEBUG=1 leaves the debug kernel out.

set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1
# The result lines of run-tests.sh's report.
# shellcheck source-path=SCRIPTDIR source=qemu/patterns.sh
. tests/qemu/patterns.sh

counts=$(mktemp)
trap 'rm -f "$counts"' EXIT
n=0 passed=0 failed=0 status=0

# Streams a run's output, renumbering its results after the ones before and
# prefixing their names; its own closing line becomes a comment.
run() {
	local prefix=$1 label=$2
	shift 2
	"$@" 2>&1 | awk -v n="$n" -v prefix="$prefix" -v label="$label" \
			-v counts="$counts" -v result_re="$REPORT_RESULT_RE" \
			-v summary_re="$REPORT_SUMMARY_RE" '
		$0 ~ result_re {
			n++
			sub(/ok [0-9]+ - /, "ok " n " - " prefix)
			print; fflush(); next
		}
		$0 ~ summary_re {
			print "# " label ": " $0; fflush()
			split($0, a, /[ ,]+/); p = a[1]; f = a[3]; seen = 1
			next
		}
		{ print; fflush() }
		END { printf "%d %d %d %d\n", n, p, f, seen > counts }'
	local rc=${PIPESTATUS[0]} seen p f
	read -r n p f seen < "$counts"
	if [ "$seen" != 1 ]; then
		n=$((n + 1))
		echo "not ok $n - ${prefix}harness.completed"
		f=$((f + 1))
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	[ "$rc" = 0 ] && [ "$f" = 0 ] || status=1
}

fail() {
	n=$((n + 1))
	failed=$((failed + 1))
	status=1
	echo "not ok $n - $1"
}

# The fuzzer runs briefly (its default, 10 s) on the stock kernel and
# FUZZ_CHECK_SECONDS (75) on the debug kernel, where the sanitizers watch.
# Its seed comes from the date and the commit unless FUZZ_SEED is set, and
# is printed: make fuzz FUZZ_SEED=<seed> replays a failure.
seed=${FUZZ_SEED:-$(echo "$(date -u +%Y%m%d)$(git rev-parse --short=7 HEAD 2>/dev/null)" |
	cksum | cut -d' ' -f1)}
echo "# fuzz seed $seed"
fuzz_args="harness.fuzz_seed=$seed harness.fuzz_seconds=${FUZZ_CHECK_SECONDS:-75} harness.fuzz_procs=${FUZZ_PROCS:-4}"

run "" "stock kernel" make --no-print-directory check-vm \
	QEMU_APPEND="harness.fuzz_seed=$seed"

if [ "${IPCCHAN_SKIP_DEBUG:-0}" != 1 ]; then
	if kdir=$(tests/debug-kernel/build.sh); then
		run "debug:" "debug kernel" make --no-print-directory check-vm \
			KDIR="$kdir" QEMU_APPEND="kmemleak=on harness.debug=1 $fuzz_args"
	else
		fail "debug:kernel.build"
	fi
	# Leave ./ipcchan.ko built for the stock kernel, as make builds it.
	make --no-print-directory -s module >/dev/null 2>&1 || fail "module.rebuild"
fi

echo "$passed passed, $failed failed"
exit "$status"
