#!/usr/bin/env bats
# Results at a glance: kunit.py's failure lines, JSON and JUnit under
# build/logs, make help lists every knob, unknown arguments exit 2, and
# mutate.sh's killed-by column. Recorded logs only: no kernel, no QEMU.
#
# data/kunit-fail.console.log is a KTAP log with one failed expectation;
# data/kunit-fail.parsed.txt and .json are what kunit.py parse (Linux 7.3.4)
# printed and wrote for it.

bats_require_minimum_version 1.5.0

setup() {
	TOP="$(cd "$BATS_TEST_DIRNAME/../.." && pwd)"
	D="$BATS_TEST_DIRNAME/data"
	T="$(mktemp -d)"
	export BUILD_DIR="$T/build/mainline"
	unset KSRC SUITE
}

teardown() {
	rm -rf "$T"
}

# a toy KSRC tree whose kunit.py replays the recorded parse of the failing log
stub_tree() {
	mkdir -p "$T/tree/tools/testing/kunit"
	cat >"$T/tree/tools/testing/kunit/kunit.py" <<PY
import shutil, sys
if "--help" in sys.argv:
    print("usage: kunit.py parse [--json [FILE]] [input_file]")  # like 6.12: no --junit
    sys.exit(0)
for a in sys.argv:
    if a.startswith("--json="):
        shutil.copy("$D/kunit-fail.json", a[len("--json="):])
sys.stdout.write(open("$D/kunit-fail.parsed.txt").read())
sys.exit(1)
PY
}

@test "kunit-summary --failures prints kunit.py's tree of the failing suite with expected and actual values" {
	run python3 "$TOP/scripts/kunit-summary.py" --failures "$D/kunit-fail.parsed.txt"
	[ "$status" -eq 0 ]
	[[ "$output" == *"amdgpu_gmc_pdb0 (2 subtests)"* ]]
	[[ "$output" == *"EXPECTATION FAILED at drivers/gpu/drm/amd/amdgpu/tests/amdgpu_gmc_test.c:212"* ]]
	[[ "$output" == *"Expected gart_start % pde0_size == 0, but"* ]]
	[[ "$output" == *"gart_start % pde0_size == 4294967296 (0x100000000)"* ]]
	[[ "$output" == *"pde0_size == 8589934592 (0x200000000)"* ]]
	[[ "$output" == *"[FAILED] amdgpu_gmc_pdb0_gart_starts_on_a_pde0_boundary"* ]]
	[[ "$output" == *"Testing complete. Ran 4 tests: passed: 3, failed: 1"* ]]
	# the suite that passed is left out
	[[ "$output" != *"amdgpu_fake_device"* ]]
}

@test "kunit.sh parse: on a failure it shows the failure lines, and writes JSON and JUnit under build/logs" {
	stub_tree
	mkdir -p "$BUILD_DIR/logs"
	cp "$D/kunit-fail.console.log" "$BUILD_DIR/logs/kunit-fast.console.log"
	KSRC="$T/tree" run "$TOP/scripts/kunit.sh" parse
	[ "$status" -eq 1 ]
	[[ "$output" == *"suites=2 tests=4 passed=3 failed=1 skipped=0 crashed=0"* ]]
	[[ "$output" == *"Expected gart_start % pde0_size == 0, but"* ]]
	[[ "$output" == *"pde0_size == 8589934592 (0x200000000)"* ]]
	[[ "$output" == *"next: run one suite: scripts/kunit.sh run --suite"* ]]
	[ -f "$T/build/logs/kunit-mainline-fast.json" ]
	# this kunit.py has no --junit: the workbench writes JUnit from the JSON
	grep -q '<testsuite name="amdgpu_gmc_pdb0" tests="2" failures="1"' "$T/build/logs/kunit-mainline-fast.junit.xml"
	grep -q 'Expected gart_start % pde0_size == 0, but' "$T/build/logs/kunit-mainline-fast.junit.xml"
}

@test "kunit-summary --junit writes one testcase per case with the failure text" {
	run python3 "$TOP/scripts/kunit-summary.py" --junit "$T/r.xml" "$D/kunit-fail.json" "$D/kunit-fail.parsed.txt"
	[ "$status" -eq 0 ]
	run python3 - "$T/r.xml" <<'PY'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
cases = root.findall(".//testcase")
failed = [c for c in cases if c.find("failure") is not None]
print(len(cases), len(failed), failed[0].get("name"), "0x100000000" in failed[0].find("failure").text)
PY
	[ "$output" = "4 1 amdgpu_gmc_pdb0_gart_starts_on_a_pde0_boundary True" ]
}

@test "kunit.sh: the suite glob is --suite; --filter is refused with the new name" {
	run "$TOP/scripts/kunit.sh" run --filter 'amdgpu*'
	[ "$status" -eq 2 ]
	[[ "$output" == *"--filter is now --suite GLOB"* ]]
	run "$TOP/scripts/kunit.sh" --help
	[[ "$output" == *"--suite GLOB"* ]]
	! grep -q -- "--filter" "$TOP/Makefile"
}

@test "mutate.sh's killed-by column reads kunit.py's timestamped [FAILED] lines" {
	source "$TOP/scripts/lib.sh"
	run kunit_failed_cases "$D/kunit-fail.parsed.txt"
	[ "$output" = "amdgpu_gmc_pdb0_gart_starts_on_a_pde0_boundary" ]
	printf '%s\n' '[12:34:56] [FAILED] 12 GiB hive of two 6 GiB nodes, node 1' \
		'[12:34:56] ===== [FAILED] amdgpu_gmc_pdb0 =====' '[12:34:56] [CRASHED] amdgpu_virt_wedge_stops' \
		'[12:34:56] [PASSED] amdgpu_fake_read_returns_file' >"$T/p.txt"
	run kunit_failed_cases "$T/p.txt"
	[ "${lines[0]}" = "12 GiB hive of two 6 GiB nodes, node 1" ]
	[ "${lines[1]}" = "amdgpu_virt_wedge_stops" ]
	[ "${#lines[@]}" -eq 2 ]
	grep -q 'kunit_failed_cases "$LOG_DIR/kunit-fast.parsed.txt"' "$TOP/scripts/mutate.sh"
}

@test "make help lists every environment knob the scripts read" {
	run make -s -C "$TOP" help
	[ "$status" -eq 0 ]
	help="$output"
	knobs="$(cd "$TOP" && grep -ohE '\$\{[A-Z_][A-Z0-9_]*:-' scripts/*.sh scripts/qemu-tcg/* qemu-configs/*.sh .ci/run |
		sed -E 's/^\$\{//; s/:-$//' | sort -u)"
	[ -n "$knobs" ]
	for k in $knobs; do
		[[ "$help" == *"$k"* ]] || { echo "make help does not list $k"; return 1; }
	done
	for k in BASE KSRC SUITE KUNIT_ACCEL CCACHE_MAXSIZE MBOX_OUT SIGNOFF; do
		[[ "$help" == *"$k="* ]] || { echo "make help does not list $k="; return 1; }
	done
}

@test "every script answers an unknown argument with its usage on stderr and exit 2" {
	for s in "$TOP"/scripts/*.sh; do
		[[ "$s" == */lib.sh ]] && continue
		run --separate-stderr "$s" --no-such-option
		[ "$status" -eq 2 ] || { echo "$s: status $status"; return 1; }
		[[ "$stderr" == *Usage* ]] || { echo "$s: no usage on stderr"; return 1; }
		[ -z "$output" ] || { echo "$s: wrote to stdout: $output"; return 1; }
	done
	run python3 "$TOP/scripts/kunit-summary.py" --no-such-option
	[ "$status" -eq 2 ]
}
