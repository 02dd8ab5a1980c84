#!/usr/bin/env bash
# The whole test suite: lint, the engine environment's tests (NLU components, actions,
# data validation, held-out NLU, Rasa test stories) and the service environment's
# tests (real Rasa + action server over HTTP, the terminal chat).
set -uo pipefail
cd "$(dirname "$0")/.."
export PYTHONPATH="$PWD" RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=2 \
  SQLALCHEMY_SILENCE_UBER_WARNING=1 PYTHONWARNINGS=ignore::DeprecationWarning

status=0
echo "== lint (ruff)"
.venv/bin/ruff check . && .venv/bin/ruff format --check . || status=1

echo "== engine environment (Python 3.10, Rasa)"
.venv-engine/bin/python -m pytest tests/engine -p no:cacheprovider --durations=25 || status=1

echo "== service environment (HTTP against a real Rasa server)"
.venv/bin/python -m pytest tests/service -p no:cacheprovider --durations=25 || status=1

if [ "$status" -ne 0 ]; then
  echo "Some tests failed."
fi
exit "$status"
