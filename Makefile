# liqbot: `make demo` and `make test` work from a fresh clone with nothing but Python 3.11+.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.liqbot-installed

.PHONY: demo test check bench install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	@rm -f demo.db
	DATABASE_URL=sqlite:///./demo.db MARKET_SOURCE=demo $(BIN)/liqbot supply import --demo
	DATABASE_URL=sqlite:///./demo.db MARKET_SOURCE=demo $(BIN)/liqbot scan
	@if $(BIN)/liqbot --help | grep -q ' digest '; then \
	  DATABASE_URL=sqlite:///./demo.db MARKET_SOURCE=demo $(BIN)/liqbot digest --dry-run; fi

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

clean:
	rm -rf $(VENV) demo.db liqbot.db
