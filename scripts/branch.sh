#!/bin/bash
# The series as git: the base committed once, one commit per patch on top.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

usage() {
	cat <<EOF2
Usage: scripts/branch.sh [--signoff]     (what 'make branch' runs)

Makes the $BASE series a git branch in $SERIES_GIT:
  - the unpacked base ($PRISTINE_DIR), committed once and tagged
    $BASE_UPSTREAM_TAG (a local commit of the Debian tarball: its id is
    nobody else's $BASE_UPSTREAM_TAG, so the mails never name it);
  - branch $SERIES_BRANCH: one commit per patch of $(basename "$SERIES_FILE"), by 'git am';
  - tag vN on its tip, N from the first 'vN:' line of
    $CHANGELOG_FILE; the tags of earlier versions are kept.

Author: a patch file whose From: is the neutral $NEUTRAL_EMAIL is recorded
with the sender's identity (git config user.name and user.email); without one
this script refuses to run. A patch with a real author keeps it.

Sign-off: none by default. --signoff (or SIGNOFF=yes) runs 'git am --signoff':
every commit gets "Signed-off-by: <the sender>", as the sender certifies the
DCO (Documentation/process/submitting-patches.rst). Nothing else signs.

The plain recipe, without this script: commit the base, then
  git am --signoff $PATCH_DIR/0*.patch     (in series order)
EOF2
}
SIGN="${SIGNOFF:-}"
while [[ $# -gt 0 ]]; do
	case "$1" in
	-h | --help) usage; exit 0 ;;
	--signoff) SIGN=yes ;;
	*) usage >&2; exit 2 ;;
	esac
	shift
done
case "$SIGN" in
"" | no | 0) SIGN="" ;;
yes | 1) SIGN=yes ;;
*) die "SIGNOFF=$SIGN" "use SIGNOFF=yes (or --signoff) to sign off, nothing to leave it out" ;;
esac

sender="$(sender_ident)"
version="$(series_version)"
# with KSRC the pristine state is made anew: the tree may have moved
[[ -z "${KSRC:-}" && -f "$PRISTINE_DIR/.unpacked-from" ]] || "$TOPDIR/scripts/base.sh" >&2
base_ver="$(cat "$PRISTINE_DIR/.unpacked-from")"
mkdir -p "$LOG_DIR"
blog="$LOG_DIR/branch.log"
: >"$blog"
g() { git -C "$SERIES_GIT" "$@"; }
TAG="$BASE_UPSTREAM_TAG"
base_msg="Linux ${TAG#v} ($BASE_PKG $base_ver)"
[[ -z "${KSRC:-}" ]] || base_msg="Linux ${TAG#v} ($base_ver)"

if [[ ! -d "$SERIES_GIT/.git" ]]; then
	log "branch: committing the pristine base in $SERIES_GIT (a kernel tree: a minute or two)"
	rm -rf "$SERIES_GIT"
	# Hard links are safe: git writes files by creating new ones.
	cp -al "$PRISTINE_DIR/." "$SERIES_GIT"
	rm -f "$SERIES_GIT/.unpacked-from"
	g init -q -b pristine
	# Debian's tarball ignores everything at the top (.gitignore "/*"): force
	if ! with_progress "adding the base to git" g add -f -A . >>"$blog" 2>&1 ||
		! g -c user.name=base -c user.email=base@localhost commit -q -m "$base_msg" >>"$blog" 2>&1; then
		die "cannot commit the base in $SERIES_GIT (log: $blog)" "check free disk space, then rm -rf $SERIES_GIT and run again"
	fi
fi
if ! g rev-parse -q --verify "refs/tags/$TAG" >/dev/null; then
	# a repository from before the upstream tag was its name
	start="$(g rev-parse -q --verify 'refs/tags/base^{commit}' || g rev-list --max-parents=0 HEAD | tail -n 1)"
	what="as unpacked from Debian $BASE_PKG $base_ver: a local commit of the tarball"
	[[ -z "${KSRC:-}" ]] || what="as in KSRC ($base_ver) without the stack: a local commit of that tree"
	g tag -a "$TAG" -m "$TAG $what, not upstream's $TAG commit" "$start"
fi
committed="$(g log -1 --format=%s "$TAG")"
[[ "$committed" == "$base_msg" ]] ||
	die "$SERIES_GIT holds '$committed', but the base is now '$base_msg'" \
		"its branches and b4 history are for the old base: mv $SERIES_GIT $SERIES_GIT.old and run again"

g am --abort >/dev/null 2>&1 || true
g checkout -q -f "$TAG"
g clean -qfdx
n="$(series_patches | wc -l)"
log "branch: git am of $n patches onto $TAG (author: $sender; sign-off: ${SIGN:-none})"
g checkout -q -B "$SERIES_BRANCH" "$TAG"
am_opts=(-q --keep-cr)
[[ -z "$SIGN" ]] || am_opts+=(--signoff)
while read -r p; do
	g am "${am_opts[@]}" "$PATCH_DIR/$p" >>"$blog" 2>&1 ||
		die "git am failed on $p (log: $blog)" "the patch must be in git format-patch form; run make series-check"
	if [[ "$(g log -1 --format=%ae)" == "$NEUTRAL_EMAIL" ]]; then
		g commit -q --amend --no-edit --author="$sender" >>"$blog" 2>&1
	fi
done < <(series_patches)

g tag -f -a "v$version" -m "v$version of the $BASE series: $n patches, $(base_line)" >/dev/null
log "branch: $SERIES_BRANCH in $SERIES_GIT: $n commits on $TAG, tagged v$version (earlier versions' tags kept)"
