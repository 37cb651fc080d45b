#!/bin/bash
# Apply the quilt series to the embedded base copy or to the user's KSRC tree.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

usage() {
	cat <<EOF
Usage: scripts/apply.sh [--fresh]
       KSRC=/path/to/tree scripts/apply.sh

Applies every patch in 'series' with 'quilt push -a --fuzz=0' using the
project quiltrc.

Without KSRC the tree is $WORK_TREE_DEFAULT, a copy of the
pristine base (scripts/base.sh). --fresh re-creates that copy first. An
embedded tree that already carries the whole series is left alone.

With KSRC the user's tree is used. It is refused when it is a git tree with
uncommitted changes, or when a stack is already applied (a .pc directory).
'make unapply KSRC=...' (quilt pop -a) restores it exactly.
EOF
}

FRESH=0
case "${1:-}" in
-h | --help) usage; exit 0 ;;
--fresh) FRESH=1 ;;
"") ;;
*) usage >&2; exit 2 ;;
esac

tree="$(work_tree)"
mkdir -p "$LOG_DIR"
applog="$LOG_DIR/apply.log"

if [[ -n "${KSRC:-}" ]]; then
	[[ -f "$tree/Makefile" && -d "$tree/drivers/gpu/drm/amd/amdgpu" ]] ||
		die "KSRC=$tree is not a kernel tree with amdgpu" "point KSRC at the top of a kernel source tree"
	if [[ -d "$tree/.pc" ]]; then
		die "KSRC=$tree already has quilt state (.pc): a stack is applied" \
			"run 'make unapply KSRC=$tree' first, or remove .pc if you know it is stale"
	fi
	if git -C "$tree" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
		if [[ -n "$(git -C "$tree" status --porcelain --untracked-files=no)" ]]; then
			die "KSRC=$tree has uncommitted changes; refusing to touch it" \
				"commit or stash them (git -C $tree stash), then re-run"
		fi
	else
		log "apply: KSRC is not a git tree; cleanliness cannot be checked"
	fi
else
	"$TOPDIR/scripts/base.sh"
	if [[ $FRESH -eq 1 ]]; then
		rm -rf "$tree"
	fi
	if [[ -d "$tree/.pc" ]]; then
		if [[ -f "$tree/.pc/.workbench-stack-id" &&
			"$(cat "$tree/.pc/.workbench-stack-id")" == "$(stack_id)" ]]; then
			log "apply: $tree already carries this series ($(series_patches | wc -l) patches)"
			exit 0
		fi
		log "apply: the series or a patch changed since the last apply; re-creating $tree"
		rm -rf "$tree"
	fi
	if [[ ! -d "$tree" ]]; then
		log "apply: copying pristine base to $tree"
		cp -a "$PRISTINE_DIR" "$tree.tmp"
		mv "$tree.tmp" "$tree"
	fi
fi

n="$(series_patches | wc -l)"
if [[ "$n" -eq 0 ]]; then
	log "apply: series is empty; nothing to apply"
	exit 0
fi

log "apply: quilt push -a --fuzz=0 ($n patches) on $tree"
if ! (cd "$tree" && pquilt push -a --fuzz=0) >"$applog" 2>&1; then
	tail -n 20 "$applog" >&2
	failed="$(cd "$tree" && pquilt next 2>/dev/null || echo unknown)"
	if grep -q "can be reverse-applied" "$applog"; then
		die "patch $failed is already in this tree" \
			"drop it from series (it has landed upstream), then re-run"
	fi
	die "patch $failed does not apply with fuzz 0 (log: $applog)" \
		"rebase it: cd $tree && quilt --quiltrc=$QUILTRC push -f, fix the .rej, quilt refresh"
fi
if [[ -z "${KSRC:-}" ]]; then
	stack_id >"$tree/.pc/.workbench-stack-id"
fi
log "apply: $n patches applied"
