# Two entry points for a newcomer (see README.md): `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.requirements-installed

.PHONY: run test sample bench browser gdal assets i18n msgfmt

$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

# Debian's Chromium (browser tests) and poppler-utils (briefing pages rendered to images),
# installed when missing and we may use apt-get.
browser:
	@command -v chromium >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      chromium poppler-utils >/dev/null; \
	  else echo "chromium / pdftoppm not found: those tests will be skipped"; fi; }

# Debian's gettext: msgfmt --check-format is one of the catalog checks (tests/i18n/test_catalog.py).
msgfmt:
	@command -v msgfmt >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      gettext >/dev/null; \
	  else echo "msgfmt not found: the msgfmt check will be skipped"; fi; }

# Translations: English msgids in the code, Vietnamese in locale/vi/LC_MESSAGES/laocai.po
# (edit it with Poedit or any .po editor). `make i18n` extracts the msgids (config:
# [tool.babel] in pyproject.toml), merges them into the .po and compiles it; `make run` and
# `make test` only compile it (the .mo is not committed).
DOMAIN := laocai
PO := locale/vi/LC_MESSAGES/$(DOMAIN).po
MO := $(PO:.po=.mo)
POT := locale/$(DOMAIN).pot
I18N_SOURCES := app.py ui analysis geo i18n $(wildcard report)

$(MO): $(PO) | $(STAMP)
	$(BIN)/pybabel compile --domain $(DOMAIN) --directory locale --locale vi --statistics

i18n: $(STAMP)
	@# python -m (not pybabel) so that the extractor i18n.extract imports from here
	$(BIN)/python -m babel.messages.frontend extract --mapping-file pyproject.toml --sort-by-file \
	  --project laocai-planner --output-file $(POT) $(I18N_SOURCES)
	$(BIN)/pybabel update --domain $(DOMAIN) --input-file $(POT) --output-dir locale \
	  --locale vi --no-fuzzy-matching --ignore-obsolete
	$(MAKE) $(MO)

# The map's JavaScript and CSS, from the npm packages pinned in web/, copied to static/vendor/
# and served by the app itself (ui/map/assets.py). Without npm the map loads them from CDNs.
VENDOR_STAMP := static/vendor/.installed

$(VENDOR_STAMP): web/package.json web/package-lock.json ui/map/assets.py | $(STAMP)
	@if command -v npm >/dev/null 2>&1; then \
	  { npm ci --prefix web --ignore-scripts --no-audit --no-fund --loglevel=error \
	    && $(BIN)/python -m ui.map.assets && touch $@; } \
	  || echo "warning: could not install the map's JS/CSS: the map will load them from CDNs"; \
	else echo "npm not found: the map will load its JS/CSS from CDNs (install Node.js and npm)"; fi

assets: $(VENDOR_STAMP)

run: $(STAMP) assets $(MO)
	$(BIN)/streamlit run app.py --server.headless true

test: $(STAMP) browser msgfmt assets $(MO)
	$(BIN)/python -m ruff check .
	$(BIN)/python -m pytest

sample: $(STAMP)
	$(BIN)/python -m geo.sample

# The coverage benchmark compares with GDAL's viewshed from Debian's python3-gdal.
gdal:
	@/usr/bin/python3 -c "import osgeo.gdal" 2>/dev/null || { \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-gdal >/dev/null; }

# Every benchmark in turn (about 15 minutes on 2 cores); each prints its table and budgets.
bench: $(STAMP) gdal browser assets
	$(BIN)/python bench/coverage.py
	$(BIN)/python bench/gaps.py
	$(BIN)/python bench/planning.py
	$(BIN)/python bench/brief.py
	$(BIN)/python bench/app.py
	$(BIN)/python bench/planning_app.py
	$(BIN)/python bench/measurements.py
