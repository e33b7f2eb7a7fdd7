"""Files: uploads of a multipart form carrying a file, and downloads of what was stored.

An **upload** is a POST to a collection whose ``multipart/form-data`` body carries one file
(a field of ``format: binary``, ``byte`` or ``base64``, or a body that is itself binary),
answered by a record: the file's metadata (``x-pact: {upload: ...}`` says so outright, and
sets the field, the most bytes and the media types accepted). The record's table keeps what
the service learnt of the file, in the fields named for it: its client-side name
(``name``, ``filename``, ...), its size in bytes (``size``, ``bytes``, ...) and its media type
as read from its content (``contentType``, ``mimeType``, ...), plus a hidden column holding
the name the service gave the stored bytes (never one the client chose).

A **download** is a GET of such a record (``/files/{id}``) or of a path under it
(``/files/{id}/content``) answering a binary media type and no JSON: the stored bytes.

What the shapes are is in :mod:`pactcoder.ir.uploads` (:func:`~.uploads.is_upload`,
:func:`~.uploads.is_download`), which :mod:`.operations` reads the kinds with.

Example::

    stores = file_stores(env, found, kinds)     # after tables: the columns of each store
    found.records["file"].files.size_column     # "size"
"""

from __future__ import annotations

from pactcoder.english import article
from pactcoder.ir.model import Column, Endpoint, FileStore, Kind, Resource, Source, Upload
from pactcoder.ir.names import snake
from pactcoder.ir.passes.env import Env
from pactcoder.ir.passes.operations import Kinds, parent_group_key
from pactcoder.ir.passes.resources import Resources
from pactcoder.ir.paths import operation_shape
from pactcoder.ir.schemas import flatten, unwrap
from pactcoder.ir.types import PyType, SqlKind, SqlType, string
from pactcoder.ir.uploads import (
    DEFAULT_MAX_BYTES,
    FORM_OVERHEAD,
    NAME_FIELDS,
    SIZE_FIELDS,
    TYPE_FIELDS,
    binary_media,
    file_fields,
    multipart,
    plain_fields,
)
from pactcoder.oas.model import Operation


def file_resource(found: Resources, op: Operation, kind: Kind) -> Resource | None:
    """The resource an upload makes records of, or whose record a download answers."""
    shape = operation_shape(op)
    if kind is Kind.UPLOAD or shape.item_param is not None:
        return found.for_group(shape.group)
    return found.for_group(parent_group_key(shape)) if shape.parents else None


def file_stores(env: Env, found: Resources, kinds: Kinds) -> None:
    """Each resource an upload makes records of gets its :class:`FileStore`: the columns the
    file's name, size and type go in, and a hidden column of its storage key. A binary GET is
    a download only where something uploads (operations reads it so); should its resource
    still have no store, it is a 501."""
    for op, kind in kinds:
        if kind not in (Kind.UPLOAD, Kind.DOWNLOAD):
            continue
        resource = file_resource(found, op, kind)
        if resource is None:
            what = "the record it makes" if kind is Kind.UPLOAD else "the record it answers"
            env.not_implemented(op.key, f"no stored resource is {what} (a file's metadata)")
        elif kind is Kind.UPLOAD and resource.files is None:
            resource.files = _store(resource)
    for op, kind in kinds:
        resource = file_resource(found, op, kind) if kind is Kind.DOWNLOAD else None
        if resource is not None and resource.files is None:
            env.not_implemented(
                op.key,
                f"it answers the content of {resource.noun.singular} records, but no operation"
                " uploads any (a multipart POST to their collection)",
            )


def _store(resource: Resource) -> FileStore:
    columns = resource.table.columns
    key = _free(columns, "storage_key")
    columns.append(
        Column(
            attr=key,
            api_name=key,
            python_type=PyType.STR,
            sa_type=string(64),
            nullable=True,
            source=Source.FILE,
            unique=True,
            exposed=False,
            notes=["the name the service gave the stored bytes: random, never the client's"],
        )
    )
    store = FileStore(key_column=key)
    taken: set[str] = set()
    for role, names, python_type, sa_type in (
        ("name", NAME_FIELDS, PyType.STR, string(255)),
        ("size", SIZE_FIELDS, PyType.INT, SqlType(SqlKind.BIG_INTEGER)),
        ("type", TYPE_FIELDS, PyType.STR, string(255)),
    ):
        what = _ROLES[role]
        column = _pick(columns, names, python_type, taken)
        if column is None:
            # Not in the record: kept all the same, for the download's headers.
            column = Column(
                attr=_free(columns, f"file_{role}"),
                api_name=f"file_{role}",
                python_type=python_type,
                sa_type=sa_type,
                nullable=True,
                source=Source.FILE,
                exposed=False,
            )
            columns.append(column)
        else:
            store.evidence.append(f"{column.api_name}: {what}")
        taken.add(column.attr)
        setattr(store, f"{role}_column", column.attr)
        if column.source is not Source.CLIENT and column.exposed:
            column.source, column.nullable, column.empty = Source.FILE, False, None
            column.notes = [n for n in column.notes if not n.startswith("server-made")]
        column.notes.append(f"set from the uploaded file: {what}")
    return store


_ROLES = {
    "name": "the file's name as the client gave it (metadata, never a path)",
    "size": "the file's size in bytes",
    "type": "the file's media type, read from its content",
}


def _free(columns: list[Column], attr: str) -> str:
    while any(c.attr == attr for c in columns):
        attr = f"stored_{attr}"
    return attr


def _pick(
    columns: list[Column], names: tuple[str, ...], python_type: PyType, taken: set[str]
) -> Column | None:
    usable = [
        c
        for c in columns
        if c.exposed and not c.primary_key and c.python_type is python_type and c.attr not in taken
    ]
    for name in names:
        found = next((c for c in usable if snake(c.api_name) == name), None)
        if found is not None:
            return found
    return None


def upload_of(env: Env, endpoint: Endpoint, op: Operation) -> None:
    """An upload endpoint's :class:`Upload` (its field, limits, the field naming the file),
    or why it cannot be implemented."""
    entry = multipart(op)
    assert entry is not None
    pact = op.pact.upload
    files = file_fields(entry.schema)
    field = pact.field if pact is not None and pact.field else None
    if field is not None and field not in files:
        env.problems.error(
            f"x-pact upload on {op.key} names the form field '{field}', which is not a file",
            hint=f"its file fields: {', '.join(str(f) for f in files) or 'none'}"
            " (a string of format binary)",
            at=op.location,
        )
    if len(files) != 1:
        reason = "its form carries no file" if not files else "its form carries several files"
        endpoint.implemented = False
        endpoint.reasons.append(reason + "; an upload stores one file, in a field of its own")
        return
    field = field or files[0]
    plain = plain_fields(entry.schema)
    names = [n for n in plain if snake(n) in NAME_FIELDS]
    ignored = [n for n in plain if snake(n) in TYPE_FIELDS]
    other = [n for n in plain if n not in names and n not in ignored]
    if other:
        endpoint.implemented = False
        endpoint.reasons.append(
            f"form field {other[0]!r} beside the file is not read: an upload reads the file"
            " and its name"
        )
    form = flatten(unwrap(entry.schema)[0]) if entry.schema is not None else None
    schema = form.properties.get(field) if form is not None and field else entry.schema
    most = unwrap(schema)[0].max_length if schema is not None else None
    max_bytes = pact.max_size if pact is not None and pact.max_size else most or DEFAULT_MAX_BYTES
    types = list(pact.types) if pact is not None else []
    evidence = (
        "x-pact upload"
        if pact is not None
        else f"inferred: a multipart POST carrying one file{f' ({field!r})' if field else ''},"
        " answered by a record"
    )
    endpoint.upload = Upload(field, max_bytes, types, evidence=evidence)
    if names and form is not None:
        named = unwrap(plain[names[0]])[0]
        endpoint.upload.name_field = names[0]
        endpoint.upload.name_limits = (
            names[0] in form.required,
            named.min_length or 0,
            named.max_length,
        )
    endpoint.body_media = ["multipart/form-data"]
    endpoint.request_bytes = max_bytes + FORM_OVERHEAD
    accepted = ", ".join(types) if types else "any type"
    endpoint.notes.append(
        f"upload ({evidence}): at most {max_bytes} bytes, {accepted} (read from the content);"
        " stored under a name the service makes"
        + (f"; {', '.join(ignored)} ignored: the type is read from the content" if ignored else "")
    )


def download_notes(endpoint: Endpoint, op: Operation, resource: Resource | None) -> None:
    """What a download answers, for check."""
    media = binary_media(op)
    noun = article(resource.noun.singular if resource is not None else "record")
    endpoint.notes.append(
        f"download: the stored content of {noun} ({media} declared; answered with the type"
        " read at upload), with Content-Disposition and byte ranges (206, 416)"
    )
