"""Orchestration: configs, sweeps over MPI with checkpoints, the end-to-end pipeline, reports."""
