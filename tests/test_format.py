"""Formatting: the pinned ruff sorts imports, drops unused ones and formats, deterministically."""

from __future__ import annotations

from pactcoder.format import format_files


def test_python_files_are_fixed_and_formatted() -> None:
    source = "import os\nimport sys\nfrom typing import Any\n\nx = {'a':1}\ny: Any = sys.argv\n"
    formatted = format_files({"app/x.py": source, "README.md": "  keep  me  \n"})
    assert formatted["app/x.py"] == (
        'import sys\nfrom typing import Any\n\nx = {"a": 1}\ny: Any = sys.argv\n'
    )
    assert formatted["README.md"] == "  keep  me  \n"


def test_first_party_imports_are_grouped_last() -> None:
    source = "from app.core import config\nimport json\n\nprint(json, config)\n"
    formatted = format_files({"app/y.py": source})["app/y.py"]
    assert formatted.index("import json") < formatted.index("from app.core import config")


def test_same_input_same_bytes() -> None:
    files = {"a.py": "import b\nimport a\nprint(a,b)\n"}
    assert format_files(files) == format_files(files)
