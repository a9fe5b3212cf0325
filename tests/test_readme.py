"""The README's Python examples run as written (a newcomer copies them first)."""
import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"


@pytest.mark.slow
def test_readme_python_blocks_run(tmp_path, monkeypatch):
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert len(blocks) >= 3
    monkeypatch.chdir(tmp_path)                 # examples may write files
    namespace: dict = {}
    for block in blocks:                        # later blocks reuse names of earlier ones
        exec(compile(block, str(README), "exec"), namespace)
    assert (tmp_path / "mine.h5").exists()
