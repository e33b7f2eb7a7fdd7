"""Pass 13: each operation as the generated route implements it, or why it cannot.

An endpoint gets its kind (what it does to its resource), its request and response
models, its parameters (:mod:`.params`), its list behaviour (:mod:`.lists`), who may
call it and how often, and, when the contract does not say enough to implement it,
the reasons, which the generated route answers 501 with.

Example::

    endpoints = endpoints_of(env, known)
    [(e.operation_id, e.kind.value, e.implemented) for e in endpoints]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from http import HTTPStatus

from pactcoder.ir.model import (
    FORM_MEDIA,
    Aggregate,
    AuthSpec,
    Confidence,
    Direction,
    Endpoint,
    Inference,
    Kind,
    Resource,
    Source,
    Table,
    Upsert,
    answered_status,
)
from pactcoder.ir.names import attribute, pascal, snake, words
from pactcoder.ir.names import function as function_name
from pactcoder.ir.passes.actions import Actions, action_notes, transition_access
from pactcoder.ir.passes.env import Env
from pactcoder.ir.passes.fields import Fields
from pactcoder.ir.passes.files import download_notes, file_resource, upload_of
from pactcoder.ir.passes.lists import list_notes
from pactcoder.ir.passes.media import answer, rendered, renderings
from pactcoder.ir.passes.operations import Kinds
from pactcoder.ir.passes.params import params
from pactcoder.ir.passes.relations import Relations, relation_target
from pactcoder.ir.passes.resources import Resources
from pactcoder.ir.passes.shapes import envelope
from pactcoder.ir.passes.tables import empty_value
from pactcoder.ir.paths import (
    body_entry,
    body_schema,
    bulk_items,
    form_entries,
    form_problem,
    media_base,
    operation_shape,
    record_body,
    response_schema,
    success,
)
from pactcoder.ir.schemas import (
    flatten,
    is_object,
    max_json_bytes,
    record_envelope,
    singleton,
    unwrap,
)
from pactcoder.ir.security import body_shape, is_password, response_shape, token_fields
from pactcoder.ir.types import Default
from pactcoder.oas.model import Operation, Schema

_AUTH_SCOPE = (Kind.REGISTER, Kind.LOGIN, Kind.TOKEN, Kind.REFRESH, Kind.CHANGE_PASSWORD)

#: What the note of an operation's unread media types calls the media it reads.
_MEDIA_NAMES = {
    "application/json": "JSON bodies",
    "application/x-www-form-urlencoded": "urlencoded forms",
    "multipart/form-data": "multipart forms",
}


@dataclass(frozen=True)
class Known:
    """Everything the passes before found, which endpoints are built from."""

    kinds: Kinds
    found: Resources
    auth: AuthSpec
    acts: Actions
    rels: Relations
    fields: Fields
    #: List operation key → its default order (:func:`.lists.orders`).
    orders: dict[str, list[tuple[str, bool]]]
    #: Operation key → the upsert it is (:func:`.upserts.upserts`).
    upserts: dict[str, Upsert] = field(default_factory=dict)
    #: Aggregate operation key → what it measures (:func:`.aggregates.aggregates`).
    aggregates: dict[str, Aggregate] = field(default_factory=dict)


def endpoints_of(env: Env, known: Known) -> list[Endpoint]:
    """Every operation's endpoint, in contract order, added to its resource's too."""
    endpoints = [_endpoint(env, known, op, kind) for op, kind in known.kinds]
    for endpoint in endpoints:
        if endpoint.resource:
            known.found.records[endpoint.resource].endpoints.append(endpoint)
    return endpoints


def _resource(known: Known, op: Operation, kind: Kind) -> Resource | None:
    records = known.found.records
    if kind.is_auth:
        return records.get(known.auth.user_resource or "")
    if kind in (Kind.RELATE, Kind.UNRELATE):
        return relation_target(known.found, op)
    if kind is Kind.DISTINCT:
        return records[known.fields.distinct[op.key][0]]
    if kind is Kind.ACTION:
        return records[known.acts.transitions[op.key][0]]
    if kind is Kind.JOB:
        return records[known.acts.jobs[op.key].resource]
    if kind is Kind.COUNTER:
        return records[known.acts.counters[op.key][0]]
    if kind is Kind.AGGREGATE:
        return records[known.aggregates[op.key].resource]
    if kind in (Kind.UPLOAD, Kind.DOWNLOAD):
        return file_resource(known.found, op, kind)
    if kind in (Kind.JOB_STATUS, Kind.CUSTOM):
        return None
    if rendered(op):  # not JSON: in the group of the records it reads (see operations.py)
        groups = known.found.groups.values()
        group = next((g for g in groups if any(o is op for o, _ in g.ops)), None)
        return known.found.for_group(group.key) if group is not None else None
    return known.found.for_group(operation_shape(op).group)


def _endpoint(env: Env, known: Known, op: Operation, kind: Kind) -> Endpoint:
    resource = _resource(known, op, kind)
    found = answer(op)
    status = found[0] if found else (204 if op.method == "delete" else 200)
    function = function_name(op.operation_id or f"{op.method}_{'_'.join(words(op.path))}")
    endpoint = Endpoint(
        operation_id=op.operation_id or function,
        function=function,
        method=op.method,
        path=op.path,
        kind=kind if resource is not None or kind is Kind.JOB_STATUS else Kind.CUSTOM,
        summary=" ".join((op.summary or _sentence(op.operation_id) or op.key).split()),
        description=op.description,
        tags=op.tags,
        resource=resource.noun.singular if resource else None,
        status_code=status,
        response_model=None,
        request_model=None,
        location=op.location,
    )
    endpoint.responses = {
        int(code): None for code in op.responses if code.isdigit() and not code.startswith("2")
    }
    _request(env, endpoint, op)
    _response(env, endpoint, op, resource)
    if resource is not None and kind in (Kind.READ, Kind.LIST):
        schema = known.found.schema_of.get(resource.noun.singular)
        creates = [
            body_schema(o)
            for g in known.found.groups_of(resource.noun.singular)
            for o, k in g.ops
            if k is Kind.CREATE
        ]
        renderings(env, endpoint, op, resource, schema, next(iter(creates), None))
        if not endpoint.answers_json and kind is Kind.LIST:
            endpoint.envelope = "array"
            endpoint.response_model = f"list[{resource.read_model}]"
    _unmade(endpoint, op)
    if (kind not in (Kind.READ, Kind.LIST) or resource is None) and op.pact.response is not None:
        env.problems.error(
            f"x-pact response on {op.key}: it is not a read or a list of stored records",
            hint="remove x-pact response",
            at=op.location,
        )
    if resource is not None:
        order = known.orders.get(op.key, [])
        list_notes(env, known.found, known.rels, known.fields, endpoint, op, resource, order)
    module = ""
    if endpoint.kind is Kind.JOB:
        module = known.found.records[known.acts.jobs[op.key].resource].module
    action_notes(env, endpoint, op, known.acts, module)
    if endpoint.kind is Kind.CREATE and resource is not None and resource.append_only:
        endpoint.notes.append(
            f"append-only ({resource.append_only}): each request adds a record, none is"
            " changed; no field unique by a guess"
        )
    if endpoint.kind is Kind.UPSERT:
        upsert = endpoint.upsert = known.upserts[op.key]
        stored = "changed to the body" if upsert.existing == "update" else "answered unchanged"
        endpoint.notes.append(
            f"upsert by {upsert.api_name} ({upsert.evidence}): made when no record has it"
            f" (201), else the stored one {stored} (200); INSERT ... ON CONFLICT, safe when"
            " requests race"
        )
    if endpoint.kind is Kind.AGGREGATE:
        endpoint.aggregate = known.aggregates[op.key]
        endpoint.notes.append(f"aggregate: {endpoint.aggregate.evidence}; one SQL statement")
    if endpoint.kind is Kind.DOWNLOAD:
        download_notes(endpoint, op, resource)
    params(env, known.found, known.rels, known.fields, known.auth, endpoint, op, resource)
    for reason in env.cannot.get(op.key, []):
        _cannot(endpoint, reason)
    _feasibility(endpoint, resource, kind)
    if endpoint.bulk and kind is not Kind.CREATE and resource is not None:
        _bulk_key(endpoint, op, resource)
    if endpoint.kind is Kind.CREATE and endpoint.implemented and resource is not None:
        _create_guess(known, endpoint, op, resource)
    _protection(env, known, endpoint, op)
    if kind.is_auth:
        _account_operation(known.auth, endpoint, op, kind)
    return endpoint


def _unmade(endpoint: Endpoint, op: Operation) -> None:
    """An answer the contract gives a body in media the route does not make (a spreadsheet,
    XML, the text a POST answers) is a stub rather than an empty body off the contract."""
    found = answer(op)
    if found is None or endpoint.renderings or endpoint.kind.is_auth or not endpoint.implemented:
        return
    if endpoint.kind is Kind.DOWNLOAD:
        return  # the stored file's bytes
    content = [m for m in found[1].content if "*" not in m]
    if not content or found[1].json() is not None:
        return
    _cannot(
        endpoint,
        f"it answers {', '.join(content)}: the service makes JSON, and CSV, text, HTML, bytes"
        " or a redirect only for a GET of stored records",
    )


def _bulk_key(endpoint: Endpoint, op: Operation, resource: Resource) -> None:
    """The key each record of a bulk change is found by (the lookup field, else the id):
    the items must carry it, required and writable."""
    key = next(
        c
        for c in resource.table.columns
        if (c.attr == resource.lookup if resource.lookup else c.primary_key)
    )
    item = record_body(op)
    shape = flatten(unwrap(item)[0]) if item is not None else None
    prop = shape.properties.get(key.api_name) if shape is not None else None
    if shape is None or prop is None or key.api_name not in shape.required or prop.read_only:
        _cannot(
            endpoint,
            f"each record of a bulk change must carry {resource.schema_name}.{key.api_name},"
            " required and not readOnly, to say which record it changes",
        )
        return
    endpoint.bulk_key = key.api_name


def _create_guess(known: Known, endpoint: Endpoint, op: Operation, resource: Resource) -> None:
    """A POST read as a create although what it answers is not the record it makes: another
    schema than the collection's items are read as (``POST /payments`` answering
    ``{redirectUrl, expiresAt}`` where ``GET /payments/{id}`` answers ``Payment``), or, with
    nothing to compare, an answer holding none of the fields sent. A low-confidence guess."""
    answered = response_schema(op)
    if endpoint.bulk:
        answered = bulk_items(answered) or answered
    if answered is None or not is_object(answered):
        return
    evidence = _not_the_record(known, op, resource, unwrap(answered)[0])
    if evidence is not None:
        what = f"a create of a {resource.noun.singular} record"
        endpoint.inferences.append(Inference(what, evidence, Confidence.low))


def _not_the_record(
    known: Known, op: Operation, resource: Resource, answered: Schema
) -> str | None:
    """Why the object a create answers seems not to be the record it made, or None."""
    properties = set(flatten(answered).properties)
    name = answered.name or "an inline schema"
    said = f"{op.key} posts to the collection, but answers {name}"
    items = [unwrap(i)[0] for i in _item_schemas(known, resource)]
    if items:
        if any(i is answered for i in items):
            return None
        foreign = sorted(properties - {p for i in items for p in flatten(i).properties})
        if not foreign:
            return None
        names = " or ".join(sorted({i.name or "an inline schema" for i in items}))
        verb = "is no field" if len(foreign) == 1 else "are no fields"
        return f"{said}, not {names} as its other operations do: {', '.join(foreign[:4])} {verb}"
    sent = record_body(op)
    if sent is None or not is_object(sent) or properties & set(flatten(unwrap(sent)[0]).properties):
        return None
    return f"{said}, holding none of the fields it is sent"


def _item_schemas(known: Known, resource: Resource) -> list[Schema]:
    """The schemas the other operations on ``resource``'s collection answer one record as."""
    found: list[Schema] = []
    for group in known.found.groups_of(resource.noun.singular):
        for op, kind in group.ops:
            schema = response_schema(op)
            if schema is None:
                continue
            if kind is Kind.LIST:
                page = envelope(schema)
                schema = page.items if page is not None else None
            elif kind not in (Kind.READ, Kind.REPLACE, Kind.UPDATE):
                continue
            if schema is not None and is_object(schema):
                found.append(schema)
    return found


def _protection(env: Env, known: Known, endpoint: Endpoint, op: Operation) -> None:
    """Who may call it, how often, how it is cached."""
    auth = known.auth
    endpoint.access = env.security.access(op)
    transition_access(env, endpoint, op, known.acts)
    said = endpoint.access.optional_from_prose
    if said is not None:
        guess = Inference(
            "authentication optional: anonymous callers allowed, credentials checked when sent",
            f'its description says "{said}"',
            Confidence.low,
        )
        endpoint.inferences.append(guess)
        endpoint.notes.append(f"{guess.what} (inferred, low confidence: {guess.evidence})")
    if endpoint.access.roles and endpoint.access.public:
        env.problems.error(
            f"{endpoint.method.upper()} {endpoint.path} needs roles but is public",
            hint="remove `security: []` or the x-pact roles",
            at=op.location,
        )
    for name in endpoint.access.schemes:
        scheme = auth.schemes.get(name)
        if scheme is None:
            continue
        if not scheme.supported and all(
            not auth.schemes[n].supported for n in endpoint.access.schemes
        ):
            endpoint.implemented = False
            endpoint.reasons.append(scheme.reason)
        if scheme.kind == "bearer" and not auth.has_accounts:
            endpoint.notes.append(
                "tokens are checked, but the contract has no account operations to issue them"
            )
    external = [
        n for n in endpoint.access.schemes if n in auth.schemes and auth.schemes[n].kind == "oauth2"
    ]
    if external:
        endpoint.notes.append(
            f"tokens of an external OAuth2 / OpenID Connect issuer ({', '.join(external)}),"
            " checked on its key set (OAUTH2_JWKS_URL)"
        )
    settings = op.pact
    limits = env.doc.pact.rate_limit
    auth_scope = endpoint.kind in _AUTH_SCOPE
    if settings.rate_limit is not None:
        endpoint.rate_limit, endpoint.rate_scope = settings.rate_limit, endpoint.operation_id
    else:
        endpoint.rate_limit = limits.auth if auth_scope else limits.default
        endpoint.rate_scope = "auth" if auth_scope else "default"
    if settings.cache is not None:
        endpoint.cache_control = settings.cache
    elif endpoint.method == "get":
        endpoint.cache_control = "no-cache" if endpoint.access.public else "private, no-cache"
    for parameter in op.parameters:
        if parameter.in_ == "header" and parameter.name.lower() == "if-match":
            endpoint.if_match = "required" if parameter.required else "optional"
    if endpoint.access.roles:
        endpoint.notes.append(f"only for roles: {', '.join(endpoint.access.roles)}")


def _account_operation(auth: AuthSpec, endpoint: Endpoint, op: Operation, kind: Kind) -> None:
    """Fields of the account operations, and whether pactcoder can implement them."""
    if auth.user_resource is None:
        _cannot(endpoint, "no schema of user accounts found")
        return
    body = body_shape(op)
    passwords = [n for n, s in body.items() if is_password(n, s)]
    tokens = token_fields(response_shape(op))
    fields = endpoint.auth_fields
    if kind in (Kind.REGISTER, Kind.LOGIN, Kind.TOKEN):
        if not passwords:
            _cannot(endpoint, "its body has no password field")
        else:
            fields["password"] = passwords[0]
    if kind in (Kind.LOGIN, Kind.TOKEN) and auth.login_column is None:
        _cannot(endpoint, "its body has no login field (email or username)")
    signed = (Kind.REGISTER, Kind.ME, Kind.UPDATE_ME)
    if kind in (Kind.LOGIN, Kind.TOKEN, Kind.REFRESH) or (kind in signed and tokens):
        if "access" not in tokens:
            _cannot(endpoint, "its response has no access token field")
        fields.update({f"token_{role}": name for role, name in tokens.items()})
    if kind is Kind.REFRESH:
        refresh = next((n for n in body if "refresh" in snake(n)), None)
        if refresh is None:
            _cannot(endpoint, "its body has no refresh token field")
        else:
            fields["refresh"] = refresh
    if kind is Kind.CHANGE_PASSWORD:
        current = next((n for n in passwords if words(n)[0] in ("current", "old")), None)
        new = next((n for n in passwords if words(n)[0] == "new"), None)
        if current is None or new is None:
            _cannot(endpoint, "its body needs a current and a new password")
        else:
            fields.update(current=current, new=new)
    if kind in (Kind.ME, Kind.UPDATE_ME, Kind.CHANGE_PASSWORD) and endpoint.access.public:
        _cannot(endpoint, "it acts on the signed-in user but does not require sign-in")
    endpoint.notes.append(f"account operation: {kind.value}")


def _cannot(endpoint: Endpoint, reason: str) -> None:
    endpoint.implemented = False
    endpoint.reasons.append(reason)


def _request(env: Env, endpoint: Endpoint, op: Operation) -> None:
    body = op.request_body
    if body is None or endpoint.kind is Kind.TOKEN:
        return  # the OAuth2 token endpoint reads its form itself
    endpoint.request_required = body.required
    endpoint.content_types = list(body.content)
    if endpoint.kind is Kind.UPLOAD:
        upload_of(env, endpoint, op)
        return
    entry = body_entry(op)
    if entry is None:
        why = "; ".join(filter(None, (form_problem(e.schema) for e in form_entries(body).values())))
        read = "only JSON bodies and forms of fields are implemented"
        _cannot(endpoint, f"the request body is {', '.join(body.content)}: {why or read}")
        return
    json = body.json()
    endpoint.body_media = ["application/json"] if json is not None else []
    for media, form in form_entries(body).items():
        if form.schema is entry.schema and form_problem(form.schema) is None:
            endpoint.body_media.append(media)
    unread = [m for m in body.content if media_base(m) not in endpoint.body_media]
    if json is not None:
        unread = [m for m in unread if body.content[m] is not json]
    if unread:
        read = " and ".join(_MEDIA_NAMES.get(m, m) for m in endpoint.body_media)
        endpoint.notes.append(f"answers 415 to a body of {', '.join(unread)}: only {read} are read")
    if endpoint.reads_form:
        forms = [_MEDIA_NAMES[m] for m in endpoint.body_media if m in FORM_MEDIA]
        endpoint.notes.append(f"reads {' or '.join(forms)}, validated as JSON is")
    if entry.schema is None:
        return
    context = pascal(f"{endpoint.operation_id}_body")
    info = env.models.annotation(entry.schema, Direction.REQUEST, context=context)
    endpoint.request_model = info.annotation
    bulk_kinds = (Kind.CREATE, Kind.UPDATE, Kind.REPLACE)
    endpoint.bulk = endpoint.kind in bulk_kinds and bulk_items(body_schema(op)) is not None
    if endpoint.bulk and endpoint.kind is Kind.CREATE:
        endpoint.notes.append("bulk create: every record of the array is made, or none")
    elif endpoint.bulk:
        endpoint.notes.append("bulk change: every record of the array, found by its key, or none")
    endpoint.request_sample = env.samples.value(entry.schema, 0)
    endpoint.request_bytes = max_json_bytes(entry.schema)
    wrapped = _wrapped(env, endpoint, entry.schema, info.annotation, Direction.REQUEST)
    if wrapped is not None:
        endpoint.request_envelope, endpoint.request_model = wrapped


def _response(env: Env, endpoint: Endpoint, op: Operation, resource: Resource | None) -> None:
    found = success(op)
    if found is None:
        return
    _, response = found
    for header in response.headers:
        if header.lower() == "location":
            endpoint.location_header = True
        elif "total" in header.lower() or "count" in header.lower():
            endpoint.total_header = header
    entry = response.json()
    if entry is None or entry.schema is None:
        return
    context = pascal(f"{endpoint.operation_id}_response")
    if endpoint.kind is Kind.LIST and resource is not None:
        _list_response(env, endpoint, entry.schema, resource, context)
        return
    info = env.models.annotation(entry.schema, Direction.RESPONSE, context=context)
    endpoint.response_model = info.annotation
    wrapped = _wrapped(env, endpoint, entry.schema, info.annotation, Direction.RESPONSE)
    if wrapped is None:
        wrapped = _record_envelope(env, endpoint, entry.schema, info.annotation)
    if wrapped is not None:
        endpoint.response_envelope, endpoint.response_model = wrapped
    if resource is not None:
        _answer(env, endpoint, op, resource)


def _answer(env: Env, endpoint: Endpoint, op: Operation, resource: Resource) -> None:
    """What the answer shows of the record: all of it, some of its fields (a create or a
    delete answering ``{"id": ...}``), or fields the record lacks."""
    answered = response_schema(op)
    stored = env.doc.schemas.get(resource.schema_name)
    if answered is None or stored is None or not is_object(answered) or endpoint.bulk:
        if endpoint.kind is Kind.DELETE:
            endpoint.answer = "other"  # a delete answers no record unless it says which
        return
    shape = flatten(unwrap(answered)[0])
    own, record = set(shape.properties), set(flatten(unwrap(stored)[0]).properties)
    if own and own < record:
        endpoint.answer = "part"
    elif not own <= record:
        endpoint.answer = "other"
        missing = sorted(shape.required - record)
        if endpoint.response_envelope is not None and missing and not own & record:
            # Its envelope is filled from the record, with which it shares no field: what it
            # requires (a shared link answered as data: {id}, with no id) has no source.
            _cannot(
                endpoint,
                f"it answers {answered.name or 'an object'} inside its envelope, whose required"
                f" {', '.join(missing)} the {resource.noun.singular} record does not hold",
            )


def _record_envelope(
    env: Env, endpoint: Endpoint, schema: Schema, annotation: str
) -> tuple[tuple[str, str], str] | None:
    """For a record answered inside an envelope of several properties (``{"status_code":
    200, "status": "OK", "data": {...}}``): (envelope model, key) and the record's model;
    the envelope's other properties get their roles in ``endpoint.envelope_fields``."""
    found = record_envelope(schema)
    if found is None:
        return None
    key, inner = found
    context = pascal(f"{endpoint.operation_id}_{key}")
    model = env.models.annotation(inner, Direction.RESPONSE, context=context).annotation
    shape = flatten(unwrap(schema)[0])
    for name, prop in shape.properties.items():
        if name != key:
            _set_role(
                endpoint, name, _meta_property(endpoint, name, prop, shape.required, "record")
            )
    endpoint.notes.append(f"the response body holds the record in {key!r}")
    return (annotation, attribute(key)), model


def _list_response(
    env: Env, endpoint: Endpoint, schema: Schema, resource: Resource, context: str
) -> None:
    found = envelope(schema)
    if found is None or found.wrapper is None:
        endpoint.envelope = "array"
        endpoint.response_model = f"list[{resource.read_model}]"
        return
    endpoint.envelope = env.models.model_for(found.wrapper, Direction.RESPONSE, context=context)
    endpoint.envelope_items = attribute(found.items_key or "items")
    endpoint.envelope_items_key = found.items_key
    endpoint.response_model = endpoint.envelope
    shape = flatten(found.wrapper)
    for key, role in found.meta.items():
        if role == "group":
            _paging_group(endpoint, key, found.groups[key])
            continue
        decided: str | Default = role
        if role == "unknown":
            decided = _meta_property(endpoint, key, shape.properties[key], shape.required, "list")
        _set_role(endpoint, key, decided)


def _set_role(endpoint: Endpoint, key: str, decided: str | Default) -> None:
    """Give an envelope's property its role; a value the compiler decided is kept in
    ``endpoint.envelope_empty`` under the role "empty"."""
    if isinstance(decided, Default):
        endpoint.envelope_empty[attribute(key)] = decided
        decided = "empty"
    endpoint.envelope_fields[attribute(key)] = decided


def _paging_group(endpoint: Endpoint, key: str, roles: dict[str, str]) -> None:
    """An object of paging beside the items (``meta: {current_page, total_count}``): each
    property filled from the page by its role; the others, optional, left out."""
    known = {name: role for name, role in roles.items() if role != "unknown"}
    endpoint.envelope_groups[attribute(key)] = known
    said = ", ".join(f"{name} ({role})" for name, role in known.items())
    endpoint.notes.append(
        f"list property '{key}' holds the paging: {said} (from their names or x-pact paging)"
    )
    left = [name for name, role in roles.items() if role == "unknown"]
    if left:
        endpoint.notes.append(
            f"list property '{key}' leaves out {', '.join(left)}: no known meaning"
        )


#: Integer properties beside a list or a record that hold the HTTP status of the answer.
_STATUS_NAMES = {"status", "status_code", "http_status", "http_status_code", "code"}


def _meta_property(
    endpoint: Endpoint, key: str, prop: Schema, required: set[str], what: str
) -> str | Default:
    """The role of a property of an envelope (a list's or a record's) that is neither paging
    nor the data: the answer's HTTP status (an integer ``status_code``) or its reason
    phrase (a string ``status``), the empty value of its type where the contract requires
    it and nothing says what it holds, else left out ("unknown")."""
    target, traits = unwrap(prop)
    if target.type == "integer" and snake(key) in _STATUS_NAMES:
        endpoint.notes.append(f"{what} property '{key}' holds the answer's HTTP status")
        return "status"
    phrase = HTTPStatus(endpoint.status_code).phrase if endpoint.status_code in _CODES else ""
    if (
        target.type == "string"
        and snake(key) in _PHRASE_NAMES
        and phrase
        and _admits(target, phrase)
    ):
        endpoint.notes.append(f"{what} property '{key}' holds the answer's reason phrase")
        return Default(phrase)
    if key not in required or traits.nullable:
        endpoint.notes.append(f"{what} property '{key}' has no known meaning")
        return "unknown"
    empty = empty_value(target)
    if empty is None:
        _cannot(
            endpoint,
            f"the {what} answer requires '{key}', and nothing says what it holds"
            " (its type has no empty value)",
        )
        return "unknown"
    endpoint.notes.append(
        f"{what} property '{key}' is required but nothing says what it holds:"
        f" answered as {empty[1]} (inferred)"
    )
    return empty[0]


#: String properties beside a list or a record that hold the reason phrase of the answer.
_PHRASE_NAMES = {"status", "status_text", "http_status", "status_message"}
_CODES = {s.value for s in HTTPStatus}


def _admits(target: Schema, text: str) -> bool:
    """Whether a string schema without a format admits ``text``."""
    if target.enum is not None and text not in target.enum:
        return False
    if (
        target.format
        or target.pattern
        or (target.max_length is not None and len(text) > target.max_length)
    ):
        return False
    return len(text) >= (target.min_length or 0)


def _wrapped(
    env: Env, endpoint: Endpoint, schema: Schema, annotation: str, direction: Direction
) -> tuple[tuple[str, str], str] | None:
    """For a body wrapped in one property (`{"article": {...}}`): (wrapper model, key)
    and the model of what is inside; None for a body that is not wrapped."""
    found = singleton(schema)
    if found is None:
        return None
    key, inner = found
    context = pascal(f"{endpoint.operation_id}_{key}")
    model = env.models.annotation(inner, direction, context=context).annotation
    endpoint.notes.append(f"the {direction.value} body is wrapped in {{{key!r}: ...}}")
    return (annotation, attribute(key)), model


def _feasibility(endpoint: Endpoint, resource: Resource | None, kind: Kind) -> None:
    if kind is Kind.JOB_STATUS:
        return
    if resource is None:
        if kind is Kind.CUSTOM:
            _cannot(
                endpoint,
                "not a list, create, read, replace, update or delete of a resource:"
                " the contract does not say what it does",
            )
        else:
            _cannot(endpoint, "no resource schema found in its responses")
        return
    if kind in (Kind.CREATE, Kind.REPLACE, Kind.REGISTER, Kind.UPSERT):
        unknown = [
            f"{resource.schema_name}.{c.api_name}"
            for c in resource.table.columns
            if c.source is Source.UNKNOWN
        ]
        for child in resource.table.children:
            unknown += [
                f"{resource.schema_name}.{child.api_name}[].{c.api_name}"
                for c in child.table.columns
                if c.source is Source.UNKNOWN
            ]
        inferred = [
            f"{resource.schema_name}.{prefix}{c.api_name} as {c.default.value!r}"
            for prefix, table in _tables(resource)
            for c in table.columns
            if c.source is Source.DEFAULT
            and c.default is not None
            and any(i.what.startswith("starts as") for i in c.inferences)
        ]
        if inferred and not unknown:
            endpoint.notes.append(
                f"inferred: the server starts {', '.join(inferred)} (the empty value of its"
                " type; the contract does not say how to set it)"
            )
        if unknown:
            _cannot(
                endpoint,
                f"the server must set {', '.join(unknown)}, and the contract does not say"
                " how (no default, not nullable)",
            )
    if kind is Kind.CREATE and endpoint.request_model is None:
        _bodiless_create(endpoint, resource)
    if kind is Kind.AGGREGATE:
        linked = {link.column for link in resource.parents}
        for param in endpoint.params:
            if param.location == "path" and (param.role != "parent" or param.column not in linked):
                _cannot(endpoint, f"path parameter '{param.alias}' names no parent of its records")
    if kind is Kind.READ and endpoint.param("id") is None:
        _cannot(endpoint, "no path or query parameter names the record it answers")
    if kind is Kind.LIST and endpoint.envelope is None:
        _cannot(endpoint, "its response is not a list nor an object holding one list")


def _bodiless_create(endpoint: Endpoint, resource: Resource) -> None:
    """A create with no body (``POST /carts``) makes every field itself: one the client
    must give (required, no default) leaves it nothing to store."""
    given = [
        f"{resource.schema_name}.{c.api_name}"
        for c in resource.table.columns
        if c.source is Source.CLIENT and not c.nullable and c.default is None
    ]
    if given:
        _cannot(endpoint, f"it takes no body, yet {', '.join(given)} is the client's to give")
    else:
        endpoint.notes.append("a create with no body: the service makes every field")


def _tables(resource: Resource) -> list[tuple[str, Table]]:
    """The resource's table and its children's, with the prefix of their fields' names."""
    children = [(f"{c.api_name}[].", c.table) for c in resource.table.children]
    return [("", resource.table), *children]


def undocumented_statuses(env: Env, kinds: Kinds, endpoints: list[Endpoint], status: int) -> None:
    """Note the statuses the service will answer that the contract does not document
    (``status``: the one it answers invalid requests with)."""
    for (op, _), endpoint in zip(kinds, endpoints, strict=True):
        _undocumented(env, op, endpoint, status)


def _undocumented(env: Env, op: Operation, endpoint: Endpoint, validation: int) -> None:
    if "default" in op.responses or not endpoint.implemented:
        return
    expected = set()
    if endpoint.param("id") or endpoint.param("parent"):
        expected.add(404)
    if endpoint.request_model or any(p.location == "query" for p in endpoint.params):
        expected.add(validation)
    declared = set(op.responses)
    # A failure the operation does not declare is answered with a declared status that
    # stands for it where there is one (a 404 as the 400 it declares): not undocumented.
    missing = sorted(s for s in expected if str(answered_status(s, declared)) not in declared)
    if missing:
        statuses = ", ".join(map(str, missing))
        endpoint.notes.append(f"answers {statuses} too, which the contract does not document")
        env.problems.note(
            f"{endpoint.method.upper()} {endpoint.path} does not document {statuses};"
            " the service answers it in its error format",
            hint="add the response(s) to the operation so clients know the error body",
            at=op.location,
        )


def _sentence(name: str | None) -> str:
    """``listPets`` → ``List pets``."""
    return " ".join(words(name or "")).capitalize()
