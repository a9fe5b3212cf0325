"""First-principles Hamiltonians: PySCF periodic DFT → real-space H(R), S(R) → Kwant.

PySCF is optional and imported only inside :func:`~qtransport.first_principles.dft.run_dft`;
everything else works from the shipped cache (``data/first_principles/*.h5``, HDF5).
"""
from . import breakjunction, chains, conductance, dft, hbn, realspace, structure
from .chains import chain_conductance, tight_binding_from_dft
from .conductance import structure_conductance
from .dft import DFTResult, DFTSettings, load_or_run, run_dft
from .realspace import RealSpaceTB, lowdin, real_space
from .structure import Structure, atomic_chain, hbn_bulk

__all__ = ["breakjunction", "chains", "conductance", "dft", "hbn", "realspace", "structure",
           "chain_conductance", "structure_conductance", "tight_binding_from_dft", "DFTResult",
           "DFTSettings", "load_or_run", "run_dft",
           "RealSpaceTB", "lowdin", "real_space", "Structure", "atomic_chain", "hbn_bulk"]
