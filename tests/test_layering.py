"""The package's import graph: layers only point down, no import cycles, synapse free of Kwant/QuTiP.

Layers (a module may import its own layer and the ones below it)::

    core (constants, errors, materials, landauer, results, registry, infra)
      <- physics (tight_binding, josephson, ferroelectric, spintronics, first_principles,
                  quantum_dots, electrochemistry)
      <- devices <- synapse <- workflows <- cli

Every ``import`` statement of every module counts, including the ones inside functions (a lazy
import is still a dependency), and so does ``importlib.import_module("...")`` (or
``__import__``) with a literal name, absolute or relative. A lower layer must not reach a higher
one by name either: a string constant that is the dotted name of a higher layer's module (a table
of modules to import at run time) fails :func:`test_no_module_names_of_higher_layers`. Imports by
a name computed at run time (the pipeline's stages, the lazy subpackage attributes) are the only
ones not seen, and each of those stays inside its own package.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "qtransport"

LAYERS = {
    "core": ("constants", "errors", "materials", "landauer", "results", "registry", "infra"),
    "physics": ("tight_binding", "josephson", "ferroelectric", "spintronics", "first_principles",
                "quantum_dots", "electrochemistry"),
    "devices": ("devices",),
    "synapse": ("synapse",),
    "workflows": ("workflows",),
    "cli": ("cli",),
}
RANK = {top: i for i, tops in enumerate(LAYERS.values()) for top in tops}
LAYER_NAME = {top: name for name, tops in LAYERS.items() for top in tops}


def _module_names() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


MODULES = _module_names()


def _imports(module: str, path: Path) -> set[str]:
    """qtransport modules that ``module`` imports (any statement, any nesting level)."""
    is_package = path.name == "__init__.py"
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets = [(a.name, None) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                base = base if is_package else base[:-1]
                base = base[:len(base) - (node.level - 1)]
                stem = ".".join(base + ([node.module] if node.module else []))
            else:
                stem = node.module or ""
            targets = [(stem, a.name) for a in node.names]
        elif (isinstance(node, ast.Call) and _is_import_call(node.func) and node.args
              and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            name = node.args[0].value
            if name.startswith("."):              # import_module(".sub", __name__ / __package__)
                dots = len(name) - len(name.lstrip("."))
                base = module.split(".")
                base = base if is_package else base[:-1]
                base = base[:len(base) - (dots - 1)]
                name = ".".join(base + ([name.lstrip(".")] if name.lstrip(".") else []))
            targets = [(name, None)]
        else:
            continue
        for stem, name in targets:
            if not (stem == "qtransport" or stem.startswith("qtransport.")):
                continue
            # `from pkg import sub` names the submodule when there is one, else pkg itself
            full = f"{stem}.{name}" if name else stem
            while full not in MODULES and "." in full:
                full = full.rsplit(".", 1)[0]
            if full != module:
                found.add(full)
    return found


def _is_import_call(func: ast.expr) -> bool:
    """``importlib.import_module``, a bare ``import_module`` or ``__import__``."""
    if isinstance(func, ast.Attribute):
        return func.attr == "import_module"
    return isinstance(func, ast.Name) and func.id in ("import_module", "__import__")


GRAPH = {m: _imports(m, p) for m, p in MODULES.items()}


def _top(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def test_every_module_has_a_layer():
    unplaced = sorted(m for m in MODULES if _top(m) and _top(m) not in RANK)
    assert not unplaced, f"put these in a layer of tests/test_layering.py: {unplaced}"


def test_imports_only_point_down_the_layers():
    upward = []
    for module, targets in GRAPH.items():
        if not _top(module):
            continue                      # qtransport/__init__.py: lazy attribute access only
        for target in targets:
            if _top(target) and RANK.get(_top(target), -1) > RANK.get(_top(module), -1):
                upward.append(f"{module} ({LAYER_NAME[_top(module)]}) imports {target} "
                              f"({LAYER_NAME[_top(target)]})")
    assert not upward, "upward imports across layers:\n" + "\n".join(sorted(upward))


def test_literal_import_module_calls_are_in_the_graph():
    """The walk sees ``importlib.import_module`` with a literal name (absolute or relative)."""
    source = ("import importlib\nimportlib.import_module('qtransport.cli')\n"
              "importlib.import_module('.record', __name__)\n")
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        fake = Path(tmp) / "__init__.py"
        fake.write_text(source, encoding="utf-8")
        found = _imports("qtransport.devices", fake)
    assert {"qtransport.cli", "qtransport.devices.record"} <= found, found


def _layer_rank(module: str) -> int:
    return RANK.get(_top(module), -1)


def test_no_module_names_of_higher_layers():
    """No string constant in a module names a module of a higher layer (an upward import by name
    hidden from the statement walk, e.g. a core table of "declaring modules" to import)."""
    found = []
    for module, path in MODULES.items():
        if not _top(module):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                    and node.value in MODULES and _layer_rank(node.value) > _layer_rank(module):
                found.append(f"{module} ({LAYER_NAME[_top(module)]}) names {node.value} "
                             f"({LAYER_NAME[_top(node.value)]}), line {node.lineno}")
    assert not found, "module names of higher layers:\n" + "\n".join(sorted(found))


def test_no_module_imports_another_modules_private_names():
    """``from .other import _name`` reaches into code the other module may change at will; what
    two modules share is public (in the owner's ``__all__``)."""
    found = []
    for module, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if not isinstance(node, ast.ImportFrom):
                continue
            absolute = node.level == 0 and (node.module or "").startswith("qtransport")
            if not (node.level or absolute):
                continue
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    found.append(f"{module}:{node.lineno} imports {alias.name} from "
                                 f"{'.' * node.level}{node.module or ''}")
    assert not found, "private names imported across modules:\n" + "\n".join(sorted(found))


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index, low, on_stack, stack, out = {}, {}, set(), [], []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        out.append(sorted(component))
    return out


def test_cycle_finder_finds_a_planted_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set(), "e": {"d"}}
    assert _cycles(graph) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles():
    cycles = _cycles(GRAPH)
    assert not cycles, "import cycles:\n" + "\n".join(" <-> ".join(c) for c in cycles)


def _external(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("heavy", ["kwant", "qutip"])
def test_synapse_layer_never_reaches_kwant_or_qutip(heavy):
    """Everything the synapse package can import (with the packages each import initializes)
    stays clear of Kwant and QuTiP."""
    def with_parents(module):
        parts = module.split(".")
        return {".".join(parts[:i]) for i in range(2, len(parts) + 1)}
    seen, todo = set(), [m for m in MODULES if _top(m) == "synapse"]
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        seen.add(module)
        for target in GRAPH[module]:
            todo += sorted(with_parents(target) - seen)
    offenders = sorted(m for m in seen if heavy in _external(MODULES[m]))
    assert not offenders, f"the synapse layer reaches {heavy} through {offenders}"
    assert "qtransport.devices.record" in seen          # the walk does follow the record
