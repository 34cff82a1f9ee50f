#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Builds (once) a debug kernel from Debian's linux-source-6.1 with the config
# fragment next to this script, and prints its build directory: a KDIR that
# out-of-tree modules build against, holding arch/x86/boot/bzImage.
#
# The kernel is cached in $IPCCHAN_CACHE (default /var/cache/ipcchan), under
# a key made from the fragment and the source version, so only the first
# run pays for the build (about 14 minutes on 2 cores). Progress goes to
# stderr; only the directory goes to stdout.

set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
fragment=$here/debug.config
cache=${IPCCHAN_CACHE:-/var/cache/ipcchan}
tarball=/usr/src/linux-source-6.1.tar.xz

say() { printf 'debug-kernel: %s\n' "$*" >&2; }

[ -f "$tarball" ] || { say "$tarball is missing: install linux-source-6.1"; exit 1; }
srcver=$(dpkg-query -W -f='${Version}' linux-source-6.1)
key=$( { cat "$fragment"; echo "$srcver"; } | sha256sum | cut -c1-12)
out=$cache/debug-6.1-$key

if [ -f "$out/.ipcchan-built" ]; then
	echo "$out"
	exit 0
fi

src=$cache/linux-source-6.1-$srcver
mkdir -p "$cache"
if [ ! -f "$src/.unpacked" ]; then
	say "unpacking $tarball"
	rm -rf "$src" "$src.tmp"
	mkdir -p "$src.tmp"
	tar -xJf "$tarball" -C "$src.tmp" --strip-components=1
	touch "$src.tmp/.unpacked"
	mv "$src.tmp" "$src"
fi

say "configuring $out"
rm -rf "$out"
mkdir -p "$out"
make -s -C "$src" O="$out" tinyconfig >&2
"$src/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" "$fragment" >&2
make -s -C "$src" O="$out" olddefconfig >&2

# merge_config.sh drops what kconfig refuses; the build must not go on
# without the checkers it exists for.
missing=
while read -r opt; do
	grep -qx "$opt" "$out/.config" || missing="$missing ${opt%%=*}"
done < <(grep -E '^CONFIG_(KASAN|UBSAN|PROVE_LOCKING|DEBUG_KMEMLEAK|KUNIT|FAILSLAB|FAIL_PAGE_ALLOC|DEBUG_ATOMIC_SLEEP|USER_NS|MEMCG)=' "$fragment")
[ -z "$missing" ] || { say "the config lost:$missing"; exit 1; }

say "building bzImage and modules with $(nproc) jobs (about 14 minutes on 2 cores)"
start=$(date +%s)
make -s -C "$out" -j"$(nproc)" bzImage modules >&2
touch "$out/.ipcchan-built"
say "built in $(( $(date +%s) - start )) s"
echo "$out"
