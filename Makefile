# SPDX-License-Identifier: MIT
# Makefile - build, run, test and benchmark lasermesh
#
# Variables (all overridable on the command line, see README.md):
#   CC, PKG_CONFIG, PREFIX, DESTDIR, CFLAGS, LDFLAGS, V=1 (verbose),
#   SANITIZE=address,undefined, CONFIG (file for `make run`), RUN_OPTS
#   (its options, e.g. --web 8080),
#   FUZZ_SECONDS (per target for `make fuzz`), TESTS (suites for `make check`)

CC ?= cc
PKG_CONFIG ?= pkg-config
PREFIX ?= /usr/local
DESTDIR ?=
CONFIG ?=
RUN_OPTS ?=
FUZZ_SECONDS ?= 30
BUILD ?= build
SANITIZE ?=
# The binary: ./lasermesh for the default build, BUILD/lasermesh for any
# other (a sanitizer build must not replace the one in use).
ifeq ($(BUILD),build)
BIN := lasermesh
else
BIN := $(BUILD)/lasermesh
endif

PKGS := libnl-3.0 libnl-route-3.0 libpcap libmicrohttpd ompi-c
TEST_PKGS := criterion

ifeq ($(V),1)
Q :=
else
Q := @
endif

WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wimplicit-fallthrough
CFLAGS ?= -O2 -g
CFLAGS += -std=gnu11 $(WARN) -D_GNU_SOURCE -I. -MMD -MP
ifneq ($(SANITIZE),)
CFLAGS += -fsanitize=$(SANITIZE) -fno-sanitize-recover=all -fno-omit-frame-pointer
LDFLAGS += -fsanitize=$(SANITIZE)
endif

# pkg-config is asked lazily so that `make clean` works without the libraries.
# libev is linked from its static archive (Debian's libev-dev ships it): the
# shared libev.so also exports a libevent emulation (event_add, ...), which
# would take the place of the real libevent inside Open MPI's libraries and
# crash MPI_Init; from the archive only ev.o is linked, and an executable
# exports nothing.
PKG_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null) -l:libev.a -lm \
	-lpthread
TEST_LIBS = $(shell $(PKG_CONFIG) --libs $(TEST_PKGS) 2>/dev/null)

# Every room's sources: topo/ and its basics, tap/, and emu/'s rooms.
LIB_SRC := $(sort $(wildcard topo/*.c topo/*/*.c tap/*.c tap/*/*.c emu/*/*.c))
LIB_SRC := $(filter-out emu/cli/main.c,$(LIB_SRC))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/land.o \
	   $(BUILD)/gen/web_assets.o
TEST_SRC := $(sort $(wildcard tests/test_*.c))
TEST_BIN := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
# Helpers shared by several suites (tests/lib/*.c), linked into every suite.
TEST_LIB_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(sort $(wildcard tests/lib/*.c)))
BENCH_SRC := $(sort $(wildcard scripts/bench/bench_*.c))
BENCH_BIN := $(BENCH_SRC:scripts/bench/%.c=$(BUILD)/bench/%)
FUZZ_SRC := $(sort $(wildcard tests/fuzz_*.c))

.PHONY: all run check check-unit bench fuzz install clean deps

# The web view's page and the libraries it draws with, embedded in the
# binary (scripts/embed.sh). The libraries come from the npm registry,
# pinned by emu/web/package-lock.json; `npm ci` fetches them once (never a
# browser: PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD).
WEB_NM := emu/web/node_modules
WEB_FILES := /index.html=emu/web/index.html /app.js=emu/web/app.js \
	/style.css=emu/web/style.css \
	/vendor/d3-array.min.js=$(WEB_NM)/d3-array/dist/d3-array.min.js \
	/vendor/d3-geo.min.js=$(WEB_NM)/d3-geo/dist/d3-geo.min.js \
	/vendor/topojson-client.min.js=$(WEB_NM)/topojson-client/dist/topojson-client.min.js \
	/vendor/land-110m.json=$(WEB_NM)/world-atlas/land-110m.json

# Plain `make` only builds: it needs the libraries, not root, and never runs
# the package installer. run, check, bench and fuzz install what they need.
all: $(BIN)

# Install missing Debian packages once per build directory (scripts/deps.sh
# is a no-op when everything is there).
$(BUILD)/.deps: scripts/deps.sh
	$(Q)sh scripts/deps.sh
	$(Q)mkdir -p $(BUILD) && touch $@

# make check also needs the web view test's browser (chromium)
$(BUILD)/.deps-check: scripts/deps.sh
	$(Q)sh scripts/deps.sh check
	$(Q)mkdir -p $(BUILD) && touch $@

# make bench also needs perf (where lasermesh's CPU goes, bench_dataplane.sh)
$(BUILD)/.deps-bench: scripts/deps.sh
	$(Q)sh scripts/deps.sh bench
	$(Q)mkdir -p $(BUILD) && touch $@

deps:
	$(Q)sh scripts/deps.sh

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS) $(PKG_CFLAGS) -c -o $@ $<

# The coastlines of `lasermesh map`: Natural Earth's land from the npm
# package world-atlas, pinned by scripts/map/package-lock.json, converted to
# C by scripts/map/land.js (node); `npm ci` fetches the packages once.
MAP_DIR := scripts/map

$(MAP_DIR)/node_modules:
	@$(if $(Q),echo "  NPM     $(MAP_DIR)")
	$(Q)cd $(MAP_DIR) && npm ci --no-audit --no-fund --silent

$(BUILD)/gen/land.c: $(MAP_DIR)/land.js $(MAP_DIR)/package-lock.json | $(MAP_DIR)/node_modules
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  GEN     $@")
	$(Q)node $(MAP_DIR)/land.js > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/land.o: $(BUILD)/gen/land.c
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS) -c -o $@ $<

$(WEB_NM)/.stamp: emu/web/package.json emu/web/package-lock.json
	@$(if $(Q),echo "  NPM     emu/web")
	$(Q)cd emu/web && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --silent \
		--no-audit --no-fund
	$(Q)touch $@

# the libraries change only with the stamp
$(BUILD)/gen/web_assets.c: scripts/embed.sh $(WEB_NM)/.stamp \
		emu/web/index.html emu/web/app.js emu/web/style.css
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  EMBED   $@")
	$(Q)sh scripts/embed.sh $(WEB_FILES) > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/web_assets.o: $(BUILD)/gen/web_assets.c
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/liblasermesh.a: $(LIB_OBJ)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && ar rcs $@ $^

$(BIN): $(BUILD)/emu/cli/main.o $(BUILD)/liblasermesh.a
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/tests/%: $(BUILD)/tests/%.o $(TEST_LIB_OBJ) $(BUILD)/liblasermesh.a
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) $(TEST_LIBS)

$(BUILD)/bench/%: $(BUILD)/scripts/bench/%.o $(BUILD)/liblasermesh.a
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

run: $(BUILD)/.deps $(BIN)
	./$(BIN) run $(CONFIG) $(RUN_OPTS)

# Unit suites run unprivileged where they can; suites that need root build
# their own namespaces and skip with a reason when they cannot.
check: $(BUILD)/.deps-check $(BIN) $(TEST_BIN)
	$(Q)LASERMESH=$(abspath $(BIN)) LAND_C=$(BUILD)/gen/land.c \
		WEB_C=$(BUILD)/gen/web_assets.c sh tests/run.sh $(BUILD)/tests $(TESTS)

# The Criterion suites and the source checks only: no root, no namespaces.
check-unit: $(BIN) $(TEST_BIN)
	$(Q)LASERMESH=$(abspath $(BIN)) LAND_C=$(BUILD)/gen/land.c \
		WEB_C=$(BUILD)/gen/web_assets.c E2E=0 sh tests/run.sh \
		$(BUILD)/tests $(TESTS)

bench: $(BUILD)/.deps-bench $(BIN) $(BENCH_BIN)
	$(Q)LASERMESH=$(abspath $(BIN)) sh scripts/bench/bench.sh $(BUILD)

fuzz: $(BUILD)/.deps $(BUILD)/gen/land.c $(BUILD)/gen/web_assets.c
	$(Q)LAND_C=$(BUILD)/gen/land.c WEB_C=$(BUILD)/gen/web_assets.c \
		sh tests/fuzz.sh $(BUILD)/fuzz $(FUZZ_SECONDS)

install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/lasermesh
	install -m 644 docs/lasermesh.1 $(DESTDIR)$(PREFIX)/share/man/man1/lasermesh.1

clean:
	rm -rf $(BUILD) lasermesh

# keep test and bench objects: they are not intermediate files to delete
.SECONDARY:

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
