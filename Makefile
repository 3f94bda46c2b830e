# The commands that matter on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup test-machine test bench fuzz demo screenshot faults-table clean

setup: $(STAMP)
	@$(BIN)/ssi browser install

# Re-installs only when pyproject.toml changes, so a second `make setup` takes a second.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $(STAMP)

# What the tests and the benchmark need of the machine beyond the product's own browser: Xvfb (a
# sign-in in a real window, on a virtual screen) and the headless shell (the old daily visit, which
# the tests replay to show the stand-in ends it, and the benchmark's "what the full browser costs").
TEST_APT := xvfb chromium-headless-shell
test-machine: setup
	@$(BIN)/python -c "import shutil, sys; from collector.browser.find import headless_shell; \
	  sys.exit(0 if headless_shell() and shutil.which('Xvfb') else 1)" || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; elif sudo -n true 2>/dev/null; then SUDO="sudo -n"; \
	  else echo "make test needs: apt-get install $(TEST_APT)"; exit 1; fi; \
	  echo "setup: installing $(TEST_APT) for the tests"; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(TEST_APT); }

test: test-machine
	$(BIN)/python -m pytest

demo: setup
	$(BIN)/ssi demo

bench: test-machine
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
