# Two commands on a fresh machine with Python 3.11:
#   make demo   install, regenerate every release, grade the example submissions, print grades
#   make test   install (reused when up to date), then the test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(CURDIR)/$(VENV)/bin
STAMP  := $(VENV)/.installed
# nbgrader runs `alembic` as a subprocess, so the environment's bin/ must be on PATH.
export PATH := $(BIN):$(PATH)

.PHONY: install release demo test clean

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install -r requirements.txt
	$(BIN)/python -m pip install --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

release: install
	$(BIN)/python -m autograder release

demo: release
	$(BIN)/python -m autograder grade hw1_foundations examples/submissions --out out/demo

test: install
	$(BIN)/python -m pytest

clean:
	rm -rf out gradebook.db
