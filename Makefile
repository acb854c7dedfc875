# controlmap: install, test, run. `make install` then `make test` works on a fresh Debian machine.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: install test lint run bench

install:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'

test:
	$(BIN)/ruff check src tests app.py scripts
	$(BIN)/ruff format --check src tests app.py scripts
	$(BIN)/mypy
	$(BIN)/controlmap validate geodata
	$(BIN)/pytest

run:
	$(BIN)/streamlit run app.py
