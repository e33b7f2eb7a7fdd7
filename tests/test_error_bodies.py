"""Errors as the contract declares them (issue 12 part 3): the declared status that stands
for an undeclared one, and bodies in the declared error schema whatever its shape.

- a duplicate (409) on an operation that declares only 400 is a 400; a missing record
  (404) likewise; an operation with ``default`` keeps 409;
- ``{"errors": {"body": ["..."]}}`` carries the messages (it was ``{"errors": null}``);
- ``{"error": {"code": ..., "message": ...}}`` is filled inside;
- ``x-pact: {error-messages: true}`` says which property holds the messages.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from pactcoder.ir.model import answered_status
from pactcoder.steps import build, check

Project = Callable[[dict[str, str]], Path]

CONTRACT = """
openapi: 3.0.3
info: {title: Errors, version: "1"}
paths:
  /tags:
    post:
      operationId: createTag
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Tag"}
      responses:
        "201":
          description: created
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Tag"}
        "400":
          description: bad
          content:
            application/json:
              schema: {$ref: "#/components/schemas/GenericError"}
  /tags/{id}:
    get:
      operationId: getTag
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
      responses:
        "200":
          description: the tag
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Tag"}
        "400":
          description: bad
          content:
            application/json:
              schema: {$ref: "#/components/schemas/GenericError"}
  /notes:
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
        "422":
          description: bad
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Fault"}
        default:
          description: any other error
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Fault"}
  /labels:
    post:
      operationId: createLabel
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Label"}
      responses:
        "201":
          description: created
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Label"}
        "409":
          description: duplicate
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Wrapped"}
components:
  schemas:
    Tag:
      type: object
      required: [name]
      properties:
        id: {type: integer, readOnly: true}
        name: {type: string, x-pact: {unique: true}}
    Note:
      type: object
      required: [text]
      properties:
        id: {type: integer, readOnly: true}
        text: {type: string, x-pact: {unique: true}}
    Label:
      type: object
      required: [name]
      properties:
        id: {type: integer, readOnly: true}
        name: {type: string, x-pact: {unique: true}}
    GenericError:
      type: object
      required: [errors]
      properties:
        errors:
          type: object
          required: [body]
          properties:
            body:
              type: array
              items: {type: string}
    Fault:
      type: object
      required: [fault, reasons]
      properties:
        fault: {type: string}
        reasons:
          type: array
          items: {type: string}
          x-pact: {error-messages: true}
    Wrapped:
      type: object
      required: [error]
      properties:
        error:
          type: object
          required: [code, message]
          properties:
            code: {type: string}
            message: {type: string}
"""


def test_the_declared_status_that_stands_for_an_undeclared_one() -> None:
    assert answered_status(409, {"201", "400"}) == 400
    assert answered_status(409, {"201", "422"}) == 422
    assert answered_status(409, {"201", "400", "default"}) == 409
    assert answered_status(409, {"201", "4XX"}) == 409
    assert answered_status(404, {"200", "400"}) == 400
    assert answered_status(422, {"200", "400"}) == 400
    assert answered_status(401, {"200", "400"}) == 401  # nothing else says "sign in"
    assert answered_status(409, {"201"}) == 409  # nothing stands for it: said as a note
    assert answered_status(409, set()) == 409


def test_error_schemas_of_every_shape_get_their_roles(write_project: Project) -> None:
    service = check(write_project({"docs/openapi.yaml": CONTRACT})).service
    formats = [service.default_error, *service.errors.values()]
    generic = next(f for f in formats if "errors" in f.nested)
    assert generic.nested["errors"].roles == {"body": "messages"}
    assert not generic.constants
    fault = next(f for f in formats if "reasons" in f.roles)
    assert fault.roles["reasons"] == "messages"
    wrapped = next(f for f in formats if "error" in f.nested)
    assert wrapped.nested["error"].roles == {"code": "code", "message": "detail"}
    assert "error" not in wrapped.constants


_REQUESTS = """
import json
from fastapi.testclient import TestClient
from app.main import app
answers = {}
with TestClient(app) as client:
    for path, body in [("/tags", {"name": "a"}), ("/notes", {"text": "a"}),
                       ("/labels", {"name": "a"})]:
        assert client.post(path, json=body).status_code == 201
        again = client.post(path, json=body)
        answers[path] = [again.status_code, again.json()]
    missing = client.get("/tags/999")
    answers["missing"] = [missing.status_code, missing.json()]
    invalid = client.post("/tags", json={"name": 5})
    answers["invalid"] = [invalid.status_code, invalid.json()]
print(json.dumps(answers))
"""


@pytest.mark.e2e
def test_the_service_answers_declared_statuses_in_declared_shapes(
    write_project: Project, tmp_path: Path
) -> None:
    project = write_project({"docs/openapi.yaml": CONTRACT})
    build(project, tmp_path / "out")
    service = tmp_path / "out"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "PACTCODER_DEBUG")}
    env["DATABASE_URL"] = f"sqlite+aiosqlite:///{service / 'e2e.db'}"
    for command in (
        [sys.executable, "-m", "alembic", "upgrade", "head"],
        [sys.executable, "-c", _REQUESTS],
    ):
        done = subprocess.run(
            command, cwd=service, env=env, capture_output=True, text=True, check=False, timeout=120
        )
        assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    answers = json.loads(done.stdout.strip().splitlines()[-1])
    # A duplicate where only 400 is declared: 400, {"errors": {"body": [message]}}.
    status, body = answers["/tags"]
    assert status == 400
    assert list(body) == ["errors"] and list(body["errors"]) == ["body"]
    assert body["errors"]["body"] and all(isinstance(m, str) for m in body["errors"]["body"])
    # A missing record where only 400 is declared.
    status, body = answers["missing"]
    assert status == 400 and body["errors"]["body"]
    # Invalid input on an operation declaring 400 (the service's usual status is 422 here).
    status, body = answers["invalid"]
    assert status == 400 and body["errors"]["body"]
    # `default` declared: the duplicate keeps 409, in the default's shape (x-pact messages).
    status, body = answers["/notes"]
    assert status == 409
    assert body["reasons"] and all(isinstance(m, str) for m in body["reasons"])
    # 409 declared, its body an object inside an object.
    status, body = answers["/labels"]
    assert status == 409
    assert set(body["error"]) == {"code", "message"} and body["error"]["message"]
