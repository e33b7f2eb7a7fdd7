"""tests/contract.py: checks that a response is one the contract documents.

assert_conforms(response, operation_id) fails unless the contract documents the
response's status for that operation, its content type, and unless the body is
valid against the documented schema (formats included). assert_error() checks
an error status the same way when the contract documents it, and otherwise
that the body is in the service's error format. Every test module uses them.
"""

from __future__ import annotations

from typing import Any

import httpx2
from openapi_schema_validator import (
    OAS31Validator as Validator,
)
from openapi_schema_validator import oas31_format_checker as format_checker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012 as SPECIFICATION

from app.core.contract import CONTRACT
from app.core.errors import answered_status

#: The content type of errors, by status, where the contract does not document them.
DEFAULT_ERROR_MEDIA_TYPE = "application/problem+json"
ERROR_MEDIA_TYPES: dict[int, str] = {
    422: "application/problem+json",
}

_METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


_BASE = "urn:contract"
_REGISTRY: Registry[Any] = Registry().with_resource(
    _BASE, Resource.from_contents(CONTRACT, default_specification=SPECIFICATION)
)
#: operationId → JSON pointer of the operation in the contract.
OPERATIONS: dict[str, str] = {
    operation["operationId"]: f"/paths/{_escape(path)}/{method}"
    for path, item in CONTRACT["paths"].items()
    for method, operation in item.items()
    if method in _METHODS and isinstance(operation, dict) and "operationId" in operation
}


def _node(pointer: str) -> tuple[str, Any]:
    """The node at ``pointer`` in the contract, following $refs; returns (pointer, node)."""
    node: Any = CONTRACT
    for part in pointer.removeprefix("/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    if isinstance(node, dict) and "$ref" in node:
        return _node(node["$ref"].removeprefix("#"))
    return pointer, node


def assert_conforms(response: httpx2.Response, operation_id: str) -> None:
    """Fail unless ``response`` is documented for ``operation_id`` and matches its schema."""
    _, operation = _node(OPERATIONS[operation_id])
    responses = operation["responses"]
    status = str(response.status_code)
    key = next((k for k in (status, f"{status[0]}XX", "default") if k in responses), None)
    assert key is not None, (
        f"{operation_id} answered {status}, which the contract does not document: {response.text}"
    )
    pointer, documented = _node(f"{OPERATIONS[operation_id]}/responses/{key}")
    content = documented.get("content") or {}
    if not content:
        if response.status_code >= 400 and response.content:
            # The contract leaves the body of this error open: the service's error format.
            media_type = _base(response.headers.get("content-type", ""))
            assert media_type == _base(
                ERROR_MEDIA_TYPES.get(response.status_code, DEFAULT_ERROR_MEDIA_TYPE)
            )
            return
        assert not response.content, f"{operation_id} {status} must have no body"
        return
    answered = _base(response.headers.get("content-type", ""))
    # The contract's media types may carry parameters (application/json; charset=utf-8).
    media_type = next((m for m in content if _base(m) == answered), answered)
    assert media_type in content, (
        f"{operation_id} {status} answered {answered!r}; the contract says {sorted(content)}"
    )
    # Only JSON bodies are checked against a schema: text (CSV, HTML, plain) and bytes
    # are checked by what the tests of app/api/media.py's answers read in them.
    if "schema" in content[media_type] and answered.endswith("json"):
        schema = {"$ref": f"{_BASE}#{pointer}/content/{_escape(media_type)}/schema"}
        validator = Validator(schema, registry=_REGISTRY, format_checker=format_checker)
        errors = sorted(validator.iter_errors(response.json()), key=lambda e: list(e.path))
        assert not errors, f"{operation_id} {status} body breaks the contract: {errors[0].message}"


def _base(media_type: str) -> str:
    """A media type without its parameters, lower case: ``application/json``."""
    return media_type.split(";")[0].strip().lower()


def _documents(operation_id: str, status: int) -> bool:
    responses = _node(OPERATIONS[operation_id])[1]["responses"]
    return any(key in responses for key in (str(status), f"{str(status)[0]}XX", "default"))


def assert_error(response: httpx2.Response, operation_id: str, status: int) -> None:
    """Fail unless ``response`` is the error ``status`` (or the status the operation declares
    for it, see app.core.errors.answered_status), in the format the contract gives it."""
    declared = set(_node(OPERATIONS[operation_id])[1]["responses"])
    status = answered_status(status, declared)
    assert response.status_code == status, response.text
    if _documents(operation_id, status):
        assert_conforms(response, operation_id)
    else:
        # The contract is silent on this status; the service answers in its error format.
        media_type = _base(response.headers.get("content-type", ""))
        assert media_type == _base(ERROR_MEDIA_TYPES.get(status, DEFAULT_ERROR_MEDIA_TYPE))
        assert response.json()
