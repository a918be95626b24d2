#!/usr/bin/env bash
# The whole test suite: lint, types, a real PostgreSQL server, pytest, and Assay auditing itself.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin

echo "== ruff"
$BIN/ruff check src tests benchmarks
$BIN/ruff format --check src tests benchmarks

echo "== mypy (strict)"
$BIN/mypy

echo "== PostgreSQL for the store tests"
ASSAY_TEST_PG_URL="$(bash .ci/postgres.sh | tail -n 1)"
export ASSAY_TEST_PG_URL
# The throwaway server trusts every local connection: never leave it running.
trap 'bash .ci/postgres.sh stop' EXIT

echo "== analyzers the tests run (semgrep, in its own venv)"
ASSAY_TEST_TOOLS="$(bash .ci/tools.sh | tail -n 1)"
export ASSAY_TEST_TOOLS

echo "== pytest"
$BIN/pytest -n 2 -q

echo "== Assay audits its own repository"
selfaudit_home="$(mktemp -d)"
ASSAY_HOME="$selfaudit_home" ASSAY_CACHE_DIR="$selfaudit_home/cache" $BIN/assay audit .
