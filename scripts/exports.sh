#!/bin/bash
# Every symbol the KUnit test module takes from the kernel is exported.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

usage() {
	cat <<EOF2
Usage: BASE=mainline|6.12 scripts/exports.sh

Both series build their tests as a module of their own (amdgpu_kunit). The KUnit kernel links it into vmlinux, where a call into
amdgpu that lacks EXPORT_SYMBOL_IF_KUNIT() still links; with the test
module =m, modpost fails ('make kconfig-links', a kernel build per
combination). This finds the same mistake in seconds: it lists the
undefined symbols of the test objects in the built KUnit kernel
($KUNIT_BUILD_DIR) and checks that the tree exports each one
(EXPORT_SYMBOL*() in a .c, .h or .S file). Names made by export macros
(dev_printk levels, static calls, retpoline thunks) are taken as exported.
It reads source text, since the KUnit kernel has no modules and so no
symvers: an export in a file that is not built, or one limited to named
modules or to a namespace the test module does not import, still counts,
so 'make kconfig-links' stays the final word. Prints one "ok|not ok
exports" line.
EOF2
}
case "${1:-}" in
-h | --help) usage; exit 0 ;;
"") ;;
*) usage >&2; exit 2 ;;
esac

objdir="$KUNIT_BUILD_DIR/drivers/gpu/drm/amd/amdgpu/tests"
tree="$(work_tree)"
compgen -G "$objdir/*_test.o" >/dev/null ||
	die "no KUnit test objects in $objdir" "run 'make build BASE=$BASE' first"

objs=("$objdir"/*.o)
# the module's own objects: amdgpu_kunit.o is the link of the others
mapfile -t objs < <(printf '%s\n' "${objs[@]}" | grep -v '/amdgpu_kunit\.o$')
# Only objects of sources the tree still has: a build dir reused across
# series keeps the objects of test files a later series dropped
srcdir="$tree/drivers/gpu/drm/amd/amdgpu/tests"
mapfile -t objs < <(for o in "${objs[@]}"; do
	b="$(basename "$o" .o)"
	[[ ! -f "$srcdir/$b.c" ]] || echo "$o"
done)
[[ ${#objs[@]} -gt 0 ]] || die "no test object in $objdir has a source in $srcdir" "run 'make build BASE=$BASE' first"
log "exports: undefined symbols of ${#objs[@]} test objects against the exports of $tree"
export LC_ALL=C
undefined="$(nm -u "${objs[@]}" | awk 'NF == 2 { print $2 }' | sort -u)"
# global symbols only: a static helper of one file must not hide another's miss
defined="$(nm -g --defined-only "${objs[@]}" | awk 'NF == 3 { print $3 }' | sort -u)"
exported="$(grep -rhoE 'EXPORT_[A-Z_]*SYMBOL[A-Z_]*\([[:space:]]*[A-Za-z0-9_]+' \
	--include='*.c' --include='*.h' --include='*.S' --exclude-dir=.pc --exclude-dir="$STACK_PC" "$tree" |
	sed -E 's/.*\([[:space:]]*//' | sort -u)"
missing="$(comm -23 <(echo "$undefined") <(echo "$defined") | comm -23 - <(echo "$exported") |
	grep -vE '^(_dev_[a-z]+|__SC[KT]__.*|__x86_indirect_thunk_.*|__x86_return_thunk)$' || true)"
if [[ -z "$missing" ]]; then
	echo "ok exports: $(comm -23 <(echo "$undefined") <(echo "$defined") | wc -l) symbols the test module uses are exported"
else
	echo "not ok exports: not exported, so the test module does not load as a module: $(echo "$missing" | tr '\n' ' ')"
	echo "  next: add EXPORT_SYMBOL_IF_KUNIT(<symbol>) after each, in the patch that first calls it from a test" >&2
	exit 1
fi
