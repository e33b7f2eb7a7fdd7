"""Honest understanding (issue 12 part 3): what pactcoder infers, it says, with evidence.

- a required response field that nothing sets starts as the empty value of its type
  (an inference ``check`` shows), unless an empty value would be a lie (keys,
  references, enums without one, formats): then the create is not implemented;
- an optional response field nothing sets is left out, never a reason for a 501;
- "unique" read from prose is a low-confidence guess, and never read from "unique
  identifier".
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from rich.console import Console

from pactcoder.ir.model import Confidence, Source
from pactcoder.ir.types import Default
from pactcoder.report import guesses, show_understanding
from pactcoder.steps import build, check

Project = Callable[[dict[str, str]], Path]

UNSET_FIELDS = """
openapi: 3.0.3
info: {title: Desk, version: "1"}
paths:
  /tickets:
    post:
      operationId: createTicket
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/NewTicket"}
      responses:
        "201":
          description: created
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Ticket"}
  /tickets/{id}:
    get:
      operationId: getTicket
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
      responses:
        "200":
          description: the ticket
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Ticket"}
  /heartbeats:
    post:
      operationId: createHeartbeat
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/NewHeartbeat"}
      responses:
        "201":
          description: created
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Heartbeat"}
components:
  schemas:
    NewTicket:
      type: object
      required: [title, code]
      properties:
        title: {type: string}
        code: {type: string, description: Unique in the catalogue.}
        service_id: {type: string, description: The unique identifier of the service}
    Ticket:
      type: object
      required: [id, title, code, service_id, summary, replies, labels, meta, closed,
        version, note_kind]
      properties:
        id: {type: integer, readOnly: true}
        title: {type: string}
        code: {type: string, description: Unique in the catalogue.}
        service_id: {type: string, description: The unique identifier of the service}
        summary: {type: string}
        replies: {type: integer, minimum: 0}
        labels: {type: array, items: {type: string}}
        meta: {type: object, additionalProperties: {type: string}}
        closed: {type: boolean}
        version: {type: string, enum: ["v1"]}
        note_kind: {type: string, enum: ["", "internal"]}
        assignee: {type: string}
    NewHeartbeat:
      type: object
      required: [service_id]
      properties:
        service_id: {type: string, description: The unique identifier of the service}
    Heartbeat:
      type: object
      required: [id, service_id, ack_id, state, seen_on]
      properties:
        id: {type: integer, readOnly: true}
        service_id: {type: string, description: The unique identifier of the service}
        ack_id: {type: string}
        state: {type: string, enum: [up, down]}
        seen_on: {type: string, format: date}
"""


def _columns(project: Path, name: str) -> dict[str, object]:
    service = check(project).service
    return {c.api_name: c for c in service.resource(name).table.columns}


def test_required_fields_nothing_sets_start_empty_and_say_so(write_project: Project) -> None:
    project = write_project({"docs/openapi.yaml": UNSET_FIELDS})
    understanding = check(project)
    ticket = understanding.service.resource("ticket")
    columns = {c.api_name: c for c in ticket.table.columns}
    expected = {
        "summary": Default(""),
        "replies": Default(0),
        "labels": Default([]),
        "meta": Default({}),
        "closed": Default(False),
        "version": Default("v1"),
        "note_kind": Default(""),
    }
    for name, value in expected.items():
        column = columns[name]
        assert (column.source, column.default, column.nullable) == (
            Source.DEFAULT,
            value,
            False,
        ), name
        (inference,) = column.inferences
        assert inference.what == f"starts as {value.value!r}"
        assert "no default, not nullable" in inference.evidence
    assert columns["version"].inferences[0].confidence is Confidence.high
    assert columns["summary"].inferences[0].confidence is Confidence.medium
    # Optional and nothing sets it: left out of responses, no reason for a 501.
    assert columns["assignee"].source is Source.NULL
    create = next(e for e in ticket.endpoints if e.operation_id == "createTicket")
    assert create.implemented, create.reasons
    assert any("Ticket.summary as ''" in note for note in create.notes)


def test_no_empty_value_for_identifiers_enums_without_one_or_formats(
    write_project: Project,
) -> None:
    project = write_project({"docs/openapi.yaml": UNSET_FIELDS})
    heartbeat = check(project).service.resource("heartbeat")
    columns = {c.api_name: c for c in heartbeat.table.columns}
    for name in ("ack_id", "state", "seen_on"):
        assert columns[name].source is Source.UNKNOWN, name
        assert not columns[name].inferences
    create = next(e for e in heartbeat.endpoints if e.operation_id == "createHeartbeat")
    assert not create.implemented
    (reason,) = create.reasons
    assert "Heartbeat.ack_id, Heartbeat.state, Heartbeat.seen_on" in reason


def test_unique_is_not_read_from_unique_identifier_and_is_a_guess_elsewhere(
    write_project: Project,
) -> None:
    project = write_project({"docs/openapi.yaml": UNSET_FIELDS})
    understanding = check(project)
    for name in ("ticket", "heartbeat"):
        service_id = next(
            c
            for c in understanding.service.resource(name).table.columns
            if c.api_name == "service_id"
        )
        assert not service_id.unique
    code = next(
        c for c in understanding.service.resource("ticket").table.columns if c.api_name == "code"
    )
    assert code.unique
    (guess,) = code.inferences
    assert guess.confidence is Confidence.low
    assert "Unique in the catalogue" in guess.evidence
    assert [(f, i.what) for f, i in guesses(understanding)] == [("Ticket.code", "unique")]


def test_check_shows_inferences_and_guesses(write_project: Project) -> None:
    project = write_project({"docs/openapi.yaml": UNSET_FIELDS})
    console = Console(record=True, width=400)
    show_understanding(console, check(project))
    text = console.export_text()
    assert "inferred: starts as '' (medium confidence:" in text
    assert "1 low-confidence guess(es)" in text
    assert 'Ticket.code: unique, as its description says "Unique in the catalogue."' in text


@pytest.mark.e2e
def test_a_create_with_inferred_defaults_succeeds(write_project: Project, tmp_path: Path) -> None:
    # Before, Ticket's create answered 501 (or, earlier, 409 on a NOT NULL column every time).
    project = write_project({"docs/openapi.yaml": UNSET_FIELDS})
    build(project, tmp_path / "out")
    script = (
        "from fastapi.testclient import TestClient\n"
        "from app.main import app\n"
        "with TestClient(app) as client:\n"
        "    r = client.post('/tickets', json={'title': 't', 'code': 'c', 'service_id': 's'})\n"
        "    print(r.status_code, r.text)\n"
        "    assert r.status_code == 201, r.text\n"
        "    body = r.json()\n"
        "    assert body['summary'] == '' and body['replies'] == 0 and body['labels'] == []\n"
        "    assert body['closed'] is False and body['version'] == 'v1'\n"
        "    assert 'assignee' not in body\n"
    )
    service = tmp_path / "out"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "PACTCODER_DEBUG")}
    env["DATABASE_URL"] = f"sqlite+aiosqlite:///{service / 'e2e.db'}"
    for command in (
        [sys.executable, "-m", "alembic", "upgrade", "head"],
        [sys.executable, "-c", script],
    ):
        done = subprocess.run(
            command, cwd=service, env=env, capture_output=True, text=True, check=False, timeout=120
        )
        assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]


CREATE_ANSWERING_ELSE = """
openapi: 3.0.3
info: {title: Pay, version: "1"}
paths:
  /payments:
    post:
      operationId: startPayment
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/NewPayment"}
      responses:
        "201":
          description: started; the client goes on at the redirect URL
          content:
            application/json:
              schema: {$ref: "#/components/schemas/PaymentRedirect"}
  /payments/{id}:
    get:
      operationId: getPayment
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
      responses:
        "200":
          description: the payment
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Payment"}
  /refunds:
    post:
      operationId: createRefund
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/NewRefund"}
      responses:
        "201":
          description: created
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Refund"}
components:
  schemas:
    NewPayment:
      type: object
      required: [amount]
      properties:
        amount: {type: integer}
    Payment:
      type: object
      required: [id, amount]
      properties:
        id: {type: integer, readOnly: true}
        amount: {type: integer}
    PaymentRedirect:
      type: object
      properties:
        id: {type: integer}
        redirectUrl: {type: string, format: uri}
        expiresAt: {type: string, format: date-time}
    NewRefund:
      type: object
      required: [amount]
      properties:
        amount: {type: integer}
    Refund:
      type: object
      required: [id, amount]
      properties:
        id: {type: integer, readOnly: true}
        amount: {type: integer}
"""


def test_a_create_answering_something_else_is_a_low_confidence_guess(
    write_project: Project,
) -> None:
    # A POST to a collection answering another schema than the record was read as a create
    # with nothing to say it was a guess.
    project = write_project({"docs/openapi.yaml": CREATE_ANSWERING_ELSE})
    understanding = check(project)
    start = next(e for e in understanding.service.endpoints if e.operation_id == "startPayment")
    (guess,) = start.inferences
    assert guess.confidence is Confidence.low
    assert guess.what == "a create of a payment record"
    assert "answers PaymentRedirect, not Payment as its other operations do" in guess.evidence
    assert "expiresAt, redirectUrl are no fields" in guess.evidence
    refund = next(e for e in understanding.service.endpoints if e.operation_id == "createRefund")
    assert refund.inferences == []
    assert ("startPayment", guess) in guesses(understanding)
    console = Console(record=True, width=400)
    show_understanding(console, understanding)
    text = console.export_text()
    assert "inferred: a create of a payment record (low confidence: POST /payments" in text
    assert "startPayment: a create of a payment record, as POST /payments posts" in text
