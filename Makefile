# Security Info. `make run` and `make test` set up everything they need.
GO       ?= go
BIN      := securityinfo
FYNE     := $(CURDIR)/build/bin/fyne
export CGO_ENABLED := 1
# Fyne logs an error for the C locale; tests and the app read English anyway.
export LANG := en_US.UTF-8

.PHONY: run test build deps test-deps unit keyring-test e2e lint package bench clean

run: deps build
	scripts/run.sh ./$(BIN) $(ARGS)

build:
	$(GO) build -o $(BIN) .

deps:
	scripts/deps.sh run

test-deps:
	scripts/deps.sh test

# Every test: formatting and vet, unit and headless UI tests, the storage
# tests against a real GNOME Keyring, and the real window under Xvfb.
test: test-deps lint unit keyring-test e2e

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt needed: $$out"; exit 1; fi
	$(GO) vet ./...

# The wizard and the UI run under the race detector (their background work
# runs inline in tests, so -race sees every access); the rest without it.
unit:
	$(GO) test -count=1 $$($(GO) list ./... | grep -v -e '/wizard' -e '/ui$$')
	$(GO) test -count=1 -race ./wizard/... ./ui/...

keyring-test:
	storage/testdata/with-keyring.sh $(GO) test -count=1 -run Real ./storage/

e2e: build
	storage/testdata/with-keyring.sh $(GO) test -count=1 -tags e2e -v -timeout 10m ./e2e/

# Start-up, memory, responsiveness and scale against a plain Fyne window:
# prints one table and writes bench/RESULTS.md (about 2–3 minutes).
bench: test-deps
	bench/run.sh

package: deps
	@test -x $(FYNE) || GOBIN=$(CURDIR)/build/bin $(GO) install fyne.io/tools/cmd/fyne@v1.7.4
	$(FYNE) package -os linux --release
	@ls -l *.tar.xz

clean:
	rm -rf $(BIN) build test-artifacts *.tar.xz
