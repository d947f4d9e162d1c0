# orgkg — the two commands that matter: `make run` and `make test` (both set everything up first).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STORE  ?= build/store
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: install java web-assets run build serve test shacl-report lint format clean virtuoso virtuoso-install virtuoso-stop web-test-deps

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Re-install when the project's dependencies change.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

# Java runs the HermiT reasoner bundled with owlready2 (ontology consistency tests).
java:
	@command -v java >/dev/null 2>&1 || { \
	  echo "installing a Java runtime for HermiT"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null; }

install: $(VENV)/.installed java web-assets

# The SPARQL editor of /ui/sparql (YASGUI: Yasqe editor + Yasr results), vendored from npm at build time into
# api/web/static/vendor/ (built output, git-ignored; served from /ui/static/vendor/, no CDN). Exact version
# pinned; done once per version (~5 s). If npm or the registry is unreachable: a warning, and /ui/sparql keeps
# its plain <textarea> form.
YASGUI_VERSION := 4.6.2
WEB_VENDOR     := api/web/static/vendor

web-assets: $(WEB_VENDOR)/.yasgui-$(YASGUI_VERSION)

$(WEB_VENDOR)/.yasgui-$(YASGUI_VERSION):
	@if command -v npm >/dev/null 2>&1 && timeout 120 npm install --prefix build/npm @zazuko/yasgui@$(YASGUI_VERSION) \
	      --save-exact --ignore-scripts --no-audit --no-fund --fetch-retries=1 --loglevel=error \
	    && test "$$(node -p 'require("./build/npm/node_modules/@zazuko/yasgui/package.json").version' 2>/dev/null)" = $(YASGUI_VERSION); then \
	  mkdir -p $(WEB_VENDOR) && rm -f $(WEB_VENDOR)/.yasgui-* \
	  && cp build/npm/node_modules/@zazuko/yasgui/build/yasgui.min.js build/npm/node_modules/@zazuko/yasgui/build/yasgui.min.css $(WEB_VENDOR)/ \
	  && touch $@ && echo "vendored @zazuko/yasgui@$(YASGUI_VERSION) into $(WEB_VENDOR)"; \
	else echo "warning: could not vendor @zazuko/yasgui@$(YASGUI_VERSION) from npm; /ui/sparql falls back to a plain textarea"; fi

build: install
	$(BIN)/orgkg build data --store $(STORE)

serve: install
	$(BIN)/orgkg serve --store $(STORE) --host $(HOST) --port $(PORT)

run: build serve

lint: install
	$(BIN)/ruff check orgkg api tests bench
	$(BIN)/ruff format --check orgkg api tests bench
	$(BIN)/mypy

format: install
	$(BIN)/ruff format orgkg api tests bench
	$(BIN)/ruff check --fix orgkg api tests bench

# schemathesis fuzzes every API operation inside pytest (tests/test_api_schema.py), bounded per operation.
API_FUZZ_EXAMPLES ?= 25

test: install lint virtuoso-install web-test-deps
	ORGKG_API_FUZZ_EXAMPLES=$(API_FUZZ_EXAMPLES) $(BIN)/pytest
	$(MAKE) --no-print-directory shacl-report

# Build the seed graph as CI sees it: prints the SHACL summary, writes the full report (text and W3C Turtle)
# under build/reports, and fails on any violation (orgkg build refuses to store a graph with violations); then
# validates the store built, in place, with the ontology consistency check (HermiT) too, its JUnit report beside.
shacl-report: install
	$(BIN)/orgkg build data --strict --store build/ci-store --reports build/reports --quiet
	@head -1 build/reports/validation.txt
	$(BIN)/orgkg validate --store build/ci-store --reasoner --format junit > build/reports/validation.junit.xml

# A throwaway Virtuoso 7 on loopback, to try the remote store (orgkg … --endpoint URL): a fresh database under
# $(VIRTUOSO_DIR), free ports, a loader account whose credentials land in $(VIRTUOSO_DIR)/credentials.env;
# the last line printed is the SPARQL query endpoint. tests/test_remote_store.py starts its own the same way.
VIRTUOSO_DIR ?= build/virtuoso

virtuoso:
	@bash scripts/virtuoso.sh start $(VIRTUOSO_DIR)

virtuoso-stop:
	@bash scripts/virtuoso.sh stop $(VIRTUOSO_DIR)

# Installed once, for the remote-store tests only; if apt cannot install it, those tests skip and say why.
virtuoso-install:
	@bash scripts/virtuoso.sh install || echo "warning: virtuoso-opensource-7 is not installed; the remote-store tests will skip"

# Headless Chromium, its driver and a CJK font (screenshots) for the browser test (tests/test_web_e2e.py, Selenium); apt only if missing.
# If apt cannot install them, that test skips and says why.
web-test-deps:
	@command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1 && fc-list :lang=zh | grep -q . || { \
	  echo "installing chromium, chromium-driver and a Chinese font for the browser test"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver fonts-wqy-zenhei >/dev/null; } \
	  || echo "warning: chromium/chromium-driver are not installed; the browser test will skip"

clean:
	@bash scripts/virtuoso.sh stop $(VIRTUOSO_DIR) 2>/dev/null || true  # its database lives under build/
	rm -rf build .pytest_cache .mypy_cache .ruff_cache

# Benchmarks (bench/run.py): synthetic corpus at ≈10^4–10^5 triples (add BENCH_ARGS=--large for ≈10^6); writes
# bench/results/<date>.json and docs/benchmarks.md. The `bench` extra brings matplotlib (the plot) and pyrudof
# (a Rust SHACL engine, a comparison point); wrk (the load generator) and Virtuoso (the remote-store comparison)
# come from apt when missing. Whatever cannot be installed is reported as not measured, never guessed.
BENCH_ARGS ?=
.PHONY: bench bench-deps
bench-deps: $(VENV)/.installed virtuoso-install
	$(BIN)/pip install --quiet -e '.[bench]' || echo "warning: could not install the bench extra (matplotlib, pyrudof)"
	@command -v wrk >/dev/null 2>&1 || { \
	  echo "installing wrk (HTTP load generator) for the serving benchmark"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; } \
	  || echo "warning: wrk is not installed; the serving benchmark will report it as not measured"

bench: bench-deps
	$(BIN)/python -m bench.run $(BENCH_ARGS)
