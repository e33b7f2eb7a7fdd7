"""Expiry (issue 16 part 7) on tests/contracts/telemetry's silences and inline contracts.

A date-time named ``expiresAt`` (``expires_at``, ``validUntil``, ...) is when a record is
gone: lists, reads and aggregates leave it out, reads and writes answer 404 (410 where
the operation declares it), and a periodic clean-up in each service process deletes it.
x-pact ``expiry`` says it of another name, or turns it off. The fast tests read what
pactcoder understood and wrote; the built telemetry service's tests/test_expiry.py runs
in the e2e lane (tests/test_e2e.py), on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from pactcoder.ir.model import Service
from pactcoder.pipeline import understand
from pactcoder.problems import ContractError
from pactcoder.render import render_service

ROOT = Path(__file__).resolve().parents[1]
TELEMETRY = ROOT / "tests" / "contracts" / "telemetry"


@pytest.fixture(scope="module")
def service() -> Service:
    return understand(TELEMETRY).service


def test_a_date_time_named_expires_at_is_the_expiry(service: Service) -> None:
    silence = service.resource("silence")
    assert silence.expiry is not None
    assert (silence.expiry.column, silence.expiry.api_name) == ("expires_at", "expiresAt")
    column = next(c for c in silence.table.columns if c.attr == "expires_at")
    assert any(n.startswith("expiry: past it, records are hidden") for n in column.notes)
    assert [i.what for i in column.inferences] == ["the records' expiry"]
    # readings have a date-time too, but not one named like an expiry
    assert service.resource("reading").expiry is None
    # the samples the generated tests make expire in the far future
    assert all(p["expiresAt"] == "2999-01-01T00:00:00Z" for p in silence.payloads)


def test_the_service_hides_refuses_and_deletes_expired_records(service: Service) -> None:
    files = render_service(service)
    repository = files["app/repositories/silences.py"]
    assert "expires = 'expires_at'" in repository
    assert "conditions: list[ColumnElement[bool]] = self._live()" in repository
    generated = files["app/services/generated/silences.py"]
    # the read declares 410: an expired silence is Gone; the others answer 404
    assert generated.count("raise Gone('The silence has expired.')") == 1
    assert "from app.services.expiry import ExpirySweep" in files["app/main.py"]
    assert "expiry_sweep_seconds" in files["app/core/config.py"]
    assert "EXPIRY_SWEEP_SECONDS=300" in files[".env.example"]
    assert "SilenceRepository" in files["app/services/expiry.py"]
    tests = files["tests/test_expiry.py"]
    assert "assert refused.status_code == 410, refused.text" in tests
    assert "assert refused.status_code == 404" in tests
    # a service whose records never expire has none of it
    assert "_live" not in files["app/repositories/readings.py"]


_SAID = """
openapi: 3.0.3
info: {title: Said, version: "1"}
paths:
  /invites:
    post:
      operationId: createInvite
      requestBody:
        required: true
        content:
          application/json: {schema: {$ref: "#/components/schemas/Invite"}}
      responses:
        "201":
          description: made
          content:
            application/json: {schema: {$ref: "#/components/schemas/Invite"}}
  /offers:
    post:
      operationId: createOffer
      requestBody:
        required: true
        content:
          application/json: {schema: {$ref: "#/components/schemas/Offer"}}
      responses:
        "201":
          description: made
          content:
            application/json: {schema: {$ref: "#/components/schemas/Offer"}}
components:
  schemas:
    Invite:
      type: object
      properties:
        id: {type: integer, readOnly: true}
        expiresAt: {type: string, format: date-time, x-pact: {expiry: false}}
    Offer:
      type: object
      properties:
        id: {type: integer, readOnly: true}
        lastsUntil: {type: string, format: date-time, x-pact: {expiry: true}}
"""


def test_x_pact_expiry_says_it_or_turns_it_off(
    write_project: Callable[[dict[str, str]], Path],
) -> None:
    service = understand(write_project({"docs/openapi.yaml": _SAID})).service
    assert service.resource("invite").expiry is None
    offer = service.resource("offer").expiry
    assert offer is not None and offer.column == "lasts_until"
    assert offer.evidence == "from x-pact expiry"


def test_an_expiry_that_is_no_date_time_is_an_error(
    write_project: Callable[[dict[str, str]], Path],
) -> None:
    text = _SAID.replace(
        "lastsUntil: {type: string, format: date-time,", "lastsUntil: {type: integer,"
    )
    with pytest.raises(ContractError) as caught:
        understand(write_project({"docs/openapi.yaml": text}))
    (error,) = caught.value.problems.errors
    assert error.message == "x-pact expiry on Offer.lastsUntil, which is not a date-time"
    assert error.location is not None and error.location.line > 0
