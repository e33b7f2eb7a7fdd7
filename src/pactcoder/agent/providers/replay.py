"""A provider that answers from recorded responses: a transcript, or a script in a test.

Replaying a transcript runs the same tools again with the model's recorded
answers, which reproduces a run without a model or a key; a list of
:class:`~pactcoder.agent.messages.ModelResponse` values scripts a model for
tests. Each request takes the next response; when none is left, the run ends
with a :class:`ProviderError` saying so.

Example::

    provider = ReplayProvider.from_transcript(Path(".pactcoder/agent/run.jsonl"))
    provider = ReplayProvider([ModelResponse(Message.assistant("Done."))])
"""

from __future__ import annotations

from pathlib import Path

from pactcoder.agent.messages import Message, ModelResponse, ToolSpec
from pactcoder.agent.providers.base import ProviderError
from pactcoder.agent.transcript import read_responses

__all__ = ["ReplayProvider"]


class ReplayProvider:
    """Answers each request with the next recorded response."""

    name = "replay"

    def __init__(self, responses: list[ModelResponse], model: str = "replay") -> None:
        self.model = model
        self._responses = list(responses)
        self._next = 0
        #: What each request carried (system prompt, messages, tool names), for tests.
        self.requests: list[tuple[str, list[Message], list[str]]] = []
        #: The output cap (max_tokens) each request was sent with.
        self.max_tokens: list[int] = []

    @classmethod
    def from_transcript(cls, path: Path) -> ReplayProvider:
        responses = read_responses(path)
        if not responses:
            raise ProviderError(f"the transcript {path} holds no model responses to replay")
        return cls(responses, model=responses[0].model or "replay")

    @property
    def remaining(self) -> int:
        return len(self._responses) - self._next

    def complete(
        self,
        system: str,
        messages: list[Message],
        tools: list[ToolSpec],
        *,
        max_tokens: int,
        timeout: float | None = None,
    ) -> ModelResponse:
        self.requests.append((system, list(messages), [t.name for t in tools]))
        self.max_tokens.append(max_tokens)
        if self._next >= len(self._responses):
            raise ProviderError(
                f"the recording has no response left (it holds {len(self._responses)})"
            )
        response = self._responses[self._next]
        self._next += 1
        return response
