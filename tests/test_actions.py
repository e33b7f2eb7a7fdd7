"""Actions and long-running operations: the x-pact keys (states, transition, job), what
pactcoder infers from the orders example, and the errors for impossible combinations (each
with its location). That the built orders service's own suite passes, actions and jobs
included, is test_e2e.py (test_the_orders_service_runs_its_actions_and_jobs).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from pactcoder.ir.model import Kind, Source
from pactcoder.ir.types import Default
from pactcoder.pipeline import Understanding, understand
from pactcoder.problems import ContractError


def _endpoint(understood: Understanding, operation_id: str):  # type: ignore[no-untyped-def]
    return next(e for e in understood.service.endpoints if e.operation_id == operation_id)


def test_the_order_life_cycle_is_a_state_machine(orders: Understanding) -> None:
    machine = orders.service.resource("order").machine
    assert machine is not None
    assert (machine.column, machine.initial) == ("status", "placed")
    assert machine.states == ["placed", "paid", "shipped", "cancelled"]
    assert machine.delete_from == ["placed", "cancelled"]
    cancel = machine.transitions["cancel"]
    assert (cancel.sources, cancel.target, cancel.sets) == (
        ["placed", "paid"],
        "cancelled",
        {"cancelled_at": "now"},
    )
    columns = {c.attr: c for c in orders.service.resource("order").table.columns}
    assert columns["status"].source is Source.DEFAULT and columns["status"].default == Default(
        "placed"
    )
    assert columns["paid_at"].source is Source.NULL and columns["paid_at"].nullable


def test_action_paths_are_matched_to_transitions_by_name(orders: Understanding) -> None:
    for operation_id, verb in (
        ("payOrder", "pay"),
        ("shipOrder", "ship"),
        ("cancelOrder", "cancel"),
    ):
        endpoint = _endpoint(orders, operation_id)
        assert endpoint.kind is Kind.ACTION and endpoint.implemented
        assert (endpoint.resource, endpoint.transition) == ("order", verb)
        assert endpoint.param("id").column == "id"  # type: ignore[union-attr]


def test_a_202_answering_the_status_schema_is_a_job(orders: Understanding) -> None:
    invoice = _endpoint(orders, "invoiceOrder")
    assert invoice.kind is Kind.JOB and invoice.status_code == 202 and invoice.location_header
    assert invoice.job is not None
    assert (invoice.job.name, invoice.job.resource, invoice.job.retries) == ("invoice", "order", 3)
    assert invoice.job.fills == {
        "orderId": "key",
        "customerId": "copy",
        "lines": "copy",
        "currency": "copy",
        "total": "copy",
        "issuedAt": "now",
    }
    assert invoice.job.unfilled == []
    status = _endpoint(orders, "getJob")
    assert status.kind is Kind.JOB_STATUS and status.implemented
    jobs = orders.service.jobs
    assert jobs is not None and jobs.status_path == "/jobs/{jobId}"
    assert "jobs" in {t.table_name for t in orders.service.tables}
    assert "job" not in {r.noun.singular for r in orders.service.resources}


def test_transitions_carry_roles_the_owner_and_the_caller() -> None:
    tickets = understand(Path(__file__).parent / "contracts" / "tickets")
    start = _endpoint(tickets, "startTicket")
    assert start.kind is Kind.ACTION and start.transition == "start"
    assert start.access.roles == ["agent", "admin"]
    resolve = _endpoint(tickets, "resolveTicket")
    assert resolve.transition == "close"  # named by x-pact: the path says resolve
    machine = tickets.service.resource("ticket").machine
    assert machine is not None
    assert machine.transitions["start"].sets == {"started_at": "now", "started_by": "caller"}
    assert machine.transitions["close"].owner
    jobs = tickets.service.jobs
    assert jobs is not None and jobs.owned
    assert jobs.fields["jobId"] == "id" and jobs.fields["state"] == "status"
    assert jobs.fields["error"] == "problem"


_BROKEN = """
openapi: 3.1.0
info: {title: Shop, version: "1"}
paths:
  /orders/{id}:
    get:
      parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
      responses:
        "200":
          description: The order.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Order"}
  /orders/{id}/refund:
    post:
      x-pact: {transition: refund}
      parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
      responses:
        "200":
          description: Refunded.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Order"}
  /orders/{id}/export:
    post:
      x-pact: {job: {retries: 2}}
      parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
      responses:
        "200": {description: Exported.}
components:
  schemas:
    Order:
      type: object
      x-pact:
        states:
          initial: new
          delete-from: [gone]
          transitions:
            pay: {from: [placed, lost], to: paid, sets: {paidAt: now, nothing: now}}
            ship: {from: [paid], to: sent, sets: {paidAt: caller}}
            close: {from: [paid], to: placed, owner: true}
      properties:
        id: {type: integer, readOnly: true}
        status: {type: string, enum: [placed, paid], readOnly: true}
        paidAt: {type: [string, "null"], format: date-time, readOnly: true}
"""


def test_impossible_machines_and_jobs_are_errors_with_a_location(
    write_project: Callable[[dict[str, str]], Path],
) -> None:
    project = write_project({"docs/api/openapi.yaml": _BROKEN})
    with pytest.raises(ContractError) as caught:
        understand(project)
    errors = caught.value.problems.errors
    text = "\n".join(p.message for p in errors)
    assert "Order initial: 'new' is not a state of the field" in text
    assert "Order delete-from: 'gone' is not a state of the field" in text
    assert "Order transition 'pay': 'lost' is not a state of the field" in text
    assert "Order transition 'ship': 'sent' is not a state of the field" in text
    assert "Order transition 'pay' sets 'nothing', which Order does not have" in text
    assert (
        "Order transition 'ship' sets 'paidAt' to the caller, but the contract has no accounts"
        in text
    )
    assert (
        "POST /orders/{id}/export is declared a job (x-pact job), but it has no 202 response"
        in text
    )
    assert all(p.location is not None and p.location.line > 0 for p in errors)


_NO_STATUS = """
openapi: 3.1.0
info: {title: Shop, version: "1"}
paths:
  /orders/{id}:
    get:
      parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
      responses:
        "200":
          description: The order.
          content:
            application/json:
              schema:
                type: object
                properties: {id: {type: integer, readOnly: true}}
  /orders/{id}/invoice:
    post:
      parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
      responses:
        "202":
          description: Queued.
          content:
            application/json:
              schema:
                type: object
                properties: {id: {type: string}, status: {type: string}}
"""


def test_a_job_without_a_status_endpoint_is_a_501_with_a_warning(
    write_project: Callable[[dict[str, str]], Path],
) -> None:
    # The rest of the contract is built; only the job's operation cannot be.
    project = write_project({"docs/api/openapi.yaml": _NO_STATUS})
    understanding = understand(project)
    (warning,) = [p for p in understanding.problems if "202 with a job" in p.message]
    assert warning.message == (
        "POST /orders/{id}/invoice answers 202 with a job, but no operation answers the job's"
        " status; it answers 501"
    )
    assert warning.location is not None and warning.location.line == 16
    (invoice,) = [e for e in understanding.service.endpoints if e.path.endswith("/invoice")]
    assert not invoice.implemented
    assert invoice.reasons == [
        "it answers 202 with a job, but no operation answers the job's status",
        "not a list, create, read, replace, update or delete of a resource:"
        " the contract does not say what it does",
    ]


def test_misspelled_action_keys_are_caught(
    write_project: Callable[[dict[str, str]], Path],
) -> None:
    contract = _BROKEN.replace("owner: true}", "owner: true, rolez: [a]}").replace(
        "{job: {retries: 2}}", "{jobs: {retries: 2}}"
    )
    project = write_project({"docs/api/openapi.yaml": contract})
    with pytest.raises(ContractError) as caught:
        understand(project)
    text = "\n".join(f"{p.message} {p.hint}" for p in caught.value.problems.errors)
    assert "unknown x-pact key 'jobs' on an operation" in text and "did you mean 'job'?" in text
    assert "Additional properties are not allowed ('rolez' was unexpected)" in text
