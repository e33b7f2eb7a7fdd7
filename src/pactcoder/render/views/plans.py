"""What the generated tests need: per resource (TestPlan) and for the domain tests (DomainPlan)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from pactcoder.ir.model import (
    FORM_MEDIA,
    Endpoint,
    Kind,
    Operator,
    Param,
    Source,
)
from pactcoder.ir.types import PyType
from pactcoder.render.spell import keyword_argument
from pactcoder.render.views.accounts import AccountsView
from pactcoder.render.views.file_samples import uploaded_by
from pactcoder.render.views.filter_tests import filter_test, predicates_test
from pactcoder.render.views.parent_keys import ParentKeys
from pactcoder.render.views.resource import ResourceView


def request_kwarg(endpoint: Endpoint, expression: str, whole: bool = False) -> str:
    """The keyword argument of a test request sending ``expression`` as its body (inside its
    envelope, unless it is the ``whole`` body): JSON, or the form the operation reads
    (urlencoded fields as ``data``, multipart fields as ``files`` without file names;
    tests/forms.py spells the values as a form does)."""
    sent = expression if whole else TestPlan.send(endpoint, expression)
    form = next((m for m in endpoint.body_media if m in FORM_MEDIA), None)
    if form is None:
        return f"json={sent}"
    if form == "multipart/form-data":
        return f"files=form_parts({sent})"
    return f"data=form_data({sent})"


def _record_model(endpoint: Endpoint) -> str:
    """The model of a request body's record (each record's, in a bulk body)."""
    return (endpoint.request_model or "").removeprefix("list[").removesuffix("]")


#: Where a field's value differs from one record to the next by construction.
_DISTINCT_SOURCES = frozenset({Source.ID, Source.CREATED, Source.UPDATED, Source.SLUG})


class TestPlan(ParentKeys):
    """What the generated tests of one resource need: factories, keys, fields to vary."""

    def __init__(self, resource: ResourceView) -> None:
        self.r = resource
        self.create = next(
            (e for e in resource.endpoints if e.kind is Kind.CREATE and e.implemented), None
        )
        self.creatable = self.create is not None and bool(resource.resource.payloads)
        #: Records are made by uploading a sample file (tests/files.py) through the API.
        uploaded = uploaded_by(resource.endpoints)
        self.upload: Endpoint | None = uploaded[0] if uploaded else None
        self.upload_sample: str | None = uploaded[1] if uploaded else None
        self.uploads = not self.creatable and self.upload is not None
        self.seedable = not self.creatable and not self.uploads and bool(resource.resource.seeds)
        self.has_factory = self.creatable or self.seedable or self.uploads
        self.constant = (
            f"{resource.noun.singular.upper()}_{'PAYLOADS' if self.creatable else 'SEEDS'}"
        )
        self.samples = resource.resource.payloads if self.creatable else resource.resource.seeds

    def test_template(self, endpoint: Endpoint) -> str | None:
        """The template of ``endpoint``'s tests under tests/resource/, by what it does."""
        if not endpoint.implemented:
            return None  # written by hand: tests/test_stubs.py
        if not endpoint.answers_json:
            return None  # text, CSV, HTML, bytes, redirects: tests/test_media.py
        if not self.has_factory:
            return None
        if endpoint.kind is Kind.LIST and not endpoint.feed:
            return "tests/resource/list.py.jinja"
        kinds = {
            Kind.CREATE: "create",
            Kind.READ: "read",
            Kind.REPLACE: "change",
            Kind.UPDATE: "change",
            Kind.DELETE: "delete",
        }
        kind = kinds.get(endpoint.kind)
        if kind == "create" and endpoint.request_model is None:
            kind = "create_empty"  # no body: each request makes a record of its own
        if kind == "change" and endpoint.bulk:
            kind = "change_many"
        return f"tests/resource/{kind}.py.jinja" if kind else None

    @property
    def create_parents(self) -> list[tuple[Param, ResourceView]]:
        """Parents a record is created under (its collection is nested in theirs)."""
        if not self.create:
            return []
        return [(p, self.r.parent_for(p)) for p in self.r.scope_params(self.create)]

    @property
    def key_sources(self) -> dict[str, str]:
        """Path parameter → Python source of its value for a made record."""
        # Records made through the API are under the parents they were made in; stored ones
        # (also where the create takes no body, so no payload) name theirs in their fields.
        nested = {p.alias for p, _ in self.create_parents} if self.creatable else set()
        sources: dict[str, str] = {}
        for endpoint in self.r.endpoints:
            for param in endpoint.params:
                if param.location != "path" or param.alias in sources:
                    continue
                if param.role == "id":
                    sources[param.alias] = f"body[{self.r.key.api_name!r}]"
                elif param.role == "parent" and param.alias in nested:
                    sources[param.alias] = f"parents[{param.alias!r}]"
                elif param.role == "parent" and param.column:
                    column = next(c for c in self.r.table.columns if c.attr == param.column)
                    if column.exposed:
                        sources[param.alias] = f"body[{column.api_name!r}]"
        return sources

    @property
    def missing_id(self) -> str:
        if self.r.key.python_type is PyType.UUID:
            return repr("00000000-0000-4000-8000-000000000000")
        if self.r.key.python_type is PyType.INT:
            return "987654321"
        return repr("no-such-key")

    def read_request(self, endpoint: Endpoint, missing: str | None = None) -> str:
        """The request of a read of ``made`` (or of the key ``missing``): its key in the
        path, or in the query (``GET /secrets?username=``)."""
        key = self.r.id_param(endpoint)
        assert key is not None
        if key.location == "query":
            column = next(c for c in self.r.table.columns if c.attr == key.column)
            value = missing if missing is not None else f"made.body[{column.api_name!r}]"
            url = f"made.url({endpoint.path!r})"
            return f"client.get({url}, params={{{key.alias!r}: query_value({value})}})"
        if missing is None:
            return f"client.get(made.url({endpoint.path!r}))"
        return f"client.get(made.url({endpoint.path!r}, {keyword_argument(key.alias, missing)}))"

    @staticmethod
    def send(endpoint: Endpoint, expression: str) -> str:
        """Python source of a request body: ``expression`` inside its envelope, if any (in a
        list of one, for a bulk create)."""
        if endpoint.bulk:
            expression = f"[{expression}]"
        if endpoint.request_envelope is None:
            return expression
        return f"{{{endpoint.request_envelope[1]!r}: {expression}}}"

    body = staticmethod(request_kwarg)

    @staticmethod
    def body_of(endpoint: Endpoint, response: str = "response") -> str:
        """Python source of the object a response (the variable ``response``) answers, out
        of its envelope (the first record, for a bulk create)."""
        first = "[0]" if endpoint.bulk else ""
        if endpoint.response_envelope is None:
            return f"{response}.json(){first}"
        return f"{response}.json()[{endpoint.response_envelope[1]!r}]{first}"

    @property
    def references(self) -> list[tuple[list[str], str]]:
        return [(ref.path, ref.resource) for ref in self.r.resource.references]

    @property
    def seed_exclude(self) -> list[str]:
        skipped = (Source.ID, Source.CREATED, Source.UPDATED, Source.MINTED)
        return [c.attr for c in self.r.table.columns if c.source in skipped and c.exposed]

    @property
    def touched_fields(self) -> list[str]:
        """Fields the service sets on every change (``lastActivityAt``, ``modified``)."""
        return [
            c.api_name
            for c in self.r.table.columns
            if c.source is Source.UPDATED and not c.api_name.lower().startswith("updated")
        ]

    @property
    def unique_fields(self) -> list[str]:
        return [c.api_name for c in self.r.table.columns if c.unique and c.source is Source.CLIENT]

    @property
    def extra_rows(self) -> int:
        """Rows a list shows beyond the test's own: the account the tests act as."""
        accounts = self.r.service_view.accounts
        return 1 if accounts is not None and accounts.noun == self.r.noun else 0

    @property
    def hidden_fields(self) -> list[str]:
        """Fields a client sends but never gets back (writeOnly)."""
        return [c.api_name for c in self.r.table.columns if not c.exposed]

    @property
    def reference_fields(self) -> list[str]:
        return [ref.path[0] for ref in self.r.resource.references]

    def filter_tests(self, endpoint: Endpoint, op: str) -> list[tuple[str, list[str]]]:
        """(name, lines) of the tests of the filters two records can show."""
        tests = []
        for param in self.r.filter_params(endpoint):
            if param.operator == "predicates":
                status = self.r.service_view.service.validation_status
                refused = f"assert_error(response, {op!r}, {status})"
                made = predicates_test(
                    param,
                    self.r.key,
                    self._filtered(endpoint),
                    self.items_source(endpoint),
                    op,
                    refused,
                )
                tests += [made] if made is not None else []
                continue
            if param.operator in ("has", "embed", "related", "chosen", "operator"):
                continue  # through relations: tests/test_domain.py
            column = next(c for c in self.r.table.columns if c.attr == param.column)
            if column.references or not column.exposed:
                continue
            if param.operator is Operator.search and not self._has_words(column.api_name):
                continue  # the samples give it no text: nothing to search for
            items = self.items_source(endpoint)
            made = filter_test(param, column, self._filtered(endpoint), items, self.key, op)
            if made is not None:
                tests.append(made)
        return tests

    @property
    def key(self) -> str:
        return self.r.key.api_name

    def paged_request(self, endpoint: Endpoint, given: list[tuple[Param, str]]) -> str:
        """The list request with these (parameter, value source) pairs, in the query string
        or, for a query's body fields, in its body."""
        query = ", ".join(f"{p.alias!r}: {v}" for p, v in given if p.location != "body")
        body = ", ".join(f"{p.alias!r}: {v}" for p, v in given if p.location == "body")
        return self.list_request(
            endpoint, f"{{{query}}}" if query else "", f"{{{body}}}" if body else ""
        )

    def list_request(self, endpoint: Endpoint, query: str = "", body: str = "") -> str:
        """The request of ``endpoint``'s list under ``first`` (a query sends its body)."""
        url = f"first.url({endpoint.path!r})"
        params = f", params={query}" if query else ""
        if endpoint.method == "get":
            return f"client.get({url}{params})"
        return f"client.{endpoint.method}({url}{params}, json={body or '{}'})"

    def _filtered(self, endpoint: Endpoint) -> Callable[[Param, str], str]:
        def request(param: Param, value: str) -> str:
            entry = f"{{{param.alias!r}: {value}}}"
            if param.location == "body":
                return self.list_request(endpoint, body=entry)
            return self.list_request(endpoint, query=entry)

        return request

    def sort_pairs(self, endpoint: Endpoint) -> list[tuple[str, str]]:
        """(ascending, descending) values of the sort parameter on the same field, for the
        fields whose values differ between the records a test makes (else both orders are
        one and the same, and the test could not tell a sort from none)."""
        sort = endpoint.param("sort")
        if sort is None:
            return []
        pairs = []
        for value, (column, descending) in sort.sort_options.items():
            if descending or not self._varies(column):
                continue
            twin = next((v for v, (c, d) in sort.sort_options.items() if c == column and d), None)
            if twin is not None:
                pairs.append((value, twin))
        return pairs

    def _has_words(self, api_name: str) -> bool:
        """Whether every sample gives the field ``api_name`` some text."""
        return all(str(sample.get(api_name) or "").split() for sample in self.samples)

    def _varies(self, attr: str) -> bool:
        """Whether records made from the samples differ in the column ``attr``: a key, a
        time of creation or change, a slug, or a field the samples give distinct values."""
        column = next((c for c in self.r.table.columns if c.attr == attr), None)
        if column is None:
            return False
        if column.primary_key or column.source in _DISTINCT_SOURCES:
            return True
        if column.foreign_key or column.references:
            return False  # the records of a test share their parents (``within=first``)
        values = [sample.get(column.api_name) for sample in self.samples]
        seen = {json.dumps(v, sort_keys=True, default=str) for v in values}
        return None not in values and len(seen) == len(values)

    def request_fields(self, endpoint: Endpoint) -> list[str]:
        """JSON names of the scalar fields the request body of ``endpoint`` accepts."""
        model = self.r.service_view.model(_record_model(endpoint))
        if model is None:
            return []
        return [
            f.alias
            for f in model.fields
            if f.alias not in self.reference_fields
            and not f.annotation.startswith(("list", "dict"))
        ]

    def all_request_fields(self, endpoint: Endpoint) -> list[str]:
        """JSON names of every field the request body of ``endpoint`` (of each record of a
        bulk body) accepts."""
        model = self.r.service_view.model(_record_model(endpoint))
        return [f.alias for f in model.fields] if model else []

    def required_fields(self, endpoint: Endpoint) -> list[str]:
        """JSON names of the fields a request body of ``endpoint`` must carry (a PATCH whose
        schema requires some: they are sent with the one field changed)."""
        model = self.r.service_view.model(_record_model(endpoint))
        return [f.alias for f in model.fields if _required(f.default)] if model else []

    @property
    def requires_a_field(self) -> bool:
        """Whether the create body has a field a client must send, so ``{}`` is refused."""
        model = self.r.service_view.model(self.create.request_model or "") if self.create else None
        return any(_required(f.default) for f in model.fields) if model else False

    def wrong_type_field(self) -> tuple[str, str] | None:
        """A required field of the create body and a value of the wrong JSON type for it."""
        if not self.create:
            return None
        model = self.r.service_view.model(self.create.request_model or "")
        for f in model.fields if model else []:
            if f.default:
                continue
            if f.annotation.startswith(("Text", "Email", "Uri")) and not self.create.reads_form:
                return f.alias, "12345"  # a form's 12345 is text
            if f.annotation.startswith(("Integer", "float", "bool")):
                return f.alias, repr("not a number")
        return None

    @staticmethod
    def items_source(endpoint: Endpoint) -> str:
        if endpoint.envelope == "array":
            return "response.json()"
        return f"response.json()[{endpoint.envelope_items_key!r}]"

    def total_source(self, endpoint: Endpoint) -> str | None:
        if endpoint.total_header:
            return f"int(response.headers[{endpoint.total_header!r}])"
        for name, role in endpoint.envelope_fields.items():
            if role == "total":
                return f"response.json()[{self._alias(endpoint, name)!r}]"
        return None

    def paging_checks(self, endpoint: Endpoint, rows: int) -> list[tuple[str, str]]:
        """What an object of paging in the answer (``meta: {current_page, total_count}``)
        must say of the first page of one record out of ``rows``: (source, expected)."""
        first_page = {
            "total": str(rows),
            "page": "1",
            "size": "1",
            "limit": "1",
            "offset": "0",
            "pages": str(rows),
            "next_page": "2" if rows > 1 else "None",
            "prev_page": "None",
        }
        return [
            (f"response.json()[{self._alias(endpoint, name)!r}][{key!r}]", first_page[role])
            for name, roles in endpoint.envelope_groups.items()
            for key, role in roles.items()
            if role in first_page
        ]

    def _alias(self, endpoint: Endpoint, name: str) -> str:
        """The JSON name of the envelope's property ``name`` (a Python name)."""
        model = self.r.service_view.model(endpoint.envelope or "")
        field = next((f for f in model.fields if f.name == name), None) if model else None
        return field.alias if field else name

    @staticmethod
    def size_param(endpoint: Endpoint) -> Param | None:
        return endpoint.param("limit") or endpoint.param("size")


@dataclass
class RelationCase:
    """A relation the tests switch on and off: its endpoints and what shows it."""

    name: str
    on: Endpoint
    off: Endpoint
    target: ResourceView
    flag: str | None
    count: str | None


@dataclass
class FilterCase:
    """A filter through a relation: ``?tag=``, ``?author=``, ``?favorited=``."""

    endpoint: Endpoint
    param: Param
    resource: ResourceView


class DomainPlan:
    """What tests/test_domain.py checks: relations, derived fields, value lists, feeds,
    slugs, cursor paging and the number of queries a page costs."""

    def __init__(self, service: AccountsView) -> None:
        self.view = service
        self.users = service.accounts

    @cached_property
    def relations(self) -> list[RelationCase]:
        cases = []
        for relation in self.view.service.relations:
            target = self.view.resource(relation.target)
            on = next(
                (
                    e
                    for e in target.endpoints
                    if e.relation == relation.name and e.kind is Kind.RELATE and e.implemented
                ),
                None,
            )
            off = next(
                (
                    e
                    for e in target.endpoints
                    if e.relation == relation.name and e.kind is Kind.UNRELATE and e.implemented
                ),
                None,
            )
            if on is None or off is None or not TestPlan(target).has_factory:
                continue
            derived = [d for d in target.resource.derived if d.relation == relation.name]
            shown = self._shown(on)
            flag = next(
                (d.api_name for d in derived if d.kind == "flag" and d.api_name in shown), None
            )
            count = next(
                (d.api_name for d in derived if d.kind == "count" and d.api_name in shown), None
            )
            cases.append(RelationCase(relation.name, on, off, target, flag, count))
        return cases

    def _shown(self, endpoint: Endpoint) -> set[str]:
        model = self.view.model(endpoint.response_model or "")
        return {f.alias for f in model.fields} if model else set()

    @cached_property
    def child_counts(self) -> list[tuple[ResourceView, str, ResourceView, Endpoint, Endpoint]]:
        """(parent, count field, child, the child's create, the parent's read)."""
        cases = []
        for parent in self.view.resources:
            read = next(
                (
                    e
                    for e in parent.endpoints
                    if e.kind is Kind.READ and e.implemented and e.answers_json
                ),
                None,
            )
            for derived in parent.resource.derived:
                if derived.kind != "count" or derived.child is None or read is None:
                    continue
                child = self.view.resource(derived.child)
                create = TestPlan(child).create
                if create is not None and TestPlan(child).creatable:
                    cases.append((parent, derived.api_name, child, create, read))
        return cases

    @cached_property
    def distincts(self) -> list[tuple[Endpoint, ResourceView, str]]:
        """(the distinct endpoint, the resource, the JSON name of its value list)."""
        cases = []
        for resource in self.view.resources:
            for endpoint in resource.distinct_endpoints:
                value_list = resource.value_list(endpoint.distinct or "")
                if TestPlan(resource).creatable:
                    cases.append((endpoint, resource, value_list.api_name))
        return cases

    @cached_property
    def filters(self) -> list[FilterCase]:
        cases = []
        for resource in self.view.resources:
            if not TestPlan(resource).creatable:
                continue
            for endpoint in resource.list_endpoints:
                if endpoint.feed:
                    continue
                for param in endpoint.params:
                    if param.role == "filter" and param.operator in ("has", "embed", "related"):
                        cases.append(FilterCase(endpoint, param, resource))
        return cases

    def related_on(self, case: FilterCase) -> Endpoint | None:
        """The endpoint that makes the relation a ``related`` filter looks for."""
        for relation in self.relations:
            if relation.name == case.param.through:
                return relation.on
        return None

    def value_field(self, case: FilterCase) -> str:
        return case.resource.value_list(case.param.column or "").api_name

    @cached_property
    def feeds(self) -> list[tuple[Endpoint, ResourceView, RelationCase]]:
        cases = []
        for resource in self.view.resources:
            for endpoint in resource.list_endpoints:
                relation = next((r for r in self.relations if r.name == endpoint.feed), None)
                if relation is not None and TestPlan(resource).creatable:
                    cases.append((endpoint, resource, relation))
        return cases

    @cached_property
    def slugs(self) -> list[tuple[ResourceView, Endpoint | None]]:
        """(resource, an update or replace endpoint or None) for resources with slugs."""
        cases = []
        for resource in self.view.resources:
            slug = resource.resource.slug
            if slug is None or not TestPlan(resource).creatable:
                continue
            change = next(
                (
                    e
                    for e in resource.endpoints
                    if e.kind in (Kind.UPDATE, Kind.REPLACE) and e.implemented
                ),
                None,
            )
            cases.append((resource, change))
        return cases

    def slug_field(self, resource: ResourceView, which: str) -> str:
        slug = resource.resource.slug
        assert slug is not None
        attr = slug.column if which == "slug" else slug.source
        return next(c.api_name for c in resource.table.columns if c.attr == attr)

    @cached_property
    def cursors(self) -> list[tuple[Endpoint, ResourceView]]:
        return [
            (e, r)
            for r in self.view.resources
            for e in r.cursor_lists
            if TestPlan(r).creatable and not e.feed
        ]

    @cached_property
    def query_counts(self) -> list[tuple[Endpoint, ResourceView]]:
        """Lists of records that load related data: a page must cost a fixed number of queries."""
        return [
            (e, r)
            for r in self.view.resources
            if r.loads and TestPlan(r).creatable
            for e in r.offset_lists
            if not e.feed and not e.param("parent") and (e.param("limit") or e.param("size"))
        ]

    def page_count(self, resource: ResourceView) -> int:
        """Records in the large page: 20, or what the samples allow with unique fields."""
        return 6 if TestPlan(resource).unique_fields else 20

    def page_size(self, endpoint: Endpoint) -> Param:
        param = endpoint.param("limit") or endpoint.param("size")
        assert param is not None
        return param

    @property
    def active(self) -> bool:
        return bool(
            self.relations
            or self.child_counts
            or self.distincts
            or self.filters
            or self.feeds
            or self.slugs
            or self.cursors
            or self.query_counts
        )


def _required(default: str) -> bool:
    """Whether a model field's default source (``""``, ``Field(min_length=1)``) leaves it
    required: no value and no ``default=`` / ``default_factory=`` given."""
    if not default:
        return True
    return (
        default.startswith("Field(")
        and "default=" not in default
        and "default_factory=" not in default
    )
