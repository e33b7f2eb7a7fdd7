"""A build imports the service it generated before writing it; a failure is a pactcoder bug.

Also the regressions the check first caught: services whose errors module lacked the
error classes their deps and auth modules import, and the formatter failing silently.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from pactcoder.format import FormatError, format_files
from pactcoder.importcheck import check_imports
from pactcoder.problems import GeneratedCodeError
from pactcoder.steps import build

MAIN = "from app import thing\n"


def test_a_service_that_imports_passes() -> None:
    files = {"app/__init__.py": "", "app/main.py": MAIN, "app/thing.py": "VALUE = 1\n"}
    assert check_imports(files, contract="docs/api.yaml") is None


def test_a_service_that_does_not_import_is_a_located_bug() -> None:
    files = {
        "app/__init__.py": "",
        "app/main.py": MAIN,
        "app/thing.py": "VALUE = 1\n\n\nclass A:\n    b = Missing.position\n",
    }
    with pytest.raises(GeneratedCodeError) as raised:
        check_imports(files, contract="docs/api.yaml")
    message = str(raised.value)
    assert "docs/api.yaml does not import" in message
    assert "app/thing.py:5: NameError: name 'Missing' is not defined" in message
    assert "nothing was written" in message


def test_a_module_main_does_not_import_is_checked_too() -> None:
    files = {
        "app/__init__.py": "",
        "app/main.py": "VALUE = 1\n",
        "app/api/__init__.py": "",
        "app/api/routes.py": "from app.main import Nothing\n",
    }
    with pytest.raises(GeneratedCodeError, match=r"app/api/routes.py:1: ImportError"):
        check_imports(files, contract="docs/api.yaml")


@pytest.mark.parametrize("path", ["tests/test_things.py", "app/worker.py"])
def test_files_the_import_does_not_reach_are_compiled(path: str) -> None:
    """Tests, migrations and the job workers' program are not imported, only compiled:
    a file among them that does not compile is caught too, and named."""
    files = {"app/__init__.py": "", "app/main.py": MAIN, "app/thing.py": "VALUE = 1\n"}
    files[path] = "x = 1\nreturn x\n"
    with pytest.raises(GeneratedCodeError, match=rf"{path}:2: SyntaxError"):
        check_imports(files, contract="docs/api.yaml")


def test_the_formatter_names_the_file_that_does_not_parse() -> None:
    with pytest.raises(FormatError) as raised:
        format_files({"app/ok.py": "x = 1\n", "app/bad.py": "x = 1\ndef f(:\n    pass\n"})
    assert "app/bad.py:2:" in str(raised.value)
    assert "def f(:" in str(raised.value)


API_KEY_ONLY = """
openapi: 3.1.0
info: {title: Notes, version: "1"}
security: [{key: []}]
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Api-Key}
  schemas:
    Note:
      type: object
      required: [id, text]
      properties:
        id: {type: string, readOnly: true}
        text: {type: string, maxLength: 200}
paths:
  /notes:
    get:
      operationId: listNotes
      responses:
        "200":
          description: the notes
          content:
            application/json:
              schema: {type: array, items: {$ref: "#/components/schemas/Note"}}
    post:
      operationId: createNote
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Note"}
      responses:
        "201":
          description: created
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Note"}
"""


def test_a_service_with_credentials_but_no_roles_imports(
    write_project: Callable[[dict[str, str]], Path], tmp_path: Path
) -> None:
    # deps.py raises Forbidden and Unauthorized whenever an operation needs a caller;
    # errors.py used to define Forbidden only when some operation needed a role.
    project = write_project({"docs/openapi.yaml": API_KEY_ONLY})
    result = build(project, tmp_path / "out")
    assert result.import_skipped is None
    errors = (tmp_path / "out" / "app" / "core" / "errors.py").read_text()
    assert "class Forbidden(ApiError)" in errors
    assert "class Unauthorized(ApiError)" in errors
