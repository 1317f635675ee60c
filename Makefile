# SPDX-License-Identifier: GPL-2.0-only
# Xen PV for Linux, from scratch: build, boot matrix and tests.
#
#   make run     the main job: build the kernel, boot it in every role under
#                Xen, print the report
#   make check   everything in "run" plus the static checks and host tests;
#                ends with "N passed, N failed, N skipped"
#   make bench   domU boot time, ours vs stock, as a ratio
#   make stress  the hotplug cases with 200 attach/detach cycles each, and
#                20 rounds of modules-cycle (not in CI: about 1.5 hours)
#   make modules our four split drivers as modules for Debian's stock
#                kernel (build/out/modules; README: "Our drivers in
#                Debian's kernel")
#
# Both install what is missing with apt-get (pipeline/deps.sh).

SHELL := /bin/bash
P := pipeline
OUT := build/out

.PHONY: all run check bench stress deps tree kernel tools modules initramfs upstream \
	static hostcheck matrix report clean distclean

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

report:
	@python3 $(P)/report.py $(OUT) --static --host

run: initramfs upstream matrix
	@python3 $(P)/report.py $(OUT)

check: initramfs upstream static hostcheck matrix
	@python3 $(P)/report.py $(OUT) --static --host

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
	@XCI_RUNS="xen-ours xen-stock" XCI_CASES=hotplug,hotplug-vif,modules-cycle \
		XCI_CYCLES=$(STRESS_CYCLES) XCI_ROUNDS=$(STRESS_ROUNDS) \
		XCI_CASE_LIMIT=7200 XCI_STALL=7200 \
		XCI_TIMEOUT_OURS=10800 XCI_TIMEOUT_STOCK=10800 $(P)/matrix.sh
	@python3 $(P)/report.py $(OUT)

clean:
	rm -rf build/out build/obj build/obj-base build/modules

distclean:
	rm -rf build
