# SPDX-License-Identifier: GPL-2.0-only
# Xen PV for Linux, from scratch: build, boot matrix and tests.
#
#   make run     the main job: build the kernel, boot it in every role under
#                Xen, print the report
#   make check   everything in "run" plus the static checks and host tests;
#                ends with "N passed, N failed, N skipped"
#   make bench   domU boot time, ours vs stock, as a ratio
#
# Both install what is missing with apt-get (pipeline/deps.sh).

SHELL := /bin/bash
P := pipeline
OUT := build/out

.PHONY: all run check bench deps tree kernel tools initramfs upstream static \
	hostcheck matrix report clean distclean

all: run

deps:
	@$(P)/deps.sh

tree: deps
	@$(P)/prepare-tree.sh

kernel: tree
	@$(P)/build-kernel.sh

tools: kernel
	@$(P)/build-tools.sh

initramfs: tools
	@$(P)/mkinitramfs.sh

upstream: kernel
	@$(P)/still-upstream.sh

static: kernel
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

clean:
	rm -rf build/out build/obj

distclean:
	rm -rf build
