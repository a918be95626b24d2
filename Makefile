# Two commands set everything up on a fresh machine (Python >= 3.11 and git needed):
#   make demo   installs Assay (with its Python analyzers) in .venv and audits a sample
#               portfolio into the default store
#   make test   installs the development tools and runs the whole test suite (what CI runs)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test lint typecheck selfaudit bench lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml requirements-lock.txt
	$(BIN)/pip install --quiet -c requirements-lock.txt -e '.[python]'
	touch $@

$(VENV)/.installed-dev: $(BIN)/python pyproject.toml requirements-lock.txt
	$(BIN)/pip install --quiet -c requirements-lock.txt -e '.[dev]'
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

# Re-resolve the newest allowed versions and pin them (needs the package registry).
lock:
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet -e '.[dev]'
	{ head -n 2 requirements-lock.txt; .lock-venv/bin/pip freeze --exclude-editable | grep -v '^-e'; } > requirements-lock.new
	mv requirements-lock.new requirements-lock.txt
	rm -rf .lock-venv

clean:
	rm -rf $(VENV) .demo .assay .pytest_cache .mypy_cache .ruff_cache
