"""Schrödinger–Poisson: Airy limit, subband sum, neutrality, Gauss's law, convergence checks."""
import numpy as np
import pytest
from scipy import constants as sc
from scipy.special import ai_zeros

from qtransport import AccuracyWarning
from qtransport.tight_binding import schrodinger_poisson as sp
from qtransport.tight_binding import superlattice


def airy_levels(mass, field_V_per_m, n):
    """E_n = (ħ²/2m)^(1/3) (eF)^(2/3) a_n, a_n the zeros of Ai (triangular well, hard wall)."""
    scale = (sc.hbar**2 / (2 * mass * sc.m_e)) ** (1 / 3) * (sc.e * field_V_per_m) ** (2 / 3)
    return scale * -ai_zeros(n)[0] / sc.eV


def triangular(h, fermi_energy_eV=-0.5, field=1e7):
    z = np.arange(0.0, 40.0 + h / 2, h)
    return sp.solve(z, 0.0, 0.2, 10.0, fermi_energy_eV=fermi_energy_eV, temperature_K=300.0,
                    left_bc=("dirichlet", 0.0), right_bc=("neumann", field))


def test_airy_limit():
    # Empty triangular well (E_F 0.5 eV below): the potential is the applied field alone.
    # FD error ≈ (h/l)² a_n/12 relative with the Airy length l = 2.7 nm: 1.4e-5…4e-5 at
    # h = 0.05 nm, so 1e-4 is the stated tolerance; halving h divides the error by 4 (O(h²)).
    ref = airy_levels(0.2, 1e7, 4)
    coarse, fine = triangular(0.05), triangular(0.025)
    assert coarse.attrs["converged"] and fine.attrs["converged"]
    err_c = coarse.subband_energies_eV[:4] / ref - 1
    err_f = fine.subband_energies_eV[:4] / ref - 1
    np.testing.assert_allclose(err_c, 0.0, atol=1e-4)
    np.testing.assert_allclose(err_c / err_f, 4.0, rtol=0.05)


def test_sheet_density_is_the_subband_sum_and_gauss_holds():
    # A filled triangular well: the charge bends the band; n_s must equal the analytic sum over
    # the reported subbands, ∫ n dz (trapezoid, O(h²)) and the Gauss flux difference.
    r = triangular(0.05, fermi_energy_eV=0.12)
    assert r.attrs["converged"] and r.sheet_density_per_m2 > 1e15
    ns = superlattice.sheet_density(r.subband_energies_eV, 0.12, 300.0, 0.2)
    assert r.sheet_density_per_m2 == pytest.approx(ns, rel=1e-12)
    integral = np.sum(r.electron_density_per_m3) * 0.05e-9     # density vanishes at both walls
    assert integral == pytest.approx(ns, rel=1e-9)
    eps = 10.0 * sc.epsilon_0
    f_left, f_right = r.field_V_per_m
    assert eps * (f_right - f_left) == pytest.approx(-sc.e * ns, rel=1e-6)
    assert r.gauss_error < 1e-6
    # the electrons add field at the wall (F_left > F_right): the ground subband lies between the
    # Airy levels of the two end fields
    assert airy_levels(0.2, f_right, 1)[0] < r.subband_energies_eV[0] < \
        airy_levels(0.2, f_left, 1)[0]


def test_doped_slab_is_neutral():
    # Zero field at both ends: the Fermi level alone cannot fix the charge, neutrality must.
    struct = sp.layered_structure([20.0], [0.0], [0.24], [8.66], [5e24], spacing_nm=0.05)
    r = sp.solve(struct["z_nm"], struct["band_offset_eV"], struct["effective_mass"],
                 struct["permittivity"], struct["donor_density_per_m3"], fermi_energy_eV=0.0,
                 temperature_K=300.0)
    assert r.attrs["converged"]
    assert r.sheet_density_per_m2 == pytest.approx(5e24 * 20e-9, rel=1e-6)


def test_interface_sheet_charge_gauss():
    z = np.arange(0.0, 30.0 + 0.025, 0.05)
    sigma = 3e16
    r = sp.solve(z, 0.0, 0.24, 8.66, fermi_energy_eV=0.05, temperature_K=77.0,
                 sheet_charges=[(10.0, sigma)], left_bc=("dirichlet", 0.3),
                 right_bc=("neumann", 0.0))
    assert r.attrs["converged"]
    eps = 8.66 * sc.epsilon_0
    assert -eps * r.field_V_per_m[0] == pytest.approx(sc.e * (sigma - r.sheet_density_per_m2),
                                                       rel=1e-6)
    # electrons gather at the positive sheet: the density peaks near z = 10 nm
    assert abs(z[np.argmax(r.electron_density_per_m3)] - 10.0) < 3.0


def test_sheet_density_vs_fermi_level_and_temperature():
    struct = sp.layered_structure([5.0, 4.0, 5.0], [0.3, 0.0, 0.3], [0.24, 0.24, 0.24],
                                  [8.66] * 3, [0.0] * 3, spacing_nm=0.05)
    efs = np.array([-0.05, 0.0, 0.05, 0.1])
    res = sp.sheet_density_sweep(efs, [77.0, 300.0], struct, left_bc=("dirichlet", 0.0),
                                 right_bc=("dirichlet", 0.0))
    ns = res.sheet_density_per_m2
    assert ns.shape == (2, 4) and np.all(np.diff(ns, axis=1) > 0)
    # far below the subband the 300 K density exceeds the 77 K one (thermal tail)
    assert ns[1, 0] > ns[0, 0]


def test_non_convergence_warns():
    z = np.arange(0.0, 30.0 + 0.025, 0.05)
    with pytest.warns(AccuracyWarning) as record:
        sp.solve(z, 0.0, 0.24, 8.66, fermi_energy_eV=0.05, temperature_K=77.0,
                 sheet_charges=[(10.0, 3e16)], left_bc=("dirichlet", 0.3),
                 right_bc=("neumann", 0.0), max_iterations=1)
    assert any("did not converge" in str(w.message) for w in record)


def test_fd_well_levels_converge_to_transcendental():
    # Finite-difference eigen-solver: O(h²) toward the exact transcendental-equation levels.
    exact = superlattice.finite_well_levels(5.0, 0.3, 0.067, 0.092)
    # 60 nm of cladding: the second level (16 meV below the top) decays over 5 nm, and the hard
    # walls must not shift it by more than e^(−2·60/5) ~ 4e-11 relative
    e1 = sp.fd_well_levels(5.0, 0.3, 0.067, 0.092, lattice_constant_nm=0.05,
                           cladding_nm=60.0) - exact
    e2 = sp.fd_well_levels(5.0, 0.3, 0.067, 0.092, lattice_constant_nm=0.025,
                           cladding_nm=60.0) - exact
    np.testing.assert_allclose(e1 / e2, 4.0, rtol=0.05)
    assert np.max(np.abs(e2)) < 1e-5


@pytest.mark.parametrize("kwargs, name", [
    (dict(left_bc=("robin", 0.0)), "left_bc"), (dict(temperature_K=0.0), "temperature_K"),
    (dict(effective_mass=-0.2), "effective_mass"), (dict(sheet_charges=[(99.0, 1e16)]),
                                                    "sheet_charges")])
def test_bad_input_names_parameter(kwargs, name):
    z = np.arange(0.0, 10.0 + 0.025, 0.05)
    args = dict(band_offset_eV=0.0, effective_mass=0.2, permittivity=10.0)
    args.update({k: v for k, v in kwargs.items() if k in args})
    extra = {k: v for k, v in kwargs.items() if k not in args}
    with pytest.raises(ValueError, match=name):
        sp.solve(z, **args, **extra)


def test_neumann_both_ends_without_charge_is_refused():
    z = np.arange(0.0, 10.0 + 0.025, 0.05)
    with pytest.raises(ValueError, match="dirichlet"):
        sp.solve(z, 0.0, 0.2, 10.0, fermi_energy_eV=-3.0, temperature_K=10.0)
