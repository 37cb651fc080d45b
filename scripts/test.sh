#!/bin/bash
# Everything the project checks; ends with "N passed, N failed".
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

usage() {
	cat <<EOF2
Usage: scripts/test.sh [--fast]   (what 'make test' runs)

Runs, in order, and counts every check and every KUnit case:
  deps          scripts/deps.sh (installs what is missing when root)
  selftest      shellcheck on every script, bats scripts/tests/*.bats
  series        scripts/series-check.sh (listing, headers, fuzz-0 apply)
  checkpatch    scripts/checkpatch.sh (--strict, justified CHECKs only)
  apply         scripts/apply.sh (the tree the build uses)
  kernel-doc    scripts/kdoc.sh (no new kernel-doc warnings)
  build         scripts/kunit.sh build (x86_64 KUnit kernel)
  warnings      scripts/warnings.sh (sparse C=1 and W=1: nothing new vs the base)
  bisect        scripts/bisect.sh (every prefix applies and its objects build)
  mbox          scripts/mbox.sh (b4 writes .eml files; git am round trip)
  kunit         scripts/kunit.sh run (each KUnit case counts)
  smoke         scripts/smoke.sh (QEMU boot with a busybox initramfs)
  hibernate     scripts/hibernate.sh (hibernate to swap in QEMU, resume, marker)
  bench         scripts/bench.sh --collect (the benchmark table of the KUnit run)
  build-slow    scripts/kunit.sh build --lane slow (sanitizer kernel)
  kunit-slow    the whole amdgpu suite under KASAN, UBSAN, lockdep,
                DEBUG_ATOMIC_SLEEP and DEBUG_LIST (kunit/amdgpu-slow.kunitconfig)
The slow lane needs a second cold kernel build (~13 min on 2 cores); with
it a cold CI run takes about 31 min, inside CI's 90. --fast skips it.
Results: $LOG_DIR/test-results.txt; stage times in $LOG_DIR/stages.tsv.
The last line is "N passed, N failed"; the exit status is 1 on any failure.
EOF2
}
FULL=1
case "${1:-}" in
-h | --help) usage; exit 0 ;;
--full) FULL=1 ;;
--fast) FULL=0 ;;
"") ;;
*) usage >&2; exit 2 ;;
esac

mkdir -p "$LOG_DIR"
results="$LOG_DIR/test-results.txt"
: >"$results"
rm -f "$LOG_DIR/stages.tsv" "$LOG_DIR/kunit-fast.summary" "$LOG_DIR/kunit-fast.json"

# check NAME CMD...: run CMD, keep its "ok ..."/"not ok ..." lines as results.
check() {
	local name="$1" out rc=0
	shift
	out="$LOG_DIR/test.$name.log"
	run_stage "$name" "$@" >"$out" 2>&1 || rc=$?
	grep -E '^(not )?ok ' "$out" >>"$results" || true
	if [[ $rc -ne 0 ]] && ! grep -q '^not ok ' "$out"; then
		echo "not ok $name: exited $rc (log: $out)" >>"$results"
	elif [[ $rc -eq 0 ]] && ! grep -qE '^(not )?ok ' "$out"; then
		echo "ok $name" >>"$results"
	fi
	if [[ $rc -ne 0 ]]; then
		log "test: $name FAILED (log: $out)"
		tail -n 15 "$out" >&2
	else
		log "test: $name passed"
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
	done < <(cd "$TOPDIR" && printf '%s\n' scripts/*.sh qemu-configs/*.sh .ci/run)
	tap="$(cd "$TOPDIR" && bats --tap scripts/tests)" || rc=1
	sed -nE 's/^ok [0-9]+ (.*)/ok selftest: \1/p; s/^not ok [0-9]+ (.*)/not ok selftest: \1/p' <<<"$tap"
	return "$rc"
}

kunit_cases() {
	local lane="$1" rc=0
	"$TOPDIR/scripts/kunit.sh" run --lane "$lane" || rc=$?
	if [[ -f "$LOG_DIR/kunit-$lane.json" ]]; then
		python3 "$TOPDIR/scripts/kunit-summary.py" "$LOG_DIR/kunit-$lane.json" --cases |
			awk -v lane="$lane" '
			     $1 == "PASS" || $1 == "SKIP" { print "ok kunit-" lane " " $2; next }
			     /^suites=/ { next }
			     { print "not ok kunit-" lane " " $2 " (" $1 ")" }'
	fi
	return "$rc"
}

check deps "$TOPDIR/scripts/deps.sh" || true
check selftest selftest || true
check series "$TOPDIR/scripts/series-check.sh" || true
check checkpatch "$TOPDIR/scripts/checkpatch.sh" || true
if check apply "$TOPDIR/scripts/apply.sh"; then
	check kernel-doc "$TOPDIR/scripts/kdoc.sh" || true
	if check build "$TOPDIR/scripts/kunit.sh" build; then
		check warnings "$TOPDIR/scripts/warnings.sh" || true
		check bisect "$TOPDIR/scripts/bisect.sh" || true
		check kunit kunit_cases fast || true
		check bench "$TOPDIR/scripts/bench.sh" --collect || true
		check smoke "$TOPDIR/scripts/smoke.sh" || true
		check hibernate "$TOPDIR/scripts/hibernate.sh" || true
	else
		echo "not ok kunit: not run, the build failed" >>"$results"
		echo "not ok smoke: not run, the build failed" >>"$results"
	fi
	check mbox "$TOPDIR/scripts/mbox.sh" || true
	if [[ $FULL -eq 1 ]]; then
		if check build-slow "$TOPDIR/scripts/kunit.sh" build --lane slow; then
			check kunit-slow kunit_cases slow || true
		fi
	fi
else
	echo "not ok build: not run, the stack did not apply" >>"$results"
fi

"$TOPDIR/scripts/summary.sh" || true
passed=$(grep -c '^ok ' "$results" || true)
failed=$(grep -c '^not ok ' "$results" || true)
if [[ $failed -gt 0 ]]; then
	echo "failed checks:"
	grep '^not ok ' "$results" | sed 's/^/  /'
fi
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
