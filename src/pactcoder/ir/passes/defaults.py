"""Pass 12b: the empty value of a field the server must make and nothing in the contract sets.

A property the responses require, that no request sends, with no default and not
nullable, has no source: a create could only fail. Where its type has an empty value
that its schema admits ('', 0, false, [], {}; a const or a one-value enum's value), the
column starts with it, and the choice is an :class:`~pactcoder.ir.model.Inference` that
``pactcoder check`` shows with its evidence. Never for what names or refers to a record
(keys, ``…Id`` fields, foreign keys) nor for secrets and tokens, where an empty value
would be a lie: those stay unknown, and the operations that create the record are
reported as not implementable. Nor for a record whose answer holds nothing a client
sends (as the answer of ``POST /quotes``, computed from the request): that is a
computed answer, not a record, and filling it with empty values would answer zeros
where the contract means a formula.

Runs after every pass that can give such a field a source (slugs, tokens, state
machines, references, rules).

Example::

    inferred_defaults(found)
    column.source, column.default      # Source.DEFAULT, Default("")
"""

from __future__ import annotations

from pactcoder.ir.model import Column, Confidence, Inference, Source
from pactcoder.ir.names import words
from pactcoder.ir.passes.resources import Resources
from pactcoder.ir.types import PyType

#: Last words of a field's name that say it names, refers to or guards something.
_NEVER_EMPTY = {"id", "ids", "uuid", "guid", "key", "token", "secret", "password", "hash"}


def inferred_defaults(found: Resources) -> None:
    """Gives each column still of unknown source its empty value, where that is honest."""
    nouns = [[w.lower() for w in words(name)] for name in found.records]
    for resource in found.records.values():
        shown = [c for c in resource.table.columns if c.exposed and not c.primary_key]
        if shown and not any(c.source is Source.CLIENT for c in shown):
            continue  # nothing a client sends is answered: a computed answer (see above)
        for table in [resource.table, *(c.table for c in resource.table.children)]:
            for column in table.columns:
                if column.source is Source.UNKNOWN:
                    _own_uuid(column, nouns)
                if column.source is Source.UNKNOWN:
                    _infer(column)


def _own_uuid(column: Column, nouns: list[list[str]]) -> None:
    """A uuid the record answers and nobody sends, named as an identifier (``uuid``,
    ``lago_id``) but not after another record (``lago_customer_id``): its own second
    identifier, made by the service (``uuid4``) and unique."""
    if column.python_type is not PyType.UUID or column.foreign_key or column.references:
        return
    name = [w.lower() for w in words(column.api_name)]
    if not name or name[-1] not in ("id", "uuid", "guid"):
        return
    rest = name[:-1]
    if any(_contains(rest, noun) for noun in nouns if noun):
        return  # names another record: a reference nothing says how to fill
    column.source = Source.ID
    column.nullable = False
    column.unique = True
    column.notes = [n for n in column.notes if "does not say how" not in n]
    column.notes.append("a uuid made by the service when the row is created; unique (inferred)")
    column.inferences.append(
        Inference(
            "a uuid made by the service",
            "required in responses, sent by no request, a uuid named as an identifier"
            " and after no other record",
            Confidence.medium,
        )
    )


def _contains(seq: list[str], part: list[str]) -> bool:
    return any(seq[i : i + len(part)] == part for i in range(len(seq) - len(part) + 1))


def _infer(column: Column) -> None:
    if column.empty is None or column.primary_key or column.foreign_key or column.references:
        return
    name = [w.lower() for w in words(column.api_name)]
    if not name or name[-1] in _NEVER_EMPTY:
        return
    value, what = column.empty
    fixed = what.startswith("the only value")
    column.source = Source.DEFAULT
    column.default = value
    column.nullable = False
    column.notes = [n for n in column.notes if "does not say how" not in n]
    column.notes.append(f"server-made: starts as {value.value!r} ({what}; inferred)")
    column.inferences.append(
        Inference(
            f"starts as {value.value!r}",
            f"required in responses, sent by no request, no default, not nullable: {what}",
            Confidence.high if fixed else Confidence.medium,
        )
    )
