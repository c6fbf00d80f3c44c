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
	demo bench lint vm-shell clean netlink-doc man dkms-src install deb check-install
.DELETE_ON_ERROR:

all: kmod tools selftests unit fuzzers man

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
		$(BUILD)/unit/guard_cli_test $(BUILD)/unit/boot_complete_test: \
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

# --- install: the files of both Debian packages, for hosts that do not use packages -------
# The version is the module's; debian/changelog must say the same (make deb checks).
VERSION := $(shell sed -n 's/^\#define BULKHEAD_MODULE_VERSION "\(.*\)"/\1/p' kmod/bulkhead.h)
PREFIX ?= /usr
SBINDIR ?= $(PREFIX)/sbin
SYSCONFDIR ?= /etc
UNITDIR ?= $(PREFIX)/lib/systemd/system
MANDIR ?= $(PREFIX)/share/man
DOCDIR ?= $(PREFIX)/share/doc/bulkhead
COMPLETIONDIR ?= $(PREFIX)/share/bash-completion/completions
DKMSDIR ?= $(PREFIX)/src/bulkhead-$(VERSION)

# bulkhead.bh(5) and bulkhead-audit(5) are the docs/ pages, as man pages (tools/man/).
MAN := $(BUILD)/man
MANPAGES := $(MAN)/bulkhead.bh.5 $(MAN)/bulkhead-audit.5
man: $(MANPAGES)
$(MAN)/bulkhead.bh.5: docs/policy-language.md
$(MAN)/bulkhead-audit.5: docs/audit-format.md
$(MANPAGES): tools/man/manpage.lua
	@mkdir -p $(@D)
	pandoc -s -t man --lua-filter tools/man/manpage.lua -M section=5 \
		-M name=$(basename $(@F)) -M title=$(shell echo $(basename $(@F)) | tr a-z A-Z) \
		-M "see_also=bulkhead(8), $(if $(findstring audit,$(@F)),bulkhead.bh(5),bulkhead-audit(5))" \
		-M "header=File Formats" -M "footer=bulkhead $(VERSION)" $(filter %.md,$^) -o $@

# The module's source as DKMS builds it: the tree Kbuild reads, with the code generated from
# the netlink spec in place, dkms.conf and its pre-build check (tools/dkms/).
DKMS_SRC := $(BUILD)/dkms/bulkhead-$(VERSION)
dkms-src: $(DKMS_SRC)/dkms.conf
$(DKMS_SRC)/dkms.conf: $(KMOD_SRCS) $(GEN_STAMP) tools/dkms/dkms.conf.in tools/dkms/dkms-check \
		tools/dkms/dkms-pahole
	rm -rf $(DKMS_SRC) && mkdir -p $(DKMS_SRC)
	cp -r Kbuild kmod include tools/dkms/dkms-check tools/dkms/dkms-pahole $(DKMS_SRC)/
	cp -r $(GEN)/kmod $(GEN)/include $(DKMS_SRC)/
	# A user's newer compiler may warn where the project's does not: warnings stay warnings there.
	sed -i 's/ -Werror$$//' $(DKMS_SRC)/Kbuild
	sed 's/@VERSION@/$(VERSION)/' tools/dkms/dkms.conf.in > $@

install: tools man dkms-src
	install -D -m 0755 $(BUILD)/tools/bulkhead $(DESTDIR)$(SBINDIR)/bulkhead
	install -d $(DESTDIR)$(UNITDIR) $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man8 \
		$(DESTDIR)$(DOCDIR)/examples $(DESTDIR)$(SYSCONFDIR)/bulkhead $(DESTDIR)$(DKMSDIR)
	for u in tools/systemd/*.service; do \
		sed 's|/usr/sbin/bulkhead|$(SBINDIR)/bulkhead|' $$u > $(DESTDIR)$(UNITDIR)/$${u##*/}; \
	done
	install -m 0644 docs/bulkhead.8 $(DESTDIR)$(MANDIR)/man8/
	install -m 0644 $(MANPAGES) $(DESTDIR)$(MANDIR)/man5/
	install -D -m 0644 tools/completion/bulkhead.bash $(DESTDIR)$(COMPLETIONDIR)/bulkhead
	install -m 0644 examples/*.bh $(DESTDIR)$(DOCDIR)/examples/
	install -m 0644 docs/enforcement.md docs/exchange.md docs/netlink.md $(DESTDIR)$(DOCDIR)/
	# An edited configuration stays.
	[ -e $(DESTDIR)$(SYSCONFDIR)/bulkhead/bulkhead.conf ] || \
		install -m 0644 tools/etc/bulkhead.conf $(DESTDIR)$(SYSCONFDIR)/bulkhead/
	cp -r $(DKMS_SRC)/. $(DESTDIR)$(DKMSDIR)/
	@echo "install: the module's source is in $(DKMSDIR); build it with: dkms install bulkhead/$(VERSION)"

# --- Debian packages: bulkhead (amd64) and bulkhead-dkms (all) under build/deb, by debhelper
# and dh-dkms from debian/ on a copy of it there (so nothing is written beside the sources),
# then checked by lintian, which must find no error.
DEB := $(BUILD)/deb
deb: deps tools man dkms-src
	@[ "$$(dpkg-parsechangelog -l debian/changelog -S Version)" = "$(VERSION)" ] || \
		{ echo "deb: debian/changelog's version is not the module's $(VERSION)" >&2; exit 1; }
	rm -rf $(DEB) && mkdir -p $(DEB)/bulkhead-$(VERSION)
	cp -r debian $(DEB)/bulkhead-$(VERSION)/
	cd $(DEB)/bulkhead-$(VERSION) && TOP=$(CURDIR) dpkg-buildpackage -b -us -uc > $(DEB)/build.log 2>&1 || \
		{ tail -40 $(DEB)/build.log >&2; exit 1; }
	lintian --fail-on error $(DEB)/bulkhead_$(VERSION)_amd64.changes
	@ls $(DEB)/*.deb

# The packages on a stock Debian 13 system, DKMS building the module for its kernel, booted
# twice in QEMU: "N passed, N failed, N skipped" (tools/install-test/; not part of make check).
check-install: deb
	@tools/install-test/run.sh

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

# One boot per kernel, one after the other: side by side they would measure each other.
bench: deps
	@$(MAKE) --no-print-directory all initramfs
	@for k in $(KERNELS); do echo "bench: kernel $$k"; $(VM)/run.sh $$k bench || exit 1; done

vm-shell: deps
	@$(MAKE) --no-print-directory $(BUILD)/vm/$(KVER)/initramfs.cpio.gz
	@$(VM)/run.sh $(KVER) shell

lint: deps
	@$(VM)/lint.sh

clean:
	rm -rf $(BUILD)/kmod $(BUILD)/bpf $(BUILD)/tools $(BUILD)/selftests $(BUILD)/unit $(BUILD)/vm \
		$(BUILD)/fuzz $(BUILD)/gen $(BUILD)/ynl $(BUILD)/evidence $(BUILD)/man $(BUILD)/dkms \
		$(BUILD)/deb
