#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run ipcchan-bench in QEMU and collect its figures: `make bench` runs it.
#
# Two runs, each in a VM of its own (harness.mode=bench, see init.sh):
#   icount    one vCPU, -icount shift=0,sleep=off: guest time counts
#             instructions (1 ns each), so the figures repeat from run to
#             run; the headline ratios come from this run
#   realtime  two vCPUs, real time, the two sides pinned to different
#             vCPUs: cross-CPU figures, noisier
# The CSV files each VM sends back over ttyS1 are merged into
# RESULTS/results.csv and RESULTS/open.csv (header once, the mode in the
# first column); then tools/bench/report.sh prints the table and the
# targets and draws the plots.
#
# Usage: tests/qemu/run-bench.sh [options]; see --help.

set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

RESULTS=$REPO_ROOT/bench-results
MODES="icount realtime"
BENCH_ARGS=

USAGE="Usage: ${0##*/} [options]
Boot KERNEL with MODULE and BUILD/tools/ipcchan-bench in QEMU, run the
benchmark in each mode and write RESULTS/results.csv and RESULTS/open.csv.
  -r, --results DIR    where the CSV files and plots go (default: ./bench-results)
  --modes 'M ...'      the runs, from: icount realtime (default: both)
  --quick              ipcchan-bench -q: a smoke run of a few seconds
$COMMON_USAGE
TEST_TIMEOUT is the guest's limit on the benchmark (default 3000 s), and
QEMU_TIMEOUT defaults to 2400 s per VM here."

# extract FILE SRC: the lines of FILE as the VM sent them, from SRC.
extract() {
	awk -v want="$1" -v file="$TOKEN_BENCH_FILE" -v end="$TOKEN_BENCH_END" \
		-v pass="$RESULT_PASS" -v failed="$RESULT_FAIL" '
		$1 == file { on = ($2 == want); next }
		$1 == end { on = 0 }
		/^IPCCHAN-/ || index($0, pass) == 1 || index($0, failed) == 1 || /^#/ { next }
		on' "$2"
}

# run_mode MODE: one VM run; appends its rows to the merged files.
run_mode() {
	local mode=$1 out=$OUT/$1 rc status

	case $mode in
	icount) export QEMU_SMP=1 QEMU_ICOUNT=shift=0,sleep=off ;;
	realtime) export QEMU_SMP=2 QEMU_ICOUNT= ;;
	*) die "unknown mode '$mode' (icount or realtime)" ;;
	esac
	mkdir -p "$out"
	local saved_out=$OUT
	OUT=$out
	QEMU_APPEND="harness.bench=$mode${BENCH_ARGS:+ harness.bench_args=$BENCH_ARGS} ${BASE_APPEND}" \
		boot_vm bench
	OUT=$saved_out

	status=$(awk -v end="$TOKEN_BENCH_END" '$1 == end { print $2 }' "$RESULTS_SRC")
	rc=0
	if [[ -z $status ]]; then
		warn "$mode: the benchmark did not finish: $(describe_qemu_end); see $CONSOLE_LOG"
		rc=1
	elif [[ $status != 0 ]]; then
		warn "$mode: ipcchan-bench exited with status $status; see $CONSOLE_LOG"
		rc=1
	fi
	if [[ -n $(console_kernel_errors "$CONSOLE_LOG") ]]; then
		warn "$mode: the kernel reported a bug on the console:"
		console_kernel_errors "$CONSOLE_LOG" >&2
		rc=1
	fi
	local file rows
	for file in results.csv open.csv; do
		rows=$(extract "$file" "$RESULTS_SRC" | tail -n +2)
		if [[ -z $rows ]]; then
			warn "$mode: no rows of $file came back; see $RESULTS_SRC"
			rc=1
			continue
		fi
		printf '%s\n' "$rows" >>"$RESULTS/$file.tmp"
	done
	printf '# %s run: qemu %s s wall\n' "$mode" "$QEMU_WALL"
	return "$rc"
}

main() {
	local args=() mode failed=0 start

	while (($#)); do
		case $1 in
		-r | --results) RESULTS=$2; shift 2 ;;
		--modes) MODES=$2; shift 2 ;;
		--quick) BENCH_ARGS=-q; shift ;;
		*) args+=("$1"); shift ;;
		esac
	done
	# An icount run takes longer than a test run: a larger default.
	QEMU_TIMEOUT=${QEMU_TIMEOUT:-2400}
	parse_common_args "$USAGE" "${args[@]}"
	[[ -x $BUILD/tools/ipcchan-bench ]] || die "no $BUILD/tools/ipcchan-bench (make tools)"
	export TEST_TIMEOUT=${TEST_TIMEOUT:-3000}
	BASE_APPEND=${QEMU_APPEND:-}
	mkdir -p "$RESULTS"
	echo 'mode,mechanism,size,batch,rtt_p50_ns,rtt_p99_ns,rtt_p999_ns,msgs_per_s,mb_per_s,cpu_ns_per_msg' \
		>"$RESULTS/results.csv.tmp"
	echo 'mode,kind,objects,open_ns,lookup_ns' >"$RESULTS/open.csv.tmp"

	start=$(date +%s)
	for mode in $MODES; do
		run_mode "$mode" || failed=1
	done
	mv "$RESULTS/results.csv.tmp" "$RESULTS/results.csv"
	mv "$RESULTS/open.csv.tmp" "$RESULTS/open.csv"
	printf '# benchmark VMs: %d s wall\n' $(($(date +%s) - start))
	"$REPO_ROOT/tools/bench/report.sh" "$RESULTS" || failed=1
	exit "$failed"
}

main "$@"
