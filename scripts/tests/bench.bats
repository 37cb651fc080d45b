#!/usr/bin/env bats
# scripts/bench.sh --collect on recorded bench lines: one row per side and
# case, ratios stack/upstream, and the README block it rewrites. No kernel,
# no QEMU.

bats_require_minimum_version 1.5.0

setup() {
	TOP="$(cd "$BATS_TEST_DIRNAME/../.." && pwd)"
	T="$(mktemp -d)"
	export BUILD_DIR="$T/build/mainline" BASE=mainline
	unset KSRC
	mkdir -p "$BUILD_DIR/logs"
	line() { printf '    # amdgpu_bench_virt_resume: bench virt_resume case=%s\n' "$1"; }
	{
		line "same_vf_s4 r=0 reads=3 writes=0 config_writes=2 median_ns=2000 rounds=101"
		line "same_vf_s3 r=0 reads=3 writes=0 config_writes=2 median_ns=2000 rounds=101"
		line "switch r=0 reads=3 writes=0 config_writes=2 median_ns=2100 rounds=101"
		line "more_vram r=0 reads=3 writes=0 config_writes=2 median_ns=2000 rounds=101"
	} >"$BUILD_DIR/logs/kunit-bench-upstream.console.log"
	{
		line "same_vf_s4 r=0 reads=9 writes=12 config_writes=2 vram_reads=6 median_ns=5000 rounds=101"
		line "same_vf_s3 r=0 reads=6 writes=0 config_writes=2 vram_reads=0 median_ns=3000 rounds=101"
		line "switch r=0 reads=9 writes=12 config_writes=2 vram_reads=6 median_ns=8400 rounds=101"
		line "more_vram r=-19 reads=6 writes=0 config_writes=2 vram_reads=0 median_ns=4000 rounds=101"
		printf '    # amdgpu_bench_pinned_addr: bench pinned_addr bos=%s\n' \
			"10 calls=10000 reads=0 median_ns=500000 rounds=101" "1000 calls=10000 reads=0 median_ns=500000 rounds=101"
	} >"$BUILD_DIR/logs/kunit-bench.console.log"
	echo tcg >"$BUILD_DIR/logs/kunit-bench.accel"
}

teardown() {
	rm -rf "$T"
}

@test "bench --collect prints both sides of each case and the ratios stack/upstream" {
	run "$TOP/scripts/bench.sh" --collect
	[ "$status" -eq 0 ]
	[[ "$output" == *"median of 101 rounds"* ]]
	grep -Eq '^same_vf_s4 +upstream +0 +3 +0 +2 +- +2000$' "$BUILD_DIR/logs/bench.txt"
	grep -Eq '^same_vf_s4 +stack +0 +9 +12 +2 +6 +5000$' "$BUILD_DIR/logs/bench.txt"
	grep -Eq '^same_vf_s4 +ratio +3\.00 +\+12 +1\.00 +2\.50$' "$BUILD_DIR/logs/bench.txt"
	grep -Eq '^more_vram +stack +-19 +6 +0 +2 +0 +4000$' "$BUILD_DIR/logs/bench.txt"
	grep -Eq '^more_vram +ratio +2\.00 += +1\.00 +2\.00$' "$BUILD_DIR/logs/bench.txt"
	grep -Eq '^ +10 +10000 +500000 +50\.0 +0$' "$BUILD_DIR/logs/bench.txt"
	grep -Eq '^ +1000 +10000 +500000 +50\.0 +0$' "$BUILD_DIR/logs/bench.txt"
}

@test "bench --collect says what to do when a side has no bench lines" {
	rm "$BUILD_DIR/logs/kunit-bench-upstream.console.log"
	run "$TOP/scripts/bench.sh" --collect
	[ "$status" -ne 0 ]
	[[ "$output" == *"no bench lines"*"without --collect"* ]]
}

@test "bench --readme replaces only the block between the README markers" {
	mkdir -p "$T/top/scripts" "$T/top/build"
	cp -r "$TOP/scripts/." "$T/top/scripts/"
	cp "$TOP/series" "$T/top/" 2>/dev/null || true
	printf 'before\n<!-- bench:mainline:start -->\nold\n<!-- bench:mainline:end -->\nafter\n' >"$T/top/README.md"
	run "$T/top/scripts/bench.sh" --collect --readme
	[ "$status" -eq 0 ]
	run cat "$T/top/README.md"
	[ "${lines[0]}" = before ]
	[ "${lines[-1]}" = after ]
	[[ "$output" != *old* ]]
	[[ "$output" == *'same_vf_s4 stack'* || "$output" == *'same_vf_s4  stack'* ]]
}
