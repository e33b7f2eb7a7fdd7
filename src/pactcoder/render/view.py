"""The views of the render stage, under their old import path.

They live in :mod:`pactcoder.render.views` (one module per part of the output);
``migrate.py`` still imports ``ServiceView`` and ``docwrap`` from here.
"""

from __future__ import annotations

from pactcoder.render.spell import docwrap
from pactcoder.render.views import ResourceView, ServiceView

__all__ = ["ResourceView", "ServiceView", "docwrap"]
