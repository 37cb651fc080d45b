#!/bin/bash
# Pack a small busybox initramfs around one /init script.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

usage() {
	cat <<EOF2
Usage: scripts/initramfs.sh INIT_SCRIPT OUTPUT.cpio.gz

Packs /bin/busybox (Debian's busybox-static) and INIT_SCRIPT as /init into a
gzip'd newc cpio archive for QEMU's -initrd.
EOF2
}

case "${1:-}" in -h | --help) usage; exit 0 ;; esac
[[ $# -eq 2 && "$1" != -* && "$2" != -* ]] || { usage >&2; exit 2; }
init="$1"
out="$2"
[[ -x /bin/busybox ]] ||
	die "/bin/busybox is missing" "run 'make deps' (installs busybox-static)"
[[ -f "$init" ]] || die "no init script $init" "pass an existing file, e.g. qemu-configs/init-smoke.sh"

stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/bin" "$stage/dev" "$stage/proc" "$stage/sys" "$stage/mnt"
cp /bin/busybox "$stage/bin/busybox"
ln -s busybox "$stage/bin/sh"
ln -s busybox "$stage/bin/mount"
install -m 0755 "$init" "$stage/init"
mkdir -p "$(dirname "$out")"
(cd "$stage" && find . | cpio -o -H newc --quiet | gzip -9) >"$out.tmp"
mv "$out.tmp" "$out"
log "initramfs: $out ($(du -k "$out" | cut -f1) KiB)"
