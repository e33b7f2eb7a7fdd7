"""The built auth example's defaults seen from outside.

The service must not accept a token signed with the key older versions wrote into
generated code, nor take a role from a token's claim over the stored account.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pactcoder.api import build
from tests.conftest import copy_project

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def auth_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(ROOT / "examples" / "auth", tmp_path_factory.mktemp("serve"))
    build(project, project / "backend")
    return project


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
