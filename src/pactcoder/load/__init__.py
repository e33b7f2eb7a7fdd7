"""Stage 1 of the pipeline: read a project's ``docs/`` into one contract document.

What is read, in this order:

1. every ``.yaml``/``.yml``/``.json`` file under ``docs/`` with a top-level
   ``openapi`` key (a contract), and every fenced ``yaml``/``json`` block in a
   Markdown file that holds one;
2. fenced blocks in Markdown that hold OpenAPI *fragments* (``paths``,
   ``components``, ``x-pact`` without ``openapi``): they extend the contract
   and their relative ``$ref`` values are read as if written in it;
3. files referenced by ``$ref`` from any of these (see :mod:`.bundle`);
4. OpenAPI Overlay 1.0 documents (``overlay`` key), applied last, in path order.

The result is a :class:`LoadedContract`: one JSON-like document plus a
:class:`~pactcoder.load.sourcemap.SourceMap` back to the files. Every problem
found on the way is gathered; :func:`load_contract` raises
:class:`~pactcoder.problems.ContractError` with all of them at the end.

Example::

    contract = load_contract(Path("examples/library"))
    contract.document["info"]["title"]
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pactcoder.load.bundle import Bundler, SourceReader
from pactcoder.load.limits import Limits, raise_hint
from pactcoder.load.markdown import GENERATED_MARKER, fenced_blocks
from pactcoder.load.overlay import apply_overlay
from pactcoder.load.refs import check_reference_chains
from pactcoder.load.source import ReadBudget, Source, parse_text
from pactcoder.load.sourcemap import SourceMap
from pactcoder.problems import ContractError, Location, Problems

__all__ = ["LoadedContract", "load_contract"]

_DATA_SUFFIXES = {".yaml", ".yml", ".json"}
_FRAGMENT_KEYS = {"paths", "components", "webhooks", "x-pact"}
_CONTRACT_KEYS = _FRAGMENT_KEYS | {"openapi", "overlay", "swagger"}
_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
_SKIPPED_DIRS = {"node_modules", "__pycache__"}


@dataclass
class LoadedContract:
    """The assembled contract and where each of its parts came from."""

    project: Path
    document: dict[str, Any]
    sourcemap: SourceMap
    #: Labels (project-relative paths) of every contract, fragment and overlay read.
    inputs: list[str] = field(default_factory=list)
    problems: Problems = field(default_factory=Problems)

    def locate(self, path: tuple[str | int, ...]) -> Location | None:
        return self.sourcemap.locate(path)


def load_contract(project: Path, limits: Limits | None = None) -> LoadedContract:
    """Read ``project/docs`` into one contract; raise ContractError listing every problem.

    Nothing outside ``docs/`` is ever read (see :class:`~pactcoder.load.bundle.SourceReader`),
    and the reading is bounded by ``limits`` (default: :meth:`Limits.from_env`).
    """
    limits = limits or Limits.from_env()
    project = project.resolve()
    problems = Problems()
    docs = project / "docs"
    if not docs.is_dir():
        problems.error(
            f"no docs/ folder in {project}",
            hint="point pactcoder at the project folder that holds the architect's docs/",
            at=Location(str(project)),
        )
        raise ContractError(problems)

    def label(path: Path) -> str:
        try:
            return path.resolve().relative_to(project).as_posix()
        except ValueError:
            return str(path)

    reader = SourceReader(problems, label, docs, ReadBudget(limits))
    roots, fragments, overlays = _discover(docs, project, reader, problems)
    if not roots:
        if not problems.has_errors:
            problems.error(
                "no OpenAPI contract found under docs/",
                hint="add an OpenAPI 3.0 or 3.1 document (a YAML or JSON file, or a fenced"
                " yaml block in Markdown, starting with 'openapi: 3.1.0')",
                at=Location(label(docs)),
            )
        raise ContractError(problems)

    smap = SourceMap()
    primary = roots[0]
    bundler = Bundler(reader, problems, smap, roots=[*roots, *fragments])
    walked = [(src, bundler.bundle(src, base=src)) for src in roots]
    # A fragment in Markdown extends the primary contract: its refs are read as if
    # written there, so '#/components/...' and './schemas/x.yaml' mean the same in both.
    for fragment in fragments:
        walked.append((fragment, bundler.bundle(fragment, base=primary)))
    document = _merge(walked, smap, problems)
    for kind, entries in sorted(bundler.components.items()):
        target = document.setdefault("components", {}).setdefault(kind, {})
        for name, value in entries.items():
            target[name] = value
    for overlay in overlays:
        apply_overlay(document, overlay, smap, problems)

    check_reference_chains(document, smap, problems, limits)
    _check_counts(document, smap, problems, limits)
    inputs = sorted({s.label for s in [*roots, *fragments, *overlays]} | set(smap.files))
    problems.raise_if_errors()
    return LoadedContract(project, document, smap, inputs, problems)


def _discover(
    docs: Path, project: Path, reader: SourceReader, problems: Problems
) -> tuple[list[Source], list[Source], list[Source]]:
    """Parse every candidate file under ``docs`` and sort sources by what they hold."""
    roots: list[Source] = []
    fragments: list[Source] = []
    overlays: list[Source] = []
    for path in _files(docs):
        suffix = path.suffix.lower()
        if suffix not in _DATA_SUFFIXES and suffix != ".md":
            continue
        try:
            resolved = path.resolve()
        except (OSError, RuntimeError):  # a symbolic link loop
            problems.error(
                "this is a symbolic link that cannot be resolved (a loop of links?)",
                hint="remove the link or make it point at a file inside docs/",
                at=Location(path.relative_to(project).as_posix()),
            )
            continue
        if not reader.inside(resolved):
            problems.error(
                "this is a symbolic link to a file outside docs/; it was not read",
                hint="pactcoder reads only files inside the project's docs/ folder: copy the"
                " file into docs/ instead of linking to it",
                at=Location(path.relative_to(project).as_posix()),
            )
            continue
        if suffix == ".md":
            sources = _read_markdown(resolved, reader, problems)
        else:
            sources = _read_data_file(resolved, reader, problems)
        for source in sources:
            if source.origin is not None and path.suffix.lower() != ".md":
                reader.add(source)
            kind = _kind(source, problems, is_block=path.suffix.lower() == ".md")
            if kind == "contract":
                roots.append(source)
            elif kind == "overlay":
                overlays.append(source)
            elif kind == "fragment":
                fragments.append(source)
    return roots, fragments, overlays


def _files(docs: Path) -> list[Path]:
    found: list[Path] = []
    for folder, dirnames, filenames in os.walk(docs):
        dirnames[:] = sorted(
            d for d in dirnames if not d.startswith(".") and d not in _SKIPPED_DIRS
        )
        found.extend(Path(folder) / name for name in sorted(filenames) if not name.startswith("."))
    return found


def _looks_like_contract(text: str) -> bool:
    return any(word in text for word in ("openapi", "overlay", "paths", "components", "x-pact"))


def _read_data_file(path: Path, reader: SourceReader, problems: Problems) -> list[Source]:
    name = reader.label(path)
    text = reader.text(path, name)
    if text is None:
        return []
    local = Problems()
    source = parse_text(text, name, local, origin=path, limits=reader.limits)
    if source is None and not _looks_like_contract(text):
        # Not parseable and nothing suggests it is part of the contract (e.g. a tool's
        # own config with custom tags): say so, but do not stop the build for it.
        problems.warning(
            "skipped: this file is not valid YAML or JSON and does not look like a contract",
            hint="fix or move it if it was meant to be part of the contract",
            at=Location(name),
        )
        return []
    problems.extend(local)
    return [source] if source is not None else []


def _read_markdown(path: Path, reader: SourceReader, problems: Problems) -> list[Source]:
    name = reader.label(path)
    text = reader.text(path, name)
    if text is None:
        return []
    sources: list[Source] = []
    if text.lstrip().startswith(GENERATED_MARKER):
        return sources  # pactcoder's own hand-off document: output, not input
    for block in fenced_blocks(text):
        local = Problems()
        source = parse_text(
            block.text,
            name,
            local,
            line_offset=block.first_line - 1,
            origin=path,
            limits=reader.limits,
        )
        if source is None:
            if any(word in block.text for word in ("openapi:", "overlay:", "paths:", "x-pact:")):
                problems.extend(local)  # meant as contract content: a real error
            continue  # an illustrative snippet with '...' in it is prose, not contract
        if isinstance(source.data, dict) and _CONTRACT_KEYS & set(source.data):
            problems.extend(local)  # a duplicate key in contract text is an error there too
        sources.append(source)
    return sources


def _kind(source: Source, problems: Problems, *, is_block: bool) -> str | None:
    data = source.data
    if not isinstance(data, dict):
        return None
    if "swagger" in data:
        problems.error(
            "Swagger 2.0 documents are not supported",
            hint="convert it to OpenAPI 3 (for example with swagger2openapi) and build again",
            at=source.location(("swagger",)),
        )
        return None
    if "openapi" in data:
        version = str(data["openapi"])
        if not version.startswith(("3.0", "3.1")):
            problems.error(
                f"OpenAPI version '{version}' is not supported",
                hint="pactcoder reads OpenAPI 3.0.x and 3.1.x; set 'openapi: 3.1.0'",
                at=source.location(("openapi",)),
            )
            return None
        return "contract"
    if "overlay" in data and "actions" in data:
        return "overlay"
    if is_block and _FRAGMENT_KEYS & set(data):
        return "fragment"
    return None


_SINGLE_KEYS = ("openapi", "info", "jsonSchemaDialect", "servers", "security", "externalDocs")


def _merge(walked: list[tuple[Source, dict[str, Any]]], smap: SourceMap, problems: Problems) -> Any:
    """Merge walked documents into one; the same operation or component twice is an error."""
    merged: dict[str, Any] = {}
    origin: dict[tuple[str, ...], Source] = {}
    for source, document in walked:
        for key, value in document.items():
            if key in ("paths", "webhooks", "components") and isinstance(value, dict):
                if key not in merged:
                    smap.mount((key,), source, (key,))
                section = merged.setdefault(key, {})
                for name, entry in value.items():
                    _merge_entry(section, key, name, entry, source, origin, smap, problems)
            elif key == "tags" and isinstance(value, list):
                known = {t.get("name") for t in merged.get("tags", []) if isinstance(t, dict)}
                merged.setdefault("tags", []).extend(
                    t for t in value if not (isinstance(t, dict) and t.get("name") in known)
                )
                smap.mount(("tags",), source, ("tags",))
            elif key not in merged:
                merged[key] = value
                smap.mount((key,), source, (key,))
            elif key == "openapi" and str(value)[:3] != str(merged[key])[:3]:
                problems.error(
                    f"this contract is OpenAPI {value} but another is {merged[key]}",
                    hint="write all contracts of one service in the same OpenAPI version",
                    at=source.location((key,)),
                )
    return merged


def _merge_entry(
    section: dict[str, Any],
    key: str,
    name: str,
    entry: Any,
    source: Source,
    origin: dict[tuple[str, ...], Source],
    smap: SourceMap,
    problems: Problems,
) -> None:
    if key == "components" and isinstance(entry, dict):
        kind_map = section.setdefault(name, {})
        for item, value in entry.items():
            place = (key, name, item)
            if item in kind_map and kind_map[item] != value:
                first = origin[place].location(place)
                problems.error(
                    f"component '{name}/{item}' is defined twice with different content"
                    f" (first at {first})",
                    hint="keep one definition, or rename one of them",
                    at=source.location(place),
                )
                continue
            kind_map[item] = value
            origin[place] = source
            _mount_entry(smap, place, source)
        return
    item_map = section.setdefault(name, {})
    if not isinstance(entry, dict | None) or not isinstance(item_map, dict):
        if not item_map:  # not an object: kept for validation to report, at its place
            section[name] = entry
            smap.mount((key, name), source, (key, name))
        return
    for item, value in (entry or {}).items():
        place = (key, name, item)
        if item in item_map and item_map[item] != value:
            first = origin[place].location(place)
            what = f"'{item}' of '{name}'"
            if item in _METHODS:
                what = f"operation {item.upper()} {name}"
            problems.error(
                f"{what} is defined twice (first at {first})",
                hint="each path and method is defined once across all contracts;"
                " remove one or merge the two",
                at=source.location(place),
            )
            continue
        item_map[item] = value
        origin[place] = source
        _mount_entry(smap, place, source)


def _mount_entry(smap: SourceMap, place: tuple[str, str, str], source: Source) -> None:
    """Map an entry to ``source``, unless it was copied in from another file.

    The bundler mounts what a ``$ref`` brought in (a path item at ``paths/<path>``,
    a response at ``components/responses/<name>``) at the file it came from;
    mounting the entry at the file holding the ``$ref`` would hide that.
    """
    if not (smap.is_mounted(place) or smap.is_mounted(place[:2])):
        smap.mount(place, source, place)


def _check_counts(
    document: dict[str, Any], smap: SourceMap, problems: Problems, limits: Limits
) -> None:
    """Refuse a contract with more operations or schemas than the limits allow."""
    paths = document.get("paths")
    operations = sum(
        1
        for item in (paths.values() if isinstance(paths, dict) else ())
        if isinstance(item, dict)
        for method in item
        if method in _METHODS
    )
    if operations > limits.operations:
        problems.error(
            f"the contract has {operations} operations, more than the limit of {limits.operations}",
            hint="split it into several services, " + raise_hint("operations", limits.operations),
            at=smap.locate(("paths",)),
        )
    components = document.get("components")
    schemas = components.get("schemas") if isinstance(components, dict) else None
    count = len(schemas) if isinstance(schemas, dict) else 0
    if count > limits.schemas:
        problems.error(
            f"the contract has {count} schemas, more than the limit of {limits.schemas}",
            hint="split it into several services, " + raise_hint("schemas", limits.schemas),
            at=smap.locate(("components", "schemas")),
        )
