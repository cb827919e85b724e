# Two commands for a fresh machine with only Python: `make demo` and `make test`.
# Both create .venv and install what they need.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
OUT    ?= out

.PHONY: demo test install system-deps lint eval bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## The main job on the bundled examples: extract, assess, store, export; then how to open the dashboard.
demo: $(STAMP)
	mkdir -p $(OUT)
	$(BIN)/fazhi extract examples --format table
	$(BIN)/fazhi extract examples --format jsonl > $(OUT)/examples.jsonl
	$(BIN)/fazhi assess examples --format table
	rm -f $(OUT)/fazhi.db
	$(BIN)/fazhi ingest examples --db $(OUT)/fazhi.db --no-progress
	$(BIN)/fazhi export --db $(OUT)/fazhi.db --to xlsx --to docx --to csv -o $(OUT)
	@echo
	@echo "Wrote $(OUT)/examples.jsonl, $(OUT)/fazhi.db, $(OUT)/fazhi.xlsx, $(OUT)/fazhi.docx and CSV tables in $(OUT)/."
	@echo "Open the dashboard:  $(BIN)/fazhi serve --db $(OUT)/fazhi.db   then browse http://127.0.0.1:8000/"

## System packages the tests use (CJK font, Chromium, PostgreSQL); installed when root with apt.
system-deps:
	bash scripts/install-system-deps.sh

test: $(STAMP) system-deps
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts

eval: $(STAMP)
	$(BIN)/fazhi eval tests/eval/gold --inputs examples

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_throughput.py

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .ruff_cache
