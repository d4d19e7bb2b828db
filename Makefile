# Two commands do all the set-up on a fresh machine:
#   make book   build the textbook into _build/html (full settings)
#   make test   run the doctests and the test suite
#   make bench  run the benchmarks of benchmarks/ (about 16 minutes on 2 cores)
# Each creates .venv and installs the pinned dependencies first.
# TF=gpu installs tensorflow[and-cuda] instead of tensorflow-cpu (GPU runners).

PYTHON ?= python3.11
TF ?= cpu
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(TF)
SPHINXOPTS ?= -W --keep-going -n

.PHONY: book quick-book test bench clean

$(STAMP): pyproject.toml constraints.txt
	rm -f $(VENV)/.installed-*
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[$(TF),book,test]"
	touch $@

book: $(STAMP)
	$(BIN)/sphinx-build $(SPHINXOPTS) -b html -d _build/doctrees . _build/html

quick-book: $(STAMP)
	IMAGEREC_QUICK=1 $(BIN)/sphinx-build $(SPHINXOPTS) -b html -d _build/quick/doctrees . _build/quick/html

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_convolution.py
	$(BIN)/python benchmarks/bench_training.py
	$(BIN)/python benchmarks/bench_build.py
	$(BIN)/python benchmarks/bench_tests.py

clean:
	rm -rf _build auto_examples jupyter_execute
