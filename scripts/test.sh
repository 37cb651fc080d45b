#!/bin/bash
# Everything the project checks, on every base; ends with "N passed, N failed".
set -euo pipefail
REQ_BASE="${BASE:-}"
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
# a KSRC tree carries one series: the BASE given or its version's (lib.sh)
[[ -z "${KSRC:-}" ]] || REQ_BASE="$BASE"

usage() {
	cat <<EOF2
Usage: scripts/test.sh [--fast]          (what 'make test' runs)
       BASE=mainline|6.12 scripts/test.sh  (one base only)

Once: deps (scripts/deps.sh) and selftest (shellcheck on every script,
bats scripts/tests/*.bats). Then, for each base (${BASES[*]}), counting
every check and every KUnit case:
  series        scripts/series-check.sh (listing, headers, fuzz-0 apply, no offsets)
  matrix-apply  6.12 only: scripts/matrix.sh --apply-only (the series, after
                its prerequisites, at fuzz 0 on every linux-source-6.12 in
                the archive; no build)
  checkpatch    scripts/checkpatch.sh (the base's own checkpatch --strict)
  apply         scripts/apply.sh (the tree the build uses)
  kernel-doc    scripts/kdoc.sh (no new kernel-doc warnings)
  build         scripts/kunit.sh build (x86_64 KUnit kernel)
  exports       scripts/exports.sh (every symbol the test module uses is
                exported, so it also loads as a module)
  warnings      scripts/warnings.sh (sparse C=1 and W=1: nothing new vs the base)
  bisect        scripts/bisect.sh (every prefix applies and its objects build)
  mbox          scripts/mbox.sh (b4 writes .eml files; git am round trip)
  kunit         scripts/kunit.sh run (each KUnit case counts)
  smoke         scripts/smoke.sh (QEMU boot with a busybox initramfs)
  hibernate     scripts/hibernate.sh (hibernate to swap in QEMU, resume, marker)
  hibernate-mutant
                scripts/mutate.sh --hibernate with the mutation that
                accepts a VF of other VRAM size: the cycle must fail
  build-slow    scripts/kunit.sh build --lane slow (sanitizer kernel)
  kunit-slow    every suite under KASAN, UBSAN, lockdep, DEBUG_ATOMIC_SLEEP
                and DEBUG_LIST (kunit/amdgpu-slow.kunitconfig)
--fast skips the slow lane. Each result line names its base.
Results: build/logs/test-results.txt (all), build/<base>/logs/ (per base).
The last line is "N passed, N failed"; the exit status is 1 on any failure.
EOF2
}
FAST=0
case "${1:-}" in
-h | --help) usage; exit 0 ;;
--fast) FAST=1 ;;
"") ;;
*) usage >&2; exit 2 ;;
esac

if [[ -n "$REQ_BASE" ]]; then
	bases=("$REQ_BASE")
else
	bases=("${BASES[@]}")
fi
ALL_LOGS="$TOPDIR/build/logs${KSRC:+/ksrc-$KSRC_ID}"
mkdir -p "$ALL_LOGS"
all="$ALL_LOGS/test-results.txt"
: >"$all"

# check NAME CMD...: run CMD, keep its "ok ..."/"not ok ..." lines as results
# in $results, each prefixed with the base.
check() {
	local name="$1" out rc=0
	shift
	out="$LOG_DIR/test.$name.log"
	mkdir -p "$LOG_DIR"
	run_stage "$name" "$@" >"$out" 2>&1 || rc=$?
	{
		grep -E '^(not )?ok ' "$out" || true
		if [[ $rc -ne 0 ]] && ! grep -q '^not ok ' "$out"; then
			echo "not ok $name: exited $rc (log: $out)"
		elif [[ $rc -eq 0 ]] && ! grep -qE '^(not )?ok ' "$out"; then
			echo "ok $name"
		fi
	} | sed -E "s/^(not ok|ok) /\1 [$TAG] /" >>"$results"
	if [[ $rc -ne 0 ]]; then
		log "test: [$TAG] $name FAILED (log: $out)"
		tail -n 15 "$out" >&2
	else
		log "test: [$TAG] $name passed"
	fi
	return "$rc"
}

selftest() {
	local f tap rc=0
	while read -r f; do
		if shellcheck -x "$f" >/dev/null 2>&1; then
			echo "ok shellcheck $f"
		else
			echo "not ok shellcheck $f"
			rc=1
		fi
	done < <(cd "$TOPDIR" && printf '%s\n' scripts/*.sh scripts/qemu-tcg/* qemu-configs/*.sh .ci/run)
	tap="$(cd "$TOPDIR" && bats --tap scripts/tests)" || rc=1
	sed -nE 's/^ok [0-9]+ (.*)/ok selftest: \1/p; s/^not ok [0-9]+ (.*)/not ok selftest: \1/p' <<<"$tap"
	return "$rc"
}

# The hibernate cycle must fail when the stack accepts the VF it refuses:
# one mutation (kunit/mutations-mainline.txt), found by what it reverts.
HIBERNATE_MUTANT='a different VRAM size is accepted'
hibernate_mutants() {
	local n rc=0
	n="$(grep -v '^#' "$TOPDIR/kunit/mutations-$BASE.txt" | grep . |
		grep -n -F " | $HIBERNATE_MUTANT" | cut -d: -f1 | head -n 1)"
	if [[ -z "$n" ]]; then
		echo "not ok hibernate-mutant: no mutation '$HIBERNATE_MUTANT' in kunit/mutations-$BASE.txt"
		return 1
	fi
	rm -f "$LOG_DIR/mutate.txt"
	"$TOPDIR/scripts/mutate.sh" --hibernate "$n" || rc=$?
	[[ -f "$LOG_DIR/mutate.txt" ]] || { echo "not ok hibernate-mutant: mutate.sh ran no mutation"; return 1; }
	awk '$1 == "killed" && $2 ~ /^[0-9]+$/ { print "ok hibernate-mutant " $2 ": killed"; next }
	     { print "not ok hibernate-mutant: " $0 }' "$LOG_DIR/mutate.txt"
	return "$rc"
}

kunit_cases() {
	local lane="$1" rc=0
	"$TOPDIR/scripts/kunit.sh" run --lane "$lane" || rc=$?
	if [[ -f "$(kunit_result "$lane" json)" ]]; then
		python3 "$TOPDIR/scripts/kunit-summary.py" "$(kunit_result "$lane" json)" --cases |
			awk -v lane="$lane" '
			     # parameter descriptions have spaces: keep the whole name
			     { name = substr($0, index($0, " ") + 1) }
			     $1 == "PASS" || $1 == "SKIP" { print "ok kunit-" lane " " name; next }
			     /^suites=/ { next }
			     { print "not ok kunit-" lane " " name " (" $1 ")" }'
	fi
	return "$rc"
}

# The checks of one base; run in a subshell with BASE set and lib.sh re-read.
one_base() {
	rm -f "$LOG_DIR/stages.tsv" "$LOG_DIR/kunit-fast.summary" "$(kunit_result fast json)"
	check series "$TOPDIR/scripts/series-check.sh" || true
	# the 6.12 series on every 6.12.y of the archive: apply only (make
	# matrix builds them; too long for CI, see README)
	if [[ "$BASE" == 6.12 && -z "${KSRC:-}" ]]; then
		check matrix-apply "$TOPDIR/scripts/matrix.sh" --apply-only --no-readme || true
	fi
	check checkpatch "$TOPDIR/scripts/checkpatch.sh" || true
	if ! check apply "$TOPDIR/scripts/apply.sh"; then
		echo "not ok [$TAG] build: not run, the stack did not apply" >>"$results"
		return 0
	fi
	check kernel-doc "$TOPDIR/scripts/kdoc.sh" || true
	if check build "$TOPDIR/scripts/kunit.sh" build; then
		check exports "$TOPDIR/scripts/exports.sh" || true
		check warnings "$TOPDIR/scripts/warnings.sh" || true
		check bisect "$TOPDIR/scripts/bisect.sh" || true
		check kunit kunit_cases fast || true
		check smoke "$TOPDIR/scripts/smoke.sh" || true
		if check hibernate "$TOPDIR/scripts/hibernate.sh"; then
			check hibernate-mutant hibernate_mutants || true
		fi
	else
		echo "not ok [$TAG] kunit: not run, the build failed" >>"$results"
	fi
	check mbox "$TOPDIR/scripts/mbox.sh" || true
	if [[ $FAST -eq 0 ]]; then
		if check build-slow "$TOPDIR/scripts/kunit.sh" build --lane slow; then
			check kunit-slow kunit_cases slow || true
		fi
	fi
	"$TOPDIR/scripts/summary.sh" || true
}

TAG=all
results="$all"
LOG_DIR="$ALL_LOGS"
check deps "$TOPDIR/scripts/deps.sh" || true
check selftest selftest || true

for b in "${bases[@]}"; do
	(
		use_base "$b"
		TAG="$b"
		mkdir -p "$LOG_DIR"
		results="$LOG_DIR/test-results.txt"
		: >"$results"
		log "test: ===== base $b ($BASE_PKG $BASE_PKG_VERSION, $(series_patches | wc -l) patches) ====="
		one_base
		cat "$results" >>"$all"
	)
done

passed=$(grep -c '^ok ' "$all" || true)
failed=$(grep -c '^not ok ' "$all" || true)
for b in "${bases[@]}"; do
	printf '%-9s %4d passed, %d failed\n' "$b:" \
		"$(grep -c "^ok \[$b\] " "$all" || true)" "$(grep -c "^not ok \[$b\] " "$all" || true)"
done
if [[ $failed -gt 0 ]]; then
	echo "failed checks:"
	grep '^not ok ' "$all" | sed 's/^/  /'
fi
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
