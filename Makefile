# SupportDesk: the commands a newcomer needs. `make demo` and `make test` work on a machine with only
# python3 (3.11 or newer), git and make: they create .venv and install the locked dependencies first.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:
MAKEFLAGS += --no-builtin-rules --no-print-directory

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# A copy of requirements.lock as it was when .venv was last installed from it.
INSTALLED_LOCK := $(VENV)/.installed-requirements.lock
PIP := $(BIN)/pip --disable-pip-version-check
MANAGE := $(BIN)/python manage.py

HOST ?= 127.0.0.1
PORT ?= 8000
# Open live streams count as requests in flight: backpressure must stay above what a worker holds,
# and 8 KiB HTTP/1 buffers keep an idle stream under 20 KiB (docs/live.md, docs/operations.md).
GRANIAN_STREAM_OPTS ?= --backpressure 10000 --http1-buffer-size 8192
# The demo runs in production shape (DEBUG off, collected static files, granian) on plain http.
DEMO_ENV := DEBUG=false HTTPS=false SITE_URL=$${SITE_URL:-http://$(HOST):$(PORT)}
# Open live-update streams never end by themselves: a worker still holding one after this many
# seconds of graceful shutdown is killed, so a restart never waits on them.
KILL_TIMEOUT ?= 5

LOCALE_DIR := src/supportdesk/locale
LOCALES := ru
POT := var/i18n/django.pot
# Django's lazy and context variants on top of Babel's defaults (_, gettext, ngettext, pgettext, ...).
KEYWORDS := -k gettext_lazy -k gettext_noop -k pgettext_lazy:1c,2 -k ngettext_lazy:1,2 \
	-k npgettext:1c,2,3 -k npgettext_lazy:1c,2,3

PYTEST_ARGS ?=

.PHONY: help
help:
	@echo "make demo             set everything up and run the demo on http://$(HOST):$(PORT)"
	@echo "make test             the test suite without the browser tests"
	@echo "make test-browser     the browser tests (Playwright driving /usr/bin/chromium)"
	@echo "make lint             ruff check, ruff format --check, mypy"
	@echo "make messages         extract messages and update the catalogs ($(LOCALES))"
	@echo "make compilemessages  compile the catalogs (.po -> .mo)"
	@echo "make install          create .venv and install requirements.lock"

# --- Environment ---------------------------------------------------------------------------------

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
		echo "SupportDesk needs Python 3.11 or newer as '$(PYTHON)' (make demo PYTHON=python3.11)." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)

# Reinstalls only when requirements.lock's content changed since the last install (a new mtime alone,
# from a checkout or a pull, only refreshes the copy's time).
$(INSTALLED_LOCK): requirements.lock | $(BIN)/python
	@if cmp -s requirements.lock $@; then touch $@; else \
		echo "Installing requirements.lock into $(VENV) ..."; \
		test -x $(BIN)/pip || $(BIN)/python -m ensurepip --upgrade; \
		$(PIP) install -r requirements.lock; \
		$(PIP) install --no-deps -e .; \
		cp requirements.lock $@; \
	fi

.PHONY: install
install: $(INSTALLED_LOCK)

# --- Translations (Babel: no gettext tools needed) -----------------------------------------------

.PHONY: messages
messages: $(INSTALLED_LOCK)
	@mkdir -p $(dir $(POT))
	$(BIN)/pybabel extract -F babel.cfg -o $(POT) $(KEYWORDS) -c Translators: \
		--project=SupportDesk --version=$$($(BIN)/python -c 'import importlib.metadata as m; print(m.version("supportdesk"))') \
		--copyright-holder="SupportDesk contributors" --msgid-bugs-address=support@example.com \
		--sort-by-file --width=120 src
	@for locale in $(LOCALES); do \
		$(BIN)/pybabel update -i $(POT) -d $(LOCALE_DIR) -D django -l $$locale --init-missing --width=120; \
	done

.PHONY: compilemessages
compilemessages: $(INSTALLED_LOCK)
	$(BIN)/pybabel compile -d $(LOCALE_DIR) -D django --statistics

# --- Demo ----------------------------------------------------------------------------------------

.PHONY: demo
demo: $(INSTALLED_LOCK) compilemessages
	$(DEMO_ENV) $(MANAGE) collectstatic --noinput --verbosity 0
	$(DEMO_ENV) $(MANAGE) migrate --noinput
	$(DEMO_ENV) $(MANAGE) seed_demo
	$(DEMO_ENV) $(MANAGE) seed_faq
	@echo
	@echo "SupportDesk demo: http://$(HOST):$(PORT)/   (sign in with an account above; Ctrl+C stops the server)"
	@echo
	$(DEMO_ENV) exec $(BIN)/granian --interface asgi --host $(HOST) --port $(PORT) --workers 1 \
		--workers-kill-timeout $(KILL_TIMEOUT) $(GRANIAN_STREAM_OPTS) supportdesk.asgi:application

# --- Checks --------------------------------------------------------------------------------------

.PHONY: test
test: $(INSTALLED_LOCK) compilemessages
	$(BIN)/pytest -m "not browser" $(PYTEST_ARGS)

.PHONY: test-browser
test-browser: $(INSTALLED_LOCK) compilemessages
	$(BIN)/pytest -m browser $(PYTEST_ARGS)

# All three run; the target fails if any of them failed.
.PHONY: lint
lint: $(INSTALLED_LOCK)
	@status=0; \
	echo "--- ruff check"; $(BIN)/ruff check . || status=1; \
	echo "--- ruff format --check"; $(BIN)/ruff format --check . || status=1; \
	echo "--- mypy"; $(BIN)/mypy || status=1; \
	exit $$status

# --- Benchmark (docs/performance.md) -------------------------------------------------------------
# make bench SIZE=1m: the dataset (made once, kept), granian in production shape, every scenario beside
# the floor. BENCH_DB=sqlite for the embedded database; BENCH_ARGS for the rest (python -m bench.run -h).
SIZE ?= 10k
BENCH_DB ?= postgres
BENCH_ARGS ?=

.PHONY: bench
bench: $(INSTALLED_LOCK) compilemessages
	$(BIN)/python -m bench.run --size $(SIZE) --db $(BENCH_DB) $(BENCH_ARGS)

# What CI runs: 10k tickets on SQLite, 3 s a scenario, 50 live clients. Fails on any error, asserts no speed.
.PHONY: bench-smoke
bench-smoke: $(INSTALLED_LOCK) compilemessages
	$(BIN)/python -m bench.run --smoke --db sqlite $(BENCH_ARGS)
