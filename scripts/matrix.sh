#!/bin/bash
# The 6.12 series on every linux-source-6.12 the archive holds: apply at
# --fuzz=0, build the objects it touches, KUnit on the newest and the oldest.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

usage() {
	cat <<EOF
Usage: scripts/matrix.sh [--apply-only] [--no-kunit] [--fresh] [--no-readme] [VERSION...]

Asks Debian's bookworm-security archive which linux-source-6.12 versions
it holds (or takes the given package versions) and, for each:

  fetch    'apt-get download' through a private apt configuration under
           build/matrix/apt (the machine's apt setup is never read or changed)
  unpack   the whole tree into build/matrix/<version>/linux
  prereq   the prerequisites in patches/6.12/prereq that the tree lacks
           (older point releases; Documentation/backport-6.12.md), with
           patch --fuzz=0; one the tree already has is skipped
  apply    quilt push -a --fuzz=0 of patches/6.12/series
  objects  kunit.py config with the 6.12 fast lane's kunitconfigs
           (kunitconfigs() in scripts/lib.sh), then 'make <objects>' for
           every .c file the series touches, in build/matrix/<version>/kunit-x86_64
  KUnit    on the newest and the oldest version the series applies to:
           scripts/kunit.sh build + run (the whole KUnit kernel, the amdgpu
           suites in QEMU), KSRC=build/matrix/<version>/linux; the pinned
           base's result comes from the normal lane (make kunit BASE=6.12)
           when that ran the same series

Every kernel build runs as 'flock \$BUILD_LOCK nice -n 10 ...' (BUILD_LOCK
default /work/build.lock where /work exists, else build/build.lock); time
spent waiting for the lock is reported apart from build time.

Re-runs are cheap: an unpacked tree whose applied series is unchanged
(same patch contents) is reused as it is; after a change the series is
popped and pushed again; the object builds are incremental (ccache, same
CCACHE_BASEDIR layout as build/6.12); a KUnit result is reused while the
series and the kunitconfigs are unchanged.

Options:
  --apply-only  fetch, unpack and apply only (no build, no lock taken);
                a version without a tree gets only the directories the
                series touches (0.6 GB instead of 1.7 GB)
  --no-kunit    build the touched objects, but no KUnit kernel
  --fresh       unpack every tree again, run KUnit again
  --collect     no build: the table from what the last build stage left
                (after it was stopped; objects and KUnit times are its own)
  --no-readme   leave README.md alone (it is updated only by a full run
                over the archive's versions: no --apply-only, no VERSION)

Writes build/logs/matrix-6.12.md (--apply-only: matrix-6.12-apply-only.md):
per version, patches applied, the first one that did not apply with its
rejected hunks, touched objects built, KUnit passed/failed/skipped, and
the time of each stage. Logs per version under build/matrix/<version>/logs/.
Prints "ok|not ok matrix <version>: ..." per version (make test's format).
Exits 1 if any version fails a stage.

'make test' runs only --apply-only (as the 6.12 check matrix-apply): a
full run costs two KUnit kernels (cold on 2 cores: up to 25 min each)
on top of the object builds, beyond CI's budget.
Disk: about 2 GB per version (tree 1.7 GB, objects), 0.4 GB more for a
KUnit kernel; 150 MB of download per version.
EOF
}

APPLY_ONLY=0
IN_LOCK=0
NO_KUNIT=0
FRESH=0
COLLECT=0
README_TOO=1
versions=()
while [[ $# -gt 0 ]]; do
	case "$1" in
	-h | --help) usage; exit 0 ;;
	--apply-only) APPLY_ONLY=1 ;;
	--no-kunit) NO_KUNIT=1 ;;
	--fresh) FRESH=1 ;;
	--collect) COLLECT=1 ;;
	--no-readme) README_TOO=0 ;;
	--in-lock) IN_LOCK=1 ;; # internal: the build stage, under the lock (locked_build)
	-*) usage >&2; exit 2 ;;
	*) versions+=("$1") ;;
	esac
	shift
done
[[ -z "${KSRC:-}" ]] ||
	die "make matrix fetches its own trees; KSRC=$KSRC is not used here" "run it without KSRC"
[[ $APPLY_ONLY -eq 0 && ${#versions[@]} -eq 0 ]] || README_TOO=0

use_base 6.12
# The physical path: kbuild resolves the source tree's path, and ccache's
# CCACHE_BASEDIR (below) must be a prefix of it.
mkdir -p "$TOPDIR/build"
MDIR="$(cd "$TOPDIR/build" && pwd -P)/matrix"
MAPT="$MDIR/apt"
# a full run's table is not overwritten by an --apply-only one (make test)
OUT="$TOPDIR/build/logs/matrix-6.12$([[ $APPLY_ONLY -eq 0 ]] || echo -apply-only).md"
if [[ -z "${BUILD_LOCK:-}" ]]; then
	if [[ -d /work && -w /work ]]; then BUILD_LOCK=/work/build.lock; else BUILD_LOCK="$TOPDIR/build/build.lock"; fi
fi
# The same reproducible-build and ccache settings as scripts/kunit.sh; per
# version CCACHE_BASEDIR is build/matrix/<version>, whose linux/ and
# kunit-x86_64/ sit like build/6.12's, so the relative paths ccache hashes
# are the same for every version and for the normal lane.
export KBUILD_BUILD_TIMESTAMP="Sun Nov 17 00:00:00 UTC 2024"
export KBUILD_BUILD_USER=kunit KBUILD_BUILD_HOST=workbench
export CCACHE_NOHASHDIR=1
export CCACHE_MAXSIZE="${CCACHE_MAXSIZE:-20G}"
mkdir -p "$(dirname "$OUT")" "$MDIR"
RUN_START=$(date +%s)
LOCK_WAIT=0
STAGE_STOPPED=0

# matrix_id: the series and its prerequisites (patches/6.12/prereq)
matrix_id() {
	{
		stack_id
		cat "$PATCH_DIR"/prereq/*.patch 2>/dev/null || true
	} | sha256sum | cut -d' ' -f1
}

# The run works on a copy of the series taken at its start (the build stage
# may wait long for the lock; edits to patches/6.12 meanwhile do not mix in).
# The build stage (--in-lock) inherits it.
if [[ $IN_LOCK -eq 0 ]]; then
	SID="$(matrix_id)"
	snap="$MDIR/series-${SID:0:16}"
	if [[ ! -f "$snap/series" ]]; then
		rm -rf "$snap.tmp"
		mkdir -p "$snap.tmp"
		while read -r p; do
			cp "$PATCH_DIR/$p" "$snap.tmp/"
		done < <(series_patches)
		cp "$SERIES_FILE" "$snap.tmp/series"
		[[ ! -d "$PATCH_DIR/prereq" ]] || cp -r "$PATCH_DIR/prereq" "$snap.tmp/prereq"
		rm -rf "$snap"
		mv "$snap.tmp" "$snap"
	fi
	export STACK_SERIES="$snap/series" STACK_PATCHES="$snap"
	use_base 6.12
fi
SID="$(matrix_id)"
PREREQ_DIR="$PATCH_DIR/prereq"
total=$(series_patches | wc -l)
[[ $total -gt 0 ]] || die "$SERIES_FILE lists no patch" "check patches/6.12/series"
mapfile -t sources < <(stack_files | grep '\.c$' || true)
# --apply-only unpacks only these: the touched directories, three deep
mapfile -t dirs < <(stack_files | awk -F/ '{ print $1 "/" $2 "/" $3 }' | sort -u)
objs=()
for f in "${sources[@]}"; do
	objs+=("$(amdgpu_obj_of "$f")")
done

# Results, per version: APPLIED (N), BAD (first patch that failed and its
# rejected hunks), OBJ (objects column), KU (KUnit column); T[v:stage] seconds
# of a stage ("reused" when nothing had to be done).
declare -A APPLIED BAD OBJ KU T PRE

# prereq_note V: ", after N prerequisite(s)" when V's tree needed any
prereq_note() {
	local n="${PRE[$1]:-0}"
	[[ "$n" -eq 0 ]] || printf ', after %d prerequisite%s' "$n" "$([[ $n -eq 1 ]] || echo s)"
}

# apply_prereqs V: the prerequisites (patches/6.12/prereq, see
# Documentation/backport-6.12.md) that V's tree lacks, with patch --fuzz=0,
# before the series; one the tree has already (it applies in reverse) is
# skipped. The names of those applied go to <version>/prereq. False, with
# BAD[V] set, if one neither applies nor is in the tree.
apply_prereqs() {
	local v="$1" vdir="$MDIR/$1" tree="$MDIR/$1/linux" p
	: >"$vdir/prereq"
	for p in "$PREREQ_DIR"/*.patch; do
		[[ -f "$p" ]] || continue
		patch -d "$tree" -p1 -R --dry-run -f --fuzz=0 -s <"$p" >/dev/null 2>&1 && continue
		if ! patch -d "$tree" -p1 -f --fuzz=0 <"$p" >>"$vdir/logs/prereq.log" 2>&1; then
			BAD[$v]="prerequisite $(basename "$p") does not apply (log: $vdir/logs/prereq.log)"
			return 1
		fi
		basename "$p" >>"$vdir/prereq"
	done
}

failed=0

# stage_time V STAGE START: record the seconds since START (stages without lock)
stage_time() {
	T[$1:$2]=$(( $(date +%s) - $3 ))
}

# locked_build VERSION... [kunit:VERSION...]: this script's build stage (--in-lock) as 'flock $BUILD_LOCK
# nice -n 10 ...': one kernel build at a time on this machine, and one
# acquisition for every object build and both KUnit kernels, so that the
# matrix does not queue for the lock once per version. The stage writes
# build/matrix/.lock-taken when it starts; the time before is LOCK_WAIT.
locked_build() {
	local start pid rc=0 next
	rm -f "$MDIR/.lock-taken"
	start=$(date +%s)
	next=$((start + 30))
	flock -n "$BUILD_LOCK" true || log "matrix: waiting for $BUILD_LOCK (another kernel build holds it)"
	flock "$BUILD_LOCK" nice -n 10 "$TOPDIR/scripts/matrix.sh" --in-lock "$@" &
	pid=$!
	while kill -0 "$pid" 2>/dev/null; do
		sleep 1
		if [[ ! -f "$MDIR/.lock-taken" && $(date +%s) -ge $next ]]; then
			log "matrix: still waiting for $BUILD_LOCK ($(( $(date +%s) - start )) s)"
			next=$((next + 30))
		fi
	done
	wait "$pid" || rc=$?
	LOCK_WAIT=$(( $(cat "$MDIR/.lock-taken" 2>/dev/null || date +%s) - start ))
	return "$rc"
}

# unpack_tree DEB DIR [PATH...]: the kernel tarball inside DEB, unpacked
# into DIR; only PATHs of the tree if given
unpack_tree() {
	local deb="$1" dir="$2"
	shift 2
	dpkg-deb --fsys-tarfile "$deb" | tar -xOf - "./usr/src/$BASE_PKG.tar.xz" |
		tar -xJf - --strip-components=1 -C "$dir" "${@/#/$BASE_PKG/}"
}

# tree_usable V: the unpacked tree of V serves this run: a whole tree, or
# with --apply-only also one of the touched directories only ("V partial")
tree_usable() {
	local have
	have="$(cat "$MDIR/$1/unpacked" 2>/dev/null || true)"
	[[ $FRESH -eq 0 && -d "$MDIR/$1/linux" ]] || return 1
	[[ "$have" == "$1" || ($APPLY_ONLY -eq 1 && "$have" == "$1 partial") ]]
}

# kconfig_id TREE: identity of the fast lane's kunitconfigs as they are now
kconfig_id() {
	local o f
	while read -r o; do
		f="${o#--kunitconfig=}"
		[[ -d "$f" ]] && f="$f/.kunitconfig"
		cat "$f"
	done < <(kunitconfigs "$1" fast) | sha256sum | cut -c1-16
}

# --- 1. fetch, unpack, apply ------------------------------------------------
apply_version() {
	local v="$1" vdir="$MDIR/$1" tree="$MDIR/$1/linux" deb rc=0 applied start st=()
	mkdir -p "$vdir/logs"
	deb="$MAPT/deb/${BASE_PKG}_${v//:/%3a}_all.deb"
	start=$(date +%s)
	if [[ -f "$deb" ]]; then
		T[$v:fetch]=reused
	else
		log "matrix: $v: fetching"
		(cd "$MAPT/deb" && apt-get "${APT_OPTS[@]}" download "$BASE_PKG=$v") >"$vdir/logs/download.log" 2>&1 ||
			die "apt-get download $BASE_PKG=$v failed (log: $vdir/logs/download.log)" \
				"the version may have left the archive; pass the versions to test: scripts/matrix.sh VERSION..."
		stage_time "$v" fetch "$start"
	fi

	# a tree whose series is unchanged is reused; after a change, pop and push again
	[[ -f "$vdir/applied" ]] && read -r -a st <"$vdir/applied"
	if tree_usable "$v" && [[ "${st[0]:-}" == "$SID" ]]; then
		T[$v:unpack]=reused
		T[$v:apply]=reused
		applied="${st[1]}"
		rc="${st[2]}"
		log "matrix: $v: tree reused (series unchanged): $applied of $total applied"
	else
		start=$(date +%s)
		if tree_usable "$v"; then
			log "matrix: $v: the series changed: quilt pop -a"
			rm -f "$vdir/applied"
			# prerequisites are applied outside quilt: a fresh tree takes them again
			[[ ! -s "$vdir/prereq" ]] || rm -f "$vdir/unpacked"
			if [[ -s "$tree/$STACK_PC/applied-patches" ]] &&
				! (cd "$tree" && pquilt pop -a -f -q) >"$vdir/logs/pop.log" 2>&1 ||
				[[ -s "$tree/$STACK_PC/applied-patches" ]]; then
				log "matrix: $v: quilt pop failed (log: $vdir/logs/pop.log); unpacking again"
				rm -f "$vdir/unpacked"
			fi
		fi
		if ! tree_usable "$v"; then
			# the builds outside it stay: kbuild rebuilds what changed
			rm -rf "${tree:?}" "${vdir:?}/$BASE_PKG" "$vdir/root" "$vdir/applied" "$vdir/unpacked" "$vdir/push.log"
			mkdir -p "$tree"
			if [[ $APPLY_ONLY -eq 1 ]]; then
				log "matrix: $v: unpacking ${dirs[*]} into $tree"
				with_progress "unpacking $v" unpack_tree "$deb" "$tree" "${dirs[@]}" ||
					die "cannot unpack $deb" "delete it and run again: rm $deb"
				printf '%s partial\n' "$v" >"$vdir/unpacked"
			else
				log "matrix: $v: unpacking the whole tree into $tree"
				with_progress "unpacking $v" unpack_tree "$deb" "$tree" ||
					die "cannot unpack $deb" "delete it and run again: rm $deb"
				printf '%s\n' "$v" >"$vdir/unpacked"
			fi
			stage_time "$v" unpack "$start"
		else
			T[$v:unpack]=reused
		fi
		start=$(date +%s)
		rm -f "$vdir/logs/prereq.log"
		if ! apply_prereqs "$v"; then
			rc=1
			log "matrix: $v: ${BAD[$v]}"
		elif [[ -s "$vdir/prereq" ]]; then
			log "matrix: $v: prerequisites applied first: $(tr '\n' ' ' <"$vdir/prereq")"
		fi
		log "matrix: $v: quilt push -a --fuzz=0"
		[[ $rc -ne 0 ]] || (cd "$tree" && pquilt push -a --fuzz=0) >"$vdir/logs/push.log" 2>&1 || rc=$?
		applied=$(cd "$tree" && pquilt applied 2>/dev/null | wc -l)
		printf '%s %s %s\n' "$SID" "$applied" "$rc" >"$vdir/applied"
		stage_time "$v" apply "$start"
	fi
	APPLIED[$v]=$applied
	PRE[$v]="$(wc -l <"$vdir/prereq" 2>/dev/null || echo 0)"
	if [[ $rc -eq 0 && $applied -eq $total ]]; then
		BAD[$v]="—"
		log "matrix: $v: $applied of $total applied"
	else
		failed=$((failed + 1))
		[[ "${BAD[$v]:-}" == prerequisite* ]] || BAD[$v]="$(series_patches | sed -n "$((applied + 1))p"): $(grep -E 'FAILED|rejects in file' "$vdir/logs/push.log" |
			tr '\n' ' ' | sed -e 's/|/\\|/g' -e 's/ *$//')"
		log "matrix: $v: FAILED at ${BAD[$v]} (log: $vdir/logs/push.log)"
	fi
}

# --- 2. the touched objects in a KUnit configuration --------------------------
# to_log LOG CMD...: CMD with its output appended to LOG
to_log() {
	local f="$1"
	shift
	"$@" >>"$f" 2>&1
}

# in_lock_objects V: kunit.py config, then make the touched objects (-k: as
# many as build), output in V's logs/objects.log. Runs under the lock.
in_lock_objects() {
	local v="$1" vdir="$MDIR/$1" tree="$MDIR/$1/linux" bdir="$MDIR/$1/kunit-x86_64" start kconfigs=()
	local blog="$MDIR/$1/logs/objects.log"
	mapfile -t kconfigs < <(kunitconfigs "$tree" fast)
	mkdir -p "$bdir"
	# the tree must carry the series this run computed its objects from
	if [[ "$(cut -d' ' -f1 "$vdir/applied" 2>/dev/null)" != "$SID" ]]; then
		log "matrix: $v: the series changed since it was applied; not built"
		echo "series changed" >"$vdir/logs/objects.status"
		return 0
	fi
	export CCACHE_BASEDIR="$vdir"
	start=$(date +%s)
	log "matrix: $v: kunit.py config and ${#objs[@]} touched objects (log: $blog)"
	{
		echo "kunitconfigs: ${kconfigs[*]}"
		ccache --print-stats 2>/dev/null | grep -E '^(direct_cache_hit|preprocessed_cache_hit|cache_miss)' || true
	} >"$blog"
	if ! (cd "$tree" && python3 tools/testing/kunit/kunit.py config --arch=x86_64 --build_dir="$bdir" \
		"${kconfigs[@]}" --make_options "CC=ccache gcc") >>"$blog" 2>&1; then
		echo "config failed" >"$vdir/logs/objects.status"
	else
		with_progress "building $v's touched objects" to_log "$blog" make -k -C "$tree" O="$bdir" \
			ARCH=x86_64 CC="ccache gcc" -j"$(nproc)" "${objs[@]}" || true
		echo "built" >"$vdir/logs/objects.status"
	fi
	ccache --print-stats 2>/dev/null | grep -E '^(direct_cache_hit|preprocessed_cache_hit|cache_miss)' >>"$blog" || true
	echo $(( $(date +%s) - start )) >"$vdir/logs/objects.secs"
}

# objects_count V: how many of the touched objects V's build has, newer than its apply
objects_count() {
	local o n=0
	for o in "${objs[@]}"; do
		[[ -f "$MDIR/$1/kunit-x86_64/$o" && "$MDIR/$1/kunit-x86_64/$o" -nt "$MDIR/$1/applied" ]] && n=$((n + 1))
	done
	echo "$n"
}

# objects_result V: the objects column of V from its build; false if not all built
objects_result() {
	local v="$1" vdir="$MDIR/$1" n
	T[$v:objects]="$(cat "$vdir/logs/objects.secs" 2>/dev/null || echo -)"
	case "$(cat "$vdir/logs/objects.status" 2>/dev/null || true)" in
	built) ;;
	"") OBJ[$v]="not built (the build stage stopped first)"; return 1 ;;
	"series changed") OBJ[$v]="not built: the series changed during the run; run again"; return 1 ;;
	*) OBJ[$v]="kunit.py config failed (log: $vdir/logs/objects.log)"; return 1 ;;
	esac
	n="$(objects_count "$v")"
	OBJ[$v]="$n of ${#objs[@]}"
	if [[ $n -ne ${#objs[@]} ]]; then
		log "matrix: $v: only $n of ${#objs[@]} touched objects build (log: $vdir/logs/objects.log)"
		grep -E 'error:' "$vdir/logs/objects.log" | head -n 5 >&2 || true
		return 1
	fi
	log "matrix: $v: ${#objs[@]} of ${#objs[@]} touched objects built in ${T[$v:objects]} s"
}

# summary_cell FILE: "passed/failed/skipped" from a kunit.sh summary line
summary_cell() {
	awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] } }
	     END { printf "%s/%s/%s%s", f["passed"], f["failed"], f["skipped"],
	           (f["crashed"] > 0 ? " (" f["crashed"] " crashed)" : "") }' "$1"
}

# normal_lane_cell: the normal lane's (make kunit BASE=6.12) result when it
# ran this series on the pinned base, else ""
normal_lane_cell() {
	local id="$BUILD_DIR/linux/.pc/.workbench-stack-id" sum="$LOG_DIR/kunit-fast.summary"
	[[ -f "$id" && -f "$sum" && "$sum" -nt "$id" && "$(cat "$id")" == "$SID" ]] || return 0
	printf '%s (normal lane, %s)\n' "$(summary_cell "$sum")" "$(date -r "$sum" +%F)"
}

# --- 3. KUnit ------------------------------------------------------------------
# in_lock_kunit V: scripts/kunit.sh build, then run, on V's tree, with V's
# build and log directories. Runs under the lock. Status in logs/kunit.rc:
# 10 if the kernel does not build, else run's.
in_lock_kunit() {
	local v="$1" vdir="$MDIR/$1" start rc=0
	local kenv=(env BASE=6.12 KSRC="$MDIR/$1/linux" BUILD_DIR="$vdir" KUNIT_BUILD_DIR="$vdir/kunit-x86_64")
	start=$(date +%s)
	touch "$vdir/logs/kunit.started"
	log "matrix: $v: the KUnit kernel (scripts/kunit.sh build, KSRC=$vdir/linux)"
	"${kenv[@]}" "$TOPDIR/scripts/kunit.sh" build || rc=10
	echo $(( $(date +%s) - start )) >"$vdir/logs/kbuild.secs"
	if [[ $rc -eq 0 ]]; then
		start=$(date +%s)
		log "matrix: $v: running the amdgpu suites (console: $vdir/logs/kunit-fast.console.log)"
		with_progress "running KUnit on $v" "${kenv[@]}" "$TOPDIR/scripts/kunit.sh" run || rc=$?
		echo $(( $(date +%s) - start )) >"$vdir/logs/krun.secs"
		# what a later run may reuse (kunit_reuse)
		[[ ! -f "$vdir/logs/kunit-fast.summary" ]] || printf '%s %s\n' "$(kunit_id "$v")" "$rc" >"$vdir/kunit.done"
	fi
	echo "$rc" >"$vdir/logs/kunit.rc"
}

# in_lock VERSION... [kunit:VERSION...]: the build stage, under the lock: the
# objects and the KUnit run of every kunit:VERSION first, then the objects of
# every other VERSION (the KUnit results are worth most when time is short)
in_lock() {
	local v k=()
	date +%s >"$MDIR/.lock-taken"
	for v in "$@"; do
		[[ "$v" == kunit:* ]] || continue
		v="${v#kunit:}"
		k+=("$v")
		in_lock_objects "$v"
		# a kernel whose touched objects do not all build is not tried
		[[ "$(cat "$MDIR/$v/logs/objects.status" 2>/dev/null)" == built &&
			"$(objects_count "$v")" -eq ${#objs[@]} ]] || continue
		in_lock_kunit "$v"
	done
	for v in "$@"; do
		[[ "$v" != kunit:* && " ${k[*]} " != *" $v "* ]] || continue
		in_lock_objects "$v"
	done
}

# kunit_id V: what a KUnit result of V depends on: the series, the kunitconfigs
kunit_id() {
	printf '%s-%s\n' "$SID" "$(kconfig_id "$MDIR/$1/linux")"
}

# kunit_reuse V: true (and KU[V] set) when V's KUnit result can be reused:
# the last run here with the same series and kunitconfigs, or for the
# pinned base the normal lane's passing run of this series
kunit_reuse() {
	local v="$1" vdir="$MDIR/$1" st=() cell
	[[ $FRESH -eq 0 ]] || return 1
	[[ -f "$vdir/kunit.done" ]] && read -r -a st <"$vdir/kunit.done"
	if [[ "${st[0]:-}" == "$(kunit_id "$v")" && "${st[1]:-1}" -eq 0 && -f "$vdir/logs/kunit-fast.summary" ]]; then
		KU[$v]="$(summary_cell "$vdir/logs/kunit-fast.summary") (reused, $(date -r "$vdir/kunit.done" +%F))"
	elif [[ "$v" == "$BASE_PKG_VERSION" ]] && cell="$(normal_lane_cell)" && [[ "$cell" =~ ^[0-9]+/0/ ]]; then
		KU[$v]="$cell"
	else
		return 1
	fi
	T[$v:kbuild]=reused
	T[$v:krun]=reused
	if [[ $COLLECT -eq 1 && -f "$vdir/logs/krun.secs" ]]; then
		T[$v:kbuild]="$(cat "$vdir/logs/kbuild.secs")"
		T[$v:krun]="$(cat "$vdir/logs/krun.secs")"
	fi
	log "matrix: $v: KUnit result reused: ${KU[$v]}"
}

# kunit_result V: the KUnit column of V from its run; false unless it passed
kunit_result() {
	local v="$1" vdir="$MDIR/$1" rc
	rc="$(cat "$vdir/logs/kunit.rc" 2>/dev/null || echo none)"
	T[$v:kbuild]="$(cat "$vdir/logs/kbuild.secs" 2>/dev/null || echo -)"
	T[$v:krun]="$(cat "$vdir/logs/krun.secs" 2>/dev/null || echo -)"
	case "$rc" in
	none)
		if [[ "$(cat "$vdir/logs/objects.status" 2>/dev/null || true)" == "series changed" ]]; then
			KU[$v]="not run: the series changed during the run"
		elif [[ $STAGE_STOPPED -eq 1 && ! -f "$vdir/logs/kunit.started" ]]; then
			KU[$v]="not run: the build stage stopped first"
		elif [[ $STAGE_STOPPED -eq 1 ]]; then
			KU[$v]="not finished: the build stage stopped during it"
		else
			KU[$v]="not run: touched objects do not build"
		fi
		return 1
		;;
	10) KU[$v]="not run: the KUnit kernel does not build (log: $vdir/logs/kunit-fast.build.log)"; return 1 ;;
	esac
	if [[ -f "$vdir/logs/kunit-fast.summary" ]]; then
		KU[$v]="$(summary_cell "$vdir/logs/kunit-fast.summary")"
	else
		KU[$v]="no result (console: $vdir/logs/kunit-fast.console.log)"
		rc=1
	fi
	[[ $rc -eq 0 ]]
}

write_table() {
	local v
	{
		printf '# 6.12 series on every %s in bookworm-security\n\n' "$BASE_PKG"
		printf 'Run %s (%s), series patches/6.12/series: %s patches, %s touched .c files, stack id %s.\n' \
			"$(date -u '+%F %H:%M UTC')" "$([[ $APPLY_ONLY -eq 1 ]] && echo "--apply-only" || echo full)" \
			"$total" "${#objs[@]}" "${SID:0:12}"
		printf 'Prerequisites (patches/6.12/prereq, for trees that lack them): patch --fuzz=0 first; "after N prerequisites" counts those a version needed.\n'
		printf 'Apply: quilt push -a --fuzz=0. Objects and KUnit: the 6.12 fast lane (%s).\n' \
			"$(kunitconfigs "<tree>" fast | sed "s|$TOPDIR/||" | tr '\n' ' ' | sed 's/ $//')"
		printf 'KUnit: passed/failed/skipped, on the newest and the oldest version the series applies to.\n\n'
		printf '| version | applied | touched objects built | KUnit | first failing patch: rejected hunks |\n'
		printf '|---|---|---|---|---|\n'
		for v in "${versions[@]}"; do
			printf '| %s%s | %s of %s%s | %s | %s | %s |\n' "$v" \
				"$([[ "$v" == "$BASE_PKG_VERSION" ]] && echo " (pinned)")" \
				"${APPLIED[$v]:-?}" "$total" "$(prereq_note "$v")" "${OBJ[$v]:-$([[ $APPLY_ONLY -eq 1 ]] && echo "not built (--apply-only)" || echo "not built")}" "${KU[$v]:-not run}" "${BAD[$v]:-?}"
		done
		printf '\nStage times in seconds ("reused": nothing to do on this run; time spent waiting\n'
		printf 'for %s is not counted in them).\n\n' "$BUILD_LOCK"
		printf '| version | fetch | unpack | apply | objects | KUnit build | KUnit run |\n'
		printf '|---|---|---|---|---|---|---|\n'
		for v in "${versions[@]}"; do
			printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$v" "${T[$v:fetch]:--}" \
				"${T[$v:unpack]:--}" "${T[$v:apply]:--}" "${T[$v:objects]:--}" \
				"${T[$v:kbuild]:--}" "${T[$v:krun]:--}"
		done
		if [[ $COLLECT -eq 1 ]]; then
			printf '\nCollected (--collect) from the files of the last build stage; no total.\n'
		else
			printf '\nTotal: %s s, of which %s s waiting for the build lock.\n' "$(( $(date +%s) - RUN_START ))" "$LOCK_WAIT"
		fi
	} >"$OUT"
}

if [[ $IN_LOCK -eq 1 ]]; then
	in_lock "${versions[@]}"
	exit 0
fi

private_apt "$MAPT" http://deb.debian.org/debian-security bookworm-security
log "matrix: apt-get update (bookworm-security, private lists in $MAPT/lists)"
apt-get "${APT_OPTS[@]}" update >"$MAPT/update.log" 2>&1 ||
	die "apt-get update failed (log: $MAPT/update.log)" "check that deb.debian.org is reachable"
if [[ ${#versions[@]} -eq 0 ]]; then
	mapfile -t versions < <(apt-cache "${APT_OPTS[@]}" madison "$BASE_PKG" | awk -F'|' '{ gsub(/ /, "", $2); print $2 }' | sort -uV)
fi
mapfile -t versions < <(printf '%s\n' "${versions[@]}" | sed '/^$/d' | sort -uV)
[[ ${#versions[@]} -gt 0 ]] || die "the archive lists no $BASE_PKG" "pass versions explicitly: scripts/matrix.sh 6.12.117-1~deb12u1"
log "matrix: ${#versions[@]} versions: ${versions[*]}; series: $total patches, ${#objs[@]} touched objects"

for v in "${versions[@]}"; do
	apply_version "$v"
done
write_table

if [[ $APPLY_ONLY -eq 0 ]]; then
	# objects on every version the series applies to; KUnit on the newest
	# and the oldest of them, unless a result can be reused
	applied_versions=() kunit_versions=() run_versions=()
	for v in "${versions[@]}"; do
		[[ "${BAD[$v]}" == "—" ]] && applied_versions+=("$v")
	done
	if [[ $NO_KUNIT -eq 0 && ${#applied_versions[@]} -gt 0 ]]; then
		mapfile -t kunit_versions < <(printf '%s\n' "${applied_versions[-1]}" "${applied_versions[0]}" | awk '!seen[$0]++')
	fi
	for v in "${kunit_versions[@]}"; do
		kunit_reuse "$v" || run_versions+=("$v")
		[[ $COLLECT -eq 1 ]] ||
			rm -f "$MDIR/$v/logs/kunit.rc" "$MDIR/$v/logs/kbuild.secs" "$MDIR/$v/logs/krun.secs" "$MDIR/$v/logs/kunit.started"
	done
	if [[ $COLLECT -eq 1 ]]; then
		STAGE_STOPPED=1
		log "matrix: --collect: the results the last build stage left, no build"
	else
		for v in "${run_versions[@]}"; do
			rm -f "$MDIR/$v/kunit.done" "$MDIR/$v/logs/kunit-fast.summary"
		done
		for v in "${applied_versions[@]}"; do
			rm -f "$MDIR/$v/logs/objects.secs" "$MDIR/$v/logs/objects.status"
		done
	fi
	if [[ $COLLECT -eq 0 && ${#applied_versions[@]} -gt 0 ]]; then
		log "matrix: build stage: objects of ${#applied_versions[@]} versions, KUnit on ${run_versions[*]:-none}" \
			"(one acquisition of $BUILD_LOCK)"
		if ! locked_build "${applied_versions[@]}" "${run_versions[@]/#/kunit:}"; then
			# stopped or killed: what it finished is reported, the rest is not
			log "matrix: the build stage stopped before its end; reporting what it finished"
			STAGE_STOPPED=1
			failed=$((failed + 1))
		fi
	fi
	for v in "${applied_versions[@]}"; do
		objects_result "$v" || failed=$((failed + 1))
	done
	for v in "${run_versions[@]}"; do
		kunit_result "$v" || failed=$((failed + 1))
	done
	# the pinned base: the normal lane's result, when it ran this series
	if [[ -z "${KU[$BASE_PKG_VERSION]:-}" && -n "${APPLIED[$BASE_PKG_VERSION]:-}" ]]; then
		cell="$(normal_lane_cell)"
		[[ -z "$cell" ]] || KU[$BASE_PKG_VERSION]="$cell"
	fi
fi
write_table
log "matrix: table in $OUT ($(( $(date +%s) - RUN_START )) s)"
cat "$OUT"

# One result line per version, for make test's collector (scripts/test.sh)
for v in "${versions[@]}"; do
	res="${APPLIED[$v]} of $total at fuzz 0$(prereq_note "$v")"
	[[ $APPLY_ONLY -eq 1 ]] || res+=", objects ${OBJ[$v]:-not built}, KUnit ${KU[$v]:-not run}"
	if [[ "${BAD[$v]}" == "—" && ("${OBJ[$v]:-}" == "" || "${OBJ[$v]}" == "${#objs[@]} of ${#objs[@]}") &&
		! "${KU[$v]:-}" =~ ^(not run:|no result|[0-9]+/[1-9])|crashed ]]; then
		printf 'ok matrix %s: %s\n' "$v" "$res"
	else
		printf 'not ok matrix %s: %s%s\n' "$v" "$res" "$([[ "${BAD[$v]}" == "—" ]] || echo "; ${BAD[$v]}")"
	fi
done

if [[ $README_TOO -eq 1 ]]; then
	# without the title line; the stage times stay in the table file, the total comes along
	python3 - "$OUT" <<'PY' | readme_splice matrix:6.12
import sys
table = open(sys.argv[1]).read()
body = table.split('\n', 2)[2].split('\nStage times', 1)[0].rstrip('\n')
total = [l for l in table.splitlines() if l.startswith('Total: ')]
print(body + '\n\n' + (total[0] + ' ' if total else '') + 'Stage times: build/logs/matrix-6.12.md.')
PY
	log "matrix: README.md updated from $OUT"
fi

if [[ $failed -gt 0 ]]; then
	die "$failed stage(s) failed in the matrix (table: $OUT)" \
		"a patch that does not apply: read build/matrix/<version>/logs/push.log and choose hunk context that every 6.12.y has; objects: build/matrix/<version>/logs/objects.log; KUnit: build/matrix/<version>/logs/kunit-fast.*"
fi
