# Two commands for a newcomer: `make run` (default experiment) and `make test` (the test suite).
# Both create .venv with the Python that .python-version selects (3.12 via pyenv) and install the project.
PYTHON ?= $(shell command -v pyenv >/dev/null 2>&1 && pyenv which python 2>/dev/null || command -v python3.12 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup run test sweep report bench lint clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] >= (3, 12), f"Python 3.12+ needed, found {sys.version.split()[0]} at {sys.executable}; install it with pyenv (see .python-version)"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	@touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(BIN)/python -m experiments.run

test: $(STAMP)
	$(BIN)/python -m pytest -q

sweep: $(STAMP)
	$(BIN)/python -m experiments.sweep sweep=default

report: $(STAMP)
	$(BIN)/python -m experiments.discover discover=default

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_model.py

lint: $(STAMP)
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) outputs multirun sweeps .pytest_cache
