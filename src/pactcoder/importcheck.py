"""Before a build is written: does the generated service import at all?

The rendered, formatted files are written to a scratch folder and a fresh
Python process (this interpreter) imports every module of ``app`` (but the job
workers' program, ``app.worker``, which needs Redis), as the service will when it
starts, and compiles every other Python file (tests, migrations, ``app.worker``):
each file is compiled once, by the import or by ``compile``. A failure is a bug in
pactcoder, not in the contract: :func:`check_imports` raises
:class:`~pactcoder.problems.GeneratedCodeError` naming the contract and the
generated file and line at fault, and the build writes nothing.

The service's own dependencies (FastAPI, SQLAlchemy, ...) must be importable
here (``pip install 'pactcoder[service]'``); when they are not, the check is
skipped and says so, rather than failing every build.

Example::

    skipped = check_imports(files, contract="docs/openapi.yaml")   # None when it ran
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from pactcoder.problems import GeneratedCodeError

__all__ = ["check_imports"]

#: How long the import may take before it counts as hanging.
TIMEOUT = 180

# Run in the scratch folder. Exit 0: all imported; 3: the service's dependencies are missing
# here (skipped); anything else: the traceback of the first failure is on stderr.
_SCRIPT = """
import importlib, pkgutil, sys
for name in ("fastapi", "sqlalchemy", "pydantic", "pydantic_settings", "structlog", "alembic"):
    try:
        importlib.import_module(name)
    except ImportError as exc:
        print(exc)
        sys.exit(3)
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as source:
        compile(source.read(), path, "exec", dont_inherit=True)
import app
import app.main
# app.worker is the job workers' program: it connects to Redis when imported.
for module in pkgutil.walk_packages(app.__path__, "app."):
    if module.name != "app.worker":
        importlib.import_module(module.name)
"""

_FRAME = re.compile(r'^\s*File "([^"]+)", line (\d+)', re.MULTILINE)


def check_imports(files: dict[str, str], *, contract: str) -> str | None:
    """Raise GeneratedCodeError if the service in ``files`` does not import.

    Returns None when the check ran and passed, or why it was skipped.
    """
    python = sorted(path for path in files if path.endswith(".py"))
    if not any(path == "app/main.py" for path in python):
        return "no app/main.py to import"
    # What the import of app compiles need not be compiled again (it was half the check).
    not_imported = [p for p in python if not p.startswith("app/") or p == "app/worker.py"]
    with tempfile.TemporaryDirectory(prefix="pactcoder-import-") as scratch:
        root = Path(scratch)
        for path, text in files.items():
            target = root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"DATABASE_URL", "REDIS_URL", "ENVIRONMENT", "PYTHONPATH"}
            and not key.startswith("PYTHONSTARTUP")
        }
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        try:
            done = subprocess.run(  # noqa: S603 - this interpreter on the code we just generated
                [sys.executable, "-c", _SCRIPT, *not_imported],
                cwd=root,
                env=env,
                capture_output=True,
                text=True,
                timeout=TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise GeneratedCodeError(
                _message(contract, f"importing it did not finish within {TIMEOUT} seconds")
            ) from None
        if done.returncode == 0:
            return None
        if done.returncode == 3:
            return f"the service's dependencies are not installed here ({done.stdout.strip()})"
        keep = os.environ.get("PACTCODER_KEEP_BROKEN")
        if keep:
            shutil.copytree(root, keep, dirs_exist_ok=True)
        raise GeneratedCodeError(_message(contract, _cause(done.stderr, root)))


def _cause(stderr: str, root: Path) -> str:
    """``app/x.py:12: NameError: ...`` from a traceback: the last frame in the generated code."""
    lines = [line for line in stderr.strip().splitlines() if line.strip()]
    last = lines[-1].strip() if lines else "it failed without a message"
    where = ""
    for path, line in _FRAME.findall(stderr):
        try:
            where = f"{Path(path).resolve().relative_to(root.resolve()).as_posix()}:{line}: "
        except ValueError:
            continue
    # A SyntaxError names the file in its own lines, not in a frame.
    syntax = re.search(r'File "([^"]+)", line (\d+)\n(.*)\n.*\n(SyntaxError.*)$', stderr.strip())
    if syntax and not where:
        where = f"{syntax.group(1)}:{syntax.group(2)}: "
    return where + last


def _message(contract: str, cause: str) -> str:
    return (
        f"the service generated for {contract} does not import: {cause}\n"
        "This is a bug in pactcoder, not in your contract; nothing was written. Please report"
        " it with the contract (PACTCODER_KEEP_BROKEN=DIR keeps the generated files there)."
    )
