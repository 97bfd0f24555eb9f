# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup run test lint check-schema

setup: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

run: setup
	$(BIN)/coalition migrate
	$(BIN)/coalition demo --if-empty
	$(BIN)/coalition serve --host $${HOST:-127.0.0.1} --port $${PORT:-8000}

lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy src

check-schema: setup
	$(BIN)/coalition check-migrations
	$(BIN)/coalition openapi --check docs/openapi.json

test: lint check-schema
	$(BIN)/python -m pytest
