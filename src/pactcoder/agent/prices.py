"""What models cost, to hold a run to its cost limit.

Prices are US dollars per million tokens, input and output, matched by the
longest known prefix of the model name (``claude-sonnet-4-5-20250929`` costs
what ``claude-sonnet-4-5`` costs). A model not in the table (a local one,
usually) has no price: a run on it spends nothing against its cost limit
unless the user gives one (``--price 0.5,1.5``). Claude Code's short model
names (``sonnet``, ``opus``, ``haiku``) resolve to a current model id here too.

Example::

    price = price_for("claude-sonnet-4-5-20250929")
    price.cost(Usage(1_000_000, 100_000))     # 4.5
    parse_price("0.5,1.5")                     # Price(0.5, 1.5)
"""

from __future__ import annotations

from dataclasses import dataclass

from pactcoder.agent.messages import Usage

__all__ = ["MODEL_ALIASES", "PRICES", "Price", "parse_price", "price_for", "resolve_alias"]


@dataclass(frozen=True)
class Price:
    """Dollars per million input and output tokens."""

    input: float
    output: float

    def cost(self, usage: Usage) -> float:
        return (usage.input_tokens * self.input + usage.output_tokens * self.output) / 1_000_000


#: List prices, per million tokens. Override any of them with ``--price``.
PRICES: dict[str, Price] = {
    "claude-opus-4": Price(15.0, 75.0),
    "claude-opus-4-5": Price(5.0, 25.0),
    "claude-sonnet-4": Price(3.0, 15.0),
    "claude-haiku-4": Price(1.0, 5.0),
    "claude-3-7-sonnet": Price(3.0, 15.0),
    "claude-3-5-haiku": Price(0.8, 4.0),
    "gpt-5": Price(1.25, 10.0),
    "gpt-5-mini": Price(0.25, 2.0),
    "gpt-5-nano": Price(0.05, 0.4),
    "gpt-4.1": Price(2.0, 8.0),
    "gpt-4.1-mini": Price(0.4, 1.6),
    "gpt-4.1-nano": Price(0.1, 0.4),
    "gpt-4o": Price(2.5, 10.0),
    "gpt-4o-mini": Price(0.15, 0.6),
    "o3": Price(2.0, 8.0),
    "o4-mini": Price(1.1, 4.4),
}

#: Claude Code's model shorthands in agent files, and what they mean for Anthropic's API.
MODEL_ALIASES = {
    "sonnet": "claude-sonnet-4-5",
    "opus": "claude-opus-4-1",
    "haiku": "claude-haiku-4-5",
}


def resolve_alias(model: str) -> str:
    """The model id for a shorthand (``sonnet``), or ``model`` itself."""
    return MODEL_ALIASES.get(model, model)


def price_for(model: str, override: Price | None = None) -> Price | None:
    """The price of ``model``: the override, else the longest matching table entry, else None."""
    if override is not None:
        return override
    name = resolve_alias(model).lower().split("/")[-1]
    matches = [prefix for prefix in PRICES if name.startswith(prefix)]
    return PRICES[max(matches, key=len)] if matches else None


def parse_price(text: str) -> Price:
    """``"3,15"`` → Price(3, 15): input and output dollars per million tokens."""
    parts = [part.strip() for part in text.split(",")]
    try:
        values = [float(part) for part in parts]
    except ValueError:
        values = []
    if len(values) != 2 or any(value < 0 for value in values):
        raise ValueError(
            f"a price is 'INPUT,OUTPUT' in dollars per million tokens (like '3,15'), not {text!r}"
        )
    return Price(values[0], values[1])
