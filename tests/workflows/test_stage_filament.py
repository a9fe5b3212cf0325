"""The filament pipeline stage at reduced size: the ECM kinetics (switching time, retention, read
disturb, STDP), the filament device family from the config's pulses, figures and summary."""
import math

import numpy as np
import pytest

from qtransport.constants import G0
from qtransport.devices.record import DEVICE_RESPONSE_KIND
from qtransport.synapse import extract
from qtransport.workflows.pipeline import StageContext, parse_config
from qtransport.workflows.stages import filament as stage

pytestmark = pytest.mark.slow          # one reduced stage run (~20 s of CPU)

SMALL = """
[filament]
staircase_energies_eV = {start = 0.5, stop = 2.5, num = 3}
width_2d_atoms = 3
length_atoms = 3
histogram_samples = 2
qpc_energies_eV = {start = 0.0, stop = 0.07, num = 3}
growth_devices = 2
growth_cycles = 2
ecm_pulses = 4
ecm_runs = 2
switching_voltages_V = [2.0, 3.0]
retention_temperatures_K = [350.0, 450.0]
stdp_delays_s = [-5e-4, 5e-4]
vacancy_devices = 0
"""


def _config(extra: str = "") -> dict:
    return parse_config(SMALL + extra)["filament"]


@pytest.fixture(scope="module")
def results():
    return stage.run(StageContext(_config()))


def test_stage_runs_the_ecm_kinetics_and_the_kmc_device_family(results):
    assert {"ecm_switching", "ecm_retention", "ecm_read_disturb", "ecm_stdp",
            "kmc_device_0", "kmc_device_1", "kmc_cycle_0", "kmc_cycle_1", "kmc_retention",
            "device_response"} <= set(results)
    sw = results["ecm_switching"]
    assert sw.mean_time_s[1] < sw.mean_time_s[0] / 10          # decades per volt
    ret = results["ecm_retention"]
    assert ret.mean_time_s[1] < ret.mean_time_s[0]             # Arrhenius: hotter is shorter
    assert np.all(np.isfinite(results["ecm_stdp"].mean_log_change))
    dr = results["device_response"]
    assert dr.kind == DEVICE_RESPONSE_KIND and dr.attrs["family"] == "filament"
    assert dr.weight_ltp_S.shape == (2, 5)
    # finite retention and the energy of the actual pulses (gap tunneling + contact current)
    assert np.isfinite(float(dr.retention_s)) and float(dr.retention_s) > 0
    energies = np.concatenate([results[f"kmc_device_{i}"].energy_J[1:] for i in (0, 1)])
    assert float(dr.event_energy_J) == pytest.approx(energies.mean(), rel=1e-12, abs=0)
    # c2c from the KMC: the cycles (other KMC seeds, same device) are not all the same path
    assert not np.array_equal(dr.cycle_ltp_S[0], dr.cycle_ltp_S[1])


def test_pulse_amplitude_and_width_in_the_config_change_nonlinearity_and_states(results):
    """``pulse_voltage_V`` / ``pulse_width_s`` of the [filament] section drive the KMC: a
    2.5 V / 1 ms train reaches contact (≥ 0.3 G0, two levels), 2.5 V / 0.1 ms pulses only
    narrow the tunneling gap (one distinguishable level on the linear scale, other
    nonlinearity), and 4 V / 10 µs pulses bridge the gap on the first pulse."""
    default = extract.extract(results["device_response"])
    others = {}
    # short SET pulses: the RESET pulses must still act on the tunneling gap they leave
    for key, extra in (("short", "pulse_width_s = 1e-4\nreset_voltage_V = -1.0\n"
                                 "reset_width_s = 1e-3\n"),
                       ("high", "pulse_voltage_V = 4.0\npulse_width_s = 1e-5\n")):
        cfg = _config(extra)
        assert cfg["pulse_width_s"] != 1e-3
        others[key] = stage._family(cfg).results(seed=cfg["seed"])
    short = extract.extract(others["short"]["device_response"])
    high = extract.extract(others["high"]["device_response"])
    assert default.weight_max > 0.3 * G0 and default.n_states >= 2
    assert short.weight_max < 1e-2 * G0 and short.n_states == 1
    assert default.on_off_ratio > 1e3 * short.on_off_ratio
    assert not math.isclose(default.a_ltp, short.a_ltp, rel_tol=1e-3)
    # a config whose RESET pulses change nothing is refused with the curve named
    cfg = _config("pulse_width_s = 1e-4\nreset_voltage_V = -0.1\nreset_width_s = 1e-6\n")
    with pytest.raises(ValueError, match="weight_ltd_S .* is constant"):
        extract.extract(stage._family(cfg).response(seed=cfg["seed"]))
    # 4 V / 10 µs: contact after the first pulse on every device
    first = others["high"]["device_response"].weight_ltp_S[:, 1]
    assert np.all(first > 0.3 * G0)
    assert not math.isclose(default.a_ltp, high.a_ltp, rel_tol=1e-3)


def test_stage_figures_and_summary(results, tmp_path):
    import matplotlib
    matplotlib.use("Agg")
    paths = stage.figures(results, tmp_path)
    names = {p.name for p in paths}
    assert {"filament_switching_time.png", "filament_retention.png", "filament_stdp.png",
            "filament_kmc_pulse_trains.png"} <= names
    text = "\n".join(stage.summary(results))
    assert "ECM SET time" in text and "Arrhenius" in text and "pair-STDP" in text
    assert "ECM pulse train" in text
