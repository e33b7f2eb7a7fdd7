"""Life cycles drafted from actions and the Markdown's words (pactcoder.draft.states)."""

from __future__ import annotations

from pactcoder.draft.states import draft_states, state_for

STATES = ["open", "in_progress", "resolved", "closed", "cancelled", "paid"]


def test_the_state_a_verb_leads_to() -> None:
    assert state_for("close", STATES) == "closed"
    assert state_for("cancel", STATES) == "cancelled"
    assert state_for("pay", STATES) == "paid"
    assert state_for("resolve", STATES) == "resolved"
    assert state_for("archive", STATES) is None


def test_sources_come_from_arrows_then_sentences_then_the_initial_state() -> None:
    prose = "Allowed changes: open → in_progress ⇄ resolved → closed. Cancelling is free."
    machine = draft_states(
        "status", STATES, "open", ["close", "cancel", "archive"], prose=prose, times=["closedAt"]
    )
    assert machine is not None
    assert machine["initial"] == "open"
    assert machine["transitions"]["close"] == {
        "from": ["resolved"],
        "to": "closed",
        "sets": {"closedAt": "now"},
    }
    # No arrow and no state named near "Cancelling": from the initial state.
    assert machine["transitions"]["cancel"] == {"from": ["open"], "to": "cancelled"}
    assert "archive" not in machine["transitions"]
    said = draft_states(
        "status", STATES, None, ["close"], prose="Closing a ticket that is not resolved is a 409.",
        times=[],
    )  # fmt: skip
    assert said is not None and said["transitions"]["close"]["from"] == ["resolved"]
    assert draft_states("status", STATES, None, ["archive"], prose="", times=[]) is None
