#!/usr/bin/env bash
# Run the BLAS-sensitive tests under several OpenBLAS kernels and thread counts (docs/testing.md).
#
#   scripts/portability.sh [PYTHON]
#
# Environment (all optional):
#   CORETYPES  OpenBLAS kernels to force (default "Haswell Zen SkylakeX Prescott")
#   THREADS    OpenBLAS thread counts (default "1 2")
#   TESTS      test paths (default: tight-binding, Josephson, device and sweep tests)
# Each configuration first prints the kernel every loaded OpenBLAS really uses (threadpoolctl):
# a kernel a build does not know falls back silently to another one.
set -u
PY=${1:-.venv/bin/python}
CORETYPES=${CORETYPES:-"Haswell Zen SkylakeX Prescott"}
THREADS=${THREADS:-"1 2"}
TESTS=${TESTS:-"tests/tight_binding tests/josephson tests/devices tests/workflows/test_sweep.py"}
export OMP_NUM_THREADS=1
SHOW='
import numpy, scipy.linalg, kwant  # noqa: F401  (load every OpenBLAS the tests load)
from threadpoolctl import threadpool_info
for i in threadpool_info():
    if i["internal_api"] == "openblas":
        name, arch, n = i["filepath"].rsplit("/", 1)[-1], i["architecture"], i["num_threads"]
        print(f"   {name:40s} {arch:12s} threads={n}")
'
status=0
for core in $CORETYPES; do
    for n in $THREADS; do
        echo "== OPENBLAS_CORETYPE=$core OPENBLAS_NUM_THREADS=$n"
        OPENBLAS_CORETYPE=$core OPENBLAS_NUM_THREADS=$n "$PY" -c "$SHOW"
        # shellcheck disable=SC2086
        if ! OPENBLAS_CORETYPE=$core OPENBLAS_NUM_THREADS=$n "$PY" -m pytest -q -p no:cacheprovider \
                $TESTS; then
            echo "!! FAILED under OPENBLAS_CORETYPE=$core OPENBLAS_NUM_THREADS=$n"
            status=1
        fi
    done
done
exit $status
