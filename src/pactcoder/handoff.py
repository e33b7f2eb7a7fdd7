"""The hand-off document: what was built, for the PACT Test phase.

Every build writes ``docs/backend-handoff.md`` from its own data (the IR and
what the build did): the operations with their behaviour, access and
statuses; the decisions pactcoder took and the assumptions behind them; the
areas of uncertainty rated high, medium and low; what the contract could not
express and how it was handled; configuration and integration points; how to
run the service; the tests in place and the tests the test engineer should
write next, the uncertain areas first. ``pactcoder verify`` replaces its
"Verification" section with its latest results. The first line marks the file
as pactcoder's, so that reading ``docs/`` never takes it for contract input.

Example::

    write_handoff(Path("examples/library"), build_result)
    append_verification(Path("examples/library"), report)
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from pactcoder.fsio import write_atomically
from pactcoder.ir.model import Endpoint, Kind, Service, Source
from pactcoder.load.markdown import GENERATED_MARKER
from pactcoder.seam import Stub, stubs

if TYPE_CHECKING:
    from pactcoder.results import BuildResult
    from pactcoder.verify import VerifyReport

HANDOFF_FILE = "docs/backend-handoff.md"
MARKER = GENERATED_MARKER
_VERIFY_START = "<!-- pactcoder:verification -->"
_VERIFY_END = "<!-- /pactcoder:verification -->"
# Words that, in an operation's description, announce a rule the contract states in prose.
_RULE = re.compile(
    r"\b(must|must not|cannot|can ?not|only|unless|otherwise|at most|at least|never|"
    r"(returns?|answers?|is|are) (4\d\d|409|422|400|403)|4\d\d\b)",
    re.IGNORECASE,
)


def is_handoff(text: str) -> bool:
    """Whether a Markdown text is a hand-off document pactcoder wrote."""
    return text.lstrip().startswith(MARKER)


def _access(endpoint: Endpoint, owned: bool) -> str:
    access = endpoint.access
    if access.public and not access.optional:
        text = "public"
    elif access.optional:
        text = "public; uses the caller when signed in"
    else:
        text = "signed in (" + ", ".join(access.schemes) + ")"
    if access.roles:
        text += f"; roles: {', '.join(access.roles)}"
    if owned and not access.public:
        text += "; own records only"
    return text


def _statuses(endpoint: Endpoint, service: Service, stub: Stub | None) -> str:
    documented = sorted(endpoint.responses)
    statuses = [str(endpoint.status_code)] + [str(s) for s in documented]
    if not endpoint.access.public:
        statuses += [s for s in ("401",) if s not in statuses]
    if endpoint.access.roles:
        statuses += [s for s in ("403",) if s not in statuses]
    statuses += [s for s in ("429",) if s not in statuses]
    if not endpoint.implemented and not (stub is not None and stub.written):
        statuses = ["501", *statuses[1:]]
    return ", ".join(dict.fromkeys(statuses))


def _behaviour(endpoint: Endpoint, stub: Stub | None) -> str:
    if stub is not None and stub.written:
        return f"written by hand: `{stub.function}()` in `{stub.path}`"
    if not endpoint.implemented:
        text = "**not implemented** (501): " + "; ".join(endpoint.reasons)
        return text + (f"; until `{stub.function}()` in `{stub.path}` is written" if stub else "")
    what = {
        Kind.LIST: "lists",
        Kind.CREATE: "creates",
        Kind.READ: "reads",
        Kind.REPLACE: "replaces",
        Kind.UPDATE: "partially updates",
        Kind.DELETE: "deletes",
        Kind.REGISTER: "registers an account of",
        Kind.LOGIN: "signs in (tokens) as one of",
        Kind.TOKEN: "issues OAuth2 tokens for",
        Kind.REFRESH: "refreshes the tokens of",
        Kind.ME: "reads the caller's",
        Kind.UPDATE_ME: "updates the caller's",
        Kind.CHANGE_PASSWORD: "changes the password of the caller's",
        Kind.UPSERT: "makes or writes again",
        Kind.AGGREGATE: "counts and measures the records of",
    }.get(endpoint.kind, endpoint.kind.value)
    notes = [n for n in endpoint.notes if not n.startswith(("only for roles", "account operation"))]
    text = f"{what} {endpoint.resource or ''}".strip()
    return text + (f" ({'; '.join(notes)})" if notes else "")


def _prose_rules(service: Service) -> list[tuple[Endpoint, str]]:
    found = []
    for endpoint in service.endpoints:
        description = " ".join((endpoint.description or "").split())
        sentences = re.split(r"(?<=[.!?])\s+", description)
        rules = [s for s in sentences if _RULE.search(s)]
        if rules:
            found.append((endpoint, " ".join(rules)))
    return found


def _declared_rules(service: Service, endpoint: Endpoint) -> str:
    """The x-pact rules a create operation enforces, in words ("" when it has none)."""
    if endpoint.kind is not Kind.CREATE or endpoint.resource is None:
        return ""
    rules = service.resource(endpoint.resource).rules
    if rules is None:
        return ""
    parts = [
        f"{c.api_name} copied from the {c.ref.target}'s {c.source}"
        + (" when absent" if c.when_absent else "")
        for c in rules.copies
    ]
    parts += [f"{r.api_name} = sum of {' * '.join(r.factors)} over {r.over}" for r in rules.sums]
    for ref in rules.refs:
        if ref.where:
            guards = ", ".join(f"{k}={v!r}" for k, v in ref.where.items())
            parts.append(f"{ref.api_name} only when the {ref.target} has {guards}")
    parts += [f"no two {u.child_api} share {u.api_name}" for u in rules.uniques]
    parts += [
        f"{r.api_name} reserved from the {r.ref.target}'s {r.source} (409 when short)"
        for r in rules.reserves
    ]
    return "; ".join(parts)


def _decisions(service: Service) -> tuple[list[str], list[str]]:
    """(medium-uncertainty decisions, low-uncertainty decisions), from the IR's notes."""
    medium: list[str] = []
    low: list[str] = []
    for resource in service.resources:
        tables = [(None, resource.table), *((c.api_name, c.table) for c in resource.table.children)]
        for prefix, table in tables:
            for column in table.columns:
                name = f"{resource.schema_name}.{prefix + '[].' if prefix else ''}{column.api_name}"
                for note in column.notes:
                    target = (
                        medium
                        if any(
                            w in note
                            for w in ("from its name", "description", "stays null", "decimal")
                        )
                        else low
                    )
                    target.append(f"`{name}`: {note}")
    for endpoint in service.endpoints:
        for note in endpoint.notes:
            if "filters on" in note or "sorts by" in note or "ignored" in note:
                medium.append(f"`{endpoint.operation_id}`: {note}")
            elif "defaults to" in note or "served as" in note or "does not document" in note:
                low.append(f"`{endpoint.operation_id}`: {note}")
    return medium, low


def _test_counts(files: dict[str, str]) -> list[tuple[str, int]]:
    counts = []
    for path, text in sorted(files.items()):
        if path.startswith("tests/test_") and path.endswith(".py"):
            counts.append((path, len(re.findall(r"^def test_", text, re.MULTILINE))))
    return counts


def _written_by_hand(by_hand: list[Stub], where: str) -> list[str]:
    """The section on the operations pactcoder could not implement: each one's stub."""
    lines = [
        "",
        "## Operations written by hand",
        "",
        "pactcoder cannot implement these from the contract. Each is a typed stub in the"
        f" service (`{where}/app/operations/`), the user's file: no build overwrites it. Until"
        " it is written it answers 501 and its test in `tests/test_stubs.py` fails;"
        " `pactcoder verify` reports the service as not clean until every one is written."
        " Whoever writes one (a person or `pactcoder agent`) records what and why in its"
        " docstring and in `docs/backend-agent-handoff.md`.",
        "",
        "| operation | stub | state | test |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| `{s.endpoint.operation_id}` | `{s.path}`, `{s.function}()` | {s.state.value} |"
        f" `{s.test}` |"
        for s in by_hand
    ]
    return lines


def render_handoff(result: BuildResult) -> str:
    """The hand-off document for a build, as Markdown."""
    service = result.understanding.service
    project = result.understanding.contract.project
    try:
        where = result.destination.relative_to(project).as_posix()
    except ValueError:
        where = str(result.destination)
    implemented = [e for e in service.endpoints if e.implemented]
    by_hand = stubs(service, result.destination)
    stub_of = {id(s.endpoint): s for s in by_hand}
    missing = [s.endpoint for s in by_hand if not s.written]
    written = [s for s in by_hand if s.written]
    owned = {r.noun.singular for r in service.resources if r.owned}
    medium, low = _decisions(service)
    rules = _prose_rules(service)
    lines: list[str] = [
        f"{MARKER}: written by pactcoder on every build; edits here are replaced. -->",
        f"# Backend hand-off: {service.title} {service.version}",
        "",
        "> **For the orchestrator:** the Code phase of the backend is done. Have the test",
        "> engineer (PACT Test phase) read this file before writing any test; the",
        "> *Tests to write next* section lists, most uncertain first, what to test beyond",
        "> the suite already in place.",
        "",
        "## What was built",
        "",
        f"A FastAPI + SQLAlchemy 2 (async) + Alembic service in `{where}/`, generated by"
        f" pactcoder from {', '.join(f'`{i}`' for i in service.inputs)}. It serves"
        f" {len(service.endpoints)} operations under `{service.api_prefix or '/'}`"
        f" ({len(implemented)} implemented, {len(written)} written by hand,"
        f" {len(missing)} answering 501) over"
        f" {len(service.resources)} stored resources:"
        f" {', '.join(r.noun.plural_title for r in service.resources)}."
        f" Errors are {service.default_error.media_type}"
        f"{' (' + service.default_error.model + ')' if service.default_error.model else ''};"
        f" invalid input is {service.validation_status}.",
        "",
        "## Operations",
        "",
        "| operation | method and path | behaviour | access | statuses |",
        "|---|---|---|---|---|",
    ]
    for endpoint in service.endpoints:
        stub = stub_of.get(id(endpoint))
        lines.append(
            f"| `{endpoint.operation_id}` | `{endpoint.method.upper()} {endpoint.path}` |"
            f" {_behaviour(endpoint, stub)} | {_access(endpoint, endpoint.resource in owned)} |"
            f" {_statuses(endpoint, service, stub)} |"
        )
    if by_hand:
        lines += _written_by_hand(by_hand, where)
    lines += ["", "## Areas of uncertainty", "", "### High", ""]
    high = [
        f"`{s.endpoint.operation_id}` is not implemented: {'; '.join(s.endpoint.reasons)};"
        f" it answers 501 until `{s.function}()` in `{where}/{s.path}` is written."
        for s in by_hand
        if not s.written
    ]
    medium += [
        f"`{s.endpoint.operation_id}`: written by hand in `{where}/{s.path}`, not generated;"
        " its generated test only checks that it answers without a server error."
        for s in written
    ]
    for e, text in rules:
        declared = _declared_rules(service, e)
        if declared:
            medium.append(
                f"`{e.operation_id}` states rules in prose; the x-pact rules enforce"
                f' {declared}. Test that the two agree: "{text}"'
            )
        else:
            high.append(
                f"`{e.operation_id}` states rules in prose, which pactcoder cannot read; the"
                f" code enforces only what the contract's structure implies, so test them:"
                f' "{text}"'
            )
    for resource in service.resources:
        tables = [
            ("", resource.table),
            *((f"{c.api_name}[].", c.table) for c in resource.table.children),
        ]
        for prefix, table in tables:
            for column in table.columns:
                if column.source is Source.UNKNOWN:
                    high.append(
                        f"`{resource.schema_name}.{prefix}{column.api_name}` is made by the"
                        " server but the contract does not say how: the operations that"
                        " create it answer 501."
                    )
                elif any(i.what.startswith("starts as") for i in column.inferences):
                    medium.append(
                        f"`{resource.schema_name}.{prefix}{column.api_name}` is made by the"
                        f" server but the contract does not say how: it starts as"
                        f" {column.default.value if column.default else None!r}, the empty value"
                        " of its type. Check that clients"
                        " can live with it, or give it a default in the contract."
                    )
    lines += [f"- {item}" for item in high] or ["- None found."]
    lines += ["", "### Medium", ""]
    lines += [f"- {item}" for item in medium] or ["- None found."]
    lines += ["", "### Low", ""]
    lines += [
        "- Plain create, read, list, update and delete behaviour, checked by the generated"
        " suite against the contract's schemas and statuses.",
        *[f"- {item}" for item in low],
    ]
    lines += [
        "",
        "## What the contract could not express, and how it was handled",
        "",
    ]
    handled = [
        f"- `{s.endpoint.operation_id}`: "
        + (
            f"written by hand in `{s.path}`."
            if s.written
            else f"answers 501 with a problem body until `{s.function}()` in `{s.path}` is"
            " written (or its behaviour is described with x-pact)."
        )
        for s in by_hand
    ]
    if owned:
        names = ", ".join(sorted(owned))
        handled.append(f"- Ownership of {names}: declared with `x-pact: {{owner: creator}}`.")
    roles = sorted({r for e in service.endpoints for r in e.access.roles})
    if roles:
        handled.append(f"- Roles ({', '.join(roles)}): from `x-pact roles` or OAuth2 scopes.")
    handled.append(
        f"- Rate limits: {service.rate_default} per client by default, {service.rate_auth} on"
        " sign-in and registration (x-pact rate-limit, or RATE_LIMIT_* settings)."
    )
    lines += handled
    lines += [
        "",
        "## Integration points and configuration",
        "",
        f"- The served contract: `{service.api_prefix}/openapi.json`; interactive docs at"
        f" `{service.api_prefix}/docs`; health at `/health/live` and `/health/ready`.",
        "- `DATABASE_URL`: SQLite by default, PostgreSQL in production (pooled, statement"
        " timeout). `REDIS_URL`: shared rate limits and list cache across processes.",
    ]
    if service.auth.schemes:
        lines.append(
            "- `JWT_SECRET_KEYS` (required outside development); tokens expire after"
            f" {service.auth.access_token_ttl} s (access) and {service.auth.refresh_token_ttl} s"
            " (refresh)."
        )
    lines += [
        "- Every request's `X-Request-ID` (or a new one) is echoed and written in the JSON logs.",
        "",
        "## How to run it",
        "",
        "```bash",
        f"cd {where} && pip install -e '.[test]' && alembic upgrade head",
        "uvicorn app.main:app --reload",
        "pytest                                  # the generated suite",
        "```",
        "",
        "## Tests in place",
        "",
        "| module | tests |",
        "|---|---|",
    ]
    lines += [f"| `{where}/{path}` | {count} |" for path, count in _test_counts(result.files)]
    lines += [
        "",
        "They drive every operation over HTTP against a real database (SQLite, or PostgreSQL"
        " with `TEST_DATABASE_URL`) and check each response against the contract: success"
        " cases, documented errors, validation, paging, filtering, sorting"
        + (", authentication, roles, ownership" if service.secured else "")
        + ", rate limits, body limits, headers and logs.",
        "",
        "## Tests to write next",
        "",
    ]
    next_tests = [
        f"1. (high) `{e.operation_id}`: the rules its description states — {text}"
        for e, text in rules
    ]
    next_tests += [
        f"1. (high) `{s.endpoint.operation_id}`: "
        + ("its hand-written behaviour" if s.written else "once implemented, its behaviour")
        + " end to end."
        for s in by_hand
    ]
    next_tests += [
        f"1. (medium) {item.split(':')[0]}: that the inferred behaviour is the intended one"
        f" ({item.split(':', 1)[1].strip()})."
        for item in medium[:12]
    ]
    next_tests += [
        "1. (medium) Concurrency: two clients changing the same record; duplicates created at"
        " the same time.",
        "1. (low) Load: the response times the architecture asks for, with several workers on"
        " PostgreSQL.",
    ]
    lines += next_tests
    lines += [
        "",
        _VERIFY_START,
        "## Verification",
        "",
        "Not run yet: `pactcoder verify` writes its results here.",
        _VERIFY_END,
        "",
        "> **For the orchestrator:** hand this file to the test engineer now.",
        "",
    ]
    return "\n".join(lines)


def write_handoff(project: Path, result: BuildResult) -> Path:
    """Write the hand-off document of ``result`` into ``project``'s docs/."""
    path = project / HANDOFF_FILE
    write_atomically(path, render_handoff(result))
    return path


def append_verification(project: Path, report: VerifyReport) -> Path | None:
    """Put ``report``'s results in the hand-off document (replacing earlier ones)."""
    path = project / HANDOFF_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return None
    rows = ["| step | result | summary |", "|---|---|---|"]
    for step in report.steps:
        rows.append(f"| {step.name} | {'passed' if step.ok else 'FAILED'} | {step.summary} |")
    verdict = "clean" if report.ok else "**not clean**"
    section = "\n".join(
        [
            _VERIFY_START,
            "## Verification",
            "",
            f"`pactcoder verify` on {report.service}: {verdict}.",
            "",
            *rows,
            _VERIFY_END,
        ]
    )
    start, end = text.find(_VERIFY_START), text.find(_VERIFY_END)
    if start == -1 or end == -1:
        text = text.rstrip() + "\n\n" + section + "\n"
    else:
        text = text[:start] + section + text[end + len(_VERIFY_END) :]
    write_atomically(path, text)
    return path
