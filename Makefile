# Rückkehr: `make run` serves the app on SQLite, `make test` runs the whole suite. Each sets itself up.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi
HOST ?= 127.0.0.1
PORT ?= 5000
PYTEST_ARGS ?=
PYTEST_WORKERS ?= -n auto  # one worker per core (pytest-xdist); each has its own database, SMTP server and Redis db

.PHONY: install install-dev assets translations translations-update db seed run test lint format chromium clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

## install: the virtualenv with the pinned dependencies, the front-end assets (with hashed copies in static/dist/)
## and the compiled translations
install: $(VENV)/.installed assets translations
	$(BIN)/python -m rueckkehr.assets

install-dev: install $(VENV)/.installed-dev

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

static/vendor/.built: node_modules/.package-lock.json scripts/build-assets.mjs
	npm run --silent build

assets: static/vendor/.built

translations: $(VENV)/.installed
	$(BIN)/pybabel compile --use-fuzzy --statistics -d rueckkehr/translations 2>&1 | grep -v '^compiling' || true

## db: build or update the database through the migrations
db: install
	$(BIN)/flask db upgrade

seed: db
	$(BIN)/flask seed-demo

## run: serve the site with the demo data at http://$(HOST):$(PORT), and run `flask jobs run` every minute beside it
run: seed
	@trap 'kill $$jobs 2>/dev/null' EXIT INT TERM; \
	(while true; do $(BIN)/flask jobs run >> instance/jobs.log 2>&1; sleep 60; done) & jobs=$$!; \
	$(BIN)/flask run --host $(HOST) --port $(PORT)

## chromium: Debian's Chromium for the browser tests, installed when missing and possible
chromium:
	@if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then \
		echo "Chromium: $$(command -v chromium || command -v chromium-browser)"; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
			|| echo "Could not install Chromium; browser tests will be skipped unless REQUIRE_BROWSER is set."; \
	elif command -v apt-get >/dev/null 2>&1 && command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then \
		(sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
			|| echo "Could not install Chromium; browser tests will be skipped unless REQUIRE_BROWSER is set."; \
	else \
		echo "Chromium is missing and cannot be installed here; browser tests will be skipped unless REQUIRE_BROWSER is set."; \
	fi

## test: the whole suite (SQLite; set TEST_DATABASE_URL for PostgreSQL)
test: install-dev chromium
	PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 $(BIN)/pytest $(PYTEST_WORKERS) $(PYTEST_ARGS)

## lint: ruff (check and format), the import-linter contracts (layers point one way), mypy on rueckkehr/, and the
## security gate (bandit: no high finding; pip-audit: no known-vulnerable pin; exceptions in .security-exceptions.toml)
lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/python scripts/security_gate.py

format: $(VENV)/.installed-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) node_modules static/vendor .pytest_cache .ruff_cache .coverage

## translations-update: extract the strings of code and templates and merge them into the catalogs
translations-update: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_pgettext:1c,2 -o rueckkehr/translations/messages.pot --no-location --sort-output --width 120 \
		--project Rueckkehr --copyright-holder "RWK Westlausitz" .
	$(BIN)/pybabel update -i rueckkehr/translations/messages.pot -d rueckkehr/translations --no-fuzzy-matching --ignore-obsolete --width 120
