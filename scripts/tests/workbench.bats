#!/usr/bin/env bats
# Self-tests of the workbench scripts. They use a tiny fake kernel tree and a
# one-patch series, never the real base, so they run in seconds.

setup() {
	TOP="$(cd "$BATS_TEST_DIRNAME/../.." && pwd)"
	T="$(mktemp -d)"
	export BUILD_DIR="$T/build"
	export STACK_SERIES="$T/series"
	export STACK_PATCHES="$T/patches"
	mkdir -p "$STACK_PATCHES" "$T/tree/drivers/gpu/drm/amd/amdgpu"
	printf 'VERSION = 6\n' >"$T/tree/Makefile"
	printf 'int a;\nint b;\n' >"$T/tree/drivers/gpu/drm/amd/amdgpu/foo.c"
	git -C "$T/tree" init -q
	git -C "$T/tree" -c user.name=t -c user.email=t@e add -A
	git -C "$T/tree" -c user.name=t -c user.email=t@e commit -qm base
	cat >"$STACK_PATCHES/0001-demo.patch" <<'P'
From: Test Author <test@example.org>
Date: Sat, 21 Nov 2026 12:00:00 +0000
Subject: [PATCH] drm/amdgpu: demo change

Line one of the changelog.
Line two of the changelog.
Line three of the changelog.

Assisted-by: test
---
 drivers/gpu/drm/amd/amdgpu/foo.c |    2 +-
 1 file changed, 1 insertion(+), 1 deletion(-)

diff --git a/drivers/gpu/drm/amd/amdgpu/foo.c b/drivers/gpu/drm/amd/amdgpu/foo.c
--- a/drivers/gpu/drm/amd/amdgpu/foo.c
+++ b/drivers/gpu/drm/amd/amdgpu/foo.c
@@ -1,2 +1,2 @@
 int a;
-int b;
+int c;
P
	printf '# demo series\n\n0001-demo.patch\n' >"$STACK_SERIES"
}

teardown() {
	rm -rf "$T"
}

@test "every script answers --help with a usage text" {
	for s in "$TOP"/scripts/*.sh; do
		[[ "$s" == */lib.sh ]] && continue
		run "$s" --help
		[ "$status" -eq 0 ] || { echo "$s: status $status"; return 1; }
		[[ "$output" == *Usage* ]] || { echo "$s: no Usage"; return 1; }
	done
}

@test "series_patches skips comments and blank lines" {
	source "$TOP/scripts/lib.sh"
	run series_patches
	[ "$output" = "0001-demo.patch" ]
}

@test "own_git_tree: a git top is one; a tarball tree, a subdirectory and a missing directory are not" {
	source "$TOP/scripts/lib.sh"
	own_git_tree "$T/tree"
	mkdir -p "$T/tarball"
	# The default work tree does not exist before apply.sh runs: checkpatch,
	# run first by make test, must then take the tree as a tarball's.
	for d in "$T/tarball" "$T/tree/drivers" "$T/tree/not-yet" "$T/missing"; do
		if own_git_tree "$d"; then
			echo "taken as a git tree of its own: $d"
			return 1
		fi
	done
}

@test "patch_files lists the files a patch touches" {
	source "$TOP/scripts/lib.sh"
	run patch_files "$STACK_PATCHES/0001-demo.patch"
	[ "$output" = "drivers/gpu/drm/amd/amdgpu/foo.c" ]
}

@test "not_for_merging reads the changelog only" {
	source "$TOP/scripts/lib.sh"
	run not_for_merging "$STACK_PATCHES/0001-demo.patch"
	[ "$status" -ne 0 ]
	sed 's/^Line two of the changelog.$/Not for merging: a benchmark./' \
		"$STACK_PATCHES/0001-demo.patch" >"$T/bench.patch"
	run not_for_merging "$T/bench.patch"
	[ "$status" -eq 0 ]
	sed 's/^+int c;$/+Not for merging/' "$STACK_PATCHES/0001-demo.patch" >"$T/diff.patch"
	run not_for_merging "$T/diff.patch"
	[ "$status" -ne 0 ]
}

@test "KSRC: applies to a clean git tree, unapply restores it exactly" {
	KSRC="$T/tree" run "$TOP/scripts/apply.sh"
	[ "$status" -eq 0 ]
	grep -qx 'int c;' "$T/tree/drivers/gpu/drm/amd/amdgpu/foo.c"
	KSRC="$T/tree" run "$TOP/scripts/unapply.sh"
	[ "$status" -eq 0 ]
	[ ! -e "$T/tree/.pc" ]
	[ -z "$(git -C "$T/tree" status --porcelain)" ]
}

@test "KSRC: a tree with uncommitted changes is refused and left alone" {
	echo 'int d;' >>"$T/tree/drivers/gpu/drm/amd/amdgpu/foo.c"
	KSRC="$T/tree" run "$TOP/scripts/apply.sh"
	[ "$status" -ne 0 ]
	[[ "$output" == *"uncommitted changes"* ]]
	[[ "$output" == *"next:"* ]]
	[ ! -e "$T/tree/.pc" ]
	grep -qx 'int b;' "$T/tree/drivers/gpu/drm/amd/amdgpu/foo.c"
}

@test "KSRC: a second apply finds its own stack and continues" {
	KSRC="$T/tree" run "$TOP/scripts/apply.sh"
	[ "$status" -eq 0 ]
	[ -d "$T/tree/.pc-vf-switch" ]
	[ ! -e "$T/tree/.pc" ]
	KSRC="$T/tree" run "$TOP/scripts/apply.sh"
	[ "$status" -eq 0 ]
	[[ "$output" == *"already carries 1 of 1 patches"* ]]
	grep -qx 'int c;' "$T/tree/drivers/gpu/drm/amd/amdgpu/foo.c"
}

@test "KSRC: a patch changed since apply is popped and pushed again" {
	KSRC="$T/tree" run "$TOP/scripts/apply.sh"
	[ "$status" -eq 0 ]
	sed -i 's/^+int c;$/+int d;/' "$STACK_PATCHES/0001-demo.patch"
	KSRC="$T/tree" run "$TOP/scripts/apply.sh"
	[ "$status" -eq 0 ]
	[[ "$output" == *"changed or left the series"* ]]
	grep -qx 'int d;' "$T/tree/drivers/gpu/drm/amd/amdgpu/foo.c"
	KSRC="$T/tree" run "$TOP/scripts/unapply.sh"
	[ "$status" -eq 0 ]
	[ -z "$(git -C "$T/tree" status --porcelain)" ]
}

@test "KSRC: a moved repository's series is the one quilt pushes and pops, not the recorded one" {
	KSRC="$T/tree" run "$TOP/scripts/apply.sh"
	[ "$status" -eq 0 ]
	mv "$STACK_PATCHES" "$T/moved"
	export STACK_PATCHES="$T/moved" STACK_SERIES="$T/moved/series"
	printf -- '--- a/drivers/gpu/drm/amd/amdgpu/foo.c\n+++ b/drivers/gpu/drm/amd/amdgpu/foo.c\n@@ -1,2 +1,3 @@\n int a;\n int c;\n+int e;\n' \
		>"$STACK_PATCHES/0002-more.patch"
	printf '0001-demo.patch\n0002-more.patch\n' >"$STACK_SERIES"
	KSRC="$T/tree" run "$TOP/scripts/apply.sh"
	[ "$status" -eq 0 ]
	[[ "$output" == *"already carries 1 of 2 patches"* ]]
	grep -qx 'int e;' "$T/tree/drivers/gpu/drm/amd/amdgpu/foo.c"
	[ "$(cat "$T/tree/.pc-vf-switch/.quilt_series")" = "$STACK_SERIES" ]
	KSRC="$T/tree" run "$TOP/scripts/unapply.sh"
	[ "$status" -eq 0 ]
	[ -z "$(git -C "$T/tree" status --porcelain)" ]
}

@test "KSRC: a tree with quilt state of its own (.pc, as a Debian source package) keeps it" {
	rm -rf "$T/tree/.git"
	mkdir -p "$T/deb/patches"
	printf -- '--- a/Makefile\n+++ b/Makefile\n@@ -1 +1,2 @@\n VERSION = 6\n+# debian\n' \
		>"$T/deb/patches/debian.patch"
	echo debian.patch >"$T/deb/patches/series"
	(cd "$T/tree" && QUILT_PATCHES="$T/deb/patches" quilt push -a >/dev/null)
	before="$(cd "$T/tree" && find .pc -type f -exec sha256sum {} + | sort)"
	KSRC="$T/tree" run "$TOP/scripts/apply.sh"
	[ "$status" -eq 0 ]
	[[ "$output" == *"quilt state of its own"* ]]
	grep -qx 'int c;' "$T/tree/drivers/gpu/drm/amd/amdgpu/foo.c"
	KSRC="$T/tree" run "$TOP/scripts/unapply.sh"
	[ "$status" -eq 0 ]
	grep -qx 'int b;' "$T/tree/drivers/gpu/drm/amd/amdgpu/foo.c"
	grep -qx '# debian' "$T/tree/Makefile"
	[ "$before" = "$(cd "$T/tree" && find .pc -type f -exec sha256sum {} + | sort)" ]
	[ ! -e "$T/tree/.pc-vf-switch" ]
}

@test "KSRC: a stack under .pc from an older workbench is named with the way out" {
	(cd "$T/tree" && QUILT_PATCHES="$STACK_PATCHES" QUILT_SERIES="$STACK_SERIES" \
		quilt --quiltrc="$TOP/quiltrc" push -a >/dev/null)
	KSRC="$T/tree" run "$TOP/scripts/apply.sh"
	[ "$status" -ne 0 ]
	[[ "$output" == *"older workbench"* ]]
	[[ "$output" == *"QUILT_PC=.pc"*"pop -a"* ]]
}

@test "KSRC: the pristine base is the tree without the stack, and the tree is only read" {
	cat >>"$STACK_PATCHES/0001-demo.patch" <<'P'
diff --git a/drivers/gpu/drm/amd/amdgpu/new.c b/drivers/gpu/drm/amd/amdgpu/new.c
--- /dev/null
+++ b/drivers/gpu/drm/amd/amdgpu/new.c
@@ -0,0 +1 @@
+int n;
P
	KSRC="$T/tree" run "$TOP/scripts/apply.sh"
	[ "$status" -eq 0 ]
	sums="$(cd "$T/tree" && find . -path ./.git -prune -o -type f -exec sha256sum {} + | sort)"
	KSRC="$T/tree" run "$TOP/scripts/base.sh"
	[ "$status" -eq 0 ]
	grep -qx 'int b;' "$BUILD_DIR/pristine/drivers/gpu/drm/amd/amdgpu/foo.c"
	[ ! -e "$BUILD_DIR/pristine/drivers/gpu/drm/amd/amdgpu/new.c" ]
	[ ! -e "$BUILD_DIR/pristine/.pc-vf-switch" ]
	[ ! -e "$BUILD_DIR/pristine/.git" ]
	grep -q '^git ' "$BUILD_DIR/pristine/.unpacked-from"
	[ "$sums" = "$(cd "$T/tree" && find . -path ./.git -prune -o -type f -exec sha256sum {} + | sort)" ]
	# series-check applies the series on that state, not on the applied tree
	KSRC="$T/tree" run "$TOP/scripts/series-check.sh"
	[[ "$output" == *"ok applies with fuzz 0: 0001-demo.patch"* ]]
}

@test "KSRC: kdoc counts only the warnings the stack adds to that tree" {
	mkdir -p "$T/tree/scripts"
	# a stand-in kernel-doc: one warning per line that says BAD
	printf '%s\n' '#!/usr/bin/perl' 'my $f = $ARGV[-1]; open(F, $f); while (<F>) { print STDERR "$f:$.: warning: bad\n" if /BAD/ }' \
		>"$T/tree/scripts/kernel-doc"
	# the tree's own warning: in a context line of the patch
	printf 'int a; /* BAD */\nint b;\n' >"$T/tree/drivers/gpu/drm/amd/amdgpu/foo.c"
	sed -i 's|^ int a;$| int a; /* BAD */|' "$STACK_PATCHES/0001-demo.patch"
	git -C "$T/tree" add -A
	git -C "$T/tree" -c user.name=t -c user.email=t@e commit -qm kdoc
	KSRC="$T/tree" run "$TOP/scripts/apply.sh"
	[ "$status" -eq 0 ]
	KSRC="$T/tree" run "$TOP/scripts/kdoc.sh"
	[ "$status" -eq 0 ]
	[[ "$output" == *"ok kernel-doc drivers/gpu/drm/amd/amdgpu/foo.c"* ]]
	KSRC="$T/tree" run "$TOP/scripts/unapply.sh"
	sed -i 's|^+int c;$|+int c; /* BAD */|' "$STACK_PATCHES/0001-demo.patch"
	KSRC="$T/tree" run "$TOP/scripts/apply.sh"
	[ "$status" -eq 0 ]
	KSRC="$T/tree" run "$TOP/scripts/kdoc.sh"
	[ "$status" -ne 0 ]
	[[ "$output" == *"not ok kernel-doc drivers/gpu/drm/amd/amdgpu/foo.c: 1 new warnings"* ]]
}

@test "KSRC: bisect and warnings build in that tree and its pristine state (make stubbed)" {
	mkdir -p "$T/bin" "$BUILD_DIR/kunit-x86_64"
	: >"$BUILD_DIR/kunit-x86_64/.config"
	# no kernel is built: this make only records where it was asked to build
	printf '#!/bin/sh\necho "$*" >>"%s"\n' "$T/make.log" >"$T/bin/make"
	chmod +x "$T/bin/make"
	KSRC="$T/tree" run "$TOP/scripts/apply.sh"
	[ "$status" -eq 0 ]
	KSRC="$T/tree" PATH="$T/bin:$PATH" run "$TOP/scripts/bisect.sh"
	[ "$status" -eq 0 ]
	[[ "$output" == *"ok bisect 0001-demo.patch (1 objects)"* ]]
	grep -q -- "-C $BUILD_DIR/bisect-tree .*drivers/gpu/drm/amd/amdgpu/foo.o" "$T/make.log"
	: >"$T/make.log"
	KSRC="$T/tree" PATH="$T/bin:$PATH" run "$TOP/scripts/warnings.sh"
	[ "$status" -eq 0 ]
	grep -q -- "-C $BUILD_DIR/pristine .*W=1 .*drivers/gpu/drm/amd/amdgpu/foo.o" "$T/make.log"
	grep -q -- "-C $T/tree .*W=1 .*drivers/gpu/drm/amd/amdgpu/foo.o" "$T/make.log"
	! grep -q -- "-C $TOP/build/" "$T/make.log"
}

@test "KSRC without BASE takes the series of the tree's version" {
	unset BUILD_DIR
	printf 'VERSION = 6\nPATCHLEVEL = 12\nSUBLEVEL = 107\nEXTRAVERSION =\n' >"$T/tree/Makefile"
	run bash -c "unset BASE; KSRC='$T/tree'; . '$TOP/scripts/lib.sh'; echo \"\$BASE \$BASE_UPSTREAM_TAG \$STACK_PC\""
	[ "$output" = "6.12 v6.12.107 .pc-vf-switch" ]
	printf 'VERSION = 7\nPATCHLEVEL = 4\nSUBLEVEL = 0\nEXTRAVERSION = -rc2\n' >"$T/tree/Makefile"
	run bash -c "unset BASE; KSRC='$T/tree'; . '$TOP/scripts/lib.sh'; echo \"\$BASE \$BASE_UPSTREAM_TAG\""
	[ "$output" = "mainline v7.4-rc2" ]
}

@test "KSRC: a patch that needs fuzz is refused with a rebase hint" {
	sed -i 's/^ int a;$/ int x;/' "$STACK_PATCHES/0001-demo.patch"
	KSRC="$T/tree" run "$TOP/scripts/apply.sh"
	[ "$status" -ne 0 ]
	[[ "$output" == *"does not apply with fuzz 0"* ]]
}

@test "KSRC: a patch already in the tree is reported as landed" {
	sed -i 's/^int b;$/int c;/' "$T/tree/drivers/gpu/drm/amd/amdgpu/foo.c"
	git -C "$T/tree" -c user.name=t -c user.email=t@e commit -qam landed
	KSRC="$T/tree" run "$TOP/scripts/apply.sh"
	[ "$status" -ne 0 ]
	[[ "$output" == *"already in this tree"* ]]
}

@test "series-check accepts a complete patch and flags an unlisted one" {
	run "$TOP/scripts/series-check.sh" --no-apply
	[ "$status" -eq 0 ]
	[[ "$output" == *"ok header 0001-demo.patch"* ]]
	cp "$STACK_PATCHES/0001-demo.patch" "$STACK_PATCHES/0002-stray.patch"
	run "$TOP/scripts/series-check.sh" --no-apply
	[ "$status" -ne 0 ]
	[[ "$output" == *"not ok series lists exactly"* ]]
}

@test "series-check flags a patch without a changelog or diffstat" {
	sed -i '/^Line /d; /files\? changed/d' "$STACK_PATCHES/0001-demo.patch"
	run "$TOP/scripts/series-check.sh" --no-apply
	[ "$status" -ne 0 ]
	[[ "$output" == *"changelog shorter"* ]]
	[[ "$output" == *"no diffstat"* ]]
}

@test "series-check flags a stale diffstat and make diffstat rewrites it" {
	run "$TOP/scripts/series-check.sh" --no-apply
	[ "$status" -eq 0 ]
	sed -i 's/|    2 +-/|    4 ++--/' "$STACK_PATCHES/0001-demo.patch"
	run "$TOP/scripts/series-check.sh" --no-apply
	[ "$status" -ne 0 ]
	[[ "$output" == *"diffstat does not match"* ]]
	run "$TOP/scripts/diffstat.sh"
	[ "$status" -eq 0 ]
	grep -qx ' drivers/gpu/drm/amd/amdgpu/foo.c |    2 +-' "$STACK_PATCHES/0001-demo.patch"
	run "$TOP/scripts/diffstat.sh" --check
	[ "$status" -eq 0 ]
}

@test "kunit-summary counts passed, failed and skipped cases" {
	cat >"$T/r.json" <<'J'
{"name": "", "sub_groups": [
 {"name": "suite_a", "sub_groups": [], "test_cases": [
   {"name": "t1", "status": "PASS"}, {"name": "t2", "status": "FAIL"}]},
 {"name": "suite_b", "sub_groups": [], "test_cases": [
   {"name": "t3", "status": "SKIP"}, {"name": "t4", "status": "PASS"}]}],
 "test_cases": []}
J
	run python3 "$TOP/scripts/kunit-summary.py" "$T/r.json" --cases
	[ "$status" -eq 0 ]
	[[ "$output" == *"FAIL suite_a.t2"* ]]
	[[ "${lines[-1]}" == "suites=2 tests=4 passed=2 failed=1 skipped=1 crashed=0" ]]
}

@test "the quiltrc writes a/ b/ patches without Index: lines or timestamps" {
	grep -q -- '-p ab --no-timestamps --no-index' "$TOP/quiltrc"
	cd "$T/tree"
	QUILT_PATCHES="$T/qp" QUILT_SERIES="$T/qp/series" quilt --quiltrc="$TOP/quiltrc" new x.patch >/dev/null
	QUILT_PATCHES="$T/qp" QUILT_SERIES="$T/qp/series" quilt --quiltrc="$TOP/quiltrc" add drivers/gpu/drm/amd/amdgpu/foo.c >/dev/null
	echo 'int e;' >>drivers/gpu/drm/amd/amdgpu/foo.c
	QUILT_PATCHES="$T/qp" QUILT_SERIES="$T/qp/series" quilt --quiltrc="$TOP/quiltrc" refresh >/dev/null
	grep -q '^+++ b/drivers/gpu/drm/amd/amdgpu/foo.c$' "$T/qp/x.patch"
	! grep -q '^Index:' "$T/qp/x.patch"
}

@test "BASE selects the series and the build directory of each base" {
	unset STACK_SERIES STACK_PATCHES BUILD_DIR
	run bash -c "BASE=mainline; . '$TOP/scripts/lib.sh'; echo \"\$SERIES_FILE \$PATCH_DIR \$BUILD_DIR \$BASE_PKG\""
	[ "$status" -eq 0 ]
	[ "$output" = "$TOP/series $TOP/patches $TOP/build/mainline linux-source-7.3" ]
	run bash -c "BASE=6.12; . '$TOP/scripts/lib.sh'; echo \"\$SERIES_FILE \$PATCH_DIR \$BUILD_DIR \$BASE_PKG\""
	[ "$status" -eq 0 ]
	[ "$output" = "$TOP/patches/6.12/series $TOP/patches/6.12 $TOP/build/6.12 linux-source-6.12" ]
}

@test "an unknown BASE is refused with a hint" {
	run env BASE=5.10 "$TOP/scripts/base.sh"
	[ "$status" -eq 2 ]
	[[ "$output" == *"use BASE=mainline or BASE=6.12"* ]]
}

@test "a KSRC tree gets build and log directories of its own" {
	unset BUILD_DIR
	run bash -c "BASE=mainline KSRC='$T/tree'; . '$TOP/scripts/lib.sh'; echo \"\$LOG_DIR\""
	[ "$status" -eq 0 ]
	[[ "$output" == "$TOP/build/ksrc-mainline-"*/logs ]]
}

@test "the QEMU shim drops -accel kvm and -accel hvf and keeps the rest" {
	printf '#!/bin/sh\necho "$@"\n' >"$T/qemu"
	chmod +x "$T/qemu"
	run env QEMU_TCG_REAL="$T/qemu" "$TOP/scripts/qemu-tcg/qemu-system-x86_64" \
		-nodefaults -accel kvm -accel hvf -accel tcg -m 1024
	[ "$status" -eq 0 ]
	[ "$output" = "-nodefaults -accel tcg -m 1024" ]
}

@test "amdgpu_obj_of reaches pm/, ras/, amdkfd/ and display/ sources through amdgpu/../" {
	. "$TOP/scripts/lib.sh"
	[ "$(amdgpu_obj_of drivers/gpu/drm/amd/amdgpu/amdgpu_virt.c)" = drivers/gpu/drm/amd/amdgpu/amdgpu_virt.o ]
	[ "$(amdgpu_obj_of drivers/gpu/drm/amd/pm/swsmu/amdgpu_smu.c)" = drivers/gpu/drm/amd/amdgpu/../pm/swsmu/amdgpu_smu.o ]
	[ "$(amdgpu_obj_of drivers/gpu/drm/amd/ras/ras_mgr/amdgpu_ras_sys.c)" = drivers/gpu/drm/amd/amdgpu/../ras/ras_mgr/amdgpu_ras_sys.o ]
	[ "$(amdgpu_obj_of drivers/gpu/drm/amd/amdkfd/kfd_crat.c)" = drivers/gpu/drm/amd/amdgpu/../amdkfd/kfd_crat.o ]
}
