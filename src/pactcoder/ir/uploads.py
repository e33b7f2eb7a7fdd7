"""What uploads and downloads look like: a multipart form carrying a file, bytes answered.

:mod:`pactcoder.ir.passes.operations` reads an operation's kind with :func:`is_upload` and
:func:`is_download`; :mod:`pactcoder.ir.passes.files` decides the rest (the columns, the
limits).

Example::

    file_fields(multipart(op).schema)     # ["file"]: the form's fields carrying files
    binary_media(op)                      # "application/octet-stream", or None
"""

from __future__ import annotations

from pactcoder.ir.paths import media_base, path_shape, response_schema, success
from pactcoder.ir.schemas import flatten, is_object, unwrap
from pactcoder.oas.model import MediaType, Operation, Schema

#: The formats of a string that carries a file's bytes.
FILE_FORMATS = ("binary", "byte", "base64")
#: The most bytes an upload takes when neither x-pact nor the schema (maxLength) says.
DEFAULT_MAX_BYTES = 10 * 1_048_576
#: What multipart framing and the other form fields may add to the file's bytes.
FORM_OVERHEAD = 65_536
#: The record's fields that hold the file's name, size and media type, by preference.
NAME_FIELDS = ("filename", "file_name", "original_name", "original_filename", "name", "title")
SIZE_FIELDS = ("size", "size_bytes", "file_size", "byte_size", "bytes", "content_length", "length")
TYPE_FIELDS = ("content_type", "mime_type", "mimetype", "media_type", "file_type", "type")
#: Media types of answers that are bytes, whatever their schema says.
_BINARY_MEDIA = ("application/octet-stream", "application/pdf", "application/zip")
_BINARY_PREFIXES = ("image/", "audio/", "video/", "font/")


def multipart(op: Operation) -> MediaType | None:
    """The ``multipart/form-data`` entry of the request body, if any."""
    body = op.request_body
    if body is None:
        return None
    return next(
        (e for m, e in body.content.items() if media_base(m) == "multipart/form-data"), None
    )


def _is_file(schema: Schema) -> bool:
    value = unwrap(schema)[0]
    return value.format in FILE_FORMATS and value.type in ("string", None)


def file_fields(schema: Schema | None) -> list[str | None]:
    """The fields of a form that carry files (``[None]``: the body is itself one file)."""
    if schema is None:
        return []
    if _is_file(schema):
        return [None]
    target = unwrap(schema)[0]
    if not is_object(target):
        return []
    return [n for n, p in flatten(target).properties.items() if _is_file(p)]


def plain_fields(schema: Schema | None) -> dict[str, Schema]:
    """The fields of a form beside its files."""
    if schema is None or _is_file(schema) or not is_object(unwrap(schema)[0]):
        return {}
    properties = flatten(unwrap(schema)[0]).properties
    return {n: p for n, p in properties.items() if not _is_file(p)}


def is_upload(op: Operation) -> bool:
    """A POST to a collection whose multipart body carries one file, answered by a record
    (or declared with x-pact ``upload``)."""
    entry = multipart(op)
    if op.method != "post" or entry is None or path_shape(op.path).item_param is not None:
        return False
    if op.pact.upload is not None:
        return True
    answer = response_schema(op)
    return bool(file_fields(entry.schema)) and answer is not None and is_object(answer)


def binary_media(op: Operation) -> str | None:
    """The media type of a success answer that is bytes (and no JSON), or None."""
    found = success(op)
    if found is None or found[1].json() is not None:
        return None
    for media, entry in found[1].content.items():
        base = media_base(media)
        binary = base in _BINARY_MEDIA or base.startswith(_BINARY_PREFIXES)
        if binary or (entry.schema is not None and _is_file(entry.schema)):
            return base
    return None


def is_download(op: Operation) -> bool:
    """A GET of a record (``/files/{id}``), or of a path under one (``/files/{id}/content``),
    answering bytes."""
    shape = path_shape(op.path)
    on_record = shape.item_param is not None or bool(shape.parents)
    return op.method == "get" and on_record and binary_media(op) is not None
