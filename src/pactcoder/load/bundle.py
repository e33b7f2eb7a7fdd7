"""Join a contract spread over several files into one document with internal refs only.

A ``$ref`` to another file is followed: a schema (or anything under
``components/<kind>/<name>`` of another file) is *hoisted* into this
document's ``components`` under its own name and the reference rewritten to
``#/components/...``; anything else (a path item, a response written in its
own file) is copied in place. Every copy is mounted in the :class:`SourceMap`
so later problems still point at the file and line the architect wrote.

Broken references, missing files and reference cycles through non-schema
objects are reported as problems with the location of the ``$ref``.

Example::

    bundler = Bundler(reader, problems, smap, roots=[root])
    document = bundler.bundle(root, base=root)
    document["components"] = bundler.merge_components(document.get("components"))
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from pactcoder.load.limits import Limits, raise_hint
from pactcoder.load.source import Path_, ReadBudget, Source, parse_text, read_source_text
from pactcoder.load.sourcemap import SourceMap
from pactcoder.problems import Location, Problems

# JSON Schema keywords whose values are schemas, maps of schemas or lists of schemas.
_SCHEMA_MAPS = {"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"}
_SCHEMA_LISTS = {"allOf", "anyOf", "oneOf", "prefixItems"}
_SCHEMA_SINGLES = {
    "items",
    "additionalProperties",
    "not",
    "propertyNames",
    "contains",
    "if",
    "then",
    "else",
    "unevaluatedItems",
    "unevaluatedProperties",
    "contentSchema",
}
# Keys whose values are data (examples, defaults): copied as they are, refs not followed.
_PLAIN_KEYS = {"example", "default", "enum", "const", "value"}
_COMPONENT_NAME = re.compile(r"[^A-Za-z0-9._-]+")


_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


class SourceReader:
    """Reads files once each, only inside docs/; a refused or broken file is a problem at the $ref.

    The project's ``docs/`` folder is the boundary: a reference is resolved
    (symbolic links followed) and then must name a regular file inside it. A
    reference anywhere else -- an absolute path, ``../`` out of docs/, a link
    out, a URL -- is refused without reading the target, and no problem ever
    shows a target's content.
    """

    def __init__(
        self,
        problems: Problems,
        label_for: Any,
        docs: Path | None = None,
        budget: ReadBudget | None = None,
    ) -> None:
        self._problems = problems
        self._label_for = label_for
        self._docs = docs.resolve() if docs is not None else None
        self._budget = budget or ReadBudget(Limits.from_env())
        self._cache: dict[Path, Source | None] = {}

    @property
    def limits(self) -> Limits:
        return self._budget.limits

    def add(self, source: Source) -> None:
        """Make an already parsed file available to references."""
        if source.origin is not None:
            self._cache[source.origin.resolve()] = source

    def inside(self, path: Path) -> bool:
        """Whether ``path`` (already resolved) is inside docs/."""
        return self._docs is None or path == self._docs or self._docs in path.parents

    def target(self, ref: str, file_part: str, folder: Path, at: Location | None) -> Path | None:
        """The file a ``$ref``'s file part names, resolved and inside docs/; else None."""
        outside = (
            "pactcoder reads only files inside the project's docs/ folder: copy what it"
            " needs into docs/ and refer to it by a path relative to the file that holds the $ref"
        )
        if re.match(r"^[A-Za-z]:[/\\]", file_part):
            self._problems.error(
                f"$ref '{ref}' points outside the project: it is an absolute path",
                hint=outside,
                at=at,
            )
            return None
        if _SCHEME.match(file_part) or file_part.startswith("//"):
            self._problems.error(
                f"$ref '{ref}' points outside the project: it is a URL",
                hint=outside + "; builds never use the network",
                at=at,
            )
            return None
        name = unquote(file_part)
        if "\x00" in name:
            self._problems.error(
                f"$ref {ref!r} holds a NUL character",
                hint="write the file's relative path without control characters",
                at=at,
            )
            return None
        if Path(name).is_absolute() or name.startswith("~"):
            self._problems.error(
                f"$ref '{ref}' points outside the project: it is an absolute path",
                hint=outside,
                at=at,
            )
            return None
        try:
            path = (folder / name).resolve()
        except (OSError, RuntimeError, ValueError):  # a symlink loop, a name too long
            self._problems.error(f"$ref '{ref}' names a path that cannot be resolved", at=at)
            return None
        if not self.inside(path):
            self._problems.error(
                f"$ref '{ref}' points outside the project's docs/ folder", hint=outside, at=at
            )
            return None
        return path

    def label(self, path: Path) -> str:
        """How problems name the file at ``path``."""
        return str(self._label_for(path))

    def text(self, path: Path, label: str) -> str | None:
        """The text of a file found under docs/ (see :func:`read_source_text`)."""
        return read_source_text(path, label, self._problems, self._budget)

    def read(self, path: Path, at: Location | None, base: str = "") -> Source | None:
        """The parsed file at ``path``; ``base`` names the file the $ref is relative to."""
        path = path.resolve()
        if path in self._cache:
            return self._cache[path]
        self._cache[path] = None
        if not path.exists():
            self._problems.error(
                f"$ref points to '{self._label_for(path)}', which does not exist",
                hint="fix the file path in the $ref; it is relative to the folder of"
                f" {base or 'the file that holds it'}",
                at=at,
            )
            return None
        if path.is_dir():
            self._problems.error(
                f"$ref points to '{self._label_for(path)}', which is a folder, not a file",
                hint="name a file in the $ref, e.g. './schemas/pet.yaml'",
                at=at,
            )
            return None
        label = self._label_for(path)
        text = read_source_text(path, label, self._problems, self._budget)
        if text is None:
            return None
        self._cache[path] = parse_text(text, label, self._problems, origin=path, limits=self.limits)
        return self._cache[path]


def parse_pointer(fragment: str) -> list[str]:
    """The tokens of a JSON pointer (RFC 6901) such as ``/components/schemas/Pet``."""
    if not fragment:
        return []
    return [unquote(t).replace("~1", "/").replace("~0", "~") for t in fragment.split("/")[1:]]


def resolve_pointer(data: Any, tokens: list[str]) -> tuple[bool, Any]:
    """Follow ``tokens`` into ``data``; returns (found, value)."""
    node = data
    for token in tokens:
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return False, None
    return True, node


def _plain(value: Any) -> Any:
    """A deep copy of JSON-like data."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


class Bundler:
    """Walks documents, following and rewriting ``$ref`` values (see the module docstring)."""

    def __init__(
        self, reader: SourceReader, problems: Problems, smap: SourceMap, roots: list[Source]
    ) -> None:
        self.reader = reader
        self.problems = problems
        self.smap = smap
        self.roots = {id(r) for r in roots}
        self.components: dict[str, dict[str, Any]] = {}
        self._hoisted: dict[tuple[str, tuple[str, ...]], str] = {}
        self._taken: dict[str, set[str]] = {}
        self._preferred: dict[tuple[str, tuple[str, ...]], str] = {}
        self._inlining: list[tuple[str, tuple[str, ...]]] = []
        #: The $refs being followed now, outermost first: what each named, and where it is.
        self._chain: list[tuple[tuple[str, tuple[str, ...]], str, Location]] = []
        self._cycles: set[frozenset[tuple[str, tuple[str, ...]]]] = set()
        for root in roots:
            components = root.data.get("components") if isinstance(root.data, dict) else None
            for kind, entries in (components or {}).items():
                if isinstance(entries, dict):
                    self._taken.setdefault(kind, set()).update(entries)

    # -- entry points ---------------------------------------------------------------

    def bundle(self, source: Source, base: Source) -> dict[str, Any]:
        """Walk a whole document; ``base`` is the document its refs are relative to."""
        data = source.data
        self._name_aliased(data.get("components"), source, base)
        result: dict[str, Any] = {}
        for key, value in data.items():
            if key == "components" and isinstance(value, dict):
                result[key] = self._walk_components(value, source, base)
            else:
                result[key] = self._walk(value, source, (key,), (key,), base, _ctx_for(key))
        return result

    # -- walking --------------------------------------------------------------------

    def _walk_components(self, components: dict[str, Any], src: Source, base: Source) -> Any:
        walked: dict[str, Any] = {}
        for kind, entries in components.items():
            if not isinstance(entries, dict):
                walked[kind] = _plain(entries)
                continue
            ctx = "schema" if kind == "schemas" else "any"
            out_entries: dict[str, Any] = {}
            for name, value in entries.items():
                path: Path_ = ("components", kind, name)
                result = self._walk(value, src, path, path, base, ctx)
                if _is_external_ref(value) and result == {"$ref": _component_ref(kind, name)}:
                    continue  # hoisted under this very name (see _name_aliased)
                out_entries[name] = result
            walked[kind] = out_entries
        return walked

    def _name_aliased(self, components: Any, src: Source, base: Source) -> None:
        """`Name: {$ref: other.yaml#/X}` in components names X: hoist X as Name, no alias left.

        Done before walking the document, so that a path referring to X first
        does not hoist it under a name of its own.
        """
        if not isinstance(components, dict):
            return
        for kind, entries in components.items():
            for name, value in entries.items() if isinstance(entries, dict) else ():
                target = self._alias_target(value, src, base, ("components", kind, name))
                if target is not None and target not in self._hoisted:
                    self._preferred.setdefault(target, name)

    def _alias_target(
        self, value: Any, src: Source, base: Source, path: Path_
    ) -> tuple[str, tuple[str, ...]] | None:
        if not _is_external_ref(value):
            return None
        target = self._target(value["$ref"], src, base, path)
        return None if target is None else (target[0].label, tuple(target[1]))

    def _walk(
        self, node: Any, src: Source, spath: Path_, out: Path_, base: Source, ctx: str
    ) -> Any:
        if ctx == "plain":
            return _plain(node)
        if isinstance(node, list):
            return [
                self._walk(v, src, (*spath, i), (*out, i), base, ctx) for i, v in enumerate(node)
            ]
        if not isinstance(node, dict):
            return node
        if isinstance(node.get("$ref"), str):
            return self._reference(node, src, spath, out, base, ctx)
        result: dict[str, Any] = {}
        for key, value in node.items():
            child_ctx = _child_ctx(ctx, key)
            if child_ctx == "schema-map" and isinstance(value, dict):
                result[key] = {
                    name: self._walk(v, src, (*spath, key, name), (*out, key, name), base, "schema")
                    for name, v in value.items()
                }
            elif key == "discriminator" and ctx == "schema" and isinstance(value, dict):
                result[key] = self._discriminator(value, src, (*spath, key), base)
            else:
                walked_ctx = "any" if child_ctx == "schema-map" else child_ctx
                result[key] = self._walk(value, src, (*spath, key), (*out, key), base, walked_ctx)
        return result

    def _discriminator(self, value: dict[str, Any], src: Source, spath: Path_, base: Source) -> Any:
        result = _plain(value)
        mapping = value.get("mapping")
        if isinstance(mapping, dict):
            for tag, ref in mapping.items():
                if isinstance(ref, str) and ("/" in ref or "#" in ref):
                    resolved = self._reference(
                        {"$ref": ref}, src, (*spath, "mapping", tag), (), base, "schema"
                    )
                    result["mapping"][tag] = resolved.get("$ref", ref)
        return result

    def _target(
        self, ref: str, src: Source, base: Source, at_path: Path_
    ) -> tuple[Source, list[str]] | None:
        """The source and pointer tokens a ``$ref`` names, or None (a problem is recorded)."""
        at = src.location((*at_path, "$ref"))  # the $ref itself, not the key above it
        file_part, _, fragment = ref.partition("#")
        if file_part:
            folder = (base.origin or Path(".")).parent
            path = self.reader.target(ref, file_part, folder, at)
            if path is None:
                return None
            target_src = self.reader.read(path, at, base.label)
            if target_src is None:
                return None
        else:
            target_src = base
        if fragment and not fragment.startswith("/"):
            self.problems.error(
                f"$ref '{ref}' has a fragment that is not a JSON pointer",
                hint="write the part after '#' as a JSON pointer, e.g. '#/components/schemas/Pet'",
                at=at,
            )
            return None
        tokens = parse_pointer(fragment)
        found, _ = resolve_pointer(target_src.data, tokens)
        if not found and not file_part and src is not base:
            # A Markdown fragment may also refer to components it defines itself.
            target_src = src
            found, _ = resolve_pointer(src.data, tokens)
        if not found:
            where = f"in '{target_src.label}'" if file_part else "in this document"
            self.problems.error(
                f"$ref '{ref}' points to nothing: '{fragment or '/'}' does not exist {where}",
                hint="fix the name or path after '#' (names are case-sensitive)"
                + _did_you_mean(target_src.data, tokens),
                at=at,
            )
            return None
        return target_src, tokens

    def _reference(
        self, node: dict[str, Any], src: Source, spath: Path_, out: Path_, base: Source, ctx: str
    ) -> Any:
        ref = node["$ref"]
        siblings = {
            k: self._walk(v, src, (*spath, k), (*out, k), base, ctx)
            for k, v in node.items()
            if k != "$ref"
        }
        target = self._target(ref, src, base, spath)
        if target is None:
            return {}
        target_src, tokens = target
        if id(target_src) in self.roots and len(tokens) == 3 and tokens[0] == "components":
            return {"$ref": "#/" + "/".join(_escape(t) for t in tokens), **siblings}
        if len(tokens) == 3 and tokens[0] == "components":
            kind = tokens[1]
        elif ctx == "schema":
            kind = "schemas"
        else:
            return self._inline(
                target_src, tokens, out, ctx, siblings, src.location((*spath, "$ref"))
            )
        name = self._hoist(target_src, tokens, kind, src.location((*spath, "$ref")))
        return {"$ref": f"#/components/{kind}/{_escape(name)}", **siblings}

    def _inline(
        self,
        target_src: Source,
        tokens: list[str],
        out: Path_,
        ctx: str,
        siblings: dict[str, Any],
        at: Location,
    ) -> Any:
        key = (target_src.label, tuple(tokens))
        if key in self._inlining:
            first = [k for k, _, _ in self._chain].index(key)
            ring = frozenset(k for k, _, _ in self._chain[first:])
            if ring in self._cycles:
                return {}
            self._cycles.add(ring)
            cycle = [f"'{w}' ({a})" for _, w, a in self._chain[first:]]
            cycle.append(f"back to '{_describe(target_src, tokens)}' ({at})")
            self.problems.error(
                "circular $ref: this object refers back to itself: " + " -> ".join(cycle),
                hint="break the cycle; only schemas may refer to themselves",
                at=at,
            )
            return {}
        if not self._enter(target_src, tokens, at):
            return {}
        self._inlining.append(key)
        _, value = resolve_pointer(target_src.data, tokens)
        try:
            result = self._walk(value, target_src, tuple(tokens), out, target_src, ctx)
        finally:
            self._inlining.pop()
            self._chain.pop()
        self.smap.mount(out, target_src, tuple(tokens))
        if isinstance(result, dict):
            result.update(siblings)
        return result

    def _enter(self, target_src: Source, tokens: list[str], at: Location) -> bool:
        """Start following a $ref to ``target_src``; False when that goes too deep."""
        limit = self.reader.limits.ref_chain
        if len(self._chain) >= limit:
            self.problems.error(
                f"this $ref is followed more than {limit} references deep (the file it"
                f" names refers to another, and so on; the first is at {self._chain[0][2]})",
                hint="refer to the final file directly, or merge small files; "
                + raise_hint("ref_chain", limit),
                at=at,
            )
            return False
        key = (target_src.label, tuple(tokens))
        self._chain.append((key, _describe(target_src, tokens), at))
        return True

    def _hoist(self, target_src: Source, tokens: list[str], kind: str, at: Location) -> str:
        key = (target_src.label, tuple(tokens))
        if key in self._hoisted:
            return self._hoisted[key]
        if not self._enter(target_src, tokens, at):
            return self._unique(kind, self._base_name(target_src, tokens))
        name = self._preferred.get(key) or self._unique(kind, self._base_name(target_src, tokens))
        self._hoisted[key] = name
        self._taken.setdefault(kind, set()).add(name)
        _, value = resolve_pointer(target_src.data, tokens)
        out: Path_ = ("components", kind, name)
        ctx = "schema" if kind == "schemas" else "any"
        try:
            self.components.setdefault(kind, {})[name] = self._walk(
                value, target_src, tuple(tokens), out, target_src, ctx
            )
        finally:
            self._chain.pop()
        self.smap.mount(out, target_src, tuple(tokens))
        return name

    @staticmethod
    def _base_name(target_src: Source, tokens: list[str]) -> str:
        stem = target_src.origin.stem if target_src.origin else "Schema"
        raw = tokens[-1] if tokens else stem
        return _COMPONENT_NAME.sub("_", raw) or "Schema"

    def _unique(self, kind: str, name: str) -> str:
        taken = self._taken.setdefault(kind, set())
        candidate, n = name, 2
        while candidate in taken:
            candidate, n = f"{name}{n}", n + 1
        return candidate


def _describe(source: Source, tokens: list[str]) -> str:
    pointer = "/".join(_escape(t) for t in tokens)
    return f"{source.label}#/{pointer}" if tokens else source.label


def _did_you_mean(data: Any, tokens: list[str]) -> str:
    """``"; did you mean 'Pet'?"`` when the last token is a near miss of a name that exists."""
    found, parent = resolve_pointer(data, tokens[:-1])
    if not (tokens and found and isinstance(parent, dict)):
        return ""
    close = difflib.get_close_matches(tokens[-1], [str(k) for k in parent], n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _component_ref(kind: str, name: str) -> str:
    return f"#/components/{kind}/{_escape(name)}"


def _is_external_ref(value: Any) -> bool:
    """A lone ``$ref`` to another file."""
    return (
        isinstance(value, dict)
        and set(value) == {"$ref"}
        and isinstance(value["$ref"], str)
        and not value["$ref"].startswith("#")
    )


def _ctx_for(top_key: str) -> str:
    return "plain" if top_key.startswith("x-") else "any"


def _child_ctx(ctx: str, key: str) -> str:
    """The walking context for the value under ``key`` of an object walked in ``ctx``."""
    if key == "default" and ctx == "any":
        return "any"  # the `default` entry of `responses`, not a schema's default value
    if key.startswith("x-") or key in _PLAIN_KEYS:
        return "plain"
    if ctx == "schema":
        if key in _SCHEMA_MAPS:
            return "schema-map"
        if key in _SCHEMA_LISTS or key in _SCHEMA_SINGLES:
            return "schema"
        return "plain"
    if key == "schema":
        return "schema"
    if key == "schemas":
        return "schema-map"
    return "any"
