#!/usr/bin/env bats
# make branch / make mbox / make send on a toy base and a two-patch toy
# series: author, sign-off, b4's tracking commit, b4 send -o, git am and
# b4 am of the mbox, and a second version with b4 history. Never the real base.

setup() {
	TOP="$(cd "$BATS_TEST_DIRNAME/../.." && pwd)"
	T="$(mktemp -d)"
	# git and b4 read only this HOME: the sender's identity is set per test
	export HOME="$T/home" GIT_CONFIG_NOSYSTEM=1 XDG_CONFIG_HOME="$T/home/.config"
	mkdir -p "$HOME"
	export BASE=mainline
	export BUILD_DIR="$T/build"
	export STACK_SERIES="$T/series" STACK_PATCHES="$T/patches"
	export STACK_COVER="$T/cover.txt" STACK_CHANGELOG="$T/changelog.txt"
	export MBOX_OUT="$T/out"
	unset SIGNOFF
	G="$BUILD_DIR/mbox-git"
	# the "unpacked base": a stamp says which package it came from
	mkdir -p "$BUILD_DIR/pristine/drivers" "$STACK_PATCHES"
	printf 'VERSION = 7\n' >"$BUILD_DIR/pristine/Makefile"
	printf 'int a;\nint b;\nint c;\n' >"$BUILD_DIR/pristine/drivers/foo.c"
	echo '7.3.4-1~bpo13+1' >"$BUILD_DIR/pristine/.unpacked-from"
	toy_patch 0001-one.patch 'change one' '-int a;' '+int x;' ' int b;' ' int c;'
	# a subject long enough that b4 folds its Subject: header
	toy_patch 0002-two.patch 'change two, with a subject long enough that b4 folds the header' \
		' int x;' ' int b;' '-int c;' '+int y;'
	printf '0001-one.patch\n0002-two.patch\n' >"$STACK_SERIES"
	printf 'drm/amdgpu: toy series\n\nThe toy series changes foo.c twice.\n\nTo: Toy List <toy@lists.example.org>\n' >"$STACK_COVER"
	printf '# comment\nv1:\n- first posting\n' >"$STACK_CHANGELOG"
}

teardown() {
	rm -rf "$T"
}

# toy_patch FILE SUBJECT HUNK-LINES...: a patch with the neutral header
toy_patch() {
	local f="$1" subject="$2"
	shift 2
	{
		printf 'From: VF switch stack <vf-switch@example.invalid>\n'
		printf 'Date: Tue, 1 Dec 2026 09:05:00 +0000\nSubject: [PATCH] drm/amdgpu: %s\n\n' "$subject"
		printf 'The changelog of %s.\n\nAssisted-by: test\n---\n' "$subject"
		printf ' drivers/foo.c | 2 +-\n 1 file changed, 1 insertion(+), 1 deletion(-)\n\n'
		printf 'diff --git a/drivers/foo.c b/drivers/foo.c\n--- a/drivers/foo.c\n+++ b/drivers/foo.c\n@@ -1,3 +1,3 @@\n'
		printf '%s\n' "$@"
	} >"$STACK_PATCHES/$f"
}

sender() {
	git config --global user.name 'Sam Sender'
	git config --global user.email 'sam@example.org'
}

@test "make branch refuses to run without the sender's git identity" {
	run "$TOP/scripts/branch.sh"
	[ "$status" -eq 1 ]
	[[ "$output" == *"no sender identity"* ]]
	[[ "$output" == *"next: git config --global user.name"* ]]
	[ ! -d "$G" ]
	run "$TOP/scripts/mbox.sh"
	[ "$status" -eq 1 ]
	[[ "$output" == *"no sender identity"* ]]
}

@test "make branch: one commit per patch by the sender on the base tag, tag v1, no sign-off" {
	sender
	run "$TOP/scripts/branch.sh"
	[ "$status" -eq 0 ]
	[ "$(git -C "$G" rev-list --count v7.3.4..vf-switch)" -eq 2 ]
	[ "$(git -C "$G" rev-list --count vf-switch)" -eq 3 ]
	run git -C "$G" log --format='%an <%ae>|%cn <%ce>' v7.3.4..vf-switch
	[ "${lines[0]}" = "Sam Sender <sam@example.org>|Sam Sender <sam@example.org>" ]
	[ "${lines[1]}" = "Sam Sender <sam@example.org>|Sam Sender <sam@example.org>" ]
	! git -C "$G" log v7.3.4..vf-switch | grep -q 'example.invalid\|Signed-off-by'
	[ "$(git -C "$G" rev-parse v1^{commit})" = "$(git -C "$G" rev-parse vf-switch)" ]
	git -C "$G" cat-file -p v7.3.4 | grep -q 'a local commit of the tarball'
	[ "$(git -C "$G" log -1 --format=%s v7.3.4)" = "Linux 7.3.4 (linux-source-7.3 7.3.4-1~bpo13+1)" ]
	# the patch files keep their neutral header
	grep -q '^From: VF switch stack <vf-switch@example.invalid>' "$STACK_PATCHES/0001-one.patch"
}

@test "make branch keeps a patch's real author" {
	sender
	sed -i 's/^From: .*/From: Rita Real <rita@example.org>/' "$STACK_PATCHES/0002-two.patch"
	run "$TOP/scripts/branch.sh"
	[ "$status" -eq 0 ]
	run git -C "$G" log --format='%an' v7.3.4..vf-switch
	[ "${lines[0]}" = "Rita Real" ]
	[ "${lines[1]}" = "Sam Sender" ]
}

@test "make branch --signoff and SIGNOFF=yes: every patch commit signed off by the sender, once" {
	sender
	for how in --signoff SIGNOFF=yes; do
		if [[ "$how" == --signoff ]]; then
			run "$TOP/scripts/branch.sh" --signoff
		else
			run env SIGNOFF=yes "$TOP/scripts/branch.sh"
		fi
		[ "$status" -eq 0 ]
		for c in $(git -C "$G" rev-list v7.3.4..vf-switch); do
			run git -C "$G" log -1 --format='%(trailers:key=Signed-off-by,valueonly)' "$c"
			[ "$(printf '%s\n' "$output" | grep -c .)" -eq 1 ]
			[ "${lines[0]}" = "Sam Sender <sam@example.org>" ]
		done
	done
	run env SIGNOFF=maybe "$TOP/scripts/branch.sh"
	[ "$status" -eq 1 ]
	[[ "$output" == *"next: use SIGNOFF=yes"* ]]
}

@test "make send flow: signed patches, b4 tracking intact, b4 send -o, git am and b4 am of the mbox" {
	sender
	run "$TOP/scripts/mbox.sh" --signoff
	[ "$status" -eq 0 ]
	[[ "$output" == *"To send v1 for real"* ]]
	# b4's prep branch is checked out; its cover commit carries no sign-off
	[ "$(git -C "$G" symbolic-ref --short HEAD)" = "b4/vf-switch" ]
	run bash -c "cd '$G' && b4 --offline-mode prep --show-info"
	[ "$status" -eq 0 ]
	[[ "$output" == *"revision: 1"* ]]
	cover_commit="$(git -C "$G" rev-list v7.3.4..b4/vf-switch | tail -n 1)"
	! git -C "$G" log -1 --format=%B "$cover_commit" | grep -q 'Signed-off-by'
	for c in $(git -C "$G" rev-list "$cover_commit"..b4/vf-switch); do
		[ "$(git -C "$G" log -1 --format='%(trailers:key=Signed-off-by,valueonly)' "$c" | grep -c 'Sam Sender <sam@example.org>')" -eq 1 ]
	done
	# the mails: cover plus two patches, signed, no local base commit
	[ "$(ls "$MBOX_OUT"/*.eml | wc -l)" -eq 3 ]
	[ "$(grep -l '^Signed-off-by: Sam Sender <sam@example.org>$' "$MBOX_OUT"/000[12]-*.eml | wc -l)" -eq 2 ]
	! grep -q 'Signed-off-by' "$MBOX_OUT"/0000-*.eml
	! grep -q '^base-commit:' "$MBOX_OUT"/*.eml
	grep -q 'based on v7.3.4 (Debian linux-source-7.3 7.3.4-1~bpo13+1)' "$MBOX_OUT"/0000-*.eml
	grep -q '^Changes in v1:$' "$MBOX_OUT"/0000-*.eml
	grep -q '^From: Sam Sender <sam@example.org>$' "$MBOX_OUT"/0001-*.eml
	# git am of the mbox gives the branch's tree, author and sign-off
	git -C "$G" checkout -q -f -B am-test v7.3.4
	git -C "$G" am -q --patch-format=mboxrd "$MBOX_OUT/v1.mbox"
	git -C "$G" diff --quiet vf-switch am-test
	[ "$(git -C "$G" log -1 --format='%an|%(trailers:key=Signed-off-by,valueonly)' am-test)" = "Sam Sender|Sam Sender <sam@example.org>" ]
	# b4 am of the same mbox, offline, then git am of what b4 wrote
	mkdir "$T/b4am"
	(cd "$T/b4am" && b4 --offline-mode --no-stdin am -m "$MBOX_OUT/v1.mbox" -o .)
	git -C "$G" checkout -q -f -B b4am-test v7.3.4
	git -C "$G" am -q "$T"/b4am/*.mbx
	git -C "$G" diff --quiet vf-switch b4am-test
}

@test "make mbox without --signoff: no Signed-off-by in any mail" {
	sender
	run "$TOP/scripts/mbox.sh"
	[ "$status" -eq 0 ]
	! grep -q 'Signed-off-by' "$MBOX_OUT"/*.eml
	[[ "$output" == *"round trip OK"* ]]
}

@test "a second version: v2 tag and subjects, v1 kept, same change-id, b4 prep --compare-to v1" {
	sender
	run "$TOP/scripts/mbox.sh"
	[ "$status" -eq 0 ]
	v1="$(git -C "$G" rev-parse v1^{commit})"
	id1="$(cd "$G" && b4 --offline-mode prep --show-info 2>/dev/null | sed -n 's/^change-id: //p')"
	printf 'v2:\n- change two writes y = 2\n\nv1:\n- first posting\n' >"$STACK_CHANGELOG"
	sed -i 's/^+int y;$/+int y = 2;/' "$STACK_PATCHES/0002-two.patch"
	run "$TOP/scripts/mbox.sh"
	[ "$status" -eq 0 ]
	grep -q '^Subject: \[PATCH v2 0/2\] drm/amdgpu: toy series' "$MBOX_OUT"/0000-*.eml
	grep -q '^Subject: \[PATCH v2 2/2\] drm/amdgpu: change two' "$MBOX_OUT"/0002-*.eml
	grep -q '^Changes in v2:$' "$MBOX_OUT"/0000-*.eml
	grep -q '^- change two writes y = 2$' "$MBOX_OUT"/0000-*.eml
	grep -q '^Changes in v1:$' "$MBOX_OUT"/0000-*.eml
	[ "$(git -C "$G" rev-parse v1^{commit})" = "$v1" ]
	[ "$(git -C "$G" rev-parse v2^{commit})" = "$(git -C "$G" rev-parse vf-switch)" ]
	git -C "$G" rev-parse -q --verify refs/tags/sent/vf-switch-v1 >/dev/null
	git -C "$G" rev-parse -q --verify refs/tags/sent/vf-switch-v2 >/dev/null
	run bash -c "cd '$G' && b4 --offline-mode prep --show-info 2>/dev/null"
	[[ "$output" == *"revision: 2"* ]]
	[[ "$output" == *"change-id: $id1"* ]]
	run bash -c "cd '$G' && b4 --offline-mode prep --compare-to v1"
	[ "$status" -eq 0 ]
	[[ "$output" == *"drm/amdgpu: change one"* ]]
	[[ "$output" == *"drm/amdgpu: change two"* ]]
}
