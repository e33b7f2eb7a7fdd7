"""Stage 4: render the IR into the files of the generated service.

One Jinja template per kind of output file, named after that file under
``templates/`` (``app/models/resource.py.jinja`` renders once per resource).
Templates loop and branch over the IR; they compute nothing. The result is a
mapping from relative path to text, which :mod:`pactcoder.format` formats and
:mod:`pactcoder.output` writes.

Example::

    files = render_service(service)
    print(files["app/main.py"])
"""

from __future__ import annotations

import json
import pprint
from pathlib import PurePosixPath
from typing import Any

import jinja2

from pactcoder import __version__
from pactcoder.english import article
from pactcoder.ir.model import Kind, Service, Source
from pactcoder.ir.names import snake
from pactcoder.ir.stubs import STUB_TESTS
from pactcoder.render.pins import RUNTIME_PINS, TEST_PINS
from pactcoder.render.spell import (
    comment,
    docblock,
    docline,
    docwrap,
    dotenv_value,
    keyword_argument,
    markdown_block,
    markdown_line,
    pystring,
    toml_string,
)
from pactcoder.render.types import python_type, sql_type
from pactcoder.render.views import ResourceView, ServiceView, docs
from pactcoder.render.views.aggregates import aggregate_cases
from pactcoder.render.views.counters import counter_cases
from pactcoder.render.views.expiry import expiry_cases
from pactcoder.render.views.files import file_cases
from pactcoder.render.views.media import html_templates, media_cases, media_files
from pactcoder.render.views.repository_module import repository_module
from pactcoder.render.views.route_module import route_module
from pactcoder.render.views.rules import rule_tests
from pactcoder.render.views.service_module import service_module
from pactcoder.render.views.tokens import AT_ONCE, appended, token_cases
from pactcoder.render.views.upserts import upsert_cases


def json_document(value: Any) -> str:
    """``value`` as indented JSON for a UTF-8 file (app/openapi.json).

    Characters that UTF-8 cannot hold (a lone surrogate from a ``\\ud800`` escape) are
    written as escapes instead.
    """
    text = json.dumps(value, indent=4, ensure_ascii=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = json.dumps(value, indent=4)
    return text


_env = jinja2.Environment(
    loader=jinja2.PackageLoader("pactcoder.render", "templates"),
    undefined=jinja2.StrictUndefined,
    keep_trailing_newline=True,
    trim_blocks=True,
    lstrip_blocks=True,
    autoescape=False,  # noqa: S701 - the output is source code, not HTML
)
_env.filters["pyrepr"] = repr
_env.filters["python_type"] = python_type
_env.filters["sql_type"] = sql_type
_env.filters["kwarg"] = keyword_argument
_env.filters["json"] = lambda value: json.dumps(value, ensure_ascii=False)
_env.filters["pyliteral"] = lambda value: pprint.pformat(value, width=96, sort_dicts=False)
_env.filters["json_document"] = json_document
_env.filters["docline"] = docline
_env.filters["docblock"] = docblock
_env.filters["comment"] = comment
_env.filters["toml"] = toml_string
_env.filters["dotenv"] = dotenv_value
_env.filters["md"] = markdown_line
_env.filters["md_block"] = markdown_block
_env.filters["docwrap"] = docwrap
_env.filters["pystring"] = pystring
_env.filters["snake"] = snake
_env.filters["pytuple"] = lambda values: repr(tuple(values))
_env.filters["first_or_none"] = lambda items: next(iter(items), None)
_env.filters["a"] = article
_env.filters["pyset"] = lambda values: (
    "{" + ", ".join(repr(v) for v in sorted(values)) + "}" if values else "set()"
)

# Templates rendered once per service, and the path each writes.
_SINGLE = [
    "pyproject.toml",
    "README.md",
    ".env.example",
    ".gitignore",
    ".dockerignore",
    "Dockerfile",
    "docker-compose.yml",
    "alembic.ini",
    "app/__init__.py",
    "app/main.py",
    "app/core/__init__.py",
    "app/core/config.py",
    "app/core/db.py",
    "app/core/errors.py",
    "app/core/logging.py",
    "app/core/contract.py",
    "app/openapi.json",
    "app/core/cache.py",
    "app/core/middleware.py",
    "app/core/rate_limit.py",
    "app/api/__init__.py",
    "app/api/deps.py",
    "app/api/responses.py",
    "app/api/router.py",
    "app/api/routes/__init__.py",
    "app/api/routes/health.py",
    "app/schemas/__init__.py",
    "app/schemas/base.py",
    "app/models/__init__.py",
    "app/models/base.py",
    "app/repositories/__init__.py",
    "app/repositories/base.py",
    "app/repositories/projection.py",
    "app/services/__init__.py",
    "app/services/generated/__init__.py",
    "app/api/routes/custom.py",
    "migrations/env.py",
    "migrations/script.py.mako",
    "migrations/versions/0001_initial.py",
    "tests/__init__.py",
    "tests/conftest.py",
    "tests/contract.py",
    "tests/test_service.py",
    "tests/test_security.py",
]


#: The files of a service with jobs (x-pact job).
_JOBS = ("app/models/jobs.py", "app/repositories/jobs.py", "app/services/jobs.py", "app/worker.py")


def render_service(service: Service) -> dict[str, str]:
    """Every file of the generated service, by relative path."""
    view = ServiceView(service)
    context: dict[str, Any] = {
        "service": service,
        "view": view,
        "docs": docs,
        "Kind": Kind,
        "Source": Source,
        "pactcoder_version": __version__,
        "runtime_pins": RUNTIME_PINS,
        "test_pins": TEST_PINS,
    }
    files = _service_files(view, context)
    for module in view.schema_modules:
        files[f"app/schemas/{module.name}.py"] = _render(
            "app/schemas/module.py.jinja", {**context, "module": module}
        )
    for resource in view.resources:
        files.update(_resource_files(resource, view, context))
    for routes in view.route_modules:
        files[f"app/api/routes/{routes.name}.py"] = _render(
            "app/api/routes/module.py.jinja",
            {**context, "routes": routes, "module": route_module(routes, view)},
        )
    return dict(sorted(files.items()))


def _expiry_files(view: ServiceView, context: dict[str, Any]) -> dict[str, str]:
    """The periodic clean-up of expired records and its generated tests, and the tests of
    aggregates (both measure or drop records by their values and times)."""
    files = {}
    if measured := aggregate_cases(view.resources):
        files["tests/test_aggregates.py"] = _render(
            "tests/test_aggregates.py.jinja", {**context, "cases": measured}
        )
    if not view.uses_expiry:
        return files
    expiring = [
        (r.module, r.repository_class, r.resource.schema_name)
        for r in view.resources
        if r.resource.expiry is not None
    ]
    return {
        **files,
        "app/services/expiry.py": _render(
            "app/services/expiry.py.jinja", {**context, "expiring": expiring}
        ),
        "tests/test_expiry.py": _render(
            "tests/test_expiry.py.jinja", {**context, "expiring": expiry_cases(view)}
        ),
    }


def _stored_files(view: ServiceView, context: dict[str, Any]) -> dict[str, str]:
    """The files of a service with uploads: its storage, the upload and download helpers,
    and their tests."""
    files = {
        path: _render(f"{path}.jinja", context)
        for path in ("app/core/storage.py", "app/api/files.py", "tests/files.py")
    }
    cases = file_cases(view)
    files["tests/test_files.py"] = _render("tests/test_files.py.jinja", {**context, "cases": cases})
    return files


def _service_files(view: ServiceView, context: dict[str, Any]) -> dict[str, str]:
    """The files there is one of per service (some only with accounts, jobs, ...)."""
    service = view.service
    files = {path: _render(_template_name(path), context) for path in _SINGLE}
    if any(e.kind is Kind.LIST and e.implemented for e in service.endpoints):
        files["app/api/lists.py"] = _render("app/api/lists.py.jinja", context)
    files.update(_media_files(view, context))
    if any(e.reads_form and e.request_model for e in service.endpoints):
        files["app/api/bodies.py"] = _render("app/api/bodies.py.jinja", context)
        files["tests/forms.py"] = _render("tests/forms.py.jinja", context)
    helpers = {h for r in view.resources for h in r.filter_helpers}
    if helpers:
        path = "app/repositories/_filters.py"  # not filters.py: a resource may be named so
        files[path] = _render(f"{path}.jinja", {**context, "helpers": helpers})
    files.update(_writes_files(view, context))
    if service.auth.schemes or view.accounts is not None:  # accounts issue its tokens
        files["app/core/security.py"] = _render("app/core/security.py.jinja", context)
    if service.auth.credential_tables:  # API keys and logins nothing in the contract issues
        files["app/models/service_credentials.py"] = _render(
            "app/models/service_credentials.py.jinja", context
        )
        files["app/manage.py"] = _render("app/manage.py.jinja", context)
    if service.auth.credential_tables or view.basic_schemes:
        files["tests/test_credentials.py"] = _render("tests/test_credentials.py.jinja", context)
    if view.external_schemes:  # tokens of an external issuer: the tests play the issuer
        files["tests/issuer.py"] = _render("tests/issuer.py.jinja", context)
    if view.external_cases:
        files["tests/test_oauth2.py"] = _render("tests/test_oauth2.py.jinja", context)
    if view.accounts is not None:
        auth = view.auth_module
        files[f"app/services/generated/{auth}.py"] = _render(
            "app/services/generated/auth.py.jinja", context
        )
        files[f"app/services/{auth}.py"] = _owned_service(
            context, auth, "account", view.auth_service_class, f"app/api/routes/{auth}.py"
        )
        files[f"tests/test_{auth}.py"] = _render("tests/test_auth.py.jinja", context)
    if service.stores_files:
        files.update(_stored_files(view, context))
    if service.jobs is not None:
        for path in _JOBS:
            files[path] = _render(f"{path}.jinja", context)
    if service.jobs is not None or any(r.machine for r in service.resources):
        files["tests/test_actions.py"] = _render("tests/test_actions.py.jinja", context)
    if cases := counter_cases(view):
        files["tests/test_counters.py"] = _render(
            "tests/test_counters.py.jinja", {**context, "cases": cases}
        )
    files.update(_expiry_files(view, context))
    if view.domain.active:
        files["tests/test_domain.py"] = _render("tests/test_domain.py.jinja", context)
    if view.stubs:
        files["app/operations/__init__.py"] = _render("app/operations/__init__.py.jinja", context)
        files["app/core/handwritten.py"] = _render("app/core/handwritten.py.jinja", context)
        for stub in view.stubs:
            files[stub.path] = _render("app/operations/stub.py.jinja", {**context, "stub": stub})
        files[STUB_TESTS] = _render("tests/test_stubs.py.jinja", context)
    return files


def _writes_files(view: ServiceView, context: dict[str, Any]) -> dict[str, str]:
    """Tokens the service makes, upserts and append-only records: their repository base
    and their tests."""
    files = {}
    if view.mints_tokens:
        files["app/core/tokens.py"] = _render("app/core/tokens.py.jinja", context)
    if view.mints_tokens or view.upserts:
        files["app/repositories/writes.py"] = _render("app/repositories/writes.py.jinja", context)
    if tokens := token_cases(view):
        files["tests/test_tokens.py"] = _render(
            "tests/test_tokens.py.jinja", {**context, "cases": tokens, "at_once": AT_ONCE}
        )
    if appends := appended(view):
        files["tests/test_appended.py"] = _render(
            "tests/test_appended.py.jinja", {**context, "cases": appends}
        )
    if upserts := upsert_cases(view):
        files["tests/test_upserts.py"] = _render(
            "tests/test_upserts.py.jinja", {**context, "cases": upserts, "at_once": AT_ONCE}
        )
    return files


def _resource_files(
    resource: ResourceView, view: ServiceView, context: dict[str, Any]
) -> dict[str, str]:
    """The files of one resource: model, repository, service, tests."""
    ctx = {**context, "resource": resource}
    name = resource.module
    files = {
        f"app/models/{name}.py": _render("app/models/resource.py.jinja", ctx),
        f"app/repositories/{name}.py": _render(
            "app/repositories/resource.py.jinja",
            {**ctx, "module": repository_module(resource, view)},
        ),
        f"app/services/generated/{name}.py": _render(
            "app/services/generated/resource.py.jinja",
            {**ctx, "module": service_module(resource, view)},
        ),
        f"app/services/{name}.py": _owned_service(
            context, name, resource.noun.title, resource.service_class, f"app/api/routes/{name}.py"
        ),
        f"tests/test_{name}.py": _render("tests/test_resource.py.jinja", ctx),
    }
    plan = rule_tests(resource)
    if plan is not None:
        files[f"tests/test_{name}_rules.py"] = _render(
            "tests/test_rules.py.jinja", {**ctx, "plan": plan}
        )
    return files


def _media_files(view: ServiceView, context: dict[str, Any]) -> dict[str, str]:
    """app/api/media.py, the HTML templates and the tests of answers other than JSON."""
    rendered = [e for e in view.service.endpoints if e.renderings and e.implemented]
    if not rendered:
        return {}
    files = html_templates(view, rendered)
    media = media_files(rendered)
    files["app/api/media.py"] = _render("app/api/media.py.jinja", {**context, "media": media})
    if cases := media_cases(view):
        files["tests/test_media.py"] = _render(
            "tests/test_media.py.jinja", {**context, "cases": cases}
        )
    return files


def _owned_service(
    context: dict[str, Any], module: str, title: str, service_class: str, routes: str
) -> str:
    values = {"module": module, "title": title, "service_class": service_class, "routes": routes}
    return _render("app/services/owned.py.jinja", {**context, **values})


def _template_name(path: str) -> str:
    name = PurePosixPath(path)
    # Dot-files are stored without their dot so that packaging tools keep them.
    return str(name.with_name(name.name.lstrip(".") + ".jinja"))


def _render(template: str, context: dict[str, Any]) -> str:
    text = _env.get_template(template).render(context)
    return text.rstrip() + "\n"


def render_template(template: str, context: dict[str, Any]) -> str:
    """One template of ``templates/`` rendered with ``context`` (a later migration's)."""
    return _render(template, context)
