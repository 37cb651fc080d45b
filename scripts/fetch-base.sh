#!/bin/bash
# Fetch the mainline base package with a project-local apt configuration.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

usage() {
	cat <<EOF2
Usage: BASE=mainline scripts/fetch-base.sh

Downloads $BASE_PKG=$BASE_PKG_VERSION ($BASE_SUITE) with
'apt-get download' through a private apt configuration under $APT_DIR:
its own sources file, lists and cache directories, and Debian's archive
keyring for the signature. The machine's apt setup is never read or
changed. The .deb is unpacked with dpkg-deb into $APT_DIR/root.

If the pinned version has left the archive, it falls back LOUDLY to the
suite's candidate and records that in $BUILD_DIR/base-fallback.
Only BASE=mainline is fetched this way; 6.12 comes from scripts/deps.sh.
EOF2
}
case "${1:-}" in
-h | --help) usage; exit 0 ;;
"") ;;
*) usage >&2; exit 2 ;;
esac
[[ "$BASE" == mainline ]] || die "fetch-base.sh only fetches BASE=mainline" \
	"6.12 is installed by scripts/deps.sh from bookworm-security"

if [[ "$(base_pkg_installed_version)" == "$BASE_PKG_VERSION" && -f "$(base_tarball)" ]]; then
	log "fetch-base: $BASE_PKG $BASE_PKG_VERSION already in $APT_DIR/root"
	exit 0
fi

private_apt "$APT_DIR" http://deb.debian.org/debian "$BASE_SUITE"

log "fetch-base: apt-get update ($BASE_SUITE, private lists in $APT_DIR/lists)"
apt-get "${APT_OPTS[@]}" update >"$APT_DIR/update.log" 2>&1 ||
	die "apt-get update for $BASE_SUITE failed (log: $APT_DIR/update.log)" \
		"check that deb.debian.org is reachable, then re-run make base BASE=mainline"

want="$BASE_PKG=$BASE_PKG_VERSION"
rm -f "$BUILD_DIR/base-fallback"
if ! apt-cache "${APT_OPTS[@]}" show "$want" >/dev/null 2>&1; then
	cand="$(apt-cache "${APT_OPTS[@]}" policy "$BASE_PKG" | awk '/Candidate:/ { print $2 }')"
	[[ -n "$cand" && "$cand" != "(none)" ]] ||
		die "$BASE_PKG is not in $BASE_SUITE at all" "update the pin in scripts/lib.sh"
	log "WARNING: pinned $want is no longer in $BASE_SUITE;"
	log "WARNING: FALLING BACK to candidate $BASE_PKG=$cand (not the pinned base)"
	mkdir -p "$BUILD_DIR"
	printf '%s\n' "$cand" >"$BUILD_DIR/base-fallback"
	want="$BASE_PKG=$cand"
fi

log "fetch-base: apt-get download $want (about 170 MB)"
rm -f "$APT_DIR"/deb/*.deb
(cd "$APT_DIR/deb" && apt-get "${APT_OPTS[@]}" download "$want") >"$APT_DIR/download.log" 2>&1 ||
	die "apt-get download $want failed (log: $APT_DIR/download.log)" \
		"re-run make base BASE=mainline; apt verifies the archive signature itself"
deb="$(find "$APT_DIR/deb" -name '*.deb' | head -n 1)"
log "fetch-base: unpacking $(basename "$deb")"
rm -rf "$APT_DIR/root"
dpkg-deb -x "$deb" "$APT_DIR/root"
dpkg-deb -f "$deb" Version >"$APT_DIR/root/.version"
[[ -f "$(base_tarball)" ]] || die "$(basename "$deb") holds no $(base_tarball)" \
	"look at 'dpkg-deb -c $deb'; Debian may have renamed the tarball"
log "fetch-base: $(cat "$APT_DIR/root/.version") ready at $(base_tarball)"
