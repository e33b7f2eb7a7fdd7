"""A record's life cycle, from its actions and what the Markdown says of its states.

An action endpoint (``POST /tickets/{ticketId}/close``) on a record whose
``status`` is an enum is a transition of a state machine: this module drafts
the ``x-pact: states`` that says so (see docs/x-pact.md), so the action is
built instead of answering 501.

- ``to``: the state the verb names (close → ``closed``, cancel → ``cancelled``,
  accept → ``accepted``, pay → ``paid``);
- ``from``: the states an arrow chain leads into it from (``open → in_progress
  → resolved → closed``), else the states a sentence about the action names
  ("Closing a ticket that is not resolved answers 409" → ``resolved``), else
  the record's initial state when the Markdown names one, else every other state;
- ``initial``: the enum's default; ``sets``: a date-time field named for the
  state or the verb (``closedAt``) is set to the time of the transition.

Example::

    machine = draft_states("status", ["open", "resolved", "closed"], "open",
                           ["close"], prose="... resolved → closed ...", times=["closedAt"])
    machine["transitions"]["close"]   # {"from": ["resolved"], "to": "closed", "sets": {...}}
"""

from __future__ import annotations

import re
from itertools import pairwise
from typing import Any

from pactcoder.draft.endpoints import sentences

__all__ = ["draft_states", "state_for"]

_IRREGULAR = {"pay": "paid", "send": "sent", "hold": "held", "begin": "begun", "sell": "sold"}
_ARROW = re.compile(r"\s*(?:\u2192|->|=>|\u21c4|<->|\u27f6)\s*")


def state_for(verb: str, states: list[str]) -> str | None:
    """The state an action verb leads to, when one of ``states`` is its past participle."""
    verb = verb.lower().replace("-", "_")
    forms = [_IRREGULAR.get(verb, ""), f"{verb}ed", f"{verb}d", f"{verb}{verb[-1:]}ed"]
    if verb.endswith("y"):
        forms.append(f"{verb[:-1]}ied")
    for state in states:
        if state.lower() in forms:
            return state
    return None


def draft_states(
    field: str,
    states: list[str],
    initial: str | None,
    verbs: list[str],
    *,
    prose: str,
    times: list[str],
) -> dict[str, Any] | None:
    """``x-pact: states`` for the actions among ``verbs`` that lead to one of ``states``."""
    edges = _edges(prose, states)
    transitions: dict[str, Any] = {}
    for verb in verbs:
        target = state_for(verb, states)
        if target is None:
            continue
        sources = sorted({a for a, b in edges if b == target and a != target}, key=states.index)
        if not sources:
            sources = _named_near(verb, target, prose, states)
        if not sources:
            sources = [initial] if initial and initial != target else []
        if not sources:
            sources = [s for s in states if s != target]
        transition: dict[str, Any] = {"from": sources, "to": target}
        stamp = _stamp(verb, target, times)
        if stamp:
            transition["sets"] = {stamp: "now"}
        transitions[verb] = transition
    if not transitions:
        return None
    machine: dict[str, Any] = {"field": field}
    if initial in states:
        machine["initial"] = initial
    machine["transitions"] = transitions
    return machine


def _edges(prose: str, states: list[str]) -> set[tuple[str, str]]:
    """``a → b ⇄ c`` chains between known states, both ways for ``⇄`` and ``<->``."""
    found: set[tuple[str, str]] = set()
    known = {s.lower(): s for s in states}
    for chain in re.finditer(r"`?\w+`?(?:\s*(?:\u2192|->|=>|\u21c4|<->|\u27f6)\s*`?\w+`?)+", prose):
        text = chain.group(0)
        names = [n.strip("`").lower() for n in _ARROW.split(text)]
        arrows = _ARROW.findall(text)
        for (a, b), arrow in zip(pairwise(names), arrows, strict=False):
            if a in known and b in known:
                found.add((known[a], known[b]))
                if arrow.strip() in ("\u21c4", "<->"):
                    found.add((known[b], known[a]))
    return found


def _named_near(verb: str, target: str, prose: str, states: list[str]) -> list[str]:
    """States named in a sentence about the action ("Closing a ticket that is not resolved")."""
    stems = (
        verb.lower(),
        f"{verb.lower()}s",
        f"{verb.lower().rstrip('e')}ing",
        f"{verb.lower()}{verb[-1:]}ing",
    )
    for sentence in sentences(prose):
        lowered = sentence.lower()
        if not any(re.search(rf"\b{re.escape(stem)}\b", lowered) for stem in stems):
            continue
        named = [s for s in states if s != target and re.search(rf"\b{re.escape(s)}\b", lowered)]
        if named:
            return named
    return []


def _stamp(verb: str, target: str, times: list[str]) -> str | None:
    """A date-time field the transition sets: ``closedAt`` for close, ``paidAt`` for pay."""
    for name in times:
        base = re.sub(r"(At|_at|On|_on)$", "", name).lower().replace("_", "")
        if base in (target.lower().replace("_", ""), verb.lower()):
            return name
    return None
