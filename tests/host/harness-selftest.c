// SPDX-License-Identifier: GPL-2.0
/*
 * The fixtures of harness.h, checked on the host by tests/host/check-harness.sh:
 * which tests pass, fail and skip, and when the teardown runs. Some of
 * these tests fail on purpose; the script checks the output line by line.
 */
#include "harness.h"

FIXTURE(counted) {
	int n;
	pid_t owner;
};

FIXTURE_SETUP(counted)
{
	self->n = 1;
	self->owner = getpid();
}

FIXTURE_TEARDOWN(counted)
{
	printf("# teardown n=%d in the test's process: %s\n", self->n,
	       self->owner == getpid() ? "yes" : "no");
}

TEST_F(counted, body_returns)
{
	ASSERT_EQ(self->n, 1);
	self->n = 2;
}

TEST_F(counted, assert_fails)
{
	self->n = 3;
	ASSERT_EQ(self->n, 4);
	self->n = 5;
}

TEST_F(counted, expect_fails)
{
	EXPECT_EQ(self->n, 6);
	self->n = 7;
}

TEST_F(counted, skips)
{
	self->n = 8;
	SKIP("skipped on purpose");
}

TEST_F(counted, child_fails)
{
	pid_t pid;
	int status;

	fflush(stdout);
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		self->n = 9;
		ASSERT_EQ(self->n, 0);
	}
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	self->n = 10;
	ASSERT_EQ(WEXITSTATUS(status), HARNESS_EXIT_FAIL);
}

FIXTURE(skipping) {
	int unused;
};

FIXTURE_SETUP(skipping)
{
}

FIXTURE_TEARDOWN(skipping)
{
	printf("# teardown of skipping\n");
	SKIP("a teardown that skips");
}

TEST_F(skipping, failure_stays_failure)
{
	ASSERT_TRUE(0);
}

FIXTURE(failing_setup) {
	int unused;
};

FIXTURE_SETUP(failing_setup)
{
	ASSERT_TRUE(0);
}

FIXTURE_TEARDOWN(failing_setup)
{
	printf("# teardown of failing_setup\n");
}

TEST_F(failing_setup, not_run)
{
	printf("# body of not_run\n");
}

TEST(plain)
{
	ASSERT_TRUE(1);
}

TEST_MAIN("selftest")
