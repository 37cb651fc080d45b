# shellcheck shell=bash
# shellcheck disable=SC2034 # variables are used by the scripts that source this
# Common settings and helpers for the workbench scripts. Sourced, never run.
#
# The base version is pinned HERE and nowhere else.

# Debian package that provides the default base tree, and its pinned version.
BASE_PKG="linux-source-6.12"
BASE_PKG_VERSION="6.12.117-1~deb12u1"
BASE_TARBALL="/usr/src/linux-source-6.12.tar.xz"

TOPDIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$TOPDIR/build}"
LOG_DIR="$BUILD_DIR/logs"
PRISTINE_DIR="$BUILD_DIR/pristine"          # unpacked base, never modified
WORK_TREE_DEFAULT="$BUILD_DIR/linux"        # base + stack (embedded mode)
KUNIT_BUILD_DIR="${KUNIT_BUILD_DIR:-$BUILD_DIR/kunit-x86_64}"
QUILTRC="$TOPDIR/quiltrc"
# STACK_SERIES/STACK_PATCHES let the script self-tests use a tiny series.
SERIES_FILE="${STACK_SERIES:-$TOPDIR/series}"
PATCH_DIR="${STACK_PATCHES:-$TOPDIR/patches}"

# The tree the stack is applied to: the user's KSRC or the embedded copy.
work_tree() {
	if [[ -n "${KSRC:-}" ]]; then
		(cd "$KSRC" && pwd)
	else
		printf '%s\n' "$WORK_TREE_DEFAULT"
	fi
}

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# die MESSAGE HINT: fail with what went wrong and what to do next.
die() {
	printf 'ERROR: %s\n' "$1" >&2
	if [[ -n "${2:-}" ]]; then
		printf '  next: %s\n' "$2" >&2
	fi
	exit 1
}

# quilt with the project's quiltrc (Debian's /etc/quilt.quiltrc is not read).
pquilt() {
	QUILT_PATCHES="$PATCH_DIR" QUILT_SERIES="$SERIES_FILE" \
		quilt --quiltrc="$QUILTRC" "$@"
}

# Patches listed in series, in order (comments and blank lines dropped).
series_patches() {
	sed -e 's/#.*//' -e 's/[[:space:]]*$//' "$SERIES_FILE" | awk 'NF { print $1 }'
}

# Files a patch touches (b/ side), one per line.
patch_files() {
	awk '/^\+\+\+ b\// { sub(/^\+\+\+ b\//, ""); sub(/\t.*/, ""); print }' "$1"
}

# Identity of the series content: changes when any listed patch changes.
stack_id() {
	local p
	while read -r p; do
		printf '%s ' "$p"
		sha256sum <"$PATCH_DIR/$p" | cut -d' ' -f1
	done < <(series_patches) | sha256sum | cut -d' ' -f1
}

# Kernel source files touched by the whole stack, sorted and unique.
stack_files() {
	local p
	while read -r p; do
		patch_files "$PATCH_DIR/$p"
	done < <(series_patches) | sort -u
}

# run_stage NAME CMD...: run one stage, time it, record
# "name<TAB>seconds<TAB>ok|FAILED" in $LOG_DIR/stages.tsv. Returns CMD's status.
run_stage() {
	local name="$1" start rc=0
	shift
	mkdir -p "$LOG_DIR"
	log "== stage: $name"
	start=$(date +%s)
	"$@" || rc=$?
	printf '%s\t%s\t%s\n' "$name" "$(( $(date +%s) - start ))" \
		"$([[ $rc -eq 0 ]] && echo ok || echo FAILED)" >>"$LOG_DIR/stages.tsv"
	return "$rc"
}
