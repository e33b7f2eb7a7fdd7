"""pactcoder's own tools under the run's time limit: a build or a verification still
running when the time is up is stopped with every process it started, like Bash; within
the limit they answer as before, errors included."""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import pytest

from pactcoder import steps
from pactcoder.agent.tools import ToolContext
from pactcoder.agent.tools.compiler import PactcoderCheck, PactcoderVerify
from pactcoder.agent.tools.errors import ToolError
from pactcoder.agent.tools.workspace import Workspace
from pactcoder.problems import PactcoderError
from tests.conftest import ROOT


def _gone(pid: int) -> bool:
    """Whether process ``pid`` has ended (absent, or a zombie waiting to be reaped)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return True
    return state in {"Z", "X"}


def test_a_verification_past_the_time_limit_is_stopped_with_its_processes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pid_file = tmp_path / "pid"

    def hanging_verify(*args: object, **kwargs: object) -> None:
        child = subprocess.Popen(["sleep", "60"])  # a stand-in for the suite
        pid_file.write_text(str(child.pid))
        time.sleep(60)

    monkeypatch.setattr(steps, "verify", hanging_verify)
    context = ToolContext(Workspace(tmp_path))
    context.remaining_time = lambda: 1.0
    with pytest.raises(ToolError, match=r"pactcoder_verify was stopped after 1\.0s, all the run's"):
        PactcoderVerify().run({}, context)
    pid = int(pid_file.read_text())
    for _ in range(50):
        if _gone(pid):
            break
        time.sleep(0.1)
    assert _gone(pid), "the verification's own process was left running"


def test_within_the_limit_the_answer_and_the_errors_come_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "library"
    shutil.copytree(ROOT / "examples" / "library", project)
    context = ToolContext(Workspace(project))
    context.remaining_time = lambda: 120.0
    assert PactcoderCheck().run({}, context).startswith("contract OK:")

    def refused(*args: object, **kwargs: object) -> None:
        raise PactcoderError("backend/ holds no service built by pactcoder")

    monkeypatch.setattr(steps, "verify", refused)
    with pytest.raises(ToolError, match="holds no service built by pactcoder"):
        PactcoderVerify().run({}, context)
