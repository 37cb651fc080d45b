#!/bin/bash
# Build amdgpu.ko with Debian's own kernel config: the configuration that ships.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

DISTRO_VARIANTS=(pristine-off pristine-on stack-off stack-on)
usage() {
	cat <<EOF2
Usage: BASE=mainline|6.12 scripts/distro-build.sh [--fresh|--recheck] [VARIANT...]
       (make distro; one base per run, default mainline)

Builds the amdgpu module as Debian ships it: Debian's own kernel config for
the base (the amd64 'none' flavour, config.amd64_none_amd64.xz from
linux-config-X.Y at the pinned version $BASE_PKG_VERSION; if the archive
has dropped that version, the .config of the matching linux-headers-*-amd64
package), brought to this tree with olddefconfig. Checked after
olddefconfig: DRM_AMDGPU=m, DRM_AMD_DC=y, HSA_AMD=y, DEBUG_FS off (Debian
sets y; off, the build also proves that nothing of the series needs
debugfs), and KUNIT off unless the test options are on.

Variants (persistent O= directories $BUILD_DIR/distro-pristine-{off,on} and
distro-stack/{off,on}; the series is applied to a copy of the base of this
script's own, distro-stack/pristine, so that a re-apply of build/<base>/linux
never changes the sources under a build, and so that ccache, which sees the
sources relative to the O= directory as ../pristine/ in both, compiles each
file the series leaves alone once for pristine and stack):
  pristine-off  the pristine base, Debian's config
  pristine-on   the pristine base, Debian's config + KUNIT=m
  stack-off     the base + the series, Debian's config (the stack's own
                Kconfig options all off, as olddefconfig leaves them)
  stack-on      the base + the series, Debian's config + KUNIT=m + every
                option the series adds (read from its '+config' lines):
                tristate =m, bool =y; each must take
Default: all four. stack-off is compared with pristine-off and stack-on
with pristine-on: any warning the pristine build lacks fails the check.
Debian's kernel has KUNIT off, so with the test options on the modules
need symbols that only a vmlinux with KUNIT on exports: those of
lib/kunit/hooks.c (kunit_hooks, kunit_running) and the built-in code's
EXPORT_SYMBOL_IF_KUNIT() (mm_alloc, ...), read from the tree. In the "on"
variants those count as resolved (and are counted apart); every other
symbol must resolve against Debian's kernel in every variant.

The build target is the smallest one that links amdgpu.ko and runs modpost:
kbuild's single-module target, 'make drivers/gpu/drm/amd/amdgpu/amdgpu.ko'
(with the test options on, also the series' test modules and the KUnit
modules they import: kunit.ko, drm_kunit_helpers.ko where =m). It builds
the module and modules_prepare, never vmlinux, so modpost runs without
vmlinux.o (KBUILD_MODPOST_WARN=1) and names only the first ten unresolved
symbols. Its 'undefined!' lines are therefore replaced by a complete
check: every undefined symbol of each .ko must be exported by Debian's
kernel of the pinned version (Module.symvers of linux-headers-*-amd64) or
by the modules built here, and a symbol in a namespace needs the module's
MODULE_IMPORT_NS(). Section mismatches and every other modpost, objtool
and compiler warning count as they are.

Warnings are compared as warnings.sh does (file and message; paths, line
numbers and +0x offsets dropped). Each run recompiles the module objects
(from ccache when warm) so that every warning is seen again; the O=
directory keeps the config, the host tools and the prepared headers.
  --fresh   remove the variant's O= directory first (what a fresh clone
            sees: with a warm ccache, the CI case)
  --recheck build nothing: check the last build of each variant again
            (its log and modules; e.g. after a change to this script)

Every kernel build runs as 'flock \$BUILD_LOCK nice -n 10 make ...'
(BUILD_LOCK default /work/build.lock if /work exists, else
build/build.lock), with CC="ccache gcc" and HOSTCC="ccache gcc".
Debian's packages come through a private apt configuration under
build/apt-distro/<base> (scripts/lib.sh private_apt); the machine's apt
setup is never read or changed.
Prints "ok|not ok distro <variant>: ..." per variant and the table
$TOPDIR/build/logs/distro-build-$RESULTS_ID.txt (times, ccache hits and
misses, distinct warnings, new vs pristine). Logs: $LOG_DIR/distro-*.
EOF2
}

FRESH=0
RECHECK=0
variants=()
while [[ $# -gt 0 ]]; do
	case "$1" in
	-h | --help) usage; exit 0 ;;
	--fresh) FRESH=1 ;;
	--recheck) RECHECK=1 ;;
	pristine-off | pristine-on | stack-off | stack-on) variants+=("$1") ;;
	*) usage >&2; exit 2 ;;
	esac
	shift
done
[[ ${#variants[@]} -gt 0 ]] || variants=("${DISTRO_VARIANTS[@]}")

export LC_ALL=C
if [[ -z "${BUILD_LOCK:-}" ]]; then
	if [[ -d /work && -w /work ]]; then BUILD_LOCK=/work/build.lock; else BUILD_LOCK="$TOPDIR/build/build.lock"; fi
fi
export KBUILD_BUILD_TIMESTAMP="Sun Nov 17 00:00:00 UTC 2024"
export KBUILD_BUILD_USER=distro KBUILD_BUILD_HOST=workbench
export CCACHE_BASEDIR="$BUILD_DIR" CCACHE_NOHASHDIR=1
export CCACHE_MAXSIZE="${CCACHE_MAXSIZE:-20G}"
DAPT="$TOPDIR/build/apt-distro/$RESULTS_ID"
DEB_DIR="$DAPT/debs"
# The series applied to a copy of the base of this script's own. ccache sees
# the sources by their path relative to the O= directory (CCACHE_BASEDIR):
# with the copy named pristine too, next to the stack's O= directories, a
# file the series leaves alone is the same "../pristine/..." in both builds
# and compiles once.
SRC_COPY="$BUILD_DIR/distro-stack/pristine"
AMD=drivers/gpu/drm/amd/amdgpu
mkdir -p "$LOG_DIR" "$RESULTS_DIR"

# kmake TREE OUT MAKE-ARG...: make under the machine's build lock; the time
# the lock was taken goes into OUT/.lock-taken (waits are not build time)
# shellcheck disable=SC2016 # $0 and $@ are the inner shell's
kmake() {
	flock "$BUILD_LOCK" nice -n 10 sh -c 'date +%s >"$0/.lock-taken"; exec "$@"' "$2" \
		make -C "$1" O="$2" ARCH=x86_64 CC="ccache gcc" HOSTCC="ccache gcc" "${@:3}"
}

# logged LOG CMD...: CMD with its output into LOG (run by with_progress)
# shellcheck disable=SC2317
logged() {
	local logf="$1"
	shift
	"$@" >"$logf" 2>&1
}

# --- Debian's config and Module.symvers of the pinned version -----------------
# deb_fetch PKG VERSION: download PKG=VERSION into $DEB_DIR/PKG (unpacked);
# false if the archive does not have that version.
deb_fetch() {
	local pkg="$1" ver="$2" deb
	if [[ -f "$DEB_DIR/$pkg/.version" && "$(cat "$DEB_DIR/$pkg/.version")" == "$ver" ]]; then
		return 0
	fi
	apt-cache "${APT_OPTS[@]}" madison "$pkg" 2>/dev/null | awk -F' [|] ' -v v="$ver" '$2 == v { f = 1 } END { exit !f }' ||
		return 1
	rm -rf "${DEB_DIR:?}/$pkg" "$DAPT/dl"
	mkdir -p "$DAPT/dl"
	(cd "$DAPT/dl" && apt-get "${APT_OPTS[@]}" download "$pkg=$ver") >"$DAPT/download.log" 2>&1 ||
		die "apt-get download $pkg=$ver failed (log: $DAPT/download.log)" \
			"check that the mirror is reachable, then re-run make distro BASE=$BASE"
	deb="$(find "$DAPT/dl" -name '*.deb' | head -n 1)"
	mkdir -p "$DEB_DIR/$pkg"
	dpkg-deb -x "$deb" "$DEB_DIR/$pkg"
	printf '%s\n' "$ver" >"$DEB_DIR/$pkg/.version"
	rm -rf "$DAPT/dl"
}

fetch_debian() {
	local uri series_ver hdr stamp="$DAPT/lists.stamp"
	case "$BASE_SUITE" in
	*-security) uri=http://security.debian.org/debian-security ;;
	*) uri=http://deb.debian.org/debian ;;
	esac
	private_apt "$DAPT" "$uri" "$BASE_SUITE"
	if [[ ! -f "$stamp" || -n "$(find "$stamp" -mmin +1440)" ]]; then
		log "distro: apt-get update ($BASE_SUITE, private lists in $DAPT/lists)"
		apt-get "${APT_OPTS[@]}" update >"$DAPT/update.log" 2>&1 ||
			die "apt-get update for $BASE_SUITE failed (log: $DAPT/update.log)" \
				"check that $uri is reachable, then re-run make distro BASE=$BASE"
		touch "$stamp"
	fi
	series_ver="${BASE_PKG#linux-source-}"
	# the amd64 flavour's headers of the pinned version: its Module.symvers
	hdr="$(apt-cache "${APT_OPTS[@]}" dumpavail 2>/dev/null | awk -v v="$BASE_PKG_VERSION" '
		/^Package: / { p = $2 } /^Version: / && $2 == v && p ~ /^linux-headers-[0-9.]+\+[a-z0-9]+-amd64$/ { print p }' |
		sort -u | head -n 1)"
	[[ -n "$hdr" ]] || die "no linux-headers-*-amd64 at $BASE_PKG_VERSION in $BASE_SUITE" \
		"update the pin in scripts/lib.sh (BASE_PKG_VERSION) to a version the archive holds"
	deb_fetch "$hdr" "$BASE_PKG_VERSION"
	SYMVERS="$(find "$DEB_DIR/$hdr" -name Module.symvers | head -n 1)"
	[[ -f "$SYMVERS" ]] || die "$hdr holds no Module.symvers" "look at dpkg-deb -c on the .deb in $DAPT"
	DEBIAN_CONFIG="$DAPT/config.amd64_none_amd64"
	if deb_fetch "linux-config-$series_ver" "$BASE_PKG_VERSION"; then
		xz -dc "$DEB_DIR/linux-config-$series_ver/usr/src/linux-config-$series_ver/config.amd64_none_amd64.xz" \
			>"$DEBIAN_CONFIG" || die "linux-config-$series_ver has no config.amd64_none_amd64.xz" \
			"list the package with dpkg-deb -c; Debian may have renamed the flavour"
		CONFIG_FROM="linux-config-$series_ver $BASE_PKG_VERSION (config.amd64_none_amd64)"
	else
		log "distro: linux-config-$series_ver $BASE_PKG_VERSION has left $BASE_SUITE;" \
			"using the .config of $hdr (the same version), minus its build-time signing lines"
		grep -vE '^CONFIG_(BUILD_SALT|MODULE_SIG_ALL|MODULE_SIG_KEY|SYSTEM_TRUSTED_KEYS)=' \
			"$(dirname "$SYMVERS")/.config" >"$DEBIAN_CONFIG"
		CONFIG_FROM="$hdr $BASE_PKG_VERSION (.config; linux-config-$series_ver at that version is gone)"
	fi
	log "distro: config from $CONFIG_FROM; symbols from $hdr"
}

# --- the series' own Kconfig options --------------------------------------------
# "NAME TYPE" for every option a patch of the series adds
stack_options() {
	local p
	while read -r p; do
		awk '/^\+config [A-Z0-9_]+/ { name = $2; next }
		     name && /^\+[[:space:]]+(bool|tristate)/ { sub(/^\+[[:space:]]+/, ""); print name, $1; name = "" }
		     !/^\+/ { name = "" }' "$PATCH_DIR/$p"
	done < <(series_patches) | sort -u
}

# --- source trees ---------------------------------------------------------------
# The series applied to a copy of the pristine base of its own, so that a
# re-apply in $WORK_TREE_DEFAULT never changes the sources under a build.
stack_tree() {
	local id
	if [[ -n "${KSRC:-}" ]]; then
		[[ -d "$KSRC/.pc" ]] || die "the stack is not applied to $KSRC" "run 'make apply KSRC=$KSRC' first"
		work_tree
		return
	fi
	id="$(stack_id)"
	if [[ "$(cat "$SRC_COPY/.distro-stack-id" 2>/dev/null)" != "$id" ]]; then
		[[ -f "$PRISTINE_DIR/Makefile" ]] || die "no pristine base in $PRISTINE_DIR" "run 'make base BASE=$BASE' first"
		log "distro: applying the series to a copy of the base ($SRC_COPY)"
		rm -rf "$SRC_COPY"
		mkdir -p "$(dirname "$SRC_COPY")"
		cp -a "$PRISTINE_DIR" "$SRC_COPY" ||
			die "cannot copy $PRISTINE_DIR to $SRC_COPY" "check the free space (df -h $BUILD_DIR), then re-run"
		(cd "$SRC_COPY" && pquilt push -a --fuzz=0 -q) >"$LOG_DIR/distro-apply.log" 2>&1 ||
			die "the series does not apply to the base (log: $LOG_DIR/distro-apply.log)" \
				"run 'make series-check BASE=$BASE' to see which patch fails"
		printf '%s\n' "$id" >"$SRC_COPY/.distro-stack-id"
	fi
	printf '%s\n' "$SRC_COPY"
}

# --- configure ------------------------------------------------------------------
# debugfs_selectors TREE: every option of TREE's Kconfig that selects DEBUG_FS
# shellcheck disable=SC2016 # awk's $2
debugfs_selectors() {
	find "$1" -name 'Kconfig*' -not -path '*/Documentation/*' -print0 |
		xargs -0 awk 'FNR == 1 { name = "" } /^(menu)?config [A-Z0-9_]+/ { name = $2 }
			/^[[:space:]]+select DEBUG_FS([[:space:]]|$)/ && name { print name }' | sort -u
}

# configure TREE OUT on|off
configure() {
	local tree="$1" out="$2" tests="$3" name type want got args=()
	mkdir -p "$out"
	cp "$DEBIAN_CONFIG" "$out/.config"
	# DEBUG_FS off: Debian's config also turns on options that select it
	# (BLK_DEV_IO_TRACE, PAGE_OWNER, SUNRPC_DEBUG, ...): those go off too.
	args+=(--disable DEBUG_FS)
	while read -r name; do
		args+=(--disable "$name")
	done < <(debugfs_selectors "$tree")
	if [[ "$tests" == on ]]; then
		args+=(--module KUNIT)
		while read -r name type; do
			[[ -n "$name" ]] || continue
			if [[ "$type" == tristate ]]; then args+=(--module "$name"); else args+=(--enable "$name"); fi
		done <<<"$STACK_OPTIONS"
	else
		args+=(--disable KUNIT)
	fi
	"$tree/scripts/config" --file "$out/.config" "${args[@]}" ||
		die "scripts/config failed on $out/.config" "check that $tree is a kernel tree (make base BASE=$BASE)"
	kmake "$tree" "$out" olddefconfig >"$out/olddefconfig.log" 2>&1 ||
		die "olddefconfig failed in $out (log: $out/olddefconfig.log)" "rm -rf $out and re-run"
	for want in DRM_AMDGPU=m DRM_AMD_DC=y HSA_AMD=y; do
		grep -qx "CONFIG_$want" "$out/.config" ||
			die "Debian's config does not give CONFIG_$want in $out/.config" \
				"look at $DEBIAN_CONFIG and the Kconfig dependencies of ${want%=*}"
	done
	! grep -qE '^CONFIG_DEBUG_FS=' "$out/.config" ||
		die "DEBUG_FS is still on in $out/.config" "an option that selects DEBUG_FS is on: grep 'select DEBUG_FS' in $tree"
	if [[ "$tests" == off ]]; then
		! grep -qE '^CONFIG_KUNIT=' "$out/.config" || die "KUNIT is on in $out/.config" "check $DEBIAN_CONFIG"
	fi
	[[ "$tree" == "$PRISTINE_DIR" ]] && return 0
	while read -r name type; do
		[[ -n "$name" ]] || continue
		got="$(sed -n "s/^CONFIG_$name=//p" "$out/.config")"
		if [[ "$tests" == off ]]; then
			want=""
		elif [[ "$type" == tristate ]]; then
			want=m
		else
			want=y
		fi
		[[ "$got" == "$want" ]] || die "CONFIG_$name is '${got:-n}' in $out/.config, wanted '${want:-n}'" \
			"a dependency of $name is off in Debian's config: see 'depends on' in the patch that adds it"
	done <<<"$STACK_OPTIONS"
}

# modules OUT TREE: the .ko targets of a build
modules() {
	local out="$1" tree="$2" name type f
	echo "$AMD/amdgpu.ko"
	while read -r name type; do
		[[ -n "$name" && "$type" == tristate ]] || continue
		grep -q "^CONFIG_$name=m" "$out/.config" || continue
		while read -r f; do
			sed -nE "s/^obj-\\\$\\(CONFIG_$name\\)[[:space:]]*\\+=[[:space:]]*([a-z0-9_]+)\\.o.*/\\1/p" "$f" |
				sed "s#^#$(dirname "${f#"$tree"/}")/#; s#\$#.ko#"
		done < <(grep -rl --include=Makefile "CONFIG_$name" "$tree/drivers/gpu/drm/amd")
	done <<<"$STACK_OPTIONS"
	grep -q '^CONFIG_KUNIT=m' "$out/.config" && echo lib/kunit/kunit.ko
	grep -q '^CONFIG_DRM_KUNIT_TEST_HELPERS=m' "$out/.config" && echo drivers/gpu/drm/tests/drm_kunit_helpers.ko
	true
}

# file:message, no paths, line numbers or offsets. modpost's own lines about
# unresolved symbols (the first ten, as it runs without vmlinux.o) and its
# note that vmlinux.o is missing are left out: symcheck() checks every symbol.
norm() {
	{ grep -E '(warning|error|WARNING|ERROR)[: ]' "$1" || true; } |
		grep -vE "symbol '[^']*' undefined!|\] undefined!\$|unresolved symbol warnings because|vmlinux\.o is missing|^make(\[[0-9]+\])?:" |
		sed -E 's#^[^ :]*/((drivers|include|lib|arch|scripts|kernel|mm|fs|net|security|block|crypto)/)#\1#
			s#([ (])[^ :]*/(drivers|include|lib|arch)/#\1\2/#g
			s/:[0-9]+:[0-9]+:/:/; s/:[0-9]+:/:/; s/\+0x[0-9a-f]+(\/0x[0-9a-f]+)?//g' | sort -u
}

# kunit_vmlinux_exports TREE: what a vmlinux exports only with KUNIT on:
# lib/kunit/hooks.c's exports and the built-in code's EXPORT_SYMBOL_IF_KUNIT()
kunit_vmlinux_exports() {
	{
		sed -nE 's/^EXPORT_SYMBOL(_GPL)?\(([A-Za-z0-9_]+)\);/\2/p' "$1/lib/kunit/hooks.c"
		grep -rhoE --include='*.c' 'EXPORT_SYMBOL_IF_KUNIT\([A-Za-z0-9_]+\)' \
			"$1"/{kernel,mm,lib,arch/x86,fs,net,block,init,security,crypto} 2>/dev/null |
			sed -E 's/.*\(([A-Za-z0-9_]+)\)/\1/'
	} | sort -u
}

# symcheck OUT TREE on|off: every undefined symbol of each built .ko is
# exported by Debian's kernel or a module built here (or, with the test
# options on, by TREE's vmlinux with KUNIT on); namespaced ones are imported.
symcheck() {
	local out="$1" tree="$2" tests="$3" ko ns sym need undef miss=0 kunit_only=""
	local exports="$out/distro-exports.txt"
	[[ "$tests" != on ]] || kunit_only="$(kunit_vmlinux_exports "$tree")"
	n_kunit_only=0
	# name<TAB>namespace: Debian's, less those of the modules built here, and ours
	{
		awk -F'\t' -v ours="$(printf '%s\n' "${KOS[@]%.ko}")" '
			BEGIN { n = split(ours, o, "\n"); for (i = 1; i <= n; i++) built[o[i]] = 1 }
			!($3 in built) { print $2 "\t" $5 }' "$SYMVERS"
		awk -F'\t' '{ print $2 "\t" $5 }' "$out/modules-only.symvers" 2>/dev/null
	} | sort -u -t$'\t' -k1,1 >"$exports"
	for ko in "${KOS[@]}"; do
		[[ -f "$out/$ko" ]] || { echo "distro: $ko: not built"; miss=1; continue; }
		ns="$(modinfo -F import_ns "$out/$ko" 2>/dev/null | sort -u)"
		undef="$(nm -u "$out/$ko" | awk '$1 == "U" { print $2 }' | sort -u)"
		while read -r sym; do
			[[ -n "$sym" ]] || continue
			if [[ -n "$kunit_only" ]] && grep -qxF "$sym" <<<"$kunit_only"; then
				n_kunit_only=$((n_kunit_only + 1))
				continue
			fi
			echo "distro: $ko: symbol '$sym' undefined (exported neither by Debian's $BASE_PKG_VERSION kernel nor by the modules built here)"
			miss=1
		done < <(join -t$'\t' -v1 <(echo "$undef") "$exports")
		while IFS=$'\t' read -r sym need; do
			[[ -n "$need" ]] || continue
			grep -qxF "$need" <<<"$ns" && continue
			echo "distro: $ko: symbol '$sym' is in namespace $need, which the module does not import"
			miss=1
		done < <(join -t$'\t' <(echo "$undef") "$exports")
	done
	return "$miss"
}

# build VARIANT: configure, compile, link, check; one row into $HISTORY
build() {
	local v="$1" tree tests out logf start secs fresh hits misses rc=0 ko nwarn new=- result=ok
	tests="${v#*-}"
	case "$v" in
	pristine-*) tree="$PRISTINE_DIR" ;;
	stack-*) tree="$STACK_TREE" ;;
	esac
	case "$v" in
	pristine-*) out="$BUILD_DIR/distro-$v" ;;
	stack-*) out="$BUILD_DIR/distro-stack/$tests" ;;
	esac
	logf="$LOG_DIR/distro-$v.log"
	if [[ $RECHECK -eq 1 ]]; then
		[[ -f "$logf" && -f "$out/.config" ]] || die "no earlier $v build to check again" "BASE=$BASE scripts/distro-build.sh $v"
		mapfile -t KOS < <(modules "$out" "$tree" | sort -u)
		norm "$logf" >"$LOG_DIR/distro-$v.warnings"
		symcheck "$out" "$tree" "$tests" >"$LOG_DIR/distro-$v.symbols" 2>&1 || cat "$LOG_DIR/distro-$v.symbols" >>"$LOG_DIR/distro-$v.warnings"
		nwarn="$(sed '/^$/d' "$LOG_DIR/distro-$v.warnings" | wc -l)" secs=- hits=- misses=- fresh=recheck
		compare "$v" || result="not ok"
		printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$RESULTS_ID" "$v" "$fresh" \
			"$secs" "$hits" "$misses" "$nwarn" "$new" "$result" >>"$HISTORY"
		[[ "$result" == ok ]]
		return
	fi
	[[ $FRESH -eq 0 ]] || rm -rf "$out"
	fresh=kept
	[[ -x "$out/scripts/mod/modpost" ]] || fresh=fresh
	configure "$tree" "$out" "$tests"
	mapfile -t KOS < <(modules "$out" "$tree" | sort -u)
	# every module object again, so that every warning is printed again
	for ko in "${KOS[@]}"; do
		case "$ko" in
		"$AMD"/*) [[ ! -d "$out/drivers/gpu/drm/amd" ]] || find "$out/drivers/gpu/drm/amd" -name '*.o' -delete ;;
		*) [[ ! -d "$out/$(dirname "$ko")" ]] || find "$out/$(dirname "$ko")" -name '*.o' -delete ;;
		esac
	done
	rm -f "$out/ccache-stats.log"
	log "distro: $v: make ${KOS[*]} ($fresh O=$out; log: $logf)"
	start=$(date +%s)
	log "distro: $v: waits for $BUILD_LOCK while another build holds it"
	CCACHE_STATSLOG="$out/ccache-stats.log" with_progress "building $v" \
		logged "$logf" kmake "$tree" "$out" KBUILD_MODPOST_WARN=1 -j"$(nproc)" "${KOS[@]}" || rc=$?
	secs=$(( $(date +%s) - $(cat "$out/.lock-taken" 2>/dev/null || echo "$start") ))
	hits="$(CCACHE_STATSLOG="$out/ccache-stats.log" ccache --show-log-stats -v 2>/dev/null | awk -F: '/Hits:/ && !h { gsub(/ /, "", $2); sub(/\/.*/, "", $2); print $2; h = 1 }' || true)"
	misses="$(CCACHE_STATSLOG="$out/ccache-stats.log" ccache --show-log-stats -v 2>/dev/null | awk -F: '/Misses:/ && !m { gsub(/ /, "", $2); sub(/\/.*/, "", $2); print $2; m = 1 }' || true)"
	nwarn=-
	if [[ $rc -ne 0 ]]; then
		grep -E 'error:|Error [0-9]|ERROR' "$logf" | head -n 20 >&2 || true
		echo "not ok distro $v: the build failed (log: $logf)"
		echo "  next: fix the first error in $logf; BASE=$BASE scripts/distro-build.sh $v builds it alone" >&2
		result="build failed"
	else
		norm "$logf" >"$LOG_DIR/distro-$v.warnings"
		symcheck "$out" "$tree" "$tests" >"$LOG_DIR/distro-$v.symbols" 2>&1 || cat "$LOG_DIR/distro-$v.symbols" >>"$LOG_DIR/distro-$v.warnings"
		nwarn="$(sed '/^$/d' "$LOG_DIR/distro-$v.warnings" | wc -l)"
		log "distro: $v: built in $secs s ($fresh O=, ccache ${hits:-?} hits, ${misses:-?} misses)"
		compare "$v" || result="not ok"
	fi
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$RESULTS_ID" "$v" "$fresh" \
		"$secs" "${hits:-?}" "${misses:-?}" "$nwarn" "$new" "$result" >>"$HISTORY"
	[[ "$result" == ok ]]
}

# kunit_note: how many undefined symbols only a vmlinux with KUNIT on exports
kunit_note() {
	[[ "${n_kunit_only:-0}" -eq 0 ]] || printf '; %d undefined symbols that a kernel with KUNIT on exports' "$n_kunit_only"
}

# compare VARIANT: a stack build against the pristine build of its
# configuration (that of an earlier run if this one did not build it); a
# pristine build's own symbols must resolve. Sets new.
compare() {
	local v="$1" base_w added
	if [[ "$v" == pristine-* ]]; then
		if [[ -s "$LOG_DIR/distro-$v.symbols" ]]; then
			echo "not ok distro $v: the pristine base's modules do not resolve against Debian's kernel (log: $LOG_DIR/distro-$v.symbols)"
			echo "  next: check that $SYMVERS belongs to $BASE_PKG_VERSION" >&2
			return 1
		fi
		echo "ok distro $v: built ($nwarn distinct warnings$(kunit_note); $secs s, ccache ${hits:-?} hits, ${misses:-?} misses)"
		return 0
	fi
	base_w="$LOG_DIR/distro-pristine-$tests.warnings"
	if [[ ! -f "$base_w" ]]; then
		echo "not ok distro $v: no pristine-$tests build to compare with"
		echo "  next: BASE=$BASE scripts/distro-build.sh pristine-$tests $v" >&2
		return 1
	fi
	added="$(comm -13 <(sed '/^$/d' "$base_w" | sort -u) <(sed '/^$/d' "$LOG_DIR/distro-$v.warnings" | sort -u))"
	new="$(sed '/^$/d' <<<"$added" | wc -l)"
	if [[ $new -ne 0 ]]; then
		echo "not ok distro $v: $new new warnings vs pristine-$tests (list: $LOG_DIR/distro-$v.warnings)"
		head -n 10 <<<"$added" | sed 's/^/    /'
		echo "  next: fix them in the patch that adds the code; the full log is $logf" >&2
		return 1
	fi
	echo "ok distro $v: 0 new warnings vs pristine-$tests ($nwarn distinct$(kunit_note); $secs s, ccache ${hits:-?} hits, ${misses:-?} misses)"
}

main() {
	local v fails=0 table
	fetch_debian
	STACK_OPTIONS="$(stack_options)"
	[[ -n "$STACK_OPTIONS" ]] || log "distro: the series adds no Kconfig option; stack-on is stack-off + KUNIT=m"
	log "distro: the series' options: $(awk '{ printf "%s%s (%s)", sep, $1, $2; sep = ", " }' <<<"$STACK_OPTIONS")"
	if [[ $RECHECK -eq 1 && -z "${KSRC:-}" ]]; then
		STACK_TREE="$SRC_COPY"      # as built: never re-applied for a recheck
	elif printf '%s\n' "${variants[@]}" | grep -q '^stack-'; then
		STACK_TREE="$(stack_tree)"
	fi
	HISTORY="$RESULTS_DIR/distro-build-history.tsv"
	touch "$HISTORY"
	for v in "${variants[@]}"; do
		build "$v" || fails=$((fails + 1))
	done

	# the table: this base's last 16 builds, from the history of every run
	table="$RESULTS_DIR/distro-build-$RESULTS_ID.txt"
	{
		printf '# %s: amdgpu.ko with Debian'\''s config (%s)\n' "$RESULTS_ID" "$CONFIG_FROM"
		printf '# seconds: from taking the build lock to the linked modules; O=: fresh (empty), kept, or recheck (the last build checked again)\n'
		printf '%-20s %-13s %-6s %7s %6s %6s %8s %4s  %s\n' date variant O= seconds hits misses warnings new result
		awk -F'\t' -v b="$RESULTS_ID" '$2 == b' "$HISTORY" | tail -n 16 |
			awk -F'\t' '{ printf "%-20s %-13s %-6s %7s %6s %6s %8s %4s  %s\n", $1, $3, $4, $5, $6, $7, $8, $9, $10 }'
	} >"$table"
	cat "$table" >&2
	[[ $fails -eq 0 ]] || die "$fails distro checks failed" "read the 'not ok' lines above; logs in $LOG_DIR/distro-*"
}

# One line, read whole before main runs: editing this file under a running
# build is safe.
main; exit $?
