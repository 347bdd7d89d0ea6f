# Two commands for a newcomer: `make run` (default experiment) and `make test` (the test suite).
# Both create .venv with the Python that .python-version selects (3.12 via pyenv) and install the project.
PYTHON ?= $(shell command -v pyenv >/dev/null 2>&1 && pyenv which python 2>/dev/null || command -v python3.12 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup run test sweep report bench lint app lab clean

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

# the interactive page on http://127.0.0.1:8765 (offline: assets from solara-assets, no telemetry)
app: $(STAMP)
	SOLARA_TELEMETRY_MIXPANEL_ENABLE=False $(BIN)/solara run app.py --host 127.0.0.1 --port 8765

# JupyterLab on the notebooks, bound to this machine
lab: $(STAMP)
	$(BIN)/jupyter lab --ip=127.0.0.1 --notebook-dir=notebooks

clean:
	rm -rf $(VENV) outputs multirun sweeps .pytest_cache
