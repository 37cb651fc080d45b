#!/bin/bash
# Pop the whole stack off the tree (quilt pop -a), restoring it exactly.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

case "${1:-}" in
-h | --help)
	cat <<EOF2
Usage: scripts/unapply.sh
       KSRC=/path/to/tree scripts/unapply.sh

Runs 'quilt pop -a' with the project quiltrc on the embedded tree or KSRC,
then removes our quilt state (.pc; in a KSRC tree $STACK_PC), leaving
the tree as it was before 'make apply'. Quilt state the KSRC tree had of its
own (a Debian source package's .pc) is left alone.
EOF2
	exit 0
	;;
"") ;;
*) echo "Usage: scripts/unapply.sh (see --help)" >&2; exit 2 ;;
esac

tree="$(work_tree)"
[[ ! -d "$tree/.pc" ]] || ! legacy_stack "$tree" || legacy_stack_die "$tree"
if [[ ! -d "$tree/$STACK_PC" ]]; then
	log "unapply: no stack applied to $tree; nothing to do"
	exit 0
fi
mkdir -p "$LOG_DIR"
saved_quilt "$tree" pop -a >"$LOG_DIR/unapply.log" 2>&1 || {
	tail -n 20 "$LOG_DIR/unapply.log" >&2
	die "quilt pop -a failed on $tree (log: $LOG_DIR/unapply.log)" \
		"files changed after apply? 'QUILT_PC=$STACK_PC quilt --quiltrc=$QUILTRC diff -z' in $tree shows them; 'pop -af' discards them"
}
rm -rf "${tree:?}/$STACK_PC"
log "unapply: $tree restored"
