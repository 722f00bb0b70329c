# The two commands a newcomer types: `make demo` and `make test`. Both create .venv first.
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed
NATIVE := $(addprefix src/watchkeeper/matching/,prepared.py features.py score.py)

.PHONY: install demo test lint bench

install: $(STAMP)

# The second install compiles the matcher (setup.py) with the mypy and libraries just installed.
$(STAMP): pyproject.toml requirements.lock setup.py $(NATIVE)
	$(PYTHON) -m venv $(VENV)
	WATCHKEEPER_PURE_PYTHON=1 $(VENV)/bin/pip install --quiet --disable-pip-version-check \
		-c requirements.lock -e '.[dev]'
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --no-build-isolation --no-deps -e .
	$(VENV)/bin/python -m watchkeeper.matching.kernels.warm  # numba's compile, once, here
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/watchkeeper demo

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench
	$(VENV)/bin/mypy

# The tests' temporary files in memory where /dev/shm is roomy (over 2 GiB free) and TMPDIR
# is not set: hundreds of tests copy a store into a folder of their own, and on a disk each
# copy's writes and syncs cost the suite wall time (a Docker /dev/shm of 64 MiB is left alone).
TEST_TMPDIR := $(if $(TMPDIR),,$(shell df -Pk /dev/shm 2>/dev/null | awk 'NR == 2 && $$4 > 2097152 {print "/dev/shm"}'))

test: lint
	$(if $(TEST_TMPDIR),TMPDIR=$(TEST_TMPDIR) )$(VENV)/bin/pytest -n auto --dist loadfile

bench: $(STAMP)
	WATCHKEEPER_PURE_PYTHON=1 $(VENV)/bin/pip install --quiet --disable-pip-version-check \
		-c requirements.lock -e '.[dev,bench]'  # keeps the compiled matcher
	$(VENV)/bin/python bench/load_ftm.py
	$(VENV)/bin/python bench/fit_weights.py
	$(VENV)/bin/python bench/name_bench.py
	$(VENV)/bin/python bench/entity_checks.py
	$(VENV)/bin/python bench/un_holdout.py
	$(VENV)/bin/python bench/false_alerts.py
	$(VENV)/bin/python bench/faker_customers.py
	$(VENV)/bin/python bench/operating_points.py
	$(VENV)/bin/python bench/index_recall.py --persons 200000 1000000
	$(VENV)/bin/python bench/arabic_romanise.py
	$(VENV)/bin/python bench/name_keys.py
	$(VENV)/bin/python bench/travel.py
	$(VENV)/bin/python bench/service_load.py
	$(VENV)/bin/python bench/batch_screen.py --customers 1000000
	$(VENV)/bin/python bench/rescreen.py
	$(VENV)/bin/python bench/documents.py
	$(VENV)/bin/python bench/image_match.py
