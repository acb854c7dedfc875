# controlmap. Two commands on a fresh machine: `make run` (the app) and `make test` (every test).
# Each sets up the virtual environment first when it is missing or older than pyproject.toml.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install browser test run lint bench

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

# The browser tests drive Debian's Chromium; install it when missing (as root), else say how.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "The browser tests need Debian's chromium: run 'sudo apt-get install -y chromium', then 'make test' again." >&2; exit 1; fi; }

lint: $(STAMP)
	$(BIN)/ruff check src tests app.py appui pages scripts benchmarks
	$(BIN)/ruff format --check src tests app.py appui pages scripts benchmarks
	$(BIN)/mypy

# Tests run in parallel (pytest-xdist, a worker per core); the browser tests share one worker, one Chromium and
# one app server per dataset (tests/conftest.py groups them), so they never compete with each other; the load
# test (ten sessions on one server) runs alone afterwards, with the whole machine.
JOBS ?= auto
test: $(STAMP) browser lint
	$(BIN)/controlmap validate geodata
	$(BIN)/pytest -n $(JOBS) --dist loadgroup -m "not load"
	$(BIN)/pytest -m load

# The app on http://localhost:8501, for this machine only; warm_app.py runs it once as soon as the server
# answers, so the first visitor finds the data and the map's caches ready. `make run HOST=0.0.0.0` shares it
# with the network (the README says what that exposes).
HOST ?= localhost
PORT ?= 8501
run: $(STAMP)
	$(BIN)/python scripts/warm_app.py --host $(HOST) --port $(PORT) & \
	  $(BIN)/streamlit run app.py --server.address $(HOST) --server.port $(PORT)

# Every benchmark at 1k, 10k and 100k synthetic places beside its naive baseline, the app and the HTML export
# in Chromium: prints a table and writes benchmarks/results.json (about half an hour on two cores).
bench: $(STAMP) browser
	$(BIN)/python -m benchmarks.all
