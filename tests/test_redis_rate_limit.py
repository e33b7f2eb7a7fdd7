"""Rate limits are shared between processes through Redis when REDIS_URL is set.

Builds the auth example, starts two server processes on the same database and
the same Redis (TEST_REDIS_URL), and checks that registrations counted by one
process count against the limit in the other: the fifth request, whichever
process gets it, answers 429. Without Redis each process would allow four.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest
import redis

from pactcoder.api import build

ROOT = Path(__file__).resolve().parents[1]
REDIS_URL = os.environ.get("TEST_REDIS_URL")

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not REDIS_URL, reason="TEST_REDIS_URL is not set"),
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_live(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert process.poll() is None, "the server process exited"
        try:
            if httpx2.get(f"{url}/health/live", timeout=1).status_code == 200:
                return
        except httpx2.HTTPError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not come up")


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[str]]:
    assert REDIS_URL
    database = REDIS_URL.rsplit("/", 1)[0] + "/15"  # a database of its own, emptied first
    redis.Redis.from_url(database).flushdb()
    service = tmp_path_factory.mktemp("auth") / "backend"
    build(ROOT / "examples" / "auth", service)
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite+aiosqlite:///{service / 'shared.db'}",
        "REDIS_URL": database,
        "RATE_LIMIT_AUTH": "4/minute",
        "ENVIRONMENT": "development",
    }
    migrated = subprocess.run(
        [sys.executable, "-m", "alembic", "upgrade", "head"], cwd=service, env=env, check=False
    )
    assert migrated.returncode == 0
    processes = []
    urls = []
    try:
        for _ in range(2):
            port = _free_port()
            process = subprocess.Popen(
                [sys.executable, "-m", "uvicorn", "app.main:app", "--port", str(port)],
                cwd=service,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            processes.append(process)
            urls.append(f"http://127.0.0.1:{port}")
            _wait_until_live(urls[-1], process)
        yield urls
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=10)


def test_two_processes_share_one_limit(servers: list[str]) -> None:
    statuses = []
    for n in range(6):
        base = servers[n % 2]
        response = httpx2.post(
            f"{base}/api/auth/register",
            json={"email": f"user{n}@example.com", "password": "a long enough password", "displayName": "U"},
            timeout=10,
        )
        statuses.append(response.status_code)
        if response.status_code == 429:
            assert int(response.headers["retry-after"]) >= 1
    assert statuses[:4] == [201, 201, 201, 201]
    assert statuses[4:] == [429, 429]


def test_readiness_checks_redis(servers: list[str]) -> None:
    ready = httpx2.get(f"{servers[0]}/health/ready", timeout=5).json()
    assert ready["checks"] == {"database": "ok", "redis": "ok"}
