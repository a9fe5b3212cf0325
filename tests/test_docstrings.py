"""Every public function, class and method of ``qtransport`` has a numpydoc docstring.

"Public" means named in a module's ``__all__`` (and, for a class, each method or property the
class itself defines whose name does not start with ``_``). Each one is run through
:func:`numpydoc.validate.validate` and must be free of the errors in :data:`CHECKED`: a docstring
with a one-line summary, a ``Parameters`` section that names exactly the arguments of the
signature (``self``/``cls`` aside; ``*args``/``**kwargs`` may be left out, they only forward),
each with a type and a description, and a ``Returns``/``Yields`` section with descriptions when
the code returns/yields a value. Units and meanings are for the reader; this test keeps the
structure from rotting. ``tests/test_docs.py`` checks the Markdown documents, not docstrings.

Run as a script (``python tests/test_docstrings.py``) it prints the same report plus advisory
lists: public callables that raise ``ValueError``/``TypeError`` in their own body (a class: in
its constructor) without a ``Raises`` section, and those without ``Examples``.
"""
from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from functools import cache

import numpydoc.docscrape
import numpydoc.validate

import qtransport

#: numpydoc error codes this test enforces (see numpydoc.validate.ERROR_MSGS)
CHECKED = {
    "GL08": "no docstring",
    "GL06": "unknown section (a misspelt heading such as 'Return' or 'Parameter')",
    "SS01": "no one-line summary",
    "PR01": "arguments not documented",
    "PR02": "documented arguments that do not exist",
    "PR04": "argument without a type",
    "PR07": "argument without a description",
    "RT01": "returns a value but has no Returns section",
    "RT03": "a Returns entry without a description",
    "YD01": "a generator without a Yields section",
}


def _modules():
    mods = [qtransport]
    for info in pkgutil.walk_packages(qtransport.__path__, "qtransport."):
        mods.append(importlib.import_module(info.name))
    return mods


def _function(raw):
    """The plain function behind a method, static/class method or property (else None)."""
    if isinstance(raw, (staticmethod, classmethod)):
        return raw.__func__
    if isinstance(raw, property):
        return raw.fget
    return raw if inspect.isfunction(raw) else None


def _documented_by_base(cls, name, raw) -> bool:
    """True for an undocumented override of a documented method of a ``qtransport`` base class
    with the same parameters: its documentation is the base's (``help()`` shows that one), which
    is checked where it is defined. An override with other parameters needs its own."""
    func = _function(raw)
    if func is None or func.__doc__:
        return False
    for base in cls.__mro__[1:]:
        if name in vars(base) and base.__module__.startswith("qtransport"):
            other = _function(vars(base)[name])
            if other is None:
                return False
            if not other.__doc__:
                continue                # an undocumented intermediate override: look further
            try:
                return (list(inspect.signature(func).parameters)
                        == list(inspect.signature(other).parameters))
            except (TypeError, ValueError):
                return False
    return False


def _own_members(cls):
    """Public methods/properties that ``cls`` defines itself (inherited ones are checked where
    they are defined), as ``(name, object-to-validate)``."""
    fields = getattr(cls, "__dataclass_fields__", {})
    for name, raw in vars(cls).items():
        if name.startswith("_") or name in fields or _documented_by_base(cls, name, raw):
            continue                # dataclass fields (a callable default) are parameters
        if isinstance(raw, (staticmethod, classmethod)):
            yield name, getattr(cls, name)
        elif isinstance(raw, property) or inspect.isfunction(raw):
            yield name, raw


@cache
def public_objects():
    """``{qualified name: object}`` of every public function, class and method, each once
    (under the module that defines it when that module lists it, else the first that does)."""
    seen, out = set(), {}
    modules = _modules()
    # defining modules first, so a re-export in a package __init__ is not the reported name
    for pass_ in ("own", "reexport"):
        for mod in modules:
            for name in getattr(mod, "__all__", ()):
                obj = getattr(mod, name, None)
                if not (inspect.isfunction(obj) or inspect.isclass(obj)):
                    continue            # constants, submodules, the version string
                if getattr(obj, "__module__", "").split(".")[0] != "qtransport":
                    continue            # a re-exported third-party/stdlib object
                own = obj.__module__ == mod.__name__
                if (pass_ == "own") != own or id(obj) in seen:
                    continue
                seen.add(id(obj))
                out[f"{mod.__name__}.{name}"] = obj
                if inspect.isclass(obj):
                    for mname, member in _own_members(obj):
                        out[f"{mod.__name__}.{name}.{mname}"] = member
    return out


class _Validator(numpydoc.validate.Validator):
    """numpydoc's validator of one object (given itself, not its dotted name)."""

    def __init__(self, obj_name):
        super().__init__(numpydoc.docscrape.get_doc_object(obj_name))

    # numpydoc reads the source file and the ``def`` line only to honour ``# numpydoc ignore``
    # comments; the package uses none (a docstring is fixed, not silenced), and tokenizing every
    # file is most of the cost of this test
    @property
    def source_file_name(self):
        return None

    @property
    def source_file_def_line(self):
        return None


def _validate(obj):
    if isinstance(obj, property):
        errors = numpydoc.validate.validate(obj.fget, validator_cls=_Validator)["errors"]
        # a property is read like an attribute: its getter's summary is all it needs
        return [(c, m) for c, m in errors if c in {"GL08", "SS01", "GL06"}]
    return numpydoc.validate.validate(obj, validator_cls=_Validator)["errors"]


def _forwarding_only(message):
    """True when a PR01 message lists only ``*args``/``**kwargs``."""
    missing = ast.literal_eval(message.split("Parameters ", 1)[1].rsplit(" not documented", 1)[0])
    return all(p.startswith("*") for p in missing)


def _keyword_family_errors(cls):
    """A device family takes its parameters as keywords (``**params``, checked against
    ``default_params()``): its ``Parameters`` section must name exactly those keywords."""
    doc = numpydoc.docscrape.get_doc_object(cls)
    documented = {n.strip() for names, _, _ in doc["Parameters"] for n in names.split(", ")}
    expected = set(cls.default_params())
    if not documented:        # "same parameters as" a documented parent family with the same keys
        for base in cls.__mro__[1:]:
            if (_is_keyword_family(base) and set(base.default_params()) == expected
                    and not _keyword_family_errors(base)):
                return []
    errors = []
    if expected - documented:
        errors.append(("PR01", f"Parameters {sorted(expected - documented)} not documented"))
    if documented - expected:
        errors.append(("PR02", f"Unknown parameters {sorted(documented - expected)}"))
    return errors


def _is_keyword_family(obj) -> bool:
    from qtransport.devices.base import DeviceFamily
    return inspect.isclass(obj) and issubclass(obj, DeviceFamily) and obj is not DeviceFamily


def problems(objects=None):
    """Every enforced numpydoc error, as ``"name: CODE message"`` lines."""
    objects = public_objects() if objects is None else objects
    found = []
    for name, obj in objects.items():
        errors = _validate(obj)
        if _is_keyword_family(obj):
            errors = ([(c, m) for c, m in errors if c not in ("PR01", "PR02")]
                      + _keyword_family_errors(obj))
        for code, message in errors:
            if code not in CHECKED:
                continue
            if code == "PR01" and _forwarding_only(message):
                continue
            found.append(f"{name}: {code} {message}")
    return found


def test_public_api_is_found():
    objs = public_objects()
    # a broken walk (nothing imported) must not pass as "no problems"
    assert len(objs) > 300, len(objs)
    for name in ("qtransport.landauer.conductance",
                 "qtransport.errors.check_real"):
        assert any(n == name for n in objs), name


@cache
def _package_problems() -> tuple[str, ...]:
    return tuple(problems())


def test_every_public_docstring_is_numpydoc():
    found = _package_problems()
    assert not found, (f"{len(found)} numpydoc problems ({', '.join(sorted(CHECKED))}):\n"
                       + "\n".join(found))


def test_the_checker_catches_a_broken_docstring():
    def good(x, y=1.0):
        """Add two lengths.

        Parameters
        ----------
        x : float
            First length (nm).
        y : float, optional
            Second length (nm).

        Returns
        -------
        float
            The sum (nm).
        """
        return x + y

    def misnamed(x, y=1.0):
        """Add two lengths.

        Parameters
        ----------
        x : float
            First length (nm).
        z : float, optional
            Second length (nm).

        Returns
        -------
        float
            The sum (nm).
        """
        return x + y

    def no_returns(x):
        """Double a length.

        Parameters
        ----------
        x : float
            A length (nm).
        """
        return 2 * x

    def no_summary(x):
        """
        Parameters
        ----------
        x
        """

    assert problems({"good": good}) == []
    codes = {name: {line.split(": ")[1].split()[0] for line in problems({name: f})}
             for name, f in [("misnamed", misnamed), ("no_returns", no_returns),
                             ("no_summary", no_summary)]}
    assert codes["misnamed"] == {"PR01", "PR02"}
    assert codes["no_returns"] == {"RT01"}
    assert {"SS01", "PR04", "PR07"} <= codes["no_summary"]


def test_the_checker_reads_device_family_keywords():
    """A device family's Parameters must be its default_params() keys (``**params`` classes)."""
    from qtransport.devices.base import DeviceFamily

    class Demo(DeviceFamily):
        """A demo family.

        Parameters
        ----------
        width_nm : float
            Width, nm.
        """

        name = "demo_for_the_docstring_test"

        @classmethod
        def default_params(cls):
            return {"width_nm": 1.0, "length_nm": 2.0}

        def response(self, *, seed=0):
            raise NotImplementedError

    assert problems({"Demo": Demo}) == [
        "Demo: PR01 Parameters ['length_nm'] not documented"]


def _advisory():
    raises, examples = [], []
    for name, obj in public_objects().items():
        if isinstance(obj, property):
            continue
        doc = numpydoc.docscrape.get_doc_object(obj)
        # a class documents what its constructor raises; its methods are checked on their own
        parts = ([vars(obj)[n] for n in ("__init__", "__post_init__") if n in vars(obj)]
                 if inspect.isclass(obj) else [obj])
        src = ""
        for part in parts:
            try:
                src += inspect.getsource(_function(part) or part)
            except (OSError, TypeError):
                pass
        if ("raise ValueError" in src or "raise TypeError" in src) and not doc["Raises"]:
            raises.append(name)
        if not doc["Examples"]:
            examples.append(name)
    return raises, examples


if __name__ == "__main__":
    import sys
    found = problems()
    print("\n".join(found))
    print(f"# {len(found)} problems in {len(public_objects())} public objects")
    if "-v" in sys.argv:
        raises, examples = _advisory()
        print("# raise ValueError/TypeError without a Raises section:")
        print("\n".join(raises))
        print(f"# {len(examples)} without Examples")
