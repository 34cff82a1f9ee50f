# shellcheck shell=sh
# shellcheck disable=SC2034 # variables for the scripts that source this file
# SPDX-License-Identifier: GPL-2.0
#
# What the test VM and the host agree on, defined once: the kernel log lines
# that fail a run, the result lines, the harness's markers, and how a
# kmemleak report is read.
#
#   tests/qemu/init.sh     in the VM (busybox sh), as /lib/ipcchan/patterns.sh
#                          (lib.sh's build_initramfs copies it there)
#   tests/qemu/lib.sh      on the host: run-tests.sh, run-demo.sh,
#                          run-bench.sh, mkinitramfs.sh, make fuzz
#   tests/check-all.sh     the numbered report of run-tests.sh
#   tests/Makefile         $(BUILD)/tests/include/patterns.h for the test
#                          programs (patterns_c_header below): the result
#                          lines of harness.c, the exit statuses, and the
#                          kernel log check of tests/user/nl_util.h
#   tests/qemu/test-patterns.sh   checks the matcher on sample lines
#
# POSIX sh only, for busybox sh and bash alike. The regular expressions are
# extended ones (grep -E, awk, regcomp REG_EXTENDED) without backslashes or
# quotes, so that they pass unchanged through awk -v and C strings.

# A kernel log line that reports a kernel bug: WARN and BUG (lockdep and
# KASAN reports start with one too), oopses, sanitizers, leaks, refcount
# errors, hung tasks, RCU stalls, list corruption, and any stack trace.
KERNEL_BAD_RE='BUG[: ]|WARNING:|Oops|general protection|Kernel panic|Call Trace|KASAN|UBSAN|KFENCE|refcount_t|lockdep|kmemleak|sleeping function called|INFO: task .* blocked|detected stall|list_(add|del) corruption'

# A kernel line carries a printk timestamp (printk.time=1 is on the command
# line); that tells it apart from the output of a program on the console.
KERNEL_LINE_RE='[[] *[0-9]+[.][0-9]+[]]'

# The result lines of a test program, and of init.sh:
#   ok - suite.test
#   ok - suite.test # SKIP reason
#   not ok - suite.test
#   # diagnostic        (before the result it explains)
RESULT_PASS='ok - '
RESULT_FAIL='not ok - '
RESULT_SKIP=' # SKIP '
RESULT_DIAG='# '
# The numbered report of run-tests.sh (ok 12 - suite.test) and its last line.
REPORT_RESULT_RE='^(not )?ok [0-9]+ - '
REPORT_SUMMARY_RE='^[0-9]+ passed, [0-9]+ failed'

# Exit statuses of a test program (and of a test inside it).
EXIT_PASS=0
EXIT_FAIL=1
EXIT_SKIP=77

# Markers of init.sh on the results channel (see init.sh for their fields).
TOKEN_PROGRAM=IPCCHAN-PROGRAM
TOKEN_PROGRAM_END=IPCCHAN-PROGRAM-END
TOKEN_TESTS_DONE=IPCCHAN-TESTS-DONE
TOKEN_DEMO_BEGIN=IPCCHAN-DEMO-BEGIN
TOKEN_DEMO_END=IPCCHAN-DEMO-END
TOKEN_BENCH_FILE=IPCCHAN-BENCH-FILE
TOKEN_BENCH_END=IPCCHAN-BENCH-END
# The prefix of init.sh's lines in the kernel log and on the console; a
# program's window in the kernel log starts at "$TOKEN_KMSG run <program>".
TOKEN_KMSG=ipcchan-harness:

# kernel_complaints: print the lines of stdin that report a kernel bug:
# kernel lines that match KERNEL_BAD_RE, except the harness's own markers
# and the result and diagnostic lines that quote a kernel line.
kernel_complaints() {
	awk -v bad="$KERNEL_BAD_RE" -v kline="$KERNEL_LINE_RE" \
		-v mark="$TOKEN_KMSG" -v pass="$RESULT_PASS" \
		-v failed="$RESULT_FAIL" -v diag="$RESULT_DIAG" '
		index($0, diag) == 1 || index($0, pass) == 1 ||
			index($0, failed) == 1 || index($0, mark) { next }
		$0 ~ kline && $0 ~ bad'
}

# kmemleak_split WINDOWS DIR: split the kmemleak report on stdin into
# DIR/leak.<program>, the objects that each program allocated: the program
# whose name is the object's comm (15 characters of it), else the one whose
# window holds the object's jiffies. WINDOWS has a line "program
# first-jiffies last-jiffies" for each program run. An object of no program
# (allocated at boot, by insmod, between programs) is left out.
kmemleak_split() {
	awk -v windows="$1" -v dir="$2" '
	BEGIN {
		while ((getline l < windows) > 0) {
			n++
			split(l, w, " ")
			prog[n] = w[1]
			from[n] = w[2] + 0
			to[n] = w[3] + 0
		}
	}
	function culprit(comm, j,    i) {
		for (i = 1; i <= n; i++)
			if (comm == substr(prog[i], 1, 15))
				return prog[i]
		for (i = 1; i <= n; i++)
			if (j >= from[i] && j <= to[i])
				return prog[i]
		return ""
	}
	function flush() {
		if (who != "")
			printf "%s", block >> (dir "/leak." who)
		block = who = ""
	}
	/^unreferenced object / { flush() }
	/^  comm "/ {
		comm = $0
		sub(/^  comm "/, "", comm)
		sub(/".*/, "", comm)
		who = culprit(comm, $NF + 0)
	}
	{ block = block $0 "\n" }
	END { flush() }'
}

# patterns_c_header: the definitions above that C needs, as a header.
patterns_c_header() {
	cat <<-EOF
		/* Generated from tests/qemu/patterns.sh: do not edit. */
		#ifndef IPCCHAN_TEST_PATTERNS_H
		#define IPCCHAN_TEST_PATTERNS_H
		#define PATTERN_KERNEL_BAD_RE	"$KERNEL_BAD_RE"
		#define PATTERN_KERNEL_LINE_RE	"$KERNEL_LINE_RE"
		#define PATTERN_RESULT_PASS	"$RESULT_PASS"
		#define PATTERN_RESULT_FAIL	"$RESULT_FAIL"
		#define PATTERN_RESULT_SKIP	"$RESULT_SKIP"
		#define PATTERN_RESULT_DIAG	"$RESULT_DIAG"
		#define PATTERN_EXIT_PASS	$EXIT_PASS
		#define PATTERN_EXIT_FAIL	$EXIT_FAIL
		#define PATTERN_EXIT_SKIP	$EXIT_SKIP
		#define PATTERN_TOKEN_KMSG	"$TOKEN_KMSG"
		#endif
	EOF
}
