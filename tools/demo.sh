#!/bin/sh
# shellcheck shell=dash
# SPDX-License-Identifier: GPL-2.0
#
# Unrelated processes share data through ipcchan: messages through a
# channel, memory through a region, and records through a zero-copy ring in
# a region. Then ipcchanctl lists what the module holds and shows its events.
#
# `make demo` runs this inside the test VM, as root, with the module loaded
# and the tools at /usr/bin/ipcchan and /usr/bin/ipcchanctl. It runs the same
# way on any machine where that holds: sh tools/demo.sh [NAME]; the channel
# is NAME, the region NAME-region, the ring NAME-ring, and section 4 uses
# NAME-ctl and NAME-shm.

set -eu

CHAN=${1:-demo}
REGION=$CHAN-region
RING=$CHAN-ring
CTL=$CHAN-ctl
SHM=$CHAN-shm
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

# wait_for TENTHS COMMAND...: retry COMMAND every 0.1 s, TENTHS times at most.
wait_for() {
	n=$1
	shift
	while ! "$@"; do
		n=$((n - 1))
		if [ "$n" -le 0 ]; then
			echo "gave up waiting for: $*"
			return 1
		fi
		sleep 0.1
	done
}

# attached NAME KEY: region NAME has at least one file counted under KEY.
attached() {
	ipcchan region info "$1" 2>/dev/null | grep -q "^$2: [1-9]"
}

echo "=== ipcchan demo: unrelated processes share data through /dev/ipcchan"
echo
echo "=== 1. A channel: messages copied through the kernel"

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
echo "=== 2. A region: memory the kernel owns, mapped by each process"

step "Create the region '$REGION': 8 KiB, mode 0600, zero-filled"
run ipcchan region create "$REGION" 8K -m 0600 -x

step "A writer maps the region, writes a line into its mapping and exits"
echo "\$ ipcchan region write $REGION 0 \"hello from pid <writer>, ...\""
# shellcheck disable=SC2016 # expanded by the writer's shell
sh -c 'exec ipcchan region write "$1" 0 "hello from pid $$, written through its own mapping"' \
	writer "$REGION"
echo "writer: gone; what it wrote stays in the region, which the kernel keeps"

step "A reader in a new session, unrelated to the writer and to this script, maps it read-only and prints it"
echo "\$ (setsid sh -c 'ipcchan region read $REGION 0 200' &)"
(
	# shellcheck disable=SC2016 # expanded by the reader's shell
	setsid sh -c '
		sleep 0.2
		read -r _ _ _ ppid _ sid _ </proc/$$/stat
		echo "reader: pid $$, alone in its session $sid, parent $ppid (init)" >"$1/reader.info"
		ipcchan region read "$2" 0 200 >"$1/reader.out" 2>&1
		echo $? >"$1/reader.rc"
	' reader "$TMP" "$REGION" &
)
wait_for 100 test -s "$TMP/reader.rc"
cat "$TMP/reader.info"
echo "what the reader printed:"
cat "$TMP/reader.out"
if [ "$(cat "$TMP/reader.rc")" -ne 0 ]; then
	echo "the reader failed"
	exit 1
fi

step "The region: 8192 bytes, and no mapping left now that both processes have exited"
run ipcchan region info "$REGION"

step "Unlink the region: with no fd or mapping left, its memory goes with its name"
run ipcchan region unlink "$REGION"

echo
echo "=== 3. A ring in a region: records written and read in place, never copied by the kernel"

step "Create the ring '$RING': a region whose header describes a 4 KiB ring"
run ipcchan ring create "$RING" 4096

step "Start a consumer: it maps the ring and sleeps in the kernel while the ring is empty"
echo "\$ ipcchan ring recv $RING -t 10000 &"
ipcchan ring recv "$RING" -t 10000 >"$TMP/ring.out" 2>&1 &
cons=$!
wait_for 100 attached "$RING" consumers
run ipcchan region info "$RING"

step "Start a producer in a new session, from a subshell that exits at once"
echo "\$ (setsid sh -c 'exec ipcchan ring send $RING \"record 1 from pid \$\$\" ...' &)"
(
	# shellcheck disable=SC2016 # expanded by the producer's shell
	setsid sh -c '
		sleep 0.2
		read -r _ _ _ ppid _ sid _ </proc/$$/stat
		echo "producer: pid $$, alone in its session $sid, parent $ppid (init)" >"$1/producer.info"
		ring=$2
		n=$3
		set --
		i=1
		while [ "$i" -le "$n" ]; do
			set -- "$@" "record $i from pid $$"
			i=$((i + 1))
		done
		exec ipcchan ring send "$ring" "$@"
	' producer "$TMP" "$RING" "$COUNT" >"$TMP/producer.out" 2>&1 &
)

status=0
wait "$cons" || status=$?
cat "$TMP/producer.info" 2>/dev/null || echo "producer: did not start"
cat "$TMP/producer.out"

step "What the consumer printed: every record, then it exited once the producer was gone"
cat "$TMP/ring.out"
if [ "$status" -ne 0 ]; then
	echo "the consumer failed with status $status"
	exit "$status"
fi

step "The ring's region afterwards: nobody attached, no mapping; wakes counts the kernel wake-ups"
run ipcchan region info "$RING"
run ipcchan region unlink "$RING"

echo
echo "=== 4. The control plane: what the module holds, and its events, through generic netlink"

step "Watch the module's events in the background: 7 of them, 10 s at most"
echo "\$ ipcchanctl monitor -n 7 -t 10000 &"
ipcchanctl monitor -n 7 -t 10000 >"$TMP/monitor.out" 2>&1 &
mon=$!
# Events from before the monitor subscribed are not delivered to it.
sleep 1

step "Make some events: a channel that holds 2 messages, 3 sends, a region"
run ipcchan create "$CTL" -m 0640 -s 64 -n 2 -x
echo "\$ ipcchan send -N $CTL one two three"
ipcchan send -N "$CTL" one two three ||
	echo "(the third send was refused: the channel holds 2 messages)"
run ipcchan region create "$SHM" 64K -m 0600 -x

step "Every channel and region of the machine: owner, mode, creator, queue, counters"
run ipcchanctl list

step "One channel in full"
run ipcchanctl show "$CTL"

step "Raise its limit, then delete both objects, as an administrator"
run ipcchanctl set "$CTL" max_msgs 4
run ipcchanctl delete "$CTL"
run ipcchanctl delete "$SHM" -k region

step "What the monitor printed: SEQ ID KIND NAME EVENT"
status=0
wait "$mon" || status=$?
cat "$TMP/monitor.out"
if [ "$status" -ne 0 ]; then
	echo "the monitor failed with status $status"
	exit "$status"
fi

echo
echo "=== done: $COUNT messages through a channel, a line through a region, $COUNT records through a ring, and the objects and events seen through ipcchanctl"
