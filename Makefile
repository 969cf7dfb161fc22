# Two commands on a fresh machine with Python 3.11:
#   make demo   install, regenerate every release, grade the example submissions, print grades
#   make test   install (reused when up to date), then the test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(CURDIR)/$(VENV)/bin
STAMP  := $(VENV)/.installed
# nbgrader runs `alembic` as a subprocess, so the environment's bin/ must be on PATH.
export PATH := $(BIN):$(PATH)

.PHONY: install sandbox browser release bundles kit demo test rehearsal bench clean

# Two distributions, one version: the student kit (kit/, the `helpers` package) and the
# grader (this folder, `autograder`), both editable here. An editable install skips the
# kit's data file, the JupyterLab setting that saves widget state, so it is copied by hand.
OVERRIDES := $(VENV)/share/jupyter/lab/settings/overrides.d

$(STAMP): requirements.txt pyproject.toml kit/pyproject.toml kit/jupyter/dlcourse-kit.json
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install -r requirements.txt
	$(BIN)/python -m pip install --no-deps -e ./kit
	$(BIN)/python -m pip install --no-deps -e .
	mkdir -p $(OVERRIDES) && cp kit/jupyter/dlcourse-kit.json $(OVERRIDES)/
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

# dist/<assignment>.zip for every assignment: release notebooks, their files, the kit's
# wheel, a pinned requirements.txt and the student README (see README, "Distributing").
bundles: install
	$(BIN)/python -m autograder release --bundle

# The kit's wheel alone, in dist/.
kit: install
	$(BIN)/python -m pip wheel --no-deps --quiet -w dist ./kit

# Sample mode: this machine cannot download weights or data sets (set COURSE_SAMPLE_MODE=0
# where the full data is cached).
demo: export COURSE_SAMPLE_MODE ?= 1
demo: release sandbox
	@set -e; for a in $$(ls source); do \
		echo "== $$a"; $(BIN)/python -m autograder grade $$a examples/submissions/$$a --out out/demo/$$a; done

test: install sandbox browser
	$(BIN)/python -m pytest

# The full-mode rehearsal alone (it is part of `make test` too): every notebook in full mode
# through a course mirror of real-format stand-ins, then graded (tests/test_full_mode.py).
rehearsal: install sandbox
	$(BIN)/python -m pytest tests/test_full_mode.py

bench: install sandbox
	$(BIN)/python benchmarks/plotwidget_redraw.py
	$(BIN)/python benchmarks/grading_throughput.py

clean:
	rm -rf out dist gradebook.db
