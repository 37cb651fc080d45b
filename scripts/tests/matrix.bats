#!/usr/bin/env bats
# Self-tests of scripts/matrix.sh that need neither the archive nor a build.

setup() {
	TOP="$(cd "$BATS_TEST_DIRNAME/../.." && pwd)"
}

@test "matrix: --help names the modes, the prerequisites and what make test runs of it" {
	run "$TOP/scripts/matrix.sh" --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"--apply-only"* ]]
	[[ "$output" == *"flock"* ]]
	[[ "$output" == *"'make test' runs only --apply-only"* ]]
	[[ "$output" == *"patches/6.12/prereq"* ]]
}

@test "matrix: an unknown option is answered with the usage and status 2" {
	run "$TOP/scripts/matrix.sh" --bogus
	[ "$status" -eq 2 ]
	[[ "$output" == *Usage* ]]
}

@test "matrix: KSRC is refused with a next step" {
	KSRC=/nonexistent run "$TOP/scripts/matrix.sh" --apply-only
	[ "$status" -eq 1 ]
	[[ "$output" == *"next: run it without KSRC"* ]]
}
