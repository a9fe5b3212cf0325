"""The repository is self-contained: every Markdown document it cites exists in it."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_CITED = re.compile(r"(?<![\w./-])((?:\.\./)*[\w/-]*[A-Za-z]\w*\.md)\b")
#: names of files qtransport writes (``qtransport run`` writes report.md), not documents
_OUTPUTS = {"report.md"}


def _tracked_text_files():
    out = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"],
                         cwd=ROOT, capture_output=True, text=True, check=True).stdout
    for name in out.split():
        path = ROOT / name
        if path == Path(__file__).resolve():
            continue                       # this file spells the patterns it looks for
        if path.suffix in {".py", ".md", ".toml", ".cfg", ".sh", ".txt", ".cff", ".yml", ".yaml",
                           ".ini", ".rst", ".ipynb", ".json", ".in", ""} and path.is_file():
            yield path


def test_every_cited_document_exists():
    missing = []
    for path in _tracked_text_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        for match in _CITED.finditer(text):
            ref = match.group(1)
            if ref.rsplit("/", 1)[-1] in _OUTPUTS:
                continue
            candidates = [ROOT / ref, path.parent / ref, ROOT / "docs" / ref]
            if "shared/design" in ref or not any(c.is_file() for c in candidates):
                line = text.count("\n", 0, match.start()) + 1
                missing.append(f"{path.relative_to(ROOT)}:{line}: {ref}")
    assert not missing, "cited but not in the repository:\n" + "\n".join(missing)


#: the design notes outside the repository, and their upper-case names at the repository root
#: (the project's own copies are ``docs/validation.md`` …); this file is not scanned (it
#: spells the patterns)
_OUTSIDE = re.compile(r"shared/design|(?<![\w/])(?:\./)?(?:API|VALIDATION|ENVIRONMENT|"
                      r"CONVENTIONS)\.md\b")


def test_no_citation_of_the_design_notes_outside_the_repository():
    """No file names ``../shared/design`` or a root-level ``API.md``/``VALIDATION.md``/
    ``ENVIRONMENT.md``/``CONVENTIONS.md`` (only ``docs/*.md`` are the project's documents)."""
    found = []
    for path in _tracked_text_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        for match in _OUTSIDE.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            found.append(f"{path.relative_to(ROOT)}:{line}: {match.group(0)}")
    assert not found, "cites documents outside the repository:\n" + "\n".join(found)
    for name in ("API.md", "VALIDATION.md", "ENVIRONMENT.md", "CONVENTIONS.md"):
        assert not (ROOT / name).exists(), f"{name} belongs in docs/ (lower case), not the root"


def test_the_outside_citation_pattern_catches_each_form():
    for text in ("see ../shared/design/API.md", "VALIDATION.md §3", "(ENVIRONMENT.md)",
                 "./CONVENTIONS.md"):
        assert _OUTSIDE.search(text), text
    for text in ("docs/validation.md", "docs/api.md", "MY_API.md"):
        assert not _OUTSIDE.search(text), text


def test_design_documents_are_in_docs():
    for name in ("validation.md", "environment.md", "api.md", "config.md", "models.md",
                 "testing.md"):
        assert (ROOT / "docs" / name).is_file(), name
