# Two commands on a fresh Debian machine (Python 3.11):
#   make demo   set everything up, run the batch on examples/inbox, print the statistics
#   make test   set everything up, run every test (LibreOffice, browser and slow ones too)
# For a developer's fast loop: make test-fast (pytest -m "not slow", on both cores).
SHELL  := /bin/bash
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

.PHONY: setup system demo desk test test-fast bench clean-demo catalog

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
	@echo "== ppid run examples/inbox-2026-12-03 (the next week: a supplement, objections, a proposed item, an item the personal-data screen holds, a delegated answer; processing date $(DEMO_DATE2))"
	@$(BIN)/ppid run examples/inbox-2026-12-03 --date $(DEMO_DATE2) --out out/demo | grep -v '^Note: '; rc=$${PIPESTATUS[0]}; [ $$rc -le 1 ] || exit $$rc  # the first run gave the notes
	@echo "== ppid run examples/inbox-2027-01-20 (January: an objection in time from notice_received, a late one; processing date $(DEMO_DATE3))"
	@$(BIN)/ppid run examples/inbox-2027-01-20 --date $(DEMO_DATE3) --out out/demo | grep -v '^Note: '; rc=$${PIPESTATUS[0]}; [ $$rc -le 1 ] || exit $$rc  # the first run gave the notes
	@echo "== delivery: the letters owed by e-mail, the status page, the officers' reminders"
	@$(BIN)/python -m pipeline.delivery.demo --records records --out out/demo --date $(DEMO_DATE3)
	@echo "== ppid stats --year 2026"
	@$(BIN)/ppid stats --year 2026 --date $(DEMO_DATE3)
	@echo "== ppid report --year 2026"
	@$(BIN)/ppid report --year 2026 --date $(DEMO_DATE3) --out out/demo/report
	@echo "== letters in out/demo/, register in records/register.csv and records/register.parquet"
	@echo "== the office desk on a copy of this data: make desk (http://127.0.0.1:8470/, demo-ppid / demo-ppid-2026)"

# The desk (a local web front) on a copy of the demo's data in out/desk-demo/, so that the
# decisions a visitor writes never touch examples/ (git status stays clean); three demo
# users; a demo pseudonym key for this session only, through the environment (config/
# keeps the stock value, which ppid refuses for real use; the demo key itself is accepted
# only with PPID_DEMO=1, as here: pipeline/export.py DEMO_KEY). Ctrl+C stops it.
DESK_WORK := out/desk-demo
DESK_DEMO_KEY := demo-only-pseudonym-key-not-for-real-use-2026
desk: setup
	@rm -rf $(DESK_WORK) && mkdir -p $(DESK_WORK)/inbox
	@cp -R examples/inbox examples/inbox-2026-12-03 examples/inbox-2027-01-20 $(DESK_WORK)/inbox/
	@echo "== the desk's data: a copy of examples/ in $(DESK_WORK)/ (examples/ is not changed)"
	@for run in "inbox $(DEMO_DATE)" "inbox-2026-12-03 $(DEMO_DATE2)" "inbox-2027-01-20 $(DEMO_DATE3)"; do set -- $$run; \
	  $(BIN)/ppid run $(DESK_WORK)/inbox/$$1 --date $$2 --records $(DESK_WORK)/records --out $(DESK_WORK)/out \
	    >$(DESK_WORK)/run-$$1.log 2>&1; rc=$$?; \
	  if [ $$rc -gt 1 ]; then cat $(DESK_WORK)/run-$$1.log; exit $$rc; fi; \
	  echo "   ppid run $$1 (processing date $$2): $$(grep -c '^  ' $(DESK_WORK)/run-$$1.log) file(s); log in $(DESK_WORK)/run-$$1.log"; \
	done
	@grep -h -m1 "^Note: " $(DESK_WORK)/run-inbox.log || true  # once, not once a run
	@for r in clerk ppid atasan_ppid analyst; do n=$$(echo $$r | tr _ -); \
	  PPID_DESK_PASSWORD=demo-$$n-2026 $(BIN)/ppid users add demo-$$n --role $$r --records $(DESK_WORK)/records >/dev/null; done
	@echo "== a demo pseudonym key is set for this session only (PPID_PSEUDONYM_KEY in the environment, not in config/)"
	@echo "== ppid desk on http://127.0.0.1:8470/ : log in as demo-ppid / demo-ppid-2026 (also demo-clerk, demo-atasan-ppid, demo-analyst)"
	@PPID_DEMO=1 PPID_PSEUDONYM_KEY=$(DESK_DEMO_KEY) $(BIN)/ppid desk --inbox-root $(DESK_WORK)/inbox --records $(DESK_WORK)/records \
	  --out $(DESK_WORK)/out --date $(DEMO_DATE3)

test: setup
	$(BIN)/pytest -q

# PYTHONDONTWRITEBYTECODE= lets pytest keep its rewritten test modules (collection drops from about 9 s to 2 s);
# PPID_FAST_LOOP=1 skips waiting for the disk and runs a fifth of the Hypothesis examples (tests/conftest.py);
# the tests' temporary folders go to /dev/shm (memory) when it has 2 GB free, one folder per clone, emptied at
# each start (the fast loop writes about 130 MB there; on the disk, creating and deleting them took 10-14 s).
# `make test` runs with the real fsync, every example, and its temporary folders on the disk.
FAST_TMP := $(shell d=/dev/shm; [ -d $$d ] && [ -w $$d ] && [ "$$(df -Pk $$d 2>/dev/null | awk 'NR==2{print $$4}')" -gt 2097152 ] 2>/dev/null \
	&& echo "--basetemp=$$d/ppid-test-fast-$$(printf %s '$(CURDIR)' | md5sum | cut -c1-8)")
test-fast: setup
	PYTHONDONTWRITEBYTECODE= PPID_FAST_LOOP=1 $(BIN)/pytest -q -m "not slow" -n 2 $(FAST_TMP)

bench: setup
	$(BIN)/python bench/bench_pipeline.py

# The desk's message catalog: extract the marked strings, merge them into the Indonesian
# catalog (fill in the new msgstr), compile the .mo that is shipped with the package.
DESK_T := pipeline/desk/translations
catalog: $(BIN)/ppid
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output --project ppid-desk -o $(DESK_T)/messages.pot .
	$(BIN)/pybabel update -i $(DESK_T)/messages.pot -d $(DESK_T) -l id --no-fuzzy-matching -w 100
	$(BIN)/pybabel compile -d $(DESK_T) --statistics
