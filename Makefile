# The LANS assistant. `make run` to talk to it, `make test` to run every test.
# Both set up what is missing first: the two Python environments, the Dutch spaCy
# pipeline and a trained model (retrained only when the training data or config changed).

SHELL := /bin/bash
UV_VERSION := 0.13.9
export PYTHONPATH := $(CURDIR)
export TF_CPP_MIN_LOG_LEVEL := 2
# Never send usage data or crash reports (they could contain what users typed).
export RASA_TELEMETRY_ENABLED := false
export SQLALCHEMY_SILENCE_UBER_WARNING := 1

SERVICE_VENV := .venv
ENGINE_VENV := .venv-engine
SERVICE_PY := $(SERVICE_VENV)/bin/python
ENGINE_PY := $(ENGINE_VENV)/bin/python
UV := $(SERVICE_VENV)/bin/uv
RASA := $(ENGINE_VENV)/bin/rasa
MODEL := models/lans.tar.gz
SPACY_MODEL := build/spacy-nl/meta.json
TRAINING_INPUTS := $(shell find data -name '*.yml') domain.yml config.yml

.PHONY: setup run train test lint format eval bench clean

SECRETS := var/secrets/local.env

setup: $(SERVICE_VENV)/.installed $(ENGINE_VENV)/.installed $(SPACY_MODEL) $(SECRETS)

# This machine's secrets (intake API token, data encryption key), created once, mode 0600.
$(SECRETS): $(SERVICE_VENV)/.installed
	$(SERVICE_PY) -m bot.intake.keys init

# Service environment: the machine's python3 (3.11+), plus uv for fast, locked installs.
$(SERVICE_VENV)/.installed: requirements/service.lock
	@test -x $(SERVICE_PY) || python3 -m venv $(SERVICE_VENV)
	$(SERVICE_PY) -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(UV) pip sync --quiet --python $(SERVICE_PY) requirements/service.lock
	@touch $@

# Engine environment: Python 3.10 with Rasa, rasa_sdk and spaCy.
# uv comes from the service environment (order-only: a new service lock is no reason to
# reinstall the engine, rebuild the spaCy pipeline and retrain the model).
$(ENGINE_VENV)/.installed: requirements/engine.lock | $(SERVICE_VENV)/.installed
	@test -x $(ENGINE_PY) || "$$(scripts/find-python310.sh)" -m venv $(ENGINE_VENV)
	$(UV) pip sync --quiet --python $(ENGINE_PY) requirements/engine.lock
	@touch $@

$(SPACY_MODEL): requirements/engine.lock bot/nlu/dutch_pipeline.py bot/nlu/lemma_overrides.py | $(ENGINE_VENV)/.installed
	$(ENGINE_PY) -m bot.nlu.dutch_pipeline build/spacy-nl

train: $(MODEL)

$(MODEL): $(TRAINING_INPUTS) $(SPACY_MODEL)
	$(RASA) train --fixed-model-name lans --out models
	@touch $@

run: setup $(MODEL)
	$(SERVICE_PY) -m bot.cli.run

test: setup $(MODEL)
	bash scripts/test.sh

lint:
	$(SERVICE_VENV)/bin/ruff check .
	$(SERVICE_VENV)/bin/ruff format --check .

format:
	$(SERVICE_VENV)/bin/ruff check --fix .
	$(SERVICE_VENV)/bin/ruff format .

# Held-out and blind NLU reports and Rasa's cross-validation (writes reports/nlu-*.md).
eval: setup $(MODEL)
	$(ENGINE_PY) -m bot.nlu.evaluation --model $(MODEL) --out reports/nlu-heldout.md --json reports/nlu-heldout.json
	$(ENGINE_PY) -m bot.nlu.evaluation --model $(MODEL) --data tests/nlu/heldout_fresh.yml --out reports/nlu-blind.md --json reports/nlu-blind.json
	$(ENGINE_PY) -m bot.nlu.evaluation --model $(MODEL) --data tests/nlu/heldout_blind2.yml --out reports/nlu-blind2.md --json reports/nlu-blind2.json
	$(ENGINE_PY) -m bot.nlu.evaluation --model $(MODEL) --data tests/nlu/heldout_blind3.yml --out reports/nlu-blind3.md --json reports/nlu-blind3.json
	bash scripts/cross_validate.sh

# The safety net on the frozen blind crisis sets, through the real stack (writes reports/crisis.md).
.PHONY: crisis-eval
crisis-eval: setup $(MODEL)
	$(SERVICE_PY) -m benchmarks.crisis_eval --out reports/crisis.md

# The blind conversation suites through the real stack (writes reports/conversations.md).
.PHONY: conversation-eval
conversation-eval: setup $(MODEL)
	$(SERVICE_PY) -m benchmarks.conversation_eval --out reports/conversations.md

# Latency/throughput/memory against the stock `rasa init` configuration (writes reports/benchmark.md).
bench: setup $(MODEL)
	$(SERVICE_PY) -m benchmarks.bench_rasa --out reports/benchmark.md

# The full stack: Telegram webhook -> bridge -> nginx -> Rasa -> action servers -> intake, on
# PostgreSQL and Redis, 1 and 2 Rasa replicas, LANS and stock models (writes reports/benchmark-stack.md).
.PHONY: bench-stack
bench-stack: setup $(MODEL)
	$(SERVICE_PY) -m benchmarks.bench_stack --out reports/benchmark-stack.md

clean:
	rm -rf models build/spacy-nl results reports/tmp
