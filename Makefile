# Inspraak: `make run` serves the platform, `make test` runs the whole suite (README).
# Both bootstrap uv and a local .venv from uv.lock, needing only python3 (3.11+), make and git.

PYTHON ?= python3
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

# The local demo runs with DEBUG on unless told otherwise; production sets DEBUG=0 and SECRET_KEY.
DEBUG ?= 1
export DEBUG
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: install run test bench lint format translations messages clean

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

$(VENV)/.synced: uv.lock pyproject.toml | $(UV)
	$(UV) sync --frozen --python "$$(command -v $(PYTHON))"
	@touch $@

install: $(VENV)/.synced

translations: install
	$(PY) manage.py compiletranslations

messages: install
	$(PY) manage.py makemessages --no-obsolete -l nl -l fr -l en --ignore=.venv --ignore=.tools --ignore=tests --ignore=staticfiles
	$(PY) manage.py makemessages --no-obsolete -d djangojs -l nl -l fr -l en --ignore=.venv --ignore=.tools --ignore=tests --ignore=staticfiles

run: translations
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --if-empty
	@if [ -n "$$DATABASE_URL" ] && [ -n "$$REDIS_URL" ]; then \
		echo "PostgreSQL and Redis: web, Celery worker and beat on http://$(HOST):$(PORT)/"; \
		HOST=$(HOST) PORT=$(PORT) $(VENV)/bin/honcho -f Procfile.dev start; \
	else \
		echo "SQLite and in-process tasks on http://$(HOST):$(PORT)/"; \
		$(PY) manage.py runserver $(HOST):$(PORT); \
	fi

test: translations
	$(PY) -m pytest $(PYTEST_ARGS)

# PostgreSQL and Redis must run (as for CI); BENCH_ARGS="--quick" or "--only 3" for development.
bench: translations
	$(PY) -m benchmarks $(BENCH_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) $(TOOLS) staticfiles .pytest_cache
