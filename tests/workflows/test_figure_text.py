"""Figure text helpers (qtransport.workflows.figures) and the ECM figures of the filament stage."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from qtransport.workflows.catalog import run_model  # noqa: E402
from qtransport.workflows.figures import (label_log_ticks, scaled_unit, sci_tex,  # noqa: E402
                                          si_text)
from qtransport.workflows.stages import filament  # noqa: E402


def test_si_text_and_scaled_unit():
    assert si_text(1e-3, "s") == "1 ms"
    assert si_text(8e-9, "s") == "8 ns"
    assert si_text(2.5, "V") == "2.5 V"
    assert si_text(0.0, "s") == "0 s"
    assert scaled_unit([0.358, 0.388], "S") == (1e-3, "mS")
    assert scaled_unit([1.2e-4, 1.28e-4], "S") == (1e-6, "µS")
    assert scaled_unit([3.0], "S") == (1.0, "S")


def test_sci_tex():
    assert sci_tex(9.72e9) == r"$9.72\times10^{9}$"
    assert sci_tex(1e11) == "$10^{11}$"
    assert sci_tex(5e11) == r"$5\times10^{11}$"
    assert sci_tex(9.9996e9) == "$10^{10}$"      # mantissa rounds up into the next decade
    assert sci_tex(2.5) == "$2.5$"


def test_label_log_ticks_do_not_overlap():
    # the SOT wall-velocity axis: 2e10 … 5e11 A/m² spans 1.4 decades; matplotlib's default
    # labels minor ticks there too and the labels run into each other
    J = np.array([2e10, 5e10, 1e11, 2e11, 5e11])
    fig, ax = plt.subplots(figsize=(4.5, 3.6))
    ax.semilogx(J, np.ones_like(J), "o")
    label_log_ticks(ax.xaxis, J)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    labels = [t for t in ax.get_xticklabels(minor=False) + ax.get_xticklabels(minor=True)
              if t.get_visible() and t.get_text()]
    assert [t.get_text() for t in ax.get_xticklabels()] == [sci_tex(v) for v in J]
    boxes = sorted((t.get_window_extent(renderer) for t in labels), key=lambda b: b.x0)
    assert len(boxes) == J.size
    for a, b in zip(boxes, boxes[1:]):
        assert a.x1 <= b.x0, "tick labels overlap"
    plt.close(fig)


@pytest.fixture(scope="module")
def ecm_results():
    cell = dict(material="Ag", width_atoms=3, length_atoms=4, n_runs=2, seed=0)
    return {
        "ecm_switching": run_model("ecm.switching_time", dict(
            cell, voltages_V=[2.5, 3.0], compliance_A=1e-4)),
        "ecm_retention": run_model("ecm.retention", dict(cell, temperatures_K=[400.0, 450.0])),
        "ecm_read_disturb": run_model("ecm.retention", dict(
            cell, temperatures_K=[400.0, 450.0], read_voltage_V=0.1)),
        "ecm_stdp": run_model("ecm.stdp_window", dict(
            cell, delays_s=[-1e-3, 1e-3], amplitude_V=1.0, half_width_s=1e-3,
            compliance_A=1e-4)),
    }


def test_filament_ecm_figures_written(ecm_results, tmp_path):
    plt.close("all")    # figures other tests left open must not count against the stage
    paths = filament.figures(ecm_results, tmp_path)
    names = sorted(p.name for p in paths)
    assert names == ["filament_retention.png", "filament_stdp.png",
                     "filament_switching_time.png"]
    for p in paths:
        assert p.stat().st_size > 5000
    assert not plt.get_fignums()    # every figure closed after saving
