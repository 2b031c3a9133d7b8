# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
# Test processes in parallel (pytest-xdist); `make test PYTEST_WORKERS=0` runs them in one process.
PYTEST_WORKERS ?= 2
PYTEST := $(BIN)/pytest -n $(PYTEST_WORKERS)
DEMO_ENV := DEBUG=1

.PHONY: run test install assets lint typecheck test-sqlite test-postgres migrate seed worker clean

run: install assets
	mkdir -p var
	$(DEMO_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEMO_ENV) $(BIN)/python manage.py seed_demo
	$(DEMO_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

install: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

assets: node_modules/.installed
	npm run --silent build

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

typecheck: install
	$(BIN)/mypy

test: install assets lint typecheck test-sqlite test-postgres

test-sqlite:
	DATABASE_URL=sqlite:///:memory: $(PYTEST)

# PostgreSQL: point PG_URL elsewhere with `make test PG_URL=postgres://user@host:port/db`.
test-postgres:
	@if $(BIN)/python scripts/pg_reachable.py "$(PG_URL)"; then \
		DATABASE_URL="$(PG_URL)" $(PYTEST); \
	elif [ "$$CI" = "true" ]; then \
		echo "FAIL: PostgreSQL at $(PG_URL) is unreachable and CI=true. Start it or set PG_URL." >&2; exit 1; \
	else \
		echo ""; echo "!!! SKIPPED the PostgreSQL run: $(PG_URL) is unreachable."; \
		echo "!!! Start PostgreSQL or run: make test PG_URL=postgres://user@host:5432/db"; echo ""; \
	fi

worker: install
	$(DEMO_ENV) $(BIN)/python manage.py db_worker

clean:
	rm -rf $(VENV) node_modules var casebridge/static/dist
