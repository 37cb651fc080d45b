#!/bin/bash
# Check (and as root, install) the Debian packages the workbench needs.
set -euo pipefail
# The 6.12 base is a system package; the mainline base is fetched by
# scripts/fetch-base.sh into build/apt and needs nothing from here.
BASE=6.12
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

usage() {
	cat <<EOF
Usage: scripts/deps.sh [--check]

Checks that every Debian package the workbench needs is installed, including
the pinned base $BASE_PKG=$BASE_PKG_VERSION. As root it runs
'apt-get update' and 'apt-get install' for what is missing; otherwise it
prints the exact apt-get line and stops.

  --check   only report, never install (exit 1 if something is missing)
EOF
}

CHECK_ONLY=0
case "${1:-}" in
-h | --help) usage; exit 0 ;;
--check) CHECK_ONLY=1 ;;
"") ;;
*) usage >&2; exit 2 ;;
esac

# Tools for applying, building, booting, linting and sending the stack.
PKGS=(quilt qemu-system-x86 qemu-system-data b4 sparse ccache busybox-static
	flex bison bc libelf-dev libssl-dev cpio python3 gcc make perl git
	xz-utils shellcheck bats codespell rsync kmod debian-archive-keyring dpkg dpkg-dev patch)

installed() {
	dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null | grep -qx installed
}

missing=()
for p in "${PKGS[@]}"; do
	installed "$p" || missing+=("$p")
done

base_ver="$(dpkg-query -W -f='${Version}' "$BASE_PKG" 2>/dev/null || true)"
base_want="$BASE_PKG=$BASE_PKG_VERSION"
if [[ "$base_ver" == "$BASE_PKG_VERSION" ]]; then
	base_want=""
fi

if [[ ${#missing[@]} -eq 0 && -z "$base_want" ]]; then
	log "deps: all ${#PKGS[@]} packages present; base $BASE_PKG $base_ver"
	exit 0
fi

line="apt-get install -y --no-install-recommends ${missing[*]} $base_want"
if [[ $CHECK_ONLY -eq 1 || $(id -u) -ne 0 ]]; then
	die "missing packages: ${missing[*]} $base_want" \
		"run as root: apt-get update && $line"
fi

log "deps: installing ${missing[*]} $base_want"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >"$TOPDIR/.apt-update.log" 2>&1 ||
	die "apt-get update failed (see $TOPDIR/.apt-update.log)" \
		"check the network path to the Debian mirror, then re-run make deps"
if [[ ${#missing[@]} -gt 0 ]]; then
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends "${missing[@]}" ||
		die "apt-get install of ${missing[*]} failed" \
			"run '$line' by hand to see apt's reason"
fi
if [[ -n "$base_want" ]]; then
	if ! apt-get install -y -qq --no-install-recommends "$base_want"; then
		cand="$(apt-cache policy "$BASE_PKG" | awk '/Candidate:/ { print $2 }')"
		log "WARNING: pinned $base_want is no longer in the archive;"
		log "WARNING: FALLING BACK to candidate $BASE_PKG=$cand (not the pinned base)"
		apt-get install -y -qq --no-install-recommends "$BASE_PKG" ||
			die "cannot install $BASE_PKG at all" \
				"check 'apt-cache policy $BASE_PKG'"
		mkdir -p "$BUILD_DIR"
		printf '%s\n' "$cand" > "$BUILD_DIR/base-fallback"
	fi
fi
rm -f "$TOPDIR/.apt-update.log"
log "deps: done"
