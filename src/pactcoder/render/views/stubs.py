"""The seam: operations pactcoder cannot implement, each a typed stub the user writes.

For every operation the contract does not let pactcoder implement, the service gets
``app/operations/<function>.py``, written once and never again (see
:mod:`pactcoder.output`): one ``async def`` taking what the route read (its path and
query parameters, its body as the request model, the caller, a database session,
the request) and returning the response model, with the operation's contract in its
docstring. Until it is written it raises ``NotWritten`` and the route answers 501 in
the contract's error format; ``tests/test_stubs.py`` has one test per stub that fails
until then. This module decides the names, the signature and the excerpt; the
templates ``app/operations/*.jinja`` and ``tests/test_stubs.py.jinja`` spell them.

Example::

    stub = stub_of(endpoint, view)
    stub.path, stub.function, stub.signature    # 'app/operations/vaccinate_pet.py', ...
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from pactcoder.ir.model import Endpoint, Service
from pactcoder.ir.stubs import stub_path, stub_test
from pactcoder.render.views.common import names_in

#: The longest contract excerpt a stub's docstring shows (the whole one is in
#: app/core/contract.py).
_EXCERPT_CHARS = 6000


@dataclass
class StubParam:
    """One parameter of a stub: its name, its type, what it is."""

    name: str
    annotation: str
    doc: str


@dataclass
class Stub:
    """What ``app/operations/<function>.py`` and the route calling it need."""

    endpoint: Endpoint
    path: str
    module: str
    function: str
    params: list[StubParam]
    returns: str
    #: The model of a JSON answer (None: the operation answers no JSON body).
    answer_model: str | None
    excerpt: str
    #: Schema models the stub's types name: {schemas module: [names]}.
    schema_imports: dict[str, list[str]]
    #: The alias the route module imports the stub's module as.
    alias: str
    #: The detail of the 501 answered until the stub is written.
    message: str
    #: The generated test that fails until then.
    test: str

    @property
    def call_args(self) -> str:
        """The keyword arguments the route passes, by name."""
        return ", ".join(f"{p.name}={p.name}" for p in self.params)


def excerpt(service: Service, endpoint: Endpoint) -> str:
    """The operation as the contract says it, in YAML (``$ref``s left as they are)."""
    item = service.contract.get("paths", {}).get(endpoint.path, {})
    operation: Any = {endpoint.method: item.get(endpoint.method, {})}
    shared = item.get("parameters")
    if shared:
        operation = {"parameters": shared, **operation}
    text = yaml.safe_dump(
        {endpoint.path: operation}, sort_keys=False, allow_unicode=True, width=88
    ).rstrip()
    if len(text) > _EXCERPT_CHARS:
        text = text[:_EXCERPT_CHARS].rsplit("\n", 1)[0] + "\n# ... (the rest: app/core/contract.py)"
    return text


def stub_of(endpoint: Endpoint, service: Service, body_model: str, imports: Any) -> Stub:
    """The stub of ``endpoint``. ``body_model`` is the model the route validates the body
    with; ``imports(names)`` gives the schema imports of a set of model names."""
    params = [
        StubParam("request", "Request", "the HTTP request (headers, cookies, the raw body)"),
        StubParam("session", "AsyncSession", "this request's database session (committed"
                  " when the operation returns, rolled back when it raises)"),
    ]  # fmt: skip
    access = endpoint.access
    if access.needs_principal:
        optional = " | None" if access.optional else ""
        params.append(StubParam("principal", f"Principal{optional}", "the signed-in caller"))
    for param in endpoint.params:
        if param.location not in ("path", "query"):
            continue
        where = "path" if param.location == "path" else "query"
        doc = f"the {where} parameter {param.alias!r}"
        if param.description:
            doc += f": {' '.join(param.description.split())}"
        params.append(StubParam(param.name, param.annotation, doc))
    if endpoint.request_model:
        optional = "" if endpoint.request_required else " | None"
        params.append(StubParam("body", body_model + optional, "the request body, validated"))
    if endpoint.if_match:
        params.append(StubParam("if_match", "str | None", "the If-Match header"))
    answer = None
    if endpoint.status_code != 204 and endpoint.response_model:
        answer = (
            endpoint.response_envelope[0]
            if endpoint.response_envelope is not None
            else endpoint.response_model
        )
    returns = f"{answer} | Response" if answer else "Response | None"
    used: set[str] = set()
    for made in params:
        used |= names_in(made.annotation)
    if answer:
        used |= names_in(answer)
    return Stub(
        endpoint=endpoint,
        path=stub_path(endpoint),
        module=endpoint.function,
        function=endpoint.function,
        params=params,
        returns=returns,
        answer_model=answer,
        excerpt=excerpt(service, endpoint),
        schema_imports=imports(used),
        alias=f"{endpoint.function}_code",
        message=(
            "This operation is not implemented yet: "
            + "; ".join(endpoint.reasons)
            + f". Its code is written by hand in the service's {stub_path(endpoint)}; or say"
            " how in the contract or its x-pact overlay (see pactcoder's docs/x-pact.md) and"
            " build again."
        ),
        test=stub_test(endpoint),
    )
