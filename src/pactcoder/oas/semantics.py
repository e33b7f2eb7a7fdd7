"""Whether openapi-spec-validator's keyword checks would pass a contract, said quickly.

openapi-spec-validator's semantic pass (run by :mod:`.validate` after the document is
known to be well-formed) walks the contract through ``jsonschema-path``, whose every
step resolves references and checks a ``typing.Protocol``: about 5 s of a
1,000-operation contract's build, for a handful of checks. :func:`surely_clean` walks
the same objects in the same order on the plain document and makes the same checks
(the same Schema Object dialect check as :mod:`.validate`, the same validator classes
for defaults), and says True only when the library would report nothing but what
:mod:`.parse` reports itself (duplicate operationIds, unresolved path parameters).
When it says False, or cannot tell (a ``$ref`` it does not follow itself, a ``$id``,
a reference cycle), the library runs as before and its errors are the ones reported;
``tests/test_validate.py`` checks that both agree on mutated contracts.

What the library checks, and so this walk: duplicate tag names; duplicate parameters
(name and location) in each list; every Schema Object under ``parameters``, under
``responses``' ``content`` and in ``components/schemas``, against the OpenAPI dialect
once each; inside them, recursively through ``allOf``/``anyOf``/``oneOf``/``not``/
``items``/``properties`` (each object once), that a top-level schema with ``allOf``
requires only properties it or its parts define, and that each ``default`` is valid
against its schema.

Example::

    if not surely_clean(document, is_31=True):
        ...  # run openapi-spec-validator's own pass
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any
from urllib.parse import unquote

__all__ = ["surely_clean"]

_OPERATIONS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
#: OpenAPI 3.1's default Schema Object dialect (openapi_schema_validator's
#: OAS31_BASE_DIALECT_ID), written out so that this module imports nothing heavy.
OAS31_DIALECT = "https://spec.openapis.org/oas/3.1/dialect/base"


class _Unsure(Exception):
    """The walk cannot vouch for the contract: let the library decide."""


class _Found(Exception):
    """The library would report an error here."""


def surely_clean(document: dict[str, Any], is_31: bool, conforms: Callable[[Any], bool]) -> bool:
    """True when openapi-spec-validator's keyword checks would find nothing but duplicate
    operationIds and unresolved path parameters; False when they would, or when it
    cannot tell. ``conforms(schema)`` is the Schema Object dialect check: what
    :mod:`.validate` runs for the library's meta-schema check."""
    if _has_key(document, "$id"):
        return False  # a $id moves the base of references: leave resolving to the library
    try:
        _Walk(document, is_31, conforms).root()
    except (_Unsure, _Found, RecursionError):
        return False
    except Exception:  # noqa: BLE001 - an odd document: the library explains it
        return False
    return True


class _Walk:
    """The library's walk (openapi_spec_validator.validation.keywords), on plain values."""

    def __init__(
        self, document: dict[str, Any], is_31: bool, conforms: Callable[[Any], bool]
    ) -> None:
        self.document = document
        self.is_31 = is_31
        self.conforms = conforms
        self.meta_checked: set[int] = set()
        self.visited: set[int] = set()
        self._values: Any = None

    # -- references, as jsonschema-path follows them ---------------------------------------

    def resolve(self, node: Any) -> Any:
        """``node``, or what its ``$ref`` (chain) points to."""
        seen = 0
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            node = self._pointer(node["$ref"])
            seen += 1
            if seen > 64:
                raise _Unsure("a reference chain that does not end")
        return node

    def _pointer(self, ref: str) -> Any:
        if not ref.startswith("#") or (len(ref) > 1 and not ref.startswith("#/")):
            raise _Unsure(f"a reference the walk does not follow: {ref}")
        node: Any = self.document
        for raw in unquote(ref[1:]).split("/")[1:]:
            segment = raw.replace("~1", "/").replace("~0", "~")
            if isinstance(node, list):
                node = node[int(segment)]
            elif isinstance(node, dict):
                node = node[segment]
            else:
                raise _Unsure("a reference into a value")
        return node

    def child(self, node: Any, key: str | int) -> Any:
        """``node / key`` as jsonschema-path reads it: the child, resolved."""
        return self.resolve(node[key])

    def items(self, node: Any) -> Iterator[tuple[Any, Any]]:
        node = self.resolve(node)
        if isinstance(node, dict):
            for key in node:
                yield key, self.resolve(node[key])
        elif isinstance(node, list):
            for index, value in enumerate(node):
                yield index, self.resolve(value)
        else:
            raise _Unsure("a collection that is not one")

    def values(self, node: Any) -> Iterator[Any]:
        for _, value in self.items(node):
            yield value

    # -- the keyword checks ----------------------------------------------------------------

    def root(self) -> None:
        spec = self.resolve(self.document)
        if "tags" in spec:
            seen: set[str] = set()
            for tag in self.values(spec["tags"]):
                name = self.child(tag, "name")
                if not isinstance(name, str):
                    raise _Unsure("a tag name that is not a string")
                if name in seen:
                    raise _Found("duplicate tag name")
                seen.add(name)
        if "paths" in spec:
            for _, path_item in self.items(spec["paths"]):
                self.path(path_item)
        if "components" in spec:
            components = self.child(spec, "components")
            if "schemas" in components:
                for schema in self.values(components["schemas"]):
                    self.schema(schema)

    def path(self, path_item: Any) -> None:
        parameters = None
        if "parameters" in path_item:
            parameters = path_item["parameters"]
            self.parameters(parameters)
        for name, operation in self.items(path_item):
            if name in _OPERATIONS:
                self.operation(operation, parameters)

    def operation(self, operation: Any, path_parameters: Any) -> None:
        # Duplicate operationIds and unresolved path parameters are left to
        # pactcoder.oas.parse, as in validate; the names are still read as the library does.
        if "responses" in operation:
            for response in self.values(operation["responses"]):
                if "content" in response:
                    for media_type in self.values(response["content"]):
                        if "schema" in media_type:
                            self.schema(self.child(media_type, "schema"))
        if "parameters" in operation:
            self.parameters(operation["parameters"])
            self.path_names(operation["parameters"])
        if path_parameters is not None:
            self.path_names(path_parameters)

    def path_names(self, parameters: Any) -> None:
        for parameter in self.values(parameters):
            where = self.child(parameter, "in")
            if not isinstance(where, str):
                raise _Unsure("a parameter location that is not a string")
            if where == "path" and not isinstance(self.child(parameter, "name"), str):
                raise _Unsure("a parameter name that is not a string")

    def parameters(self, parameters: Any) -> None:
        seen: set[tuple[Any, Any]] = set()
        for parameter in self.values(parameters):
            if "schema" in parameter:
                self.schema(self.child(parameter, "schema"))
            key = (self.child(parameter, "name"), self.child(parameter, "in"))
            if key in seen:
                raise _Found("duplicate parameter")
            seen.add(key)

    def schema(
        self, schema: Any, require_properties: bool = True, meta_checked: bool = False
    ) -> None:
        if not isinstance(schema, Mapping | bool):
            raise _Found("a schema that is neither an object nor a boolean")
        key = id(schema)
        if not meta_checked and key not in self.meta_checked:
            self.meta_checked.add(key)
            self.dialect_check(schema)
        if key in self.visited:
            return
        self.visited.add(key)
        if not isinstance(schema, Mapping):
            return
        nested: set[Any] = set()
        if "allOf" in schema:
            for inner in self.values(schema["allOf"]):
                self.schema(inner, require_properties=False, meta_checked=True)
                nested.update(self.properties_of(inner))
        for keyword in ("anyOf", "oneOf"):
            if keyword in schema:
                for inner in self.values(schema[keyword]):
                    self.schema(inner, require_properties=False, meta_checked=True)
        for keyword in ("not", "items"):
            if keyword in schema:
                self.schema(
                    self.child(schema, keyword), require_properties=False, meta_checked=True
                )
        if "properties" in schema:
            for inner in self.values(schema["properties"]):
                self.schema(inner, require_properties=False, meta_checked=True)
        required = ("required" in schema and self.child(schema, "required")) or []
        defined = ("properties" in schema and _keys(self.child(schema, "properties"))) or []
        if "allOf" in schema and require_properties and set(required) - set(defined) - nested:
            raise _Found("required properties that no part defines")
        if "default" in schema:
            default = self.child(schema, "default")
            nullable = self.child(schema, "nullable") if "nullable" in schema else False
            if default is not None or nullable is not True:
                self.default_check(schema, default)

    def properties_of(self, schema: Any) -> set[Any]:
        """openapi-spec-validator's _collect_properties (which has no guard against cycles:
        a cycle ends in RecursionError, an error of the library's pass too)."""
        found: set[Any] = set()
        if not isinstance(schema, dict):
            return found  # jsonschema-path finds no keys in anything else
        if "properties" in schema:
            found.update(_keys(self.child(schema, "properties")))
        for keyword in ("allOf", "anyOf", "oneOf"):
            if keyword in schema:
                for inner in self.values(schema[keyword]):
                    found.update(self.properties_of(inner))
        for keyword in ("items", "not"):
            if keyword in schema:
                found.update(self.properties_of(self.child(schema, keyword)))
        return found

    def dialect_check(self, schema: Any) -> None:
        if not self.is_31:
            if not self.conforms(schema):
                raise _Found("not a valid OpenAPI 3.0 Schema Object")
            return
        dialect = self.document.get("jsonSchemaDialect", OAS31_DIALECT)
        if isinstance(schema, Mapping) and "$schema" in schema:
            dialect = schema["$schema"]
        if dialect != OAS31_DIALECT:
            raise _Unsure("another JSON Schema dialect")
        if not self.conforms(schema):
            raise _Found("not a valid OpenAPI 3.1 Schema Object")

    def default_check(self, schema: Any, default: Any) -> None:
        """The default against its schema, with the validator class, format checker and
        reference resolution the library uses."""
        if _has_key(default, "$ref") or _has_key(schema, "$dynamicRef"):
            raise _Unsure("a $ref inside a default, or a $dynamicRef in its schema")
        try:
            inlined = self.inline(schema, ())
        except _Unsure:
            inlined = None
        if inlined is not None and _plainly_valid(inlined, default, self.is_31):
            return
        validator = self._validator(schema)
        if next(validator.iter_errors(default), None) is not None:
            raise _Found("a default its schema does not allow")

    def inline(self, node: Any, chain: tuple[str, ...]) -> Any:
        """``node`` with each local ``$ref`` replaced by what it points to (as ``allOf`` of
        it and the siblings in 3.1; 3.0 ignores siblings, so there a sibling is unsure);
        _Unsure on a cycle or a reference that is not local."""
        if isinstance(node, list):
            return [self.inline(item, chain) for item in node]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if isinstance(ref, str):
            if ref in chain or len(chain) > 32:
                raise _Unsure("a recursive schema")
            target = self.inline(self._pointer(ref), (*chain, ref))
            rest = {k: self.inline(v, chain) for k, v in node.items() if k != "$ref"}
            if not rest:
                return target
            if not self.is_31:
                raise _Unsure("a $ref with siblings in OpenAPI 3.0")
            return {**rest, "allOf": [target, *rest.get("allOf", [])]}
        return {key: self.inline(value, chain) for key, value in node.items()}

    def _validator(self, schema: Any) -> Any:
        from openapi_schema_validator import (
            OAS30Validator,
            OAS31Validator,
            oas30_format_checker,
            oas31_format_checker,
        )

        if self._values is None:
            from referencing import Registry
            from referencing.jsonschema import DRAFT202012

            # jsonschema-path's registry: the document as a 2020-12 resource at "".
            resource = DRAFT202012.create_resource(self.document)
            self._values = Registry().with_resource("", resource).resolver(base_uri="")
        cls, checker = (
            (OAS31Validator, oas31_format_checker)
            if self.is_31
            else (OAS30Validator, oas30_format_checker)
        )
        return cls(schema, _resolver=self._values, format_checker=checker)


#: Keywords whose meaning for a default differs between jsonschema-rs and the OpenAPI
#: validators: references, which the OpenAPI validator resolves in the whole document.
_NOT_PLAIN = ("$ref", "$dynamicRef", "$anchor", "$dynamicAnchor")
#: Formats that openapi-schema-validator's format checkers (3.0 and 3.1) do not check, so
#: that a default is valid whatever its value under them (tests/test_validate.py checks
#: that the installed library still leaves them unchecked).
UNCHECKED_FORMATS = frozenset(
    {
        "uri",
        "uri-reference",
        "iri",
        "iri-reference",
        "uri-template",
        "url",
        "hostname",
        "json-pointer",
        "relative-json-pointer",
        "duration",
        "decimal",
        "text",
    }
)


def _plainly_valid(schema: Any, default: Any, is_31: bool) -> bool:
    """Whether jsonschema-rs finds ``default`` valid against ``schema`` where its answer is
    the OpenAPI validator's: a schema without references, without regular expressions
    where the default has text (strings, keys), whose formats are
    unchecked ones (or the default holds neither strings nor numbers, which no format
    checks), and for 3.0, whose validator has its own type and nullable rules, a schema
    without nullable and a default without floats or nulls. False when it is not valid or
    it cannot tell; the OpenAPI validator then decides."""
    import jsonschema_rs

    if not isinstance(schema, dict) or any(_has_key(schema, key) for key in _NOT_PLAIN):
        return False
    has_text = _has_value(default, lambda v: isinstance(v, str)) or _has_key_value(default)
    if has_text and (_has_key(schema, "pattern") or _has_key(schema, "patternProperties")):
        return False  # regular expressions: ECMA 262 there, another engine here
    formats = _values_of(schema, "format")
    checked = [f for f in formats if f not in UNCHECKED_FORMATS]
    if checked and _has_value(default, lambda v: isinstance(v, str | int | float)):
        return False
    if not is_31 and (
        _has_key(schema, "nullable")
        or _has_value(default, lambda v: v is None or isinstance(v, float))
    ):
        return False
    draft = (
        "https://json-schema.org/draft/2020-12/schema"
        if is_31
        else "http://json-schema.org/draft-04/schema#"
    )
    try:
        validator = jsonschema_rs.validator_for(
            {**schema, "$schema": draft}, validate_formats=False
        )
        return bool(validator.is_valid(default))
    except (ValueError, TypeError, jsonschema_rs.ValidationError):
        return False


def _has_key_value(node: Any) -> bool:
    """Whether ``node`` holds an object with keys (which patternProperties would match)."""
    return bool(_values_of_objects(node))


def _values_of_objects(node: Any) -> list[dict[str, Any]]:
    found = []
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if item:
                found.append(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def _values_of(node: Any, key: str) -> list[Any]:
    """Every value under ``key`` in the objects of ``node``."""
    found = []
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if key in item:
                found.append(item[key])
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def _has_value(node: Any, test: Callable[[Any], bool]) -> bool:
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif test(item):
            return True
    return False


def _keys(node: Any) -> list[Any]:
    if isinstance(node, dict):
        return list(node)
    if isinstance(node, list):
        return list(range(len(node)))
    raise _Unsure("properties that are not an object")


def _has_key(node: Any, key: str) -> bool:
    """Whether ``key`` is a key of any object in ``node``."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if key in item:
                return True
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False
