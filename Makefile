# sbox: one non-recursive Makefile, no Xcode.
#
#   make              build build/sbox
#   make check        build and run every test (unit, cli, corpus, security)
#   make check-asan   the same under AddressSanitizer + UBSan
#   make fuzz         build the libFuzzer targets (clang); fuzz-smoke runs them briefly
#   make install      PREFIX=/usr/local DESTDIR=
#
# Sources are found by folder. Platform files are picked by name, not by
# #ifdef: src/**/*_linux.c only on Linux, src/**/*_darwin.c only on macOS.

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share/sbox
MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR ?= $(PREFIX)/share/zsh/site-functions
FISHCOMPDIR ?= $(PREFIX)/share/fish/vendor_completions.d
DESTDIR ?=

UNAME_S := $(shell uname -s)
CC ?= cc
PKG_CONFIG ?= pkg-config

PKGS := libxml-2.0 jansson libarchive
ifeq ($(UNAME_S),Linux)
PKGS += libseccomp
PLATFORM := linux
OS_CPPFLAGS := -D_GNU_SOURCE
else
PLATFORM := darwin
OS_CPPFLAGS := -D_DARWIN_C_SOURCE
endif

PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS))
PKG_LIBS := $(shell $(PKG_CONFIG) --libs $(PKGS))
# sandbox_init_with_parameters and sandbox_check are private SPI; link
# libsandbox rather than rely on libSystem re-exporting them (MACOS.md §1.3).
ifeq ($(PLATFORM),darwin)
PKG_LIBS += -lsandbox
endif
# build/sbox is linked statically on Linux: loading ~18 shared objects at
# every start was the largest part of `sbox launch` (tools/bench/launch.sh;
# LINUX-BASELINES.md §4, §7.4). STATIC_LIBS=0 links it dynamically, as the
# test binaries always are.
ifeq ($(PLATFORM),linux)
STATIC_LIBS ?= 1
endif
# With libc static too (-static-pie: still position independent, so ASLR
# stays) ld.so has no ~10,000 relocations, no libc/libm/libgcc_s to map and
# no lazy binding to do at every start: 12.9 -> 8.4 ms for `sbox --version`
# on the loaded test VM. Sanitizer builds cannot be static: those keep libc
# shared. getpwuid still reaches NSS modules (glibc loads them at run time).
# sbox carries the seccomp program as data (see SECCOMP_OBJ below): only
# its generator and the tests link libseccomp.
NO_SECCOMP = $(filter-out -lseccomp,$(1))
STATIC_SBOX_LIBS := $(call NO_SECCOMP,$(shell $(PKG_CONFIG) --static \
	--libs $(PKGS))) -lstdc++
SBOX_DYN_LIBS := $(call NO_SECCOMP,$(PKG_LIBS))
ifeq ($(STATIC_LIBS),1)
ifeq ($(filter -fsanitize=%,$(LDFLAGS)),)
SBOX_LIBS := -static-pie -Wl,-z,pack-relative-relocs $(STATIC_SBOX_LIBS)
# valgrind cannot see malloc in a static binary: its test runs this twin
SBOX_VALGRIND = $(BUILD)/sbox-dynamic
else
SBOX_LIBS := -Wl,-Bstatic $(filter-out -lm,$(STATIC_SBOX_LIBS)) \
	-Wl,-Bdynamic -lm
endif
else
SBOX_LIBS := $(SBOX_DYN_LIBS)
endif
CMOCKA_CFLAGS := $(shell $(PKG_CONFIG) --cflags cmocka 2>/dev/null)
CMOCKA_LIBS := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null || echo -lcmocka)

WARN := -Wall -Wextra -Werror -Wshadow -Wconversion -Wstrict-prototypes \
	-Wmissing-prototypes -Wold-style-definition -Wpointer-arith -Wvla \
	-Wwrite-strings -Wformat-security -fno-common
OPT ?= -O2 -g
CFLAGS ?= $(OPT)
ALL_CFLAGS := -std=c11 $(WARN) $(CFLAGS) -Isrc $(OS_CPPFLAGS) \
	-DSBOX_DATADIR='"$(DATADIR)"' $(PKG_CFLAGS)
ALL_LDFLAGS := $(LDFLAGS)

BUILD ?= build

ALL_SRCS := $(sort $(wildcard src/*/*.c src/*/*/*.c))
OTHER_PLATFORM := $(if $(filter linux,$(PLATFORM)),darwin,linux)
LIB_SRCS := $(filter-out %_$(OTHER_PLATFORM).c,$(ALL_SRCS))
LIB_OBJS := $(patsubst src/%.c,$(BUILD)/obj/%.o,$(LIB_SRCS))
MAIN_OBJ := $(BUILD)/obj/main.o
LIB := $(BUILD)/libsbox.a
SBOX := $(BUILD)/sbox
SBOX_VALGRIND ?= $(SBOX)
# Linux: the seccomp filter depends on no definition, so libseccomp builds
# it once, here: tools/gen-seccomp.c (linked with the library's builder)
# writes it as C, compiled into sbox (src/backend/linux/seccomp_linux.h).
ifeq ($(PLATFORM),linux)
SECCOMP_OBJ := $(BUILD)/gen/seccomp_bpf.o $(BUILD)/gen/trace_bpf.o
endif

UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRCS))

FUZZ_SRCS := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_CC ?= clang
FUZZ_BUILD := build-fuzz
FUZZ_BINS := $(patsubst tests/fuzz/%.c,$(FUZZ_BUILD)/%,$(FUZZ_SRCS))
FUZZ_SECONDS ?= 20

.PHONY: ci all check check-asan unit fuzz fuzz-smoke fuzz-run fuzz-long install uninstall clean \
	demo bench

all: $(SBOX)

$(BUILD)/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

# The data folder is compiled in: rebuild datadir.o whenever PREFIX or
# DATADIR change (e.g. `make install PREFIX=/opt/sbox` after `make`), as
# git does with GIT-CFLAGS. The file is rewritten only when it differs.
$(BUILD)/DATADIR: FORCE
	@mkdir -p $(BUILD)
	@echo '$(DATADIR)' | cmp -s - $@ || echo '$(DATADIR)' >$@
$(BUILD)/obj/util/datadir.o: $(BUILD)/DATADIR
.PHONY: FORCE
FORCE:

$(LIB): $(LIB_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

# Regenerated when the builder or the deny list (linux_plan.c) change.
$(BUILD)/gen/gen-seccomp: tools/gen-seccomp.c \
		$(BUILD)/obj/backend/linux/seccomp_build_linux.o \
		$(BUILD)/obj/backend/linux/seccomp_unknown_linux.o \
		$(BUILD)/obj/backend/linux/seccomp_sockets_linux.o \
		$(BUILD)/obj/backend/linux/seccomp_memfd_linux.o \
		$(BUILD)/obj/backend/linux/linux_plan.o | $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -o $@ $< $(LIB) $(ALL_LDFLAGS) $(PKG_LIBS)

$(BUILD)/gen/seccomp_bpf.c: $(BUILD)/gen/gen-seccomp
	$< >$@.tmp && mv $@.tmp $@

$(BUILD)/gen/seccomp_bpf.o: $(BUILD)/gen/seccomp_bpf.c
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

# --trace's observing filter, made the same way (trace_filter_linux.h).
$(BUILD)/gen/gen-trace-filter: tools/gen-trace-filter.c \
		$(BUILD)/obj/backend/linux/trace_filter_build_linux.o | $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -o $@ $< $(LIB) $(ALL_LDFLAGS) $(PKG_LIBS)

$(BUILD)/gen/trace_bpf.c: $(BUILD)/gen/gen-trace-filter
	$< >$@.tmp && mv $@.tmp $@

$(BUILD)/gen/trace_bpf.o: $(BUILD)/gen/trace_bpf.c
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

# A static glibc link warns that getpwuid, getaddrinfo, dlopen ... need
# glibc's shared NSS modules at run time: known and accepted (see
# STATIC_LIBS above), so tools/ld-filter.sh drops exactly those warnings
# and the "in function" line before each; everything else the linker says
# is printed, and its exit status is kept.
$(SBOX): $(MAIN_OBJ) $(SECCOMP_OBJ) $(LIB)
	@echo "  LINK $@"
	@sh tools/ld-filter.sh $(CC) $(ALL_CFLAGS) -o $@ $(MAIN_OBJ) \
		$(SECCOMP_OBJ) $(LIB) $(ALL_LDFLAGS) $(SBOX_LIBS)

$(BUILD)/sbox-dynamic: $(MAIN_OBJ) $(SECCOMP_OBJ) $(LIB)
	$(CC) $(ALL_CFLAGS) -o $@ $(MAIN_OBJ) $(SECCOMP_OBJ) $(LIB) \
		$(ALL_LDFLAGS) $(SBOX_DYN_LIBS)

$(BUILD)/tests/%: tests/unit/%.c $(SECCOMP_OBJ) $(LIB) tests/unit/testutil.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(CMOCKA_CFLAGS) -Itests -MMD -MP -o $@ $< \
		$(SECCOMP_OBJ) $(LIB) $(ALL_LDFLAGS) $(PKG_LIBS) $(CMOCKA_LIBS)

unit: $(UNIT_BINS)

# On Linux the macOS-only files are still compiled, against the declaration
# shim in tests/shim, so they cannot rot where no Mac runs them.
SHIM_SRCS := $(if $(filter linux,$(PLATFORM)),$(filter %_darwin.c,$(ALL_SRCS)))
SHIM_OBJS := $(patsubst src/%.c,$(BUILD)/shim/%.o,$(SHIM_SRCS))

$(BUILD)/shim/%.o: src/%.c $(wildcard tests/shim/*.h tests/shim/*/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests/shim -MMD -MP -c -o $@ $<

# Every test: unit binaries, then tests/cli, tests/corpus, tests/security
# scripts. tests/run.sh prints the closing "N passed, N failed" line.
check: $(SBOX) $(SBOX_VALGRIND) $(UNIT_BINS) $(SHIM_OBJS)
	@SBOX=$(abspath $(SBOX)) SBOX_VALGRIND=$(abspath $(SBOX_VALGRIND)) \
		BUILD=$(abspath $(BUILD)) sh tests/run.sh

check-asan:
	$(MAKE) BUILD=build-asan OPT="-O1 -g -fno-omit-frame-pointer \
		-fsanitize=address,undefined -fno-sanitize-recover=all" \
		LDFLAGS="-fsanitize=address,undefined" check

# libFuzzer targets: the library rebuilt with clang and the fuzzer
# instrumentation, one binary per tests/fuzz/fuzz_*.c. libseccomp's
# SCMP_A0..A5 macros leave a field of their compound literal to zero,
# which clang's -Wextra reports (gcc's does not).
fuzz:
	$(MAKE) BUILD=$(FUZZ_BUILD) CC=$(FUZZ_CC) \
		OPT="-O1 -g -fsanitize=fuzzer-no-link,address,undefined \
		-Wno-missing-field-initializers" \
		$(FUZZ_BUILD)/libsbox.a
	@for f in $(FUZZ_SRCS); do \
		b=$(FUZZ_BUILD)/$$(basename $$f .c); \
		echo "  FUZZ $$b"; \
		$(FUZZ_CC) -std=c11 $(OS_CPPFLAGS) -Isrc -Itests $(PKG_CFLAGS) -g -O1 \
			-fsanitize=fuzzer,address,undefined -o $$b $$f \
			$(FUZZ_BUILD)/libsbox.a $(PKG_LIBS) || exit 1; \
	done

# Run the fuzz targets (FUZZ_TARGETS, default all) for FUZZ_SECONDS each
# over their seeds plus a corpus kept in build-fuzz/corpus. A crash, leak
# or timeout stops the run; libFuzzer leaves the input in
# build-fuzz/findings/ to become a seed in tests/fuzz/seeds/TARGET/.
FUZZ_TARGETS ?= $(notdir $(FUZZ_BINS))
fuzz-run:
	@mkdir -p $(FUZZ_BUILD)/findings
	@for n in $(FUZZ_TARGETS); do \
		b=$(FUZZ_BUILD)/$$n; mkdir -p $(FUZZ_BUILD)/corpus/$$n; \
		seeds=tests/fuzz/seeds/$$n; [ -d $$seeds ] || seeds=; \
		echo "fuzz $$n for $(FUZZ_SECONDS)s"; \
		$$b -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
			-artifact_prefix=$(FUZZ_BUILD)/findings/$$n- \
			$(FUZZ_BUILD)/corpus/$$n $$seeds >$(FUZZ_BUILD)/$$n.log 2>&1 \
			|| { tail -40 $(FUZZ_BUILD)/$$n.log; exit 1; }; \
		grep -E '^Done|stat::number_of_executed_units' $(FUZZ_BUILD)/$$n.log | tail -1; \
	done

# A short run of every fuzz target over its seed corpus (CI smoke).
fuzz-smoke: fuzz
	@$(MAKE) --no-print-directory fuzz-run FUZZ_SECONDS=$(FUZZ_SECONDS)

# Looking further: every target for 10 minutes (FUZZ_LONG_SECONDS), e.g.
# `make fuzz-long FUZZ_TARGETS=fuzz_import FUZZ_LONG_SECONDS=3600`.
FUZZ_LONG_SECONDS ?= 600
fuzz-long: fuzz
	@$(MAKE) --no-print-directory fuzz-run FUZZ_SECONDS=$(FUZZ_LONG_SECONDS)

# What .ci/run (and the README's test command) runs.
ci:
	$(MAKE) check
	$(MAKE) check-asan
	$(MAKE) fuzz-smoke FUZZ_SECONDS=15

demo: $(SBOX)
	@sh tools/demo.sh $(abspath $(SBOX))

# Manual pages (tools/man, man(7) written by hand) and shell completions
# (tools/completion) go where man and the shells look under PREFIX.
install: $(SBOX)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR) \
		$(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
		$(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR) \
		$(DESTDIR)$(FISHCOMPDIR)
	install -m 0755 $(SBOX) $(DESTDIR)$(BINDIR)/sbox
	cp -R profiles templates $(DESTDIR)$(DATADIR)/
	install -m 0644 tools/man/sbox.1 $(DESTDIR)$(MANDIR)/man1/sbox.1
	install -m 0644 tools/man/sbox-definition.5 \
		$(DESTDIR)$(MANDIR)/man5/sbox-definition.5
	install -m 0644 tools/completion/sbox.bash $(DESTDIR)$(BASHCOMPDIR)/sbox
	install -m 0644 tools/completion/_sbox $(DESTDIR)$(ZSHCOMPDIR)/_sbox
	install -m 0644 tools/completion/sbox.fish \
		$(DESTDIR)$(FISHCOMPDIR)/sbox.fish

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/sbox
	rm -rf $(DESTDIR)$(DATADIR)
	rm -f $(DESTDIR)$(MANDIR)/man1/sbox.1 \
		$(DESTDIR)$(MANDIR)/man5/sbox-definition.5 \
		$(DESTDIR)$(BASHCOMPDIR)/sbox $(DESTDIR)$(ZSHCOMPDIR)/_sbox \
		$(DESTDIR)$(FISHCOMPDIR)/sbox.fish

clean:
	rm -rf build build-asan $(FUZZ_BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
