#!/bin/bash
# checkpatch.pl --strict on every patch; CHECKs must be justified in writing.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

JUSTIFY="$TOPDIR/Documentation/checkpatch-justifications.txt"

usage() {
	cat <<EOF2
Usage: scripts/checkpatch.sh [PATCH...]

Runs the base tree's scripts/checkpatch.pl --strict --no-tree --show-types
--no-signoff on each patch of the series (or the named ones). A patch passes
with 0 errors, 0 warnings, and every CHECK justified by a line
"<patch> <TYPE> <reason>" in $JUSTIFY.

With KSRC, checkpatch.pl is that tree's own (its state without the stack);
in a git tree it reads that tree's history (GIT_DIR) to look up Fixes: ids.
It runs in the pristine copy, where it leaves its camelcase cache: the KSRC
tree is only read.

Standing exceptions: --no-signoff (the DCO Signed-off-by is added by the
human who sends the series, see README.md, never by this repository), and
--ignore UNKNOWN_COMMIT_ID when the tree has no git history (a Debian
tarball): the commit ids in Fixes: tags cannot be looked up there.
Prints one "ok|not ok checkpatch <patch>" line per patch and a totals line.
EOF2
}
case "${1:-}" in
-h | --help) usage; exit 0 ;;
-*) usage >&2; exit 2 ;;
esac

"$TOPDIR/scripts/base.sh" >/dev/null
cp="$PRISTINE_DIR/scripts/checkpatch.pl"
patches=("$@")
if [[ ${#patches[@]} -eq 0 ]]; then
	mapfile -t patches < <(series_patches)
fi
# A base unpacked from a tarball has no git history, so checkpatch cannot
# look up the commits that Fixes: and changelogs name; a git KSRC can.
ignore=()
tree="$(work_tree)"
if ! own_git_tree "$tree"; then
	ignore=(--ignore UNKNOWN_COMMIT_ID)
elif [[ -n "${KSRC:-}" ]]; then
	GIT_DIR="$(git -C "$tree" rev-parse --absolute-git-dir)"
	export GIT_DIR
fi
fails=0 te=0 tw=0 tc=0 tj=0
for p in "${patches[@]}"; do
	out="$LOG_DIR/checkpatch.$p.log"
	mkdir -p "$LOG_DIR"
	(cd "$PRISTINE_DIR" && perl "$cp" --strict --no-tree --show-types --no-signoff "${ignore[@]}" \
		--codespell --codespellfile=/usr/lib/python3/dist-packages/codespell_lib/data/dictionary.txt \
		"$PATCH_DIR/$p") >"$out" 2>&1 || true
	e=$(grep -c '^ERROR:' "$out" || true)
	w=$(grep -c '^WARNING:' "$out" || true)
	unjust=0 c=0 j=0
	while read -r type; do
		c=$((c + 1))
		if awk -v p="$p" -v t="$type" '$1 == p && $2 == t && NF >= 3 { f = 1 } END { exit !f }' \
			"$JUSTIFY" 2>/dev/null; then
			j=$((j + 1))
		else
			unjust=$((unjust + 1))
		fi
	done < <(sed -n 's/^CHECK:\([A-Z_]*\):.*/\1/p' "$out")
	te=$((te + e)) tw=$((tw + w)) tc=$((tc + c)) tj=$((tj + j))
	if [[ $e -eq 0 && $w -eq 0 && $unjust -eq 0 ]]; then
		printf 'ok checkpatch %s (checks %d, justified %d)\n' "$p" "$c" "$j"
	else
		printf 'not ok checkpatch %s: %d errors, %d warnings, %d unjustified checks (log: %s)\n' \
			"$p" "$e" "$w" "$unjust" "$out"
		grep -E '^(ERROR|WARNING|CHECK):' "$out" | head -n 10 | sed 's/^/    /'
		fails=$((fails + 1))
	fi
done
printf '# checkpatch totals: %d errors, %d warnings, %d checks (%d justified)\n' "$te" "$tw" "$tc" "$tj"
[[ $fails -eq 0 ]]
