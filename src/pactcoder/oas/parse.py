"""Turn a validated contract (plain data) into the typed model of :mod:`.model`.

Also checks what the OpenAPI schema cannot: unique ``operationId`` values and
path templates that match their path parameters.

Example::

    document = parse_document(contract, problems)
    [op.key for op in document.operations]      # ["GET /pets", "POST /pets", ...]
"""

from __future__ import annotations

import re
from typing import Any

from pactcoder.load import LoadedContract
from pactcoder.load.bundle import parse_pointer, resolve_pointer
from pactcoder.oas.model import (
    HTTP_METHODS,
    Discriminator,
    Document,
    Header,
    Info,
    MediaType,
    Operation,
    Parameter,
    RequestBody,
    Response,
    Schema,
    SecurityScheme,
    Server,
)
from pactcoder.oas.xpact import (
    DocumentPact,
    OperationPact,
    PropertyPact,
    SchemaPact,
    SecuritySchemePact,
    context_of,
    read_pact,
)
from pactcoder.problems import Location, Problems

Path_ = tuple[str | int, ...]
#: Marks a property read as writeOnly because its name says it holds a secret.
IMPLIED_WRITE_ONLY = "x-pactcoder-implied-write-only"
_SECRET_NAMES = {"password", "passwd", "passcode", "pin", "pin_code", "secret", "private_key"}


def _secret_like(name: str, prop: Schema) -> bool:
    """Whether a string property holds a password or another secret (``format: password``,
    or a name such as password, new_password, pin, client_secret), not marked writeOnly."""
    if prop.write_only or prop.read_only or prop.type not in ("string", None):
        return False
    words = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).lower().replace("-", "_")
    return (
        prop.format == "password"
        or words in _SECRET_NAMES
        or words.endswith(("_password", "_secret", "_passcode"))
    )


_TEMPLATE = re.compile(r"\{([^{}]+)\}")


def parse_document(contract: LoadedContract, problems: Problems) -> Document:
    """The typed model of ``contract``; problems found on the way go to ``problems``."""
    return _Parser(contract, problems).document()


def _escape(token: str | int) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


class _Parser:
    def __init__(self, contract: LoadedContract, problems: Problems) -> None:
        self.contract = contract
        self.raw = contract.document
        self.problems = problems
        self._schemas: dict[str, Schema] = {}

    # -- references ------------------------------------------------------------------

    def _deref(self, node: Any, path: Path_) -> tuple[Any, Path_]:
        """Follow internal ``$ref`` chains; returns the target and its path."""
        seen: set[str] = set()
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if ref in seen:
                break
            seen.add(ref)
            tokens = parse_pointer(ref.partition("#")[2])
            found, target = resolve_pointer(self.raw, tokens)
            if not found:
                break
            node, path = target, tuple(tokens)
        return node, path

    # -- document --------------------------------------------------------------------

    def document(self) -> Document:
        raw = self.raw
        info = raw.get("info") or {}
        components = raw.get("components") or {}
        schemas = {
            name: self.schema(value, ("components", "schemas", name))
            for name, value in (components.get("schemas") or {}).items()
        }
        operations = self._operations()
        return Document(
            openapi=str(raw.get("openapi", "")),
            info=Info(
                title=str(info.get("title", "API")),
                version=str(info.get("version", "0.1.0")),
                description=info.get("description"),
            ),
            servers=self._servers(raw.get("servers")),
            operations=operations,
            schemas=schemas,
            security_schemes=self._security_schemes(components.get("securitySchemes") or {}),
            security=list(raw.get("security") or []),
            tags=[t for t in raw.get("tags") or [] if isinstance(t, dict)],
            extensions={k: v for k, v in raw.items() if k.startswith("x-")},
            raw=raw,
            pact=read_pact(DocumentPact, raw.get("x-pact")),
        )

    def _servers(self, entries: Any) -> list[Server]:
        servers: list[Server] = []
        for index, entry in enumerate(entries if isinstance(entries, list) else []):
            if not isinstance(entry, dict):
                continue
            variables = entry.get("variables")
            servers.append(
                Server(
                    url=str(entry.get("url", "/")),
                    variables={
                        str(name): None if v.get("default") is None else str(v["default"])
                        for name, v in (variables if isinstance(variables, dict) else {}).items()
                        if isinstance(v, dict)
                    },
                    location=self.contract.locate(("servers", index, "url")),
                )
            )
        return servers

    def _security_schemes(self, entries: dict[str, Any]) -> dict[str, SecurityScheme]:
        schemes: dict[str, SecurityScheme] = {}
        for name, value in entries.items():
            node, path = self._deref(value, ("components", "securitySchemes", name))
            schemes[name] = SecurityScheme(
                name=name,
                type=str(node.get("type", "")),
                scheme=(node.get("scheme") or "").lower() or None,
                bearer_format=node.get("bearerFormat"),
                in_=node.get("in"),
                parameter_name=node.get("name"),
                flows=node.get("flows") or {},
                description=node.get("description"),
                location=self.contract.locate(path),
                extensions={k: v for k, v in node.items() if k.startswith("x-")},
                open_id_connect_url=node.get("openIdConnectUrl") or None,
                pact=read_pact(SecuritySchemePact, node.get("x-pact")),
            )
        return schemes

    # -- operations ------------------------------------------------------------------

    def _operations(self) -> list[Operation]:
        operations: list[Operation] = []
        seen_ids: dict[str, tuple[Operation, Location | None]] = {}
        for path, item in (self.raw.get("paths") or {}).items():
            item, item_path = self._deref(item, ("paths", path))
            if not isinstance(item, dict):
                continue
            shared = self._parameters(item.get("parameters") or [], (*item_path, "parameters"))
            for method in HTTP_METHODS:
                if method not in item:
                    continue
                op_path = (*item_path, method)
                operation = self._operation(path, method, item[method], op_path, shared)
                operations.append(operation)
                if operation.operation_id:
                    here = self.contract.locate((*op_path, "operationId"))
                    first = seen_ids.get(operation.operation_id)
                    if first:
                        self.problems.error(
                            f"operationId '{operation.operation_id}' is used twice"
                            f" (also by {first[0].key} at {first[1]})",
                            hint="give each operation its own operationId",
                            at=here,
                        )
                    seen_ids.setdefault(operation.operation_id, (operation, here))
        return operations

    def _operation(
        self, path: str, method: str, node: dict[str, Any], at: Path_, shared: list[Parameter]
    ) -> Operation:
        own = self._parameters(node.get("parameters") or [], (*at, "parameters"))
        own_keys = {(p.name, p.in_) for p in own}
        parameters = [p for p in shared if (p.name, p.in_) not in own_keys] + own
        body = None
        if "requestBody" in node:
            body_node, body_path = self._deref(node["requestBody"], (*at, "requestBody"))
            body = RequestBody(
                required=bool(body_node.get("required", False)),
                content=self._content(body_node.get("content") or {}, (*body_path, "content")),
                description=body_node.get("description"),
                location=self.contract.locate(body_path),
            )
        responses = {
            str(status): self._response(str(status), value, (*at, "responses", str(status)))
            for status, value in (node.get("responses") or {}).items()
            if not str(status).startswith("x-")
        }
        operation = Operation(
            path=path,
            method=method,
            operation_id=node.get("operationId"),
            summary=node.get("summary"),
            description=node.get("description"),
            tags=[str(t) for t in node.get("tags") or []],
            parameters=parameters,
            request_body=body,
            responses=responses,
            security=node.get("security"),
            deprecated=bool(node.get("deprecated", False)),
            location=self.contract.locate(at),
            extensions={k: v for k, v in node.items() if k.startswith("x-")},
            pact=read_pact(OperationPact, node.get("x-pact")),
        )
        self._check_path_template(operation)
        return operation

    def _check_path_template(self, operation: Operation) -> None:
        in_template = _TEMPLATE.findall(operation.path)
        declared = {p.name for p in operation.parameters if p.in_ == "path"}
        for name in in_template:
            if name not in declared:
                self.problems.error(
                    f"{operation.key}: path parameter '{name}' is not declared",
                    hint=f"add a parameter with name: {name}, in: path, required: true",
                    at=operation.location,
                )
        for parameter in operation.parameters:
            if parameter.in_ == "path" and parameter.name not in in_template:
                self.problems.error(
                    f"{operation.key}: path parameter '{parameter.name}' is not in the path",
                    hint="rename it to match a {placeholder} in the path, or remove it",
                    at=parameter.location,
                )

    def _parameters(self, nodes: list[Any], at: Path_) -> list[Parameter]:
        parameters = []
        for index, raw in enumerate(nodes):
            node, path = self._deref(raw, (*at, index))
            if not isinstance(node, dict):
                continue
            schema_node = node.get("schema")
            if schema_node is None and isinstance(node.get("content"), dict):
                media: dict[str, Any] = next(iter(node["content"].values()), {}) or {}
                schema_node, schema_path = media.get("schema"), (*path, "content")
            else:
                schema_path = (*path, "schema")
            parameters.append(
                Parameter(
                    name=str(node.get("name", "")),
                    in_=str(node.get("in", "")),
                    required=bool(node.get("required", node.get("in") == "path")),
                    schema=self.schema(schema_node, schema_path) if schema_node else None,
                    description=node.get("description"),
                    style=node.get("style"),
                    explode=node.get("explode"),
                    deprecated=bool(node.get("deprecated", False)),
                    location=self.contract.locate(path),
                    extensions={k: v for k, v in node.items() if k.startswith("x-")},
                )
            )
        return parameters

    def _content(self, content: dict[str, Any], at: Path_) -> dict[str, MediaType]:
        result = {}
        for media_type, value in content.items():
            schema_node = (value or {}).get("schema")
            path = (*at, media_type)
            result[media_type] = MediaType(
                media_type=media_type,
                schema=self.schema(schema_node, (*path, "schema")) if schema_node else None,
                location=self.contract.locate(path),
            )
        return result

    def _response(self, status: str, raw: Any, at: Path_) -> Response:
        node, path = self._deref(raw, at)
        headers = {}
        for name, value in (node.get("headers") or {}).items():
            header, header_path = self._deref(value, (*path, "headers", name))
            schema_node = header.get("schema")
            headers[name] = Header(
                name=name,
                schema=self.schema(schema_node, (*header_path, "schema")) if schema_node else None,
                required=bool(header.get("required", False)),
                description=header.get("description"),
            )
        return Response(
            status=status,
            description=str(node.get("description", "")),
            content=self._content(node.get("content") or {}, (*path, "content")),
            headers=headers,
            location=self.contract.locate(at),
        )

    # -- schemas ---------------------------------------------------------------------

    def schema(self, node: Any, at: Path_) -> Schema:
        """The Schema for ``node``; a ``$ref`` gives the shared object of its target.

        A ``$ref`` with sibling keywords (allowed in 3.1, e.g. ``readOnly: true``
        beside it) becomes a schema of its own: the siblings plus ``allOf: [target]``.
        """
        if isinstance(node, dict) and "$ref" in node and len(node) > 1:
            wrapper = {k: v for k, v in node.items() if k != "$ref"}
            wrapper["allOf"] = [{"$ref": node["$ref"]}]
            return self._new_schema(wrapper, at)
        node, at = self._deref(node, at)
        return self._new_schema(node, at)

    def _new_schema(self, node: Any, at: Path_) -> Schema:
        pointer = "/" + "/".join(_escape(t) for t in at)
        if pointer in self._schemas:
            return self._schemas[pointer]
        name = str(at[2]) if len(at) == 3 and at[:2] == ("components", "schemas") else None
        schema = Schema(pointer=pointer, location=self.contract.locate(at), name=name)
        self._schemas[pointer] = schema
        if node is True or not isinstance(node, dict):
            return schema  # `true` or `{}`: any value
        self._fill(schema, node, at)
        return schema

    def _fill(self, schema: Schema, node: dict[str, Any], at: Path_) -> None:
        kind = node.get("type")
        if isinstance(kind, list):
            kinds = [k for k in kind if k != "null"]
            schema.nullable = len(kinds) < len(kind)
            schema.type = kinds[0] if len(kinds) == 1 else None
            if len(kinds) > 1:
                schema.extensions["x-pactcoder-types"] = kinds
        elif isinstance(kind, str):
            schema.type = None if kind == "null" else kind
            schema.nullable = kind == "null"
        schema.nullable = schema.nullable or node.get("nullable") is True
        schema.format = node.get("format")
        schema.title = node.get("title")
        schema.description = node.get("description")
        if isinstance(node.get("enum"), list):
            schema.enum = list(node["enum"])
            if None in schema.enum:
                schema.nullable = True
                schema.enum = [v for v in schema.enum if v is not None]
        if "const" in node:
            schema.const, schema.has_const = node["const"], True
        if "default" in node:
            schema.default, schema.has_default = node["default"], True
        if "example" in node:
            schema.example, schema.has_example = node["example"], True
        elif isinstance(node.get("examples"), list) and node["examples"]:
            schema.example, schema.has_example = node["examples"][0], True
        schema.read_only = node.get("readOnly") is True
        schema.write_only = node.get("writeOnly") is True
        schema.deprecated = node.get("deprecated") is True
        for key, attr in (
            ("minLength", "min_length"),
            ("maxLength", "max_length"),
            ("minItems", "min_items"),
            ("maxItems", "max_items"),
            ("minProperties", "min_properties"),
            ("maxProperties", "max_properties"),
            ("multipleOf", "multiple_of"),
            ("pattern", "pattern"),
        ):
            if key in node:
                setattr(schema, attr, node[key])
        schema.unique_items = node.get("uniqueItems") is True
        schema.minimum = node.get("minimum")
        schema.maximum = node.get("maximum")
        for key, attr, bound in (
            ("exclusiveMinimum", "exclusive_minimum", "minimum"),
            ("exclusiveMaximum", "exclusive_maximum", "maximum"),
        ):
            value = node.get(key)
            if value is True:  # 3.0: a flag on minimum/maximum
                setattr(schema, attr, getattr(schema, bound))
                setattr(schema, bound, None)
            elif isinstance(value, int | float) and not isinstance(value, bool):
                setattr(schema, attr, value)
        for name, value in (node.get("properties") or {}).items():
            prop = schema.properties[name] = self.schema(value, (*at, "properties", name))
            if _secret_like(name, prop) and prop.name is None:
                # Never answered, as if writeOnly; the IR warns where a response holds it.
                prop.write_only = True
                prop.extensions[IMPLIED_WRITE_ONLY] = True
        schema.required = [str(r) for r in node.get("required") or []]
        extra = node.get("additionalProperties", True)
        if isinstance(extra, dict):
            schema.additional_properties = self.schema(extra, (*at, "additionalProperties"))
        else:
            schema.additional_properties = bool(extra)
        if isinstance(node.get("items"), dict):
            schema.items = self.schema(node["items"], (*at, "items"))
        for key, attr in (("allOf", "all_of"), ("oneOf", "one_of"), ("anyOf", "any_of")):
            members = []
            for index, member in enumerate(node.get(key) or []):
                if isinstance(member, dict) and member.get("type") == "null" and len(member) == 1:
                    schema.nullable = True  # `oneOf: [X, {type: null}]` is a nullable X
                    continue
                members.append(self.schema(member, (*at, key, index)))
            setattr(schema, attr, members)
        if isinstance(node.get("discriminator"), dict):
            disc = node["discriminator"]
            mapping = {}
            for value, ref in (disc.get("mapping") or {}).items():
                target = ref if str(ref).startswith("#") else f"#/components/schemas/{ref}"
                tokens = parse_pointer(target.partition("#")[2])
                mapping[str(value)] = self.schema({"$ref": target}, tuple(tokens))
            schema.discriminator = Discriminator(str(disc.get("propertyName", "")), mapping)
        schema.extensions.update({k: v for k, v in node.items() if k.startswith("x-")})
        if "x-pact" in node:
            if context_of((*at, "x-pact")) == "property":
                schema.property_pact = read_pact(PropertyPact, node["x-pact"])
            else:
                schema.pact = read_pact(SchemaPact, node["x-pact"])
        missing = [r for r in schema.required if r not in schema.properties]
        composed = schema.all_of or schema.one_of or schema.any_of or "allOf" in at
        if missing and schema.properties and not composed:
            self.problems.warning(
                f"required lists {', '.join(repr(m) for m in missing)}, not among the properties",
                hint="add the property or remove it from 'required' (likely a typo)",
                at=self.contract.locate((*at, "required")),
            )
