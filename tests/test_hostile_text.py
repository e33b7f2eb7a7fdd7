"""Nothing from the contract is ever code (issue 13, part 1).

Every string-valued place of a contract (titles, descriptions, summaries, examples, enum
values, patterns, names, server URLs, x-pact values) is filled with a breaking payload:
the build either refuses with a located message, or renders a tree whose Python files
parse and run, on import, exactly the statements of the clean build (constants aside).
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pactcoder.format import FormatError, format_files
from pactcoder.pipeline import understand
from pactcoder.problems import ContractError
from pactcoder.render import render_service
from pactcoder.steps import generate

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ("orders", "blog")

PAYLOADS = [
    '"',
    "'",
    '"""',
    "'''",
    "\\",
    "a\\",
    "\\N{",
    "a\"b'c`d",
    "x\ny\r\nz",
    "{{ 1 + 1 }}{% if x %}{# c #}",
    "{__import__('os')}",
    "\x00",
    "\x1b[31m\x7f",
    "\u2028z\u2029",
    "\ufeff",
    '"""\nimport os; os.system("touch /tmp/pwned")\n"""',
    "# comment\n__import__('os')",
    "-->\n<script>alert(1)</script>",
    "x" * 5000,
]
#: Groups of places: text a payload is appended to, values it replaces, names it extends.
PLACES = ["text", "example", "pattern", "url", "enum", "names", "xpact"]
_TEXT = ("title", "description", "summary")


def _fill(node: Any, payload: str, place: str) -> Any:
    if isinstance(node, list):
        return [_fill(v, payload, place) for v in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if place == "xpact" and key.startswith("x-pact"):
            out[key] = _append(value, payload)
        elif place == "names" and key == "properties" and isinstance(value, dict):
            out[key] = {k + payload: _fill(v, payload, place) for k, v in value.items()}
        elif place == "names" and key in ("required", "operationId"):
            out[key] = _append(value, payload)
        elif place == "text" and key in _TEXT and isinstance(value, str):
            # Appended: the text keeps the words inference reads in it ("unique", ...).
            out[key] = value + payload
        elif place in ("example", "pattern", "url") and key == place and isinstance(value, str):
            out[key] = payload
        elif place == "enum" and key == "enum" and all(isinstance(v, str) for v in value):
            out[key] = [f"{payload}{i}" for i in range(len(value))]
        else:
            out[key] = _fill(value, payload, place)
    return out


def _append(node: Any, payload: str) -> Any:
    if isinstance(node, dict):
        return {k: _append(v, payload) for k, v in node.items()}
    if isinstance(node, list):
        return [_append(v, payload) for v in node]
    return node + payload if isinstance(node, str) else node


def _project(example: str, payload: str, place: str, root: Path) -> Path:
    target = root / example
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(ROOT / "examples" / example, target)
    for path in (target / "docs").rglob("*.yaml"):
        data = _fill(yaml.safe_load(path.read_text(encoding="utf-8")), payload, place)
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return target


def _name(node: ast.stmt) -> str:
    if isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
        return node.name
    if isinstance(node, ast.Import | ast.ImportFrom):
        return f"{getattr(node, 'module', '')}:{','.join(a.name for a in node.names)}"
    if isinstance(node, ast.Assign):
        return ",".join(ast.dump(t) for t in node.targets)
    if isinstance(node, ast.AnnAssign):
        return ast.dump(node.target)
    return ""


def _shape(text: str, names: bool) -> list[Any]:
    """What runs on import: each statement of the module and of its classes (their bodies
    run too), by kind and, unless ``names`` is off, by the names it binds. Constants and
    call arguments are left out: text may change what inference decides, not what runs."""

    def walk(body: list[ast.stmt]) -> list[Any]:
        found: list[Any] = []
        for node in body:
            if isinstance(node, ast.Expr) and not isinstance(node.value, ast.Constant):
                found.append(("code", ""))  # a call at import time
                continue
            entry: tuple[Any, ...] = (type(node).__name__, _name(node) if names else "")
            if isinstance(node, ast.ClassDef):
                entry += (tuple(walk(node.body)),)
            found.append(entry)
        return found

    return walk(ast.parse(text).body)


@cache
def _clean(example: str) -> dict[str, str]:
    return render_service(understand(ROOT / "examples" / example).service)


def _problems(files: dict[str, str], clean: dict[str, str], place: str) -> list[str]:
    # Names made from the contract change with it (enum members are named after values).
    names = place not in ("names", "xpact", "enum")
    found = []
    for path, text in files.items():
        if not path.endswith(".py"):
            continue
        try:
            shape = _shape(text, names)
        except (SyntaxError, ValueError) as exc:
            found.append(f"{path} does not parse: {exc}")
            continue
        calls = sum(1 for entry in shape if entry[0] == "code")
        if path in clean and calls != sum(1 for e in _shape(clean[path], names) if e[0] == "code"):
            found.append(f"{path} runs code from the contract on import")
        elif names and path in clean and shape != _shape(clean[path], names):
            found.append(f"{path}: its module-level statements are not the clean build's")
    return found


@settings(
    max_examples=6,
    database=None,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    example=st.sampled_from(EXAMPLES),
    payload=st.sampled_from(PAYLOADS),
    place=st.sampled_from(PLACES),
)
def test_contract_text_never_becomes_code(
    tmp_path: Path, example: str, payload: str, place: str
) -> None:
    try:
        understanding = understand(_project(example, payload, place, tmp_path))
    except ContractError as exc:
        assert all(p.location is not None for p in exc.problems.errors), str(exc)
        return
    files = render_service(understanding.service)
    assert not _problems(files, _clean(example), place)


@pytest.mark.parametrize("payload", ['"""', "a\\", "x\n\u2028\x00", PAYLOADS[15]])
def test_titles_and_descriptions_stay_text(tmp_path: Path, payload: str) -> None:
    """The text places of every kind of file, payload by payload (the property test samples)."""
    files = render_service(understand(_project("orders", payload, "text", tmp_path)).service)
    assert not _problems(files, _clean("orders"), "text")


def test_the_title_of_the_issue_does_not_run_on_import(tmp_path: Path) -> None:
    """Issue 13's reproducer: a title that closes the module docstring and calls os.system."""
    marker = tmp_path / "pwned"
    project = tmp_path / "project"
    shutil.copytree(ROOT / "tests" / "contracts" / "tickets", project)
    contract = project / "docs" / "openapi.yaml"
    data = yaml.safe_load(contract.read_text(encoding="utf-8"))
    data["info"]["title"] = f'Items"""\nimport os; os.system(\'touch {marker}\')\n"""'
    contract.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    files = generate(understand(project))  # formatted: ruff must accept it too
    built = tmp_path / "built"
    for path, text in files.items():
        (built / path).parent.mkdir(parents=True, exist_ok=True)
        (built / path).write_text(text, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", "import app, app.main, tests"],
        cwd=built,
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin", "ENVIRONMENT": "test"},
    )
    assert not marker.exists(), "the contract's title ran as code"
    assert "os.system" in files["app/__init__.py"]  # still there, as text
    assert done.returncode == 0 or "pwned" not in done.stderr, done.stderr


def test_a_formatter_failure_names_the_file_and_the_reason() -> None:
    """Were a template ever to let text through, the build says where, not only that ruff
    failed."""
    with pytest.raises(FormatError) as raised:
        format_files({"app/broken.py": 'TITLE = """Items"""\n"""\n', "README.md": "x\n"})
    message = str(raised.value)
    assert "app/broken.py:2:" in message
    assert "unterminated" in message  # what Python says is wrong there


@pytest.mark.parametrize("name", ["import", "class", "__init__", "None", "self", "model_config"])
def test_names_like_python_keywords_and_dunders_still_build(tmp_path: Path, name: str) -> None:
    """Operation ids, tags and property names become functions, modules and attributes:
    each passes through ir/names.py, which keeps them identifiers that shadow nothing."""
    project = tmp_path / "project"
    shutil.copytree(ROOT / "tests" / "contracts" / "tickets", project)
    contract = project / "docs" / "openapi.yaml"
    data = yaml.safe_load(contract.read_text(encoding="utf-8"))
    for item in data["paths"].values():
        for operation in item.values():
            if isinstance(operation, dict) and "operationId" in operation:
                operation["operationId"] = name + operation["operationId"].capitalize()
                operation["tags"] = [name]
    for schema in data["components"]["schemas"].values():
        if "description" in schema.get("properties", {}):
            schema["properties"][name] = {"type": "string"}
    contract.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    files = render_service(understand(project).service)
    modules = [path for path in files if path.endswith(".py")]
    for path in modules:
        ast.parse(files[path], path)
    assert all(Path(p).stem.isidentifier() for p in modules if not p.startswith("migrations/"))


#: Every payload at once (the long one shortened): one build per place covers them all.
ALL_PAYLOADS = "".join(p if len(p) < 100 else p[:300] for p in PAYLOADS)
#: For each kind of place, an example that still builds with it filled (others refuse it
#: with a located error: an overlay naming a property, a rate limit that no longer parses).
BUILDS_WITH = {
    "text": "orders",
    "example": "orders",
    "pattern": "auth",
    "url": "orders",
    "enum": "blog",
    "names": "blog",
    "xpact": "library",
}


@pytest.mark.parametrize(("place", "example"), list(BUILDS_WITH.items()))
def test_every_place_takes_every_payload_at_once(tmp_path: Path, place: str, example: str) -> None:
    """The property test samples; this fills each kind of place with all payloads together
    and builds: every Python file parses and runs on import what the clean build runs."""
    assert set(BUILDS_WITH) == set(PLACES)
    files = render_service(understand(_project(example, ALL_PAYLOADS, place, tmp_path)).service)
    assert not _problems(files, _clean(example), place)
