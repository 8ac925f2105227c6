# The two commands of the README. Each sets up what it needs from nothing
# but Python 3.11+ and make.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: demo test bench schemas golden clean

demo: $(VENV)/.installed
	$(BIN)/rolecall replay scenarios/stripe-subscription.toml -o out/stripe-subscription

test: $(VENV)/.installed-test
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/pytest -q

$(VENV)/.created:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	touch $@

$(VENV)/.installed: $(VENV)/.created pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.created pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

# Regenerate what tests pin: the published JSON Schemas and the golden transcripts.
schemas: $(VENV)/.installed
	$(BIN)/python -c "from pathlib import Path; from rolecall.schemas import publish; publish(Path('schemas'))"

golden: $(VENV)/.installed-test
	$(BIN)/pytest -q tests/render --update-golden -k golden

bench: $(VENV)/.installed
	$(BIN)/python benchmarks/cli_cold_start.py
	$(BIN)/python benchmarks/replay_throughput.py --modes events-only,default,render,report,check
	$(BIN)/python benchmarks/policy_throughput.py

clean:
	rm -rf $(VENV) out .mypy_cache .ruff_cache .pytest_cache
