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

With KSRC the user's tree is used, with quilt state of its own in
KSRC/$STACK_PC (a .pc the tree already has, such as a Debian source
package's for debian/patches, is left alone). A first apply refuses a git
tree with uncommitted changes. A tree that already carries the series
continues: patches that changed or left the series since they were applied
are popped, the rest of the series is pushed. 'make unapply KSRC=...'
(quilt pop -a) restores the tree exactly.
EOF
}

# save_series TREE: a copy of the series as pushed, in TREE/$STACK_PC/.workbench
# (see saved_quilt in lib.sh).
save_series() {
	local s="$1/$STACK_PC/.workbench" p
	rm -rf "$s"
	mkdir -p "$s"
	series_patches >"$s/series"
	while read -r p; do
		cp "$PATCH_DIR/$p" "$s/$p"
	done < <(series_patches)
}

# continue_stack TREE: TREE carries (part of) the series already. Keep the
# applied patches that are still the series' first ones, unchanged since they
# were pushed (the copies in $STACK_PC/.workbench); pop the rest. 'quilt push -a'
# below then pushes what is missing.
continue_stack() {
	local t="$1" saved="$1/$STACK_PC/.workbench" keep=0 i to
	local -a series applied
	mapfile -t series < <(series_patches)
	mapfile -t applied < <(cat "$t/$STACK_PC/applied-patches" 2>/dev/null || true)
	for i in "${!applied[@]}"; do
		[[ "${applied[$i]}" == "${series[$i]:-}" ]] || break
		if [[ -d "$saved" ]] && ! cmp -s "$saved/${applied[$i]}" "$PATCH_DIR/${applied[$i]}"; then
			break
		fi
		keep=$((i + 1))
	done
	if [[ $keep -lt ${#applied[@]} ]]; then
		to=-a
		[[ $keep -eq 0 ]] || to="${series[$((keep - 1))]}"
		log "apply: ${applied[$keep]} changed or left the series since it was applied: quilt pop $to"
		saved_quilt "$t" pop "$to" >"$LOG_DIR/apply-pop.log" 2>&1 || {
			tail -n 10 "$LOG_DIR/apply-pop.log" >&2
			die "quilt pop in $t failed (log: $LOG_DIR/apply-pop.log)" \
				"files changed after apply? see 'QUILT_PC=$STACK_PC quilt --quiltrc=$QUILTRC diff -z' in $t; or 'make unapply KSRC=$t'"
		}
	fi
	log "apply: $t already carries $keep of ${#series[@]} patches ($STACK_PC); continuing"
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
	[[ ! -d "$tree/.pc" ]] || ! legacy_stack "$tree" || legacy_stack_die "$tree"
	if [[ -d "$tree/$STACK_PC" ]]; then
		continue_stack "$tree"
	elif own_git_tree "$tree"; then
		if [[ -n "$(git -C "$tree" status --porcelain --untracked-files=no)" ]]; then
			die "KSRC=$tree has uncommitted changes; refusing to touch it" \
				"commit or stash them (git -C $tree stash), then re-run"
		fi
	else
		log "apply: KSRC is not a git tree of its own; cleanliness cannot be checked"
	fi
	if [[ -d "$tree/.pc" && ! -d "$tree/$STACK_PC" ]]; then
		log "apply: $tree has quilt state of its own (.pc, $(wc -l <"$tree/.pc/applied-patches" 2>/dev/null || echo 0) patches): left alone; ours goes to $STACK_PC"
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

if [[ -n "${KSRC:-}" ]] && [[ "$(cd "$tree" && pquilt next 2>/dev/null || true)" == "" ]] &&
	[[ -d "$tree/$STACK_PC" ]]; then
	log "apply: all $n patches applied on $tree"
	exit 0
fi
log "apply: quilt push -a --fuzz=0 ($n patches) on $tree"
rc=0
(cd "$tree" && pquilt push -a --fuzz=0) >"$applog" 2>&1 || rc=$?
if [[ -n "${KSRC:-}" && -d "$tree/$STACK_PC" ]]; then
	# what each applied patch was, so that the next run sees a changed one
	save_series "$tree"
fi
if [[ $rc -ne 0 ]]; then
	tail -n 20 "$applog" >&2
	failed="$(cd "$tree" && pquilt next 2>/dev/null || echo unknown)"
	if grep -q "can be reverse-applied" "$applog"; then
		die "patch $failed is already in this tree" \
			"drop it from series (it has landed upstream), then re-run"
	fi
	die "patch $failed does not apply with fuzz 0 (log: $applog)" \
		"rebase it: cd $tree && ${KSRC:+QUILT_PC=$STACK_PC }quilt --quiltrc=$QUILTRC push -f, fix the .rej, quilt refresh"
fi
if [[ -z "${KSRC:-}" ]]; then
	stack_id >"$tree/.pc/.workbench-stack-id"
fi
log "apply: $n patches applied"
