# shellcheck shell=bash
# shellcheck disable=SC2034 # variables for the scripts that source this file
# SPDX-License-Identifier: GPL-2.0
#
# Shared code of the QEMU harness: sourced by run-tests.sh, run-demo.sh and
# mkinitramfs.sh. It knows how to pick a kernel, build the initramfs and boot
# it; what runs inside the VM is decided by init.sh from the kernel command
# line (harness.mode=tests|demo|bench).
#
# Conventions of the VM (see init.sh):
#   /init                        tests/qemu/init.sh
#   /lib/ipcchan/patterns.sh     tests/qemu/patterns.sh, sourced by /init
#   /lib/ipcchan/ipcchan.ko      the module under test
#   /tests/*                     $BUILD/tests/bin/*, one program each
#   /usr/bin/ipcchan             $BUILD/tools/ipcchan
#   /usr/bin/ipcchanctl          $BUILD/tools/ipcchanctl
#   /usr/bin/ipcchan-bench       $BUILD/tools/ipcchan-bench
#   /usr/lib/libipcchan.so.0     $BUILD/lib/libipcchan.so.0
#   /usr/share/ipcchan/demo.sh   tools/demo.sh
# The console is ttyS0 (the host's stdout, saved as console.log). Result
# lines also go to ttyS1, which the host saves as results.log: kernel
# messages never interleave with them there.

QEMU_HARNESS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$QEMU_HARNESS_DIR/../.." && pwd)

# The tokens of init.sh and the kernel log lines that fail a run.
# shellcheck source-path=SCRIPTDIR source=patterns.sh
. "$QEMU_HARNESS_DIR/patterns.sh"

die() {
	printf '%s: error: %s\n' "${0##*/}" "$*" >&2
	exit 2
}

warn() {
	printf '%s: warning: %s\n' "${0##*/}" "$*" >&2
}

# Print the release ("6.1.0-57-amd64") of a bzImage, read from its setup
# header, or nothing if the file is not a bzImage.
kernel_image_release() {
	local img=$1 magic off

	magic=$(dd if="$img" bs=1 skip=$((0x202)) count=4 2>/dev/null) || return 0
	[[ $magic == HdrS ]] || return 0
	off=$(od -An -tu2 -j $((0x20E)) -N2 "$img" | tr -d ' ')
	[[ -n $off && $off != 0 ]] || return 0
	dd if="$img" bs=1 skip=$((off + 0x200)) count=256 2>/dev/null |
		tr '\0' '\n' | awk 'NR == 1 { print $1 }'
}

# Print the kernel release a module was built for, from its vermagic.
module_release() {
	local ko=$1

	command -v modinfo >/dev/null || return 0
	modinfo -F vermagic "$ko" 2>/dev/null | cut -d' ' -f1
}

# Pick the kernel to boot for a module: the /boot image of the module's
# release, else the newest Debian 6.1 image.
default_kernel() {
	local ko=$1 rel

	rel=$(module_release "$ko")
	if [[ -n $rel && -f /boot/vmlinuz-$rel ]]; then
		echo "/boot/vmlinuz-$rel"
		return
	fi
	find /boot -maxdepth 1 -name 'vmlinuz-6.1.*-amd64' | sort -V | tail -n1
}

# boot_image IMAGE DIR: print the file to give qemu's -kernel. Under TCG,
# unpacking an xz bzImage takes seconds before the kernel even starts; so
# when the kernel inside has a PVH entry point (CONFIG_PVH), extract it once
# into DIR and boot that ELF directly. QEMU_PVH=0 boots IMAGE as it is.
boot_image() {
	local img=$1 dir=$2 off elf rel

	rel=$(kernel_image_release "$img")
	if [[ ${QEMU_PVH:-1} != 1 || -z $rel ]] || ! command -v xz >/dev/null ||
		! command -v readelf >/dev/null; then
		echo "$img"
		return
	fi
	elf=$dir/vmlinux-$rel
	if [[ ! -s $elf || $elf -ot $img ]]; then
		rm -f "$elf"
		off=$(LC_ALL=C grep -abo -m1 $'\xfd7zXZ' "$img" | awk -F: 'NR == 1 { print $1 }') || true
		if [[ -n $off ]] &&
			xz -dc --single-stream < <(tail -c +$((off + 1)) "$img") >"$elf.tmp" 2>/dev/null &&
			readelf -n "$elf.tmp" 2>/dev/null | grep 'note type: (0x00000012)' >/dev/null; then
			mv "$elf.tmp" "$elf"
		fi
		rm -f "$elf.tmp"
	fi
	if [[ -s $elf ]]; then
		echo "$elf"
	else
		echo "$img"
	fi
}

# Fail early, and clearly, when the module cannot load in the kernel.
check_module_matches_kernel() {
	local kernel=$1 ko=$2 krel mrel

	krel=$(kernel_image_release "$kernel")
	mrel=$(module_release "$ko")
	if [[ -n $krel && -n $mrel && $krel != "$mrel" ]]; then
		die "$ko was built for $mrel but $kernel is $krel; rebuild the module with make KDIR=<headers of $krel>"
	fi
}

# copy_into ROOT SRC [DEST]: copy SRC (following symlinks) to ROOT/DEST,
# DEST defaulting to SRC's own path.
copy_into() {
	local root=$1 src=$2 dest=${3:-$2}

	mkdir -p "$root$(dirname "$dest")"
	cp -L "$src" "$root$dest"
}

# Print the shared objects BIN needs, one path a line, the loader included.
# Libraries from $BUILD/lib are left out: they are installed separately.
shared_libs_of() {
	local bin=$1 build=$2 line path

	# A static binary or a script makes ldd fail: it needs nothing.
	local out
	out=$(LD_LIBRARY_PATH="$build/lib" ldd "$bin" 2>/dev/null) || return 0
	while IFS= read -r line; do
		case $line in
		*"=> not found"*)
			die "$bin needs ${line%% *}, which ldd cannot find"
			;;
		*"=> "/*)
			path=${line#*=> }
			path=${path%% (*}
			;;
		[[:space:]]/*)
			path=${line#"${line%%[![:space:]]*}"}
			path=${path%% (*}
			;;
		*)
			continue
			;;
		esac
		[[ $(realpath -m "$path") == "$build/lib/"* ]] && continue
		echo "$path"
	done <<<"$out"
}

# build_initramfs OUT MODULE BUILD: write the gzip'd cpio archive OUT; its
# staging tree is OUT's name with .root instead of .cpio.gz.
build_initramfs() {
	local out=$1 module=$2 build=$3
	local root=${out%.cpio.gz}.root
	local busybox=/bin/busybox applet bin lib libs kunit
	local -a bins=()

	[[ -f $module ]] || die "no module at $module (build it: make module)"
	[[ -x $busybox ]] || die "$busybox is missing (apt-get install busybox-static)"
	command -v cpio >/dev/null || die "cpio is missing (apt-get install cpio)"

	rm -rf "$root"
	mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,usr/lib,dev,proc,sys,tmp,run,root,etc,tests}

	cp "$busybox" "$root/bin/busybox"
	bins+=("$root/bin/busybox")
	while IFS= read -r applet; do
		[[ $applet == bin/busybox ]] && continue
		mkdir -p "$root/$(dirname "$applet")"
		ln -sf /bin/busybox "$root/$applet"
	done < <("$busybox" --list-full)

	install -m 0755 "$QEMU_HARNESS_DIR/init.sh" "$root/init"
	install -D -m 0644 "$QEMU_HARNESS_DIR/patterns.sh" "$root/lib/ipcchan/patterns.sh"
	copy_into "$root" "$module" /lib/ipcchan/ipcchan.ko
	# The KUnit suites, built next to the module when its kernel has KUnit;
	# one left over from a build for another kernel is not for this one.
	kunit=$(dirname "$module")/ipcchan_kunit.ko
	if [[ -f $kunit && $(module_release "$kunit") == "$(module_release "$module")" ]]; then
		copy_into "$root" "$kunit" /lib/ipcchan/ipcchan_kunit.ko
	fi
	if [[ -f $REPO_ROOT/tools/demo.sh ]]; then
		mkdir -p "$root/usr/share/ipcchan"
		install -m 0755 "$REPO_ROOT/tools/demo.sh" "$root/usr/share/ipcchan/demo.sh"
	fi

	if [[ -f $build/lib/libipcchan.so.0 ]]; then
		cp -L "$build/lib/libipcchan.so.0" "$root/usr/lib/"
		bins+=("$root/usr/lib/libipcchan.so.0")
	else
		warn "no $build/lib/libipcchan.so.0 (make lib)"
	fi
	for bin in ipcchan ipcchanctl ipcchan-bench; do
		if [[ -x $build/tools/$bin ]]; then
			install -m 0755 "$build/tools/$bin" "$root/usr/bin/$bin"
			bins+=("$root/usr/bin/$bin")
		else
			warn "no $build/tools/$bin (make tools)"
		fi
	done
	for bin in "$build"/tests/bin/*; do
		[[ -f $bin && -x $bin ]] || continue
		install -m 0755 "$bin" "$root/tests/"
		bins+=("$root/tests/${bin##*/}")
	done
	[[ -n $(ls -A "$root/tests") ]] || warn "no test programs in $build/tests/bin (make tests)"

	# glibc dlopen()s libgcc_s for pthread_cancel() and pthread_exit():
	# ldd does not list it.
	lib=$(ldconfig -p 2>/dev/null | awk '$1 == "libgcc_s.so.1" && /x86-64/ && !n++ { print $NF }')
	[[ -n $lib ]] && copy_into "$root" "$lib"
	for bin in "${bins[@]}"; do
		libs=$(shared_libs_of "$bin" "$build") || exit 2
		while IFS= read -r lib; do
			[[ -z $lib || -e $root$lib ]] || copy_into "$root" "$lib"
		done <<<"$libs"
	done

	# The kernel's built-in initramfs provides /dev/console too; this one
	# matters when it does not (a kernel built with its own INITRAMFS_SOURCE).
	mknod -m 0600 "$root/dev/console" c 5 1 2>/dev/null || true

	mkdir -p "$(dirname "$out")"
	(cd "$root" && find . -mindepth 1 | LC_ALL=C sort |
		cpio -o -H newc -R 0:0 --quiet) | gzip -6 >"$out.tmp"
	mv "$out.tmp" "$out"
}

# run_qemu KERNEL INITRD APPEND CONSOLE_LOG RESULTS_LOG TIMEOUT
# Boot the VM; the console goes to CONSOLE_LOG (and to stdout too when
# VM_CONSOLE=1), the ttyS1 channel to RESULTS_LOG. Sets QEMU_RC to qemu's
# exit status (124 when TIMEOUT seconds ran out) and QEMU_WALL to the
# seconds it ran.
run_qemu() {
	local kernel=$1 initrd=$2 append=$3 console=$4 results=$5 limit=$6
	local start end
	local -a cmd accel=() icount=()

	command -v qemu-system-x86_64 >/dev/null ||
		die "qemu-system-x86_64 is missing (apt-get install qemu-system-x86)"
	# TCG unless asked: a /dev/kvm may be there and still not work.
	if [[ ${QEMU_ACCEL:-tcg} == kvm ]]; then
		accel=(-enable-kvm -cpu host)
	fi
	# Deterministic guest time: QEMU_ICOUNT=shift=0,sleep=off makes the
	# guest clock advance 1 ns per instruction (TCG, one vCPU).
	if [[ -n ${QEMU_ICOUNT:-} ]]; then
		icount=(-icount "$QEMU_ICOUNT")
	fi
	cmd=(qemu-system-x86_64 "${accel[@]}" "${icount[@]}" -m "${QEMU_MEM:-2048}" -smp "${QEMU_SMP:-2}"
		-nographic -no-reboot -nic none
		-kernel "$kernel" -initrd "$initrd" -append "$append"
		-serial mon:stdio -serial "file:$results")

	: >"$console"
	: >"$results"
	start=$(date +%s.%N)
	QEMU_RC=0
	if [[ ${VM_CONSOLE:-0} == 1 ]]; then
		timeout -k 10 "$limit" "${cmd[@]}" </dev/null 2>&1 | tee "$console" |
			strip_escapes || QEMU_RC=${PIPESTATUS[0]}
	else
		timeout -k 10 "$limit" "${cmd[@]}" </dev/null >"$console" 2>&1 ||
			QEMU_RC=$?
	fi
	end=$(date +%s.%N)
	QEMU_WALL=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.1f", e - s }')
	# Serial output ends lines with CRLF, and the firmware clears the screen.
	strip_escapes <"$console" >"$console.tmp"
	mv "$console.tmp" "$console"
	sed -i 's/\r$//' "$results"
}

# Drop carriage returns and terminal escape sequences (the firmware resets
# the terminal, which would clear the user's screen).
strip_escapes() {
	sed -u -e 's/\r$//' -e 's/\x1b\[[0-9;?]*[A-Za-z]//g' -e 's/\x1bc//g' -e 's/\x1b[()][0-9A-Za-z]//g'
}

# The kernel command line of the harness; extra words come from QEMU_APPEND.
kernel_cmdline() {
	local mode=$1

	# movablecore: memory blocks in ZONE_MOVABLE, which the region tests
	# offline (hardening_region); only with the default 2 GiB or more.
	local movable=''

	((${QEMU_MEM:-2048} >= 2048)) && movable=movablecore=${QEMU_MOVABLECORE:-1200M}
	printf 'console=ttyS0 quiet printk.time=1 panic=-1 oops=panic harness.mode=%s harness.timeout=%s %s %s' \
		"$mode" "${TEST_TIMEOUT:-120}" "$movable" "${QEMU_APPEND:-}"
}

# Print the file to parse for results: results.log when ttyS1 worked,
# else the console (a kernel without a second UART).
results_source() {
	local console=$1 results=$2

	if [[ -s $results ]]; then
		echo "$results"
	else
		echo "$console"
	fi
}

# Print, prefixed by "# ", the kernel lines of the console that report a
# bug (patterns.sh), from the start of /init on (or from the top if /init
# never ran).
console_kernel_errors() {
	local console=$1

	awk -v init="$TOKEN_KMSG init" '
		{ lines[NR] = $0 }
		index($0, init) && !start { start = NR }
		END { for (i = (start ? start : 1); i <= NR; i++) print lines[i] }' "$console" |
		kernel_complaints | sed "s/^/$RESULT_DIAG/"
}

# Parse options shared by the host scripts into KERNEL, MODULE, BUILD, OUT.
parse_common_args() {
	local usage=$1
	shift
	while (($#)); do
		case $1 in
		-k | --kernel) KERNEL=$2; shift 2 ;;
		-m | --module) MODULE=$2; shift 2 ;;
		-b | --build) BUILD=$2; shift 2 ;;
		-o | --out) OUT=$2; shift 2 ;;
		-t | --timeout) QEMU_TIMEOUT=$2; shift 2 ;;
		-v | --verbose) VM_CONSOLE=1; shift ;;
		-h | --help) printf '%s\n' "$usage"; exit 0 ;;
		*) printf '%s\n' "$usage" >&2; exit 2 ;;
		esac
	done
	BUILD=${BUILD:-$REPO_ROOT/build}
	MODULE=${MODULE:-$REPO_ROOT/ipcchan.ko}
	OUT=${OUT:-$BUILD/qemu}
	QEMU_TIMEOUT=${QEMU_TIMEOUT:-900}
	if [[ -z ${KERNEL:-} ]]; then
		KERNEL=$(default_kernel "$MODULE")
	fi
	[[ -n $KERNEL && -f $KERNEL ]] || die "no kernel image '${KERNEL:-}' (apt-get install linux-image-amd64, or pass --kernel)"
	[[ -f $MODULE ]] || die "no module at $MODULE (make module)"
	BUILD=$(realpath "$BUILD")
	MODULE=$(realpath "$MODULE")
	mkdir -p "$OUT"
	OUT=$(realpath "$OUT")
	check_module_matches_kernel "$KERNEL" "$MODULE"
}

COMMON_USAGE='  -k, --kernel IMAGE   kernel to boot (env KERNEL; default: the /boot
                       image matching the module'"'"'s vermagic)
  -m, --module KO      module to test (env MODULE; default: ./ipcchan.ko)
  -b, --build DIR      build directory (env BUILD; default: ./build)
  -o, --out DIR        where the initramfs and logs go (env OUT; default: BUILD/qemu)
  -t, --timeout SECS   host timeout for the whole VM run (env QEMU_TIMEOUT; 900)
  -v, --verbose        stream the VM console while it runs (env VM_CONSOLE=1)
Other environment: TEST_TIMEOUT (per program in the VM, 120 s), QEMU_APPEND
(extra kernel command line), QEMU_MEM (2048; from 2048 on, the kernel
gets movablecore=QEMU_MOVABLECORE, 1200M), QEMU_SMP (2), QEMU_ACCEL
(tcg, or kvm where KVM works), QEMU_PVH (1: boot the ELF inside an xz
bzImage when it has a PVH entry, which skips seconds of decompression),
QEMU_ICOUNT (qemu -icount options, e.g. shift=0,sleep=off; none by default).'

# boot_vm MODE: build the initramfs and boot it in MODE (tests, demo, bench).
# Sets CONSOLE_LOG, RESULTS_LOG and RESULTS_SRC (the one to parse), besides
# QEMU_RC and QEMU_WALL.
boot_vm() {
	local mode=$1 prefix='' initrd=$OUT/initramfs.cpio.gz image

	[[ $mode == tests ]] || prefix=$mode-
	CONSOLE_LOG=$OUT/${prefix}console.log
	RESULTS_LOG=$OUT/${prefix}results.log

	printf '# kernel %s (%s)\n' "$KERNEL" "$(kernel_image_release "$KERNEL")"
	printf '# module %s (%s)\n' "$MODULE" "$(module_release "$MODULE")"
	build_initramfs "$initrd" "$MODULE" "$BUILD"
	printf '# initramfs %s (%s KiB)\n' "$initrd" "$(($(stat -c %s "$initrd") / 1024))"
	image=$(boot_image "$KERNEL" "$OUT")
	[[ $image == "$KERNEL" ]] || printf '# booting %s, the ELF kernel inside it (PVH entry)\n' "$image"
	printf '# booting the VM (%s), console in %s\n' "${QEMU_ACCEL:-tcg}" "$CONSOLE_LOG"
	run_qemu "$image" "$initrd" "$(kernel_cmdline "$mode")" \
		"$CONSOLE_LOG" "$RESULTS_LOG" "$QEMU_TIMEOUT"
	RESULTS_SRC=$(results_source "$CONSOLE_LOG" "$RESULTS_LOG")
}

# Explain how qemu ended, for a run that did not complete.
describe_qemu_end() {
	case $QEMU_RC in
	0) echo "qemu exited after ${QEMU_WALL} s before the end of the run (kernel panic or init died?)" ;;
	124 | 137) echo "the host timeout of ${QEMU_TIMEOUT} s ran out: qemu was killed" ;;
	*) echo "qemu exited with status $QEMU_RC after ${QEMU_WALL} s" ;;
	esac
}
