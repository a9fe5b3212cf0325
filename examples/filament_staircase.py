"""Quantized conductance of a 2D wire and a constriction, at 0 K and 300 K (copy and adapt).

Run: .venv/bin/python examples/filament_staircase.py  → filament_staircase.png
"""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from qtransport.tight_binding import filament  # noqa: E402

E = np.linspace(0.0, 2.5, 126)                    # eV above the band bottom, t = 1 eV
fig, ax = plt.subplots(figsize=(5, 3.6))
for label, kwargs in [("uniform W=6, 0 K", {}),
                      ("uniform W=6, 300 K", {"temperature_K": 300.0}),
                      ("constriction W=3 in 12, smooth", {"electrode_width_atoms": 12,
                                                          "profile": "smooth"})]:
    width = 3 if "constriction" in label else 6
    r = filament.conductance(width_atoms=width, energies_eV=E, length_atoms=12, **kwargs)
    ax.plot(r.energies_eV, r.conductance_G0, label=label)
ax.set(xlabel="E (eV)", ylabel="G / G0")
ax.legend()
fig.tight_layout()
fig.savefig("filament_staircase.png", dpi=110)
print("wrote filament_staircase.png")
