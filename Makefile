# Two commands on a fresh machine with Python 3.11:
#   make demo   install, regenerate every release, grade the example submissions, print grades
#   make test   install (reused when up to date), then the test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(CURDIR)/$(VENV)/bin
STAMP  := $(VENV)/.installed
# nbgrader runs `alembic` as a subprocess, so the environment's bin/ must be on PATH.
export PATH := $(BIN):$(PATH)

.PHONY: install sandbox browser release demo test bench clean

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install -r requirements.txt
	$(BIN)/python -m pip install --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

# Debian packages: bubblewrap is the grading sandbox; the widget tests drive Chromium
# (Playwright's own browser download is not used).
sandbox:
	@command -v bwrap >/dev/null || { apt-get update -qq && apt-get install -y -qq bubblewrap; }

browser:
	@test -x /usr/bin/chromium || { apt-get update -qq && apt-get install -y -qq chromium; }

release: install
	$(BIN)/python -m autograder release

# Sample mode: this machine cannot download weights or data sets (set COURSE_SAMPLE_MODE=0
# where the full data is cached).
demo: export COURSE_SAMPLE_MODE ?= 1
demo: release sandbox
	@set -e; for a in $$(ls source); do \
		echo "== $$a"; $(BIN)/python -m autograder grade $$a examples/submissions/$$a --out out/demo/$$a; done

test: install sandbox browser
	$(BIN)/python -m pytest

bench: install sandbox
	$(BIN)/python benchmarks/plotwidget_redraw.py
	$(BIN)/python benchmarks/grading_throughput.py

clean:
	rm -rf out gradebook.db
