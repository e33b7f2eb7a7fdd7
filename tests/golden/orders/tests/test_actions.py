"""tests/test_actions.py: state machines and jobs.

Each transition succeeds from the states it allows, sets its fields, and is refused with 409
from the others, naming the current state and the allowed ones; of two concurrent requests
making the same transition, one wins and the other gets 409. Each job answers 202 with its
status and a Location to poll, and goes queued → running → succeeded with its result; a job
whose work keeps failing ends failed with a problem after its retries. With TEST_REDIS_URL
set, one job runs on a real worker (`dramatiq app.worker`) against that Redis.
"""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.repositories.jobs import JobRepository
from app.repositories.orders import OrderRepository
from app.services.orders import OrderService
from tests.conftest import ROOT, Made, Records, settings_for
from tests.contract import assert_conforms, assert_error

#: A Redis for the test that runs a real worker; the test is skipped when it is unset.
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL")


def order_in(records: Records, state: str) -> Made:
    """A new order whose status is ``state`` (set through its repository)."""
    made = records.order()
    key = made.key if made.key is not None else uuid.UUID(made.body["id"])

    async def move() -> None:
        async with records.client.app.state.session_factory() as session:  # type: ignore[attr-defined]
            await OrderRepository(session).transition(
                key, sources=["placed", "paid", "shipped", "cancelled"], values={"status": state}
            )
            await session.commit()

    records.client.portal.call(move)  # type: ignore[union-attr]
    made.body["status"] = state
    return made


@pytest.mark.parametrize("state", ["placed"])
def test_pay_order_moves_to_paid(client: TestClient, records: Records, state: str) -> None:
    made = order_in(records, state)
    before = datetime.datetime.now(datetime.UTC)
    response = client.post(made.url("/orders/{orderId}/pay"))
    assert response.status_code == 200, response.text
    assert_conforms(response, "payOrder")
    body = response.json()
    assert body["status"] == "paid"
    assert body["paidAt"] is not None
    assert datetime.datetime.fromisoformat(body["paidAt"].replace("Z", "+00:00")) >= before.replace(
        microsecond=0
    )
    stored = client.get(made.url("/orders/{orderId}"))
    assert stored.json()["status"] == "paid"


@pytest.mark.parametrize("state", ["paid", "shipped", "cancelled"])
def test_pay_order_is_refused_from_other_states(
    client: TestClient, records: Records, state: str
) -> None:
    made = order_in(records, state)
    response = client.post(made.url("/orders/{orderId}/pay"))
    assert_error(response, "payOrder", 409)
    text = response.text
    assert repr(state) in text or state in text, "the problem names the current state"
    assert "placed" in text, "the problem names the allowed states"
    stored = client.get(made.url("/orders/{orderId}"))
    assert stored.json()["status"] == state, "a refused transition changes nothing"


def test_pay_order_twice_at_once_succeeds_once(client: TestClient, records: Records) -> None:
    made = order_in(records, "placed")
    url = made.url("/orders/{orderId}/pay")
    with ThreadPoolExecutor(max_workers=2) as pool:
        statuses = sorted(pool.map(lambda _: client.post(url).status_code, range(2)))
    assert statuses == [200, 409]


def test_pay_order_of_a_missing_order_is_404(client: TestClient) -> None:
    response = client.post(f"/api/v1/orders/{uuid.uuid4()}/pay")
    assert_error(response, "payOrder", 404)


@pytest.mark.parametrize("state", ["paid"])
def test_ship_order_moves_to_shipped(client: TestClient, records: Records, state: str) -> None:
    made = order_in(records, state)
    before = datetime.datetime.now(datetime.UTC)
    response = client.post(made.url("/orders/{orderId}/ship"))
    assert response.status_code == 200, response.text
    assert_conforms(response, "shipOrder")
    body = response.json()
    assert body["status"] == "shipped"
    assert body["shippedAt"] is not None
    assert datetime.datetime.fromisoformat(
        body["shippedAt"].replace("Z", "+00:00")
    ) >= before.replace(microsecond=0)
    stored = client.get(made.url("/orders/{orderId}"))
    assert stored.json()["status"] == "shipped"


@pytest.mark.parametrize("state", ["placed", "shipped", "cancelled"])
def test_ship_order_is_refused_from_other_states(
    client: TestClient, records: Records, state: str
) -> None:
    made = order_in(records, state)
    response = client.post(made.url("/orders/{orderId}/ship"))
    assert_error(response, "shipOrder", 409)
    text = response.text
    assert repr(state) in text or state in text, "the problem names the current state"
    assert "paid" in text, "the problem names the allowed states"
    stored = client.get(made.url("/orders/{orderId}"))
    assert stored.json()["status"] == state, "a refused transition changes nothing"


def test_ship_order_twice_at_once_succeeds_once(client: TestClient, records: Records) -> None:
    made = order_in(records, "paid")
    url = made.url("/orders/{orderId}/ship")
    with ThreadPoolExecutor(max_workers=2) as pool:
        statuses = sorted(pool.map(lambda _: client.post(url).status_code, range(2)))
    assert statuses == [200, 409]


def test_ship_order_of_a_missing_order_is_404(client: TestClient) -> None:
    response = client.post(f"/api/v1/orders/{uuid.uuid4()}/ship")
    assert_error(response, "shipOrder", 404)


@pytest.mark.parametrize("state", ["placed", "paid"])
def test_cancel_order_moves_to_cancelled(client: TestClient, records: Records, state: str) -> None:
    made = order_in(records, state)
    before = datetime.datetime.now(datetime.UTC)
    response = client.post(made.url("/orders/{orderId}/cancel"))
    assert response.status_code == 200, response.text
    assert_conforms(response, "cancelOrder")
    body = response.json()
    assert body["status"] == "cancelled"
    assert body["cancelledAt"] is not None
    assert datetime.datetime.fromisoformat(
        body["cancelledAt"].replace("Z", "+00:00")
    ) >= before.replace(microsecond=0)
    stored = client.get(made.url("/orders/{orderId}"))
    assert stored.json()["status"] == "cancelled"


@pytest.mark.parametrize("state", ["shipped", "cancelled"])
def test_cancel_order_is_refused_from_other_states(
    client: TestClient, records: Records, state: str
) -> None:
    made = order_in(records, state)
    response = client.post(made.url("/orders/{orderId}/cancel"))
    assert_error(response, "cancelOrder", 409)
    text = response.text
    assert repr(state) in text or state in text, "the problem names the current state"
    assert "placed" in text, "the problem names the allowed states"
    assert "paid" in text, "the problem names the allowed states"
    stored = client.get(made.url("/orders/{orderId}"))
    assert stored.json()["status"] == state, "a refused transition changes nothing"


def test_cancel_order_twice_at_once_succeeds_once(client: TestClient, records: Records) -> None:
    made = order_in(records, "placed")
    url = made.url("/orders/{orderId}/cancel")
    with ThreadPoolExecutor(max_workers=2) as pool:
        statuses = sorted(pool.map(lambda _: client.post(url).status_code, range(2)))
    assert statuses == [200, 409]


def test_cancel_order_of_a_missing_order_is_404(client: TestClient) -> None:
    response = client.post(f"/api/v1/orders/{uuid.uuid4()}/cancel")
    assert_error(response, "cancelOrder", 404)


@pytest.mark.parametrize("state", ["placed", "paid", "shipped", "cancelled"])
def test_delete_order_only_in_placed_or_cancelled(
    client: TestClient, records: Records, state: str
) -> None:
    made = order_in(records, state)
    response = client.delete(made.url("/orders/{orderId}"))
    if state in ["placed", "cancelled"]:
        assert response.status_code == 204, response.text
    else:
        assert_error(response, "deleteOrder", 409)
        assert state in response.text, "the problem names the current state"
        assert client.get(made.url("/orders/{orderId}")).status_code == 200


def wait_for_job(
    client: TestClient, url: str, seconds: float = 20.0
) -> tuple[dict[str, Any], list[str]]:
    """Poll the job at ``url`` until it ends; its last status and every status seen."""
    seen: list[str] = []
    deadline = time.monotonic() + seconds
    while True:
        response = client.get(url)
        assert response.status_code == 200, response.text
        assert_conforms(response, "getJob")
        body: dict[str, Any] = response.json()
        if not seen or seen[-1] != body["status"]:
            seen.append(body["status"])
        if body["status"] in ("succeeded", "failed") or time.monotonic() > deadline:
            return body, seen
        time.sleep(0.02)


def test_invoice_order_runs_as_a_job(client: TestClient, records: Records) -> None:
    made = records.order()
    response = client.post(made.url("/orders/{orderId}/invoice"))
    assert response.status_code == 202, response.text
    assert_conforms(response, "invoiceOrder")
    assert response.json()["status"] == "queued"
    location = response.headers["Location"]
    assert location.endswith(str(response.json()["id"]))
    job, seen = wait_for_job(client, location)
    assert job["status"] == "succeeded", job
    assert set(seen) <= {"queued", "running", "succeeded"} and seen[-1] == "succeeded", seen
    assert job["attempts"] == 1
    assert job["result"] is not None
    assert str(job["result"]["orderId"]) == str(made.body["id"])


def test_invoice_order_failing_ends_failed_after_its_retries(
    database_url: str, records: Records, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(self: Any, key: Any) -> dict[str, Any]:
        raise RuntimeError("the work broke")

    monkeypatch.setattr(OrderService, "run_invoice", broken)
    made = records.order()
    app = create_app(settings_for(database_url, job_backoff_seconds=0.01))
    with TestClient(app) as fast:
        fast.headers.update(records.client.headers)
        response = fast.post(made.url("/orders/{orderId}/invoice"))
        assert response.status_code == 202, response.text
        job, _ = wait_for_job(fast, response.headers["Location"])
    assert job["status"] == "failed", job
    assert job["attempts"] == 4
    assert job["result"] is None
    assert job["problem"]["status"] == 500
    assert "the work broke" not in str(job["problem"]), "internal errors are not shown"


def test_invoice_order_of_a_missing_order_is_404(client: TestClient) -> None:
    response = client.post(f"/api/v1/orders/{uuid.uuid4()}/invoice")
    assert_error(response, "invoiceOrder", 404)


def test_jobs_left_unfinished_run_when_the_service_starts(
    database_url: str, records: Records
) -> None:
    """In-process jobs a stopped process left queued or running are run again at start-up."""
    made = records.order()

    async def leave_unfinished() -> uuid.UUID:
        async with records.client.app.state.session_factory() as session:  # type: ignore[attr-defined]
            row = await JobRepository(session).add(
                {
                    "kind": "invoice",
                    "subject": str(made.body["id"]),
                    "status": "running",
                    "attempts": 1,
                }
            )
            await session.commit()
            return row.id

    key = records.client.portal.call(leave_unfinished)  # type: ignore[union-attr]
    with TestClient(create_app(settings_for(database_url))) as restarted:
        restarted.headers.update(records.client.headers)
        job, _ = wait_for_job(restarted, f"/api/v1/jobs/{key}")
    assert job["status"] == "succeeded", job
    assert job["attempts"] == 2


def test_an_unknown_job_is_404(client: TestClient) -> None:
    response = client.get(f"/api/v1/jobs/{uuid.uuid4()}")
    assert_error(response, "getJob", 404)


def test_a_job_the_queue_refuses_is_503_and_failed(database_url: str, records: Records) -> None:
    """With Redis unreachable, starting a job answers 503 and leaves no job queued forever."""
    made = records.order()
    app = create_app(settings_for(database_url, redis_url="redis://127.0.0.1:9/0"))
    with TestClient(app) as unreachable:
        unreachable.headers.update(records.client.headers)
        response = unreachable.post(made.url("/orders/{orderId}/invoice"))
    assert response.status_code == 503, response.text

    async def unfinished() -> list[uuid.UUID]:
        async with records.client.app.state.session_factory() as session:  # type: ignore[attr-defined]
            return await JobRepository(session).unfinished()

    assert records.client.portal.call(unfinished) == []  # type: ignore[union-attr]


@pytest.mark.skipif(
    not TEST_REDIS_URL, reason="TEST_REDIS_URL is not set: no Redis to run a worker on"
)
def test_a_job_runs_on_a_redis_worker(database_url: str, records: Records, tmp_path: Path) -> None:
    """`dramatiq app.worker` against TEST_REDIS_URL runs a job the service queued there."""
    assert TEST_REDIS_URL
    # A namespace of its own: workers of other runs on the same Redis must not take its job.
    namespace = f"test-{uuid.uuid4().hex}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": TEST_REDIS_URL,
        "JOB_BACKOFF_SECONDS": "0.1",
        "JOB_NAMESPACE": namespace,
    }
    log = (tmp_path / "worker.log").open("wb")
    worker = subprocess.Popen(  # noqa: S603 - a fixed command line
        [sys.executable, "-m", "dramatiq", "app.worker", "--processes", "1", "--threads", "1"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        made = records.order()
        app = create_app(
            settings_for(database_url, redis_url=TEST_REDIS_URL, job_namespace=namespace)
        )
        with TestClient(app) as queued:
            queued.headers.update(records.client.headers)
            response = queued.post(made.url("/orders/{orderId}/invoice"))
            assert response.status_code == 202, response.text
            assert response.json()["status"] == "queued"
            job, seen = wait_for_job(queued, response.headers["Location"], seconds=60)
        assert worker.poll() is None, (tmp_path / "worker.log").read_text()
        assert job["status"] == "succeeded", (job, (tmp_path / "worker.log").read_text())
        assert seen[0] == "queued" and seen[-1] == "succeeded", seen
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        log.close()
