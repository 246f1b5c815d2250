# wijk: two commands do all the set-up on a fresh machine.
#   make demo   install everything, load the demo city into SQLite, serve on http://127.0.0.1:$(PORT)
#   make test   install everything, run every check and the whole suite (PostgreSQL + Chromium)
#   make bench  benchmarks that print figures and write bench/results/

SHELL := /bin/bash
.DEFAULT_GOAL := help
PORT ?= 8000
PYTHON ?=
PY := $(shell PYTHON=$(PYTHON) scripts/find-python)
VENV := .venv
UV := .tools/bin/uv
WIJK := $(VENV)/bin/wijk
export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_PYTHON_DOWNLOADS := never
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help install python-deps node-deps chromium demo demo-data serve test check lint \
        typecheck migrations-check layers pytest pytest-sqlite bench screenshots clean letter-fonts

help:
	@echo "make demo   - install, load demo data into SQLite and serve on http://127.0.0.1:$(PORT)"
	@echo "make test   - install, then run every check and test (PostgreSQL and Chromium)"
	@echo "make bench  - benchmarks; figures printed and written to bench/results/"
	@echo "make screenshots - pictures of the main pages at 1366 and 390 px, in docs/screenshots/"

$(UV):
	@test -n "$(PY)" || exit 1
	$(PY) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==0.13.8

python-deps: $(UV)
	$(UV) sync --locked --python $(PY) --quiet
	mkdir -p var/static

node-deps:
	@command -v npm >/dev/null || { echo "npm not found: install Node.js (apt-get install nodejs npm)"; exit 1; }
	@if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then \
	  npm ci --no-audit --no-fund --loglevel=error; fi

install: python-deps node-deps

chromium:
	@command -v chromium >/dev/null || { \
	  echo "Installing Debian's chromium for the browser tests (waiting for the dpkg lock if needed)"; \
	  apt-get -o DPkg::Lock::Timeout=600 update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq chromium >/dev/null; }

# Letters are PDF made by WeasyPrint (docs/adr/0036): it needs Pango and fontconfig, and the
# letters' font, Open Sans, from Debian's packages (embedded in every PDF).
letter-fonts:
	@{ command -v fc-list >/dev/null && fc-list "Open Sans" | grep -q . && \
	  ldconfig -p | grep -q libpangoft2-1.0 && ldconfig -p | grep -q libharfbuzz-subset; } || { \
	  echo "Installing Debian's Open Sans font and Pango for the letters (waiting for the dpkg lock if needed)"; \
	  apt-get -o DPkg::Lock::Timeout=600 update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
	    --no-install-recommends fontconfig fonts-open-sans libpango-1.0-0 libpangoft2-1.0-0 \
	    libharfbuzz-subset0 >/dev/null; }

demo: install letter-fonts demo-data serve

# The demo's structured log lines (JSON, one a line) go to this file, so that the terminal
# shows plain sentences only (docs/adr/0030). Set WIJK_LOG_FILE yourself to choose another.
DEMO_LOG := var/log/wijk.jsonl
demo-data serve: export WIJK_LOG_FILE ?= $(DEMO_LOG)

demo-data:
	@mkdir -p var
	@echo "Setting up the demo database (var/wijk.sqlite3). Log lines go to $$WIJK_LOG_FILE."
	@$(WIJK) migrate --no-input --verbosity 0
	@$(WIJK) seed --scale 0.05 --years 2 --seed 1 --if-empty
	@$(WIJK) demo_accounts

# The background worker (`wijk worker`: queued tasks and the daily schedule, as in production)
# runs beside the web server and stops with it. Its structured log lines go to WIJK_LOG_FILE
# like the server's; what it prints itself goes to var/log/worker.log, not to the terminal.
WORKER_LOG := var/log/worker.log

serve:
	@echo "wijk serves on http://127.0.0.1:$(PORT) (Ctrl+C stops it). Staff log in there;"
	@echo "residents ask for help at http://127.0.0.1:$(PORT)/aanmelden (no login)."
	@echo "The background worker runs beside it (its output: $(WORKER_LOG))."
	@mkdir -p $(dir $(WORKER_LOG))
	@$(WIJK) worker >>$(WORKER_LOG) 2>&1 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	  $(WIJK) runserver 127.0.0.1:$(PORT)

test: install chromium letter-fonts check pytest-sqlite pytest

check: lint typecheck migrations-check layers

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck:
	$(VENV)/bin/mypy wijk bench

migrations-check:
	$(WIJK) makemigrations --check --dry-run

layers:
	$(VENV)/bin/lint-imports

# A second database on the same server stands in for a read replica (docs/adr/0048): the suite
# reads from the primary as usual; the replica test switches the reporting reads to it.
pytest:
	scripts/with-postgres sh -c 'DATABASE_REPLICA_URL="$${DATABASE_REPLICA_URL:-$${DATABASE_URL%/*}/replica}" \
	  WIJK_REPORTING_DATABASE=default exec $(VENV)/bin/pytest -p no:cacheprovider $(PYTEST_ARGS)'

# The demo path (migrate, seed a small city, log in, the main pages) on the embedded SQLite.
pytest-sqlite:
	env -u DATABASE_URL $(VENV)/bin/pytest -p no:cacheprovider -m demo $(PYTEST_ARGS)

bench: install
	scripts/with-postgres $(VENV)/bin/python -m bench.run

# The look without logging in: a throwaway demo database, the real login, PNGs in docs/screenshots/.
screenshots: install chromium
	$(VENV)/bin/python scripts/screenshots.py

clean:
	rm -rf .venv .tools node_modules var
