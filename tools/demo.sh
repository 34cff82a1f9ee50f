#!/bin/sh
# shellcheck shell=dash
# SPDX-License-Identifier: GPL-2.0
#
# Two unrelated processes exchange messages through an ipcchan channel.
#
# `make demo` runs this inside the test VM, as root, with the module loaded
# and the tool at /usr/bin/ipcchan. It runs the same way on any machine where
# that holds: sh tools/demo.sh [CHANNEL]

set -eu

CHAN=${1:-demo}
COUNT=5
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

step() {
	printf '\n--- %s\n' "$*"
}

# run CMD...: show a command, then run it.
run() {
	echo "\$ $*"
	"$@"
}

echo "=== ipcchan demo: two unrelated processes talk through /dev/ipcchan"

step "The module, its ABI version and its limits"
run ipcchan version

step "Create the channel '$CHAN': mode 0600, messages up to 256 bytes, 16 queued at most"
run ipcchan create "$CHAN" -m 0600 -s 256 -n 16

step "Start a receiver that waits for $COUNT messages (10 s at most)"
echo "\$ ipcchan recv $CHAN -v -n $COUNT -t 10000 &"
ipcchan recv "$CHAN" -v -n "$COUNT" -t 10000 >"$TMP/recv.out" 2>&1 &
recv=$!
echo "receiver: pid $recv, a child of this script (pid $$)"

step "Start a sender in a new session, from a subshell that exits at once"
# The sender execs the tool, so the pid in the text is the pid that the
# kernel reports to the receiver. It is neither the receiver's parent nor
# its child: once the subshell has exited, its parent is init.
echo "\$ (setsid sh -c 'exec ipcchan send $CHAN \"hello 1 from pid \$\$\" ...' &)"
(
	# shellcheck disable=SC2016 # expanded by the sender's shell
	setsid sh -c '
		sleep 0.2
		read -r _ _ _ ppid _ sid _ </proc/$$/stat
		echo "sender: pid $$, alone in its session $sid, parent $ppid (init): unrelated to the receiver" >"$1/sender.info"
		chan=$2
		n=$3
		set --
		i=1
		while [ "$i" -le "$n" ]; do
			set -- "$@" "hello $i from pid $$"
			i=$((i + 1))
		done
		exec ipcchan send "$chan" "$@"
	' sender "$TMP" "$CHAN" "$COUNT" >"$TMP/send.out" 2>&1 &
)

status=0
wait "$recv" || status=$?
cat "$TMP/sender.info" 2>/dev/null || echo "sender: did not start"
cat "$TMP/send.out"

step "What the receiver printed: the kernel stamps each message with a sequence number and the sender's pid and uid"
cat "$TMP/recv.out"
if [ "$status" -ne 0 ]; then
	echo "the receiver failed with status $status"
	exit "$status"
fi

step "The channel after the exchange: empty, nobody attached"
run ipcchan info "$CHAN"

step "Unlink the channel: its name is gone"
run ipcchan unlink "$CHAN"
if ipcchan info "$CHAN" >/dev/null 2>&1; then
	echo "ipcchan info still finds '$CHAN'"
	exit 1
fi
echo "ipcchan info $CHAN: no such channel any more"

echo
echo "=== done: $COUNT messages went from one process to another through the kernel"
