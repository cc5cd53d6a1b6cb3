# voxsearch — the README's commands. Everything runs from the project's own .venv.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
EXTRAS := server,pocketsphinx,whisper,whisper-base,silero,demo
STAMP  := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
# pip does not byte-compile an editable install; with PYTHONDONTWRITEBYTECODE set every command would
# compile our modules again (~10-20 ms of each CLI start)
COMPILE := $(BIN)/python -m compileall -q src
HOST ?= 127.0.0.1
PORT ?= 8000
CATALOG ?= places

.PHONY: install dev serve test test-fast bench corpus corpus-subset demo-catalog clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# silero-vad's wheel pins torch; we only need its .onnx file, run by onnxruntime.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[$(EXTRAS)]'
	$(BIN)/pip install --quiet --no-deps 'silero-vad>=5.1'
	$(COMPILE)
	touch $@

$(DEV_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -e '.[$(EXTRAS),dev]'
	touch $@

install: $(STAMP)

dev: $(DEV_STAMP)

demo-catalog: $(STAMP)
	$(BIN)/voxsearch catalog demo --name $(CATALOG)

serve: demo-catalog
	$(BIN)/voxsearch serve --catalog $(CATALOG) --host $(HOST) --port $(PORT)

# One pytest worker per core; tests sharing a module or the trained models stay on one worker (tests/conftest.py).
test: $(DEV_STAMP)
	$(BIN)/python -m pytest -n auto --dist loadgroup

test-fast: $(DEV_STAMP)
	$(BIN)/python -m pytest -n auto --dist loadgroup -m "not slow"

# Needs apt: sox (the reference for data standardize).
bench: $(DEV_STAMP)
	$(COMPILE)
	$(BIN)/python -m bench
	$(BIN)/python -m bench.standardize

# Needs apt: flite festival festvox-us-slt-hts espeak-ng.
corpus: $(DEV_STAMP)
	$(BIN)/pip install --quiet -e '.[$(EXTRAS),dev,corpus]'
	$(BIN)/python scripts/make_corpus.py --out corpus

corpus-subset: corpus
	$(BIN)/python scripts/make_corpus.py --subset tests/data/corpus

clean:
	rm -rf $(VENV) build *.egg-info
