# Security Info. `make run` and `make test` set up everything they need.
GO       ?= go
BIN      := securityinfo
FYNE     := $(CURDIR)/build/bin/fyne
export CGO_ENABLED := 1
# Fyne logs an error for the C locale; tests and the app read English anyway.
export LANG := en_US.UTF-8
# Build tags of every build and test. no_emoji: Fyne leaves out its colour
# emoji font (4 MB), which it would otherwise parse again for every text
# style before the first frame; the app shows no emoji, and the symbols it
# does show (✓ ● ○ •) are not in that font anyway (bench/README.md).
# no_animations: the text caret is steady instead of fading in and out;
# each fade repainted the whole window at 60 frames a second, an idle
# window's CPU 6.4% of a core instead of 1.6% under software rendering
# (Fyne's button and tab animations go too; progress spinners stay).
TAGS     := no_emoji,no_animations

.PHONY: run test build deps test-deps unit unit-plain unit-race unit-phonenumbers keyring-test e2e lint package bench bench-deps clean demo-directory mutate fuzz

# The built-in demo, unless ARGS names a policy (--policy FILE).
run: deps build
	scripts/run.sh ./$(BIN) $(if $(findstring --policy,$(ARGS)),,--demo) $(ARGS)

# The first build compiles go-gl's C code for minutes: first-build.sh says
# so and shows progress.
build:
	scripts/first-build.sh $(GO) build -tags $(TAGS) -o $(BIN) .

deps:
	scripts/deps.sh run

# The app against a throwaway OpenLDAP directory on a loopback port, with
# demo people (assets/directory/README.md); removed when the app closes.
demo-directory: build
	scripts/deps.sh directory
	scripts/demo-directory.sh ./$(BIN) $(ARGS)

test-deps:
	scripts/deps.sh test

# Every test: formatting and vet, unit and headless UI tests, the storage
# tests against a real GNOME Keyring, and the real window under Xvfb.
# After lint the rest run side by side (each has its own keyring session,
# X servers, data dirs and ports): the real-window tests mostly wait
# while the race-detector runs keep the cores busy. The unit tests run
# niced, so that the windows, which a person's pace is timed against,
# get the CPU first. Each step's output is printed whole once it ends;
# make fails if any of them fails.
TEST_JOBS ?= 5

test: test-deps lint
	@$(MAKE) --no-print-directory -j$(TEST_JOBS) --output-sync=target UNIT_NICE="nice -n 10" \
	  e2e unit-race unit-plain unit-phonenumbers keyring-test

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt needed: $$out"; exit 1; fi
	$(GO) vet -tags $(TAGS) ./...
	$(GO) vet -tags fido2soft,$(TAGS) ./...

# The directory tests run a real slapd: under make test a missing one fails.
# fido2soft: libfido2 talks to a software security key in the tests
# (wizard/securitykey/softkey); the app's build has no such key. The wizard
# and the UI run under the race detector (their background work runs
# inline in tests, so -race sees every access); the rest without it.
# ./ui/... is named first: go test starts packages in the order named, and
# the UI's is the longest run of the whole make test (about 85 s of CPU
# under -race; the others together a fraction of that).
# internal/phonenumbers (a module of its own, which ./... does not reach):
# the phone number library, loading its metadata on first use.
unit: unit-plain unit-race unit-phonenumbers

unit-plain:
	SECURITYINFO_REQUIRE_SLAPD=1 $(UNIT_NICE) $(GO) test -tags fido2soft,$(TAGS) -count=1 $$($(GO) list ./... | grep -v -e '/wizard' -e '/ui$$')

unit-race:
	$(UNIT_NICE) $(GO) test -tags fido2soft,$(TAGS) -count=1 -race ./ui/... ./wizard/...

unit-phonenumbers:
	cd internal/phonenumbers && $(UNIT_NICE) $(GO) test -count=1 -race .

keyring-test:
	storage/testdata/with-keyring.sh $(GO) test -tags $(TAGS) -count=1 -run Real ./storage/

# The real-window tests run side by side, each on an X server, HOME and
# data dir of its own (they mostly wait: for the window, for timers and
# for the authenticator app's next 30 s step), E2E_PARALLEL at a time;
# they use the binary make build has just built.
E2E_PARALLEL ?= 6

e2e: build
	SECURITYINFO_REQUIRE_SLAPD=1 TAGS=$(TAGS) SECURITYINFO_E2E_BINARY=$(CURDIR)/$(BIN) storage/testdata/with-keyring.sh \
	  $(GO) test -count=1 -tags e2e,$(TAGS) -v -parallel $(E2E_PARALLEL) -timeout 10m ./e2e/

# First frame and memory against plain Fyne windows, the directory backend
# at 10 and 100,000 people, admin commands on large data dirs: prints one
# table and writes bench/RESULTS.md (bench/README.md).
BENCHSTAT := $(CURDIR)/build/bin/benchstat
BENCHSTAT_VERSION := v0.0.0-20260908200009-22c9c6c9d4da

bench: bench-deps
	BENCHSTAT=$(BENCHSTAT) TAGS=$(TAGS) bench/run.sh

bench-deps:
	scripts/deps.sh bench
	@$(GO) version -m $(BENCHSTAT) 2>/dev/null | grep -q $(BENCHSTAT_VERSION) || \
	  GOBIN=$(CURDIR)/build/bin $(GO) install golang.org/x/perf/cmd/benchstat@$(BENCHSTAT_VERSION)

# Mutation testing of the rules with gremlins, package by package, niced,
# one worker (scripts/mutate.sh says what is left out and why); prints
# each package's score, the survivors and the total. MUTATE_PKGS picks
# packages. The score and survivors are kept in bench/RESULTS.md.
GREMLINS := $(CURDIR)/build/bin/gremlins
GREMLINS_VERSION := v0.6.0

mutate:
	@$(GO) version -m $(GREMLINS) 2>/dev/null | grep -q "gremlins.*$(GREMLINS_VERSION)" || \
	  GOBIN=$(CURDIR)/build/bin $(GO) install github.com/go-gremlins/gremlins/cmd/gremlins@$(GREMLINS_VERSION)
	GREMLINS=$(GREMLINS) scripts/mutate.sh

# Every fuzz target for FUZZTIME each (their seed corpora run in make unit);
# prints each target's executions; fails on a crasher (kept in testdata/fuzz).
FUZZTIME ?= 60s

fuzz:
	FUZZTIME=$(FUZZTIME) scripts/fuzz.sh

# securityinfo-VERSION-linux-ARCH.tar.xz, built outside the tree (which
# stays clean), with the AppStream metainfo file (scripts/package.sh).
package: deps
	@test -x $(FYNE) || GOBIN=$(CURDIR)/build/bin $(GO) install fyne.io/tools/cmd/fyne@v1.7.4
	TAGS=$(TAGS) scripts/package.sh $(FYNE)

clean:
	rm -rf $(BIN) build test-artifacts *.tar.xz
