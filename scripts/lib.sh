# shellcheck shell=bash
# shellcheck disable=SC2034 # variables are used by the scripts that source this
# Common settings and helpers for the workbench scripts. Sourced, never run.
#
# The base version is pinned HERE and nowhere else.

# ccache refuses to run with an empty CCACHE_MAXSIZE ("invalid size")
[[ -n "${CCACHE_MAXSIZE:-}" ]] || unset CCACHE_MAXSIZE

# BASE selects the base tree and its series:
#   mainline  Linux 7.3 (Debian linux-source-7.3 from trixie-backports, fetched
#             with a project-local apt configuration under build/apt); series
#             'series' + patches/. This is what goes upstream.
#   6.12      Linux 6.12 LTS (Debian linux-source-6.12 from bookworm-security,
#             installed by scripts/deps.sh); series patches/6.12/series.
# Both pins live HERE and nowhere else.
BASES=(mainline 6.12)
# A KSRC tree without BASE gets the series of its version: 6.12 for a 6.12.y
# tree, mainline for anything else.
if [[ -z "${BASE:-}" && -n "${KSRC:-}" && -f "$KSRC/Makefile" ]]; then
	case "$(awk '$1 == "VERSION" { v = $3 } $1 == "PATCHLEVEL" { p = $3 } END { print v "." p }' "$KSRC/Makefile")" in
	6.12) BASE=6.12 ;;
	*) BASE=mainline ;;
	esac
fi
BASE="${BASE:-mainline}"
# What the caller set before anything here was derived; kept when use_base()
# sources this file again for another base.
: "${WB_CALLER_BUILD_DIR=${BUILD_DIR:-}}"
: "${WB_CALLER_KUNIT_BUILD_DIR=${KUNIT_BUILD_DIR:-}}"
TOPDIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
case "$BASE" in
mainline)
	BASE_PKG="linux-source-7.3"
	BASE_PKG_VERSION="7.3.4-1~bpo13+1"
	BASE_SUITE="trixie-backports"
	BASE_UPSTREAM_TAG="v7.3.4"
	BASE_SERIES_DEFAULT="$TOPDIR/series"
	BASE_PATCHES_DEFAULT="$TOPDIR/patches"
	BASE_COVER="$TOPDIR/Documentation/cover-letter.txt"
	BASE_CHANGELOG="$TOPDIR/Documentation/changelog.txt"
	BASE_MBOX_OUT="$TOPDIR/out/mbox"
	;;
6.12)
	BASE_PKG="linux-source-6.12"
	BASE_PKG_VERSION="6.12.117-1~deb12u1"
	BASE_SUITE="bookworm-security"
	BASE_UPSTREAM_TAG="v6.12.117"
	BASE_SERIES_DEFAULT="$TOPDIR/patches/6.12/series"
	BASE_PATCHES_DEFAULT="$TOPDIR/patches/6.12"
	BASE_COVER="$TOPDIR/Documentation/cover-letter-6.12.txt"
	BASE_CHANGELOG="$TOPDIR/Documentation/changelog-6.12.txt"
	BASE_MBOX_OUT="$TOPDIR/out/mbox-6.12"
	;;
*)
	printf 'ERROR: unknown BASE=%s\n  next: use BASE=mainline or BASE=6.12\n' "$BASE" >&2
	exit 2
	;;
esac

# Everything a base produces lives in its own directory; a KSRC tree gets
# one of its own too, so two trees never share logs or build output.
# STACK_PC is where our quilt keeps its state (QUILT_PC): .pc in the embedded
# tree; in a KSRC tree a name of its own, so that quilt state the tree already
# has (a Debian source package's .pc for debian/patches) is never touched.
if [[ -n "${KSRC:-}" ]]; then
	KSRC_ID="$(cd "$KSRC" 2>/dev/null && pwd | sha256sum | cut -c1-8 || echo missing)"
	BUILD_DIR="${BUILD_DIR:-$TOPDIR/build/ksrc-$BASE-$KSRC_ID}"
	BASE_MBOX_OUT="$BUILD_DIR/mbox"
	STACK_PC=.pc-vf-switch
	# the tree's own release, as upstream tags it (v7.3, v6.12.107, v7.4-rc2)
	BASE_UPSTREAM_TAG="$(awk '$1 == "VERSION" { v = $3 } $1 == "PATCHLEVEL" { p = $3 }
		$1 == "SUBLEVEL" { s = $3 } $1 == "EXTRAVERSION" { e = $3 }
		END { printf "v%s.%s%s%s\n", v, p, (s != "" && s != "0") ? "." s : "", e }' "$KSRC/Makefile" 2>/dev/null ||
		echo "$BASE_UPSTREAM_TAG")"
else
	BUILD_DIR="${BUILD_DIR:-$TOPDIR/build/$BASE}"
	STACK_PC=.pc
fi
LOG_DIR="$BUILD_DIR/logs"
# The base without the stack, never modified: the unpacked Debian tarball, or
# with KSRC that tree's own pristine state (scripts/base.sh: a hard-link copy
# with the files the stack touched as quilt saved them before it).
PRISTINE_DIR="$BUILD_DIR/pristine"
WORK_TREE_DEFAULT="$BUILD_DIR/linux"        # base + stack (embedded mode)
KUNIT_BUILD_DIR="${KUNIT_BUILD_DIR:-$BUILD_DIR/kunit-x86_64}"
# The base with the series up to its benchmark patch (scripts/bench.sh)
BENCH_UPSTREAM_TREE="$BUILD_DIR/bench-upstream"
APT_DIR="$TOPDIR/build/apt"                 # project-local apt state (mainline)
QUILTRC="$TOPDIR/quiltrc"
# STACK_SERIES/STACK_PATCHES/STACK_COVER/STACK_CHANGELOG let the script
# self-tests use a tiny series.
SERIES_FILE="${STACK_SERIES:-$BASE_SERIES_DEFAULT}"
PATCH_DIR="${STACK_PATCHES:-$BASE_PATCHES_DEFAULT}"
COVER_FILE="${STACK_COVER:-$BASE_COVER}"
CHANGELOG_FILE="${STACK_CHANGELOG:-$BASE_CHANGELOG}"
# The series as git (scripts/branch.sh): the base committed once, branch
# vf-switch, tags <upstream tag> and v1, v2, ...; b4's prep branch lives there too.
SERIES_GIT="$BUILD_DIR/mbox-git"
SERIES_BRANCH="vf-switch"
# Results for CI, one place for every base: JSON and JUnit of each KUnit run.
RESULTS_DIR="$(dirname "$BUILD_DIR")/logs"
RESULTS_ID="$(basename "$BUILD_DIR")"
# The author every patch file carries. It is neutral on purpose: scripts/branch.sh
# records the sender (git config user.name/user.email) instead.
NEUTRAL_EMAIL="vf-switch@example.invalid"

# use_base BASE: switch this shell to another base; every per-base setting
# (series, build and log directories) is derived again.
use_base() {
	BASE="$1"
	export BASE
	unset BUILD_DIR KUNIT_BUILD_DIR
	[[ -z "$WB_CALLER_BUILD_DIR" ]] || BUILD_DIR="$WB_CALLER_BUILD_DIR"
	[[ -z "$WB_CALLER_KUNIT_BUILD_DIR" ]] || KUNIT_BUILD_DIR="$WB_CALLER_KUNIT_BUILD_DIR"
	# shellcheck source=scripts/lib.sh
	. "$TOPDIR/scripts/lib.sh"
}

# readme_splice MARKER: put stdin into README.md between the lines
# <!-- MARKER:start --> and <!-- MARKER:end --> (generated tables)
readme_splice() {
	local body
	body="$(cat)"
	python3 -c '
import sys
readme, marker, body = sys.argv[1:4]
s = open(readme).read()
start, end = "<!-- %s:start -->\n" % marker, "<!-- %s:end -->\n" % marker
if start not in s or end not in s:
    sys.exit("README.md has no %s markers: add them where the block goes" % marker)
head, rest = s.split(start, 1)
tail = rest.split(end, 1)[1]
open(readme, "w").write(head + start + body + "\n" + end + tail)
' "$TOPDIR/README.md" "$1" "$body"
}

# KUnit configuration per lane (scripts/kunit.sh). Both series carry their
# own .kunitconfig in the tree (the 6.12 one is the mainline one carried
# back); the workbench adds only what the QEMU boots need.
kunitconfigs() {
	local tree="$1" lane="$2"
	case "$lane" in
	bench*)
		# No boot options: the tree below the stack (bench-upstream) lacks
		# the stack's own options that boot.kunitconfig sets.
		printf '%s\n' "--kunitconfig=$tree/drivers/gpu/drm/amd/amdgpu/tests" \
			"--kunitconfig=$TOPDIR/kunit/amdgpu-bench.kunitconfig"
		;;
	*)
		printf '%s\n' "--kunitconfig=$tree/drivers/gpu/drm/amd/amdgpu/tests" \
			"--kunitconfig=$TOPDIR/kunit/boot.kunitconfig"
		;;
	esac
	if [[ "$lane" == slow ]]; then
		printf '%s\n' "--kunitconfig=$TOPDIR/kunit/amdgpu-slow.kunitconfig"
	fi
}

# Where the base tarball is: the installed package for 6.12, the package
# unpacked under build/apt for mainline.
base_tarball() {
	case "$BASE" in
	mainline) printf '%s\n' "$APT_DIR/root/usr/src/$BASE_PKG.tar.xz" ;;
	*) printf '%s\n' "/usr/src/$BASE_PKG.tar.xz" ;;
	esac
}

# private_apt DIR URI SUITE [TYPES]: an apt configuration of its own under DIR
# (sources, lists, cache, deb/) with Debian's archive keyring; sets the array
# APT_OPTS for apt-get and apt-cache. TYPES is "deb" (default) or "deb-src"
# (apt-get source). The machine's apt setup is never read or changed.
private_apt() {
	local dir="$1" uri="$2" suite="$3" types="${4:-deb}"
	local keyring=/usr/share/keyrings/debian-archive-keyring.gpg
	[[ -f "$keyring" ]] || die "no $keyring" "install debian-archive-keyring (scripts/deps.sh does)"
	mkdir -p "$dir/sources" "$dir/lists/partial" "$dir/cache/archives/partial" "$dir/deb"
	cat >"$dir/sources/base.sources" <<EOF2
Types: $types
URIs: $uri
Suites: $suite
Components: main
Architectures: amd64
Signed-By: $keyring
EOF2
	APT_OPTS=(-o Dir::Etc::SourceList=/dev/null -o "Dir::Etc::SourceParts=$dir/sources"
		-o "Dir::State::Lists=$dir/lists" -o "Dir::Cache=$dir/cache"
		-o Dir::Etc::Preferences=/dev/null -o "Dir::Etc::PreferencesParts=$dir/sources"
		-o APT::Architecture=amd64 -o Debug::NoLocking=1)
}

# Version of the base package that provides the tarball ("" if none).
base_pkg_installed_version() {
	case "$BASE" in
	mainline) cat "$APT_DIR/root/.version" 2>/dev/null || true ;;
	*) dpkg-query -W -f='${Version}' "$BASE_PKG" 2>/dev/null || true ;;
	esac
}

# amdgpu_obj_of FILE.c: the object path kbuild builds FILE under. amdgpu's
# Makefile builds pm/, ras/, amdkfd/ and display/ as amdgpu/../<dir>/, so a
# source there is only reachable through that path (bisect.sh, warnings.sh).
amdgpu_obj_of() {
	case "$1" in
	drivers/gpu/drm/amd/pm/* | drivers/gpu/drm/amd/ras/* | drivers/gpu/drm/amd/amdkfd/* | \
		drivers/gpu/drm/amd/display/*)
		printf 'drivers/gpu/drm/amd/amdgpu/../%s\n' "${1#drivers/gpu/drm/amd/}" ;;
	*) printf '%s\n' "$1" ;;
	esac | sed 's/\.c$/.o/'
}

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
	# quilt prefers the patch directory and series it recorded at the first
	# push over the environment's: record ours (the repository may have moved)
	if [[ -f "$STACK_PC/.quilt_patches" ]]; then
		rm -f "$STACK_PC/.quilt_patches" "$STACK_PC/.quilt_series"
		printf '%s\n' "$PATCH_DIR" >"$STACK_PC/.quilt_patches"
		printf '%s\n' "$SERIES_FILE" >"$STACK_PC/.quilt_series"
	fi
	QUILT_PATCHES="$PATCH_DIR" QUILT_SERIES="$SERIES_FILE" QUILT_PC="$STACK_PC" \
		quilt --quiltrc="$QUILTRC" "$@"
}

# saved_quilt TREE ARG...: quilt in TREE with the series as it was pushed
# there (a KSRC tree keeps a copy in $STACK_PC/.workbench, see apply.sh), so
# that a pop checks the tree against what was applied, even after a patch
# file changed; the series of the repository when there is no copy.
saved_quilt() {
	local t="$1" pc="$1/$STACK_PC" rc=0
	shift
	if [[ ! -f "$pc/.workbench/series" ]]; then
		(cd "$t" && pquilt "$@")
		return
	fi
	(cd "$t" && PATCH_DIR="$pc/.workbench" SERIES_FILE="$pc/.workbench/series" pquilt "$@") || rc=$?
	# leave the repository's series recorded for quilt by hand
	if [[ -d "$pc" ]]; then
		(cd "$t" && pquilt applied >/dev/null 2>&1) || true
	fi
	return "$rc"
}

# own_git_tree DIR: true when DIR is the top of a git work tree of its own
# (build/ sits inside the workbench's repository: an enclosing one does not count).
# A directory that does not exist yet (the default work tree before apply.sh
# runs) is not one.
own_git_tree() {
	local top
	[[ -d "$1" ]] || return 1
	top="$(git -C "$1" rev-parse --show-toplevel 2>/dev/null)" || return 1
	[[ -n "$top" && "$top" == "$(cd "$1" && pwd -P)" ]]
}

# legacy_stack TREE: true when TREE carries this series under .pc while ours
# is STACK_PC (a KSRC tree applied by an older workbench): every patch quilt
# lists there is one of the series.
legacy_stack() {
	[[ "$STACK_PC" != .pc && ! -d "$1/$STACK_PC" && -s "$1/.pc/applied-patches" ]] || return 1
	! grep -qvxF -f <(series_patches) "$1/.pc/applied-patches"
}

# legacy_stack_die TREE: refuse TREE (legacy_stack), saying how to pop it.
legacy_stack_die() {
	die "$1 carries this series under .pc (an older workbench applied it there; ours is now $STACK_PC)" \
		"pop it once by hand: cd $1 && QUILT_PC=.pc QUILT_PATCHES=$PATCH_DIR QUILT_SERIES=$SERIES_FILE quilt --quiltrc=$QUILTRC pop -a && rm -rf .pc"
}

# Patches listed in series, in order (comments and blank lines dropped).
series_patches() {
	sed -e 's/#.*//' -e 's/[[:space:]]*$//' "$SERIES_FILE" | awk 'NF { print $1 }'
}

# Whether a patch says in its changelog that it is not for merging (a
# benchmark kept in the series for reviewers): a line "Not for merging".
not_for_merging() {
	awk '/^$/ && !h { h = 1; next } h && /^---$/ { exit } h && /^Not for merging/ { f = 1 }
	     END { exit !f }' "$1"
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

# sender_ident: "Name <email>" of the sender from git config; dies without one.
sender_ident() {
	local name email
	name="$(git config --get user.name || true)"
	email="$(git config --get user.email || true)"
	[[ -n "$name" && -n "$email" ]] ||
		die "git has no sender identity (user.name and user.email): the patches would have no author" \
			"git config --global user.name 'Your Name'; git config --global user.email you@example.org"
	printf '%s <%s>\n' "$name" "$email"
}

# series_version: N of the first "vN:" line of the changelog (the version
# that make branch/mbox/send write).
series_version() {
	local v
	[[ -f "$CHANGELOG_FILE" ]] || die "no changelog at $CHANGELOG_FILE" "write one with a 'v1:' line"
	v="$(sed -n 's/^v\([0-9][0-9]*\):.*/\1/p' "$CHANGELOG_FILE" | head -n 1)"
	[[ -n "$v" ]] || die "$CHANGELOG_FILE has no 'vN:' line" "add 'v1:' and a line '- first posting'"
	printf '%s\n' "$v"
}

# base_line: how the mails name the base (the upstream release tag and the
# Debian package); never a commit id of the locally committed tarball.
base_line() {
	local ver
	if [[ -n "${KSRC:-}" ]]; then
		printf 'based on %s (%s)\n' "$BASE_UPSTREAM_TAG" "$(cat "$PRISTINE_DIR/.unpacked-from" 2>/dev/null || echo "a local tree")"
		return 0
	fi
	ver="$(cat "$PRISTINE_DIR/.unpacked-from" 2>/dev/null || base_pkg_installed_version)"
	printf 'based on %s (Debian %s %s)\n' "$BASE_UPSTREAM_TAG" "$BASE_PKG" "${ver:-$BASE_PKG_VERSION}"
}

# kunit_result LANE EXT: where a KUnit run's results go (EXT json or junit.xml).
kunit_result() {
	printf '%s\n' "$RESULTS_DIR/kunit-$RESULTS_ID-$1.$2"
}

# kunit_failed_cases FILE: the cases kunit.py's parsed output marks
# [FAILED] or [CRASHED], one per line; each line starts with a timestamp
# ("[09:12:34] [FAILED] case"). Suite result lines ("=== [FAILED] suite ===")
# are not cases.
kunit_failed_cases() {
	sed -nE 's/^(\[[0-9:]+\] )?\[(FAILED|CRASHED)\] //p' "$1" 2>/dev/null || true
}

# with_progress WHAT CMD...: run CMD; while it runs, log "still WHAT (N s)"
# every 30 s. Returns CMD's status.
with_progress() {
	local what="$1" start next pid rc=0
	shift
	start=$(date +%s)
	next=$((start + 30))
	"$@" &
	pid=$!
	while kill -0 "$pid" 2>/dev/null; do
		sleep 1
		if [[ $(date +%s) -ge $next ]] && kill -0 "$pid" 2>/dev/null; then
			log "still $what ($(( $(date +%s) - start )) s)"
			next=$((next + 30))
		fi
	done
	wait "$pid" || rc=$?
	return "$rc"
}

# Lines that fail a QEMU boot wherever they appear on its console.
QEMU_BAD_PATTERNS='BUG:|WARNING:|KASAN|UBSAN|possible circular locking|DEBUG_LOCKS_WARN_ON|Kernel panic|general protection fault|Call Trace:'

# qemu_accel BZIMAGE: "kvm" where scripts/kvm-probe.sh boots BZIMAGE with
# KVM, else "tcg" (nested KVM fails on the build machines).
qemu_accel() {
	if "$TOPDIR/scripts/kvm-probe.sh" "$1" >/dev/null 2>&1; then
		echo kvm
	else
		echo tcg
	fi
}

# qemu_boot ACCEL BZIMAGE INITRD CMDLINE CONSOLE [QEMU ARG...]: one boot of
# the smoke boot or the hibernate cycle, serial console into CONSOLE, QEMU
# exiting when the guest reboots. QEMU_MEM (MiB) and QEMU_TIMEOUT (s) come
# from the caller's qemu-configs/*.conf. Returns QEMU's status, 124 when the
# boot timed out.
qemu_boot() {
	local accel="$1" kernel="$2" initrd="$3" cmdline="$4" console="$5"
	shift 5
	timeout "$QEMU_TIMEOUT" qemu-system-x86_64 -accel "$accel" -nodefaults -m "$QEMU_MEM" \
		-kernel "$kernel" -initrd "$initrd" -append "$cmdline" "$@" \
		-no-reboot -nographic -serial stdio -bios /usr/share/qemu/qboot.rom \
		</dev/null >"$console" 2>&1
}

# console_problems CONSOLE: print the lines of CONSOLE matching
# QEMU_BAD_PATTERNS, with their numbers; true if there is one.
console_problems() {
	grep -nE "$QEMU_BAD_PATTERNS" "$1"
}
