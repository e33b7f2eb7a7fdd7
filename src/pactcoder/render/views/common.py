"""What several views share: the names an annotation uses, small records of output files."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pactcoder.ir.model import (
    ApiModel,
)

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def names_in(annotation: str | None) -> set[str]:
    return set(_NAME.findall(annotation or ""))


@dataclass
class SchemaModule:
    """One ``app/schemas/<name>.py``: its models and what it imports from siblings."""

    name: str
    models: list[ApiModel]
    imports: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class CaseView:
    """One request a generated test makes: the operation, method, URL and body."""

    operation_id: str
    method: str
    url: str
    body: Any
