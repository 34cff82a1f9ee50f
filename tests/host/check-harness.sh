#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs build/tests/host/harness-selftest (tests/host/harness-selftest.c) and
# checks its output: the results of tests that pass, fail and skip on
# purpose, and when their fixtures' teardowns run. On the host, without a
# VM. `make -C tests check-host` runs it.
#
# Usage: tests/host/check-harness.sh HARNESS-SELFTEST-PROGRAM

set -uo pipefail

want='# teardown n=2 in the test'"'"'s process: yes
ok - selftest.body_returns
# teardown n=3 in the test'"'"'s process: yes
not ok - selftest.assert_fails
# teardown n=7 in the test'"'"'s process: yes
not ok - selftest.expect_fails
# teardown n=8 in the test'"'"'s process: yes
ok - selftest.skips # SKIP skipped on purpose
# teardown n=10 in the test'"'"'s process: yes
ok - selftest.child_fails
# teardown of skipping
not ok - selftest.failure_stays_failure
not ok - selftest.not_run
ok - selftest.plain
# selftest: 3 passed, 4 failed, 1 skipped'

# The teardown lines and the results; the ASSERT diagnostics vary.
got=$("$1" 2>&1 | grep -E '^(# teardown|# body|(not )?ok - |# selftest:)')
if [[ $got == "$want" ]]; then
	echo "ok - harness.fixtures"
else
	echo "not ok - harness.fixtures"
	diff <(printf '%s\n' "$want") <(printf '%s\n' "$got") | sed 's/^/# /'
	exit 1
fi
