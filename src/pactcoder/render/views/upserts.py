"""The generated tests of upserts (``tests/test_upserts.py``), decided.

``upsert_cases(view)`` gives one :class:`UpsertCase` per implemented upsert: the body it
sends (a record's sample, cut to the fields the operation reads), where the key goes (the
path, or the body), and what a second write of the same key answers.

Example::

    [(case.endpoint.function, case.upsert.existing) for case in upsert_cases(view)]
    # [('put_tag', 'update')]
"""

from __future__ import annotations

from dataclasses import dataclass

from pactcoder.ir.model import Endpoint, Kind, Upsert
from pactcoder.render.views.cases import ServiceView
from pactcoder.render.views.plans import TestPlan
from pactcoder.render.views.resource import ResourceView


@dataclass
class UpsertCase:
    """What the tests of one upsert send and expect."""

    resource: ResourceView
    endpoint: Endpoint
    upsert: Upsert
    #: Python source of a new sample record (a dict) to cut a body from.
    sample: str
    #: JSON names of the fields the body may have.
    fields: list[str]
    #: The fields written but never answered (write-only).
    hidden: list[str]
    #: The path parameter naming the record, or None when the body does.
    path_alias: str | None

    @property
    def function(self) -> str:
        return self.endpoint.function

    @property
    def url(self) -> str:
        """Python source of the request's URL (from ``key``, when the path names it)."""
        path = repr(self.endpoint.path)
        if self.path_alias is None:
            return f"PREFIX + {path}"
        return f"PREFIX + {path}.format(**{{{self.path_alias!r}: key}})"

    @property
    def keyed(self) -> str:
        """``key = `` where the URL uses the key, else nothing."""
        return "key = " if self.path_alias is not None else ""

    def answer(self, response: str) -> str:
        return TestPlan.body_of(self.endpoint, response)


def upsert_cases(view: ServiceView) -> list[UpsertCase]:
    """One case per implemented upsert whose key the tests can give."""
    cases = []
    for resource in view.resources:
        plan = TestPlan(resource)
        for endpoint in resource.endpoints:
            upsert = endpoint.upsert
            if endpoint.kind is not Kind.UPSERT or not endpoint.implemented or upsert is None:
                continue
            fields = plan.all_request_fields(endpoint)
            if upsert.api_name not in fields or not plan.has_factory:
                continue  # the key is not in the body: no sample gives one
            noun = resource.noun.singular
            sample = f"records.{noun}_payload()" if plan.creatable else f"records.{noun}_record()"
            key = resource.id_param(endpoint) if upsert.path_param else None
            cases.append(
                UpsertCase(
                    resource=resource,
                    endpoint=endpoint,
                    upsert=upsert,
                    sample=sample,
                    fields=fields,
                    hidden=plan.hidden_fields,
                    path_alias=key.alias if key is not None else None,
                )
            )
    return cases
