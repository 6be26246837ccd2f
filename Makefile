# Eenloket: `make demo` runs the demo, `make test` runs the whole test suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: demo test test-sqlite test-postgres lint audit format lock messages bench seed screenshots clean help

help:
	@echo "make demo     create .venv, install, migrate, load the demo data, serve on 127.0.0.1:$(PORT)"
	@echo "make test     ruff, import-linter, the test suite on SQLite and (with DATABASE_URL) PostgreSQL"
	@echo "make lint     ruff check, ruff format --check and import-linter"
	@echo "make audit    pip-audit of requirements.lock (docs/security.md)"
	@echo "make lock     refresh requirements.lock from pyproject.toml"
	@echo "make messages regenerate and compile the Dutch catalogues (project and per app)"
	@echo "make bench    run the benchmarks under bench/"
	@echo "make screenshots  regenerate docs/screenshots/ from a fresh demo (needs Chromium)"

$(STAMP): pyproject.toml requirements.lock
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

demo: $(STAMP)
	PORT=$(PORT) $(BIN)/eenloket demo

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

audit: $(STAMP)
	$(BIN)/python tools/audit.py

messages: $(STAMP)
	$(BIN)/python tools/catalogues.py

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test-sqlite: $(STAMP)
	env -u DATABASE_URL $(BIN)/python -m pytest $(PYTEST_ARGS)

test-postgres: $(STAMP)
	@if [ -n "$$DATABASE_URL" ]; then \
		echo "== tests on PostgreSQL ($$DATABASE_URL)"; \
		$(BIN)/python -m pytest $(PYTEST_ARGS); \
	elif [ "$$EENLOKET_REQUIRE_SERVICES" = "1" ]; then \
		echo "DATABASE_URL is not set but EENLOKET_REQUIRE_SERVICES=1: PostgreSQL is required." >&2; exit 1; \
	else \
		echo "== DATABASE_URL not set: skipping the PostgreSQL run"; \
	fi

test: lint audit test-sqlite test-postgres

bench: $(STAMP)
	$(BIN)/python bench/run.py

screenshots: $(STAMP)
	$(BIN)/python docs/screenshots/take.py --demo

lock:
	rm -rf /tmp/eenloket-lock && $(PYTHON) -m venv /tmp/eenloket-lock
	/tmp/eenloket-lock/bin/pip install --quiet --disable-pip-version-check ".[test]"
	/tmp/eenloket-lock/bin/pip freeze --exclude eenloket | sort -f > requirements.lock
	rm -rf /tmp/eenloket-lock

clean:
	rm -rf $(VENV) var build *.egg-info
