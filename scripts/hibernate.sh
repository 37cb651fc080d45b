#!/bin/bash
# Hibernate the patched kernel in QEMU and resume it from the swap disk.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

usage() {
	cat <<EOF2
Usage: scripts/hibernate.sh [--kernel BZIMAGE]

Boot 1: the kernel (default $KUNIT_BUILD_DIR/arch/x86/boot/bzImage)
with the initramfs of qemu-configs/init-hibernate.sh and a swap disk keeps a
marker in RAM and hibernates ('echo disk > /sys/power/state').
Boot 2: the same kernel with resume=/dev/vda restores the image; the
restored init must find its marker. Fails on a missing marker, a fresh
boot instead of a resume, a timeout, or any BUG:/WARNING:/KASAN/UBSAN/
lockdep/panic line. Settings: qemu-configs/hibernate.conf.

A kernel with the series' simulated VFs (either base, amdgpu_kunit.sim_vf=1
on boot 1) has them moved to other VFs by the restore; the restored init
checks their debugfs state, the wedged uevent and the kernel log, and any
failed check fails the cycle.
Consoles: $LOG_DIR/hibernate.boot{1,2}.log
EOF2
}

kernel="$KUNIT_BUILD_DIR/arch/x86/boot/bzImage"
case "${1:-}" in
-h | --help) usage; exit 0 ;;
--kernel) kernel="$2" ;;
"") ;;
*) usage >&2; exit 2 ;;
esac

# shellcheck source=qemu-configs/hibernate.conf
. "$TOPDIR/qemu-configs/hibernate.conf"
[[ -f "$kernel" ]] || die "no kernel at $kernel" "run 'make build' first"
grep -q '^CONFIG_HIBERNATION=y' "$(dirname "$kernel")/../../../.config" ||
	die "the kernel has no CONFIG_HIBERNATION" "keep it in kunit/boot.kunitconfig and rebuild"

mkdir -p "$LOG_DIR"
initrd="$BUILD_DIR/hibernate-initramfs.cpio.gz"
swap="$BUILD_DIR/hibernate-swap.img"
"$TOPDIR/scripts/initramfs.sh" "$TOPDIR/qemu-configs/init-hibernate.sh" "$initrd"
rm -f "$swap"
truncate -s "${SWAP_MB}M" "$swap"

accel="$(qemu_accel "$kernel")"
boot() {
	qemu_boot "$accel" "$kernel" "$initrd" "$1" "$2" -drive "file=$swap,if=virtio,format=raw"
}
# A kernel of either series has the simulated VFs: their checks must run
sim_vf=0
if grep -q ' amdgpu_sim_vf_init$' "$(dirname "$kernel")/../../../System.map" 2>/dev/null; then
	sim_vf=1
fi

fail=0
c1="$LOG_DIR/hibernate.boot1.log"
c2="$LOG_DIR/hibernate.boot2.log"
log "hibernate: boot 1 (hibernate to swap, $accel); console: $c1"
rc=0
boot "$KERNEL_ARGS_BOOT1" "$c1" || rc=$?
[[ $rc -ne 124 ]] || { log "hibernate: FAIL: boot 1 timed out"; fail=1; }
marker="$(sed -n 's/.*HIBERNATE: marker \(m[0-9a-f-]*\).*/\1/p' "$c1" | head -n 1)"
[[ -n "$marker" ]] || { log "hibernate: FAIL: boot 1 printed no marker"; fail=1; }
grep -q 'HIBERNATE: writing image' "$c1" || { log "hibernate: FAIL: boot 1 did not hibernate"; fail=1; }
grep -q 'HIBERNATE: FAIL' "$c1" && { grep 'HIBERNATE: FAIL' "$c1" >&2; fail=1; }

if [[ $fail -eq 0 ]]; then
	log "hibernate: boot 2 (resume=/dev/vda); console: $c2"
	rc=0
	boot "$KERNEL_ARGS_BOOT2" "$c2" || rc=$?
	[[ $rc -ne 124 ]] || { log "hibernate: FAIL: boot 2 timed out"; fail=1; }
	grep -q "HIBERNATE: resumed, marker $marker intact" "$c2" ||
		{ log "hibernate: FAIL: boot 2 did not resume the hibernated system"; fail=1; }
	grep -q 'HIBERNATE: marker ' "$c2" &&
		{ log "hibernate: FAIL: boot 2 booted fresh instead of resuming"; fail=1; }
	grep -q 'HIBERNATE: FAIL' "$c2" && { grep 'HIBERNATE: FAIL' "$c2" >&2; fail=1; }
	if [[ $sim_vf -eq 1 ]]; then
		sim="$(sed -n 's/.*HIBERNATE: sim-vf: \([0-9]* checks passed, [0-9]* failed\).*/\1/p' "$c2")"
		if [[ -z "$sim" ]]; then
			log "hibernate: FAIL: the kernel has simulated VFs, but boot 2 did not check them"
			fail=1
		elif [[ "$sim" != *" 0 failed" ]]; then
			log "hibernate: FAIL: simulated VFs after the restore: $sim"
			fail=1
		fi
	fi
fi
for c in "$c1" "$c2"; do
	[[ -f "$c" ]] || continue
	if console_problems "$c" >&2; then
		log "hibernate: FAIL: $c has kernel problem reports (above)"
		fail=1
	fi
done
rm -f "$swap"
[[ $fail -eq 0 ]] || die "hibernate cycle failed (consoles: $c1, $c2)" \
	"read the consoles; 'PM: Image not found' in boot 2 means the image was not written"
if [[ $sim_vf -eq 1 ]]; then
	log "hibernate: PASS (marker $marker survived hibernate and resume; simulated VFs: $sim)"
else
	log "hibernate: PASS (marker $marker survived hibernate and resume; no simulated VFs in this kernel)"
fi
