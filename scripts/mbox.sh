#!/bin/bash
# Write the series as .eml files with b4 (never sends), and check the round trip.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

OUT="${MBOX_OUT:-$BASE_MBOX_OUT}"
PREP="b4/$SERIES_BRANCH"
MARKER='--- b4-submit-tracking ---'

usage() {
	cat <<EOF2
Usage: scripts/mbox.sh [--signoff] [--check]   (what 'make mbox' and 'make send' run)

1. scripts/branch.sh: the series as git in $SERIES_GIT (branch
   $SERIES_BRANCH on tag $BASE_UPSTREAM_TAG, author = the sender, tag vN).
2. b4's prep branch $PREP, made once with 'b4 prep -n' and kept: its
   change-id and history stay, each run puts the commits of $SERIES_BRANCH
   on it. The cover letter is $(basename "$COVER_FILE") plus the changes of every
   version from $(basename "$CHANGELOG_FILE"); the revision is the changelog's first
   'vN:' ('b4 prep --force-revision N'). To/Cc from 'b4 prep --auto-to-cc'.
3. 'b4 send --no-sign -o $OUT': nothing is mailed; the same
   patches as one mbox in $OUT/vN.mbox. The cover
   letter names the base as "$(base_line)"; no mail carries a
   base-commit: (the base is a local commit of a tarball; b4's template
   is replaced through b4.prep-cover-template). Tag sent/$SERIES_BRANCH-vN
   records what was written, so later versions can run
   'b4 prep --compare-to vN' in $SERIES_GIT.
4. Round trip: 'git am' of the written mails onto $BASE_UPSTREAM_TAG must
   give the tree of $SERIES_BRANCH and, file by file, the quilt-applied tree.

--signoff (SIGNOFF=yes; 'make send'): every patch carries the sender's own
   Signed-off-by (git am --signoff in step 1); b4's cover commit is never
   signed, so 'b4 prep --show-info' keeps working. Default: no sign-off.
--check: steps 1 and 4 only, from the .eml files already in $OUT.
EOF2
}
CHECK_ONLY=0
branch_args=()
while [[ $# -gt 0 ]]; do
	case "$1" in
	-h | --help) usage; exit 0 ;;
	--check) CHECK_ONLY=1 ;;
	--signoff) branch_args+=(--signoff) ;;
	*) usage >&2; exit 2 ;;
	esac
	shift
done

[[ -f "$COVER_FILE" ]] || die "no cover letter at $COVER_FILE" "write it first"
grep -q EDITME "$COVER_FILE" && die "the cover letter still says EDITME" "edit $COVER_FILE"
"$TOPDIR/scripts/branch.sh" "${branch_args[@]}"
version="$(series_version)"
mlog="$LOG_DIR/mbox.log"
: >"$mlog"
g() { git -C "$SERIES_GIT" "$@"; }
b4x() { (cd "$SERIES_GIT" && b4 --offline-mode -n "$@") 2>>"$mlog"; }
TAG="$BASE_UPSTREAM_TAG"

# cover_text: the cover letter, then "Changes in vN:" for every version.
cover_text() {
	cat "$COVER_FILE"
	printf '\n---\n'
	awk '/^#/ { next }
	     /^v[0-9]+:/ { if (n++) printf "\n"; printf "Changes in %s\n", $1; next }
	     NF { print }' "$CHANGELOG_FILE"
}

if [[ $CHECK_ONLY -eq 0 ]]; then
	# b4 0.12 writes "base-commit: <id>" from its default template; this one
	# names the release instead.
	template="$SERIES_GIT/.git/b4-cover-template"
	cat >"$template" <<EOF2
\${cover}

---
\${shortlog}

\${diffstat}
---
This series is $(base_line).
change-id: \${change_id}

Best regards,
-- 
\${signature}
EOF2
	g config b4.prep-cover-template "$template"
	# b4 picks SMTP over its web endpoint when this is set; -o never connects
	g config sendemail.smtpserver localhost

	if ! g rev-parse -q --verify "refs/heads/$PREP" >/dev/null; then
		log "mbox: b4 prep -n $SERIES_BRANCH: the b4 branch $PREP, once (change-id and revisions stay)"
		g checkout -q -f "$SERIES_BRANCH"
		b4x prep -n "$SERIES_BRANCH" -f "$TAG" >>"$mlog" ||
			die "b4 prep -n failed (log: $mlog)" "b4 0.12 must be installed (make deps)"
	fi
	cover_commit="$(g log -1 --fixed-strings "--grep=$MARKER" --format=%H "$PREP")"
	[[ -n "$cover_commit" ]] ||
		die "$PREP has no b4 cover commit" "git -C $SERIES_GIT branch -D $PREP starts a new b4 history (new change-id)"
	log "mbox: the commits of $SERIES_BRANCH onto $PREP (b4's cover commit kept)"
	g checkout -q -f -B "$PREP" "$TAG"
	if ! g cherry-pick --allow-empty --keep-redundant-commits "$cover_commit" >>"$mlog" 2>&1 ||
		! g cherry-pick "$TAG..$SERIES_BRANCH" >>"$mlog" 2>&1; then
		die "cannot put the series on $PREP (log: $mlog)" "git -C $SERIES_GIT cherry-pick --abort; then see the log"
	fi

	info="$(b4x prep --show-info)" || die "b4 prep --show-info failed (log: $mlog)" "see the log"
	rev="$(sed -n 's/^revision: //p' <<<"$info")"
	change_id="$(sed -n 's/^change-id: //p' <<<"$info")"
	if (cd "$SERIES_GIT" && b4 --offline-mode -n prep --show-revision 2>&1) | grep -q "^ *v$version: "; then
		die "v$version was really sent (b4 send recorded it)" \
			"add a 'v$((version + 1)):' entry on top of $CHANGELOG_FILE and run again"
	fi
	if [[ "$rev" != "$version" ]]; then
		log "mbox: b4 revision $rev -> v$version (from $(basename "$CHANGELOG_FILE"))"
		b4x prep --force-revision "$version" >>"$mlog" ||
			die "b4 prep --force-revision $version failed (log: $mlog)" "see the log"
	fi
	cover="$(mktemp)"
	cover_text >"$cover"
	# b4 edits the cover with \$EDITOR; hand it ours instead of an editor.
	(cd "$SERIES_GIT" && EDITOR="cp $cover" GIT_EDITOR="cp $cover" b4 --offline-mode -n prep --edit-cover) \
		>>"$mlog" 2>&1 || die "b4 prep --edit-cover failed (log: $mlog)" "see the log"
	b4x prep --auto-to-cc >>"$mlog" 2>&1 ||
		log "mbox: b4 --auto-to-cc failed; recipients come from MAINTAINERS-notes (log: $mlog)"

	log "mbox: b4 send --no-sign -o $OUT (v$version)"
	rm -rf "$OUT"
	mkdir -p "$OUT"
	b4x send --no-sign -o "$OUT" >>"$mlog" ||
		die "b4 send -o failed (log: $mlog)" "read the log; b4 refuses a cover letter saying EDITME"
	n=$(find "$OUT" -name '*.eml' | wc -l)
	[[ $n -eq $(($(series_patches | wc -l) + 1)) ]] ||
		die "b4 wrote $n .eml files, expected the cover plus $(series_patches | wc -l) patches" "see $mlog"
	if grep -l '^base-commit:' "$OUT"/*.eml >&2; then
		die "a mail above names the local base commit" "b4.prep-cover-template in $SERIES_GIT/.git/config must be $template"
	fi
	# The patches as one mbox, for 'git am --patch-format=mboxrd' and
	# 'b4 am -m' (git am takes no cover letter: it has no diff). Headers are
	# unfolded: b4 0.12's am fails on a folded Subject: read from a local mbox
	# ("Header values may not contain linefeed").
	for eml in "$OUT"/*.eml; do
		[[ "$(basename "$eml")" != 0000-* ]] || continue
		echo 'From mboxrd@z Thu Jan  1 00:00:00 1970'
		awk 'body { print; next }
		     /^$/ { if (h != "") print h; print; body = 1; next }
		     /^[ \t]/ { h = h $0; next }
		     { if (h != "") print h; h = $0 }
		     END { if (!body && h != "") print h }' "$eml" | sed -E 's/^(>*From )/>\1/'
		echo
	done >"$OUT/v$version.mbox"

	# b4 reads base-commit and change-id from this tag's message (--compare-to,
	# --show-info); it is local and never mailed. A real 'b4 send' keeps it.
	subject="$(head -n 1 "$cover")"
	{
		printf '%s\n\n' "$subject"
		tail -n +3 "$cover"
		printf -- '---\nbase-commit: %s\nchange-id: %s\n' "$(g rev-parse "$TAG^{commit}")" "$change_id"
	} | g tag -f -a -F - "sent/$SERIES_BRANCH-v$version" "$SERIES_BRANCH" >/dev/null
	rm -f "$cover"
	log "mbox: wrote $n messages to $OUT; tags v$version and sent/$SERIES_BRANCH-v$version (earlier versions' kept)"
fi

# Round trip: the written mails must give the same tree as quilt.
log "mbox: round trip: git am of $OUT/*.eml onto $TAG"
g checkout -q -f -B roundtrip "$TAG"
for eml in $(find "$OUT" -name '*.eml' | sort); do
	# the cover letter (0000) carries no diff
	grep -q '^diff \|^--- a/' "$eml" || continue
	g am -q "$eml" >>"$mlog" 2>&1 ||
		die "git am of $(basename "$eml") failed (log: $mlog)" "compare it with the patch in patches/"
done
if [[ $CHECK_ONLY -eq 0 ]] && ! g diff --quiet "$SERIES_BRANCH" roundtrip; then
	g diff --stat "$SERIES_BRANCH" roundtrip | tail -n 5 >&2
	die "the mails do not give the same tree as the series" "see git -C $SERIES_GIT diff $SERIES_BRANCH roundtrip"
fi
tree="$(work_tree)"
if [[ -d "$tree/$STACK_PC" ]]; then
	while read -r f; do
		if [[ -e "$tree/$f" ]] && ! cmp -s "$tree/$f" "$SERIES_GIT/$f"; then
			die "$f differs between the mails and the quilt tree" "diff $tree/$f $SERIES_GIT/$f"
		fi
	done < <(stack_files)
fi
# b4 prep commands (--show-info, --compare-to vN, send) work on b4's branch
g checkout -q -f "$PREP" 2>/dev/null || g checkout -q -f "$SERIES_BRANCH"
log "mbox: round trip OK: the .eml files apply with git am and give the quilt tree"
[[ ${#branch_args[@]} -eq 0 ]] || cat >&2 <<EOF2

Every patch is signed off by $(sender_ident). To send v$version for real:
  cd $SERIES_GIT                # $PREP is checked out
  b4 prep --edit-cover          # review recipients (To:/Cc:) and the text
  b4 send --reflect             # a copy to yourself first (needs sendemail.* or b4's web endpoint)
  b4 send                       # to the recipients in the cover letter
Then start v$((version + 1)) in $(basename "$CHANGELOG_FILE").
EOF2
