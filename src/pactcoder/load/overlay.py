"""Apply OpenAPI Overlay 1.0 documents to the assembled contract.

Each action selects nodes with an RFC 9535 JSONPath ``target`` and either
removes them (``remove: true``) or merges ``update`` into them: objects merge
key by key recursively, arrays are appended to, anything else is replaced.
Actions run in order, overlays in file order. A target that selects nothing
is an error: an overlay that silently does nothing hides a typo.

Example::

    apply_overlay(document, overlay_source, smap, problems)
"""

from __future__ import annotations

from typing import Any

import jsonpath_rfc9535 as jsonpath

from pactcoder.load.source import Path_, Source
from pactcoder.load.sourcemap import SourceMap
from pactcoder.problems import Problems

_OVERLAY_KEYS = {"overlay", "info", "extends", "actions"}


def apply_overlay(
    document: dict[str, Any], overlay: Source, smap: SourceMap, problems: Problems
) -> None:
    """Apply every action of ``overlay`` to ``document`` in place, recording problems."""
    data = overlay.data
    version = str(data.get("overlay", ""))
    if not version.startswith("1.0"):
        problems.error(
            f"overlay version '{version}' is not supported",
            hint="write 'overlay: 1.0.0'; pactcoder applies Overlay 1.0 documents",
            at=overlay.location(("overlay",)),
        )
        return
    for key in data:
        if key not in _OVERLAY_KEYS and not key.startswith("x-"):
            problems.error(
                f"unknown overlay field '{key}'",
                hint="an overlay holds only overlay, info, extends and actions",
                at=overlay.location((key,)),
            )
    actions = data.get("actions")
    if not isinstance(actions, list) or not actions:
        problems.error(
            "overlay has no actions",
            hint="add an 'actions' list with at least one {target, update|remove}",
            at=overlay.location(("actions",)),
        )
        return
    for index, action in enumerate(actions):
        _apply_action(document, overlay, ("actions", index), action, smap, problems)


def _apply_action(
    document: dict[str, Any],
    overlay: Source,
    apath: Path_,
    action: Any,
    smap: SourceMap,
    problems: Problems,
) -> None:
    at = overlay.location(apath)
    if not isinstance(action, dict) or not isinstance(action.get("target"), str):
        problems.error(
            "overlay action has no 'target'",
            hint="give each action a JSONPath target such as \"$.paths['/pets'].get\"",
            at=at,
        )
        return
    target = action["target"]
    try:
        nodes = jsonpath.find(target, document)
    except jsonpath.JSONPathError as exc:
        problems.error(
            f"overlay target '{target}' is not valid JSONPath: {exc}",
            hint="write the target in RFC 9535 JSONPath, starting with '$'; a key with '/'"
            " or '{' in it needs brackets and quotes: $.paths['/pets/{id}'].get",
            at=overlay.location((*apath, "target")),
        )
        return
    if not nodes:
        problems.error(
            f"overlay target '{target}' matches nothing in the contract",
            hint="check the path against the contract (keys are case-sensitive; path keys"
            " need brackets: $.paths['/pets'])",
            at=overlay.location((*apath, "target")),
        )
        return
    if "update" in action and not _only_internal_refs(
        action["update"], overlay, (*apath, "update"), problems
    ):
        return
    remove = action.get("remove") is True
    if not remove and "update" not in action:
        problems.error(
            "overlay action has neither 'update' nor 'remove: true'",
            hint="add the object to merge under 'update', or 'remove: true'",
            at=at,
        )
        return
    # Deepest first, and last index first, so removing one node never shifts another.
    for node in sorted(nodes, key=lambda n: list(map(_sort_key, n.location)), reverse=True):
        location = tuple(node.location)
        if remove:
            _remove(document, location)
        else:
            _update(document, location, action["update"], overlay, (*apath, "update"), smap)


def _sort_key(part: str | int) -> tuple[int, str | int]:
    return (0, part) if isinstance(part, int) else (1, part)


def _parent(document: Any, location: tuple[str | int, ...]) -> Any:
    node = document
    for part in location[:-1]:
        node = node[part]
    return node


def _remove(document: dict[str, Any], location: tuple[str | int, ...]) -> None:
    if location:
        del _parent(document, location)[location[-1]]


def _update(
    document: dict[str, Any],
    location: tuple[str | int, ...],
    update: Any,
    overlay: Source,
    upath: Path_,
    smap: SourceMap,
) -> None:
    current = _parent(document, location)[location[-1]] if location else document
    merged = _merge(current, update, location, overlay, upath, smap)
    if location:
        _parent(document, location)[location[-1]] = merged
    elif isinstance(merged, dict) and merged is not document:  # `$` is merged in place
        document.clear()
        document.update(merged)


def _merge(
    current: Any, update: Any, at: Path_, overlay: Source, upath: Path_, smap: SourceMap
) -> Any:
    if isinstance(current, dict) and isinstance(update, dict):
        for key, value in update.items():
            if key in current:
                current[key] = _merge(current[key], value, (*at, key), overlay, (*upath, key), smap)
            else:
                current[key] = _copy(value)
                smap.mount((*at, key), overlay, (*upath, key))
        return current
    if isinstance(current, list):
        additions = update if isinstance(update, list) else [update]
        for offset in range(len(additions)):
            smap.mount((*at, len(current) + offset), overlay, (*upath, offset))
        return current + [_copy(v) for v in additions]
    smap.mount(at, overlay, upath)
    return _copy(update)


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def _only_internal_refs(value: Any, overlay: Source, upath: Path_, problems: Problems) -> bool:
    """Whether every ``$ref`` in an update is internal; a problem for each that is not.

    Overlays are applied after the contract's files are joined, so a ``$ref`` to
    another file in an update would never be read (nor checked to be inside docs/).
    """
    ok = True
    stack: list[tuple[Path_, Any]] = [(upath, value)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and not ref.startswith("#"):
                ok = False
                problems.error(
                    f"$ref '{ref}' in an overlay names another file; overlays may only refer"
                    " inside the contract",
                    hint="move the referenced object into the contract (or a file it refers"
                    " to) and write '#/components/...' here",
                    at=overlay.location((*path, "$ref")),
                )
            stack.extend(
                ((*path, k), v)
                for k, v in node.items()
                if not str(k).startswith("x-") and k not in ("example", "enum", "const", "value")
            )
        elif isinstance(node, list):
            stack.extend(((*path, i), v) for i, v in enumerate(node))
    return ok
