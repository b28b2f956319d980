# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-servers lint format typecheck check bench bench-large clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/newsreader $(ARGS)

test: $(STAMP)
	$(BIN)/python -m pytest -m "not servers" $(PYTEST_ARGS)

# Tests against real programs from system packages (an aggregator server, newsboat). The
# script installs them when it can (root and apt-get) and names what is missing otherwise.
test-servers: $(STAMP)
	scripts/install-system-packages
	$(BIN)/python -m pytest -m servers $(PYTEST_ARGS); status=$$?; \
		if [ $$status -eq 5 ]; then echo "no server tests are collected yet"; status=0; fi; \
		exit $$status

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

typecheck: $(STAMP)
	$(BIN)/mypy

check: lint typecheck test

# Every benchmark, written up as docs/benchmarks.md. Installs newsboat to compare against
# when apt-get is at hand and it is missing.
bench: $(STAMP)
	@command -v newsboat >/dev/null || (command -v apt-get >/dev/null && \
		apt-get install -y -qq newsboat >/dev/null 2>&1) || \
		echo "newsboat is not installed: the refresh comparison is left out"
	$(BIN)/python -m bench --output docs/benchmarks.md

# A million articles (bench/large.py): minutes, and a store of about 3 GB built once under
# bench/results/ (gitignored). Not part of `make bench` or CI; replaces only its own
# section of docs/benchmarks.md.
bench-large: $(STAMP)
	$(BIN)/python -m bench --large --output docs/benchmarks.md

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache .cache
