# SPDX-License-Identifier: GPL-2.0
#
# Top-level Makefile, for users. Kbuild reads ./Kbuild instead of this file
# when it builds the module.
#
#   make              build the module, the library, the tool and the tests
#   make check        install missing packages, build, run the tests in QEMU
#   make demo         install missing packages, build, run the demo in QEMU
#   make bench        install missing packages (gnuplot too), build, run the
#                     benchmark in QEMU (icount, then real time), write
#                     bench-results/ (CSV, table, plots)
#   make help         all targets and variables
#
# KDIR selects the kernel the module is built for, and KERNEL the image the
# VM boots; by default the newest Debian 6.1 kernel whose image and headers
# are both installed, and the image matching KDIR.

BUILD ?= $(CURDIR)/build

# The newest /boot/vmlinuz-6.1.*-amd64 that has its headers installed.
DEFAULT_KREL := $(shell ls /boot/vmlinuz-6.1.*-amd64 2>/dev/null | \
	sed 's|^/boot/vmlinuz-||' | sort -V | \
	while read -r r; do [ -d "/usr/src/linux-headers-$$r" ] && echo "$$r"; done | \
	tail -n 1)
KDIR ?= /usr/src/linux-headers-$(DEFAULT_KREL)

# The release of the tree in KDIR, and the image to boot for it: the tree's
# own bzImage (a kernel built from source), else the /boot image.
KREL = $(shell sed -n 's/.*UTS_RELEASE "\(.*\)"/\1/p' \
	$(KDIR)/include/generated/utsrelease.h 2>/dev/null)
KERNEL ?= $(firstword $(wildcard $(KDIR)/arch/x86/boot/bzImage) \
	$(wildcard /boot/vmlinuz-$(KREL)))

# The bookworm-backports style 6.12 headers, for `make module-6.12`.
KDIR_6_12 := $(lastword $(sort $(wildcard /usr/src/linux-headers-6.12.*-amd64)))

DEB_PACKAGES := linux-image-amd64 linux-headers-amd64 qemu-system-x86 \
	busybox-static cpio gzip pkg-config libnl-3-dev libnl-genl-3-dev \
	gcc make libc6-dev \
	linux-source-6.1 xz-utils bc flex bison libelf-dev libssl-dev dwarves

SHELL_SCRIPTS := tests/qemu/lib.sh tests/qemu/init.sh tests/qemu/run-tests.sh \
	tests/qemu/run-demo.sh tests/qemu/mkinitramfs.sh tools/demo.sh .ci/run \
	tests/check-all.sh tests/debug-kernel/build.sh tests/qemu/run-bench.sh \
	tools/bench/report.sh tests/qemu/patterns.sh tests/qemu/test-patterns.sh \
	tests/host/check-harness.sh

# Only `make bench` needs these, for its plots.
BENCH_PACKAGES := gnuplot-nox

# The fuzzer (tests/fuzz): how long it runs in check-debug and in fuzz,
# with which seed (printed, so that a failure can be replayed) and workers.
# check and check-debug derive the seed from the date and the commit, fuzz
# from the clock; FUZZ_SEED=<seed> replays one.
FUZZ_SEED ?= $(shell echo "$$(date -u +%Y%m%d)$$(git rev-parse --short=7 HEAD 2>/dev/null)" | \
	cksum | cut -d' ' -f1)
FUZZ_PROCS ?= 4
FUZZ_CHECK_SECONDS ?= 75
FUZZ_SECONDS ?= 600
export FUZZ_SEED FUZZ_PROCS FUZZ_CHECK_SECONDS

QEMU_ARGS = --kernel "$(KERNEL)" --module "$(CURDIR)/ipcchan.ko" --build "$(BUILD)"

.PHONY: all module lib tools tests check check-vm check-debug debug-kernel \
	demo demo-vm deps bench bench-vm bench-deps clean module-6.12 shellcheck help fuzz

all: module lib tools tests

module:
	@test -f "$(KDIR)/Makefile" || { \
		echo "No kernel headers in KDIR='$(KDIR)'." >&2; \
		echo "Run 'make deps' (as root), or pass KDIR=<kernel build tree>." >&2; \
		exit 1; }
	$(MAKE) -C "$(KDIR)" M="$(CURDIR)" W=1 modules

# Builds the module against the 6.12 headers; this replaces ./ipcchan.ko.
module-6.12:
	@test -n "$(KDIR_6_12)" || { echo "No /usr/src/linux-headers-6.12.*-amd64 installed." >&2; exit 1; }
	$(MAKE) module KDIR="$(KDIR_6_12)"

lib:
	$(MAKE) -C libuser BUILD="$(BUILD)"

tools: lib
	$(MAKE) -C tools BUILD="$(BUILD)"

tests: lib
	$(MAKE) -C tests BUILD="$(BUILD)"

# check and demo install what is missing first, then start a new make, which
# finds the kernel and headers that deps may just have installed. check runs
# every suite on the stock kernel and again on the debug kernel.
check: deps
	tests/check-all.sh

# The debug kernel alone: built once (about 14 minutes), then cached.
debug-kernel:
	tests/debug-kernel/build.sh

check-debug: all
	$(MAKE) check-vm KDIR="$$(tests/debug-kernel/build.sh)" \
		QEMU_APPEND="kmemleak=on harness.debug=1 harness.fuzz_seconds=$(FUZZ_CHECK_SECONDS) harness.fuzz_seed=$(FUZZ_SEED) harness.fuzz_procs=$(FUZZ_PROCS)"

# The fuzzer alone, FUZZ_SECONDS long, on the debug kernel (KDIR defaults to
# it): a VM whose only program is ipcchan-fuzz. ./ipcchan.ko is rebuilt for
# the stock kernel afterwards.
FUZZ_KDIR = $(if $(filter command line,$(origin KDIR)),$(KDIR),$$(tests/debug-kernel/build.sh))
# A new seed each time unless FUZZ_SEED is given.
FUZZ_RUN_SEED = $(if $(filter command line environment,$(origin FUZZ_SEED)),$(FUZZ_SEED),$(shell date +%s))
fuzz: lib tests
	@kdir="$(FUZZ_KDIR)" && \
	$(MAKE) --no-print-directory module KDIR="$$kdir" && \
	rm -rf "$(BUILD)/fuzz" && mkdir -p "$(BUILD)/fuzz/tests/bin" && \
	cp -a "$(BUILD)/lib" "$(BUILD)/fuzz/" && \
	cp "$(BUILD)/tests/bin/ipcchan-fuzz" "$(BUILD)/fuzz/tests/bin/" && \
	TEST_TIMEOUT=$$(($(FUZZ_SECONDS) + 120)) \
	QEMU_TIMEOUT=$$(($(FUZZ_SECONDS) + 600)) \
	QEMU_APPEND="kmemleak=on harness.fuzz_seconds=$(FUZZ_SECONDS) harness.fuzz_seed=$(FUZZ_RUN_SEED) harness.fuzz_procs=$(FUZZ_PROCS)" \
	tests/qemu/run-tests.sh --kernel "$$kdir/arch/x86/boot/bzImage" \
		--module "$(CURDIR)/ipcchan.ko" --build "$(BUILD)/fuzz" \
		--out "$(BUILD)/fuzz/qemu"; \
	rc=$$?; $(MAKE) --no-print-directory -s module >/dev/null 2>&1; exit $$rc

# The kernel log matcher of tests/qemu/patterns.sh and the harness's
# fixtures are checked on the host first (make -C tests check-host); quiet
# unless that fails.
check-vm: all
	@test -n "$(KERNEL)" || { echo "No kernel image for KDIR='$(KDIR)'; pass KERNEL=<bzImage>." >&2; exit 1; }
	@out=$$($(MAKE) --no-print-directory -s -C tests check-host BUILD="$(BUILD)" NO_LIB=1 2>&1) || \
		{ printf '%s\n' "$$out" >&2; echo "check-vm: the host checks of the test tooling failed" >&2; exit 1; }
	tests/qemu/run-tests.sh $(QEMU_ARGS)

demo: deps
	$(MAKE) demo-vm

demo-vm: all
	@test -n "$(KERNEL)" || { echo "No kernel image for KDIR='$(KDIR)'; pass KERNEL=<bzImage>." >&2; exit 1; }
	tests/qemu/run-demo.sh $(QEMU_ARGS)

bench: deps bench-deps
	$(MAKE) bench-vm

bench-vm: all
	@test -n "$(KERNEL)" || { echo "No kernel image for KDIR='$(KDIR)'; pass KERNEL=<bzImage>." >&2; exit 1; }
	tests/qemu/run-bench.sh $(QEMU_ARGS) --out "$(BUILD)/bench"

bench-deps:
	@$(MAKE) --no-print-directory deps DEB_PACKAGES="$(BENCH_PACKAGES)"

deps:
	@missing=; \
	for p in $(DEB_PACKAGES); do \
		[ "$$(dpkg-query -W -f='$${db:Status-Status}' $$p 2>/dev/null)" = installed ] || \
			missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" != 0 ]; then \
			echo "deps: missing packages:$$missing; run 'make deps' as root." >&2; \
			exit 1; \
		fi; \
		echo "deps: installing$$missing"; \
		apt-get update && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $$missing; \
	fi

clean:
	if [ -f "$(KDIR)/Makefile" ]; then $(MAKE) -C "$(KDIR)" M="$(CURDIR)" clean; fi
	rm -rf "$(BUILD)"

shellcheck:
	shellcheck -x $(SHELL_SCRIPTS)

help:
	@echo 'Targets:'
	@echo '  all (default)  module, lib, tools and tests'
	@echo '  module         ipcchan.ko, built with W=1 against KDIR'
	@echo '  module-6.12    ipcchan.ko against the installed 6.12 headers'
	@echo '  lib tools tests  the userspace parts, into BUILD'
	@echo '  check          deps, then every test on the stock and on the debug kernel'
	@echo '  check-vm       all, then the tests in QEMU on KDIR'"'"'s kernel, without deps'
	@echo '  check-debug    all, then the tests on the debug kernel (KASAN, lockdep, kmemleak)'
	@echo '  debug-kernel   build the debug kernel once (cached in /var/cache/ipcchan)'
	@echo '  fuzz           ipcchan-fuzz alone for FUZZ_SECONDS on the debug kernel'
	@echo '  demo           deps, all, then the demo in QEMU (demo-vm)'
	@echo '  demo-vm        all, then the demo in QEMU, without deps'
	@echo '  bench          deps, bench-deps, then bench-vm'
	@echo '  bench-vm       all, then the benchmark in QEMU (icount, then real time);'
	@echo '                 bench-results/results.csv, open.csv, targets.txt, PNG plots'
	@echo '  bench-deps     install gnuplot-nox for the plots (root)'
	@echo '  deps           install the missing Debian packages (root)'
	@echo '  clean          remove the build outputs'
	@echo '  shellcheck     lint the harness scripts'
	@echo 'Variables:'
	@echo '  KDIR=$(KDIR)'
	@echo '  KERNEL=$(KERNEL)'
	@echo '  BUILD=$(BUILD)'
	@echo '  FUZZ_SEED=$(FUZZ_SEED) FUZZ_PROCS=$(FUZZ_PROCS)'
	@echo '  FUZZ_SECONDS=$(FUZZ_SECONDS) (make fuzz), FUZZ_CHECK_SECONDS=$(FUZZ_CHECK_SECONDS) (check)'
	@echo 'Environment of check/demo: VM_CONSOLE=1 (stream the VM console),'
	@echo '  TEST_TIMEOUT (s per test program, 120), QEMU_TIMEOUT (s per VM, 900),'
	@echo '  QEMU_APPEND (extra kernel command line)'
