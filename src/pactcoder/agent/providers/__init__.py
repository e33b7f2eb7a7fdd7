"""Model providers, and how a run picks one from its flags and the environment.

- ``anthropic``: Anthropic's Messages API (``ANTHROPIC_API_KEY``);
- ``openai``: any OpenAI-compatible Chat Completions server (``OPENAI_API_KEY``,
  ``OPENAI_BASE_URL``): OpenAI, Ollama, vLLM, llama.cpp;
- ``replay``: the responses recorded in a transcript.

Flags win over the environment; ``PACTCODER_MODEL`` names the model when no
flag does, then the agent file's ``model``. Without ``--provider``, a base URL
or a model whose name starts with ``gpt``/``o`` + digit means ``openai``, a
Claude model or shorthand means ``anthropic``; otherwise the key that is set
decides.

Example::

    settings = resolve_settings(model=None, env={"ANTHROPIC_API_KEY": "sk-..."})
    settings.provider, settings.model      # ("anthropic", "claude-sonnet-4-5")
    provider = make_provider(settings)
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pactcoder.agent.prices import MODEL_ALIASES, resolve_alias
from pactcoder.agent.providers.base import Provider, ProviderError
from pactcoder.agent.providers.replay import ReplayProvider

__all__ = [
    "PROVIDERS",
    "Provider",
    "ProviderError",
    "ProviderSettings",
    "ReplayProvider",
    "make_provider",
    "resolve_settings",
]

PROVIDERS = ("anthropic", "openai", "replay")
DEFAULT_MODELS = {"anthropic": "claude-sonnet-4-5", "openai": "gpt-4.1"}
_OPENAI_MODEL = re.compile(r"^(gpt|o\d|chatgpt)", re.IGNORECASE)


@dataclass(frozen=True)
class ProviderSettings:
    """Which provider, model, server and key a run uses."""

    provider: str
    model: str
    base_url: str | None = None
    api_key: str | None = None
    replay: Path | None = None

    def describe(self) -> str:
        where = f" at {self.base_url}" if self.base_url else ""
        return f"{self.provider} {self.model}{where}"


def resolve_settings(
    *,
    provider: str | None = None,
    model: str | None = None,
    base_url: str | None = None,
    api_key: str | None = None,
    agent_model: str | None = None,
    replay: Path | None = None,
    env: Mapping[str, str] | None = None,
) -> ProviderSettings:
    """Settle provider, model, base URL and key from flags, then ``env`` (os.environ)."""
    env = os.environ if env is None else env
    if replay is not None:
        return ProviderSettings("replay", model or "replay", replay=replay)
    model = model or env.get("PACTCODER_MODEL") or None
    if provider is not None and provider not in PROVIDERS:
        raise ProviderError(f"unknown provider '{provider}'; use one of {', '.join(PROVIDERS)}")
    base_url = base_url or (env.get("OPENAI_BASE_URL") if provider != "anthropic" else None)
    chosen = provider or _guess(model, agent_model, base_url, env)
    if chosen == "anthropic":
        key = api_key or env.get("ANTHROPIC_API_KEY")
        named = model or agent_model or DEFAULT_MODELS["anthropic"]
        return ProviderSettings("anthropic", resolve_alias(named), base_url, key)
    if chosen == "openai":
        key = api_key or env.get("OPENAI_API_KEY")
        chosen_model = model or (agent_model if _is_openai_model(agent_model) else None)
        if chosen_model is None and base_url:
            raise ProviderError(
                f"no model named for the server at {base_url}:"
                " give --model or set PACTCODER_MODEL (for Ollama, a name from `ollama list`)"
            )
        return ProviderSettings("openai", chosen_model or DEFAULT_MODELS["openai"], base_url, key)
    raise ProviderError(
        "no model provider is configured: set ANTHROPIC_API_KEY, or OPENAI_API_KEY, or"
        " OPENAI_BASE_URL for a local OpenAI-compatible server (Ollama, vLLM, llama.cpp);"
        " or pass --provider and --api-key / --base-url"
    )


def _is_openai_model(model: str | None) -> bool:
    return bool(model and _OPENAI_MODEL.match(model))


def _guess(
    model: str | None, agent_model: str | None, base_url: str | None, env: Mapping[str, str]
) -> str | None:
    if base_url:
        return "openai"
    for name in (model, agent_model):
        if not name:
            continue
        if name in MODEL_ALIASES or name.lower().startswith("claude"):
            if model is None and not env.get("ANTHROPIC_API_KEY") and env.get("OPENAI_API_KEY"):
                continue  # the agent file's choice, but only an OpenAI key is at hand
            return "anthropic"
        if _is_openai_model(name):
            return "openai"
    if env.get("ANTHROPIC_API_KEY"):
        return "anthropic"
    if env.get("OPENAI_API_KEY"):
        return "openai"
    return None


def make_provider(settings: ProviderSettings) -> Provider:
    """The provider ``settings`` describe, with its client library loaded."""
    if settings.provider == "replay":
        assert settings.replay is not None
        return ReplayProvider.from_transcript(settings.replay)
    if settings.provider == "anthropic":
        from pactcoder.agent.providers.anthropic import AnthropicProvider

        return AnthropicProvider(
            settings.model, api_key=settings.api_key, base_url=settings.base_url
        )
    from pactcoder.agent.providers.openai import OpenAIProvider

    return OpenAIProvider(settings.model, api_key=settings.api_key, base_url=settings.base_url)
