# Two commands for a newcomer: `make run` and `make test`. The rest are helpers.
SHELL := /bin/bash
PYTHON_BOOT ?= $(shell command -v python3.13 || command -v python3.12 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PYTEST_ARGS ?=
BENCH_ARGS ?=
BENCH_OUT ?= /tmp/csp-bench

.PHONY: run install assets migrate seed demo test test-postgres test-browser lint format migrations-check bench-pdf bench-direct-memory bench-pages bench-heavy bench-roll-over bench-scale bench-load reset-db check-deploy clean

run: install migrate seed demo ## Install everything, set up the database, serve on 127.0.0.1:$(PORT) with a worker and the schedule
	@echo "Serving on http://127.0.0.1:$(PORT), with a background worker and the schedule (Ctrl-C stops all three)"
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(VENV)/bin/honcho start --port $(PORT) --procfile Procfile

install: $(VENV)/.installed assets

$(VENV)/.installed: requirements/base.txt requirements/dev.txt
	@$(PYTHON_BOOT) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else "Python 3.12 or newer is needed (found " + sys.version.split()[0] + ")")'
	$(PYTHON_BOOT) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements/base.txt -r requirements/dev.txt
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

assets: static/build/app.css

static/build/app.css: node_modules/.installed $(wildcard static/scss/*.scss static/scss/components/*.scss)
	mkdir -p static/vendor/govuk static/build
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js static/vendor/govuk/
	cp -r node_modules/govuk-frontend/dist/govuk/assets static/vendor/govuk/
	npm run --silent build

migrate: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable

seed: migrate ## Load (or refresh) the real partnerships' seed data from fixtures/
	$(PY) manage.py load_seed

demo: migrate ## Create the fictional demo partnership and its accounts (kept if already there)
	$(PY) manage.py load_demo

test: install ## The whole suite (browser tests skip when no Chromium is found)
	$(PY) -m pytest -n 2 $(PYTEST_ARGS)

test-postgres: install ## The suite against PostgreSQL (DATABASE_URL, default a local test database)
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/csp_actions} $(PY) -m pytest -n 2 -m "not browser" $(PYTEST_ARGS)

test-browser: install
	$(PY) -m pytest -m browser $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

migrations-check: install
	$(PY) manage.py makemigrations --check --dry-run

check-deploy: install
	DEBUG=0 SECRET_KEY=$$(head -c 48 /dev/urandom | base64) ALLOWED_HOSTS=csp.example.org $(PY) manage.py check --deploy --fail-level WARNING

bench-pdf: install
	$(PY) tests/benchmarks/bench_pdf.py

bench-direct-memory: install ## How much a direct PDF at the budget's edge grows a web worker (sets PDF_DIRECT_MAX_MEMORY_MB)
	$(PY) tests/benchmarks/bench_direct_memory.py

bench-pages: install
	$(PY) tests/benchmarks/bench_pages.py

bench-heavy: install
	$(PY) tests/benchmarks/bench_heavy.py

bench-roll-over: install ## Roll-over of 50, 200 and 500 open actions: seconds and queries (PostgreSQL; BENCH_ARGS=--sqlite)
	$(PY) tests/benchmarks/bench_roll_over.py $(BENCH_ARGS)

bench-scale: install ## National data set (300 x 100 x 40) and its pages against 10 x 200 x 20 (PostgreSQL)
	mkdir -p $(BENCH_OUT)
	$(PY) tests/benchmarks/bench_pages.py --size small --database csp_bench_small --json $(BENCH_OUT)/pages-small.json $(BENCH_ARGS)
	$(PY) tests/benchmarks/bench_pages.py --size national --database csp_bench --json $(BENCH_OUT)/pages-national.json $(BENCH_ARGS)
	$(PY) tests/benchmarks/bench_pages.py --compare $(BENCH_OUT)/pages-small.json $(BENCH_OUT)/pages-national.json

bench-load: install ## gunicorn + task workers under locust; BENCH_ARGS="--fault=db-restart", "--fault=kill-worker", "--drain"
	$(PY) tests/benchmarks/bench_load.py $(BENCH_ARGS)

reset-db: install ## Delete the SQLite database and start again
	rm -f db.sqlite3
	$(MAKE) migrate seed demo

clean:
	rm -rf $(VENV) node_modules static/build static/vendor staticfiles
