#!/bin/sh
# shellcheck shell=dash
# SPDX-License-Identifier: GPL-2.0
#
# /init of the ipcchan test VM, run by busybox sh as PID 1. The initramfs is
# built by tests/qemu/lib.sh; the kernel command line picks the mode:
#
#   harness.mode=tests   load the module, run every /tests/* program, then
#                        the harness's own module and kernel checks
#   harness.mode=demo    load the module, run /usr/share/ipcchan/demo.sh,
#                        unload the module
#   harness.mode=bench   load the module, run /usr/bin/ipcchan-bench, send
#                        its CSV files back, unload the module
#   harness.bench=LABEL  the benchmark's mode column (icount, realtime)
#   harness.bench_args=A extra options of ipcchan-bench, colons for spaces
#   harness.timeout=S    seconds each program may run (default 120)
#   harness.debug=1      the debug kernel: the KUnit suites must be there,
#                        and IPCCHAN_DEBUG_KERNEL=1 in the programs'
#                        environment makes the fault injection suites
#                        (tests/user/failnth.h) fail instead of skipping
#                        when fail-nth is missing
#   harness.fuzz_seconds=S, harness.fuzz_seed=N, harness.fuzz_procs=N
#                        exported to the programs as IPCCHAN_FUZZ_SECONDS,
#                        IPCCHAN_FUZZ_SEED and IPCCHAN_FUZZ_PROCS: how long
#                        ipcchan-fuzz runs, with which seed and workers
#
# Output: everything goes to the console (ttyS0). Result lines go to fd 3 as
# well, which is ttyS1 when the VM has it (the host's results.log):
#
#   ok - suite.test [# SKIP reason]   a passed (or skipped) test
#   not ok - suite.test               a failed test
#   # text                            diagnostics of the result that follows
#   not ok - prog.kernel_log          the kernel complained while prog ran
#   not ok - prog.kmemleak            kmemleak found objects prog allocated
#   IPCCHAN-PROGRAM name              a test program starts
#   IPCCHAN-PROGRAM-END name status seconds results failed
#                                     results and failed count the result
#                                     lines sent since IPCCHAN-PROGRAM, so
#                                     the host can tell if one was lost
#   IPCCHAN-DEMO-BEGIN, IPCCHAN-DEMO-END status
#   IPCCHAN-BENCH-FILE name           the lines up to the next marker are
#                                     the file name (results.csv, open.csv)
#   IPCCHAN-BENCH-END status          ipcchan-bench's exit status
#   IPCCHAN-TESTS-DONE uptime         the run completed; the VM reboots,
#                                     which ends qemu (-no-reboot)
#
# The tokens and the kernel log patterns are those of patterns.sh.
#
# PID 1 must never exit (the kernel would panic), so there is no set -e:
# every step checks its own result.

PATH=/usr/sbin:/usr/bin:/sbin:/bin
HOME=/root
export PATH HOME
umask 022

MODULE=/lib/ipcchan/ipcchan.ko
KUNIT_MODULE=/lib/ipcchan/ipcchan_kunit.ko
DEV=/dev/ipcchan
DEMO=/usr/share/ipcchan/demo.sh
BENCH_PROG=/usr/bin/ipcchan-bench
BENCH=run
BENCH_ARGS=
KMEMLEAK=/sys/kernel/debug/kmemleak
PATTERNS=/lib/ipcchan/patterns.sh
WORK=/tmp/harness
MODE=tests
TIMEOUT=120
DEBUG_RUN=0

# The result lines, markers and the kernel log's complaints: one file, shared
# with the host (tests/qemu/patterns.sh). Without it, no result can be told.
if [ -r "$PATTERNS" ]; then
	# shellcheck source-path=SCRIPTDIR source=patterns.sh
	. "$PATTERNS"
else
	echo "ipcchan-harness: no $PATTERNS in the initramfs"
	reboot -f
	while :; do sleep 60; done
fi
MARK=$TOKEN_KMSG

# emit LINE...: print each line on the console and the results channel.
emit() {
	printf '%s\n' "$@"
	printf '%s\n' "$@" >&3
}

# diag TEXT...: emit each line of TEXT as a "# " diagnostic.
diag() {
	local line

	printf '%s\n' "$@" | while IFS= read -r line; do
		emit "$RESULT_DIAG$line"
	done
}

# Result lines sent since the current IPCCHAN-PROGRAM marker.
SENT_RESULTS=0
SENT_FAILED=0

# pass NAME [SKIP-REASON]
pass() {
	SENT_RESULTS=$((SENT_RESULTS + 1))
	emit "$RESULT_PASS$1${2:+$RESULT_SKIP$2}"
}

# fail NAME [TEXT...]: diagnostics first, then the result.
fail() {
	local name=$1

	shift
	if [ $# -gt 0 ]; then
		diag "$@"
	fi
	SENT_RESULTS=$((SENT_RESULTS + 1))
	SENT_FAILED=$((SENT_FAILED + 1))
	emit "$RESULT_FAIL$name"
}

kmsg() {
	echo "$MARK $*" >/dev/kmsg 2>/dev/null
}

uptime_s() {
	local up rest

	read -r up rest </proc/uptime
	echo "$up"
}

note() {
	echo "$MARK $*"
}

mount_fs() {
	mount -t proc proc /proc
	mount -t sysfs sysfs /sys
	mount -t devtmpfs devtmpfs /dev
	if (: </dev/console) 2>/dev/null; then
		exec </dev/console >/dev/console 2>&1
	fi
	mkdir -p /dev/pts /dev/shm /dev/mqueue /sys/kernel/debug /sys/fs/cgroup
	mount -t devpts devpts /dev/pts
	mount -t tmpfs -o mode=1777 tmpfs /dev/shm
	mount -t tmpfs -o mode=1777 tmpfs /tmp
	mount -t tmpfs -o mode=0755 tmpfs /run
	mount -t mqueue mqueue /dev/mqueue || note "no mqueue filesystem"
	if grep -qw debugfs /proc/filesystems; then
		mount -t debugfs debugfs /sys/kernel/debug
	fi
	if grep -qw cgroup2 /proc/filesystems; then
		mount -t cgroup2 cgroup2 /sys/fs/cgroup
	fi
	ln -sf /proc/self/fd /dev/fd
	ln -sf /proc/self/fd/0 /dev/stdin
	ln -sf /proc/self/fd/1 /dev/stdout
	ln -sf /proc/self/fd/2 /dev/stderr
}

setup_system() {
	cat >/etc/passwd <<-EOF
		root:x:0:0:root:/root:/bin/sh
		nobody:x:65534:65534:nobody:/nonexistent:/bin/false
	EOF
	cat >/etc/group <<-EOF
		root:x:0:
		nogroup:x:65534:
	EOF
	cat >/etc/nsswitch.conf <<-EOF
		passwd: files
		group: files
		shadow: files
		hosts: files
	EOF
	echo '127.0.0.1 localhost ipcchan-vm' >/etc/hosts
	hostname ipcchan-vm
	ip link set lo up 2>/dev/null
	mkdir -p "$WORK"
	IPCCHAN_DEBUG_KERNEL=$DEBUG_RUN
	export IPCCHAN_DEBUG_KERNEL
	ulimit -c 0
	# Harness markers must not be rate limited away.
	echo on >/proc/sys/kernel/printk_devkmsg 2>/dev/null
	# Boot was quiet; from now on show kernel warnings on the console.
	dmesg -n 5 2>/dev/null
}

read_cmdline() {
	local cmdline arg

	read -r cmdline </proc/cmdline
	# shellcheck disable=SC2086 # split the command line into words
	set -- $cmdline
	for arg; do
		case $arg in
		harness.mode=*) MODE=${arg#*=} ;;
		harness.timeout=*) TIMEOUT=${arg#*=} ;;
		harness.debug=*) DEBUG_RUN=${arg#*=} ;;
		harness.bench=*) BENCH=${arg#*=} ;;
		harness.bench_args=*) BENCH_ARGS=$(echo "${arg#*=}" | tr : " ") ;;
		harness.fuzz_seconds=*) export IPCCHAN_FUZZ_SECONDS="${arg#*=}" ;;
		harness.fuzz_seed=*) export IPCCHAN_FUZZ_SEED="${arg#*=}" ;;
		harness.fuzz_procs=*) export IPCCHAN_FUZZ_PROCS="${arg#*=}" ;;
		esac
	done
}

open_results_channel() {
	if (: >/dev/ttyS1) 2>/dev/null; then
		stty -F /dev/ttyS1 raw -echo 2>/dev/null
		exec 3>/dev/ttyS1
	else
		note "no ttyS1: results on the console only"
		exec 3>/dev/null
	fi
}

module_loaded() {
	lsmod | grep -q '^ipcchan '
}

# wait_until TENTHS COMMAND...: retry COMMAND every 0.1 s.
wait_until() {
	local n=$1

	shift
	while ! "$@"; do
		n=$((n - 1))
		[ "$n" -gt 0 ] || return 1
		sleep 0.1
	done
}

# has_fd PID PATTERN: PID has an fd whose target matches the case PATTERN
# and is not $DEV.
has_fd() {
	local fd target

	for fd in /proc/"$1"/fd/*; do
		target=$(readlink "$fd" 2>/dev/null) || continue
		if [ "$target" = "$DEV" ] && [ "$2" != "$DEV" ]; then
			continue
		fi
		# shellcheck disable=SC2254 # $2 is a pattern
		case $target in $2) return 0 ;; esac
	done
	return 1
}

test_module_load() {
	local out

	kmsg "start"
	[ -w "$KMEMLEAK" ] && echo clear >"$KMEMLEAK" 2>/dev/null
	if [ ! -f "$MODULE" ]; then
		fail module.load "no $MODULE in the initramfs"
		return 1
	fi
	if ! out=$(insmod "$MODULE" 2>&1); then
		fail module.load "insmod $MODULE failed:" "$out"
		return 1
	fi
	pass module.load
	if wait_until 50 test -c "$DEV"; then
		pass module.device_node
	else
		fail module.device_node "$DEV did not appear after insmod"
		return 1
	fi
}

# The exit status of a program, in words.
describe_status() {
	if [ "$1" -gt 128 ]; then
		echo "killed by signal $(($1 - 128))"
	else
		echo "exited with status $1"
	fi
}

# relay_results NAME OUT RC SECS: relay the result lines in OUT of the
# program NAME, which ended with status RC after SECS seconds, then add a
# failing result of our own when its exit status and its results disagree.
relay_results() {
	local name=$1 out=$2 rc=$3 secs=$4 relay results failed line

	# The result lines go to a file first and to the results channel in
	# one external cat: PID 1 gets a SIGCHLD for every orphan the kill
	# after a program leaves, and a builtin's write to the tty that such a
	# signal interrupts is lost (seen once), while cat retries.
	relay=$WORK/$name.relay
	: >"$relay"
	results=0
	failed=0
	while IFS= read -r line || [ -n "$line" ]; do
		printf '%s\n' "$line"
		case $line in
		"$RESULT_PASS"*)
			results=$((results + 1))
			;;
		"$RESULT_FAIL"*)
			results=$((results + 1))
			failed=$((failed + 1))
			;;
		"$RESULT_DIAG"*) ;;
		*)
			line="$RESULT_DIAG$line"
			;;
		esac
		printf '%s\n' "$line" >>"$relay"
	done <"$out"
	cat "$relay" >&3

	if [ "$secs" -ge "$TIMEOUT" ] && [ "$rc" -ge 124 ]; then
		fail "$name.timeout" "$name still ran after $TIMEOUT s and was killed"
	elif [ "$rc" -eq "$EXIT_SKIP" ] && [ "$results" -eq 0 ]; then
		pass "$name" "the program skipped itself (exit status 77)"
	elif [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
		fail "$name.exit" "$name $(describe_status "$rc") without reporting a failed test"
	elif [ "$rc" -eq 0 ] && [ "$results" -eq 0 ]; then
		fail "$name.results" "$name exited with status 0 without reporting any test"
	fi
	check_kernel_log "$name"
	results=$((SENT_RESULTS + results))
	failed=$((SENT_FAILED + failed))
	emit "$TOKEN_PROGRAM_END $name $rc $secs $results $failed"
}

# check_kernel_log NAME: fail NAME.kernel_log when the kernel complained
# (patterns.sh) since "$MARK run NAME", so that a splat names the program
# that caused it, or the one just before if the kernel printed it late.
# The marker gone from the log buffer, all of the buffer is newer than it.
# test_dmesg_clean checks the whole log again at the end.
CHECK_TIMES=
check_kernel_log() {
	local name=$1 bad start

	start=$(uptime_s)
	bad=$(dmesg | awk -v mark="$MARK run $name" '
		{ line[++n] = $0 }
		length($0) >= length(mark) &&
			substr($0, length($0) - length(mark) + 1) == mark { n = 0 }
		END { for (i = 1; i <= n; i++) print line[i] }' | kernel_complaints)
	if [ -n "$bad" ]; then
		fail "$name.kernel_log" "the kernel complained after $name started:" \
			"$(printf '%s\n' "$bad" | head -n 40)"
	fi
	CHECK_TIMES="$CHECK_TIMES $start $(uptime_s)"
}

# What the checks of check_kernel_log cost, on the console.
note_check_times() {
	# shellcheck disable=SC2086 # the list of times, as words
	note "the kernel log checks after each program took $(printf '%s\n' $CHECK_TIMES |
		awk 'NR % 2 { s = $1; next } { t += $1 - s; n++ }
		END { printf "%.2f s in all (%d checks)", t, n }')"
}

# The jiffies now, from /proc/timer_list; kmemleak stamps objects with them.
jiffies_now() {
	sed -n '/^jiffies: /{s///p;q}' /proc/timer_list 2>/dev/null
}

# run_program PATH: run one test program and relay its results.
run_program() {
	local prog=$1 name out start rc secs j0=

	name=${prog##*/}
	out=$WORK/$name.out
	emit "$TOKEN_PROGRAM $name"
	SENT_RESULTS=0
	SENT_FAILED=0
	kmsg "run $name"
	[ -e "$KMEMLEAK" ] && j0=$(jiffies_now)
	start=$(date +%s)
	(cd /tmp && exec timeout -k 5 "$TIMEOUT" "$prog") </dev/null >"$out" 2>&1 3>&-
	rc=$?
	secs=$(($(date +%s) - start))
	# Whatever the program left behind, in any session; PID 1 is spared.
	kill -KILL -1 2>/dev/null
	# Its window in jiffies, for kmemleak_culprits.
	[ -n "$j0" ] && echo "$name $j0 $(jiffies_now)" >>"$WORK/windows"
	relay_results "$name" "$out" "$rc" "$secs"
}

# ktap_results: turn the KTAP that KUnit printed to the kernel log since
# our marker into result lines "ok - kunit.<suite>.<case>", each failed one
# after its "# " diagnostics. A suite that reports fewer cases than its
# plan, or fails as a whole with every case passed, gets a failed result.
ktap_results() {
	dmesg | sed 's/^\[[^]]*\] //' | sed -n "/$MARK run kunit\$/,\$p" |
		awk -v pass="$RESULT_PASS" -v failed="$RESULT_FAIL" '
	function flush_suite() {
		if (suite != "" && seen < plan)
			print failed "kunit." suite ".plan"
		suite = ""
	}
	/^    # Subtest: / { flush_suite(); suite = $3; plan = 0; seen = 0; nd = 0; next }
	/^    1\.\.[0-9]+$/ { sub(/^ *1\.\./, ""); plan = $0 + 0; next }
	/^    # / { diag[++nd] = substr($0, 5); next }
	/^    (not )?ok [0-9]+ / {
		ok = ($1 == "ok")
		name = $0
		sub(/^ *(not )?ok [0-9]+ (- )?/, "", name)
		if (!ok)
			for (i = 1; i <= nd; i++)
				print diag[i]
		nd = 0
		seen++
		print (ok ? pass : failed) "kunit." suite "." name
		fails += !ok
		next
	}
	/^(not )?ok [0-9]+ / {
		if ($1 == "not" && suite != "" && !fails)
			print failed "kunit." suite
		flush_suite()
		fails = 0
		next
	}
	END { flush_suite() }'
}

# run_kunit: load the KUnit suites (they run while the module loads),
# relay their results like a program's, and unload them.
run_kunit() {
	local out=$WORK/kunit.out start rc secs

	emit "$TOKEN_PROGRAM kunit"
	SENT_RESULTS=0
	SENT_FAILED=0
	if [ ! -f "$KUNIT_MODULE" ]; then
		if [ "$DEBUG_RUN" = 1 ]; then
			fail kunit.module "no $KUNIT_MODULE: the module was not built with the debug kernel's KUnit"
		else
			pass kunit "this kernel has no KUnit"
		fi
		emit "$TOKEN_PROGRAM_END kunit 0 0 $SENT_RESULTS $SENT_FAILED"
		return
	fi
	kmsg "run kunit"
	start=$(date +%s)
	insmod "$KUNIT_MODULE" >"$WORK/kunit.insmod" 2>&1
	rc=$?
	secs=$(($(date +%s) - start))
	ktap_results >"$out"
	if [ "$rc" -ne 0 ]; then
		fail kunit.load "insmod $KUNIT_MODULE failed:" "$(cat "$WORK/kunit.insmod")"
	elif ! rmmod ipcchan_kunit; then
		fail kunit.unload "rmmod ipcchan_kunit failed"
	fi
	relay_results kunit "$out" "$rc" "$secs"
}

run_programs() {
	local any prog

	any=
	for prog in /tests/*; do
		if [ ! -f "$prog" ] || [ ! -x "$prog" ]; then
			continue
		fi
		any=1
		if module_loaded; then
			run_program "$prog"
		else
			fail "${prog##*/}.run" "not run: the module is not loaded"
		fi
	done
	[ -n "$any" ] || fail harness.test_programs "there is no program in /tests"
}

test_unload_refused_while_open() {
	local t out holder

	t=module.unload_refused_while_open
	if ! module_loaded; then
		fail "$t" "the module is not loaded"
		return
	fi
	# shellcheck disable=SC2217 # sleep only has to hold the fd open
	sleep 1000 <"$DEV" &
	holder=$!
	if ! wait_until 50 has_fd "$holder" "$DEV"; then
		fail "$t" "pid $holder did not open $DEV"
	elif out=$(rmmod ipcchan 2>&1); then
		fail "$t" "rmmod succeeded while pid $holder held $DEV open"
	elif ! module_loaded; then
		fail "$t" "rmmod failed ($out) but lsmod no longer lists ipcchan"
	else
		pass "$t"
	fi
	kill "$holder" 2>/dev/null
	wait "$holder" 2>/dev/null
}

# A channel fd must pin the module as well, even once the process has closed
# its fd of /dev/ipcchan (the tool does). The channel stays named, so that
# module.unload also checks that the module frees what is left at exit.
test_unload_refused_while_channel_open() {
	local t out holder

	t=module.unload_refused_while_channel_open
	if ! module_loaded; then
		fail "$t" "the module is not loaded"
		return
	fi
	if ! command -v ipcchan >/dev/null; then
		pass "$t" "no /usr/bin/ipcchan in the VM"
		return
	fi
	if ! out=$(ipcchan create harness-hold 2>&1); then
		fail "$t" "ipcchan create harness-hold failed:" "$out"
		return
	fi
	ipcchan recv harness-hold -n 1 </dev/null >/dev/null 2>&1 &
	holder=$!
	if ! wait_until 50 has_fd "$holder" '*ipcchan*'; then
		fail "$t" "ipcchan recv (pid $holder) did not open the channel"
	elif has_fd "$holder" "$DEV"; then
		pass "$t" "ipcchan recv keeps $DEV open too"
	elif out=$(rmmod ipcchan 2>&1); then
		fail "$t" "rmmod succeeded while pid $holder held a channel open"
	elif ! module_loaded; then
		fail "$t" "rmmod failed ($out) but lsmod no longer lists ipcchan"
	else
		pass "$t"
	fi
	kill "$holder" 2>/dev/null
	wait "$holder" 2>/dev/null
}

dev_gone() {
	[ ! -e "$DEV" ]
}

test_module_unload() {
	local t out

	t=module.unload
	if ! module_loaded; then
		fail "$t" "the module is not loaded"
	elif ! out=$(rmmod ipcchan 2>&1); then
		fail "$t" "rmmod failed:" "$out" "$(lsmod | grep '^ipcchan ')"
	elif module_loaded; then
		fail "$t" "rmmod succeeded but lsmod still lists ipcchan"
	elif ! wait_until 50 dev_gone; then
		fail "$t" "$DEV is still there after rmmod"
	else
		pass "$t"
	fi
}

# kmemleak_culprits LEAKS: fail PROGRAM.kmemleak, once, for each program
# that allocated an object of the kmemleak report LEAKS: the program whose
# name is the object's comm (15 characters of it), else the one that ran
# when the object was allocated (its jiffies, in the windows of run_program).
# Scanning after each program instead would cost 6 s of waiting (kmemleak
# reports no object younger than 5 s) and a scan, for every program.
LEAKS_NAMED=' '
kmemleak_culprits() {
	local f prog

	rm -f "$WORK"/leak.*
	printf '%s\n' "$1" | kmemleak_split "$WORK/windows" "$WORK"
	for f in "$WORK"/leak.*; do
		[ -f "$f" ] || continue
		prog=${f##*/leak.}
		case $LEAKS_NAMED in *" $prog "*) continue ;; esac
		LEAKS_NAMED="$LEAKS_NAMED$prog "
		fail "$prog.kmemleak" "kmemleak: objects that $prog allocated and lost:" \
			"$(head -n 60 "$f")"
	done
}

# test_kmemleak NAME: scan for leaks. Run once after the suites, with the
# module loaded, and once after it is unloaded; a report is cleared once
# failed, so that the second scan shows only what is new.
test_kmemleak() {
	local t=$1 leaks start

	if [ ! -e "$KMEMLEAK" ]; then
		pass "$t" "the kernel has no kmemleak"
		return
	fi
	# Objects younger than 5 s are never reported.
	sleep 6
	start=$(uptime_s)
	if ! echo scan >"$KMEMLEAK" 2>/dev/null; then
		pass "$t" "kmemleak is disabled"
		return
	fi
	echo scan >"$KMEMLEAK"
	note "$t: two kmemleak scans took $(awk -v s="$start" -v e="$(uptime_s)" \
		'BEGIN { printf "%.1f", e - s }') s"
	leaks=$(cat "$KMEMLEAK")
	if [ -n "$leaks" ]; then
		kmemleak_culprits "$leaks"
		fail "$t" "$(printf '%s\n' "$leaks" | head -n 100)"
		echo clear >"$KMEMLEAK"
	else
		pass "$t"
	fi
}

# Kernel messages since the start marker (all of them if it rotated out)
# must not report a bug. The harness's own markers are ignored.
test_dmesg_clean() {
	local t log bad

	t=kernel.dmesg_clean
	log=$(dmesg)
	if printf '%s\n' "$log" | grep -q "$MARK start"; then
		log=$(printf '%s\n' "$log" | sed -n "/$MARK start/,\$p")
	fi
	bad=$(printf '%s\n' "$log" | kernel_complaints)
	if [ -n "$bad" ]; then
		fail "$t" "the kernel log reports:" "$(printf '%s\n' "$bad" | head -n 60)"
	else
		pass "$t"
	fi
}

run_demo() {
	local rc line

	emit "$TOKEN_DEMO_BEGIN"
	if [ -f "$DEMO" ] && module_loaded; then
		(cd /tmp && exec timeout -k 5 "$TIMEOUT" sh "$DEMO") </dev/null >"$WORK/demo.out" 2>&1 3>&-
		rc=$?
		kill -KILL -1 2>/dev/null
		while IFS= read -r line || [ -n "$line" ]; do
			emit "$line"
		done <"$WORK/demo.out"
	elif [ -f "$DEMO" ]; then
		emit "The module is not loaded: no demo."
		rc=1
	else
		emit "There is no $DEMO in the initramfs."
		rc=1
	fi
	emit "$TOKEN_DEMO_END $rc"
}

# send_file NAME PATH: PATH's lines on the results channel, after a marker;
# one external cat, as in run_program.
send_file() {
	local relay=$WORK/$1.relay

	# Marker and file in one external cat, as run_program relays results:
	# a builtin's write to the tty that a SIGCHLD interrupts is lost (seen
	# once: the marker of results.csv, and with it the whole file).
	{
		echo "$TOKEN_BENCH_FILE $1"
		if [ -f "$2" ]; then
			cat "$2"
		fi
	} >"$relay"
	cat "$relay"
	cat "$relay" >&3
}

# The benchmark: its progress goes to the console as it runs, its CSV files
# to the results channel at the end.
run_bench() {
	local rc

	if [ ! -x "$BENCH_PROG" ]; then
		fail bench.run "there is no $BENCH_PROG in the initramfs"
		return
	fi
	if ! module_loaded; then
		fail bench.run "not run: the module is not loaded"
		return
	fi
	kmsg "bench $BENCH"
	# shellcheck disable=SC2086 # BENCH_ARGS holds several options
	(cd /tmp && exec timeout -k 5 "$TIMEOUT" "$BENCH_PROG" -v -m "$BENCH" \
		-O "$WORK/open.csv" $BENCH_ARGS) </dev/null >"$WORK/results.csv" 3>&-
	rc=$?
	kill -KILL -1 2>/dev/null
	send_file results.csv "$WORK/results.csv"
	send_file open.csv "$WORK/open.csv"
	emit "$TOKEN_BENCH_END $rc"
	if [ "$rc" -eq 0 ]; then
		pass bench.run
	else
		fail bench.run "ipcchan-bench $(describe_status "$rc")"
	fi
}

finish() {
	emit "$TOKEN_TESTS_DONE $(uptime_s)"
	# Closing the last fd of a tty waits until its output is sent.
	exec 3>&-
	sync
	sleep 0.2
	reboot -f
	# Not reached; PID 1 must not exit.
	while :; do sleep 60; done
}

main() {
	mount_fs
	read_cmdline
	note "init (mode $MODE, kernel $(uname -r), uptime $(uptime_s) s)"
	setup_system
	open_results_channel

	case $MODE in
	demo)
		test_module_load
		run_demo
		test_module_unload
		test_dmesg_clean
		;;
	bench)
		test_module_load
		run_bench
		test_module_unload
		test_dmesg_clean
		;;
	*)
		test_module_load && run_kunit
		run_programs
		test_kmemleak kernel.kmemleak_after_suites
		test_unload_refused_while_open
		test_unload_refused_while_channel_open
		test_module_unload
		test_kmemleak kernel.kmemleak
		test_dmesg_clean
		note_check_times
		;;
	esac
	finish
}

main "$@"
