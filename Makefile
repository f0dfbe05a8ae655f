# Cablegram: two commands do all set-up — `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
ARCHIVE ?= demo-archive
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test install lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

demo: install
	rm -rf $(ARCHIVE)
	$(BIN)/cablegram init $(ARCHIVE)
	$(BIN)/cablegram ingest --archive $(ARCHIVE) samples
	$(BIN)/cablegram serve --archive $(ARCHIVE) --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check cablegram tests bench
	$(BIN)/mypy

test: lint
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python bench/extract_speed.py

clean:
	rm -rf $(VENV) $(ARCHIVE) .pytest_cache .mypy_cache .ruff_cache
