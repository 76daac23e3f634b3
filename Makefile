# Quick start:  make run   (set up .venv, start the app on seeds/, building the index if missing)
#               make test  (set up .venv, lint, run the whole test suite)
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
STAMP := $(VENV)/.requirements-installed

.PHONY: run test lint index

$(STAMP): requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Python 3.11 is required (set PYTHON=/path/to/python3.11)")'
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/python -m streamlit run app.py

index: $(STAMP)
	$(VENV)/bin/python -m qa index build

lint: $(STAMP)
	$(VENV)/bin/ruff check qa tests app.py

test: $(STAMP) lint
	$(VENV)/bin/python -m pytest
