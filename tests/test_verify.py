"""`pactcoder verify` fails on a service that was broken, in the step that should notice.

verify runs the service's tests, compares the contract it serves with the one
in docs/ and its routes with the contract, fuzzes it with schemathesis (every
check, stateful included, signed in), and runs ruff, mypy and bandit. That it
is clean on every bundled example is test_e2e.py. Breaking a built service by
hand (a route removed, a status changed, an authentication requirement
dropped) must make it fail, in the step that should notice. Each test breaks a
copy of the session's build of the example (``built_copy`` in conftest).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from pactcoder.steps import verify

Copy = Callable[[str], Path]


@pytest.mark.e2e
@pytest.mark.xdist_group("library")
def test_a_removed_route_fails_the_contract_step(built_copy: Copy) -> None:
    project = built_copy("library")
    routes = project / "backend" / "app" / "api" / "routes" / "authors.py"
    text = routes.read_text()
    start = text.index('@router.delete("/{authorId}"')
    routes.write_text(text[:start])
    report = verify(project, steps=["contract"])
    assert not report.ok
    assert "no route for DELETE /authors/{authorId}" in report.steps[0].output


@pytest.mark.e2e
@pytest.mark.xdist_group("library")
def test_a_changed_status_fails_the_contract_step(built_copy: Copy) -> None:
    project = built_copy("library")
    routes = project / "backend" / "app" / "api" / "routes" / "books.py"
    text = routes.read_text()
    routes.write_text(text.replace("status_code=201,", "status_code=200,", 1))
    report = verify(project, steps=["contract"])
    assert not report.ok
    assert "POST /books answers" in report.steps[0].output


@pytest.mark.e2e
@pytest.mark.xdist_group("library")
def test_a_contract_changed_after_the_build_fails_the_contract_step(built_copy: Copy) -> None:
    project = built_copy("library")
    contract = project / "docs" / "api" / "openapi.yaml"
    contract.write_text(contract.read_text().replace("summary: List authors", "summary: Authors"))
    report = verify(project, steps=["contract"])
    assert not report.ok
    assert "build it again" in report.steps[0].summary


@pytest.mark.e2e
@pytest.mark.xdist_group("auth")
def test_a_dropped_authentication_requirement_is_caught(built_copy: Copy) -> None:
    project = built_copy("auth")
    routes = project / "backend" / "app" / "api" / "routes" / "devices.py"
    text = routes.read_text()
    # The list route no longer asks who calls: anyone may list (its owner filter gets None).
    text, count = re.subn(
        r"(async def list_devices\(\n    \*,\n    request: Request,\n)    principal: .*\n",
        r"\1    principal: Any = None,\n",
        text,
    )
    assert count == 1
    routes.write_text(text)
    report = verify(project, steps=["tests", "fuzz"], fuzz_examples=5)
    steps = {s.name: s for s in report.steps}
    assert not steps["tests"].ok  # the generated 401 tests notice
    assert "test_no_credentials_is_401" in steps["tests"].output
    assert not steps["fuzz"].ok  # and so does schemathesis
    assert (
        "ignored" in steps["fuzz"].output.lower()
        or "5xx" in steps["fuzz"].output.lower()
        or ("Server error" in steps["fuzz"].output)
    )


def test_the_fuzzing_account_is_read_from_wrapped_responses_and_tokens() -> None:
    import jwt

    from pactcoder.verify import _subject

    assert _subject({"id": 7, "email": "a@b.c"}, "id") == "7"
    token = jwt.encode({"sub": "42"}, "k" * 32, algorithm="HS256")
    assert _subject({"user": {"email": "a@b.c", "token": token}}, "id") == "42"
    assert _subject({"user": {"email": "a@b.c"}}, "id") is None
    assert _subject(["not", "an", "object"], "id") is None
