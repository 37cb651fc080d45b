#!/bin/bash
# Boot the patched KUnit kernel with a busybox initramfs and check the console.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

usage() {
	cat <<EOF2
Usage: scripts/smoke.sh [--kernel BZIMAGE]

Boots the fast-lane kernel (default $KUNIT_BUILD_DIR/arch/x86/boot/bzImage)
in QEMU with the initramfs of qemu-configs/init-smoke.sh and the settings of
qemu-configs/smoke.conf. Passes when userspace prints its markers,
amdgpu_init returned 0, QEMU exited on its own, and no line matches
QEMU_BAD_PATTERNS of scripts/lib.sh (BUG:, WARNING:, KASAN, UBSAN,
lockdep, panic, ...).
Console log: $LOG_DIR/smoke.console.log
EOF2
}

kernel="$KUNIT_BUILD_DIR/arch/x86/boot/bzImage"
case "${1:-}" in
-h | --help) usage; exit 0 ;;
--kernel) kernel="$2" ;;
"") ;;
*) usage >&2; exit 2 ;;
esac

# shellcheck source=qemu-configs/smoke.conf
. "$TOPDIR/qemu-configs/smoke.conf"
[[ -f "$kernel" ]] || die "no kernel at $kernel" "run 'make build' first"
grep -q '^CONFIG_BLK_DEV_INITRD=y' "$(dirname "$kernel")/../../../.config" ||
	die "the kernel has no CONFIG_BLK_DEV_INITRD" "keep it in kunit/boot.kunitconfig and rebuild"

mkdir -p "$LOG_DIR"
initrd="$BUILD_DIR/smoke-initramfs.cpio.gz"
"$TOPDIR/scripts/initramfs.sh" "$TOPDIR/qemu-configs/init-smoke.sh" "$initrd"
accel="$(qemu_accel "$kernel")"
console="$LOG_DIR/smoke.console.log"
log "smoke: booting $kernel ($accel); console: $console"
rc=0
qemu_boot "$accel" "$kernel" "$initrd" "$KERNEL_ARGS" "$console" || rc=$?
fail=0
if [[ $rc -eq 124 ]]; then
	log "smoke: FAIL: QEMU did not exit within $QEMU_TIMEOUT s"
	fail=1
fi
for marker in 'SMOKE: userspace reached' 'SMOKE: done'; do
	grep -q "$marker" "$console" || { log "smoke: FAIL: missing '$marker'"; fail=1; }
done
grep -qE 'initcall amdgpu_init\+0x[0-9a-f]+/0x[0-9a-f]+ returned 0' "$console" ||
	{ log "smoke: FAIL: amdgpu_init did not return 0"; fail=1; }
if console_problems "$console" >&2; then
	log "smoke: FAIL: the kernel reported a problem (lines above)"
	fail=1
fi
[[ $fail -eq 0 ]] || die "smoke boot failed (console: $console)" \
	"read the console log; a WARNING/BUG there is a bug to fix, a missing marker means init did not run"
log "smoke: PASS (userspace reached, amdgpu_init returned 0, clean console)"
