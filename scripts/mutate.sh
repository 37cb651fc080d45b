#!/bin/bash
# Revert each fixup in turn and check that some KUnit case fails.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

MUTATIONS="$TOPDIR/kunit/mutations-$BASE.txt"

usage() {
	cat <<EOF2
Usage: scripts/mutate.sh [--hibernate] [N...]

For each line of kunit/mutations-<base>.txt (or the numbered ones), edits the
applied tree with the line's sed expression, rebuilds the fast-lane kernel,
runs the amdgpu suites and expects at least one failed case, then restores
the file. Prints "killed" or "SURVIVED" per mutation; a survivor is a
missing test. Checks first that the unmodified tree passes, and puts the
file back on any exit. Costs one incremental build (~1 min) per mutation.
Results: $LOG_DIR/mutate.txt

  --hibernate  run the QEMU hibernate cycle (scripts/hibernate.sh, with the
               simulated VFs on mainline) instead of the KUnit suites, and
               expect it to fail; two TCG boots (~2 min) per mutation
EOF2
}
case "${1:-}" in -h | --help) usage; exit 0 ;; esac
HIBERNATE=0
if [[ "${1:-}" == --hibernate ]]; then
	HIBERNATE=1
	shift
fi
# check: the unmodified tree must pass it, each mutation must fail it
check() {
	if [[ $HIBERNATE -eq 1 ]]; then
		"$TOPDIR/scripts/hibernate.sh"
	else
		"$TOPDIR/scripts/kunit.sh" run --timeout 180
	fi
}
for n in "$@"; do
	[[ "$n" =~ ^[1-9][0-9]*$ ]] || { usage >&2; exit 2; }
done

mapfile -t lines < <(grep -v '^#' "$MUTATIONS" | grep .)
pick=("$@")
if [[ ${#pick[@]} -eq 0 ]]; then
	mapfile -t pick < <(seq 1 "${#lines[@]}")
fi
for n in "${pick[@]}"; do
	[[ $n -le ${#lines[@]} ]] || die "no mutation $n: $MUTATIONS has ${#lines[@]}" "pick numbers from 1 to ${#lines[@]}"
done
tree="$(work_tree)"
[[ -d "$tree/$STACK_PC" ]] || die "the stack is not applied to $tree" "run 'make apply' first"
stale="$(find "$tree/drivers" -name '*.mutate-orig' -print -quit)"
[[ -z "$stale" ]] || die "an interrupted run left $stale; move it back over ${stale%.mutate-orig} and run again"

# The file under mutation; put back on any exit, Ctrl-C included.
cur=""
restore() {
	if [[ -n "$cur" && -f "$cur.mutate-orig" ]]; then
		mv "$cur.mutate-orig" "$cur"
		touch "$cur"
	fi
}
trap restore EXIT
trap 'exit 130' INT TERM

# A mutation is "killed" only if the unmodified tree passes: check that first
log "mutate: baseline: the unmodified tree must build and pass"
"$TOPDIR/scripts/kunit.sh" build >/dev/null 2>&1 ||
	die "the unmodified tree does not build; see $LOG_DIR/kunit-fast.build.log"
check >/dev/null 2>&1 ||
	die "the unmodified tree fails the check; fix that first (see $LOG_DIR/kunit-fast.parsed.txt or $LOG_DIR/hibernate.boot2.log)"

out="$LOG_DIR/mutate.txt"
mkdir -p "$LOG_DIR"
: >"$out"
survivors=0
for n in "${pick[@]}"; do
	line="${lines[$((n - 1))]}"
	file="$(awk -F' [|] ' '{ print $1 }' <<<"$line")"
	expr="$(awk -F' [|] ' '{ print $2 }' <<<"$line")"
	what="$(awk -F' [|] ' '{ print $3 }' <<<"$line")"
	cur="$tree/$file"
	cp -p "$tree/$file" "$tree/$file.mutate-orig"
	sed -i "$expr" "$tree/$file"
	if cmp -s "$tree/$file" "$tree/$file.mutate-orig"; then
		mv "$tree/$file.mutate-orig" "$tree/$file"
		printf 'INVALID  %2d %s (the expression changed nothing)\n' "$n" "$what" | tee -a "$out"
		survivors=$((survivors + 1))
		continue
	fi
	result=killed
	rm -f "$LOG_DIR/kunit-fast.parsed.txt"
	if ! "$TOPDIR/scripts/kunit.sh" build >/dev/null 2>&1; then
		result="killed (does not build)"
	elif check >/dev/null 2>&1; then
		result=SURVIVED
		survivors=$((survivors + 1))
	fi
	# kunit.py prefixes its lines with a timestamp: "[09:12:34] [FAILED] case"
	if [[ $HIBERNATE -eq 1 ]]; then
		failed="$(grep -h 'HIBERNATE: FAIL' "$LOG_DIR"/hibernate.boot[12].log 2>/dev/null | head -n 2 | tr '\n' ' ' || true)"
	else
		failed="$(kunit_failed_cases "$LOG_DIR/kunit-fast.parsed.txt" | head -n 3 | tr '\n' ' ' || true)"
	fi
	restore
	cur=""
	printf '%-8s %2d %s  %s\n' "$result" "$n" "$what" "${failed:0:160}" | tee -a "$out"
done
log "mutate: ${#pick[@]} mutations, $survivors survived or invalid; rebuilding the unmodified kernel"
"$TOPDIR/scripts/kunit.sh" build >/dev/null
[[ $survivors -eq 0 ]] || die "$survivors mutations survived (see $out)" "add a test that fails for each"
