"""Pass 13b: answers other than JSON (text, CSV, HTML, bytes, redirects) and what each holds.

A GET whose success answer is ``text/plain``, ``text/csv``, ``text/html``, bytes
(``application/octet-stream``, ``image/*``, ...) or a redirect (301, 302, 303, 307, 308)
reads its records as a read or a list does (:func:`rendered` tells
:mod:`.operations` so); this pass says what the body holds. An operation declaring
several media types answers the one its Accept header asks for (406 when none fits).

- CSV: one row per record (one row for a read), a header row of the JSON names of its
  columns: ``x-pact response.columns``, else every plain field the record answers.
- text: the value of one field (one line per record for a list): ``x-pact
  response.field``, else the field the path's last segment names (``/notes/{id}/content``,
  ``/links/codes``), else the record's one text-like field (``content``, ``body``, ...).
- bytes: a field of ``format: byte`` (base64 in JSON), named as text is, else the record's
  only one.
- HTML: a Jinja2 template of the service (``app/templates/<operation>.html``), which
  pactcoder writes once and the owner edits; values are escaped.
- a redirect: ``Location`` is a stored URL: ``x-pact response.field``, else the field the
  ``Location`` header's description names, else the record's one ``format: uri`` field.
  ``x-pact response.count`` (or a read-only integer ``hits``, ``visits``, ``clicks``)
  adds one per answer, in one UPDATE.

Example::

    rendered(op)                        # True: GET /links/export answers text/csv
    renderings(env, endpoint, op, resource, schema)
    endpoint.renderings[0].form         # "csv"
"""

from __future__ import annotations

from pactcoder.ir.model import Confidence, Endpoint, Inference, Rendering, Resource
from pactcoder.ir.names import singular, snake, words
from pactcoder.ir.passes.env import Env
from pactcoder.ir.paths import media_base, success
from pactcoder.ir.schemas import flatten, unwrap
from pactcoder.oas.model import Operation, Response, Schema

#: The statuses of a redirect, whose Location header names where to go.
REDIRECTS = frozenset({301, 302, 303, 307, 308})
#: Last words of the names of fields holding a record's text.
_TEXT_WORDS = {"text", "content", "body", "note", "notes", "message", "markdown", "html"}
#: Names of an integer field counting a redirect's answers.
_HIT_NAMES = {"hits", "visits", "clicks", "views", "hit_count", "visit_count", "click_count"}
_BINARY_TOPS = {"image", "audio", "video", "font"}
_BINARY = {"application/octet-stream", "application/pdf", "application/zip", "application/gzip"}


def answer(op: Operation) -> tuple[int, Response] | None:
    """The operation's success answer: its first 2xx, else its first redirect."""
    found = success(op)
    if found is not None:
        return found
    for status in sorted(op.responses):
        if status.isdigit() and int(status) in REDIRECTS:
            return int(status), op.responses[status]
    return None


def form_of(media: str) -> str | None:
    """What the service makes for a media type: "json", "csv", "text", "html", "bytes",
    or None for one it does not make (XML, ``*/*``, ...)."""
    base = media_base(media)
    top = base.partition("/")[0]
    if base == "application/json" or base.endswith("+json"):
        return "json"
    if base == "text/csv":
        return "csv"
    if base == "text/html":
        return "html"
    if base in ("text/plain", "text/markdown"):
        return "text"
    if base in _BINARY or (top in _BINARY_TOPS and "*" not in base):
        return "bytes"
    return None


def rendered(op: Operation) -> bool:
    """Whether ``op`` is a GET answering a redirect, or media other than JSON only (one of
    them made by the service): it reads records, and they are not answered as JSON."""
    if op.method != "get":
        return False
    found = answer(op)
    if found is None:
        return False
    status, response = found
    if status in REDIRECTS:
        return True
    forms = [form_of(m) for m in response.content]
    return "json" not in forms and any(forms)


def renderings(
    env: Env,
    endpoint: Endpoint,
    op: Operation,
    resource: Resource,
    schema: Schema | None,
    sent: Schema | None = None,
) -> None:
    """Set ``endpoint.renderings`` (and ``counts``): what each media type it answers holds
    (``schema``: the record's; ``sent``: the body creating one, where the tests' probe
    goes). JSON alone sets nothing; what cannot be made is a reason it is not implemented."""
    found = answer(op)
    said = op.pact.response
    if found is None or op.method != "get":
        if said is not None:
            _refuse(env, op, "it is not a GET answering a record", "remove x-pact response")
        return
    status, response = found
    properties = flatten(unwrap(schema)[0]).properties if schema is not None else {}
    exposed = {c.api_name for c in resource.table.columns if c.exposed}
    fields = {n: s for n, s in properties.items() if n in exposed}
    if status in REDIRECTS:
        _redirect(env, endpoint, op, response, fields)
        return
    forms = [(m, form_of(m)) for m in response.content]
    if not any(f not in (None, "json") for _, f in forms):
        if said is not None:
            _refuse(env, op, "it answers JSON only", "remove x-pact response")
        return
    many = endpoint.kind.value == "list"
    made = []
    for media, form in forms:
        if form is None:
            endpoint.notes.append(f"answers 406 to a client asking for {media} only: not made")
            continue
        rendering = Rendering(media=media_base(media), form=form)
        if form in ("csv", "html"):
            rendering.probe = _probe(fields, sent)
        if form == "csv":
            rendering.columns = _columns(env, op, fields)
        elif form in ("text", "bytes"):
            rendering.value = _field(env, endpoint, op, fields, form)
            if rendering.value is None:
                return
        elif form == "html":
            rendering.template = f"{endpoint.function}.html"
            what = f"an HTML page of the {resource.noun.singular} record's fields"
            why = f"it answers text/html; app/templates/{rendering.template} is yours to edit"
            endpoint.inferences.append(Inference(what, why, Confidence.low))
        made.append(rendering)
    made.sort(key=lambda r: r.form != "json")
    endpoint.renderings = made
    what = "rows" if many else "a row"
    for r in made:
        endpoint.notes.append(_note(r, what))
    _count(env, endpoint, op, fields, inferred=False)


def _note(rendering: Rendering, rows: str) -> str:
    form = rendering.form
    if form == "csv":
        return f"answers {rendering.media}: {rows} of {', '.join(rendering.columns)}"
    if form == "html":
        return f"answers {rendering.media} from app/templates/{rendering.template} (yours to edit)"
    if form == "json":
        return f"answers {rendering.media} as asked for by Accept"
    return f"answers {rendering.media}: its {rendering.value}"


def _refuse(env: Env, op: Operation, why: str, hint: str) -> None:
    env.problems.error(f"x-pact response on {op.key}: {why}", hint=hint, at=op.location)


def _columns(env: Env, op: Operation, fields: dict[str, Schema]) -> list[str]:
    said = op.pact.response.columns if op.pact.response else None
    plain = [n for n, s in fields.items() if unwrap(s)[0].type not in ("object", "array")]
    if not said:
        return plain
    unknown = [c for c in said if c not in fields]
    if unknown:
        _refuse(
            env,
            op,
            f"the record has no field {', '.join(map(repr, unknown))}",
            f"its fields: {', '.join(fields)}",
        )
    return [c for c in said if c in fields]


def _probe(fields: dict[str, Schema], sent: Schema | None) -> str | None:
    """A text field a client may set to any 40 characters, or None."""
    writable = flatten(unwrap(sent)[0]).properties if sent is not None else {}
    for name, schema in writable.items():
        if name not in fields:
            continue
        target = unwrap(schema)[0]
        free = not (target.pattern or target.enum or target.format or schema.read_only)
        if _is_text(schema) and free and (target.max_length or 40) >= 40:
            return name
    return None


def _named(op: Operation, fields: dict[str, Schema]) -> str | None:
    """The field the path's last literal segment names (``/links/{code}/qr``, ``/codes``)."""
    last = op.path.rstrip("/").rsplit("/", 1)[-1]
    if "{" in last:
        return None
    key = snake(last)
    return next((n for n in fields if snake(n) in (key, singular(key))), None)


def _field(
    env: Env, endpoint: Endpoint, op: Operation, fields: dict[str, Schema], form: str
) -> str | None:
    """The field answered as text or bytes, or None (a reason given, or an error)."""
    said = op.pact.response.field if op.pact.response else None
    if said is not None:
        if said not in fields:
            _refuse(
                env, op, f"the record has no field {said!r}", f"its fields: {', '.join(fields)}"
            )
            return None
        return said
    wanted = _is_bytes if form == "bytes" else _is_text
    named = _named(op, fields)
    if named is not None and wanted(fields[named]):
        return named
    if form == "bytes":
        found = [n for n, s in fields.items() if _is_bytes(s)]
    else:
        found = [
            n
            for n, s in fields.items()
            if _is_text(s) and words(n)[-1:] and words(n)[-1] in _TEXT_WORDS
        ]
    if len(found) == 1:
        return found[0]
    kind = "bytes (format: byte)" if form == "bytes" else "text"
    endpoint.implemented = False
    endpoint.reasons.append(
        f"it answers {kind}, and nothing says which field of the record holds them"
        " (say it with x-pact response.field)"
    )
    return None


def _is_text(schema: Schema) -> bool:
    target = unwrap(schema)[0]
    return target.type == "string" and target.format not in ("byte", "binary")


def _is_bytes(schema: Schema) -> bool:
    target = unwrap(schema)[0]
    return target.type == "string" and target.format in ("byte", "binary", "base64")


def _redirect(
    env: Env, endpoint: Endpoint, op: Operation, response: Response, fields: dict[str, Schema]
) -> None:
    said = op.pact.response.field if op.pact.response else None
    if said is not None and said not in fields:
        _refuse(env, op, f"the record has no field {said!r}", f"its fields: {', '.join(fields)}")
        return
    target = said
    evidence = "x-pact response.field"
    header = next((h for n, h in response.headers.items() if n.lower() == "location"), None)
    if target is None and header is not None and header.description:
        named = [n for n in fields if n in set(words(header.description)) | _ticked(header)]
        if len(named) == 1:
            target, evidence = named[0], "the Location header's description names it"
    if target is None:
        urls = [n for n, s in fields.items() if unwrap(s)[0].format in ("uri", "url", "iri")]
        if len(urls) == 1:
            target, evidence = urls[0], "the record's one format: uri field"
    if target is None:
        endpoint.implemented = False
        endpoint.reasons.append(
            f"it answers a redirect ({endpoint.status_code}), and nothing says which field of"
            " the record holds the URL (name it in the Location header's description, or"
            " with x-pact response.field)"
        )
        return
    endpoint.renderings = [Rendering(media="", form="redirect", value=target)]
    endpoint.notes.append(f"redirects ({endpoint.status_code}) to its {target} ({evidence})")
    _count(env, endpoint, op, fields, inferred=True)


def _ticked(header: object) -> set[str]:
    """Names in backticks in a header's description (```url```)."""
    text = getattr(header, "description", "") or ""
    return set(text.split("`")[1::2])


def _count(
    env: Env, endpoint: Endpoint, op: Operation, fields: dict[str, Schema], inferred: bool
) -> None:
    """The integer field each answer adds one to: x-pact response.count, or (a redirect)
    a read-only integer field named like hits."""
    said = op.pact.response.count if op.pact.response else None
    if said is not None:
        if said not in fields or unwrap(fields[said])[0].type != "integer":
            integers = [n for n, s in fields.items() if unwrap(s)[0].type == "integer"]
            _refuse(
                env,
                op,
                f"count names {said!r}, which is no integer field of the record",
                f"its integer fields: {', '.join(integers) or 'none'}",
            )
            return
        endpoint.counts = said
    elif inferred:
        hits = [
            n
            for n, s in fields.items()
            if snake(n) in _HIT_NAMES and unwrap(s)[0].type == "integer" and s.read_only
        ]
        if len(hits) != 1:
            return
        endpoint.counts = hits[0]
    else:
        return
    endpoint.notes.append(f"each answer adds one to its {endpoint.counts}, in one UPDATE")
