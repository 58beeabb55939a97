#!/usr/bin/env bash
# The sample runner's own tests (scripts/run_samples.py, docs/runnable-samples.md):
# unit tests of the comparison rules, scenarios on hand-made exports, and the
# fixture site tests/fixtures/run-samples exported by the real djguide binary.
#
#   scripts/test_run_samples.sh [PYTHON]
#
# PYTHON (or $PYTHON; default .venv/bin/python) is the interpreter of the Django
# line under test: it needs Django and DRF installed (and psycopg for PostgreSQL).
# Environment:
#   RUN_SAMPLES_FIXTURE_EXPORT=DIR  use an export made already (`djguide samples
#                                   --root tests/fixtures/run-samples --out DIR`),
#                                   e.g. inside a chroot without cargo
#   RUN_SAMPLES_POSTGRES=DSN        also run the fixture's PostgreSQL page there
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${1:-${PYTHON:-.venv/bin/python}}"

if [ -z "${RUN_SAMPLES_FIXTURE_EXPORT:-}" ]; then
  cargo run --release --quiet -- samples --root tests/fixtures/run-samples \
    --out target/run-samples-fixture >/dev/null
  export RUN_SAMPLES_FIXTURE_EXPORT=target/run-samples-fixture
fi

PYTHONDONTWRITEBYTECODE=1 "$PYTHON" -m unittest discover -s scripts/sample_runner/tests -t scripts -v
