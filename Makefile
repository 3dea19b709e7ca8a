# The two commands of the README: `make run` and `make test`. Everything else is a helper.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DATA := data
# Debian packages the suite needs: a browser for the page tests, PHP for the WordPress plugin,
# WordPress itself with its MySQL driver for the tests against a real WordPress, and poppler's
# pdftoppm and pdftotext to look at the reconciliation report's PDF.
APT_PACKAGES := chromium php-cli phpunit wordpress php-mysql poppler-utils

.PHONY: run test demo lint audit lock screenshots system-deps clean

## Create the venv if needed, install the locked versions, migrate, and serve on
## http://127.0.0.1:8000 (SQLite).
run: $(VENV)/.locked $(DATA)/secret.key
	@if [ -z "$$SIDECAR_SECRET_KEY" ] && [ -z "$$SIDECAR_SECRET_KEY_FILE" ]; then \
	  export SIDECAR_SECRET_KEY_FILE="$(CURDIR)/$(DATA)/secret.key"; fi; \
	$(BIN)/sidecar migrate && exec $(BIN)/sidecar serve

## The sidecar with simulated Fortnox and WooCommerce and live traffic, on http://127.0.0.1:8000
## (another port with SIDECAR_BIND=127.0.0.1:8080 make demo; the demo listens on loopback only).
demo: $(VENV)/.installed
	exec $(BIN)/sidecar demo $(if $(SIDECAR_BIND),--port $(lastword $(subst :, ,$(SIDECAR_BIND))))

## Install test dependencies (Python and Debian), lint, then run the whole suite.
test: $(VENV)/.installed-test system-deps
	$(BIN)/ruff check .
	bash wp-plugin-stub/run-tests.sh
	$(BIN)/python -m pytest

## The README's screenshots (docs/screenshots/*.png), taken again by a browser test.
screenshots: $(VENV)/.installed-test system-deps
	DOCS_SCREENSHOTS="$(CURDIR)/docs/screenshots" $(BIN)/python -m pytest -q -p no:logging \
	  tests/browser/test_readme_screenshots.py

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check sidecar tests bench

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "Python 3.11 or newer is needed (found $$($(PYTHON) --version))"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Exactly the versions of requirements.lock, each checked against its hash; then the sidecar
# itself without resolving anything again.
$(VENV)/.locked: requirements.lock pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $@ $(VENV)/.installed

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@ $(VENV)/.installed

## Known vulnerabilities in the locked versions (pip-audit and its advisory database, which must
## be reachable). Not part of `make test`.
audit: | $(VENV)/bin/python
	@[ -x .venv-audit/bin/pip-audit ] || { $(PYTHON) -m venv .venv-audit && \
	  .venv-audit/bin/python -m pip install --quiet 'pip-audit>=2.7,<3'; }
	.venv-audit/bin/pip-audit --strict --requirement requirements.lock --require-hashes --disable-pip

## Regenerate requirements.lock from pyproject.toml's ranges (needs uv: pip install uv).
lock:
	uv pip compile pyproject.toml --generate-hashes --python-version 3.11 -o requirements.lock

# A random key on first run, kept in the data directory (it encrypts stored credentials).
$(DATA)/secret.key:
	@mkdir -p $(DATA)
	@umask 077 && $(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(48))' > $@
	@echo "created $@ (keep it with your backups)"

system-deps:
	@missing=""; \
	for pkg in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$pkg 2>/dev/null | grep -q "ok installed" || missing="$$missing $$pkg"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

clean:
	rm -rf $(VENV) .venv-audit .pytest_cache .ruff_cache .mypy_cache
