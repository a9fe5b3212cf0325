"""The "Claims and their tests" table of docs/validation.md cannot rot.

Every accuracy claim listed there names the test that would fail if the claim were false. These
checks make sure each named test exists (file and top-level test function, found by parsing the
file, not by importing it) and that every row of README's "What is validated, and how" table
with a numeric tolerance is listed, so a new README claim without a test fails here.
"""
import ast
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
VALIDATION = ROOT / "docs" / "validation.md"
README = ROOT / "README.md"

# README validation-table rows whose "tolerance" is not a number (bit-identity contracts,
# tested in tests/workflows/test_sweep_faults.py and tests/workflows/test_mpi_sweep.py).
NOT_NUMERIC = {"sweeps"}


def _section(text, heading):
    start = text.index(heading)
    rest = text[start + len(heading):]
    nxt = re.search(r"^## ", rest, flags=re.M)
    return rest[:nxt.start()] if nxt else rest


def _claim_rows():
    rows = []
    for line in _section(VALIDATION.read_text(), "## Claims and their tests").splitlines():
        if not line.startswith("| ") or line.startswith("| where claimed") or "---" in line:
            continue
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
        rows.append(cells)
    return rows


def _test_functions(path):
    tree = ast.parse(path.read_text())
    return {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}


def test_claims_table_is_present_and_well_formed():
    rows = _claim_rows()
    assert len(rows) >= 60, len(rows)
    for cells in rows:
        assert len(cells) == 4, cells
        assert cells[0] and cells[1] and cells[3], cells
        assert re.fullmatch(r"`tests/[\w/]+\.py::test_\w+`", cells[2]), cells


@pytest.mark.parametrize("node", sorted({r[2].strip("`") for r in _claim_rows()}))
def test_every_listed_test_exists(node):
    path, func = node.split("::")
    file = ROOT / path
    assert file.is_file(), f"{node}: no file {path}"
    assert func in _test_functions(file), f"{node}: no test function {func} in {path}"


def test_every_numeric_readme_claim_is_listed():
    table = _section(README.read_text(), "## What is validated, and how")
    names = []
    for line in table.splitlines():
        if line.startswith("| ") and not line.startswith("| physics") and "---" not in line:
            names.append(line.split("|")[1].strip())
    assert len(names) >= 30, names
    listed = " ; ".join(r[0] for r in _claim_rows())
    missing = [n for n in names if n not in NOT_NUMERIC and f"README, {n}" not in listed]
    assert not missing, f"README claims with no row in docs/validation.md: {missing}"
