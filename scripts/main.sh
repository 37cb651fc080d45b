#!/bin/bash
# The main job, on every base: deps, base, apply, build, KUnit in QEMU, summary.
set -euo pipefail
REQ_BASE="${BASE:-}"
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
# a KSRC tree carries one series: the BASE given or its version's (lib.sh)
[[ -z "${KSRC:-}" ]] || REQ_BASE="$BASE"

usage() {
	cat <<EOF2
Usage: scripts/main.sh                       (what 'make' runs: every base)
       BASE=mainline|6.12 scripts/main.sh    (one base)
       KSRC=/path BASE=mainline scripts/main.sh

Stages per base (${BASES[*]}): deps (scripts/deps.sh), apply (fetch and
unpack the pinned base, quilt push -a --fuzz=0, or use KSRC), build (x86_64
KUnit kernel), kunit (the series' suites in QEMU). Then prints a summary:
base version and source, patches applied, build result, KUnit counts and
time per stage. Logs: build/<base>/logs
EOF2
}
case "${1:-}" in
-h | --help) usage; exit 0 ;;
"") ;;
*) usage >&2; exit 2 ;;
esac

if [[ -n "$REQ_BASE" ]]; then
	bases=("$REQ_BASE")
else
	bases=("${BASES[@]}")
fi
"$TOPDIR/scripts/deps.sh"
rc=0
for b in "${bases[@]}"; do
	(
		use_base "$b"
		mkdir -p "$LOG_DIR"
		rm -f "$LOG_DIR/stages.tsv" "$LOG_DIR/kunit-fast.summary"
		r=0
		run_stage apply "$TOPDIR/scripts/apply.sh" &&
			run_stage build "$TOPDIR/scripts/kunit.sh" build &&
			run_stage kunit "$TOPDIR/scripts/kunit.sh" run || r=$?
		"$TOPDIR/scripts/summary.sh"
		exit "$r"
	) || rc=1
done
exit "$rc"
