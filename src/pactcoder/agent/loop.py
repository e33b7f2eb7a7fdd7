"""The agent loop: ask the model, run the tools it calls, give it the results, repeat.

The loop ends when the model answers without calling a tool (its final
message), when the budget reaches a limit, when the provider fails, or on
Ctrl-C; each end is an :class:`Outcome` with a message for the user. Every
request, response, tool call and result goes to the transcript as it
happens. A sub-agent (the Task tool) is another loop on the same provider,
budget and transcript, labelled with its own ``agent`` name; Ctrl-C inside
it ends the whole run, through the top loop.

Example::

    loop = AgentLoop(provider, system_prompt, toolbox, Budget(Limits(max_steps=40)))
    outcome = loop.run("implement the order processing API")
    outcome.reason, outcome.final_text          # ("done", "The service is built ...")
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from pactcoder.agent.display import Display
from pactcoder.agent.limits import Budget
from pactcoder.agent.messages import Message, ToolResult
from pactcoder.agent.providers.base import Provider, ProviderError
from pactcoder.agent.tools.toolbox import Toolbox
from pactcoder.agent.transcript import Transcript

__all__ = ["AgentLoop", "Outcome"]


@dataclass(frozen=True)
class Outcome:
    """How a loop ended: ``done``, ``max_steps``/``max_tokens``/``max_cost``/``max_time``,
    ``provider_error`` or ``interrupted``; with the model's last words."""

    reason: str
    message: str
    final_text: str = ""
    steps: int = 0

    @property
    def done(self) -> bool:
        return self.reason == "done"


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
    ) -> None:
        self.provider = provider
        self.system = system
        self.toolbox = toolbox
        self.budget = budget
        self.transcript = transcript or Transcript.discard()
        self.display = display or Display()
        self.agent = agent
        self.catch_interrupt = catch_interrupt
        self.messages: list[Message] = []
        self._last_text = ""
        self._steps = 0

    def run(self, task: str) -> Outcome:
        """Work on ``task`` until the model is done or the run must stop."""
        self.messages = [Message.user(task)]
        try:
            outcome = self._converse()
        except KeyboardInterrupt:
            if not self.catch_interrupt:
                self._stop("interrupted", "interrupted (Ctrl-C)")
                raise
            outcome = self._outcome("interrupted", "stopped: interrupted (Ctrl-C)")
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

    def _converse(self) -> Outcome:
        recorded = 0
        while True:
            limit = self.budget.exceeded()
            if limit is not None:
                return self._outcome(limit.reason, limit.message)
            self._steps += 1
            self.display.step(self.agent, self.budget.steps + 1, self.budget)
            self.transcript.write(
                "request",
                self.agent,
                step=self.budget.steps + 1,
                messages=[m.to_dict() for m in self.messages[recorded:]],
            )
            recorded = len(self.messages)
            try:
                response = self.provider.complete(
                    self.system,
                    self.messages,
                    self.toolbox.specs(),
                    max_tokens=self.budget.limits.max_output_tokens,
                    timeout=self.budget.remaining_time(),
                )
            except ProviderError as exc:
                self.transcript.write("error", self.agent, message=str(exc), status=exc.status)
                return self._outcome("provider_error", f"stopped: {exc}")
            self.budget.record(response.usage)
            self.transcript.write(
                "response", self.agent, response=response.to_dict(), cost=round(self.budget.cost, 6)
            )
            message = response.message
            self.messages.append(message)
            recorded = len(self.messages)
            if message.text.strip():
                self._last_text = message.text.strip()
                self.display.assistant(self.agent, self._last_text)
            if not message.tool_calls:
                note = ""
                if response.stop_reason == "max_tokens":
                    note = " (its answer was cut at the output token limit)"
                return self._outcome("done", f"the agent finished{note}")
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
