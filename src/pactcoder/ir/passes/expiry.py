"""Pass 9c: which field, if any, is the time past which a resource's records are gone.

A date-time property named ``expiresAt`` (``expires_at``, ``expiry``, ``expirationDate``,
``validUntil``, ...) is the records' expiry, unless its x-pact says ``expiry: false``;
x-pact ``expiry: true`` says it of a property named otherwise. What is decided:
``Resource.expiry`` (:class:`~pactcoder.ir.behaviour.Expiry`), noted on the column.

Example::

    expiries(env, resources)
    resources.records["invite"].expiry.column   # "expires_at"
    live_samples(resources)                     # after the examples pass
"""

from __future__ import annotations

from pactcoder.ir.model import Column, Confidence, Expiry, Inference, Resource
from pactcoder.ir.names import snake
from pactcoder.ir.passes.env import Env
from pactcoder.ir.passes.resources import Resources
from pactcoder.ir.schemas import flatten, property_pact, unwrap
from pactcoder.ir.types import PyType

#: Names of an expiry time, in snake case.
EXPIRY_NAMES = {
    "expires_at",
    "expire_at",
    "expires",
    "expiry",
    "expiry_date",
    "expiry_time",
    "expires_on",
    "expiration",
    "expiration_date",
    "expiration_time",
    "valid_until",
}
_WHAT = (
    "expiry: past it, records are hidden from lists and reads, refused to writes, and"
    " deleted by the periodic clean-up"
)


def expiries(env: Env, found: Resources) -> None:
    """Sets ``expiry`` on each resource whose records expire."""
    for name, resource in found.records.items():
        schema = found.schema_of.get(name)
        properties = flatten(unwrap(schema)[0]).properties if schema is not None else {}
        chosen: tuple[Column, str] | None = None
        for column in resource.table.columns:
            prop = properties.get(column.api_name)
            said = property_pact(prop).expiry if prop is not None else None
            named = snake(column.api_name) in EXPIRY_NAMES
            if said is False or not (said or named):
                continue
            if column.python_type is not PyType.DATETIME:
                if said:
                    env.problems.error(
                        f"x-pact expiry on {resource.schema_name}.{column.api_name}, which is"
                        " not a date-time",
                        hint="an expiry is a string of format date-time",
                        at=column.location,
                    )
                continue
            if chosen is None or (said and chosen[1] != "x-pact expiry"):
                how = "x-pact expiry" if said else f"its name, '{column.api_name}'"
                chosen = (column, how)
        if chosen is not None:
            _expires(resource, *chosen)


def _expires(resource: Resource, column: Column, how: str) -> None:
    resource.expiry = Expiry(column.attr, column.api_name, f"from {how}")
    column.notes.append(f"{_WHAT} (from {how})")
    if how != "x-pact expiry":
        evidence = f"a date-time named {column.api_name}"
        column.inferences.append(Inference("the records' expiry", evidence, Confidence.medium))


#: The expiry of sample records: far enough ahead that the generated tests see them.
FUTURE = "2999-01-01T00:00:00Z"


def live_samples(found: Resources) -> None:
    """Sample records (payloads, seeds) of expiring resources expire in the far future:
    the generated tests must see what they make (a sample time may be in the past)."""
    for resource in found.records.values():
        if resource.expiry is None:
            continue
        for sample in [*resource.payloads, *resource.seeds]:
            if isinstance(sample, dict) and resource.expiry.api_name in sample:
                sample[resource.expiry.api_name] = FUTURE
