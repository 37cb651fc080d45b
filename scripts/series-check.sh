#!/bin/bash
# Series hygiene: listing, headers, and a fuzz-0 apply on a pristine base.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

usage() {
	cat <<EOF2
Usage: scripts/series-check.sh [--no-apply]

Prints one "ok|not ok <check>" line per check:
  - every file in patches/ is listed in series, every listed file exists;
  - each patch has From:, Subject: [PATCH] <prefix>: ..., Date:, a changelog,
    at least one trailer, a '---' line and a diffstat that matches the
    diff (git apply --stat), and no trailing whitespace above the diff;
  - each patch applies in series order with fuzz 0 and no offset on a fresh
    copy of the pristine base (skipped with --no-apply): a hunk header that
    is off by a line means an earlier patch changed and this one was not
    refreshed. With KSRC the base is that tree's own state without the
    stack (scripts/base.sh), and an offset there is reported, not failed:
    the series is made on the pinned base, not on that tree.
Exit 1 if any check failed.
EOF2
}
APPLY=1
case "${1:-}" in
-h | --help) usage; exit 0 ;;
--no-apply) APPLY=0 ;;
"") ;;
*) usage >&2; exit 2 ;;
esac

fails=0
ok() { printf 'ok %s\n' "$1"; }
notok() { printf 'not ok %s: %s\n' "$1" "$2"; fails=$((fails + 1)); }

listed="$(series_patches | sort)"
present="$(cd "$PATCH_DIR" && find . -maxdepth 1 -type f -name '*.patch' | sed 's|^\./||' | sort)"
if [[ "$listed" == "$present" ]]; then
	ok "series lists exactly the files in patches/"
else
	notok "series lists exactly the files in patches/" \
		"$(diff <(echo "$listed") <(echo "$present") | grep '^[<>]' | tr '\n' ' ')"
fi

while read -r p; do
	f="$PATCH_DIR/$p"
	[[ -f "$f" ]] || { notok "header $p" "listed in series but missing"; continue; }
	why=""
	grep -qm1 '^From: .\+ <.\+@.\+>$' "$f" || why+="no From: with address; "
	grep -qm1 '^Date: ' "$f" || why+="no Date:; "
	grep -qm1 '^Subject: \[PATCH[^]]*\] [a-z0-9/_-]\+: .\+' "$f" || why+="Subject not '[PATCH] prefix: summary'; "
	# Changelog: non-trailer text between the header and '---'.
	body="$(awk '/^$/ && !h { h = 1; next } h && /^---$/ { exit } h { print }' "$f")"
	[[ "$(grep -cvE '^([A-Za-z-]+: |$)' <<<"$body")" -ge 3 ]] || why+="changelog shorter than 3 lines; "
	grep -qE '^(Assisted-by|Signed-off-by|Reviewed-by|Acked-by|Link|Cc|Suggested-by|Fixes): ' <<<"$body" ||
		why+="no trailer; "
	grep -qx -- '---' "$f" || why+="no '---' line; "
	grep -qE '^ [0-9]+ files? changed' "$f" || why+="no diffstat; "
	# quilt's diffstat pads lines; newer checkpatch rejects trailing whitespace
	awk '/^(--- a\/|--- \/dev\/null|diff )/ { exit } /[ \t]$/ { f = 1 } END { exit !f }' "$f" &&
		why+="trailing whitespace above the diff (strip it: sed the header lines); "
	[[ "$(awk '/^---$/ { s = 1; next } s && /^$/ { exit } s { print }' "$f")" == \
		"$(git apply --stat "$f" | sed 's/[[:space:]]*$//')" ]] ||
		why+="diffstat does not match the diff (run make diffstat); "
	if [[ -z "$why" ]]; then ok "header $p"; else notok "header $p" "$why"; fi
done < <(series_patches)

if [[ $APPLY -eq 1 ]]; then
	"$TOPDIR/scripts/base.sh" >/dev/null
	scratch="$BUILD_DIR/series-check"
	rm -rf "$scratch"
	mkdir -p "$LOG_DIR"
	# Hard links are safe: patch(1) writes new files and renames them.
	cp -al "$PRISTINE_DIR" "$scratch"
	while read -r p; do
		if (cd "$scratch" && pquilt push --fuzz=0) >"$LOG_DIR/series-check.$p.log" 2>&1; then
			if grep -q '(offset [0-9-]* lines\?)' "$LOG_DIR/series-check.$p.log"; then
				if [[ -n "${KSRC:-}" ]]; then
					ok "applies with fuzz 0: $p (a hunk lands at an offset in KSRC)"
				else
					notok "applies with fuzz 0: $p" "a hunk lands at an offset (refresh it: quilt push, quilt refresh)"
				fi
			else
				ok "applies with fuzz 0: $p"
			fi
		else
			notok "applies with fuzz 0: $p" "see $LOG_DIR/series-check.$p.log"
			break
		fi
	done < <(series_patches)
	rm -rf "$scratch"
fi
[[ $fails -eq 0 ]]
