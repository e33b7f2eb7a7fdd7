"""The agent loop: ask the model, run the tools it calls, give it the results, repeat.

The loop ends when the model answers without calling a tool (its final
message), when the budget reaches a limit, when the provider fails, or on
Ctrl-C or SIGTERM; each end is an :class:`Outcome` with a reason and a message
for the user:

=============  ======================================================  =========
reason         what happened                                           exit code
=============  ======================================================  =========
done           the model gave its final answer                         0
max_*          a limit (steps, tokens, cost, time) stopped the run     1
truncated      the final answer was cut at the output token limit      3
filtered       the provider filtered or refused the answer             3
empty          the model answered with nothing at all                  3
provider_error the provider failed, after retries when worth retrying  4
interrupted    Ctrl-C (SIGINT)                                         130
terminated     SIGTERM                                                 143
=============  ======================================================  =========

A failed request that may succeed again (a rate limit, an overloaded or
failing server, no connection) is retried with growing waits, never past the
run's time limit. Before each request the budget checks that the request
(its input estimated from the conversation) cannot carry the run past the
token or cost limit, and caps the answer's length to what is left.

Every request, response, tool call and result goes to the transcript as it
happens. A sub-agent (the Task tool) is another loop on the same budget and
transcript, labelled with its own ``agent`` name; Ctrl-C inside it ends the
whole run, through the top loop. :meth:`AgentLoop.run` takes an earlier
conversation to continue (``--resume``).

Example::

    loop = AgentLoop(provider, system_prompt, toolbox, Budget(Limits(max_steps=40)))
    outcome = loop.run("implement the order processing API")
    outcome.reason, outcome.final_text          # ("done", "The service is built ...")
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass

from pactcoder.agent.display import Display
from pactcoder.agent.limits import Budget
from pactcoder.agent.messages import Message, ModelResponse, ToolResult
from pactcoder.agent.providers.base import Provider, ProviderError
from pactcoder.agent.tools.toolbox import Toolbox
from pactcoder.agent.transcript import Transcript

__all__ = ["EXIT_CODES", "AgentLoop", "Outcome", "Terminated"]

#: The exit code of ``pactcoder agent`` for each way a run ends.
EXIT_CODES = {
    "done": 0,
    "max_steps": 1,
    "max_tokens": 1,
    "max_cost": 1,
    "max_time": 1,
    "truncated": 3,
    "filtered": 3,
    "empty": 3,
    "provider_error": 4,
    "interrupted": 130,
    "terminated": 143,
}
#: Waits before the retries of a request that may succeed again, in seconds.
RETRY_WAITS = (2.0, 8.0, 20.0)
_FILTERED = {"refusal", "content_filter", "safety", "recitation", "blocked"}


class Terminated(KeyboardInterrupt):
    """The process got SIGTERM: the run stops as on Ctrl-C, with its own reason."""


@dataclass(frozen=True)
class Outcome:
    """How a loop ended (see the table above), with the model's last words."""

    reason: str
    message: str
    final_text: str = ""
    steps: int = 0

    @property
    def done(self) -> bool:
        return self.reason == "done"

    @property
    def exit_code(self) -> int:
        return EXIT_CODES.get(self.reason, 1)


def _chars(messages: list[Message]) -> int:
    return sum(len(json.dumps(m.to_dict(), ensure_ascii=False)) for m in messages)


class AgentLoop:
    """One agent's conversation with the model, and the tools it runs."""

    def __init__(
        self,
        provider: Provider,
        system: str,
        toolbox: Toolbox,
        budget: Budget,
        *,
        transcript: Transcript | None = None,
        display: Display | None = None,
        agent: str = "main",
        catch_interrupt: bool = True,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.provider = provider
        self.system = system
        self.toolbox = toolbox
        self.budget = budget
        self.transcript = transcript or Transcript.discard()
        self.display = display or Display()
        self.agent = agent
        self.catch_interrupt = catch_interrupt
        self.sleep = sleep
        self.messages: list[Message] = []
        self._last_text = ""
        self._steps = 0
        self._last_input: int | None = None
        self._chars_at_last = 0

    def run(self, task: str, history: list[Message] | None = None) -> Outcome:
        """Work on ``task`` until the model is done or the run must stop.

        ``history`` is an earlier conversation to continue (its first message is the task).
        """
        self.messages = list(history) if history else [Message.user(task)]
        try:
            outcome = self._converse(recorded=len(self.messages) if history else 0)
        except KeyboardInterrupt as exc:
            terminated = isinstance(exc, Terminated)
            reason = "terminated" if terminated else "interrupted"
            message = (
                "stopped: terminated (SIGTERM)" if terminated else ("stopped: interrupted (Ctrl-C)")
            )
            if not self.catch_interrupt:
                self._stop(reason, message)
                raise
            outcome = self._outcome(reason, message)
        self._stop(outcome.reason, outcome.message)
        return outcome

    def _outcome(self, reason: str, message: str) -> Outcome:
        return Outcome(reason, message, self._last_text, self._steps)

    def _stop(self, reason: str, message: str) -> None:
        self.transcript.write(
            "stop",
            self.agent,
            reason=reason,
            message=message,
            steps=self._steps,
            usage=self.budget.usage.to_dict(),
            cost=round(self.budget.cost, 6),
        )

    def _estimated_input(self) -> int:
        """The next request's input tokens: the last request's, plus what was added since."""
        total = _chars(self.messages)
        if self._last_input is None:
            specs = sum(
                len(json.dumps(s.parameters)) + len(s.description) for s in (self.toolbox.specs())
            )
            return (len(self.system) + specs + total) // 3
        return self._last_input + (total - self._chars_at_last) // 3

    def _complete(self, max_tokens: int) -> ModelResponse:
        """One request, retried while the error may pass and the time limit allows."""
        attempt = 0
        while True:
            try:
                return self.provider.complete(
                    self.system,
                    self.messages,
                    self.toolbox.specs(),
                    max_tokens=max_tokens,
                    timeout=self.budget.remaining_time(),
                )
            except ProviderError as exc:
                if not exc.retryable or attempt >= len(RETRY_WAITS):
                    if exc.retryable:
                        raise ProviderError(
                            f"{exc} (after {attempt + 1} attempts)",
                            status=exc.status,
                            retryable=True,
                        ) from exc
                    raise
                wait = max(RETRY_WAITS[attempt], min(exc.retry_after or 0.0, 60.0))
                left = self.budget.remaining_time()
                if left is not None and wait >= left:
                    raise ProviderError(
                        f"{exc} (not retried: the time limit leaves {left:.0f}s)",
                        status=exc.status,
                        retryable=True,
                    ) from exc
                attempt += 1
                self.transcript.write(
                    "retry", self.agent, message=str(exc), status=exc.status, wait=wait
                )
                self.display.notice(f"{exc}; trying again in {wait:.0f}s", "yellow")
                self.sleep(wait)

    def _converse(self, recorded: int = 0) -> Outcome:
        while True:
            limit = self.budget.exceeded()
            if limit is not None:
                return self._outcome(limit.reason, limit.message)
            estimate = self._estimated_input()
            limit, max_tokens = self.budget.plan_request(
                estimate, self.budget.limits.max_output_tokens
            )
            if limit is not None:
                return self._outcome(limit.reason, limit.message)
            self._steps += 1
            self.display.step(self.agent, self.budget.steps + 1, self.budget)
            self.transcript.write(
                "request",
                self.agent,
                step=self.budget.steps + 1,
                messages=[m.to_dict() for m in self.messages[recorded:]],
                max_tokens=max_tokens,
            )
            recorded = len(self.messages)
            try:
                response = self._complete(max_tokens)
            except ProviderError as exc:
                self.transcript.write("error", self.agent, message=str(exc), status=exc.status)
                return self._outcome("provider_error", f"stopped: {exc}")
            self.budget.record(response.usage)
            self._last_input = response.usage.input_tokens or None
            self.transcript.write(
                "response", self.agent, response=response.to_dict(), cost=round(self.budget.cost, 6)
            )
            message = response.message
            self.messages.append(message)
            self._chars_at_last = _chars(self.messages)
            if self._last_input is not None:
                self._last_input += response.usage.output_tokens
            recorded = len(self.messages)
            if message.text.strip():
                self._last_text = message.text.strip()
                self.display.assistant(self.agent, self._last_text)
            if not message.tool_calls:
                return self._final(response)
            results: list[ToolResult] = []
            for call in message.tool_calls:
                self.display.tool_call(self.agent, call)
                self.transcript.write("tool_call", self.agent, call=call.to_dict())
                started = time.perf_counter()
                result = self.toolbox.call(call)
                seconds = time.perf_counter() - started
                self.transcript.write(
                    "tool_result", self.agent, result=result.to_dict(), seconds=round(seconds, 3)
                )
                self.display.tool_result(self.agent, result, seconds)
                results.append(result)
            self.messages.append(Message.results(results))

    def _final(self, response: ModelResponse) -> Outcome:
        """The end of a response without tool calls: done, or an answer that is not one."""
        reason = response.stop_reason
        if reason == "max_tokens":
            return self._outcome(
                "truncated",
                "stopped: the model's answer was cut at the output token limit"
                f" ({self.budget.limits.max_output_tokens:,} tokens, or what the limits left);"
                " its last words are below. Resume the run with --resume to let it go on",
            )
        if reason in _FILTERED:
            return self._outcome(
                "filtered",
                f"stopped: the provider withheld the model's answer ({reason}); nothing was"
                " finished. Rephrase the task or try another model",
            )
        if not response.message.text.strip():
            return self._outcome(
                "empty",
                "stopped: the model answered with nothing (no text and no tool call);"
                " resume the run with --resume, or try another model",
            )
        return self._outcome("done", "the agent finished")
