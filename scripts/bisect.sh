#!/bin/bash
# Bisectability: every prefix of the series applies and its objects build.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

usage() {
	cat <<EOF2
Usage: scripts/bisect.sh

Applies the series one patch at a time (fuzz 0) to a fresh copy of the
pristine base and, after each patch, builds every .c file touched so far
with amdgpu's object paths, in one O= directory configured like the
KUnit kernel. A prefix that does not apply or does not build fails.
Then the same once more for the series without the patches whose
changelog says "Not for merging" (the benchmark), which maintainers may
leave out. The full KUnit kernel at the top of the series is built by
'make build'. Prints "ok|not ok bisect <patch>" lines and one
"ok|not ok bisect without the patches not for merging" line.
Logs: $LOG_DIR/bisect.<patch>.log, $LOG_DIR/bisect.for-merging.log
EOF2
}
case "${1:-}" in
-h | --help) usage; exit 0 ;;
"") ;;
*) usage >&2; exit 2 ;;
esac

config="$KUNIT_BUILD_DIR/.config"
[[ -f "$config" ]] || die "no KUnit kernel config at $config" "run 'make build' first"
"$TOPDIR/scripts/base.sh" >/dev/null
export KBUILD_BUILD_TIMESTAMP="Sun Nov 17 00:00:00 UTC 2024"
export CCACHE_BASEDIR="$BUILD_DIR" CCACHE_NOHASHDIR=1

scratch="$BUILD_DIR/bisect-tree"
out="$BUILD_DIR/bisect-out"
rm -rf "$scratch"
cp -al "$PRISTINE_DIR" "$scratch"
mkdir -p "$out" "$LOG_DIR"

# build_and_report NAME LOG FILE...: build the objects of these sources in the
# scratch tree; prints "ok NAME (N objects)" or "not ok NAME" with the errors.
build_and_report() {
	local name="$1" plog="$2" f objs=()
	shift 2
	for f in "$@"; do
		[[ -f "$scratch/$f" ]] && objs+=("$(amdgpu_obj_of "$f")")
	done
	if [[ ${#objs[@]} -eq 0 ]]; then
		# make with no target would build the whole kernel
		printf 'ok %s (0 objects)\n' "$name"
		return 0
	fi
	cp "$config" "$out/.config"
	if make -s -C "$scratch" O="$out" ARCH=x86_64 olddefconfig >>"$plog" 2>&1 &&
		make -C "$scratch" O="$out" ARCH=x86_64 CC="ccache gcc" -j"$(nproc)" \
			"${objs[@]}" >>"$plog" 2>&1; then
		printf 'ok %s (%d objects)\n' "$name" "${#objs[@]}"
		return 0
	fi
	printf 'not ok %s: objects do not build (log: %s)\n' "$name" "$plog"
	grep -E 'error:' "$plog" | head -n 5 | sed 's/^/    /'
	return 1
}

fails=0
touched=()
n=0
total=$(series_patches | wc -l)
while read -r p; do
	n=$((n + 1))
	plog="$LOG_DIR/bisect.$p.log"
	if ! (cd "$scratch" && pquilt push --fuzz=0) >"$plog" 2>&1; then
		printf 'not ok bisect %s: does not apply on the previous prefix (log: %s)\n' "$p" "$plog"
		fails=$((fails + 1))
		break
	fi
	while read -r f; do
		[[ "$f" == *.c ]] && touched+=("$f")
	done < <(patch_files "$PATCH_DIR/$p")
	mapfile -t touched < <(printf '%s\n' "${touched[@]}" | sort -u)
	log "bisect: [$n/$total] $p: building the objects of ${#touched[@]} sources"
	build_and_report "bisect $p" "$plog" "${touched[@]}" || fails=$((fails + 1))
done < <(series_patches)

# The series as a maintainer may take it: without the patches not for merging
# (their changelog says so), applied at fuzz 0 and built as a whole.
left_out=()
while read -r p; do
	not_for_merging "$PATCH_DIR/$p" && left_out+=("$p")
done < <(series_patches)
if [[ ${#left_out[@]} -gt 0 ]]; then
	name="bisect without the patches not for merging (${#left_out[@]} left out)"
	plog="$LOG_DIR/bisect.for-merging.log"
	rm -rf "$scratch"
	cp -al "$PRISTINE_DIR" "$scratch"
	printf 'left out: %s\n' "${left_out[@]}" >"$plog"
	log "bisect: the series without ${left_out[*]}"
	sources=()
	applied=1
	while read -r p; do
		not_for_merging "$PATCH_DIR/$p" && continue
		# offsets are expected here: a left-out patch moved lines
		if ! (cd "$scratch" && patch -p1 --fuzz=0 --no-backup-if-mismatch -i "$PATCH_DIR/$p") \
			>>"$plog" 2>&1; then
			printf 'not ok %s: %s does not apply (log: %s)\n' "$name" "$p" "$plog"
			fails=$((fails + 1))
			applied=0
			break
		fi
		while read -r f; do
			[[ "$f" == *.c ]] && sources+=("$f")
		done < <(patch_files "$PATCH_DIR/$p")
	done < <(series_patches)
	if [[ $applied -eq 1 ]]; then
		mapfile -t sources < <(printf '%s\n' "${sources[@]}" | sort -u)
		build_and_report "$name" "$plog" "${sources[@]}" || fails=$((fails + 1))
	fi
fi
rm -rf "$scratch"
[[ $fails -eq 0 ]]
