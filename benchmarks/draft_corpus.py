"""How much of what an architect wrote does ``pactcoder draft`` keep?

``tests/drafts/`` holds architecture documents written for this purpose, each in
its own style and domain (prose, endpoint tables, field tables, SQL DDL, JSON
examples, an ADR, sequence descriptions), beside ``expected.yaml``: what a
careful engineer would put in the contract after reading it. This script drafts
each one and scores the draft against its expectations, per kind of thing:

* endpoints -- method and path (path parameter names aside);
* fields -- each expected property of each resource, with the right type;
* constraints -- enum, minimum, maximum, minLength, maxLength, pattern,
  default, readOnly, nullable on those properties;
* parameters -- query parameters of an operation, and sort options;
* statuses -- documented success and error statuses, response properties of
  non-resource answers (statistics) and media types;
* actions -- the state each action (``POST .../cancel``) leads to and the states
  it may start from (``x-pact: states``), and who may call: the security scheme the
  Markdown describes, and which operations are public.

It also runs ``pactcoder check`` on each draft: a draft that fails ``check`` is
worse than none. Run it from the repository root::

    python benchmarks/draft_corpus.py            # a table and the totals
    python benchmarks/draft_corpus.py --misses   # and every expectation missed

``score(folder)`` is what tests/test_draft_corpus.py calls.
"""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "drafts"
KINDS = ("endpoints", "fields", "constraints", "parameters", "statuses", "actions")
_CONSTRAINTS = ("enum", "minimum", "maximum", "minLength", "maxLength", "pattern", "default")
_METHODS = ("get", "post", "put", "patch", "delete")


@dataclass
class Score:
    """Matched and expected counts per kind, the misses, and whether ``check`` took the draft."""

    name: str
    matched: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    expected: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    misses: list[str] = field(default_factory=list)
    check: str = "ok"

    def count(self, kind: str, ok: bool, what: str) -> None:
        self.expected[kind] += 1
        if ok:
            self.matched[kind] += 1
        else:
            self.misses.append(f"{kind}: {what}")

    @property
    def overall(self) -> float:
        total = sum(self.expected.values())
        return sum(self.matched.values()) / total if total else 0.0


def _key(path: str) -> str:
    return re.sub(r"\{[^}]*\}", "{}", path)


def _segment_key(segment: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", segment.lower()).strip("_")


class _Document:
    """A drafted OpenAPI document, with ``$ref`` and ``allOf`` resolved on demand."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.operations: dict[str, dict[str, Any]] = {}
        for path, item in (document.get("paths") or {}).items():
            shared = item.get("parameters", [])
            for method in _METHODS:
                if method in item:
                    operation = dict(item[method])
                    operation["parameters"] = [*shared, *operation.get("parameters", [])]
                    self.operations[f"{method.upper()} {_key(path)}"] = operation

    def resolve(self, node: Any) -> Any:
        seen = 0
        while isinstance(node, dict) and "$ref" in node and seen < 20:
            target: Any = self.document
            for part in node["$ref"].lstrip("#/").split("/"):
                target = target.get(part, {}) if isinstance(target, dict) else {}
            node, seen = target, seen + 1
        return node

    def properties(self, schema: Any) -> dict[str, Any]:
        schema = self.resolve(schema)
        if not isinstance(schema, dict):
            return {}
        found: dict[str, Any] = {}
        for part in schema.get("allOf", []):
            found.update(self.properties(part))
        found.update(schema.get("properties", {}))
        return found

    def response_schema(self, operation: dict[str, Any], statuses: tuple[str, ...]) -> Any:
        for status in statuses:
            response = self.resolve((operation.get("responses") or {}).get(status))
            if not isinstance(response, dict):
                continue
            for media in (response.get("content") or {}).values():
                return self.resolve(media.get("schema"))
        return None

    def items(self, schema: Any) -> Any:
        """The record schema inside a list answer: an array's items, or an envelope's array."""
        schema = self.resolve(schema)
        if isinstance(schema, dict) and schema.get("type") == "array":
            return self.resolve(schema.get("items"))
        for value in self.properties(schema).values():
            value = self.resolve(value)
            if isinstance(value, dict) and value.get("type") == "array":
                return self.resolve(value.get("items"))
        return None

    def record(self, resource: str) -> dict[str, Any]:
        """The properties of ``resource`` (a collection key like ``ticket_types``)."""
        candidates: list[Any] = []
        for name, operation in self.operations.items():
            method, path = name.split(" ", 1)
            statics = [s for s in path.split("/") if s and s != "{}"]
            if not statics or _segment_key(statics[-1]) != resource:
                continue
            if method == "GET" and path.endswith("/{}"):
                candidates.insert(0, self.response_schema(operation, ("200",)))
            elif method == "POST" and not path.endswith("/{}"):
                candidates.append(self.response_schema(operation, ("201", "200")))
            elif method == "GET":
                candidates.append(self.items(self.response_schema(operation, ("200",))))
        for candidate in candidates:
            found = self.properties(candidate)
            if found:
                return found
        return {}


def _types(schema: dict[str, Any]) -> tuple[set[str], bool]:
    """The kinds a property schema admits, and whether it admits null."""
    kinds: set[str] = set()
    nullable = bool(schema.get("nullable"))
    for option in [schema, *schema.get("anyOf", []), *schema.get("oneOf", [])]:
        declared = option.get("type")
        names = declared if isinstance(declared, list) else [declared] if declared else []
        if "null" in names:
            nullable = True
        for name in names:
            if name == "null":
                continue
            fmt = option.get("format")
            if name == "string" and fmt in {"uuid", "date-time", "date", "time", "email", "uri"}:
                kinds.add(fmt)
            elif name == "string" and (fmt == "decimal" or _decimal(option.get("pattern"))):
                kinds.add("decimal")
            else:
                kinds.add(name)
        if "enum" in option and not names:
            kinds.add("string")
    return kinds, nullable


def _decimal(pattern: Any) -> bool:
    return isinstance(pattern, str) and ("\\d" in pattern or "[0-9]" in pattern) and "." in pattern


def _type_ok(expected: str, kinds: set[str]) -> bool:
    if expected == "decimal":
        return bool(kinds & {"decimal", "number"})
    return expected in kinds


def _enum(schema: dict[str, Any], document: _Document) -> list[Any] | None:
    for option in [schema, *schema.get("allOf", []), *schema.get("anyOf", [])]:
        option = document.resolve(option)
        if isinstance(option, dict) and "enum" in option:
            return [v for v in option["enum"] if v is not None]
    return None


def _constraint(name: str, schema: dict[str, Any], document: _Document) -> Any:
    if name == "enum":
        return _enum(schema, document)
    for option in [schema, *schema.get("allOf", []), *schema.get("anyOf", [])]:
        option = document.resolve(option)
        if isinstance(option, dict) and name in option:
            return option[name]
    return None


def _score_fields(score: Score, document: _Document, fields: dict[str, Any]) -> None:
    for resource, expected_fields in fields.items():
        record = document.record(resource)
        for name, expected in expected_fields.items():
            where = f"{resource}.{name}"
            schema = document.resolve(record.get(name))
            present = isinstance(schema, dict)
            schema = schema if present else {}
            kinds, nullable = _types(schema)
            wanted = expected.get("type", "string")
            score.count("fields", present and _type_ok(wanted, kinds), f"{where} ({wanted})")
            for constraint in _CONSTRAINTS:
                if constraint in expected:
                    got = _constraint(constraint, schema, document)
                    want = expected[constraint]
                    ok = (
                        sorted(map(str, got or [])) == sorted(map(str, want))
                        if constraint == "enum"
                        else got == want
                    )
                    score.count("constraints", ok, f"{where} {constraint}={want!r} (got {got!r})")
            if "readOnly" in expected:
                got = bool(_constraint("readOnly", schema, document))
                score.count("constraints", got == expected["readOnly"], f"{where} readOnly")
            if "nullable" in expected:
                score.count("constraints", nullable == expected["nullable"], f"{where} nullable")


def _query(document: _Document, operation: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found = {}
    for parameter in operation.get("parameters", []):
        parameter = document.resolve(parameter)
        if isinstance(parameter, dict) and parameter.get("in") == "query":
            found[parameter["name"]] = document.resolve(parameter.get("schema")) or {}
    return found


def _score_operations(score: Score, document: _Document, expected: dict[str, Any]) -> None:
    for endpoint in expected.get("endpoints", []):
        score.count("endpoints", endpoint in document.operations, endpoint)
    for endpoint, names in (expected.get("query") or {}).items():
        query = _query(document, document.operations.get(endpoint, {}))
        for name in names:
            score.count("parameters", name in query, f"{endpoint} ?{name}")
    for endpoint, options in (expected.get("sorts") or {}).items():
        query = _query(document, document.operations.get(endpoint, {}))
        schema = query.get("sort", {})
        schema = document.resolve(schema.get("items", schema))
        allowed = {str(v) for v in (schema.get("enum") or [])}
        for option in options:
            score.count("parameters", str(option) in allowed, f"{endpoint} sort={option}")
    for endpoint, statuses in (expected.get("statuses") or {}).items():
        responses = document.operations.get(endpoint, {}).get("responses") or {}
        for status in statuses:
            score.count("statuses", str(status) in responses, f"{endpoint} -> {status}")
    for endpoint, names in (expected.get("responses") or {}).items():
        operation = document.operations.get(endpoint, {})
        properties = document.properties(document.response_schema(operation, ("200",)))
        for name in names:
            score.count("statuses", name in properties, f"{endpoint} answers {name}")
    for endpoint, media in (expected.get("media") or {}).items():
        response = document.resolve(
            (document.operations.get(endpoint, {}).get("responses") or {}).get("200")
        )
        content = (response or {}).get("content") or {}
        score.count("statuses", media in content, f"{endpoint} as {media}")


def _score_actions(score: Score, document: _Document, expected: dict[str, Any]) -> None:
    machines: dict[str, Any] = {}
    for schema in (document.document.get("components") or {}).get("schemas", {}).values():
        states = ((schema or {}).get("x-pact") or {}).get("states") or {}
        machines.update(states.get("transitions") or {})
    for resource, transitions in (expected.get("transitions") or {}).items():
        for verb, want in transitions.items():
            got = machines.get(verb) or {}
            where = f"{resource} {verb}"
            score.count("actions", got.get("to") == want["to"], f"{where} to {want['to']}")
            ok = sorted(got.get("from") or []) == sorted(want["from"])
            score.count("actions", ok, f"{where} from {want['from']} (got {got.get('from')})")


def _score_auth(score: Score, document: _Document, expected: dict[str, Any]) -> None:
    want = expected.get("auth")
    if not want:
        return
    schemes = (document.document.get("components") or {}).get("securitySchemes") or {}
    spelled = {
        " ".join(str(s.get(k)) for k in ("type", "scheme", "in", "name") if s.get(k) is not None)
        for s in schemes.values()
    }
    score.count("actions", want["scheme"] in spelled, f"security scheme {want['scheme']}")
    secured = bool(document.document.get("security"))
    for name, operation in document.operations.items():
        public = operation.get("security") == [] or not (secured or operation.get("security"))
        if name in want["public"] or public:
            score.count("actions", name in want["public"] and public, f"{name} public")
    score.count("actions", secured, "the other operations need the scheme")


def _check(document: dict[str, Any]) -> str:
    """``ok``, or the first problem ``pactcoder check`` finds in the draft."""
    import pactcoder
    from pactcoder.problems import ContractError

    with tempfile.TemporaryDirectory() as scratch:
        project = Path(scratch)
        (project / "docs" / "api").mkdir(parents=True)
        (project / "docs" / "api" / "openapi.yaml").write_text(
            yaml.safe_dump(document, sort_keys=False), encoding="utf-8"
        )
        try:
            pactcoder.check(project)
        except ContractError as error:
            problems = [p for p in error.problems if p.severity.value == "error"]
            return str(problems[0]) if problems else str(error)
    return "ok"


def score(folder: Path) -> Score:
    """Draft the documents in ``folder/docs`` and score them against ``folder/expected.yaml``."""
    from pactcoder.draft.contract import Drafter
    from pactcoder.problems import ContractError

    expected = yaml.safe_load((folder / "expected.yaml").read_text(encoding="utf-8"))
    result = Score(folder.name)
    with tempfile.TemporaryDirectory() as scratch:
        project = Path(scratch) / folder.name
        shutil.copytree(folder / "docs", project / "docs")
        try:
            drafted = Drafter(project).draft().document
        except ContractError as error:
            drafted, result.check = {}, f"nothing drafted: {error}"
    document = _Document(drafted)
    _score_operations(result, document, expected)
    _score_fields(result, document, expected.get("fields") or {})
    _score_actions(result, document, expected)
    _score_auth(result, document, expected)
    if drafted:
        result.check = _check(drafted)
    return result


def folders() -> list[Path]:
    return sorted(p for p in CORPUS.iterdir() if (p / "expected.yaml").is_file())


def main(argv: list[str]) -> int:
    from rich.console import Console
    from rich.table import Table

    scores = [score(folder) for folder in folders()]
    table = Table(title="pactcoder draft against tests/drafts (matched/expected)")
    for column in ("document", *KINDS, "overall", "check"):
        table.add_column(column)
    for s in scores:
        table.add_row(
            s.name,
            *(f"{s.matched[k]}/{s.expected[k]}" for k in KINDS),
            f"{s.overall:.0%}",
            s.check if len(s.check) < 60 else s.check[:57] + "...",
        )
    matched = {k: sum(s.matched[k] for s in scores) for k in KINDS}
    total = {k: sum(s.expected[k] for s in scores) for k in KINDS}
    overall = sum(matched.values()) / max(1, sum(total.values()))
    table.add_row(
        "all",
        *(f"{matched[k]}/{total[k]}" for k in KINDS),
        f"{overall:.1%}",
        f"{sum(s.check == 'ok' for s in scores)}/{len(scores)} ok",
    )
    console = Console(width=160)
    console.print(table)
    if "--misses" in argv:
        for s in scores:
            for miss in s.misses:
                console.print(f"{s.name}: {miss}", markup=False)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    raise SystemExit(main(sys.argv[1:]))
