"""Limits on a run (steps, tokens, cost, wall time) and the budget that enforces them.

A *step* is one request to the model. The budget is shared by an agent and
the sub-agents its Task tool starts, so a run's limits hold for all of it.
Before each request the loop asks :meth:`Budget.exceeded`, then
:meth:`Budget.plan_request` with an estimate of the request's input tokens:
a request that could carry the run past its token or cost limit is not sent,
and one that is sent may answer with at most the output tokens (and dollars)
the limits have left. When a limit is reached the run ends with a
:class:`Stop` whose message says which limit and how to raise it.

Example::

    budget = Budget(Limits(max_steps=2), price=price_for("gpt-4.1"))
    budget.record(Usage(1200, 300))
    budget.exceeded()           # None: one step of two taken
    budget.record(Usage(900, 100))
    budget.exceeded().message   # "stopped: the step limit (2) was reached; ..."
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from pactcoder.agent.messages import Usage
from pactcoder.agent.prices import Price

__all__ = ["MIN_OUTPUT_TOKENS", "Budget", "Limits", "Stop"]

#: The fewest output tokens worth a request: below this the run stops instead.
MIN_OUTPUT_TOKENS = 256


@dataclass(frozen=True)
class Limits:
    """How far a run may go; ``None`` (or 0) switches a limit off."""

    max_steps: int | None = 80
    max_tokens: int | None = 3_000_000
    max_cost: float | None = 10.0
    max_time: float | None = 3600.0
    #: The most output tokens one model response may have.
    max_output_tokens: int = 8192


@dataclass(frozen=True)
class Stop:
    """Why a run ended: ``reason`` is a short key, ``message`` is for people."""

    reason: str
    message: str


@dataclass
class Budget:
    """What a run has spent so far, against its limits."""

    limits: Limits = field(default_factory=Limits)
    price: Price | None = None
    clock: Callable[[], float] = time.monotonic
    steps: int = 0
    usage: Usage = field(default_factory=Usage)
    started: float = -1.0

    def __post_init__(self) -> None:
        if self.started < 0:
            self.started = self.clock()

    @property
    def cost(self) -> float:
        return self.price.cost(self.usage) if self.price else 0.0

    @property
    def elapsed(self) -> float:
        return self.clock() - self.started

    def remaining_time(self) -> float | None:
        if not self.limits.max_time:
            return None
        return max(0.0, self.limits.max_time - self.elapsed)

    def record(self, usage: Usage) -> None:
        """Count one model request and the tokens it used."""
        self.steps += 1
        self.usage = self.usage + usage

    def exceeded(self) -> Stop | None:
        """The limit the run has reached, if any: checked before every model request."""
        limits = self.limits
        if limits.max_steps and self.steps >= limits.max_steps:
            return Stop(
                "max_steps",
                f"stopped: the step limit ({limits.max_steps}) was reached;"
                " give --max-steps to allow more",
            )
        if limits.max_tokens and self.usage.total >= limits.max_tokens:
            return Stop(
                "max_tokens",
                f"stopped: the token limit ({limits.max_tokens:,}) was reached"
                f" ({self.usage.total:,} used); give --max-tokens to allow more",
            )
        if limits.max_cost and self.price and self.cost >= limits.max_cost:
            return Stop(
                "max_cost",
                f"stopped: the cost limit (${limits.max_cost:.2f}) was reached"
                f" (${self.cost:.2f} spent); give --max-cost to allow more",
            )
        if limits.max_time and self.elapsed >= limits.max_time:
            return Stop(
                "max_time",
                f"stopped: the time limit ({limits.max_time:.0f}s) was reached;"
                " give --max-time to allow more",
            )
        return None

    def plan_request(self, estimated_input: int, max_output: int) -> tuple[Stop | None, int]:
        """Whether the next request fits the token and cost limits, and its output cap.

        ``estimated_input`` is the request's input tokens as the loop estimates
        them; the answer is a Stop when even a short answer would pass a limit,
        else the most output tokens the request may ask for.
        """
        limits = self.limits
        cap = max_output
        if limits.max_tokens:
            left = limits.max_tokens - self.usage.total - estimated_input
            if left < MIN_OUTPUT_TOKENS:
                return Stop(
                    "max_tokens",
                    f"stopped: the token limit ({limits.max_tokens:,}) would be passed by the"
                    f" next request (about {estimated_input:,} tokens in;"
                    f" {self.usage.total:,} used); give --max-tokens to allow more",
                ), 0
            cap = min(cap, left)
        if limits.max_cost and self.price:
            price = self.price
            dollars_left = limits.max_cost - self.cost - price.cost(Usage(estimated_input, 0))
            output_price = price.output / 1_000_000
            affordable = int(dollars_left / output_price) if output_price else cap
            if affordable < MIN_OUTPUT_TOKENS:
                return Stop(
                    "max_cost",
                    f"stopped: the cost limit (${limits.max_cost:.2f}) would be passed by the"
                    f" next request (${self.cost:.2f} spent); give --max-cost to allow more",
                ), 0
            cap = min(cap, affordable)
        return None, cap

    def summary(self) -> str:
        """``12 steps, 48,210 tokens, $0.21, 95s`` (no cost when the price is unknown)."""
        cost = f", ${self.cost:.2f}" if self.price else ""
        return f"{self.steps} steps, {self.usage.total:,} tokens{cost}, {self.elapsed:.0f}s"
