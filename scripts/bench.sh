#!/bin/bash
# Run the VF resume benchmarks and collect their figures into a table.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

usage() {
	cat <<EOF
Usage: scripts/bench.sh [--collect] [--readme]

For either base (BASE=mainline by default, or 6.12) it builds two KUnit
kernels with
kunit/amdgpu-bench.kunitconfig (CONFIG_DRM_AMDGPU_KUNIT_BENCHMARK=y) and runs
the amdgpu_vf_resume_bench suite on each, with the same fake VFs and
register images:
  upstream  the pristine base with the series up to its benchmark patch
            ($BENCH_UPSTREAM_TREE): amdgpu_virt_resume() as
            Linux $BASE_UPSTREAM_TAG has it, only moved to amdgpu_virt.c
            (on 6.12: with the four 6.17 backports below it)
  stack     the whole series ($(work_tree))
One row each per case (same VF after hibernation or suspend to RAM,
another node of the hive, a VF with more VRAM), and the ratios
stack/upstream of register reads, register writes, PCI config writes
(MSI-X) and median ns. Table: $LOG_DIR/bench.txt.

Times come from QEMU TCG: compare them with each other, not with hardware.
  --collect  only read the consoles of the last runs (no build, no QEMU)
  --readme   also copy the table into README.md between its bench markers
First run: two cold kernel builds, about 21 min each on 2 cores; after a
change to the benchmark file, a few minutes per side.
EOF
}

COLLECT_ONLY=0
README_TOO=0
while [[ $# -gt 0 ]]; do
	case "$1" in
	--collect) COLLECT_ONLY=1 ;;
	--readme) README_TOO=1 ;;
	-h | --help) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
	shift
done

out="$LOG_DIR/bench.txt"
mkdir -p "$LOG_DIR"

# The series up to (and with) the patch that adds the benchmark suite
bench_prefix() {
	local p
	while read -r p; do
		printf '%s\n' "$p"
		grep -q '^+++ b/drivers/gpu/drm/amd/amdgpu/tests/amdgpu_resume_bench.c' "$PATCH_DIR/$p" &&
			grep -q '^--- /dev/null' "$PATCH_DIR/$p" && return 0
	done < <(series_patches)
	die "no patch in $SERIES_FILE adds tests/amdgpu_resume_bench.c" "the benchmark patch is missing from the series"
}

# A copy of the pristine base with the prefix applied, re-made when the prefix changes
prepare_upstream_tree() {
	local stamp want p
	mapfile -t prefix < <(bench_prefix)
	want="$(cd "$PATCH_DIR" && cat "${prefix[@]}" | sha256sum | cut -c1-16)"
	stamp="$BENCH_UPSTREAM_TREE/.bench-prefix-id"
	if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
		log "bench: $BENCH_UPSTREAM_TREE is up to date (${#prefix[@]} patches)"
		return 0
	fi
	"$TOPDIR/scripts/base.sh" >/dev/null
	log "bench: $BENCH_UPSTREAM_TREE: the pristine base and ${#prefix[@]} patches, up to ${prefix[-1]}"
	rm -rf "$BENCH_UPSTREAM_TREE"
	cp -al "$PRISTINE_DIR" "$BENCH_UPSTREAM_TREE"
	for p in "${prefix[@]}"; do
		(cd "$BENCH_UPSTREAM_TREE" && pquilt push --fuzz=0 "$p") >>"$LOG_DIR/bench-upstream.apply.log" 2>&1 ||
			die "$p does not apply below the stack (log: $LOG_DIR/bench-upstream.apply.log)" \
				"check the series with scripts/series-check.sh"
	done
	printf '%s\n' "$want" >"$stamp"
}

# bench_field CONSOLE CASE FIELD: FIELD of the case's bench line, or "-"
bench_field() {
	local v
	v="$(sed -n "s/.*bench virt_resume case=$2 .*\\b$3=\\(-\\?[0-9]*\\).*/\\1/p" "$1" | tail -n 1)"
	printf '%s\n' "${v:--}"
}

ratio() {
	local s="$1" u="$2"
	if [[ "$s" == - || "$u" == - ]]; then
		echo "-"
	elif [[ "$u" -eq 0 ]]; then
		[[ "$s" -eq 0 ]] && echo "=" || echo "+$s"
	else
		awk -v s="$s" -v u="$u" 'BEGIN { printf "%.2f", s / u }'
	fi
}

bench_sides() {
	local lane console c side
	if [[ $COLLECT_ONLY -eq 0 ]]; then
		prepare_upstream_tree
		for lane in bench-upstream bench; do
			log "bench: $lane lane"
			"$TOPDIR/scripts/kunit.sh" build --lane "$lane"
			"$TOPDIR/scripts/kunit.sh" run --lane "$lane" --suite 'amdgpu_vf_resume_bench' >/dev/null ||
				die "the benchmark suite failed in the $lane lane" "see $LOG_DIR/kunit-$lane.parsed.txt"
		done
	fi
	local up="$LOG_DIR/kunit-bench-upstream.console.log" st="$LOG_DIR/kunit-bench.console.log"
	for console in "$up" "$st"; do
		grep -q 'bench virt_resume case=' "$console" 2>/dev/null ||
			die "no bench lines in $console" "run scripts/bench.sh without --collect"
	done
	local cases=(same_vf_s4 same_vf_s3 switch more_vram)
	{
		echo "amdgpu_virt_resume(), one resume per row: Linux $BASE_UPSTREAM_TAG (upstream) and the series (stack)"
		echo "$(date -u +%F), QEMU $(qemu-system-x86_64 --version | head -n 1 | awk '{print $4}'), $(cat "$LOG_DIR/kunit-bench.accel" 2>/dev/null || echo "accelerator not recorded"); median of $(bench_field "$st" same_vf_s4 rounds) rounds"
		echo
		printf '%-11s %-9s %6s %6s %7s %8s %11s %10s\n' case side return reads writes cfg_wr vram_dwords median_ns
		for c in "${cases[@]}"; do
			for side in upstream stack; do
				console="$up"
				[[ $side == stack ]] && console="$st"
				printf '%-11s %-9s %6s %6s %7s %8s %11s %10s\n' "$c" "$side" \
					"$(bench_field "$console" "$c" r)" "$(bench_field "$console" "$c" reads)" \
					"$(bench_field "$console" "$c" writes)" "$(bench_field "$console" "$c" config_writes)" \
					"$(bench_field "$console" "$c" vram_reads)" "$(bench_field "$console" "$c" median_ns)"
			done
			printf '%-11s %-9s %6s %6s %7s %8s %11s %10s\n' "$c" "ratio" "" \
				"$(ratio "$(bench_field "$st" "$c" reads)" "$(bench_field "$up" "$c" reads)")" \
				"$(ratio "$(bench_field "$st" "$c" writes)" "$(bench_field "$up" "$c" writes)")" \
				"$(ratio "$(bench_field "$st" "$c" config_writes)" "$(bench_field "$up" "$c" config_writes)")" \
				"" "$(ratio "$(bench_field "$st" "$c" median_ns)" "$(bench_field "$up" "$c" median_ns)")"
		done
		if grep -q 'bench pinned_addr ' "$st"; then
			echo
			echo "Stack only: deriving the firmware addresses of pinned VRAM BOs after a move to"
			echo "node 3 (amdgpu_bo_get_pinned_gpu_addr(), no fixup pass at resume)"
			printf '%6s %8s %12s %10s %6s\n' bos calls median_ns ns/call reads
			sed -n 's/.*bench pinned_addr bos=\([0-9]*\) calls=\([0-9]*\) reads=\([0-9]*\) median_ns=\([0-9]*\).*/\1 \2 \4 \3/p' "$st" |
				awk '{ printf "%6s %8s %12s %10.1f %6s\n", $1, $2, $3, $3 / $2, $4 }'
		fi
		echo
		echo "same_vf_s4: hibernation, the VF the guest left; same_vf_s3: suspend to RAM, same VF;"
		echo "switch: hibernation, another node of the hive on every round; more_vram: a VF with"
		echo "1 GiB more VRAM (upstream adopts it, the stack returns -ENODEV). cfg_wr: PCI config"
		echo "writes (MSI-X off and on). vram_dwords: VRAM read through MM_INDEX/MM_DATA, each one"
		echo "of the reads too ('-': not counted below the stack, whose resume reads no VRAM)."
		echo "ratio: stack/upstream; '=': both 0; '+N': N where upstream has 0."
	} >"$out"
	cat "$out"
	if [[ $README_TOO -eq 1 && "$BASE" == mainline ]]; then
		{ echo '```'; cat "$out"; echo '```'; } | readme_splice bench:mainline
		log "bench: README.md updated from $out"
	fi
}

bench_sides
