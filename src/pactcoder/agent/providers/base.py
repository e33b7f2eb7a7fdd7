"""What a model provider is: one method that answers a conversation.

A provider turns the neutral conversation (:mod:`pactcoder.agent.messages`)
into its API's request, sends it through its official client library, and
turns the answer back. Failures the user must act on (a refused key, an
unknown model, a server that cannot be reached) raise :class:`ProviderError`
with the provider's own message.

Example::

    class Echo:
        name = "echo"
        model = "echo-1"

        def complete(self, system, messages, tools, *, max_tokens, timeout=None):
            return ModelResponse(Message.assistant(messages[-1].text))
"""

from __future__ import annotations

from typing import Protocol

from pactcoder.agent.messages import Message, ModelResponse, ToolSpec
from pactcoder.problems import PactcoderError

__all__ = ["RETRYABLE_STATUSES", "Provider", "ProviderError", "retry_after_seconds"]


#: HTTP statuses worth asking again: rate limits, server errors, overload (Anthropic's 529).
RETRYABLE_STATUSES = frozenset({408, 409, 429, 500, 502, 503, 504, 529})


class ProviderError(PactcoderError):
    """The model provider refused or failed a request; the message says what it answered.

    ``retryable`` errors (a rate limit, an overloaded or failing server, no
    connection) may succeed when asked again; ``retry_after`` is the wait the
    server asked for, in seconds, when it said.
    """

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        retryable: bool | None = None,
        retry_after: float | None = None,
    ) -> None:
        self.status = status
        self.retryable = status in RETRYABLE_STATUSES if retryable is None else retryable
        self.retry_after = retry_after
        super().__init__(message)


def retry_after_seconds(exc: object) -> float | None:
    """The ``retry-after`` header of a client library's status error, in seconds."""
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    if headers is None:
        return None
    try:
        return float(headers.get("retry-after"))
    except (TypeError, ValueError):
        return None


class Provider(Protocol):
    """Answers a conversation with the model's next message."""

    #: ``anthropic``, ``openai`` or ``replay``: shown to the user and written to transcripts.
    name: str
    model: str

    def complete(
        self,
        system: str,
        messages: list[Message],
        tools: list[ToolSpec],
        *,
        max_tokens: int,
        timeout: float | None = None,
    ) -> ModelResponse:
        """The model's answer to ``messages`` (the first is the user's task)."""
        ...
