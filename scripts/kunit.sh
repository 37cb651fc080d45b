#!/bin/bash
# Build the x86_64 KUnit kernel of the patched tree and run the amdgpu suites.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

usage() {
	cat <<EOF
Usage: scripts/kunit.sh build|run|parse [options]

  build   build the KUnit kernel with kunit.py --arch=x86_64 (ccache,
          persistent build directory, --jobs=\$(nproc))
  run     boot it in QEMU and run the suites; KVM if scripts/kvm-probe.sh
          says it works, TCG otherwise
  parse   read the console log of the last run again (no QEMU): the
          summary, the results files and, on failure, the failing suites

Options:
  --lane fast|slow   fast: the series' own
                     drivers/gpu/drm/amd/amdgpu/tests/.kunitconfig plus
                     kunit/boot.kunitconfig (both bases).
                     Built into $KUNIT_BUILD_DIR.
                     slow: adds kunit/amdgpu-slow.kunitconfig (KASAN, UBSAN,
                     lockdep, ...) into $BUILD_DIR/kunit-x86_64-slow
  --lane bench|bench-upstream
                     for scripts/bench.sh: the series'
                     .kunitconfig plus kunit/amdgpu-bench.kunitconfig, on the
                     patched tree (bench) or on $BENCH_UPSTREAM_TREE,
                     the series up to its benchmark patch (bench-upstream)
  --suite GLOB       suites to run, kunit.py's filter_glob (default \$SUITE or
                     'amdgpu*'), e.g. 'amdgpu_fake_device' or 'amdgpu_gmc*.*xgmi*'.
                     (Named so that it is not kunit.py's --filter, which selects
                     by test attributes.)
  --timeout SEC      QEMU run time limit (default 900)

Logs: $LOG_DIR/kunit-<lane>.{build.log,console.log,parsed.txt,summary}
Results: $RESULTS_DIR/kunit-$RESULTS_ID-<lane>.{json,junit.xml}
  (JSON from kunit.py; JUnit from kunit.py where it has --junit, else from
  scripts/kunit-summary.py, e.g. on 6.12)
The summary line is "suites=N tests=N passed=N failed=N skipped=N crashed=N".
On failure, kunit.py's tree of each failing suite is shown, with the failed
expectations and their expected and actual values.
EOF
}

[[ $# -ge 1 ]] || { usage >&2; exit 2; }
ACTION="$1"
shift
case "$ACTION" in
-h | --help) usage; exit 0 ;;
build | run | parse) ;;
*) usage >&2; exit 2 ;;
esac

LANE=fast
SUITE_GLOB="${SUITE:-amdgpu*}"
TIMEOUT=900
while [[ $# -gt 0 ]]; do
	case "$1" in
	--lane) LANE="$2"; shift 2 ;;
	--suite) SUITE_GLOB="$2"; shift 2 ;;
	--filter)
		printf '%s\n' "--filter is now --suite GLOB (kunit.py's own --filter selects by attribute)" >&2
		usage >&2
		exit 2
		;;
	--timeout) TIMEOUT="$2"; shift 2 ;;
	-h | --help) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
done

tree="$(work_tree)"
bdir="$KUNIT_BUILD_DIR"
case "$LANE" in
fast) ;;
slow) bdir="$BUILD_DIR/kunit-x86_64-slow" ;;
bench) bdir="$BUILD_DIR/kunit-x86_64-bench" ;;
bench-upstream)
	bdir="$BUILD_DIR/kunit-x86_64-bench-upstream"
	tree="$BENCH_UPSTREAM_TREE"
	[[ -d "$tree" ]] || die "no tree at $tree" "scripts/bench.sh prepares it"
	;;
*) die "unknown lane '$LANE'" "use --lane fast, slow, bench or bench-upstream" ;;
esac
mapfile -t kconfigs < <(kunitconfigs "$tree" "$LANE")

mkdir -p "$LOG_DIR" "$bdir"
kunitpy=(python3 "$tree/tools/testing/kunit/kunit.py")
[[ -f "$tree/tools/testing/kunit/kunit.py" ]] ||
	die "$tree has no tools/testing/kunit/kunit.py" "run 'make apply' first (or check KSRC)"

# Reproducible builds so ccache hits across clones and re-runs.
export KBUILD_BUILD_TIMESTAMP="Sun Nov 17 00:00:00 UTC 2024"
export KBUILD_BUILD_USER=kunit KBUILD_BUILD_HOST=workbench
export CCACHE_BASEDIR="$BUILD_DIR"
export CCACHE_NOHASHDIR=1
export CCACHE_MAXSIZE="${CCACHE_MAXSIZE:-20G}"

if [[ "$ACTION" == build ]]; then
	log="$LOG_DIR/kunit-$LANE.build.log"
	log "kunit: building the $LANE-lane kernel in $bdir (cold: ~25 min on 2 cores, warm: ~1 min; log: $log)"
	start=$(date +%s)
	(
		cd "$tree"
		"${kunitpy[@]}" build --arch=x86_64 --build_dir="$bdir" "${kconfigs[@]}" \
			--jobs="$(nproc)" --make_options "CC=ccache gcc"
	) >"$log" 2>&1 &
	pid=$!
	# Progress: count compiled objects every 30 s.
	while kill -0 "$pid" 2>/dev/null; do
		sleep 30
		kill -0 "$pid" 2>/dev/null || break
		log "kunit: still building ($(( $(date +%s) - start )) s, $(find "$bdir" -name '*.o' -newer "$log" 2>/dev/null | wc -l) objects rebuilt so far)"
	done
	if ! wait "$pid"; then
		grep -E 'error:|Error [0-9]|ERROR' "$log" | head -n 20 >&2 || true
		die "KUnit kernel build failed (log: $log)" \
			"fix the first compiler error above; 'quilt --quiltrc=quiltrc top' in $tree shows the top patch"
	fi
	log "kunit: build done in $(( $(date +%s) - start )) s"
	exit 0
fi

console="$LOG_DIR/kunit-$LANE.console.log"
json="$(kunit_result "$LANE" json)"
junit="$(kunit_result "$LANE" junit.xml)"
parsed="$LOG_DIR/kunit-$LANE.parsed.txt"
summary="$LOG_DIR/kunit-$LANE.summary"
mkdir -p "$RESULTS_DIR"
if [[ "$ACTION" == parse ]]; then
	[[ -f "$console" ]] || die "no console log $console" "run 'scripts/kunit.sh run --lane $LANE' first"
	rm -f "$json" "$junit"
else
	[[ -f "$bdir/arch/x86/boot/bzImage" ]] ||
		die "no kernel in $bdir" "run 'scripts/kunit.sh build --lane $LANE' first"
	qemu_args=()
	if "$TOPDIR/scripts/kvm-probe.sh" "$bdir/arch/x86/boot/bzImage" >/dev/null 2>&1; then
		qemu_args=(--qemu_args='-accel kvm')
		accel=kvm
	else
		accel=tcg
		# kunit.py on 7.x asks for "-accel kvm -accel hvf -accel tcg"; a KVM
		# that initialises and then hangs would never fall back. The shim
		# drops the hardware accelerators.
		export PATH="$TOPDIR/scripts/qemu-tcg:$PATH"
	fi
	rm -f "$json" "$junit"
	echo "$accel" >"$LOG_DIR/kunit-$LANE.accel"
	log "kunit: running '$SUITE_GLOB' in QEMU ($accel); console: $console"
	set +e
	(
		cd "$tree"
		"${kunitpy[@]}" exec --arch=x86_64 --build_dir="$bdir" "${kconfigs[@]}" \
			--timeout="$TIMEOUT" "${qemu_args[@]}" --raw_output=all "$SUITE_GLOB"
	) >"$console" 2>&1
	set -e
fi
set +e
parse_opts=(--json="$json")
if (cd "$tree" && "${kunitpy[@]}" parse --help) 2>/dev/null | grep -q -- '--junit'; then
	parse_opts+=(--junit="$junit")
fi
(cd "$tree" && "${kunitpy[@]}" parse "${parse_opts[@]}" "$console") >"$parsed" 2>&1
set -e
if [[ -f "$json" && ! -f "$junit" ]]; then
	python3 "$TOPDIR/scripts/kunit-summary.py" --junit "$junit" "$json" "$parsed" ||
		log "kunit: could not write $junit from $json"
fi
python3 "$TOPDIR/scripts/kunit-summary.py" "$json" >"$summary" ||
	die "cannot read KUnit results from $json" "look at $console: did the kernel boot?"
cat "$summary"
grep -nE 'BUG:|WARNING:|KASAN|UBSAN|possible circular locking|Kernel panic' "$console" >&2 &&
	die "the KUnit kernel reported a kernel problem (see $console)" \
		"read the first report above; it is a bug in the stack or its tests"
if ! grep -q ' failed=0 ' "$summary" || ! grep -q ' crashed=0$' "$summary" ||
	grep -q ' tests=0 ' "$summary"; then
	python3 "$TOPDIR/scripts/kunit-summary.py" --failures "$parsed" >&2 || true
	die "KUnit failures in the $LANE lane (above: kunit.py's tree of each failing suite; all: $parsed)" \
		"run one suite: scripts/kunit.sh run --suite '<suite>' (make kunit SUITE='<suite>')"
fi
