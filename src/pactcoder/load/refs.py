"""References to references in the assembled contract: cycles and over-long chains.

After bundling every ``$ref`` is internal (``#/...``). A ``$ref`` whose target
is itself only a ``$ref`` starts a chain; a chain that comes back to where it
started never reaches anything (``A: {$ref: B}``, ``B: {$ref: A}``) and sent
the validators into endless recursion. Such a cycle is reported once, located
at its first reference, listing every reference in it with its file and line.

Example::

    check_reference_chains(document, smap, problems, Limits())
"""

from __future__ import annotations

from typing import Any

from pactcoder.load.bundle import parse_pointer, resolve_pointer
from pactcoder.load.limits import Limits, raise_hint
from pactcoder.load.source import Path_
from pactcoder.load.sourcemap import SourceMap
from pactcoder.problems import Location, Problems

# Values under these keys are data, not OpenAPI objects: a "$ref" in them is not a reference.
_DATA_KEYS = {"example", "enum", "const", "value"}


def check_reference_chains(
    document: dict[str, Any], smap: SourceMap, problems: Problems, limits: Limits
) -> None:
    """Record a problem for each cycle of references to references, and each over-long chain."""
    refs = _internal_refs(document)
    # Where a chain goes next: from a reference's target to the target's own reference.
    following: dict[str, str | None] = {}
    for pointer in {p for _, p in refs}:
        found, target = resolve_pointer(document, parse_pointer(pointer))
        nxt = target.get("$ref") if found and isinstance(target, dict) else None
        following[pointer] = nxt[1:] if isinstance(nxt, str) and nxt.startswith("#") else None
    where = {_pointer_of(path): path for path, _ in refs}
    reported: set[frozenset[str]] = set()
    chain_reported = False
    for path, pointer in refs:
        chain = [pointer]
        while (nxt := following.get(chain[-1])) is not None and nxt not in chain:
            chain.append(nxt)
            if len(chain) > limits.ref_chain:
                break
        if following.get(chain[-1]) in chain:
            cycle = chain[chain.index(following[chain[-1]] or "") :]
            if frozenset(cycle) in reported:
                continue
            reported.add(frozenset(cycle))
            places = [_locate(smap, where.get(p)) or Location("") for p in cycle]
            start = places.index(min(places))  # the cycle told from its first line
            cycle, places = cycle[start:] + cycle[:start], places[start:] + places[:start]
            steps = [f"'#{following[p]}' ({at})" for p, at in zip(cycle, places, strict=True)]
            problems.error(
                "circular $ref: these references only point at each other and never reach"
                " an object: " + " -> ".join(steps),
                hint="make one of them the object itself (a schema may refer to itself"
                " inside properties or items, not be only a reference to itself)",
                at=places[0],
            )
        elif len(chain) > limits.ref_chain and not chain_reported:
            chain_reported = True
            problems.error(
                f"this $ref starts a chain of more than {limits.ref_chain} references to"
                " references",
                hint="refer to the final object directly, "
                + raise_hint("ref_chain", limits.ref_chain),
                at=_locate(smap, path),
            )


def _pointer_of(path: Path_) -> str:
    return "/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in path)


def _locate(smap: SourceMap, path: Path_ | None) -> Location | None:
    if path is None:
        return None
    return smap.locate((*path, "$ref"))


def _internal_refs(document: dict[str, Any]) -> list[tuple[Path_, str]]:
    """Every ``{"$ref": "#..."}`` object in ``document`` outside data: its path and pointer."""
    found: list[tuple[Path_, str]] = []
    stack: list[tuple[Path_, Any]] = [((), document)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#"):
                found.append((path, ref[1:]))
            stack.extend(
                ((*path, k), v)
                for k, v in node.items()
                if isinstance(k, str) and not k.startswith("x-") and k not in _DATA_KEYS
            )
        elif isinstance(node, list):
            stack.extend(((*path, i), v) for i, v in enumerate(node))
    found.sort(key=lambda item: [str(p) for p in item[0]])
    return found
