"""Generated suites that failed on a contract nobody here wrote (easyappointments).

Each defect is shown on a contract of our own, SETTINGS below:

* operations without an ``operationId``: the service names them (``get_settings``), but
  tests/contract.py only knew the contract's ids, so every test of them was a KeyError;
  and their create had no sample bodies (looked up by id), so its test called a factory
  that was never written;
* ``/settings/{settingName}`` on a record whose field is ``name``: the parameter names the
  record by that field, as ``{name}`` would (it was looked up by a hidden integer id);
* a sort value on a field no sample sets (``createdBy``, read-only and never filled) or
  on a reference the test's records share: a sort test could not tell asc from desc;
* bearer or basic on one operation: a wrong basic password was refused with the bearer
  scheme's challenge, because the bearer reader complained first about the header;
* a media type with parameters in the contract (``application/json; charset=utf-8``,
  trilium): tests/contract.py compared it with the answer's type without them, and failed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from pactcoder.steps import build

Project = Callable[[dict[str, str]], Path]

SETTINGS = """
openapi: 3.0.3
info: {title: Settings, version: "1"}
security:
  - BearerToken: []
  - BasicAuth: []
paths:
  /notes:
    get:
      parameters:
        - name: sort
          in: query
          schema: {type: string, enum: [title, -title, createdBy, -createdBy, folderId, -folderId]}
      responses:
        "200":
          description: all
          content:
            application/json:
              schema: {type: array, items: {$ref: "#/components/schemas/Note"}}
    post:
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Note"}
      responses:
        "201":
          description: made
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Note"}
  /folders:
    post:
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Folder"}
      responses:
        "201":
          description: made
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Folder"}
  /settings:
    get:
      responses:
        "200":
          description: all
          content:
            application/json; charset=utf-8:
              schema: {type: array, items: {$ref: "#/components/schemas/Setting"}}
  /settings/{settingName}:
    parameters:
      - {name: settingName, in: path, required: true, schema: {type: string}}
    get:
      responses:
        "200":
          description: one
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Setting"}
        "404": {description: none}
    put:
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Setting"}
      responses:
        "200":
          description: changed
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Setting"}
        "404": {description: none}
components:
  securitySchemes:
    BearerToken: {type: http, scheme: bearer}
    BasicAuth: {type: http, scheme: basic}
  schemas:
    Folder:
      type: object
      required: [label]
      properties:
        id: {type: integer, readOnly: true}
        label: {type: string}
    Note:
      type: object
      required: [title, folderId]
      properties:
        id: {type: integer, readOnly: true}
        title: {type: string, minLength: 1}
        folderId: {type: integer}
        createdBy: {type: string, readOnly: true}
    Setting:
      type: object
      properties:
        name: {type: string}
        value: {type: string}
"""


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("settings")
    (root / "docs").mkdir()
    (root / "docs" / "openapi.yaml").write_text(SETTINGS)
    build(root, root / "out")
    return root / "out"


def test_operations_without_an_id_are_found_by_the_name_the_service_gives_them(
    service: Path,
) -> None:
    contract = (service / "tests" / "contract.py").read_text()
    for name, pointer in [
        ("get_notes", "/paths/~1notes/get"),
        ("post_notes", "/paths/~1notes/post"),
        ("get_settings_setting_name", "/paths/~1settings~1{settingName}/get"),
    ]:
        assert f'"{name}": "{pointer}"' in contract
    # Their create has sample bodies, so its tests make notes through the API.
    assert "def note_payload(" in (service / "tests" / "conftest.py").read_text()


def test_a_parameter_named_for_the_record_and_a_field_looks_it_up_by_that_field(
    service: Path,
) -> None:
    generated = (service / "app" / "services" / "generated" / "settings.py").read_text()
    assert 'find_as(Setting, setting_name, by="name")' in generated
    assert 'update_as(Setting, values, setting_name, by="name")' in generated


def test_sorts_are_tested_only_on_fields_the_records_differ_in(service: Path) -> None:
    tests = (service / "tests" / "test_notes.py").read_text()
    assert "def test_get_notes_sorts_by_title(" in tests
    assert "def test_get_notes_sorts_by_id(" not in tests  # not a sort value of the contract
    assert "sorts_by_createdby" not in tests  # never set: every record has none
    assert "sorts_by_folderid" not in tests  # the test's notes share their folder


@pytest.mark.e2e
def test_the_service_passes_its_own_suite(service: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TEST_DATABASE_URL")}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "not stub"],
        cwd=service,
        env={**env, "PYTHONDONTWRITEBYTECODE": "1"},
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-4000:]
    # The basic-credential tests ran and passed: a wrong password is refused with the
    # basic scheme's challenge although the bearer scheme is tried first.
    assert "failed" not in done.stdout.splitlines()[-1]
    assert (service / "tests" / "test_credentials.py").is_file()


#: lago: a charge's `code` is named like its plan's `{code}`, so it holds the plan's key;
#: `{charge_code}` beside it must not make that field the charge's natural key (the build
#: stopped with exit 3 when it did).
PLAN_CHARGES = """
openapi: 3.0.3
info: {title: Plans, version: "1"}
paths:
  /plans:
    post:
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Plan"}
      responses:
        "201":
          description: made
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Plan"}
  /plans/{code}:
    get:
      parameters:
        - {name: code, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: one
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Plan"}
  /plans/{code}/charges/{charge_code}:
    get:
      parameters:
        - {name: code, in: path, required: true, schema: {type: string}}
        - {name: charge_code, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: one
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Charge"}
components:
  schemas:
    Plan:
      type: object
      required: [code]
      properties:
        code: {type: string}
        name: {type: string}
    Charge:
      type: object
      properties:
        lago_id: {type: string, format: uuid}
        code: {type: string}
        amount: {type: integer}
"""


def test_a_field_named_like_the_parents_parameter_is_not_the_childs_natural_key(
    tmp_path: Path,
) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "openapi.yaml").write_text(PLAN_CHARGES)
    build(tmp_path, tmp_path / "out")  # raised StopIteration (exit 3) before
    assert (tmp_path / "out" / "app" / "services" / "generated" / "charges.py").is_file()
