#!/bin/bash
# Unpack the pinned Debian base tree into the build directory.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

usage() {
	cat <<EOF
Usage: scripts/base.sh [--print-version]

Unpacks the BASE=$BASE tarball (package $BASE_PKG, pinned to
$BASE_PKG_VERSION in scripts/lib.sh) into $PRISTINE_DIR, once.
For BASE=mainline it first fetches the package (scripts/fetch-base.sh).
The pristine copy is never modified; the stack is applied to a copy of it
at $WORK_TREE_DEFAULT (see scripts/apply.sh).

  --print-version   print "<kernel version> <package version> <source>" and exit
EOF
}

installed_version() { base_pkg_installed_version; }

case "${1:-}" in
-h | --help) usage; exit 0 ;;
--print-version)
	src="pinned"
	[[ -f "$BUILD_DIR/base-fallback" ]] && src="FALLBACK (pinned $BASE_PKG_VERSION unavailable)"
	kv="unknown"
	if [[ -f "$PRISTINE_DIR/Makefile" ]]; then
		kv="$(make -s -C "$PRISTINE_DIR" kernelversion 2>/dev/null || echo unknown)"
	fi
	printf '%s %s %s\n' "$kv" "$(installed_version)" "$src"
	exit 0
	;;
"") ;;
*) usage >&2; exit 2 ;;
esac

if [[ "$BASE" == mainline ]]; then
	"$TOPDIR/scripts/fetch-base.sh"
fi
BASE_TARBALL="$(base_tarball)"
[[ -f "$BASE_TARBALL" ]] ||
	die "$BASE_TARBALL not found" "run 'make deps' (installs $BASE_PKG=$BASE_PKG_VERSION)"

ver="$(installed_version)"
if [[ "$ver" != "$BASE_PKG_VERSION" ]]; then
	mkdir -p "$BUILD_DIR"
	printf '%s\n' "$ver" >"$BUILD_DIR/base-fallback"
	log "WARNING: $BASE_PKG is $ver, not the pinned $BASE_PKG_VERSION: results are NOT for the pinned base"
fi

stamp="$PRISTINE_DIR/.unpacked-from"
if [[ -f "$stamp" && "$(cat "$stamp")" == "$ver" ]]; then
	log "base: $PRISTINE_DIR already holds $BASE_PKG $ver"
	exit 0
fi

log "base: unpacking $BASE_TARBALL ($ver) into $PRISTINE_DIR (about a minute)"
rm -rf "$PRISTINE_DIR.tmp"
mkdir -p "$PRISTINE_DIR.tmp"
tar -C "$PRISTINE_DIR.tmp" --strip-components=1 -xf "$BASE_TARBALL" ||
	die "unpacking $BASE_TARBALL failed" "check free disk space (df -h $BUILD_DIR) and re-run make base"
rm -rf "$PRISTINE_DIR"
mv "$PRISTINE_DIR.tmp" "$PRISTINE_DIR"
printf '%s\n' "$ver" > "$stamp"
log "base: $(make -s -C "$PRISTINE_DIR" kernelversion) unpacked"
