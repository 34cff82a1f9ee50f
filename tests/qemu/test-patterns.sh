#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Checks the kernel log matcher of patterns.sh on sample lines, without a
# VM: kernel_complaints() in bash (the host's check of the console), in
# busybox sh (init.sh's check after each program, in the VM), and, given
# the path of build/tests/host/kernel-complaints, in C (the test programs'
# harness_kernel_complaint()). Each must print exactly the lines marked
# BAD below. `make -C tests check-patterns` runs it.
#
# Usage: tests/qemu/test-patterns.sh [KERNEL-COMPLAINTS-PROGRAM]

set -euo pipefail

dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=patterns.sh
. "$dir/patterns.sh"

# BAD: a kernel complaint, which fails the run. GOOD: not one.
samples='BAD [   12.345678] WARNING: CPU: 1 PID: 234 at kmod/channel.c:123 ipcchan_chan_release+0x4e/0x60 [ipcchan]
BAD <4>[   12.345678] WARNING: CPU: 0 PID: 77 at kmod/region.c:50 region_free+0x1/0x2 [ipcchan]
BAD [   12.345678] BUG: KASAN: slab-use-after-free in ipcchan_msg_free+0x21/0x80 [ipcchan]
BAD [   12.345678] BUG: unable to handle page fault for address: ffffc90000a3f000
BAD [   12.345678] kernel BUG at mm/slub.c:4178!
BAD [   12.345678] BUG: sleeping function called from invalid context at mm/slab.h:742
BAD [ 1234.567890] watchdog: BUG: soft lockup - CPU#0 stuck for 26s! [stress:333]
BAD [   12.345678] general protection fault, probably for non-canonical address 0xdead000000000100: 0000 [#1] PREEMPT SMP KASAN NOPTI
BAD [   12.345678] Oops: 0002 [#1] PREEMPT SMP NOPTI
BAD [   12.345678] Kernel panic - not syncing: Fatal exception
BAD [   12.345678] UBSAN: shift-out-of-bounds in kmod/limits.c:88:20
BAD [   12.345678] BUG: KFENCE: out-of-bounds read in ipcchan_send+0x10/0x20 [ipcchan]
BAD [   12.345678] refcount_t: underflow; use-after-free.
BAD [   12.345678] WARNING: possible circular locking dependency detected
BAD [   12.345678] INFO: lockdep is turned off.
BAD [   12.345678] kmemleak: 3 new suspected memory leaks (see /sys/kernel/debug/kmemleak)
BAD [  245.000000] INFO: task netlink_events:412 blocked for more than 120 seconds.
BAD [   12.345678] rcu: INFO: rcu_preempt self-detected stall on CPU
BAD [   12.345678] list_del corruption, ffff888004a3c8e8->next is LIST_POISON1 (dead000000000100)
BAD [   12.345678] Call Trace:
GOOD [   12.345678] ipcchan-harness: run hardening_mem
GOOD [   12.345678] ipcchan-harness: kernel.kmemleak: two kmemleak scans took 3.1 s
GOOD ipcchan-harness: init (mode tests, kernel 6.1.0-57-amd64, uptime 1.23 s)
GOOD [   12.345678] ipcchan: module loaded
GOOD [   12.345678] FAULT_INJECTION: forcing a failure.
GOOD [   12.345678] random: crng init done
GOOD ok - kernel.dmesg_clean
GOOD not ok - batch.kernel_log
GOOD ok - kmemleak.scan # SKIP kmemleak is disabled
GOOD # [   12.345678] WARNING: CPU: 1 PID: 234 at kmod/channel.c:123 ipcchan_chan_release+0x4e/0x60 [ipcchan]
GOOD # kmemleak: objects that batch allocated and lost:
GOOD WARNING: a test program printing on the console, without a timestamp
GOOD BUG: KASAN: also without a timestamp'

want=$(printf '%s\n' "$samples" | sed -n 's/^BAD //p')
input=$(printf '%s\n' "$samples" | sed 's/^[A-Z]* //')
status=0

# check NAME OUTPUT: OUTPUT must be exactly the BAD lines.
check() {
	if [[ $2 == "$want" ]]; then
		echo "ok - patterns.$1"
	else
		echo "not ok - patterns.$1"
		diff <(printf '%s\n' "$want") <(printf '%s\n' "$2") | sed 's/^/# /'
		status=1
	fi
}

check bash "$(printf '%s\n' "$input" | kernel_complaints)"
if [[ -x /bin/busybox ]]; then
	# busybox's awk too, as in the VM.
	bb=$(mktemp -d)
	trap 'rm -rf "$bb"' EXIT
	ln -s /bin/busybox "$bb/awk"
	# shellcheck disable=SC2016 # $1 is busybox sh's
	check busybox_sh "$(printf '%s\n' "$input" | PATH=$bb \
		/bin/busybox sh -c '. "$1" && kernel_complaints' sh "$dir/patterns.sh")"
else
	echo "ok - patterns.busybox_sh # SKIP no /bin/busybox"
fi
if [[ -n ${1:-} ]]; then
	check c "$(printf '%s\n' "$input" | "$1")"
fi
# Every BAD sample must be one: a sample the pattern ignores is a typo here.
check samples_are_bad "$(printf '%s\n' "$want" | grep -E "$KERNEL_BAD_RE")"

# kmemleak_split: who allocated each object of a kmemleak report.
leaks='unreferenced object 0xffff888005a1c000 (size 64):
  comm "batch", pid 301, jiffies 4294939000
  backtrace:
    [<ffffffffc0a01234>] ipcchan_msg_alloc+0x34/0x90 [ipcchan]
unreferenced object 0xffff888005a1d000 (size 128):
  comm "kworker/1:2", pid 40, jiffies 4294950010
  backtrace:
    [<ffffffffc0a05678>] nl_event+0x20/0x80 [ipcchan]
unreferenced object 0xffff888005a1e000 (size 32):
  comm "hardening_regio", pid 512, jiffies 4294960000
  backtrace:
unreferenced object 0xffff888005a1f000 (size 16):
  comm "insmod", pid 90, jiffies 4294930000
  backtrace:'
windows='batch 4294938000 4294940000
netlink 4294950000 4294950020
hardening_region 4294959000 4294961000'
want_split='leak.batch 0xffff888005a1c000
leak.hardening_region 0xffff888005a1e000
leak.netlink 0xffff888005a1d000'

# split_with COMMAND...: the files kmemleak_split writes, run by COMMAND
# (a shell), and the object in each.
split_with() {
	local d f

	d=$(mktemp -d) || exit 2
	printf '%s\n' "$windows" >"$d/windows"
	printf '%s\n' "$leaks" | "$@" "$dir/patterns.sh" "$d/windows" "$d"
	for f in "$d"/leak.*; do
		printf '%s %s\n' "${f##*/}" "$(awk '/^unreferenced/ { print $3 }' "$f")"
	done
	rm -rf "$d"
}
want=$want_split
# shellcheck disable=SC2016 # $1.. are the inner shell's
check kmemleak_split_bash "$(split_with bash -c '. "$1" && kmemleak_split "$2" "$3"' sh)"
if [[ -n ${bb:-} ]]; then
	# shellcheck disable=SC2016 # $1.. are the inner shell's
	check kmemleak_split_busybox_sh "$(split_with env PATH="$bb" /bin/busybox sh -c \
		'. "$1" && kmemleak_split "$2" "$3"' sh)"
fi
exit "$status"
