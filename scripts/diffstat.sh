#!/bin/bash
# Rewrite the diffstat of each patch of the series from its own diff.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

usage() {
	cat <<EOF2
Usage: scripts/diffstat.sh [--check]

For every patch in the series of BASE (default: mainline), replace what
stands between the '---' line and the first diff with 'git apply --stat'
of that patch, so the diffstat lists each file once and matches the diff.
Run it after 'quilt refresh' (the quiltrc no longer asks quilt for one).

  --check   change nothing; print the patches whose diffstat is stale and
            exit 1 if there is one
EOF2
}
CHECK=0
case "${1:-}" in
-h | --help) usage; exit 0 ;;
--check) CHECK=1 ;;
"") ;;
*) usage >&2; exit 2 ;;
esac

stale=0
while read -r p; do
	f="$PATCH_DIR/$p"
	[[ -f "$f" ]] || die "$p is listed in $SERIES_FILE but missing; fix the series first"
	stat="$(git apply --stat "$f" | sed 's/[[:space:]]*$//')" ||
		die "git apply --stat cannot read $p; check that it is a unified diff"
	new="$(mktemp)"
	# Header up to '---', the stat, a blank line, then the diff unchanged.
	awk -v stat="$stat" '
		!hdr && /^---$/ { print; print stat; print ""; hdr = 1; skip = 1; next }
		skip && /^(--- a\/|--- \/dev\/null|diff )/ { skip = 0 }
		!skip { print }
	' "$f" >"$new"
	if cmp -s "$f" "$new"; then
		rm -f "$new"
	elif [[ $CHECK -eq 1 ]]; then
		printf 'stale diffstat: %s\n' "$p"
		stale=1
		rm -f "$new"
	else
		mv "$new" "$f"
		printf 'rewrote the diffstat of %s\n' "$p"
	fi
done < <(series_patches)

if [[ $stale -eq 1 ]]; then
	echo "run 'make diffstat' (BASE=$BASE) to rewrite them" >&2
	exit 1
fi
