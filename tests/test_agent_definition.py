"""Agent definitions: front matter fields, lookup by name, and errors with file and line."""

from __future__ import annotations

import hashlib
import textwrap
from pathlib import Path

import pytest

from pactcoder.agent.definition import (
    BUNDLED_AGENTS,
    AgentDefinitionError,
    find_definition,
    load_definition,
    parse_definition,
)

#: sha256 of the user's pact-backend-coder.md that the bundled role is a copy of. When the user
#: hands over a new version, copy it over the bundled one and update this digest.
USERS_ROLE_SHA256 = "5e900b744a3cd24a2613bc9285fbe01c2debc24f7fc43593ed60b2f449e4ae3b"
BUNDLED_ROLE = BUNDLED_AGENTS / "pact-backend-coder.md"


def _agent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def _error(text: str, label: str = "agent.md") -> str:
    with pytest.raises(AgentDefinitionError) as caught:
        parse_definition(_agent(text), label)
    return str(caught.value)


def test_the_pact_backend_coder_role_loads() -> None:
    definition = load_definition(BUNDLED_ROLE)
    assert definition.name == "pact-backend-coder"
    assert definition.description.startswith("Use this agent when you need to implement backend")
    # The description holds "Examples: <example>Context: ..." which strict YAML refuses.
    assert "<commentary>" in definition.description
    assert definition.tools == (
        "Task", "Bash", "Glob", "Grep", "LS", "ExitPlanMode", "Read", "Edit", "MultiEdit",
        "Write", "NotebookRead", "NotebookEdit", "TodoWrite",
    )  # fmt: skip
    assert definition.model is None
    assert definition.extra == {"color": "yellow"}
    assert definition.system_prompt.startswith("You are 💻 PACT Backend Coder")
    assert definition.system_prompt.endswith("Is ready for comprehensive testing in the Test phase")
    assert definition.allows("Bash") and not definition.allows("WebFetch")


def test_the_bundled_role_is_the_users_file() -> None:
    """Byte for byte the user's role (not in this repository, so pinned by its digest)."""
    assert hashlib.sha256(BUNDLED_ROLE.read_bytes()).hexdigest() == USERS_ROLE_SHA256


def test_strict_yaml_front_matter_with_a_tool_list_and_unknown_fields() -> None:
    definition = parse_definition(
        _agent(
            """
            ---
            name: reviewer
            description: "Reviews code: carefully."
            tools: [Read, Grep, Read]
            model: claude-sonnet-4-5
            color: blue
            permissionMode: plan
            ---
            Review the code.
            """
        ),
        "reviewer.md",
    )
    assert definition.tools == ("Read", "Grep")
    assert definition.model == "claude-sonnet-4-5"
    assert definition.extra == {"color": "blue", "permissionMode": "plan"}
    assert definition.system_prompt == "Review the code."


def test_tools_left_out_means_every_tool_and_inherit_means_no_model() -> None:
    definition = parse_definition(
        _agent(
            """
            ---
            name: all
            description: everything
            model: inherit
            ---
            Body.
            """
        ),
        "all.md",
    )
    assert definition.tools is None
    assert definition.allows("Bash")
    assert definition.model is None


def test_a_file_without_front_matter_is_an_error_at_line_1() -> None:
    message = _error("You are an agent.\n")
    assert message.startswith("agent.md:1:1: error: an agent file starts with a '---' line")
    assert "hint:" in message


def test_front_matter_never_closed() -> None:
    message = _error("---\nname: x\ndescription: y\nBody\n")
    assert "agent.md:1:1: error: the front matter opened on line 1 is never closed" in message


def test_a_missing_description_is_reported() -> None:
    message = _error("---\nname: x\ntools: Read\n---\nBody\n")
    assert "error: the agent has no 'description'" in message


def test_tools_of_the_wrong_kind_point_at_their_line() -> None:
    message = _error("---\nname: x\ndescription: y\ntools:\n  Read: yes\n---\nBody\n")
    assert message.startswith("agent.md:4:1: error: 'tools' must be a comma-separated list")


def test_a_line_that_is_not_key_value_points_at_that_line() -> None:
    message = _error("---\nname: x\ndescription: a: b\nthis line is wrong\n---\nBody\n")
    assert message.startswith("agent.md:4:1: error: this front matter line is not 'key: value'")
    assert "YAML says" in message


def test_a_field_given_twice_is_an_error() -> None:
    message = _error("---\nname: x\ndescription: a: b\nname: y\n---\nBody\n")
    assert "agent.md:4:1: error: the field 'name' is given twice (first on line 2)" in message


def test_an_empty_system_prompt_is_an_error() -> None:
    message = _error("---\nname: x\ndescription: y\n---\n\n")
    assert "the agent has no system prompt" in message


def test_an_unreadable_file_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(AgentDefinitionError) as caught:
        load_definition(tmp_path / "missing.md")
    assert "missing.md: error: cannot read this agent file" in str(caught.value)


def _write(folder: Path, file: str, name: str, body: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / file
    path.write_text(f"---\nname: {name}\ndescription: d\n---\n{body}\n", encoding="utf-8")
    return path


def test_the_project_agent_wins_over_the_users(tmp_path: Path) -> None:
    project, home = tmp_path / "project", tmp_path / "home"
    _write(project / ".claude" / "agents", "coder.md", "coder", "project prompt")
    _write(home / ".claude" / "agents", "coder.md", "coder", "user prompt")
    _write(home / ".claude" / "agents", "other.md", "other", "user other")
    assert find_definition("coder", project=project, home=home).system_prompt == "project prompt"
    assert find_definition("other", project=project, home=home).system_prompt == "user other"


def test_an_agent_is_found_by_its_front_matter_name(tmp_path: Path) -> None:
    _write(tmp_path / ".claude" / "agents", "some-file.md", "api-coder", "by name")
    found = find_definition("api-coder", project=tmp_path, home=tmp_path / "nohome")
    assert found.system_prompt == "by name"
    assert found.path == tmp_path / ".claude" / "agents" / "some-file.md"


def test_the_bundled_role_is_the_last_resort(tmp_path: Path) -> None:
    found = find_definition("pact-backend-coder", project=tmp_path, home=tmp_path)
    assert found.path == BUNDLED_ROLE


def test_an_unknown_agent_names_where_it_was_looked_for(tmp_path: Path) -> None:
    with pytest.raises(AgentDefinitionError) as caught:
        find_definition("nobody", project=tmp_path, home=tmp_path / "home")
    message = str(caught.value)
    assert "error: no agent named 'nobody'" in message
    assert str(tmp_path / ".claude" / "agents") in message


def test_a_path_is_loaded_directly(tmp_path: Path) -> None:
    path = _write(tmp_path, "mine.md", "mine", "direct")
    assert find_definition(str(path)).name == "mine"
