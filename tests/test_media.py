"""Answers other than JSON (issue 16 part 5) on tests/contracts/shortener.

The fast tests read what pactcoder understood (which operations answer CSV, text, HTML,
bytes or a redirect, from which field, counting what), the x-pact ``response`` errors
with their place, and what is rendered for them (app/api/media.py, the HTML template
the owner keeps). The e2e test rebuilds the service after the owner edited its HTML
template: the edit stays and is what the page serves. The generated tests of these
answers (tests/test_media.py of the service) run in test_e2e with the rest of its suite.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pactcoder.ir.model import Endpoint, Kind, Service
from pactcoder.output import FileKind, kind_of
from pactcoder.pipeline import understand
from pactcoder.problems import ContractError
from pactcoder.render import render_service

ROOT = Path(__file__).resolve().parents[1]
SHORTENER = ROOT / "tests" / "contracts" / "shortener"


@pytest.fixture(scope="module")
def service() -> Service:
    return understand(SHORTENER).service


def _endpoint(service: Service, operation_id: str) -> Endpoint:
    return next(e for e in service.endpoints if e.operation_id == operation_id)


def _forms(endpoint: Endpoint) -> list[tuple[str, str | None]]:
    return [(r.form, r.value) for r in endpoint.renderings]


def test_every_operation_is_implemented_on_the_links(service: Service) -> None:
    assert all(e.implemented for e in service.endpoints), [
        (e.operation_id, e.reasons) for e in service.endpoints if not e.implemented
    ]
    assert [r.noun.singular for r in service.resources] == ["link"]
    assert {e.resource for e in service.endpoints} == {"link"}


def test_a_list_declaring_json_and_csv_offers_both_json_first(service: Service) -> None:
    listed = _endpoint(service, "listLinks")
    assert listed.kind is Kind.LIST and listed.answers_json
    assert [r.media for r in listed.renderings] == ["application/json", "text/csv"]
    assert listed.renderings[1].columns == ["code", "url", "note", "qr", "hits", "createdAt"]


def test_a_csv_only_path_under_the_collection_is_a_list_of_its_records(service: Service) -> None:
    export = _endpoint(service, "exportLinks")
    assert export.kind is Kind.LIST and not export.answers_json
    assert _forms(export) == [("csv", None)]
    assert export.renderings[0].probe == "note", "a free text field the tests can fill"


def test_text_comes_from_the_field_the_path_or_x_pact_names(service: Service) -> None:
    assert _forms(_endpoint(service, "listCodes")) == [("text", "code")]  # x-pact field
    note = _endpoint(service, "linkNote")
    assert note.kind is Kind.READ and _forms(note) == [("text", "note")]  # /links/{code}/note
    assert note.param("id") is not None and note.param("id").column == "code"  # type: ignore[union-attr]


def test_bytes_come_from_the_format_byte_field(service: Service) -> None:
    qr = _endpoint(service, "linkQr")
    assert [(r.media, r.form, r.value) for r in qr.renderings] == [("image/png", "bytes", "qr")]


def test_html_is_a_template_of_its_own(service: Service) -> None:
    page = _endpoint(service, "linkPage")
    assert [(r.form, r.template) for r in page.renderings] == [("html", "link_page.html")]


def test_a_redirect_goes_to_the_field_its_location_header_names_and_counts_hits(
    service: Service,
) -> None:
    follow = _endpoint(service, "follow")
    assert follow.kind is Kind.READ and follow.status_code == 302
    assert _forms(follow) == [("redirect", "url")]
    assert follow.counts == "hits"
    assert any("the Location header's description names it" in n for n in follow.notes)


_SHAPES = """
openapi: 3.0.3
info: {title: Shapes, version: "1"}
paths:
  /pages:
    post:
      operationId: createPage
      requestBody:
        required: true
        content:
          application/json: {schema: {$ref: "#/components/schemas/Page"}}
      responses:
        "201":
          description: made
          content:
            application/json: {schema: {$ref: "#/components/schemas/Page"}}
  /pages/{slug}:
    get:
      operationId: getPage
      parameters:
        - {name: slug, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: the page
          content:
            application/json: {schema: {$ref: "#/components/schemas/Page"}}
    put:
      operationId: putPage
      parameters:
        - {name: slug, in: path, required: true, schema: {type: string}}
      requestBody:
        required: true
        content:
          application/json: {schema: {$ref: "#/components/schemas/Page"}}
      responses:
        "200":
          description: saved
          content:
            text/plain: {schema: {type: string}}
  /pages/{slug}/sheet:
    get:
      operationId: sheetPage
      parameters:
        - {name: slug, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: a spreadsheet
          content:
            application/vnd.ms-excel: {schema: {type: string, format: binary}}
  /pages/{slug}/raw:
    get:
      operationId: rawPage
      parameters:
        - {name: slug, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: its content
          content:
            text/markdown: {schema: {type: string}}
  /pages/{slug}/blob:
    get:
      operationId: blobPage
      parameters:
        - {name: slug, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: bytes
          content:
            application/octet-stream: {schema: {type: string, format: binary}}
  /{slug}:
    get:
      operationId: goPage
      parameters:
        - {name: slug, in: path, required: true, schema: {type: string}}
      responses:
        "301":
          description: moved
          headers:
            Location: {schema: {type: string}}
components:
  schemas:
    Page:
      type: object
      properties:
        slug: {type: string}
        content: {type: string}
        link: {type: string, format: uri}
        visits: {type: integer, readOnly: true}
"""


def test_shapes_are_inferred_without_x_pact(
    write_project: Callable[[dict[str, str]], Path],
) -> None:
    """Markdown from the one text-like field, a 301 at the root to the one format: uri
    field of the records named by {slug} (counting visits), and bytes nothing names."""
    service = understand(write_project({"docs/openapi.yaml": _SHAPES})).service
    raw = _endpoint(service, "rawPage")
    assert [(r.media, r.form, r.value) for r in raw.renderings] == [
        ("text/markdown", "text", "content")
    ]
    go = _endpoint(service, "goPage")
    assert go.resource == "page" and go.status_code == 301
    assert _forms(go) == [("redirect", "link")] and go.counts == "visits"
    blob = _endpoint(service, "blobPage")
    assert not blob.implemented
    assert "nothing says which field of the record holds them" in " ".join(blob.reasons)
    # Media the service does not make: a stub, not an empty body off the contract.
    put = _endpoint(service, "putPage")
    assert not put.implemented and put.kind is Kind.REPLACE
    assert put.reasons == [
        "it answers text/plain: the service makes JSON, and CSV, text, HTML, bytes or a"
        " redirect only for a GET of stored records"
    ]
    assert not _endpoint(service, "sheetPage").implemented


_BROKEN = """
openapi: 3.0.3
info: {title: Broken, version: "1"}
paths:
  /pages:
    post:
      operationId: createPage
      x-pact:
        response: {field: slug}
      requestBody:
        required: true
        content:
          application/json: {schema: {$ref: "#/components/schemas/Page"}}
      responses:
        "201":
          description: made
          content:
            application/json: {schema: {$ref: "#/components/schemas/Page"}}
  /pages/{slug}/raw:
    get:
      operationId: rawPage
      x-pact:
        response: {field: body}
      parameters:
        - {name: slug, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: its content
          content:
            text/plain: {schema: {type: string}}
  /pages/{slug}/go:
    get:
      operationId: goPage
      x-pact:
        response: {count: slug}
      parameters:
        - {name: slug, in: path, required: true, schema: {type: string}}
      responses:
        "302":
          description: away
  /pages/{slug}:
    get:
      operationId: getPage
      x-pact:
        response: {columns: [slug]}
      parameters:
        - {name: slug, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: the page
          content:
            application/json: {schema: {$ref: "#/components/schemas/Page"}}
components:
  schemas:
    Page:
      type: object
      properties:
        slug: {type: string}
        link: {type: string, format: uri}
"""


def test_impossible_responses_are_errors_with_a_location(
    write_project: Callable[[dict[str, str]], Path],
) -> None:
    project = write_project({"docs/openapi.yaml": _BROKEN})
    with pytest.raises(ContractError) as caught:
        understand(project)
    errors = caught.value.problems.errors
    text = "\n".join(f"{p.message} | {p.hint}" for p in errors)
    assert "x-pact response on POST /pages: it is not a read or a list of stored records" in text
    assert (
        "x-pact response on GET /pages/{slug}/raw: the record has no field 'body'"
        " | its fields: slug, link" in text
    )
    assert (
        "x-pact response on GET /pages/{slug}/go: count names 'slug', which is no integer"
        " field of the record | its integer fields: none" in text
    )
    assert "x-pact response on GET /pages/{slug}: it answers JSON only" in text
    assert len(errors) == 4
    assert all(p.location is not None and p.location.line > 0 for p in errors)


def test_the_html_template_is_the_owners_and_prints_only_safe_names(
    service: Service, write_project: Callable[[dict[str, str]], Path]
) -> None:
    files = render_service(service)
    page = files["app/templates/link_page.html"]
    assert page.startswith("{# app/templates/link_page.html:")
    assert "{{ record['url'] }}" in page
    assert kind_of("app/templates/link_page.html") is FileKind.OWNED
    assert "NotAcceptable" in files["app/api/media.py"]
    assert "jinja2==" in files["pyproject.toml"]
    hostile = _SHAPES.replace("content: {type: string}", "'x}}{{7*7': {type: string}")
    hostile = hostile.replace("text/markdown", "text/html")
    built = render_service(understand(write_project({"docs/openapi.yaml": hostile})).service)
    assert "7*7" not in built["app/templates/raw_page.html"]


@pytest.mark.e2e
@pytest.mark.xdist_group("shortener")
def test_an_edited_html_template_is_kept_by_the_next_build_and_served(
    built_copy: Callable[[str], Path],
) -> None:
    """The owner's page survives a rebuild, and the service answers it, escaped."""
    from pactcoder.cli import app

    project = built_copy("shortener")
    template = project / "backend" / "app" / "templates" / "link_page.html"
    template.write_text("<p>Yours: {{ record['note'] }}</p>\n", encoding="utf-8")
    done = CliRunner().invoke(app, ["build", str(project)])
    assert done.exit_code == 0, done.output
    assert template.read_text(encoding="utf-8") == "<p>Yours: {{ record['note'] }}</p>\n"
    check = (
        "from fastapi.testclient import TestClient\n"
        "from app.main import create_app\n"
        "with TestClient(create_app()) as client:\n"
        "    made = client.post('/links', json={'code': 'abc', 'url': 'https://e.com/',"
        " 'note': '<i>x</i>'})\n"
        "    assert made.status_code == 201, made.text\n"
        "    print(client.get('/links/abc/page').text)\n"
    )
    environment = {"PATH": "/usr/bin:/bin", "DATABASE_URL": "sqlite+aiosqlite:///./edited.db"}
    for command in (["-m", "alembic", "upgrade", "head"], ["-c", check]):
        ran = subprocess.run(
            [sys.executable, *command],
            cwd=project / "backend",
            capture_output=True,
            text=True,
            check=False,
            env=environment,
        )
        assert ran.returncode == 0, ran.stderr[-3000:]
    assert "<p>Yours: &lt;i&gt;x&lt;/i&gt;</p>" in ran.stdout
