"""Infer the service from a plain contract: resources, fields, and what each operation does.

The contract never says "this is a create"; its shape does. Paths give
collections (``/books``), items (``/books/{bookId}``) and nesting
(``/members/{memberId}/loans``); the method and schemas give the operation;
request and response schemas give the stored fields (``readOnly`` ones are
made by the server, ``writeOnly`` ones are never returned). Every decision is
recorded as a note on the field or endpoint, and every operation that cannot
be implemented from the contract alone is marked so with its reasons: nothing
is guessed silently.

Inference is a sequence of passes (:mod:`pactcoder.ir.passes`, one module each):
each takes what earlier passes returned and returns its own result; the IR
records (:class:`~pactcoder.ir.model.Resource` and its tables) are created by
:func:`~.passes.resources.resources` and each later pass fills the fields it owns.

Example::

    service = infer_service(document, problems)
    [(e.operation_id, e.kind.value, e.implemented) for e in service.endpoints]
"""

from __future__ import annotations

from pactcoder.ir.model import Service
from pactcoder.ir.names import words
from pactcoder.ir.passes.accounts import accounts
from pactcoder.ir.passes.actions import actions, state_columns
from pactcoder.ir.passes.aggregates import aggregates
from pactcoder.ir.passes.appends import append_only
from pactcoder.ir.passes.credentials import credential_tables
from pactcoder.ir.passes.defaults import inferred_defaults
from pactcoder.ir.passes.endpoints import Known, endpoints_of, undocumented_statuses
from pactcoder.ir.passes.env import Env
from pactcoder.ir.passes.errors import errors, validation_status
from pactcoder.ir.passes.examples import examples
from pactcoder.ir.passes.expiry import expiries, live_samples
from pactcoder.ir.passes.fields import fields_of
from pactcoder.ir.passes.files import file_stores
from pactcoder.ir.passes.jobs import find_jobs, jobs_spec
from pactcoder.ir.passes.keys import keys
from pactcoder.ir.passes.lists import orders
from pactcoder.ir.passes.modules import modules
from pactcoder.ir.passes.names import check_names
from pactcoder.ir.passes.operations import operations
from pactcoder.ir.passes.references import references, value_list_tables
from pactcoder.ir.passes.relations import relation_tables, relations
from pactcoder.ir.passes.resources import resources, views
from pactcoder.ir.passes.rules import rules
from pactcoder.ir.passes.tables import tables
from pactcoder.ir.passes.upserts import upserts
from pactcoder.ir.servers import api_prefix
from pactcoder.oas.model import Document
from pactcoder.problems import Problems


def infer_service(document: Document, problems: Problems) -> Service:
    """The IR of the service ``document`` describes; decisions and gaps go to ``problems``."""
    env = Env.of(document, problems)
    jobs = find_jobs(env, operations(env))
    user_schema = env.security.user_schema(jobs.ops.auth_ops)
    accts = accounts(env, jobs.ops, resources(env, jobs.ops, user_schema))
    found = views(env, accts.resources)
    acts = actions(env, jobs, found, accts.auth)
    rels = relations(env, acts.kinds, found, accts.auth)
    fields = fields_of(env, rels, found, accts.auth)
    auth = tables(env, found, accts, fields)
    keys(env, found, fields, auth)
    append_only(env, fields.kinds, found)
    file_stores(env, found, fields.kinds)
    state_columns(env, found, acts)
    references(env, found, fields, auth)
    value_list_tables(found)
    relation_tables(found, rels)
    rules(env, found)
    expiries(env, found)
    inferred_defaults(found)
    kinds, upserted = upserts(env, fields.kinds, found)
    users = found.records.get(auth.user_resource or "")
    jobs_table = jobs_spec(env, jobs.status, list(acts.jobs.values()), users)
    ordering = orders(env, kinds, found)
    aggs = aggregates(env, kinds, found)
    known = Known(aggs.kinds, found, auth, acts, rels, fields, ordering, upserted, aggs.specs)
    endpoints = endpoints_of(env, known)
    auth.credential_tables = credential_tables(auth, endpoints)
    error_formats = errors(env)
    invalid = validation_status(document)
    undocumented_statuses(env, aggs.kinds, endpoints, invalid)
    models = modules(env, list(found.records.values()))
    examples(env, found)
    live_samples(found)
    title = document.info.title or "Service"  # FastAPI needs a title
    service = Service(
        title=title,
        version=document.info.version,
        description=document.info.description or title,
        slug="-".join(words(title)) or "service",
        api_prefix=api_prefix(document.servers, problems),
        openapi_version=document.openapi,
        models=models,
        resources=list(found.records.values()),
        endpoints=endpoints,
        errors=error_formats.formats,
        default_error=error_formats.default,
        error_overrides=error_formats.overrides,
        validation_status=invalid,
        contract=document.raw,
        auth=auth,
        rate_default=document.pact.rate_limit.default,
        rate_auth=document.pact.rate_limit.auth,
        relations=rels.relations,
        jobs=jobs_table,
    )
    check_names(service, problems)
    return service
