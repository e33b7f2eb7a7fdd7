"""The generated tests of tokens the service makes (``tests/test_tokens.py``) and of
append-only records (``tests/test_appended.py``), decided.

``token_cases(view)`` gives one :class:`TokenCase` per token or short code of a resource
a top-level create makes: what the create sends, the pattern every token matches, and
tokens of that pattern the tests draw in place of random ones (one taken already, then a
free one; each offered twice to requests running at the same time).

``appended(view)`` gives one case per append-only resource a create makes.

Example::

    [(case.resource.noun.singular, case.column.api_name) for case in token_cases(view)]
    # [('link', 'code')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pactcoder.ir.model import Column, Endpoint, Kind, Minted
from pactcoder.render.views.cases import ServiceView
from pactcoder.render.views.plans import TestPlan
from pactcoder.render.views.resource import ResourceView

#: Requests the concurrent test sends at once.
AT_ONCE = 6


@dataclass
class TokenCase:
    """What the tests of one token of one resource send and expect."""

    resource: ResourceView
    endpoint: Endpoint
    column: Column
    #: ``, json=payload``: what ``client.post(url ...)`` sends besides the URL; "" for none.
    send: str
    #: The Python source of one request's body, or None when the create takes none.
    payload: str | None
    #: A regular expression every token matches.
    pattern: str
    #: Tokens of the pattern, distinct: the tests draw these.
    samples: list[str]

    def answer(self, response: str = "response") -> str:
        """The token a response (the variable ``response``) answers: ``response.json()["code"]``."""
        return f"{TestPlan.body_of(self.endpoint, response)}[{self.column.api_name!r}]"

    @property
    def function(self) -> str:
        return f"{self.endpoint.function}_{self.column.attr}"


def token_cases(view: ServiceView) -> list[TokenCase]:
    """One case per minted column of a resource made by an implemented create with no
    parent in its path (the tests make records of it one after another and at once)."""
    cases = []
    for resource in view.resources:
        plan = TestPlan(resource)
        create = plan.create
        if create is None or plan.create_parents or create.kind is not Kind.CREATE:
            continue
        bodiless = create.request_model is None
        if not bodiless and not plan.creatable:
            continue
        for column in resource.table.columns:
            if column.minted is None or not column.exposed:
                continue
            cases.append(
                TokenCase(
                    resource=resource,
                    endpoint=create,
                    column=column,
                    send="" if bodiless else ", " + plan.body(create, "payload"),
                    payload=None if bodiless else f"records.{resource.noun.singular}_payload()",
                    pattern=_pattern(column.minted),
                    samples=_samples(column.minted, 2 * AT_ONCE + 2),
                )
            )
    return cases


def appended(view: ServiceView) -> list[TokenCase]:
    """One case per append-only resource a top-level create with a body makes (its
    ``column`` is the key): two creates of one body make two records."""
    cases = []
    for resource in view.resources:
        plan = TestPlan(resource)
        create = plan.create
        if not resource.resource.append_only or create is None or plan.create_parents:
            continue
        if create.request_model is None or not plan.creatable:
            continue
        cases.append(
            TokenCase(
                resource=resource,
                endpoint=create,
                column=resource.key,
                send=", " + plan.body(create, "payload"),
                payload=f"records.{resource.noun.singular}_payload()",
                pattern="",
                samples=[],
            )
        )
    return cases


def _pattern(minted: Minted) -> str:
    return f"[{re.escape(minted.alphabet)}]{{{minted.length}}}"


def _samples(minted: Minted, count: int) -> list[str]:
    """``count`` distinct tokens: the numbers from 1 written in the alphabet's digits."""
    alphabet, base = minted.alphabet, len(minted.alphabet)
    made = []
    for number in range(1, count + 1):
        digits = []
        for _ in range(minted.length):
            number, digit = divmod(number, base)
            digits.append(alphabet[digit])
        made.append("".join(reversed(digits)))
    return made
