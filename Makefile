# The two commands of the README: `make run` (main job on the bundled Lucca data) and `make test`.
# Both create .venv and install the pinned dependencies on first use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: setup run status test bench ui clean

$(BIN)/osservatorio: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

setup: $(BIN)/osservatorio

run: setup
	$(BIN)/osservatorio run

status: setup
	$(BIN)/osservatorio status

test: setup
	$(BIN)/pytest

bench: setup
	$(BIN)/python benchmarks/bench_health.py
	$(BIN)/python benchmarks/bench_context.py

ui: setup
	$(BIN)/osservatorio ui

clean:
	rm -rf warehouse output .dagster_home
