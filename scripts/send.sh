#!/bin/bash
# Explain how to send the series for real. Sends nothing.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

case "${1:-}" in
-h | --help)
	echo "Usage: scripts/send.sh   print the steps that send the series; this script never sends"
	exit 0
	;;
esac

cat <<EOF2
This repository never sends mail. To send the series for real:

 1. make mbox            # builds the b4 branch in $BUILD_DIR/mbox-git and out/mbox/*.eml
 2. cd $BUILD_DIR/mbox-git && git checkout vf-switch
 3. Certify each patch yourself (DCO, Documentation/process/submitting-patches.rst):
        git rebase --signoff base
    Only a human adds Signed-off-by. Keep the Assisted-by trailers.
 4. Review the recipients and the cover letter:
        b4 prep --edit-cover
 5. Configure git send-email (sendemail.smtpserver, ...) or b4's web endpoint, then
        b4 send --reflect        # a copy to yourself first
        b4 send                  # to amd-gfx and the recipients in the cover letter
EOF2
