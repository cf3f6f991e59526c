# The one test command is `make test`: it needs Java 17+ and Maven (scripts/kafka.sh install
# fetches them with apt-get when missing, with kcat and wrk), about 108 MB of broker jars cached
# after the first run, Chromium for the status page's browser test (scripts/chromium.sh) and
# promtool for the alert rules' unit tests (scripts/promtool.sh, from Debian's prometheus package).

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
# A fresh shell (CI) may not have the Go toolchain on PATH yet.
export PATH := $(PATH):/usr/local/go/bin

GO ?= go
FUZZTIME ?= 10s
BENCHTIME ?= 1s
BIN ?= bin/wirestream
DEMO_ARGS ?=

.PHONY: demo demo-check test test-unit build fuzz bench lint eval kafka-start kafka-stop

## demo: the main job on a fresh machine: demo feeds + the embedded in-memory broker, no network.
## Builds $(BIN) first (saying how many packages it compiles: all on a first build, minutes; none
## once they are in Go's build cache, seconds — scripts/demo-build.sh), then runs it; Ctrl-C stops it
## cleanly and make reports no error. Each demo starts from empty state; DEMO_ARGS adds flags to
## `run --demo` (DEMO_ARGS="--data-dir data" keeps the state). DEMO_KAFKA and DEMO_LISTEN move
## the embedded broker and the ops listener (DEMO_KAFKA=127.0.0.1:29092 DEMO_LISTEN=127.0.0.1:29464
## make demo), through a small config file written beside $(BIN); DEMO_ARGS="--config F" instead
## (not both: make demo refuses the pair, since run reads one --config).
## KAFKA_PORT (make test's and make kafka-start's broker) does not move it: make demo says so
## (unless DEMO_KAFKA or a DEMO_ARGS --config chose the demo's ports).
demo:
	@if [ -n "$(DEMO_KAFKA)$(DEMO_LISTEN)" ] && [ -n "$(findstring config,$(DEMO_ARGS))" ]; then \
		echo "make demo: DEMO_KAFKA and DEMO_LISTEN move the ports through a --config file of make demo's own, and DEMO_ARGS gives another: run reads only one; set listen and embedded.addr in yours instead" >&2; \
		exit 2; \
	fi
	@GO="$(GO)" scripts/demo-build.sh $(BIN) ./cmd/wirestream
	@if [ -n "$(KAFKA_PORT)" ] && [ -z "$(DEMO_KAFKA)$(findstring config,$(DEMO_ARGS))" ]; then \
		echo "make demo: KAFKA_PORT moves the broker of make test and make kafka-start, not the demo's (127.0.0.1:9092): DEMO_KAFKA=127.0.0.1:$(KAFKA_PORT) DEMO_LISTEN=127.0.0.1:29464 make demo moves the demo's broker and ops listener"; \
	fi
	@if [ -n "$(DEMO_KAFKA)$(DEMO_LISTEN)" ]; then \
		printf 'listen: "%s"\nembedded:\n  addr: "%s"\n' "$(or $(DEMO_LISTEN),127.0.0.1:9464)" "$(or $(DEMO_KAFKA),127.0.0.1:9092)" > $(BIN).ports.yaml; \
		echo "make demo: starting $(BIN) run --demo --config $(BIN).ports.yaml $(DEMO_ARGS) (Ctrl-C stops it)"; \
		exec $(BIN) run --demo --config $(BIN).ports.yaml $(DEMO_ARGS); \
	fi; \
	echo "make demo: starting $(BIN) run --demo $(DEMO_ARGS) (Ctrl-C stops it)"; \
	exec $(BIN) run --demo $(DEMO_ARGS)

## demo-check: a fresh clone of this repository through `make demo` twice, each stopped with
## Ctrl-C; reports the stories and events of each run (scripts/demo-check.sh)
demo-check:
	scripts/demo-check.sh

## eval: dedupe and event-clustering scores on ../shared/data
eval:
	$(GO) run ./cmd/wirestream eval all

## test: every test, integration tests against a real Kafka broker started and stopped here
test:
	scripts/test.sh

## test-unit: tests that need no broker (integration tests skip, by -short)
test-unit:
	env -u KAFKA_BROKERS -u KAFKA_CONTROL $(GO) test -race -count=1 -short ./...

build:
	$(GO) build -o $(BIN) ./cmd/wirestream

## fuzz: each fuzz target for FUZZTIME; minimization is capped because the default (60 s per new input) looks like a hang on large feed seeds
fuzz:
	@for pkg in $$($(GO) list -f '{{if or .TestGoFiles .XTestGoFiles}}{{.ImportPath}}{{end}}' ./...); do \
		for target in $$($(GO) test -list '^Fuzz' "$$pkg" | grep '^Fuzz' || true); do \
			echo "== $$pkg $$target"; \
			$(GO) test -run '^$$' -fuzz "^$$target$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 3s "$$pkg"; \
		done; \
	done

bench:
	$(GO) test -run '^$$' -bench . -benchmem -benchtime $(BENCHTIME) ./...

lint:
	@unformatted=$$(find . -name '*.go' -not -path './.git/*' -not -path '*/testdata/*' -print0 | xargs -0r gofmt -l); \
	if [ -n "$$unformatted" ]; then echo "gofmt -l:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	@# Second opinions on deploy/ when the Debian tools are present; `go test ./deploy` is the required check.
	@if command -v yamllint >/dev/null; then yamllint -c deploy/.yamllint.yaml deploy; else echo "lint: yamllint not installed (apt-get install yamllint): skipped"; fi
	@if promtool=$$(scripts/promtool.sh path); then "$$promtool" check rules deploy/prometheus/alerts.yml && (cd deploy/prometheus && "$$promtool" test rules promtool_tests.yml); else echo "lint: no promtool (scripts/promtool.sh install): skipped"; fi

## kafka-start / kafka-stop: a broker for working by hand (eval "export $$(make -s kafka-start)")
kafka-start:
	@scripts/kafka.sh install && scripts/kafka.sh start

kafka-stop:
	@scripts/kafka.sh stop
