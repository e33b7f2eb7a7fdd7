"""Safe defaults of every generated service: no secret in its code, production in its images.

Over the golden trees (the exact generated output of the examples): no string
literal that looks like key material, no known development key, no password
in a URL or a compose file, bandit without medium or high findings; the
Dockerfile and compose file run with ENVIRONMENT=production, and .env stays
out of git and out of the image. ``pactcoder serve`` writes a random local key
to .env once and keeps it.
"""

from __future__ import annotations

import ast
import json
import math
import os
import re
import stat
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from pactcoder.serve import SECRET_VARIABLE, ensure_local_secret

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden"
TREES = sorted(p.name for p in GOLDEN.iterdir() if p.is_dir())
#: Keys that were, or commonly are, written into code as "development" defaults.
KNOWN_KEYS = (
    "development-only-secret",
    "do-not-use-in-production",
    "changeme",
    "change-me",
    "supersecret",
    "your-secret-key",
)
#: What keys are written in: base64, URL-safe base64, hex; 20 characters or more.
_KEY_ALPHABET = re.compile(r"^[A-Za-z0-9+/=_-]{20,}$")
_HEX_KEY = re.compile(r"^[0-9a-fA-F]{32,}$")
#: user:password@ in a URL, unless the password is a ${VARIABLE} of compose.
_URL_PASSWORD = re.compile(r"://[^:/\s@]+:(?!\$\{)([^@\s]+)@")


def _entropy(text: str) -> float:
    """Shannon entropy of ``text``, in bits per character."""
    counts = Counter(text)
    return -sum(n / len(text) * math.log2(n / len(text)) for n in counts.values())


def looks_like_key(value: str) -> bool:
    """Whether a string literal looks like key material: a long run of a key alphabet
    (base64, URL-safe base64 or hex) that is random (mixed case and digits, high entropy)."""
    if not _KEY_ALPHABET.match(value) or value.startswith("/"):
        return False
    if _HEX_KEY.match(value):
        return True
    mixed = any(c.islower() for c in value) and any(c.isupper() for c in value)
    return mixed and any(c.isdigit() for c in value) and _entropy(value) >= 4.2


def secret_findings(tree: Path) -> list[str]:
    """Every place in ``tree`` that holds what looks like a secret, as ``path: why``."""
    found = []
    for path in sorted(p for p in tree.rglob("*") if p.is_file()):
        name = path.relative_to(tree).as_posix()
        text = path.read_text(encoding="utf-8")
        lowered = text.lower()
        found += [f"{name}: known key {key!r}" for key in KNOWN_KEYS if key in lowered]
        if "-----BEGIN" in text and "PRIVATE KEY" in text:
            found.append(f"{name}: a private key")
        if path.suffix == ".py":
            found += [
                f"{name}:{node.lineno}: key-like literal {node.value!r}"
                for node in ast.walk(ast.parse(text))
                if isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and looks_like_key(node.value)
            ]
        if name in ("docker-compose.yml", "Dockerfile", ".env.example", "alembic.ini"):
            for number, line in enumerate(text.splitlines(), 1):
                if line.lstrip().startswith("#"):
                    continue
                if _URL_PASSWORD.search(line):
                    found.append(f"{name}:{number}: a password in a URL")
                assignment = re.match(r"\s*([A-Z_]*(?:PASSWORD|SECRET|KEYS?))\s*[:=]\s*(\S+)", line)
                if assignment and not assignment.group(2).startswith("${"):
                    found.append(f"{name}:{number}: {assignment.group(1)} is given a value")
    return found


def test_key_like_literals_are_told_from_ordinary_text() -> None:
    assert looks_like_key("kJ3n_8xQ2vLm-9PzR4tW7yB1cE6hA0sD")  # secrets.token_urlsafe
    assert looks_like_key("9593c081872fc6d7fe91a740741063c4")  # secrets.token_hex
    assert not looks_like_key("The request body is larger than")
    assert not looks_like_key("2a888323-acf5-501b-87e2-ce8005ebc785")
    assert not looks_like_key("/admin/users/2a888323-acf5-501b-87e2-ce8005ebc785")
    assert not looks_like_key("application/problem+json")
    assert not looks_like_key("ix_%(table_name)s_%(column_0_N_name)s")


def test_the_secret_scan_catches_each_kind(tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "config.py").write_text(
        'KEY = "development-only-secret-do-not-use-in-production"\n'
        'OTHER = "kJ3n_8xQ2vLm-9PzR4tW7yB1cE6hA0sD"\n',
        encoding="utf-8",
    )
    (tmp_path / "docker-compose.yml").write_text(
        "services:\n  db:\n    environment:\n      POSTGRES_PASSWORD: service\n"
        "      DATABASE_URL: postgresql://service:service@db/service\n",
        encoding="utf-8",
    )
    findings = secret_findings(tmp_path)
    assert any("known key" in f for f in findings), findings
    assert any("key-like literal" in f for f in findings), findings
    assert any("POSTGRES_PASSWORD is given a value" in f for f in findings), findings
    assert any("password in a URL" in f for f in findings), findings


@pytest.mark.parametrize("name", TREES)
def test_no_secret_is_written_in_a_generated_service(name: str) -> None:
    assert secret_findings(GOLDEN / name) == []


@pytest.mark.parametrize("name", TREES)
def test_bandit_finds_nothing_medium_or_high(name: str) -> None:
    """Over the whole tree: the service, its migrations, its tests and its worker."""
    done = subprocess.run(
        [sys.executable, "-m", "bandit", "-r", ".", "-f", "json", "-q"],
        cwd=GOLDEN / name,
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(done.stdout)
    results = report["results"]
    scanned = {Path(f).parts[0] for f in report["metrics"] if f != "_totals"}
    assert {"app", "migrations", "tests"} <= scanned, scanned
    serious = [
        f"{r['filename']}:{r['line_number']} {r['test_id']} {r['issue_text']}"
        for r in results
        if r["issue_severity"] in ("MEDIUM", "HIGH")
    ]
    assert serious == []


@pytest.mark.parametrize("name", TREES)
def test_images_run_in_production_and_leave_env_out(name: str) -> None:
    tree = GOLDEN / name
    dockerfile = (tree / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"^ENV .*\bENVIRONMENT=production\b", dockerfile, re.MULTILINE)
    compose = (tree / "docker-compose.yml").read_text(encoding="utf-8")
    services = compose.count("    build: .")
    assert services >= 1
    assert compose.count("ENVIRONMENT: production") == services
    for ignore in (".gitignore", ".dockerignore"):
        lines = (tree / ignore).read_text(encoding="utf-8").splitlines()
        assert ".env" in lines, ignore


def _service(folder: Path, *, with_keys: bool = True) -> Path:
    folder.mkdir()
    example = "DATABASE_URL=sqlite://\n" + (f"{SECRET_VARIABLE}=\n" if with_keys else "")
    (folder / ".env.example").write_text(example, encoding="utf-8")
    return folder


def test_serve_writes_a_random_key_to_env_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(SECRET_VARIABLE, raising=False)
    service = _service(tmp_path / "a")
    assert ensure_local_secret(service)
    env_file = service / ".env"
    written = env_file.read_text(encoding="utf-8")
    key = re.search(rf"^{SECRET_VARIABLE}=(\S+)$", written, re.MULTILINE)
    assert key and len(key.group(1)) >= 48
    assert stat.S_IMODE(env_file.stat().st_mode) == 0o600
    # The next serve keeps it: tokens signed before a restart stay valid.
    assert not ensure_local_secret(service)
    assert env_file.read_text(encoding="utf-8") == written
    other = _service(tmp_path / "b")
    assert ensure_local_secret(other)
    assert key.group(1) not in (other / ".env").read_text(encoding="utf-8")


def test_serve_keeps_a_key_already_set(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SECRET_VARIABLE, raising=False)
    service = _service(tmp_path / "a")
    (service / ".env").write_text("LOG_LEVEL=DEBUG\nJWT_SECRET_KEYS=mine\n", encoding="utf-8")
    assert not ensure_local_secret(service)
    assert (service / ".env").read_text(encoding="utf-8").endswith("JWT_SECRET_KEYS=mine\n")
    empty = _service(tmp_path / "b")
    (empty / ".env").write_text("LOG_LEVEL=DEBUG\nJWT_SECRET_KEYS=", encoding="utf-8")
    assert ensure_local_secret(empty)
    assert (empty / ".env").read_text(encoding="utf-8").startswith("LOG_LEVEL=DEBUG\n")
    monkeypatch.setenv(SECRET_VARIABLE, "from-the-environment")
    assert not ensure_local_secret(_service(tmp_path / "c"))
    assert not (tmp_path / "c" / ".env").exists()


def test_serve_writes_no_key_for_a_service_without_tokens(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(SECRET_VARIABLE, raising=False)
    service = _service(tmp_path / "a", with_keys=False)
    assert not ensure_local_secret(service)
    assert not (service / ".env").exists()
    assert os.listdir(service) == [".env.example"]
