#!/bin/bash
# Build the KUnit module in every DRM_AMDGPU / KUNIT combination and link it.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

usage() {
	cat <<EOF2
Usage: BASE=mainline scripts/kconfig-links.sh [COMBO...]

Starts from the fast-lane KUnit .config ($KUNIT_BUILD_DIR/.config), sets
DRM_AMDGPU, KUNIT and DRM_AMDGPU_KUNIT_TEST with scripts/config, runs
olddefconfig and builds vmlinux and modules, so that modpost checks every
symbol the test module takes from amdgpu. COMBO is AMDGPU/KUNIT, e.g. y/m;
the default is y/m m/y m/m (y/y is the fast lane itself).
Prints "ok|not ok kconfig-links <combo>"; logs: $LOG_DIR/kconfig-links.<combo>.log
Each combination is a kernel build of its own (several minutes cold).
EOF2
}
case "${1:-}" in -h | --help) usage; exit 0 ;; esac
for c in "$@"; do
	[[ "$c" =~ ^[ym]/[ym]$ ]] || { usage >&2; exit 2; }
done

tree="$(work_tree)"
[[ -f "$KUNIT_BUILD_DIR/.config" ]] || die "no $KUNIT_BUILD_DIR/.config" "run 'make build BASE=$BASE' first"
combos=("$@")
[[ ${#combos[@]} -gt 0 ]] || combos=(y/m m/y m/m)
export KBUILD_BUILD_TIMESTAMP="Sun Nov 17 00:00:00 UTC 2024"
export CCACHE_BASEDIR="$BUILD_DIR" CCACHE_NOHASHDIR=1
fails=0
for c in "${combos[@]}"; do
	amdgpu="${c%/*}" kunit="${c#*/}"
	[[ "$amdgpu" =~ ^[ym]$ && "$kunit" =~ ^[ym]$ ]] || die "bad combination '$c'" "use AMDGPU/KUNIT with y or m, e.g. y/m"
	out="$BUILD_DIR/kconfig-links-${amdgpu}${kunit}"
	logf="$LOG_DIR/kconfig-links.${amdgpu}${kunit}.log"
	mkdir -p "$out" "$LOG_DIR"
	cp "$KUNIT_BUILD_DIR/.config" "$out/.config"
	"$tree/scripts/config" --file "$out/.config" --enable MODULES \
		--set-val KUNIT "$kunit" \
		--set-val DRM_AMDGPU "$amdgpu" --module DRM_AMDGPU_KUNIT_TEST
	log "kconfig-links: DRM_AMDGPU=$amdgpu KUNIT=$kunit DRM_AMDGPU_KUNIT_TEST=m (log: $logf)"
	rc=0
	{
		make -C "$tree" O="$out" ARCH=x86_64 olddefconfig &&
			grep -qx "CONFIG_DRM_AMDGPU_KUNIT_TEST=m" "$out/.config" &&
			make -C "$tree" O="$out" ARCH=x86_64 CC="ccache gcc" -j"$(nproc)" vmlinux modules
	} >"$logf" 2>&1 || rc=$?
	if [[ $rc -eq 0 && -f "$out/drivers/gpu/drm/amd/amdgpu/tests/amdgpu_kunit.ko" ]]; then
		echo "ok kconfig-links DRM_AMDGPU=$amdgpu KUNIT=$kunit"
	else
		echo "not ok kconfig-links DRM_AMDGPU=$amdgpu KUNIT=$kunit (log: $logf)"
		grep -E 'ERROR|error:|undefined' "$logf" | head -n 5 | sed 's/^/    /'
		fails=$((fails + 1))
	fi
done
[[ $fails -eq 0 ]] || die "$fails combinations do not link" "export what the test module uses with EXPORT_SYMBOL_IF_KUNIT()"
