"""Where each part of the assembled contract came from.

The contract pactcoder works on is assembled from several files (a root
document, schema files it references, Markdown blocks, overlays). A
:class:`SourceMap` records *mounts*: "the subtree at this path of the
assembled document was copied from that path of that source". Looking a path
up finds the longest mount above it and asks that source for the position.

Example::

    smap = SourceMap()
    smap.mount((), root_source, ())
    smap.mount(("components", "schemas", "Order"), order_file, ("Order",))
    smap.locate(("components", "schemas", "Order", "properties"))  # a place in order_file
"""

from __future__ import annotations

from pactcoder.load.source import Path_, Source
from pactcoder.problems import Location


class SourceMap:
    """Maps paths of the assembled document back to file, line and column."""

    def __init__(self) -> None:
        self._mounts: dict[Path_, tuple[Source, Path_]] = {}

    def mount(self, at: Path_, source: Source, source_path: Path_) -> None:
        """Record that the subtree at ``at`` was copied from ``source_path`` in ``source``."""
        self._mounts[tuple(at)] = (source, tuple(source_path))

    def is_mounted(self, path: Path_) -> bool:
        """Whether a mount was recorded at exactly ``path``."""
        return tuple(path) in self._mounts

    def locate(self, path: Path_) -> Location | None:
        """The location in its source file of the node at ``path``, if known."""
        path = tuple(path)
        for cut in range(len(path), -1, -1):
            found = self._mounts.get(path[:cut])
            if found:
                source, source_path = found
                return source.location((*source_path, *path[cut:]))
        return None

    @property
    def files(self) -> list[str]:
        """Labels of every source that contributed, in a stable order."""
        return sorted({source.label for source, _ in self._mounts.values()})
