"""The hand-off document: written from each build's own data, never read back as contract."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from pactcoder.handoff import (
    HANDOFF_FILE,
    MARKER,
    append_verification,
    is_handoff,
    render_handoff,
    write_handoff,
)
from pactcoder.load import load_contract
from pactcoder.load.markdown import GENERATED_MARKER
from pactcoder.steps import BuildResult, build
from pactcoder.verify import StepResult, VerifyReport

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

SNEAKY = """
Notes on an endpoint that does not exist:

```yaml
paths:
  /sneaky:
    get:
      operationId: sneakyOperation
      responses:
        '200':
          description: OK
```
"""


@pytest.fixture(scope="module")
def library_build(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return build(EXAMPLES / "library", tmp_path_factory.mktemp("library") / "out", dry_run=True)


@pytest.fixture(scope="module")
def orders_build(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return build(EXAMPLES / "orders", tmp_path_factory.mktemp("orders") / "out", dry_run=True)


def _section(text: str, heading: str) -> str:
    """The body of a Markdown section, up to the next heading of the same or a higher level."""
    level = heading.split(" ")[0]
    start = text.index(heading + "\n") + len(heading) + 1
    following = re.compile(rf"^#{{1,{len(level)}}} ", re.MULTILINE)
    found = following.search(text, start)
    return text[start : found.start() if found else len(text)]


def _operations(text: str) -> set[str]:
    table = _section(text, "## Operations")
    return set(re.findall(r"^\| `([A-Za-z0-9_]+)` \|", table, re.MULTILINE))


def test_a_dry_run_build_writes_nothing(library_build: BuildResult) -> None:
    assert library_build.dry_run
    assert library_build.handoff is None
    assert not library_build.destination.exists()


def test_the_document_starts_with_the_marker(library_build: BuildResult) -> None:
    text = render_handoff(library_build)
    assert MARKER == GENERATED_MARKER
    assert text.startswith(MARKER)
    assert is_handoff(text)
    assert is_handoff("\n\n  " + text)
    assert not is_handoff("# Notes\n\n" + text)


def test_the_document_has_every_section(library_build: BuildResult) -> None:
    text = render_handoff(library_build)
    assert "> **For the orchestrator:** the Code phase of the backend is done." in text
    assert "> **For the orchestrator:** hand this file to the test engineer now." in text
    assert "# Backend hand-off: Lending Library API" in text
    assert "| operation | method and path | behaviour | access | statuses |" in text
    for heading in (
        "## What was built",
        "## Operations",
        "## Areas of uncertainty",
        "### High",
        "### Medium",
        "### Low",
        "## What the contract could not express, and how it was handled",
        "## Integration points and configuration",
        "## How to run it",
        "## Tests in place",
        "## Tests to write next",
        "## Verification",
    ):
        assert re.search(rf"^{re.escape(heading)}$", text, re.MULTILINE), heading
    order = [text.index(h + "\n") for h in ("### High", "### Medium", "### Low")]
    assert order == sorted(order)
    assert "Not run yet: `pactcoder verify` writes its results here." in text


def test_each_document_lists_its_own_operations(
    library_build: BuildResult, orders_build: BuildResult
) -> None:
    library, orders = render_handoff(library_build), render_handoff(orders_build)
    library_ops = {e.operation_id for e in library_build.understanding.service.endpoints}
    orders_ops = {e.operation_id for e in orders_build.understanding.service.endpoints}
    assert _operations(library) == library_ops
    assert _operations(orders) == orders_ops
    assert {"listBooks", "createAuthor"} <= library_ops
    assert {"createOrder", "listProducts"} <= orders_ops
    assert library_ops.isdisjoint(orders_ops)
    assert "createOrder" not in library
    assert "Order Service API" in orders
    assert "Order Service API" not in library
    assert "Lending Library API" not in orders


@pytest.fixture(scope="module")
def orders_without_rules_build(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The orders example without the overlay declaring createOrder's rules (501)."""
    project = tmp_path_factory.mktemp("orders-without-rules") / "orders"
    shutil.copytree(EXAMPLES / "orders" / "docs", project / "docs")
    (project / "docs/api/overlays/rules.overlay.yaml").unlink()
    return build(project, project / "out", dry_run=True)


def test_orders_with_their_rules_implement_create_order(orders_build: BuildResult) -> None:
    text = render_handoff(orders_build)
    high = _section(text, "### High")
    assert "is not implemented" not in high
    assert "**not implemented**" not in text
    # The prose is still quoted for review, beside what the x-pact rules enforce.
    medium = _section(text, "### Medium")
    assert "`createOrder` states rules in prose" not in high
    assert "`createOrder` states rules in prose; the x-pact rules enforce" in medium
    assert "quantity reserved from the product's stock (409 when short)" in medium
    row = next(line for line in text.splitlines() if line.startswith("| `createOrder` |"))
    assert "creates order" in row


def test_orders_rates_create_order_high_and_lists_prose_rules(
    orders_without_rules_build: BuildResult,
) -> None:
    text = render_handoff(orders_without_rules_build)
    high = _section(text, "### High")
    medium = _section(text, "### Medium")
    assert "- `createOrder` is not implemented:" in high
    assert "`createOrder` states rules in prose" in high
    assert "reserves stock" in high  # the rule itself is quoted
    assert "`deleteOrder` states rules in prose" in high
    assert "createOrder" not in medium
    row = next(line for line in text.splitlines() if line.startswith("| `createOrder` |"))
    assert "**not implemented** (501)" in row
    assert row.rstrip(" |").split("| ")[-1].startswith("501")
    next_tests = _section(text, "## Tests to write next")
    assert "1. (high) `createOrder`: once implemented, its behaviour end to end." in next_tests
    assert "1. (high) `createOrder`: the rules its description states" in next_tests
    handled = _section(text, "## What the contract could not express, and how it was handled")
    assert "- `createOrder`: answers 501" in handled


def test_library_has_no_unimplemented_operation(library_build: BuildResult) -> None:
    text = render_handoff(library_build)
    high = _section(text, "### High")
    assert "is not implemented" not in high
    assert "**not implemented**" not in text
    assert "`deleteAuthor` states rules in prose" in high  # its own rules, not orders'


def test_tests_in_place_are_counted(library_build: BuildResult) -> None:
    text = render_handoff(library_build)
    table = _section(text, "## Tests in place")
    rows = dict(re.findall(r"^\| `[^`]*/(tests/test_\w+\.py)` \| (\d+) \|$", table, re.MULTILINE))
    expected = {
        path: len(re.findall(r"^def test_", source, re.MULTILINE))
        for path, source in library_build.files.items()
        if path.startswith("tests/test_") and path.endswith(".py")
    }
    assert rows == {path: str(count) for path, count in expected.items()}
    assert len(rows) >= 2
    assert all(int(count) > 0 for count in rows.values())


def test_a_build_writes_the_handoff_and_the_contract_does_not_read_it(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(EXAMPLES / "library" / "docs", project / "docs")
    (project / HANDOFF_FILE).unlink(missing_ok=True)
    before = load_contract(project)

    result = build(project, tmp_path / "service")
    handoff = project / HANDOFF_FILE
    assert result.handoff == handoff
    text = handoff.read_text(encoding="utf-8")
    assert text == render_handoff(result)
    assert is_handoff(text)
    assert f"`{(tmp_path / 'service').resolve()}/`" in text  # built outside the project

    # A fenced contract fragment inside the hand-off document is not contract input ...
    handoff.write_text(text + SNEAKY, encoding="utf-8")
    after = load_contract(project)
    assert "/sneaky" not in after.document["paths"]
    assert HANDOFF_FILE not in after.inputs
    assert after.inputs == before.inputs
    assert after.document == before.document

    # ... while the same block in the architect's own notes is.
    (project / "docs" / "notes.md").write_text(SNEAKY, encoding="utf-8")
    read = load_contract(project)
    assert "/sneaky" in read.document["paths"]
    assert "docs/notes.md" in read.inputs


def test_a_rebuild_rewrites_the_handoff(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(EXAMPLES / "library" / "docs", project / "docs")
    build(project, tmp_path / "service")
    handoff = project / HANDOFF_FILE
    handoff.write_text(handoff.read_text(encoding="utf-8") + "\nmy note\n", encoding="utf-8")
    build(project, tmp_path / "service")
    assert "my note" not in handoff.read_text(encoding="utf-8")


def _report(service: str, *steps: tuple[str, bool, str]) -> VerifyReport:
    return VerifyReport(service, [StepResult(name, ok, summary) for name, ok, summary in steps])


def test_append_verification_replaces_only_its_section(
    tmp_path: Path, library_build: BuildResult
) -> None:
    path = write_handoff(tmp_path, library_build)
    assert path == tmp_path / HANDOFF_FILE
    original = path.read_text(encoding="utf-8")
    head, _, rest = original.partition("<!-- pactcoder:verification -->")
    _, _, tail = rest.partition("<!-- /pactcoder:verification -->")

    first = _report(
        "service-one",
        ("tests", True, "55 passed"),
        ("schemathesis", False, "3 failures on createBook"),
    )
    assert append_verification(tmp_path, first) == path
    text = path.read_text(encoding="utf-8")
    assert "`pactcoder verify` on service-one: **not clean**." in text
    assert "| tests | passed | 55 passed |" in text
    assert "| schemathesis | FAILED | 3 failures on createBook |" in text
    assert "Not run yet" not in text

    second = _report("service-two", ("ruff", True, "no findings"), ("mypy", True, "clean"))
    append_verification(tmp_path, second)
    text = path.read_text(encoding="utf-8")
    assert "`pactcoder verify` on service-two: clean." in text
    assert "| ruff | passed | no findings |" in text
    assert "| mypy | passed | clean |" in text
    assert "service-one" not in text
    assert "55 passed" not in text
    assert "schemathesis" not in text
    assert text.count("## Verification") == 1
    assert text.count("<!-- pactcoder:verification -->") == 1
    assert text.startswith(head)
    assert text.endswith(tail)
    assert text.index("## Tests to write next") < text.index("## Verification")


def test_append_verification_without_a_handoff_does_nothing(tmp_path: Path) -> None:
    assert append_verification(tmp_path, _report("s", ("tests", True, "ok"))) is None
    assert not (tmp_path / HANDOFF_FILE).exists()


def test_append_verification_adds_a_section_when_the_markers_are_gone(tmp_path: Path) -> None:
    path = tmp_path / HANDOFF_FILE
    path.parent.mkdir(parents=True)
    path.write_text(f"{MARKER} -->\n# Backend hand-off\n\nBody.\n", encoding="utf-8")
    append_verification(tmp_path, _report("s", ("tests", True, "12 passed")))
    text = path.read_text(encoding="utf-8")
    assert text.startswith(f"{MARKER} -->\n# Backend hand-off\n\nBody.\n\n")
    assert text.rstrip().endswith("<!-- /pactcoder:verification -->")
    assert "| tests | passed | 12 passed |" in text
