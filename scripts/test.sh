#!/usr/bin/env bash
# Set everything up and run the whole test suite: lint, format check, pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
# the editor's browser test drives Debian's Chromium (with CJK fonts for the Japanese page);
# the PDF producer tests print minutes with it and with cairo (pango-view, pango1.0-tools);
# CI runs this as root on Debian, so it can install them when they are missing
if ! command -v chromium >/dev/null 2>&1 || ! command -v pango-view >/dev/null 2>&1 \
  || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk pango1.0-tools \
      >/dev/null
  else
    echo "note: chromium, pango1.0-tools or fonts-noto-cjk are missing; the tests that" \
      "need them will be skipped" >&2
  fi
fi
# the scale-out tests start Virtuoso (Debian's virtuoso-opensource-7-bin) as a SPARQL server
if ! command -v virtuoso-t >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq virtuoso-opensource-7-bin >/dev/null
  else
    echo "note: virtuoso-opensource-7-bin is missing; the tests on Virtuoso will be skipped" >&2
  fi
fi
bash scripts/setup.sh
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/python -m pytest -q "$@"
