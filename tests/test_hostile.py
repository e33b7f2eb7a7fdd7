"""Hostile contracts: each project under tests/hostile/ is an attack on, or a trap for, pactcoder.

Each case is a folder with a docs/ tree (or a generator below that writes one at
test time), ``expected.txt`` (exactly what pactcoder prints on stderr) and an
optional ``case.json``:

- ``command``: ``build`` (default; into a scratch --out) or ``check``;
- ``exit``: the expected exit code (default 2: refused, nothing written);
- ``env``: environment variables for the run (e.g. a lowered ``PACTCODER_MAX_*``);
- ``links``: symbolic links to make, ``{"docs/x.yaml": "{{OUTSIDE}}/secret.yaml"}``;
- ``fifos``: named pipes to make (a read would block forever);
- ``generate``: the name of a generator in GENERATORS (huge or deep inputs);
- ``xfail``: why the case fails today (the test is then xfail(strict=True));
- ``e2e``: the case builds a whole service (seconds): run with the e2e tests, not the fast lane;
- ``shows``: text that must be in what pactcoder printed on stdout (what ``check`` reports);
- ``note``: what the case tries.

``{{OUTSIDE}}`` in any file of a case is the folder of files outside the project,
whose every file holds SENTINEL; ``{{SCRATCH}}`` is a scratch folder where a
successful code injection would leave a ``pwned`` file.

Every case runs in a forked child of one runner process (tests/hostile/runner.py)
whose address space is limited to 512 MB (RLIMIT_AS) and whose CPU time is
limited to 10 s (RLIMIT_CPU; a wall-clock guard kills a child that blocks). The
test asserts the exit code, the exact message, that nothing was written (or that
the build is clean), that no file outside the project was shown (SENTINEL never
appears in what pactcoder printed or wrote) and that no injected code ran.

After a deliberate change to a message, review and regenerate with:

    python tests/test_hostile.py --regenerate
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

HOSTILE = Path(__file__).resolve().parent / "hostile"
CASES = sorted(p.name for p in HOSTILE.iterdir() if (p / "expected.txt").is_file())
SENTINEL = "SENTINEL-7f3c9a-outside-the-project"
MEMORY = 512 * 1024**2
CPU_SECONDS = 10
SRC = Path(__file__).resolve().parents[1] / "src"

OUTSIDE_CONTRACT = f"""openapi: 3.1.0
info: {{title: {SENTINEL}, version: '1'}}
paths:
  /secrets:
    get:
      responses:
        '200': {{description: {SENTINEL}}}
Pet:
  type: object
  description: {SENTINEL}
  properties:
    secret: {{type: string, default: {SENTINEL}}}
"""
CONTRACT_HEAD = "openapi: 3.1.0\ninfo: {title: Hostile, version: '1'}\n"


def _spec(case: str) -> dict[str, Any]:
    path = HOSTILE / case / "case.json"
    spec: dict[str, Any] = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    return spec


# -- generators: inputs too big or too regular to keep in the repository ----------------


def _write(project: Path, name: str, text: str | bytes) -> None:
    path = project / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")


def _nested_objects(levels: int) -> str:
    opened = "".join("{type: object, properties: {a: " for _ in range(levels))
    return f"{opened}{{type: string}}{'}}' * levels}"


def gen_nesting_300_flow(project: Path) -> None:
    schema = _nested_objects(300)
    _write(
        project,
        "docs/openapi.yaml",
        CONTRACT_HEAD + f"paths: {{}}\ncomponents:\n  schemas:\n    Deep: {schema}\n",
    )


def gen_nesting_300_block(project: Path) -> None:
    lines = [CONTRACT_HEAD + "paths: {}\ncomponents:\n  schemas:\n    Deep:"]
    indent = 6
    for _ in range(300):
        lines.append(" " * indent + "type: object")
        lines.append(" " * indent + "properties:")
        lines.append(" " * (indent + 2) + "a:")
        indent += 4
    lines.append(" " * indent + "type: string")
    _write(project, "docs/openapi.yaml", "\n".join(lines) + "\n")


def gen_nesting_300_json(project: Path) -> None:
    deep: dict[str, Any] = {"type": "string"}
    for _ in range(300):
        deep = {"type": "object", "properties": {"a": deep}}
    document = {
        "openapi": "3.1.0",
        "info": {"title": "Hostile", "version": "1"},
        "paths": {},
        "components": {"schemas": {"Deep": deep}},
    }
    _write(project, "docs/openapi.json", json.dumps(document))


def gen_nesting_raised_limit(project: Path) -> None:
    """900 levels with the depth limit raised past what Python's stack can take."""
    lists = "[" * 900 + "]" * 900
    _write(project, "docs/openapi.yaml", CONTRACT_HEAD + f"paths: {{}}\nx-deep: {lists}\n")


def gen_nesting_10000_lists(project: Path) -> None:
    lists = "[" * 10_000 + "]" * 10_000
    _write(project, "docs/openapi.yaml", CONTRACT_HEAD + f"paths: {{}}\nx-deep: {lists}\n")


def gen_huge_file(project: Path) -> None:
    padding = ("# " + "x" * 1022 + "\n") * (17 * 1024)  # 17 MiB of comments
    _write(project, "docs/openapi.yaml", CONTRACT_HEAD + "paths: {}\n" + padding)


def gen_huge_total(project: Path) -> None:
    _write(project, "docs/openapi.yaml", CONTRACT_HEAD + "paths: {}\n")
    padding = ("# " + "x" * 1022 + "\n") * 400
    for index in range(5):
        _write(project, f"docs/part{index}.yaml", f"x-part: {index}\n" + padding)


def gen_many_files(project: Path) -> None:
    _write(project, "docs/openapi.yaml", CONTRACT_HEAD + "paths: {}\n")
    for index in range(30):
        _write(project, f"docs/notes/n{index:02d}.yaml", f"x-note: {index}\n")


def _operations(count: int) -> str:
    lines = [CONTRACT_HEAD + "paths:"]
    for index in range(count):
        lines.append(
            f"  /r{index}:\n    get:\n      responses:\n        '200': {{description: ok}}"
        )
    return "\n".join(lines) + "\n"


def gen_many_operations(project: Path) -> None:
    _write(project, "docs/openapi.yaml", _operations(5001))


def gen_many_operations_lowered(project: Path) -> None:
    _write(project, "docs/openapi.yaml", _operations(11))


def gen_many_schemas_lowered(project: Path) -> None:
    schemas = "".join(f"    S{index}: {{type: string}}\n" for index in range(6))
    _write(
        project,
        "docs/openapi.yaml",
        CONTRACT_HEAD + "paths: {}\ncomponents:\n  schemas:\n" + schemas,
    )


def gen_ref_chain_internal(project: Path) -> None:
    schemas = "".join(
        f"    S{index}: {{$ref: '#/components/schemas/S{index + 1}'}}\n" for index in range(70)
    )
    _write(
        project,
        "docs/openapi.yaml",
        CONTRACT_HEAD
        + "paths: {}\ncomponents:\n  schemas:\n"
        + schemas
        + "    S70: {type: string}\n",
    )


def gen_ref_chain_files(project: Path) -> None:
    _write(
        project, "docs/openapi.yaml", CONTRACT_HEAD + "paths:\n  /things:\n    $ref: 'p/p0.yaml'\n"
    )
    for index in range(70):
        _write(project, f"docs/p/p{index}.yaml", f"$ref: 'p{index + 1}.yaml'\n")
    _write(project, "docs/p/p70.yaml", "get:\n  responses:\n    '200': {description: ok}\n")


def gen_very_long_line(project: Path) -> None:
    description = "a" * (2 * 1024 * 1024)
    _write(
        project,
        "docs/openapi.yaml",
        CONTRACT_HEAD + f"x-long: '{description}'\npaths: {{}}\n",
    )


def gen_huge_integer(project: Path) -> None:
    digits = "9" * 20_000
    _write(
        project,
        "docs/openapi.yaml",
        CONTRACT_HEAD
        + f"paths: {{}}\ncomponents:\n  schemas:\n    S: {{type: string, maxLength: {digits}}}\n",
    )


def gen_bad_utf_8_markdown(project: Path) -> None:
    """Kept out of the repository: ruff format reads Markdown and stops at it."""
    _write(project, "docs/notes.md", b"# Notes\n\nCaf\xe9 au lait\n")


def gen_binary_file(project: Path) -> None:
    _write(project, "docs/openapi.yaml", CONTRACT_HEAD + "paths: {}\n")
    _write(project, "docs/diagram.yaml", bytes(range(256)) * 64)


GENERATORS: dict[str, Callable[[Path], None]] = {
    name.removeprefix("gen_").replace("_", "-"): function
    for name, function in dict(globals()).items()
    if name.startswith("gen_") and callable(function)
}


# -- running a case ----------------------------------------------------------------------


class Runner:
    """One runner process (see tests/hostile/runner.py) limited to MEMORY bytes of address space."""

    def __init__(self) -> None:
        def limit() -> None:
            resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))

        env = {**os.environ, "PYTHONPATH": str(SRC), "HOSTILE_SENTINEL": SENTINEL}
        for name in list(env):
            if name.startswith("PACTCODER_MAX_") or name in ("FORCE_COLOR", "TTY_COMPATIBLE"):
                del env[name]
        env.update({"COLUMNS": "200", "NO_COLOR": "1"})
        self.process = subprocess.Popen(
            [sys.executable, str(HOSTILE / "runner.py")],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
            preexec_fn=limit,  # the test process starts no threads that could deadlock
        )

    def run(self, args: list[str], env: dict[str, str]) -> dict[str, Any]:
        assert self.process.stdin is not None and self.process.stdout is not None
        request = {"args": args, "env": env, "cpu_seconds": CPU_SECONDS, "wall_seconds": 120}
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        answer: dict[str, Any] = json.loads(self.process.stdout.readline())
        return answer

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait(timeout=30)


@pytest.fixture(scope="module")
def runner() -> Iterator[Runner]:
    started = Runner()
    yield started
    started.close()


def prepare(case: str, folder: Path) -> tuple[Path, Path, Path]:
    """The case's project, the folder outside it and a scratch folder, all under ``folder``."""
    outside, scratch = folder / "outside", folder / "scratch"
    for made in (outside / "dir", scratch):
        made.mkdir(parents=True, exist_ok=True)
    (outside / "secret.yaml").write_text(OUTSIDE_CONTRACT, encoding="utf-8")
    (outside / "dir" / "secret.yaml").write_text(OUTSIDE_CONTRACT, encoding="utf-8")
    (outside / "secret.txt").write_text(SENTINEL + "\n", encoding="utf-8")
    project = folder / "projects" / case
    source = HOSTILE / case
    shutil.copytree(source, project, ignore=shutil.ignore_patterns("expected.txt", "case.json"))
    spec = _spec(case)
    for path in project.rglob("*"):
        if path.is_file():
            raw = path.read_bytes()
            if b"{{" in raw:
                raw = raw.replace(b"{{OUTSIDE}}", str(outside).encode())
                raw = raw.replace(b"{{SCRATCH}}", str(scratch).encode())
                path.write_bytes(raw)
    if spec.get("generate"):
        GENERATORS[spec["generate"]](project)
    for name, target in spec.get("links", {}).items():
        link = project / name
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(target.replace("{{OUTSIDE}}", str(outside)))
    for name in spec.get("fifos", []):
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(project / name)
    return project, outside, scratch


def snapshot(folder: Path) -> dict[str, str]:
    """Every entry under ``folder`` and a digest of each regular file's content."""
    found: dict[str, str] = {}
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if path.is_symlink():
            found[name] = "link:" + os.readlink(path)
        elif path.is_file():
            found[name] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            found[name] = "dir" if path.is_dir() else "special"
    return found


def run_case(
    runner: Runner, case: str, folder: Path
) -> tuple[dict[str, Any], Path, dict[str, str], str]:
    """Run one case; the runner's answer, the project, its files before, and stderr as pinned."""
    project, _, _ = prepare(case, folder)
    before = snapshot(project)
    spec = _spec(case)
    out = folder / "out"
    if spec.get("command", "build") == "build":
        args = ["build", str(project), "--out", str(out)]
    else:
        args = ["check", str(project)]
    answer = runner.run(args, {k: str(v) for k, v in spec.get("env", {}).items()})
    stderr = str(answer["stderr"]).replace(str(folder), "<tmp>")
    return answer, project, before, stderr


def test_there_are_enough_cases() -> None:
    assert len(CASES) >= 60


def _params() -> list[Any]:
    params = []
    for case in CASES:
        reason = _spec(case).get("xfail")
        marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
        if _spec(case).get("e2e"):
            marks.append(pytest.mark.e2e)
        params.append(pytest.param(case, marks=marks, id=case))
    return params


@pytest.mark.parametrize("case", _params())
def test_a_hostile_contract_is_handled(case: str, runner: Runner, tmp_path: Path) -> None:
    spec = _spec(case)
    expected_exit = spec.get("exit", 2)
    answer, project, before, stderr = run_case(runner, case, tmp_path)
    out = tmp_path / "out"
    shown = str(answer["stdout"]) + str(answer["stderr"])
    assert not answer["timed_out"], f"{case} was still running after the wall-clock guard"
    assert answer["signal"] is None, f"{case} was killed by signal {answer['signal']}: {stderr}"
    assert answer["cpu_seconds"] <= CPU_SECONDS
    assert answer["max_rss_kib"] * 1024 < MEMORY
    assert SENTINEL not in shown, "a file outside the project was shown"
    assert not (tmp_path / "scratch" / "pwned").exists(), "code from the contract ran"
    assert answer["exit"] == expected_exit, stderr
    assert stderr == (HOSTILE / case / "expected.txt").read_text(encoding="utf-8")
    if spec.get("shows"):
        assert spec["shows"] in " ".join(str(answer["stdout"]).split())
    if expected_exit == 2:
        assert not out.exists(), "a refused build wrote its output folder"
        assert snapshot(project) == before, "a refused build wrote into the project"
    elif spec.get("command", "build") == "build":
        assert (out / "app" / "main.py").is_file()
        for path in out.rglob("*"):
            if path.is_file():
                assert SENTINEL.encode() not in path.read_bytes(), f"outside content in {path}"


def regenerate() -> None:
    import tempfile

    runner = Runner()
    try:
        for case in CASES:
            if _spec(case).get("xfail"):
                print(f"{case}: xfail, expected.txt kept (what it should print once fixed)")
                continue
            with tempfile.TemporaryDirectory() as scratch:
                answer, _, _, stderr = run_case(runner, case, Path(scratch))
            (HOSTILE / case / "expected.txt").write_text(stderr, encoding="utf-8")
            flag = "" if answer["exit"] == _spec(case).get("exit", 2) else "  <-- UNEXPECTED EXIT"
            print(f"{case}: exit {answer['exit']} cpu {answer['cpu_seconds']:.2f}s{flag}")
            print("  " + stderr.rstrip("\n").replace("\n", "\n  ")[:600])
    finally:
        runner.close()


if __name__ == "__main__":
    if sys.argv[1:] != ["--regenerate"]:
        sys.exit("usage: python tests/test_hostile.py --regenerate")
    regenerate()
