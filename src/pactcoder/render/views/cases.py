"""The service's view, top layer: the requests and plans of the generated tests."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from pactcoder.ir.model import (
    AuthScheme,
    Endpoint,
    Kind,
)
from pactcoder.ir.names import attribute
from pactcoder.render.views.common import CaseView
from pactcoder.render.views.plans import DomainPlan, TestPlan, request_kwarg
from pactcoder.render.views.resource import ResourceView
from pactcoder.render.views.routes import RoutesView


class ServiceView(RoutesView):
    """The whole service grouped by output file: what every template reads as ``view``."""

    @cached_property
    def domain(self) -> DomainPlan:
        return DomainPlan(self)

    def test_plan(self, resource: ResourceView) -> TestPlan:
        return TestPlan(resource)

    request_kwarg = staticmethod(request_kwarg)

    @staticmethod
    def test_key(resource: ResourceView) -> str:
        """Source of a made record's key from its body, in the key's Python type."""
        value = f"made.body[{resource.id.api_name!r}]"
        return {"uuid.UUID": f"uuid.UUID({value})", "int": f"int({value})"}.get(
            resource.id_type, value
        )

    @staticmethod
    def missing_key(resource: ResourceView) -> str:
        """Source of a key no record has."""
        return {"uuid.UUID": "uuid.uuid4()", "int": "2**62"}.get(
            resource.id_type, "'no-such-record'"
        )

    @staticmethod
    def case_url(endpoint: Endpoint) -> str:
        """The endpoint's path with sample values for its path parameters."""
        url = endpoint.path
        for param in endpoint.params:
            if param.location == "path":
                url = url.replace("{" + param.alias + "}", str(param.sample))
        return url

    def _case(self, endpoint: Endpoint) -> tuple[str, str, str, Any]:
        return (
            endpoint.operation_id,
            endpoint.method.upper(),
            self.case_url(endpoint),
            endpoint.request_sample,
        )

    @cached_property
    def protected_cases(self) -> list[tuple[str, str, str, Any]]:
        return [
            self._case(e)
            for e in self.service.endpoints
            if not e.access.public
            and e.access.schemes
            and e.kind is not Kind.TOKEN
            and any(s.name in e.access.schemes for s in self.used_schemes)
        ]

    @cached_property
    def bearer_cases(self) -> list[tuple[str, str, str, Any]]:
        bearer = {s.name for s in self.used_schemes if s.kind == "bearer"}
        return [
            self._case(e)
            for e in self.service.endpoints
            if not e.access.public and e.access.schemes and set(e.access.schemes) <= bearer
        ]

    @cached_property
    def external_cases(self) -> list[tuple[str, str, str, Any]]:
        """Protected operations taking an external issuer's tokens."""
        external = {s.name for s in self.external_schemes}
        return [
            self._case(e)
            for e in self.service.endpoints
            if not e.access.public and external & set(e.access.schemes)
        ]

    @cached_property
    def scoped_cases(self) -> list[tuple[str, str, str, Any]]:
        """Protected operations refusing an external token without scopes (403)."""
        external = {s.name for s in self.external_schemes}
        return [
            self._case(e)
            for e in self.service.endpoints
            if not e.access.public
            and external & set(e.access.schemes)
            and all(e.access.scopes.get(n) for n in external & set(e.access.schemes))
        ]

    @cached_property
    def optional_cases(self) -> list[tuple[str, str, str, Any, dict[str, str]]]:
        """Operations where credentials are optional, each with credentials in a header that
        do not check out: (operationId, method, URL, body, headers)."""
        schemes = {s.name: s for s in self.used_schemes}
        cases = []
        for endpoint in self.service.endpoints:
            if not (endpoint.implemented and endpoint.access.optional):
                continue
            accepted = [schemes[n] for n in endpoint.access.schemes if n in schemes]
            bad = next((h for s in accepted if (h := _bad_credentials(s))), None)
            if bad is not None:
                cases.append((*self._case(endpoint), bad))
        return cases

    def credential_case(self, kind: str) -> CaseView | None:
        """An operation that takes credentials of a scheme of ``kind`` ("api-key", "basic")
        and needs no role: a read first (it changes nothing), a list before all."""
        names = {s.name for s in self.used_schemes if s.kind == kind}
        candidates = [
            e
            for e in self.service.endpoints
            if e.implemented
            and not e.access.public
            and not e.access.roles
            and names & set(e.access.schemes)
            and e.kind is not Kind.TOKEN
        ]
        candidates.sort(
            key=lambda e: (e.method != "get", e.kind is not Kind.LIST, not e.answers_json)
        )
        return CaseView(*self._case(candidates[0])) if candidates else None

    @property
    def login_api_name(self) -> str | None:
        """The JSON name of the accounts' login field (HTTP basic names the account by it)."""
        users = self.accounts
        login = self.service.auth.login_column
        column = next((c for c in users.table.columns if c.attr == login), None) if users else None
        return column.api_name if column is not None else None

    @property
    def token_prefixes(self) -> list[str]:
        return sorted({s.prefix.lower() for s in self.used_schemes if s.kind == "bearer"})

    @cached_property
    def role_cases(self) -> list[tuple[str, str, str, Any]]:
        ordinary = self.ordinary_role_value
        held = set(ordinary) if isinstance(ordinary, list) else {ordinary}
        return [
            self._case(e)
            for e in self.service.endpoints
            if e.access.roles and not held & set(e.access.roles) and not e.access.public
        ]

    @property
    def owned_resources(self) -> list[ResourceView]:
        return [r for r in self.resources if r.resource.private_reads]

    @property
    def shared_resources(self) -> list[ResourceView]:
        """Owned resources anyone may read (only their owner changes them)."""
        return [r for r in self.resources if r.guards_writes]

    @property
    def rate_limit_case(self) -> CaseView | None:
        """An operation to exhaust a rate limit on: sign-in, else a list without parameters."""
        candidates = [
            e
            for e in self.service.endpoints
            if e.implemented
            and e.access.public
            and e.rate_scope in ("default", "auth")
            and not any(p.location == "path" for p in e.params)
        ]
        # Lists first (they change nothing), then anything else public.
        candidates.sort(key=lambda e: (e.kind is not Kind.LIST, not e.answers_json))
        return CaseView(*self._case(candidates[0])) if candidates else None

    @property
    def body_case(self) -> CaseView | None:
        for endpoint in self.service.endpoints:
            if endpoint.request_model and endpoint.reads_json:
                return CaseView(*self._case(endpoint))
        return None

    @property
    def etag_case(self) -> CaseView | None:
        for endpoint in self.service.endpoints:
            if (
                endpoint.kind is Kind.LIST
                and endpoint.implemented
                and endpoint.answers_json
                and not endpoint.param("parent")
            ):
                return CaseView(*self._case(endpoint))
        return None

    def cursor_field(self, endpoint: Endpoint) -> str:
        """The JSON name of the next page's cursor in a list envelope."""
        model = self.model(endpoint.envelope or "")
        alias = {f.name: f.alias for f in model.fields} if model else {}
        name = next(n for n, role in endpoint.envelope_fields.items() if role == "next_cursor")
        return alias.get(name, name)

    send = staticmethod(TestPlan.send)

    body_of = staticmethod(TestPlan.body_of)

    @staticmethod
    def inner_sample(endpoint: Endpoint) -> Any:
        """A valid request body of ``endpoint``, out of its envelope."""
        sample = endpoint.request_sample
        if endpoint.request_envelope is not None and isinstance(sample, dict):
            return sample.get(endpoint.request_envelope[1], sample)
        return sample

    @staticmethod
    def attr_of(json_name: str) -> str:
        return attribute(json_name)


def _bad_credentials(scheme: AuthScheme) -> dict[str, str] | None:
    """Headers with credentials of ``scheme`` that no service accepts, or None when the
    scheme reads no header."""
    if scheme.kind in ("bearer", "oauth2"):
        return {"Authorization": f"{scheme.prefix} not-a-token"}
    if scheme.kind == "basic":
        return {"Authorization": "Basic bm8tc3VjaC1sb2dpbjp3cm9uZw=="}  # no-such-login:wrong
    if scheme.location == "header":
        return {scheme.parameter: "not-a-key"}
    return None
