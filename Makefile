PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo test lint bench bench-nrp clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "needs $(PYTHON) on PATH (or PYTHON=...)"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip setuptools wheel
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)
	$(BIN)/rotasat solve instances/quarter-12.json --time-limit 20 -o out/quarter-12.solution.json

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy models engine checker api

bench: $(STAMP)
	$(BIN)/python bench/run.py

# The staff-rostering benchmark (../shared/benchmarks/curtois), e.g.
#   make bench-nrp NRP_TIME=600 NRP_INSTANCES="14 16 20 22"
NRP_TIME ?= 60
NRP_INSTANCES ?= 1 2 3 4 5 6 7 8 11
NRP_RUNS ?= 1
bench-nrp: $(STAMP)
	$(BIN)/python bench/nrp.py --time-limit $(NRP_TIME) --runs $(NRP_RUNS) --instances $(NRP_INSTANCES)

clean:
	rm -rf $(VENV) out build *.egg-info
