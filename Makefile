# Yiwang: `make run` serves the demo, `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
# pytest-xdist workers for the test targets (`auto`: one per CPU; `0`: all in this process).
PYTEST_WORKERS ?= auto

.PHONY: run setup test test-sqlite test-postgres lint format bench messages clean system-packages system-packages-test

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e ".[dev]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

system-packages:
	@bash tools/system_packages.sh run

system-packages-test:
	@bash tools/system_packages.sh test

messages: $(VENV)/.installed
	@$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v0

setup: system-packages $(VENV)/.installed node_modules/.installed messages
	@$(PY) manage.py collectstatic --noinput -v0
	@$(PY) manage.py migrate --noinput -v0
	@$(PY) manage.py load_demo --if-new

run: setup
	@$(PY) manage.py serve --port $(PORT)

test: system-packages-test $(VENV)/.installed node_modules/.installed messages
	@$(MAKE) --no-print-directory test-sqlite
	@if [ -n "$$DATABASE_URL" ] || $(PY) -c "import socket; socket.create_connection(('127.0.0.1', 5432), 1)" 2>/dev/null; then \
		$(MAKE) --no-print-directory test-postgres; \
	elif [ -n "$$YIWANG_REQUIRE_POSTGRES" ]; then \
		echo "PostgreSQL does not answer at 127.0.0.1:5432 and YIWANG_REQUIRE_POSTGRES is set"; exit 1; \
	else echo "PostgreSQL does not answer at 127.0.0.1:5432: ran on SQLite only"; fi

test-sqlite: $(VENV)/.installed node_modules/.installed messages
	@echo "== tests on SQLite =="
	@$(PY) manage.py collectstatic --noinput -v0
	DATABASE_URL= $(PY) -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

test-postgres: $(VENV)/.installed node_modules/.installed messages
	@echo "== tests on PostgreSQL =="
	DATABASE_URL=$${DATABASE_URL:-$(PG_URL)} $(PY) -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# The manage.py checks below see the vendor assets in STATICFILES_DIRS, so lint needs npm's too.
lint: $(VENV)/.installed node_modules/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(PY) tools/check_import_cycles.py
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py openapi --check

format: $(VENV)/.installed
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: $(VENV)/.installed node_modules/.installed messages
	$(PY) bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules var/static
