# Two commands: `make run` serves the demo forum, `make test` runs the whole suite.
# Prerequisites: Python 3.11+ and Node 18+. Everything else is installed here, pinned.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip
FORUM := $(BIN)/forum
VENDOR := static/vendor
PYTEST_ARGS ?=

.PHONY: run test install install-test vendor translations lint format db seed serve clean bench

run: install vendor translations db seed serve

test: install-test vendor translations
	scripts/install-test-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is needed (set PYTHON=...)")'
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml requirements.lock
	$(PIP) install --quiet -c requirements.lock -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PIP) install --quiet -c requirements.lock -e '.[test]'
	@touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

# Only what the pages load is copied; static/vendor/ is git-ignored.
$(VENDOR)/.copied: node_modules/.package-lock.json Makefile
	mkdir -p $(VENDOR)/bootstrap $(VENDOR)/socket.io $(VENDOR)/jsqr $(VENDOR)/chart.js
	cp node_modules/bootstrap/dist/css/bootstrap.min.css* $(VENDOR)/bootstrap/
	cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js* $(VENDOR)/bootstrap/
	cp node_modules/socket.io-client/dist/socket.io.esm.min.js* $(VENDOR)/socket.io/
	cp node_modules/jsqr/dist/jsQR.js $(VENDOR)/jsqr/
	cp node_modules/chart.js/dist/chart.umd.min.js* $(VENDOR)/chart.js/
	@touch $@

vendor: $(VENDOR)/.copied

translations: $(VENV)/.installed
	$(BIN)/pybabel -q compile -d forum/translations
	$(BIN)/pybabel -q compile -D wtforms -d forum/translations

# Extract the messages (written in Vietnamese) and update the English catalogue.
messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -o forum/translations/messages.pot .
	$(BIN)/pybabel update -i forum/translations/messages.pot -d forum/translations

db: install
	@mkdir -p instance
	$(FORUM) db upgrade

seed: db
	$(FORUM) seed-demo

serve:
	$(FORUM) serve

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install-test
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) node_modules $(VENDOR) .pytest_cache
