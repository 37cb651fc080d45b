#!/bin/bash
# kernel-doc on every file the stack touches: no warning the base lacks.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

usage() {
	cat <<EOF2
Usage: scripts/kdoc.sh

For each .c/.h file the series touches, runs the tree's scripts/kernel-doc
-none on the patched file (in the applied tree) and on the pristine file
(when it exists), and fails when the patched file has a warning the
pristine one does not (line numbers ignored). New files must be clean.
The pristine file is the base's ($PRISTINE_DIR); with KSRC, that tree's
own state without the stack (scripts/base.sh).
Prints one "ok|not ok kernel-doc <file>" line per file.
EOF2
}
case "${1:-}" in
-h | --help) usage; exit 0 ;;
"") ;;
*) usage >&2; exit 2 ;;
esac

tree="$(work_tree)"
[[ -d "$tree/$STACK_PC" ]] || die "the stack is not applied to $tree" "run 'make apply' first"
"$TOPDIR/scripts/base.sh" >/dev/null
fails=0 total_new=0
norm() { sed -E 's/:[0-9]+([: ])/:\1/; s/^[^:]*\///' | sort; }
while read -r f; do
	case "$f" in *.c | *.h) ;; *) continue ;; esac
	[[ -f "$tree/$f" ]] || continue
	new="$(cd "$tree" && perl scripts/kernel-doc -none "$f" 2>&1 | norm)"
	old=""
	if [[ -f "$PRISTINE_DIR/$f" ]]; then
		old="$(cd "$PRISTINE_DIR" && perl scripts/kernel-doc -none "$f" 2>&1 | norm)"
	fi
	added="$(comm -23 <(printf '%s\n' "$new" | sed '/^$/d') <(printf '%s\n' "$old" | sed '/^$/d'))"
	if [[ -z "$added" ]]; then
		printf 'ok kernel-doc %s\n' "$f"
	else
		n=$(wc -l <<<"$added")
		total_new=$((total_new + n))
		printf 'not ok kernel-doc %s: %d new warnings\n' "$f" "$n"
		head -n 10 <<<"$added" | sed 's/^/    /'
		fails=$((fails + 1))
	fi
done < <(stack_files)
printf '# kernel-doc: %d new warnings\n' "$total_new"
[[ $fails -eq 0 ]]
