# Opstap — two commands: `make demo` and `make test`. Everything else is a helper.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
SCALE ?= demo
MANAGE := $(BIN)/python src/manage.py
STATIC_VENDOR := src/opstap/static/vendor

.DEFAULT_GOAL := help
.PHONY: help install demo demo-reset serve test test-pg test-browser test-prod test-replica prod-up prod-down lint format schema bench load clean messages

help:
	@echo "make demo     install, migrate, load the demo organisation, serve on http://127.0.0.1:$(PORT)"
	@echo "make demo-reset  delete the demo database and run make demo again"
	@echo "make test     run the whole test suite (SQLite; set DATABASE_URL for PostgreSQL)"
	@echo "make lint     ruff, ruff format --check, mypy, import-linter layer contracts"
	@echo "make bench    performance benchmarks (SCALE=city|national, DATABASE_URL for PostgreSQL)"

# --- installation ---------------------------------------------------------------------------
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Front-end packages come from the npm registry and are copied into static files: no CDN.
$(STATIC_VENDOR)/.built: node_modules/.installed
	mkdir -p $(STATIC_VENDOR)
	cp node_modules/@utrecht/component-library-css/dist/index.css $(STATIC_VENDOR)/utrecht.css
	cp node_modules/@utrecht/design-tokens/dist/index.css $(STATIC_VENDOR)/utrecht-tokens.css
	cp node_modules/htmx.org/dist/htmx.min.js $(STATIC_VENDOR)/htmx.min.js
	cp node_modules/chart.js/dist/chart.umd.js $(STATIC_VENDOR)/chart.umd.js
	cp node_modules/chart.js/dist/chart.umd.js.map $(STATIC_VENDOR)/chart.umd.js.map  # collectstatic follows sourceMappingURL
	cp node_modules/axe-core/axe.min.js $(STATIC_VENDOR)/axe.min.js
	touch $@

install: $(VENV)/.installed $(STATIC_VENDOR)/.built

# --- the two commands -----------------------------------------------------------------------
demo: export OPSTAP_DEMO = true
demo: export OPSTAP_BASE_URL = http://127.0.0.1:$(PORT)
demo: install
	$(MANAGE) migrate --noinput
	$(MANAGE) demo_load --scale demo
	$(MANAGE) demo_accounts --port $(PORT)
	$(MANAGE) runserver 127.0.0.1:$(PORT)

# Start over with a fresh demo database (e.g. after pulling changes to the demo data).
demo-reset:
	rm -f var/opstap.sqlite3 var/opstap.sqlite3-wal var/opstap.sqlite3-shm
	$(MAKE) demo

serve: install
	$(MANAGE) runserver 127.0.0.1:$(PORT)

test: install
	$(BIN)/pytest -n 2 -q; rc=$$?; if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing"; exit 1; fi; exit $$rc

test-pg: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/opstap} $(MAKE) test

test-browser: install
	$(BIN)/pytest -q -m browser -p no:xdist; rc=$$?; if [ $$rc -eq 5 ]; then echo "no browser tests collected: failing"; exit 1; fi; exit $$rc

# --- the production stack on this machine (gunicorn, Celery worker + beat, PostgreSQL, Redis) --
prod-up: install
	ops/prod up

prod-down:
	ops/prod down

# Smoke tests over HTTP against the real stack: 2FA login, a background job through the broker,
# and two web servers behind one session store.
test-prod: install
	PROD_WEB_SERVERS=2 PROD_PGBOUNCER=1 ops/prod up
	OPSTAP_PROD_URLS=http://127.0.0.1:8100,http://127.0.0.1:8101 OPSTAP_PROD_PGBOUNCER=127.0.0.1:6432 \
	  $(BIN)/pytest -q -m prod -p no:xdist; rc=$$?; ops/prod down; \
	  if [ $$rc -eq 5 ]; then echo "no production smoke tests collected: failing"; exit 1; fi; exit $$rc

# The replica router against a real second cluster: pg_basebackup of the local primary as a
# hot standby on port 5433 (ops/replica), then the `replica` tests on PostgreSQL.
test-replica: install
	ops/replica up
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/opstap_ci} \
	OPSTAP_DATABASE_REPLICA_URL=postgres://postgres@127.0.0.1:5433/$${REPLICA_DB:-opstap_ci} \
	  $(BIN)/pytest -q -m replica -p no:xdist; rc=$$?; ops/replica down; \
	  if [ $$rc -eq 5 ]; then echo "no replica tests collected: failing"; exit 1; fi; exit $$rc

lint: install
	$(BIN)/ruff check src bench
	$(BIN)/ruff format --check src bench
	PYTHONPATH=src $(BIN)/mypy src  # the working tree, not where an editable install points
	PYTHONPATH=src $(BIN)/lint-imports  # layer and public-face contracts (pyproject [tool.importlinter])

format: install
	$(BIN)/ruff check --fix src bench
	$(BIN)/ruff format src bench

schema: install
	$(MANAGE) spectacular --file src/opstap/api/openapi.yaml --validate

messages: install
	cd src/opstap && ../../$(MANAGE) makemessages -l nl --no-obsolete

bench: install
	OPSTAP_DEMO=true $(BIN)/python bench/run.py --scale $(SCALE)

# The load test (issue 18) against a running production stack (`ops/prod up`, with
# DATABASE_URL at the data set to load): LOAD_USERS staff members for LOAD_TIME.
LOAD_USERS ?= 16
LOAD_TIME ?= 10m
LOAD_HOST ?= http://127.0.0.1:8100
load: install
	mkdir -p var/locust
	$(BIN)/locust -f bench/locustfile.py --headless -u $(LOAD_USERS) -r 2 -t $(LOAD_TIME) \
		--host $(LOAD_HOST) --csv var/locust/run --only-summary

clean:
	rm -rf $(VENV) node_modules $(STATIC_VENDOR) var
