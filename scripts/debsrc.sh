#!/bin/bash
# Fetch and unpack Debian's linux source package of the base (a KSRC= tree).
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

SUITE="$BASE_SUITE"
VER="$BASE_PKG_VERSION"
PRINT=0 HELP=0
while [[ $# -gt 0 ]]; do
	case "$1" in
	--suite) SUITE="${2:?--suite needs a suite}"; shift ;;
	--version) VER="${2:?--version needs a version}"; shift ;;
	--print-tree) PRINT=1 ;;
	-h | --help) HELP=1 ;;
	*) HELP=2 ;;
	esac
	shift
done
case "$SUITE" in
*-security) URI=http://deb.debian.org/debian-security ;;
*) URI=http://deb.debian.org/debian ;;
esac
DEBSRC_DIR="$TOPDIR/build/debsrc/$SUITE"
TREE="$DEBSRC_DIR/${VER//\~/_}/linux-${VER%%-*}"

usage() {
	cat <<EOF2
Usage: BASE=mainline|6.12 scripts/debsrc.sh [--suite SUITE] [--version VERSION] [--print-tree]
       (what 'make debsrc' runs)

Fetches the Debian source package that builds $BASE_PKG $VER ($SUITE)
with 'apt-get source --download-only' through a private apt configuration
under $DEBSRC_DIR/apt: deb-src lines of its own and Debian's
archive keyring; the machine's apt setup is never read or changed. Then
'dpkg-source -x' (dpkg-dev) unpacks it: Debian's own patches are applied
and recorded in the tree's .pc, as 'apt-get source' leaves it.

  --suite SUITE      default $BASE_SUITE (the pin)
  --version VERSION  default $BASE_PKG_VERSION (the pin); a version that
                     'apt-cache showsrc $BASE_PKG' lists in SUITE
  --print-tree       print the tree's path and exit

The tree, $TREE, is a KSRC for the workbench:
  make apply KSRC=$TREE
Our stack goes on top with quilt state of its own (.pc-vf-switch), so
Debian's .pc is never touched. An existing tree is left as it is.
Progress: each step logs; unpacking logs every 30 s.
EOF2
}
case "$HELP" in
1) usage; exit 0 ;;
2) usage >&2; exit 2 ;;
esac
[[ $PRINT -eq 0 ]] || { printf '%s\n' "$TREE"; exit 0; }

command -v dpkg-source >/dev/null ||
	die "dpkg-source is missing" "run 'make deps' (installs dpkg-dev)"
if [[ -f "$TREE/debian/changelog" ]]; then
	log "debsrc: $TREE already unpacked; remove it to fetch again"
	printf '%s\n' "$TREE"
	exit 0
fi

private_apt "$DEBSRC_DIR/apt" "$URI" "$SUITE" deb-src
log "debsrc: apt-get update ($URI $SUITE, deb-src only, lists in $DEBSRC_DIR/apt)"
apt-get "${APT_OPTS[@]}" update >"$DEBSRC_DIR/update.log" 2>&1 ||
	die "apt-get update failed (log: $DEBSRC_DIR/update.log)" \
		"check that deb.debian.org is reachable, then re-run make debsrc BASE=$BASE"

# The source that builds $BASE_PKG at this version (bookworm: linux-6.12; trixie: linux)
src="$(apt-cache "${APT_OPTS[@]}" showsrc "$BASE_PKG" 2>/dev/null |
	awk -v v="$VER" '/^Package:/ { p = $2 } /^Version:/ && $2 == v && !f { print p; f = 1 }')"
[[ -n "$src" ]] || die "no source package builds $BASE_PKG $VER in $SUITE" \
	"pick a version that 'apt-cache showsrc $BASE_PKG' lists there: --version V (and --suite S)"
want="$src=$VER"
log "debsrc: apt-get source --download-only $want (about 150 MB)"
dl="$DEBSRC_DIR/${VER//\~/_}"
mkdir -p "$dl"
(cd "$dl" && apt-get "${APT_OPTS[@]}" source --download-only "$want") \
	>"$DEBSRC_DIR/download.log" 2>&1 ||
	die "apt-get source $want failed (log: $DEBSRC_DIR/download.log)" \
		"a 404 in the log means the mirror does not serve this source: pick another with BASE=$BASE scripts/debsrc.sh --suite S --version V (6.12 was tested with --suite trixie --version 6.12.107-1)"
dsc="$(find "$dl" -maxdepth 1 -name "*_${VER#*:}.dsc" | head -n 1)"
[[ -n "$dsc" ]] || die "no .dsc of $VER after the download" "see $DEBSRC_DIR/download.log"

log "debsrc: dpkg-source -x $(basename "$dsc") (unpacks and applies Debian's patches: a minute or two)"
rm -rf "$TREE.tmp"
with_progress "unpacking the source package" \
	dpkg-source --no-check -x "$dsc" "$TREE.tmp" >"$DEBSRC_DIR/unpack.log" 2>&1 ||
	die "dpkg-source -x failed (log: $DEBSRC_DIR/unpack.log)" "check free disk space, then re-run"
mv "$TREE.tmp" "$TREE"
log "debsrc: $(make -s -C "$TREE" kernelversion) in $TREE ($(wc -l <"$TREE/.pc/applied-patches") Debian patches applied)"
printf '%s\n' "$TREE"
