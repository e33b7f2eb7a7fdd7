"""Bounds on what reading a contract may cost: a contract is input, not trusted.

Every limit has a default generous enough for large real contracts (the
biggest third-party contract we build is under 1 MB, ~300 operations) and an
environment variable to raise it. A contract over a limit is refused with a
located error that names the variable, never by running out of memory or time.

=====================  =====================================  ==========
limit                  environment variable                   default
=====================  =====================================  ==========
one file's size        ``PACTCODER_MAX_FILE_SIZE``            16M
all files together     ``PACTCODER_MAX_TOTAL_SIZE``           64M
files under docs/      ``PACTCODER_MAX_FILES``                5000
YAML alias expansion   ``PACTCODER_MAX_ALIAS_NODES``          100000
nesting depth          ``PACTCODER_MAX_DEPTH``                64
``$ref`` chain length  ``PACTCODER_MAX_REF_CHAIN``            32
operations             ``PACTCODER_MAX_OPERATIONS``           5000
schemas                ``PACTCODER_MAX_SCHEMAS``              10000
=====================  =====================================  ==========

Sizes take a ``K``, ``M`` or ``G`` suffix (powers of 1024).

Example::

    limits = Limits.from_env()             # the defaults, raised by the environment
    load_contract(project, limits=Limits(depth=200))
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace

from pactcoder.problems import PactcoderError

__all__ = ["Limits", "LimitsError"]

_UNITS = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3}
_NUMBER = re.compile(r"^\s*([0-9][0-9_]*)\s*([KMG]?)(?:I?B)?\s*$", re.IGNORECASE)


class LimitsError(PactcoderError):
    """A limit set in the environment is not a number."""


@dataclass(frozen=True)
class Limits:
    """How much one load may read and build (see the module docstring for the variables)."""

    file_size: int = 16 * 1024**2
    total_size: int = 64 * 1024**2
    files: int = 5000
    alias_nodes: int = 100_000
    depth: int = 64
    ref_chain: int = 32
    operations: int = 5000
    schemas: int = 10_000

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Limits:
        """The defaults, with any ``PACTCODER_MAX_*`` variable set in ``environ`` applied."""
        environ = os.environ if environ is None else environ
        changes: dict[str, int] = {}
        for item in fields(cls):
            name = env_name(item.name)
            raw = environ.get(name)
            if raw is None or not raw.strip():
                continue
            match = _NUMBER.match(raw)
            if not match or int(match[1].replace("_", "")) <= 0:
                raise LimitsError(
                    f"{name}={raw!r} is not a positive whole number"
                    " (sizes may end in K, M or G, e.g. 32M)"
                )
            changes[item.name] = int(match[1].replace("_", "")) * _UNITS[match[2].upper()]
        return replace(cls(), **changes)


def env_name(limit: str) -> str:
    """The environment variable that raises ``limit`` (a field name of :class:`Limits`)."""
    return f"PACTCODER_MAX_{limit.upper()}"


def raise_hint(limit: str, value: int) -> str:
    """The end of a hint: how to raise ``limit`` above its current ``value``."""
    return f"or, if this is intended, raise the limit ({value}) with {env_name(limit)}"
