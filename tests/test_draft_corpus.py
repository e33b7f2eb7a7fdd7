"""``pactcoder draft`` on architecture documents written by others (tests/drafts/).

Each folder holds a document in its own style and the contract a careful engineer
would draft from it (``expected.yaml``); benchmarks/draft_corpus.py scores the draft
against it. Every draft must pass ``pactcoder check``, and each document's score
may only go up: ``FLOORS`` is raised as the drafter learns (the goal is 95%).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.draft_corpus import folders, score

#: The share of each document's expectations the draft meets today (a ratchet).
FLOORS = {
    "clinic-tables": 1.0,
    "events-query": 1.0,
    "helpdesk-sequence": 0.46,
    "lending-prose": 0.51,
    "parking-adr": 1.0,
    "recipes-json": 1.0,
    "shortener-mixed": 1.0,
    "telemetry-sql": 1.0,
}


def test_every_document_has_a_floor() -> None:
    assert sorted(FLOORS) == sorted(folder.name for folder in folders())


@pytest.mark.parametrize("folder", folders(), ids=lambda folder: folder.name)
def test_the_draft_passes_check_and_keeps_what_the_author_wrote(folder: Path) -> None:
    result = score(folder)
    assert result.check == "ok"
    assert result.overall >= FLOORS[folder.name], "\n".join(result.misses)
