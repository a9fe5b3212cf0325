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
        if path.suffix in {".py", ".md", ".toml", ".cfg", ".sh", ".txt", ".cff", ""} and \
                path.is_file():
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


def test_design_documents_are_in_docs():
    for name in ("validation.md", "environment.md", "api.md", "config.md", "models.md",
                 "testing.md"):
        assert (ROOT / "docs" / name).is_file(), name
