"""Stage 5: format the rendered service with the pinned ruff.

Python files are sorted and stripped of unused imports (``ruff check --fix``
with the isort and pyflakes-import rules), upgraded to modern syntax, then
formatted (``ruff format``). It runs on a scratch copy, so a formatter failure
never leaves half-formatted output; the same ruff version gives the same
bytes every time.

Example::

    files = format_files(render_service(service))
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from ruff.__main__ import find_ruff_bin

__all__ = ["FormatError", "find_ruff_bin", "format_files"]

from pactcoder.problems import GeneratedCodeError

_RUFF_CONFIG = """\
line-length = 100
target-version = "py311"

[lint]
select = ["I", "F401", "UP", "W291", "W293"]

[lint.isort]
known-first-party = ["app", "tests"]
"""


class FormatError(GeneratedCodeError):
    """The formatter failed on the generated code (a bug in a template)."""


def syntax_errors(files: dict[str, str]) -> list[str]:
    """``path:line:column: message`` and the offending line, for each Python file that does
    not parse."""
    found: list[str] = []
    for path, text in sorted(files.items()):
        if not path.endswith(".py"):
            continue
        try:
            compile(text, path, "exec", dont_inherit=True)
        except SyntaxError as exc:
            line = (exc.text or "").rstrip()
            found.append(
                f"{path}:{exc.lineno}:{exc.offset}: {exc.msg}" + (f"\n    {line}" if line else "")
            )
        except ValueError as exc:  # null bytes
            found.append(f"{path}: {exc}")
    return found


def format_files(files: dict[str, str]) -> dict[str, str]:
    """``files`` with every Python file fixed and formatted by ruff."""
    python = {path: text for path, text in files.items() if path.endswith(".py")}
    if not python:
        return dict(files)
    ruff = find_ruff_bin()
    with tempfile.TemporaryDirectory(prefix="pactcoder-format-") as scratch:
        root = Path(scratch)
        (root / "ruff.toml").write_text(_RUFF_CONFIG, encoding="utf-8")
        for path, text in python.items():
            target = root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        for args in (
            ["check", "--fix", "--unsafe-fixes", "--exit-zero", "--quiet"],
            ["format", "--quiet"],
        ):
            done = subprocess.run(  # noqa: S603 - our own pinned ruff on our own files
                [str(ruff), *args, "--config", str(root / "ruff.toml"), "--no-cache", "."],
                cwd=root,
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode != 0:
                output = (done.stderr + done.stdout).strip()
                # ruff --quiet can fail saying nothing; a file that does not parse is the
                # usual cause, and Python names it.
                details = syntax_errors(python) or [output or f"ruff exited {done.returncode}"]
                raise FormatError(
                    f"ruff {args[0]} failed on the generated code:\n" + "\n".join(details)
                )
        formatted = {path: (root / path).read_text(encoding="utf-8") for path in python}
    return {path: formatted.get(path, text) for path, text in files.items()}
