#!/bin/bash
# Decide whether QEMU can use KVM here, by booting a kernel under it.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

usage() {
	cat <<EOF2
Usage: scripts/kvm-probe.sh BZIMAGE

Exit 0 when QEMU with -accel kvm boots BZIMAGE far enough to reach the
root-mount panic within 60 s, 1 otherwise (no /dev/kvm, or the nested-KVM
failures seen on these machines). The answer is cached in
$TOPDIR/build/kvm-probe (shared by both bases); delete it to probe again. Set KUNIT_ACCEL=tcg or
KUNIT_ACCEL=kvm to skip the probe.
EOF2
}

case "${1:-}" in
-h | --help) usage; exit 0 ;;
esac
[[ $# -eq 1 && "$1" != -* ]] || { usage >&2; exit 2; }

case "${KUNIT_ACCEL:-}" in
kvm) exit 0 ;;
tcg) exit 1 ;;
esac

cache="$TOPDIR/build/kvm-probe"
if [[ -f "$cache" ]]; then
	[[ "$(cat "$cache")" == kvm ]]
	exit $?
fi
mkdir -p "$TOPDIR/build"
result=tcg
if [[ -r /dev/kvm && -w /dev/kvm ]]; then
	out="$(timeout 60 qemu-system-x86_64 -accel kvm -nodefaults -m 512 -kernel "$1" \
		-append 'console=ttyS0 kunit.enable=0 panic=-1' -no-reboot -nographic \
		-serial stdio -bios /usr/share/qemu/qboot.rom 2>&1 || true)"
	if grep -q 'VFS: Unable to mount root' <<<"$out"; then
		result=kvm
	fi
fi
printf '%s\n' "$result" >"$cache"
log "kvm-probe: QEMU acceleration here is $result"
[[ "$result" == kvm ]]
