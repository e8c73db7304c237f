#!/usr/bin/env bash
# Set up committee-kg on a fresh Debian machine with Python 3.11: a virtualenv in .venv with
# the project and its test tools. Sourced by demo.sh and test.sh; safe to run twice.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[test]'
