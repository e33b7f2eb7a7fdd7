"""The generated tests of counters (``tests/test_counters.py``), decided.

``counter_cases(view)`` gives one :class:`CounterCase` per counter operation: a change
within the bounds, a refusal past each bound the operation can reach, and a burst of
concurrent changes of which exactly as many succeed as the bound leaves room for.

Example::

    [case.function for case in counter_cases(view)]   # ['adjust_stock', 'take_stock']
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pactcoder.ir.model import Counter, Endpoint, Kind
from pactcoder.render.views.cases import ServiceView
from pactcoder.render.views.resource import ResourceView

#: Values a counter starts from when it has no bound on that side.
_FAR = 1000


@dataclass
class CounterCase:
    """What the tests of one counter operation send and expect."""

    endpoint: Endpoint
    resource: ResourceView
    counter: Counter
    #: ``, json=...``: what ``client.post`` sends besides the URL (a format with ``{raw}``).
    send: str
    #: (start, raw value sent, the value after) of a change within the bounds.
    change: tuple[int, int, int]
    #: (bound's name, start, raw value sent) of each reachable bound.
    refusals: list[tuple[str, int, int]] = field(default_factory=list)
    #: (start, raw, requests, how many succeed, the value after) of concurrent changes.
    burst: tuple[int, int, int, int, int] | None = None

    @property
    def function(self) -> str:
        return self.endpoint.function

    def post(self, raw: int) -> str:
        return self.send.format(raw=raw)


def counter_cases(view: ServiceView) -> list[CounterCase]:
    """One case per implemented counter operation whose bounds let a test reach them."""
    cases = []
    for resource in view.resources:
        for endpoint in resource.endpoints:
            if endpoint.kind is Kind.COUNTER and endpoint.implemented and endpoint.counter:
                case = _case(resource, endpoint, endpoint.counter)
                if case is not None:
                    cases.append(case)
    return cases


def _raw(counter: Counter, effect: int) -> int | None:
    """The value to send for a change of ``effect`` (+1 or -1), or None if none can."""
    if counter.by is None:
        return effect if counter.step == effect else None
    raw = effect * counter.sign
    low, high = counter.by_range
    return None if (low is not None and raw < low) or (high is not None and raw > high) else raw


def _case(resource: ResourceView, endpoint: Endpoint, counter: Counter) -> CounterCase | None:
    low, high = counter.minimum, counter.maximum
    send = f", json={{{{{counter.by_name!r}: {{raw}}}}}}" if counter.by_name else ""
    effects = [e for e in (1, -1) if _raw(counter, e) is not None]
    if counter.by is None and counter.step is not None:
        effects = [counter.step]
    if not effects:
        return None
    effect = effects[0]
    step = counter.step if counter.by is None and counter.step is not None else effect
    room = min(10, (high - low) // abs(step)) if low is not None and high is not None else 10
    start = (low if low is not None else 0) + room * abs(step) if step < 0 else 0
    if step > 0:
        start = (high - room * abs(step)) if high is not None else 0
    raw = counter.step if counter.by is None else _raw(counter, effect)
    assert raw is not None
    case = CounterCase(endpoint, resource, counter, send, (start, raw, start + step))
    for name, bound, toward in (("minimum", low, -1), ("maximum", high, 1)):
        sent = _raw(counter, toward) if counter.by is not None else counter.step
        if bound is None or sent is None or (counter.by is None and toward * step < 0):
            continue
        case.refusals.append((name, bound, sent))
    bound = high if step > 0 else low
    if bound is not None and room > 0:
        case.burst = (start, raw, 2 * room, room, bound)
    return case
