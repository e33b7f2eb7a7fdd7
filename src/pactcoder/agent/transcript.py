"""The transcript of a run: one JSON object per line, written as the run goes.

Every model request (the messages added since the agent's previous request)
and response, every tool call and its result, and the start and end of the
run are written and flushed at once, so a run stopped by Ctrl-C or a crash
keeps everything up to that moment. :func:`read_transcript` reads it back and
:class:`~pactcoder.agent.providers.replay.ReplayProvider` answers from its
responses, replaying the run without a model.

Record types: ``start``, ``request``, ``response``, ``tool_call``,
``tool_result``, ``stop``; each has ``type``, ``time`` and ``agent`` (``main``
or the sub-agent's label).

Example::

    with Transcript.open(Path(".pactcoder/agent/run.jsonl")) as transcript:
        transcript.write("start", task="implement the order API")
    [r["type"] for r in read_transcript(Path(".pactcoder/agent/run.jsonl"))]   # ["start"]
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from pactcoder.agent.messages import ModelResponse

__all__ = ["Transcript", "read_responses", "read_transcript"]


class Transcript:
    """An open JSONL transcript; ``Transcript.discard()`` writes nowhere (for sub-tests)."""

    def __init__(self, stream: IO[str] | None, path: Path | None = None) -> None:
        self._stream = stream
        self.path = path

    @classmethod
    def open(cls, path: Path) -> Transcript:
        path.parent.mkdir(parents=True, exist_ok=True)
        return cls(path.open("a", encoding="utf-8"), path)

    @classmethod
    def discard(cls) -> Transcript:
        return cls(None)

    def write(self, kind: str, agent: str = "main", **data: Any) -> None:
        """Append one record and flush it to disk."""
        if self._stream is None:
            return
        record = {"type": kind, "time": round(time.time(), 3), "agent": agent, **data}
        self._stream.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
        self._stream.flush()

    def close(self) -> None:
        if self._stream is not None:
            self._stream.close()
            self._stream = None

    def __enter__(self) -> Transcript:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def read_transcript(path: Path) -> list[dict[str, Any]]:
    """Every record of the transcript at ``path``; a cut-off last line is skipped."""
    records: list[dict[str, Any]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError:
            continue  # the run was killed mid-write
    return records


def read_responses(path: Path) -> list[ModelResponse]:
    """The model's responses in the transcript at ``path``, in the order they came."""
    return [
        ModelResponse.from_dict(record["response"])
        for record in read_transcript(path)
        if record.get("type") == "response"
    ]
