# The README's two commands: `make demo` and `make test`. Each creates .venv when missing and installs what it needs.
# `make test-colab` runs the same suite on Google Colab's versions (constraints/colab.txt) in .venv-colab.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
DRIVE  ?= drive

# Colab runs Python 3.13: use one that runs (on PATH, or under pyenv: a pyenv shim may exist yet not run), else $(PYTHON).
COLAB_PYTHON ?= $(shell for p in python3.13 $(HOME)/.pyenv/versions/3.13*/bin/python3.13; do \
	$$p -c 'import sys; assert sys.version_info[:2] == (3, 13)' 2>/dev/null && { command -v $$p; exit 0; }; done; \
	echo $(PYTHON))
CVENV  := .venv-colab
CPY    := $(CVENV)/bin/python
CSTAMP := $(CVENV)/.installed

.PHONY: demo test test-fast test-colab bench install install-colab clean notebooks colab-constraints

# The newest stack the ranges allow, plus the newest praw/prawcore pair on top (see requirements.txt).
$(STAMP): requirements.txt pyproject.toml constraints/newest-praw.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	$(PY) -m pip install -q -e '.[dev]'
	$(PY) -m pip install -q --no-deps -r constraints/newest-praw.txt  # newer than the project allows: tested here
	touch $(STAMP)

# Built from scratch whenever an input changes, so the "nothing changed" check always starts from Colab's state:
# Colab's versions first (its pip included), then the project the way the setup cell installs it (no constraints).
$(CSTAMP): requirements.txt pyproject.toml constraints/colab.txt tools/pip_unchanged.py
	rm -rf $(CVENV)
	@echo "test-colab: Python $$($(COLAB_PYTHON) -c 'import sys; print(sys.version.split()[0])') ($(COLAB_PYTHON)); Colab runs 3.13"
	$(COLAB_PYTHON) -m venv $(CVENV)
	$(CPY) -m pip install -q -r constraints/colab.txt
	$(CPY) -m pip freeze --all > $(CVENV)/before.txt
	@start=$$(date +%s); $(CPY) -m pip install -q . && echo "test-colab: project installed in $$(( $$(date +%s) - start )) s"
	$(CPY) -m pip freeze --all > $(CVENV)/after.txt
	$(CPY) tools/pip_unchanged.py $(CVENV)/before.txt $(CVENV)/after.txt --added-out $(CVENV)/added.txt
	$(CPY) -m pip download -q --no-deps -d $(CVENV)/added -r $(CVENV)/added.txt
	@echo "test-colab: download size of the added packages: $$(du -cb $(CVENV)/added/* | tail -1 | cut -f1) bytes"
	$(CPY) -m pip install -q --no-deps -e .  # the checkout itself, so the tests run the code in front of them
	touch $(CSTAMP)

install: $(STAMP)

install-colab: $(CSTAMP)

demo: $(STAMP)
	$(PY) -m helpers demo --drive $(DRIVE)

VERSIONS := import sys, praw, prawcore, requests, tensorflow, keras, keras_hub, pandas, jupyter_client; \
	print(', '.join(['python ' + sys.version.split()[0]] + [f'{m.__name__} {m.__version__}' for m in \
	(tensorflow, keras, keras_hub, pandas, jupyter_client, requests, praw, prawcore)]))

# Lint first (ruff comes with the dev extra); test-colab installs the project without it, so it does not lint.
test: $(STAMP)
	@TF_CPP_MIN_LOG_LEVEL=3 $(PY) -c "$(VERSIONS)" 2>/dev/null
	$(PY) -m ruff check helpers tests tools bench
	$(PY) -m pytest -q tests

# The fast lane while working: lint, then every test not marked slow (no model training, notebook or GPT-2 process):
# under 3 minutes on 2 cores. `make test` stays the whole suite.
test-fast: $(STAMP)
	$(PY) -m ruff check helpers tests tools bench
	$(PY) -m pytest -q -m "not slow" tests

test-colab: $(CSTAMP)
	@TF_CPP_MIN_LOG_LEVEL=3 $(CPY) -c "$(VERSIONS)" 2>/dev/null
	$(CPY) -m pytest -q tests

bench: $(STAMP)
	$(PY) -m bench

notebooks: $(STAMP)
	$(PY) tools/build_notebooks.py

# Refresh constraints/colab.txt after copying a newer Colab freeze (see tools/colab_constraints.py).
colab-constraints: $(STAMP)
	$(PY) tools/colab_constraints.py $(FREEZE) --source "$(SOURCE)" $(if $(PINS),--colab-pins $(PINS))

clean:
	rm -rf $(DRIVE) bench/_work .pytest_cache
