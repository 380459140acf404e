# mlte_nb: `make demo` runs the example notebook on real data; `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_NB := notebooks/garden_buddy.ipynb
REPORTS := notebooks/reports

.PHONY: demo test bench lint typecheck pytest env-dev env-notebooks clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.notebooks: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e ".[notebooks]"
	touch $@

$(VENV)/.dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e ".[dev,notebooks]"
	touch $@ $(VENV)/.notebooks

env-notebooks: $(VENV)/.notebooks
env-dev: $(VENV)/.dev

demo: env-notebooks
	@mkdir -p $(REPORTS)
	$(BIN)/mlte-nb run $(DEMO_NB) --output $(REPORTS)/garden_buddy.ipynb; \
	  status=$$?; \
	  if [ $$status -gt 1 ]; then exit $$status; fi; \
	  echo "demo: store in notebooks/mlte_store/, report in $(REPORTS)/garden_buddy.html (exit $$status: 1 means some conditions fail, as they should)"

lint: env-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: env-dev
	$(BIN)/mypy

# The reference (mlte-python 0.2.10, own venv) lets the compatibility tests run; without
# it (no registry) they skip, saying so.
pytest: env-dev
	-$(BIN)/python bench/_reference.py > /dev/null
	$(BIN)/python -m pytest -q

test: lint typecheck pytest

# Every benchmark against mlte-python 0.2.10 (installed into bench/.venv-reference on first
# use), measured in one run; writes bench/results.md.
bench: env-dev
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) notebooks/mlte_store $(REPORTS) notebooks/model notebooks/media tests/output
