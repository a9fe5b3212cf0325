"""Users' CSV pulse data (reader errors, fit, CLI) and export to aihwkit / NeuroSim / JSON."""
from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from qtransport import cli
from qtransport.synapse import PulseResponse, export, fit_csv, read_pulse_csv
from qtransport.devices.record import device_response
from qtransport.synapse.extract import extract

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "pulse_data.csv"


def test_example_file_fits_to_its_generating_parameters():
    """examples/pulse_data.csv: A_LTP = 15, A_LTD = 25, P = 40, 0.5 % noise. The fit's own
    standard errors are 0.4 % (LTP) and 0.7 % (LTD); 3 % is > 4 of them."""
    fits = fit_csv(EXAMPLE)
    assert fits["ltp"].a == pytest.approx(15.0, rel=0.03)
    assert fits["ltd"].a == pytest.approx(25.0, rel=0.03)
    for f in fits.values():
        assert f.response.n_pulses == 40
        assert f.response.g_min_S == pytest.approx(2e-6, rel=0.01)
        assert f.response.g_max_S == pytest.approx(5e-5, rel=0.01)


def _write(tmp_path, text):
    path = tmp_path / "p.csv"
    path.write_text(text)
    return path


@pytest.mark.parametrize("text, match", [
    ("pulse_number,G\n0,1\n", r"missing column 'conductance_S'; found columns \['pulse_number', "
                              r"'G'\]"),
    ("pulse_number,conductance_S\n0,1e-6\n1,nan\n2,3e-6\n",
     r"line 3, column 'conductance_S': value must be finite, got 'nan'"),
    ("pulse_number,conductance_S\n0,1e-6\n1,\n", r"line 3, column 'conductance_S': expected a "
                                                 r"number, got ''"),
    ("pulse_number,conductance_S\nzero,1e-6\n", r"line 2, column 'pulse_number': expected a "
                                                r"number, got 'zero'"),
    ("pulse_number,conductance_S,direction\n0,1e-6,up\n", r"line 2, column 'direction': must be "
                                                          r"one of \['ltp', 'ltd'\], got 'up'"),
    ("pulse_number,conductance_S\n0,1e-6\n1,2e-6\n", r"direction 'ltp' has 2 data row\(s\)"),
    ("# only a comment\n", "no header line"),
    ("pulse_number,conductance_S\n0,1e-6,extra\n", "line 2: expected 2 fields"),
    ("pulse_number,conductance_S\n-1,1e-6\n", "column 'pulse_number': must be >= 0"),
])
def test_csv_errors_name_the_problem(tmp_path, text, match):
    with pytest.raises(ValueError, match=match):
        read_pulse_csv(_write(tmp_path, text))


def test_csv_without_direction_column_and_direction_filter(tmp_path):
    s = PulseResponse(1e-6, 1e-4, 20, 8.0, 8.0)
    k = np.arange(21)
    rows = "\n".join(f"{p},{g:.10e}" for p, g in zip(k, s.conductance_after_ltd(k)))
    path = _write(tmp_path, "pulse_number,conductance_S\n" + rows + "\n")
    fits = fit_csv(path, direction="ltd")
    assert list(fits) == ["ltd"] and fits["ltd"].a == pytest.approx(8.0, rel=1e-6)
    only_ltp = _write(tmp_path, "pulse_number,conductance_S,direction\n0,1,ltp\n1,2,ltp\n"
                                "2,2.5,ltp\n")
    with pytest.raises(ValueError, match="no rows with direction 'ltd'"):
        fit_csv(only_ltp, direction="ltd")


def test_cli_fit_writes_json_and_exits_2_on_bad_input(tmp_path, capsys):
    out = tmp_path / "fit.json"
    assert cli.main(["fit", str(EXAMPLE), "--json", str(out)]) == 0
    body = json.loads(out.read_text())
    assert body["fits"]["ltp"]["A_pulses"] == pytest.approx(15.0, rel=0.03)
    assert body["aihwkit"]["device"] == "LinearStepDevice"
    assert body["pulse_response"]["n_pulses"] == 40
    bad = _write(tmp_path, "pulse_number,G\n0,1\n")
    missing = tmp_path / "none.json"
    assert cli.main(["fit", str(bad), "--json", str(missing)]) == 2
    err = capsys.readouterr().err
    assert "missing column 'conductance_S'" in err and err.count("\n") == 1
    assert not missing.exists() and not list(tmp_path.glob(".tmp-*"))
    assert cli.main(["fit", str(tmp_path / "absent.csv")]) == 2


def test_to_aihwkit_refuses_and_names_the_problem():
    """Pulse-by-pulse agreement is tested in test_export_peers.py; here the refusals."""
    s = PulseResponse(1e-6, 1e-4, 64, 20.0, 20.0)
    with pytest.raises(ValueError, match="range_min must be < range_max"):
        export.to_aihwkit(s, range_min=1.0, range_max=1.0)
    with pytest.raises(TypeError, match="PulseResponse or SynapseParameters"):
        export.to_aihwkit({"a": 1})
    # a linear device on a range that excludes 0: neither LinearStep (needs 0 in range) nor
    # SoftBounds (needs saturating curves) can represent it
    with pytest.raises(ValueError, match=r"cannot represent.*\[0.2, 1.0\].*LinearStepDevice"):
        export.to_aihwkit(PulseResponse(1e-6, 1e-4, 64, math.inf, math.inf), 0.2, 1.0)
    with pytest.raises(ValueError, match="device_class"):
        export.to_aihwkit(s, device_class="SoftBoundsPmaxDevice")


def test_neurosim_table_and_json(tmp_path):
    s = PulseResponse(1e-6, 1e-4, 30, 10.0, 20.0)
    k = np.arange(31)
    params = extract(device_response("floating_gate", weight_ltp=s.conductance_ltp(k),
                                     weight_ltd=s.conductance_after_ltd(k), event_energy_J=1e-14,
                                     write_time_s=2e-8, retention_s=math.inf,
                                     read_noise_rel=0.01))
    table = dict((name, value) for name, value, _ in export.neurosim_table(params))
    assert table["onOffRatio"] == "100" and table["A_LTD"] == "20"
    assert table["paramALTD"] == "-20" and table["maxNumLevelLTD"] == "30"
    assert table["sigmaCtoC"] == "not modelled" and table["retention"] == "inf"
    path = tmp_path / "p.json"
    export.write_json(path, params)
    body = json.loads(path.read_text())
    assert body["parameters"]["family"] == "floating_gate"
    assert body["parameters"]["retention_s"] == "inf" and body["parameters"]["c2c_rel"] is None
    assert body["pulse_response"]["a_ltd"] == pytest.approx(20.0, rel=1e-6)
    assert body["aihwkit"]["device"] == "LinearStepDevice"
    assert body["neurosim"]["paramALTP"] == pytest.approx(10.0, rel=1e-6)


@pytest.mark.parametrize("header, fmt, convert, sep", [
    ("pulse_number,conductance_uS", "{p},{g:.10e}", lambda g: g * 1e6, ","),
    ("pulse_number;conductance_uS", "{p};{g:.10e}", lambda g: g * 1e6, ";"),
    ("pulse_number;resistance_ohm", "{p};{g:.10e}", lambda g: 1 / g, ";"),
    ("pulse_number\tresistance_kohm", "{p}\t{g:.10e}", lambda g: 1e-3 / g, "\t"),
    ("pulse_number;conductance_mS", "{p};{g:.10e}", lambda g: g * 1e3, ";"),
])
def test_unit_suffixed_columns_and_separators_give_the_same_fit(tmp_path, header, fmt, convert,
                                                                sep):
    s = PulseResponse(1e-6, 1e-4, 20, 8.0, 8.0)
    k = np.arange(21)
    rows = "\n".join(fmt.format(p=p, g=convert(g)) for p, g in zip(k, s.conductance_ltp(k)))
    if sep == ";":                     # European files: decimal comma with ';' separators
        rows = rows.replace(".", ",")
    fit = fit_csv(_write(tmp_path, header + "\n" + rows + "\n"))["ltp"]
    # exact model data, 10 significant digits: the fit recovers A to its round-off
    assert fit.a == pytest.approx(8.0, rel=1e-6)
    assert fit.response.g_max_S == pytest.approx(1e-4, rel=1e-8)


def test_bad_unit_columns(tmp_path):
    with pytest.raises(ValueError, match="resistance must be > 0"):
        read_pulse_csv(_write(tmp_path, "pulse_number,resistance_ohm\n0,0\n1,2\n2,3\n"))
    with pytest.raises(ValueError, match="one conductance/resistance column"):
        read_pulse_csv(_write(tmp_path, "pulse_number,conductance_S,resistance_ohm\n0,1,1\n"))
    with pytest.raises(ValueError, match="resistance_ohm"):      # the hint lists the choices
        read_pulse_csv(_write(tmp_path, "pulse_number,R\n0,1\n"))
