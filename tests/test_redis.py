"""What generated services share through Redis when REDIS_URL is set: limits and cached lists.

Each test copies the session's build of an example, starts two server processes on
the same database and the same Redis (TEST_REDIS_URL; database 15 for one example
and 14 for the other, each emptied first; the tests fail when it is set and does not
answer) and talks to both: registrations counted by one process count against the limit in the
other (the fifth answers 429, whichever process gets it); a list cached by one
process is dropped when the other one writes to it.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx2
import pytest
import redis

pytestmark = pytest.mark.e2e


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


#: Redis database of each example's pair of servers. Each pair has its own, since the
#: fixture empties it first and the two groups of tests may run at the same time on two
#: workers: one flushing the other's database mid-test reset its rate-limit counts.
_DATABASES = {"auth": 15, "library": 14}


def _database(redis_url: str, example: str) -> str:
    return redis_url.rsplit("/", 1)[0] + f"/{_DATABASES[example]}"


def _start(project: Path, redis_url: str, example: str, **settings: str) -> Iterator[list[str]]:
    database = _database(redis_url, example)
    redis.Redis.from_url(database).flushdb()
    service = project / "backend"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite+aiosqlite:///{service / 'shared.db'}",
        "REDIS_URL": database,
        "ENVIRONMENT": "development",
        **settings,
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


@pytest.fixture
def servers(built_copy: Callable[[str], Path], redis_url: str) -> Iterator[list[str]]:
    yield from _start(built_copy("auth"), redis_url, "auth", RATE_LIMIT_AUTH="4/minute")


@pytest.fixture
def library_servers(built_copy: Callable[[str], Path], redis_url: str) -> Iterator[list[str]]:
    yield from _start(built_copy("library"), redis_url, "library", CACHE_TTL_SECONDS="60")


@pytest.mark.xdist_group("auth")
def test_two_processes_share_one_limit(servers: list[str]) -> None:
    statuses = []
    for n in range(6):
        base = servers[n % 2]
        response = httpx2.post(
            f"{base}/api/auth/register",
            json={
                "email": f"user{n}@example.com",
                "password": "a long enough password",
                "displayName": "U",
            },
            timeout=10,
        )
        statuses.append(response.status_code)
        if response.status_code == 429:
            assert int(response.headers["retry-after"]) >= 1
    assert statuses[:4] == [201, 201, 201, 201]
    assert statuses[4:] == [429, 429]


@pytest.mark.xdist_group("auth")
def test_readiness_checks_redis(servers: list[str]) -> None:
    ready = httpx2.get(f"{servers[0]}/health/ready", timeout=5).json()
    assert ready["checks"] == {"database": "ok", "redis": "ok"}


@pytest.mark.xdist_group("library")
def test_a_write_in_one_process_drops_the_list_cached_by_the_other(
    library_servers: list[str], redis_url: str
) -> None:
    first, second = (f"{url}/v1/authors" for url in library_servers)
    assert httpx2.get(first, timeout=5).json() == []  # cached by the first process
    assert redis.Redis.from_url(_database(redis_url, "library")).keys("cache:authors:*")
    created = httpx2.post(second, json={"name": "Ursula K. Le Guin"}, timeout=5)
    assert created.status_code == 201
    listed = httpx2.get(first, timeout=5).json()
    assert [author["name"] for author in listed] == ["Ursula K. Le Guin"]
