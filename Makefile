# The two commands of the README: `make run` (main job on the bundled Lucca data) and `make test`.
# Both create .venv and install the pinned dependencies on first use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: setup system system-office run status test bench ui clean

# Debian's Chromium (charts and PDF, pointed to by BROWSER_PATH) and poppler-utils (the tests read
# the PDF back): installed with apt-get when missing; never a downloaded browser.
system:
	@command -v chromium >/dev/null && command -v pdftoppm >/dev/null || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium poppler-utils fonts-dejavu-core; }

# Optional (about 265 MB): LibreOffice Calc without GUI, only for the test that opens the XLSX tables
# in LibreOffice (skipped, with its reason, when `soffice` is missing).
system-office:
	@command -v soffice >/dev/null || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui; }

$(BIN)/osservatorio: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

setup: system $(BIN)/osservatorio

run: setup
	$(BIN)/osservatorio run

status: setup
	$(BIN)/osservatorio status

test: setup
	$(BIN)/pytest

# SCALA=1: the national set of 20 years with quarterly InfoCamere stocks; CAPITOLI=0: every Camera's chapter.
SCALA ?= 1
CAPITOLI ?= 0
bench: setup
	$(BIN)/python benchmarks/bench_nazionale.py --scala $(SCALA) --capitoli $(CAPITOLI)
	$(BIN)/python benchmarks/bench_health.py
	$(BIN)/python benchmarks/bench_context.py

ui: setup
	$(BIN)/osservatorio ui

clean:
	rm -rf warehouse output .dagster_home
