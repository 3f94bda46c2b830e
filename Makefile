# The commands that matter on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup test bench fuzz demo screenshot faults-table clean

setup: $(STAMP)
	@$(BIN)/ssi browser install

# Re-installs only when pyproject.toml changes, so a second `make setup` takes a second.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $(STAMP)

test: setup
	$(BIN)/python -m pytest

demo: setup
	$(BIN)/ssi demo

bench: setup
	$(BIN)/python bench/run.py

# A long campaign against the parsers: 100,000 mutated pages and bodies (FUZZ_INPUTS=... to change).
FUZZ_INPUTS ?= 100000
fuzz: setup
	$(BIN)/python tests/fuzz_campaign.py --inputs $(FUZZ_INPUTS)

# Refresh the dashboard picture in the README (from the browse test's real browser).
screenshot: setup
	SSI_DOCS_SCREENSHOT=docs/dashboard.png $(BIN)/python -m pytest -q tests/test_browse.py -k dashboard

# Refresh the README's fault table from what the fault tests measure (exit codes, lines, times).
faults-table: setup
	$(BIN)/python -m pytest -q tests/test_faults_round2.py
	$(BIN)/python tests/fault_table.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis build *.egg-info test-results .measured
