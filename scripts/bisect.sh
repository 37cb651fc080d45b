#!/bin/bash
# Bisectability: every prefix of the series applies and its objects build.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

usage() {
	cat <<EOF2
Usage: scripts/bisect.sh

Applies the series one patch at a time (fuzz 0) to a fresh copy of the
pristine base and, after each patch, builds every .c file touched so far
with amdgpu's object paths, in one O= directory configured like the
KUnit kernel. A prefix that does not apply or does not build fails.
The full KUnit kernel at the top of the series is built by 'make build'.
Prints "ok|not ok bisect <patch>" lines. Logs: $LOG_DIR/bisect.<patch>.log
EOF2
}
case "${1:-}" in
-h | --help) usage; exit 0 ;;
"") ;;
*) usage >&2; exit 2 ;;
esac

config="$KUNIT_BUILD_DIR/.config"
[[ -f "$config" ]] || die "no KUnit kernel config at $config" "run 'make build' first"
"$TOPDIR/scripts/base.sh" >/dev/null
export KBUILD_BUILD_TIMESTAMP="Sun Nov 17 00:00:00 UTC 2024"
export CCACHE_BASEDIR="$BUILD_DIR" CCACHE_NOHASHDIR=1

scratch="$BUILD_DIR/bisect-tree"
out="$BUILD_DIR/bisect-out"
rm -rf "$scratch"
cp -al "$PRISTINE_DIR" "$scratch"
mkdir -p "$out" "$LOG_DIR"

fails=0
touched=()
n=0
total=$(series_patches | wc -l)
while read -r p; do
	n=$((n + 1))
	plog="$LOG_DIR/bisect.$p.log"
	if ! (cd "$scratch" && pquilt push --fuzz=0) >"$plog" 2>&1; then
		printf 'not ok bisect %s: does not apply on the previous prefix (log: %s)\n' "$p" "$plog"
		fails=$((fails + 1))
		break
	fi
	while read -r f; do
		[[ "$f" == *.c ]] && touched+=("$f")
	done < <(patch_files "$PATCH_DIR/$p")
	mapfile -t touched < <(printf '%s\n' "${touched[@]}" | sort -u)
	objs=()
	for f in "${touched[@]}"; do
		[[ -f "$scratch/$f" ]] && objs+=("$(amdgpu_obj_of "$f")")
	done
	log "bisect: [$n/$total] $p: building ${#objs[@]} objects"
	cp "$config" "$out/.config"
	if make -s -C "$scratch" O="$out" ARCH=x86_64 olddefconfig >>"$plog" 2>&1 &&
		make -C "$scratch" O="$out" ARCH=x86_64 CC="ccache gcc" -j"$(nproc)" \
			"${objs[@]}" >>"$plog" 2>&1; then
		printf 'ok bisect %s (%d objects)\n' "$p" "${#objs[@]}"
	else
		printf 'not ok bisect %s: objects do not build (log: %s)\n' "$p" "$plog"
		grep -E 'error:' "$plog" | head -n 5 | sed 's/^/    /'
		fails=$((fails + 1))
	fi
done < <(series_patches)
rm -rf "$scratch"
[[ $fails -eq 0 ]]
