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


# --- HTTP basic and API keys nothing in the contract issues ----------------------------------

_CONTRACTS = Path(__file__).parent / "contracts"


def test_http_basic_is_supported_and_checked_on_logins_of_the_service(
    write_project: Project,
) -> None:
    from pactcoder.render import render_service

    understanding = understand(_CONTRACTS / "credentials")
    service = understanding.service
    assert service.auth.schemes["basicAuth"].kind == "basic"
    assert not any("not supported" in p.message for p in understanding.problems)
    assert all(e.implemented for e in service.endpoints)
    tables = {t.table_name: t for t in service.tables}
    assert {"service_api_keys", "service_logins"} <= set(tables)
    keys = {c.attr: c for c in tables["service_api_keys"].columns}
    assert keys["key_hash"].unique and not keys["key_hash"].exposed
    endpoints = {e.operation_id: e for e in service.endpoints}
    assert any("app.manage create-login" in n for n in endpoints["listGadgets"].notes)
    assert any("app.manage create-api-key" in n for n in endpoints["createGadget"].notes)
    files = render_service(service)
    assert "app/manage.py" in files and "tests/test_credentials.py" in files
    migration = files["migrations/versions/0001_initial.py"]
    assert "'service_api_keys'" in migration and "'service_logins'" in migration
    deps = files["app/api/deps.py"]
    assert "await limiter.refuse_if_over(" in deps and "find_login(" in deps
    assert 'Basic realm="api", charset="UTF-8"' in deps


def test_http_basic_checks_the_contracts_accounts_when_it_has_them() -> None:
    from pactcoder.render import render_service

    service = understand(_CONTRACTS / "basic-accounts").service
    assert service.auth.login_column == "username"
    assert service.auth.credential_tables == []  # no logins of its own: the accounts
    kinds = {e.operation_id: e.kind.name for e in service.endpoints}
    assert kinds["signUp"] == "REGISTER" and kinds["getMe"] == "ME"
    files = render_service(service)
    deps = files["app/api/deps.py"]
    assert "User.username == username" in deps and "verify_password(" in deps
    assert "app/manage.py" not in files


def test_an_api_key_scheme_alone_makes_the_key_table_and_no_logins(
    write_project: Project,
) -> None:
    contract = _HEADER_SCHEME.replace("Authorization", "X-Key").replace("DESCRIPTION", '"a key"')
    service = understand(write_project({"docs/openapi.yaml": contract})).service
    assert [t.table_name for t in service.auth.credential_tables] == ["service_api_keys"]


_MANAGE_DRIVE = textwrap.dedent(
    """
    import base64, json, sys

    from fastapi.testclient import TestClient

    from app.core.config import Settings
    from app.main import create_app

    key, revoked = sys.argv[2], sys.argv[3]
    settings = Settings(database_url=sys.argv[1], environment="test", rate_limit_enabled=False,
                        jwt_secret_keys="s" * 40)

    def basic(user, password):
        return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()

    answers = {}
    with TestClient(create_app(settings)) as client:
        new = {"name": "g"}
        answers["key"] = client.post("/gadgets", json=new, headers={"X-API-Key": key}).status_code
        answers["revoked key"] = client.post(
            "/gadgets", json=new, headers={"X-API-Key": revoked}).status_code
        answers["wrong key"] = client.post(
            "/gadgets", json=new, headers={"X-API-Key": key + "x"}).status_code
        answers["login"] = client.get(
            "/gadgets", headers={"Authorization": basic("ada", "lovelace-1815")}).status_code
        wrong = client.get("/gadgets", headers={"Authorization": basic("ada", "babbage")})
        answers["wrong password"] = wrong.status_code
        answers["challenge"] = wrong.headers.get("www-authenticate", "")
        answers["either"] = client.get(
            "/gadgets/1", headers={"Authorization": basic("ada", "lovelace-1815")}).status_code
    print(json.dumps(answers))
    """
)


def _manage(backend: Path, database: str, *args: str, stdin: str = "") -> str:
    done = subprocess.run(
        [sys.executable, "-m", "app.manage", *args],
        cwd=backend,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        env=_env(database) | {"ENVIRONMENT": "test", "JWT_SECRET_KEYS": "s" * 40},
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _credentials_on(backend: Path, database: str) -> dict[str, object]:
    migrate = subprocess.run(
        [sys.executable, "-m", "alembic", "upgrade", "head"],
        cwd=backend,
        capture_output=True,
        text=True,
        timeout=120,
        env=_env(database),
    )
    assert migrate.returncode == 0, migrate.stderr
    key = _manage(backend, database, "create-api-key", "--name", "ci").strip()
    old = _manage(backend, database, "create-api-key", "--name", "old", "--roles", "a,b").strip()
    _manage(backend, database, "revoke-api-key", "--name", "old")
    listed = _manage(backend, database, "list-api-keys")
    assert "ci\troles=-" in listed and "old\troles=a,b" in listed and "revoked=" in listed
    assert key not in listed and old not in listed
    _manage(
        backend,
        database,
        "create-login",
        "--username",
        "ada",
        "--password-stdin",
        stdin="lovelace-1815\n",
    )
    assert "ada\t" in _manage(backend, database, "list-logins")
    done = subprocess.run(
        [sys.executable, "-c", _MANAGE_DRIVE, database, key, old],
        cwd=backend,
        capture_output=True,
        text=True,
        timeout=120,
        env=_env(database),
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


_EXPECTED = {
    "key": 201,
    "revoked key": 401,
    "wrong key": 401,
    "login": 200,
    "wrong password": 401,
    "challenge": 'Basic realm="api", charset="UTF-8"',
    "either": 200,  # basic, where basic or a key is accepted: the gadget the key made
}


@pytest.mark.e2e
@pytest.mark.xdist_group("credentials")
def test_keys_and_logins_made_by_the_manage_command_on_sqlite(
    built: Callable[[str], Path], tmp_path: Path
) -> None:
    backend = built("credentials") / "backend"
    database = f"sqlite+aiosqlite:///{tmp_path / 'gadgets.db'}"
    assert _credentials_on(backend, database) == _EXPECTED


@pytest.mark.e2e
@pytest.mark.xdist_group("credentials")
def test_keys_and_logins_made_by_the_manage_command_on_postgresql(
    built: Callable[[str], Path], postgres_url: str
) -> None:
    import os

    from tests.conftest import postgres_admin

    backend = built("credentials") / "backend"
    name = f"pactcoder_manage_{os.getpid()}"
    postgres_admin(
        postgres_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"'
    )
    try:
        base = postgres_url.replace("+asyncpg", "").rsplit("/", 1)[0]
        assert _credentials_on(backend, f"{base}/{name}") == _EXPECTED
    finally:
        postgres_admin(postgres_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- Optional authentication read from prose -------------------------------------------------

_PROSE = """
openapi: 3.0.3
info: {title: Prose, version: "1"}
security: [{bearerAuth: []}]
paths:
  /things:
    METHOD:
      operationId: things
      description: DESCRIPTION
      responses:
        "200":
          description: things
          content:
            application/json:
              schema: {type: array, items: {type: object, properties: {id: {type: integer}}}}
components:
  securitySchemes:
    bearerAuth: {type: http, scheme: bearer}
"""


@pytest.mark.parametrize(
    ("method", "description", "optional"),
    [
        ("get", "Most recent articles. Auth is optional.", True),
        ("get", "Authentication optional; if authenticated, `following` is set.", True),
        ("get", "Lists things. If the user is authenticated, their own come first.", True),
        ("get", "Works for optionally authenticated callers.", True),
        # Conservative: negations, other wording, and writes are left as the contract says.
        ("get", "Authentication is not optional.", False),
        ("get", "Lists things. Authentication required.", False),
        ("get", "An optional filter narrows the list.", False),
        ("post", "Authentication optional.", False),
    ],
)
def test_optional_authentication_is_read_from_prose_as_a_low_confidence_guess(
    write_project: Project, method: str, description: str, optional: bool
) -> None:
    from pactcoder.ir.model import Confidence
    from pactcoder.report import guesses

    contract = _PROSE.replace("METHOD", method).replace("DESCRIPTION", json.dumps(description))
    understanding = understand(write_project({"docs/openapi.yaml": contract}))
    endpoint = understanding.service.endpoints[0]
    assert endpoint.access.optional is optional
    assert endpoint.access.schemes == ["bearerAuth"]  # credentials still read when sent
    found = guesses(understanding)
    if optional:
        assert [(where, i.confidence) for where, i in found] == [("things", Confidence.low)]
        assert any("inferred, low confidence" in note for note in endpoint.notes)
    else:
        assert found == []


def test_a_password_sign_in_is_not_read_as_registration_beside_http_basic(
    write_project: Project,
) -> None:
    """trilium-etapi: `POST /auth/login` with a password, answering an `authToken`, next to
    an HTTP basic scheme, is no sign-up (and makes no accounts table)."""
    contract = """
    openapi: 3.0.3
    info: {title: Notes, version: "1"}
    security: [{basic: []}]
    paths:
      /auth/login:
        post:
          operationId: login
          security: []
          requestBody:
            content:
              application/json:
                schema: {type: object, properties: {password: {type: string}}}
          responses:
            "201":
              description: a token
              content:
                application/json:
                  schema: {type: object, properties: {authToken: {type: string}}}
    components:
      securitySchemes:
        basic: {type: http, scheme: basic}
    """
    service = understand(write_project({"docs/openapi.yaml": contract})).service
    assert service.endpoints[0].kind.name != "REGISTER"
    assert service.auth.user_resource is None


def test_the_openid_connect_url_is_the_default_discovery_document(
    write_project: Project,
) -> None:
    from pactcoder.render import render_service

    service = _service(write_project)
    assert service.auth.schemes["oidc"].discovery_url == (  # type: ignore[attr-defined]
        "https://issuer.example/.well-known/openid-configuration"
    )
    files = render_service(service)  # type: ignore[arg-type]
    config = files["app/core/config.py"]
    default = config.split("oauth2_discovery_url: str | None = ")[1].splitlines()[0]
    assert "https://issuer.example/.well-known/openid-configuration" in default
    assert "def _discover(self, url: str)" in files["app/core/security.py"]
    assert (
        "test_the_issuer_is_discovered_from_its_openid_configuration"
        in (files["tests/test_oauth2.py"])
    )
