"""Cost of the ECM field models per KMC run: one default pulse train of the filament device
family (device 0, seed 0: 6 SET + 6 RESET pulses, disorder 0.3 eV) per field model, caches
cleared before each run (every bridge solved afresh), alternating, CPU time (process_time).

``local`` solves each distinct bridge once for its conductance (dense RGF block);
``scattering`` solves it once for conductance and injectivities together
(:func:`qtransport.tight_binding.lattice.transmission_injectivity`), so the difference is the
G Γ G† diagonal of the solve and the different trajectory (more or fewer distinct bridges).
"""
from __future__ import annotations

import os
import statistics
import sys
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from qtransport.devices.filament import FilamentSwitch  # noqa: E402
from qtransport.electrochemistry import ecm  # noqa: E402
from qtransport.tight_binding import rgf  # noqa: E402

MODELS = ("local", "scattering")
REPEATS = 2


def one_train(model: str) -> tuple[float, int, int]:
    """(CPU s, distinct bridges solved, KMC events) of device 0's pulse train."""
    call = FilamentSwitch(field_model=model).calls(seed=0)["kmc_device_0"]
    ecm._bridge_conductance_G0.cache_clear()
    ecm._bridge_scattering.cache_clear()
    rgf.clear_lead_cache()
    t0 = time.process_time()
    res = ecm.pulse_train(**call)
    cpu = time.process_time() - t0
    solves = (ecm._bridge_conductance_G0.cache_info().currsize
              + ecm._bridge_scattering.cache_info().currsize)
    return cpu, solves, int(res.n_events.sum())


def main() -> int:
    rows = {m: [] for m in MODELS}
    for _ in range(REPEATS):
        for m in MODELS:
            rows[m].append(one_train(m))
    for m in MODELS:
        cpu = statistics.median(r[0] for r in rows[m])
        _, solves, events = rows[m][0]
        print(f"{m:>10}: {cpu:.2f} s CPU per pulse train, {solves} distinct bridges "
              f"({cpu / max(solves, 1) * 1e3:.2f} ms per bridge incl. the KMC), {events} events")
    return 0


if __name__ == "__main__":
    sys.exit(main())
