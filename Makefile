# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup run test lint typecheck check-schema

setup: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

run: setup
	$(BIN)/coalition migrate
	$(BIN)/coalition demo --if-empty
	@# The demo's logins (README): no second factor asked of its chair, fund manager and
	@# admin; a real installation keeps COALITION_REQUIRE_2FA on (the default).
	COALITION_REQUIRE_2FA=$${COALITION_REQUIRE_2FA:-0} $(BIN)/coalition serve --host $${HOST:-127.0.0.1} --port $${PORT:-8000}

lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: setup
	$(BIN)/mypy src

check-schema: setup
	$(BIN)/coalition check-migrations
	$(BIN)/coalition openapi --check docs/openapi.json

# mypy runs beside the tests (it is single-threaded): any failure of either fails the target.
test: lint check-schema
	@$(BIN)/mypy src > .mypy.out 2>&1 & mypy=$$!; \
	$(BIN)/python -m pytest; tests=$$?; \
	wait $$mypy; types=$$?; cat .mypy.out; rm -f .mypy.out; \
	test $$tests -eq 0 -a $$types -eq 0
