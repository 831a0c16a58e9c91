# Two commands from a fresh clone:
#   make run    install, write a development .env once, migrate, load the reference areas (ONS
#               districts and councils), the seed cases and demo logins (DEBUG only), serve
#               :8000 with the background worker
#   make test   install what the tests need and run the whole suite
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV    := .venv
VPY     := $(VENV)/bin/python
PORT    ?= 8000
# Asks the settings (environment and .env) whether DEBUG is on.
export DEBUG_PROBE := import os, django; os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commissioning.settings"); django.setup(); from django.conf import settings; print(settings.DEBUG)

# The first Python that is 3.12 or newer: plain names first, then pyenv's versions folder
# (pyenv shims for other versions answer "command not found", so each is run, not just found).
PYTHON ?= $(shell for c in python3.13 python3.12 python3 \
	$$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.1[3-9]*/bin/python3 $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.12*/bin/python3 2>/dev/null); do \
	  $$c -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 && { echo $$c; break; }; done)

.PHONY: help run test install install-test system-check browser-deps check lint css clean

help:
	@echo "make run    - install, migrate, load demo data and serve http://127.0.0.1:$(PORT)/"
	@echo "make test   - install test dependencies and run the whole test suite"

$(VPY):
	@if [ -z "$(PYTHON)" ]; then \
	  echo "error: Python 3.12 or newer is needed (Django 6 requires it); found only older versions." >&2; \
	  echo "       Install python3.12 or python3.13, or run: make PYTHON=/path/to/python3.12 run" >&2; exit 1; fi
	@echo "Creating $(VENV) with $(PYTHON) ($$($(PYTHON) --version))"
	@$(PYTHON) -m venv $(VENV)
	@$(VPY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VPY)
	@$(VPY) -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(VPY)
	@$(VPY) -m pip install --quiet -e ".[test]"
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed system-check
install-test: $(VENV)/.installed-test system-check browser-deps

# WeasyPrint loads Pango through the system: say what is missing instead of a stack trace.
system-check:
	@$(VPY) -c 'import weasyprint' >/dev/null 2>&1 || { \
	  echo "error: WeasyPrint cannot load its system libraries (Pango, HarfBuzz, fontconfig)." >&2; \
	  echo "       On Debian or Ubuntu: sudo apt-get install -y libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation" >&2; \
	  echo "       On macOS: brew install pango" >&2; \
	  $(VPY) -c 'import weasyprint' 2>&1 | tail -n 1 | sed 's/^/       detail: /' >&2; exit 1; }

# Browser tests drive Debian's Chromium (never `playwright install`) and inject axe-core from npm.
browser-deps:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-liberation >/dev/null; \
	  else echo "error: browser tests need /usr/bin/chromium: sudo apt-get install -y chromium fonts-liberation" >&2; exit 1; fi; fi
	@if [ ! -f node_modules/axe-core/axe.min.js ]; then \
	  command -v npm >/dev/null || { echo "error: npm is needed for axe-core (apt-get install -y npm)" >&2; exit 1; }; \
	  npm ci --no-audit --no-fund --loglevel=error; fi

# A development .env, written once: DEBUG on and a key of its own, so that the README's
# `python manage.py ...` commands work as written. Production sets these in its environment.
.env:
	@echo "Writing .env for development (DEBUG on, a generated SECRET_KEY); edit it to change settings"
	@printf '%s\n' "# Written by make run for development. See .env.example for every setting." \
	  "DEBUG=true" "SECRET_KEY=$$($(VPY) -c 'import secrets; print(secrets.token_urlsafe(50))')" > $@

run: install .env
	@$(VPY) manage.py migrate --noinput -v 0
	@$(VPY) manage.py load_reference_areas
	@if [ "$$($(VPY) -c "$$DEBUG_PROBE")" = "True" ]; then \
	  $(VPY) manage.py load_seed_cases && $(VPY) manage.py load_demo_users; \
	else echo "DEBUG is off: no demo data loaded."; fi
	@echo
	@echo "  Serving at http://127.0.0.1:$(PORT)/ with the background worker (Ctrl+C stops both)"
	@echo
	@exec $(VPY) manage.py serve 127.0.0.1:$(PORT)

test: install-test
	@$(VPY) -m pytest -n auto $(PYTEST_ARGS)

# Development checks (DEBUG on: production settings are checked by `check --deploy` in .ci/run).
check: $(VENV)/.installed
	@DEBUG=true $(VPY) manage.py makemigrations --check --dry-run
	@DEBUG=true $(VPY) manage.py check

lint: $(VENV)/.installed-test
	@$(VPY) -m ruff check .
	@$(VPY) -m ruff format --check .

css:
	npm ci --no-audit --no-fund && npm run build

clean:
	rm -rf $(VENV) node_modules db.sqlite3 test-output
