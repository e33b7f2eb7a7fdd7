"""Answers other than JSON, decided: what a route returns for each media type it offers.

``renders(endpoint, source)`` gives, for each non-JSON :class:`Rendering` of an operation,
its media type and the call of ``app/api/media.py`` that answers it (``source`` is the
record, ``result``, or the page, ``items``); ``html_template(endpoint, rendering)`` the
text of the template pactcoder writes once into ``app/templates/`` for the owner to edit.

Example::

    renders(endpoint, "items")   # [("text/csv", "csv_response(items, ['code', 'url'], ...)")]
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from pactcoder.ir.model import Endpoint, Rendering, Resource
from pactcoder.render.views.cases import ServiceView

#: Field names a template may print (a contract's names are untrusted: no Jinja in them).
_SAFE = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]{0,99}")


def offered(endpoint: Endpoint) -> list[str]:
    """The media types a route chooses from by Accept (none for a redirect)."""
    return [r.media for r in endpoint.renderings if r.form != "redirect"]


def renders(endpoint: Endpoint, source: str) -> list[tuple[str, str]]:
    """(media type, the expression answering it) of each rendering other than JSON."""
    many = source == "items"
    headers = "headers"
    found = []
    for r in endpoint.renderings:
        media = repr(r.media)
        value = f"plain({source}).get({r.value!r})"
        if r.form == "json":
            continue
        if r.form == "csv":
            rows = source if many else f"[{source}]"
            call = f"csv_response({rows}, {r.columns!r}, {media}, {headers})"
        elif r.form == "text" and many:
            call = f"lines_response({source}, {r.value!r}, {media}, {headers})"
        elif r.form == "text":
            call = f"text_response({value}, {media}, {headers})"
        elif r.form == "bytes":
            call = f"bytes_answer({value}, {media}, {headers})"
        elif r.form == "html":
            context = f"records=[plain(i) for i in {source}]" if many else f"record=plain({source})"
            call = f"html_response({r.template!r}, {headers}, {context})"
        else:  # a redirect
            call = f"redirect_response({value}, {endpoint.status_code})"
        found.append((r.media, call))
    return found


def html_template(endpoint: Endpoint, rendering: Rendering, fields: list[str]) -> str:
    """The first version of an operation's HTML template (``app/templates/<name>.html``)."""
    fields = [f for f in fields if _SAFE.fullmatch(f)]
    path = endpoint.path.replace("#", "")
    head = (
        f"{{# app/templates/{rendering.template}: the HTML page of {endpoint.method.upper()}"
        f" {path} ({endpoint.operation_id}). Written once by pactcoder and yours to"
        " edit: builds keep it. app/api/media.py renders it with autoescape on, so values are"
        " escaped; `record` (or `records`, for a list) holds the fields by their JSON names."
        " #}\n"
    )
    title = html.escape(re.sub(r"[{}%#]", "", endpoint.summary))
    top = (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title}</title>\n</head>\n<body>\n<h1>{title}</h1>\n"
    )
    if endpoint.kind.value == "list":
        cells = "".join(f"<td>{{{{ item[{f!r}] }}}}</td>" for f in fields)
        header = "".join(f"<th>{f}</th>" for f in fields)
        body = (
            f"<table>\n<tr>{header}</tr>\n{{% for item in records %}}\n<tr>{cells}</tr>\n"
            "{% endfor %}\n</table>\n"
        )
    else:
        rows = "".join(f"<dt>{f}</dt><dd>{{{{ record[{f!r}] }}}}</dd>\n" for f in fields)
        body = f"<dl>\n{rows}</dl>\n"
    return head + top + body + "</body>\n</html>\n"


@dataclass
class MediaFiles:
    """What app/api/media.py needs: whether some operation answers HTML (jinja2)."""

    html: bool


def media_files(endpoints: list[Endpoint]) -> MediaFiles:
    """The decisions of app/api/media.py, from the operations answering other than JSON."""
    return MediaFiles(html=any(r.form == "html" for e in endpoints for r in e.renderings))


def html_templates(view: ServiceView, endpoints: list[Endpoint]) -> dict[str, str]:
    """The HTML templates of ``endpoints`` (``app/templates/<name>.html``), the owner's."""
    files = {}
    for endpoint in endpoints:
        resource = view.resource(endpoint.resource or "")
        fields = [c.api_name for c in resource.resource.table.columns if c.exposed]
        for rendering in endpoint.renderings:
            if rendering.form == "html" and rendering.template:
                text = html_template(endpoint, rendering, fields)
                files[f"app/templates/{rendering.template}"] = text
    return files


@dataclass
class MediaCase:
    """The generated test of one answer other than JSON (tests/test_media.py)."""

    endpoint: Endpoint
    rendering: Rendering
    #: ``records.<resource>`` and the expression of its record's path (a format string).
    factory: str
    url: str
    #: A text field the test may set to anything (to check escaping), or None.
    free_text: str | None
    #: The URL of the record's JSON read (where a redirect's count is seen), or None.
    read_url: str | None = None

    @property
    def offered(self) -> list[str]:
        return offered(self.endpoint)

    @property
    def name(self) -> str:
        return f"{self.endpoint.function}_answers_{self.rendering.form}"


def media_cases(view: ServiceView) -> list[MediaCase]:
    """One case per answer other than JSON of an implemented operation whose records the
    tests can make through the API."""
    cases = []
    for resource in view.resources:
        if not any(e.kind.value == "create" and e.implemented for e in resource.endpoints):
            continue
        if not resource.resource.payloads:
            continue
        payload = resource.resource.payloads[0]
        for endpoint in resource.endpoints:
            if not endpoint.implemented or endpoint.param("parent") is not None:
                continue
            url = _url(resource.resource, endpoint)
            read = resource.read_endpoint
            read_url = _url(resource.resource, read) if read is not None else None
            if url is None:
                continue
            for rendering in endpoint.renderings:
                if rendering.form != "json":
                    factory = f"records.{resource.noun.singular}"
                    free = rendering.probe if rendering.probe in payload else None
                    case = MediaCase(endpoint, rendering, factory, url, free, read_url)
                    cases.append(case)
    return cases


def _url(resource: Resource, endpoint: Endpoint) -> str | None:
    """``made.url(...)`` of ``endpoint``'s path for the record ``made``, or None."""
    key = endpoint.param("id")
    changes = ""
    if key is not None:
        column = next(c for c in resource.table.columns if c.attr == key.column)
        if not column.exposed:
            return None
        placeholder = _placeholder(endpoint)
        changes = f", {placeholder}=made.body[{column.api_name!r}]" if placeholder else ""
    return f"made.url({endpoint.path!r}{changes})"


def _placeholder(endpoint: Endpoint) -> str | None:
    found = [s[1:-1] for s in endpoint.path.split("/") if s.startswith("{") and s.endswith("}")]
    name = found[-1] if found else None
    return name if name is not None and name.isidentifier() else None
