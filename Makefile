# SPDX-License-Identifier: GPL-2.0-only
# Xen PV for Linux, from scratch: build, boot matrix and tests.
#
#   make run     the main job: build the kernel, boot it in every role under
#                Xen, print the report
#   make check   everything in "run" plus the static checks and host tests;
#                ends with "N passed, N failed, N skipped"
#   make bench   ratios, ours against upstream's: block and TCP with Debian's
#                kernel at both ends and only the driver modules swapped,
#                and domU boot time against the base built with our config
#   make stress  the hotplug cases with 200 attach/detach cycles each,
#                a frontend rewriting its state 10^5 times (xsa349-stress),
#                and 20 rounds of modules-cycle (not in CI: about 2 hours)
#   make modules our four split drivers as modules for Debian's stock
#                kernel (build/out/modules; README: "Our drivers in
#                Debian's kernel")
#   make patches the upstream patch series (patches/series) in
#                build/out/patches, with a cover letter
#   make patches-check  checkpatch and get_maintainer.pl on every patch,
#                git am onto the base, the result against our tree (in
#                make check too)
#   make patches-build  the kernel built after every patch of the series
#                (not in CI: about 20 minutes)
#
# Both install what is missing with apt-get (pipeline/deps.sh).

SHELL := /bin/bash
P := pipeline
OUT := build/out

# make check's deadline: CI gives it 90 minutes (5400 s).  The boot
# matrix, make check's last long step (the other checks run beside it),
# boots again for cases that met the testbed's defect only while a boot
# fits before it (pipeline/retry.py); the rest is room for a boot that
# runs longer than retry.py expects (a case that hangs is stopped after
# 700 s, a domU silent for 360 s sooner, and a boot again 300 s past the
# deadline; a boot again counts 1.2 times each case's last try, or its
# row's time in cases.tbl if the case runner died in it), and for the
# report.  Fixed once, when make starts.
CHECK_BUDGET ?= 5000
ifneq ($(filter check,$(MAKECMDGOALS)),)
ifndef XCI_DEADLINE
XCI_DEADLINE := $(shell echo $$(($$(date +%s) + $(CHECK_BUDGET))))
endif
export XCI_DEADLINE
endif

.PHONY: all run check bench stress deps tree kernel tools modules initramfs upstream \
	static hostcheck matrix report clean distclean patches patches-check patches-tap \
	patches-build

all: run

deps:
	@$(P)/deps.sh

tree: deps
	@$(P)/prepare-tree.sh

kernel: tree
	@$(P)/build-kernel.sh

tools: kernel
	@$(P)/build-tools.sh

# Our drivers for Debian's kernel: the stock domUs and dom0 of the
# stock-kernel-our-modules case load them.
modules: deps
	@$(P)/build-modules.sh

initramfs: tools modules
	@$(P)/mkinitramfs.sh

upstream: kernel
	@$(P)/still-upstream.sh

static: kernel modules
	@$(P)/static-checks.sh

hostcheck: deps
	@$(P)/tests/run.sh

matrix: initramfs
	@$(P)/matrix.sh

# The upstream series: cut from the prepared tree by patches/series.
patches: tree
	@python3 $(P)/patches.py write

patches-check: tree
	@mkdir -p $(OUT)
	@python3 $(P)/patches.py check > $(OUT)/patches.tap; rc=$$?; cat $(OUT)/patches.tap; exit $$rc

# make check's part: the results go to the report, which counts them.
patches-tap: tree
	@mkdir -p $(OUT)
	@python3 $(P)/patches.py check > $(OUT)/patches.tap || true
	@echo "patches: $$(grep -c '^ok' $(OUT)/patches.tap) of $$(grep -c -E '^(not )?ok' $(OUT)/patches.tap) checks passed ($(OUT)/patches, $(OUT)/patches.tap)"
	@grep -E '^(not )?ok [0-9]+ get_maintainer' $(OUT)/patches.tap | sed 's/^[a-z ]*[0-9]* /    /' || true

patches-build: tree
	@$(P)/patches-build.sh

report:
	@python3 $(P)/report.py $(OUT) --static --host --patches

run: initramfs upstream matrix
	@python3 $(P)/report.py $(OUT)

# The static checks, the host tests and the patch checks run beside the
# boot matrix, at the lowest priority (pipeline/check.sh).
check: initramfs upstream
	@$(P)/check.sh
	@python3 $(P)/report.py $(OUT) --static --host --patches

bench: initramfs
	@$(P)/bench.sh

# Connect and close under traffic, many times: a teardown that leaves
# anything running, or anything on a list, shows here (CONFIG_DEBUG_LIST
# turns a corrupted list into a WARNING, which fails the case).
# Then rounds of a stock domU's I/O under Debian's dom0 with our backend
# modules and Debian's swapped in between (modules-cycle).
STRESS_CYCLES ?= 200
STRESS_ROUNDS ?= 20
stress: initramfs
	@XCI_RUNS="xen-ours xen-stock" XCI_CASES=hotplug,hotplug-vif,xsa349-stress,modules-cycle \
		XCI_CYCLES=$(STRESS_CYCLES) XCI_ROUNDS=$(STRESS_ROUNDS) \
		XCI_CASE_LIMIT=7200 XCI_STALL=7200 \
		XCI_TIMEOUT_OURS=10800 XCI_TIMEOUT_STOCK=10800 $(P)/matrix.sh
	@python3 $(P)/report.py $(OUT)

clean:
	rm -rf build/out build/obj build/obj-base build/obj-series build/obj-api build/modules build/patches \
		build/series

distclean:
	rm -rf build
