"""Deterministic sample values that satisfy a schema, for the generated tests.

``SampleMaker().value(schema, n)`` gives the n-th sample: the same ``n``
always gives the same value, different ``n`` give different values where the
schema allows (so that unique fields stay unique across test rows). The
contract's own ``example`` is used for ``n == 0`` when it is valid for the
constraints we can check. Request direction: ``readOnly`` properties are left
out.

Example::

    SampleMaker().value(Schema(pointer="", type="string", format="email"), 2)
    # "user2@example.com"
"""

from __future__ import annotations

import base64
import datetime
import re
import uuid
from typing import Any

from pactcoder.ir.model import Direction
from pactcoder.ir.patterns import sample_pattern
from pactcoder.ir.schemas import choices, flatten, read_only, unwrap, write_only
from pactcoder.oas.model import Schema

_NAMESPACE = uuid.UUID("6f1c0d1e-8a53-4b3a-9a4e-2f6b7c1d9e20")


class SampleMaker:
    """Builds sample JSON values; see the module docstring."""

    direction: Direction = Direction.REQUEST

    def value(
        self,
        schema: Schema,
        n: int,
        _depth: int = 0,
        *,
        direction: Direction = Direction.REQUEST,
    ) -> Any:
        """The n-th sample of ``schema``; REQUEST leaves readOnly properties out."""
        self.direction = direction
        target, traits = unwrap(schema)
        if n == 0 and traits.has_example and self._fits(target, traits.example):
            return traits.example
        if target.has_const:
            return target.const
        if target.enum:
            return target.enum[n % len(target.enum)]
        members = choices(target)
        if members:
            return self.value(members[0], n, _depth + 1, direction=self.direction)
        if target.type == "array" or (target.type is None and target.items is not None):
            return self._array(target, n, _depth)
        if target.type == "object" or target.properties or target.all_of:
            return self._object(target, n, _depth)
        if target.type == "integer":
            return int(self._number(target, n, integer=True))
        if target.type == "number":
            return self._number(target, n, integer=False)
        if target.type == "boolean":
            return n % 2 == 0
        if target.type == "string":
            return self._string(target, n)
        return f"value-{n}"

    def _fits(self, target: Schema, example: Any) -> bool:
        if target.type == "string":
            if not isinstance(example, str):
                return False
            if target.pattern and not re.search(target.pattern, example):
                return False
            if target.min_length is not None and len(example) < target.min_length:
                return False
            return target.max_length is None or len(example) <= target.max_length
        if target.type in ("integer", "number"):
            return isinstance(example, int | float) and not isinstance(example, bool)
        if target.type == "boolean":
            return isinstance(example, bool)
        return False  # objects and arrays are built field by field

    def _object(self, target: Schema, n: int, depth: int) -> dict[str, Any]:
        shape = flatten(target)
        result: dict[str, Any] = {}
        for name, prop in shape.properties.items():
            if read_only(prop) and self.direction is Direction.REQUEST:
                continue
            if write_only(prop) and self.direction is Direction.RESPONSE:
                continue
            if depth > 3 and name not in shape.required:
                continue
            result[name] = self.value(prop, n, depth + 1, direction=self.direction)
        return result

    def _array(self, target: Schema, n: int, depth: int) -> list[Any]:
        if target.items is None:
            return []
        count = max(target.min_items or 0, 1)
        if target.max_items is not None:
            count = min(count, target.max_items)
        values: list[Any] = []
        for i in range(count * 5):
            if len(values) == count:
                break
            candidate = self.value(target.items, n + i, depth + 1, direction=self.direction)
            if candidate not in values:
                values.append(candidate)
        return values

    @staticmethod
    def _number(target: Schema, n: int, *, integer: bool) -> float:
        low = target.minimum if target.minimum is not None else None
        if target.exclusive_minimum is not None:
            low = target.exclusive_minimum + (1 if integer else 0.5)
        high = target.maximum
        if target.exclusive_maximum is not None:
            high = target.exclusive_maximum - (1 if integer else 0.5)
        start = low if low is not None else (high - 10 if high is not None else 1)
        value = start + n
        if high is not None and value > high:
            value = high - (n % max(int(high - start) + 1, 1)) if high > start else high
        step = target.multiple_of
        if step:
            value = (int(value / step) + (1 if low is not None and value / step % 1 else 0)) * step
            value = round(value, 10)
        return int(value) if integer else float(value)

    def _string(self, target: Schema, n: int) -> str:
        fmt = (target.format or "").lower()
        if fmt == "date-time":
            moment = datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC) + datetime.timedelta(days=n)
            return moment.isoformat().replace("+00:00", "Z")
        if fmt == "date":
            return (datetime.date(2030, 1, 1) + datetime.timedelta(days=n)).isoformat()
        if fmt == "uuid":
            return str(uuid.uuid5(_NAMESPACE, f"sample-{n}"))
        if fmt == "email":
            return f"user{n}@example.com"
        if fmt in ("uri", "url"):
            return f"https://example.com/items/{n}"
        if fmt == "byte":  # base64, as the format says
            return base64.b64encode(f"sample {n}".encode()).decode()
        if target.pattern:
            return self._from_pattern(target, n)
        low = target.min_length or 1
        high = target.max_length or max(low, 24)
        text = f"sample {n}"
        if len(text) < low:
            text = text + "x" * (low - len(text))
        return text[:high]

    @staticmethod
    def _from_pattern(target: Schema, n: int) -> str:
        assert target.pattern is not None
        low = target.min_length or 0
        high = target.max_length
        candidate = ""
        for attempt in range(50):
            candidate = sample_pattern(target.pattern, n * 101 + attempt)
            fits = len(candidate) >= low and (high is None or len(candidate) <= high)
            if fits and re.search(target.pattern, candidate):
                return candidate
        return candidate
