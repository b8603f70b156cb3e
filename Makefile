# Two commands on a fresh machine:  `make demo`  and  `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_ARGS ?= --force
# `cttk system` installs Chromium, bubblewrap and PostgreSQL with apt-get when it may (root, or sudo
# without a password) and otherwise prints what is missing and the command; CI adds --strict.
SYSTEM_ARGS ?= --install

.PHONY: install system-demo system-test demo test test-fast lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test,browser,postgres]"
	touch $(STAMP)

install: $(STAMP)

system-demo: $(STAMP)
	$(BIN)/cttk system --for demo $(SYSTEM_ARGS)

system-test: $(STAMP)
	$(BIN)/cttk system --for test $(SYSTEM_ARGS)

demo: $(STAMP) system-demo
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/cttk demo $(DEMO_ARGS)

# pure Python: no kernels, nbgrader runs, browser or database (a few seconds)
test-fast: $(STAMP)
	$(BIN)/pytest -m "not slow and not browser and not postgres"

# everything; the source notebooks run once, under nbval, and every grade cell must earn full marks;
# tests needing a missing system package are skipped, with one line each at the end
test: $(STAMP) system-test
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/pytest
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/pytest --nbval-lax -p no:cacheprovider -p tests.support.nbval_grades source

lint: $(STAMP)
	$(BIN)/ruff check toolkit tests benchmarks
	$(BIN)/ruff format --check toolkit tests benchmarks
	$(BIN)/mypy

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache .mypy_cache
