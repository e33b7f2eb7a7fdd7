"""The one exception a tool raises: what went wrong, worded for the model.

A :class:`ToolError` never stops the run; the toolbox returns its message to
the model as an error result so that it can correct the call.

Example::

    raise ToolError("old_string was not found in app/main.py; read the file and copy it exactly")
"""

from __future__ import annotations

__all__ = ["ToolError"]


class ToolError(Exception):
    """A tool call failed in a way the model can fix: the message says how."""
