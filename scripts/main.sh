#!/bin/bash
# The main job: deps, base, apply, build, KUnit in QEMU, summary.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

usage() {
	cat <<EOF2
Usage: scripts/main.sh            (what 'make' runs)
       KSRC=/path scripts/main.sh

Stages: deps (scripts/deps.sh), apply (unpack the pinned base and
quilt push -a --fuzz=0, or use KSRC), build (x86_64 KUnit kernel), kunit
(amdgpu suites in QEMU). Then prints a summary: base version and source,
patches applied, build result, KUnit counts and time per stage.
Logs: $LOG_DIR
EOF2
}
case "${1:-}" in
-h | --help) usage; exit 0 ;;
"") ;;
*) usage >&2; exit 2 ;;
esac

mkdir -p "$LOG_DIR"
rm -f "$LOG_DIR/stages.tsv" "$LOG_DIR/kunit-fast.summary"
rc=0
run_stage deps "$TOPDIR/scripts/deps.sh" &&
	run_stage apply "$TOPDIR/scripts/apply.sh" &&
	run_stage build "$TOPDIR/scripts/kunit.sh" build &&
	run_stage kunit "$TOPDIR/scripts/kunit.sh" run || rc=$?
"$TOPDIR/scripts/summary.sh"
exit "$rc"
