# Two commands: `make demo` and `make test`. Each builds .venv first when it is missing or stale.
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.qtransport-installed
MPIRUN := $(VENV)/bin/mpiexec --allow-run-as-root --oversubscribe
export OMP_NUM_THREADS ?= 1
export OPENBLAS_NUM_THREADS ?= 1

.PHONY: all setup demo test test-fast test-mpi test-blas test-hypothesis bench clean

all: setup

setup: $(STAMP)

$(STAMP): constraints.txt setup.cfg pyproject.toml scripts/bootstrap.sh
	bash scripts/bootstrap.sh $(VENV)
	@touch $(STAMP)

demo: $(STAMP)   # the end-to-end pipeline on both cores (every MPI rank computes)
	$(MPIRUN) -n 2 $(PY) -m mpi4py -m qtransport.cli run --output-dir results/demo --force

test: $(STAMP)
	$(PY) -m pytest --doctest-modules qtransport tests
	# the RCSJ engine once more on its numpy path (numba's kernels are the default above)
	QTRANSPORT_NO_NUMBA=1 $(PY) -m pytest tests/josephson/test_rcsj.py \
	    tests/josephson/test_engine_reference.py -m "not slow" -q -p no:cacheprovider
	$(MPIRUN) -n 2 $(PY) -m mpi4py -m pytest tests -m mpi -p no:cacheprovider -q

test-fast: $(STAMP)
	$(PY) -m pytest tests -m "not slow"

# Portability checks (docs/testing.md): the BLAS-sensitive tests under several OpenBLAS kernels
# and 1 / 2 threads, and every property test with many randomized examples.
test-blas: $(STAMP)
	bash scripts/portability.sh $(PY)

HYPOTHESIS_EXAMPLES ?= 300
HYPOTHESIS_SEED     ?= $(shell date +%s)
test-hypothesis: $(STAMP)
	QTRANSPORT_HYPOTHESIS_EXAMPLES=$(HYPOTHESIS_EXAMPLES) $(PY) -m pytest tests -m hypothesis \
	    -p no:cacheprovider -q --hypothesis-show-statistics --hypothesis-seed=$(HYPOTHESIS_SEED)

bench: $(STAMP)
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

clean:
	rm -rf $(VENV) results build *.egg-info
