# Two commands do all the set-up on a fresh machine:
#   make book   build the textbook into _build/html (full settings)
#   make test   run the doctests and the test suite
# and a third makes the PDF edition (needs TeX Live; see README):
#   make pdf    _build/latex/imagerec.pdf from the executed chapters of make book's build,
#               linked from the HTML (IMAGEREC_QUICK=1: the quick book, in _build/quick)
#   make bench  run the benchmarks of benchmarks/ (about 16 minutes on 2 cores)
# Each creates .venv and installs the pinned dependencies first.
# TF=gpu installs tensorflow[and-cuda] instead of tensorflow-cpu (GPU runners).

PYTHON ?= python3.11
TF ?= cpu
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(TF)
SPHINXOPTS ?= -W --keep-going -n -j auto

.PHONY: book quick-book pdf test bench clean

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

# The PDF reuses the HTML build's doctrees (-d), so no chapter is executed and no network
# trained again; the second HTML build adds the PDF's link to every page.
PDF_BUILD := $(if $(filter 1,$(IMAGEREC_QUICK)),_build/quick,_build)

pdf: $(STAMP)
	$(BIN)/sphinx-build $(SPHINXOPTS) -b html -d $(PDF_BUILD)/doctrees . $(PDF_BUILD)/html
	$(BIN)/sphinx-build $(SPHINXOPTS) -b latex -d $(PDF_BUILD)/doctrees . $(PDF_BUILD)/latex
	$(MAKE) -C $(PDF_BUILD)/latex all-pdf LATEXMKOPTS="-xelatex -silent" LATEXOPTS="-halt-on-error"
	$(BIN)/sphinx-build $(SPHINXOPTS) -b html -d $(PDF_BUILD)/doctrees . $(PDF_BUILD)/html
	@echo "PDF edition: $(PDF_BUILD)/latex/imagerec.pdf"

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_convolution.py
	$(BIN)/python benchmarks/bench_training.py
	$(BIN)/python benchmarks/bench_build.py
	$(BIN)/python benchmarks/bench_tests.py

clean:
	rm -rf _build auto_examples jupyter_execute
