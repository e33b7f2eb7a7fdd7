"""The environment tools run in: this process's, without credentials.

Bash commands, background shells and the commands pactcoder's own steps
start see the environment pactcoder was started with, less every variable
that looks like a secret: names matching ``*_KEY``, ``*_TOKEN``,
``*_SECRET*``, ``*PASSWORD*``, ``*CREDENTIAL*`` and the like, and the cloud
providers' own variables (``AWS_*``, ``AZURE_*``, ``GOOGLE_APPLICATION_CREDENTIALS``,
``GCLOUD_*``...). A model that runs ``env`` or ``printenv`` learns nothing it could leak.
Variables a command really needs are let through by name with ``--allow-env NAME``
(or ``PACTCODER_ALLOW_ENV=NAME,NAME``); a name there may end in ``*``.
pactcoder's own steps run in this process and start commands of their own
(the generated test suite, ruff, mypy): :func:`scrubbed_environ` gives
``os.environ`` the clean environment while such a step runs.

Example::

    clean = tool_environment({"PATH": "/bin", "GITHUB_TOKEN": "ghp_x", "AWS_REGION": "eu"})
    clean                                  # {"PATH": "/bin"}
    tool_environment({"MY_KEY": "k"}, allow=["MY_KEY"])   # {"MY_KEY": "k"}
"""

from __future__ import annotations

import contextlib
import fnmatch
import os
from collections.abc import Iterable, Iterator, Mapping

__all__ = [
    "ALLOW_ENV_VARIABLE",
    "SECRET_PATTERNS",
    "is_secret",
    "scrubbed_environ",
    "tool_environment",
]

#: Names (shell patterns, matched case-insensitively) whose values tools never see.
SECRET_PATTERNS = (
    "*_KEY", "*_KEYS", "*_KEY_*", "*APIKEY*", "*API_KEY*", "*_TOKEN", "*_TOKEN_*", "*TOKEN",
    "*_SECRET*", "*SECRET", "*PASSWORD*", "*PASSWD*", "*_PASS", "*CREDENTIAL*", "*_AUTH",
    "*_AUTH_*", "*PRIVATE*", "*SESSION_ID*", "*COOKIE*",
    "AWS_*", "AZURE_*", "ARM_CLIENT_*", "ARM_TENANT_ID", "ARM_SUBSCRIPTION_ID",
    "GOOGLE_APPLICATION_CREDENTIALS", "GOOGLE_CLOUD_*", "GCLOUD_*", "GCP_*", "CLOUDSDK_*",
    "DIGITALOCEAN_*", "HEROKU_*", "CLOUDFLARE_*", "ALIBABA_CLOUD_*", "OCI_*", "IBMCLOUD_*",
    "VAULT_*", "NPM_CONFIG__AUTH*", "DOCKER_AUTH_CONFIG", "KUBECONFIG", "SSH_AUTH_SOCK",
    "NETRC", "PGPASSFILE", "DATABASE_URL", "*_DATABASE_URL", "*_DSN",
    "ANTHROPIC_*", "OPENAI_*", "PACTCODER_API_KEY",
)  # fmt: skip
#: The variable that lists names to let through, comma-separated, besides ``--allow-env``.
ALLOW_ENV_VARIABLE = "PACTCODER_ALLOW_ENV"


def _matches(name: str, patterns: Iterable[str]) -> bool:
    upper = name.upper()
    return any(fnmatch.fnmatchcase(upper, pattern.upper()) for pattern in patterns)


def is_secret(name: str) -> bool:
    """Whether a variable called ``name`` is kept from tools unless allowed."""
    return _matches(name, SECRET_PATTERNS)


def tool_environment(
    env: Mapping[str, str] | None = None, allow: Iterable[str] = ()
) -> dict[str, str]:
    """``env`` (default: this process's) without its secrets, except the names ``allow``ed."""
    source = os.environ if env is None else env
    allowed = [name.strip() for name in allow if name.strip()]
    allowed += [n.strip() for n in source.get(ALLOW_ENV_VARIABLE, "").split(",") if n.strip()]
    return {
        name: value
        for name, value in source.items()
        if not is_secret(name) or _matches(name, allowed)
    }


@contextlib.contextmanager
def scrubbed_environ(env: Mapping[str, str] | None) -> Iterator[None]:
    """While inside, ``os.environ`` is ``env`` (default: itself without secrets); restored after."""
    saved = dict(os.environ)
    clean = tool_environment(saved) if env is None else dict(env)
    try:
        for name in [n for n in os.environ if n not in clean]:
            del os.environ[name]
        os.environ.update(clean)
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)
