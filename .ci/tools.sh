#!/usr/bin/env bash
# Analyzers the tests run for real but Assay does not depend on, each in a venv of its
# own (their pins must not meet ours). Prints the folder holding their executables.
set -euo pipefail
cd "$(dirname "$0")/.."
TOOLS=.venv-tools
SEMGREP_VERSION="${SEMGREP_VERSION:-1.185.0}"

if [ ! -x "$TOOLS/semgrep/bin/semgrep" ]; then
  python3 -m venv "$TOOLS/semgrep" >&2
  "$TOOLS/semgrep/bin/python" -m pip install --quiet "semgrep==$SEMGREP_VERSION" >&2
fi
mkdir -p "$TOOLS/bin"
ln -sf "../semgrep/bin/semgrep" "$TOOLS/bin/semgrep"
echo "$PWD/$TOOLS/bin"
