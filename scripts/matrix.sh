#!/bin/bash
# Apply the 6.12 series at --fuzz=0 to every linux-source-6.12 the archive holds.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

usage() {
	cat <<EOF
Usage: scripts/matrix.sh [VERSION...]

Asks Debian's bookworm-security archive which linux-source-6.12 versions
it holds (or takes the given package versions), fetches each .deb with
'apt-get download' through a private apt configuration under
$TOPDIR/build/matrix/apt (the machine's apt setup is never read or
changed), unpacks the parts of the tree the series touches, and pushes
the 6.12 series onto each with 'quilt push -a --fuzz=0'.

Writes a table to $TOPDIR/build/logs/matrix-6.12.md: per version, how
many patches applied and the first one that did not, with its rejected
hunks. Exits 1 if any version fails. It does not build: that is
'make build' / 'make kunit' on the pinned base.

Costs about 150 MB of download and a minute of unpacking per version.
EOF
}

case "${1:-}" in
-h | --help) usage; exit 0 ;;
-*) usage >&2; exit 2 ;;
esac

use_base 6.12
MDIR="$TOPDIR/build/matrix"
MAPT="$MDIR/apt"
OUT="$TOPDIR/build/logs/matrix-6.12.md"
mkdir -p "$(dirname "$OUT")"
private_apt "$MAPT" http://deb.debian.org/debian-security bookworm-security

log "matrix: apt-get update (bookworm-security, private lists in $MAPT/lists)"
apt-get "${APT_OPTS[@]}" update >"$MAPT/update.log" 2>&1 ||
	die "apt-get update failed (log: $MAPT/update.log)" "check that deb.debian.org is reachable"

if [[ $# -gt 0 ]]; then
	versions=("$@")
else
	mapfile -t versions < <(apt-cache "${APT_OPTS[@]}" madison "$BASE_PKG" | awk -F'|' '{ gsub(/ /, "", $2); print $2 }' | sort -V)
fi
[[ ${#versions[@]} -gt 0 ]] || die "the archive lists no $BASE_PKG" "pass versions explicitly: scripts/matrix.sh 6.12.117-1~deb12u1"
log "matrix: ${#versions[@]} versions: ${versions[*]}"

# The directories the series touches, three path components deep
mapfile -t dirs < <(stack_files | awk -F/ '{ print $1 "/" $2 "/" $3 }' | sort -u)
total=$(series_patches | wc -l)

{
	printf '# 6.12 series on every %s (quilt push -a --fuzz=0)\n\n' "$BASE_PKG"
	printf '| version | applied | first patch that fails | rejected hunks |\n|---|---|---|---|\n'
} >"$OUT"

failed=0
for v in "${versions[@]}"; do
	vdir="$MDIR/$v"
	log "matrix: $v: fetching"
	(cd "$MAPT/deb" && apt-get "${APT_OPTS[@]}" download "$BASE_PKG=$v" >"$MAPT/download-$v.log" 2>&1) ||
		die "apt-get download $BASE_PKG=$v failed (log: $MAPT/download-$v.log)" "the version may have left the archive; pass the versions to test"
	deb="$(ls "$MAPT/deb/${BASE_PKG}_${v//:/%3a}_all.deb")"

	rm -rf "$vdir"
	mkdir -p "$vdir/root"
	log "matrix: $v: unpacking ${dirs[*]}"
	dpkg-deb -x "$deb" "$vdir/root"
	tar -xf "$vdir/root/usr/src/$BASE_PKG.tar.xz" -C "$vdir" "${dirs[@]/#/$BASE_PKG/}"
	rm -rf "$vdir/root"

	log "matrix: $v: quilt push -a --fuzz=0"
	rc=0
	(cd "$vdir/$BASE_PKG" && pquilt push -a --fuzz=0) >"$vdir/push.log" 2>&1 || rc=$?
	applied=$(cd "$vdir/$BASE_PKG" && pquilt applied 2>/dev/null | wc -l)
	if [[ $rc -eq 0 ]]; then
		printf '| %s | %s of %s | — | — |\n' "$v" "$applied" "$total" >>"$OUT"
		log "matrix: $v: $applied of $total applied"
	else
		failed=$((failed + 1))
		bad=$(series_patches | sed -n "$((applied + 1))p")
		hunks=$(grep -E 'FAILED|rejects in file' "$vdir/push.log" | tr '\n' ' ' | sed 's/|/\\|/g')
		printf '| %s | %s of %s | %s | %s |\n' "$v" "$applied" "$total" "$bad" "$hunks" >>"$OUT"
		log "matrix: $v: FAILED at $bad (log: $vdir/push.log)"
	fi
done

log "matrix: table in $OUT"
cat "$OUT"
if [[ $failed -gt 0 ]]; then
	die "$failed of ${#versions[@]} versions do not take the series at fuzz 0" \
		"read the push logs under $MDIR/<version>/ and choose hunk context stable across point releases"
fi
