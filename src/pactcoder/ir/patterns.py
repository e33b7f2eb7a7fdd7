"""Strings that match a regular expression, deterministically (for samples and decimals).

Both :mod:`.schemas` (is a pattern a fixed-point decimal?) and :mod:`.samples`
(a sample value for a ``pattern``) need it, so it lives below both.

Example::

    sample_pattern(r"^[0-9]+\\.[0-9]{2}$", 3)   # a decimal with two places; same seed, same string
"""

from __future__ import annotations

import random

from rstr.xeger import Xeger


class _ShortXeger(Xeger):
    """rstr's regex sampler, with ``*`` and ``+`` repeating a few times rather than 100."""

    def _handle_repeat(self, start_range: int, end_range: int, value: str) -> str:
        return str(super()._handle_repeat(start_range, min(end_range, start_range + 4), value))


def sample_pattern(pattern: str, seed: int) -> str:
    """A string matching ``pattern``, the same for the same seed."""
    return str(_ShortXeger(random.Random(seed)).xeger(pattern))
