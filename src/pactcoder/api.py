"""Deprecated: the library's steps are :mod:`pactcoder.steps` (``check``, ``build``,
``verify``), named so as not to be taken for a generated service's ``app/api/``.

This alias only keeps code written against the old name working while it moves;
import from :mod:`pactcoder.steps` (or ``import pactcoder``). Example::

    from pactcoder.steps import build
"""

from __future__ import annotations

from pactcoder.steps import (
    DEFAULT_OUTPUT,
    BuildResult,
    build,
    check,
    generate,
    pending_changes,
    verify,
)

__all__ = [
    "DEFAULT_OUTPUT",
    "BuildResult",
    "build",
    "check",
    "generate",
    "pending_changes",
    "verify",
]
