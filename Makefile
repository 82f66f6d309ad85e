# Skaraborgskartan — build, test and bench entry points.
# Logic lives in scripts (tools/, benches/, .ci/); recipes stay short.

CARGO ?= cargo
# The dev-profile binary: `check` reuses what `make test` has built.
SKK := $(CARGO) run --quiet --

.PHONY: all run test soak check data-check lint fmt bench deps

all: test

## run: build and serve the shipped data (prints the address; SKK_ADDR/SKK_DATA/SKK_REGION apply)
run:
	tools/deps.sh web
	$(CARGO) run --release -- serve

## test: install what a fresh machine needs, then run every test target
test:
	tools/deps.sh web test
	$(CARGO) test --all-targets

## soak: the durability test at length: 100 SIGKILLs of a server under edits (make test has 20)
soak:
	SKK_KILLS=100 $(CARGO) test --test durability -- --nocapture

## check: validate the shipped data and the example data, per region
check:
	$(SKK) check geodata
	$(SKK) check geodata --region sverige
	$(SKK) check geodata/example
	$(SKK) check geodata/example --region sverige

## data-check: tools/make_example_data.py still makes exactly the committed geodata/example/
data-check:
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	python3 tools/make_example_data.py --out "$$tmp" >/dev/null && \
	diff -r "$$tmp" geodata/example && echo "data-check: geodata/example/ is up to date"

## lint: formatting and clippy, warnings are errors
lint:
	tools/deps.sh lint
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --all-targets -- -D warnings

## fmt: format the code
fmt:
	$(CARGO) fmt --all

## bench: the load harness (benches/load.rs: each figure next to a peer), then every other
## bench in benches/ (criterion micro-benches), if any
bench:
	tools/deps.sh web bench
	$(CARGO) bench --bench load
	for f in benches/*.rs; do n=$$(basename "$$f" .rs); \
	  [ "$$n" = load ] || $(CARGO) bench --bench "$$n" || exit 1; done

## deps: install everything test, lint and bench need
deps:
	tools/deps.sh web test lint bench
