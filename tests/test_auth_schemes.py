"""Authentication breadth (issue 12, part 5): which schemes pactcoder understands and how.

The fast tests read contracts of our own through the IR: OAuth2 flows other than
``password`` and OpenID Connect become external-issuer schemes whose scopes are checked
per scheme; ``http`` scheme names are case-insensitive. The e2e test builds
tests/contracts/resource-server and drives the built service with tokens signed by a key
made here, its key set served by a local HTTP server.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from pactcoder.pipeline import understand

Project = Callable[[dict[str, str]], Path]

SCHEMES = """
openapi: 3.0.3
info: {title: Schemes, version: "1"}
security:
  - bearerAuth: []
  - code: [things:read]
paths:
  /things:
    get:
      operationId: listThings
      responses:
        "200":
          description: things
          content:
            application/json:
              schema: {type: array, items: {$ref: "#/components/schemas/Thing"}}
    post:
      operationId: createThing
      security:
        - code: [things:write, things:admin]
        - oidc: []
        - basic: []
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Thing"}
      responses:
        "201":
          description: created
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Thing"}
components:
  securitySchemes:
    bearerAuth: {type: http, scheme: Bearer}
    basic: {type: http, scheme: Basic}
    code:
      type: oauth2
      flows:
        authorizationCode:
          authorizationUrl: https://issuer.example/authorize
          tokenUrl: https://issuer.example/token
          scopes: {"things:read": read, "things:write": write, "things:admin": admin}
        clientCredentials:
          tokenUrl: https://issuer.example/token
          scopes: {"things:read": read}
    oidc:
      type: openIdConnect
      openIdConnectUrl: https://issuer.example/.well-known/openid-configuration
  schemas:
    Thing:
      type: object
      required: [name]
      properties:
        id: {type: integer, readOnly: true}
        name: {type: string}
"""


def _service(write_project: Project) -> object:
    project = write_project({"docs/openapi.yaml": SCHEMES})
    return understand(project).service


def test_oauth2_flows_and_openid_connect_are_external_issuer_schemes(
    write_project: Project,
) -> None:
    service = _service(write_project)
    schemes = service.auth.schemes  # type: ignore[attr-defined]
    assert schemes["code"].kind == "oauth2" and schemes["code"].supported
    assert schemes["oidc"].kind == "oauth2" and schemes["oidc"].supported
    # `Bearer` written capitalised is still HTTP bearer.
    assert schemes["bearerAuth"].kind == "bearer"
    assert service.auth.external  # type: ignore[attr-defined]


def test_scopes_are_checked_per_scheme_not_as_roles(write_project: Project) -> None:
    service = _service(write_project)
    endpoints = {e.operation_id: e for e in service.endpoints}  # type: ignore[attr-defined]
    listing = endpoints["listThings"].access
    assert listing.roles == []  # the bearer tokens are not asked for an OAuth2 scope
    assert listing.scopes == {"code": ["things:read"]}
    create = endpoints["createThing"]
    assert create.access.scopes == {"code": ["things:write", "things:admin"], "oidc": []}
    assert create.implemented
    assert any("external OAuth2" in note for note in create.notes)


def test_the_route_asks_for_the_scopes_of_each_external_scheme(write_project: Project) -> None:
    from pactcoder.render.views.cases import ServiceView

    service = _service(write_project)
    view = ServiceView(service)  # type: ignore[arg-type]
    create = next(e for e in service.endpoints if e.operation_id == "createThing")  # type: ignore[attr-defined]
    call = view.auth_call(create)
    assert "scopes={'code': ('things:write', 'things:admin'), 'oidc': ()}" in call
    assert [s.name for s in view.external_schemes] == ["code", "oidc"]
    assert "cryptography" in view.runtime_pins({"cryptography": "1.0.0", "pyjwt": "2.0.0"})


_DRIVE = textwrap.dedent(
    """
    import datetime, http.server, json, sys, threading

    import jwt
    from cryptography.hazmat.primitives.asymmetric import rsa
    from fastapi.testclient import TestClient

    from app.core.config import Settings
    from app.main import create_app

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    published = json.dumps({"keys": [public | {"kid": "k1", "use": "sig"}]}).encode()
    fetches = []

    class KeySet(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            fetches.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(published)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), KeySet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings = Settings(
        database_url=sys.argv[1],
        environment="test",
        rate_limit_enabled=False,
        jwt_secret_keys="s" * 40,
        oauth2_jwks_url=f"http://127.0.0.1:{server.server_address[1]}/keys",
        oauth2_issuer="https://issuer.test/",
        oauth2_audience="gadgets",
    )

    def token(scope, **changes):
        now = datetime.datetime.now(datetime.UTC)
        claims = {"iss": "https://issuer.test/", "aud": "gadgets", "sub": "u1",
                  "exp": now + datetime.timedelta(minutes=5), "scope": scope} | changes
        return jwt.encode(claims, key, algorithm="RS256", headers={"kid": "k1"})

    answers = {}
    with TestClient(create_app(settings)) as client:
        def post(name, credentials):
            headers = {"Authorization": credentials} if credentials else {}
            answers[name] = client.post("/gadgets", json={"name": "g"}, headers=headers).status_code

        post("write", "Bearer " + token("gadgets:write"))
        post("read only", "Bearer " + token("gadgets:read"))
        post("none", None)
        post("wrong audience", "Bearer " + token("gadgets:write", aud="elsewhere"))
        post("expired", "Bearer " + token("gadgets:write", exp=1))
        unsigned = jwt.encode({"sub": "u1", "scope": "gadgets:write"}, "", algorithm="none")
        post("unsigned", "Bearer " + unsigned)
    server.shutdown()
    print(json.dumps({"answers": answers, "fetches": fetches}))
    """
)


@pytest.mark.e2e
@pytest.mark.xdist_group("resource-server")
def test_the_resource_server_checks_tokens_on_a_local_key_set(
    built: Callable[[str], Path], tmp_path: Path
) -> None:
    backend = built("resource-server") / "backend"
    database = f"sqlite+aiosqlite:///{tmp_path / 'gadgets.db'}"
    migrate = subprocess.run(
        [sys.executable, "-m", "alembic", "upgrade", "head"],
        cwd=backend,
        capture_output=True,
        text=True,
        timeout=120,
        env=_env(database),
    )
    assert migrate.returncode == 0, migrate.stderr
    done = subprocess.run(
        [sys.executable, "-c", _DRIVE, database],
        cwd=backend,
        capture_output=True,
        text=True,
        timeout=120,
        env=_env(database),
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["answers"] == {
        "write": 201,
        "read only": 403,
        "none": 401,
        "wrong audience": 401,
        "expired": 401,
        "unsigned": 401,
    }
    assert result["fetches"] == ["/keys"]  # fetched once, then cached


def _env(database: str) -> dict[str, str]:
    import os

    return {**os.environ, "DATABASE_URL": database, "PYTHONPATH": ""}


_HEADER_SCHEME = """
openapi: 3.0.3
info: {title: Prefixes, version: "1"}
security: [{headerAuth: []}]
paths:
  /things:
    get:
      operationId: listThings
      responses:
        "200":
          description: things
          content:
            application/json:
              schema: {type: array, items: {type: object, properties: {id: {type: integer}}}}
components:
  securitySchemes:
    headerAuth:
      type: apiKey
      in: header
      name: Authorization
      description: DESCRIPTION
"""


@pytest.mark.parametrize(
    ("description", "kind", "prefix"),
    [
        ("Token xxxxx.yyyyy.zzzzz", "bearer", "Token"),
        ("Send it as 'Bearer xxx'.", "bearer", "Bearer"),
        ("Format: `JWT {token}`", "bearer", "JWT"),
        ("Authorization: Token eyJhbGciOiJIUzI1NiJ9.e30.sig", "bearer", "Token"),
        ("Use `Token <your token>`", "bearer", "Token"),
        # Prose without a placeholder, and basic credentials, are no token prefix.
        ("To access our API, obtain your unique API key. See docs.example.com", "api-key", ""),
        ("Basic xxx", "api-key", ""),
    ],
)
def test_token_prefixes_are_read_from_the_scheme_description(
    write_project: Project, description: str, kind: str, prefix: str
) -> None:
    contract = _HEADER_SCHEME.replace("DESCRIPTION", json.dumps(description))
    service = understand(write_project({"docs/openapi.yaml": contract})).service
    scheme = service.auth.schemes["headerAuth"]
    assert scheme.kind == kind
    if kind == "bearer":
        assert scheme.prefix == prefix
    else:
        assert scheme.parameter == "Authorization"
