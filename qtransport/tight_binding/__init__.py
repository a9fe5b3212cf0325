"""Tight-binding and effective-mass models: Kwant systems and exact solvers for the same physics."""
