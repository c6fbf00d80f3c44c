# SPDX-License-Identifier: GPL-2.0
# bulkhead top-level build.
#
#   make check     install what is missing, build, run host unit tests and the VM selftests on
#                  every target kernel; ends with "N passed, N failed, N skipped"
#   make evidence  what make check runs, with each VM recording the audit trail of its run; then
#                  the trails verified, and build/evidence/: report.html (read it first),
#                  report.md, report.json, assessment-results.json (OSCAL 1.0.0, validated),
#                  the trails and their keys (tools/vm/evidence.sh, docs/requirements.md)
#   make check-debug  build a debug kernel (KASAN, lockdep, UBSAN, kmemleak) from the pinned
#                  linux-source-6.12 once, run the VM selftests and a leak scan on it; ends with
#                  "N passed, N failed, N skipped" (not part of make check)
#   make demo      install what is missing, build, boot the 6.1 VM and show bulkhead working
#   make bench     benchmarks in one VM boot, printed as ratios
#   make lint      checkpatch --strict and sparse on the module, checkpatch on the BPF code
#   make fuzz      every libFuzzer harness for FUZZ_SECONDS (default 600) each
#   make vm-shell KVER=6.1   an interactive shell in the VM with bulkhead ready to load
#
# Everything private to the build lives under build/ and is never committed.

BUILD := $(CURDIR)/build
VM := tools/vm
KERNELS := $(shell $(VM)/kernels.sh ids)
KVER ?= 6.1
SRC := $(BUILD)/src/linux
HARNESS := $(SRC)/tools/testing/selftests

CC := gcc
CLANG ?= clang
BPFTOOL ?= bpftool
# The netlink part of the uapi, generated from the spec (tools/vm/ynl.sh), beside the rest.
GEN := $(BUILD)/gen
GEN_UAPI := -I$(GEN)/include/uapi
USER_INCLUDES := -I$(CURDIR)/include/uapi $(GEN_UAPI) -I$(CURDIR)/tools/lib \
	$(shell pkg-config --cflags libnl-genl-3.0 libbpf libkmod libcrypto libmagic 2>/dev/null)
USER_CFLAGS := -O2 -g -D_GNU_SOURCE -Wall -Wextra -Wno-unused-parameter -Werror $(USER_INCLUDES)
# The kselftest harness's macros trip -Wextra's sign-compare in the code that uses them.
TEST_CFLAGS := -O2 -g -D_GNU_SOURCE -Wall -Werror $(USER_INCLUDES) -I$(HARNESS)
USER_LIBS := $(shell pkg-config --libs libnl-genl-3.0 libbpf libkmod libcrypto libmagic 2>/dev/null)

.PHONY: all deps kmod bpf tools selftests unit fuzzers fuzz fuzz-seed initramfs check evidence check-debug \
	demo bench lint vm-shell clean netlink-doc
.DELETE_ON_ERROR:

all: kmod tools selftests unit fuzzers

deps:
	@$(VM)/deps.sh

# --- the netlink ABI: generated from its spec by the kernel's ynl-gen-c, before anything that
# includes the uapi header. The outputs are build products under build/gen (and build/ynl), so
# they are never committed and checkpatch, which reads the repository's kmod/, never sees them.
GEN_STAMP := $(GEN)/stamp
$(GEN_STAMP): docs/netlink/bulkhead.yaml $(VM)/ynl.sh
	@$(VM)/ynl.sh

# --- kernel module: one build per target kernel, each in its own mirror of the sources -------
KMOD_SRCS := Kbuild $(wildcard kmod/*.c kmod/*.h include/uapi/linux/*.h)
KOS := $(foreach k,$(KERNELS),$(BUILD)/kmod/$(k)/bulkhead.ko)
kmod: $(KOS)
$(BUILD)/kmod/%/bulkhead.ko: $(KMOD_SRCS) $(GEN_STAMP)
	@$(VM)/build-kmod.sh $*

# The debug kernel, built from source (tools/vm/debug.config); "built" changes only when it is
# rebuilt, which happens only when the fragment or the package version changes.
DEBUG_KERNEL := $(BUILD)/kernels/debug/built
$(DEBUG_KERNEL):
	@$(VM)/debug-kernel.sh
$(BUILD)/kmod/debug/bulkhead.ko: $(DEBUG_KERNEL)

# --- BPF: built once against the 6.1 BTF and relocated by CO-RE on every kernel --------------
BPF_SRCS := $(wildcard bpf/*.bpf.c bpf/*.h)
bpf: $(BUILD)/bpf/bulkhead.skel.h
$(BUILD)/bpf/vmlinux.h:
	@mkdir -p $(@D)
	@$(VM)/kernel-tree.sh 6.1
	$(BPFTOOL) btf dump file $$($(VM)/kernels.sh kdir 6.1)/vmlinux format c > $@
$(BUILD)/bpf/bulkhead.bpf.o: $(BPF_SRCS) $(BUILD)/bpf/vmlinux.h $(GEN_STAMP)
	$(CLANG) -O2 -g -Wall -Werror -target bpf -D__TARGET_ARCH_x86 -I$(BUILD)/bpf \
		-I$(CURDIR)/include/uapi $(GEN_UAPI) \
		-c bpf/bulkhead.bpf.c -o $@
$(BUILD)/bpf/bulkhead.skel.h: $(BUILD)/bpf/bulkhead.bpf.o
	$(BPFTOOL) gen skeleton $< name bulkhead_bpf > $@

# The floor of "make bench": a program that returns 0 at every hook bulkhead attaches to, the
# list read from bulkhead's own object so that the two never differ.
$(BUILD)/bpf/floor.bpf.c: $(BUILD)/bpf/bulkhead.bpf.o
	{ echo '#include "vmlinux.h"'; echo '#include <bpf/bpf_helpers.h>'; \
	  echo 'char LICENSE[] SEC("license") = "GPL";'; \
	  readelf -SW $< | sed -n 's|.* lsm/\([a-z0-9_]*\) .*|SEC("lsm/\1") int \1(void *ctx) { return 0; }|p'; \
	} > $@
$(BUILD)/bpf/floor.bpf.o: $(BUILD)/bpf/floor.bpf.c
	$(CLANG) -O2 -g -Wall -Werror -target bpf -D__TARGET_ARCH_x86 -I$(BUILD)/bpf -c $< -o $@
$(BUILD)/bpf/floor.skel.h: $(BUILD)/bpf/floor.bpf.o
	$(BPFTOOL) gen skeleton $< name floor_bpf > $@
$(BUILD)/selftests/hotpath_bench: $(BUILD)/bpf/floor.skel.h

# --- userspace: shared library code, the CLI, selftests and host unit tests ----------------
LIB_SRCS := $(wildcard tools/lib/*.c)
LIB_HDRS := $(wildcard tools/lib/*.h include/uapi/linux/*.h) $(GEN_STAMP)
CLI_SRCS := $(wildcard tools/bulkhead/*.c)
tools: $(BUILD)/tools/bulkhead $(BUILD)/tools/bh-evidence
$(BUILD)/tools/bulkhead: $(CLI_SRCS) $(LIB_SRCS) $(LIB_HDRS) $(wildcard tools/bulkhead/*.h) \
		$(BUILD)/bpf/bulkhead.skel.h
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) -I$(BUILD)/bpf -o $@ $(CLI_SRCS) $(LIB_SRCS) $(USER_LIBS)

# The evidence generator (make evidence): the project's JSON writer and libcrypto's SHA-256.
EVIDENCE_SRCS := $(wildcard tools/evidence/*.c)
$(BUILD)/tools/bh-evidence: $(EVIDENCE_SRCS) tools/evidence/evidence.h tools/lib/json.c tools/lib/json.h
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) -o $@ $(EVIDENCE_SRCS) tools/lib/json.c -lcrypto

$(HARNESS)/kselftest_harness.h:
	@$(VM)/linux-source.sh

SELFTEST_LIB := $(wildcard selftests/lib/*.c)
SELFTESTS := $(patsubst selftests/%.c,$(BUILD)/selftests/%,\
	$(wildcard selftests/*_test.c selftests/*_bench.c selftests/*_probe.c))
selftests: $(SELFTESTS)
$(BUILD)/selftests/%: selftests/%.c $(SELFTEST_LIB) $(wildcard selftests/lib/*.h) \
		$(LIB_SRCS) $(LIB_HDRS) $(HARNESS)/kselftest_harness.h
	@mkdir -p $(@D)
	$(CC) $(TEST_CFLAGS) -I$(CURDIR)/selftests/lib -I$(BUILD)/bpf -o $@ \
		$< $(SELFTEST_LIB) $(LIB_SRCS) $(USER_LIBS)

# abi_spec_test compares the names and values the spec renders with the uapi header's.
YNL_GEN := $(GEN_STAMP)

UNITS := $(patsubst tools/tests/%.c,$(BUILD)/unit/%,$(wildcard tools/tests/*_test.c))
unit: $(UNITS) $(BUILD)/unit/netlink_doc.ok

# docs/netlink.md's command and attribute tables are the spec's (tools/ynl/netlink_doc.py):
# the build fails while they disagree; "make netlink-doc" rewrites them.
$(BUILD)/unit/netlink_doc.ok: docs/netlink.md docs/netlink/bulkhead.yaml tools/ynl/netlink_doc.py
	@mkdir -p $(@D)
	/usr/bin/python3 tools/ynl/netlink_doc.py --check
	@touch $@
netlink-doc:
	/usr/bin/python3 tools/ynl/netlink_doc.py --write
$(BUILD)/unit/%_test: tools/tests/%_test.c $(wildcard tools/tests/*.h) $(LIB_SRCS) $(LIB_HDRS) \
		$(HARNESS)/kselftest_harness.h \
		$(YNL_GEN) include/uapi/linux/bulkhead_audit.h
	@mkdir -p $(@D)
	$(CC) $(TEST_CFLAGS) -I$(BUILD)/ynl -o $@ $< $(LIB_SRCS) $(USER_LIBS)

# These run the CLI itself.
$(BUILD)/unit/number_test $(BUILD)/unit/audit_tail_test $(BUILD)/unit/audit_report_test \
		$(BUILD)/unit/cli_help_test \
		$(BUILD)/unit/cli_output_test $(BUILD)/unit/policy_live_test \
		$(BUILD)/unit/guard_cli_test: \
	$(BUILD)/tools/bulkhead
$(BUILD)/unit/evidence_test: $(BUILD)/tools/bh-evidence

# --- fuzzers: libFuzzer with ASan and UBSan on the parsers of untrusted input --------------
FUZZ_CFLAGS := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	-D_GNU_SOURCE $(USER_INCLUDES)
FUZZERS := $(patsubst tools/fuzz/%.c,$(BUILD)/fuzz/%,$(wildcard tools/fuzz/*_fuzz.c))
fuzzers: $(FUZZERS)
$(BUILD)/fuzz/%_fuzz: tools/fuzz/%_fuzz.c $(LIB_SRCS) $(LIB_HDRS)
	@mkdir -p $(@D)
	$(CLANG) $(FUZZ_CFLAGS) -o $@ $< $(LIB_SRCS) $(USER_LIBS)

# The committed seed of the audit corpus, remade on demand: make fuzz-seed.
fuzz-seed: $(LIB_SRCS) $(LIB_HDRS)
	@mkdir -p $(BUILD)/fuzz
	$(CC) $(USER_CFLAGS) -o $(BUILD)/fuzz/audit_seed tools/fuzz/audit_seed.c $(LIB_SRCS) $(USER_LIBS)
	$(BUILD)/fuzz/audit_seed tools/fuzz/corpus/audit/trail

FUZZ_SECONDS ?= 600
fuzz: deps fuzzers
	@$(VM)/fuzz.sh $(FUZZ_SECONDS)

# --- VM ----------------------------------------------------------------------------------------
INITRDS := $(foreach k,$(KERNELS),$(BUILD)/vm/$(k)/initramfs.cpio.gz)
initramfs: $(INITRDS)
$(BUILD)/vm/%/initramfs.cpio.gz: $(BUILD)/kmod/%/bulkhead.ko $(BUILD)/tools/bulkhead $(SELFTESTS) \
		$(YNL_GEN) $(wildcard $(VM)/* selftests/*.sh examples/*.bh)
	@$(VM)/mkinitramfs.sh $*

# The debug kernel's VM stretches the kselftest harness's per-test alarm (selftests/run.sh).
$(BUILD)/vm/slow_alarm.so: $(VM)/slow_alarm.c
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) -shared -fPIC -o $@ $<
$(BUILD)/vm/debug/initramfs.cpio.gz: $(BUILD)/vm/slow_alarm.so

check: deps
	@$(MAKE) --no-print-directory all initramfs
	@$(VM)/check.sh $(KERNELS)

# The same run as check (tools/vm/check.sh), with the trails recorded, then the report.
evidence: deps
	@$(MAKE) --no-print-directory all initramfs
	@$(VM)/evidence.sh $(KERNELS)

check-debug: deps
	@$(VM)/debug-kernel.sh
	@$(MAKE) --no-print-directory $(BUILD)/vm/debug/initramfs.cpio.gz
	@$(VM)/check.sh --vm-only debug

demo: deps
	@$(MAKE) --no-print-directory $(BUILD)/vm/6.1/initramfs.cpio.gz
	@$(VM)/run.sh 6.1 demo

bench: deps
	@$(MAKE) --no-print-directory $(BUILD)/vm/6.1/initramfs.cpio.gz
	@$(VM)/run.sh 6.1 bench

vm-shell: deps
	@$(MAKE) --no-print-directory $(BUILD)/vm/$(KVER)/initramfs.cpio.gz
	@$(VM)/run.sh $(KVER) shell

lint: deps
	@$(VM)/lint.sh

clean:
	rm -rf $(BUILD)/kmod $(BUILD)/bpf $(BUILD)/tools $(BUILD)/selftests $(BUILD)/unit $(BUILD)/vm \
		$(BUILD)/fuzz $(BUILD)/gen $(BUILD)/ynl $(BUILD)/evidence
