"""File uploads and downloads (issue 16 part 6) on tests/contracts/files.

The fast tests read what pactcoder understood: which operations are uploads (x-pact
``upload``, or a multipart POST carrying one file answered by a record) and downloads
(a GET of a record, or of a path under it, answering bytes), the columns the file's
name, size and type go in (and the hidden storage key), the limits, what stays a 501
and why, the x-pact errors with their place, and what the service pins. The e2e test
verifies the built service: its generated suite (hostile filenames, ranges, owners, S3
against moto's server), fuzzing, ruff, mypy and bandit.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pactcoder.ir.model import Endpoint, Kind, Service, Source
from pactcoder.pipeline import understand
from pactcoder.problems import ContractError
from pactcoder.render import render_service
from pactcoder.render.views.file_samples import refused_sample, sample_of

ROOT = Path(__file__).resolve().parents[1]
FILES = ROOT / "tests" / "contracts" / "files"
FORMS = ROOT / "tests" / "contracts" / "forms"


@pytest.fixture(scope="module")
def service() -> Service:
    return understand(FILES).service


def _endpoint(service: Service, operation_id: str) -> Endpoint:
    return next(e for e in service.endpoints if e.operation_id == operation_id)


def test_a_declared_upload_keeps_its_limits(service: Service) -> None:
    upload = _endpoint(service, "uploadDocument")
    assert upload.kind is Kind.UPLOAD and upload.implemented, upload.reasons
    assert upload.upload is not None
    assert (upload.upload.field, upload.upload.max_bytes, upload.upload.types) == (
        "file",
        1_048_576,
        [],
    )
    assert upload.body_media == ["multipart/form-data"]
    assert upload.request_model is None and upload.response_model == "Document"
    # the body limit makes room for the file and its multipart framing
    assert service.max_body_bytes >= 1_048_576 + 65_536


def test_the_record_keeps_what_was_learnt_of_the_file(service: Service) -> None:
    document = service.resource("document")
    files = document.files
    assert files is not None
    assert (files.name_column, files.size_column, files.type_column) == (
        "name",
        "size",
        "content_type",
    )
    columns = {c.attr: c for c in document.table.columns}
    key = columns[files.key_column]
    assert key.source is Source.FILE and not key.exposed and key.unique
    for attr in ("name", "size", "content_type"):
        assert columns[attr].source is Source.FILE and not columns[attr].nullable
        assert not any(n.startswith("server-made") for n in columns[attr].notes)


def test_an_upload_with_a_filename_field_and_types(service: Service) -> None:
    upload = _endpoint(service, "uploadAvatar")
    assert upload.kind is Kind.UPLOAD and upload.upload is not None
    assert upload.upload.types == ["image/png", "image/jpeg"]
    assert upload.upload.name_field == "filename"
    avatar = service.resource("avatar")
    assert avatar.files is not None
    assert (avatar.files.name_column, avatar.files.size_column, avatar.files.type_column) == (
        "filename",
        "bytes",
        "mime_type",
    )


def test_downloads_are_read_from_binary_answers(service: Service) -> None:
    content = _endpoint(service, "downloadDocument")
    assert content.kind is Kind.DOWNLOAD and content.implemented and content.resource == "document"
    # the path's parameter names the record (not a parent): /documents/{documentId}/content
    assert [p.role for p in content.params if p.location == "path"] == ["id"]
    image = _endpoint(service, "getAvatar")
    assert image.kind is Kind.DOWNLOAD and image.resource == "avatar"
    assert any("byte ranges (206, 416)" in n for n in image.notes)
    # the JSON read of a record stays a read
    assert _endpoint(service, "getDocument").kind is Kind.READ


INFERRED = """
openapi: 3.0.3
info: {title: Media, version: "1"}
paths:
  /media:
    post:
      operationId: uploadMedia
      requestBody:
        content:
          multipart/form-data:
            schema: {type: string, format: binary}
      responses:
        "200":
          description: stored
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Media"}
  /media/{id}:
    get:
      operationId: getMedia
      parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
      responses:
        "200":
          description: the file
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Media"}
  /reports/{id}/pdf:
    get:
      operationId: getReportPdf
      parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
      responses:
        "200":
          description: a report
          content:
            application/pdf:
              schema: {type: string, format: binary}
  /reports/{id}:
    get:
      operationId: getReport
      parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
      responses:
        "200":
          description: a report
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Report"}
  /pairs:
    post:
      operationId: uploadPair
      requestBody:
        content:
          multipart/form-data:
            schema:
              type: object
              properties:
                left: {type: string, format: binary}
                right: {type: string, format: binary}
      responses:
        "201":
          description: stored
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Media"}
  /notes:
    post:
      operationId: uploadNote
      requestBody:
        content:
          multipart/form-data:
            schema:
              type: object
              properties:
                file: {type: string, format: binary}
                colour: {type: string}
      responses:
        "201":
          description: stored
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Note"}
components:
  schemas:
    Media:
      type: object
      properties:
        id: {type: integer, readOnly: true}
        filename: {type: string}
        size: {type: integer}
    Note:
      type: object
      properties:
        id: {type: integer, readOnly: true}
        colour: {type: string}
    Report:
      type: object
      properties:
        id: {type: integer, readOnly: true}
        title: {type: string}
"""


@pytest.fixture(scope="module")
def inferred(tmp_path_factory: pytest.TempPathFactory) -> Service:
    project = tmp_path_factory.mktemp("inferred")
    (project / "docs").mkdir()
    (project / "docs" / "openapi.yaml").write_text(INFERRED)
    return understand(project).service


def test_a_multipart_binary_body_answered_by_a_record_is_an_upload(inferred: Service) -> None:
    upload = _endpoint(inferred, "uploadMedia")
    assert upload.kind is Kind.UPLOAD and upload.implemented, upload.reasons
    assert upload.upload is not None and upload.upload.field is None  # the one file part
    assert upload.upload.max_bytes == 10 * 1_048_576 and upload.upload.types == []
    media = inferred.resource("media")
    assert media.files is not None and media.files.type_column.startswith("file_type")
    hidden = next(c for c in media.table.columns if c.attr == media.files.type_column)
    assert not hidden.exposed  # the record shows no type: kept hidden, for downloads


def test_what_cannot_be_stored_says_why(inferred: Service) -> None:
    pair = _endpoint(inferred, "uploadPair")
    assert not pair.implemented and any("several files" in r for r in pair.reasons)
    note = _endpoint(inferred, "uploadNote")
    assert not note.implemented
    assert any("form field 'colour' beside the file" in r for r in note.reasons), note.reasons
    report = _endpoint(inferred, "getReportPdf")
    # nothing uploads reports, so their PDF is no stored file: left to part 5 (rendered answers)
    assert report.kind is not Kind.DOWNLOAD and not report.implemented
    assert any("nothing says which field" in r for r in report.reasons), report.reasons


def test_a_file_form_that_is_not_an_upload_stays_a_stub() -> None:
    # PUT /contacts/{id}/avatar answers 204: no record of the file, so nothing to store it as
    avatar = _endpoint(understand(FORMS).service, "uploadAvatar")
    assert avatar.kind is not Kind.UPLOAD and not avatar.implemented
    assert any("a file is stored only by an upload" in r for r in avatar.reasons)


def _check_fails(tmp_path: Path, text: str) -> str:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "openapi.yaml").write_text(text)
    with pytest.raises(ContractError) as failed:
        understand(tmp_path)
    return str(failed.value.problems.errors[0])


def test_x_pact_upload_naming_a_field_that_is_no_file_is_located(tmp_path: Path) -> None:
    text = INFERRED.replace(
        "      operationId: uploadNote\n",
        "      operationId: uploadNote\n      x-pact: {upload: {field: colour}}\n",
    )
    message = _check_fails(tmp_path, text)
    assert "docs/openapi.yaml:" in message and "names the form field 'colour'" in message


def test_x_pact_upload_refuses_a_size_of_nothing(tmp_path: Path) -> None:
    text = INFERRED.replace(
        "      operationId: uploadNote\n",
        "      operationId: uploadNote\n      x-pact: {upload: {max-size: 0}}\n",
    )
    message = _check_fails(tmp_path, text)
    assert "docs/openapi.yaml:" in message and "max-size" in message


def test_samples_of_the_generated_tests() -> None:
    assert sample_of([]) == ("text", "text/plain")
    assert sample_of(["image/*"]) == ("png", "image/png")
    assert sample_of(["application/zip"]) is None
    assert refused_sample(["image/png", "image/jpeg"]) == ("text", "text/plain")
    assert refused_sample([]) is None


def _rendered(service: Service) -> dict[str, Any]:
    return render_service(service)


def test_only_services_with_uploads_pin_the_file_libraries(service: Service) -> None:
    with_files = _rendered(service)
    pyproject = with_files["pyproject.toml"]
    for pin in ("filetype==1.2.0", "boto3==1.44.5", "moto[s3]==5.2.5", "flask==3.1.3"):
        assert pin in pyproject
    for path in (
        "app/core/storage.py",
        "app/api/files.py",
        "tests/files.py",
        "tests/test_files.py",
    ):
        assert path in with_files
    without = _rendered(understand(FORMS).service)
    assert "boto3" not in without["pyproject.toml"] and "app/core/storage.py" not in without


@pytest.mark.e2e
@pytest.mark.xdist_group("files")
def test_the_document_vault_verifies(
    verified: Callable[[str, str | None], dict[str, Any]],
) -> None:
    """The built vault: its suite (hostile filenames, 413/415, ranges, owners, S3 through
    moto's server), ruff and mypy, all clean. The same steps test_e2e asks of every test
    contract: the session verifies each project once, so both must ask the same."""
    report = verified("files", "tests,ruff,mypy")
    failed = [s for s in report["steps"] if not s.get("ok", s.get("passed"))]
    assert report["exit_code"] == 0, (failed, report["printed"][-3000:])
