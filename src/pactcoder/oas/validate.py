"""Validate the assembled contract against the OpenAPI specification.

Three passes, all gathered into one list of problems with locations:

1. the document against the official OpenAPI 3.0/3.1 JSON Schema (shipped
   with openapi-spec-validator), every error at its own path;
2. for 3.1, each Schema Object against the JSON Schema 2020-12 meta-schema,
   which the OpenAPI 3.1 schema leaves unchecked;
3. openapi-spec-validator's semantic checks (parameters, defaults, ...), run
   only when the first two pass, since they assume a well-formed document;
   duplicate operationIds and path parameters are left to :mod:`.parse`,
   which reports them at the operation.

Passes 1 and 2 first ask jsonschema-rs whether the document is valid at all
(a few milliseconds where Python's jsonschema takes about a second for 300
operations); only when it is not does jsonschema find the errors, whose
messages and sub-errors are the ones reported. Pass 3 likewise checks each
Schema Object against the OpenAPI 3.1 dialect with jsonschema-rs first and
leaves it to openapi-spec-validator's own (Python) check only when that finds
something, so a valid contract is never checked twice in Python. Pass 3 itself runs only when
:func:`pactcoder.oas.semantics.surely_clean`, the same checks on the plain document,
cannot vouch for the contract.

On that path (a valid contract) neither jsonschema nor the openapi-* libraries are
imported: their schemas are read from the files they ship, and the libraries are
imported only to explain a contract that is not valid.

Example::

    problems = validate_contract(contract)
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jsonschema_rs

from pactcoder.load import LoadedContract
from pactcoder.oas.semantics import OAS31_DIALECT, surely_clean
from pactcoder.problems import Problems

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError
    from jsonschema.protocols import Validator

# "Additional properties are not allowed ('x', 'y' were unexpected)"
_UNEXPECTED = re.compile(r"\('([^'\\]*)'(?:, '[^']*')* (?:was|were) unexpected\)")
_HINT = "fix this part of the contract so it follows the OpenAPI {version} specification"
#: Where _Located puts the place of a Schema Object on the errors found in it.
_AT = "pactcoder_schema_at"
#: The OpenAPI schemas openapi-spec-validator ships, by version.
_OPENAPI_SCHEMAS = {
    True: "resources/schemas/v3.1/schema.json",
    False: "resources/schemas/v3.0/schema.json",
}
#: The OpenAPI 3.1 Schema Object dialect and its vocabulary's meta-schema, as shipped by
#: openapi-schema-validator.
_DIALECT_FILES = {
    OAS31_DIALECT: "schemas/oas3.1/metaschema.json",
    "https://spec.openapis.org/oas/3.1/meta/base": "schemas/oas3.1/vocabularies/base",
}


def _shipped(package: str, name: str) -> Any:
    """The JSON file ``name`` that ``package`` ships, read without importing the package
    (openapi-spec-validator and openapi-schema-validator take a quarter of a second to
    import); None when it is not where this version of pactcoder expects it."""
    spec = find_spec(package)
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / name
        if path.is_file():
            return json.loads(path.read_text(encoding="utf-8"))
    return None


@cache
def _meta() -> Validator:
    """Python jsonschema's validator of the JSON Schema 2020-12 meta-schema."""
    from jsonschema import Draft202012Validator

    return Draft202012Validator(Draft202012Validator.META_SCHEMA)


@cache
def _structural(is_31: bool) -> Validator:
    """The OpenAPI schema as a Python jsonschema validator, always.

    openapi-spec-validator switches to jsonschema-rs when that is installed, whose
    errors have no sub-errors to pick the most specific one from and other wording.

    The validator resolves references in a registry crawled once, here: left to
    itself, jsonschema crawls the OpenAPI schema anew at every ``$dynamicRef`` it
    follows (the 3.1 schema has one for every Schema Object), which made this pass
    grow with the contract three times faster than it needs to. The errors are
    the same.
    """
    from jsonschema.validators import validator_for
    from jsonschema_specifications import REGISTRY as SPECIFICATIONS
    from openapi_spec_validator.schemas import schema_v30, schema_v31
    from referencing.jsonschema import specification_with

    schema = dict(schema_v31 if is_31 else schema_v30)
    cls = validator_for(schema)
    resource = specification_with(str(schema.get("$schema", ""))).create_resource(schema)
    uri = resource.id() or ""
    registry = SPECIFICATIONS.with_resource(uri, resource).crawl()
    # jsonschema takes a resolver under this name (its own evolve() passes one so).
    validator: Validator = cls(schema, _resolver=registry.resolver(base_uri=uri))  # type: ignore[call-arg]
    return validator


def _plain(schema: Any) -> Any:
    """``schema`` as plain JSON values: jsonschema-rs takes no other, and the libraries hand
    out their schemas as read-only mapping proxies."""
    return json.loads(json.dumps(schema, default=dict))


@cache
def _quick(is_31: bool) -> tuple[Any, Any]:
    """jsonschema-rs validators of the OpenAPI schema and of the 2020-12 meta-schema."""
    schema = _shipped("openapi_spec_validator", _OPENAPI_SCHEMAS[is_31])
    if schema is None:  # another layout of the library: take it from the library
        from openapi_spec_validator.schemas import schema_v30, schema_v31

        schema = _plain(schema_v31 if is_31 else schema_v30)
    meta = _shipped("jsonschema_specifications", "schemas/draft202012/metaschema.json")
    if meta is None:
        from jsonschema import Draft202012Validator

        meta = Draft202012Validator.META_SCHEMA
    return jsonschema_rs.validator_for(schema), jsonschema_rs.validator_for(meta)


def _surely_valid(document: dict[str, Any], is_31: bool) -> bool:
    """Whether passes 1 and 2 would find nothing, as jsonschema-rs says; False when it
    cannot tell (jsonschema then decides, as it always does when there are errors)."""
    structural, meta = _quick(is_31)
    try:
        if not structural.is_valid(document):
            return False
        return not is_31 or all(meta.is_valid(s) for _, s in _schema_objects(document))
    except (ValueError, TypeError, jsonschema_rs.ValidationError):  # values JSON cannot hold
        return False


@cache
def _dialect() -> Any:
    """A jsonschema-rs validator of the OpenAPI 3.1 Schema Object dialect, or None.

    The dialect is 2020-12 plus the OpenAPI vocabulary (discriminator, xml, ...), whose
    meta-schema openapi-schema-validator ships in its registry.
    """
    try:
        files = {
            uri: _shipped("openapi_schema_validator", name) for uri, name in _DIALECT_FILES.items()
        }
        if None in files.values():  # another layout of the library: take them from the library
            from openapi_schema_validator._specifications import REGISTRY

            files = {uri: _plain(REGISTRY.contents(uri)) for uri in _DIALECT_FILES}
        dialect = files.pop(OAS31_DIALECT)
        registry = jsonschema_rs.Registry(list(files.items()))
        return jsonschema_rs.validator_for(dialect, registry=registry)
    except Exception:  # noqa: BLE001 - another version of the library: always check in Python
        return None


@cache
def _regex_check() -> Any:
    """The dialect's check of a ``format: regex`` value (openapi-schema-validator's
    is_valid_regex: ECMA 262 with ``regress`` when that is installed, else Python's re),
    without importing openapi-schema-validator."""
    try:
        from regress import Regex, RegressError  # type: ignore[import-not-found]
    except ImportError:

        def valid(pattern: str) -> bool:
            try:
                re.compile(pattern)
            except re.error:
                return False
            return True

        return valid

    def valid_ecma(pattern: str) -> bool:
        try:
            Regex(pattern)
        except RegressError:
            return False
        return True

    return valid_ecma


def _patterns(node: Any) -> Iterator[Any]:
    """Every value that the meta-schema checks as a regular expression (and some others:
    a string under a key "pattern" in an example, say; those are checked too, no harm)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "pattern" and isinstance(value, str):
                yield value
            elif key == "patternProperties" and isinstance(value, dict):
                yield from value
            yield from _patterns(value)
    elif isinstance(node, list):
        for value in node:
            yield from _patterns(value)


@cache
def _draft4() -> Any:
    """A jsonschema-rs validator of JSON Schema draft 4, the meta-schema against which
    openapi-spec-validator checks an OpenAPI 3.0 Schema Object (with regular expressions
    checked as formats, which jsonschema-rs does by default for draft 4)."""
    meta = _shipped("jsonschema_specifications", "schemas/draft4/metaschema.json")
    if meta is None:
        from jsonschema import Draft4Validator

        meta = Draft4Validator.META_SCHEMA
    return jsonschema_rs.validator_for(meta)


def _conforms_quickly_30(schema: Any) -> bool:
    """Whether openapi-spec-validator's check of ``schema`` as an OpenAPI 3.0 Schema Object
    would pass, as jsonschema-rs says; False when it cannot tell."""
    valid = _regex_check()
    try:
        return bool(_draft4().is_valid(schema)) and all(
            not isinstance(p, str) or valid(p) for p in _patterns(schema)
        )
    except (ValueError, TypeError, jsonschema_rs.ValidationError):
        return False


def _conforms_quickly(schema: Any) -> bool:
    """Whether openapi-spec-validator's check of ``schema`` against the OpenAPI 3.1
    dialect would pass, as jsonschema-rs says (its regular expressions are checked as that
    check does, with the dialect's own format checker); False when it cannot tell."""
    dialect = _dialect()
    if dialect is None:
        return False
    valid = _regex_check()
    try:
        return bool(dialect.is_valid(schema)) and all(
            not isinstance(p, str) or valid(p) for p in _patterns(schema)
        )
    except (ValueError, TypeError, jsonschema_rs.ValidationError):
        return False


@cache
def _semantic_classes() -> tuple[type[Any], type[Any]]:
    """openapi-spec-validator's 3.0 and 3.1 checks with their Schema Object errors located,
    built on first use: importing the library takes a quarter of a second, and a contract
    that :func:`~pactcoder.oas.semantics.surely_clean` vouches for does not need it."""
    from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator
    from openapi_spec_validator.validation.exceptions import OpenAPIValidationError
    from openapi_spec_validator.validation.keywords import (
        OpenAPIV30SchemaValidator,
        OpenAPIV31SchemaValidator,
    )

    class _Located:
        """Gives every error of openapi-spec-validator's Schema Object checks the place of
        its schema in the document, which those errors lack (they are relative to the
        schema).

        ``places`` maps the id of each top-level Schema Object to its path, components
        first, so that a schema reached through a ``$ref`` is reported where it is written.
        """

        places: dict[int, tuple[Any, ...]]

        def __call__(
            self, schema: Any, require_properties: bool = True, meta_checked: bool = False
        ) -> Iterator[Any]:
            at = self.places.get(id(schema.read_value())) or tuple(schema.parts)
            checks: Any = super()
            for error in checks.__call__(schema, require_properties, meta_checked):
                if not hasattr(error, _AT):  # the innermost schema's place is the right one
                    setattr(error, _AT, at)
                yield error

    class _SchemaChecks30(_Located, OpenAPIV30SchemaValidator):
        """openapi-spec-validator's 3.0 Schema Object checks, their errors located."""

    class _SchemaChecks31(_Located, OpenAPIV31SchemaValidator):
        """openapi-spec-validator's 3.1 Schema Object checks, their errors located, with
        the meta-schema check in Python only for a schema that jsonschema-rs does not find
        valid (so its errors are unchanged).

        That check was two thirds of validating a valid contract: jsonschema walks the
        dialect's meta-schema (and its ``$dynamicRef`` links) for every Schema Object.
        """

        def _validate_schema_meta(
            self, schema: Any, schema_value: Any
        ) -> OpenAPIValidationError | None:
            try:
                dialect = self._get_schema_dialect_id(schema, schema_value)
            except (ValueError, AttributeError):  # a bad $schema; another version of it
                dialect = None
            if dialect == OAS31_DIALECT and _conforms_quickly(schema_value):
                return None
            found: OpenAPIValidationError | None = super()._validate_schema_meta(
                schema, schema_value
            )
            return found

    class _Semantic30(OpenAPIV30SpecValidator):
        """openapi-spec-validator's 3.0 checks, Schema Object errors located."""

        keyword_validators = {  # noqa: RUF012 - the library's own class attribute
            **OpenAPIV30SpecValidator.keyword_validators,
            "schema": _SchemaChecks30,
        }

    class _Semantic31(OpenAPIV31SpecValidator):
        """openapi-spec-validator's 3.1 checks, with the Schema Object checks above."""

        keyword_validators = {  # noqa: RUF012 - the library's own class attribute
            **OpenAPIV31SpecValidator.keyword_validators,
            "schema": _SchemaChecks31,
        }

    return _Semantic30, _Semantic31


def validate_contract(contract: LoadedContract) -> Problems:
    """Every way in which ``contract`` breaks the OpenAPI specification."""
    problems = Problems()
    document = contract.document
    version = str(document.get("openapi", ""))
    is_31 = version.startswith("3.1")
    hint = _HINT.format(version="3.1" if is_31 else "3.0")
    if not _surely_valid(document, is_31):
        _structural_problems(problems, contract, is_31, hint)
    if problems.has_errors:
        return problems
    if not surely_clean(document, is_31, _conforms_quickly if is_31 else _conforms_quickly_30):
        _semantic_problems(problems, contract, is_31, hint)
    return problems


def _semantic_problems(
    problems: Problems, contract: LoadedContract, is_31: bool, hint: str
) -> None:
    """Pass 3 with openapi-spec-validator, every error at the place of its schema."""
    from openapi_spec_validator.validation.exceptions import (
        DuplicateOperationIDError,
        UnresolvableParameterError,
    )

    document = contract.document
    checks_30, checks_31 = _semantic_classes()
    semantic = (checks_31 if is_31 else checks_30)(document)
    checks: Any = semantic.keyword_validators_registry["schema"]
    checks.places = _places(document)
    try:
        # Its keyword checks only: its iter_errors() would first validate the whole
        # document against the OpenAPI schema again, which the first pass has just done.
        found = semantic.root_validator(semantic.schema_path)
        # Checked by pactcoder.oas.parse instead, which can say where: these carry no path.
        left_to_parse = (DuplicateOperationIDError, UnresolvableParameterError)
        errors = [e for e in found if not isinstance(e, left_to_parse)]
    except Exception as exc:  # noqa: BLE001 - the library can fail on odd documents
        problems.error(
            f"the OpenAPI validator could not check this contract: {exc}",
            hint="look for a $ref or value of an unexpected kind near the reported place",
            at=contract.locate(()),
        )
        return
    for error in errors:
        at: tuple[Any, ...] = getattr(error, _AT, ())
        explained = _explain(error)
        _report(problems, contract, (*at, *explained.absolute_path), explained.message, hint)


def _structural_problems(
    problems: Problems, contract: LoadedContract, is_31: bool, hint: str
) -> None:
    """Passes 1 and 2 with jsonschema, every error at its own path."""
    document = contract.document
    structural = _structural(is_31)
    for error in map(_explain, structural.iter_errors(document)):
        _report(problems, contract, tuple(error.absolute_path), error.message, hint)
    if is_31:
        for path, schema in _schema_objects(document):
            for error in map(_explain, _meta().iter_errors(schema)):
                _report(
                    problems,
                    contract,
                    (*path, *error.absolute_path),
                    error.message,
                    "fix this schema so it is valid JSON Schema 2020-12",
                )


def _report(
    problems: Problems, contract: LoadedContract, path: tuple[Any, ...], message: str, hint: str
) -> None:
    unexpected = _UNEXPECTED.search(message)
    if unexpected:  # point at the (first) key that is not allowed, not at the object
        path = (*path, unexpected.group(1))
    where = "/".join(str(p) for p in path) or "(document root)"
    problems.error(f"{message} (at {where})", hint=hint, at=contract.locate(path))


def _explain(error: ValidationError) -> ValidationError:
    """The error to report: for 'not valid under any of' errors, the deepest sub-error.

    In OpenAPI 3.0 a schema is "a Schema Object or a Reference Object"; a typo deep
    inside a schema fails both, and the shallow "'$ref' is a required property" of
    the branch nobody meant is what jsonschema's best_match picks. The deepest
    failure is in the branch the author meant, and it says where the typo is.
    """
    if not error.context:  # nothing to choose from (and the semantic pass's errors carry
        return error  # no type checker, which best_match would ask for)
    from jsonschema.exceptions import best_match

    leaves = list(_leaves(error))
    depth = max(len(e.absolute_path) for e in leaves)
    best = best_match(e for e in leaves if len(e.absolute_path) == depth)
    return best if best is not None and best.message else error


def _leaves(error: ValidationError) -> Iterator[ValidationError]:
    if not error.context:
        yield error
    for sub in error.context or ():
        yield from _leaves(sub)


def _schema_objects(document: dict[str, Any]) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """Top-level Schema Objects: components and every parameter / media type schema."""
    for name, schema in (document.get("components", {}).get("schemas") or {}).items():
        yield ("components", "schemas", name), schema
    yield from _nested_schemas(document, ())


def _places(document: dict[str, Any]) -> dict[int, tuple[Any, ...]]:
    """The path of every object inside a Schema Object, by id; components first, so that
    an object is placed where it is written, not where a ``$ref`` leads to it."""
    places: dict[int, tuple[Any, ...]] = {}

    def visit(node: Any, path: tuple[Any, ...]) -> None:
        if isinstance(node, dict):
            if places.setdefault(id(node), path) is not path:
                return  # seen before: a shared object keeps its first place
            for key, value in node.items():
                visit(value, (*path, key))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                visit(value, (*path, index))

    for path, schema in _schema_objects(document):
        visit(schema, path)
    return places


def _nested_schemas(node: Any, path: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], Any]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "schema" and isinstance(value, dict | bool):
                yield (*path, key), value
            elif key not in ("schemas", "example", "examples") and not key.startswith("x-"):
                yield from _nested_schemas(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _nested_schemas(value, (*path, index))
