"""The generated tests of expiring records (``tests/test_expiry.py``), decided.

``expiry_cases(view)`` gives one :class:`ExpiryCase` per resource whose records expire:
the list, read and delete it can ask about an expired record, and the status each must
answer (404, or 410 where the operation declares it).

Example::

    [case.resource.noun.singular for case in expiry_cases(view)]   # ['silence']
"""

from __future__ import annotations

from dataclasses import dataclass

from pactcoder.ir.model import ONE_RECORD_KINDS, Endpoint, Expiry, Kind, answered_status
from pactcoder.render.views.cases import ServiceView
from pactcoder.render.views.resource import ResourceView


@dataclass
class ExpiryCase:
    """What the tests of one expiring resource ask, and the statuses they expect."""

    resource: ResourceView
    expiry: Expiry
    listing: Endpoint | None
    #: (endpoint, the status an expired record gets) of its read and its delete.
    refusals: list[tuple[Endpoint, int]]


def expiry_cases(view: ServiceView) -> list[ExpiryCase]:
    cases = []
    for resource in view.resources:
        expiry = resource.resource.expiry
        if expiry is None or not view.test_plan(resource).has_factory:
            continue
        listing = next(
            (
                e
                for e in resource.list_endpoints
                if "{" not in e.path and not e.request_model and e.envelope
            ),
            None,
        )
        refusals = [
            (e, _status(e))
            for e in resource.endpoints
            if e.implemented and e.kind in (Kind.READ, Kind.DELETE) and e.param("id") is not None
        ]
        cases.append(ExpiryCase(resource, expiry, listing, refusals))
    return cases


def _status(endpoint: Endpoint) -> int:
    """410 where the operation declares it, else 404 (or the status standing for it)."""
    declared = {str(code) for code in endpoint.responses}
    return 410 if 410 in endpoint.responses else answered_status(404, declared)


def answers_gone(resource: ResourceView, endpoint: Endpoint) -> bool:
    """Whether an expired record is answered 410: its records expire, the operation finds
    one record and declares 410."""
    expiring = resource.resource.expiry is not None and endpoint.kind in ONE_RECORD_KINDS
    return expiring and 410 in endpoint.responses
