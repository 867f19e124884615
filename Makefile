# HTX Số — the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
# vietnam-provinces >= 2026 (legacy 63-province tables) declares Python >= 3.12 but is
# pure Python and works on 3.11.
PIP_INSTALL := $(BIN)/pip install --quiet --disable-pip-version-check --ignore-requires-python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run setup install install-test messages migrate demo test lint pytest test-fast bench api-schema makemessages browser-deps clean

run: setup ## set everything up and serve the demo on http://127.0.0.1:8000
	@echo "HTX Số: http://$(HOST):$(PORT)/ — demo accounts are listed in README.md"
	$(PY) -m htxso runserver $(HOST):$(PORT)

setup: install messages migrate demo

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --upgrade "pip>=24"
	$(PIP_INSTALL) -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(PIP_INSTALL) -e ".[test]"
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

messages: install ## compile the translation catalogues (pure Python, no gettext needed)
	$(PY) -m htxso compile_translations

migrate: install
	$(PY) -m htxso migrate --noinput
	$(PY) -m htxso load_units

demo: migrate
	$(PY) -m htxso seed_demo

test: install-test messages browser-deps lint pytest ## lint + the whole suite, browser tests included

browser-deps: ## Debian's Chromium for the Playwright tests (never `playwright install`)
	@bash scripts/ensure-system-packages chromium

lint: install-test ## ruff, Django checks, import layers (.importlinter), mypy, explicit actors
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	HTXSO_TESTING=1 $(PY) -m htxso check --fail-level WARNING
	HTXSO_TESTING=1 $(PY) -m htxso makemigrations --check --dry-run
	HTXSO_ENV=production SECRET_KEY=$$(python3 -c 'import secrets;print(secrets.token_urlsafe(60))') \
	  ALLOWED_HOSTS=htxso.example.vn SITE_URL=https://htxso.example.vn DEBUG=0 \
	  $(PY) -m htxso check --deploy --fail-level WARNING
	$(BIN)/lint-imports --no-cache
	HTXSO_TESTING=1 $(BIN)/mypy
	$(PY) scripts/check_actors.py
	$(PY) scripts/check_rules.py

pytest: install-test messages
	$(BIN)/pytest -n 2 --dist loadfile --durations=40 $(PYTEST_ARGS)

test-fast: install-test messages ## the suite without the browser tests
	$(BIN)/pytest -n 2 --dist loadfile -m "not browser" $(PYTEST_ARGS)

bench: install-test messages ## benchmarks, figures as ratios against a baseline in the same run
	$(PY) -m bench $(BENCH_ARGS)

api-schema: install ## rewrite the committed OpenAPI snapshot after an intended API change
	HTXSO_TESTING=1 $(PY) -m htxso export_openapi docs/api/openapi.json

makemessages: install ## refresh the catalogues from the code (needs gettext)
	cd src/htxso && ../../$(PY) -m htxso makemessages -l vi -l en --no-obsolete --no-location --ignore "static/vendor/*"

clean:
	rm -rf $(VENV) var .pytest_cache test-artifacts
