# Two commands on a fresh Debian machine (Python 3.11):
#   make demo   set everything up, run the batch on examples/inbox, print the statistics
#   make test   set everything up, run every test (LibreOffice, browser and slow ones too)
# For a developer's fast loop: make test-fast (pytest -m "not slow", on both cores).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DEMO_DATE := 2026-11-27
DEMO_DATE2 := 2026-12-03
DEMO_DATE3 := 2027-01-20
# LibreOffice converts the letters; poppler and qpdf check PDFs in the tests; Debian's chromium
# runs the desk's browser tests (Playwright drives it; no browser is downloaded).
SYSTEM_PACKAGES := libreoffice-writer-nogui libreoffice-calc-nogui fonts-liberation2 fonts-dejavu-core fonts-crosextra-carlito \
	poppler-utils qpdf chromium

.PHONY: setup system demo desk test test-fast bench clean-demo

system:  ## LibreOffice, fonts and poppler, only when missing
	@if command -v soffice >/dev/null 2>&1 && dpkg -s libreoffice-calc-nogui >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1 \
	    && command -v qpdf >/dev/null 2>&1 && command -v chromium >/dev/null 2>&1 \
	    && fc-list 2>/dev/null | grep -qi "liberation sans"; then \
	  echo "system packages: present"; \
	else \
	  echo "system packages: installing $(SYSTEM_PACKAGES)"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq \
	    --no-install-recommends $(SYSTEM_PACKAGES) >/dev/null; \
	fi

# constraints.txt pins every package to the versions the tests last passed with.
$(BIN)/ppid: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c constraints.txt -e '.[test]'
	@touch $@

setup: system $(BIN)/ppid

demo: setup
	@echo "== ppid run examples/inbox (processing date $(DEMO_DATE))"
	@$(BIN)/ppid run examples/inbox --date $(DEMO_DATE) --out out/demo; rc=$$?; [ $$rc -le 1 ] || exit $$rc
	@echo "== ppid run examples/inbox-2026-12-03 (the next week: a supplement, two objections, a proposed item, a delegated answer; processing date $(DEMO_DATE2))"
	@$(BIN)/ppid run examples/inbox-2026-12-03 --date $(DEMO_DATE2) --out out/demo; rc=$$?; [ $$rc -le 1 ] || exit $$rc
	@echo "== ppid run examples/inbox-2027-01-20 (January: an objection in time from notice_received, a late one; processing date $(DEMO_DATE3))"
	@$(BIN)/ppid run examples/inbox-2027-01-20 --date $(DEMO_DATE3) --out out/demo; rc=$$?; [ $$rc -le 1 ] || exit $$rc
	@echo "== delivery: the letters owed by e-mail, the status page, the officers' reminders"
	@$(BIN)/python -m pipeline.delivery.demo --records records --out out/demo --date $(DEMO_DATE3)
	@echo "== ppid stats --year 2026"
	@$(BIN)/ppid stats --year 2026 --date $(DEMO_DATE3)
	@echo "== ppid report --year 2026"
	@$(BIN)/ppid report --year 2026 --date $(DEMO_DATE3) --out out/demo/report
	@echo "== letters in out/demo/, register in records/register.csv and records/register.parquet"
	@echo "== the office desk on this data: make desk (http://127.0.0.1:8470/, demo-ppid / demo-ppid-2026)"

# The desk (a local web front) on the demo's data, with three demo users; Ctrl+C stops it.
desk: demo
	@for r in clerk ppid analyst; do PPID_DESK_PASSWORD=demo-$$r-2026 $(BIN)/ppid users add demo-$$r --role $$r >/dev/null; done
	@echo "== ppid desk on http://127.0.0.1:8470/ : log in as demo-ppid / demo-ppid-2026 (also demo-clerk, demo-analyst)"
	@$(BIN)/ppid desk --inbox-root examples --out out/demo --date $(DEMO_DATE3)

test: setup
	$(BIN)/pytest -q

test-fast: setup
	$(BIN)/pytest -q -m "not slow" -n 2

bench: setup
	$(BIN)/python bench/bench_pipeline.py
