# Two commands do all the set-up on a fresh machine:
#   make book   build the textbook into _build/html (full settings, the teacher's edition;
#               IMAGEREC_EDITION=student make book: the student edition, without solutions,
#               in _build/student/html, from the same executed chapters)
#   make test   run the doctests and the test suite (installs the system packages the tests
#               need where missing: .ci/install-system-packages.sh)
# and a third makes the PDF edition (needs TeX Live; see README):
#   make pdf    _build/latex/imagerec.pdf from the executed chapters of make book's build,
#               linked from the HTML (IMAGEREC_QUICK=1: the quick book, in _build/quick)
#   make bench  run the benchmarks of benchmarks/ (about 16 minutes on 2 cores)
#   make check-resolution  check that constraints.txt resolves on every platform (network)
# Each creates .venv and installs the pinned dependencies first.
# TF=gpu installs tensorflow[and-cuda] instead of the CPU TensorFlow (GPU runners).
# EXTRAS=book,test,lint also installs actionlint for tests/test_workflow.py (CI does).

# The first Python 3.11 or newer on PATH, unless PYTHON is given (PYTHON=python3.12 make ...).
comma := ,
ifeq ($(origin PYTHON),undefined)
PYTHON := $(firstword $(foreach p,python3.13 python3.12 python3.11 python3,$(shell $(p) -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1 && echo $(p))))
ifeq ($(PYTHON),)
$(error No Python 3.11 or newer found (tried python3.13, python3.12, python3.11 and python3). Install one, or name it, e.g. make PYTHON=/path/to/python3.12 test)
endif
endif
TF ?= cpu
EXTRAS ?= book,test
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(TF)-$(subst $(comma),-,$(EXTRAS))
SPHINXOPTS ?= -W --keep-going -n -j auto

.PHONY: book quick-book pdf test bench check-resolution clean

$(STAMP): pyproject.toml constraints.txt
	rm -f $(VENV)/.installed-*
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "$(PYTHON) is not Python 3.11 or newer" >&2; exit 1; }
	@# A venv made by another Python version cannot be reused: start afresh.
	@[ ! -x $(BIN)/python ] || [ "$$($(BIN)/python -c 'import sys; print(sys.version_info[:2])')" = "$$($(PYTHON) -c 'import sys; print(sys.version_info[:2])')" ] || rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[$(TF),$(EXTRAS)]"
	touch $@

# Both editions share the doctrees (what was read and executed): the student edition is
# written from the chapters the teacher's build executed, and the other way round.
edition_dir = $(1)$(if $(filter student,$(IMAGEREC_EDITION)),/student)

book: $(STAMP)
	$(BIN)/sphinx-build $(SPHINXOPTS) -b html -d _build/doctrees . $(call edition_dir,_build)/html

quick-book: $(STAMP)
	IMAGEREC_QUICK=1 $(BIN)/sphinx-build $(SPHINXOPTS) -b html -d _build/quick/doctrees . $(call edition_dir,_build/quick)/html

# The PDF reuses the HTML build's doctrees (-d), so no chapter is executed and no network
# trained again; the second HTML build adds the PDF's link to every page.
PDF_BUILD := $(if $(filter 1,$(IMAGEREC_QUICK)),_build/quick,_build)
PDF_OUT := $(call edition_dir,$(PDF_BUILD))

pdf: $(STAMP)
	$(BIN)/sphinx-build $(SPHINXOPTS) -b html -d $(PDF_BUILD)/doctrees . $(PDF_OUT)/html
	IMAGEREC_GALLERY=keep $(BIN)/sphinx-build $(SPHINXOPTS) -b latex -d $(PDF_BUILD)/doctrees . $(PDF_OUT)/latex
	$(MAKE) -C $(PDF_OUT)/latex all-pdf LATEXMKOPTS="-xelatex -silent" LATEXOPTS="-halt-on-error"
	IMAGEREC_GALLERY=keep $(BIN)/sphinx-build $(SPHINXOPTS) -b html -d $(PDF_BUILD)/doctrees . $(PDF_OUT)/html
	@echo "PDF edition: $(PDF_OUT)/latex/imagerec.pdf"

# The system packages first (a fraction of a second when they are there): the script prints
# the Chromium or Chrome it found, which the browser tests drive.
test: $(STAMP)
	chromium=$$(.ci/install-system-packages.sh) && IMAGEREC_CHROMIUM="$$chromium" $(BIN)/python -m pytest

check-resolution:
	$(PYTHON) .ci/check_resolution.py

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_convolution.py
	$(BIN)/python benchmarks/bench_training.py
	$(BIN)/python benchmarks/bench_build.py
	$(BIN)/python benchmarks/bench_tests.py

clean:
	rm -rf _build auto_examples jupyter_execute
