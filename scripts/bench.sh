#!/bin/bash
# Run the amdgpu_vf_bench KUnit suite and collect its figures into a table.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

COLLECT_ONLY=0
case "${1:-}" in
--collect) COLLECT_ONLY=1 ;;
-h | --help)
	cat <<EOF2
Usage: scripts/bench.sh [--collect]

Runs the amdgpu_vf_bench suite (fast-lane kernel, QEMU) and turns its
"bench" lines into $LOG_DIR/bench.txt: MMIO reads/writes per same-VF
check and per switch, median ns, and the cost of re-deriving 10/100/1000
firmware addresses with the per-address cost, to show that it is linear.
Times come from QEMU TCG: compare them with each other, not with hardware.
--collect only reads the console of the last fast-lane KUnit run.
EOF2
	exit 0
	;;
"") ;;
*) echo "Usage: scripts/bench.sh [--collect] (see --help)" >&2; exit 2 ;;
esac

if [[ $COLLECT_ONLY -eq 0 ]]; then
	"$TOPDIR/scripts/kunit.sh" run --suite 'amdgpu_vf_bench' >/dev/null ||
		die "the benchmark suite failed" "see $LOG_DIR/kunit-fast.parsed.txt"
fi
console="$LOG_DIR/kunit-fast.console.log"
out="$LOG_DIR/bench.txt"
{
	echo "amdgpu VF switch benchmarks ($(date -u +%F), QEMU $(command -v qemu-system-x86_64 >/dev/null && qemu-system-x86_64 --version | head -n 1 | awk '{print $4}'), TCG unless KVM probed)"
	echo
	printf '%-24s %10s %10s %12s\n' "case" "reads" "writes" "median ns"
	sed -n 's/.*bench same_vf_check reads_per_check=\([0-9]*\) writes_per_check=\([0-9]*\) median_ns=\([0-9]*\).*/same-VF resume check \1 \2 \3/p' "$console" |
		awk '{ printf "%-24s %10s %10s %12s\n", $1 " " $2 " " $3, $4, $5, $6 }'
	sed -n 's/.*bench v6.17_virt_resume reads_per_check=\([0-9]*\) writes_per_check=\([0-9]*\).*/6.17 virt_resume \1 \2/p' "$console" |
		awk '{ printf "%-24s %10s %10s %12s\n", $1 " " $2, $3, $4 " (+2 cfg)", "-" }'
	sed -n 's/.*bench vf_switch reads_per_switch=\([0-9]*\) writes_per_switch=\([0-9]*\) median_ns=\([0-9]*\).*/VF switch \1 \2 \3/p' "$console" |
		awk '{ printf "%-24s %10s %10s %12s\n", $1 " " $2, $3, $4, $5 }'
	echo
	printf '%-24s %12s %12s\n' "fixups: addresses" "median ns" "ns/address"
	sed -n 's/.*bench fixups bos=\([0-9]*\) median_ns=\([0-9]*\).*/\1 \2/p' "$console" |
		awk '{ printf "%-24s %12s %12.1f\n", $1, $2, $2 / $1 }'
} >"$out"
cat "$out"
[[ $(grep -c . "$out") -ge 9 ]] || die "bench lines missing from $console" "run scripts/kunit.sh run --suite amdgpu_vf_bench and read the console"
