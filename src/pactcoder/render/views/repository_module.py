"""One resource's repository, ``app/repositories/<resource>.py``, decided.

``repository_module(resource, view)`` makes the choices the file's templates
(``app/repositories/resource.py.jinja`` and its ``parts/``) would otherwise
work out from the IR: docstrings, imports, what reading a row loads, the
state column a transition moves, the column an account signs in with.

Example::

    module = repository_module(view.resources[0], view)
    module.derived   # [('favorited', 'exists().where(...)'), ...]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pactcoder.ir.model import Kind, Minted
from pactcoder.ir.passes.tokens import ALPHABETS
from pactcoder.render.spell import docwrap
from pactcoder.render.views.aggregates import (
    AggregateMethod,
    aggregate_method,
    aggregates_of,
    repository_names,
)
from pactcoder.render.views.cases import ServiceView
from pactcoder.render.views.resource import ResourceView


@dataclass
class RepositoryModule:
    """Everything ``app/repositories/<resource>.py`` says that takes a decision."""

    doc: str
    sqlalchemy_imports: str
    orm_imports: str
    #: (attribute, SQL expression source) of each field computed when reading.
    derived: list[tuple[str, str]]
    #: (attribute, ``.options(...)`` of the embedded record's own loads, or "").
    embeds: list[tuple[str, str]]
    #: (state column, its API name) of a state machine, or None.
    machine: tuple[str, str] | None
    #: The column accounts sign in with, on the accounts' repository; else None.
    login_column: str | None
    owner_id_type: str | None
    #: Some operation changes a counter: ``count`` (one conditional UPDATE) is written.
    counts: bool = False
    #: (column, ``partial(token, alphabet, length)``) of each token the service makes.
    minted: list[tuple[str, str]] = field(default_factory=list)

    #: Some operation is an upsert: the repository is a WritesRepository.
    upserts: bool = False

    @property
    def writes(self) -> bool:
        """The repository subclasses WritesRepository (app/repositories/writes.py)."""
        return bool(self.minted) or self.upserts

    @property
    def minted_imports(self) -> str:
        """``ALPHANUMERIC, token``: what the drawers use of app/core/tokens.py."""
        used = {w for _, drawer in self.minted for w in re.findall(r"\w+", drawer)}
        return ", ".join([*sorted({n.upper() for n in ALPHABETS} & used), "token"])

    #: One method per aggregate read (x-pact aggregate, ``GET /readings/stats``).
    aggregates: list[AggregateMethod] = field(default_factory=list)
    #: The column past whose time its records are gone (x-pact expiry), or None.
    expires: str | None = None


def repository_module(resource: ResourceView, view: ServiceView) -> RepositoryModule:
    """The decisions of ``resource``'s repository module."""
    source = resource.resource
    plural = resource.noun.plural_title
    doc = (
        f"{resource.repository_class} is the only code that reads and writes {plural};"
        f" app/services/{resource.module}.py uses it."
    )
    if resource.load_summary:
        doc += (
            f" Reading a row also loads {resource.load_summary} in a fixed number of queries,"
            " whatever the page size."
        )
    imports = [
        "ColumnElement, ",
        "Select, " if resource.loads else "",
        "exists, false, " if resource.has_flags else "",
        "func, " if resource.has_counts or resource.distinct_endpoints else "",
        "select",
        ", update" if source.machine or _counts(resource) else "",
    ]
    accounts = view.accounts
    is_accounts = accounts is not None and accounts.noun == resource.noun
    names = {n.strip() for n in "".join(imports).split(",") if n.strip()}
    names |= repository_names(resource)
    ordered = sorted(names, key=lambda n: (not n[0].isupper(), n))
    return RepositoryModule(
        doc=docwrap(doc, 0),
        sqlalchemy_imports=", ".join(ordered),
        orm_imports=("selectinload, " if source.embeds else "") + "with_expression",
        derived=[
            (d.attr, resource.derived_expression(d)) for d in source.derived if d.kind != "token"
        ],
        embeds=[(e.attr, _embed_options(resource, view, e.target)) for e in source.embeds],
        machine=(source.machine.column, source.machine.api_name) if source.machine else None,
        login_column=view.service.auth.login_column if is_accounts else None,
        owner_id_type=view.owner_id_type(resource) if resource.owned_scope else None,
        counts=_counts(resource),
        minted=[(c.attr, _drawer(c.minted)) for c in resource.table.columns if c.minted],
        upserts=resource.has(Kind.UPSERT),
        aggregates=[aggregate_method(resource, e) for e in aggregates_of(resource)],
        expires=source.expiry.column if source.expiry else None,
    )


def _drawer(minted: Minted) -> str:
    """``partial(token, ALPHANUMERIC, 8)``: what draws the token (a named alphabet of
    app/core/tokens.py by its name, another one spelled out)."""
    name = next((n for n, chars in ALPHABETS.items() if chars == minted.alphabet), None)
    return f"partial(token, {name.upper() if name else repr(minted.alphabet)}, {minted.length})"


def _counts(resource: ResourceView) -> bool:
    """Some operation adds to a field in one UPDATE: a counter, or a read counting hits."""
    return resource.has(Kind.COUNTER) or any(e.counts for e in resource.endpoints)


def _embed_options(resource: ResourceView, view: ServiceView, target_name: str) -> str:
    """``.options(...)`` loading what the embedded record loads itself, or ""."""
    target = view.resource(target_name)
    if not target.loads:
        return ""
    same = target.noun.singular == resource.noun.singular
    return f".options(*{'self' if same else target.repository_class}.expressions(viewer))"
