# The two commands a new user needs: `make report` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DATA   := $(CURDIR)/.analyzer-data
CHROMIUM ?= /usr/bin/chromium

.PHONY: report test lint types pytest browser setup clean-data bench

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

# Debian's Chromium for the browser test; never a browser download.
browser:
	@if [ ! -x $(CHROMIUM) ]; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check analyzer tests tools bench

types: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP) browser
	$(BIN)/pytest -q

test: lint types pytest

# Imports sample_data/ (runs and both CSV logs, idempotently) into $(DATA), then builds the
# reports once the report command exists. The profile is the sample runner's (see
# sample_data/README.md).
report: $(STAMP)
	$(BIN)/analyzer --data-dir $(DATA) profile set --age 44 --hr-max 178 --hr-rest 55 \
	  --timezone Europe/London --side left >/dev/null
	$(BIN)/analyzer --data-dir $(DATA) import --quiet sample_data/
	$(BIN)/analyzer --data-dir $(DATA) log import --replace sample_data/symptoms.csv
	$(BIN)/analyzer --data-dir $(DATA) drops import --replace sample_data/heel_drops.csv
	@# the sample's three routes, by the ids they get in order of first run (see sample_data/README.md)
	@for route in "R1:Church hill loop" "R2:Riverside loop" "R3:Ridge loop"; do \
	  $(BIN)/analyzer --data-dir $(DATA) hills --rename "$${route%%:*}" "$${route#*:}" >/dev/null; \
	done
	$(BIN)/analyzer --data-dir $(DATA) report --all --out reports/

clean-data:
	rm -rf $(DATA)
