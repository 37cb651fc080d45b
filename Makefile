# amdgpu SR-IOV VF-switch stack: workbench.
#
#   make            the main job: deps, base, apply, build, KUnit in QEMU, summary
#   make test       everything the project checks; ends with "N passed, N failed"
#   make help       all targets
#
# BASE=mainline|6.12 selects one base (default: both for make and make test,
# mainline for the single-stage targets). KSRC=/path/to/tree applies that
# base's series to your own tree instead of the pinned Debian package.

SHELL := /bin/bash
export KSRC BASE KUNIT_ACCEL
S := scripts

.PHONY: all main test test-fast help deps base apply unapply build kunit smoke \
	hibernate bench slow mutate kconfig-links exports matrix warnings distro bisect branch mbox send series-check diffstat checkpatch kdoc selftest summary clean distclean

all: main

main:
	@$(S)/main.sh

test:
	@$(S)/test.sh

test-fast:
	@$(S)/test.sh --fast

help:
	@sed -n 's/^## \?//p' $(MAKEFILE_LIST)

## Environment knobs (make VAR=value or in the environment; scripts read the same):
##   BASE=mainline|6.12   which series and base (default: both for make/make test,
##                        else mainline)
##   KSRC=<kernel tree>   apply/build/test the series in your own tree
##   SUITE=<glob>         KUnit suites to run (make kunit; default amdgpu*;
##                        scripts/kunit.sh --suite)
##   KUNIT_ACCEL=tcg|kvm  skip the KVM probe and use this QEMU accelerator
##   CCACHE_MAXSIZE=<n>   ccache size for the kernel builds (default 20G)
##   BUILD_LOCK=<file>    make distro: the lock every kernel build takes with flock
##                        (default /work/build.lock where /work exists, else
##                        build/build.lock)
##   SIGNOFF=yes          make branch/mbox: every patch signed off by you (make send sets it)
##   MBOX_OUT=<dir>       where make mbox/send write the mails (default out/mbox,
##                        out/mbox-6.12; with KSRC build/ksrc-<base>-<hash>/mbox)
##   BUILD_DIR=<dir>      the per-base build directory (default build/<base>,
##                        build/ksrc-<base>-<hash> with KSRC)
##   KUNIT_BUILD_DIR=<dir> the fast-lane KUnit build directory (default
##                        $BUILD_DIR/kunit-x86_64)
##   QEMU_TCG_REAL=<qemu> the QEMU the TCG shim (scripts/qemu-tcg) runs
##   STACK_SERIES, STACK_PATCHES, STACK_COVER, STACK_CHANGELOG: another series file,
##                        patch directory, cover letter and changelog (self-tests)
## The sender's identity is git's user.name and user.email (make branch/mbox/send).
## Targets:
##   make               main job (deps, apply, build, kunit, summary)
##   make test          every check; last line "N passed, N failed"
##   make deps          check/install Debian packages (root installs)
##   make base          fetch/unpack the pinned base into build/<base>/pristine
##   make debsrc        apt-get source + dpkg-source -x of the base's Debian source
##                      package (build/debsrc/): a KSRC tree with a .pc of its own
##   make apply         quilt push -a --fuzz=0 (embedded tree or KSRC=...)
##   make unapply       quilt pop -a (restores KSRC exactly)
##   make build         build the x86_64 KUnit kernel
##   make kunit         run the amdgpu KUnit suites in QEMU (SUITE=glob for one);
##                      JSON and JUnit in build/logs/kunit-<base>-<lane>.{json,junit.xml}
##   make smoke         QEMU smoke boot with a busybox initramfs
##   make hibernate     QEMU hibernate cycle: hibernate to swap, resume, check a RAM marker
##   make bench         mainline: upstream's and the stack's VF resume side by side
##                      (two KUnit kernels), table in build/<base>/logs/bench.txt and README
##   make slow          build and run the slow lane (KASAN, UBSAN, lockdep, ...)
##   make test-fast     make test without the slow (sanitizer) lane
##   make mutate        revert each change in turn; some KUnit case must fail
##   make kconfig-links link the KUnit module with DRM_AMDGPU/KUNIT = y/m, m/y, m/m
##   make exports       every symbol the KUnit module uses is exported
##                      (seconds; what kconfig-links' modpost would find)
##   make matrix        6.12: the series at fuzz 0 on every linux-source-6.12 in the archive,
##                      the touched objects built, KUnit on the newest and the oldest;
##                      table in build/logs/matrix-6.12.md and README. make test runs
##                      only its apply stage (scripts/matrix.sh --apply-only, no build):
##                      two more KUnit kernels do not fit CI's budget
##   make series-check  series listing, headers, fuzz-0 apply
##   make diffstat      rewrite each patch's diffstat from its diff (after quilt refresh)
##   make checkpatch    checkpatch.pl --strict on each patch
##   make kdoc          kernel-doc on every file the stack touches
##   make selftest      shellcheck + bats self-tests of scripts/
##   make warnings      sparse + W=1 on touched objects: nothing new vs the base
##   make distro        amdgpu.ko with Debian's own kernel config, test options off
##                      and on, against the pristine base: 0 new warnings, every
##                      symbol resolved (one base, default mainline); table in
##                      build/logs/distro-build-<base>.txt
##   make bisect        every prefix of the series applies and builds
##   make branch        the series as git: base tagged v7.3.4 (6.12: v6.12.117), one
##                      commit per patch authored by you, tag vN (build/<base>/mbox-git)
##   make mbox          b4 writes the series as .eml files under out/mbox (never sends)
##   make send          make mbox, every patch signed off by you; prints how to send
##   make clean         remove build logs and kernels (keeps the pristine base)
##   make distclean     remove build/ entirely

deps:
	@$(S)/deps.sh

base:
	@$(S)/base.sh

.PHONY: debsrc
debsrc:
	@$(S)/debsrc.sh

apply:
	@$(S)/apply.sh

unapply:
	@$(S)/unapply.sh

build:
	@$(S)/kunit.sh build

kunit:
	@$(S)/kunit.sh run

smoke:
	@$(S)/smoke.sh

hibernate:
	@$(S)/hibernate.sh

bench:
	@$(S)/bench.sh --readme

slow:
	@$(S)/kunit.sh build --lane slow && $(S)/kunit.sh run --lane slow

series-check:
	@$(S)/series-check.sh

diffstat:
	@$(S)/diffstat.sh

checkpatch:
	@$(S)/checkpatch.sh

kdoc:
	@$(S)/kdoc.sh

selftest:
	@shellcheck -x $(S)/*.sh $(S)/qemu-tcg/* qemu-configs/*.sh .ci/run && bats scripts/tests

summary:
	@$(S)/summary.sh

clean:
	rm -rf build/logs build/*/logs build/*/kunit-x86_64 build/*/kunit-x86_64-slow build/*/linux

distclean:
	rm -rf build out
mutate:
	@$(S)/mutate.sh

kconfig-links:
	@$(S)/kconfig-links.sh

exports:
	@$(S)/exports.sh

matrix:
	@$(S)/matrix.sh

warnings:
	@$(S)/warnings.sh

distro:
	@$(S)/distro-build.sh

bisect:
	@$(S)/bisect.sh

branch:
	@$(S)/branch.sh

mbox:
	@$(S)/mbox.sh

send:
	@$(S)/mbox.sh --signoff
