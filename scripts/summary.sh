#!/bin/bash
# Print the summary of the last main job or test run from the logs.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

usage() { echo "Usage: scripts/summary.sh   print base, patches, build, KUnit and stage times from $LOG_DIR"; }
case "${1:-}" in
-h | --help) usage; exit 0 ;;
"") ;;
*) usage >&2; exit 2 ;;
esac

tree="$(work_tree)"
echo "================ amdgpu VF-switch stack: summary ================"
if [[ -n "${KSRC:-}" ]]; then
	echo "base:     KSRC=$tree ($(make -s -C "$tree" kernelversion 2>/dev/null || echo '?'))"
else
	read -r kv pkgver src < <("$TOPDIR/scripts/base.sh" --print-version)
	echo "base:     $kv from Debian $BASE_PKG $pkgver ($src; pinned $BASE_PKG_VERSION)"
	if [[ -f "$BUILD_DIR/base-fallback" ]]; then
		echo "!!!!!!!! WARNING: the pinned base left the archive; this ran on the FALLBACK $(cat "$BUILD_DIR/base-fallback") !!!!!!!!"
	fi
fi
total="$(series_patches | wc -l)"
applied="$( (cd "$tree" 2>/dev/null && pquilt applied 2>/dev/null) | wc -l || true)"
echo "patches:  $applied of $total applied"
build="not run"
if [[ -f "$LOG_DIR/stages.tsv" ]]; then
	build="$(awk -F'\t' '$1 == "build" { r = $3 } END { print r ? r : "not run" }' "$LOG_DIR/stages.tsv")"
fi
echo "build:    $build"
if [[ -f "$LOG_DIR/kunit-fast.summary" ]]; then
	echo "kunit:    $(cat "$LOG_DIR/kunit-fast.summary")"
else
	echo "kunit:    not run"
fi
if [[ -f "$LOG_DIR/stages.tsv" ]]; then
	echo "stages (seconds):"
	awk -F'\t' '{ printf "  %-14s %6s s  %s\n", $1, $2, $3 }' "$LOG_DIR/stages.tsv"
fi
echo "logs:     $LOG_DIR"
