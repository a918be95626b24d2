# Two commands set everything up on a fresh machine (Python >= 3.11 and git needed):
#   make demo   installs Assay in .venv and audits a sample portfolio into the default store
#   make test   installs the development tools and runs the whole test suite (what CI runs)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test lint typecheck unit selfaudit bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

demo: $(VENV)/.installed
	$(BIN)/assay demo --dir .demo

test: $(VENV)/.installed-dev
	bash .ci/test.sh

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy

selfaudit: $(VENV)/.installed
	$(BIN)/assay audit . --db sqlite:///$(CURDIR)/.assay/selfaudit.sqlite3

bench: $(VENV)/.installed
	$(BIN)/python benchmarks/bench_audit.py

clean:
	rm -rf $(VENV) .demo .assay .pytest_cache .mypy_cache .ruff_cache
