"""pactcoder starts without importing what a command does not run (no timing: which modules).

`pactcoder --help` must not import the compiler, its validators, Jinja or the agent's
machinery; `pactcoder check` must not import the renderer, the verifier or the
openapi-* validators on a valid contract (they are imported only to explain a broken one).
Speed itself is measured in benchmarks/startup.py, never asserted here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: Top-level packages that take tens to hundreds of milliseconds to import.
HEAVY = {
    "jinja2",
    "openapi_spec_validator",
    "openapi_schema_validator",
    "jsonschema",
    "jsonschema_path",
    "pydantic_settings",
    "inflect",
    "typeguard",
    "yaml",
    "jsonschema_rs",
    "anthropic",
    "openai",
    "httpx",
    "merge3",
}


def imported_after(code: str) -> set[str]:
    """The modules a fresh interpreter holds after running ``code``."""
    script = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run(  # this interpreter, our own code
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def heavy(modules: set[str]) -> list[str]:
    """The heavy packages (top level) among ``modules``."""
    return sorted({m.split(".")[0] for m in modules} & HEAVY)


def cli_code(*args: str) -> str:
    """Code that runs ``python -m pactcoder ARGS`` (for :func:`imported_after`)."""
    code = (
        "import sys, runpy\n"
        f"sys.argv = ['pactcoder', *{list(args)!r}]\n"
        "try:\n"
        "    runpy.run_module('pactcoder', run_name='__main__')\n"
        "except SystemExit:\n"
        "    pass\n"
    )
    return code


def test_help_imports_nothing_heavy() -> None:
    modules = imported_after(cli_code("--help"))
    assert heavy(modules) == []
    pactcoder = sorted(m for m in modules if m.startswith("pactcoder."))
    assert pactcoder == [
        "pactcoder.agent",
        "pactcoder.agent.commands",
        "pactcoder.cli",
        "pactcoder.problems",
    ]


def test_importing_the_package_imports_only_the_package() -> None:
    modules = imported_after("import pactcoder")
    assert sorted(m for m in modules if m.startswith("pactcoder")) == ["pactcoder"]
    assert heavy(modules) == []


@pytest.mark.parametrize("example", ["library", "orders"])
def test_check_of_a_valid_contract_imports_neither_renderer_nor_slow_validators(
    example: str,
) -> None:
    """check validates fully (tests/test_validate.py), with jsonschema-rs answering for a
    valid contract: jsonschema and the openapi-* libraries stay unimported."""
    modules = imported_after(cli_code("check", f"examples/{example}"))
    assert "pactcoder.oas.validate" in modules  # it did validate
    assert heavy(modules) == ["inflect", "jsonschema_rs", "yaml"]
    assert not {"pactcoder.render", "pactcoder.verify", "pactcoder.migrate"} & modules


def test_the_public_api_is_unchanged() -> None:
    """The names `import pactcoder` gives, imported on first use, are the same objects."""
    import pactcoder
    from pactcoder import problems, steps

    for name in ("build", "check", "verify", "BuildResult"):
        assert getattr(pactcoder, name) is getattr(steps, name)
    for name in ("ContractError", "OutputError", "PactcoderError", "Problem"):
        assert getattr(pactcoder, name) is getattr(problems, name)
    assert callable(pactcoder.verify)  # the function, not the subpackage pactcoder.verify
    assert steps.DEFAULT_OUTPUT == pactcoder.DEFAULT_OUTPUT == "backend"
    with pytest.raises(AttributeError):
        _ = pactcoder.no_such_name
