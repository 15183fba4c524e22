# authemu: `make` builds build/authemu (static), `make run` starts it, `make test` runs every test,
# `make fuzz` runs each libFuzzer harness of tests/fuzz/ for FUZZ_SECONDS (default 60), `make dist`
# builds the static linux/amd64 and linux/arm64 binaries into build/dist/, `make npm` and `make wheel`
# the npm package and the Python wheels that carry them, `make release` every release artifact into
# build/release/.
# Dependencies are installed by scripts/deps.sh (a no-op when all is there); the mbedTLS source it
# unpacks is MBEDTLS_VERSION of scripts/deps.env, which both read.

CXX      ?= g++
CC       ?= gcc
BUILD    := build
THIRD    := $(BUILD)/third_party
include scripts/deps.env
MBEDTLS  := $(THIRD)/mbedtls-$(MBEDTLS_VERSION)
HTTPLIB  := $(firstword $(wildcard $(THIRD)/cpp-httplib-*))
JOBS     ?= $(shell nproc)

WARN     := -Wall -Wextra -Wno-unused-parameter
INCLUDES := -Iemulator -isystem $(MBEDTLS)/include -isystem $(MBEDTLS)/3rdparty/everest/include -isystem $(HTTPLIB) -I$(BUILD)/gen
CXXFLAGS_BASE := -std=c++17 $(WARN) $(INCLUDES) -MMD -MP \
  -DCPPHTTPLIB_TCP_NODELAY=true -DCPPHTTPLIB_LISTEN_BACKLOG=256 \
  -DCPPHTTPLIB_FORM_URL_ENCODED_PAYLOAD_MAX_LENGTH=65536
OPT      := -O2
LIBS     := -lyaml-cpp -pthread

# mbedTLS 3.6 LTS from Debian's source package with the project config: crypto, X.509 and TLS (the
# ssl* and x509* sources, and debug.c that ssl_tls.c calls). Left out: its sockets (tls/ runs over the
# server's own descriptors), PKCS#7 and the unused MPS reader.
# Everest (3rdparty/everest of the same source package, Apache-2.0): mbedTLS's verified x25519, on with
# MBEDTLS_ECDH_VARIANT_EVEREST_ENABLED; a TLS handshake's x25519 shared secret takes 0.04 ms, not 0.43.
EVEREST        := $(MBEDTLS)/3rdparty/everest
MBEDTLS_C      := -std=gnu99 -I$(MBEDTLS)/include -I$(MBEDTLS)/library -I$(EVEREST)/include \
  -I$(EVEREST)/include/everest -I$(EVEREST)/include/everest/kremlib -Iemulator \
  '-DMBEDTLS_USER_CONFIG_FILE="jose/mbedtls_user_config.h"'
MBEDTLS_CFLAGS := -O3 -falign-functions=32 $(MBEDTLS_C)
MBEDTLS_SRCS := $(filter-out $(MBEDTLS)/library/net_sockets.c $(MBEDTLS)/library/pkcs7.c \
  $(MBEDTLS)/library/mps%,$(wildcard $(MBEDTLS)/library/*.c))
MBEDTLS_OBJS := $(patsubst $(MBEDTLS)/library/%.c,$(BUILD)/mbedtls/%.o,$(MBEDTLS_SRCS)) \
  $(addprefix $(BUILD)/mbedtls/,everest.o x25519.o Hacl_Curve25519_joined.o)
MBEDTLS_LIB  := $(BUILD)/libmbedtls.a
# -MMD leaves out headers found through -isystem, so the .d files never name mbedTLS's headers nor the
# project config they include: every object that may see them depends on the config by hand (a changed
# config changes mbedTLS's structures, and an object built against the old ones crashes).
MBEDTLS_CONFIG := emulator/jose/mbedtls_user_config.h
MBEDTLS_DEFS := '-DMBEDTLS_USER_CONFIG_FILE="jose/mbedtls_user_config.h"'

# One level of folders by layer under emulator/ (CONTRIBUTING.md, Layout).
LAYERS    := base jose tls store oauth stack testkit http cli
APP_SRCS  := $(foreach d,$(LAYERS),$(wildcard emulator/$(d)/*.cpp))
TEST_SRCS := $(wildcard tests/*_test.cpp)
FIXTURES  := $(sort $(wildcard fixtures/*))
GEN_SRC   := $(BUILD)/gen/embedded_fixtures.cpp

APP_OBJS       := $(patsubst %.cpp,$(BUILD)/obj/%.o,$(APP_SRCS)) $(BUILD)/obj/gen/embedded_fixtures.o
TEST_OBJS      := $(patsubst %.cpp,$(BUILD)/obj/%.o,$(TEST_SRCS)) $(BUILD)/obj/tests/catch_main.o
ASAN_APP_OBJS  := $(patsubst $(BUILD)/obj/%,$(BUILD)/asan/%,$(APP_OBJS))
ASAN_TEST_OBJS := $(patsubst $(BUILD)/obj/%,$(BUILD)/asan/%,$(TEST_OBJS))
TSAN_APP_OBJS  := $(patsubst $(BUILD)/obj/%,$(BUILD)/tsan/%,$(APP_OBJS))
TSAN_TEST_OBJS := $(patsubst $(BUILD)/obj/%,$(BUILD)/tsan/%,$(TEST_OBJS))

# The sanitizer builds use clang: one ASan+UBSan build whose objects also carry libFuzzer's coverage
# (fuzzer-no-link), so build/unit_tests_asan and the fuzz harnesses share them; and a TSan build of
# the unit tests. mbedTLS stays the gcc-built $(MBEDTLS_LIB) (plain C ABI).
CLANGXX ?= clang++-14
SAN  := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
TSAN := -fsanitize=thread -fno-omit-frame-pointer

# One libFuzzer harness per tests/fuzz/<name>_fuzz.cpp, built into build/fuzz/<name>.
FUZZ_SRCS    := $(wildcard tests/fuzz/*_fuzz.cpp)
FUZZ_NAMES   := $(patsubst tests/fuzz/%_fuzz.cpp,%,$(FUZZ_SRCS))
FUZZ_BINS    := $(addprefix $(BUILD)/fuzz/,$(FUZZ_NAMES))
FUZZ_LIB     := $(BUILD)/asan/libauthemu.a
# The harnesses link an mbedTLS built with their instrumentation (ASan, UBSan and libFuzzer's
# coverage), so what a client's bytes do inside mbedTLS's record, handshake and X.509 parsers is
# explored and checked too; the unit tests keep the gcc-built $(MBEDTLS_LIB).
CLANG             ?= clang-14
ASAN_MBEDTLS_OBJS := $(patsubst $(BUILD)/mbedtls/%,$(BUILD)/asan/mbedtls/%,$(MBEDTLS_OBJS))
ASAN_MBEDTLS_LIB  := $(BUILD)/asan/libmbedtls.a
FUZZ_SECONDS ?= 60

# linux/arm64: the same sources with Debian's cross compiler, mbedTLS from the same source tree in its
# own object folder, yaml-cpp from the arm64 Debian package unpacked into $(ARM)/root (scripts/deps.sh dist).
CROSS    := aarch64-linux-gnu-
ARM      := $(BUILD)/arm64
ARM_INCLUDES     := -isystem $(ARM)/root/usr/include -isystem $(ARM)/include
ARM_APP_OBJS     := $(patsubst $(BUILD)/obj/%,$(ARM)/obj/%,$(APP_OBJS))
ARM_MBEDTLS_OBJS := $(patsubst $(BUILD)/mbedtls/%,$(ARM)/mbedtls/%,$(MBEDTLS_OBJS))
ARM_MBEDTLS_LIB  := $(ARM)/libmbedtls.a
DIST     := $(BUILD)/dist
DIST_BINS := $(DIST)/authemu-linux-amd64 $(DIST)/authemu-linux-arm64

# mbedTLS's library/ folder (its internal headers, not installed) for the C++ files that call an
# internal function through mbedTLS's own declaration, in every build variant; no other file sees it.
MBEDTLS_INTERNAL_USERS := emulator/jose/crypto_rsa_crt
$(foreach v,$(BUILD)/obj $(BUILD)/asan $(BUILD)/tsan $(ARM)/obj,$(addprefix $(v)/,$(addsuffix .o,$(MBEDTLS_INTERNAL_USERS)))): \
  MBEDTLS_INTERNAL := -isystem $(MBEDTLS)/library

.PHONY: all deps run test fuzz format clean bench dist npm wheel release mbedtls-version
all: deps
	@$(MAKE) --no-print-directory -j$(JOBS) $(BUILD)/authemu

deps:
	@scripts/deps.sh build

run: all
	@$(BUILD)/authemu $(ARGS)

test: deps
	@scripts/deps.sh test
	@$(MAKE) --no-print-directory -j$(JOBS) $(BUILD)/authemu $(BUILD)/unit_tests $(BUILD)/unit_tests_asan \
	  $(BUILD)/unit_tests_tsan $(FUZZ_BINS) $(BUILD)/authemu-arm64 $(DIST_BINS)
	@scripts/run_tests.sh

# Each harness for FUZZ_SECONDS, after replaying its saved findings (tests/fuzz/run.sh).
fuzz: deps
	@scripts/deps.sh test
	@$(MAKE) --no-print-directory -j$(JOBS) $(FUZZ_BINS)
	@tests/fuzz/run.sh $(FUZZ_SECONDS)

# Stripped static binaries for linux/amd64 and linux/arm64, as docs/install.md names them.
dist: deps
	@scripts/deps.sh dist
	@$(MAKE) --no-print-directory -j$(JOBS) $(DIST_BINS)
	@ls -l $(DIST)
$(DIST)/authemu-linux-amd64: $(BUILD)/authemu
	@mkdir -p $(@D)
	strip -o $@ $<
$(DIST)/authemu-linux-arm64: $(BUILD)/authemu-arm64
	@mkdir -p $(@D)
	$(CROSS)strip -o $@ $<

# The npm package (build/npm/authemu-<version>.tgz) and the wheels (build/python/), each carrying the
# stripped binaries of dist (scripts/packages/); release: those, the image archive for both
# architectures, SHA256SUMS and an SPDX SBOM in build/release/ (scripts/release.sh), what the
# release workflow (.github/workflows/release.yml) uploads.
npm: dist
	@scripts/deps.sh release
	@scripts/packages/npm_pack.sh
wheel: dist
	@scripts/deps.sh release
	@scripts/packages/python/build_wheels.py
release: dist
	@scripts/deps.sh release
	@scripts/release.sh

bench: all
	@scripts/deps.sh bench
	@scripts/bench.sh

format:
	clang-format -i main.cpp $(foreach d,$(LAYERS),emulator/$(d)/*.h emulator/$(d)/*.cpp) tests/*.cpp tests/*.h

clean:
	rm -rf $(BUILD)/obj $(BUILD)/asan $(BUILD)/tsan $(BUILD)/fuzz $(BUILD)/mbedtls $(BUILD)/gen $(BUILD)/authemu $(BUILD)/unit_tests* $(MBEDTLS_LIB) \
	  $(ARM)/obj $(ARM)/mbedtls $(ARM_MBEDTLS_LIB) $(BUILD)/authemu-arm64 $(DIST) $(BUILD)/npm $(BUILD)/python $(BUILD)/release

# Every object compiled against mbedTLS first checks that the unpacked tree is MBEDTLS_VERSION's.
mbedtls-version:
	@v=$$(sed -n 's/^#define MBEDTLS_VERSION_STRING *"\([^"]*\)".*/\1/p' $(MBEDTLS)/include/mbedtls/build_info.h 2>/dev/null); \
	if [ -z "$$v" ]; then \
	  echo "$(MBEDTLS): no mbedTLS source there for MBEDTLS_VERSION=$(MBEDTLS_VERSION) (scripts/deps.env): run make deps" >&2; exit 1; \
	elif [ "$$v" != "$(MBEDTLS_VERSION)" ]; then \
	  echo "$(MBEDTLS): holds mbedTLS $$v, not MBEDTLS_VERSION=$(MBEDTLS_VERSION) (scripts/deps.env): remove it and run make deps" >&2; exit 1; \
	fi

$(BUILD)/mbedtls/%.o: $(MBEDTLS)/library/%.c $(MBEDTLS_CONFIG) | mbedtls-version
	@mkdir -p $(@D)
	$(CC) $(MBEDTLS_CFLAGS) -c $< -o $@
$(BUILD)/mbedtls/%.o: $(EVEREST)/library/%.c $(MBEDTLS_CONFIG) | mbedtls-version
	@mkdir -p $(@D)
	$(CC) $(MBEDTLS_CFLAGS) -c $< -o $@

$(MBEDTLS_LIB): $(MBEDTLS_OBJS) | mbedtls-version
	@rm -f $@
	ar rcs $@ $^

$(GEN_SRC): $(FIXTURES) scripts/embed.sh $(BUILD)/yaml_nodes
	@mkdir -p $(@D)
	YAML_NODES=$(BUILD)/yaml_nodes scripts/embed.sh $(FIXTURES) > $@.tmp && mv $@.tmp $@

# A build helper that runs on this machine (also when cross-building for arm64).
$(BUILD)/yaml_nodes: scripts/yaml_nodes.cpp emulator/stack/node_stream.cpp emulator/stack/node_stream.h
	@mkdir -p $(@D)
	$(CXX) -std=c++17 $(WARN) -Iemulator -O2 -o $@ scripts/yaml_nodes.cpp emulator/stack/node_stream.cpp -lyaml-cpp

$(BUILD)/obj/%.o: %.cpp $(MBEDTLS_CONFIG) | mbedtls-version
	@mkdir -p $(@D)
	$(CXX) $(CXXFLAGS_BASE) $(MBEDTLS_DEFS) $(MBEDTLS_INTERNAL) $(OPT) -c $< -o $@
$(BUILD)/obj/gen/%.o: $(BUILD)/gen/%.cpp
	@mkdir -p $(@D)
	$(CXX) $(CXXFLAGS_BASE) $(OPT) -c $< -o $@
# cpp-httplib's base64_encode shifts a signed int past its range (defined in C++20, not in C++17):
# shift-base is left unchecked in the files that run it (server, HTTP tests, admin client), checked everywhere else.
$(BUILD)/asan/emulator/http/http_server.o $(BUILD)/asan/tests/http_server_test.o $(BUILD)/asan/emulator/cli/admin_client.o \
  $(BUILD)/asan/tests/admin_api_test.o $(BUILD)/asan/tests/connection_test.o: SAN_EXTRA := -fno-sanitize=shift-base
$(BUILD)/asan/%.o: %.cpp $(MBEDTLS_CONFIG) | mbedtls-version
	@mkdir -p $(@D)
	$(CLANGXX) $(CXXFLAGS_BASE) $(MBEDTLS_DEFS) $(MBEDTLS_INTERNAL) -O1 -g $(SAN) -fsanitize=fuzzer-no-link $(SAN_EXTRA) -c $< -o $@
$(BUILD)/asan/gen/%.o: $(BUILD)/gen/%.cpp
	@mkdir -p $(@D)
	$(CLANGXX) $(CXXFLAGS_BASE) -O1 $(SAN) -c $< -o $@
$(BUILD)/tsan/%.o: %.cpp $(MBEDTLS_CONFIG) | mbedtls-version
	@mkdir -p $(@D)
	$(CLANGXX) $(CXXFLAGS_BASE) $(MBEDTLS_DEFS) $(MBEDTLS_INTERNAL) -O1 -g $(TSAN) -c $< -o $@
$(BUILD)/tsan/gen/%.o: $(BUILD)/gen/%.cpp
	@mkdir -p $(@D)
	$(CLANGXX) $(CXXFLAGS_BASE) -O1 $(TSAN) -c $< -o $@

$(BUILD)/authemu: $(BUILD)/obj/main.o $(APP_OBJS) $(MBEDTLS_LIB)
	$(CXX) -static -o $@ $(BUILD)/obj/main.o $(APP_OBJS) $(MBEDTLS_LIB) $(LIBS)

$(ARM)/mbedtls/%.o: $(MBEDTLS)/library/%.c $(MBEDTLS_CONFIG) | mbedtls-version
	@mkdir -p $(@D)
	$(CROSS)gcc $(MBEDTLS_CFLAGS) -c $< -o $@
$(ARM)/mbedtls/%.o: $(EVEREST)/library/%.c $(MBEDTLS_CONFIG) | mbedtls-version
	@mkdir -p $(@D)
	$(CROSS)gcc $(MBEDTLS_CFLAGS) -c $< -o $@
$(ARM_MBEDTLS_LIB): $(ARM_MBEDTLS_OBJS) | mbedtls-version
	@rm -f $@
	$(CROSS)ar rcs $@ $^
$(ARM)/obj/%.o: %.cpp $(MBEDTLS_CONFIG) | mbedtls-version
	@mkdir -p $(@D)
	$(CROSS)g++ $(CXXFLAGS_BASE) $(ARM_INCLUDES) $(MBEDTLS_DEFS) $(MBEDTLS_INTERNAL) $(OPT) -c $< -o $@
$(ARM)/obj/gen/%.o: $(BUILD)/gen/%.cpp
	@mkdir -p $(@D)
	$(CROSS)g++ $(CXXFLAGS_BASE) $(OPT) -c $< -o $@
$(BUILD)/authemu-arm64: $(ARM)/obj/main.o $(ARM_APP_OBJS) $(ARM_MBEDTLS_LIB)
	$(CROSS)g++ -static -o $@ $(ARM)/obj/main.o $(ARM_APP_OBJS) $(ARM_MBEDTLS_LIB) -L$(ARM)/root/usr/lib/aarch64-linux-gnu $(LIBS)

$(BUILD)/unit_tests: $(TEST_OBJS) $(APP_OBJS) $(MBEDTLS_LIB)
	$(CXX) -o $@ $^ $(LIBS)

$(BUILD)/unit_tests_asan: $(ASAN_TEST_OBJS) $(ASAN_APP_OBJS) $(MBEDTLS_LIB)
	$(CLANGXX) $(SAN) -o $@ $^ $(LIBS)

$(BUILD)/unit_tests_tsan: $(TSAN_TEST_OBJS) $(TSAN_APP_OBJS) $(MBEDTLS_LIB)
	$(CLANGXX) $(TSAN) -o $@ $^ $(LIBS)

# The harnesses take what they use from an archive of the instrumented objects.
$(FUZZ_LIB): $(ASAN_APP_OBJS)
	@rm -f $@
	ar rcs $@ $^
# The harness objects are kept (make would delete them as intermediates and rebuild them each run).
.SECONDARY: $(patsubst %,$(BUILD)/asan/tests/fuzz/%_fuzz.o,$(FUZZ_NAMES))
$(ASAN_MBEDTLS_LIB): $(ASAN_MBEDTLS_OBJS)
	@rm -f $@
	ar rcs $@ $^
# mbedTLS 3.6's x509_name_cmp hands memcmp a NULL pointer with length 0 for a certificate whose
# subject and issuer are both empty: undefined by the letter of C, a no-op in every libc. A TLS client
# can send one now that the listeners read client certificates (found by tests/fuzz/tls, kept as its
# finding empty-names-certificate): nonnull-attribute is left unchecked in that one file.
$(BUILD)/asan/mbedtls/x509_crt.o: SAN_EXTRA := -fno-sanitize=nonnull-attribute
$(BUILD)/asan/mbedtls/%.o: $(MBEDTLS)/library/%.c $(MBEDTLS_CONFIG) | mbedtls-version
	@mkdir -p $(@D)
	$(CLANG) $(MBEDTLS_C) -O1 -g $(SAN) -fsanitize=fuzzer-no-link $(SAN_EXTRA) -c $< -o $@
$(BUILD)/asan/mbedtls/%.o: $(EVEREST)/library/%.c $(MBEDTLS_CONFIG) | mbedtls-version
	@mkdir -p $(@D)
	$(CLANG) $(MBEDTLS_C) -O1 -g $(SAN) -fsanitize=fuzzer-no-link -c $< -o $@
$(BUILD)/fuzz/%: $(BUILD)/asan/tests/fuzz/%_fuzz.o $(FUZZ_LIB) $(ASAN_MBEDTLS_LIB)
	@mkdir -p $(@D)
	$(CLANGXX) $(SAN) -fsanitize=fuzzer -o $@ $^ $(LIBS)

-include $(shell find $(BUILD)/obj $(BUILD)/asan $(BUILD)/tsan $(ARM)/obj -name '*.d' 2>/dev/null)
