# Two entry points: `make run` (set-up + the main job on the bundled corpus) and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
OUT    ?= build

.PHONY: setup run test clean

$(STAMP): requirements.txt requirements-test.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	# torch first and explicitly: left to the resolver, pip pulls a multi-gigabyte CUDA build.
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -r requirements-test.txt
	$(PY) -m pip install -q --no-deps --no-build-isolation -e .
	touch $(STAMP)

setup: $(STAMP)

run: setup
	$(VENV)/bin/synthesis run corpora/lnob-2016 --out $(OUT)

test: setup
	# the review app's browser test drives Debian's Chromium, and a report test converts to PDF with LibreOffice
	# (root installs both when missing)
	(test -x /usr/bin/chromium && command -v soffice >/dev/null) || [ "$$(id -u)" != 0 ] || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium \
		libreoffice-writer-nogui >/dev/null)
	# two workers (these machines have two cores), a test file to a worker so its fixtures are built once
	$(PY) -m pytest -q -n 2 --dist loadfile --durations=15

clean:
	rm -rf $(OUT) .pytest_cache
