# Quick start: `make demo`, then `make test`. Both create .venv and install the pinned set first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)

# Prefect keeps its own state (ephemeral API database) beside the project, never in ~/.prefect.
export PREFECT_HOME ?= $(CURDIR)/.prefect
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS := 120
export DO_NOT_TRACK := 1

# Debian packages the PDF copies need: Chinese fonts (Noto CJK; AR PL UKai as the FangSong/Kai stand-in),
# HarfBuzz's font subsetter (PDFs 40x faster) and poppler-utils (the tests read the PDFs back); and Chromium with
# its ChromeDriver, the headless browser of the dashboard's browser test (tests/web/test_browser.py, Selenium).
SYSTEM_PACKAGES := fonts-noto-cjk fonts-arphic-ukai libharfbuzz-subset0 poppler-utils chromium chromium-driver

.PHONY: demo test e2e bench lint install system postgres clean serve web

system:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || printf '%s ' $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages for the PDF documents and the browser test: $$missing(apt-get, needs root or sudo)"; \
	  sudo=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing; \
	fi

$(STAMP): requirements.lock pyproject.toml
	@echo "Setting up $(VENV) with the pinned packages of requirements.lock (needs only python3)..."
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: system $(STAMP)

demo: install
	$(BIN)/tuopin demo --out out/demo

# The tests run on SQLite and on a throwaway PostgreSQL 15 (tools/with-postgres starts and removes it); the
# server binaries come from the Debian package `postgresql` (PostgreSQL 15 on Debian 12), installed if missing.
test: install postgres
	$(BIN)/ruff check .
	$(BIN)/mypy
	tools/with-postgres tools/pytest-split $(BIN)/python

# The end-to-end tests alone (tests/e2e, marked e2e): a county's year through the `tuopin` command and the served
# dashboard only, as an office runs it; `make test` runs them too, with the rest.
e2e: install
	$(BIN)/python -m pytest tests/e2e

postgres:
	@if [ ! -x "$${PG_BIN:-/usr/lib/postgresql/15/bin}/initdb" ]; then \
	  echo "Installing the Debian package postgresql (PostgreSQL 15 server, for tests and benchmark; apt-get, needs root or sudo)"; \
	  sudo=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends postgresql; \
	fi

# A Prefect server on 127.0.0.1:$(PREFECT_PORT) and the deployments served against it (docs/server.md);
# Ctrl-C stops both. The application database is TUOPIN_DATABASE_URL's (default: tuopin.db here).
PREFECT_PORT ?= 4200
serve: install
	tools/serve $(BIN)/python $(PREFECT_PORT)

# The load figure runs on a throwaway PostgreSQL, like the tests (the Debian package postgresql).
# The web dashboard on the demo's database (run `make demo` first): http://127.0.0.1:8000/
web: install
	$(BIN)/tuopin --db out/demo/tuopin.db web

bench: install postgres
	$(BIN)/python -m bench.household_exit
	tools/with-postgres $(BIN)/python -m bench.load
	$(BIN)/python -m bench.web

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

clean:
	rm -rf out .prefect .pytest_cache .mypy_cache .ruff_cache
