#!/bin/bash
# SLURM batch script for a qtransport sweep. Submit: sbatch examples/slurm_sweep.sh
# Every rank computes; rank 0 also writes the single HDF5 file. If the job is killed (time
# limit, preemption), resubmitting the same script resumes where it stopped.
#SBATCH --job-name=qt-sweep
#SBATCH --ntasks=64
#SBATCH --cpus-per-task=1
#SBATCH --time=02:00:00
#SBATCH --signal=B:TERM@60
#SBATCH --requeue
#SBATCH --output=qt-sweep-%j.log

set -euo pipefail
CONFIG=${CONFIG:-examples/sweep_filament.toml}
OUTPUT=${OUTPUT:-$SLURM_SUBMIT_DIR/results/filament_sweep.h5}
mkdir -p "$(dirname "$OUTPUT")"

# one BLAS/OpenMP thread per rank: ranks, not threads, fill the cores
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
# HDF5's own file locking can fail or hang on NFS/Lustre/GPFS; qtransport keeps its own lock
export HDF5_USE_FILE_LOCKING=FALSE

source "${VENV:-.venv}/bin/activate"
# srun starts one rank per task (PMIx/PMI-2); `mpiexec -n "$SLURM_NTASKS"` works as well
srun qtransport sweep "$CONFIG" --output "$OUTPUT" --no-progress
# exit code: 0 all points done, 2 bad config/output (nothing computed), 3 some points failed
# (their messages are in $OUTPUT:/sweep/error; rerun with --retry-failed)
