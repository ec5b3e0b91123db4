# The two commands: `make run` and `make test` (see README.md).
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: run test bench setup screenshots lint clean dist i18n

setup:
	@packaging/bootstrap.sh

## Open the app on the demo workshop (sets everything up first).
run: setup
	$(PY) -m calms_desktop --demo

## The whole test suite, offscreen (sets everything up first).
test: setup
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q

## Speed and memory benchmarks; prints each measurement against its goal.
bench: setup
	QT_QPA_PLATFORM=offscreen $(PY) -m benchmarks

## Screenshots of every screen into out/screenshots (real windows under Xvfb).
screenshots: setup
	xvfb-run -a -s "-screen 0 1920x1080x24" $(PY) -m tools.screenshots

## The self-contained Linux bundle (PyInstaller --onedir) in dist/calms-desktop.
dist: setup
	$(PY) -m tools.build_bundle --out dist
## Translations: extract calms.pot from the sources, merge it into every .po, compile the .mo
## (the .mo files are committed, so a clean clone and a wheel carry them).
i18n: setup
	$(PY) -m tools.i18n all

lint: setup
	$(PY) -m ruff check calms_desktop tests

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache
