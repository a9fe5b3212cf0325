"""Write the bundled Wannier90-format examples to data/: <name>_hr.dat + <name>_lattice.toml.

The files are generated from the analytic models of qtransport.tight_binding.tb_examples (no
download, no DFT): graphene (nearest neighbour), an h-BN-like two-band model and a 1-D chain.
Run from the repository root:  .venv/bin/python scripts/make_wannier_examples.py
"""
from __future__ import annotations

import sys
from pathlib import Path

from qtransport.tight_binding import tb_examples, wannier

#: name → (constructor, parameters, description)
EXAMPLES = {
    "graphene": (tb_examples.honeycomb,
                 {"hopping_eV": 2.7, "onsite_eV": 0.0, "lattice_constant_nm": 0.246},
                 "graphene, nearest-neighbour pi band: t = 2.7 eV (Castro Neto et al., "
                 "Rev. Mod. Phys. 81, 109 (2009)), a = 0.246 nm"),
    "hbn_like": (tb_examples.honeycomb,
                 {"hopping_eV": 2.7, "onsite_eV": 2.9775, "lattice_constant_nm": 0.2504},
                 "h-BN-like two-band honeycomb: on-site +/-Delta with 2 Delta = 5.955 eV (the "
                 "measured h-BN gap), t = 2.7 eV, a = 0.2504 nm; illustrative, not a fit"),
    "chain": (tb_examples.chain,
              {"onsite_eV": 0.0, "hopping_eV": -1.0, "second_hopping_eV": -0.1,
               "lattice_constant_nm": 0.3},
              "1-D chain, first and second neighbours; R = +/-2 with Wigner-Seitz degeneracy 2"),
}


def main(folder: str = "data") -> int:
    out = Path(folder)
    for name, (build, params, description) in EXAMPLES.items():
        model = build(**params, comment=f"qtransport example '{name}' "
                                        "(scripts/make_wannier_examples.py)")
        wannier.write_hr(out / f"{name}_hr.dat", model)
        wannier.write_lattice_toml(out / f"{name}_lattice.toml", model, parameters=params,
                                   description=description)
        print(f"wrote {out / (name + '_hr.dat')} ({model.num_orbitals} orbitals, "
              f"{len(model.R)} blocks)")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
