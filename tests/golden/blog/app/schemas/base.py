"""app/schemas/base.py: the base of every schema, and the value types they share.

ApiModel reads and writes JSON by the contract's property names, validates
from ORM objects (responses are built from rows), and rejects NaN and
infinity. The annotated types below add checks the contract implies: JSON
integers (3.0 included, "3" refused), text that a database can store,
absolute URIs, email addresses, lists without duplicates. Every
module in app/schemas imports from here.
"""

from __future__ import annotations

import hashlib
from typing import Annotated, Any, TypeVar

from email_validator import EmailNotValidError, validate_email
from pydantic import AfterValidator, AnyUrl, BaseModel, BeforeValidator, ConfigDict, Strict

T = TypeVar("T")


class ApiModel(BaseModel):
    """Base of the service's schemas: JSON names from the contract, Python names in code."""

    model_config = ConfigDict(
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
        from_attributes=True,
        allow_inf_nan=False,
        regex_engine="python-re",
        use_attribute_docstrings=True,
    )

    def to_json(self) -> bytes:
        """The JSON the API sends for this value (by the contract's names)."""
        return self.__pydantic_serializer__.to_json(self, by_alias=True)


def etag(body: bytes) -> str:
    """A strong entity tag for a response body: the same bytes, the same tag."""
    return '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'


class ClosedApiModel(ApiModel):
    """A schema with ``additionalProperties: false``: unknown properties are refused."""

    model_config = ConfigDict(extra="forbid")


def is_none(value: Any) -> bool:
    """Whether an optional field is unset: such fields are left out of the JSON."""
    return value is None


def refuse_null(value: Any) -> Any:
    """A field the contract lets clients leave out, but not set to null."""
    if value is None:
        raise ValueError("must not be null; leave the field out instead")
    return value


def _whole_number(value: Any) -> Any:
    """JSON has one number type: 3.0 is the integer 3, as JSON Schema says."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _storable_text(value: str) -> str:
    """Refuse text no database can store: NUL characters and unpaired surrogates."""
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError("must be valid Unicode text") from exc
    return value


def _absolute_uri(value: str) -> str:
    """Check that ``value`` is an absolute URI, and keep it exactly as it was sent."""
    AnyUrl(value)
    return value


def _email_address(value: str) -> str:
    """Check the syntax of an email address (no DNS lookups) and keep it as it was sent."""
    try:
        validate_email(value, check_deliverability=False, test_environment=True)
    except EmailNotValidError as exc:
        raise ValueError(f"is not a valid email address: {exc}") from exc
    return value


def _unique(values: list[T]) -> list[T]:
    """Refuse lists that hold the same value twice (``uniqueItems`` in the contract)."""
    seen: list[T] = []
    for value in values:
        if value in seen:
            raise ValueError(f"must not hold {value!r} twice")
        seen.append(value)
    return values


Integer = Annotated[int, BeforeValidator(_whole_number), Strict()]
Text = Annotated[str, AfterValidator(_storable_text)]
Uri = Annotated[Text, AfterValidator(_absolute_uri)]
Email = Annotated[Text, AfterValidator(_email_address)]
UniqueList = Annotated[list[T], AfterValidator(_unique)]
