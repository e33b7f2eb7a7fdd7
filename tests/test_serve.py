"""``pactcoder serve`` end to end, and the built auth example's defaults seen from outside.

serve runs in a subprocess on a free port; SIGTERM (or SIGINT, as Ctrl-C sends)
must stop the server and every process it started, and close the port. The
service must not accept a token signed with the key older versions wrote into
generated code, nor take a role from a token's claim over the stored account.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx2
import pytest

from pactcoder.steps import build
from tests.conftest import copy_project

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def auth_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(ROOT / "examples" / "auth", tmp_path_factory.mktemp("serve"))
    build(project, project / "backend")
    return project


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _descendants(pid: int) -> set[int]:
    """Every living process below ``pid`` (from /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads the process tree from /proc")
@pytest.mark.parametrize("sent", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_stops_serve_and_everything_it_started(
    auth_project: Path, sent: signal.Signals, tmp_path: Path
) -> None:
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    env.pop("JWT_SECRET_KEYS", None)
    env.pop("DATABASE_URL", None)
    log = tmp_path / "serve.log"
    # Output to a file, not a pipe: a child left running would hold a pipe open.
    with log.open("wb") as sink:
        serve = subprocess.Popen(
            [sys.executable, "-m", "pactcoder", "serve", str(auth_project), "--port", str(port)],
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    started: set[int] = set()
    try:
        deadline = time.monotonic() + 60
        while True:
            assert serve.poll() is None, log.read_text()[-3000:]
            try:
                if httpx2.get(f"http://127.0.0.1:{port}/health/live", timeout=1).is_success:
                    break
            except httpx2.HTTPError:
                pass
            assert time.monotonic() < deadline, "serve did not come up"
            time.sleep(0.2)
        started = _descendants(serve.pid)
        serve.send_signal(sent)
        serve.wait(timeout=30)
        left = [pid for pid in started if _alive(pid)]
        listening = _listening(port)
    finally:
        if serve.poll() is None:
            serve.kill()
            serve.wait()
        for pid in started:  # what the old serve left behind, so the run leaves nothing
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
    assert not listening, log.read_text()[-3000:]
    assert left == []
    # The first serve made the service a signing key of its own, kept for the next ones.
    env_file = (auth_project / "backend" / ".env").read_text(encoding="utf-8")
    assert env_file.count("JWT_SECRET_KEYS=") == 1


_FORGED_ADMIN_CHECK = """
import hashlib, jwt, datetime, uuid
from fastapi.testclient import TestClient
from app.main import create_app
from app.core.config import Settings

# What older generated code signed with when no key was set, and an account with role "user".
OLD_KEY = "development-only-secret-do-not-use-in-production"
settings = Settings()
assert settings.environment == "development"
app = create_app(settings)
with TestClient(app) as client:
    registered = client.post(
        "/api/auth/register",
        json={"email": "plain@example.com", "password": "a long enough password",
              "displayName": "Plain"},
    )
    assert registered.status_code == 201, registered.text
    signed_in = client.post(
        "/api/auth/login", json={"email": "plain@example.com", "password": "a long enough password"}
    )
    token = signed_in.json()["accessToken"]
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["roles"] == ["user"], claims

    def forged(key):
        kid = hashlib.sha256(key.encode()).hexdigest()[:16]
        return jwt.encode({**claims, "roles": ["admin"]}, key, algorithm="HS256",
                          headers={"kid": kid})

    for name, key in (("old-key", OLD_KEY),
                      ("own-key", settings.jwt_secret_keys[0].get_secret_value())):
        headers = {"Authorization": f"Bearer {forged(key)}"}
        print(name, client.get("/api/admin/users", headers=headers).status_code)
    print("plain", client.get("/api/admin/users",
                              headers={"Authorization": f"Bearer {token}"}).status_code)
"""


def test_a_forged_admin_token_does_not_read_the_admin_list(auth_project: Path) -> None:
    """The issue's case: a token with roles ["admin"] for an account stored as "user".

    Signed with the key older generated code used in development: 401 (no such key any
    more). Signed with the service's own key (as if it had leaked, or a token issued before
    a demotion): 403, since the roles come from the stored account.
    """
    service = auth_project / "backend"
    env = {k: v for k, v in os.environ.items() if k not in ("JWT_SECRET_KEYS", "ENVIRONMENT")}
    env["DATABASE_URL"] = f"sqlite+aiosqlite:///{service / 'forged.db'}"
    env["RATE_LIMIT_ENABLED"] = "false"
    migrated = subprocess.run(
        [sys.executable, "-m", "alembic", "upgrade", "head"],
        cwd=service,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert migrated.returncode == 0, migrated.stderr[-2000:]
    (service / ".env").unlink(missing_ok=True)  # development with no key set at all
    done = subprocess.run(
        [sys.executable, "-c", _FORGED_ADMIN_CHECK],
        cwd=service,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    statuses = dict(line.split() for line in done.stdout.splitlines() if line.count(" ") == 1)
    assert statuses == {"old-key": "401", "own-key": "403", "plain": "403"}, done.stdout
