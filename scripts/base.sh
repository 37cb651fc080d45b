#!/bin/bash
# Unpack the pinned Debian base tree into the build directory.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

usage() {
	cat <<EOF
Usage: scripts/base.sh [--print-version]
       KSRC=/path/to/tree scripts/base.sh

Unpacks the BASE=$BASE tarball (package $BASE_PKG, pinned to
$BASE_PKG_VERSION in scripts/lib.sh) into $PRISTINE_DIR, once.
For BASE=mainline it first fetches the package (scripts/fetch-base.sh).
The pristine copy is never modified; the stack is applied to a copy of it
at $WORK_TREE_DEFAULT (see scripts/apply.sh).

With KSRC, the pristine base is that tree's own state without the stack,
made anew on every run: a hard-link copy of the tree (without .git and our
quilt state) in which every file the applied patches touched is replaced by
the copy quilt saved before the first of them. The KSRC tree is only read.
series-check, checkpatch, kdoc, warnings, bisect and mbox use it.

  --print-version   print "<kernel version> <package version> <source>" and exit
EOF
}

installed_version() { base_pkg_installed_version; }

case "${1:-}" in
-h | --help) usage; exit 0 ;;
--print-version)
	src="pinned"
	[[ -f "$BUILD_DIR/base-fallback" ]] && src="FALLBACK (pinned $BASE_PKG_VERSION unavailable)"
	kv="unknown"
	if [[ -f "$PRISTINE_DIR/Makefile" ]]; then
		kv="$(make -s -C "$PRISTINE_DIR" kernelversion 2>/dev/null || echo unknown)"
	fi
	printf '%s %s %s\n' "$kv" "$(installed_version)" "$src"
	exit 0
	;;
"") ;;
*) usage >&2; exit 2 ;;
esac

# ksrc_origin TREE: what the KSRC tree is, for the mails and the base commit.
ksrc_origin() {
	local t="$1" id
	if own_git_tree "$t"; then
		id="$(git -C "$t" rev-parse --short=12 HEAD 2>/dev/null || echo unborn)"
		printf 'git %s\n' "$id"
	elif [[ -f "$t/debian/changelog" ]]; then
		sed -n '1s/^\([^ ]*\) (\([^)]*\)).*/Debian source package \1 \2/p' "$t/debian/changelog"
	else
		printf 'a local tree without version control\n'
	fi
}

# ksrc_pristine: $PRISTINE_DIR := the KSRC tree without the stack (see usage).
ksrc_pristine() {
	local tree tmp pc p b f start n=0 how=hard-link
	local -A seen=()
	tree="$(work_tree)"
	[[ -f "$tree/Makefile" ]] || die "KSRC=$tree is not a kernel tree" "point KSRC at the top of a kernel source tree"
	[[ ! -d "$tree/.pc" ]] || ! legacy_stack "$tree" || legacy_stack_die "$tree"
	start=$(date +%s)
	tmp="$PRISTINE_DIR.tmp"
	rm -rf "$tmp"
	mkdir -p "$tmp"
	# Hard links are safe: nothing here writes into a file; patch(1), quilt
	# and git replace files rather than write into them.
	if ! ksrc_copy "$tree" "$tmp" -al 2>/dev/null; then
		log "base: $tree is not on the file system of $BUILD_DIR: copying, not linking (slower, uses disk)"
		how=copy
		rm -rf "$tmp"
		mkdir -p "$tmp"
		ksrc_copy "$tree" "$tmp" -a || die "cannot copy $tree to $tmp" "check free disk space (df -h $BUILD_DIR)"
	fi
	pc="$tree/$STACK_PC"
	if [[ -f "$pc/applied-patches" ]]; then
		while read -r p; do
			[[ -d "$pc/$p" ]] || continue
			while IFS= read -r -d '' b; do
				f="${b#"$pc/$p/"}"
				[[ -z "${seen[$f]:-}" ]] || continue
				seen[$f]=1
				n=$((n + 1))
				rm -f "$tmp/$f"
				# quilt's empty backup: the file did not exist before the stack
				if [[ -s "$b" ]]; then
					mkdir -p "$(dirname "$tmp/$f")"
					cp -p "$b" "$tmp/$f"
				fi
			done < <(find "$pc/$p" -type f ! -name .timestamp -print0)
		done <"$pc/applied-patches"
	fi
	rm -f "$tmp/.unpacked-from"
	ksrc_origin "$tree" >"$tmp/.unpacked-from"
	rm -rf "$PRISTINE_DIR"
	mv "$tmp" "$PRISTINE_DIR"
	log "base: $PRISTINE_DIR = KSRC $tree without the stack ($how copy, $n files from $STACK_PC; $(( $(date +%s) - start )) s)"
}

# ksrc_copy TREE DEST CP_OPTION: cp every top-level entry of TREE but .git
# and our quilt state into DEST.
ksrc_copy() {
	local e
	for e in "$1"/* "$1"/.[!.]*; do
		[[ -e "$e" ]] || continue
		case "${e##*/}" in .git | "$STACK_PC") continue ;; esac
		cp "$3" "$e" "$2/" || return 1
	done
}

if [[ -n "${KSRC:-}" ]]; then
	ksrc_pristine
	exit 0
fi

if [[ "$BASE" == mainline ]]; then
	"$TOPDIR/scripts/fetch-base.sh"
fi
BASE_TARBALL="$(base_tarball)"
[[ -f "$BASE_TARBALL" ]] ||
	die "$BASE_TARBALL not found" "run 'make deps' (installs $BASE_PKG=$BASE_PKG_VERSION)"

ver="$(installed_version)"
if [[ "$ver" != "$BASE_PKG_VERSION" ]]; then
	mkdir -p "$BUILD_DIR"
	printf '%s\n' "$ver" >"$BUILD_DIR/base-fallback"
	log "WARNING: $BASE_PKG is $ver, not the pinned $BASE_PKG_VERSION: results are NOT for the pinned base"
fi

stamp="$PRISTINE_DIR/.unpacked-from"
if [[ -f "$stamp" && "$(cat "$stamp")" == "$ver" ]]; then
	log "base: $PRISTINE_DIR already holds $BASE_PKG $ver"
	exit 0
fi

log "base: unpacking $BASE_TARBALL ($ver) into $PRISTINE_DIR (about a minute)"
rm -rf "$PRISTINE_DIR.tmp"
mkdir -p "$PRISTINE_DIR.tmp"
tar -C "$PRISTINE_DIR.tmp" --strip-components=1 -xf "$BASE_TARBALL" ||
	die "unpacking $BASE_TARBALL failed" "check free disk space (df -h $BUILD_DIR) and re-run make base"
rm -rf "$PRISTINE_DIR"
mv "$PRISTINE_DIR.tmp" "$PRISTINE_DIR"
printf '%s\n' "$ver" > "$stamp"
log "base: $(make -s -C "$PRISTINE_DIR" kernelversion) unpacked"
