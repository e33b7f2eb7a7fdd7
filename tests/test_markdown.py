"""load.markdown: which fenced blocks are contract text, and the line each one starts on."""

from __future__ import annotations

import pytest

from pactcoder.load.markdown import FencedBlock, fenced_blocks


def test_a_yaml_block_keeps_the_line_its_text_starts_on() -> None:
    markdown = "# API\n\nSome prose.\n\n```yaml\npaths: {}\nx-pact: {}\n```\n\nMore prose.\n"
    assert fenced_blocks(markdown) == [FencedBlock("yaml", "paths: {}\nx-pact: {}\n", 6)]


@pytest.mark.parametrize(
    ("info", "language"),
    [
        ("yaml", "yaml"),
        ("yml", "yaml"),
        ("YAML", "yaml"),
        ("json", "json"),
        ("openapi", "yaml"),
        (" yaml", "yaml"),
        ("yaml title=openapi.yaml", "yaml"),
    ],
)
def test_info_strings_naming_yaml_or_json(info: str, language: str) -> None:
    assert fenced_blocks(f"```{info}\na: 1\n```\n") == [FencedBlock(language, "a: 1\n", 2)]


@pytest.mark.parametrize("info", ["", "python", "text", "mermaid", "yamlish"])
def test_other_blocks_are_prose(info: str) -> None:
    assert fenced_blocks(f"```{info}\na: 1\n```\n") == []


def test_tilde_fences() -> None:
    markdown = "~~~yml\na: 1\n~~~\n~~~~json\n{}\n~~~~\n"
    assert fenced_blocks(markdown) == [
        FencedBlock("yaml", "a: 1\n", 2),
        FencedBlock("json", "{}\n", 5),
    ]


def test_a_fence_closes_only_with_its_own_character_and_at_least_its_length() -> None:
    markdown = "~~~yaml\na: |\n  ```\n  ``\n  ~~\nb: 1\n~~~~\nafter\n"
    assert fenced_blocks(markdown) == [FencedBlock("yaml", "a: |\n  ```\n  ``\n  ~~\nb: 1\n", 2)]
    markdown = "````yaml\na: |\n  ```\n````\n"
    assert fenced_blocks(markdown) == [FencedBlock("yaml", "a: |\n  ```\n", 2)]


def test_an_indented_fence_removes_its_indent_from_the_text() -> None:
    markdown = "1. The contract:\n\n   ```yaml\n   a:\n     b: 1\n  c: 2\n   ```\n"
    assert fenced_blocks(markdown) == [FencedBlock("yaml", "a:\n  b: 1\nc: 2\n", 4)]


def test_four_spaces_make_an_indented_code_block_not_a_fence() -> None:
    assert fenced_blocks("    ```yaml\n    a: 1\n    ```\n") == []


def test_an_unterminated_fence_runs_to_the_end() -> None:
    assert fenced_blocks("text\n```yaml\na: 1\nb: 2\n") == [FencedBlock("yaml", "a: 1\nb: 2\n", 3)]


def test_prose_blocks_between_contract_blocks_do_not_shift_lines() -> None:
    markdown = '```python\nx = 1\n```\n\n```json\n{"a": 1}\n```\n```yaml\nb: 2\n```\n'
    assert fenced_blocks(markdown) == [
        FencedBlock("json", '{"a": 1}\n', 6),
        FencedBlock("yaml", "b: 2\n", 9),
    ]


def test_windows_line_endings() -> None:
    blocks = fenced_blocks("intro\r\n```yaml\r\na: 1\r\n```\r\n")
    assert [(b.language, b.first_line, b.text.strip()) for b in blocks] == [("yaml", 3, "a: 1")]
