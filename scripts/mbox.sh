#!/bin/bash
# Write the series as .eml files with b4 (never sends), and check the round trip.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

OUT="${MBOX_OUT:-$BASE_MBOX_OUT}"
COVER="$BASE_COVER"
SCRATCH="$BUILD_DIR/mbox-git"

usage() {
	cat <<EOF2
Usage: scripts/mbox.sh [--check]

1. Copies the pristine base to $SCRATCH, commits it as the base, and
   applies the series there with 'git am' (branch vf-switch).
2. Enrolls the branch with 'b4 prep -e', puts $(basename "$COVER")
   into the cover letter (b4 0.12 refuses one still saying EDITME), adds
   To/Cc with 'b4 prep --auto-to-cc' (get_maintainer.pl), and writes the
   series with 'b4 send --no-sign -o $OUT'. Nothing is mailed.
3. Round trip: applies the written .eml patches with 'git am' onto the
   base on a second branch and checks that the tree equals the vf-switch
   branch and, file by file, the quilt-applied tree.

The sender's identity comes from git config (user.name, user.email). The
patches carry no Signed-off-by: the sender adds their own (DCO), e.g.
'git rebase --signoff base' before sending for real (see 'make send').
--check: steps 1 and 3 only, from the .eml files already in $OUT.
EOF2
}
CHECK_ONLY=0
case "${1:-}" in
-h | --help) usage; exit 0 ;;
--check) CHECK_ONLY=1 ;;
"") ;;
*) usage >&2; exit 2 ;;
esac

git config user.email >/dev/null ||
	die "git has no user.email" "git config --global user.name 'You'; git config --global user.email you@example.org"
[[ -f "$COVER" ]] || die "no cover letter at $COVER" "write it first"
grep -q EDITME "$COVER" && die "the cover letter still says EDITME" "edit $COVER"
"$TOPDIR/scripts/base.sh" >/dev/null
mkdir -p "$LOG_DIR"
mlog="$LOG_DIR/mbox.log"
: >"$mlog"
g() { git -C "$SCRATCH" "$@"; }

if [[ ! -d "$SCRATCH/.git" ]]; then
	log "mbox: committing the pristine base in $SCRATCH (a minute or two)"
	rm -rf "$SCRATCH"
	# Hard links are safe: git writes files by creating new ones.
	cp -al "$PRISTINE_DIR" "$SCRATCH"
	rm -f "$SCRATCH/.unpacked-from"
	g init -q -b pristine
	# Debian's tarball ignores everything at the top (.gitignore "/*"): force
	g add -f -A . >>"$mlog" 2>&1
	g -c user.name=base -c user.email=base@localhost commit -q \
		-m "Linux $(make -s -C "$PRISTINE_DIR" kernelversion) ($BASE_PKG $BASE_PKG_VERSION)" \
		>>"$mlog" 2>&1 || die "cannot commit the base in $SCRATCH (log: $mlog)" "check free disk space"
	g tag base
fi
g am --abort >/dev/null 2>&1 || true
g checkout -q -f base
g reset -q --hard base
g clean -qfdx

if [[ $CHECK_ONLY -eq 0 ]]; then
	log "mbox: git am of $(series_patches | wc -l) patches onto the base"
	g branch -D vf-switch >/dev/null 2>&1 || true
	g checkout -q -b vf-switch base
	while read -r p; do
		g am -q --keep-cr "$PATCH_DIR/$p" >>"$mlog" 2>&1 ||
			die "git am failed on $p (log: $mlog)" "the patch must be in git format-patch form; run make series-check"
	done < <(series_patches)

	log "mbox: b4 prep / b4 send --no-sign -o $OUT"
	b4 --offline-mode -n prep -e base >>"$mlog" 2>&1 ||
		(cd "$SCRATCH" && b4 --offline-mode -n prep -e base) >>"$mlog" 2>&1 ||
		die "b4 prep -e failed (log: $mlog)" "b4 0.12 must be installed (make deps)"
	cover="$(mktemp)"
	# b4 edits the cover with \$EDITOR; hand it ours instead of an editor.
	cp "$COVER" "$cover"
	(cd "$SCRATCH" && EDITOR="cp $cover" GIT_EDITOR="cp $cover" b4 --offline-mode -n prep --edit-cover) \
		>>"$mlog" 2>&1 || die "b4 prep --edit-cover failed (log: $mlog)" "see the log"
	rm -f "$cover"
	(cd "$SCRATCH" && b4 --offline-mode -n prep --auto-to-cc) >>"$mlog" 2>&1 ||
		log "mbox: b4 --auto-to-cc failed; recipients come from MAINTAINERS-notes (log: $mlog)"
	rm -rf "$OUT"
	mkdir -p "$OUT"
	# b4 picks SMTP over its web endpoint when this is set; -o never connects
	g config sendemail.smtpserver localhost
	(cd "$SCRATCH" && b4 --offline-mode -n send --no-sign -o "$OUT") >>"$mlog" 2>&1 ||
		die "b4 send -o failed (log: $mlog)" "read the log; b4 refuses a cover letter saying EDITME"
	n=$(find "$OUT" -name '*.eml' | wc -l)
	[[ $n -eq $(($(series_patches | wc -l) + 1)) ]] ||
		die "b4 wrote $n .eml files, expected the cover plus $(series_patches | wc -l) patches" "see $mlog"
	log "mbox: wrote $n messages to $OUT"
fi

# Round trip: the written mails must give the same tree as quilt.
log "mbox: round trip: git am of $OUT/*.eml onto the base"
g checkout -q -f base
g branch -D roundtrip >/dev/null 2>&1 || true
g checkout -q -b roundtrip base
for eml in $(find "$OUT" -name '*.eml' | sort); do
	# the cover letter (0000) carries no diff
	grep -q '^diff \|^--- a/' "$eml" || continue
	g am -q "$eml" >>"$mlog" 2>&1 ||
		die "git am of $(basename "$eml") failed (log: $mlog)" "compare it with the patch in patches/"
done
if [[ $CHECK_ONLY -eq 0 ]] && ! g diff --quiet vf-switch roundtrip; then
	g diff --stat vf-switch roundtrip | tail -n 5 >&2
	die "the mails do not give the same tree as the series" "see git -C $SCRATCH diff vf-switch roundtrip"
fi
tree="$WORK_TREE_DEFAULT"
if [[ -d "$tree/.pc" ]]; then
	while read -r f; do
		if [[ -e "$tree/$f" ]] && ! cmp -s "$tree/$f" "$SCRATCH/$f"; then
			die "$f differs between the mails and the quilt tree" "diff $tree/$f $SCRATCH/$f"
		fi
	done < <(stack_files)
fi
g checkout -q -f base
log "mbox: round trip OK: the .eml files apply with git am and give the quilt tree"
