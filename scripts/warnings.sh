#!/bin/bash
# sparse (C=1) and W=1 on the objects the stack touches: nothing new vs the base.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

usage() {
	cat <<EOF2
Usage: scripts/warnings.sh

Builds every .c file the series touches with W=1 C=1 (sparse), once in the
pristine base (the baseline, for files that exist there; with KSRC, that
tree's own state without the stack, see scripts/base.sh) and once in the
applied tree, each in its own O= directory configured like the KUnit
kernel. A warning the baseline does not have (file name, message; line
numbers ignored) fails the check. Prints "ok|not ok warnings <kind>" lines
and the counts. Logs: $LOG_DIR/warnings.{base,stack}.{w1,sparse}
EOF2
}
case "${1:-}" in
-h | --help) usage; exit 0 ;;
"") ;;
*) usage >&2; exit 2 ;;
esac

tree="$(work_tree)"
[[ -d "$tree/$STACK_PC" ]] || die "the stack is not applied to $tree" "run 'make apply' first"
config="$KUNIT_BUILD_DIR/.config"
[[ -f "$config" ]] || die "no KUnit kernel config at $config" "run 'make build' first"
export KBUILD_BUILD_TIMESTAMP="Sun Nov 17 00:00:00 UTC 2024"
export CCACHE_BASEDIR="$BUILD_DIR" CCACHE_NOHASHDIR=1

# warn_build SRC_TREE OUT_DIR LOG FILE...: W=1 build of the given sources into
# LOG.w1, then sparse on the same objects (C=2, no recompile) into LOG.sparse
warn_build() {
	local src="$1" out="$2" logf="$3" f objs=()
	shift 3
	mkdir -p "$out"
	cp "$config" "$out/.config"
	make -s -C "$src" O="$out" ARCH=x86_64 olddefconfig >/dev/null 2>&1
	make -s -C "$src" O="$out" ARCH=x86_64 CC="ccache gcc" -j"$(nproc)" prepare \
		>"$logf.prepare" 2>&1 || die "prepare failed in $out (log: $logf.prepare)" "rm -rf $out and retry"
	for f in "$@"; do
		objs+=("$(amdgpu_obj_of "$f")")
		rm -f "$out/$(amdgpu_obj_of "$f")"
	done
	make -k -C "$src" O="$out" ARCH=x86_64 CC="ccache gcc" W=1 -j"$(nproc)" \
		"${objs[@]}" >"$logf.w1" 2>&1 || true
	make -k -C "$src" O="$out" ARCH=x86_64 CC="ccache gcc" W=1 C=2 -j"$(nproc)" \
		"${objs[@]}" >"$logf.sparse" 2>&1 || true
}

# file:message, no line/column numbers, no leading ../ paths, no dir/../ in a
# path, no tree prefix
# (a KSRC tree and its pristine state have different absolute paths)
norm() {
	{ grep -E '(warning|error):' "$1" || true; } |
		awk -v a="$PRISTINE_DIR/" -v b="$tree/" '
		     index($0, a) == 1 { $0 = substr($0, length(a) + 1) }
		     index($0, b) == 1 { $0 = substr($0, length(b) + 1) }
		     { print }' | sed -E 's#^(\.\./)*##; s#^[^ ]*/(drivers/)#\1#; s/:[0-9]+:[0-9]+:/:/; s/:[0-9]+:/:/' |
		# one name per file: tests/ include amdgpu headers as tests/../../amdgpu/
		sed -E -e ':a' -e 's#(^|/)[^/ :.][^/ :]*/\.\./#\1#' -e 'ta' | sort -u
}

"$TOPDIR/scripts/base.sh" >/dev/null
mapfile -t srcs < <(stack_files | grep '\.c$')
base_srcs=()
for f in "${srcs[@]}"; do
	[[ -f "$PRISTINE_DIR/$f" ]] && base_srcs+=("$f")
done

log "warnings: W=1 C=1 on ${#base_srcs[@]} base files (baseline)"
warn_build "$PRISTINE_DIR" "$BUILD_DIR/warn-base" "$LOG_DIR/warnings.base" "${base_srcs[@]}"
log "warnings: W=1 C=1 on ${#srcs[@]} files of the applied tree"
warn_build "$tree" "$BUILD_DIR/warn-stack" "$LOG_DIR/warnings.stack" "${srcs[@]}"

fails=0
for kind in w1 sparse; do
	old="$(norm "$LOG_DIR/warnings.base.$kind")"
	new="$(norm "$LOG_DIR/warnings.stack.$kind")"
	added="$(comm -13 <(printf '%s\n' "$old" | sed '/^$/d') <(printf '%s\n' "$new" | sed '/^$/d'))"
	nold=$(printf '%s\n' "$old" | sed '/^$/d' | wc -l)
	nnew=$(printf '%s\n' "$new" | sed '/^$/d' | wc -l)
	nadd=$(printf '%s\n' "$added" | sed '/^$/d' | wc -l)
	if [[ $nadd -eq 0 ]]; then
		printf 'ok warnings %s: 0 new (distinct messages: base %d, with the stack %d)\n' \
			"$kind" "$nold" "$nnew"
	else
		printf 'not ok warnings %s: %d new (distinct messages: base %d, with the stack %d)\n' \
			"$kind" "$nadd" "$nold" "$nnew"
		head -n 10 <<<"$added" | sed 's/^/    /'
		fails=$((fails + 1))
	fi
done
[[ $fails -eq 0 ]]
