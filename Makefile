# liqbot: `make demo` and `make test` work from a fresh clone with nothing but Python 3.11+.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.liqbot-installed

.PHONY: demo test check bench install clean constraints

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# constraints.txt pins every dependency to the versions the suite was last run with (pytest turns
# warnings into errors, so a new release's deprecation must not break a fresh clone). Refresh it
# with `make constraints` after bumping a dependency in pyproject.toml.
$(STAMP): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# The demo token is an at-risk one of the bundled DEMO DATA (tests/cli checks it stays at risk).
# `liqbot demo history` (hidden) stores ten days of hourly DEMO DATA scans and a few outreach
# replies first, so the market-maker statuses have whole days to be judged on; the demo token was
# deeper then, so today's scan shows its ±2% depth collapse as an alert and the digest its change.
DEMO_ENV   := DATABASE_URL=sqlite:///./demo.db MARKET_SOURCE=demo
DEMO_TOKEN := ZIBBKA

demo: $(STAMP)
	@rm -f demo.db
	$(DEMO_ENV) $(BIN)/liqbot supply import --demo
	$(DEMO_ENV) $(BIN)/liqbot demo history
	$(DEMO_ENV) $(BIN)/liqbot scan
	$(DEMO_ENV) $(BIN)/liqbot digest --dry-run
	@echo
	@echo '$$ liqbot ask "/liquidity $(DEMO_TOKEN)"'
	@$(DEMO_ENV) $(BIN)/liqbot ask "/liquidity $(DEMO_TOKEN)"
	@echo
	@echo '$$ liqbot ask "/mm $(DEMO_TOKEN)"'
	@$(DEMO_ENV) $(BIN)/liqbot ask "/mm $(DEMO_TOKEN)"

LINTED := $(wildcard bot commands jobs tests benchmarks)

check: $(STAMP)
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)
	$(BIN)/mypy bot commands jobs
	$(BIN)/lint-imports

test: check
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python benchmarks/scan.py
	$(BIN)/python benchmarks/ack.py
	$(BIN)/python benchmarks/history.py
	$(BIN)/python benchmarks/faults.py
	$(BIN)/python benchmarks/mm_status.py

constraints: $(STAMP)
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^liqbot' > constraints.txt

clean:
	rm -rf $(VENV) demo.db liqbot.db
